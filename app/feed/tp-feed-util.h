/* tp-feed-util.h: hex, SHA-256 and time helpers shared by the feed formats
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TP_FEED_HASH_SIZE    32
#define TP_FEED_HASH_HEX_LEN 64

/* Lower-case hex of data[0, len). */
char      *tp_feed_hex            (const guint8 *data,
                                   gsize         len);
/* Exactly 2 * @len hex digits (either case) into @out; FALSE otherwise. */
gboolean   tp_feed_unhex          (const char   *hex,
                                   guint8       *out,
                                   gsize         len);
void       tp_feed_sha256         (const void   *data,
                                   gsize         len,
                                   guint8        out[TP_FEED_HASH_SIZE]);
char      *tp_feed_sha256_hex     (const void   *data,
                                   gsize         len);

/* RFC 3339 in UTC with whole seconds: "2026-12-06T06:09:22Z". */
char      *tp_feed_format_time    (GDateTime    *time);
/* RFC 3339 with an explicit offset ("Z" or "+07:00"); NULL otherwise. */
GDateTime *tp_feed_parse_time     (const char   *text);

/* Whether @text is a UUID in its canonical text form: 8-4-4-4-12
 * lower-case hex digits. */
gboolean   tp_feed_is_uuid        (const char   *text);

G_END_DECLS
