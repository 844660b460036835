/* tp-reader.h: a document reader that never blocks its caller
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A TpReader owns one transport (tp-transport.h) and one worker thread.
 * Everything that can block (opening the device, watching for cards,
 * every APDU) runs on the worker; signals and GTask results are delivered
 * on the thread-default main context of the thread that created the
 * TpReader, so a GTK window can use it directly.
 *
 * Signals:
 *   card-inserted ()                      a card came onto the reader
 *   card-removed ()                       it left
 *   progress (const char *file, guint64 done, guint64 total)
 *                                         bytes of the document read so far
 *                                         and the total known so far (it
 *                                         grows as file headers are read)
 *   reader-error (GError *error)          the reader itself failed while
 *                                         watching (unplugged, daemon gone)
 * Card events are only watched between tp_reader_start_watching() and
 * tp_reader_stop_watching().
 */
#pragma once

#include <gio/gio.h>

#include "tp-document-reader.h"
#include "tp-transport.h"

G_BEGIN_DECLS

#define TP_TYPE_READER (tp_reader_get_type ())
G_DECLARE_FINAL_TYPE (TpReader, tp_reader, TP, READER, GObject)

/* Nothing is opened yet: the worker opens the transport on first use. */
TpReader       *tp_reader_new                   (const char           *connstring);
/* Takes a reference on @transport, which only the worker uses from now. */
TpReader       *tp_reader_new_for_transport     (TpTransport          *transport);

const char     *tp_reader_get_connstring        (TpReader             *self);
/* Last known card presence (updated while watching and by reads). */
gboolean        tp_reader_get_card_present      (TpReader             *self);
/* TRUE while a read runs. */
gboolean        tp_reader_get_busy              (TpReader             *self);

void            tp_reader_start_watching        (TpReader             *self);
void            tp_reader_stop_watching         (TpReader             *self);

/* The whole read (tp_document_reader_read()) on the worker. @key and
 * @options are copied. Progress comes as "progress" signals. */
void            tp_reader_read_document_async   (TpReader             *self,
                                                 const TpAccessKey    *key,
                                                 const TpReadOptions  *options,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
TpDocument     *tp_reader_read_document_finish  (TpReader             *self,
                                                 GAsyncResult         *result,
                                                 GError              **error);

/* Reader discovery (tp_transport_list_readers()) in a thread: the result
 * is a GPtrArray of TpReaderInfo. */
void            tp_reader_list_readers_async    (gboolean              include_sim,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
GPtrArray      *tp_reader_list_readers_finish   (GAsyncResult         *result,
                                                 GError              **error);

G_END_DECLS
