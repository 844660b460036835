/* test-case-page.c: the case screen, filled by a real case
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A checkpoint with the demo list, the software chip on the reader: the
 * page shows what the case decides, as each role may see it.
 */
#include "config.h"

#include <string.h>

#include "tp-case-page.h"
#include "tp-check-row.h"
#include "tp-decisions.h"
#include "tp-demo-scenario.h"
#include "tp-ui-case.h"
#include "tp-ui-test.h"

typedef struct {
  TpUiCase  *c;
  GtkWidget *page;
  GtkWindow *window;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->c = tp_ui_case_new ();
  f->page = tp_case_page_new ();
  tp_case_page_set_counter (TP_CASE_PAGE (f->page), f->c->counter);
  f->window = tp_ui_test_window_new (f->page, 1280, 900);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  gtk_window_destroy (f->window);
  tp_ui_case_free (f->c);
}

static void
show (Fixture *f)
{
  tp_case_page_update_now (TP_CASE_PAGE (f->page));
  tp_ui_test_wait_for_draw (f->page);
}

static TpCheckRowState
check_state (Fixture    *f,
             const char *title)
{
  GtkWidget *row = tp_ui_test_find_labelled (f->page, TP_TYPE_CHECK_ROW, title);

  g_assert_nonnull (row);
  return tp_check_row_get_state (TP_CHECK_ROW (row));
}

static const char *
check_reason (Fixture    *f,
              const char *title)
{
  GtkWidget *row = tp_ui_test_find_labelled (f->page, TP_TYPE_CHECK_ROW, title);

  g_assert_nonnull (row);
  return adw_action_row_get_subtitle (ADW_ACTION_ROW (row));
}

static void
test_roles (Fixture       *f,
            gconstpointer  data)
{
  static const struct {
    TpRoles     role;
    const char *buttons[5];
  } roles[] = {
    { TP_ROLE_IMMIGRATION, { "Allow exit", "Deny exit", "Refer to customs", "Escalate", NULL } },
    { TP_ROLE_CUSTOMS, { "Select for screening", "Record findings", "Refer to immigration", "Escalate", NULL } },
    { TP_ROLE_SUPERVISOR, { "Resolve", "Override", "Clear false positive", NULL } },
  };
  static const char *all[] = { "Allow exit", "Deny exit", "Refer to customs", "Escalate", "Select for screening",
                               "Record findings", "Refer to immigration", "Resolve", "Override",
                               "Clear false positive" };

  /* before a traveller: no verdict, nothing to decide on */
  gtk_test_accessible_assert_property (tp_case_page_get_banner (TP_CASE_PAGE (f->page)),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "Verdict: none");
  g_assert_nonnull (tp_ui_test_find_labelled (f->page, GTK_TYPE_LABEL, "Sign in to take decisions"));

  for (guint r = 0; r < G_N_ELEMENTS (roles); r++)
    {
      const char *ids[9];
      guint n_buttons = 0;

      tp_case_page_set_role (TP_CASE_PAGE (f->page), roles[r].role);
      show (f);
      for (guint i = 0; roles[r].buttons[i] != NULL; i++, n_buttons++)
        {
          GtkWidget *button = tp_ui_test_find_labelled (f->page, GTK_TYPE_BUTTON, roles[r].buttons[i]);

          g_assert_nonnull (button);
          g_assert_false (gtk_widget_is_sensitive (button));
        }
      for (guint i = 0; i < G_N_ELEMENTS (all); i++)
        {
          gboolean mine = FALSE;

          for (guint j = 0; roles[r].buttons[j] != NULL; j++)
            mine |= g_str_equal (roles[r].buttons[j], all[i]);
          g_assert_cmpint (tp_ui_test_find_labelled (f->page, GTK_TYPE_BUTTON, all[i]) != NULL, ==, mine);
        }
      g_assert_cmpuint (tp_decisions_for_role (roles[r].role, ids), ==, n_buttons);
      for (guint i = 0; i < n_buttons; i++)
        g_assert_cmpstr (tp_decisions_action_label (ids[i]), ==, roles[r].buttons[i]);
    }
}

