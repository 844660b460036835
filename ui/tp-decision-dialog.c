/* tp-decision-dialog.c: asking for what a decision needs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "tp-decision-dialog.h"
#include "tp-decisions.h"

struct _TpDecisionDialog
{
  AdwMessageDialog  parent_instance;

  GtkWidget        *notice_box;
  GtkLabel         *notice_label;
  GtkEntry         *notice_entry;
  GtkWidget        *entry_box;
  GtkDropDown      *entry_dropdown;
  GtkWidget        *category_box;
  GtkDropDown      *category_dropdown;
  GtkWidget        *reason_box;
  GtkLabel         *reason_title;
  GtkEntry         *reason;

  TpCase           *kase;
  TpRoles           role;
  TpDecisionAction  action;
  gboolean          escalate;          /* the escalation, not a decision */
  gboolean          reason_required;
  char             *notice;            /* from the STOP hit, or NULL */
  char             *escalation_id;     /* resolve: the escalation, or NULL */
  GPtrArray        *entries;           /* TpHitView*: the entries offered */
};

G_DEFINE_FINAL_TYPE (TpDecisionDialog, tp_decision_dialog, ADW_TYPE_MESSAGE_DIALOG)

static gboolean
text_empty (GtkEntry *entry)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry))));

  return text[0] == '\0';
}

static void
changed_cb (TpDecisionDialog *self)
{
  if (!adw_message_dialog_has_response (ADW_MESSAGE_DIALOG (self), "confirm"))
    return;
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "confirm",
                                           tp_decision_dialog_get_ready (self));
}

/* The last escalation of the case that no resolve answered. */
static char *
open_escalation (TpCase *kase)
{
  GPtrArray *events = tp_case_get_events (kase);
  g_autoptr(GHashTable) resolved = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < events->len; i++)
    {
      JsonObject *e = json_node_get_object (g_ptr_array_index (events, i));

      if (g_strcmp0 (json_object_get_string_member_with_default (e, "action", ""), "resolve") == 0 &&
          json_object_has_member (e, "escalation") && !json_object_get_null_member (e, "escalation"))
        g_hash_table_add (resolved, (gpointer) json_object_get_string_member (e, "escalation"));
    }
  for (guint i = events->len; i > 0; i--)
    {
      JsonObject *e = json_node_get_object (g_ptr_array_index (events, i - 1));
      const char *id = json_object_get_string_member_with_default (e, "id", NULL);

      if (g_strcmp0 (json_object_get_string_member_with_default (e, "type", ""), "escalation") == 0 &&
          id != NULL && !g_hash_table_contains (resolved, id))
        return g_strdup (id);
    }
  return NULL;
}

static void
tp_decision_dialog_dispose (GObject *object)
{
  TpDecisionDialog *self = TP_DECISION_DIALOG (object);

  g_clear_object (&self->kase);
  g_clear_pointer (&self->entries, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), TP_TYPE_DECISION_DIALOG);
  G_OBJECT_CLASS (tp_decision_dialog_parent_class)->dispose (object);
}

static void
tp_decision_dialog_finalize (GObject *object)
{
  TpDecisionDialog *self = TP_DECISION_DIALOG (object);

  g_free (self->notice);
  g_free (self->escalation_id);
  G_OBJECT_CLASS (tp_decision_dialog_parent_class)->finalize (object);
}

static void
tp_decision_dialog_class_init (TpDecisionDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tp_decision_dialog_dispose;
  object_class->finalize = tp_decision_dialog_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/touchpoint/Touchpoint/tp-decision-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, TpDecisionDialog, notice_box);
  gtk_widget_class_bind_template_child (widget_class, TpDecisionDialog, notice_label);
  gtk_widget_class_bind_template_child (widget_class, TpDecisionDialog, notice_entry);
  gtk_widget_class_bind_template_child (widget_class, TpDecisionDialog, entry_box);
  gtk_widget_class_bind_template_child (widget_class, TpDecisionDialog, entry_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TpDecisionDialog, category_box);
  gtk_widget_class_bind_template_child (widget_class, TpDecisionDialog, category_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TpDecisionDialog, reason_box);
  gtk_widget_class_bind_template_child (widget_class, TpDecisionDialog, reason_title);
  gtk_widget_class_bind_template_child (widget_class, TpDecisionDialog, reason);
  gtk_widget_class_bind_template_callback (widget_class, changed_cb);
}

static void
tp_decision_dialog_init (TpDecisionDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) tp_hit_view_free);
}

