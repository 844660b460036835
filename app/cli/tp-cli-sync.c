/* tp-cli-sync.c: `touchpoint-cli sync`, `outbox` and `reconcile`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   sync --db PATH --key-file PATH --enrollment DIR [--feed URL] (--once | --follow)
 *       Follows the hub's signed feed into the store (docs/feed.md §6) and
 *       uploads the outbox. Prints one JSON line per change of state:
 *         {"seq": N, "state_hash": "...", "entries": M, "applied": K,
 *          "stale": false, "age_s": 3, "outbox": 0, "at": "2026-...Z"}
 *       then "outbox_rejected", "connected", "state" and, after a failure,
 *       "error". "applied": the changes applied since the previous line;
 *       "age_s": seconds since the newest head accepted was signed (null
 *       before any); "outbox": events waiting for the hub's receipt.
 *       --feed URL reads the feed from a mirror (the base under which head,
 *       segments/ and snapshots/ are found); events still go to the hub.
 *       --once: one pass, one line. Exit status 0 up to date and the outbox
 *       empty; 1 the feed was refused (bad signature, unknown key,
 *       rollback, broken chain the snapshot could not repair: message on
 *       stderr, the store unchanged); 2 error (usage, store, the feed or
 *       the hub unreachable, this terminal refused by the hub); 3 stale (no
 *       unexpired head); 4 up to date but events wait in the outbox.
 *       --follow: until SIGINT or SIGTERM (exit 0).
 *
 *   outbox add --db PATH --key-file PATH
 *       Terminal events as JSON lines on stdin (docs/feed.md §9), each
 *       recorded in the audit log and the outbox in one transaction.
 *       Prints {"added": N, "duplicates": D, "rejected": M, "outbox": P,
 *       "errors": [{"line": L, "id": ... or null, "message": "..."}]}.
 *       An event already in the outbox with the same content is a
 *       duplicate (nothing recorded again). Exit 0, 1 when a line was
 *       rejected, 2 fatal.
 *   outbox list --db PATH --key-file PATH
 *       One JSON line per event: {"seq", "id", "type", "at_ms", "status",
 *       "reason", "sent_at"}. Exit 0, or 2.
 *
 *   reconcile --db PATH --key-file PATH --enrollment DIR --shift ID
 *             [--opened-at TIME] [--closed-at TIME]
 *       Flushes the outbox, then reconciles the shift with the hub (POST
 *       /v1/reconcile) and prints the hub's answer with "opened_at",
 *       "closed_at", "events" and "list_seq". A new shift opens just after
 *       the previous one closed (or at the first event) and closes now; a
 *       shift reconciled before keeps its window. Exit 0 "ok", 1
 *       "discrepancy", 2 error.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib-unix.h>

#include "tp-cli.h"
#include "tp-feed-event.h"
#include "tp-feed-util.h"
#include "tp-json.h"
#include "tp-outbox.h"
#include "tp-audit-log.h"
#include "tp-sync-client.h"

#define EXIT_REFUSED 1
#define EXIT_ERROR   2
#define EXIT_STALE   3
#define EXIT_OUTBOX  4

static int
usage_error (const char     *command,
             GOptionContext *context,
             const char     *message)
{
  g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);

  fprintf (stderr, "touchpoint-cli %s: %s\n\n%s", command, message, help);
  return EXIT_ERROR;
}

static int
fatal (const char   *command,
       const GError *error)
{
  fprintf (stderr, "touchpoint-cli %s: %s\n", command, error->message);
  return EXIT_ERROR;
}

/* The store opened once here: a wrong key or a missing key file is said at
 * once (the client opens its own connection later). */
static gboolean
check_store (const char        *db,
             TpKeySource       *key,
             TpStoreOpenFlags   flags,
             GError           **error)
{
  g_autoptr(TpStore) store = tp_store_open (db, key, flags, error);

  return store != NULL;
}

