/* tp-test-pki.c: a test PKI: CSCAs, Document Signers, CRLs, a master list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <glib/gstdio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "tp-error.h"
#include "tp-sod.h"
#include "tp-test-pki.h"
#include "tp-trust-store.h"

typedef enum {
  ROLE_CSCA,
  ROLE_DS,
  ROLE_ML_SIGNER,
} CertRole;

typedef struct {
  X509     *cert;
  EVP_PKEY *key;
} Credential;

struct _TpTestPki {
  char       *seed;
  GMutex      lock;
  GHashTable *keys;         /* label → EVP_PKEY */
  GHashTable *credentials;  /* label → Credential */
  GHashTable *crls;         /* label → X509_CRL */
  GBytes     *master_list;
  X509       *ml_signer;
};

static const char *const signer_kinds[] = {
  [TP_TEST_SIGNER_VALID]         = "valid",
  [TP_TEST_SIGNER_EXPIRED]       = "expired",
  [TP_TEST_SIGNER_REVOKED]       = "revoked",
  [TP_TEST_SIGNER_UNKNOWN_CSCA]  = "unknown-csca",
  [TP_TEST_SIGNER_IMPOSTOR_CSCA] = "impostor-csca",
};

static void
credential_free (Credential *c)
{
  X509_free (c->cert);
  EVP_PKEY_free (c->key);
  g_free (c);
}


/* ---- certificates ------------------------------------------------------- */

static X509_NAME *
make_name (const char *ou,
           const char *cn)
{
  X509_NAME *name = X509_NAME_new ();

  X509_NAME_add_entry_by_txt (name, "C", MBSTRING_UTF8, (const unsigned char *) "UT", -1, -1, 0);
  X509_NAME_add_entry_by_txt (name, "O", MBSTRING_UTF8, (const unsigned char *) "Touchpoint Test", -1, -1, 0);
  X509_NAME_add_entry_by_txt (name, "OU", MBSTRING_UTF8, (const unsigned char *) ou, -1, -1, 0);
  X509_NAME_add_entry_by_txt (name, "CN", MBSTRING_UTF8, (const unsigned char *) cn, -1, -1, 0);
  return name;
}

static gboolean
add_ext (X509       *cert,
         X509V3_CTX *ctx,
         int         nid,
         const char *value)
{
  X509_EXTENSION *ext = X509V3_EXT_nconf_nid (NULL, ctx, nid, value);
  gboolean ok = ext != NULL && X509_add_ext (cert, ext, -1);

  X509_EXTENSION_free (ext);
  return ok;
}

static X509 *
make_cert (X509_NAME   *subject,
           X509        *issuer,        /* NULL: self-signed */
           EVP_PKEY    *issuer_key,
           EVP_PKEY    *subject_key,
           guint64      serial,
           const char  *not_before,
           const char  *not_after,
           CertRole     role,
           const char  *digest,
           GError     **error)
{
  X509 *cert = X509_new ();
  X509V3_CTX ctx;
  EVP_MD *md = EVP_MD_fetch (NULL, digest, NULL);
  gboolean ok;

  ok = X509_set_version (cert, X509_VERSION_3) &&
       ASN1_INTEGER_set_uint64 (X509_get_serialNumber (cert), serial) &&
       X509_set_subject_name (cert, subject) &&
       X509_set_issuer_name (cert, issuer != NULL ? X509_get_subject_name (issuer) : subject) &&
       ASN1_TIME_set_string_X509 (X509_getm_notBefore (cert), not_before) &&
       ASN1_TIME_set_string_X509 (X509_getm_notAfter (cert), not_after) &&
       X509_set_pubkey (cert, subject_key);

  X509V3_set_ctx (&ctx, issuer != NULL ? issuer : cert, cert, NULL, NULL, 0);
  ok = ok && add_ext (cert, &ctx, NID_subject_key_identifier, "hash");
  ok = ok && add_ext (cert, &ctx, NID_authority_key_identifier, "keyid:always");
  switch (role)
    {
    case ROLE_CSCA:
      ok = ok && add_ext (cert, &ctx, NID_basic_constraints, "critical,CA:TRUE,pathlen:0");
      ok = ok && add_ext (cert, &ctx, NID_key_usage, "critical,keyCertSign,cRLSign");
      break;
    case ROLE_ML_SIGNER:
      ok = ok && add_ext (cert, &ctx, NID_key_usage, "critical,digitalSignature");
      /* id-icao-cscaMasterListSigningKey (ICAO 9303 Part 12) */
      ok = ok && add_ext (cert, &ctx, NID_ext_key_usage, "2.23.136.1.1.3");
      break;
    case ROLE_DS:
    default:
      ok = ok && add_ext (cert, &ctx, NID_key_usage, "critical,digitalSignature");
      break;
    }

  ok = ok && md != NULL && X509_sign (cert, issuer_key, md) > 0;
  EVP_MD_free (md);
  if (!ok)
    {
      tp_test_set_openssl_error (error, "making a test certificate");
      X509_free (cert);
      return NULL;
    }
  return cert;
}

