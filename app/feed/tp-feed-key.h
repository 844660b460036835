/* tp-feed-key.h: Ed25519 feed-signing keys and the terminal's pinned keyring
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The hub signs the feed with one of two Ed25519 keys (active, standby);
 * a terminal pins both public keys from its enrollment bundle and accepts
 * a signature by either. A key is named by its key id: the first 8 bytes
 * of the SHA-256 of its 32-byte raw public key, as 16 lower-case hex
 * digits. Signatures travel as 128 lower-case hex digits.
 *
 * The keyring's JSON form (feed-keys.json in an enrollment bundle):
 *   {"keys": [{"key_id": "0123456789abcdef", "public_key": "<64 hex>"}, ...]}
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TP_FEED_KEY_ID_LEN        16
#define TP_FEED_PUBLIC_KEY_SIZE   32
#define TP_FEED_SIGNATURE_SIZE    64
#define TP_FEED_SIGNATURE_HEX_LEN 128

typedef struct _TpFeedKey     TpFeedKey;
typedef struct _TpFeedKeyring TpFeedKeyring;

TpFeedKey     *tp_feed_key_generate               (GError          **error);
/* A PKCS #8 PEM private key ("-----BEGIN PRIVATE KEY-----") */
TpFeedKey     *tp_feed_key_new_from_private_pem   (const char       *pem,
                                                   gsize             length,
                                                   GError          **error);
TpFeedKey     *tp_feed_key_new_from_public_hex    (const char       *hex,
                                                   GError          **error);
TpFeedKey     *tp_feed_key_ref                    (TpFeedKey        *key);
void           tp_feed_key_unref                  (TpFeedKey        *key);

const char    *tp_feed_key_get_id                 (TpFeedKey        *key);
const char    *tp_feed_key_get_public_hex         (TpFeedKey        *key);
gboolean       tp_feed_key_has_private            (TpFeedKey        *key);
/* PKCS #8 PEM of the private key; NULL for a public key. */
char          *tp_feed_key_to_private_pem         (TpFeedKey        *key);

/* 128 hex digits; NULL with an error for a public key. */
char          *tp_feed_key_sign                   (TpFeedKey        *key,
                                                   const void       *data,
                                                   gsize             length,
                                                   GError          **error);
gboolean       tp_feed_key_verify                 (TpFeedKey        *key,
                                                   const void       *data,
                                                   gsize             length,
                                                   const char       *signature_hex,
                                                   GError          **error);

TpFeedKeyring *tp_feed_keyring_new                (void);
void           tp_feed_keyring_free               (TpFeedKeyring    *ring);
void           tp_feed_keyring_add                (TpFeedKeyring    *ring,
                                                   TpFeedKey        *key);
guint          tp_feed_keyring_get_n_keys         (TpFeedKeyring    *ring);
TpFeedKey     *tp_feed_keyring_get_key            (TpFeedKeyring    *ring,
                                                   guint             index);
/* NULL when no pinned key has that id. */
TpFeedKey     *tp_feed_keyring_lookup             (TpFeedKeyring    *ring,
                                                   const char       *key_id);
/* The keyring's JSON form (public keys only) */
TpFeedKeyring *tp_feed_keyring_new_from_json      (const char       *json,
                                                   gssize            length,
                                                   GError          **error);
char          *tp_feed_keyring_to_json            (TpFeedKeyring    *ring);
/* Verifies @signature_hex over @data with the pinned key @key_id: an
 * unknown key id is an error like a bad signature. */
gboolean       tp_feed_keyring_verify             (TpFeedKeyring    *ring,
                                                   const char       *key_id,
                                                   const void       *data,
                                                   gsize             length,
                                                   const char       *signature_hex,
                                                   GError          **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpFeedKey, tp_feed_key_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpFeedKeyring, tp_feed_keyring_free)

G_END_DECLS
