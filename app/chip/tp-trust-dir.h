/* tp-trust-dir.h: the terminal's trust store, a directory
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What `touchpoint-cli trust import` adds to and `read`, `demo` and the
 * counter application verify documents against: a directory, by default
 * $XDG_DATA_HOME/touchpoint/trust beside the terminal's store
 * ($TOUCHPOINT_TRUST_DIR overrides it), holding one file per piece of trust
 * material taken in:
 *
 *   csca/SHA256.cer   CSCA certificates from certificate files (anchors)
 *   ml/SHA256.ml      master lists (CMS, as signed: their signature and
 *                     signer are checked again at every load, and only
 *                     their CSCAs become anchors)
 *   ds/SHA256.cer     Document Signer certificates (from LDIF or files)
 *   crl/SHA256.crl    CRLs
 *
 * named by the SHA-256 of their DER, so importing twice changes nothing.
 * A directory rather than a table of the SQLCipher store: trust material
 * is public and signed, so it needs integrity rather than secrecy; the
 * files keep their signatures and are verified again at every load under
 * the rules of tp-trust-store.h; and the chip layer, which verifies
 * documents, does not depend on the store. Its integrity rests on the
 * directory being the terminal account's own: a directory or file that is
 * another user's, writable by group or others, or a symbolic link, is
 * refused at load.
 *
 * Import rules (tp-trust-store.h): an item is taken when the trust store,
 * loaded with what the directory holds and with every file of the import,
 * would accept it; a master list whose signature does not verify, whose
 * signer is no master-list signer or is not issued by a CSCA of the store,
 * and a CSCA certificate from an LDIF file, are refused and not written.
 */
#pragma once

#include <glib.h>

#include "tp-trust-store.h"

G_BEGIN_DECLS

/**
 * TpTrustImport:
 * @file: the file as given
 * @format: "ldif", "pem" or "der"
 * @anchors: CSCA certificates taken (from certificate files)
 * @master_lists: master lists taken
 * @list_anchors: CSCA certificates the master lists taken bring
 * @document_signers: other certificates taken (Document Signers)
 * @crls: CRLs taken
 * @known: items the store held already
 * @refused: items not taken
 * @messages: why each item was refused, and what was left out (char *)
 */
typedef struct {
  char      *file;
  char      *format;
  guint      anchors;
  guint      master_lists;
  guint      list_anchors;
  guint      document_signers;
  guint      crls;
  guint      known;
  guint      refused;
  GPtrArray *messages;
} TpTrustImport;

/* $TOUCHPOINT_TRUST_DIR, else $XDG_DATA_HOME/touchpoint/trust. */
char       *tp_trust_dir_default_path (void);

/* Loads @dir into @store after checking that it is the terminal account's
 * own (see above). A directory that does not exist is an empty store when
 * @missing_ok, an error otherwise. */
gboolean    tp_trust_dir_load         (TpTrustStore        *store,
                                       const char          *dir,
                                       gboolean             missing_ok,
                                       GError             **error);

/* Imports @files (NULL-terminated) into @dir (created, mode 0700, when
 * missing): one #TpTrustImport per file, in order. Fails, writing nothing,
 * when a file cannot be read or holds no trust material, or when @dir
 * cannot be used. */
GPtrArray  *tp_trust_dir_import       (const char          *dir,
                                       const char * const  *files,
                                       GError             **error);

void        tp_trust_import_free      (TpTrustImport       *import);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpTrustImport, tp_trust_import_free)

G_END_DECLS
