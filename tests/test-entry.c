/* test-entry.c: list entry decoder, canonical JSON, effective dates, state hash
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "tp-country.h"
#include "tp-entry.h"
#include "tp-json.h"
#include "tp-mrz.h"
#include "tp-error.h"
#include "tp-state-hash.h"

/* BRIEF §2, with a lower-case identifier carrying a space and an
 * unknown member that the decoder must drop. */
#define EXAMPLE \
  "{\"id\": \"EB-2026-000123\", \"version\": 3, \"list\": \"exit_ban\", \"status\": \"active\"," \
  " \"agency\": \"customs\", \"action\": \"deny_exit\", \"visibility\": [\"supervisor\", \"immigration\"]," \
  " \"person\": {\"full_name\": \" Nguyễn Văn An \", \"birth_date\": \"1980-05-17\", \"sex\": \"M\"," \
  "   \"nationality\": \"vnm\", \"identifiers\": [" \
  "     {\"type\": \"passport\", \"value\": \"c 1234567\", \"country\": \"VNM\"}," \
  "     {\"type\": \"national_id\", \"value\": \"001080012345\", \"country\": \"VNM\"}," \
  "     {\"type\": \"tax_code\", \"value\": \"0101234567\"}]}," \
  " \"basis\": {\"reference\": \"1234/TB-HQ\", \"issued_by\": \"Chi cục Hải quan\"," \
  "   \"issued_at\": \"2026-01-16\", \"reason\": \"tax_debt\"}," \
  " \"effective_from\": \"2026-01-16\", \"effective_until\": \"2026-07-16\", \"x_unknown\": 1}"

#define EXAMPLE_CANONICAL \
  "{\"action\":\"deny_exit\",\"agency\":\"customs\",\"basis\":{\"issued_at\":\"2026-01-16\"," \
  "\"issued_by\":\"Chi cục Hải quan\",\"reason\":\"tax_debt\",\"reference\":\"1234/TB-HQ\"}," \
  "\"effective_from\":\"2026-01-16\",\"effective_until\":\"2026-07-16\",\"id\":\"EB-2026-000123\"," \
  "\"list\":\"exit_ban\",\"person\":{\"birth_date\":\"1980-05-17\",\"full_name\":\"Nguyễn Văn An\"," \
  "\"identifiers\":[{\"country\":\"VNM\",\"type\":\"passport\",\"value\":\"C1234567\"}," \
  "{\"country\":\"VNM\",\"type\":\"national_id\",\"value\":\"001080012345\"}," \
  "{\"type\":\"tax_code\",\"value\":\"0101234567\"}],\"nationality\":\"VNM\",\"sex\":\"M\"}," \
  "\"status\":\"active\",\"version\":3,\"visibility\":[\"immigration\",\"supervisor\"]}"

#define MINIMAL \
  "{\"id\": \"W-1\", \"version\": 1, \"list\": \"watch\", \"status\": \"active\", \"agency\": \"police\"," \
  " \"action\": \"notify\", \"person\": {\"full_name\": \"Trần Thị Bình\"}, \"effective_from\": \"2026-01-01\"}"

static GDate *
day (guint y,
     guint m,
     guint d)
{
  return g_date_new_dmy ((GDateDay) d, (GDateMonth) m, (GDateYear) y);
}

/* EXAMPLE with the member at @path ("person.birth_date") replaced by the
 * JSON @value, or removed when @value is NULL. */
static char *
patched (const char *path,
         const char *value)
{
  g_autoptr(JsonNode) root = json_from_string (EXAMPLE, NULL);
  g_auto(GStrv) parts = g_strsplit (path, ".", -1);
  JsonObject *object = json_node_get_object (root);
  guint n = g_strv_length (parts);

  for (guint i = 0; i + 1 < n; i++)
    object = json_object_get_object_member (object, parts[i]);
  if (value == NULL)
    json_object_remove_member (object, parts[n - 1]);
  else
    {
      g_autoptr(GError) error = NULL;
      JsonNode *node = json_from_string (value, &error);

      g_assert_no_error (error);
      json_object_set_member (object, parts[n - 1], node);
    }
  return json_to_string (root, FALSE);
}

