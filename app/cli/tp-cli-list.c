/* tp-cli-list.c: `touchpoint-cli list import|stats`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   list import --db PATH --key-file PATH [--batch-size N] [--actor NAME]
 *       Reads list entries (BRIEF §2) as JSON lines on stdin and applies
 *       them to the store in batches (one transaction each). Prints
 *       {"imported": N, "rejected": M, "ignored": K, "conflicts": C,
 *        "errors": [{"line": L, "id": "..." or null, "message": "..."}]}
 *       (errors in line order). "ignored" counts versions older than the
 *       stored one and exact repeats of it (importing the same lines twice
 *       changes nothing and reports nothing). A line that carries the
 *       stored current version of an id with different content is a
 *       conflict: not applied (the stored version stays), counted in
 *       "rejected" and in "conflicts", with an error for its line.
 *       Blank lines are skipped. A missing store is created, and its key
 *       file too when that is missing; an existing store whose key file is
 *       missing is an error.
 *       Exit status: 0 all imported (or ignored), 1 some rejected, 2 fatal
 *       (bad key, unreadable store, bad usage) with the message on stderr.
 *
 *   list stats --db PATH --key-file PATH [--at YYYY-MM-DD] [--no-self-check]
 *       Prints {"entries", "versions", "lists": {...}, "statuses": {...},
 *       "effective": {"date", "total", "exit_ban", "watch"}, "clearances",
 *       "audit_records", "feed_sequence", "state_hash",
 *       "self_check": {"checked", "not_hit", "ids"}}. The self-check screens
 *       every entry in force on the date against a traveller presenting the
 *       entry's own data (tp-self-check.h) and lists, by id, those that
 *       would not hit: silently unenforceable. Exit 0, or 2.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "tp-cli.h"
#include "tp-json.h"
#include "tp-entry.h"
#include "tp-self-check.h"
#include "tp-store.h"
#include "tp-store-matcher.h"

#define DEFAULT_BATCH_SIZE 10000

typedef struct {
  guint   line;
  char   *id;
  char   *message;
} ImportError;

static void
import_error_free (ImportError *e)
{
  g_free (e->id);
  g_free (e->message);
  g_free (e);
}

static void
usage_error (GOptionContext *context,
             const char     *message)
{
  g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);

  fprintf (stderr, "touchpoint-cli list: %s\n\n%s", message, help);
}

static TpStore *
open_store (const char        *db,
            const char        *key_file,
            TpStoreOpenFlags   flags)
{
  g_autoptr(TpKeySource) key = tp_key_file_new (key_file);
  g_autoptr(GError) error = NULL;
  TpStore *store = tp_store_open (db, key, flags, &error);

  if (store == NULL)
    fprintf (stderr, "touchpoint-cli list: %s\n", error->message);
  return store;
}

/* The id of a rejected line when it can be read, for the error report. */
static char *
readable_id (JsonNode *root)
{
  JsonObject *object;
  JsonNode *id;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  object = json_node_get_object (root);
  id = json_object_get_member (object, "id");
  if (id == NULL || !JSON_NODE_HOLDS_VALUE (id) || json_node_get_value_type (id) != G_TYPE_STRING)
    return NULL;
  return g_utf8_make_valid (json_node_get_string (id), -1);
}

static gboolean
is_blank (const char *line)
{
  for (const char *p = line; *p != '\0'; p++)
    if (!g_ascii_isspace (*p))
      return FALSE;
  return TRUE;
}

static int
compare_errors (gconstpointer a,
                gconstpointer b)
{
  const ImportError *ea = *(ImportError * const *) a;
  const ImportError *eb = *(ImportError * const *) b;

  return ea->line < eb->line ? -1 : ea->line > eb->line;
}

/* Applies the batch; batch_lines holds the input line of each entry, for
 * the errors about conflicts. */
