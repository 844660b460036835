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
 *     time of the check (tp-trust-store.h for the validity rule: an
 *     expired DS is accepted and reported as ds_expired, with a warning);
 *  4. revocation: the CSCA's CRL from the trust store, if any: "good",
 *     "revoked" (fails), or "not_checked" (no CRL; does not fail).
 *
 * The verdict is VALID when 1 and 3 hold, no data group read has a hash
 * that is wrong or missing, at least one data group was checked, and the
 * DS is not revoked. Everything that failed has a line in errors;
 * tolerated findings (expired DS, stale CRL, no CRL) are in warnings.
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
 * @revocation: step 4
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

/* The same with a parsed SOD and the data groups as an array indexed by
 * data group number: dgs[1]..dgs[16] (NULL when not read; dgs[0]
 * ignored). */
TpPassiveAuthResult *tp_passive_auth_verify_sod      (const TpSod               *sod,
                                                      GBytes * const            *dgs,
                                                      TpTrustStore              *trust,
                                                      GDateTime                 *at);

void                 tp_passive_auth_result_free     (TpPassiveAuthResult       *result);

/* The status for dg; TP_DG_HASH_NOT_READ when neither read nor listed. */
TpDgHashStatus       tp_passive_auth_result_get_hash (const TpPassiveAuthResult *result,
                                                      guint                      dg);

/* "valid", "invalid" */
const char          *tp_passive_auth_verdict_to_string (TpPassiveAuthVerdict     verdict);
/* "match", "mismatch", "not_read", "not_in_sod" */
const char          *tp_dg_hash_status_to_string     (TpDgHashStatus             status);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpPassiveAuthResult, tp_passive_auth_result_free)

G_END_DECLS
