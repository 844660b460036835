/* tp-pace.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>

#include <eac/eac.h>
#include <eac/objects.h>
#include <eac/pace.h>

#include "tp-chip-error.h"
#include "tp-pace.h"
#include "tp-security-infos.h"
#include "tp-tlv.h"

#define INS_MSE                  0x22
#define INS_GENERAL_AUTHENTICATE 0x86
#define CLA_CHAINING             0x10

#define TAG_DYNAMIC_AUTH_DATA    0x7C
#define TAG_PROTOCOL             0x80
#define TAG_PASSWORD_REF         0x83
#define TAG_PARAMETER_ID         0x84

/* Dynamic authentication data objects (ICAO 9303-11 §4.4.4.2) */
#define TAG_ENCRYPTED_NONCE      0x80
#define TAG_MAPPING_PCD          0x81
#define TAG_MAPPING_IC           0x82
#define TAG_EPHEMERAL_PCD        0x83
#define TAG_EPHEMERAL_IC         0x84
#define TAG_TOKEN_PCD            0x85
#define TAG_TOKEN_IC             0x86

typedef enum {
  CHIP_IDLE,
  CHIP_SET,        /* after MSE:Set AT */
  CHIP_NONCE,      /* encrypted nonce sent */
  CHIP_MAPPED,     /* generator mapped */
  CHIP_AGREED,     /* shared secret and keys derived */
} ChipState;

struct _TpPaceChip {
  guint8      mrz_secret[20];
  gboolean    has_mrz;
  char       *can;
  GPtrArray  *infos;

  ChipState   state;
  TpPaceInfo *current;
  EAC_CTX    *ctx;
  PACE_SEC   *sec;
  BUF_MEM    *terminal_ephemeral;
};

static void
ensure_eac (void)
{
  static gsize once = 0;

  if (g_once_init_enter (&once))
    {
      EAC_init ();
      g_once_init_leave (&once, 1);
    }
}

static BUF_MEM *
buf_new (const guint8 *data,
         gsize         len)
{
  BUF_MEM *buf = BUF_MEM_new ();

  if (buf == NULL)
    return NULL;
  if (len > 0)
    {
      if (BUF_MEM_grow (buf, len) == 0)
        {
          BUF_MEM_free (buf);
          return NULL;
        }
      memcpy (buf->data, data, len);
    }
  buf->length = len;

  return buf;
}

static void
buf_free (BUF_MEM *buf)
{
  if (buf != NULL)
    BUF_MEM_clear_free (buf);
}

gboolean
tp_pace_info_is_supported (const TpPaceInfo *info)
{
  gint id;

  g_return_val_if_fail (info != NULL, FALSE);

  id = info->parameter_id;
  if (info->mapping == TP_PACE_MAPPING_CAM)
    return FALSE;
  if (info->ecdh ? (id < 8 || id > 18) : (id < 0 || id > 2))
    return FALSE;
  /* OpenPACE maps with Icart's encoding, defined for p = 2 mod 3 only */
  if (info->mapping == TP_PACE_MAPPING_IM && info->ecdh &&
      id != 8 && id != 13 && id != 14 && id != 15 && id != 17)
    return FALSE;

  ensure_eac ();
  return EAC_OBJ_txt2nid (info->oid) != NID_undef;
}