/* ---- the PKI (callers hold pki->lock) ----------------------------------- */

static EVP_PKEY *
pki_key (TpTestPki      *pki,
         TpTestKeyType   type,
         const char     *label,
         GError        **error)
{
  g_autofree char *full = g_strdup_printf ("%s/%s", label, tp_test_key_type_to_string (type));
  EVP_PKEY *key = g_hash_table_lookup (pki->keys, full);

  if (key != NULL)
    return key;
  key = tp_test_key_derive (type, pki->seed, full, error);
  if (key != NULL)
    g_hash_table_insert (pki->keys, g_steal_pointer (&full), key);
  return key;
}

static Credential *
pki_csca (TpTestPki      *pki,
          TpTestKeyType   alg,
          const char     *which,   /* "csca", "unknown-csca", "impostor-csca" */
          GError        **error)
{
  g_autofree char *label = g_strdup_printf ("%s/%s", which, tp_test_key_type_to_string (alg));
  Credential *c = g_hash_table_lookup (pki->credentials, label);
  g_autofree char *cn = NULL;
  X509_NAME *name;
  EVP_PKEY *key;
  guint64 serial = 0x1000 + (guint64) alg;

  if (c != NULL)
    return c;
  key = pki_key (pki, alg, which, error);
  if (key == NULL)
    return NULL;

  if (g_str_equal (which, "unknown-csca"))
    {
      cn = g_strdup_printf ("Touchpoint Test Unknown CSCA %s", tp_test_key_type_title (alg));
      serial += 0x100;
    }
  else
    {
      cn = g_strdup_printf ("Touchpoint Test CSCA %s", tp_test_key_type_title (alg));
      if (g_str_equal (which, "impostor-csca"))
        serial += 0x200;
    }
  name = make_name ("CSCA", cn);
  c = g_new0 (Credential, 1);
  c->cert = make_cert (name, NULL, key, key, serial, "20200101000000Z", "20450101000000Z",
                       ROLE_CSCA, tp_test_key_type_digest (alg), error);
  X509_NAME_free (name);
  if (c->cert == NULL)
    {
      g_free (c);
      return NULL;
    }
  EVP_PKEY_up_ref (key);
  c->key = key;
  g_hash_table_insert (pki->credentials, g_steal_pointer (&label), c);
  return c;
}

