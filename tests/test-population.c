/* test-population.c: the synthetic population generator
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Determinism (same seed, same bytes), the distributions it promises
 * (tp-population.h) within loose bounds, document formats and uniqueness,
 * and queries that are what their kind says.
 */
#include "config.h"

#include <string.h>

#include "tp-name.h"
#include "tp-population.h"

#define N 20000

static GDate today;

static char *
entry_json (TpPopulation *pop,
            guint         i)
{
  g_autoptr(GPtrArray) history = tp_population_entry_history (pop, i);
  GString *out = g_string_new (NULL);

  for (guint v = 0; v < history->len; v++)
    {
      g_autofree char *json = tp_entry_to_json (g_ptr_array_index (history, v));

      g_string_append (out, json);
      g_string_append_c (out, '\n');
    }
  return g_string_free (out, FALSE);
}

static char *
query_json (TpPopulation *pop,
            TpQueryKind   kind,
            guint         i)
{
  g_autoptr(TpPopulationQuery) q = tp_population_query (pop, kind, i);

  g_assert_nonnull (q);
  return tp_query_to_json (q->query);
}

static void
test_deterministic (void)
{
  g_autoptr(TpPopulation) a = tp_population_new (7, 2000, &today);
  g_autoptr(TpPopulation) b = tp_population_new (7, 2000, &today);
  g_autoptr(TpPopulation) c = tp_population_new (8, 2000, &today);
  guint differ = 0;

  for (guint i = 0; i < 2000; i += 7)
    {
      g_autofree char *ja = entry_json (a, i);
      g_autofree char *jb = entry_json (b, i);
      g_autofree char *jc = entry_json (c, i);

      g_assert_cmpstr (ja, ==, jb);
      differ += !g_str_equal (ja, jc);
    }
  g_assert_cmpuint (differ, >, 250);

  /* Any order gives the same entry */
  {
    g_autofree char *late = entry_json (a, 1999);
    g_autofree char *first = entry_json (b, 0);
    g_autofree char *late_again = entry_json (b, 1999);

    g_assert_cmpstr (late, ==, late_again);
    g_assert_nonnull (first);
  }

  for (guint k = 0; k < TP_QUERY_N_KINDS; k++)
    for (guint i = 0; i < 20; i++)
      {
        g_autofree char *qa = query_json (a, k, i);
        g_autofree char *qb = query_json (b, k, i);

        g_assert_cmpstr (qa, ==, qb);
      }
}

static gboolean
is_vn_passport (const char *s)
{
  if (strlen (s) != 8 || !g_ascii_isupper (s[0]))
    return FALSE;
  for (guint i = 1; i < 8; i++)
    if (!g_ascii_isdigit (s[i]))
      return FALSE;
  return TRUE;
}