static gboolean
flush_batch (TpStore    *store,
             GPtrArray  *batch,
             GArray     *batch_lines,
             const char *actor,
             GPtrArray  *errors,
             guint      *imported,
             guint      *ignored,
             guint      *conflicts)
{
  TpStoreBatchResult result;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (batch->len == 0)
    return TRUE;
  ok = tp_store_apply_batch_full (store, batch, NULL, actor, &result, &error);
  if (ok)
    {
      *imported += result.applied;
      *ignored += result.ignored;
      *conflicts += result.conflicts;
      for (guint i = 0; i < result.conflict_indices->len; i++)
        {
          guint index = g_array_index (result.conflict_indices, guint, i);
          const TpEntry *entry = g_ptr_array_index (batch, index);
          ImportError *e = g_new0 (ImportError, 1);

          e->line = g_array_index (batch_lines, guint, index);
          e->id = g_strdup (entry->id);
          e->message = g_strdup_printf ("version %u of %s is already stored with different "
                                        "content; a change needs a new version",
                                        entry->version, entry->id);
          g_ptr_array_add (errors, e);
        }
    }
  else
    fprintf (stderr, "touchpoint-cli list: %s\n", error->message);
  tp_store_batch_result_clear (&result);
  g_ptr_array_set_size (batch, 0);
  g_array_set_size (batch_lines, 0);
  return ok;
}

static int
list_import (const char *db,
             const char *key_file,
             int         batch_size,
             const char *actor)
{
  g_autoptr(TpStore) store = NULL;
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func ((GDestroyNotify) tp_entry_free);
  g_autoptr(GArray) batch_lines = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GPtrArray) errors = g_ptr_array_new_with_free_func ((GDestroyNotify) import_error_free);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  char *line = NULL;
  size_t cap = 0;
  ssize_t len;
  guint line_no = 0;
  guint imported = 0, ignored = 0, conflicts = 0;

  store = open_store (db, key_file, TP_STORE_OPEN_CREATE);
  if (store == NULL)
    return 2;

  while ((len = getline (&line, &cap, stdin)) >= 0)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *id = NULL;
      g_autoptr(JsonNode) root = NULL;
      TpEntry *entry;

      line_no++;
      while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
        line[--len] = '\0';
      if (is_blank (line))
        continue;

      root = tp_json_parse_object_line (line, len, "entry", &error);
      if (root == NULL)
        {
          ImportError *e = g_new0 (ImportError, 1);

          e->line = line_no;
          e->message = g_strdup (error->message);
          g_ptr_array_add (errors, e);
          continue;
        }
      id = readable_id (root);
      entry = tp_entry_from_json_node (root, &error);
      if (entry == NULL)
        {
          ImportError *e = g_new0 (ImportError, 1);

          e->line = line_no;
          e->id = g_steal_pointer (&id);
          e->message = g_strdup (error->message);
          g_ptr_array_add (errors, e);
          continue;
        }
      g_ptr_array_add (batch, entry);
      g_array_append_val (batch_lines, line_no);
      if (batch->len >= (guint) batch_size &&
          !flush_batch (store, batch, batch_lines, actor, errors, &imported, &ignored, &conflicts))
        {
          free (line);
          return 2;
        }
    }
  free (line);
  if (ferror (stdin))
    {
      fprintf (stderr, "touchpoint-cli list: cannot read standard input\n");
      return 2;
    }
  if (!flush_batch (store, batch, batch_lines, actor, errors, &imported, &ignored, &conflicts))
    return 2;
  g_ptr_array_sort (errors, compare_errors);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "imported");
  json_builder_add_int_value (builder, imported);
  json_builder_set_member_name (builder, "rejected");
  json_builder_add_int_value (builder, errors->len);
  json_builder_set_member_name (builder, "ignored");
  json_builder_add_int_value (builder, ignored);
  json_builder_set_member_name (builder, "conflicts");
  json_builder_add_int_value (builder, conflicts);
  json_builder_set_member_name (builder, "errors");
  json_builder_begin_array (builder);
  for (guint i = 0; i < errors->len; i++)
    {
      const ImportError *e = g_ptr_array_index (errors, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "line");
      json_builder_add_int_value (builder, e->line);
      tp_cli_add_string (builder, "id", e->id);
      json_builder_set_member_name (builder, "message");
      json_builder_add_string_value (builder, e->message);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  tp_cli_print_builder (builder);

  return errors->len > 0 ? 1 : 0;
}

static void
add_count (JsonBuilder *builder,
           const char  *name,
           guint64      value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, (gint64) value);
}

typedef struct {
  TpMatcher       *matcher;
  TpScreenOptions  options;
  GDate            date;
  GThreadPool     *pool;
  GMutex           lock;
  guint            checked;
  GPtrArray       *not_hit;     /* entry ids */
} SelfCheck;