static Credential *
pki_signer (TpTestPki         *pki,
            TpTestKeyType      alg,
            TpTestSignerKind   kind,
            GError           **error)
{
  g_autofree char *label = g_strdup_printf ("ds-%s/%s", signer_kinds[kind], tp_test_key_type_to_string (alg));
  Credential *c = g_hash_table_lookup (pki->credentials, label);
  Credential *csca;
  g_autofree char *cn = NULL;
  X509_NAME *name;
  EVP_PKEY *key;
  const char *not_before = "20240101000000Z", *not_after = "20400101000000Z";

  if (c != NULL)
    return c;

  switch (kind)
    {
    case TP_TEST_SIGNER_UNKNOWN_CSCA:
      csca = pki_csca (pki, alg, "unknown-csca", error);
      break;
    case TP_TEST_SIGNER_IMPOSTOR_CSCA:
      csca = pki_csca (pki, alg, "impostor-csca", error);
      break;
    case TP_TEST_SIGNER_EXPIRED:
      not_before = "20150101000000Z";
      not_after = "20200101000000Z";
      csca = pki_csca (pki, alg, "csca", error);
      break;
    case TP_TEST_SIGNER_VALID:
    case TP_TEST_SIGNER_REVOKED:
    default:
      csca = pki_csca (pki, alg, "csca", error);
      break;
    }
  if (csca == NULL)
    return NULL;
  /* One Document Signer key per algorithm, whatever the certificate:
   * deriving RSA keys is the slow part of a test run. */
  key = pki_key (pki, alg, "document-signer", error);
  if (key == NULL)
    return NULL;

  cn = g_strdup_printf ("Touchpoint Test DS %s (%s)", tp_test_key_type_title (alg), signer_kinds[kind]);
  name = make_name ("Document Signer", cn);
  c = g_new0 (Credential, 1);
  c->cert = make_cert (name, csca->cert, csca->key, key, 0x2000 + (guint64) alg * 16 + kind,
                       not_before, not_after, ROLE_DS, tp_test_key_type_digest (alg), error);
  X509_NAME_free (name);
  if (c->cert == NULL)
    {
      g_free (c);
      return NULL;
    }
  EVP_PKEY_up_ref (key);
  c->key = key;
  g_hash_table_insert (pki->credentials, g_steal_pointer (&label), c);
  return c;
}

static X509_CRL *
pki_crl (TpTestPki      *pki,
         TpTestKeyType   alg,
         GError        **error)
{
  const char *label = tp_test_key_type_to_string (alg);
  X509_CRL *crl = g_hash_table_lookup (pki->crls, label);
  Credential *csca, *revoked_ds;
  X509_REVOKED *revoked;
  ASN1_TIME *t;
  ASN1_INTEGER *number;
  X509V3_CTX ctx;
  X509_EXTENSION *ext;
  EVP_MD *md;
  gboolean ok;

  if (crl != NULL)
    return crl;
  csca = pki_csca (pki, alg, "csca", error);
  revoked_ds = csca != NULL ? pki_signer (pki, alg, TP_TEST_SIGNER_REVOKED, error) : NULL;
  if (revoked_ds == NULL)
    return NULL;

  crl = X509_CRL_new ();
  t = ASN1_TIME_new ();
  ok = X509_CRL_set_version (crl, X509_CRL_VERSION_2) &&
       X509_CRL_set_issuer_name (crl, X509_get_subject_name (csca->cert)) &&
       ASN1_TIME_set_string_X509 (t, "20250101000000Z") &&
       X509_CRL_set1_lastUpdate (crl, t) &&
       ASN1_TIME_set_string_X509 (t, "20450101000000Z") &&
       X509_CRL_set1_nextUpdate (crl, t);

  revoked = X509_REVOKED_new ();
  ASN1_TIME_set_string_X509 (t, "20250101000000Z");
  ok = ok && X509_REVOKED_set_serialNumber (revoked, X509_get_serialNumber (revoked_ds->cert)) &&
       X509_REVOKED_set_revocationDate (revoked, t) &&
       X509_CRL_add0_revoked (crl, revoked);
  X509_CRL_sort (crl);
  ASN1_TIME_free (t);

  X509V3_set_ctx (&ctx, csca->cert, NULL, NULL, crl, 0);
  ext = X509V3_EXT_nconf_nid (NULL, &ctx, NID_authority_key_identifier, "keyid:always");
  ok = ok && ext != NULL && X509_CRL_add_ext (crl, ext, -1);
  X509_EXTENSION_free (ext);
  number = ASN1_INTEGER_new ();
  ASN1_INTEGER_set_int64 (number, 1);
  ok = ok && X509_CRL_add1_ext_i2d (crl, NID_crl_number, number, 0, 0);
  ASN1_INTEGER_free (number);

  md = EVP_MD_fetch (NULL, tp_test_key_type_digest (alg), NULL);
  ok = ok && md != NULL && X509_CRL_sign (crl, csca->key, md) > 0;
  EVP_MD_free (md);
  if (!ok)
    {
      tp_test_set_openssl_error (error, "making the test CRL");
      X509_CRL_free (crl);
      return NULL;
    }
  g_hash_table_insert (pki->crls, g_strdup (label), crl);
  return crl;
}

