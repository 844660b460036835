/* test-feed.c: the feed formats (head, segments, snapshots, keys, receipts, events)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "tp-canonical-json.h"
#include "tp-entry.h"
#include "tp-error.h"
#include "tp-feed-event.h"
#include "tp-feed-head.h"
#include "tp-feed-key.h"
#include "tp-feed-receipt.h"
#include "tp-feed-segment.h"
#include "tp-feed-snapshot.h"
#include "tp-feed-util.h"
#include "tp-json.h"

#define ENTRY_A \
  "{\"id\":\"EB-1\",\"version\":1,\"list\":\"exit_ban\",\"status\":\"active\",\"agency\":\"customs\"," \
  "\"action\":\"deny_exit\",\"visibility\":[\"immigration\"],\"person\":{\"full_name\":\"Nguyễn Văn An\"," \
  "\"birth_date\":\"1980-05-17\",\"identifiers\":[{\"type\":\"passport\",\"value\":\"C1234567\",\"country\":\"VNM\"}]}," \
  "\"effective_from\":\"2026-01-16\"}"
#define ENTRY_B \
  "{\"id\":\"W-2\",\"version\":2,\"list\":\"watch\",\"status\":\"cancelled\",\"agency\":\"police\"," \
  "\"action\":\"notify\",\"visibility\":[\"supervisor\"],\"person\":{\"full_name\":\"Trần Thị Bình\"}," \
  "\"effective_from\":\"2026-01-01\"}"

#define CHECK_EVENT \
  "{\"id\":\"0b4f6f36-3a8e-4c4e-9a57-0d7d0c4f3a11\",\"type\":\"check\",\"at\":\"2026-12-06T06:09:22.123Z\"," \
  "\"case_id\":\"6f1d0c2a-1111-4a8e-8c2b-5b9f0a7e2c33\",\"officer\":\"IMM-01\",\"role\":\"immigration\"," \
  "\"verdict\":\"STOP\",\"list_seq\":12,\"document\":{\"number\":\"C1234567\",\"issuing_state\":\"VNM\"}," \
  "\"verified\":true,\"hits\":[{\"entry\":\"EB-1\",\"version\":1,\"band\":\"confirmed\",\"agency\":\"customs\"}]," \
  "\"flight\":null,\"terminal\":\"FORGED\",\"x_extra\":[1,2]}"

static char *
canonical (const char *json)
{
  g_autoptr(TpEntry) entry = tp_entry_from_json (json, -1, NULL);

  g_assert_nonnull (entry);
  return tp_entry_to_json (entry);
}

static GDateTime *
at (const char *text)
{
  GDateTime *t = tp_feed_parse_time (text);

  g_assert_nonnull (t);
  return t;
}

static void
test_canonical_json (void)
{
  g_autoptr(JsonNode) node = json_from_string ("{\"b\":[1,true,null,\"x\\u0001\\\"\"],\"a\":{\"d\":-3,\"c\":\"é\"}}", NULL);
  g_autoptr(JsonNode) fraction = json_from_string ("{\"a\":1.5}", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *out = tp_canonical_json (node, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (out, ==, "{\"a\":{\"c\":\"é\",\"d\":-3},\"b\":[1,true,null,\"x\\u0001\\\"\"]}");
  g_assert_null (tp_canonical_json (fraction, &error));
  g_assert_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT);
}

/* One serialisation, two forms: what audit records and events are hashed
 * in takes any tree; the feed's form refuses what it cannot hold. */
static void
test_canonical_json_forms (void)
{
  g_autoptr(JsonNode) node = json_from_string ("{\"é\":0.1,\"a\":[2.5e3]}", NULL);
  g_autoptr(GString) strict = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *lenient = tp_json_canonical (node);
  g_autofree char *null_text = tp_json_canonical (NULL);

  g_assert_cmpstr (lenient, ==, "{\"a\":[2500],\"é\":0.10000000000000001}");
  g_assert_cmpstr (null_text, ==, "null");
  g_assert_false (tp_json_canonical_append (strict, node, TP_JSON_CANONICAL_STRICT, &error));
  g_assert_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT);
}

