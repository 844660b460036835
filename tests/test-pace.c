/* test-pace.c: PACE against ICAO 9303-11 Appendix G and between our two sides
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>

#include <eac/eac.h>
#include <eac/objects.h>
#include <eac/pace.h>

#include "tp-bac.h"
#include "tp-chip-auth.h"
#include "tp-chip-error.h"
#include "tp-pace.h"
#include "tp-tlv.h"
#include "tp-test-util.h"

/* ICAO Doc 9303 Part 11 Appendix G (tests/data/icao-9303-11-worked-examples.md) */
#define G_MRZ_INFO     "T22000129364081251010318"
#define G_MRZ_SHA1     "7E2D2A41C74EA0B38CD36F863939BFA8E9032AAD"
#define G_K_PI         "89DED1B26624EC1E634C1989302849DD"
#define G1_CARD_ACCESS "31143012060A04007F0007020204020202010202010D"
#define G1_Z           "95A3A016522EE98D01E76CB6B98B42C3"
#define G1_S           "3F00C4D39D153F2B2A214A078D899B22"
#define G1_PCD_MAP     "7F4EF07B9EA82FD78AD689B38D0BC78CF21F249D953BC46F4C6E19259C010F99"
#define G1_IC_MAP      "498FF49756F2DC1587840041839A85982BE7761D14715FB091EFA7BCE9058560"
#define G1_H_X         "60332EF2450B5D247EF6D3868397D398852ED6E8CAF6FFEEF6BF85CA57057FD5"
#define G1_MAPPED_G_X  "8CED63C91426D4F0EB1435E7CB1D74A46723A0AF21C89634F65A9AE87A9265E2"
#define G1_PCD_EPH     "A73FB703AC1436A18E0CFA5ABB3F7BEC7A070E7A6788486BEE230C4A22762595"
#define G1_IC_EPH      "107CF58696EF6155053340FD633392BA81909DF7B9706F226F32086C7AFF974A"
#define G1_K_X         "28768D20701247DAE81804C9E780EDE582A9996DB4A315020B2733197DB84925"
#define G1_KS_ENC      "F5F0E35C0D7161EE6724EE513A0D9A7F"
#define G1_KS_MAC      "FE251C7858B356B24514B3BD5F4297D1"
#define G1_T_IFD       "C2B0BD78D94BA866"
#define G1_T_IC        "3ABB9674BCE93C08"
#define G1_MSE_SET_AT  "0022C1A40F800A04007F00070202040202830101"
#define G2_CARD_ACCESS "31143012060A04007F00070202040102020102020100"
#define G2_Z           "854D8DF5827FA6852D1A4FA701CDDDCA"
#define G2_S           "FA5B7E3E49753A0DB9178B7B9BD898C8"

/* Appendix G: EF.CardAccess, K_pi and the nonce */

