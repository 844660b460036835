/* tp-passive-auth.c: passive authentication of an eMRTD
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <openssl/crypto.h>
#include <openssl/err.h>

#include <openssl/x509v3.h>

#include "tp-country.h"
#include "tp-error.h"
#include "tp-passive-auth.h"

/* ICAO 9303-12 and common practice: below these a key is too weak to
 * sign travel documents. */
#define MIN_RSA_BITS 2048
#define MIN_EC_BITS  224

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

/* ---- the Document Signer -------------------------------------------------- */

/* Why ds is not a Document Signer's certificate, or NULL (step 4 but the
 * issuer, checked on the chain). */
static char *
ds_profile_problem (X509 *ds)
{
  uint32_t flags = X509_get_extension_flags (ds);
  EXTENDED_KEY_USAGE *eku;
  g_autoptr(GString) purposes = NULL;

  if (flags & EXFLAG_INVALID)
    return g_strdup ("its extensions are malformed");
  if (flags & EXFLAG_CA)
    return g_strdup ("it is a CA certificate (a CSCA?): a CSCA issues Document Signers, it does "
                     "not sign documents");
  if (!(flags & EXFLAG_KUSAGE) || !(X509_get_key_usage (ds) & KU_DIGITAL_SIGNATURE))
    return g_strdup_printf ("it lacks the key usage digitalSignature%s",
                            (flags & EXFLAG_KUSAGE) && (X509_get_key_usage (ds) & KU_KEY_CERT_SIGN)
                            ? " (it may only sign certificates)" : "");
  eku = X509_get_ext_d2i (ds, NID_ext_key_usage, NULL, NULL);
  if (eku != NULL)
    {
      purposes = g_string_new (NULL);
      for (int i = 0; i < sk_ASN1_OBJECT_num (eku); i++)
        {
          const ASN1_OBJECT *obj = sk_ASN1_OBJECT_value (eku, i);
          char text[128] = "";
          int nid = OBJ_obj2nid (obj);

          if (nid != NID_undef)
            g_strlcpy (text, OBJ_nid2ln (nid), sizeof text);
          else
            OBJ_obj2txt (text, sizeof text, obj, 1);
          if (g_str_equal (text, TP_OID_MASTER_LIST_SIGNER))
            g_strlcpy (text, "CSCA master list signing", sizeof text);
          g_string_append_printf (purposes, "%s%s", purposes->len ? ", " : "", text);
        }
      EXTENDED_KEY_USAGE_free (eku);
    }
  ERR_clear_error ();
  if (purposes != NULL)
    return g_strdup_printf ("it has an extended key usage (%s), which a Document Signer does not: "
                            "a certificate for another purpose", purposes->str);
  return NULL;
}

/* Step 8 for one key: a failure line, or NULL. */
static char *
weak_key_problem (const char *who,
                  X509       *cert)
{
  EVP_PKEY *key = cert != NULL ? X509_get0_pubkey (cert) : NULL;
  int bits;

  if (key == NULL)
    return NULL;
  bits = EVP_PKEY_get_bits (key);
  if (EVP_PKEY_is_a (key, "RSA") || EVP_PKEY_is_a (key, "RSA-PSS"))
    {
      if (bits < MIN_RSA_BITS)
        return g_strdup_printf ("weak key: the %s has a %d-bit RSA key (at least %d)", who, bits,
                                MIN_RSA_BITS);
    }
  else if (EVP_PKEY_is_a (key, "EC"))
    {
      if (bits < MIN_EC_BITS)
        return g_strdup_printf ("weak key: the %s has a %d-bit EC key (at least %d)", who, bits,
                                MIN_EC_BITS);
    }
  return NULL;
}

/* The country (C) of a name, upper-case, or NULL. */
static char *
name_country (const X509_NAME *name)
{
  int i = name != NULL ? X509_NAME_get_index_by_NID (name, NID_countryName, -1) : -1;
  unsigned char *utf8 = NULL;
  int len;
  char *out;

  if (i < 0)
    return NULL;
  len = ASN1_STRING_to_UTF8 (&utf8, X509_NAME_ENTRY_get_data (X509_NAME_get_entry (name, i)));
  if (len < 0)
    {
      ERR_clear_error ();
      return NULL;
    }
  out = g_ascii_strup ((const char *) utf8, len);
  OPENSSL_free (utf8);
  return out;
}

/* Step 5: the countries of the DS, its issuer and the CSCA against DG1's
 * issuing state. */
