/* tp-test-rogue.c: credentials a forger, or a careless issuer, would use
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
#include "tp-test-rogue.h"
#include "tp-trust-store.h"

#define ROGUE_SEED "Touchpoint rogue test credentials, version 1"

typedef struct {
  X509     *cert;
  EVP_PKEY *key;
  X509     *issuer;    /* a reference */
} Signer;

typedef struct {
  gboolean  ready;
  X509     *csca_p256;           /* the test PKI's, a reference */
  EVP_PKEY *csca_p256_key;
  X509     *germany;
  EVP_PKEY *germany_key;
  X509     *rogue_csca;
  EVP_PKEY *rogue_csca_key;
  X509     *ca_without_cert_sign;
  Signer    signers[TP_TEST_ROGUE_N_SIGNERS];
  GBytes   *lists[2];
} Rogue;

static const char * const signer_names[TP_TEST_ROGUE_N_SIGNERS] = {
  [TP_TEST_ROGUE_SIGNER_NONE] = "none",
  [TP_TEST_ROGUE_SIGNER_CSCA] = "csca",
  [TP_TEST_ROGUE_SIGNER_CERT_SIGN_ONLY] = "cert-sign-only",
  [TP_TEST_ROGUE_SIGNER_TLS] = "tls",
  [TP_TEST_ROGUE_SIGNER_MASTER_LIST] = "master-list-signer",
  [TP_TEST_ROGUE_SIGNER_WEAK_RSA] = "weak-rsa",
  [TP_TEST_ROGUE_SIGNER_WEAK_EC] = "weak-ec",
  [TP_TEST_ROGUE_SIGNER_GERMANY] = "germany",
  [TP_TEST_ROGUE_SIGNER_ROGUE_CSCA] = "rogue-csca",
};

G_LOCK_DEFINE_STATIC (rogue);
static Rogue rogue;

static X509_NAME *
make_name (const char *country,
           const char *ou,
           const char *cn)
{
  X509_NAME *name = X509_NAME_new ();

  X509_NAME_add_entry_by_txt (name, "C", MBSTRING_UTF8, (const unsigned char *) country, -1, -1, 0);
  X509_NAME_add_entry_by_txt (name, "O", MBSTRING_UTF8, (const unsigned char *) "Touchpoint Test", -1, -1, 0);
  X509_NAME_add_entry_by_txt (name, "OU", MBSTRING_UTF8, (const unsigned char *) ou, -1, -1, 0);
  X509_NAME_add_entry_by_txt (name, "CN", MBSTRING_UTF8, (const unsigned char *) cn, -1, -1, 0);
  return name;
}

/* A certificate for @subject_key named C=@country, OU=@ou, CN=@cn,
 * issued by @issuer (NULL: self-signed) with @issuer_key, valid
 * 2024-01-01 to 2040-01-01 (CSCAs 2020 to 2045), with the extensions
 * @exts: pairs of NID and OpenSSL configuration value, ending with 0. */
static X509 *
make_cert (const char  *country,
           const char  *ou,
           const char  *cn,
           X509        *issuer,
           EVP_PKEY    *issuer_key,
           EVP_PKEY    *subject_key,
           guint64      serial,
           const int   *nids,
           const char **values,
           GError     **error)
{
  X509 *cert = X509_new ();
  X509_NAME *name = make_name (country, ou, cn);
  X509V3_CTX ctx;
  gboolean ok;

  ok = X509_set_version (cert, X509_VERSION_3) &&
       ASN1_INTEGER_set_uint64 (X509_get_serialNumber (cert), serial) &&
       X509_set_subject_name (cert, name) &&
       X509_set_issuer_name (cert, issuer != NULL ? X509_get_subject_name (issuer) : name) &&
       ASN1_TIME_set_string_X509 (X509_getm_notBefore (cert), issuer ? "20240101000000Z" : "20200101000000Z") &&
       ASN1_TIME_set_string_X509 (X509_getm_notAfter (cert), issuer ? "20400101000000Z" : "20450101000000Z") &&
       X509_set_pubkey (cert, subject_key);
  X509_NAME_free (name);

  X509V3_set_ctx (&ctx, issuer != NULL ? issuer : cert, cert, NULL, NULL, 0);
  for (guint i = 0; ok && nids[i] != 0; i++)
    {
      X509_EXTENSION *ext = X509V3_EXT_nconf_nid (NULL, &ctx, nids[i], values[i]);

      ok = ext != NULL && X509_add_ext (cert, ext, -1);
      X509_EXTENSION_free (ext);
    }
  ok = ok && X509_sign (cert, issuer_key, EVP_sha256 ()) > 0;
  if (!ok)
    {
      tp_test_set_openssl_error (error, "making a rogue test certificate");
      X509_free (cert);
      return NULL;
    }
  return cert;
}

