/* tp-face.c: face images of eMRTDs (DG2)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <openjpeg.h>

#include "tp-error.h"
#include "tp-face.h"

/* More tiles than this is not a face photograph; OpenJPEG allocates per
 * tile before decoding anything, so a hostile SIZ is refused early. */
#define TP_FACE_MAX_TILES 1024
#define TP_FACE_MAX_COMPONENTS 4

typedef struct {
  const guint8 *data;
  gsize         len;
  gsize         pos;
} TpFaceReader;

typedef struct {
  GByteArray *buf;
  gsize       pos;
} TpFaceWriter;

static const guint8 jp2_signature[12] = {
  0x00, 0x00, 0x00, 0x0C, 0x6A, 0x50, 0x20, 0x20, 0x0D, 0x0A, 0x87, 0x0A,
};

static inline guint16
read_be16 (const guint8 *p)
{
  return (guint16) ((p[0] << 8) | p[1]);
}

static inline guint32
read_be32 (const guint8 *p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
}

static inline guint64
read_be64 (const guint8 *p)
{
  return ((guint64) read_be32 (p) << 32) | read_be32 (p + 4);
}

static gboolean
probe_jpeg (const guint8  *data,
            gsize          len,
            TpFaceInfo    *info,
            GError       **error)
{
  gsize pos = 2;

  while (pos < len)
    {
      guint8 marker;
      guint16 seglen;

      if (data[pos] != 0xFF)
        {
          g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT,
                       "JPEG: expected a marker (FF) at offset %" G_GSIZE_FORMAT ", found %02X",
                       pos, data[pos]);
          return FALSE;
        }
      while (pos < len && data[pos] == 0xFF)
        pos++;
      if (pos >= len)
        break;
      marker = data[pos++];

      /* Markers without a segment: TEM, RSTn, SOI */
      if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD8))
        continue;
      if (marker == 0xD9 || marker == 0xDA)
        {
          g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT,
                       "JPEG: no frame header (SOF) before the %s marker",
                       marker == 0xD9 ? "end of image" : "start of scan");
          return FALSE;
        }
      if (len - pos < 2)
        break;
      seglen = read_be16 (data + pos);
      if (seglen < 2)
        {
          g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT,
                       "JPEG: segment FF%02X at offset %" G_GSIZE_FORMAT " declares length %u, "
                       "at least 2 expected", marker, pos - 2, seglen);
          return FALSE;
        }
      if (marker >= 0xC0 && marker <= 0xCF &&
          marker != 0xC4 && marker != 0xC8 && marker != 0xCC)
        {
          if (seglen < 8 || len - pos < 8)
            break;
          info->format = TP_FACE_FORMAT_JPEG;
          info->bits = data[pos + 2];
          info->height = read_be16 (data + pos + 3);
          info->width = read_be16 (data + pos + 5);
          info->components = data[pos + 7];
          info->tiles = 1;
          return TRUE;
        }
      if (len - pos < seglen)
        break;
      pos += seglen;
    }

  g_set_error_literal (error, TP_ERROR, TP_ERROR_TRUNCATED,
                       "JPEG: the data ends before the frame header (SOF)");
  return FALSE;
}

