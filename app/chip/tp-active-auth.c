/* tp-active-auth.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "tp-active-auth.h"
#include "tp-chip-error.h"
#include "tp-tlv.h"

#define DG15_TAG                      0x6F
#define INS_INTERNAL_AUTHENTICATE     0x88
#define ISO9796_TRAILER_IMPLICIT      0xBC
#define ISO9796_TRAILER_EXPLICIT      0xCC
#define ISO9796_HEADER_PARTIAL        0x6A

/* Largest signature that still fits a short protected response:
 * DO'87' (3 + 1 + padded data) + DO'99' (4) + DO'8E' (10) <= 256 */
#define MAX_SHORT_SM_SIGNATURE        223

static const struct {
  const char *digest;
  guint8      hash_id;     /* ISO/IEC 10118-3 identifier */
} iso9796_hashes[] = {
  { "SHA1", 0x33 },
  { "SHA224", 0x38 },
  { "SHA256", 0x34 },
  { "SHA384", 0x36 },
  { "SHA512", 0x35 },
};

static const struct {
  const char *oid;
  const char *digest;
} signature_oids[] = {
  /* BSI TR-03111 ecdsa-plain-signatures */
  { "0.4.0.127.0.7.1.1.4.1.1", "SHA1" },
  { "0.4.0.127.0.7.1.1.4.1.2", "SHA224" },
  { "0.4.0.127.0.7.1.1.4.1.3", "SHA256" },
  { "0.4.0.127.0.7.1.1.4.1.4", "SHA384" },
  { "0.4.0.127.0.7.1.1.4.1.5", "SHA512" },
  /* ANSI X9.62 */
  { "1.2.840.10045.4.1", "SHA1" },
  { "1.2.840.10045.4.3.1", "SHA224" },
  { "1.2.840.10045.4.3.2", "SHA256" },
  { "1.2.840.10045.4.3.3", "SHA384" },
  { "1.2.840.10045.4.3.4", "SHA512" },
};

const char *
tp_active_auth_digest_for_oid (const char *oid)
{
  g_return_val_if_fail (oid != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (signature_oids); i++)
    if (strcmp (signature_oids[i].oid, oid) == 0)
      return signature_oids[i].digest;
  return NULL;
}

static const char *
digest_for_hash_id (guint8 id)
{
  for (guint i = 0; i < G_N_ELEMENTS (iso9796_hashes); i++)
    if (iso9796_hashes[i].hash_id == id)
      return iso9796_hashes[i].digest;
  return NULL;
}

static gint
hash_id_for_digest (const char *digest)
{
  for (guint i = 0; i < G_N_ELEMENTS (iso9796_hashes); i++)
    if (g_ascii_strcasecmp (iso9796_hashes[i].digest, digest) == 0)
      return iso9796_hashes[i].hash_id;
  return -1;
}

EVP_PKEY *
tp_active_auth_parse_dg15 (const guint8  *data,
                           gsize          len,
                           GError       **error)
{
  const guint8 *spki = data;
  gsize spki_len = len;
  const unsigned char *p;
  EVP_PKEY *key;

  g_return_val_if_fail (data != NULL || len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (len > 0 && data[0] == DG15_TAG)
    {
      g_autoptr(GError) local_error = NULL;
      TpTlv dg15;

      if (!tp_tlv_unwrap (data, len, DG15_TAG, &dg15, &local_error))
        {
          g_set_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_PROTOCOL,
                       "DG15: the '6F' wrapper is malformed or its length is wrong (%s)",
                       local_error->message);
          return NULL;
        }
      spki = dg15.value;
      spki_len = dg15.length;
    }

  p = spki;
  key = d2i_PUBKEY (NULL, &p, spki_len);
  if (key == NULL || p != spki + spki_len)
    {
      EVP_PKEY_free (key);
      ERR_clear_error ();
      g_set_error_literal (error, TP_CHIP_ERROR, TP_CHIP_ERROR_PROTOCOL,
                           "DG15 does not hold a well-formed SubjectPublicKeyInfo");
      return NULL;
    }
  if (!EVP_PKEY_is_a (key, "RSA") && !EVP_PKEY_is_a (key, "EC"))
    {
      g_set_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_UNSUPPORTED,
                   "DG15 holds a %s key; active authentication takes RSA or EC",
                   EVP_PKEY_get0_type_name (key));
      EVP_PKEY_free (key);
      return NULL;
    }

  return key;
}

