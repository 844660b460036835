/* tp-sync-link.c: the checkpoint's list and the status bar kept in step with the hub
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tp-sync-link.h"

struct _TpSyncLink
{
  GObject       parent_instance;

  TpCheckpoint *checkpoint;
  TpSyncClient *client;
  TpTerminal   *terminal;
  GCancellable *cancellable;
  gboolean      loading;
  gboolean      reload;       /* a change came during the load */
  gboolean      was_current;  /* the client has been current once */
  guint         loads;
};

enum {
  SIGNAL_ESCALATION,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (TpSyncLink, tp_sync_link, G_TYPE_OBJECT)

static void load_matcher (TpSyncLink *self);

/* The list as the client or, without one, the matcher knows it. */
static void
update_list (TpSyncLink *self)
{
  if (self->client != NULL && tp_sync_client_has_status (self->client))
    {
      tp_terminal_set_list (self->terminal, tp_sync_client_get_seq (self->client),
                            tp_sync_client_get_entries (self->client),
                            tp_sync_client_get_head_issued_at (self->client),
                            tp_sync_client_get_stale (self->client));
    }
  else if (self->client == NULL && tp_checkpoint_get_matcher (self->checkpoint) != NULL)
    {
      TpMatcherStats stats;

      tp_matcher_get_stats (tp_checkpoint_get_matcher (self->checkpoint), &stats);
      tp_terminal_set_list (self->terminal, tp_checkpoint_get_list_seq (self->checkpoint), stats.n_entries,
                            tp_terminal_get_list_current_at (self->terminal),
                            tp_terminal_get_list_stale (self->terminal));
    }
}

static void
client_changed_cb (TpSyncLink *self)
{
  TpSyncClient *client = self->client;
  const char *error = tp_sync_client_get_last_error (client);

  switch (tp_sync_client_get_state (client))
    {
    case TP_SYNC_STATE_CURRENT:
      self->was_current = TRUE;
      tp_terminal_set_sync (self->terminal, TP_TERMINAL_SYNC_ONLINE, NULL);
      break;
    case TP_SYNC_STATE_SYNCING:
      /* a pass while online is not news; the first one is */
      if (!self->was_current)
        tp_terminal_set_sync (self->terminal, TP_TERMINAL_SYNC_CONNECTING, NULL);
      break;
    case TP_SYNC_STATE_OFFLINE:
      tp_terminal_set_sync (self->terminal, TP_TERMINAL_SYNC_OFFLINE, error);
      break;
    case TP_SYNC_STATE_REFUSED:
      tp_terminal_set_sync (self->terminal, TP_TERMINAL_SYNC_FAILED, error);
      break;
    case TP_SYNC_STATE_FAILED:
      tp_terminal_set_sync (self->terminal, TP_TERMINAL_SYNC_ERROR, error);
      break;
    case TP_SYNC_STATE_IDLE:
    default:
      tp_terminal_set_sync (self->terminal, TP_TERMINAL_SYNC_CONNECTING, NULL);
      break;
    }
  tp_terminal_set_outbox (self->terminal, (gint64) tp_sync_client_get_outbox_pending (client));
  if (!tp_terminal_get_list_loading (self->terminal))
    update_list (self);
}

static void
matcher_loaded_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(TpSyncLink) self = user_data;
  g_autoptr(GError) error = NULL;