static gboolean
probe_j2k (const guint8  *data,
           gsize          len,
           TpFaceInfo    *info,
           GError       **error)
{
  guint32 xsiz, ysiz, xosiz, yosiz, xtsiz, ytsiz, xtosiz, ytosiz;
  guint16 lsiz, csiz;
  guint64 tiles_x, tiles_y;

  /* SOC FF4F, SIZ FF51 Lsiz Rsiz Xsiz Ysiz XOsiz YOsiz XTsiz YTsiz XTOsiz
   * YTOsiz Csiz, then Ssiz XRsiz YRsiz per component (ISO/IEC 15444-1 A.5.1) */
  if (len < 4 || read_be16 (data) != 0xFF4F || read_be16 (data + 2) != 0xFF51)
    {
      g_set_error_literal (error, TP_ERROR, TP_ERROR_INVALID_INPUT,
                           "JPEG 2000: the codestream does not start with SOC and SIZ (FF4F FF51)");
      return FALSE;
    }
  if (len < 4 + 38 + 3)
    {
      g_set_error_literal (error, TP_ERROR, TP_ERROR_TRUNCATED,
                           "JPEG 2000: the codestream ends inside the image size marker (SIZ)");
      return FALSE;
    }
  lsiz = read_be16 (data + 4);
  xsiz = read_be32 (data + 8);
  ysiz = read_be32 (data + 12);
  xosiz = read_be32 (data + 16);
  yosiz = read_be32 (data + 20);
  xtsiz = read_be32 (data + 24);
  ytsiz = read_be32 (data + 28);
  xtosiz = read_be32 (data + 32);
  ytosiz = read_be32 (data + 36);
  csiz = read_be16 (data + 40);

  if (csiz == 0 || lsiz != 38 + 3 * (guint) csiz)
    {
      g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT,
                   "JPEG 2000: SIZ length %u does not fit %u components", lsiz, csiz);
      return FALSE;
    }
  if (xsiz <= xosiz || ysiz <= yosiz || xtsiz == 0 || ytsiz == 0 ||
      xtosiz > xosiz || ytosiz > yosiz ||
      (guint64) xtosiz + xtsiz <= xosiz || (guint64) ytosiz + ytsiz <= yosiz)
    {
      g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT,
                   "JPEG 2000: inconsistent image and tile geometry in SIZ "
                   "(size %u×%u, offset %u,%u, tile %u×%u at %u,%u)",
                   xsiz, ysiz, xosiz, yosiz, xtsiz, ytsiz, xtosiz, ytosiz);
      return FALSE;
    }

  tiles_x = ((guint64) xsiz - xtosiz + xtsiz - 1) / xtsiz;
  tiles_y = ((guint64) ysiz - ytosiz + ytsiz - 1) / ytsiz;

  info->format = TP_FACE_FORMAT_J2K;
  info->width = xsiz - xosiz;
  info->height = ysiz - yosiz;
  info->components = csiz;
  info->bits = (data[42] & 0x7F) + 1;
  info->tiles = (guint) MIN (tiles_x * tiles_y, G_MAXUINT);
  return TRUE;
}

static gboolean
probe_jp2 (const guint8  *data,
           gsize          len,
           TpFaceInfo    *info,
           GError       **error)
{
  gsize pos = 0;
  gboolean have_ihdr = FALSE;
  TpFaceInfo ihdr = { 0 };

  /* Boxes (ISO/IEC 15444-1 I.4): LBox, TBox, [XLBox], contents */
  while (len - pos >= 8)
    {
      guint64 box_len = read_be32 (data + pos);
      guint32 type = read_be32 (data + pos + 4);
      gsize header = 8;

      if (box_len == 1)
        {
          if (len - pos < 16)
            break;
          box_len = read_be64 (data + pos + 8);
          header = 16;
        }
      else if (box_len == 0)
        box_len = len - pos;

      if (box_len < header)
        {
          g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT,
                       "JPEG 2000: box at offset %" G_GSIZE_FORMAT " declares length %" G_GUINT64_FORMAT
                       ", shorter than its header", pos, box_len);
          return FALSE;
        }
      if (box_len > len - pos)
        box_len = len - pos;  /* a cut file: look at what is there */

      if (type == 0x6A703268)  /* 'jp2h': header superbox */
        {
          gsize sub = pos + header;
          gsize end = pos + (gsize) box_len;

          while (end - sub >= 8)
            {
              guint32 sub_len = read_be32 (data + sub);
              guint32 sub_type = read_be32 (data + sub + 4);

              if (sub_type == 0x69686472 && sub_len >= 22 && end - sub >= 22)  /* 'ihdr' */
                {
                  ihdr.height = read_be32 (data + sub + 8);
                  ihdr.width = read_be32 (data + sub + 12);
                  ihdr.components = read_be16 (data + sub + 16);
                  ihdr.bits = (data[sub + 18] & 0x7F) + 1;
                  have_ihdr = TRUE;
                  break;
                }
              if (sub_len < 8 || sub_len > end - sub)
                break;
              sub += sub_len;
            }
        }
      else if (type == 0x6A703263)  /* 'jp2c': the codestream */
        {
          if (!probe_j2k (data + pos + header, (gsize) box_len - header, info, error))
            return FALSE;
          info->format = TP_FACE_FORMAT_JP2;
          if (have_ihdr && (ihdr.width != info->width || ihdr.height != info->height))
            {
              g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT,
                           "JPEG 2000: the header box says %u×%u, the codestream %u×%u",
                           ihdr.width, ihdr.height, info->width, info->height);
              return FALSE;
            }
          return TRUE;
        }
      pos += (gsize) box_len;
    }

  g_set_error_literal (error, TP_ERROR, TP_ERROR_TRUNCATED,
                       "JPEG 2000: the file has no codestream box (jp2c)");
  return FALSE;
}

