/* test-matcher.c: screening matcher and query decoder
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Hand-built entries over a background of 20 000 synthetic ones (so that
 * token rarity is that of a realistic list: NGUYEN is a third of it). Check
 * date 2026-05-01 unless a test says otherwise.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "tp-error.h"
#include "tp-matcher.h"
#include "tp-self-check.h"
#include "tp-name.h"
#include "tp-population.h"
#include "tp-query.h"

#define BACKGROUND 20000
#define NOW 1777593600   /* 2026-05-01 00:00 UTC */

typedef struct {
  const char *id;
  guint       version;
  const char *list;
  const char *agency;
  const char *action;
  const char *status;
  const char *name;
  const char *birth;
  char        sex;
  const char *nationality;
  const char *passport;
  const char *passport_country;
  const char *national_id;
  const char *tax_code;
  const char *from;
  const char *until;
} Spec;

typedef struct {
  const char *document_number;
  const char *issuing_state;
  const char *nationality;
  const char *primary;
  const char *secondary;
  const char *full_name;
  const char *birth;
  char        sex;
  const char *personal_number;
} QSpec;

static GPtrArray *background;

static void
set_date (GDate      *date,
          const char *text)
{
  unsigned y, m, d;

  g_assert_cmpint (sscanf (text, "%u-%u-%u", &y, &m, &d), ==, 3);
  g_date_clear (date, 1);
  g_date_set_dmy (date, d, m, y);
}

static TpEntry *
entry_from_spec (const Spec *s)
{
  TpEntry *e = tp_entry_new ();

  e->id = g_strdup (s->id);
  e->version = s->version != 0 ? s->version : 1;
  g_assert_true (tp_list_kind_from_string (s->list ? s->list : "exit_ban", &e->list));
  g_assert_true (tp_agency_from_string (s->agency ? s->agency : "customs", &e->agency));
  g_assert_true (tp_action_from_string (s->action ? s->action : "deny_exit", &e->action));
  e->status = s->status != NULL && g_str_equal (s->status, "cancelled") ? TP_ENTRY_CANCELLED : TP_ENTRY_ACTIVE;
  e->visibility = TP_ROLE_IMMIGRATION | TP_ROLE_SUPERVISOR;
  e->full_name = g_strdup (s->name);
  if (s->birth != NULL)
    g_assert_true (tp_partial_date_parse (s->birth, &e->birth_date));
  e->sex = s->sex;
  g_strlcpy (e->nationality, s->nationality ? s->nationality : "VNM", sizeof e->nationality);
  if (s->passport != NULL)
    g_ptr_array_add (e->identifiers, tp_identifier_new (TP_ID_PASSPORT, s->passport,
                                                        s->passport_country ? s->passport_country : "VNM"));
  if (s->national_id != NULL)
    g_ptr_array_add (e->identifiers, tp_identifier_new (TP_ID_NATIONAL_ID, s->national_id, "VNM"));
  if (s->tax_code != NULL)
    g_ptr_array_add (e->identifiers, tp_identifier_new (TP_ID_TAX_CODE, s->tax_code, "VNM"));
  set_date (&e->effective_from, s->from ? s->from : "2026-01-01");
  if (s->until != NULL)
    set_date (&e->effective_until, s->until);
  return e;
}

static TpQuery *
query_from_spec (const QSpec *s)
{
  TpQuery *q = tp_query_new ();

  q->id = g_strdup ("q");
  q->document_number = g_strdup (s->document_number);
  q->issuing_state = g_strdup (s->issuing_state ? s->issuing_state : (s->document_number ? "VNM" : NULL));
  q->nationality = g_strdup (s->nationality ? s->nationality : "VNM");
  q->primary = g_strdup (s->primary);
  q->secondary = g_strdup (s->secondary);
  q->full_name = g_strdup (s->full_name);
  if (s->birth != NULL)
    g_assert_true (tp_partial_date_parse (s->birth, &q->birth_date));
  q->sex = s->sex;
  q->personal_number = g_strdup (s->personal_number);
  return q;
}

/* A matcher over the background and @specs, built. */
static TpMatcher *
matcher_with (const Spec *specs,
              guint       n_specs)
{
  TpMatcher *m = tp_matcher_new ();

  for (guint i = 0; i < background->len; i++)
    tp_matcher_add_entry (m, g_ptr_array_index (background, i));
  for (guint i = 0; i < n_specs; i++)
    {
      g_autoptr(TpEntry) e = entry_from_spec (&specs[i]);

      tp_matcher_add_entry (m, e);
    }
  return m;
}

static TpScreenResult *
screen_at (TpMatcher   *m,
           const QSpec *qs,
           const char  *date,
           gint64       now)
{
  g_autoptr(TpQuery) q = query_from_spec (qs);
  TpScreenOptions options;
  GDate d;
  TpScreenResult *exhaustive, *indexed;

  set_date (&d, date);
  tp_screen_options_init (&options, &d, now);
  indexed = tp_matcher_screen (m, q, &options);
  /* Every test also checks that the baseline decides the same way. */
  exhaustive = tp_matcher_screen_exhaustive (m, q, &options);
  g_assert_cmpint (exhaustive->verdict, ==, indexed->verdict);
  g_assert_cmpuint (exhaustive->n_hits_total, ==, indexed->n_hits_total);
  for (guint i = 0; i < indexed->hits->len; i++)
    {
      const TpHit *a = g_ptr_array_index (indexed->hits, i);
      const TpHit *b = g_ptr_array_index (exhaustive->hits, i);

      g_assert_cmpstr (a->entry_id, ==, b->entry_id);
      g_assert_cmpint (a->band, ==, b->band);
      g_assert_cmpfloat (a->score, ==, b->score);
      g_assert_cmpstr (a->explanation, ==, b->explanation);
    }
  tp_screen_result_free (exhaustive);
  return indexed;
}

static TpScreenResult *
screen (TpMatcher   *m,
        const QSpec *qs)
{
  return screen_at (m, qs, "2026-05-01", NOW);
}

static const TpHit *
hit_for (const TpScreenResult *r,
         const char           *id)
{
  for (guint i = 0; i < r->hits->len; i++)
    {
      const TpHit *hit = g_ptr_array_index (r->hits, i);

      if (g_str_equal (hit->entry_id, id))
        return hit;
    }
  return NULL;
}

static TpBand
band_for (const TpScreenResult *r,
          const char           *id)
{
  const TpHit *hit = hit_for (r, id);

  return hit != NULL ? hit->band : TP_BAND_NONE;
}

/* Bands and verdicts ------------------------------------------------------ */

static const Spec AN = {
  .id = "EB-T-AN", .name = "Nguyễn Văn An", .birth = "1980-05-17", .sex = 'M',
  .passport = "C1234567", .national_id = "001080012345",
};

static void
test_confirmed_passport_stop (void)
{
  g_autoptr(TpMatcher) m = matcher_with (&AN, 1);
  g_autoptr(TpScreenResult) r = NULL;
  const TpHit *hit;

  tp_matcher_build (m);
  r = screen (m, &(QSpec) { .document_number = "C1234567", .primary = "NGUYEN", .secondary = "VAN AN",
                            .birth = "1980-05-17", .sex = 'M' });
  g_assert_cmpint (r->verdict, ==, TP_VERDICT_STOP);
  hit = hit_for (r, "EB-T-AN");
  g_assert_nonnull (hit);
  g_assert_cmpint (hit->band, ==, TP_BAND_CONFIRMED);
  g_assert_true (hit->matched & TP_MATCH_PASSPORT);
  g_assert_true (hit->matched & TP_MATCH_BIRTH_DATE);
  g_assert_true (hit->matched & TP_MATCH_NAME);
  g_assert_cmpuint (hit->conflicts, ==, 0);
  g_assert_cmpfloat (hit->score, >=, 0.9);
  g_assert_nonnull (strstr (hit->explanation, "Passport VNM C1234567"));
  g_assert_cmpint (hit->action, ==, TP_ACTION_DENY_EXIT);

  /* The same number from another state is another document */
  g_clear_pointer (&r, tp_screen_result_free);
  r = screen (m, &(QSpec) { .document_number = "C1234567", .issuing_state = "KOR",
                            .nationality = "KOR", .primary = "KIM", .secondary = "MINJUN",
                            .birth = "1980-05-17", .sex = 'M' });
  g_assert_cmpint (band_for (r, "EB-T-AN"), ==, TP_BAND_NONE);
  g_assert_cmpint (r->verdict, ==, TP_VERDICT_CLEAR);

  /* Identifier only, no name or date: still confirmed */
  g_clear_pointer (&r, tp_screen_result_free);
  r = screen (m, &(QSpec) { .document_number = "C1234567" });
  g_assert_cmpint (band_for (r, "EB-T-AN"), ==, TP_BAND_CONFIRMED);
  g_assert_cmpint (r->verdict, ==, TP_VERDICT_STOP);
}

static void
test_confirmed_national_id_refer (void)
{
  const Spec specs[] = {
    { .id = "WL-T-REF", .list = "watch", .action = "refer_customs", .name = "Trần Thị Bích Ngọc",
      .birth = "1975-02-03", .sex = 'F', .national_id = "079175123456" },
    { .id = "WL-T-SUP", .list = "watch", .agency = "immigration", .action = "refer_supervisor",
      .name = "Lê Quang Vinh", .birth = "1990-10-10", .sex = 'M', .passport = "N7654321" },
  };
  g_autoptr(TpMatcher) m = matcher_with (specs, G_N_ELEMENTS (specs));
  g_autoptr(TpScreenResult) r = NULL;
  const TpHit *hit;

  tp_matcher_build (m);
  /* New passport, the citizen ID in the optional data */
  r = screen (m, &(QSpec) { .document_number = "P1111111", .personal_number = "079175123456",
                            .primary = "TRAN", .secondary = "THI BICH NGOC", .birth = "1975-02-03", .sex = 'F' });
  g_assert_cmpint (r->verdict, ==, TP_VERDICT_REFER);
  hit = hit_for (r, "WL-T-REF");
  g_assert_cmpint (hit->band, ==, TP_BAND_CONFIRMED);
  g_assert_true (hit->matched & TP_MATCH_NATIONAL_ID);
  g_assert_false (hit->matched & TP_MATCH_PASSPORT);
  g_assert_nonnull (strstr (hit->explanation, "National ID 079175123456"));

  g_clear_pointer (&r, tp_screen_result_free);
  r = screen (m, &(QSpec) { .document_number = "N7654321", .primary = "LE", .secondary = "QUANG VINH",
                            .birth = "1990-10-10", .sex = 'M' });
  g_assert_cmpint (r->verdict, ==, TP_VERDICT_REFER);
  g_assert_cmpint (band_for (r, "WL-T-SUP"), ==, TP_BAND_CONFIRMED);
}

