/* tp-sync-apply.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gstdio.h>

#include "tp-feed-segment.h"
#include "tp-feed-snapshot.h"
#include "tp-feed-util.h"
#include "tp-sync-apply.h"

G_DEFINE_QUARK (tp-sync-error-quark, tp_sync_error)

static const char zeros[TP_FEED_HASH_HEX_LEN + 1] =
  "0000000000000000000000000000000000000000000000000000000000000000";

gboolean
tp_sync_error_wants_snapshot (const GError *error)
{
  return error != NULL && g_error_matches (error, TP_SYNC_ERROR, TP_SYNC_ERROR_CHAIN);
}

gboolean
tp_sync_read_status (TpStore       *store,
                     TpSyncStatus  *out,
                     GError       **error)
{
  TpFeedPosition position = { 0, };
  TpStateHash hash;
  TpOutboxCounts counts;

  g_return_val_if_fail (TP_IS_STORE (store), FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  memset (out, 0, sizeof *out);
  if (!tp_store_get_feed_position (store, &position, error) ||
      !tp_store_get_list_state (store, &hash, &out->entries, error) ||
      !tp_store_outbox_get_counts (store, &counts, error))
    {
      tp_feed_position_clear (&position);
      return FALSE;
    }
  out->seq = position.sequence;
  tp_state_hash_to_hex_buf (&hash, out->state_hash);
  out->head_seq = MAX (position.head_seq, position.sequence);
  out->head_issued_at = position.head_issued_at;
  out->head_expires_at = position.head_expires_at;
  out->outbox_pending = counts.pending;
  out->outbox_rejected = counts.rejected;
  tp_feed_position_clear (&position);
  return TRUE;
}

static gint64
unix_of (GDateTime *time)
{
  return time != NULL ? g_date_time_to_unix (time) : 0;
}

static char *
head_hash (const TpFeedHead *head)
{
  return tp_feed_sha256_hex (head->signed_bytes, strlen (head->signed_bytes));
}

/* The position after following @head to @seq with chain @chain: the head's
 * times when it is newer than the ones recorded, and the newest head seq
 * ever accepted (never lowered). */
static void
position_for (TpFeedPosition       *out,
              const TpFeedPosition *stored,
              const TpFeedHead     *head,
              gint64                seq,
              const char           *chain)
{
  memset (out, 0, sizeof *out);
  out->sequence = seq;
  out->chain = g_strdup (chain);
  out->head_seq = MAX (MAX (stored->head_seq, stored->sequence), (gint64) head->seq);
  if (unix_of (head->issued_at) >= stored->head_issued_at)
    {
      out->head_hash = head_hash (head);
      out->head_issued_at = unix_of (head->issued_at);
      out->head_expires_at = unix_of (head->expires_at);
    }
  else
    {
      out->head_hash = g_strdup (stored->head_hash);
      out->head_issued_at = stored->head_issued_at;
      out->head_expires_at = stored->head_expires_at;
    }
}

static gboolean
refuse (GError     **error,
        TpSyncError  code,
        const char  *format,
        ...) G_GNUC_PRINTF (3, 4);

static gboolean
refuse (GError     **error,
        TpSyncError  code,
        const char  *format,
        ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, TP_SYNC_ERROR, code, message);
  return FALSE;
}

