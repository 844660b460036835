/* tp-active-auth.h: active authentication (ICAO Doc 9303 Part 11 §6.1)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The terminal sends INTERNAL AUTHENTICATE with an 8-byte random
 * challenge; the chip signs it with the private key whose public half is
 * in DG15:
 *  - RSA: ISO/IEC 9796-2 digital signature scheme 1 with partial message
 *    recovery, F = '6A' || M1 || H(M1 || challenge) || trailer, the
 *    trailer 'BC' for SHA-1 or two bytes (hash identifier, 'CC'):
 *    33 SHA-1, 38 SHA-224, 34 SHA-256, 36 SHA-384, 35 SHA-512;
 *  - ECDSA: a plain signature r || s (BSI TR-03111) over the challenge,
 *    the hash named by DG14's ActiveAuthenticationInfo.
 * Digests are named as OpenSSL names them: "SHA1", "SHA224", "SHA256",
 * "SHA384", "SHA512".
 */
#pragma once

#include <glib.h>
#include <openssl/evp.h>

#include "tp-apdu.h"
#include "tp-sm.h"

G_BEGIN_DECLS

#define TP_ACTIVE_AUTH_CHALLENGE_LENGTH 8

/* The public key of DG15 ('6F' wrapping a SubjectPublicKeyInfo; a bare
 * SubjectPublicKeyInfo is taken too). RSA or EC; anything else fails with
 * TP_CHIP_ERROR_UNSUPPORTED, garbage with TP_CHIP_ERROR_PROTOCOL. */
EVP_PKEY    *tp_active_auth_parse_dg15    (const guint8        *data,
                                           gsize                len,
                                           GError             **error);
/* DG15 content for @key ('6F' wrapping its SubjectPublicKeyInfo). */
GBytes      *tp_active_auth_encode_dg15   (EVP_PKEY            *key,
                                           GError             **error);

/* The digest of an ActiveAuthenticationInfo signatureAlgorithm OID
 * (ecdsa-plain-SHA* of BSI TR-03111, ecdsa-with-SHA* of ANSI X9.62);
 * NULL when unknown. */
const char  *tp_active_auth_digest_for_oid (const char         *oid);

/* Verifies a signature on @challenge. @digest: for ECDSA the digest of
 * ActiveAuthenticationInfo, or NULL to try the one that fits the key size
 * first and then the others; ignored for RSA (the trailer names it).
 * Returns FALSE with TP_CHIP_ERROR_AUTHENTICATION when the signature is
 * wrong. */
gboolean     tp_active_auth_verify        (EVP_PKEY            *key,
                                           const char          *digest,
                                           const guint8        *challenge,
                                           gsize                challenge_len,
                                           const guint8        *signature,
                                           gsize                signature_len,
                                           GError             **error);

/* Terminal side: INTERNAL AUTHENTICATE under @sm (NULL: plain) with a
 * challenge from @random (NULL: RAND_bytes), then tp_active_auth_verify().
 * A signature longer than a short response holds is asked for with an
 * extended Le when @extended (chip and reader take them), else with a
 * short one, which the chip answers in pieces (61xx, fetched with GET
 * RESPONSE by tp_apdu_transmit_raw()). A chip that returns it neither way
 * (6700) gives TP_CHIP_ERROR_UNSUPPORTED; one that refuses otherwise,
 * TP_CHIP_ERROR_STATUS. */
gboolean     tp_active_auth_authenticate  (TpApduTransmitFunc   transmit,
                                           gpointer             user_data,
                                           TpSm                *sm,
                                           gboolean             extended,
                                           EVP_PKEY            *key,
                                           const char          *digest,
                                           TpRandomFunc         random,
                                           gpointer             random_data,
                                           GError             **error);

/* Chip side: the signature of @challenge with @private_key (RSA or EC).
 * @digest NULL means SHA-1 with trailer 'BC' for RSA (the form most
 * passports use) and SHA-256 for ECDSA. @random (NULL: RAND_bytes) fills
 * M1 for RSA. */
GBytes      *tp_active_auth_sign          (EVP_PKEY            *private_key,
                                           const char          *digest,
                                           const guint8        *challenge,
                                           gsize                challenge_len,
                                           TpRandomFunc         random,
                                           gpointer             random_data,
                                           GError             **error);

/* Chip side: answers INTERNAL AUTHENTICATE (INS 88): appends the
 * signature to @response and returns the status word (6700 for a
 * challenge that is not 8 bytes). */
guint16      tp_active_auth_chip_process  (EVP_PKEY            *private_key,
                                           const char          *digest,
                                           const TpApdu        *command,
                                           GByteArray          *response);

G_END_DECLS
