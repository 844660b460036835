/* tp-lds.c: the Logical Data Structure of eMRTDs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <openssl/err.h>
#include <openssl/x509.h>

#include "tp-chip-error.h"
#include "tp-error.h"
#include "tp-lds.h"
#include "tp-tlv.h"

/* ISO/IEC 19794-5:2005 sizes */
#define FAC_GENERAL_HEADER  14
#define FAC_INFORMATION     20
#define FAC_FEATURE_POINT   8
#define FAC_IMAGE_INFO      12

struct _TpLdsFiles {
  gint        ref_count;
  GHashTable *files;   /* GUINT_TO_POINTER (fid) → GBytes */
};

static const guint dg_tags[17] = {
  0, 0x61, 0x75, 0x63, 0x76, 0x65, 0x66, 0x67, 0x68,
  0x69, 0x6A, 0x6B, 0x6C, 0x6D, 0x6E, 0x6F, 0x70,
};

static const char *const dg_names[17] = {
  NULL, "DG1", "DG2", "DG3", "DG4", "DG5", "DG6", "DG7", "DG8",
  "DG9", "DG10", "DG11", "DG12", "DG13", "DG14", "DG15", "DG16",
};

static inline guint32
read_be (const guint8 *p,
         guint         n)
{
  guint32 v = 0;

  for (guint i = 0; i < n; i++)
    v = (v << 8) | p[i];
  return v;
}

/* Reads the outer object of an LDS file, which must carry tag. */
static gboolean
read_outer (const guint8  *data,
            gsize          len,
            guint32        tag,
            const char    *what,
            TpTlv         *out,
            GError       **error)
{
  gsize offset = 0;
  g_autoptr(GError) local_error = NULL;

  if (!tp_tlv_read (data, len, &offset, out, &local_error))
    {
      g_set_error (error, TP_ERROR, local_error->code, "%s: %s", what, local_error->message);
      return FALSE;
    }
  if (out->tag != tag)
    {
      g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT,
                   "%s: the file starts with tag %X, %X expected", what, out->tag, tag);
      return FALSE;
    }
  if (!out->constructed)
    {
      g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT,
                   "%s: tag %X is not constructed", what, tag);
      return FALSE;
    }
  return TRUE;
}

static gboolean
prefix_error (GError     **error,
              GError      *local_error,
              const char  *what)
{
  g_set_error (error, TP_ERROR, local_error->code, "%s: %s", what, local_error->message);
  g_error_free (local_error);
  return FALSE;
}

/* Text of a data object as UTF-8: as stored when it is UTF-8, else read as
 * ISO 8859-1 (*latin1 set). A NUL byte is an error. */
static char *
text_value (const TpTlv  *tlv,
            const char   *what,
            gboolean     *latin1,
            GError      **error)
{
  const char *v = (const char *) tlv->value;

  if (tlv->length > 0 && memchr (v, '\0', tlv->length) != NULL)
    {
      g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT,
                   "%s: field %X contains a NUL byte", what, tlv->tag);
      return NULL;
    }
  if (g_utf8_validate_len (v, tlv->length, NULL))
    return g_strndup (v, tlv->length);
  {
    char *text = g_convert (v, (gssize) tlv->length, "UTF-8", "ISO-8859-1", NULL, NULL, NULL);

    if (text == NULL)
      {
        g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT,
                     "%s: field %X is neither UTF-8 nor ISO 8859-1", what, tlv->tag);
        return NULL;
      }
    if (latin1 != NULL)
      *latin1 = TRUE;
    return text;
  }
}

/* "YYYYMMDD..." from n ASCII digits or n/2 BCD bytes; NULL when neither. */
static char *
digits_value (const TpTlv *tlv,
              gsize        n)
{
  if (tlv->length == n)
    {
      for (gsize i = 0; i < n; i++)
        if (!g_ascii_isdigit (tlv->value[i]))
          return NULL;
      return g_strndup ((const char *) tlv->value, n);
    }
  if (tlv->length * 2 == n)
    {
      char *out = g_malloc (n + 1);

      for (gsize i = 0; i < tlv->length; i++)
        {
          guint hi = tlv->value[i] >> 4, lo = tlv->value[i] & 0x0F;

          if (hi > 9 || lo > 9)
            {
              g_free (out);
              return NULL;
            }
          out[2 * i] = (char) ('0' + hi);
          out[2 * i + 1] = (char) ('0' + lo);
        }
      out[n] = '\0';
      return out;
    }
  return NULL;
}