static char *
now_rfc3339 (void)
{
  gint64 us = g_get_real_time ();
  g_autoptr(GDateTime) t = g_date_time_new_from_unix_utc (us / G_USEC_PER_SEC);
  g_autofree char *base = g_date_time_format (t, "%Y-%m-%dT%H:%M:%S");

  return g_strdup_printf ("%s.%03dZ", base, (int) ((us / 1000) % 1000));
}

/* sync */

typedef struct {
  TpSyncClient *client;
  GMainLoop    *loop;
  guint64       applied;       /* since the last line */
  char         *last;          /* the last line's state, without "applied", "age_s" and "at" */
  TpSyncState   last_state;
  gboolean      done;
  GError       *error;
} SyncRun;

static char *
status_key (TpSyncClient *client)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT " %s %" G_GUINT64_FORMAT " %d %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT
                          " %d %s",
                          tp_sync_client_get_seq (client),
                          tp_sync_client_get_state_hash (client) ? tp_sync_client_get_state_hash (client) : "",
                          tp_sync_client_get_entries (client),
                          tp_sync_client_get_stale (client),
                          tp_sync_client_get_outbox_pending (client),
                          tp_sync_client_get_outbox_rejected (client),
                          tp_sync_client_get_connected (client),
                          tp_sync_client_get_last_error (client) ? tp_sync_client_get_last_error (client) : "");
}

static void
print_status (SyncRun  *run,
              gboolean  follow)
{
  TpSyncClient *client = run->client;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *at = now_rfc3339 ();
  gint64 age = tp_sync_client_get_age (client);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "seq");
  json_builder_add_int_value (builder, tp_sync_client_get_seq (client));
  tp_cli_add_string (builder, "state_hash", tp_sync_client_get_state_hash (client));
  json_builder_set_member_name (builder, "entries");
  json_builder_add_int_value (builder, (gint64) tp_sync_client_get_entries (client));
  json_builder_set_member_name (builder, "applied");
  json_builder_add_int_value (builder, (gint64) run->applied);
  json_builder_set_member_name (builder, "stale");
  json_builder_add_boolean_value (builder, tp_sync_client_get_stale (client));
  json_builder_set_member_name (builder, "age_s");
  if (age >= 0)
    json_builder_add_int_value (builder, age);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "outbox");
  json_builder_add_int_value (builder, (gint64) tp_sync_client_get_outbox_pending (client));
  json_builder_set_member_name (builder, "at");
  json_builder_add_string_value (builder, at);
  json_builder_set_member_name (builder, "outbox_rejected");
  json_builder_add_int_value (builder, (gint64) tp_sync_client_get_outbox_rejected (client));
  if (follow)
    {
      json_builder_set_member_name (builder, "connected");
      json_builder_add_boolean_value (builder, tp_sync_client_get_connected (client));
    }
  json_builder_set_member_name (builder, "state");
  json_builder_add_string_value (builder, tp_sync_state_to_string (tp_sync_client_get_state (client)));
  if (tp_sync_client_get_last_error (client) != NULL)
    tp_cli_add_string (builder, "error", tp_sync_client_get_last_error (client));
  json_builder_end_object (builder);
  tp_cli_print_builder (builder);
  run->applied = 0;
  g_free (run->last);
  run->last = status_key (client);
  run->last_state = tp_sync_client_get_state (client);
}

static void
applied_cb (TpSyncClient *client,
            guint64       first_seq,
            guint64       last_seq,
            guint64       changes,
            gpointer      user_data)
{
  SyncRun *run = user_data;

  run->applied += changes;
}