static void
test_example (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpEntry) entry = tp_entry_from_json (EXAMPLE, -1, &error);
  const TpIdentifier *id;

  g_assert_no_error (error);
  g_assert_nonnull (entry);
  g_assert_cmpstr (entry->id, ==, "EB-2026-000123");
  g_assert_cmpuint (entry->version, ==, 3);
  g_assert_cmpint (entry->list, ==, TP_LIST_EXIT_BAN);
  g_assert_cmpint (entry->status, ==, TP_ENTRY_ACTIVE);
  g_assert_cmpint (entry->agency, ==, TP_AGENCY_CUSTOMS);
  g_assert_cmpint (entry->action, ==, TP_ACTION_DENY_EXIT);
  g_assert_cmpint (entry->visibility, ==, TP_ROLE_IMMIGRATION | TP_ROLE_SUPERVISOR);
  g_assert_cmpstr (entry->full_name, ==, "Nguyễn Văn An");
  g_assert_cmpuint (entry->birth_date.year, ==, 1980);
  g_assert_cmpuint (entry->birth_date.month, ==, 5);
  g_assert_cmpuint (entry->birth_date.day, ==, 17);
  g_assert_cmpint (entry->sex, ==, 'M');
  g_assert_cmpstr (entry->nationality, ==, "VNM");
  g_assert_cmpuint (entry->identifiers->len, ==, 3);
  id = g_ptr_array_index (entry->identifiers, 0);
  g_assert_cmpint (id->type, ==, TP_ID_PASSPORT);
  g_assert_cmpstr (id->value, ==, "C1234567");
  g_assert_cmpstr (id->country, ==, "VNM");
  id = g_ptr_array_index (entry->identifiers, 2);
  g_assert_cmpint (id->type, ==, TP_ID_TAX_CODE);
  g_assert_null (id->country);
  g_assert_cmpstr (entry->basis_reference, ==, "1234/TB-HQ");
  g_assert_cmpstr (entry->basis_issued_at, ==, "2026-01-16");
  g_assert_cmpstr (entry->basis_reason, ==, "tax_debt");
  g_assert_cmpuint (g_date_get_year (&entry->effective_from), ==, 2026);
  g_assert_cmpuint (g_date_get_day (&entry->effective_until), ==, 16);
  g_assert_cmpuint (g_date_get_month (&entry->effective_until), ==, 7);
}

static void
test_minimal (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpEntry) entry = tp_entry_from_json (MINIMAL, -1, &error);
  g_autofree char *json = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (entry->visibility, ==, 0);
  g_assert_cmpuint (entry->identifiers->len, ==, 0);
  g_assert_cmpuint (entry->birth_date.year, ==, 0);
  g_assert_cmpint (entry->sex, ==, 0);
  g_assert_cmpstr (entry->nationality, ==, "");
  g_assert_null (entry->basis_reference);
  g_assert_false (g_date_valid (&entry->effective_until));
  json = tp_entry_to_json (entry);
  g_assert_cmpstr (json, ==,
                   "{\"action\":\"notify\",\"agency\":\"police\",\"effective_from\":\"2026-01-01\","
                   "\"id\":\"W-1\",\"list\":\"watch\",\"person\":{\"full_name\":\"Trần Thị Bình\"},"
                   "\"status\":\"active\",\"version\":1}");
}

static void
test_identifier_only (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *json = patched ("person.full_name", NULL);
  g_autoptr(TpEntry) entry = tp_entry_from_json (json, -1, &error);

  g_assert_no_error (error);
  g_assert_null (entry->full_name);
  g_assert_cmpuint (entry->identifiers->len, ==, 3);
}

static void
test_null_members (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *json = patched ("effective_until", "null");
  g_autoptr(TpEntry) entry = tp_entry_from_json (json, -1, &error);

  g_assert_no_error (error);
  g_assert_false (g_date_valid (&entry->effective_until));
}

static void
test_partial_dates (void)
{
  static const struct {
    const char *text;
    guint year, month, day;
  } good[] = {
    { "1980", 1980, 0, 0 },
    { "1980-05", 1980, 5, 0 },
    { "1980-05-17", 1980, 5, 17 },
    { "2000-02-29", 2000, 2, 29 },
    { "9999-12-31", 9999, 12, 31 },
  };
  static const char * const bad[] = {
    "", "80", "198", "19800", "1980-5", "1980-13", "1980-00", "1980-05-1", "1980-05-00",
    "1980-02-30", "1900-02-29", "1980-05-17T00", "1980/05/17", "0999", "-980", "1980-05-32",
    "１９８０", " 1980", "1980-05-17 ",
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      TpPartialDate d;
      g_autofree char *back = NULL;

      g_assert_true (tp_partial_date_parse (good[i].text, &d));
      g_assert_cmpuint (d.year, ==, good[i].year);
      g_assert_cmpuint (d.month, ==, good[i].month);
      g_assert_cmpuint (d.day, ==, good[i].day);
      back = tp_partial_date_to_string (&d);
      g_assert_cmpstr (back, ==, good[i].text);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      TpPartialDate d;

      if (tp_partial_date_parse (bad[i], &d))
        g_error ("“%s” parsed as a date", bad[i]);
    }
  {
    TpPartialDate none = { 0, 0, 0 };

    g_assert_null (tp_partial_date_to_string (&none));
  }
}

static void
test_partial_birth_dates (void)
{
  static const char * const values[] = { "\"1980\"", "\"1980-05\"" };

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *json = patched ("person.birth_date", values[i]);
      g_autoptr(TpEntry) entry = tp_entry_from_json (json, -1, &error);
      g_autofree char *canonical = NULL;
      g_autofree char *expected = NULL;

      g_assert_no_error (error);
      canonical = tp_entry_to_json (entry);
      expected = g_strdup_printf ("\"birth_date\":%s", values[i]);
      g_assert_nonnull (strstr (canonical, expected));
    }
}

/* A birth date after today is refused; today itself, and this year or
 * month given alone, are not after today. */
