/* tp-document.h: a passport as read from its chip, with its checks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the read engine (tp-document-reader.h) fills and what a case
 * (app/checkpoint) and the window show: the files read, parsed, and each
 * verification (passive, chip and active authentication, printed MRZ
 * against DG1) apart, with the figures of the read.
 */
#pragma once

#include <glib.h>

#include "tp-lds.h"
#include "tp-passive-auth.h"

G_BEGIN_DECLS

/* How the files were addressed: READ BINARY with a short EF identifier,
 * or SELECT then READ BINARY (a chip that refuses the first) */
typedef enum {
  TP_FILE_ACCESS_SFI,
  TP_FILE_ACCESS_SELECT,
} TpFileAccess;

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
 * @warnings: findings that do not fail the document by themselves but a
 *   person should see (char *): how the chip deviated from the standard
 *   without harm to the read (files selected because it refused short EF
 *   identifiers, plain status words that differed from the authenticated
 *   ones), EF.COM and EF.SOD disagreeing, a PACE failure read again with
 *   BAC, a weak algorithm
 * @file_access: how the files were addressed in the end
 * @downgraded: PACE failed and the chip was read with BAC instead
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
  GPtrArray           *warnings;
  TpFileAccess         file_access;
  gboolean             downgraded;
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

TpDocument           *tp_document_new           (void);
void                  tp_document_free          (TpDocument         *document);
/* Appends a file entry (not read yet) in reading order; owned by
 * @document. */
TpDocumentFile       *tp_document_add_file      (TpDocument         *document,
                                                 guint16             fid);
/* Appends to @errors. */
void                  tp_document_add_error     (TpDocument         *document,
                                                 const char         *format,
                                                 ...) G_GNUC_PRINTF (2, 3);
/* Appends to @warnings. */
void                  tp_document_add_warning   (TpDocument         *document,
                                                 const char         *format,
                                                 ...) G_GNUC_PRINTF (2, 3);
/* The file named "COM", "DG2"... or NULL. */
const TpDocumentFile *tp_document_get_file      (const TpDocument   *document,
                                                 const char         *name);
/* Why the document is not verified, one line per reason (a new array of
 * char *; empty when it is). The rule:
 *  - every file that was to be read was read whole, and DG1 parses;
 *  - passive authentication is valid;
 *  - the data groups EF.SOD lists decide which protocols must hold:
 *    DG14 listed: chip authentication valid (or DG14, read and matching
 *    its hash, offers none); DG15 listed: active authentication valid.
 *    Listed but not read, not run or failed: not verified, with the
 *    reason. A protocol that ran on a data group the SOD does not list
 *    must not have failed either;
 *  - the printed MRZ, when given, equals DG1. */
GPtrArray            *tp_document_get_failures  (const TpDocument   *document);
/* TRUE when tp_document_get_failures() has nothing to say. */
gboolean              tp_document_is_verified   (const TpDocument   *document);

/* "not_supported", "not_checked", "valid", "failed" */
const char           *tp_check_state_to_string  (TpCheckState        state);
/* "sfi", "select" */
const char           *tp_file_access_to_string  (TpFileAccess        access);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpDocument, tp_document_free)

G_END_DECLS
