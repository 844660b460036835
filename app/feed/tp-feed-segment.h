/* tp-feed-segment.h: immutable, hash-chained batches of changes (docs/feed.md)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A segment file is JSON lines: a signed header, then one line per change
 *   {"type":"segment","first_seq":..,"last_seq":..,"prev_hash":..,"body_sha256":..,
 *    "changes":..,"entries":..,"state_hash":..,"issued_at":..,"key_id":..,"signature":..}
 *   {"entry":{...canonical entry...},"seq":N}
 * each line canonical JSON ended by "\n". The segment's hash, which the next
 * segment's prev_hash and the head name, is the SHA-256 of the whole file.
 */
#pragma once

#include <glib.h>

#include "tp-entry.h"
#include "tp-feed-key.h"
#include "tp-feed-util.h"
#include "tp-state-hash.h"

G_BEGIN_DECLS

/* Bounds a reader enforces (the hub writes within them). */
#define TP_FEED_SEGMENT_MAX_SIZE    (64 * 1024 * 1024)
#define TP_FEED_SEGMENT_MAX_CHANGES 100000

typedef struct {
  guint64  seq;
  char    *json;    /* the entry's canonical JSON */
  TpEntry *entry;   /* decoded (parse only; NULL when building) */
} TpFeedChange;

typedef struct {
  guint64      first_seq;
  guint64      last_seq;
  guint8       prev_hash[TP_FEED_HASH_SIZE];   /* zeros for the first segment */
  TpStateHash  state_hash;                     /* of the list after the segment */
  guint64      entries;                        /* entry ids after the segment */
  GDateTime   *issued_at;
  GPtrArray   *changes;                        /* of TpFeedChange*, seq order */

  /* Set by tp_feed_segment_build() and tp_feed_segment_parse() */
  guint8       body_sha256[TP_FEED_HASH_SIZE];
  guint8       hash[TP_FEED_HASH_SIZE];
  char        *key_id;
  char        *signature;
  char        *signed_bytes;
} TpFeedSegment;

TpFeedChange  *tp_feed_change_new      (guint64          seq,
                                        const char      *entry_json);
void           tp_feed_change_free     (TpFeedChange    *change);

TpFeedSegment *tp_feed_segment_new     (void);
void           tp_feed_segment_free    (TpFeedSegment   *segment);

/* The file's bytes. @segment needs first_seq, prev_hash, state_hash,
 * entries, issued_at and its changes (seq first_seq, first_seq + 1, ...);
 * last_seq, body_sha256, hash, key_id and signature are filled in. */
GBytes        *tp_feed_segment_build   (TpFeedSegment   *segment,
                                        TpFeedKey       *key,
                                        GError         **error);
/* Reads a segment file: form, seq order, counts, body hash, each entry
 * decoded (not the signature, nor the chain). */
TpFeedSegment *tp_feed_segment_parse   (const guint8    *data,
                                        gsize            length,
                                        GError         **error);
gboolean       tp_feed_segment_verify  (TpFeedSegment   *segment,
                                        TpFeedKeyring   *ring,
                                        GError         **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpFeedChange, tp_feed_change_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpFeedSegment, tp_feed_segment_free)

G_END_DECLS