static char *
iso_date (const char *yyyymmdd)
{
  guint y = 0, m, d;

  if (yyyymmdd == NULL || strlen (yyyymmdd) < 8)
    return NULL;
  for (int i = 0; i < 4; i++)
    y = y * 10 + (guint) (yyyymmdd[i] - '0');
  m = (guint) (yyyymmdd[4] - '0') * 10 + (guint) (yyyymmdd[5] - '0');
  d = (guint) (yyyymmdd[6] - '0') * 10 + (guint) (yyyymmdd[7] - '0');
  if (y == 0 || !g_date_valid_dmy ((GDateDay) d, (GDateMonth) m, (GDateYear) y))
    return NULL;
  return g_strdup_printf ("%04u-%02u-%02u", y, m, d);
}

static char *
version_string (const TpTlv *tlv)
{
  GString *s;

  /* "0107" → "1.7", "040000" → "4.0.0": pairs of digits */
  if (tlv->length == 0 || tlv->length % 2 != 0)
    return g_strndup ((const char *) tlv->value, tlv->length);
  for (gsize i = 0; i < tlv->length; i++)
    if (!g_ascii_isdigit (tlv->value[i]))
      return g_strndup ((const char *) tlv->value, tlv->length);
  s = g_string_new (NULL);
  for (gsize i = 0; i < tlv->length; i += 2)
    g_string_append_printf (s, "%s%u", i > 0 ? "." : "",
                            (guint) (tlv->value[i] - '0') * 10 + (guint) (tlv->value[i + 1] - '0'));
  return g_string_free (s, FALSE);
}

/* ---- identifiers -------------------------------------------------------- */

guint16
tp_lds_dg_fid (guint dg)
{
  g_return_val_if_fail (dg >= 1 && dg <= 16, 0);

  return (guint16) (0x0100 + dg);
}

guint
tp_lds_dg_tag (guint dg)
{
  return dg >= 1 && dg <= 16 ? dg_tags[dg] : 0;
}

guint
tp_lds_dg_from_tag (guint tag)
{
  for (guint dg = 1; dg <= 16; dg++)
    if (dg_tags[dg] == tag)
      return dg;
  return 0;
}

guint
tp_lds_dg_from_fid (guint16 fid)
{
  return fid >= 0x0101 && fid <= 0x0110 ? (guint) (fid - 0x0100) : 0;
}

guint8
tp_lds_fid_to_sfi (guint16 fid)
{
  switch (fid)
    {
    case TP_LDS_FID_COM:
      return 0x1E;
    case TP_LDS_FID_SOD:
      return 0x1D;
    case TP_LDS_FID_CARD_ACCESS:
      return 0x1C;
    default:
      return (guint8) tp_lds_dg_from_fid (fid);
    }
}

const char *
tp_lds_fid_name (guint16 fid)
{
  switch (fid)
    {
    case TP_LDS_FID_COM:
      return "COM";
    case TP_LDS_FID_SOD:
      return "SOD";
    case TP_LDS_FID_CARD_ACCESS:
      return "CardAccess";
    default:
      return dg_names[tp_lds_dg_from_fid (fid)];
    }
}

gboolean
tp_lds_file_total_length (const guint8  *head,
                          gsize          len,
                          gsize         *total,
                          GError       **error)
{
  g_return_val_if_fail (head != NULL || len == 0, FALSE);
  g_return_val_if_fail (total != NULL, FALSE);

  return tp_tlv_peek_total_length (head, len, total, error);
}

/* ---- files -------------------------------------------------------------- */

TpLdsFiles *
tp_lds_files_new (void)
{
  TpLdsFiles *files = g_new0 (TpLdsFiles, 1);

  files->ref_count = 1;
  files->files = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_bytes_unref);
  return files;
}

TpLdsFiles *
tp_lds_files_ref (TpLdsFiles *files)
{
  g_return_val_if_fail (files != NULL, NULL);

  g_atomic_int_inc (&files->ref_count);
  return files;
}

void
tp_lds_files_unref (TpLdsFiles *files)
{
  if (files == NULL)
    return;
  if (g_atomic_int_dec_and_test (&files->ref_count))
    {
      g_hash_table_unref (files->files);
      g_free (files);
    }
}

void
tp_lds_files_set (TpLdsFiles *files,
                  guint16     fid,
                  GBytes     *data)
{
  g_return_if_fail (files != NULL);

  if (data == NULL)
    g_hash_table_remove (files->files, GUINT_TO_POINTER ((guint) fid));
  else
    g_hash_table_replace (files->files, GUINT_TO_POINTER ((guint) fid), g_bytes_ref (data));
}

GBytes *
tp_lds_files_get (TpLdsFiles *files,
                  guint16     fid)
{
  g_return_val_if_fail (files != NULL, NULL);

  return g_hash_table_lookup (files->files, GUINT_TO_POINTER ((guint) fid));
}

static int
compare_fids (gconstpointer a,
              gconstpointer b)
{
  return (int) *(const guint16 *) a - (int) *(const guint16 *) b;
}