gboolean
tp_sync_check_head (TpStore            *store,
                    TpFeedKeyring      *keys,
                    const char         *data,
                    gsize               length,
                    TpFeedHead        **out_head,
                    TpSyncHeadStatus   *out_status,
                    GError            **error)
{
  g_autoptr(TpFeedHead) head = NULL;
  g_autoptr(GError) local_error = NULL;
  TpFeedPosition stored = { 0, };
  TpStateHash state;
  gint64 newest;
  gboolean ok = FALSE;

  g_return_val_if_fail (TP_IS_STORE (store), FALSE);
  g_return_val_if_fail (keys != NULL && out_head != NULL && out_status != NULL, FALSE);

  head = tp_feed_head_parse (data, length, &local_error);
  if (head == NULL || !tp_feed_head_verify (head, keys, &local_error))
    return refuse (error, TP_SYNC_ERROR_REFUSED, "Feed head refused: %s", local_error->message);

  if (!tp_store_get_feed_position (store, &stored, error) ||
      !tp_store_get_list_state (store, &state, NULL, error))
    goto out;

  newest = MAX (stored.head_seq, stored.sequence);
  if ((gint64) head->seq < newest)
    {
      refuse (error, TP_SYNC_ERROR_REFUSED,
              "Feed head refused: it is at change %" G_GUINT64_FORMAT ", below change %" G_GINT64_FORMAT
              " that this terminal already has (an older head replayed, or a feed rolled back)",
              head->seq, newest);
      goto out;
    }
  if ((gint64) head->seq == stored.sequence)
    {
      g_autofree char *chain = head->has_segment ? tp_feed_hex (head->segment_hash, TP_FEED_HASH_SIZE)
                                                 : g_strdup (zeros);

      if (!tp_state_hash_equal (&state, &head->state_hash) ||
          (stored.sequence > 0 && g_strcmp0 (stored.chain, chain) != 0))
        {
          g_autofree char *mine = tp_state_hash_to_hex (&state);
          g_autofree char *theirs = tp_state_hash_to_hex (&head->state_hash);

          refuse (error, TP_SYNC_ERROR_REFUSED,
                  "Feed head refused: at change %" G_GUINT64_FORMAT " it names state %s (segment %s), "
                  "where this terminal's list is %s (segment %s): two different feeds at the same point",
                  head->seq, theirs, chain, mine, stored.chain ? stored.chain : zeros);
          goto out;
        }
      /* current: only the head's times (a newer heartbeat) may change */
      if (unix_of (head->issued_at) > stored.head_issued_at || (gint64) head->seq > stored.head_seq)
        {
          TpFeedPosition position;

          position_for (&position, &stored, head, stored.sequence, stored.chain);
          ok = tp_store_set_feed_position (store, &position, error);
          tp_feed_position_clear (&position);
          if (!ok)
            goto out;
        }
      *out_status = TP_SYNC_HEAD_CURRENT;
    }
  else
    *out_status = TP_SYNC_HEAD_BEHIND;

  *out_head = g_steal_pointer (&head);
  ok = TRUE;

out:
  tp_feed_position_clear (&stored);
  return ok;
}

gboolean
tp_sync_apply_segment (TpStore           *store,
                       TpFeedKeyring     *keys,
                       const TpFeedHead  *head,
                       const guint8      *data,
                       gsize              length,
                       guint64           *out_applied,
                       GError           **error)
{
  g_autoptr(TpFeedSegment) segment = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autofree char *prev = NULL;
  g_autofree char *hash = NULL;
  TpFeedPosition stored = { 0, };
  TpFeedPosition position = { 0, };
  TpStoreBatchResult result = { 0, };
  gboolean ok = FALSE;

  g_return_val_if_fail (TP_IS_STORE (store), FALSE);
  g_return_val_if_fail (keys != NULL && head != NULL, FALSE);

  segment = tp_feed_segment_parse (data, length, &local_error);
  if (segment == NULL || !tp_feed_segment_verify (segment, keys, &local_error))
    return refuse (error, TP_SYNC_ERROR_REFUSED, "Feed segment refused: %s", local_error->message);

  if (!tp_store_get_feed_position (store, &stored, error))
    return FALSE;
  prev = tp_feed_hex (segment->prev_hash, TP_FEED_HASH_SIZE);
  hash = tp_feed_hex (segment->hash, TP_FEED_HASH_SIZE);
  if ((gint64) segment->first_seq != stored.sequence + 1 ||
      strcmp (prev, stored.chain != NULL ? stored.chain : zeros) != 0)
    {
      refuse (error, TP_SYNC_ERROR_CHAIN,
              "Feed segment %" G_GUINT64_FORMAT "–%" G_GUINT64_FORMAT " does not continue this terminal's "
              "list (at change %" G_GINT64_FORMAT ", segment %s): it follows segment %s",
              segment->first_seq, segment->last_seq, stored.sequence,
              stored.chain != NULL ? stored.chain : zeros, prev);
      goto out;
    }
  if (segment->last_seq == head->seq &&
      (!head->has_segment || memcmp (segment->hash, head->segment_hash, TP_FEED_HASH_SIZE) != 0 ||
       !tp_state_hash_equal (&segment->state_hash, &head->state_hash) || segment->entries != head->entries))
    {
      refuse (error, TP_SYNC_ERROR_CHAIN,
              "Feed segment %" G_GUINT64_FORMAT "–%" G_GUINT64_FORMAT " (%s) is not the one the head "
              "names, or does not end at the head's state",
              segment->first_seq, segment->last_seq, hash);
      goto out;
    }

  entries = g_ptr_array_sized_new (segment->changes->len);
  for (guint i = 0; i < segment->changes->len; i++)
    g_ptr_array_add (entries, ((TpFeedChange *) g_ptr_array_index (segment->changes, i))->entry);
  position_for (&position, &stored, head, (gint64) segment->last_seq, hash);
  if (!tp_store_apply_feed_batch (store, entries, &position, &segment->state_hash, segment->entries,
                                  &result, &local_error))
    {
      if (g_error_matches (local_error, TP_STORE_ERROR, TP_STORE_ERROR_MISMATCH))
        refuse (error, TP_SYNC_ERROR_CHAIN, "Feed segment %" G_GUINT64_FORMAT "–%" G_GUINT64_FORMAT
                " does not lead this terminal's list to its state: %s",
                segment->first_seq, segment->last_seq, local_error->message);
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      goto out;
    }
  if (out_applied != NULL)
    *out_applied = result.applied;
  ok = TRUE;

out:
  tp_store_batch_result_clear (&result);
  tp_feed_position_clear (&stored);
  tp_feed_position_clear (&position);
  return ok;
}

