/* tp-case-event.h: writing a case's events in the terminal event format
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The members of the terminal → hub contract (tp-case.h lists them; the
 * hub reads them with app/feed/tp-feed-event.h). Nothing here decides:
 * the case has the facts, these functions write them.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "tp-bcbp.h"
#include "tp-document.h"
#include "tp-entry.h"
#include "tp-identity.h"
#include "tp-matcher.h"
#include "tp-mrz.h"

G_BEGIN_DECLS

/* A new event object with the common members: "id" (a new UUID v4),
 * "type", "at", "case_id", "officer", "role"; add the type's own. */
JsonObject *tp_case_event_new          (const char       *type,
                                        GDateTime        *at,
                                        const char       *case_id,
                                        const char       *officer,
                                        TpRoles           role);

/* The members of a check: "verdict", "list_seq", "document" (from
 * @identity, null without), "verified", "hits" (TpHit), "flight" (from
 * @leg, null without) and "identity" (@source). */
void        tp_case_event_add_check    (JsonObject       *event,
                                        TpVerdict         verdict,
                                        gint64            list_seq,
                                        const TpMrz      *identity,
                                        gboolean          verified,
                                        GPtrArray        *hits,
                                        const TpBcbpLeg  *leg,
                                        TpIdentitySource  source);

/* Beyond the contract, on a check: "verification_failures", why the chip
 * read did not verify (tp_document_get_failures()), so that the audit
 * log keeps the reason with the verdict: [] when it verified, null
 * without a chip read. */
void        tp_case_event_add_verification (JsonObject       *event,
                                            const TpDocument *document);

/* RFC 3339 UTC with milliseconds: "2026-12-06T06:09:22.123Z" */
char       *tp_case_event_format_time  (GDateTime        *time);

G_END_DECLS
