/* tp-cli-mrz.c: `touchpoint-cli mrz [LINE...]`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Prints one JSON line: the fields, the result of every check digit the
 * format has, the errors with their place, and extra members
 * (name_truncated, expired, optional_data_2 for TD1, birth_date_partial,
 * special_codes, repair) after the contract's own. Characters are taken as
 * printed (no upper-casing), as the parser does.
 * Exit status: 0 valid, 1 parsed but invalid, 2 not an MRZ or bad usage.
 */
#include "config.h"

#include <gio/gio.h>
#include <stdio.h>

#include "tp-cli.h"
#include "tp-mrz.h"

/* MRZ text is ASCII when well formed; anything else is made valid UTF-8
 * so that the output stays JSON. */
static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value == NULL)
    json_builder_add_null_value (builder);
  else
    {
      g_autofree char *valid = g_utf8_make_valid (value, -1);

      json_builder_add_string_value (builder, valid);
    }
}

static void
add_date (JsonBuilder     *builder,
          const char      *name,
          const char      *iso_name,
          const TpMrzDate *date)
{
  add_string (builder, name, date->raw);
  add_string (builder, iso_name, date->complete ? date->iso : NULL);
}

static void
add_char (JsonBuilder *builder,
          const char  *name,
          char         c)
{
  char s[2] = { c, '\0' };

  add_string (builder, name, s);
}

static char *
partial_date (const TpMrzDate *date)
{
  if (date->complete || date->year == 0)
    return NULL;
  if (date->month != 0)
    return g_strdup_printf ("%04u-%02u", date->year, date->month);
  return g_strdup_printf ("%04u", date->year);
}

/* Standard input as text; a zone is a few hundred bytes at most, so
 * anything past 64 KiB is not read (it would not be an MRZ anyway). */
static char *
read_input (GError **error)
{
  GString *text = g_string_new (NULL);
  char buf[4096];
  size_t n;

  while ((n = fread (buf, 1, sizeof buf, stdin)) > 0 && text->len < 65536)
    g_string_append_len (text, buf, (gssize) n);
  if (ferror (stdin))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "read error");
      g_string_free (text, TRUE);
      return NULL;
    }
  return g_string_free (text, FALSE);
}

