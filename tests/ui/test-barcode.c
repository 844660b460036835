/* test-barcode.c: boarding passes read from images by zbar and zxing-cpp
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "tp-barcode.h"
#include "tp-zxing-shim.h"

#define PASS "M1DESMARAIS/LUC       EABC123 YULFRAAC 0834 326J001A0025 100"

/* Draws @text as @format, in the middle of a larger grey frame with a
 * wider stride, as a camera would hand it over. */
static guint8 *
frame_with (unsigned    format,
            const char *text,
            int        *width,
            int        *height,
            int        *stride)
{
  unsigned char *code = NULL;
  int cw, ch;
  guint8 *frame;

  g_assert_cmpint (tp_zxing_encode (format, text, 400, 200, &code, &cw, &ch), ==, 0);
  *width = cw + 120;
  *height = ch + 80;
  *stride = *width + 16;
  frame = g_malloc ((gsize) *stride * *height);
  memset (frame, 230, (gsize) *stride * *height);
  for (int y = 0; y < ch; y++)
    memcpy (frame + (gsize) (y + 40) * *stride + 60, code + (gsize) y * cw, cw);
  free (code);
  return frame;
}

static void
test_formats (void)
{
  static const struct {
    unsigned        zxing;
    TpBarcodeFormat format;
    const char     *decoder;
  } cases[] = {
    { TP_ZXING_PDF417, TP_BARCODE_PDF417, "zxing" },
    { TP_ZXING_AZTEC, TP_BARCODE_AZTEC, "zxing" },
    { TP_ZXING_DATA_MATRIX, TP_BARCODE_DATA_MATRIX, "zxing" },
    { TP_ZXING_QR_CODE, TP_BARCODE_QR_CODE, "zbar" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      int width, height, stride;
      g_autofree guint8 *frame = frame_with (cases[i].zxing, PASS, &width, &height, &stride);
      g_autoptr(TpBarcode) barcode = tp_barcode_decode (frame, width, height, stride);

      g_test_message ("%s", tp_barcode_format_to_string (cases[i].format));
      g_assert_nonnull (barcode);
      g_assert_cmpstr (barcode->text, ==, PASS);
      g_assert_cmpint (barcode->format, ==, cases[i].format);
      g_assert_cmpstr (barcode->decoder, ==, cases[i].decoder);
    }
}

static void
test_linear (void)
{
  int width, height, stride;
  g_autofree guint8 *frame = frame_with (TP_ZXING_CODE128, "0042ABC", &width, &height, &stride);
  g_autoptr(TpBarcode) barcode = tp_barcode_decode (frame, width, height, stride);

  g_assert_nonnull (barcode);
  g_assert_cmpstr (barcode->text, ==, "0042ABC");
  g_assert_cmpint (barcode->format, ==, TP_BARCODE_LINEAR);
  g_assert_cmpstr (barcode->decoder, ==, "zbar");
}

static void
test_nothing (void)
{
  const int width = 320, height = 240;
  g_autofree guint8 *frame = g_malloc ((gsize) width * height);
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  g_autoptr(TpBarcode) barcode = NULL;

  for (int i = 0; i < width * height; i++)
    frame[i] = (guint8) g_rand_int_range (rand, 0, 256);
  barcode = tp_barcode_decode (frame, width, height, width);
  g_assert_null (barcode);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/barcode/formats", test_formats);
  g_test_add_func ("/barcode/linear", test_linear);
  g_test_add_func ("/barcode/nothing", test_nothing);

  return g_test_run ();
}
