/* test-sync-link.c: the counter's list, status and outbox follow a real hub
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A touchpoint-hub on loopback (the demo's embedded hub) holding the demo
 * list; a terminal store, its sync client, a checkpoint and the status
 * model linked by TpSyncLink: the list arrives through the signed feed and
 * the matcher is loaded from it; an entry ingested at the hub reaches the
 * matcher; an event recorded at the counter reaches the hub once; an
 * escalation comes back on the push channel.
 */
#include "config.h"

#include <string.h>

#include "tp-case.h"
#include "tp-demo-hub.h"
#include "tp-demo-scenario.h"
#include "tp-key-source.h"
#include "tp-sync-link.h"
#include "tp-ui-test.h"

#define LIVE_BAN \
  "{\"id\":\"EB-2026-TEST01\",\"version\":1,\"list\":\"exit_ban\",\"status\":\"active\"," \
  "\"agency\":\"customs\",\"action\":\"deny_exit\",\"visibility\":[\"immigration\",\"supervisor\"]," \
  "\"person\":{\"full_name\":\"Đỗ Thị Lan\",\"birth_date\":\"1990-02-03\",\"sex\":\"F\"," \
  "\"nationality\":\"VNM\",\"identifiers\":[{\"type\":\"national_id\",\"value\":\"001190077777\"," \
  "\"country\":\"VNM\"}]},\"basis\":{\"reference\":\"TEST-1/TCHQ\",\"issued_by\":\"Test\"," \
  "\"issued_at\":\"2026-12-01\",\"reason\":\"tax_debt\"},\"effective_from\":\"2026-12-01\"," \
  "\"effective_until\":null}\n"

typedef struct {
  TpCheckpoint *checkpoint;
  TpTerminal   *terminal;
  TpSyncLink   *link;
  TpCase       *lan;          /* the traveller the live ban names */
  JsonNode     *escalation;
} Fixture;

typedef gboolean (*Condition) (Fixture *f);

/* Runs the main context until @condition holds (60 s at most: a loaded
 * machine is slow, a broken link never gets there). */
static void
wait_for (Fixture    *f,
          Condition   condition,
          const char *what)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (!condition (f))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("timed out waiting for %s", what);
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (5 * 1000);
    }
}

static gboolean
list_in_place (Fixture *f)
{
  return tp_terminal_get_sync_state (f->terminal) == TP_TERMINAL_SYNC_ONLINE &&
         tp_terminal_get_list_seq (f->terminal) > 0 && !tp_terminal_get_list_loading (f->terminal) &&
         tp_checkpoint_get_matcher (f->checkpoint) != NULL &&
         tp_checkpoint_get_list_seq (f->checkpoint) == tp_terminal_get_list_seq (f->terminal);
}

static gboolean
ban_in_matcher (Fixture *f)
{
  return tp_case_get_verdict (f->lan) == TP_VERDICT_STOP &&
         tp_terminal_get_list_seq (f->terminal) == tp_checkpoint_get_list_seq (f->checkpoint);
}

static gboolean
outbox_empty (Fixture *f)
{
  return tp_terminal_get_outbox (f->terminal) == 0;
}

static gboolean
escalation_pushed (Fixture *f)
{
  return f->escalation != NULL;
}

static void
escalation_cb (TpSyncLink *link,
               JsonNode   *event,
               Fixture    *f)
{
  g_clear_pointer (&f->escalation, json_node_unref);
  f->escalation = json_node_ref (event);
}

static guint
count_lines (const char *text,
             const char *needle)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  guint n = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    if (strstr (lines[i], needle) != NULL)
      n++;
  return n;
}

