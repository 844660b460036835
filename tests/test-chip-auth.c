/* test-chip-auth.c: SecurityInfos, chip authentication and active authentication
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <dlfcn.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "tp-active-auth.h"
#include "tp-chip-auth.h"
#include "tp-chip-error.h"
#include "tp-lds.h"
#include "tp-test-document.h"
#include "tp-tlv.h"

static EVP_PKEY *
generate (const char *type,
          const char *group,
          guint       bits)
{
  EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name (NULL, type, NULL);
  EVP_PKEY *key = NULL;

  g_assert_nonnull (ctx);
  g_assert_cmpint (EVP_PKEY_keygen_init (ctx), ==, 1);
  if (group != NULL)
    {
      OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string (OSSL_PKEY_PARAM_GROUP_NAME, (char *) group, 0),
        OSSL_PARAM_construct_end (),
      };
      g_assert_cmpint (EVP_PKEY_CTX_set_params (ctx, params), ==, 1);
    }
  else
    g_assert_cmpint (EVP_PKEY_CTX_set_rsa_keygen_bits (ctx, bits), ==, 1);
  g_assert_cmpint (EVP_PKEY_keygen (ctx, &key), ==, 1);
  EVP_PKEY_CTX_free (ctx);
  return key;
}

/* The public half alone, as DG14/DG15 carry it */
static EVP_PKEY *
public_of (EVP_PKEY *key)
{
  unsigned char *der = NULL;
  const unsigned char *p;
  int len = i2d_PUBKEY (key, &der);
  EVP_PKEY *pub;

  g_assert_cmpint (len, >, 0);
  p = der;
  pub = d2i_PUBKEY (NULL, &p, len);
  OPENSSL_free (der);
  g_assert_nonnull (pub);
  return pub;
}

/* A chip after access control: an SM session, chip and active
 * authentication, and a file system of one file (EF.COM) */
typedef struct {
  TpSm     *sm;
  TpCaChip *ca;
  EVP_PKEY *aa_key;
  const char *aa_digest;
  guint     apdus;
  gboolean  short_only;    /* answers 6700 to extended Le */
} Chip;

static gboolean
chip_transmit (gpointer       user_data,
               const guint8  *capdu,
               gsize          capdu_len,
               GByteArray    *rapdu,
               GError       **error)
{
  Chip *chip = user_data;
  g_autoptr(TpApdu) command = NULL;
  g_autoptr(GByteArray) answer = g_byte_array_new ();
  g_autoptr(GByteArray) protected = NULL;
  TpSm *new_sm = NULL;
  guint16 sw;

  chip->apdus++;
  if (chip->sm == NULL || !tp_sm_is_usable (chip->sm))
    {
      tp_rapdu_append_sw (rapdu, 0x6982);
      return TRUE;
    }
  command = tp_sm_unprotect_command (chip->sm, capdu, capdu_len, &sw, NULL);
  if (command == NULL)
    {
      tp_rapdu_append_sw (rapdu, sw);
      return TRUE;
    }

  if (chip->ca != NULL && tp_ca_chip_handles (chip->ca, command))
    sw = tp_ca_chip_process (chip->ca, command, answer, &new_sm);
  else if (command->ins == 0x88 && chip->aa_key != NULL)
    {
      if (chip->short_only && command->le > 256)
        sw = 0x6700;
      else
        sw = tp_active_auth_chip_process (chip->aa_key, chip->aa_digest, command, answer);
    }
  else if (command->ins == 0xA4)
    sw = command->data->len == 2 && command->data->data[1] == 0x1E ? 0x9000 : 0x6A82;
  else
    sw = 0x6D00;

  /* The answer goes under the old keys; the new ones start after it */
  protected = tp_sm_protect_response (chip->sm, answer->data, answer->len, sw, error);
  if (protected == NULL)
    return FALSE;
  g_byte_array_append (rapdu, protected->data, protected->len);
  if (new_sm != NULL)
    {
      tp_sm_free (chip->sm);
      chip->sm = new_sm;
    }
  return TRUE;
}

static void
sessions (Chip  *chip,
          TpSm **terminal)
{
  guint8 k[16];

  for (guint i = 0; i < 16; i++)
    k[i] = 0x40 + i;
  /* a BAC-like 3DES session with a non-zero SSC */
  *terminal = tp_sm_new (TP_SM_CIPHER_3DES, k, k, (const guint8 *) "\x01\x02\x03\x04\x05\x06\x07\x08");
  chip->sm = tp_sm_new (TP_SM_CIPHER_3DES, k, k, (const guint8 *) "\x01\x02\x03\x04\x05\x06\x07\x08");
}

/* SecurityInfos */

