/* tp-sync-client.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shape: a pass (head, then segments or the snapshot, then the outbox) is
 * a chain of asynchronous steps on the caller's main context. Network
 * requests are libsoup's asynchronous API; each step that touches the
 * store is a job run on a worker thread, jobs strictly one after the
 * other through one store connection. Every job reads the list's status
 * afterwards, and the main context publishes it as properties.
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "tp-audit-log.h"
#include "tp-feed-receipt.h"
#include "tp-feed-segment.h"
#include "tp-feed-util.h"
#include "tp-outbox.h"
#include "tp-sync-client.h"
#include "tp-sync-message.h"

#define HEAD_MAX            (64 * 1024)
#define SEGMENT_MAX         TP_FEED_SEGMENT_MAX_SIZE
#define RECEIPTS_MAX        (16 * 1024 * 1024)
#define EVENTS_BATCH        500
/* further behind than this, the snapshot is cheaper than the segments */
#define FAR_BEHIND          50000
#define DEFAULT_HEARTBEAT_S 60
#define BACKOFF_MAX_S       60
#define PUSH_BACKOFF_MAX_S  30
#define OUTBOX_POLL_S       2
#define HTTP_TIMEOUT_S      60

struct _TpSyncClient
{
  GObject          parent_instance;

  GMainContext    *context;
  char            *db_path;
  TpKeySource     *key_source;
  char            *hub_url;
  char            *feed_url;
  char            *push_url;
  TpFeedKeyring   *keys;
  GTlsCertificate *certificate;
  GTlsDatabase    *ca;
  SoupSession     *hub_session;
  SoupSession     *mirror_session;   /* a feed that is not the hub's */
  char            *snapshot_path;

  /* store jobs: worker threads, one at a time */
  TpStore         *store;
  GQueue           jobs;
  gboolean         job_running;

  /* what is published */
  TpSyncStatus     status;
  gboolean         has_status;
  gboolean         stale;
  TpSyncState      state;
  char            *last_error;
  gboolean         connected;

  /* the newest head fetched and accepted */
  GBytes          *head_bytes;
  char            *head_etag;
  guint            heartbeat_s;

  /* passes */
  gboolean         pass_running;
  gboolean         pass_requested;
  GPtrArray       *pass_waiting;     /* of GTask: answered by the next pass */
  GPtrArray       *pass_current;
  guint            failures;

  /* outbox flushes */
  gboolean         flush_running;
  gboolean         flush_requested;
  GPtrArray       *flush_waiting;
  GPtrArray       *flush_current;
  guint            flush_failures;

  /* following */
  gboolean         following;
  GCancellable    *cancellable;      /* cancelled by stop */
  SoupWebsocketConnection *push;
  gboolean         push_connecting;
  guint            push_failures;
  GSource         *poll_source;
  GSource         *push_source;
  GSource         *stale_source;
  GSource         *outbox_source;
  GSource         *flush_source;
};

enum {
  PROP_0,
  PROP_SEQ,
  PROP_STATE_HASH,
  PROP_ENTRIES,
  PROP_STALE,
  PROP_HEAD_ISSUED_AT,
  PROP_OUTBOX_PENDING,
  PROP_OUTBOX_REJECTED,
  PROP_CONNECTED,
  PROP_STATE,
  PROP_LAST_ERROR,
  N_PROPS
};

enum {
  SIGNAL_CHANGED,
  SIGNAL_APPLIED,
  SIGNAL_ESCALATION,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (TpSyncClient, tp_sync_client, G_TYPE_OBJECT)

static void request_pass      (TpSyncClient *self);
static void request_flush     (TpSyncClient *self);
static void push_connect      (TpSyncClient *self);

/* The state enum */

static const GEnumValue state_values[] = {
  { TP_SYNC_STATE_IDLE, "TP_SYNC_STATE_IDLE", "idle" },
  { TP_SYNC_STATE_SYNCING, "TP_SYNC_STATE_SYNCING", "syncing" },
  { TP_SYNC_STATE_CURRENT, "TP_SYNC_STATE_CURRENT", "current" },
  { TP_SYNC_STATE_OFFLINE, "TP_SYNC_STATE_OFFLINE", "offline" },
  { TP_SYNC_STATE_REFUSED, "TP_SYNC_STATE_REFUSED", "refused" },
  { TP_SYNC_STATE_FAILED, "TP_SYNC_STATE_FAILED", "failed" },
  { 0, NULL, NULL }
};

GType
tp_sync_state_get_type (void)
{
  static gsize type = 0;

  if (g_once_init_enter (&type))
    g_once_init_leave (&type, g_enum_register_static ("TpSyncState", state_values));
  return type;
}

const char *
tp_sync_state_to_string (TpSyncState state)
{
  g_return_val_if_fail ((guint) state <= TP_SYNC_STATE_FAILED, NULL);

  return state_values[state].value_nick;
}

/* Timers on the client's context */

static void
clear_source (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_source_unref (*source);
      *source = NULL;
    }
}

static void
set_timer (TpSyncClient  *self,
           GSource      **slot,
           guint          delay_ms,
           GSourceFunc    func)
{
  clear_source (slot);
  *slot = g_timeout_source_new (delay_ms);
  /* the client outlives its sources: dispose destroys them */
  g_source_set_callback (*slot, func, self, NULL);
  g_source_attach (*slot, self->context);
}

/* Exponential backoff with jitter: 1, 2, 4... seconds up to @max, each
 * drawn between half and all of it, so that terminals that lost the hub
 * together do not come back together. */
static guint
backoff_ms (guint failures,
            guint max_s)
{
  double delay = MIN ((double) max_s, (double) (1u << MIN (failures > 0 ? failures - 1 : 0, 16)));

  return (guint) (delay * 1000.0 * g_random_double_range (0.5, 1.0));
}

/* Publishing */

static void
emit_changed (TpSyncClient *self)
{
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

static gboolean
compute_stale (TpSyncClient *self)
{
  return !self->has_status || self->status.head_expires_at == 0 ||
         g_get_real_time () / G_USEC_PER_SEC >= self->status.head_expires_at;
}

static gboolean stale_cb (gpointer user_data);

static gboolean
update_stale (TpSyncClient *self)
{
  gboolean stale = compute_stale (self);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  clear_source (&self->stale_source);
  if (!stale)
    set_timer (self, &self->stale_source,
               (guint) MIN ((self->status.head_expires_at - now) * 1000 + 100, G_MAXINT32), stale_cb);
  if (stale == self->stale)
    return FALSE;
  self->stale = stale;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STALE]);
  return TRUE;
}

static gboolean
stale_cb (gpointer user_data)
{
  TpSyncClient *self = user_data;

  g_clear_pointer (&self->stale_source, g_source_unref);
  if (update_stale (self))
    emit_changed (self);
  return G_SOURCE_REMOVE;
}

static void
set_status (TpSyncClient        *self,
            const TpSyncStatus  *status)
{
  gboolean first = !self->has_status;
  gboolean changed = first;
  TpSyncStatus old = self->status;

  self->status = *status;
  self->has_status = TRUE;
  g_object_freeze_notify (G_OBJECT (self));
#define CHECK(field, prop) \
  if (first || old.field != status->field) \
    { changed = TRUE; g_object_notify_by_pspec (G_OBJECT (self), properties[prop]); }
  CHECK (seq, PROP_SEQ);
  CHECK (entries, PROP_ENTRIES);
  CHECK (head_issued_at, PROP_HEAD_ISSUED_AT);
  CHECK (outbox_pending, PROP_OUTBOX_PENDING);
  CHECK (outbox_rejected, PROP_OUTBOX_REJECTED);
#undef CHECK
  if (first || strcmp (old.state_hash, status->state_hash) != 0)
    {
      changed = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE_HASH]);
    }
  if (old.head_expires_at != status->head_expires_at)
    changed = TRUE;
  if (update_stale (self))
    changed = TRUE;
  g_object_thaw_notify (G_OBJECT (self));
  if (changed)
    emit_changed (self);
}

/* @error: the failure, or NULL; a pass under way (SYNCING) keeps the
 * last one until it ends */
static void
set_state (TpSyncClient *self,
           TpSyncState   state,
           const GError *error)
{
  gboolean changed = FALSE;
  const char *message = error != NULL ? error->message
                      : state == TP_SYNC_STATE_SYNCING ? self->last_error : NULL;

  if (self->state != state)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
      changed = TRUE;
    }
  if (g_strcmp0 (self->last_error, message) != 0)
    {
      g_free (self->last_error);
      self->last_error = g_strdup (message);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_ERROR]);
      changed = TRUE;
    }
  if (changed)
    emit_changed (self);
}

static void
set_connected (TpSyncClient *self,
               gboolean      connected)
{
  if (self->connected == connected)
    return;
  self->connected = connected;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTED]);
  emit_changed (self);
}

/* Store jobs */

typedef gboolean (*JobFunc) (TpStore       *store,
                             gpointer       data,
                             GCancellable  *cancellable,
                             GError       **error);