static JsonBuilder *
build_json (const TpMrz *mrz)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *birth_partial = partial_date (&mrz->birth_date);

  json_builder_begin_object (b);
  add_string (b, "format", tp_mrz_format_to_string (mrz->format));
  json_builder_set_member_name (b, "valid");
  json_builder_add_boolean_value (b, mrz->valid);
  add_string (b, "document_code", mrz->document_code);
  add_string (b, "issuing_state", mrz->issuing_state);
  add_string (b, "document_number", mrz->document_number);
  add_string (b, "nationality", mrz->nationality);
  add_date (b, "birth_date", "birth_date_iso", &mrz->birth_date);
  add_char (b, "sex", mrz->sex);
  add_date (b, "expiry_date", "expiry_date_iso", &mrz->expiry_date);
  add_string (b, "optional_data", mrz->optional_data);
  add_string (b, "primary_identifier", mrz->primary_identifier);
  add_string (b, "secondary_identifier", mrz->secondary_identifier);

  json_builder_set_member_name (b, "checks");
  json_builder_begin_object (b);
  for (guint i = 0; i < TP_MRZ_N_CHECKS; i++)
    {
      if (mrz->checks[i] == TP_MRZ_CHECK_ABSENT)
        continue;
      json_builder_set_member_name (b, tp_mrz_check_to_string (i));
      json_builder_add_boolean_value (b, mrz->checks[i] == TP_MRZ_CHECK_VALID);
    }
  json_builder_end_object (b);

  json_builder_set_member_name (b, "errors");
  json_builder_begin_array (b);
  for (guint i = 0; i < mrz->errors->len; i++)
    {
      const TpMrzFieldError *err = g_ptr_array_index (mrz->errors, i);

      json_builder_begin_object (b);
      add_string (b, "field", err->field);
      add_string (b, "message", err->message);
      json_builder_set_member_name (b, "line");
      json_builder_add_int_value (b, err->line);
      json_builder_set_member_name (b, "start");
      json_builder_add_int_value (b, err->start);
      json_builder_set_member_name (b, "end");
      json_builder_add_int_value (b, err->end);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  /* Extra members */
  json_builder_set_member_name (b, "name_truncated");
  json_builder_add_boolean_value (b, mrz->name_truncated);
  json_builder_set_member_name (b, "expired");
  json_builder_add_boolean_value (b, mrz->expired);
  if (mrz->optional_data_2 != NULL)
    add_string (b, "optional_data_2", mrz->optional_data_2);
  if (birth_partial != NULL)
    add_string (b, "birth_date_partial", birth_partial);

  if (mrz->issuing_state_special || mrz->nationality_special)
    {
      json_builder_set_member_name (b, "special_codes");
      json_builder_begin_object (b);
      if (mrz->issuing_state_special)
        add_string (b, "issuing_state", tp_mrz_special_code_describe (mrz->issuing_state));
      if (mrz->nationality_special)
        add_string (b, "nationality", tp_mrz_special_code_describe (mrz->nationality));
      json_builder_end_object (b);
    }

  if (mrz->repair != NULL)
    {
      json_builder_set_member_name (b, "repair");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "lines");
      json_builder_begin_array (b);
      for (guint i = 0; mrz->repair->lines[i] != NULL; i++)
        {
          g_autofree char *valid = g_utf8_make_valid (mrz->repair->lines[i], -1);

          json_builder_add_string_value (b, valid);
        }
      json_builder_end_array (b);
      json_builder_set_member_name (b, "substitutions");
      json_builder_begin_array (b);
      for (guint i = 0; i < mrz->repair->substitutions->len; i++)
        {
          const TpMrzSubstitution *sub = &g_array_index (mrz->repair->substitutions, TpMrzSubstitution, i);

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "line");
          json_builder_add_int_value (b, sub->line);
          json_builder_set_member_name (b, "column");
          json_builder_add_int_value (b, sub->column);
          add_char (b, "from", sub->from);
          add_char (b, "to", sub->to);
          add_string (b, "field", sub->field);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
    }

  json_builder_end_object (b);
  return g_steal_pointer (&b);
}

int
tp_cli_mrz (int    argc,
            char **argv)
{
  g_autofree char *reference_text = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TpMrz) mrz = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autofree char *text = NULL;
  GDate reference;
  const GOptionEntry entries[] = {
    { "reference-date", 0, 0, G_OPTION_ARG_STRING, &reference_text,
      "Resolve two-digit years against this day (default: today)", "YYYY-MM-DD" },
    { NULL }
  };

  context = g_option_context_new ("[LINE…]");
  g_option_context_set_summary (context,
                                "Parse and check a machine readable zone (ICAO 9303 TD1, TD2, TD3, MRV-A, MRV-B).\n"
                                "Lines as arguments, or on standard input (one per line, or in one run).\n"
                                "Exit status: 0 valid, 1 parsed but invalid, 2 not an MRZ.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "touchpoint-cli mrz: %s\n", error->message);
      return 2;
    }

  if (reference_text != NULL)
    {
      if (!tp_cli_parse_date (reference_text, &reference, &error))
        {
          fprintf (stderr, "touchpoint-cli mrz: --reference-date: %s\n", error->message);
          return 2;
        }
    }
  else
    tp_cli_today (&reference);

  if (argc > 1)
    {
      GString *joined = g_string_new (NULL);

      for (int i = 1; i < argc; i++)
        {
          if (i > 1)
            g_string_append_c (joined, '\n');
          g_string_append (joined, argv[i]);
        }
      text = g_string_free (joined, FALSE);
    }
  else
    {
      text = read_input (&error);
      if (text == NULL)
        {
          fprintf (stderr, "touchpoint-cli mrz: cannot read standard input: %s\n", error->message);
          return 2;
        }
    }

  mrz = tp_mrz_parse (text, &reference, &error);
  if (mrz == NULL)
    {
      fprintf (stderr, "touchpoint-cli mrz: %s\n", error->message);
      return 2;
    }

  builder = build_json (mrz);
  tp_cli_print_builder (builder);
  return mrz->valid ? 0 : 1;
}
