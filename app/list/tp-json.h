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

/* Appends @s as a JSON string in canonical form (RFC 8785 / JCS): '"' and
 * '\\' escaped, the short escapes \b \f \n \r \t, other control
 * characters as \u00xx, everything else (UTF-8 included) as is. The
 * canonical JSON of entries and audit records, which hashes cover, is
 * written with it. */
void      tp_json_append_string     (GString     *out,
                                     const char  *s);

/* Canonical JSON (RFC 8785 style: members sorted by name, no white space)
 * of any JSON node, NULL as "null"; numbers that are not integers are
 * written with %.17g. The form that audit records and events are hashed
 * in. */
char     *tp_json_canonical         (JsonNode    *node);

G_END_DECLS