typedef struct {
  TpSyncClient   *self;      /* a reference, released on the client's context */
  JobFunc         func;
  gpointer        data;
  GDestroyNotify  free;
  TpSyncStatus    status;
  gboolean        has_status;
} Job;

static void
job_free (Job *job)
{
  if (job->free != NULL)
    job->free (job->data);
  g_assert (job->self == NULL);
  g_free (job);
}

static void dispatch_jobs (TpSyncClient *self);

static gboolean
job_done_cb (gpointer user_data)
{
  TpSyncClient *self = user_data;

  self->job_running = FALSE;
  dispatch_jobs (self);
  return G_SOURCE_REMOVE;
}

static void
job_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  Job *job = task_data;
  TpSyncClient *self = job->self;
  g_autoptr(GError) error = NULL;
  gboolean ok = TRUE;

  if (self->store == NULL)
    {
      self->store = tp_store_open (self->db_path, self->key_source, TP_STORE_OPEN_CREATE, &error);
      ok = self->store != NULL;
    }
  if (ok && job->func != NULL)
    ok = job->func (self->store, job->data, cancellable, &error);
  /* whatever happened, where the list now stands */
  if (self->store != NULL)
    {
      g_autoptr(GError) status_error = NULL;

      job->has_status = tp_sync_read_status (self->store, &job->status, ok ? &error : &status_error);
      ok = ok && job->has_status;
    }

  /* the next job may start; the reference goes back on the client's context */
  job->self = NULL;
  g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT, job_done_cb, self, g_object_unref);
  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

static void
dispatch_jobs (TpSyncClient *self)
{
  GTask *task;

  if (self->job_running || g_queue_is_empty (&self->jobs))
    return;
  task = g_queue_pop_head (&self->jobs);
  self->job_running = TRUE;
  g_task_run_in_thread (task, job_thread);
  g_object_unref (task);
}

static void
run_job (TpSyncClient        *self,
         JobFunc              func,
         gpointer             data,
         GDestroyNotify       free_data,
         GCancellable        *cancellable,
         GAsyncReadyCallback  callback,
         gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  Job *job = g_new0 (Job, 1);

  job->self = g_object_ref (self);
  job->func = func;
  job->data = data;
  job->free = free_data;
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  g_task_set_source_tag (task, run_job);
  g_queue_push_tail (&self->jobs, task);
  dispatch_jobs (self);
}

/* The job's data and outcome; the status it read is published unless
 * @publish is FALSE (then publish_job() later). */
static gboolean
finish_job_full (TpSyncClient  *self,
                 GAsyncResult  *result,
                 gboolean       publish,
                 gpointer      *data,
                 GError       **error)
{
  Job *job = g_task_get_task_data (G_TASK (result));

  if (publish && job->has_status)
    set_status (self, &job->status);
  if (data != NULL)
    *data = job->data;
  return g_task_propagate_boolean (G_TASK (result), error);
}

static gboolean
finish_job (TpSyncClient  *self,
            GAsyncResult  *result,
            gpointer      *data,
            GError       **error)
{
  return finish_job_full (self, result, TRUE, data, error);
}

static void
publish_job (TpSyncClient *self,
             GAsyncResult *result)
{
  Job *job = g_task_get_task_data (G_TASK (result));

  if (job->has_status)
    set_status (self, &job->status);
}

/* HTTP */

typedef struct {
  SoupMessage   *msg;
  GInputStream  *stream;
  GByteArray    *body;          /* to memory */
  GOutputStream *file;          /* or to a file */
  GChecksum     *checksum;
  gsize          max;
  gsize          received;
  guint          status;
  char          *url;
} Fetch;

static void
fetch_free (Fetch *fetch)
{
  g_clear_object (&fetch->msg);
  g_clear_object (&fetch->stream);
  g_clear_pointer (&fetch->body, g_byte_array_unref);
  g_clear_object (&fetch->file);
  g_clear_pointer (&fetch->checksum, g_checksum_free);
  g_free (fetch->url);
  g_free (fetch);
}

static gboolean
uses_hub_session (TpSyncClient *self,
                  const char   *url)
{
  g_autoptr(GUri) a = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  g_autoptr(GUri) b = g_uri_parse (self->hub_url, G_URI_FLAGS_NONE, NULL);

  return a != NULL && b != NULL && g_strcmp0 (g_uri_get_scheme (a), g_uri_get_scheme (b)) == 0 &&
         g_ascii_strcasecmp (g_uri_get_host (a), g_uri_get_host (b)) == 0 &&
         g_uri_get_port (a) == g_uri_get_port (b);
}

static SoupMessage *
new_message (TpSyncClient *self,
             const char   *method,
             const char   *url)
{
  SoupMessage *msg = soup_message_new (method, url);

  if (msg != NULL && uses_hub_session (self, url))
    soup_message_set_tls_client_certificate (msg, self->certificate);
  return msg;
}

static SoupSession *
session_for (TpSyncClient *self,
             const char   *url)
{
  return uses_hub_session (self, url) ? self->hub_session : self->mirror_session;
}

/* A transport failure as a person can act on it. */
static GError *
network_error (const char   *what,
               const char   *url,
               const GError *error)
{
  if (error->domain == G_TLS_ERROR)
    return g_error_new (TP_SYNC_ERROR, TP_SYNC_ERROR_FORBIDDEN,
                        "%s %s: TLS failed (%s): a terminal certificate revoked, or not issued by this "
                        "hub's CA, or a server that is not the enrolled hub", what, url, error->message);
  return g_error_new (TP_SYNC_ERROR, TP_SYNC_ERROR_NETWORK, "%s %s: %s", what, url, error->message);
}

static GError *
http_error (const char  *what,
            const char  *url,
            SoupMessage *msg,
            GBytes      *body)
{
  guint status = soup_message_get_status (msg);
  g_autofree char *text = NULL;

  if (body != NULL && g_bytes_get_size (body) > 0 && g_bytes_get_size (body) < 1024 &&
      g_utf8_validate (g_bytes_get_data (body, NULL), (gssize) g_bytes_get_size (body), NULL))
    {
      text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
      g_strstrip (text);
    }
  return g_error_new (TP_SYNC_ERROR, status == 401 || status == 403 ? TP_SYNC_ERROR_FORBIDDEN : TP_SYNC_ERROR_NETWORK,
                      "%s %s: HTTP %u %s%s%s", what, url, status,
                      soup_message_get_reason_phrase (msg) ? soup_message_get_reason_phrase (msg) : "",
                      text ? ": " : "", text ? text : "");
}

static void fetch_read_cb (GObject *source, GAsyncResult *result, gpointer user_data);

static void
fetch_next (GTask *task)
{
  Fetch *fetch = g_task_get_task_data (task);

  g_input_stream_read_bytes_async (fetch->stream, 64 * 1024, G_PRIORITY_DEFAULT,
                                   g_task_get_cancellable (task), fetch_read_cb, task);
}

static void
fetch_written_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Fetch *fetch = g_task_get_task_data (task);
  GError *error = NULL;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error))
    {
      g_prefix_error (&error, "Cannot save %s: ", fetch->url);
      g_task_return_error (task, error);
      return;
    }
  fetch_next (g_steal_pointer (&task));
}

static void
fetch_read_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Fetch *fetch = g_task_get_task_data (task);
  g_autoptr(GBytes) chunk = NULL;
  GError *error = NULL;
  gsize len;
  const guint8 *data;

  chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);
  if (chunk == NULL)
    {
      g_task_return_error (task, network_error ("GET", fetch->url, error));
      g_error_free (error);
      return;
    }
  data = g_bytes_get_data (chunk, &len);
  if (len == 0)
    {
      if (fetch->file != NULL && !g_output_stream_close (fetch->file, NULL, &error))
        {
          g_task_return_error (task, error);
          return;
        }
      g_task_return_boolean (task, TRUE);
      return;
    }
  fetch->received += len;
  if (fetch->received > fetch->max)
    {
      g_task_return_new_error (task, TP_SYNC_ERROR, TP_SYNC_ERROR_REFUSED,
                               "GET %s: more than %" G_GSIZE_FORMAT " bytes, more than it can be", fetch->url,
                               fetch->max);
      return;
    }
  if (fetch->file != NULL)
    {
      GCancellable *cancellable = g_task_get_cancellable (task);

      /* @chunk must live until written */
      g_object_set_data_full (G_OBJECT (fetch->file), "chunk", g_steal_pointer (&chunk),
                              (GDestroyNotify) g_bytes_unref);
      g_output_stream_write_all_async (fetch->file, data, len, G_PRIORITY_DEFAULT, cancellable,
                                       fetch_written_cb, g_steal_pointer (&task));
      return;
    }
  g_byte_array_append (fetch->body, data, (guint) len);
  fetch_next (g_steal_pointer (&task));
}

