/* tp-trust-store.h: CSCA trust store for passive authentication
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A trust store holds the Country Signing CA (CSCA) certificates that are
 * trust anchors, the certificate revocation lists (CRLs) they issue, and
 * other certificates (Document Signers, master-list signers) used only to
 * build chains, never as anchors. It is filled from:
 *
 *  - certificate files, DER or PEM (one or several certificates). A CSCA
 *    certificate (basicConstraints cA TRUE and keyUsage keyCertSign, as
 *    ICAO 9303-12 profiles it) becomes an anchor; any other certificate
 *    joins the untrusted pool;
 *  - CRL files, DER or PEM;
 *  - ICAO master lists (ICAO 9303 Part 12, "CSCA Master List"): CMS
 *    SignedData (RFC 5652) with eContentType id-icao-cscaMasterList
 *    (2.23.136.1.1.2) whose content is
 *      CscaMasterList ::= SEQUENCE { version INTEGER (v0), certList SET OF Certificate }
 *  - ICAO PKD LDIF downloads (tp-ldif.h): master lists
 *    (pkdMasterListContent, each taken as above), Document Signer
 *    certificates (userCertificate, cACertificate) into the pool, and CRLs
 *    (certificateRevocationList). An LDIF file is not signed: a CSCA
 *    certificate in one is left out (counted in n_ignored), never an anchor;
 *  - directories of such files (file type from the content, not the name;
 *    subdirectories are read too, to a depth of 4).
 *
 * Master-list rule. A master list is only as trustworthy as its signer, and
 * the signer is a certificate issued by some state's CSCA. Its contents are
 * accepted when
 *   1. the CMS signature verifies with the signer certificate,
 *   2. the signer is a master-list signer: extended key usage
 *      2.23.136.1.1.3 (cscaMasterListSigningKey), key usage
 *      digitalSignature, not a CA (any other certificate, a Document Signer
 *      for instance, may not speak for a state's CSCAs), and
 *   3. the signer certificate was issued by a CSCA that is *already* an
 *      anchor of this store (loaded from a certificate file or from a
 *      master list accepted earlier), directly, within its validity (see
 *      below), and no CRL of the store revokes it;
 * or, for condition 3 only, when the store was created with
 * TP_TRUST_STORE_ACCEPT_UNVERIFIED_MASTER_LISTS (an operator who obtained
 * the file over a channel they trust). A list failing 1 or 2 is never
 * accepted. Of an accepted list, only the CSCA certificates become anchors;
 * anything else it carries is left out and counted (n_ignored). A list that
 * waits for its signer's CSCA is kept and accepted as soon as that CSCA
 * arrives (the order of files does not matter). Each file's outcome is in
 * tp_trust_store_get_sources().
 *
 * Validity rule (also for passive authentication). Chains are verified at
 * the time of the check. The *leaf* (Document Signer, master-list signer)
 * may be expired: ICAO 9303 Part 12 gives a Document Signer a private key
 * usage period of about three months and a certificate validity of that
 * period plus the longest validity of the documents it signs, so an
 * expired DS means a document at the end of its life or an issuer's
 * mistake, not a forgery; the signature it made stays good. Such a chain is
 * reported valid with leaf_expired set, and passive authentication
 * reports "ds_expired" as a warning. A leaf that is not yet valid, and any
 * CA certificate of the chain outside its validity, fail the chain.
 *
 * Revocation: after a chain is built, the CRLs whose issuer is the leaf's
 * issuer, whose signature verifies with that issuer's key and whose
 * thisUpdate is not after the time of the check are consulted (the newest
 * by thisUpdate). The leaf listed: "revoked" (on a CRL past its nextUpdate
 * too: a revocation stays a revocation). Not listed on a current CRL:
 * "good". No usable CRL, or only one past its nextUpdate: "unknown", and
 * the reason says which. "not_checked" when there was no chain to check.
 */
#pragma once

#include <glib.h>
#include <openssl/x509.h>

G_BEGIN_DECLS

typedef enum {
  TP_TRUST_STORE_FLAGS_NONE                     = 0,
  TP_TRUST_STORE_ACCEPT_UNVERIFIED_MASTER_LISTS = 1 << 0,
} TpTrustStoreFlags;