/* The file is the one the signed head names: size, then SHA-256, before a
 * byte of it is decompressed. */
static gboolean
check_snapshot_file (const TpFeedHead  *head,
                     const char        *path,
                     GError           **error)
{
  g_autoptr(GMappedFile) mapped = NULL;
  g_autoptr(GError) local_error = NULL;
  guint8 digest[TP_FEED_HASH_SIZE];

  mapped = g_mapped_file_new (path, FALSE, &local_error);
  if (mapped == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Cannot read the downloaded snapshot: %s",
                   local_error->message);
      return FALSE;
    }
  if (g_mapped_file_get_length (mapped) != head->snapshot_size)
    return refuse (error, TP_SYNC_ERROR_REFUSED,
                   "Feed snapshot %" G_GUINT64_FORMAT " refused: %" G_GSIZE_FORMAT " bytes where the head "
                   "names %" G_GUINT64_FORMAT, head->snapshot_seq, g_mapped_file_get_length (mapped),
                   head->snapshot_size);
  tp_feed_sha256 (g_mapped_file_get_contents (mapped) != NULL ? g_mapped_file_get_contents (mapped) : "",
                  g_mapped_file_get_length (mapped), digest);
  if (memcmp (digest, head->snapshot_sha256, TP_FEED_HASH_SIZE) != 0)
    return refuse (error, TP_SYNC_ERROR_REFUSED,
                   "Feed snapshot %" G_GUINT64_FORMAT " refused: its SHA-256 is not the one the head names",
                   head->snapshot_seq);
  return TRUE;
}

/* Reading a snapshot (decompressing, parsing, checking every entry) costs
 * about twice what storing it does: a reader thread decodes batches of
 * entries while the caller's thread stores the previous ones. */
#define PIPE_BATCH   1000
#define PIPE_BATCHES 8

typedef struct {
  GPtrArray *entries;   /* of TpEntry */
  GPtrArray *jsons;     /* of char* */
  gboolean   last;      /* the reader's end: @error says how */
  GError    *error;
} Batch;

typedef struct {
  TpFeedSnapshotReader *reader;
  GCancellable         *cancellable;
  GAsyncQueue          *free_batches;
  GAsyncQueue          *full_batches;
  gint                  stop;          /* atomic: the consumer gave up */
} Pipe;

static gpointer
reader_thread (gpointer user_data)
{
  Pipe *pipe = user_data;

  for (;;)
    {
      Batch *batch = g_async_queue_pop (pipe->free_batches);

      while (batch->entries->len < PIPE_BATCH)
        {
          TpEntry *entry = NULL;
          char *json = NULL;

          if (g_atomic_int_get (&pipe->stop))
            {
              batch->last = TRUE;
              break;
            }
          if (!tp_feed_snapshot_reader_next (pipe->reader, &entry, &json, pipe->cancellable, &batch->error))
            {
              batch->last = TRUE;
              break;
            }
          if (entry == NULL)
            {
              batch->last = TRUE;
              break;
            }
          g_ptr_array_add (batch->entries, entry);
          g_ptr_array_add (batch->jsons, json);
        }
      g_async_queue_push (pipe->full_batches, batch);
      if (batch->last)
        return NULL;
    }
}