static void
test_birth_date_not_in_future (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) tomorrow = g_date_time_add_days (now, 1);
  g_autoptr(GDateTime) next_month = g_date_time_add_months (now, 1);
  g_autofree char *today_s = g_date_time_format (now, "\"%Y-%m-%d\"");
  g_autofree char *month_s = g_date_time_format (now, "\"%Y-%m\"");
  g_autofree char *year_s = g_date_time_format (now, "\"%Y\"");
  g_autofree char *tomorrow_s = g_date_time_format (tomorrow, "\"%Y-%m-%d\"");
  g_autofree char *next_month_s = g_date_time_format (next_month, "\"%Y-%m\"");
  const char *accepted[] = { today_s, month_s, year_s, "\"1900-01-01\"" };
  const char *refused[] = { tomorrow_s, next_month_s };

  for (guint i = 0; i < G_N_ELEMENTS (accepted); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *json = patched ("person.birth_date", accepted[i]);
      g_autoptr(TpEntry) entry = tp_entry_from_json (json, -1, &error);

      g_assert_no_error (error);
      g_assert_nonnull (entry);
    }
  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *json = patched ("person.birth_date", refused[i]);
      g_autoptr(TpEntry) entry = tp_entry_from_json (json, -1, &error);
      g_autoptr(GDateTime) later = g_date_time_new_now_local ();
      g_autofree char *expected = NULL;

      if (g_date_time_get_day_of_month (later) != g_date_time_get_day_of_month (now))
        {
          g_test_skip ("midnight passed during the test");
          return;
        }
      g_assert_null (entry);
      g_assert_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT);
      expected = g_strdup_printf ("person.birth_date: “%.*s” is in the future",
                                  (int) strlen (refused[i]) - 2, refused[i] + 1);
      g_assert_cmpstr (error->message, ==, expected);
    }
}