/* OpenJPEG memory streams */

static OPJ_SIZE_T
reader_read (void       *buffer,
             OPJ_SIZE_T  n,
             void       *user_data)
{
  TpFaceReader *r = user_data;
  gsize avail;

  if (r->pos >= r->len)
    return (OPJ_SIZE_T) -1;
  avail = MIN (n, r->len - r->pos);
  memcpy (buffer, r->data + r->pos, avail);
  r->pos += avail;
  return avail;
}

static OPJ_OFF_T
reader_skip (OPJ_OFF_T  n,
             void      *user_data)
{
  TpFaceReader *r = user_data;

  if (n < 0)
    {
      if ((guint64) -n > r->pos)
        return -1;
      r->pos -= (gsize) -n;
      return n;
    }
  if ((guint64) n > r->len - r->pos)
    n = (OPJ_OFF_T) (r->len - r->pos);
  r->pos += (gsize) n;
  return n;
}

static OPJ_BOOL
reader_seek (OPJ_OFF_T  n,
             void      *user_data)
{
  TpFaceReader *r = user_data;

  if (n < 0 || (guint64) n > r->len)
    return OPJ_FALSE;
  r->pos = (gsize) n;
  return OPJ_TRUE;
}

static void
writer_reserve (TpFaceWriter *w,
                gsize         end)
{
  if (end > w->buf->len)
    {
      gsize old = w->buf->len;

      g_byte_array_set_size (w->buf, (guint) end);
      memset (w->buf->data + old, 0, end - old);
    }
}

static OPJ_SIZE_T
writer_write (void       *buffer,
              OPJ_SIZE_T  n,
              void       *user_data)
{
  TpFaceWriter *w = user_data;

  writer_reserve (w, w->pos + n);
  memcpy (w->buf->data + w->pos, buffer, n);
  w->pos += n;
  return n;
}

static OPJ_OFF_T
writer_skip (OPJ_OFF_T  n,
             void      *user_data)
{
  TpFaceWriter *w = user_data;

  if (n < 0)
    {
      if ((guint64) -n > w->pos)
        return -1;
      w->pos -= (gsize) -n;
      return n;
    }
  writer_reserve (w, w->pos + (gsize) n);
  w->pos += (gsize) n;
  return n;
}

static OPJ_BOOL
writer_seek (OPJ_OFF_T  n,
             void      *user_data)
{
  TpFaceWriter *w = user_data;

  if (n < 0)
    return OPJ_FALSE;
  writer_reserve (w, (gsize) n);
  w->pos = (gsize) n;
  return OPJ_TRUE;
}

static void
opj_error_cb (const char *msg,
              void       *client_data)
{
  char **last = client_data;

  if (*last == NULL)
    *last = g_strstrip (g_strdup (msg));
}

static void
opj_quiet_cb (const char *msg,
              void       *client_data)
{
}

