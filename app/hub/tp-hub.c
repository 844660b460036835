/* tp-hub.c: ingestion, the feed, events, reconciliation (tp-hub.h)
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
#include "tp-feed-receipt.h"
#include "tp-feed-segment.h"
#include "tp-feed-snapshot.h"
#include "tp-hub.h"
#include "tp-hub-pg.h"
#include "tp-hub-sqlite.h"
#include "tp-json.h"

/* Room for the segment line around an entry's canonical JSON */
#define MAX_ENTRY_JSON (TP_JSON_MAX_LINE - 64)

struct _TpHub {
  TpHubOptions     options;
  TpHubDir        *dir;
  TpHubStorage    *storage;       /* the writer's connection, under write_lock */
  GMutex           write_lock;
  GMutex           head_lock;
  GBytes          *head;          /* under head_lock */
  guint64          head_seq;      /* under head_lock */
  GMutex           snapshot_lock; /* one snapshot at a time */
  TpHubCommitFunc  commit_func;
  gpointer         commit_data;
};

typedef struct {
  guint64    line;
  char      *id;
  TpEntry   *entry;
  char      *json;       /* canonical */
  char      *reason;     /* rejected before storage */
  GStrv      warnings;
} IngestLine;

static void
ingest_line_free (IngestLine *l)
{
  g_free (l->id);
  g_clear_pointer (&l->entry, tp_entry_free);
  g_free (l->json);
  g_free (l->reason);
  g_strfreev (l->warnings);
  g_free (l);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (IngestLine, ingest_line_free)

void
tp_hub_options_init (TpHubOptions *options)
{
  options->heartbeat_s = 60;
  options->expiry_s = 600;
  options->snapshot_every = 10000;
  options->snapshot_keep = 3;
}

static void
append_receipt (GString             *answer,
                const TpFeedReceipt *receipt)
{
  g_autofree char *json = tp_feed_receipt_to_json (receipt);

  g_string_append (answer, json);
  g_string_append_c (answer, '\n');
}

void
tp_hub_clean_snapshots (TpHub *hub)
{
  g_autofree char *path = tp_hub_dir_get_snapshot_dir (hub->dir);
  g_autoptr(GDir) listing = g_dir_open (path, 0, NULL);
  g_autoptr(GArray) recorded = NULL;
  const char *name;

  g_mutex_lock (&hub->write_lock);
  recorded = tp_hub_storage_list_snapshots (hub->storage, NULL);
  g_mutex_unlock (&hub->write_lock);

  if (listing == NULL || recorded == NULL)
    return;
  while ((name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *file = g_build_filename (path, name, NULL);
      gboolean keep = FALSE;

      for (guint i = 0; i < recorded->len; i++)
        {
          g_autofree char *expected = g_strdup_printf ("%" G_GUINT64_FORMAT ".jsonl.gz",
                                                       g_array_index (recorded, TpHubSnapshotInfo, i).seq);

          keep |= strcmp (name, expected) == 0;
        }
      if (!keep)
        g_unlink (file);
    }
}

/* "postgresql://..." or "postgres://..." (libpq), "sqlite:PATH" or a
 * plain path (SQLite). */
static TpHubStorage *
open_storage (const char  *url,
              GError     **error)
{
  if (g_str_has_prefix (url, "postgresql://") || g_str_has_prefix (url, "postgres://"))
    return tp_hub_pg_open (url, error);
  if (g_str_has_prefix (url, "sqlite:"))
    url += strlen ("sqlite:");
  return tp_hub_sqlite_open (url, error);
}

TpHub *
tp_hub_open (const char          *dir_path,
             const char          *database,
             const TpHubOptions  *options,
             GError             **error)
{
  g_autoptr(TpHub) hub = g_new0 (TpHub, 1);
  g_autofree char *default_db = NULL;

  g_return_val_if_fail (dir_path != NULL, NULL);

  g_mutex_init (&hub->write_lock);
  g_mutex_init (&hub->head_lock);
  g_mutex_init (&hub->snapshot_lock);
  if (options != NULL)
    hub->options = *options;
  else
    tp_hub_options_init (&hub->options);
  hub->options.heartbeat_s = MAX (hub->options.heartbeat_s, 1);
  hub->options.expiry_s = MAX (hub->options.expiry_s, hub->options.heartbeat_s);
  hub->options.snapshot_every = MAX (hub->options.snapshot_every, 1);
  hub->options.snapshot_keep = MAX (hub->options.snapshot_keep, 1);

  hub->dir = tp_hub_dir_open (dir_path, error);
  if (hub->dir == NULL)
    return NULL;
  default_db = tp_hub_dir_get_database (hub->dir);
  hub->storage = open_storage (database != NULL ? database : default_db, error);
  if (hub->storage == NULL)
    return NULL;
  if (!tp_hub_sign_head (hub, error))
    return NULL;
  return g_steal_pointer (&hub);
}

void
tp_hub_free (TpHub *hub)
{
  if (hub == NULL)
    return;
  g_clear_object (&hub->storage);
  g_clear_pointer (&hub->dir, tp_hub_dir_free);
  g_clear_pointer (&hub->head, g_bytes_unref);
  g_mutex_clear (&hub->write_lock);
  g_mutex_clear (&hub->head_lock);
  g_mutex_clear (&hub->snapshot_lock);
  g_free (hub);
}

TpHubDir *
tp_hub_get_dir (TpHub *hub)
{
  return hub->dir;
}

const TpHubOptions *
tp_hub_get_options (TpHub *hub)
{
  return &hub->options;
}

void
tp_hub_set_commit_func (TpHub           *hub,
                        TpHubCommitFunc  func,
                        gpointer         user_data)
{
  hub->commit_func = func;
  hub->commit_data = user_data;
}

/* Head */

static gboolean
build_head (TpHub       *hub,
            TpHubState  *state,
            GArray      *snapshots,
            GBytes     **out,
            GError     **error)
{
  g_autoptr(TpFeedHead) head = tp_feed_head_new ();
  g_autoptr(TpFeedKey) key = tp_hub_dir_get_active_key (hub->dir, error);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) whole = NULL;
  char *doc;

  if (key == NULL)
    return FALSE;
  whole = g_date_time_new_utc (g_date_time_get_year (now), g_date_time_get_month (now),
                               g_date_time_get_day_of_month (now), g_date_time_get_hour (now),
                               g_date_time_get_minute (now), g_date_time_get_second (now));
  head->seq = state->seq;
  head->state_hash = state->state_hash;
  head->entries = state->entries;
  head->issued_at = g_date_time_ref (whole);
  head->expires_at = g_date_time_add_seconds (whole, hub->options.expiry_s);
  head->heartbeat_s = hub->options.heartbeat_s;
  if (state->seq > 0)
    {
      head->has_segment = TRUE;
      head->segment_first_seq = state->segment_first_seq;
      head->segment_last_seq = state->seq;
      memcpy (head->segment_hash, state->segment_hash, TP_FEED_HASH_SIZE);
    }
  for (guint i = 0; i < snapshots->len; i++)
    {
      TpHubSnapshotInfo *info = &g_array_index (snapshots, TpHubSnapshotInfo, i);

      if (info->seq <= state->seq)
        {
          head->has_snapshot = TRUE;
          head->snapshot_seq = info->seq;
          head->snapshot_size = info->size;
          memcpy (head->snapshot_sha256, info->sha256, TP_FEED_HASH_SIZE);
          break;
        }
    }
  doc = tp_feed_head_sign (head, key, error);
  if (doc == NULL)
    return FALSE;
  *out = g_bytes_new_take (doc, strlen (doc));
  return TRUE;
}

/* With write_lock held */
static gboolean
sign_head_locked (TpHub   *hub,
                  GError **error)
{
  TpHubState state;
  g_autoptr(GArray) snapshots = NULL;
  g_autoptr(GBytes) head = NULL;

  if (!tp_hub_storage_get_state (hub->storage, &state, error))
    return FALSE;
  snapshots = tp_hub_storage_list_snapshots (hub->storage, error);
  if (snapshots == NULL)
    return FALSE;
  if (!build_head (hub, &state, snapshots, &head, error))
    return FALSE;
  g_mutex_lock (&hub->head_lock);
  g_clear_pointer (&hub->head, g_bytes_unref);
  hub->head = g_steal_pointer (&head);
  hub->head_seq = state.seq;
  g_mutex_unlock (&hub->head_lock);
  return TRUE;
}

gboolean
tp_hub_sign_head (TpHub   *hub,
                  GError **error)
{
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&hub->write_lock);

  return sign_head_locked (hub, error);
}

