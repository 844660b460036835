/* bench-store.c: import into and load from the encrypted store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   bench-store [N] [DIR]      default N = 1000000, DIR = a new temporary directory
 *   bench-store --load DIR     only the load step, on a store kept in DIR
 *
 * Generates N listed people with the synthetic population (tp-population.h,
 * every version of every entry: impose, extend, cancel), imports them into a
 * new store in batches of 10,000 versions (one transaction each), then in a
 * fresh process opens the store and iterates over every current entry as the
 * matcher does at start-up. Prints the time of each step, the file size and
 * the peak resident memory of both processes. The store is deleted at the
 * end unless DIR was given.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "bench-util.h"
#include "tp-population.h"
#include "tp-state-hash.h"
#include "tp-store.h"

#define BATCH_SIZE 10000

static double
now_s (void)
{
  return (double) g_get_monotonic_time () / G_USEC_PER_SEC;
}

static double
cpu_s (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (double) ts.tv_sec + ts.tv_nsec / 1e9;
}

static long
peak_rss_kib (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

static gint64
file_size (const char *path)
{
  struct stat st;

  return stat (path, &st) == 0 ? (gint64) st.st_size : 0;
}

typedef struct {
  guint   n;
  guint   cancelled;
  guint   identifiers;
  gsize   name_bytes;
} IterStats;

/* What the matcher does with each entry, roughly: read every field. */
static gboolean
iterate_cb (const TpEntry *entry,
            gpointer       user_data)
{
  IterStats *s = user_data;

  s->n++;
  if (entry->status == TP_ENTRY_CANCELLED)
    s->cancelled++;
  s->identifiers += entry->identifiers->len;
  if (entry->full_name != NULL)
    s->name_bytes += strlen (entry->full_name);
  return TRUE;
}

/* In a fresh process: open + iterate, and that process's peak memory. */
static int
load_in_child (const char *db,
               const char *key_path)
{
  double t0, c0, t_open, t_iter, t_counts, c_open, c_iter;
  g_autoptr(TpKeySource) key = tp_key_file_new (key_path);
  g_autoptr(TpStore) store = NULL;
  g_autoptr(GError) error = NULL;
  IterStats stats = { 0, };
  TpStoreCounts counts;
  long rss_before;

  rss_before = peak_rss_kib ();
  t0 = now_s ();
  c0 = cpu_s ();
  store = tp_store_open (db, key, TP_STORE_OPEN_NONE, &error);
  if (store == NULL)
    {
      fprintf (stderr, "open: %s\n", error->message);
      return 1;
    }
  t_open = now_s () - t0;
  c_open = cpu_s () - c0;

  t0 = now_s ();
  c0 = cpu_s ();
  if (!tp_store_foreach_current (store, iterate_cb, &stats, &error))
    {
      fprintf (stderr, "iterate: %s\n", error->message);
      return 1;
    }
  t_iter = now_s () - t0;
  c_iter = cpu_s () - c0;

  t0 = now_s ();
  if (!tp_store_get_counts (store, NULL, &counts, &error))
    {
      fprintf (stderr, "counts: %s\n", error->message);
      return 1;
    }
  t_counts = now_s () - t0;

  printf ("open (key file, key check, schema check):  %8.3f s  (CPU %.3f s)\n", t_open, c_open);
  printf ("iterate current entries:                   %8.3f s  (CPU %.3f s; %u entries, %u cancelled, %u identifiers, %.0f ns/entry)\n",
          t_iter, c_iter, stats.n, stats.cancelled, stats.identifiers, t_iter * 1e9 / MAX (stats.n, 1));
  printf ("open + iterate:                            %8.3f s  (CPU %.3f s)\n", t_open + t_iter, c_open + c_iter);
  printf ("counts (list stats):                       %8.3f s\n", t_counts);
  printf ("reader process peak RSS:                   %8.1f MiB (%.1f MiB before opening)\n",
          peak_rss_kib () / 1024.0, rss_before / 1024.0);
  fflush (stdout);
  return 0;
}

