/* test-boarding-check.c: a boarding pass against the checkpoint and passport
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "tp-bcbp.h"
#include "tp-boarding-check.h"

/* 2026-11-23 is Julian day 327 */
#define TODAY_JULIAN "327"

static TpBcbp *
pass_for (const char *name20,
          const char *from,
          const char *julian)
{
  g_autofree char *text = NULL;
  GDate today;
  TpBcbp *pass;
  g_autoptr(GError) error = NULL;

  g_date_clear (&today, 1);
  g_date_set_dmy (&today, 23, 11, 2026);
  text = g_strdup_printf ("M1%-20.20sEABC123 %sNRTVN 0011 %sY012A0001 100", name20, from, julian);
  pass = tp_bcbp_parse (text, strlen (text), &today, &error);
  g_assert_no_error (error);
  g_assert_nonnull (pass);
  return pass;
}

static TpBoardingCheck *
check (TpBcbp     *pass,
       const char *primary,
       const char *secondary)
{
  GDate today;

  g_date_clear (&today, 1);
  g_date_set_dmy (&today, 23, 11, 2026);
  return tp_boarding_check (pass, "HAN", &today, primary, secondary);
}

static void
test_all_good (void)
{
  g_autoptr(TpBcbp) pass = pass_for ("NGUYEN/VAN AN", "HAN", TODAY_JULIAN);
  g_autoptr(TpBoardingCheck) c = check (pass, "NGUYEN", "VAN AN");

  g_assert_cmpint (c->leg, ==, 0);
  g_assert_cmpint (c->departs_here, ==, TP_BOARDING_OK);
  g_assert_cmpint (c->flight_date, ==, TP_BOARDING_OK);
  g_assert_cmpint (c->name, ==, TP_BOARDING_OK);
  g_assert_true (tp_boarding_check_passed (c));
  g_assert_cmpuint (c->problems->len, ==, 0);
}

static void
test_name_forms (void)
{
  /* Spaces dropped by the airline, diacritics on the passport side */
  g_autoptr(TpBcbp) compact = pass_for ("NGUYEN/VANAN", "HAN", TODAY_JULIAN);
  g_autoptr(TpBoardingCheck) c1 = check (compact, "Nguyễn", "Văn An");
  /* A full 20-character field is cut: the passport only has to start with it */
  g_autoptr(TpBcbp) cut = pass_for ("TRUONGNGUYEN/THIHUON", "HAN", TODAY_JULIAN);
  g_autoptr(TpBoardingCheck) c2 = check (cut, "TRUONG NGUYEN", "THI HUONG GIANG");
  /* A title after the given names is not part of them */
  g_autoptr(TpBcbp) titled = pass_for ("ERIKSSON/ANNA MS", "HAN", TODAY_JULIAN);
  g_autoptr(TpBoardingCheck) c3 = check (titled, "ERIKSSON", "ANNA");
  /* Another traveller's pass */
  g_autoptr(TpBcbp) other = pass_for ("NGUYEN/VAN BINH", "HAN", TODAY_JULIAN);
  g_autoptr(TpBoardingCheck) c4 = check (other, "NGUYEN", "VAN AN");
  /* Not cut: a shorter given name on the pass is a different name */
  g_autoptr(TpBcbp) short_given = pass_for ("NGUYEN/VAN", "HAN", TODAY_JULIAN);
  g_autoptr(TpBoardingCheck) c5 = check (short_given, "NGUYEN", "VAN AN");

  g_assert_cmpint (c1->name, ==, TP_BOARDING_OK);
  g_assert_cmpint (c2->name, ==, TP_BOARDING_OK);
  g_assert_cmpint (c3->name, ==, TP_BOARDING_OK);
  g_assert_cmpint (c4->name, ==, TP_BOARDING_FAILED);
  g_assert_cmpuint (c4->problems->len, ==, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (c4->problems, 0), "NGUYEN/VAN BINH"));
  g_assert_cmpint (c5->name, ==, TP_BOARDING_FAILED);
  g_assert_false (tp_boarding_check_passed (c4));
}

