/* tp-sod.h: EF.SOD, the Document Security Object (ICAO 9303 Part 10 and 11)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * EF.SOD is tag 77 around a CMS ContentInfo (RFC 5652) of type SignedData
 * whose encapsulated content, of type id-icao-mrtd-security-
 * ldsSecurityObject (2.23.136.1.1.1), is
 *
 *   LDSSecurityObject ::= SEQUENCE {
 *     version                LDSSecurityObjectVersion,   -- v0(0), v1(1)
 *     hashAlgorithm          DigestAlgorithmIdentifier,
 *     dataGroupHashValues    SEQUENCE SIZE (2..16) OF DataGroupHash,
 *     ldsVersionInfo         LDSVersionInfo OPTIONAL }   -- present iff v1
 *   DataGroupHash ::= SEQUENCE {
 *     dataGroupNumber        INTEGER (1..16),
 *     dataGroupHashValue     OCTET STRING }
 *   LDSVersionInfo ::= SEQUENCE {
 *     ldsVersion             PrintableString,            -- "0108"
 *     unicodeVersion         PrintableString }           -- "040000"
 *
 * The SignerInfo normally carries signed attributes (content-type,
 * message-digest, optionally signing-time); the Document Signer
 * certificate should be embedded in the certificates field.
 *
 * Parsing checks the structure only; the signature is checked by
 * tp_sod_verify_signature() (and by passive authentication, which also
 * checks the hashes and the chain: see tp-passive-auth.h).
 */
#pragma once

#include <glib.h>
#include <openssl/cms.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

G_BEGIN_DECLS

#define TP_SOD_TAG 0x77
#define TP_OID_LDS_SECURITY_OBJECT "2.23.136.1.1.1"
#define TP_OID_CSCA_MASTER_LIST    "2.23.136.1.1.2"
/* id-icao-mrtd-security-cscaMasterListSigningKey: the extended key usage
 * of a master-list signer */
#define TP_OID_MASTER_LIST_SIGNER  "2.23.136.1.1.3"

/**
 * TpSodHash:
 * @dg: data group number, 1–16
 * @value: the hash value as the SOD holds it
 */
typedef struct {
  guint   dg;
  GBytes *value;
} TpSodHash;

/**
 * TpSod:
 * @version: LDSSecurityObject version, 0 or 1
 * @digest_oid: hashAlgorithm, dotted ("2.16.840.1.101.3.4.2.1")
 * @digest_name: "SHA-1", "SHA-224", "SHA-256", "SHA-384", "SHA-512" or
 *   NULL when the algorithm is not one of them (passive authentication
 *   then fails every hash with a reason)
 * @hashes: #TpSodHash by increasing data group number (no duplicates)
 * @lds_version: v1 only: "0108" as stored, else NULL
 * @unicode_version: v1 only: "040000" as stored, else NULL
 * @signature_algorithm: the SignerInfo's signatureAlgorithm, by name when
 *   OpenSSL knows it ("ecdsa-with-SHA256", "RSASSA-PSS", "rsaEncryption")
 * @signer_digest: the SignerInfo's digestAlgorithm name ("SHA256")
 * @certificates: the certificates embedded in the SignedData (X509 *)
 * @document_signer: the embedded certificate the SignerInfo names
 *   (issuer and serial, or subject key identifier), or NULL when the
 *   SOD does not embed it
 * @cms: the parsed ContentInfo (for callers that need more)
 */
typedef struct {
  int              version;
  char            *digest_oid;
  const char      *digest_name;
  GArray          *hashes;
  char            *lds_version;
  char            *unicode_version;
  char            *signature_algorithm;
  char            *signer_digest;
  GPtrArray       *certificates;
  X509            *document_signer;
  CMS_ContentInfo *cms;
} TpSod;

/* Parses EF.SOD as read (tag 77...). Errors: TP_ERROR_TRUNCATED,
 * TP_ERROR_INVALID_INPUT (not tag 77, not CMS SignedData, another content
 * type, a malformed LDSSecurityObject, not exactly one SignerInfo),
 * TP_ERROR_UNSUPPORTED (an LDSSecurityObject version other than 0 or 1). */
