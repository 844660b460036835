/* tp-ldif.c: LDIF content records (RFC 2849)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "tp-error.h"
#include "tp-ldif.h"

/* One logical line (folded lines joined) and where it started */
typedef struct {
  GString *text;
  guint    line;
  gboolean comment;
} Logical;

static void
attribute_free (TpLdifAttribute *attribute)
{
  g_free (attribute->description);
  g_clear_pointer (&attribute->value, g_bytes_unref);
  g_free (attribute);
}

void
tp_ldif_entry_free (TpLdifEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->dn);
  g_clear_pointer (&entry->attributes, g_ptr_array_unref);
  g_free (entry);
}

static gboolean
fail (GError    **error,
      guint       line,
      const char *format,
      ...) G_GNUC_PRINTF (3, 4);

static gboolean
fail (GError    **error,
      guint       line,
      const char *format,
      ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT, "LDIF line %u: %s", line, message);
  return FALSE;
}

/* Strict base64 (RFC 4648 alphabet, padding only at the end) */
static GBytes *
decode_base64 (const char  *text,
               gsize        len,
               guint        line,
               GError     **error)
{
  g_autofree char *copy = NULL;
  gsize out_len = 0, pad = 0;

  for (gsize i = 0; i < len; i++)
    {
      char c = text[i];

      if (c == '=')
        pad++;
      else if (pad > 0 || !(g_ascii_isalnum (c) || c == '+' || c == '/'))
        {
          fail (error, line, "a base64 value holds “%c” at character %" G_GSIZE_FORMAT,
                g_ascii_isprint (c) ? c : '?', i + 1);
          return NULL;
        }
    }
  if (len % 4 != 0 || pad > 2)
    {
      fail (error, line, "a base64 value of %" G_GSIZE_FORMAT " characters is cut short", len);
      return NULL;
    }
  if (len == 0)
    return g_bytes_new (NULL, 0);
  copy = g_strndup (text, len);
  g_base64_decode_inplace (copy, &out_len);
  return g_bytes_new (copy, out_len);
}

static gboolean
valid_description (const char *text,
                   gsize       len)
{
  if (len == 0 || !(g_ascii_isalnum (text[0])))
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!(g_ascii_isalnum (text[i]) || text[i] == '-' || text[i] == ';' || text[i] == '.'))
      return FALSE;
  return TRUE;
}

/* Splits a logical line into description and value. */
static gboolean
split_line (const Logical  *logical,
            char          **description,
            GBytes        **value,
            GError        **error)
{
  const char *text = logical->text->str;
  gsize len = logical->text->len;
  const char *colon = memchr (text, ':', len);
  const char *v;
  gsize dlen;

  if (colon == NULL)
    return fail (error, logical->line, "no colon: not “attribute: value”");
  dlen = (gsize) (colon - text);
  if (!valid_description (text, dlen))
    return fail (error, logical->line, "“%.*s” is not an attribute description",
                 (int) MIN (dlen, 40), text);
  v = colon + 1;
  if (v < text + len && *v == '<')
    return fail (error, logical->line, "values given by URL (“:<”) are not supported");
  if (v < text + len && *v == ':')
    {
      v++;
      while (v < text + len && *v == ' ')
        v++;
      *value = decode_base64 (v, (gsize) (text + len - v), logical->line, error);
      if (*value == NULL)
        return FALSE;
    }
  else
    {
      while (v < text + len && *v == ' ')
        v++;
      *value = g_bytes_new (v, (gsize) (text + len - v));
    }
  *description = g_strndup (text, dlen);
  return TRUE;
}

static gboolean
is_named (const char *description,
          const char *name)
{
  const char *semi = strchr (description, ';');
  gsize len = semi != NULL ? (gsize) (semi - description) : strlen (description);

  return strlen (name) == len && g_ascii_strncasecmp (description, name, len) == 0;
}

gboolean
tp_ldif_attribute_is (const TpLdifAttribute *attribute,
                      const char            *name)
{
  g_return_val_if_fail (attribute != NULL && name != NULL, FALSE);

  return is_named (attribute->description, name);
}

