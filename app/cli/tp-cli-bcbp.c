/* tp-cli-bcbp.c: `touchpoint-cli bcbp`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reads boarding-pass barcode text on standard input (one trailing LF,
 * CR LF or CR is dropped; every other byte, spaces and NUL bytes included,
 * is data) and
 * prints one JSON line. The contract's members come first (valid,
 * format_code, passenger_name, eticket, version, legs with pnr, from, to,
 * carrier, flight_number, julian_date, flight_date, compartment, seat,
 * checkin_sequence, passenger_status; security; errors; warnings), then
 * extra members: number_of_legs, name_full, surname, given_names, title,
 * the unique conditional items, each leg's repeated conditional items and
 * airline use, and the security data's declared length. Absent items are
 * null. errors and warnings are arrays of strings that name the IATA item.
 * julian_date is the number printed whenever its three characters are
 * digits (or fewer digits with spaces around them, "99 ", with a warning),
 * a day of the year or not ("000" is 0, with an error), and null only when
 * they hold no number ("12A") or the pass ends before them.
 * Exit status: 0 valid, 1 parsed with errors, 2 not a boarding pass or bad
 * usage (message on standard error).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "tp-bcbp.h"
#include "tp-cli.h"

static void
add_date (JsonBuilder *builder,
          const char  *name,
          const GDate *date)
{
  json_builder_set_member_name (builder, name);
  if (g_date_valid (date))
    {
      char iso[16];

      g_snprintf (iso, sizeof iso, "%04u-%02u-%02u",
                  g_date_get_year (date), g_date_get_month (date), g_date_get_day (date));
      json_builder_add_string_value (builder, iso);
    }
  else
    json_builder_add_null_value (builder);
}

static void
add_int_or_null (JsonBuilder *builder,
                 const char  *name,
                 gint64       value,
                 gboolean     present)
{
  json_builder_set_member_name (builder, name);
  if (present)
    json_builder_add_int_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
add_issues (JsonBuilder *builder,
            const char  *name,
            GPtrArray   *issues)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  for (guint i = 0; i < issues->len; i++)
    {
      const TpBcbpIssue *issue = g_ptr_array_index (issues, i);
      g_autofree char *valid = g_utf8_make_valid (issue->message, -1);

      json_builder_add_string_value (builder, valid);
    }
  json_builder_end_array (builder);
}

static void
add_leg (JsonBuilder     *b,
         const TpBcbpLeg *leg)
{
  json_builder_begin_object (b);
  tp_cli_add_string (b, "pnr", leg->pnr);
  tp_cli_add_string (b, "from", leg->from);
  tp_cli_add_string (b, "to", leg->to);
  tp_cli_add_string (b, "carrier", leg->carrier);
  tp_cli_add_string (b, "flight_number", leg->flight_number);
  add_int_or_null (b, "julian_date", leg->julian_date, leg->julian_date >= 0);
  add_date (b, "flight_date", &leg->flight_date);
  tp_cli_add_string (b, "compartment", leg->compartment);
  tp_cli_add_string (b, "seat", leg->seat);
  tp_cli_add_string (b, "checkin_sequence", leg->checkin_sequence);
  tp_cli_add_string (b, "passenger_status", leg->passenger_status);

  /* Extra members */
  add_int_or_null (b, "variable_size", leg->variable_size, leg->variable_size >= 0);
  tp_cli_add_string (b, "airline_numeric_code", leg->airline_numeric_code);
  tp_cli_add_string (b, "document_serial", leg->document_serial);
  tp_cli_add_string (b, "selectee", leg->selectee);
  tp_cli_add_string (b, "document_verification", leg->document_verification);
  tp_cli_add_string (b, "marketing_carrier", leg->marketing_carrier);
  tp_cli_add_string (b, "frequent_flyer_airline", leg->frequent_flyer_airline);
  tp_cli_add_string (b, "frequent_flyer_number", leg->frequent_flyer_number);
  tp_cli_add_string (b, "id_ad_indicator", leg->id_ad_indicator);
  tp_cli_add_string (b, "free_baggage_allowance", leg->free_baggage_allowance);
  tp_cli_add_string (b, "fast_track", leg->fast_track);
  tp_cli_add_string_len (b, "airline_use", leg->airline_use, (gssize) leg->airline_use_len);
  json_builder_end_object (b);
}

