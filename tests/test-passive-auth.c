/* test-passive-auth.c: EF.SOD, trust store and passive authentication
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Documents come from the test PKI (tp-test-pki.h), generated at test time
 * from its public seed; trust stores are written to a temporary directory.
 */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "tp-error.h"
#include "tp-passive-auth.h"
#include "tp-sod.h"
#include "tp-test-document.h"
#include "tp-trust-store.h"

typedef struct {
  TpTestPki    *pki;
  char         *tmpdir;
  TpTrustStore *store;      /* CSCA certificates and CRLs */
} Fixture;

static Fixture fx;

static void
rm_rf (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      GDir *dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          rm_rf (child);
        }
      if (dir != NULL)
        g_dir_close (dir);
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

static TpTestDocument *
make_doc (const TpTestDocumentOptions *options)
{
  g_autoptr(GError) error = NULL;
  TpTestDocument *doc = tp_test_pki_make_document (fx.pki, options, &error);

  g_assert_no_error (error);
  g_assert_nonnull (doc);
  return doc;
}

static TpTestDocument *
make_doc_for (TpTestKeyType    alg,
              TpTestSignerKind kind)
{
  TpTestDocumentOptions o;

  tp_test_document_options_init (&o);
  o.signer_key = alg;
  o.signer = kind;
  return make_doc (&o);
}

static void
assert_all_hashes (const TpPassiveAuthResult *r,
                   TpTestDocument            *doc,
                   TpDgHashStatus             expected)
{
  g_autoptr(GArray) fids = tp_lds_files_get_fids (doc->files);
  guint n = 0;

  for (guint i = 0; i < fids->len; i++)
    {
      guint dg = tp_lds_dg_from_fid (g_array_index (fids, guint16, i));

      if (dg == 0)
        continue;
      g_assert_cmpstr (tp_dg_hash_status_to_string (tp_passive_auth_result_get_hash (r, dg)), ==,
                       tp_dg_hash_status_to_string (expected));
      n++;
    }
  g_assert_cmpuint (n, >=, 5);
}

static void
dump_result (const TpPassiveAuthResult *r)
{
  if (g_test_verbose ())
    {
      g_test_message ("verdict %s, signature %d (%s), chain %s (%s), csca %s, revocation %s (%s)",
                      tp_passive_auth_verdict_to_string (r->verdict), r->signature,
                      r->signature_reason ? r->signature_reason : "-",
                      tp_chain_status_to_string (r->chain_status), r->chain_reason ? r->chain_reason : "-",
                      r->csca_subject ? r->csca_subject : "-",
                      tp_revocation_status_to_string (r->revocation), r->revocation_reason);
      for (guint i = 0; i < r->errors->len; i++)
        g_test_message ("  error: %s", (char *) g_ptr_array_index (r->errors, i));
      for (guint i = 0; i < r->warnings->len; i++)
        g_test_message ("  warning: %s", (char *) g_ptr_array_index (r->warnings, i));
    }
}

static void
assert_valid (const TpPassiveAuthResult *r,
              TpTestDocument            *doc)
{
  dump_result (r);
  g_assert_true (r->sod_parsed);
  g_assert_true (r->signature);
  g_assert_null (r->signature_reason);
  g_assert_true (r->chain);
  g_assert_cmpint (r->chain_status, ==, TP_CHAIN_OK);
  g_assert_null (r->chain_reason);
  g_assert_false (r->ds_expired);
  g_assert_true (r->ds_embedded);
  assert_all_hashes (r, doc, TP_DG_HASH_MATCH);
  g_assert_cmpuint (r->errors->len, ==, 0);
  g_assert_cmpint (r->verdict, ==, TP_PASSIVE_AUTH_VALID);
  g_assert_cmpstr (tp_passive_auth_verdict_to_string (r->verdict), ==, "valid");
}

/* ---- per algorithm ------------------------------------------------------ */

static void
test_valid_algorithm (gconstpointer data)
{
  TpTestKeyType alg = GPOINTER_TO_INT (data);
  g_autoptr(TpTestDocument) doc = make_doc_for (alg, TP_TEST_SIGNER_VALID);
  g_autoptr(TpPassiveAuthResult) r = tp_passive_auth_verify (doc->files, fx.store, NULL);
  g_autofree char *subject = tp_x509_name_to_string (X509_get_subject_name (doc->csca));

  assert_valid (r, doc);
  g_assert_cmpstr (r->csca_subject, ==, subject);
  g_assert_true (g_str_has_prefix (r->csca_subject, "CN=Touchpoint Test CSCA "));
  g_assert_cmpstr (r->hash_algorithm, ==, "SHA-256");
  g_assert_nonnull (r->ds_subject);
  g_assert_nonnull (r->ds_serial);
  g_assert_cmpstr (r->ds_not_after, ==, "2040-01-01T00:00:00Z");
  /* the store has this CSCA's CRL, which does not list this DS */
  g_assert_cmpint (r->revocation, ==, TP_REVOCATION_GOOD);
  g_assert_cmpstr (tp_revocation_status_to_string (r->revocation), ==, "good");
  g_assert_nonnull (strstr (r->revocation_reason, "not on the CRL"));
}

