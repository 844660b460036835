/* fuzz-query.c: libFuzzer target for the screening query decoder
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Any bytes go to tp_query_from_json(). A query that decodes must survive
 * a round trip through its JSON form unchanged, and is then screened
 * against a small list (synthetic entries and a few hand-made ones) by the
 * indexed matcher and by the exhaustive baseline, which must agree: names,
 * dates and codes from the fuzzer reach the normaliser, the token
 * expansion (typos, variants, MRZ prefixes) and the alignment.
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "tp-matcher.h"
#include "tp-population.h"
#include "tp-query.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static TpMatcher *matcher;
static TpScreenOptions options;

static void
add_json (const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpEntry) entry = tp_entry_from_json (json, -1, &error);

  g_assert_no_error (error);
  tp_matcher_add_entry (matcher, entry);
}

static void
setup (void)
{
  g_autoptr(TpPopulation) pop = NULL;
  GDate today;

  g_date_clear (&today, 1);
  g_date_set_dmy (&today, 1, G_DATE_MAY, 2026);
  pop = tp_population_new (11, 400, &today);
  matcher = tp_matcher_new ();
  for (guint i = 0; i < 400; i++)
    {
      g_autoptr(TpEntry) entry = tp_population_entry (pop, i);

      tp_matcher_add_entry (matcher, entry);
    }
  add_json ("{\"id\":\"EB-F-1\",\"version\":1,\"list\":\"exit_ban\",\"status\":\"active\",\"agency\":\"customs\","
            "\"action\":\"deny_exit\",\"person\":{\"full_name\":\"Nguyễn Văn An\",\"birth_date\":\"1980-05-17\","
            "\"sex\":\"M\",\"nationality\":\"VNM\",\"identifiers\":[{\"type\":\"passport\",\"value\":\"C1234567\","
            "\"country\":\"VNM\"},{\"type\":\"national_id\",\"value\":\"001080012345\",\"country\":\"VNM\"}]},"
            "\"effective_from\":\"2026-01-16\"}");
  add_json ("{\"id\":\"WL-F-2\",\"version\":2,\"list\":\"watch\",\"status\":\"active\",\"agency\":\"police\","
            "\"action\":\"notify\",\"person\":{\"full_name\":\"María de Guadalupe Hernández Valenzuela\","
            "\"birth_date\":\"1969\",\"nationality\":\"ESP\"},\"effective_from\":\"2025-01-01\"}");
  add_json ("{\"id\":\"WL-F-3\",\"version\":1,\"list\":\"watch\",\"status\":\"active\",\"agency\":\"customs\","
            "\"action\":\"refer_customs\",\"person\":{\"full_name\":\"Hoàng Thị Thu Trang\",\"birth_date\":\"1995-11\","
            "\"sex\":\"F\",\"nationality\":\"VNM\"},\"effective_from\":\"2025-01-01\"}");
  add_json ("{\"id\":\"EB-F-4\",\"version\":1,\"list\":\"exit_ban\",\"status\":\"active\",\"agency\":\"tax\","
            "\"action\":\"deny_exit\",\"person\":{\"full_name\":\"Nguyễn\"},\"effective_from\":\"2025-01-01\"}");
  tp_matcher_add_clearance (matcher, "VNM:C1234567", "EB-F-1", 1, 0);
  tp_matcher_build (matcher);
  tp_screen_options_init (&options, &today, 1777593600);
}

static void
assert_same_query (const TpQuery *a,
                   const TpQuery *b)
{
  g_assert (g_strcmp0 (a->id, b->id) == 0);
  g_assert (g_strcmp0 (a->document_number, b->document_number) == 0);
  g_assert (g_strcmp0 (a->issuing_state, b->issuing_state) == 0);
  g_assert (g_strcmp0 (a->nationality, b->nationality) == 0);
  g_assert (g_strcmp0 (a->primary, b->primary) == 0);
  g_assert (g_strcmp0 (a->secondary, b->secondary) == 0);
  g_assert (g_strcmp0 (a->full_name, b->full_name) == 0);
  g_assert (g_strcmp0 (a->personal_number, b->personal_number) == 0);
  g_assert (a->birth_date.year == b->birth_date.year);
  g_assert (a->birth_date.month == b->birth_date.month);
  g_assert (a->birth_date.day == b->birth_date.day);
  g_assert (a->sex == b->sex);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(TpQuery) query = NULL;
  g_autoptr(TpQuery) again = NULL;
  g_autoptr(TpScreenResult) indexed = NULL;
  g_autoptr(TpScreenResult) exhaustive = NULL;
  g_autofree char *json = NULL;

  if (matcher == NULL)
    setup ();

  query = tp_query_from_json (text, (gssize) strlen (text), &error);
  if (query == NULL)
    {
      g_assert (error != NULL && error->message != NULL && error->message[0] != '\0');
      return 0;
    }
  g_assert (error == NULL);

  json = tp_query_to_json (query);
  again = tp_query_from_json (json, -1, &error);
  g_assert (error == NULL);
  assert_same_query (query, again);
  g_free (tp_query_document_key (query));

  indexed = tp_matcher_screen (matcher, query, &options);
  exhaustive = tp_matcher_screen_exhaustive (matcher, query, &options);
  g_assert (indexed->verdict == exhaustive->verdict);
  g_assert (indexed->n_hits_total == exhaustive->n_hits_total);
  g_assert (indexed->suppressed->len == exhaustive->suppressed->len);
  for (guint i = 0; i < indexed->hits->len; i++)
    {
      const TpHit *a = g_ptr_array_index (indexed->hits, i);
      const TpHit *b = g_ptr_array_index (exhaustive->hits, i);

      g_assert (g_str_equal (a->entry_id, b->entry_id));
      g_assert (a->band == b->band && a->score == b->score);
      g_assert (a->score >= 0.0 && a->score <= 1.0);
      g_assert (g_utf8_validate (a->explanation, -1, NULL));
    }
  return 0;
}