GPtrArray *
tp_pace_parse_card_access (const guint8  *data,
                           gsize          len,
                           GError       **error)
{
  g_autoptr(TpSecurityInfos) infos = NULL;

  g_return_val_if_fail (data != NULL || len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  infos = tp_security_infos_parse (data, len, error);
  if (infos == NULL)
    return NULL;

  return g_ptr_array_ref (infos->pace_infos);
}

GBytes *
tp_pace_encode_card_access (GPtrArray *infos)
{
  g_autoptr(TpSecurityInfos) all = tp_security_infos_new ();

  g_return_val_if_fail (infos != NULL, NULL);

  for (guint i = 0; i < infos->len; i++)
    g_ptr_array_add (all->pace_infos, tp_pace_info_copy (g_ptr_array_index (infos, i)));

  return tp_security_infos_encode (all, NULL);
}

static gint
rank (const TpPaceInfo *info)
{
  return (info->mapping == TP_PACE_MAPPING_GM ? 100 : 0) +
         (info->cipher == TP_SM_CIPHER_3DES ? 0 : 10 * (gint) info->cipher) +
         (info->ecdh ? 1 : 0);
}

const TpPaceInfo *
tp_pace_choose (GPtrArray *infos)
{
  const TpPaceInfo *best = NULL;

  g_return_val_if_fail (infos != NULL, NULL);

  for (guint i = 0; i < infos->len; i++)
    {
      const TpPaceInfo *info = g_ptr_array_index (infos, i);

      if (tp_pace_info_is_supported (info) && (best == NULL || rank (info) > rank (best)))
        best = info;
    }

  return best;
}

/* An OpenPACE context for @info. OpenPACE refuses IM in its TR-03110
 * v2.02 mode; the mode only matters at set-up and for the token, which
 * must be the v2.02 one (over the public key data object), so the
 * context is set up in v2.01 mode and switched afterwards. */
static EAC_CTX *
new_context (const TpPaceInfo  *info,
             GError           **error)
{
  EAC_CTX *ctx;
  int nid;

  ensure_eac ();

  if (!tp_pace_info_is_supported (info))
    {
      g_autofree char *what = tp_pace_info_describe (info);

      g_set_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_UNSUPPORTED,
                   "PACE %s is not supported", what);
      return NULL;
    }

  nid = EAC_OBJ_txt2nid (info->oid);
  ctx = EAC_CTX_new ();
  if (ctx == NULL)
    {
      tp_chip_set_crypto_error (error, "Setting up PACE");
      return NULL;
    }
  if (info->mapping == TP_PACE_MAPPING_IM)
    ctx->tr_version = EAC_TR_VERSION_2_01;
  if (EAC_CTX_init_pace (ctx, nid, info->parameter_id) != 1)
    {
      EAC_CTX_clear_free (ctx);
      tp_chip_set_crypto_error (error, "Setting up PACE domain parameters");
      return NULL;
    }
  ctx->tr_version = EAC_TR_VERSION_2_02;

  return ctx;
}

/* f(π): SHA-1 of the MRZ information, or the CAN as it is */
static PACE_SEC *
new_secret (TpPacePassword   type,
            const char      *password,
            GError         **error)
{
  PACE_SEC *sec;

  if (password == NULL || password[0] == '\0')
    {
      g_set_error_literal (error, TP_CHIP_ERROR, TP_CHIP_ERROR_INVALID_ARGUMENT,
                           type == TP_PACE_PASSWORD_CAN ? "The CAN is empty"
                                                        : "The MRZ information is empty");
      return NULL;
    }

  if (type == TP_PACE_PASSWORD_MRZ)
    {
      guint8 digest[EVP_MAX_MD_SIZE];
      unsigned int digest_len = 0;

      if (strlen (password) < 24)
        {
          g_set_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_INVALID_ARGUMENT,
                       "The MRZ information has %" G_GSIZE_FORMAT " characters; expected at least 24",
                       strlen (password));
          return NULL;
        }
      if (EVP_Digest (password, strlen (password), digest, &digest_len, EVP_sha1 (), NULL) != 1)
        {
          tp_chip_set_crypto_error (error, "SHA-1 of the MRZ information");
          return NULL;
        }
      sec = PACE_SEC_new ((const char *) digest, digest_len, PACE_RAW);
      OPENSSL_cleanse (digest, sizeof digest);
    }
  else
    {
      for (const char *c = password; *c != '\0'; c++)
        if (!g_ascii_isdigit (*c))
          {
            g_set_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_INVALID_ARGUMENT,
                         "The CAN “%s” has “%c”; expected digits only", password, *c);
            return NULL;
          }
      sec = PACE_SEC_new (password, strlen (password), PACE_RAW);
    }

  if (sec == NULL)
    tp_chip_set_crypto_error (error, "Encoding the PACE password");
  return sec;
}

static TpSm *
session_from_context (EAC_CTX     *ctx,
                      TpSmCipher   cipher,
                      GError     **error)
{
  KA_CTX *ka = ctx->pace_ctx->ka_ctx;
  gsize key_len = tp_sm_cipher_key_length (cipher);

  if (ka == NULL || ka->k_enc == NULL || ka->k_mac == NULL ||
      ka->k_enc->length != key_len || ka->k_mac->length != key_len)
    {
      g_set_error_literal (error, TP_CHIP_ERROR, TP_CHIP_ERROR_CRYPTO,
                           "PACE derived no session keys of the expected length");
      return NULL;
    }

  return tp_sm_new (cipher, (const guint8 *) ka->k_enc->data,
                    (const guint8 *) ka->k_mac->data, NULL);
}

