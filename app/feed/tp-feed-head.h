/* tp-feed-head.h: the feed's signed head (docs/feed.md, "head")
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "tp-feed-key.h"
#include "tp-feed-util.h"
#include "tp-state-hash.h"

G_BEGIN_DECLS

typedef struct {
  guint64      seq;                 /* last change in the feed; 0 = empty */
  TpStateHash  state_hash;          /* of the list at seq */
  guint64      entries;             /* entry ids at seq, cancelled included */
  GDateTime   *issued_at;
  GDateTime   *expires_at;
  guint        heartbeat_s;         /* the hub re-signs the head this often */

  /* The last segment (absent when seq is 0) */
  gboolean     has_segment;
  guint64      segment_first_seq;
  guint64      segment_last_seq;    /* == seq */
  guint8       segment_hash[TP_FEED_HASH_SIZE];

  /* The newest snapshot (absent when there is none) */
  gboolean     has_snapshot;
  guint64      snapshot_seq;
  guint64      snapshot_size;       /* bytes of the .jsonl.gz file */
  guint8       snapshot_sha256[TP_FEED_HASH_SIZE];

  /* Set by tp_feed_head_sign() and tp_feed_head_parse() */
  char        *key_id;
  char        *signature;
  char        *signed_bytes;
} TpFeedHead;

TpFeedHead *tp_feed_head_new        (void);
void        tp_feed_head_free       (TpFeedHead     *head);

/* The head document (canonical JSON, no trailing newline), signed by @key. */
char       *tp_feed_head_sign       (TpFeedHead     *head,
                                     TpFeedKey      *key,
                                     GError        **error);
/* Reads and checks the document's form (not its signature). */
TpFeedHead *tp_feed_head_parse      (const char     *text,
                                     gsize           length,
                                     GError        **error);
/* The signature by one of the pinned keys. */
gboolean    tp_feed_head_verify     (TpFeedHead     *head,
                                     TpFeedKeyring  *ring,
                                     GError        **error);
gboolean    tp_feed_head_is_expired (TpFeedHead     *head,
                                     GDateTime      *now);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpFeedHead, tp_feed_head_free)

G_END_DECLS
