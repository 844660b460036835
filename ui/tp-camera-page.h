/* tp-camera-page.h: the camera view: what the camera sees and what it read
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shows the camera's frames while the view is on screen (the camera runs
 * only then) and says what was read; a boarding pass read emits
 * ::boarding-pass with its text, as the scanner's does.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define TP_TYPE_CAMERA_PAGE (tp_camera_page_get_type ())
G_DECLARE_FINAL_TYPE (TpCameraPage, tp_camera_page, TP, CAMERA_PAGE, GtkWidget)

GtkWidget  *tp_camera_page_new         (void);
/* The camera ("/dev/video0", "file:PATH"), or NULL for none. */
void        tp_camera_page_set_source  (TpCameraPage *self,
                                        const char   *source);
const char *tp_camera_page_get_status  (TpCameraPage *self);
gboolean    tp_camera_page_get_running (TpCameraPage *self);

G_END_DECLS