static void
changed_cb (TpSyncClient *client,
            gpointer      user_data)
{
  SyncRun *run = user_data;
  g_autofree char *key = NULL;
  TpSyncState state = tp_sync_client_get_state (client);

  /* nothing is printed before the store's status is known */
  if (!tp_sync_client_has_status (client) || state == TP_SYNC_STATE_IDLE)
    return;
  /* a line when the list, the outbox, the connection or the last error
   * changed, or the state became another settled one: a poll that finds
   * nothing new ("syncing", then "current" again) prints nothing */
  key = status_key (client);
  if (run->last != NULL && run->applied == 0 && strcmp (key, run->last) == 0 &&
      (state == TP_SYNC_STATE_SYNCING || state == run->last_state))
    return;
  print_status (run, TRUE);
}

static void
synced_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  SyncRun *run = user_data;

  tp_sync_client_sync_finish (TP_SYNC_CLIENT (source), result, &run->error);
  run->done = TRUE;
  g_main_loop_quit (run->loop);
}

static gboolean
quit_cb (gpointer user_data)
{
  SyncRun *run = user_data;

  run->done = TRUE;
  g_main_loop_quit (run->loop);
  return G_SOURCE_CONTINUE;
}

static TpSyncClient *
make_client (const char   *command,
             const char   *db,
             const char   *key_file,
             const char   *enrollment_dir,
             const char   *feed,
             gboolean      create,
             int          *status)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpKeySource) key = tp_key_file_new (key_file);
  g_autoptr(TpEnrollment) enrollment = tp_enrollment_load (enrollment_dir, &error);
  g_autoptr(TpSyncClient) client = NULL;

  *status = EXIT_ERROR;
  if (enrollment == NULL)
    {
      fatal (command, error);
      return NULL;
    }
  if (!check_store (db, key, create ? TP_STORE_OPEN_CREATE : TP_STORE_OPEN_NONE, &error))
    {
      fatal (command, error);
      return NULL;
    }
  client = tp_sync_client_new (db, key, enrollment, &error);
  if (client == NULL || (feed != NULL && !tp_sync_client_set_feed_url (client, feed, &error)))
    {
      fatal (command, error);
      return NULL;
    }
  *status = 0;
  return g_steal_pointer (&client);
}

int
tp_cli_sync (int    argc,
             char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TpSyncClient) client = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *db = NULL;
  g_autofree char *key_file = NULL;
  g_autofree char *enrollment = NULL;
  g_autofree char *feed = NULL;
  gboolean once = FALSE;
  gboolean follow = FALSE;
  SyncRun run = { 0, };
  int status;
  const GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, "The terminal's store (created when missing)", "PATH" },
    { "key-file", 0, 0, G_OPTION_ARG_FILENAME, &key_file, "The store's key file", "PATH" },
    { "enrollment", 0, 0, G_OPTION_ARG_FILENAME, &enrollment, "The enrollment bundle (touchpoint-hub enroll)", "DIR" },
    { "feed", 0, 0, G_OPTION_ARG_STRING, &feed, "Read the feed from this mirror (base URL) instead of the hub", "URL" },
    { "once", 0, 0, G_OPTION_ARG_NONE, &once, "One pass, one status line; the exit status says how it went", NULL },
    { "follow", 0, 0, G_OPTION_ARG_NONE, &follow, "Follow the feed (push and polling) until interrupted", NULL },
    { NULL }
  };

  context = g_option_context_new ("- follow the hub's signed feed into the store");
  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_description (context,
    "Prints one JSON line per change of state: {\"seq\", \"state_hash\", \"entries\", \"applied\", \"stale\",\n"
    "\"age_s\", \"outbox\", \"at\", ...}.\n"
    "Exit status with --once: 0 up to date and the outbox empty, 1 the feed was refused (store\n"
    "unchanged), 2 error, 3 stale, 4 up to date with events waiting in the outbox.\n");
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error ("sync", context, error->message);
  if (argc != 1)
    return usage_error ("sync", context, "unexpected arguments");
  if (db == NULL || key_file == NULL || enrollment == NULL)
    return usage_error ("sync", context, "--db, --key-file and --enrollment are required");
  if (once == follow)
    return usage_error ("sync", context, "give one of --once and --follow");

  client = make_client ("sync", db, key_file, enrollment, feed, TRUE, &status);
  if (client == NULL)
    return status;

  loop = g_main_loop_new (NULL, FALSE);
  run.client = client;
  run.loop = loop;
  g_signal_connect (client, "applied", G_CALLBACK (applied_cb), &run);

  if (once)
    {
      tp_sync_client_sync_async (client, NULL, synced_cb, &run);
      while (!run.done)
        g_main_loop_run (loop);
      print_status (&run, FALSE);
      g_free (run.last);
      if (run.error != NULL)
        {
          gboolean refused = g_error_matches (run.error, TP_SYNC_ERROR, TP_SYNC_ERROR_REFUSED) ||
                             g_error_matches (run.error, TP_SYNC_ERROR, TP_SYNC_ERROR_CHAIN);

          fprintf (stderr, "touchpoint-cli sync: %s\n", run.error->message);
          g_clear_error (&run.error);
          return refused ? EXIT_REFUSED : EXIT_ERROR;
        }
      if (tp_sync_client_get_stale (client))
        return EXIT_STALE;
      if (tp_sync_client_get_outbox_pending (client) > 0)
        return EXIT_OUTBOX;
      return 0;
    }

  g_signal_connect (client, "changed", G_CALLBACK (changed_cb), &run);
  g_unix_signal_add (SIGINT, quit_cb, &run);
  g_unix_signal_add (SIGTERM, quit_cb, &run);
  tp_sync_client_start (client);
  while (!run.done)
    g_main_loop_run (loop);
  tp_sync_client_stop (client);
  g_signal_handlers_disconnect_by_data (client, &run);
  g_free (run.last);
  return 0;
}

