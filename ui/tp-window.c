/* tp-window.c: the counter's window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>
#include <time.h>

#include "tp-decision-dialog.h"
#include "tp-window.h"

struct _TpWindow
{
  AdwApplicationWindow  parent_instance;

  AdwToastOverlay      *toasts;
  AdwHeaderBar         *header;
  AdwViewSwitcherTitle *switcher_title;
  GtkToggleButton      *demo_button;
  GtkLabel             *place_label;
  GtkWidget            *lock_button;
  GtkWidget            *officer_badge;
  GtkLabel             *officer_label;
  GtkStack             *main_stack;
  TpLoginPage          *login_page;
  AdwFlap              *flap;
  GtkBox               *side_panel;
  AdwViewStack         *views;
  AdwViewStackPage     *queue_stack_page;
  AdwViewStackPage     *camera_stack_page;
  TpCameraPage         *camera_page;
  TpCasePage           *case_page;
  TpMrzEntry           *mrz_entry;
  TpQueuePage          *queue_page;
  TpStatusBar          *status_bar;

  TpTerminal           *terminal;
  TpSession            *session;
  TpCounter            *counter;
  GHashTable           *escalations;   /* escalation event id → TpCase */
  GHashTable           *remote_escalations;  /* pushed by the hub: id → terminal */
  TpWedge              *wedge;
  char                 *airport;
  gboolean              kiosk;
};

G_DEFINE_FINAL_TYPE (TpWindow, tp_window, ADW_TYPE_APPLICATION_WINDOW)

static void queue_open_cb (TpWindow   *self,
                           const char *escalation_id);

static void
update_session (TpWindow *self)
{
  const char *id = tp_session_get_officer_id (self->session);
  TpRoles role = tp_session_get_role (self->session);
  g_autofree char *badge = NULL;
  g_autofree char *badge_name = NULL;

  if (id == NULL)
    {
      badge = g_strdup (_("Not signed in"));
      badge_name = g_strdup (badge);
    }
  else if (tp_session_get_locked (self->session))
    {
      /* TRANSLATORS: header bar: officer ID · Locked */
      badge = g_strdup_printf (_("%s · Locked"), id);
      /* TRANSLATORS: accessible name of the header bar's officer badge */
      badge_name = g_strdup_printf (_("Signed in: %s, %s, locked"), id, tp_session_role_label (role));
    }
  else
    {
      /* TRANSLATORS: header bar: officer ID · role */
      badge = g_strdup_printf (_("%s · %s"), id, tp_session_role_label (role));
      badge_name = g_strdup_printf (_("Signed in: %s, %s"), id, tp_session_role_label (role));
    }
  gtk_label_set_label (self->officer_label, badge);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->officer_badge),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, badge_name, -1);

  tp_case_page_set_role (self->case_page, tp_session_get_active (self->session) ? role : 0);
  if (self->counter != NULL)
    tp_counter_set_officer (self->counter, id, role);
  adw_view_switcher_title_set_view_switcher_enabled (self->switcher_title, tp_session_get_active (self->session));
  adw_view_stack_page_set_visible (self->queue_stack_page, role == TP_ROLE_SUPERVISOR);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.lock", tp_session_get_active (self->session));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.sign-out", id != NULL);

  if (tp_session_get_active (self->session))
    {
      if (!g_str_equal (gtk_stack_get_visible_child_name (self->main_stack), "work"))
        {
          gtk_stack_set_visible_child_name (self->main_stack, "work");
          adw_view_stack_set_visible_child_name (self->views, "counter");
          gtk_widget_grab_focus (GTK_WIDGET (self->case_page));
        }
    }
  else
    {
      tp_login_page_set_locked_by (self->login_page, tp_session_get_locked (self->session) ? id : NULL);
      tp_login_page_reset (self->login_page);
      gtk_stack_set_visible_child_name (self->main_stack, "login");
      gtk_widget_grab_focus (GTK_WIDGET (self->login_page));
    }
}

static void
session_notify_cb (TpWindow   *self,
                   GParamSpec *pspec,
                   TpSession  *session)
{
  update_session (self);
}

static void
signed_in_cb (TpWindow  *self,
              TpOfficer *officer)
{
  const char *previous = tp_session_get_officer_id (self->session);

  /* another officer: the previous officer's case is not theirs to see */
  if (g_strcmp0 (previous, officer->id) != 0 && self->counter != NULL)
    tp_counter_next_traveller (self->counter);
  tp_session_sign_in (self->session, officer);
}