GBytes *
tp_hub_get_head (TpHub *hub)
{
  GBytes *head;

  g_mutex_lock (&hub->head_lock);
  head = g_bytes_ref (hub->head);
  g_mutex_unlock (&hub->head_lock);
  return head;
}

guint64
tp_hub_get_seq (TpHub *hub)
{
  guint64 seq;

  g_mutex_lock (&hub->head_lock);
  seq = hub->head_seq;
  g_mutex_unlock (&hub->head_lock);
  return seq;
}

GBytes *
tp_hub_get_segment (TpHub    *hub,
                    guint64   first_seq,
                    GError  **error)
{
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&hub->write_lock);

  return tp_hub_storage_get_segment (hub->storage, first_seq, error);
}

char *
tp_hub_get_snapshot_file (TpHub   *hub,
                          guint64  seq)
{
  g_autoptr(GArray) snapshots = NULL;
  g_autofree char *dir = tp_hub_dir_get_snapshot_dir (hub->dir);

  g_mutex_lock (&hub->write_lock);
  snapshots = tp_hub_storage_list_snapshots (hub->storage, NULL);
  g_mutex_unlock (&hub->write_lock);
  for (guint i = 0; snapshots != NULL && i < snapshots->len; i++)
    if (g_array_index (snapshots, TpHubSnapshotInfo, i).seq == seq)
      {
        g_autofree char *name = g_strdup_printf ("%" G_GUINT64_FORMAT ".jsonl.gz", seq);

        return g_build_filename (dir, name, NULL);
      }
  return NULL;
}

/* Ingestion */

static char *
error_reason (GError *error)
{
  return g_strdup (error->message);
}

/* The hub's rules on top of the entry validator (docs/feed.md §8). */
static gboolean
check_hub_rules (JsonObject  *raw,
                 TpEntry     *entry,
                 GPtrArray   *warnings,
                 GError     **error)
{
  JsonNode *visibility = json_object_get_member (raw, "visibility");

  if (visibility == NULL || JSON_NODE_HOLDS_NULL (visibility))
    {
      g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT,
                   "visibility: missing (required by the hub: the roles that may see the details)");
      return FALSE;
    }
  if (entry->identifiers->len == 0)
    {
      if (entry->full_name == NULL || entry->birth_date.year == 0)
        {
          g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT,
                       "person: no identifier and no name with a birth date: "
                       "the entry could never be matched reliably");
          return FALSE;
        }
      if (entry->birth_date.day == 0)
        g_ptr_array_add (warnings,
                         g_strdup ("person: known only by name and birth year: checks will produce reviews, not hits"));
    }
  if (entry->visibility == 0)
    g_ptr_array_add (warnings, g_strdup ("visibility: empty: no role will see the details"));
  return TRUE;
}

