/* tp-feed-snapshot.h: the full list at a seq, gzip-compressed (docs/feed.md)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A snapshot file (snapshots/SEQ.jsonl.gz) is gzip of JSON lines: a signed
 * header, then the canonical JSON of the latest version of every entry id
 * (cancelled ones included), in byte order of id:
 *   {"type":"snapshot","seq":..,"entries":..,"state_hash":..,"segment_hash":..,
 *    "body_sha256":..,"issued_at":..,"key_id":..,"signature":..}
 * body_sha256 covers the uncompressed bytes after the header's newline.
 * Written and read as streams: a million entries never sit in memory.
 */
#pragma once

#include <gio/gio.h>

#include "tp-entry.h"
#include "tp-feed-key.h"
#include "tp-feed-util.h"
#include "tp-state-hash.h"

G_BEGIN_DECLS

#define TP_FEED_SNAPSHOT_MAX_ENTRIES 50000000

typedef struct {
  guint64      seq;
  guint64      entries;
  TpStateHash  state_hash;
  guint8       segment_hash[TP_FEED_HASH_SIZE];   /* of the segment ending at seq; zeros at 0 */
  guint8       body_sha256[TP_FEED_HASH_SIZE];
  GDateTime   *issued_at;
  char        *key_id;
  char        *signature;
  char        *signed_bytes;
} TpFeedSnapshotHeader;

typedef struct _TpFeedSnapshotWriter TpFeedSnapshotWriter;
typedef struct _TpFeedSnapshotReader TpFeedSnapshotReader;

/* Writes @path (through a temporary file beside it, renamed at the end). */
TpFeedSnapshotWriter *tp_feed_snapshot_writer_new     (const char            *path,
                                                       GError               **error);
/* One entry's canonical JSON, in byte order of id. */
gboolean              tp_feed_snapshot_writer_add     (TpFeedSnapshotWriter  *writer,
                                                       const char            *entry_json,
                                                       GError               **error);
/* Signs the header (seq, segment hash and issued_at from @header; entries,
 * state hash and body hash computed from what was added; key_id, signature
 * set), writes, syncs and renames the file. @sha256 and @size describe the
 * compressed file, as the head names it. */
gboolean              tp_feed_snapshot_writer_finish  (TpFeedSnapshotWriter  *writer,
                                                       TpFeedSnapshotHeader  *header,
                                                       TpFeedKey             *key,
                                                       guint8                 sha256[TP_FEED_HASH_SIZE],
                                                       guint64               *size,
                                                       GError               **error);
/* Unfinished writers remove their temporary files. */
void                  tp_feed_snapshot_writer_free    (TpFeedSnapshotWriter  *writer);

/* Reads the header from @compressed (the .jsonl.gz bytes). */
TpFeedSnapshotReader *tp_feed_snapshot_reader_new     (GInputStream          *compressed,
                                                       GCancellable          *cancellable,
                                                       GError               **error);
const TpFeedSnapshotHeader *
                      tp_feed_snapshot_reader_get_header (TpFeedSnapshotReader *reader);
gboolean              tp_feed_snapshot_reader_verify  (TpFeedSnapshotReader  *reader,
                                                       TpFeedKeyring         *ring,
                                                       GError               **error);
/* The next entry (owned) in *@entry and, when @json is not NULL, its
 * canonical JSON; at the end *@entry is NULL and the count, the body hash
 * and the state hash have been checked against the header. */
gboolean              tp_feed_snapshot_reader_next    (TpFeedSnapshotReader  *reader,
                                                       TpEntry              **entry,
                                                       char                 **json,
                                                       GCancellable          *cancellable,
                                                       GError               **error);
void                  tp_feed_snapshot_reader_free    (TpFeedSnapshotReader  *reader);

void                  tp_feed_snapshot_header_clear   (TpFeedSnapshotHeader  *header);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpFeedSnapshotWriter, tp_feed_snapshot_writer_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpFeedSnapshotReader, tp_feed_snapshot_reader_free)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (TpFeedSnapshotHeader, tp_feed_snapshot_header_clear)

G_END_DECLS
