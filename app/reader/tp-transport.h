/* tp-transport.h: a connection to a contactless card through one reader
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A TpTransport is one reader (a libnfc device, a PC/SC reader, or the
 * in-process software chip) and, once connected, the card on it. It moves
 * encoded APDUs and nothing else: access control, secure messaging and
 * file reading live in libtp-chip and tp-document-reader.
 *
 * Transports are opened by connection string ("nfc:", "pcsc:NAME"...):
 * see tp-transport-registry.h.
 *
 * A transport is not thread-safe: one thread at a time uses it (the
 * TpReader worker does all the I/O). Failures while exchanging APDUs are
 * TP_CHIP_ERROR_COMMUNICATION, as libtp-chip expects of a transport;
 * failures to find a reader or a card are TP_TRANSPORT_ERROR.
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define TP_TRANSPORT_ERROR (tp_transport_error_quark ())

/**
 * TpTransportError:
 * @TP_TRANSPORT_ERROR_INVALID_CONNSTRING: the connection string is not one
 *   of the forms above
 * @TP_TRANSPORT_ERROR_NO_READER: no reader answers to the connection string
 *   (unplugged, daemon not running, driver missing)
 * @TP_TRANSPORT_ERROR_NO_CARD: the reader is there but no card is on it
 * @TP_TRANSPORT_ERROR_FAILED: the reader stack failed otherwise
 */
typedef enum {
  TP_TRANSPORT_ERROR_INVALID_CONNSTRING,
  TP_TRANSPORT_ERROR_NO_READER,
  TP_TRANSPORT_ERROR_NO_CARD,
  TP_TRANSPORT_ERROR_FAILED,
} TpTransportError;

typedef enum {
  TP_TRANSPORT_KIND_NFC,
  TP_TRANSPORT_KIND_PCSC,
  TP_TRANSPORT_KIND_SIM,
} TpTransportKind;

/* Short APDUs: a C-APDU of 4 + 1 + 255 + 1 bytes, an R-APDU of 256 + 2. */
#define TP_TRANSPORT_SHORT_COMMAND_MAX   261
#define TP_TRANSPORT_SHORT_RESPONSE_MAX  258

/**
 * TpReaderInfo:
 * @connstring: what tp_transport_open() takes to open this reader
 * @name: the reader's own name, for people
 * @kind: which stack it belongs to
 */
typedef struct {
  char            *connstring;
  char            *name;
  TpTransportKind  kind;
} TpReaderInfo;

#define TP_TYPE_TRANSPORT (tp_transport_get_type ())
G_DECLARE_DERIVABLE_TYPE (TpTransport, tp_transport, TP, TRANSPORT, GObject)

/**
 * TpTransportClass:
 * @connect: powers the card and selects it; TP_TRANSPORT_ERROR_NO_CARD
 *   when there is none. Sets the ATR/ATS, UID and size limits.
 * @disconnect: releases the card (field off where the stack allows)
 * @reconnect: resets the card (field off and on) and connects again; the
 *   chip forgets every session. Default: disconnect then connect.
 * @transmit: one C-APDU out, the whole R-APDU (data + SW1 SW2) appended to
 *   @rapdu; TP_CHIP_ERROR_COMMUNICATION on any failure
 * @poll_card: whether a card is on the reader, waiting at most @timeout_ms
 *   for a change from @was_present (0: answer at once)
 * @kind: which stack the subclass belongs to (set in class_init)
 */
struct _TpTransportClass
{
  GObjectClass parent_class;

  gboolean (*connect)    (TpTransport   *self,
                          GError       **error);
  void     (*disconnect) (TpTransport   *self);
  gboolean (*reconnect)  (TpTransport   *self,
                          GError       **error);
  gboolean (*transmit)   (TpTransport   *self,
                          const guint8  *capdu,
                          gsize          capdu_len,
                          GByteArray    *rapdu,
                          GError       **error);
  gboolean (*poll_card)  (TpTransport   *self,
                          gboolean       was_present,
                          guint          timeout_ms,
                          gboolean      *present,
                          GError       **error);