static void
test_follow (void)
{
  g_autofree char *dir = tp_ui_test_make_dir ();
  g_autofree char *hub_dir = g_build_filename (dir, "hub", NULL);
  g_autofree char *db = g_build_filename (dir, "terminal.db", NULL);
  g_autofree char *key_path = g_build_filename (dir, "terminal.key", NULL);
  g_autoptr(TpDemoHub) hub = tp_demo_hub_new (g_getenv ("TOUCHPOINT_HUB"), hub_dir);
  g_autoptr(TpKeySource) key = tp_key_file_new (key_path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) list = NULL;
  g_autoptr(TpStore) store = NULL;
  g_autoptr(TpEnrollment) enrollment = NULL;
  g_autoptr(TpSyncClient) client = NULL;
  g_autoptr(TpCase) kase = NULL;
  g_autofree char *escalation_id = NULL;
  g_autofree char *events = NULL;
  g_autofree char *mrz = NULL;
  guint loads_before;
  Fixture f = { NULL, };

  g_assert_true (tp_demo_hub_start (hub, "HAN", "HAN-TEST", "HAN-TEST-01", &error));
  g_assert_no_error (error);
  list = g_resources_lookup_data ("/org/touchpoint/Touchpoint/demo/list.jsonl", 0, &error);
  g_assert_no_error (error);
  g_assert_true (tp_demo_hub_ingest_list (hub, g_bytes_get_data (list, NULL), &error));
  g_assert_no_error (error);

  store = tp_store_open (db, key, TP_STORE_OPEN_CREATE, &error);
  g_assert_no_error (error);
  enrollment = tp_enrollment_load (tp_demo_hub_get_enrollment (hub), &error);
  g_assert_no_error (error);
  client = tp_sync_client_new (db, key, enrollment, &error);
  g_assert_no_error (error);
  f.checkpoint = tp_checkpoint_new ("HAN", "HAN-TEST", "HAN-TEST-01", store, key);
  f.terminal = tp_terminal_new ();
  f.link = tp_sync_link_new (f.checkpoint, client, f.terminal);
  g_signal_connect (f.link, "escalation", G_CALLBACK (escalation_cb), &f);

  /* the demo list through the signed feed, then into the matcher */
  wait_for (&f, list_in_place, "the list from the hub");
  g_assert_cmpuint (tp_terminal_get_list_entries (f.terminal), >, 0);
  g_assert_false (tp_terminal_get_list_stale (f.terminal));
  g_assert_cmpint (tp_terminal_get_list_current_at (f.terminal), >, 0);
  g_assert_cmpint (tp_terminal_get_outbox (f.terminal), ==, 0);
  loads_before = tp_sync_link_get_loads (f.link);
  g_assert_cmpuint (loads_before, >=, 1);

  /* Đỗ Thị Lan is on no list... */
  mrz = tp_demo_scenario_mrz (tp_demo_scenario_lookup ("clear"), &error);
  g_assert_no_error (error);
  f.lan = tp_case_new (f.checkpoint, "IMM-01", TP_ROLE_IMMIGRATION);
  g_assert_true (tp_case_set_printed_mrz (f.lan, mrz, &error));
  g_assert_no_error (error);
  g_assert_cmpint (tp_case_get_verdict (f.lan), ==, TP_VERDICT_CLEAR);
  /* ...until customs issues a ban at the hub: pushed, applied, the
   * matcher loaded again, her open case screened again */
  g_assert_true (tp_demo_hub_ingest (hub, "customs", LIVE_BAN, &error));
  g_assert_no_error (error);
  wait_for (&f, ban_in_matcher, "the new entry in the matcher");
  g_assert_cmpuint (tp_sync_link_get_loads (f.link), >, loads_before);

  /* the counter's events reach the hub, once each; the escalation comes
   * back on the push channel (the terminal is a supervisor's) */
  kase = tp_case_new (f.checkpoint, "IMM-01", TP_ROLE_IMMIGRATION);
  g_assert_true (tp_case_add_note (kase, "Travelling with a child", &error));
  g_assert_no_error (error);
  escalation_id = tp_case_escalate (kase, "Please look at this one", &error);
  g_assert_no_error (error);
  g_assert_nonnull (escalation_id);
  wait_for (&f, escalation_pushed, "the escalation on the push channel");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (f.escalation), "id"), ==, escalation_id);
  wait_for (&f, outbox_empty, "the outbox sent");
  events = tp_demo_hub_events (hub, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count_lines (events, "Travelling with a child"), ==, 1);
  g_assert_cmpuint (count_lines (events, escalation_id), ==, 1);

  tp_sync_link_stop (f.link);
  g_clear_object (&f.link);
  g_clear_pointer (&f.escalation, json_node_unref);
  g_clear_object (&f.lan);
  g_clear_object (&f.checkpoint);
  g_clear_object (&f.terminal);
  g_clear_object (&client);
  tp_demo_hub_stop (hub);
  tp_ui_test_remove_tree (dir);
}

static void
test_not_enrolled (void)
{
  g_autofree char *dir = tp_ui_test_make_dir ();
  g_autofree char *db = g_build_filename (dir, "terminal.db", NULL);
  g_autofree char *key_path = g_build_filename (dir, "terminal.key", NULL);
  g_autoptr(TpKeySource) key = tp_key_file_new (key_path);
  g_autoptr(GError) error = NULL;
  g_autoptr(TpStore) store = tp_store_open (db, key, TP_STORE_OPEN_CREATE, &error);
  Fixture f = { NULL, };

  g_assert_no_error (error);
  f.checkpoint = tp_checkpoint_new ("HAN", "HAN-TEST", "HAN-TEST-01", store, key);
  f.terminal = tp_terminal_new ();
  f.link = tp_sync_link_new (f.checkpoint, NULL, f.terminal);
  g_assert_true (tp_terminal_get_list_loading (f.terminal));
  while (tp_checkpoint_get_matcher (f.checkpoint) == NULL)
    g_main_context_iteration (NULL, TRUE);
  while (tp_terminal_get_list_loading (f.terminal))
    g_main_context_iteration (NULL, TRUE);
  /* a local list, no outbox */
  g_assert_cmpint (tp_terminal_get_sync_state (f.terminal), ==, TP_TERMINAL_SYNC_DISABLED);
  g_assert_cmpint (tp_terminal_get_outbox (f.terminal), ==, -1);
  g_assert_cmpint (tp_terminal_get_list_seq (f.terminal), ==, 0);
  g_assert_cmpuint (tp_sync_link_get_loads (f.link), ==, 1);
  g_clear_object (&f.link);
  g_clear_object (&f.checkpoint);
  g_clear_object (&f.terminal);
  tp_ui_test_remove_tree (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sync-link/follow", test_follow);
  g_test_add_func ("/sync-link/not-enrolled", test_not_enrolled);

  return g_test_run ();
}
