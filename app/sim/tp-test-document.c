/* tp-test-document.c: test eMRTD documents, signed by the test PKI
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/param_build.h>

#include "tp-active-auth.h"
#include "tp-chip-auth.h"
#include "tp-error.h"
#include "tp-mrz.h"
#include "tp-sod.h"
#include "tp-test-document.h"
#include "tp-tlv.h"

#define DEFAULT_CAN "123456"
#define DEFAULT_FACE_WIDTH 480
#define DEFAULT_FACE_HEIGHT 640
#define DEFAULT_FACE_BYTES 20000

/* ---- data groups -------------------------------------------------------- */

static void
put_tlv (GByteArray   *out,
         guint         tag,
         const guint8 *value,
         gsize         len)
{
  tp_tlv_append (out, tag, value, len);
}

static void
put_text (GByteArray *out,
          guint       tag,
          const char *text)
{
  if (text != NULL)
    put_tlv (out, tag, (const guint8 *) text, strlen (text));
}

static GBytes *
wrap (guint       tag,
      GByteArray *content)
{
  GByteArray *out = g_byte_array_new ();

  put_tlv (out, tag, content->data, content->len);
  return g_byte_array_free_to_bytes (out);
}

static void
put_tag_list (GByteArray  *out,
              const guint *tags,
              gsize        n)
{
  g_autoptr(GByteArray) list = g_byte_array_new ();

  for (gsize i = 0; i < n; i++)
    {
      if (tags[i] > 0xFF)
        {
          guint8 hi = (guint8) (tags[i] >> 8);

          g_byte_array_append (list, &hi, 1);
        }
      {
        guint8 lo = (guint8) tags[i];

        g_byte_array_append (list, &lo, 1);
      }
    }
  put_tlv (out, 0x5C, list->data, list->len);
}

GBytes *
tp_test_build_com (const char  *lds_version,
                   const char  *unicode_version,
                   const guint *dgs,
                   gsize        n_dgs)
{
  g_autoptr(GByteArray) content = g_byte_array_new ();
  g_autofree guint *tags = g_new0 (guint, n_dgs + 1);

  for (gsize i = 0; i < n_dgs; i++)
    tags[i] = tp_lds_dg_tag (dgs[i]);
  put_text (content, 0x5F01, lds_version != NULL ? lds_version : "0107");
  put_text (content, 0x5F36, unicode_version != NULL ? unicode_version : "040000");
  put_tag_list (content, tags, n_dgs);
  return wrap (TP_LDS_TAG_COM, content);
}

GBytes *
tp_test_build_dg1 (const char *mrz)
{
  g_autoptr(GByteArray) content = g_byte_array_new ();
  g_autoptr(GString) text = g_string_new (NULL);

  g_return_val_if_fail (mrz != NULL, NULL);

  for (const char *p = mrz; *p != '\0'; p++)
    if (!g_ascii_isspace (*p))
      g_string_append_c (text, *p);
  put_tlv (content, 0x5F1F, (const guint8 *) text->str, text->len);
  return wrap (0x61, content);
}

static void
put_be (GByteArray *out,
        guint64     value,
        guint       n)
{
  for (guint i = n; i > 0; i--)
    {
      guint8 b = (guint8) (value >> ((i - 1) * 8));

      g_byte_array_append (out, &b, 1);
    }
}

