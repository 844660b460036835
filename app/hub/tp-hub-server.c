/* tp-hub-server.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib-unix.h>
#include <libsoup/soup.h>

#include "tp-canonical-json.h"
#include "tp-error.h"
#include "tp-feed-util.h"
#include "tp-hub-pki.h"
#include "tp-hub-server.h"

typedef struct {
  TpHub        *hub;
  SoupServer   *soup;
  GMainLoop    *loop;
  GMainContext *context;
  GList        *push;          /* of Push* */
  guint         in_flight;     /* requests started and not finished */
  guint         working;       /* requests handled in worker threads */
  guint         drain_timeout_id;
  gboolean      draining;
  guint         heartbeat_id;
  gboolean      snapshot_running;
  gboolean      heartbeat_running;
} Server;

typedef struct {
  SoupWebsocketConnection *connection;
  TpHubIdentity           *who;
} Push;

typedef enum {
  WORK_ENTRIES,
  WORK_EVENTS,
  WORK_RECONCILE,
  WORK_SEGMENT,
} WorkKind;

typedef struct {
  Server            *server;
  SoupServerMessage *msg;
  WorkKind           kind;
  TpHubIdentity     *who;
  GBytes            *body;
  guint64            segment;
  /* results */
  guint              status;
  GString           *answer;
  GBytes            *payload;
  const char        *content_type;
  GPtrArray         *escalations;
  char              *error;
} Work;

static const char *const IDENTITY_KEY = "tp-hub-identity";
static const char *const START_KEY = "tp-hub-start";

static void
work_free (Work *work)
{
  g_clear_object (&work->msg);
  g_clear_pointer (&work->who, tp_hub_identity_free);
  g_clear_pointer (&work->body, g_bytes_unref);
  g_clear_pointer (&work->payload, g_bytes_unref);
  if (work->answer != NULL)
    g_string_free (work->answer, TRUE);
  g_clear_pointer (&work->escalations, g_ptr_array_unref);
  g_free (work->error);
  g_free (work);
}

static void
push_free (Push *push)
{
  g_clear_object (&push->connection);
  tp_hub_identity_free (push->who);
  g_free (push);
}

/* Helpers */

static void
print_line (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *line = NULL;

  json_node_set_object (node, object);
  line = tp_canonical_json (node, NULL);
  if (line == NULL)
    {
      g_autoptr(JsonGenerator) generator = json_generator_new ();

      json_generator_set_root (generator, node);
      line = json_generator_to_data (generator, NULL);
    }
  fprintf (stdout, "%s\n", line);
  fflush (stdout);
}

static void
set_text (SoupServerMessage *msg,
          guint              status,
          const char        *text)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "text/plain; charset=utf-8", SOUP_MEMORY_COPY, text, strlen (text));
}

/* The client's identity from its certificate, or NULL after answering
 * 403. Kept on the message for the request log. */
/* The client certificate of a connection, kept on its socket: libsoup 3.2
 * gives the peer certificate to the connection's first message only, and
 * a client that keeps the connection alive sends the next ones without a
 * new handshake. */
static const char *const PEER_KEY = "tp-hub-peer-certificate";

static GTlsCertificate *
peer_certificate (SoupServerMessage *msg)
{
  GTlsCertificate *cert = soup_server_message_get_tls_peer_certificate (msg);
  GSocket *socket = soup_server_message_get_socket (msg);

  if (cert != NULL)
    {
      if (socket != NULL && g_object_get_data (G_OBJECT (socket), PEER_KEY) != cert)
        g_object_set_data_full (G_OBJECT (socket), PEER_KEY, g_object_ref (cert), g_object_unref);
      return cert;
    }
  return socket != NULL ? g_object_get_data (G_OBJECT (socket), PEER_KEY) : NULL;
}

