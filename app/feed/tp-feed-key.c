/* tp-feed-key.c: Ed25519 through OpenSSL 3
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "tp-error.h"
#include "tp-feed-doc-private.h"
#include "tp-feed-key.h"
#include "tp-feed-util.h"
#include "tp-json.h"

struct _TpFeedKey {
  EVP_PKEY *pkey;
  gboolean  has_private;
  char      id[TP_FEED_KEY_ID_LEN + 1];
  char     *public_hex;
};

struct _TpFeedKeyring {
  GPtrArray *keys;   /* of TpFeedKey*, owned */
};

static void
key_clear (TpFeedKey *key)
{
  EVP_PKEY_free (key->pkey);
  g_free (key->public_hex);
}

static TpFeedKey *
key_wrap (EVP_PKEY  *pkey,
          gboolean   has_private,
          GError   **error)
{
  TpFeedKey *key;
  guint8 raw[TP_FEED_PUBLIC_KEY_SIZE];
  guint8 digest[TP_FEED_HASH_SIZE];
  size_t raw_len = sizeof raw;
  g_autofree char *id = NULL;

  if (EVP_PKEY_get_raw_public_key (pkey, raw, &raw_len) != 1 || raw_len != sizeof raw)
    {
      EVP_PKEY_free (pkey);
      g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT, "not an Ed25519 key");
      return NULL;
    }
  key = g_atomic_rc_box_new0 (TpFeedKey);
  key->pkey = pkey;
  key->has_private = has_private;
  key->public_hex = tp_feed_hex (raw, sizeof raw);
  tp_feed_sha256 (raw, sizeof raw, digest);
  id = tp_feed_hex (digest, TP_FEED_KEY_ID_LEN / 2);
  memcpy (key->id, id, TP_FEED_KEY_ID_LEN + 1);
  return key;
}

TpFeedKey *
tp_feed_key_generate (GError **error)
{
  EVP_PKEY *pkey = EVP_PKEY_Q_keygen (NULL, NULL, "ED25519");

  if (pkey == NULL)
    {
      g_set_error (error, TP_ERROR, TP_ERROR_FAILED, "cannot generate an Ed25519 key");
      return NULL;
    }
  return key_wrap (pkey, TRUE, error);
}

TpFeedKey *
tp_feed_key_new_from_private_pem (const char  *pem,
                                  gsize        length,
                                  GError     **error)
{
  BIO *bio;
  EVP_PKEY *pkey;

  g_return_val_if_fail (pem != NULL, NULL);

  if (length > G_MAXINT)
    length = G_MAXINT;
  bio = BIO_new_mem_buf (pem, (int) length);
  pkey = PEM_read_bio_PrivateKey (bio, NULL, NULL, NULL);
  BIO_free (bio);
  ERR_clear_error ();
  if (pkey == NULL || EVP_PKEY_get_base_id (pkey) != EVP_PKEY_ED25519)
    {
      EVP_PKEY_free (pkey);
      g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT,
                   "not a PEM Ed25519 private key (-----BEGIN PRIVATE KEY-----)");
      return NULL;
    }
  return key_wrap (pkey, TRUE, error);
}

TpFeedKey *
tp_feed_key_new_from_public_hex (const char  *hex,
                                 GError     **error)
{
  guint8 raw[TP_FEED_PUBLIC_KEY_SIZE];
  EVP_PKEY *pkey;

  g_return_val_if_fail (hex != NULL, NULL);

  if (!tp_feed_unhex (hex, raw, sizeof raw))
    {
      g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT,
                   "an Ed25519 public key is 64 hex digits");
      return NULL;
    }
  pkey = EVP_PKEY_new_raw_public_key (EVP_PKEY_ED25519, NULL, raw, sizeof raw);
  if (pkey == NULL)
    {
      ERR_clear_error ();
      g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT, "not an Ed25519 public key");
      return NULL;
    }
  return key_wrap (pkey, FALSE, error);
}

TpFeedKey *
tp_feed_key_ref (TpFeedKey *key)
{
  g_return_val_if_fail (key != NULL, NULL);
  return g_atomic_rc_box_acquire (key);
}

void
tp_feed_key_unref (TpFeedKey *key)
{
  if (key != NULL)
    g_atomic_rc_box_release_full (key, (GDestroyNotify) key_clear);
}

