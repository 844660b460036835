/* tp-case.h: one traveller at one counter
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A TpCase is what the counter's window shows and what the CLI demo
 * prints. It is filled as data arrives, in any order:
 *  - the printed MRZ, typed or from the document reader's OCR
 *    (tp_case_set_printed_mrz());
 *  - the chip read (tp_case_read_document_async() on a TpReader, or
 *    tp_case_set_document() with a document read elsewhere);
 *  - the boarding pass (tp_case_set_boarding_pass()): departs here, flight
 *    date within a day, name against the passport, not presented at this
 *    checkpoint today in another case;
 * and after each it decides the identity (tp-identity.h: verified chip
 * data, else the printed MRZ; both when they disagree), screens it with
 * the checkpoint's matcher as soon as one is loaded, and sets the
 * verdict. Every screening that changes the verdict or the identity is
 * recorded as a "check" event; the officer's decisions, escalations and
 * notes are events too. Events go through tp_checkpoint_record_event()
 * (the store's audit log, then the outbox) and stay on the case, in
 * order, as its timeline.
 *
 * Event format (JSON objects, the terminal → hub contract): every event
 * has "id" (a UUID v4), "type" ("check", "decision", "escalation",
 * "note"), "at" (RFC 3339 UTC with milliseconds), "case_id", "officer",
 * "role", and once recorded "audit" ({"seq", "hash"} of its audit record).
 *   check:      "verdict", "list_seq", "document" ({"number",
 *               "issuing_state"} or null), "verified", "hits" ([{"entry",
 *               "version", "band", "agency"}]), "flight" ({"carrier",
 *               "number", "date", "from", "to"} or null); and, beyond the
 *               contract, "identity" (tp_identity_source_to_string()) and
 *               "verification_failures" (why the chip read did not verify,
 *               tp_document_get_failures(): [] when it did, null without one)
 *   decision:   "action", "reason", "notice_reference", "category",
 *               "entry" ({"id", "version"} or null), "escalation"
 *   escalation: "reason", "verdict"
 *   note:       "text"
 *
 * Properties (all read-only, notified when they change; the structures
 * behind pointer properties are read with the getters):
 *   id, officer, role, identity-source, identity-note, verdict, screened,
 *   verdict-note, waiting-for-list, document-verified, printed-mrz,
 *   document, boarding-pass, boarding-check, n-events, record-error.
 *
 * Use a case from the thread of its checkpoint. GLib and GObject only: no
 * GTK here.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "tp-bcbp.h"
#include "tp-boarding-check.h"
#include "tp-checkpoint.h"
#include "tp-document-reader.h"
#include "tp-identity.h"
#include "tp-matcher.h"
#include "tp-reader.h"

G_BEGIN_DECLS

#define TP_CASE_ERROR (tp_case_error_quark ())

/**
 * TpCaseError:
 * @TP_CASE_ERROR_INVALID: a value the case cannot take (an MRZ whose check
 *   digits fail, a decision without its mandatory reason...)
 * @TP_CASE_ERROR_NOT_PERMITTED: the officer's role may not take this
 *   action
 * @TP_CASE_ERROR_NOT_READY: the case lacks what the action needs (no
 *   printed MRZ to open the chip with, no verdict yet...)
 */
typedef enum {
  TP_CASE_ERROR_INVALID,
  TP_CASE_ERROR_NOT_PERMITTED,
  TP_CASE_ERROR_NOT_READY,
} TpCaseError;

GQuark tp_case_error_quark (void);

/* The decision actions of the event format, in its order. */
typedef enum {
  TP_DECISION_ALLOW_EXIT,
  TP_DECISION_DENY_EXIT,
  TP_DECISION_REFER_CUSTOMS,
  TP_DECISION_REFER_IMMIGRATION,
  TP_DECISION_ESCALATE,
  TP_DECISION_SELECT_SCREENING,
  TP_DECISION_RECORD_FINDINGS,
  TP_DECISION_RESOLVE,
  TP_DECISION_OVERRIDE,
  TP_DECISION_CLEAR_FALSE_POSITIVE,
} TpDecisionAction;

