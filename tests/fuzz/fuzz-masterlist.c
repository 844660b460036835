/* fuzz-masterlist.c: libFuzzer target for CSCA master lists
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The input is offered as a master list (CMS SignedData holding a
 * CscaMasterList) to a strict trust store and to one that takes lists
 * without a trusted signer, so that the signer profile, the signature and
 * the rule that only CSCA certificates become anchors all run; then as
 * trust items one by one.
 */
#include "config.h"

#include <stdint.h>

#include "tp-trust-store.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  volatile gsize total = 0;
  TpTrustStoreFlags flags[] = { TP_TRUST_STORE_FLAGS_NONE, TP_TRUST_STORE_ACCEPT_UNVERIFIED_MASTER_LISTS };

  for (gsize f = 0; f < G_N_ELEMENTS (flags); f++)
    {
      g_autoptr(TpTrustStore) store = tp_trust_store_new (flags[f]);
      g_autoptr(GError) error = NULL;
      GPtrArray *sources;

      if (!tp_trust_store_add_data (store, data, size, "fuzz.ml", &error))
        g_assert (error != NULL);
      sources = tp_trust_store_get_sources (store);
      for (guint i = 0; i < sources->len; i++)
        {
          const TpTrustSource *source = g_ptr_array_index (sources, i);

          if (source->kind == TP_TRUST_SOURCE_MASTER_LIST && source->accepted)
            g_assert (source->signature_ok);
          total += source->n_anchors + source->n_ignored;
        }
      /* every anchor is a CSCA certificate, whatever the list held */
      for (guint i = 0; i < tp_trust_store_get_n_anchors (store); i++)
        g_assert (tp_x509_is_csca (g_ptr_array_index (tp_trust_store_get_anchors (store), i)));
    }

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) items = tp_trust_items_from_data (data, size, "fuzz.ml", &error);

    g_assert ((items == NULL) == (error != NULL));
    total += items != NULL ? items->len : 0;
  }

  (void) total;
  return 0;
}
