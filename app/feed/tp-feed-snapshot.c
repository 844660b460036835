/* tp-feed-snapshot.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <gio/gunixoutputstream.h>
#include <glib/gstdio.h>

#include "tp-error.h"
#include "tp-feed-doc-private.h"
#include "tp-feed-snapshot.h"
#include "tp-json.h"

#define MAX_SEQ ((guint64) G_MAXINT64)
#define CHUNK   (64 * 1024)

struct _TpFeedSnapshotWriter {
  char          *path;
  char          *body_path;
  char          *tmp_path;
  GOutputStream *body;
  GChecksum     *body_checksum;
  TpStateHash    state_hash;
  guint64        entries;
  gboolean       finished;
};

struct _TpFeedSnapshotReader {
  GInputStream         *stream;     /* decompressed */
  GByteArray           *buffer;
  gsize                 pos;
  gboolean              eof;
  gboolean              done;
  TpFeedSnapshotHeader  header;
  GChecksum            *body_checksum;
  TpStateHash           state_hash;
  guint64               count;
  char                 *last_id;
};

void
tp_feed_snapshot_header_clear (TpFeedSnapshotHeader *header)
{
  g_clear_pointer (&header->issued_at, g_date_time_unref);
  g_clear_pointer (&header->key_id, g_free);
  g_clear_pointer (&header->signature, g_free);
  g_clear_pointer (&header->signed_bytes, g_free);
}

static gboolean
io_fail (GError     **error,
         const char  *path,
         const char  *doing)
{
  int saved = errno;

  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
               "snapshot %s: cannot %s: %s", path, doing, g_strerror (saved));
  return FALSE;
}

TpFeedSnapshotWriter *
tp_feed_snapshot_writer_new (const char  *path,
                             GError     **error)
{
  g_autoptr(TpFeedSnapshotWriter) writer = g_new0 (TpFeedSnapshotWriter, 1);
  g_autoptr(GOutputStream) base = NULL;
  int fd;

  g_return_val_if_fail (path != NULL, NULL);

  writer->path = g_strdup (path);
  writer->body_path = g_strconcat (path, ".body.tmp", NULL);
  writer->tmp_path = g_strconcat (path, ".tmp", NULL);
  writer->body_checksum = g_checksum_new (G_CHECKSUM_SHA256);
  tp_state_hash_init (&writer->state_hash);

  fd = g_open (writer->body_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0)
    {
      io_fail (error, writer->body_path, "create");
      return NULL;
    }
  base = g_unix_output_stream_new (fd, TRUE);
  writer->body = g_buffered_output_stream_new_sized (base, CHUNK);
  return g_steal_pointer (&writer);
}

gboolean
tp_feed_snapshot_writer_add (TpFeedSnapshotWriter  *writer,
                             const char            *entry_json,
                             GError               **error)
{
  gsize len;
  guint8 digest[TP_STATE_HASH_SIZE];

  g_return_val_if_fail (writer != NULL && !writer->finished, FALSE);
  g_return_val_if_fail (entry_json != NULL, FALSE);

  len = strlen (entry_json);
  if (!g_output_stream_write_all (writer->body, entry_json, len, NULL, NULL, error) ||
      !g_output_stream_write_all (writer->body, "\n", 1, NULL, NULL, error))
    return FALSE;
  g_checksum_update (writer->body_checksum, (const guchar *) entry_json, (gssize) len);
  g_checksum_update (writer->body_checksum, (const guchar *) "\n", 1);
  tp_state_hash_digest_json (entry_json, len, digest);
  tp_state_hash_add_digest (&writer->state_hash, digest);
  writer->entries++;
  return TRUE;
}

static char *
sign_header (TpFeedSnapshotHeader  *header,
             TpFeedKey             *key,
             GError               **error)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autofree char *state = tp_state_hash_to_hex (&header->state_hash);
  g_autofree char *segment = tp_feed_hex (header->segment_hash, TP_FEED_HASH_SIZE);
  g_autofree char *body = tp_feed_hex (header->body_sha256, TP_FEED_HASH_SIZE);
  g_autofree char *issued = tp_feed_format_time (header->issued_at);

  json_object_set_string_member (object, "type", "snapshot");
  json_object_set_int_member (object, "seq", (gint64) header->seq);
  json_object_set_int_member (object, "entries", (gint64) header->entries);
  json_object_set_string_member (object, "state_hash", state);
  json_object_set_string_member (object, "segment_hash", segment);
  json_object_set_string_member (object, "body_sha256", body);
  json_object_set_string_member (object, "issued_at", issued);
  return tp_feed_doc_sign (object, key, error);
}

