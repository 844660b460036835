/* test-trust.c: trust anchors only from those allowed to give them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The trust store and passive authentication against the rogue credentials
 * of tp-test-rogue.h: master lists signed by what is not a master-list
 * signer or carrying what is not a CSCA, EF.SOD signed by what is not a
 * Document Signer of the document's state, weak keys and SHA-1, and CRLs
 * that leave revocation unknown, with the operator's policy.
 */
#include "config.h"

#include <string.h>

#include "tp-error.h"
#include "tp-ldif.h"
#include "tp-passive-auth.h"
#include "tp-sod.h"
#include "tp-test-pki.h"
#include "tp-test-rogue.h"
#include "tp-trust-store.h"

static TpTestPki *pki;

static X509 *
csca (TpTestKeyType alg)
{
  X509 *cert = NULL;

  g_assert_true (tp_test_pki_get_csca (pki, alg, &cert, NULL, NULL));
  return cert;
}

/* A store with CSCA P-256 (the signer of the rogue credentials), its CRL,
 * and CSCA RSA-2048 */
static TpTrustStore *
base_store (void)
{
  TpTrustStore *store = tp_trust_store_new (TP_TRUST_STORE_FLAGS_NONE);

  tp_trust_store_add_certificate (store, csca (TP_TEST_KEY_EC_P256));
  tp_trust_store_add_certificate (store, csca (TP_TEST_KEY_RSA_2048));
  tp_trust_store_add_crl (store, tp_test_pki_get_crl (pki, TP_TEST_KEY_EC_P256, NULL));
  tp_trust_store_add_crl (store, tp_test_pki_get_crl (pki, TP_TEST_KEY_RSA_2048, NULL));
  return store;
}

/* A document (the default TD3 of UTO unless @mrz) signed by @signer */
static TpTestDocument *
make_doc (TpTestRogueSigner  signer,
          const char        *mrz,
          const char        *digest)
{
  g_autoptr(GError) error = NULL;
  TpTestDocumentOptions o;
  TpTestDocument *doc;

  tp_test_document_options_init (&o);
  o.mrz = mrz;
  if (digest != NULL)
    o.digest = digest;
  doc = tp_test_pki_make_document (pki, &o, &error);
  g_assert_no_error (error);
  if (signer != TP_TEST_ROGUE_SIGNER_NONE)
    {
      g_assert_true (tp_test_rogue_sign_document (doc, signer, digest, &error));
      g_assert_no_error (error);
    }
  return doc;
}

static gboolean
has_line (GPtrArray  *lines,
          const char *prefix,
          const char *word)
{
  for (guint i = 0; i < lines->len; i++)
    {
      const char *line = g_ptr_array_index (lines, i);

      if (g_str_has_prefix (line, prefix) && (word == NULL || strstr (line, word) != NULL))
        return TRUE;
    }
  return FALSE;
}

static void
dump (const TpPassiveAuthResult *r)
{
  for (guint i = 0; i < r->errors->len; i++)
    g_test_message ("error: %s", (char *) g_ptr_array_index (r->errors, i));
  for (guint i = 0; i < r->warnings->len; i++)
    g_test_message ("warning: %s", (char *) g_ptr_array_index (r->warnings, i));
}

static TpTrustSource *
last_source (TpTrustStore *store)
{
  GPtrArray *sources = tp_trust_store_get_sources (store);

  g_assert_cmpuint (sources->len, >, 0);
  return g_ptr_array_index (sources, sources->len - 1);
}

/* ---- master lists ------------------------------------------------------------ */

/* A Document Signer chains to a trusted CSCA but may not speak for a
 * state's CSCAs: its list (carrying the rogue CSCA) is refused, and a
 * document under the rogue CSCA does not verify. */
static void
test_list_signed_by_document_signer (void)
{
  g_autoptr(TpTrustStore) store = base_store ();
  g_autoptr(GError) error = NULL;
  GBytes *list = tp_test_rogue_get_master_list (TP_TEST_ROGUE_LIST_BY_DOCUMENT_SIGNER, &error);
  g_autoptr(TpTestDocument) doc = make_doc (TP_TEST_ROGUE_SIGNER_ROGUE_CSCA, NULL, NULL);
  g_autoptr(TpPassiveAuthResult) r = NULL;
  TpTrustSource *source;

  g_assert_no_error (error);
  g_assert_true (tp_trust_store_add_data (store, g_bytes_get_data (list, NULL), g_bytes_get_size (list),
                                          "ml-by-ds.ml", &error));
  g_assert_no_error (error);
  source = last_source (store);
  g_test_message ("%s", source->message);
  g_assert_true (source->signature_ok);
  g_assert_false (source->accepted);
  g_assert_nonnull (strstr (source->message, TP_OID_MASTER_LIST_SIGNER));
  g_assert_cmpuint (tp_trust_store_get_n_anchors (store), ==, 2);

  r = tp_passive_auth_verify (doc->files, store, NULL);
  dump (r);
  g_assert_false (r->chain);
  g_assert_cmpint (r->verdict, ==, TP_PASSIVE_AUTH_INVALID);
}