static const int csca_nids[] = { NID_subject_key_identifier, NID_basic_constraints, NID_key_usage, 0 };
static const char *csca_values[] = { "hash", "critical,CA:TRUE,pathlen:0", "critical,keyCertSign,cRLSign" };

static gboolean
make_signer (Signer       *s,
             const char   *country,
             const char   *ou,
             const char   *cn,
             X509         *issuer,
             EVP_PKEY     *issuer_key,
             EVP_PKEY     *key,
             guint64       serial,
             const char   *key_usage,
             const char   *ext_key_usage,
             GError      **error)
{
  int nids[5] = { NID_subject_key_identifier, NID_authority_key_identifier, NID_key_usage, 0, 0 };
  const char *values[4] = { "hash", "keyid:always", key_usage, NULL };

  if (ext_key_usage != NULL)
    {
      nids[3] = NID_ext_key_usage;
      values[3] = ext_key_usage;
    }
  s->key = key;
  s->issuer = issuer;
  s->cert = make_cert (country, ou, cn, issuer, issuer_key, key, serial, nids, values, error);
  return s->cert != NULL;
}

static EVP_PKEY *
derive (const char  *label,
        GError     **error)
{
  return tp_test_key_derive (TP_TEST_KEY_EC_P256, ROGUE_SEED, label, error);
}

