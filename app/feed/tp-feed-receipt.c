/* tp-feed-receipt.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "tp-canonical-json.h"
#include "tp-error.h"
#include "tp-feed-doc-private.h"
#include "tp-feed-receipt.h"
#include "tp-json.h"

#define MAX_SEQ ((guint64) G_MAXINT64)
#define MAX_WARNINGS 32

static const char * const status_names[] = { "accepted", "duplicate", "rejected" };

const char *
tp_receipt_status_to_string (TpReceiptStatus status)
{
  g_return_val_if_fail ((guint) status < G_N_ELEMENTS (status_names), NULL);
  return status_names[status];
}

gboolean
tp_receipt_status_from_string (const char      *text,
                               TpReceiptStatus *out)
{
  for (guint i = 0; i < G_N_ELEMENTS (status_names); i++)
    if (g_strcmp0 (text, status_names[i]) == 0)
      {
        *out = (TpReceiptStatus) i;
        return TRUE;
      }
  return FALSE;
}

TpFeedReceipt *
tp_feed_receipt_new (void)
{
  return g_new0 (TpFeedReceipt, 1);
}

void
tp_feed_receipt_free (TpFeedReceipt *receipt)
{
  if (receipt == NULL)
    return;
  g_free (receipt->id);
  g_free (receipt->reason);
  g_strfreev (receipt->warnings);
  g_free (receipt);
}

char *
tp_feed_receipt_to_json (const TpFeedReceipt *receipt)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  g_return_val_if_fail (receipt != NULL, NULL);

  json_object_set_int_member (object, "line", (gint64) receipt->line);
  if (receipt->id != NULL)
    json_object_set_string_member (object, "id", receipt->id);
  if (receipt->version > 0)
    json_object_set_int_member (object, "version", receipt->version);
  json_object_set_string_member (object, "status", tp_receipt_status_to_string (receipt->status));
  if (receipt->seq > 0)
    json_object_set_int_member (object, "seq", (gint64) receipt->seq);
  if (receipt->reason != NULL)
    json_object_set_string_member (object, "reason", receipt->reason);
  if (receipt->warnings != NULL && receipt->warnings[0] != NULL)
    {
      JsonArray *array = json_array_new ();

      for (guint i = 0; receipt->warnings[i] != NULL; i++)
        json_array_add_string_element (array, receipt->warnings[i]);
      json_object_set_array_member (object, "warnings", array);
    }
  json_node_set_object (node, object);
  /* only strings and whole numbers: cannot fail */
  return tp_canonical_json (node, NULL);
}

TpFeedReceipt *
tp_feed_receipt_parse (const char  *text,
                       gsize        length,
                       GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(TpFeedReceipt) receipt = tp_feed_receipt_new ();
  JsonObject *object;
  JsonNode *warnings;
  const char *s;
  guint64 version;

  g_return_val_if_fail (text != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  root = tp_json_parse_object_line (text ? text : "", (gssize) length, "receipt", error);
  if (root == NULL)
    return NULL;
  object = json_node_get_object (root);

  if (!tp_feed_get_uint (object, "receipt", "line", TRUE, MAX_SEQ, &receipt->line, error) ||
      !tp_feed_get_uint (object, "receipt", "version", FALSE, G_MAXINT32, &version, error) ||
      !tp_feed_get_uint (object, "receipt", "seq", FALSE, MAX_SEQ, &receipt->seq, error))
    return NULL;
  receipt->version = (guint) version;
  if (receipt->line < 1)
    {
      tp_feed_fail (error, "receipt", "line", "0, lines count from 1");
      return NULL;
    }

  if (!tp_feed_get_string (object, "receipt", "status", TRUE, &s, error))
    return NULL;
  if (!tp_receipt_status_from_string (s, &receipt->status))
    {
      g_autofree char *quoted = tp_json_quote (s);

      tp_feed_fail (error, "receipt", "status", "“%s” is not accepted, duplicate or rejected", quoted);
      return NULL;
    }

  if (!tp_feed_get_string (object, "receipt", "id", receipt->status != TP_RECEIPT_REJECTED, &s, error))
    return NULL;
  receipt->id = g_strdup (s);

  if (!tp_feed_get_string (object, "receipt", "reason", receipt->status == TP_RECEIPT_REJECTED, &s, error))
    return NULL;
  if (s != NULL && receipt->status != TP_RECEIPT_REJECTED)
    {
      tp_feed_fail (error, "receipt", "reason", "only a rejected line has one");
      return NULL;
    }
  receipt->reason = g_strdup (s);
  if (receipt->status != TP_RECEIPT_REJECTED && receipt->version > 0 && receipt->seq == 0)
    {
      tp_feed_fail (error, "receipt", "seq", "missing (an accepted or duplicate entry has its feed seq)");
      return NULL;
    }

  warnings = tp_feed_get_member (object, "warnings");
  if (warnings != NULL)
    {
      JsonArray *array;
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      guint n;

      if (!JSON_NODE_HOLDS_ARRAY (warnings))
        {
          tp_feed_fail (error, "receipt", "warnings", "expected an array of strings, found %s",
                        tp_feed_describe_node (warnings));
          return NULL;
        }
      array = json_node_get_array (warnings);
      n = json_array_get_length (array);
      if (n > MAX_WARNINGS)
        {
          tp_feed_fail (error, "receipt", "warnings", "more than %d", MAX_WARNINGS);
          return NULL;
        }
      for (guint i = 0; i < n; i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING ||
              !g_utf8_validate (json_node_get_string (element), -1, NULL))
            {
              g_autofree char *member = g_strdup_printf ("warnings[%u]", i);

              tp_feed_fail (error, "receipt", member, "expected a UTF-8 string, found %s", tp_feed_describe_node (element));
              return NULL;
            }
          g_strv_builder_add (builder, json_node_get_string (element));
        }
      if (n > 0)
        receipt->warnings = g_strv_builder_end (builder);
    }
  return g_steal_pointer (&receipt);
}