GArray *
tp_lds_files_get_fids (TpLdsFiles *files)
{
  GArray *fids = g_array_new (FALSE, FALSE, sizeof (guint16));
  GHashTableIter iter;
  gpointer key;

  g_return_val_if_fail (files != NULL, fids);

  g_hash_table_iter_init (&iter, files->files);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      guint16 fid = (guint16) GPOINTER_TO_UINT (key);

      g_array_append_val (fids, fid);
    }
  g_array_sort (fids, compare_fids);
  return fids;
}

/* ---- EF.COM ------------------------------------------------------------- */

TpLdsCom *
tp_lds_com_parse (const guint8  *data,
                  gsize          len,
                  GError       **error)
{
  g_autoptr(TpLdsCom) com = NULL;
  GError *local_error = NULL;
  TpTlv outer, tlv;
  TpTlvIter iter;
  gboolean have_list = FALSE;

  g_return_val_if_fail (data != NULL || len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!read_outer (data, len, TP_LDS_TAG_COM, "EF.COM", &outer, error))
    return NULL;

  com = g_new0 (TpLdsCom, 1);
  com->tags = g_array_new (FALSE, FALSE, sizeof (guint));
  com->dgs = g_array_new (FALSE, FALSE, sizeof (guint));

  if (!tp_tlv_iter_init_children (&iter, &outer, &local_error))
    return (prefix_error (error, local_error, "EF.COM"), NULL);
  while (tp_tlv_iter_next (&iter, &tlv, &local_error))
    {
      switch (tlv.tag)
        {
        case 0x5F01:
          if (com->lds_version == NULL)
            com->lds_version = version_string (&tlv);
          break;
        case 0x5F36:
          if (com->unicode_version == NULL)
            com->unicode_version = version_string (&tlv);
          break;
        case 0x5C:
          if (have_list)
            break;
          have_list = TRUE;
          for (gsize i = 0; i < tlv.length; )
            {
              guint tag = tlv.value[i++];
              guint dg;

              /* a multi-byte tag: first byte xxx11111, then bytes with bit 8
               * set but the last */
              if ((tag & 0x1F) == 0x1F)
                {
                  guint extra = 0;

                  do
                    {
                      if (i >= tlv.length || extra == 3)
                        {
                          g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT,
                                       "EF.COM: the tag list (5C) ends inside a tag");
                          return NULL;
                        }
                      tag = (tag << 8) | tlv.value[i];
                      extra++;
                    }
                  while (tlv.value[i++] & 0x80);
                }
              g_array_append_val (com->tags, tag);
              dg = tp_lds_dg_from_tag (tag);
              if (dg != 0 && !tp_lds_com_has_dg (com, dg))
                g_array_append_val (com->dgs, dg);
            }
          break;
        default:
          break;
        }
    }
  if (local_error != NULL)
    return (prefix_error (error, local_error, "EF.COM"), NULL);
  if (!have_list)
    {
      g_set_error_literal (error, TP_ERROR, TP_ERROR_INVALID_INPUT,
                           "EF.COM: no tag list (5C)");
      return NULL;
    }
  return g_steal_pointer (&com);
}

void
tp_lds_com_free (TpLdsCom *com)
{
  if (com == NULL)
    return;
  g_free (com->lds_version);
  g_free (com->unicode_version);
  g_clear_pointer (&com->tags, g_array_unref);
  g_clear_pointer (&com->dgs, g_array_unref);
  g_free (com);
}

gboolean
tp_lds_com_has_dg (const TpLdsCom *com,
                   guint           dg)
{
  g_return_val_if_fail (com != NULL, FALSE);

  for (guint i = 0; i < com->dgs->len; i++)
    if (g_array_index (com->dgs, guint, i) == dg)
      return TRUE;
  return FALSE;
}

/* ---- DG1 ---------------------------------------------------------------- */

TpLdsDg1 *
tp_lds_dg1_parse (const guint8  *data,
                  gsize          len,
                  const GDate   *reference,
                  GError       **error)
{
  g_autoptr(TpLdsDg1) dg1 = NULL;
  GError *local_error = NULL;
  TpTlv outer, mrz;

  g_return_val_if_fail (data != NULL || len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!read_outer (data, len, 0x61, "DG1", &outer, error))
    return NULL;
  if (!tp_tlv_find_child (&outer, 0x5F1F, &mrz, &local_error))
    {
      if (local_error != NULL)
        return (prefix_error (error, local_error, "DG1"), NULL);
      g_set_error_literal (error, TP_ERROR, TP_ERROR_INVALID_INPUT, "DG1: no MRZ data element (5F1F)");
      return NULL;
    }
  if (mrz.length > 0 && memchr (mrz.value, '\0', mrz.length) != NULL)
    {
      g_set_error_literal (error, TP_ERROR, TP_ERROR_INVALID_INPUT, "DG1: the MRZ (5F1F) contains a NUL byte");
      return NULL;
    }

  dg1 = g_new0 (TpLdsDg1, 1);
  dg1->text = g_strndup ((const char *) mrz.value, mrz.length);
  dg1->mrz = tp_mrz_parse (dg1->text, reference, &local_error);
  if (dg1->mrz == NULL)
    {
      g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT,
                   "DG1: the MRZ (5F1F, %" G_GSIZE_FORMAT " characters) is not a machine readable zone: %s",
                   mrz.length, local_error->message);
      g_error_free (local_error);
      return NULL;
    }
  return g_steal_pointer (&dg1);
}