/* Every error path: patch, then the message the decoder must give. */
static void
test_errors (void)
{
  static const struct {
    const char *path;
    const char *value;   /* NULL = remove */
    const char *message;
  } cases[] = {
    { "id", NULL, "id: missing (required)" },
    { "id", "42", "id: expected a string, found a whole number" },
    { "id", "\"\"", "id: empty" },
    { "id", "\"EB 1\"", "id: “EB 1” has a character that is not printable ASCII (or a space)" },
    { "id", "\"Ð-1\"", "id: “Ð-1” has a character that is not printable ASCII (or a space)" },
    { "version", NULL, "version: missing (required)" },
    { "version", "0", "version: 0 is out of range (1 to 2147483647)" },
    { "version", "-3", "version: -3 is out of range (1 to 2147483647)" },
    { "version", "4294967296", "version: 4294967296 is out of range (1 to 2147483647)" },
    { "version", "1.5", "version: expected a whole number ≥ 1, found a number" },
    { "version", "\"3\"", "version: expected a whole number ≥ 1, found a string" },
    { "list", NULL, "list: missing (required)" },
    { "list", "\"blacklist\"", "list: “blacklist” is not a list (exit_ban or watch)" },
    { "list", "true", "list: expected a string, found true or false" },
    { "status", "\"expired\"", "status: “expired” is not a status (active or cancelled)" },
    { "status", NULL, "status: missing (required)" },
    { "agency", "\"army\"", "agency: “army” is not an agency (customs, tax, immigration, police or court)" },
    { "agency", NULL, "agency: missing (required)" },
    { "action", "\"arrest\"", "action: “arrest” is not an action (deny_exit, refer_customs, refer_supervisor or notify)" },
    { "action", NULL, "action: missing (required)" },
    { "visibility", "\"supervisor\"", "visibility: expected an array of roles, found a string" },
    { "visibility", "[\"immigration\", \"admin\"]", "visibility[1]: “admin” is not a role (immigration, customs or supervisor)" },
    { "visibility", "[1]", "visibility[0]: expected a string, found a whole number" },
    { "person", NULL, "person: missing (required)" },
    { "person", "[]", "person: expected an object, found an array" },
    { "person", "{\"full_name\": \"  \"}", "person: needs a full_name or at least one identifier" },
    { "person", "{\"sex\": \"M\", \"identifiers\": []}", "person: needs a full_name or at least one identifier" },
    { "person.full_name", "7", "person.full_name: expected a string, found a whole number" },
    { "person.full_name", "\"Nguyen\\u0007An\"", "person.full_name: contains control characters" },
    { "person.birth_date", "\"1980-13-01\"", "person.birth_date: “1980-13-01” is not a date (YYYY, YYYY-MM or YYYY-MM-DD)" },
    { "person.birth_date", "\"1980-02-30\"", "person.birth_date: “1980-02-30” is not a date (YYYY, YYYY-MM or YYYY-MM-DD)" },
    { "person.birth_date", "\"17/05/1980\"", "person.birth_date: “17/05/1980” is not a date (YYYY, YYYY-MM or YYYY-MM-DD)" },
    { "person.birth_date", "1980", "person.birth_date: expected a string, found a whole number" },
    { "person.birth_date", "\"2090-01-01\"", "person.birth_date: “2090-01-01” is in the future" },
    { "person.birth_date", "\"2090-01\"", "person.birth_date: “2090-01” is in the future" },
    { "person.birth_date", "\"2090\"", "person.birth_date: “2090” is in the future" },
    { "person.sex", "\"Q\"", "person.sex: “Q” is not a sex code (M, F or X)" },
    { "person.sex", "\"m\"", "person.sex: “m” is not a sex code (M, F or X)" },
    { "person.nationality", "\"VN\"", "person.nationality: “VN” is not a country code: expected an ICAO 9303 code as the MRZ prints it (ISO 3166 alpha-3, D for Germany, XXA, UNO...)" },
    { "person.nationality", "\"V1M\"", "person.nationality: “V1M” is not a country code: expected an ICAO 9303 code as the MRZ prints it (ISO 3166 alpha-3, D for Germany, XXA, UNO...)" },
    { "person.nationality", "\"ZZZ\"", "person.nationality: “ZZZ” is not a country code: expected an ICAO 9303 code as the MRZ prints it (ISO 3166 alpha-3, D for Germany, XXA, UNO...)" },
    { "person.nationality", "\"D<<\"", "person.nationality: “D<<” is not a country code: expected an ICAO 9303 code as the MRZ prints it (ISO 3166 alpha-3, D for Germany, XXA, UNO...)" },
    { "person.identifiers", "{}", "person.identifiers: expected an array, found an object" },
    { "person.identifiers", "[\"C1234567\"]", "person.identifiers[0]: expected an object {\"type\", \"value\", \"country\"}, found a string" },
    { "person.identifiers", "[{\"value\": \"C1\"}]", "person.identifiers[0].type: missing (required)" },
    { "person.identifiers", "[{\"type\": \"passport\", \"value\": \"C1\"}, {\"type\": \"visa\", \"value\": \"V1\"}]",
      "person.identifiers[1].type: “visa” is not an identifier type (passport, national_id, tax_code or other)" },
    { "person.identifiers", "[{\"type\": \"passport\"}]", "person.identifiers[0].value: missing (required)" },
    { "person.identifiers", "[{\"type\": \"passport\", \"value\": \"  \"}]", "person.identifiers[0].value: empty" },
    { "person.identifiers", "[{\"type\": \"passport\", \"value\": \"C1:2\"}]",
      "person.identifiers[0].value: “C1:2” has a character other than letters A–Z, digits, “-”, “/” and “.”" },
    { "person.identifiers", "[{\"type\": \"passport\", \"value\": \"0123456789012345678901234567890123456789X\"}]",
      "person.identifiers[0].value: longer than 40 characters" },
    { "person.identifiers", "[{\"type\": \"passport\", \"value\": \"C1\", \"country\": \"VIETNAM\"}]",
      "person.identifiers[0].country: “VIETNAM” is not a country code: expected an ICAO 9303 code as the MRZ prints it (ISO 3166 alpha-3, D for Germany, XXA, UNO...)" },
    { "basis", "\"tax\"", "basis: expected an object, found a string" },
    { "basis.issued_at", "\"2026-02-30\"", "basis.issued_at: “2026-02-30” is not a date (YYYY-MM-DD)" },
    { "basis.reason", "[]", "basis.reason: expected a string, found an array" },
    { "effective_from", NULL, "effective_from: missing (required)" },
    { "effective_from", "\"2026-01\"", "effective_from: “2026-01” is not a date (YYYY-MM-DD)" },
    { "effective_from", "\"1980-02-30\"", "effective_from: “1980-02-30” is not a date (YYYY-MM-DD)" },
    { "effective_until", "\"2026\"", "effective_until: “2026” is not a date (YYYY-MM-DD)" },
    { "effective_until", "\"2026-01-15\"", "effective_until: “2026-01-15” is before effective_from “2026-01-16”" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *json = patched (cases[i].path, cases[i].value);
      g_autoptr(TpEntry) entry = tp_entry_from_json (json, -1, &error);

      if (entry != NULL)
        g_error ("case %u (%s): accepted %s", i, cases[i].path, json);
      g_assert_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT);
      if (g_strcmp0 (error->message, cases[i].message) != 0)
        g_error ("case %u (%s):\n  got      %s\n  expected %s", i, cases[i].path, error->message,
                 cases[i].message);
    }
}

/* A TD3 zone for a passport issued by state with nationality nationality
 * (codes without filler), every check digit right. */
static char *
td3_with_codes (const char *state,
                const char *nationality)
{
  char l1[45], l2[45];
  char composite[40];

  memset (l1, '<', 44);
  memcpy (l1, "P<", 2);
  memcpy (l1 + 2, state, strlen (state));
  memcpy (l1 + 5, "MUSTER<<ANNA", 12);
  l1[44] = '\0';

  memset (l2, '<', 44);
  memcpy (l2, "C01X00T47", 9);
  l2[9] = (char) ('0' + tp_mrz_check_digit ("C01X00T47", 9));
  memcpy (l2 + 10, nationality, strlen (nationality));
  memcpy (l2 + 13, "6408125F2702283", 15);
  l2[42] = (char) ('0' + tp_mrz_check_digit (l2 + 28, 14));
  memcpy (composite, l2, 10);
  memcpy (composite + 10, l2 + 13, 7);
  memcpy (composite + 17, l2 + 21, 22);
  l2[43] = (char) ('0' + tp_mrz_check_digit (composite, 39));
  l2[44] = '\0';
  return g_strdup_printf ("%s\n%s", l1, l2);
}