static void
test_security_infos_round_trip (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpSecurityInfos) infos = tp_security_infos_new ();
  g_autoptr(TpSecurityInfos) parsed = NULL;
  g_autoptr(GBytes) der = NULL;
  g_autoptr(GByteArray) dg14 = g_byte_array_new ();
  g_autoptr(TpChipAuthInfo) chosen = NULL;
  const TpChipAuthPublicKey *key = NULL;
  EVP_PKEY *ec = generate ("EC", "brainpoolP256r1", 0);
  EVP_PKEY *ec_pub = public_of (ec);
  EVP_PKEY *dh = generate ("DHX", "dh_1024_160", 0);
  EVP_PKEY *dh_pub = public_of (dh);
  const TpChipAuthPublicKey *pk;

  g_ptr_array_add (infos->pace_infos, tp_pace_info_new_for (TP_PACE_MAPPING_GM, TRUE, TP_SM_CIPHER_AES_128, 13));
  g_ptr_array_add (infos->ca_infos, tp_chip_auth_info_new (tp_chip_auth_oid (TRUE, TP_SM_CIPHER_AES_128), 1, 7, NULL));
  g_ptr_array_add (infos->ca_infos, tp_chip_auth_info_new (tp_chip_auth_oid (FALSE, TP_SM_CIPHER_3DES), 1, 300, NULL));
  g_ptr_array_add (infos->ca_public_keys, tp_chip_auth_public_key_new (TP_OID_PK_DH, dh_pub, 300));
  g_ptr_array_add (infos->ca_public_keys, tp_chip_auth_public_key_new (TP_OID_PK_ECDH, ec_pub, 7));
  infos->aa_signature_oid = g_strdup ("0.4.0.127.0.7.1.1.4.1.3");

  der = tp_security_infos_encode (infos, &error);
  g_assert_no_error (error);
  tp_tlv_append (dg14, 0x6E, g_bytes_get_data (der, NULL), g_bytes_get_size (der));

  parsed = tp_security_infos_parse (dg14->data, dg14->len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (parsed->pace_infos->len, ==, 1);
  g_assert_cmpuint (parsed->ca_infos->len, ==, 2);
  g_assert_cmpuint (parsed->ca_public_keys->len, ==, 2);
  g_assert_cmpuint (parsed->n_other, ==, 0);
  g_assert_cmpstr (parsed->aa_signature_oid, ==, "0.4.0.127.0.7.1.1.4.1.3");
  g_assert_cmpstr (tp_active_auth_digest_for_oid (parsed->aa_signature_oid), ==, "SHA256");
  for (guint i = 0; i < parsed->ca_public_keys->len; i++)
    {
      pk = g_ptr_array_index (parsed->ca_public_keys, i);
      if (pk->key_id == 7)
        {
          g_assert_cmpstr (pk->oid, ==, TP_OID_PK_ECDH);
          g_assert_cmpint (EVP_PKEY_eq (pk->key, ec_pub), ==, 1);
        }
      else
        {
          g_assert_cmpint (pk->key_id, ==, 300);
          g_assert_cmpint (EVP_PKEY_eq (pk->key, dh_pub), ==, 1);
        }
    }

  /* The AES one before the 3DES one, with its key id */
  g_assert_true (tp_chip_auth_choose (parsed, &chosen, &key, &error));
  g_assert_cmpint (chosen->cipher, ==, TP_SM_CIPHER_AES_128);
  g_assert_cmpint (chosen->key_id, ==, 7);
  g_assert_cmpint (key->key_id, ==, 7);
  g_assert_cmpint (chosen->version, ==, 1);

  /* The same bytes again: the encoding is canonical */
  {
    g_autoptr(GBytes) again = tp_security_infos_encode (parsed, &error);
    g_assert_true (g_bytes_equal (der, again));
  }

  EVP_PKEY_free (ec);
  EVP_PKEY_free (ec_pub);
  EVP_PKEY_free (dh);
  EVP_PKEY_free (dh_pub);
}