void
tp_lds_dg1_free (TpLdsDg1 *dg1)
{
  if (dg1 == NULL)
    return;
  g_free (dg1->text);
  g_clear_pointer (&dg1->mrz, tp_mrz_free);
  g_free (dg1);
}

/* ---- DG2 ---------------------------------------------------------------- */

static void
face_set_image (TpLdsFace    *face,
                const guint8 *data,
                gsize         len)
{
  TpFaceInfo info;

  face->image = g_bytes_new (data, len);
  face->format = tp_face_sniff_format (data, len);
  face->width = face->header_width;
  face->height = face->header_height;
  if (tp_face_probe (data, len, &info, NULL))
    {
      face->width = info.width;
      face->height = info.height;
    }
}

gboolean
tp_lds_parse_facial_record (const guint8  *data,
                            gsize          len,
                            guint          instance,
                            GPtrArray     *faces,
                            GError       **error)
{
  guint32 record_length;
  guint n_faces;
  gsize pos;

  g_return_val_if_fail (data != NULL || len == 0, FALSE);
  g_return_val_if_fail (faces != NULL, FALSE);

  if (len < FAC_GENERAL_HEADER)
    {
      g_set_error (error, TP_ERROR, TP_ERROR_TRUNCATED,
                   "facial record: %" G_GSIZE_FORMAT " bytes, shorter than its %d-byte header",
                   len, FAC_GENERAL_HEADER);
      return FALSE;
    }
  if (memcmp (data, "FAC\0", 4) != 0)
    {
      g_set_error_literal (error, TP_ERROR, TP_ERROR_INVALID_INPUT,
                           "facial record: no format identifier 'FAC' (ISO/IEC 19794-5)");
      return FALSE;
    }
  if (memcmp (data + 4, "010\0", 4) != 0)
    {
      g_set_error (error, TP_ERROR, TP_ERROR_UNSUPPORTED,
                   "facial record: version %.3s, only 010 (ISO/IEC 19794-5:2005) is read",
                   g_ascii_isprint (data[4]) && g_ascii_isprint (data[5]) && g_ascii_isprint (data[6])
                   ? (const char *) data + 4 : "???");
      return FALSE;
    }
  record_length = read_be (data + 8, 4);
  n_faces = read_be (data + 12, 2);
  if (record_length < FAC_GENERAL_HEADER || record_length > len)
    {
      g_set_error (error, TP_ERROR, record_length > len ? TP_ERROR_TRUNCATED : TP_ERROR_INVALID_INPUT,
                   "facial record: declares %u bytes, %" G_GSIZE_FORMAT " present",
                   record_length, len);
      return FALSE;
    }
  if (n_faces == 0)
    {
      g_set_error_literal (error, TP_ERROR, TP_ERROR_INVALID_INPUT,
                           "facial record: declares no facial image");
      return FALSE;
    }
  len = record_length;

  pos = FAC_GENERAL_HEADER;
  for (guint i = 0; i < n_faces; i++)
    {
      const guint8 *p = data + pos;
      guint32 data_length;
      guint n_points;
      gsize image_info, image_start;
      TpLdsFace *face;

      if (len - pos < FAC_INFORMATION)
        {
          g_set_error (error, TP_ERROR, TP_ERROR_TRUNCATED,
                       "facial record: image %u of %u: the record ends inside its facial information",
                       i + 1, n_faces);
          return FALSE;
        }
      data_length = read_be (p, 4);
      n_points = read_be (p + 4, 2);
      if (data_length > len - pos ||
          data_length < FAC_INFORMATION + FAC_IMAGE_INFO + (gsize) n_points * FAC_FEATURE_POINT)
        {
          g_set_error (error, TP_ERROR, data_length > len - pos ? TP_ERROR_TRUNCATED : TP_ERROR_INVALID_INPUT,
                       "facial record: image %u declares %u bytes with %u feature points; "
                       "%" G_GSIZE_FORMAT " bytes remain, at least %" G_GSIZE_FORMAT " needed",
                       i + 1, data_length, n_points, len - pos,
                       (gsize) FAC_INFORMATION + FAC_IMAGE_INFO + (gsize) n_points * FAC_FEATURE_POINT);
          return FALSE;
        }

      face = g_new0 (TpLdsFace, 1);
      face->instance = instance;
      memcpy (face->record_version, "010", 4);
      face->biometric_type = -1;
      face->n_feature_points = n_points;
      face->gender = p[6];
      face->eye_colour = p[7];
      face->hair_colour = p[8];
      face->expression = read_be (p + 12, 2);

      image_info = pos + FAC_INFORMATION + (gsize) n_points * FAC_FEATURE_POINT;
      face->face_image_type = data[image_info];
      face->image_data_type = data[image_info + 1];
      face->header_width = read_be (data + image_info + 2, 2);
      face->header_height = read_be (data + image_info + 4, 2);
      face->colour_space = data[image_info + 6];
      face->source_type = data[image_info + 7];
      image_start = image_info + FAC_IMAGE_INFO;
      face_set_image (face, data + image_start, pos + data_length - image_start);
      g_ptr_array_add (faces, face);

      pos += data_length;
    }
  return TRUE;
}