static void
test_card_access (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GByteArray) g1 = tp_test_hex (G1_CARD_ACCESS);
  g_autoptr(GByteArray) g2 = tp_test_hex (G2_CARD_ACCESS);
  g_autoptr(GPtrArray) infos = NULL;
  g_autoptr(GBytes) encoded = NULL;
  const TpPaceInfo *info;
  g_autofree char *description = NULL;

  infos = tp_pace_parse_card_access (g1->data, g1->len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (infos->len, ==, 1);
  info = g_ptr_array_index (infos, 0);
  g_assert_cmpstr (info->oid, ==, "0.4.0.127.0.7.2.2.4.2.2");
  g_assert_cmpint (info->mapping, ==, TP_PACE_MAPPING_GM);
  g_assert_true (info->ecdh);
  g_assert_cmpint (info->cipher, ==, TP_SM_CIPHER_AES_128);
  g_assert_cmpint (info->version, ==, 2);
  g_assert_cmpint (info->parameter_id, ==, 13);
  g_assert_true (tp_pace_info_is_supported (info));
  g_assert_true (tp_pace_choose (infos) == info);
  description = tp_pace_info_describe (info);
  g_assert_cmpstr (description, ==, "ECDH-GM, AES-128, brainpoolP256r1 (13)");

  encoded = tp_pace_encode_card_access (infos);
  g_assert_cmpmem (g_bytes_get_data (encoded, NULL), g_bytes_get_size (encoded), g1->data, g1->len);
  g_clear_pointer (&infos, g_ptr_array_unref);

  infos = tp_pace_parse_card_access (g2->data, g2->len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (infos->len, ==, 1);
  info = g_ptr_array_index (infos, 0);
  g_assert_false (info->ecdh);
  g_assert_cmpint (info->mapping, ==, TP_PACE_MAPPING_GM);
  g_assert_cmpint (info->parameter_id, ==, 0);
  g_clear_pointer (&infos, g_ptr_array_unref);

  /* Not SecurityInfos */
  infos = tp_pace_parse_card_access ((const guint8 *) "\x30\x03\x02\x01\x01", 5, &error);
  g_assert_null (infos);
  g_assert_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_PROTOCOL);
  g_clear_error (&error);

  /* A PACEInfo without version */
  infos = tp_pace_parse_card_access ((const guint8 *)
                                     "\x31\x0E\x30\x0C\x06\x0A\x04\x00\x7F\x00\x07\x02\x02\x04\x02\x02",
                                     16, &error);
  g_assert_null (infos);
  g_assert_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_PROTOCOL);
}

static void
test_choose (void)
{
  g_autoptr(GPtrArray) infos = g_ptr_array_new_with_free_func ((GDestroyNotify) tp_pace_info_free);
  const TpPaceInfo *best;

  g_ptr_array_add (infos, tp_pace_info_new_for (TP_PACE_MAPPING_IM, TRUE, TP_SM_CIPHER_AES_256, 13));
  g_ptr_array_add (infos, tp_pace_info_new_for (TP_PACE_MAPPING_GM, FALSE, TP_SM_CIPHER_AES_128, 2));
  g_ptr_array_add (infos, tp_pace_info_new_for (TP_PACE_MAPPING_GM, TRUE, TP_SM_CIPHER_AES_128, 12));
  g_ptr_array_add (infos, tp_pace_info_new_for (TP_PACE_MAPPING_GM, TRUE, TP_SM_CIPHER_3DES, 13));
  g_ptr_array_add (infos, tp_pace_info_new_for (TP_PACE_MAPPING_CAM, TRUE, TP_SM_CIPHER_AES_256, 13));
  g_ptr_array_add (infos, tp_pace_info_new_for (TP_PACE_MAPPING_GM, TRUE, TP_SM_CIPHER_AES_256, 5));

  best = tp_pace_choose (infos);
  g_assert_nonnull (best);
  g_assert_cmpstr (best->oid, ==, "0.4.0.127.0.7.2.2.4.2.2");
  g_assert_cmpint (best->parameter_id, ==, 12);

  g_assert_false (tp_pace_info_is_supported (g_ptr_array_index (infos, 4)));   /* CAM */
  g_assert_false (tp_pace_info_is_supported (g_ptr_array_index (infos, 5)));   /* id 5 */
  {
    g_autoptr(TpPaceInfo) im_p256 = tp_pace_info_new_for (TP_PACE_MAPPING_IM, TRUE, TP_SM_CIPHER_AES_128, 12);
    g_autoptr(TpPaceInfo) im_dh = tp_pace_info_new_for (TP_PACE_MAPPING_IM, FALSE, TP_SM_CIPHER_AES_128, 1);
    g_autoptr(GError) error = NULL;
    g_autoptr(TpPaceInfo) not_pace = tp_pace_info_new ("0.4.0.127.0.7.2.2.3.2.2", 1, -1, &error);

    g_assert_false (tp_pace_info_is_supported (im_p256));
    g_assert_true (tp_pace_info_is_supported (im_dh));
    g_assert_null (not_pace);
    g_assert_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_UNSUPPORTED);
  }
}