static gboolean
buf_equal (const BUF_MEM *a,
           const guint8  *b,
           gsize          b_len)
{
  return a != NULL && a->length == b_len && memcmp (a->data, b, b_len) == 0;
}

static gboolean
is_refusal (guint16 sw)
{
  return TP_SW1 (sw) == 0x63 ||
         sw == TP_SW_SECURITY_NOT_SATISFIED ||
         sw == TP_SW_SM_OBJECTS_INCORRECT;
}

/* One GENERAL AUTHENTICATE step: sends 7C{in_tag: in} and returns the
 * value of out_tag in the answer's 7C (out_tag 0: nothing expected). */
static gboolean
general_authenticate (TpApduTransmitFunc   transmit,
                      gpointer             user_data,
                      guint                step,
                      guint                in_tag,
                      const BUF_MEM       *in,
                      guint                out_tag,
                      GByteArray          *out,
                      GError             **error)
{
  g_autoptr(GByteArray) inner = g_byte_array_new ();
  g_autoptr(GByteArray) data = g_byte_array_new ();
  g_autoptr(GByteArray) response = g_byte_array_new ();
  g_autoptr(TpApdu) apdu = NULL;
  g_autoptr(GError) local_error = NULL;
  TpTlv dyn;
  TpTlv value;
  guint16 sw = 0;
  gboolean last = step == 4;

  if (in_tag != 0)
    tp_tlv_append (inner, in_tag, (const guint8 *) in->data, in->length);
  tp_tlv_append (data, TAG_DYNAMIC_AUTH_DATA, inner->data, inner->len);

  apdu = tp_apdu_new (last ? 0x00 : CLA_CHAINING, INS_GENERAL_AUTHENTICATE, 0x00, 0x00,
                      data->data, data->len, TP_APDU_LE_MAX_SHORT);
  /* DH 2048 keys do not fit short APDUs either way */
  if (tp_apdu_is_extended (apdu) || (in != NULL && in->length > 200))
    apdu->le = TP_APDU_LE_MAX_EXTENDED;

  if (!tp_apdu_transmit (transmit, user_data, apdu, response, &sw, error))
    return FALSE;

  if (last && is_refusal (sw))
    {
      g_set_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_ACCESS_DENIED,
                   "The chip refused the PACE password (status %04X): check the MRZ data or the CAN",
                   sw);
      return FALSE;
    }
  if (sw != TP_SW_OK)
    {
      tp_chip_set_status_error (error, sw, "PACE GENERAL AUTHENTICATE step %u", step);
      return FALSE;
    }

  /* Exactly one '7C', nothing around it; padding may separate the
   * objects inside (ISO/IEC 7816-4) */
  if (!tp_tlv_unwrap (response->data, response->len, TAG_DYNAMIC_AUTH_DATA, &dyn, &local_error))
    {
      g_set_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_PROTOCOL,
                   "PACE GENERAL AUTHENTICATE step %u: the answer is not dynamic "
                   "authentication data ('7C'): %s", step, local_error->message);
      return FALSE;
    }

  g_byte_array_set_size (out, 0);
  if (out_tag == 0)
    return TRUE;
  if (!tp_tlv_find (dyn.value, dyn.length, out_tag, &value, &local_error))
    {
      if (local_error != NULL)
        g_set_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_PROTOCOL,
                     "PACE GENERAL AUTHENTICATE step %u: the dynamic authentication data "
                     "is malformed before data object '%02X': %s",
                     step, out_tag, local_error->message);
      else
        g_set_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_PROTOCOL,
                     "PACE GENERAL AUTHENTICATE step %u: the answer has no data object '%02X'",
                     step, out_tag);
      return FALSE;
    }
  if (value.length == 0)
    {
      g_set_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_PROTOCOL,
                   "PACE GENERAL AUTHENTICATE step %u: data object '%02X' of the answer is empty",
                   step, out_tag);
      return FALSE;
    }
  g_byte_array_append (out, value.value, value.length);

  return TRUE;
}

