/* bench-ui-counter.c: from the devices to the screen, in the counter window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   bench-ui-counter [RUNS] [STORE KEY]   (needs a display and a session bus:
 *                                          dbus-run-session xvfb-run ...)
 *
 * The real window (TpWindow, its case page, its keyboard-wedge detector),
 * an officer signed in, the demo list in a new store (or the store given,
 * e.g. the 1 000 000-entry one bench-store makes), the software chip on
 * the reader:
 *  - chip on the reader to verdict: with the passport on a reader that
 *    is watching, from its MRZ given (as a full-page reader's OCR does)
 *    to the case page drawing the verdict on the chip's identity: the
 *    chip read (PACE, secure messaging, passive, chip and active
 *    authentication, on the reader's worker) and screened;
 *  - barcode burst to journey panel: a boarding pass typed as a
 *    keyboard-wedge scanner does (keys 5 ms apart, an Enter at the end),
 *    from the Enter to the journey drawn on the case page.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>

#include "bench-util.h"
#include "tp-accounts.h"
#include "tp-entry.h"
#include "tp-key-source.h"
#include "tp-sim-chip.h"
#include "tp-sim-transport.h"
#include "tp-window.h"

static int
compare_double (const void *a,
                const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static void
report (const char *what,
        double     *ms,
        int         n,
        double      target)
{
  qsort (ms, n, sizeof *ms, compare_double);
  printf ("%s: median %.1f ms, p90 %.1f ms, min %.1f ms, max %.1f ms over %d runs (target <= %.0f ms)\n",
          what, ms[n / 2], ms[(n * 9) / 10 < n ? (n * 9) / 10 : n - 1], ms[0], ms[n - 1], n, target);
}

static void
iterate_until (gboolean (*done) (gpointer),
               gpointer  data,
               const char *what)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (!done (data) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  if (!done (data))
    {
      g_printerr ("bench-ui-counter: timed out waiting for %s\n", what);
      exit (1);
    }
}

typedef struct {
  TpWindow  *window;
  TpCounter *counter;
  gint64     since;
  gint64     document_at;   /* when the case got the chip's document */
} State;

static void
document_cb (TpCase     *kase,
             GParamSpec *pspec,
             State      *s)
{
  if (tp_case_get_document (kase) != NULL && s->document_at == 0)
    s->document_at = g_get_monotonic_time ();
}

static gboolean
chip_shown (gpointer data)
{
  State *s = data;
  TpCase *kase = tp_counter_get_case (s->counter);
  TpCasePage *page = tp_window_get_case_page (s->window);

  /* the page drawn after the document came */
  return kase != NULL && s->document_at > 0 && tp_case_get_screened (kase) &&
         tp_case_page_get_updated (page) >= s->document_at &&
         tp_verdict_banner_get_verdict (tp_case_page_get_banner (page)) != TP_VERDICT_NONE;
}

static gboolean
journey_shown (gpointer data)
{
  State *s = data;

  return tp_case_page_get_journey_shown (tp_window_get_case_page (s->window)) > s->since;
}