/* Copies the body file into @out, through the compressor. */
static gboolean
copy_body (const char     *body_path,
           GOutputStream  *out,
           GError        **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (body_path);
  g_autoptr(GFileInputStream) in = g_file_read (file, NULL, error);

  if (in == NULL)
    return FALSE;
  return g_output_stream_splice (out, G_INPUT_STREAM (in), G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE, NULL, error) >= 0;
}

static gboolean
hash_file (const char  *path,
           guint8       sha256[TP_FEED_HASH_SIZE],
           guint64     *size,
           GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) in = g_file_read (file, NULL, error);
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree guint8 *buf = g_malloc (CHUNK);
  gsize len = TP_FEED_HASH_SIZE;
  gssize n;

  if (in == NULL)
    return FALSE;
  *size = 0;
  while ((n = g_input_stream_read (G_INPUT_STREAM (in), buf, CHUNK, NULL, error)) > 0)
    {
      g_checksum_update (checksum, buf, n);
      *size += (guint64) n;
    }
  if (n < 0)
    return FALSE;
  g_checksum_get_digest (checksum, sha256, &len);
  return TRUE;
}

gboolean
tp_feed_snapshot_writer_finish (TpFeedSnapshotWriter  *writer,
                                TpFeedSnapshotHeader  *header,
                                TpFeedKey             *key,
                                guint8                 sha256[TP_FEED_HASH_SIZE],
                                guint64               *size,
                                GError               **error)
{
  g_autoptr(GZlibCompressor) compressor = NULL;
  g_autoptr(GOutputStream) raw = NULL;
  g_autoptr(GOutputStream) out = NULL;
  g_autofree char *doc = NULL;
  gsize digest_len = TP_FEED_HASH_SIZE;
  int fd;

  g_return_val_if_fail (writer != NULL && !writer->finished, FALSE);
  g_return_val_if_fail (header != NULL && header->issued_at != NULL, FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  if (!g_output_stream_close (writer->body, NULL, error))
    return FALSE;
  header->entries = writer->entries;
  header->state_hash = writer->state_hash;
  g_checksum_get_digest (writer->body_checksum, header->body_sha256, &digest_len);
  doc = sign_header (header, key, error);
  if (doc == NULL)
    return FALSE;

  fd = g_open (writer->tmp_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0)
    return io_fail (error, writer->tmp_path, "create");
  raw = g_unix_output_stream_new (fd, FALSE);
  compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, 6);
  out = g_converter_output_stream_new (raw, G_CONVERTER (compressor));
  if (!g_output_stream_write_all (out, doc, strlen (doc), NULL, NULL, error) ||
      !g_output_stream_write_all (out, "\n", 1, NULL, NULL, error) ||
      !copy_body (writer->body_path, out, error) ||
      !g_output_stream_close (out, NULL, error))
    {
      close (fd);
      return FALSE;
    }
  if (fsync (fd) != 0)
    {
      io_fail (error, writer->tmp_path, "sync");
      close (fd);
      return FALSE;
    }
  close (fd);
  if (!hash_file (writer->tmp_path, sha256, size, error))
    return FALSE;
  if (g_rename (writer->tmp_path, writer->path) != 0)
    return io_fail (error, writer->path, "rename the finished file");
  g_unlink (writer->body_path);
  writer->finished = TRUE;
  return TRUE;
}

void
tp_feed_snapshot_writer_free (TpFeedSnapshotWriter *writer)
{
  if (writer == NULL)
    return;
  g_clear_object (&writer->body);
  if (!writer->finished)
    {
      g_unlink (writer->body_path);
      g_unlink (writer->tmp_path);
    }
  g_checksum_free (writer->body_checksum);
  g_free (writer->path);
  g_free (writer->body_path);
  g_free (writer->tmp_path);
  g_free (writer);
}

/* Reader */

/* The next line (without its newline) in *line / *length, pointing into
 * the buffer until the next call. FALSE without an error at a clean end. */
