/* tp-feed-event.h: a terminal event (check, decision, escalation, note)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What TpCase produces, the terminal's outbox holds and POST /v1/events
 * carries, one JSON object per line (docs/feed.md, "Events"). Common
 * members, all required:
 *   {"id": "<UUID>", "type": "check"|"decision"|"escalation"|"note",
 *    "at": "<RFC 3339>", "case_id": "<UUID>", "officer": "IMM-01",
 *    "role": "immigration"|"customs"|"supervisor", ...}
 * then the type's members. Members this version does not know are kept.
 * "terminal", "airport" and "checkpoint" are the hub's to stamp from the
 * client certificate: tp_feed_event_stamp() overwrites whatever came.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "tp-entry.h"

G_BEGIN_DECLS

typedef enum {
  TP_EVENT_CHECK,
  TP_EVENT_DECISION,
  TP_EVENT_ESCALATION,
  TP_EVENT_NOTE,
} TpEventType;

typedef struct {
  char        *id;         /* lower-case UUID */
  TpEventType  type;
  GDateTime   *at;
  char        *case_id;
  char        *officer;
  TpRoles      role;       /* one role */
  char        *verdict;    /* check and escalation; NULL otherwise */
  char        *action;     /* decision; NULL otherwise */
  JsonNode    *node;       /* the whole object, unknown members included */
} TpFeedEvent;

TpFeedEvent *tp_feed_event_parse          (const char        *text,
                                           gsize              length,
                                           GError           **error);
TpFeedEvent *tp_feed_event_new_from_node  (JsonNode          *node,
                                           GError           **error);
void         tp_feed_event_free           (TpFeedEvent       *event);
/* Sets the terminal identity members (from the hub's view of the client
 * certificate), replacing any the terminal sent. */
void         tp_feed_event_stamp          (TpFeedEvent       *event,
                                           const char        *terminal,
                                           const char        *airport,
                                           const char        *checkpoint);
/* Canonical JSON of the event object, one line, no newline. */
char        *tp_feed_event_to_json        (const TpFeedEvent *event);

const char  *tp_event_type_to_string      (TpEventType        type);
gboolean     tp_event_type_from_string    (const char        *text,
                                           TpEventType       *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpFeedEvent, tp_feed_event_free)

G_END_DECLS
