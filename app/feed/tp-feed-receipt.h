/* tp-feed-receipt.h: the hub's answer to one input line (docs/feed.md)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * POST /v1/entries and POST /v1/events answer one receipt per input line,
 * in order, as JSON lines:
 *   {"line": 1, "id": "EB-1", "version": 3, "status": "accepted", "seq": 1042}
 *   {"line": 2, "id": "EB-2", "status": "rejected", "reason": "..."}
 *   {"line": 3, "id": "EB-1", "version": 3, "status": "duplicate", "seq": 1042}
 *   {"line": 1, "id": "<event uuid>", "status": "accepted"}
 * plus "warnings": ["..."] on an accepted entry the hub has doubts about.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  TP_RECEIPT_ACCEPTED,
  TP_RECEIPT_DUPLICATE,
  TP_RECEIPT_REJECTED,
} TpReceiptStatus;

typedef struct {
  guint64          line;       /* 1-based */
  char            *id;         /* NULL when the line had none that could be read */
  guint            version;    /* entries; 0 when absent */
  TpReceiptStatus  status;
  guint64          seq;        /* entries accepted or duplicate; 0 when absent */
  char            *reason;     /* rejected only */
  GStrv            warnings;   /* NULL or a non-empty list */
} TpFeedReceipt;

TpFeedReceipt *tp_feed_receipt_new               (void);
void           tp_feed_receipt_free              (TpFeedReceipt   *receipt);
/* One line of canonical JSON, without a newline */
char          *tp_feed_receipt_to_json           (const TpFeedReceipt *receipt);
TpFeedReceipt *tp_feed_receipt_parse             (const char      *text,
                                                  gsize            length,
                                                  GError         **error);
const char    *tp_receipt_status_to_string       (TpReceiptStatus  status);
gboolean       tp_receipt_status_from_string     (const char      *text,
                                                  TpReceiptStatus *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpFeedReceipt, tp_feed_receipt_free)

G_END_DECLS
