/* tp-passive-auth.c: passive authentication of an eMRTD
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <openssl/crypto.h>
#include <openssl/err.h>

#include "tp-error.h"
#include "tp-passive-auth.h"

static TpPassiveAuthResult *
result_new (void)
{
  TpPassiveAuthResult *result = g_new0 (TpPassiveAuthResult, 1);

  result->verdict = TP_PASSIVE_AUTH_INVALID;
  result->hashes = g_array_new (FALSE, TRUE, sizeof (TpPassiveAuthHash));
  result->chain_status = TP_CHAIN_NO_CERTIFICATE;
  result->revocation = TP_REVOCATION_NOT_CHECKED;
  result->errors = g_ptr_array_new_with_free_func (g_free);
  result->warnings = g_ptr_array_new_with_free_func (g_free);
  return result;
}

static char *
asn1_time_to_iso (const ASN1_TIME *t)
{
  struct tm tm;

  if (t == NULL || !ASN1_TIME_to_tm (t, &tm))
    return NULL;
  return g_strdup_printf ("%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                          tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

static char *
serial_to_hex (const ASN1_INTEGER *serial)
{
  BIGNUM *bn = ASN1_INTEGER_to_BN (serial, NULL);
  char *hex, *out;

  if (bn == NULL)
    return NULL;
  hex = BN_bn2hex (bn);
  out = g_strdup (hex);
  OPENSSL_free (hex);
  BN_free (bn);
  return out;
}

/* The extent of the data object a file holds (tag, length, value): what
 * the SOD hashes. A file that is not one TLV is hashed whole. */
static gsize
hashed_length (const guint8 *data,
               gsize         len)
{
  gsize total;

  if (tp_lds_file_total_length (data, len, &total, NULL) && total <= len)
    return total;
  return len;
}

static void
check_hashes (TpPassiveAuthResult *result,
              const TpSod         *sod,
              GBytes * const      *dgs)
{
  EVP_MD *md = tp_sod_fetch_digest (sod);

  if (md == NULL)
    g_ptr_array_add (result->errors,
                     g_strdup_printf ("hashes: the SOD's hash algorithm %s is not supported "
                                      "(SHA-1, SHA-224, SHA-256, SHA-384, SHA-512)",
                                      sod->digest_oid));

  for (guint dg = 1; dg <= 16; dg++)
    {
      const TpSodHash *expected = tp_sod_find_hash (sod, dg);
      TpPassiveAuthHash entry = { dg, TP_DG_HASH_NOT_READ };

      if (dgs[dg] == NULL && expected == NULL)
        continue;

      if (dgs[dg] == NULL)
        entry.status = TP_DG_HASH_NOT_READ;
      else if (expected == NULL)
        {
          entry.status = TP_DG_HASH_NOT_IN_SOD;
          g_ptr_array_add (result->errors,
                           g_strdup_printf ("hashes: DG%u was read but the SOD has no hash for it", dg));
        }
      else if (md == NULL)
        entry.status = TP_DG_HASH_MISMATCH;
      else
        {
          unsigned char hash[EVP_MAX_MD_SIZE];
          unsigned int hash_len = 0;
          gsize len;
          const guint8 *data = g_bytes_get_data (dgs[dg], &len);
          gsize expected_len;
          const guint8 *expected_data = g_bytes_get_data (expected->value, &expected_len);

          if (EVP_Digest (data, hashed_length (data, len), hash, &hash_len, md, NULL) &&
              expected_len == hash_len &&
              CRYPTO_memcmp (hash, expected_data, hash_len) == 0)
            entry.status = TP_DG_HASH_MATCH;
          else
            {
              entry.status = TP_DG_HASH_MISMATCH;
              if (expected_len != hash_len)
                g_ptr_array_add (result->errors,
                                 g_strdup_printf ("hashes: the SOD's hash for DG%u has %" G_GSIZE_FORMAT
                                                  " bytes, %s gives %u", dg, expected_len,
                                                  sod->digest_name, hash_len));
              else
                g_ptr_array_add (result->errors,
                                 g_strdup_printf ("hashes: DG%u does not match its hash in the SOD "
                                                  "(the data group was altered)", dg));
            }
        }
      g_array_append_val (result->hashes, entry);
    }

  EVP_MD_free (md);
}