static void
test_security_infos_malformed (void)
{
  const char *bad[] = {
    "",
    "6E03310130",                         /* wrapper length wrong */
    "3100" "00",                          /* trailing byte */
    "3103020101",                         /* not a SEQUENCE */
    "31053003020101",                     /* no OID */
    /* ChipAuthenticationInfo with a string version */
    "3111300F060A04007F000702020302020C0101",
    /* ChipAuthenticationPublicKeyInfo with garbage key */
    "3113301106090400" "7F0007020201020404DEADBEEF",
    /* ActiveAuthenticationInfo without its algorithm */
    "310B3009060567" "81080101050201" "01",
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(TpSecurityInfos) ok = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      GByteArray *b = g_byte_array_new ();
      TpSecurityInfos *infos;

      for (gsize j = 0; bad[i][j] != '\0'; j += 2)
        {
          guint8 v = (g_ascii_xdigit_value (bad[i][j]) << 4) | g_ascii_xdigit_value (bad[i][j + 1]);
          g_byte_array_append (b, &v, 1);
        }
      infos = tp_security_infos_parse (b->data, b->len, &error);
      if (infos != NULL)
        g_error ("case %u parsed", i);
      g_assert_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_PROTOCOL);
      g_clear_error (&error);
      g_byte_array_unref (b);
    }

  /* Unknown protocols are skipped, not errors */
  ok = tp_security_infos_parse ((const guint8 *) "\x31\x08\x30\x06\x06\x01\x2A\x02\x01\x01", 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ok->n_other, ==, 1);
}