static void
test_k_pi_and_nonce (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GByteArray) g1_z = tp_test_hex (G1_Z);
  g_autoptr(GByteArray) g2_z = tp_test_hex (G2_Z);
  g_autoptr(GByteArray) g1_card_access = tp_test_hex (G1_CARD_ACCESS);
  g_autoptr(GByteArray) g2_card_access = tp_test_hex (G2_CARD_ACCESS);
  guint8 digest[20];
  guint8 k_pi[16];
  guint8 s[16];
  struct {
    GByteArray *card_access;
    GByteArray *z;
    const char *s;
  } cases[] = {
    { g1_card_access, g1_z, G1_S },
    { g2_card_access, g2_z, G2_S },
  };

  /* Our KDF: K_pi = KDF(SHA-1(MRZ information), 3), s = D(K_pi, z) */
  g_assert_true (EVP_Digest (G_MRZ_INFO, strlen (G_MRZ_INFO), digest, NULL, EVP_sha1 (), NULL));
  tp_test_assert_bytes (digest, 20, G_MRZ_SHA1);
  g_assert_true (tp_sm_kdf (TP_SM_CIPHER_AES_128, digest, 20, TP_SM_KDF_PACE, k_pi, &error));
  tp_test_assert_bytes (k_pi, 16, G_K_PI);
  g_assert_true (tp_sm_decrypt (TP_SM_CIPHER_AES_128, k_pi, NULL, g1_z->data, 16, s, &error));
  tp_test_assert_bytes (s, 16, G1_S);
  g_assert_true (tp_sm_decrypt (TP_SM_CIPHER_AES_128, k_pi, NULL, g2_z->data, 16, s, &error));
  tp_test_assert_bytes (s, 16, G2_S);
  g_assert_no_error (error);

  /* OpenPACE with the password as this code passes it: SHA-1 of the MRZ
   * information as a raw secret (its PACE_MRZ type assumes TD1) */
  EAC_init ();
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      EAC_CTX *ctx = EAC_CTX_new ();
      PACE_SEC *sec = PACE_SEC_new ((const char *) digest, 20, PACE_RAW);
      BUF_MEM *z = BUF_MEM_new ();

      g_assert_cmpint (EAC_CTX_init_ef_cardaccess (cases[i].card_access->data,
                                                   cases[i].card_access->len, ctx), ==, 1);
      BUF_MEM_grow (z, 16);
      memcpy (z->data, cases[i].z->data, 16);
      g_assert_cmpint (PACE_STEP2_dec_nonce (ctx, sec, z), ==, 1);
      tp_test_assert_bytes ((const guint8 *) ctx->pace_ctx->nonce->data, ctx->pace_ctx->nonce->length,
                    cases[i].s);
      BUF_MEM_free (z);
      PACE_SEC_clear_free (sec);
      EAC_CTX_clear_free (ctx);
    }
}

/* G.1 generic mapping on brainpoolP256r1, step by step */

static EC_POINT *
mul (const EC_GROUP *group,
     const EC_POINT *point,
     const char     *scalar_hex,
     BN_CTX         *bn)
{
  BIGNUM *k = NULL;
  EC_POINT *out = EC_POINT_new (group);

  g_assert_cmpint (BN_hex2bn (&k, scalar_hex), >, 0);
  g_assert_cmpint (EC_POINT_mul (group, out, NULL, point, k, bn), ==, 1);
  BN_free (k);
  return out;
}

static char *
x_hex (const EC_GROUP *group,
       const EC_POINT *point,
       BN_CTX         *bn)
{
  BIGNUM *x = BN_new ();
  guint8 buf[32];
  char *h;

  g_assert_cmpint (EC_POINT_get_affine_coordinates (group, point, x, NULL, bn), ==, 1);
  g_assert_cmpint (BN_bn2binpad (x, buf, 32), ==, 32);
  BN_free (x);
  h = tp_test_to_hex (buf, 32);
  return h;
}

static GByteArray *
encode_point (const EC_GROUP *group,
              const EC_POINT *point,
              BN_CTX         *bn)
{
  GByteArray *out = g_byte_array_new ();
  gsize len = EC_POINT_point2oct (group, point, POINT_CONVERSION_UNCOMPRESSED, NULL, 0, bn);

  g_byte_array_set_size (out, len);
  EC_POINT_point2oct (group, point, POINT_CONVERSION_UNCOMPRESSED, out->data, len, bn);
  return out;
}