GBytes *
tp_test_build_dg2 (GBytes       *image,
                   TpFaceFormat  format,
                   guint         width,
                   guint         height)
{
  g_autoptr(GByteArray) record = g_byte_array_new ();
  g_autoptr(GByteArray) bht = g_byte_array_new ();
  g_autoptr(GByteArray) bit = g_byte_array_new ();
  g_autoptr(GByteArray) group = g_byte_array_new ();
  gsize image_len;
  const guint8 *image_data;
  static const guint8 header_version[2] = { 0x01, 0x01 };
  static const guint8 face_type[1] = { 0x02 };
  static const guint8 format_owner[2] = { 0x01, 0x01 };
  static const guint8 format_type[2] = { 0x00, 0x08 };
  static const guint8 one[1] = { 0x01 };

  g_return_val_if_fail (image != NULL, NULL);

  image_data = g_bytes_get_data (image, &image_len);

  /* ISO/IEC 19794-5:2005 facial record: general header (14 bytes), facial
   * information (20), no feature points, image information (12), data */
  g_byte_array_append (record, (const guint8 *) "FAC\0" "010\0", 8);
  put_be (record, 14 + 20 + 12 + image_len, 4);
  put_be (record, 1, 2);                  /* number of facial images */
  put_be (record, 20 + 12 + image_len, 4);/* facial record data length */
  put_be (record, 0, 2);                  /* feature points */
  put_be (record, 0, 1);                  /* gender: unspecified */
  put_be (record, 0, 1);                  /* eye colour */
  put_be (record, 0, 1);                  /* hair colour */
  put_be (record, 0, 3);                  /* property mask */
  put_be (record, 0, 2);                  /* expression */
  put_be (record, 0, 3);                  /* pose angles */
  put_be (record, 0, 3);                  /* pose angle uncertainty */
  put_be (record, 1, 1);                  /* face image type: full frontal */
  put_be (record, format == TP_FACE_FORMAT_JPEG ? 0 : 1, 1);
  put_be (record, width, 2);
  put_be (record, height, 2);
  put_be (record, 1, 1);                  /* colour space: 24-bit RGB */
  put_be (record, 2, 1);                  /* source type: digital still */
  put_be (record, 0, 2);                  /* device type */
  put_be (record, 0, 2);                  /* quality */
  g_byte_array_append (record, image_data, (guint) image_len);

  /* biometric header template (ICAO 9303 Part 10, DG2) */
  put_tlv (bht, 0x80, header_version, sizeof header_version);
  put_tlv (bht, 0x81, face_type, sizeof face_type);
  put_tlv (bht, 0x87, format_owner, sizeof format_owner);
  put_tlv (bht, 0x88, format_type, sizeof format_type);

  put_tlv (bit, 0xA1, bht->data, bht->len);
  put_tlv (bit, 0x5F2E, record->data, record->len);

  put_tlv (group, 0x02, one, 1);          /* number of instances */
  put_tlv (group, 0x7F60, bit->data, bit->len);

  {
    g_autoptr(GByteArray) content = g_byte_array_new ();

    put_tlv (content, 0x7F61, group->data, group->len);
    return wrap (0x75, content);
  }
}

GBytes *
tp_test_build_dg11 (const TpLdsDg11 *f)
{
  g_autoptr(GByteArray) content = g_byte_array_new ();
  guint tags[16];
  gsize n = 0;

  g_return_val_if_fail (f != NULL, NULL);

#define ADD(field, tag) if (f->field != NULL) tags[n++] = tag
  ADD (full_name, 0x5F0E);
  ADD (other_names, 0xA0);
  ADD (personal_number, 0x5F10);
  ADD (birth_date, 0x5F2B);
  ADD (place_of_birth, 0x5F11);
  ADD (address, 0x5F42);
  ADD (telephone, 0x5F12);
  ADD (profession, 0x5F13);
  ADD (title, 0x5F14);
  ADD (personal_summary, 0x5F15);
  ADD (proof_of_citizenship, 0x5F16);
  ADD (other_td_numbers, 0x5F17);
  ADD (custody_information, 0x5F18);
#undef ADD
  put_tag_list (content, tags, n);

  put_text (content, 0x5F0E, f->full_name);
  if (f->other_names != NULL)
    {
      g_autoptr(GByteArray) group = g_byte_array_new ();
      guint8 count = (guint8) f->other_names->len;

      put_tlv (group, 0x02, &count, 1);
      for (guint i = 0; i < f->other_names->len; i++)
        put_text (group, 0x5F0F, g_ptr_array_index (f->other_names, i));
      put_tlv (content, 0xA0, group->data, group->len);
    }
  put_text (content, 0x5F10, f->personal_number);
  put_text (content, 0x5F2B, f->birth_date);
  put_text (content, 0x5F11, f->place_of_birth);
  put_text (content, 0x5F42, f->address);
  put_text (content, 0x5F12, f->telephone);
  put_text (content, 0x5F13, f->profession);
  put_text (content, 0x5F14, f->title);
  put_text (content, 0x5F15, f->personal_summary);
  if (f->proof_of_citizenship != NULL)
    put_tlv (content, 0x5F16, g_bytes_get_data (f->proof_of_citizenship, NULL),
             g_bytes_get_size (f->proof_of_citizenship));
  put_text (content, 0x5F17, f->other_td_numbers);
  put_text (content, 0x5F18, f->custody_information);
  return wrap (0x6B, content);
}