/* A proper master-list signer, but a list of certificates that are not
 * CSCAs: none becomes an anchor, so a document signed by the Document
 * Signer it carries does not verify. */
static void
test_list_non_ca_left_out (void)
{
  g_autoptr(TpTrustStore) store = base_store ();
  g_autoptr(GError) error = NULL;
  GBytes *list = tp_test_rogue_get_master_list (TP_TEST_ROGUE_LIST_WITH_NON_CA, &error);
  g_autoptr(TpTestDocument) doc = make_doc (TP_TEST_ROGUE_SIGNER_ROGUE_CSCA, NULL, NULL);
  g_autoptr(TpPassiveAuthResult) r = NULL;
  TpTrustSource *source;

  g_assert_no_error (error);
  g_assert_true (tp_trust_store_add_data (store, g_bytes_get_data (list, NULL), g_bytes_get_size (list),
                                          "ml-with-non-ca.ml", &error));
  g_assert_no_error (error);
  source = last_source (store);
  g_assert_true (source->signature_ok);
  g_assert_true (source->signer_trusted);
  g_assert_true (source->accepted);
  g_assert_cmpuint (source->n_anchors, ==, 0);
  g_assert_cmpuint (source->n_ignored, ==, 2);
  g_assert_nonnull (strstr (source->message, "not CSCA certificates"));
  g_assert_cmpuint (tp_trust_store_get_n_anchors (store), ==, 2);

  r = tp_passive_auth_verify (doc->files, store, NULL);
  dump (r);
  g_assert_false (r->chain);
  g_assert_cmpint (r->verdict, ==, TP_PASSIVE_AUTH_INVALID);
}

/* A CA certificate that may not sign certificates is no anchor, from a
 * certificate file either. */
static void
test_ca_without_cert_sign (void)
{
  g_autoptr(TpTrustStore) store = tp_trust_store_new (TP_TRUST_STORE_FLAGS_NONE);
  X509 *ca = tp_test_rogue_get_ca_without_cert_sign (NULL);

  g_assert_nonnull (ca);
  g_assert_false (tp_x509_is_csca (ca));
  g_assert_true (tp_x509_is_csca (csca (TP_TEST_KEY_EC_P256)));
  tp_trust_store_add_certificate (store, ca);
  g_assert_cmpuint (tp_trust_store_get_n_anchors (store), ==, 0);
}

/* ---- Document Signers ------------------------------------------------------------ */

typedef struct {
  TpTestRogueSigner signer;
  const char       *word;    /* in the document_signer error */
} SignerCase;

static const SignerCase signer_cases[] = {
  { TP_TEST_ROGUE_SIGNER_CSCA, "CA certificate" },
  { TP_TEST_ROGUE_SIGNER_CERT_SIGN_ONLY, "digitalSignature" },
  { TP_TEST_ROGUE_SIGNER_TLS, "TLS Web Server Authentication" },
  { TP_TEST_ROGUE_SIGNER_MASTER_LIST, "master list" },
};

/* Each chains to a CSCA of the store (or is one): only the profile of
 * the certificate tells it is not a Document Signer. */
static void
test_not_a_document_signer (gconstpointer data)
{
  const SignerCase *c = data;
  g_autoptr(TpTrustStore) store = base_store ();
  g_autoptr(TpTestDocument) doc = make_doc (c->signer, NULL, NULL);
  g_autoptr(TpPassiveAuthResult) r = tp_passive_auth_verify (doc->files, store, NULL);

  dump (r);
  g_assert_true (r->signature);
  g_assert_true (r->chain);
  g_assert_false (r->ds_profile);
  g_assert_true (has_line (r->errors, "document_signer:", c->word));
  g_assert_cmpint (r->verdict, ==, TP_PASSIVE_AUTH_INVALID);
}

/* ---- country ------------------------------------------------------------------- */

/* A German passport (MRZ D) under CSCA Germany (C=DE): the same country
 * through the one table. */
