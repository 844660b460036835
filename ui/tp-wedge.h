/* tp-wedge.h: a document reader's or barcode scanner's keystrokes, recognised anywhere
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Keyboard-wedge devices type what they read, far faster than a person:
 * a burst of keystrokes a few milliseconds apart. Attached to a window
 * (capture phase), TpWedge watches every key press. The first key of a
 * possible burst goes where it would have gone; the keys that follow it
 * within TP_WEDGE_MAX_GAP_MS are held back. When the keys stop
 * (TP_WEDGE_END_MS of quiet), a run of at least TP_WEDGE_MIN_LENGTH
 * characters that parses as an MRZ emits ::mrz, one that parses as a
 * boarding pass emits ::boarding-pass, and the first key is taken back out
 * of the field it went into. Anything else was a person typing fast: the
 * held-back keys are typed into the focused field after all.
 *
 * Enter inside a burst is a line break (document readers end each MRZ
 * line with one); an Enter after a whole MRZ or boarding pass ends the
 * burst at once. Keys with Control or Alt are never held back.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define TP_WEDGE_MAX_GAP_MS   35
#define TP_WEDGE_END_MS       120
#define TP_WEDGE_MIN_LENGTH   30

#define TP_TYPE_WEDGE (tp_wedge_get_type ())
G_DECLARE_FINAL_TYPE (TpWedge, tp_wedge, TP, WEDGE, GObject)

TpWedge  *tp_wedge_new          (void);
/* Watches @window's key presses; once. */
void      tp_wedge_attach       (TpWedge         *self,
                                 GtkWindow       *window);

/* What the key controller calls, exposed for tests: @time in
 * milliseconds (event time). Returns TRUE when the key was held back. */
gboolean  tp_wedge_key_pressed  (TpWedge         *self,
                                 guint            keyval,
                                 GdkModifierType  state,
                                 guint32          time);
/* Ends the current burst now, as TP_WEDGE_END_MS of quiet would. */
void      tp_wedge_flush        (TpWedge         *self);

/* When the last recognised burst ended (monotonic µs), for measurements. */
gint64    tp_wedge_get_last_burst_end (TpWedge   *self);

G_END_DECLS