static void
test_digests (void)
{
  static const struct { const char *digest; const char *name; } cases[] = {
    { "SHA1", "SHA-1" }, { "SHA224", "SHA-224" }, { "SHA256", "SHA-256" },
    { "SHA384", "SHA-384" }, { "SHA512", "SHA-512" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      TpTestDocumentOptions o;
      g_autoptr(TpTestDocument) doc = NULL;
      g_autoptr(TpPassiveAuthResult) r = NULL;
      g_autoptr(TpSod) sod = NULL;
      g_autoptr(GError) error = NULL;
      GBytes *sod_bytes;

      tp_test_document_options_init (&o);
      o.digest = cases[i].digest;
      doc = make_doc (&o);
      r = tp_passive_auth_verify (doc->files, fx.store, NULL);
      assert_valid (r, doc);
      g_assert_cmpstr (r->hash_algorithm, ==, cases[i].name);

      sod_bytes = tp_lds_files_get (doc->files, TP_LDS_FID_SOD);
      sod = tp_sod_parse (g_bytes_get_data (sod_bytes, NULL), g_bytes_get_size (sod_bytes), &error);
      g_assert_no_error (error);
      g_assert_cmpstr (sod->digest_name, ==, cases[i].name);
      g_assert_cmpint (sod->version, ==, 0);
      g_assert_null (sod->lds_version);
      g_assert_cmpuint (sod->hashes->len, ==, 6);
      g_assert_nonnull (sod->document_signer);
      g_assert_cmpuint (sod->certificates->len, ==, 1);
    }
}

static void
test_rsa_pss (void)
{
  TpTestDocumentOptions o;
  g_autoptr(TpTestDocument) doc = NULL;
  g_autoptr(TpPassiveAuthResult) r = NULL;

  tp_test_document_options_init (&o);
  o.signer_key = TP_TEST_KEY_RSA_2048;
  o.rsa_pss = TRUE;
  doc = make_doc (&o);
  r = tp_passive_auth_verify (doc->files, fx.store, NULL);
  assert_valid (r, doc);
  g_assert_cmpstr (r->signature_algorithm, ==, "rsassaPss");
}

static void
test_lds_v1 (void)
{
  TpTestDocumentOptions o;
  g_autoptr(TpTestDocument) doc = NULL;
  g_autoptr(TpPassiveAuthResult) r = NULL;
  g_autoptr(TpSod) sod = NULL;
  g_autoptr(GError) error = NULL;
  GBytes *sod_bytes;

  tp_test_document_options_init (&o);
  o.lds_version = "0108";
  doc = make_doc (&o);
  r = tp_passive_auth_verify (doc->files, fx.store, NULL);
  assert_valid (r, doc);

  sod_bytes = tp_lds_files_get (doc->files, TP_LDS_FID_SOD);
  sod = tp_sod_parse (g_bytes_get_data (sod_bytes, NULL), g_bytes_get_size (sod_bytes), &error);
  g_assert_no_error (error);
  g_assert_cmpint (sod->version, ==, 1);
  g_assert_cmpstr (sod->lds_version, ==, "0108");
  g_assert_cmpstr (sod->unicode_version, ==, "040000");
}

/* ---- data group hashes -------------------------------------------------- */

static void
tamper (TpTestDocument *doc,
        guint16         fid,
        gsize           offset)
{
  GBytes *bytes = tp_lds_files_get (doc->files, fid);
  gsize len;
  guint8 *copy = g_bytes_unref_to_data (g_bytes_ref (bytes), &len);
  g_autoptr(GBytes) changed = NULL;

  g_assert_cmpuint (offset, <, len);
  copy[offset] ^= 0x01;
  changed = g_bytes_new_take (copy, len);
  tp_lds_files_set (doc->files, fid, changed);
}

static void
test_tampered_dg (void)
{
  static const guint16 fids[] = { TP_LDS_FID_DG1, TP_LDS_FID_DG2, TP_LDS_FID_DG11, TP_LDS_FID_DG15 };

  for (guint i = 0; i < G_N_ELEMENTS (fids); i++)
    {
      g_autoptr(TpTestDocument) doc = make_doc_for (TP_TEST_KEY_EC_P256, TP_TEST_SIGNER_VALID);
      g_autoptr(TpPassiveAuthResult) r = NULL;
      g_autoptr(GArray) all = NULL;
      guint dg = tp_lds_dg_from_fid (fids[i]);
      g_autofree char *needle = g_strdup_printf ("DG%u does not match", dg);
      gboolean found = FALSE;

      tamper (doc, fids[i], g_bytes_get_size (tp_lds_files_get (doc->files, fids[i])) - 3);
      r = tp_passive_auth_verify (doc->files, fx.store, NULL);
      dump_result (r);

      g_assert_true (r->signature);
      g_assert_true (r->chain);
      g_assert_cmpint (r->verdict, ==, TP_PASSIVE_AUTH_INVALID);
      all = tp_lds_files_get_fids (doc->files);
      for (guint k = 0; k < all->len; k++)
        {
          guint other = tp_lds_dg_from_fid (g_array_index (all, guint16, k));

          if (other == 0)
            continue;
          g_assert_cmpint (tp_passive_auth_result_get_hash (r, other), ==,
                           other == dg ? TP_DG_HASH_MISMATCH : TP_DG_HASH_MATCH);
        }
      for (guint k = 0; k < r->errors->len; k++)
        found |= strstr (g_ptr_array_index (r->errors, k), needle) != NULL;
      g_assert_true (found);
    }
}

static void
test_dg_not_read_and_not_in_sod (void)
{
  g_autoptr(TpTestDocument) doc = make_doc_for (TP_TEST_KEY_EC_P256, TP_TEST_SIGNER_VALID);
  g_autoptr(TpPassiveAuthResult) r = NULL;
  g_autoptr(TpPassiveAuthResult) r2 = NULL;
  g_autoptr(GBytes) dg3 = g_bytes_new_static ("\x63\x03\x01\x02\x03", 5);

  /* DG12 listed in the SOD but not read: no verdict on it, still valid */
  tp_lds_files_set (doc->files, TP_LDS_FID_DG12, NULL);
  r = tp_passive_auth_verify (doc->files, fx.store, NULL);
  g_assert_cmpint (tp_passive_auth_result_get_hash (r, 12), ==, TP_DG_HASH_NOT_READ);
  g_assert_cmpint (tp_passive_auth_result_get_hash (r, 1), ==, TP_DG_HASH_MATCH);
  g_assert_cmpint (r->verdict, ==, TP_PASSIVE_AUTH_VALID);

  /* DG3 read but the SOD has no hash for it: nothing vouches for it */
  tp_lds_files_set (doc->files, tp_lds_dg_fid (3), dg3);
  r2 = tp_passive_auth_verify (doc->files, fx.store, NULL);
  g_assert_cmpint (tp_passive_auth_result_get_hash (r2, 3), ==, TP_DG_HASH_NOT_IN_SOD);
  g_assert_cmpstr (tp_dg_hash_status_to_string (TP_DG_HASH_NOT_IN_SOD), ==, "not_in_sod");
  g_assert_cmpint (r2->verdict, ==, TP_PASSIVE_AUTH_INVALID);
  g_assert_true (r2->signature);
  g_assert_true (r2->chain);
}

static void
test_trailing_padding (void)
{
  g_autoptr(TpTestDocument) doc = make_doc_for (TP_TEST_KEY_EC_P256, TP_TEST_SIGNER_VALID);
  g_autoptr(TpPassiveAuthResult) r = NULL;
  GBytes *dg1 = tp_lds_files_get (doc->files, TP_LDS_FID_DG1);
  g_autoptr(GByteArray) padded = g_byte_array_new ();
  g_autoptr(GBytes) padded_bytes = NULL;

  /* a chip that returns the file with padding after the TLV */
  g_byte_array_append (padded, g_bytes_get_data (dg1, NULL), (guint) g_bytes_get_size (dg1));
  g_byte_array_append (padded, (const guint8 *) "\0\0\0\0", 4);
  padded_bytes = g_bytes_new (padded->data, padded->len);
  tp_lds_files_set (doc->files, TP_LDS_FID_DG1, padded_bytes);
  r = tp_passive_auth_verify (doc->files, fx.store, NULL);
  assert_valid (r, doc);
}

/* ---- signature ---------------------------------------------------------- */

static void
test_tampered_sod (void)
{
  g_autoptr(TpTestDocument) doc = make_doc_for (TP_TEST_KEY_EC_P256, TP_TEST_SIGNER_VALID);
  GBytes *sod_bytes = tp_lds_files_get (doc->files, TP_LDS_FID_SOD);
  gsize len = g_bytes_get_size (sod_bytes);
  const guint8 *sod = g_bytes_get_data (sod_bytes, NULL);
  const guint8 *hashes;
  gsize hash_offset;

  /* the last byte is inside the ECDSA signature value */
  {
    g_autoptr(TpTestDocument) copy = make_doc_for (TP_TEST_KEY_EC_P256, TP_TEST_SIGNER_VALID);
    g_autoptr(TpPassiveAuthResult) r = NULL;

    tamper (copy, TP_LDS_FID_SOD, g_bytes_get_size (tp_lds_files_get (copy->files, TP_LDS_FID_SOD)) - 2);
    r = tp_passive_auth_verify (copy->files, fx.store, NULL);
    dump_result (r);
    g_assert_true (r->sod_parsed);
    g_assert_false (r->signature);
    g_assert_nonnull (strstr (r->signature_reason, "signature"));
    g_assert_true (r->chain);
    assert_all_hashes (r, copy, TP_DG_HASH_MATCH);
    g_assert_cmpint (r->verdict, ==, TP_PASSIVE_AUTH_INVALID);
  }

  /* a byte of a hash inside the LDSSecurityObject: the content no longer
   * matches the signed message digest, and that DG no longer matches */
  {
    g_autoptr(TpSod) parsed = tp_sod_parse (sod, len, NULL);
    const TpSodHash *h = tp_sod_find_hash (parsed, 1);
    g_autoptr(TpPassiveAuthResult) r = NULL;
    gsize hlen;
    const guint8 *hv = g_bytes_get_data (h->value, &hlen);

    hashes = memmem (sod, len, hv, hlen);
    g_assert_nonnull (hashes);
    hash_offset = (gsize) (hashes - sod);
    tamper (doc, TP_LDS_FID_SOD, hash_offset);
    r = tp_passive_auth_verify (doc->files, fx.store, NULL);
    dump_result (r);
    g_assert_false (r->signature);
    g_assert_nonnull (strstr (r->signature_reason, "message-digest"));
    g_assert_cmpint (tp_passive_auth_result_get_hash (r, 1), ==, TP_DG_HASH_MISMATCH);
    g_assert_cmpint (tp_passive_auth_result_get_hash (r, 2), ==, TP_DG_HASH_MATCH);
    g_assert_cmpint (r->verdict, ==, TP_PASSIVE_AUTH_INVALID);
  }
}

static void
test_wrong_content_type (void)
{
  TpTestDocumentOptions o;
  g_autoptr(TpTestDocument) doc = NULL;
  g_autoptr(TpPassiveAuthResult) r = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TpSod) sod = NULL;
  GBytes *sod_bytes;

  tp_test_document_options_init (&o);
  o.content_type = "1.2.840.113549.1.7.1";   /* id-data */
  doc = make_doc (&o);
  sod_bytes = tp_lds_files_get (doc->files, TP_LDS_FID_SOD);
  sod = tp_sod_parse (g_bytes_get_data (sod_bytes, NULL), g_bytes_get_size (sod_bytes), &error);
  g_assert_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "1.2.840.113549.1.7.1"));
  g_assert_nonnull (strstr (error->message, "2.23.136.1.1.1"));
  g_assert_null (sod);

  r = tp_passive_auth_verify (doc->files, fx.store, NULL);
  dump_result (r);
  g_assert_false (r->sod_parsed);
  g_assert_false (r->signature);
  g_assert_nonnull (strstr (r->signature_reason, "content type"));
  g_assert_false (r->chain);
  g_assert_cmpint (tp_passive_auth_result_get_hash (r, 1), ==, TP_DG_HASH_NOT_IN_SOD);
  g_assert_cmpint (r->verdict, ==, TP_PASSIVE_AUTH_INVALID);
  g_assert_cmpuint (r->errors->len, >=, 1);
}