static gboolean
pki_master_list (TpTestPki  *pki,
                 GError    **error)
{
  Credential *csca;
  EVP_PKEY *key;
  X509_NAME *name;
  g_autoptr(GPtrArray) certs = g_ptr_array_new ();
  g_autoptr(GBytes) content = NULL;
  g_autoptr(GDateTime) signing_time = NULL;
  const TpTestKeyType *types;
  gsize n_types = 0;

  if (pki->master_list != NULL)
    return TRUE;
  csca = pki_csca (pki, TP_TEST_KEY_EC_P256, "csca", error);
  key = csca != NULL ? pki_key (pki, TP_TEST_KEY_EC_P256, "master-list-signer", error) : NULL;
  if (key == NULL)
    return FALSE;
  name = make_name ("Master List Signer", "Touchpoint Test Master List Signer");
  pki->ml_signer = make_cert (name, csca->cert, csca->key, key, 0x3000,
                              "20240101000000Z", "20400101000000Z", ROLE_ML_SIGNER, "SHA256", error);
  X509_NAME_free (name);
  if (pki->ml_signer == NULL)
    return FALSE;

  types = tp_test_signature_key_types (&n_types);
  for (gsize i = 0; i < n_types; i++)
    {
      Credential *c = pki_csca (pki, types[i], "csca", error);

      if (c == NULL)
        return FALSE;
      g_ptr_array_add (certs, c->cert);
    }
  content = tp_master_list_encode_content (certs, error);
  if (content == NULL)
    return FALSE;
  signing_time = g_date_time_new_utc (2025, 1, 1, 0, 0, 0);
  pki->master_list = tp_cms_sign (content, TP_OID_CSCA_MASTER_LIST, pki->ml_signer, key,
                                  "SHA256", NULL, signing_time, TP_SOD_BUILD_NONE, error);
  return pki->master_list != NULL;
}

/* ---- files -------------------------------------------------------------- */

static gboolean
write_der_cert (const char  *path,
                X509        *cert,
                GError     **error)
{
  unsigned char *der = NULL;
  int len = i2d_X509 (cert, &der);
  gboolean ok;

  if (len <= 0)
    {
      tp_test_set_openssl_error (error, "encoding a certificate");
      return FALSE;
    }
  ok = g_file_set_contents (path, (const char *) der, len, error);
  OPENSSL_free (der);
  return ok;
}

static gboolean
write_der_crl (const char  *path,
               X509_CRL    *crl,
               GError     **error)
{
  unsigned char *der = NULL;
  int len = i2d_X509_CRL (crl, &der);
  gboolean ok;

  if (len <= 0)
    {
      tp_test_set_openssl_error (error, "encoding a CRL");
      return FALSE;
    }
  ok = g_file_set_contents (path, (const char *) der, len, error);
  OPENSSL_free (der);
  return ok;
}

static gboolean
write_pem_key (const char  *path,
               EVP_PKEY    *key,
               GError     **error)
{
  BIO *bio = BIO_new (BIO_s_mem ());
  char *data = NULL;
  long len;
  gboolean ok;

  if (!PEM_write_bio_PrivateKey (bio, key, NULL, NULL, 0, NULL, NULL))
    {
      BIO_free (bio);
      tp_test_set_openssl_error (error, "encoding a private key");
      return FALSE;
    }
  len = BIO_get_mem_data (bio, &data);
  ok = g_file_set_contents_full (path, data, len, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
  BIO_free (bio);
  return ok;
}

/* ---- public API --------------------------------------------------------- */

const char *
tp_test_signer_kind_to_string (TpTestSignerKind kind)
{
  g_return_val_if_fail (kind <= TP_TEST_SIGNER_IMPOSTOR_CSCA, "valid");

  return signer_kinds[kind];
}

TpTestPki *
tp_test_pki_new (const char *seed)
{
  TpTestPki *pki = g_new0 (TpTestPki, 1);

  pki->seed = g_strdup (seed != NULL ? seed : TP_TEST_DEFAULT_SEED);
  g_mutex_init (&pki->lock);
  pki->keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) EVP_PKEY_free);
  pki->credentials = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) credential_free);
  pki->crls = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) X509_CRL_free);
  return pki;
}

