/* fuzz-sod.c: libFuzzer target for EF.SOD, the LDSSecurityObject and CMS
 * master lists
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The input is parsed as EF.SOD; a SOD that parses has its signature
 * checked and goes through passive authentication with no data groups and
 * an empty trust store. The input, with and without a 77 header, is also
 * offered to a trust store as a master list, certificate or CRL.
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "tp-passive-auth.h"
#include "tp-sod.h"
#include "tp-trust-store.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  volatile gsize total = 0;
  g_autoptr(GError) error = NULL;
  g_autoptr(TpSod) sod = tp_sod_parse (data, size, &error);

  g_assert ((sod == NULL) == (error != NULL));
  if (sod != NULL)
    {
      GBytes *dgs[17] = { NULL };
      g_autoptr(TpPassiveAuthResult) result = NULL;
      EVP_MD *md = tp_sod_fetch_digest (sod);

      g_assert (sod->hashes->len > 0);
      for (guint i = 0; i < sod->hashes->len; i++)
        {
          const TpSodHash *h = &g_array_index (sod->hashes, TpSodHash, i);

          g_assert (h->dg >= 1 && h->dg <= 16);
          g_assert (tp_sod_find_hash (sod, h->dg) == h);
          total += g_bytes_get_size (h->value);
        }
      total += strlen (sod->digest_oid) + strlen (sod->signature_algorithm);
      EVP_MD_free (md);

      g_clear_error (&error);
      if (!tp_sod_verify_signature (sod, NULL, &error))
        g_assert (error != NULL);

      result = tp_passive_auth_verify_sod (sod, dgs, NULL, NULL, NULL);
      g_assert (result->verdict == TP_PASSIVE_AUTH_INVALID);
      total += result->errors->len;
    }

  {
    g_autoptr(TpTrustStore) store = tp_trust_store_new (TP_TRUST_STORE_ACCEPT_UNVERIFIED_MASTER_LISTS);
    g_autoptr(GError) store_error = NULL;

    if (size > 4 && data[0] == 0x77)
      {
        gsize skip = data[1] < 0x80 ? 2 : 2 + (data[1] & 0x7F);

        if (skip < size)
          tp_trust_store_add_data (store, data + skip, size - skip, "fuzz", NULL);
      }
    if (!tp_trust_store_add_data (store, data, size, "fuzz", &store_error))
      g_assert (store_error != NULL);
    total += tp_trust_store_get_n_anchors (store);
  }

  (void) total;
  return 0;
}