static void
test_no_sod_and_garbage (void)
{
  g_autoptr(TpTestDocument) doc = make_doc_for (TP_TEST_KEY_EC_P256, TP_TEST_SIGNER_VALID);
  g_autoptr(TpPassiveAuthResult) r = NULL;
  g_autoptr(TpPassiveAuthResult) r2 = NULL;
  g_autoptr(GBytes) garbage = g_bytes_new_static ("\x77\x05\x30\x03\x02\x01\x00", 7);

  tp_lds_files_set (doc->files, TP_LDS_FID_SOD, NULL);
  r = tp_passive_auth_verify (doc->files, fx.store, NULL);
  g_assert_false (r->sod_parsed);
  g_assert_cmpstr (r->signature_reason, ==, "EF.SOD was not read");
  g_assert_cmpint (r->verdict, ==, TP_PASSIVE_AUTH_INVALID);

  tp_lds_files_set (doc->files, TP_LDS_FID_SOD, garbage);
  r2 = tp_passive_auth_verify (doc->files, fx.store, NULL);
  g_assert_false (r2->sod_parsed);
  g_assert_cmpint (r2->verdict, ==, TP_PASSIVE_AUTH_INVALID);
}

static void
test_ds_not_embedded (void)
{
  TpTestDocumentOptions o;
  g_autoptr(TpTestDocument) doc = NULL;
  g_autoptr(TpPassiveAuthResult) r = NULL;
  g_autoptr(TpPassiveAuthResult) r2 = NULL;
  g_autoptr(TpTrustStore) store = tp_trust_store_new (TP_TRUST_STORE_FLAGS_NONE);
  X509 *csca, *ds;

  tp_test_document_options_init (&o);
  o.omit_ds_certificate = TRUE;
  doc = make_doc (&o);

  r = tp_passive_auth_verify (doc->files, fx.store, NULL);
  dump_result (r);
  g_assert_true (r->sod_parsed);
  g_assert_false (r->signature);
  g_assert_nonnull (strstr (r->signature_reason, "does not embed"));
  g_assert_false (r->chain);
  g_assert_cmpint (r->chain_status, ==, TP_CHAIN_NO_CERTIFICATE);
  g_assert_cmpint (r->verdict, ==, TP_PASSIVE_AUTH_INVALID);

  /* with the DS certificate in the store's pool */
  g_assert_true (tp_test_pki_get_csca (fx.pki, TP_TEST_KEY_EC_P256, &csca, NULL, NULL));
  g_assert_true (tp_test_pki_get_signer (fx.pki, TP_TEST_KEY_EC_P256, TP_TEST_SIGNER_VALID, &ds, NULL, NULL));
  tp_trust_store_add_certificate (store, csca);
  tp_trust_store_add_certificate (store, ds);
  g_assert_cmpuint (tp_trust_store_get_n_anchors (store), ==, 1);
  r2 = tp_passive_auth_verify (doc->files, store, NULL);
  dump_result (r2);
  g_assert_true (r2->signature);
  g_assert_false (r2->ds_embedded);
  g_assert_true (r2->chain);
  /* no CRL in this store: unknown, shown, not failed by default */
  g_assert_cmpint (r2->revocation, ==, TP_REVOCATION_UNKNOWN);
  g_assert_cmpint (r2->verdict, ==, TP_PASSIVE_AUTH_VALID);
}