static void
test_country_match (void)
{
  g_autoptr(TpTrustStore) store = base_store ();
  g_autofree char *mrz = tp_test_rogue_german_mrz ();
  g_autoptr(TpTestDocument) doc = make_doc (TP_TEST_ROGUE_SIGNER_GERMANY, mrz, NULL);
  g_autoptr(TpPassiveAuthResult) r = NULL;

  tp_trust_store_add_certificate (store, tp_test_rogue_get_germany_csca (NULL));
  r = tp_passive_auth_verify (doc->files, store, NULL);
  dump (r);
  g_assert_cmpstr (r->issuing_state, ==, "D");
  g_assert_cmpint (r->country, ==, TP_COUNTRY_CHECK_MATCH);
  g_assert_cmpint (r->verdict, ==, TP_PASSIVE_AUTH_VALID);
}

/* A document of UTO signed by Germany's Document Signer: every signature
 * and the chain hold, the country does not. */
static void
test_country_mismatch (void)
{
  g_autoptr(TpTrustStore) store = base_store ();
  g_autoptr(TpTestDocument) doc = make_doc (TP_TEST_ROGUE_SIGNER_GERMANY, NULL, NULL);
  g_autoptr(TpPassiveAuthResult) r = NULL;

  tp_trust_store_add_certificate (store, tp_test_rogue_get_germany_csca (NULL));
  r = tp_passive_auth_verify (doc->files, store, NULL);
  dump (r);
  g_assert_true (r->signature);
  g_assert_true (r->chain);
  g_assert_true (r->ds_profile);
  g_assert_cmpstr (r->issuing_state, ==, "UTO");
  g_assert_cmpint (r->country, ==, TP_COUNTRY_CHECK_MISMATCH);
  g_assert_cmpstr (tp_country_check_to_string (r->country), ==, "mismatch");
  g_assert_true (has_line (r->errors, "country:", "DE"));
  g_assert_cmpint (r->verdict, ==, TP_PASSIVE_AUTH_INVALID);
}

/* ---- algorithms ------------------------------------------------------------------ */

static void
test_weak_key (gconstpointer data)
{
  TpTestRogueSigner signer = GPOINTER_TO_INT (data);
  g_autoptr(TpTrustStore) store = base_store ();
  g_autoptr(TpTestDocument) doc = make_doc (signer, NULL, NULL);
  g_autoptr(TpPassiveAuthResult) r = tp_passive_auth_verify (doc->files, store, NULL);

  dump (r);
  g_assert_true (r->signature);
  g_assert_true (r->chain);
  g_assert_true (has_line (r->errors, "weak key:",
                           signer == TP_TEST_ROGUE_SIGNER_WEAK_RSA ? "1024-bit RSA" : "192-bit EC"));
  g_assert_cmpint (r->verdict, ==, TP_PASSIVE_AUTH_INVALID);
}

/* SHA-1: accepted, with a visible warning */
static void
test_sha1 (void)
{
  g_autoptr(TpTrustStore) store = base_store ();
  g_autoptr(TpTestDocument) doc = make_doc (TP_TEST_ROGUE_SIGNER_NONE, NULL, "SHA1");
  g_autoptr(TpPassiveAuthResult) r = tp_passive_auth_verify (doc->files, store, NULL);

  dump (r);
  g_assert_cmpstr (r->hash_algorithm, ==, "SHA-1");
  g_assert_true (r->weak_algorithm);
  g_assert_true (has_line (r->warnings, "weak algorithm:", "SHA-1"));
  g_assert_cmpint (r->verdict, ==, TP_PASSIVE_AUTH_VALID);
}

/* ---- revocation ------------------------------------------------------------------- */

