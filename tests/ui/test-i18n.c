/* test-i18n.c: the officers' language: Vietnamese from the message catalogue
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs with LANGUAGE=vi: what an officer on a Vietnamese locale sees,
 * read from the catalogue the build made from po/vi.po.
 */
#include "config.h"

#include <locale.h>

#include "tp-case-page.h"
#include "tp-status-bar.h"
#include "tp-ui-test.h"

static void
test_vietnamese (void)
{
  GtkWidget *page = tp_case_page_new ();
  GtkWindow *window = tp_ui_test_window_new (page, 1280, 760);
  TpVerdictBanner *banner = tp_case_page_get_banner (TP_CASE_PAGE (page));
  g_autofree char *shot = NULL;

  tp_verdict_banner_set_verdict (banner, TP_VERDICT_STOP, NULL);
  gtk_test_accessible_assert_property (banner, GTK_ACCESSIBLE_PROPERTY_LABEL, "Kết luận: DỪNG");
  g_assert_nonnull (tp_ui_test_find_labelled (GTK_WIDGET (banner), GTK_TYPE_LABEL, "DỪNG"));
  tp_verdict_banner_set_verdict (banner, TP_VERDICT_NONE, NULL);
  gtk_test_accessible_assert_property (banner, GTK_ACCESSIBLE_PROPERTY_LABEL, "Kết luận: chưa có");

  tp_case_page_set_role (TP_CASE_PAGE (page), TP_ROLE_IMMIGRATION);
  g_assert_nonnull (tp_ui_test_find_labelled (page, GTK_TYPE_BUTTON, "Cho xuất cảnh"));
  g_assert_nonnull (tp_ui_test_find_labelled (page, GTK_TYPE_BUTTON, "Không cho xuất cảnh"));
  g_assert_null (tp_ui_test_find_labelled (page, GTK_TYPE_BUTTON, "Allow exit"));
  /* a template string, translated by GtkBuilder */
  g_assert_nonnull (tp_ui_test_find_labelled (page, GTK_TYPE_LABEL, "Hành trình"));
  shot = tp_ui_test_screenshot (page, "case-vi");
  gtk_window_destroy (window);
}

static void
test_plurals_and_formats (void)
{
  g_autofree char *age = tp_status_bar_format_age (3 * 3600);

  g_assert_cmpstr (age, ==, "3 giờ trước");
}

int
main (int    argc,
      char **argv)
{
  g_setenv ("LANGUAGE", "vi", TRUE);
  tp_ui_test_init (&argc, &argv);
  /* gtk_test_init() keeps the C locale, in which LANGUAGE is ignored */
  g_assert_nonnull (setlocale (LC_ALL, "C.UTF-8"));

  g_test_add_func ("/i18n/vietnamese", test_vietnamese);
  g_test_add_func ("/i18n/plurals-and-formats", test_plurals_and_formats);

  return g_test_run ();
}
