/* main.c: the touchpoint executable; everything else is in libtp-ui
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "tp-application.h"
#include "tp-demo.h"

int
main (int    argc,
      char **argv)
{
  g_autoptr(TpApplication) app = NULL;
  g_autoptr(TpDemo) demo = NULL;

  tp_application_init_i18n ();
  app = tp_application_new ();
  demo = tp_demo_new ();
  tp_application_set_demo_mode (app, TP_DEMO_MODE (demo));
  return g_application_run (G_APPLICATION (app), argc, argv);
}