/* ---- chain -------------------------------------------------------------- */

static void
test_unknown_csca (void)
{
  g_autoptr(TpTestDocument) doc = make_doc_for (TP_TEST_KEY_EC_P256, TP_TEST_SIGNER_UNKNOWN_CSCA);
  g_autoptr(TpPassiveAuthResult) r = tp_passive_auth_verify (doc->files, fx.store, NULL);

  dump_result (r);
  g_assert_true (r->signature);
  assert_all_hashes (r, doc, TP_DG_HASH_MATCH);
  g_assert_false (r->chain);
  g_assert_cmpint (r->chain_status, ==, TP_CHAIN_UNKNOWN_CSCA);
  g_assert_cmpstr (tp_chain_status_to_string (r->chain_status), ==, "unknown_csca");
  g_assert_nonnull (strstr (r->chain_reason, "no CSCA in the trust store"));
  g_assert_nonnull (strstr (r->chain_reason, "Unknown CSCA"));
  g_assert_null (r->csca_subject);
  g_assert_cmpint (r->revocation, ==, TP_REVOCATION_NOT_CHECKED);
  g_assert_cmpint (r->verdict, ==, TP_PASSIVE_AUTH_INVALID);
}

static void
test_impostor_csca (void)
{
  g_autoptr(TpTestDocument) doc = make_doc_for (TP_TEST_KEY_BRAINPOOL_P256, TP_TEST_SIGNER_IMPOSTOR_CSCA);
  g_autoptr(TpPassiveAuthResult) r = tp_passive_auth_verify (doc->files, fx.store, NULL);

  /* same issuer name as a trusted CSCA, another key */
  dump_result (r);
  g_assert_true (r->signature);
  g_assert_false (r->chain);
  g_assert_true (r->chain_status == TP_CHAIN_UNKNOWN_CSCA || r->chain_status == TP_CHAIN_BAD_SIGNATURE);
  g_assert_cmpint (r->verdict, ==, TP_PASSIVE_AUTH_INVALID);
}

static void
test_empty_store (void)
{
  g_autoptr(TpTestDocument) doc = make_doc_for (TP_TEST_KEY_EC_P256, TP_TEST_SIGNER_VALID);
  g_autoptr(TpPassiveAuthResult) r = tp_passive_auth_verify (doc->files, NULL, NULL);

  g_assert_true (r->signature);
  assert_all_hashes (r, doc, TP_DG_HASH_MATCH);
  g_assert_false (r->chain);
  g_assert_cmpint (r->chain_status, ==, TP_CHAIN_UNKNOWN_CSCA);
  g_assert_nonnull (strstr (r->chain_reason, "holds no CSCA"));
  g_assert_cmpint (r->verdict, ==, TP_PASSIVE_AUTH_INVALID);
}

