/* test-bcbp.c: bar coded boarding passes (IATA Resolution 792)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The two IATA samples are the BCBP Implementation Guide's examples
 * (shared testdata, iata-bcbp-samples.md). Other passes are assembled by
 * build_pass() below, which computes every size field from the parts, so
 * a test that wants a wrong size writes it by hand.
 */
#include "config.h"

#include <string.h>

#include "tp-bcbp.h"
#include "tp-error.h"

/* IATA BCBP Implementation Guide examples */
#define SAMPLE1 "M1DESMARAIS/LUC       EABC123 YULFRAAC 0834 326J001A0025 100"
#define SAMPLE2 "M1DESMARAIS/LUC       EAB12C3 YULFRAAC 0834 326J003A0027 167>5321WW1325BAC " \
                "0014123456002001412346700100141234789012A0141234567890 1AC AC 1234567890123" \
                "    4PCYLX58Z^108ABCDEFGH"
/* Sample 2 split where its sizes point */
#define S2_MANDATORY  "M1DESMARAIS/LUC       EAB12C3 YULFRAAC 0834 326J003A0027 1"
#define S2_VARIABLE   ">5321WW1325BAC 0014123456002001412346700100141234789012A0141234567890 1AC AC " \
                      "1234567890123    4PCYLX58Z"
#define S2_SECURITY   "^108ABCDEFGH"

/* Structured items as printed */
#define UNIQUE_FULL   "1WW1325BAC 001412345600200141234670010014123478901"     /* 0x32 */
#define UNIQUE_SHORT  "0MM6324BLH 0220123456001"                               /* 0x18 */
#define REPEATED_42   "0141234567890 1AC AC 1234567890123    4PCY"             /* 0x2A */
#define REPEATED_41   "0141234567890 1AC AC 1234567890123    4PC"              /* 0x29 */

typedef struct {
  const char *pnr;
  const char *from;
  const char *to;
  const char *carrier;
  const char *flight;
  const char *date;
  const char *compartment;
  const char *seat;
  const char *sequence;
  const char *status;
  const char *repeated;      /* NULL: no repeated section */
  const char *airline_use;   /* NULL: none */
} LegSpec;

typedef struct {
  const char *name;
  char        eticket;
  int         legs_digit;    /* 0: the number of legs given */
  int         version;       /* -1: no '>' section */
  const char *unique;
  const char *security;      /* appended as is */
  guint       n_legs;
  LegSpec     legs[5];
} PassSpec;

static const LegSpec leg_yul_fra = {
  "ABC123", "YUL", "FRA", "AC", "0834", "326", "J", "001A", "0025", "1", NULL, NULL,
};
static const LegSpec leg_fra_han = {
  "XYZ789", "FRA", "HAN", "LH", "0774", "327", "Y", "032C", "0117", "1", NULL, NULL,
};
static const LegSpec leg_han_sgn = {
  "QWE456", "HAN", "SGN", "VN", "0213A", "330", "C", "004K", "0003", "0", NULL, NULL,
};
static const LegSpec leg_sgn_bkk = {
  "POI321", "SGN", "BKK", "TG", "0557", "331", "Y", "041F", "0231", "3", NULL, NULL,
};

static char *
build_pass (const PassSpec *spec)
{
  GString *s = g_string_new (NULL);

  g_string_append_printf (s, "M%d%-20s%c",
                          spec->legs_digit > 0 ? spec->legs_digit : (int) spec->n_legs,
                          spec->name ? spec->name : "DESMARAIS/LUC",
                          spec->eticket ? spec->eticket : 'E');
  for (guint i = 0; i < spec->n_legs; i++)
    {
      const LegSpec *l = &spec->legs[i];
      g_autoptr(GString) var = g_string_new (NULL);

      if (i == 0 && spec->version >= 0)
        {
          const char *u = spec->unique ? spec->unique : "";

          g_string_append_printf (var, ">%d%02X%s", spec->version, (guint) strlen (u), u);
        }
      if (l->repeated != NULL || l->airline_use != NULL)
        {
          const char *r = l->repeated ? l->repeated : "";

          g_string_append_printf (var, "%02X%s%s", (guint) strlen (r), r,
                                  l->airline_use ? l->airline_use : "");
        }
      g_string_append_printf (s, "%-7s%-3s%-3s%-3s%-5s%-3s%-1s%-4s%-5s%-1s%02X%s",
                              l->pnr, l->from, l->to, l->carrier, l->flight, l->date,
                              l->compartment, l->seat, l->sequence, l->status,
                              (guint) var->len, var->str);
    }
  if (spec->security != NULL)
    g_string_append (s, spec->security);
  return g_string_free (s, FALSE);
}

static GDate *
day (guint y,
     guint m,
     guint d)
{
  return g_date_new_dmy (d, m, y);
}

static char *
iso (const GDate *date)
{
  if (!g_date_valid (date))
    return g_strdup ("(none)");
  return g_strdup_printf ("%04u-%02u-%02u", g_date_get_year (date), g_date_get_month (date),
                          g_date_get_day (date));
}

#define assert_date(date, expected) \
  G_STMT_START { \
    g_autofree char *_iso = iso (date); \
    g_assert_cmpstr (_iso, ==, expected); \
  } G_STMT_END

static TpBcbp *
parse_len (const char *text,
           gsize       len,
           guint       y,
           guint       m,
           guint       d)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDate) ref = day (y, m, d);
  TpBcbp *bcbp;

  bcbp = tp_bcbp_parse (text, len, ref, &error);
  g_assert_no_error (error);
  g_assert_nonnull (bcbp);
  g_assert_cmpint (bcbp->valid, ==, bcbp->errors->len == 0);
  return bcbp;
}

/* Parses against 20 November 2026 (flight day 326 = 22 November 2026). */
static TpBcbp *
parse (const char *text)
{
  return parse_len (text, strlen (text), 2026, 11, 20);
}

static void
dump_issues (const TpBcbp *bcbp)
{
  for (guint i = 0; i < bcbp->errors->len; i++)
    g_test_message ("error: %s", ((TpBcbpIssue *) g_ptr_array_index (bcbp->errors, i))->message);
  for (guint i = 0; i < bcbp->warnings->len; i++)
    g_test_message ("warning: %s", ((TpBcbpIssue *) g_ptr_array_index (bcbp->warnings, i))->message);
}

static void
assert_clean (const TpBcbp *bcbp)
{
  dump_issues (bcbp);
  g_assert_cmpuint (bcbp->errors->len, ==, 0);
  g_assert_cmpuint (bcbp->warnings->len, ==, 0);
  g_assert_true (bcbp->valid);
}

/* The issue about item in leg is in the list it should be in. */
static const TpBcbpIssue *
assert_issue (const TpBcbp *bcbp,
              gboolean      error,
              guint         item,
              guint         leg)
{
  GPtrArray *list = error ? bcbp->errors : bcbp->warnings;

  for (guint i = 0; i < list->len; i++)
    {
      const TpBcbpIssue *issue = g_ptr_array_index (list, i);

      if (issue->item == item && (leg == 0 || issue->leg == leg))
        {
          const char *name = tp_bcbp_item_name (item);

          if (name != NULL)
            g_assert_nonnull (strstr (issue->message, name));
          return issue;
        }
    }
  dump_issues (bcbp);
  g_error ("no %s about item %u (leg %u)", error ? "error" : "warning", item, leg);
  return NULL;
}

/* Some error concerns leg. */
static void
assert_leg_error (const TpBcbp *bcbp,
                  guint         leg)
{
  for (guint i = 0; i < bcbp->errors->len; i++)
    if (((TpBcbpIssue *) g_ptr_array_index (bcbp->errors, i))->leg == leg)
      return;
  dump_issues (bcbp);
  g_error ("no error about leg %u", leg);
}

static void
assert_sample2_legs (const TpBcbp *bcbp)
{
  const TpBcbpLeg *leg = &bcbp->legs[0];

  g_assert_cmpstr (bcbp->passenger_name, ==, "DESMARAIS/LUC");
  g_assert_true (bcbp->eticket);
  g_assert_cmpstr (leg->pnr, ==, "AB12C3");
  g_assert_cmpstr (leg->from, ==, "YUL");
  g_assert_cmpstr (leg->to, ==, "FRA");
  g_assert_cmpstr (leg->carrier, ==, "AC");
  g_assert_cmpstr (leg->flight_number, ==, "0834");
  g_assert_cmpint (leg->julian_date, ==, 326);
  assert_date (&leg->flight_date, "2026-11-22");
  g_assert_cmpstr (leg->compartment, ==, "J");
  g_assert_cmpstr (leg->seat, ==, "003A");
  g_assert_cmpstr (leg->checkin_sequence, ==, "0027");
  g_assert_cmpstr (leg->passenger_status, ==, "1");
}

static void
assert_sample2_conditional (const TpBcbp *bcbp)
{
  const TpBcbpLeg *leg = &bcbp->legs[0];

  g_assert_cmpint (bcbp->version, ==, 5);
  g_assert_cmpint (bcbp->unique_size, ==, 0x32);
  g_assert_cmpstr (bcbp->passenger_description, ==, "1");
  g_assert_cmpstr (bcbp->source_of_checkin, ==, "W");
  g_assert_cmpstr (bcbp->source_of_issuance, ==, "W");
  g_assert_cmpstr (bcbp->date_of_issue_raw, ==, "1325");
  assert_date (&bcbp->date_of_issue, "2021-11-21");
  g_assert_cmpstr (bcbp->document_type, ==, "B");
  g_assert_cmpstr (bcbp->issuer, ==, "AC");
  g_assert_cmpstr (bcbp->baggage_tags[0], ==, "0014123456002");
  g_assert_cmpstr (bcbp->baggage_tags[1], ==, "0014123467001");
  g_assert_cmpstr (bcbp->baggage_tags[2], ==, "0014123478901");

  g_assert_true (leg->has_repeated);
  g_assert_cmpint (leg->repeated_size, ==, 0x2A);
  g_assert_cmpstr (leg->airline_numeric_code, ==, "014");
  g_assert_cmpstr (leg->document_serial, ==, "1234567890");
  g_assert_cmpstr (leg->selectee, ==, "");
  g_assert_cmpstr (leg->document_verification, ==, "1");
  g_assert_cmpstr (leg->marketing_carrier, ==, "AC");
  g_assert_cmpstr (leg->frequent_flyer_airline, ==, "AC");
  g_assert_cmpstr (leg->frequent_flyer_number, ==, "1234567890123");
  g_assert_cmpstr (leg->id_ad_indicator, ==, "");
  g_assert_cmpstr (leg->free_baggage_allowance, ==, "4PC");
  g_assert_cmpstr (leg->fast_track, ==, "Y");
}

static void
assert_sample2_airline_use_and_security (const TpBcbp *bcbp)
{
  const TpBcbpLeg *leg = &bcbp->legs[0];

  g_assert_cmpstr (leg->airline_use, ==, "LX58Z");
  g_assert_cmpuint (leg->airline_use_len, ==, 5);
  g_assert_true (bcbp->has_security);
  g_assert_cmpstr (bcbp->security_type, ==, "1");
  g_assert_cmpint (bcbp->security_length, ==, 0x08);
  g_assert_cmpstr (bcbp->security_data, ==, "ABCDEFGH");
  g_assert_cmpuint (bcbp->security_data_len, ==, 8);
}

