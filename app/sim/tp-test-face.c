/* tp-test-face.c: a synthetic face, and the baseline JPEG encoder for it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "tp-error.h"
#include "tp-test-face.h"

/* ---- synthetic face ----------------------------------------------------- */

static double
ellipse (double x,
         double y,
         double cx,
         double cy,
         double rx,
         double ry)
{
  double dx = (x - cx) / rx, dy = (y - cy) / ry;

  return dx * dx + dy * dy;
}

static guint8
clamp_u8 (double v)
{
  return (guint8) CLAMP (lround (v), 0, 255);
}

guint8 *
tp_test_face_pixels (guint width,
                     guint height)
{
  guint8 *px = g_malloc ((gsize) width * height * 3);

  for (guint y = 0; y < height; y++)
    for (guint x = 0; x < width; x++)
      {
        double nx = (x - width / 2.0) / (width / 2.0);
        double ny = (y - height / 2.0) / (height / 2.0);
        double r, g, b, d;
        guint32 h = (x * 73856093u) ^ (y * 19349663u);
        double noise = ((h >> 8) % 9) - 4.0;
        guint8 *p = px + ((gsize) y * width + x) * 3;

        /* background: a soft vertical gradient */
        r = 196 - 30 * ny;
        g = 206 - 24 * ny;
        b = 222 - 10 * ny;

        /* shoulders and neck */
        if (ellipse (nx, ny, 0, 1.30, 1.05, 0.62) < 1)
          {
            r = 48; g = 58; b = 86;
            r += 20 * (1 - ny);
          }
        else if (fabs (nx) < 0.19 && ny > 0.30 && ny < 0.80)
          {
            r = 196; g = 150; b = 120;
          }

        /* head, hair above and around it */
        d = ellipse (nx, ny, 0, -0.08, 0.52, 0.60);
        if (ellipse (nx, ny, 0, -0.22, 0.58, 0.58) < 1 && ny < -0.40 + 0.08 * cos (nx * 4))
          {
            r = 46; g = 34; b = 26;
          }
        else if (d < 1)
          {
            double shade = 1 - 0.28 * d;

            r = 228 * shade; g = 184 * shade; b = 152 * shade;

            /* eyebrows, eyes, nose, mouth */
            for (int side = -1; side <= 1; side += 2)
              {
                double ex = side * 0.20;

                if (fabs (ny + 0.24 + 0.03 * cos ((nx - ex) * 12)) < 0.012 && fabs (nx - ex) < 0.12)
                  {
                    r = 60; g = 44; b = 34;
                  }
                if (ellipse (nx, ny, ex, -0.14, 0.10, 0.040) < 1)
                  {
                    r = 240; g = 240; b = 236;
                    if (ellipse (nx, ny, ex, -0.14, 0.035, 0.026) < 1)
                      {
                        r = 70; g = 48; b = 30;
                      }
                  }
              }
            if (fabs (nx - 0.01) < 0.02 && ny > -0.10 && ny < 0.10)
              {
                r *= 0.90; g *= 0.88; b *= 0.88;
              }
            if (ellipse (nx, ny, 0, 0.10, 0.08, 0.03) < 1)
              {
                r *= 0.85; g *= 0.82; b *= 0.82;
              }
            if (ellipse (nx, ny, 0, 0.25, 0.15, 0.040) < 1)
              {
                r = 178; g = 86; b = 86;
              }
          }

        p[0] = clamp_u8 (r + noise);
        p[1] = clamp_u8 (g + noise);
        p[2] = clamp_u8 (b + noise);
      }
  return px;
}

/* ---- baseline JPEG (ISO/IEC 10918-1) ------------------------------------
 * YCbCr 4:4:4, one MCU = one 8×8 block per component, one DC and one AC
 * Huffman table for all components. The tables are fixed code lengths
 * chosen here (short codes for the common DC categories, for end-of-block
 * and for small run 0 coefficients, 9 bits for the rest) rather than the
 * example tables of Annex K: valid canonical tables (Kraft sum below 1, so
 * no all-ones code) that need no statistics. */

