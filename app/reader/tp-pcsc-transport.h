/* tp-pcsc-transport.h: a card on a PC/SC reader (pcsc-lite)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Most counter document readers are PC/SC (CCID) readers; the contactless
 * card appears with an ATR built by the reader (PC/SC part 3) and takes
 * APDUs over T=1. Extended-length APDUs pass when the reader says so
 * (SCARD_ATTR_MAXINPUT) or does not say otherwise.
 */
#pragma once

#include "tp-transport.h"

G_BEGIN_DECLS

#define TP_TYPE_PCSC_TRANSPORT (tp_pcsc_transport_get_type ())
G_DECLARE_FINAL_TYPE (TpPcscTransport, tp_pcsc_transport, TP, PCSC_TRANSPORT, TpTransport)

/* @reader: the reader's name (or a unique prefix of it), or NULL for the
 * first reader. Fails with TP_TRANSPORT_ERROR_NO_READER when pcscd is not
 * running or has no such reader. */
TpTransport *tp_pcsc_transport_new  (const char *reader,
                                     GError    **error);

/* Appends a TpReaderInfo per PC/SC reader; nothing when pcscd is absent. */
void         tp_pcsc_transport_list (GPtrArray  *readers);

G_END_DECLS
