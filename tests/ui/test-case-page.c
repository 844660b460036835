/* test-case-page.c: the case screen's sections, decisions by role, the journey
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "tp-case-page.h"
#include "tp-check-row.h"
#include "tp-ui-test.h"

static void
test_roles (void)
{
  static const struct {
    TpRoles     role;
    const char *buttons[5];
    const char *shot;
  } roles[] = {
    { TP_ROLE_IMMIGRATION, { "Allow exit", "Deny exit", "Refer to customs", "Escalate", NULL }, "case-immigration" },
    { TP_ROLE_CUSTOMS, { "Select for screening", "Record findings", "Refer to immigration", "Escalate", NULL },
      "case-customs" },
    { TP_ROLE_SUPERVISOR, { "Resolve", "Override", "Clear false positive", NULL }, "case-supervisor" },
  };
  static const char *all[] = { "Allow exit", "Deny exit", "Refer to customs", "Escalate", "Select for screening",
                               "Record findings", "Refer to immigration", "Resolve", "Override",
                               "Clear false positive" };
  GtkWidget *page = tp_case_page_new ();
  GtkWindow *window = tp_ui_test_window_new (page, 1280, 760);

  /* before a traveller: no verdict, nothing to decide on */
  gtk_test_accessible_assert_property (tp_case_page_get_banner (TP_CASE_PAGE (page)),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "Verdict: none");
  g_assert_nonnull (tp_ui_test_find_labelled (page, GTK_TYPE_LABEL, "Sign in to take decisions"));

  for (guint r = 0; r < G_N_ELEMENTS (roles); r++)
    {
      g_autofree char *shot = NULL;
      const char *ids[9];
      guint n_buttons = 0;

      tp_case_page_set_role (TP_CASE_PAGE (page), roles[r].role);
      for (guint i = 0; roles[r].buttons[i] != NULL; i++, n_buttons++)
        {
          GtkWidget *button = tp_ui_test_find_labelled (page, GTK_TYPE_BUTTON, roles[r].buttons[i]);

          g_assert_nonnull (button);
          /* no case yet: the decision cannot be taken */
          g_assert_false (gtk_widget_is_sensitive (button));
        }
      /* and no other role's decisions */
      for (guint i = 0; i < G_N_ELEMENTS (all); i++)
        {
          gboolean mine = FALSE;

          for (guint j = 0; roles[r].buttons[j] != NULL; j++)
            mine |= g_str_equal (roles[r].buttons[j], all[i]);
          g_assert_cmpint (tp_ui_test_find_labelled (page, GTK_TYPE_BUTTON, all[i]) != NULL, ==, mine);
        }
      g_assert_cmpuint (tp_case_page_actions_for_role (roles[r].role, ids), ==, n_buttons);
      for (guint i = 0; i < n_buttons; i++)
        g_assert_cmpstr (tp_case_page_action_label (ids[i]), ==, roles[r].buttons[i]);
      shot = tp_ui_test_screenshot (page, roles[r].shot);
    }
  gtk_window_destroy (window);
}

static char *
pass_for_today (const char *from,
                int         day_offset)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) day = g_date_time_add_days (now, day_offset);

  return g_strdup_printf ("M1NGUYEN/VAN AN       EDEMO01 %sNRTVN 0310 %03dY012A0042 100", from,
                          g_date_time_get_day_of_year (day));
}

static void
test_journey (void)
{
  GtkWidget *page = tp_case_page_new ();
  GtkWindow *window = tp_ui_test_window_new (page, 1280, 760);
  g_autofree char *good = pass_for_today ("HAN", 0);
  g_autofree char *wrong_day = pass_for_today ("HAN", 3);
  g_autofree char *shot1 = NULL;
  g_autofree char *shot2 = NULL;
  GDate today;

  g_date_clear (&today, 1);
  g_date_set_time_t (&today, time (NULL));
  tp_case_page_set_airport (TP_CASE_PAGE (page), "HAN");

  {
    g_autoptr(TpBcbp) pass = tp_bcbp_parse (good, strlen (good), &today, NULL);
    g_autoptr(TpBoardingCheck) check = tp_boarding_check (pass, "HAN", &today, "NGUYEN", "VAN AN");
    GtkWidget *row;

    tp_case_page_show_boarding_pass (TP_CASE_PAGE (page), pass, check);
    g_assert_nonnull (tp_ui_test_find_labelled (page, ADW_TYPE_ACTION_ROW, "VN 0310  HAN → NRT"));
    row = tp_ui_test_find_labelled (page, TP_TYPE_CHECK_ROW, "Departs from HAN");
    g_assert_cmpint (tp_check_row_get_state (TP_CHECK_ROW (row)), ==, TP_CHECK_ROW_PASSED);
    gtk_test_accessible_assert_property (row, GTK_ACCESSIBLE_PROPERTY_LABEL, "Departs from HAN: Passed");
    row = tp_ui_test_find_labelled (page, TP_TYPE_CHECK_ROW, "Flight date today (±1 day)");
    g_assert_cmpint (tp_check_row_get_state (TP_CHECK_ROW (row)), ==, TP_CHECK_ROW_PASSED);
    row = tp_ui_test_find_labelled (page, TP_TYPE_CHECK_ROW, "Name matches the passport");
    g_assert_cmpint (tp_check_row_get_state (TP_CHECK_ROW (row)), ==, TP_CHECK_ROW_PASSED);
    shot1 = tp_ui_test_screenshot (page, "case-journey");
  }
  {
    g_autoptr(TpBcbp) pass = tp_bcbp_parse (wrong_day, strlen (wrong_day), &today, NULL);
    g_autoptr(TpBoardingCheck) check = tp_boarding_check (pass, "HAN", &today, NULL, NULL);
    GtkWidget *row;

    tp_case_page_show_boarding_pass (TP_CASE_PAGE (page), pass, check);
    row = tp_ui_test_find_labelled (page, TP_TYPE_CHECK_ROW, "Flight date today (±1 day)");
    g_assert_cmpint (tp_check_row_get_state (TP_CHECK_ROW (row)), ==, TP_CHECK_ROW_FAILED);
    gtk_test_accessible_assert_property (row, GTK_ACCESSIBLE_PROPERTY_LABEL, "Flight date today (±1 day): FAILED");
    row = tp_ui_test_find_labelled (page, TP_TYPE_CHECK_ROW, "Name matches the passport");
    g_assert_cmpint (tp_check_row_get_state (TP_CHECK_ROW (row)), ==, TP_CHECK_ROW_NOT_CHECKED);
    shot2 = tp_ui_test_screenshot (page, "case-journey-wrong-day");
  }

  tp_case_page_reset (TP_CASE_PAGE (page));
  g_assert_null (tp_ui_test_find_labelled (page, TP_TYPE_CHECK_ROW, "Name matches the passport"));
  g_assert_nonnull (tp_ui_test_find_labelled (page, GTK_TYPE_LABEL, "No boarding pass scanned yet"));
  gtk_window_destroy (window);
}

int
main (int    argc,
      char **argv)
{
  tp_ui_test_init (&argc, &argv);

  g_test_add_func ("/case-page/roles", test_roles);
  g_test_add_func ("/case-page/journey", test_journey);

  return g_test_run ();
}
