/* tp-json.h: reading one JSON object from a line of JSON-lines input
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * List entries (from the hub or `list import`) and screening queries come
 * as JSON lines. Before json-glib sees a line, it must be one object and
 * nothing else: at most TP_JSON_MAX_LINE bytes, valid UTF-8 without NUL,
 * nested at most TP_JSON_MAX_DEPTH deep (json-glib's parser recurses, so a
 * line of 100 000 '[' would otherwise exhaust the stack), and only white
 * space after the object ("{...}{...}" on one line is an error, not a
 * silently dropped second object).
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define TP_JSON_MAX_LINE  (64 * 1024)
#define TP_JSON_MAX_DEPTH 32

/* Returns the object's node (owned), or NULL with TP_ERROR_INVALID_INPUT and
 * a message starting with @what ("entry", "query"). */
JsonNode *tp_json_parse_object_line (const char  *text,
                                     gssize       length,
                                     const char  *what,
                                     GError     **error);

/* The same checks for one object of at most @max bytes that is not a line
 * of JSON-lines input (a reconciliation summary or answer, a push
 * message): every body that json-glib parses from outside goes through
 * one of the two. */
JsonNode *tp_json_parse_object      (const char  *text,
                                     gssize       length,
                                     gsize        max,
                                     const char  *what,
                                     GError     **error);

/* Appends @s as a JSON string in canonical form (RFC 8785 / JCS): '"' and
 * '\\' escaped, the short escapes \b \f \n \r \t, other control
 * characters as \u00xx, everything else (UTF-8 included) as is. The
 * canonical JSON of entries and audit records, which hashes cover, is
 * written with it. */
void      tp_json_append_string     (GString     *out,
                                     const char  *s);

/* How tp_json_canonical_append() treats what RFC 8785 forms differently
 * or not at all. DEFAULT writes any tree: numbers that are not integers
 * with %.17g, any member name and string as they are (the form that audit
 * records, entries and events are hashed in). STRICT is the feed's form
 * (docs/feed.md): whole numbers only, ASCII member names, valid UTF-8,
 * nested at most TP_JSON_MAX_DEPTH deep; anything else is an error. */
typedef enum {
  TP_JSON_CANONICAL_DEFAULT = 0,
  TP_JSON_CANONICAL_STRICT  = 1 << 0,
} TpJsonCanonicalFlags;

/* Appends the canonical JSON (members sorted by name in byte order, no
 * white space) of @node, NULL as "null". FALSE with
 * TP_ERROR_INVALID_INPUT only with TP_JSON_CANONICAL_STRICT; @out then
 * holds a partial document. */
gboolean  tp_json_canonical_append  (GString               *out,
                                     JsonNode              *node,
                                     TpJsonCanonicalFlags   flags,
                                     GError               **error);

/* tp_json_canonical_append() with TP_JSON_CANONICAL_DEFAULT, as a string. */
char     *tp_json_canonical         (JsonNode    *node);

/* A value for an error message: at most 40 characters (then "…"), made
 * valid UTF-8, control characters as \u00xx. */
char     *tp_json_quote             (const char  *text);

G_END_DECLS
