/* tp-hit-view.c: a case's hits as one role may see them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * BRIEF §2: an entry's visibility lists the roles that may see its
 * details; everyone else sees only that there is a hit and which agency
 * owns it ("refer to customs"), never the basis. The rule lives here, so
 * that the window and the CLI show the same thing to the same role.
 */
#include "config.h"

#include "tp-case.h"

void
tp_hit_view_free (TpHitView *view)
{
  if (view == NULL)
    return;
  g_free (view->refer_to);
  g_free (view->entry_id);
  g_free (view->explanation);
  g_free (view->full_name);
  g_free (view->basis_reference);
  g_free (view->basis_issued_by);
  g_free (view->basis_issued_at);
  g_free (view->basis_reason);
  g_free (view->effective_from);
  g_free (view->effective_until);
  g_free (view);
}

static char *
format_date (const GDate *date)
{
  char text[16];

  if (!g_date_valid (date))
    return NULL;
  g_date_strftime (text, sizeof text, "%Y-%m-%d", date);
  return g_strdup (text);
}

/* The version the hit was made on, else the latest the store has. */
static const TpEntry *
version_of (GPtrArray   *versions,
            const TpHit *hit)
{
  for (guint i = 0; i < versions->len; i++)
    {
      const TpEntry *entry = g_ptr_array_index (versions, i);

      if (entry->version == hit->entry_version)
        return entry;
    }
  return versions->len > 0 ? g_ptr_array_index (versions, versions->len - 1) : NULL;
}

GPtrArray *
tp_case_dup_hit_views (TpCase   *self,
                       TpRoles   role,
                       GError  **error)
{
  g_autoptr(GPtrArray) views = g_ptr_array_new_with_free_func ((GDestroyNotify) tp_hit_view_free);
  TpStore *store;
  GPtrArray *hits;

  g_return_val_if_fail (TP_IS_CASE (self), NULL);
  g_return_val_if_fail (role == TP_ROLE_IMMIGRATION || role == TP_ROLE_CUSTOMS ||
                        role == TP_ROLE_SUPERVISOR, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  store = tp_checkpoint_get_store (tp_case_get_checkpoint (self));
  hits = tp_case_get_hits (self);
  for (guint i = 0; i < hits->len; i++)
    {
      const TpHit *hit = g_ptr_array_index (hits, i);
      g_autoptr(GPtrArray) versions = tp_store_get_entry (store, hit->entry_id, error);
      TpHitView *view;
      const TpEntry *entry;

      if (versions == NULL)
        return NULL;
      entry = version_of (versions, hit);
      view = g_new0 (TpHitView, 1);
      view->agency = hit->agency;
      view->refer_to = g_strdup_printf ("refer to %s", tp_agency_to_string (hit->agency));
      /* Without the entry (gone from the store since), nothing is shown
       * beyond the owner. */
      view->visible = entry != NULL && (entry->visibility & role) != 0;
      if (view->visible)
        {
          view->entry_id = g_strdup (hit->entry_id);
          view->entry_version = hit->entry_version;
          view->list = hit->list;
          view->action = hit->action;
          view->band = hit->band;
          view->score = hit->score;
          view->explanation = g_strdup (hit->explanation);
          view->full_name = g_strdup (entry->full_name);
          view->basis_reference = g_strdup (entry->basis_reference);
          view->basis_issued_by = g_strdup (entry->basis_issued_by);
          view->basis_issued_at = g_strdup (entry->basis_issued_at);
          view->basis_reason = g_strdup (entry->basis_reason);
          view->effective_from = format_date (&entry->effective_from);
          view->effective_until = format_date (&entry->effective_until);
        }
      g_ptr_array_add (views, view);
    }
  return g_steal_pointer (&views);
}