/* A ChipAuthenticationPublicKeyInfo with standardized domain parameters */
static void
test_standardized_parameters (void)
{
  g_autoptr(GError) error = NULL;
  EVP_PKEY *chip_key = generate ("EC", "brainpoolP256r1", 0);
  g_autoptr(GBytes) point = tp_chip_auth_encode_public (chip_key, &error);
  g_autoptr(GByteArray) alg = g_byte_array_new ();
  g_autoptr(GByteArray) bits = g_byte_array_new ();
  g_autoptr(GByteArray) spki = g_byte_array_new ();
  g_autoptr(GByteArray) info = g_byte_array_new ();
  g_autoptr(GByteArray) set = g_byte_array_new ();
  g_autoptr(GBytes) std = tp_oid_encode ("0.4.0.127.0.7.1.2", NULL);
  g_autoptr(GBytes) pk = tp_oid_encode (TP_OID_PK_ECDH, NULL);
  g_autoptr(TpSecurityInfos) infos = NULL;
  const TpChipAuthPublicKey *key;

  tp_tlv_append (alg, 0x06, g_bytes_get_data (std, NULL), g_bytes_get_size (std));
  tp_tlv_append (alg, 0x02, (const guint8 *) "\x0D", 1);
  tp_tlv_append (spki, 0x30, alg->data, alg->len);
  g_byte_array_append (bits, (const guint8 *) "\x00", 1);
  g_byte_array_append (bits, g_bytes_get_data (point, NULL), g_bytes_get_size (point));
  tp_tlv_append (spki, 0x03, bits->data, bits->len);
  g_byte_array_set_size (alg, 0);
  tp_tlv_append (alg, 0x30, spki->data, spki->len);
  tp_tlv_append (info, 0x06, g_bytes_get_data (pk, NULL), g_bytes_get_size (pk));
  g_byte_array_append (info, alg->data, alg->len);
  g_byte_array_set_size (spki, 0);
  tp_tlv_append (spki, 0x30, info->data, info->len);
  tp_tlv_append (set, 0x31, spki->data, spki->len);

  infos = tp_security_infos_parse (set->data, set->len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (infos->ca_public_keys->len, ==, 1);
  key = g_ptr_array_index (infos->ca_public_keys, 0);
  g_assert_true (EVP_PKEY_is_a (key->key, "EC"));
  g_assert_cmpint (EVP_PKEY_eq (key->key, chip_key), ==, 1);
  EVP_PKEY_free (chip_key);
}

/* DG14 of a test document with a DH chip authentication key (this used to
 * crash in i2d_PUBKEY): a SubjectPublicKeyInfo with dhpublicnumber (X9.42)
 * domain parameters, ICAO 9303-11 §6.2 and BSI TR-03110-3 A.1.1 */
static void
test_security_infos_dh_document (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpTestDocument) doc = NULL;
  g_autoptr(TpSecurityInfos) infos = NULL;
  g_autoptr(GBytes) again = NULL;
  TpTestDocumentOptions o;
  const TpChipAuthPublicKey *pk;
  const TpChipAuthInfo *info;
  GBytes *dg14;
  const guint8 *data;
  EVP_PKEY *group = NULL;
  EVP_PKEY_CTX *ctx;
  X509_PUBKEY *spki;
  ASN1_OBJECT *alg = NULL;
  unsigned char *der = NULL;
  const unsigned char *p;
  BIGNUM *priv = NULL;
  char oid[64];
  gsize len, set_len;
  int der_len;
  OSSL_PARAM params[] = {
    OSSL_PARAM_construct_utf8_string (OSSL_PKEY_PARAM_GROUP_NAME, (char *) "dh_2048_224", 0),
    OSSL_PARAM_construct_end (),
  };

  tp_test_document_options_init (&o);
  o.chip_auth_key = TP_TEST_KEY_DH_2048;
  o.chip_auth_cipher = TP_SM_CIPHER_3DES;
  o.face_format = TP_FACE_FORMAT_UNKNOWN;
  doc = tp_test_pki_make_document (tp_test_pki_get_default (), &o, &error);
  g_assert_no_error (error);
  g_assert_nonnull (doc->chip_auth_key);

  dg14 = tp_lds_files_get (doc->files, TP_LDS_FID_DG14);
  g_assert_nonnull (dg14);
  data = g_bytes_get_data (dg14, &len);
  infos = tp_security_infos_parse (data, len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (infos->ca_infos->len, ==, 1);
  info = g_ptr_array_index (infos->ca_infos, 0);
  g_assert_cmpstr (info->oid, ==, tp_chip_auth_oid (FALSE, TP_SM_CIPHER_3DES));
  g_assert_false (info->ecdh);
  g_assert_cmpuint (infos->ca_public_keys->len, ==, 1);
  pk = g_ptr_array_index (infos->ca_public_keys, 0);
  g_assert_cmpstr (pk->oid, ==, TP_OID_PK_DH);
  g_assert_true (EVP_PKEY_is_a (pk->key, "DHX"));
  g_assert_cmpint (EVP_PKEY_eq (pk->key, doc->chip_auth_key), ==, 1);
  /* the public half only */
  g_assert_false (EVP_PKEY_get_bn_param (pk->key, OSSL_PKEY_PARAM_PRIV_KEY, &priv));

  /* RFC 5114 2.2 (BSI standardized domain parameters 1) as X9.42 parameters */
  ctx = EVP_PKEY_CTX_new_from_name (NULL, "DHX", NULL);
  g_assert_cmpint (EVP_PKEY_fromdata_init (ctx), ==, 1);
  g_assert_cmpint (EVP_PKEY_fromdata (ctx, &group, EVP_PKEY_KEY_PARAMETERS, params), ==, 1);
  g_assert_cmpint (EVP_PKEY_parameters_eq (pk->key, group), ==, 1);
  der_len = i2d_PUBKEY (pk->key, &der);
  g_assert_cmpint (der_len, >, 0);
  p = der;
  spki = d2i_X509_PUBKEY (NULL, &p, der_len);
  g_assert_nonnull (spki);
  g_assert_cmpint (X509_PUBKEY_get0_param (&alg, NULL, NULL, NULL, spki), ==, 1);
  OBJ_obj2txt (oid, sizeof oid, alg, 1);
  g_assert_cmpstr (oid, ==, "1.2.840.10046.2.1");

  /* The set re-encodes to the bytes of DG14 (tag 6E, a long-form length) */
  again = tp_security_infos_encode (infos, &error);
  g_assert_no_error (error);
  set_len = g_bytes_get_size (again);
  g_assert_cmpuint (len, ==, set_len + 4);
  g_assert_cmpmem (data + 4, set_len,
                   g_bytes_get_data (again, NULL), set_len);

  X509_PUBKEY_free (spki);
  OPENSSL_free (der);
  EVP_PKEY_free (group);
  EVP_PKEY_CTX_free (ctx);
}

/* A DH key without a public value is refused with an error rather than
 * handed to i2d_PUBKEY(), which dereferences NULL on a legacy one. Such a
 * key is what libeac's own EVP_PKEY_dup() (a shim for OpenSSL < 3, which
 * stands in for libcrypto's when libeac comes first in the link) makes of a
 * DH key pair: the domain parameters without the keys. */
static void
test_security_infos_no_public_value (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpSecurityInfos) infos = tp_security_infos_new ();
  EVP_PKEY *key = generate ("DHX", "dh_2048_224", 0);
  EVP_PKEY *params_only = EVP_PKEY_new ();
  void *libeac = dlopen ("libeac.so.3", RTLD_LAZY | RTLD_NOLOAD);
  GBytes *der;

  g_assert_cmpint (EVP_PKEY_copy_parameters (params_only, key), ==, 1);
  g_ptr_array_add (infos->ca_public_keys, tp_chip_auth_public_key_new (TP_OID_PK_DH, params_only, -1));
  der = tp_security_infos_encode (infos, &error);
  g_assert_null (der);
  g_assert_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_ptr_array_set_size (infos->ca_public_keys, 0);

  if (libeac != NULL)
    {
      EVP_PKEY *(*eac_dup) (EVP_PKEY *key);
      void *sym = dlsym (libeac, "EVP_PKEY_dup");
      EVP_PKEY *dup;

      g_assert_nonnull (sym);
      memcpy (&eac_dup, &sym, sizeof eac_dup);
      dup = eac_dup (key);
      g_assert_nonnull (dup);
      g_ptr_array_add (infos->ca_public_keys, tp_chip_auth_public_key_new (TP_OID_PK_DH, dup, -1));
      der = tp_security_infos_encode (infos, &error);
      /* libcrypto's (a libeac built for OpenSSL 3) keeps the key whole */
      if (der != NULL)
        {
          g_assert_no_error (error);
          g_bytes_unref (der);
        }
      else
        g_assert_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_INVALID_ARGUMENT);
      EVP_PKEY_free (dup);
      dlclose (libeac);
    }

  EVP_PKEY_free (params_only);
  EVP_PKEY_free (key);
}

