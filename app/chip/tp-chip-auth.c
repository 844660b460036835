/* tp-chip-auth.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <openssl/crypto.h>
#include <openssl/dh.h>
#include <openssl/err.h>
#include <openssl/evp.h>

#include "tp-chip-auth.h"
#include "tp-chip-error.h"
#include "tp-security-infos.h"
#include "tp-tlv.h"

#define INS_MSE            0x22
#define INS_GENERAL_AUTHENTICATE 0x86
#define TAG_DYNAMIC_AUTH_DATA 0x7C
#define TAG_PROTOCOL       0x80
#define TAG_KEY_ID         0x84
#define TAG_KAT_PUBLIC_KEY 0x91
#define TAG_GA_PUBLIC_KEY  0x80

struct _TpCaChip {
  EVP_PKEY       *key;
  TpChipAuthInfo *info;
  gboolean        at_set;
};

/* Protocol */

static gboolean
key_is_ec (EVP_PKEY *key)
{
  return EVP_PKEY_is_a (key, "EC");
}

gboolean
tp_chip_auth_choose (const TpSecurityInfos       *infos,
                     TpChipAuthInfo             **info,
                     const TpChipAuthPublicKey  **key,
                     GError                     **error)
{
  const TpChipAuthInfo *best = NULL;
  const TpChipAuthPublicKey *best_key = NULL;

  g_return_val_if_fail (infos != NULL, FALSE);
  g_return_val_if_fail (info != NULL && *info == NULL, FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  /* The strongest cipher among the protocols that have their key */
  for (guint i = 0; i < infos->ca_infos->len; i++)
    {
      const TpChipAuthInfo *ca = g_ptr_array_index (infos->ca_infos, i);

      if (ca->version != 1 || (best != NULL && ca->cipher <= best->cipher))
        continue;
      for (guint j = 0; j < infos->ca_public_keys->len; j++)
        {
          const TpChipAuthPublicKey *pk = g_ptr_array_index (infos->ca_public_keys, j);

          if (key_is_ec (pk->key) != ca->ecdh)
            continue;
          if (ca->key_id >= 0 && pk->key_id != ca->key_id)
            continue;
          best = ca;
          best_key = pk;
          break;
        }
    }
  if (best != NULL)
    {
      *info = tp_chip_auth_info_copy (best);
      *key = best_key;
      return TRUE;
    }

  if (infos->ca_infos->len == 0 && infos->ca_public_keys->len > 0)
    {
      const TpChipAuthPublicKey *pk = g_ptr_array_index (infos->ca_public_keys, 0);

      *info = tp_chip_auth_info_new (tp_chip_auth_oid (key_is_ec (pk->key), TP_SM_CIPHER_3DES),
                                     1, pk->key_id, NULL);
      *key = pk;
      return TRUE;
    }

  g_set_error_literal (error, TP_CHIP_ERROR, TP_CHIP_ERROR_UNSUPPORTED,
                       infos->ca_public_keys->len == 0
                       ? "DG14 holds no chip authentication public key"
                       : "DG14 offers no chip authentication (version 1) that matches a public key");
  return FALSE;
}

GBytes *
tp_chip_auth_encode_public (EVP_PKEY  *key,
                            GError   **error)
{
  unsigned char *pub = NULL;
  size_t len;
  GBytes *bytes;

  g_return_val_if_fail (key != NULL, NULL);

  len = EVP_PKEY_get1_encoded_public_key (key, &pub);
  if (len == 0 || pub == NULL)
    {
      tp_chip_set_crypto_error (error, "Encoding a public key");
      return NULL;
    }
  bytes = g_bytes_new (pub, len);
  OPENSSL_free (pub);

  return bytes;
}

static EVP_PKEY *
generate_like (EVP_PKEY  *params,
               GError   **error)
{
  EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_pkey (NULL, params, NULL);
  EVP_PKEY *key = NULL;

  if (ctx == NULL || EVP_PKEY_keygen_init (ctx) != 1 || EVP_PKEY_keygen (ctx, &key) != 1)
    {
      EVP_PKEY_free (key);
      key = NULL;
      tp_chip_set_crypto_error (error, "Generating an ephemeral key on the chip's domain parameters");
    }
  EVP_PKEY_CTX_free (ctx);

  return key;
}

/* A public key on @params' domain parameters from its encoding, checked */
static EVP_PKEY *
peer_from_encoded (EVP_PKEY     *params,
                   const guint8 *pub,
                   gsize         len)
{
  EVP_PKEY *peer = EVP_PKEY_new ();
  EVP_PKEY_CTX *ctx = NULL;
  gboolean ok;

  ok = peer != NULL && len > 0 &&
       EVP_PKEY_copy_parameters (peer, params) == 1 &&
       EVP_PKEY_set1_encoded_public_key (peer, pub, len) == 1 &&
       (ctx = EVP_PKEY_CTX_new_from_pkey (NULL, peer, NULL)) != NULL &&
       EVP_PKEY_public_check (ctx) == 1;
  EVP_PKEY_CTX_free (ctx);
  ERR_clear_error ();
  if (!ok)
    {
      EVP_PKEY_free (peer);
      return NULL;
    }

  return peer;
}

/* Shared secret: the x coordinate for ECDH, g^xy padded to the modulus
 * for DH (BSI TR-03111 / PKCS #3) */
static GBytes *
derive_secret (EVP_PKEY  *own,
               EVP_PKEY  *peer,
               GError   **error)
{
  EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_pkey (NULL, own, NULL);
  guint8 *secret = NULL;
  gsize len = 0;
  gboolean ok;
  GBytes *bytes = NULL;

  ok = ctx != NULL &&
       EVP_PKEY_derive_init (ctx) == 1 &&
       (key_is_ec (own) || EVP_PKEY_CTX_set_dh_pad (ctx, 1) == 1) &&
       EVP_PKEY_derive_set_peer (ctx, peer) == 1 &&
       EVP_PKEY_derive (ctx, NULL, &len) == 1;
  if (ok)
    {
      secret = g_malloc (len);
      ok = EVP_PKEY_derive (ctx, secret, &len) == 1;
    }
  EVP_PKEY_CTX_free (ctx);

  if (!ok)
    tp_chip_set_crypto_error (error, "Chip authentication key agreement");
  else
    bytes = g_bytes_new (secret, len);
  if (secret != NULL)
    OPENSSL_cleanse (secret, len);
  g_free (secret);

  return bytes;
}

static void
append_key_id (GByteArray *data,
               gint64      key_id)
{
  guint8 bytes[8];
  gsize n = 0;

  if (key_id < 0)
    return;
  for (gint shift = 56; shift >= 0; shift -= 8)
    {
      guint8 b = (key_id >> shift) & 0xFF;

      if (n == 0 && b == 0 && shift > 0)
        continue;
      bytes[n++] = b;
    }
  tp_tlv_append (data, TAG_KEY_ID, bytes, n);
}

static gboolean
read_key_id (const guint8 *value,
             gsize         len,
             gint64       *key_id)
{
  gint64 v = 0;

  if (len == 0 || len > 7)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    v = (v << 8) | value[i];
  *key_id = v;
  return TRUE;
}

static gboolean
exchange (TpApduTransmitFunc   transmit,
          gpointer             user_data,
          TpSm                *sm,
          TpApdu              *apdu,
          GByteArray          *response,
          const char          *what,
          GError             **error)
{
  guint16 sw = 0;

  if (!tp_sm_transmit (sm, transmit, user_data, apdu, response, &sw, error))
    return FALSE;
  if (sw != TP_SW_OK)
    {
      g_set_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_AUTHENTICATION,
                   "Chip authentication failed: the chip answered %04X (%s) to %s",
                   sw, tp_chip_sw_describe (sw), what);
      return FALSE;
    }
  return TRUE;
}

