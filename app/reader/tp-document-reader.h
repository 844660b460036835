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

#include "tp-lds.h"
#include "tp-mrz.h"
#include "tp-passive-auth.h"
#include "tp-transport.h"
#include "tp-trust-store.h"

G_BEGIN_DECLS

/* ---- access keys ------------------------------------------------------ */

typedef enum {
  TP_ACCESS_KEY_MRZ,   /* document number, birth date, expiry date */
  TP_ACCESS_KEY_CAN,   /* card access number (PACE only) */
} TpAccessKeyKind;

/**
 * TpAccessKey:
 * @kind: which password
 * @mrz_info: the MRZ information (document number, birth and expiry
 *   dates, each with its check digit), for TP_ACCESS_KEY_MRZ
 * @can: the card access number, for TP_ACCESS_KEY_CAN
 * @mrz: the whole printed MRZ when it was given (compared with DG1), or
 *   NULL
 * @document_number, @birth_date, @expiry_date: the fields as given
 *   (compared with DG1 when @mrz is NULL), or NULL
 */
typedef struct {
  TpAccessKeyKind  kind;
  char            *mrz_info;
  char            *can;
  TpMrz           *mrz;
  char            *document_number;
  char            *birth_date;
  char            *expiry_date;
} TpAccessKey;

/* From the printed MRZ (lines separated by white space). Fails with
 * TP_ERROR_INVALID_ARGUMENT when the text is not an MRZ, or when a check
 * digit the keys depend on is wrong (the chip would refuse them). */
TpAccessKey   *tp_access_key_new_from_mrz       (const char         *mrz_text,
                                                 GError            **error);
/* From the three fields: document number as printed (filler optional),
 * dates YYMMDD. */
TpAccessKey   *tp_access_key_new_from_fields    (const char         *document_number,
                                                 const char         *birth_date,
                                                 const char         *expiry_date,
                                                 GError            **error);
/* A CAN of six digits (PACE only). */
TpAccessKey   *tp_access_key_new_from_can       (const char         *can,
                                                 GError            **error);
TpAccessKey   *tp_access_key_copy               (const TpAccessKey  *key);
void           tp_access_key_free               (TpAccessKey        *key);

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
} TpReadOptions;

TpReadOptions *tp_read_options_new              (void);
TpReadOptions *tp_read_options_copy             (const TpReadOptions *options);
void           tp_read_options_free             (TpReadOptions      *options);

/* ---- result ----------------------------------------------------------- */

typedef enum {
  TP_CHECK_NOT_SUPPORTED,  /* the document does not offer it */
  TP_CHECK_NOT_CHECKED,    /* offered, but not run (options, CAN only...) */
  TP_CHECK_VALID,
  TP_CHECK_FAILED,
} TpCheckState;

/**
 * TpDocumentFile:
 * @fid: file identifier
 * @name: "COM", "SOD", "DG1"... (static)
 * @data: the whole file as read, or NULL when it could not be read
 * @error: why it could not be read (or was cut short), or NULL
 */
typedef struct {
  guint16     fid;
  const char *name;
  GBytes     *data;
  char       *error;
} TpDocumentFile;

/**
 * TpDocument:
 * @access: "PACE" or "BAC"
 * @mapping: PACE mapping ("GM", "IM"), NULL after BAC
 * @pace_protocol: the PACEInfo used, described, or NULL
 * @sm: the secure messaging cipher of the access control session
 *   ("3DES", "AES-128"...)
 * @files: #TpDocumentFile in reading order: every file EF.COM lists,
 *   read or not
 * @lds: the files read, by FID (for passive authentication)
 * @com: EF.COM parsed
 * @dg1: DG1 parsed, or NULL
 * @face: the first face of DG2 (a reference into @dg2), or NULL
 * @dg2: DG2 parsed, or NULL
 * @dg11, @dg12: parsed when read, or NULL
 * @passive_auth: the passive authentication result (never NULL)
 * @chip_auth: chip authentication; @chip_auth_reason says why not valid
 * @active_auth: active authentication; @active_auth_reason likewise
 * @mrz_match: the printed MRZ (or the fields given) against DG1
 * @mrz_mismatch: the fields that differ, or why not checked, or NULL
 * @errors: problems a person should see (char *), beyond those of
 *   @passive_auth
 * @extended_length: extended-length reads were used
 * @read_size: the READ BINARY size the session settled on
 * @apdus: APDUs exchanged (all of them, access control included)
 * @bytes_in: bytes received (whole R-APDUs)
 * @bytes_out: bytes sent
 * @retries: transmission errors recovered
 * @elapsed_us: wall time of the whole read and verification
 * @transport_us: the part spent in the transport
 * @passive_auth_us: the part spent in passive authentication
 */
typedef struct {
  char                *access;
  char                *mapping;
  char                *pace_protocol;
  char                *sm;
  GPtrArray           *files;
  TpLdsFiles          *lds;
  TpLdsCom            *com;
  TpLdsDg1            *dg1;
  const TpLdsFace     *face;
  TpLdsDg2            *dg2;
  TpLdsDg11           *dg11;
  TpLdsDg12           *dg12;
  TpPassiveAuthResult *passive_auth;
  TpCheckState         chip_auth;
  char                *chip_auth_reason;
  TpCheckState         active_auth;
  char                *active_auth_reason;
  TpCheckState         mrz_match;
  char                *mrz_mismatch;
  GPtrArray           *errors;
  gboolean             extended_length;
  gsize                read_size;
  guint                apdus;
  guint64              bytes_in;
  guint64              bytes_out;
  guint                retries;
  gint64               elapsed_us;
  gint64               transport_us;
  gint64               passive_auth_us;
} TpDocument;

void                  tp_document_free          (TpDocument         *document);
/* The file named "COM", "DG2"... or NULL. */
const TpDocumentFile *tp_document_get_file      (const TpDocument   *document,
                                                 const char         *name);
/* TRUE when everything that was checked holds: passive authentication
 * valid, chip and active authentication not failed, MRZ not different,
 * every listed file read. */
gboolean              tp_document_is_verified   (const TpDocument   *document);

/* "not_supported", "not_checked", "valid", "failed" */
const char           *tp_check_state_to_string  (TpCheckState        state);

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

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpAccessKey, tp_access_key_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpReadOptions, tp_read_options_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpDocument, tp_document_free)

G_END_DECLS