/**
 * TpDecision:
 * @action: what the officer decided
 * @reason: why (mandatory for override), or NULL
 * @notice_reference: deny_exit: the basis reference handed to the
 *   traveller (mandatory), else NULL
 * @category: record_findings: what was found (mandatory), else NULL
 * @entry_id: clear_false_positive (mandatory) and deny_exit (default: the
 *   first STOP hit): the list entry; else NULL
 * @entry_version: its version (clear_false_positive: mandatory; deny_exit
 *   with @entry_id NULL: taken from the hit)
 * @escalation: resolve: the event id of the escalation resolved
 *   (mandatory), else NULL
 *
 * Who may decide what: allow_exit and deny_exit, immigration and
 * supervisor (allow_exit on a STOP needs a supervisor's override);
 * refer_customs, immigration; refer_immigration, select_screening and
 * record_findings, customs; escalate, everyone; resolve, override and
 * clear_false_positive, the supervisor (who may also take every other).
 */
typedef struct {
  TpDecisionAction  action;
  const char       *reason;
  const char       *notice_reference;
  const char       *category;
  const char       *entry_id;
  guint             entry_version;
  const char       *escalation;
} TpDecision;

/**
 * TpHitView:
 * @visible: the role asked for may see the entry's details
 * @agency: the agency that owns the entry (always set)
 * @refer_to: "refer to customs": what an officer without access tells
 *   the traveller and does (always set)
 * @entry_id ... @effective_until: only when @visible (NULL or 0
 *   otherwise): the entry, how the traveller matched it, and its basis
 *
 * One hit as one role may see it (BRIEF §2: roles outside the entry's
 * visibility see only that there is a hit and who owns it, never the
 * basis).
 */
typedef struct {
  gboolean     visible;
  TpAgency     agency;
  char        *refer_to;

  char        *entry_id;
  guint        entry_version;
  TpListKind   list;
  TpAction     action;
  TpBand       band;
  double       score;
  char        *explanation;
  char        *full_name;
  char        *basis_reference;
  char        *basis_issued_by;
  char        *basis_issued_at;
  char        *basis_reason;
  char        *effective_from;
  char        *effective_until;
} TpHitView;

void        tp_hit_view_free        (TpHitView *view);

#define TP_TYPE_CASE (tp_case_get_type ())
G_DECLARE_FINAL_TYPE (TpCase, tp_case, TP, CASE, GObject)

/* A new case at @checkpoint's counter, for the officer logged in (@role
 * is one of TP_ROLE_IMMIGRATION, TP_ROLE_CUSTOMS, TP_ROLE_SUPERVISOR). */
TpCase               *tp_case_new                   (TpCheckpoint        *checkpoint,
                                                     const char          *officer,
                                                     TpRoles              role);

const char           *tp_case_get_id                (TpCase              *self);
TpCheckpoint         *tp_case_get_checkpoint        (TpCase              *self);
const char           *tp_case_get_officer           (TpCase              *self);
TpRoles               tp_case_get_role              (TpCase              *self);
/* Another officer takes the case over (a supervisor, after an
 * escalation): later events carry their login and role. */
void                  tp_case_set_officer           (TpCase              *self,
                                                     const char          *officer,
                                                     TpRoles              role);

/* ---- data in ---- */

/* The printed MRZ, lines separated by white space (or a keyboard-wedge
 * reader's single run). Fails with TP_CASE_ERROR_INVALID, naming the
 * first field in error, when the text is not a valid MRZ (every check
 * digit must hold: a typo must not become an identity). FALSE with the
 * MRZ taken in when only recording the new verdict failed (see
 * record-error). */
gboolean              tp_case_set_printed_mrz       (TpCase              *self,
                                                     const char          *text,
                                                     GError             **error);
/* A chip read (takes @document). FALSE only when recording the new
 * verdict failed. */
gboolean              tp_case_set_document          (TpCase              *self,
                                                     TpDocument          *document,
                                                     GError             **error);