gboolean
tp_chip_auth_authenticate (TpApduTransmitFunc          transmit,
                           gpointer                    user_data,
                           TpSm                      **sm,
                           const TpChipAuthInfo       *info,
                           const TpChipAuthPublicKey  *key,
                           gboolean                    confirm,
                           GError                    **error)
{
  g_autoptr(GByteArray) data = g_byte_array_new ();
  g_autoptr(GByteArray) response = g_byte_array_new ();
  g_autoptr(GBytes) public = NULL;
  g_autoptr(GBytes) secret = NULL;
  g_autoptr(TpApdu) apdu = NULL;
  g_autoptr(TpSm) old_sm = NULL;
  g_autoptr(TpSm) new_sm = NULL;
  EVP_PKEY *ephemeral = NULL;
  EVP_PKEY *chip_key;
  gboolean ok = FALSE;

  g_return_val_if_fail (transmit != NULL, FALSE);
  g_return_val_if_fail (sm != NULL && *sm != NULL, FALSE);
  g_return_val_if_fail (info != NULL, FALSE);
  g_return_val_if_fail (key != NULL && key->key != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  old_sm = g_steal_pointer (sm);
  chip_key = key->key;

  if (info->version != 1)
    {
      g_set_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_UNSUPPORTED,
                   "Chip authentication version %d is not supported (only version 1)",
                   info->version);
      goto out;
    }
  if (key_is_ec (chip_key) != info->ecdh)
    {
      g_set_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_UNSUPPORTED,
                   "Chip authentication protocol %s does not fit the DG14 key", info->oid);
      goto out;
    }

  {
    EVP_PKEY_CTX *check = EVP_PKEY_CTX_new_from_pkey (NULL, chip_key, NULL);
    gboolean valid = check != NULL && EVP_PKEY_public_check (check) == 1;

    EVP_PKEY_CTX_free (check);
    ERR_clear_error ();
    if (!valid)
      {
        g_set_error_literal (error, TP_CHIP_ERROR, TP_CHIP_ERROR_PROTOCOL,
                             "The chip authentication public key of DG14 is not a valid key");
        goto out;
      }
  }

  ephemeral = generate_like (chip_key, error);
  if (ephemeral == NULL)
    goto out;
  public = tp_chip_auth_encode_public (ephemeral, error);
  if (public == NULL)
    goto out;

  if (info->cipher == TP_SM_CIPHER_3DES)
    {
      /* MSE:Set KAT */
      tp_tlv_append (data, TAG_KAT_PUBLIC_KEY, g_bytes_get_data (public, NULL),
                     g_bytes_get_size (public));
      append_key_id (data, info->key_id);
      apdu = tp_apdu_new (0x00, INS_MSE, 0x41, 0xA6, data->data, data->len, 0);
      if (!exchange (transmit, user_data, old_sm, apdu, response, "MSE:Set KAT", error))
        goto out;
    }
  else
    {
      g_autoptr(GBytes) oid = tp_oid_encode (info->oid, error);
      g_autoptr(GByteArray) inner = g_byte_array_new ();
      g_autoptr(GError) local_error = NULL;
      TpTlv dyn;

      if (oid == NULL)
        goto out;
      /* MSE:Set AT, then GENERAL AUTHENTICATE */
      tp_tlv_append (data, TAG_PROTOCOL, g_bytes_get_data (oid, NULL), g_bytes_get_size (oid));
      append_key_id (data, info->key_id);
      apdu = tp_apdu_new (0x00, INS_MSE, 0x41, 0xA4, data->data, data->len, 0);
      if (!exchange (transmit, user_data, old_sm, apdu, response, "MSE:Set AT", error))
        goto out;

      tp_tlv_append (inner, TAG_GA_PUBLIC_KEY, g_bytes_get_data (public, NULL),
                     g_bytes_get_size (public));
      g_byte_array_set_size (data, 0);
      tp_tlv_append (data, TAG_DYNAMIC_AUTH_DATA, inner->data, inner->len);
      g_clear_pointer (&apdu, tp_apdu_free);
      apdu = tp_apdu_new (0x00, INS_GENERAL_AUTHENTICATE, 0x00, 0x00, data->data, data->len,
                          TP_APDU_LE_MAX_SHORT);
      if (tp_apdu_is_extended (apdu))
        apdu->le = TP_APDU_LE_MAX_EXTENDED;
      if (!exchange (transmit, user_data, old_sm, apdu, response, "GENERAL AUTHENTICATE", error))
        goto out;
      if (!tp_tlv_unwrap (response->data, response->len, TAG_DYNAMIC_AUTH_DATA, &dyn, &local_error))
        {
          g_set_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_PROTOCOL,
                       "Chip authentication: the answer to GENERAL AUTHENTICATE is not "
                       "dynamic authentication data ('7C'): %s", local_error->message);
          goto out;
        }
      if (dyn.length > 0)
        {
          g_set_error_literal (error, TP_CHIP_ERROR, TP_CHIP_ERROR_UNSUPPORTED,
                               "Chip authentication: the chip answered with a nonce and token "
                               "(chip authentication version 2), which is not supported");
          goto out;
        }
    }

  secret = derive_secret (ephemeral, chip_key, error);
  if (secret == NULL)
    goto out;
  new_sm = tp_sm_new_from_secret (info->cipher, g_bytes_get_data (secret, NULL),
                                  g_bytes_get_size (secret), error);
  if (new_sm == NULL)
    goto out;

  if (confirm)
    {
      g_autoptr(TpApdu) select = tp_apdu_new (0x00, 0xA4, 0x02, 0x0C,
                                              (const guint8 *) "\x01\x1E", 2, 0);
      g_autoptr(GError) local_error = NULL;
      guint16 sw = 0;

      if (!tp_sm_transmit (new_sm, transmit, user_data, select, response, &sw, &local_error) ||
          !tp_sm_last_response_authenticated (new_sm))
        {
          if (local_error != NULL && local_error->code == TP_CHIP_ERROR_COMMUNICATION)
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              goto out;
            }
          g_set_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_AUTHENTICATION,
                       "Chip authentication failed: the chip's first answer under the new keys "
                       "does not verify (%s)",
                       local_error != NULL ? local_error->message : "no MAC");
          goto out;
        }
    }

  *sm = g_steal_pointer (&new_sm);
  ok = TRUE;