static void
finish_verdict (TpPassiveAuthResult *result)
{
  gboolean hashes_ok = TRUE;
  guint checked = 0;

  for (guint i = 0; i < result->hashes->len; i++)
    {
      const TpPassiveAuthHash *h = &g_array_index (result->hashes, TpPassiveAuthHash, i);

      if (h->status == TP_DG_HASH_MATCH)
        checked++;
      else if (h->status != TP_DG_HASH_NOT_READ)
        hashes_ok = FALSE;
    }
  if (result->sod_parsed && checked == 0 && hashes_ok)
    {
      hashes_ok = FALSE;
      g_ptr_array_add (result->errors,
                       g_strdup ("hashes: no data group listed in the SOD was supplied"));
    }

  result->verdict = (result->sod_parsed && result->signature && hashes_ok && result->chain &&
                     result->revocation != TP_REVOCATION_REVOKED)
                    ? TP_PASSIVE_AUTH_VALID : TP_PASSIVE_AUTH_INVALID;
}

TpPassiveAuthResult *
tp_passive_auth_verify_sod (const TpSod     *sod,
                            GBytes * const  *dgs,
                            TpTrustStore    *trust,
                            GDateTime       *at)
{
  TpPassiveAuthResult *result;
  g_autoptr(GError) error = NULL;
  g_autoptr(TpTrustChain) chain = NULL;
  g_autoptr(GDateTime) now = NULL;
  STACK_OF (X509) *embedded = NULL;
  X509 *ds;

  g_return_val_if_fail (sod != NULL, NULL);
  g_return_val_if_fail (dgs != NULL, NULL);

  if (at == NULL)
    at = now = g_date_time_new_now_utc ();

  result = result_new ();
  result->sod_parsed = TRUE;
  result->signature_algorithm = g_strdup (sod->signature_algorithm);
  result->hash_algorithm = g_strdup (sod->digest_name != NULL ? sod->digest_name : sod->digest_oid);

  /* 1. signature */
  ds = sod->document_signer;
  result->ds_embedded = ds != NULL;
  if (ds == NULL && trust != NULL)
    {
      STACK_OF (CMS_SignerInfo) *sis = CMS_get0_SignerInfos (sod->cms);
      ASN1_OCTET_STRING *keyid = NULL;
      X509_NAME *issuer = NULL;
      ASN1_INTEGER *serial = NULL;

      if (sis != NULL && sk_CMS_SignerInfo_num (sis) == 1 &&
          CMS_SignerInfo_get0_signer_id (sk_CMS_SignerInfo_value (sis, 0), &keyid, &issuer, &serial) &&
          issuer != NULL && serial != NULL)
        ds = tp_trust_store_find_certificate (trust, issuer, serial);
      ERR_clear_error ();
    }

  if (ds == NULL)
    {
      result->signature_reason = g_strdup ("the SOD does not embed its Document Signer certificate "
                                           "and the trust store has none matching its SignerInfo");
    }
  else if (tp_sod_verify_signature (sod, ds, &error))
    result->signature = TRUE;
  else
    result->signature_reason = g_strdup (error->message);
  if (!result->signature)
    g_ptr_array_add (result->errors, g_strdup_printf ("signature: %s", result->signature_reason));

  /* 2. hashes */
  check_hashes (result, sod, dgs);

  /* 3. chain and 4. revocation */
  if (ds != NULL)
    {
      result->ds_subject = tp_x509_name_to_string (X509_get_subject_name (ds));
      result->ds_issuer = tp_x509_name_to_string (X509_get_issuer_name (ds));
      result->ds_serial = serial_to_hex (X509_get0_serialNumber (ds));
      result->ds_not_after = asn1_time_to_iso (X509_get0_notAfter (ds));
    }

  embedded = sk_X509_new_null ();
  for (guint i = 0; i < sod->certificates->len; i++)
    sk_X509_push (embedded, g_ptr_array_index (sod->certificates, i));
  chain = tp_trust_store_verify (trust, ds, embedded, at);
  sk_X509_free (embedded);

  result->chain_status = chain->status;
  result->chain = chain->status == TP_CHAIN_OK;
  result->chain_reason = g_strdup (chain->reason);
  result->ds_expired = chain->leaf_expired;
  if (chain->anchor != NULL)
    result->csca_subject = tp_x509_name_to_string (X509_get_subject_name (chain->anchor));
  if (!result->chain)
    g_ptr_array_add (result->errors, g_strdup_printf ("chain: %s", chain->reason));
  if (result->ds_expired)
    g_ptr_array_add (result->warnings,
                     g_strdup_printf ("ds_expired: the Document Signer certificate expired on %s "
                                      "(accepted: ICAO 9303 Part 12 DS validity covers the "
                                      "documents it signed; check the document's own expiry)",
                                      result->ds_not_after != NULL ? result->ds_not_after : "?"));

  result->revocation = chain->revocation;
  result->revocation_reason = g_strdup (chain->revocation_reason);
  if (result->revocation == TP_REVOCATION_REVOKED)
    g_ptr_array_add (result->errors, g_strdup_printf ("revocation: the Document Signer certificate "
                                                      "is %s", chain->revocation_reason));
  else if (result->chain && result->revocation == TP_REVOCATION_NOT_CHECKED)
    g_ptr_array_add (result->warnings, g_strdup_printf ("revocation: not checked: %s",
                                                        chain->revocation_reason));
  else if (result->revocation == TP_REVOCATION_GOOD && chain->crl_stale)
    g_ptr_array_add (result->warnings, g_strdup_printf ("revocation: %s", chain->revocation_reason));

  finish_verdict (result);
  return result;
}

