/* tp-checkpoint.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tp-audit-log.h"
#include "tp-checkpoint.h"
#include "tp-store-matcher.h"

struct _TpCheckpoint
{
  GObject         parent_instance;

  char           *airport;
  char           *checkpoint_id;
  char           *terminal_id;
  TpStore        *store;
  TpKeySource    *key_source;

  TpClockFunc     clock;
  gpointer        clock_data;
  GDestroyNotify  clock_destroy;

  TpMatcher      *matcher;
  gint64          list_seq;
  gint64          load_us;
};

enum {
  PROP_0,
  PROP_AIRPORT,
  PROP_CHECKPOINT_ID,
  PROP_TERMINAL_ID,
  PROP_STORE,
  PROP_KEY_SOURCE,
  PROP_MATCHER,
  PROP_LIST_SEQ,
  N_PROPS
};

enum {
  EVENT_RECORDED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (TpCheckpoint, tp_checkpoint, G_TYPE_OBJECT)

/* What the loader thread hands back */
typedef struct {
  TpMatcher *matcher;
  gint64     list_seq;
  gint64     load_us;
} Loaded;

static void
loaded_free (Loaded *loaded)
{
  g_clear_pointer (&loaded->matcher, tp_matcher_free);
  g_free (loaded);
}

static Loaded *
load (TpStore  *store,
      GError  **error)
{
  Loaded *loaded;
  TpFeedPosition position = { 0, };
  gint64 start = g_get_monotonic_time ();
  TpMatcher *matcher = tp_store_load_matcher (store, error);

  if (matcher == NULL)
    return NULL;
  if (!tp_store_get_feed_position (store, &position, error))
    {
      tp_matcher_free (matcher);
      return NULL;
    }
  loaded = g_new0 (Loaded, 1);
  loaded->matcher = matcher;
  loaded->list_seq = position.sequence;
  loaded->load_us = g_get_monotonic_time () - start;
  tp_feed_position_clear (&position);
  return loaded;
}