static TpHubIdentity *
identify (Server            *server,
          SoupServerMessage *msg)
{
  GTlsCertificate *cert = peer_certificate (msg);
  g_autoptr(GByteArray) der = NULL;
  g_autofree char *serial = NULL;
  g_autoptr(GError) error = NULL;
  TpHubIdentity *who;

  if (cert == NULL)
    {
      set_text (msg, 403, "a client certificate of this hub is required\n");
      return NULL;
    }
  g_object_get (cert, "certificate", &der, NULL);
  serial = der != NULL ? tp_hub_pki_serial_of_der (der->data, der->len) : NULL;
  if (serial == NULL)
    {
      set_text (msg, 403, "the client certificate cannot be read\n");
      return NULL;
    }
  who = tp_hub_dir_lookup (tp_hub_get_dir (server->hub), serial, &error);
  if (who == NULL)
    {
      g_autofree char *text = g_strdup_printf ("%s\n", error->message);

      g_object_set_data_full (G_OBJECT (msg), IDENTITY_KEY, g_strdup_printf ("refused:%s", serial), g_free);
      set_text (msg, 403, text);
      return NULL;
    }
  g_object_set_data_full (G_OBJECT (msg), IDENTITY_KEY, g_strdup (who->name), g_free);
  return who;
}

static void log_request   (SoupServerMessage *msg);
static void request_ended (Server            *server,
                           SoupServerMessage *msg);

/* Push */

static void
push_closed_cb (SoupWebsocketConnection *connection,
                gpointer                 user_data)
{
  Server *server = user_data;

  for (GList *l = server->push; l != NULL; l = l->next)
    {
      Push *push = l->data;

      if (push->connection == connection)
        {
          server->push = g_list_delete_link (server->push, l);
          push_free (push);
          return;
        }
    }
}

static void
push_cb (SoupServer              *soup,
         SoupServerMessage       *msg,
         const char              *path,
         SoupWebsocketConnection *connection,
         gpointer                 user_data)
{
  Server *server = user_data;
  TpHubIdentity *who = identify (server, msg);
  Push *push;
  g_autofree char *hello = NULL;

  /* the upgraded request never finishes as an HTTP one: log it and stop
   * counting it now */
  soup_server_message_set_status (msg, SOUP_STATUS_SWITCHING_PROTOCOLS, NULL);
  log_request (msg);
  request_ended (server, msg);

  if (who == NULL || server->draining)
    {
      soup_websocket_connection_close (connection, SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION,
                                       who == NULL ? "certificate refused" : "hub stopping");
      tp_hub_identity_free (who);
      return;
    }
  push = g_new0 (Push, 1);
  push->connection = g_object_ref (connection);
  push->who = who;
  soup_websocket_connection_set_keepalive_interval (connection, 30);
  g_signal_connect (connection, "closed", G_CALLBACK (push_closed_cb), server);
  server->push = g_list_prepend (server->push, push);
  /* the current head at once: a terminal that reconnects catches up */
  hello = g_strdup_printf ("{\"head\":%" G_GUINT64_FORMAT "}", tp_hub_get_seq (server->hub));
  soup_websocket_connection_send_text (connection, hello);
}

static void
push_send (Server     *server,
           const char *text,
           const char *airport)
{
  for (GList *l = server->push; l != NULL; l = l->next)
    {
      Push *push = l->data;

      if (soup_websocket_connection_get_state (push->connection) != SOUP_WEBSOCKET_STATE_OPEN)
        continue;
      if (airport != NULL &&
          (push->who->kind != TP_HUB_CLIENT_TERMINAL || !push->who->supervisor ||
           g_strcmp0 (push->who->airport, airport) != 0))
        continue;
      soup_websocket_connection_send_text (push->connection, text);
    }
}

typedef struct {
  Server  *server;
  guint64  seq;
} CommitNote;

static gboolean
announce_head_cb (gpointer user_data)
{
  CommitNote *note = user_data;
  g_autofree char *text = g_strdup_printf ("{\"head\":%" G_GUINT64_FORMAT "}", note->seq);

  push_send (note->server, text, NULL);
  return G_SOURCE_REMOVE;
}