/* Reads the chip on @reader's worker with the printed MRZ as access key
 * (TP_CASE_ERROR_NOT_READY without one) and sets the document. */
void                  tp_case_read_document_async   (TpCase              *self,
                                                     TpReader            *reader,
                                                     const TpReadOptions *options,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
gboolean              tp_case_read_document_finish  (TpCase              *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);
/* A scanned boarding pass (its barcode text). Fails when the text is not
 * a boarding pass; a pass that fails its checks is taken, with the
 * failures in the boarding check. */
gboolean              tp_case_set_boarding_pass     (TpCase              *self,
                                                     const char          *text,
                                                     GError             **error);

/* ---- what the case holds ---- */

const TpMrz          *tp_case_get_printed_mrz       (TpCase              *self);
const TpDocument     *tp_case_get_document         (TpCase              *self);
/* TRUE when a chip was read and every check of it held. */
gboolean              tp_case_get_document_verified (TpCase              *self);
const TpBcbp         *tp_case_get_boarding_pass     (TpCase              *self);
/* NULL before a pass is scanned. */
const TpBoardingCheck *tp_case_get_boarding_check   (TpCase              *self);
/* The leg that departs from this airport, or NULL. */
const TpBcbpLeg      *tp_case_get_departing_leg     (TpCase              *self);

TpIdentitySource      tp_case_get_identity_source   (TpCase              *self);
/* The zone shown as the traveller's identity, or NULL. */
const TpMrz          *tp_case_get_identity          (TpCase              *self);
/* The name with diacritics from verified DG11, or NULL. */
const char           *tp_case_get_full_name         (TpCase              *self);
/* What the officer must know about the identity, or NULL. */
const char           *tp_case_get_identity_note     (TpCase              *self);

/* TRUE once the identity was screened. */
gboolean              tp_case_get_screened          (TpCase              *self);
/* TRUE while an identity waits for the checkpoint's matcher to load. */
gboolean              tp_case_get_waiting_for_list  (TpCase              *self);
TpVerdict             tp_case_get_verdict           (TpCase              *self);
/* Why the verdict is what it is beyond the hits (both identities
 * screened, unverified chip data...), or NULL. */
const char           *tp_case_get_verdict_note      (TpCase              *self);
/* Every hit of the screening (TpHit, best first; with two identities
 * screened, each entry once, at its better band). */
GPtrArray            *tp_case_get_hits              (TpCase              *self);
/* Microseconds the last screening took. */
gint64                tp_case_get_screening_us      (TpCase              *self);
/* The hits as @role may see them (TpHitView, same order); the details
 * come from the store. */
GPtrArray            *tp_case_dup_hit_views         (TpCase              *self,
                                                     TpRoles              role,
                                                     GError             **error);

/* The timeline: every event of the case (JsonNode objects), oldest
 * first. */
GPtrArray            *tp_case_get_events            (TpCase              *self);
/* Why the last event could not be recorded (the case keeps it, without
 * "audit"), or NULL. */
const GError         *tp_case_get_record_error      (TpCase              *self);

/* ---- the officer ---- */

/* The check event for the case as it stands (not recorded: checks are
 * recorded as the verdict changes). */
JsonNode             *tp_case_build_check_event     (TpCase              *self);
/* Records a decision as an event, after checking it (mandatory members,
 * the officer's role). clear_false_positive also stores the clearance
 * and re-screens. */
gboolean              tp_case_decide                (TpCase              *self,
                                                     const TpDecision    *decision,
                                                     GError             **error);
/* Records an escalation to the supervisor; returns its event id (for the
 * resolve decision), or NULL. */
char                 *tp_case_escalate              (TpCase              *self,
                                                     const char          *reason,
                                                     GError             **error);
gboolean              tp_case_add_note              (TpCase              *self,
                                                     const char          *text,
                                                     GError             **error);

/* "allow_exit"... and back */
const char           *tp_decision_action_to_string  (TpDecisionAction     action);
gboolean              tp_decision_action_from_string (const char         *text,
                                                     TpDecisionAction    *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpHitView, tp_hit_view_free)

G_END_DECLS
