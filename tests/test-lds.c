/* test-lds.c: LDS data groups (ICAO 9303 Part 10) and face images
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "tp-chip-auth.h"
#include "tp-error.h"
#include "tp-face.h"
#include "tp-lds.h"
#include "tp-test-document.h"
#include "tp-test-util.h"
#include "tp-tlv.h"

static GBytes *
hex (const char *text)
{
  return g_byte_array_free_to_bytes (tp_test_hex (text));
}

static TpTestPki *pki;
static TpTestDocument *shared_doc;

static TpTestDocument *
make_doc (const TpTestDocumentOptions *options)
{
  g_autoptr(GError) error = NULL;
  TpTestDocument *doc = tp_test_pki_make_document (pki, options, &error);

  g_assert_no_error (error);
  return doc;
}

static TpTestDocument *
default_doc (void)
{
  if (shared_doc == NULL)
    shared_doc = make_doc (NULL);
  return shared_doc;
}

#define FILE_DATA(doc, fid) \
  g_bytes_get_data (tp_lds_files_get ((doc)->files, (fid)), NULL), \
  g_bytes_get_size (tp_lds_files_get ((doc)->files, (fid)))

/* ---- identifiers and files ---------------------------------------------- */

static void
test_identifiers (void)
{
  g_autoptr(TpLdsFiles) files = tp_lds_files_new ();
  g_autoptr(GBytes) a = g_bytes_new_static ("a", 1);
  g_autoptr(GArray) fids = NULL;
  gsize total = 0;
  g_autoptr(GError) error = NULL;

  g_assert_cmphex (tp_lds_dg_fid (1), ==, 0x0101);
  g_assert_cmphex (tp_lds_dg_fid (16), ==, 0x0110);
  g_assert_cmphex (tp_lds_dg_tag (2), ==, 0x75);
  g_assert_cmphex (tp_lds_dg_tag (11), ==, 0x6B);
  g_assert_cmphex (tp_lds_dg_tag (17), ==, 0);
  g_assert_cmpuint (tp_lds_dg_from_tag (0x6F), ==, 15);
  g_assert_cmpuint (tp_lds_dg_from_tag (0x77), ==, 0);
  g_assert_cmpuint (tp_lds_dg_from_fid (0x010E), ==, 14);
  g_assert_cmpuint (tp_lds_dg_from_fid (TP_LDS_FID_COM), ==, 0);
  g_assert_cmphex (tp_lds_fid_to_sfi (TP_LDS_FID_COM), ==, 0x1E);
  g_assert_cmphex (tp_lds_fid_to_sfi (TP_LDS_FID_SOD), ==, 0x1D);
  g_assert_cmphex (tp_lds_fid_to_sfi (TP_LDS_FID_DG2), ==, 0x02);
  g_assert_cmpstr (tp_lds_fid_name (TP_LDS_FID_DG12), ==, "DG12");
  g_assert_cmpstr (tp_lds_fid_name (TP_LDS_FID_SOD), ==, "SOD");
  g_assert_null (tp_lds_fid_name (0x3F00));

  /* the reader's first read: 4 bytes tell a DG2 of 20 KB */
  g_assert_true (tp_lds_file_total_length ((const guint8 *) "\x75\x82\x4E\x20", 4, &total, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (total, ==, 4 + 0x4E20);
  g_assert_false (tp_lds_file_total_length ((const guint8 *) "\x75\x82\x4E", 3, &total, &error));
  g_assert_error (error, TP_ERROR, TP_ERROR_TRUNCATED);

  tp_lds_files_set (files, TP_LDS_FID_SOD, a);
  tp_lds_files_set (files, TP_LDS_FID_DG1, a);
  tp_lds_files_set (files, TP_LDS_FID_COM, a);
  fids = tp_lds_files_get_fids (files);
  g_assert_cmpuint (fids->len, ==, 3);
  g_assert_cmphex (g_array_index (fids, guint16, 0), ==, 0x0101);
  g_assert_cmphex (g_array_index (fids, guint16, 2), ==, 0x011E);
  tp_lds_files_set (files, TP_LDS_FID_SOD, NULL);
  g_assert_null (tp_lds_files_get (files, TP_LDS_FID_SOD));
  g_assert_true (tp_lds_files_get (files, TP_LDS_FID_DG1) == a);
}

/* ---- EF.COM ------------------------------------------------------------- */

static void
test_com (void)
{
  /* LDS 1.7, Unicode 4.0.0, DG1 DG2 DG11 DG12 DG14 DG15, written by hand */
  g_autoptr(GBytes) bytes = hex ("60 18 5F01 04 30313037 5F36 06 303430303030 5C 06 61756B6C6E6F");
  g_autoptr(GError) error = NULL;
  g_autoptr(TpLdsCom) com = tp_lds_com_parse (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error);
  g_autoptr(TpLdsCom) built = NULL;
  static const guint expected[] = { 1, 2, 11, 12, 14, 15 };

  g_assert_no_error (error);
  g_assert_cmpstr (com->lds_version, ==, "1.7");
  g_assert_cmpstr (com->unicode_version, ==, "4.0.0");
  g_assert_cmpuint (com->dgs->len, ==, 6);
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmpuint (g_array_index (com->dgs, guint, i), ==, expected[i]);
  g_assert_true (tp_lds_com_has_dg (com, 14));
  g_assert_false (tp_lds_com_has_dg (com, 3));

  /* the builder writes the same bytes */
  {
    g_autoptr(GBytes) same = tp_test_build_com ("0107", "040000", expected, G_N_ELEMENTS (expected));

    g_assert_true (g_bytes_equal (same, bytes));
  }

  built = tp_lds_com_parse (FILE_DATA (default_doc (), TP_LDS_FID_COM), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (built->dgs->len, ==, 6);
}

static void
test_com_errors (void)
{
  static const char *const cases[] = {
    "61 03 5C 01 61",          /* wrong outer tag */
    "60 05 5F01 02 3031",      /* no tag list */
    "60 04 5C 02 5F",          /* truncated value */
    "60 03 5C 01 7F",          /* tag list ends inside a two-byte tag */
    "",                        /* empty */
    "60",                      /* header only */
    "60 84 FFFFFFFF 5C",       /* length lying: 4 GB */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) bytes = hex (cases[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(TpLdsCom) com = tp_lds_com_parse (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error);

      g_assert_null (com);
      g_assert_nonnull (error);
      g_assert_true (g_str_has_prefix (error->message, "EF.COM: "));
    }
}

/* ---- DG1 ---------------------------------------------------------------- */

static void
test_dg1 (void)
{
  TpTestDocument *doc = default_doc ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TpLdsDg1) dg1 = tp_lds_dg1_parse (FILE_DATA (doc, TP_LDS_FID_DG1), NULL, &error);
  g_auto(GStrv) lines = g_strsplit (doc->mrz, "\n", -1);

  g_assert_no_error (error);
  g_assert_cmpuint (strlen (dg1->text), ==, 88);
  g_assert_true (g_str_has_prefix (dg1->text, lines[0]));
  g_assert_true (dg1->mrz->valid);
  g_assert_cmpint (dg1->mrz->format, ==, TP_MRZ_FORMAT_TD3);
  g_assert_cmpstr (dg1->mrz->document_number, ==, "C1234567");
  g_assert_cmpstr (dg1->mrz->primary_identifier, ==, "NGUYEN");
  g_assert_cmpstr (dg1->mrz->secondary_identifier, ==, "VAN AN");
  g_assert_cmpstr (dg1->mrz->nationality, ==, "VNM");
  g_assert_cmpstr (dg1->mrz->optional_data, ==, "001080012345");
  g_assert_cmpstr (dg1->mrz->birth_date.iso, ==, "1980-05-17");
}

static void
test_dg1_errors (void)
{
  static const char *const cases[] = {
    "61 03 5F20 00",                 /* no 5F1F */
    "61 05 5F1F 02 5031",            /* not an MRZ */
    "61 06 5F1F 03 500031",          /* NUL inside */
    "61 05 5F1F 10 5031",            /* length lying */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) bytes = hex (cases[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(TpLdsDg1) dg1 = tp_lds_dg1_parse (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                                  NULL, &error);

      g_assert_null (dg1);
      g_assert_nonnull (error);
      g_assert_true (g_str_has_prefix (error->message, "DG1: "));
    }
}

/* ---- DG2 and faces ------------------------------------------------------ */

static void
check_dg2 (TpFaceFormat format)
{
  TpTestDocumentOptions o;
  g_autoptr(TpTestDocument) doc = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TpLdsDg2) dg2 = NULL;
  TpLdsFace *face;
  gsize image_len;
  const guint8 *image;

  tp_test_document_options_init (&o);
  o.face_format = format;
  doc = make_doc (&o);
  g_assert_cmpuint (g_bytes_get_size (tp_lds_files_get (doc->files, TP_LDS_FID_DG2)), >, 14000);
  g_assert_cmpuint (g_bytes_get_size (tp_lds_files_get (doc->files, TP_LDS_FID_DG2)), <, 21000);

  dg2 = tp_lds_dg2_parse (FILE_DATA (doc, TP_LDS_FID_DG2), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (dg2->faces->len, ==, 1);
  face = g_ptr_array_index (dg2->faces, 0);
  g_assert_cmpuint (face->instance, ==, 0);
  g_assert_cmphex (face->format_owner, ==, 0x0101);
  g_assert_cmphex (face->format_type, ==, 0x0008);
  g_assert_cmpint (face->biometric_type, ==, 2);
  g_assert_cmpstr (face->record_version, ==, "010");
  g_assert_cmpuint (face->image_data_type, ==, format == TP_FACE_FORMAT_JPEG ? 0 : 1);
  g_assert_cmpuint (face->face_image_type, ==, 1);
  g_assert_cmpuint (face->header_width, ==, 480);
  g_assert_cmpuint (face->header_height, ==, 640);
  g_assert_cmpint (face->format, ==, format);
  g_assert_cmpuint (face->width, ==, 480);
  g_assert_cmpuint (face->height, ==, 640);

  image = g_bytes_get_data (face->image, &image_len);
  if (format == TP_FACE_FORMAT_JPEG)
    {
      g_autoptr(TpFaceImage) decoded = tp_face_decode (image, image_len, 0, &error);

      g_assert_null (decoded);
      g_assert_error (error, TP_ERROR, TP_ERROR_UNSUPPORTED);
      g_assert_cmpstr (tp_face_format_to_string (face->format), ==, "jpeg");
    }
  else
    {
      g_autoptr(TpFaceImage) decoded = tp_face_decode (image, image_len, 0, &error);
      const guint8 *px;

      g_assert_no_error (error);
      g_assert_cmpuint (decoded->width, ==, 480);
      g_assert_cmpuint (decoded->height, ==, 640);
      g_assert_cmpuint (decoded->n_channels, ==, 3);
      g_assert_cmpuint (decoded->rowstride, ==, 480 * 3);
      g_assert_cmpuint (g_bytes_get_size (decoded->pixels), ==, 480 * 640 * 3);
      g_assert_cmpstr (tp_face_format_to_string (face->format), ==, "jpeg2000");

      /* lossy, but the picture is there: the background top left is light,
       * the clothing bottom centre dark */
      px = g_bytes_get_data (decoded->pixels, NULL);
      g_assert_cmpuint (px[(10 * 480 + 10) * 3 + 2], >, 180);
      g_assert_cmpuint (px[(630 * 480 + 240) * 3 + 0], <, 110);

      /* a limit below the size refuses it before decoding */
      {
        g_autoptr(TpFaceImage) refused = tp_face_decode (image, image_len, 320, &error);

        g_assert_null (refused);
        g_assert_error (error, TP_ERROR, TP_ERROR_UNSUPPORTED);
        g_assert_nonnull (strstr (error->message, "480×640"));
      }
    }
}

static void
test_dg2_jp2 (void)
{
  check_dg2 (TP_FACE_FORMAT_JP2);
}

static void
test_dg2_j2k (void)
{
  check_dg2 (TP_FACE_FORMAT_J2K);
}

static void
test_dg2_jpeg (void)
{
  check_dg2 (TP_FACE_FORMAT_JPEG);
}

static void
test_face_probe (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) jp2 = tp_test_face_image (TP_FACE_FORMAT_JP2, 96, 128, 3000, &error);
  g_autoptr(GBytes) jpeg = NULL;
  TpFaceInfo info;

  g_assert_no_error (error);
  g_assert_cmpint (tp_face_sniff_format (g_bytes_get_data (jp2, NULL), g_bytes_get_size (jp2)), ==,
                   TP_FACE_FORMAT_JP2);
  g_assert_true (tp_face_probe (g_bytes_get_data (jp2, NULL), g_bytes_get_size (jp2), &info, &error));
  g_assert_cmpuint (info.width, ==, 96);
  g_assert_cmpuint (info.height, ==, 128);
  g_assert_cmpuint (info.components, ==, 3);
  g_assert_cmpuint (info.bits, ==, 8);
  g_assert_cmpuint (info.tiles, ==, 1);
  g_assert_cmpstr (tp_face_format_to_extension (info.format), ==, "jp2");

  jpeg = tp_test_face_image (TP_FACE_FORMAT_JPEG, 100, 50, 0, &error);
  g_assert_true (tp_face_probe (g_bytes_get_data (jpeg, NULL), g_bytes_get_size (jpeg), &info, &error));
  g_assert_cmpuint (info.width, ==, 100);
  g_assert_cmpuint (info.height, ==, 50);
  g_assert_cmpuint (info.components, ==, 3);

  g_assert_false (tp_face_probe ((const guint8 *) "GIF89a", 6, &info, &error));
  g_assert_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_cmpint (tp_face_sniff_format (NULL, 0), ==, TP_FACE_FORMAT_UNKNOWN);

  /* grey lossless round trip */
  {
    guint8 grey[16 * 8];
    g_autoptr(GBytes) j2k = NULL;
    g_autoptr(TpFaceImage) image = NULL;
    const guint8 *px;

    for (guint i = 0; i < sizeof grey; i++)
      grey[i] = (guint8) (i * 2);
    j2k = tp_face_encode_jpeg2000 (grey, 16, 8, 1, TP_FACE_FORMAT_J2K, 0, &error);
    g_assert_no_error (error);
    image = tp_face_decode (g_bytes_get_data (j2k, NULL), g_bytes_get_size (j2k), 0, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (image->width, ==, 16);
    g_assert_cmpuint (image->height, ==, 8);
    px = g_bytes_get_data (image->pixels, NULL);
    for (guint i = 0; i < sizeof grey; i++)
      g_assert_cmpuint (px[i * 3], ==, grey[i]);
  }
}

/* A J2K main header claiming size × size pixels: SOC, SIZ (one component) */
static GBytes *
j2k_header (guint32 width,
            guint32 height,
            guint32 tile)
{
  GByteArray *out = g_byte_array_new ();
  guint8 h[45] = {
    0xFF, 0x4F, 0xFF, 0x51, 0x00, 0x29, 0x00, 0x00,
  };
  guint32 fields[8] = { width, height, 0, 0, tile, tile, 0, 0 };

  for (guint i = 0; i < 8; i++)
    {
      h[8 + 4 * i] = (guint8) (fields[i] >> 24);
      h[9 + 4 * i] = (guint8) (fields[i] >> 16);
      h[10 + 4 * i] = (guint8) (fields[i] >> 8);
      h[11 + 4 * i] = (guint8) fields[i];
    }
  h[40] = 0x00;
  h[41] = 0x01;
  h[42] = 0x07;
  h[43] = 0x01;
  h[44] = 0x01;
  g_byte_array_append (out, h, sizeof h);
  g_byte_array_append (out, (const guint8 *) "\xFF\xD9", 2);
  return g_byte_array_free_to_bytes (out);
}

static void
test_face_hostile (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) huge = j2k_header (60000, 60000, 60000);
  g_autoptr(GBytes) tiles = j2k_header (4000, 4000, 1);
  g_autoptr(GBytes) zero = j2k_header (0, 0, 1);
  g_autoptr(GBytes) j2k = tp_test_face_image (TP_FACE_FORMAT_J2K, 64, 64, 2000, &error);
  g_autoptr(TpFaceImage) image = NULL;
  TpFaceInfo info;
  gsize len = g_bytes_get_size (j2k);
  const guint8 *data = g_bytes_get_data (j2k, NULL);

  image = tp_face_decode (g_bytes_get_data (huge, NULL), g_bytes_get_size (huge), 0, &error);
  g_assert_null (image);
  g_assert_error (error, TP_ERROR, TP_ERROR_UNSUPPORTED);
  g_assert_nonnull (strstr (error->message, "60000×60000"));
  g_clear_error (&error);

  image = tp_face_decode (g_bytes_get_data (tiles, NULL), g_bytes_get_size (tiles), 0, &error);
  g_assert_null (image);
  g_assert_error (error, TP_ERROR, TP_ERROR_UNSUPPORTED);
  g_assert_nonnull (strstr (error->message, "tiles"));
  g_clear_error (&error);

  g_assert_false (tp_face_probe (g_bytes_get_data (zero, NULL), g_bytes_get_size (zero), &info, &error));
  g_assert_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  /* every truncation of a real codestream fails cleanly or decodes */
  for (gsize cut = 0; cut < len; cut += (cut < 128 ? 1 : 97))
    {
      g_autoptr(TpFaceImage) partial = tp_face_decode (data, cut, 0, &error);

      if (partial == NULL)
        {
          g_assert_nonnull (error);
          g_clear_error (&error);
        }
      else
        g_assert_cmpuint (partial->width, ==, 64);
    }

  /* corrupted bytes after the main header */
  for (gsize i = 60; i < len; i += 31)
    {
      g_autofree guint8 *copy = g_memdup2 (data, len);
      g_autoptr(TpFaceImage) bad = NULL;

      copy[i] ^= 0x5A;
      bad = tp_face_decode (copy, len, 0, &error);
      g_clear_error (&error);
    }
}

/* DG2 around a facial record given in hex, for hostile headers */
static GBytes *
dg2_with_record (GBytes *record)
{
  GByteArray *bit = g_byte_array_new ();
  GByteArray *group = g_byte_array_new ();
  GByteArray *outer = g_byte_array_new ();
  GByteArray *dg2 = g_byte_array_new ();

  tp_tlv_append (bit, 0x5F2E, g_bytes_get_data (record, NULL), g_bytes_get_size (record));
  tp_tlv_append (group, 0x02, (const guint8 *) "\x01", 1);
  tp_tlv_append (group, 0x7F60, bit->data, bit->len);
  tp_tlv_append (outer, 0x7F61, group->data, group->len);
  tp_tlv_append (dg2, 0x75, outer->data, outer->len);
  g_byte_array_unref (bit);
  g_byte_array_unref (group);
  g_byte_array_unref (outer);
  return g_byte_array_free_to_bytes (dg2);
}

static void
test_dg2_hostile (void)
{
  static const struct {
    const char *record;
    TpError     code;
    const char *needle;
  } cases[] = {
    /* record length larger than the data */
    { "46414300 30313000 00010000 0001", TP_ERROR_TRUNCATED, "declares 65536 bytes" },
    /* 65535 faces, none there */
    { "46414300 30313000 0000000E FFFF", TP_ERROR_TRUNCATED, "image 1 of 65535" },
    /* no face */
    { "46414300 30313000 0000000E 0000", TP_ERROR_INVALID_INPUT, "no facial image" },
    /* a face that declares 4 GB */
    { "46414300 30313000 00000022 0001 FFFFFFFF 0000 000000 000000 0000 000000 000000",
      TP_ERROR_TRUNCATED, "declares 4294967295 bytes" },
    /* 65535 feature points in a 32-byte face */
    { "46414300 30313000 0000002E 0001 00000020 FFFF 000000 000000 0000 000000 000000"
      " 01 01 0010 0010 01 02 0000 0000", TP_ERROR_INVALID_INPUT, "65535 feature points" },
    /* the 2011 version */
    { "46414300 30333000 0000000E 0001", TP_ERROR_UNSUPPORTED, "version 030" },
    /* not a facial record */
    { "46494E00 30313000 0000000E 0001", TP_ERROR_INVALID_INPUT, "FAC" },
    /* shorter than the header */
    { "46414300 3031", TP_ERROR_TRUNCATED, "shorter" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) record = hex (cases[i].record);
      g_autoptr(GBytes) dg2 = dg2_with_record (record);
      g_autoptr(GError) error = NULL;
      g_autoptr(TpLdsDg2) parsed = tp_lds_dg2_parse (g_bytes_get_data (dg2, NULL), g_bytes_get_size (dg2), &error);

      g_assert_null (parsed);
      g_assert_error (error, TP_ERROR, (gint) cases[i].code);
      if (strstr (error->message, cases[i].needle) == NULL)
        g_error ("case %u: \"%s\" not in \"%s\"", i, cases[i].needle, error->message);
    }

  /* huge width and height in the 19794-5 header, a tiny real image: the
   * header values are reported, the size comes from the image itself */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GBytes) image = tp_test_face_image (TP_FACE_FORMAT_J2K, 32, 40, 800, &error);
    g_autoptr(GBytes) dg2 = tp_test_build_dg2 (image, TP_FACE_FORMAT_J2K, 65535, 65535);
    g_autoptr(TpLdsDg2) parsed = tp_lds_dg2_parse (g_bytes_get_data (dg2, NULL), g_bytes_get_size (dg2), &error);
    TpLdsFace *face;

    g_assert_no_error (error);
    face = g_ptr_array_index (parsed->faces, 0);
    g_assert_cmpuint (face->header_width, ==, 65535);
    g_assert_cmpuint (face->header_height, ==, 65535);
    g_assert_cmpuint (face->width, ==, 32);
    g_assert_cmpuint (face->height, ==, 40);
  }

  /* huge sizes everywhere: a header-only J2K claiming 60000 × 60000 */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GBytes) image = j2k_header (60000, 60000, 512);
    g_autoptr(GBytes) dg2 = tp_test_build_dg2 (image, TP_FACE_FORMAT_J2K, 60000, 60000);
    g_autoptr(TpLdsDg2) parsed = tp_lds_dg2_parse (g_bytes_get_data (dg2, NULL), g_bytes_get_size (dg2), &error);
    TpLdsFace *face;
    g_autoptr(TpFaceImage) decoded = NULL;

    g_assert_no_error (error);
    face = g_ptr_array_index (parsed->faces, 0);
    g_assert_cmpuint (face->width, ==, 60000);
    decoded = tp_face_decode (g_bytes_get_data (face->image, NULL), g_bytes_get_size (face->image), 0, &error);
    g_assert_null (decoded);
    g_assert_error (error, TP_ERROR, TP_ERROR_UNSUPPORTED);
  }
}