static void
test_confirmed_notify_clear (void)
{
  const Spec spec = { .id = "WL-T-NOTE", .list = "watch", .agency = "police", .action = "notify",
                      .name = "Phạm Minh Khôi", .birth = "1985-12-01", .sex = 'M', .passport = "B2222222" };
  g_autoptr(TpMatcher) m = matcher_with (&spec, 1);
  g_autoptr(TpScreenResult) r = NULL;
  const TpHit *hit;

  tp_matcher_build (m);
  r = screen (m, &(QSpec) { .document_number = "B2222222", .primary = "PHAM", .secondary = "MINH KHOI",
                            .birth = "1985-12-01", .sex = 'M' });
  /* Not held, but the hit is there for the notification */
  g_assert_cmpint (r->verdict, ==, TP_VERDICT_CLEAR);
  hit = hit_for (r, "WL-T-NOTE");
  g_assert_nonnull (hit);
  g_assert_cmpint (hit->band, ==, TP_BAND_CONFIRMED);
  g_assert_cmpint (hit->action, ==, TP_ACTION_NOTIFY);

  /* A probable notify hit is reviewed like any other */
  g_clear_pointer (&r, tp_screen_result_free);
  r = screen (m, &(QSpec) { .document_number = "B9999999", .primary = "PHAM", .secondary = "MINH KHOI",
                            .birth = "1985-12-01", .sex = 'M' });
  g_assert_cmpint (band_for (r, "WL-T-NOTE"), ==, TP_BAND_PROBABLE);
  g_assert_cmpint (r->verdict, ==, TP_VERDICT_REVIEW);
}

static void
test_probable_and_possible (void)
{
  const Spec specs[] = {
    AN,
    { .id = "EB-T-MINH", .name = "Nguyễn Văn Minh Hiếu", .birth = "1979-03-08", .sex = 'M' },
  };
  g_autoptr(TpMatcher) m = matcher_with (specs, G_N_ELEMENTS (specs));
  g_autoptr(TpScreenResult) r = NULL;
  const TpHit *hit;

  tp_matcher_build (m);
  /* New passport: name and full date agree, no identifier: probable */
  r = screen (m, &(QSpec) { .document_number = "N9999999", .primary = "NGUYEN", .secondary = "VAN AN",
                            .full_name = "Nguyễn Văn An", .birth = "1980-05-17", .sex = 'M' });
  hit = hit_for (r, "EB-T-AN");
  g_assert_cmpint (hit->band, ==, TP_BAND_PROBABLE);
  g_assert_cmpint (r->verdict, ==, TP_VERDICT_REVIEW);
  g_assert_true (hit->matched & TP_MATCH_NAME);
  g_assert_true (hit->matched & TP_MATCH_BIRTH_DATE);
  g_assert_false (hit->matched & (TP_MATCH_PASSPORT | TP_MATCH_NATIONAL_ID));
  g_assert_cmpfloat (hit->score, >=, 0.6);
  g_assert_cmpfloat (hit->score, <, 0.9);
  g_assert_nonnull (strstr (hit->explanation, "no identifier in common"));

  /* Middle name left out: possible */
  g_clear_pointer (&r, tp_screen_result_free);
  r = screen (m, &(QSpec) { .document_number = "N9999998", .primary = "NGUYEN", .secondary = "VAN HIEU",
                            .birth = "1979-03-08", .sex = 'M' });
  hit = hit_for (r, "EB-T-MINH");
  g_assert_nonnull (hit);
  g_assert_cmpint (hit->band, ==, TP_BAND_POSSIBLE);
  g_assert_cmpint (hit->name_match, ==, TP_NAME_MATCH_FUZZY);
  g_assert_cmpfloat (hit->score, >=, 0.3);
  g_assert_cmpfloat (hit->score, <, 0.6);
  g_assert_nonnull (strstr (hit->explanation, "MINH missing"));
  g_assert_cmpint (r->verdict, ==, TP_VERDICT_REVIEW);

  /* The same name, another date: nothing */
  g_clear_pointer (&r, tp_screen_result_free);
  r = screen (m, &(QSpec) { .primary = "NGUYEN", .secondary = "VAN AN", .birth = "1980-05-18", .sex = 'M' });
  g_assert_cmpint (band_for (r, "EB-T-AN"), ==, TP_BAND_NONE);
}

static void
test_precedence (void)
{
  const Spec specs[] = {
    { .id = "EB-T-P1", .name = "Đỗ Thành Công", .birth = "1970-01-20", .sex = 'M', .passport = "C3000001" },
    { .id = "WL-T-P2", .list = "watch", .action = "refer_customs", .name = "Đỗ Thành Công",
      .birth = "1970-01-20", .sex = 'M', .national_id = "001070000001" },
    { .id = "WL-T-P3", .list = "watch", .action = "notify", .name = "Đỗ Thành Công",
      .birth = "1970-01-20", .sex = 'M', .passport = "C3000003" },
  };
  g_autoptr(TpMatcher) m = matcher_with (specs, G_N_ELEMENTS (specs));
  g_autoptr(TpScreenResult) r = NULL;

  tp_matcher_build (m);
  /* Confirmed deny_exit beside a confirmed referral and a notify: STOP, all listed */
  r = screen (m, &(QSpec) { .document_number = "C3000001", .personal_number = "001070000001",
                            .primary = "DO", .secondary = "THANH CONG", .birth = "1970-01-20", .sex = 'M' });
  g_assert_cmpint (r->verdict, ==, TP_VERDICT_STOP);
  g_assert_cmpint (band_for (r, "EB-T-P1"), ==, TP_BAND_CONFIRMED);
  g_assert_cmpint (band_for (r, "WL-T-P2"), ==, TP_BAND_CONFIRMED);
  g_assert_cmpint (band_for (r, "WL-T-P3"), ==, TP_BAND_PROBABLE);
  /* Ranked: confirmed first */
  g_assert_cmpint (((TpHit *) g_ptr_array_index (r->hits, 0))->band, ==, TP_BAND_CONFIRMED);
  g_assert_cmpint (((TpHit *) g_ptr_array_index (r->hits, r->hits->len - 1))->band, ==, TP_BAND_PROBABLE);

  /* Confirmed referral outranks a probable deny_exit: REFER */
  g_clear_pointer (&r, tp_screen_result_free);
  r = screen (m, &(QSpec) { .document_number = "C9000000", .personal_number = "001070000001",
                            .primary = "DO", .secondary = "THANH CONG", .birth = "1970-01-20", .sex = 'M' });
  g_assert_cmpint (band_for (r, "EB-T-P1"), ==, TP_BAND_PROBABLE);
  g_assert_cmpint (band_for (r, "WL-T-P2"), ==, TP_BAND_CONFIRMED);
  g_assert_cmpint (r->verdict, ==, TP_VERDICT_REFER);

  /* A confirmed notify with probable hits beside it: REVIEW */
  g_clear_pointer (&r, tp_screen_result_free);
  r = screen (m, &(QSpec) { .document_number = "C3000003", .primary = "DO", .secondary = "THANH CONG",
                            .birth = "1970-01-20", .sex = 'M' });
  g_assert_cmpint (band_for (r, "WL-T-P3"), ==, TP_BAND_CONFIRMED);
  g_assert_cmpint (band_for (r, "EB-T-P1"), ==, TP_BAND_PROBABLE);
  g_assert_cmpint (r->verdict, ==, TP_VERDICT_REVIEW);
}

static void
test_identifier_contradicted (void)
{
  g_autoptr(TpMatcher) m = matcher_with (&AN, 1);
  g_autoptr(TpScreenResult) r = NULL;
  const TpHit *hit;

  tp_matcher_build (m);
  /* Birth date differs: downgraded, not STOP */
  r = screen (m, &(QSpec) { .document_number = "C1234567", .primary = "NGUYEN", .secondary = "VAN AN",
                            .birth = "1981-05-17", .sex = 'M' });
  hit = hit_for (r, "EB-T-AN");
  g_assert_cmpint (hit->band, ==, TP_BAND_PROBABLE);
  g_assert_true (hit->conflicts & TP_MATCH_BIRTH_DATE);
  g_assert_true (hit->matched & TP_MATCH_PASSPORT);
  g_assert_cmpint (r->verdict, ==, TP_VERDICT_REVIEW);
  g_assert_nonnull (strstr (hit->explanation, "birth date differs"));

  /* Sex differs and the name too: possible */
  g_clear_pointer (&r, tp_screen_result_free);
  r = screen (m, &(QSpec) { .document_number = "C1234567", .primary = "TRAN", .secondary = "THI MAI",
                            .birth = "1980-05-17", .sex = 'F' });
  hit = hit_for (r, "EB-T-AN");
  g_assert_cmpint (hit->band, ==, TP_BAND_POSSIBLE);
  g_assert_true (hit->conflicts & TP_MATCH_SEX);
  g_assert_true (hit->conflicts & TP_MATCH_NAME);
  g_assert_cmpint (r->verdict, ==, TP_VERDICT_REVIEW);

  /* The passport, but another citizen ID: downgraded */
  g_clear_pointer (&r, tp_screen_result_free);
  r = screen (m, &(QSpec) { .document_number = "C1234567", .personal_number = "001080099999",
                            .primary = "NGUYEN", .secondary = "VAN AN", .birth = "1980-05-17", .sex = 'M' });
  hit = hit_for (r, "EB-T-AN");
  g_assert_cmpint (hit->band, ==, TP_BAND_PROBABLE);
  g_assert_true (hit->conflicts & TP_MATCH_NATIONAL_ID);

  /* Partial date on the document, compatible: still confirmed */
  g_clear_pointer (&r, tp_screen_result_free);
  r = screen (m, &(QSpec) { .document_number = "C1234567", .birth = "1980-05", .sex = 'M' });
  g_assert_cmpint (band_for (r, "EB-T-AN"), ==, TP_BAND_CONFIRMED);
  g_assert_cmpint (r->verdict, ==, TP_VERDICT_STOP);
}