const char *
tp_feed_key_get_id (TpFeedKey *key)
{
  g_return_val_if_fail (key != NULL, NULL);
  return key->id;
}

const char *
tp_feed_key_get_public_hex (TpFeedKey *key)
{
  g_return_val_if_fail (key != NULL, NULL);
  return key->public_hex;
}

gboolean
tp_feed_key_has_private (TpFeedKey *key)
{
  g_return_val_if_fail (key != NULL, FALSE);
  return key->has_private;
}

char *
tp_feed_key_to_private_pem (TpFeedKey *key)
{
  BIO *bio;
  char *data = NULL;
  long len;
  char *pem = NULL;

  g_return_val_if_fail (key != NULL, NULL);

  if (!key->has_private)
    return NULL;
  bio = BIO_new (BIO_s_mem ());
  if (PEM_write_bio_PrivateKey (bio, key->pkey, NULL, NULL, 0, NULL, NULL) == 1)
    {
      len = BIO_get_mem_data (bio, &data);
      pem = g_strndup (data, (gsize) len);
    }
  BIO_free (bio);
  return pem;
}

char *
tp_feed_key_sign (TpFeedKey   *key,
                  const void  *data,
                  gsize        length,
                  GError     **error)
{
  EVP_MD_CTX *ctx;
  guint8 sig[TP_FEED_SIGNATURE_SIZE];
  size_t sig_len = sizeof sig;
  gboolean ok;

  g_return_val_if_fail (key != NULL, NULL);
  g_return_val_if_fail (data != NULL || length == 0, NULL);

  if (!key->has_private)
    {
      g_set_error (error, TP_ERROR, TP_ERROR_INVALID_ARGUMENT,
                   "key %s: only the public key is known, it cannot sign", key->id);
      return NULL;
    }
  ctx = EVP_MD_CTX_new ();
  ok = EVP_DigestSignInit (ctx, NULL, NULL, NULL, key->pkey) == 1 &&
       EVP_DigestSign (ctx, sig, &sig_len, data, length) == 1 &&
       sig_len == sizeof sig;
  EVP_MD_CTX_free (ctx);
  if (!ok)
    {
      ERR_clear_error ();
      g_set_error (error, TP_ERROR, TP_ERROR_FAILED, "key %s: signing failed", key->id);
      return NULL;
    }
  return tp_feed_hex (sig, sizeof sig);
}

gboolean
tp_feed_key_verify (TpFeedKey   *key,
                    const void  *data,
                    gsize        length,
                    const char  *signature_hex,
                    GError     **error)
{
  EVP_MD_CTX *ctx;
  guint8 sig[TP_FEED_SIGNATURE_SIZE];
  gboolean ok;

  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (data != NULL || length == 0, FALSE);
  g_return_val_if_fail (signature_hex != NULL, FALSE);

  if (!tp_feed_unhex (signature_hex, sig, sizeof sig))
    {
      g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT,
                   "signature: expected %d hex digits", TP_FEED_SIGNATURE_HEX_LEN);
      return FALSE;
    }
  ctx = EVP_MD_CTX_new ();
  ok = EVP_DigestVerifyInit (ctx, NULL, NULL, NULL, key->pkey) == 1 &&
       EVP_DigestVerify (ctx, sig, sizeof sig, data, length) == 1;
  EVP_MD_CTX_free (ctx);
  ERR_clear_error ();
  if (!ok)
    {
      g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT,
                   "signature: does not verify with key %s", key->id);
      return FALSE;
    }
  return TRUE;
}

TpFeedKeyring *
tp_feed_keyring_new (void)
{
  TpFeedKeyring *ring = g_new0 (TpFeedKeyring, 1);

  ring->keys = g_ptr_array_new_with_free_func ((GDestroyNotify) tp_feed_key_unref);
  return ring;
}

void
tp_feed_keyring_free (TpFeedKeyring *ring)
{
  if (ring == NULL)
    return;
  g_ptr_array_unref (ring->keys);
  g_free (ring);
}

void
tp_feed_keyring_add (TpFeedKeyring *ring,
                     TpFeedKey     *key)
{
  g_return_if_fail (ring != NULL);
  g_return_if_fail (key != NULL);

  if (tp_feed_keyring_lookup (ring, key->id) == NULL)
    g_ptr_array_add (ring->keys, tp_feed_key_ref (key));
}