static void
self_check_entry (gpointer data,
                  gpointer user_data)
{
  TpEntry *entry = data;
  SelfCheck *check = user_data;
  gboolean hit = tp_matcher_hits_own_data (check->matcher, entry, &check->options);

  g_mutex_lock (&check->lock);
  if (!hit)
    g_ptr_array_add (check->not_hit, g_strdup (entry->id));
  g_mutex_unlock (&check->lock);
  tp_entry_free (entry);
}

static gboolean
self_check_cb (const TpEntry *entry,
               gpointer       user_data)
{
  SelfCheck *check = user_data;

  if (entry->status != TP_ENTRY_ACTIVE || !tp_entry_is_effective (entry, &check->date))
    return TRUE;
  check->checked++;
  /* The store reads faster than entries are screened: past a small queue
   * this thread screens too, so that copies do not pile up */
  if (g_thread_pool_unprocessed (check->pool) > 256)
    self_check_entry (tp_entry_copy (entry), check);
  else
    g_thread_pool_push (check->pool, tp_entry_copy (entry), NULL);
  return TRUE;
}

static int
compare_ids (gconstpointer a,
             gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* Screens every entry in force on @date against its own data, on as many
 * threads as there are processors (up to four). */
static gboolean
run_self_check (TpStore      *store,
                const GDate  *date,
                SelfCheck    *check,
                GError      **error)
{
  g_autoptr(TpMatcher) matcher = tp_store_load_matcher (store, error);
  gboolean ok;

  if (matcher == NULL)
    return FALSE;
  check->matcher = matcher;
  check->date = *date;
  tp_screen_options_init (&check->options, date, g_get_real_time () / G_USEC_PER_SEC);
  g_mutex_init (&check->lock);
  check->not_hit = g_ptr_array_new_with_free_func (g_free);
  check->pool = g_thread_pool_new (self_check_entry, check, CLAMP (g_get_num_processors (), 1, 4),
                                   TRUE, NULL);
  ok = tp_store_foreach_current (store, self_check_cb, check, error);
  g_thread_pool_free (check->pool, FALSE, TRUE);
  g_mutex_clear (&check->lock);
  check->matcher = NULL;
  g_ptr_array_sort (check->not_hit, compare_ids);
  return ok;
}

static int
list_stats (const char  *db,
            const char  *key_file,
            const GDate *date,
            gboolean     self_check)
{
  SelfCheck check = { 0, };
  g_autoptr(GPtrArray) not_hit = NULL;
  g_autoptr(TpStore) store = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GError) error = NULL;
  TpFeedPosition position = { 0, };
  TpStoreCounts counts;
  char hash[TP_STATE_HASH_HEX_LEN + 1];
  char day[16];

  store = open_store (db, key_file, TP_STORE_OPEN_NONE);
  if (store == NULL)
    return 2;
  if (!tp_store_get_counts (store, date, &counts, &error) ||
      !tp_store_get_feed_position (store, &position, &error))
    {
      fprintf (stderr, "touchpoint-cli list: %s\n", error->message);
      return 2;
    }
  if (self_check)
    {
      if (!run_self_check (store, date, &check, &error))
        {
          fprintf (stderr, "touchpoint-cli list: %s\n", error->message);
          g_clear_pointer (&check.not_hit, g_ptr_array_unref);
          return 2;
        }
      not_hit = g_steal_pointer (&check.not_hit);
    }
  tp_state_hash_to_hex_buf (&counts.state_hash, hash);
  g_date_strftime (day, sizeof day, "%Y-%m-%d", date);

  json_builder_begin_object (builder);
  add_count (builder, "entries", counts.entries);
  add_count (builder, "versions", counts.versions);
  json_builder_set_member_name (builder, "lists");
  json_builder_begin_object (builder);
  add_count (builder, tp_list_kind_to_string (TP_LIST_EXIT_BAN), counts.by_list[TP_LIST_EXIT_BAN]);
  add_count (builder, tp_list_kind_to_string (TP_LIST_WATCH), counts.by_list[TP_LIST_WATCH]);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "statuses");
  json_builder_begin_object (builder);
  add_count (builder, tp_entry_status_to_string (TP_ENTRY_ACTIVE), counts.by_status[TP_ENTRY_ACTIVE]);
  add_count (builder, tp_entry_status_to_string (TP_ENTRY_CANCELLED), counts.by_status[TP_ENTRY_CANCELLED]);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "effective");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "date");
  json_builder_add_string_value (builder, day);
  add_count (builder, "total", counts.effective);
  add_count (builder, tp_list_kind_to_string (TP_LIST_EXIT_BAN), counts.effective_by_list[TP_LIST_EXIT_BAN]);
  add_count (builder, tp_list_kind_to_string (TP_LIST_WATCH), counts.effective_by_list[TP_LIST_WATCH]);
  json_builder_end_object (builder);
  add_count (builder, "clearances", counts.clearances);
  add_count (builder, "audit_records", counts.audit_records);
  json_builder_set_member_name (builder, "feed_sequence");
  json_builder_add_int_value (builder, position.sequence);
  json_builder_set_member_name (builder, "state_hash");
  json_builder_add_string_value (builder, hash);
  if (not_hit != NULL)
    {
      json_builder_set_member_name (builder, "self_check");
      json_builder_begin_object (builder);
      add_count (builder, "checked", check.checked);
      add_count (builder, "not_hit", not_hit->len);
      json_builder_set_member_name (builder, "ids");
      json_builder_begin_array (builder);
      for (guint i = 0; i < not_hit->len; i++)
        json_builder_add_string_value (builder, g_ptr_array_index (not_hit, i));
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
  tp_cli_print_builder (builder);

  tp_feed_position_clear (&position);
  return 0;
}

