/* tp-canonical-json.h: RFC 8785 (JCS) serialisation of a JSON tree
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The bytes the feed's signatures cover (docs/feed.md, "Canonical form").
 * The feed's documents hold objects, arrays, strings, whole numbers,
 * booleans and null only, and their member names are ASCII, so the
 * serialisation is: members sorted by name (byte order), no white space,
 * strings escaped as tp_json_append_string() does, whole numbers in
 * decimal without a sign for positives or leading zeros. A fraction or
 * exponent, or a non-ASCII member name, is an error: such a document is
 * not one of the feed's. The serialisation itself is the list's
 * tp_json_canonical_append() in its strict form.
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

gboolean  tp_canonical_json_append (GString     *out,
                                    JsonNode    *node,
                                    GError     **error);
/* NULL with TP_ERROR_INVALID_INPUT on a node the form cannot hold. */
char     *tp_canonical_json        (JsonNode    *node,
                                    GError     **error);

G_END_DECLS
