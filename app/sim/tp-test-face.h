/* tp-test-face.h: a synthetic face for test documents
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * FOR TESTS AND DEMOS ONLY. A head, eyes, mouth and shoulders on a
 * gradient, as pixels or encoded (JPEG 2000 through OpenJPEG, or the
 * small baseline JPEG encoder here), so that DG2 can be built without
 * any image file.
 */
#pragma once

#include <glib.h>

#include "tp-face.h"

G_BEGIN_DECLS

/* A synthetic face (head, eyes, mouth, shoulders on a gradient), encoded
 * as format (JP2, J2K or a baseline JPEG) of about target_bytes. */
GBytes     *tp_test_face_image      (TpFaceFormat     format,
                                     guint            width,
                                     guint            height,
                                     gsize            target_bytes,
                                     GError         **error);
/* The same face as RGB pixels (width × height × 3). */
guint8     *tp_test_face_pixels     (guint            width,
                                     guint            height);
/* A baseline JPEG of RGB pixels; quality 1–100. */
GBytes     *tp_test_encode_jpeg     (const guint8    *rgb,
                                     guint            width,
                                     guint            height,
                                     guint            quality);

G_END_DECLS