void
tp_test_pki_free (TpTestPki *pki)
{
  if (pki == NULL)
    return;
  g_hash_table_unref (pki->crls);
  g_hash_table_unref (pki->credentials);
  g_hash_table_unref (pki->keys);
  g_clear_pointer (&pki->master_list, g_bytes_unref);
  if (pki->ml_signer != NULL)
    X509_free (pki->ml_signer);
  g_mutex_clear (&pki->lock);
  g_free (pki->seed);
  g_free (pki);
}

TpTestPki *
tp_test_pki_get_default (void)
{
  static gsize once = 0;
  static TpTestPki *pki;

  if (g_once_init_enter (&once))
    {
      pki = tp_test_pki_new (NULL);
      g_once_init_leave (&once, 1);
    }
  return pki;
}

gboolean
tp_test_pki_get_csca (TpTestPki      *pki,
                      TpTestKeyType   alg,
                      X509          **cert,
                      EVP_PKEY      **key,
                      GError        **error)
{
  Credential *c;

  g_return_val_if_fail (pki != NULL, FALSE);

  if (!tp_test_key_type_is_signature (alg))
    {
      g_set_error (error, TP_ERROR, TP_ERROR_INVALID_ARGUMENT,
                   "%s is not a signature algorithm", tp_test_key_type_to_string (alg));
      return FALSE;
    }
  g_mutex_lock (&pki->lock);
  c = pki_csca (pki, alg, "csca", error);
  g_mutex_unlock (&pki->lock);
  if (c == NULL)
    return FALSE;
  if (cert != NULL)
    *cert = c->cert;
  if (key != NULL)
    *key = c->key;
  return TRUE;
}

gboolean
tp_test_pki_get_signer (TpTestPki         *pki,
                        TpTestKeyType      alg,
                        TpTestSignerKind   kind,
                        X509             **cert,
                        EVP_PKEY         **key,
                        GError           **error)
{
  Credential *c;

  g_return_val_if_fail (pki != NULL, FALSE);
  g_return_val_if_fail (kind <= TP_TEST_SIGNER_IMPOSTOR_CSCA, FALSE);

  if (!tp_test_key_type_is_signature (alg))
    {
      g_set_error (error, TP_ERROR, TP_ERROR_INVALID_ARGUMENT,
                   "%s is not a signature algorithm", tp_test_key_type_to_string (alg));
      return FALSE;
    }
  g_mutex_lock (&pki->lock);
  c = pki_signer (pki, alg, kind, error);
  g_mutex_unlock (&pki->lock);
  if (c == NULL)
    return FALSE;
  if (cert != NULL)
    *cert = c->cert;
  if (key != NULL)
    *key = c->key;
  return TRUE;
}

X509_CRL *
tp_test_pki_get_crl (TpTestPki      *pki,
                     TpTestKeyType   alg,
                     GError        **error)
{
  X509_CRL *crl;

  g_return_val_if_fail (pki != NULL, NULL);

  if (!tp_test_key_type_is_signature (alg))
    {
      g_set_error (error, TP_ERROR, TP_ERROR_INVALID_ARGUMENT,
                   "%s is not a signature algorithm", tp_test_key_type_to_string (alg));
      return NULL;
    }
  g_mutex_lock (&pki->lock);
  crl = pki_crl (pki, alg, error);
  g_mutex_unlock (&pki->lock);
  return crl;
}