static void
test_sample1 (void)
{
  g_autoptr(TpBcbp) bcbp = parse (SAMPLE1);
  const TpBcbpLeg *leg;

  assert_clean (bcbp);
  g_assert_cmpint (bcbp->format_code, ==, 'M');
  g_assert_cmpuint (bcbp->number_of_legs, ==, 1);
  g_assert_cmpuint (bcbp->n_legs, ==, 1);
  g_assert_cmpstr (bcbp->passenger_name, ==, "DESMARAIS/LUC");
  g_assert_false (bcbp->name_full);
  g_assert_true (bcbp->eticket);
  g_assert_cmpint (bcbp->eticket_indicator, ==, 'E');
  g_assert_cmpint (bcbp->version, ==, -1);
  g_assert_cmpint (bcbp->unique_size, ==, -1);

  leg = &bcbp->legs[0];
  g_assert_cmpstr (leg->pnr, ==, "ABC123");
  g_assert_cmpstr (leg->from, ==, "YUL");
  g_assert_cmpstr (leg->to, ==, "FRA");
  g_assert_cmpstr (leg->carrier, ==, "AC");
  g_assert_cmpstr (leg->flight_number, ==, "0834");
  g_assert_cmpint (leg->julian_date, ==, 326);
  assert_date (&leg->flight_date, "2026-11-22");
  g_assert_cmpstr (leg->compartment, ==, "J");
  g_assert_cmpstr (leg->seat, ==, "001A");
  g_assert_cmpstr (leg->checkin_sequence, ==, "0025");
  g_assert_cmpstr (leg->passenger_status, ==, "1");
  g_assert_cmpint (leg->variable_size, ==, 0);

  /* No conditional items at all */
  g_assert_false (leg->has_repeated);
  g_assert_cmpint (leg->repeated_size, ==, -1);
  g_assert_null (leg->airline_numeric_code);
  g_assert_null (leg->document_serial);
  g_assert_null (leg->selectee);
  g_assert_null (leg->document_verification);
  g_assert_null (leg->marketing_carrier);
  g_assert_null (leg->frequent_flyer_airline);
  g_assert_null (leg->frequent_flyer_number);
  g_assert_null (leg->id_ad_indicator);
  g_assert_null (leg->free_baggage_allowance);
  g_assert_null (leg->fast_track);
  g_assert_null (leg->airline_use);
  g_assert_cmpuint (leg->airline_use_len, ==, 0);
  g_assert_null (bcbp->passenger_description);
  g_assert_null (bcbp->source_of_checkin);
  g_assert_null (bcbp->source_of_issuance);
  g_assert_null (bcbp->date_of_issue_raw);
  g_assert_false (g_date_valid (&bcbp->date_of_issue));
  g_assert_null (bcbp->document_type);
  g_assert_null (bcbp->issuer);
  for (guint i = 0; i < 3; i++)
    g_assert_null (bcbp->baggage_tags[i]);

  g_assert_false (bcbp->has_security);
  g_assert_null (bcbp->security_type);
  g_assert_cmpint (bcbp->security_length, ==, -1);
  g_assert_null (bcbp->security_data);
}

static void
test_sample2 (void)
{
  g_autoptr(TpBcbp) bcbp = parse (SAMPLE2);

  g_assert_cmpuint (strlen (SAMPLE2), ==, 175);
  assert_clean (bcbp);
  g_assert_cmpuint (bcbp->n_legs, ==, 1);
  g_assert_cmpint (bcbp->legs[0].variable_size, ==, 0x67);
  assert_sample2_legs (bcbp);
  assert_sample2_conditional (bcbp);
  assert_sample2_airline_use_and_security (bcbp);
}

/* The samples as the shared test data prints them. */
static void
test_shared_testdata (void)
{
  const char *dir = g_getenv ("TP_SHARED_TESTDATA");
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  guint found = 0;

  if (dir == NULL)
    {
      g_test_skip ("TP_SHARED_TESTDATA not set");
      return;
    }
  path = g_build_filename (dir, "iata-bcbp-samples.md", NULL);
  if (!g_file_get_contents (path, &contents, NULL, NULL))
    {
      g_test_skip ("iata-bcbp-samples.md not found");
      return;
    }
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(TpBcbp) bcbp = NULL;

      if (!g_str_has_prefix (lines[i], "M1"))
        continue;
      bcbp = parse (lines[i]);
      assert_clean (bcbp);
      if (g_str_equal (lines[i], SAMPLE1) || g_str_equal (lines[i], SAMPLE2))
        found++;
    }
  g_assert_cmpuint (found, ==, 2);
}

static void
test_multi_leg (void)
{
  PassSpec spec = {
    .name = "NGUYEN/VAN AN MR", .version = 6, .unique = UNIQUE_SHORT,
    .security = "^10AABCDEFGHIJ", .n_legs = 4,
  };
  const LegSpec *base[4] = { &leg_yul_fra, &leg_fra_han, &leg_han_sgn, &leg_sgn_bkk };
  const char *uses[4] = { "LEG1", NULL, "X^Y ", "!" };

  for (guint i = 0; i < 4; i++)
    {
      spec.legs[i] = *base[i];
      spec.legs[i].repeated = (i == 1) ? NULL : (i == 2 ? REPEATED_41 : REPEATED_42);
      spec.legs[i].airline_use = uses[i];
    }

  for (guint n = 2; n <= 4; n++)
    {
      g_autofree char *text = NULL;
      g_autoptr(TpBcbp) bcbp = NULL;

      spec.n_legs = n;
      text = build_pass (&spec);
      g_test_message ("%u legs: %s", n, text);
      bcbp = parse (text);
      assert_clean (bcbp);
      g_assert_cmpuint (bcbp->number_of_legs, ==, n);
      g_assert_cmpuint (bcbp->n_legs, ==, n);
      g_assert_cmpstr (bcbp->passenger_name, ==, "NGUYEN/VAN AN MR");
      g_assert_cmpint (bcbp->version, ==, 6);
      g_assert_cmpstr (bcbp->passenger_description, ==, "0");
      g_assert_cmpstr (bcbp->source_of_checkin, ==, "M");
      g_assert_cmpstr (bcbp->source_of_issuance, ==, "M");
      assert_date (&bcbp->date_of_issue, "2026-11-20");
      g_assert_cmpstr (bcbp->issuer, ==, "LH");
      g_assert_cmpstr (bcbp->baggage_tags[0], ==, "0220123456001");
      g_assert_null (bcbp->baggage_tags[1]);

      for (guint i = 0; i < n; i++)
        {
          const TpBcbpLeg *leg = &bcbp->legs[i];

          g_assert_cmpstr (leg->pnr, ==, base[i]->pnr);
          g_assert_cmpstr (leg->from, ==, base[i]->from);
          g_assert_cmpstr (leg->to, ==, base[i]->to);
          g_assert_cmpstr (leg->carrier, ==, base[i]->carrier);
          g_assert_cmpstr (leg->flight_number, ==, base[i]->flight);
          g_assert_cmpstr (leg->seat, ==, base[i]->seat);
          g_assert_cmpstr (leg->checkin_sequence, ==, base[i]->sequence);
          g_assert_cmpstr (leg->passenger_status, ==, base[i]->status);
          g_assert_cmpstr (leg->compartment, ==, base[i]->compartment);
          g_assert_cmpstr (leg->airline_use, ==, uses[i]);
          if (i == 1)
            {
              g_assert_false (leg->has_repeated);
              g_assert_null (leg->airline_numeric_code);
            }
          else
            {
              g_assert_true (leg->has_repeated);
              g_assert_cmpstr (leg->airline_numeric_code, ==, "014");
              g_assert_cmpstr (leg->frequent_flyer_number, ==, "1234567890123");
              g_assert_cmpstr (leg->free_baggage_allowance, ==, "4PC");
              if (i == 2)
                g_assert_null (leg->fast_track);
              else
                g_assert_cmpstr (leg->fast_track, ==, "Y");
            }
        }
      assert_date (&bcbp->legs[0].flight_date, "2026-11-22");
      assert_date (&bcbp->legs[1].flight_date, "2026-11-23");
      g_assert_cmpstr (bcbp->legs[1].to, ==, "HAN");
      g_assert_cmpstr (bcbp->security_type, ==, "1");
      g_assert_cmpstr (bcbp->security_data, ==, "ABCDEFGHIJ");
    }
}

/* Only the mandatory items in every leg. */
static void
test_multi_leg_mandatory_only (void)
{
  PassSpec spec = { .version = -1, .n_legs = 3 };
  g_autofree char *text = NULL;
  g_autoptr(TpBcbp) bcbp = NULL;

  spec.legs[0] = leg_yul_fra;
  spec.legs[1] = leg_fra_han;
  spec.legs[2] = leg_han_sgn;
  text = build_pass (&spec);
  g_assert_cmpuint (strlen (text), ==, 23 + 3 * 37);
  bcbp = parse (text);
  assert_clean (bcbp);
  g_assert_cmpuint (bcbp->n_legs, ==, 3);
  g_assert_cmpint (bcbp->version, ==, -1);
  g_assert_cmpstr (bcbp->legs[2].flight_number, ==, "0213A");
  assert_date (&bcbp->legs[2].flight_date, "2026-11-26");
}

static void
test_versions (void)
{
  for (int v = 1; v <= 8; v++)
    {
      /* Older shapes: no fast track, fewer baggage tag items; newer ones:
       * everything. The sizes decide either way. */
      const char *unique = v <= 2 ? "1WW1325BAC " : (v <= 4 ? UNIQUE_SHORT : UNIQUE_FULL);
      const char *repeated = v <= 4 ? REPEATED_41 : REPEATED_42;
      PassSpec spec = { .version = v, .unique = unique, .n_legs = 2 };
      g_autofree char *text = NULL;
      g_autoptr(TpBcbp) bcbp = NULL;

      spec.legs[0] = leg_yul_fra;
      spec.legs[0].repeated = repeated;
      spec.legs[0].airline_use = "AIRLINE USE";
      spec.legs[1] = leg_fra_han;
      spec.legs[1].repeated = repeated;
      text = build_pass (&spec);
      g_test_message ("version %d: %s", v, text);
      bcbp = parse (text);
      assert_clean (bcbp);
      g_assert_cmpint (bcbp->version, ==, v);
      g_assert_cmpint (bcbp->unique_size, ==, (int) strlen (unique));
      g_assert_cmpstr (bcbp->issuer, ==, v <= 2 || v > 4 ? "AC" : "LH");
      if (v <= 2)
        g_assert_null (bcbp->baggage_tags[0]);
      else
        g_assert_nonnull (bcbp->baggage_tags[0]);
      if (v <= 4)
        g_assert_null (bcbp->baggage_tags[1]);
      else
        g_assert_cmpstr (bcbp->baggage_tags[2], ==, "0014123478901");
      for (guint i = 0; i < 2; i++)
        {
          g_assert_cmpint (bcbp->legs[i].repeated_size, ==, (int) strlen (repeated));
          g_assert_cmpstr (bcbp->legs[i].free_baggage_allowance, ==, "4PC");
          if (v <= 4)
            g_assert_null (bcbp->legs[i].fast_track);
          else
            g_assert_cmpstr (bcbp->legs[i].fast_track, ==, "Y");
        }
      g_assert_cmpstr (bcbp->legs[0].airline_use, ==, "AIRLINE USE");
      g_assert_null (bcbp->legs[1].airline_use);
    }
}

static void
test_unknown_version (void)
{
  const char versions[] = { '0', '9' };

  for (guint i = 0; i < G_N_ELEMENTS (versions); i++)
    {
      PassSpec spec = { .version = versions[i] - '0', .unique = UNIQUE_FULL, .n_legs = 1 };
      g_autofree char *text = NULL;
      g_autoptr(TpBcbp) bcbp = NULL;

      spec.legs[0] = leg_yul_fra;
      spec.legs[0].repeated = REPEATED_42 "NEW";
      text = build_pass (&spec);
      bcbp = parse (text);
      g_assert_true (bcbp->valid);
      g_assert_cmpint (bcbp->version, ==, versions[i] - '0');
      assert_issue (bcbp, FALSE, 9, 0);
      /* Items read by size; the unknown version's extra bytes are not
       * reported again. */
      g_assert_cmpstr (bcbp->legs[0].fast_track, ==, "Y");
      g_assert_null (tp_bcbp_find_issue (bcbp, 17, 0));
      g_assert_cmpuint (bcbp->warnings->len, ==, 1);
    }
}

static void
test_version_not_digit (void)
{
  g_autofree char *text = g_strdup (SAMPLE2);
  g_autoptr(TpBcbp) bcbp = NULL;

  text[61] = 'X';
  bcbp = parse (text);
  g_assert_true (bcbp->valid);
  g_assert_cmpint (bcbp->version, ==, -1);
  assert_issue (bcbp, FALSE, 9, 0);
  g_assert_cmpstr (bcbp->baggage_tags[2], ==, "0014123478901");
  g_assert_cmpstr (bcbp->legs[0].fast_track, ==, "Y");
}

