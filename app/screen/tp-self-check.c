/* tp-self-check.c: list entries their own data would not hit
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tp-self-check.h"

TpQuery *
tp_query_new_for_entry (const TpEntry *entry)
{
  TpQuery *query;
  const TpIdentifier *passport = NULL, *personal = NULL;

  g_return_val_if_fail (entry != NULL, NULL);

  query = tp_query_new ();
  query->id = g_strdup (entry->id);
  query->full_name = g_strdup (entry->full_name);
  query->sex = entry->sex;
  query->birth_date = entry->birth_date;
  if (query->birth_date.year != 0 && query->birth_date.month == 0)
    {
      query->birth_date.month = 7;
      query->birth_date.day = 1;
    }
  else if (query->birth_date.year != 0 && query->birth_date.day == 0)
    query->birth_date.day = 15;
  if (entry->nationality[0] != '\0')
    query->nationality = g_strdup (entry->nationality);

  for (guint i = 0; entry->identifiers != NULL && i < entry->identifiers->len; i++)
    {
      const TpIdentifier *id = g_ptr_array_index (entry->identifiers, i);

      if (id->type == TP_ID_PASSPORT && passport == NULL)
        passport = id;
      else if (tp_identifier_is_personal_number (id) && personal == NULL)
        personal = id;
    }
  if (passport != NULL)
    {
      query->document_number = g_strdup (passport->value);
      query->issuing_state = g_strdup (passport->country != NULL ? passport->country : query->nationality);
    }
  if (personal != NULL)
    query->personal_number = g_strdup (personal->value);
  return query;
}

static gboolean
lists (GPtrArray  *hits,
       const char *entry_id)
{
  for (guint i = 0; i < hits->len; i++)
    if (g_str_equal (((const TpHit *) g_ptr_array_index (hits, i))->entry_id, entry_id))
      return TRUE;
  return FALSE;
}

gboolean
tp_matcher_hits_own_data (TpMatcher             *matcher,
                          const TpEntry         *entry,
                          const TpScreenOptions *options)
{
  g_autoptr(TpQuery) query = NULL;
  g_autoptr(TpScreenResult) result = NULL;
  TpScreenOptions all;

  g_return_val_if_fail (matcher != NULL, FALSE);
  g_return_val_if_fail (entry != NULL && entry->id != NULL, FALSE);
  g_return_val_if_fail (options != NULL, FALSE);

  /* Every hit counts, not only the first few */
  all = *options;
  all.max_hits = G_MAXUINT;
  query = tp_query_new_for_entry (entry);

  /* Most entries carry a document the traveller presents: the identifiers
   * alone tell, at a fraction of the cost of the name search */
  if (query->document_number != NULL || query->personal_number != NULL)
    {
      g_autoptr(TpQuery) documents = tp_query_new ();
      g_autoptr(TpScreenResult) by_documents = NULL;

      documents->document_number = g_strdup (query->document_number);
      documents->issuing_state = g_strdup (query->issuing_state);
      documents->nationality = g_strdup (query->nationality);
      documents->personal_number = g_strdup (query->personal_number);
      by_documents = tp_matcher_screen (matcher, documents, &all);
      if (lists (by_documents->hits, entry->id) || lists (by_documents->suppressed, entry->id))
        return TRUE;
    }

  result = tp_matcher_screen (matcher, query, &all);
  return lists (result->hits, entry->id) || lists (result->suppressed, entry->id);
}
