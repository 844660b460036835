/* tp-sm.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include "tp-chip-error.h"
#include "tp-sm.h"

/* Secure messaging data objects (ICAO 9303-11 §9.8, ISO/IEC 7816-4 §10) */
#define DO_CRYPTOGRAM_PI   0x87  /* padding-content indicator + cryptogram */
#define DO_CRYPTOGRAM      0x85  /* cryptogram, for odd INS */
#define DO_LE              0x97
#define DO_STATUS          0x99
#define DO_MAC             0x8E
#define PADDING_INDICATOR  0x01

#define MAX_DOS 8

struct _TpSm {
  TpSmCipher cipher;
  gsize      block;
  guint8     k_enc[TP_SM_MAX_KEY_LENGTH];
  guint8     k_mac[TP_SM_MAX_KEY_LENGTH];
  guint8     ssc[TP_SM_MAX_BLOCK_SIZE];
  gboolean   failed;
  gboolean   last_authenticated;
  guint16    last_plain_sw;       /* terminal side: the plain status of the last response */
  guint16    last_protected_sw;   /* and its DO'99', when it had one */
  guint      verified;
  gboolean   command_ins_odd;     /* chip side: answer with DO'85' */
};

typedef struct {
  guint8        tag;
  gsize         start;    /* offset of the tag */
  const guint8 *value;
  gsize         len;
} SmDataObject;

gboolean
tp_random_bytes (TpRandomFunc   func,
                 gpointer       user_data,
                 guint8        *buf,
                 gsize          len,
                 GError       **error)
{
  g_return_val_if_fail (buf != NULL || len == 0, FALSE);

  if (func != NULL)
    {
      if (!func (user_data, buf, len))
        {
          g_set_error_literal (error, TP_CHIP_ERROR, TP_CHIP_ERROR_CRYPTO,
                               "The random number source failed");
          return FALSE;
        }
      return TRUE;
    }

  if (len > G_MAXINT || RAND_bytes (buf, (int) len) != 1)
    {
      tp_chip_set_crypto_error (error, "Random number generation");
      return FALSE;
    }

  return TRUE;
}

const char *
tp_sm_cipher_to_string (TpSmCipher cipher)
{
  switch (cipher)
    {
    case TP_SM_CIPHER_3DES: return "3DES";
    case TP_SM_CIPHER_AES_128: return "AES-128";
    case TP_SM_CIPHER_AES_192: return "AES-192";
    case TP_SM_CIPHER_AES_256: return "AES-256";
    default: break;
    }
  return "unknown";
}

gsize
tp_sm_cipher_key_length (TpSmCipher cipher)
{
  switch (cipher)
    {
    case TP_SM_CIPHER_3DES: return 16;
    case TP_SM_CIPHER_AES_128: return 16;
    case TP_SM_CIPHER_AES_192: return 24;
    case TP_SM_CIPHER_AES_256: return 32;
    default: break;
    }
  g_return_val_if_reached (16);
}

gsize
tp_sm_cipher_block_size (TpSmCipher cipher)
{
  return cipher == TP_SM_CIPHER_3DES ? 8 : 16;
}

static const EVP_CIPHER *
get_cbc (TpSmCipher cipher)
{
  switch (cipher)
    {
    case TP_SM_CIPHER_3DES: return EVP_des_ede_cbc ();
    case TP_SM_CIPHER_AES_128: return EVP_aes_128_cbc ();
    case TP_SM_CIPHER_AES_192: return EVP_aes_192_cbc ();
    case TP_SM_CIPHER_AES_256: return EVP_aes_256_cbc ();
    default: break;
    }
  g_return_val_if_reached (NULL);
}

static const EVP_CIPHER *
get_ecb (TpSmCipher cipher)
{
  switch (cipher)
    {
    case TP_SM_CIPHER_3DES: return EVP_des_ede_ecb ();
    case TP_SM_CIPHER_AES_128: return EVP_aes_128_ecb ();
    case TP_SM_CIPHER_AES_192: return EVP_aes_192_ecb ();
    case TP_SM_CIPHER_AES_256: return EVP_aes_256_ecb ();
    default: break;
    }
  g_return_val_if_reached (NULL);
}

static const char *
get_cmac_cipher_name (TpSmCipher cipher)
{
  switch (cipher)
    {
    case TP_SM_CIPHER_AES_128: return "AES-128-CBC";
    case TP_SM_CIPHER_AES_192: return "AES-192-CBC";
    case TP_SM_CIPHER_AES_256: return "AES-256-CBC";
    case TP_SM_CIPHER_3DES:
    default: break;
    }
  g_return_val_if_reached (NULL);
}

