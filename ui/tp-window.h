/* tp-window.h: the counter's window: sign-in, the case, the status bar
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shows the login page until an officer signs in (and again when the
 * session locks), then the counter (the case page), the manual MRZ
 * entry and, for supervisors, the escalation queue. Who is signed in is
 * always in the header bar; the terminal's state is in the status bar.
 * Keyboard-wedge input is recognised anywhere in the window.
 */
#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

#include "tp-camera-page.h"
#include "tp-case-page.h"
#include "tp-counter.h"
#include "tp-login-page.h"
#include "tp-mrz-entry.h"
#include "tp-queue-page.h"
#include "tp-session.h"
#include "tp-status-bar.h"
#include "tp-terminal.h"
#include "tp-wedge.h"

G_BEGIN_DECLS

#define TP_TYPE_WINDOW (tp_window_get_type ())
G_DECLARE_FINAL_TYPE (TpWindow, tp_window, TP, WINDOW, AdwApplicationWindow)

TpWindow    *tp_window_new              (GtkApplication *application,
                                         TpTerminal     *terminal,
                                         TpSession      *session);

/* Kiosk: fullscreen, no window controls, closing refused. */
void         tp_window_set_kiosk        (TpWindow       *self,
                                         gboolean        kiosk);
/* "HAN · T2-EXIT-07" in the header bar; the airport drives the journey checks. */
void         tp_window_set_place        (TpWindow       *self,
                                         const char     *airport,
                                         const char     *terminal_id);
/* A line on the login page (the demo accounts), or NULL. */
void         tp_window_set_login_hint   (TpWindow       *self,
                                         const char     *hint);
/* A widget for the side panel (the demo panel), shown with F9 and the
 * header bar's Demo button. */
void         tp_window_set_side_panel   (TpWindow       *self,
                                         GtkWidget      *panel);
/* The camera view's camera ("/dev/video0", "file:PATH"), or NULL: no
 * camera view. */
void         tp_window_set_camera       (TpWindow       *self,
                                         const char     *source);
void         tp_window_show_toast       (TpWindow       *self,
                                         const char     *text);

/* The counter whose cases the window shows and feeds (set once the store
 * is open). */
void         tp_window_set_counter      (TpWindow       *self,
                                         TpCounter      *counter);
TpCounter   *tp_window_get_counter      (TpWindow       *self);
/* A boarding pass's text, as a scanner would give it. */
void         tp_window_present_boarding_pass (TpWindow   *self,
                                              const char *text);
/* An MRZ's text, as a document reader would give it. */
void         tp_window_present_mrz      (TpWindow       *self,
                                         const char     *text);

TpCasePage  *tp_window_get_case_page    (TpWindow       *self);
TpLoginPage *tp_window_get_login_page   (TpWindow       *self);
TpMrzEntry  *tp_window_get_mrz_entry    (TpWindow       *self);
TpQueuePage *tp_window_get_queue_page   (TpWindow       *self);
/* An escalation pushed by the hub (JSON object, as the hub stored it):
 * into the supervisor queue unless it is there already. */
void         tp_window_add_escalation   (TpWindow       *self,
                                         JsonNode       *event);
TpStatusBar *tp_window_get_status_bar   (TpWindow       *self);
TpCameraPage *tp_window_get_camera_page (TpWindow       *self);
TpWedge     *tp_window_get_wedge        (TpWindow       *self);
/* "login" or "work" */
const char  *tp_window_get_screen       (TpWindow       *self);
/* "counter", "manual", "camera" or "queue" */
const char  *tp_window_get_view         (TpWindow       *self);

G_END_DECLS