gboolean
tp_pace_authenticate (TpApduTransmitFunc   transmit,
                      gpointer             user_data,
                      const TpPaceInfo    *info,
                      gboolean             send_parameter_id,
                      TpPacePassword       password_type,
                      const char          *password,
                      TpSm               **sm,
                      GError             **error)
{
  g_autoptr(GByteArray) mse_data = g_byte_array_new ();
  g_autoptr(GByteArray) answer = g_byte_array_new ();
  g_autoptr(GBytes) oid = NULL;
  g_autoptr(TpApdu) mse = NULL;
  EAC_CTX *ctx = NULL;
  PACE_SEC *sec = NULL;
  BUF_MEM *received = NULL;
  BUF_MEM *mapping = NULL;
  BUF_MEM *ephemeral = NULL;
  BUF_MEM *chip_ephemeral = NULL;
  BUF_MEM *token = NULL;
  gboolean ok = FALSE;
  guint16 sw = 0;
  guint8 ref;
  guint8 param;

  g_return_val_if_fail (transmit != NULL, FALSE);
  g_return_val_if_fail (info != NULL, FALSE);
  g_return_val_if_fail (password_type == TP_PACE_PASSWORD_MRZ ||
                        password_type == TP_PACE_PASSWORD_CAN, FALSE);
  g_return_val_if_fail (sm != NULL && *sm == NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  sec = new_secret (password_type, password, error);
  if (sec == NULL)
    return FALSE;
  ctx = new_context (info, error);
  if (ctx == NULL)
    goto out;

  /* MSE:Set AT */
  oid = tp_oid_encode (info->oid, error);
  if (oid == NULL)
    goto out;
  tp_tlv_append (mse_data, TAG_PROTOCOL, g_bytes_get_data (oid, NULL), g_bytes_get_size (oid));
  ref = password_type;
  tp_tlv_append (mse_data, TAG_PASSWORD_REF, &ref, 1);
  if (send_parameter_id)
    {
      param = info->parameter_id;
      tp_tlv_append (mse_data, TAG_PARAMETER_ID, &param, 1);
    }
  mse = tp_apdu_new (0x00, INS_MSE, 0xC1, 0xA4, mse_data->data, mse_data->len, 0);
  if (!tp_apdu_transmit (transmit, user_data, mse, NULL, &sw, error))
    goto out;
  if (sw != TP_SW_OK && TP_SW1 (sw) != 0x63)     /* 63Cx: retry counter, PIN only */
    {
      g_autofree char *what = tp_pace_info_describe (info);
      tp_chip_set_status_error (error, sw, "PACE MSE:Set AT for %s", what);
      goto out;
    }

  /* 1: encrypted nonce */
  if (!general_authenticate (transmit, user_data, 1, 0, NULL, TAG_ENCRYPTED_NONCE, answer, error))
    goto out;
  received = buf_new (answer->data, answer->len);
  if (PACE_STEP2_dec_nonce (ctx, sec, received) != 1)
    {
      g_set_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_PROTOCOL,
                   "PACE: the encrypted nonce of %u bytes cannot be decrypted", answer->len);
      goto out;
    }
  g_clear_pointer (&received, buf_free);

  /* 2: mapping */
  mapping = PACE_STEP3A_generate_mapping_data (ctx);
  if (mapping == NULL)
    {
      tp_chip_set_crypto_error (error, "PACE mapping data");
      goto out;
    }
  if (info->mapping == TP_PACE_MAPPING_GM)
    {
      if (!general_authenticate (transmit, user_data, 2, TAG_MAPPING_PCD, mapping,
                                 TAG_MAPPING_IC, answer, error))
        goto out;
      if (buf_equal (mapping, answer->data, answer->len))
        {
          g_set_error_literal (error, TP_CHIP_ERROR, TP_CHIP_ERROR_PROTOCOL,
                               "PACE: the chip returned the terminal's own mapping key");
          goto out;
        }
      received = buf_new (answer->data, answer->len);
    }
  else
    {
      if (!general_authenticate (transmit, user_data, 2, TAG_MAPPING_PCD, mapping,
                                 0, answer, error))
        goto out;
      received = buf_new ((const guint8 *) mapping->data, mapping->length);
    }
  if (PACE_STEP3A_map_generator (ctx, received) != 1)
    {
      g_set_error_literal (error, TP_CHIP_ERROR, TP_CHIP_ERROR_PROTOCOL,
                           "PACE: the chip's mapping data is not a valid public key");
      goto out;
    }
  g_clear_pointer (&received, buf_free);

  /* 3: key agreement */
  ephemeral = PACE_STEP3B_generate_ephemeral_key (ctx);
  if (ephemeral == NULL)
    {
      tp_chip_set_crypto_error (error, "PACE ephemeral key");
      goto out;
    }
  if (!general_authenticate (transmit, user_data, 3, TAG_EPHEMERAL_PCD, ephemeral,
                             TAG_EPHEMERAL_IC, answer, error))
    goto out;
  if (buf_equal (ephemeral, answer->data, answer->len))
    {
      g_set_error_literal (error, TP_CHIP_ERROR, TP_CHIP_ERROR_PROTOCOL,
                           "PACE: the chip's ephemeral key equals the terminal's");
      goto out;
    }
  chip_ephemeral = buf_new (answer->data, answer->len);
  if (PACE_STEP3B_compute_shared_secret (ctx, chip_ephemeral) != 1)
    {
      g_set_error_literal (error, TP_CHIP_ERROR, TP_CHIP_ERROR_PROTOCOL,
                           "PACE: the chip's ephemeral key is not a valid public key");
      goto out;
    }
  if (PACE_STEP3C_derive_keys (ctx) != 1)
    {
      tp_chip_set_crypto_error (error, "PACE key derivation");
      goto out;
    }

  /* 4: mutual authentication */
  token = PACE_STEP3D_compute_authentication_token (ctx, chip_ephemeral);
  if (token == NULL)
    {
      tp_chip_set_crypto_error (error, "PACE authentication token");
      goto out;
    }
  if (!general_authenticate (transmit, user_data, 4, TAG_TOKEN_PCD, token,
                             TAG_TOKEN_IC, answer, error))
    goto out;
  received = buf_new (answer->data, answer->len);
  if (PACE_STEP3D_verify_authentication_token (ctx, received) != 1)
    {
      g_set_error_literal (error, TP_CHIP_ERROR, TP_CHIP_ERROR_PROTOCOL,
                           "PACE: the chip's authentication token does not verify");
      goto out;
    }

  *sm = session_from_context (ctx, info->cipher, error);
  ok = *sm != NULL;

out:
  buf_free (received);
  buf_free (mapping);
  buf_free (ephemeral);
  buf_free (chip_ephemeral);
  buf_free (token);
  PACE_SEC_clear_free (sec);
  if (ctx != NULL)
    EAC_CTX_clear_free (ctx);
  ERR_clear_error ();
  return ok;
}