typedef struct {
  const guint8 *best;
  gsize         best_len;
} ImageScan;

static gboolean
scan_image_cb (const TpTlv *tlv,
               guint        depth,
               gpointer     user_data)
{
  ImageScan *scan = user_data;

  if (!tlv->constructed && tlv->value != NULL && tlv->length > scan->best_len &&
      tp_face_sniff_format (tlv->value, tlv->length) != TP_FACE_FORMAT_UNKNOWN)
    {
      scan->best = tlv->value;
      scan->best_len = tlv->length;
    }
  return TRUE;
}

static void
read_bht (const TpTlv *bht,
          TpLdsFace   *face)
{
  TpTlvIter iter;
  TpTlv tlv;

  if (!tp_tlv_iter_init_children (&iter, bht, NULL))
    return;
  while (tp_tlv_iter_next (&iter, &tlv, NULL))
    {
      if (tlv.tag == 0x81 && tlv.length >= 1 && tlv.length <= 3)
        face->biometric_type = (gint) read_be (tlv.value, (guint) tlv.length);
      else if (tlv.tag == 0x87 && tlv.length == 2)
        face->format_owner = (guint16) read_be (tlv.value, 2);
      else if (tlv.tag == 0x88 && tlv.length == 2)
        face->format_type = (guint16) read_be (tlv.value, 2);
    }
}

static gboolean
parse_biometric_template (const TpTlv  *bit,
                          guint         instance,
                          GPtrArray    *faces,
                          GError      **error)
{
  GError *local_error = NULL;
  TpTlv bht = { 0 }, bdb = { 0 }, tlv;
  TpTlvIter iter;
  gboolean have_bht = FALSE, have_bdb = FALSE;
  guint first = faces->len;

  if (!tp_tlv_iter_init_children (&iter, bit, &local_error))
    return prefix_error (error, local_error, "DG2");
  while (tp_tlv_iter_next (&iter, &tlv, &local_error))
    {
      if (tlv.tag == 0xA1 && !have_bht)
        {
          bht = tlv;
          have_bht = TRUE;
        }
      else if ((tlv.tag == 0x5F2E || tlv.tag == 0x7F2E) && !have_bdb)
        {
          bdb = tlv;
          have_bdb = TRUE;
        }
    }
  if (local_error != NULL)
    return prefix_error (error, local_error, "DG2");
  if (!have_bdb)
    {
      g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT,
                   "DG2: biometric information template %u has no biometric data block (5F2E or 7F2E)",
                   instance + 1);
      return FALSE;
    }

  if (bdb.tag == 0x5F2E || (bdb.length >= 4 && memcmp (bdb.value, "FAC\0", 4) == 0))
    {
      if (!tp_lds_parse_facial_record (bdb.value, bdb.length, instance, faces, &local_error))
        {
          g_set_error (error, TP_ERROR, local_error->code, "DG2: template %u: %s",
                       instance + 1, local_error->message);
          g_error_free (local_error);
          return FALSE;
        }
    }
  else
    {
      /* 7F2E: ISO/IEC 39794-5 data in BER-TLV. The image is the largest
       * primitive value that starts like an image. */
      ImageScan scan = { NULL, 0 };
      TpLdsFace *face;

      if (!tp_tlv_walk (bdb.value, bdb.length, 16, scan_image_cb, &scan, &local_error))
        g_clear_error (&local_error);
      if (scan.best == NULL && tp_face_sniff_format (bdb.value, bdb.length) != TP_FACE_FORMAT_UNKNOWN)
        {
          scan.best = bdb.value;
          scan.best_len = bdb.length;
        }
      if (scan.best == NULL)
        {
          g_set_error (error, TP_ERROR, TP_ERROR_UNSUPPORTED,
                       "DG2: template %u: the biometric data block (7F2E) holds no image "
                       "that can be found", instance + 1);
          return FALSE;
        }
      face = g_new0 (TpLdsFace, 1);
      face->instance = instance;
      face->biometric_type = -1;
      face->image_data_type = tp_face_sniff_format (scan.best, scan.best_len) == TP_FACE_FORMAT_JPEG ? 0 : 1;
      face_set_image (face, scan.best, scan.best_len);
      face->header_width = face->width;
      face->header_height = face->height;
      g_ptr_array_add (faces, face);
    }

  if (have_bht)
    for (guint i = first; i < faces->len; i++)
      {
        TpLdsFace *face = g_ptr_array_index (faces, i);

        read_bht (&bht, face);
      }
  return TRUE;
}