int
main (int    argc,
      char **argv)
{
  guint n = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 1000000;
  gboolean keep = argc > 2;
  g_autofree char *dir = NULL;
  g_autofree char *db = NULL;
  g_autofree char *key_path = NULL;
  g_autofree char *wal = NULL;
  g_autofree char *machine = tp_bench_machine ();
  g_autoptr(TpKeySource) key = NULL;
  g_autoptr(TpStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) batch = NULL;
  g_autoptr(TpPopulation) population = NULL;
  g_autoptr(GDate) today = g_date_new_dmy (1, 5, 2026);
  double t_start, t_gen = 0, t_apply = 0, t0, t_total, t_close, t_hash, c_apply = 0, c0;
  guint versions = 0, applied = 0;
  TpStateHash recorded, recomputed;
  pid_t pid;
  int status;

  if (argc == 3 && g_str_equal (argv[1], "--load"))
    {
      db = g_build_filename (argv[2], "store.db", NULL);
      key_path = g_build_filename (argv[2], "store.key", NULL);
      return load_in_child (db, key_path);
    }
  if (n == 0)
    {
      fprintf (stderr, "usage: bench-store [N] [DIR]\n");
      return 2;
    }
  if (keep)
    {
      dir = g_strdup (argv[2]);
      g_mkdir_with_parents (dir, 0700);
    }
  else
    dir = g_dir_make_tmp ("bench-store-XXXXXX", NULL);
  db = g_build_filename (dir, "store.db", NULL);
  key_path = g_build_filename (dir, "store.key", NULL);
  wal = g_strconcat (db, "-wal", NULL);
  g_unlink (db);
  g_unlink (wal);

  printf ("bench-store: %u listed people; %s; SQLite %s\n", n, machine, sqlite3_libversion ());
  key = tp_key_file_new (key_path);
  t_start = now_s ();
  store = tp_store_open (db, key, TP_STORE_OPEN_CREATE, &error);
  if (store == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }

  population = tp_population_new (20260501, n, today);
  batch = g_ptr_array_new_with_free_func ((GDestroyNotify) tp_entry_free);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GPtrArray) history = NULL;

      t0 = now_s ();
      history = tp_population_entry_history (population, i);
      for (guint v = 0; v < history->len; v++)
        g_ptr_array_add (batch, g_steal_pointer (&history->pdata[v]));
      t_gen += now_s () - t0;

      if (batch->len >= BATCH_SIZE || i + 1 == n)
        {
          TpStoreBatchResult result;

          t0 = now_s ();
          c0 = cpu_s ();
          if (!tp_store_apply_batch (store, batch, &result, &error))
            {
              fprintf (stderr, "%s\n", error->message);
              return 1;
            }
          t_apply += now_s () - t0;
          c_apply += cpu_s () - c0;
          versions += batch->len;
          applied += result.applied;
          tp_store_batch_result_clear (&result);
          g_ptr_array_set_size (batch, 0);
        }
    }
  t0 = now_s ();
  g_clear_object (&store);   /* checkpoints the WAL into the database */
  t_close = now_s () - t0;
  t_total = now_s () - t_start;

  printf ("generate (population, not store work):     %8.3f s\n", t_gen);
  printf ("import: %u versions of %u ids in %u batches\n", versions, n, (versions + BATCH_SIZE - 1) / BATCH_SIZE);
  printf ("  apply_batch total:                       %8.3f s  (CPU %.3f s; %.0f versions/s)\n",
          t_apply, c_apply, versions / t_apply);
  printf ("  close (final checkpoint):                %8.3f s\n", t_close);
  printf ("  import wall time incl. generation:       %8.3f s\n", t_total);
  printf ("store file:                                %8.1f MiB (WAL after close: %.1f MiB)\n",
          file_size (db) / 1048576.0, file_size (wal) / 1048576.0);
  printf ("importer process peak RSS:                 %8.1f MiB\n", peak_rss_kib () / 1024.0);
  fflush (stdout);

  pid = fork ();
  if (pid == 0)
    _exit (load_in_child (db, key_path));
  waitpid (pid, &status, 0);
  if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
    return 1;

  store = tp_store_open (db, key, TP_STORE_OPEN_NONE, &error);
  t0 = now_s ();
  if (store == NULL ||
      !tp_store_get_state_hash (store, &recorded, &error) ||
      !tp_store_compute_state_hash (store, &recomputed, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  t_hash = now_s () - t0;
  printf ("state hash recomputed from scratch:        %8.3f s  (%s incremental value)\n", t_hash,
          tp_state_hash_equal (&recorded, &recomputed) ? "equal to the" : "DIFFERENT FROM the");
  g_clear_object (&store);

  if (!keep)
    {
      g_unlink (db);
      g_unlink (wal);
      g_unlink (key_path);
      g_rmdir (dir);
    }
  return tp_state_hash_equal (&recorded, &recomputed) && applied == versions ? 0 : 1;
}
