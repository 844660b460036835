/* tp-transport-registry.h: which transport opens a connection string
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A connection string is SCHEME:ADDRESS. Each transport registers its
 * scheme with a function that opens an address and one that lists the
 * readers it can see now. The hardware schemes are always there:
 *   nfc:                       the first libnfc device (LIBNFC_DEVICE and
 *                              libnfc.conf are honoured)
 *   nfc:DRIVER:PORT[:SPEED]    any libnfc connstring after "nfc:", for
 *                              example nfc:pn532_uart:/dev/ttyUSB0
 *   pcsc:                      the first PC/SC reader
 *   pcsc:NAME                  the PC/SC reader called NAME (exact name,
 *                              or a unique prefix of it)
 * Test equipment adds its own (the software chip's "sim:" is registered
 * by tp_sim_transport_register(), app/sim), so production code never
 * links it. Registration is thread-safe; register before opening.
 */
#pragma once

#include "tp-transport.h"

G_BEGIN_DECLS

/* Opens the reader at @address (what follows "SCHEME:"; "" for the
 * scheme's default reader). */
typedef TpTransport *(*TpTransportOpenFunc) (const char  *address,
                                             GError     **error);
/* Appends a TpReaderInfo for every reader of this scheme found now. */
typedef void         (*TpTransportListFunc) (GPtrArray   *readers);

/* @scheme without the colon ("sim"); @usage: the forms it takes, for
 * error messages ("sim:PROFILE"). Registering a scheme again replaces
 * it. */
void         tp_transport_register_scheme  (const char          *scheme,
                                            TpTransportKind      kind,
                                            const char          *usage,
                                            TpTransportOpenFunc  open,
                                            TpTransportListFunc  list);

/* Opens the reader named by @connstring (not the card: see
 * tp_transport_connect()). TP_TRANSPORT_ERROR_INVALID_CONNSTRING names
 * the schemes there are when none matches. */
TpTransport *tp_transport_open             (const char          *connstring,
                                            GError             **error);

/* Every reader that can be found now, scheme by scheme in the order of
 * registration (the software chip's profiles only with @include_sim). A
 * stack that is missing (no pcscd) is skipped, not an error. Array of
 * TpReaderInfo. */
GPtrArray   *tp_transport_list_readers     (gboolean             include_sim);

G_END_DECLS
