/* tp-test-pki.h: a test PKI and test eMRTD documents
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * FOR TESTS AND DEMOS ONLY. Every key is derived from a seed string, so
 * the same seed gives the same keys in every process (an emulated reader
 * and the CLI agree on trust anchors without sharing files); the secret is
 * the seed, which is public. Certificates use fixed names, serial numbers
 * and dates, so they too chain across processes (ECDSA signatures differ
 * in bytes, not in validity).
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
 * holding every CSCA above (not the unknown or impostor ones).
 *
 * RSA keys cost about 0.1 s (2048) and 0.5 s (3072) to derive; a TpTestPki
 * derives each key once, when first needed.
 *
 * Documents: tp_test_pki_make_document() builds a consistent set of files
 * (by FID, see tp-lds.h) from TpTestDocumentOptions, signed by the chosen
 * Document Signer, with the private keys the chip needs.
 */
#pragma once

#include <glib.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "tp-face.h"
#include "tp-lds.h"
#include "tp-pace.h"
#include "tp-sm.h"

G_BEGIN_DECLS

typedef enum {
  TP_TEST_KEY_NONE,
  TP_TEST_KEY_RSA_2048,
  TP_TEST_KEY_RSA_3072,
  TP_TEST_KEY_EC_P256,
  TP_TEST_KEY_EC_P384,
  TP_TEST_KEY_EC_P521,
  TP_TEST_KEY_BRAINPOOL_P256,
  TP_TEST_KEY_BRAINPOOL_P384,
  TP_TEST_KEY_DH_2048,       /* X9.42 DH, RFC 5114 2048/224: chip authentication only */
  TP_TEST_N_KEY_TYPES,
} TpTestKeyType;

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

/* "rsa2048", "rsa3072", "p256", "p384", "p521", "bp256", "bp384",
 * "dh2048", "none" */
const char    *tp_test_key_type_to_string   (TpTestKeyType     type);
/* TP_TEST_KEY_NONE (and FALSE) for an unknown name */
gboolean       tp_test_key_type_from_string (const char       *name,
                                             TpTestKeyType    *type);
/* The key types a CSCA and a Document Signer can have (all but DH). */
const TpTestKeyType *tp_test_signature_key_types (gsize       *n_types);
/* "valid", "expired", "revoked", "unknown-csca", "impostor-csca" */
const char    *tp_test_signer_kind_to_string (TpTestSignerKind kind);

/* The key pair of type derived from seed and label (a new reference). */
EVP_PKEY      *tp_test_key_derive           (TpTestKeyType     type,
                                             const char       *seed,
                                             const char       *label,
                                             GError          **error);

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

/* ---- documents ---------------------------------------------------------- */

/**
 * TpTestDocumentOptions:
 * @signer_key: CSCA and Document Signer algorithm (default p256)
 * @signer: which Document Signer signs EF.SOD (default valid)
 * @rsa_pss: RSA signers sign EF.SOD with RSASSA-PSS (default PKCS #1 v1.5)
 * @digest: LDSSecurityObject and signature digest: "SHA1", "SHA224",
 *   "SHA256" (default), "SHA384", "SHA512"
 * @mrz: the printed MRZ, lines separated by '\n' (NULL: the default TD3
 *   of Nguyễn Văn An, document C1234567)
 * @face_format: DG2 image: JP2 (default), J2K or JPEG; UNKNOWN: no DG2
 * @face_bytes: DG2 image size to aim at (default 20000)
 * @dg11: include DG11 (default TRUE)
 * @dg12: include DG12 (default TRUE)
 * @chip_auth_key: DG14 chip authentication key (default p256; dh2048,
 *   bp256... NONE: no chip authentication)
 * @chip_auth_cipher: its secure messaging cipher (default AES-128)
 * @chip_auth_explicit_parameters: encode an EC key's domain parameters
 *   explicitly in DG14 (as some states do) rather than by curve name
 * @active_auth_key: DG15 key (default rsa2048; p256...; NONE: no DG15)
 * @pace_parameter_id: EF.CardAccess PACEInfo parameterId (default 13,
 *   brainpoolP256r1); -1: no EF.CardAccess (BAC only). The PACEInfo is
 *   also in DG14.
 * @pace_mapping: default GM
 * @pace_cipher: default AES-128
 * @lds_version: NULL (default) for LDS 1.7 and a version 0 SOD; "0108"
 *   for a version 1 SOD with LDSVersionInfo
 * @omit_ds_certificate: EF.SOD without the DS certificate
 * @content_type: tests: another eContentType for EF.SOD (NULL: correct)
 * @seed_label: distinguishes the chip keys (CA, AA) of documents of the
 *   same PKI (default "document")
 */