/* The dialog's text and fields for one decision. */
static void
set_up (TpDecisionDialog *self)
{
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (self);
  g_autoptr(GPtrArray) views = tp_case_dup_hit_views (self->kase, self->role, NULL);
  const char *label = self->escalate ? _("Escalate") : tp_decisions_action_label (tp_decision_action_to_string (self->action));
  const char *body = NULL;
  const char *reason_title = _("Reason (optional)");
  AdwResponseAppearance appearance = ADW_RESPONSE_SUGGESTED;

  adw_message_dialog_set_heading (dialog, label);
  if (self->escalate)
    {
      body = _("The case goes to the supervisors' queue. Say what they must decide.");
      reason_title = _("Reason for the supervisor");
      self->reason_required = TRUE;
    }
  else
    switch (self->action)
      {
      case TP_DECISION_ALLOW_EXIT:
        body = tp_case_get_verdict (self->kase) == TP_VERDICT_CLEAR
               ? _("The traveller leaves through the checkpoint.")
               : _("The verdict is not CLEAR: allow exit only after the checks the hits ask for.");
        break;
      case TP_DECISION_DENY_EXIT:
        appearance = ADW_RESPONSE_DESTRUCTIVE;
        body = _("The traveller may not leave. Hand over the notice reference below: it tells the traveller "
                 "which authority to contact.");
        for (guint i = 0; views != NULL && i < views->len && self->notice == NULL; i++)
          {
            const TpHitView *view = g_ptr_array_index (views, i);

            if (view->visible && view->action == TP_ACTION_DENY_EXIT && view->basis_reference != NULL)
              self->notice = g_strdup (view->basis_reference);
          }
        gtk_widget_set_visible (self->notice_box, TRUE);
        if (self->notice != NULL)
          gtk_label_set_label (self->notice_label, self->notice);
        else
          {
            gtk_widget_set_visible (GTK_WIDGET (self->notice_label), FALSE);
            gtk_widget_set_visible (GTK_WIDGET (self->notice_entry), TRUE);
          }
        break;
      case TP_DECISION_REFER_CUSTOMS:
        body = _("The traveller goes to the customs officer, with this case.");
        break;
      case TP_DECISION_REFER_IMMIGRATION:
        body = _("The traveller goes to the immigration officer, with this case.");
        break;
      case TP_DECISION_SELECT_SCREENING:
        appearance = ADW_RESPONSE_DESTRUCTIVE;
        body = _("The traveller and the baggage go to the red channel for screening.");
        break;
      case TP_DECISION_RECORD_FINDINGS:
        body = _("What the screening found, for both agencies.");
        gtk_widget_set_visible (self->category_box, TRUE);
        reason_title = _("What was found (free text)");
        break;
      case TP_DECISION_RESOLVE:
        self->escalation_id = open_escalation (self->kase);
        body = self->escalation_id != NULL ? _("The escalation is answered and leaves the queue.")
                                           : _("This case has no escalation waiting: nothing to resolve.");
        break;
      case TP_DECISION_OVERRIDE:
        appearance = ADW_RESPONSE_DESTRUCTIVE;
        body = _("The supervisor's decision replaces the verdict. It is recorded with the reason, for both "
                 "agencies and the audit.");
        reason_title = _("Reason (mandatory)");
        self->reason_required = TRUE;
        break;
      case TP_DECISION_CLEAR_FALSE_POSITIVE:
        body = _("This document is not the person on the list entry: the pair is cleared, and the entry no "
                 "longer hits this document until the entry changes.");
        reason_title = _("Reason (mandatory)");
        self->reason_required = TRUE;
        gtk_widget_set_visible (self->entry_box, TRUE);
        break;
      case TP_DECISION_ESCALATE:
      default:
        break;
      }

  if (self->action == TP_DECISION_CLEAR_FALSE_POSITIVE && !self->escalate)
    {
      g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);

      for (guint i = 0; views != NULL && i < views->len; i++)
        {
          TpHitView *view = g_ptr_array_index (views, i);
          g_autofree char *name = NULL;

          if (!view->visible)
            continue;
          name = g_strdup_printf ("%s (v%u) · %s", view->entry_id, view->entry_version,
                                  view->full_name != NULL ? view->full_name : "");
          gtk_string_list_append (names, name);
          g_ptr_array_add (self->entries, g_steal_pointer (&g_ptr_array_index (views, i)));
        }
      gtk_drop_down_set_model (self->entry_dropdown, G_LIST_MODEL (names));
    }
  if (self->action == TP_DECISION_RECORD_FINDINGS && !self->escalate)
    {
      g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);

      for (guint i = 0; i < tp_decisions_n_categories (); i++)
        gtk_string_list_append (names, tp_decisions_category_label (tp_decisions_category_id (i)));
      gtk_drop_down_set_model (self->category_dropdown, G_LIST_MODEL (names));
    }

  adw_message_dialog_set_body (dialog, body != NULL ? body : "");
  gtk_label_set_label (self->reason_title, reason_title);
  adw_message_dialog_add_responses (dialog, "cancel", _("Cancel"), "confirm", label, NULL);
  adw_message_dialog_set_response_appearance (dialog, "confirm", appearance);
  adw_message_dialog_set_default_response (dialog, "confirm");
  adw_message_dialog_set_close_response (dialog, "cancel");
  changed_cb (self);
}