gboolean
tp_sync_load_snapshot (TpStore           *store,
                       TpFeedKeyring     *keys,
                       const TpFeedHead  *head,
                       const char        *path,
                       GCancellable      *cancellable,
                       guint64           *out_entries,
                       GError           **error)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileInputStream) input = NULL;
  g_autoptr(TpFeedSnapshotReader) reader = NULL;
  g_autoptr(TpStoreReplace) replace = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *chain = NULL;
  const TpFeedSnapshotHeader *header;
  TpFeedPosition stored = { 0, };
  TpFeedPosition position = { 0, };
  Batch batches[PIPE_BATCHES];
  Pipe pipe = { 0, };
  GThread *thread = NULL;
  gboolean ok = FALSE;

  g_return_val_if_fail (TP_IS_STORE (store), FALSE);
  g_return_val_if_fail (keys != NULL && head != NULL && path != NULL, FALSE);

  if (!head->has_snapshot)
    return refuse (error, TP_SYNC_ERROR_CHAIN,
                   "The feed names no snapshot to rebuild the list from (the hub has not taken one yet)");
  if (!check_snapshot_file (head, path, error))
    return FALSE;

  file = g_file_new_for_path (path);
  input = g_file_read (file, cancellable, error);
  if (input == NULL)
    return FALSE;
  reader = tp_feed_snapshot_reader_new (G_INPUT_STREAM (input), cancellable, &local_error);
  if (reader == NULL || !tp_feed_snapshot_reader_verify (reader, keys, &local_error))
    return refuse (error, TP_SYNC_ERROR_REFUSED, "Feed snapshot %" G_GUINT64_FORMAT " refused: %s",
                   head->snapshot_seq, local_error->message);
  header = tp_feed_snapshot_reader_get_header (reader);
  if (header->seq != head->snapshot_seq)
    return refuse (error, TP_SYNC_ERROR_REFUSED,
                   "Feed snapshot refused: it is at change %" G_GUINT64_FORMAT " where the head names %"
                   G_GUINT64_FORMAT, header->seq, head->snapshot_seq);

  if (!tp_store_get_feed_position (store, &stored, error))
    return FALSE;
  replace = tp_store_replace_begin (store, error);
  if (replace == NULL)
    goto out;

  pipe.reader = reader;
  pipe.cancellable = cancellable;
  pipe.free_batches = g_async_queue_new ();
  pipe.full_batches = g_async_queue_new ();
  for (guint i = 0; i < PIPE_BATCHES; i++)
    {
      batches[i].entries = g_ptr_array_new_with_free_func ((GDestroyNotify) tp_entry_free);
      batches[i].jsons = g_ptr_array_new_with_free_func (g_free);
      batches[i].last = FALSE;
      batches[i].error = NULL;
      g_async_queue_push (pipe.free_batches, &batches[i]);
    }
  thread = g_thread_new ("tp-snapshot-reader", reader_thread, &pipe);
  for (;;)
    {
      Batch *batch = g_async_queue_pop (pipe.full_batches);
      gboolean last = batch->last;

      for (guint i = 0; !g_atomic_int_get (&pipe.stop) && i < batch->entries->len; i++)
        if (!tp_store_replace_add (replace, batch->entries->pdata[i], batch->jsons->pdata[i], error))
          g_atomic_int_set (&pipe.stop, TRUE);
      if (last && batch->error != NULL && !g_atomic_int_get (&pipe.stop))
        {
          g_atomic_int_set (&pipe.stop, TRUE);
          if (batch->error->domain == G_IO_ERROR)
            g_propagate_error (error, g_steal_pointer (&batch->error));
          else
            refuse (error, TP_SYNC_ERROR_REFUSED, "Feed snapshot %" G_GUINT64_FORMAT " refused: %s",
                    header->seq, batch->error->message);
        }
      g_ptr_array_set_size (batch->entries, 0);
      g_ptr_array_set_size (batch->jsons, 0);
      if (last)
        break;
      g_async_queue_push (pipe.free_batches, batch);
    }
  g_thread_join (thread);
  for (guint i = 0; i < PIPE_BATCHES; i++)
    {
      g_ptr_array_unref (batches[i].entries);
      g_ptr_array_unref (batches[i].jsons);
      g_clear_error (&batches[i].error);
    }
  g_async_queue_unref (pipe.free_batches);
  g_async_queue_unref (pipe.full_batches);
  if (g_atomic_int_get (&pipe.stop))
    goto out;

  chain = tp_feed_hex (header->segment_hash, TP_FEED_HASH_SIZE);
  position_for (&position, &stored, head, (gint64) header->seq, chain);
  if (!tp_store_replace_commit (replace, &position, &header->state_hash, header->entries, "sync", &local_error))
    {
      if (g_error_matches (local_error, TP_STORE_ERROR, TP_STORE_ERROR_MISMATCH))
        refuse (error, TP_SYNC_ERROR_REFUSED, "Feed snapshot %" G_GUINT64_FORMAT " refused: %s",
                header->seq, local_error->message);
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      goto out;
    }
  if (out_entries != NULL)
    *out_entries = tp_store_replace_get_count (replace);
  ok = TRUE;

out:
  tp_feed_position_clear (&stored);
  tp_feed_position_clear (&position);
  return ok;
}