/* Chip side */

TpPaceChip *
tp_pace_chip_new (const char *mrz_info,
                  const char *can)
{
  TpPaceChip *chip = g_new0 (TpPaceChip, 1);

  if (mrz_info != NULL)
    {
      chip->has_mrz = EVP_Digest (mrz_info, strlen (mrz_info), chip->mrz_secret,
                                  NULL, EVP_sha1 (), NULL) == 1;
    }
  chip->can = g_strdup (can);
  chip->infos = g_ptr_array_new_with_free_func ((GDestroyNotify) tp_pace_info_free);

  return chip;
}

static void
chip_reset (TpPaceChip *chip)
{
  chip->state = CHIP_IDLE;
  chip->current = NULL;
  if (chip->ctx != NULL)
    EAC_CTX_clear_free (chip->ctx);
  chip->ctx = NULL;
  PACE_SEC_clear_free (chip->sec);
  chip->sec = NULL;
  g_clear_pointer (&chip->terminal_ephemeral, buf_free);
  ERR_clear_error ();
}

void
tp_pace_chip_free (TpPaceChip *chip)
{
  if (chip == NULL)
    return;

  chip_reset (chip);
  OPENSSL_cleanse (chip->mrz_secret, sizeof chip->mrz_secret);
  if (chip->can != NULL)
    OPENSSL_cleanse (chip->can, strlen (chip->can));
  g_free (chip->can);
  g_ptr_array_unref (chip->infos);
  g_free (chip);
}

void
tp_pace_chip_add_info (TpPaceChip       *chip,
                       const TpPaceInfo *info)
{
  g_return_if_fail (chip != NULL);
  g_return_if_fail (info != NULL);

  g_ptr_array_add (chip->infos, tp_pace_info_copy (info));
}

