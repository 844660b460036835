/* tp-case-page.c: one traveller, one case
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "tp-case-page.h"
#include "tp-check-row.h"

struct _TpCasePage
{
  GtkWidget        parent_instance;

  GtkWidget       *scroller;
  TpVerdictBanner *banner;
  GtkPicture      *face;
  GtkLabel        *identity;
  GtkWidget       *chip_progress_box;
  GtkLabel        *chip_progress_label;
  GtkProgressBar  *chip_progress;
  GtkListBox      *checks;
  GtkListBox      *legs;
  GtkListBox      *journey_checks;
  GtkBox          *hits;
  GtkFlowBox      *actions;
  GtkListBox      *timeline;
  GtkEntry        *note;

  TpRoles          role;
  char            *airport;
  gboolean         has_case;
};

enum {
  DECISION,
  NOTE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (TpCasePage, tp_case_page, GTK_TYPE_WIDGET)

/* Every decision of the event contract, in button order, and who takes it. */
static const struct {
  const char *action;
  const char *label;
  TpRoles     roles;
  const char *style;
} decisions[] = {
  { "allow_exit",           N_("Allow exit"),           TP_ROLE_IMMIGRATION, "suggested-action" },
  { "deny_exit",            N_("Deny exit"),            TP_ROLE_IMMIGRATION, "destructive-action" },
  { "refer_customs",        N_("Refer to customs"),     TP_ROLE_IMMIGRATION, NULL },
  { "select_screening",     N_("Select for screening"), TP_ROLE_CUSTOMS,     "destructive-action" },
  { "record_findings",      N_("Record findings"),      TP_ROLE_CUSTOMS,     NULL },
  { "refer_immigration",    N_("Refer to immigration"), TP_ROLE_CUSTOMS,     NULL },
  { "escalate",             N_("Escalate"),             TP_ROLE_IMMIGRATION | TP_ROLE_CUSTOMS, NULL },
  { "resolve",              N_("Resolve"),              TP_ROLE_SUPERVISOR,  "suggested-action" },
  { "override",             N_("Override"),             TP_ROLE_SUPERVISOR,  "destructive-action" },
  { "clear_false_positive", N_("Clear false positive"), TP_ROLE_SUPERVISOR,  NULL },
};

/* Removes the rows, not the placeholder. */
static void
clear_list (GtkListBox *list)
{
  GtkListBoxRow *row;

  while ((row = gtk_list_box_get_row_at_index (list, 0)) != NULL)
    gtk_list_box_remove (list, GTK_WIDGET (row));
}

static void
clear_box (GtkBox *box)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (box))) != NULL)
    gtk_box_remove (box, child);
}

static GtkWidget *
placeholder (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_set_margin_top (label, 12);
  gtk_widget_set_margin_bottom (label, 12);
  gtk_widget_set_margin_start (label, 12);
  gtk_widget_set_margin_end (label, 12);
  return label;
}

static void
rebuild_actions (TpCasePage *self)
{
  GtkWidget *child;
  guint n = 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->actions))) != NULL)
    gtk_flow_box_remove (self->actions, child);

  for (guint i = 0; i < G_N_ELEMENTS (decisions); i++)
    {
      GtkWidget *button;
      g_autofree char *tooltip = NULL;

      if (!(decisions[i].roles & self->role))
        continue;
      n++;
      button = gtk_button_new_with_label (_(decisions[i].label));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "case.decide");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", decisions[i].action);
      gtk_widget_add_css_class (button, "big-button");
      if (decisions[i].style != NULL)
        gtk_widget_add_css_class (button, decisions[i].style);
      /* TRANSLATORS: the keyboard shortcut of a decision button */
      tooltip = g_strdup_printf (_("Alt+%u"), n);
      gtk_widget_set_tooltip_text (button, tooltip);
      gtk_flow_box_append (self->actions, button);
    }
  if (n == 0)
    gtk_flow_box_append (self->actions, placeholder (_("Sign in to take decisions")));
}

static void
update_enabled (TpCasePage *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "case.decide", self->has_case && self->role != 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "case.add-note", self->has_case && self->role != 0);
  gtk_editable_set_editable (GTK_EDITABLE (self->note), self->has_case && self->role != 0);
}

static void
decide_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  TpCasePage *self = TP_CASE_PAGE (widget);

  g_signal_emit (self, signals[DECISION], 0, g_variant_get_string (parameter, NULL));
}

static void
add_note_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  TpCasePage *self = TP_CASE_PAGE (widget);
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->note))));

  if (text[0] == '\0')
    return;
  g_signal_emit (self, signals[NOTE], 0, text);
  gtk_editable_set_text (GTK_EDITABLE (self->note), "");
}

static void
note_activate_cb (TpCasePage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "case.add-note", NULL);
}

