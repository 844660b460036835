/* test-mrz-entry.c: manual MRZ entry, each check digit checked as it is typed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tp-mrz-entry.h"
#include "tp-ui-test.h"

/* ICAO 9303 Part 4 specimen */
#define TD3_LINE1 "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<"
#define TD3_LINE2 "L898902C36UTO7408122F1204159ZE184226B<<<<<10"

static void
entered_cb (TpMrzEntry *entry,
            const char *text,
            char      **out)
{
  g_free (*out);
  *out = g_strdup (text);
}

static void
test_td3_live (void)
{
  GtkWidget *entry = tp_mrz_entry_new ();
  GtkWindow *window = tp_ui_test_window_new (entry, 1000, 700);
  TpMrzEntry *e = TP_MRZ_ENTRY (entry);
  g_autofree char *entered = NULL;
  g_autofree char *shot1 = NULL;
  g_autofree char *shot2 = NULL;
  g_autofree char *text = NULL;

  g_signal_connect (entry, "mrz-entered", G_CALLBACK (entered_cb), &entered);

  /* line 1 only: nothing to check yet */
  tp_mrz_entry_set_text (e, TD3_LINE1 "\n");
  for (guint c = 0; c < TP_MRZ_N_CHECKS; c++)
    g_assert_cmpint (tp_mrz_entry_get_check (e, c), ==, TP_CHECK_ROW_NOT_CHECKED);

  /* the document number and its digit typed: checked at once */
  tp_mrz_entry_set_text (e, TD3_LINE1 "\nL898902C36UTO74");
  g_assert_cmpint (tp_mrz_entry_get_check (e, TP_MRZ_CHECK_DOCUMENT_NUMBER), ==, TP_CHECK_ROW_PASSED);
  g_assert_cmpint (tp_mrz_entry_get_check (e, TP_MRZ_CHECK_BIRTH_DATE), ==, TP_CHECK_ROW_NOT_CHECKED);
  g_assert_false (tp_mrz_entry_get_complete (e));

  /* a mistyped document number */
  tp_mrz_entry_set_text (e, TD3_LINE1 "\nL898902C46UTO7408122");
  g_assert_cmpint (tp_mrz_entry_get_check (e, TP_MRZ_CHECK_DOCUMENT_NUMBER), ==, TP_CHECK_ROW_FAILED);
  g_assert_cmpint (tp_mrz_entry_get_check (e, TP_MRZ_CHECK_BIRTH_DATE), ==, TP_CHECK_ROW_PASSED);
  g_assert_nonnull (tp_ui_test_find_labelled (entry, TP_TYPE_CHECK_ROW, "Document number"));
  shot1 = tp_ui_test_screenshot (entry, "mrz-entry-mistyped");

  /* a wrong expiry digit fails its field and the composite */
  tp_mrz_entry_set_text (e, TD3_LINE1 "\nL898902C36UTO7408122F1204158ZE184226B<<<<<10");
  g_assert_cmpint (tp_mrz_entry_get_check (e, TP_MRZ_CHECK_EXPIRY_DATE), ==, TP_CHECK_ROW_FAILED);
  g_assert_cmpint (tp_mrz_entry_get_check (e, TP_MRZ_CHECK_COMPOSITE), ==, TP_CHECK_ROW_FAILED);
  g_assert_cmpint (tp_mrz_entry_get_check (e, TP_MRZ_CHECK_OPTIONAL_DATA), ==, TP_CHECK_ROW_PASSED);
  g_assert_false (tp_mrz_entry_get_complete (e));
  gtk_widget_activate_action (entry, "mrz.use", NULL);
  g_assert_null (entered);

  /* complete and right, typed in lower case */
  tp_mrz_entry_set_text (e, "p<utoeriksson<<anna<maria<<<<<<<<<<<<<<<<<<<\nl898902c36uto7408122f1204159ze184226b<<<<<10");
  text = tp_mrz_entry_get_text (e);
  g_assert_cmpstr (text, ==, TD3_LINE1 "\n" TD3_LINE2);
  for (guint c = 0; c < TP_MRZ_N_CHECKS; c++)
    g_assert_cmpint (tp_mrz_entry_get_check (e, c), ==, TP_CHECK_ROW_PASSED);
  g_assert_true (tp_mrz_entry_get_complete (e));
  shot2 = tp_ui_test_screenshot (entry, "mrz-entry-complete");
  gtk_widget_activate_action (entry, "mrz.use", NULL);
  g_assert_cmpstr (entered, ==, TD3_LINE1 "\n" TD3_LINE2);

  tp_mrz_entry_clear (e);
  g_assert_false (tp_mrz_entry_get_complete (e));
  gtk_window_destroy (window);
}

static void
test_td1_live (void)
{
  GtkWidget *entry = tp_mrz_entry_new ();
  GtkWindow *window = tp_ui_test_window_new (entry, 1000, 700);
  TpMrzEntry *e = TP_MRZ_ENTRY (entry);

  /* an identity card: the document number is on line 1, dates on line 2 */
  tp_mrz_entry_set_text (e, "I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F12041");
  g_assert_cmpint (tp_mrz_entry_get_check (e, TP_MRZ_CHECK_DOCUMENT_NUMBER), ==, TP_CHECK_ROW_PASSED);
  g_assert_cmpint (tp_mrz_entry_get_check (e, TP_MRZ_CHECK_BIRTH_DATE), ==, TP_CHECK_ROW_PASSED);
  g_assert_cmpint (tp_mrz_entry_get_check (e, TP_MRZ_CHECK_EXPIRY_DATE), ==, TP_CHECK_ROW_NOT_CHECKED);
  g_assert_cmpint (tp_mrz_entry_get_check (e, TP_MRZ_CHECK_OPTIONAL_DATA), ==, TP_CHECK_ROW_NOT_CHECKED);

  tp_mrz_entry_set_text (e, "I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<");
  g_assert_cmpint (tp_mrz_entry_get_check (e, TP_MRZ_CHECK_EXPIRY_DATE), ==, TP_CHECK_ROW_PASSED);
  g_assert_cmpint (tp_mrz_entry_get_check (e, TP_MRZ_CHECK_COMPOSITE), ==, TP_CHECK_ROW_PASSED);
  g_assert_true (tp_mrz_entry_get_complete (e));
  gtk_window_destroy (window);
}

int
main (int    argc,
      char **argv)
{
  tp_ui_test_init (&argc, &argv);

  g_test_add_func ("/mrz-entry/td3-live", test_td3_live);
  g_test_add_func ("/mrz-entry/td1-live", test_td1_live);

  return g_test_run ();
}