static void
test_dg2_structure_errors (void)
{
  static const char *const cases[] = {
    "75 03 02 01 01",                       /* no 7F61 */
    "75 05 7F61 02 0201",                   /* no 7F60 */
    "75 09 7F61 06 7F60 03 A1 01 00",       /* no biometric data block */
    "75 08 7F61 05 7F60 02 A1 00",          /* no BDB, empty BHT */
    "75 05 7F61 FF 0201",                   /* length lying */
    "75 06 5F61 03 020101",                 /* primitive 7F61 look-alike */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) bytes = hex (cases[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(TpLdsDg2) dg2 = tp_lds_dg2_parse (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error);

      g_assert_null (dg2);
      g_assert_nonnull (error);
      g_assert_true (g_str_has_prefix (error->message, "DG2: "));
    }
}

static void
test_dg2_iso39794 (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) jpeg = tp_test_face_image (TP_FACE_FORMAT_JPEG, 48, 64, 0, &error);
  GByteArray *inner = g_byte_array_new ();
  GByteArray *repr = g_byte_array_new ();
  GByteArray *bdb = g_byte_array_new ();
  GByteArray *bit = g_byte_array_new ();
  GByteArray *group = g_byte_array_new ();
  GByteArray *dg2 = g_byte_array_new ();
  g_autoptr(TpLdsDg2) parsed = NULL;
  TpLdsFace *face;

  /* a 7F2E block with the image nested in context-specific tags, the way
   * ISO/IEC 39794-5 tagged data looks (structure simplified) */
  tp_tlv_append (inner, 0x80, (const guint8 *) "\x00", 1);
  tp_tlv_append (inner, 0x81, g_bytes_get_data (jpeg, NULL), g_bytes_get_size (jpeg));
  tp_tlv_append (repr, 0xA1, inner->data, inner->len);
  tp_tlv_append (bdb, 0xA0, (const guint8 *) "\x80\x01\x03", 3);
  tp_tlv_append (bdb, 0xA1, repr->data, repr->len);
  tp_tlv_append (bit, 0xA1, (const guint8 *) "\x81\x01\x02\x87\x02\x01\x01\x88\x02\x00\x09", 11);
  tp_tlv_append (bit, 0x7F2E, bdb->data, bdb->len);
  tp_tlv_append (group, 0x02, (const guint8 *) "\x01", 1);
  tp_tlv_append (group, 0x7F60, bit->data, bit->len);
  g_byte_array_set_size (inner, 0);
  tp_tlv_append (inner, 0x7F61, group->data, group->len);
  tp_tlv_append (dg2, 0x75, inner->data, inner->len);

  parsed = tp_lds_dg2_parse (dg2->data, dg2->len, &error);
  g_assert_no_error (error);
  face = g_ptr_array_index (parsed->faces, 0);
  g_assert_cmpstr (face->record_version, ==, "");
  g_assert_cmpint (face->format, ==, TP_FACE_FORMAT_JPEG);
  g_assert_cmpuint (face->width, ==, 48);
  g_assert_cmpuint (face->height, ==, 64);
  g_assert_cmphex (face->format_type, ==, 0x0009);
  g_assert_cmpuint (g_bytes_get_size (face->image), ==, g_bytes_get_size (jpeg));

  g_byte_array_unref (inner);
  g_byte_array_unref (repr);
  g_byte_array_unref (bdb);
  g_byte_array_unref (bit);
  g_byte_array_unref (group);
  g_byte_array_unref (dg2);
}

