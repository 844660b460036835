/* tp-mkpki: writes the Touchpoint test PKI or a test eMRTD document
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   tp-mkpki [--seed SEED] DIR
 *       the whole test PKI: DIR/trust (CSCA certificates and CRLs, for
 *       --trust), DIR/masterlist, DIR/unknown, DIR/certs, DIR/private
 *   tp-mkpki --document [OPTIONS] DIR
 *       the files of a test document, one per EF (COM, SOD, DG1...,
 *       CardAccess; raw bytes as a chip returns them), mrz.txt and the
 *       chip's private keys (chip-auth.pem, active-auth.pem)
 *   tp-mkpki --fuzz-seeds DIR
 *       seed corpora for fuzz-lds, fuzz-dg2 and fuzz-sod in DIR/lds,
 *       DIR/dg2 and DIR/sod (tests/fuzz/corpus holds their output)
 *
 * FOR TESTS AND DEMOS ONLY: the keys derive from a public seed.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <openssl/pem.h>

#include "tp-test-document.h"


static char *opt_seed;
static gboolean opt_document;
static gboolean opt_fuzz_seeds;
static char *opt_signer = (char *) "p256";
static char *opt_signer_kind = (char *) "valid";
static char *opt_digest = (char *) "SHA256";
static char *opt_face = (char *) "jp2";
static char *opt_chip_auth = (char *) "p256";
static char *opt_active_auth = (char *) "rsa2048";
static int opt_pace = 13;
static char *opt_lds_version;
static gboolean opt_rsa_pss;

static GOptionEntry entries[] = {
  { "seed", 0, 0, G_OPTION_ARG_STRING, &opt_seed, "Key derivation seed (default: the project's)", "SEED" },
  { "document", 'd', 0, G_OPTION_ARG_NONE, &opt_document, "Write a test document instead of the PKI", NULL },
  { "fuzz-seeds", 0, 0, G_OPTION_ARG_NONE, &opt_fuzz_seeds, "Write the fuzz seed corpora", NULL },
  { "signer", 0, 0, G_OPTION_ARG_STRING, &opt_signer, "CSCA and DS algorithm: rsa2048 rsa3072 p256 p384 p521 bp256 bp384", "ALG" },
  { "signer-kind", 0, 0, G_OPTION_ARG_STRING, &opt_signer_kind, "valid expired revoked unknown-csca impostor-csca", "KIND" },
  { "digest", 0, 0, G_OPTION_ARG_STRING, &opt_digest, "SHA1 SHA224 SHA256 SHA384 SHA512", "DIGEST" },
  { "rsa-pss", 0, 0, G_OPTION_ARG_NONE, &opt_rsa_pss, "Sign EF.SOD with RSASSA-PSS (RSA signers)", NULL },
  { "face", 0, 0, G_OPTION_ARG_STRING, &opt_face, "DG2 image: jp2 j2k jpeg none", "FORMAT" },
  { "chip-auth", 0, 0, G_OPTION_ARG_STRING, &opt_chip_auth, "DG14 key: p256 bp256 p384 dh2048 none...", "KEY" },
  { "active-auth", 0, 0, G_OPTION_ARG_STRING, &opt_active_auth, "DG15 key: rsa2048 p256 none...", "KEY" },
  { "pace", 0, 0, G_OPTION_ARG_INT, &opt_pace, "PACE parameter id in EF.CardAccess, -1 for none", "ID" },
  { "lds-version", 0, 0, G_OPTION_ARG_STRING, &opt_lds_version, "0108 for a version 1 SOD", "VERSION" },
  { NULL }
};

static gboolean
parse_key (const char     *name,
           const char     *what,
           TpTestKeyType  *type,
           GError        **error)
{
  if (tp_test_key_type_from_string (name, type))
    return TRUE;
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "%s: unknown key type \"%s\"", what, name);
  return FALSE;
}

static gboolean
write_key (const char  *path,
           EVP_PKEY    *key,
           GError     **error)
{
  BIO *bio = BIO_new (BIO_s_mem ());
  char *data;
  long len;
  gboolean ok;

  PEM_write_bio_PrivateKey (bio, key, NULL, NULL, 0, NULL, NULL);
  len = BIO_get_mem_data (bio, &data);
  ok = g_file_set_contents_full (path, data, len, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
  BIO_free (bio);
  return ok;
}

static gboolean
write_document (TpTestPki   *pki,
                const char  *dir,
                GError     **error)
{
  TpTestDocumentOptions o;
  g_autoptr(TpTestDocument) doc = NULL;
  g_autoptr(GArray) fids = NULL;
  g_autofree char *mrz_path = g_build_filename (dir, "mrz.txt", NULL);
  g_autofree char *mrz = NULL;
  guint k;

  tp_test_document_options_init (&o);
  if (!parse_key (opt_signer, "--signer", &o.signer_key, error) ||
      !parse_key (opt_chip_auth, "--chip-auth", &o.chip_auth_key, error) ||
      !parse_key (opt_active_auth, "--active-auth", &o.active_auth_key, error))
    return FALSE;
  for (k = TP_TEST_SIGNER_VALID; k <= TP_TEST_SIGNER_IMPOSTOR_CSCA; k++)
    if (g_str_equal (opt_signer_kind, tp_test_signer_kind_to_string ((TpTestSignerKind) k)))
      break;
  if (k > TP_TEST_SIGNER_IMPOSTOR_CSCA)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "--signer-kind: unknown \"%s\"", opt_signer_kind);
      return FALSE;
    }
  o.signer = (TpTestSignerKind) k;
  o.digest = opt_digest;
  o.rsa_pss = opt_rsa_pss;
  o.pace_parameter_id = opt_pace;
  o.lds_version = opt_lds_version;
  if (g_str_equal (opt_face, "jp2"))
    o.face_format = TP_FACE_FORMAT_JP2;
  else if (g_str_equal (opt_face, "j2k"))
    o.face_format = TP_FACE_FORMAT_J2K;
  else if (g_str_equal (opt_face, "jpeg"))
    o.face_format = TP_FACE_FORMAT_JPEG;
  else if (g_str_equal (opt_face, "none"))
    o.face_format = TP_FACE_FORMAT_UNKNOWN;
  else
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "--face: jp2, j2k, jpeg or none");
      return FALSE;
    }

  doc = tp_test_pki_make_document (pki, &o, error);
  if (doc == NULL)
    return FALSE;
  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "cannot create %s", dir);
      return FALSE;
    }
  fids = tp_lds_files_get_fids (doc->files);
  for (guint i = 0; i < fids->len; i++)
    {
      guint16 fid = g_array_index (fids, guint16, i);
      GBytes *data = tp_lds_files_get (doc->files, fid);
      g_autofree char *path = g_build_filename (dir, tp_lds_fid_name (fid), NULL);

      if (!g_file_set_contents (path, g_bytes_get_data (data, NULL), (gssize) g_bytes_get_size (data), error))
        return FALSE;
      printf ("%-10s %04X %6" G_GSIZE_FORMAT " bytes\n", tp_lds_fid_name (fid), fid, g_bytes_get_size (data));
    }
  mrz = g_strconcat (doc->mrz, "\n", NULL);
  if (!g_file_set_contents (mrz_path, mrz, -1, error))
    return FALSE;
  if (doc->chip_auth_key != NULL)
    {
      g_autofree char *path = g_build_filename (dir, "chip-auth.pem", NULL);

      if (!write_key (path, doc->chip_auth_key, error))
        return FALSE;
    }
  if (doc->active_auth_key != NULL)
    {
      g_autofree char *path = g_build_filename (dir, "active-auth.pem", NULL);

      if (!write_key (path, doc->active_auth_key, error))
        return FALSE;
    }
  printf ("MRZ\n%s\n", doc->mrz);
  return TRUE;
}

static gboolean
write_seed (const char  *dir,
            const char  *name,
            GBytes      *data,
            GError     **error)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);

  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "cannot create %s", dir);
      return FALSE;
    }
  return data != NULL &&
         g_file_set_contents (path, g_bytes_get_data (data, NULL), (gssize) g_bytes_get_size (data), error);
}

static GBytes *
hex_bytes (const char *text)
{
  GByteArray *out = g_byte_array_new ();

  for (const char *p = text; p[0] != '\0' && p[1] != '\0'; )
    {
      guint8 b;

      if (p[0] == ' ')
        {
          p++;
          continue;
        }
      b = (guint8) ((g_ascii_xdigit_value (p[0]) << 4) | g_ascii_xdigit_value (p[1]));
      g_byte_array_append (out, &b, 1);
      p += 2;
    }
  return g_byte_array_free_to_bytes (out);
}

static void
put_be (GByteArray *out,
        guint32     value,
        guint       n)
{
  for (guint i = n; i > 0; i--)
    {
      guint8 b = (guint8) (value >> ((i - 1) * 8));

      g_byte_array_append (out, &b, 1);
    }
}

/* An ISO/IEC 19794-5:2005 record with two faces, the first with two
 * feature points, each with a few bytes of image. */