static void
test_util (void)
{
  guint8 buf[2];
  g_autoptr(GDateTime) t = NULL;
  g_autofree char *text = NULL;

  g_assert_true (tp_feed_unhex ("aB0f", buf, 2));
  g_assert_cmpuint (buf[0], ==, 0xab);
  g_assert_false (tp_feed_unhex ("ab0", buf, 2));
  g_assert_false (tp_feed_unhex ("zz00", buf, 2));
  g_assert_null (tp_feed_parse_time ("2026-12-06T06:09:22"));   /* no offset */
  g_assert_null (tp_feed_parse_time ("yesterday"));
  t = at ("2026-12-06T13:09:22+07:00");
  text = tp_feed_format_time (t);
  g_assert_cmpstr (text, ==, "2026-12-06T06:09:22Z");
  g_assert_true (tp_feed_is_uuid ("0b4f6f36-3a8e-4c4e-9a57-0d7d0c4f3a11"));
  g_assert_false (tp_feed_is_uuid ("0B4F6F36-3A8E-4C4E-9A57-0D7D0C4F3A11"));
  g_assert_false (tp_feed_is_uuid ("0b4f6f36-3a8e-4c4e-9a57-0d7d0c4f3a1"));
}

static void
test_keys (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpFeedKey) key = tp_feed_key_generate (&error);
  g_autoptr(TpFeedKey) other = tp_feed_key_generate (&error);
  g_autoptr(TpFeedKey) reloaded = NULL;
  g_autoptr(TpFeedKey) public = NULL;
  g_autoptr(TpFeedKeyring) ring = tp_feed_keyring_new ();
  g_autoptr(TpFeedKeyring) ring2 = NULL;
  g_autofree char *pem = NULL;
  g_autofree char *sig = NULL;
  g_autofree char *json = NULL;
  g_autofree char *bad_id = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (strlen (tp_feed_key_get_id (key)), ==, TP_FEED_KEY_ID_LEN);
  g_assert_cmpstr (tp_feed_key_get_id (key), !=, tp_feed_key_get_id (other));

  pem = tp_feed_key_to_private_pem (key);
  g_assert_true (g_str_has_prefix (pem, "-----BEGIN PRIVATE KEY-----"));
  reloaded = tp_feed_key_new_from_private_pem (pem, strlen (pem), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tp_feed_key_get_id (reloaded), ==, tp_feed_key_get_id (key));

  sig = tp_feed_key_sign (reloaded, "abc", 3, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (sig), ==, TP_FEED_SIGNATURE_HEX_LEN);
  public = tp_feed_key_new_from_public_hex (tp_feed_key_get_public_hex (key), &error);
  g_assert_no_error (error);
  g_assert_false (tp_feed_key_has_private (public));
  g_assert_null (tp_feed_key_to_private_pem (public));
  g_assert_true (tp_feed_key_verify (public, "abc", 3, sig, &error));
  g_assert_no_error (error);
  g_assert_false (tp_feed_key_verify (public, "abd", 3, sig, &error));
  g_assert_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_false (tp_feed_key_verify (other, "abc", 3, sig, &error));
  g_clear_error (&error);
  g_assert_null (tp_feed_key_sign (public, "abc", 3, &error));
  g_clear_error (&error);

  tp_feed_keyring_add (ring, public);
  tp_feed_keyring_add (ring, other);
  tp_feed_keyring_add (ring, key);   /* same id as public: not twice */
  g_assert_cmpuint (tp_feed_keyring_get_n_keys (ring), ==, 2);
  json = tp_feed_keyring_to_json (ring);
  ring2 = tp_feed_keyring_new_from_json (json, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tp_feed_keyring_get_n_keys (ring2), ==, 2);
  g_assert_true (tp_feed_keyring_verify (ring2, tp_feed_key_get_id (key), "abc", 3, sig, &error));
  g_assert_false (tp_feed_keyring_verify (ring2, "0000000000000000", "abc", 3, sig, &error));
  g_assert_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "not one of the pinned feed keys"));
  g_clear_error (&error);

  bad_id = g_strdup_printf ("{\"keys\":[{\"key_id\":\"ffffffffffffffff\",\"public_key\":\"%s\"}]}",
                            tp_feed_key_get_public_hex (key));
  g_assert_null (tp_feed_keyring_new_from_json (bad_id, -1, &error));
  g_assert_nonnull (strstr (error->message, "keys[0].key_id"));
  g_clear_error (&error);
  g_assert_null (tp_feed_keyring_new_from_json ("{\"keys\":[]}", -1, &error));
  g_clear_error (&error);
}

