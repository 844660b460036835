/* tp-status-bar.c: the terminal's state at the bottom of the window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "tp-status-bar.h"

typedef enum {
  LEVEL_NEUTRAL,
  LEVEL_OK,
  LEVEL_WARNING,
  LEVEL_ERROR,
} Level;

typedef enum {
  ITEM_READER,
  ITEM_SCANNER,
  ITEM_LIST,
  ITEM_SYNC,
  ITEM_OUTBOX,
  N_ITEMS
} Item;

typedef struct {
  GtkWidget *box;
  GtkImage  *icon;
  GtkLabel  *label;
  Level      level;
} StatusItem;

struct _TpStatusBar
{
  GtkBox      parent_instance;

  StatusItem  items[N_ITEMS];
  TpTerminal *terminal;
  guint       tick_source;
};

G_DEFINE_FINAL_TYPE (TpStatusBar, tp_status_bar, GTK_TYPE_BOX)

static const char * const item_names[N_ITEMS] = { "reader", "scanner", "list", "sync", "outbox" };
static const char * const level_names[] = { "neutral", "ok", "warning", "error" };

static const char *
item_icon (Item  item,
           Level level)
{
  static const char * const neutral[N_ITEMS] = {
    "auth-smartcard-symbolic", "input-keyboard-symbolic", "view-list-symbolic",
    "network-wired-symbolic", "mail-send-symbolic",
  };

  switch (level)
    {
    case LEVEL_WARNING:
      return "dialog-warning-symbolic";
    case LEVEL_ERROR:
      return "dialog-error-symbolic";
    case LEVEL_NEUTRAL:
    case LEVEL_OK:
    default:
      return neutral[item];
    }
}

static void
set_item (TpStatusBar *self,
          Item         item,
          Level        level,
          const char  *text)
{
  StatusItem *it = &self->items[item];

  it->level = level;
  gtk_label_set_label (it->label, text);
  gtk_image_set_from_icon_name (it->icon, item_icon (item, level));
  gtk_widget_remove_css_class (it->box, "status-warning");
  gtk_widget_remove_css_class (it->box, "status-error");
  if (level == LEVEL_WARNING)
    gtk_widget_add_css_class (it->box, "status-warning");
  else if (level == LEVEL_ERROR)
    gtk_widget_add_css_class (it->box, "status-error");
  gtk_accessible_update_property (GTK_ACCESSIBLE (it->box), GTK_ACCESSIBLE_PROPERTY_LABEL, text, -1);
  gtk_widget_set_tooltip_text (it->box, text);
}

static void
update_reader (TpStatusBar *self)
{
  TpTerminal *t = self->terminal;
  const char *name = tp_terminal_get_reader_name (t);
  const char *message = tp_terminal_get_reader_message (t);
  g_autofree char *text = NULL;
  Level level = LEVEL_OK;

  /* the demo's software chip: its specification is not for the officer */
  if (name != NULL && g_str_has_prefix (name, "sim:"))
    name = _("software chip (demo)");

  switch (tp_terminal_get_reader_state (t))
    {
    case TP_DEVICE_READY:
      text = g_strdup_printf (_("Reader: %s, ready"), name);
      break;
    case TP_DEVICE_BUSY:
      text = g_strdup_printf (_("Reader: %s, reading…"), name);
      break;
    case TP_DEVICE_FAILED:
      level = LEVEL_ERROR;
      text = g_strdup_printf (_("Reader: %s, FAILED: %s"), name ? name : "?", message ? message : "");
      break;
    case TP_DEVICE_ABSENT:
    default:
      level = LEVEL_WARNING;
      text = g_strdup (_("Reader: none connected"));
      break;
    }
  set_item (self, ITEM_READER, level, text);
}

static void
update_scanner (TpStatusBar *self)
{
  TpTerminal *t = self->terminal;
  const char *name = tp_terminal_get_scanner_name (t);
  g_autofree char *text = NULL;
  Level level = LEVEL_OK;

  switch (tp_terminal_get_scanner_state (t))
    {
    case TP_DEVICE_READY:
    case TP_DEVICE_BUSY:
      text = g_strdup_printf (_("Scanner: %s"), name);
      break;
    case TP_DEVICE_FAILED:
      level = LEVEL_ERROR;
      text = g_strdup_printf (_("Scanner: %s, FAILED"), name ? name : "?");
      break;
    case TP_DEVICE_ABSENT:
    default:
      /* a keyboard-wedge scanner cannot be seen until it types */
      level = LEVEL_NEUTRAL;
      text = g_strdup (_("Scanner: keyboard input"));
      break;
    }
  set_item (self, ITEM_SCANNER, level, text);
}