/* Everything, once (callers hold the lock). */
static gboolean
rogue_init (GError **error)
{
  Rogue *r = &rogue;
  Signer *s = r->signers;
  EVP_PKEY *key;

  if (r->ready)
    return TRUE;

  if (!tp_test_pki_get_csca (tp_test_pki_get_default (), TP_TEST_KEY_EC_P256,
                             &r->csca_p256, &r->csca_p256_key, error))
    return FALSE;

  /* Another state's CSCA and its Document Signer; the rogue CSCA */
  if ((r->germany_key = derive ("csca-germany", error)) == NULL ||
      (r->germany = make_cert ("DE", "CSCA", "Touchpoint Test CSCA Germany", NULL, r->germany_key,
                               r->germany_key, 0x4000, csca_nids, csca_values, error)) == NULL)
    return FALSE;
  if ((r->rogue_csca_key = derive ("csca-rogue", error)) == NULL ||
      (r->rogue_csca = make_cert ("UT", "CSCA", "Touchpoint Test Rogue CSCA", NULL, r->rogue_csca_key,
                                  r->rogue_csca_key, 0x4001, csca_nids, csca_values, error)) == NULL)
    return FALSE;

  /* Signers of EF.SOD. The CSCA that signs itself is the RSA one: its
   * certificate has the same bytes in every process (PKCS #1 v1.5
   * signatures are deterministic), so that it is the very anchor another
   * process exported, as a forger would copy it. */
  {
    X509 *csca;
    EVP_PKEY *csca_key;

    if (!tp_test_pki_get_csca (tp_test_pki_get_default (), TP_TEST_KEY_RSA_2048, &csca, &csca_key, error))
      return FALSE;
    EVP_PKEY_up_ref (csca_key);
    X509_up_ref (csca);
    s[TP_TEST_ROGUE_SIGNER_CSCA].cert = csca;
    s[TP_TEST_ROGUE_SIGNER_CSCA].key = csca_key;
    s[TP_TEST_ROGUE_SIGNER_CSCA].issuer = csca;
  }

  if ((key = derive ("cert-sign-only", error)) == NULL ||
      !make_signer (&s[TP_TEST_ROGUE_SIGNER_CERT_SIGN_ONLY], "UT", "Document Signer",
                    "Touchpoint Test Certificate Signer", r->csca_p256, r->csca_p256_key, key, 0x4010,
                    "critical,keyCertSign", NULL, error))
    return FALSE;
  if ((key = derive ("tls", error)) == NULL ||
      !make_signer (&s[TP_TEST_ROGUE_SIGNER_TLS], "UT", "Web", "terminal.touchpoint.test",
                    r->csca_p256, r->csca_p256_key, key, 0x4011,
                    "critical,digitalSignature,keyEncipherment", "serverAuth,clientAuth", error))
    return FALSE;
  if ((key = derive ("master-list-signer", error)) == NULL ||
      !make_signer (&s[TP_TEST_ROGUE_SIGNER_MASTER_LIST], "UT", "Master List Signer",
                    "Touchpoint Test Master List Signer 2", r->csca_p256, r->csca_p256_key, key, 0x4012,
                    "critical,digitalSignature", TP_OID_MASTER_LIST_SIGNER, error))
    return FALSE;
  if ((key = EVP_RSA_gen (1024)) == NULL)
    {
      tp_test_set_openssl_error (error, "making an RSA-1024 key");
      return FALSE;
    }
  if (!make_signer (&s[TP_TEST_ROGUE_SIGNER_WEAK_RSA], "UT", "Document Signer",
                    "Touchpoint Test DS RSA-1024 (weak)", r->csca_p256, r->csca_p256_key, key, 0x4013,
                    "critical,digitalSignature", NULL, error))
    return FALSE;
  if ((key = EVP_EC_gen ("prime192v1")) == NULL)
    {
      tp_test_set_openssl_error (error, "making a P-192 key");
      return FALSE;
    }
  if (!make_signer (&s[TP_TEST_ROGUE_SIGNER_WEAK_EC], "UT", "Document Signer",
                    "Touchpoint Test DS P-192 (weak)", r->csca_p256, r->csca_p256_key, key, 0x4014,
                    "critical,digitalSignature", NULL, error))
    return FALSE;
  if ((key = derive ("ds-germany", error)) == NULL ||
      !make_signer (&s[TP_TEST_ROGUE_SIGNER_GERMANY], "DE", "Document Signer",
                    "Touchpoint Test DS Germany", r->germany, r->germany_key, key, 0x4015,
                    "critical,digitalSignature", NULL, error))
    return FALSE;
  if ((key = derive ("ds-rogue", error)) == NULL ||
      !make_signer (&s[TP_TEST_ROGUE_SIGNER_ROGUE_CSCA], "UT", "Document Signer",
                    "Touchpoint Test DS of the Rogue CSCA", r->rogue_csca, r->rogue_csca_key, key, 0x4016,
                    "critical,digitalSignature", NULL, error))
    return FALSE;

  /* A CA certificate that may not sign certificates */
  {
    const int nids[] = { NID_subject_key_identifier, NID_authority_key_identifier, NID_basic_constraints,
                         NID_key_usage, 0 };
    const char *values[] = { "hash", "keyid:always", "critical,CA:TRUE", "critical,digitalSignature" };

    if ((key = derive ("ca-without-cert-sign", error)) == NULL)
      return FALSE;
    r->ca_without_cert_sign = make_cert ("UT", "CSCA", "Touchpoint Test CA without keyCertSign",
                                         r->csca_p256, r->csca_p256_key, key, 0x4017, nids, values, error);
    EVP_PKEY_free (key);
    if (r->ca_without_cert_sign == NULL)
      return FALSE;
  }

  r->ready = TRUE;
  return TRUE;
}

