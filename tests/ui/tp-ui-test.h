/* tp-ui-test.h: helpers for the widget tests (GNOME Console style)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each test presents real widgets in a real window under Xvfb, waits for
 * them to draw, drives them as an officer would, asserts their state and
 * accessible names (GTK_A11Y=test), and saves a PNG of what it drew.
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* gtk_test_init, libadwaita, the message catalogue of the build tree. */
void        tp_ui_test_init            (int         *argc,
                                        char      ***argv);

/* A window holding @child, presented and drawn. */
GtkWindow  *tp_ui_test_window_new      (GtkWidget   *child,
                                        int          width,
                                        int          height);
/* Iterates the main loop until @widget has drawn a frame. */
void        tp_ui_test_wait_for_draw   (GtkWidget   *widget);
/* Iterates the main loop until *@flag is TRUE (fails after 20 s). */
void        tp_ui_test_wait_for        (const gboolean *flag);
/* Iterates the main loop for @ms milliseconds. */
void        tp_ui_test_spin            (guint        ms);

/* Saves @widget as it is drawn now to screenshots/NAME.png under the
 * test build directory (or $TP_SCREENSHOT_DIR); returns the path. */
char       *tp_ui_test_screenshot      (GtkWidget   *widget,
                                        const char  *name);

/* The first descendant of @root (itself included) of @type whose label
 * (GtkButton, GtkLabel) is @label; NULL when there is none. */
GtkWidget  *tp_ui_test_find_labelled  (GtkWidget   *root,
                                        GType        type,
                                        const char  *label);
/* How many descendants of @root are of @type. */
guint       tp_ui_test_count           (GtkWidget   *root,
                                        GType        type);

/* A scratch directory, removed by tp_ui_test_remove_tree(). */
char       *tp_ui_test_make_dir        (void);
void        tp_ui_test_remove_tree     (const char  *path);

G_END_DECLS