static void
test_missing_version (void)
{
  /* The first leg's conditional items without '>', version and unique
   * section: only the repeated section. */
  PassSpec spec = { .version = -1, .n_legs = 1, .security = S2_SECURITY };
  g_autofree char *text = NULL;
  g_autoptr(TpBcbp) bcbp = NULL;

  spec.legs[0] = leg_yul_fra;
  spec.legs[0].repeated = REPEATED_42;
  spec.legs[0].airline_use = "ZZ";
  text = build_pass (&spec);
  bcbp = parse (text);
  g_assert_true (bcbp->valid);
  g_assert_cmpint (bcbp->version, ==, -1);
  assert_issue (bcbp, FALSE, 8, 0);
  g_assert_cmpuint (bcbp->warnings->len, ==, 1);
  g_assert_cmpstr (bcbp->legs[0].airline_numeric_code, ==, "014");
  g_assert_cmpstr (bcbp->legs[0].fast_track, ==, "Y");
  g_assert_cmpstr (bcbp->legs[0].airline_use, ==, "ZZ");
  g_assert_cmpstr (bcbp->security_data, ==, "ABCDEFGH");
}

static void
test_version_cut (void)
{
  /* '>' and nothing else */
  {
    g_autoptr(TpBcbp) bcbp = parse (S2_MANDATORY "01>");

    g_assert_true (bcbp->valid);
    g_assert_cmpint (bcbp->version, ==, -1);
    assert_issue (bcbp, FALSE, 9, 0);
  }
  /* '>' and the version, no unique size */
  {
    g_autoptr(TpBcbp) bcbp = parse (S2_MANDATORY "03>63");

    g_assert_true (bcbp->valid);
    g_assert_cmpint (bcbp->version, ==, 6);
    assert_issue (bcbp, FALSE, 10, 0);
  }
  /* A unique size that is not hexadecimal: the rest is kept raw */
  {
    g_autoptr(TpBcbp) bcbp = parse (S2_MANDATORY "08>6ZZ1WWX");

    g_assert_true (bcbp->valid);
    g_assert_cmpint (bcbp->version, ==, 6);
    assert_issue (bcbp, FALSE, 10, 0);
    g_assert_null (bcbp->passenger_description);
    g_assert_cmpstr (bcbp->legs[0].airline_use, ==, "ZZ1WWX");
  }
}

static void
test_flight_date_resolution (void)
{
  static const struct {
    guint       julian;
    guint       y, m, d;
    const char *expected;
  } cases[] = {
    { 326, 2026, 11, 20, "2026-11-22" },
    { 326, 2026, 11, 22, "2026-11-22" },
    { 365, 2027, 1, 2, "2026-12-31" },     /* scanned after new year: last year */
    { 364, 2027, 1, 1, "2026-12-30" },
    { 2, 2026, 12, 30, "2027-01-02" },     /* scanned before new year: next year */
    { 1, 2026, 12, 31, "2027-01-01" },
    { 1, 2026, 7, 2, "2026-01-01" },       /* 182 days back beats 183 ahead */
    { 1, 2028, 7, 2, "2029-01-01" },       /* 183 days either way: the later */
    { 1, 2026, 7, 3, "2027-01-01" },
    { 60, 2028, 3, 1, "2028-02-29" },      /* day 60 of a leap year */
    { 60, 2026, 3, 1, "2026-03-01" },
    { 366, 2028, 12, 30, "2028-12-31" },   /* leap day of the year end */
    { 366, 2029, 1, 3, "2028-12-31" },
    { 366, 2025, 1, 3, "2024-12-31" },
    { 366, 2027, 6, 1, "2028-12-31" },     /* the only leap year in reach */
    { 100, 2026, 4, 10, "2026-04-10" },
    { 200, 2026, 1, 1, "2025-07-19" },     /* 166 days back beats 199 ahead */
    { 365, 1, 1, 1, "0001-12-31" },        /* the edges of the calendar */
    { 1, 9999, 12, 31, "9999-01-01" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GDate) ref = day (cases[i].y, cases[i].m, cases[i].d);
      GDate out;

      g_assert_true (tp_bcbp_resolve_flight_date (cases[i].julian, ref, &out));
      assert_date (&out, cases[i].expected);
    }

  /* Day 366 with no leap year among 2025–2027 */
  {
    g_autoptr(GDate) ref = day (2026, 6, 1);
    GDate out;

    g_assert_false (tp_bcbp_resolve_flight_date (366, ref, &out));
    g_assert_false (g_date_valid (&out));
    g_assert_false (tp_bcbp_resolve_flight_date (0, ref, &out));
    g_assert_false (tp_bcbp_resolve_flight_date (367, ref, &out));
  }
}

static char *
pass_with_date (const char *julian)
{
  PassSpec spec = { .version = -1, .n_legs = 1 };

  spec.legs[0] = leg_yul_fra;
  spec.legs[0].date = julian;
  return build_pass (&spec);
}

static void
test_flight_date_in_pass (void)
{
  /* Wrap across the year end, through the parser */
  {
    g_autofree char *text = pass_with_date ("365");
    g_autoptr(TpBcbp) bcbp = parse_len (text, strlen (text), 2027, 1, 2);

    assert_clean (bcbp);
    assert_date (&bcbp->legs[0].flight_date, "2026-12-31");
  }
  {
    g_autofree char *text = pass_with_date ("002");
    g_autoptr(TpBcbp) bcbp = parse_len (text, strlen (text), 2026, 12, 30);

    assert_clean (bcbp);
    assert_date (&bcbp->legs[0].flight_date, "2027-01-02");
  }
  /* Leap day */
  {
    g_autofree char *text = pass_with_date ("366");
    g_autoptr(TpBcbp) bcbp = parse_len (text, strlen (text), 2028, 12, 31);

    assert_clean (bcbp);
    assert_date (&bcbp->legs[0].flight_date, "2028-12-31");
  }
  {
    g_autofree char *text = pass_with_date ("366");
    g_autoptr(TpBcbp) bcbp = parse_len (text, strlen (text), 2026, 6, 1);

    g_assert_false (bcbp->valid);
    assert_issue (bcbp, TRUE, 46, 1);
    g_assert_cmpint (bcbp->legs[0].julian_date, ==, 366);
    g_assert_false (g_date_valid (&bcbp->legs[0].flight_date));
  }
  /* Not a day of the year: the number is kept when the three characters
   * are digits, -1 otherwise */
  {
    static const struct {
      const char *date;
      int         julian;
    } bad[] = {
      { "000", 0 }, { "367", 367 }, { "999", 999 },
      { "32A", -1 }, { "12A", -1 }, { "3 6", -1 }, { "ABC", -1 },
      { "   ", -1 }, { " 0 ", 0 },
    };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autofree char *text = pass_with_date (bad[i].date);
        g_autoptr(TpBcbp) bcbp = parse (text);
        const TpBcbpIssue *issue;

        g_assert_false (bcbp->valid);
        issue = assert_issue (bcbp, TRUE, 46, 1);
        g_assert_nonnull (strstr (issue->message, "leg 1"));
        g_assert_nonnull (strstr (issue->message, "not a day of the year"));
        g_assert_cmpint (bcbp->legs[0].julian_date, ==, bad[i].julian);
        g_assert_false (g_date_valid (&bcbp->legs[0].flight_date));
        /* The rest of the leg is still read */
        g_assert_cmpstr (bcbp->legs[0].seat, ==, "001A");
      }
  }
  /* Fewer digits, left- or right-aligned with spaces: read, with a
   * warning (easyJet prints day 099 as “99 ”) */
  {
    static const struct {
      const char *date;
      int         julian;
      const char *iso;
    } aligned[] = {
      { "99 ", 99, "2027-04-09" }, { " 99", 99, "2027-04-09" }, { "9  ", 9, "2027-01-09" },
      { "  9", 9, "2027-01-09" }, { " 26", 26, "2027-01-26" }, { "26 ", 26, "2027-01-26" },
      { " 9 ", 9, "2027-01-09" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (aligned); i++)
      {
        g_autofree char *text = pass_with_date (aligned[i].date);
        g_autoptr(TpBcbp) bcbp = parse (text);
        const TpBcbpIssue *issue;

        g_assert_true (bcbp->valid);
        issue = assert_issue (bcbp, FALSE, 46, 1);
        g_assert_nonnull (strstr (issue->message, "read as day"));
        g_assert_cmpuint (bcbp->warnings->len, ==, 1);
        g_assert_cmpint (bcbp->legs[0].julian_date, ==, aligned[i].julian);
        assert_date (&bcbp->legs[0].flight_date, aligned[i].iso);
      }
  }
}

static void
test_issue_date_resolution (void)
{
  static const struct {
    guint       digit, julian;
    guint       y, m, d;
    const char *expected;
  } cases[] = {
    { 1, 325, 2026, 11, 20, "2021-11-21" },
    { 6, 326, 2026, 11, 22, "2026-11-22" },
    { 6, 327, 2026, 11, 22, "2026-11-23" },   /* one day of tolerance */
    { 6, 328, 2026, 11, 22, "2016-11-23" },   /* past it: ten years back (2016 is leap) */
    { 7, 1, 2026, 12, 31, "2027-01-01" },     /* tolerance across the year end */
    { 5, 365, 2026, 1, 2, "2025-12-31" },
    { 6, 1, 2026, 1, 1, "2026-01-01" },
    { 6, 366, 2026, 11, 22, "2016-12-31" },   /* 2026 has no day 366 */
    { 8, 366, 2029, 1, 1, "2028-12-31" },
    { 0, 366, 2026, 1, 1, "2020-12-31" },
    { 2, 366, 2026, 1, 1, "2012-12-31" },     /* 2022 is not leap, 2012 is */
    { 9, 100, 2026, 5, 5, "2019-04-10" },
    { 0, 1, 9999, 6, 1, "9990-01-01" },       /* the edges of the calendar */
    { 1, 1, 1, 1, 1, "0001-01-01" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GDate) ref = day (cases[i].y, cases[i].m, cases[i].d);
      GDate out;

      g_assert_true (tp_bcbp_resolve_issue_date (cases[i].digit, cases[i].julian, ref, &out));
      assert_date (&out, cases[i].expected);
    }

  {
    g_autoptr(GDate) ref = day (2026, 6, 1);
    GDate out;

    g_assert_false (tp_bcbp_resolve_issue_date (5, 366, ref, &out));   /* odd years are never leap */
    g_assert_false (tp_bcbp_resolve_issue_date (5, 0, ref, &out));
    g_assert_false (tp_bcbp_resolve_issue_date (10, 1, ref, &out));
    g_assert_false (g_date_valid (&out));
  }
}

static char *
pass_with_unique (int         version,
                  const char *unique)
{
  PassSpec spec = { .version = version, .unique = unique, .n_legs = 1 };

  spec.legs[0] = leg_yul_fra;
  return build_pass (&spec);
}

static void
test_issue_date_in_pass (void)
{
  /* Blank: absent, no warning */
  {
    g_autofree char *text = pass_with_unique (6, "0MM    BLH ");
    g_autoptr(TpBcbp) bcbp = parse (text);

    assert_clean (bcbp);
    g_assert_cmpstr (bcbp->date_of_issue_raw, ==, "");
    g_assert_false (g_date_valid (&bcbp->date_of_issue));
    g_assert_cmpstr (bcbp->document_type, ==, "B");
  }
  /* Not a date */
  {
    const char *bad[] = { "0MM6A26BLH ", "0MM6000BLH ", "0MM6400BLH ", "0MM 326BLH " };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autofree char *text = pass_with_unique (6, bad[i]);
        g_autoptr(TpBcbp) bcbp = parse (text);

        g_assert_true (bcbp->valid);
        assert_issue (bcbp, FALSE, 22, 0);
        g_assert_false (g_date_valid (&bcbp->date_of_issue));
        g_assert_cmpstr (bcbp->issuer, ==, "LH");
      }
  }
  /* Day 366 of a year ending in an odd digit */
  {
    g_autofree char *text = pass_with_unique (6, "0MM5366BLH ");
    g_autoptr(TpBcbp) bcbp = parse (text);

    g_assert_true (bcbp->valid);
    assert_issue (bcbp, FALSE, 22, 0);
  }
  /* Issued the day before the flight, two days before the scan */
  {
    g_autofree char *text = pass_with_unique (6, "0MM6325BLH ");
    g_autoptr(TpBcbp) bcbp = parse_len (text, strlen (text), 2026, 11, 23);

    assert_clean (bcbp);
    assert_date (&bcbp->date_of_issue, "2026-11-21");
  }
}