static TpEntry *
entry_with_codes (const char  *nationality,
                  const char  *country,
                  GError     **error)
{
  g_autofree char *json = g_strdup_printf (
    "{\"id\": \"EB-1\", \"version\": 1, \"list\": \"exit_ban\", \"status\": \"active\","
    " \"agency\": \"customs\", \"action\": \"deny_exit\", \"effective_from\": \"2026-01-01\","
    " \"person\": {\"full_name\": \"Anna Muster\", \"nationality\": \"%s\","
    " \"identifiers\": [{\"type\": \"passport\", \"value\": \"C01X00T47\", \"country\": \"%s\"}]}}",
    nationality, country);

  return tp_entry_from_json (json, -1, error);
}

/* Every code the MRZ parser emits without an error in its field is a code
 * the entry validator accepts, as nationality and as identifier country:
 * all 18 278 codes of one to three letters are tried, so a German passport
 * (D<<), a stateless person (XXA) or a Kosovo passport (RKS) can be listed
 * the way their documents print them. */
static void
test_mrz_codes_accepted (void)
{
  g_autoptr(GDate) reference = day (2026, 5, 1);
  guint emitted = 0;
  gsize n_table;

  tp_country_all (&n_table);

  for (guint len = 1; len <= 3; len++)
    {
      guint total = len == 1 ? 26 : len == 2 ? 26 * 26 : 26 * 26 * 26;

      for (guint k = 0; k < total; k++)
        {
          char code[4] = { 0 };
          g_autofree char *zone = NULL;
          g_autoptr(TpMrz) mrz = NULL;
          g_autoptr(TpEntry) entry = NULL;
          g_autoptr(GError) error = NULL;

          for (guint i = 0, v = k; i < len; i++, v /= 26)
            code[len - 1 - i] = (char) ('A' + v % 26);
          zone = td3_with_codes (code, code);
          mrz = tp_mrz_parse (zone, reference, &error);
          g_assert_no_error (error);
          g_assert_nonnull (mrz);
          g_assert_cmpint (mrz->checks[TP_MRZ_CHECK_COMPOSITE], ==, TP_MRZ_CHECK_VALID);
          if (tp_mrz_find_error (mrz, "nationality") != NULL)
            {
              g_assert_nonnull (tp_mrz_find_error (mrz, "issuing_state"));
              g_assert_false (tp_country_is_valid (code));
              continue;
            }
          g_assert_true (mrz->valid);
          g_assert_cmpstr (mrz->nationality, ==, code);
          g_assert_cmpstr (mrz->issuing_state, ==, code);
          emitted++;
          entry = entry_with_codes (mrz->nationality, mrz->issuing_state, &error);
          if (entry == NULL)
            g_error ("the MRZ parser emits %s, the entry validator rejects it: %s", code, error->message);
          g_assert_cmpstr (entry->nationality, ==, code);
          g_assert_cmpstr (((TpIdentifier *) g_ptr_array_index (entry->identifiers, 0))->country, ==, code);
        }
    }
  /* The parser emits the whole table and nothing else */
  g_assert_cmpuint (emitted, ==, n_table);

  /* Lower case is taken and upper-cased; Germany both ways */
  {
    g_autoptr(TpEntry) d = entry_with_codes ("d", "deu", NULL);

    g_assert_nonnull (d);
    g_assert_cmpstr (d->nationality, ==, "D");
    g_assert_true (tp_country_same (d->nationality, "DEU"));
  }
}

static void
test_not_an_entry (void)
{
  static const struct {
    const char *text;
    const char *prefix;
  } cases[] = {
    { "", "entry: empty input" },
    { "   ", "entry: empty input" },
    { "[1, 2]", "entry: expected a JSON object, found an array" },
    { "\"text\"", "entry: expected a JSON object, found a string" },
    { "{\"id\": ", "entry: not valid JSON: " },
    { "{\"id\": \"\xff\"}", "entry: not valid UTF-8" },
    { "{}", "id: missing (required)" },
    /* \u escapes that are no character never reach json-glib */
    { "{\"id\": \"\\ude00\\ude00\"}", "entry: not valid JSON: a \\u escape at byte 9" },
    { "{\"id\": \"\\uden\\uden\"}", "entry: not valid JSON: a \\u escape at byte 9" },
    { "{\"id\": \"\\ud83dx\"}", "entry: not valid JSON: a \\u escape" },
    { "{\"id\": \"a\\u00\"}", "entry: not valid JSON: a \\u escape" },
    { "{\"\\udc00\": 1}", "entry: not valid JSON: a \\u escape at byte 3" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TpEntry) entry = tp_entry_from_json (cases[i].text, -1, &error);

      g_assert_null (entry);
      g_assert_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT);
      if (!g_str_has_prefix (error->message, cases[i].prefix))
        g_error ("“%s”: got “%s”", cases[i].text, error->message);
    }
}