static void
test_national_id_excludes_name_hits (void)
{
  g_autoptr(TpMatcher) m = matcher_with (&AN, 1);
  g_autoptr(TpScreenResult) r = NULL;

  tp_matcher_build (m);
  /* Same name and date, but a different lifetime citizen ID: another person */
  r = screen (m, &(QSpec) { .document_number = "N5555555", .personal_number = "031080777777",
                            .primary = "NGUYEN", .secondary = "VAN AN", .birth = "1980-05-17", .sex = 'M' });
  g_assert_cmpint (band_for (r, "EB-T-AN"), ==, TP_BAND_NONE);
  /* Without the ID on the document: probable */
  g_clear_pointer (&r, tp_screen_result_free);
  r = screen (m, &(QSpec) { .document_number = "N5555555", .primary = "NGUYEN", .secondary = "VAN AN",
                            .birth = "1980-05-17", .sex = 'M' });
  g_assert_cmpint (band_for (r, "EB-T-AN"), ==, TP_BAND_PROBABLE);
}

/* Life cycle ---------------------------------------------------------------- */

static void
test_lifecycle (void)
{
  const Spec imposed = { .id = "EB-T-LIFE", .name = "Bùi Thị Hồng Nhung", .birth = "1992-07-07", .sex = 'F',
                         .passport = "C4444444", .from = "2026-01-16", .until = "2026-07-16" };
  Spec extended = imposed, cancelled = imposed;
  const QSpec q = { .document_number = "C4444444", .primary = "BUI", .secondary = "THI HONG NHUNG",
                    .birth = "1992-07-07", .sex = 'F' };
  g_autoptr(TpMatcher) m1 = matcher_with (&imposed, 1);
  g_autoptr(TpMatcher) m2 = NULL;
  g_autoptr(TpMatcher) m3 = NULL;
  TpMatcherStats stats;
  TpScreenResult *r;

  tp_matcher_build (m1);
  r = screen_at (m1, &q, "2026-01-15", NOW);   /* not yet */
  g_assert_cmpint (r->verdict, ==, TP_VERDICT_CLEAR);
  tp_screen_result_free (r);
  r = screen_at (m1, &q, "2026-01-16", NOW);   /* first day */
  g_assert_cmpint (r->verdict, ==, TP_VERDICT_STOP);
  tp_screen_result_free (r);
  r = screen_at (m1, &q, "2026-07-16", NOW);   /* last day */
  g_assert_cmpint (r->verdict, ==, TP_VERDICT_STOP);
  tp_screen_result_free (r);
  r = screen_at (m1, &q, "2026-07-17", NOW);   /* expired */
  g_assert_cmpint (r->verdict, ==, TP_VERDICT_CLEAR);
  g_assert_cmpuint (r->hits->len, ==, 0);
  tp_screen_result_free (r);

  /* Extended: version 2 acts until the new end */
  extended.version = 2;
  extended.until = "2027-01-16";
  m2 = matcher_with (&extended, 1);
  tp_matcher_build (m2);
  r = screen_at (m2, &q, "2026-09-01", NOW);
  g_assert_cmpint (r->verdict, ==, TP_VERDICT_STOP);
  g_assert_cmpuint (((TpHit *) g_ptr_array_index (r->hits, 0))->entry_version, ==, 2);
  tp_screen_result_free (r);

  /* Cancelled: never acts again, by identifier or by name */
  cancelled.version = 3;
  cancelled.status = "cancelled";
  m3 = matcher_with (&cancelled, 1);
  tp_matcher_build (m3);
  tp_matcher_get_stats (m3, &stats);
  g_assert_cmpuint (stats.n_cancelled, >=, 1);
  r = screen_at (m3, &q, "2026-05-01", NOW);
  g_assert_null (hit_for (r, "EB-T-LIFE"));
  g_assert_cmpint (r->verdict, ==, TP_VERDICT_CLEAR);
  tp_screen_result_free (r);
}

/* Clearances ------------------------------------------------------------------ */

static void
test_clearance (void)
{
  const Spec spec = { .id = "EB-T-CLR", .version = 2, .name = "Ngô Bảo Châu", .birth = "1972-06-28",
                      .sex = 'M' };
  const QSpec q = { .document_number = "C5555555", .primary = "NGO", .secondary = "BAO CHAU",
                    .birth = "1972-06-28", .sex = 'M' };
  const QSpec other = { .document_number = "C6666666", .primary = "NGO", .secondary = "BAO CHAU",
                        .birth = "1972-06-28", .sex = 'M' };
  g_autoptr(TpMatcher) m = matcher_with (&spec, 1);
  TpScreenResult *r;

  tp_matcher_add_clearance (m, "VNM:C5555555", "EB-T-CLR", 2, NOW + 86400);   /* until tomorrow */
  tp_matcher_add_clearance (m, "VNM:C6666666", "EB-T-CLR", 1, 0);             /* an older version */
  tp_matcher_build (m);

  r = screen (m, &q);
  g_assert_cmpint (r->verdict, ==, TP_VERDICT_CLEAR);
  g_assert_null (hit_for (r, "EB-T-CLR"));
  g_assert_cmpuint (r->suppressed->len, ==, 1);
  g_assert_cmpstr (((TpHit *) g_ptr_array_index (r->suppressed, 0))->entry_id, ==, "EB-T-CLR");
  tp_screen_result_free (r);

  /* Expired clearance: the hit is back */
  r = screen_at (m, &q, "2026-05-03", NOW + 2 * 86400);
  g_assert_cmpint (band_for (r, "EB-T-CLR"), ==, TP_BAND_PROBABLE);
  g_assert_cmpint (r->verdict, ==, TP_VERDICT_REVIEW);
  tp_screen_result_free (r);

  /* Cleared for version 1 only: version 2 hits */
  r = screen (m, &other);
  g_assert_cmpint (band_for (r, "EB-T-CLR"), ==, TP_BAND_PROBABLE);
  g_assert_cmpuint (r->suppressed->len, ==, 0);
  tp_screen_result_free (r);
}

/* Vietnamese names ------------------------------------------------------------- */

static void
test_names_accents (void)
{
  const Spec specs[] = {
    { .id = "EB-T-HUNG", .name = "Phạm Văn Hùng", .birth = "1983-04-30", .sex = 'M' },
    { .id = "EB-T-DUC", .name = "Đặng Văn Đức", .birth = "1966-09-02", .sex = 'M' },
  };
  g_autoptr(TpMatcher) m = matcher_with (specs, G_N_ELEMENTS (specs));
  TpScreenResult *r;

  tp_matcher_build (m);
  /* Both with diacritics: Hưng is not Hùng */
  r = screen (m, &(QSpec) { .primary = "PHAM", .secondary = "VAN HUNG", .full_name = "Phạm Văn Hưng",
                            .birth = "1983-04-30", .sex = 'M' });
  g_assert_cmpint (band_for (r, "EB-T-HUNG"), ==, TP_BAND_NONE);
  tp_screen_result_free (r);
  /* Same accents */
  r = screen (m, &(QSpec) { .primary = "PHAM", .secondary = "VAN HUNG", .full_name = "Phạm Văn Hùng",
                            .birth = "1983-04-30", .sex = 'M' });
  g_assert_cmpint (band_for (r, "EB-T-HUNG"), ==, TP_BAND_PROBABLE);
  tp_screen_result_free (r);
  /* MRZ only (no accents): HUNG may be either */
  r = screen (m, &(QSpec) { .primary = "PHAM", .secondary = "VAN HUNG", .birth = "1983-04-30", .sex = 'M' });
  g_assert_cmpint (band_for (r, "EB-T-HUNG"), ==, TP_BAND_PROBABLE);
  tp_screen_result_free (r);
  /* Đ folds to D */
  r = screen (m, &(QSpec) { .primary = "DANG", .secondary = "VAN DUC", .birth = "1966-09-02", .sex = 'M' });
  g_assert_cmpint (band_for (r, "EB-T-DUC"), ==, TP_BAND_PROBABLE);
  tp_screen_result_free (r);
  r = screen (m, &(QSpec) { .full_name = "ĐẶNG VĂN ĐỨC", .birth = "1966-09-02", .sex = 'M' });
  g_assert_cmpint (band_for (r, "EB-T-DUC"), ==, TP_BAND_PROBABLE);
  tp_screen_result_free (r);
}