static void
fetch_sent_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Fetch *fetch = g_task_get_task_data (task);
  GError *error = NULL;

  fetch->stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (fetch->stream == NULL)
    {
      g_task_return_error (task, network_error ("GET", fetch->url, error));
      g_error_free (error);
      return;
    }
  fetch->status = soup_message_get_status (fetch->msg);
  if (fetch->status != SOUP_STATUS_OK)
    {
      /* small error bodies are read (the hub says why); the stream is
       * read like a body, capped, into memory */
      g_clear_object (&fetch->file);
      fetch->max = 1024;
    }
  fetch_next (g_steal_pointer (&task));
}

/* GET @url; the body to memory (at most @max bytes) or, with @path, to that
 * file. @etag: If-None-Match. The task's result: TRUE, with the Fetch
 * (status, body) as task data; an HTTP status other than 200 is not an
 * error here. */
static void
fetch_async (TpSyncClient        *self,
             const char          *url,
             const char          *etag,
             gsize                max,
             const char          *path,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Fetch *fetch = g_new0 (Fetch, 1);

  g_task_set_task_data (task, fetch, (GDestroyNotify) fetch_free);
  fetch->url = g_strdup (url);
  fetch->max = max;
  fetch->body = g_byte_array_new ();
  fetch->msg = new_message (self, "GET", url);
  if (fetch->msg == NULL)
    {
      g_task_return_new_error (task, TP_SYNC_ERROR, TP_SYNC_ERROR_NETWORK, "“%s” is not a URL", url);
      g_object_unref (task);
      return;
    }
  if (etag != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (fetch->msg), "If-None-Match", etag);
  if (path != NULL)
    {
      g_autoptr(GFile) file = g_file_new_for_path (path);
      GError *error = NULL;

      fetch->file = G_OUTPUT_STREAM (g_file_replace (file, NULL, FALSE, G_FILE_CREATE_PRIVATE, NULL, &error));
      if (fetch->file == NULL)
        {
          g_task_return_error (task, error);
          g_object_unref (task);
          return;
        }
    }
  soup_session_send_async (session_for (self, url), fetch->msg, G_PRIORITY_DEFAULT, cancellable,
                           fetch_sent_cb, task);
}

static Fetch *
fetch_finish (GAsyncResult  *result,
              GError       **error)
{
  if (!g_task_propagate_boolean (G_TASK (result), error))
    return NULL;
  return g_task_get_task_data (G_TASK (result));
}

static GBytes *
fetch_body (Fetch *fetch)
{
  return g_bytes_new (fetch->body->data, fetch->body->len);
}

/* POST @body to the hub's @path; the answer in memory (at most @max). */
typedef struct {
  SoupMessage *msg;
  char        *url;
  gsize        max;
} Post;

static void
post_free (Post *post)
{
  g_clear_object (&post->msg);
  g_free (post->url);
  g_free (post);
}

static void
post_sent_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Post *post = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(GBytes) answer = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);

  if (answer == NULL)
    {
      g_task_return_error (task, network_error ("POST", post->url, error));
      g_error_free (error);
      return;
    }
  if (soup_message_get_status (post->msg) != SOUP_STATUS_OK)
    {
      g_task_return_error (task, http_error ("POST", post->url, post->msg, answer));
      return;
    }
  if (g_bytes_get_size (answer) > post->max)
    {
      g_task_return_new_error (task, TP_SYNC_ERROR, TP_SYNC_ERROR_NETWORK, "POST %s: an answer of %" G_GSIZE_FORMAT
                               " bytes, too long", post->url, g_bytes_get_size (answer));
      return;
    }
  g_task_return_pointer (task, g_steal_pointer (&answer), (GDestroyNotify) g_bytes_unref);
}

static void
post_async (TpSyncClient        *self,
            const char          *path,
            const char          *content_type,
            GBytes              *body,
            gsize                max,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Post *post = g_new0 (Post, 1);

  g_task_set_task_data (task, post, (GDestroyNotify) post_free);
  post->url = g_strconcat (self->hub_url, path, NULL);
  post->max = max;
  post->msg = new_message (self, "POST", post->url);
  soup_message_set_request_body_from_bytes (post->msg, content_type, body);
  soup_session_send_and_read_async (self->hub_session, post->msg, G_PRIORITY_DEFAULT, cancellable,
                                    post_sent_cb, task);
}

static GBytes *
post_finish (GAsyncResult  *result,
             GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Passes: head, chain, snapshot, outbox */

typedef struct {
  TpSyncClient *self;
  GCancellable *cancellable;
  TpFeedHead   *head;
  GBytes       *head_bytes;
  char         *head_etag;
  gboolean      snapshot_tried;
  guint64       applied;
} Pass;

static void
pass_free (Pass *pass)
{
  g_clear_object (&pass->self);
  g_clear_object (&pass->cancellable);
  g_clear_pointer (&pass->head, tp_feed_head_free);
  g_clear_pointer (&pass->head_bytes, g_bytes_unref);
  g_free (pass->head_etag);
  g_free (pass);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Pass, pass_free)

static void pass_segment (Pass *pass);
static void pass_snapshot (Pass *pass, GError *cause);
static void start_pass (TpSyncClient *self);

static gboolean
poll_cb (gpointer user_data)
{
  TpSyncClient *self = user_data;

  g_clear_pointer (&self->poll_source, g_source_unref);
  request_pass (self);
  return G_SOURCE_REMOVE;
}

static void
complete_tasks (GPtrArray    *tasks,
                const GError *error)
{
  for (guint i = 0; i < tasks->len; i++)
    {
      GTask *task = g_ptr_array_index (tasks, i);

      if (error != NULL)
        g_task_return_error (task, g_error_copy (error));
      else
        g_task_return_boolean (task, TRUE);
    }
  g_ptr_array_set_size (tasks, 0);
}

/* Takes @error */
static void
pass_finish (Pass   *pass_in,
             GError *error)
{
  g_autoptr(Pass) pass = pass_in;
  TpSyncClient *self = pass->self;
  TpSyncState state = TP_SYNC_STATE_CURRENT;

  if (error != NULL)
    {
      if (g_error_matches (error, TP_SYNC_ERROR, TP_SYNC_ERROR_REFUSED) ||
          g_error_matches (error, TP_SYNC_ERROR, TP_SYNC_ERROR_CHAIN))
        state = TP_SYNC_STATE_REFUSED;
      else if (g_error_matches (error, TP_SYNC_ERROR, TP_SYNC_ERROR_NETWORK) ||
               g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        state = TP_SYNC_STATE_OFFLINE;
      else
        state = TP_SYNC_STATE_FAILED;
      self->failures++;
    }
  else
    self->failures = 0;
  set_state (self, state, error);

  if (self->following)
    {
      guint delay;

      if (error != NULL)
        delay = backoff_ms (self->failures, BACKOFF_MAX_S);
      else
        delay = (guint) (self->heartbeat_s * 1000.0 * g_random_double_range (1.0, 1.25));
      set_timer (self, &self->poll_source, delay, poll_cb);
    }

  complete_tasks (self->pass_current, error);
  g_clear_error (&error);
  self->pass_running = FALSE;
  if (self->pass_requested || self->pass_waiting->len > 0)
    start_pass (self);
}

static void
pass_flushed_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Pass *pass = user_data;

  /* the outbox's outcome is its own (outbox-pending, last-error of the flush) */
  tp_sync_client_flush_outbox_finish (TP_SYNC_CLIENT (source), result, NULL);
  pass_finish (pass, NULL);
}

static void
pass_feed_done (Pass *pass)
{
  tp_sync_client_flush_outbox_async (pass->self, pass->cancellable, pass_flushed_cb, pass);
}

/* After a segment or a snapshot: on to the head */
static void
pass_continue (Pass *pass)
{
  if (pass->self->status.seq < (gint64) pass->head->seq)
    pass_segment (pass);
  else
    pass_feed_done (pass);
}

typedef struct {
  TpFeedKeyring *keys;      /* borrowed from the client, which outlives its jobs */
  TpFeedHead    *head;      /* borrowed from the pass, which outlives its jobs */
  GBytes        *data;
  char          *path;
  guint64        result;
} ApplyJob;

static void
apply_job_free (ApplyJob *job)
{
  g_clear_pointer (&job->data, g_bytes_unref);
  g_free (job->path);
  g_free (job);
}

static void
pass_applied_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Pass *pass = user_data;
  TpSyncClient *self = pass->self;
  GError *error = NULL;
  gint64 before = self->status.seq;
  ApplyJob *job = NULL;

  if (!finish_job_full (self, result, FALSE, (gpointer *) &job, &error))
    {
      publish_job (self, result);
      if (tp_sync_error_wants_snapshot (error))
        pass_snapshot (pass, error);
      else
        pass_finish (pass, error);
      return;
    }
  pass->applied += job->result;
  /* "applied" first, then the new status ("changed") */
  g_signal_emit (self, signals[SIGNAL_APPLIED], 0, (guint64) before + 1,
                 (guint64) ((Job *) g_task_get_task_data (G_TASK (result)))->status.seq, job->result);
  publish_job (self, result);
  pass_continue (pass);
}

