/* tp-bac.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "tp-bac.h"
#include "tp-chip-error.h"
#include "tp-mrz.h"

#define INS_GET_CHALLENGE          0x84
#define INS_EXTERNAL_AUTHENTICATE  0x82
#define RND_LENGTH                 8
#define KEY_MATERIAL_LENGTH        16
#define CRYPTOGRAM_LENGTH          32  /* RND || RND || K */
#define AUTH_DATA_LENGTH           40  /* cryptogram || MAC */

struct _TpBacChip {
  TpBacKeys    keys;
  TpRandomFunc random;
  gpointer     random_data;
  guint8       rnd_ic[RND_LENGTH];
  gboolean     challenge_pending;
};

static gboolean
is_mrz_char (char c)
{
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || c == '<';
}

static gboolean
append_field (GString     *out,
              const char  *field_name,
              const char  *value,
              gsize        min_len,
              gsize        max_len,
              gsize        pad_to,
              gboolean     dates,
              GError     **error)
{
  g_autofree char *upper = NULL;
  gsize start = out->len;
  gsize len;

  if (value == NULL || value[0] == '\0')
    {
      g_set_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_INVALID_ARGUMENT,
                   "The %s is empty", field_name);
      return FALSE;
    }

  upper = g_ascii_strup (value, -1);
  len = strlen (upper);
  if (len < min_len || len > max_len)
    {
      if (min_len == max_len)
        g_set_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_INVALID_ARGUMENT,
                     "The %s “%s” has %" G_GSIZE_FORMAT " characters; expected %" G_GSIZE_FORMAT " (YYMMDD)",
                     field_name, value, len, min_len);
      else
        g_set_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_INVALID_ARGUMENT,
                     "The %s “%s” has %" G_GSIZE_FORMAT " characters; expected at most %" G_GSIZE_FORMAT,
                     field_name, value, len, max_len);
      return FALSE;
    }
  for (gsize i = 0; i < len; i++)
    {
      char c = upper[i];
      gboolean ok = dates ? ((c >= '0' && c <= '9') || c == '<') : is_mrz_char (c);

      if (!ok)
        {
          g_set_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_INVALID_ARGUMENT,
                       "The %s “%s” has “%c” at position %" G_GSIZE_FORMAT "; expected %s",
                       field_name, value, value[i], i + 1,
                       dates ? "digits (YYMMDD)" : "digits, capital letters A-Z or <");
          return FALSE;
        }
    }

  g_string_append (out, upper);
  while (out->len - start < pad_to)
    g_string_append_c (out, '<');
  g_string_append_c (out, '0' + tp_mrz_check_digit (out->str + start, out->len - start));

  return TRUE;
}

char *
tp_bac_mrz_info (const char  *document_number,
                 const char  *birth_date,
                 const char  *expiry_date,
                 GError     **error)
{
  g_autoptr(GString) info = g_string_new (NULL);
  g_autofree char *doc = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Trailing fillers of a short number are the padding, not the number */
  doc = g_strdup (document_number != NULL ? document_number : "");
  g_strstrip (doc);

  if (!append_field (info, "document number", doc, 1, 30, 9, FALSE, error))
    return NULL;
  if (!append_field (info, "date of birth", birth_date, 6, 6, 6, TRUE, error))
    return NULL;
  if (!append_field (info, "date of expiry", expiry_date, 6, 6, 6, TRUE, error))
    return NULL;

  return g_string_free (g_steal_pointer (&info), FALSE);
}

gboolean
tp_bac_derive_keys (const char  *mrz_info,
                    TpBacKeys   *keys,
                    GError     **error)
{
  guint8 digest[EVP_MAX_MD_SIZE];
  unsigned int digest_len = 0;
  gsize len;

  g_return_val_if_fail (mrz_info != NULL, FALSE);
  g_return_val_if_fail (keys != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  len = strlen (mrz_info);
  if (len < TP_BAC_MRZ_INFO_MIN_LENGTH)
    {
      g_set_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_INVALID_ARGUMENT,
                   "The MRZ information has %" G_GSIZE_FORMAT " characters; expected at least %d "
                   "(document number, birth and expiry dates, each with its check digit)",
                   len, TP_BAC_MRZ_INFO_MIN_LENGTH);
      return FALSE;
    }
  for (gsize i = 0; i < len; i++)
    if (!is_mrz_char (mrz_info[i]))
      {
        g_set_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_INVALID_ARGUMENT,
                     "The MRZ information has “%c” at position %" G_GSIZE_FORMAT
                     "; expected digits, capital letters A-Z or <",
                     mrz_info[i], i + 1);
        return FALSE;
      }

  if (EVP_Digest (mrz_info, len, digest, &digest_len, EVP_sha1 (), NULL) != 1)
    {
      tp_chip_set_crypto_error (error, "SHA-1 of the MRZ information");
      return FALSE;
    }

  memcpy (keys->k_seed, digest, sizeof keys->k_seed);
  OPENSSL_cleanse (digest, sizeof digest);

  return tp_sm_kdf (TP_SM_CIPHER_3DES, keys->k_seed, sizeof keys->k_seed,
                    TP_SM_KDF_ENC, keys->k_enc, error) &&
         tp_sm_kdf (TP_SM_CIPHER_3DES, keys->k_seed, sizeof keys->k_seed,
                    TP_SM_KDF_MAC, keys->k_mac, error);
}