static void
test_names_order_middle_truncation (void)
{
  const Spec specs[] = {
    { .id = "EB-T-ORD", .name = "Hoàng Thị Thu Trang", .birth = "1995-11-11", .sex = 'F' },
    { .id = "EB-T-LONG", .name = "María de Guadalupe Hernández Valenzuela", .birth = "1969-03-03",
      .sex = 'F', .nationality = "ESP" },
  };
  g_autoptr(TpMatcher) m = matcher_with (specs, G_N_ELEMENTS (specs));
  TpScreenResult *r;
  g_autofree char *mrz = NULL;

  tp_matcher_build (m);
  /* Fields swapped by a clerk */
  r = screen (m, &(QSpec) { .primary = "THI THU TRANG", .secondary = "HOANG", .birth = "1995-11-11", .sex = 'F' });
  g_assert_cmpint (band_for (r, "EB-T-ORD"), ==, TP_BAND_PROBABLE);
  tp_screen_result_free (r);
  /* Given names first */
  r = screen (m, &(QSpec) { .full_name = "Trang Thu Thị Hoàng", .birth = "1995-11-11", .sex = 'F' });
  g_assert_cmpint (band_for (r, "EB-T-ORD"), ==, TP_BAND_PROBABLE);
  g_assert_nonnull (strstr (hit_for (r, "EB-T-ORD")->explanation, "another order"));
  tp_screen_result_free (r);
  /* A middle name missing, on either side */
  r = screen (m, &(QSpec) { .primary = "HOANG", .secondary = "THI TRANG", .birth = "1995-11-11", .sex = 'F' });
  g_assert_cmpint (band_for (r, "EB-T-ORD"), ==, TP_BAND_POSSIBLE);
  tp_screen_result_free (r);
  r = screen (m, &(QSpec) { .primary = "HOANG", .secondary = "THI THU NGOC TRANG", .birth = "1995-11-11", .sex = 'F' });
  g_assert_cmpint (band_for (r, "EB-T-ORD"), ==, TP_BAND_POSSIBLE);
  tp_screen_result_free (r);
  /* But not the given name */
  r = screen (m, &(QSpec) { .primary = "HOANG", .secondary = "THI THU", .birth = "1995-11-11", .sex = 'F' });
  g_assert_cmpint (band_for (r, "EB-T-ORD"), ==, TP_BAND_NONE);
  tp_screen_result_free (r);

  /* MRZ truncation: HERNANDEZ<VALENZUELA<<MARIA<DE<GUADALUPE is 40 long, cut at 39 */
  mrz = tp_name_to_mrz ("HERNANDEZ VALENZUELA", "MARIA DE GUADALUPE");
  g_assert_cmpuint (strlen (mrz), ==, 40);
  r = screen (m, &(QSpec) { .primary = "HERNANDEZ VALENZUELA", .secondary = "MARIA DE GUADALUP",
                            .nationality = "ESP", .birth = "1969-03-03", .sex = 'F' });
  g_assert_cmpint (band_for (r, "EB-T-LONG"), ==, TP_BAND_PROBABLE);
  tp_screen_result_free (r);
  /* The same prefix without reaching the field end is not a truncation */
  r = screen (m, &(QSpec) { .primary = "HERNANDEZ", .secondary = "MARIA DE GUADALU",
                            .nationality = "ESP", .birth = "1969-03-03", .sex = 'F' });
  g_assert_cmpint (band_for (r, "EB-T-LONG"), ==, TP_BAND_NONE);
  tp_screen_result_free (r);
}

static void
test_names_typos_and_variants (void)
{
  const Spec specs[] = {
    { .id = "EB-T-TYPO", .name = "Nguyễn Văn Trường", .birth = "1977-08-19", .sex = 'M' },
    { .id = "EB-T-SHORT", .name = "Lê Văn An", .birth = "1988-01-09", .sex = 'M' },
    { .id = "EB-T-VU", .name = "Vũ Thị Lan", .birth = "1963-12-24", .sex = 'F' },
    { .id = "EB-T-HOANG", .name = "Hoàng Đình Phước", .birth = "1958-05-05", .sex = 'M' },
    { .id = "EB-T-THANG", .name = "Phạm Quốc Thắng", .birth = "1979-10-10", .sex = 'M' },
    { .id = "EB-T-KHUONG", .name = "Trần Quốc Khương", .birth = "1982-04-14", .sex = 'M' },
  };
  g_autoptr(TpMatcher) m = matcher_with (specs, G_N_ELEMENTS (specs));
  TpScreenResult *r;
  const TpHit *hit;

  tp_matcher_build (m);
  /* One letter off in a long token: possible */
  r = screen (m, &(QSpec) { .primary = "NGUYEN", .secondary = "VAN TRUONF", .birth = "1977-08-19", .sex = 'M' });
  hit = hit_for (r, "EB-T-TYPO");
  g_assert_nonnull (hit);
  g_assert_cmpint (hit->band, ==, TP_BAND_POSSIBLE);
  g_assert_nonnull (strstr (hit->explanation, "one letter apart"));
  tp_screen_result_free (r);
  r = screen (m, &(QSpec) { .primary = "NGUYEN", .secondary = "VAN TRUONG", .full_name = "Nguyễn Văn Trườmg",
                            .birth = "1977-08-19", .sex = 'M' });
  g_assert_cmpint (band_for (r, "EB-T-TYPO"), ==, TP_BAND_POSSIBLE);
  tp_screen_result_free (r);
  /* Short tokens get no typo tolerance, AN is not AM, unless the family
   * name, the full birth date and the sex are the same: then a slip in a
   * given or middle name is possible */
  r = screen (m, &(QSpec) { .primary = "LE", .secondary = "VAN AM", .birth = "1988-01-09", .sex = 'M' });
  hit = hit_for (r, "EB-T-SHORT");
  g_assert_nonnull (hit);
  g_assert_cmpint (hit->band, ==, TP_BAND_POSSIBLE);
  g_assert_nonnull (strstr (hit->explanation, "AM/AN one letter apart, family name and birth date the same"));
  tp_screen_result_free (r);
  r = screen (m, &(QSpec) { .primary = "LE", .secondary = "VAN AM", .birth = "1988-01-10", .sex = 'M' });
  g_assert_cmpint (band_for (r, "EB-T-SHORT"), ==, TP_BAND_NONE);
  tp_screen_result_free (r);
  r = screen (m, &(QSpec) { .primary = "LE", .secondary = "VAN AM", .birth = "1988-01", .sex = 'M' });
  g_assert_cmpint (band_for (r, "EB-T-SHORT"), ==, TP_BAND_NONE);
  tp_screen_result_free (r);
  r = screen (m, &(QSpec) { .primary = "LE", .secondary = "VAN AM", .birth = "1988-01-09", .sex = 'X' });
  g_assert_cmpint (band_for (r, "EB-T-SHORT"), ==, TP_BAND_NONE);
  tp_screen_result_free (r);
  /* ... never in the family name, and one slip only */
  r = screen (m, &(QSpec) { .primary = "LI", .secondary = "VAN AN", .birth = "1988-01-09", .sex = 'M' });
  g_assert_cmpint (band_for (r, "EB-T-SHORT"), ==, TP_BAND_NONE);
  tp_screen_result_free (r);
  r = screen (m, &(QSpec) { .primary = "LE", .secondary = "VN AM", .birth = "1988-01-09", .sex = 'M' });
  g_assert_cmpint (band_for (r, "EB-T-SHORT"), ==, TP_BAND_NONE);
  tp_screen_result_free (r);
  /* A letter lost from a middle name and from a given name (the full
   * name only, family name first) */
  r = screen (m, &(QSpec) { .primary = "LE", .secondary = "VN AN", .birth = "1988-01-09", .sex = 'M' });
  g_assert_cmpint (band_for (r, "EB-T-SHORT"), ==, TP_BAND_POSSIBLE);
  tp_screen_result_free (r);
  r = screen (m, &(QSpec) { .full_name = "Nguyễn Văn Trờng", .birth = "1977-08-19", .sex = 'M' });
  g_assert_cmpint (band_for (r, "EB-T-TYPO"), ==, TP_BAND_POSSIBLE);
  tp_screen_result_free (r);
  /* Surname variants from the data: Vũ/Võ folded, Hoàng/Huỳnh accented */
  r = screen (m, &(QSpec) { .primary = "VO", .secondary = "THI LAN", .birth = "1963-12-24", .sex = 'F' });
  hit = hit_for (r, "EB-T-VU");
  g_assert_nonnull (hit);
  g_assert_cmpint (hit->band, ==, TP_BAND_POSSIBLE);
  g_assert_nonnull (strstr (hit->explanation, "variants"));
  tp_screen_result_free (r);
  r = screen (m, &(QSpec) { .full_name = "Huỳnh Đình Phước", .birth = "1958-05-05", .sex = 'M' });
  g_assert_cmpint (band_for (r, "EB-T-HOANG"), ==, TP_BAND_POSSIBLE);
  tp_screen_result_free (r);
  /* THANH and THANG are both common given names: one letter apart they are
   * two names, not a slip. THAGN is no name: a slip. */
  r = screen (m, &(QSpec) { .primary = "PHAM", .secondary = "QUOC THANH", .birth = "1979-10-10", .sex = 'M' });
  g_assert_cmpint (band_for (r, "EB-T-THANG"), ==, TP_BAND_NONE);
  tp_screen_result_free (r);
  r = screen (m, &(QSpec) { .primary = "PHAM", .secondary = "QUOC THAGN", .birth = "1979-10-10", .sex = 'M' });
  g_assert_cmpint (band_for (r, "EB-T-THANG"), ==, TP_BAND_POSSIBLE);
  tp_screen_result_free (r);
  /* One difference is tolerated; a second one (a middle name missing as
   * well as the slip) costs evidence that a common family name and one
   * given name do not have. */
  r = screen (m, &(QSpec) { .primary = "TRAN", .secondary = "QUOC KHUONF", .birth = "1982-04-14", .sex = 'M' });
  g_assert_cmpint (band_for (r, "EB-T-KHUONG"), ==, TP_BAND_POSSIBLE);
  tp_screen_result_free (r);
  r = screen (m, &(QSpec) { .primary = "TRAN", .secondary = "KHUONG", .birth = "1982-04-14", .sex = 'M' });
  g_assert_cmpint (band_for (r, "EB-T-KHUONG"), ==, TP_BAND_POSSIBLE);
  tp_screen_result_free (r);
  r = screen (m, &(QSpec) { .primary = "TRAN", .secondary = "KHUONF", .birth = "1982-04-14", .sex = 'M' });
  g_assert_cmpint (band_for (r, "EB-T-KHUONG"), ==, TP_BAND_NONE);
  tp_screen_result_free (r);
}

/* A slip that makes another name: its evidence is how rare that name is
 * for that sex in that place, less the prior of the slip. A letter lost
 * from a digraph (OANH → OAN) is a common slip and is taken; a letter
 * lost elsewhere (TOAN → OAN) is rarer and is not, when OAN is a name a
 * few hundred women of the list have; a keyboard or OCR neighbour or a
 * swap lies between. */
