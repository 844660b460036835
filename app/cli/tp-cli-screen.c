/* tp-cli-screen.c: `touchpoint-cli screen`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   screen --db PATH --key-file PATH [--at YYYY-MM-DD] [--max-hits N]
 *       Loads the current list entries and the cleared pairs of the store
 *       once, indexes them (tp-matcher.h), then reads queries as JSON lines
 *       on stdin (tp-query.h) and prints one line per query, as soon as it
 *       is screened:
 *         {"id": "q1", "verdict": "STOP",
 *          "hits": [{"entry_id": "...", "list": "exit_ban", "agency": "customs",
 *                    "action": "deny_exit", "band": "confirmed", "score": 0.99,
 *                    "matched": ["passport", "birth_date"], "conflicts": [],
 *                    "explanation": "...", "entry_version": 3}],
 *          "elapsed_us": 37}
 *       "elapsed_us" covers decoding and screening the line. When a
 *       clearance suppressed hits, "suppressed" lists them (same members).
 *       A line that is not a valid query gives
 *         {"id": "q1" or null, "error": "line K: ..."}
 *       and the next line is read. Blank lines are skipped.
 *       --at: the check date (entries effective on it count; default
 *       today); clearances are judged at 00:00 local time of that day
 *       (default: now).
 *       Exit status: 0 every line screened, 1 some lines rejected, 2 fatal
 *       (bad key, unreadable store, bad usage) with the message on stderr.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "tp-cli.h"
#include "tp-matcher.h"
#include "tp-query.h"
#include "tp-store.h"
#include "tp-store-matcher.h"


static TpMatcher *
load_matcher (const char  *db,
              const char  *key_file,
              GError     **error)
{
  g_autoptr(TpKeySource) key = tp_key_file_new (key_file);
  g_autoptr(TpStore) store = NULL;

  store = tp_store_open (db, key, TP_STORE_OPEN_NONE, error);
  if (store == NULL)
    return NULL;
  return tp_store_load_matcher (store, error);
}

static void
add_fields (JsonBuilder   *b,
            const char    *name,
            TpMatchFields  fields)
{
  const char *names[8];
  guint n = tp_match_fields_to_strings (fields, names);

  json_builder_set_member_name (b, name);
  json_builder_begin_array (b);
  for (guint i = 0; i < n; i++)
    json_builder_add_string_value (b, names[i]);
  json_builder_end_array (b);
}

static void
add_hits (JsonBuilder *b,
          const char  *name,
          GPtrArray   *hits)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_array (b);
  for (guint i = 0; i < hits->len; i++)
    {
      const TpHit *hit = g_ptr_array_index (hits, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "entry_id");
      json_builder_add_string_value (b, hit->entry_id);
      json_builder_set_member_name (b, "list");
      json_builder_add_string_value (b, tp_list_kind_to_string (hit->list));
      json_builder_set_member_name (b, "agency");
      json_builder_add_string_value (b, tp_agency_to_string (hit->agency));
      json_builder_set_member_name (b, "action");
      json_builder_add_string_value (b, tp_action_to_string (hit->action));
      json_builder_set_member_name (b, "band");
      json_builder_add_string_value (b, tp_band_to_string (hit->band));
      json_builder_set_member_name (b, "score");
      json_builder_add_double_value (b, hit->score);
      add_fields (b, "matched", hit->matched);
      add_fields (b, "conflicts", hit->conflicts);
      json_builder_set_member_name (b, "explanation");
      json_builder_add_string_value (b, hit->explanation);
      json_builder_set_member_name (b, "entry_version");
      json_builder_add_int_value (b, hit->entry_version);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

static void
print_error (const char *id,
             guint       line,
             const char *message)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *text = g_strdup_printf ("line %u: %s", line, message);

  json_builder_begin_object (b);
  tp_cli_add_string (b, "id", id);
  json_builder_set_member_name (b, "error");
  json_builder_add_string_value (b, text);
  json_builder_end_object (b);
  tp_cli_print_builder (b);
}

/* Screens one line; FALSE when it is not a valid query (error printed). */
static gboolean
screen_line (TpMatcher             *matcher,
             const TpScreenOptions *options,
             const char            *text,
             gsize                  length,
             guint                  line)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpQuery) query = NULL;
  g_autoptr(TpScreenResult) result = NULL;
  g_autoptr(JsonBuilder) b = NULL;
  g_autofree char *id = NULL;
  gint64 start = g_get_monotonic_time ();
  gint64 elapsed;

  query = tp_query_from_json_line (text, (gssize) length, &id, &error);
  if (query == NULL)
    {
      print_error (id, line, error->message);
      return FALSE;
    }
  result = tp_matcher_screen (matcher, query, options);
  elapsed = g_get_monotonic_time () - start;

  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  if (query->id != NULL)
    json_builder_add_string_value (b, query->id);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "verdict");
  json_builder_add_string_value (b, tp_verdict_to_string (result->verdict));
  add_hits (b, "hits", result->hits);
  json_builder_set_member_name (b, "elapsed_us");
  json_builder_add_int_value (b, elapsed);
  if (result->suppressed->len > 0)
    add_hits (b, "suppressed", result->suppressed);
  json_builder_end_object (b);
  tp_cli_print_builder (b);
  return TRUE;
}