static void
test_revocation_unknown (gconstpointer data)
{
  TpTestRogueCrl kind = GPOINTER_TO_INT (data);
  g_autoptr(TpTrustStore) store = tp_trust_store_new (TP_TRUST_STORE_FLAGS_NONE);
  g_autoptr(TpTestDocument) doc = make_doc (TP_TEST_ROGUE_SIGNER_NONE, NULL, NULL);
  g_autoptr(TpPassiveAuthResult) shown = NULL;
  g_autoptr(TpPassiveAuthResult) required = NULL;
  g_autoptr(TpPassiveAuthResult) with_current = NULL;
  X509_CRL *crl = tp_test_rogue_make_crl (kind, NULL);
  TpPassiveAuthPolicy policy = { 0 };

  g_assert_nonnull (crl);
  tp_trust_store_add_certificate (store, csca (TP_TEST_KEY_EC_P256));
  tp_trust_store_add_crl (store, crl);

  /* default: unknown, shown, not failed */
  shown = tp_passive_auth_verify (doc->files, store, NULL);
  dump (shown);
  g_assert_cmpint (shown->revocation, ==, TP_REVOCATION_UNKNOWN);
  g_assert_nonnull (strstr (shown->revocation_reason,
                            kind == TP_TEST_ROGUE_CRL_STALE ? "past its next update" : "future"));
  g_assert_true (has_line (shown->warnings, "revocation: unknown", NULL));
  g_assert_cmpint (shown->verdict, ==, TP_PASSIVE_AUTH_VALID);

  /* the operator's policy requires it known */
  policy.require_revocation = TRUE;
  required = tp_passive_auth_verify_with_policy (doc->files, store, NULL, &policy);
  g_assert_true (has_line (required->errors, "revocation: unknown", "policy"));
  g_assert_cmpint (required->verdict, ==, TP_PASSIVE_AUTH_INVALID);

  /* with a current CRL beside it: good */
  tp_trust_store_add_crl (store, tp_test_pki_get_crl (pki, TP_TEST_KEY_EC_P256, NULL));
  with_current = tp_passive_auth_verify_with_policy (doc->files, store, NULL, &policy);
  g_assert_cmpint (with_current->revocation, ==, TP_REVOCATION_GOOD);
  g_assert_cmpint (with_current->verdict, ==, TP_PASSIVE_AUTH_VALID);
  X509_CRL_free (crl);
}

/* ---- LDIF ----------------------------------------------------------------------- */

static void
test_ldif_parse (void)
{
  static const char text[] =
    "# ICAO PKD download\r\n"
    "#  a comment folded\r\n"
    "  over two lines\r\n"
    "version: 1\r\n"
    "\r\n"
    "dn:: Y249Q1NDQSBUZXN0LG89bWwsYz1VVA==\r\n"
    "cn: CSCA\r\n"
    "  Test\r\n"
    "userCertificate;binary:: AAEC\r\n"
    " Aw==\r\n"
    "\r\n"
    "dn: cn=second\n"
    "sn:\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = tp_ldif_parse ((const guint8 *) text, sizeof text - 1, &error);
  const TpLdifEntry *e;
  const TpLdifAttribute *a;
  gsize len;
  const guint8 *v;

  g_assert_no_error (error);
  g_assert_true (tp_ldif_looks_like ((const guint8 *) text, sizeof text - 1));
  g_assert_cmpuint (entries->len, ==, 2);
  e = g_ptr_array_index (entries, 0);
  g_assert_cmpstr (e->dn, ==, "cn=CSCA Test,o=ml,c=UT");
  g_assert_cmpuint (e->line, ==, 6);
  g_assert_cmpuint (e->attributes->len, ==, 2);
  a = g_ptr_array_index (e->attributes, 0);
  v = g_bytes_get_data (a->value, &len);
  g_assert_cmpmem (v, len, "CSCA Test", 9);
  a = g_ptr_array_index (e->attributes, 1);
  g_assert_true (tp_ldif_attribute_is (a, "usercertificate"));
  g_assert_false (tp_ldif_attribute_is (a, "userCert"));
  v = g_bytes_get_data (a->value, &len);
  g_assert_cmpmem (v, len, "\x00\x01\x02\x03", 4);
  e = g_ptr_array_index (entries, 1);
  g_assert_cmpstr (e->dn, ==, "cn=second");
  a = g_ptr_array_index (e->attributes, 0);
  g_assert_cmpuint (g_bytes_get_size (a->value), ==, 0);
}

static void
test_ldif_errors (void)
{
  static const struct { const char *text; const char *word; } cases[] = {
    { "dn: cn=x\nchangetype: add\n", "change records" },
    { "dn: cn=x\nuserCertificate:< file:///etc/passwd\n", "URL" },
    { "dn: cn=x\nuserCertificate:: AB$C\n", "base64" },
    { "dn: cn=x\nuserCertificate:: ABC\n", "cut short" },
    { "dn: cn=x\nno colon here\n", "colon" },
    { "cn: before\n", "before any dn" },
    { "version: 2\n", "version" },
    { " folded first\n", "continuation" },
    { "dn: cn=x\ndn: cn=y\n", "second dn" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) entries = tp_ldif_parse ((const guint8 *) cases[i].text,
                                                    strlen (cases[i].text), &error);

      g_assert_null (entries);
      g_assert_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT);
      g_test_message ("%s", error->message);
      g_assert_nonnull (strstr (error->message, "LDIF line"));
      g_assert_nonnull (strstr (error->message, cases[i].word));
    }
}