static void
test_distribution (void)
{
  g_autoptr(TpPopulation) pop = tp_population_new (20260501, N, &today);
  g_autoptr(GHashTable) passports = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) national_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) family = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) given = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint vn = 0, nguyen = 0, top7 = 0, foreign = 0, exit_ban = 0, deny = 0;
  guint cancelled = 0, effective = 0, versions = 0, full_date = 0, accented = 0;
  guint thi = 0, van = 0, min_year = 9999, max_year = 0;
  static const char *const top[] = { "NGUYEN", "TRAN", "LE", "PHAM", "HOANG", "HUYNH", "PHAN", "VU", "VO" };

  for (guint i = 0; i < N; i++)
    {
      g_autoptr(GPtrArray) history = tp_population_entry_history (pop, i);
      const TpEntry *e = g_ptr_array_index (history, history->len - 1);
      g_auto(GStrv) tokens = tp_name_fold_tokens (e->full_name);
      g_autofree char *json = tp_entry_to_json (e);
      g_autoptr(GError) error = NULL;
      g_autoptr(TpEntry) decoded = tp_entry_from_json (json, -1, &error);

      /* Every version is a valid entry for the decoder */
      g_assert_no_error (error);
      g_assert_cmpstr (decoded->id, ==, e->id);
      for (guint v = 1; v < history->len; v++)
        g_assert_cmpuint (((TpEntry *) g_ptr_array_index (history, v))->version, ==, v + 1);

      versions += history->len;
      cancelled += e->status == TP_ENTRY_CANCELLED;
      effective += tp_entry_is_effective (e, &today);
      exit_ban += e->list == TP_LIST_EXIT_BAN;
      deny += e->action == TP_ACTION_DENY_EXIT;
      g_assert_true ((e->list == TP_LIST_EXIT_BAN) == (e->action == TP_ACTION_DENY_EXIT));
      full_date += e->birth_date.day != 0;
      min_year = MIN (min_year, e->birth_date.year);
      max_year = MAX (max_year, e->birth_date.year);
      g_assert_true (e->sex == 'M' || e->sex == 'F');
      g_assert_true (g_str_has_prefix (e->id, e->list == TP_LIST_EXIT_BAN ? "EB-" : "WL-"));

      if (g_str_equal (e->nationality, "VNM"))
        {
          vn++;
          accented += tp_name_has_diacritics (e->full_name);
          nguyen += g_str_equal (tokens[0], "NGUYEN");
          for (guint t = 0; t < G_N_ELEMENTS (top); t++)
            top7 += g_str_equal (tokens[0], top[t]);
          g_hash_table_add (family, g_strdup (tokens[0]));
          g_hash_table_add (given, g_strdup (tokens[g_strv_length (tokens) - 1]));
          /* Thị is for women, Văn for men (Vân, folded VAN too, is a woman's) */
          {
            g_autofree char *accented_name = tp_name_accented (e->full_name);
            g_auto(GStrv) acc = g_strsplit (accented_name, " ", -1);

            if (g_strv_length (acc) > 2 && g_str_equal (acc[1], "THỊ"))
              {
                thi++;
                g_assert_cmpint (e->sex, ==, 'F');
              }
            if (g_strv_length (acc) > 2 && g_str_equal (acc[1], "VĂN"))
              {
                van++;
                g_assert_cmpint (e->sex, ==, 'M');
              }
          }
        }
      else
        foreign++;

      for (guint k = 0; k < e->identifiers->len; k++)
        {
          const TpIdentifier *id = g_ptr_array_index (e->identifiers, k);
          GHashTable *table = id->type == TP_ID_PASSPORT ? passports : national_ids;
          gpointer previous = NULL;
          gboolean second_entry;

          /* Only entries for the same person (a second entry) share a document */
          second_entry = g_hash_table_lookup_extended (table, id->value, NULL, &previous);
          if (second_entry && id->type != TP_ID_TAX_CODE)
            {
              g_autoptr(TpEntry) first = tp_population_entry (pop, GPOINTER_TO_UINT (previous));

              g_assert_cmpuint (first->birth_date.year, ==, e->birth_date.year);
              g_assert_cmpint (first->sex, ==, e->sex);
            }
          if (id->type == TP_ID_PASSPORT)
            {
              if (g_str_equal (e->nationality, "VNM"))
                g_assert_true (is_vn_passport (id->value));
              if (!second_entry)
                g_hash_table_insert (passports, g_strdup (id->value), GUINT_TO_POINTER (i));
            }
          else if (id->type == TP_ID_NATIONAL_ID)
            {
              char expected[4];
              guint sc = (e->birth_date.year >= 2000 ? 2 : 0) + (e->sex == 'F' ? 1 : 0);

              g_assert_cmpuint (strlen (id->value), ==, 12);
              g_snprintf (expected, sizeof expected, "%u%02u", sc, e->birth_date.year % 100);
              g_assert_cmpint (strncmp (id->value + 3, expected, 3), ==, 0);
              if (!second_entry)
                g_hash_table_insert (national_ids, g_strdup (id->value), GUINT_TO_POINTER (i));
            }
        }
    }

  g_test_message ("VN %u, NGUYEN %.1f %%, top seven %.1f %%, foreign %.1f %%, exit bans %.1f %%, "
                  "cancelled %.1f %%, effective %.1f %%, full dates %.1f %%, %u family and %u given names",
                  vn, 100.0 * nguyen / vn, 100.0 * top7 / vn, 100.0 * foreign / N, 100.0 * exit_ban / N,
                  100.0 * cancelled / N, 100.0 * effective / N, 100.0 * full_date / N,
                  g_hash_table_size (family), g_hash_table_size (given));

  g_assert_cmpfloat ((double) nguyen / vn, >, 0.33);
  g_assert_cmpfloat ((double) nguyen / vn, <, 0.42);
  g_assert_cmpfloat ((double) top7 / vn, >, 0.74);
  g_assert_cmpfloat ((double) top7 / vn, <, 0.84);
  g_assert_cmpfloat ((double) foreign / N, >, 0.10);
  g_assert_cmpfloat ((double) foreign / N, <, 0.16);
  g_assert_cmpfloat ((double) exit_ban / N, >, 0.58);
  g_assert_cmpfloat ((double) exit_ban / N, <, 0.72);
  g_assert_cmpfloat ((double) cancelled / N, >, 0.04);
  g_assert_cmpfloat ((double) cancelled / N, <, 0.08);
  g_assert_cmpfloat ((double) effective / N, >, 0.80);
  g_assert_cmpfloat ((double) effective / N, <, 0.92);
  g_assert_cmpfloat ((double) full_date / N, >, 0.95);
  g_assert_cmpfloat ((double) accented / vn, >, 0.90);
  g_assert_cmpuint (versions, >, N + N / 10);
  g_assert_cmpuint (min_year, >=, 1940);
  g_assert_cmpuint (max_year, <=, 2008);
  g_assert_cmpuint (g_hash_table_size (family), >, 50);
  g_assert_cmpuint (g_hash_table_size (given), >, 150);   /* folded: Hùng and Hưng count once */
  g_assert_cmpuint (thi, >, vn / 10);
  g_assert_cmpuint (van, >, vn / 10);
  g_assert_cmpuint (deny, ==, exit_ban);
}