/* Escapes that are characters pass the line check on to json-glib */
static void
test_json_escapes (void)
{
  static const char *good[] = {
    "{\"a\": \"\\u00e9\\n\\\"\\\\\"}",
    "{\"a\": \"\\ud83d\\ude00\"}",
    "{\"\\u0041\": [\"\\uFFFD\", \"\\/\"]}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = tp_json_parse_object_line (good[i], -1, "line", &error);

      g_assert_no_error (error);
      g_assert_nonnull (node);
    }
}

/* json-glib's scanner takes C's escapes too: "\364" would be the byte
 * 0xF4 in the string, which is no UTF-8. Only JSON's escapes pass. */
static void
test_json_c_escapes (void)
{
  static const char *bad[] = {
    "{\"a\": \"https://063 8\\364/\"}",
    "{\"a\": \"\\x41\"}",
    "{\"a\": \"\\a\"}",
    "{\"a\": \"\\\u00e9\"}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = tp_json_parse_object_line (bad[i], -1, "line", &error);

      if (node != NULL)
        g_error ("%s: accepted, a = %s", bad[i],
                 json_object_get_string_member (json_node_get_object (node), "a"));
      g_assert_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      g_assert_nonnull (strstr (error->message, "none of JSON's"));
    }
}

static void
test_long_value_quoted (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *long_list = g_strnfill (200, 'x');
  g_autofree char *value = g_strdup_printf ("\"%s\"", long_list);
  g_autofree char *json = patched ("list", value);
  g_autoptr(TpEntry) entry = tp_entry_from_json (json, -1, &error);

  g_assert_null (entry);
  /* the value is shortened in the message */
  g_assert_nonnull (strstr (error->message, "…”"));
  g_assert_cmpuint (strlen (error->message), <, 200);
}

static void
test_canonical (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpEntry) entry = tp_entry_from_json (EXAMPLE, -1, &error);
  g_autoptr(TpEntry) again = NULL;
  g_autoptr(TpEntry) copy = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *json = NULL;
  g_autofree char *json2 = NULL;
  g_autofree char *json3 = NULL;
  g_autofree char *from_node = NULL;

  g_assert_no_error (error);
  json = tp_entry_to_json (entry);
  g_assert_cmpstr (json, ==, EXAMPLE_CANONICAL);

  /* round trip */
  again = tp_entry_from_json (json, -1, &error);
  g_assert_no_error (error);
  json2 = tp_entry_to_json (again);
  g_assert_cmpstr (json2, ==, json);

  /* copy */
  copy = tp_entry_copy (entry);
  json3 = tp_entry_to_json (copy);
  g_assert_cmpstr (json3, ==, json);

  /* JSON node form, and decoding from a node */
  node = tp_entry_to_json_node (entry);
  g_assert_nonnull (node);
  g_clear_pointer (&again, tp_entry_free);
  again = tp_entry_from_json_node (node, &error);
  g_assert_no_error (error);
  from_node = tp_entry_to_json (again);
  g_assert_cmpstr (from_node, ==, json);
}

/* The same entry written differently has one canonical form. */
static void
test_canonical_stable (void)
{
  const char *reordered =
    "{ \"effective_until\" : \"2026-07-16\" ,\"effective_from\":\"2026-01-16\",\n"
    "  \"basis\": {\"reason\": \"tax_debt\", \"issued_at\": \"2026-01-16\", \"issued_by\": \"Chi cục Hải quan\","
    "             \"reference\": \"1234/TB-HQ\"},"
    "  \"person\": {\"identifiers\": [{\"country\": \"vnm\", \"value\": \"C123 4567\", \"type\": \"passport\"},"
    "       {\"value\": \"001080012345\", \"type\": \"national_id\", \"country\": \"VNM\"},"
    "       {\"type\": \"tax_code\", \"value\": \"0101234567\", \"country\": null}],"
    "     \"nationality\": \"VNM\", \"sex\": \"M\", \"birth_date\": \"1980-05-17\","
    "     \"full_name\": \"Nguye\xcc\x82\xcc\x83n Va\xcc\x86n An\"},"   /* decomposed (NFD) */
    "  \"visibility\": [\"immigration\", \"supervisor\", \"immigration\"],"
    "  \"action\": \"deny_exit\", \"agency\": \"customs\", \"status\": \"active\", \"list\": \"exit_ban\","
    "  \"version\": 3, \"id\": \"EB-2026-000123\"}";
  g_autoptr(GError) error = NULL;
  g_autoptr(TpEntry) entry = tp_entry_from_json (reordered, -1, &error);
  g_autofree char *json = NULL;
  guint8 d1[TP_STATE_HASH_SIZE], d2[TP_STATE_HASH_SIZE];
  g_autoptr(TpEntry) example = tp_entry_from_json (EXAMPLE, -1, NULL);

  g_assert_no_error (error);
  json = tp_entry_to_json (entry);
  g_assert_cmpstr (json, ==, EXAMPLE_CANONICAL);
  tp_entry_digest (entry, d1);
  tp_entry_digest (example, d2);
  g_assert_cmpmem (d1, sizeof d1, d2, sizeof d2);
}