static gboolean
apply_segment_job (TpStore       *store,
                   gpointer       data,
                   GCancellable  *cancellable,
                   GError       **error)
{
  ApplyJob *job = data;
  gsize len;
  const guint8 *bytes = g_bytes_get_data (job->data, &len);

  return tp_sync_apply_segment (store, job->keys, job->head, bytes != NULL ? bytes : (const guint8 *) "", len,
                                &job->result, error);
}

static gboolean
load_snapshot_job (TpStore       *store,
                   gpointer       data,
                   GCancellable  *cancellable,
                   GError       **error)
{
  ApplyJob *job = data;

  return tp_sync_load_snapshot (store, job->keys, job->head, job->path, cancellable, &job->result, error);
}

static void
pass_segment_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Pass *pass = user_data;
  TpSyncClient *self = pass->self;
  GError *error = NULL;
  Fetch *fetch = fetch_finish (result, &error);
  ApplyJob *job;

  if (fetch == NULL)
    {
      pass_finish (pass, error);
      return;
    }
  if (fetch->status == SOUP_STATUS_NOT_FOUND)
    {
      error = g_error_new (TP_SYNC_ERROR, TP_SYNC_ERROR_CHAIN,
                           "The feed has no segment starting at change %" G_GINT64_FORMAT " (%s: 404)",
                           self->status.seq + 1, fetch->url);
      pass_snapshot (pass, error);
      return;
    }
  if (fetch->status != SOUP_STATUS_OK)
    {
      g_autoptr(GBytes) body = fetch_body (fetch);

      pass_finish (pass, http_error ("GET", fetch->url, fetch->msg, body));
      return;
    }
  job = g_new0 (ApplyJob, 1);
  job->keys = self->keys;
  job->head = pass->head;
  job->data = fetch_body (fetch);
  run_job (self, apply_segment_job, job, (GDestroyNotify) apply_job_free, pass->cancellable,
           pass_applied_cb, pass);
}

static void
pass_segment (Pass *pass)
{
  TpSyncClient *self = pass->self;
  g_autofree char *url = g_strdup_printf ("%ssegments/%" G_GINT64_FORMAT, self->feed_url, self->status.seq + 1);

  fetch_async (self, url, NULL, SEGMENT_MAX, NULL, pass->cancellable, pass_segment_cb, pass);
}

static void
pass_snapshot_applied_cb (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  Pass *pass = user_data;
  TpSyncClient *self = pass->self;
  GError *error = NULL;
  ApplyJob *job = NULL;

  g_unlink (self->snapshot_path);
  if (!finish_job_full (self, result, FALSE, (gpointer *) &job, &error))
    {
      publish_job (self, result);
      pass_finish (pass, error);
      return;
    }
  g_signal_emit (self, signals[SIGNAL_APPLIED], 0, (guint64) 0,
                 (guint64) ((Job *) g_task_get_task_data (G_TASK (result)))->status.seq, job->result);
  publish_job (self, result);
  pass_continue (pass);
}

static void
pass_snapshot_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Pass *pass = user_data;
  TpSyncClient *self = pass->self;
  GError *error = NULL;
  Fetch *fetch = fetch_finish (result, &error);
  ApplyJob *job;

  if (fetch == NULL || fetch->status != SOUP_STATUS_OK)
    {
      if (fetch != NULL)
        {
          g_autoptr(GBytes) body = fetch_body (fetch);

          error = http_error ("GET", fetch->url, fetch->msg, body);
        }
      g_unlink (self->snapshot_path);
      pass_finish (pass, error);
      return;
    }
  job = g_new0 (ApplyJob, 1);
  job->keys = self->keys;
  job->head = pass->head;
  job->path = g_strdup (self->snapshot_path);
  run_job (self, load_snapshot_job, job, (GDestroyNotify) apply_job_free, pass->cancellable,
           pass_snapshot_applied_cb, pass);
}

/* The list from the head's snapshot: on first use, far behind, or to
 * repair what @cause (taken, may be NULL) says. */
static void
pass_snapshot (Pass   *pass,
               GError *cause)
{
  TpSyncClient *self = pass->self;
  g_autofree char *url = NULL;

  if (pass->snapshot_tried || !pass->head->has_snapshot)
    {
      if (cause == NULL)
        cause = g_error_new (TP_SYNC_ERROR, TP_SYNC_ERROR_CHAIN, "The feed names no snapshot");
      else if (!pass->head->has_snapshot)
        g_prefix_error (&cause, "No snapshot to repair the list from: ");
      pass_finish (pass, cause);
      return;
    }
  if (cause != NULL)
    g_debug ("Sync: rebuilding the list from snapshot %" G_GUINT64_FORMAT ": %s",
             pass->head->snapshot_seq, cause->message);
  g_clear_error (&cause);
  pass->snapshot_tried = TRUE;
  url = g_strdup_printf ("%ssnapshots/%" G_GUINT64_FORMAT ".jsonl.gz", self->feed_url, pass->head->snapshot_seq);
  fetch_async (self, url, NULL, (gsize) pass->head->snapshot_size, self->snapshot_path, pass->cancellable,
               pass_snapshot_cb, pass);
}

typedef struct {
  TpFeedKeyring    *keys;
  GBytes           *data;
  TpFeedHead       *head;
  TpSyncHeadStatus  status;
} HeadJob;

static void
head_job_free (HeadJob *job)
{
  g_clear_pointer (&job->data, g_bytes_unref);
  g_clear_pointer (&job->head, tp_feed_head_free);
  g_free (job);
}

static gboolean
check_head_job (TpStore       *store,
                gpointer       data,
                GCancellable  *cancellable,
                GError       **error)
{
  HeadJob *job = data;
  gsize len;
  const char *bytes = g_bytes_get_data (job->data, &len);

  return tp_sync_check_head (store, job->keys, bytes != NULL ? bytes : "", len, &job->head, &job->status, error);
}

static void
pass_head_checked_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  Pass *pass = user_data;
  TpSyncClient *self = pass->self;
  GError *error = NULL;
  HeadJob *job = NULL;
  gint64 seq;

  if (!finish_job (self, result, (gpointer *) &job, &error))
    {
      pass_finish (pass, error);
      return;
    }
  pass->head = g_steal_pointer (&job->head);
  /* accepted: remembered for conditional requests */
  g_clear_pointer (&self->head_bytes, g_bytes_unref);
  self->head_bytes = g_bytes_ref (pass->head_bytes);
  g_free (self->head_etag);
  self->head_etag = g_strdup (pass->head_etag);
  self->heartbeat_s = pass->head->heartbeat_s > 0 ? pass->head->heartbeat_s : DEFAULT_HEARTBEAT_S;

  if (job->status == TP_SYNC_HEAD_CURRENT)
    {
      pass_feed_done (pass);
      return;
    }
  seq = self->status.seq;
  if (pass->head->has_snapshot && (gint64) pass->head->snapshot_seq > seq &&
      (seq == 0 || (gint64) pass->head->seq - seq > FAR_BEHIND))
    pass_snapshot (pass, NULL);
  else
    pass_segment (pass);
}

static void
pass_head_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Pass *pass = user_data;
  TpSyncClient *self = pass->self;
  GError *error = NULL;
  Fetch *fetch = fetch_finish (result, &error);
  HeadJob *job;

  if (fetch == NULL)
    {
      pass_finish (pass, error);
      return;
    }
  if (fetch->status == SOUP_STATUS_NOT_MODIFIED && self->head_bytes != NULL)
    {
      pass->head_bytes = g_bytes_ref (self->head_bytes);
      pass->head_etag = g_strdup (self->head_etag);
    }
  else if (fetch->status == SOUP_STATUS_OK)
    {
      pass->head_bytes = fetch_body (fetch);
      pass->head_etag = g_strdup (soup_message_headers_get_one (soup_message_get_response_headers (fetch->msg),
                                                                "ETag"));
    }
  else
    {
      g_autoptr(GBytes) body = fetch_body (fetch);

      pass_finish (pass, http_error ("GET", fetch->url, fetch->msg, body));
      return;
    }
  job = g_new0 (HeadJob, 1);
  job->keys = self->keys;
  job->data = g_bytes_ref (pass->head_bytes);
  run_job (self, check_head_job, job, (GDestroyNotify) head_job_free, pass->cancellable,
           pass_head_checked_cb, pass);
}

static void
pass_fetch_head (Pass *pass)
{
  TpSyncClient *self = pass->self;
  g_autofree char *url = g_strconcat (self->feed_url, "head", NULL);

  fetch_async (self, url, self->head_bytes != NULL ? self->head_etag : NULL, HEAD_MAX, NULL, pass->cancellable,
               pass_head_cb, pass);
}

/* First the store as it stands (a status to report even when the feed
 * cannot be reached) */
static void
pass_status_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Pass *pass = user_data;
  GError *error = NULL;

  if (!finish_job (pass->self, result, NULL, &error))
    pass_finish (pass, error);
  else
    pass_fetch_head (pass);
}

