/* tp-sm.h: ICAO 9303-11 secure messaging, both sides of the channel
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Secure messaging as in ICAO Doc 9303 Part 11 §9.8:
 *  - 3DES (two keys): 3DES-CBC with a zero IV as the specification
 *    mandates (the SSC in the MAC gives freshness), ISO/IEC 9797-1 MAC
 *    algorithm 3 with padding method 2 ("retail MAC"), 8-byte SSC;
 *  - AES-128/192/256: AES-CBC with IV = E(KSenc, SSC), AES-CMAC truncated
 *    to 8 bytes, 16-byte SSC.
 * The SSC is a big-endian integer incremented before every command and
 * before every response, on both sides.
 *
 * A TpSm is one session. Any failure to unprotect (bad MAC, missing or
 * malformed data object, a transport error in between) ends the session:
 * every later call fails with TP_CHIP_ERROR_SM_FAILURE and access control
 * has to run again. After a transport error the two SSCs may be out of
 * step, so there is no resuming a session either.
 */
#pragma once

#include <glib.h>

#include "tp-apdu.h"

G_BEGIN_DECLS

typedef enum {
  TP_SM_CIPHER_3DES,
  TP_SM_CIPHER_AES_128,
  TP_SM_CIPHER_AES_192,
  TP_SM_CIPHER_AES_256,
} TpSmCipher;

/* Key derivation counters, ICAO 9303-11 §9.7.1 */
#define TP_SM_KDF_ENC   1
#define TP_SM_KDF_MAC   2
#define TP_SM_KDF_PACE  3

#define TP_SM_MAC_LENGTH      8
#define TP_SM_MAX_KEY_LENGTH  32
#define TP_SM_MAX_BLOCK_SIZE  16

/* Randomness source: fills @buf with @len bytes, returns FALSE on failure.
 * NULL everywhere means OpenSSL's RAND_bytes(); tests inject fixed bytes
 * to replay the ICAO worked examples. */
typedef gboolean (*TpRandomFunc) (gpointer  user_data,
                                  guint8   *buf,
                                  gsize     len);

gboolean     tp_random_bytes              (TpRandomFunc        func,
                                           gpointer            user_data,
                                           guint8             *buf,
                                           gsize               len,
                                           GError            **error);

/* "3DES", "AES-128", "AES-192", "AES-256" */
const char  *tp_sm_cipher_to_string       (TpSmCipher          cipher);
/* 16, 16, 24, 32 */
gsize        tp_sm_cipher_key_length      (TpSmCipher          cipher);
/* 8 or 16: also the SSC length */
gsize        tp_sm_cipher_block_size      (TpSmCipher          cipher);

/* ICAO 9303-11 §9.7.1: keydata = H(secret || counter), SHA-1 for 3DES and
 * AES-128, SHA-256 for AES-192/256, cut to the key length; 3DES keys get
 * odd DES parity. @key receives tp_sm_cipher_key_length() bytes. */
gboolean     tp_sm_kdf                    (TpSmCipher          cipher,
                                           const guint8       *secret,
                                           gsize               secret_len,
                                           guint32             counter,
                                           guint8             *key,
                                           GError            **error);

/* Sets the low bit of every byte so each byte has odd parity. */
void         tp_des_set_odd_parity        (guint8             *key,
                                           gsize               len);

/* ISO/IEC 9797-1 padding method 2: append 80 then 00 up to a multiple
 * of @block. */
void         tp_sm_pad                    (GByteArray         *buf,
                                           gsize               block);
/* Length without the padding; FALSE if the padding is not there. */
gboolean     tp_sm_unpad                  (const guint8       *data,
                                           gsize               len,
                                           gsize              *unpadded_len);

/* Block cipher in CBC mode without padding (@len a multiple of the block
 * size). @iv NULL means a zero IV. @out may equal @in. */
gboolean     tp_sm_encrypt                (TpSmCipher          cipher,
                                           const guint8       *key,
                                           const guint8       *iv,
                                           const guint8       *in,
                                           gsize               len,
                                           guint8             *out,
                                           GError            **error);
gboolean     tp_sm_decrypt                (TpSmCipher          cipher,
                                           const guint8       *key,
                                           const guint8       *iv,
                                           const guint8       *in,
                                           gsize               len,
                                           guint8             *out,
                                           GError            **error);

/* The 8-byte MAC of @data (padded here with method 2): retail MAC for
 * 3DES, CMAC truncated to 8 bytes for AES. */
gboolean     tp_sm_mac                    (TpSmCipher          cipher,
                                           const guint8       *key,
                                           const guint8       *data,
                                           gsize               len,
                                           guint8             *mac,
                                           GError            **error);

typedef struct _TpSm TpSm;

