/* tp-feed-doc.c: signed documents and member readers (tp-feed-doc-private.h)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "tp-canonical-json.h"
#include "tp-error.h"
#include "tp-feed-doc-private.h"
#include "tp-json.h"

void
tp_feed_doc_clear (TpFeedDoc *doc)
{
  g_clear_pointer (&doc->root, json_node_unref);
  doc->object = NULL;
  g_clear_pointer (&doc->signed_bytes, g_free);
  g_clear_pointer (&doc->key_id, g_free);
  g_clear_pointer (&doc->signature, g_free);
}

gboolean
tp_feed_fail (GError     **error,
              const char  *what,
              const char  *member,
              const char  *format,
              ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  if (member != NULL)
    g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT, "%s.%s: %s", what, member, message);
  else
    g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT, "%s: %s", what, message);
  return FALSE;
}

const char *
tp_feed_describe_node (JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return "null";
  if (JSON_NODE_HOLDS_OBJECT (node))
    return "an object";
  if (JSON_NODE_HOLDS_ARRAY (node))
    return "an array";
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      return "a string";
    case G_TYPE_INT64:
      return "a whole number";
    case G_TYPE_DOUBLE:
      return "a number with a fraction";
    case G_TYPE_BOOLEAN:
      return "a boolean";
    default:
      return "a value";
    }
}

JsonNode *
tp_feed_get_member (JsonObject *object,
                    const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  return node;
}

gboolean
tp_feed_get_uint (JsonObject  *object,
                  const char  *what,
                  const char  *member,
                  gboolean     required,
                  guint64      max,
                  guint64     *out,
                  GError     **error)
{
  JsonNode *node = tp_feed_get_member (object, member);
  gint64 v;

  *out = 0;
  if (node == NULL)
    return required ? tp_feed_fail (error, what, member, "missing (required)") : TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return tp_feed_fail (error, what, member, "expected a whole number, found %s",
                         tp_feed_describe_node (node));
  v = json_node_get_int (node);
  if (v < 0 || (guint64) v > max)
    return tp_feed_fail (error, what, member, "%" G_GINT64_FORMAT " is out of range (0 to %" G_GUINT64_FORMAT ")",
                         v, max);
  *out = (guint64) v;
  return TRUE;
}

gboolean
tp_feed_get_string (JsonObject  *object,
                    const char  *what,
                    const char  *member,
                    gboolean     required,
                    const char **out,
                    GError     **error)
{
  JsonNode *node = tp_feed_get_member (object, member);

  *out = NULL;
  if (node == NULL)
    return required ? tp_feed_fail (error, what, member, "missing (required)") : TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return tp_feed_fail (error, what, member, "expected a string, found %s", tp_feed_describe_node (node));
  /* json-glib lets a lone surrogate escape ("\ud800") through */
  if (!g_utf8_validate (json_node_get_string (node), -1, NULL))
    return tp_feed_fail (error, what, member, "not valid UTF-8 (a lone surrogate escape?)");
  *out = json_node_get_string (node);
  return TRUE;
}

gboolean
tp_feed_get_bool (JsonObject  *object,
                  const char  *what,
                  const char  *member,
                  gboolean     required,
                  gboolean    *out,
                  GError     **error)
{
  JsonNode *node = tp_feed_get_member (object, member);

  *out = FALSE;
  if (node == NULL)
    return required ? tp_feed_fail (error, what, member, "missing (required)") : TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return tp_feed_fail (error, what, member, "expected true or false, found %s", tp_feed_describe_node (node));
  *out = json_node_get_boolean (node);
  return TRUE;
}

gboolean
tp_feed_get_hash (JsonObject  *object,
                  const char  *what,
                  const char  *member,
                  guint8       out[TP_FEED_HASH_SIZE],
                  GError     **error)
{
  const char *s;

  if (!tp_feed_get_string (object, what, member, TRUE, &s, error))
    return FALSE;
  if (!tp_feed_unhex (s, out, TP_FEED_HASH_SIZE))
    {
      g_autofree char *quoted = tp_json_quote (s);

      return tp_feed_fail (error, what, member, "“%s” is not a SHA-256 value (64 hex digits)", quoted);
    }
  return TRUE;
}

