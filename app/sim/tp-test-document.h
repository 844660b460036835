/* tp-test-document.h: test eMRTD documents, signed by the test PKI
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * FOR TESTS AND DEMOS ONLY. tp_test_pki_make_document() builds a
 * consistent set of files (by FID, see tp-lds.h) from
 * TpTestDocumentOptions, signed by the chosen Document Signer, with the
 * private keys the chip needs; the building blocks (MRZ, EF.COM, DG1,
 * DG2, DG11, DG12) are here for tests that make their own. DG15 is
 * tp_active_auth_encode_dg15().
 */
#pragma once

#include <glib.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "tp-face.h"
#include "tp-lds.h"
#include "tp-pace.h"
#include "tp-sm.h"
#include "tp-test-face.h"
#include "tp-test-pki.h"

G_BEGIN_DECLS

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

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpTestDocument, tp_test_document_free)

G_END_DECLS
