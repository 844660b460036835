/* tp-cli-util.c: helpers shared by the touchpoint-cli commands
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <gio/gunixinputstream.h>
#include <stdio.h>
#include <unistd.h>

#include "tp-cli.h"
#include "tp-error.h"
#include "tp-mrz.h"

/* One JSON document per line, UTF-8 kept as is (officers read names with
 * diacritics), so that output can be piped line by line. json-glib 1.6
 * writes U+001F raw inside strings, which JSON forbids (RFC 8259 §7) and
 * a wedge scanner can send: any control byte left in the output is
 * escaped here (outside strings the generator writes none). */
void
tp_cli_print_json (JsonNode *node)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_root (gen, node);
  json_generator_set_pretty (gen, FALSE);
  text = json_generator_to_data (gen, NULL);
  for (const char *p = text; *p != '\0'; p++)
    {
      if ((guchar) *p < 0x20)
        printf ("\\u%04x", (guint) (guchar) *p);
      else
        fputc (*p, stdout);
    }
  fputc ('\n', stdout);
  fflush (stdout);
}

void
tp_cli_print_builder (JsonBuilder *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);

  tp_cli_print_json (root);
}

/* All of standard input, with a NUL added after it. *length (when not
 * NULL) is what was read, without that NUL: the data may hold NUL bytes of
 * its own, which a caller that only takes the string stops at. */
char *
tp_cli_read_stdin (gsize   *length,
                   GError **error)
{
  g_autoptr(GInputStream) in = g_unix_input_stream_new (STDIN_FILENO, FALSE);
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  gssize n;

  if (length != NULL)
    *length = 0;
  n = g_output_stream_splice (out, in, G_OUTPUT_STREAM_SPLICE_NONE, NULL, error);
  if (n < 0)
    return NULL;
  /* NUL-terminate */
  if (!g_output_stream_write_all (out, "", 1, NULL, NULL, error) ||
      !g_output_stream_close (out, NULL, error))
    return NULL;
  if (length != NULL)
    *length = (gsize) n;
  return g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (out));
}

gboolean
tp_cli_parse_date (const char  *text,
                   GDate       *out,
                   GError     **error)
{
  unsigned y, m, d;
  char tail;

  if (text == NULL ||
      sscanf (text, "%4u-%2u-%2u%c", &y, &m, &d, &tail) != 3 ||
      strlen (text) != 10 ||
      !g_date_valid_dmy (d, m, y))
    {
      g_set_error (error, TP_ERROR, TP_ERROR_INVALID_ARGUMENT,
                   "“%s” is not a date: expected YYYY-MM-DD, for example 2026-11-23",
                   text ? text : "");
      return FALSE;
    }
  g_date_clear (out, 1);
  g_date_set_dmy (out, d, m, y);
  return TRUE;
}

gboolean
tp_cli_parse_date_or_today (const char  *text,
                            GDate       *out,
                            GError     **error)
{
  if (text == NULL)
    {
      tp_cli_today (out);
      return TRUE;
    }
  return tp_cli_parse_date (text, out, error);
}

void
tp_cli_today (GDate *out)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  g_date_clear (out, 1);
  g_date_set_dmy (out,
                  g_date_time_get_day_of_month (now),
                  g_date_time_get_month (now),
                  g_date_time_get_year (now));
}

/* The `mrz` command's object for a parsed zone, shared with `read` (its
 * "dg1" member): the same members in the same order. */
/* A string member, or null; text that is not valid UTF-8 (barcodes, chips)
 * is made valid so that the output stays JSON. */
void
tp_cli_add_string_len (JsonBuilder *builder,
                       const char  *name,
                       const char  *value,
                       gssize       len)
{
  json_builder_set_member_name (builder, name);
  if (value == NULL)
    json_builder_add_null_value (builder);
  else
    {
      g_autofree char *valid = g_utf8_make_valid (value, len);

      json_builder_add_string_value (builder, valid);
    }
}

void
tp_cli_add_string (JsonBuilder *builder,
                   const char  *name,
                   const char  *value)
{
  tp_cli_add_string_len (builder, name, value, -1);
}

static void
mrz_add_date (JsonBuilder     *builder,
              const char      *name,
              const char      *iso_name,
              const TpMrzDate *date)
{
  tp_cli_add_string (builder, name, date->raw);
  tp_cli_add_string (builder, iso_name, date->complete ? date->iso : NULL);
}

static void
mrz_add_char (JsonBuilder *builder,
              const char  *name,
              char         c)
{
  char s[2] = { c, '\0' };

  tp_cli_add_string (builder, name, s);
}

void
tp_cli_add_mrz_object (JsonBuilder *b,
                       const TpMrz *mrz)
{
  g_autofree char *birth_partial = NULL;

  if (!mrz->birth_date.complete && mrz->birth_date.year != 0)
    birth_partial = mrz->birth_date.month != 0
                      ? g_strdup_printf ("%04u-%02u", mrz->birth_date.year, mrz->birth_date.month)
                      : g_strdup_printf ("%04u", mrz->birth_date.year);

  json_builder_begin_object (b);
  tp_cli_add_string (b, "format", tp_mrz_format_to_string (mrz->format));
  json_builder_set_member_name (b, "valid");
  json_builder_add_boolean_value (b, mrz->valid);
  tp_cli_add_string (b, "document_code", mrz->document_code);
  tp_cli_add_string (b, "issuing_state", mrz->issuing_state);
  tp_cli_add_string (b, "document_number", mrz->document_number);
  tp_cli_add_string (b, "nationality", mrz->nationality);
  mrz_add_date (b, "birth_date", "birth_date_iso", &mrz->birth_date);
  mrz_add_char (b, "sex", mrz->sex);
  mrz_add_date (b, "expiry_date", "expiry_date_iso", &mrz->expiry_date);
  tp_cli_add_string (b, "optional_data", mrz->optional_data);
  tp_cli_add_string (b, "primary_identifier", mrz->primary_identifier);
  tp_cli_add_string (b, "secondary_identifier", mrz->secondary_identifier);

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
      tp_cli_add_string (b, "field", err->field);
      tp_cli_add_string (b, "message", err->message);
      json_builder_set_member_name (b, "line");
      json_builder_add_int_value (b, err->line);
      json_builder_set_member_name (b, "start");
      json_builder_add_int_value (b, err->start);
      json_builder_set_member_name (b, "end");
      json_builder_add_int_value (b, err->end);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "name_truncated");
  json_builder_add_boolean_value (b, mrz->name_truncated);
  json_builder_set_member_name (b, "expired");
  json_builder_add_boolean_value (b, mrz->expired);
  if (mrz->optional_data_2 != NULL)
    tp_cli_add_string (b, "optional_data_2", mrz->optional_data_2);
  if (birth_partial != NULL)
    tp_cli_add_string (b, "birth_date_partial", birth_partial);

  if (mrz->issuing_state_special || mrz->nationality_special)
    {
      json_builder_set_member_name (b, "special_codes");
      json_builder_begin_object (b);
      if (mrz->issuing_state_special)
        tp_cli_add_string (b, "issuing_state", tp_mrz_special_code_describe (mrz->issuing_state));
      if (mrz->nationality_special)
        tp_cli_add_string (b, "nationality", tp_mrz_special_code_describe (mrz->nationality));
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
          mrz_add_char (b, "from", sub->from);
          mrz_add_char (b, "to", sub->to);
          tp_cli_add_string (b, "field", sub->field);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
    }

  json_builder_end_object (b);
}
