/* tp-bac.h: Basic Access Control (ICAO Doc 9303 Part 11 §4.3)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The access keys come from the "MRZ information": document number, date
 * of birth and date of expiry, each followed by its check digit
 * (L898902C<369080619406236). Kseed = SHA-1(MRZ information)[0..15],
 * Kenc = KDF(Kseed, 1), Kmac = KDF(Kseed, 2) (3DES, parity adjusted).
 *
 * Terminal side: GET CHALLENGE, EXTERNAL AUTHENTICATE with
 * E.IFD || M.IFD, check of the chip's MAC and cryptogram, session keys
 * from K.IFD xor K.IC and SSC = RND.IC[4..7] || RND.IFD[4..7].
 * Chip side: answers GET CHALLENGE and EXTERNAL AUTHENTICATE.
 */
#pragma once

#include <glib.h>

#include "tp-apdu.h"
#include "tp-sm.h"

G_BEGIN_DECLS

#define TP_BAC_MRZ_INFO_MIN_LENGTH 24

typedef struct {
  guint8 k_seed[16];
  guint8 k_enc[16];
  guint8 k_mac[16];
} TpBacKeys;

/* The MRZ information from the fields as printed: @document_number of
 * up to nine characters is padded with '<' to nine; a longer one (the
 * TD1 long-number rule) is taken whole, and placing it right is the
 * caller's business. @birth_date and @expiry_date are YYMMDD. Check
 * digits are computed here. Characters must be 0-9, A-Z or '<' (lower
 * case is accepted and upper-cased). Fails with
 * TP_CHIP_ERROR_INVALID_ARGUMENT naming the field. */
char        *tp_bac_mrz_info             (const char          *document_number,
                                          const char          *birth_date,
                                          const char          *expiry_date,
                                          GError             **error);

/* Kseed, Kenc and Kmac from the MRZ information (at least 24 characters
 * of 0-9, A-Z, '<'). */
gboolean     tp_bac_derive_keys          (const char          *mrz_info,
                                          TpBacKeys           *keys,
                                          GError             **error);

/* Terminal side: runs BAC over @transmit and returns the session.
 * @random may be NULL (RAND_bytes); it is asked for RND.IFD (8 bytes)
 * then K.IFD (16 bytes). Wrong keys give TP_CHIP_ERROR_ACCESS_DENIED. */
gboolean     tp_bac_authenticate         (TpApduTransmitFunc   transmit,
                                          gpointer             user_data,
                                          const TpBacKeys     *keys,
                                          TpRandomFunc         random,
                                          gpointer             random_data,
                                          TpSm               **sm,
                                          GError             **error);

/* Chip side */
typedef struct _TpBacChip TpBacChip;

TpBacChip   *tp_bac_chip_new             (const TpBacKeys     *keys);
void         tp_bac_chip_free            (TpBacChip           *chip);
/* @random (NULL: RAND_bytes) gives RND.IC (8 bytes) then K.IC (16). */
void         tp_bac_chip_set_random      (TpBacChip           *chip,
                                          TpRandomFunc         random,
                                          gpointer             random_data);
/* TRUE for the instructions BAC handles: GET CHALLENGE (84) and
 * EXTERNAL AUTHENTICATE (82). */
gboolean     tp_bac_chip_handles         (const TpApdu        *command);
/* Answers GET CHALLENGE or EXTERNAL AUTHENTICATE (sent plain). Appends
 * the response data to @response and returns the status word; on a
 * successful EXTERNAL AUTHENTICATE *@sm receives the new session (the
 * response itself goes plain). A failed authentication answers 6300 and
 * forgets the challenge. */
guint16      tp_bac_chip_process         (TpBacChip           *chip,
                                          const TpApdu        *command,
                                          GByteArray          *response,
                                          TpSm               **sm);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpBacChip, tp_bac_chip_free)

G_END_DECLS
