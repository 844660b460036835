/* test-demo-hub.c: demo mode's embedded hub, a real touchpoint-hub on loopback
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "tp-demo-hub.h"
#include "tp-ui-test.h"

static void
test_start_and_ingest (void)
{
  g_autofree char *dir = tp_ui_test_make_dir ();
  g_autofree char *hub_dir = g_build_filename (dir, "demo", NULL);
  g_autoptr(TpDemoHub) hub = tp_demo_hub_new (g_getenv ("TOUCHPOINT_HUB"), hub_dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) list = NULL;
  g_autofree char *events = NULL;
  g_autofree char *cert = NULL;
  const char *live = "{\"id\":\"EB-2026-DEMO01\",\"version\":1,\"list\":\"exit_ban\",\"status\":\"active\","
                     "\"agency\":\"customs\",\"action\":\"deny_exit\",\"visibility\":[\"immigration\",\"supervisor\"],"
                     "\"person\":{\"full_name\":\"Đỗ Thị Lan\",\"birth_date\":\"1990-02-03\",\"sex\":\"F\","
                     "\"nationality\":\"VNM\",\"identifiers\":[{\"type\":\"national_id\",\"value\":\"001190077777\","
                     "\"country\":\"VNM\"}]},\"basis\":{\"reference\":\"DEMO-1/TB-HQ\",\"issued_by\":\"Demo\","
                     "\"issued_at\":\"2026-12-01\",\"reason\":\"tax_debt\"},\"effective_from\":\"2026-12-01\","
                     "\"effective_until\":null}\n";

  g_assert_true (tp_demo_hub_start (hub, "HAN", "HAN-DEMO", "HAN-DEMO-01", &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (tp_demo_hub_get_url (hub), "https://127.0.0.1:"));
  cert = g_build_filename (tp_demo_hub_get_enrollment (hub), "cert.pem", NULL);
  g_assert_true (g_file_test (cert, G_FILE_TEST_IS_REGULAR));

  /* the demo list, each entry as the agency that owns it, over mutual TLS */
  list = g_resources_lookup_data ("/org/touchpoint/Touchpoint/demo/list.jsonl", 0, &error);
  g_assert_no_error (error);
  g_assert_true (tp_demo_hub_ingest_list (hub, g_bytes_get_data (list, NULL), &error));
  g_assert_no_error (error);
  /* resent: duplicates, accepted as such */
  g_assert_true (tp_demo_hub_ingest_list (hub, g_bytes_get_data (list, NULL), &error));
  g_assert_no_error (error);
  g_assert_true (tp_demo_hub_ingest (hub, "customs", live, &error));
  g_assert_no_error (error);
  /* an agency may write only its own entries */
  g_assert_false (tp_demo_hub_ingest (hub, "tax", live, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  events = tp_demo_hub_events (hub, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (events, ==, "");
  tp_demo_hub_stop (hub);
  tp_ui_test_remove_tree (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/demo-hub/start-and-ingest", test_start_and_ingest);

  return g_test_run ();
}