static gboolean
cipher_run (const EVP_CIPHER  *evp,
            const guint8      *key,
            const guint8      *iv,
            gboolean           encrypt,
            const guint8      *in,
            gsize              len,
            guint8            *out,
            GError           **error)
{
  EVP_CIPHER_CTX *ctx;
  guint8 zero_iv[TP_SM_MAX_BLOCK_SIZE] = { 0 };
  int out_len = 0;
  int final_len = 0;
  gboolean ok;

  if (len > G_MAXINT)
    {
      g_set_error_literal (error, TP_CHIP_ERROR, TP_CHIP_ERROR_INVALID_ARGUMENT,
                           "Data too long to encrypt");
      return FALSE;
    }

  ctx = EVP_CIPHER_CTX_new ();
  ok = ctx != NULL &&
       EVP_CipherInit_ex (ctx, evp, NULL, key,
                          EVP_CIPHER_get_iv_length (evp) > 0 ? (iv != NULL ? iv : zero_iv) : NULL,
                          encrypt ? 1 : 0) == 1 &&
       EVP_CIPHER_CTX_set_padding (ctx, 0) == 1 &&
       (len == 0 || EVP_CipherUpdate (ctx, out, &out_len, in, (int) len) == 1) &&
       EVP_CipherFinal_ex (ctx, out + out_len, &final_len) == 1;
  EVP_CIPHER_CTX_free (ctx);

  if (!ok)
    {
      tp_chip_set_crypto_error (error, encrypt ? "Encryption" : "Decryption");
      return FALSE;
    }
  g_assert ((gsize) (out_len + final_len) == len);

  return TRUE;
}

static gboolean
check_blocks (TpSmCipher   cipher,
              gsize        len,
              GError     **error)
{
  if (len % tp_sm_cipher_block_size (cipher) != 0)
    {
      g_set_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_INVALID_ARGUMENT,
                   "%" G_GSIZE_FORMAT " bytes are not a whole number of %s blocks",
                   len, tp_sm_cipher_to_string (cipher));
      return FALSE;
    }
  return TRUE;
}

gboolean
tp_sm_encrypt (TpSmCipher     cipher,
               const guint8  *key,
               const guint8  *iv,
               const guint8  *in,
               gsize          len,
               guint8        *out,
               GError       **error)
{
  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (in != NULL || len == 0, FALSE);

  if (!check_blocks (cipher, len, error))
    return FALSE;

  return cipher_run (get_cbc (cipher), key, iv, TRUE, in, len, out, error);
}

gboolean
tp_sm_decrypt (TpSmCipher     cipher,
               const guint8  *key,
               const guint8  *iv,
               const guint8  *in,
               gsize          len,
               guint8        *out,
               GError       **error)
{
  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (in != NULL || len == 0, FALSE);

  if (!check_blocks (cipher, len, error))
    return FALSE;

  return cipher_run (get_cbc (cipher), key, iv, FALSE, in, len, out, error);
}

void
tp_sm_pad (GByteArray *buf,
           gsize       block)
{
  static const guint8 pad[TP_SM_MAX_BLOCK_SIZE] = { 0x80 };
  gsize n;

  g_return_if_fail (buf != NULL);
  g_return_if_fail (block > 0 && block <= TP_SM_MAX_BLOCK_SIZE);

  n = block - (buf->len % block);
  g_byte_array_append (buf, pad, n);
}

gboolean
tp_sm_unpad (const guint8 *data,
             gsize         len,
             gsize        *unpadded_len)
{
  gsize i = len;

  g_return_val_if_fail (data != NULL || len == 0, FALSE);

  while (i > 0 && data[i - 1] == 0x00)
    i--;
  if (i == 0 || data[i - 1] != 0x80)
    return FALSE;

  if (unpadded_len != NULL)
    *unpadded_len = i - 1;

  return TRUE;
}

void
tp_des_set_odd_parity (guint8 *key,
                       gsize   len)
{
  g_return_if_fail (key != NULL || len == 0);

  for (gsize i = 0; i < len; i++)
    {
      guint8 b = key[i] & 0xFE;
      guint ones = 0;

      for (guint bit = 1; bit < 8; bit++)
        ones += (b >> bit) & 1;
      key[i] = b | ((ones % 2 == 0) ? 1 : 0);
    }
}

