/* tp-sync-client.h: the terminal's sync client (no GTK)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Keeps a terminal's list in step with its hub's signed feed and carries
 * its events to the hub (docs/feed.md):
 *  - the feed: head, segments and snapshots are fetched from the hub (or
 *    from a mirror, tp_sync_client_set_feed_url()) and verified with the
 *    keys pinned in the enrollment bundle; each segment is applied in one
 *    store transaction that must end at the segment's state hash; a gap, a
 *    broken chain or a state mismatch is repaired from the snapshot, which
 *    replaces the list atomically; a head below the newest one accepted is
 *    refused (rollback); an expired head makes the list stale;
 *  - push: a WebSocket to the hub (GET /v1/push) announces each change, and
 *    the client fetches it at once; it also polls the head every
 *    heartbeat_s the hub names (jittered), and backs off exponentially
 *    (jittered) after failures; the WebSocket reconnects likewise;
 *  - the outbox: events recorded in the store (tp_store_record_event())
 *    are uploaded in batches (POST /v1/events) and marked sent only on the
 *    hub's receipt; a rejected event is kept with the hub's reason.
 *
 * Threads: use a TpSyncClient from the thread whose thread-default main
 * context was current when it was made; its signals and callbacks come
 * there. Network I/O is asynchronous on that context; everything that
 * touches the store (reading, verifying and applying segments and
 * snapshots) runs on worker threads, one operation at a time, through the
 * client's own store connection (opened on first use, created when
 * missing). Nothing blocks the caller's thread.
 *
 * Killed at any point, the client leaves the store consistent: a segment
 * or a snapshot is in or not, an event is sent again until a receipt
 * marks it.
 *
 * Properties (read-only, notified on the caller's context):
 *   seq, state-hash, entries      the list: last change applied, its state
 *                                 hash, its entry ids
 *   stale                         no unexpired head: the list's freshness
 *                                 is not vouched for (see age)
 *   head-issued-at                unix seconds of the newest head accepted
 *                                 (0: never); tp_sync_client_get_age()
 *   outbox-pending, outbox-rejected
 *   connected                     the push channel is open
 *   state                         TpSyncState
 *   last-error                    the last failure's message, or NULL
 *                                 after a success
 * Signals:
 *   changed ()                    after any of the above changed
 *   applied (guint64 first_seq, guint64 last_seq, guint64 changes)
 *                                 a segment (or, with first_seq 0, a
 *                                 snapshot) became the list
 *   escalation (JsonNode *event)  pushed to supervisor terminals
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "tp-enrollment.h"
#include "tp-key-source.h"
#include "tp-sync-apply.h"

G_BEGIN_DECLS

typedef enum {
  TP_SYNC_STATE_IDLE,           /* nothing tried yet */
  TP_SYNC_STATE_SYNCING,        /* fetching or applying */
  TP_SYNC_STATE_CURRENT,        /* at the newest head fetched */
  TP_SYNC_STATE_OFFLINE,        /* the feed could not be reached */
  TP_SYNC_STATE_REFUSED,        /* the feed was refused (the list kept) */
  TP_SYNC_STATE_FAILED,         /* the store, or the hub refused this terminal */
} TpSyncState;

GType        tp_sync_state_get_type (void) G_GNUC_CONST;
#define TP_TYPE_SYNC_STATE (tp_sync_state_get_type ())
const char  *tp_sync_state_to_string (TpSyncState state);

#define TP_TYPE_SYNC_CLIENT (tp_sync_client_get_type ())
G_DECLARE_FINAL_TYPE (TpSyncClient, tp_sync_client, TP, SYNC_CLIENT, GObject)

/* @db_path: the terminal's store; @key_source: its key; @enrollment: the
 * bundle (copied what is needed). The TLS files are read here. */
TpSyncClient *tp_sync_client_new          (const char          *db_path,
                                           TpKeySource         *key_source,
                                           const TpEnrollment  *enrollment,
                                           GError             **error);

/* Reads the feed from @url (a base under which head, segments/ and
 * snapshots/ are found; http or https) instead of the hub; events still
 * go to the hub. NULL: the hub's feed. Before the first sync. */
gboolean      tp_sync_client_set_feed_url (TpSyncClient        *self,
                                           const char          *url,
                                           GError             **error);
const char   *tp_sync_client_get_feed_url (TpSyncClient        *self);

/* Follows the feed (push, polling, outbox) until stopped. */
void          tp_sync_client_start        (TpSyncClient        *self);
void          tp_sync_client_stop         (TpSyncClient        *self);
gboolean      tp_sync_client_is_following (TpSyncClient        *self);

/* One pass: the head, every change up to it, then the outbox. Fails with
 * the feed's error (TP_SYNC_ERROR_REFUSED, _CHAIN when the snapshot could
 * not repair it, _NETWORK, _FORBIDDEN, or a store error); a failure to
 * empty the outbox does not fail the pass (see outbox-pending). Several
 * calls during one pass are answered by the next one. */
void          tp_sync_client_sync_async   (TpSyncClient        *self,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
gboolean      tp_sync_client_sync_finish  (TpSyncClient        *self,
                                           GAsyncResult        *result,
                                           GError             **error);

/* Uploads the pending events now (after recording one: the cue of
 * TpCheckpoint::event-recorded). Fire and forget. */
void          tp_sync_client_flush_outbox (TpSyncClient        *self);
/* The same, with the outcome: TRUE when the outbox was emptied of
 * everything pending when it started. */
void          tp_sync_client_flush_outbox_async  (TpSyncClient        *self,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean      tp_sync_client_flush_outbox_finish (TpSyncClient        *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

/* Reconciles shift @shift_id with the hub (POST /v1/reconcile): the events
 * whose "at" falls between @opened_at and @closed_at. A shift reconciled
 * before keeps its window (both may be NULL); a new one opens (when
 * @opened_at is NULL) just after the previous shift closed, or at the
 * first event, and closes (when @closed_at is NULL) now. The outbox is
 * flushed first. Returns the hub's answer ("status": "ok" or
 * "discrepancy", "hub_lacks", "hub_extra"), with "opened_at",
 * "closed_at", "events" and "list_seq" added. */
void          tp_sync_client_reconcile_async  (TpSyncClient        *self,
                                               const char          *shift_id,
                                               GDateTime           *opened_at,
                                               GDateTime           *closed_at,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
JsonNode     *tp_sync_client_reconcile_finish (TpSyncClient        *self,
                                               GAsyncResult        *result,
                                               GError             **error);

gint64        tp_sync_client_get_seq            (TpSyncClient *self);
const char   *tp_sync_client_get_state_hash     (TpSyncClient *self);
guint64       tp_sync_client_get_entries        (TpSyncClient *self);
gboolean      tp_sync_client_get_stale          (TpSyncClient *self);
gint64        tp_sync_client_get_head_issued_at (TpSyncClient *self);
/* Seconds since the newest head accepted was signed; -1: never synced. */
gint64        tp_sync_client_get_age            (TpSyncClient *self);
guint64       tp_sync_client_get_outbox_pending (TpSyncClient *self);
guint64       tp_sync_client_get_outbox_rejected (TpSyncClient *self);
gboolean      tp_sync_client_get_connected      (TpSyncClient *self);
TpSyncState   tp_sync_client_get_state          (TpSyncClient *self);
const char   *tp_sync_client_get_last_error     (TpSyncClient *self);
/* Whether the status has been read from the store yet. */
gboolean      tp_sync_client_has_status         (TpSyncClient *self);

G_END_DECLS