gboolean
tp_feed_get_time (JsonObject  *object,
                  const char  *what,
                  const char  *member,
                  gboolean     required,
                  GDateTime  **out,
                  GError     **error)
{
  const char *s;

  *out = NULL;
  if (!tp_feed_get_string (object, what, member, required, &s, error))
    return FALSE;
  if (s == NULL)
    return TRUE;
  *out = tp_feed_parse_time (s);
  if (*out == NULL)
    {
      g_autofree char *quoted = tp_json_quote (s);

      return tp_feed_fail (error, what, member,
                           "“%s” is not an RFC 3339 time with its offset (2026-12-06T06:09:22Z)", quoted);
    }
  return TRUE;
}

gboolean
tp_feed_doc_parse (TpFeedDoc   *doc,
                   const char  *text,
                   gsize        length,
                   const char  *what,
                   const char  *type,
                   GError     **error)
{
  g_autoptr(JsonNode) copy = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *found_type;
  const char *key_id;
  const char *signature;

  doc->root = tp_json_parse_object_line (text, (gssize) length, what, error);
  if (doc->root == NULL)
    return FALSE;
  doc->object = json_node_get_object (doc->root);

  if (!tp_feed_get_string (doc->object, what, "type", TRUE, &found_type, error))
    return FALSE;
  if (strcmp (found_type, type) != 0)
    {
      g_autofree char *quoted = tp_json_quote (found_type);

      return tp_feed_fail (error, what, "type", "“%s”, expected “%s”", quoted, type);
    }
  if (!tp_feed_get_string (doc->object, what, "key_id", TRUE, &key_id, error) ||
      !tp_feed_get_string (doc->object, what, "signature", TRUE, &signature, error))
    return FALSE;
  if (strlen (signature) != TP_FEED_SIGNATURE_HEX_LEN)
    return tp_feed_fail (error, what, "signature", "expected %d hex digits, found %" G_GSIZE_FORMAT " characters",
                         TP_FEED_SIGNATURE_HEX_LEN, strlen (signature));

  /* The parser's nodes are immutable: the signed object is a new one
   * holding every member but the signature. */
  {
    g_autoptr(JsonObject) unsigned_object = json_object_new ();
    g_autoptr(GList) members = json_object_get_members (doc->object);

    for (GList *l = members; l != NULL; l = l->next)
      if (strcmp (l->data, "signature") != 0)
        json_object_set_member (unsigned_object, l->data,
                                json_node_copy (json_object_get_member (doc->object, l->data)));
    copy = json_node_new (JSON_NODE_OBJECT);
    json_node_set_object (copy, unsigned_object);
  }
  doc->signed_bytes = tp_canonical_json (copy, &local_error);
  if (doc->signed_bytes == NULL)
    return tp_feed_fail (error, what, NULL, "not in the feed's JSON subset: %s", local_error->message);
  doc->key_id = g_strdup (key_id);
  doc->signature = g_strdup (signature);
  return TRUE;
}

char *
tp_feed_doc_sign (JsonObject  *object,
                  TpFeedKey   *key,
                  GError     **error)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *signed_bytes = NULL;
  g_autofree char *signature = NULL;

  json_object_set_string_member (object, "key_id", tp_feed_key_get_id (key));
  json_object_remove_member (object, "signature");
  json_node_set_object (node, object);
  signed_bytes = tp_canonical_json (node, error);
  if (signed_bytes == NULL)
    return NULL;
  signature = tp_feed_key_sign (key, signed_bytes, strlen (signed_bytes), error);
  if (signature == NULL)
    return NULL;
  json_object_set_string_member (object, "signature", signature);
  return tp_canonical_json (node, error);
}
