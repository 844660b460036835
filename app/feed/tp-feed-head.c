/* tp-feed-head.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "tp-error.h"
#include "tp-feed-doc-private.h"
#include "tp-feed-head.h"
#include "tp-json.h"

#define MAX_SEQ ((guint64) G_MAXINT64)

TpFeedHead *
tp_feed_head_new (void)
{
  TpFeedHead *head = g_new0 (TpFeedHead, 1);

  tp_state_hash_init (&head->state_hash);
  head->heartbeat_s = 60;
  return head;
}

void
tp_feed_head_free (TpFeedHead *head)
{
  if (head == NULL)
    return;
  g_clear_pointer (&head->issued_at, g_date_time_unref);
  g_clear_pointer (&head->expires_at, g_date_time_unref);
  g_free (head->key_id);
  g_free (head->signature);
  g_free (head->signed_bytes);
  g_free (head);
}

static void
set_hash (JsonObject   *object,
          const char   *member,
          const guint8 *hash)
{
  g_autofree char *hex = tp_feed_hex (hash, TP_FEED_HASH_SIZE);

  json_object_set_string_member (object, member, hex);
}

char *
tp_feed_head_sign (TpFeedHead  *head,
                   TpFeedKey   *key,
                   GError     **error)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autofree char *issued = NULL;
  g_autofree char *expires = NULL;
  g_autofree char *state = NULL;
  g_autoptr(TpFeedHead) check = NULL;
  char *doc;

  g_return_val_if_fail (head != NULL, NULL);
  g_return_val_if_fail (key != NULL, NULL);
  g_return_val_if_fail (head->issued_at != NULL && head->expires_at != NULL, NULL);

  issued = tp_feed_format_time (head->issued_at);
  expires = tp_feed_format_time (head->expires_at);
  state = tp_state_hash_to_hex (&head->state_hash);

  json_object_set_string_member (object, "type", "head");
  json_object_set_int_member (object, "seq", (gint64) head->seq);
  json_object_set_string_member (object, "state_hash", state);
  json_object_set_int_member (object, "entries", (gint64) head->entries);
  json_object_set_string_member (object, "issued_at", issued);
  json_object_set_string_member (object, "expires_at", expires);
  json_object_set_int_member (object, "heartbeat_s", head->heartbeat_s);
  if (head->has_segment)
    {
      JsonObject *segment = json_object_new ();

      json_object_set_int_member (segment, "first_seq", (gint64) head->segment_first_seq);
      json_object_set_int_member (segment, "last_seq", (gint64) head->segment_last_seq);
      set_hash (segment, "hash", head->segment_hash);
      json_object_set_object_member (object, "segment", segment);
    }
  else
    json_object_set_null_member (object, "segment");
  if (head->has_snapshot)
    {
      JsonObject *snapshot = json_object_new ();

      json_object_set_int_member (snapshot, "seq", (gint64) head->snapshot_seq);
      json_object_set_int_member (snapshot, "size", (gint64) head->snapshot_size);
      set_hash (snapshot, "sha256", head->snapshot_sha256);
      json_object_set_object_member (object, "snapshot", snapshot);
    }
  else
    json_object_set_null_member (object, "snapshot");

  doc = tp_feed_doc_sign (object, key, error);
  if (doc == NULL)
    return NULL;

  /* What the hub publishes must be what a terminal accepts. */
  check = tp_feed_head_parse (doc, strlen (doc), error);
  if (check == NULL)
    {
      g_free (doc);
      return NULL;
    }
  g_free (head->key_id);
  g_free (head->signature);
  g_free (head->signed_bytes);
  head->key_id = g_steal_pointer (&check->key_id);
  head->signature = g_steal_pointer (&check->signature);
  head->signed_bytes = g_steal_pointer (&check->signed_bytes);
  return doc;
}