TpDecisionDialog *
tp_decision_dialog_new (GtkWindow  *parent,
                        TpCase     *kase,
                        TpRoles     role,
                        const char *action)
{
  TpDecisionDialog *self;

  g_return_val_if_fail (TP_IS_CASE (kase), NULL);
  g_return_val_if_fail (action != NULL, NULL);

  self = g_object_new (TP_TYPE_DECISION_DIALOG, "transient-for", parent, NULL);
  self->kase = g_object_ref (kase);
  self->role = role;
  if (!tp_decision_action_from_string (action, &self->action))
    g_return_val_if_reached (self);
  self->escalate = self->action == TP_DECISION_ESCALATE;
  set_up (self);
  return self;
}

const char *
tp_decision_dialog_get_action (TpDecisionDialog *self)
{
  g_return_val_if_fail (TP_IS_DECISION_DIALOG (self), NULL);

  return tp_decision_action_to_string (self->action);
}

const char *
tp_decision_dialog_get_notice (TpDecisionDialog *self)
{
  g_return_val_if_fail (TP_IS_DECISION_DIALOG (self), NULL);

  return self->notice;
}

void
tp_decision_dialog_set_reason (TpDecisionDialog *self,
                               const char       *reason)
{
  g_return_if_fail (TP_IS_DECISION_DIALOG (self));

  gtk_editable_set_text (GTK_EDITABLE (self->reason), reason != NULL ? reason : "");
}

gboolean
tp_decision_dialog_get_ready (TpDecisionDialog *self)
{
  g_return_val_if_fail (TP_IS_DECISION_DIALOG (self), FALSE);

  if (self->reason_required && text_empty (self->reason))
    return FALSE;
  if (self->escalate)
    return TRUE;
  switch (self->action)
    {
    case TP_DECISION_DENY_EXIT:
      return self->notice != NULL || !text_empty (self->notice_entry);
    case TP_DECISION_RESOLVE:
      return self->escalation_id != NULL;
    case TP_DECISION_CLEAR_FALSE_POSITIVE:
      return gtk_drop_down_get_selected (self->entry_dropdown) < self->entries->len;
    case TP_DECISION_ALLOW_EXIT:
    case TP_DECISION_REFER_CUSTOMS:
    case TP_DECISION_REFER_IMMIGRATION:
    case TP_DECISION_ESCALATE:
    case TP_DECISION_SELECT_SCREENING:
    case TP_DECISION_RECORD_FINDINGS:
    case TP_DECISION_OVERRIDE:
    default:
      return TRUE;
    }
}

gboolean
tp_decision_dialog_apply (TpDecisionDialog  *self,
                          GError           **error)
{
  g_autofree char *reason = NULL;
  g_autofree char *notice = NULL;
  TpDecision decision = { 0, };

  g_return_val_if_fail (TP_IS_DECISION_DIALOG (self), FALSE);

  reason = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->reason))));
  if (self->escalate)
    {
      g_autofree char *id = tp_case_escalate (self->kase, reason, error);

      return id != NULL;
    }
  decision.action = self->action;
  decision.reason = reason[0] != '\0' ? reason : NULL;
  switch (self->action)
    {
    case TP_DECISION_DENY_EXIT:
      notice = self->notice != NULL ? g_strdup (self->notice)
                                    : g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->notice_entry))));
      decision.notice_reference = notice;
      break;
    case TP_DECISION_RECORD_FINDINGS:
      decision.category = tp_decisions_category_id (MIN (gtk_drop_down_get_selected (self->category_dropdown),
                                                         tp_decisions_n_categories () - 1));
      break;
    case TP_DECISION_RESOLVE:
      decision.escalation = self->escalation_id;
      break;
    case TP_DECISION_CLEAR_FALSE_POSITIVE:
      {
        guint i = gtk_drop_down_get_selected (self->entry_dropdown);

        if (i < self->entries->len)
          {
            const TpHitView *view = g_ptr_array_index (self->entries, i);

            decision.entry_id = view->entry_id;
            decision.entry_version = view->entry_version;
          }
        break;
      }
    case TP_DECISION_ALLOW_EXIT:
    case TP_DECISION_REFER_CUSTOMS:
    case TP_DECISION_REFER_IMMIGRATION:
    case TP_DECISION_ESCALATE:
    case TP_DECISION_SELECT_SCREENING:
    case TP_DECISION_OVERRIDE:
    default:
      break;
    }
  return tp_case_decide (self->kase, &decision, error);
}