static TpFeedHead *
sample_head (void)
{
  TpFeedHead *head = tp_feed_head_new ();

  head->seq = 42;
  head->entries = 40;
  head->issued_at = at ("2026-12-06T06:00:00Z");
  head->expires_at = at ("2026-12-06T06:10:00Z");
  head->has_segment = TRUE;
  head->segment_first_seq = 41;
  head->segment_last_seq = 42;
  memset (head->segment_hash, 0xab, sizeof head->segment_hash);
  head->has_snapshot = TRUE;
  head->snapshot_seq = 30;
  head->snapshot_size = 1234;
  memset (head->snapshot_sha256, 0xcd, sizeof head->snapshot_sha256);
  head->state_hash.bytes[31] = 7;
  return head;
}

/* @doc with the first @from replaced by @to */
static char *
replace (const char *doc,
         const char *from,
         const char *to)
{
  const char *p = strstr (doc, from);

  g_assert_nonnull (p);
  return g_strdup_printf ("%.*s%s%s", (int) (p - doc), doc, to, p + strlen (from));
}

static void
test_head (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpFeedKey) key = tp_feed_key_generate (NULL);
  g_autoptr(TpFeedKey) standby = tp_feed_key_generate (NULL);
  g_autoptr(TpFeedKey) stranger = tp_feed_key_generate (NULL);
  g_autoptr(TpFeedKeyring) ring = tp_feed_keyring_new ();
  g_autoptr(TpFeedHead) head = sample_head ();
  g_autoptr(TpFeedHead) parsed = NULL;
  g_autoptr(TpFeedHead) forged = NULL;
  g_autoptr(TpFeedHead) foreign = NULL;
  g_autoptr(GDateTime) before = at ("2026-12-06T06:09:59Z");
  g_autoptr(GDateTime) after = at ("2026-12-06T06:10:00Z");
  g_autofree char *doc = NULL;
  g_autofree char *altered = NULL;
  g_autofree char *foreign_doc = NULL;
  g_autofree char *missing = NULL;

  tp_feed_keyring_add (ring, key);
  tp_feed_keyring_add (ring, standby);

  doc = tp_feed_head_sign (head, key, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (doc, "{\"entries\":40,\"expires_at\":\"2026-12-06T06:10:00Z\","));
  g_assert_nonnull (strstr (doc, "\"type\":\"head\""));
  /* the signed bytes are the document without its signature member */
  g_assert_null (strstr (head->signed_bytes, "signature"));

  parsed = tp_feed_head_parse (doc, strlen (doc), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (parsed->seq, ==, 42);
  g_assert_cmpuint (parsed->entries, ==, 40);
  g_assert_cmpuint (parsed->heartbeat_s, ==, 60);
  g_assert_true (parsed->has_segment && parsed->has_snapshot);
  g_assert_cmpuint (parsed->segment_first_seq, ==, 41);
  g_assert_cmpuint (parsed->snapshot_seq, ==, 30);
  g_assert_cmpuint (parsed->snapshot_size, ==, 1234);
  g_assert_cmpmem (parsed->segment_hash, 32, head->segment_hash, 32);
  g_assert_true (tp_state_hash_equal (&parsed->state_hash, &head->state_hash));
  g_assert_cmpstr (parsed->key_id, ==, tp_feed_key_get_id (key));
  g_assert_true (tp_feed_head_verify (parsed, ring, &error));
  g_assert_no_error (error);
  g_assert_false (tp_feed_head_is_expired (parsed, before));
  g_assert_true (tp_feed_head_is_expired (parsed, after));

  /* signed by the standby key: accepted too */
  g_free (doc);
  doc = tp_feed_head_sign (head, standby, &error);
  g_clear_pointer (&parsed, tp_feed_head_free);
  parsed = tp_feed_head_parse (doc, strlen (doc), &error);
  g_assert_true (tp_feed_head_verify (parsed, ring, &error));

  /* an altered member breaks the signature; white space does not matter */
  altered = replace (doc, "\"seq\":42", "\"seq\":43");
  g_free (altered);
  altered = replace (doc, "\"entries\":40", "\"entries\":41");
  forged = tp_feed_head_parse (altered, strlen (altered), &error);
  g_assert_no_error (error);
  g_assert_false (tp_feed_head_verify (forged, ring, &error));
  g_assert_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "head.signature"));
  g_clear_error (&error);
  g_clear_pointer (&forged, tp_feed_head_free);
  g_free (altered);
  altered = replace (doc, "\"entries\":40,", "  \"entries\" : 40 ,\n ");
  forged = tp_feed_head_parse (altered, strlen (altered), &error);
  g_assert_no_error (error);
  g_assert_true (tp_feed_head_verify (forged, ring, &error));

  /* a key that is not pinned */
  foreign_doc = tp_feed_head_sign (head, stranger, &error);
  foreign = tp_feed_head_parse (foreign_doc, strlen (foreign_doc), &error);
  g_assert_false (tp_feed_head_verify (foreign, ring, &error));
  g_assert_nonnull (strstr (error->message, "head.key_id"));
  g_clear_error (&error);

  /* errors name the member */
  missing = replace (doc, "\"seq\":42,", "");
  g_assert_null (tp_feed_head_parse (missing, strlen (missing), &error));
  g_assert_cmpstr (error->message, ==, "head.seq: missing (required)");
  g_clear_error (&error);
  g_free (altered);
  altered = replace (doc, "\"type\":\"head\"", "\"type\":\"segment\"");
  g_assert_null (tp_feed_head_parse (altered, strlen (altered), &error));
  g_assert_nonnull (strstr (error->message, "head.type"));
  g_clear_error (&error);
  g_free (altered);
  altered = replace (doc, "\"last_seq\":42", "\"last_seq\":41");
  g_assert_null (tp_feed_head_parse (altered, strlen (altered), &error));
  g_assert_nonnull (strstr (error->message, "head.segment.last_seq"));
  g_clear_error (&error);
  g_assert_null (tp_feed_head_parse ("", 0, &error));
  g_clear_error (&error);
  g_assert_null (tp_feed_head_parse ("[1]", 3, &error));
  g_clear_error (&error);
}

