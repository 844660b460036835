/* tp-case-page.h: the single touch point: one traveller, one case
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The verdict banner; the traveller (chip face photo, identity, document
 * checks one by one); the journey (boarding pass legs and their checks);
 * hits grouped by owning agency; the signed-in role's decisions; the
 * shared timeline. Decision buttons are named by their action ("Allow
 * exit", "Deny exit"...), and emit ::decision with the action id of the
 * terminal event contract ("allow_exit", "deny_exit"...).
 */
#pragma once

#include <gtk/gtk.h>

#include "tp-bcbp.h"
#include "tp-boarding-check.h"
#include "tp-entry.h"
#include "tp-verdict-banner.h"

G_BEGIN_DECLS

#define TP_TYPE_CASE_PAGE (tp_case_page_get_type ())
G_DECLARE_FINAL_TYPE (TpCasePage, tp_case_page, TP, CASE_PAGE, GtkWidget)

GtkWidget       *tp_case_page_new                 (void);

/* Which decisions are offered: those of @role (0: none). */
void             tp_case_page_set_role            (TpCasePage      *self,
                                                   TpRoles          role);
/* This checkpoint's airport (IATA), for the journey checks. */
void             tp_case_page_set_airport         (TpCasePage      *self,
                                                   const char      *airport);
/* Back to "no traveller": every section empty, decisions off. */
void             tp_case_page_reset               (TpCasePage      *self);

TpVerdictBanner *tp_case_page_get_banner          (TpCasePage      *self);

/* Shows a scanned boarding pass and its checks in the journey section.
 * @check may be NULL (no passport to compare yet). */
void             tp_case_page_show_boarding_pass  (TpCasePage            *self,
                                                   const TpBcbp          *pass,
                                                   const TpBoardingCheck *check);

/* The label of a decision's button ("Allow exit") for an action id
 * ("allow_exit"), translated; NULL for an unknown id. */
const char      *tp_case_page_action_label        (const char      *action);
/* The action ids offered to @role, in button order (static, NULL-terminated
 * in @out, at most 8). */
guint            tp_case_page_actions_for_role    (TpRoles          role,
                                                   const char     **out);

G_END_DECLS