/* Any input keeps the session awake. */
static gboolean
activity_key_cb (TpWindow *self)
{
  tp_session_touch (self->session);
  return FALSE;
}

static void
activity_click_cb (TpWindow *self)
{
  tp_session_touch (self->session);
}

static void
wedge_mrz_cb (TpWindow   *self,
              const char *text,
              TpWedge    *wedge)
{
  tp_session_touch (self->session);
  if (!tp_session_get_active (self->session))
    return;
  tp_window_present_mrz (self, text);
}

static void
wedge_boarding_pass_cb (TpWindow   *self,
                        const char *text,
                        TpWedge    *wedge)
{
  tp_session_touch (self->session);
  if (!tp_session_get_active (self->session))
    return;
  tp_terminal_set_scanner (self->terminal, _("keyboard wedge"), TP_DEVICE_READY);
  tp_window_present_boarding_pass (self, text);
}

static void
camera_boarding_pass_cb (TpWindow   *self,
                         const char *text)
{
  tp_session_touch (self->session);
  if (!tp_session_get_active (self->session))
    return;
  tp_window_present_boarding_pass (self, text);
}

static void
mrz_entered_cb (TpWindow   *self,
                const char *text)
{
  tp_window_present_mrz (self, text);
}

static void
decision_response_cb (TpDecisionDialog *dialog,
                      const char       *response,
                      TpWindow         *self)
{
  g_autoptr(GError) error = NULL;

  if (!g_str_equal (response, "confirm"))
    return;
  if (!tp_decision_dialog_apply (dialog, &error))
    {
      g_autofree char *text = g_strdup_printf (_("Not recorded: %s"), error->message);

      tp_window_show_toast (self, text);
    }
}

static void
decision_cb (TpWindow   *self,
             const char *action)
{
  TpCase *kase = self->counter != NULL ? tp_counter_get_case (self->counter) : NULL;
  TpDecisionDialog *dialog;

  tp_session_touch (self->session);
  if (kase == NULL || !tp_session_get_active (self->session))
    return;
  /* a CLEAR traveller whose every check passed leaves with one key press */
  if (g_str_equal (action, "allow_exit") && tp_case_get_verdict (kase) == TP_VERDICT_CLEAR &&
      tp_counter_get_list_hold (self->counter) <= TP_LIST_HOLD_WARN &&
      tp_case_get_screened (kase) && tp_case_get_document_verified (kase) &&
      tp_case_get_identity (kase) != NULL && !tp_case_get_identity (kase)->expired &&
      (tp_case_get_boarding_check (kase) == NULL || tp_boarding_check_passed (tp_case_get_boarding_check (kase))))
    {
      TpDecision decision = { .action = TP_DECISION_ALLOW_EXIT };
      g_autoptr(GError) error = NULL;

      if (!tp_case_decide (kase, &decision, &error))
        {
          g_autofree char *text = g_strdup_printf (_("Not recorded: %s"), error->message);

          tp_window_show_toast (self, text);
        }
      return;
    }
  dialog = tp_decision_dialog_new (GTK_WINDOW (self), kase, tp_session_get_role (self->session), action);
  g_signal_connect_object (dialog, "response", G_CALLBACK (decision_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
note_cb (TpWindow   *self,
         const char *text)
{
  TpCase *kase = self->counter != NULL ? tp_counter_get_case (self->counter) : NULL;
  g_autoptr(GError) error = NULL;

  if (kase != NULL && !tp_case_add_note (kase, text, &error))
    {
      g_autofree char *message = g_strdup_printf (_("Not recorded: %s"), error->message);

      tp_window_show_toast (self, message);
    }
}

static void
lock_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  tp_session_lock (TP_WINDOW (widget)->session);
}

static void
sign_out_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  TpWindow *self = TP_WINDOW (widget);

  if (self->counter != NULL)
    tp_counter_next_traveller (self->counter);
  tp_mrz_entry_clear (self->mrz_entry);
  tp_session_sign_out (self->session);
}

static void
next_traveller_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  TpWindow *self = TP_WINDOW (widget);

  if (self->counter != NULL)
    tp_counter_next_traveller (self->counter);
  adw_view_stack_set_visible_child_name (self->views, "counter");
}

static void
view_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  TpWindow *self = TP_WINDOW (widget);
  const char *name = g_variant_get_string (parameter, NULL);
  GtkWidget *child = adw_view_stack_get_child_by_name (self->views, name);

  if (child == NULL || !adw_view_stack_page_get_visible (adw_view_stack_get_page (self->views, child)))
    return;
  adw_view_stack_set_visible_child_name (self->views, name);
  gtk_widget_grab_focus (child);
}

