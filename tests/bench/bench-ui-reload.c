/* bench-ui-reload.c: what a change from the feed costs the counter
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: bench-ui-reload STORE KEY_FILE [RELOADS]
 *
 * The counter (TpSyncLink) loads the matcher again after every segment
 * or snapshot the sync client applies, on a worker thread, while the
 * matcher in place keeps screening. With a store of a million entries
 * this measures, as the counter does it (tp_checkpoint_load_matcher_async
 * on a worker, the main loop free): the first load, each reload, and
 * resident memory after the first load and at its peak during the reloads
 * (both matchers are alive until the new one is in place).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench-util.h"
#include "tp-checkpoint.h"
#include "tp-key-source.h"

static long
self_status_kib (const char *field)
{
  g_autofree char *text = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &text, NULL, NULL) || (line = strstr (text, field)) == NULL)
    return -1;
  return strtol (line + strlen (field) + 1, NULL, 10);
}

static void
loaded_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  if (!tp_checkpoint_load_matcher_finish (TP_CHECKPOINT (object), result, &error))
    g_error ("Cannot load the list: %s", error->message);
  *done = TRUE;
}

/* One load as the counter runs it; milliseconds. */
static double
load (TpCheckpoint *checkpoint)
{
  gint64 start = g_get_monotonic_time ();
  gboolean done = FALSE;

  tp_checkpoint_load_matcher_async (checkpoint, NULL, loaded_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  return (g_get_monotonic_time () - start) / 1000.0;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(TpKeySource) key = NULL;
  g_autoptr(TpStore) store = NULL;
  g_autoptr(TpCheckpoint) checkpoint = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *machine = tp_bench_machine ();
  TpMatcherStats stats;
  int reloads;
  double first, total = 0, worst = 0;
  long rss_first;

  if (argc < 3)
    {
      g_printerr ("usage: bench-ui-reload STORE KEY_FILE [RELOADS]\n");
      return 2;
    }
  reloads = argc > 3 ? atoi (argv[3]) : 3;
  key = tp_key_file_new (argv[2]);
  store = tp_store_open (argv[1], key, TP_STORE_OPEN_NONE, &error);
  if (store == NULL)
    {
      g_printerr ("bench-ui-reload: %s\n", error->message);
      return 2;
    }
  checkpoint = tp_checkpoint_new ("HAN", "HAN-BENCH", "HAN-BENCH-01", store, key);

  printf ("the counter's list reload on %s, %d reloads\n%s\n", argv[1], reloads, machine);
  first = load (checkpoint);
  tp_matcher_get_stats (tp_checkpoint_get_matcher (checkpoint), &stats);
  rss_first = self_status_kib ("VmRSS:");
  printf ("first load: %.0f ms, %u entries, RSS %.0f MiB (peak so far %.0f MiB)\n", first, stats.n_entries,
          rss_first / 1024.0, self_status_kib ("VmHWM:") / 1024.0);
  for (int i = 0; i < reloads; i++)
    {
      double ms = load (checkpoint);

      total += ms;
      worst = MAX (worst, ms);
      printf ("  reload %d: %.0f ms, RSS %.0f MiB\n", i + 1, ms, self_status_kib ("VmRSS:") / 1024.0);
    }
  printf ("reload: mean %.0f ms, worst %.0f ms; resident after the first load %.0f MiB, peak during the "
          "reloads %.0f MiB (target <= 500 MB)\n", total / MAX (reloads, 1), worst, rss_first / 1024.0,
          self_status_kib ("VmHWM:") / 1024.0);
  return 0;
}
