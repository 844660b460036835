/* test-sync-apply.c: what a terminal verifies and applies (docs/feed.md §6),
 * against a real store, with feed documents made here
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "tp-enrollment.h"
#include "tp-feed-head.h"
#include "tp-feed-segment.h"
#include "tp-feed-snapshot.h"
#include "tp-feed-util.h"
#include "tp-sync-apply.h"
#include "tp-sync-message.h"

/* A feed made in the test: its key, its list, its chain */
typedef struct {
  TpFeedKey     *key;
  TpFeedKeyring *ring;
  GHashTable    *current;          /* id -> canonical JSON */
  guint64        seq;
  guint8         chain[TP_FEED_HASH_SIZE];
  char          *dir;
  TpStore       *store;
} Feed;

static char *
entry_json (const char *id,
            guint       version)
{
  g_autofree char *json = g_strdup_printf (
    "{\"id\":\"%s\",\"version\":%u,\"list\":\"exit_ban\",\"status\":\"active\",\"agency\":\"customs\","
    "\"action\":\"deny_exit\",\"visibility\":[\"immigration\"],\"person\":{\"full_name\":\"Nguyễn Văn %s\","
    "\"birth_date\":\"1980-05-17\",\"identifiers\":[{\"type\":\"passport\",\"value\":\"C%s\",\"country\":\"VNM\"}]},"
    "\"effective_from\":\"2026-01-16\"}", id, version, id, id + 3);
  g_autoptr(TpEntry) entry = tp_entry_from_json (json, -1, NULL);

  g_assert_nonnull (entry);
  return tp_entry_to_json (entry);
}

static TpStateHash
feed_state (Feed *feed)
{
  GHashTableIter iter;
  gpointer value;
  TpStateHash hash;

  tp_state_hash_init (&hash);
  g_hash_table_iter_init (&iter, feed->current);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      guint8 digest[TP_STATE_HASH_SIZE];

      tp_state_hash_digest_json (value, strlen (value), digest);
      tp_state_hash_add_digest (&hash, digest);
    }
  return hash;
}

static GDateTime *
time_in (gint64 seconds)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_add_seconds (now, (gdouble) seconds);
}

/* The next segment: versions @version of entries E@first.. E@first+n-1 */
static GBytes *
feed_segment (Feed  *feed,
              guint  first,
              guint  n,
              guint  version)
{
  g_autoptr(TpFeedSegment) segment = tp_feed_segment_new ();
  g_autoptr(GError) error = NULL;
  GBytes *bytes;

  segment->first_seq = feed->seq + 1;
  memcpy (segment->prev_hash, feed->chain, TP_FEED_HASH_SIZE);
  segment->issued_at = time_in (0);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *id = g_strdup_printf ("EB-%06u", first + i);
      char *json = entry_json (id, version);

      g_ptr_array_add (segment->changes, tp_feed_change_new (feed->seq + 1 + i, json));
      g_hash_table_replace (feed->current, g_strdup (id), json);
    }
  segment->state_hash = feed_state (feed);
  segment->entries = g_hash_table_size (feed->current);
  bytes = tp_feed_segment_build (segment, feed->key, &error);
  g_assert_no_error (error);
  feed->seq = segment->last_seq;
  memcpy (feed->chain, segment->hash, TP_FEED_HASH_SIZE);
  return bytes;
}

/* The head of the feed as it stands, expiring in @expires_in seconds,
 * naming @snapshot (a path) when not NULL. */