static gboolean
entry_has (const TpEntry    *e,
           TpIdentifierType  type,
           const char       *value)
{
  for (guint i = 0; value != NULL && i < e->identifiers->len; i++)
    {
      const TpIdentifier *id = g_ptr_array_index (e->identifiers, i);

      if (id->type == type && g_str_equal (id->value, value))
        return TRUE;
    }
  return FALSE;
}

static void
test_queries (void)
{
  g_autoptr(TpPopulation) pop = tp_population_new (99, 5000, &today);
  guint variations[TP_N_VARIATIONS] = { 0, };

  for (guint i = 0; i < 70; i++)
    {
      g_autoptr(TpPopulationQuery) li = tp_population_query (pop, TP_QUERY_KIND_LISTED_IDENTIFIER, i);
      g_autoptr(TpPopulationQuery) nd = tp_population_query (pop, TP_QUERY_KIND_LISTED_NEW_DOCUMENT, i);
      g_autoptr(TpPopulationQuery) nl = tp_population_query (pop, TP_QUERY_KIND_NOT_LISTED, i);
      g_autoptr(TpPopulationQuery) fl = tp_population_query (pop, TP_QUERY_KIND_FORMERLY_LISTED, i);
      g_autoptr(TpEntry) e1 = tp_population_entry (pop, li->entry_index);
      g_autoptr(TpEntry) e2 = tp_population_entry (pop, nd->entry_index);
      g_autoptr(TpEntry) e4 = tp_population_entry (pop, fl->entry_index);

      /* Listed identifier: the entry is effective and has what is presented */
      g_assert_cmpstr (li->entry_id, ==, e1->id);
      g_assert_true (tp_entry_is_effective (e1, &today));
      g_assert_true (entry_has (e1, TP_ID_PASSPORT, li->query->document_number) ||
                     entry_has (e1, TP_ID_NATIONAL_ID, li->query->personal_number));
      g_assert_cmpint (li->variation, ==, TP_VARIATION_NONE);

      /* New document: nothing the entry lists */
      g_assert_true (tp_entry_is_effective (e2, &today));
      g_assert_false (entry_has (e2, TP_ID_PASSPORT, nd->query->document_number));
      g_assert_null (nd->query->personal_number);
      g_assert_cmpuint (nd->variation, >=, TP_VARIATION_NEW_NUMBER);
      g_assert_cmpuint (nd->variation, <, TP_N_VARIATIONS);
      variations[nd->variation]++;
      g_assert_cmpuint (nd->query->birth_date.year, ==, e2->birth_date.year);
      if (nd->variation == TP_VARIATION_TRUNCATED)
        {
          g_autofree char *mrz = tp_name_to_mrz (nd->query->primary, nd->query->secondary);

          g_assert_cmpuint (strlen (mrz), <=, 39);
          g_assert_null (nd->query->full_name);
        }
      if (nd->variation == TP_VARIATION_ACCENTS_LOST)
        g_assert_false (tp_name_has_diacritics (nd->query->full_name));

      /* Not listed */
      g_assert_null (nl->entry_id);
      g_assert_nonnull (nl->query->document_number);

      /* Formerly listed: the entry does not act today */
      g_assert_false (tp_entry_is_effective (e4, &today));

      g_assert_true (g_str_has_prefix (li->query->id, "listed-identifier-"));
    }
  for (guint v = TP_VARIATION_NEW_NUMBER; v <= TP_VARIATION_SURNAME_VARIANT; v++)
    g_assert_cmpuint (variations[v], ==, 10);
  g_assert_cmpuint (variations[TP_VARIATION_NAME_SLIP], ==, 0);

  /* A slip in a short given or middle name: a Vietnamese entry with a full
   * birth date and the sex, the same family name, date and sex, a new
   * passport, and one given or middle name of 2–5 letters one edit away */
  for (guint i = 0; i < 70; i++)
    {
      g_autoptr(TpPopulationQuery) sl = tp_population_query (pop, TP_QUERY_KIND_LISTED_NAME_SLIP, i);
      g_autoptr(TpEntry) e = tp_population_entry (pop, sl->entry_index);
      g_autofree char *written = g_strjoin (" ", sl->query->primary, sl->query->secondary, NULL);
      g_auto(GStrv) q = tp_name_fold_tokens (written);
      g_auto(GStrv) t = tp_name_fold_tokens (e->full_name);
      guint differ = 0;

      g_assert_cmpint (sl->variation, ==, TP_VARIATION_NAME_SLIP);
      g_assert_true (tp_entry_is_effective (e, &today));
      g_assert_cmpstr (e->nationality, ==, "VNM");
      g_assert_cmpuint (e->birth_date.day, !=, 0);
      g_assert_cmpuint (sl->query->birth_date.year, ==, e->birth_date.year);
      g_assert_cmpuint (sl->query->birth_date.month, ==, e->birth_date.month);
      g_assert_cmpuint (sl->query->birth_date.day, ==, e->birth_date.day);
      g_assert_cmpint (sl->query->sex, ==, e->sex);
      g_assert_null (sl->query->personal_number);
      g_assert_false (entry_has (e, TP_ID_PASSPORT, sl->query->document_number));
      g_assert_cmpuint (g_strv_length (q), ==, g_strv_length (t));
      g_assert_cmpstr (q[0], ==, t[0]);
      for (guint k = 0; t[k] != NULL; k++)
        if (!g_str_equal (q[k], t[k]))
          {
            differ++;
            g_assert_cmpuint (k, >, 0);
            g_assert_cmpuint (strlen (t[k]), >=, 2);
            g_assert_cmpuint (strlen (t[k]), <=, 5);
            g_assert_cmpuint (tp_name_edit_distance (q[k], t[k], 1), ==, 1);
          }
      g_assert_cmpuint (differ, ==, 1);
      g_assert_true (g_str_has_prefix (sl->query->id, "listed-name-slip-"));
    }
}