static guint8
sample_to_8bit (const opj_image_comp_t *comp,
                OPJ_INT32               v)
{
  gint64 s = v;

  if (comp->sgnd)
    s += (gint64) 1 << (comp->prec - 1);
  if (comp->prec > 8)
    s >>= comp->prec - 8;
  else if (comp->prec < 8)
    s = s * 255 / (((gint64) 1 << comp->prec) - 1);
  return (guint8) CLAMP (s, 0, 255);
}

static guint8
comp_sample (const opj_image_comp_t *comp,
             guint                   x,
             guint                   y,
             guint                   width,
             guint                   height)
{
  guint64 cx = (guint64) x * comp->w / width;
  guint64 cy = (guint64) y * comp->h / height;

  return sample_to_8bit (comp, comp->data[cy * comp->w + cx]);
}

static guint8
clamp_u8 (int v)
{
  return (guint8) CLAMP (v, 0, 255);
}

static TpFaceImage *
image_to_pixels (opj_image_t  *image,
                 GError      **error)
{
  g_autoptr(TpFaceImage) out = g_new0 (TpFaceImage, 1);
  guint width = image->x1 - image->x0;
  guint height = image->y1 - image->y0;
  guint nc = image->numcomps;
  gboolean ycc = FALSE, cmyk = FALSE;
  guint8 *px;
  gsize size;

  for (guint c = 0; c < nc; c++)
    {
      const opj_image_comp_t *comp = &image->comps[c];

      if (comp->data == NULL || comp->w == 0 || comp->h == 0 ||
          comp->prec < 1 || comp->prec > 16)
        {
          g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT,
                       "JPEG 2000: component %u has no usable samples (%u×%u, %u bits)",
                       c, comp->w, comp->h, comp->prec);
          return NULL;
        }
    }

  if (nc >= 3)
    {
      ycc = image->color_space == OPJ_CLRSPC_SYCC ||
            (image->color_space == OPJ_CLRSPC_UNSPECIFIED &&
             (image->comps[1].dx > 1 || image->comps[1].dy > 1 ||
              image->comps[2].dx > 1 || image->comps[2].dy > 1));
      cmyk = nc == 4 && image->color_space == OPJ_CLRSPC_CMYK;
    }

  out->width = width;
  out->height = height;
  out->n_channels = (nc == 2 || (nc == 4 && !cmyk)) ? 4 : 3;
  out->rowstride = (gsize) width * out->n_channels;
  size = out->rowstride * height;
  px = g_malloc (size);

  for (guint y = 0; y < height; y++)
    {
      guint8 *row = px + (gsize) y * out->rowstride;

      for (guint x = 0; x < width; x++)
        {
          guint8 *p = row + (gsize) x * out->n_channels;
          guint8 s[TP_FACE_MAX_COMPONENTS] = { 0 };

          for (guint c = 0; c < nc; c++)
            s[c] = comp_sample (&image->comps[c], x, y, width, height);

          if (nc <= 2)
            {
              p[0] = p[1] = p[2] = s[0];
              if (nc == 2)
                p[3] = s[1];
            }
          else if (cmyk)
            {
              int k = 255 - s[3];

              p[0] = clamp_u8 ((255 - s[0]) * k / 255);
              p[1] = clamp_u8 ((255 - s[1]) * k / 255);
              p[2] = clamp_u8 ((255 - s[2]) * k / 255);
            }
          else if (ycc)
            {
              /* ITU-R BT.601 full range, as sYCC (IEC 61966-2-1 Amd. 1) */
              int yy = s[0], cb = s[1] - 128, cr = s[2] - 128;

              p[0] = clamp_u8 (yy + (91881 * cr) / 65536);
              p[1] = clamp_u8 (yy - (22554 * cb + 46802 * cr) / 65536);
              p[2] = clamp_u8 (yy + (116130 * cb) / 65536);
              if (nc == 4)
                p[3] = s[3];
            }
          else
            {
              p[0] = s[0];
              p[1] = s[1];
              p[2] = s[2];
              if (nc == 4)
                p[3] = s[3];
            }
        }
    }

  out->pixels = g_bytes_new_take (px, size);
  return g_steal_pointer (&out);
}

