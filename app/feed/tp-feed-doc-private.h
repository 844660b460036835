/* tp-feed-doc-private.h: signed documents and member readers inside app/feed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every signed document of the feed (head, segment header, snapshot
 * header) is one JSON object with a "type", a "key_id" and a "signature"
 * member; the signature covers the canonical form (tp-canonical-json.h) of
 * the object without its "signature" member. Error messages name the
 * member as "WHAT.MEMBER: problem" ("head.seq: missing (required)").
 */
#pragma once

#include <json-glib/json-glib.h>

#include "tp-feed-key.h"
#include "tp-feed-util.h"

G_BEGIN_DECLS

typedef struct {
  JsonNode   *root;           /* the whole object */
  JsonObject *object;         /* root's object */
  char       *signed_bytes;   /* canonical form without "signature" */
  char       *key_id;
  char       *signature;
} TpFeedDoc;

void      tp_feed_doc_clear     (TpFeedDoc      *doc);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (TpFeedDoc, tp_feed_doc_clear)

/* One JSON object of at most 64 KiB whose "type" is @type, with its
 * key_id and signature read and the signed bytes computed. */
gboolean  tp_feed_doc_parse     (TpFeedDoc      *doc,
                                 const char     *text,
                                 gsize           length,
                                 const char     *what,
                                 const char     *type,
                                 GError        **error);
/* @object (without key_id and signature) gets key_id, is signed by @key
 * and gets its signature; returns the document's canonical form. */
char     *tp_feed_doc_sign      (JsonObject     *object,
                                 TpFeedKey      *key,
                                 GError        **error);

gboolean  tp_feed_fail          (GError        **error,
                                 const char     *what,
                                 const char     *member,
                                 const char     *format,
                                 ...) G_GNUC_PRINTF (4, 5);

/* Readers: a missing or null member is an error when @required, else
 * leaves the default (0, NULL, FALSE). */
gboolean  tp_feed_get_uint      (JsonObject     *object,
                                 const char     *what,
                                 const char     *member,
                                 gboolean        required,
                                 guint64         max,
                                 guint64        *out,
                                 GError        **error);
gboolean  tp_feed_get_string    (JsonObject     *object,
                                 const char     *what,
                                 const char     *member,
                                 gboolean        required,
                                 const char    **out,
                                 GError        **error);
gboolean  tp_feed_get_bool      (JsonObject     *object,
                                 const char     *what,
                                 const char     *member,
                                 gboolean        required,
                                 gboolean       *out,
                                 GError        **error);
gboolean  tp_feed_get_hash      (JsonObject     *object,
                                 const char     *what,
                                 const char     *member,
                                 guint8          out[TP_FEED_HASH_SIZE],
                                 GError        **error);
gboolean  tp_feed_get_time      (JsonObject     *object,
                                 const char     *what,
                                 const char     *member,
                                 gboolean        required,
                                 GDateTime     **out,
                                 GError        **error);
/* The member, NULL when absent or null */
JsonNode *tp_feed_get_member    (JsonObject     *object,
                                 const char     *member);
const char *tp_feed_describe_node (JsonNode     *node);

G_END_DECLS