static void
test_passenger_description_v8 (void)
{
  const char *codes[] = { "X", "U" };

  for (guint i = 0; i < G_N_ELEMENTS (codes); i++)
    {
      g_autofree char *u = g_strdup_printf ("%sMM6326BLH ", codes[i]);
      g_autofree char *v6 = pass_with_unique (6, u);
      g_autofree char *v8 = pass_with_unique (8, u);
      g_autoptr(TpBcbp) b6 = parse (v6);
      g_autoptr(TpBcbp) b8 = parse (v8);

      g_assert_true (b6->valid);
      assert_issue (b6, FALSE, 15, 0);
      assert_clean (b8);
      g_assert_cmpstr (b8->passenger_description, ==, codes[i]);
    }
}

static void
test_eticket (void)
{
  /* Blank indicator: not an electronic ticket, a warning */
  {
    PassSpec spec = { .eticket = ' ', .version = -1, .n_legs = 1 };
    g_autofree char *text = NULL;
    g_autoptr(TpBcbp) bcbp = NULL;

    spec.legs[0] = leg_yul_fra;
    text = build_pass (&spec);
    bcbp = parse (text);
    g_assert_true (bcbp->valid);
    g_assert_false (bcbp->eticket);
    g_assert_cmpint (bcbp->eticket_indicator, ==, ' ');
    assert_issue (bcbp, FALSE, 253, 0);
    g_assert_cmpuint (bcbp->warnings->len, ==, 1);
    g_assert_cmpstr (bcbp->legs[0].pnr, ==, "ABC123");
  }
  /* No indicator at all: everything one to the left */
  {
    const char *text = "M1DESMARAIS/LUC       ABC123 YULFRAAC 0834 326J001A0025 100";
    g_autoptr(TpBcbp) bcbp = parse (text);

    g_assert_cmpuint (strlen (text), ==, 59);
    g_assert_true (bcbp->valid);
    g_assert_false (bcbp->eticket);
    g_assert_cmpint (bcbp->eticket_indicator, ==, '\0');
    assert_issue (bcbp, FALSE, 253, 0);
    g_assert_cmpuint (bcbp->warnings->len, ==, 1);
    g_assert_cmpstr (bcbp->passenger_name, ==, "DESMARAIS/LUC");
    g_assert_cmpstr (bcbp->legs[0].pnr, ==, "ABC123");
    g_assert_cmpstr (bcbp->legs[0].from, ==, "YUL");
    g_assert_cmpstr (bcbp->legs[0].seat, ==, "001A");
    assert_date (&bcbp->legs[0].flight_date, "2026-11-22");
  }
  /* The same with conditional items and security data */
  {
    const char *text = "M1DESMARAIS/LUC       AB12C3 YULFRAAC 0834 326J003A0027 167" S2_VARIABLE S2_SECURITY;
    g_autoptr(TpBcbp) bcbp = parse (text);

    g_assert_true (bcbp->valid);
    assert_issue (bcbp, FALSE, 253, 0);
    g_assert_cmpuint (bcbp->warnings->len, ==, 1);
    g_assert_false (bcbp->eticket);
    g_assert_cmpstr (bcbp->legs[0].seat, ==, "003A");
    assert_sample2_conditional (bcbp);
    assert_sample2_airline_use_and_security (bcbp);
  }
  /* A 19-character name field followed by 'E' */
  {
    const char *text = "M1DESMARAIS/LUC      EABC123 YULFRAAC 0834 326J001A0025 100";
    g_autoptr(TpBcbp) bcbp = parse (text);

    g_assert_true (bcbp->valid);
    g_assert_true (bcbp->eticket);
    assert_issue (bcbp, FALSE, 11, 0);
    g_assert_cmpstr (bcbp->passenger_name, ==, "DESMARAIS/LUC");
    g_assert_cmpstr (bcbp->legs[0].pnr, ==, "ABC123");
  }
}

static void
test_name (void)
{
  /* A full name field */
  {
    const char *text = "M1VERYLONGSURNAME/JOHNEABC123 YULFRAAC 0834 326J001A0025 100";
    g_autoptr(TpBcbp) bcbp = parse (text);
    g_autoptr(TpBcbpName) name = tp_bcbp_name_split (bcbp->passenger_name, bcbp->name_full);

    assert_clean (bcbp);
    g_assert_true (bcbp->name_full);
    g_assert_cmpstr (bcbp->passenger_name, ==, "VERYLONGSURNAME/JOHN");
    g_assert_cmpstr (name->surname, ==, "VERYLONGSURNAME");
    g_assert_cmpstr (name->given_names, ==, "JOHN");
    g_assert_true (name->truncated);
  }
  /* Blank name */
  {
    const char *text = "M1                    EABC123 YULFRAAC 0834 326J001A0025 100";
    g_autoptr(TpBcbp) bcbp = parse (text);

    g_assert_true (bcbp->valid);
    g_assert_cmpstr (bcbp->passenger_name, ==, "");
    assert_issue (bcbp, FALSE, 11, 0);
  }
}

