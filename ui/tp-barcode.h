/* tp-barcode.h: boarding-pass barcodes in a camera frame
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Two decoders, each for what it reads: zbar for QR and linear codes,
 * zxing-cpp (tp-zxing-shim.h) for PDF417 (printed boarding passes), Aztec
 * and Data Matrix (mobile ones), which zbar cannot read. No GTK: frames
 * are 8-bit grey images, decoded on whatever thread calls.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  TP_BARCODE_NONE,
  TP_BARCODE_QR_CODE,
  TP_BARCODE_PDF417,
  TP_BARCODE_AZTEC,
  TP_BARCODE_DATA_MATRIX,
  TP_BARCODE_LINEAR,
} TpBarcodeFormat;

typedef struct {
  TpBarcodeFormat  format;
  char            *text;
  const char      *decoder;   /* "zbar" or "zxing" */
} TpBarcode;

void        tp_barcode_free            (TpBarcode       *barcode);

/* The first barcode found in a grey image (@stride bytes per row), or
 * NULL when there is none. */
TpBarcode  *tp_barcode_decode          (const guint8    *grey,
                                        int              width,
                                        int              height,
                                        int              stride);

/* "QR Code", "PDF417", "Aztec", "Data Matrix", "linear" */
const char *tp_barcode_format_to_string (TpBarcodeFormat format);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpBarcode, tp_barcode_free)

G_END_DECLS
