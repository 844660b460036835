/* tp-cli-population.c: `touchpoint-cli population`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   population [--entries N] [--seed S] [--at YYYY-MM-DD] [--current]
 *       Prints the synthetic lists (tp-population.h) as list entries, one
 *       JSON line per version, oldest first (what `list import` reads);
 *       --current: only the current version of each entry.
 *   population --queries N [--kind KIND] [--entries N] [--seed S] [--at DATE]
 *       Prints N travellers of each kind (or of KIND: listed-identifier,
 *       listed-new-document, not-listed, formerly-listed) as screening
 *       queries, one JSON line each (what `screen` reads), with an extra
 *       member "expect": {"kind", "variation", "entry_id"} saying who the
 *       traveller is. Use the same --entries, --seed and --at as for the
 *       entries, and screen with that --at.
 *   Defaults: 1000 entries, seed 1, today. Same options, same bytes.
 *   Exit status: 0, or 2 for bad usage.
 */
#include "config.h"

#include <stdio.h>

#include "tp-cli.h"
#include "tp-population.h"

static void
print_query (const TpPopulationQuery *pq)
{
  g_autoptr(JsonNode) node = tp_query_to_json_node (pq->query);
  JsonObject *object = json_node_get_object (node);
  JsonObject *expect = json_object_new ();

  json_object_set_string_member (expect, "kind", tp_query_kind_to_string (pq->kind));
  json_object_set_string_member (expect, "variation", tp_variation_to_string (pq->variation));
  if (pq->entry_id != NULL)
    json_object_set_string_member (expect, "entry_id", pq->entry_id);
  else
    json_object_set_null_member (expect, "entry_id");
  json_object_set_object_member (object, "expect", expect);
  tp_cli_print_json (node);
}

int
tp_cli_population (int    argc,
                   char **argv)
{
  int n_entries = 1000, n_queries = -1;
  g_autofree char *seed_text = NULL;
  g_autofree char *at = NULL;
  g_autofree char *kind_text = NULL;
  gboolean current = FALSE;
  GOptionEntry entries[] = {
    { "entries", 0, 0, G_OPTION_ARG_INT, &n_entries, "Listed entries (default 1000)", "N" },
    { "seed", 0, 0, G_OPTION_ARG_STRING, &seed_text, "Seed (default 1)", "S" },
    { "at", 0, 0, G_OPTION_ARG_STRING, &at, "Reference date for effective dates (default today)", "YYYY-MM-DD" },
    { "current", 0, 0, G_OPTION_ARG_NONE, &current, "Only the current version of each entry", NULL },
    { "queries", 0, 0, G_OPTION_ARG_INT, &n_queries, "Print N queries of each kind instead of entries", "N" },
    { "kind", 0, 0, G_OPTION_ARG_STRING, &kind_text, "Only this kind of query", "KIND" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("— synthetic lists and travellers");
  g_autoptr(GError) error = NULL;
  g_autoptr(TpPopulation) population = NULL;
  guint64 seed = 1;
  TpQueryKind only = TP_QUERY_N_KINDS;
  GDate today;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "touchpoint-cli population: %s\n", error->message);
      return 2;
    }
  {
    const char *problem = NULL;

    if (argc > 1)
      problem = "unexpected argument";
    else if (n_entries < 0)
      problem = "--entries must be 0 or more";
    else if (seed_text != NULL && !g_ascii_string_to_unsigned (seed_text, 10, 0, G_MAXUINT64, &seed, NULL))
      problem = "--seed: expected a whole number";
    else if (kind_text != NULL && !tp_query_kind_from_string (kind_text, &only))
      problem = "--kind: expected listed-identifier, listed-new-document, not-listed or formerly-listed";
    if (problem != NULL)
      {
        g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);

        fprintf (stderr, "touchpoint-cli population: %s\n\n%s", problem, help);
        return 2;
      }
  }
  if (!tp_cli_parse_date_or_today (at, &today, &error))
    {
      fprintf (stderr, "touchpoint-cli population: --at: %s\n", error->message);
      return 2;
    }

  population = tp_population_new (seed, (guint) n_entries, &today);

  if (n_queries < 0)
    {
      for (guint i = 0; i < (guint) n_entries; i++)
        {
          g_autoptr(GPtrArray) history = tp_population_entry_history (population, i);

          for (guint v = current ? history->len - 1 : 0; v < history->len; v++)
            {
              g_autofree char *json = tp_entry_to_json (g_ptr_array_index (history, v));

              fputs (json, stdout);
              fputc ('\n', stdout);
            }
        }
      fflush (stdout);
      return 0;
    }

  for (guint k = 0; k < TP_QUERY_N_KINDS; k++)
    {
      if (only != TP_QUERY_N_KINDS && k != only)
        continue;
      for (guint i = 0; i < (guint) n_queries; i++)
        {
          g_autoptr(TpPopulationQuery) pq = tp_population_query (population, k, i);

          if (pq != NULL)
            print_query (pq);
        }
    }
  return 0;
}