static void
test_name_split (void)
{
  static const struct {
    const char *in;
    const char *surname;
    const char *given;
    const char *title;
  } cases[] = {
    { "DESMARAIS/LUC", "DESMARAIS", "LUC", NULL },
    { "DESMARAIS/LUC MR", "DESMARAIS", "LUC", "MR" },
    { "SMITH/JOHN PAUL MRS", "SMITH", "JOHN PAUL", "MRS" },
    { "NGUYEN/VAN AN", "NGUYEN", "VAN AN", NULL },
    { "NGUYEN/VAN AN MSTR", "NGUYEN", "VAN AN", "MSTR" },
    { "SMITH/MR", "SMITH", "MR", NULL },             /* a lone word is a name */
    { "SMITH/JOHNMR", "SMITH", "JOHNMR", NULL },     /* glued titles stay */
    { "DE LA CRUZ/MARIA  JOSE", "DE LA CRUZ", "MARIA JOSE", NULL },
    { "  LEE / KIM  DR ", "LEE", "KIM", "DR" },
    { "MADONNA", "MADONNA", "", NULL },
    { "/JOHN", "", "JOHN", NULL },
    { "", "", "", NULL },
    { "O/A/B", "O", "A/B", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(TpBcbpName) name = tp_bcbp_name_split (cases[i].in, FALSE);

      g_assert_cmpstr (name->surname, ==, cases[i].surname);
      g_assert_cmpstr (name->given_names, ==, cases[i].given);
      g_assert_cmpstr (name->title, ==, cases[i].title);
      g_assert_false (name->truncated);
    }
}

static void
test_variable_size_bigger (void)
{
  /* With security data: the field is re-measured up to it */
  {
    const char *text = S2_MANDATORY "70" S2_VARIABLE S2_SECURITY;
    g_autoptr(TpBcbp) bcbp = parse (text);
    const TpBcbpIssue *issue;

    g_assert_true (bcbp->valid);
    issue = assert_issue (bcbp, FALSE, 6, 1);
    g_assert_nonnull (strstr (issue->message, "declares 0x70 bytes but 0x67 precede the security data"));
    g_assert_cmpuint (bcbp->warnings->len, ==, 1);
    g_assert_cmpint (bcbp->legs[0].variable_size, ==, 0x70);
    assert_sample2_legs (bcbp);
    assert_sample2_conditional (bcbp);
    assert_sample2_airline_use_and_security (bcbp);
  }
  /* Without: up to the end */
  {
    const char *text = S2_MANDATORY "70" S2_VARIABLE;
    g_autoptr(TpBcbp) bcbp = parse (text);
    const TpBcbpIssue *issue;

    g_assert_true (bcbp->valid);
    issue = assert_issue (bcbp, FALSE, 6, 1);
    g_assert_nonnull (strstr (issue->message, "declares 0x70 bytes but 0x67 remain"));
    g_assert_cmpuint (bcbp->warnings->len, ==, 1);
    assert_sample2_conditional (bcbp);
    g_assert_cmpstr (bcbp->legs[0].airline_use, ==, "LX58Z");
    g_assert_false (bcbp->has_security);
  }
  /* Bigger than the data, in a leg that is not the last: the next leg is
   * missing */
  {
    PassSpec spec = { .version = -1, .n_legs = 2 };
    g_autofree char *text = NULL;
    g_autoptr(TpBcbp) bcbp = NULL;
    char *size;

    spec.legs[0] = leg_yul_fra;
    spec.legs[1] = leg_fra_han;
    text = build_pass (&spec);
    size = text + 58;
    g_assert_cmpint (size[0], ==, '0');
    size[0] = '5';   /* 0x50 */
    bcbp = parse (text);
    g_assert_false (bcbp->valid);
    assert_issue (bcbp, FALSE, 6, 1);
    assert_issue (bcbp, TRUE, 7, 2);
    g_assert_cmpuint (bcbp->n_legs, ==, 1);
  }
}

static void
test_variable_size_smaller (void)
{
  /* With security data: re-measured, airline use intact */
  {
    const char *text = S2_MANDATORY "60" S2_VARIABLE S2_SECURITY;
    g_autoptr(TpBcbp) bcbp = parse (text);
    const TpBcbpIssue *issue;

    g_assert_true (bcbp->valid);
    issue = assert_issue (bcbp, FALSE, 6, 1);
    g_assert_nonnull (strstr (issue->message, "declares 0x60 bytes but 0x67 precede the security data"));
    g_assert_cmpuint (bcbp->warnings->len, ==, 1);
    assert_sample2_conditional (bcbp);
    assert_sample2_airline_use_and_security (bcbp);
  }
  /* Without: the rest is read as part of the field */
  {
    const char *text = S2_MANDATORY "60" S2_VARIABLE;
    g_autoptr(TpBcbp) bcbp = parse (text);

    g_assert_true (bcbp->valid);
    assert_issue (bcbp, FALSE, 6, 1);
    g_assert_cmpuint (bcbp->warnings->len, ==, 1);
    assert_sample2_conditional (bcbp);
    g_assert_cmpstr (bcbp->legs[0].airline_use, ==, "LX58Z");
  }
  /* Zero with conditional data following */
  {
    const char *text = S2_MANDATORY "00" S2_VARIABLE S2_SECURITY;
    g_autoptr(TpBcbp) bcbp = parse (text);

    g_assert_true (bcbp->valid);
    assert_issue (bcbp, FALSE, 6, 1);
    assert_sample2_conditional (bcbp);
    assert_sample2_airline_use_and_security (bcbp);
  }
  /* Not hexadecimal, in the last leg: measured from the data */
  {
    const char *text = S2_MANDATORY "G7" S2_VARIABLE S2_SECURITY;
    g_autoptr(TpBcbp) bcbp = parse (text);

    g_assert_true (bcbp->valid);
    assert_issue (bcbp, FALSE, 6, 1);
    g_assert_cmpint (bcbp->legs[0].variable_size, ==, -1);
    assert_sample2_conditional (bcbp);
    assert_sample2_airline_use_and_security (bcbp);
  }
  /* Not hexadecimal, before another leg: the next leg cannot be found */
  {
    PassSpec spec = { .version = -1, .n_legs = 2, .security = S2_SECURITY };
    g_autofree char *text = NULL;
    g_autoptr(TpBcbp) bcbp = NULL;

    spec.legs[0] = leg_yul_fra;
    spec.legs[1] = leg_fra_han;
    text = build_pass (&spec);
    text[58] = 'Q';
    bcbp = parse (text);
    g_assert_false (bcbp->valid);
    assert_issue (bcbp, TRUE, 6, 1);
    g_assert_cmpuint (bcbp->n_legs, ==, 1);
    /* The security section at the end is still read */
    g_assert_cmpstr (bcbp->security_data, ==, "ABCDEFGH");
  }
}

static void
test_section_sizes (void)
{
  /* Unique size bigger than the variable field holds */
  {
    g_autoptr(TpBcbp) bcbp = parse (S2_MANDATORY "0F>640" "1WW1325BAC ");

    g_assert_true (bcbp->valid);
    assert_issue (bcbp, FALSE, 10, 0);
    g_assert_cmpstr (bcbp->issuer, ==, "AC");
    g_assert_null (bcbp->baggage_tags[0]);
  }
  /* An item cut by the unique size */
  {
    g_autoptr(TpBcbp) bcbp = parse (S2_MANDATORY "0B>6051WW13XY");
    const TpBcbpIssue *issue;

    g_assert_true (bcbp->valid);
    issue = assert_issue (bcbp, FALSE, 22, 0);
    g_assert_nonnull (strstr (issue->message, "cut short: 2 of 4"));
    g_assert_cmpstr (bcbp->date_of_issue_raw, ==, "13");
    g_assert_null (bcbp->document_type);
    /* The rest is the repeated section: "XY" is no size */
    assert_issue (bcbp, FALSE, 17, 1);
    g_assert_cmpstr (bcbp->legs[0].airline_use, ==, "XY");
  }
  /* Repeated size bigger than the field */
  {
    g_autoptr(TpBcbp) bcbp = parse (S2_MANDATORY "1E>60030" "0141234567890 1AC AC 123");
    const TpBcbpIssue *issue;

    g_assert_true (bcbp->valid);
    issue = assert_issue (bcbp, FALSE, 17, 1);
    g_assert_nonnull (strstr (issue->message, "declares 0x30 bytes but the variable size field leaves 0x18"));
    assert_issue (bcbp, FALSE, 236, 1);
    g_assert_cmpstr (bcbp->legs[0].frequent_flyer_number, ==, "123");
    g_assert_null (bcbp->legs[0].id_ad_indicator);
  }
  /* Repeated size cutting an item short, the rest airline use */
  {
    g_autoptr(TpBcbp) bcbp = parse (S2_MANDATORY "1A>600100141234567890 1ACXYZ");

    g_assert_true (bcbp->valid);
    assert_issue (bcbp, FALSE, 19, 1);
    g_assert_cmpstr (bcbp->legs[0].marketing_carrier, ==, "A");
    g_assert_cmpstr (bcbp->legs[0].airline_use, ==, "CXYZ");
  }
  /* Unique section longer than the items version 6 defines */
  {
    g_autofree char *text = pass_with_unique (6, UNIQUE_FULL "EXTRA");
    g_autoptr(TpBcbp) bcbp = parse (text);

    g_assert_true (bcbp->valid);
    assert_issue (bcbp, FALSE, 10, 0);
    g_assert_cmpstr (bcbp->baggage_tags[2], ==, "0014123478901");
  }
  /* A unique size smaller than the items that follow: the data after it
   * is read as the repeated section, as the size says */
  {
    const char *text = S2_MANDATORY "67>5181WW1325BAC 0014123456002001412346700100141234789012A"
                       "0141234567890 1AC AC 1234567890123    4PCYLX58Z" S2_SECURITY;
    g_autoptr(TpBcbp) bcbp = parse (text);

    g_assert_true (bcbp->valid);
    g_assert_cmpstr (bcbp->baggage_tags[0], ==, "0014123456002");
    g_assert_null (bcbp->baggage_tags[1]);
    g_assert_cmpint (bcbp->legs[0].repeated_size, ==, 0);
    g_assert_true (g_str_has_prefix (bcbp->legs[0].airline_use, "14123467001"));
    g_assert_cmpstr (bcbp->security_data, ==, "ABCDEFGH");
  }
  /* A repeated size that is not hexadecimal */
  {
    g_autoptr(TpBcbp) bcbp = parse (S2_MANDATORY "09>600" "ZZabc");

    g_assert_true (bcbp->valid);
    assert_issue (bcbp, FALSE, 17, 1);
    g_assert_false (bcbp->legs[0].has_repeated);
    g_assert_cmpstr (bcbp->legs[0].airline_use, ==, "ZZabc");
  }
  /* One byte where the repeated size should be */
  {
    g_autoptr(TpBcbp) bcbp = parse (S2_MANDATORY "05>6001");

    g_assert_true (bcbp->valid);
    assert_issue (bcbp, FALSE, 17, 1);
    g_assert_cmpstr (bcbp->legs[0].airline_use, ==, "1");
  }
  /* Lower-case hexadecimal is accepted */
  {
    g_autofree char *text = g_strdup (SAMPLE2);
    g_autoptr(TpBcbp) bcbp = NULL;

    g_assert_cmpint (text[114], ==, '2');
    text[115] = 'a';   /* repeated size "2A" -> "2a" */
    bcbp = parse (text);
    assert_clean (bcbp);
    g_assert_cmpint (bcbp->legs[0].repeated_size, ==, 0x2A);
  }
}

static void
test_airline_use_raw (void)
{
  static const char use[] = "  raw ^data\twith tabs >and 0x7f\x7f ";
  PassSpec spec = { .version = 7, .unique = "", .n_legs = 2 };
  g_autofree char *text = NULL;
  g_autoptr(TpBcbp) bcbp = NULL;

  spec.legs[0] = leg_yul_fra;
  spec.legs[0].repeated = "";
  spec.legs[0].airline_use = use;
  spec.legs[1] = leg_fra_han;
  spec.legs[1].repeated = REPEATED_42;
  spec.legs[1].airline_use = "Z";
  text = build_pass (&spec);
  bcbp = parse (text);
  assert_clean (bcbp);
  g_assert_true (bcbp->legs[0].has_repeated);
  g_assert_cmpint (bcbp->legs[0].repeated_size, ==, 0);
  g_assert_null (bcbp->legs[0].airline_numeric_code);
  g_assert_cmpuint (bcbp->legs[0].airline_use_len, ==, strlen (use));
  g_assert_cmpmem (bcbp->legs[0].airline_use, bcbp->legs[0].airline_use_len, use, strlen (use));
  g_assert_cmpstr (bcbp->legs[1].airline_use, ==, "Z");
  g_assert_null (bcbp->passenger_description);
  g_assert_cmpint (bcbp->unique_size, ==, 0);
}

static void
test_security (void)
{
  static const struct {
    const char *security;
    guint       warned_item;    /* 0: none */
    const char *type;
    int         length;
    const char *data;
  } cases[] = {
    { "^108ABCDEFGH", 0, "1", 8, "ABCDEFGH" },
    { "^100", 0, "1", 0, "" },
    { "^2FF", 29, "2", 0xFF, "" },
    { "^10AABCD", 29, "1", 0x0A, "ABCD" },
    { "^104ABCDEFGH", 30, "1", 4, "ABCD" },
    { "^1ZZABC", 29, "1", -1, "ZZABC" },
    { "^1", 29, "1", -1, NULL },
    { "^10", 29, "1", -1, "0" },
    { "^", 28, NULL, -1, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = g_strconcat (S2_MANDATORY "67" S2_VARIABLE, cases[i].security, NULL);
      g_autoptr(TpBcbp) bcbp = parse (text);

      g_test_message ("security %s", cases[i].security);
      g_assert_true (bcbp->valid);
      if (cases[i].warned_item == 0)
        assert_clean (bcbp);
      else
        assert_issue (bcbp, FALSE, cases[i].warned_item, 0);
      g_assert_true (bcbp->has_security);
      g_assert_cmpstr (bcbp->security_type, ==, cases[i].type);
      g_assert_cmpint (bcbp->security_length, ==, cases[i].length);
      g_assert_cmpstr (bcbp->security_data, ==, cases[i].data);
      assert_sample2_conditional (bcbp);
      g_assert_cmpstr (bcbp->legs[0].airline_use, ==, "LX58Z");
    }
}

static void
test_legs_count (void)
{
  /* 0 and 5–9 legs: errors, whatever the data holds */
  for (int n = 0; n <= 9; n++)
    {
      g_autofree char *text = g_strdup (SAMPLE2);
      g_autoptr(TpBcbp) bcbp = NULL;

      if (n >= 1 && n <= 4)
        continue;
      text[1] = (char) ('0' + n);
      bcbp = parse (text);
      g_assert_false (bcbp->valid);
      assert_issue (bcbp, TRUE, 5, 0);
      g_assert_cmpuint (bcbp->number_of_legs, ==, (guint) n);
      g_assert_cmpuint (bcbp->n_legs, ==, 1);
      assert_sample2_legs (bcbp);
      if (n == 0)
        {
          assert_sample2_conditional (bcbp);
          assert_sample2_airline_use_and_security (bcbp);
        }
      else
        assert_leg_error (bcbp, 2);        /* leg 2 is not there */
    }

  /* More legs declared than present */
  {
    g_autofree char *text = g_strdup (SAMPLE1);
    g_autoptr(TpBcbp) bcbp = NULL;

    text[1] = '3';
    bcbp = parse (text);
    g_assert_false (bcbp->valid);
    assert_issue (bcbp, TRUE, 7, 2);
    g_assert_cmpuint (bcbp->errors->len, ==, 1);
    g_assert_cmpuint (bcbp->n_legs, ==, 1);
  }

  /* Five legs of data declared as five: read, and an error */
  {
    PassSpec spec = { .version = -1, .n_legs = 5 };
    g_autofree char *text = NULL;
    g_autoptr(TpBcbp) bcbp = NULL;

    spec.legs[0] = leg_yul_fra;
    spec.legs[1] = leg_fra_han;
    spec.legs[2] = leg_han_sgn;
    spec.legs[3] = leg_sgn_bkk;
    spec.legs[4] = leg_yul_fra;
    text = build_pass (&spec);
    bcbp = parse (text);
    g_assert_false (bcbp->valid);
    g_assert_cmpuint (bcbp->errors->len, ==, 1);
    assert_issue (bcbp, TRUE, 5, 0);
    g_assert_cmpuint (bcbp->n_legs, ==, 5);
    g_assert_cmpstr (bcbp->legs[4].to, ==, "FRA");
  }
}

typedef enum {
  FIELD_FROM,
  FIELD_TO,
  FIELD_CARRIER,
  FIELD_FLIGHT,
  FIELD_DATE,
  FIELD_COMPARTMENT,
  FIELD_SEAT,
  FIELD_SEQUENCE,
  FIELD_STATUS,
} LegField;

typedef enum {
  SHAPE_CLEAN,
  SHAPE_WARNING,
  SHAPE_ERROR,
} ExpectedShape;

static void
set_leg_field (LegSpec    *leg,
               LegField    field,
               const char *value)
{
  switch (field)
    {
    case FIELD_FROM: leg->from = value; break;
    case FIELD_TO: leg->to = value; break;
    case FIELD_CARRIER: leg->carrier = value; break;
    case FIELD_FLIGHT: leg->flight = value; break;
    case FIELD_DATE: leg->date = value; break;
    case FIELD_COMPARTMENT: leg->compartment = value; break;
    case FIELD_SEAT: leg->seat = value; break;
    case FIELD_SEQUENCE: leg->sequence = value; break;
    case FIELD_STATUS: leg->status = value; break;
    default: g_assert_not_reached ();
    }
}

/* The shape of every mandatory item (Resolution 792), in the first and in
 * a later leg: right, tolerated with a warning, or an error that names
 * the item and the leg. */
static void
test_mandatory_values (void)
{
  static const struct {
    LegField       field;
    const char    *value;      /* padded by build_pass() as the item's size says */
    guint          item;
    ExpectedShape  expected;
  } cases[] = {
    { FIELD_FROM, "YUL", 26, SHAPE_CLEAN },
    { FIELD_FROM, "Y1L", 26, SHAPE_ERROR },
    { FIELD_FROM, "yul", 26, SHAPE_ERROR },
    { FIELD_FROM, "YU", 26, SHAPE_ERROR },
    { FIELD_FROM, "", 26, SHAPE_ERROR },
    { FIELD_TO, "fra", 38, SHAPE_ERROR },
    { FIELD_TO, "H 0", 38, SHAPE_ERROR },
    { FIELD_CARRIER, "AC", 42, SHAPE_CLEAN },
    { FIELD_CARRIER, "ACA", 42, SHAPE_CLEAN },
    { FIELD_CARRIER, "U2", 42, SHAPE_CLEAN },
    { FIELD_CARRIER, "3K", 42, SHAPE_CLEAN },
    { FIELD_CARRIER, " AC", 42, SHAPE_ERROR },
    { FIELD_CARRIER, "A", 42, SHAPE_ERROR },
    { FIELD_CARRIER, "A C", 42, SHAPE_ERROR },
    { FIELD_CARRIER, "ac", 42, SHAPE_ERROR },
    { FIELD_CARRIER, "", 42, SHAPE_ERROR },
    { FIELD_FLIGHT, "0834", 43, SHAPE_CLEAN },
    { FIELD_FLIGHT, "0123A", 43, SHAPE_CLEAN },
    { FIELD_FLIGHT, "834", 43, SHAPE_WARNING },
    { FIELD_FLIGHT, " 834", 43, SHAPE_WARNING },
    { FIELD_FLIGHT, "  834", 43, SHAPE_WARNING },
    { FIELD_FLIGHT, "213A", 43, SHAPE_WARNING },
    { FIELD_FLIGHT, "7", 43, SHAPE_WARNING },
    { FIELD_FLIGHT, "08X4", 43, SHAPE_ERROR },
    { FIELD_FLIGHT, "A327J", 43, SHAPE_ERROR },
    { FIELD_FLIGHT, "08345", 43, SHAPE_ERROR },
    { FIELD_FLIGHT, "0834a", 43, SHAPE_ERROR },
    { FIELD_FLIGHT, "83 4", 43, SHAPE_ERROR },
    { FIELD_FLIGHT, "", 43, SHAPE_ERROR },
    /* Numbers left- or right-aligned with spaces are read, with a warning
     * (easyJet prints day 099 as “99 ”) */
    { FIELD_DATE, "326", 46, SHAPE_CLEAN },
    { FIELD_DATE, "99", 46, SHAPE_WARNING },
    { FIELD_DATE, " 99", 46, SHAPE_WARNING },
    { FIELD_DATE, "  9", 46, SHAPE_WARNING },
    { FIELD_DATE, "9", 46, SHAPE_WARNING },
    { FIELD_DATE, "9 9", 46, SHAPE_ERROR },
    { FIELD_DATE, "12A", 46, SHAPE_ERROR },
    { FIELD_DATE, "", 46, SHAPE_ERROR },
    { FIELD_DATE, "000", 46, SHAPE_ERROR },
    { FIELD_DATE, " 0", 46, SHAPE_ERROR },
    { FIELD_DATE, "367", 46, SHAPE_ERROR },
    { FIELD_COMPARTMENT, "Y", 71, SHAPE_CLEAN },
    { FIELD_COMPARTMENT, "y", 71, SHAPE_ERROR },
    { FIELD_COMPARTMENT, "1", 71, SHAPE_ERROR },
    /* easyJet prints no compartment */
    { FIELD_COMPARTMENT, "", 71, SHAPE_WARNING },
    { FIELD_SEAT, "032C", 104, SHAPE_CLEAN },
    { FIELD_SEAT, "INF", 104, SHAPE_WARNING },
    { FIELD_SEAT, " INF", 104, SHAPE_WARNING },
    { FIELD_SEAT, "", 104, SHAPE_WARNING },
    { FIELD_SEAT, "32C", 104, SHAPE_WARNING },
    { FIELD_SEAT, " 32C", 104, SHAPE_WARNING },
    { FIELD_SEAT, "2C", 104, SHAPE_WARNING },
    { FIELD_SEAT, "032", 104, SHAPE_ERROR },
    { FIELD_SEAT, "0032", 104, SHAPE_ERROR },
    { FIELD_SEAT, "A32C", 104, SHAPE_ERROR },
    { FIELD_SEAT, "3 2C", 104, SHAPE_ERROR },
    { FIELD_SEAT, "032c", 104, SHAPE_ERROR },
    { FIELD_SEAT, "IN", 104, SHAPE_ERROR },
    { FIELD_SEQUENCE, "0025", 107, SHAPE_CLEAN },
    { FIELD_SEQUENCE, "0025A", 107, SHAPE_CLEAN },
    { FIELD_SEQUENCE, "3", 107, SHAPE_CLEAN },
    { FIELD_SEQUENCE, "12345", 107, SHAPE_CLEAN },
    { FIELD_SEQUENCE, "", 107, SHAPE_WARNING },
    { FIELD_SEQUENCE, "  25", 107, SHAPE_WARNING },
    { FIELD_SEQUENCE, "00X5", 107, SHAPE_ERROR },
    { FIELD_SEQUENCE, "A025", 107, SHAPE_ERROR },
    { FIELD_SEQUENCE, "0025a", 107, SHAPE_ERROR },
    { FIELD_SEQUENCE, "0 25", 107, SHAPE_ERROR },
    { FIELD_STATUS, "1", 113, SHAPE_CLEAN },
    { FIELD_STATUS, "A", 113, SHAPE_CLEAN },
    { FIELD_STATUS, "", 113, SHAPE_ERROR },
    { FIELD_STATUS, "-", 113, SHAPE_ERROR },
    { FIELD_STATUS, "a", 113, SHAPE_ERROR },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    for (guint legno = 1; legno <= 2; legno++)
      {
        PassSpec spec = { .version = -1, .n_legs = 2 };
        g_autofree char *text = NULL;
        g_autoptr(TpBcbp) bcbp = NULL;
        const TpBcbpIssue *issue;
        g_autofree char *where = g_strdup_printf ("leg %u", legno);

        spec.legs[0] = leg_yul_fra;
        spec.legs[1] = leg_fra_han;
        set_leg_field (&spec.legs[legno - 1], cases[i].field, cases[i].value);
        text = build_pass (&spec);
        g_test_message ("item %u “%s” in leg %u: %s", cases[i].item, cases[i].value, legno, text);
        bcbp = parse (text);
        g_assert_cmpuint (bcbp->n_legs, ==, 2);

        switch (cases[i].expected)
          {
          case SHAPE_CLEAN:
            assert_clean (bcbp);
            break;
          case SHAPE_WARNING:
            g_assert_true (bcbp->valid);
            g_assert_cmpuint (bcbp->warnings->len, ==, 1);
            issue = assert_issue (bcbp, FALSE, cases[i].item, legno);
            g_assert_nonnull (strstr (issue->message, where));
            break;
          case SHAPE_ERROR:
            dump_issues (bcbp);
            g_assert_false (bcbp->valid);
            g_assert_cmpuint (bcbp->errors->len, ==, 1);
            issue = assert_issue (bcbp, TRUE, cases[i].item, legno);
            g_assert_nonnull (strstr (issue->message, where));
            g_assert_cmpuint (bcbp->warnings->len, ==, 0);
            break;
          default:
            g_assert_not_reached ();
          }
      }

  /* The value is kept, trimmed, whatever its shape */
  {
    PassSpec spec = { .version = -1, .n_legs = 1 };
    g_autofree char *text = NULL;
    g_autoptr(TpBcbp) bcbp = NULL;

    spec.legs[0] = leg_yul_fra;
    spec.legs[0].from = "Y1L";
    spec.legs[0].flight = " 834";
    text = build_pass (&spec);
    bcbp = parse (text);
    g_assert_false (bcbp->valid);
    g_assert_cmpstr (bcbp->legs[0].from, ==, "Y1L");
    g_assert_cmpstr (bcbp->legs[0].flight_number, ==, "834");
    assert_issue (bcbp, FALSE, 43, 1);
  }

  /* An infant: no seat, no sequence number; usable, with a warning each */
  {
    PassSpec spec = { .version = -1, .n_legs = 1 };
    g_autofree char *infant = NULL;
    g_autoptr(TpBcbp) b = NULL;

    spec.legs[0] = leg_yul_fra;
    spec.legs[0].seat = "INF";
    spec.legs[0].sequence = "";
    infant = build_pass (&spec);
    b = parse (infant);
    g_assert_true (b->valid);
    assert_issue (b, FALSE, 104, 1);
    assert_issue (b, FALSE, 107, 1);
    g_assert_cmpuint (b->warnings->len, ==, 2);
    g_assert_cmpstr (b->legs[0].seat, ==, "INF");
    g_assert_cmpstr (b->legs[0].checkin_sequence, ==, "");
  }

  /* A byte that is not printable in a checked item is the item's error;
   * in the PNR code (not checked) a warning */
  {
    g_autofree char *buf = g_strdup (SAMPLE1);
    g_autoptr(TpBcbp) bcbp = NULL;
    const TpBcbpIssue *issue;

    buf[49] = '\0';     /* seat "001A" -> "0\0" "1A" */
    buf[25] = '\0';     /* PNR "ABC123 " -> "AB\0" "123 " */
    bcbp = parse_len (buf, strlen (SAMPLE1), 2026, 11, 20);
    g_assert_false (bcbp->valid);
    g_assert_cmpuint (bcbp->errors->len, ==, 1);
    issue = assert_issue (bcbp, TRUE, 104, 1);
    g_assert_nonnull (strstr (issue->message, "“0\\x001A”"));
    issue = assert_issue (bcbp, FALSE, 7, 1);
    g_assert_nonnull (strstr (issue->message, "0x00"));
    g_assert_cmpstr (bcbp->legs[0].pnr, ==, "AB?123");
    g_assert_cmpstr (bcbp->legs[0].seat, ==, "0?1A");
    g_assert_cmpstr (bcbp->legs[0].checkin_sequence, ==, "0025");
  }
}

/* A pass with three legs whose first leg's variable size field can be
 * rewritten: the first leg has the unique and a repeated section and
 * airline use, 0x4C bytes in all. */
static char *
resync_pass (const LegSpec *second)
{
  PassSpec spec = { .version = 6, .unique = UNIQUE_SHORT, .n_legs = 3, .security = S2_SECURITY };

  spec.legs[0] = leg_yul_fra;
  spec.legs[0].repeated = REPEATED_42;
  spec.legs[0].airline_use = "USE1";
  spec.legs[1] = second != NULL ? *second : leg_fra_han;
  spec.legs[2] = leg_han_sgn;
  spec.legs[2].repeated = REPEATED_41;
  return build_pass (&spec);
}

static void
set_size (char  *text,
          gsize  at,
          guint  size)
{
  char hex[3];

  g_snprintf (hex, sizeof hex, "%02X", size);
  memcpy (text + at, hex, 2);
}

static void
assert_resync_legs (const TpBcbp *bcbp)
{
  g_assert_cmpuint (bcbp->n_legs, ==, 3);
  g_assert_cmpstr (bcbp->legs[0].airline_use, ==, "USE1");
  g_assert_cmpstr (bcbp->legs[0].fast_track, ==, "Y");
  g_assert_cmpstr (bcbp->legs[1].pnr, ==, "XYZ789");
  g_assert_cmpstr (bcbp->legs[1].from, ==, "FRA");
  g_assert_cmpstr (bcbp->legs[1].to, ==, "HAN");
  g_assert_cmpstr (bcbp->legs[1].flight_number, ==, "0774");
  g_assert_cmpint (bcbp->legs[1].julian_date, ==, 327);
  g_assert_cmpstr (bcbp->legs[2].from, ==, "HAN");
  g_assert_cmpstr (bcbp->legs[2].free_baggage_allowance, ==, "4PC");
  g_assert_cmpstr (bcbp->security_data, ==, "ABCDEFGH");
}

/* A wrong variable size field before another leg: the next leg is looked
 * for within 8 bytes of where the size points, and taken only when it is
 * well formed in every mandatory item. */
static void
test_resync (void)
{
  g_autofree char *good = resync_pass (NULL);

  g_assert_cmpint (good[58], ==, '4');
  g_assert_cmpint (good[59], ==, 'C');
  {
    g_autoptr(TpBcbp) bcbp = parse (good);

    assert_clean (bcbp);
    assert_resync_legs (bcbp);
  }

  /* Sizes off by 1 to 8, either way: re-synchronised, with a warning on
   * the first leg's size */
  for (int delta = -8; delta <= 8; delta++)
    {
      g_autofree char *text = g_strdup (good);
      g_autoptr(TpBcbp) bcbp = NULL;
      const TpBcbpIssue *issue;
      g_autofree char *expected = NULL;

      if (delta == 0)
        continue;
      set_size (text, 58, (guint) (0x4C + delta));
      bcbp = parse (text);
      g_test_message ("size 0x%02X", (guint) (0x4C + delta));
      g_assert_true (bcbp->valid);
      g_assert_cmpuint (bcbp->warnings->len, ==, 1);
      issue = assert_issue (bcbp, FALSE, 6, 1);
      expected = g_strdup_printf ("declares 0x%02X bytes", (guint) (0x4C + delta));
      g_assert_nonnull (strstr (issue->message, expected));
      g_assert_nonnull (strstr (issue->message, "leg 2 starts after 0x4C bytes"));
      g_assert_cmpint (bcbp->legs[0].variable_size, ==, 0x4C + delta);
      assert_resync_legs (bcbp);
    }

  /* Off by more: the leg where the size points is read, and its items
   * are errors naming leg 2 */
  {
    const int deltas[] = { -9, 9, -0x20, 0x11 };

    for (guint i = 0; i < G_N_ELEMENTS (deltas); i++)
      {
        g_autofree char *text = g_strdup (good);
        g_autoptr(TpBcbp) bcbp = NULL;

        set_size (text, 58, (guint) (0x4C + deltas[i]));
        g_test_message ("size 0x%02X", (guint) (0x4C + deltas[i]));
        bcbp = parse (text);
        g_assert_false (bcbp->valid);
        assert_leg_error (bcbp, 2);
        g_assert_null (tp_bcbp_find_issue (bcbp, 6, 1));
        if (bcbp->n_legs >= 2)
          g_assert_cmpstr (bcbp->legs[1].from, !=, "FRA");
      }
  }

  /* A leg in the window that is only tolerated (an infant's seat) is not
   * taken: the pass is invalid */
  {
    LegSpec infant = leg_fra_han;
    g_autofree char *text = NULL;
    g_autoptr(TpBcbp) bcbp = NULL;

    infant.seat = "INF";
    text = resync_pass (&infant);
    {
      g_autoptr(TpBcbp) right = parse (text);

      g_assert_true (right->valid);
      assert_issue (right, FALSE, 104, 2);
    }
    set_size (text, 58, 0x4C - 2);
    bcbp = parse (text);
    g_assert_false (bcbp->valid);
    assert_leg_error (bcbp, 2);
    g_assert_null (tp_bcbp_find_issue (bcbp, 6, 1));
  }

  /* The second leg's size wrong: the third leg is found */
  {
    g_autofree char *text = g_strdup (good);
    g_autoptr(TpBcbp) bcbp = NULL;
    gsize at = 23 + 37 + 0x4C + 35;

    g_assert_cmpint (text[at], ==, '0');
    g_assert_cmpint (text[at + 1], ==, '0');
    set_size (text, at, 3);
    bcbp = parse (text);
    g_assert_true (bcbp->valid);
    assert_issue (bcbp, FALSE, 6, 2);
    g_assert_cmpuint (bcbp->warnings->len, ==, 1);
    assert_resync_legs (bcbp);
    g_assert_null (bcbp->legs[1].airline_use);
  }

  /* A size pointing past the data, with the leg within reach */
  {
    PassSpec spec = { .version = -1, .n_legs = 2 };
    g_autofree char *text = NULL;
    g_autoptr(TpBcbp) bcbp = NULL;

    spec.legs[0] = leg_yul_fra;
    spec.legs[1] = leg_fra_han;
    text = build_pass (&spec);
    set_size (text, 58, 5);
    bcbp = parse (text);
    g_assert_true (bcbp->valid);
    assert_issue (bcbp, FALSE, 6, 1);
    g_assert_cmpstr (bcbp->legs[1].to, ==, "HAN");
    g_assert_null (bcbp->legs[0].airline_use);
  }
}

static void
test_non_printable (void)
{
  /* Not NUL-terminated, with a NUL and a non-ASCII byte in the name */
  gsize len = strlen (SAMPLE2);
  g_autofree char *buf = g_malloc (len);
  g_autoptr(TpBcbp) bcbp = NULL;
  const TpBcbpIssue *issue;

  memcpy (buf, SAMPLE2, len);
  buf[5] = '\0';
  buf[6] = (char) 0xC3;
  buf[len - 1] = (char) 0xFF;   /* in the security data: kept raw */
  bcbp = parse_len (buf, len, 2026, 11, 20);
  g_assert_true (bcbp->valid);
  g_assert_cmpstr (bcbp->passenger_name, ==, "DES??RAIS/LUC");
  issue = assert_issue (bcbp, FALSE, 11, 0);
  g_assert_nonnull (strstr (issue->message, "0x00"));
  g_assert_cmpuint (bcbp->warnings->len, ==, 1);
  g_assert_cmpuint (bcbp->security_data_len, ==, 8);
  g_assert_cmpint ((guchar) bcbp->security_data[7], ==, 0xFF);
}

static void
test_trailing (void)
{
  /* A trailing line end is data to the parser (the CLI strips it) */
  g_autoptr(TpBcbp) b1 = parse (SAMPLE2 "\n");
  g_autoptr(TpBcbp) b2 = parse (SAMPLE1 "\r\n");

  g_assert_true (b1->valid);
  assert_issue (b1, FALSE, 30, 0);
  g_assert_cmpstr (b1->security_data, ==, "ABCDEFGH");
  g_assert_true (b2->valid);
  g_assert_cmpuint (b2->warnings->len, >, 0);
  g_assert_cmpstr (b2->legs[0].seat, ==, "001A");
}

static void
test_not_a_pass (void)
{
  const char *inputs[] = {
    "",
    "M",
    "M1",
    "hello",
    "https://example.org/boarding?pnr=ABC123",
    "X1DESMARAIS/LUC       EABC123 YULFRAAC 0834 326J001A0025 100",
    "m1DESMARAIS/LUC       EABC123 YULFRAAC 0834 326J001A0025 100",
    "MXDESMARAIS/LUC       EABC123 YULFRAAC 0834 326J001A0025 100",
    " M1DESMARAIS/LUC       EABC123 YULFRAAC 0834 326J001A0025 10",
    "M1DESMARAIS/LUC       EABC123 YULFR",       /* 35: the route is cut */
    "M1DESMARAIS/LUC       EABC123 YU1FRAAC 0834 326J001A0025 1",  /* 58: no route */
    "M1DESMARAIS/LUC       E0123456789012345678901234567890123",   /* 57 */
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<L898902C36UTO7408122F1204159ZE184226B<<<<<10",
  };

  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GDate) ref = day (2026, 11, 20);
      TpBcbp *bcbp = tp_bcbp_parse (inputs[i], strlen (inputs[i]), ref, &error);

      g_assert_null (bcbp);
      g_assert_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT);
      g_assert_nonnull (strstr (error->message, "Not a boarding pass"));
    }

  /* NULL data with length 0 */
  {
    g_autoptr(GError) error = NULL;

    g_assert_null (tp_bcbp_parse (NULL, 0, NULL, &error));
    g_assert_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT);
  }
}