int
tp_cli_screen (int    argc,
               char **argv)
{
  g_autofree char *db = NULL;
  g_autofree char *key_file = NULL;
  g_autofree char *at = NULL;
  int max_hits = 0;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, "Encrypted store", "PATH" },
    { "key-file", 0, 0, G_OPTION_ARG_FILENAME, &key_file, "Key file of the store", "PATH" },
    { "at", 0, 0, G_OPTION_ARG_STRING, &at, "Check date (default today)", "YYYY-MM-DD" },
    { "max-hits", 0, 0, G_OPTION_ARG_INT, &max_hits, "Hits printed per query (default 20)", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("— screen travellers (queries as JSON lines on stdin)");
  g_autoptr(GError) error = NULL;
  g_autoptr(TpMatcher) matcher = NULL;
  TpScreenOptions options;
  GDate date;
  gint64 now;
  char *line = NULL;
  size_t capacity = 0;
  ssize_t length;
  guint line_number = 0, rejected = 0;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "touchpoint-cli screen: %s\n", error->message);
      return 2;
    }
  if (db == NULL || key_file == NULL || argc > 1 || max_hits < 0)
    {
      g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);

      fprintf (stderr, "touchpoint-cli screen: %s\n\n%s",
               argc > 1 ? "unexpected argument" : max_hits < 0 ? "--max-hits must be 0 or more"
                                                 : "--db and --key-file are required", help);
      return 2;
    }
  if (at != NULL)
    {
      g_autoptr(GDateTime) midnight = NULL;

      if (!tp_cli_parse_date (at, &date, &error))
        {
          fprintf (stderr, "touchpoint-cli screen: --at: %s\n", error->message);
          return 2;
        }
      midnight = g_date_time_new_local (g_date_get_year (&date), g_date_get_month (&date),
                                        g_date_get_day (&date), 0, 0, 0);
      now = g_date_time_to_unix (midnight);
    }
  else
    {
      tp_cli_today (&date);
      now = g_get_real_time () / G_USEC_PER_SEC;
    }

  matcher = load_matcher (db, key_file, &error);
  if (matcher == NULL)
    {
      fprintf (stderr, "touchpoint-cli screen: %s\n", error->message);
      return 2;
    }
  tp_screen_options_init (&options, &date, now);
  options.max_hits = (guint) max_hits;

  while ((length = getline (&line, &capacity, stdin)) >= 0)
    {
      gsize len = (gsize) length;

      line_number++;
      while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
        len--;
      line[len] = '\0';
      if (strspn (line, " \t") == len)
        continue;
      if (!screen_line (matcher, &options, line, len, line_number))
        rejected++;
    }
  free (line);
  if (ferror (stdin))
    {
      fprintf (stderr, "touchpoint-cli screen: cannot read standard input\n");
      return 2;
    }
  return rejected > 0 ? 1 : 0;
}