/* outbox */

typedef struct {
  guint  line;
  char  *id;
  char  *message;
} LineError;

static void
line_error_free (LineError *e)
{
  g_free (e->id);
  g_free (e->message);
  g_free (e);
}

static char *
readable_id (JsonNode *root)
{
  JsonNode *id;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  id = json_object_get_member (json_node_get_object (root), "id");
  if (id == NULL || !JSON_NODE_HOLDS_VALUE (id) || json_node_get_value_type (id) != G_TYPE_STRING)
    return NULL;
  return g_utf8_make_valid (json_node_get_string (id), -1);
}

static int
outbox_add (TpStore *store)
{
  g_autoptr(GPtrArray) errors = g_ptr_array_new_with_free_func ((GDestroyNotify) line_error_free);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GError) error = NULL;
  TpOutboxCounts counts;
  char *line = NULL;
  size_t cap = 0;
  ssize_t len;
  guint line_no = 0, added = 0, duplicates = 0;

  while ((len = getline (&line, &cap, stdin)) >= 0)
    {
      g_autoptr(GError) line_error = NULL;
      g_autoptr(JsonNode) root = NULL;
      g_autoptr(TpFeedEvent) event = NULL;
      g_autoptr(TpOutboxEvent) known = NULL;
      g_autofree char *id = NULL;
      gboolean blank = TRUE;

      line_no++;
      while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
        line[--len] = '\0';
      for (ssize_t i = 0; i < len; i++)
        if (!g_ascii_isspace (line[i]))
          blank = FALSE;
      if (blank)
        continue;

      root = tp_json_parse_object_line (line, len, "event", &line_error);
      id = readable_id (root);
      if (root != NULL)
        event = tp_feed_event_new_from_node (root, &line_error);
      if (event != NULL && json_object_has_member (json_node_get_object (root), "audit"))
        g_set_error (&line_error, TP_STORE_ERROR, TP_STORE_ERROR_INVALID,
                     "event: audit: the store gives each event its place in the audit log; leave it out");
      if (line_error == NULL)
        {
          known = tp_store_outbox_get (store, event->id, &line_error);
          if (line_error == NULL && tp_store_record_event (store, root, NULL, NULL, &line_error))
            {
              if (known != NULL)
                duplicates++;
              else
                added++;
            }
          if (line_error != NULL && !g_error_matches (line_error, TP_STORE_ERROR, TP_STORE_ERROR_INVALID))
            {
              free (line);
              return fatal ("outbox", line_error);
            }
        }
      if (line_error != NULL)
        {
          LineError *e = g_new0 (LineError, 1);

          e->line = line_no;
          e->id = g_steal_pointer (&id);
          e->message = g_strdup (line_error->message);
          g_ptr_array_add (errors, e);
        }
    }
  free (line);
  if (ferror (stdin))
    {
      fprintf (stderr, "touchpoint-cli outbox: cannot read standard input\n");
      return EXIT_ERROR;
    }
  if (!tp_store_outbox_get_counts (store, &counts, &error))
    return fatal ("outbox", error);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "added");
  json_builder_add_int_value (builder, added);
  json_builder_set_member_name (builder, "duplicates");
  json_builder_add_int_value (builder, duplicates);
  json_builder_set_member_name (builder, "rejected");
  json_builder_add_int_value (builder, errors->len);
  json_builder_set_member_name (builder, "outbox");
  json_builder_add_int_value (builder, (gint64) counts.pending);
  json_builder_set_member_name (builder, "errors");
  json_builder_begin_array (builder);
  for (guint i = 0; i < errors->len; i++)
    {
      const LineError *e = g_ptr_array_index (errors, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "line");
      json_builder_add_int_value (builder, e->line);
      tp_cli_add_string (builder, "id", e->id);
      tp_cli_add_string (builder, "message", e->message);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  tp_cli_print_builder (builder);
  return errors->len > 0 ? 1 : 0;
}