static void
test_unique_documents (void)
{
  /* Travellers past a million share the citizen ID serial of the person a
   * million before them; the generator keeps the IDs apart. */
  g_autoptr(TpPopulation) pop = tp_population_new (5, 999990, &today);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint checked = 0;

  for (guint i = 0; i < 400; i++)
    {
      g_autoptr(TpPopulationQuery) nl = tp_population_query (pop, TP_QUERY_KIND_NOT_LISTED, i);
      g_autoptr(TpEntry) e = NULL;
      guint64 person = 999990 + 1 + (guint64) i;

      g_assert_false (g_hash_table_contains (seen, nl->query->document_number));
      g_hash_table_add (seen, g_strdup (nl->query->document_number));
      if (nl->query->personal_number == NULL || person < 1000000)
        continue;
      /* Entry (person) person - 1e6: same last six digits */
      e = tp_population_entry (pop, (guint) (person - 1000000));
      for (guint k = 0; k < e->identifiers->len; k++)
        {
          const TpIdentifier *id = g_ptr_array_index (e->identifiers, k);

          if (id->type == TP_ID_NATIONAL_ID)
            {
              g_assert_cmpstr (id->value, !=, nl->query->personal_number);
              checked++;
            }
        }
    }
  g_assert_cmpuint (checked, >, 50);
}

static void
test_strings (void)
{
  TpQueryKind kind;

  g_assert_cmpstr (tp_query_kind_to_string (TP_QUERY_KIND_NOT_LISTED), ==, "not-listed");
  g_assert_true (tp_query_kind_from_string ("listed-new-document", &kind));
  g_assert_cmpint (kind, ==, TP_QUERY_KIND_LISTED_NEW_DOCUMENT);
  g_assert_false (tp_query_kind_from_string ("nobody", &kind));
  g_assert_cmpstr (tp_variation_to_string (TP_VARIATION_SURNAME_VARIANT), ==, "surname-variant");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_date_clear (&today, 1);
  g_date_set_dmy (&today, 1, G_DATE_MAY, 2026);

  g_test_add_func ("/population/deterministic", test_deterministic);
  g_test_add_func ("/population/distribution", test_distribution);
  g_test_add_func ("/population/queries", test_queries);
  g_test_add_func ("/population/unique-documents", test_unique_documents);
  g_test_add_func ("/population/strings", test_strings);

  return g_test_run ();
}
