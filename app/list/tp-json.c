/* tp-json.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "tp-error.h"
#include "tp-json.h"

/* The code unit of the \uXXXX escape at text[i] ('\\'), or -1. */
static gint
unicode_escape (const char *text,
                gsize       length,
                gsize       i)
{
  gint unit = 0;

  if (i + 6 > length || text[i] != '\\' || text[i + 1] != 'u')
    return -1;
  for (gsize k = i + 2; k < i + 6; k++)
    {
      if (!g_ascii_isxdigit (text[k]))
        return -1;
      unit = unit << 4 | g_ascii_xdigit_value (text[k]);
    }
  return unit;
}

/* Checks the escape at text[*i] ('\\') and moves *i to its last byte.
 * A \u escape needs four hex digits, and a surrogate its other half (a
 * string holds text); json-glib 1.6 loses memory on some malformed
 * surrogate pairs, so they never reach it. */
static gboolean
check_escape (const char  *text,
              gsize        length,
              gsize       *i,
              const char  *what,
              GError     **error)
{
  gint unit;

  if (*i + 1 < length && text[*i + 1] != 'u')
    {
      /* json-glib's scanner also takes C's escapes ("\364" is the byte
       * 0xF4), which would put text that is no UTF-8 into a string */
      if (strchr ("\"\\/bfnrt", text[*i + 1]) == NULL || text[*i + 1] == '\0')
        {
          g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT,
                       "%s: not valid JSON: the escape at byte %" G_GSIZE_FORMAT " is none of JSON's "
                       "(\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)", what, *i + 1);
          return FALSE;
        }
      *i += 1;
      return TRUE;
    }
  if (*i + 1 >= length)
    {
      *i += 1;
      return TRUE;
    }
  unit = unicode_escape (text, length, *i);
  if (unit >= 0xD800 && unit <= 0xDBFF)
    {
      gint low = unicode_escape (text, length, *i + 6);

      if (low >= 0xDC00 && low <= 0xDFFF)
        {
          *i += 11;
          return TRUE;
        }
    }
  else if (unit >= 0 && (unit < 0xDC00 || unit > 0xDFFF))
    {
      *i += 5;
      return TRUE;
    }
  g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT,
               "%s: not valid JSON: a \\u escape at byte %" G_GSIZE_FORMAT " is not a character "
               "(four hex digits; a surrogate needs its other half)", what, *i + 1);
  return FALSE;
}

/* One pass over the text: the first non-blank character opens an object,
 * nesting stays within the limit, and only white space follows the
 * object's closing brace. Strings are skipped with their escapes, so
 * braces inside names do not count; \u escapes are checked. Whether the
 * object is well-formed JSON is json-glib's to say. */
static gboolean
check_single_object (const char  *text,
                     gsize        length,
                     gboolean     line,
                     const char  *what,
                     GError     **error)
{
  gsize i = 0;
  guint depth = 0;

  while (i < length && g_ascii_isspace (text[i]))
    i++;
  if (i == length)
    {
      g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT,
                   "%s: empty input, expected a JSON object", what);
      return FALSE;
    }
  if (text[i] != '{')
    {
      const char *found = text[i] == '[' ? ", found an array"
                        : text[i] == '"' ? ", found a string"
                        : "";

      g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT,
                   "%s: expected a JSON object%s", what, found);
      return FALSE;
    }
  for (; i < length; i++)
    {
      char c = text[i];

      if (c == '"')
        {
          for (i++; i < length && text[i] != '"'; i++)
            if (text[i] == '\\' && !check_escape (text, length, &i, what, error))
              return FALSE;
          continue;
        }
      if (c == '{' || c == '[')
        {
          if (++depth > TP_JSON_MAX_DEPTH)
            {
              g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT,
                           "%s: nested more than %d levels deep", what, TP_JSON_MAX_DEPTH);
              return FALSE;
            }
        }
      else if ((c == '}' || c == ']') && depth > 0 && --depth == 0)
        break;
    }
  for (i++; i < length; i++)
    if (!g_ascii_isspace (text[i]))
      {
        if (line)
          g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT,
                       "%s: text after the object at byte %" G_GSIZE_FORMAT " (one %s per line)",
                       what, i + 1, what);
        else
          g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT,
                       "%s: text after the object at byte %" G_GSIZE_FORMAT, what, i + 1);
        return FALSE;
      }
  return TRUE;
}

static JsonNode *
parse_object (const char  *text,
              gssize       length,
              gsize        max,
              gboolean     line,
              const char  *what,
              GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize len;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (what != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  len = length < 0 ? strlen (text) : (gsize) length;
  if (len > max)
    {
      g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT,
                   "%s: %" G_GSIZE_FORMAT " bytes long, at most %" G_GSIZE_FORMAT " are read",
                   what, len, max);
      return NULL;
    }
  if (memchr (text, '\0', len) != NULL)
    {
      g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT,
                   "%s: contains a NUL byte", what);
      return NULL;
    }
  if (!g_utf8_validate (text, (gssize) len, NULL))
    {
      g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT,
                   "%s: not valid UTF-8", what);
      return NULL;
    }
  if (!check_single_object (text, len, line, what, error))
    return NULL;

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, text, (gssize) len, &local_error))
    {
      /* json-glib quotes the offending bytes, which may cut a character */
      g_autofree char *message = g_utf8_make_valid (local_error->message, -1);

      g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT,
                   "%s: not valid JSON: %s", what, message);
      return NULL;
    }
  return json_parser_steal_root (parser);
}