static void
put_in_place (TpCheckpoint *self,
              Loaded       *loaded)
{
  self->load_us = loaded->load_us;
  tp_checkpoint_set_matcher (self, g_steal_pointer (&loaded->matcher), loaded->list_seq);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  TpCheckpoint *self = source_object;
  g_autoptr(TpStore) store = NULL;
  GError *error = NULL;
  Loaded *loaded;

  /* A connection of this thread's own: a TpStore is one connection, used
   * by one thread at a time, and the checkpoint's stays with its thread. */
  store = tp_store_open (tp_store_get_path (self->store), self->key_source,
                         TP_STORE_OPEN_NONE, &error);
  if (store == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  loaded = load (store, &error);
  if (loaded == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, loaded, (GDestroyNotify) loaded_free);
}

static void
tp_checkpoint_dispose (GObject *object)
{
  TpCheckpoint *self = TP_CHECKPOINT (object);

  g_clear_object (&self->store);
  g_clear_object (&self->key_source);

  G_OBJECT_CLASS (tp_checkpoint_parent_class)->dispose (object);
}

static void
tp_checkpoint_finalize (GObject *object)
{
  TpCheckpoint *self = TP_CHECKPOINT (object);

  if (self->clock_destroy != NULL)
    self->clock_destroy (self->clock_data);
  g_clear_pointer (&self->matcher, tp_matcher_free);
  g_free (self->airport);
  g_free (self->checkpoint_id);
  g_free (self->terminal_id);

  G_OBJECT_CLASS (tp_checkpoint_parent_class)->finalize (object);
}

static void
tp_checkpoint_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  TpCheckpoint *self = TP_CHECKPOINT (object);

  switch (prop_id)
    {
    case PROP_AIRPORT:
      g_value_set_string (value, self->airport);
      break;

    case PROP_CHECKPOINT_ID:
      g_value_set_string (value, self->checkpoint_id);
      break;

    case PROP_TERMINAL_ID:
      g_value_set_string (value, self->terminal_id);
      break;

    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_KEY_SOURCE:
      g_value_set_object (value, self->key_source);
      break;

    case PROP_MATCHER:
      g_value_set_pointer (value, self->matcher);
      break;

    case PROP_LIST_SEQ:
      g_value_set_int64 (value, self->list_seq);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tp_checkpoint_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  TpCheckpoint *self = TP_CHECKPOINT (object);

  switch (prop_id)
    {
    case PROP_AIRPORT:
      self->airport = g_value_dup_string (value);
      break;

    case PROP_CHECKPOINT_ID:
      self->checkpoint_id = g_value_dup_string (value);
      break;

    case PROP_TERMINAL_ID:
      self->terminal_id = g_value_dup_string (value);
      break;

    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;

    case PROP_KEY_SOURCE:
      self->key_source = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tp_checkpoint_class_init (TpCheckpointClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tp_checkpoint_dispose;
  object_class->finalize = tp_checkpoint_finalize;
  object_class->get_property = tp_checkpoint_get_property;
  object_class->set_property = tp_checkpoint_set_property;

  properties[PROP_AIRPORT] =
    g_param_spec_string ("airport", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CHECKPOINT_ID] =
    g_param_spec_string ("checkpoint-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TERMINAL_ID] =
    g_param_spec_string ("terminal-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, TP_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_KEY_SOURCE] =
    g_param_spec_object ("key-source", NULL, NULL, TP_TYPE_KEY_SOURCE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* A TpMatcher (not a GObject): NULL until the first load */
  properties[PROP_MATCHER] =
    g_param_spec_pointer ("matcher", NULL, NULL,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LIST_SEQ] =
    g_param_spec_int64 ("list-seq", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[EVENT_RECORDED] =
    g_signal_new ("event-recorded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                  JSON_TYPE_NODE | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
tp_checkpoint_init (TpCheckpoint *self)
{
}

TpCheckpoint *
tp_checkpoint_new (const char  *airport,
                   const char  *checkpoint_id,
                   const char  *terminal_id,
                   TpStore     *store,
                   TpKeySource *key_source)
{
  g_return_val_if_fail (airport != NULL, NULL);
  g_return_val_if_fail (checkpoint_id != NULL, NULL);
  g_return_val_if_fail (terminal_id != NULL, NULL);
  g_return_val_if_fail (TP_IS_STORE (store), NULL);
  g_return_val_if_fail (key_source == NULL || TP_IS_KEY_SOURCE (key_source), NULL);

  return g_object_new (TP_TYPE_CHECKPOINT,
                       "airport", airport,
                       "checkpoint-id", checkpoint_id,
                       "terminal-id", terminal_id,
                       "store", store,
                       "key-source", key_source,
                       NULL);
}

const char *
tp_checkpoint_get_airport (TpCheckpoint *self)
{
  g_return_val_if_fail (TP_IS_CHECKPOINT (self), NULL);

  return self->airport;
}

const char *
tp_checkpoint_get_checkpoint_id (TpCheckpoint *self)
{
  g_return_val_if_fail (TP_IS_CHECKPOINT (self), NULL);

  return self->checkpoint_id;
}

const char *
tp_checkpoint_get_terminal_id (TpCheckpoint *self)
{
  g_return_val_if_fail (TP_IS_CHECKPOINT (self), NULL);

  return self->terminal_id;
}

TpStore *
tp_checkpoint_get_store (TpCheckpoint *self)
{
  g_return_val_if_fail (TP_IS_CHECKPOINT (self), NULL);

  return self->store;
}

void
tp_checkpoint_set_clock (TpCheckpoint   *self,
                         TpClockFunc     func,
                         gpointer        user_data,
                         GDestroyNotify  destroy)
{
  g_return_if_fail (TP_IS_CHECKPOINT (self));

  if (self->clock_destroy != NULL)
    self->clock_destroy (self->clock_data);
  self->clock = func;
  self->clock_data = user_data;
  self->clock_destroy = destroy;
}

GDateTime *
tp_checkpoint_now (TpCheckpoint *self)
{
  g_return_val_if_fail (TP_IS_CHECKPOINT (self), NULL);

  if (self->clock != NULL)
    return self->clock (self->clock_data);
  return g_date_time_new_now_utc ();
}

void
tp_checkpoint_get_today (TpCheckpoint *self,
                         GDate        *out)
{
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GDateTime) local = NULL;

  g_return_if_fail (TP_IS_CHECKPOINT (self));
  g_return_if_fail (out != NULL);

  now = tp_checkpoint_now (self);
  local = g_date_time_to_local (now);
  g_date_clear (out, 1);
  g_date_set_dmy (out, (GDateDay) g_date_time_get_day_of_month (local),
                  (GDateMonth) g_date_time_get_month (local),
                  (GDateYear) g_date_time_get_year (local));
}

void
tp_checkpoint_load_matcher_async (TpCheckpoint        *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (TP_IS_CHECKPOINT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tp_checkpoint_load_matcher_async);
  if (self->key_source == NULL)
    {
      g_task_return_new_error (task, TP_STORE_ERROR, TP_STORE_ERROR_INVALID,
                               "The checkpoint has no key source to open a second connection "
                               "to its store with: load the matcher with "
                               "tp_checkpoint_load_matcher()");
      return;
    }
  g_task_run_in_thread (task, load_thread);
}

gboolean
tp_checkpoint_load_matcher_finish (TpCheckpoint  *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  Loaded *loaded;

  g_return_val_if_fail (TP_IS_CHECKPOINT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  loaded = g_task_propagate_pointer (G_TASK (result), error);
  if (loaded == NULL)
    return FALSE;
  put_in_place (self, loaded);
  loaded_free (loaded);
  return TRUE;
}

gboolean
tp_checkpoint_load_matcher (TpCheckpoint  *self,
                            GError       **error)
{
  Loaded *loaded;

  g_return_val_if_fail (TP_IS_CHECKPOINT (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  loaded = load (self->store, error);
  if (loaded == NULL)
    return FALSE;
  put_in_place (self, loaded);
  loaded_free (loaded);
  return TRUE;
}

void
tp_checkpoint_set_matcher (TpCheckpoint *self,
                           TpMatcher    *matcher,
                           gint64        list_seq)
{
  g_return_if_fail (TP_IS_CHECKPOINT (self));
  g_return_if_fail (matcher != NULL);

  g_clear_pointer (&self->matcher, tp_matcher_free);
  self->matcher = matcher;
  if (self->list_seq != list_seq)
    {
      self->list_seq = list_seq;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LIST_SEQ]);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MATCHER]);
}

TpMatcher *
tp_checkpoint_get_matcher (TpCheckpoint *self)
{
  g_return_val_if_fail (TP_IS_CHECKPOINT (self), NULL);

  return self->matcher;
}

gint64
tp_checkpoint_get_list_seq (TpCheckpoint *self)
{
  g_return_val_if_fail (TP_IS_CHECKPOINT (self), 0);

  return self->list_seq;
}

gint64
tp_checkpoint_get_load_us (TpCheckpoint *self)
{
  g_return_val_if_fail (TP_IS_CHECKPOINT (self), 0);

  return self->load_us;
}

gboolean
tp_checkpoint_record_event (TpCheckpoint  *self,
                            JsonNode      *event,
                            GError       **error)
{
  g_autofree char *hash = NULL;
  JsonObject *audit;
  gint64 seq = 0;

  g_return_val_if_fail (TP_IS_CHECKPOINT (self), FALSE);
  g_return_val_if_fail (event != NULL && JSON_NODE_HOLDS_OBJECT (event), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* The audit record covers the event as made: "audit" is its place in
   * the chain, so it is added after, outside what the hash covers. */
  json_object_remove_member (json_node_get_object (event), "audit");
  if (!tp_store_record_event (self->store, event, &seq, &hash, error))
    return FALSE;
  audit = json_object_new ();
  json_object_set_int_member (audit, "seq", seq);
  json_object_set_string_member (audit, "hash", hash);
  json_object_set_object_member (json_node_get_object (event), "audit", audit);

  g_signal_emit (self, signals[EVENT_RECORDED], 0, event);
  return TRUE;
}