gboolean
tp_sm_kdf (TpSmCipher     cipher,
           const guint8  *secret,
           gsize          secret_len,
           guint32        counter,
           guint8        *key,
           GError       **error)
{
  const EVP_MD *md;
  EVP_MD_CTX *ctx;
  guint8 digest[EVP_MAX_MD_SIZE];
  guint8 c[4] = { counter >> 24, (counter >> 16) & 0xFF, (counter >> 8) & 0xFF, counter & 0xFF };
  unsigned int digest_len = 0;
  gsize key_len = tp_sm_cipher_key_length (cipher);
  gboolean ok;

  g_return_val_if_fail (secret != NULL || secret_len == 0, FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  md = (cipher == TP_SM_CIPHER_3DES || cipher == TP_SM_CIPHER_AES_128) ? EVP_sha1 () : EVP_sha256 ();
  ctx = EVP_MD_CTX_new ();
  ok = ctx != NULL &&
       EVP_DigestInit_ex (ctx, md, NULL) == 1 &&
       EVP_DigestUpdate (ctx, secret, secret_len) == 1 &&
       EVP_DigestUpdate (ctx, c, sizeof c) == 1 &&
       EVP_DigestFinal_ex (ctx, digest, &digest_len) == 1;
  EVP_MD_CTX_free (ctx);
  if (!ok)
    {
      tp_chip_set_crypto_error (error, "Key derivation");
      return FALSE;
    }
  g_assert (digest_len >= key_len);

  memcpy (key, digest, key_len);
  if (cipher == TP_SM_CIPHER_3DES)
    tp_des_set_odd_parity (key, key_len);
  OPENSSL_cleanse (digest, sizeof digest);

  return TRUE;
}

/* ISO/IEC 9797-1 MAC algorithm 3 with DES: single-DES CBC with Ka over
 * all blocks, then decrypt with Kb and encrypt with Ka. Only the
 * two-key 3DES cipher is in OpenSSL 3's default provider, so single DES
 * with Ka is 3DES with Ka||Ka, and the last block goes through 3DES
 * Ka||Kb, which is exactly E_Ka(D_Kb(E_Ka(x))). */
static gboolean
retail_mac (const guint8  *key,
            const guint8  *padded,
            gsize          len,
            guint8        *mac,
            GError       **error)
{
  guint8 ka_ka[16];
  guint8 h[8] = { 0 };
  guint8 last[8];
  gboolean ok = TRUE;

  g_assert (len > 0 && len % 8 == 0);

  memcpy (ka_ka, key, 8);
  memcpy (ka_ka + 8, key, 8);

  if (len > 8)
    {
      g_autofree guint8 *chain = g_malloc (len - 8);

      ok = cipher_run (EVP_des_ede_cbc (), ka_ka, NULL, TRUE, padded, len - 8, chain, error);
      if (ok)
        memcpy (h, chain + len - 16, 8);
    }

  if (ok)
    {
      for (guint i = 0; i < 8; i++)
        last[i] = padded[len - 8 + i] ^ h[i];
      ok = cipher_run (EVP_des_ede_ecb (), key, NULL, TRUE, last, 8, mac, error);
    }

  OPENSSL_cleanse (ka_ka, sizeof ka_ka);
  return ok;
}

static EVP_MAC *
get_cmac (void)
{
  static gsize once = 0;
  static EVP_MAC *cmac = NULL;

  if (g_once_init_enter (&once))
    {
      cmac = EVP_MAC_fetch (NULL, "CMAC", NULL);
      g_once_init_leave (&once, 1);
    }

  return cmac;
}

static gboolean
aes_cmac (TpSmCipher     cipher,
          const guint8  *key,
          const guint8  *padded,
          gsize          len,
          guint8        *mac,
          GError       **error)
{
  EVP_MAC *cmac = get_cmac ();
  EVP_MAC_CTX *ctx;
  OSSL_PARAM params[2];
  guint8 full[16];
  gsize out_len = 0;
  gboolean ok;

  if (cmac == NULL)
    {
      tp_chip_set_crypto_error (error, "Loading AES-CMAC");
      return FALSE;
    }

  params[0] = OSSL_PARAM_construct_utf8_string (OSSL_MAC_PARAM_CIPHER,
                                                (char *) get_cmac_cipher_name (cipher), 0);
  params[1] = OSSL_PARAM_construct_end ();

  ctx = EVP_MAC_CTX_new (cmac);
  ok = ctx != NULL &&
       EVP_MAC_init (ctx, key, tp_sm_cipher_key_length (cipher), params) == 1 &&
       EVP_MAC_update (ctx, padded, len) == 1 &&
       EVP_MAC_final (ctx, full, &out_len, sizeof full) == 1 &&
       out_len == sizeof full;
  EVP_MAC_CTX_free (ctx);

  if (!ok)
    {
      tp_chip_set_crypto_error (error, "AES-CMAC");
      return FALSE;
    }

  memcpy (mac, full, TP_SM_MAC_LENGTH);
  return TRUE;
}

/* MAC of data that is already padded */
static gboolean
mac_padded (TpSmCipher     cipher,
            const guint8  *key,
            const guint8  *padded,
            gsize          len,
            guint8        *mac,
            GError       **error)
{
  if (cipher == TP_SM_CIPHER_3DES)
    return retail_mac (key, padded, len, mac, error);
  return aes_cmac (cipher, key, padded, len, mac, error);
}

gboolean
tp_sm_mac (TpSmCipher     cipher,
           const guint8  *key,
           const guint8  *data,
           gsize          len,
           guint8        *mac,
           GError       **error)
{
  g_autoptr(GByteArray) padded = NULL;

  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (data != NULL || len == 0, FALSE);
  g_return_val_if_fail (mac != NULL, FALSE);

  padded = g_byte_array_sized_new (len + TP_SM_MAX_BLOCK_SIZE);
  if (len > 0)
    g_byte_array_append (padded, data, len);
  tp_sm_pad (padded, tp_sm_cipher_block_size (cipher));

  return mac_padded (cipher, key, padded->data, padded->len, mac, error);
}

/* Session */

TpSm *
tp_sm_new (TpSmCipher     cipher,
           const guint8  *ks_enc,
           const guint8  *ks_mac,
           const guint8  *ssc)
{
  TpSm *sm;
  gsize key_len;

  g_return_val_if_fail (cipher <= TP_SM_CIPHER_AES_256, NULL);
  g_return_val_if_fail (ks_enc != NULL, NULL);
  g_return_val_if_fail (ks_mac != NULL, NULL);

  key_len = tp_sm_cipher_key_length (cipher);
  sm = g_new0 (TpSm, 1);
  sm->cipher = cipher;
  sm->block = tp_sm_cipher_block_size (cipher);
  memcpy (sm->k_enc, ks_enc, key_len);
  memcpy (sm->k_mac, ks_mac, key_len);
  if (ssc != NULL)
    memcpy (sm->ssc, ssc, sm->block);

  return sm;
}

TpSm *
tp_sm_new_from_secret (TpSmCipher     cipher,
                       const guint8  *secret,
                       gsize          secret_len,
                       GError       **error)
{
  guint8 k_enc[TP_SM_MAX_KEY_LENGTH];
  guint8 k_mac[TP_SM_MAX_KEY_LENGTH];
  TpSm *sm = NULL;

  g_return_val_if_fail (secret != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (tp_sm_kdf (cipher, secret, secret_len, TP_SM_KDF_ENC, k_enc, error) &&
      tp_sm_kdf (cipher, secret, secret_len, TP_SM_KDF_MAC, k_mac, error))
    sm = tp_sm_new (cipher, k_enc, k_mac, NULL);

  OPENSSL_cleanse (k_enc, sizeof k_enc);
  OPENSSL_cleanse (k_mac, sizeof k_mac);

  return sm;
}

void
tp_sm_free (TpSm *sm)
{
  if (sm == NULL)
    return;

  OPENSSL_cleanse (sm, sizeof *sm);
  g_free (sm);
}

TpSmCipher
tp_sm_get_cipher (const TpSm *sm)
{
  g_return_val_if_fail (sm != NULL, TP_SM_CIPHER_3DES);

  return sm->cipher;
}

const guint8 *
tp_sm_get_enc_key (const TpSm *sm)
{
  g_return_val_if_fail (sm != NULL, NULL);

  return sm->k_enc;
}

const guint8 *
tp_sm_get_mac_key (const TpSm *sm)
{
  g_return_val_if_fail (sm != NULL, NULL);

  return sm->k_mac;
}

void
tp_sm_get_ssc (const TpSm *sm,
               guint8     *ssc)
{
  g_return_if_fail (sm != NULL);
  g_return_if_fail (ssc != NULL);

  memcpy (ssc, sm->ssc, sm->block);
}

void
tp_sm_set_ssc (TpSm         *sm,
               const guint8 *ssc)
{
  g_return_if_fail (sm != NULL);
  g_return_if_fail (ssc != NULL);

  memcpy (sm->ssc, ssc, sm->block);
}

gboolean
tp_sm_is_usable (const TpSm *sm)
{
  g_return_val_if_fail (sm != NULL, FALSE);

  return !sm->failed;
}

guint
tp_sm_get_verified_count (const TpSm *sm)
{
  g_return_val_if_fail (sm != NULL, 0);

  return sm->verified;
}

gboolean
tp_sm_last_response_status_differs (const TpSm *sm,
                                    guint16    *plain_sw,
                                    guint16    *protected_sw)
{
  g_return_val_if_fail (sm != NULL, FALSE);

  if (!sm->last_authenticated || sm->last_plain_sw == sm->last_protected_sw)
    return FALSE;
  if (plain_sw != NULL)
    *plain_sw = sm->last_plain_sw;
  if (protected_sw != NULL)
    *protected_sw = sm->last_protected_sw;
  return TRUE;
}

gboolean
tp_sm_last_response_authenticated (const TpSm *sm)
{
  g_return_val_if_fail (sm != NULL, FALSE);

  return sm->last_authenticated;
}

static void
increment_ssc (TpSm *sm)
{
  for (gsize i = sm->block; i > 0; i--)
    {
      if (++sm->ssc[i - 1] != 0)
        break;
    }
}

static gboolean
check_usable (TpSm     *sm,
              GError  **error)
{
  if (sm->failed)
    {
      g_set_error_literal (error, TP_CHIP_ERROR, TP_CHIP_ERROR_SM_FAILURE,
                           "The secure messaging session has ended after an earlier error; "
                           "access control must run again");
      return FALSE;
    }
  return TRUE;
}

/* IV for this message: zero for 3DES, E(KSenc, SSC) for AES */
static gboolean
message_iv (TpSm     *sm,
            guint8   *iv,
            GError  **error)
{
  if (sm->cipher == TP_SM_CIPHER_3DES)
    {
      memset (iv, 0, sm->block);
      return TRUE;
    }

  return cipher_run (get_ecb (sm->cipher), sm->k_enc, NULL, TRUE, sm->ssc, sm->block, iv, error);
}

static void
append_tlv (GByteArray   *out,
            guint8        tag,
            const guint8 *prefix,
            gsize         prefix_len,
            const guint8 *value,
            gsize         value_len)
{
  gsize len = prefix_len + value_len;
  guint8 head[4];
  gsize n = 0;

  head[n++] = tag;
  if (len < 0x80)
    head[n++] = len;
  else if (len <= 0xFF)
    {
      head[n++] = 0x81;
      head[n++] = len;
    }
  else
    {
      g_assert (len <= 0xFFFF);
      head[n++] = 0x82;
      head[n++] = len >> 8;
      head[n++] = len & 0xFF;
    }
  g_byte_array_append (out, head, n);
  if (prefix_len > 0)
    g_byte_array_append (out, prefix, prefix_len);
  if (value_len > 0)
    g_byte_array_append (out, value, value_len);
}

/* Reads one SM data object at *pos. Only one-byte tags and length fields
 * of up to three bytes occur in secure messaging. */
static gboolean
read_do (const guint8  *buf,
         gsize          len,
         gsize         *pos,
         SmDataObject  *out)
{
  gsize p = *pos;
  gsize l;

  if (p >= len)
    return FALSE;
  out->start = p;
  out->tag = buf[p++];
  if ((out->tag & 0x1F) == 0x1F || out->tag == 0x00 || out->tag == 0xFF)
    return FALSE;
  if (p >= len)
    return FALSE;

  l = buf[p++];
  if (l == 0x81)
    {
      if (p + 1 > len)
        return FALSE;
      l = buf[p++];
    }
  else if (l == 0x82)
    {
      if (p + 2 > len)
        return FALSE;
      l = ((gsize) buf[p] << 8) | buf[p + 1];
      p += 2;
    }
  else if (l >= 0x80)
    return FALSE;

  if (l > len - p)
    return FALSE;

  out->value = buf + p;
  out->len = l;
  *pos = p + l;

  return TRUE;
}

/* Splits @body into data objects; the last one must be DO'8E'. Returns
 * the number of objects, 0 on malformed input. */
static guint
split_dos (const guint8  *body,
           gsize          len,
           SmDataObject  *dos,
           const char   **problem)
{
  gsize pos = 0;
  guint n = 0;

  while (pos < len)
    {
      if (n == MAX_DOS)
        {
          *problem = "too many data objects";
          return 0;
        }
      if (!read_do (body, len, &pos, &dos[n]))
        {
          *problem = "a data object is malformed or runs past the end";
          return 0;
        }
      n++;
    }

  if (n == 0 || dos[n - 1].tag != DO_MAC)
    {
      for (guint i = 0; i < n; i++)
        if (dos[i].tag == DO_MAC)
          {
            *problem = "the MAC (DO'8E') is not the last data object";
            return 0;
          }
      *problem = "the MAC (DO'8E') is missing";
      return 0;
    }
  if (dos[n - 1].len != TP_SM_MAC_LENGTH)
    {
      *problem = "the MAC (DO'8E') is not 8 bytes long";
      return 0;
    }

  return n;
}

/* Verifies DO'8E' over SSC || @prefix (padded, may be NULL) || body up to
 * the MAC object. */
static gboolean
verify_mac (TpSm                *sm,
            const guint8        *prefix,
            gsize                prefix_len,
            const guint8        *body,
            const SmDataObject  *mac_do,
            gboolean            *valid,
            GError             **error)
{
  g_autoptr(GByteArray) input = g_byte_array_sized_new (sm->block * 2 + mac_do->start + sm->block);
  guint8 mac[TP_SM_MAC_LENGTH];

  g_byte_array_append (input, sm->ssc, sm->block);
  if (prefix != NULL)
    {
      g_byte_array_append (input, prefix, prefix_len);
      tp_sm_pad (input, sm->block);
    }
  if (mac_do->start > 0)
    g_byte_array_append (input, body, mac_do->start);
  tp_sm_pad (input, sm->block);

  if (!mac_padded (sm->cipher, sm->k_mac, input->data, input->len, mac, error))
    return FALSE;

  *valid = CRYPTO_memcmp (mac, mac_do->value, TP_SM_MAC_LENGTH) == 0;
  return TRUE;
}

/* Decrypts a DO'87' or DO'85' value and strips the padding */
static gboolean
decrypt_cryptogram (TpSm                *sm,
                    const SmDataObject  *crypto_do,
                    GByteArray          *out,
                    const char         **problem,
                    GError             **error)
{
  const guint8 *cryptogram = crypto_do->value;
  gsize len = crypto_do->len;
  guint8 iv[TP_SM_MAX_BLOCK_SIZE];
  gsize plain_len;

  if (crypto_do->tag == DO_CRYPTOGRAM_PI)
    {
      if (len < 1 || cryptogram[0] != PADDING_INDICATOR)
        {
          *problem = "the padding-content indicator of DO'87' is not 01";
          return FALSE;
        }
      cryptogram++;
      len--;
    }
  if (len == 0 || len % sm->block != 0)
    {
      *problem = "the cryptogram is not a whole number of cipher blocks";
      return FALSE;
    }

  if (!message_iv (sm, iv, error))
    return FALSE;
  g_byte_array_set_size (out, len);
  if (!cipher_run (get_cbc (sm->cipher), sm->k_enc, iv, FALSE, cryptogram, len, out->data, error))
    return FALSE;
  if (!tp_sm_unpad (out->data, out->len, &plain_len))
    {
      *problem = "the decrypted data has no ISO/IEC 9797-1 padding";
      return FALSE;
    }
  g_byte_array_set_size (out, plain_len);

  return TRUE;
}

static gboolean
encrypt_into_do (TpSm          *sm,
                 gboolean       odd_ins,
                 const guint8  *data,
                 gsize          len,
                 GByteArray    *out,
                 GError       **error)
{
  g_autoptr(GByteArray) buf = g_byte_array_sized_new (len + sm->block);
  guint8 iv[TP_SM_MAX_BLOCK_SIZE];
  static const guint8 indicator = PADDING_INDICATOR;

  g_byte_array_append (buf, data, len);
  tp_sm_pad (buf, sm->block);
  if (buf->len + 1 > 0xFFFF)
    {
      g_set_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_INVALID_ARGUMENT,
                   "%" G_GSIZE_FORMAT " bytes of data do not fit a secure messaging data object",
                   len);
      return FALSE;
    }

  if (!message_iv (sm, iv, error) ||
      !cipher_run (get_cbc (sm->cipher), sm->k_enc, iv, TRUE, buf->data, buf->len, buf->data, error))
    return FALSE;

  if (odd_ins)
    append_tlv (out, DO_CRYPTOGRAM, NULL, 0, buf->data, buf->len);
  else
    append_tlv (out, DO_CRYPTOGRAM_PI, &indicator, 1, buf->data, buf->len);

  return TRUE;
}

static void
fail (TpSm        *sm,
      GError     **error,
      TpChipError  code,
      const char  *format,
      ...) G_GNUC_PRINTF (4, 5);

static void
fail (TpSm        *sm,
      GError     **error,
      TpChipError  code,
      const char  *format,
      ...)
{
  va_list args;
  g_autofree char *message = NULL;

  sm->failed = TRUE;
  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, TP_CHIP_ERROR, code, message);
}