static GBytes *
sign_list (GPtrArray  *certs,
           Signer     *signer,
           GError    **error)
{
  g_autoptr(GBytes) content = tp_master_list_encode_content (certs, error);
  g_autoptr(GDateTime) signing_time = g_date_time_new_utc (2025, 1, 1, 0, 0, 0);

  if (content == NULL)
    return NULL;
  return tp_cms_sign (content, TP_OID_CSCA_MASTER_LIST, signer->cert, signer->key, "SHA256", NULL,
                      signing_time, TP_SOD_BUILD_NONE, error);
}

static GBytes *
build_list (TpTestRogueList   kind,
            GError          **error)
{
  g_autoptr(GPtrArray) certs = g_ptr_array_new ();
  Signer ds = { NULL };

  if (kind == TP_TEST_ROGUE_LIST_BY_DOCUMENT_SIGNER)
    {
      g_ptr_array_add (certs, rogue.rogue_csca);
      /* the test PKI's valid DS P-256: chains to a trusted CSCA, but may
       * not speak for a state's CSCAs */
      if (!tp_test_pki_get_signer (tp_test_pki_get_default (), TP_TEST_KEY_EC_P256, TP_TEST_SIGNER_VALID,
                                   &ds.cert, &ds.key, error))
        return NULL;
      return sign_list (certs, &ds, error);
    }
  g_ptr_array_add (certs, rogue.signers[TP_TEST_ROGUE_SIGNER_ROGUE_CSCA].cert);
  g_ptr_array_add (certs, rogue.ca_without_cert_sign);
  return sign_list (certs, &rogue.signers[TP_TEST_ROGUE_SIGNER_MASTER_LIST], error);
}

const char *
tp_test_rogue_signer_to_string (TpTestRogueSigner kind)
{
  g_return_val_if_fail (kind < TP_TEST_ROGUE_N_SIGNERS, "none");

  return signer_names[kind];
}

gboolean
tp_test_rogue_signer_from_string (const char        *name,
                                  TpTestRogueSigner *kind)
{
  g_return_val_if_fail (name != NULL, FALSE);

  for (guint i = TP_TEST_ROGUE_SIGNER_NONE + 1; i < TP_TEST_ROGUE_N_SIGNERS; i++)
    if (g_str_equal (signer_names[i], name))
      {
        *kind = (TpTestRogueSigner) i;
        return TRUE;
      }
  return FALSE;
}

gboolean
tp_test_rogue_get_signer (TpTestRogueSigner   kind,
                          X509              **cert,
                          EVP_PKEY          **key,
                          X509              **issuer,
                          GError            **error)
{
  gboolean ok;

  g_return_val_if_fail (kind > TP_TEST_ROGUE_SIGNER_NONE && kind < TP_TEST_ROGUE_N_SIGNERS, FALSE);

  G_LOCK (rogue);
  ok = rogue_init (error);
  G_UNLOCK (rogue);
  if (!ok)
    return FALSE;
  if (cert != NULL)
    *cert = rogue.signers[kind].cert;
  if (key != NULL)
    *key = rogue.signers[kind].key;
  if (issuer != NULL)
    *issuer = rogue.signers[kind].issuer;
  return TRUE;
}

X509 *
tp_test_rogue_get_germany_csca (GError **error)
{
  gboolean ok;

  G_LOCK (rogue);
  ok = rogue_init (error);
  G_UNLOCK (rogue);
  return ok ? rogue.germany : NULL;
}

X509 *
tp_test_rogue_get_rogue_csca (GError **error)
{
  gboolean ok;

  G_LOCK (rogue);
  ok = rogue_init (error);
  G_UNLOCK (rogue);
  return ok ? rogue.rogue_csca : NULL;
}

X509 *
tp_test_rogue_get_ca_without_cert_sign (GError **error)
{
  gboolean ok;

  G_LOCK (rogue);
  ok = rogue_init (error);
  G_UNLOCK (rogue);
  return ok ? rogue.ca_without_cert_sign : NULL;
}