static void
start_pass (TpSyncClient *self)
{
  Pass *pass;
  GPtrArray *swap;

  g_assert (!self->pass_running);
  self->pass_running = TRUE;
  self->pass_requested = FALSE;
  swap = self->pass_current;
  self->pass_current = self->pass_waiting;
  self->pass_waiting = swap;
  clear_source (&self->poll_source);
  set_state (self, TP_SYNC_STATE_SYNCING, NULL);

  pass = g_new0 (Pass, 1);
  pass->self = g_object_ref (self);
  pass->cancellable = self->cancellable != NULL ? g_object_ref (self->cancellable) : g_cancellable_new ();
  if (!self->has_status)
    run_job (self, NULL, NULL, NULL, pass->cancellable, pass_status_cb, pass);
  else
    pass_fetch_head (pass);
}

static void
request_pass (TpSyncClient *self)
{
  if (self->pass_running)
    self->pass_requested = TRUE;
  else
    start_pass (self);
}

void
tp_sync_client_sync_async (TpSyncClient        *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (TP_IS_SYNC_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tp_sync_client_sync_async);
  g_ptr_array_add (self->pass_waiting, task);
  if (!self->pass_running)
    start_pass (self);
}

gboolean
tp_sync_client_sync_finish (TpSyncClient  *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* The outbox */

typedef struct {
  TpSyncClient *self;
  GCancellable *cancellable;
  GPtrArray    *events;       /* of TpOutboxEvent */
  GError       *error;
} Flush;

static void
flush_free (Flush *flush)
{
  g_clear_object (&flush->self);
  g_clear_object (&flush->cancellable);
  g_clear_pointer (&flush->events, g_ptr_array_unref);
  g_clear_error (&flush->error);
  g_free (flush);
}

static void flush_batch (Flush *flush);
static void start_flush (TpSyncClient *self);

static gboolean
flush_retry_cb (gpointer user_data)
{
  TpSyncClient *self = user_data;

  g_clear_pointer (&self->flush_source, g_source_unref);
  request_flush (self);
  return G_SOURCE_REMOVE;
}

static void
flush_finish (Flush  *flush,
              GError *error)
{
  TpSyncClient *self = flush->self;

  if (error != NULL)
    {
      self->flush_failures++;
      if (self->following)
        set_timer (self, &self->flush_source, backoff_ms (self->flush_failures, BACKOFF_MAX_S), flush_retry_cb);
    }
  else
    self->flush_failures = 0;
  complete_tasks (self->flush_current, error);
  g_clear_error (&error);
  self->flush_running = FALSE;
  flush_free (flush);
  if (self->flush_requested || self->flush_waiting->len > 0)
    start_flush (self);
}

static gboolean
pending_job (TpStore       *store,
             gpointer       data,
             GCancellable  *cancellable,
             GError       **error)
{
  Flush *flush = data;

  g_clear_pointer (&flush->events, g_ptr_array_unref);
  flush->events = tp_store_outbox_pending (store, EVENTS_BATCH, error);
  return flush->events != NULL;
}

typedef struct {
  GArray    *receipts;   /* of TpOutboxReceipt, strings in @keep */
  GPtrArray *keep;
} MarkJob;

static void
mark_job_free (MarkJob *job)
{
  g_array_unref (job->receipts);
  g_ptr_array_unref (job->keep);
  g_free (job);
}

static gboolean
mark_job (TpStore       *store,
          gpointer       data,
          GCancellable  *cancellable,
          GError       **error)
{
  MarkJob *job = data;

  return tp_store_outbox_mark (store, (TpOutboxReceipt *) (gpointer) job->receipts->data, job->receipts->len, error);
}

static void
flush_marked_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Flush *flush = user_data;
  GError *error = NULL;

  if (!finish_job (flush->self, result, NULL, &error))
    flush_finish (flush, error);
  else if (flush->error != NULL)
    flush_finish (flush, g_steal_pointer (&flush->error));
  else if (flush->events->len >= EVENTS_BATCH)
    flush_batch (flush);
  else
    flush_finish (flush, NULL);
}

static void
flush_posted_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Flush *flush = user_data;
  TpSyncClient *self = flush->self;
  GError *error = NULL;
  g_autoptr(GBytes) answer = post_finish (result, &error);
  MarkJob *job;
  const char *text;
  gsize len;
  guint line = 0;

  if (answer == NULL)
    {
      flush_finish (flush, error);
      return;
    }
  job = g_new0 (MarkJob, 1);
  job->receipts = g_array_new (FALSE, TRUE, sizeof (TpOutboxReceipt));
  job->keep = g_ptr_array_new_with_free_func ((GDestroyNotify) tp_feed_receipt_free);
  text = g_bytes_get_data (answer, &len);
  /* one receipt per event, in order; a receipt is trusted for the event
   * of its line only when it names that event */
  while (len > 0 && text != NULL)
    {
      const char *end = memchr (text, '\n', len);
      gsize n = end != NULL ? (gsize) (end - text) : len;
      g_autoptr(GError) local_error = NULL;
      TpFeedReceipt *receipt;

      if (n > 0)
        {
          TpOutboxEvent *event;
          TpOutboxReceipt mark = { 0, };

          receipt = tp_feed_receipt_parse (text, n, &local_error);
          if (receipt == NULL)
            {
              g_warning ("The hub's receipt %u cannot be read: %s", line + 1, local_error->message);
              break;
            }
          g_ptr_array_add (job->keep, receipt);
          line++;
          if (receipt->line < 1 || receipt->line > flush->events->len)
            continue;
          event = g_ptr_array_index (flush->events, receipt->line - 1);
          if (receipt->id != NULL && strcmp (receipt->id, event->id) != 0)
            continue;
          mark.id = event->id;
          mark.status = receipt->status == TP_RECEIPT_ACCEPTED ? TP_OUTBOX_ACCEPTED
                      : receipt->status == TP_RECEIPT_DUPLICATE ? TP_OUTBOX_DUPLICATE
                      : TP_OUTBOX_REJECTED;
          mark.reason = receipt->reason;
          g_array_append_val (job->receipts, mark);
        }
      if (end == NULL)
        break;
      len -= n + 1;
      text = end + 1;
    }
  if (job->receipts->len < flush->events->len)
    error = g_error_new (TP_SYNC_ERROR, TP_SYNC_ERROR_NETWORK,
                         "The hub answered %u receipts for %u events: the others are sent again later",
                         job->receipts->len, flush->events->len);
  if (job->receipts->len == 0)
    {
      mark_job_free (job);
      flush_finish (flush, error);
      return;
    }
  /* what was acknowledged is marked, then the error reported */
  flush->error = error;
  run_job (self, mark_job, job, (GDestroyNotify) mark_job_free, flush->cancellable, flush_marked_cb, flush);
}

static void
flush_pending_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Flush *flush = user_data;
  TpSyncClient *self = flush->self;
  GError *error = NULL;
  g_autoptr(GString) body = NULL;
  g_autoptr(GBytes) bytes = NULL;

  if (!finish_job (self, result, NULL, &error))
    {
      flush_finish (flush, error);
      return;
    }
  if (flush->events->len == 0)
    {
      flush_finish (flush, NULL);
      return;
    }
  body = g_string_new (NULL);
  for (guint i = 0; i < flush->events->len; i++)
    {
      TpOutboxEvent *event = g_ptr_array_index (flush->events, i);

      g_string_append (body, event->json);
      g_string_append_c (body, '\n');
    }
  bytes = g_string_free_to_bytes (g_steal_pointer (&body));
  post_async (self, "v1/events", "application/x-ndjson", bytes, RECEIPTS_MAX, flush->cancellable,
              flush_posted_cb, flush);
}

static void
flush_batch (Flush *flush)
{
  run_job (flush->self, pending_job, flush, NULL, flush->cancellable, flush_pending_cb, flush);
}

static void
start_flush (TpSyncClient *self)
{
  Flush *flush;
  GPtrArray *swap;

  g_assert (!self->flush_running);
  self->flush_running = TRUE;
  self->flush_requested = FALSE;
  swap = self->flush_current;
  self->flush_current = self->flush_waiting;
  self->flush_waiting = swap;
  clear_source (&self->flush_source);

  flush = g_new0 (Flush, 1);
  flush->self = g_object_ref (self);
  flush->cancellable = self->cancellable != NULL ? g_object_ref (self->cancellable) : g_cancellable_new ();
  flush_batch (flush);
}

static void
request_flush (TpSyncClient *self)
{
  if (self->flush_running)
    self->flush_requested = TRUE;
  else
    start_flush (self);
}

void
tp_sync_client_flush_outbox (TpSyncClient *self)
{
  g_return_if_fail (TP_IS_SYNC_CLIENT (self));

  request_flush (self);
}

