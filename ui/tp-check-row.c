/* tp-check-row.c: one check as a row
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "tp-check-row.h"

struct _TpCheckRow
{
  AdwActionRow     parent_instance;

  GtkImage        *icon;
  GtkLabel        *state_label;
  TpCheckRowState  state;
};

G_DEFINE_FINAL_TYPE (TpCheckRow, tp_check_row, ADW_TYPE_ACTION_ROW)

static const char * const state_classes[] = {
  "check-passed", "check-failed", "check-warning", "check-unknown",
};

static const char * const state_icons[] = {
  "tp-check-passed-symbolic", "tp-check-failed-symbolic",
  "dialog-warning-symbolic", "tp-check-unknown-symbolic",
};

static void
tp_check_row_class_init (TpCheckRowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/touchpoint/Touchpoint/tp-check-row.ui");
  gtk_widget_class_bind_template_child (widget_class, TpCheckRow, icon);
  gtk_widget_class_bind_template_child (widget_class, TpCheckRow, state_label);
}

static void
tp_check_row_init (TpCheckRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

const char *
tp_check_row_state_word (TpCheckRowState state)
{
  switch (state)
    {
    case TP_CHECK_ROW_PASSED:
      return C_("check", "Passed");
    case TP_CHECK_ROW_FAILED:
      return C_("check", "FAILED");
    case TP_CHECK_ROW_WARNING:
      return C_("check", "Warning");
    case TP_CHECK_ROW_NOT_CHECKED:
    default:
      return C_("check", "Not checked");
    }
}

GtkWidget *
tp_check_row_new (const char      *title,
                  TpCheckRowState  state,
                  const char      *reason)
{
  TpCheckRow *self = g_object_new (TP_TYPE_CHECK_ROW, "title", title, NULL);

  tp_check_row_set_state (self, state, reason);
  return GTK_WIDGET (self);
}

void
tp_check_row_set_state (TpCheckRow      *self,
                        TpCheckRowState  state,
                        const char      *reason)
{
  g_autofree char *name = NULL;

  g_return_if_fail (TP_IS_CHECK_ROW (self));
  g_return_if_fail ((guint) state < G_N_ELEMENTS (state_classes));

  self->state = state;
  for (guint i = 0; i < G_N_ELEMENTS (state_classes); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self), state_classes[i]);
  gtk_widget_add_css_class (GTK_WIDGET (self), state_classes[state]);
  gtk_image_set_from_icon_name (self->icon, state_icons[state]);
  gtk_label_set_label (self->state_label, tp_check_row_state_word (state));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), reason != NULL ? reason : "");

  /* TRANSLATORS: a check's name for screen readers: "Passive authentication: FAILED" */
  name = g_strdup_printf (_("%s: %s"), adw_preferences_row_get_title (ADW_PREFERENCES_ROW (self)),
                          tp_check_row_state_word (state));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, reason != NULL ? reason : "",
                                  -1);
}

TpCheckRowState
tp_check_row_get_state (TpCheckRow *self)
{
  g_return_val_if_fail (TP_IS_CHECK_ROW (self), TP_CHECK_ROW_NOT_CHECKED);

  return self->state;
}