/* Chip authentication */

typedef struct {
  const char *type;
  const char *group;
  TpSmCipher  cipher;
} CaCase;

static void
test_ca_round_trip (gconstpointer user_data)
{
  const CaCase *c = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TpChipAuthInfo) info = NULL;
  g_autoptr(TpChipAuthPublicKey) public_key = NULL;
  g_autoptr(TpSm) terminal = NULL;
  g_autoptr(GByteArray) data = g_byte_array_new ();
  g_autoptr(TpApdu) select = tp_apdu_new (0x00, 0xA4, 0x02, 0x0C, (const guint8 *) "\x01\x1E", 2, 0);
  gboolean ecdh = strcmp (c->type, "EC") == 0;
  EVP_PKEY *key = generate (c->type, c->group, 0);
  EVP_PKEY *pub = public_of (key);
  Chip chip = { 0 };
  guint16 sw = 0;

  info = tp_chip_auth_info_new (tp_chip_auth_oid (ecdh, c->cipher), 1, -1, &error);
  g_assert_no_error (error);
  public_key = tp_chip_auth_public_key_new (ecdh ? TP_OID_PK_ECDH : TP_OID_PK_DH, pub, -1);
  chip.ca = tp_ca_chip_new (key, info);
  sessions (&chip, &terminal);

  g_assert_true (tp_chip_auth_authenticate (chip_transmit, &chip, &terminal, info, public_key,
                                            TRUE, &error));
  g_assert_no_error (error);
  g_assert_cmpint (tp_sm_get_cipher (terminal), ==, c->cipher);
  g_assert_cmpuint (tp_sm_get_verified_count (terminal), ==, 1);
  g_assert_cmpuint (chip.apdus, ==, c->cipher == TP_SM_CIPHER_3DES ? 2 : 3);

  /* and the session goes on */
  g_assert_true (tp_sm_transmit (terminal, chip_transmit, &chip, select, data, &sw, &error));
  g_assert_no_error (error);
  g_assert_cmphex (sw, ==, 0x9000);

  tp_sm_free (chip.sm);
  tp_ca_chip_free (chip.ca);
  EVP_PKEY_free (key);
  EVP_PKEY_free (pub);
}

/* A clone: DG14 copied from the genuine chip, but the private key of the
 * clone is another one */
static void
test_ca_clone (gconstpointer user_data)
{
  TpSmCipher cipher = GPOINTER_TO_INT (user_data);
  g_autoptr(GError) error = NULL;
  g_autoptr(TpChipAuthInfo) info = tp_chip_auth_info_new (tp_chip_auth_oid (TRUE, cipher), 1, -1, NULL);
  g_autoptr(TpChipAuthPublicKey) public_key = NULL;
  g_autoptr(TpSm) terminal = NULL;
  EVP_PKEY *genuine = generate ("EC", "prime256v1", 0);
  EVP_PKEY *clone = generate ("EC", "prime256v1", 0);
  Chip chip = { 0 };

  public_key = tp_chip_auth_public_key_new (TP_OID_PK_ECDH, genuine, -1);
  chip.ca = tp_ca_chip_new (clone, info);
  sessions (&chip, &terminal);

  g_assert_false (tp_chip_auth_authenticate (chip_transmit, &chip, &terminal, info, public_key,
                                             TRUE, &error));
  g_assert_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_AUTHENTICATION);
  g_assert_null (terminal);

  tp_sm_free (chip.sm);
  tp_ca_chip_free (chip.ca);
  EVP_PKEY_free (genuine);
  EVP_PKEY_free (clone);
}

