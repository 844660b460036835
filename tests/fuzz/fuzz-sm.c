/* fuzz-sm.c: libFuzzer target for secure messaging and the access-control
 * protocols facing a hostile chip (or terminal)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The first byte picks the mode (low three bits) and the cipher (next two
 * bits); the rest is the payload. Keys and SSCs are fixed (the 3DES ones
 * are ICAO 9303-11 Appendix D's, so the D.4 responses are valid seeds).
 *  0  payload = R-APDU, into the terminal's unprotect (mostly the data
 *     object parsing in front of the MAC check)
 *  1  payload = response data objects + status; the MAC is computed here
 *     so that the checks after it (DO'99', decryption, padding) run
 *  2  payload = plaintext + data object layout; encrypted and MACed here
 *     so that well-padded cryptograms reach the end
 *  3  payload = C-APDU, into the chip's unprotect
 *  4  payload = C-APDU body with a MAC computed here (chip side)
 *  5  payload = DG14 / EF.CardAccess / DG15 / BER-TLV parsers
 *  6  payload = C-APDUs for the chip side of BAC, PACE, chip and active
 *     authentication
 *  7  payload = answers of a chip to the terminal side of BAC, PACE,
 *     chip authentication and active authentication
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include "tp-active-auth.h"
#include "tp-apdu.h"
#include "tp-bac.h"
#include "tp-chip-auth.h"
#include "tp-pace.h"
#include "tp-sm.h"
#include "tp-tlv.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static const guint8 key_3des_enc[16] = {
  0x97, 0x9E, 0xC1, 0x3B, 0x1C, 0xBF, 0xE9, 0xDC, 0xD0, 0x1A, 0xB0, 0xFE, 0xD3, 0x07, 0xEA, 0xE5,
};
static const guint8 key_3des_mac[16] = {
  0xF1, 0xCB, 0x1F, 0x1F, 0xB5, 0xAD, 0xF2, 0x08, 0x80, 0x6B, 0x89, 0xDC, 0x57, 0x9D, 0xC1, 0xF8,
};
/* Appendix D's SSC after SELECT and its answer and READ BINARY: the
 * READ BINARY answer of D.4 verifies with it */
static const guint8 ssc_3des[8] = { 0x88, 0x70, 0x22, 0x12, 0x0C, 0x06, 0xC2, 0x29 };

typedef struct {
  const guint8 *data;
  gsize         len;
} Input;

static TpSm *
new_session (TpSmCipher cipher)
{
  guint8 k_enc[32];
  guint8 k_mac[32];
  guint8 ssc[16];

  if (cipher == TP_SM_CIPHER_3DES)
    return tp_sm_new (cipher, key_3des_enc, key_3des_mac, ssc_3des);

  for (guint i = 0; i < 32; i++)
    {
      k_enc[i] = 0x11 * (i % 15 + 1);
      k_mac[i] = 0xA5 ^ i;
    }
  memset (ssc, 0, sizeof ssc);
  ssc[15] = 0x07;
  return tp_sm_new (cipher, k_enc, k_mac, ssc);
}

static void
next_ssc (TpSm   *sm,
          guint8 *ssc)
{
  gsize block = tp_sm_cipher_block_size (tp_sm_get_cipher (sm));

  tp_sm_get_ssc (sm, ssc);
  for (gsize i = block; i > 0; i--)
    if (++ssc[i - 1] != 0)
      break;
}