static void
test_stop (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *pass = tp_ui_case_boarding_pass ("NGUYEN/VAN AN", 0);
  g_autoptr(GError) error = NULL;
  g_autofree char *shot1 = NULL;
  g_autofree char *shot2 = NULL;
  GtkWidget *hit, *face;
  TpCase *kase;

  tp_counter_set_officer (f->c->counter, "IMM-01", TP_ROLE_IMMIGRATION);
  tp_case_page_set_role (TP_CASE_PAGE (f->page), TP_ROLE_IMMIGRATION);
  kase = tp_ui_case_present (f->c, "full");
  g_assert_true (tp_counter_present_boarding_pass (f->c->counter, pass, &error));
  g_assert_no_error (error);
  show (f);

  gtk_test_accessible_assert_property (tp_case_page_get_banner (TP_CASE_PAGE (f->page)),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "Verdict: STOP");
  g_assert_cmpstr (tp_verdict_banner_get_detail (tp_case_page_get_banner (TP_CASE_PAGE (f->page))), ==,
                   "Exit ban EB-2025-004417 (Customs): deny exit");
  /* every document check, one by one */
  g_assert_cmpint (check_state (f, "Chip read and access control"), ==, TP_CHECK_ROW_PASSED);
  g_assert_cmpint (check_state (f, "Passive authentication (signed by the issuing state)"), ==, TP_CHECK_ROW_PASSED);
  g_assert_cmpint (check_state (f, "Clone check: chip authentication"), ==, TP_CHECK_ROW_PASSED);
  g_assert_cmpint (check_state (f, "Clone check: active authentication"), ==, TP_CHECK_ROW_PASSED);
  g_assert_cmpint (check_state (f, "Printed MRZ matches the chip"), ==, TP_CHECK_ROW_PASSED);
  g_assert_cmpint (check_state (f, "Document not expired"), ==, TP_CHECK_ROW_PASSED);
  /* the journey */
  g_assert_cmpint (check_state (f, "Departs from HAN"), ==, TP_CHECK_ROW_PASSED);
  g_assert_cmpint (check_state (f, "Name matches the passport"), ==, TP_CHECK_ROW_PASSED);
  g_assert_cmpint (check_state (f, "Not already used at this checkpoint today"), ==, TP_CHECK_ROW_PASSED);
  g_assert_cmpint (tp_case_page_get_journey_shown (TP_CASE_PAGE (f->page)), >, 0);
  /* the hit, grouped under its agency, with its basis for immigration */
  g_assert_nonnull (tp_ui_test_find_labelled (f->page, GTK_TYPE_LABEL, "Customs"));
  hit = tp_ui_test_find_labelled (f->page, ADW_TYPE_ACTION_ROW, "Exit ban EB-2025-004417 · confirmed");
  g_assert_nonnull (hit);
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (hit)), "Notice "));
  /* decisions open, the face decoded off the UI thread */
  g_assert_true (gtk_widget_is_sensitive (tp_ui_test_find_labelled (f->page, GTK_TYPE_BUTTON, "Deny exit")));
  /* on a STOP, allowing exit is not the suggested decision */
  g_assert_false (gtk_widget_has_css_class (tp_ui_test_find_labelled (f->page, GTK_TYPE_BUTTON, "Allow exit"),
                                            "suggested-action"));
  face = tp_ui_test_find_labelled (f->page, GTK_TYPE_PICTURE, NULL);
  g_assert_nonnull (face);
  while (gtk_picture_get_paintable (GTK_PICTURE (face)) == NULL)
    g_main_context_iteration (NULL, TRUE);
  /* the timeline holds the checks, with what each stood on */
  g_assert_nonnull (tp_ui_test_find_labelled (f->page, ADW_TYPE_ACTION_ROW, "Check: STOP · verified chip"));
  shot1 = tp_ui_test_screenshot (f->page, "case-stop-immigration");

  /* customs is not in the entry's visibility: only who owns it */
  tp_case_page_set_role (TP_CASE_PAGE (f->page), TP_ROLE_CUSTOMS);
  show (f);
  g_assert_null (tp_ui_test_find_labelled (f->page, ADW_TYPE_ACTION_ROW, "Exit ban EB-2025-004417 · confirmed"));
  g_assert_nonnull (tp_ui_test_find_labelled (f->page, ADW_TYPE_ACTION_ROW, "A hit owned by Customs"));
  shot2 = tp_ui_test_screenshot (f->page, "case-stop-customs");
  g_assert_true (kase == tp_case_page_get_case (TP_CASE_PAGE (f->page)));
}