/* Terminal side */

GByteArray *
tp_sm_protect_command (TpSm          *sm,
                       const TpApdu  *apdu,
                       GError       **error)
{
  g_autoptr(TpApdu) protected = NULL;
  g_autoptr(GByteArray) mac_input = NULL;
  guint8 header[4];
  guint8 mac[TP_SM_MAC_LENGTH];
  gboolean extended;

  g_return_val_if_fail (sm != NULL, NULL);
  g_return_val_if_fail (apdu != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_usable (sm, error))
    return NULL;
  if ((apdu->cla & 0x0C) != 0 || apdu->cla == 0xFF)
    {
      g_set_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_INVALID_ARGUMENT,
                   "Class byte %02X already carries secure messaging bits", apdu->cla);
      return NULL;
    }
  if (apdu->le > TP_APDU_LE_MAX_EXTENDED)
    {
      g_set_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_INVALID_ARGUMENT,
                   "Expected length Le %u is above the maximum %u",
                   apdu->le, TP_APDU_LE_MAX_EXTENDED);
      return NULL;
    }

  increment_ssc (sm);

  extended = tp_apdu_is_extended (apdu);
  protected = tp_apdu_new (apdu->cla | 0x0C, apdu->ins, apdu->p1, apdu->p2, NULL, 0, 0);

  if (apdu->data->len > 0 &&
      !encrypt_into_do (sm, apdu->ins & 1, apdu->data->data, apdu->data->len,
                        protected->data, error))
    return NULL;

  if (apdu->le != TP_APDU_LE_NONE)
    {
      if (extended)
        {
          guint16 le = apdu->le == TP_APDU_LE_MAX_EXTENDED ? 0 : apdu->le;
          guint8 value[2] = { le >> 8, le & 0xFF };
          append_tlv (protected->data, DO_LE, NULL, 0, value, 2);
        }
      else
        {
          guint8 value = apdu->le == TP_APDU_LE_MAX_SHORT ? 0 : apdu->le;
          append_tlv (protected->data, DO_LE, NULL, 0, &value, 1);
        }
    }

  header[0] = protected->cla;
  header[1] = protected->ins;
  header[2] = protected->p1;
  header[3] = protected->p2;
  mac_input = g_byte_array_sized_new (sm->block * 2 + protected->data->len + sm->block);
  g_byte_array_append (mac_input, sm->ssc, sm->block);
  g_byte_array_append (mac_input, header, 4);
  tp_sm_pad (mac_input, sm->block);
  g_byte_array_append (mac_input, protected->data->data, protected->data->len);
  tp_sm_pad (mac_input, sm->block);
  if (!mac_padded (sm->cipher, sm->k_mac, mac_input->data, mac_input->len, mac, error))
    return NULL;
  append_tlv (protected->data, DO_MAC, NULL, 0, mac, sizeof mac);

  protected->extended = extended || protected->data->len > 255;
  protected->le = protected->extended ? TP_APDU_LE_MAX_EXTENDED : TP_APDU_LE_MAX_SHORT;

  return tp_apdu_encode (protected, error);
}