/* DG14 keys with explicit curve parameters, as most passports write them */
static void
test_ca_explicit_parameters (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpSecurityInfos) infos = tp_security_infos_new ();
  g_autoptr(TpSecurityInfos) parsed = NULL;
  g_autoptr(TpChipAuthInfo) info = NULL;
  g_autoptr(GBytes) der = NULL;
  g_autoptr(TpSm) terminal = NULL;
  const TpChipAuthPublicKey *key = NULL;
  EVP_PKEY *chip_key = generate ("EC", "brainpoolP256r1", 0);
  EVP_PKEY *pub = public_of (chip_key);
  unsigned char *spki = NULL;
  int spki_len;
  Chip chip = { 0 };

  g_assert_cmpint (EVP_PKEY_set_utf8_string_param (pub, OSSL_PKEY_PARAM_EC_ENCODING,
                                                   OSSL_PKEY_EC_ENCODING_EXPLICIT), ==, 1);
  spki_len = i2d_PUBKEY (pub, &spki);
  g_assert_cmpint (spki_len, >, 200);      /* prime, curve, base point, order... */
  OPENSSL_free (spki);

  g_ptr_array_add (infos->ca_infos, tp_chip_auth_info_new (tp_chip_auth_oid (TRUE, TP_SM_CIPHER_AES_128), 1, -1, NULL));
  g_ptr_array_add (infos->ca_public_keys, tp_chip_auth_public_key_new (TP_OID_PK_ECDH, pub, -1));
  der = tp_security_infos_encode (infos, &error);
  g_assert_no_error (error);
  parsed = tp_security_infos_parse (g_bytes_get_data (der, NULL), g_bytes_get_size (der), &error);
  g_assert_no_error (error);
  g_assert_true (tp_chip_auth_choose (parsed, &info, &key, &error));

  chip.ca = tp_ca_chip_new (chip_key, info);
  sessions (&chip, &terminal);
  g_assert_true (tp_chip_auth_authenticate (chip_transmit, &chip, &terminal, info, key, TRUE, &error));
  g_assert_no_error (error);

  tp_sm_free (chip.sm);
  tp_ca_chip_free (chip.ca);
  EVP_PKEY_free (chip_key);
  EVP_PKEY_free (pub);
}

/* The chip refusing the protocol, and a DG14 without ChipAuthenticationInfo */
static void
test_ca_refused_and_default (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpChipAuthInfo) aes = tp_chip_auth_info_new (tp_chip_auth_oid (TRUE, TP_SM_CIPHER_AES_128), 1, -1, NULL);
  g_autoptr(TpChipAuthInfo) des = tp_chip_auth_info_new (tp_chip_auth_oid (TRUE, TP_SM_CIPHER_3DES), 1, -1, NULL);
  g_autoptr(TpChipAuthInfo) chosen = NULL;
  g_autoptr(TpChipAuthPublicKey) public_key = NULL;
  g_autoptr(TpSecurityInfos) infos = tp_security_infos_new ();
  g_autoptr(TpSm) terminal = NULL;
  const TpChipAuthPublicKey *key = NULL;
  EVP_PKEY *chip_key = generate ("EC", "brainpoolP256r1", 0);
  Chip chip = { 0 };

  public_key = tp_chip_auth_public_key_new (TP_OID_PK_ECDH, chip_key, -1);

  /* A 3DES chip asked for AES */
  chip.ca = tp_ca_chip_new (chip_key, des);
  sessions (&chip, &terminal);
  g_assert_false (tp_chip_auth_authenticate (chip_transmit, &chip, &terminal, aes, public_key,
                                             FALSE, &error));
  g_assert_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_AUTHENTICATION);
  g_assert_nonnull (strstr (error->message, "6A88"));
  g_clear_error (&error);
  g_clear_pointer (&chip.sm, tp_sm_free);

  /* No ChipAuthenticationInfo: 3DES */
  g_ptr_array_add (infos->ca_public_keys, tp_chip_auth_public_key_new (TP_OID_PK_ECDH, chip_key, -1));
  g_assert_true (tp_chip_auth_choose (infos, &chosen, &key, &error));
  g_assert_cmpint (chosen->cipher, ==, TP_SM_CIPHER_3DES);
  g_assert_true (chosen->ecdh);
  sessions (&chip, &terminal);
  g_assert_true (tp_chip_auth_authenticate (chip_transmit, &chip, &terminal, chosen, key,
                                            FALSE, &error));
  g_assert_no_error (error);
  /* Without confirmation nothing has been verified yet */
  g_assert_cmpuint (tp_sm_get_verified_count (terminal), ==, 0);

  /* Nothing to choose */
  g_ptr_array_set_size (infos->ca_public_keys, 0);
  g_clear_pointer (&chosen, tp_chip_auth_info_free);
  g_assert_false (tp_chip_auth_choose (infos, &chosen, &key, &error));
  g_assert_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_UNSUPPORTED);

  tp_sm_free (chip.sm);
  tp_ca_chip_free (chip.ca);
  EVP_PKEY_free (chip_key);
}

/* Active authentication */