/* Alt+N: the Nth decision button */
static gboolean
decision_shortcut_cb (GtkWidget *widget,
                      GVariant  *args,
                      gpointer   user_data)
{
  TpCasePage *self = TP_CASE_PAGE (widget);
  int index = g_variant_get_int32 (args);
  GtkFlowBoxChild *child = gtk_flow_box_get_child_at_index (self->actions, index);
  GtkWidget *button;

  if (child == NULL)
    return FALSE;
  button = gtk_flow_box_child_get_child (child);
  if (!GTK_IS_BUTTON (button) || !gtk_widget_is_sensitive (button))
    return FALSE;
  gtk_widget_activate (button);
  return TRUE;
}

static void
tp_case_page_dispose (GObject *object)
{
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (object), TP_TYPE_CASE_PAGE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (tp_case_page_parent_class)->dispose (object);
}

static void
tp_case_page_finalize (GObject *object)
{
  TpCasePage *self = TP_CASE_PAGE (object);

  g_free (self->airport);
  G_OBJECT_CLASS (tp_case_page_parent_class)->finalize (object);
}

static void
tp_case_page_class_init (TpCasePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tp_case_page_dispose;
  object_class->finalize = tp_case_page_finalize;

  /**
   * TpCasePage::decision:
   * @action: the action id ("allow_exit", "deny_exit"...)
   */
  signals[DECISION] = g_signal_new ("decision", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /**
   * TpCasePage::note:
   * @text: the note, trimmed, never empty
   */
  signals[NOTE] = g_signal_new ("note", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  g_type_ensure (TP_TYPE_VERDICT_BANNER);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/touchpoint/Touchpoint/tp-case-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TpCasePage, scroller);
  gtk_widget_class_bind_template_child (widget_class, TpCasePage, banner);
  gtk_widget_class_bind_template_child (widget_class, TpCasePage, face);
  gtk_widget_class_bind_template_child (widget_class, TpCasePage, identity);
  gtk_widget_class_bind_template_child (widget_class, TpCasePage, chip_progress_box);
  gtk_widget_class_bind_template_child (widget_class, TpCasePage, chip_progress_label);
  gtk_widget_class_bind_template_child (widget_class, TpCasePage, chip_progress);
  gtk_widget_class_bind_template_child (widget_class, TpCasePage, checks);
  gtk_widget_class_bind_template_child (widget_class, TpCasePage, legs);
  gtk_widget_class_bind_template_child (widget_class, TpCasePage, journey_checks);
  gtk_widget_class_bind_template_child (widget_class, TpCasePage, hits);
  gtk_widget_class_bind_template_child (widget_class, TpCasePage, actions);
  gtk_widget_class_bind_template_child (widget_class, TpCasePage, timeline);
  gtk_widget_class_bind_template_child (widget_class, TpCasePage, note);
  gtk_widget_class_bind_template_callback (widget_class, note_activate_cb);

  gtk_widget_class_install_action (widget_class, "case.decide", "s", decide_action);
  gtk_widget_class_install_action (widget_class, "case.add-note", NULL, add_note_action);
  for (int i = 0; i < 4; i++)
    gtk_widget_class_add_binding (widget_class, GDK_KEY_1 + i, GDK_ALT_MASK, decision_shortcut_cb, "i", i);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
tp_case_page_init (TpCasePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_list_box_set_placeholder (self->checks, placeholder (_("No document read yet")));
  gtk_list_box_set_placeholder (self->legs, placeholder (_("No boarding pass scanned yet")));
  gtk_list_box_set_placeholder (self->journey_checks, placeholder (_("Nothing to check yet")));
  gtk_list_box_set_placeholder (self->timeline, placeholder (_("Nothing on this case yet")));
  rebuild_actions (self);
  tp_case_page_reset (self);
}

GtkWidget *
tp_case_page_new (void)
{
  return g_object_new (TP_TYPE_CASE_PAGE, NULL);
}

void
tp_case_page_set_role (TpCasePage *self,
                       TpRoles     role)
{
  g_return_if_fail (TP_IS_CASE_PAGE (self));

  if (self->role == role)
    return;
  self->role = role;
  rebuild_actions (self);
  update_enabled (self);
}

void
tp_case_page_set_airport (TpCasePage *self,
                          const char *airport)
{
  g_return_if_fail (TP_IS_CASE_PAGE (self));

  g_free (self->airport);
  self->airport = g_strdup (airport);
}

void
tp_case_page_reset (TpCasePage *self)
{
  g_return_if_fail (TP_IS_CASE_PAGE (self));

  self->has_case = FALSE;
  tp_verdict_banner_set_verdict (self->banner, TP_VERDICT_NONE, NULL);
  gtk_picture_set_paintable (self->face, NULL);
  gtk_label_set_label (self->identity, _("No traveller yet"));
  gtk_widget_set_visible (self->chip_progress_box, FALSE);
  clear_list (self->checks);
  clear_list (self->legs);
  clear_list (self->journey_checks);
  clear_list (self->timeline);
  clear_box (self->hits);
  gtk_box_append (self->hits, placeholder (_("No traveller screened yet")));
  gtk_editable_set_text (GTK_EDITABLE (self->note), "");
  update_enabled (self);
}

TpVerdictBanner *
tp_case_page_get_banner (TpCasePage *self)
{
  g_return_val_if_fail (TP_IS_CASE_PAGE (self), NULL);

  return self->banner;
}

static TpCheckRowState
boarding_state (TpBoardingState state)
{
  switch (state)
    {
    case TP_BOARDING_OK:
      return TP_CHECK_ROW_PASSED;
    case TP_BOARDING_FAILED:
      return TP_CHECK_ROW_FAILED;
    case TP_BOARDING_UNKNOWN:
    default:
      return TP_CHECK_ROW_NOT_CHECKED;
    }
}

void
tp_case_page_show_boarding_pass (TpCasePage            *self,
                                 const TpBcbp          *pass,
                                 const TpBoardingCheck *check)
{
  g_autofree char *departs = NULL;

  g_return_if_fail (TP_IS_CASE_PAGE (self));
  g_return_if_fail (pass != NULL);

  clear_list (self->legs);
  clear_list (self->journey_checks);
  for (guint i = 0; i < pass->n_legs; i++)
    {
      const TpBcbpLeg *leg = &pass->legs[i];
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *title = NULL;
      g_autofree char *subtitle = NULL;
      char date[16] = "?";

      if (g_date_valid (&leg->flight_date))
        g_date_strftime (date, sizeof date, "%Y-%m-%d", &leg->flight_date);
      /* TRANSLATORS: a boarding pass leg: carrier, flight number, from → to */
      title = g_strdup_printf (_("%s %s  %s → %s"), leg->carrier, leg->flight_number, leg->from, leg->to);
      /* TRANSLATORS: a boarding pass leg: date, seat, passenger name as printed */
      subtitle = g_strdup_printf (_("%s, seat %s, passenger %s"), date, leg->seat, pass->passenger_name);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_set_icon_name (ADW_ACTION_ROW (row), "airplane-mode-symbolic");
      if (check != NULL && check->leg == (int) i)
        adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_label_new (_("This checkpoint")));
      gtk_list_box_append (self->legs, row);
    }

  /* TRANSLATORS: %s is this checkpoint's airport code */
  departs = g_strdup_printf (_("Departs from %s"), self->airport != NULL ? self->airport : "?");
  if (check != NULL)
    {
      g_autofree char *not_here = g_strdup_printf (_("No leg of this pass departs from %s"),
                                                   self->airport != NULL ? self->airport : "?");
      /* TRANSLATORS: %s is the passenger name printed on the boarding pass */
      g_autofree char *other_name = g_strdup_printf (_("The pass is for %s"), pass->passenger_name);

      gtk_list_box_append (self->journey_checks,
                           tp_check_row_new (departs, boarding_state (check->departs_here),
                                             check->departs_here == TP_BOARDING_FAILED ? not_here : NULL));
      gtk_list_box_append (self->journey_checks,
                           tp_check_row_new (_("Flight date today (±1 day)"), boarding_state (check->flight_date),
                                             check->flight_date == TP_BOARDING_FAILED
                                               ? _("The flight is on another day") : NULL));
      gtk_list_box_append (self->journey_checks,
                           tp_check_row_new (_("Name matches the passport"), boarding_state (check->name),
                                             check->name == TP_BOARDING_UNKNOWN ? _("No passport read yet") :
                                             check->name == TP_BOARDING_FAILED ? other_name : NULL));
    }
  for (guint i = 0; i < pass->errors->len; i++)
    {
      const TpBcbpIssue *issue = g_ptr_array_index (pass->errors, i);

      gtk_list_box_append (self->journey_checks,
                           tp_check_row_new (_("Boarding pass readable"), TP_CHECK_ROW_FAILED, issue->message));
    }
}

const char *
tp_case_page_action_label (const char *action)
{
  for (guint i = 0; i < G_N_ELEMENTS (decisions); i++)
    if (g_strcmp0 (decisions[i].action, action) == 0)
      return _(decisions[i].label);
  return NULL;
}

guint
tp_case_page_actions_for_role (TpRoles      role,
                               const char **out)
{
  guint n = 0;

  for (guint i = 0; i < G_N_ELEMENTS (decisions) && n < 8; i++)
    if (decisions[i].roles & role)
      out[n++] = decisions[i].action;
  out[n] = NULL;
  return n;
}