static void
test_nested_bomb (void)
{
  /* 20000 levels of A0 inside DG11 and inside a 7F2E block: parsers read
   * one level at a time (or walk without recursion to a bounded depth) */
  GByteArray *nest = g_byte_array_new ();
  GByteArray *next;
  g_autoptr(GError) error = NULL;
  g_autoptr(TpLdsDg11) dg11 = NULL;
  g_autoptr(TpLdsDg2) dg2 = NULL;

  tp_tlv_append (nest, 0x5F0F, (const guint8 *) "X", 1);
  for (guint i = 0; i < 20000; i++)
    {
      next = g_byte_array_new ();
      tp_tlv_append (next, 0xA0, nest->data, nest->len);
      g_byte_array_unref (nest);
      nest = next;
    }

  next = g_byte_array_new ();
  tp_tlv_append (next, 0x6B, nest->data, nest->len);
  dg11 = tp_lds_dg11_parse (next->data, next->len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (dg11->other_names->len, ==, 0);
  g_byte_array_unref (next);

  {
    GByteArray *bit = g_byte_array_new ();
    GByteArray *group = g_byte_array_new ();
    GByteArray *outer = g_byte_array_new ();
    GByteArray *file = g_byte_array_new ();

    tp_tlv_append (bit, 0x7F2E, nest->data, nest->len);
    tp_tlv_append (group, 0x7F60, bit->data, bit->len);
    tp_tlv_append (outer, 0x7F61, group->data, group->len);
    tp_tlv_append (file, 0x75, outer->data, outer->len);
    dg2 = tp_lds_dg2_parse (file->data, file->len, &error);
    g_assert_null (dg2);
    g_assert_error (error, TP_ERROR, TP_ERROR_UNSUPPORTED);
    g_byte_array_unref (bit);
    g_byte_array_unref (group);
    g_byte_array_unref (outer);
    g_byte_array_unref (file);
  }
  g_byte_array_unref (nest);
}

/* ---- DG11 and DG12 ------------------------------------------------------ */

static void
test_dg11 (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpLdsDg11) dg = tp_lds_dg11_parse (FILE_DATA (default_doc (), TP_LDS_FID_DG11), &error);

  g_assert_no_error (error);
  g_assert_cmpstr (dg->full_name, ==, "NGUYỄN<<VĂN<AN");
  g_assert_cmpstr (dg->primary_identifier, ==, "NGUYỄN");
  g_assert_cmpstr (dg->secondary_identifier, ==, "VĂN AN");
  g_assert_cmpuint (dg->other_names->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (dg->other_names, 0), ==, "NGUYỄN<<AN");
  g_assert_cmpstr (dg->personal_number, ==, "001080012345");
  g_assert_cmpuint (strlen (dg->personal_number), ==, 12);
  g_assert_cmpstr (dg->birth_date, ==, "19800517");
  g_assert_cmpstr (dg->birth_date_iso, ==, "1980-05-17");
  g_assert_cmpstr (dg->place_of_birth, ==, "HÀ NỘI<VIỆT NAM");
  g_assert_cmpstr (dg->address, ==, "SỐ 1 TRÀNG TIỀN<HOÀN KIẾM<HÀ NỘI");
  g_assert_cmpstr (dg->profession, ==, "KỸ SƯ");
  g_assert_null (dg->telephone);
  g_assert_null (dg->proof_of_citizenship);
  g_assert_false (dg->latin1);
  g_assert_true (g_utf8_validate (dg->full_name, -1, NULL));
}