gboolean
tp_test_rogue_sign_document (TpTestDocument    *document,
                             TpTestRogueSigner  kind,
                             const char        *digest,
                             GError           **error)
{
  GBytes *dgs[17] = { NULL };
  g_autoptr(GDateTime) signing_time = g_date_time_new_utc (2025, 6, 1, 9, 30, 0);
  g_autoptr(GBytes) sod = NULL;
  X509 *cert, *issuer;
  EVP_PKEY *key;

  g_return_val_if_fail (document != NULL, FALSE);

  if (!tp_test_rogue_get_signer (kind, &cert, &key, &issuer, error))
    return FALSE;
  for (guint n = 1; n <= 16; n++)
    dgs[n] = tp_lds_files_get (document->files, tp_lds_dg_fid (n));
  sod = tp_sod_build (dgs, digest != NULL ? digest : "SHA256", cert, key, NULL, NULL, NULL,
                      signing_time, TP_SOD_BUILD_NONE, error);
  if (sod == NULL)
    return FALSE;
  tp_lds_files_set (document->files, TP_LDS_FID_SOD, sod);

  X509_free (document->document_signer);
  X509_free (document->csca);
  X509_up_ref (cert);
  X509_up_ref (issuer);
  document->document_signer = cert;
  document->csca = issuer;
  return TRUE;
}

char *
tp_test_rogue_german_mrz (void)
{
  /* the specimen data of the German passport, issued by D */
  return tp_test_mrz_td3 ("D", "MUSTERMANN", "ERIKA", "C01X00T47", "D", "830812", 'F', "310101", NULL);
}

GBytes *
tp_test_rogue_get_master_list (TpTestRogueList   kind,
                               GError          **error)
{
  GBytes *list = NULL;

  g_return_val_if_fail (kind <= TP_TEST_ROGUE_LIST_WITH_NON_CA, NULL);

  G_LOCK (rogue);
  if (rogue_init (error))
    {
      if (rogue.lists[kind] == NULL)
        rogue.lists[kind] = build_list (kind, error);
      list = rogue.lists[kind];
    }
  G_UNLOCK (rogue);
  return list;
}

X509_CRL *
tp_test_rogue_make_crl (TpTestRogueCrl   kind,
                        GError         **error)
{
  X509_CRL *crl;
  ASN1_TIME *t;
  gboolean ok;

  G_LOCK (rogue);
  ok = rogue_init (error);
  G_UNLOCK (rogue);
  if (!ok)
    return NULL;

  crl = X509_CRL_new ();
  t = ASN1_TIME_new ();
  ok = X509_CRL_set_version (crl, X509_CRL_VERSION_2) &&
       X509_CRL_set_issuer_name (crl, X509_get_subject_name (rogue.csca_p256)) &&
       ASN1_TIME_set_string_X509 (t, kind == TP_TEST_ROGUE_CRL_STALE ? "20240101000000Z" : "20990101000000Z") &&
       X509_CRL_set1_lastUpdate (crl, t) &&
       ASN1_TIME_set_string_X509 (t, kind == TP_TEST_ROGUE_CRL_STALE ? "20240701000000Z" : "20990701000000Z") &&
       X509_CRL_set1_nextUpdate (crl, t) &&
       X509_CRL_sign (crl, rogue.csca_p256_key, EVP_sha256 ()) > 0;
  ASN1_TIME_free (t);
  if (!ok)
    {
      tp_test_set_openssl_error (error, "making a rogue test CRL");
      X509_CRL_free (crl);
      return NULL;
    }
  return crl;
}

/* ---- files ------------------------------------------------------------------ */

static GBytes *
cert_der (X509 *cert)
{
  unsigned char *der = NULL;
  int len = i2d_X509 (cert, &der);
  GBytes *out = len > 0 ? g_bytes_new (der, (gsize) len) : NULL;

  OPENSSL_free (der);
  return out;
}