/* The warnings of bcbp are about exactly these items, in this order. */
static void
assert_warnings (const TpBcbp *bcbp,
                 const guint  *items,
                 gsize         n)
{
  dump_issues (bcbp);
  g_assert_cmpuint (bcbp->warnings->len, ==, n);
  for (gsize i = 0; i < n; i++)
    {
      const TpBcbpIssue *issue = g_ptr_array_index (bcbp->warnings, i);

      g_assert_cmpuint (issue->item, ==, items[i]);
      g_assert_nonnull (strstr (issue->message, tp_bcbp_item_name (items[i])));
    }
}

/* Passes as airlines print them, from the published test data of another
 * open parser (KDE Itinerary's BCBP parser tests, reference date
 * 2018-04-02 as there), each with its deviation from Resolution 792. */
static void
test_airline_passes (void)
{
  g_autoptr(GDate) ref = day (2018, 4, 2);

  /* Brussels Airlines (SN), the short code on a booking confirmation: cut
   * short after the compartment. A pass: the seat, check-in sequence,
   * passenger status and variable size are missing, each a warning. */
  {
    const char *text = "M1DOE/JOHN            EXXX007 TXLBRUSN 2592 110Y";
    g_autoptr(TpBcbp) bcbp = tp_bcbp_parse (text, strlen (text), ref, NULL);
    static const guint missing[] = { 104, 107, 113, 6 };

    g_assert_nonnull (bcbp);
    g_assert_true (bcbp->valid);
    g_assert_cmpuint (bcbp->n_legs, ==, 1);
    g_assert_cmpstr (bcbp->passenger_name, ==, "DOE/JOHN");
    g_assert_cmpstr (bcbp->legs[0].from, ==, "TXL");
    g_assert_cmpstr (bcbp->legs[0].to, ==, "BRU");
    g_assert_cmpstr (bcbp->legs[0].carrier, ==, "SN");
    g_assert_cmpstr (bcbp->legs[0].flight_number, ==, "2592");
    g_assert_cmpint (bcbp->legs[0].julian_date, ==, 110);
    assert_date (&bcbp->legs[0].flight_date, "2018-04-20");
    g_assert_cmpstr (bcbp->legs[0].compartment, ==, "Y");
    g_assert_null (bcbp->legs[0].seat);
    g_assert_null (bcbp->legs[0].checkin_sequence);
    g_assert_null (bcbp->legs[0].passenger_status);
    g_assert_cmpint (bcbp->legs[0].variable_size, ==, -1);
    assert_warnings (bcbp, missing, G_N_ELEMENTS (missing));
    g_assert_nonnull (strstr (((TpBcbpIssue *) g_ptr_array_index (bcbp->warnings, 0))->message,
                              "Seat Number (item 104), leg 1: missing"));
  }
  /* Brussels Airlines, ending right after the date of flight */
  {
    const char *text = "M1DOE/JOHN            EXXX007 TXLBRUSN 2592 110";
    g_autoptr(TpBcbp) bcbp = tp_bcbp_parse (text, strlen (text), ref, NULL);
    static const guint missing[] = { 71, 104, 107, 113, 6 };

    g_assert_nonnull (bcbp);
    g_assert_true (bcbp->valid);
    assert_date (&bcbp->legs[0].flight_date, "2018-04-20");
    g_assert_null (bcbp->legs[0].compartment);
    assert_warnings (bcbp, missing, G_N_ELEMENTS (missing));
  }
  /* The same cut inside the date of flight: a pass without a date (the
   * two digits are not taken for day 011) */
  {
    const char *text = "M1DOE/JOHN            EXXX007 TXLBRUSN 2592 11";
    g_autoptr(TpBcbp) bcbp = tp_bcbp_parse (text, strlen (text), ref, NULL);
    static const guint missing[] = { 46, 71, 104, 107, 113, 6 };

    g_assert_nonnull (bcbp);
    g_assert_true (bcbp->valid);
    g_assert_cmpint (bcbp->legs[0].julian_date, ==, -1);
    g_assert_false (g_date_valid (&bcbp->legs[0].flight_date));
    assert_warnings (bcbp, missing, G_N_ELEMENTS (missing));
    g_assert_nonnull (strstr (((TpBcbpIssue *) g_ptr_array_index (bcbp->warnings, 0))->message,
                              "cut short"));
  }
  /* easyJet (EZY): day 099 printed left-aligned as “99 ”, no compartment,
   * seat “3C  ”, no version and airline use of its own */
  {
    const char *text = "M1DOE/JOHN            EABCDEFGMRSLGWEZY8724 99  3C  506  10Axxxxxxxxxx";
    g_autoptr(TpBcbp) bcbp = tp_bcbp_parse (text, strlen (text), ref, NULL);
    static const guint warned[] = { 46, 71, 104, 8 };

    g_assert_nonnull (bcbp);
    g_assert_true (bcbp->valid);
    g_assert_cmpstr (bcbp->legs[0].pnr, ==, "ABCDEFG");
    g_assert_cmpstr (bcbp->legs[0].from, ==, "MRS");
    g_assert_cmpstr (bcbp->legs[0].to, ==, "LGW");
    g_assert_cmpstr (bcbp->legs[0].carrier, ==, "EZY");
    g_assert_cmpstr (bcbp->legs[0].flight_number, ==, "8724");
    g_assert_cmpint (bcbp->legs[0].julian_date, ==, 99);
    assert_date (&bcbp->legs[0].flight_date, "2018-04-09");
    g_assert_cmpstr (bcbp->legs[0].compartment, ==, "");
    g_assert_cmpstr (bcbp->legs[0].seat, ==, "3C");
    g_assert_cmpstr (bcbp->legs[0].checkin_sequence, ==, "506");
    g_assert_cmpstr (bcbp->legs[0].passenger_status, ==, "1");
    g_assert_cmpint (bcbp->legs[0].variable_size, ==, 0x0A);
    g_assert_cmpstr (bcbp->legs[0].airline_use, ==, "xxxxxxxxxx");
    assert_warnings (bcbp, warned, G_N_ELEMENTS (warned));
  }
  /* Eurowings (EW): no electronic ticket indicator (a space) */
  {
    const char *text = "M1DOE/JOHN             XXX007 BRUTXLEW 8103 035Y012C0030 147>1181W 8033BEW "
                       "0000000000000291040000000000 0   LH 123456789012345     ";
    g_autoptr(TpBcbp) bcbp = tp_bcbp_parse (text, strlen (text), ref, NULL);
    static const guint warned[] = { 253 };

    g_assert_nonnull (bcbp);
    g_assert_true (bcbp->valid);
    g_assert_false (bcbp->eticket);
    g_assert_cmpstr (bcbp->legs[0].from, ==, "BRU");
    assert_date (&bcbp->legs[0].flight_date, "2018-02-04");
    assert_date (&bcbp->date_of_issue, "2018-02-02");
    assert_warnings (bcbp, warned, G_N_ELEMENTS (warned));
  }
  /* TAP Air Portugal (TP), issued through Amadeus (1A): the date of issue
   * left blank */
  {
    const char *text = "M1DOE/JOHN            EXXX007 LISLCGTP 1080 204Y002D0003 35C>2180      B1A   "
                       "           2904712345678900                           *306      09     BRND";
    g_autoptr(TpBcbp) bcbp = tp_bcbp_parse (text, strlen (text), ref, NULL);

    g_assert_nonnull (bcbp);
    assert_clean (bcbp);
    g_assert_cmpstr (bcbp->date_of_issue_raw, ==, "");
    g_assert_false (g_date_valid (&bcbp->date_of_issue));
    g_assert_cmpstr (bcbp->document_type, ==, "B");
    g_assert_cmpstr (bcbp->issuer, ==, "1A");
  }
  /* Two legs declared, one present: a leg is missing, not cut short */
  {
    const char *text = "M2DESMARAIS/LUC       EABC123 YULFRAAC 0834 326J001A0025 100";
    g_autoptr(TpBcbp) bcbp = tp_bcbp_parse (text, strlen (text), ref, NULL);

    g_assert_nonnull (bcbp);
    g_assert_false (bcbp->valid);
    assert_issue (bcbp, TRUE, 7, 2);
  }
}