static void
test_dg11_variants (void)
{
  g_autoptr(GError) error = NULL;
  /* Latin-1 name, BCD birth date, 5F0F outside a group, a single name */
  g_autoptr(GBytes) bytes = hex ("6B 1E 5C 04 5F0E5F2B"
                                 " 5F0E 07 52454EC93C3C41"       /* "RENÉ<<A" in ISO 8859-1 */
                                 " 5F2B 04 19800517"
                                 " 5F0F 04 42455441");           /* "BETA" */
  g_autoptr(TpLdsDg11) dg = tp_lds_dg11_parse (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error);
  g_autoptr(GBytes) bad_date = hex ("6B 07 5F2B 04 19801A17");
  g_autoptr(GBytes) nul = hex ("6B 06 5F0E 03 410042");
  g_autoptr(GBytes) single = hex ("6B 08 5F0E 05 4D4F4E4F3C");
  g_autoptr(TpLdsDg11) dg_single = NULL;
  g_autoptr(TpLdsDg11) none = NULL;

  g_assert_no_error (error);
  g_assert_true (dg->latin1);
  g_assert_cmpstr (dg->full_name, ==, "RENÉ<<A");
  g_assert_cmpstr (dg->primary_identifier, ==, "RENÉ");
  g_assert_cmpstr (dg->secondary_identifier, ==, "A");
  g_assert_cmpstr (dg->birth_date, ==, "19800517");
  g_assert_cmpstr (dg->birth_date_iso, ==, "1980-05-17");
  g_assert_cmpuint (dg->other_names->len, ==, 1);

  none = tp_lds_dg11_parse (g_bytes_get_data (bad_date, NULL), g_bytes_get_size (bad_date), &error);
  g_assert_null (none);
  g_assert_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "5F2B"));
  g_clear_error (&error);

  none = tp_lds_dg11_parse (g_bytes_get_data (nul, NULL), g_bytes_get_size (nul), &error);
  g_assert_null (none);
  g_assert_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "NUL"));
  g_clear_error (&error);

  dg_single = tp_lds_dg11_parse (g_bytes_get_data (single, NULL), g_bytes_get_size (single), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dg_single->primary_identifier, ==, "MONO");
  g_assert_cmpstr (dg_single->secondary_identifier, ==, "");
}