typedef struct {
  guint16 code[256];
  guint8  size[256];
  guint8  bits[17];      /* bits[n]: number of codes of n bits */
  guint8  values[256];   /* symbols by increasing code length */
  guint   n_values;
} HuffTable;

typedef struct {
  GByteArray *out;
  guint32     acc;
  guint       nbits;
} BitWriter;

static const guint8 luma_quant[64] = {
  16, 11, 10, 16, 24, 40, 51, 61,   12, 12, 14, 19, 26, 58, 60, 55,
  14, 13, 16, 24, 40, 57, 69, 56,   14, 17, 22, 29, 51, 87, 80, 62,
  18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92,
  49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
};

static const guint8 chroma_quant[64] = {
  17, 18, 24, 47, 99, 99, 99, 99,   18, 21, 26, 66, 99, 99, 99, 99,
  24, 26, 56, 99, 99, 99, 99, 99,   47, 66, 99, 99, 99, 99, 99, 99,
  99, 99, 99, 99, 99, 99, 99, 99,   99, 99, 99, 99, 99, 99, 99, 99,
  99, 99, 99, 99, 99, 99, 99, 99,   99, 99, 99, 99, 99, 99, 99, 99,
};

static void
bits_put (BitWriter *w,
          guint32    value,
          guint      n)
{
  for (guint i = n; i > 0; i--)
    {
      w->acc = (w->acc << 1) | ((value >> (i - 1)) & 1);
      if (++w->nbits == 8)
        {
          guint8 byte = (guint8) w->acc;

          g_byte_array_append (w->out, &byte, 1);
          if (byte == 0xFF)
            {
              guint8 zero = 0;

              g_byte_array_append (w->out, &zero, 1);
            }
          w->acc = 0;
          w->nbits = 0;
        }
    }
}

static void
bits_flush (BitWriter *w)
{
  while (w->nbits != 0)
    bits_put (w, 1, 1);
}

static void
huff_build (HuffTable    *t,
            const guint8  lengths[256])
{
  guint16 code = 0;

  memset (t, 0, sizeof *t);
  for (guint len = 1; len <= 16; len++)
    {
      for (guint sym = 0; sym < 256; sym++)
        if (lengths[sym] == len)
          {
            t->code[sym] = code++;
            t->size[sym] = (guint8) len;
            t->bits[len]++;
            t->values[t->n_values++] = (guint8) sym;
          }
      code <<= 1;
    }
}

static void
huff_put (BitWriter       *w,
          const HuffTable *t,
          guint            sym)
{
  g_assert (t->size[sym] > 0);
  bits_put (w, t->code[sym], t->size[sym]);
}

static void
put_dht (GByteArray      *out,
         guint8           class_id,
         const HuffTable *t)
{
  guint8 seg[1 + 16 + 256];

  seg[0] = class_id;
  memcpy (seg + 1, t->bits + 1, 16);
  memcpy (seg + 17, t->values, t->n_values);
  g_byte_array_append (out, seg, 17 + t->n_values);
}

static guint
bit_length (int v)
{
  guint n = 0;

  v = ABS (v);
  while (v > 0)
    {
      n++;
      v >>= 1;
    }
  return n;
}

static void
put_segment (GByteArray   *out,
             guint8        marker,
             const guint8 *data,
             gsize         len)
{
  guint8 head[4] = { 0xFF, marker, (guint8) ((len + 2) >> 8), (guint8) (len + 2) };

  g_byte_array_append (out, head, 4);
  g_byte_array_append (out, data, (guint) len);
}

