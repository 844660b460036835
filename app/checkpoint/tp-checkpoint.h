/* tp-checkpoint.h: one counter's terminal: where it stands and what it knows
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A TpCheckpoint holds what every traveller's case at this counter shares:
 * the airport (IATA code) and the checkpoint and terminal identifiers,
 * the terminal's store, the matcher loaded from it, and the clock. It
 * is what every case (tp_case_new()) stands on, and the one way their
 * events leave them: tp_checkpoint_record_event() writes each event into
 * the store's hash-chained audit log and its outbox to the hub, in one
 * transaction (tp-outbox.h), and then emits "event-recorded", the sync
 * client's cue to upload (tp_sync_client_flush_outbox()).
 *
 * Threads: use a TpCheckpoint from the thread that made it (its main
 * context). Loading the matcher (about a second for a million entries)
 * runs on a worker thread with its own connection to the store, opened
 * with the key source given at construction; "matcher" is notified on
 * the main context when it is in place.
 *
 * Signals:
 *   event-recorded (JsonNode *event)   an event was written to the audit
 *                                      log ("audit" member added); the
 *                                      node is the case's own (take a
 *                                      reference to keep it)
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "tp-key-source.h"
#include "tp-matcher.h"
#include "tp-store.h"

G_BEGIN_DECLS

#define TP_TYPE_CHECKPOINT (tp_checkpoint_get_type ())
G_DECLARE_FINAL_TYPE (TpCheckpoint, tp_checkpoint, TP, CHECKPOINT, GObject)

/* The current time, UTC (a new reference). */
typedef GDateTime *(*TpClockFunc) (gpointer user_data);

/* @airport: this checkpoint's IATA code ("HAN"); @checkpoint_id and
 * @terminal_id: as enrolled ("HAN-T2-EXIT", "HAN-T2-EXIT-07"); @store: the
 * terminal's store (a reference is taken); @key_source: its key, for the
 * worker's own connection (a reference is taken; NULL: the matcher can
 * only be loaded with tp_checkpoint_load_matcher()). */
TpCheckpoint  *tp_checkpoint_new                (const char          *airport,
                                                 const char          *checkpoint_id,
                                                 const char          *terminal_id,
                                                 TpStore             *store,
                                                 TpKeySource         *key_source);

const char    *tp_checkpoint_get_airport        (TpCheckpoint        *self);
const char    *tp_checkpoint_get_checkpoint_id  (TpCheckpoint        *self);
const char    *tp_checkpoint_get_terminal_id    (TpCheckpoint        *self);
TpStore       *tp_checkpoint_get_store          (TpCheckpoint        *self);

/* Tests and the demo fix the clock; NULL: the real time. */
void           tp_checkpoint_set_clock          (TpCheckpoint        *self,
                                                 TpClockFunc          func,
                                                 gpointer             user_data,
                                                 GDestroyNotify       destroy);
/* Now, UTC (a new reference). */
GDateTime     *tp_checkpoint_now                (TpCheckpoint        *self);
/* Today at the checkpoint (local time). */
void           tp_checkpoint_get_today          (TpCheckpoint        *self,
                                                 GDate               *out);

/* Loads every current entry and clearance from the store into a new
 * matcher on a worker thread (its own connection to the store), then puts
 * it in place on the caller's main context and notifies "matcher". */
void           tp_checkpoint_load_matcher_async (TpCheckpoint        *self,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
gboolean       tp_checkpoint_load_matcher_finish (TpCheckpoint       *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);
/* The same on the calling thread, through the checkpoint's own store
 * connection (command-line tools). */
gboolean       tp_checkpoint_load_matcher       (TpCheckpoint        *self,
                                                 GError             **error);
/* Puts a matcher built elsewhere in place (takes it), with the feed
 * sequence its list was at; notifies "matcher". */
void           tp_checkpoint_set_matcher        (TpCheckpoint        *self,
                                                 TpMatcher           *matcher,
                                                 gint64               list_seq);
/* The matcher in place (borrowed), or NULL before the first load. */
TpMatcher     *tp_checkpoint_get_matcher        (TpCheckpoint        *self);
/* The feed sequence the matcher's list was at (0: never synced). */
gint64         tp_checkpoint_get_list_seq       (TpCheckpoint        *self);
/* Microseconds the last load took (0 before one). */
gint64         tp_checkpoint_get_load_us        (TpCheckpoint        *self);

/* The one path by which events leave a case: appends @event (a JSON
 * object in the event format, see tp-case.h) to the store's audit log,
 * adds its "audit" member ({"seq": N, "hash": "..."}) and emits
 * "event-recorded". */
gboolean       tp_checkpoint_record_event       (TpCheckpoint        *self,
                                                 JsonNode            *event,
                                                 GError             **error);

G_END_DECLS