/* The public key data object of a token: 7F49 { 06 OID, 86 point } */
static GByteArray *
token_input (const char *oid,
             GByteArray *point)
{
  g_autoptr(GBytes) oid_bytes = tp_oid_encode (oid, NULL);
  g_autoptr(GByteArray) inner = g_byte_array_new ();
  GByteArray *out = g_byte_array_new ();

  tp_tlv_append (inner, 0x06, g_bytes_get_data (oid_bytes, NULL), g_bytes_get_size (oid_bytes));
  tp_tlv_append (inner, 0x86, point->data, point->len);
  tp_tlv_append (out, 0x7F49, inner->data, inner->len);
  return out;
}

static char *
cmac8 (const guint8 *key,
       GByteArray   *data)
{
  EVP_MAC *mac = EVP_MAC_fetch (NULL, "CMAC", NULL);
  EVP_MAC_CTX *ctx = EVP_MAC_CTX_new (mac);
  OSSL_PARAM params[2] = {
    OSSL_PARAM_construct_utf8_string ("cipher", (char *) "AES-128-CBC", 0),
    OSSL_PARAM_construct_end (),
  };
  guint8 out[16];
  gsize out_len = 0;

  g_assert_cmpint (EVP_MAC_init (ctx, key, 16, params), ==, 1);
  g_assert_cmpint (EVP_MAC_update (ctx, data->data, data->len), ==, 1);
  g_assert_cmpint (EVP_MAC_final (ctx, out, &out_len, 16), ==, 1);
  EVP_MAC_CTX_free (ctx);
  EVP_MAC_free (mac);
  return tp_test_to_hex (out, 8);
}

