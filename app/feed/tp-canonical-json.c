/* tp-canonical-json.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tp-canonical-json.h"
#include "tp-error.h"
#include "tp-json.h"

gboolean
tp_canonical_json_append (GString   *out,
                          JsonNode  *node,
                          GError   **error)
{
  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (node != NULL, FALSE);

  return tp_json_canonical_append (out, node, TP_JSON_CANONICAL_STRICT, error);
}

char *
tp_canonical_json (JsonNode  *node,
                   GError   **error)
{
  g_autoptr(GString) out = g_string_new (NULL);

  if (!tp_canonical_json_append (out, node, error))
    return NULL;
  return g_string_free (g_steal_pointer (&out), FALSE);
}
