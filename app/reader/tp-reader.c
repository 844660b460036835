/* tp-reader.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One worker thread per reader, fed by a queue of jobs. Between jobs, and
 * while watching, the worker polls the transport for card presence with
 * a short timeout so that a queued read starts promptly. Results and
 * signals go back to the creator's main context.
 */
#include "config.h"

#include "tp-chip-error.h"
#include "tp-reader.h"
#include "tp-transport-registry.h"

#define WATCH_POLL_MS   100
#define IDLE_WAIT_MS    250

typedef enum {
  JOB_READ,
  JOB_QUIT,
} JobKind;

typedef struct {
  JobKind        kind;
  GTask         *task;
  TpAccessKey   *key;
  TpReadOptions *options;
} Job;

struct _TpReader
{
  GObject       parent_instance;

  char         *connstring;
  GMainContext *context;      /* where signals and results go */
  GThread      *thread;
  GAsyncQueue  *jobs;

  /* Owned by the worker thread once it runs */
  TpTransport  *transport;

  /* Shared, under lock */
  GMutex        lock;
  gboolean      watching;
  gboolean      card_present;
  gboolean      busy;
};

enum {
  PROP_0,
  PROP_CONNSTRING,
  PROP_CARD_PRESENT,
  PROP_BUSY,
  N_PROPS
};

enum {
  CARD_INSERTED,
  CARD_REMOVED,
  PROGRESS,
  READER_ERROR,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (TpReader, tp_reader, G_TYPE_OBJECT)

static gboolean
unref_cb (gpointer data)
{
  g_object_unref (data);
  return G_SOURCE_REMOVE;
}

/* The last reference to a task may hold the last reference to the
 * reader: drop it on the reader's context, never on the worker (which
 * cannot join itself). */
static void
unref_on_context (GMainContext *context,
                  gpointer      object)
{
  GSource *source = g_idle_source_new ();

  g_source_set_callback (source, unref_cb, object, NULL);
  g_source_set_static_name (source, "[tp-reader] unref");
  g_source_attach (source, context);
  g_source_unref (source);
}

static void
job_free (Job *job)
{
  g_clear_object (&job->task);
  g_clear_pointer (&job->key, tp_access_key_free);
  g_clear_pointer (&job->options, tp_read_options_free);
  g_free (job);
}

/* Emission on the creator's context */

typedef struct {
  TpReader *reader;
  guint     signal_id;
  char     *file;
  guint64   done;
  guint64   total;
  GError   *error;
  gboolean  presence;
} Emission;

static gboolean
emit_cb (gpointer data)
{
  Emission *e = data;

  if (e->signal_id == signals[PROGRESS])
    g_signal_emit (e->reader, e->signal_id, 0, e->file, e->done, e->total);
  else if (e->signal_id == signals[READER_ERROR])
    g_signal_emit (e->reader, e->signal_id, 0, e->error);
  else
    {
      g_object_notify_by_pspec (G_OBJECT (e->reader), properties[PROP_CARD_PRESENT]);
      g_signal_emit (e->reader, e->signal_id, 0);
    }
  return G_SOURCE_REMOVE;
}

static void
emission_free (gpointer data)
{
  Emission *e = data;

  g_object_unref (e->reader);
  g_free (e->file);
  g_clear_error (&e->error);
  g_free (e);
}

static void
emit_on_context (TpReader *self,
                 Emission *e)
{
  GSource *source = g_idle_source_new ();

  e->reader = g_object_ref (self);
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, emit_cb, e, emission_free);
  g_source_set_static_name (source, "[tp-reader] emit");
  g_source_attach (source, self->context);
  g_source_unref (source);
}

static void
set_card_present (TpReader *self,
                  gboolean  present)
{
  Emission *e;
  gboolean changed;

  g_mutex_lock (&self->lock);
  changed = self->card_present != present;
  self->card_present = present;
  g_mutex_unlock (&self->lock);

  if (!changed)
    return;
  e = g_new0 (Emission, 1);
  e->signal_id = present ? signals[CARD_INSERTED] : signals[CARD_REMOVED];
  emit_on_context (self, e);
}

static void
progress_cb (const char *file,
             guint64     done,
             guint64     total,
             gpointer    user_data)
{
  TpReader *self = user_data;
  Emission *e = g_new0 (Emission, 1);

  e->signal_id = signals[PROGRESS];
  e->file = g_strdup (file);
  e->done = done;
  e->total = total;
  emit_on_context (self, e);
}