GBytes *
tp_active_auth_encode_dg15 (EVP_PKEY  *key,
                            GError   **error)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  unsigned char *spki = NULL;
  int len;

  g_return_val_if_fail (key != NULL, NULL);

  len = i2d_PUBKEY (key, &spki);
  if (len <= 0)
    {
      tp_chip_set_crypto_error (error, "Encoding the active authentication key");
      return NULL;
    }
  tp_tlv_append (out, DG15_TAG, spki, len);
  OPENSSL_free (spki);

  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

static gboolean
digest_of (const char    *digest,
           const guint8  *a,
           gsize          a_len,
           const guint8  *b,
           gsize          b_len,
           guint8        *out,
           guint         *out_len)
{
  EVP_MD *md = EVP_MD_fetch (NULL, digest, NULL);
  EVP_MD_CTX *ctx = EVP_MD_CTX_new ();
  gboolean ok;

  ok = md != NULL && ctx != NULL &&
       EVP_DigestInit_ex (ctx, md, NULL) == 1 &&
       EVP_DigestUpdate (ctx, a, a_len) == 1 &&
       (b_len == 0 || EVP_DigestUpdate (ctx, b, b_len) == 1) &&
       EVP_DigestFinal_ex (ctx, out, out_len) == 1;
  EVP_MD_CTX_free (ctx);
  EVP_MD_free (md);

  return ok;
}

static gboolean
auth_failed (GError     **error,
             const char  *why)
{
  g_set_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_AUTHENTICATION,
               "Active authentication failed: %s", why);
  return FALSE;
}