GBytes *
tp_test_build_dg12 (const TpLdsDg12 *f)
{
  g_autoptr(GByteArray) content = g_byte_array_new ();
  guint tags[16];
  gsize n = 0;

  g_return_val_if_fail (f != NULL, NULL);

#define ADD(field, tag) if (f->field != NULL) tags[n++] = tag
  ADD (issuing_authority, 0x5F19);
  ADD (date_of_issue, 0x5F26);
  ADD (other_persons, 0xA0);
  ADD (endorsements, 0x5F1B);
  ADD (tax_exit_requirements, 0x5F1C);
  ADD (front_image, 0x5F1D);
  ADD (rear_image, 0x5F1E);
  ADD (personalization_time, 0x5F55);
  ADD (personalization_serial, 0x5F56);
#undef ADD
  put_tag_list (content, tags, n);

  put_text (content, 0x5F19, f->issuing_authority);
  put_text (content, 0x5F26, f->date_of_issue);
  if (f->other_persons != NULL)
    {
      g_autoptr(GByteArray) group = g_byte_array_new ();
      guint8 count = (guint8) f->other_persons->len;

      put_tlv (group, 0x02, &count, 1);
      for (guint i = 0; i < f->other_persons->len; i++)
        put_text (group, 0x5F1A, g_ptr_array_index (f->other_persons, i));
      put_tlv (content, 0xA0, group->data, group->len);
    }
  put_text (content, 0x5F1B, f->endorsements);
  put_text (content, 0x5F1C, f->tax_exit_requirements);
  if (f->front_image != NULL)
    put_tlv (content, 0x5F1D, g_bytes_get_data (f->front_image, NULL), g_bytes_get_size (f->front_image));
  if (f->rear_image != NULL)
    put_tlv (content, 0x5F1E, g_bytes_get_data (f->rear_image, NULL), g_bytes_get_size (f->rear_image));
  put_text (content, 0x5F55, f->personalization_time);
  put_text (content, 0x5F56, f->personalization_serial);
  return wrap (0x6C, content);
}

char *
tp_test_mrz_td3 (const char *issuing_state,
                 const char *primary,
                 const char *secondary,
                 const char *document_number,
                 const char *nationality,
                 const char *birth_date,
                 char        sex,
                 const char *expiry_date,
                 const char *personal_number)
{
  GString *l1 = g_string_new ("P<");
  GString *l2 = g_string_new (NULL);
  g_autoptr(GString) composite = g_string_new (NULL);
  g_autofree char *name = NULL;

#define FIELD(s, str, width) G_STMT_START { \
    gsize start_ = (s)->len; \
    for (const char *p_ = (str) != NULL ? (str) : ""; *p_ != '\0' && (s)->len - start_ < (width); p_++) \
      g_string_append_c ((s), *p_ == ' ' ? '<' : *p_); \
    while ((s)->len - start_ < (width)) \
      g_string_append_c ((s), '<'); \
  } G_STMT_END

  FIELD (l1, issuing_state, 3);
  name = g_strconcat (primary, "<<", secondary != NULL ? secondary : "", NULL);
  g_strdelimit (name, " ", '<');
  FIELD (l1, name, 39);

  FIELD (l2, document_number, 9);
  g_string_append_c (l2, '0' + tp_mrz_check_digit (l2->str, 9));
  FIELD (l2, nationality, 3);
  FIELD (l2, birth_date, 6);
  g_string_append_c (l2, '0' + tp_mrz_check_digit (l2->str + 13, 6));
  g_string_append_c (l2, sex);
  FIELD (l2, expiry_date, 6);
  g_string_append_c (l2, '0' + tp_mrz_check_digit (l2->str + 21, 6));
  FIELD (l2, personal_number, 14);
  g_string_append_c (l2, '0' + tp_mrz_check_digit (l2->str + 28, 14));