static void
test_dg12 (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpLdsDg12) dg = tp_lds_dg12_parse (FILE_DATA (default_doc (), TP_LDS_FID_DG12), &error);
  g_autoptr(GBytes) bcd = hex ("6C 1E 5F26 04 20250601 5F55 07 20250601093000"
                               " A0 0B 02 01 02 5F1A 01 41 5F1A 01 42 ");
  g_autoptr(TpLdsDg12) dg2 = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (dg->issuing_authority, ==, "CỤC QUẢN LÝ XUẤT NHẬP CẢNH");
  g_assert_cmpstr (dg->date_of_issue, ==, "20250601");
  g_assert_cmpstr (dg->date_of_issue_iso, ==, "2025-06-01");
  g_assert_cmpstr (dg->personalization_time, ==, "20250601093000");
  g_assert_cmpstr (dg->personalization_serial, ==, "TP-SIM-0001");
  g_assert_cmpuint (dg->other_persons->len, ==, 0);

  dg2 = tp_lds_dg12_parse (g_bytes_get_data (bcd, NULL), g_bytes_get_size (bcd), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dg2->date_of_issue_iso, ==, "2025-06-01");
  g_assert_cmpstr (dg2->personalization_time, ==, "20250601093000");
  g_assert_cmpuint (dg2->other_persons->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (dg2->other_persons, 1), ==, "B");

  /* A personalization time that is neither 14 digits nor 7 BCD bytes, and
   * a date of issue that is 5 bytes: each is named in the error. */
  {
    g_autoptr(GBytes) bad_time = hex ("6C 09 5F55 06 202506010930");
    g_autoptr(GBytes) bad_date = hex ("6C 08 5F26 05 2025060100");
    TpLdsDg12 *none;

    none = tp_lds_dg12_parse (g_bytes_get_data (bad_time, NULL), g_bytes_get_size (bad_time), &error);
    g_assert_null (none);
    g_assert_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT);
    g_assert_nonnull (strstr (error->message, "personalization time (5F55)"));
    g_assert_nonnull (strstr (error->message, "7 BCD bytes"));
    g_clear_error (&error);
    none = tp_lds_dg12_parse (g_bytes_get_data (bad_date, NULL), g_bytes_get_size (bad_date), &error);
    g_assert_null (none);
    g_assert_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT);
    g_assert_nonnull (strstr (error->message, "date of issue (5F26) is 5 bytes"));
    g_clear_error (&error);
  }
}

