/* fuzz-entry.c: libFuzzer target for the list entry decoder
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Decodes the input as one entry. When it is accepted, the canonical form
 * must decode again to the same canonical form (round trip), the digest and
 * the identifier values must hold what the store relies on, and the
 * effective-date check must not crash on any date.
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "tp-entry.h"
#include "tp-state-hash.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(TpEntry) entry = NULL;
  g_autoptr(TpEntry) again = NULL;
  g_autoptr(TpEntry) copy = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  g_autofree char *json2 = NULL;
  g_autofree char *json3 = NULL;
  guint8 digest[TP_STATE_HASH_SIZE];
  TpStateHash hash;
  GDate day;

  if (size > 64 * 1024)
    return 0;
  entry = tp_entry_from_json ((const char *) data, (gssize) size, &error);
  if (entry == NULL)
    {
      g_assert (error != NULL);
      g_assert (g_utf8_validate (error->message, -1, NULL));
      return 0;
    }
  g_assert (error == NULL);
  g_assert (entry->id != NULL && entry->version >= 1);
  g_assert (g_date_valid (&entry->effective_from));
  g_assert (entry->full_name != NULL || entry->identifiers->len > 0);
  for (guint i = 0; i < entry->identifiers->len; i++)
    {
      const TpIdentifier *id = g_ptr_array_index (entry->identifiers, i);

      g_assert (id->value[0] != '\0');
      g_assert (strpbrk (id->value, " :;abcdefghijklmnopqrstuvwxyz") == NULL);
      g_assert (id->country == NULL || strlen (id->country) == 3);
    }

  json = tp_entry_to_json (entry);
  again = tp_entry_from_json (json, -1, &error);
  g_assert_no_error (error);
  json2 = tp_entry_to_json (again);
  g_assert_cmpstr (json, ==, json2);
  copy = tp_entry_copy (entry);
  json3 = tp_entry_to_json (copy);
  g_assert_cmpstr (json, ==, json3);

  tp_entry_digest (entry, digest);
  tp_state_hash_init (&hash);
  tp_state_hash_add_entry (&hash, entry);
  tp_state_hash_remove_digest (&hash, digest);

  g_date_clear (&day, 1);
  g_date_set_dmy (&day, 1, 5, 2026);
  (void) tp_entry_is_effective (entry, &day);
  return 0;
}