TpSod           *tp_sod_parse              (const guint8     *data,
                                            gsize             len,
                                            GError          **error);
void             tp_sod_free               (TpSod            *sod);

/* The hash the SOD holds for data group dg, or NULL. */
const TpSodHash *tp_sod_find_hash          (const TpSod      *sod,
                                            guint             dg);

/* The digest named by the SOD's hashAlgorithm, or NULL when unsupported.
 * Free with EVP_MD_free(). */
EVP_MD          *tp_sod_fetch_digest       (const TpSod      *sod);

/* Checks the SignerInfo's signature with signer (NULL: the embedded
 * Document Signer), the content-type and message-digest signed
 * attributes against the encapsulated content. TP_ERROR_FAILED with the
 * reason when it does not verify. No certificate chain is checked here. */
gboolean         tp_sod_verify_signature   (const TpSod      *sod,
                                            X509             *signer,
                                            GError          **error);

/* The same check for any CMS SignedData with one SignerInfo (master lists
 * use it): the signer is looked up among the embedded certificates and
 * extra_certs (may be NULL). On success *signer_out (optional) is the
 * certificate used, a reference owned by cms or extra_certs. */
gboolean         tp_cms_verify_signed_data (CMS_ContentInfo  *cms,
                                            STACK_OF(X509)   *extra_certs,
                                            X509            **signer_out,
                                            GError          **error);

/* The encapsulated content of SignedData cms as a copy, checking that
 * its type is expected_oid (dotted). */
GBytes          *tp_cms_get_content        (CMS_ContentInfo  *cms,
                                            const char       *expected_oid,
                                            GError          **error);

/**
 * TpSodBuildFlags:
 * @TP_SOD_BUILD_NO_CERTIFICATE: do not embed the Document Signer certificate
 * @TP_SOD_BUILD_RSA_PSS: sign with RSASSA-PSS (RSA keys only; salt length
 *   = digest length, MGF1 with the same digest)
 * @TP_SOD_BUILD_SUBJECT_KEY_ID: name the signer by subject key identifier
 *   instead of issuer and serial number
 */
typedef enum {
  TP_SOD_BUILD_NONE            = 0,
  TP_SOD_BUILD_NO_CERTIFICATE  = 1 << 0,
  TP_SOD_BUILD_RSA_PSS         = 1 << 1,
  TP_SOD_BUILD_SUBJECT_KEY_ID  = 1 << 2,
} TpSodBuildFlags;

/* Builds EF.SOD (tag 77) over the data groups: dgs[n] is the whole file of
 * DG n (tag included) or NULL, for n = 1..16 (dgs[0] is ignored).
 * digest: "SHA1", "SHA224", "SHA256", "SHA384", "SHA512"; used for the
 * LDSSecurityObject and for the signature. lds_version: NULL for a v0
 * object, or "0108" for v1 with unicode_version (NULL: "040000").
 * content_type: NULL for ldsSecurityObject; tests pass another OID.
 * signing_time: the signing-time signed attribute (NULL: now). */
GBytes          *tp_sod_build              (GBytes * const   *dgs,
                                            const char       *digest,
                                            X509             *signer,
                                            EVP_PKEY         *signer_key,
                                            const char       *lds_version,
                                            const char       *unicode_version,
                                            const char       *content_type,
                                            GDateTime        *signing_time,
                                            TpSodBuildFlags   flags,
                                            GError          **error);

/* CMS SignedData (DER ContentInfo) of content with eContentType
 * content_type, signed by signer/key with digest, with signed attributes
 * content-type, signing-time (signing_time, NULL: now) and
 * message-digest; the signer certificate and extra_certs (may be NULL)
 * embedded. Master lists. */
GBytes          *tp_cms_sign               (GBytes           *content,
                                            const char       *content_type,
                                            X509             *signer,
                                            EVP_PKEY         *key,
                                            const char       *digest,
                                            STACK_OF(X509)   *extra_certs,
                                            GDateTime        *signing_time,
                                            TpSodBuildFlags   flags,
                                            GError          **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpSod, tp_sod_free)

G_END_DECLS