TpLdsDg2 *
tp_lds_dg2_parse (const guint8  *data,
                  gsize          len,
                  GError       **error)
{
  g_autoptr(TpLdsDg2) dg2 = NULL;
  GError *local_error = NULL;
  TpTlv outer, group, tlv;
  TpTlvIter iter;
  guint instance = 0;

  g_return_val_if_fail (data != NULL || len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!read_outer (data, len, 0x75, "DG2", &outer, error))
    return NULL;
  if (!tp_tlv_find_child (&outer, 0x7F61, &group, &local_error))
    {
      if (local_error != NULL)
        return (prefix_error (error, local_error, "DG2"), NULL);
      g_set_error_literal (error, TP_ERROR, TP_ERROR_INVALID_INPUT,
                           "DG2: no biometric information group template (7F61)");
      return NULL;
    }
  if (!group.constructed)
    {
      g_set_error_literal (error, TP_ERROR, TP_ERROR_INVALID_INPUT, "DG2: 7F61 is not constructed");
      return NULL;
    }

  dg2 = g_new0 (TpLdsDg2, 1);
  dg2->faces = g_ptr_array_new_with_free_func ((GDestroyNotify) tp_lds_face_free);

  if (!tp_tlv_iter_init_children (&iter, &group, &local_error))
    return (prefix_error (error, local_error, "DG2"), NULL);
  while (tp_tlv_iter_next (&iter, &tlv, &local_error))
    {
      if (tlv.tag != 0x7F60)
        continue;
      if (!tlv.constructed)
        {
          g_set_error_literal (error, TP_ERROR, TP_ERROR_INVALID_INPUT, "DG2: 7F60 is not constructed");
          return NULL;
        }
      if (!parse_biometric_template (&tlv, instance++, dg2->faces, error))
        return NULL;
    }
  if (local_error != NULL)
    return (prefix_error (error, local_error, "DG2"), NULL);
  if (dg2->faces->len == 0)
    {
      g_set_error_literal (error, TP_ERROR, TP_ERROR_INVALID_INPUT,
                           "DG2: no biometric information template (7F60)");
      return NULL;
    }
  return g_steal_pointer (&dg2);
}

void
tp_lds_face_free (TpLdsFace *face)
{
  if (face == NULL)
    return;
  g_clear_pointer (&face->image, g_bytes_unref);
  g_free (face);
}

void
tp_lds_dg2_free (TpLdsDg2 *dg2)
{
  if (dg2 == NULL)
    return;
  g_clear_pointer (&dg2->faces, g_ptr_array_unref);
  g_free (dg2);
}

/* ---- DG11 and DG12 ------------------------------------------------------ */

/* Reads the entries with tag entry_tag inside an A0 group into list. */
static gboolean
read_group (const TpTlv  *group,
            guint32       entry_tag,
            const char   *what,
            GPtrArray    *list,
            gboolean     *latin1,
            GError      **error)
{
  GError *local_error = NULL;
  TpTlvIter iter;
  TpTlv tlv;

  if (!tp_tlv_iter_init_children (&iter, group, &local_error))
    return prefix_error (error, local_error, what);
  while (tp_tlv_iter_next (&iter, &tlv, &local_error))
    if (tlv.tag == entry_tag)
      {
        char *text = text_value (&tlv, what, latin1, error);

        if (text == NULL)
          return FALSE;
        g_ptr_array_add (list, text);
      }
  if (local_error != NULL)
    return prefix_error (error, local_error, what);
  return TRUE;
}

static gboolean
set_text (char        **field,
          const TpTlv  *tlv,
          const char   *what,
          gboolean     *latin1,
          GError      **error)
{
  if (*field != NULL)
    return TRUE;   /* the first occurrence counts */
  *field = text_value (tlv, what, latin1, error);
  return *field != NULL;
}

static void
set_bytes (GBytes      **field,
           const TpTlv  *tlv)
{
  if (*field == NULL)
    *field = g_bytes_new (tlv->value, tlv->length);
}

/* A date or time element: @n_digits ASCII digits or @n_digits / 2 BCD
 * bytes; the first occurrence counts. */