/* Worker thread */

static gboolean
ensure_transport (TpReader  *self,
                  GError   **error)
{
  if (self->transport != NULL)
    return TRUE;
  self->transport = tp_transport_open (self->connstring, error);
  return self->transport != NULL;
}

static void
run_read (TpReader *self,
          Job      *job)
{
  g_autoptr(GError) error = NULL;
  TpDocument *document = NULL;
  GCancellable *cancellable = g_task_get_cancellable (job->task);

  g_mutex_lock (&self->lock);
  self->busy = TRUE;
  g_mutex_unlock (&self->lock);

  if (!g_cancellable_set_error_if_cancelled (cancellable, &error) &&
      ensure_transport (self, &error))
    {
      document = tp_document_reader_read (self->transport, job->key, job->options,
                                          progress_cb, self, cancellable, &error);
      if (document != NULL)
        set_card_present (self, TRUE);
      else if (g_error_matches (error, TP_TRANSPORT_ERROR, TP_TRANSPORT_ERROR_NO_CARD))
        set_card_present (self, FALSE);
    }

  g_mutex_lock (&self->lock);
  self->busy = FALSE;
  g_mutex_unlock (&self->lock);

  if (document != NULL)
    g_task_return_pointer (job->task, document, (GDestroyNotify) tp_document_free);
  else
    g_task_return_error (job->task, g_steal_pointer (&error));
  unref_on_context (self->context, g_steal_pointer (&job->task));
}

static void
watch_once (TpReader *self)
{
  g_autoptr(GError) error = NULL;
  gboolean was, present = FALSE;

  g_mutex_lock (&self->lock);
  was = self->card_present;
  g_mutex_unlock (&self->lock);

  if (!ensure_transport (self, &error) ||
      !tp_transport_poll_card (self->transport, was, WATCH_POLL_MS, &present, &error))
    {
      Emission *e = g_new0 (Emission, 1);

      e->signal_id = signals[READER_ERROR];
      e->error = g_steal_pointer (&error);
      emit_on_context (self, e);
      /* Do not spin on a broken reader: try again later from scratch. */
      g_clear_object (&self->transport);
      g_usleep (1000 * 1000);
      return;
    }

  /* A card that left takes its connection with it. */
  if (!present && tp_transport_is_connected (self->transport))
    tp_transport_disconnect (self->transport);
  set_card_present (self, present);
}

static gpointer
worker_main (gpointer data)
{
  TpReader *self = data;

  for (;;)
    {
      gboolean watching;
      Job *job;

      g_mutex_lock (&self->lock);
      watching = self->watching;
      g_mutex_unlock (&self->lock);

      job = g_async_queue_timeout_pop (self->jobs,
                                       (watching ? 1 : IDLE_WAIT_MS) * G_TIME_SPAN_MILLISECOND);
      if (job != NULL)
        {
          if (job->kind == JOB_QUIT)
            {
              job_free (job);
              break;
            }
          run_read (self, job);
          job_free (job);
          continue;
        }

      if (watching)
        watch_once (self);
    }

  g_clear_object (&self->transport);
  return NULL;
}

static void
ensure_thread (TpReader *self)
{
  if (self->thread != NULL)
    return;
  /* The worker holds no reference: dispose stops it and waits. */
  self->thread = g_thread_new ("tp-reader", worker_main, self);
}

/* GObject */

static void
tp_reader_dispose (GObject *object)
{
  TpReader *self = TP_READER (object);

  if (self->thread != NULL)
    {
      Job *quit = g_new0 (Job, 1);

      quit->kind = JOB_QUIT;
      g_async_queue_push_front (self->jobs, quit);
      g_thread_join (self->thread);
      self->thread = NULL;
    }

  G_OBJECT_CLASS (tp_reader_parent_class)->dispose (object);
}

static void
tp_reader_finalize (GObject *object)
{
  TpReader *self = TP_READER (object);

  g_clear_object (&self->transport);
  g_clear_pointer (&self->jobs, g_async_queue_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->connstring, g_free);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (tp_reader_parent_class)->finalize (object);
}

