/* tp-demo-panel.c: the demo's controls
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "tp-demo-panel.h"
#include "tp-demo-scenario.h"

struct _TpDemoPanel
{
  GtkWidget   parent_instance;

  GtkListBox *travellers;
  GtkWidget  *hub_box;
  GtkWidget  *ban_button;
  GtkWidget  *cancel_button;
  GtkLabel   *status;
};

enum {
  PRESENT,
  BAN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (TpDemoPanel, tp_demo_panel, GTK_TYPE_WIDGET)

static void
present_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  g_signal_emit (widget, signals[PRESENT], 0, g_variant_get_string (parameter, NULL));
}

static void
ban_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  g_signal_emit (widget, signals[BAN], 0, g_str_equal (action_name, "demo.ban"));
}

static void
tp_demo_panel_dispose (GObject *object)
{
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (object), TP_TYPE_DEMO_PANEL);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (tp_demo_panel_parent_class)->dispose (object);
}

static void
tp_demo_panel_class_init (TpDemoPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tp_demo_panel_dispose;

  /**
   * TpDemoPanel::present:
   * @scenario: the scenario id ("exit-ban"...)
   */
  signals[PRESENT] = g_signal_new ("present", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /**
   * TpDemoPanel::ban:
   * @issue: TRUE to issue the live exit ban, FALSE to cancel it
   */
  signals[BAN] = g_signal_new ("ban", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                               0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_BOOLEAN);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/touchpoint/Touchpoint/demo/tp-demo-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, TpDemoPanel, travellers);
  gtk_widget_class_bind_template_child (widget_class, TpDemoPanel, hub_box);
  gtk_widget_class_bind_template_child (widget_class, TpDemoPanel, ban_button);
  gtk_widget_class_bind_template_child (widget_class, TpDemoPanel, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, TpDemoPanel, status);
  gtk_widget_class_install_action (widget_class, "demo.present", "s", present_action);
  gtk_widget_class_install_action (widget_class, "demo.ban", NULL, ban_action);
  gtk_widget_class_install_action (widget_class, "demo.cancel-ban", NULL, ban_action);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
tp_demo_panel_init (TpDemoPanel *self)
{
  const TpDemoScenario *scenarios;
  guint n;

  gtk_widget_init_template (GTK_WIDGET (self));
  scenarios = tp_demo_scenarios (&n);
  for (guint i = 0; i < n; i++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *button = gtk_button_new_with_label (_(scenarios[i].title));
      g_autofree char *name = NULL;

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(scenarios[i].title));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _(scenarios[i].summary));
      gtk_button_set_label (GTK_BUTTON (button), _("Present"));
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "demo.present");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", scenarios[i].id);
      /* TRANSLATORS: the accessible name of a demo scenario's button; %s is
       * its id (clear, exit-ban...), which stays as it is */
      name = g_strdup_printf (_("Demo traveller: %s"), scenarios[i].id);
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
      gtk_list_box_append (self->travellers, row);
    }
  tp_demo_panel_set_hub (self, FALSE, FALSE);
}

GtkWidget *
tp_demo_panel_new (void)
{
  return g_object_new (TP_TYPE_DEMO_PANEL, NULL);
}

void
tp_demo_panel_set_status (TpDemoPanel *self,
                          const char  *text)
{
  g_return_if_fail (TP_IS_DEMO_PANEL (self));

  gtk_label_set_label (self->status, text != NULL ? text : "");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->status), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  text != NULL ? text : "", -1);
}

const char *
tp_demo_panel_get_status (TpDemoPanel *self)
{
  g_return_val_if_fail (TP_IS_DEMO_PANEL (self), NULL);

  return gtk_label_get_label (self->status);
}

void
tp_demo_panel_set_hub (TpDemoPanel *self,
                       gboolean     available,
                       gboolean     banned)
{
  g_return_if_fail (TP_IS_DEMO_PANEL (self));

  gtk_widget_set_visible (self->hub_box, available);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "demo.ban", available && !banned);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "demo.cancel-ban", available && banned);
}
