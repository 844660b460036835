/* tp-feed-segment.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "tp-error.h"
#include "tp-feed-doc-private.h"
#include "tp-feed-segment.h"
#include "tp-json.h"

#define MAX_SEQ ((guint64) G_MAXINT64)

TpFeedChange *
tp_feed_change_new (guint64     seq,
                    const char *entry_json)
{
  TpFeedChange *change = g_new0 (TpFeedChange, 1);

  change->seq = seq;
  change->json = g_strdup (entry_json);
  return change;
}

void
tp_feed_change_free (TpFeedChange *change)
{
  if (change == NULL)
    return;
  g_free (change->json);
  g_clear_pointer (&change->entry, tp_entry_free);
  g_free (change);
}

TpFeedSegment *
tp_feed_segment_new (void)
{
  TpFeedSegment *segment = g_new0 (TpFeedSegment, 1);

  tp_state_hash_init (&segment->state_hash);
  segment->changes = g_ptr_array_new_with_free_func ((GDestroyNotify) tp_feed_change_free);
  return segment;
}

void
tp_feed_segment_free (TpFeedSegment *segment)
{
  if (segment == NULL)
    return;
  g_clear_pointer (&segment->issued_at, g_date_time_unref);
  g_ptr_array_unref (segment->changes);
  g_free (segment->key_id);
  g_free (segment->signature);
  g_free (segment->signed_bytes);
  g_free (segment);
}

GBytes *
tp_feed_segment_build (TpFeedSegment  *segment,
                       TpFeedKey      *key,
                       GError        **error)
{
  g_autoptr(GString) body = g_string_new (NULL);
  g_autoptr(JsonObject) header = json_object_new ();
  g_autofree char *prev = NULL;
  g_autofree char *body_hex = NULL;
  g_autofree char *state = NULL;
  g_autofree char *issued = NULL;
  g_autofree char *doc = NULL;
  g_autoptr(TpFeedSegment) check = NULL;
  GString *file;
  gsize file_len;
  char *file_data;

  g_return_val_if_fail (segment != NULL && key != NULL, NULL);
  g_return_val_if_fail (segment->issued_at != NULL, NULL);
  g_return_val_if_fail (segment->first_seq >= 1 && segment->changes->len > 0, NULL);

  for (guint i = 0; i < segment->changes->len; i++)
    {
      TpFeedChange *change = g_ptr_array_index (segment->changes, i);

      g_return_val_if_fail (change->seq == segment->first_seq + i, NULL);
      g_string_append (body, "{\"entry\":");
      g_string_append (body, change->json);
      g_string_append_printf (body, ",\"seq\":%" G_GUINT64_FORMAT "}\n", change->seq);
    }
  segment->last_seq = segment->first_seq + segment->changes->len - 1;
  tp_feed_sha256 (body->str, body->len, segment->body_sha256);

  prev = tp_feed_hex (segment->prev_hash, TP_FEED_HASH_SIZE);
  body_hex = tp_feed_hex (segment->body_sha256, TP_FEED_HASH_SIZE);
  state = tp_state_hash_to_hex (&segment->state_hash);
  issued = tp_feed_format_time (segment->issued_at);
  json_object_set_string_member (header, "type", "segment");
  json_object_set_int_member (header, "first_seq", (gint64) segment->first_seq);
  json_object_set_int_member (header, "last_seq", (gint64) segment->last_seq);
  json_object_set_int_member (header, "changes", segment->changes->len);
  json_object_set_string_member (header, "prev_hash", prev);
  json_object_set_string_member (header, "body_sha256", body_hex);
  json_object_set_string_member (header, "state_hash", state);
  json_object_set_int_member (header, "entries", (gint64) segment->entries);
  json_object_set_string_member (header, "issued_at", issued);
  doc = tp_feed_doc_sign (header, key, error);
  if (doc == NULL)
    return NULL;

  file = g_string_sized_new (strlen (doc) + 1 + body->len);
  g_string_append (file, doc);
  g_string_append_c (file, '\n');
  g_string_append_len (file, body->str, (gssize) body->len);
  file_len = file->len;
  file_data = g_string_free (file, FALSE);

  /* What the hub publishes must be what a terminal accepts. */
  check = tp_feed_segment_parse ((const guint8 *) file_data, file_len, error);
  if (check == NULL)
    {
      g_free (file_data);
      return NULL;
    }
  memcpy (segment->hash, check->hash, TP_FEED_HASH_SIZE);
  g_free (segment->key_id);
  g_free (segment->signature);
  g_free (segment->signed_bytes);
  segment->key_id = g_steal_pointer (&check->key_id);
  segment->signature = g_steal_pointer (&check->signature);
  segment->signed_bytes = g_steal_pointer (&check->signed_bytes);
  return g_bytes_new_take (file_data, file_len);
}

static gboolean
parse_change (TpFeedSegment  *segment,
              const char     *line,
              gsize           length,
              guint64         expected_seq,
              GError        **error)
{
  g_autofree char *what = g_strdup_printf ("segment change %" G_GUINT64_FORMAT, expected_seq);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(TpFeedChange) change = NULL;
  JsonObject *object;
  JsonNode *entry_node;
  guint64 seq;

  root = tp_json_parse_object_line (line, (gssize) length, what, error);
  if (root == NULL)
    return FALSE;
  object = json_node_get_object (root);
  if (!tp_feed_get_uint (object, what, "seq", TRUE, MAX_SEQ, &seq, error))
    return FALSE;
  if (seq != expected_seq)
    return tp_feed_fail (error, what, "seq", "%" G_GUINT64_FORMAT ", expected %" G_GUINT64_FORMAT " (changes follow one another)",
                         seq, expected_seq);
  entry_node = tp_feed_get_member (object, "entry");
  if (entry_node == NULL)
    return tp_feed_fail (error, what, "entry", "missing (required)");

  change = g_new0 (TpFeedChange, 1);
  change->seq = seq;
  change->entry = tp_entry_from_json_node (entry_node, &local_error);
  if (change->entry == NULL)
    return tp_feed_fail (error, what, "entry", "%s", local_error->message);
  change->json = tp_entry_to_json (change->entry);
  g_ptr_array_add (segment->changes, g_steal_pointer (&change));
  return TRUE;
}

