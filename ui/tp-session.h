/* tp-session.h: who is signed in at this counter, and the idle lock
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One officer at a time. After idle-timeout seconds without input the
 * session locks: the officer stays known (and visible), but nothing can be
 * done until a PIN is entered again. Signing in as another officer ends
 * the previous session. No widgets here: the window reports input with
 * tp_session_touch() and follows the properties.
 */
#pragma once

#include <glib-object.h>

#include "tp-accounts.h"

G_BEGIN_DECLS

#define TP_TYPE_SESSION (tp_session_get_type ())
G_DECLARE_FINAL_TYPE (TpSession, tp_session, TP, SESSION, GObject)

TpSession       *tp_session_new               (void);

/* Starts a session (or resumes a locked one of the same officer). */
void             tp_session_sign_in           (TpSession       *self,
                                               const TpOfficer *officer);
void             tp_session_sign_out          (TpSession       *self);
void             tp_session_lock              (TpSession       *self);

/* NULL when nobody is signed in. */
const TpOfficer *tp_session_get_officer       (TpSession       *self);
const char      *tp_session_get_officer_id    (TpSession       *self);
/* 0 when nobody is signed in. */
TpRoles          tp_session_get_role          (TpSession       *self);
gboolean         tp_session_get_locked        (TpSession       *self);
/* Signed in and not locked: decisions may be taken. */
gboolean         tp_session_get_active        (TpSession       *self);

/* 0 = never lock. */
void             tp_session_set_idle_timeout  (TpSession       *self,
                                               guint            seconds);
guint            tp_session_get_idle_timeout  (TpSession       *self);
/* The officer did something: the idle time starts again. */
void             tp_session_touch             (TpSession       *self);

/* For display: "Immigration", "Customs", "Supervisor" (translated). */
const char      *tp_session_role_label        (TpRoles          role);

G_END_DECLS
