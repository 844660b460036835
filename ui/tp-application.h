/* tp-application.h: the Touchpoint application (org.touchpoint.Touchpoint)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reads the settings (GSettings org.touchpoint.Touchpoint), opens the
 * terminal's store off the UI thread, and shows one window. Command line:
 *   --demo            demo mode (ui/demo/: an embedded hub, a throw-away
 *                     terminal with the demo accounts, the software chip;
 *                     see tools/demo)
 *   --kiosk           fullscreen, no window controls (also a setting)
 *   --store PATH --key-file PATH   the terminal's store (default: settings,
 *                     else the user data directory)
 *   --airport IATA    this checkpoint's airport (default: settings)
 *   --add-officer ID --role ROLE [--name NAME]   adds an officer account
 *                     (PIN read from standard input) and exits
 */
#pragma once

#include <adwaita.h>

#include "tp-counter.h"
#include "tp-demo-mode.h"
#include "tp-session.h"
#include "tp-terminal.h"

G_BEGIN_DECLS

#define TP_TYPE_APPLICATION (tp_application_get_type ())
G_DECLARE_FINAL_TYPE (TpApplication, tp_application, TP, APPLICATION, AdwApplication)

/* setlocale, and the message catalogue (TOUCHPOINT_LOCALEDIR overrides
 * the installed one, for running from the build directory). */
void           tp_application_init_i18n      (void);

TpApplication *tp_application_new            (void);
TpTerminal    *tp_application_get_terminal   (TpApplication *self);
TpSession     *tp_application_get_session    (TpApplication *self);
gboolean       tp_application_get_demo       (TpApplication *self);
/* The window, once activated. */
GtkWindow     *tp_application_get_window     (TpApplication *self);
/* Demo mode's implementation (the demo library's); before running. */
void           tp_application_set_demo_mode  (TpApplication *self,
                                              TpDemoMode    *demo_mode);
/* Once the store is open (NULL before). */
TpCheckpoint  *tp_application_get_checkpoint (TpApplication *self);
TpCounter     *tp_application_get_counter    (TpApplication *self);
/* The chip reader (the demo's software chip, a configured reader) and the
 * trust store it verifies against (NULL: the configured one). */
void           tp_application_set_reader     (TpApplication *self,
                                              TpReader      *reader,
                                              TpTrustStore  *trust);

G_END_DECLS
