/* tp-zxing-shim.h: zxing-cpp 1.4 (C++ only) behind a small C interface
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * zbar reads QR and linear codes but neither PDF417 (printed boarding
 * passes) nor Aztec (mobile ones); zxing-cpp reads both, and its C API
 * only came in 2.x. These two functions are all the C side needs. They
 * never throw: a C++ exception becomes a return value of -1.
 */
#pragma once

#ifdef __cplusplus
extern "C" {
#endif

/* Formats, as bits (the values ZXing::BarcodeFormat uses). */
#define TP_ZXING_AZTEC        (1u << 0)
#define TP_ZXING_CODE128      (1u << 4)
#define TP_ZXING_DATA_MATRIX  (1u << 7)
#define TP_ZXING_PDF417       (1u << 12)
#define TP_ZXING_QR_CODE      (1u << 13)

/* Looks for one barcode of @formats in an 8-bit grey image. Returns 1 and
 * sets *@text (UTF-8, free() it) and *@format when one is read, 0 when
 * none is, -1 on an internal failure. */
int tp_zxing_decode (const unsigned char  *grey,
                     int                   width,
                     int                   height,
                     int                   stride,
                     unsigned              formats,
                     char                **text,
                     unsigned             *format);

/* Draws @text as a barcode of @format (one bit) in an 8-bit grey image of
 * at least @width × @height pixels, black on white with a quiet zone:
 * *@grey (free() it), *@out_width, *@out_height. Returns 0, or -1 when
 * the text cannot be encoded. For tests and the demo's simulated camera. */
int tp_zxing_encode (unsigned              format,
                     const char           *text,
                     int                   width,
                     int                   height,
                     unsigned char       **grey,
                     int                  *out_width,
                     int                  *out_height);

#ifdef __cplusplus
}
#endif