static void
toggle_side_panel_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  TpWindow *self = TP_WINDOW (widget);

  if (gtk_widget_get_visible (GTK_WIDGET (self->demo_button)))
    gtk_toggle_button_set_active (self->demo_button, !gtk_toggle_button_get_active (self->demo_button));
}

static gboolean
close_request_cb (GtkWindow *window)
{
  TpWindow *self = TP_WINDOW (window);

  /* a kiosk is closed by its operator, not by the officer */
  return self->kiosk;
}

static void
tp_window_dispose (GObject *object)
{
  TpWindow *self = TP_WINDOW (object);

  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_object (&self->wedge);
  g_clear_pointer (&self->escalations, g_hash_table_unref);
  g_clear_pointer (&self->remote_escalations, g_hash_table_unref);
  g_clear_object (&self->counter);
  g_clear_object (&self->session);
  g_clear_object (&self->terminal);
  gtk_widget_dispose_template (GTK_WIDGET (self), TP_TYPE_WINDOW);
  G_OBJECT_CLASS (tp_window_parent_class)->dispose (object);
}

static void
tp_window_finalize (GObject *object)
{
  TpWindow *self = TP_WINDOW (object);

  g_free (self->airport);
  G_OBJECT_CLASS (tp_window_parent_class)->finalize (object);
}

static void
tp_window_class_init (TpWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = tp_window_dispose;
  object_class->finalize = tp_window_finalize;
  window_class->close_request = close_request_cb;

  g_type_ensure (TP_TYPE_CAMERA_PAGE);
  g_type_ensure (TP_TYPE_CASE_PAGE);
  g_type_ensure (TP_TYPE_LOGIN_PAGE);
  g_type_ensure (TP_TYPE_MRZ_ENTRY);
  g_type_ensure (TP_TYPE_QUEUE_PAGE);
  g_type_ensure (TP_TYPE_STATUS_BAR);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/touchpoint/Touchpoint/tp-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TpWindow, toasts);
  gtk_widget_class_bind_template_child (widget_class, TpWindow, header);
  gtk_widget_class_bind_template_child (widget_class, TpWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, TpWindow, demo_button);
  gtk_widget_class_bind_template_child (widget_class, TpWindow, place_label);
  gtk_widget_class_bind_template_child (widget_class, TpWindow, lock_button);
  gtk_widget_class_bind_template_child (widget_class, TpWindow, officer_badge);
  gtk_widget_class_bind_template_child (widget_class, TpWindow, officer_label);
  gtk_widget_class_bind_template_child (widget_class, TpWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, TpWindow, login_page);
  gtk_widget_class_bind_template_child (widget_class, TpWindow, flap);
  gtk_widget_class_bind_template_child (widget_class, TpWindow, side_panel);
  gtk_widget_class_bind_template_child (widget_class, TpWindow, views);
  gtk_widget_class_bind_template_child (widget_class, TpWindow, queue_stack_page);
  gtk_widget_class_bind_template_child (widget_class, TpWindow, camera_stack_page);
  gtk_widget_class_bind_template_child (widget_class, TpWindow, camera_page);
  gtk_widget_class_bind_template_child (widget_class, TpWindow, case_page);
  gtk_widget_class_bind_template_child (widget_class, TpWindow, mrz_entry);
  gtk_widget_class_bind_template_child (widget_class, TpWindow, queue_page);
  gtk_widget_class_bind_template_child (widget_class, TpWindow, status_bar);
  gtk_widget_class_bind_template_callback (widget_class, signed_in_cb);
  gtk_widget_class_bind_template_callback (widget_class, camera_boarding_pass_cb);
  gtk_widget_class_bind_template_callback (widget_class, mrz_entered_cb);
  gtk_widget_class_bind_template_callback (widget_class, decision_cb);
  gtk_widget_class_bind_template_callback (widget_class, note_cb);

  gtk_widget_class_install_action (widget_class, "win.lock", NULL, lock_action);
  gtk_widget_class_install_action (widget_class, "win.sign-out", NULL, sign_out_action);
  gtk_widget_class_install_action (widget_class, "win.next-traveller", NULL, next_traveller_action);
  gtk_widget_class_install_action (widget_class, "win.view", "s", view_action);
  gtk_widget_class_install_action (widget_class, "win.toggle-side-panel", NULL, toggle_side_panel_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_l, GDK_CONTROL_MASK, "win.lock", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "win.next-traveller", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1, GDK_CONTROL_MASK, "win.view", "s", "counter");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_2, GDK_CONTROL_MASK, "win.view", "s", "manual");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_m, GDK_CONTROL_MASK, "win.view", "s", "manual");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_3, GDK_CONTROL_MASK, "win.view", "s", "camera");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_4, GDK_CONTROL_MASK, "win.view", "s", "queue");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F9, 0, "win.toggle-side-panel", NULL);
}