static void
test_g1_mapping (void)
{
  EC_GROUP *group = EC_GROUP_new_by_curve_name (NID_brainpoolP256r1);
  BN_CTX *bn = BN_CTX_new ();
  const EC_POINT *g = EC_GROUP_get0_generator (group);
  g_autoptr(GByteArray) k_x = NULL;
  g_autoptr(GByteArray) pk_ic = NULL;
  g_autoptr(GByteArray) pk_pcd = NULL;
  g_autoptr(GByteArray) t_ifd_input = NULL;
  g_autoptr(GByteArray) t_ic_input = NULL;
  g_autoptr(GByteArray) ks_mac = tp_test_hex (G1_KS_MAC);
  g_autofree char *h_x = NULL;
  g_autofree char *mapped_x = NULL;
  g_autofree char *k_hex = NULL;
  g_autofree char *t_ifd = NULL;
  g_autofree char *t_ic = NULL;
  EC_POINT *pk_map_ic;
  EC_POINT *h;
  EC_POINT *s_g;
  EC_POINT *mapped;
  EC_POINT *eph_ic;
  EC_POINT *eph_pcd;
  EC_POINT *k;
  guint8 key[16];

  /* H = SK_map,PCD * PK_map,IC */
  pk_map_ic = mul (group, g, G1_IC_MAP, bn);
  h = mul (group, pk_map_ic, G1_PCD_MAP, bn);
  h_x = x_hex (group, h, bn);
  g_assert_cmpstr (h_x, ==, G1_H_X);

  /* G~ = s * G + H */
  s_g = mul (group, g, G1_S, bn);
  mapped = EC_POINT_new (group);
  g_assert_cmpint (EC_POINT_add (group, mapped, s_g, h, bn), ==, 1);
  mapped_x = x_hex (group, mapped, bn);
  g_assert_cmpstr (mapped_x, ==, G1_MAPPED_G_X);

  /* K = SK_PCD * PK_IC on the mapped generator */
  eph_ic = mul (group, mapped, G1_IC_EPH, bn);
  eph_pcd = mul (group, mapped, G1_PCD_EPH, bn);
  k = mul (group, eph_ic, G1_PCD_EPH, bn);
  k_hex = x_hex (group, k, bn);
  g_assert_cmpstr (k_hex, ==, G1_K_X);

  /* Session keys from K.x */
  k_x = tp_test_hex (k_hex);
  g_assert_true (tp_sm_kdf (TP_SM_CIPHER_AES_128, k_x->data, k_x->len, TP_SM_KDF_ENC, key, NULL));
  tp_test_assert_bytes (key, 16, G1_KS_ENC);
  g_assert_true (tp_sm_kdf (TP_SM_CIPHER_AES_128, k_x->data, k_x->len, TP_SM_KDF_MAC, key, NULL));
  tp_test_assert_bytes (key, 16, G1_KS_MAC);

  /* Tokens: CMAC over the other side's public key data object, without
   * padding: T_IFD over PK_IC, T_IC over PK_PCD */
  pk_ic = encode_point (group, eph_ic, bn);
  pk_pcd = encode_point (group, eph_pcd, bn);
  t_ifd_input = token_input ("0.4.0.127.0.7.2.2.4.2.2", pk_ic);
  t_ic_input = token_input ("0.4.0.127.0.7.2.2.4.2.2", pk_pcd);
  t_ifd = cmac8 (ks_mac->data, t_ifd_input);
  t_ic = cmac8 (ks_mac->data, t_ic_input);
  g_assert_cmpstr (t_ifd, ==, G1_T_IFD);
  g_assert_cmpstr (t_ic, ==, G1_T_IC);

  /* OpenPACE computes the same tokens once given the keys */
  {
    g_autoptr(GByteArray) card_access = tp_test_hex (G1_CARD_ACCESS);
    EAC_CTX *ctx = EAC_CTX_new ();
    BUF_MEM *pub = BUF_MEM_new ();
    BUF_MEM *token;
    KA_CTX *ka;

    g_assert_cmpint (EAC_CTX_init_ef_cardaccess (card_access->data, card_access->len, ctx), ==, 1);
    ka = ctx->pace_ctx->ka_ctx;
    /* the token only needs the key type and the MAC key */
    EVP_PKEY_free (ka->key);
    EVP_PKEY_up_ref (ctx->pace_ctx->static_key);
    ka->key = ctx->pace_ctx->static_key;
    if (ka->k_mac == NULL)
      ka->k_mac = BUF_MEM_new ();
    BUF_MEM_grow (ka->k_mac, 16);
    memcpy (ka->k_mac->data, ks_mac->data, 16);
    BUF_MEM_grow (pub, pk_ic->len);
    memcpy (pub->data, pk_ic->data, pk_ic->len);
    token = PACE_STEP3D_compute_authentication_token (ctx, pub);
    g_assert_nonnull (token);
    tp_test_assert_bytes ((const guint8 *) token->data, token->length, G1_T_IFD);
    BUF_MEM_free (token);
    BUF_MEM_free (pub);
    EAC_CTX_clear_free (ctx);
  }

  EC_POINT_free (pk_map_ic);
  EC_POINT_free (h);
  EC_POINT_free (s_g);
  EC_POINT_free (mapped);
  EC_POINT_free (eph_ic);
  EC_POINT_free (eph_pcd);
  EC_POINT_free (k);
  BN_CTX_free (bn);
  EC_GROUP_free (group);
}

/* The terminal's MSE:Set AT for G.1, byte for byte */
static gboolean
refuse_after_mse (gpointer       user_data,
                  const guint8  *capdu,
                  gsize          capdu_len,
                  GByteArray    *rapdu,
                  GError       **error)
{
  GByteArray **seen = user_data;

  *seen = g_byte_array_new ();
  g_byte_array_append (*seen, capdu, capdu_len);
  tp_rapdu_append_sw (rapdu, 0x6A80);
  return TRUE;
}