static IngestLine *
decode_line (guint64               number,
             const char           *text,
             gsize                 length,
             const TpHubIdentity  *who,
             gboolean             *foreign)
{
  g_autoptr(IngestLine) l = g_new0 (IngestLine, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  JsonObject *raw;
  JsonNode *agency;

  l->line = number;
  root = tp_json_parse_object_line (text, (gssize) length, "entry", &error);
  if (root == NULL)
    {
      l->reason = error_reason (error);
      return g_steal_pointer (&l);
    }
  raw = json_node_get_object (root);
  if (json_object_has_member (raw, "id") && JSON_NODE_HOLDS_VALUE (json_object_get_member (raw, "id")) &&
      json_node_get_value_type (json_object_get_member (raw, "id")) == G_TYPE_STRING &&
      g_utf8_validate (json_object_get_string_member (raw, "id"), -1, NULL))
    l->id = g_strdup (json_object_get_string_member (raw, "id"));

  /* Another agency's entry refuses the whole request, valid or not. */
  agency = json_object_get_member (raw, "agency");
  if (agency != NULL && JSON_NODE_HOLDS_VALUE (agency) && json_node_get_value_type (agency) == G_TYPE_STRING &&
      g_strcmp0 (json_node_get_string (agency), who->name) != 0)
    *foreign = TRUE;

  l->entry = tp_entry_from_json_node (root, &error);
  if (l->entry == NULL)
    {
      l->reason = error_reason (error);
      return g_steal_pointer (&l);
    }
  if (strcmp (tp_agency_to_string (l->entry->agency), who->name) != 0)
    *foreign = TRUE;
  if (!check_hub_rules (raw, l->entry, warnings, &error))
    {
      l->reason = error_reason (error);
      g_clear_pointer (&l->entry, tp_entry_free);
      return g_steal_pointer (&l);
    }
  l->json = tp_entry_to_json (l->entry);
  if (!g_utf8_validate (l->json, -1, NULL))
    l->reason = g_strdup ("entry: a string is not valid UTF-8 after decoding its escapes");
  else if (strlen (l->json) > MAX_ENTRY_JSON)
    l->reason = g_strdup_printf ("entry: %" G_GSIZE_FORMAT " bytes in canonical form, at most %d",
                                 strlen (l->json), MAX_ENTRY_JSON);
  if (l->reason != NULL)
    g_clear_pointer (&l->entry, tp_entry_free);
  if (warnings->len > 0)
    {
      g_ptr_array_add (warnings, NULL);
      l->warnings = (GStrv) g_ptr_array_steal (warnings, NULL);
    }
  return g_steal_pointer (&l);
}

/* Splits @body into lines: a final newline ends the last line, it does
 * not start an empty one; a "\r" before a newline is dropped. */
static GPtrArray *
split_lines (const char *body,
             gsize       length)
{
  GPtrArray *lines = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  const char *p = body;
  const char *end = body + length;

  while (p < end)
    {
      const char *nl = memchr (p, '\n', (gsize) (end - p));
      const char *line_end = nl != NULL ? nl : end;
      gsize len = (gsize) (line_end - p);

      if (len > 0 && p[len - 1] == '\r')
        len--;
      g_ptr_array_add (lines, g_bytes_new (p, len));
      p = nl != NULL ? nl + 1 : end;
    }
  return lines;
}

guint
tp_hub_ingest_entries (TpHub                *hub,
                       const TpHubIdentity  *who,
                       const char           *body,
                       gsize                 length,
                       GString              *answer,
                       GError              **error)
{
  g_autoptr(GPtrArray) raw_lines = NULL;
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func ((GDestroyNotify) ingest_line_free);
  g_autoptr(GPtrArray) receipts = g_ptr_array_new_with_free_func ((GDestroyNotify) tp_feed_receipt_free);
  g_autoptr(TpFeedSegment) segment = tp_feed_segment_new ();
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(TpFeedKey) key = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();
  g_autoptr(GHashTable) seen_ids = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) history = NULL;
  g_autoptr(GPtrArray) accepted = g_ptr_array_new_with_free_func ((GDestroyNotify) tp_hub_change_free);
  /* "VERSION:ID" → TpHubChange (owned by history or accepted) */
  g_autoptr(GHashTable) versions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  /* id → its latest TpHubChange */
  g_autoptr(GHashTable) current = g_hash_table_new (g_str_hash, g_str_equal);
  TpHubState state;
  gboolean foreign = FALSE;
  guint64 first_seq;

  if (who->kind != TP_HUB_CLIENT_AGENCY)
    {
      g_string_append (answer, "only an agency certificate may write entries\n");
      return 403;
    }
  if (length > TP_HUB_MAX_BODY)
    {
      g_string_append_printf (answer, "body of %" G_GSIZE_FORMAT " bytes, at most %d\n", length, TP_HUB_MAX_BODY);
      return 413;
    }
  raw_lines = split_lines (body, length);
  if (raw_lines->len > TP_HUB_MAX_LINES)
    {
      g_string_append_printf (answer, "%u lines, at most %d per request\n", raw_lines->len, TP_HUB_MAX_LINES);
      return 413;
    }

  for (guint i = 0; i < raw_lines->len; i++)
    {
      gsize len;
      const char *text = g_bytes_get_data (g_ptr_array_index (raw_lines, i), &len);

      g_ptr_array_add (lines, decode_line (i + 1, text != NULL ? text : "", len, who, &foreign));
    }
  if (foreign)
    {
      g_string_append_printf (answer, "an entry belongs to another agency: this certificate writes only "
                                      "entries of agency “%s”; nothing was stored\n", who->name);
      return 403;
    }

  key = tp_hub_dir_get_active_key (hub->dir, error);
  if (key == NULL)
    return 500;

  for (guint i = 0; i < lines->len; i++)
    {
      IngestLine *l = g_ptr_array_index (lines, i);

      if (l->entry != NULL && !g_hash_table_contains (seen_ids, l->entry->id))
        {
          g_hash_table_add (seen_ids, l->entry->id);
          g_ptr_array_add (ids, l->entry->id);
        }
    }

  g_mutex_lock (&hub->write_lock);
  if (!tp_hub_storage_begin (hub->storage, TRUE, error) ||
      !tp_hub_storage_get_state (hub->storage, &state, error))
    goto fail;
  first_seq = state.seq + 1;

  /* What is stored of these ids, in one read; then the batch in memory. */
  history = tp_hub_storage_get_history (hub->storage, ids, error);
  if (history == NULL)
    goto fail;
  for (guint i = 0; i < history->len; i++)
    {
      TpHubChange *c = g_ptr_array_index (history, i);
      TpHubChange *latest = g_hash_table_lookup (current, c->id);

      g_hash_table_insert (versions, g_strdup_printf ("%u:%s", c->version, c->id), c);
      if (latest == NULL || latest->version < c->version)
        g_hash_table_insert (current, c->id, c);
    }

  for (guint i = 0; i < lines->len; i++)
    {
      IngestLine *l = g_ptr_array_index (lines, i);
      g_autoptr(TpFeedReceipt) receipt = tp_feed_receipt_new ();
      g_autofree char *version_key = NULL;
      TpHubChange *stored;
      TpHubChange *latest;
      TpHubChange *change;

      receipt->line = l->line;
      receipt->id = g_strdup (l->id);
      if (l->entry == NULL)
        {
          receipt->status = TP_RECEIPT_REJECTED;
          receipt->reason = g_strdup (l->reason);
          g_ptr_array_add (receipts, g_steal_pointer (&receipt));
          continue;
        }
      receipt->version = l->entry->version;

      version_key = g_strdup_printf ("%u:%s", l->entry->version, l->entry->id);
      stored = g_hash_table_lookup (versions, version_key);
      if (stored != NULL)
        {
          if (strcmp (stored->json, l->json) == 0)
            {
              receipt->status = TP_RECEIPT_DUPLICATE;
              receipt->seq = stored->seq;
            }
          else
            {
              receipt->status = TP_RECEIPT_REJECTED;
              receipt->version = 0;
              receipt->reason = g_strdup_printf ("version: %u of %s is already stored with other content "
                                                 "(a change needs a new version)", l->entry->version, l->entry->id);
            }
          g_ptr_array_add (receipts, g_steal_pointer (&receipt));
          continue;
        }

      latest = g_hash_table_lookup (current, l->entry->id);
      if (latest != NULL && latest->version > l->entry->version)
        {
          receipt->status = TP_RECEIPT_REJECTED;
          receipt->version = 0;
          receipt->reason = g_strdup_printf ("version: %u is below the stored version %u (versions only go up)",
                                             l->entry->version, latest->version);
          g_ptr_array_add (receipts, g_steal_pointer (&receipt));
          continue;
        }

      state.seq++;
      change = tp_hub_change_new (state.seq, l->entry->id, l->entry->version,
                                  tp_agency_to_string (l->entry->agency), l->json);
      g_ptr_array_add (accepted, change);
      if (latest != NULL)
        {
          guint8 digest[TP_STATE_HASH_SIZE];

          tp_state_hash_digest_json (latest->json, strlen (latest->json), digest);
          tp_state_hash_remove_digest (&state.state_hash, digest);
        }
      else
        state.entries++;
      {
        guint8 digest[TP_STATE_HASH_SIZE];

        tp_state_hash_digest_json (l->json, strlen (l->json), digest);
        tp_state_hash_add_digest (&state.state_hash, digest);
      }
      g_hash_table_insert (versions, g_steal_pointer (&version_key), change);
      g_hash_table_insert (current, change->id, change);
      g_ptr_array_add (segment->changes, tp_feed_change_new (state.seq, l->json));
      receipt->status = TP_RECEIPT_ACCEPTED;
      receipt->seq = state.seq;
      receipt->warnings = g_strdupv (l->warnings);
      g_ptr_array_add (receipts, g_steal_pointer (&receipt));
    }

  if (segment->changes->len == 0)
    tp_hub_storage_rollback (hub->storage);
  else
    {
      segment->first_seq = first_seq;
      memcpy (segment->prev_hash, state.segment_hash, TP_FEED_HASH_SIZE);
      segment->state_hash = state.state_hash;
      segment->entries = state.entries;
      segment->issued_at = g_date_time_new_now_utc ();
      bytes = tp_feed_segment_build (segment, key, error);
      if (bytes == NULL)
        goto fail;
      state.segment_first_seq = first_seq;
      memcpy (state.segment_hash, segment->hash, TP_FEED_HASH_SIZE);
      if (!tp_hub_storage_put_changes (hub->storage, accepted, error) ||
          !tp_hub_storage_put_segment (hub->storage, first_seq, state.seq, segment->hash, bytes, error) ||
          !tp_hub_storage_set_state (hub->storage, &state, error) ||
          !tp_hub_storage_commit (hub->storage, error))
        goto fail;
      /* Durable: the head and the receipts may say so. A head that cannot
       * be signed now is signed at the next heartbeat. */
      if (!sign_head_locked (hub, NULL))
        g_warning ("the head could not be re-signed after seq %" G_GUINT64_FORMAT, state.seq);
    }
  g_mutex_unlock (&hub->write_lock);

  if (segment->changes->len > 0 && hub->commit_func != NULL)
    hub->commit_func (state.seq, hub->commit_data);

  for (guint i = 0; i < receipts->len; i++)
    append_receipt (answer, g_ptr_array_index (receipts, i));
  return 200;

fail:
  tp_hub_storage_rollback (hub->storage);
  g_mutex_unlock (&hub->write_lock);
  return 500;
}