#undef FIELD

  g_string_append_len (composite, l2->str, 10);
  g_string_append_len (composite, l2->str + 13, 7);
  g_string_append_len (composite, l2->str + 21, 22);
  g_string_append_c (l2, '0' + tp_mrz_check_digit (composite->str, composite->len));

  g_string_append_c (l1, '\n');
  g_string_append (l1, l2->str);
  g_string_free (l2, TRUE);
  return g_string_free (l1, FALSE);
}

/* ---- documents ---------------------------------------------------------- */

void
tp_test_document_options_init (TpTestDocumentOptions *options)
{
  g_return_if_fail (options != NULL);

  memset (options, 0, sizeof *options);
  options->signer_key = TP_TEST_KEY_EC_P256;
  options->signer = TP_TEST_SIGNER_VALID;
  options->digest = "SHA256";
  options->face_format = TP_FACE_FORMAT_JP2;
  options->face_bytes = DEFAULT_FACE_BYTES;
  options->dg11 = TRUE;
  options->dg12 = TRUE;
  options->chip_auth_key = TP_TEST_KEY_EC_P256;
  options->chip_auth_cipher = TP_SM_CIPHER_AES_128;
  options->active_auth_key = TP_TEST_KEY_RSA_2048;
  options->pace_parameter_id = 13;
  options->pace_mapping = TP_PACE_MAPPING_GM;
  options->pace_cipher = TP_SM_CIPHER_AES_128;
  options->seed_label = "document";
}

void
tp_test_document_free (TpTestDocument *document)
{
  if (document == NULL)
    return;
  g_clear_pointer (&document->files, tp_lds_files_unref);
  g_free (document->mrz);
  g_free (document->can);
  EVP_PKEY_free (document->chip_auth_key);
  EVP_PKEY_free (document->active_auth_key);
  X509_free (document->document_signer);
  X509_free (document->csca);
  g_free (document);
}

/* The faces of this process's documents, built once per format and size
 * (an encoder run costs more than the rest of a document). */
static GBytes *
shared_face (TpFaceFormat   format,
             gsize          bytes,
             GError       **error)
{
  G_LOCK_DEFINE_STATIC (faces);
  static GHashTable *faces;   /* "format/bytes" → GBytes */
  g_autofree char *key = g_strdup_printf ("%d/%" G_GSIZE_FORMAT, format, bytes);
  GBytes *face;

  G_LOCK (faces);
  if (faces == NULL)
    faces = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_bytes_unref);
  face = g_hash_table_lookup (faces, key);
  if (face != NULL)
    g_bytes_ref (face);
  G_UNLOCK (faces);
  if (face != NULL)
    return face;

  face = tp_test_face_image (format, DEFAULT_FACE_WIDTH, DEFAULT_FACE_HEIGHT, bytes, error);
  if (face == NULL)
    return NULL;
  G_LOCK (faces);
  g_hash_table_replace (faces, g_steal_pointer (&key), g_bytes_ref (face));
  G_UNLOCK (faces);
  return face;
}

/* The public half of key with its domain parameters, as a new key: what
 * DG14 publishes. Built through EVP_PKEY_todata()/fromdata() rather than
 * EVP_PKEY_dup(): OpenPACE's libeac exports an EVP_PKEY_dup() of its own
 * (a shim for OpenSSL < 3) that takes the place of libcrypto's in every
 * caller when libeac comes first in the link (as `pkg-config --libs libeac`
 * puts it), and for a DH or DHX key it copies the domain parameters only,
 * into a legacy key without a public value, on which i2d_PUBKEY()
 * dereferences NULL. */
static EVP_PKEY *
public_half (EVP_PKEY  *key,
             GError   **error)
{
  EVP_PKEY_CTX *ctx = NULL;
  OSSL_PARAM *params = NULL;
  EVP_PKEY *pub = NULL;

  if (EVP_PKEY_todata (key, EVP_PKEY_PUBLIC_KEY, &params) != 1 ||
      (ctx = EVP_PKEY_CTX_new_from_name (NULL, EVP_PKEY_get0_type_name (key), NULL)) == NULL ||
      EVP_PKEY_fromdata_init (ctx) != 1 ||
      EVP_PKEY_fromdata (ctx, &pub, EVP_PKEY_PUBLIC_KEY, params) != 1)
    {
      tp_test_set_openssl_error (error, "copying the chip authentication public key");
      EVP_PKEY_free (pub);
      pub = NULL;
    }
  EVP_PKEY_CTX_free (ctx);
  OSSL_PARAM_free (params);
  return pub;
}