/* ---- DG14 and DG15 ------------------------------------------------------ */

static void
check_dg14 (TpTestKeyType key,
            gboolean      explicit_parameters)
{
  TpTestDocumentOptions o;
  g_autoptr(TpTestDocument) doc = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TpSecurityInfos) infos = NULL;
  g_autoptr(GPtrArray) pace = NULL;
  TpChipAuthPublicKey *pk;

  tp_test_document_options_init (&o);
  o.chip_auth_key = key;
  o.chip_auth_explicit_parameters = explicit_parameters;
  o.active_auth_key = TP_TEST_KEY_EC_P256;
  o.pace_parameter_id = key == TP_TEST_KEY_DH_2048 ? 1 : 12;
  doc = make_doc (&o);

  infos = tp_security_infos_parse (FILE_DATA (doc, TP_LDS_FID_DG14), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (infos->ca_infos->len, ==, 1);
  g_assert_cmpuint (infos->ca_public_keys->len, ==, 1);
  g_assert_cmpuint (infos->pace_infos->len, ==, 1);
  g_assert_cmpstr (infos->aa_signature_oid, ==, "1.2.840.10045.4.3.2");
  pk = g_ptr_array_index (infos->ca_public_keys, 0);
  g_assert_cmpstr (pk->oid, ==, key == TP_TEST_KEY_DH_2048 ? TP_OID_PK_DH : TP_OID_PK_ECDH);
  g_assert_cmpint (EVP_PKEY_eq (pk->key, doc->chip_auth_key), ==, 1);

  pace = tp_pace_parse_card_access (FILE_DATA (doc, TP_LDS_FID_CARD_ACCESS), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pace->len, ==, 1);
  g_assert_cmpint (((TpPaceInfo *) g_ptr_array_index (pace, 0))->parameter_id, ==, o.pace_parameter_id);
}