/* ISO/IEC 9796-2 scheme 1: recover F = sig^e mod n and check it */
static gboolean
verify_rsa (EVP_PKEY      *key,
            const guint8  *challenge,
            gsize          challenge_len,
            const guint8  *signature,
            gsize          signature_len,
            GError       **error)
{
  g_autofree guint8 *f = NULL;
  EVP_PKEY_CTX *ctx;
  const char *digest;
  guint8 h[EVP_MAX_MD_SIZE];
  guint h_len = 0;
  gsize k = EVP_PKEY_get_size (key);
  gsize f_len = k;
  gsize t;
  gsize start;
  gsize hash_at;
  gboolean ok;

  if (signature_len == 0 || signature_len > k)
    return auth_failed (error, "the RSA signature does not have the modulus length");

  f = g_malloc0 (k);
  ctx = EVP_PKEY_CTX_new_from_pkey (NULL, key, NULL);
  ok = ctx != NULL &&
       EVP_PKEY_verify_recover_init (ctx) == 1 &&
       EVP_PKEY_CTX_set_rsa_padding (ctx, RSA_NO_PADDING) == 1 &&
       EVP_PKEY_verify_recover (ctx, f, &f_len, signature, signature_len) == 1;
  EVP_PKEY_CTX_free (ctx);
  ERR_clear_error ();
  if (!ok)
    return auth_failed (error, "the RSA signature is not a number below the modulus");
  if (f_len < k)
    {
      memmove (f + (k - f_len), f, f_len);
      memset (f, 0, k - f_len);
    }

  /* Trailer */
  if (f[k - 1] == ISO9796_TRAILER_IMPLICIT)
    {
      t = 1;
      digest = "SHA1";
    }
  else if (f[k - 1] == ISO9796_TRAILER_EXPLICIT && k >= 2)
    {
      t = 2;
      digest = digest_for_hash_id (f[k - 2]);
      if (digest == NULL)
        return auth_failed (error, "the ISO/IEC 9796-2 trailer names an unknown hash function");
    }
  else
    return auth_failed (error, "the recovered message has no ISO/IEC 9796-2 trailer "
                               "(wrong key or forged signature)");

  h_len = EVP_MD_get_size (EVP_get_digestbyname (digest));
  if (k < 2 + t + h_len)
    return auth_failed (error, "the RSA key is too short for the signature format");

  /* Header: '01', more-data bit, then a nibble 'A', or 'B' padding to 'BA' */
  if ((f[0] & 0xC0) != 0x40)
    return auth_failed (error, "the recovered message has no ISO/IEC 9796-2 header");
  if ((f[0] & 0x0F) == 0x0A)
    start = 1;
  else if ((f[0] & 0x0F) == 0x0B)
    {
      start = 1;
      while (start < k && f[start] == 0xBB)
        start++;
      if (start >= k || f[start] != 0xBA)
        return auth_failed (error, "the ISO/IEC 9796-2 padding is malformed");
      start++;
    }
  else
    return auth_failed (error, "the recovered message has no ISO/IEC 9796-2 header");

  hash_at = k - t - h_len;
  if (hash_at < start)
    return auth_failed (error, "the ISO/IEC 9796-2 message is too short");

  if (f[0] & 0x20)
    {
      /* Partial recovery: H(M1 || challenge) */
      if (!digest_of (digest, f + start, hash_at - start, challenge, challenge_len, h, &h_len))
        {
          tp_chip_set_crypto_error (error, "Hashing for active authentication");
          return FALSE;
        }
    }
  else
    {
      /* Total recovery: the message must be the challenge */
      if (hash_at - start != challenge_len ||
          CRYPTO_memcmp (f + start, challenge, challenge_len) != 0)
        return auth_failed (error, "the signed message is not the challenge");
      if (!digest_of (digest, challenge, challenge_len, NULL, 0, h, &h_len))
        {
          tp_chip_set_crypto_error (error, "Hashing for active authentication");
          return FALSE;
        }
    }

  if (CRYPTO_memcmp (h, f + hash_at, h_len) != 0)
    return auth_failed (error, "the RSA signature does not match the challenge");

  return TRUE;
}

static gsize
ec_scalar_length (EVP_PKEY *key)
{
  return (EVP_PKEY_get_bits (key) + 7) / 8;
}

static gboolean
ecdsa_verify_der (EVP_PKEY     *key,
                  const char   *digest,
                  const guint8 *challenge,
                  gsize         challenge_len,
                  const guint8 *der,
                  gsize         der_len)
{
  EVP_MD_CTX *ctx = EVP_MD_CTX_new ();
  gboolean ok;

  ok = ctx != NULL &&
       EVP_DigestVerifyInit_ex (ctx, NULL, digest, NULL, NULL, key, NULL) == 1 &&
       EVP_DigestVerify (ctx, der, der_len, challenge, challenge_len) == 1;
  EVP_MD_CTX_free (ctx);
  ERR_clear_error ();

  return ok;
}

/* Plain r || s (TR-03111) to DER */
static guint8 *
plain_to_der (const guint8 *signature,
              gsize         len,
              gsize        *der_len)
{
  ECDSA_SIG *sig = ECDSA_SIG_new ();
  BIGNUM *r = BN_bin2bn (signature, len / 2, NULL);
  BIGNUM *s = BN_bin2bn (signature + len / 2, len / 2, NULL);
  unsigned char *der = NULL;
  guint8 *out = NULL;
  int n;

  if (sig == NULL || r == NULL || s == NULL || ECDSA_SIG_set0 (sig, r, s) != 1)
    {
      BN_free (r);
      BN_free (s);
      ECDSA_SIG_free (sig);
      return NULL;
    }
  n = i2d_ECDSA_SIG (sig, &der);
  ECDSA_SIG_free (sig);
  if (n <= 0)
    return NULL;
  out = g_memdup2 (der, n);
  *der_len = n;
  OPENSSL_free (der);

  return out;
}