static GBytes *
build_dg14 (const TpTestDocumentOptions  *o,
            EVP_PKEY                     *ca_key,
            GError                      **error)
{
  g_autoptr(TpSecurityInfos) infos = tp_security_infos_new ();
  g_autoptr(GBytes) set = NULL;
  g_autoptr(GByteArray) content = g_byte_array_new ();

  if (ca_key != NULL)
    {
      gboolean ecdh = tp_test_key_type_is_ec (o->chip_auth_key);
      TpChipAuthInfo *info = tp_chip_auth_info_new (tp_chip_auth_oid (ecdh, o->chip_auth_cipher),
                                                    1, -1, error);
      EVP_PKEY *public_key = info != NULL ? public_half (ca_key, error) : NULL;

      if (public_key == NULL)
        {
          g_clear_pointer (&info, tp_chip_auth_info_free);
          return NULL;
        }
      if (ecdh && o->chip_auth_explicit_parameters)
        EVP_PKEY_set_utf8_string_param (public_key, OSSL_PKEY_PARAM_EC_ENCODING,
                                        OSSL_PKEY_EC_ENCODING_EXPLICIT);
      g_ptr_array_add (infos->ca_infos, info);
      g_ptr_array_add (infos->ca_public_keys,
                       tp_chip_auth_public_key_new (ecdh ? TP_OID_PK_ECDH : TP_OID_PK_DH, public_key, -1));
      EVP_PKEY_free (public_key);
    }
  if (o->pace_parameter_id >= 0)
    g_ptr_array_add (infos->pace_infos,
                     tp_pace_info_new_for (o->pace_mapping, o->pace_parameter_id >= 8, o->pace_cipher,
                                           o->pace_parameter_id));
  if (o->active_auth_key != TP_TEST_KEY_NONE && tp_test_key_type_is_ec (o->active_auth_key))
    infos->aa_signature_oid = g_strdup (g_str_equal (tp_test_key_type_digest (o->active_auth_key), "SHA384")
                                        ? "1.2.840.10045.4.3.3"
                                        : g_str_equal (tp_test_key_type_digest (o->active_auth_key), "SHA512")
                                        ? "1.2.840.10045.4.3.4" : "1.2.840.10045.4.3.2");

  set = tp_security_infos_encode (infos, error);
  if (set == NULL)
    return NULL;
  g_byte_array_append (content, g_bytes_get_data (set, NULL), (guint) g_bytes_get_size (set));
  return wrap (0x6E, content);
}

static gboolean
sign_document (TpTestDocument               *doc,
               TpTestPki                    *pki,
               const TpTestDocumentOptions  *o,
               GError                      **error)
{
  GBytes *dgs[17] = { NULL };
  X509 *cert, *csca;
  EVP_PKEY *key;
  TpSodBuildFlags flags = TP_SOD_BUILD_NONE;
  g_autoptr(GBytes) sod = NULL;
  /* documents are signed at personalization (DG12 5F55) */
  g_autoptr(GDateTime) signing_time = g_date_time_new_utc (2025, 6, 1, 9, 30, 0);

  if (!tp_test_pki_get_signer (pki, o->signer_key, o->signer, &cert, &key, error))
    return FALSE;
  if (o->signer == TP_TEST_SIGNER_VALID || o->signer == TP_TEST_SIGNER_EXPIRED ||
      o->signer == TP_TEST_SIGNER_REVOKED)
    {
      if (!tp_test_pki_get_csca (pki, o->signer_key, &csca, NULL, error))
        return FALSE;
    }
  else
    {
      csca = tp_test_pki_get_issuer (pki, o->signer_key, o->signer, error);
      if (csca == NULL)
        return FALSE;
    }

  for (guint n = 1; n <= 16; n++)
    dgs[n] = tp_lds_files_get (doc->files, tp_lds_dg_fid (n));
  if (o->rsa_pss && EVP_PKEY_is_a (key, "RSA"))
    flags |= TP_SOD_BUILD_RSA_PSS;
  if (o->omit_ds_certificate)
    flags |= TP_SOD_BUILD_NO_CERTIFICATE;
  sod = tp_sod_build (dgs, o->digest != NULL ? o->digest : "SHA256", cert, key,
                      o->lds_version, NULL, o->content_type, signing_time, flags, error);
  if (sod == NULL)
    return FALSE;
  tp_lds_files_set (doc->files, TP_LDS_FID_SOD, sod);

  X509_free (doc->document_signer);
  X509_free (doc->csca);
  X509_up_ref (cert);
  X509_up_ref (csca);
  doc->document_signer = cert;
  doc->csca = csca;
  return TRUE;
}