static int
outbox_list (TpStore *store)
{
  g_autoptr(GError) error = NULL;
  gint64 after = 0;

  for (;;)
    {
      g_autoptr(GPtrArray) events = tp_store_outbox_list (store, after, 1000, &error);

      if (events == NULL)
        return fatal ("outbox", error);
      for (guint i = 0; i < events->len; i++)
        {
          TpOutboxEvent *e = g_ptr_array_index (events, i);
          g_autoptr(JsonBuilder) builder = json_builder_new ();

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "seq");
          json_builder_add_int_value (builder, e->seq);
          tp_cli_add_string (builder, "id", e->id);
          tp_cli_add_string (builder, "type", e->type);
          json_builder_set_member_name (builder, "at_ms");
          json_builder_add_int_value (builder, e->at_ms);
          tp_cli_add_string (builder, "status", tp_outbox_status_to_string (e->status));
          tp_cli_add_string (builder, "reason", e->reason);
          json_builder_set_member_name (builder, "sent_at");
          if (e->sent_at > 0)
            json_builder_add_int_value (builder, e->sent_at);
          else
            json_builder_add_null_value (builder);
          json_builder_end_object (builder);
          tp_cli_print_builder (builder);
          after = e->seq;
        }
      if (events->len < 1000)
        return 0;
    }
}

int
tp_cli_outbox (int    argc,
               char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TpKeySource) key = NULL;
  g_autoptr(TpStore) store = NULL;
  g_autofree char *db = NULL;
  g_autofree char *key_file = NULL;
  gboolean add;
  const GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, "The terminal's store", "PATH" },
    { "key-file", 0, 0, G_OPTION_ARG_FILENAME, &key_file, "The store's key file", "PATH" },
    { NULL }
  };

  context = g_option_context_new ("add|list - the terminal's events on their way to the hub");
  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_description (context,
    "add: terminal events as JSON lines on stdin, recorded in the audit log and the outbox.\n"
    "Exit status: 0, 1 when a line was rejected, 2 fatal. list: one JSON line per event.\n");
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error ("outbox", context, error->message);
  if (argc != 2 || (strcmp (argv[1], "add") != 0 && strcmp (argv[1], "list") != 0))
    return usage_error ("outbox", context, "give add or list");
  if (db == NULL || key_file == NULL)
    return usage_error ("outbox", context, "--db and --key-file are required");
  add = strcmp (argv[1], "add") == 0;

  key = tp_key_file_new (key_file);
  store = tp_store_open (db, key, add ? TP_STORE_OPEN_CREATE : TP_STORE_OPEN_NONE, &error);
  if (store == NULL)
    return fatal ("outbox", error);
  return add ? outbox_add (store) : outbox_list (store);
}