guint
tp_feed_keyring_get_n_keys (TpFeedKeyring *ring)
{
  g_return_val_if_fail (ring != NULL, 0);
  return ring->keys->len;
}

TpFeedKey *
tp_feed_keyring_get_key (TpFeedKeyring *ring,
                         guint          index)
{
  g_return_val_if_fail (ring != NULL, NULL);
  g_return_val_if_fail (index < ring->keys->len, NULL);
  return g_ptr_array_index (ring->keys, index);
}

TpFeedKey *
tp_feed_keyring_lookup (TpFeedKeyring *ring,
                        const char    *key_id)
{
  g_return_val_if_fail (ring != NULL, NULL);
  g_return_val_if_fail (key_id != NULL, NULL);

  for (guint i = 0; i < ring->keys->len; i++)
    {
      TpFeedKey *key = g_ptr_array_index (ring->keys, i);

      if (strcmp (key->id, key_id) == 0)
        return key;
    }
  return NULL;
}

TpFeedKeyring *
tp_feed_keyring_new_from_json (const char  *json,
                               gssize       length,
                               GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(TpFeedKeyring) ring = NULL;
  JsonNode *keys;
  JsonArray *array;

  g_return_val_if_fail (json != NULL, NULL);

  root = tp_json_parse_object_line (json, length, "feed keys", error);
  if (root == NULL)
    return NULL;
  keys = json_object_get_member (json_node_get_object (root), "keys");
  if (keys == NULL || !JSON_NODE_HOLDS_ARRAY (keys))
    {
      g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT,
                   "feed keys: keys: expected an array of {\"key_id\", \"public_key\"}");
      return NULL;
    }
  array = json_node_get_array (keys);
  ring = tp_feed_keyring_new ();
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      JsonObject *object;
      const char *hex;
      const char *id;
      g_autoptr(TpFeedKey) key = NULL;
      g_autoptr(GError) local_error = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        {
          g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT,
                       "feed keys: keys[%u]: expected an object", i);
          return NULL;
        }
      object = json_node_get_object (element);
      hex = json_object_get_string_member_with_default (object, "public_key", NULL);
      id = json_object_get_string_member_with_default (object, "key_id", NULL);
      if (hex == NULL)
        {
          g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT,
                       "feed keys: keys[%u].public_key: missing (64 hex digits)", i);
          return NULL;
        }
      key = tp_feed_key_new_from_public_hex (hex, &local_error);
      if (key == NULL)
        {
          g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT,
                       "feed keys: keys[%u].public_key: %s", i, local_error->message);
          return NULL;
        }
      if (id != NULL && strcmp (id, key->id) != 0)
        {
          g_autofree char *quoted = tp_json_quote (id);

          g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT,
                       "feed keys: keys[%u].key_id: “%s” is not the id of its public key (%s)",
                       i, quoted, key->id);
          return NULL;
        }
      tp_feed_keyring_add (ring, key);
    }
  if (ring->keys->len == 0)
    {
      g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT, "feed keys: keys: empty");
      return NULL;
    }
  return g_steal_pointer (&ring);
}

char *
tp_feed_keyring_to_json (TpFeedKeyring *ring)
{
  GString *out;

  g_return_val_if_fail (ring != NULL, NULL);

  out = g_string_new ("{\"keys\":[");
  for (guint i = 0; i < ring->keys->len; i++)
    {
      TpFeedKey *key = g_ptr_array_index (ring->keys, i);

      g_string_append_printf (out, "%s{\"key_id\":\"%s\",\"public_key\":\"%s\"}",
                              i > 0 ? "," : "", key->id, key->public_hex);
    }
  g_string_append (out, "]}");
  return g_string_free (out, FALSE);
}

gboolean
tp_feed_keyring_verify (TpFeedKeyring  *ring,
                        const char     *key_id,
                        const void     *data,
                        gsize           length,
                        const char     *signature_hex,
                        GError        **error)
{
  TpFeedKey *key;

  g_return_val_if_fail (ring != NULL, FALSE);
  g_return_val_if_fail (key_id != NULL, FALSE);

  key = tp_feed_keyring_lookup (ring, key_id);
  if (key == NULL)
    {
      g_autofree char *shown = tp_json_quote (key_id);

      g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT,
                   "key_id: “%s” is not one of the pinned feed keys", shown);
      return FALSE;
    }
  return tp_feed_key_verify (key, data, length, signature_hex, error);
}
