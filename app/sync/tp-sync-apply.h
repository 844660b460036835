/* tp-sync-apply.h: what a terminal verifies and applies, against its store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The steps of docs/feed.md §6 that touch the store, as plain blocking
 * functions (the sync client runs them on a worker thread, one at a time,
 * with its own store connection; tests call them directly):
 *
 *   tp_sync_check_head()     1–3: the head's signature by a pinned key, no
 *                            rollback (a head below the newest one
 *                            accepted), no fork (the same seq naming another
 *                            state); records the head's times when newer
 *   tp_sync_apply_segment()  4: one segment continuing the stored list,
 *                            applied in one transaction that must end at the
 *                            segment's state hash and entry count
 *   tp_sync_load_snapshot()  5: the snapshot the head names, checked against
 *                            the head's size and SHA-256 before it is
 *                            decompressed, replacing the list atomically
 *
 * Each leaves the store as it was when it fails.
 */
#pragma once

#include <gio/gio.h>

#include "tp-feed-head.h"
#include "tp-outbox.h"
#include "tp-store.h"

G_BEGIN_DECLS

#define TP_SYNC_ERROR (tp_sync_error_quark ())

/**
 * TpSyncError:
 * @TP_SYNC_ERROR_REFUSED: a feed document failed its checks (form,
 *   signature, unknown key, a snapshot file not the one the head names), a
 *   head below the newest one accepted (rollback), or a head at the list's
 *   seq naming another state (fork): nothing was changed
 * @TP_SYNC_ERROR_CHAIN: a segment is missing (gap), does not continue the
 *   stored list (broken chain) or does not end at the state announced:
 *   nothing was changed; the head's snapshot repairs this
 * @TP_SYNC_ERROR_NETWORK: the hub or the mirror could not be reached, or
 *   answered with an error
 * @TP_SYNC_ERROR_FORBIDDEN: the hub refused this terminal (its certificate
 *   is revoked, unknown, or from another CA)
 */
typedef enum {
  TP_SYNC_ERROR_REFUSED,
  TP_SYNC_ERROR_CHAIN,
  TP_SYNC_ERROR_NETWORK,
  TP_SYNC_ERROR_FORBIDDEN,
} TpSyncError;

GQuark tp_sync_error_quark (void);

/* Where the terminal's list stands, read in one go. */
typedef struct {
  gint64   seq;                   /* last change applied; 0: no list from the feed */
  char     state_hash[TP_STATE_HASH_HEX_LEN + 1];
  guint64  entries;
  gint64   head_seq;              /* newest head accepted */
  gint64   head_issued_at;        /* unix seconds; 0: never */
  gint64   head_expires_at;
  guint64  outbox_pending;
  guint64  outbox_rejected;
} TpSyncStatus;

gboolean tp_sync_read_status     (TpStore            *store,
                                  TpSyncStatus       *out,
                                  GError            **error);

typedef enum {
  TP_SYNC_HEAD_CURRENT,           /* the list is at the head */
  TP_SYNC_HEAD_BEHIND,            /* changes to apply */
} TpSyncHeadStatus;

gboolean tp_sync_check_head      (TpStore            *store,
                                  TpFeedKeyring      *keys,
                                  const char         *data,
                                  gsize               length,
                                  TpFeedHead        **out_head,
                                  TpSyncHeadStatus   *out_status,
                                  GError            **error);

/* @head: the head being followed (verified); *@out_applied: the changes
 * that became current. */
gboolean tp_sync_apply_segment   (TpStore            *store,
                                  TpFeedKeyring      *keys,
                                  const TpFeedHead   *head,
                                  const guint8       *data,
                                  gsize               length,
                                  guint64            *out_applied,
                                  GError            **error);

/* @path: the downloaded snapshots/N.jsonl.gz file the head names. */
gboolean tp_sync_load_snapshot   (TpStore            *store,
                                  TpFeedKeyring      *keys,
                                  const TpFeedHead   *head,
                                  const char         *path,
                                  GCancellable       *cancellable,
                                  guint64            *out_entries,
                                  GError            **error);

/* Whether @error means "recover from the snapshot" (a gap, a broken
 * chain, a state mismatch). */
gboolean tp_sync_error_wants_snapshot (const GError  *error);

G_END_DECLS
