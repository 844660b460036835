/* fuzz-sync-message.c: libFuzzer target for what the sync client reads
 * outside the signed feed: push messages, the hub's answer to a
 * reconciliation, and an enrollment bundle's enrollment.json
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The first byte picks the parser (modulo 3), the rest is its input.
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "tp-enrollment.h"
#include "tp-sync-message.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  const char *text;
  gsize len;

  if (size < 1)
    return 0;
  text = (const char *) data + 1;
  len = size - 1;
  switch (data[0] % 3)
    {
    case 0:
      {
        g_autoptr(JsonNode) escalation = NULL;
        TpSyncMessageKind kind;
        guint64 seq;

        if (tp_sync_parse_push_message (text, len, &kind, &seq, &escalation, &error))
          {
            g_assert ((kind == TP_SYNC_MESSAGE_ESCALATION) == (escalation != NULL));
            g_assert (escalation == NULL || JSON_NODE_HOLDS_OBJECT (escalation));
            g_assert (seq <= G_MAXINT64);
          }
        else
          {
            g_assert (error != NULL && escalation == NULL);
            g_assert (g_utf8_validate (error->message, -1, NULL));
          }
        break;
      }
    case 1:
      {
        g_autoptr(JsonNode) answer = tp_sync_parse_reconcile_answer (text, len, &error);

        if (answer != NULL)
          {
            JsonObject *o = json_node_get_object (answer);

            g_assert (JSON_NODE_HOLDS_ARRAY (json_object_get_member (o, "hub_lacks")));
            g_assert (JSON_NODE_HOLDS_ARRAY (json_object_get_member (o, "hub_extra")));
          }
        else
          g_assert (error != NULL && g_utf8_validate (error->message, -1, NULL));
        break;
      }
    default:
      {
        g_autoptr(TpEnrollment) enrollment = tp_enrollment_parse (text, len, &error);

        if (enrollment != NULL)
          {
            g_assert (g_str_has_prefix (enrollment->hub_url, "https://"));
            g_assert (g_str_has_suffix (enrollment->hub_url, "/"));
            g_assert (g_str_has_suffix (enrollment->feed_url, "/"));
            g_assert (g_str_has_prefix (enrollment->push_url, "wss://"));
            g_assert (enrollment->terminal != NULL && enrollment->terminal[0] != '\0');
          }
        else
          g_assert (error != NULL && g_utf8_validate (error->message, -1, NULL));
        break;
      }
    }
  return 0;
}