/* From the committing thread */
static void
committed_cb (guint64  seq,
              gpointer user_data)
{
  Server *server = user_data;
  CommitNote *note = g_new0 (CommitNote, 1);

  note->server = server;
  note->seq = seq;
  g_main_context_invoke_full (server->context, G_PRIORITY_HIGH, announce_head_cb, note, g_free);
}

/* Snapshots and heartbeat, in worker threads */

static void
snapshot_thread (GTask        *task,
                 gpointer      source,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  Server *server = task_data;
  g_autoptr(GError) error = NULL;
  gboolean made;

  if (!tp_hub_snapshot_if_due (server->hub, FALSE, &made, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, made);
}

static void
snapshot_done_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Server *server = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) line = json_object_new ();
  gboolean made = g_task_propagate_boolean (G_TASK (result), &error);

  server->snapshot_running = FALSE;
  if (error != NULL)
    {
      json_object_set_string_member (line, "snapshot_error", error->message);
      print_line (line);
    }
  else if (made)
    {
      json_object_set_int_member (line, "snapshot", (gint64) tp_hub_get_seq (server->hub));
      print_line (line);
    }
}

static void
maybe_snapshot (Server *server)
{
  g_autoptr(GTask) task = NULL;

  if (server->snapshot_running || server->draining)
    return;
  server->snapshot_running = TRUE;
  task = g_task_new (NULL, NULL, snapshot_done_cb, server);
  g_task_set_task_data (task, server, NULL);
  g_task_run_in_thread (task, snapshot_thread);
}

static void
heartbeat_thread (GTask        *task,
                  gpointer      source,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  Server *server = task_data;
  g_autoptr(GError) error = NULL;

  if (!tp_hub_sign_head (server->hub, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, tp_hub_snapshot_is_due (server->hub));
}

static void
heartbeat_done_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Server *server = user_data;
  g_autoptr(GError) error = NULL;
  gboolean due = g_task_propagate_boolean (G_TASK (result), &error);

  server->heartbeat_running = FALSE;
  if (error != NULL)
    {
      g_autoptr(JsonObject) line = json_object_new ();

      json_object_set_string_member (line, "heartbeat_error", error->message);
      print_line (line);
    }
  else if (due)
    maybe_snapshot (server);
}

static gboolean
heartbeat_cb (gpointer user_data)
{
  Server *server = user_data;
  g_autoptr(GTask) task = NULL;

  if (server->heartbeat_running)
    return G_SOURCE_CONTINUE;
  server->heartbeat_running = TRUE;
  task = g_task_new (NULL, NULL, heartbeat_done_cb, server);
  g_task_set_task_data (task, server, NULL);
  g_task_run_in_thread (task, heartbeat_thread);
  return G_SOURCE_CONTINUE;
}

/* Requests handled in worker threads */

static void
work_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  Work *work = task_data;
  g_autoptr(GError) error = NULL;
  gsize len = 0;
  const char *body = work->body != NULL ? g_bytes_get_data (work->body, &len) : NULL;

  work->answer = g_string_new (NULL);
  switch (work->kind)
    {
    case WORK_ENTRIES:
      work->status = tp_hub_ingest_entries (work->server->hub, work->who, body ? body : "", len, work->answer, &error);
      work->content_type = "application/x-ndjson";
      break;
    case WORK_EVENTS:
      work->escalations = g_ptr_array_new_with_free_func (g_free);
      work->status = tp_hub_ingest_events (work->server->hub, work->who, body ? body : "", len, work->answer,
                                           work->escalations, &error);
      work->content_type = "application/x-ndjson";
      break;
    case WORK_RECONCILE:
      work->status = tp_hub_reconcile (work->server->hub, work->who, body ? body : "", len, work->answer, &error);
      work->content_type = "application/json";
      break;
    case WORK_SEGMENT:
      work->payload = tp_hub_get_segment (work->server->hub, work->segment, &error);
      work->status = work->payload != NULL ? 200 : error != NULL ? 500 : 404;
      work->content_type = "application/x-ndjson";
      break;
    default:
      g_assert_not_reached ();
    }
  if (error != NULL)
    work->error = g_strdup (error->message);
  g_task_return_boolean (task, TRUE);
}