  TpTransportKind kind;

  gpointer padding[7];
};

GQuark           tp_transport_error_quark         (void);

gboolean         tp_transport_connect             (TpTransport    *self,
                                                   GError        **error);
void             tp_transport_disconnect          (TpTransport    *self);
gboolean         tp_transport_reconnect           (TpTransport    *self,
                                                   GError        **error);
gboolean         tp_transport_is_connected        (TpTransport    *self);
gboolean         tp_transport_transmit            (TpTransport    *self,
                                                   const guint8   *capdu,
                                                   gsize           capdu_len,
                                                   GByteArray     *rapdu,
                                                   GError        **error);
gboolean         tp_transport_poll_card           (TpTransport    *self,
                                                   gboolean        was_present,
                                                   guint           timeout_ms,
                                                   gboolean       *present,
                                                   GError        **error);

/* A TpApduTransmitFunc (tp-apdu.h); @user_data is the TpTransport. */
gboolean         tp_transport_transmit_func       (gpointer        user_data,
                                                   const guint8   *capdu,
                                                   gsize           capdu_len,
                                                   GByteArray     *rapdu,
                                                   GError        **error);

const char      *tp_transport_get_connstring      (TpTransport    *self);
const char      *tp_transport_get_name            (TpTransport    *self);
TpTransportKind  tp_transport_get_kind            (TpTransport    *self);
/* "nfc", "pcsc", "sim" */
const char      *tp_transport_kind_to_string      (TpTransportKind kind);

/* Of the connected card: the ATR (PC/SC, or built from the ATS / ATQB as
 * PC/SC part 3 does for contactless cards), the ATS of a type A card (NULL
 * for type B and when unknown), the UID (type A) or PUPI (type B). */
GBytes          *tp_transport_get_atr             (TpTransport    *self);
GBytes          *tp_transport_get_ats             (TpTransport    *self);
GBytes          *tp_transport_get_uid             (TpTransport    *self);

/* Largest encoded C-APDU and largest R-APDU (data + SW) this reader moves
 * in one exchange. Both at least the short-APDU sizes above. */
gsize            tp_transport_get_max_command_len (TpTransport    *self);
gsize            tp_transport_get_max_response_len(TpTransport    *self);
/* The reader moves extended-length APDUs (not whether the chip takes
 * them: that is for the chip to say, in EF.ATR/INFO or its ATR). */
gboolean         tp_transport_supports_extended   (TpTransport    *self);

/* Counters since the last reset: APDUs exchanged, bytes sent and received
 * (whole APDUs), and the wall time spent inside transmit. */
void             tp_transport_get_counters        (TpTransport    *self,
                                                   guint          *apdus,
                                                   guint64        *bytes_out,
                                                   guint64        *bytes_in,
                                                   gint64         *transmit_us);
void             tp_transport_reset_counters      (TpTransport    *self);

/* Per-exchange timeout for the hardware transports, in milliseconds
 * (default 5000). */
void             tp_transport_set_timeout         (TpTransport    *self,
                                                   guint           timeout_ms);
guint            tp_transport_get_timeout         (TpTransport    *self);

/* For subclasses */
void             _tp_transport_set_card_info      (TpTransport    *self,
                                                   GBytes         *atr,
                                                   GBytes         *ats,
                                                   GBytes         *uid);
void             _tp_transport_set_limits         (TpTransport    *self,
                                                   gsize           max_command_len,
                                                   gsize           max_response_len);
void             _tp_transport_set_name           (TpTransport    *self,
                                                   const char     *name);

TpReaderInfo    *tp_reader_info_new               (const char     *connstring,
                                                   const char     *name,
                                                   TpTransportKind kind);
void             tp_reader_info_free              (TpReaderInfo   *info);

/* The ATR PC/SC part 3 builds for a contactless card from its ATS
 * historical bytes (type A) or ATQB application data and protocol info
 * (type B); also what the emulators present. */
GBytes          *tp_transport_build_contactless_atr (const guint8 *historical,
                                                     gsize         historical_len);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpReaderInfo, tp_reader_info_free)

G_END_DECLS
