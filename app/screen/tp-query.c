/* tp-query.c: the screening query and its JSON form
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "tp-error.h"
#include "tp-json.h"
#include "tp-query.h"

/* Longest text accepted in any member: far above what a document carries,
 * low enough that a hostile line cannot make the matcher work hard. */
#define MAX_TEXT 256
#define MAX_CODE 24

static void
clear_query_fields (TpQuery *query)
{
  g_clear_pointer (&query->id, g_free);
  g_clear_pointer (&query->document_number, g_free);
  g_clear_pointer (&query->issuing_state, g_free);
  g_clear_pointer (&query->nationality, g_free);
  g_clear_pointer (&query->primary, g_free);
  g_clear_pointer (&query->secondary, g_free);
  g_clear_pointer (&query->full_name, g_free);
  g_clear_pointer (&query->personal_number, g_free);
}

/* The member as a string: FALSE with an error when it is there but not a
 * string; *out is NULL when the member is absent, null or empty. */
static gboolean
get_string (JsonObject  *object,
            const char  *member,
            const char **out,
            GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);
  const char *value;

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT,
                   "%s: expected a string, found %s", member,
                   JSON_NODE_HOLDS_OBJECT (node) ? "an object" :
                   JSON_NODE_HOLDS_ARRAY (node) ? "an array" :
                   json_node_get_value_type (node) == G_TYPE_BOOLEAN ? "a boolean" : "a number");
      return FALSE;
    }
  value = json_node_get_string (node);
  if (value == NULL || value[0] == '\0')
    return TRUE;
  if (strlen (value) > MAX_TEXT)
    {
      g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT,
                   "%s: %zu bytes long, expected at most %d", member, strlen (value), MAX_TEXT);
      return FALSE;
    }
  if (!g_utf8_validate (value, -1, NULL))
    {
      g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT,
                   "%s: not valid UTF-8", member);
      return FALSE;
    }
  *out = value;
  return TRUE;
}

static gboolean
get_text (JsonObject  *object,
          const char  *member,
          char       **out,
          GError     **error)
{
  const char *value;

  if (!get_string (object, member, &value, error))
    return FALSE;
  g_free (*out);
  *out = g_strdup (value);
  return TRUE;
}

/* A code as the MRZ writes it: A–Z and digits, upper-cased, with '<'
 * fillers, spaces and hyphens removed. letters_only for state codes. */
static gboolean
get_code (JsonObject  *object,
          const char  *member,
          gboolean     letters_only,
          gsize        max_len,
          char       **out,
          GError     **error)
{
  const char *value;
  GString *code;

  if (!get_string (object, member, &value, error))
    return FALSE;
  g_clear_pointer (out, g_free);
  if (value == NULL)
    return TRUE;

  code = g_string_new (NULL);
  for (const char *p = value; *p != '\0'; p++)
    {
      char c = g_ascii_toupper (*p);

      if (c == '<' || c == ' ' || c == '-')
        continue;
      if ((c >= 'A' && c <= 'Z') || (!letters_only && c >= '0' && c <= '9'))
        {
          g_string_append_c (code, c);
          continue;
        }
      g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT,
                   "%s: “%s” has a character that is not %s", member, value,
                   letters_only ? "a letter A–Z" : "a letter A–Z or a digit");
      g_string_free (code, TRUE);
      return FALSE;
    }
  if (code->len > max_len)
    {
      g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT,
                   "%s: “%s” is %zu characters long, expected at most %zu",
                   member, value, code->len, max_len);
      g_string_free (code, TRUE);
      return FALSE;
    }
  if (code->len == 0)
    {
      g_string_free (code, TRUE);
      return TRUE;
    }
  *out = g_string_free (code, FALSE);
  return TRUE;
}

TpQuery *
tp_query_new (void)
{
  return g_new0 (TpQuery, 1);
}

void
tp_query_free (TpQuery *query)
{
  if (query == NULL)
    return;
  clear_query_fields (query);
  g_free (query);
}

TpQuery *
tp_query_copy (const TpQuery *query)
{
  TpQuery *copy;

  g_return_val_if_fail (query != NULL, NULL);

  copy = tp_query_new ();
  copy->id = g_strdup (query->id);
  copy->document_number = g_strdup (query->document_number);
  copy->issuing_state = g_strdup (query->issuing_state);
  copy->nationality = g_strdup (query->nationality);
  copy->primary = g_strdup (query->primary);
  copy->secondary = g_strdup (query->secondary);
  copy->full_name = g_strdup (query->full_name);
  copy->birth_date = query->birth_date;
  copy->sex = query->sex;
  copy->personal_number = g_strdup (query->personal_number);
  return copy;
}