static void
tp_window_init (TpWindow *self)
{
  GtkEventController *key;
  GtkGesture *click;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->escalations = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->remote_escalations = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_signal_connect_object (self->queue_page, "open", G_CALLBACK (queue_open_cb), self, G_CONNECT_SWAPPED);
  g_object_bind_property (self->demo_button, "active", self->flap, "reveal-flap", G_BINDING_BIDIRECTIONAL);

  key = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (key, GTK_PHASE_CAPTURE);
  g_signal_connect_swapped (key, "key-pressed", G_CALLBACK (activity_key_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), key);
  click = gtk_gesture_click_new ();
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (click), GTK_PHASE_CAPTURE);
  g_signal_connect_swapped (click, "pressed", G_CALLBACK (activity_click_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));

  self->wedge = tp_wedge_new ();
  tp_wedge_attach (self->wedge, GTK_WINDOW (self));
  g_signal_connect_object (self->wedge, "mrz", G_CALLBACK (wedge_mrz_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->wedge, "boarding-pass", G_CALLBACK (wedge_boarding_pass_cb), self,
                           G_CONNECT_SWAPPED);
}

TpWindow *
tp_window_new (GtkApplication *application,
               TpTerminal     *terminal,
               TpSession      *session)
{
  TpWindow *self;

  g_return_val_if_fail (GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (TP_IS_TERMINAL (terminal), NULL);
  g_return_val_if_fail (TP_IS_SESSION (session), NULL);

  self = g_object_new (TP_TYPE_WINDOW, "application", application, NULL);
  self->terminal = g_object_ref (terminal);
  self->session = g_object_ref (session);
  tp_status_bar_set_terminal (self->status_bar, terminal);
  tp_login_page_set_accounts (self->login_page, tp_terminal_get_accounts (terminal));
  g_signal_connect_object (session, "notify", G_CALLBACK (session_notify_cb), self, G_CONNECT_SWAPPED);
  update_session (self);
  return self;
}

void
tp_window_set_kiosk (TpWindow *self,
                     gboolean  kiosk)
{
  g_return_if_fail (TP_IS_WINDOW (self));

  self->kiosk = kiosk;
  adw_header_bar_set_show_start_title_buttons (self->header, !kiosk);
  adw_header_bar_set_show_end_title_buttons (self->header, !kiosk);
  gtk_window_set_deletable (GTK_WINDOW (self), !kiosk);
  if (kiosk)
    gtk_window_fullscreen (GTK_WINDOW (self));
  else
    gtk_window_unfullscreen (GTK_WINDOW (self));
}

void
tp_window_set_place (TpWindow   *self,
                     const char *airport,
                     const char *terminal_id)
{
  g_autofree char *text = NULL;

  g_return_if_fail (TP_IS_WINDOW (self));

  g_free (self->airport);
  self->airport = g_strdup (airport);
  if (terminal_id != NULL && terminal_id[0] != '\0')
    text = g_strdup_printf ("%s · %s", airport, terminal_id);
  else
    text = g_strdup (airport);
  gtk_label_set_label (self->place_label, text);
}

void
tp_window_set_login_hint (TpWindow   *self,
                          const char *hint)
{
  g_return_if_fail (TP_IS_WINDOW (self));

  tp_login_page_set_hint (self->login_page, hint);
}

void
tp_window_set_side_panel (TpWindow  *self,
                          GtkWidget *panel)
{
  GtkWidget *child;

  g_return_if_fail (TP_IS_WINDOW (self));

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->side_panel))) != NULL)
    gtk_box_remove (self->side_panel, child);
  if (panel != NULL)
    {
      gtk_widget_set_vexpand (panel, TRUE);
      gtk_box_append (self->side_panel, panel);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->demo_button), panel != NULL);
  gtk_toggle_button_set_active (self->demo_button, panel != NULL);
}

