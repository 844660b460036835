/* tp-login-page.h: officer ID and PIN, and the lock screen
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Fields named "Officer ID" and "PIN", a button named "Sign in". The PIN
 * is checked by TpAccounts off the UI thread; on success the page emits
 * ::signed-in with the TpOfficer. When the session is locked, the page
 * says who is signed in and takes their PIN (or another officer's ID).
 */
#pragma once

#include <gtk/gtk.h>

#include "tp-accounts.h"

G_BEGIN_DECLS

#define TP_TYPE_LOGIN_PAGE (tp_login_page_get_type ())
G_DECLARE_FINAL_TYPE (TpLoginPage, tp_login_page, TP, LOGIN_PAGE, GtkWidget)

GtkWidget  *tp_login_page_new            (void);
void        tp_login_page_set_accounts   (TpLoginPage *self,
                                          TpAccounts  *accounts);
/* NULL: sign in. An officer ID: that officer's session is locked. */
void        tp_login_page_set_locked_by  (TpLoginPage *self,
                                          const char  *officer_id);
/* A line under the form (the demo accounts in demo mode), or NULL. */
void        tp_login_page_set_hint       (TpLoginPage *self,
                                          const char  *hint);
/* Empties the PIN (and the ID unless locked) and the message. */
void        tp_login_page_reset          (TpLoginPage *self);
/* The message shown after a refused sign-in, or "". */
const char *tp_login_page_get_message    (TpLoginPage *self);
/* Starts a sign-in with what is in the fields (the Sign in button). */
void        tp_login_page_submit         (TpLoginPage *self);
gboolean    tp_login_page_get_busy       (TpLoginPage *self);

G_END_DECLS