/* A PKD download: its master list is taken under the master-list rule,
 * its Document Signers and CRLs join the store, a CSCA in it gives no
 * anchor. */
static void
test_ldif_into_store (void)
{
  g_autoptr(TpTrustStore) store = tp_trust_store_new (TP_TRUST_STORE_FLAGS_NONE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) ldif = g_string_new ("version: 1\n\n");
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GBytes) rogue_der = NULL;
  GBytes *list = tp_test_pki_get_master_list (pki, NULL, NULL);
  GPtrArray *sources;
  const TpTrustSource *file_source = NULL, *list_source = NULL;
  unsigned char *der = NULL;
  int len;
  gsize n_types;

  tp_test_signature_key_types (&n_types);
  len = i2d_X509 (tp_test_rogue_get_rogue_csca (NULL), &der);
  rogue_der = g_bytes_new (der, (gsize) len);
  OPENSSL_free (der);
  tp_test_ldif_append_entry (ldif, "cn=ML,o=ml,c=UT", "pkdMasterList", "pkdMasterListContent", list);
  tp_test_ldif_append_entry (ldif, "cn=Rogue,o=dsc,c=UT", "inetOrgPerson", "userCertificate;binary",
                             rogue_der);
  bytes = g_string_free_to_bytes (g_steal_pointer (&ldif));

  tp_trust_store_add_certificate (store, csca (TP_TEST_KEY_EC_P256));
  g_assert_true (tp_trust_store_add_data (store, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                          "pkd.ldif", &error));
  g_assert_no_error (error);
  sources = tp_trust_store_get_sources (store);
  for (guint i = 0; i < sources->len; i++)
    {
      const TpTrustSource *source = g_ptr_array_index (sources, i);

      if (source->kind == TP_TRUST_SOURCE_LDIF)
        file_source = source;
      if (source->kind == TP_TRUST_SOURCE_MASTER_LIST)
        list_source = source;
    }
  g_assert_nonnull (list_source);
  g_assert_true (list_source->accepted);
  g_assert_nonnull (strstr (list_source->name, "cn=ML"));
  g_assert_nonnull (file_source);
  g_assert_cmpuint (file_source->n_ignored, ==, 1);
  g_assert_nonnull (strstr (file_source->message, "not signed"));
  g_assert_cmpuint (tp_trust_store_get_n_anchors (store), ==, n_types);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  pki = tp_test_pki_get_default ();

  g_test_add_func ("/trust/master-list/signed-by-document-signer", test_list_signed_by_document_signer);
  g_test_add_func ("/trust/master-list/non-ca-left-out", test_list_non_ca_left_out);
  g_test_add_func ("/trust/anchors/ca-without-cert-sign", test_ca_without_cert_sign);
  for (gsize i = 0; i < G_N_ELEMENTS (signer_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/trust/document-signer/%s",
                                               tp_test_rogue_signer_to_string (signer_cases[i].signer));

      g_test_add_data_func (path, &signer_cases[i], test_not_a_document_signer);
    }
  g_test_add_func ("/trust/country/germany", test_country_match);
  g_test_add_func ("/trust/country/mismatch", test_country_mismatch);
  g_test_add_data_func ("/trust/algorithms/rsa-1024", GINT_TO_POINTER (TP_TEST_ROGUE_SIGNER_WEAK_RSA),
                        test_weak_key);
  g_test_add_data_func ("/trust/algorithms/p-192", GINT_TO_POINTER (TP_TEST_ROGUE_SIGNER_WEAK_EC),
                        test_weak_key);
  g_test_add_func ("/trust/algorithms/sha1", test_sha1);
  g_test_add_data_func ("/trust/revocation/stale-crl", GINT_TO_POINTER (TP_TEST_ROGUE_CRL_STALE),
                        test_revocation_unknown);
  g_test_add_data_func ("/trust/revocation/future-crl", GINT_TO_POINTER (TP_TEST_ROGUE_CRL_FUTURE),
                        test_revocation_unknown);
  g_test_add_func ("/trust/ldif/parse", test_ldif_parse);
  g_test_add_func ("/trust/ldif/errors", test_ldif_errors);
  g_test_add_func ("/trust/ldif/into-store", test_ldif_into_store);

  return g_test_run ();
}
