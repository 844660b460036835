/* tp-passive-auth.h: passive authentication of an eMRTD (ICAO 9303 Part 11, 5.1)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Steps, each reported on its own, never folded into one boolean:
 *
 *  1. signature: EF.SOD parses, and its SignerInfo verifies with the
 *     Document Signer (DS) certificate — the one embedded in the SOD, or
 *     else one from the trust store's pool with the issuer and serial the
 *     SignerInfo names (tp-sod.h);
 *  2. hashes: each data group read is hashed with the SOD's algorithm and
 *     compared with the SOD's value. A data group read for which the SOD
 *     has no hash fails (nothing vouches for it); a hash in the SOD for a
 *     data group not read (DG3 behind terminal authentication, say) is
 *     listed as not read and does not fail;
 *  3. chain: the DS certificate chains to a CSCA of the trust store at the
 *     time of the check (tp-trust-store.h for the validity rule);
 *  4. Document Signer profile (ICAO 9303-12): an end-entity certificate
 *     (no basicConstraints cA) with the key usage digitalSignature and no
 *     extended key usage, issued by a CSCA of the store itself. An EF.SOD
 *     signed by a CSCA, by a certificate that may only sign certificates,
 *     by a TLS or a master-list signer certificate fails;
 *  5. country: the countries (C) of the DS, of its issuer and of the CSCA
 *     must be the issuing state of DG1 (C=DE for an MRZ's D: the alpha-2
 *     codes of the one country table, tp-country.h). Not checked without
 *     a DG1 whose hash matched;
 *  6. validity: a DS expired at the time of the check while the document
 *     (DG1's date of expiry) is still valid contradicts ICAO 9303-12 (a DS
 *     certificate outlives the documents it signs) and fails, unless the
 *     policy accepts it (then a warning). An expired DS with an expired
 *     document is a warning;
 *  7. revocation: "good", "revoked" (fails), or "unknown" (no current CRL
 *     for the CSCA: tp-trust-store.h), a warning unless the policy
 *     requires revocation to be known;
 *  8. algorithms: an RSA key under 2048 bits or an EC key under 224 bits
 *     (DS or CSCA) fails; SHA-1 in the SOD's hashes or signature is
 *     accepted with a "weak algorithm" warning.
 *
 * The verdict is VALID when 1, 3, 4 and 5 hold, no data group read has a
 * hash that is wrong or missing, at least one data group was checked, and
 * 6, 7 and 8 found nothing that fails. Everything that failed has a line
 * in errors; tolerated findings are in warnings.
 *
 * Input files are as read from the chip: the whole EF including its tag
 * and length (the SOD hashes cover exactly those bytes). Trailing bytes
 * after the TLV (padding some chips return) are not hashed.
 */
#pragma once

#include <glib.h>

#include "tp-lds.h"
#include "tp-sod.h"
#include "tp-trust-store.h"

G_BEGIN_DECLS

typedef enum {
  TP_PASSIVE_AUTH_VALID,
  TP_PASSIVE_AUTH_INVALID,
} TpPassiveAuthVerdict;

typedef enum {
  TP_COUNTRY_CHECK_NOT_CHECKED,
  TP_COUNTRY_CHECK_MATCH,
  TP_COUNTRY_CHECK_MISMATCH,
} TpCountryCheck;

/**
 * TpPassiveAuthPolicy:
 * @accept_expired_ds: accept a Document Signer that expired while the
 *   document is still valid (a warning, never silent); default FALSE: fails
 * @require_revocation: fail when the DS's revocation is unknown; default
 *   FALSE: shown as a warning
 *
 * What an operator may decide; zero-initialised is the default.
 */
typedef struct {
  gboolean accept_expired_ds;
  gboolean require_revocation;
} TpPassiveAuthPolicy;

typedef enum {
  TP_DG_HASH_MATCH,
  TP_DG_HASH_MISMATCH,
  TP_DG_HASH_NOT_READ,     /* in the SOD, not supplied: no verdict */
  TP_DG_HASH_NOT_IN_SOD,   /* supplied, but the SOD has no hash for it: fails */
} TpDgHashStatus;

/**
 * TpPassiveAuthHash:
 * @dg: data group number, 1–16
 * @status: see #TpDgHashStatus; when the SOD's hash algorithm is not
 *   supported, every data group read is TP_DG_HASH_MISMATCH
 */
typedef struct {
  guint          dg;
  TpDgHashStatus status;
} TpPassiveAuthHash;