int
tp_cli_list (int    argc,
             char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *db = NULL;
  g_autofree char *key_file = NULL;
  g_autofree char *at = NULL;
  g_autofree char *actor = NULL;
  int batch_size = DEFAULT_BATCH_SIZE;
  gboolean no_self_check = FALSE;
  const GOptionEntry options[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, "The store (created by import when missing)", "PATH" },
    { "key-file", 0, 0, G_OPTION_ARG_FILENAME, &key_file, "The store's key file (64 hex digits, mode 0600)", "PATH" },
    { "at", 0, 0, G_OPTION_ARG_STRING, &at, "stats: count entries effective on this day (default today)", "YYYY-MM-DD" },
    { "batch-size", 0, 0, G_OPTION_ARG_INT, &batch_size, "import: entries per transaction (default 10000)", "N" },
    { "actor", 0, 0, G_OPTION_ARG_STRING, &actor, "import: who the audit log names (default the user name)", "NAME" },
    { "no-self-check", 0, 0, G_OPTION_ARG_NONE, &no_self_check,
      "stats: skip screening every entry in force against its own data", NULL },
    { NULL }
  };
  GDate date;

  context = g_option_context_new ("import|stats");
  g_option_context_set_summary (context,
                                "import: read list entries (JSON lines) on stdin into the encrypted store\n"
                                "stats:  print the store's counts and list-state hash, and the entries in\n"
                                "        force that a traveller presenting their own data would not hit");
  g_option_context_set_description (context,
                                    "Exit status: import 0 when every entry was imported (or was already in the\n"
                                    "store), 1 when any entry was rejected: invalid, or a version already stored\n"
                                    "with other content (the valid ones are imported all the same; \"errors\"\n"
                                    "names each rejected line), 2 fatal (usage, key, store); stats 0, or 2.\n");
  g_option_context_add_main_entries (context, options, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      usage_error (context, error->message);
      return 2;
    }
  if (argc != 2 || (!g_str_equal (argv[1], "import") && !g_str_equal (argv[1], "stats")))
    {
      usage_error (context, "expected a subcommand: import or stats");
      return 2;
    }
  if (db == NULL || key_file == NULL)
    {
      usage_error (context, "--db and --key-file are required");
      return 2;
    }
  if (batch_size < 1)
    {
      usage_error (context, "--batch-size must be at least 1");
      return 2;
    }

  if (g_str_equal (argv[1], "import"))
    return list_import (db, key_file, batch_size, actor != NULL ? actor : g_get_user_name ());

  if (!tp_cli_parse_date_or_today (at, &date, &error))
    {
      usage_error (context, error->message);
      return 2;
    }
  return list_stats (db, key_file, &date, !no_self_check);
}
