/* fuzz-feed-event.c: libFuzzer target for the terminal event parser
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An accepted event, stamped as the hub stamps it, serialises to canonical
 * JSON that parses again to the same line (what the hub stores).
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "tp-feed-event.h"
#include "tp-feed-util.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(TpFeedEvent) event = NULL;
  g_autoptr(TpFeedEvent) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  g_autofree char *json2 = NULL;

  event = tp_feed_event_parse ((const char *) data, size, &error);
  if (event == NULL)
    {
      g_assert (error != NULL);
      g_assert (g_utf8_validate (error->message, -1, NULL));
      return 0;
    }
  g_assert (tp_feed_is_uuid (event->id) && tp_feed_is_uuid (event->case_id));
  g_assert (event->at != NULL && event->officer != NULL);
  tp_feed_event_stamp (event, "T2-EXIT-07", "HAN", "T2-EXIT");
  json = tp_feed_event_to_json (event);
  again = tp_feed_event_parse (json, strlen (json), &error);
  if (again == NULL)
    return 0;   /* stamping can push a line over the length limit */
  json2 = tp_feed_event_to_json (again);
  g_assert_cmpstr (json, ==, json2);
  return 0;
}