static void
test_tampered (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *shot = NULL;

  tp_counter_set_officer (f->c->counter, "IMM-01", TP_ROLE_IMMIGRATION);
  tp_case_page_set_role (TP_CASE_PAGE (f->page), TP_ROLE_IMMIGRATION);
  tp_ui_case_present (f->c, "full:holder=Đỗ/Thị Lan/C7777777/VNM/900203/F/340630,tampered");
  show (f);
  g_assert_cmpint (check_state (f, "Passive authentication (signed by the issuing state)"), ==, TP_CHECK_ROW_FAILED);
  g_assert_cmpstr (check_reason (f, "Passive authentication (signed by the issuing state)"), ==,
                   "DG2 was changed after the document was signed");
  /* CLEAR on the list, and the banner says the chip did not verify */
  gtk_test_accessible_assert_property (tp_case_page_get_banner (TP_CASE_PAGE (f->page)),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "Verdict: CLEAR");
  g_assert_nonnull (strstr (tp_verdict_banner_get_detail (tp_case_page_get_banner (TP_CASE_PAGE (f->page))),
                            "The chip did NOT verify"));
  shot = tp_ui_test_screenshot (f->page, "case-tampered");
}

static void
test_clone_and_expired (Fixture       *f,
                        gconstpointer  data)
{
  tp_counter_set_officer (f->c->counter, "IMM-01", TP_ROLE_IMMIGRATION);
  tp_case_page_set_role (TP_CASE_PAGE (f->page), TP_ROLE_IMMIGRATION);
  tp_ui_case_present (f->c, "full:holder=Đỗ/Thị Lan/C7777777/VNM/900203/F/340630,clone");
  show (f);
  g_assert_cmpint (check_state (f, "Clone check: chip authentication"), ==, TP_CHECK_ROW_FAILED);

  tp_counter_next_traveller (f->c->counter);
  tp_ui_case_present (f->c, "full:holder=Phan/Thị Mai/C5550123/VNM/920715/F/250301");
  show (f);
  g_assert_cmpint (check_state (f, "Document not expired"), ==, TP_CHECK_ROW_FAILED);
  g_assert_cmpstr (check_reason (f, "Document not expired"), ==, "Expired on 2025-03-01");
}

static void
test_journey_first (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *wrong_day = tp_ui_case_boarding_pass ("NGUYEN/VAN AN", 3);
  g_autoptr(GError) error = NULL;
  g_autofree char *shot = NULL;

  tp_counter_set_officer (f->c->counter, "CUS-01", TP_ROLE_CUSTOMS);
  tp_case_page_set_role (TP_CASE_PAGE (f->page), TP_ROLE_CUSTOMS);
  /* the boarding pass comes first: the journey shows, the verdict waits */
  g_assert_true (tp_counter_present_boarding_pass (f->c->counter, wrong_day, &error));
  g_assert_no_error (error);
  show (f);
  gtk_test_accessible_assert_property (tp_case_page_get_banner (TP_CASE_PAGE (f->page)),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "Verdict: none");
  g_assert_nonnull (tp_ui_test_find_labelled (f->page, ADW_TYPE_ACTION_ROW, "VN 0310  HAN → NRT"));
  g_assert_cmpint (check_state (f, "Flight date today (±1 day)"), ==, TP_CHECK_ROW_FAILED);
  g_assert_cmpint (check_state (f, "Name matches the passport"), ==, TP_CHECK_ROW_NOT_CHECKED);
  shot = tp_ui_test_screenshot (f->page, "case-journey-wrong-day");

  /* a printed MRZ with no reader: screened on the print */
  g_assert_true (tp_counter_present_mrz (f->c->counter, tp_ui_case_chip_mrz ("full"), &error));
  g_assert_no_error (error);
  show (f);
  gtk_test_accessible_assert_property (tp_case_page_get_banner (TP_CASE_PAGE (f->page)),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "Verdict: STOP");
  g_assert_cmpint (check_state (f, "Name matches the passport"), ==, TP_CHECK_ROW_PASSED);
  g_assert_cmpint (check_state (f, "Chip read and access control"), ==, TP_CHECK_ROW_NOT_CHECKED);
}

