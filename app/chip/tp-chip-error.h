/* tp-chip-error.h: errors of the eMRTD protocols
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TP_CHIP_ERROR (tp_chip_error_quark ())

/**
 * TpChipError:
 * @TP_CHIP_ERROR_ACCESS_DENIED: the chip refused the access keys (wrong
 *   MRZ data or CAN)
 * @TP_CHIP_ERROR_SM_FAILURE: secure messaging broke: a response MAC did not
 *   verify, a required data object was missing, or the chip ended the
 *   session (`6987`, `6988`); the session cannot be used any more
 * @TP_CHIP_ERROR_PROTOCOL: the chip answered something malformed (garbage,
 *   wrong lengths, a cryptogram that does not match the challenge)
 * @TP_CHIP_ERROR_STATUS: the chip answered a status word the step does not
 *   accept; the message names the status word
 * @TP_CHIP_ERROR_UNSUPPORTED: a protocol, algorithm or parameter set this
 *   code does not implement
 * @TP_CHIP_ERROR_COMMUNICATION: the transport failed (no card, card
 *   removed, reader error); transports report this code
 * @TP_CHIP_ERROR_AUTHENTICATION: chip authentication or active
 *   authentication failed: the chip could not prove it holds the key of
 *   the document (a clone, or a tampered chip)
 * @TP_CHIP_ERROR_CRYPTO: the cryptographic library failed on input that
 *   is not the chip's fault (out of memory, missing algorithm)
 * @TP_CHIP_ERROR_INVALID_ARGUMENT: the caller passed a bad value (an MRZ
 *   field with the wrong characters, a key of the wrong size)
 */
typedef enum {
  TP_CHIP_ERROR_ACCESS_DENIED,
  TP_CHIP_ERROR_SM_FAILURE,
  TP_CHIP_ERROR_PROTOCOL,
  TP_CHIP_ERROR_STATUS,
  TP_CHIP_ERROR_UNSUPPORTED,
  TP_CHIP_ERROR_COMMUNICATION,
  TP_CHIP_ERROR_AUTHENTICATION,
  TP_CHIP_ERROR_CRYPTO,
  TP_CHIP_ERROR_INVALID_ARGUMENT,
} TpChipError;

GQuark       tp_chip_error_quark          (void);

/* Sets TP_CHIP_ERROR_STATUS: "<what>: the chip answered 6A82 (file or
 * application not found)". */
void         tp_chip_set_status_error     (GError     **error,
                                           guint16      sw,
                                           const char  *format,
                                           ...) G_GNUC_PRINTF (3, 4);

/* The innermost reason OpenSSL gives for its last failure ("bad
 * signature"), or "no detail from OpenSSL"; clears OpenSSL's error
 * queue. Every message that quotes OpenSSL takes it from here. */
char        *tp_chip_openssl_reason       (void);

/* Sets TP_CHIP_ERROR_CRYPTO with @what and tp_chip_openssl_reason(). */
void         tp_chip_set_crypto_error     (GError     **error,
                                           const char  *what);

/* A short English description of an ISO/IEC 7816-4 status word
 * ("file or application not found"); never NULL. */
const char  *tp_chip_sw_describe          (guint16      sw);

G_END_DECLS
