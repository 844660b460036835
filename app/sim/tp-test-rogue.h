/* tp-test-rogue.h: credentials a forger, or a careless issuer, would use
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * FOR TESTS ONLY. Beside the test PKI (tp-test-pki.h), certificates that
 * chain to its CSCAs or stand next to them but must not be trusted for what
 * they are used for, and the trust files a border agency receives (ICAO PKD
 * LDIF, master lists, CRLs) built from both:
 *
 *   signers of EF.SOD       the CSCA RSA-2048 itself; certificates the CSCA
 *                           P-256 issued: one with keyUsage keyCertSign
 *                           only, a TLS server certificate, a master-list
 *                           signer;
 *                           Document Signers with a 1024-bit RSA key and a
 *                           192-bit EC key; the Document Signer of another
 *                           state's CSCA ("Touchpoint Test CSCA Germany",
 *                           C=DE, in the trust export: tp_test_rogue_write_trust());
 *                           a Document Signer of a rogue CSCA that is in no
 *                           trust store
 *   master lists            signed by a Document Signer (no master-list
 *                           signer extended key usage) and carrying the
 *                           rogue CSCA; signed by a proper master-list
 *                           signer and carrying only certificates that are
 *                           not CSCAs (the rogue CSCA's Document Signer, a
 *                           CA without keyCertSign)
 *   CRLs of CSCA P-256      past its nextUpdate; dated in the future
 *
 * Keys that another process must agree on (the German CSCA and its Document
 * Signer, the rogue CSCA) derive from a fixed public seed; the weak keys are
 * random (their certificates travel inside EF.SOD).
 */
#pragma once

#include <glib.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "tp-test-document.h"

G_BEGIN_DECLS

typedef enum {
  TP_TEST_ROGUE_SIGNER_NONE,
  TP_TEST_ROGUE_SIGNER_CSCA,            /* the CSCA RSA-2048 signs EF.SOD itself */
  TP_TEST_ROGUE_SIGNER_CERT_SIGN_ONLY,  /* end entity, keyUsage keyCertSign only */
  TP_TEST_ROGUE_SIGNER_TLS,             /* TLS server certificate (EKU serverAuth) */
  TP_TEST_ROGUE_SIGNER_MASTER_LIST,     /* a master-list signer */
  TP_TEST_ROGUE_SIGNER_WEAK_RSA,        /* RSA-1024 Document Signer */
  TP_TEST_ROGUE_SIGNER_WEAK_EC,         /* P-192 Document Signer */
  TP_TEST_ROGUE_SIGNER_GERMANY,         /* Document Signer of CSCA Germany (C=DE) */
  TP_TEST_ROGUE_SIGNER_ROGUE_CSCA,      /* Document Signer of the rogue CSCA */
  TP_TEST_ROGUE_N_SIGNERS,
} TpTestRogueSigner;

typedef enum {
  TP_TEST_ROGUE_LIST_BY_DOCUMENT_SIGNER, /* signed by DS P-256, carries the rogue CSCA */
  TP_TEST_ROGUE_LIST_WITH_NON_CA,        /* proper signer; the rogue DS, a CA without keyCertSign */
} TpTestRogueList;

typedef enum {
  TP_TEST_ROGUE_CRL_STALE,    /* CSCA P-256: thisUpdate 2024-01-01, nextUpdate 2024-07-01 */
  TP_TEST_ROGUE_CRL_FUTURE,   /* CSCA P-256: thisUpdate 2099-01-01 */
} TpTestRogueCrl;

/* "csca", "cert-sign-only", "tls", "master-list-signer", "weak-rsa",
 * "weak-ec", "germany", "rogue-csca" */
const char *tp_test_rogue_signer_to_string   (TpTestRogueSigner  kind);
/* FALSE for an unknown name */
gboolean    tp_test_rogue_signer_from_string (const char        *name,
                                              TpTestRogueSigner *kind);

/* The signer certificate and key of @kind and the certificate that issued
 * it (itself for the CSCA), owned by this module for the process. */
gboolean    tp_test_rogue_get_signer         (TpTestRogueSigner  kind,
                                              X509             **cert,
                                              EVP_PKEY         **key,
                                              X509             **issuer,
                                              GError           **error);

/* CSCA Germany (C=DE, P-256), the rogue CSCA, and a CA certificate
 * without keyCertSign that CSCA P-256 issued; owned by this module. */
X509       *tp_test_rogue_get_germany_csca   (GError           **error);
X509       *tp_test_rogue_get_rogue_csca     (GError           **error);
X509       *tp_test_rogue_get_ca_without_cert_sign (GError     **error);

/* Signs @document's EF.SOD again over its data groups, with @kind's key
 * and @digest ("SHA1", "SHA256"...), and sets its document_signer and
 * csca. */
gboolean    tp_test_rogue_sign_document      (TpTestDocument    *document,
                                              TpTestRogueSigner  kind,
                                              const char        *digest,
                                              GError           **error);

/* The printed MRZ of a German test passport (issuing state D). */
char       *tp_test_rogue_german_mrz         (void);

/* A master list (CMS, DER), built once per process. */
GBytes     *tp_test_rogue_get_master_list    (TpTestRogueList    kind,
                                              GError           **error);
/* A CRL of CSCA P-256 (new reference). */
X509_CRL   *tp_test_rogue_make_crl           (TpTestRogueCrl     kind,
                                              GError           **error);

/* CSCA Germany into @dir (csca-de.cer), beside the test PKI's trust files:
 * what `sim export-trust` writes. */
gboolean    tp_test_rogue_write_trust        (const char        *dir,
                                              GError           **error);

/* Trust material as distributed, for the trust import tests, into @dir:
 *   pkd-ml.ldif           ICAO PKD LDIF with the test PKI's master list
 *   pkd-dsccrl.ldif       ICAO PKD LDIF with Document Signers and the CRLs
 *                         of the test PKI, and the rogue CSCA as a
 *                         userCertificate (a CA: never an anchor from LDIF)
 *   masterlist.ml         the test PKI's master list
 *   ml-by-ds.ml           TP_TEST_ROGUE_LIST_BY_DOCUMENT_SIGNER
 *   ml-with-non-ca.ml     TP_TEST_ROGUE_LIST_WITH_NON_CA
 *   csca-p256.pem         the list signer's CSCA (PEM)
 *   csca-de.cer           CSCA Germany (DER)
 *   csca-p256-stale.crl   TP_TEST_ROGUE_CRL_STALE
 *   csca-p256-future.crl  TP_TEST_ROGUE_CRL_FUTURE */
gboolean    tp_test_rogue_write_cases        (const char        *dir,
                                              GError           **error);

/* One LDIF entry (RFC 2849) for @dn with objectClass @object_class and
 * binary @attribute (base64, lines folded at 76): appended to @out. */
void        tp_test_ldif_append_entry        (GString           *out,
                                              const char        *dn,
                                              const char        *object_class,
                                              const char        *attribute,
                                              GBytes            *value);

G_END_DECLS