static void
assert_banner (Fixture    *f,
               const char *name)
{
  show (f);
  gtk_test_accessible_assert_property (tp_case_page_get_banner (TP_CASE_PAGE (f->page)),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, name);
}

static gboolean
button_sensitive (Fixture    *f,
                  const char *label)
{
  GtkWidget *button = tp_ui_test_find_labelled (f->page, GTK_TYPE_BUTTON, label);

  g_assert_nonnull (button);
  return gtk_widget_is_sensitive (button);
}

static gboolean
button_suggested (Fixture    *f,
                  const char *label)
{
  GtkWidget *button = tp_ui_test_find_labelled (f->page, GTK_TYPE_BUTTON, label);

  g_assert_nonnull (button);
  return gtk_widget_has_css_class (button, "suggested-action");
}

/* The stale-list policy: what a list no head vouches for does to a CLEAR. */
static void
test_stale_list (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *shot1 = NULL;
  g_autofree char *shot2 = NULL;

  tp_counter_set_officer (f->c->counter, "IMM-01", TP_ROLE_IMMIGRATION);
  tp_case_page_set_role (TP_CASE_PAGE (f->page), TP_ROLE_IMMIGRATION);
  tp_ui_case_present (f->c, tp_demo_scenario_lookup ("clear")->chip);
  assert_banner (f, "Verdict: CLEAR");
  g_assert_true (button_suggested (f, "Allow exit"));

  /* warn: the verdict stands, the banner says so */
  tp_counter_set_list_stale (f->c->counter, TRUE, TP_STALE_POLICY_WARN);
  assert_banner (f, "Verdict: CLEAR");
  g_assert_nonnull (strstr (tp_verdict_banner_get_detail (tp_case_page_get_banner (TP_CASE_PAGE (f->page))),
                            "STALE"));
  /* review: a CLEAR needs a look */
  tp_counter_set_list_stale (f->c->counter, TRUE, TP_STALE_POLICY_REVIEW);
  assert_banner (f, "Verdict: REVIEW");
  g_assert_true (button_sensitive (f, "Allow exit"));
  g_assert_false (button_suggested (f, "Allow exit"));
  shot1 = tp_ui_test_screenshot (f->page, "case-stale-review");
  /* block: no verdict; only the escalation to a supervisor, who decides */
  tp_counter_set_list_stale (f->c->counter, TRUE, TP_STALE_POLICY_BLOCK);
  assert_banner (f, "Verdict: none");
  g_assert_false (button_sensitive (f, "Allow exit"));
  g_assert_false (button_sensitive (f, "Deny exit"));
  g_assert_true (button_sensitive (f, "Escalate"));
  shot2 = tp_ui_test_screenshot (f->page, "case-stale-block");
  tp_case_page_set_role (TP_CASE_PAGE (f->page), TP_ROLE_SUPERVISOR);
  show (f);
  g_assert_true (button_sensitive (f, "Override"));
  /* current again */
  tp_counter_set_list_stale (f->c->counter, FALSE, TP_STALE_POLICY_BLOCK);
  assert_banner (f, "Verdict: CLEAR");
}

int
main (int    argc,
      char **argv)
{
  tp_ui_test_init (&argc, &argv);

  g_test_add ("/case-page/roles", Fixture, NULL, fixture_setup, test_roles, fixture_teardown);
  g_test_add ("/case-page/stop", Fixture, NULL, fixture_setup, test_stop, fixture_teardown);
  g_test_add ("/case-page/tampered", Fixture, NULL, fixture_setup, test_tampered, fixture_teardown);
  g_test_add ("/case-page/clone-and-expired", Fixture, NULL, fixture_setup, test_clone_and_expired, fixture_teardown);
  g_test_add ("/case-page/journey-first", Fixture, NULL, fixture_setup, test_journey_first, fixture_teardown);
  g_test_add ("/case-page/stale-list", Fixture, NULL, fixture_setup, test_stale_list, fixture_teardown);

  return g_test_run ();
}