/* Every prefix of the sample and of a multi-leg pass: no crash, NULL when
 * too short for the first leg's route, else the mandatory items the data
 * holds (a warning for each one it does not), an error for a declared leg
 * that is missing, a warning for cut conditional data. */
static void
check_prefixes (const char *text,
                guint       n_legs)
{
  gsize full = strlen (text);
  const char *caret = strrchr (text, '^');
  gsize security_at = caret != NULL ? (gsize) (caret - text) : full;

  for (gsize len = 0; len <= full; len++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GDate) ref = day (2026, 11, 20);
      /* An exact-size copy so that ASan sees any read past len */
      g_autofree char *buf = g_memdup2 (text, len);
      g_autoptr(TpBcbp) bcbp = tp_bcbp_parse (buf, len, ref, &error);

      if (len < 36)
        {
          g_assert_null (bcbp);
          g_assert_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT);
          continue;
        }
      g_assert_no_error (error);
      g_assert_nonnull (bcbp);
      g_assert_cmpint (bcbp->valid, ==, bcbp->errors->len == 0);
      g_assert_cmpuint (bcbp->n_legs, >=, 1);
      g_assert_cmpstr (bcbp->legs[0].from, ==, "YUL");
      g_assert_cmpstr (bcbp->passenger_name, ==, n_legs == 1 ? "DESMARAIS/LUC" : "NGUYEN/VAN AN");

      if (len == full || len == security_at)
        {
          assert_clean (bcbp);
          g_assert_cmpuint (bcbp->n_legs, ==, n_legs);
          continue;
        }
      /* Something is always reported about a cut pass */
      g_assert_cmpuint (bcbp->errors->len + bcbp->warnings->len, >, 0);
      if (bcbp->n_legs < n_legs)
        {
          const TpBcbpIssue *issue;

          g_assert_false (bcbp->valid);
          issue = g_ptr_array_index (bcbp->errors, bcbp->errors->len - 1);
          g_assert_cmpuint (issue->leg, ==, bcbp->n_legs + 1);
          g_assert_nonnull (tp_bcbp_item_name (issue->item));
        }
      else
        /* Only the last leg or conditional data was cut */
        g_assert_true (bcbp->valid);

      /* A leg cut inside its mandatory items: what the data holds is read,
       * the rest is NULL with a warning naming the item */
      for (guint i = 0; i < bcbp->n_legs; i++)
        {
          const TpBcbpLeg *leg = &bcbp->legs[i];

          g_assert_nonnull (leg->pnr);
          g_assert_nonnull (leg->from);
          g_assert_nonnull (leg->to);
          if (leg->passenger_status == NULL)
            {
              const TpBcbpIssue *issue = tp_bcbp_find_issue (bcbp, 113, i + 1);

              g_assert_nonnull (issue);
              g_assert_nonnull (strstr (issue->message, "the pass ends"));
              g_assert_cmpint (leg->variable_size, ==, -1);
              g_assert_cmpint (leg->julian_date == -1, ==, !g_date_valid (&leg->flight_date));
            }
        }
    }
}

