/* tp-error.h: error domain shared by the core libraries
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TP_ERROR (tp_error_quark ())

/**
 * TpError:
 * @TP_ERROR_INVALID_INPUT: the input is not what the operation reads
 *   (not an MRZ, not a boarding pass, not BER-TLV...)
 * @TP_ERROR_TRUNCATED: the input ends before a declared length
 * @TP_ERROR_UNSUPPORTED: well-formed, but a variant this code does not handle
 * @TP_ERROR_INVALID_ARGUMENT: a caller (command line, API) passed a bad value
 * @TP_ERROR_FAILED: any other failure
 *
 * Codes shared by the core parsers. Messages are written for the person
 * who has to act on them: they name the field, what was found and what
 * was expected.
 */
typedef enum {
  TP_ERROR_INVALID_INPUT,
  TP_ERROR_TRUNCATED,
  TP_ERROR_UNSUPPORTED,
  TP_ERROR_INVALID_ARGUMENT,
  TP_ERROR_FAILED,
} TpError;

GQuark tp_error_quark (void);

G_END_DECLS
