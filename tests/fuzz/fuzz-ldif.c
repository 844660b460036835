/* fuzz-ldif.c: libFuzzer target for LDIF (ICAO PKD downloads)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The input is parsed as LDIF (every record and attribute is walked), then
 * taken apart into trust items and offered to a trust store, as `trust
 * import` and `read --trust` do with a PKD download.
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "tp-ldif.h"
#include "tp-trust-store.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  volatile gsize total = 0;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = tp_ldif_parse (data, size, &error);
  g_autoptr(GPtrArray) items = NULL;

  g_assert ((entries == NULL) == (error != NULL));
  for (guint i = 0; entries != NULL && i < entries->len; i++)
    {
      const TpLdifEntry *entry = g_ptr_array_index (entries, i);

      g_assert (entry->dn != NULL);
      g_assert (entry->line >= 1);
      total += strlen (entry->dn);
      for (guint a = 0; a < entry->attributes->len; a++)
        {
          const TpLdifAttribute *attribute = g_ptr_array_index (entry->attributes, a);

          g_assert (attribute->description[0] != '\0');
          total += g_bytes_get_size (attribute->value);
          total += tp_ldif_attribute_is (attribute, "userCertificate");
        }
    }
  total += tp_ldif_looks_like (data, size);

  g_clear_error (&error);
  items = tp_trust_items_from_data (data, size, "fuzz", &error);
  g_assert ((items == NULL) == (error != NULL));
  if (items != NULL)
    {
      g_autoptr(TpTrustStore) store = tp_trust_store_new (TP_TRUST_STORE_ACCEPT_UNVERIFIED_MASTER_LISTS);

      g_assert (items->len > 0);
      for (guint i = 0; i < items->len; i++)
        {
          g_autoptr(GError) item_error = NULL;
          TpTrustSource *source = tp_trust_store_add_item (store, g_ptr_array_index (items, i), &item_error);

          g_assert ((source == NULL) == (item_error != NULL));
        }
      total += tp_trust_store_get_n_anchors (store);
    }

  {
    g_autoptr(TpTrustStore) store = tp_trust_store_new (TP_TRUST_STORE_FLAGS_NONE);

    (void) tp_trust_store_add_data (store, data, size, "fuzz", NULL);
    total += tp_trust_store_get_sources (store)->len;
  }

  (void) total;
  return 0;
}