static gboolean
read_line (TpFeedSnapshotReader  *reader,
           const char           **line,
           gsize                 *length,
           GCancellable          *cancellable,
           GError               **error)
{
  for (;;)
    {
      const guint8 *start = reader->buffer->len > 0 ? reader->buffer->data + reader->pos : NULL;
      gsize avail = reader->buffer->len - reader->pos;
      const guint8 *nl = avail > 0 ? memchr (start, '\n', avail) : NULL;
      gssize n;

      if (nl != NULL)
        {
          *line = (const char *) start;
          *length = (gsize) (nl - start);
          reader->pos += *length + 1;
          return TRUE;
        }
      if (avail > TP_JSON_MAX_LINE)
        {
          g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT,
                       "snapshot: a line longer than %d bytes", TP_JSON_MAX_LINE);
          return FALSE;
        }
      if (reader->eof)
        {
          if (avail > 0)
            g_set_error (error, TP_ERROR, TP_ERROR_TRUNCATED, "snapshot: truncated: the last line has no newline");
          return FALSE;
        }
      g_byte_array_remove_range (reader->buffer, 0, (guint) reader->pos);
      reader->pos = 0;
      g_byte_array_set_size (reader->buffer, (guint) (avail + CHUNK));
      n = g_input_stream_read (reader->stream, reader->buffer->data + avail, CHUNK, cancellable, error);
      if (n < 0)
        {
          g_byte_array_set_size (reader->buffer, (guint) avail);
          g_prefix_error (error, "snapshot: ");
          return FALSE;
        }
      g_byte_array_set_size (reader->buffer, (guint) (avail + (gsize) n));
      if (n == 0)
        reader->eof = TRUE;
    }
}

static gboolean
parse_header (TpFeedSnapshotHeader  *header,
              const char            *text,
              gsize                  length,
              GError               **error)
{
  g_auto(TpFeedDoc) doc = { 0 };
  const char *state;

  if (!tp_feed_doc_parse (&doc, text, length, "snapshot", "snapshot", error))
    return FALSE;
  if (!tp_feed_get_uint (doc.object, "snapshot", "seq", TRUE, MAX_SEQ, &header->seq, error) ||
      !tp_feed_get_uint (doc.object, "snapshot", "entries", TRUE, TP_FEED_SNAPSHOT_MAX_ENTRIES, &header->entries, error) ||
      !tp_feed_get_hash (doc.object, "snapshot", "segment_hash", header->segment_hash, error) ||
      !tp_feed_get_hash (doc.object, "snapshot", "body_sha256", header->body_sha256, error) ||
      !tp_feed_get_time (doc.object, "snapshot", "issued_at", TRUE, &header->issued_at, error) ||
      !tp_feed_get_string (doc.object, "snapshot", "state_hash", TRUE, &state, error))
    return FALSE;
  if (strlen (state) != TP_STATE_HASH_HEX_LEN || !tp_state_hash_from_hex (state, &header->state_hash))
    {
      g_autofree char *quoted = tp_json_quote (state);

      return tp_feed_fail (error, "snapshot", "state_hash", "“%s” is not a state hash (64 hex digits)", quoted);
    }
  header->key_id = g_steal_pointer (&doc.key_id);
  header->signature = g_steal_pointer (&doc.signature);
  header->signed_bytes = g_steal_pointer (&doc.signed_bytes);
  return TRUE;
}

TpFeedSnapshotReader *
tp_feed_snapshot_reader_new (GInputStream  *compressed,
                             GCancellable  *cancellable,
                             GError       **error)
{
  g_autoptr(TpFeedSnapshotReader) reader = g_new0 (TpFeedSnapshotReader, 1);
  g_autoptr(GZlibDecompressor) decompressor = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);
  g_autoptr(GError) local_error = NULL;
  const char *line;
  gsize length;

  g_return_val_if_fail (G_IS_INPUT_STREAM (compressed), NULL);

  reader->stream = g_converter_input_stream_new (compressed, G_CONVERTER (decompressor));
  reader->buffer = g_byte_array_new ();
  reader->body_checksum = g_checksum_new (G_CHECKSUM_SHA256);
  tp_state_hash_init (&reader->state_hash);

  if (!read_line (reader, &line, &length, cancellable, &local_error))
    {
      if (local_error != NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, TP_ERROR, TP_ERROR_TRUNCATED, "snapshot: empty, expected a header line");
      return NULL;
    }
  if (!parse_header (&reader->header, line, length, error))
    return NULL;
  return g_steal_pointer (&reader);
}