static void
test_g1_mse (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GByteArray) g1 = tp_test_hex (G1_CARD_ACCESS);
  g_autoptr(GPtrArray) infos = tp_pace_parse_card_access (g1->data, g1->len, NULL);
  g_autoptr(GByteArray) seen = NULL;
  g_autoptr(TpSm) sm = NULL;

  g_assert_false (tp_pace_authenticate (refuse_after_mse, &seen, g_ptr_array_index (infos, 0),
                                        FALSE, TP_PACE_PASSWORD_MRZ, G_MRZ_INFO, &sm, &error));
  g_assert_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_STATUS);
  g_assert_nonnull (strstr (error->message, "6A80"));
  tp_test_assert_bytes (seen->data, seen->len, G1_MSE_SET_AT);
  g_clear_pointer (&seen, g_byte_array_unref);
  g_clear_error (&error);

  /* With the parameter id and the CAN */
  g_assert_false (tp_pace_authenticate (refuse_after_mse, &seen, g_ptr_array_index (infos, 0),
                                        TRUE, TP_PACE_PASSWORD_CAN, "123456", &sm, &error));
  tp_test_assert_bytes (seen->data, seen->len, "0022C1A412800A04007F00070202040202830102" "84010D");
}

/* Our terminal against our chip */

typedef struct {
  TpPaceChip *chip;
  TpSm       *sm;
  guint       apdus;
} Link;

static gboolean
link_transmit (gpointer       user_data,
               const guint8  *capdu,
               gsize          capdu_len,
               GByteArray    *rapdu,
               GError       **error)
{
  Link *link = user_data;
  g_autoptr(TpApdu) command = NULL;
  guint16 sw;

  link->apdus++;
  if (link->sm != NULL && capdu_len > 0 && (capdu[0] & 0x0C) == 0x0C)
    {
      g_autoptr(GByteArray) answer = NULL;

      command = tp_sm_unprotect_command (link->sm, capdu, capdu_len, &sw, NULL);
      if (command == NULL)
        {
          tp_rapdu_append_sw (rapdu, sw);
          return TRUE;
        }
      /* An echo service: answers the command data reversed */
      answer = g_byte_array_new ();
      for (guint i = command->data->len; i > 0; i--)
        g_byte_array_append (answer, &command->data->data[i - 1], 1);
      {
        g_autoptr(GByteArray) protected = tp_sm_protect_response (link->sm, answer->data,
                                                                  answer->len, 0x9000, error);
        if (protected == NULL)
          return FALSE;
        g_byte_array_append (rapdu, protected->data, protected->len);
      }
      return TRUE;
    }

  command = tp_apdu_parse (capdu, capdu_len, error);
  if (command == NULL)
    return FALSE;
  if (tp_pace_chip_handles (link->chip, command))
    {
      TpSm *sm = NULL;

      sw = tp_pace_chip_process (link->chip, command, rapdu, &sm);
      if (sm != NULL)
        {
          g_clear_pointer (&link->sm, tp_sm_free);
          link->sm = sm;
        }
    }
  else
    sw = 0x6D00;
  tp_rapdu_append_sw (rapdu, sw);
  return TRUE;
}

static void
check_session (Link *link,
               TpSm *sm)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpApdu) apdu = tp_apdu_new (0x00, 0x2A, 0x00, 0x00, (const guint8 *) "\x01\x02\x03", 3, 256);
  g_autoptr(GByteArray) data = g_byte_array_new ();
  guint16 sw = 0;

  g_assert_true (tp_sm_transmit (sm, link_transmit, link, apdu, data, &sw, &error));
  g_assert_no_error (error);
  g_assert_cmphex (sw, ==, 0x9000);
  tp_test_assert_bytes (data->data, data->len, "030201");
}

typedef struct {
  TpPaceMapping mapping;
  gboolean      ecdh;
  gint          parameter_id;
} Handshake;