static void
finish_server_if_drained (Server *server)
{
  if (server->draining && server->in_flight == 0)
    g_main_loop_quit (server->loop);
}

static void
work_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Work *work = g_task_get_task_data (G_TASK (result));
  Server *server = work->server;
  SoupServerMessage *msg = work->msg;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  if (work->status >= 500)
    {
      g_autofree char *text = g_strdup_printf ("%s\n", work->error ? work->error : "internal error");

      set_text (msg, work->status, text);
    }
  else if (work->kind == WORK_SEGMENT && work->status == 200)
    {
      gsize len;
      const guint8 *data = g_bytes_get_data (work->payload, &len);
      g_autofree char *hash = tp_feed_sha256_hex (data, len);
      g_autofree char *etag = g_strdup_printf ("\"%s\"", hash);
      const char *match = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "If-None-Match");

      soup_message_headers_replace (headers, "Cache-Control", "public, max-age=31536000, immutable");
      soup_message_headers_replace (headers, "ETag", etag);
      if (match != NULL && strcmp (match, etag) == 0)
        soup_server_message_set_status (msg, 304, NULL);
      else
        {
          soup_server_message_set_status (msg, 200, NULL);
          soup_message_headers_set_content_type (headers, work->content_type, NULL);
          soup_message_body_append_bytes (soup_server_message_get_response_body (msg), work->payload);
        }
    }
  else if (work->kind == WORK_SEGMENT)
    {
      soup_message_headers_replace (headers, "Cache-Control", "no-cache");
      set_text (msg, 404, "no segment starts at that seq\n");
    }
  else
    {
      soup_server_message_set_status (msg, work->status, NULL);
      soup_server_message_set_response (msg, work->status == 200 ? work->content_type : "text/plain; charset=utf-8",
                                        SOUP_MEMORY_COPY, work->answer->str, work->answer->len);
    }
  if (work->escalations != NULL)
    for (guint i = 0; i < work->escalations->len; i++)
      {
        g_autofree char *text = g_strdup_printf ("{\"escalation\":%s}", (char *) g_ptr_array_index (work->escalations, i));

        push_send (server, text, work->who->airport);
      }
  soup_server_message_unpause (msg);
  server->working--;
  if (work->kind == WORK_ENTRIES && work->status == 200)
    maybe_snapshot (server);
}

static void
start_work (Server            *server,
            SoupServerMessage *msg,
            WorkKind           kind,
            TpHubIdentity     *who,
            guint64            segment)
{
  g_autoptr(GTask) task = g_task_new (NULL, NULL, work_done_cb, NULL);
  Work *work = g_new0 (Work, 1);

  work->server = server;
  work->msg = g_object_ref (msg);
  work->kind = kind;
  work->who = who;
  work->segment = segment;
  if (kind != WORK_SEGMENT)
    work->body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  g_task_set_task_data (task, work, (GDestroyNotify) work_free);
  server->working++;
  soup_server_message_pause (msg);
  g_task_run_in_thread (task, work_thread);
}

static void
post_cb (SoupServer        *soup,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  Server *server = user_data;
  TpHubIdentity *who;
  WorkKind kind;

  if (strcmp (path, "/v1/entries") == 0)
    kind = WORK_ENTRIES;
  else if (strcmp (path, "/v1/events") == 0)
    kind = WORK_EVENTS;
  else if (strcmp (path, "/v1/reconcile") == 0)
    kind = WORK_RECONCILE;
  else
    {
      set_text (msg, 404, "not found\n");
      return;
    }
  if (server->draining)
    {
      set_text (msg, 503, "the hub is stopping\n");
      return;
    }
  if (strcmp (soup_server_message_get_method (msg), "POST") != 0)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow", "POST");
      set_text (msg, 405, "POST only\n");
      return;
    }
  who = identify (server, msg);
  if (who == NULL)
    return;
  start_work (server, msg, kind, who, 0);
}

