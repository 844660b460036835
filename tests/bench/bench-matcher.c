/* bench-matcher.c: screening speed, memory and quality at scale
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   bench-matcher [N] [--queries Q] [--exhaustive B] [--seed S] [--verbose]
 *       Builds the synthetic population of N entries (default 1000000) in
 *       memory, indexes it, runs Q queries of each kind (default 20000) and
 *       prints build time, resident memory, latency percentiles for
 *       identifier-only and full queries, the exhaustive baseline on B
 *       queries (default 200) with the ratio and a check that both give the
 *       same hits, and the quality figures (--verbose: every false hit of a
 *       non-listed traveller and every missed slip, with the entry). Latency, candidates and the
 *       baseline cover the four original kinds of traveller; the listed
 *       travellers with a slip in a short given or middle name
 *       (TP_QUERY_KIND_LISTED_NAME_SLIP) have their own lines.
 *   bench-matcher --store-import PATH --key-file KEY [N]
 *       Imports the population's entries (every version) into a new store.
 *   bench-matcher --store-load PATH --key-file KEY
 *       Times open + load + index of that store, as touchpoint-cli screen
 *       does, and prints the resident memory after it.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "bench-util.h"
#include "tp-matcher.h"
#include "tp-name.h"
#include "tp-population.h"
#include "tp-store.h"

#define SEED 20260501
/* The kinds the latency, candidate and baseline figures have always
 * covered; the name-slip kind came later and is reported apart. */
#define BASE_KINDS TP_QUERY_KIND_LISTED_NAME_SLIP

static gint64
now_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (gint64) ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static gint64
cpu_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static double
peak_rss_mb (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024.0;
}

static double
current_rss_mb (void)
{
  g_autofree char *text = NULL;
  unsigned long pages = 0, resident = 0;

  if (!g_file_get_contents ("/proc/self/statm", &text, NULL, NULL) ||
      sscanf (text, "%lu %lu", &pages, &resident) != 2)
    return 0;
  return resident * (double) sysconf (_SC_PAGESIZE) / (1024.0 * 1024.0);
}