static void
test_dg14 (void)
{
  check_dg14 (TP_TEST_KEY_EC_P256, FALSE);
  check_dg14 (TP_TEST_KEY_BRAINPOOL_P256, TRUE);
  check_dg14 (TP_TEST_KEY_DH_2048, FALSE);
}

static void
test_dg15 (void)
{
  static const TpTestKeyType keys[] = { TP_TEST_KEY_RSA_2048, TP_TEST_KEY_EC_P256, TP_TEST_KEY_BRAINPOOL_P384 };

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      TpTestDocumentOptions o;
      g_autoptr(TpTestDocument) doc = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(TpLdsDg15) dg15 = NULL;

      tp_test_document_options_init (&o);
      o.active_auth_key = keys[i];
      o.face_format = TP_FACE_FORMAT_UNKNOWN;
      doc = make_doc (&o);
      g_assert_null (tp_lds_files_get (doc->files, TP_LDS_FID_DG2));
      dg15 = tp_lds_dg15_parse (FILE_DATA (doc, TP_LDS_FID_DG15), &error);
      g_assert_no_error (error);
      g_assert_cmpint (EVP_PKEY_eq (dg15->public_key, doc->active_auth_key), ==, 1);
      g_assert_cmpuint (g_bytes_get_size (dg15->spki), >, 64);
    }

  {
    g_autoptr(GBytes) bad = hex ("6F 05 30 03 02 01 00");
    g_autoptr(GBytes) trailing = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(TpLdsDg15) none = tp_lds_dg15_parse (g_bytes_get_data (bad, NULL), g_bytes_get_size (bad), &error);
    GByteArray *b = g_byte_array_new ();
    GBytes *good = tp_lds_files_get (default_doc ()->files, TP_LDS_FID_DG15);
    TpTlv outer;
    gsize off = 0;

    g_assert_null (none);
    g_assert_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT);
    g_clear_error (&error);

    /* SubjectPublicKeyInfo followed by junk inside 6F */
    g_assert_true (tp_tlv_read (g_bytes_get_data (good, NULL), g_bytes_get_size (good), &off, &outer, NULL));
    {
      GByteArray *v = g_byte_array_new ();

      g_byte_array_append (v, outer.value, (guint) outer.length);
      g_byte_array_append (v, (const guint8 *) "\x05\x00", 2);
      tp_tlv_append (b, 0x6F, v->data, v->len);
      g_byte_array_unref (v);
    }
    trailing = g_byte_array_free_to_bytes (b);
    none = tp_lds_dg15_parse (g_bytes_get_data (trailing, NULL), g_bytes_get_size (trailing), &error);
    g_assert_null (none);
    g_assert_nonnull (strstr (error->message, "follow"));
  }
}