/* Handles one finished logical line: TRUE to go on. */
static gboolean
take_line (const Logical  *logical,
           GPtrArray      *entries,
           TpLdifEntry   **current,
           gboolean       *seen_any,
           GError        **error)
{
  g_autofree char *description = NULL;
  g_autoptr(GBytes) value = NULL;

  if (logical->comment)
    return TRUE;
  if (!split_line (logical, &description, &value, error))
    return FALSE;

  if (!*seen_any && *current == NULL && g_ascii_strcasecmp (description, "version") == 0)
    {
      gsize n;
      const char *v = g_bytes_get_data (value, &n);

      *seen_any = TRUE;
      if (n != 1 || v[0] != '1')
        return fail (error, logical->line, "LDIF version %.*s: only version 1 exists",
                     (int) MIN (n, 20), v != NULL ? v : "");
      return TRUE;
    }
  *seen_any = TRUE;

  if (*current == NULL)
    {
      gsize n;
      const char *v;

      if (g_ascii_strcasecmp (description, "dn") != 0)
        return fail (error, logical->line, "“%s” before any dn: a record starts with its dn",
                     description);
      v = g_bytes_get_data (value, &n);
      *current = g_new0 (TpLdifEntry, 1);
      (*current)->dn = g_strndup (v != NULL ? v : "", n);
      (*current)->line = logical->line;
      (*current)->attributes = g_ptr_array_new_with_free_func ((GDestroyNotify) attribute_free);
      g_ptr_array_add (entries, *current);
      return TRUE;
    }

  if (g_ascii_strcasecmp (description, "changetype") == 0 || g_ascii_strcasecmp (description, "control") == 0)
    return fail (error, logical->line, "change records are not supported (content records only)");
  if (g_ascii_strcasecmp (description, "dn") == 0)
    return fail (error, logical->line, "a second dn in one record (a blank line must come between records)");

  {
    TpLdifAttribute *attribute = g_new0 (TpLdifAttribute, 1);

    attribute->description = g_steal_pointer (&description);
    attribute->value = g_steal_pointer (&value);
    g_ptr_array_add ((*current)->attributes, attribute);
  }
  return TRUE;
}

GPtrArray *
tp_ldif_parse (const guint8  *data,
               gsize          len,
               GError       **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) tp_ldif_entry_free);
  TpLdifEntry *current = NULL;
  Logical logical = { NULL, 0, FALSE };
  gboolean seen_any = FALSE, have = FALSE, ok = TRUE;
  gsize pos = 0;
  guint line = 0;

  g_return_val_if_fail (data != NULL || len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  logical.text = g_string_new (NULL);
  /* A UTF-8 byte order mark is tolerated */
  if (len >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF)
    pos = 3;

  while (ok && pos <= len)
    {
      const guint8 *start = data + pos;
      const guint8 *nl = pos < len ? memchr (start, '\n', len - pos) : NULL;
      gsize n = nl != NULL ? (gsize) (nl - start) : len - pos;
      gboolean last = nl == NULL;

      line++;
      if (n > 0 && start[n - 1] == '\r')
        n--;
      if (n > 0 && memchr (start, '\0', n) != NULL)
        {
          ok = fail (error, line, "a NUL byte: not a text file");
          break;
        }

      if (n > 0 && start[0] == ' ')
        {
          /* a folded line continues the one before */
          if (!have)
            {
              ok = fail (error, line, "a continuation line (leading space) with no line before it");
              break;
            }
          g_string_append_len (logical.text, (const char *) start + 1, (gssize) (n - 1));
        }
      else
        {
          if (have)
            {
              ok = take_line (&logical, entries, &current, &seen_any, error);
              have = FALSE;
              if (!ok)
                break;
            }
          if (n == 0)
            current = NULL;    /* a blank line ends the record */
          else
            {
              g_string_assign (logical.text, "");
              g_string_append_len (logical.text, (const char *) start, (gssize) n);
              logical.line = line;
              logical.comment = start[0] == '#';
              have = TRUE;
            }
        }
      if (last)
        break;
      pos += (gsize) (nl - start) + 1;
    }
  if (ok && have)
    ok = take_line (&logical, entries, &current, &seen_any, error);
  g_string_free (logical.text, TRUE);

  if (!ok)
    return NULL;
  return g_steal_pointer (&entries);
}

gboolean
tp_ldif_looks_like (const guint8 *data,
                    gsize         len)
{
  gsize pos = 0;

  if (data == NULL)
    return FALSE;
  if (len >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF)
    pos = 3;
  while (pos < len)
    {
      const guint8 *nl;

      if (data[pos] == '\r' || data[pos] == '\n')
        {
          pos++;
          continue;
        }
      if (data[pos] == '#' || data[pos] == ' ')
        {
          /* a comment, or a comment's folded continuation */
          nl = memchr (data + pos, '\n', len - pos);
          if (nl == NULL)
            return FALSE;
          pos = (gsize) (nl - data) + 1;
          continue;
        }
      return (len - pos >= 8 && g_ascii_strncasecmp ((const char *) data + pos, "version:", 8) == 0) ||
             (len - pos >= 3 && g_ascii_strncasecmp ((const char *) data + pos, "dn:", 3) == 0);
    }
  return FALSE;
}
