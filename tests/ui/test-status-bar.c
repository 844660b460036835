/* test-status-bar.c: reader, scanner, list, sync and outbox in words
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tp-status-bar.h"
#include "tp-ui-test.h"

static void
test_states (void)
{
  g_autoptr(TpTerminal) terminal = tp_terminal_new ();
  GtkWidget *bar = tp_status_bar_new ();
  GtkWindow *window;
  g_autofree char *shot1 = NULL;
  g_autofree char *shot2 = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  tp_status_bar_set_terminal (TP_STATUS_BAR (bar), terminal);
  window = tp_ui_test_window_new (bar, 1280, 40);

  /* nothing configured */
  g_assert_cmpstr (tp_status_bar_get_text (TP_STATUS_BAR (bar), "reader"), ==, "Reader: none connected");
  g_assert_cmpstr (tp_status_bar_get_level (TP_STATUS_BAR (bar), "reader"), ==, "warning");
  g_assert_cmpstr (tp_status_bar_get_text (TP_STATUS_BAR (bar), "sync"), ==, "Sync: not enrolled");
  g_assert_cmpstr (tp_status_bar_get_text (TP_STATUS_BAR (bar), "outbox"), ==, "Outbox: none");

  tp_terminal_set_list_loading (terminal, TRUE);
  g_assert_cmpstr (tp_status_bar_get_text (TP_STATUS_BAR (bar), "list"), ==, "List: loading…");

  /* a working terminal */
  tp_terminal_set_reader (terminal, "ACS ACR1252", TP_DEVICE_READY, NULL);
  tp_terminal_set_list_loading (terminal, FALSE);
  tp_terminal_set_list (terminal, 1042, 61492, now - 180, FALSE);
  tp_terminal_set_sync (terminal, TP_TERMINAL_SYNC_ONLINE, NULL);
  tp_terminal_set_outbox (terminal, 0);
  g_assert_cmpstr (tp_status_bar_get_text (TP_STATUS_BAR (bar), "reader"), ==, "Reader: ACS ACR1252, ready");
  g_assert_cmpstr (tp_status_bar_get_text (TP_STATUS_BAR (bar), "list"), ==, "List: seq 1042, current 3 min ago");
  g_assert_cmpstr (tp_status_bar_get_level (TP_STATUS_BAR (bar), "list"), ==, "ok");
  g_assert_cmpstr (tp_status_bar_get_text (TP_STATUS_BAR (bar), "sync"), ==, "Sync: online");
  g_assert_cmpstr (tp_status_bar_get_text (TP_STATUS_BAR (bar), "outbox"), ==, "Outbox: 0 events waiting");
  /* events on their way to a hub that answers: no warning */
  tp_terminal_set_outbox (terminal, 3);
  g_assert_cmpstr (tp_status_bar_get_text (TP_STATUS_BAR (bar), "outbox"), ==, "Outbox: 3 events waiting");
  g_assert_cmpstr (tp_status_bar_get_level (TP_STATUS_BAR (bar), "outbox"), ==, "neutral");
  tp_terminal_set_outbox (terminal, 0);
  shot1 = tp_ui_test_screenshot (bar, "status-bar-online");

  /* offline with a stale list and a backlog: words, not only colours */
  tp_terminal_set_list (terminal, 1042, 61492, now - 3 * 3600, TRUE);
  tp_terminal_set_sync (terminal, TP_TERMINAL_SYNC_OFFLINE, NULL);
  tp_terminal_set_outbox (terminal, 7);
  g_assert_cmpstr (tp_status_bar_get_text (TP_STATUS_BAR (bar), "list"), ==,
                   "List: STALE, seq 1042, confirmed 3 hours ago; a CLEAR needs review");
  g_assert_cmpstr (tp_status_bar_get_level (TP_STATUS_BAR (bar), "list"), ==, "warning");
  g_assert_cmpstr (tp_status_bar_get_text (TP_STATUS_BAR (bar), "sync"), ==,
                   "Sync: OFFLINE, working on the local list");
  g_assert_cmpstr (tp_status_bar_get_text (TP_STATUS_BAR (bar), "outbox"), ==, "Outbox: 7 events waiting");
  g_assert_cmpstr (tp_status_bar_get_level (TP_STATUS_BAR (bar), "outbox"), ==, "warning");

  tp_terminal_set_sync (terminal, TP_TERMINAL_SYNC_FAILED, "bad signature on the head");
  g_assert_cmpstr (tp_status_bar_get_text (TP_STATUS_BAR (bar), "sync"), ==,
                   "Sync: FEED REFUSED: bad signature on the head");
  g_assert_cmpstr (tp_status_bar_get_level (TP_STATUS_BAR (bar), "sync"), ==, "error");
  tp_terminal_set_reader (terminal, "ACS ACR1252", TP_DEVICE_FAILED, "no card reader answered");
  g_assert_cmpstr (tp_status_bar_get_level (TP_STATUS_BAR (bar), "reader"), ==, "error");
  shot2 = tp_ui_test_screenshot (bar, "status-bar-offline");
  gtk_window_destroy (window);
}

static void
test_age (void)
{
  static const struct { gint64 s; const char *text; } ages[] = {
    { 0, "just now" }, { 59, "just now" }, { 60, "1 min ago" }, { 3599, "59 min ago" },
    { 3600, "1 hour ago" }, { 2 * 86400 - 1, "47 hours ago" }, { 2 * 86400, "2 days ago" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (ages); i++)
    {
      g_autofree char *text = tp_status_bar_format_age (ages[i].s);

      g_assert_cmpstr (text, ==, ages[i].text);
    }
}

int
main (int    argc,
      char **argv)
{
  tp_ui_test_init (&argc, &argv);

  g_test_add_func ("/status-bar/states", test_states);
  g_test_add_func ("/status-bar/age", test_age);

  return g_test_run ();
}