static void
test_names_slip_cost (void)
{
  g_autoptr(GPtrArray) specs = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(TpMatcher) m = NULL;
  TpScreenResult *r;
  const TpHit *hit;
  /* OAN a name a few hundred women of the list have, UAN one a few dozen */
  for (guint i = 0; i < 180 + 60; i++)
    {
      Spec *spec = g_new0 (Spec, 1);

      spec->id = "EB-T-FILLER";
      spec->name = i < 180 ? "Lò Thị Oan" : "Lò Thị Uan";
      spec->birth = i % 2 ? "1950-02-02" : "1951-03-03";
      spec->sex = 'F';
      spec->passport = "C7100000";
      g_ptr_array_add (specs, spec);
    }
  {
    const Spec more[] = {
      { .id = "EB-T-OANH", .name = "Nguyễn Thị Oanh", .birth = "1970-01-02", .sex = 'F', .passport = "C7100001" },
      { .id = "EB-T-TOAN", .name = "Nguyễn Thị Toan", .birth = "1970-01-02", .sex = 'F', .passport = "C7100002" },
      { .id = "EB-T-UAM", .name = "Nguyễn Thị Uam", .birth = "1971-01-02", .sex = 'F', .passport = "C7100003" },
      { .id = "EB-T-AUN", .name = "Nguyễn Thị Aun", .birth = "1971-01-02", .sex = 'F', .passport = "C7100004" },
      { .id = "EB-T-UAT", .name = "Nguyễn Thị Uat", .birth = "1971-01-02", .sex = 'F', .passport = "C7100005" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (more); i++)
      g_ptr_array_add (specs, g_memdup2 (&more[i], sizeof more[i]));
  }
  m = tp_matcher_new ();
  for (guint i = 0; i < background->len; i++)
    tp_matcher_add_entry (m, g_ptr_array_index (background, i));
  for (guint i = 0; i < specs->len; i++)
    {
      g_autoptr(TpEntry) e = entry_from_spec (g_ptr_array_index (specs, i));

      tp_matcher_add_entry (m, e);
    }
  tp_matcher_build (m);

  r = screen (m, &(QSpec) { .primary = "NGUYEN", .secondary = "THI OAN", .birth = "1970-01-02", .sex = 'F' });
  hit = hit_for (r, "EB-T-OANH");
  g_assert_nonnull (hit);
  g_assert_cmpint (hit->band, ==, TP_BAND_POSSIBLE);
  g_assert_cmpint (band_for (r, "EB-T-TOAN"), ==, TP_BAND_NONE);
  tp_screen_result_free (r);
  /* The exact name weighs more than the slip */
  r = screen (m, &(QSpec) { .primary = "NGUYEN", .secondary = "THI OANH", .birth = "1970-01-02", .sex = 'F' });
  g_assert_cmpint (band_for (r, "EB-T-OANH"), ==, TP_BAND_PROBABLE);
  tp_screen_result_free (r);
  /* A slip that makes no name at all is taken either way */
  r = screen (m, &(QSpec) { .primary = "NGUYEN", .secondary = "THI TOAM", .birth = "1970-01-02", .sex = 'F' });
  g_assert_cmpint (band_for (r, "EB-T-TOAN"), ==, TP_BAND_POSSIBLE);
  tp_screen_result_free (r);
  r = screen (m, &(QSpec) { .primary = "NGUYEN", .secondary = "THI TAON", .birth = "1970-01-02", .sex = 'F' });
  g_assert_cmpint (band_for (r, "EB-T-TOAN"), ==, TP_BAND_POSSIBLE);
  tp_screen_result_free (r);
  /* Between the two: a keyboard or OCR neighbour (M/N) and two letters
   * swapped cost less than any other letter replaced (T/N), for UAN */
  r = screen (m, &(QSpec) { .primary = "NGUYEN", .secondary = "THI UAN", .birth = "1971-01-02", .sex = 'F' });
  g_assert_cmpint (band_for (r, "EB-T-UAM"), ==, TP_BAND_POSSIBLE);
  g_assert_cmpint (band_for (r, "EB-T-AUN"), ==, TP_BAND_POSSIBLE);
  g_assert_cmpint (band_for (r, "EB-T-UAT"), ==, TP_BAND_NONE);
  tp_screen_result_free (r);
}

static void
test_names_weight (void)
{
  const Spec specs[] = {
    { .id = "EB-T-NGUYEN", .name = "Nguyễn", .birth = "1990-02-02", .sex = 'M' },
    { .id = "EB-T-NV", .name = "Nguyễn Văn", .birth = "1990-02-02", .sex = 'M' },
    { .id = "EB-T-NVH", .name = "Nguyễn Văn Hùng", .birth = "1990-02-02", .sex = 'M' },
    { .id = "EB-T-RARE", .name = "Quách Tuệ", .birth = "1961-06-15", .sex = 'M' },
  };
  g_autoptr(TpMatcher) m = matcher_with (specs, G_N_ELEMENTS (specs));
  TpScreenResult *r;
  const TpHit *hit;

  tp_matcher_build (m);
  /* NGUYEN alone, same date: never even possible */
  r = screen (m, &(QSpec) { .primary = "NGUYEN", .birth = "1990-02-02", .sex = 'M' });
  g_assert_cmpint (band_for (r, "EB-T-NGUYEN"), ==, TP_BAND_NONE);
  g_assert_cmpint (r->verdict, ==, TP_VERDICT_CLEAR);
  tp_screen_result_free (r);
  /* Rarity is counted in place: VĂN is a third of middle names but almost
   * never a given name, so a record whose name ends in VĂN is rare, and a
   * full name on the full date is probable. */
  r = screen (m, &(QSpec) { .primary = "NGUYEN", .secondary = "VAN", .birth = "1990-02-02", .sex = 'M' });
  hit = hit_for (r, "EB-T-NV");
  g_assert_nonnull (hit);
  g_assert_cmpint (hit->band, ==, TP_BAND_PROBABLE);
  g_assert_cmpfloat (hit->name_weight, >, TP_MATCHER_MIN_NAME_WEIGHT + 2.0);
  tp_screen_result_free (r);
  /* The same two tokens with VĂN in its usual place and a common given
   * name missing: the family name and a middle name never make a name. */
  r = screen (m, &(QSpec) { .primary = "NGUYEN", .secondary = "VAN", .birth = "1990-02-02", .sex = 'M' });
  g_assert_cmpint (band_for (r, "EB-T-NVH"), ==, TP_BAND_NONE);
  tp_screen_result_free (r);
  /* A rare two-token name does reach probable */
  r = screen (m, &(QSpec) { .primary = "QUACH", .secondary = "TUE", .birth = "1961-06-15", .sex = 'M' });
  g_assert_cmpint (band_for (r, "EB-T-RARE"), ==, TP_BAND_PROBABLE);
  tp_screen_result_free (r);
}

/* Since 1 July 2025 an individual's tax identification number in Vietnam
 * is the 12-digit personal identification number: an exit ban for tax debt
 * that knows the person only by it is enforced like one on the national
 * ID. 10- and 13-digit tax codes (enterprises, the old scheme) are not a
 * person's number. */
static void
test_tax_code (void)
{
  const Spec specs[] = {
    { .id = "EB-T-TAX12", .agency = "tax", .name = "Đỗ Minh Quân", .birth = "1985-03-03", .sex = 'M',
      .tax_code = "001085012345" },
    { .id = "EB-T-TAX10", .agency = "tax", .name = "Lương Thế Vinh", .birth = "1972-08-08", .sex = 'M',
      .tax_code = "0101234567" },
    { .id = "EB-T-TAX13", .agency = "tax", .name = "Đào Duy Từ", .birth = "1968-11-11", .sex = 'M',
      .tax_code = "0101234567001" },
  };
  g_autoptr(TpMatcher) m = matcher_with (specs, G_N_ELEMENTS (specs));
  TpScreenResult *r;
  const TpHit *hit;

  tp_matcher_build (m);
  /* The citizen ID on the passport is the tax code: confirmed, STOP */
  r = screen (m, &(QSpec) { .document_number = "P1111111", .personal_number = "001085012345",
                            .primary = "DO", .secondary = "MINH QUAN", .birth = "1985-03-03", .sex = 'M' });
  hit = hit_for (r, "EB-T-TAX12");
  g_assert_nonnull (hit);
  g_assert_cmpint (hit->band, ==, TP_BAND_CONFIRMED);
  g_assert_true (hit->matched & TP_MATCH_NATIONAL_ID);
  g_assert_cmpint (r->verdict, ==, TP_VERDICT_STOP);
  tp_screen_result_free (r);
  /* The number alone */
  r = screen (m, &(QSpec) { .personal_number = "001085012345" });
  g_assert_cmpint (band_for (r, "EB-T-TAX12"), ==, TP_BAND_CONFIRMED);
  tp_screen_result_free (r);
  /* Another 12-digit number is another person, as for a national ID: the
   * name and date alone do not hit */
  r = screen (m, &(QSpec) { .personal_number = "001085099999", .primary = "DO", .secondary = "MINH QUAN",
                            .birth = "1985-03-03", .sex = 'M' });
  g_assert_cmpint (band_for (r, "EB-T-TAX12"), ==, TP_BAND_NONE);
  tp_screen_result_free (r);
  /* An enterprise-era code is not the person's number: the entry is known
   * by name only (so the full name on its date hits), and a traveller's
   * personal number never matches or contradicts it */
  r = screen (m, &(QSpec) { .personal_number = "0101234567" });
  g_assert_cmpint (band_for (r, "EB-T-TAX10"), ==, TP_BAND_NONE);
  tp_screen_result_free (r);
  r = screen (m, &(QSpec) { .personal_number = "001072099999", .primary = "LUONG", .secondary = "THE VINH",
                            .birth = "1972-08-08", .sex = 'M' });
  g_assert_cmpint (band_for (r, "EB-T-TAX10"), ==, TP_BAND_PROBABLE);
  tp_screen_result_free (r);
  r = screen (m, &(QSpec) { .primary = "DAO", .secondary = "DUY TU", .birth = "1968-11-11", .sex = 'M' });
  g_assert_cmpint (band_for (r, "EB-T-TAX13"), ==, TP_BAND_PROBABLE);
  tp_screen_result_free (r);
}

/* Korean given names written in one piece, with a hyphen or apart are one
 * name: MINJUN, MIN-JUN, MIN JUN */
static void
test_names_written_apart (void)
{
  const Spec specs[] = {
    { .id = "EB-T-KR1", .name = "Kim Min-jun", .birth = "1991-04-04", .sex = 'M', .nationality = "KOR" },
    { .id = "EB-T-KR2", .name = "Park Seoyeon", .birth = "1993-09-09", .sex = 'F', .nationality = "KOR" },
  };
  g_autoptr(TpMatcher) m = matcher_with (specs, G_N_ELEMENTS (specs));
  const char *const written[] = { "MINJUN", "MIN JUN", "MIN-JUN" };
  TpScreenResult *r;

  tp_matcher_build (m);
  for (guint i = 0; i < G_N_ELEMENTS (written); i++)
    {
      const TpHit *hit;

      r = screen (m, &(QSpec) { .nationality = "KOR", .primary = "KIM", .secondary = written[i],
                                .birth = "1991-04-04", .sex = 'M' });
      hit = hit_for (r, "EB-T-KR1");
      g_assert_nonnull (hit);
      g_assert_cmpint (hit->band, ==, TP_BAND_PROBABLE);
      g_assert_cmpint (hit->name_match, ==, TP_NAME_MATCH_FULL);
      tp_screen_result_free (r);
    }
  r = screen (m, &(QSpec) { .nationality = "KOR", .primary = "PARK", .secondary = "SEO YEON",
                            .birth = "1993-09-09", .sex = 'F' });
  g_assert_cmpint (band_for (r, "EB-T-KR2"), ==, TP_BAND_PROBABLE);
  tp_screen_result_free (r);
  r = screen (m, &(QSpec) { .nationality = "KOR", .full_name = "Park Seo-yeon",
                            .birth = "1993-09-09", .sex = 'F' });
  g_assert_cmpint (band_for (r, "EB-T-KR2"), ==, TP_BAND_PROBABLE);
  tp_screen_result_free (r);
  /* Halves that do not make the name are not it */
  r = screen (m, &(QSpec) { .nationality = "KOR", .primary = "KIM", .secondary = "MIN SEO",
                            .birth = "1991-04-04", .sex = 'M' });
  g_assert_cmpint (band_for (r, "EB-T-KR1"), !=, TP_BAND_PROBABLE);
  tp_screen_result_free (r);
}

/* No entry may be silently unenforceable: a traveller presenting an
 * entry's own data hits it, or the self-check names it */
static void
test_self_check (void)
{
  const Spec specs[] = {
    /* the old paper record: common name, birth year, nothing else */
    { .id = "EB-T-SC-PAPER", .name = "Nguyễn Thị Hương", .birth = "1984", .sex = 'F' },
    { .id = "EB-T-SC-MONTH", .name = "Trần Văn Nam", .birth = "1979-06", .sex = 'M' },
    { .id = "EB-T-SC-PASS", .name = "Lê Văn Tám", .birth = "1970", .sex = 'M', .passport = "B7777777" },
    { .id = "EB-T-SC-TAX", .name = "Phạm Văn Đồng", .sex = 'M', .tax_code = "001080077777" },
    /* a name and nothing to place it in time: the self-check names it */
    { .id = "EB-T-SC-NODATE", .name = "Nguyễn Văn Hùng", .sex = 'M' },
  };
  g_autoptr(TpMatcher) m = matcher_with (specs, G_N_ELEMENTS (specs));
  TpScreenOptions options;
  GDate d;

  tp_matcher_build (m);
  set_date (&d, "2026-05-01");
  tp_screen_options_init (&options, &d, NOW);
  for (guint i = 0; i < G_N_ELEMENTS (specs); i++)
    {
      g_autoptr(TpEntry) e = entry_from_spec (&specs[i]);
      g_autoptr(TpQuery) q = tp_query_new_for_entry (e);
      gboolean expected = !g_str_equal (specs[i].id, "EB-T-SC-NODATE");

      g_assert_cmpstr (q->id, ==, specs[i].id);
      g_assert_cmpstr (q->full_name, ==, specs[i].name);
      if (e->birth_date.year != 0)
        g_assert_cmpuint (q->birth_date.day, !=, 0);
      if (!tp_matcher_hits_own_data (m, e, &options) != !expected)
        g_error ("%s: own data %s", specs[i].id, expected ? "not hit" : "hit");
    }
  /* The query carries the entry's documents */
  {
    g_autoptr(TpEntry) e = entry_from_spec (&specs[2]);
    g_autoptr(TpQuery) q = tp_query_new_for_entry (e);
    g_autoptr(TpEntry) t = entry_from_spec (&specs[3]);
    g_autoptr(TpQuery) qt = tp_query_new_for_entry (t);

    g_assert_cmpstr (q->document_number, ==, "B7777777");
    g_assert_cmpstr (q->issuing_state, ==, "VNM");
    g_assert_cmpuint (q->birth_date.month, ==, 7);
    g_assert_cmpstr (qt->personal_number, ==, "001080077777");
  }
}

/* Birth dates and sex -------------------------------------------------------------- */

static void
test_partial_birth_dates (void)
{
  const Spec specs[] = {
    { .id = "EB-T-YM", .name = "Quách Tuệ Mẫn", .birth = "1980-05", .sex = 'M' },
    { .id = "EB-T-Y", .name = "Khổng Diệu Thêu", .birth = "1954", .sex = 'F' },
    { .id = "EB-T-COMMON", .name = "Nguyễn Thị Hương", .birth = "1984", .sex = 'F', .passport = "C7070707" },
    /* An old paper record: name and birth year, no identifier */
    { .id = "EB-T-PAPER", .name = "Trần Thị Hương", .birth = "1984", .sex = 'F' },
  };
  g_autoptr(TpMatcher) m = matcher_with (specs, G_N_ELEMENTS (specs));
  TpScreenResult *r;

  tp_matcher_build (m);
  /* Year-month on the list, full date on the document: compatible */
  r = screen (m, &(QSpec) { .primary = "QUACH", .secondary = "TUE MAN", .birth = "1980-05-17", .sex = 'M' });
  g_assert_cmpint (band_for (r, "EB-T-YM"), ==, TP_BAND_POSSIBLE);
  g_assert_true (hit_for (r, "EB-T-YM")->matched & TP_MATCH_BIRTH_DATE);
  tp_screen_result_free (r);
  r = screen (m, &(QSpec) { .primary = "QUACH", .secondary = "TUE MAN", .birth = "1980-06-17", .sex = 'M' });
  g_assert_cmpint (band_for (r, "EB-T-YM"), ==, TP_BAND_NONE);
  tp_screen_result_free (r);
  /* Year only, rare name */
  r = screen (m, &(QSpec) { .primary = "KHONG", .secondary = "DIEU THEU", .birth = "1954-10-01", .sex = 'F' });
  g_assert_cmpint (band_for (r, "EB-T-Y"), ==, TP_BAND_POSSIBLE);
  tp_screen_result_free (r);
  r = screen (m, &(QSpec) { .primary = "KHONG", .secondary = "DIEU THEU", .birth = "1955-10-01", .sex = 'F' });
  g_assert_cmpint (band_for (r, "EB-T-Y"), ==, TP_BAND_NONE);
  tp_screen_result_free (r);
  /* Year only, a name thousands share: not enough */
  r = screen (m, &(QSpec) { .primary = "NGUYEN", .secondary = "THI HUONG", .birth = "1984-03-03", .sex = 'F' });
  g_assert_cmpint (band_for (r, "EB-T-COMMON"), ==, TP_BAND_NONE);
  tp_screen_result_free (r);
  /* Partial date on the document: a rare name still hits, a common one not */
  r = screen (m, &(QSpec) { .primary = "KHONG", .secondary = "DIEU THEU", .birth = "1954", .sex = 'F' });
  g_assert_cmpint (band_for (r, "EB-T-Y"), ==, TP_BAND_POSSIBLE);
  tp_screen_result_free (r);
  r = screen (m, &(QSpec) { .primary = "NGUYEN", .secondary = "THI HUONG", .birth = "1984", .sex = 'F' });
  g_assert_cmpint (band_for (r, "EB-T-COMMON"), ==, TP_BAND_NONE);
  tp_screen_result_free (r);
  /* ... unless the entry has no identifier: then the name is all it can be
   * enforced by, and the full name born in its year is possible */
  r = screen (m, &(QSpec) { .primary = "TRAN", .secondary = "THI HUONG", .birth = "1984-03-03", .sex = 'F' });
  g_assert_cmpint (band_for (r, "EB-T-PAPER"), ==, TP_BAND_POSSIBLE);
  g_assert_cmpint (r->verdict, ==, TP_VERDICT_REVIEW);
  tp_screen_result_free (r);
  r = screen (m, &(QSpec) { .full_name = "Trần Thị Hương", .birth = "1984-12-31", .sex = 'F' });
  g_assert_cmpint (band_for (r, "EB-T-PAPER"), ==, TP_BAND_POSSIBLE);
  tp_screen_result_free (r);
  /* not outside its year, not with a name that only comes close */
  r = screen (m, &(QSpec) { .primary = "TRAN", .secondary = "THI HUONG", .birth = "1985-01-01", .sex = 'F' });
  g_assert_cmpint (band_for (r, "EB-T-PAPER"), ==, TP_BAND_NONE);
  tp_screen_result_free (r);
  r = screen (m, &(QSpec) { .primary = "TRAN", .secondary = "HUONG", .birth = "1984-03-03", .sex = 'F' });
  g_assert_cmpint (band_for (r, "EB-T-PAPER"), ==, TP_BAND_NONE);
  tp_screen_result_free (r);
}

static void
test_sex_conflict (void)
{
  const Spec spec = { .id = "EB-T-SEX", .name = "Tạ Quang Bửu", .birth = "1910-07-23", .sex = 'M' };
  g_autoptr(TpMatcher) m = matcher_with (&spec, 1);
  TpScreenResult *r;
  const TpHit *hit;

  tp_matcher_build (m);
  r = screen (m, &(QSpec) { .primary = "TA", .secondary = "QUANG BUU", .birth = "1910-07-23", .sex = 'F' });
  hit = hit_for (r, "EB-T-SEX");
  g_assert_nonnull (hit);
  g_assert_cmpint (hit->band, ==, TP_BAND_POSSIBLE);
  g_assert_true (hit->conflicts & TP_MATCH_SEX);
  tp_screen_result_free (r);
  /* A fuzzy name with the other sex: nothing */
  r = screen (m, &(QSpec) { .primary = "TA", .secondary = "BUU", .birth = "1910-07-23", .sex = 'M' });
  g_assert_cmpint (band_for (r, "EB-T-SEX"), ==, TP_BAND_POSSIBLE);
  tp_screen_result_free (r);
  r = screen (m, &(QSpec) { .primary = "TA", .secondary = "BUU", .birth = "1910-07-23", .sex = 'F' });
  g_assert_cmpint (band_for (r, "EB-T-SEX"), ==, TP_BAND_NONE);
  tp_screen_result_free (r);
  /* X or unknown never conflicts */
  r = screen (m, &(QSpec) { .primary = "TA", .secondary = "QUANG BUU", .birth = "1910-07-23", .sex = 'X' });
  g_assert_cmpint (band_for (r, "EB-T-SEX"), ==, TP_BAND_PROBABLE);
  tp_screen_result_free (r);
}

/* A sex or a nationality the entry records otherwise speaks against the
 * name: a rare full name outweighs it (above), a common one does not. */
static void
test_contradictions_cost (void)
{
  const Spec specs[] = {
    { .id = "EB-T-HUNG", .name = "Nguyễn Văn Hùng", .birth = "1985-03-03", .sex = 'F', .passport = "C7000001" },
    { .id = "EB-T-LAN", .name = "Nguyễn Linh", .birth = "1984-04-04", .sex = 'F', .passport = "C7000002" },
  };
  g_autoptr(TpMatcher) m = matcher_with (specs, G_N_ELEMENTS (specs));
  TpScreenResult *r;
  const TpHit *hit;
  double weight;

  tp_matcher_build (m);
  /* The same name with the sex the entry records: probable */
  r = screen (m, &(QSpec) { .primary = "NGUYEN", .secondary = "VAN HUNG", .birth = "1985-03-03", .sex = 'F' });
  hit = hit_for (r, "EB-T-HUNG");
  g_assert_nonnull (hit);
  g_assert_cmpint (hit->band, ==, TP_BAND_PROBABLE);
  weight = hit->name_weight;
  g_assert_cmpfloat (weight, <, TP_MATCHER_MIN_NAME_WEIGHT + TP_MATCHER_SEX_CONFLICT_WEIGHT);
  tp_screen_result_free (r);
  /* ... with the other sex: a common name does not outweigh it */
  r = screen (m, &(QSpec) { .primary = "NGUYEN", .secondary = "VAN HUNG", .birth = "1985-03-03", .sex = 'M' });
  g_assert_cmpint (band_for (r, "EB-T-HUNG"), ==, TP_BAND_NONE);
  tp_screen_result_free (r);

  /* Nationality: the same, on a smaller scale */
  r = screen (m, &(QSpec) { .primary = "NGUYEN", .secondary = "LINH", .birth = "1984-04-04", .sex = 'F' });
  hit = hit_for (r, "EB-T-LAN");
  g_assert_nonnull (hit);
  g_assert_cmpint (hit->band, ==, TP_BAND_PROBABLE);
  weight = hit->name_weight;
  g_assert_cmpfloat (weight, <, TP_MATCHER_MIN_NAME_WEIGHT + TP_MATCHER_NATIONALITY_CONFLICT_WEIGHT);
  tp_screen_result_free (r);
  r = screen (m, &(QSpec) { .primary = "NGUYEN", .secondary = "LINH", .birth = "1984-04-04", .sex = 'F',
                            .nationality = "USA", .issuing_state = "USA" });
  g_assert_cmpint (band_for (r, "EB-T-LAN"), ==, TP_BAND_NONE);
  tp_screen_result_free (r);
}

/* Whole population: the index gives exactly what comparing every entry gives */
static void
test_exhaustive_agrees (void)
{
  g_autoptr(TpMatcher) m = matcher_with (NULL, 0);
  g_autoptr(TpPopulation) pop = NULL;
  GDate today;

  tp_matcher_build (m);
  set_date (&today, "2026-05-01");
  pop = tp_population_new (42, BACKGROUND, &today);
  for (guint k = 0; k < TP_QUERY_N_KINDS; k++)
    for (guint i = 0; i < 25; i++)
      {
        g_autoptr(TpPopulationQuery) pq = tp_population_query (pop, k, i);
        TpScreenOptions options;
        g_autoptr(TpScreenResult) a = NULL;
        g_autoptr(TpScreenResult) b = NULL;

        g_assert_nonnull (pq);
        tp_screen_options_init (&options, &today, NOW);
        a = tp_matcher_screen (m, pq->query, &options);
        b = tp_matcher_screen_exhaustive (m, pq->query, &options);
        g_assert_cmpint (a->verdict, ==, b->verdict);
        g_assert_cmpuint (a->n_hits_total, ==, b->n_hits_total);
        for (guint h = 0; h < a->hits->len; h++)
          g_assert_cmpstr (((TpHit *) g_ptr_array_index (a->hits, h))->entry_id, ==,
                           ((TpHit *) g_ptr_array_index (b->hits, h))->entry_id);
        if (k == TP_QUERY_KIND_LISTED_IDENTIFIER)
          {
            gboolean confirmed = FALSE;

            for (guint h = 0; h < a->hits->len; h++)
              {
                const TpHit *hit = g_ptr_array_index (a->hits, h);

                confirmed |= g_str_equal (hit->entry_id, pq->entry_id) && hit->band == TP_BAND_CONFIRMED;
              }
            g_assert_true (confirmed);
          }
      }
}

static void
test_max_hits_and_stats (void)
{
  Spec specs[30];
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(TpMatcher) m = NULL;
  g_autoptr(TpScreenResult) r = NULL;
  TpMatcherStats stats;
  TpScreenOptions options;
  g_autoptr(TpQuery) q = NULL;
  GDate d;

  for (guint i = 0; i < G_N_ELEMENTS (specs); i++)
    {
      g_ptr_array_add (ids, g_strdup_printf ("WL-T-MANY-%02u", i));
      specs[i] = (Spec) { .id = g_ptr_array_index (ids, i), .list = "watch", .action = "refer_supervisor",
                          .name = "Lạc Long Quân", .birth = "1950-01-01", .sex = 'M' };
    }
  m = matcher_with (specs, G_N_ELEMENTS (specs));
  tp_matcher_build (m);
  tp_matcher_get_stats (m, &stats);
  g_assert_cmpuint (stats.n_entries + stats.n_cancelled, ==, BACKGROUND + 30);
  g_assert_cmpuint (stats.memory_bytes, >, 0);

  set_date (&d, "2026-05-01");
  tp_screen_options_init (&options, &d, NOW);
  options.max_hits = 5;
  q = query_from_spec (&(QSpec) { .primary = "LAC", .secondary = "LONG QUAN", .birth = "1950-01-01" });
  r = tp_matcher_screen (m, q, &options);
  g_assert_cmpuint (r->hits->len, ==, 5);
  g_assert_cmpuint (r->n_hits_total, ==, 30);
  g_assert_cmpint (r->verdict, ==, TP_VERDICT_REVIEW);
  /* Ties ranked by entry id */
  g_assert_cmpstr (((TpHit *) g_ptr_array_index (r->hits, 0))->entry_id, ==, "WL-T-MANY-00");
}

static void
test_equivalences_data (void)
{
  g_autoptr(TpMatcher) m = tp_matcher_new ();
  g_autoptr(GError) error = NULL;

  g_assert_false (tp_matcher_set_equivalences (m, "Hoàng Huỳnh\nVũ\n", &error));
  g_assert_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "line 2"));
  g_clear_error (&error);
  g_assert_false (tp_matcher_set_equivalences (m, "Hoàng Huỳnh\n# comment\nHuỳnh Hoàng Hoang\nVu Vo\nVõ Vô\n", &error));
  g_assert_nonnull (strstr (error->message, "one group only"));
  g_clear_error (&error);
  g_assert_true (tp_matcher_set_equivalences (m, "# none but this\nLý Lí\n", &error));
  g_assert_no_error (error);
}