/* E = 3DES-CBC(Kenc, S), M = MAC(Kmac, E) */
static gboolean
seal (const TpBacKeys  *keys,
      const guint8     *plain,
      guint8           *out,
      GError          **error)
{
  return tp_sm_encrypt (TP_SM_CIPHER_3DES, keys->k_enc, NULL, plain, CRYPTOGRAM_LENGTH, out, error) &&
         tp_sm_mac (TP_SM_CIPHER_3DES, keys->k_mac, out, CRYPTOGRAM_LENGTH,
                    out + CRYPTOGRAM_LENGTH, error);
}

/* Checks M, then decrypts E; FALSE with *valid FALSE on a wrong MAC */
static gboolean
open_sealed (const TpBacKeys  *keys,
             const guint8     *sealed,
             guint8           *plain,
             gboolean         *valid,
             GError          **error)
{
  guint8 mac[TP_SM_MAC_LENGTH];

  *valid = FALSE;
  if (!tp_sm_mac (TP_SM_CIPHER_3DES, keys->k_mac, sealed, CRYPTOGRAM_LENGTH, mac, error))
    return FALSE;
  if (CRYPTO_memcmp (mac, sealed + CRYPTOGRAM_LENGTH, TP_SM_MAC_LENGTH) != 0)
    return TRUE;
  *valid = TRUE;

  return tp_sm_decrypt (TP_SM_CIPHER_3DES, keys->k_enc, NULL, sealed, CRYPTOGRAM_LENGTH, plain, error);
}

static TpSm *
session_from (const guint8  *k_ifd,
              const guint8  *k_ic,
              const guint8  *rnd_ic,
              const guint8  *rnd_ifd,
              GError       **error)
{
  guint8 seed[KEY_MATERIAL_LENGTH];
  guint8 ks_enc[16];
  guint8 ks_mac[16];
  guint8 ssc[8];
  TpSm *sm = NULL;

  for (guint i = 0; i < KEY_MATERIAL_LENGTH; i++)
    seed[i] = k_ifd[i] ^ k_ic[i];
  memcpy (ssc, rnd_ic + 4, 4);
  memcpy (ssc + 4, rnd_ifd + 4, 4);

  if (tp_sm_kdf (TP_SM_CIPHER_3DES, seed, sizeof seed, TP_SM_KDF_ENC, ks_enc, error) &&
      tp_sm_kdf (TP_SM_CIPHER_3DES, seed, sizeof seed, TP_SM_KDF_MAC, ks_mac, error))
    sm = tp_sm_new (TP_SM_CIPHER_3DES, ks_enc, ks_mac, ssc);

  OPENSSL_cleanse (seed, sizeof seed);
  OPENSSL_cleanse (ks_enc, sizeof ks_enc);
  OPENSSL_cleanse (ks_mac, sizeof ks_mac);

  return sm;
}

static gboolean
is_refusal (guint16 sw)
{
  return sw == TP_SW_AUTHENTICATION_FAILED ||
         TP_SW1 (sw) == 0x63 ||
         sw == TP_SW_SECURITY_NOT_SATISFIED ||
         sw == TP_SW_SM_OBJECTS_INCORRECT;
}

