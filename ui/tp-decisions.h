/* tp-decisions.h: the decisions of the event contract as the counter shows them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each decision's action id ("allow_exit", as events carry it), its label,
 * the roles that take it and its button style, in button order; and the
 * categories of customs findings. The case page makes its buttons and
 * timeline from these, the decision dialog its heading and choices.
 */
#pragma once

#include <glib.h>

#include "tp-entry.h"

G_BEGIN_DECLS

/* The label of a decision's button ("Allow exit") for an action id
 * ("allow_exit"), translated; NULL for an unknown id. */
const char *tp_decisions_action_label   (const char   *action);
/* The action ids offered to @role, in button order (static, NULL-terminated
 * in @out, at most 8); their number. */
guint       tp_decisions_for_role       (TpRoles       role,
                                         const char  **out);
/* The style class of the decision's button ("suggested-action"), or NULL. */
const char *tp_decisions_action_style   (const char   *action);

/* Findings categories in the order offered: the number of them, and the
 * id recorded / label shown of the @i-th. */
guint       tp_decisions_n_categories   (void);
const char *tp_decisions_category_id    (guint         i);
/* Translated; an unknown id is returned as it is. */
const char *tp_decisions_category_label (const char   *category);

G_END_DECLS