TpTestDocument *
tp_test_pki_make_document (TpTestPki                    *pki,
                           const TpTestDocumentOptions  *options,
                           GError                      **error)
{
  TpTestDocumentOptions defaults;
  const TpTestDocumentOptions *o = options;
  g_autoptr(TpTestDocument) doc = g_new0 (TpTestDocument, 1);
  g_autoptr(GArray) present = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GBytes) dg1 = NULL;
  g_autoptr(GBytes) com = NULL;
  const char *label;
  guint n;

  g_return_val_if_fail (pki != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (o == NULL)
    {
      tp_test_document_options_init (&defaults);
      o = &defaults;
    }
  if (!tp_test_key_type_is_signature (o->signer_key))
    {
      g_set_error (error, TP_ERROR, TP_ERROR_INVALID_ARGUMENT,
                   "signer key %s: a signature algorithm expected", tp_test_key_type_to_string (o->signer_key));
      return NULL;
    }
  label = o->seed_label != NULL ? o->seed_label : "document";

  doc->files = tp_lds_files_new ();
  doc->can = g_strdup (DEFAULT_CAN);
  doc->mrz = o->mrz != NULL
             ? g_strdup (o->mrz)
             : tp_test_mrz_td3 ("UTO", "NGUYEN", "VAN AN", "C1234567", "VNM", "800517", 'M',
                                "351231", "001080012345");

  dg1 = tp_test_build_dg1 (doc->mrz);
  tp_lds_files_set (doc->files, TP_LDS_FID_DG1, dg1);
  n = 1;
  g_array_append_val (present, n);

  if (o->face_format != TP_FACE_FORMAT_UNKNOWN)
    {
      g_autoptr(GBytes) face = shared_face (o->face_format,
                                         o->face_bytes > 0 ? o->face_bytes : DEFAULT_FACE_BYTES, error);
      g_autoptr(GBytes) dg2 = NULL;

      if (face == NULL)
        return NULL;
      dg2 = tp_test_build_dg2 (face, o->face_format, DEFAULT_FACE_WIDTH, DEFAULT_FACE_HEIGHT);
      tp_lds_files_set (doc->files, TP_LDS_FID_DG2, dg2);
      doc->face_width = DEFAULT_FACE_WIDTH;
      doc->face_height = DEFAULT_FACE_HEIGHT;
      n = 2;
      g_array_append_val (present, n);
    }

  if (o->dg11)
    {
      TpLdsDg11 f = { 0 };
      g_autoptr(GPtrArray) others = g_ptr_array_new ();
      g_autoptr(GBytes) dg11 = NULL;

      g_ptr_array_add (others, (gpointer) "NGUYỄN<<AN");
      f.full_name = (char *) "NGUYỄN<<VĂN<AN";
      f.other_names = others;
      f.personal_number = (char *) "001080012345";
      f.birth_date = (char *) "19800517";
      f.place_of_birth = (char *) "HÀ NỘI<VIỆT NAM";
      f.address = (char *) "SỐ 1 TRÀNG TIỀN<HOÀN KIẾM<HÀ NỘI";
      f.profession = (char *) "KỸ SƯ";
      dg11 = tp_test_build_dg11 (&f);
      tp_lds_files_set (doc->files, TP_LDS_FID_DG11, dg11);
      n = 11;
      g_array_append_val (present, n);
    }

  if (o->dg12)
    {
      TpLdsDg12 f = { 0 };
      g_autoptr(GBytes) dg12 = NULL;

      f.issuing_authority = (char *) "CỤC QUẢN LÝ XUẤT NHẬP CẢNH";
      f.date_of_issue = (char *) "20250601";
      f.personalization_time = (char *) "20250601093000";
      f.personalization_serial = (char *) "TP-SIM-0001";
      dg12 = tp_test_build_dg12 (&f);
      tp_lds_files_set (doc->files, TP_LDS_FID_DG12, dg12);
      n = 12;
      g_array_append_val (present, n);
    }

  if (o->chip_auth_key != TP_TEST_KEY_NONE || o->pace_parameter_id >= 0)
    {
      g_autoptr(GBytes) dg14 = NULL;
      g_autofree char *ca_label = g_strdup_printf ("%s/chip-auth", label);

      if (o->chip_auth_key != TP_TEST_KEY_NONE)
        {
          if (o->chip_auth_key != TP_TEST_KEY_DH_2048 && !tp_test_key_type_is_ec (o->chip_auth_key))
            {
              g_set_error (error, TP_ERROR, TP_ERROR_INVALID_ARGUMENT,
                           "chip authentication key %s: an EC or DH key expected",
                           tp_test_key_type_to_string (o->chip_auth_key));
              return NULL;
            }
          doc->chip_auth_key = tp_test_pki_get_key (pki, o->chip_auth_key, ca_label, error);
          if (doc->chip_auth_key == NULL)
            return NULL;
        }
      dg14 = build_dg14 (o, doc->chip_auth_key, error);
      if (dg14 == NULL)
        return NULL;
      tp_lds_files_set (doc->files, TP_LDS_FID_DG14, dg14);
      n = 14;
      g_array_append_val (present, n);
    }

  if (o->active_auth_key != TP_TEST_KEY_NONE)
    {
      g_autoptr(GBytes) dg15 = NULL;
      g_autofree char *aa_label = g_strdup_printf ("%s/active-auth", label);

      if (o->active_auth_key == TP_TEST_KEY_DH_2048)
        {
          g_set_error_literal (error, TP_ERROR, TP_ERROR_INVALID_ARGUMENT,
                               "active authentication key: an RSA or EC key expected");
          return NULL;
        }
      doc->active_auth_key = tp_test_pki_get_key (pki, o->active_auth_key, aa_label, error);
      if (doc->active_auth_key == NULL)
        return NULL;
      dg15 = tp_active_auth_encode_dg15 (doc->active_auth_key, error);
      if (dg15 == NULL)
        return NULL;
      tp_lds_files_set (doc->files, TP_LDS_FID_DG15, dg15);
      n = 15;
      g_array_append_val (present, n);
    }

  if (o->pace_parameter_id >= 0)
    {
      g_autoptr(GPtrArray) infos = g_ptr_array_new_with_free_func ((GDestroyNotify) tp_pace_info_free);
      g_autoptr(GBytes) card_access = NULL;

      g_ptr_array_add (infos, tp_pace_info_new_for (o->pace_mapping, o->pace_parameter_id >= 8,
                                                    o->pace_cipher, o->pace_parameter_id));
      card_access = tp_pace_encode_card_access (infos);
      tp_lds_files_set (doc->files, TP_LDS_FID_CARD_ACCESS, card_access);
    }

  com = tp_test_build_com (o->lds_version != NULL ? o->lds_version : "0107", "040000",
                           &g_array_index (present, guint, 0), present->len);
  tp_lds_files_set (doc->files, TP_LDS_FID_COM, com);

  if (!sign_document (doc, pki, o, error))
    return NULL;
  return g_steal_pointer (&doc);
}

gboolean
tp_test_document_resign (TpTestDocument               *document,
                         TpTestPki                    *pki,
                         const TpTestDocumentOptions  *options,
                         GError                      **error)
{
  TpTestDocumentOptions defaults;

  g_return_val_if_fail (document != NULL, FALSE);
  g_return_val_if_fail (pki != NULL, FALSE);

  if (options == NULL)
    {
      tp_test_document_options_init (&defaults);
      options = &defaults;
    }
  return sign_document (document, pki, options, error);
}