TpFaceFormat
tp_face_sniff_format (const guint8 *data,
                      gsize         len)
{
  g_return_val_if_fail (data != NULL || len == 0, TP_FACE_FORMAT_UNKNOWN);

  if (len >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF)
    return TP_FACE_FORMAT_JPEG;
  if (len >= sizeof jp2_signature && memcmp (data, jp2_signature, sizeof jp2_signature) == 0)
    return TP_FACE_FORMAT_JP2;
  if (len >= 4 && data[0] == 0xFF && data[1] == 0x4F && data[2] == 0xFF && data[3] == 0x51)
    return TP_FACE_FORMAT_J2K;
  return TP_FACE_FORMAT_UNKNOWN;
}

const char *
tp_face_format_to_string (TpFaceFormat format)
{
  switch (format)
    {
    case TP_FACE_FORMAT_JPEG:
      return "jpeg";
    case TP_FACE_FORMAT_JP2:
    case TP_FACE_FORMAT_J2K:
      return "jpeg2000";
    case TP_FACE_FORMAT_UNKNOWN:
    default:
      return "unknown";
    }
}

const char *
tp_face_format_to_extension (TpFaceFormat format)
{
  switch (format)
    {
    case TP_FACE_FORMAT_JPEG:
      return "jpeg";
    case TP_FACE_FORMAT_JP2:
      return "jp2";
    case TP_FACE_FORMAT_J2K:
      return "j2k";
    case TP_FACE_FORMAT_UNKNOWN:
    default:
      return "unknown";
    }
}

gboolean
tp_face_probe (const guint8  *data,
               gsize          len,
               TpFaceInfo    *info,
               GError       **error)
{
  TpFaceInfo tmp = { 0 };
  gboolean ok;

  g_return_val_if_fail (data != NULL || len == 0, FALSE);
  g_return_val_if_fail (info != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  switch (tp_face_sniff_format (data, len))
    {
    case TP_FACE_FORMAT_JPEG:
      ok = probe_jpeg (data, len, &tmp, error);
      break;
    case TP_FACE_FORMAT_JP2:
      ok = probe_jp2 (data, len, &tmp, error);
      break;
    case TP_FACE_FORMAT_J2K:
      ok = probe_j2k (data, len, &tmp, error);
      break;
    case TP_FACE_FORMAT_UNKNOWN:
    default:
      g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT,
                   "face image: not JPEG (FFD8FF), JPEG 2000 (jP signature box) "
                   "or a JPEG 2000 codestream (FF4FFF51); it starts with %02X %02X %02X %02X",
                   len > 0 ? data[0] : 0, len > 1 ? data[1] : 0,
                   len > 2 ? data[2] : 0, len > 3 ? data[3] : 0);
      return FALSE;
    }

  if (ok)
    *info = tmp;
  return ok;
}

