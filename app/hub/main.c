/* main.c: touchpoint-hub, the agencies' side of the exchange
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>

#include "tp-hub-cli.h"

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  return tp_hub_cli_run (argc, argv);
}