/* A session from its keys (tp_sm_cipher_key_length() bytes each) and the
 * initial SSC (tp_sm_cipher_block_size() bytes; NULL for all zeros, as
 * after PACE and chip authentication). */
TpSm        *tp_sm_new                    (TpSmCipher          cipher,
                                           const guint8       *ks_enc,
                                           const guint8       *ks_mac,
                                           const guint8       *ssc);
/* KSenc = KDF(secret, 1), KSmac = KDF(secret, 2), SSC = 0. */
TpSm        *tp_sm_new_from_secret        (TpSmCipher          cipher,
                                           const guint8       *secret,
                                           gsize               secret_len,
                                           GError            **error);
void         tp_sm_free                   (TpSm               *sm);

TpSmCipher   tp_sm_get_cipher             (const TpSm         *sm);
const guint8*tp_sm_get_enc_key            (const TpSm         *sm);
const guint8*tp_sm_get_mac_key            (const TpSm         *sm);
/* Copies tp_sm_cipher_block_size() bytes. */
void         tp_sm_get_ssc                (const TpSm         *sm,
                                           guint8             *ssc);
void         tp_sm_set_ssc                (TpSm               *sm,
                                           const guint8       *ssc);
/* FALSE once the session has ended after an error. */
gboolean     tp_sm_is_usable              (const TpSm         *sm);
/* How many responses (terminal side) or commands (chip side) carried a
 * MAC that verified with these keys. After chip authentication a
 * non-zero count proves the chip knows the private key. */
guint        tp_sm_get_verified_count     (const TpSm         *sm);
/* Whether the last unprotected response carried a valid MAC. FALSE after
 * a plain error status (e.g. 6A82 sent without secure messaging, which
 * tp_sm_unprotect_response() passes on): such a status is the chip's
 * word, not proof. */
gboolean     tp_sm_last_response_authenticated (const TpSm    *sm);
/* Whether the last unprotected response's plain status word differed
 * from the status in its MAC-verified DO'99' (which is the one
 * tp_sm_unprotect_response() returned); both are given back. */
gboolean     tp_sm_last_response_status_differs (const TpSm   *sm,
                                                 guint16      *plain_sw,
                                                 guint16      *protected_sw);

/* Terminal side: the protected C-APDU for @apdu (CLA | 0C, DO'87' with
 * padding indicator 01 or DO'85' for odd INS, DO'97' with Le, DO'8E',
 * and Le '00' or extended '0000'). */
GByteArray  *tp_sm_protect_command        (TpSm               *sm,
                                           const TpApdu       *apdu,
                                           GError            **error);

/* Terminal side: checks the MAC before anything else, then requires
 * DO'99', decrypts DO'87'/DO'85' into @data (replacing its contents; may
 * be NULL) and returns the protected status word in @sw: the one in
 * DO'99', which the MAC covers, even when the plain status word after it
 * says something else (see tp_sm_last_response_status_differs()). A two-byte answer with a warning or error status
 * other than 6987/6988 (6A82, 6282, 6700...) is passed on unauthenticated
 * (see tp_sm_last_response_authenticated()): some chips answer errors
 * without secure messaging. 9000 or 61xx without a MAC, 6987 and 6988 end
 * the session with TP_CHIP_ERROR_SM_FAILURE. */
gboolean     tp_sm_unprotect_response     (TpSm               *sm,
                                           const guint8       *rapdu,
                                           gsize               rapdu_len,
                                           GByteArray         *data,
                                           guint16            *sw,
                                           GError            **error);

/* Terminal side: one exchange. With @sm NULL the command goes plain
 * (tp_apdu_transmit()); otherwise protect, transmit (following 61xx) and
 * unprotect. A status word other than 9000 is not an error here. */
gboolean     tp_sm_transmit               (TpSm               *sm,
                                           TpApduTransmitFunc  transmit,
                                           gpointer            user_data,
                                           const TpApdu       *apdu,
                                           GByteArray         *data,
                                           guint16            *sw,
                                           GError            **error);

/* Chip side: verifies and decrypts a protected C-APDU. Returns the plain
 * command (CLA without the SM bits; Le from DO'97'), or NULL with @sw set
 * to the status word to answer without secure messaging (6987 when SM
 * objects are missing or CLA lacks the SM bits, 6988 when they are
 * wrong); the session has then ended. */
TpApdu      *tp_sm_unprotect_command      (TpSm               *sm,
                                           const guint8       *capdu,
                                           gsize               capdu_len,
                                           guint16            *sw,
                                           GError            **error);

/* Chip side: the protected R-APDU (DO'87' or DO'85' as the command's
 * INS asks, DO'99', DO'8E', status word) for @data and @sw. */
GByteArray  *tp_sm_protect_response       (TpSm               *sm,
                                           const guint8       *data,
                                           gsize               data_len,
                                           guint16             sw,
                                           GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpSm, tp_sm_free)

G_END_DECLS