/**
 * TpPassiveAuthResult:
 * @verdict: see above
 * @sod_parsed: EF.SOD parsed; when FALSE, @signature_reason says why and
 *   nothing else was checked
 * @signature: step 1 holds
 * @signature_reason: why it does not, or NULL
 * @signature_algorithm: the SignerInfo's ("ecdsa-with-SHA256"), or NULL
 * @hash_algorithm: the SOD's ("SHA-256", or the OID when unsupported)
 * @hashes: #TpPassiveAuthHash by data group number: every data group read
 *   and every data group the SOD lists
 * @chain: step 3 holds
 * @chain_status: the detail
 * @chain_reason: why it does not hold, or NULL
 * @csca_subject: the CSCA the chain ends at, RFC 2253 ("CN=...,C=UT"),
 *   or NULL
 * @ds_subject: the Document Signer's subject, or NULL without one
 * @ds_issuer: the Document Signer's issuer, or NULL
 * @ds_serial: the Document Signer's serial, hex, or NULL
 * @ds_not_after: the end of the DS validity, ISO 8601 UTC, or NULL
 * @ds_expired: the DS certificate expired before the check time
 * @ds_embedded: the DS certificate came from the SOD (FALSE: from the
 *   trust store, or none found)
 * @ds_profile: step 4 holds
 * @country: step 5
 * @issuing_state: DG1's issuing state when its hash matched, or NULL
 * @weak_algorithm: SHA-1 in the SOD (step 8, a warning)
 * @revocation: step 7
 * @revocation_reason: which CRL, or why none
 * @errors: one line per failed check, for a person (char *)
 * @warnings: tolerated findings (char *)
 */
typedef struct {
  TpPassiveAuthVerdict  verdict;
  gboolean              sod_parsed;
  gboolean              signature;
  char                 *signature_reason;
  char                 *signature_algorithm;
  char                 *hash_algorithm;
  GArray               *hashes;
  gboolean              chain;
  TpChainStatus         chain_status;
  char                 *chain_reason;
  char                 *csca_subject;
  char                 *ds_subject;
  char                 *ds_issuer;
  char                 *ds_serial;
  char                 *ds_not_after;
  gboolean              ds_expired;
  gboolean              ds_embedded;
  gboolean              ds_profile;
  TpCountryCheck        country;
  char                 *issuing_state;
  gboolean              weak_algorithm;
  TpRevocationStatus    revocation;
  char                 *revocation_reason;
  GPtrArray            *errors;
  GPtrArray            *warnings;
} TpPassiveAuthResult;

/* Checks files (EF.SOD as TP_LDS_FID_SOD, data groups as their FIDs;
 * other files are ignored) against trust (NULL: an empty store, so the
 * chain fails) at time at (NULL: now). Never fails: everything is in the
 * result. Safe to call from a worker thread as long as trust is not being
 * filled at the same time. */
TpPassiveAuthResult *tp_passive_auth_verify          (TpLdsFiles                *files,
                                                      TpTrustStore              *trust,
                                                      GDateTime                 *at);

/* The same under an operator's policy (NULL: the default). */
TpPassiveAuthResult *tp_passive_auth_verify_with_policy (TpLdsFiles             *files,
                                                      TpTrustStore              *trust,
                                                      GDateTime                 *at,
                                                      const TpPassiveAuthPolicy *policy);

/* The same with a parsed SOD and the data groups as an array indexed by
 * data group number: dgs[1]..dgs[16] (NULL when not read; dgs[0]
 * ignored); policy NULL: the default. */
TpPassiveAuthResult *tp_passive_auth_verify_sod      (const TpSod               *sod,
                                                      GBytes * const            *dgs,
                                                      TpTrustStore              *trust,
                                                      GDateTime                 *at,
                                                      const TpPassiveAuthPolicy *policy);

void                 tp_passive_auth_result_free     (TpPassiveAuthResult       *result);

/* The status for dg; TP_DG_HASH_NOT_READ when neither read nor listed. */
TpDgHashStatus       tp_passive_auth_result_get_hash (const TpPassiveAuthResult *result,
                                                      guint                      dg);

/* "valid", "invalid" */
const char          *tp_passive_auth_verdict_to_string (TpPassiveAuthVerdict     verdict);
/* "not_checked", "match", "mismatch" */
const char          *tp_country_check_to_string      (TpCountryCheck             check);
/* "match", "mismatch", "not_read", "not_in_sod" */
const char          *tp_dg_hash_status_to_string     (TpDgHashStatus             status);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpPassiveAuthResult, tp_passive_auth_result_free)

G_END_DECLS