char *
tp_status_bar_format_age (gint64 seconds)
{
  if (seconds < 60)
    return g_strdup (_("just now"));
  if (seconds < 3600)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d min ago", "%d min ago", seconds / 60),
                            (int) (seconds / 60));
  if (seconds < 2 * 86400)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d hour ago", "%d hours ago", seconds / 3600),
                            (int) (seconds / 3600));
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d day ago", "%d days ago", seconds / 86400),
                          (int) (seconds / 86400));
}

static void
update_list (TpStatusBar *self)
{
  TpTerminal *t = self->terminal;
  gint64 current_at = tp_terminal_get_list_current_at (t);
  gint64 seq = tp_terminal_get_list_seq (t);
  g_autofree char *age = NULL;
  g_autofree char *text = NULL;

  if (tp_terminal_get_list_loading (t))
    {
      set_item (self, ITEM_LIST, LEVEL_NEUTRAL, _("List: loading…"));
      return;
    }
  if (current_at > 0)
    age = tp_status_bar_format_age (MAX (g_get_real_time () / G_USEC_PER_SEC - current_at, 0));
  if (tp_terminal_get_list_stale (t))
    {
      const char *effect;

      switch (tp_terminal_get_stale_policy (t))
        {
        case 1:
          effect = _("a CLEAR needs review");
          break;
        case 2:
          effect = _("no verdicts: refer to a supervisor");
          break;
        default:
          effect = _("verdicts may miss recent bans");
          break;
        }
      /* TRANSLATORS: the first %s is how long ago the list was last confirmed
       * current, e.g. "3 hours ago"; the second what the stale-list policy
       * makes of it ("a CLEAR needs review") */
      text = g_strdup_printf (_("List: STALE, seq %lld, confirmed %s; %s"),
                              (long long) seq, age ? age : _("never"), effect);
      set_item (self, ITEM_LIST, LEVEL_WARNING, text);
    }
  else if (seq == 0)
    {
      guint64 entries = tp_terminal_get_list_entries (t);

      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "List: local, %llu entry",
                                           "List: local, %llu entries", (gulong) MIN (entries, G_MAXULONG)),
                              (unsigned long long) entries);
      set_item (self, ITEM_LIST, LEVEL_NEUTRAL, text);
    }
  else
    {
      /* TRANSLATORS: %s is how long ago the list was last confirmed current, e.g. "3 min ago" */
      text = g_strdup_printf (_("List: seq %lld, current %s"), (long long) seq, age ? age : _("never"));
      set_item (self, ITEM_LIST, LEVEL_OK, text);
    }
}

static void
update_sync (TpStatusBar *self)
{
  TpTerminal *t = self->terminal;
  const char *message = tp_terminal_get_sync_message (t);
  g_autofree char *text = NULL;

  switch (tp_terminal_get_sync_state (t))
    {
    case TP_TERMINAL_SYNC_CONNECTING:
      set_item (self, ITEM_SYNC, LEVEL_NEUTRAL, _("Sync: connecting…"));
      break;
    case TP_TERMINAL_SYNC_ONLINE:
      set_item (self, ITEM_SYNC, LEVEL_OK, _("Sync: online"));
      break;
    case TP_TERMINAL_SYNC_OFFLINE:
      set_item (self, ITEM_SYNC, LEVEL_WARNING, _("Sync: OFFLINE, working on the local list"));
      if (message != NULL)
        gtk_widget_set_tooltip_text (self->items[ITEM_SYNC].box, message);
      break;
    case TP_TERMINAL_SYNC_FAILED:
      text = g_strdup_printf (_("Sync: FEED REFUSED: %s"), message ? message : "");
      set_item (self, ITEM_SYNC, LEVEL_ERROR, text);
      break;
    case TP_TERMINAL_SYNC_ERROR:
      text = g_strdup_printf (_("Sync: FAILED: %s"), message ? message : "");
      set_item (self, ITEM_SYNC, LEVEL_ERROR, text);
      break;
    case TP_TERMINAL_SYNC_DISABLED:
    default:
      set_item (self, ITEM_SYNC, LEVEL_NEUTRAL, _("Sync: not enrolled"));
      break;
    }
}

static void
update_outbox (TpStatusBar *self)
{
  gint64 pending = tp_terminal_get_outbox (self->terminal);
  g_autofree char *text = NULL;

  if (pending < 0)
    {
      set_item (self, ITEM_OUTBOX, LEVEL_NEUTRAL, _("Outbox: none"));
      return;
    }
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Outbox: %lld event waiting",
                                       "Outbox: %lld events waiting", (gulong) pending),
                          (long long) pending);
  /* events on their way to a hub that answers are no cause for concern;
   * a backlog the hub cannot take is */
  if (pending == 0)
    set_item (self, ITEM_OUTBOX, LEVEL_OK, text);
  else if (tp_terminal_get_sync_state (self->terminal) == TP_TERMINAL_SYNC_ONLINE)
    set_item (self, ITEM_OUTBOX, LEVEL_NEUTRAL, text);
  else
    set_item (self, ITEM_OUTBOX, LEVEL_WARNING, text);
}