typedef struct {
  TpTestKeyType     signer_key;
  TpTestSignerKind  signer;
  gboolean          rsa_pss;
  const char       *digest;
  const char       *mrz;
  TpFaceFormat      face_format;
  gsize             face_bytes;
  gboolean          dg11;
  gboolean          dg12;
  TpTestKeyType     chip_auth_key;
  TpSmCipher        chip_auth_cipher;
  gboolean          chip_auth_explicit_parameters;
  TpTestKeyType     active_auth_key;
  gint              pace_parameter_id;
  TpPaceMapping     pace_mapping;
  TpSmCipher        pace_cipher;
  const char       *lds_version;
  gboolean          omit_ds_certificate;
  const char       *content_type;
  const char       *seed_label;
} TpTestDocumentOptions;

/**
 * TpTestDocument:
 * @files: EF.COM, EF.SOD, DG1, DG2, DG11, DG12, DG14, DG15 and
 *   EF.CardAccess (those the options ask for), by FID
 * @mrz: the printed MRZ, lines separated by '\n'
 * @can: the card access number ("123456")
 * @chip_auth_key: the DG14 key pair, or NULL
 * @active_auth_key: the DG15 key pair, or NULL
 * @document_signer: the certificate that signed EF.SOD
 * @csca: the CSCA that issued it
 * @face_width: DG2 image width (0 without DG2)
 * @face_height: DG2 image height
 */
typedef struct {
  TpLdsFiles  *files;
  char        *mrz;
  char        *can;
  EVP_PKEY    *chip_auth_key;
  EVP_PKEY    *active_auth_key;
  X509        *document_signer;
  X509        *csca;
  guint        face_width;
  guint        face_height;
} TpTestDocument;

void            tp_test_document_options_init (TpTestDocumentOptions       *options);
TpTestDocument *tp_test_pki_make_document     (TpTestPki                   *pki,
                                               const TpTestDocumentOptions *options,
                                               GError                     **error);
void            tp_test_document_free         (TpTestDocument              *document);
/* Re-signs EF.SOD over the document's current data groups (after a test
 * replaced one) with the signer of options. */
gboolean        tp_test_document_resign       (TpTestDocument              *document,
                                               TpTestPki                   *pki,
                                               const TpTestDocumentOptions *options,
                                               GError                     **error);

/* ---- building blocks ---------------------------------------------------- */

/* A TD3 MRZ (two lines of 44, '\n' between) with its check digits.
 * Names in MRZ characters with spaces for '<' ("NGUYEN", "VAN AN");
 * dates YYMMDD; personal_number may be NULL. */
char       *tp_test_mrz_td3         (const char      *issuing_state,
                                     const char      *primary,
                                     const char      *secondary,
                                     const char      *document_number,
                                     const char      *nationality,
                                     const char      *birth_date,
                                     char             sex,
                                     const char      *expiry_date,
                                     const char      *personal_number);

/* EF.COM: lds_version "0107", unicode_version "040000", data group
 * numbers dgs. */
GBytes     *tp_test_build_com       (const char      *lds_version,
                                     const char      *unicode_version,
                                     const guint     *dgs,
                                     gsize            n_dgs);
/* DG1 from a printed MRZ (line breaks dropped). */
GBytes     *tp_test_build_dg1       (const char      *mrz);
/* DG2: one biometric information template with an ISO/IEC 19794-5:2005
 * facial record around image (format JPEG or JPEG 2000 in its header). */
GBytes     *tp_test_build_dg2       (GBytes          *image,
                                     TpFaceFormat     format,
                                     guint            width,
                                     guint            height);
/* DG11 / DG12 from the fields set in the struct (NULL fields left out). */
GBytes     *tp_test_build_dg11      (const TpLdsDg11 *fields);
GBytes     *tp_test_build_dg12      (const TpLdsDg12 *fields);
/* DG15: the public half of key as SubjectPublicKeyInfo. */
GBytes     *tp_test_build_dg15      (EVP_PKEY        *key,
                                     GError         **error);
/* A synthetic face (head, eyes, mouth, shoulders on a gradient), encoded
 * as format (JP2, J2K or a baseline JPEG) of about target_bytes. */
GBytes     *tp_test_face_image      (TpFaceFormat     format,
                                     guint            width,
                                     guint            height,
                                     gsize            target_bytes,
                                     GError         **error);
/* The same face as RGB pixels (width × height × 3). */
guint8     *tp_test_face_pixels     (guint            width,
                                     guint            height);
/* A baseline JPEG of RGB pixels; quality 1–100. */
GBytes     *tp_test_encode_jpeg     (const guint8    *rgb,
                                     guint            width,
                                     guint            height,
                                     guint            quality);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpTestPki, tp_test_pki_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpTestDocument, tp_test_document_free)

G_END_DECLS
