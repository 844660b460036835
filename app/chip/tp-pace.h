/* tp-pace.h: PACE, Password Authenticated Connection Establishment
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * ICAO Doc 9303 Part 11 §4.4 (BSI TR-03110), through OpenPACE:
 *  - generic mapping (GM) with DH on standard domain parameters 0-2 and
 *    ECDH on 8-18, 3DES or AES-128/192/256 secure messaging;
 *  - integrated mapping (IM) between this terminal and this chip code
 *    (OpenPACE's IM needs its TR-03110 v2.01 mode; its ECDH point
 *    encoding exists only for curves with p = 2 mod 3: 8, 13, 14, 15, 17);
 *    not checked against another implementation: GM is preferred;
 *  - no chip authentication mapping (OpenPACE has none).
 * The password is the MRZ information (document number, birth date,
 * expiry date with check digits; f(π) = SHA-1 of it, whatever the
 * document format) or the CAN.
 *
 * Terminal side: MSE:Set AT, then four GENERAL AUTHENTICATE commands with
 * dynamic authentication data '7C' (command chaining, CLA 10, on the
 * first three): encrypted nonce, mapping, key agreement, tokens. Then
 * secure messaging with the new keys and SSC 0.
 */
#pragma once

#include <glib.h>

#include "tp-apdu.h"
#include "tp-security-infos.h"
#include "tp-sm.h"

G_BEGIN_DECLS

/* The values are the key references of MSE:Set AT (DO'83') */
typedef enum {
  TP_PACE_PASSWORD_MRZ = 1,
  TP_PACE_PASSWORD_CAN = 2,
} TpPacePassword;

/* Whether this code can run it: GM or IM, a standard domain parameter
 * set that fits the key agreement (DH 0-2, ECDH 8-18), and for IM with
 * ECDH one of the curves OpenPACE can map to. */
gboolean     tp_pace_info_is_supported   (const TpPaceInfo    *info);
/* The PACEInfos of EF.CardAccess (a SecurityInfos SET), in file order, as
 * TpPaceInfo (free with g_ptr_array_unref). Other SecurityInfos are
 * skipped; an EF.CardAccess without PACEInfo gives an empty array. Fails
 * with TP_CHIP_ERROR_PROTOCOL when the file is not SecurityInfos. */
GPtrArray   *tp_pace_parse_card_access   (const guint8        *data,
                                          gsize                len,
                                          GError             **error);
/* EF.CardAccess content offering @infos (TpPaceInfo). */
GBytes      *tp_pace_encode_card_access  (GPtrArray           *infos);

/* The best supported PACEInfo: GM before IM, then AES-256 > 192 > 128 >
 * 3DES, then ECDH before DH. NULL if none is supported. */
const TpPaceInfo *tp_pace_choose         (GPtrArray           *infos);

/* Terminal side. @password is the MRZ information
 * (tp_bac_mrz_info()) or the CAN. @send_parameter_id adds DO'84' to
 * MSE:Set AT, required when EF.CardAccess lists more than one parameter
 * set (ICAO 9303-11 §4.4.4.1). On success *@sm is the new session.
 * A rejected password gives TP_CHIP_ERROR_ACCESS_DENIED. */
gboolean     tp_pace_authenticate        (TpApduTransmitFunc   transmit,
                                          gpointer             user_data,
                                          const TpPaceInfo    *info,
                                          gboolean             send_parameter_id,
                                          TpPacePassword       password_type,
                                          const char          *password,
                                          TpSm               **sm,
                                          GError             **error);

/* Chip side */
typedef struct _TpPaceChip TpPaceChip;

/* @mrz_info and @can may each be NULL (that password is then refused
 * with 6A88). */
TpPaceChip  *tp_pace_chip_new            (const char          *mrz_info,
                                          const char          *can);
void         tp_pace_chip_free           (TpPaceChip          *chip);
/* A protocol the chip offers (as listed in its EF.CardAccess). */
void         tp_pace_chip_add_info       (TpPaceChip          *chip,
                                          const TpPaceInfo    *info);
/* TRUE for MSE:Set AT for PACE (22 C1 A4), and for GENERAL AUTHENTICATE
 * (86) while a PACE run is under way. */
gboolean     tp_pace_chip_handles        (TpPaceChip          *chip,
                                          const TpApdu        *command);
/* Answers MSE:Set AT and the four GENERAL AUTHENTICATE steps (sent
 * plain). Appends response data to @response and returns the status
 * word: 6A80 for an unknown protocol or malformed data, 6A88 for a
 * password it does not have, 6985 out of order, 6300 when the terminal's
 * token does not verify (wrong password). After the last step *@sm is
 * the new session (the response itself goes plain). */
guint16      tp_pace_chip_process        (TpPaceChip          *chip,
                                          const TpApdu        *command,
                                          GByteArray          *response,
                                          TpSm               **sm);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpPaceChip, tp_pace_chip_free)

G_END_DECLS