static void
mac_into (TpSm         *sm,
          const guint8 *header,
          const guint8 *body,
          gsize         body_len,
          GByteArray   *out)
{
  TpSmCipher cipher = tp_sm_get_cipher (sm);
  gsize block = tp_sm_cipher_block_size (cipher);
  g_autoptr(GByteArray) input = g_byte_array_new ();
  guint8 ssc[16];
  guint8 mac[8];

  next_ssc (sm, ssc);
  g_byte_array_append (input, ssc, block);
  if (header != NULL)
    {
      g_byte_array_append (input, header, 4);
      tp_sm_pad (input, block);
    }
  g_byte_array_append (input, body, body_len);
  if (tp_sm_mac (cipher, tp_sm_get_mac_key (sm), input->data, input->len, mac, NULL))
    {
      g_byte_array_append (out, body, body_len);
      g_byte_array_append (out, (const guint8 *) "\x8E\x08", 2);
      g_byte_array_append (out, mac, 8);
    }
}

static void
fuzz_unprotect_response (TpSm         *sm,
                         const guint8 *rapdu,
                         gsize         len)
{
  g_autoptr(GByteArray) plain = g_byte_array_new ();
  g_autoptr(GError) error = NULL;
  guint16 sw = 0;

  if (tp_sm_unprotect_response (sm, rapdu, len, plain, &sw, &error))
    g_assert (error == NULL);
  else
    g_assert (error != NULL && !tp_sm_is_usable (sm));
}

static void
mode_valid_mac_response (TpSm         *sm,
                         const guint8 *p,
                         gsize         n)
{
  g_autoptr(GByteArray) rapdu = g_byte_array_new ();

  if (n < 2)
    return;
  mac_into (sm, NULL, p, n - 2, rapdu);
  g_byte_array_append (rapdu, p + n - 2, 2);
  fuzz_unprotect_response (sm, rapdu->data, rapdu->len);
}

/* payload: [layout byte][sw 2][plaintext...]; layout bits pick the data
 * objects around a correctly encrypted and padded cryptogram */
static void
mode_encrypted_response (TpSm         *sm,
                         const guint8 *p,
                         gsize         n)
{
  TpSmCipher cipher = tp_sm_get_cipher (sm);
  gsize block = tp_sm_cipher_block_size (cipher);
  g_autoptr(GByteArray) plain = g_byte_array_new ();
  g_autoptr(GByteArray) body = g_byte_array_new ();
  g_autoptr(GByteArray) rapdu = g_byte_array_new ();
  guint8 ssc[16];
  guint8 iv[16] = { 0 };
  guint8 layout;

  if (n < 3)
    return;
  layout = p[0];
  g_byte_array_append (plain, p + 3, MIN (n - 3, 4096));
  if (!(layout & 0x40))
    tp_sm_pad (plain, block);
  else
    while (plain->len % block != 0)
      g_byte_array_append (plain, (const guint8 *) "\x00", 1);

  next_ssc (sm, ssc);
  if (cipher != TP_SM_CIPHER_3DES)
    {
      /* IV = E(KSenc, SSC): CBC of one block with a zero IV */
      if (!tp_sm_encrypt (cipher, tp_sm_get_enc_key (sm), NULL, ssc, block, iv, NULL))
        return;
    }
  if (plain->len > 0 &&
      !tp_sm_encrypt (cipher, tp_sm_get_enc_key (sm), iv, plain->data, plain->len, plain->data, NULL))
    return;

  if (plain->len > 0 && !(layout & 0x01))
    {
      if (layout & 0x02)
        tp_tlv_append (body, 0x85, plain->data, plain->len);
      else
        {
          g_autoptr(GByteArray) v = g_byte_array_new ();

          g_byte_array_append (v, (layout & 0x04) ? (const guint8 *) "\x02" : (const guint8 *) "\x01", 1);
          g_byte_array_append (v, plain->data, plain->len);
          tp_tlv_append (body, 0x87, v->data, v->len);
        }
    }
  if (!(layout & 0x08))
    tp_tlv_append (body, 0x99, p + 1, (layout & 0x10) ? 1 : 2);
  if (layout & 0x20)
    tp_tlv_append (body, 0x99, p + 1, 2);

  mac_into (sm, NULL, body->data, body->len, rapdu);
  g_byte_array_append (rapdu, p + 1, 2);

  if ((layout & 0x7F) == 0 && rapdu->len > 2)
    {
      /* Well formed: must come back whole */
      g_autoptr(GByteArray) data = g_byte_array_new ();
      g_autoptr(GError) error = NULL;
      guint16 sw = 0;

      g_assert (tp_sm_unprotect_response (sm, rapdu->data, rapdu->len, data, &sw, &error));
      g_assert (sw == ((p[1] << 8) | p[2]));
      g_assert (data->len == MIN (n - 3, 4096));
      g_assert (data->len == 0 || memcmp (data->data, p + 3, data->len) == 0);
      return;
    }
  fuzz_unprotect_response (sm, rapdu->data, rapdu->len);
}