gboolean
tp_pace_chip_handles (TpPaceChip   *chip,
                      const TpApdu *command)
{
  g_return_val_if_fail (chip != NULL, FALSE);
  g_return_val_if_fail (command != NULL, FALSE);

  if (command->ins == INS_MSE)
    return command->p1 == 0xC1 && command->p2 == 0xA4;
  return command->ins == INS_GENERAL_AUTHENTICATE && chip->state != CHIP_IDLE;
}

static guint16
chip_set_at (TpPaceChip    *chip,
             const TpApdu  *command)
{
  const guint8 *data = command->data->data;
  gsize len = command->data->len;
  TpTlv value;
  g_autofree char *oid = NULL;
  gint parameter_id = -1;
  guint8 ref;

  chip_reset (chip);

  /* Malformed data before an object counts as its absence (6A80 for a
   * required one) */
  if (!tp_tlv_find (data, len, TAG_PROTOCOL, &value, NULL))
    return TP_SW_WRONG_DATA;
  oid = tp_oid_decode (value.value, value.length, NULL);
  if (oid == NULL)
    return TP_SW_WRONG_DATA;
  if (!tp_tlv_find (data, len, TAG_PASSWORD_REF, &value, NULL) || value.length != 1)
    return TP_SW_WRONG_DATA;
  ref = value.value[0];
  if (tp_tlv_find (data, len, TAG_PARAMETER_ID, &value, NULL))
    {
      if (value.length != 1)
        return TP_SW_WRONG_DATA;
      parameter_id = value.value[0];
    }

  for (guint i = 0; i < chip->infos->len; i++)
    {
      TpPaceInfo *info = g_ptr_array_index (chip->infos, i);

      if (g_strcmp0 (info->oid, oid) == 0 &&
          (parameter_id < 0 || parameter_id == info->parameter_id))
        {
          chip->current = info;
          break;
        }
    }
  if (chip->current == NULL)
    return TP_SW_REFERENCED_DATA_NOT_FOUND;

  if (ref == TP_PACE_PASSWORD_MRZ && chip->has_mrz)
    chip->sec = PACE_SEC_new ((const char *) chip->mrz_secret, sizeof chip->mrz_secret, PACE_RAW);
  else if (ref == TP_PACE_PASSWORD_CAN && chip->can != NULL)
    chip->sec = PACE_SEC_new (chip->can, strlen (chip->can), PACE_RAW);
  else
    {
      chip->current = NULL;
      return TP_SW_REFERENCED_DATA_NOT_FOUND;
    }

  chip->ctx = new_context (chip->current, NULL);
  if (chip->sec == NULL || chip->ctx == NULL)
    {
      chip_reset (chip);
      return TP_SW_UNKNOWN;
    }

  chip->state = CHIP_SET;
  return TP_SW_OK;
}

static void
append_dynamic (GByteArray    *response,
                guint          tag,
                const BUF_MEM *value)
{
  g_autoptr(GByteArray) inner = g_byte_array_new ();

  if (tag != 0)
    tp_tlv_append (inner, tag, (const guint8 *) value->data, value->length);
  tp_tlv_append (response, TAG_DYNAMIC_AUTH_DATA, inner->data, inner->len);
}