typedef enum {
  TP_TRUST_SOURCE_CERTIFICATES,
  TP_TRUST_SOURCE_CRL,
  TP_TRUST_SOURCE_MASTER_LIST,
  TP_TRUST_SOURCE_LDIF,          /* its certificates and CRLs; its master lists are sources of their own */
} TpTrustSourceKind;

/**
 * TpTrustSource:
 * @name: the file path, or the name given to tp_trust_store_add_data()
 * @kind: what the file held
 * @n_anchors: CSCA certificates this source added (duplicates not counted)
 * @n_other: non-CA certificates added to the untrusted pool
 * @n_crls: CRLs added
 * @n_ignored: certificates left out: master lists, those that are not CSCA
 *   certificates; LDIF files, CSCA certificates (and anything unreadable)
 * @signature_ok: master lists: the CMS signature verifies
 * @signer_trusted: master lists: the signer chains to an anchor
 * @accepted: the contents are in the store (always TRUE for
 *   certificate and CRL files; master lists per the rule above)
 * @signer_subject: master lists: the signer's subject (RFC 2253), or NULL
 * @message: master lists: why the list is not (yet) accepted, or what was
 *   left out; LDIF files: what was left out; or NULL
 */
typedef struct {
  char              *name;
  TpTrustSourceKind  kind;
  guint              n_anchors;
  guint              n_other;
  guint              n_crls;
  guint              n_ignored;
  gboolean           signature_ok;
  gboolean           signer_trusted;
  gboolean           accepted;
  char              *signer_subject;
  char              *message;
} TpTrustSource;

typedef enum {
  TP_CHAIN_OK,
  TP_CHAIN_NO_CERTIFICATE,   /* no certificate to verify */
  TP_CHAIN_UNKNOWN_CSCA,     /* no anchor issued it (or the store is empty) */
  TP_CHAIN_BAD_SIGNATURE,    /* a certificate's signature does not verify */
  TP_CHAIN_EXPIRED,          /* a CA certificate of the chain expired */
  TP_CHAIN_NOT_YET_VALID,    /* a certificate of the chain is not valid yet */
  TP_CHAIN_INVALID,          /* any other verification failure */
} TpChainStatus;

typedef enum {
  TP_REVOCATION_NOT_CHECKED,   /* no chain to check */
  TP_REVOCATION_GOOD,
  TP_REVOCATION_REVOKED,
  TP_REVOCATION_UNKNOWN,       /* no current CRL that verifies */
} TpRevocationStatus;

/**
 * TpTrustChain:
 * @status: TP_CHAIN_OK when the leaf chains to an anchor
 * @reason: for a person; NULL when @status is TP_CHAIN_OK
 * @length: certificates in the chain built, leaf and anchor included (2:
 *   the anchor issued the leaf itself; 1: the leaf is an anchor)
 * @leaf_expired: the leaf's notAfter is before the check time (tolerated
 *   here; passive authentication decides)
 * @anchor: the CSCA the chain ends at (a reference), or NULL
 * @issuer: the leaf's issuer in the built chain (a reference), or NULL
 * @revocation: see the revocation rule
 * @revocation_reason: which CRL said what, or why none was consulted
 * @crl_stale: the CRL consulted is past its nextUpdate
 */
typedef struct {
  TpChainStatus       status;
  char               *reason;
  guint               length;
  gboolean            leaf_expired;
  X509               *anchor;
  X509               *issuer;
  TpRevocationStatus  revocation;
  char               *revocation_reason;
  gboolean            crl_stale;
} TpTrustChain;

typedef struct _TpTrustStore TpTrustStore;

typedef enum {
  TP_TRUST_ITEM_CERTIFICATE,
  TP_TRUST_ITEM_CRL,
  TP_TRUST_ITEM_MASTER_LIST,
} TpTrustItemKind;

/**
 * TpTrustItem:
 * @kind: what @der holds
 * @der: one certificate, CRL or master list (CMS ContentInfo), DER
 * @label: the file name, with the LDIF record's dn in parentheses
 * @from_ldif: it came from an LDIF file (a CSCA certificate then gives no
 *   anchor)
 *
 * One piece of trust material of a file, as tp_trust_store_add_data()
 * takes it apart (the terminal's trust store keeps each as a file).
 */
typedef struct {
  TpTrustItemKind  kind;
  GBytes          *der;
  char            *label;
  gboolean         from_ldif;
} TpTrustItem;

