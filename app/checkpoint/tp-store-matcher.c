/* tp-store-matcher.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tp-store-matcher.h"

static gboolean
add_entry_cb (const TpEntry *entry,
              gpointer       user_data)
{
  tp_matcher_add_entry (user_data, entry);
  return TRUE;
}

TpMatcher *
tp_store_load_matcher (TpStore  *store,
                       GError  **error)
{
  g_autoptr(TpMatcher) matcher = NULL;
  g_autoptr(GPtrArray) clearances = NULL;

  g_return_val_if_fail (TP_IS_STORE (store), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  matcher = tp_matcher_new ();
  if (!tp_store_foreach_current (store, add_entry_cb, matcher, error))
    return NULL;
  clearances = tp_store_list_clearances (store, error);
  if (clearances == NULL)
    return NULL;
  for (guint i = 0; i < clearances->len; i++)
    {
      const TpClearance *c = g_ptr_array_index (clearances, i);

      tp_matcher_add_clearance (matcher, c->document_key, c->entry_id, c->entry_version,
                                c->expires_at);
    }
  tp_matcher_build (matcher);
  return g_steal_pointer (&matcher);
}