static guint16
chip_general_authenticate (TpPaceChip    *chip,
                           const TpApdu  *command,
                           GByteArray    *response,
                           TpSm         **sm)
{
  TpTlv dyn;
  TpTlv value;
  gboolean chained = (command->cla & CLA_CHAINING) != 0;
  BUF_MEM *in = NULL;
  BUF_MEM *out = NULL;
  guint16 sw = TP_SW_WRONG_DATA;

  if (command->p1 != 0 || command->p2 != 0)
    {
      chip_reset (chip);
      return TP_SW_WRONG_P1P2;
    }
  if (!tp_tlv_unwrap (command->data->data, command->data->len, TAG_DYNAMIC_AUTH_DATA, &dyn, NULL))
    goto fail;
  /* The first three steps are chained, the last one closes the chain */
  if (chained != (chip->state != CHIP_AGREED))
    {
      sw = TP_SW_CONDITIONS_NOT_SATISFIED;
      goto fail;
    }

  switch (chip->state)
    {
    case CHIP_SET:
      if (dyn.length != 0)
        goto fail;
      out = PACE_STEP1_enc_nonce (chip->ctx, chip->sec);
      if (out == NULL)
        {
          sw = TP_SW_UNKNOWN;
          goto fail;
        }
      append_dynamic (response, TAG_ENCRYPTED_NONCE, out);
      chip->state = CHIP_NONCE;
      break;

    case CHIP_NONCE:
      if (!tp_tlv_find (dyn.value, dyn.length, TAG_MAPPING_PCD, &value, NULL) || value.length == 0)
        goto fail;
      in = buf_new (value.value, value.length);
      if (chip->current->mapping == TP_PACE_MAPPING_GM)
        {
          out = PACE_STEP3A_generate_mapping_data (chip->ctx);
          if (out == NULL)
            {
              sw = TP_SW_UNKNOWN;
              goto fail;
            }
          if (buf_equal (out, value.value, value.length) ||
              PACE_STEP3A_map_generator (chip->ctx, in) != 1)
            goto fail;
          append_dynamic (response, TAG_MAPPING_IC, out);
        }
      else
        {
          if (PACE_STEP3A_map_generator (chip->ctx, in) != 1)
            goto fail;
          append_dynamic (response, 0, NULL);
        }
      chip->state = CHIP_MAPPED;
      break;

    case CHIP_MAPPED:
      if (!tp_tlv_find (dyn.value, dyn.length, TAG_EPHEMERAL_PCD, &value, NULL) || value.length == 0)
        goto fail;
      chip->terminal_ephemeral = buf_new (value.value, value.length);
      out = PACE_STEP3B_generate_ephemeral_key (chip->ctx);
      if (out == NULL)
        {
          sw = TP_SW_UNKNOWN;
          goto fail;
        }
      if (buf_equal (out, value.value, value.length) ||
          PACE_STEP3B_compute_shared_secret (chip->ctx, chip->terminal_ephemeral) != 1 ||
          PACE_STEP3C_derive_keys (chip->ctx) != 1)
        goto fail;
      append_dynamic (response, TAG_EPHEMERAL_IC, out);
      chip->state = CHIP_AGREED;
      break;

    case CHIP_AGREED:
      if (!tp_tlv_find (dyn.value, dyn.length, TAG_TOKEN_PCD, &value, NULL) || value.length == 0)
        goto fail;
      in = buf_new (value.value, value.length);
      if (PACE_STEP3D_verify_authentication_token (chip->ctx, in) != 1)
        {
          sw = TP_SW_AUTHENTICATION_FAILED;
          goto fail;
        }
      out = PACE_STEP3D_compute_authentication_token (chip->ctx, chip->terminal_ephemeral);
      if (out == NULL)
        {
          sw = TP_SW_UNKNOWN;
          goto fail;
        }
      *sm = session_from_context (chip->ctx, chip->current->cipher, NULL);
      if (*sm == NULL)
        {
          sw = TP_SW_UNKNOWN;
          goto fail;
        }
      append_dynamic (response, TAG_TOKEN_IC, out);
      chip_reset (chip);
      break;

    case CHIP_IDLE:
    default:
      sw = TP_SW_CONDITIONS_NOT_SATISFIED;
      goto fail;
    }

  buf_free (in);
  buf_free (out);
  ERR_clear_error ();
  return TP_SW_OK;

fail:
  buf_free (in);
  buf_free (out);
  chip_reset (chip);
  return sw;
}

guint16
tp_pace_chip_process (TpPaceChip    *chip,
                      const TpApdu  *command,
                      GByteArray    *response,
                      TpSm         **sm)
{
  g_return_val_if_fail (chip != NULL, TP_SW_UNKNOWN);
  g_return_val_if_fail (command != NULL, TP_SW_UNKNOWN);
  g_return_val_if_fail (response != NULL, TP_SW_UNKNOWN);
  g_return_val_if_fail (sm != NULL && *sm == NULL, TP_SW_UNKNOWN);

  if (command->ins == INS_MSE)
    {
      if (command->p1 != 0xC1 || command->p2 != 0xA4)
        return TP_SW_WRONG_P1P2;
      return chip_set_at (chip, command);
    }
  if (command->ins == INS_GENERAL_AUTHENTICATE)
    {
      gsize start = response->len;
      guint16 sw;

      if (chip->state == CHIP_IDLE)
        return TP_SW_CONDITIONS_NOT_SATISFIED;
      sw = chip_general_authenticate (chip, command, response, sm);
      if (sw != TP_SW_OK)
        g_byte_array_set_size (response, start);
      return sw;
    }

  return TP_SW_INS_NOT_SUPPORTED;
}
