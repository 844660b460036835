/* tp-document-reader.h: reading and verifying an eMRTD, start to finish
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The synchronous read engine (the TpReader worker runs it):
 *
 *  1. connect to the card; learn whether it takes extended-length APDUs
 *     (card capabilities in the ATR/ATS historical bytes, else EF.ATR/INFO
 *     when the reader can move them);
 *  2. read EF.CardAccess: PACE (generic or integrated mapping) when it
 *     offers a protocol this code runs, with the MRZ or the CAN; otherwise
 *     BAC (MRZ only). A PACE failure other than a refused password falls
 *     back to BAC;
 *  3. SELECT the eMRTD application (A0000002471001), read EF.COM and, per
 *     its tag list, DG14 (then chip authentication, after which everything
 *     is read under the new keys), EF.SOD, DG1, DG2, DG11, DG12, DG15
 *     (then active authentication);
 *  4. passive authentication against the trust store, the printed MRZ
 *     against DG1.
 *
 * Files are read with the largest response both sides take: extended
 * length when the chip and the reader both support it, else short APDUs
 * of up to 231 (3DES) or 223 (AES) plain bytes, the most a protected short
 * response holds. A chip that refuses a size (6700, 6Cxx) gets the size it
 * asks for or a smaller one, kept for the rest of the session; 6282 and
 * 6B00 at the end of a file end it; offsets above 32767 use READ BINARY
 * with odd INS (B1). A transmission error (a chip leaving the field for a
 * moment) costs a reconnect, access control again, and the read resumes
 * at the offset where it stopped.
 */
#pragma once

#include <gio/gio.h>

#include "tp-access-key.h"
#include "tp-document.h"
#include "tp-transport.h"
#include "tp-trust-store.h"

G_BEGIN_DECLS

/* ---- options ---------------------------------------------------------- */

/**
 * TpReadOptions:
 * @trust: the CSCA trust store (a reference), or NULL: passive
 *   authentication then reports the chain as unknown
 * @read_face: read DG2 (default TRUE)
 * @read_optional: read DG11 and DG12 when present (default TRUE)
 * @chip_auth: run chip authentication when DG14 offers it (default TRUE)
 * @active_auth: run active authentication when DG15 is present
 *   (default TRUE)
 * @prefer_bac: skip PACE even when EF.CardAccess offers it (default FALSE)
 * @no_extended: never use extended-length APDUs (default FALSE)
 * @max_read: largest READ BINARY size to ask for, 0: no limit of ours
 *   (benchmarks set 223 or 160 to compare with other readers)
 * @max_retries: transmission errors recovered per read (default 3)
 * @at: the time of the checks (NULL: now)
 * @policy: the operator's passive authentication policy (default: an
 *   expired Document Signer on a valid document fails, unknown revocation
 *   is shown and does not fail; tp-passive-auth.h)
 */
typedef struct {
  TpTrustStore  *trust;
  gboolean       read_face;
  gboolean       read_optional;
  gboolean       chip_auth;
  gboolean       active_auth;
  gboolean       prefer_bac;
  gboolean       no_extended;
  gsize          max_read;
  guint          max_retries;
  GDateTime     *at;
  TpPassiveAuthPolicy policy;
} TpReadOptions;

TpReadOptions *tp_read_options_new              (void);
TpReadOptions *tp_read_options_copy             (const TpReadOptions *options);
void           tp_read_options_free             (TpReadOptions      *options);

/* ---- the read --------------------------------------------------------- */

/* Progress: @file being read, bytes of the document read so far, and the
 * total known so far. Called on the reading thread. */
typedef void (*TpReadProgressFunc) (const char *file,
                                    guint64     done,
                                    guint64     total,
                                    gpointer    user_data);

/* Reads and verifies the document on @transport (connecting when
 * needed). Errors (the document could not be read): TP_TRANSPORT_ERROR
 * (no reader, no card), TP_CHIP_ERROR_ACCESS_DENIED (wrong MRZ or CAN),
 * TP_CHIP_ERROR_COMMUNICATION (the card stopped answering),
 * TP_CHIP_ERROR_PROTOCOL / _SM_FAILURE / _STATUS (the chip answered
 * nonsense), G_IO_ERROR_CANCELLED. A document that was read but does not
 * verify is not an error: see the result. */
TpDocument    *tp_document_reader_read          (TpTransport        *transport,
                                                 const TpAccessKey  *key,
                                                 const TpReadOptions *options,
                                                 TpReadProgressFunc  progress,
                                                 gpointer            progress_data,
                                                 GCancellable       *cancellable,
                                                 GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpReadOptions, tp_read_options_free)

G_END_DECLS
