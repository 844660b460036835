/* bench-ui-startup.c: the counter application starting on a big list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   bench-ui-startup STORE KEY [RUNS]      (needs a display: xvfb-run)
 *
 * Starts the real touchpoint executable on a terminal store (for the
 * figures, the 1 000 000-entry store bench-store makes) RUNS times (default
 * 5) and prints, from the spawn: the window drawn, the store open, the
 * window usable (both: the sign-in page can check a PIN), the list loaded
 * into the matcher (on a worker thread: the window stays usable), and the
 * resident memory (VmRSS, VmHWM) once the list is in place. The
 * application reports its milestones with TOUCHPOINT_TIMING=1.
 */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "bench-util.h"

typedef struct {
  double drawn, open, usable, loaded;
  long   rss_kib, hwm_kib;
} Run;

static long
proc_status_kib (GPid        pid,
                 const char *field)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/status", (int) pid);
  g_autofree char *text = NULL;
  const char *line;

  if (!g_file_get_contents (path, &text, NULL, NULL) || (line = strstr (text, field)) == NULL)
    return -1;
  return strtol (line + strlen (field) + 1, NULL, 10);
}

static gboolean
run_once (const char *store,
          const char *key,
          Run        *r)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GDataInputStream) err = NULL;
  g_autofree char *config = g_dir_make_tmp ("tp-bench-ui-XXXXXX", NULL);
  gint64 start;
  char *line;

  g_subprocess_launcher_setenv (launcher, "TOUCHPOINT_TIMING", "1", TRUE);
  g_subprocess_launcher_setenv (launcher, "GSETTINGS_BACKEND", "memory", TRUE);
  g_subprocess_launcher_setenv (launcher, "GSETTINGS_SCHEMA_DIR", TP_BUILD_ROOT "/data", TRUE);
  g_subprocess_launcher_setenv (launcher, "TOUCHPOINT_LOCALEDIR", TP_BUILD_ROOT "/po", TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", config, TRUE);
  memset (r, 0, sizeof *r);
  start = g_get_monotonic_time ();
  child = g_subprocess_launcher_spawn (launcher, &error, TP_BUILD_ROOT "/ui/touchpoint",
                                       "--store", store, "--key-file", key, NULL);
  if (child == NULL)
    {
      g_printerr ("bench-ui-startup: %s\n", error->message);
      return FALSE;
    }
  err = g_data_input_stream_new (g_subprocess_get_stderr_pipe (child));
  while ((line = g_data_input_stream_read_line (err, NULL, NULL, NULL)) != NULL)
    {
      double now = (g_get_monotonic_time () - start) / 1000.0;

      if (g_str_has_prefix (line, "timing: window-drawn"))
        r->drawn = now;
      else if (g_str_has_prefix (line, "timing: store-open"))
        r->open = now;
      else if (g_str_has_prefix (line, "timing: usable"))
        r->usable = now;
      else if (g_str_has_prefix (line, "timing: list-loaded"))
        {
          r->loaded = now;
          /* the list in place: what the terminal holds for the day */
          g_usleep (500 * 1000);
          r->rss_kib = proc_status_kib (atoi (g_subprocess_get_identifier (child)), "VmRSS:");
          r->hwm_kib = proc_status_kib (atoi (g_subprocess_get_identifier (child)), "VmHWM:");
          g_free (line);
          break;
        }
      else if (!g_str_has_prefix (line, "timing:"))
        g_printerr ("  (app) %s\n", line);
      g_free (line);
    }
  g_subprocess_send_signal (child, SIGTERM);
  g_subprocess_wait (child, NULL, NULL);
  g_rmdir (config);
  return r->loaded > 0;
}

static int
compare_double (const void *a,
                const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
median (double *v,
        int     n)
{
  qsort (v, n, sizeof *v, compare_double);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *machine = tp_bench_machine ();
  int runs = argc > 3 ? atoi (argv[3]) : 5;
  Run *r;
  double drawn[64], open[64], usable[64], loaded[64];
  long rss = 0, hwm = 0;
  int n = 0;

  if (argc < 3 || runs < 1 || runs > 64)
    {
      g_printerr ("usage: bench-ui-startup STORE KEY [RUNS (1-64)]\n");
      return 2;
    }
  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_printerr ("bench-ui-startup: no display (run it under xvfb-run)\n");
      return 2;
    }
  r = g_new0 (Run, runs);
  printf ("counter application start-up on %s, %d runs\n%s\n", argv[1], runs, machine);
  for (int i = 0; i < runs; i++)
    {
      if (!run_once (argv[1], argv[2], &r[i]))
        return 1;
      printf ("  run %d: drawn %.0f ms, store open %.0f ms, usable %.0f ms, list loaded %.0f ms, "
              "RSS %.0f MiB (peak %.0f MiB)\n", i + 1, r[i].drawn, r[i].open, r[i].usable, r[i].loaded,
              r[i].rss_kib / 1024.0, r[i].hwm_kib / 1024.0);
      drawn[n] = r[i].drawn;
      open[n] = r[i].open;
      usable[n] = r[i].usable;
      loaded[n] = r[i].loaded;
      rss = MAX (rss, r[i].rss_kib);
      hwm = MAX (hwm, r[i].hwm_kib);
      n++;
    }
  printf ("median: window drawn %.0f ms, store open %.0f ms, usable %.0f ms (target <= 1000), "
          "list loaded %.0f ms\n", median (drawn, n), median (open, n), median (usable, n), median (loaded, n));
  printf ("resident with the list loaded: %.0f MiB, peak %.0f MiB (target <= 500 MB)\n", rss / 1024.0, hwm / 1024.0);
  g_free (r);
  return 0;
}