void
tp_sync_client_flush_outbox_async (TpSyncClient        *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (TP_IS_SYNC_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tp_sync_client_flush_outbox_async);
  g_ptr_array_add (self->flush_waiting, task);
  if (!self->flush_running)
    start_flush (self);
}

gboolean
tp_sync_client_flush_outbox_finish (TpSyncClient  *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* The outbox as other connections fill it (the counter's cases, another
 * process): looked at every few seconds while following. */
static void
outbox_polled_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  TpSyncClient *self = user_data;
  g_autoptr(GError) error = NULL;

  if (finish_job (self, result, NULL, &error) && self->status.outbox_pending > 0 &&
      self->flush_source == NULL && !self->flush_running)
    request_flush (self);
  g_object_unref (self);
}

static gboolean
outbox_poll_cb (gpointer user_data)
{
  TpSyncClient *self = user_data;

  if (!self->job_running && g_queue_is_empty (&self->jobs))
    run_job (self, NULL, NULL, NULL, self->cancellable, outbox_polled_cb, g_object_ref (self));
  return G_SOURCE_CONTINUE;
}

/* Push */

static gboolean
push_retry_cb (gpointer user_data)
{
  TpSyncClient *self = user_data;

  g_clear_pointer (&self->push_source, g_source_unref);
  push_connect (self);
  return G_SOURCE_REMOVE;
}

static void
push_lost (TpSyncClient *self)
{
  if (self->push != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->push, self);
      g_clear_object (&self->push);
    }
  set_connected (self, FALSE);
  if (self->following)
    {
      self->push_failures++;
      set_timer (self, &self->push_source, backoff_ms (self->push_failures, PUSH_BACKOFF_MAX_S), push_retry_cb);
    }
}

static void
push_message_cb (SoupWebsocketConnection *connection,
                 gint                     type,
                 GBytes                  *message,
                 gpointer                 user_data)
{
  TpSyncClient *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) escalation = NULL;
  TpSyncMessageKind kind;
  guint64 seq = 0;
  gsize len;
  const char *text = g_bytes_get_data (message, &len);

  if (type != SOUP_WEBSOCKET_DATA_TEXT)
    return;
  if (!tp_sync_parse_push_message (text, len, &kind, &seq, &escalation, &error))
    {
      g_debug ("Sync: a push message ignored: %s", error->message);
      return;
    }
  switch (kind)
    {
    case TP_SYNC_MESSAGE_HEAD:
      if ((gint64) seq > self->status.seq || !self->has_status)
        request_pass (self);
      break;
    case TP_SYNC_MESSAGE_ESCALATION:
      g_signal_emit (self, signals[SIGNAL_ESCALATION], 0, escalation);
      break;
    case TP_SYNC_MESSAGE_OTHER:
    default:
      break;
    }
}

static void
push_closed_cb (SoupWebsocketConnection *connection,
                gpointer                 user_data)
{
  TpSyncClient *self = user_data;

  if (connection == self->push)
    push_lost (self);
}

static void
push_connected_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  TpSyncClient *self = user_data;
  g_autoptr(GError) error = NULL;
  SoupWebsocketConnection *connection = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);

  self->push_connecting = FALSE;
  if (connection == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_debug ("Sync: no push channel: %s", error->message);
          push_lost (self);
        }
      g_object_unref (self);
      return;
    }
  if (!self->following)
    {
      soup_websocket_connection_close (connection, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
      g_object_unref (connection);
      g_object_unref (self);
      return;
    }
  self->push = connection;
  self->push_failures = 0;
  soup_websocket_connection_set_keepalive_interval (connection, 30);
  g_signal_connect (connection, "message", G_CALLBACK (push_message_cb), self);
  g_signal_connect (connection, "closed", G_CALLBACK (push_closed_cb), self);
  set_connected (self, TRUE);
  /* the hub is back: whatever waited for it goes now */
  if (self->status.outbox_pending > 0)
    request_flush (self);
  g_object_unref (self);
}

static void
push_connect (TpSyncClient *self)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autofree char *url = NULL;

  if (!self->following || self->push != NULL || self->push_connecting)
    return;
  /* libsoup takes the WebSocket's URL as http(s) */
  if (g_str_has_prefix (self->push_url, "wss://"))
    url = g_strconcat ("https://", self->push_url + strlen ("wss://"), NULL);
  else
    url = g_strdup (self->push_url);
  msg = new_message (self, "GET", url);
  if (msg == NULL)
    return;
  self->push_connecting = TRUE;
  soup_session_websocket_connect_async (self->hub_session, msg, NULL, NULL, G_PRIORITY_DEFAULT,
                                        self->cancellable, push_connected_cb, g_object_ref (self));
}

/* Reconciling a shift */

typedef struct {
  char      *shift;
  gint64     opened_ms;     /* -1: not given */
  gint64     closed_ms;
  gint64     list_seq;
  char      *body;
  guint      events;
  JsonNode  *answer;
  char      *answer_json;
  gint64     from_ms;
  gint64     to_ms;
} Reconcile;

static void
reconcile_free (Reconcile *r)
{
  g_free (r->shift);
  g_free (r->body);
  g_clear_pointer (&r->answer, json_node_unref);
  g_free (r->answer_json);
  g_free (r);
}

static char *
format_ms (gint64 ms)
{
  g_autoptr(GDateTime) t = g_date_time_new_from_unix_utc (ms / 1000);
  g_autofree char *base = g_date_time_format (t, "%Y-%m-%dT%H:%M:%S");

  return g_strdup_printf ("%s.%03dZ", base, (int) (ms % 1000));
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static gboolean
reconcile_prepare_job (TpStore       *store,
                       gpointer       data,
                       GCancellable  *cancellable,
                       GError       **error)
{
  Reconcile *r = data;
  g_autoptr(TpShift) known = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GChecksum) digest = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree char *opened = NULL;
  g_autofree char *closed = NULL;
  TpFeedPosition position = { 0, };
  const char *types[] = { "check", "decision", "escalation", "note" };
  guint counts[G_N_ELEMENTS (types)] = { 0, };
  gint64 now_ms = g_get_real_time () / 1000;
  g_autofree char *audit_hash = NULL;
  gint64 audit_seq = 0;

  known = tp_store_get_shift (store, r->shift, error);
  if (known == NULL && error != NULL && *error != NULL)
    return FALSE;
  if (known != NULL)
    {
      r->from_ms = r->opened_ms >= 0 ? r->opened_ms : known->opened_at_ms;
      r->to_ms = r->closed_ms >= 0 ? r->closed_ms : known->closed_at_ms;
    }
  else
    {
      g_autoptr(TpShift) last = NULL;

      r->to_ms = r->closed_ms >= 0 ? r->closed_ms : now_ms;
      if (r->opened_ms >= 0)
        r->from_ms = r->opened_ms;
      else
        {
          last = tp_store_get_last_shift (store, error);
          if (last == NULL && error != NULL && *error != NULL)
            return FALSE;
          if (last != NULL)
            r->from_ms = last->closed_at_ms + 1;
          else if (!tp_store_outbox_get_first_at (store, &r->from_ms, error))
            return FALSE;
          if (r->from_ms == 0 || r->from_ms > r->to_ms)
            r->from_ms = MIN (r->to_ms, r->from_ms == 0 ? r->to_ms : r->from_ms);
        }
    }
  if (r->to_ms < r->from_ms)
    {
      g_set_error (error, TP_STORE_ERROR, TP_STORE_ERROR_INVALID,
                   "Shift “%s” would close before it opens", r->shift);
      return FALSE;
    }

  events = tp_store_outbox_list_between (store, r->from_ms, r->to_ms, error);
  if (events == NULL || !tp_store_get_feed_position (store, &position, error) ||
      !tp_audit_log_get_head (store, &audit_seq, &audit_hash, error))
    return FALSE;
  r->list_seq = position.sequence;
  tp_feed_position_clear (&position);
  for (guint i = 0; i < events->len; i++)
    {
      TpOutboxEvent *e = g_ptr_array_index (events, i);

      g_ptr_array_add (ids, e->id);
      for (guint t = 0; t < G_N_ELEMENTS (types); t++)
        if (g_strcmp0 (e->type, types[t]) == 0)
          counts[t]++;
    }
  g_ptr_array_sort (ids, compare_strings);
  r->events = ids->len;
  opened = format_ms (r->from_ms);
  closed = format_ms (r->to_ms);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "shift");
  json_builder_add_string_value (builder, r->shift);
  json_builder_set_member_name (builder, "opened_at");
  json_builder_add_string_value (builder, opened);
  json_builder_set_member_name (builder, "closed_at");
  json_builder_add_string_value (builder, closed);
  json_builder_set_member_name (builder, "list_seq");
  json_builder_add_int_value (builder, r->list_seq);
  json_builder_set_member_name (builder, "counts");
  json_builder_begin_object (builder);
  for (guint t = 0; t < G_N_ELEMENTS (types); t++)
    {
      json_builder_set_member_name (builder, types[t]);
      json_builder_add_int_value (builder, counts[t]);
    }
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "event_ids");
  json_builder_begin_array (builder);
  for (guint i = 0; i < ids->len; i++)
    {
      json_builder_add_string_value (builder, ids->pdata[i]);
      g_checksum_update (digest, ids->pdata[i], (gssize) strlen (ids->pdata[i]));
      g_checksum_update (digest, (const guchar *) "\n", 1);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "digest");
  json_builder_add_string_value (builder, g_checksum_get_string (digest));
  if (audit_hash != NULL)
    {
      /* the audit chain's head: the hub compares it with the newest place
       * this terminal's events carried */
      json_builder_set_member_name (builder, "audit");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "seq");
      json_builder_add_int_value (builder, audit_seq);
      json_builder_set_member_name (builder, "hash");
      json_builder_add_string_value (builder, audit_hash);
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  r->body = json_to_string (root, FALSE);
  return TRUE;
}