GBytes *
tp_test_pki_get_master_list (TpTestPki  *pki,
                             X509      **signer,
                             GError    **error)
{
  gboolean ok;

  g_return_val_if_fail (pki != NULL, NULL);

  g_mutex_lock (&pki->lock);
  ok = pki_master_list (pki, error);
  g_mutex_unlock (&pki->lock);
  if (!ok)
    return NULL;
  if (signer != NULL)
    *signer = pki->ml_signer;
  return pki->master_list;
}

gboolean
tp_test_pki_write_trust (TpTestPki          *pki,
                         const char         *dir,
                         TpTestTrustLayout   layout,
                         GError            **error)
{
  gsize n_types = 0;
  const TpTestKeyType *types = tp_test_signature_key_types (&n_types);

  g_return_val_if_fail (pki != NULL, FALSE);
  g_return_val_if_fail (dir != NULL, FALSE);

  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      g_set_error (error, TP_ERROR, TP_ERROR_FAILED, "cannot create %s: %s", dir, g_strerror (errno));
      return FALSE;
    }

  for (gsize i = 0; i < n_types; i++)
    {
      TpTestKeyType alg = types[i];
      g_autofree char *crl_path = g_strdup_printf ("%s/csca-%s.crl", dir, tp_test_key_type_to_string (alg));
      X509_CRL *crl = tp_test_pki_get_crl (pki, alg, error);
      X509 *cert;

      if (crl == NULL || !write_der_crl (crl_path, crl, error))
        return FALSE;
      if (layout == TP_TEST_TRUST_CERTIFICATES || alg == TP_TEST_KEY_EC_P256)
        {
          g_autofree char *path = g_strdup_printf ("%s/csca-%s.cer", dir, tp_test_key_type_to_string (alg));

          if (!tp_test_pki_get_csca (pki, alg, &cert, NULL, error) ||
              !write_der_cert (path, cert, error))
            return FALSE;
        }
    }

  if (layout == TP_TEST_TRUST_MASTER_LIST)
    {
      g_autofree char *path = g_build_filename (dir, "masterlist.ml", NULL);
      GBytes *ml = tp_test_pki_get_master_list (pki, NULL, error);

      if (ml == NULL ||
          !g_file_set_contents (path, g_bytes_get_data (ml, NULL), (gssize) g_bytes_get_size (ml), error))
        return FALSE;
    }
  return TRUE;
}