static void
test_segment (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpFeedKey) key = tp_feed_key_generate (NULL);
  g_autoptr(TpFeedKey) stranger = tp_feed_key_generate (NULL);
  g_autoptr(TpFeedKeyring) ring = tp_feed_keyring_new ();
  g_autoptr(TpFeedSegment) first = tp_feed_segment_new ();
  g_autoptr(TpFeedSegment) second = NULL;
  g_autoptr(TpFeedSegment) parsed = NULL;
  g_autoptr(GBytes) bytes1 = NULL;
  g_autoptr(GBytes) bytes2 = NULL;
  g_autoptr(GBytes) foreign = NULL;
  g_autofree char *a = canonical (ENTRY_A);
  g_autofree char *text = NULL;
  g_autofree char *altered = NULL;
  g_autofree char *swapped = NULL;
  const char *data;
  gsize len;
  guint8 zeros[TP_FEED_HASH_SIZE] = { 0 };
  g_autoptr(TpEntry) ea = tp_entry_from_json (a, -1, NULL);
  g_autoptr(TpEntry) eb = tp_entry_from_json (ENTRY_B, -1, NULL);

  tp_feed_keyring_add (ring, key);

  first->first_seq = 1;
  first->issued_at = at ("2026-12-06T06:00:00Z");
  first->entries = 1;
  tp_state_hash_add_entry (&first->state_hash, ea);
  g_ptr_array_add (first->changes, tp_feed_change_new (1, a));
  bytes1 = tp_feed_segment_build (first, key, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (first->last_seq, ==, 1);
  g_assert_cmpmem (first->prev_hash, 32, zeros, 32);

  second = tp_feed_segment_new ();
  second->first_seq = 2;
  memcpy (second->prev_hash, first->hash, TP_FEED_HASH_SIZE);
  second->issued_at = at ("2026-12-06T06:01:00Z");
  second->entries = 2;
  second->state_hash = first->state_hash;
  tp_state_hash_add_entry (&second->state_hash, eb);
  {
    g_autofree char *b = tp_entry_to_json (eb);
    g_autofree char *a2 = replace (a, "\"version\":1", "\"version\":2");

    g_ptr_array_add (second->changes, tp_feed_change_new (2, b));
    g_ptr_array_add (second->changes, tp_feed_change_new (3, a2));
  }
  bytes2 = tp_feed_segment_build (second, key, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (second->last_seq, ==, 3);

  data = g_bytes_get_data (bytes2, &len);
  parsed = tp_feed_segment_parse ((const guint8 *) data, len, &error);
  g_assert_no_error (error);
  g_assert_true (tp_feed_segment_verify (parsed, ring, &error));
  g_assert_cmpuint (parsed->first_seq, ==, 2);
  g_assert_cmpuint (parsed->last_seq, ==, 3);
  g_assert_cmpuint (parsed->changes->len, ==, 2);
  g_assert_cmpmem (parsed->prev_hash, 32, first->hash, 32);
  g_assert_cmpmem (parsed->hash, 32, second->hash, 32);
  {
    TpFeedChange *c = g_ptr_array_index (parsed->changes, 1);

    g_assert_cmpuint (c->seq, ==, 3);
    g_assert_cmpstr (c->entry->id, ==, "EB-1");
    g_assert_cmpuint (c->entry->version, ==, 2);
  }
  /* the hash is the SHA-256 of the file */
  {
    guint8 digest[32];

    tp_feed_sha256 (data, len, digest);
    g_assert_cmpmem (digest, 32, parsed->hash, 32);
  }

  text = g_strndup (data, len);
  /* truncated: the last change dropped, or cut in the middle */
  {
    const char *last = g_strrstr_len (text, (gssize) len - 1, "\n");
    gsize cut = (gsize) (last - text) + 1;

    g_assert_null (tp_feed_segment_parse ((const guint8 *) text, cut, &error));
    g_assert_nonnull (strstr (error->message, "segment.body_sha256"));
    g_clear_error (&error);
    g_assert_null (tp_feed_segment_parse ((const guint8 *) text, len - 5, &error));
    g_assert_nonnull (strstr (error->message, "truncated"));
    g_clear_error (&error);
  }
  /* an altered change */
  altered = replace (text, "Trần Thị Bình", "Trần Thị Bính");
  g_assert_null (tp_feed_segment_parse ((const guint8 *) altered, strlen (altered), &error));
  g_assert_nonnull (strstr (error->message, "segment.body_sha256"));
  g_clear_error (&error);
  /* an altered header */
  g_free (altered);
  altered = replace (text, "\"entries\":2", "\"entries\":3");
  g_clear_pointer (&parsed, tp_feed_segment_free);
  parsed = tp_feed_segment_parse ((const guint8 *) altered, strlen (altered), &error);
  g_assert_no_error (error);
  g_assert_false (tp_feed_segment_verify (parsed, ring, &error));
  g_clear_error (&error);
  /* reordered changes */
  {
    g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

    swapped = g_strdup_printf ("%s\n%s\n%s\n", lines[0], lines[2], lines[1]);
    g_assert_null (tp_feed_segment_parse ((const guint8 *) swapped, strlen (swapped), &error));
    g_assert_nonnull (strstr (error->message, "segment.body_sha256"));
    g_clear_error (&error);
  }
  /* a foreign key */
  foreign = tp_feed_segment_build (second, stranger, &error);
  data = g_bytes_get_data (foreign, &len);
  g_clear_pointer (&parsed, tp_feed_segment_free);
  parsed = tp_feed_segment_parse ((const guint8 *) data, len, &error);
  g_assert_no_error (error);
  g_assert_false (tp_feed_segment_verify (parsed, ring, &error));
  g_assert_nonnull (strstr (error->message, "key_id"));
  g_clear_error (&error);
}

static void
test_snapshot (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpFeedKey) key = tp_feed_key_generate (NULL);
  g_autoptr(TpFeedKeyring) ring = tp_feed_keyring_new ();
  g_autofree char *dir = g_dir_make_tmp ("test-feed-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "7.jsonl.gz", NULL);
  g_autofree char *a = canonical (ENTRY_A);
  g_autofree char *b = canonical (ENTRY_B);
  g_autoptr(TpFeedSnapshotWriter) writer = NULL;
  g_autoptr(TpFeedSnapshotReader) reader = NULL;
  g_auto(TpFeedSnapshotHeader) header = { 0 };
  g_autofree char *contents = NULL;
  gsize contents_len;
  guint8 sha256[32];
  guint8 digest[32];
  guint64 size;
  guint n = 0;

  tp_feed_keyring_add (ring, key);

  writer = tp_feed_snapshot_writer_new (path, &error);
  g_assert_no_error (error);
  g_assert_true (tp_feed_snapshot_writer_add (writer, a, &error));
  g_assert_true (tp_feed_snapshot_writer_add (writer, b, &error));
  header.seq = 7;
  memset (header.segment_hash, 0x11, 32);
  header.issued_at = at ("2026-12-06T06:00:00Z");
  g_assert_true (tp_feed_snapshot_writer_finish (writer, &header, key, sha256, &size, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (header.entries, ==, 2);
  g_assert_true (g_file_get_contents (path, &contents, &contents_len, NULL));
  g_assert_cmpuint (size, ==, contents_len);
  tp_feed_sha256 (contents, contents_len, digest);
  g_assert_cmpmem (digest, 32, sha256, 32);
  g_assert_cmpuint ((guchar) contents[0], ==, 0x1f);   /* gzip */

  {
    g_autoptr(GInputStream) in = g_memory_input_stream_new_from_data (contents, (gssize) contents_len, NULL);
    const TpFeedSnapshotHeader *h;
    TpStateHash sum;

    tp_state_hash_init (&sum);
    reader = tp_feed_snapshot_reader_new (in, NULL, &error);
    g_assert_no_error (error);
    h = tp_feed_snapshot_reader_get_header (reader);
    g_assert_cmpuint (h->seq, ==, 7);
    g_assert_cmpuint (h->entries, ==, 2);
    g_assert_true (tp_feed_snapshot_reader_verify (reader, ring, &error));
    for (;;)
      {
        g_autoptr(TpEntry) entry = NULL;
        g_autofree char *json = NULL;

        g_assert_true (tp_feed_snapshot_reader_next (reader, &entry, &json, NULL, &error));
        g_assert_no_error (error);
        if (entry == NULL)
          break;
        tp_state_hash_add_entry (&sum, entry);
        n++;
      }
    g_assert_cmpuint (n, ==, 2);
    g_assert_true (tp_state_hash_equal (&sum, &h->state_hash));
  }

  /* altered compressed bytes never yield a snapshot that passes with
   * other content: a change in the padding bits after deflate's last
   * block decodes to the same bytes (the file's SHA-256 in the signed head
   * is what refuses that file), anything else fails */
  for (gsize i = 10; i < contents_len; i += 7)
    {
      g_autofree char *copy = g_memdup2 (contents, contents_len);
      g_autoptr(GInputStream) in = NULL;
      g_autoptr(TpFeedSnapshotReader) r = NULL;
      g_autoptr(GString) decoded = g_string_new (NULL);
      gboolean ok = TRUE;

      copy[i] ^= 0x5a;
      in = g_memory_input_stream_new_from_data (copy, (gssize) contents_len, NULL);
      r = tp_feed_snapshot_reader_new (in, NULL, NULL);
      if (r == NULL || !tp_feed_snapshot_reader_verify (r, ring, NULL))
        continue;
      for (;;)
        {
          g_autoptr(TpEntry) entry = NULL;
          g_autofree char *json = NULL;

          if (!tp_feed_snapshot_reader_next (r, &entry, &json, NULL, NULL))
            {
              ok = FALSE;
              break;
            }
          if (entry == NULL)
            break;
          g_string_append_printf (decoded, "%s\n", json);
        }
      if (ok)
        {
          g_autofree char *original = g_strdup_printf ("%s\n%s\n", a, b);

          g_assert_cmpstr (decoded->str, ==, original);
        }
    }

  /* truncated */
  {
    g_autoptr(GInputStream) in = g_memory_input_stream_new_from_data (contents, (gssize) contents_len - 12, NULL);
    g_autoptr(TpFeedSnapshotReader) r = tp_feed_snapshot_reader_new (in, NULL, &error);
    gboolean ok = TRUE;

    if (r == NULL)
      g_clear_error (&error);
    else
      for (;;)
        {
          g_autoptr(TpEntry) entry = NULL;

          if (!tp_feed_snapshot_reader_next (r, &entry, NULL, NULL, &error))
            {
              ok = FALSE;
              g_clear_error (&error);
              break;
            }
          if (entry == NULL)
            break;
        }
    g_assert_false (ok);
  }

  g_unlink (path);
  g_rmdir (dir);
}

static void
test_receipt (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpFeedReceipt) receipt = tp_feed_receipt_new ();
  g_autoptr(TpFeedReceipt) parsed = NULL;
  g_autofree char *json = NULL;
  const char *warnings[] = { "known only by name and birth year: checks will produce reviews", NULL };

  receipt->line = 1;
  receipt->id = g_strdup ("EB-1");
  receipt->version = 3;
  receipt->status = TP_RECEIPT_ACCEPTED;
  receipt->seq = 1042;
  receipt->warnings = g_strdupv ((GStrv) warnings);
  json = tp_feed_receipt_to_json (receipt);
  g_assert_cmpstr (json, ==, "{\"id\":\"EB-1\",\"line\":1,\"seq\":1042,\"status\":\"accepted\",\"version\":3,"
                             "\"warnings\":[\"known only by name and birth year: checks will produce reviews\"]}");
  parsed = tp_feed_receipt_parse (json, strlen (json), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (parsed->seq, ==, 1042);
  g_assert_cmpstr (parsed->warnings[0], ==, warnings[0]);

  g_clear_pointer (&parsed, tp_feed_receipt_free);
  parsed = tp_feed_receipt_parse ("{\"line\": 2, \"id\": \"EB-2\", \"status\": \"rejected\", \"reason\": \"visibility: missing\"}",
                                  strlen ("{\"line\": 2, \"id\": \"EB-2\", \"status\": \"rejected\", \"reason\": \"visibility: missing\"}"),
                                  &error);
  g_assert_no_error (error);
  g_assert_cmpint (parsed->status, ==, TP_RECEIPT_REJECTED);
  g_assert_cmpstr (parsed->reason, ==, "visibility: missing");

#define BAD(text, member) \
  G_STMT_START { \
    g_assert_null (tp_feed_receipt_parse (text, strlen (text), &error)); \
    g_assert_nonnull (strstr (error->message, member)); \
    g_clear_error (&error); \
  } G_STMT_END
  BAD ("{\"id\":\"EB-2\",\"status\":\"rejected\"}", "receipt.line");
  BAD ("{\"line\":1,\"id\":\"EB-2\",\"status\":\"rejected\"}", "receipt.reason");
  BAD ("{\"line\":1,\"id\":\"EB-2\",\"status\":\"maybe\"}", "receipt.status");
  BAD ("{\"line\":1,\"id\":\"EB-2\",\"version\":2,\"status\":\"accepted\"}", "receipt.seq");
  BAD ("{\"line\":1,\"id\":\"EB-2\",\"status\":\"accepted\",\"warnings\":[3]}", "receipt.warnings[0]");
#undef BAD
}

static void
test_event (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpFeedEvent) event = tp_feed_event_parse (CHECK_EVENT, strlen (CHECK_EVENT), &error);
  g_autofree char *json = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (event->type, ==, TP_EVENT_CHECK);
  g_assert_cmpstr (event->verdict, ==, "STOP");
  g_assert_cmpint (event->role, ==, TP_ROLE_IMMIGRATION);
  tp_feed_event_stamp (event, "T2-EXIT-07", "HAN", "T2-EXIT");
  json = tp_feed_event_to_json (event);
  g_assert_nonnull (strstr (json, "\"terminal\":\"T2-EXIT-07\""));
  g_assert_null (strstr (json, "FORGED"));
  g_assert_nonnull (strstr (json, "\"x_extra\":[1,2]"));   /* unknown members kept */

#define EV(body) "{\"id\":\"0b4f6f36-3a8e-4c4e-9a57-0d7d0c4f3a11\",\"at\":\"2026-12-06T06:09:22Z\"," \
  "\"case_id\":\"6f1d0c2a-1111-4a8e-8c2b-5b9f0a7e2c33\",\"officer\":\"SUP-01\",\"role\":\"supervisor\"," body "}"
#define GOOD(text) \
  G_STMT_START { \
    g_autoptr(TpFeedEvent) e = tp_feed_event_parse (text, strlen (text), &error); \
    g_assert_no_error (error); \
    g_assert_nonnull (e); \
  } G_STMT_END
#define BAD(text, expect) \
  G_STMT_START { \
    g_assert_null (tp_feed_event_parse (text, strlen (text), &error)); \
    g_assert_nonnull (error); \
    if (strstr (error->message, expect) == NULL) \
      g_error ("“%s” does not say “%s”", error->message, expect); \
    g_clear_error (&error); \
  } G_STMT_END

  GOOD (EV ("\"type\":\"note\",\"text\":\"passport photo page damaged\""));
  GOOD (EV ("\"type\":\"decision\",\"action\":\"override\",\"reason\":\"court order 12/QD\",\"notice_reference\":null,"
            "\"category\":null,\"entry\":null,\"escalation\":null"));
  GOOD (EV ("\"type\":\"decision\",\"action\":\"resolve\",\"escalation\":\"0b4f6f36-3a8e-4c4e-9a57-0d7d0c4f3a12\""));
  GOOD (EV ("\"type\":\"escalation\",\"reason\":\"probable hit\",\"verdict\":\"REVIEW\","
            "\"audit\":{\"seq\":3,\"hash\":\"0000000000000000000000000000000000000000000000000000000000000000\"}"));
  BAD (EV ("\"type\":\"decision\",\"action\":\"override\",\"reason\":null"), "event.reason: missing");
  BAD (EV ("\"type\":\"decision\",\"action\":\"override\",\"reason\":\"\""), "event.reason: empty");
  BAD (EV ("\"type\":\"decision\",\"action\":\"fly_away\""), "event.action");
  BAD (EV ("\"type\":\"decision\",\"action\":\"clear_false_positive\",\"entry\":{\"id\":\"EB-1\"}"), "event.entry.version");
  BAD (EV ("\"type\":\"note\""), "event.text: missing");
  BAD (EV ("\"type\":\"party\""), "event.type");
  BAD (EV ("\"type\":\"escalation\",\"reason\":\"x\",\"verdict\":\"MAYBE\""), "event.verdict");
  BAD (EV ("\"type\":\"check\",\"verdict\":\"CLEAR\",\"list_seq\":-1,\"verified\":true,\"hits\":[]"), "event.list_seq");
  BAD (EV ("\"type\":\"check\",\"verdict\":\"CLEAR\",\"list_seq\":1,\"verified\":true,\"hits\":[{\"entry\":\"E\",\"version\":1,\"band\":\"x\",\"agency\":\"tax\"}]"),
       "event.hits[0].band");
  BAD (EV ("\"type\":\"check\",\"verdict\":\"CLEAR\",\"list_seq\":1,\"verified\":true"), "event.hits: missing");
  BAD (EV ("\"type\":\"note\",\"text\":\"x\",\"score\":0.5"), "whole numbers");
  BAD (EV ("\"type\":\"note\",\"text\":\"x\",\"audit\":{\"seq\":1,\"hash\":\"zz\"}"), "event.audit.hash");
  BAD ("{\"id\":\"not-a-uuid\",\"type\":\"note\"}", "event.id");
  BAD ("{\"id\":\"0b4f6f36-3a8e-4c4e-9a57-0d7d0c4f3a11\",\"type\":\"note\",\"at\":\"2026-12-06 06:09\"}", "event.at");
  BAD ("{\"id\":\"0b4f6f36-3a8e-4c4e-9a57-0d7d0c4f3a11\",\"type\":\"note\",\"at\":\"2026-12-06T06:09:22Z\","
       "\"case_id\":\"6f1d0c2a-1111-4a8e-8c2b-5b9f0a7e2c33\",\"officer\":\"X\",\"role\":\"pilot\",\"text\":\"t\"}", "event.role");
#undef BAD
#undef GOOD
#undef EV
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/feed/canonical-json", test_canonical_json);
  g_test_add_func ("/feed/canonical-json-forms", test_canonical_json_forms);
  g_test_add_func ("/feed/util", test_util);
  g_test_add_func ("/feed/keys", test_keys);
  g_test_add_func ("/feed/head", test_head);
  g_test_add_func ("/feed/segment", test_segment);
  g_test_add_func ("/feed/snapshot", test_snapshot);
  g_test_add_func ("/feed/receipt", test_receipt);
  g_test_add_func ("/feed/event", test_event);

  return g_test_run ();
}