static gboolean
parse_seq (const char *text,
           guint64    *out)
{
  if (text[0] == '\0' || text[0] == '0' || strlen (text) > 19)
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  *out = g_ascii_strtoull (text, NULL, 10);
  return TRUE;
}

static void
feed_cb (SoupServer        *soup,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  Server *server = user_data;
  g_autoptr(TpHubIdentity) who = NULL;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  const char *method = soup_server_message_get_method (msg);
  const char *rest;
  guint64 seq;

  if (strcmp (method, "GET") != 0 && strcmp (method, "HEAD") != 0)
    {
      soup_message_headers_replace (headers, "Allow", "GET, HEAD");
      set_text (msg, 405, "GET only\n");
      return;
    }
  who = identify (server, msg);
  if (who == NULL)
    return;
  if (!g_str_has_prefix (path, "/v1/feed/"))
    {
      set_text (msg, 404, "not found\n");
      return;
    }
  rest = path + strlen ("/v1/feed/");

  if (strcmp (rest, "head") == 0)
    {
      g_autoptr(GBytes) head = tp_hub_get_head (server->hub);
      gsize len;
      const guint8 *data = g_bytes_get_data (head, &len);
      g_autofree char *hash = tp_feed_sha256_hex (data, len);
      g_autofree char *etag = g_strdup_printf ("\"%s\"", hash);
      const char *match = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "If-None-Match");

      soup_message_headers_replace (headers, "Cache-Control", "no-cache");
      soup_message_headers_replace (headers, "ETag", etag);
      if (match != NULL && strcmp (match, etag) == 0)
        {
          soup_server_message_set_status (msg, 304, NULL);
          return;
        }
      soup_server_message_set_status (msg, 200, NULL);
      soup_message_headers_set_content_type (headers, "application/json", NULL);
      soup_message_body_append_bytes (soup_server_message_get_response_body (msg), head);
      return;
    }
  if (g_str_has_prefix (rest, "segments/") && parse_seq (rest + strlen ("segments/"), &seq))
    {
      start_work (server, msg, WORK_SEGMENT, g_steal_pointer (&who), seq);
      return;
    }
  if (g_str_has_prefix (rest, "snapshots/") && g_str_has_suffix (rest, ".jsonl.gz"))
    {
      g_autofree char *number = g_strndup (rest + strlen ("snapshots/"),
                                           strlen (rest) - strlen ("snapshots/") - strlen (".jsonl.gz"));
      g_autofree char *file = NULL;
      g_autoptr(GMappedFile) mapped = NULL;
      g_autoptr(GBytes) bytes = NULL;

      if (parse_seq (number, &seq) && (file = tp_hub_get_snapshot_file (server->hub, seq)) != NULL &&
          (mapped = g_mapped_file_new (file, FALSE, NULL)) != NULL)
        {
          gsize len;
          const guint8 *data;
          g_autofree char *hash = NULL;
          g_autofree char *etag = NULL;

          bytes = g_mapped_file_get_bytes (mapped);
          data = g_bytes_get_data (bytes, &len);
          hash = tp_feed_sha256_hex (data != NULL ? data : (const guint8 *) "", len);
          etag = g_strdup_printf ("\"%s\"", hash);
          soup_message_headers_replace (headers, "Cache-Control", "public, max-age=31536000, immutable");
          soup_message_headers_replace (headers, "ETag", etag);
          {
            const char *match = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                              "If-None-Match");

            if (match != NULL && strcmp (match, etag) == 0)
              {
                soup_server_message_set_status (msg, 304, NULL);
                return;
              }
          }
          soup_server_message_set_status (msg, 200, NULL);
          soup_message_headers_set_content_type (headers, "application/gzip", NULL);
          soup_message_body_append_bytes (soup_server_message_get_response_body (msg), bytes);
          return;
        }
      soup_message_headers_replace (headers, "Cache-Control", "no-cache");
      set_text (msg, 404, "no such snapshot (see the head for the current one)\n");
      return;
    }
  soup_message_headers_replace (headers, "Cache-Control", "no-cache");
  set_text (msg, 404, "not found\n");
}

