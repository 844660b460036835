/* tp-error.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tp-error.h"

G_DEFINE_QUARK (tp-error-quark, tp_error)
