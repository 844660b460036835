/* fuzz-dg2.c: libFuzzer target for DG2, the ISO/IEC 19794-5 facial record
 * and the face image probe
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The input is tried as a whole DG2, as a bare facial record and as an
 * image. JPEG 2000 images are decoded only when small (64 × 64 pixels and
 * 8 KB at most): the point is our header checks and the memory streams
 * around OpenJPEG, not OpenJPEG's own decoder.
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "tp-face.h"
#include "tp-lds.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static gsize
check_image (const guint8 *image,
             gsize         len)
{
  TpFaceInfo info;
  gsize total = 0;
  g_autoptr(GError) error = NULL;

  total += tp_face_sniff_format (image, len);
  if (tp_face_probe (image, len, &info, &error))
    {
      total += info.width + info.height + info.components + info.bits + info.tiles;
      if (info.format != TP_FACE_FORMAT_JPEG && len <= 8192)
        {
          g_autoptr(TpFaceImage) decoded = tp_face_decode (image, len, 64, NULL);

          if (decoded != NULL)
            {
              g_assert (decoded->width <= 64 && decoded->height <= 64);
              g_assert (g_bytes_get_size (decoded->pixels) == decoded->rowstride * decoded->height);
              total += ((const guint8 *) g_bytes_get_data (decoded->pixels, NULL))[0];
            }
        }
    }
  else
    g_assert (error != NULL);
  return total;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  volatile gsize total = 0;

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(TpLdsDg2) dg2 = tp_lds_dg2_parse (data, size, &error);

    g_assert ((dg2 == NULL) == (error != NULL));
    if (dg2 != NULL)
      {
        g_assert (dg2->faces->len > 0);
        for (guint i = 0; i < dg2->faces->len; i++)
          {
            TpLdsFace *face = g_ptr_array_index (dg2->faces, i);
            gsize len;
            const guint8 *image = g_bytes_get_data (face->image, &len);

            total += face->header_width + face->format_type + face->biometric_type;
            total += check_image (image, len);
          }
      }
  }
  {
    g_autoptr(GPtrArray) faces = g_ptr_array_new_with_free_func ((GDestroyNotify) tp_lds_face_free);
    g_autoptr(GError) error = NULL;

    if (tp_lds_parse_facial_record (data, size, 0, faces, &error))
      g_assert (faces->len > 0);
    else
      g_assert (error != NULL);
    for (guint i = 0; i < faces->len; i++)
      {
        TpLdsFace *face = g_ptr_array_index (faces, i);

        total += face->width + g_bytes_get_size (face->image);
      }
  }
  total += check_image (data, size);

  (void) total;
  return 0;
}
