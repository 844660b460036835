/* tp-counter.h: the counter's traveller, as data arrives
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Between the devices and the case: keyboard-wedge or typed MRZs, scanned
 * boarding passes and the chip reader feed the current TpCase, and the
 * counter decides when a new traveller begins (a second passport or a
 * second boarding pass after a complete one, or "next traveller"). When a
 * printed MRZ arrives and a reader is set, the chip is read at once (and
 * again when a card comes onto the reader); the read runs on the reader's
 * worker and reports its progress here. No widgets.
 *
 * Properties: case (the current TpCase, or NULL), reading, progress (0–1),
 * progress-file ("DG2"...), read-error (why the last read failed, or NULL),
 * list-hold (what a stale list does to the verdicts shown, TpListHold).
 */
#pragma once

#include <gio/gio.h>

#include "tp-case.h"
#include "tp-checkpoint.h"
#include "tp-reader.h"
#include "tp-trust-store.h"

G_BEGIN_DECLS

/* What to do when the list is stale (no unexpired head from the hub
 * vouches for it): the stale-list-policy setting, same values. */
typedef enum {
  TP_STALE_POLICY_WARN,     /* say so; verdicts stand */
  TP_STALE_POLICY_REVIEW,   /* a CLEAR is shown as REVIEW */
  TP_STALE_POLICY_BLOCK,    /* no verdict: refer to a supervisor */
} TpStalePolicy;

/* What the stale list does now. */
typedef enum {
  TP_LIST_HOLD_NONE,        /* the list is current (or the policy only warns) */
  TP_LIST_HOLD_WARN,        /* stale, the verdicts stand */
  TP_LIST_HOLD_REVIEW,      /* stale: a CLEAR needs review */
  TP_LIST_HOLD_BLOCK,       /* stale: no verdict, a supervisor decides */
} TpListHold;

#define TP_TYPE_COUNTER (tp_counter_get_type ())
G_DECLARE_FINAL_TYPE (TpCounter, tp_counter, TP, COUNTER, GObject)

TpCounter    *tp_counter_new                    (TpCheckpoint *checkpoint);
TpCheckpoint *tp_counter_get_checkpoint         (TpCounter    *self);

/* Who takes the cases from now (NULL: nobody; the case is dropped). A
 * different officer starts from no case. */
void          tp_counter_set_officer            (TpCounter    *self,
                                                 const char   *officer,
                                                 TpRoles       role);
/* The chip reader (watched for cards) and the CSCA trust store (borrowed:
 * it must outlive the counter and every read); NULL: no reader. */
void          tp_counter_set_reader             (TpCounter    *self,
                                                 TpReader     *reader,
                                                 TpTrustStore *trust);
TpReader     *tp_counter_get_reader             (TpCounter    *self);

TpCase       *tp_counter_get_case               (TpCounter    *self);
/* Drops the current case: the next data starts a new one. */
void          tp_counter_next_traveller         (TpCounter    *self);
/* Makes @kase (another terminal's escalated case, opened by a
 * supervisor) the current one. */
void          tp_counter_set_case               (TpCounter    *self,
                                                 TpCase       *kase);

/* The printed MRZ (typed or from the document reader). Starts the chip
 * read when a reader is set. */
gboolean      tp_counter_present_mrz            (TpCounter    *self,
                                                 const char   *text,
                                                 GError      **error);
gboolean      tp_counter_present_boarding_pass  (TpCounter    *self,
                                                 const char   *text,
                                                 GError      **error);
/* Reads the chip again (the passport was put back on the reader). */
void          tp_counter_read_chip              (TpCounter    *self);

gboolean      tp_counter_get_reading            (TpCounter    *self);
double        tp_counter_get_progress           (TpCounter    *self);
const char   *tp_counter_get_progress_file      (TpCounter    *self);
const GError *tp_counter_get_read_error         (TpCounter    *self);
/* When the last read started and ended (monotonic µs), for measurements. */
gint64        tp_counter_get_read_started       (TpCounter    *self);

/* Whether the list is stale, and the policy for it. */
void          tp_counter_set_list_stale         (TpCounter     *self,
                                                 gboolean       stale,
                                                 TpStalePolicy  policy);
TpListHold    tp_counter_get_list_hold          (TpCounter     *self);

G_END_DECLS
