/* test-verdict-banner.c: the verdict in a word, an icon and an accessible name
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tp-ui-test.h"
#include "tp-verdict-banner.h"

static void
test_verdicts (void)
{
  static const struct {
    int         verdict;
    const char *name;
    const char *word;
    const char *css;
    const char *shot;
  } cases[] = {
    { TP_VERDICT_NONE, "Verdict: none", "No verdict yet", NULL, "banner-none" },
    { TP_VERDICT_CLEAR, "Verdict: CLEAR", "CLEAR", "verdict-clear", "banner-clear" },
    { TP_VERDICT_REVIEW, "Verdict: REVIEW", "REVIEW", "verdict-review", "banner-review" },
    { TP_VERDICT_REFER, "Verdict: REFER", "REFER", "verdict-refer", "banner-refer" },
    { TP_VERDICT_STOP, "Verdict: STOP", "STOP", "verdict-stop", "banner-stop" },
  };
  GtkWidget *banner = tp_verdict_banner_new ();
  GtkWindow *window = tp_ui_test_window_new (banner, 900, 160);

  g_assert_true (gtk_test_accessible_has_role (GTK_ACCESSIBLE (banner), GTK_ACCESSIBLE_ROLE_STATUS));
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *shot = NULL;

      tp_verdict_banner_set_verdict (TP_VERDICT_BANNER (banner), cases[i].verdict, NULL);
      gtk_test_accessible_assert_property (banner, GTK_ACCESSIBLE_PROPERTY_LABEL, cases[i].name);
      g_assert_cmpint (tp_verdict_banner_get_verdict (TP_VERDICT_BANNER (banner)), ==, cases[i].verdict);
      /* the word is on screen, not only the colour */
      g_assert_nonnull (tp_ui_test_find_labelled (banner, GTK_TYPE_LABEL, cases[i].word));
      /* one colour class at a time */
      for (guint j = 0; j < G_N_ELEMENTS (cases); j++)
        if (cases[j].css != NULL)
          g_assert_cmpint (gtk_widget_has_css_class (banner, cases[j].css), ==, i == j);
      shot = tp_ui_test_screenshot (banner, cases[i].shot);
    }

  /* a detail replaces the usual sentence */
  tp_verdict_banner_set_verdict (TP_VERDICT_BANNER (banner), TP_VERDICT_STOP,
                                 "Exit ban EB-2025-004417 (customs): do not let the traveller exit");
  g_assert_cmpstr (tp_verdict_banner_get_detail (TP_VERDICT_BANNER (banner)), ==,
                   "Exit ban EB-2025-004417 (customs): do not let the traveller exit");
  gtk_test_accessible_assert_property (banner, GTK_ACCESSIBLE_PROPERTY_LABEL, "Verdict: STOP");
  gtk_window_destroy (window);
}

int
main (int    argc,
      char **argv)
{
  tp_ui_test_init (&argc, &argv);

  g_test_add_func ("/verdict-banner/verdicts", test_verdicts);

  return g_test_run ();
}
