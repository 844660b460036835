/* fuzz-feed-segment.c: libFuzzer target for the segment parser
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Parses the input as a segment file. When accepted, the changes follow
 * one another from first_seq to last_seq, each carries a decoded entry
 * whose canonical JSON decodes to itself, and the hash is the file's.
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "tp-feed-segment.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(TpFeedSegment) segment = NULL;
  g_autoptr(GError) error = NULL;
  guint8 digest[TP_FEED_HASH_SIZE];

  if (size > 1024 * 1024)
    return 0;
  segment = tp_feed_segment_parse (data, size, &error);
  if (segment == NULL)
    {
      g_assert (error != NULL);
      g_assert (g_utf8_validate (error->message, -1, NULL));
      return 0;
    }
  g_assert (segment->first_seq >= 1);
  g_assert (segment->changes->len == segment->last_seq - segment->first_seq + 1);
  for (guint i = 0; i < segment->changes->len; i++)
    {
      TpFeedChange *change = g_ptr_array_index (segment->changes, i);
      g_autoptr(TpEntry) again = NULL;
      g_autofree char *json = NULL;

      g_assert (change->seq == segment->first_seq + i);
      g_assert (change->entry != NULL);
      again = tp_entry_from_json (change->json, -1, &error);
      g_assert_no_error (error);
      json = tp_entry_to_json (again);
      g_assert_cmpstr (json, ==, change->json);
    }
  tp_feed_sha256 (data, size, digest);
  g_assert (memcmp (digest, segment->hash, sizeof digest) == 0);
  return 0;
}
