/* test-sync-client.c: TpSyncClient as an application uses it, against a
 * real touchpoint-hub process on loopback (mutual TLS): properties and
 * signals on the caller's main context, push, escalations, the outbox
 * with a rejected event, reconciliation
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "tp-audit-log.h"
#include "tp-outbox.h"
#include "tp-sync-client.h"

#define WAIT_S 90

typedef struct {
  char         *dir;
  guint16       port;
  char         *hub_dir;
  GSubprocess  *hub;
  SoupSession  *agency;
  GTlsCertificate *agency_cert;
} Fixture;

static const char *
hub_program (void)
{
  const char *hub = g_getenv ("TOUCHPOINT_HUB");

  return hub != NULL ? hub : "touchpoint-hub";
}

static char *
run_hub (Fixture     *f,
         const char  *first,
         ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GSubprocess) p = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  va_list ap;

  g_ptr_array_add (args, (gpointer) hub_program ());
  va_start (ap, first);
  for (const char *a = first; a != NULL; a = va_arg (ap, const char *))
    g_ptr_array_add (args, (gpointer) a);
  va_end (ap);
  g_ptr_array_add (args, NULL);
  p = g_subprocess_newv ((const char * const *) args->pdata, G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (p, NULL, NULL, &out, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (p));
  g_assert_cmpint (g_subprocess_get_exit_status (p), ==, 0);
  return g_steal_pointer (&out);
}

static guint16
free_port (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  g_assert_true (g_socket_bind (socket, any, FALSE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static char *
path_in (Fixture    *f,
         const char *name)
{
  return g_build_filename (f->dir, name, NULL);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *listen = NULL;
  g_autofree char *customs = NULL;
  g_autofree char *cert = NULL;
  g_autofree char *key = NULL;
  g_autofree char *ca = NULL;
  g_autofree char *first = NULL;
  g_autoptr(GTlsDatabase) trust = NULL;
  g_autoptr(GDataInputStream) lines = NULL;

  f->dir = g_dir_make_tmp ("test-sync-client-XXXXXX", &error);
  g_assert_no_error (error);
  f->hub_dir = path_in (f, "hub");
  f->port = free_port ();
  url = g_strdup_printf ("https://127.0.0.1:%u/", f->port);
  listen = g_strdup_printf ("127.0.0.1:%u", f->port);
  customs = path_in (f, "customs");
  g_free (run_hub (f, "init", "--dir", f->hub_dir, "--url", url, NULL));
  g_free (run_hub (f, "agency", "add", "--dir", f->hub_dir, "customs", "--out", customs, NULL));

  {
    g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);

    /* the hub goes with the test, however the test ends */
    g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
    f->hub = g_subprocess_launcher_spawn (launcher, &error, hub_program (), "serve", "--dir", f->hub_dir,
                                          "--listen", listen, "--heartbeat", "600", "--expiry", "1200", NULL);
  }
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (f->hub));
  first = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (first);
  g_assert_nonnull (strstr (first, "listening"));

  cert = g_build_filename (customs, "cert.pem", NULL);
  key = g_build_filename (customs, "key.pem", NULL);
  ca = g_build_filename (customs, "ca.pem", NULL);
  f->agency_cert = g_tls_certificate_new_from_files (cert, key, &error);
  g_assert_no_error (error);
  trust = g_tls_file_database_new (ca, &error);
  g_assert_no_error (error);
  f->agency = soup_session_new ();
  soup_session_set_tls_database (f->agency, trust);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_subprocess_force_exit (f->hub);
  g_subprocess_wait (f->hub, NULL, NULL);
  g_clear_object (&f->hub);
  g_clear_object (&f->agency);
  g_clear_object (&f->agency_cert);
  remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->hub_dir);
}