char *
tp_query_peek_id (JsonNode *node)
{
  JsonNode *id;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  id = json_object_get_member (json_node_get_object (node), "id");
  if (id == NULL || !JSON_NODE_HOLDS_VALUE (id) || json_node_get_value_type (id) != G_TYPE_STRING)
    return NULL;
  return g_utf8_make_valid (json_node_get_string (id), -1);
}

TpQuery *
tp_query_from_json_node (JsonNode  *node,
                         GError   **error)
{
  g_autoptr(TpQuery) query = tp_query_new ();
  JsonObject *object;
  const char *text;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT,
                   "expected a JSON object with the query's members");
      return NULL;
    }
  object = json_node_get_object (node);

  if (!get_text (object, "id", &query->id, error) ||
      !get_code (object, "document_number", FALSE, MAX_CODE, &query->document_number, error) ||
      !get_code (object, "issuing_state", TRUE, 3, &query->issuing_state, error) ||
      !get_code (object, "nationality", TRUE, 3, &query->nationality, error) ||
      !get_text (object, "primary", &query->primary, error) ||
      !get_text (object, "secondary", &query->secondary, error) ||
      !get_text (object, "full_name", &query->full_name, error) ||
      !get_code (object, "personal_number", FALSE, MAX_CODE, &query->personal_number, error))
    return NULL;

  if (!get_string (object, "birth_date", &text, error))
    return NULL;
  if (text != NULL && !tp_partial_date_parse (text, &query->birth_date))
    {
      g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT,
                   "birth_date: “%s” is not a date: expected YYYY-MM-DD, YYYY-MM or YYYY", text);
      return NULL;
    }

  if (!get_string (object, "sex", &text, error))
    return NULL;
  if (text != NULL)
    {
      char c = g_ascii_toupper (text[0]);

      if (text[1] != '\0' || (c != 'M' && c != 'F' && c != 'X' && c != '<'))
        {
          g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT,
                       "sex: “%s” is not one of M, F or X", text);
          return NULL;
        }
      query->sex = c == '<' ? 'X' : c;
    }

  return g_steal_pointer (&query);
}

/* TRUE when the text is one JSON object and nothing after it but white
 * space. json-glib 1.6 accepts several values in a row ("{...}{...}") and
 * leaks all but one, so such text never reaches it. Strings are skipped
 * with their escapes; whether the object itself is well formed is left to
 * the parser. */
TpQuery *
tp_query_from_json_line (const char  *json,
                         gssize       length,
                         char       **id_out,
                         GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  TpQuery *query;

  g_return_val_if_fail (json != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (id_out != NULL)
    *id_out = NULL;
  root = tp_json_parse_object_line (json, length, "query", error);
  if (root == NULL)
    return NULL;
  query = tp_query_from_json_node (root, error);
  if (query == NULL && id_out != NULL)
    *id_out = tp_query_peek_id (root);
  return query;
}

TpQuery *
tp_query_from_json (const char  *json,
                    gssize       length,
                    GError     **error)
{
  return tp_query_from_json_line (json, length, NULL, error);
}

static void
add_member (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  if (value == NULL)
    return;
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

JsonNode *
tp_query_to_json_node (const TpQuery *query)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *birth = NULL;

  g_return_val_if_fail (query != NULL, NULL);

  if (query->birth_date.year != 0)
    birth = tp_partial_date_to_string (&query->birth_date);

  json_builder_begin_object (builder);
  add_member (builder, "id", query->id);
  add_member (builder, "document_number", query->document_number);
  add_member (builder, "issuing_state", query->issuing_state);
  add_member (builder, "nationality", query->nationality);
  add_member (builder, "primary", query->primary);
  add_member (builder, "secondary", query->secondary);
  add_member (builder, "full_name", query->full_name);
  add_member (builder, "birth_date", birth);
  if (query->sex != 0)
    {
      char sex[2] = { query->sex, '\0' };

      add_member (builder, "sex", sex);
    }
  add_member (builder, "personal_number", query->personal_number);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

char *
tp_query_to_json (const TpQuery *query)
{
  g_autoptr(JsonNode) node = NULL;

  g_return_val_if_fail (query != NULL, NULL);

  node = tp_query_to_json_node (query);
  return json_to_string (node, FALSE);
}

char *
tp_query_document_key (const TpQuery *query)
{
  g_return_val_if_fail (query != NULL, NULL);

  if (query->document_number == NULL || query->issuing_state == NULL)
    return NULL;
  return g_strdup_printf ("%s:%s", query->issuing_state, query->document_number);
}