static void
test_handshake (gconstpointer user_data)
{
  const Handshake *h = user_data;
  const TpSmCipher ciphers[] = {
    TP_SM_CIPHER_3DES, TP_SM_CIPHER_AES_128, TP_SM_CIPHER_AES_192, TP_SM_CIPHER_AES_256,
  };

  for (guint i = 0; i < G_N_ELEMENTS (ciphers); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TpPaceInfo) info = tp_pace_info_new_for (h->mapping, h->ecdh, ciphers[i],
                                                         h->parameter_id);
      g_autoptr(TpSm) sm = NULL;
      Link link = { tp_pace_chip_new (G_MRZ_INFO, "123456"), NULL, 0 };
      gboolean ok;

      tp_pace_chip_add_info (link.chip, info);
      ok = tp_pace_authenticate (link_transmit, &link, info, FALSE, TP_PACE_PASSWORD_MRZ,
                                 G_MRZ_INFO, &sm, &error);
      if (!tp_pace_info_is_supported (info))
        {
          g_assert_false (ok);
          g_assert_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_UNSUPPORTED);
          g_assert_cmpuint (link.apdus, ==, 0);
        }
      else
        {
          g_assert_no_error (error);
          g_assert_true (ok);
          g_assert_cmpuint (link.apdus, ==, 5);
          g_assert_nonnull (link.sm);
          g_assert_cmpint (tp_sm_get_cipher (sm), ==, ciphers[i]);
          g_assert_cmpmem (tp_sm_get_enc_key (sm), tp_sm_cipher_key_length (ciphers[i]),
                           tp_sm_get_enc_key (link.sm), tp_sm_cipher_key_length (ciphers[i]));
          check_session (&link, sm);
        }
      g_clear_pointer (&link.sm, tp_sm_free);
      tp_pace_chip_free (link.chip);
    }
}

static void
test_wrong_password (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpPaceInfo) info = tp_pace_info_new_for (TP_PACE_MAPPING_GM, TRUE, TP_SM_CIPHER_AES_128, 13);
  g_autoptr(TpSm) sm = NULL;
  Link link = { tp_pace_chip_new (G_MRZ_INFO, "123456"), NULL, 0 };

  tp_pace_chip_add_info (link.chip, info);

  /* Wrong MRZ (expiry check digit and date changed) */
  g_assert_false (tp_pace_authenticate (link_transmit, &link, info, FALSE, TP_PACE_PASSWORD_MRZ,
                                        "T22000129364081251010325", &sm, &error));
  g_assert_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_ACCESS_DENIED);
  g_assert_null (sm);
  g_assert_null (link.sm);
  g_clear_error (&error);

  /* Wrong CAN */
  g_assert_false (tp_pace_authenticate (link_transmit, &link, info, FALSE, TP_PACE_PASSWORD_CAN,
                                        "654321", &sm, &error));
  g_assert_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_ACCESS_DENIED);
  g_clear_error (&error);

  /* Right CAN, with the parameter id */
  g_assert_true (tp_pace_authenticate (link_transmit, &link, info, TRUE, TP_PACE_PASSWORD_CAN,
                                       "123456", &sm, &error));
  g_assert_no_error (error);
  check_session (&link, sm);
  g_clear_pointer (&sm, tp_sm_free);
  g_clear_pointer (&link.sm, tp_sm_free);
  tp_pace_chip_free (link.chip);

  /* A chip without a CAN */
  link.chip = tp_pace_chip_new (G_MRZ_INFO, NULL);
  tp_pace_chip_add_info (link.chip, info);
  g_assert_false (tp_pace_authenticate (link_transmit, &link, info, FALSE, TP_PACE_PASSWORD_CAN,
                                        "123456", &sm, &error));
  g_assert_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_STATUS);
  g_assert_nonnull (strstr (error->message, "6A88"));
  g_clear_error (&error);

  /* A protocol the chip does not offer */
  {
    g_autoptr(TpPaceInfo) other = tp_pace_info_new_for (TP_PACE_MAPPING_GM, TRUE, TP_SM_CIPHER_AES_256, 13);

    g_assert_false (tp_pace_authenticate (link_transmit, &link, other, FALSE, TP_PACE_PASSWORD_MRZ,
                                          G_MRZ_INFO, &sm, &error));
    g_assert_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_STATUS);
    g_clear_error (&error);
  }

  /* Bad passwords never reach the chip */
  link.apdus = 0;
  g_assert_false (tp_pace_authenticate (link_transmit, &link, info, FALSE, TP_PACE_PASSWORD_CAN,
                                        "12A456", &sm, &error));
  g_assert_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_INVALID_ARGUMENT);
  g_assert_cmpuint (link.apdus, ==, 0);
  tp_pace_chip_free (link.chip);
}

