/* tp-sync-message.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "tp-error.h"
#include "tp-json.h"
#include "tp-sync-message.h"

static gboolean
invalid (GError     **error,
         const char  *format,
         ...) G_GNUC_PRINTF (2, 3);

static gboolean
invalid (GError     **error,
         const char  *format,
         ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, TP_ERROR, TP_ERROR_INVALID_INPUT, message);
  return FALSE;
}

gboolean
tp_sync_parse_push_message (const char         *text,
                            gsize               length,
                            TpSyncMessageKind  *out_kind,
                            guint64            *out_seq,
                            JsonNode          **out_escalation,
                            GError            **error)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;
  JsonNode *node;

  g_return_val_if_fail (text != NULL || length == 0, FALSE);
  g_return_val_if_fail (out_kind != NULL && out_seq != NULL && out_escalation != NULL, FALSE);

  *out_kind = TP_SYNC_MESSAGE_OTHER;
  *out_seq = 0;
  *out_escalation = NULL;
  root = tp_json_parse_object_line (text != NULL ? text : "", (gssize) length, "push message", error);
  if (root == NULL)
    return FALSE;
  object = json_node_get_object (root);

  node = json_object_get_member (object, "head");
  if (node != NULL)
    {
      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64 ||
          json_node_get_int (node) < 0)
        return invalid (error, "push message: head: expected a change number (a whole number, 0 or more)");
      *out_kind = TP_SYNC_MESSAGE_HEAD;
      *out_seq = (guint64) json_node_get_int (node);
      return TRUE;
    }
  node = json_object_get_member (object, "escalation");
  if (node != NULL)
    {
      if (!JSON_NODE_HOLDS_OBJECT (node))
        return invalid (error, "push message: escalation: expected an event object");
      *out_kind = TP_SYNC_MESSAGE_ESCALATION;
      *out_escalation = json_node_copy (node);
      return TRUE;
    }
  return TRUE;
}

JsonNode *
tp_sync_parse_object (const char  *text,
                      gsize        length,
                      gsize        max,
                      const char  *what,
                      GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  guint depth = 0;
  gsize i = 0;

  g_return_val_if_fail (text != NULL || length == 0, NULL);
  g_return_val_if_fail (what != NULL, NULL);

  if (text == NULL)
    text = "";
  if (length > max)
    {
      invalid (error, "%s: %" G_GSIZE_FORMAT " bytes long, at most %" G_GSIZE_FORMAT " are read", what, length, max);
      return NULL;
    }
  if (memchr (text, '\0', length) != NULL || !g_utf8_validate (text, (gssize) length, NULL))
    {
      invalid (error, "%s: not UTF-8 text", what);
      return NULL;
    }
  /* json-glib's parser recurses, and leaks on some malformed input: one
   * object, bounded nesting, nothing after it, before it sees the text
   * (strings skipped) */
  while (i < length && g_ascii_isspace (text[i]))
    i++;
  if (i == length || text[i] != '{')
    {
      invalid (error, "%s: expected a JSON object", what);
      return NULL;
    }
  for (; i < length; i++)
    {
      char c = text[i];

      if (c == '"')
        {
          for (i++; i < length && text[i] != '"'; i++)
            if (text[i] == '\\')
              i++;
        }
      else if (c == '{' || c == '[')
        {
          if (++depth > TP_JSON_MAX_DEPTH)
            {
              invalid (error, "%s: nested more than %d levels deep", what, TP_JSON_MAX_DEPTH);
              return NULL;
            }
        }
      else if ((c == '}' || c == ']') && depth > 0 && --depth == 0)
        break;
    }
  for (i++; i < length; i++)
    if (!g_ascii_isspace (text[i]))
      {
        invalid (error, "%s: text after the object at byte %" G_GSIZE_FORMAT, what, i + 1);
        return NULL;
      }
  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, text, (gssize) length, &local_error))
    {
      /* json-glib may quote the offending bytes, not always whole characters */
      g_autofree char *message = g_utf8_make_valid (local_error->message, -1);

      invalid (error, "%s: not JSON (%s)", what, message);
      return NULL;
    }
  if (json_parser_get_root (parser) == NULL || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      invalid (error, "%s: expected a JSON object", what);
      return NULL;
    }
  return json_node_ref (json_parser_get_root (parser));
}

static gboolean
string_array (JsonObject  *object,
              const char  *member,
              GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return invalid (error, "reconcile answer: %s: expected an array of event ids", member);
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *e = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (e) || json_node_get_value_type (e) != G_TYPE_STRING)
        return invalid (error, "reconcile answer: %s[%u]: expected an event id", member, i);
    }
  return TRUE;
}

JsonNode *
tp_sync_parse_reconcile_answer (const char  *text,
                                gsize        length,
                                GError     **error)
{
  g_autoptr(JsonNode) root = tp_sync_parse_object (text, length, TP_SYNC_MAX_ANSWER, "reconcile answer", error);
  JsonObject *object;
  JsonNode *node;
  const char *status;

  if (root == NULL)
    return NULL;
  object = json_node_get_object (root);
  node = json_object_get_member (object, "status");
  status = node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
             ? json_node_get_string (node) : NULL;
  if (status == NULL || (strcmp (status, "ok") != 0 && strcmp (status, "discrepancy") != 0))
    {
      invalid (error, "reconcile answer: status: expected \"ok\" or \"discrepancy\"");
      return NULL;
    }
  if (!string_array (object, "hub_lacks", error) || !string_array (object, "hub_extra", error))
    return NULL;
  return g_steal_pointer (&root);
}