static void
test_custom_equivalences (void)
{
  const Spec spec = { .id = "EB-T-LY", .name = "Lý Thường Kiệt", .birth = "1019-01-01", .sex = 'M' };
  const Spec vu = { .id = "EB-T-VU", .name = "Vũ Thị Lan", .birth = "1963-12-24", .sex = 'F' };
  g_autoptr(TpMatcher) m = tp_matcher_new ();
  g_autoptr(TpEntry) e = entry_from_spec (&spec);
  g_autoptr(TpEntry) e2 = entry_from_spec (&vu);
  g_autoptr(TpScreenResult) r = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (tp_matcher_set_equivalences (m, "Lý Lí\n", &error));
  for (guint i = 0; i < background->len; i++)
    tp_matcher_add_entry (m, g_ptr_array_index (background, i));
  tp_matcher_add_entry (m, e);
  tp_matcher_add_entry (m, e2);
  tp_matcher_build (m);
  r = screen (m, &(QSpec) { .full_name = "Lí Thường Kiệt", .birth = "1019-01-01", .sex = 'M' });
  g_assert_cmpint (band_for (r, "EB-T-LY"), ==, TP_BAND_POSSIBLE);
  g_clear_pointer (&r, tp_screen_result_free);
  /* The built-in groups were replaced */
  r = screen (m, &(QSpec) { .primary = "VO", .secondary = "THI LAN", .birth = "1963-12-24", .sex = 'F' });
  g_assert_cmpint (band_for (r, "EB-T-VU"), ==, TP_BAND_NONE);
}