gboolean
tp_test_pki_write_all (TpTestPki   *pki,
                       const char  *dir,
                       GError     **error)
{
  g_autofree char *trust = g_build_filename (dir, "trust", NULL);
  g_autofree char *masterlist = g_build_filename (dir, "masterlist", NULL);
  g_autofree char *unknown = g_build_filename (dir, "unknown", NULL);
  g_autofree char *certs = g_build_filename (dir, "certs", NULL);
  g_autofree char *private = g_build_filename (dir, "private", NULL);
  g_autofree char *readme = g_build_filename (dir, "README", NULL);
  static const char readme_text[] =
    "Touchpoint test PKI: FOR TESTS AND DEMOS ONLY. The private keys derive from\n"
    "a public seed; anyone can recreate them.\n\n"
    "trust/       CSCA certificates and CRLs (touchpoint-cli read --trust trust/)\n"
    "masterlist/  the same trust through an ICAO master list and its signer's CSCA\n"
    "unknown/     CSCAs that are in no trust store (unknown, impostor)\n"
    "certs/       Document Signer and master-list signer certificates (DER)\n"
    "private/     their private keys (PEM, PKCS #8)\n";
  gsize n_types = 0;
  const TpTestKeyType *types = tp_test_signature_key_types (&n_types);

  g_return_val_if_fail (pki != NULL, FALSE);
  g_return_val_if_fail (dir != NULL, FALSE);

  if (!tp_test_pki_write_trust (pki, trust, TP_TEST_TRUST_CERTIFICATES, error) ||
      !tp_test_pki_write_trust (pki, masterlist, TP_TEST_TRUST_MASTER_LIST, error))
    return FALSE;
  if (g_mkdir_with_parents (unknown, 0755) != 0 || g_mkdir_with_parents (certs, 0755) != 0 ||
      g_mkdir_with_parents (private, 0700) != 0)
    {
      g_set_error (error, TP_ERROR, TP_ERROR_FAILED, "cannot create the directories in %s: %s",
                   dir, g_strerror (errno));
      return FALSE;
    }

  for (gsize i = 0; i < n_types; i++)
    {
      TpTestKeyType alg = types[i];
      const char *name = tp_test_key_type_to_string (alg);

      for (guint k = TP_TEST_SIGNER_VALID; k <= TP_TEST_SIGNER_IMPOSTOR_CSCA; k++)
        {
          g_autofree char *cert_path = g_strdup_printf ("%s/ds-%s-%s.cer", certs, name, signer_kinds[k]);
          X509 *cert;
          EVP_PKEY *key;

          if (!tp_test_pki_get_signer (pki, alg, (TpTestSignerKind) k, &cert, &key, error) ||
              !write_der_cert (cert_path, cert, error))
            return FALSE;
        }
      {
        g_autofree char *key_path = g_strdup_printf ("%s/ds-%s.pem", private, name);
        g_autofree char *csca_key_path = g_strdup_printf ("%s/csca-%s.pem", private, name);
        g_autofree char *unknown_path = g_strdup_printf ("%s/unknown-csca-%s.cer", unknown, name);
        g_autofree char *impostor_path = g_strdup_printf ("%s/impostor-csca-%s.cer", unknown, name);
        Credential *ds, *csca, *unk, *imp;

        g_mutex_lock (&pki->lock);
        ds = pki_signer (pki, alg, TP_TEST_SIGNER_VALID, error);
        csca = ds != NULL ? pki_csca (pki, alg, "csca", error) : NULL;
        unk = csca != NULL ? pki_csca (pki, alg, "unknown-csca", error) : NULL;
        imp = unk != NULL ? pki_csca (pki, alg, "impostor-csca", error) : NULL;
        g_mutex_unlock (&pki->lock);
        if (imp == NULL ||
            !write_pem_key (key_path, ds->key, error) ||
            !write_pem_key (csca_key_path, csca->key, error) ||
            !write_der_cert (unknown_path, unk->cert, error) ||
            !write_der_cert (impostor_path, imp->cert, error))
          return FALSE;
      }
    }

  {
    g_autofree char *path = g_build_filename (certs, "master-list-signer.cer", NULL);
    X509 *signer;

    if (tp_test_pki_get_master_list (pki, &signer, error) == NULL ||
        !write_der_cert (path, signer, error))
      return FALSE;
  }
  return g_file_set_contents (readme, readme_text, -1, error);
}

EVP_PKEY *
tp_test_pki_get_key (TpTestPki      *pki,
                     TpTestKeyType   type,
                     const char     *label,
                     GError        **error)
{
  EVP_PKEY *key;

  g_return_val_if_fail (pki != NULL, NULL);
  g_return_val_if_fail (label != NULL, NULL);

  g_mutex_lock (&pki->lock);
  key = pki_key (pki, type, label, error);
  if (key != NULL)
    EVP_PKEY_up_ref (key);
  g_mutex_unlock (&pki->lock);
  return key;
}

X509 *
tp_test_pki_get_issuer (TpTestPki         *pki,
                        TpTestKeyType      alg,
                        TpTestSignerKind   kind,
                        GError           **error)
{
  Credential *csca;
  const char *which;

  g_return_val_if_fail (pki != NULL, NULL);

  if (!tp_test_key_type_is_signature (alg))
    {
      g_set_error (error, TP_ERROR, TP_ERROR_INVALID_ARGUMENT,
                   "%s is not a signature key type", tp_test_key_type_to_string (alg));
      return NULL;
    }
  which = kind == TP_TEST_SIGNER_UNKNOWN_CSCA ? "unknown-csca"
        : kind == TP_TEST_SIGNER_IMPOSTOR_CSCA ? "impostor-csca" : "csca";
  g_mutex_lock (&pki->lock);
  csca = pki_csca (pki, alg, which, error);
  g_mutex_unlock (&pki->lock);
  return csca != NULL ? csca->cert : NULL;
}
