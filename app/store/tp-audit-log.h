/* tp-audit-log.h: the tamper-evident local audit log, inside the store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Officer actions (decisions, clearances, logins) and list changes (every
 * batch applied) are appended as records chained by hash:
 *
 *   record  = canonical JSON {"action":A,"actor":B,"details":D,"seq":N,
 *             "subject":S or null,"time_us":T} (members sorted, no
 *             whitespace, D itself canonical JSON as stored)
 *   hash_N  = SHA-256 (hash_{N-1} as 32 raw bytes || record_N), stored as
 *             64 lower-case hex digits; hash_0 is 32 zero bytes
 *
 * seq runs 1, 2, 3... without gaps; the store also keeps the head
 * ("tp.audit.head" = "N:hash_N") so that removing the last records shows.
 * Editing, inserting, removing or reordering any record breaks the chain
 * from that record on, and tp_audit_log_verify() names the first broken
 * link. (Someone holding the key can rewrite the whole chain: the chain
 * proves what was uploaded to the hub, whose copy is the reference.)
 */
#pragma once

#include <json-glib/json-glib.h>

#include "tp-store.h"

G_BEGIN_DECLS

typedef struct {
  gint64  seq;
  gint64  time_us;      /* unix time, microseconds */
  char   *actor;        /* officer login, "system", "sync"... */
  char   *action;       /* "list.batch", "clearance.add", "case.decision"... */
  char   *subject;      /* what it is about (entry id, case id), or NULL */
  char   *details;      /* canonical JSON object */
  char   *prev_hash;
  char   *hash;
} TpAuditRecord;

void        tp_audit_record_free        (TpAuditRecord *record);

typedef struct {
  gboolean  valid;
  guint64   records;        /* records in the log */
  gint64    first_broken;   /* seq of the first broken link (when not valid) */
  char     *reason;         /* what is wrong there (when not valid) */
} TpAuditVerification;

void        tp_audit_verification_clear (TpAuditVerification *verification);

/* Appends one record in its own transaction. @details is a JSON object or
 * NULL (stored as {}). */
gboolean    tp_audit_log_append         (TpStore       *store,
                                         const char    *actor,
                                         const char    *action,
                                         const char    *subject,
                                         JsonNode      *details,
                                         gint64        *out_seq,
                                         GError       **error);

/* Records one terminal event (a JSON object in the event format: "id",
 * "type", "at", "officer" and "case_id" at least; see tp-case.h) as an
 * audit record (actor the officer, action "case.TYPE" ("case.check",
 * "case.decision"...), subject the case id, details the event's canonical
 * JSON) and, in the same transaction, in the outbox to the hub with its
 * "audit" member (tp-outbox.h). @out_seq and @out_hash (optional) receive
 * the record's place in the chain: what the event carries to the hub as
 * "audit". The same event again (same id and content) records nothing and
 * gives the first record's place; the same id with other content is an
 * error. */
gboolean    tp_store_record_event       (TpStore       *store,
                                         JsonNode      *event,
                                         gint64        *out_seq,
                                         char         **out_hash,
                                         GError       **error);

/* Walks the whole chain. Returns FALSE only when the log cannot be read;
 * the verdict is in @out (clear it). */
gboolean    tp_audit_log_verify         (TpStore             *store,
                                         TpAuditVerification *out,
                                         GError             **error);

/* Records with seq > @after_seq, oldest first, at most @limit (0 = all):
 * what to upload to the hub. */
GPtrArray  *tp_audit_log_list           (TpStore       *store,
                                         gint64         after_seq,
                                         guint          limit,
                                         GError       **error);

/* The chain's last record: its seq and hash (*out_seq 0 and *out_hash
 * NULL for an empty log). What the terminal sends the hub with a shift's
 * reconciliation, so that a log that lost its tail shows there. */
gboolean    tp_audit_log_get_head       (TpStore       *store,
                                         gint64        *out_seq,
                                         char         **out_hash,
                                         GError       **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpAuditRecord, tp_audit_record_free)

G_END_DECLS