JsonNode *
tp_json_parse_object (const char  *text,
                      gssize       length,
                      gsize        max,
                      const char  *what,
                      GError     **error)
{
  return parse_object (text, length, max, FALSE, what, error);
}

JsonNode *
tp_json_parse_object_line (const char  *text,
                           gssize       length,
                           const char  *what,
                           GError     **error)
{
  return parse_object (text, length, TP_JSON_MAX_LINE, TRUE, what, error);
}

void
tp_json_append_string (GString    *out,
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
          if (c < 0x20)
            g_string_append_printf (out, "\\u%04x", c);
          else
            g_string_append_c (out, (char) c);
        }
    }
  g_string_append_c (out, '"');
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static gboolean
is_ascii (const char *s)
{
  for (; *s != '\0'; s++)
    if ((guchar) *s >= 0x80)
      return FALSE;
  return TRUE;
}

/* Appends @node; FALSE with @error only in TP_JSON_CANONICAL_STRICT. */
static gboolean
append_node (GString               *out,
             JsonNode              *node,
             TpJsonCanonicalFlags   flags,
             guint                  depth,
             GError               **error)
{
  gboolean strict = (flags & TP_JSON_CANONICAL_STRICT) != 0;

  if (strict && depth > TP_JSON_MAX_DEPTH)
    {
      g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT,
                   "nested more than %d levels deep", TP_JSON_MAX_DEPTH);
      return FALSE;
    }

  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_node_get_object (node);
        g_autoptr(GList) members = json_object_get_members (object);
        g_autoptr(GPtrArray) names = g_ptr_array_new ();

        for (GList *l = members; l != NULL; l = l->next)
          {
            if (strict && !is_ascii (l->data))
              {
                g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT,
                             "a member name is not ASCII");
                return FALSE;
              }
            g_ptr_array_add (names, l->data);
          }
        g_ptr_array_sort (names, compare_names);
        g_string_append_c (out, '{');
        for (guint i = 0; i < names->len; i++)
          {
            const char *name = g_ptr_array_index (names, i);

            if (i > 0)
              g_string_append_c (out, ',');
            tp_json_append_string (out, name);
            g_string_append_c (out, ':');
            if (!append_node (out, json_object_get_member (object, name), flags, depth + 1, error))
              return FALSE;
          }
        g_string_append_c (out, '}');
        return TRUE;
      }
    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        guint n = json_array_get_length (array);

        g_string_append_c (out, '[');
        for (guint i = 0; i < n; i++)
          {
            if (i > 0)
              g_string_append_c (out, ',');
            if (!append_node (out, json_array_get_element (array, i), flags, depth + 1, error))
              return FALSE;
          }
        g_string_append_c (out, ']');
        return TRUE;
      }
    case JSON_NODE_VALUE:
      {
        GType type = json_node_get_value_type (node);

        if (type == G_TYPE_STRING)
          {
            /* json-glib lets a lone surrogate escape ("\ud800") through */
            if (strict && !g_utf8_validate (json_node_get_string (node), -1, NULL))
              {
                g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT,
                             "a string that is not valid UTF-8 (a lone surrogate escape?)");
                return FALSE;
              }
            tp_json_append_string (out, json_node_get_string (node));
          }
        else if (type == G_TYPE_INT64)
          g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
        else if (type == G_TYPE_BOOLEAN)
          g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
        else if (strict)
          {
            g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT,
                         "a number with a fraction or an exponent (only whole numbers are allowed)");
            return FALSE;
          }
        else
          {
            char buf[G_ASCII_DTOSTR_BUF_SIZE];

            g_string_append (out, g_ascii_formatd (buf, sizeof buf, "%.17g", json_node_get_double (node)));
          }
        return TRUE;
      }
    case JSON_NODE_NULL:
      g_string_append (out, "null");
      return TRUE;
    default:
      if (strict)
        {
          g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT, "an unknown JSON value");
          return FALSE;
        }
      g_string_append (out, "null");
      return TRUE;
    }
}

gboolean
tp_json_canonical_append (GString               *out,
                          JsonNode              *node,
                          TpJsonCanonicalFlags   flags,
                          GError               **error)
{
  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (node == NULL)
    {
      g_string_append (out, "null");
      return TRUE;
    }
  return append_node (out, node, flags, 0, error);
}

char *
tp_json_canonical (JsonNode *node)
{
  GString *out = g_string_new (NULL);

  tp_json_canonical_append (out, node, TP_JSON_CANONICAL_DEFAULT, NULL);
  return g_string_free (out, FALSE);
}

char *
tp_json_quote (const char *text)
{
  g_autofree char *s = g_utf8_make_valid (text, -1);
  GString *out = g_string_new (NULL);
  const char *p = s;

  for (guint n = 0; *p != '\0' && n < 40; p = g_utf8_next_char (p), n++)
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c))
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_unichar (out, c);
    }
  if (*p != '\0')
    g_string_append (out, "…");
  return g_string_free (out, FALSE);
}