TpFeedSegment *
tp_feed_segment_parse (const guint8  *data,
                       gsize          length,
                       GError       **error)
{
  g_auto(TpFeedDoc) doc = { 0 };
  g_autoptr(TpFeedSegment) segment = tp_feed_segment_new ();
  const char *text = (const char *) data;
  const char *end;
  const char *p;
  const char *state;
  guint8 body_sha256[TP_FEED_HASH_SIZE];
  guint64 n_changes;
  guint64 seq;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (length > TP_FEED_SEGMENT_MAX_SIZE)
    {
      tp_feed_fail (error, "segment", NULL, "%" G_GSIZE_FORMAT " bytes, at most %d are read",
                    length, TP_FEED_SEGMENT_MAX_SIZE);
      return NULL;
    }
  if (length == 0 || text[length - 1] != '\n')
    {
      tp_feed_fail (error, "segment", NULL, "truncated: does not end with a newline");
      return NULL;
    }
  end = memchr (text, '\n', length);
  if (!tp_feed_doc_parse (&doc, text, (gsize) (end - text), "segment", "segment", error))
    return NULL;

  if (!tp_feed_get_uint (doc.object, "segment", "first_seq", TRUE, MAX_SEQ, &segment->first_seq, error) ||
      !tp_feed_get_uint (doc.object, "segment", "last_seq", TRUE, MAX_SEQ, &segment->last_seq, error) ||
      !tp_feed_get_uint (doc.object, "segment", "changes", TRUE, TP_FEED_SEGMENT_MAX_CHANGES, &n_changes, error) ||
      !tp_feed_get_uint (doc.object, "segment", "entries", TRUE, MAX_SEQ, &segment->entries, error) ||
      !tp_feed_get_hash (doc.object, "segment", "prev_hash", segment->prev_hash, error) ||
      !tp_feed_get_hash (doc.object, "segment", "body_sha256", segment->body_sha256, error) ||
      !tp_feed_get_time (doc.object, "segment", "issued_at", TRUE, &segment->issued_at, error) ||
      !tp_feed_get_string (doc.object, "segment", "state_hash", TRUE, &state, error))
    return NULL;
  if (strlen (state) != TP_STATE_HASH_HEX_LEN || !tp_state_hash_from_hex (state, &segment->state_hash))
    {
      g_autofree char *quoted = tp_json_quote (state);

      tp_feed_fail (error, "segment", "state_hash", "“%s” is not a state hash (64 hex digits)", quoted);
      return NULL;
    }
  if (segment->first_seq < 1)
    {
      tp_feed_fail (error, "segment", "first_seq", "0, the first change is 1");
      return NULL;
    }
  if (n_changes < 1 || segment->last_seq < segment->first_seq ||
      segment->last_seq - segment->first_seq + 1 != n_changes)
    {
      tp_feed_fail (error, "segment", "changes", "%" G_GUINT64_FORMAT " does not fit first_seq %" G_GUINT64_FORMAT
                    " and last_seq %" G_GUINT64_FORMAT, n_changes, segment->first_seq, segment->last_seq);
      return NULL;
    }

  p = end + 1;
  tp_feed_sha256 (p, length - (gsize) (p - text), body_sha256);
  if (memcmp (body_sha256, segment->body_sha256, TP_FEED_HASH_SIZE) != 0)
    {
      tp_feed_fail (error, "segment", "body_sha256", "does not match the changes that follow (altered or truncated)");
      return NULL;
    }

  seq = segment->first_seq;
  while (p < text + length)
    {
      const char *line_end = memchr (p, '\n', (gsize) (text + length - p));

      g_assert (line_end != NULL);
      if (seq > segment->last_seq)
        {
          tp_feed_fail (error, "segment", "changes", "more lines than %" G_GUINT64_FORMAT " changes", n_changes);
          return NULL;
        }
      if (!parse_change (segment, p, (gsize) (line_end - p), seq, error))
        return NULL;
      seq++;
      p = line_end + 1;
    }
  if (seq != segment->last_seq + 1)
    {
      tp_feed_fail (error, "segment", "changes", "%" G_GUINT64_FORMAT " announced, %" G_GUINT64_FORMAT " found",
                    n_changes, seq - segment->first_seq);
      return NULL;
    }

  tp_feed_sha256 (data, length, segment->hash);
  segment->key_id = g_steal_pointer (&doc.key_id);
  segment->signature = g_steal_pointer (&doc.signature);
  segment->signed_bytes = g_steal_pointer (&doc.signed_bytes);
  return g_steal_pointer (&segment);
}

gboolean
tp_feed_segment_verify (TpFeedSegment  *segment,
                        TpFeedKeyring  *ring,
                        GError        **error)
{
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (segment != NULL && segment->signed_bytes != NULL, FALSE);
  g_return_val_if_fail (ring != NULL, FALSE);

  if (!tp_feed_keyring_verify (ring, segment->key_id, segment->signed_bytes, strlen (segment->signed_bytes),
                               segment->signature, &local_error))
    {
      g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT, "segment %" G_GUINT64_FORMAT ": %s",
                   segment->first_seq, local_error->message);
      return FALSE;
    }
  return TRUE;
}