out:
  EVP_PKEY_free (ephemeral);
  ERR_clear_error ();
  return ok;
}

/* Chip side */

TpCaChip *
tp_ca_chip_new (EVP_PKEY             *private_key,
                const TpChipAuthInfo *info)
{
  TpCaChip *chip;

  g_return_val_if_fail (private_key != NULL, NULL);
  g_return_val_if_fail (info != NULL, NULL);

  chip = g_new0 (TpCaChip, 1);
  EVP_PKEY_up_ref (private_key);
  chip->key = private_key;
  chip->info = tp_chip_auth_info_copy (info);

  return chip;
}

void
tp_ca_chip_free (TpCaChip *chip)
{
  if (chip == NULL)
    return;
  EVP_PKEY_free (chip->key);
  tp_chip_auth_info_free (chip->info);
  g_free (chip);
}

gboolean
tp_ca_chip_handles (TpCaChip     *chip,
                    const TpApdu *command)
{
  g_return_val_if_fail (chip != NULL, FALSE);
  g_return_val_if_fail (command != NULL, FALSE);

  if (command->ins == INS_MSE)
    return command->p1 == 0x41 && (command->p2 == 0xA6 || command->p2 == 0xA4);
  return command->ins == INS_GENERAL_AUTHENTICATE && chip->at_set;
}