GBytes *
tp_test_encode_jpeg (const guint8 *rgb,
                     guint         width,
                     guint         height,
                     guint         quality)
{
  GByteArray *out = g_byte_array_new ();
  BitWriter w = { out, 0, 0 };
  guint8 zigzag[64];
  guint8 quant[2][64];
  guint8 lengths[256];
  HuffTable dc, ac;
  double cosines[8][8];
  int prev_dc[3] = { 0, 0, 0 };
  guint scale, k = 0;
  guint bw = (width + 7) / 8, bh = (height + 7) / 8;

  g_return_val_if_fail (rgb != NULL && width > 0 && height > 0 && width < 65536 && height < 65536, NULL);

  quality = CLAMP (quality, 1, 100);
  scale = quality < 50 ? 5000 / quality : 200 - 2 * quality;

  /* zigzag[i]: natural (row-major) index of the i-th coefficient */
  for (int s = 0; s < 15; s++)
    {
      int lo = MAX (0, s - 7), hi = MIN (s, 7);

      if (s % 2 == 0)
        for (int y = hi; y >= lo; y--)
          zigzag[k++] = (guint8) (y * 8 + (s - y));
      else
        for (int y = lo; y <= hi; y++)
          zigzag[k++] = (guint8) (y * 8 + (s - y));
    }
  for (int i = 0; i < 64; i++)
    {
      quant[0][i] = (guint8) CLAMP ((luma_quant[i] * scale + 50) / 100, 1, 255);
      quant[1][i] = (guint8) CLAMP ((chroma_quant[i] * scale + 50) / 100, 1, 255);
    }
  for (int u = 0; u < 8; u++)
    for (int x = 0; x < 8; x++)
      cosines[u][x] = (u == 0 ? M_SQRT1_2 : 1.0) / 2.0 * cos ((2 * x + 1) * u * G_PI / 16);

  /* DC: categories 0–1 in 2 bits, 2–3 in 3, 4–10 in 5, 11 in 6 */
  memset (lengths, 0, sizeof lengths);
  lengths[0] = lengths[1] = 2;
  lengths[2] = lengths[3] = 3;
  for (guint c = 4; c <= 10; c++)
    lengths[c] = 5;
  lengths[11] = 6;
  huff_build (&dc, lengths);
  /* AC: EOB 2 bits, 0/1 and 0/2 3 bits, 0/3 and 1/1 4 bits, the other run/size
   * symbols (0–15 / 1–10) and ZRL 9 bits */
  memset (lengths, 0, sizeof lengths);
  for (guint sym = 0; sym < 256; sym++)
    if (sym == 0xF0 || ((sym & 0x0F) >= 1 && (sym & 0x0F) <= 10))
      lengths[sym] = 9;
  lengths[0x00] = 2;
  lengths[0x01] = lengths[0x02] = 3;
  lengths[0x03] = lengths[0x11] = 4;
  huff_build (&ac, lengths);

  /* SOI, APP0 JFIF */
  {
    static const guint8 soi[2] = { 0xFF, 0xD8 };
    static const guint8 jfif[14] = { 'J', 'F', 'I', 'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0 };

    g_byte_array_append (out, soi, 2);
    put_segment (out, 0xE0, jfif, sizeof jfif);
  }
  /* DQT: two 8-bit tables in zigzag order */
  {
    guint8 dqt[130];

    for (int t = 0; t < 2; t++)
      {
        dqt[t * 65] = (guint8) t;
        for (int i = 0; i < 64; i++)
          dqt[t * 65 + 1 + i] = quant[t][zigzag[i]];
      }
    put_segment (out, 0xDB, dqt, sizeof dqt);
  }
  /* SOF0 */
  {
    guint8 sof[15] = { 8, (guint8) (height >> 8), (guint8) height, (guint8) (width >> 8), (guint8) width, 3,
                       1, 0x11, 0, 2, 0x11, 1, 3, 0x11, 1 };

    put_segment (out, 0xC0, sof, sizeof sof);
  }
  /* DHT: DC table 0 and AC table 0 in one segment */
  {
    g_autoptr(GByteArray) dht = g_byte_array_new ();

    put_dht (dht, 0x00, &dc);
    put_dht (dht, 0x10, &ac);
    put_segment (out, 0xC4, dht->data, dht->len);
  }
  /* SOS */
  {
    static const guint8 sos[10] = { 3, 1, 0x00, 2, 0x00, 3, 0x00, 0, 63, 0 };

    put_segment (out, 0xDA, sos, sizeof sos);
  }

  for (guint by = 0; by < bh; by++)
    for (guint bx = 0; bx < bw; bx++)
      for (int c = 0; c < 3; c++)
        {
          double block[64], tmp[64];
          int coef[64];
          guint run = 0;
          int diff;
          guint cat;

          for (int y = 0; y < 8; y++)
            for (int x = 0; x < 8; x++)
              {
                guint sx = MIN (bx * 8 + x, width - 1), sy = MIN (by * 8 + y, height - 1);
                const guint8 *p = rgb + ((gsize) sy * width + sx) * 3;
                double v;

                /* JFIF YCbCr */
                if (c == 0)
                  v = 0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2];
                else if (c == 1)
                  v = -0.168736 * p[0] - 0.331264 * p[1] + 0.5 * p[2] + 128;
                else
                  v = 0.5 * p[0] - 0.418688 * p[1] - 0.081312 * p[2] + 128;
                block[y * 8 + x] = v - 128;
              }
          /* separable forward DCT */
          for (int y = 0; y < 8; y++)
            for (int u = 0; u < 8; u++)
              {
                double s = 0;

                for (int x = 0; x < 8; x++)
                  s += cosines[u][x] * block[y * 8 + x];
                tmp[y * 8 + u] = s;
              }
          for (int v = 0; v < 8; v++)
            for (int u = 0; u < 8; u++)
              {
                double s = 0;

                for (int y = 0; y < 8; y++)
                  s += cosines[v][y] * tmp[y * 8 + u];
                coef[v * 8 + u] = (int) lround (s / quant[c == 0 ? 0 : 1][v * 8 + u]);
              }

          diff = CLAMP (coef[0], -2047, 2047) - prev_dc[c];
          prev_dc[c] = CLAMP (coef[0], -2047, 2047);
          cat = bit_length (diff);
          huff_put (&w, &dc, cat);
          if (cat > 0)
            bits_put (&w, (guint32) (diff < 0 ? diff - 1 : diff) & ((1u << cat) - 1), cat);

          for (int i = 1; i < 64; i++)
            {
              int v = CLAMP (coef[zigzag[i]], -1023, 1023);

              if (v == 0)
                {
                  run++;
                  continue;
                }
              while (run > 15)
                {
                  huff_put (&w, &ac, 0xF0);
                  run -= 16;
                }
              cat = bit_length (v);
              huff_put (&w, &ac, (run << 4) | cat);
              bits_put (&w, (guint32) (v < 0 ? v - 1 : v) & ((1u << cat) - 1), cat);
              run = 0;
            }
          if (run > 0)
            huff_put (&w, &ac, 0x00);
        }
  bits_flush (&w);
  {
    static const guint8 eoi[2] = { 0xFF, 0xD9 };

    g_byte_array_append (out, eoi, 2);
  }
  return g_byte_array_free_to_bytes (out);
}

