/* tp-demo-panel.h: the demo's controls, beside the counter
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One button per scenario traveller, named "Demo traveller: <id>" for
 * screen readers and tests; ::present says which was pressed. A second
 * group drives the embedded hub (issue an exit ban live, cancel it) when
 * demo mode has one.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define TP_TYPE_DEMO_PANEL (tp_demo_panel_get_type ())
G_DECLARE_FINAL_TYPE (TpDemoPanel, tp_demo_panel, TP, DEMO_PANEL, GtkWidget)

GtkWidget  *tp_demo_panel_new          (void);
/* A line about what the last action did (or failed to do). */
void        tp_demo_panel_set_status   (TpDemoPanel *self,
                                        const char  *text);
const char *tp_demo_panel_get_status   (TpDemoPanel *self);
/* Shows the hub group; @banned: whether the live ban is in force now. */
void        tp_demo_panel_set_hub      (TpDemoPanel *self,
                                        gboolean     available,
                                        gboolean     banned);

G_END_DECLS