static GBytes *
crl_der (X509_CRL *crl)
{
  unsigned char *der = NULL;
  int len = i2d_X509_CRL (crl, &der);
  GBytes *out = len > 0 ? g_bytes_new (der, (gsize) len) : NULL;

  OPENSSL_free (der);
  return out;
}

static gboolean
write_bytes (const char  *dir,
             const char  *name,
             GBytes      *bytes,
             GError     **error)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);

  if (bytes == NULL)
    {
      g_set_error (error, TP_ERROR, TP_ERROR_FAILED, "nothing to write to %s", path);
      return FALSE;
    }
  return g_file_set_contents (path, g_bytes_get_data (bytes, NULL), (gssize) g_bytes_get_size (bytes), error);
}

static gboolean
make_dir (const char  *dir,
          GError     **error)
{
  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      g_set_error (error, TP_ERROR, TP_ERROR_FAILED, "cannot create %s: %s", dir, g_strerror (errno));
      return FALSE;
    }
  return TRUE;
}

gboolean
tp_test_rogue_write_trust (const char  *dir,
                           GError     **error)
{
  X509 *germany = tp_test_rogue_get_germany_csca (error);
  g_autoptr(GBytes) der = NULL;

  if (germany == NULL || !make_dir (dir, error))
    return FALSE;
  der = cert_der (germany);
  return write_bytes (dir, "csca-de.cer", der, error);
}

void
tp_test_ldif_append_entry (GString    *out,
                           const char *dn,
                           const char *object_class,
                           const char *attribute,
                           GBytes     *value)
{
  g_autofree char *b64 = g_base64_encode (g_bytes_get_data (value, NULL), g_bytes_get_size (value));
  g_autofree char *first = g_strdup_printf ("%s:: ", attribute);
  gsize len = strlen (b64), pos, width;

  g_string_append_printf (out, "dn: %s\n", dn);
  g_string_append (out, "pkdVersion: 1\n");
  /* the first line holds the attribute name, the others start with a space */
  width = 76 - strlen (first);
  g_string_append (out, first);
  g_string_append_len (out, b64, (gssize) MIN (width, len));
  g_string_append_c (out, '\n');
  for (pos = MIN (width, len); pos < len; pos += 75)
    {
      g_string_append_c (out, ' ');
      g_string_append_len (out, b64 + pos, (gssize) MIN (75, len - pos));
      g_string_append_c (out, '\n');
    }
  g_string_append (out, "objectClass: top\n");
  g_string_append_printf (out, "objectClass: %s\n", object_class);
  g_string_append (out, "objectClass: pkdDownload\n\n");
}

