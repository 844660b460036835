/* tp-sync-message.h: what the hub says to a terminal outside the feed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Push messages (GET /v1/push, WebSocket text frames, docs/feed.md §10):
 *   {"head": N}                   change N is committed (a hint: the head
 *                                 is fetched and verified as always)
 *   {"escalation": {...event...}} for supervisor terminals
 * and the answer to POST /v1/reconcile (§11), one JSON object that may be
 * long (every event id the hub lacks or holds extra).
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* A reconcile answer is read up to this size */
#define TP_SYNC_MAX_ANSWER (16 * 1024 * 1024)

typedef enum {
  TP_SYNC_MESSAGE_HEAD,
  TP_SYNC_MESSAGE_ESCALATION,
  TP_SYNC_MESSAGE_OTHER,        /* well-formed, of a kind this version ignores */
} TpSyncMessageKind;

/* *@out_seq for HEAD; *@out_escalation (owned) for ESCALATION. */
gboolean    tp_sync_parse_push_message (const char         *text,
                                        gsize               length,
                                        TpSyncMessageKind  *out_kind,
                                        guint64            *out_seq,
                                        JsonNode          **out_escalation,
                                        GError            **error);

/* The hub's answer to a reconcile: an object with "shift", "status" ("ok"
 * or "discrepancy"), "hub_lacks" and "hub_extra" (arrays of strings). */
JsonNode   *tp_sync_parse_reconcile_answer (const char     *text,
                                            gsize           length,
                                            GError        **error);

G_END_DECLS