static int
compare_i64 (const void *a,
             const void *b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static void
print_latency (const char *label,
               GArray     *ns)
{
  gint64 *v = (gint64 *) (void *) ns->data;
  guint n = ns->len;

  if (n == 0)
    return;
  qsort (v, n, sizeof (gint64), compare_i64);
  printf ("  %-34s n=%-6u p50 %8.1f µs  p99 %8.1f µs  max %8.1f µs\n", label, n,
          v[n / 2] / 1000.0, v[(guint) ((n - 1) * 0.99)] / 1000.0, v[n - 1] / 1000.0);
}

static double
percentile_us (GArray *ns,
               double  p)
{
  gint64 *v = (gint64 *) (void *) ns->data;

  qsort (v, ns->len, sizeof (gint64), compare_i64);
  return v[(guint) ((ns->len - 1) * p)] / 1000.0;
}

static void
reference_date (GDate *today)
{
  g_date_clear (today, 1);
  g_date_set_dmy (today, 1, G_DATE_MAY, 2026);
}

static gboolean
same_hits (const TpScreenResult *a,
           const TpScreenResult *b)
{
  if (a->verdict != b->verdict || a->n_hits_total != b->n_hits_total || a->hits->len != b->hits->len)
    return FALSE;
  for (guint i = 0; i < a->hits->len; i++)
    {
      const TpHit *x = g_ptr_array_index (a->hits, i);
      const TpHit *y = g_ptr_array_index (b->hits, i);

      if (!g_str_equal (x->entry_id, y->entry_id) || x->band != y->band || x->score != y->score ||
          x->matched != y->matched || x->conflicts != y->conflicts)
        return FALSE;
    }
  return TRUE;
}

static const TpHit *
find_hit (const TpScreenResult *result,
          const char           *entry_id)
{
  for (guint i = 0; i < result->hits->len; i++)
    {
      const TpHit *hit = g_ptr_array_index (result->hits, i);

      if (g_str_equal (hit->entry_id, entry_id))
        return hit;
    }
  return NULL;
}

/* Folded name tokens of every entry, with the number of entries that
 * carry each */
static void
count_tokens (GHashTable    *counts,
              const TpEntry *entry)
{
  g_auto(GStrv) tokens = tp_name_fold_tokens (entry->full_name != NULL ? entry->full_name : "");

  for (guint i = 0; tokens[i] != NULL; i++)
    {
      gpointer old;

      if (g_hash_table_lookup_extended (counts, tokens[i], NULL, &old))
        g_hash_table_insert (counts, g_strdup (tokens[i]), GUINT_TO_POINTER (GPOINTER_TO_UINT (old) + 1));
      else
        g_hash_table_insert (counts, g_strdup (tokens[i]), GUINT_TO_POINTER (1));
    }
}

/* The entry's token that slipped (its length) and whether what the
 * traveller's document shows instead is a name some entry carries. */
static void
slip_of (const TpQuery *query,
         const TpEntry *entry,
         GHashTable    *counts,
         guint         *len,
         gboolean      *real)
{
  g_autofree char *written = g_strjoin (" ", query->primary ? query->primary : "",
                                        query->secondary ? query->secondary : "", NULL);
  g_auto(GStrv) q = tp_name_fold_tokens (written);
  g_auto(GStrv) e = tp_name_fold_tokens (entry->full_name);

  *len = 0;
  *real = FALSE;
  for (guint i = 0; e[i] != NULL; i++)
    if (!g_strv_contains ((const char * const *) q, e[i]))
      *len = (guint) strlen (e[i]);
  for (guint i = 0; q[i] != NULL; i++)
    if (!g_strv_contains ((const char * const *) e, q[i]) && g_hash_table_contains (counts, q[i]))
      *real = TRUE;
}

static gboolean
has_national_id (const TpEntry *entry)
{
  for (guint i = 0; i < entry->identifiers->len; i++)
    if (tp_identifier_is_personal_number (g_ptr_array_index (entry->identifiers, i)))
      return TRUE;
  return FALSE;
}

/* The same folded tokens, in any order, and the same full birth date */
static gboolean
same_name_and_date (const TpQuery *query,
                    const TpEntry *entry)
{
  g_autofree char *written = query->full_name != NULL ? g_strdup (query->full_name)
                           : g_strjoin (" ", query->primary ? query->primary : "",
                                        query->secondary ? query->secondary : "", NULL);
  g_auto(GStrv) q = tp_name_fold_tokens (written);
  g_auto(GStrv) e = tp_name_fold_tokens (entry->full_name);

  if (entry->birth_date.day == 0 || entry->birth_date.year != query->birth_date.year ||
      entry->birth_date.month != query->birth_date.month || entry->birth_date.day != query->birth_date.day ||
      g_strv_length (q) != g_strv_length (e))
    return FALSE;
  for (guint i = 0; q[i] != NULL; i++)
    if (!g_strv_contains ((const char * const *) e, q[i]))
      return FALSE;
  return TRUE;
}

static TpQuery *
identifiers_only (const TpQuery *q)
{
  TpQuery *copy = tp_query_new ();

  copy->id = g_strdup (q->id);
  copy->document_number = g_strdup (q->document_number);
  copy->issuing_state = g_strdup (q->issuing_state);
  copy->nationality = g_strdup (q->nationality);
  copy->personal_number = g_strdup (q->personal_number);
  return copy;
}

static int
run_in_memory (guint n,
               guint n_queries,
               guint n_exhaustive,
               guint64 seed,
               gboolean verbose)
{
  g_autoptr(TpPopulation) pop = NULL;
  g_autoptr(TpMatcher) matcher = tp_matcher_new ();
  GPtrArray *queries[TP_QUERY_N_KINDS];
  g_autoptr(GHashTable) token_counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  TpMatcherStats stats;
  TpScreenOptions options;
  GDate today;
  gint64 t0, t_gen = 0, t_add = 0, t_build;
  double rss_before;

  reference_date (&today);
  pop = tp_population_new (seed, n, &today);
  tp_screen_options_init (&options, &today, 1777593600);  /* 2026-05-01 00:00 UTC */

  {
    g_autofree char *machine = tp_bench_machine ();

    printf ("bench-matcher: N=%u entries, %u queries per kind, seed %" G_GUINT64_FORMAT "\nmachine: %s\n",
            n, n_queries, seed, machine);
  }
  rss_before = current_rss_mb ();

  for (guint i = 0; i < n; i++)
    {
      gint64 a = now_ns (), b;
      g_autoptr(TpEntry) entry = tp_population_entry (pop, i);

      b = now_ns ();
      tp_matcher_add_entry (matcher, entry);
      t_gen += b - a;
      t_add += now_ns () - b;
      count_tokens (token_counts, entry);
    }
  t0 = now_ns ();
  tp_matcher_build (matcher);
  t_build = now_ns () - t0;
  tp_matcher_get_stats (matcher, &stats);

  printf ("build\n");
  printf ("  generate entries (not part of loading)  %8.0f ms\n", t_gen / 1e6);
  printf ("  add entries (tokenise, intern, copy)    %8.0f ms\n", t_add / 1e6);
  printf ("  build indexes                           %8.0f ms\n", t_build / 1e6);
  printf ("  add + build                             %8.0f ms\n", (t_add + t_build) / 1e6);
  printf ("  indexed %u entries (%u cancelled dropped), %u tokens, %u identifiers\n",
          stats.n_entries, stats.n_cancelled, stats.n_tokens, stats.n_identifiers);
  printf ("  index memory (counted)                  %8.1f MB\n", stats.memory_bytes / 1048576.0);
  printf ("  resident now %.1f MB (%.1f MB before), peak %.1f MB\n",
          current_rss_mb (), rss_before, peak_rss_mb ());

  /* Queries, generated before timing */
  t0 = now_ns ();
  for (guint k = 0; k < TP_QUERY_N_KINDS; k++)
    {
      queries[k] = g_ptr_array_new_with_free_func ((GDestroyNotify) tp_population_query_free);
      for (guint i = 0; i < n_queries; i++)
        {
          TpPopulationQuery *q = tp_population_query (pop, k, i);

          if (q != NULL)
            g_ptr_array_add (queries[k], q);
        }
    }
  printf ("  generated queries in %.0f ms\n", (now_ns () - t0) / 1e6);

  /* Latency */
  {
    g_autoptr(GArray) id_ns = g_array_new (FALSE, FALSE, sizeof (gint64));
    g_autoptr(GArray) id_miss_ns = g_array_new (FALSE, FALSE, sizeof (gint64));
    g_autoptr(GArray) full_ns = g_array_new (FALSE, FALSE, sizeof (gint64));
    g_autoptr(GArray) full_cpu = g_array_new (FALSE, FALSE, sizeof (gint64));
    g_autoptr(GArray) id_cpu = g_array_new (FALSE, FALSE, sizeof (gint64));
    gint64 slowest = 0;
    g_autofree char *slowest_json = NULL;
    guint slowest_candidates = 0;
    GArray *kind_ns[TP_QUERY_N_KINDS];
    guint64 candidates = 0, max_candidates = 0;
    guint full_count = 0;

    printf ("latency (one thread, queries prepared in advance)\n");
    for (guint k = 0; k < TP_QUERY_N_KINDS; k++)
      kind_ns[k] = g_array_new (FALSE, FALSE, sizeof (gint64));

    /* Identifier only: document number, issuing state, personal number */
    for (guint pass = 0; pass < 2; pass++)
      {
        GPtrArray *set = queries[pass == 0 ? TP_QUERY_KIND_LISTED_IDENTIFIER : TP_QUERY_KIND_NOT_LISTED];

        for (guint i = 0; i < set->len; i++)
          {
            TpPopulationQuery *pq = g_ptr_array_index (set, i);
            g_autoptr(TpQuery) q = identifiers_only (pq->query);
            gint64 a = now_ns (), c = cpu_ns (), d, dc;
            TpScreenResult *r = tp_matcher_screen (matcher, q, &options);

            dc = cpu_ns () - c;
            d = now_ns () - a;
            g_array_append_val (pass == 0 ? id_ns : id_miss_ns, d);
            g_array_append_val (id_cpu, dc);
            tp_screen_result_free (r);
          }
      }
    print_latency ("identifier only, listed (hit)", id_ns);
    print_latency ("identifier only, not listed (miss)", id_miss_ns);
    g_array_append_vals (id_ns, id_miss_ns->data, id_miss_ns->len);
    print_latency ("identifier only, all", id_ns);
    print_latency ("identifier only, all, thread CPU", id_cpu);

    for (guint k = 0; k < TP_QUERY_N_KINDS; k++)
      for (guint i = 0; i < queries[k]->len; i++)
        {
          TpPopulationQuery *pq = g_ptr_array_index (queries[k], i);
          gint64 a = now_ns (), c = cpu_ns (), d, dc;
          g_autoptr(TpScreenResult) r = tp_matcher_screen (matcher, pq->query, &options);

          dc = cpu_ns () - c;
          d = now_ns () - a;
          g_array_append_val (kind_ns[k], d);
          if (k >= BASE_KINDS)
            continue;
          g_array_append_val (full_ns, d);
          g_array_append_val (full_cpu, dc);
          if (dc > slowest)
            {
              slowest = dc;
              g_free (slowest_json);
              slowest_json = tp_query_to_json (pq->query);
              slowest_candidates = r->n_candidates;
            }
          candidates += r->n_candidates;
          max_candidates = MAX (max_candidates, r->n_candidates);
          full_count++;
        }
    for (guint k = 0; k < TP_QUERY_N_KINDS; k++)
      {
        g_autofree char *label = g_strdup_printf ("full, %s", tp_query_kind_to_string (k));

        print_latency (label, kind_ns[k]);
      }
    print_latency ("full, the first four kinds", full_ns);
    print_latency ("full, the first four kinds, CPU", full_cpu);
    printf ("  slowest (CPU) %.1f µs, %u candidates: %s\n", slowest / 1000.0, slowest_candidates, slowest_json);
    for (guint k = 0; k < TP_QUERY_N_KINDS; k++)
      g_array_unref (kind_ns[k]);
    printf ("  candidates examined per full query: mean %.0f, max %" G_GUINT64_FORMAT "\n",
            (double) candidates / MAX (full_count, 1), max_candidates);

    /* Exhaustive baseline: the same queries, a sample of each kind */
    if (n_exhaustive > 0)
      {
        g_autoptr(GArray) ex_ns = g_array_new (FALSE, FALSE, sizeof (gint64));
        g_autoptr(GArray) ix_ns = g_array_new (FALSE, FALSE, sizeof (gint64));
        guint differ = 0, done = 0;
        double ex50, ex99, ix50, ix99;

        for (guint i = 0; done < n_exhaustive; i++)
          {
            guint k = i % BASE_KINDS;
            TpPopulationQuery *pq;
            gint64 a, d;
            g_autoptr(TpScreenResult) rx = NULL;
            g_autoptr(TpScreenResult) ri = NULL;

            if (i / BASE_KINDS >= queries[k]->len)
              {
                if (i > 4 * (n_queries + 1))
                  break;
                continue;
              }
            pq = g_ptr_array_index (queries[k], i / BASE_KINDS);
            a = now_ns ();
            rx = tp_matcher_screen_exhaustive (matcher, pq->query, &options);
            d = now_ns () - a;
            g_array_append_val (ex_ns, d);
            a = now_ns ();
            ri = tp_matcher_screen (matcher, pq->query, &options);
            d = now_ns () - a;
            g_array_append_val (ix_ns, d);
            if (!same_hits (rx, ri))
              {
                differ++;
                if (differ <= 3)
                  {
                    g_autofree char *json = tp_query_to_json (pq->query);

                    printf ("  DIFFERENT: %s: exhaustive %s %u hits, indexed %s %u hits\n", json,
                            tp_verdict_to_string (rx->verdict), rx->n_hits_total,
                            tp_verdict_to_string (ri->verdict), ri->n_hits_total);
                  }
              }
            done++;
          }
        ex50 = percentile_us (ex_ns, 0.5);
        ex99 = percentile_us (ex_ns, 0.99);
        ix50 = percentile_us (ix_ns, 0.5);
        ix99 = percentile_us (ix_ns, 0.99);
        printf ("exhaustive baseline (every entry's name compared, same decision rules), %u queries\n", done);
        printf ("  exhaustive p50 %10.1f µs  p99 %10.1f µs\n", ex50, ex99);
        printf ("  indexed    p50 %10.1f µs  p99 %10.1f µs  (same queries)\n", ix50, ix99);
        printf ("  ratio exhaustive/indexed: p50 %.0fx, p99 %.0fx\n", ex50 / ix50, ex99 / ix99);
        printf ("  results identical: %u of %u\n", done - differ, done);
      }
  }

  /* Quality */
  printf ("quality (check date 2026-05-01)\n");
  {
    guint confirmed = 0, total = 0;
    guint verdicts[4] = { 0, };
    GPtrArray *set = queries[TP_QUERY_KIND_LISTED_IDENTIFIER];

    for (guint i = 0; i < set->len; i++)
      {
        TpPopulationQuery *pq = g_ptr_array_index (set, i);
        g_autoptr(TpScreenResult) r = tp_matcher_screen (matcher, pq->query, &options);
        const TpHit *hit = find_hit (r, pq->entry_id);

        total++;
        if (hit != NULL && hit->band == TP_BAND_CONFIRMED)
          confirmed++;
        else if (total - confirmed <= 3)
          {
            g_autofree char *json = tp_query_to_json (pq->query);

            printf ("  NOT CONFIRMED: %s (entry %s)\n", json, pq->entry_id);
          }
        verdicts[r->verdict]++;
      }
    printf ("  listed, listed identifier:   %u/%u confirmed (%.2f %%); verdicts STOP %u REFER %u REVIEW %u CLEAR %u (CLEAR = notify)\n",
            confirmed, total, 100.0 * confirmed / MAX (total, 1),
            verdicts[TP_VERDICT_STOP], verdicts[TP_VERDICT_REFER], verdicts[TP_VERDICT_REVIEW],
            verdicts[TP_VERDICT_CLEAR]);
  }
  {
    guint flagged[TP_N_VARIATIONS] = { 0, }, own[TP_N_VARIATIONS] = { 0, }, count[TP_N_VARIATIONS] = { 0, };
    guint all_flagged = 0, all_own = 0, total = 0, shown = 0;
    guint by_date[3] = { 0, }, missed_by_date[3] = { 0, };   /* entry date full / year-month / year */
    GPtrArray *set = queries[TP_QUERY_KIND_LISTED_NEW_DOCUMENT];

    for (guint i = 0; i < set->len; i++)
      {
        TpPopulationQuery *pq = g_ptr_array_index (set, i);
        g_autoptr(TpScreenResult) r = tp_matcher_screen (matcher, pq->query, &options);
        const TpHit *hit = find_hit (r, pq->entry_id);
        g_autoptr(TpEntry) listed = tp_population_entry (pop, pq->entry_index);
        guint date = listed->birth_date.day != 0 ? 0 : listed->birth_date.month != 0 ? 1 : 2;

        count[pq->variation]++;
        total++;
        by_date[date]++;
        if (r->verdict == TP_VERDICT_CLEAR)
          missed_by_date[date]++;
        if (r->verdict != TP_VERDICT_CLEAR)
          {
            flagged[pq->variation]++;
            all_flagged++;
          }
        else if (shown++ < 12)
          {
            g_autofree char *json = tp_query_to_json (pq->query);
            g_autoptr(TpEntry) entry = tp_population_entry (pop, pq->entry_index);
            g_autofree char *ejson = tp_entry_to_json (entry);

            printf ("  MISSED (%s): %s\n      entry %s\n", tp_variation_to_string (pq->variation), json, ejson);
          }
        if (hit != NULL)
          {
            own[pq->variation]++;
            all_own++;
          }
      }
    printf ("  listed, new document:        %u/%u at least REVIEW (%.2f %%), own entry among hits %u (%.2f %%)\n",
            all_flagged, total, 100.0 * all_flagged / MAX (total, 1), all_own, 100.0 * all_own / MAX (total, 1));
    printf ("      missed by entry birth date: full %u/%u, year-month %u/%u, year %u/%u\n",
            missed_by_date[0], by_date[0], missed_by_date[1], by_date[1], missed_by_date[2], by_date[2]);
    for (guint v = TP_VARIATION_NEW_NUMBER; v < TP_N_VARIATIONS; v++)
      printf ("      %-16s %5u/%-5u %.2f %%\n", tp_variation_to_string (v), flagged[v], count[v],
              100.0 * flagged[v] / MAX (count[v], 1));
  }
  {
    guint verdicts[4] = { 0, }, total = 0, probable = 0, possible = 0, shown = 0;
    guint why[3][2] = { { 0, }, };   /* entry date full / year-month / year × name full / fuzzy */
    guint homonyms = 0, id_traveller = 0, id_entry = 0, id_neither = 0;
    GPtrArray *set = queries[TP_QUERY_KIND_NOT_LISTED];

    for (guint i = 0; i < set->len; i++)
      {
        TpPopulationQuery *pq = g_ptr_array_index (set, i);
        g_autoptr(TpScreenResult) r = tp_matcher_screen (matcher, pq->query, &options);

        total++;
        verdicts[r->verdict]++;
        if (r->hits->len > 0)
          {
            const TpHit *hit = g_ptr_array_index (r->hits, 0);

            const char *dash = strrchr (hit->entry_id, '-');
            g_autoptr(TpEntry) entry = tp_population_entry (pop, (guint) g_ascii_strtoull (dash + 1, NULL, 10));
            guint date = entry->birth_date.day != 0 ? 0 : entry->birth_date.month != 0 ? 1 : 2;

            why[date][hit->name_match == TP_NAME_MATCH_FULL ? 0 : 1]++;
            if (same_name_and_date (pq->query, entry))
              homonyms++;
            else if (pq->query->personal_number != NULL)
              id_traveller++;
            else if (has_national_id (entry))
              id_entry++;
            else
              id_neither++;
            if (verbose)
              {
                g_autofree char *json = tp_query_to_json (pq->query);

                printf ("  NOT LISTED %s: %s\n", tp_verdict_to_string (r->verdict), json);
                for (guint h = 0; h < r->hits->len; h++)
                  {
                    const TpHit *x = g_ptr_array_index (r->hits, h);
                    const char *d = strrchr (x->entry_id, '-');
                    g_autoptr(TpEntry) e = tp_population_entry (pop, (guint) g_ascii_strtoull (d + 1, NULL, 10));
                    g_autofree char *ejson = tp_entry_to_json (e);

                    printf ("      %s %.2f nats%s: %s\n      entry %s\n", tp_band_to_string (x->band),
                            x->name_weight, same_name_and_date (pq->query, e) ? " (same name and date)" : "",
                            x->explanation, ejson);
                  }
              }
            if (hit->band == TP_BAND_PROBABLE)
              probable++;
            else if (hit->band == TP_BAND_POSSIBLE)
              possible++;
            if (!verbose && shown++ < 6)
              {
                g_autofree char *json = tp_query_to_json (pq->query);

                printf ("  FALSE HIT: %s\n      %s %s: %s\n", json, tp_band_to_string (hit->band),
                        hit->entry_id, hit->explanation);
              }
          }
      }
    printf ("  not listed:                  %u/%u CLEAR (%.2f %%); STOP %u, REFER %u, REVIEW %u (best hit probable %u, possible %u)\n",
            verdicts[TP_VERDICT_CLEAR], total, 100.0 * verdicts[TP_VERDICT_CLEAR] / MAX (total, 1),
            verdicts[TP_VERDICT_STOP], verdicts[TP_VERDICT_REFER], verdicts[TP_VERDICT_REVIEW],
            probable, possible);
    printf ("      best false hit by entry birth date: full %u+%u, year-month %u+%u, year %u+%u (full name + fuzzy name)\n",
            why[0][0], why[0][1], why[1][0], why[1][1], why[2][0], why[2][1]);
    printf ("      best false hit: same full name and full birth date %u; otherwise citizen ID on the traveller only %u, on the entry only %u, on neither %u\n",
            homonyms, id_traveller, id_entry, id_neither);
  }
  {
    /* By the length of the name that slipped (2–5 letters), and by
     * whether the slip made another name the list carries */
    guint flagged = 0, total = 0, stops = 0, shown = 0;
    guint by_len[6] = { 0, }, missed_len[6] = { 0, };
    guint by_name[2] = { 0, }, missed_name[2] = { 0, };
    GPtrArray *set = queries[TP_QUERY_KIND_LISTED_NAME_SLIP];

    for (guint i = 0; i < set->len; i++)
      {
        TpPopulationQuery *pq = g_ptr_array_index (set, i);
        g_autoptr(TpScreenResult) r = tp_matcher_screen (matcher, pq->query, &options);
        g_autoptr(TpEntry) entry = tp_population_entry (pop, pq->entry_index);
        guint len = 0;
        gboolean real = FALSE;

        slip_of (pq->query, entry, token_counts, &len, &real);
        total++;
        by_len[MIN (len, 5)]++;
        by_name[real]++;
        if (r->verdict == TP_VERDICT_STOP)
          stops++;
        if (r->verdict != TP_VERDICT_CLEAR)
          {
            flagged++;
            continue;
          }
        missed_len[MIN (len, 5)]++;
        missed_name[real]++;
        if (verbose || shown++ < 8)
          {
            g_autofree char *json = tp_query_to_json (pq->query);

            printf ("  MISSED (name slip%s): %s\n      entry %s: %s\n", real ? ", another name" : "", json,
                    entry->id, entry->full_name);
          }
      }
    printf ("  listed, name slip:           %u/%u at least REVIEW (%.2f %%), STOP %u\n",
            flagged, total, 100.0 * flagged / MAX (total, 1), stops);
    printf ("      missed by length of the name that slipped: 2 %u/%u, 3 %u/%u, 4 %u/%u, 5 %u/%u\n",
            missed_len[2], by_len[2], missed_len[3], by_len[3], missed_len[4], by_len[4],
            missed_len[5], by_len[5]);
    printf ("      missed where the slip made another name of the list: %u/%u, made no such name: %u/%u\n",
            missed_name[1], by_name[1], missed_name[0], by_name[0]);
  }
  {
    guint verdicts[4] = { 0, }, total = 0;
    GPtrArray *set = queries[TP_QUERY_KIND_FORMERLY_LISTED];

    for (guint i = 0; i < set->len; i++)
      {
        TpPopulationQuery *pq = g_ptr_array_index (set, i);
        g_autoptr(TpScreenResult) r = tp_matcher_screen (matcher, pq->query, &options);

        total++;
        verdicts[r->verdict]++;
      }
    printf ("  formerly listed (cancelled, expired, not yet effective): %u/%u CLEAR (%.2f %%); STOP %u REFER %u REVIEW %u\n",
            verdicts[TP_VERDICT_CLEAR], total, 100.0 * verdicts[TP_VERDICT_CLEAR] / MAX (total, 1),
            verdicts[TP_VERDICT_STOP], verdicts[TP_VERDICT_REFER], verdicts[TP_VERDICT_REVIEW]);
  }

  for (guint k = 0; k < TP_QUERY_N_KINDS; k++)
    g_ptr_array_unref (queries[k]);
  return 0;
}

static TpStore *
open_store (const char        *path,
            const char        *key_file,
            TpStoreOpenFlags   flags)
{
  g_autoptr(TpKeySource) keys = tp_key_file_new (key_file);
  g_autoptr(GError) error = NULL;
  TpStore *store = tp_store_open (path, keys, flags, &error);

  if (store == NULL)
    g_printerr ("bench-matcher: %s\n", error->message);
  return store;
}

static int
run_store_import (const char *path,
                  const char *key_file,
                  guint       n,
                  guint64     seed)
{
  g_autoptr(TpPopulation) pop = NULL;
  g_autoptr(TpStore) store = NULL;
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func ((GDestroyNotify) tp_entry_free);
  GDate today;
  gint64 t0 = now_ns (), t_store = 0;
  guint versions = 0;

  reference_date (&today);
  pop = tp_population_new (seed, n, &today);
  store = open_store (path, key_file, TP_STORE_OPEN_CREATE | TP_STORE_OPEN_EXCLUSIVE);
  if (store == NULL)
    return 1;

  for (guint i = 0; i <= n; i++)
    {
      if (i < n)
        {
          g_autoptr(GPtrArray) history = tp_population_entry_history (pop, i);

          while (history->len > 0)
            g_ptr_array_add (batch, g_ptr_array_steal_index (history, 0));
        }
      if (batch->len >= 10000 || (i == n && batch->len > 0))
        {
          TpStoreBatchResult result;
          g_autoptr(GError) error = NULL;
          gint64 a = now_ns ();

          if (!tp_store_apply_batch (store, batch, &result, &error))
            {
              g_printerr ("bench-matcher: import: %s\n", error->message);
              return 1;
            }
          t_store += now_ns () - a;
          versions += batch->len;
          tp_store_batch_result_clear (&result);
          g_ptr_array_set_size (batch, 0);
        }
    }
  printf ("store import: %u entries, %u versions in %.1f s (store part %.1f s)\n",
          n, versions, (now_ns () - t0) / 1e9, t_store / 1e9);
  return 0;
}

static gboolean
load_cb (const TpEntry *entry,
         gpointer       user_data)
{
  tp_matcher_add_entry (user_data, entry);
  return TRUE;
}

static int
run_store_load (const char *path,
                const char *key_file)
{
  g_autoptr(TpStore) store = NULL;
  g_autoptr(TpMatcher) matcher = tp_matcher_new ();
  g_autoptr(GPtrArray) clearances = NULL;
  g_autoptr(GError) error = NULL;
  TpMatcherStats stats;
  gint64 t0 = now_ns (), t_open, t_load, t_build;

  store = open_store (path, key_file, TP_STORE_OPEN_NONE);
  if (store == NULL)
    return 1;
  t_open = now_ns ();
  if (!tp_store_foreach_current (store, load_cb, matcher, &error) ||
      (clearances = tp_store_list_clearances (store, &error)) == NULL)
    {
      g_printerr ("bench-matcher: load: %s\n", error->message);
      return 1;
    }
  for (guint i = 0; i < clearances->len; i++)
    {
      const TpClearance *c = g_ptr_array_index (clearances, i);

      tp_matcher_add_clearance (matcher, c->document_key, c->entry_id, c->entry_version, c->expires_at);
    }
  t_load = now_ns ();
  tp_matcher_build (matcher);
  t_build = now_ns ();
  tp_matcher_get_stats (matcher, &stats);
  printf ("store load: open %.0f ms, read + add %u entries %.0f ms, build %.0f ms, total %.0f ms\n",
          (t_open - t0) / 1e6, stats.n_entries + stats.n_cancelled, (t_load - t_open) / 1e6,
          (t_build - t_load) / 1e6, (t_build - t0) / 1e6);
  printf ("  resident now %.1f MB, peak %.1f MB\n", current_rss_mb (), peak_rss_mb ());
  return 0;
}

int
main (int    argc,
      char **argv)
{
  guint n = 1000000, n_queries = 20000, n_exhaustive = 200;
  guint64 seed = SEED;
  gboolean verbose = FALSE;
  const char *import_path = NULL, *load_path = NULL, *key_file = NULL;

  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--queries") && i + 1 < argc)
        n_queries = (guint) g_ascii_strtoull (argv[++i], NULL, 10);
      else if (g_str_equal (argv[i], "--exhaustive") && i + 1 < argc)
        n_exhaustive = (guint) g_ascii_strtoull (argv[++i], NULL, 10);
      else if (g_str_equal (argv[i], "--seed") && i + 1 < argc)
        seed = g_ascii_strtoull (argv[++i], NULL, 10);
      else if (g_str_equal (argv[i], "--verbose"))
        verbose = TRUE;
      else if (g_str_equal (argv[i], "--store-import") && i + 1 < argc)
        import_path = argv[++i];
      else if (g_str_equal (argv[i], "--store-load") && i + 1 < argc)
        load_path = argv[++i];
      else if (g_str_equal (argv[i], "--key-file") && i + 1 < argc)
        key_file = argv[++i];
      else if (g_ascii_isdigit (argv[i][0]))
        n = (guint) g_ascii_strtoull (argv[i], NULL, 10);
      else
        {
          g_printerr ("Usage: %s [N] [--queries Q] [--exhaustive B] [--seed S] [--verbose]\n"
                      "       %s --store-import PATH --key-file KEY [N]\n"
                      "       %s --store-load PATH --key-file KEY\n", argv[0], argv[0], argv[0]);
          return 2;
        }
    }

  if (import_path != NULL || load_path != NULL)
    {
      if (key_file == NULL)
        {
          g_printerr ("bench-matcher: --key-file is needed with a store\n");
          return 2;
        }
      return import_path != NULL ? run_store_import (import_path, key_file, n, seed)
                                 : run_store_load (load_path, key_file);
    }
  return run_in_memory (n, n_queries, n_exhaustive, seed, verbose);
}