/* ---- every parser, every prefix ----------------------------------------- */

static void
test_truncations (void)
{
  TpTestDocument *doc = default_doc ();
  static const guint16 fids[] = {
    TP_LDS_FID_COM, TP_LDS_FID_DG1, TP_LDS_FID_DG2, TP_LDS_FID_DG11, TP_LDS_FID_DG12, TP_LDS_FID_DG15,
  };

  for (guint f = 0; f < G_N_ELEMENTS (fids); f++)
    {
      gsize len;
      const guint8 *data = g_bytes_get_data (tp_lds_files_get (doc->files, fids[f]), &len);

      for (gsize cut = 0; cut < len; cut += (len > 4096 && cut > 512) ? 61 : 1)
        {
          g_autoptr(GError) error = NULL;
          g_autofree guint8 *copy = g_memdup2 (data, cut);   /* ASan sees over-reads */
          gpointer parsed = NULL;

          switch (fids[f])
            {
            case TP_LDS_FID_COM: parsed = tp_lds_com_parse (copy, cut, &error); tp_lds_com_free (parsed); break;
            case TP_LDS_FID_DG1: parsed = tp_lds_dg1_parse (copy, cut, NULL, &error); tp_lds_dg1_free (parsed); break;
            case TP_LDS_FID_DG2: parsed = tp_lds_dg2_parse (copy, cut, &error); tp_lds_dg2_free (parsed); break;
            case TP_LDS_FID_DG11: parsed = tp_lds_dg11_parse (copy, cut, &error); tp_lds_dg11_free (parsed); break;
            case TP_LDS_FID_DG12: parsed = tp_lds_dg12_parse (copy, cut, &error); tp_lds_dg12_free (parsed); break;
            case TP_LDS_FID_DG15: parsed = tp_lds_dg15_parse (copy, cut, &error); tp_lds_dg15_free (parsed); break;
            default: g_assert_not_reached ();
            }
          /* the outer length is longer than what is there */
          g_assert_null (parsed);
          g_assert_nonnull (error);
        }
    }
}

static void
test_bit_flips (void)
{
  TpTestDocument *doc = default_doc ();
  static const guint16 fids[] = { TP_LDS_FID_COM, TP_LDS_FID_DG1, TP_LDS_FID_DG11, TP_LDS_FID_DG12 };

  /* any byte changed: a result or an error, never a crash */
  for (guint f = 0; f < G_N_ELEMENTS (fids); f++)
    {
      gsize len;
      const guint8 *data = g_bytes_get_data (tp_lds_files_get (doc->files, fids[f]), &len);

      for (gsize i = 0; i < len; i++)
        for (guint v = 0; v < 3; v++)
          {
            static const guint8 values[] = { 0x00, 0x80, 0xFF };
            g_autofree guint8 *copy = g_memdup2 (data, len);
            g_autoptr(GError) error = NULL;

            copy[i] = values[v];
            tp_lds_com_free (tp_lds_com_parse (copy, len, &error));
            g_clear_error (&error);
            tp_lds_dg1_free (tp_lds_dg1_parse (copy, len, NULL, &error));
            g_clear_error (&error);
            tp_lds_dg11_free (tp_lds_dg11_parse (copy, len, &error));
            g_clear_error (&error);
            tp_lds_dg12_free (tp_lds_dg12_parse (copy, len, &error));
          }
    }
}

int
main (int    argc,
      char **argv)
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  pki = tp_test_pki_new (NULL);

  g_test_add_func ("/lds/identifiers", test_identifiers);
  g_test_add_func ("/lds/com", test_com);
  g_test_add_func ("/lds/com/errors", test_com_errors);
  g_test_add_func ("/lds/dg1", test_dg1);
  g_test_add_func ("/lds/dg1/errors", test_dg1_errors);
  g_test_add_func ("/lds/dg2/jp2", test_dg2_jp2);
  g_test_add_func ("/lds/dg2/j2k", test_dg2_j2k);
  g_test_add_func ("/lds/dg2/jpeg", test_dg2_jpeg);
  g_test_add_func ("/lds/dg2/iso39794", test_dg2_iso39794);
  g_test_add_func ("/lds/dg2/hostile", test_dg2_hostile);
  g_test_add_func ("/lds/dg2/structure-errors", test_dg2_structure_errors);
  g_test_add_func ("/lds/face/probe", test_face_probe);
  g_test_add_func ("/lds/face/hostile", test_face_hostile);
  g_test_add_func ("/lds/nested-bomb", test_nested_bomb);
  g_test_add_func ("/lds/dg11", test_dg11);
  g_test_add_func ("/lds/dg11/variants", test_dg11_variants);
  g_test_add_func ("/lds/dg12", test_dg12);
  g_test_add_func ("/lds/dg14", test_dg14);
  g_test_add_func ("/lds/dg15", test_dg15);
  g_test_add_func ("/lds/truncations", test_truncations);
  g_test_add_func ("/lds/bit-flips", test_bit_flips);

  ret = g_test_run ();
  tp_test_document_free (shared_doc);
  tp_test_pki_free (pki);
  return ret;
}
