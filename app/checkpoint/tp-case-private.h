/* tp-case-private.h: what the checkpoint layer's own files share of TpCase
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tp-case.h"

G_BEGIN_DECLS

/* tp_checkpoint_new_case() */
TpCase     *_tp_case_new               (TpCheckpoint *checkpoint,
                                        const char   *officer,
                                        TpRoles       role);

/* tp-case-events.c: a new event object with the common members ("id",
 * "type", "at", "case_id", "officer", "role"); add the type's own. */
JsonObject *_tp_case_event_new         (TpCase       *self,
                                        const char   *type);
/* The type-specific members of a check event for the case as it stands. */
void        _tp_case_add_check_members (TpCase       *self,
                                        JsonObject   *event);
/* RFC 3339 UTC with milliseconds: "2026-12-06T06:09:22.123Z" */
char       *_tp_case_format_time       (GDateTime    *time);

G_END_DECLS