static JsonBuilder *
build_json (const TpBcbp *bcbp)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(TpBcbpName) name = tp_bcbp_name_split (bcbp->passenger_name, bcbp->name_full);
  char format_code[2] = { bcbp->format_code, '\0' };

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "valid");
  json_builder_add_boolean_value (b, bcbp->valid);
  tp_cli_add_string (b, "format_code", format_code);
  tp_cli_add_string (b, "passenger_name", bcbp->passenger_name);
  json_builder_set_member_name (b, "eticket");
  json_builder_add_boolean_value (b, bcbp->eticket);
  add_int_or_null (b, "version", bcbp->version, bcbp->version >= 0);

  json_builder_set_member_name (b, "legs");
  json_builder_begin_array (b);
  for (guint i = 0; i < bcbp->n_legs; i++)
    add_leg (b, &bcbp->legs[i]);
  json_builder_end_array (b);

  json_builder_set_member_name (b, "security");
  if (bcbp->has_security)
    {
      json_builder_begin_object (b);
      tp_cli_add_string (b, "type", bcbp->security_type);
      tp_cli_add_string_len (b, "data", bcbp->security_data, (gssize) bcbp->security_data_len);
      add_int_or_null (b, "length", bcbp->security_length, bcbp->security_length >= 0);
      json_builder_end_object (b);
    }
  else
    json_builder_add_null_value (b);

  add_issues (b, "errors", bcbp->errors);
  add_issues (b, "warnings", bcbp->warnings);

  /* Extra members */
  json_builder_set_member_name (b, "number_of_legs");
  json_builder_add_int_value (b, bcbp->number_of_legs);
  json_builder_set_member_name (b, "name_full");
  json_builder_add_boolean_value (b, bcbp->name_full);
  tp_cli_add_string (b, "surname", name->surname);
  tp_cli_add_string (b, "given_names", name->given_names);
  tp_cli_add_string (b, "title", name->title);
  tp_cli_add_string (b, "passenger_description", bcbp->passenger_description);
  tp_cli_add_string (b, "source_of_checkin", bcbp->source_of_checkin);
  tp_cli_add_string (b, "source_of_issuance", bcbp->source_of_issuance);
  tp_cli_add_string (b, "date_of_issue_raw", bcbp->date_of_issue_raw);
  add_date (b, "date_of_issue", &bcbp->date_of_issue);
  tp_cli_add_string (b, "document_type", bcbp->document_type);
  tp_cli_add_string (b, "issuer", bcbp->issuer);
  json_builder_set_member_name (b, "baggage_tags");
  json_builder_begin_array (b);
  for (guint i = 0; i < G_N_ELEMENTS (bcbp->baggage_tags); i++)
    if (bcbp->baggage_tags[i] != NULL && bcbp->baggage_tags[i][0] != '\0')
      json_builder_add_string_value (b, bcbp->baggage_tags[i]);
  json_builder_end_array (b);

  json_builder_end_object (b);
  return g_steal_pointer (&b);
}

int
tp_cli_bcbp (int    argc,
             char **argv)
{
  g_autofree char *reference_text = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TpBcbp) bcbp = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autofree char *text = NULL;
  gsize len;
  GDate reference;
  const GOptionEntry entries[] = {
    { "reference-date", 0, 0, G_OPTION_ARG_STRING, &reference_text,
      "Resolve Julian dates against this day (default: today)", "YYYY-MM-DD" },
    { NULL }
  };

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
                                "Parse a bar coded boarding pass (IATA Resolution 792) read from standard input.\n"
                                "Exit status: 0 valid, 1 parsed with errors, 2 not a boarding pass.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "touchpoint-cli bcbp: %s\n", error->message);
      return 2;
    }
  if (argc > 1)
    {
      fprintf (stderr, "touchpoint-cli bcbp: unexpected argument “%s”: the barcode text is read from standard input\n",
               argv[1]);
      return 2;
    }

  if (!tp_cli_parse_date_or_today (reference_text, &reference, &error))
    {
      fprintf (stderr, "touchpoint-cli bcbp: --reference-date: %s\n", error->message);
      return 2;
    }

  /* Every byte counts, NUL bytes included: the parser reports them. */
  text = tp_cli_read_stdin (&len, &error);
  if (text == NULL)
    {
      fprintf (stderr, "touchpoint-cli bcbp: cannot read standard input: %s\n", error->message);
      return 2;
    }

  /* One trailing line end is the scanner's or the shell's, not data. */
  if (len > 0 && text[len - 1] == '\n')
    len--;
  if (len > 0 && text[len - 1] == '\r')
    len--;

  bcbp = tp_bcbp_parse (text, len, &reference, &error);
  if (bcbp == NULL)
    {
      fprintf (stderr, "touchpoint-cli bcbp: %s\n", error->message);
      return 2;
    }

  builder = build_json (bcbp);
  tp_cli_print_builder (builder);
  return bcbp->valid ? 0 : 1;
}