gboolean
tp_sm_unprotect_response (TpSm          *sm,
                          const guint8  *rapdu,
                          gsize          rapdu_len,
                          GByteArray    *data,
                          guint16       *sw,
                          GError       **error)
{
  SmDataObject dos[MAX_DOS];
  const SmDataObject *crypto_do = NULL;
  const SmDataObject *status_do = NULL;
  const char *problem = NULL;
  gsize body_len;
  guint16 plain_sw;
  guint16 protected_sw;
  gboolean valid = FALSE;
  guint n;

  g_return_val_if_fail (sm != NULL, FALSE);
  g_return_val_if_fail (rapdu != NULL || rapdu_len == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_usable (sm, error))
    return FALSE;

  sm->last_authenticated = FALSE;
  sm->last_plain_sw = 0;
  sm->last_protected_sw = 0;
  if (!tp_rapdu_split (rapdu, rapdu_len, &body_len, &plain_sw, error))
    {
      sm->failed = TRUE;
      return FALSE;
    }

  increment_ssc (sm);

  if (body_len == 0)
    {
      if (plain_sw == TP_SW_SM_OBJECTS_MISSING || plain_sw == TP_SW_SM_OBJECTS_INCORRECT)
        {
          fail (sm, error, TP_CHIP_ERROR_SM_FAILURE,
                "The chip ended secure messaging: it answered %04X (%s)",
                plain_sw, tp_chip_sw_describe (plain_sw));
          return FALSE;
        }
      if (TP_SW1 (plain_sw) == 0x90 || TP_SW1 (plain_sw) == 0x61)
        {
          fail (sm, error, TP_CHIP_ERROR_SM_FAILURE,
                "The chip answered %04X without secure messaging: a success must carry a MAC",
                plain_sw);
          return FALSE;
        }
      /* A plain error status: pass it on, unauthenticated */
      if (data != NULL)
        g_byte_array_set_size (data, 0);
      if (sw != NULL)
        *sw = plain_sw;
      return TRUE;
    }

  /* Find the MAC and check it before looking at anything else */
  n = split_dos (rapdu, body_len, dos, &problem);
  if (n == 0)
    {
      fail (sm, error, TP_CHIP_ERROR_SM_FAILURE,
            "Secure messaging response rejected: %s", problem);
      return FALSE;
    }
  if (!verify_mac (sm, NULL, 0, rapdu, &dos[n - 1], &valid, error))
    {
      sm->failed = TRUE;
      return FALSE;
    }
  if (!valid)
    {
      fail (sm, error, TP_CHIP_ERROR_SM_FAILURE,
            "The MAC of the chip's response does not verify: the answer was altered "
            "or does not come from the chip that set up the session");
      return FALSE;
    }

  sm->verified++;
  sm->last_authenticated = TRUE;

  for (guint i = 0; i + 1 < n; i++)
    {
      switch (dos[i].tag)
        {
        case DO_CRYPTOGRAM_PI:
        case DO_CRYPTOGRAM:
          if (crypto_do != NULL || status_do != NULL)
            problem = "the data object order is not cryptogram, status, MAC";
          crypto_do = &dos[i];
          break;
        case DO_STATUS:
          if (status_do != NULL)
            problem = "the status (DO'99') appears twice";
          status_do = &dos[i];
          break;
        default:
          problem = "it holds a data object secure messaging does not use";
          break;
        }
      if (problem != NULL)
        break;
    }
  if (problem == NULL && status_do == NULL)
    problem = "the protected status (DO'99') is missing";
  if (problem == NULL && status_do->len != 2)
    problem = "the protected status (DO'99') is not two bytes long";
  if (problem != NULL)
    {
      fail (sm, error, TP_CHIP_ERROR_SM_FAILURE,
            "Secure messaging response rejected: %s", problem);
      return FALSE;
    }

  /* DO'99' is covered by the MAC, the plain status word is not: when they
   * differ the authenticated one counts (ICAO 9303-11 §9.8.6), and the
   * caller can tell (tp_sm_last_response_status_differs()). */
  protected_sw = (status_do->value[0] << 8) | status_do->value[1];
  sm->last_plain_sw = plain_sw;
  sm->last_protected_sw = protected_sw;

  if (crypto_do != NULL)
    {
      g_autoptr(GByteArray) plain = g_byte_array_new ();

      if (!decrypt_cryptogram (sm, crypto_do, plain, &problem, error))
        {
          if (problem != NULL)
            fail (sm, error, TP_CHIP_ERROR_SM_FAILURE,
                  "Secure messaging response rejected: %s", problem);
          sm->failed = TRUE;
          return FALSE;
        }
      if (data != NULL)
        {
          g_byte_array_set_size (data, 0);
          g_byte_array_append (data, plain->data, plain->len);
        }
      OPENSSL_cleanse (plain->data, plain->len);
    }
  else if (data != NULL)
    g_byte_array_set_size (data, 0);

  if (sw != NULL)
    *sw = protected_sw;

  return TRUE;
}

