/* tp-decisions.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "tp-decisions.h"

/* Every decision of the event contract, in button order, and who takes it. */
static const struct {
  const char *action;
  const char *label;
  TpRoles     roles;
  const char *style;
} decisions[] = {
  { "allow_exit",           N_("Allow exit"),           TP_ROLE_IMMIGRATION, "suggested-action" },
  { "deny_exit",            N_("Deny exit"),            TP_ROLE_IMMIGRATION, "destructive-action" },
  { "refer_customs",        N_("Refer to customs"),     TP_ROLE_IMMIGRATION, NULL },
  { "select_screening",     N_("Select for screening"), TP_ROLE_CUSTOMS,     "destructive-action" },
  { "record_findings",      N_("Record findings"),      TP_ROLE_CUSTOMS,     NULL },
  { "refer_immigration",    N_("Refer to immigration"), TP_ROLE_CUSTOMS,     NULL },
  { "escalate",             N_("Escalate"),             TP_ROLE_IMMIGRATION | TP_ROLE_CUSTOMS, NULL },
  { "resolve",              N_("Resolve"),              TP_ROLE_SUPERVISOR,  "suggested-action" },
  { "override",             N_("Override"),             TP_ROLE_SUPERVISOR,  "destructive-action" },
  { "clear_false_positive", N_("Clear false positive"), TP_ROLE_SUPERVISOR,  NULL },
};

/* Categories of customs findings: the id recorded, and what is shown. */
static const struct {
  const char *id;
  const char *label;
} categories[] = {
  { "nothing_found",     N_("Nothing found") },
  { "undeclared_goods",  N_("Undeclared goods") },
  { "prohibited_goods",  N_("Prohibited goods") },
  { "currency",          N_("Currency above the declared limit") },
  { "other",             N_("Other (say what in the reason)") },
};

static gint
find_action (const char *action)
{
  for (guint i = 0; i < G_N_ELEMENTS (decisions); i++)
    if (g_strcmp0 (decisions[i].action, action) == 0)
      return (gint) i;
  return -1;
}

const char *
tp_decisions_action_label (const char *action)
{
  gint i = find_action (action);

  return i < 0 ? NULL : _(decisions[i].label);
}

const char *
tp_decisions_action_style (const char *action)
{
  gint i = find_action (action);

  return i < 0 ? NULL : decisions[i].style;
}

guint
tp_decisions_for_role (TpRoles      role,
                       const char **out)
{
  guint n = 0;

  g_return_val_if_fail (out != NULL, 0);

  for (guint i = 0; i < G_N_ELEMENTS (decisions) && n < 8; i++)
    if (decisions[i].roles & role)
      out[n++] = decisions[i].action;
  out[n] = NULL;
  return n;
}

guint
tp_decisions_n_categories (void)
{
  return G_N_ELEMENTS (categories);
}

const char *
tp_decisions_category_id (guint i)
{
  g_return_val_if_fail (i < G_N_ELEMENTS (categories), NULL);

  return categories[i].id;
}

const char *
tp_decisions_category_label (const char *category)
{
  for (guint i = 0; i < G_N_ELEMENTS (categories); i++)
    if (g_strcmp0 (categories[i].id, category) == 0)
      return _(categories[i].label);
  return category;
}