static void
default_cb (SoupServer        *soup,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  set_text (msg, 404, "not found\n");
}

/* Request log, and the count of requests in progress for draining */

static const char *const COUNTED_KEY = "tp-hub-counted";

/* A request counts from its headers (a connection kept alive and idle
 * has a message started but nothing read) until it is finished or
 * aborted. */
static void
got_headers_cb (SoupServerMessage *msg,
                gpointer           user_data)
{
  Server *server = user_data;

  if (g_object_get_data (G_OBJECT (msg), COUNTED_KEY) == NULL)
    {
      g_object_set_data (G_OBJECT (msg), COUNTED_KEY, GINT_TO_POINTER (1));
      server->in_flight++;
    }
}

static void
request_ended (Server            *server,
               SoupServerMessage *msg)
{
  if (g_object_get_data (G_OBJECT (msg), COUNTED_KEY) == NULL)
    return;
  g_object_set_data (G_OBJECT (msg), COUNTED_KEY, NULL);
  g_assert (server->in_flight > 0);
  server->in_flight--;
  finish_server_if_drained (server);
}

/* libsoup 3.2 re-emits the TLS connection's accept-certificate on the
 * message, and without a handler refuses every client certificate: the
 * handshake accepts a certificate that chains to the hub's CA without
 * error and that the registry knows and has not revoked. */
static gboolean
accept_certificate_cb (SoupServerMessage    *msg,
                       GTlsCertificate      *cert,
                       GTlsCertificateFlags  errors,
                       gpointer              user_data)
{
  Server *server = user_data;
  g_autoptr(GByteArray) der = NULL;
  g_autofree char *serial = NULL;
  g_autoptr(TpHubIdentity) who = NULL;

  if (errors != 0 || cert == NULL)
    return FALSE;
  g_object_get (cert, "certificate", &der, NULL);
  serial = der != NULL ? tp_hub_pki_serial_of_der (der->data, der->len) : NULL;
  if (serial == NULL)
    return FALSE;
  who = tp_hub_dir_lookup (tp_hub_get_dir (server->hub), serial, NULL);
  return who != NULL;
}

static void
request_started_cb (SoupServer        *soup,
                    SoupServerMessage *msg,
                    gpointer           user_data)
{
  gint64 *start = g_new (gint64, 1);


  g_signal_connect (msg, "accept-certificate", G_CALLBACK (accept_certificate_cb), user_data);
  g_signal_connect (msg, "got-headers", G_CALLBACK (got_headers_cb), user_data);
  *start = g_get_monotonic_time ();
  g_object_set_data_full (G_OBJECT (msg), START_KEY, start, g_free);
}

static void
log_request (SoupServerMessage *msg)
{
  g_autoptr(JsonObject) line = json_object_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *at = g_date_time_format (now, "%Y-%m-%dT%H:%M:%S.%fZ");
  gint64 *start = g_object_get_data (G_OBJECT (msg), START_KEY);
  const char *who = g_object_get_data (G_OBJECT (msg), IDENTITY_KEY);
  GUri *uri = soup_server_message_get_uri (msg);
  SoupMessageBody *request = soup_server_message_get_request_body (msg);
  SoupMessageBody *response = soup_server_message_get_response_body (msg);

  json_object_set_string_member (line, "at", at);
  json_object_set_string_member (line, "method", soup_server_message_get_method (msg));
  json_object_set_string_member (line, "path", uri != NULL ? g_uri_get_path (uri) : "");
  json_object_set_int_member (line, "status", soup_server_message_get_status (msg));
  if (start != NULL)
    json_object_set_int_member (line, "us", g_get_monotonic_time () - *start);
  json_object_set_int_member (line, "bytes_in", request != NULL ? request->length : 0);
  json_object_set_int_member (line, "bytes_out", response != NULL ? response->length : 0);
  if (who != NULL)
    json_object_set_string_member (line, "client", who);
  if (soup_server_message_get_remote_host (msg) != NULL)
    json_object_set_string_member (line, "remote", soup_server_message_get_remote_host (msg));
  print_line (line);
}