static void
ingest (Fixture    *f,
        const char *body)
{
  g_autofree char *url = g_strdup_printf ("https://127.0.0.1:%u/v1/entries", f->port);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr(GBytes) request = g_bytes_new (body, strlen (body));
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;

  soup_message_set_tls_client_certificate (msg, f->agency_cert);
  soup_message_set_request_body_from_bytes (msg, "application/x-ndjson", request);
  answer = soup_session_send_and_read (f->agency, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  g_assert_null (strstr (g_bytes_get_data (answer, NULL), "rejected"));
}

static char *
entry_line (const char *id,
            guint       version)
{
  return g_strdup_printf ("{\"id\":\"%s\",\"version\":%u,\"list\":\"exit_ban\",\"status\":\"active\","
                          "\"agency\":\"customs\",\"action\":\"deny_exit\",\"visibility\":[\"immigration\"],"
                          "\"person\":{\"full_name\":\"Nguyễn Văn An\",\"birth_date\":\"1980-05-17\","
                          "\"identifiers\":[{\"type\":\"passport\",\"value\":\"C%07u\",\"country\":\"VNM\"}]},"
                          "\"basis\":{\"reference\":\"1/TB\",\"reason\":\"tax_debt\"},"
                          "\"effective_from\":\"2026-01-16\",\"effective_until\":\"2030-12-31\"}\n",
                          id, version, g_str_hash (id) % 10000000);
}

typedef struct {
  Fixture      *f;
  char         *name;
  char         *db;
  TpKeySource  *key;
  TpSyncClient *client;
  guint64       applied;
  guint64       last_seq;
  GPtrArray    *escalations;
  gboolean      wrong_context;
} Terminal;

static void
applied_cb (TpSyncClient *client,
            guint64       first,
            guint64       last,
            guint64       changes,
            Terminal     *t)
{
  if (!g_main_context_is_owner (g_main_context_default ()))
    t->wrong_context = TRUE;
  t->applied += changes;
  t->last_seq = last;
}

static void
escalation_cb (TpSyncClient *client,
               JsonNode     *event,
               Terminal     *t)
{
  g_ptr_array_add (t->escalations, json_node_copy (event));
}

static Terminal *
terminal_new (Fixture    *f,
              const char *name,
              gboolean    supervisor)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpEnrollment) enrollment = NULL;
  g_autofree char *bundle = path_in (f, name);
  g_autofree char *db_name = g_strconcat (name, ".db", NULL);
  g_autofree char *key_name = g_strconcat (name, ".key", NULL);
  g_autofree char *key_path = path_in (f, key_name);
  Terminal *t = g_new0 (Terminal, 1);

  g_free (run_hub (f, "enroll", "--dir", f->hub_dir, "--airport", "HAN", "--checkpoint", "T2-EXIT",
                   "--terminal", name, "--out", bundle, supervisor ? "--supervisor" : NULL, NULL));
  enrollment = tp_enrollment_load (bundle, &error);
  g_assert_no_error (error);
  g_assert_cmpint (enrollment->supervisor, ==, supervisor);
  t->f = f;
  t->name = g_strdup (name);
  t->db = path_in (f, db_name);
  t->key = tp_key_file_new (key_path);
  t->client = tp_sync_client_new (t->db, t->key, enrollment, &error);
  g_assert_no_error (error);
  t->escalations = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_signal_connect (t->client, "applied", G_CALLBACK (applied_cb), t);
  g_signal_connect (t->client, "escalation", G_CALLBACK (escalation_cb), t);
  return t;
}

static void
terminal_free (Terminal *t)
{
  tp_sync_client_stop (t->client);
  g_signal_handlers_disconnect_by_data (t->client, t);
  g_object_unref (t->client);
  g_object_unref (t->key);
  g_ptr_array_unref (t->escalations);
  g_free (t->db);
  g_free (t->name);
  g_free (t);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Terminal, terminal_free)

/* Runs the default main context until @cond holds (or fails after WAIT_S). */
#define RUN_UNTIL(cond) G_STMT_START { \
    gint64 deadline_ = g_get_monotonic_time () + WAIT_S * G_USEC_PER_SEC; \
    while (!(cond)) \
      { \
        if (g_get_monotonic_time () > deadline_) \
          g_error ("timed out waiting for " #cond); \
        g_main_context_iteration (NULL, TRUE); \
      } \
  } G_STMT_END

static gboolean
tick_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

static void
result_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static char *
event_line (const char *type,
            const char *extra)
{
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *case_id = g_uuid_string_random ();

  return g_strdup_printf ("{\"id\":\"%s\",\"type\":\"%s\",\"at\":\"2026-12-06T06:09:22.123Z\",\"case_id\":\"%s\","
                          "\"officer\":\"SUP-01\",\"role\":\"supervisor\"%s}", id, type, case_id, extra);
}

