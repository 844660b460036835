/* tp-chip-auth.h: chip authentication
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What DG14 offers is read by tp-security-infos.h.
 *
 * Chip authentication version 1 (ICAO 9303-11 §6.2, BSI TR-03110 v1.11):
 * the terminal sends an ephemeral DH/ECDH public key on the chip's domain
 * parameters, with MSE:Set KAT (3DES) or MSE:Set AT and GENERAL
 * AUTHENTICATE (AES), both under the current secure messaging; both sides
 * derive KSenc/KSmac from the shared secret, and secure messaging
 * restarts with SSC 0. Only a chip that holds the private key of DG14 can
 * answer the next command with a valid MAC: that answer is the proof.
 */
#pragma once

#include <glib.h>
#include <openssl/evp.h>

#include "tp-apdu.h"
#include "tp-security-infos.h"
#include "tp-sm.h"

G_BEGIN_DECLS

/* Picks a key and protocol to run: a ChipAuthenticationInfo of version 1
 * with a public key of the same kind and keyId, the strongest cipher
 * first. Without any
 * ChipAuthenticationInfo (early DG14s) the key goes with 3DES, as
 * TR-03110 v1.11 implies. FALSE (TP_CHIP_ERROR_UNSUPPORTED) when DG14
 * offers nothing this code can run. @info receives a new TpChipAuthInfo. */
gboolean     tp_chip_auth_choose         (const TpSecurityInfos  *infos,
                                          TpChipAuthInfo        **info,
                                          const TpChipAuthPublicKey **key,
                                          GError                **error);

/* Terminal side: runs chip authentication under *@sm (the BAC or PACE
 * session) and replaces *@sm with the new session. With @confirm, sends
 * a protected SELECT of EF.COM (00 A4 02 0C 011E) under the new keys:
 * any answer whose MAC verifies proves the chip genuine; anything else
 * fails with TP_CHIP_ERROR_AUTHENTICATION. Without @confirm the caller's
 * next command is the proof (tp_sm_get_verified_count() > 0). A chip
 * that refuses the key gives TP_CHIP_ERROR_AUTHENTICATION too. After a
 * failure the old session is gone: access control must run again. */
gboolean     tp_chip_auth_authenticate   (TpApduTransmitFunc      transmit,
                                          gpointer                user_data,
                                          TpSm                  **sm,
                                          const TpChipAuthInfo   *info,
                                          const TpChipAuthPublicKey *key,
                                          gboolean                confirm,
                                          GError                **error);

/* Chip side */
typedef struct _TpCaChip TpCaChip;

/* @private_key: the chip authentication key pair of DG14 (a reference is
 * taken); @info: the protocol it offers. */
TpCaChip    *tp_ca_chip_new              (EVP_PKEY               *private_key,
                                          const TpChipAuthInfo   *info);
void         tp_ca_chip_free             (TpCaChip               *chip);
/* TRUE for MSE:Set KAT (22 41 A6), MSE:Set AT for CA (22 41 A4), and
 * GENERAL AUTHENTICATE (86) after the latter. */
gboolean     tp_ca_chip_handles          (TpCaChip               *chip,
                                          const TpApdu           *command);
/* Answers those commands (unprotected by the caller from the current
 * session). On success *@sm receives the new session: protect THIS
 * response with the old session, then switch. Status words: 6A80
 * malformed or unusable public key, 6A88 unknown key id or protocol,
 * 6985 out of order. */
guint16      tp_ca_chip_process          (TpCaChip               *chip,
                                          const TpApdu           *command,
                                          GByteArray             *response,
                                          TpSm                  **sm);

/* Encoded public key as sent in DO'91'/'80': the uncompressed point for
 * EC, the public value (big-endian, padded to the modulus) for DH. */
GBytes      *tp_chip_auth_encode_public  (EVP_PKEY               *key,
                                          GError                **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpCaChip, tp_ca_chip_free)

G_END_DECLS