static void
request_finished_cb (SoupServer        *soup,
                     SoupServerMessage *msg,
                     gpointer           user_data)
{
  log_request (msg);
  request_ended (user_data, msg);
}

static void
request_aborted_cb (SoupServer        *soup,
                    SoupServerMessage *msg,
                    gpointer           user_data)
{
  request_ended (user_data, msg);
}

/* Stopping */

#define DRAIN_TIMEOUT_S 30

static gboolean
drain_timeout_cb (gpointer user_data)
{
  Server *server = user_data;

  server->drain_timeout_id = 0;
  g_main_loop_quit (server->loop);
  return G_SOURCE_REMOVE;
}

static gboolean
stop_cb (gpointer user_data)
{
  Server *server = user_data;
  GSList *listeners;

  if (server->draining)
    return G_SOURCE_CONTINUE;
  server->draining = TRUE;
  /* no new connections; requests in progress go on */
  listeners = soup_server_get_listeners (server->soup);
  for (GSList *l = listeners; l != NULL; l = l->next)
    g_socket_close (l->data, NULL);
  g_slist_free (listeners);
  for (GList *l = server->push; l != NULL; l = l->next)
    {
      Push *push = l->data;

      if (soup_websocket_connection_get_state (push->connection) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (push->connection, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, "hub stopping");
    }
  /* a client that never finishes its request does not keep the hub up */
  server->drain_timeout_id = g_timeout_add_seconds (DRAIN_TIMEOUT_S, drain_timeout_cb, server);
  finish_server_if_drained (server);
  return G_SOURCE_CONTINUE;
}

static GSocketAddress *
parse_listen (const char  *listen,
              GError     **error)
{
  const char *colon = strrchr (listen, ':');
  g_autofree char *host = NULL;
  g_autoptr(GInetAddress) address = NULL;
  guint64 port;

  if (colon == NULL || !g_ascii_string_to_unsigned (colon + 1, 10, 0, 65535, &port, NULL))
    {
      g_set_error (error, TP_ERROR, TP_ERROR_INVALID_ARGUMENT,
                   "--listen: “%s” is not HOST:PORT (127.0.0.1:8443, or port 0 for any free one)", listen);
      return NULL;
    }
  host = g_strndup (listen, (gsize) (colon - listen));
  if (host[0] == '[' && g_str_has_suffix (host, "]"))
    {
      char *inner = g_strndup (host + 1, strlen (host) - 2);

      g_free (host);
      host = inner;
    }
  if (strcmp (host, "localhost") == 0)
    {
      g_free (host);
      host = g_strdup ("127.0.0.1");
    }
  address = g_inet_address_new_from_string (host);
  if (address == NULL)
    {
      g_set_error (error, TP_ERROR, TP_ERROR_INVALID_ARGUMENT, "--listen: “%s” is not an IP address", host);
      return NULL;
    }
  return g_inet_socket_address_new (address, (guint16) port);
}

gboolean
tp_hub_serve (const char          *dir,
              const char          *listen,
              const char          *database,
              const TpHubOptions  *options,
              GError             **error)
{
  g_autoptr(TpHub) hub = NULL;
  g_autoptr(GTlsCertificate) cert = NULL;
  g_autoptr(GTlsDatabase) trust = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(SoupServer) soup = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(JsonObject) hello = json_object_new ();
  g_autoptr(JsonObject) bye = json_object_new ();
  g_autofree char *cert_file = NULL;
  g_autofree char *key_file = NULL;
  g_autofree char *ca_file = NULL;
  g_autofree char *url = NULL;
  Server server = { 0 };
  GSList *uris;
  guint term_id;
  guint int_id;

  signal (SIGPIPE, SIG_IGN);
  address = parse_listen (listen, error);
  if (address == NULL)
    return FALSE;
  hub = tp_hub_open (dir, database, options, error);
  if (hub == NULL)
    return FALSE;
  tp_hub_clean_snapshots (hub);

  cert_file = tp_hub_dir_get_tls_cert_file (tp_hub_get_dir (hub));
  key_file = tp_hub_dir_get_tls_key_file (tp_hub_get_dir (hub));
  ca_file = tp_hub_dir_get_ca_file (tp_hub_get_dir (hub));
  cert = g_tls_certificate_new_from_files (cert_file, key_file, error);
  if (cert == NULL)
    return FALSE;
  trust = g_tls_file_database_new (ca_file, error);
  if (trust == NULL)
    return FALSE;

  soup = soup_server_new ("tls-certificate", cert, "server-header", "touchpoint-hub", NULL);
  soup_server_set_tls_database (soup, trust);
  soup_server_set_tls_auth_mode (soup, G_TLS_AUTHENTICATION_REQUIRED);

  server.hub = hub;
  server.soup = soup;
  server.context = g_main_context_default ();
  loop = g_main_loop_new (server.context, FALSE);
  server.loop = loop;
  tp_hub_set_commit_func (hub, committed_cb, &server);

  soup_server_add_handler (soup, NULL, default_cb, &server, NULL);
  soup_server_add_handler (soup, "/v1/entries", post_cb, &server, NULL);
  soup_server_add_handler (soup, "/v1/events", post_cb, &server, NULL);
  soup_server_add_handler (soup, "/v1/reconcile", post_cb, &server, NULL);
  soup_server_add_handler (soup, "/v1/feed", feed_cb, &server, NULL);
  soup_server_add_websocket_handler (soup, "/v1/push", NULL, NULL, push_cb, &server, NULL);
  g_signal_connect (soup, "request-started", G_CALLBACK (request_started_cb), &server);
  g_signal_connect (soup, "request-finished", G_CALLBACK (request_finished_cb), &server);
  g_signal_connect (soup, "request-aborted", G_CALLBACK (request_aborted_cb), &server);

  if (!soup_server_listen (soup, address, SOUP_SERVER_LISTEN_HTTPS, error))
    return FALSE;
  uris = soup_server_get_uris (soup);
  if (uris != NULL)
    url = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  json_object_set_string_member (hello, "listening", url != NULL ? url : listen);
  json_object_set_int_member (hello, "port", g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address)));
  if (url != NULL)
    {
      g_autoptr(GUri) parsed = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);

      if (parsed != NULL)
        json_object_set_int_member (hello, "port", g_uri_get_port (parsed));
    }
  json_object_set_int_member (hello, "seq", (gint64) tp_hub_get_seq (hub));
  json_object_set_int_member (hello, "pid", getpid ());
  json_object_set_int_member (hello, "heartbeat_s", tp_hub_get_options (hub)->heartbeat_s);
  json_object_set_int_member (hello, "expiry_s", tp_hub_get_options (hub)->expiry_s);
  print_line (hello);

  server.heartbeat_id = g_timeout_add_seconds (tp_hub_get_options (hub)->heartbeat_s, heartbeat_cb, &server);
  term_id = g_unix_signal_add (SIGTERM, stop_cb, &server);
  int_id = g_unix_signal_add (SIGINT, stop_cb, &server);
  maybe_snapshot (&server);

  g_main_loop_run (loop);

  g_source_remove (server.heartbeat_id);
  if (server.drain_timeout_id != 0)
    g_source_remove (server.drain_timeout_id);
  g_source_remove (term_id);
  g_source_remove (int_id);
  /* threads still at work hold the hub: a snapshot in progress, or a
   * request past the drain timeout */
  while (server.snapshot_running || server.heartbeat_running || server.working > 0)
    g_main_context_iteration (server.context, TRUE);
  soup_server_disconnect (soup);
  g_list_free_full (g_steal_pointer (&server.push), (GDestroyNotify) push_free);
  tp_hub_set_commit_func (hub, NULL, NULL);

  json_object_set_boolean_member (bye, "stopped", TRUE);
  json_object_set_int_member (bye, "seq", (gint64) tp_hub_get_seq (hub));
  print_line (bye);
  return TRUE;
}