TpFaceImage *
tp_face_decode (const guint8  *data,
                gsize          len,
                guint          max_dimension,
                GError       **error)
{
  TpFaceInfo info;
  TpFaceReader reader;
  opj_dparameters_t params;
  opj_codec_t *codec = NULL;
  opj_stream_t *stream = NULL;
  opj_image_t *image = NULL;
  g_autofree char *opj_message = NULL;
  TpFaceImage *result = NULL;

  g_return_val_if_fail (data != NULL || len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (max_dimension == 0)
    max_dimension = TP_FACE_DEFAULT_MAX_DIMENSION;

  if (!tp_face_probe (data, len, &info, error))
    return NULL;
  if (info.format == TP_FACE_FORMAT_JPEG)
    {
      g_set_error_literal (error, TP_ERROR, TP_ERROR_UNSUPPORTED,
                           "face image: JPEG is decoded by gdk-pixbuf, not here");
      return NULL;
    }
  if (info.width == 0 || info.height == 0 ||
      info.width > max_dimension || info.height > max_dimension)
    {
      g_set_error (error, TP_ERROR, TP_ERROR_UNSUPPORTED,
                   "face image: %u×%u pixels, at most %u×%u accepted",
                   info.width, info.height, max_dimension, max_dimension);
      return NULL;
    }
  if (info.components == 0 || info.components > TP_FACE_MAX_COMPONENTS)
    {
      g_set_error (error, TP_ERROR, TP_ERROR_UNSUPPORTED,
                   "face image: %u colour components, 1 to %u expected",
                   info.components, TP_FACE_MAX_COMPONENTS);
      return NULL;
    }
  if (info.tiles > TP_FACE_MAX_TILES)
    {
      g_set_error (error, TP_ERROR, TP_ERROR_UNSUPPORTED,
                   "face image: %u JPEG 2000 tiles, at most %u accepted",
                   info.tiles, TP_FACE_MAX_TILES);
      return NULL;
    }

  reader.data = data;
  reader.len = len;
  reader.pos = 0;

  codec = opj_create_decompress (info.format == TP_FACE_FORMAT_JP2 ? OPJ_CODEC_JP2 : OPJ_CODEC_J2K);
  opj_set_error_handler (codec, opj_error_cb, &opj_message);
  opj_set_warning_handler (codec, opj_quiet_cb, NULL);
  opj_set_info_handler (codec, opj_quiet_cb, NULL);
  opj_set_default_decoder_parameters (&params);
  if (!opj_setup_decoder (codec, &params))
    goto opj_failed;

  stream = opj_stream_create (64 * 1024, OPJ_TRUE);
  opj_stream_set_user_data (stream, &reader, NULL);
  opj_stream_set_user_data_length (stream, len);
  opj_stream_set_read_function (stream, reader_read);
  opj_stream_set_skip_function (stream, reader_skip);
  opj_stream_set_seek_function (stream, reader_seek);

  if (!opj_read_header (stream, codec, &image))
    goto opj_failed;

  for (guint c = 0; c < image->numcomps && c < TP_FACE_MAX_COMPONENTS; c++)
    if (image->comps[c].prec < 1 || image->comps[c].prec > 16 ||
        image->comps[c].dx == 0 || image->comps[c].dy == 0)
      {
        g_set_error (error, TP_ERROR, TP_ERROR_UNSUPPORTED,
                     "face image: component %u has %u bits and subsampling %u×%u; "
                     "1 to 16 bits and a subsampling of at least 1 expected",
                     c, image->comps[c].prec, image->comps[c].dx, image->comps[c].dy);
        goto out;
      }
  if (image->x1 <= image->x0 || image->y1 <= image->y0 ||
      image->x1 - image->x0 > max_dimension || image->y1 - image->y0 > max_dimension ||
      image->numcomps == 0 || image->numcomps > TP_FACE_MAX_COMPONENTS)
    {
      g_set_error (error, TP_ERROR, TP_ERROR_UNSUPPORTED,
                   "face image: the decoder sees %u×%u pixels in %u components, "
                   "at most %u×%u in %u accepted",
                   image->x1 - image->x0, image->y1 - image->y0, image->numcomps,
                   max_dimension, max_dimension, TP_FACE_MAX_COMPONENTS);
      goto out;
    }

  if (!opj_decode (codec, stream, image) || !opj_end_decompress (codec, stream))
    goto opj_failed;

  result = image_to_pixels (image, error);
  goto out;

opj_failed:
  g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT,
               "face image: JPEG 2000 decoding failed: %s",
               opj_message != NULL ? opj_message : "no reason given");

out:
  if (image != NULL)
    opj_image_destroy (image);
  if (stream != NULL)
    opj_stream_destroy (stream);
  opj_destroy_codec (codec);
  return result;
}

void
tp_face_image_free (TpFaceImage *image)
{
  if (image == NULL)
    return;
  g_clear_pointer (&image->pixels, g_bytes_unref);
  g_free (image);
}