static gboolean
verify_ecdsa (EVP_PKEY      *key,
              const char    *digest,
              const guint8  *challenge,
              gsize          challenge_len,
              const guint8  *signature,
              gsize          signature_len,
              GError       **error)
{
  const char *candidates[6];
  g_autofree guint8 *der = NULL;
  gsize der_len = 0;
  gsize n = 0;
  guint bits = EVP_PKEY_get_bits (key);

  if (digest != NULL)
    candidates[n++] = digest;
  else
    {
      const char *all[] = { "SHA1", "SHA224", "SHA256", "SHA384", "SHA512" };

      candidates[n++] = bits <= 224 ? "SHA224" : bits <= 256 ? "SHA256" : bits <= 384 ? "SHA384" : "SHA512";
      for (guint i = 0; i < G_N_ELEMENTS (all); i++)
        if (strcmp (all[i], candidates[0]) != 0)
          candidates[n++] = all[i];
    }

  if (signature_len > 0 && signature_len % 2 == 0 &&
      signature_len <= 2 * ec_scalar_length (key))
    der = plain_to_der (signature, signature_len, &der_len);

  for (gsize i = 0; i < n; i++)
    {
      if (der != NULL &&
          ecdsa_verify_der (key, candidates[i], challenge, challenge_len, der, der_len))
        return TRUE;
      /* Some chips answer with a DER signature against TR-03111 */
      if (signature_len > 0 && signature[0] == 0x30 &&
          ecdsa_verify_der (key, candidates[i], challenge, challenge_len, signature, signature_len))
        return TRUE;
    }

  return auth_failed (error, der == NULL && (signature_len == 0 || signature[0] != 0x30)
                      ? "the ECDSA signature does not have the length of the key"
                      : "the ECDSA signature does not match the challenge");
}

gboolean
tp_active_auth_verify (EVP_PKEY      *key,
                       const char    *digest,
                       const guint8  *challenge,
                       gsize          challenge_len,
                       const guint8  *signature,
                       gsize          signature_len,
                       GError       **error)
{
  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (challenge != NULL, FALSE);
  g_return_val_if_fail (signature != NULL || signature_len == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (EVP_PKEY_is_a (key, "RSA"))
    return verify_rsa (key, challenge, challenge_len, signature, signature_len, error);
  if (EVP_PKEY_is_a (key, "EC"))
    return verify_ecdsa (key, digest, challenge, challenge_len, signature, signature_len, error);

  g_set_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_UNSUPPORTED,
               "Active authentication with a %s key is not supported",
               EVP_PKEY_get0_type_name (key));
  return FALSE;
}

gboolean
tp_active_auth_authenticate (TpApduTransmitFunc   transmit,
                             gpointer             user_data,
                             TpSm                *sm,
                             gboolean             extended,
                             EVP_PKEY            *key,
                             const char          *digest,
                             TpRandomFunc         random,
                             gpointer             random_data,
                             GError             **error)
{
  g_autoptr(TpApdu) apdu = NULL;
  g_autoptr(GByteArray) signature = g_byte_array_new ();
  guint8 challenge[TP_ACTIVE_AUTH_CHALLENGE_LENGTH];
  gsize expected;
  gboolean too_long;
  guint16 sw = 0;

  g_return_val_if_fail (transmit != NULL, FALSE);
  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!tp_random_bytes (random, random_data, challenge, sizeof challenge, error))
    return FALSE;

  expected = EVP_PKEY_is_a (key, "EC") ? 2 * ec_scalar_length (key) : (gsize) EVP_PKEY_get_size (key);
  too_long = expected > TP_APDU_LE_MAX_SHORT || (sm != NULL && expected > MAX_SHORT_SM_SIGNATURE);
  apdu = tp_apdu_new (0x00, INS_INTERNAL_AUTHENTICATE, 0x00, 0x00,
                      challenge, sizeof challenge, TP_APDU_LE_MAX_SHORT);
  if (too_long && extended)
    apdu->le = TP_APDU_LE_MAX_EXTENDED;

  if (!tp_sm_transmit (sm, transmit, user_data, apdu, signature, &sw, error))
    return FALSE;
  if (sw == TP_SW_WRONG_LENGTH && apdu->le == TP_APDU_LE_MAX_EXTENDED)
    {
      /* No extended length after all: ask again with a short Le, which a
       * chip may answer in pieces (61xx, GET RESPONSE) */
      apdu->le = TP_APDU_LE_MAX_SHORT;
      if (!tp_sm_transmit (sm, transmit, user_data, apdu, signature, &sw, error))
        return FALSE;
    }
  if (sw == TP_SW_WRONG_LENGTH && too_long)
    {
      g_set_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_UNSUPPORTED,
                   "The chip answers 6700 (wrong length) to INTERNAL AUTHENTICATE: it returns "
                   "its %" G_GSIZE_FORMAT "-byte signature neither in an extended-length response "
                   "nor in pieces (GET RESPONSE)", expected);
      return FALSE;
    }
  if (sw != TP_SW_OK)
    {
      tp_chip_set_status_error (error, sw, "Active authentication INTERNAL AUTHENTICATE");
      return FALSE;
    }

  return tp_active_auth_verify (key, digest, challenge, sizeof challenge,
                                signature->data, signature->len, error);
}