static GBytes *
feed_head (Feed       *feed,
           gint64      issued_in,
           gint64      expires_in,
           const char *snapshot,
           guint64     snapshot_seq,
           TpFeedKey  *key)
{
  g_autoptr(TpFeedHead) head = tp_feed_head_new ();
  g_autoptr(GError) error = NULL;
  char *doc;

  head->seq = feed->seq;
  head->state_hash = feed_state (feed);
  head->entries = g_hash_table_size (feed->current);
  head->issued_at = time_in (issued_in);
  head->expires_at = time_in (expires_in);
  head->heartbeat_s = 60;
  head->has_segment = feed->seq > 0;
  head->segment_last_seq = feed->seq;
  head->segment_first_seq = feed->seq;
  memcpy (head->segment_hash, feed->chain, TP_FEED_HASH_SIZE);
  if (snapshot != NULL)
    {
      g_autofree char *contents = NULL;
      gsize len;

      g_assert_true (g_file_get_contents (snapshot, &contents, &len, NULL));
      head->has_snapshot = TRUE;
      head->snapshot_seq = snapshot_seq;
      head->snapshot_size = len;
      tp_feed_sha256 (contents, len, head->snapshot_sha256);
    }
  doc = tp_feed_head_sign (head, key != NULL ? key : feed->key, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (doc, strlen (doc));
}

static char *
feed_snapshot (Feed *feed)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GList) ids = g_list_sort (g_hash_table_get_keys (feed->current), (GCompareFunc) strcmp);
  g_autofree char *name = g_strdup_printf ("%" G_GUINT64_FORMAT ".jsonl.gz", feed->seq);
  char *path = g_build_filename (feed->dir, name, NULL);
  g_autoptr(TpFeedSnapshotWriter) writer = tp_feed_snapshot_writer_new (path, &error);
  g_auto(TpFeedSnapshotHeader) header = { 0 };
  guint8 sha256[TP_FEED_HASH_SIZE];
  guint64 size;

  g_assert_no_error (error);
  for (GList *l = ids; l != NULL; l = l->next)
    g_assert_true (tp_feed_snapshot_writer_add (writer, g_hash_table_lookup (feed->current, l->data), &error));
  header.seq = feed->seq;
  memcpy (header.segment_hash, feed->chain, TP_FEED_HASH_SIZE);
  header.issued_at = time_in (0);
  g_assert_true (tp_feed_snapshot_writer_finish (writer, &header, feed->key, sha256, &size, &error));
  g_assert_no_error (error);
  return path;
}

static void
feed_setup (Feed          *feed,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db = NULL;
  g_autofree char *key_path = NULL;
  g_autoptr(TpKeySource) key = NULL;

  feed->key = tp_feed_key_generate (&error);
  g_assert_no_error (error);
  feed->ring = tp_feed_keyring_new ();
  tp_feed_keyring_add (feed->ring, feed->key);
  feed->current = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  feed->dir = g_dir_make_tmp ("test-sync-apply-XXXXXX", &error);
  g_assert_no_error (error);
  db = g_build_filename (feed->dir, "store.db", NULL);
  key_path = g_build_filename (feed->dir, "store.key", NULL);
  key = tp_key_file_new (key_path);
  feed->store = tp_store_open (db, key, TP_STORE_OPEN_CREATE, &error);
  g_assert_no_error (error);
}

static void
feed_teardown (Feed          *feed,
               gconstpointer  data)
{
  g_autoptr(GDir) dir = g_dir_open (feed->dir, 0, NULL);
  const char *name;

  g_clear_object (&feed->store);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (feed->dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (feed->dir);
  g_free (feed->dir);
  g_hash_table_unref (feed->current);
  tp_feed_keyring_free (feed->ring);
  tp_feed_key_unref (feed->key);
}

static TpSyncHeadStatus
check_head (Feed    *feed,
            GBytes  *head,
            GError **error)
{
  g_autoptr(TpFeedHead) parsed = NULL;
  TpSyncHeadStatus status = 99;
  gsize len;
  const char *data = g_bytes_get_data (head, &len);

  if (!tp_sync_check_head (feed->store, feed->ring, data, len, &parsed, &status, error))
    return 99;
  g_assert_nonnull (parsed);
  return status;
}

static TpFeedHead *
parse_head (GBytes *bytes)
{
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);
  TpFeedHead *head = tp_feed_head_parse (data, len, NULL);

  g_assert_nonnull (head);
  return head;
}

static gboolean
apply (Feed        *feed,
       GBytes      *head_bytes,
       GBytes      *segment,
       guint64     *applied,
       GError     **error)
{
  g_autoptr(TpFeedHead) head = parse_head (head_bytes);
  gsize len;
  const guint8 *data = g_bytes_get_data (segment, &len);

  return tp_sync_apply_segment (feed->store, feed->ring, head, data, len, applied, error);
}

static TpSyncStatus
status_of (Feed *feed)
{
  g_autoptr(GError) error = NULL;
  TpSyncStatus status;

  g_assert_true (tp_sync_read_status (feed->store, &status, &error));
  g_assert_no_error (error);
  return status;
}

