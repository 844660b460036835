/* test-country.c: the country code table
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "tp-country.h"

static void
test_table_sorted (void)
{
  gsize n;
  const TpCountry *table = tp_country_all (&n);
  guint iso = 0;

  g_assert_cmpuint (n, >, 270);
  for (gsize i = 0; i < n; i++)
    {
      const TpCountry *c = &table[i];
      gsize len = strlen (c->code);

      if (i > 0 && strcmp (table[i - 1].code, c->code) >= 0)
        g_error ("table not sorted at %s, %s", table[i - 1].code, c->code);
      g_assert_true (len >= 1 && len <= 3);
      for (gsize j = 0; j < len; j++)
        g_assert_true (c->code[j] >= 'A' && c->code[j] <= 'Z');
      g_assert_true (tp_country_lookup (c->code) == c);
      g_assert_nonnull (tp_country_lookup (c->icao));
      g_assert_nonnull (c->name);
      g_assert_nonnull (tp_country_kind_to_string (c->kind));
      if (c->alpha2 != NULL)
        g_assert_cmpuint (strlen (c->alpha2), ==, 2);
      if (c->kind == TP_COUNTRY_STATE && len == 3 && c->alpha2 != NULL &&
          strcmp (c->code, "RKS") != 0)
        iso++;
      if (c->kind == TP_COUNTRY_STATE)
        g_assert_nonnull (c->alpha2);
    }
  /* Every ISO 3166-1 alpha-3 code */
  g_assert_cmpuint (iso, ==, 249);
}

static void
test_lookup (void)
{
  const TpCountry *d = tp_country_lookup ("D");
  const TpCountry *deu = tp_country_lookup ("DEU");

  g_assert_nonnull (d);
  g_assert_nonnull (deu);
  g_assert_cmpstr (d->icao, ==, "D");
  g_assert_cmpstr (deu->icao, ==, "D");
  g_assert_cmpstr (deu->alpha2, ==, "DE");
  g_assert_true (tp_country_lookup ("D<<") == d);
  g_assert_true (tp_country_lookup ("d") == d);
  g_assert_true (tp_country_lookup ("vnm") == tp_country_lookup ("VNM"));
  g_assert_cmpstr (tp_country_lookup ("VNM")->name, ==, "Vietnam");
  g_assert_cmpint (tp_country_lookup ("RKS")->kind, ==, TP_COUNTRY_STATE);
  g_assert_cmpint (tp_country_lookup ("GBN")->kind, ==, TP_COUNTRY_BRITISH);
  g_assert_cmpint (tp_country_lookup ("UTO")->kind, ==, TP_COUNTRY_SPECIMEN);
  g_assert_cmpint (tp_country_lookup ("XXA")->kind, ==, TP_COUNTRY_STATUS);
  g_assert_cmpint (tp_country_lookup ("EUE")->kind, ==, TP_COUNTRY_ORGANISATION);

  /* Not codes */
  g_assert_null (tp_country_lookup (NULL));
  g_assert_null (tp_country_lookup (""));
  g_assert_null (tp_country_lookup ("<<<"));
  g_assert_null (tp_country_lookup ("ZZZ"));
  g_assert_null (tp_country_lookup ("VN"));
  g_assert_null (tp_country_lookup ("VNMM"));
  g_assert_null (tp_country_lookup ("V<M"));
  g_assert_null (tp_country_lookup ("D< "));
  g_assert_null (tp_country_lookup ("VIETNAM"));
  g_assert_false (tp_country_is_valid ("XKX"));
  g_assert_true (tp_country_is_valid ("XXX"));
}

static void
test_alpha2 (void)
{
  static const struct {
    const char *alpha2;
    const char *icao;
  } cases[] = {
    { "DE", "D" }, { "de", "D" }, { "VN", "VNM" }, { "GB", "GBR" }, { "XK", "RKS" },
    { "EU", "EUE" }, { "UN", "UNO" }, { "TW", "TWN" }, { "KR", "KOR" }, { "US", "USA" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const TpCountry *c = tp_country_from_alpha2 (cases[i].alpha2);

      g_assert_nonnull (c);
      g_assert_cmpstr (c->code, ==, cases[i].icao);
      g_assert_true (tp_country_has_alpha2 (cases[i].icao, cases[i].alpha2));
    }
  g_assert_null (tp_country_from_alpha2 ("ZZ"));
  g_assert_null (tp_country_from_alpha2 ("D"));
  g_assert_null (tp_country_from_alpha2 ("DEU"));
  g_assert_true (tp_country_has_alpha2 ("DEU", "DE"));
  g_assert_true (tp_country_has_alpha2 ("D<<", "de"));
  g_assert_false (tp_country_has_alpha2 ("D", "AT"));
  g_assert_false (tp_country_has_alpha2 ("GBN", "GB"));
  g_assert_false (tp_country_has_alpha2 ("ZZZ", "ZZ"));

  /* Every state of the table round-trips through its alpha-2 code */
  {
    gsize n;
    const TpCountry *table = tp_country_all (&n);

    for (gsize i = 0; i < n; i++)
      if (table[i].alpha2 != NULL)
        g_assert_true (tp_country_same (tp_country_from_alpha2 (table[i].alpha2)->code, table[i].code));
  }
}

static void
test_same (void)
{
  g_assert_true (tp_country_same ("D", "DEU"));
  g_assert_true (tp_country_same ("deu", "D<<"));
  g_assert_true (tp_country_same ("VNM", "vnm"));
  g_assert_false (tp_country_same ("VNM", "VN"));
  g_assert_false (tp_country_same ("GBR", "GBN"));
  g_assert_false (tp_country_same ("D", "DE"));
  g_assert_true (tp_country_same ("ZZZ", "zzz"));
  g_assert_false (tp_country_same ("ZZZ", "ZZY"));
  g_assert_false (tp_country_same ("", ""));
  g_assert_false (tp_country_same (NULL, NULL));
  g_assert_false (tp_country_same ("VNM", NULL));
}

static void
test_special (void)
{
  static const char *special[] = {
    "UNO", "UNA", "UNK", "XBA", "XIM", "XCC", "XCE", "XCO", "XEC", "XPO",
    "XES", "XMP", "XOM", "XDC", "XXA", "XXB", "XXC", "XXX", "EUE",
  };
  gsize n, n_special = 0;
  const TpCountry *table = tp_country_all (&n);

  for (gsize i = 0; i < G_N_ELEMENTS (special); i++)
    g_assert_true (tp_country_is_special (tp_country_lookup (special[i])));
  for (gsize i = 0; i < n; i++)
    n_special += tp_country_is_special (&table[i]);
  g_assert_cmpuint (n_special, ==, G_N_ELEMENTS (special));
  g_assert_false (tp_country_is_special (tp_country_lookup ("GBD")));
  g_assert_false (tp_country_is_special (tp_country_lookup ("UTO")));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/country/table-sorted", test_table_sorted);
  g_test_add_func ("/country/lookup", test_lookup);
  g_test_add_func ("/country/alpha2", test_alpha2);
  g_test_add_func ("/country/same", test_same);
  g_test_add_func ("/country/special", test_special);

  return g_test_run ();
}