typedef struct {
  const char *type;
  const char *group;
  guint       bits;
  const char *digest;
} AaCase;

static gboolean
fixed_random (gpointer  user_data,
              guint8   *buf,
              gsize     len)
{
  memset (buf, 0x5A, len);
  return TRUE;
}

static void
test_aa (gconstpointer user_data)
{
  const AaCase *c = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) dg15 = NULL;
  g_autoptr(GBytes) signature = NULL;
  g_autoptr(TpSm) terminal = NULL;
  EVP_PKEY *key = generate (c->type, c->group, c->bits);
  EVP_PKEY *other = generate (c->type, c->group, c->bits);
  EVP_PKEY *pub;
  const guint8 challenge[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
  guint8 *forged;
  gsize len;
  Chip chip = { 0 };

  dg15 = tp_active_auth_encode_dg15 (key, &error);
  g_assert_no_error (error);
  g_assert_cmphex (((const guint8 *) g_bytes_get_data (dg15, NULL))[0], ==, 0x6F);
  pub = tp_active_auth_parse_dg15 (g_bytes_get_data (dg15, NULL), g_bytes_get_size (dg15), &error);
  g_assert_no_error (error);
  g_assert_cmpint (EVP_PKEY_eq (pub, key), ==, 1);

  /* Sign and verify directly */
  signature = tp_active_auth_sign (key, c->digest, challenge, 8, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (tp_active_auth_verify (pub, c->digest, challenge, 8,
                                        g_bytes_get_data (signature, NULL),
                                        g_bytes_get_size (signature), &error));
  g_assert_no_error (error);
  if (strcmp (c->type, "EC") == 0)
    {
      /* plain r || s, and the digest found without being told */
      g_assert_cmpuint (g_bytes_get_size (signature), ==, 2 * ((EVP_PKEY_get_bits (key) + 7) / 8));
      g_assert_true (tp_active_auth_verify (pub, NULL, challenge, 8,
                                            g_bytes_get_data (signature, NULL),
                                            g_bytes_get_size (signature), &error));
    }
  else
    g_assert_cmpuint (g_bytes_get_size (signature), ==, c->bits / 8);

  /* Another challenge, a flipped bit, another key: all refused */
  g_assert_false (tp_active_auth_verify (pub, c->digest, (const guint8 *) "\x01\x02\x03\x04\x05\x06\x07\x09", 8,
                                         g_bytes_get_data (signature, NULL),
                                         g_bytes_get_size (signature), &error));
  g_assert_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_AUTHENTICATION);
  g_clear_error (&error);
  len = g_bytes_get_size (signature);
  forged = g_memdup2 (g_bytes_get_data (signature, NULL), len);
  for (gsize i = 0; i < len; i += 7)
    {
      forged[i] ^= 0x10;
      g_assert_false (tp_active_auth_verify (pub, c->digest, challenge, 8, forged, len, &error));
      g_assert_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_AUTHENTICATION);
      g_clear_error (&error);
      forged[i] ^= 0x10;
    }
  g_assert_false (tp_active_auth_verify (pub, c->digest, challenge, 8, forged, len - 1, &error));
  g_assert_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_AUTHENTICATION);
  g_clear_error (&error);
  g_free (forged);
  {
    g_autoptr(GBytes) wrong = tp_active_auth_sign (other, c->digest, challenge, 8, fixed_random, NULL, &error);

    g_assert_false (tp_active_auth_verify (pub, c->digest, challenge, 8,
                                           g_bytes_get_data (wrong, NULL),
                                           g_bytes_get_size (wrong), &error));
    g_assert_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_AUTHENTICATION);
    g_clear_error (&error);
  }

  /* Over the air, under secure messaging, then from a clone */
  chip.aa_key = key;
  chip.aa_digest = c->digest;
  sessions (&chip, &terminal);
  g_assert_true (tp_active_auth_authenticate (chip_transmit, &chip, terminal, TRUE, pub, c->digest,
                                              NULL, NULL, &error));
  g_assert_no_error (error);

  chip.short_only = TRUE;
  g_assert_true (tp_active_auth_authenticate (chip_transmit, &chip, terminal, TRUE, pub, c->digest,
                                              NULL, NULL, &error));
  g_assert_no_error (error);

  chip.aa_key = other;
  g_assert_false (tp_active_auth_authenticate (chip_transmit, &chip, terminal, TRUE, pub, c->digest,
                                               NULL, NULL, &error));
  g_assert_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_AUTHENTICATION);

  tp_sm_free (chip.sm);
  EVP_PKEY_free (key);
  EVP_PKEY_free (other);
  EVP_PKEY_free (pub);
}