static GBytes *
two_face_record (void)
{
  GByteArray *faces = g_byte_array_new ();
  GByteArray *record = g_byte_array_new ();
  static const guint8 jpeg[] = { 0xFF, 0xD8, 0xFF, 0xD9 };
  static const guint8 j2k[] = { 0xFF, 0x4F, 0xFF, 0x51 };

  for (guint f = 0; f < 2; f++)
    {
      guint points = f == 0 ? 2 : 0;

      put_be (faces, 20 + 8 * points + 12 + 4, 4);
      put_be (faces, points, 2);
      put_be (faces, 0x010203, 3);            /* gender, eyes, hair */
      put_be (faces, 0, 3);                   /* property mask */
      put_be (faces, 0, 2);                   /* expression */
      put_be (faces, 0, 3);
      put_be (faces, 0, 3);
      for (guint p = 0; p < points; p++)
        {
          put_be (faces, 0x01, 1);            /* feature type */
          put_be (faces, 0x31 + p, 1);        /* feature point 3.1, 3.2 */
          put_be (faces, 0x0010 + p, 2);
          put_be (faces, 0x0020, 2);
          put_be (faces, 0, 2);
        }
      put_be (faces, 1, 1);                   /* full frontal */
      put_be (faces, f, 1);                   /* JPEG, JPEG 2000 */
      put_be (faces, 16, 2);
      put_be (faces, 32, 2);
      put_be (faces, 0x0102, 2);
      put_be (faces, 0, 4);
      g_byte_array_append (faces, f == 0 ? jpeg : j2k, 4);
    }
  g_byte_array_append (record, (const guint8 *) "FAC\0" "010\0", 8);
  put_be (record, 14 + faces->len, 4);
  put_be (record, 2, 2);
  g_byte_array_append (record, faces->data, faces->len);
  g_byte_array_unref (faces);
  return g_byte_array_free_to_bytes (record);
}