/* The items of one file (PEM, DER or LDIF; see above), or NULL with
 * TP_ERROR_INVALID_INPUT when it holds none. name: for messages. */
GPtrArray          *tp_trust_items_from_data        (const guint8       *data,
                                                     gsize               len,
                                                     const char         *name,
                                                     GError            **error);
void                tp_trust_item_free              (TpTrustItem        *item);

TpTrustStore       *tp_trust_store_new              (TpTrustStoreFlags   flags);
void                tp_trust_store_free             (TpTrustStore       *store);

/* A file or a directory. Fails on I/O errors and, for a file named
 * explicitly, when it is none of the kinds above; in a directory such
 * files (notes, keys) are skipped and listed as a source that is not
 * accepted. A master list that is not accepted is not an error either
 * (see its TpTrustSource). Files over 64 MB are refused. */
gboolean            tp_trust_store_add_path         (TpTrustStore       *store,
                                                     const char         *path,
                                                     GError            **error);
/* The contents of one file; name: for reports. */
gboolean            tp_trust_store_add_data         (TpTrustStore       *store,
                                                     const guint8       *data,
                                                     gsize               len,
                                                     const char         *name,
                                                     GError            **error);
/* One item as a source of its own (returned, owned by the store; a master
 * list's acceptance may still change as CSCAs arrive). NULL with an error
 * when a master list item is not one. */
TpTrustSource      *tp_trust_store_add_item         (TpTrustStore       *store,
                                                     const TpTrustItem  *item,
                                                     GError            **error);
/* cert is referenced, not taken. CSCA certificates become anchors. */
void                tp_trust_store_add_certificate  (TpTrustStore       *store,
                                                     X509               *cert);
void                tp_trust_store_add_crl          (TpTrustStore       *store,
                                                     X509_CRL           *crl);

guint               tp_trust_store_get_n_anchors    (TpTrustStore       *store);
/* The anchors (X509 *, owned by the store). */
GPtrArray          *tp_trust_store_get_anchors      (TpTrustStore       *store);
/* The TpTrustSource of each file or blob added, in order. */
GPtrArray          *tp_trust_store_get_sources      (TpTrustStore       *store);

/* A certificate of the untrusted pool or an anchor whose issuer and serial
 * number match (a Document Signer that the SOD does not embed), or NULL.
 * Owned by the store. */
X509               *tp_trust_store_find_certificate (TpTrustStore       *store,
                                                     const X509_NAME    *issuer,
                                                     const ASN1_INTEGER *serial);

/* Verifies leaf against the anchors at time at (NULL: now), with
 * untrusted (may be NULL) and the store's pool as intermediates, then
 * checks the revocation of the leaf. Never fails: see the result.
 * store may be NULL (an empty store). */
TpTrustChain       *tp_trust_store_verify           (TpTrustStore       *store,
                                                     X509               *leaf,
                                                     STACK_OF(X509)     *untrusted,
                                                     GDateTime          *at);
void                tp_trust_chain_free             (TpTrustChain       *chain);

/* "ok", "no_certificate", "unknown_csca", "bad_signature", "expired",
 * "not_yet_valid", "invalid" */
const char         *tp_chain_status_to_string       (TpChainStatus       status);
/* "not_checked", "good", "revoked", "unknown" */
const char         *tp_revocation_status_to_string  (TpRevocationStatus  status);

/* The DER CscaMasterList (version 0) holding certs (X509 *): the content
 * to sign into a master list (tests and tools). */
GBytes             *tp_master_list_encode_content   (GPtrArray          *certs,
                                                     GError            **error);

/* A CSCA certificate, as ICAO 9303-12 profiles one: basicConstraints cA
 * and keyUsage keyCertSign (well-formed extensions). */
gboolean            tp_x509_is_csca                 (X509               *cert);
/* Whether cert's extended key usage lists oid (dotted). */
gboolean            tp_x509_has_extended_key_usage  (X509               *cert,
                                                     const char         *oid);

/* name as RFC 2253 text ("CN=CSCA,O=...,C=UT"), UTF-8 kept. */
char               *tp_x509_name_to_string          (const X509_NAME    *name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpTrustStore, tp_trust_store_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpTrustItem, tp_trust_item_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpTrustChain, tp_trust_chain_free)

G_END_DECLS