/* Events */

static void
hub_event_free (TpHubEvent *event)
{
  g_free (event->json);
  g_free (event);
}

static gint64
unix_ms (GDateTime *t)
{
  return g_date_time_to_unix (t) * 1000 + g_date_time_get_microsecond (t) / 1000;
}

/* The terminal's hash-chained audit log travels with its events: each
 * event carries its record's place (audit.seq, audit.hash). Records only
 * ever follow one another, so an event whose place is at or below the
 * newest place this terminal's events already carried means the local log
 * lost its tail (truncated, or restored from a copy) and went on from
 * there. The event is kept; the break is stored for the airport's report
 * and said in the receipt. */
static gboolean
check_audit_position (TpHub                *hub,
                      const TpHubIdentity  *who,
                      TpFeedEvent          *event,
                      TpFeedReceipt        *receipt,
                      gint64               *head_seq,
                      char                **head_hash,
                      gboolean             *head_moved,
                      GError              **error)
{
  JsonNode *audit_node = json_object_get_member (json_node_get_object (event->node), "audit");
  JsonObject *audit;
  g_autoptr(JsonObject) record = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *json = NULL;
  g_autofree char *day = NULL;
  g_autofree char *detected = NULL;
  g_autofree char *message = NULL;
  const char *hash;
  gint64 seq;

  if (audit_node == NULL || !JSON_NODE_HOLDS_OBJECT (audit_node))
    return TRUE;
  audit = json_node_get_object (audit_node);
  seq = json_object_get_int_member (audit, "seq");
  hash = json_object_get_string_member (audit, "hash");
  if (*head_hash == NULL || seq > *head_seq)
    {
      *head_seq = seq;
      g_free (*head_hash);
      *head_hash = g_strdup (hash);
      *head_moved = TRUE;
      return TRUE;
    }

  message = g_strdup_printf ("audit: record %" G_GINT64_FORMAT " does not follow record %" G_GINT64_FORMAT
                             " (%.16s…), the newest this terminal's events carried: its audit log lost its tail"
                             " or was rewritten", seq, *head_seq, *head_hash);
  now = g_date_time_new_now_utc ();
  day = g_date_time_format (now, "%Y-%m-%d");
  detected = g_date_time_format_iso8601 (now);
  record = json_object_new ();
  json_object_set_string_member (record, "event", event->id);
  json_object_set_string_member (record, "terminal", who->name);
  json_object_set_string_member (record, "airport", who->airport);
  json_object_set_string_member (record, "checkpoint", who->checkpoint);
  json_object_set_int_member (record, "seq", seq);
  json_object_set_string_member (record, "hash", hash);
  json_object_set_int_member (record, "head_seq", *head_seq);
  json_object_set_string_member (record, "head_hash", *head_hash);
  json_object_set_string_member (record, "detected_at", detected);
  json_object_set_string_member (record, "reason", message);
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (node, record);
  json = tp_canonical_json (node, error);
  if (json == NULL ||
      !tp_hub_storage_put_audit_break (hub->storage, event->id, who->name, who->airport, day, json, error))
    return FALSE;

  g_strfreev (receipt->warnings);
  receipt->warnings = g_new0 (char *, 2);
  receipt->warnings[0] = g_steal_pointer (&message);
  return TRUE;
}