  self->loading = FALSE;
  if (!tp_checkpoint_load_matcher_finish (TP_CHECKPOINT (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* the matcher in place (if any) keeps screening */
      g_warning ("Cannot load the list: %s", error->message);
    }
  else
    self->loads++;
  if (self->reload)
    {
      load_matcher (self);
      return;
    }
  tp_terminal_set_list_loading (self->terminal, FALSE);
  update_list (self);
}

static void
load_matcher (TpSyncLink *self)
{
  if (self->loading)
    {
      self->reload = TRUE;
      return;
    }
  self->loading = TRUE;
  self->reload = FALSE;
  /* only the first load leaves the counter without a list */
  if (tp_checkpoint_get_matcher (self->checkpoint) == NULL)
    tp_terminal_set_list_loading (self->terminal, TRUE);
  tp_checkpoint_load_matcher_async (self->checkpoint, self->cancellable, matcher_loaded_cb, g_object_ref (self));
}

static void
applied_cb (TpSyncLink *self)
{
  load_matcher (self);
}

static void
escalation_cb (TpSyncLink *self,
               JsonNode   *event)
{
  g_signal_emit (self, signals[SIGNAL_ESCALATION], 0, event);
}

static void
event_recorded_cb (TpSyncLink *self)
{
  tp_sync_client_flush_outbox (self->client);
}

static void
tp_sync_link_dispose (GObject *object)
{
  TpSyncLink *self = TP_SYNC_LINK (object);

  tp_sync_link_stop (self);
  g_clear_object (&self->client);
  g_clear_object (&self->checkpoint);
  g_clear_object (&self->terminal);
  G_OBJECT_CLASS (tp_sync_link_parent_class)->dispose (object);
}

static void
tp_sync_link_finalize (GObject *object)
{
  TpSyncLink *self = TP_SYNC_LINK (object);

  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (tp_sync_link_parent_class)->finalize (object);
}

static void
tp_sync_link_class_init (TpSyncLinkClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tp_sync_link_dispose;
  object_class->finalize = tp_sync_link_finalize;

  /**
   * TpSyncLink::escalation:
   * @event: the escalation event as the hub stored it
   */
  signals[SIGNAL_ESCALATION] = g_signal_new ("escalation", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                             NULL, NULL, NULL, G_TYPE_NONE, 1, JSON_TYPE_NODE);
}

static void
tp_sync_link_init (TpSyncLink *self)
{
  self->cancellable = g_cancellable_new ();
}

TpSyncLink *
tp_sync_link_new (TpCheckpoint *checkpoint,
                  TpSyncClient *client,
                  TpTerminal   *terminal)
{
  TpSyncLink *self;

  g_return_val_if_fail (TP_IS_CHECKPOINT (checkpoint), NULL);
  g_return_val_if_fail (client == NULL || TP_IS_SYNC_CLIENT (client), NULL);
  g_return_val_if_fail (TP_IS_TERMINAL (terminal), NULL);

  self = g_object_new (TP_TYPE_SYNC_LINK, NULL);
  self->checkpoint = g_object_ref (checkpoint);
  self->terminal = g_object_ref (terminal);
  load_matcher (self);
  if (client == NULL)
    {
      tp_terminal_set_sync (terminal, TP_TERMINAL_SYNC_DISABLED, NULL);
      tp_terminal_set_outbox (terminal, -1);
      return self;
    }
  self->client = g_object_ref (client);
  g_signal_connect_object (client, "changed", G_CALLBACK (client_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (client, "applied", G_CALLBACK (applied_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (client, "escalation", G_CALLBACK (escalation_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (checkpoint, "event-recorded", G_CALLBACK (event_recorded_cb), self, G_CONNECT_SWAPPED);
  client_changed_cb (self);
  tp_sync_client_start (client);
  return self;
}

TpSyncClient *
tp_sync_link_get_client (TpSyncLink *self)
{
  g_return_val_if_fail (TP_IS_SYNC_LINK (self), NULL);

  return self->client;
}

guint
tp_sync_link_get_loads (TpSyncLink *self)
{
  g_return_val_if_fail (TP_IS_SYNC_LINK (self), 0);

  return self->loads;
}

void
tp_sync_link_stop (TpSyncLink *self)
{
  g_return_if_fail (TP_IS_SYNC_LINK (self));

  g_cancellable_cancel (self->cancellable);
  if (self->client != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->client, self);
      tp_sync_client_stop (self->client);
    }
  if (self->checkpoint != NULL)
    g_signal_handlers_disconnect_by_data (self->checkpoint, self);
}
