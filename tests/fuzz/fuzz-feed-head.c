/* fuzz-feed-head.c: libFuzzer target for the feed head parser
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Parses the input as a head. When accepted, the members hold what a
 * terminal relies on, the signature check runs against a fixed keyring
 * (and must fail: nothing here is signed by that key), and the expiry
 * test copes with any time.
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "tp-feed-head.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static TpFeedKeyring *
fixed_ring (void)
{
  static TpFeedKeyring *ring;

  if (ring == NULL)
    {
      g_autoptr(TpFeedKey) key =
        tp_feed_key_new_from_public_hex ("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", NULL);

      ring = tp_feed_keyring_new ();
      tp_feed_keyring_add (ring, key);
    }
  return ring;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(TpFeedHead) head = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 12, 6, 6, 0, 0);

  head = tp_feed_head_parse ((const char *) data, size, &error);
  if (head == NULL)
    {
      g_assert (error != NULL);
      g_assert (g_utf8_validate (error->message, -1, NULL));
      return 0;
    }
  g_assert (head->issued_at != NULL && head->expires_at != NULL);
  g_assert (head->key_id != NULL && strlen (head->signature) == TP_FEED_SIGNATURE_HEX_LEN);
  g_assert (head->seq == 0 || head->has_segment);
  g_assert (!head->has_segment || head->segment_last_seq == head->seq);
  g_assert (!head->has_snapshot || head->snapshot_seq <= head->seq);
  (void) tp_feed_head_is_expired (head, now);
  if (tp_feed_head_verify (head, fixed_ring (), &error))
    g_assert_not_reached ();
  return 0;
}