void
tp_window_set_camera (TpWindow   *self,
                      const char *source)
{
  g_return_if_fail (TP_IS_WINDOW (self));

  tp_camera_page_set_source (self->camera_page, source);
  adw_view_stack_page_set_visible (self->camera_stack_page, source != NULL && source[0] != '\0');
}

void
tp_window_show_toast (TpWindow   *self,
                      const char *text)
{
  g_return_if_fail (TP_IS_WINDOW (self));

  adw_toast_overlay_add_toast (self->toasts, adw_toast_new (text));
}

/* An escalation event's row in the queue. */
static void
queue_add (TpWindow   *self,
           JsonObject *event,
           const char *terminal)
{
  const char *id = json_object_get_string_member_with_default (event, "id", "");
  const char *verdict = json_object_get_string_member_with_default (event, "verdict", "");
  g_autoptr(GDateTime) at = g_date_time_new_from_iso8601 (json_object_get_string_member_with_default (event, "at", ""),
                                                           NULL);
  int v = g_str_equal (verdict, "CLEAR") ? TP_VERDICT_CLEAR : g_str_equal (verdict, "REVIEW") ? TP_VERDICT_REVIEW :
          g_str_equal (verdict, "REFER") ? TP_VERDICT_REFER : g_str_equal (verdict, "STOP") ? TP_VERDICT_STOP :
          TP_VERDICT_NONE;

  tp_queue_page_add (self->queue_page, id, at != NULL ? g_date_time_to_unix (at) : g_get_real_time () / G_USEC_PER_SEC,
                     terminal, json_object_get_string_member_with_default (event, "officer", ""), v,
                     json_object_get_string_member_with_default (event, "reason", ""));
}

/* Escalations raised at this terminal go to its supervisors' queue, with
 * their case; a resolve takes them out. */
static void
event_recorded_cb (TpWindow     *self,
                   JsonNode     *node,
                   TpCheckpoint *checkpoint)
{
  JsonObject *event = json_node_get_object (node);
  const char *type = json_object_get_string_member_with_default (event, "type", "");
  const char *id = json_object_get_string_member_with_default (event, "id", NULL);
  TpCase *kase = self->counter != NULL ? tp_counter_get_case (self->counter) : NULL;

  if (g_str_equal (type, "escalation") && id != NULL && kase != NULL &&
      g_strcmp0 (tp_case_get_id (kase), json_object_get_string_member_with_default (event, "case_id", "")) == 0)
    {
      g_hash_table_insert (self->escalations, g_strdup (id), g_object_ref (kase));
      queue_add (self, event, tp_checkpoint_get_terminal_id (checkpoint));
    }
  else if (g_str_equal (type, "decision") &&
           g_strcmp0 (json_object_get_string_member_with_default (event, "action", ""), "resolve") == 0 &&
           json_object_has_member (event, "escalation") && !json_object_get_null_member (event, "escalation"))
    {
      const char *escalation = json_object_get_string_member (event, "escalation");

      tp_queue_page_remove (self->queue_page, escalation);
      g_hash_table_remove (self->escalations, escalation);
    }
}

static void
queue_open_cb (TpWindow   *self,
               const char *escalation_id)
{
  TpCase *kase = g_hash_table_lookup (self->escalations, escalation_id);
  const char *terminal = g_hash_table_lookup (self->remote_escalations, escalation_id);

  if (kase == NULL && terminal != NULL)
    {
      /* TRANSLATORS: %s is a terminal's name (HAN-T2-EXIT-07) */
      g_autofree char *text = g_strdup_printf (_("This case is open at terminal %s: take it over there"), terminal);

      tp_window_show_toast (self, text);
      return;
    }
  if (kase == NULL || self->counter == NULL || !tp_session_get_active (self->session))
    return;
  /* the supervisor takes the case over: later events carry their name */
  tp_case_set_officer (kase, tp_session_get_officer_id (self->session), tp_session_get_role (self->session));
  tp_counter_set_case (self->counter, kase);
  adw_view_stack_set_visible_child_name (self->views, "counter");
}

void
tp_window_add_escalation (TpWindow *self,
                          JsonNode *node)
{
  JsonObject *event;
  const char *id, *terminal;

  g_return_if_fail (TP_IS_WINDOW (self));
  g_return_if_fail (node != NULL);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return;
  event = json_node_get_object (node);
  id = json_object_get_string_member_with_default (event, "id", NULL);
  terminal = json_object_get_string_member_with_default (event, "terminal", "");
  /* this terminal's own come back through the hub: already queued */
  if (id == NULL || g_hash_table_contains (self->escalations, id) ||
      g_hash_table_contains (self->remote_escalations, id))
    return;
  g_hash_table_insert (self->remote_escalations, g_strdup (id), g_strdup (terminal));
  queue_add (self, event, terminal);
}