static void
test_canonical_escapes (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *json = patched ("basis.reason", "\"a \\\"quoted\\\" \\\\ reason / é\"");
  g_autoptr(TpEntry) entry = tp_entry_from_json (json, -1, &error);
  g_autofree char *canonical = NULL;
  g_autoptr(TpEntry) again = NULL;

  g_assert_no_error (error);
  canonical = tp_entry_to_json (entry);
  g_assert_nonnull (strstr (canonical, "\"reason\":\"a \\\"quoted\\\" \\\\ reason / é\""));
  again = tp_entry_from_json (canonical, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again->basis_reason, ==, "a \"quoted\" \\ reason / é");
}

static void
test_effective (void)
{
  g_autoptr(TpEntry) entry = tp_entry_from_json (EXAMPLE, -1, NULL);
  g_autoptr(GDate) before = day (2026, 1, 15);
  g_autoptr(GDate) first = day (2026, 1, 16);
  g_autoptr(GDate) middle = day (2026, 4, 1);
  g_autoptr(GDate) last = day (2026, 7, 16);
  g_autoptr(GDate) after = day (2026, 7, 17);
  g_autoptr(GDate) far = day (2040, 1, 1);

  /* not yet effective, effective (bounds included), expired */
  g_assert_false (tp_entry_is_effective (entry, before));
  g_assert_true (tp_entry_is_effective (entry, first));
  g_assert_true (tp_entry_is_effective (entry, middle));
  g_assert_true (tp_entry_is_effective (entry, last));
  g_assert_false (tp_entry_is_effective (entry, after));

  /* open-ended: until cancelled */
  g_date_clear (&entry->effective_until, 1);
  g_assert_true (tp_entry_is_effective (entry, far));
  g_assert_false (tp_entry_is_effective (entry, before));

  /* cancelled: never */
  entry->status = TP_ENTRY_CANCELLED;
  g_assert_false (tp_entry_is_effective (entry, middle));
  g_assert_false (tp_entry_is_effective (entry, far));
}

static void
test_cancelled_decodes (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *json = patched ("status", "\"cancelled\"");
  g_autoptr(TpEntry) entry = tp_entry_from_json (json, -1, &error);
  g_autoptr(GDate) middle = day (2026, 4, 1);

  g_assert_no_error (error);
  g_assert_cmpint (entry->status, ==, TP_ENTRY_CANCELLED);
  g_assert_false (tp_entry_is_effective (entry, middle));
}

static void
test_enums (void)
{
  for (guint i = TP_LIST_EXIT_BAN; i <= TP_LIST_WATCH; i++)
    {
      TpListKind k;

      g_assert_true (tp_list_kind_from_string (tp_list_kind_to_string (i), &k));
      g_assert_cmpuint (k, ==, i);
    }
  for (guint i = TP_ENTRY_ACTIVE; i <= TP_ENTRY_CANCELLED; i++)
    {
      TpEntryStatus s;

      g_assert_true (tp_entry_status_from_string (tp_entry_status_to_string (i), &s));
      g_assert_cmpuint (s, ==, i);
    }
  for (guint i = TP_AGENCY_CUSTOMS; i <= TP_AGENCY_COURT; i++)
    {
      TpAgency a;

      g_assert_true (tp_agency_from_string (tp_agency_to_string (i), &a));
      g_assert_cmpuint (a, ==, i);
    }
  for (guint i = TP_ACTION_DENY_EXIT; i <= TP_ACTION_NOTIFY; i++)
    {
      TpAction a;

      g_assert_true (tp_action_from_string (tp_action_to_string (i), &a));
      g_assert_cmpuint (a, ==, i);
    }
  for (guint i = TP_ID_PASSPORT; i <= TP_ID_OTHER; i++)
    {
      TpIdentifierType t;

      g_assert_true (tp_identifier_type_from_string (tp_identifier_type_to_string (i), &t));
      g_assert_cmpuint (t, ==, i);
    }
  for (guint role = TP_ROLE_IMMIGRATION; role <= TP_ROLE_SUPERVISOR; role <<= 1)
    {
      TpRoles r;

      g_assert_true (tp_role_from_string (tp_role_to_string (role), &r));
      g_assert_cmpuint (r, ==, role);
    }
  {
    TpListKind k;
    TpRoles r;

    g_assert_false (tp_list_kind_from_string ("EXIT_BAN", &k));
    g_assert_false (tp_list_kind_from_string (NULL, &k));
    g_assert_false (tp_role_from_string ("officer", &r));
  }
}

