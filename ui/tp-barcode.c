/* tp-barcode.c: zbar for QR and linear codes, zxing-cpp for the rest
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <zbar.h>

#include "tp-barcode.h"
#include "tp-zxing-shim.h"

void
tp_barcode_free (TpBarcode *barcode)
{
  if (barcode == NULL)
    return;
  g_free (barcode->text);
  g_free (barcode);
}

const char *
tp_barcode_format_to_string (TpBarcodeFormat format)
{
  switch (format)
    {
    case TP_BARCODE_QR_CODE:
      return "QR Code";
    case TP_BARCODE_PDF417:
      return "PDF417";
    case TP_BARCODE_AZTEC:
      return "Aztec";
    case TP_BARCODE_DATA_MATRIX:
      return "Data Matrix";
    case TP_BARCODE_LINEAR:
      return "linear";
    case TP_BARCODE_NONE:
    default:
      return "none";
    }
}

static TpBarcode *
decode_zbar (const guint8 *grey,
             int           width,
             int           height,
             int           stride)
{
  zbar_image_scanner_t *scanner = zbar_image_scanner_create ();
  zbar_image_t *image = zbar_image_create ();
  g_autofree guint8 *copy = NULL;
  const zbar_symbol_t *symbol;
  TpBarcode *barcode = NULL;

  /* QR and the linear codes; zbar's PDF417 decoder is incomplete */
  zbar_image_scanner_set_config (scanner, ZBAR_NONE, ZBAR_CFG_ENABLE, 0);
  zbar_image_scanner_set_config (scanner, ZBAR_QRCODE, ZBAR_CFG_ENABLE, 1);
  zbar_image_scanner_set_config (scanner, ZBAR_CODE128, ZBAR_CFG_ENABLE, 1);
  zbar_image_scanner_set_config (scanner, ZBAR_CODE39, ZBAR_CFG_ENABLE, 1);
  zbar_image_scanner_set_config (scanner, ZBAR_I25, ZBAR_CFG_ENABLE, 1);

  /* zbar wants rows back to back */
  copy = g_malloc ((gsize) width * height);
  for (int y = 0; y < height; y++)
    memcpy (copy + (gsize) y * width, grey + (gsize) y * stride, width);
  zbar_image_set_format (image, zbar_fourcc ('Y', '8', '0', '0'));
  zbar_image_set_size (image, width, height);
  zbar_image_set_data (image, copy, (unsigned long) width * height, NULL);

  if (zbar_scan_image (scanner, image) > 0)
    {
      symbol = zbar_image_first_symbol (image);
      if (symbol != NULL)
        {
          barcode = g_new0 (TpBarcode, 1);
          barcode->format = zbar_symbol_get_type (symbol) == ZBAR_QRCODE ? TP_BARCODE_QR_CODE
                                                                         : TP_BARCODE_LINEAR;
          barcode->text = g_strndup (zbar_symbol_get_data (symbol), zbar_symbol_get_data_length (symbol));
          barcode->decoder = "zbar";
        }
    }
  zbar_image_destroy (image);
  zbar_image_scanner_destroy (scanner);
  return barcode;
}

static TpBarcode *
decode_zxing (const guint8 *grey,
              int           width,
              int           height,
              int           stride)
{
  char *text = NULL;
  unsigned format = 0;
  TpBarcode *barcode;

  if (tp_zxing_decode (grey, width, height, stride,
                       TP_ZXING_PDF417 | TP_ZXING_AZTEC | TP_ZXING_DATA_MATRIX, &text, &format) != 1)
    return NULL;
  barcode = g_new0 (TpBarcode, 1);
  barcode->text = g_strdup (text);
  free (text);
  barcode->decoder = "zxing";
  barcode->format = format == TP_ZXING_PDF417 ? TP_BARCODE_PDF417 :
                    format == TP_ZXING_AZTEC ? TP_BARCODE_AZTEC : TP_BARCODE_DATA_MATRIX;
  return barcode;
}

TpBarcode *
tp_barcode_decode (const guint8 *grey,
                   int           width,
                   int           height,
                   int           stride)
{
  TpBarcode *barcode;

  g_return_val_if_fail (grey != NULL, NULL);
  g_return_val_if_fail (width > 0 && height > 0 && stride >= width, NULL);

  barcode = decode_zbar (grey, width, height, stride);
  if (barcode == NULL)
    barcode = decode_zxing (grey, width, height, stride);
  return barcode;
}