static gboolean
reconcile_store_job (TpStore       *store,
                     gpointer       data,
                     GCancellable  *cancellable,
                     GError       **error)
{
  Reconcile *r = data;
  TpShift shift = { r->shift, r->from_ms, r->to_ms, r->answer_json };

  return tp_store_put_shift (store, &shift, error);
}

static void
reconcile_stored_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Reconcile *r = g_task_get_task_data (task);
  TpSyncClient *self = g_task_get_source_object (task);
  GError *error = NULL;
  g_autofree char *opened = format_ms (r->from_ms);
  g_autofree char *closed = format_ms (r->to_ms);
  JsonObject *object;

  if (!finish_job (self, result, NULL, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  object = json_node_get_object (r->answer);
  json_object_set_string_member (object, "opened_at", opened);
  json_object_set_string_member (object, "closed_at", closed);
  json_object_set_int_member (object, "events", r->events);
  json_object_set_int_member (object, "list_seq", r->list_seq);
  g_task_return_pointer (task, json_node_ref (r->answer), (GDestroyNotify) json_node_unref);
}

static void
reconcile_posted_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Reconcile *r = g_task_get_task_data (task);
  TpSyncClient *self = g_task_get_source_object (task);
  GError *error = NULL;
  g_autoptr(GBytes) answer = post_finish (result, &error);
  GCancellable *cancellable;
  gsize len;
  const char *text;

  if (answer == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  text = g_bytes_get_data (answer, &len);
  r->answer = tp_sync_parse_reconcile_answer (text, len, &error);
  if (r->answer == NULL)
    {
      g_prefix_error (&error, "The hub's answer to the reconciliation cannot be read: ");
      g_task_return_error (task, error);
      return;
    }
  r->answer_json = json_to_string (r->answer, FALSE);
  cancellable = g_task_get_cancellable (task);
  run_job (self, reconcile_store_job, r, NULL, cancellable, reconcile_stored_cb, g_steal_pointer (&task));
}

static void
reconcile_prepared_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Reconcile *r = g_task_get_task_data (task);
  TpSyncClient *self = g_task_get_source_object (task);
  GError *error = NULL;
  g_autoptr(GBytes) body = NULL;
  GCancellable *cancellable;

  if (!finish_job (self, result, NULL, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  body = g_bytes_new (r->body, strlen (r->body));
  cancellable = g_task_get_cancellable (task);
  post_async (self, "v1/reconcile", "application/json", body, TP_SYNC_MAX_ANSWER, cancellable,
              reconcile_posted_cb, g_steal_pointer (&task));
}

static void
reconcile_flushed_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Reconcile *r = g_task_get_task_data (task);
  TpSyncClient *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  GCancellable *cancellable = g_task_get_cancellable (task);

  /* the hub says what it lacks in any case */
  if (!tp_sync_client_flush_outbox_finish (self, result, &error))
    g_debug ("Sync: reconciling with events still in the outbox: %s", error->message);
  run_job (self, reconcile_prepare_job, r, NULL, cancellable, reconcile_prepared_cb, g_steal_pointer (&task));
}

static gint64
ms_of (GDateTime *time)
{
  return g_date_time_to_unix (time) * 1000 + g_date_time_get_microsecond (time) / 1000;
}

void
tp_sync_client_reconcile_async (TpSyncClient        *self,
                                const char          *shift_id,
                                GDateTime           *opened_at,
                                GDateTime           *closed_at,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  GTask *task;
  Reconcile *r;

  g_return_if_fail (TP_IS_SYNC_CLIENT (self));
  g_return_if_fail (shift_id != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tp_sync_client_reconcile_async);
  r = g_new0 (Reconcile, 1);
  r->shift = g_strdup (shift_id);
  r->opened_ms = opened_at != NULL ? ms_of (opened_at) : -1;
  r->closed_ms = closed_at != NULL ? ms_of (closed_at) : -1;
  g_task_set_task_data (task, r, (GDestroyNotify) reconcile_free);
  if (*shift_id == '\0' || strlen (shift_id) > 64 || !g_utf8_validate (shift_id, -1, NULL))
    {
      g_task_return_new_error (task, TP_STORE_ERROR, TP_STORE_ERROR_INVALID,
                               "A shift id is 1 to 64 characters of UTF-8");
      g_object_unref (task);
      return;
    }
  tp_sync_client_flush_outbox_async (self, cancellable, reconcile_flushed_cb, task);
}

JsonNode *
tp_sync_client_reconcile_finish (TpSyncClient  *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Following */

static void
status_read_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  TpSyncClient *self = user_data;
  g_autoptr(GError) error = NULL;

  if (!finish_job (self, result, NULL, &error))
    set_state (self, TP_SYNC_STATE_FAILED, error);
  g_object_unref (self);
}

void
tp_sync_client_start (TpSyncClient *self)
{
  g_return_if_fail (TP_IS_SYNC_CLIENT (self));

  if (self->following)
    return;
  self->following = TRUE;
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  /* the status at once (the store as it is), then the feed */
  run_job (self, NULL, NULL, NULL, self->cancellable, status_read_cb, g_object_ref (self));
  request_pass (self);
  push_connect (self);
  clear_source (&self->outbox_source);
  self->outbox_source = g_timeout_source_new_seconds (OUTBOX_POLL_S);
  g_source_set_callback (self->outbox_source, outbox_poll_cb, self, NULL);
  g_source_attach (self->outbox_source, self->context);
}

void
tp_sync_client_stop (TpSyncClient *self)
{
  g_return_if_fail (TP_IS_SYNC_CLIENT (self));

  if (!self->following)
    return;
  self->following = FALSE;
  g_cancellable_cancel (self->cancellable);
  clear_source (&self->poll_source);
  clear_source (&self->push_source);
  clear_source (&self->outbox_source);
  clear_source (&self->flush_source);
  if (self->push != NULL)
    {
      SoupWebsocketConnection *push = g_steal_pointer (&self->push);

      g_signal_handlers_disconnect_by_data (push, self);
      if (soup_websocket_connection_get_state (push) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (push, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, NULL);
      g_object_unref (push);
    }
  set_connected (self, FALSE);
}

gboolean
tp_sync_client_is_following (TpSyncClient *self)
{
  g_return_val_if_fail (TP_IS_SYNC_CLIENT (self), FALSE);

  return self->following;
}

/* GObject */

static void
tp_sync_client_dispose (GObject *object)
{
  TpSyncClient *self = TP_SYNC_CLIENT (object);

  tp_sync_client_stop (self);
  clear_source (&self->stale_source);
  G_OBJECT_CLASS (tp_sync_client_parent_class)->dispose (object);
}

static void
tp_sync_client_finalize (GObject *object)
{
  TpSyncClient *self = TP_SYNC_CLIENT (object);

  g_assert (g_queue_is_empty (&self->jobs));
  g_clear_object (&self->store);
  g_clear_object (&self->key_source);
  g_clear_object (&self->hub_session);
  g_clear_object (&self->mirror_session);
  g_clear_object (&self->certificate);
  g_clear_object (&self->ca);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->keys, tp_feed_keyring_free);
  g_clear_pointer (&self->head_bytes, g_bytes_unref);
  g_clear_pointer (&self->pass_waiting, g_ptr_array_unref);
  g_clear_pointer (&self->pass_current, g_ptr_array_unref);
  g_clear_pointer (&self->flush_waiting, g_ptr_array_unref);
  g_clear_pointer (&self->flush_current, g_ptr_array_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_free (self->head_etag);
  g_free (self->db_path);
  g_free (self->hub_url);
  g_free (self->feed_url);
  g_free (self->push_url);
  g_free (self->snapshot_path);
  g_free (self->last_error);
  G_OBJECT_CLASS (tp_sync_client_parent_class)->finalize (object);
}

static void
tp_sync_client_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  TpSyncClient *self = TP_SYNC_CLIENT (object);

  switch (prop_id)
    {
    case PROP_SEQ:
      g_value_set_int64 (value, self->status.seq);
      break;
    case PROP_STATE_HASH:
      g_value_set_string (value, self->has_status ? self->status.state_hash : NULL);
      break;
    case PROP_ENTRIES:
      g_value_set_uint64 (value, self->status.entries);
      break;
    case PROP_STALE:
      g_value_set_boolean (value, self->stale);
      break;
    case PROP_HEAD_ISSUED_AT:
      g_value_set_int64 (value, self->status.head_issued_at);
      break;
    case PROP_OUTBOX_PENDING:
      g_value_set_uint64 (value, self->status.outbox_pending);
      break;
    case PROP_OUTBOX_REJECTED:
      g_value_set_uint64 (value, self->status.outbox_rejected);
      break;
    case PROP_CONNECTED:
      g_value_set_boolean (value, self->connected);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_LAST_ERROR:
      g_value_set_string (value, self->last_error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tp_sync_client_class_init (TpSyncClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->dispose = tp_sync_client_dispose;
  object_class->finalize = tp_sync_client_finalize;
  object_class->get_property = tp_sync_client_get_property;

  properties[PROP_SEQ] = g_param_spec_int64 ("seq", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_STATE_HASH] = g_param_spec_string ("state-hash", NULL, NULL, NULL, flags);
  properties[PROP_ENTRIES] = g_param_spec_uint64 ("entries", NULL, NULL, 0, G_MAXUINT64, 0, flags);
  properties[PROP_STALE] = g_param_spec_boolean ("stale", NULL, NULL, TRUE, flags);
  properties[PROP_HEAD_ISSUED_AT] = g_param_spec_int64 ("head-issued-at", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_OUTBOX_PENDING] = g_param_spec_uint64 ("outbox-pending", NULL, NULL, 0, G_MAXUINT64, 0, flags);
  properties[PROP_OUTBOX_REJECTED] = g_param_spec_uint64 ("outbox-rejected", NULL, NULL, 0, G_MAXUINT64, 0, flags);
  properties[PROP_CONNECTED] = g_param_spec_boolean ("connected", NULL, NULL, FALSE, flags);
  properties[PROP_STATE] = g_param_spec_enum ("state", NULL, NULL, TP_TYPE_SYNC_STATE, TP_SYNC_STATE_IDLE, flags);
  properties[PROP_LAST_ERROR] = g_param_spec_string ("last-error", NULL, NULL, NULL, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_APPLIED] = g_signal_new ("applied", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 3,
                                          G_TYPE_UINT64, G_TYPE_UINT64, G_TYPE_UINT64);
  signals[SIGNAL_ESCALATION] = g_signal_new ("escalation", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                             0, NULL, NULL, NULL, G_TYPE_NONE, 1, JSON_TYPE_NODE);
}

static void
tp_sync_client_init (TpSyncClient *self)
{
  g_queue_init (&self->jobs);
  self->stale = TRUE;
  self->heartbeat_s = DEFAULT_HEARTBEAT_S;
  self->pass_waiting = g_ptr_array_new ();
  self->pass_current = g_ptr_array_new ();
  self->flush_waiting = g_ptr_array_new ();
  self->flush_current = g_ptr_array_new ();
}

/* Public API */

static SoupSession *
new_session (GTlsDatabase *ca)
{
  SoupSession *session = soup_session_new_with_options ("timeout", HTTP_TIMEOUT_S,
                                                        "idle-timeout", 90,
                                                        "user-agent", "touchpoint-sync/" PACKAGE_VERSION,
                                                        NULL);

  if (ca != NULL)
    soup_session_set_tls_database (session, ca);
  return session;
}

TpSyncClient *
tp_sync_client_new (const char          *db_path,
                    TpKeySource         *key_source,
                    const TpEnrollment  *enrollment,
                    GError             **error)
{
  g_autoptr(TpSyncClient) self = NULL;
  g_autofree char *keys_json = NULL;

  g_return_val_if_fail (db_path != NULL, NULL);
  g_return_val_if_fail (TP_IS_KEY_SOURCE (key_source), NULL);
  g_return_val_if_fail (enrollment != NULL && enrollment->keys != NULL, NULL);
  g_return_val_if_fail (enrollment->cert_file != NULL && enrollment->ca_file != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (TP_TYPE_SYNC_CLIENT, NULL);
  self->context = g_main_context_ref_thread_default ();
  self->db_path = g_strdup (db_path);
  self->snapshot_path = g_strconcat (db_path, ".snapshot", NULL);
  self->key_source = g_object_ref (key_source);
  self->hub_url = g_strdup (enrollment->hub_url);
  self->feed_url = g_strdup (enrollment->feed_url);
  self->push_url = g_strdup (enrollment->push_url);
  keys_json = tp_feed_keyring_to_json (enrollment->keys);
  self->keys = tp_feed_keyring_new_from_json (keys_json, -1, error);
  if (self->keys == NULL)
    return NULL;

  self->certificate = g_tls_certificate_new_from_files (enrollment->cert_file, enrollment->key_file, error);
  if (self->certificate == NULL)
    {
      g_prefix_error (error, "The terminal's certificate (%s): ", enrollment->cert_file);
      return NULL;
    }
  self->ca = g_tls_file_database_new (enrollment->ca_file, error);
  if (self->ca == NULL)
    {
      g_prefix_error (error, "The hub's CA (%s): ", enrollment->ca_file);
      return NULL;
    }
  /* the hub is trusted through its own CA only */
  self->hub_session = new_session (self->ca);
  /* a mirror: the system's trust (integrity comes from the signatures) */
  self->mirror_session = new_session (NULL);
  return g_steal_pointer (&self);
}

gboolean
tp_sync_client_set_feed_url (TpSyncClient  *self,
                             const char    *url,
                             GError       **error)
{
  g_autofree char *normal = NULL;

  g_return_val_if_fail (TP_IS_SYNC_CLIENT (self), FALSE);

  if (url == NULL)
    normal = g_strconcat (self->hub_url, "v1/feed/", NULL);
  else
    {
      normal = tp_enrollment_normalize_feed_url (url, error);
      if (normal == NULL)
        return FALSE;
    }
  g_free (self->feed_url);
  self->feed_url = g_steal_pointer (&normal);
  g_clear_pointer (&self->head_bytes, g_bytes_unref);
  g_clear_pointer (&self->head_etag, g_free);
  return TRUE;
}

const char *
tp_sync_client_get_feed_url (TpSyncClient *self)
{
  g_return_val_if_fail (TP_IS_SYNC_CLIENT (self), NULL);

  return self->feed_url;
}

gint64
tp_sync_client_get_seq (TpSyncClient *self)
{
  g_return_val_if_fail (TP_IS_SYNC_CLIENT (self), 0);

  return self->status.seq;
}

const char *
tp_sync_client_get_state_hash (TpSyncClient *self)
{
  g_return_val_if_fail (TP_IS_SYNC_CLIENT (self), NULL);

  return self->has_status ? self->status.state_hash : NULL;
}

guint64
tp_sync_client_get_entries (TpSyncClient *self)
{
  g_return_val_if_fail (TP_IS_SYNC_CLIENT (self), 0);

  return self->status.entries;
}

gboolean
tp_sync_client_get_stale (TpSyncClient *self)
{
  g_return_val_if_fail (TP_IS_SYNC_CLIENT (self), TRUE);

  return compute_stale (self);
}

gint64
tp_sync_client_get_head_issued_at (TpSyncClient *self)
{
  g_return_val_if_fail (TP_IS_SYNC_CLIENT (self), 0);

  return self->status.head_issued_at;
}

gint64
tp_sync_client_get_age (TpSyncClient *self)
{
  g_return_val_if_fail (TP_IS_SYNC_CLIENT (self), -1);

  if (!self->has_status || self->status.head_issued_at == 0)
    return -1;
  return MAX (0, g_get_real_time () / G_USEC_PER_SEC - self->status.head_issued_at);
}

guint64
tp_sync_client_get_outbox_pending (TpSyncClient *self)
{
  g_return_val_if_fail (TP_IS_SYNC_CLIENT (self), 0);

  return self->status.outbox_pending;
}

guint64
tp_sync_client_get_outbox_rejected (TpSyncClient *self)
{
  g_return_val_if_fail (TP_IS_SYNC_CLIENT (self), 0);

  return self->status.outbox_rejected;
}

gboolean
tp_sync_client_get_connected (TpSyncClient *self)
{
  g_return_val_if_fail (TP_IS_SYNC_CLIENT (self), FALSE);

  return self->connected;
}

TpSyncState
tp_sync_client_get_state (TpSyncClient *self)
{
  g_return_val_if_fail (TP_IS_SYNC_CLIENT (self), TP_SYNC_STATE_IDLE);

  return self->state;
}

const char *
tp_sync_client_get_last_error (TpSyncClient *self)
{
  g_return_val_if_fail (TP_IS_SYNC_CLIENT (self), NULL);

  return self->last_error;
}

gboolean
tp_sync_client_has_status (TpSyncClient *self)
{
  g_return_val_if_fail (TP_IS_SYNC_CLIENT (self), FALSE);

  return self->has_status;
}