static void
assert_at (Feed    *feed,
           guint64  seq)
{
  TpSyncStatus status = status_of (feed);
  TpStateHash state;
  char hex[TP_STATE_HASH_HEX_LEN + 1];

  g_assert_cmpint (status.seq, ==, (gint64) seq);
  /* the feed as it was at @seq is not kept: compare with the store's own
   * recomputation instead, and with the feed when it is there */
  g_assert_true (tp_store_compute_state_hash (feed->store, &state, NULL));
  tp_state_hash_to_hex_buf (&state, hex);
  g_assert_cmpstr (status.state_hash, ==, hex);
  if (seq == feed->seq)
    {
      TpStateHash expected = feed_state (feed);

      g_assert_true (tp_state_hash_equal (&state, &expected));
      g_assert_cmpuint (status.entries, ==, g_hash_table_size (feed->current));
    }
}

static void
test_head (Feed          *feed,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpFeedKey) stranger = tp_feed_key_generate (NULL);
  g_autoptr(GBytes) empty = feed_head (feed, 0, 600, NULL, 0, NULL);
  g_autoptr(GBytes) foreign = NULL;
  g_autoptr(GBytes) seg = NULL;
  g_autoptr(GBytes) at2 = NULL;
  g_autoptr(GBytes) later = NULL;
  g_autoptr(GBytes) earlier = NULL;
  TpSyncStatus status;

  /* an empty store at an empty feed: current, the head's times kept */
  g_assert_cmpint (check_head (feed, empty, &error), ==, TP_SYNC_HEAD_CURRENT);
  g_assert_no_error (error);
  status = status_of (feed);
  g_assert_cmpint (status.head_issued_at, >, 0);
  g_assert_cmpint (status.head_expires_at, ==, status.head_issued_at + 600);

  /* signed by a key nobody pinned */
  foreign = feed_head (feed, 0, 600, NULL, 0, stranger);
  check_head (feed, foreign, &error);
  g_assert_error (error, TP_SYNC_ERROR, TP_SYNC_ERROR_REFUSED);
  g_assert_nonnull (strstr (error->message, tp_feed_key_get_id (stranger)));
  g_clear_error (&error);
  /* not a head */
  {
    g_autoptr(GBytes) junk = g_bytes_new_static ("{\"type\":\"head\"}", 15);

    check_head (feed, junk, &error);
    g_assert_error (error, TP_SYNC_ERROR, TP_SYNC_ERROR_REFUSED);
    g_clear_error (&error);
  }

  seg = feed_segment (feed, 0, 2, 1);
  at2 = feed_head (feed, 0, 600, NULL, 0, NULL);
  g_assert_cmpint (check_head (feed, at2, &error), ==, TP_SYNC_HEAD_BEHIND);
  g_assert_true (apply (feed, at2, seg, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (check_head (feed, at2, &error), ==, TP_SYNC_HEAD_CURRENT);

  /* a later heartbeat moves the expiry on; an earlier one does not move it back */
  later = feed_head (feed, 5, 900, NULL, 0, NULL);
  g_assert_cmpint (check_head (feed, later, &error), ==, TP_SYNC_HEAD_CURRENT);
  status = status_of (feed);
  earlier = feed_head (feed, -100, 100, NULL, 0, NULL);
  g_assert_cmpint (check_head (feed, earlier, &error), ==, TP_SYNC_HEAD_CURRENT);
  g_assert_cmpint (status_of (feed).head_expires_at, ==, status.head_expires_at);

  /* the empty feed's head again: a rollback */
  check_head (feed, empty, &error);
  g_assert_error (error, TP_SYNC_ERROR, TP_SYNC_ERROR_REFUSED);
  g_assert_nonnull (strstr (error->message, "below change 2"));
  g_clear_error (&error);

  /* the same seq with another state: a fork */
  {
    g_autoptr(GBytes) fork = NULL;
    Feed other = *feed;

    other.current = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
    other.seq = 0;
    memset (other.chain, 0, sizeof other.chain);
    g_bytes_unref (feed_segment (&other, 100, 2, 1));
    fork = feed_head (&other, 0, 600, NULL, 0, NULL);
    g_hash_table_unref (other.current);
    check_head (feed, fork, &error);
    g_assert_error (error, TP_SYNC_ERROR, TP_SYNC_ERROR_REFUSED);
    g_assert_nonnull (strstr (error->message, "two different feeds"));
    g_clear_error (&error);
  }
  assert_at (feed, 2);
}

static void
test_segments (Feed          *feed,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) s1 = feed_segment (feed, 0, 3, 1);
  g_autoptr(GBytes) s2 = feed_segment (feed, 2, 3, 2);
  g_autoptr(GBytes) head = feed_head (feed, 0, 600, NULL, 0, NULL);
  g_autoptr(GBytes) tampered = NULL;
  guint64 applied = 0;
  TpSyncStatus before;

  /* the second before the first: it does not continue the list */
  g_assert_false (apply (feed, head, s2, NULL, &error));
  g_assert_error (error, TP_SYNC_ERROR, TP_SYNC_ERROR_CHAIN);
  g_assert_true (tp_sync_error_wants_snapshot (error));
  g_clear_error (&error);
  assert_at (feed, 0);

  g_assert_true (apply (feed, head, s1, &applied, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (applied, ==, 3);
  assert_at (feed, 3);

  /* a byte changed: refused (not a matter for the snapshot) */
  {
    gsize len;
    const guint8 *d = g_bytes_get_data (s2, &len);
    guint8 *copy = g_memdup2 (d, len);

    copy[len - 10] ^= 1;
    tampered = g_bytes_new_take (copy, len);
  }
  before = status_of (feed);
  g_assert_false (apply (feed, head, tampered, NULL, &error));
  g_assert_error (error, TP_SYNC_ERROR, TP_SYNC_ERROR_REFUSED);
  g_assert_false (tp_sync_error_wants_snapshot (error));
  g_clear_error (&error);
  g_assert_cmpstr (status_of (feed).state_hash, ==, before.state_hash);

  /* the same segment again: it no longer continues the list */
  g_assert_false (apply (feed, head, s1, NULL, &error));
  g_assert_error (error, TP_SYNC_ERROR, TP_SYNC_ERROR_CHAIN);
  g_clear_error (&error);

  g_assert_true (apply (feed, head, s2, &applied, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (applied, ==, 3);
  assert_at (feed, 6);
}

static void
test_state_mismatch (Feed          *feed,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) s1 = feed_segment (feed, 0, 2, 1);
  g_autoptr(GBytes) head1 = feed_head (feed, 0, 600, NULL, 0, NULL);
  g_autoptr(GBytes) s2 = NULL;
  g_autoptr(GBytes) head2 = NULL;
  TpStoreBatchResult result;
  TpSyncStatus before;

  g_assert_true (apply (feed, head1, s1, NULL, &error));
  /* the list changed behind the feed's back */
  {
    g_autoptr(GPtrArray) local = g_ptr_array_new_with_free_func ((GDestroyNotify) tp_entry_free);
    g_autofree char *json = entry_json ("LOCAL1", 1);

    g_ptr_array_add (local, tp_entry_from_json (json, -1, NULL));
    g_assert_true (tp_store_apply_batch (feed->store, local, &result, &error));
    tp_store_batch_result_clear (&result);
  }
  s2 = feed_segment (feed, 5, 2, 1);
  head2 = feed_head (feed, 0, 600, NULL, 0, NULL);
  before = status_of (feed);
  g_assert_false (apply (feed, head2, s2, NULL, &error));
  g_assert_error (error, TP_SYNC_ERROR, TP_SYNC_ERROR_CHAIN);
  g_assert_nonnull (strstr (error->message, "state"));
  g_clear_error (&error);
  g_assert_cmpstr (status_of (feed).state_hash, ==, before.state_hash);
  g_assert_cmpint (status_of (feed).seq, ==, 2);
}

static void
test_snapshot (Feed          *feed,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) s1 = feed_segment (feed, 0, 50, 1);
  g_autoptr(GBytes) s2 = feed_segment (feed, 25, 50, 2);
  g_autofree char *snapshot = feed_snapshot (feed);
  guint64 snapshot_seq = feed->seq;
  g_autoptr(GBytes) s3 = feed_segment (feed, 100, 5, 1);
  g_autoptr(GBytes) head_bytes = feed_head (feed, 0, 600, snapshot, snapshot_seq, NULL);
  g_autoptr(TpFeedHead) head = parse_head (head_bytes);
  g_autofree char *copy = g_build_filename (feed->dir, "copy.jsonl.gz", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *chain = NULL;
  TpFeedPosition position = { 0, };
  guint64 entries = 0;
  gsize len;

  /* a file that is not the one the head names: refused before decompressing */
  g_assert_true (g_file_get_contents (snapshot, &contents, &len, NULL));
  contents[len / 2] ^= 1;
  g_assert_true (g_file_set_contents (copy, contents, (gssize) len, NULL));
  g_assert_false (tp_sync_load_snapshot (feed->store, feed->ring, head, copy, NULL, NULL, &error));
  g_assert_error (error, TP_SYNC_ERROR, TP_SYNC_ERROR_REFUSED);
  g_assert_nonnull (strstr (error->message, "SHA-256"));
  g_clear_error (&error);
  g_assert_true (g_file_set_contents (copy, contents, (gssize) len - 1, NULL));
  g_assert_false (tp_sync_load_snapshot (feed->store, feed->ring, head, copy, NULL, NULL, &error));
  g_assert_error (error, TP_SYNC_ERROR, TP_SYNC_ERROR_REFUSED);
  g_clear_error (&error);
  assert_at (feed, 0);

  g_assert_true (tp_sync_load_snapshot (feed->store, feed->ring, head, snapshot, NULL, &entries, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (entries, ==, 75);
  assert_at (feed, snapshot_seq);
  g_assert_true (tp_store_get_feed_position (feed->store, &position, &error));
  g_assert_cmpint (position.head_seq, ==, (gint64) feed->seq);
  {
    g_autoptr(TpFeedSegment) parsed = tp_feed_segment_parse (g_bytes_get_data (s2, NULL), g_bytes_get_size (s2), NULL);

    chain = tp_feed_hex (parsed->hash, TP_FEED_HASH_SIZE);
  }
  g_assert_cmpstr (position.chain, ==, chain);
  tp_feed_position_clear (&position);

  /* the chain goes on from the snapshot */
  g_assert_true (apply (feed, head_bytes, s3, NULL, &error));
  g_assert_no_error (error);
  assert_at (feed, feed->seq);
}

/* After a snapshot older than the newest head accepted, that head still
 * bounds what is accepted: no rollback through the snapshot. */
static void
test_snapshot_keeps_high_water (Feed          *feed,
                                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) s1 = feed_segment (feed, 0, 10, 1);
  g_autofree char *snapshot = feed_snapshot (feed);
  g_autoptr(GBytes) head1 = feed_head (feed, 0, 600, NULL, 0, NULL);
  g_autoptr(GBytes) s2 = feed_segment (feed, 10, 10, 1);
  g_autoptr(GBytes) head2 = feed_head (feed, 0, 600, snapshot, 10, NULL);
  g_autoptr(TpFeedHead) parsed2 = parse_head (head2);

  g_assert_true (apply (feed, head2, s1, NULL, &error));
  g_assert_true (apply (feed, head2, s2, NULL, &error));
  g_assert_cmpint (check_head (feed, head2, &error), ==, TP_SYNC_HEAD_CURRENT);
  /* back to change 10 through the snapshot (a repair) */
  g_assert_true (tp_sync_load_snapshot (feed->store, feed->ring, parsed2, snapshot, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (status_of (feed).seq, ==, 10);
  /* the head of change 10 is still a replay */
  check_head (feed, head1, &error);
  g_assert_error (error, TP_SYNC_ERROR, TP_SYNC_ERROR_REFUSED);
  g_clear_error (&error);
  g_assert_cmpint (check_head (feed, head2, &error), ==, TP_SYNC_HEAD_BEHIND);
}

/* a string literal and its length */
#define S(literal) (literal), (sizeof (literal) - 1)

static void
test_messages (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) escalation = NULL;
  g_autoptr(JsonNode) answer = NULL;
  TpSyncMessageKind kind;
  guint64 seq;
  const char *bad[] = { "{\"head\":-1}", "{\"head\":\"3\"}", "{\"escalation\":3}", "[1]", "{", "" };

  g_assert_true (tp_sync_parse_push_message (S ("{\"head\":42}"), &kind, &seq, &escalation, &error));
  g_assert_cmpint (kind, ==, TP_SYNC_MESSAGE_HEAD);
  g_assert_cmpuint (seq, ==, 42);
  g_assert_true (tp_sync_parse_push_message (S ("{\"escalation\":{\"id\":\"x\"}}"), &kind, &seq, &escalation, &error));
  g_assert_cmpint (kind, ==, TP_SYNC_MESSAGE_ESCALATION);
  g_assert_nonnull (escalation);
  g_clear_pointer (&escalation, json_node_unref);
  g_assert_true (tp_sync_parse_push_message (S ("{\"news\":1}"), &kind, &seq, &escalation, &error));
  g_assert_cmpint (kind, ==, TP_SYNC_MESSAGE_OTHER);
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_assert_false (tp_sync_parse_push_message (bad[i], strlen (bad[i]), &kind, &seq, &escalation, &error));
      g_assert_nonnull (error);
      g_assert_null (escalation);
      g_clear_error (&error);
    }

  answer = tp_sync_parse_reconcile_answer (S ("{\"shift\":\"S\",\"status\":\"ok\",\"hub_lacks\":[],\"hub_extra\":[\"a\"]}"),
                                           &error);
  g_assert_no_error (error);
  g_assert_nonnull (answer);
  g_assert_null (tp_sync_parse_reconcile_answer (S ("{\"status\":\"maybe\",\"hub_lacks\":[],\"hub_extra\":[]}"), &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_null (tp_sync_parse_reconcile_answer (S ("{\"status\":[\"ok\"],\"hub_lacks\":[],\"hub_extra\":[]}"), &error));
  g_clear_error (&error);
  {
    g_autoptr(GString) deep = g_string_new ("{\"status\":\"ok\",\"x\":");

    for (guint i = 0; i < 100000; i++)
      g_string_append_c (deep, '[');
    g_assert_null (tp_sync_parse_reconcile_answer (deep->str, deep->len, &error));
    g_assert_nonnull (strstr (error->message, "nested"));
    g_clear_error (&error);
  }
}

static void
test_enrollment (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpEnrollment) e = NULL;
  const char *json = "{\"hub_url\":\"https://hub.example:8443\",\"terminal\":\"T1\",\"role\":\"terminal\","
                     "\"airport\":\"HAN\",\"supervisor\":true}";
  g_autofree char *url = NULL;

  e = tp_enrollment_parse (json, strlen (json), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (e->hub_url, ==, "https://hub.example:8443/");
  g_assert_cmpstr (e->feed_url, ==, "https://hub.example:8443/v1/feed/");
  g_assert_cmpstr (e->push_url, ==, "wss://hub.example:8443/v1/push");
  g_assert_true (e->supervisor);
  g_clear_pointer (&e, tp_enrollment_free);

  json = "{\"hub_url\":\"http://hub.example/\",\"terminal\":\"T1\"}";
  g_assert_null (tp_enrollment_parse (json, strlen (json), &error));
  g_assert_nonnull (strstr (error->message, "hub_url"));
  g_clear_error (&error);
  json = "{\"hub_url\":\"https://hub.example/\",\"terminal\":\"T1\",\"role\":\"agency\"}";
  g_assert_null (tp_enrollment_parse (json, strlen (json), &error));
  g_assert_nonnull (strstr (error->message, "agency"));
  g_clear_error (&error);

  url = tp_enrollment_normalize_feed_url ("http://mirror.example/feed", &error);
  g_assert_cmpstr (url, ==, "http://mirror.example/feed/");
  g_assert_null (tp_enrollment_normalize_feed_url ("ftp://mirror.example/", &error));
  g_clear_error (&error);
  g_assert_null (tp_enrollment_normalize_feed_url ("http://mirror.example/?x=1", &error));
  g_clear_error (&error);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Feed, NULL, feed_setup, func, feed_teardown)
  ADD ("/sync/head", test_head);
  ADD ("/sync/segments", test_segments);
  ADD ("/sync/state-mismatch", test_state_mismatch);
  ADD ("/sync/snapshot", test_snapshot);
  ADD ("/sync/snapshot-keeps-high-water", test_snapshot_keeps_high_water);
#undef ADD
  g_test_add_func ("/sync/messages", test_messages);
  g_test_add_func ("/sync/enrollment", test_enrollment);

  return g_test_run ();
}