gboolean
tp_test_rogue_write_cases (const char  *dir,
                           GError     **error)
{
  TpTestPki *pki = tp_test_pki_get_default ();
  g_autoptr(GString) ml_ldif = g_string_new ("version: 1\n\n");
  g_autoptr(GString) ds_ldif = g_string_new ("version: 1\n\n");
  g_autoptr(GBytes) ldif1 = NULL;
  g_autoptr(GBytes) ldif2 = NULL;
  g_autoptr(GBytes) germany_der = NULL;
  g_autoptr(GBytes) rogue_der = NULL;
  X509_CRL *stale, *future;
  g_autoptr(GBytes) stale_der = NULL;
  g_autoptr(GBytes) future_der = NULL;
  GBytes *ml;
  X509 *csca;
  gsize n_types;
  const TpTestKeyType *types = tp_test_signature_key_types (&n_types);

  if (!make_dir (dir, error))
    return FALSE;
  ml = tp_test_pki_get_master_list (pki, NULL, error);
  if (ml == NULL || !tp_test_pki_get_csca (pki, TP_TEST_KEY_EC_P256, &csca, NULL, error) ||
      tp_test_rogue_get_germany_csca (error) == NULL)
    return FALSE;

  tp_test_ldif_append_entry (ml_ldif, "cn=CN\\=Touchpoint Test CSCA P-256\\,C\\=UT,o=ml,c=UT,dc=data,"
                             "dc=download,dc=pkd,dc=icao,dc=int", "pkdMasterList",
                             "pkdMasterListContent", ml);
  for (gsize i = 0; i < n_types; i++)
    {
      g_autofree char *dn = g_strdup_printf ("cn=DS %s+sn=%02" G_GSIZE_FORMAT ",o=dsc,c=UT,dc=data,"
                                             "dc=download,dc=pkd,dc=icao,dc=int",
                                             tp_test_key_type_to_string (types[i]), i);
      g_autofree char *crl_dn = g_strdup_printf ("cn=CSCA %s,o=crl,c=UT,dc=data,dc=download,dc=pkd,"
                                                 "dc=icao,dc=int", tp_test_key_type_to_string (types[i]));
      g_autoptr(GBytes) der = NULL;
      g_autoptr(GBytes) crl_bytes = NULL;
      X509 *ds;
      X509_CRL *crl;

      if (!tp_test_pki_get_signer (pki, types[i], TP_TEST_SIGNER_VALID, &ds, NULL, error) ||
          (crl = tp_test_pki_get_crl (pki, types[i], error)) == NULL)
        return FALSE;
      der = cert_der (ds);
      crl_bytes = crl_der (crl);
      tp_test_ldif_append_entry (ds_ldif, dn, "inetOrgPerson", "userCertificate;binary", der);
      tp_test_ldif_append_entry (ds_ldif, crl_dn, "cRLDistributionPoint", "certificateRevocationList;binary",
                                 crl_bytes);
    }
  rogue_der = cert_der (rogue.rogue_csca);
  tp_test_ldif_append_entry (ds_ldif, "cn=Rogue CSCA,o=dsc,c=UT,dc=data,dc=download,dc=pkd,dc=icao,dc=int",
                             "inetOrgPerson", "userCertificate;binary", rogue_der);
  ldif1 = g_string_free_to_bytes (g_steal_pointer (&ml_ldif));
  ldif2 = g_string_free_to_bytes (g_steal_pointer (&ds_ldif));

  germany_der = cert_der (rogue.germany);
  stale = tp_test_rogue_make_crl (TP_TEST_ROGUE_CRL_STALE, error);
  future = stale != NULL ? tp_test_rogue_make_crl (TP_TEST_ROGUE_CRL_FUTURE, error) : NULL;
  if (stale != NULL && future != NULL)
    {
      stale_der = crl_der (stale);
      future_der = crl_der (future);
    }
  X509_CRL_free (stale);
  X509_CRL_free (future);
  if (future_der == NULL)
    return FALSE;

  if (!write_bytes (dir, "pkd-ml.ldif", ldif1, error) ||
      !write_bytes (dir, "pkd-dsccrl.ldif", ldif2, error) ||
      !write_bytes (dir, "masterlist.ml", ml, error) ||
      !write_bytes (dir, "ml-by-ds.ml", tp_test_rogue_get_master_list (TP_TEST_ROGUE_LIST_BY_DOCUMENT_SIGNER, error), error) ||
      !write_bytes (dir, "ml-with-non-ca.ml", tp_test_rogue_get_master_list (TP_TEST_ROGUE_LIST_WITH_NON_CA, error), error) ||
      !write_bytes (dir, "csca-de.cer", germany_der, error) ||
      !write_bytes (dir, "csca-p256-stale.crl", stale_der, error) ||
      !write_bytes (dir, "csca-p256-future.crl", future_der, error))
    return FALSE;

  {
    g_autofree char *path = g_build_filename (dir, "csca-p256.pem", NULL);
    BIO *bio = BIO_new (BIO_s_mem ());
    char *pem = NULL;
    long len;
    gboolean ok;

    PEM_write_bio_X509 (bio, csca);
    len = BIO_get_mem_data (bio, &pem);
    ok = g_file_set_contents (path, pem, len, error);
    BIO_free (bio);
    return ok;
  }
}
