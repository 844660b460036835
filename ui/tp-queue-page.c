/* tp-queue-page.c: escalated cases for the supervisor
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "tp-queue-page.h"
#include "tp-verdict-banner.h"

struct _TpQueuePage
{
  GtkWidget   parent_instance;

  GtkListBox *list;
  GHashTable *rows;     /* escalation id → row (borrowed) */
};

enum {
  OPEN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (TpQueuePage, tp_queue_page, GTK_TYPE_WIDGET)

static void
open_clicked_cb (GtkButton   *button,
                 TpQueuePage *self)
{
  const char *id = g_object_get_data (G_OBJECT (button), "escalation-id");

  g_signal_emit (self, signals[OPEN], 0, id);
}

static void
tp_queue_page_dispose (GObject *object)
{
  TpQueuePage *self = TP_QUEUE_PAGE (object);
  GtkWidget *child;

  g_clear_pointer (&self->rows, g_hash_table_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), TP_TYPE_QUEUE_PAGE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (tp_queue_page_parent_class)->dispose (object);
}

static void
tp_queue_page_class_init (TpQueuePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tp_queue_page_dispose;

  /**
   * TpQueuePage::open:
   * @escalation_id: the escalation event's id
   */
  signals[OPEN] = g_signal_new ("open", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/touchpoint/Touchpoint/tp-queue-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TpQueuePage, list);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
tp_queue_page_init (TpQueuePage *self)
{
  GtkWidget *empty;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  empty = gtk_label_new (_("No escalation waiting"));
  gtk_widget_add_css_class (empty, "dim-label");
  gtk_widget_set_margin_top (empty, 24);
  gtk_widget_set_margin_bottom (empty, 24);
  gtk_list_box_set_placeholder (self->list, empty);
}

GtkWidget *
tp_queue_page_new (void)
{
  return g_object_new (TP_TYPE_QUEUE_PAGE, NULL);
}

void
tp_queue_page_add (TpQueuePage *self,
                   const char  *escalation_id,
                   gint64       at,
                   const char  *terminal,
                   const char  *officer,
                   int          verdict,
                   const char  *reason)
{
  g_autoptr(GDateTime) time = NULL;
  g_autofree char *when = NULL;
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *open_name = NULL;
  GtkWidget *row, *button;

  g_return_if_fail (TP_IS_QUEUE_PAGE (self));
  g_return_if_fail (escalation_id != NULL);

  if (g_hash_table_contains (self->rows, escalation_id))
    return;
  time = g_date_time_new_from_unix_local (at);
  when = time != NULL ? g_date_time_format (time, "%H:%M") : g_strdup ("?");
  /* TRANSLATORS: an escalation in the queue: verdict, time, terminal, officer */
  title = g_strdup_printf (_("%s at %s, %s, %s"), tp_verdict_word (verdict), when,
                           terminal != NULL ? terminal : "?", officer != NULL ? officer : "?");
  subtitle = g_strdup (reason != NULL ? reason : "");
  row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  button = gtk_button_new_with_label (_("Open"));
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  /* TRANSLATORS: accessible name of the button opening an escalated case */
  open_name = g_strdup_printf (_("Open escalation: %s"), title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, open_name, -1);
  g_object_set_data_full (G_OBJECT (button), "escalation-id", g_strdup (escalation_id), g_free);
  g_signal_connect (button, "clicked", G_CALLBACK (open_clicked_cb), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  gtk_list_box_prepend (self->list, row);
  g_hash_table_insert (self->rows, g_strdup (escalation_id), row);
}

void
tp_queue_page_remove (TpQueuePage *self,
                      const char  *escalation_id)
{
  GtkWidget *row;

  g_return_if_fail (TP_IS_QUEUE_PAGE (self));

  row = g_hash_table_lookup (self->rows, escalation_id);
  if (row == NULL)
    return;
  gtk_list_box_remove (self->list, row);
  g_hash_table_remove (self->rows, escalation_id);
}

guint
tp_queue_page_get_count (TpQueuePage *self)
{
  g_return_val_if_fail (TP_IS_QUEUE_PAGE (self), 0);

  return g_hash_table_size (self->rows);
}