guint
tp_hub_ingest_events (TpHub                *hub,
                      const TpHubIdentity  *who,
                      const char           *body,
                      gsize                 length,
                      GString              *answer,
                      GPtrArray            *escalations,
                      GError              **error)
{
  g_autoptr(GPtrArray) raw_lines = NULL;
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) tp_feed_event_free);
  g_autoptr(GPtrArray) receipts = g_ptr_array_new_with_free_func ((GDestroyNotify) tp_feed_receipt_free);
  g_autoptr(GPtrArray) stored_escalations = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) hub_event_free);
  g_autofree char *head_hash = NULL;
  gint64 head_seq = 0;
  gboolean head_moved = FALSE;

  if (who->kind != TP_HUB_CLIENT_TERMINAL)
    {
      g_string_append (answer, "only a terminal certificate may send events\n");
      return 403;
    }
  if (length > TP_HUB_MAX_BODY)
    {
      g_string_append_printf (answer, "body of %" G_GSIZE_FORMAT " bytes, at most %d\n", length, TP_HUB_MAX_BODY);
      return 413;
    }
  raw_lines = split_lines (body, length);
  if (raw_lines->len > TP_HUB_MAX_LINES)
    {
      g_string_append_printf (answer, "%u lines, at most %d per request\n", raw_lines->len, TP_HUB_MAX_LINES);
      return 413;
    }

  for (guint i = 0; i < raw_lines->len; i++)
    {
      g_autoptr(GError) local_error = NULL;
      gsize len;
      const char *text = g_bytes_get_data (g_ptr_array_index (raw_lines, i), &len);
      TpFeedEvent *event = tp_feed_event_parse (text != NULL ? text : "", len, &local_error);
      TpFeedReceipt *receipt = tp_feed_receipt_new ();

      receipt->line = i + 1;
      if (event == NULL)
        {
          g_autoptr(JsonNode) root = tp_json_parse_object_line (text != NULL ? text : "", (gssize) len, "event", NULL);

          receipt->status = TP_RECEIPT_REJECTED;
          receipt->reason = g_strdup (local_error->message);
          if (root != NULL)
            {
              JsonNode *id = json_object_get_member (json_node_get_object (root), "id");

              if (id != NULL && JSON_NODE_HOLDS_VALUE (id) && json_node_get_value_type (id) == G_TYPE_STRING &&
                  g_utf8_validate (json_node_get_string (id), -1, NULL) && strlen (json_node_get_string (id)) <= 64)
                receipt->id = g_strdup (json_node_get_string (id));
            }
        }
      else
        {
          tp_feed_event_stamp (event, who->name, who->airport, who->checkpoint);
          receipt->id = g_strdup (event->id);
        }
      g_ptr_array_add (events, event);
      g_ptr_array_add (receipts, receipt);
    }

  for (guint i = 0; i < events->len; i++)
    {
      TpFeedEvent *event = g_ptr_array_index (events, i);
      TpHubEvent *stored;

      if (event == NULL)
        continue;
      stored = g_new0 (TpHubEvent, 1);
      stored->id = event->id;
      stored->terminal = who->name;
      stored->airport = who->airport;
      stored->type = tp_event_type_to_string (event->type);
      stored->at_ms = unix_ms (event->at);
      stored->json = tp_feed_event_to_json (event);
      g_ptr_array_add (rows, stored);
    }

  g_mutex_lock (&hub->write_lock);
  if (!tp_hub_storage_begin (hub->storage, TRUE, error) ||
      !tp_hub_storage_put_events (hub->storage, rows, error) ||
      !tp_hub_storage_get_audit_head (hub->storage, who->name, &head_seq, &head_hash, error))
    goto fail;
  for (guint i = 0, r = 0; i < events->len; i++)
    {
      TpFeedEvent *event = g_ptr_array_index (events, i);
      TpFeedReceipt *receipt = g_ptr_array_index (receipts, i);
      TpHubEvent *stored;

      if (event == NULL)
        continue;
      stored = g_ptr_array_index (rows, r++);
      receipt->status = stored->stored ? TP_RECEIPT_ACCEPTED : TP_RECEIPT_DUPLICATE;
      if (stored->stored && event->type == TP_EVENT_ESCALATION)
        g_ptr_array_add (stored_escalations, g_strdup (stored->json));
      if (stored->stored && !check_audit_position (hub, who, event, receipt, &head_seq, &head_hash, &head_moved, error))
        goto fail;
    }
  if ((head_moved && !tp_hub_storage_set_audit_head (hub->storage, who->name, head_seq, head_hash, error)) ||
      !tp_hub_storage_commit (hub->storage, error))
    goto fail;
  g_mutex_unlock (&hub->write_lock);

  if (escalations != NULL)
    for (guint i = 0; i < stored_escalations->len; i++)
      g_ptr_array_add (escalations, g_strdup (g_ptr_array_index (stored_escalations, i)));
  for (guint i = 0; i < receipts->len; i++)
    append_receipt (answer, g_ptr_array_index (receipts, i));
  return 200;

fail:
  tp_hub_storage_rollback (hub->storage);
  g_mutex_unlock (&hub->write_lock);
  return 500;
}

gboolean
tp_hub_foreach_event (TpHub         *hub,
                      const char    *after_id,
                      TpHubRowFunc   func,
                      gpointer       user_data,
                      GError       **error)
{
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&hub->write_lock);

  if (after_id != NULL)
    {
      gboolean found = FALSE;

      if (!tp_hub_storage_has_event (hub->storage, after_id, &found, error))
        return FALSE;
      if (!found)
        {
          g_set_error (error, TP_ERROR, TP_ERROR_INVALID_ARGUMENT, "--after: no stored event has the id “%s”", after_id);
          return FALSE;
        }
    }
  return tp_hub_storage_foreach_event (hub->storage, after_id, func, user_data, error);
}

/* Reconciliation */

static char *
digest_of_ids (GPtrArray *ids)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);

  for (guint i = 0; i < ids->len; i++)
    {
      const char *id = g_ptr_array_index (ids, i);

      g_checksum_update (checksum, (const guchar *) id, (gssize) strlen (id));
      g_checksum_update (checksum, (const guchar *) "\n", 1);
    }
  return g_strdup (g_checksum_get_string (checksum));
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static JsonNode *
strings_node (GPtrArray *strings)
{
  JsonArray *array = json_array_new ();
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);

  for (guint i = 0; i < strings->len; i++)
    json_array_add_string_element (array, g_ptr_array_index (strings, i));
  json_node_take_array (node, array);
  return node;
}

guint
tp_hub_reconcile (TpHub                *hub,
                  const TpHubIdentity  *who,
                  const char           *body,
                  gsize                 length,
                  GString              *answer,
                  GError              **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GDateTime) opened = NULL;
  g_autoptr(GDateTime) closed = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) lacks = g_ptr_array_new ();
  g_autoptr(GPtrArray) extra = g_ptr_array_new ();
  g_autoptr(GPtrArray) held = NULL;
  g_autoptr(GHashTable) listed = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(JsonObject) result = json_object_new ();
  g_autoptr(JsonObject) record = NULL;
  g_autoptr(JsonNode) result_node = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *digest = NULL;
  g_autofree char *result_json = NULL;
  g_autofree char *record_json = NULL;
  g_autofree char *day = NULL;
  JsonObject *object;
  JsonNode *node;
  const char *shift;
  const char *given_digest;
  const char *when;
  const char *terminal_audit_hash = NULL;
  gint64 terminal_audit_seq = 0;
  g_autofree char *hub_audit_hash = NULL;
  g_autofree char *audit_break = NULL;
  gint64 hub_audit_seq = 0;

  if (who->kind != TP_HUB_CLIENT_TERMINAL)
    {
      g_string_append (answer, "only a terminal certificate may reconcile a shift\n");
      return 403;
    }
  if (length > TP_HUB_MAX_BODY)
    {
      g_string_append (answer, "body too large\n");
      return 413;
    }
  /* one object, possibly long (all the shift's event ids), checked as
   * a line is before json-glib sees it */
  root = tp_json_parse_object (body, (gssize) length, TP_HUB_MAX_BODY, "reconcile", &local_error);
  if (root == NULL)
    {
      g_string_append_printf (answer, "%s\n", local_error->message);
      return 400;
    }
  object = json_node_get_object (root);