static void
test_wrong_airport_and_date (void)
{
  g_autoptr(TpBcbp) elsewhere = pass_for ("NGUYEN/VAN AN", "SGN", TODAY_JULIAN);
  g_autoptr(TpBoardingCheck) c1 = check (elsewhere, "NGUYEN", "VAN AN");
  g_autoptr(TpBcbp) yesterday = pass_for ("NGUYEN/VAN AN", "HAN", "326");
  g_autoptr(TpBoardingCheck) c2 = check (yesterday, "NGUYEN", "VAN AN");
  g_autoptr(TpBcbp) last_week = pass_for ("NGUYEN/VAN AN", "HAN", "320");
  g_autoptr(TpBoardingCheck) c3 = check (last_week, "NGUYEN", "VAN AN");

  g_assert_cmpint (c1->leg, ==, -1);
  g_assert_cmpint (c1->departs_here, ==, TP_BOARDING_FAILED);
  g_assert_cmpint (c1->flight_date, ==, TP_BOARDING_UNKNOWN);
  g_assert_nonnull (strstr (g_ptr_array_index (c1->problems, 0), "SGN→NRT"));
  g_assert_nonnull (strstr (g_ptr_array_index (c1->unchecked, 0), "flight date could not be checked"));
  g_assert_cmpint (c2->flight_date, ==, TP_BOARDING_OK);
  g_assert_cmpint (c3->flight_date, ==, TP_BOARDING_FAILED);
  g_assert_nonnull (strstr (g_ptr_array_index (c3->problems, 0), "7 days before"));
}

static void
test_missing_name (void)
{
  g_autoptr(TpBcbp) pass = pass_for ("NGUYEN/VAN AN", "HAN", TODAY_JULIAN);
  g_autoptr(TpBoardingCheck) c = check (pass, NULL, NULL);

  g_assert_cmpint (c->name, ==, TP_BOARDING_UNKNOWN);
  g_assert_false (tp_boarding_check_passed (c));
  g_assert_nonnull (strstr (g_ptr_array_index (c->unchecked, 0), "no name from the passport"));
  g_assert_cmpstr (tp_boarding_state_to_string (c->name), ==, "unknown");
}

/* A pass cut short (Brussels Airlines' booking confirmations end after
 * the compartment or the date of flight) is still checked as far as it
 * goes; what could not be checked says which item is missing. */
static void
test_cut_short (void)
{
  GDate today;
  const char *after_compartment = "M1NGUYEN/VAN AN       EABC123 HANNRTVN 0011 327Y";
  const char *inside_date = "M1NGUYEN/VAN AN       EABC123 HANNRTVN 0011 32";
  const char *two_legs_one_there = "M2NGUYEN/VAN AN       EABC123 SGNHANVN 0011 327Y012A0001 100";
  g_autoptr(TpBcbp) p1 = NULL;
  g_autoptr(TpBcbp) p2 = NULL;
  g_autoptr(TpBcbp) p3 = NULL;
  g_autoptr(TpBoardingCheck) c1 = NULL;
  g_autoptr(TpBoardingCheck) c2 = NULL;
  g_autoptr(TpBoardingCheck) c3 = NULL;

  g_date_clear (&today, 1);
  g_date_set_dmy (&today, 23, 11, 2026);
  p1 = tp_bcbp_parse (after_compartment, strlen (after_compartment), &today, NULL);
  p2 = tp_bcbp_parse (inside_date, strlen (inside_date), &today, NULL);
  p3 = tp_bcbp_parse (two_legs_one_there, strlen (two_legs_one_there), &today, NULL);
  g_assert_nonnull (p1);
  g_assert_nonnull (p2);
  g_assert_nonnull (p3);

  /* Everything the checks need is there */
  c1 = check (p1, "NGUYEN", "VAN AN");
  g_assert_true (tp_boarding_check_passed (c1));
  g_assert_cmpuint (c1->unchecked->len, ==, 0);

  /* The date is cut: departs here and the name are checked, the date is
   * not, and the reason names the item */
  c2 = check (p2, "NGUYEN", "VAN AN");
  g_assert_cmpint (c2->departs_here, ==, TP_BOARDING_OK);
  g_assert_cmpint (c2->name, ==, TP_BOARDING_OK);
  g_assert_cmpint (c2->flight_date, ==, TP_BOARDING_UNKNOWN);
  g_assert_false (tp_boarding_check_passed (c2));
  g_assert_cmpuint (c2->problems->len, ==, 0);
  g_assert_cmpuint (c2->unchecked->len, ==, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (c2->unchecked, 0),
                            "The flight date could not be checked: Date of Flight (Julian Date) (item 46), leg 1: cut short"));

  /* A declared leg is missing: the one from here may be it */
  c3 = check (p3, "NGUYEN", "VAN AN");
  g_assert_cmpint (c3->departs_here, ==, TP_BOARDING_UNKNOWN);
  g_assert_cmpuint (c3->problems->len, ==, 0);
  g_assert_nonnull (strstr (g_ptr_array_index (c3->unchecked, 0), "declares 2 legs and holds 1 (SGN→HAN)"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/boarding-check/all-good", test_all_good);
  g_test_add_func ("/boarding-check/name-forms", test_name_forms);
  g_test_add_func ("/boarding-check/wrong-airport-and-date", test_wrong_airport_and_date);
  g_test_add_func ("/boarding-check/missing-name", test_missing_name);
  g_test_add_func ("/boarding-check/cut-short", test_cut_short);
  return g_test_run ();
}
