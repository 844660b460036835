/* tp-status-bar.h: reader, scanner, list, sync and outbox at a glance
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Follows a TpTerminal. Every item is an icon and words (a warning is
 * also a word: "STALE", "OFFLINE"), with its own accessible name
 * ("Reader: …", "List: …"). The list's age is refreshed every 30 s.
 */
#pragma once

#include <gtk/gtk.h>

#include "tp-terminal.h"

G_BEGIN_DECLS

#define TP_TYPE_STATUS_BAR (tp_status_bar_get_type ())
G_DECLARE_FINAL_TYPE (TpStatusBar, tp_status_bar, TP, STATUS_BAR, GtkBox)

GtkWidget  *tp_status_bar_new           (void);
void        tp_status_bar_set_terminal  (TpStatusBar *self,
                                         TpTerminal  *terminal);

/* The text of one item ("reader", "scanner", "list", "sync", "outbox"), for tests. */
const char *tp_status_bar_get_text      (TpStatusBar *self,
                                         const char  *item);
/* "ok", "warning", "error" or "neutral", for tests. */
const char *tp_status_bar_get_level     (TpStatusBar *self,
                                         const char  *item);

/* "3 min", "2 h", "5 days": how long ago, for a person. */
char       *tp_status_bar_format_age    (gint64       seconds);

G_END_DECLS
