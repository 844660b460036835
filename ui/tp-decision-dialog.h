/* tp-decision-dialog.h: what a decision needs, asked before it is recorded
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One dialog per decision on the current case: it shows what the officer
 * must know (deny exit: the notice reference to hand to the traveller)
 * and asks for what the decision needs (a reason, mandatory for an
 * override, an escalation and a cleared false positive; the category of
 * findings; the entry cleared). The confirming button carries the
 * decision's name ("Deny exit") and is enabled only when the decision is
 * complete. tp_decision_dialog_apply() records it on the case (an event:
 * audit log, then the outbox).
 */
#pragma once

#include <adwaita.h>

#include "tp-case.h"

G_BEGIN_DECLS

#define TP_TYPE_DECISION_DIALOG (tp_decision_dialog_get_type ())
G_DECLARE_FINAL_TYPE (TpDecisionDialog, tp_decision_dialog, TP, DECISION_DIALOG, AdwMessageDialog)

/* @action: the event contract's id ("deny_exit"...); @role: the officer's,
 * which decides what of each hit may be shown. */
TpDecisionDialog *tp_decision_dialog_new        (GtkWindow        *parent,
                                                 TpCase           *kase,
                                                 TpRoles           role,
                                                 const char       *action);
const char       *tp_decision_dialog_get_action (TpDecisionDialog *self);
/* The notice reference shown for deny_exit, or NULL. */
const char       *tp_decision_dialog_get_notice (TpDecisionDialog *self);
/* Fills the reason field (tests, keyboard-less callers). */
void              tp_decision_dialog_set_reason (TpDecisionDialog *self,
                                                 const char       *reason);
/* TRUE when the decision has what it needs. */
gboolean          tp_decision_dialog_get_ready  (TpDecisionDialog *self);
/* Records the decision on the case. */
gboolean          tp_decision_dialog_apply      (TpDecisionDialog *self,
                                                 GError          **error);

G_END_DECLS