static void
test_truncated_prefixes (void)
{
  PassSpec spec = {
    .name = "NGUYEN/VAN AN", .version = 6, .unique = UNIQUE_FULL,
    .security = "^10AABCDEFGHIJ", .n_legs = 3,
  };
  g_autofree char *multi = NULL;

  spec.legs[0] = leg_yul_fra;
  spec.legs[0].repeated = REPEATED_42;
  spec.legs[0].airline_use = "LX58Z";
  spec.legs[1] = leg_fra_han;
  spec.legs[1].repeated = REPEATED_41;
  spec.legs[2] = leg_han_sgn;
  spec.legs[2].repeated = REPEATED_42;
  spec.legs[2].airline_use = "Q";
  multi = build_pass (&spec);

  check_prefixes (SAMPLE1, 1);
  check_prefixes (SAMPLE2, 1);
  check_prefixes (multi, 3);
}

/* Every single-byte change of the sample: no crash, and consistent
 * results. */
static void
test_mutations (void)
{
  static const char replacements[] = { ' ', '0', '9', 'F', 'Z', '>', '^', '/', '\0', '\xff' };
  gsize len = strlen (SAMPLE2);
  g_autoptr(GDate) ref = day (2026, 11, 20);

  for (gsize i = 0; i < len; i++)
    for (guint r = 0; r < G_N_ELEMENTS (replacements); r++)
      {
        g_autofree char *buf = g_memdup2 (SAMPLE2, len);
        g_autoptr(GError) error = NULL;
        g_autoptr(TpBcbp) bcbp = NULL;

        buf[i] = replacements[r];
        bcbp = tp_bcbp_parse (buf, len, ref, &error);
        if (i < 2 && (buf[i] != SAMPLE2[i]) && !(i == 1 && g_ascii_isdigit (buf[1])))
          {
            g_assert_null (bcbp);
            continue;
          }
        g_assert_nonnull (bcbp);
        g_assert_cmpint (bcbp->valid, ==, bcbp->errors->len == 0);
        for (guint k = 0; k < bcbp->errors->len; k++)
          {
            const TpBcbpIssue *issue = g_ptr_array_index (bcbp->errors, k);

            g_assert_nonnull (issue->message);
            g_assert_true (g_utf8_validate (issue->message, -1, NULL));
          }
      }
}

static void
test_find_issue_and_names (void)
{
  g_autofree char *text = g_strdup (SAMPLE1);
  g_autoptr(TpBcbp) bcbp = NULL;

  text[22] = ' ';
  text[44] = 'X';
  bcbp = parse (text);
  g_assert_nonnull (tp_bcbp_find_issue (bcbp, 253, 0));
  g_assert_nonnull (tp_bcbp_find_issue (bcbp, 46, 1));
  g_assert_null (tp_bcbp_find_issue (bcbp, 46, 2));
  g_assert_null (tp_bcbp_find_issue (bcbp, 11, 0));

  g_assert_cmpstr (tp_bcbp_item_name (11), ==, "Passenger Name");
  g_assert_cmpstr (tp_bcbp_item_name (6), ==, "Field size of variable size field");
  g_assert_cmpstr (tp_bcbp_item_name (254), ==, "Fast Track");
  g_assert_null (tp_bcbp_item_name (0));
  g_assert_null (tp_bcbp_item_name (999));
}

static void
test_default_reference (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpBcbp) bcbp = tp_bcbp_parse (SAMPLE1, strlen (SAMPLE1), NULL, &error);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  gint64 diff;
  GDate today;

  g_assert_no_error (error);
  g_assert_true (g_date_valid (&bcbp->legs[0].flight_date));
  g_date_clear (&today, 1);
  g_date_set_dmy (&today, g_date_time_get_day_of_month (now), g_date_time_get_month (now),
                  g_date_time_get_year (now));
  diff = (gint64) g_date_get_julian (&bcbp->legs[0].flight_date) - g_date_get_julian (&today);
  g_assert_cmpint (ABS (diff), <=, 183);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/bcbp/iata/sample1", test_sample1);
  g_test_add_func ("/bcbp/iata/sample2", test_sample2);
  g_test_add_func ("/bcbp/iata/shared-testdata", test_shared_testdata);
  g_test_add_func ("/bcbp/legs/multi", test_multi_leg);
  g_test_add_func ("/bcbp/legs/mandatory-only", test_multi_leg_mandatory_only);
  g_test_add_func ("/bcbp/legs/count", test_legs_count);
  g_test_add_func ("/bcbp/legs/mandatory-values", test_mandatory_values);
  g_test_add_func ("/bcbp/legs/resync", test_resync);
  g_test_add_func ("/bcbp/version/1-8", test_versions);
  g_test_add_func ("/bcbp/version/unknown", test_unknown_version);
  g_test_add_func ("/bcbp/version/not-digit", test_version_not_digit);
  g_test_add_func ("/bcbp/version/missing", test_missing_version);
  g_test_add_func ("/bcbp/version/cut", test_version_cut);
  g_test_add_func ("/bcbp/version/passenger-description-v8", test_passenger_description_v8);
  g_test_add_func ("/bcbp/date/flight-resolution", test_flight_date_resolution);
  g_test_add_func ("/bcbp/date/flight-in-pass", test_flight_date_in_pass);
  g_test_add_func ("/bcbp/date/issue-resolution", test_issue_date_resolution);
  g_test_add_func ("/bcbp/date/issue-in-pass", test_issue_date_in_pass);
  g_test_add_func ("/bcbp/date/default-reference", test_default_reference);
  g_test_add_func ("/bcbp/tolerant/eticket", test_eticket);
  g_test_add_func ("/bcbp/tolerant/variable-size-bigger", test_variable_size_bigger);
  g_test_add_func ("/bcbp/tolerant/variable-size-smaller", test_variable_size_smaller);
  g_test_add_func ("/bcbp/tolerant/section-sizes", test_section_sizes);
  g_test_add_func ("/bcbp/tolerant/non-printable", test_non_printable);
  g_test_add_func ("/bcbp/tolerant/trailing", test_trailing);
  g_test_add_func ("/bcbp/tolerant/truncated-prefixes", test_truncated_prefixes);
  g_test_add_func ("/bcbp/tolerant/mutations", test_mutations);
  g_test_add_func ("/bcbp/airline-use", test_airline_use_raw);
  g_test_add_func ("/bcbp/security", test_security);
  g_test_add_func ("/bcbp/name/field", test_name);
  g_test_add_func ("/bcbp/name/split", test_name_split);
  g_test_add_func ("/bcbp/issues", test_find_issue_and_names);
  g_test_add_func ("/bcbp/not-a-pass", test_not_a_pass);
  g_test_add_func ("/bcbp/airline-passes", test_airline_passes);

  return g_test_run ();
}
