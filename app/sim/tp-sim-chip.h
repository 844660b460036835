/* tp-sim-chip.h: a software eMRTD chip (ICAO Doc 9303 card side)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An ISO/IEC 7816-4 card operating system over a test document (files by
 * FID, access keys, chip and active authentication keys, all from the test
 * document generator, tp-test-pki.h). It answers what an inspection system
 * sends to a passport:
 *  - SELECT by AID (P1 04) and by file identifier (P1 00, 02), P2 0C or 00;
 *  - READ BINARY B0 (offset in P1 P2, or a short EF identifier in P1 with
 *    bit 8 set) and B1 (odd INS, offset in DO'54');
 *  - BAC: GET CHALLENGE, EXTERNAL AUTHENTICATE;
 *  - PACE: MSE:Set AT, GENERAL AUTHENTICATE (generic mapping), with the
 *    MRZ or the CAN as password;
 *  - chip authentication: MSE:Set KAT (3DES) or MSE:Set AT + GENERAL
 *    AUTHENTICATE (AES);
 *  - active authentication: INTERNAL AUTHENTICATE (RSA ISO/IEC 9796-2 or
 *    ECDSA).
 * EF.CardAccess and EF.ATR/INFO are readable in the master file without
 * access control; every file of the eMRTD application needs secure
 * messaging once BAC or PACE has run (and answers 6982 before).
 *
 * Specification string: PROFILE[:QUIRK[,QUIRK...]], for example
 * "pace-ecdh-aes128" or "bac-3des:max-le=223,drop-field". The profiles
 * and quirks are listed by tp_sim_chip_list_profiles() and
 * tp_sim_chip_list_quirks(). The same specification always gives the same
 * document and the same test PKI (deterministic keys), so that separate
 * processes (an emulated reader and the CLI) agree on trust anchors.
 *
 * Not thread-safe: one thread at a time.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _TpSimChip TpSimChip;

typedef struct {
  const char *name;
  const char *summary;
} TpSimChipInfo;

/* Fails with TP_CHIP_ERROR_INVALID_ARGUMENT on an unknown profile or
 * quirk, naming the ones there are. */
TpSimChip   *tp_sim_chip_new               (const char    *spec,
                                            GError       **error);
void         tp_sim_chip_free              (TpSimChip     *chip);

/* A TpApduTransmitFunc (tp-apdu.h); @user_data is the TpSimChip. Appends
 * the R-APDU. Fails with TP_CHIP_ERROR_COMMUNICATION when the chip
 * "drops the field" (the drop-field quirk): the caller sees what a reader
 * sees when a card leaves, and must reset the chip (power it again)
 * before the next command. */
gboolean     tp_sim_chip_transmit          (gpointer       user_data,
                                            const guint8  *capdu,
                                            gsize          capdu_len,
                                            GByteArray    *rapdu,
                                            GError       **error);

/* Power cycle: every session and selection is forgotten; the document
 * and the count of one-shot quirks stay. */
void         tp_sim_chip_reset             (TpSimChip     *chip);

const char  *tp_sim_chip_get_spec          (TpSimChip     *chip);
/* Contactless identity: ATS (without its TL byte), a 4-byte random-style
 * UID starting with 08, and the ATR a PC/SC reader builds from the ATS
 * (new references). */
GBytes      *tp_sim_chip_get_ats           (TpSimChip     *chip);
GBytes      *tp_sim_chip_get_uid           (TpSimChip     *chip);
GBytes      *tp_sim_chip_get_atr           (TpSimChip     *chip);
/* The printed MRZ of the document, lines separated by '\n'; its CAN. */
const char  *tp_sim_chip_get_mrz           (TpSimChip     *chip);
const char  *tp_sim_chip_get_can           (TpSimChip     *chip);
/* Whether the chip takes extended-length APDUs (announced in EF.ATR/INFO
 * and in the ATS historical bytes). */
gboolean     tp_sim_chip_supports_extended (TpSimChip     *chip);
/* How many APDUs the chip has answered since it was created. */
guint        tp_sim_chip_get_apdu_count    (TpSimChip     *chip);
/* READ BINARY commands by short EF identifier refused (no-sfi quirk). */
guint        tp_sim_chip_get_sfi_refusals  (TpSimChip     *chip);

/* Tests and fuzzing: this chip (not others of the same profile) serves
 * @data as file @fid of the eMRTD application (or EF.CardAccess, 011C),
 * whatever its document holds; NULL removes the file. A reference is
 * taken. */
void         tp_sim_chip_set_file          (TpSimChip     *chip,
                                            guint16        fid,
                                            GBytes        *data);

/* Writes the test PKI's trust anchors (CSCA certificates, and CRLs) into
 * @dir as files that --trust takes, with the test CSCA of Germany
 * (tp-test-rogue.h); the document signers of every profile chain to them
 * (the unknown-csca and signer=rogue-csca quirks on purpose do not). */
gboolean     tp_sim_chip_export_trust      (const char    *dir,
                                            GError       **error);

const TpSimChipInfo *tp_sim_chip_list_profiles (gsize     *n_profiles);
const TpSimChipInfo *tp_sim_chip_list_quirks   (gsize     *n_quirks);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpSimChip, tp_sim_chip_free)

G_END_DECLS