/* Chip side: steps out of order and garbage */
static void
test_chip_rejects (void)
{
  g_autoptr(TpPaceInfo) info = tp_pace_info_new_for (TP_PACE_MAPPING_GM, TRUE, TP_SM_CIPHER_AES_128, 12);
  g_autoptr(TpPaceChip) chip = tp_pace_chip_new (G_MRZ_INFO, NULL);
  g_autoptr(GByteArray) response = g_byte_array_new ();
  g_autoptr(GByteArray) mse_data = tp_test_hex ("800A04007F00070202040202830101");
  g_autoptr(TpApdu) mse = tp_apdu_new (0x00, 0x22, 0xC1, 0xA4, mse_data->data, mse_data->len, 0);
  g_autoptr(TpApdu) step1 = tp_apdu_new (0x10, 0x86, 0, 0, (const guint8 *) "\x7C\x00", 2, 256);
  g_autoptr(TpApdu) step1_unchained = tp_apdu_new (0x00, 0x86, 0, 0, (const guint8 *) "\x7C\x00", 2, 256);
  g_autoptr(TpApdu) garbage = tp_apdu_new (0x10, 0x86, 0, 0, (const guint8 *) "\x7C\x05\x81", 3, 256);
  TpSm *sm = NULL;

  tp_pace_chip_add_info (chip, info);
  g_assert_false (tp_pace_chip_handles (chip, step1));
  g_assert_cmphex (tp_pace_chip_process (chip, step1, response, &sm), ==, 0x6985);

  g_assert_cmphex (tp_pace_chip_process (chip, mse, response, &sm), ==, 0x9000);
  g_assert_true (tp_pace_chip_handles (chip, step1));
  g_assert_cmphex (tp_pace_chip_process (chip, step1_unchained, response, &sm), ==, 0x6985);
  g_assert_cmpuint (response->len, ==, 0);

  g_assert_cmphex (tp_pace_chip_process (chip, mse, response, &sm), ==, 0x9000);
  g_assert_cmphex (tp_pace_chip_process (chip, step1, response, &sm), ==, 0x9000);
  g_assert_cmphex (response->data[0], ==, 0x7C);
  g_assert_cmphex (response->data[2], ==, 0x80);
  g_assert_cmpuint (response->data[3], ==, 16);
  g_assert_cmphex (tp_pace_chip_process (chip, garbage, response, &sm), ==, 0x6A80);
  g_assert_null (sm);
}

int
main (int   argc,
      char *argv[])
{
  static Handshake handshakes[64];
  guint n = 0;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/pace/card-access", test_card_access);
  g_test_add_func ("/pace/choose", test_choose);
  g_test_add_func ("/pace/appendix-g/k-pi-and-nonce", test_k_pi_and_nonce);
  g_test_add_func ("/pace/appendix-g/g1-mapping-keys-tokens", test_g1_mapping);
  g_test_add_func ("/pace/appendix-g/g1-mse-set-at", test_g1_mse);
  g_test_add_func ("/pace/wrong-password", test_wrong_password);
  g_test_add_func ("/pace/chip-rejects", test_chip_rejects);

  for (guint m = 0; m < 2; m++)
    {
      TpPaceMapping mapping = m == 0 ? TP_PACE_MAPPING_GM : TP_PACE_MAPPING_IM;

      for (gint id = 0; id <= 18; id++)
        {
          g_autofree char *path = NULL;

          if (id >= 3 && id <= 7)
            continue;
          handshakes[n].mapping = mapping;
          handshakes[n].ecdh = id >= 8;
          handshakes[n].parameter_id = id;
          path = g_strdup_printf ("/pace/handshake/%s/%s/%d", tp_pace_mapping_to_string (mapping),
                                  id >= 8 ? "ecdh" : "dh", id);
          g_test_add_data_func (path, &handshakes[n], test_handshake);
          n++;
        }
    }

  return g_test_run ();
}