GBytes *
tp_test_face_image (TpFaceFormat   format,
                    guint          width,
                    guint          height,
                    gsize          target_bytes,
                    GError       **error)
{
  g_autofree guint8 *px = NULL;

  g_return_val_if_fail (width > 0 && height > 0, NULL);

  px = tp_test_face_pixels (width, height);
  switch (format)
    {
    case TP_FACE_FORMAT_JP2:
    case TP_FACE_FORMAT_J2K:
      return tp_face_encode_jpeg2000 (px, width, height, 3, format, target_bytes, error);

    case TP_FACE_FORMAT_JPEG:
      {
        /* the largest quality that fits the target */
        guint lo = 1, hi = 95;
        GBytes *best = NULL;

        while (lo <= hi)
          {
            guint q = (lo + hi) / 2;
            GBytes *jpeg = tp_test_encode_jpeg (px, width, height, q);

            if (target_bytes == 0 || g_bytes_get_size (jpeg) <= target_bytes)
              {
                g_clear_pointer (&best, g_bytes_unref);
                best = jpeg;
                lo = q + 1;
              }
            else
              {
                g_bytes_unref (jpeg);
                hi = q - 1;
              }
          }
        return best != NULL ? best : tp_test_encode_jpeg (px, width, height, 1);
      }

    case TP_FACE_FORMAT_UNKNOWN:
    default:
      g_set_error_literal (error, TP_ERROR, TP_ERROR_INVALID_ARGUMENT,
                           "face image format: JPEG, JP2 or J2K expected");
      return NULL;
    }
}
