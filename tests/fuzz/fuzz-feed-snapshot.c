/* fuzz-feed-snapshot.c: libFuzzer target for the snapshot reader
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Input starting with the gzip magic is read as is; anything else is
 * compressed first, so the mutations reach the header and entry parsers
 * and not only the decompressor. A snapshot read to its end holds exactly
 * the announced entries, in increasing id order, and its state hash.
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "tp-feed-snapshot.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GInputStream) in = NULL;
  g_autoptr(TpFeedSnapshotReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) compressed = NULL;
  g_autofree char *last = NULL;
  const TpFeedSnapshotHeader *header;
  TpStateHash sum;
  guint64 n = 0;

  if (size > 256 * 1024)
    return 0;
  if (size >= 2 && data[0] == 0x1f && data[1] == 0x8b)
    compressed = g_bytes_new (data, size);
  else
    {
      g_autoptr(GZlibCompressor) compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, 1);
      g_autoptr(GOutputStream) mem = g_memory_output_stream_new_resizable ();
      g_autoptr(GOutputStream) out = g_converter_output_stream_new (mem, G_CONVERTER (compressor));

      g_assert (g_output_stream_write_all (out, data, size, NULL, NULL, NULL));
      g_assert (g_output_stream_close (out, NULL, NULL));
      compressed = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (mem));
    }

  in = g_memory_input_stream_new_from_bytes (compressed);
  reader = tp_feed_snapshot_reader_new (in, NULL, &error);
  if (reader == NULL)
    {
      g_assert (error != NULL);
      g_assert (g_utf8_validate (error->message, -1, NULL));
      return 0;
    }
  header = tp_feed_snapshot_reader_get_header (reader);
  tp_state_hash_init (&sum);
  for (;;)
    {
      g_autoptr(TpEntry) entry = NULL;
      g_autofree char *json = NULL;

      if (!tp_feed_snapshot_reader_next (reader, &entry, &json, NULL, &error))
        {
          g_assert (error != NULL);
          g_assert (g_utf8_validate (error->message, -1, NULL));
          return 0;
        }
      if (entry == NULL)
        break;
      g_assert (json != NULL);
      g_assert (last == NULL || strcmp (last, entry->id) < 0);
      g_free (last);
      last = g_strdup (entry->id);
      tp_state_hash_add_entry (&sum, entry);
      n++;
    }
  g_assert (n == header->entries);
  g_assert (tp_state_hash_equal (&sum, &header->state_hash));
  return 0;
}
