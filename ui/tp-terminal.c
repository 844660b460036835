/* tp-terminal.c: devices, list and sync state of this terminal
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tp-terminal.h"

struct _TpTerminal
{
  GObject        parent_instance;

  TpStore       *store;
  TpAccounts    *accounts;

  char          *reader_name;
  TpDeviceState  reader_state;
  char          *reader_message;
  char          *scanner_name;
  TpDeviceState  scanner_state;

  gint64         list_seq;
  guint64        list_entries;
  gint64         list_current_at;
  gboolean       list_stale;
  gboolean       list_loading;
  int            stale_policy;

  TpTerminalSync sync_state;
  char          *sync_message;
  gint64         outbox;
};

enum {
  PROP_0,
  PROP_READER,        /* one notification per group: widgets re-read the group */
  PROP_SCANNER,
  PROP_LIST,
  PROP_SYNC,
  PROP_OUTBOX,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (TpTerminal, tp_terminal, G_TYPE_OBJECT)

static void
tp_terminal_finalize (GObject *object)
{
  TpTerminal *self = TP_TERMINAL (object);

  g_clear_object (&self->accounts);
  g_clear_object (&self->store);
  g_free (self->reader_name);
  g_free (self->reader_message);
  g_free (self->scanner_name);
  g_free (self->sync_message);
  G_OBJECT_CLASS (tp_terminal_parent_class)->finalize (object);
}

static void
tp_terminal_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  TpTerminal *self = TP_TERMINAL (object);

  switch (prop_id)
    {
    case PROP_READER:
      g_value_set_int (value, self->reader_state);
      break;
    case PROP_SCANNER:
      g_value_set_int (value, self->scanner_state);
      break;
    case PROP_LIST:
      g_value_set_int64 (value, self->list_seq);
      break;
    case PROP_SYNC:
      g_value_set_int (value, self->sync_state);
      break;
    case PROP_OUTBOX:
      g_value_set_int64 (value, self->outbox);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tp_terminal_class_init (TpTerminalClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tp_terminal_finalize;
  object_class->get_property = tp_terminal_get_property;

  properties[PROP_READER] =
    g_param_spec_int ("reader", NULL, NULL, 0, G_MAXINT, 0,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SCANNER] =
    g_param_spec_int ("scanner", NULL, NULL, 0, G_MAXINT, 0,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_LIST] =
    g_param_spec_int64 ("list", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SYNC] =
    g_param_spec_int ("sync", NULL, NULL, 0, G_MAXINT, 0,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_OUTBOX] =
    g_param_spec_int64 ("outbox", NULL, NULL, -1, G_MAXINT64, -1,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tp_terminal_init (TpTerminal *self)
{
  self->outbox = -1;
  self->stale_policy = 1;     /* review, the setting's default */
}

TpTerminal *
tp_terminal_new (void)
{
  return g_object_new (TP_TYPE_TERMINAL, NULL);
}

void
tp_terminal_set_store (TpTerminal *self,
                       TpStore    *store,
                       TpAccounts *accounts)
{
  g_return_if_fail (TP_IS_TERMINAL (self));

  g_set_object (&self->store, store);
  g_set_object (&self->accounts, accounts);
}

TpStore *
tp_terminal_get_store (TpTerminal *self)
{
  g_return_val_if_fail (TP_IS_TERMINAL (self), NULL);

  return self->store;
}

TpAccounts *
tp_terminal_get_accounts (TpTerminal *self)
{
  g_return_val_if_fail (TP_IS_TERMINAL (self), NULL);

  return self->accounts;
}

void
tp_terminal_set_reader (TpTerminal    *self,
                        const char    *name,
                        TpDeviceState  state,
                        const char    *message)
{
  g_return_if_fail (TP_IS_TERMINAL (self));

  g_free (self->reader_name);
  self->reader_name = g_strdup (name);
  g_free (self->reader_message);
  self->reader_message = g_strdup (message);
  self->reader_state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READER]);
}

const char *
tp_terminal_get_reader_name (TpTerminal *self)
{
  g_return_val_if_fail (TP_IS_TERMINAL (self), NULL);

  return self->reader_name;
}

TpDeviceState
tp_terminal_get_reader_state (TpTerminal *self)
{
  g_return_val_if_fail (TP_IS_TERMINAL (self), TP_DEVICE_ABSENT);

  return self->reader_state;
}

const char *
tp_terminal_get_reader_message (TpTerminal *self)
{
  g_return_val_if_fail (TP_IS_TERMINAL (self), NULL);

  return self->reader_message;
}

void
tp_terminal_set_scanner (TpTerminal    *self,
                         const char    *name,
                         TpDeviceState  state)
{
  g_return_if_fail (TP_IS_TERMINAL (self));

  g_free (self->scanner_name);
  self->scanner_name = g_strdup (name);
  self->scanner_state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCANNER]);
}