#define BAD(...) G_STMT_START { g_string_append_printf (answer, __VA_ARGS__); g_string_append_c (answer, '\n'); return 400; } G_STMT_END
  shift = json_object_get_string_member_with_default (object, "shift", NULL);
  if (shift == NULL || shift[0] == '\0' || strlen (shift) > 64)
    BAD ("reconcile.shift: missing, empty or longer than 64 characters");
  when = json_object_get_string_member_with_default (object, "opened_at", "");
  opened = tp_feed_parse_time (when);
  when = json_object_get_string_member_with_default (object, "closed_at", "");
  closed = tp_feed_parse_time (when);
  if (opened == NULL || closed == NULL || g_date_time_compare (closed, opened) < 0)
    BAD ("reconcile.opened_at, closed_at: two RFC 3339 times, closed_at not before opened_at");
  node = json_object_get_member (object, "event_ids");
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    BAD ("reconcile.event_ids: missing (an array of the shift's event ids)");
  for (guint i = 0; i < json_array_get_length (json_node_get_array (node)); i++)
    {
      JsonNode *e = json_array_get_element (json_node_get_array (node), i);

      if (!JSON_NODE_HOLDS_VALUE (e) || json_node_get_value_type (e) != G_TYPE_STRING ||
          !tp_feed_is_uuid (json_node_get_string (e)))
        BAD ("reconcile.event_ids[%u]: not a UUID", i);
      g_ptr_array_add (ids, g_strdup (json_node_get_string (e)));
    }
  g_ptr_array_sort (ids, compare_strings);
  digest = digest_of_ids (ids);
  given_digest = json_object_get_string_member_with_default (object, "digest", "");
  if (g_ascii_strcasecmp (given_digest, digest) != 0)
    BAD ("reconcile.digest: does not match event_ids (SHA-256 of the sorted ids, each followed by a newline)");
  node = json_object_get_member (object, "audit");
  if (node != NULL)
    {
      JsonObject *audit = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      JsonNode *seq = audit != NULL ? json_object_get_member (audit, "seq") : NULL;
      JsonNode *hash = audit != NULL ? json_object_get_member (audit, "hash") : NULL;
      guint8 raw[TP_FEED_HASH_SIZE];

      if (seq == NULL || !JSON_NODE_HOLDS_VALUE (seq) || json_node_get_value_type (seq) != G_TYPE_INT64 ||
          json_node_get_int (seq) < 1 ||
          hash == NULL || !JSON_NODE_HOLDS_VALUE (hash) || json_node_get_value_type (hash) != G_TYPE_STRING ||
          strlen (json_node_get_string (hash)) != 2 * TP_FEED_HASH_SIZE ||
          !tp_feed_unhex (json_node_get_string (hash), raw, TP_FEED_HASH_SIZE))
        BAD ("reconcile.audit: expected {\"seq\": N, \"hash\": \"<64 hex>\"} (the terminal's audit chain head)");
      terminal_audit_seq = json_node_get_int (seq);
      terminal_audit_hash = json_node_get_string (hash);
    }
#undef BAD

  g_mutex_lock (&hub->write_lock);
  for (guint i = 0; i < ids->len; i++)
    {
      gboolean found = FALSE;

      g_hash_table_add (listed, g_ptr_array_index (ids, i));
      if (!tp_hub_storage_has_event (hub->storage, g_ptr_array_index (ids, i), &found, error))
        goto fail;
      if (!found)
        g_ptr_array_add (lacks, g_ptr_array_index (ids, i));
    }
  held = tp_hub_storage_list_event_ids (hub->storage, who->name, unix_ms (opened), unix_ms (closed) + 1, error);
  if (held == NULL ||
      !tp_hub_storage_get_audit_head (hub->storage, who->name, &hub_audit_seq, &hub_audit_hash, error))
    goto fail;
  /* The terminal's audit chain may only have grown since its events
   * carried their places; a head below the newest place the hub holds, or
   * at it with another hash, is a log that lost its tail. */
  if (terminal_audit_hash != NULL && hub_audit_hash != NULL &&
      (terminal_audit_seq < hub_audit_seq ||
       (terminal_audit_seq == hub_audit_seq && g_ascii_strcasecmp (terminal_audit_hash, hub_audit_hash) != 0)))
    audit_break = g_strdup_printf ("audit: the terminal's audit chain ends at record %" G_GINT64_FORMAT
                                   " but its events already carried record %" G_GINT64_FORMAT " (%.16s…):"
                                   " its audit log lost its tail or was rewritten",
                                   terminal_audit_seq, hub_audit_seq, hub_audit_hash);
  for (guint i = 0; i < held->len; i++)
    if (!g_hash_table_contains (listed, g_ptr_array_index (held, i)))
      g_ptr_array_add (extra, g_ptr_array_index (held, i));

  json_object_set_string_member (result, "shift", shift);
  json_object_set_string_member (result, "status",
                                 lacks->len == 0 && extra->len == 0 && audit_break == NULL ? "ok" : "discrepancy");
  json_object_set_member (result, "hub_lacks", strings_node (lacks));
  json_object_set_member (result, "hub_extra", strings_node (extra));
  json_object_set_int_member (result, "events", ids->len);
  if (terminal_audit_hash != NULL)
    {
      g_autoptr(JsonObject) audit = json_object_new ();

      json_object_set_int_member (audit, "seq", hub_audit_seq);
      if (hub_audit_hash != NULL)
        json_object_set_string_member (audit, "hash", hub_audit_hash);
      else
        json_object_set_null_member (audit, "hash");
      json_object_set_string_member (audit, "status", audit_break != NULL ? "break" : "ok");
      if (audit_break != NULL)
        json_object_set_string_member (audit, "reason", audit_break);
      json_object_set_object_member (result, "audit", g_steal_pointer (&audit));
    }
  {
    g_autoptr(GPtrArray) held_listed = g_ptr_array_new ();
    g_autoptr(GHashTable) lacking = g_hash_table_new (g_str_hash, g_str_equal);
    g_autofree char *hub_digest = NULL;

    for (guint i = 0; i < lacks->len; i++)
      g_hash_table_add (lacking, g_ptr_array_index (lacks, i));
    for (guint i = 0; i < ids->len; i++)
      if (!g_hash_table_contains (lacking, g_ptr_array_index (ids, i)))
        g_ptr_array_add (held_listed, g_ptr_array_index (ids, i));
    hub_digest = digest_of_ids (held_listed);
    json_object_set_string_member (result, "digest", hub_digest);
  }
  json_node_set_object (result_node, result);
  result_json = tp_canonical_json (result_node, NULL);

  record = json_object_ref (result);
  json_object_set_string_member (record, "terminal", who->name);
  json_object_set_string_member (record, "airport", who->airport);
  json_object_set_string_member (record, "checkpoint", who->checkpoint);
  json_object_set_string_member (record, "opened_at", json_object_get_string_member (object, "opened_at"));
  json_object_set_string_member (record, "closed_at", json_object_get_string_member (object, "closed_at"));
  if (json_object_has_member (object, "list_seq"))
    json_object_set_member (record, "list_seq", json_node_copy (json_object_get_member (object, "list_seq")));
  if (json_object_has_member (object, "counts"))
    json_object_set_member (record, "counts", json_node_copy (json_object_get_member (object, "counts")));
  record_json = tp_canonical_json (result_node, &local_error);
  if (record_json == NULL)
    {
      g_mutex_unlock (&hub->write_lock);
      g_string_append_printf (answer, "reconcile: %s\n", local_error->message);
      return 400;
    }
  day = g_date_time_format (opened, "%Y-%m-%d");
  {
    g_autoptr(GDateTime) utc = g_date_time_to_utc (opened);

    g_free (day);
    day = g_date_time_format (utc, "%Y-%m-%d");
  }
  if (!tp_hub_storage_begin (hub->storage, TRUE, error) ||
      !tp_hub_storage_put_shift (hub->storage, who->name, shift, who->airport, day, record_json, error) ||
      !tp_hub_storage_commit (hub->storage, error))
    goto fail;
  g_mutex_unlock (&hub->write_lock);

  g_string_append (answer, result_json);
  g_string_append_c (answer, '\n');
  return 200;

fail:
  tp_hub_storage_rollback (hub->storage);
  g_mutex_unlock (&hub->write_lock);
  return 500;
}

typedef struct {
  JsonArray *shifts;
  guint      discrepancies;
  GHashTable *terminals;
  JsonArray *breaks;
} ReportData;