TpPassiveAuthResult *
tp_passive_auth_verify (TpLdsFiles   *files,
                        TpTrustStore *trust,
                        GDateTime    *at)
{
  GBytes *dgs[17] = { NULL };
  GBytes *sod_bytes;
  g_autoptr(TpSod) sod = NULL;
  g_autoptr(GError) error = NULL;
  TpPassiveAuthResult *result;

  g_return_val_if_fail (files != NULL, NULL);

  for (guint dg = 1; dg <= 16; dg++)
    dgs[dg] = tp_lds_files_get (files, tp_lds_dg_fid (dg));

  sod_bytes = tp_lds_files_get (files, TP_LDS_FID_SOD);
  if (sod_bytes == NULL)
    {
      g_set_error_literal (&error, TP_ERROR, TP_ERROR_INVALID_INPUT, "EF.SOD was not read");
    }
  else
    {
      gsize len;
      const guint8 *data = g_bytes_get_data (sod_bytes, &len);

      sod = tp_sod_parse (data, len, &error);
    }

  if (sod != NULL)
    return tp_passive_auth_verify_sod (sod, dgs, trust, at);

  result = result_new ();
  result->signature_reason = g_strdup (error->message);
  result->chain_reason = g_strdup ("not checked: EF.SOD unusable");
  result->revocation_reason = g_strdup ("not checked: EF.SOD unusable");
  g_ptr_array_add (result->errors, g_strdup_printf ("signature: %s", error->message));
  for (guint dg = 1; dg <= 16; dg++)
    if (dgs[dg] != NULL)
      {
        TpPassiveAuthHash entry = { dg, TP_DG_HASH_NOT_IN_SOD };

        g_array_append_val (result->hashes, entry);
      }
  finish_verdict (result);
  return result;
}

void
tp_passive_auth_result_free (TpPassiveAuthResult *result)
{
  if (result == NULL)
    return;
  g_free (result->signature_reason);
  g_free (result->signature_algorithm);
  g_free (result->hash_algorithm);
  g_array_unref (result->hashes);
  g_free (result->chain_reason);
  g_free (result->csca_subject);
  g_free (result->ds_subject);
  g_free (result->ds_issuer);
  g_free (result->ds_serial);
  g_free (result->ds_not_after);
  g_free (result->revocation_reason);
  g_ptr_array_unref (result->errors);
  g_ptr_array_unref (result->warnings);
  g_free (result);
}

TpDgHashStatus
tp_passive_auth_result_get_hash (const TpPassiveAuthResult *result,
                                 guint                      dg)
{
  g_return_val_if_fail (result != NULL, TP_DG_HASH_NOT_READ);

  for (guint i = 0; i < result->hashes->len; i++)
    {
      const TpPassiveAuthHash *h = &g_array_index (result->hashes, TpPassiveAuthHash, i);

      if (h->dg == dg)
        return h->status;
    }
  return TP_DG_HASH_NOT_READ;
}

const char *
tp_passive_auth_verdict_to_string (TpPassiveAuthVerdict verdict)
{
  return verdict == TP_PASSIVE_AUTH_VALID ? "valid" : "invalid";
}

const char *
tp_dg_hash_status_to_string (TpDgHashStatus status)
{
  switch (status)
    {
    case TP_DG_HASH_MATCH:
      return "match";
    case TP_DG_HASH_MISMATCH:
      return "mismatch";
    case TP_DG_HASH_NOT_IN_SOD:
      return "not_in_sod";
    case TP_DG_HASH_NOT_READ:
    default:
      return "not_read";
    }
}
