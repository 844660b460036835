/* tp-nfc-transport.h: a card on a libnfc device
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Any device libnfc drives (PN53x on USB, UART, I2C, SPI; ACR122): an
 * ISO/IEC 14443-4 card of type A (selected with RATS by the reader chip)
 * or type B (ATTRIB), APDUs through InDataExchange
 * (nfc_initiator_transceive_bytes). The PN53x frame is at most 264 bytes,
 * so this transport moves short APDUs only.
 */
#pragma once

#include "tp-transport.h"

G_BEGIN_DECLS

#define TP_TYPE_NFC_TRANSPORT (tp_nfc_transport_get_type ())
G_DECLARE_FINAL_TYPE (TpNfcTransport, tp_nfc_transport, TP, NFC_TRANSPORT, TpTransport)

/* @device: a libnfc connstring ("pn532_uart:/dev/ttyUSB0"), or NULL for
 * the first device libnfc finds. Opens the device; no card needed. */
TpTransport *tp_nfc_transport_new   (const char *device,
                                     GError    **error);

/* Appends a TpReaderInfo for each device nfc_list_devices() reports. */
void         tp_nfc_transport_list  (GPtrArray  *readers);

/* Which modulation the connected card answered: 'A' or 'B' (0 when not
 * connected). */
char         tp_nfc_transport_get_card_type (TpNfcTransport *self);

G_END_DECLS