static gboolean
set_digits (char        **field,
            const TpTlv  *tlv,
            gsize         n_digits,
            const char   *what,
            const char   *element,
            GError      **error)
{
  if (*field != NULL)
    return TRUE;
  *field = digits_value (tlv, n_digits);
  if (*field == NULL)
    {
      g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT,
                   "%s: %s (%X) is %" G_GSIZE_FORMAT " bytes that are neither %s nor %"
                   G_GSIZE_FORMAT " BCD bytes", what, element, tlv->tag, tlv->length,
                   n_digits == 8 ? "YYYYMMDD" : "YYYYMMDDhhmmss", n_digits / 2);
      return FALSE;
    }
  return TRUE;
}

/* One more name in a list element (other names, other persons). */
static gboolean
add_text (GPtrArray    *list,
          const TpTlv  *tlv,
          const char   *what,
          gboolean     *latin1,
          GError      **error)
{
  char *text = text_value (tlv, what, latin1, error);

  if (text == NULL)
    return FALSE;
  g_ptr_array_add (list, text);
  return TRUE;
}

static char *
name_part (const char *s,
           gsize       len)
{
  char *out = g_strndup (s, len);

  g_strdelimit (out, "<", ' ');
  return g_strstrip (out);
}

TpLdsDg11 *
tp_lds_dg11_parse (const guint8  *data,
                   gsize          len,
                   GError       **error)
{
  g_autoptr(TpLdsDg11) dg = NULL;
  GError *local_error = NULL;
  TpTlv outer, tlv;
  TpTlvIter iter;
  gboolean ok = TRUE;

  g_return_val_if_fail (data != NULL || len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!read_outer (data, len, 0x6B, "DG11", &outer, error))
    return NULL;
  dg = g_new0 (TpLdsDg11, 1);
  dg->other_names = g_ptr_array_new_with_free_func (g_free);

  if (!tp_tlv_iter_init_children (&iter, &outer, &local_error))
    return (prefix_error (error, local_error, "DG11"), NULL);
  while (ok && tp_tlv_iter_next (&iter, &tlv, &local_error))
    {
      switch (tlv.tag)
        {
        case 0x5F0E: ok = set_text (&dg->full_name, &tlv, "DG11", &dg->latin1, error); break;
        case 0x5F10: ok = set_text (&dg->personal_number, &tlv, "DG11", &dg->latin1, error); break;
        case 0x5F11: ok = set_text (&dg->place_of_birth, &tlv, "DG11", &dg->latin1, error); break;
        case 0x5F42: ok = set_text (&dg->address, &tlv, "DG11", &dg->latin1, error); break;
        case 0x5F12: ok = set_text (&dg->telephone, &tlv, "DG11", &dg->latin1, error); break;
        case 0x5F13: ok = set_text (&dg->profession, &tlv, "DG11", &dg->latin1, error); break;
        case 0x5F14: ok = set_text (&dg->title, &tlv, "DG11", &dg->latin1, error); break;
        case 0x5F15: ok = set_text (&dg->personal_summary, &tlv, "DG11", &dg->latin1, error); break;
        case 0x5F17: ok = set_text (&dg->other_td_numbers, &tlv, "DG11", &dg->latin1, error); break;
        case 0x5F18: ok = set_text (&dg->custody_information, &tlv, "DG11", &dg->latin1, error); break;
        case 0x5F16: set_bytes (&dg->proof_of_citizenship, &tlv); break;
        case 0x5F2B:
          ok = set_digits (&dg->birth_date, &tlv, 8, "DG11", "full date of birth", error);
          if (ok && dg->birth_date_iso == NULL)
            dg->birth_date_iso = iso_date (dg->birth_date);
          break;
        case 0x5F0F: ok = add_text (dg->other_names, &tlv, "DG11", &dg->latin1, error); break;
        case 0xA0:
          ok = read_group (&tlv, 0x5F0F, "DG11", dg->other_names, &dg->latin1, error);
          break;
        default:
          break;
        }
    }
  if (!ok)
    return NULL;
  if (local_error != NULL)
    return (prefix_error (error, local_error, "DG11"), NULL);

  if (dg->full_name != NULL)
    {
      const char *sep = strstr (dg->full_name, "<<");

      if (sep != NULL)
        {
          dg->primary_identifier = name_part (dg->full_name, (gsize) (sep - dg->full_name));
          dg->secondary_identifier = name_part (sep + 2, strlen (sep + 2));
        }
      else
        {
          dg->primary_identifier = name_part (dg->full_name, strlen (dg->full_name));
          dg->secondary_identifier = g_strdup ("");
        }
    }
  return g_steal_pointer (&dg);
}

void
tp_lds_dg11_free (TpLdsDg11 *dg)
{
  if (dg == NULL)
    return;
  g_free (dg->full_name);
  g_free (dg->primary_identifier);
  g_free (dg->secondary_identifier);
  g_clear_pointer (&dg->other_names, g_ptr_array_unref);
  g_free (dg->personal_number);
  g_free (dg->birth_date);
  g_free (dg->birth_date_iso);
  g_free (dg->place_of_birth);
  g_free (dg->address);
  g_free (dg->telephone);
  g_free (dg->profession);
  g_free (dg->title);
  g_free (dg->personal_summary);
  g_clear_pointer (&dg->proof_of_citizenship, g_bytes_unref);
  g_free (dg->other_td_numbers);
  g_free (dg->custody_information);
  g_free (dg);
}

