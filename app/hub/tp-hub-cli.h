/* tp-hub-cli.h: the commands of `touchpoint-hub`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every command prints JSON on standard output (one document per line;
 * serve one line per request). Exit status: 0 done, 1 failed (the error
 * as {"error": "..."}), 2 wrong usage.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

int tp_hub_cli_run (int    argc,
                    char **argv);

G_END_DECLS
