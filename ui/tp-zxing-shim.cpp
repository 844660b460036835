/* tp-zxing-shim.cpp: zxing-cpp behind a C interface
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define ZX_USE_UTF8 1

#include <cstdlib>
#include <cstring>
#include <string>

#include <ZXing/BitMatrix.h>
#include <ZXing/MultiFormatWriter.h>
#include <ZXing/ReadBarcode.h>

#include "tp-zxing-shim.h"

static char *
dup_string (const std::string &s)
{
  char *copy = static_cast<char *> (std::malloc (s.size () + 1));

  if (copy != nullptr)
    std::memcpy (copy, s.c_str (), s.size () + 1);
  return copy;
}

extern "C" int
tp_zxing_decode (const unsigned char  *grey,
                 int                   width,
                 int                   height,
                 int                   stride,
                 unsigned              formats,
                 char                **text,
                 unsigned             *format)
{
  try
    {
      ZXing::ImageView image (grey, width, height, ZXing::ImageFormat::Lum, stride);
      ZXing::DecodeHints hints;

      hints.setFormats (ZXing::BarcodeFormats (static_cast<ZXing::BarcodeFormat> (formats)));
      hints.setTryHarder (true);
      hints.setTryRotate (true);
      ZXing::Result result = ZXing::ReadBarcode (image, hints);
      if (!result.isValid ())
        return 0;
      *text = dup_string (result.text ());
      if (*text == nullptr)
        return -1;
      *format = static_cast<unsigned> (result.format ());
      return 1;
    }
  catch (...)
    {
      return -1;
    }
}

extern "C" int
tp_zxing_encode (unsigned              format,
                 const char           *text,
                 int                   width,
                 int                   height,
                 unsigned char       **grey,
                 int                  *out_width,
                 int                  *out_height)
{
  try
    {
      ZXing::MultiFormatWriter writer (static_cast<ZXing::BarcodeFormat> (format));
      writer.setMargin (10);
      ZXing::BitMatrix bits = writer.encode (std::string (text), width, height);
      int w = bits.width ();
      int h = bits.height ();
      unsigned char *pixels = static_cast<unsigned char *> (std::malloc (static_cast<size_t> (w) * h));

      if (pixels == nullptr)
        return -1;
      for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
          pixels[static_cast<size_t> (y) * w + x] = bits.get (x, y) ? 0 : 255;
      *grey = pixels;
      *out_width = w;
      *out_height = h;
      return 0;
    }
  catch (...)
    {
      return -1;
    }
}