/* An audit break is a discrepancy of its terminal's day */
static gboolean
add_audit_break (const char  *json,
                 gpointer     user_data,
                 GError     **error)
{
  ReportData *data = user_data;
  g_autoptr(JsonNode) node = json_from_string (json, error);
  JsonObject *object;

  if (node == NULL)
    return FALSE;
  object = json_node_get_object (node);
  data->discrepancies++;
  g_hash_table_add (data->terminals, g_strdup (json_object_get_string_member_with_default (object, "terminal", "")));
  json_array_add_object_element (data->breaks, json_object_ref (object));
  return TRUE;
}

static gboolean
add_shift (const char  *json,
           gpointer     user_data,
           GError     **error)
{
  ReportData *data = user_data;
  g_autoptr(JsonNode) node = json_from_string (json, error);
  JsonObject *object;

  if (node == NULL)
    return FALSE;
  object = json_node_get_object (node);
  if (g_strcmp0 (json_object_get_string_member_with_default (object, "status", ""), "ok") != 0)
    data->discrepancies++;
  g_hash_table_add (data->terminals, g_strdup (json_object_get_string_member_with_default (object, "terminal", "")));
  json_array_add_object_element (data->shifts, json_object_ref (object));
  return TRUE;
}

JsonObject *
tp_hub_report (TpHub       *hub,
               const char  *day,
               const char  *airport,
               GError     **error)
{
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&hub->write_lock);
  g_autoptr(JsonObject) result = json_object_new ();
  g_autoptr(GHashTable) terminals = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  ReportData data = { json_array_new (), 0, terminals, json_array_new () };

  json_object_set_string_member (result, "day", day);
  json_object_set_string_member (result, "airport", airport);
  json_object_set_array_member (result, "shifts", data.shifts);
  if (!tp_hub_storage_foreach_shift (hub->storage, airport, day, add_shift, &data, error))
    return NULL;
  json_object_set_array_member (result, "audit_breaks", data.breaks);
  if (!tp_hub_storage_foreach_audit_break (hub->storage, airport, day, add_audit_break, &data, error))
    return NULL;
  json_object_set_int_member (result, "terminals", g_hash_table_size (terminals));
  json_object_set_int_member (result, "discrepancies", data.discrepancies);
  return g_steal_pointer (&result);
}

/* Snapshots */

gboolean
tp_hub_snapshot_is_due (TpHub *hub)
{
  TpHubState state;
  g_autoptr(GArray) snapshots = NULL;
  guint64 newest = 0;
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&hub->write_lock);

  if (!tp_hub_storage_get_state (hub->storage, &state, NULL))
    return FALSE;
  snapshots = tp_hub_storage_list_snapshots (hub->storage, NULL);
  if (snapshots == NULL)
    return FALSE;
  if (snapshots->len > 0)
    newest = g_array_index (snapshots, TpHubSnapshotInfo, 0).seq;
  return state.seq > newest && state.seq - newest >= hub->options.snapshot_every;
}

static gboolean
write_entry (const char  *json,
             gpointer     user_data,
             GError     **error)
{
  return tp_feed_snapshot_writer_add (user_data, json, error);
}

gboolean
tp_hub_snapshot_if_due (TpHub     *hub,
                        gboolean   force,
                        gboolean  *made,
                        GError   **error)
{
  G_GNUC_UNUSED g_autoptr(GMutexLocker) one = g_mutex_locker_new (&hub->snapshot_lock);
  g_autoptr(TpHubStorage) reader = NULL;
  g_autoptr(TpFeedSnapshotWriter) writer = NULL;
  g_autoptr(TpFeedKey) key = NULL;
  g_autoptr(GArray) snapshots = NULL;
  g_auto(TpFeedSnapshotHeader) header = { 0 };
  g_autofree char *dir = tp_hub_dir_get_snapshot_dir (hub->dir);
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;
  TpHubSnapshotInfo info = { 0 };
  TpHubState state;

  *made = FALSE;
  if (!force && !tp_hub_snapshot_is_due (hub))
    return TRUE;
  key = tp_hub_dir_get_active_key (hub->dir, error);
  if (key == NULL)
    return FALSE;

  /* A reader of its own sees one consistent state while ingestion goes on. */
  reader = tp_hub_storage_open_another (hub->storage, error);
  if (reader == NULL || !tp_hub_storage_begin (reader, FALSE, error))
    return FALSE;
  if (!tp_hub_storage_get_state (reader, &state, error))
    goto fail;
  if (state.seq == 0)
    {
      tp_hub_storage_rollback (reader);
      return TRUE;
    }
  name = g_strdup_printf ("%" G_GUINT64_FORMAT ".jsonl.gz", state.seq);
  path = g_build_filename (dir, name, NULL);
  writer = tp_feed_snapshot_writer_new (path, error);
  if (writer == NULL || !tp_hub_storage_foreach_current (reader, write_entry, writer, error))
    goto fail;
  tp_hub_storage_rollback (reader);

  header.seq = state.seq;
  memcpy (header.segment_hash, state.segment_hash, TP_FEED_HASH_SIZE);
  header.issued_at = g_date_time_new_now_utc ();
  if (!tp_feed_snapshot_writer_finish (writer, &header, key, info.sha256, &info.size, error))
    return FALSE;
  if (!tp_state_hash_equal (&header.state_hash, &state.state_hash) || header.entries != state.entries)
    {
      g_unlink (path);
      g_set_error (error, TP_ERROR, TP_ERROR_FAILED,
                   "snapshot at seq %" G_GUINT64_FORMAT ": the entries do not add up to the stored state hash",
                   state.seq);
      return FALSE;
    }
  info.seq = state.seq;

  g_mutex_lock (&hub->write_lock);
  if (!tp_hub_storage_begin (hub->storage, TRUE, error) ||
      !tp_hub_storage_put_snapshot (hub->storage, &info, error))
    goto fail_locked;
  snapshots = tp_hub_storage_list_snapshots (hub->storage, error);
  if (snapshots == NULL)
    goto fail_locked;
  for (guint i = hub->options.snapshot_keep; i < snapshots->len; i++)
    if (!tp_hub_storage_delete_snapshot (hub->storage, g_array_index (snapshots, TpHubSnapshotInfo, i).seq, error))
      goto fail_locked;
  if (!tp_hub_storage_commit (hub->storage, error))
    goto fail_locked;
  for (guint i = hub->options.snapshot_keep; i < snapshots->len; i++)
    {
      g_autofree char *old = g_strdup_printf ("%" G_GUINT64_FORMAT ".jsonl.gz",
                                              g_array_index (snapshots, TpHubSnapshotInfo, i).seq);
      g_autofree char *old_path = g_build_filename (dir, old, NULL);

      g_unlink (old_path);
    }
  if (!sign_head_locked (hub, error))
    {
      g_mutex_unlock (&hub->write_lock);
      return FALSE;
    }
  g_mutex_unlock (&hub->write_lock);
  *made = TRUE;
  return TRUE;

fail_locked:
  tp_hub_storage_rollback (hub->storage);
  g_mutex_unlock (&hub->write_lock);
  return FALSE;

fail:
  tp_hub_storage_rollback (reader);
  return FALSE;
}

