/* tp-queue-page.h: the supervisor's queue of escalated cases
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Escalations from any terminal of the airport, newest first, as they
 * are pushed (or raised at this terminal). Each row says when, where, who,
 * the verdict and the reason; "Open" emits ::open with the escalation's
 * event id. A resolved escalation leaves the queue.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define TP_TYPE_QUEUE_PAGE (tp_queue_page_get_type ())
G_DECLARE_FINAL_TYPE (TpQueuePage, tp_queue_page, TP, QUEUE_PAGE, GtkWidget)

GtkWidget  *tp_queue_page_new        (void);

/* @at: unix seconds; @verdict: a TpVerdict or TP_VERDICT_NONE. Adding an
 * id already in the queue does nothing. */
void        tp_queue_page_add        (TpQueuePage *self,
                                      const char  *escalation_id,
                                      gint64       at,
                                      const char  *terminal,
                                      const char  *officer,
                                      int          verdict,
                                      const char  *reason);
void        tp_queue_page_remove     (TpQueuePage *self,
                                      const char  *escalation_id);
guint       tp_queue_page_get_count  (TpQueuePage *self);

G_END_DECLS
