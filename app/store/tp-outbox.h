/* tp-outbox.h: terminal events on their way to the hub, and reconciled shifts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every terminal event (check, decision, escalation, note: the format of
 * app/feed/tp-feed-event.h) is written locally first: tp_store_record_event()
 * (tp-audit-log.h) appends it to the hash-chained audit log and to the
 * outbox in one transaction, so an event is in both or in neither. The
 * outbox row holds the event's canonical JSON with its "audit" member
 * ({"seq": N, "hash": "..."}), exactly what POST /v1/events carries.
 *
 * The sync client uploads pending events in batches and records each
 * receipt here: "accepted" and "duplicate" mark the event sent (the hub
 * stores an event once however often it is resent, so an upload cut short
 * by a crash on either side is simply sent again); "rejected" keeps the
 * event with the hub's reason and does not send it again. Nothing is
 * marked without a receipt.
 *
 * Shifts: a terminal closes a shift by reconciling it with the hub
 * (POST /v1/reconcile): the events whose "at" falls between the shift's
 * opening and closing times. The store keeps each shift's window, so that
 * reconciling the same shift again sends the same summary.
 */
#pragma once

#include "tp-store.h"

G_BEGIN_DECLS

typedef enum {
  TP_OUTBOX_PENDING,
  TP_OUTBOX_ACCEPTED,
  TP_OUTBOX_DUPLICATE,
  TP_OUTBOX_REJECTED,
} TpOutboxStatus;

typedef struct {
  gint64          seq;          /* order of recording, from 1 */
  char           *id;           /* the event's UUID */
  char           *type;         /* "check", "decision", "escalation", "note" */
  gint64          at_ms;        /* the event's "at", unix milliseconds */
  char           *json;         /* canonical JSON with "audit" */
  TpOutboxStatus  status;
  char           *reason;       /* the hub's, when rejected */
  gint64          recorded_at;  /* unix seconds */
  gint64          sent_at;      /* unix seconds of the receipt; 0 when pending */
} TpOutboxEvent;

void         tp_outbox_event_free        (TpOutboxEvent        *event);

/* The event @id, or NULL (without an error) when the outbox does not hold it. */
TpOutboxEvent *tp_store_outbox_get       (TpStore              *store,
                                          const char           *id,
                                          GError              **error);

/* Pending events, oldest first, at most @limit (0: all). */
GPtrArray   *tp_store_outbox_pending     (TpStore              *store,
                                          guint                 limit,
                                          GError              **error);

typedef struct {
  const char      *id;
  TpOutboxStatus   status;      /* ACCEPTED, DUPLICATE or REJECTED */
  const char      *reason;      /* REJECTED */
} TpOutboxReceipt;

/* Records the hub's receipts, all in one transaction. A receipt for an id
 * the outbox does not hold, or for an event already marked, changes
 * nothing. */
gboolean     tp_store_outbox_mark        (TpStore               *store,
                                          const TpOutboxReceipt *receipts,
                                          guint                  n_receipts,
                                          GError               **error);

typedef struct {
  guint64 pending;
  guint64 sent;                 /* accepted or duplicate */
  guint64 rejected;
} TpOutboxCounts;

gboolean     tp_store_outbox_get_counts  (TpStore              *store,
                                          TpOutboxCounts       *out,
                                          GError              **error);

/* Every event, oldest first, from seq @after_seq on, at most @limit (0: all). */
GPtrArray   *tp_store_outbox_list        (TpStore              *store,
                                          gint64                after_seq,
                                          guint                 limit,
                                          GError              **error);

/* Every event, sent or not, whose "at" is between @from_ms and @to_ms
 * (both included), in order of recording. */
GPtrArray   *tp_store_outbox_list_between (TpStore             *store,
                                           gint64               from_ms,
                                           gint64               to_ms,
                                           GError             **error);

/* The earliest "at" of any event in the outbox; 0 when it is empty. */
gboolean     tp_store_outbox_get_first_at (TpStore             *store,
                                           gint64              *out_ms,
                                           GError             **error);

/* Shifts -------------------------------------------------------------------- */

typedef struct {
  char   *id;
  gint64  opened_at_ms;
  gint64  closed_at_ms;
  char   *answer;               /* the hub's last answer (JSON), or NULL */
} TpShift;

void         tp_shift_free               (TpShift              *shift);

/* The shift @id, or NULL (without an error) when unknown. */
TpShift     *tp_store_get_shift          (TpStore              *store,
                                          const char           *id,
                                          GError              **error);
/* The shift that closed last, or NULL (without an error) when none. */
TpShift     *tp_store_get_last_shift     (TpStore              *store,
                                          GError              **error);
/* Records (or updates, for the same id) a shift and an audit record
 * ("shift.reconcile"), in one transaction. */
gboolean     tp_store_put_shift          (TpStore              *store,
                                          const TpShift        *shift,
                                          GError              **error);

const char  *tp_outbox_status_to_string  (TpOutboxStatus        status);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpOutboxEvent, tp_outbox_event_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpShift, tp_shift_free)

G_END_DECLS