gboolean
tp_sm_transmit (TpSm                *sm,
                TpApduTransmitFunc   transmit,
                gpointer             user_data,
                const TpApdu        *apdu,
                GByteArray          *data,
                guint16             *sw,
                GError             **error)
{
  g_autoptr(GByteArray) capdu = NULL;
  g_autoptr(GByteArray) rapdu = NULL;

  g_return_val_if_fail (transmit != NULL, FALSE);
  g_return_val_if_fail (apdu != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (sm == NULL)
    return tp_apdu_transmit (transmit, user_data, apdu, data, sw, error);

  capdu = tp_sm_protect_command (sm, apdu, error);
  if (capdu == NULL)
    return FALSE;

  rapdu = g_byte_array_new ();
  if (!tp_apdu_transmit_raw (transmit, user_data, capdu->data, capdu->len, rapdu, error))
    {
      /* The chip may or may not have counted this command */
      sm->failed = TRUE;
      return FALSE;
    }

  return tp_sm_unprotect_response (sm, rapdu->data, rapdu->len, data, sw, error);
}

/* Chip side */

TpApdu *
tp_sm_unprotect_command (TpSm          *sm,
                         const guint8  *capdu,
                         gsize          capdu_len,
                         guint16       *sw,
                         GError       **error)
{
  g_autoptr(TpApdu) outer = NULL;
  g_autoptr(TpApdu) plain = NULL;
  SmDataObject dos[MAX_DOS];
  const SmDataObject *crypto_do = NULL;
  const SmDataObject *le_do = NULL;
  const char *problem = NULL;
  guint8 header[4];
  gboolean valid = FALSE;
  guint16 dummy_sw;
  guint n;

  g_return_val_if_fail (sm != NULL, NULL);
  g_return_val_if_fail (capdu != NULL || capdu_len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (sw == NULL)
    sw = &dummy_sw;
  *sw = TP_SW_SM_OBJECTS_INCORRECT;

  if (!check_usable (sm, error))
    return NULL;

  outer = tp_apdu_parse (capdu, capdu_len, error);
  if (outer == NULL)
    {
      sm->failed = TRUE;
      return NULL;
    }
  if ((outer->cla & 0x0C) != 0x0C || outer->cla == 0xFF)
    {
      *sw = TP_SW_SM_OBJECTS_MISSING;
      fail (sm, error, TP_CHIP_ERROR_SM_FAILURE,
            "Command with class %02X arrived without secure messaging", outer->cla);
      return NULL;
    }

  increment_ssc (sm);

  n = split_dos (outer->data->data, outer->data->len, dos, &problem);
  if (n == 0)
    {
      *sw = TP_SW_SM_OBJECTS_MISSING;
      fail (sm, error, TP_CHIP_ERROR_SM_FAILURE,
            "Secure messaging command rejected: %s", problem);
      return NULL;
    }

  header[0] = outer->cla;
  header[1] = outer->ins;
  header[2] = outer->p1;
  header[3] = outer->p2;
  if (!verify_mac (sm, header, 4, outer->data->data, &dos[n - 1], &valid, error))
    {
      sm->failed = TRUE;
      return NULL;
    }
  if (!valid)
    {
      fail (sm, error, TP_CHIP_ERROR_SM_FAILURE,
            "The MAC of the terminal's command does not verify");
      return NULL;
    }
  sm->verified++;

  for (guint i = 0; i + 1 < n; i++)
    {
      switch (dos[i].tag)
        {
        case DO_CRYPTOGRAM_PI:
        case DO_CRYPTOGRAM:
          if (crypto_do != NULL || le_do != NULL)
            problem = "the data object order is not cryptogram, Le, MAC";
          else if ((dos[i].tag == DO_CRYPTOGRAM) != ((outer->ins & 1) == 1))
            problem = "DO'85' goes with odd instructions, DO'87' with even ones";
          crypto_do = &dos[i];
          break;
        case DO_LE:
          if (le_do != NULL)
            problem = "Le (DO'97') appears twice";
          else if (dos[i].len != 1 && dos[i].len != 2)
            problem = "Le (DO'97') is neither one nor two bytes long";
          le_do = &dos[i];
          break;
        default:
          problem = "it holds a data object secure messaging does not use";
          break;
        }
      if (problem != NULL)
        break;
    }
  if (problem != NULL)
    {
      fail (sm, error, TP_CHIP_ERROR_SM_FAILURE,
            "Secure messaging command rejected: %s", problem);
      return NULL;
    }

  plain = tp_apdu_new (outer->cla & ~0x0C, outer->ins, outer->p1, outer->p2, NULL, 0, 0);
  if (crypto_do != NULL &&
      !decrypt_cryptogram (sm, crypto_do, plain->data, &problem, error))
    {
      if (problem != NULL)
        fail (sm, error, TP_CHIP_ERROR_SM_FAILURE,
              "Secure messaging command rejected: %s", problem);
      sm->failed = TRUE;
      return NULL;
    }

  if (le_do != NULL)
    {
      if (le_do->len == 1)
        plain->le = le_do->value[0] == 0 ? TP_APDU_LE_MAX_SHORT : le_do->value[0];
      else
        {
          guint le = (le_do->value[0] << 8) | le_do->value[1];
          plain->le = le == 0 ? TP_APDU_LE_MAX_EXTENDED : le;
          plain->extended = TRUE;
        }
    }
  if (outer->extended && plain->data->len > 255)
    plain->extended = TRUE;

  sm->command_ins_odd = (outer->ins & 1) == 1;
  *sw = TP_SW_OK;

  return g_steal_pointer (&plain);
}

GByteArray *
tp_sm_protect_response (TpSm          *sm,
                        const guint8  *data,
                        gsize          data_len,
                        guint16        sw,
                        GError       **error)
{
  g_autoptr(GByteArray) out = NULL;
  g_autoptr(GByteArray) mac_input = NULL;
  guint8 status[2] = { sw >> 8, sw & 0xFF };
  guint8 mac[TP_SM_MAC_LENGTH];

  g_return_val_if_fail (sm != NULL, NULL);
  g_return_val_if_fail (data != NULL || data_len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_usable (sm, error))
    return NULL;

  increment_ssc (sm);

  out = g_byte_array_sized_new (data_len + 32);
  if (data_len > 0 &&
      !encrypt_into_do (sm, sm->command_ins_odd, data, data_len, out, error))
    return NULL;
  append_tlv (out, DO_STATUS, NULL, 0, status, 2);

  mac_input = g_byte_array_sized_new (sm->block + out->len + sm->block);
  g_byte_array_append (mac_input, sm->ssc, sm->block);
  g_byte_array_append (mac_input, out->data, out->len);
  tp_sm_pad (mac_input, sm->block);
  if (!mac_padded (sm->cipher, sm->k_mac, mac_input->data, mac_input->len, mac, error))
    return NULL;
  append_tlv (out, DO_MAC, NULL, 0, mac, sizeof mac);
  tp_rapdu_append_sw (out, sw);

  return g_steal_pointer (&out);
}