static gboolean
has_prefix_line (GPtrArray  *lines,
                 const char *prefix)
{
  for (guint i = 0; i < lines->len; i++)
    if (g_str_has_prefix (g_ptr_array_index (lines, i), prefix))
      return TRUE;
  return FALSE;
}

static void
test_expired_ds (void)
{
  g_autoptr(TpTestDocument) doc = make_doc_for (TP_TEST_KEY_EC_P384, TP_TEST_SIGNER_EXPIRED);
  g_autoptr(TpPassiveAuthResult) r = tp_passive_auth_verify (doc->files, fx.store, NULL);
  g_autoptr(TpPassiveAuthResult) accepted = NULL;
  g_autoptr(TpPassiveAuthResult) late = NULL;
  g_autoptr(GDateTime) after_expiry = g_date_time_new_utc (2036, 6, 1, 0, 0, 0);
  TpPassiveAuthPolicy policy = { 0 };

  /* The DS expired in 2020, the document (DG1) runs to 2035: ICAO 9303-12
   * has a DS outlive the documents it signs, so this fails by default */
  dump_result (r);
  g_assert_true (r->signature);
  g_assert_true (r->chain);
  g_assert_true (r->ds_expired);
  g_assert_cmpstr (r->ds_not_after, ==, "2020-01-01T00:00:00Z");
  g_assert_true (has_prefix_line (r->errors, "ds_expired"));
  g_assert_cmpint (r->verdict, ==, TP_PASSIVE_AUTH_INVALID);

  /* an operator's policy accepts it, never silently */
  policy.accept_expired_ds = TRUE;
  accepted = tp_passive_auth_verify_with_policy (doc->files, fx.store, NULL, &policy);
  g_assert_true (has_prefix_line (accepted->warnings, "ds_expired"));
  g_assert_nonnull (strstr (g_ptr_array_index (accepted->warnings, 0), "policy"));
  g_assert_cmpuint (accepted->errors->len, ==, 0);
  g_assert_cmpint (accepted->verdict, ==, TP_PASSIVE_AUTH_VALID);

  /* once the document has expired too, an expired DS is what ICAO
   * expects: a warning only (the CSCA runs to 2045) */
  late = tp_passive_auth_verify (doc->files, fx.store, after_expiry);
  dump_result (late);
  g_assert_true (has_prefix_line (late->warnings, "ds_expired"));
  g_assert_false (has_prefix_line (late->errors, "ds_expired"));
  g_assert_cmpint (late->verdict, ==, TP_PASSIVE_AUTH_VALID);
}

static void
test_validity_times (void)
{
  g_autoptr(TpTestDocument) doc = make_doc_for (TP_TEST_KEY_EC_P256, TP_TEST_SIGNER_VALID);
  g_autoptr(GDateTime) early = g_date_time_new_utc (2022, 6, 1, 0, 0, 0);
  g_autoptr(GDateTime) late = g_date_time_new_utc (2046, 6, 1, 0, 0, 0);
  g_autoptr(TpPassiveAuthResult) r1 = tp_passive_auth_verify (doc->files, fx.store, early);
  g_autoptr(TpPassiveAuthResult) r2 = tp_passive_auth_verify (doc->files, fx.store, late);

  /* before the DS validity: not tolerated */
  g_assert_false (r1->chain);
  g_assert_cmpint (r1->chain_status, ==, TP_CHAIN_NOT_YET_VALID);
  g_assert_cmpint (r1->verdict, ==, TP_PASSIVE_AUTH_INVALID);
  /* after the CSCA's: a CA certificate out of date fails */
  dump_result (r2);
  g_assert_false (r2->chain);
  g_assert_cmpint (r2->chain_status, ==, TP_CHAIN_EXPIRED);
  g_assert_cmpint (r2->verdict, ==, TP_PASSIVE_AUTH_INVALID);
}

/* ---- revocation --------------------------------------------------------- */

static void
test_revoked_ds (void)
{
  g_autoptr(TpTestDocument) doc = make_doc_for (TP_TEST_KEY_RSA_2048, TP_TEST_SIGNER_REVOKED);
  g_autoptr(TpPassiveAuthResult) r = tp_passive_auth_verify (doc->files, fx.store, NULL);
  gboolean found = FALSE;

  dump_result (r);
  g_assert_true (r->signature);
  g_assert_true (r->chain);
  assert_all_hashes (r, doc, TP_DG_HASH_MATCH);
  g_assert_cmpint (r->revocation, ==, TP_REVOCATION_REVOKED);
  g_assert_cmpstr (tp_revocation_status_to_string (r->revocation), ==, "revoked");
  g_assert_nonnull (strstr (r->revocation_reason, "revoked on 2025-01-01"));
  for (guint i = 0; i < r->errors->len; i++)
    found |= g_str_has_prefix (g_ptr_array_index (r->errors, i), "revocation:");
  g_assert_true (found);
  g_assert_cmpint (r->verdict, ==, TP_PASSIVE_AUTH_INVALID);
}

static void
test_no_crl (void)
{
  g_autoptr(TpTestDocument) doc = make_doc_for (TP_TEST_KEY_RSA_2048, TP_TEST_SIGNER_REVOKED);
  g_autoptr(TpTrustStore) store = tp_trust_store_new (TP_TRUST_STORE_FLAGS_NONE);
  g_autoptr(TpPassiveAuthResult) r = NULL;
  X509 *csca;

  g_assert_true (tp_test_pki_get_csca (fx.pki, TP_TEST_KEY_RSA_2048, &csca, NULL, NULL));
  tp_trust_store_add_certificate (store, csca);
  r = tp_passive_auth_verify (doc->files, store, NULL);
  g_assert_true (r->chain);
  /* unknown: shown as such, not failed by default */
  g_assert_cmpint (r->revocation, ==, TP_REVOCATION_UNKNOWN);
  g_assert_cmpstr (tp_revocation_status_to_string (r->revocation), ==, "unknown");
  g_assert_nonnull (strstr (r->revocation_reason, "no CRL"));
  g_assert_true (has_prefix_line (r->warnings, "revocation: unknown"));
  g_assert_cmpint (r->verdict, ==, TP_PASSIVE_AUTH_VALID);
}

