/* tp-cli-util.c: helpers shared by the touchpoint-cli commands
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <gio/gunixinputstream.h>
#include <math.h>
#include <stdio.h>
#include <unistd.h>

#include "tp-cli.h"
#include "tp-error.h"
#include "tp-mrz.h"

/* JSON text as json-glib 1.6 writes it, but with every control byte
 * escaped (json-glib writes U+001F raw inside strings, which JSON forbids,
 * RFC 8259 §7, and a wedge scanner can send it) and numbers with a fraction
 * printed with three decimals (json-glib prints 17 significant digits:
 * 0.75600000000000001). UTF-8 is kept as is: officers read names with
 * diacritics. Member order is insertion order. */
static void
append_json_string (GString    *out,
                    const char *s)
{
  g_string_append_c (out, '"');
  for (const char *p = s; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      switch (c)
        {
        case '"':
          g_string_append (out, "\\\"");
          break;
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case '\b':
          g_string_append (out, "\\b");
          break;
        case '\f':
          g_string_append (out, "\\f");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        case '\r':
          g_string_append (out, "\\r");
          break;
        case '\t':
          g_string_append (out, "\\t");
          break;
        default:
          if (c < 0x20 || c == 0x7f)
            g_string_append_printf (out, "\\u%04x", (guint) c);
          else
            g_string_append_c (out, (char) c);
        }
    }
  g_string_append_c (out, '"');
}

static void
append_json_node (GString  *out,
                  JsonNode *node)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_node_get_object (node);
        g_autoptr(GList) members = json_object_get_members (object);

        g_string_append_c (out, '{');
        for (GList *l = members; l != NULL; l = l->next)
          {
            if (l != members)
              g_string_append_c (out, ',');
            append_json_string (out, l->data);
            g_string_append_c (out, ':');
            append_json_node (out, json_object_get_member (object, l->data));
          }
        g_string_append_c (out, '}');
      }
      break;
    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        guint n = json_array_get_length (array);

        g_string_append_c (out, '[');
        for (guint i = 0; i < n; i++)
          {
            if (i > 0)
              g_string_append_c (out, ',');
            append_json_node (out, json_array_get_element (array, i));
          }
        g_string_append_c (out, ']');
      }
      break;
    case JSON_NODE_NULL:
      g_string_append (out, "null");
      break;
    case JSON_NODE_VALUE:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_INT64:
          g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
          break;
        case G_TYPE_DOUBLE:
          {
            char buf[G_ASCII_DTOSTR_BUF_SIZE];
            double d = json_node_get_double (node);

            /* JSON has no NaN or infinity */
            if (!isfinite (d))
              g_string_append (out, "null");
            else
              g_string_append (out, g_ascii_formatd (buf, sizeof buf, "%.3f", d));
          }
          break;
        case G_TYPE_BOOLEAN:
          g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
          break;
        case G_TYPE_STRING:
          append_json_string (out, json_node_get_string (node) ? json_node_get_string (node) : "");
          break;
        default:
          g_assert_not_reached ();
        }
      break;
    default:
      g_assert_not_reached ();
    }
}

char *
tp_cli_json_to_string (JsonNode *node)
{
  GString *out = g_string_sized_new (256);

  g_return_val_if_fail (node != NULL, NULL);

  append_json_node (out, node);
  return g_string_free (out, FALSE);
}

/* One JSON document per line, so that output can be piped line by line. */
void
tp_cli_print_json (JsonNode *node)
{
  g_autofree char *text = tp_cli_json_to_string (node);

  fputs (text, stdout);
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