TpFeedHead *
tp_feed_head_parse (const char  *text,
                    gsize        length,
                    GError     **error)
{
  g_auto(TpFeedDoc) doc = { 0 };
  g_autoptr(TpFeedHead) head = tp_feed_head_new ();
  const char *state;
  JsonNode *node;
  guint64 heartbeat;

  g_return_val_if_fail (text != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!tp_feed_doc_parse (&doc, text ? text : "", length, "head", "head", error))
    return NULL;

  if (!tp_feed_get_uint (doc.object, "head", "seq", TRUE, MAX_SEQ, &head->seq, error) ||
      !tp_feed_get_uint (doc.object, "head", "entries", TRUE, MAX_SEQ, &head->entries, error) ||
      !tp_feed_get_uint (doc.object, "head", "heartbeat_s", FALSE, 86400, &heartbeat, error) ||
      !tp_feed_get_time (doc.object, "head", "issued_at", TRUE, &head->issued_at, error) ||
      !tp_feed_get_time (doc.object, "head", "expires_at", TRUE, &head->expires_at, error) ||
      !tp_feed_get_string (doc.object, "head", "state_hash", TRUE, &state, error))
    return NULL;
  head->heartbeat_s = (guint) heartbeat;
  if (!tp_state_hash_from_hex (state, &head->state_hash) || strlen (state) != TP_STATE_HASH_HEX_LEN)
    {
      g_autofree char *quoted = tp_json_quote (state);

      tp_feed_fail (error, "head", "state_hash", "“%s” is not a state hash (64 hex digits)", quoted);
      return NULL;
    }
  if (g_date_time_compare (head->expires_at, head->issued_at) < 0)
    {
      tp_feed_fail (error, "head", "expires_at", "before issued_at");
      return NULL;
    }

  node = tp_feed_get_member (doc.object, "segment");
  if (node != NULL)
    {
      JsonObject *segment;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          tp_feed_fail (error, "head", "segment", "expected an object or null, found %s",
                        tp_feed_describe_node (node));
          return NULL;
        }
      segment = json_node_get_object (node);
      if (!tp_feed_get_uint (segment, "head.segment", "first_seq", TRUE, MAX_SEQ, &head->segment_first_seq, error) ||
          !tp_feed_get_uint (segment, "head.segment", "last_seq", TRUE, MAX_SEQ, &head->segment_last_seq, error) ||
          !tp_feed_get_hash (segment, "head.segment", "hash", head->segment_hash, error))
        return NULL;
      if (head->segment_first_seq < 1 || head->segment_first_seq > head->segment_last_seq)
        {
          tp_feed_fail (error, "head.segment", "first_seq", "%" G_GUINT64_FORMAT " is not between 1 and last_seq",
                        head->segment_first_seq);
          return NULL;
        }
      if (head->segment_last_seq != head->seq)
        {
          tp_feed_fail (error, "head.segment", "last_seq", "%" G_GUINT64_FORMAT " is not the head's seq %" G_GUINT64_FORMAT,
                        head->segment_last_seq, head->seq);
          return NULL;
        }
      head->has_segment = TRUE;
    }
  else if (head->seq != 0)
    {
      tp_feed_fail (error, "head", "segment", "missing (required when seq is not 0)");
      return NULL;
    }

  node = tp_feed_get_member (doc.object, "snapshot");
  if (node != NULL)
    {
      JsonObject *snapshot;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          tp_feed_fail (error, "head", "snapshot", "expected an object or null, found %s",
                        tp_feed_describe_node (node));
          return NULL;
        }
      snapshot = json_node_get_object (node);
      if (!tp_feed_get_uint (snapshot, "head.snapshot", "seq", TRUE, MAX_SEQ, &head->snapshot_seq, error) ||
          !tp_feed_get_uint (snapshot, "head.snapshot", "size", TRUE, MAX_SEQ, &head->snapshot_size, error) ||
          !tp_feed_get_hash (snapshot, "head.snapshot", "sha256", head->snapshot_sha256, error))
        return NULL;
      if (head->snapshot_seq > head->seq)
        {
          tp_feed_fail (error, "head.snapshot", "seq", "%" G_GUINT64_FORMAT " is after the head's seq %" G_GUINT64_FORMAT,
                        head->snapshot_seq, head->seq);
          return NULL;
        }
      head->has_snapshot = TRUE;
    }

  head->key_id = g_steal_pointer (&doc.key_id);
  head->signature = g_steal_pointer (&doc.signature);
  head->signed_bytes = g_steal_pointer (&doc.signed_bytes);
  return g_steal_pointer (&head);
}

gboolean
tp_feed_head_verify (TpFeedHead     *head,
                     TpFeedKeyring  *ring,
                     GError        **error)
{
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (head != NULL && head->signed_bytes != NULL, FALSE);
  g_return_val_if_fail (ring != NULL, FALSE);

  if (!tp_feed_keyring_verify (ring, head->key_id, head->signed_bytes, strlen (head->signed_bytes),
                               head->signature, &local_error))
    {
      g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT, "head.%s", local_error->message);
      return FALSE;
    }
  return TRUE;
}

gboolean
tp_feed_head_is_expired (TpFeedHead *head,
                         GDateTime  *now)
{
  g_return_val_if_fail (head != NULL && head->expires_at != NULL, TRUE);
  g_return_val_if_fail (now != NULL, TRUE);

  return g_date_time_compare (now, head->expires_at) >= 0;
}