static void
test_crl_wrong_signer (void)
{
  g_autoptr(TpTestDocument) doc = make_doc_for (TP_TEST_KEY_EC_P256, TP_TEST_SIGNER_REVOKED);
  g_autoptr(TpTrustStore) store = tp_trust_store_new (TP_TRUST_STORE_FLAGS_NONE);
  g_autoptr(TpPassiveAuthResult) r = NULL;
  X509 *csca;
  EVP_PKEY *other_key;
  X509_CRL *crl, *forged;
  EVP_MD *md = EVP_MD_fetch (NULL, "SHA256", NULL);

  /* a CRL with the right issuer name but signed by another key is not used */
  g_assert_true (tp_test_pki_get_csca (fx.pki, TP_TEST_KEY_EC_P256, &csca, NULL, NULL));
  g_assert_true (tp_test_pki_get_csca (fx.pki, TP_TEST_KEY_BRAINPOOL_P256, NULL, &other_key, NULL));
  crl = tp_test_pki_get_crl (fx.pki, TP_TEST_KEY_EC_P256, NULL);
  forged = X509_CRL_dup (crl);
  g_assert_true (X509_CRL_sign (forged, other_key, md) > 0);
  tp_trust_store_add_certificate (store, csca);
  tp_trust_store_add_crl (store, forged);
  r = tp_passive_auth_verify (doc->files, store, NULL);
  g_assert_cmpint (r->revocation, ==, TP_REVOCATION_UNKNOWN);
  g_assert_nonnull (strstr (r->revocation_reason, "do not verify"));
  X509_CRL_free (forged);
  EVP_MD_free (md);
}

/* ---- trust stores from files -------------------------------------------- */

