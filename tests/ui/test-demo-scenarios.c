/* test-demo-scenarios.c: every demo traveller gives the verdict the demo promises
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each scenario's software chip read through the real reader, its
 * boarding pass scanned, screened against the demo list.
 */
#include "config.h"

#include "tp-check-row.h"
#include "tp-demo-scenario.h"
#include "tp-ui-case.h"
#include "tp-ui-test.h"

static void
test_scenario (gconstpointer data)
{
  const TpDemoScenario *scenario = data;
  TpUiCase *c = tp_ui_case_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *pass = tp_demo_scenario_boarding_pass (scenario, "HAN", &error);
  const TpBoardingCheck *check;
  TpCase *kase;

  g_assert_no_error (error);
  tp_counter_set_officer (c->counter, "IMM-01", TP_ROLE_IMMIGRATION);
  kase = tp_ui_case_present (c, scenario->chip);
  g_assert_true (tp_counter_present_boarding_pass (c->counter, pass, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (tp_verdict_to_string (tp_case_get_verdict (kase)), ==, scenario->verdict);

  /* what each scenario is about shows in the case */
  check = tp_case_get_boarding_check (kase);
  g_assert_nonnull (check);
  g_assert_cmpint (check->flight_date, ==, scenario->pass_day == 0 ? TP_BOARDING_OK : TP_BOARDING_FAILED);
  g_assert_cmpint (check->name, ==, TP_BOARDING_OK);
  g_assert_cmpint (tp_case_get_document_verified (kase), ==,
                   !g_str_equal (scenario->id, "cloned-chip") && !g_str_equal (scenario->id, "tampered-chip"));
  g_assert_cmpint (tp_case_get_identity (kase)->expired, ==, g_str_equal (scenario->id, "expired-passport"));
  tp_ui_case_free (c);
}

int
main (int    argc,
      char **argv)
{
  const TpDemoScenario *scenarios;
  guint n;

  tp_ui_test_init (&argc, &argv);
  scenarios = tp_demo_scenarios (&n);
  g_assert_cmpuint (n, ==, 9);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *path = g_strdup_printf ("/demo-scenarios/%s", scenarios[i].id);

      g_test_add_data_func (path, &scenarios[i], test_scenario);
    }
  return g_test_run ();
}
