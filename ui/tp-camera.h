/* tp-camera.h: boarding passes read by a camera, the second path beside the scanner
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Frames come from a V4L2 device ("/dev/video0": YUYV, GREY, NV12, YU12
 * or MJPEG, 1280×720 asked for) or, as test equipment and for the demo,
 * from a still image repeated as frames ("file:PATH"). A worker thread
 * captures and decodes each frame (tp-barcode.h: zbar, then zxing-cpp);
 * the main context gets ::barcode (each new text once, again only after
 * 3 s without it) and ::preview (a texture, a few times a second).
 */
#pragma once

#include <gtk/gtk.h>

#include "tp-barcode.h"

G_BEGIN_DECLS

#define TP_CAMERA_ERROR (tp_camera_error_quark ())

typedef enum {
  TP_CAMERA_ERROR_OPEN,       /* no such device, or not a camera */
  TP_CAMERA_ERROR_FORMAT,     /* none of the frame formats read here */
  TP_CAMERA_ERROR_FAILED,
} TpCameraError;

GQuark tp_camera_error_quark (void);

#define TP_TYPE_CAMERA (tp_camera_get_type ())
G_DECLARE_FINAL_TYPE (TpCamera, tp_camera, TP, CAMERA, GObject)

TpCamera    *tp_camera_new         (const char  *source);
const char  *tp_camera_get_source  (TpCamera    *self);
/* Opens the source and starts capturing. */
gboolean     tp_camera_start       (TpCamera    *self,
                                    GError     **error);
/* Stops capturing and closes the device; waits for the worker. */
void         tp_camera_stop        (TpCamera    *self);
gboolean     tp_camera_is_running  (TpCamera    *self);
/* Frames captured since the start. */
guint        tp_camera_get_frames  (TpCamera    *self);

G_END_DECLS