static void
fuzz_unprotect_command (TpSm         *sm,
                        const guint8 *capdu,
                        gsize         len)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpApdu) apdu = NULL;
  g_autoptr(GByteArray) answer = NULL;
  guint16 sw = 0;

  apdu = tp_sm_unprotect_command (sm, capdu, len, &sw, &error);
  if (apdu == NULL)
    {
      g_assert (error != NULL && (sw == 0x6987 || sw == 0x6988));
      return;
    }
  g_assert (sw == 0x9000);
  answer = tp_sm_protect_response (sm, apdu->data->data, MIN (apdu->data->len, 300),
                                   0x9000, NULL);
  g_assert (answer != NULL);
}

static void
mode_valid_mac_command (TpSm         *sm,
                        const guint8 *p,
                        gsize         n)
{
  g_autoptr(GByteArray) body = g_byte_array_new ();
  g_autoptr(TpApdu) apdu = NULL;
  g_autoptr(GByteArray) capdu = NULL;
  guint8 header[4];

  if (n < 4)
    return;
  header[0] = p[0] | 0x0C;
  memcpy (header + 1, p + 1, 3);
  mac_into (sm, header, p + 4, MIN (n - 4, 65000), body);
  apdu = tp_apdu_new (header[0], header[1], header[2], header[3], body->data, body->len, 256);
  capdu = tp_apdu_encode (apdu, NULL);
  if (capdu != NULL)
    fuzz_unprotect_command (sm, capdu->data, capdu->len);
}

static void
mode_parsers (const guint8 *p,
              gsize         n)
{
  g_autoptr(TpSecurityInfos) infos = NULL;
  g_autoptr(GPtrArray) pace = NULL;
  g_autoptr(TpApdu) apdu = NULL;
  EVP_PKEY *key;
  gsize pos = 0;
  TpTlv tlv;

  infos = tp_security_infos_parse (p, n, NULL);
  if (infos != NULL)
    {
      g_autoptr(TpChipAuthInfo) info = NULL;
      const TpChipAuthPublicKey *pk = NULL;
      g_autoptr(GBytes) again = tp_security_infos_encode (infos, NULL);

      g_assert (again != NULL);

      if (tp_chip_auth_choose (infos, &info, &pk, NULL))
        g_assert (info != NULL && pk != NULL);
      for (guint i = 0; i < infos->pace_infos->len; i++)
        g_free (tp_pace_info_describe (g_ptr_array_index (infos->pace_infos, i)));
      (void) tp_pace_choose (infos->pace_infos);
      if (infos->aa_signature_oid != NULL)
        (void) tp_active_auth_digest_for_oid (infos->aa_signature_oid);
    }
  pace = tp_pace_parse_card_access (p, n, NULL);

  key = tp_active_auth_parse_dg15 (p, n, NULL);
  if (key != NULL)
    {
      (void) tp_active_auth_verify (key, NULL, p, MIN (n, 8), p, n, NULL);
      EVP_PKEY_free (key);
    }

  while (tp_tlv_read (p, n, &pos, &tlv, NULL))
    g_assert (tlv.value + tlv.length <= p + n);
  (void) tp_tlv_find (p, n, 0x7C, &tlv, NULL);

  apdu = tp_apdu_parse (p, n, NULL);
  if (apdu != NULL)
    {
      g_autoptr(GByteArray) encoded = tp_apdu_encode (apdu, NULL);
      g_assert (encoded != NULL);
    }
  g_free (tp_oid_decode (p, MIN (n, 40), NULL));
}