GBytes *
tp_face_encode_jpeg2000 (const guint8  *pixels,
                         guint          width,
                         guint          height,
                         guint          n_channels,
                         TpFaceFormat   format,
                         gsize          target_bytes,
                         GError       **error)
{
  opj_cparameters_t params;
  opj_image_cmptparm_t cmpt[3];
  opj_image_t *image = NULL;
  opj_codec_t *codec = NULL;
  opj_stream_t *stream = NULL;
  g_autofree char *opj_message = NULL;
  TpFaceWriter writer = { NULL, 0 };
  GBytes *result = NULL;
  guint minside;

  g_return_val_if_fail (pixels != NULL, NULL);
  g_return_val_if_fail (width > 0 && height > 0, NULL);
  g_return_val_if_fail (n_channels == 1 || n_channels == 3, NULL);
  g_return_val_if_fail (format == TP_FACE_FORMAT_JP2 || format == TP_FACE_FORMAT_J2K, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  opj_set_default_encoder_parameters (&params);
  params.tcp_numlayers = 1;
  params.cp_disto_alloc = 1;
  if (target_bytes > 0)
    {
      params.tcp_rates[0] = (float) ((double) width * height * n_channels / target_bytes);
      params.irreversible = 1;
    }
  else
    params.tcp_rates[0] = 0;
  params.tcp_mct = n_channels == 3 ? 1 : 0;
  minside = MIN (width, height);
  while (params.numresolution > 1 && (1u << (params.numresolution - 1)) > minside)
    params.numresolution--;

  for (guint c = 0; c < n_channels; c++)
    {
      memset (&cmpt[c], 0, sizeof cmpt[c]);
      cmpt[c].dx = 1;
      cmpt[c].dy = 1;
      cmpt[c].w = width;
      cmpt[c].h = height;
      cmpt[c].prec = 8;
      cmpt[c].sgnd = 0;
    }
  image = opj_image_create (n_channels, cmpt, n_channels == 1 ? OPJ_CLRSPC_GRAY : OPJ_CLRSPC_SRGB);
  if (image == NULL)
    {
      g_set_error_literal (error, TP_ERROR, TP_ERROR_FAILED, "JPEG 2000: cannot create the image");
      return NULL;
    }
  image->x0 = 0;
  image->y0 = 0;
  image->x1 = width;
  image->y1 = height;
  for (guint c = 0; c < n_channels; c++)
    for (gsize i = 0; i < (gsize) width * height; i++)
      image->comps[c].data[i] = pixels[i * n_channels + c];

  codec = opj_create_compress (format == TP_FACE_FORMAT_JP2 ? OPJ_CODEC_JP2 : OPJ_CODEC_J2K);
  opj_set_error_handler (codec, opj_error_cb, &opj_message);
  opj_set_warning_handler (codec, opj_quiet_cb, NULL);
  opj_set_info_handler (codec, opj_quiet_cb, NULL);
  writer.buf = g_byte_array_new ();

  if (!opj_setup_encoder (codec, &params, image))
    goto out;

  stream = opj_stream_create (64 * 1024, OPJ_FALSE);
  opj_stream_set_user_data (stream, &writer, NULL);
  opj_stream_set_write_function (stream, writer_write);
  opj_stream_set_skip_function (stream, writer_skip);
  opj_stream_set_seek_function (stream, writer_seek);

  if (opj_start_compress (codec, image, stream) &&
      opj_encode (codec, stream) &&
      opj_end_compress (codec, stream))
    {
      opj_stream_destroy (stream);
      stream = NULL;
      result = g_byte_array_free_to_bytes (g_steal_pointer (&writer.buf));
    }

out:
  if (result == NULL)
    g_set_error (error, TP_ERROR, TP_ERROR_FAILED, "JPEG 2000 encoding failed: %s",
                 opj_message != NULL ? opj_message : "no reason given");
  if (stream != NULL)
    opj_stream_destroy (stream);
  opj_destroy_codec (codec);
  opj_image_destroy (image);
  if (writer.buf != NULL)
    g_byte_array_unref (writer.buf);
  return result;
}
