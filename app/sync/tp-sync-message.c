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
  g_autoptr(JsonNode) root = tp_json_parse_object (text != NULL ? text : "", (gssize) length, TP_SYNC_MAX_ANSWER, "reconcile answer", error);
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