static gboolean
write_fuzz_seeds (TpTestPki   *pki,
                  const char  *dir,
                  GError     **error)
{
  g_autofree char *lds = g_build_filename (dir, "lds", NULL);
  g_autofree char *dg2 = g_build_filename (dir, "dg2", NULL);
  g_autofree char *sod = g_build_filename (dir, "sod", NULL);
  static const struct {
    const char    *name;
    TpTestKeyType  signer;
    const char    *digest;
    gboolean       pss;
    const char    *lds_version;
    gboolean       no_cert;
    TpTestKeyType  aa;
    TpTestKeyType  ca;
  } docs[] = {
    { "p256-sha256", TP_TEST_KEY_EC_P256, "SHA256", FALSE, NULL, FALSE, TP_TEST_KEY_RSA_2048, TP_TEST_KEY_EC_P256 },
    { "rsa2048-pss-sha512", TP_TEST_KEY_RSA_2048, "SHA512", TRUE, NULL, FALSE, TP_TEST_KEY_EC_P256, TP_TEST_KEY_DH_2048 },
    { "bp384-v1-sha384", TP_TEST_KEY_BRAINPOOL_P384, "SHA384", FALSE, "0108", FALSE, TP_TEST_KEY_BRAINPOOL_P256, TP_TEST_KEY_BRAINPOOL_P256 },
    { "p256-sha1-nocert", TP_TEST_KEY_EC_P256, "SHA1", FALSE, NULL, TRUE, TP_TEST_KEY_NONE, TP_TEST_KEY_NONE },
  };
  static const TpFaceFormat formats[] = { TP_FACE_FORMAT_JP2, TP_FACE_FORMAT_J2K, TP_FACE_FORMAT_JPEG };

  for (guint i = 0; i < G_N_ELEMENTS (docs); i++)
    {
      TpTestDocumentOptions o;
      g_autoptr(TpTestDocument) doc = NULL;
      g_autofree char *sod_name = g_strdup_printf ("sod-%s", docs[i].name);

      tp_test_document_options_init (&o);
      o.signer_key = docs[i].signer;
      o.digest = docs[i].digest;
      o.rsa_pss = docs[i].pss;
      o.lds_version = docs[i].lds_version;
      o.omit_ds_certificate = docs[i].no_cert;
      o.active_auth_key = docs[i].aa;
      o.chip_auth_key = docs[i].ca;
      o.face_format = TP_FACE_FORMAT_UNKNOWN;
      o.pace_parameter_id = docs[i].ca == TP_TEST_KEY_DH_2048 ? 2 : i == 3 ? -1 : 13;
      doc = tp_test_pki_make_document (pki, &o, error);
      if (doc == NULL || !write_seed (sod, sod_name, tp_lds_files_get (doc->files, TP_LDS_FID_SOD), error))
        return FALSE;
      if (i == 0 || i == 1 || i == 2)
        {
          g_autoptr(GArray) fids = tp_lds_files_get_fids (doc->files);

          for (guint k = 0; k < fids->len; k++)
            {
              guint16 fid = g_array_index (fids, guint16, k);
              g_autofree char *name = g_strdup_printf ("%s-%s", tp_lds_fid_name (fid), docs[i].name);

              if (fid == TP_LDS_FID_SOD)
                continue;
              if (!write_seed (lds, name, tp_lds_files_get (doc->files, fid), error))
                return FALSE;
            }
        }
    }

  {
    GBytes *ml = tp_test_pki_get_master_list (pki, NULL, error);

    if (ml == NULL || !write_seed (sod, "masterlist", ml, error))
      return FALSE;
  }

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_autoptr(GBytes) image = tp_test_face_image (formats[i], 48, 64, 1200, error);
      g_autoptr(GBytes) file = NULL;
      g_autofree char *name = NULL;

      if (image == NULL)
        return FALSE;
      file = tp_test_build_dg2 (image, formats[i], 48, 64);
      name = g_strdup_printf ("dg2-%s", tp_face_format_to_extension (formats[i]));
      if (!write_seed (dg2, name, file, error))
        return FALSE;
      g_free (name);
      name = g_strdup_printf ("image.%s", tp_face_format_to_extension (formats[i]));
      if (!write_seed (dg2, name, image, error))
        return FALSE;
      if (formats[i] == TP_FACE_FORMAT_JPEG && !write_seed (lds, "DG2-small-jpeg", file, error))
        return FALSE;
    }

  /* hand-made variants: ISO 8859-1 and BCD forms, groups, a 19794-5 record
   * with two faces and feature points, an ISO/IEC 39794-5 style block */
  if (!write_seed (lds, "DG11-latin1-bcd",
                   hex_bytes ("6B 2B 5C 04 5F0E5F2B 5F0E 07 52454EC93C3C41 5F2B 04 19800517 "
                              "A0 0E 02 01 02 5F0F 02 4142 5F0F 02 4344 5F10 01 31"), error) ||
      !write_seed (lds, "DG12-bcd",
                   hex_bytes ("6C 1E 5F26 04 20250601 5F55 07 20250601093000 A0 0B 02 01 02 5F1A 01 41 5F1A 01 42"),
                   error) ||
      !write_seed (dg2, "record-two-faces", two_face_record (), error) ||
      !write_seed (dg2, "dg2-7f2e",
                   hex_bytes ("75 27 7F61 24 02 01 01 7F60 1E A1 06 81 01 02 88 01 09 "
                              "7F2E 13 A0 03 80 01 03 A1 0C A1 0A 80 01 00 81 05 FFD8FFD9 00"), error))
    return FALSE;
  return TRUE;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("DIR - write the Touchpoint test PKI");
  g_autoptr(GError) error = NULL;
  g_autoptr(TpTestPki) pki = NULL;
  gboolean ok;

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_description (context,
                                    "FOR TESTS AND DEMOS ONLY: every key derives from a public seed.\n");
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc != 2)
    {
      fprintf (stderr, "tp-mkpki: %s\n", error != NULL ? error->message : "one directory expected (see --help)");
      return 2;
    }

  pki = tp_test_pki_new (opt_seed);
  if (opt_fuzz_seeds)
    ok = write_fuzz_seeds (pki, argv[1], &error);
  else if (opt_document)
    ok = write_document (pki, argv[1], &error);
  else
    ok = tp_test_pki_write_all (pki, argv[1], &error);
  if (!ok)
    {
      fprintf (stderr, "tp-mkpki: %s\n", error->message);
      return 1;
    }
  if (!opt_document && !opt_fuzz_seeds)
    printf ("test PKI written to %s (see %s/README)\n", argv[1], argv[1]);
  return 0;
}