/* reconcile */

typedef struct {
  GMainLoop *loop;
  JsonNode  *answer;
  GError    *error;
  gboolean   done;
} ReconcileRun;

static void
reconciled_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  ReconcileRun *run = user_data;

  run->answer = tp_sync_client_reconcile_finish (TP_SYNC_CLIENT (source), result, &run->error);
  run->done = TRUE;
  g_main_loop_quit (run->loop);
}

int
tp_cli_reconcile (int    argc,
                  char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TpSyncClient) client = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GDateTime) opened = NULL;
  g_autoptr(GDateTime) closed = NULL;
  g_autofree char *db = NULL;
  g_autofree char *key_file = NULL;
  g_autofree char *enrollment = NULL;
  g_autofree char *shift = NULL;
  g_autofree char *opened_at = NULL;
  g_autofree char *closed_at = NULL;
  ReconcileRun run = { 0, };
  const char *status_text;
  int status;
  const GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, "The terminal's store", "PATH" },
    { "key-file", 0, 0, G_OPTION_ARG_FILENAME, &key_file, "The store's key file", "PATH" },
    { "enrollment", 0, 0, G_OPTION_ARG_FILENAME, &enrollment, "The enrollment bundle", "DIR" },
    { "shift", 0, 0, G_OPTION_ARG_STRING, &shift, "The shift's id", "ID" },
    { "opened-at", 0, 0, G_OPTION_ARG_STRING, &opened_at, "When the shift opened (RFC 3339)", "TIME" },
    { "closed-at", 0, 0, G_OPTION_ARG_STRING, &closed_at, "When the shift closed (RFC 3339; default now)", "TIME" },
    { NULL }
  };

  context = g_option_context_new ("- reconcile a shift's events with the hub");
  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_description (context,
    "Prints the hub's answer: {\"shift\", \"status\": \"ok\"|\"discrepancy\", \"hub_lacks\", \"hub_extra\", ...}.\n"
    "Exit status: 0 ok, 1 discrepancy, 2 error.\n");
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error ("reconcile", context, error->message);
  if (argc != 1)
    return usage_error ("reconcile", context, "unexpected arguments");
  if (db == NULL || key_file == NULL || enrollment == NULL || shift == NULL)
    return usage_error ("reconcile", context, "--db, --key-file, --enrollment and --shift are required");
  if (opened_at != NULL && (opened = tp_feed_parse_time (opened_at)) == NULL)
    return usage_error ("reconcile", context, "--opened-at: not an RFC 3339 time with an offset");
  if (closed_at != NULL && (closed = tp_feed_parse_time (closed_at)) == NULL)
    return usage_error ("reconcile", context, "--closed-at: not an RFC 3339 time with an offset");

  client = make_client ("reconcile", db, key_file, enrollment, NULL, FALSE, &status);
  if (client == NULL)
    return status;
  loop = g_main_loop_new (NULL, FALSE);
  run.loop = loop;
  tp_sync_client_reconcile_async (client, shift, opened, closed, NULL, reconciled_cb, &run);
  while (!run.done)
    g_main_loop_run (loop);
  if (run.answer == NULL)
    {
      status = fatal ("reconcile", run.error);
      g_clear_error (&run.error);
      return status;
    }
  tp_cli_print_json (run.answer);
  status_text = json_object_get_string_member (json_node_get_object (run.answer), "status");
  status = g_strcmp0 (status_text, "ok") == 0 ? 0 : 1;
  json_node_unref (run.answer);
  return status;
}
