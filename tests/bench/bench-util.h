/* bench-util.h: what every benchmark prints about the machine it ran on
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* "CPU model, N logical CPUs, Linux 6.1.0 x86_64; compiler 12.2.0;
 * GLib 2.74.6": for the line a benchmark prints beside its figures. */
char *tp_bench_machine (void);

G_END_DECLS