static void
test_store_directory (void)
{
  g_autofree char *dir = g_build_filename (fx.tmpdir, "certificates", NULL);
  g_autoptr(TpTrustStore) store = tp_trust_store_new (TP_TRUST_STORE_FLAGS_NONE);
  g_autoptr(GError) error = NULL;
  g_autofree char *note = g_build_filename (dir, "notes.txt", NULL);
  GPtrArray *sources;
  gsize n_types;
  guint crls = 0, skipped = 0;

  tp_test_signature_key_types (&n_types);
  g_assert_true (tp_test_pki_write_trust (fx.pki, dir, TP_TEST_TRUST_CERTIFICATES, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (note, "not a certificate\n", -1, NULL));

  g_assert_true (tp_trust_store_add_path (store, dir, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (tp_trust_store_get_n_anchors (store), ==, n_types);
  sources = tp_trust_store_get_sources (store);
  for (guint i = 0; i < sources->len; i++)
    {
      TpTrustSource *s = g_ptr_array_index (sources, i);

      crls += s->n_crls;
      if (!s->accepted)
        {
          skipped++;
          g_assert_true (g_str_has_suffix (s->name, "notes.txt"));
          g_assert_nonnull (strstr (s->message, "skipped"));
        }
    }
  g_assert_cmpuint (crls, ==, n_types);
  g_assert_cmpuint (skipped, ==, 1);

  /* the same file named explicitly is an error */
  g_assert_false (tp_trust_store_add_path (store, note, &error));
  g_assert_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_false (tp_trust_store_add_path (store, "/nonexistent/trust", &error));
  g_assert_nonnull (error);
}

static void
test_store_pem (void)
{
  g_autofree char *path = g_build_filename (fx.tmpdir, "bundle.pem", NULL);
  g_autoptr(TpTrustStore) store = tp_trust_store_new (TP_TRUST_STORE_FLAGS_NONE);
  g_autoptr(GError) error = NULL;
  g_autoptr(TpTestDocument) doc = make_doc_for (TP_TEST_KEY_EC_P384, TP_TEST_SIGNER_REVOKED);
  g_autoptr(TpPassiveAuthResult) r = NULL;
  BIO *bio = BIO_new (BIO_s_mem ());
  X509 *a, *b;
  char *pem;
  long len;

  /* two certificates and a CRL in one PEM file */
  g_assert_true (tp_test_pki_get_csca (fx.pki, TP_TEST_KEY_EC_P384, &a, NULL, NULL));
  g_assert_true (tp_test_pki_get_csca (fx.pki, TP_TEST_KEY_RSA_2048, &b, NULL, NULL));
  PEM_write_bio_X509 (bio, a);
  PEM_write_bio_X509 (bio, b);
  PEM_write_bio_X509_CRL (bio, tp_test_pki_get_crl (fx.pki, TP_TEST_KEY_EC_P384, NULL));
  len = BIO_get_mem_data (bio, &pem);
  g_assert_true (g_file_set_contents (path, pem, len, NULL));
  BIO_free (bio);

  g_assert_true (tp_trust_store_add_path (store, path, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (tp_trust_store_get_n_anchors (store), ==, 2);
  /* adding the same again changes nothing */
  g_assert_true (tp_trust_store_add_path (store, path, &error));
  g_assert_cmpuint (tp_trust_store_get_n_anchors (store), ==, 2);

  r = tp_passive_auth_verify (doc->files, store, NULL);
  g_assert_true (r->chain);
  g_assert_cmpint (r->revocation, ==, TP_REVOCATION_REVOKED);
}

static guint
count_accepted_lists (TpTrustStore *store)
{
  GPtrArray *sources = tp_trust_store_get_sources (store);
  guint n = 0;

  for (guint i = 0; i < sources->len; i++)
    {
      TpTrustSource *s = g_ptr_array_index (sources, i);

      if (s->kind == TP_TRUST_SOURCE_MASTER_LIST && s->accepted)
        n++;
    }
  return n;
}

static TpTrustSource *
find_list (TpTrustStore *store)
{
  GPtrArray *sources = tp_trust_store_get_sources (store);

  for (guint i = 0; i < sources->len; i++)
    {
      TpTrustSource *s = g_ptr_array_index (sources, i);

      if (s->kind == TP_TRUST_SOURCE_MASTER_LIST)
        return s;
    }
  return NULL;
}

static void
test_master_list (void)
{
  g_autofree char *dir = g_build_filename (fx.tmpdir, "masterlist", NULL);
  g_autoptr(TpTrustStore) store = tp_trust_store_new (TP_TRUST_STORE_FLAGS_NONE);
  g_autoptr(GError) error = NULL;
  TpTrustSource *ml;
  gsize n_types;
  const TpTestKeyType *types = tp_test_signature_key_types (&n_types);

  /* csca-p256.cer + masterlist.ml + CRLs: the list's signer chains to
   * csca-p256, so every CSCA of the list becomes an anchor */
  g_assert_true (tp_test_pki_write_trust (fx.pki, dir, TP_TEST_TRUST_MASTER_LIST, &error));
  g_assert_no_error (error);
  g_assert_true (tp_trust_store_add_path (store, dir, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (tp_trust_store_get_n_anchors (store), ==, n_types);
  ml = find_list (store);
  g_assert_nonnull (ml);
  g_assert_true (ml->signature_ok);
  g_assert_true (ml->signer_trusted);
  g_assert_true (ml->accepted);
  g_assert_cmpuint (ml->n_anchors, ==, n_types - 1);   /* p256 was there already */
  g_assert_cmpstr (ml->signer_subject, ==,
                   "CN=Touchpoint Test Master List Signer,OU=Master List Signer,O=Touchpoint Test,C=UT");

  for (gsize i = 0; i < n_types; i++)
    {
      g_autoptr(TpTestDocument) doc = make_doc_for (types[i], TP_TEST_SIGNER_VALID);
      g_autoptr(TpPassiveAuthResult) r = tp_passive_auth_verify (doc->files, store, NULL);

      assert_valid (r, doc);
    }
}

static void
test_master_list_untrusted_signer (void)
{
  g_autoptr(TpTrustStore) store = tp_trust_store_new (TP_TRUST_STORE_FLAGS_NONE);
  g_autoptr(TpTrustStore) lax = tp_trust_store_new (TP_TRUST_STORE_ACCEPT_UNVERIFIED_MASTER_LISTS);
  g_autoptr(GError) error = NULL;
  GBytes *list = tp_test_pki_get_master_list (fx.pki, NULL, &error);
  TpTrustSource *ml;
  X509 *p256;
  gsize n_types;

  tp_test_signature_key_types (&n_types);
  g_assert_no_error (error);

  /* the list alone: its signer's CSCA is not in the store, so it waits */
  g_assert_true (tp_trust_store_add_data (store, g_bytes_get_data (list, NULL), g_bytes_get_size (list),
                                          "masterlist.ml", &error));
  g_assert_no_error (error);
  ml = find_list (store);
  g_assert_true (ml->signature_ok);
  g_assert_false (ml->signer_trusted);
  g_assert_false (ml->accepted);
  g_assert_nonnull (strstr (ml->message, "not trusted"));
  g_assert_cmpuint (tp_trust_store_get_n_anchors (store), ==, 0);
  g_assert_cmpuint (count_accepted_lists (store), ==, 0);

  /* the signer's CSCA arrives: the waiting list is accepted */
  g_assert_true (tp_test_pki_get_csca (fx.pki, TP_TEST_KEY_EC_P256, &p256, NULL, NULL));
  tp_trust_store_add_certificate (store, p256);
  g_assert_true (ml->accepted);
  g_assert_true (ml->signer_trusted);
  g_assert_null (ml->message);
  g_assert_cmpuint (tp_trust_store_get_n_anchors (store), ==, n_types);

  /* with the explicit flag, the contents are taken without a trusted signer */
  g_assert_true (tp_trust_store_add_data (lax, g_bytes_get_data (list, NULL), g_bytes_get_size (list),
                                          "masterlist.ml", &error));
  ml = find_list (lax);
  g_assert_true (ml->accepted);
  g_assert_false (ml->signer_trusted);
  g_assert_nonnull (strstr (ml->message, "without a trusted signer"));
  g_assert_cmpuint (tp_trust_store_get_n_anchors (lax), ==, n_types);
}

static void
test_master_list_bad_signature (void)
{
  g_autoptr(TpTrustStore) store = tp_trust_store_new (TP_TRUST_STORE_ACCEPT_UNVERIFIED_MASTER_LISTS);
  g_autoptr(GError) error = NULL;
  GBytes *list = tp_test_pki_get_master_list (fx.pki, NULL, NULL);
  gsize len = g_bytes_get_size (list);
  guint8 *copy = g_memdup2 (g_bytes_get_data (list, NULL), len);
  TpTrustSource *ml;

  /* a byte inside the first certificate of the list: the signed content
   * changed, so the list is refused even with the lax flag */
  copy[200] ^= 0x01;
  g_assert_true (tp_trust_store_add_data (store, copy, len, "tampered.ml", &error));
  g_assert_no_error (error);
  ml = find_list (store);
  g_assert_nonnull (ml);
  g_assert_false (ml->signature_ok);
  g_assert_false (ml->accepted);
  g_assert_cmpuint (tp_trust_store_get_n_anchors (store), ==, 0);
  g_free (copy);
}

static void
test_master_list_wrong_type (void)
{
  g_autoptr(TpTrustStore) store = tp_trust_store_new (TP_TRUST_STORE_FLAGS_NONE);
  g_autoptr(GError) error = NULL;
  g_autoptr(TpTestDocument) doc = make_doc_for (TP_TEST_KEY_EC_P256, TP_TEST_SIGNER_VALID);
  GBytes *sod = tp_lds_files_get (doc->files, TP_LDS_FID_SOD);
  const guint8 *data = g_bytes_get_data (sod, NULL);

  /* the CMS of an EF.SOD is not a master list (skip the 77 header: 4 bytes) */
  g_assert_false (tp_trust_store_add_data (store, data + 4, g_bytes_get_size (sod) - 4, "sod.ml", &error));
  g_assert_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "not a CSCA master list"));
}

/* ---- determinism -------------------------------------------------------- */

static void
test_deterministic_keys (void)
{
  g_autoptr(TpTestPki) other = tp_test_pki_new (NULL);
  g_autoptr(TpTestPki) seeded = tp_test_pki_new ("another seed");
  TpTestDocumentOptions o;
  g_autoptr(TpTestDocument) doc = NULL;
  g_autoptr(TpPassiveAuthResult) r = NULL;
  X509 *a, *b, *c;

  /* another TpTestPki with the default seed (as another process would
   * make) signs documents that the first one's trust store accepts */
  tp_test_document_options_init (&o);
  o.signer_key = TP_TEST_KEY_BRAINPOOL_P384;
  doc = tp_test_pki_make_document (other, &o, NULL);
  g_assert_nonnull (doc);
  r = tp_passive_auth_verify (doc->files, fx.store, NULL);
  assert_valid (r, doc);

  g_assert_true (tp_test_pki_get_csca (fx.pki, TP_TEST_KEY_EC_P256, &a, NULL, NULL));
  g_assert_true (tp_test_pki_get_csca (other, TP_TEST_KEY_EC_P256, &b, NULL, NULL));
  g_assert_true (tp_test_pki_get_csca (seeded, TP_TEST_KEY_EC_P256, &c, NULL, NULL));
  g_assert_cmpint (EVP_PKEY_eq (X509_get0_pubkey (a), X509_get0_pubkey (b)), ==, 1);
  g_assert_cmpint (EVP_PKEY_eq (X509_get0_pubkey (a), X509_get0_pubkey (c)), !=, 1);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *trust = NULL;
  gsize n_types;
  const TpTestKeyType *types = tp_test_signature_key_types (&n_types);
  int ret;

  g_test_init (&argc, &argv, NULL);

  fx.pki = tp_test_pki_new (NULL);
  fx.tmpdir = g_dir_make_tmp ("test-passive-auth-XXXXXX", &error);
  g_assert_no_error (error);
  trust = g_build_filename (fx.tmpdir, "trust", NULL);
  if (!tp_test_pki_write_trust (fx.pki, trust, TP_TEST_TRUST_CERTIFICATES, &error))
    g_error ("cannot write the test trust store: %s", error->message);
  fx.store = tp_trust_store_new (TP_TRUST_STORE_FLAGS_NONE);
  if (!tp_trust_store_add_path (fx.store, trust, &error))
    g_error ("cannot load the test trust store: %s", error->message);

  for (gsize i = 0; i < n_types; i++)
    {
      g_autofree char *path = g_strdup_printf ("/passive-auth/valid/%s", tp_test_key_type_to_string (types[i]));

      g_test_add_data_func (path, GINT_TO_POINTER (types[i]), test_valid_algorithm);
    }
  g_test_add_func ("/passive-auth/valid/digests", test_digests);
  g_test_add_func ("/passive-auth/valid/rsa-pss", test_rsa_pss);
  g_test_add_func ("/passive-auth/valid/lds-v1", test_lds_v1);
  g_test_add_func ("/passive-auth/hashes/tampered-dg", test_tampered_dg);
  g_test_add_func ("/passive-auth/hashes/not-read-not-in-sod", test_dg_not_read_and_not_in_sod);
  g_test_add_func ("/passive-auth/hashes/trailing-padding", test_trailing_padding);
  g_test_add_func ("/passive-auth/signature/tampered-sod", test_tampered_sod);
  g_test_add_func ("/passive-auth/signature/wrong-content-type", test_wrong_content_type);
  g_test_add_func ("/passive-auth/signature/no-sod", test_no_sod_and_garbage);
  g_test_add_func ("/passive-auth/signature/ds-not-embedded", test_ds_not_embedded);
  g_test_add_func ("/passive-auth/chain/unknown-csca", test_unknown_csca);
  g_test_add_func ("/passive-auth/chain/impostor-csca", test_impostor_csca);
  g_test_add_func ("/passive-auth/chain/empty-store", test_empty_store);
  g_test_add_func ("/passive-auth/chain/expired-ds", test_expired_ds);
  g_test_add_func ("/passive-auth/chain/validity-times", test_validity_times);
  g_test_add_func ("/passive-auth/revocation/revoked", test_revoked_ds);
  g_test_add_func ("/passive-auth/revocation/no-crl", test_no_crl);
  g_test_add_func ("/passive-auth/revocation/crl-wrong-signer", test_crl_wrong_signer);
  g_test_add_func ("/passive-auth/store/directory", test_store_directory);
  g_test_add_func ("/passive-auth/store/pem", test_store_pem);
  g_test_add_func ("/passive-auth/store/master-list", test_master_list);
  g_test_add_func ("/passive-auth/store/master-list-untrusted-signer", test_master_list_untrusted_signer);
  g_test_add_func ("/passive-auth/store/master-list-bad-signature", test_master_list_bad_signature);
  g_test_add_func ("/passive-auth/store/master-list-wrong-type", test_master_list_wrong_type);
  g_test_add_func ("/passive-auth/pki/deterministic", test_deterministic_keys);

  ret = g_test_run ();

  tp_trust_store_free (fx.store);
  tp_test_pki_free (fx.pki);
  rm_rf (fx.tmpdir);
  g_free (fx.tmpdir);
  return ret;
}