static void
test_state_hash_arithmetic (void)
{
  TpStateHash h, zero;
  guint8 ones[TP_STATE_HASH_SIZE], one[TP_STATE_HASH_SIZE] = { 0, };
  g_autofree char *hex = NULL;

  tp_state_hash_init (&h);
  tp_state_hash_init (&zero);
  hex = tp_state_hash_to_hex (&h);
  g_assert_cmpstr (hex, ==, "0000000000000000000000000000000000000000000000000000000000000000");

  /* (2^256 - 1) + 1 wraps to 0; 0 - 1 wraps to 2^256 - 1 */
  memset (ones, 0xff, sizeof ones);
  one[TP_STATE_HASH_SIZE - 1] = 1;
  tp_state_hash_add_digest (&h, ones);
  tp_state_hash_add_digest (&h, one);
  g_assert_true (tp_state_hash_equal (&h, &zero));
  tp_state_hash_remove_digest (&h, one);
  g_clear_pointer (&hex, g_free);
  hex = tp_state_hash_to_hex (&h);
  g_assert_cmpstr (hex, ==, "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff");

  /* carries across bytes: 0x00ff.. + 0x0001 */
  tp_state_hash_init (&h);
  {
    guint8 a[TP_STATE_HASH_SIZE] = { 0, }, b[TP_STATE_HASH_SIZE] = { 0, };
    TpStateHash parsed;

    a[30] = 0x00;
    a[31] = 0xff;
    b[31] = 0x01;
    tp_state_hash_add_digest (&h, a);
    tp_state_hash_add_digest (&h, b);
    g_assert_cmpuint (h.bytes[30], ==, 1);
    g_assert_cmpuint (h.bytes[31], ==, 0);
    g_clear_pointer (&hex, g_free);
    hex = tp_state_hash_to_hex (&h);
    g_assert_true (tp_state_hash_from_hex (hex, &parsed));
    g_assert_true (tp_state_hash_equal (&h, &parsed));
    g_assert_false (tp_state_hash_from_hex ("00", &parsed));
    g_assert_false (tp_state_hash_from_hex ("zz00000000000000000000000000000000000000000000000000000000000000", &parsed));
  }
}

static void
test_state_hash_entries (void)
{
  g_autoptr(TpEntry) a = tp_entry_from_json (EXAMPLE, -1, NULL);
  g_autoptr(TpEntry) b = tp_entry_from_json (MINIMAL, -1, NULL);
  g_autoptr(TpEntry) a2 = tp_entry_copy (a);
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  TpStateHash h1, h2, expected;
  g_autofree char *hex = NULL;
  guint8 digest[TP_STATE_HASH_SIZE];

  /* digest = SHA-256 of the canonical JSON */
  g_checksum_update (checksum, (const guchar *) EXAMPLE_CANONICAL, -1);
  tp_entry_digest (a, digest);
  {
    g_autofree char *digest_hex = NULL;
    TpStateHash tmp;

    memcpy (tmp.bytes, digest, sizeof digest);
    digest_hex = tp_state_hash_to_hex (&tmp);
    g_assert_cmpstr (digest_hex, ==, g_checksum_get_string (checksum));
  }

  /* order does not matter */
  tp_state_hash_init (&h1);
  tp_state_hash_add_entry (&h1, a);
  tp_state_hash_add_entry (&h1, b);
  tp_state_hash_init (&h2);
  tp_state_hash_add_entry (&h2, b);
  tp_state_hash_add_entry (&h2, a);
  g_assert_true (tp_state_hash_equal (&h1, &h2));

  /* a new version replaces the old one */
  a2->version = 4;
  a2->status = TP_ENTRY_CANCELLED;
  tp_state_hash_replace_entry (&h1, a, a2);
  tp_state_hash_init (&expected);
  tp_state_hash_add_entry (&expected, b);
  tp_state_hash_add_entry (&expected, a2);
  g_assert_true (tp_state_hash_equal (&h1, &expected));

  /* removing everything gives zero again */
  tp_state_hash_remove_entry (&h1, a2);
  tp_state_hash_remove_entry (&h1, b);
  hex = tp_state_hash_to_hex (&h1);
  g_assert_cmpstr (hex, ==, "0000000000000000000000000000000000000000000000000000000000000000");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/entry/example", test_example);
  g_test_add_func ("/entry/minimal", test_minimal);
  g_test_add_func ("/entry/identifier-only", test_identifier_only);
  g_test_add_func ("/entry/null-members", test_null_members);
  g_test_add_func ("/entry/partial-dates", test_partial_dates);
  g_test_add_func ("/entry/partial-birth-dates", test_partial_birth_dates);
  g_test_add_func ("/entry/errors", test_errors);
  g_test_add_func ("/entry/mrz-codes-accepted", test_mrz_codes_accepted);
  g_test_add_func ("/entry/birth-date-not-in-future", test_birth_date_not_in_future);
  g_test_add_func ("/entry/not-an-entry", test_not_an_entry);
  g_test_add_func ("/entry/long-value-quoted", test_long_value_quoted);
  g_test_add_func ("/json/escapes", test_json_escapes);
  g_test_add_func ("/json/c-escapes", test_json_c_escapes);
  g_test_add_func ("/entry/canonical", test_canonical);
  g_test_add_func ("/entry/canonical-stable", test_canonical_stable);
  g_test_add_func ("/entry/canonical-escapes", test_canonical_escapes);
  g_test_add_func ("/entry/effective", test_effective);
  g_test_add_func ("/entry/cancelled", test_cancelled_decodes);
  g_test_add_func ("/entry/enums", test_enums);
  g_test_add_func ("/state-hash/arithmetic", test_state_hash_arithmetic);
  g_test_add_func ("/state-hash/entries", test_state_hash_entries);

  return g_test_run ();
}