/* Query decoder ---------------------------------------------------------------------- */

static void
test_query_decode (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpQuery) q = tp_query_from_json (
      "{\"id\": \"q1\", \"document_number\": \"c1234567<\", \"issuing_state\": \"vnm\", "
      "\"nationality\": \"VNM\", \"primary\": \"NGUYEN\", \"secondary\": \"VAN AN\", "
      "\"full_name\": \"Nguyễn Văn An\", \"birth_date\": \"1980-05-17\", \"sex\": \"m\", "
      "\"personal_number\": \"001080012345\", \"document_type\": \"P\", \"expiry\": null}", -1, &error);
  g_autoptr(TpQuery) copy = NULL;
  g_autofree char *json = NULL;
  g_autofree char *key = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (q->id, ==, "q1");
  g_assert_cmpstr (q->document_number, ==, "C1234567");
  g_assert_cmpstr (q->issuing_state, ==, "VNM");
  g_assert_cmpstr (q->full_name, ==, "Nguyễn Văn An");
  g_assert_cmpuint (q->birth_date.year, ==, 1980);
  g_assert_cmpuint (q->birth_date.month, ==, 5);
  g_assert_cmpuint (q->birth_date.day, ==, 17);
  g_assert_cmpint (q->sex, ==, 'M');
  key = tp_query_document_key (q);
  g_assert_cmpstr (key, ==, "VNM:C1234567");

  /* Round trip */
  json = tp_query_to_json (q);
  copy = tp_query_from_json (json, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (copy->document_number, ==, q->document_number);
  g_assert_cmpstr (copy->personal_number, ==, q->personal_number);
  g_assert_cmpuint (copy->birth_date.day, ==, 17);
  g_clear_pointer (&copy, tp_query_free);
  copy = tp_query_copy (q);
  g_assert_cmpstr (copy->secondary, ==, "VAN AN");

  /* Everything optional */
  g_clear_pointer (&copy, tp_query_free);
  copy = tp_query_from_json ("{}", -1, &error);
  g_assert_no_error (error);
  g_assert_null (copy->document_number);
  g_assert_null (tp_query_document_key (copy));
  g_clear_pointer (&copy, tp_query_free);
  copy = tp_query_from_json ("{\"birth_date\": \"1980\", \"sex\": \"<\", \"primary\": \"\"}", -1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (copy->birth_date.month, ==, 0);
  g_assert_cmpint (copy->sex, ==, 'X');
  g_assert_null (copy->primary);
}

static void
test_query_errors (void)
{
  static const struct {
    const char *json;
    const char *message;
  } cases[] = {
    { "not json", "expected a JSON object" },
    { "{\"id\": \"q\"", "not valid JSON" },
    { "{\"id\": \"q\"} {\"id\": \"r\"}", "text after the object" },
    { "{\"a\": 1}[1]", "text after the object" },
    { "{\"primary\": \"\xff\"}", "not valid UTF-8" },
    { "[1, 2]", "expected a JSON object" },
    { "\"text\"", "expected a JSON object" },
    { "{\"id\": 7}", "id: expected a string, found a number" },
    { "{\"primary\": [\"A\"]}", "primary: expected a string, found an array" },
    { "{\"full_name\": {}}", "full_name: expected a string, found an object" },
    { "{\"sex\": true}", "sex: expected a string, found a boolean" },
    { "{\"birth_date\": \"1980-13-01\"}", "birth_date: “1980-13-01” is not a date" },
    { "{\"birth_date\": \"17/05/1980\"}", "birth_date:" },
    { "{\"sex\": \"male\"}", "sex: “male” is not one of M, F or X" },
    { "{\"issuing_state\": \"V1M\"}", "issuing_state:" },
    { "{\"issuing_state\": \"VNMX\"}", "at most 3" },
    { "{\"document_number\": \"C123/4567\"}", "document_number:" },
    { "{\"personal_number\": \"0010800123456789012345678\"}", "at most 24" },
  };
  g_autofree char *long_name = NULL;
  g_autofree char *long_json = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TpQuery) q = tp_query_from_json (cases[i].json, -1, &error);

      g_assert_null (q);
      g_assert_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT);
      if (strstr (error->message, cases[i].message) == NULL)
        g_error ("%s: “%s” does not say “%s”", cases[i].json, error->message, cases[i].message);
    }

  long_name = g_strnfill (300, 'A');
  long_json = g_strdup_printf ("{\"full_name\": \"%s\"}", long_name);
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(TpQuery) q = tp_query_from_json (long_json, -1, &error);

    g_assert_null (q);
    g_assert_nonnull (strstr (error->message, "at most 256"));
  }
}