TpLdsDg12 *
tp_lds_dg12_parse (const guint8  *data,
                   gsize          len,
                   GError       **error)
{
  g_autoptr(TpLdsDg12) dg = NULL;
  GError *local_error = NULL;
  TpTlv outer, tlv;
  TpTlvIter iter;
  gboolean ok = TRUE;

  g_return_val_if_fail (data != NULL || len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!read_outer (data, len, 0x6C, "DG12", &outer, error))
    return NULL;
  dg = g_new0 (TpLdsDg12, 1);
  dg->other_persons = g_ptr_array_new_with_free_func (g_free);

  if (!tp_tlv_iter_init_children (&iter, &outer, &local_error))
    return (prefix_error (error, local_error, "DG12"), NULL);
  while (ok && tp_tlv_iter_next (&iter, &tlv, &local_error))
    {
      switch (tlv.tag)
        {
        case 0x5F19: ok = set_text (&dg->issuing_authority, &tlv, "DG12", &dg->latin1, error); break;
        case 0x5F1B: ok = set_text (&dg->endorsements, &tlv, "DG12", &dg->latin1, error); break;
        case 0x5F1C: ok = set_text (&dg->tax_exit_requirements, &tlv, "DG12", &dg->latin1, error); break;
        case 0x5F56: ok = set_text (&dg->personalization_serial, &tlv, "DG12", &dg->latin1, error); break;
        case 0x5F1D: set_bytes (&dg->front_image, &tlv); break;
        case 0x5F1E: set_bytes (&dg->rear_image, &tlv); break;
        case 0x5F26:
          ok = set_digits (&dg->date_of_issue, &tlv, 8, "DG12", "date of issue", error);
          if (ok && dg->date_of_issue_iso == NULL)
            dg->date_of_issue_iso = iso_date (dg->date_of_issue);
          break;
        case 0x5F55:
          ok = set_digits (&dg->personalization_time, &tlv, 14, "DG12", "personalization time", error);
          break;
        case 0x5F1A: ok = add_text (dg->other_persons, &tlv, "DG12", &dg->latin1, error); break;
        case 0xA0:
          ok = read_group (&tlv, 0x5F1A, "DG12", dg->other_persons, &dg->latin1, error);
          break;
        default:
          break;
        }
    }
  if (!ok)
    return NULL;
  if (local_error != NULL)
    return (prefix_error (error, local_error, "DG12"), NULL);
  return g_steal_pointer (&dg);
}

void
tp_lds_dg12_free (TpLdsDg12 *dg)
{
  if (dg == NULL)
    return;
  g_free (dg->issuing_authority);
  g_free (dg->date_of_issue);
  g_free (dg->date_of_issue_iso);
  g_clear_pointer (&dg->other_persons, g_ptr_array_unref);
  g_free (dg->endorsements);
  g_free (dg->tax_exit_requirements);
  g_clear_pointer (&dg->front_image, g_bytes_unref);
  g_clear_pointer (&dg->rear_image, g_bytes_unref);
  g_free (dg->personalization_time);
  g_free (dg->personalization_serial);
  g_free (dg);
}

/* ---- DG15 --------------------------------------------------------------- */

TpLdsDg15 *
tp_lds_dg15_parse (const guint8  *data,
                   gsize          len,
                   GError       **error)
{
  TpLdsDg15 *dg;
  TpTlv outer;
  const unsigned char *p;
  EVP_PKEY *key;

  g_return_val_if_fail (data != NULL || len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!read_outer (data, len, 0x6F, "DG15", &outer, error))
    return NULL;
  p = outer.value;
  key = d2i_PUBKEY (NULL, &p, (long) MIN (outer.length, G_MAXLONG));
  if (key == NULL || p != outer.value + outer.length)
    {
      g_autofree char *reason = tp_chip_openssl_reason ();

      g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT,
                   "DG15: the content is not one SubjectPublicKeyInfo (%s)",
                   key != NULL ? "bytes follow it" : reason);
      EVP_PKEY_free (key);
      return NULL;
    }
  ERR_clear_error ();
  dg = g_new0 (TpLdsDg15, 1);
  dg->public_key = key;
  dg->spki = g_bytes_new (outer.value, outer.length);
  return dg;
}

void
tp_lds_dg15_free (TpLdsDg15 *dg)
{
  if (dg == NULL)
    return;
  EVP_PKEY_free (dg->public_key);
  g_clear_pointer (&dg->spki, g_bytes_unref);
  g_free (dg);
}