static void
update_all (TpStatusBar *self)
{
  update_reader (self);
  update_scanner (self);
  update_list (self);
  update_sync (self);
  update_outbox (self);
}

static void
terminal_notify_cb (TpStatusBar *self,
                    GParamSpec  *pspec,
                    TpTerminal  *terminal)
{
  const char *name = g_param_spec_get_name (pspec);

  if (g_str_equal (name, "reader"))
    update_reader (self);
  else if (g_str_equal (name, "scanner"))
    update_scanner (self);
  else if (g_str_equal (name, "list"))
    update_list (self);
  else if (g_str_equal (name, "sync"))
    {
      update_sync (self);
      update_outbox (self);
    }
  else if (g_str_equal (name, "outbox"))
    update_outbox (self);
}

static gboolean
tick_cb (gpointer user_data)
{
  TpStatusBar *self = user_data;

  if (self->terminal != NULL)
    update_list (self);
  return G_SOURCE_CONTINUE;
}

static void
tp_status_bar_dispose (GObject *object)
{
  TpStatusBar *self = TP_STATUS_BAR (object);

  g_clear_handle_id (&self->tick_source, g_source_remove);
  if (self->terminal != NULL)
    g_signal_handlers_disconnect_by_data (self->terminal, self);
  g_clear_object (&self->terminal);
  G_OBJECT_CLASS (tp_status_bar_parent_class)->dispose (object);
}

static void
tp_status_bar_class_init (TpStatusBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tp_status_bar_dispose;
  gtk_widget_class_set_template_from_resource (widget_class, "/org/touchpoint/Touchpoint/tp-status-bar.ui");
}

static void
tp_status_bar_init (TpStatusBar *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  for (guint i = 0; i < N_ITEMS; i++)
    {
      StatusItem *it = &self->items[i];

      it->box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      gtk_accessible_update_property (GTK_ACCESSIBLE (it->box), GTK_ACCESSIBLE_PROPERTY_LABEL, "", -1);
      gtk_widget_add_css_class (it->box, "status-item");
      it->icon = GTK_IMAGE (gtk_image_new ());
      gtk_accessible_update_property (GTK_ACCESSIBLE (it->icon), GTK_ACCESSIBLE_PROPERTY_LABEL, "", -1);
      it->label = GTK_LABEL (gtk_label_new (NULL));
      gtk_label_set_ellipsize (it->label, PANGO_ELLIPSIZE_END);
      gtk_box_append (GTK_BOX (it->box), GTK_WIDGET (it->icon));
      gtk_box_append (GTK_BOX (it->box), GTK_WIDGET (it->label));
      gtk_box_append (GTK_BOX (self), it->box);
    }
  self->tick_source = g_timeout_add_seconds (30, tick_cb, self);
}

GtkWidget *
tp_status_bar_new (void)
{
  return g_object_new (TP_TYPE_STATUS_BAR, NULL);
}

void
tp_status_bar_set_terminal (TpStatusBar *self,
                            TpTerminal  *terminal)
{
  g_return_if_fail (TP_IS_STATUS_BAR (self));
  g_return_if_fail (TP_IS_TERMINAL (terminal));

  if (self->terminal != NULL)
    g_signal_handlers_disconnect_by_data (self->terminal, self);
  g_set_object (&self->terminal, terminal);
  g_signal_connect_object (terminal, "notify", G_CALLBACK (terminal_notify_cb), self, G_CONNECT_SWAPPED);
  update_all (self);
}

static int
item_index (const char *item)
{
  for (guint i = 0; i < N_ITEMS; i++)
    if (g_strcmp0 (item, item_names[i]) == 0)
      return (int) i;
  return -1;
}

const char *
tp_status_bar_get_text (TpStatusBar *self,
                        const char  *item)
{
  int i = item_index (item);

  g_return_val_if_fail (TP_IS_STATUS_BAR (self), NULL);
  g_return_val_if_fail (i >= 0, NULL);

  return gtk_label_get_label (self->items[i].label);
}

const char *
tp_status_bar_get_level (TpStatusBar *self,
                         const char  *item)
{
  int i = item_index (item);

  g_return_val_if_fail (TP_IS_STATUS_BAR (self), NULL);
  g_return_val_if_fail (i >= 0, NULL);

  return level_names[self->items[i].level];
}