/* Splits the payload into length-prefixed pieces (2-byte big-endian) */
static gboolean
take (Input         *in,
      const guint8 **piece,
      gsize         *len)
{
  gsize l;

  if (in->len < 2)
    return FALSE;
  l = (in->data[0] << 8) | in->data[1];
  in->data += 2;
  in->len -= 2;
  l = MIN (l, in->len);
  *piece = in->data;
  *len = l;
  in->data += l;
  in->len -= l;
  return TRUE;
}

static EVP_PKEY *
fixed_key (const char *type,
           const char *group)
{
  static EVP_PKEY *keys[4];
  static const char *names[4];
  EVP_PKEY_CTX *ctx;
  EVP_PKEY *key = NULL;
  guint slot;

  for (slot = 0; slot < G_N_ELEMENTS (keys) && names[slot] != NULL; slot++)
    if (strcmp (names[slot], group != NULL ? group : type) == 0)
      return keys[slot];
  g_assert (slot < G_N_ELEMENTS (keys));

  ctx = EVP_PKEY_CTX_new_from_name (NULL, type, NULL);
  EVP_PKEY_keygen_init (ctx);
  if (group != NULL)
    {
      OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string (OSSL_PKEY_PARAM_GROUP_NAME, (char *) group, 0),
        OSSL_PARAM_construct_end (),
      };
      EVP_PKEY_CTX_set_params (ctx, params);
    }
  else
    EVP_PKEY_CTX_set_rsa_keygen_bits (ctx, 1024);
  EVP_PKEY_keygen (ctx, &key);
  EVP_PKEY_CTX_free (ctx);
  g_assert (key != NULL);

  keys[slot] = key;
  names[slot] = group != NULL ? group : type;
  return key;
}

static void
mode_chip_side (TpSmCipher    cipher,
                const guint8 *p,
                gsize         n)
{
  g_autoptr(TpBacChip) bac = NULL;
  g_autoptr(TpPaceChip) pace = NULL;
  g_autoptr(TpCaChip) ca = NULL;
  g_autoptr(TpPaceInfo) info = tp_pace_info_new_for (TP_PACE_MAPPING_GM, TRUE, cipher, 12);
  g_autoptr(TpChipAuthInfo) ca_info = tp_chip_auth_info_new (tp_chip_auth_oid (TRUE, cipher), 1, 1, NULL);
  TpBacKeys keys;
  Input in = { p, n };
  const guint8 *piece;
  gsize len;

  tp_bac_derive_keys ("L898902C<369080619406236", &keys, NULL);
  bac = tp_bac_chip_new (&keys);
  pace = tp_pace_chip_new ("L898902C<369080619406236", "123456");
  tp_pace_chip_add_info (pace, info);
  ca = tp_ca_chip_new (fixed_key ("EC", "prime256v1"), ca_info);

  while (take (&in, &piece, &len))
    {
      g_autoptr(TpApdu) command = tp_apdu_parse (piece, len, NULL);
      g_autoptr(GByteArray) response = g_byte_array_new ();
      TpSm *sm = NULL;

      if (command == NULL)
        continue;
      if (tp_pace_chip_handles (pace, command))
        (void) tp_pace_chip_process (pace, command, response, &sm);
      else if (tp_ca_chip_handles (ca, command))
        (void) tp_ca_chip_process (ca, command, response, &sm);
      else if (tp_bac_chip_handles (command))
        (void) tp_bac_chip_process (bac, command, response, &sm);
      else if (command->ins == 0x88)
        (void) tp_active_auth_chip_process (fixed_key ("EC", "brainpoolP256r1"), NULL, command, response);
      tp_sm_free (sm);
    }
}