static guint16
chip_agree (TpCaChip      *chip,
            const guint8  *pub,
            gsize          pub_len,
            TpSm         **sm)
{
  g_autoptr(GBytes) secret = NULL;
  EVP_PKEY *peer;

  peer = peer_from_encoded (chip->key, pub, pub_len);
  if (peer == NULL)
    return TP_SW_WRONG_DATA;
  secret = derive_secret (chip->key, peer, NULL);
  EVP_PKEY_free (peer);
  if (secret == NULL)
    return TP_SW_WRONG_DATA;

  *sm = tp_sm_new_from_secret (chip->info->cipher, g_bytes_get_data (secret, NULL),
                               g_bytes_get_size (secret), NULL);
  return *sm != NULL ? TP_SW_OK : TP_SW_UNKNOWN;
}

static gboolean
key_id_matches (TpCaChip     *chip,
                const TpApdu *command)
{
  TpTlv value;
  gint64 key_id;

  /* Absent, or hidden by malformed data: any key */
  if (!tp_tlv_find (command->data->data, command->data->len, TAG_KEY_ID, &value, NULL))
    return TRUE;
  return read_key_id (value.value, value.length, &key_id) && key_id == chip->info->key_id;
}

guint16
tp_ca_chip_process (TpCaChip      *chip,
                    const TpApdu  *command,
                    GByteArray    *response,
                    TpSm         **sm)
{
  const guint8 *data;
  gsize len;
  TpTlv value;

  g_return_val_if_fail (chip != NULL, TP_SW_UNKNOWN);
  g_return_val_if_fail (command != NULL, TP_SW_UNKNOWN);
  g_return_val_if_fail (response != NULL, TP_SW_UNKNOWN);
  g_return_val_if_fail (sm != NULL && *sm == NULL, TP_SW_UNKNOWN);

  data = command->data->data;
  len = command->data->len;

  if (command->ins == INS_MSE && command->p1 == 0x41 && command->p2 == 0xA6)
    {
      chip->at_set = FALSE;
      if (chip->info->cipher != TP_SM_CIPHER_3DES)
        return TP_SW_CONDITIONS_NOT_SATISFIED;
      if (!key_id_matches (chip, command))
        return TP_SW_REFERENCED_DATA_NOT_FOUND;
      if (!tp_tlv_find (data, len, TAG_KAT_PUBLIC_KEY, &value, NULL))
        return TP_SW_WRONG_DATA;
      return chip_agree (chip, value.value, value.length, sm);
    }

  if (command->ins == INS_MSE && command->p1 == 0x41 && command->p2 == 0xA4)
    {
      g_autofree char *oid = NULL;

      chip->at_set = FALSE;
      if (!tp_tlv_find (data, len, TAG_PROTOCOL, &value, NULL) ||
          (oid = tp_oid_decode (value.value, value.length, NULL)) == NULL)
        return TP_SW_WRONG_DATA;
      if (strcmp (oid, chip->info->oid) != 0 || chip->info->cipher == TP_SM_CIPHER_3DES ||
          !key_id_matches (chip, command))
        return TP_SW_REFERENCED_DATA_NOT_FOUND;
      chip->at_set = TRUE;
      return TP_SW_OK;
    }

  if (command->ins == INS_GENERAL_AUTHENTICATE)
    {
      TpTlv dyn;
      guint16 sw;

      if (!chip->at_set)
        return TP_SW_CONDITIONS_NOT_SATISFIED;
      chip->at_set = FALSE;
      if (command->p1 != 0 || command->p2 != 0)
        return TP_SW_WRONG_P1P2;
      if (!tp_tlv_unwrap (data, len, TAG_DYNAMIC_AUTH_DATA, &dyn, NULL) ||
          !tp_tlv_find (dyn.value, dyn.length, TAG_GA_PUBLIC_KEY, &value, NULL))
        return TP_SW_WRONG_DATA;
      sw = chip_agree (chip, value.value, value.length, sm);
      if (sw == TP_SW_OK)
        tp_tlv_append (response, TAG_DYNAMIC_AUTH_DATA, NULL, 0);
      return sw;
    }

  return TP_SW_INS_NOT_SUPPORTED;
}