const char *
tp_terminal_get_scanner_name (TpTerminal *self)
{
  g_return_val_if_fail (TP_IS_TERMINAL (self), NULL);

  return self->scanner_name;
}

TpDeviceState
tp_terminal_get_scanner_state (TpTerminal *self)
{
  g_return_val_if_fail (TP_IS_TERMINAL (self), TP_DEVICE_ABSENT);

  return self->scanner_state;
}

void
tp_terminal_set_list (TpTerminal *self,
                      gint64      seq,
                      guint64     entries,
                      gint64      current_at,
                      gboolean    stale)
{
  g_return_if_fail (TP_IS_TERMINAL (self));

  if (self->list_seq == seq && self->list_entries == entries && self->list_current_at == current_at &&
      self->list_stale == !!stale)
    return;
  self->list_seq = seq;
  self->list_entries = entries;
  self->list_current_at = current_at;
  self->list_stale = !!stale;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LIST]);
}

void
tp_terminal_set_list_loading (TpTerminal *self,
                              gboolean    loading)
{
  g_return_if_fail (TP_IS_TERMINAL (self));

  self->list_loading = !!loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LIST]);
}

gint64
tp_terminal_get_list_seq (TpTerminal *self)
{
  g_return_val_if_fail (TP_IS_TERMINAL (self), 0);

  return self->list_seq;
}

guint64
tp_terminal_get_list_entries (TpTerminal *self)
{
  g_return_val_if_fail (TP_IS_TERMINAL (self), 0);

  return self->list_entries;
}

gint64
tp_terminal_get_list_current_at (TpTerminal *self)
{
  g_return_val_if_fail (TP_IS_TERMINAL (self), 0);

  return self->list_current_at;
}

gboolean
tp_terminal_get_list_stale (TpTerminal *self)
{
  g_return_val_if_fail (TP_IS_TERMINAL (self), FALSE);

  return self->list_stale;
}

void
tp_terminal_set_stale_policy (TpTerminal *self,
                              int         policy)
{
  g_return_if_fail (TP_IS_TERMINAL (self));

  if (self->stale_policy == policy)
    return;
  self->stale_policy = policy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LIST]);
}

int
tp_terminal_get_stale_policy (TpTerminal *self)
{
  g_return_val_if_fail (TP_IS_TERMINAL (self), 0);

  return self->stale_policy;
}

gboolean
tp_terminal_get_list_loading (TpTerminal *self)
{
  g_return_val_if_fail (TP_IS_TERMINAL (self), FALSE);

  return self->list_loading;
}

void
tp_terminal_set_sync (TpTerminal     *self,
                      TpTerminalSync  state,
                      const char     *message)
{
  g_return_if_fail (TP_IS_TERMINAL (self));

  if (self->sync_state == state && g_strcmp0 (self->sync_message, message) == 0)
    return;
  self->sync_state = state;
  g_free (self->sync_message);
  self->sync_message = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SYNC]);
}

TpTerminalSync
tp_terminal_get_sync_state (TpTerminal *self)
{
  g_return_val_if_fail (TP_IS_TERMINAL (self), TP_TERMINAL_SYNC_DISABLED);

  return self->sync_state;
}

const char *
tp_terminal_get_sync_message (TpTerminal *self)
{
  g_return_val_if_fail (TP_IS_TERMINAL (self), NULL);

  return self->sync_message;
}

void
tp_terminal_set_outbox (TpTerminal *self,
                        gint64      pending)
{
  g_return_if_fail (TP_IS_TERMINAL (self));

  if (self->outbox == pending)
    return;
  self->outbox = pending;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OUTBOX]);
}

gint64
tp_terminal_get_outbox (TpTerminal *self)
{
  g_return_val_if_fail (TP_IS_TERMINAL (self), -1);

  return self->outbox;
}