gboolean
tp_bac_authenticate (TpApduTransmitFunc   transmit,
                     gpointer             user_data,
                     const TpBacKeys     *keys,
                     TpRandomFunc         random,
                     gpointer             random_data,
                     TpSm               **sm,
                     GError             **error)
{
  g_autoptr(TpApdu) get_challenge = NULL;
  g_autoptr(TpApdu) external_auth = NULL;
  g_autoptr(GByteArray) response = g_byte_array_new ();
  guint8 rnd_ic[RND_LENGTH];
  guint8 rnd_ifd[RND_LENGTH];
  guint8 k_ifd[KEY_MATERIAL_LENGTH];
  guint8 s[CRYPTOGRAM_LENGTH];
  guint8 r[CRYPTOGRAM_LENGTH];
  guint8 sealed[AUTH_DATA_LENGTH];
  gboolean valid = FALSE;
  gboolean ok = FALSE;
  guint16 sw = 0;

  g_return_val_if_fail (transmit != NULL, FALSE);
  g_return_val_if_fail (keys != NULL, FALSE);
  g_return_val_if_fail (sm != NULL && *sm == NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  get_challenge = tp_apdu_new (0x00, INS_GET_CHALLENGE, 0x00, 0x00, NULL, 0, RND_LENGTH);
  if (!tp_apdu_transmit (transmit, user_data, get_challenge, response, &sw, error))
    return FALSE;
  if (sw != TP_SW_OK)
    {
      tp_chip_set_status_error (error, sw, "BAC GET CHALLENGE");
      return FALSE;
    }
  if (response->len != RND_LENGTH)
    {
      g_set_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_PROTOCOL,
                   "BAC GET CHALLENGE: the chip sent a challenge of %u bytes; expected %d",
                   response->len, RND_LENGTH);
      return FALSE;
    }
  memcpy (rnd_ic, response->data, RND_LENGTH);

  if (!tp_random_bytes (random, random_data, rnd_ifd, sizeof rnd_ifd, error) ||
      !tp_random_bytes (random, random_data, k_ifd, sizeof k_ifd, error))
    goto out;

  memcpy (s, rnd_ifd, RND_LENGTH);
  memcpy (s + RND_LENGTH, rnd_ic, RND_LENGTH);
  memcpy (s + 2 * RND_LENGTH, k_ifd, KEY_MATERIAL_LENGTH);
  if (!seal (keys, s, sealed, error))
    goto out;

  external_auth = tp_apdu_new (0x00, INS_EXTERNAL_AUTHENTICATE, 0x00, 0x00,
                               sealed, sizeof sealed, AUTH_DATA_LENGTH);
  if (!tp_apdu_transmit (transmit, user_data, external_auth, response, &sw, error))
    goto out;
  if (is_refusal (sw))
    {
      g_set_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_ACCESS_DENIED,
                   "The chip refused the BAC keys (status %04X): check the document number, "
                   "date of birth and date of expiry",
                   sw);
      goto out;
    }
  if (sw != TP_SW_OK)
    {
      tp_chip_set_status_error (error, sw, "BAC EXTERNAL AUTHENTICATE");
      goto out;
    }
  if (response->len != AUTH_DATA_LENGTH)
    {
      g_set_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_PROTOCOL,
                   "BAC EXTERNAL AUTHENTICATE: the chip answered %u bytes; expected %d",
                   response->len, AUTH_DATA_LENGTH);
      goto out;
    }

  if (!open_sealed (keys, response->data, r, &valid, error))
    goto out;
  if (!valid)
    {
      g_set_error_literal (error, TP_CHIP_ERROR, TP_CHIP_ERROR_PROTOCOL,
                           "BAC: the MAC of the chip's answer does not verify with the access keys");
      goto out;
    }
  if (CRYPTO_memcmp (r, rnd_ic, RND_LENGTH) != 0 ||
      CRYPTO_memcmp (r + RND_LENGTH, rnd_ifd, RND_LENGTH) != 0)
    {
      g_set_error_literal (error, TP_CHIP_ERROR, TP_CHIP_ERROR_PROTOCOL,
                           "BAC: the chip's answer does not contain the two challenges");
      goto out;
    }

  *sm = session_from (k_ifd, r + 2 * RND_LENGTH, rnd_ic, rnd_ifd, error);
  ok = *sm != NULL;

out:
  OPENSSL_cleanse (k_ifd, sizeof k_ifd);
  OPENSSL_cleanse (s, sizeof s);
  OPENSSL_cleanse (r, sizeof r);
  return ok;
}

/* Chip side */

TpBacChip *
tp_bac_chip_new (const TpBacKeys *keys)
{
  TpBacChip *chip;

  g_return_val_if_fail (keys != NULL, NULL);

  chip = g_new0 (TpBacChip, 1);
  chip->keys = *keys;

  return chip;
}

