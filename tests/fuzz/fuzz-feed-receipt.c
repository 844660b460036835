/* fuzz-feed-receipt.c: libFuzzer target for the receipt parser
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A receipt that parses writes back to a receipt that parses to the same
 * canonical line (round trip).
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "tp-feed-receipt.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(TpFeedReceipt) receipt = NULL;
  g_autoptr(TpFeedReceipt) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  g_autofree char *json2 = NULL;

  receipt = tp_feed_receipt_parse ((const char *) data, size, &error);
  if (receipt == NULL)
    {
      g_assert (error != NULL);
      g_assert (g_utf8_validate (error->message, -1, NULL));
      return 0;
    }
  g_assert (receipt->line >= 1);
  g_assert ((receipt->status == TP_RECEIPT_REJECTED) == (receipt->reason != NULL));
  json = tp_feed_receipt_to_json (receipt);
  again = tp_feed_receipt_parse (json, strlen (json), &error);
  g_assert_no_error (error);
  json2 = tp_feed_receipt_to_json (again);
  g_assert_cmpstr (json, ==, json2);
  return 0;
}