void
tp_window_set_counter (TpWindow  *self,
                       TpCounter *counter)
{
  g_return_if_fail (TP_IS_WINDOW (self));

  if (self->counter != NULL)
    g_signal_handlers_disconnect_by_data (tp_counter_get_checkpoint (self->counter), self);
  g_set_object (&self->counter, counter);
  tp_case_page_set_counter (self->case_page, counter);
  if (counter != NULL)
    {
      tp_counter_set_officer (counter, tp_session_get_officer_id (self->session), tp_session_get_role (self->session));
      g_signal_connect_object (tp_counter_get_checkpoint (counter), "event-recorded",
                               G_CALLBACK (event_recorded_cb), self, G_CONNECT_SWAPPED);
    }
}

TpCounter *
tp_window_get_counter (TpWindow *self)
{
  g_return_val_if_fail (TP_IS_WINDOW (self), NULL);

  return self->counter;
}

static void
show_error (TpWindow     *self,
            const GError *error)
{
  tp_window_show_toast (self, error->message);
}

void
tp_window_present_boarding_pass (TpWindow   *self,
                                 const char *text)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (TP_IS_WINDOW (self));

  if (self->counter == NULL)
    {
      tp_window_show_toast (self, _("The terminal is still opening its store: scan again in a moment"));
      return;
    }
  adw_view_stack_set_visible_child_name (self->views, "counter");
  if (!tp_counter_present_boarding_pass (self->counter, text, &error))
    show_error (self, error);
}

void
tp_window_present_mrz (TpWindow   *self,
                       const char *text)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (TP_IS_WINDOW (self));

  if (self->counter == NULL)
    {
      tp_window_show_toast (self, _("The terminal is still opening its store: present the passport again in a moment"));
      return;
    }
  if (!tp_counter_present_mrz (self->counter, text, &error) &&
      (tp_counter_get_case (self->counter) == NULL || tp_case_get_printed_mrz (tp_counter_get_case (self->counter)) == NULL))
    {
      /* not an MRZ a case takes (a check digit fails): let the officer correct it */
      tp_mrz_entry_set_text (self->mrz_entry, text);
      adw_view_stack_set_visible_child_name (self->views, "manual");
      show_error (self, error);
      return;
    }
  if (error != NULL)
    show_error (self, error);
  tp_mrz_entry_clear (self->mrz_entry);
  adw_view_stack_set_visible_child_name (self->views, "counter");
}

TpCasePage *
tp_window_get_case_page (TpWindow *self)
{
  g_return_val_if_fail (TP_IS_WINDOW (self), NULL);
  return self->case_page;
}

TpLoginPage *
tp_window_get_login_page (TpWindow *self)
{
  g_return_val_if_fail (TP_IS_WINDOW (self), NULL);
  return self->login_page;
}

TpMrzEntry *
tp_window_get_mrz_entry (TpWindow *self)
{
  g_return_val_if_fail (TP_IS_WINDOW (self), NULL);
  return self->mrz_entry;
}

TpQueuePage *
tp_window_get_queue_page (TpWindow *self)
{
  g_return_val_if_fail (TP_IS_WINDOW (self), NULL);
  return self->queue_page;
}

TpStatusBar *
tp_window_get_status_bar (TpWindow *self)
{
  g_return_val_if_fail (TP_IS_WINDOW (self), NULL);
  return self->status_bar;
}

TpCameraPage *
tp_window_get_camera_page (TpWindow *self)
{
  g_return_val_if_fail (TP_IS_WINDOW (self), NULL);
  return self->camera_page;
}

TpWedge *
tp_window_get_wedge (TpWindow *self)
{
  g_return_val_if_fail (TP_IS_WINDOW (self), NULL);
  return self->wedge;
}

const char *
tp_window_get_screen (TpWindow *self)
{
  g_return_val_if_fail (TP_IS_WINDOW (self), NULL);
  return gtk_stack_get_visible_child_name (self->main_stack);
}

const char *
tp_window_get_view (TpWindow *self)
{
  g_return_val_if_fail (TP_IS_WINDOW (self), NULL);
  return adw_view_stack_get_visible_child_name (self->views);
}
