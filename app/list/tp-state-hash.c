/* tp-state-hash.c: additive hash of a list state (see tp-state-hash.h)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "tp-state-hash.h"

void
tp_state_hash_init (TpStateHash *hash)
{
  g_return_if_fail (hash != NULL);

  memset (hash->bytes, 0, sizeof hash->bytes);
}

void
tp_state_hash_digest_json (const char *json,
                           gsize       length,
                           guint8      digest[TP_STATE_HASH_SIZE])
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  gsize digest_len = TP_STATE_HASH_SIZE;

  g_return_if_fail (json != NULL);

  g_checksum_update (checksum, (const guchar *) json, (gssize) length);
  g_checksum_get_digest (checksum, digest, &digest_len);
  g_assert (digest_len == TP_STATE_HASH_SIZE);
}

void
tp_entry_digest (const TpEntry *entry,
                 guint8         digest[TP_STATE_HASH_SIZE])
{
  g_autofree char *json = NULL;

  g_return_if_fail (entry != NULL);

  json = tp_entry_to_json (entry);
  tp_state_hash_digest_json (json, strlen (json), digest);
}

void
tp_state_hash_add_digest (TpStateHash  *hash,
                          const guint8  digest[TP_STATE_HASH_SIZE])
{
  guint carry = 0;

  g_return_if_fail (hash != NULL);

  for (int i = TP_STATE_HASH_SIZE - 1; i >= 0; i--)
    {
      guint sum = (guint) hash->bytes[i] + digest[i] + carry;

      hash->bytes[i] = (guint8) (sum & 0xff);
      carry = sum >> 8;
    }
}

void
tp_state_hash_remove_digest (TpStateHash  *hash,
                             const guint8  digest[TP_STATE_HASH_SIZE])
{
  int borrow = 0;

  g_return_if_fail (hash != NULL);

  for (int i = TP_STATE_HASH_SIZE - 1; i >= 0; i--)
    {
      int diff = (int) hash->bytes[i] - (int) digest[i] - borrow;

      borrow = diff < 0;
      hash->bytes[i] = (guint8) (diff + (borrow ? 256 : 0));
    }
}

void
tp_state_hash_add_entry (TpStateHash   *hash,
                         const TpEntry *entry)
{
  guint8 digest[TP_STATE_HASH_SIZE];

  tp_entry_digest (entry, digest);
  tp_state_hash_add_digest (hash, digest);
}

void
tp_state_hash_remove_entry (TpStateHash   *hash,
                            const TpEntry *entry)
{
  guint8 digest[TP_STATE_HASH_SIZE];

  tp_entry_digest (entry, digest);
  tp_state_hash_remove_digest (hash, digest);
}

void
tp_state_hash_replace_entry (TpStateHash   *hash,
                             const TpEntry *old_entry,
                             const TpEntry *new_entry)
{
  if (old_entry != NULL)
    tp_state_hash_remove_entry (hash, old_entry);
  if (new_entry != NULL)
    tp_state_hash_add_entry (hash, new_entry);
}

gboolean
tp_state_hash_equal (const TpStateHash *a,
                     const TpStateHash *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  return memcmp (a->bytes, b->bytes, TP_STATE_HASH_SIZE) == 0;
}

void
tp_state_hash_to_hex_buf (const TpStateHash *hash,
                          char               out[TP_STATE_HASH_HEX_LEN + 1])
{
  static const char hex[] = "0123456789abcdef";

  g_return_if_fail (hash != NULL);

  for (guint i = 0; i < TP_STATE_HASH_SIZE; i++)
    {
      out[2 * i] = hex[hash->bytes[i] >> 4];
      out[2 * i + 1] = hex[hash->bytes[i] & 0xf];
    }
  out[TP_STATE_HASH_HEX_LEN] = '\0';
}

char *
tp_state_hash_to_hex (const TpStateHash *hash)
{
  char *out = g_malloc (TP_STATE_HASH_HEX_LEN + 1);

  tp_state_hash_to_hex_buf (hash, out);
  return out;
}

gboolean
tp_state_hash_from_hex (const char  *hex,
                        TpStateHash *hash)
{
  g_return_val_if_fail (hash != NULL, FALSE);

  if (hex == NULL || strlen (hex) != TP_STATE_HASH_HEX_LEN)
    return FALSE;
  for (guint i = 0; i < TP_STATE_HASH_SIZE; i++)
    {
      int hi = g_ascii_xdigit_value (hex[2 * i]);
      int lo = g_ascii_xdigit_value (hex[2 * i + 1]);

      if (hi < 0 || lo < 0)
        return FALSE;
      hash->bytes[i] = (guint8) (hi << 4 | lo);
    }
  return TRUE;
}