static GBytes *
sign_rsa (EVP_PKEY      *key,
          const char    *digest,
          const guint8  *challenge,
          gsize          challenge_len,
          TpRandomFunc   random,
          gpointer       random_data,
          GError       **error)
{
  g_autofree guint8 *f = NULL;
  g_autofree guint8 *sig = NULL;
  EVP_PKEY_CTX *ctx;
  gsize k = EVP_PKEY_get_size (key);
  gsize sig_len = k;
  gsize t;
  gsize m1_len;
  guint h_len = 0;
  gint hash_id;
  gboolean ok;

  if (digest == NULL)
    digest = "SHA1";
  hash_id = hash_id_for_digest (digest);
  if (hash_id < 0)
    {
      g_set_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_UNSUPPORTED,
                   "ISO/IEC 9796-2 signatures with %s are not supported", digest);
      return NULL;
    }
  if (EVP_PKEY_get_bits (key) % 8 != 0)
    {
      g_set_error_literal (error, TP_CHIP_ERROR, TP_CHIP_ERROR_UNSUPPORTED,
                           "ISO/IEC 9796-2 signing needs a modulus of a whole number of bytes");
      return NULL;
    }

  t = g_ascii_strcasecmp (digest, "SHA1") == 0 ? 1 : 2;
  h_len = EVP_MD_get_size (EVP_get_digestbyname (digest));
  if (k < 1 + h_len + t + 1)
    {
      g_set_error_literal (error, TP_CHIP_ERROR, TP_CHIP_ERROR_INVALID_ARGUMENT,
                           "The RSA key is too short for ISO/IEC 9796-2");
      return NULL;
    }
  m1_len = k - 1 - h_len - t;

  f = g_malloc (k);
  f[0] = ISO9796_HEADER_PARTIAL;
  if (!tp_random_bytes (random, random_data, f + 1, m1_len, error))
    return NULL;
  if (!digest_of (digest, f + 1, m1_len, challenge, challenge_len, f + 1 + m1_len, &h_len))
    {
      tp_chip_set_crypto_error (error, "Hashing for active authentication");
      return NULL;
    }
  if (t == 1)
    f[k - 1] = ISO9796_TRAILER_IMPLICIT;
  else
    {
      f[k - 2] = hash_id;
      f[k - 1] = ISO9796_TRAILER_EXPLICIT;
    }

  sig = g_malloc (k);
  ctx = EVP_PKEY_CTX_new_from_pkey (NULL, key, NULL);
  ok = ctx != NULL &&
       EVP_PKEY_sign_init (ctx) == 1 &&
       EVP_PKEY_CTX_set_rsa_padding (ctx, RSA_NO_PADDING) == 1 &&
       EVP_PKEY_sign (ctx, sig, &sig_len, f, k) == 1;
  EVP_PKEY_CTX_free (ctx);
  if (!ok)
    {
      tp_chip_set_crypto_error (error, "RSA signing for active authentication");
      return NULL;
    }

  return g_bytes_new (sig, sig_len);
}