static void
test_query_line_id (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autoptr(TpQuery) q = tp_query_from_json_line ("{\"id\": \"q7\", \"sex\": \"Q\"}  \n", -1, &id, &error);

  g_assert_null (q);
  g_assert_cmpstr (id, ==, "q7");
  g_assert_nonnull (strstr (error->message, "sex:"));
  g_clear_error (&error);
  g_clear_pointer (&id, g_free);
  q = tp_query_from_json_line ("not even JSON", -1, &id, &error);
  g_assert_null (q);
  g_assert_null (id);
  g_clear_error (&error);
  q = tp_query_from_json_line ("  {\"id\": \"ok\", \"primary\": \"A{[\\\"B\"}\t", -1, &id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (q->primary, ==, "A{[\"B");
}

static void
test_query_peek_id (void)
{
  g_autoptr(JsonNode) a = json_from_string ("{\"id\": \"q9\", \"sex\": 5}", NULL);
  g_autoptr(JsonNode) b = json_from_string ("{\"id\": 9}", NULL);
  g_autoptr(JsonNode) c = json_from_string ("[]", NULL);
  g_autofree char *id = tp_query_peek_id (a);

  g_assert_cmpstr (id, ==, "q9");
  g_assert_null (tp_query_peek_id (b));
  g_assert_null (tp_query_peek_id (c));
  g_assert_null (tp_query_peek_id (NULL));
}

static void
test_strings (void)
{
  const char *names[8];
  guint n = tp_match_fields_to_strings (TP_MATCH_PASSPORT | TP_MATCH_BIRTH_DATE | TP_MATCH_NATIONALITY, names);

  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpstr (names[0], ==, "passport");
  g_assert_cmpstr (names[1], ==, "birth_date");
  g_assert_cmpstr (names[2], ==, "nationality");
  g_assert_cmpstr (tp_band_to_string (TP_BAND_CONFIRMED), ==, "confirmed");
  g_assert_cmpstr (tp_band_to_string (TP_BAND_PROBABLE), ==, "probable");
  g_assert_cmpstr (tp_band_to_string (TP_BAND_POSSIBLE), ==, "possible");
  g_assert_cmpstr (tp_verdict_to_string (TP_VERDICT_STOP), ==, "STOP");
  g_assert_cmpstr (tp_verdict_to_string (TP_VERDICT_REFER), ==, "REFER");
  g_assert_cmpstr (tp_verdict_to_string (TP_VERDICT_REVIEW), ==, "REVIEW");
  g_assert_cmpstr (tp_verdict_to_string (TP_VERDICT_CLEAR), ==, "CLEAR");
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(TpPopulation) pop = NULL;
  GDate today;
  int status;

  g_test_init (&argc, &argv, NULL);

  set_date (&today, "2026-05-01");
  pop = tp_population_new (42, BACKGROUND, &today);
  background = g_ptr_array_new_with_free_func ((GDestroyNotify) tp_entry_free);
  for (guint i = 0; i < BACKGROUND; i++)
    g_ptr_array_add (background, tp_population_entry (pop, i));

  g_test_add_func ("/matcher/confirmed/passport-stop", test_confirmed_passport_stop);
  g_test_add_func ("/matcher/confirmed/national-id-refer", test_confirmed_national_id_refer);
  g_test_add_func ("/matcher/confirmed/notify-clear", test_confirmed_notify_clear);
  g_test_add_func ("/matcher/bands/probable-possible", test_probable_and_possible);
  g_test_add_func ("/matcher/verdict/precedence", test_precedence);
  g_test_add_func ("/matcher/confirmed/contradicted", test_identifier_contradicted);
  g_test_add_func ("/matcher/national-id-excludes", test_national_id_excludes_name_hits);
  g_test_add_func ("/matcher/lifecycle", test_lifecycle);
  g_test_add_func ("/matcher/clearance", test_clearance);
  g_test_add_func ("/matcher/names/accents", test_names_accents);
  g_test_add_func ("/matcher/names/order-middle-truncation", test_names_order_middle_truncation);
  g_test_add_func ("/matcher/names/typos-variants", test_names_typos_and_variants);
  g_test_add_func ("/matcher/names/weight", test_names_weight);
  g_test_add_func ("/matcher/names/slip-cost", test_names_slip_cost);
  g_test_add_func ("/matcher/birth-date/partial", test_partial_birth_dates);
  g_test_add_func ("/matcher/tax-code", test_tax_code);
  g_test_add_func ("/matcher/self-check", test_self_check);
  g_test_add_func ("/matcher/names/written-apart", test_names_written_apart);
  g_test_add_func ("/matcher/sex-conflict", test_sex_conflict);
  g_test_add_func ("/matcher/contradictions-cost", test_contradictions_cost);
  g_test_add_func ("/matcher/exhaustive-agrees", test_exhaustive_agrees);
  g_test_add_func ("/matcher/max-hits-stats", test_max_hits_and_stats);
  g_test_add_func ("/matcher/equivalences/data", test_equivalences_data);
  g_test_add_func ("/matcher/equivalences/custom", test_custom_equivalences);
  g_test_add_func ("/matcher/query/decode", test_query_decode);
  g_test_add_func ("/matcher/query/errors", test_query_errors);
  g_test_add_func ("/matcher/query/peek-id", test_query_peek_id);
  g_test_add_func ("/matcher/query/line-id", test_query_line_id);
  g_test_add_func ("/matcher/strings", test_strings);

  status = g_test_run ();
  g_ptr_array_unref (background);
  return status;
}