static void
check_country (TpPassiveAuthResult *result,
               X509                *ds,
               X509                *csca,
               GBytes              *dg1,
               GDateTime           *at,
               TpLdsDg1           **dg1_out)
{
  g_autoptr(TpLdsDg1) parsed = NULL;
  struct { const char *who; const X509_NAME *name; } names[] = {
    { "Document Signer", ds ? X509_get_subject_name (ds) : NULL },
    { "Document Signer's issuer", ds ? X509_get_issuer_name (ds) : NULL },
    { "CSCA", csca ? X509_get_subject_name (csca) : NULL },
  };
  g_autoptr(GString) problems = g_string_new (NULL);
  GDate reference;
  const char *state;

  result->country = TP_COUNTRY_CHECK_NOT_CHECKED;
  if (ds == NULL || dg1 == NULL || tp_passive_auth_result_get_hash (result, 1) != TP_DG_HASH_MATCH)
    return;
  g_date_clear (&reference, 1);
  g_date_set_dmy (&reference, (GDateDay) g_date_time_get_day_of_month (at),
                  (GDateMonth) g_date_time_get_month (at), (GDateYear) g_date_time_get_year (at));
  parsed = tp_lds_dg1_parse (g_bytes_get_data (dg1, NULL), g_bytes_get_size (dg1), &reference, NULL);
  if (parsed == NULL || parsed->mrz == NULL || parsed->mrz->issuing_state == NULL)
    return;
  state = parsed->mrz->issuing_state;
  result->issuing_state = g_strdup (state);

  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *c = NULL;

      if (names[i].name == NULL)
        continue;
      c = name_country (names[i].name);
      if (c == NULL)
        g_string_append_printf (problems, "%sthe %s names no country (C)", problems->len ? "; " : "",
                                names[i].who);
      else if (!tp_country_has_alpha2 (state, c))
        g_string_append_printf (problems, "%sthe %s is of %s, which is not %s", problems->len ? "; " : "",
                                names[i].who, c, state);
    }
  if (problems->len > 0)
    {
      const TpCountry *country = tp_country_lookup (state);

      result->country = TP_COUNTRY_CHECK_MISMATCH;
      g_ptr_array_add (result->errors,
                       g_strdup_printf ("country: DG1's issuing state is %s (%s), but %s",
                                        state, country != NULL && country->alpha2 != NULL
                                        ? country->alpha2 : "no alpha-2 code", problems->str));
    }
  else
    result->country = TP_COUNTRY_CHECK_MATCH;
  if (dg1_out != NULL)
    *dg1_out = g_steal_pointer (&parsed);
}

/* Whether the document's date of expiry (DG1) is after @at; TRUE when
 * unknown (the safe side: an expired DS then needs the policy). */
static gboolean
document_still_valid (const TpLdsDg1 *dg1,
                      GDateTime      *at)
{
  const TpMrzDate *e;
  guint y, m, d;

  if (dg1 == NULL || dg1->mrz == NULL || !dg1->mrz->expiry_date.complete)
    return TRUE;
  e = &dg1->mrz->expiry_date;
  y = (guint) g_date_time_get_year (at);
  m = (guint) g_date_time_get_month (at);
  d = (guint) g_date_time_get_day_of_month (at);
  return e->year > y || (e->year == y && (e->month > m || (e->month == m && e->day >= d)));
}

static gboolean
is_sha1 (const char *name)
{
  return name != NULL && (g_ascii_strcasecmp (name, "SHA-1") == 0 || g_ascii_strcasecmp (name, "SHA1") == 0 ||
                          strstr (name, "SHA1") != NULL || strstr (name, "sha1") != NULL);
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

  /* Every check that fails wrote a line in errors: none may have. */
  result->verdict = (result->sod_parsed && result->signature && hashes_ok && result->chain &&
                     result->ds_profile && result->country != TP_COUNTRY_CHECK_MISMATCH &&
                     result->revocation != TP_REVOCATION_REVOKED && result->errors->len == 0)
                    ? TP_PASSIVE_AUTH_VALID : TP_PASSIVE_AUTH_INVALID;
}