static TpStore *
demo_store (const char  *dir,
            GError     **error)
{
  g_autofree char *db = g_build_filename (dir, "terminal.db", NULL);
  g_autofree char *key_path = g_build_filename (dir, "terminal.key", NULL);
  g_autoptr(TpKeySource) key = tp_key_file_new (key_path);
  g_autoptr(GBytes) list = g_resources_lookup_data ("/org/touchpoint/Touchpoint/demo/list.jsonl", 0, error);
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) tp_entry_free);
  g_auto(GStrv) lines = NULL;
  TpStoreBatchResult result = { 0, };
  TpStore *store;

  if (list == NULL)
    return NULL;
  lines = g_strsplit (g_bytes_get_data (list, NULL), "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (lines[i][0] != '\0')
      g_ptr_array_add (entries, tp_entry_from_json (lines[i], -1, NULL));
  store = tp_store_open (db, key, TP_STORE_OPEN_CREATE, error);
  if (store != NULL && !tp_store_apply_batch (store, entries, &result, error))
    g_clear_object (&store);
  tp_store_batch_result_clear (&result);
  return store;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *machine = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *trust_dir = NULL;
  g_autofree char *key_path = NULL;
  g_autoptr(TpStore) store = NULL;
  g_autoptr(TpKeySource) key = NULL;
  g_autoptr(TpAccounts) accounts = NULL;
  g_autoptr(TpCheckpoint) checkpoint = NULL;
  g_autoptr(TpCounter) counter = NULL;
  g_autoptr(TpTerminal) terminal = NULL;
  g_autoptr(TpSession) session = NULL;
  g_autoptr(TpReader) reader = NULL;
  g_autoptr(TpTrustStore) trust = NULL;
  g_autoptr(GtkApplication) app = NULL;
  g_autoptr(TpSimChip) chip = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *pass = NULL;
  int runs = argc > 1 ? atoi (argv[1]) : 20;
  double chip_ms[200], read_ms[200], burst_ms[200];
  g_autoptr(TpTransport) transport = NULL;
  TpOfficer officer = { .id = (char *) "IMM-01", .role = TP_ROLE_IMMIGRATION };
  State s = { 0, };
  gint64 t;

  if (runs < 1 || runs > 200)
    {
      g_printerr ("usage: bench-ui-counter [RUNS (1-200)] [STORE KEY]\n");
      return 2;
    }
  gtk_init ();
  adw_init ();
  machine = tp_bench_machine ();
  tp_sim_transport_register ();
  dir = g_dir_make_tmp ("tp-bench-ui-XXXXXX", &error);
  g_assert_no_error (error);
  if (argc > 3)
    {
      key = tp_key_file_new (argv[3]);
      store = tp_store_open (argv[2], key, TP_STORE_OPEN_NONE, &error);
    }
  else
    {
      key_path = g_build_filename (dir, "terminal.key", NULL);
      key = tp_key_file_new (key_path);
      store = demo_store (dir, &error);
    }
  if (store == NULL)
    {
      g_printerr ("bench-ui-counter: %s\n", error->message);
      return 1;
    }
  accounts = tp_accounts_new (store, &error);
  g_assert_no_error (error);
  checkpoint = tp_checkpoint_new ("HAN", "HAN-BENCH", "HAN-BENCH-01", store, key);
  t = g_get_monotonic_time ();
  if (!tp_checkpoint_load_matcher (checkpoint, &error))
    {
      g_printerr ("bench-ui-counter: %s\n", error->message);
      return 1;
    }
  printf ("counter window, %s list loaded in %.0f ms, %d runs\n%s\n", argc > 3 ? argv[2] : "demo",
          (g_get_monotonic_time () - t) / 1000.0, runs, machine);

  trust_dir = g_build_filename (dir, "trust", NULL);
  g_mkdir (trust_dir, 0700);
  trust = tp_trust_store_new (TP_TRUST_STORE_FLAGS_NONE);
  if (!tp_sim_chip_export_trust (trust_dir, &error) || !tp_trust_store_add_path (trust, trust_dir, &error))
    {
      g_printerr ("bench-ui-counter: %s\n", error->message);
      return 1;
    }
  counter = tp_counter_new (checkpoint);
  terminal = tp_terminal_new ();
  tp_terminal_set_store (terminal, store, accounts);
  session = tp_session_new ();
  app = GTK_APPLICATION (adw_application_new ("org.touchpoint.Touchpoint.Bench", G_APPLICATION_NON_UNIQUE));
  if (!g_application_register (G_APPLICATION (app), NULL, &error))
    {
      g_printerr ("bench-ui-counter: %s (run it in dbus-run-session)\n", error->message);
      return 1;
    }
  s.window = tp_window_new (app, terminal, session);
  s.counter = counter;
  tp_window_set_place (s.window, "HAN", "HAN-BENCH-01");
  tp_window_set_counter (s.window, counter);
  gtk_window_present (GTK_WINDOW (s.window));
  tp_session_sign_in (session, &officer);
  tp_session_set_idle_timeout (session, 0);

  chip = tp_sim_chip_new ("full", &error);
  g_assert_no_error (error);
  now = g_date_time_new_now_local ();
  pass = g_strdup_printf ("M1NGUYEN/VAN AN       EBENCH0 HANNRTVN 0310 %03dY012A0042 100\n",
                          g_date_time_get_day_of_year (now));

  for (int i = 0; i < runs; i++)
    {
      TpWedge *wedge = tp_window_get_wedge (s.window);
      guint32 time = 1000000u * (guint32) (i + 1);

      /* chip on the reader to verdict: the passport goes onto a reader that
       * is watching (as at a counter), the document reader's OCR gives its
       * MRZ, the chip is read on the reader's worker */
      tp_counter_next_traveller (counter);
      if (reader == NULL)
        {
          transport = tp_sim_transport_new ("full", &error);
          g_assert_no_error (error);
          reader = tp_reader_new_for_transport (transport);
          tp_counter_set_reader (counter, reader, trust);
        }
      tp_sim_transport_set_card_present (TP_SIM_TRANSPORT (transport), TRUE);
      /* the worker sees the card before the OCR has read the page */
      for (gint64 until = g_get_monotonic_time () + 300 * 1000; g_get_monotonic_time () < until;)
        g_main_context_iteration (NULL, FALSE);
      s.document_at = 0;
      s.since = g_get_monotonic_time ();
      if (!tp_counter_present_mrz (counter, tp_sim_chip_get_mrz (chip), &error))
        {
          g_printerr ("bench-ui-counter: %s\n", error->message);
          return 1;
        }
      g_signal_connect (tp_counter_get_case (counter), "notify::document", G_CALLBACK (document_cb), &s);
      iterate_until (chip_shown, &s, "the chip's verdict");
      chip_ms[i] = (tp_case_page_get_updated (tp_window_get_case_page (s.window)) - s.since) / 1000.0;
      read_ms[i] = tp_case_get_document (tp_counter_get_case (counter))->elapsed_us / 1000.0;
      /* the passport leaves the reader */
      tp_sim_transport_set_card_present (TP_SIM_TRANSPORT (transport), FALSE);

      /* the scanner's burst: every key but the Enter, then the Enter */
      for (const char *p = pass; p[1] != '\0'; p++, time += 5)
        tp_wedge_key_pressed (wedge, gdk_unicode_to_keyval ((guchar) *p), 0, time);
      s.since = g_get_monotonic_time ();
      tp_wedge_key_pressed (wedge, GDK_KEY_Return, 0, time);
      iterate_until (journey_shown, &s, "the journey");
      burst_ms[i] = (tp_case_page_get_journey_shown (tp_window_get_case_page (s.window)) - s.since) / 1000.0;
    }
  report ("chip on the reader to verdict on screen (software chip, full profile)", chip_ms, runs, 300);
  report ("  of which the read and verification on the reader's worker", read_ms, runs, 300);
  report ("boarding pass burst (Enter) to journey panel", burst_ms, runs, 50);

  gtk_window_destroy (GTK_WINDOW (s.window));
  tp_counter_set_reader (counter, NULL, NULL);
  {
    g_autoptr(GDir) d = g_dir_open (trust_dir, 0, NULL);
    const char *name;

    while (d != NULL && (name = g_dir_read_name (d)) != NULL)
      {
        g_autofree char *path = g_build_filename (trust_dir, name, NULL);

        g_unlink (path);
      }
    g_rmdir (trust_dir);
    if (argc <= 3)
      {
        g_autofree char *db = g_build_filename (dir, "terminal.db", NULL);
        g_autofree char *wal = g_strconcat (db, "-wal", NULL);
        g_autofree char *shm = g_strconcat (db, "-shm", NULL);

        g_clear_object (&accounts);
        g_clear_object (&checkpoint);
        g_clear_object (&counter);
        g_clear_object (&terminal);
        g_clear_object (&store);
        g_unlink (db);
        g_unlink (wal);
        g_unlink (shm);
        g_unlink (key_path);
      }
    g_rmdir (dir);
  }
  return 0;
}