/* The counter records an event through its own store connection, as
 * TpCheckpoint does. */
static char *
record (Terminal   *t,
        const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpStore) store = tp_store_open (t->db, t->key, TP_STORE_OPEN_NONE, &error);
  g_autoptr(JsonNode) node = json_from_string (json, &error);

  g_assert_no_error (error);
  g_assert_true (tp_store_record_event (store, node, NULL, NULL, &error));
  g_assert_no_error (error);
  return g_strdup (json_object_get_string_member (json_node_get_object (node), "id"));
}

static void
test_follow (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(Terminal) t = terminal_new (f, "T2-EXIT-07", FALSE);
  g_autoptr(Terminal) sup = terminal_new (f, "T2-SUP-01", TRUE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) r1 = NULL;
  g_autoptr(GAsyncResult) r2 = NULL;
  g_autoptr(GAsyncResult) flushed = NULL;
  g_autoptr(GAsyncResult) reconciled = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autofree char *escalation_id = NULL;
  GString *batch = g_string_new (NULL);
  guint tick = g_timeout_add (50, tick_cb, NULL);
  gint64 age;

  g_assert_false (tp_sync_client_has_status (t->client));
  g_assert_true (tp_sync_client_get_stale (t->client));
  g_assert_cmpint (tp_sync_client_get_age (t->client), ==, -1);

  /* two passes asked at once: both answered */
  tp_sync_client_sync_async (t->client, NULL, result_cb, &r1);
  tp_sync_client_sync_async (t->client, NULL, result_cb, &r2);
  RUN_UNTIL (r1 != NULL && r2 != NULL);
  g_assert_true (tp_sync_client_sync_finish (t->client, r1, &error));
  g_assert_true (tp_sync_client_sync_finish (t->client, r2, &error));
  g_assert_no_error (error);
  g_assert_cmpint (tp_sync_client_get_state (t->client), ==, TP_SYNC_STATE_CURRENT);
  g_assert_false (tp_sync_client_get_stale (t->client));
  g_assert_cmpint (tp_sync_client_get_seq (t->client), ==, 0);

  /* following: push brings each change (polling is every 600 s here) */
  tp_sync_client_start (t->client);
  tp_sync_client_start (sup->client);
  RUN_UNTIL (tp_sync_client_get_connected (t->client) && tp_sync_client_get_connected (sup->client));
  for (guint i = 0; i < 2000; i++)
    {
      g_autofree char *id = g_strdup_printf ("EB-%04u", i);
      g_autofree char *line = entry_line (id, 1);

      g_string_append (batch, line);
    }
  ingest (f, batch->str);
  g_string_free (batch, TRUE);
  RUN_UNTIL (tp_sync_client_get_seq (t->client) == 2000 && tp_sync_client_get_seq (sup->client) == 2000);
  g_assert_cmpuint (t->applied, ==, 2000);
  g_assert_cmpuint (t->last_seq, ==, 2000);
  g_assert_false (t->wrong_context);
  g_assert_cmpuint (tp_sync_client_get_entries (t->client), ==, 2000);
  g_assert_cmpstr (tp_sync_client_get_state_hash (t->client), ==, tp_sync_client_get_state_hash (sup->client));
  age = tp_sync_client_get_age (t->client);
  g_assert_cmpint (age, >=, 0);
  g_assert_cmpint (age, <, WAIT_S);
  {
    g_autofree char *line = entry_line ("EB-0001", 2);

    ingest (f, line);
  }
  RUN_UNTIL (tp_sync_client_get_seq (t->client) == 2001);

  /* an escalation recorded at one counter reaches the airport's supervisor */
  {
    g_autofree char *json = event_line ("escalation", ",\"reason\":\"probable hit\",\"verdict\":\"REVIEW\"");

    escalation_id = record (t, json);
  }
  tp_sync_client_flush_outbox (t->client);
  RUN_UNTIL (sup->escalations->len > 0);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (g_ptr_array_index (sup->escalations, 0)), "id"),
                   ==, escalation_id);
  g_assert_cmpuint (t->escalations->len, ==, 0);
  RUN_UNTIL (tp_sync_client_get_outbox_pending (t->client) == 0);

  /* an event the hub rejects is kept, with the reason, and not sent again */
  {
    g_autofree char *bad = event_line ("gossip", ",\"text\":\"?\"");
    g_autofree char *good = event_line ("note", ",\"text\":\"ok\"");
    g_autofree char *bad_id = record (t, bad);
    g_autofree char *good_id = record (t, good);
    g_autoptr(TpStore) store = tp_store_open (t->db, t->key, TP_STORE_OPEN_NONE, &error);
    g_autoptr(TpOutboxEvent) rejected = NULL;
    g_autoptr(TpOutboxEvent) accepted = NULL;

    tp_sync_client_flush_outbox_async (t->client, NULL, result_cb, &flushed);
    RUN_UNTIL (flushed != NULL);
    g_assert_true (tp_sync_client_flush_outbox_finish (t->client, flushed, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (tp_sync_client_get_outbox_pending (t->client), ==, 0);
    g_assert_cmpuint (tp_sync_client_get_outbox_rejected (t->client), ==, 1);
    rejected = tp_store_outbox_get (store, bad_id, &error);
    accepted = tp_store_outbox_get (store, good_id, &error);
    g_assert_cmpint (rejected->status, ==, TP_OUTBOX_REJECTED);
    g_assert_nonnull (rejected->reason);
    g_assert_nonnull (strstr (rejected->reason, "type"));
    g_assert_cmpint (accepted->status, ==, TP_OUTBOX_ACCEPTED);
  }

  /* the shift: what the hub holds is what the terminal sent */
  {
    g_autoptr(GDateTime) opened = g_date_time_new_from_iso8601 ("2026-12-06T00:00:00Z", NULL);
    g_autoptr(GDateTime) closed = g_date_time_new_from_iso8601 ("2026-12-06T12:00:00Z", NULL);
    JsonObject *o;

    tp_sync_client_reconcile_async (t->client, "SHIFT-A", opened, closed, NULL, result_cb, &reconciled);
    RUN_UNTIL (reconciled != NULL);
    answer = tp_sync_client_reconcile_finish (t->client, reconciled, &error);
    g_assert_no_error (error);
    o = json_node_get_object (answer);
    /* the rejected event is one the hub lacks */
    g_assert_cmpstr (json_object_get_string_member (o, "status"), ==, "discrepancy");
    g_assert_cmpint (json_array_get_length (json_object_get_array_member (o, "hub_lacks")), ==, 1);
    g_assert_cmpint (json_array_get_length (json_object_get_array_member (o, "hub_extra")), ==, 0);
    g_assert_cmpint (json_object_get_int_member (o, "events"), ==, 3);
    g_assert_cmpint (json_object_get_int_member (o, "list_seq"), ==, 2001);
  }

  /* stopping closes the push channel */
  tp_sync_client_stop (t->client);
  g_assert_false (tp_sync_client_get_connected (t->client));
  g_assert_false (tp_sync_client_is_following (t->client));
  g_source_remove (tick);
}

static void
test_unreachable (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(Terminal) t = terminal_new (f, "T2-EXIT-09", FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  g_subprocess_force_exit (f->hub);
  g_subprocess_wait (f->hub, NULL, NULL);
  tp_sync_client_sync_async (t->client, NULL, result_cb, &result);
  RUN_UNTIL (result != NULL);
  g_assert_false (tp_sync_client_sync_finish (t->client, result, &error));
  g_assert_error (error, TP_SYNC_ERROR, TP_SYNC_ERROR_NETWORK);
  g_assert_cmpint (tp_sync_client_get_state (t->client), ==, TP_SYNC_STATE_OFFLINE);
  g_assert_nonnull (tp_sync_client_get_last_error (t->client));
  g_assert_true (tp_sync_client_has_status (t->client));
  g_assert_true (tp_sync_client_get_stale (t->client));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/sync-client/follow", Fixture, NULL, fixture_setup, test_follow, fixture_teardown);
  g_test_add ("/sync-client/unreachable", Fixture, NULL, fixture_setup, test_unreachable, fixture_teardown);
  return g_test_run ();
}