void
tp_bac_chip_free (TpBacChip *chip)
{
  if (chip == NULL)
    return;

  OPENSSL_cleanse (chip, sizeof *chip);
  g_free (chip);
}

void
tp_bac_chip_set_random (TpBacChip    *chip,
                        TpRandomFunc  random,
                        gpointer      random_data)
{
  g_return_if_fail (chip != NULL);

  chip->random = random;
  chip->random_data = random_data;
}

gboolean
tp_bac_chip_handles (const TpApdu *command)
{
  g_return_val_if_fail (command != NULL, FALSE);

  return command->ins == INS_GET_CHALLENGE || command->ins == INS_EXTERNAL_AUTHENTICATE;
}

static guint16
chip_external_authenticate (TpBacChip     *chip,
                            const TpApdu  *command,
                            GByteArray    *response,
                            TpSm         **sm)
{
  g_autoptr(GError) error = NULL;
  guint8 s[CRYPTOGRAM_LENGTH];
  guint8 r[CRYPTOGRAM_LENGTH];
  guint8 sealed[AUTH_DATA_LENGTH];
  guint8 k_ic[KEY_MATERIAL_LENGTH];
  gboolean valid = FALSE;
  guint16 sw = TP_SW_AUTHENTICATION_FAILED;

  if (!chip->challenge_pending)
    return TP_SW_CONDITIONS_NOT_SATISFIED;
  chip->challenge_pending = FALSE;

  if (command->p1 != 0 || command->p2 != 0)
    return TP_SW_WRONG_P1P2;
  if (command->data->len != AUTH_DATA_LENGTH)
    return TP_SW_WRONG_LENGTH;

  if (!open_sealed (&chip->keys, command->data->data, s, &valid, &error))
    {
      g_debug ("BAC chip: %s", error->message);
      return TP_SW_UNKNOWN;
    }
  if (!valid || CRYPTO_memcmp (s + RND_LENGTH, chip->rnd_ic, RND_LENGTH) != 0)
    goto out;

  if (!tp_random_bytes (chip->random, chip->random_data, k_ic, sizeof k_ic, &error))
    {
      sw = TP_SW_UNKNOWN;
      goto out;
    }
  memcpy (r, chip->rnd_ic, RND_LENGTH);
  memcpy (r + RND_LENGTH, s, RND_LENGTH);
  memcpy (r + 2 * RND_LENGTH, k_ic, KEY_MATERIAL_LENGTH);
  if (!seal (&chip->keys, r, sealed, &error))
    {
      sw = TP_SW_UNKNOWN;
      goto out;
    }

  *sm = session_from (s + 2 * RND_LENGTH, k_ic, chip->rnd_ic, s, &error);
  if (*sm == NULL)
    {
      sw = TP_SW_UNKNOWN;
      goto out;
    }

  g_byte_array_append (response, sealed, sizeof sealed);
  sw = TP_SW_OK;

out:
  if (error != NULL)
    g_debug ("BAC chip: %s", error->message);
  OPENSSL_cleanse (s, sizeof s);
  OPENSSL_cleanse (r, sizeof r);
  OPENSSL_cleanse (k_ic, sizeof k_ic);
  return sw;
}

guint16
tp_bac_chip_process (TpBacChip     *chip,
                     const TpApdu  *command,
                     GByteArray    *response,
                     TpSm         **sm)
{
  g_return_val_if_fail (chip != NULL, TP_SW_UNKNOWN);
  g_return_val_if_fail (command != NULL, TP_SW_UNKNOWN);
  g_return_val_if_fail (response != NULL, TP_SW_UNKNOWN);
  g_return_val_if_fail (sm != NULL && *sm == NULL, TP_SW_UNKNOWN);

  switch (command->ins)
    {
    case INS_GET_CHALLENGE:
      if (command->p1 != 0 || command->p2 != 0)
        return TP_SW_WRONG_P1P2;
      if (command->le != RND_LENGTH || command->data->len != 0)
        return TP_SW_WRONG_LENGTH;
      if (!tp_random_bytes (chip->random, chip->random_data, chip->rnd_ic, RND_LENGTH, NULL))
        return TP_SW_UNKNOWN;
      chip->challenge_pending = TRUE;
      g_byte_array_append (response, chip->rnd_ic, RND_LENGTH);
      return TP_SW_OK;

    case INS_EXTERNAL_AUTHENTICATE:
      return chip_external_authenticate (chip, command, response, sm);

    default:
      return TP_SW_INS_NOT_SUPPORTED;
    }
}