/* A chip whose answers are the payload pieces */
static gboolean
scripted_transmit (gpointer       user_data,
                   const guint8  *capdu,
                   gsize          capdu_len,
                   GByteArray    *rapdu,
                   GError       **error)
{
  Input *in = user_data;
  const guint8 *piece;
  gsize len;

  if (!take (in, &piece, &len))
    {
      g_set_error_literal (error, g_quark_from_static_string ("fuzz"), 0, "no more answers");
      return FALSE;
    }
  g_byte_array_append (rapdu, piece, len);
  return TRUE;
}

static void
mode_terminal_side (TpSmCipher    cipher,
                    guint8        selector,
                    const guint8 *p,
                    gsize         n)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpSm) sm = NULL;
  Input in = { p, n };

  switch (selector % 4)
    {
    case 0:
      {
        TpBacKeys keys;

        tp_bac_derive_keys ("L898902C<369080619406236", &keys, NULL);
        if (tp_bac_authenticate (scripted_transmit, &in, &keys, NULL, NULL, &sm, &error))
          g_assert (sm != NULL);
      }
      break;

    case 1:
      {
        static const gint ids[] = { 0, 8, 12, 13 };
        g_autoptr(TpPaceInfo) info = tp_pace_info_new_for ((selector & 0x10) ? TP_PACE_MAPPING_IM
                                                                            : TP_PACE_MAPPING_GM,
                                                           (selector & 0x0C) != 0, cipher,
                                                           ids[(selector >> 2) & 3]);

        if (tp_pace_authenticate (scripted_transmit, &in, info, FALSE, TP_PACE_PASSWORD_CAN,
                                  "123456", &sm, &error))
          g_assert (sm != NULL);
      }
      break;

    case 2:
      {
        g_autoptr(TpChipAuthInfo) info = tp_chip_auth_info_new (tp_chip_auth_oid (TRUE, cipher), 1,
                                                                -1, NULL);
        g_autoptr(TpChipAuthPublicKey) key = tp_chip_auth_public_key_new (TP_OID_PK_ECDH,
                                                                          fixed_key ("EC", "prime256v1"), -1);

        sm = new_session (TP_SM_CIPHER_3DES);
        if (!tp_chip_auth_authenticate (scripted_transmit, &in, &sm, info, key, TRUE, &error))
          g_assert (sm == NULL);
      }
      break;

    case 3:
    default:
      (void) tp_active_auth_authenticate (scripted_transmit, &in, NULL, (selector & 8) != 0,
                                          fixed_key ((selector & 4) ? "RSA" : "EC",
                                                     (selector & 4) ? NULL : "prime256v1"),
                                          NULL, NULL, NULL, &error);
      break;
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(TpSm) sm = NULL;
  TpSmCipher cipher;
  const guint8 *p;
  gsize n;

  if (size < 1)
    return 0;
  cipher = (TpSmCipher) ((data[0] >> 3) & 3);
  p = data + 1;
  n = size - 1;
  sm = new_session (cipher);

  switch (data[0] & 7)
    {
    case 0:
      fuzz_unprotect_response (sm, p, n);
      break;
    case 1:
      mode_valid_mac_response (sm, p, n);
      break;
    case 2:
      mode_encrypted_response (sm, p, n);
      break;
    case 3:
      fuzz_unprotect_command (sm, p, n);
      break;
    case 4:
      mode_valid_mac_command (sm, p, n);
      break;
    case 5:
      mode_parsers (p, n);
      break;
    case 6:
      mode_chip_side (cipher, p, n);
      break;
    case 7:
    default:
      if (n > 0)
        mode_terminal_side (cipher, p[0] ^ (data[0] >> 5), p + 1, n - 1);
      break;
    }

  return 0;
}
