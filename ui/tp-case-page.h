/* tp-case-page.h: the single touch point: one traveller, one case
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shows the counter's current TpCase as it fills: the verdict banner; the
 * traveller (chip face photo, identity, the chip read's progress, each
 * document check with the reason for any failure); the journey (boarding
 * pass legs and their checks); hits grouped by owning agency, with their
 * details only for a role in the entry's visibility; the signed-in role's
 * decisions; the shared timeline. Decision buttons are named by their
 * action ("Allow exit", "Deny exit"...) and emit ::decision with the
 * action id of the event contract ("allow_exit"...); the window asks for
 * what the decision needs and records it on the case.
 */
#pragma once

#include <gtk/gtk.h>

#include "tp-counter.h"
#include "tp-verdict-banner.h"

G_BEGIN_DECLS

#define TP_TYPE_CASE_PAGE (tp_case_page_get_type ())
G_DECLARE_FINAL_TYPE (TpCasePage, tp_case_page, TP, CASE_PAGE, GtkWidget)

GtkWidget       *tp_case_page_new                 (void);

/* The counter whose current case is shown (NULL: none). */
void             tp_case_page_set_counter         (TpCasePage      *self,
                                                   TpCounter       *counter);
/* The signed-in role: which decisions are offered, and what of each hit
 * is shown (0: none). */
void             tp_case_page_set_role            (TpCasePage      *self,
                                                   TpRoles          role);
TpRoles          tp_case_page_get_role            (TpCasePage      *self);

TpVerdictBanner *tp_case_page_get_banner          (TpCasePage      *self);
/* The case shown, or NULL. */
TpCase          *tp_case_page_get_case            (TpCasePage      *self);
/* Redraws from the case now rather than at the next idle (tests, and
 * measurements of data-to-screen latency). */
void             tp_case_page_update_now          (TpCasePage      *self);
/* When the page last drew a case's journey, and when it last showed the
 * case at all (monotonic µs). */
gint64           tp_case_page_get_journey_shown   (TpCasePage      *self);
gint64           tp_case_page_get_updated         (TpCasePage      *self);

/* "Customs", "Tax"... translated. */
const char      *tp_case_page_agency_label        (TpAgency         agency);

G_END_DECLS