/* Export */

/* Puts @data at @path unless the same bytes are there: *written tells
 * which; other bytes there are an error (a mirror of another feed). */
static gboolean
put_immutable (const char  *path,
               const char  *data,
               gsize        length,
               gboolean    *written,
               GError     **error)
{
  g_autofree char *existing = NULL;
  gsize existing_len;

  *written = FALSE;
  if (g_file_get_contents (path, &existing, &existing_len, NULL))
    {
      if (existing_len == length && memcmp (existing, data, length) == 0)
        return TRUE;
      g_set_error (error, TP_ERROR, TP_ERROR_INVALID_ARGUMENT,
                   "%s differs from this hub's file of that name: the mirror holds another feed", path);
      return FALSE;
    }
  *written = TRUE;
  return tp_hub_replace_file (path, data, length, 0644, error);
}

/* The mirror's current head, if any, must be this hub's and not ahead. */
static gboolean
check_mirror_head (TpHub        *hub,
                   const char   *head_path,
                   guint64       seq,
                   GError      **error)
{
  g_autofree char *text = NULL;
  gsize len;
  g_autoptr(TpFeedHead) head = NULL;
  g_autoptr(TpFeedKeyring) ring = NULL;
  g_autoptr(GError) local_error = NULL;

  if (!g_file_get_contents (head_path, &text, &len, NULL))
    return TRUE;
  ring = tp_hub_dir_get_keyring (hub->dir);
  head = tp_feed_head_parse (text, len, &local_error);
  if (head == NULL || !tp_feed_head_verify (head, ring, &local_error))
    {
      g_set_error (error, TP_ERROR, TP_ERROR_INVALID_ARGUMENT,
                   "%s is not a head of this hub (%s): not overwritten", head_path, local_error->message);
      return FALSE;
    }
  if (head->seq > seq)
    {
      g_set_error (error, TP_ERROR, TP_ERROR_INVALID_ARGUMENT,
                   "%s is at seq %" G_GUINT64_FORMAT ", ahead of this hub's %" G_GUINT64_FORMAT
                   " (a restored hub?): not overwritten", head_path, head->seq, seq);
      return FALSE;
    }
  return TRUE;
}

JsonObject *
tp_hub_export_feed (TpHub       *hub,
                    const char  *out,
                    GError     **error)
{
  g_autofree char *segments_dir = g_build_filename (out, "segments", NULL);
  g_autofree char *snapshots_dir = g_build_filename (out, "snapshots", NULL);
  g_autofree char *head_path = g_build_filename (out, "head", NULL);
  g_autofree char *source_dir = tp_hub_dir_get_snapshot_dir (hub->dir);
  g_autoptr(GArray) firsts = NULL;
  g_autoptr(GArray) snapshots = NULL;
  g_autoptr(GBytes) head = NULL;
  g_autoptr(JsonObject) result = json_object_new ();
  g_autoptr(GHashTable) keep = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GArray) copied = g_array_new (FALSE, TRUE, sizeof (TpHubSnapshotInfo));
  g_autoptr(GDir) listing = NULL;
  TpHubState state;
  gsize len;
  const char *data;
  const char *name;
  guint written_segments = 0;
  guint written_snapshots = 0;
  guint removed = 0;

  if (g_mkdir_with_parents (segments_dir, 0755) != 0 || g_mkdir_with_parents (snapshots_dir, 0755) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: cannot create the feed's folders", out);
      return NULL;
    }

  /* One consistent state: the writer's lock, one transaction. Immutable
   * files first, the head last, so a mirror never names what it lacks. */
  g_mutex_lock (&hub->write_lock);
  if (!tp_hub_storage_begin (hub->storage, FALSE, error) ||
      !tp_hub_storage_get_state (hub->storage, &state, error) ||
      !check_mirror_head (hub, head_path, state.seq, error) ||
      (firsts = tp_hub_storage_list_segments (hub->storage, error)) == NULL ||
      (snapshots = tp_hub_storage_list_snapshots (hub->storage, error)) == NULL)
    goto fail;
  for (guint i = 0; i < firsts->len; i++)
    {
      guint64 first = g_array_index (firsts, guint64, i);
      g_autoptr(GBytes) segment = tp_hub_storage_get_segment (hub->storage, first, error);
      g_autofree char *file = g_strdup_printf ("%" G_GUINT64_FORMAT, first);
      g_autofree char *path = g_build_filename (segments_dir, file, NULL);
      gboolean written;

      if (segment == NULL)
        goto fail;
      data = g_bytes_get_data (segment, &len);
      if (!put_immutable (path, data, len, &written, error))
        goto fail;
      written_segments += written;
    }
  for (guint i = 0; i < snapshots->len; i++)
    {
      g_autofree char *file = g_strdup_printf ("%" G_GUINT64_FORMAT ".jsonl.gz",
                                               g_array_index (snapshots, TpHubSnapshotInfo, i).seq);
      g_autofree char *from = g_build_filename (source_dir, file, NULL);
      g_autofree char *to = g_build_filename (snapshots_dir, file, NULL);
      g_autoptr(GMappedFile) mapped = NULL;
      g_autoptr(GError) local_error = NULL;
      gboolean written;

      /* the serving hub may have dropped it since this transaction began */
      mapped = g_mapped_file_new (from, FALSE, &local_error);
      if (mapped == NULL && g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        continue;
      if (mapped == NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          goto fail;
        }
      if (!put_immutable (to, g_mapped_file_get_contents (mapped), g_mapped_file_get_length (mapped), &written, error))
        goto fail;
      written_snapshots += written;
      g_array_append_val (copied, g_array_index (snapshots, TpHubSnapshotInfo, i));
      g_hash_table_add (keep, g_steal_pointer (&file));
    }
  if (!build_head (hub, &state, copied, &head, error))
    goto fail;
  tp_hub_storage_rollback (hub->storage);
  g_mutex_unlock (&hub->write_lock);

  data = g_bytes_get_data (head, &len);
  if (!tp_hub_replace_file (head_path, data, len, 0644, error))
    return NULL;
  /* snapshots the hub no longer keeps go, after the new head */
  listing = g_dir_open (snapshots_dir, 0, error);
  if (listing == NULL)
    return NULL;
  while ((name = g_dir_read_name (listing)) != NULL)
    if (g_str_has_suffix (name, ".jsonl.gz") && !g_hash_table_contains (keep, name))
      {
        g_autofree char *path = g_build_filename (snapshots_dir, name, NULL);

        removed += g_unlink (path) == 0;
      }

  json_object_set_string_member (result, "out", out);
  json_object_set_int_member (result, "seq", (gint64) state.seq);
  json_object_set_int_member (result, "segments", firsts->len);
  json_object_set_int_member (result, "segments_written", written_segments);
  json_object_set_int_member (result, "snapshots", copied->len);
  json_object_set_int_member (result, "snapshots_written", written_snapshots);
  json_object_set_int_member (result, "snapshots_removed", removed);
  return g_steal_pointer (&result);

fail:
  tp_hub_storage_rollback (hub->storage);
  g_mutex_unlock (&hub->write_lock);
  return NULL;
}