const TpFeedSnapshotHeader *
tp_feed_snapshot_reader_get_header (TpFeedSnapshotReader *reader)
{
  g_return_val_if_fail (reader != NULL, NULL);
  return &reader->header;
}

gboolean
tp_feed_snapshot_reader_verify (TpFeedSnapshotReader  *reader,
                                TpFeedKeyring         *ring,
                                GError               **error)
{
  TpFeedSnapshotHeader *header;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (reader != NULL && ring != NULL, FALSE);

  header = &reader->header;
  if (!tp_feed_keyring_verify (ring, header->key_id, header->signed_bytes, strlen (header->signed_bytes),
                               header->signature, &local_error))
    {
      g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT, "snapshot.%s", local_error->message);
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_end (TpFeedSnapshotReader  *reader,
           GError               **error)
{
  guint8 digest[TP_FEED_HASH_SIZE];
  gsize len = sizeof digest;

  if (reader->count != reader->header.entries)
    return tp_feed_fail (error, "snapshot", "entries", "%" G_GUINT64_FORMAT " announced, %" G_GUINT64_FORMAT " found",
                         reader->header.entries, reader->count);
  g_checksum_get_digest (reader->body_checksum, digest, &len);
  if (memcmp (digest, reader->header.body_sha256, sizeof digest) != 0)
    return tp_feed_fail (error, "snapshot", "body_sha256", "does not match the entries (altered or truncated)");
  if (!tp_state_hash_equal (&reader->state_hash, &reader->header.state_hash))
    return tp_feed_fail (error, "snapshot", "state_hash", "does not match the entries");
  return TRUE;
}

gboolean
tp_feed_snapshot_reader_next (TpFeedSnapshotReader  *reader,
                              TpEntry              **entry,
                              char                 **json,
                              GCancellable          *cancellable,
                              GError               **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(TpEntry) decoded = NULL;
  g_autofree char *canonical = NULL;
  char what[64];
  const char *line;
  gsize length;

  g_return_val_if_fail (reader != NULL && entry != NULL, FALSE);

  *entry = NULL;
  if (json != NULL)
    *json = NULL;
  if (reader->done)
    return TRUE;
  if (!read_line (reader, &line, &length, cancellable, &local_error))
    {
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      reader->done = TRUE;
      return check_end (reader, error);
    }
  if (reader->count >= reader->header.entries)
    return tp_feed_fail (error, "snapshot", "entries", "more than the %" G_GUINT64_FORMAT " announced",
                         reader->header.entries);
  g_checksum_update (reader->body_checksum, (const guchar *) line, (gssize) length);
  g_checksum_update (reader->body_checksum, (const guchar *) "\n", 1);
  reader->count++;

  /* the entry's name for a message is formatted only when there is a
   * message: once per entry it took 4 % of the reader's time */
  decoded = tp_entry_from_json (line, (gssize) length, &local_error);
  if (decoded == NULL)
    {
      g_snprintf (what, sizeof what, "snapshot entry %" G_GUINT64_FORMAT, reader->count);
      return tp_feed_fail (error, what, NULL, "%s", local_error->message);
    }
  if (reader->last_id != NULL && strcmp (decoded->id, reader->last_id) <= 0)
    {
      g_autofree char *quoted = tp_json_quote (decoded->id);

      g_snprintf (what, sizeof what, "snapshot entry %" G_GUINT64_FORMAT, reader->count);
      return tp_feed_fail (error, what, "id", "“%s” is not after the previous id (sorted, each id once)", quoted);
    }
  g_free (reader->last_id);
  reader->last_id = g_strdup (decoded->id);
  canonical = tp_entry_to_json (decoded);
  {
    guint8 digest[TP_STATE_HASH_SIZE];

    tp_state_hash_digest_json (canonical, strlen (canonical), digest);
    tp_state_hash_add_digest (&reader->state_hash, digest);
  }
  *entry = g_steal_pointer (&decoded);
  if (json != NULL)
    *json = g_steal_pointer (&canonical);
  return TRUE;
}

void
tp_feed_snapshot_reader_free (TpFeedSnapshotReader *reader)
{
  if (reader == NULL)
    return;
  g_clear_object (&reader->stream);
  g_clear_pointer (&reader->buffer, g_byte_array_unref);
  g_clear_pointer (&reader->body_checksum, g_checksum_free);
  tp_feed_snapshot_header_clear (&reader->header);
  g_free (reader->last_id);
  g_free (reader);
}