TpPassiveAuthResult *
tp_passive_auth_verify_sod (const TpSod               *sod,
                            GBytes * const            *dgs,
                            TpTrustStore              *trust,
                            GDateTime                 *at,
                            const TpPassiveAuthPolicy *policy)
{
  static const TpPassiveAuthPolicy default_policy = { FALSE, FALSE };
  TpPassiveAuthResult *result;
  g_autoptr(GError) error = NULL;
  g_autoptr(TpTrustChain) chain = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(TpLdsDg1) dg1 = NULL;
  g_autofree char *profile_problem = NULL;
  STACK_OF (X509) *embedded = NULL;
  X509 *ds;

  g_return_val_if_fail (sod != NULL, NULL);
  g_return_val_if_fail (dgs != NULL, NULL);

  if (at == NULL)
    at = now = g_date_time_new_now_utc ();
  if (policy == NULL)
    policy = &default_policy;

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

  /* 4. the Document Signer's profile, and its issuer a CSCA itself */
  if (ds != NULL)
    {
      profile_problem = ds_profile_problem (ds);
      if (profile_problem == NULL && result->chain && chain->length != 2)
        profile_problem = g_strdup (chain->length == 1
                                    ? "it is itself a trust anchor"
                                    : "no CSCA of the trust store issued it itself (it chains "
                                      "through another certificate)");
      result->ds_profile = profile_problem == NULL;
      if (profile_problem != NULL)
        g_ptr_array_add (result->errors,
                         g_strdup_printf ("document_signer: EF.SOD's signer (%s) is not a Document "
                                          "Signer: %s", result->ds_subject, profile_problem));
    }

  /* 5. country */
  check_country (result, ds, chain->anchor, dgs[1], at, &dg1);

  /* 6. validity */
  if (result->ds_expired)
    {
      const char *when = result->ds_not_after != NULL ? result->ds_not_after : "?";

      if (!document_still_valid (dg1, at))
        g_ptr_array_add (result->warnings,
                         g_strdup_printf ("ds_expired: the Document Signer certificate expired on %s, "
                                          "and so did the document", when));
      else if (policy->accept_expired_ds)
        g_ptr_array_add (result->warnings,
                         g_strdup_printf ("ds_expired: the Document Signer certificate expired on %s "
                                          "while the document is still valid, which ICAO 9303-12 "
                                          "does not allow: accepted by this terminal's policy", when));
      else
        g_ptr_array_add (result->errors,
                         g_strdup_printf ("ds_expired: the Document Signer certificate expired on %s "
                                          "while the document is still valid: ICAO 9303-12 has a "
                                          "Document Signer outlive the documents it signs", when));
    }

  /* 7. revocation */
  result->revocation = chain->revocation;
  result->revocation_reason = g_strdup (chain->revocation_reason);
  if (result->revocation == TP_REVOCATION_REVOKED)
    g_ptr_array_add (result->errors, g_strdup_printf ("revocation: the Document Signer certificate "
                                                      "is %s", chain->revocation_reason));
  else if (result->revocation == TP_REVOCATION_UNKNOWN)
    g_ptr_array_add (policy->require_revocation ? result->errors : result->warnings,
                     g_strdup_printf ("revocation: unknown: %s%s", chain->revocation_reason,
                                      policy->require_revocation
                                      ? " (this terminal's policy requires it known)" : ""));

  /* 8. algorithms */
  {
    char *weak_ds = weak_key_problem ("Document Signer", ds);
    char *weak_csca = weak_key_problem ("CSCA", chain->anchor);

    if (weak_ds != NULL)
      g_ptr_array_add (result->errors, weak_ds);
    if (weak_csca != NULL)
      g_ptr_array_add (result->errors, weak_csca);
  }
  if (is_sha1 (sod->digest_name) || is_sha1 (sod->signer_digest) || is_sha1 (sod->signature_algorithm))
    {
      result->weak_algorithm = TRUE;
      g_ptr_array_add (result->warnings,
                       g_strdup_printf ("weak algorithm: EF.SOD uses SHA-1 (hashes %s, signature %s): "
                                        "accepted, but SHA-1 no longer resists collisions",
                                        result->hash_algorithm ? result->hash_algorithm : "?",
                                        result->signature_algorithm ? result->signature_algorithm : "?"));
    }

  finish_verdict (result);
  return result;
}

TpPassiveAuthResult *
tp_passive_auth_verify (TpLdsFiles   *files,
                        TpTrustStore *trust,
                        GDateTime    *at)
{
  return tp_passive_auth_verify_with_policy (files, trust, at, NULL);
}

TpPassiveAuthResult *
tp_passive_auth_verify_with_policy (TpLdsFiles                *files,
                                    TpTrustStore              *trust,
                                    GDateTime                 *at,
                                    const TpPassiveAuthPolicy *policy)
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
    return tp_passive_auth_verify_sod (sod, dgs, trust, at, policy);

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
  g_free (result->issuing_state);
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
tp_country_check_to_string (TpCountryCheck check)
{
  switch (check)
    {
    case TP_COUNTRY_CHECK_MATCH:
      return "match";
    case TP_COUNTRY_CHECK_MISMATCH:
      return "mismatch";
    case TP_COUNTRY_CHECK_NOT_CHECKED:
    default:
      return "not_checked";
    }
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