static void
test_aa_dg15_malformed (void)
{
  g_autoptr(GError) error = NULL;
  EVP_PKEY *key;
  EVP_PKEY *dh = generate ("DHX", "dh_1024_160", 0);
  g_autoptr(GBytes) dg15 = tp_active_auth_encode_dg15 (dh, NULL);

  key = tp_active_auth_parse_dg15 ((const guint8 *) "\x6F\x05\x30\x03\x02\x01", 6, &error);
  g_assert_null (key);
  g_assert_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_PROTOCOL);
  g_clear_error (&error);

  key = tp_active_auth_parse_dg15 ((const guint8 *) "\x6F\x03\x30\x01\x02", 5, &error);
  g_assert_null (key);
  g_assert_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_PROTOCOL);
  g_clear_error (&error);

  key = tp_active_auth_parse_dg15 (g_bytes_get_data (dg15, NULL), g_bytes_get_size (dg15), &error);
  g_assert_null (key);
  g_assert_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_UNSUPPORTED);
  EVP_PKEY_free (dh);
}

int
main (int   argc,
      char *argv[])
{
  static const CaCase ca_cases[] = {
    { "EC", "brainpoolP256r1", TP_SM_CIPHER_3DES },
    { "EC", "brainpoolP256r1", TP_SM_CIPHER_AES_128 },
    { "EC", "prime256v1", TP_SM_CIPHER_AES_128 },
    { "EC", "secp384r1", TP_SM_CIPHER_AES_192 },
    { "EC", "brainpoolP512r1", TP_SM_CIPHER_AES_256 },
    { "EC", "secp521r1", TP_SM_CIPHER_AES_256 },
    { "DHX", "dh_1024_160", TP_SM_CIPHER_3DES },
    { "DHX", "dh_2048_224", TP_SM_CIPHER_AES_128 },
    { "DH", "ffdhe2048", TP_SM_CIPHER_AES_256 },
  };
  static const AaCase aa_cases[] = {
    { "RSA", NULL, 1024, NULL },
    { "RSA", NULL, 1024, "SHA1" },
    { "RSA", NULL, 2048, "SHA256" },
    { "RSA", NULL, 2048, NULL },
    { "RSA", NULL, 3072, "SHA512" },
    { "EC", "prime256v1", 0, "SHA256" },
    { "EC", "brainpoolP256r1", 0, "SHA256" },
    { "EC", "brainpoolP256r1", 0, "SHA1" },
    { "EC", "secp384r1", 0, "SHA384" },
    { "EC", "brainpoolP512r1", 0, "SHA512" },
    { "EC", "secp521r1", 0, "SHA512" },
  };

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/chip-auth/security-infos/round-trip", test_security_infos_round_trip);
  g_test_add_func ("/chip-auth/security-infos/malformed", test_security_infos_malformed);
  g_test_add_func ("/chip-auth/security-infos/standardized-parameters", test_standardized_parameters);
  g_test_add_func ("/chip-auth/security-infos/dh-document", test_security_infos_dh_document);
  g_test_add_func ("/chip-auth/security-infos/no-public-value", test_security_infos_no_public_value);
  for (guint i = 0; i < G_N_ELEMENTS (ca_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/chip-auth/ca/%s-%s-%s", ca_cases[i].type,
                                               ca_cases[i].group,
                                               tp_sm_cipher_to_string (ca_cases[i].cipher));
      g_test_add_data_func (path, &ca_cases[i], test_ca_round_trip);
    }
  g_test_add_data_func ("/chip-auth/ca/clone-3des", GINT_TO_POINTER (TP_SM_CIPHER_3DES), test_ca_clone);
  g_test_add_data_func ("/chip-auth/ca/clone-aes", GINT_TO_POINTER (TP_SM_CIPHER_AES_128), test_ca_clone);
  g_test_add_func ("/chip-auth/ca/refused-and-default", test_ca_refused_and_default);
  g_test_add_func ("/chip-auth/ca/explicit-parameters", test_ca_explicit_parameters);
  for (guint i = 0; i < G_N_ELEMENTS (aa_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/chip-auth/aa/%s-%s-%s", aa_cases[i].type,
                                               aa_cases[i].group != NULL ? aa_cases[i].group
                                               : (aa_cases[i].bits == 1024 ? "1024" :
                                                  aa_cases[i].bits == 2048 ? "2048" : "3072"),
                                               aa_cases[i].digest != NULL ? aa_cases[i].digest : "default");
      g_test_add_data_func (path, &aa_cases[i], test_aa);
    }
  g_test_add_func ("/chip-auth/aa/dg15-malformed", test_aa_dg15_malformed);

  return g_test_run ();
}