static void
tp_reader_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  TpReader *self = TP_READER (object);

  switch (prop_id)
    {
    case PROP_CONNSTRING:
      g_value_set_string (value, self->connstring);
      break;

    case PROP_CARD_PRESENT:
      g_value_set_boolean (value, tp_reader_get_card_present (self));
      break;

    case PROP_BUSY:
      g_value_set_boolean (value, tp_reader_get_busy (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tp_reader_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  TpReader *self = TP_READER (object);

  switch (prop_id)
    {
    case PROP_CONNSTRING:
      g_free (self->connstring);
      self->connstring = g_value_dup_string (value);
      break;

    case PROP_CARD_PRESENT:
    case PROP_BUSY:
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tp_reader_class_init (TpReaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tp_reader_dispose;
  object_class->finalize = tp_reader_finalize;
  object_class->get_property = tp_reader_get_property;
  object_class->set_property = tp_reader_set_property;

  properties[PROP_CONNSTRING] =
    g_param_spec_string ("connstring", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CARD_PRESENT] =
    g_param_spec_boolean ("card-present", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[CARD_INSERTED] =
    g_signal_new ("card-inserted", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[CARD_REMOVED] =
    g_signal_new ("card-removed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[PROGRESS] =
    g_signal_new ("progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 3,
                  G_TYPE_STRING, G_TYPE_UINT64, G_TYPE_UINT64);
  signals[READER_ERROR] =
    g_signal_new ("reader-error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
tp_reader_init (TpReader *self)
{
  g_mutex_init (&self->lock);
  self->jobs = g_async_queue_new_full ((GDestroyNotify) job_free);
  self->context = g_main_context_ref_thread_default ();
}

/* Public API */

TpReader *
tp_reader_new (const char *connstring)
{
  g_return_val_if_fail (connstring != NULL, NULL);

  return g_object_new (TP_TYPE_READER, "connstring", connstring, NULL);
}

TpReader *
tp_reader_new_for_transport (TpTransport *transport)
{
  TpReader *self;

  g_return_val_if_fail (TP_IS_TRANSPORT (transport), NULL);

  self = g_object_new (TP_TYPE_READER, "connstring", tp_transport_get_connstring (transport), NULL);
  self->transport = g_object_ref (transport);
  return self;
}

const char *
tp_reader_get_connstring (TpReader *self)
{
  g_return_val_if_fail (TP_IS_READER (self), NULL);

  return self->connstring;
}

gboolean
tp_reader_get_card_present (TpReader *self)
{
  gboolean present;

  g_return_val_if_fail (TP_IS_READER (self), FALSE);

  g_mutex_lock (&self->lock);
  present = self->card_present;
  g_mutex_unlock (&self->lock);
  return present;
}

gboolean
tp_reader_get_busy (TpReader *self)
{
  gboolean busy;

  g_return_val_if_fail (TP_IS_READER (self), FALSE);

  g_mutex_lock (&self->lock);
  busy = self->busy;
  g_mutex_unlock (&self->lock);
  return busy;
}

void
tp_reader_start_watching (TpReader *self)
{
  g_return_if_fail (TP_IS_READER (self));

  g_mutex_lock (&self->lock);
  self->watching = TRUE;
  g_mutex_unlock (&self->lock);
  ensure_thread (self);
}

void
tp_reader_stop_watching (TpReader *self)
{
  g_return_if_fail (TP_IS_READER (self));

  g_mutex_lock (&self->lock);
  self->watching = FALSE;
  g_mutex_unlock (&self->lock);
}

void
tp_reader_read_document_async (TpReader            *self,
                               const TpAccessKey   *key,
                               const TpReadOptions *options,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  Job *job;

  g_return_if_fail (TP_IS_READER (self));
  g_return_if_fail (key != NULL);

  job = g_new0 (Job, 1);
  job->kind = JOB_READ;
  job->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (job->task, tp_reader_read_document_async);
  job->key = tp_access_key_copy (key);
  job->options = options ? tp_read_options_copy (options) : tp_read_options_new ();

  ensure_thread (self);
  g_async_queue_push (self->jobs, job);
}

TpDocument *
tp_reader_read_document_finish (TpReader      *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (TP_IS_READER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
list_readers_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  gboolean include_sim = GPOINTER_TO_INT (task_data);

  g_task_return_pointer (task, tp_transport_list_readers (include_sim),
                         (GDestroyNotify) g_ptr_array_unref);
}

void
tp_reader_list_readers_async (gboolean             include_sim,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, tp_reader_list_readers_async);
  g_task_set_task_data (task, GINT_TO_POINTER (include_sim), NULL);
  g_task_run_in_thread (task, list_readers_thread);
}

GPtrArray *
tp_reader_list_readers_finish (GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
