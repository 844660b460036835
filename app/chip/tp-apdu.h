/* tp-apdu.h: ISO/IEC 7816-4 command and response APDUs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A TpApdu is a command before encoding: header, data and the expected
 * response length Le. Encoding picks the short form when everything fits
 * (Lc <= 255, Le <= 256) and the extended form otherwise or on request.
 * Le is a count of bytes: 0 means "no Le field", 256 is encoded as the
 * short '00' and 65536 as the extended '0000' ("as much as there is").
 *
 * TpApduTransmitFunc is the seam between the protocols and the transports
 * (libnfc, PC/SC, the in-process software chip): it sends one encoded
 * C-APDU and appends the whole R-APDU (data followed by SW1 SW2) to
 * @rapdu. Transports report their own failures with
 * TP_CHIP_ERROR_COMMUNICATION.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TP_APDU_LE_NONE          0
#define TP_APDU_LE_MAX_SHORT     256
#define TP_APDU_LE_MAX_EXTENDED  65536
#define TP_APDU_MAX_LC_EXTENDED  65535

/* Status words used by the protocols (ISO/IEC 7816-4, ICAO 9303-11) */
#define TP_SW_OK                      0x9000
#define TP_SW_END_OF_FILE             0x6282
#define TP_SW_AUTHENTICATION_FAILED   0x6300
#define TP_SW_WRONG_LENGTH            0x6700
#define TP_SW_SECURITY_NOT_SATISFIED  0x6982
#define TP_SW_AUTH_METHOD_BLOCKED     0x6983
#define TP_SW_CONDITIONS_NOT_SATISFIED 0x6985
#define TP_SW_SM_OBJECTS_MISSING      0x6987
#define TP_SW_SM_OBJECTS_INCORRECT    0x6988
#define TP_SW_WRONG_DATA              0x6A80
#define TP_SW_FILE_NOT_FOUND          0x6A82
#define TP_SW_WRONG_P1P2              0x6A86
#define TP_SW_REFERENCED_DATA_NOT_FOUND 0x6A88
#define TP_SW_WRONG_OFFSET            0x6B00
#define TP_SW_INS_NOT_SUPPORTED       0x6D00
#define TP_SW_CLA_NOT_SUPPORTED       0x6E00
#define TP_SW_UNKNOWN                 0x6F00

#define TP_SW1(sw)            ((guint8) (((sw) >> 8) & 0xFF))
#define TP_SW2(sw)            ((guint8) ((sw) & 0xFF))
/* 9000, or 61xx (more data to fetch with GET RESPONSE) */
#define TP_SW_IS_SUCCESS(sw)  ((sw) == TP_SW_OK || TP_SW1 (sw) == 0x61)

typedef struct {
  guint8      cla;
  guint8      ins;
  guint8      p1;
  guint8      p2;
  GByteArray *data;       /* never NULL; empty = no Lc field */
  guint32     le;         /* 0 = no Le; 1..65536 */
  gboolean    extended;   /* force extended length encoding */
} TpApdu;

typedef gboolean (*TpApduTransmitFunc) (gpointer       user_data,
                                        const guint8  *capdu,
                                        gsize          capdu_len,
                                        GByteArray    *rapdu,
                                        GError       **error);

TpApdu      *tp_apdu_new            (guint8               cla,
                                     guint8               ins,
                                     guint8               p1,
                                     guint8               p2,
                                     const guint8        *data,
                                     gsize                data_len,
                                     guint32              le);
TpApdu      *tp_apdu_copy           (const TpApdu        *apdu);
void         tp_apdu_free           (TpApdu              *apdu);

/* TRUE if tp_apdu_encode() will use extended length fields. */
gboolean     tp_apdu_is_extended    (const TpApdu        *apdu);

/* The encoded C-APDU (ISO/IEC 7816-3 cases 1, 2S/E, 3S/E, 4S/E).
 * Fails with TP_CHIP_ERROR_INVALID_ARGUMENT on more than 65535 data bytes
 * or Le above 65536. */
GByteArray  *tp_apdu_encode         (const TpApdu        *apdu,
                                     GError             **error);

/* Chip side: decodes a C-APDU. Le '00' gives 256 (short) or 65536
 * (extended); @extended is set when the extended form was used.
 * Fails with TP_CHIP_ERROR_PROTOCOL on lengths that do not add up (the
 * chip answers 6700). */
TpApdu      *tp_apdu_parse          (const guint8        *capdu,
                                     gsize                len,
                                     GError             **error);

/* Splits an R-APDU: *data_len bytes of data, then the status word.
 * Fails with TP_CHIP_ERROR_PROTOCOL when shorter than two bytes. */
gboolean     tp_rapdu_split         (const guint8        *rapdu,
                                     gsize                len,
                                     gsize               *data_len,
                                     guint16             *sw,
                                     GError             **error);

/* Chip side: appends SW1 SW2 to a response. */
void         tp_rapdu_append_sw     (GByteArray          *rapdu,
                                     guint16              sw);

/* Sends an encoded C-APDU and returns the whole R-APDU in @rapdu
 * (replacing its contents). Follows 61xx answers with unprotected GET
 * RESPONSE commands (ISO/IEC 7816-4 5.3.4) and joins the pieces, so the
 * result is what the chip meant to answer; checks that the answer holds
 * at least a status word. */
gboolean     tp_apdu_transmit_raw   (TpApduTransmitFunc   transmit,
                                     gpointer             user_data,
                                     const guint8        *capdu,
                                     gsize                capdu_len,
                                     GByteArray          *rapdu,
                                     GError             **error);

/* Plain (unprotected) exchange: encodes @apdu, sends it, and returns the
 * response data in @data (replacing its contents; may be NULL) and the
 * status word in @sw. A status word other than 9000 is not an error
 * here: the caller decides. */
gboolean     tp_apdu_transmit       (TpApduTransmitFunc   transmit,
                                     gpointer             user_data,
                                     const TpApdu        *apdu,
                                     GByteArray          *data,
                                     guint16             *sw,
                                     GError             **error);


G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpApdu, tp_apdu_free)

G_END_DECLS
