/* tp-test-pki.h: a test PKI: CSCAs, Document Signers, CRLs, a master list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * FOR TESTS AND DEMOS ONLY. Keys come from tp-test-keys.h (a seed); the
 * certificates use fixed names, serial numbers and dates, so they too
 * chain across processes (ECDSA signatures differ in bytes, not in
 * validity).
 *
 * The PKI, per signature algorithm ALG (rsa2048, rsa3072, p256, p384,
 * p521, bp256, bp384):
 *   CSCA ALG            "CN=Touchpoint Test CSCA ALG", self-signed,
 *                       2020-01-01 to 2045-01-01
 *   DS ALG              issued by it, 2024-01-01 to 2040-01-01
 *   DS ALG expired      2015-01-01 to 2020-01-01
 *   DS ALG revoked      valid dates, listed on the CSCA's CRL
 *   CRL ALG             thisUpdate 2025-01-01, nextUpdate 2045-01-01
 *   unknown CSCA ALG    another name and key, in no trust store, and a DS
 *   impostor CSCA ALG   the real CSCA's name with another key, and a DS
 * and one master-list signer (issued by CSCA p256) with a master list
 * holding every CSCA above (not the unknown or impostor ones). A TpTestPki
 * derives each key once, when first needed. Documents signed by it:
 * tp-test-document.h.
 */
#pragma once

#include <glib.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "tp-test-keys.h"

G_BEGIN_DECLS

typedef enum {
  TP_TEST_SIGNER_VALID,
  TP_TEST_SIGNER_EXPIRED,
  TP_TEST_SIGNER_REVOKED,
  TP_TEST_SIGNER_UNKNOWN_CSCA,
  TP_TEST_SIGNER_IMPOSTOR_CSCA,
} TpTestSignerKind;

typedef enum {
  TP_TEST_TRUST_CERTIFICATES,  /* csca-ALG.cer and csca-ALG.crl for every ALG */
  TP_TEST_TRUST_MASTER_LIST,   /* csca-p256.cer (the list signer's CSCA),
                                  masterlist.ml and the CRLs */
} TpTestTrustLayout;

/* "valid", "expired", "revoked", "unknown-csca", "impostor-csca" */
const char    *tp_test_signer_kind_to_string (TpTestSignerKind kind);

typedef struct _TpTestPki TpTestPki;

/* seed: NULL for the project's default test PKI. */
TpTestPki     *tp_test_pki_new              (const char       *seed);
void           tp_test_pki_free             (TpTestPki        *pki);
/* The default-seed PKI of this process, created on first use and kept
 * (thread-safe). Do not free. */
TpTestPki     *tp_test_pki_get_default      (void);

/* References owned by pki (valid while it lives); alg: a signature key
 * type. */
gboolean       tp_test_pki_get_csca         (TpTestPki        *pki,
                                             TpTestKeyType     alg,
                                             X509            **cert,
                                             EVP_PKEY        **key,
                                             GError          **error);
gboolean       tp_test_pki_get_signer       (TpTestPki        *pki,
                                             TpTestKeyType     alg,
                                             TpTestSignerKind  kind,
                                             X509            **cert,
                                             EVP_PKEY        **key,
                                             GError          **error);
/* The CRL of CSCA alg (listing DS alg revoked), owned by pki. */
X509_CRL      *tp_test_pki_get_crl          (TpTestPki        *pki,
                                             TpTestKeyType     alg,
                                             GError          **error);
/* The master list file (CMS, DER) and its signer, owned by pki. */
GBytes        *tp_test_pki_get_master_list  (TpTestPki        *pki,
                                             X509            **signer,
                                             GError          **error);

/* Writes trust files that tp_trust_store_add_path() takes into dir
 * (created if needed). */
gboolean       tp_test_pki_write_trust      (TpTestPki        *pki,
                                             const char       *dir,
                                             TpTestTrustLayout layout,
                                             GError          **error);
/* Everything, for tools/tp-mkpki: dir/trust (certificates layout),
 * dir/masterlist (master-list layout), dir/unknown (the unknown and
 * impostor CSCAs), dir/certs (Document Signers, DER), dir/private (keys,
 * PEM PKCS#8), dir/README. */
gboolean       tp_test_pki_write_all        (TpTestPki        *pki,
                                             const char       *dir,
                                             GError          **error);

/* The key pair of @type for @label in this PKI (a document's chip keys),
 * derived once (a new reference). */
EVP_PKEY      *tp_test_pki_get_key          (TpTestPki        *pki,
                                             TpTestKeyType     type,
                                             const char       *label,
                                             GError          **error);
/* The CSCA that issued the Document Signer of @kind (the unknown or the
 * impostor CSCA for those kinds), owned by pki. */
X509          *tp_test_pki_get_issuer       (TpTestPki        *pki,
                                             TpTestKeyType     alg,
                                             TpTestSignerKind  kind,
                                             GError          **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpTestPki, tp_test_pki_free)

G_END_DECLS