static GBytes *
sign_ecdsa (EVP_PKEY      *key,
            const char    *digest,
            const guint8  *challenge,
            gsize          challenge_len,
            GError       **error)
{
  EVP_MD_CTX *ctx = EVP_MD_CTX_new ();
  g_autofree guint8 *der = NULL;
  const unsigned char *p;
  ECDSA_SIG *sig = NULL;
  gsize der_len = 0;
  gsize n = ec_scalar_length (key);
  g_autofree guint8 *plain = g_malloc (2 * n);
  const BIGNUM *r;
  const BIGNUM *s;
  gboolean ok;

  if (digest == NULL)
    digest = "SHA256";

  ok = ctx != NULL &&
       EVP_DigestSignInit_ex (ctx, NULL, digest, NULL, NULL, key, NULL) == 1 &&
       EVP_DigestSign (ctx, NULL, &der_len, challenge, challenge_len) == 1;
  if (ok)
    {
      der = g_malloc (der_len);
      ok = EVP_DigestSign (ctx, der, &der_len, challenge, challenge_len) == 1;
    }
  EVP_MD_CTX_free (ctx);
  if (ok)
    {
      p = der;
      sig = d2i_ECDSA_SIG (NULL, &p, der_len);
      ok = sig != NULL;
    }
  if (ok)
    {
      ECDSA_SIG_get0 (sig, &r, &s);
      ok = BN_bn2binpad (r, plain, n) == (int) n && BN_bn2binpad (s, plain + n, n) == (int) n;
    }
  ECDSA_SIG_free (sig);
  if (!ok)
    {
      tp_chip_set_crypto_error (error, "ECDSA signing for active authentication");
      return NULL;
    }

  return g_bytes_new (plain, 2 * n);
}

GBytes *
tp_active_auth_sign (EVP_PKEY      *private_key,
                     const char    *digest,
                     const guint8  *challenge,
                     gsize          challenge_len,
                     TpRandomFunc   random,
                     gpointer       random_data,
                     GError       **error)
{
  g_return_val_if_fail (private_key != NULL, NULL);
  g_return_val_if_fail (challenge != NULL || challenge_len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (EVP_PKEY_is_a (private_key, "RSA"))
    return sign_rsa (private_key, digest, challenge, challenge_len, random, random_data, error);
  if (EVP_PKEY_is_a (private_key, "EC"))
    return sign_ecdsa (private_key, digest, challenge, challenge_len, error);

  g_set_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_UNSUPPORTED,
               "Active authentication with a %s key is not supported",
               EVP_PKEY_get0_type_name (private_key));
  return NULL;
}

guint16
tp_active_auth_chip_process (EVP_PKEY     *private_key,
                             const char   *digest,
                             const TpApdu *command,
                             GByteArray   *response)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) signature = NULL;
  gsize len;
  const guint8 *data;

  g_return_val_if_fail (private_key != NULL, TP_SW_UNKNOWN);
  g_return_val_if_fail (command != NULL, TP_SW_UNKNOWN);
  g_return_val_if_fail (response != NULL, TP_SW_UNKNOWN);

  if (command->ins != INS_INTERNAL_AUTHENTICATE)
    return TP_SW_INS_NOT_SUPPORTED;
  if (command->p1 != 0 || command->p2 != 0)
    return TP_SW_WRONG_P1P2;
  if (command->data->len != TP_ACTIVE_AUTH_CHALLENGE_LENGTH)
    return TP_SW_WRONG_LENGTH;

  signature = tp_active_auth_sign (private_key, digest, command->data->data,
                                   command->data->len, NULL, NULL, &error);
  if (signature == NULL)
    {
      g_debug ("Active authentication chip: %s", error->message);
      return TP_SW_UNKNOWN;
    }
  data = g_bytes_get_data (signature, &len);
  g_byte_array_append (response, data, len);

  return TP_SW_OK;
}
