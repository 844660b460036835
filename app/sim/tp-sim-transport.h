/* tp-sim-transport.h: the software chip as a reader with a card on it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The in-process transport for tests and demo mode: APDUs go straight to
 * a TpSimChip (tp-sim-chip.h). The connection string after "sim:" is the
 * chip's specification, PROFILE[:QUIRK,...]; tp_transport_open() knows
 * "sim:" once tp_sim_transport_register() has run (the CLI, tests and
 * benchmarks call it; production libraries never link app/sim).
 */
#pragma once

#include "tp-sim-chip.h"
#include "tp-transport-registry.h"

G_BEGIN_DECLS

#define TP_TYPE_SIM_TRANSPORT (tp_sim_transport_get_type ())
G_DECLARE_FINAL_TYPE (TpSimTransport, tp_sim_transport, TP, SIM_TRANSPORT, TpTransport)

TpTransport *tp_sim_transport_new              (const char     *spec,
                                                GError        **error);

/* Registers the "sim:" scheme with tp_transport_open() and
 * tp_transport_list_readers(). Idempotent. */
void         tp_sim_transport_register         (void);

/* Appends a TpReaderInfo per software chip profile. */
void         tp_sim_transport_list             (GPtrArray      *readers);

/* The chip (owned by the transport). */
TpSimChip   *tp_sim_transport_get_chip         (TpSimTransport *self);

/* Takes the card off the reader or puts it back (for tests of card
 * events); thread-safe. A card taken off fails every exchange. */
void         tp_sim_transport_set_card_present (TpSimTransport *self,
                                                gboolean        present);

/* Pretends the extended-length support of a reader: FALSE limits this
 * reader to short APDUs (default TRUE). */
void         tp_sim_transport_set_reader_extended (TpSimTransport *self,
                                                   gboolean        extended);

G_END_DECLS
