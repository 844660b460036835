/* tp-pcsc-transport.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <PCSC/winscard.h>
#include <PCSC/reader.h>
#include <string.h>

#include "tp-chip-error.h"
#include "tp-pcsc-transport.h"

/* The CCID driver's "largest message the reader takes" attribute. */
#define TP_SCARD_ATTR_MAXINPUT  SCARD_ATTR_VALUE (SCARD_CLASS_VENDOR_DEFINED, 0xA007)
/* A CCID message header is 10 bytes. */
#define CCID_HEADER_LEN         10

struct _TpPcscTransport
{
  TpTransport   parent_instance;

  SCARDCONTEXT  context;
  gboolean      have_context;
  char         *reader;
  SCARDHANDLE   card;
  DWORD         protocol;
  gboolean      have_card;
};

G_DEFINE_FINAL_TYPE (TpPcscTransport, tp_pcsc_transport, TP_TYPE_TRANSPORT)

static void
set_pcsc_error (GError     **error,
                GQuark       domain,
                int          code,
                LONG         rv,
                const char  *what)
{
  g_set_error (error, domain, code, "%s: %s (PC/SC error 0x%08lX)",
               what, pcsc_stringify_error (rv), (unsigned long) rv);
}

static gboolean
rv_means_no_card (LONG rv)
{
  return rv == (LONG) SCARD_E_NO_SMARTCARD || rv == (LONG) SCARD_W_REMOVED_CARD ||
         rv == (LONG) SCARD_W_UNPOWERED_CARD || rv == (LONG) SCARD_W_UNRESPONSIVE_CARD ||
         rv == (LONG) SCARD_E_TIMEOUT;
}

static gboolean
rv_means_no_reader (LONG rv)
{
  return rv == (LONG) SCARD_E_NO_SERVICE || rv == (LONG) SCARD_E_SERVICE_STOPPED ||
         rv == (LONG) SCARD_E_UNKNOWN_READER || rv == (LONG) SCARD_E_READER_UNAVAILABLE ||
         rv == (LONG) SCARD_E_NO_READERS_AVAILABLE;
}

/* The reader names pcscd reports, as a NULL-terminated vector. */
static char **
list_reader_names (SCARDCONTEXT   context,
                   LONG          *rv_out)
{
  g_autofree char *buf = NULL;
  GPtrArray *names;
  DWORD len = 0;
  LONG rv;

  rv = SCardListReaders (context, NULL, NULL, &len);
  if (rv == SCARD_S_SUCCESS && len > 0)
    {
      buf = g_malloc0 (len + 1);
      rv = SCardListReaders (context, NULL, buf, &len);
    }
  *rv_out = rv;
  names = g_ptr_array_new ();
  if (rv == SCARD_S_SUCCESS && buf != NULL)
    for (const char *p = buf; p < buf + len && *p; p += strlen (p) + 1)
      g_ptr_array_add (names, g_strdup (p));
  g_ptr_array_add (names, NULL);
  return (char **) g_ptr_array_free (names, FALSE);
}

static gboolean
establish (TpPcscTransport  *self,
           GError          **error)
{
  LONG rv;

  if (self->have_context && SCardIsValidContext (self->context) == SCARD_S_SUCCESS)
    return TRUE;
  if (self->have_context)
    SCardReleaseContext (self->context);
  self->have_context = FALSE;

  rv = SCardEstablishContext (SCARD_SCOPE_SYSTEM, NULL, NULL, &self->context);
  if (rv != SCARD_S_SUCCESS)
    {
      set_pcsc_error (error, TP_TRANSPORT_ERROR, TP_TRANSPORT_ERROR_NO_READER, rv,
                      "Could not reach the PC/SC service (is pcscd running?)");
      return FALSE;
    }
  self->have_context = TRUE;
  return TRUE;
}

static void
read_card_info (TpPcscTransport *self)
{
  TpTransport *transport = TP_TRANSPORT (self);
  guint8 atr[MAX_ATR_SIZE];
  DWORD atr_len = sizeof atr;
  DWORD state = 0, protocol = 0, name_len = 0;
  guint8 attr[8];
  DWORD attr_len = sizeof attr;
  g_autoptr(GBytes) atr_bytes = NULL;

  if (SCardStatus (self->card, NULL, &name_len, &state, &protocol, atr, &atr_len) == SCARD_S_SUCCESS &&
      atr_len > 0 && atr_len <= sizeof atr)
    atr_bytes = g_bytes_new (atr, atr_len);
  _tp_transport_set_card_info (transport, atr_bytes, NULL, NULL);

  /* CCID readers say how long a message may be; others (such as virtual
   * readers) do not, and pass whatever they are given. */
  if (SCardGetAttrib (self->card, TP_SCARD_ATTR_MAXINPUT, attr, &attr_len) == SCARD_S_SUCCESS &&
      attr_len >= 4)
    {
      guint32 max = attr[0] | (attr[1] << 8) | (attr[2] << 16) | ((guint32) attr[3] << 24);
      gsize payload = max > CCID_HEADER_LEN ? max - CCID_HEADER_LEN : 0;

      _tp_transport_set_limits (transport, payload, payload);
    }
  else
    {
      _tp_transport_set_limits (transport, MAX_BUFFER_SIZE_EXTENDED - 2, MAX_BUFFER_SIZE_EXTENDED);
    }
}

static gboolean
tp_pcsc_transport_connect (TpTransport  *transport,
                           GError      **error)
{
  TpPcscTransport *self = TP_PCSC_TRANSPORT (transport);
  LONG rv;

  if (!establish (self, error))
    return FALSE;

  rv = SCardConnect (self->context, self->reader, SCARD_SHARE_SHARED,
                     SCARD_PROTOCOL_T1 | SCARD_PROTOCOL_T0, &self->card, &self->protocol);
  if (rv_means_no_card (rv))
    {
      g_set_error (error, TP_TRANSPORT_ERROR, TP_TRANSPORT_ERROR_NO_CARD,
                   "No card on PC/SC reader “%s”: place the document on the reader",
                   self->reader);
      return FALSE;
    }
  if (rv != SCARD_S_SUCCESS)
    {
      set_pcsc_error (error, TP_TRANSPORT_ERROR,
                      rv_means_no_reader (rv) ? TP_TRANSPORT_ERROR_NO_READER : TP_TRANSPORT_ERROR_FAILED,
                      rv, "Could not connect to the card");
      return FALSE;
    }
  self->have_card = TRUE;
  read_card_info (self);
  return TRUE;
}

static void
tp_pcsc_transport_disconnect (TpTransport *transport)
{
  TpPcscTransport *self = TP_PCSC_TRANSPORT (transport);

  if (self->have_card)
    SCardDisconnect (self->card, SCARD_LEAVE_CARD);
  self->have_card = FALSE;
  _tp_transport_set_card_info (transport, NULL, NULL, NULL);
}

static gboolean
tp_pcsc_transport_reconnect (TpTransport  *transport,
                             GError      **error)
{
  TpPcscTransport *self = TP_PCSC_TRANSPORT (transport);
  gint64 deadline;
  LONG rv;

  if (self->have_card)
    {
      rv = SCardReconnect (self->card, SCARD_SHARE_SHARED,
                           SCARD_PROTOCOL_T1 | SCARD_PROTOCOL_T0,
                           SCARD_UNPOWER_CARD, &self->protocol);
      if (rv == SCARD_S_SUCCESS)
        {
          read_card_info (self);
          return TRUE;
        }
      tp_pcsc_transport_disconnect (transport);
    }

  /* The card left the field (or the reader lost it): give it the time a
   * person takes to put it back, connecting as soon as pcscd sees it. */
  if (!establish (self, error))
    return FALSE;
  deadline = g_get_monotonic_time () + (gint64) tp_transport_get_timeout (transport) * 1000;
  for (;;)
    {
      SCARD_READERSTATE state = { 0 };
      gint64 left;

      state.szReader = self->reader;
      state.dwCurrentState = SCARD_STATE_UNAWARE;
      rv = SCardGetStatusChange (self->context, 0, &state, 1);
      if (rv == SCARD_S_SUCCESS && (state.dwEventState & SCARD_STATE_PRESENT) &&
          !(state.dwEventState & SCARD_STATE_MUTE))
        {
          g_autoptr(GError) local = NULL;

          if (tp_pcsc_transport_connect (transport, &local))
            return TRUE;
          if (!g_error_matches (local, TP_TRANSPORT_ERROR, TP_TRANSPORT_ERROR_NO_CARD))
            {
              g_propagate_error (error, g_steal_pointer (&local));
              return FALSE;
            }
        }
      else if (rv != SCARD_S_SUCCESS && rv != (LONG) SCARD_E_TIMEOUT)
        {
          set_pcsc_error (error, TP_TRANSPORT_ERROR,
                          rv_means_no_reader (rv) ? TP_TRANSPORT_ERROR_NO_READER : TP_TRANSPORT_ERROR_FAILED,
                          rv, "Could not watch the PC/SC reader for the card to come back");
          return FALSE;
        }

      left = (deadline - g_get_monotonic_time ()) / 1000;
      if (left <= 0)
        break;
      state.dwCurrentState = state.dwEventState & ~SCARD_STATE_CHANGED;
      SCardGetStatusChange (self->context, (DWORD) MIN (left, 200), &state, 1);
    }

  g_set_error (error, TP_TRANSPORT_ERROR, TP_TRANSPORT_ERROR_NO_CARD,
               "The card left PC/SC reader “%s” and did not come back", self->reader);
  return FALSE;
}

static gboolean
tp_pcsc_transport_transmit (TpTransport   *transport,
                            const guint8  *capdu,
                            gsize          capdu_len,
                            GByteArray    *rapdu,
                            GError       **error)
{
  TpPcscTransport *self = TP_PCSC_TRANSPORT (transport);
  g_autofree guint8 *rx = NULL;
  DWORD rx_len = MAX_BUFFER_SIZE_EXTENDED;
  const SCARD_IO_REQUEST *pci;
  LONG rv;

  if (!self->have_card)
    {
      g_set_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_COMMUNICATION,
                   "No card is connected on PC/SC reader “%s”", self->reader);
      return FALSE;
    }

  rx = g_malloc (rx_len);
  pci = self->protocol == SCARD_PROTOCOL_T0 ? SCARD_PCI_T0 : SCARD_PCI_T1;
  rv = SCardTransmit (self->card, pci, capdu, capdu_len, NULL, rx, &rx_len);
  if (rv != SCARD_S_SUCCESS)
    {
      set_pcsc_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_COMMUNICATION, rv,
                      rv_means_no_card (rv) ? "The card stopped answering (moved or removed?)"
                                            : "The PC/SC reader failed to exchange a command with the card");
      return FALSE;
    }

  g_byte_array_append (rapdu, rx, rx_len);
  return TRUE;
}

static gboolean
tp_pcsc_transport_poll_card (TpTransport  *transport,
                             gboolean      was_present,
                             guint         timeout_ms,
                             gboolean     *present,
                             GError      **error)
{
  TpPcscTransport *self = TP_PCSC_TRANSPORT (transport);
  SCARD_READERSTATE state = { 0 };
  LONG rv;

  if (!establish (self, error))
    return FALSE;

  state.szReader = self->reader;
  state.dwCurrentState = SCARD_STATE_UNAWARE;
  rv = SCardGetStatusChange (self->context, 0, &state, 1);
  if (rv != SCARD_S_SUCCESS && rv != (LONG) SCARD_E_TIMEOUT)
    goto failed;

  *present = (state.dwEventState & SCARD_STATE_PRESENT) != 0;
  if (*present != was_present || timeout_ms == 0)
    return TRUE;

  state.dwCurrentState = state.dwEventState & ~SCARD_STATE_CHANGED;
  rv = SCardGetStatusChange (self->context, timeout_ms, &state, 1);
  if (rv == (LONG) SCARD_E_TIMEOUT)
    return TRUE;
  if (rv != SCARD_S_SUCCESS)
    goto failed;

  *present = (state.dwEventState & SCARD_STATE_PRESENT) != 0;
  return TRUE;

failed:
  set_pcsc_error (error, TP_TRANSPORT_ERROR,
                  rv_means_no_reader (rv) ? TP_TRANSPORT_ERROR_NO_READER : TP_TRANSPORT_ERROR_FAILED,
                  rv, "Could not watch the PC/SC reader for a card");
  return FALSE;
}

static void
tp_pcsc_transport_finalize (GObject *object)
{
  TpPcscTransport *self = TP_PCSC_TRANSPORT (object);

  if (self->have_card)
    SCardDisconnect (self->card, SCARD_LEAVE_CARD);
  if (self->have_context)
    SCardReleaseContext (self->context);
  g_clear_pointer (&self->reader, g_free);

  G_OBJECT_CLASS (tp_pcsc_transport_parent_class)->finalize (object);
}

static void
tp_pcsc_transport_class_init (TpPcscTransportClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  TpTransportClass *transport_class = TP_TRANSPORT_CLASS (klass);

  object_class->finalize = tp_pcsc_transport_finalize;

  transport_class->connect = tp_pcsc_transport_connect;
  transport_class->disconnect = tp_pcsc_transport_disconnect;
  transport_class->reconnect = tp_pcsc_transport_reconnect;
  transport_class->transmit = tp_pcsc_transport_transmit;
  transport_class->poll_card = tp_pcsc_transport_poll_card;
  transport_class->kind = TP_TRANSPORT_KIND_PCSC;
}

static void
tp_pcsc_transport_init (TpPcscTransport *self)
{
}

TpTransport *
tp_pcsc_transport_new (const char  *reader,
                       GError     **error)
{
  g_autoptr(TpPcscTransport) self = NULL;
  g_autofree char *connstring = NULL;
  g_auto(GStrv) names = NULL;
  const char *chosen = NULL;
  guint n_prefix = 0;
  LONG rv;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  connstring = g_strconcat ("pcsc:", reader ? reader : "", NULL);
  self = g_object_new (TP_TYPE_PCSC_TRANSPORT, "connstring", connstring, NULL);

  if (!establish (self, error))
    return NULL;

  names = list_reader_names (self->context, &rv);
  if (names[0] == NULL)
    {
      g_set_error (error, TP_TRANSPORT_ERROR, TP_TRANSPORT_ERROR_NO_READER,
                   "No PC/SC reader is connected (%s)", pcsc_stringify_error (rv));
      return NULL;
    }

  for (guint i = 0; names[i] && reader && !chosen; i++)
    if (g_str_equal (names[i], reader))
      chosen = names[i];
  for (guint i = 0; names[i] && reader && !chosen; i++)
    if (g_str_has_prefix (names[i], reader))
      n_prefix++;
  if (reader == NULL)
    chosen = names[0];
  else if (chosen == NULL && n_prefix == 1)
    for (guint i = 0; names[i] && !chosen; i++)
      if (g_str_has_prefix (names[i], reader))
        chosen = names[i];

  if (chosen == NULL)
    {
      g_autofree char *known = g_strjoinv ("”, “", names);

      g_set_error (error, TP_TRANSPORT_ERROR, TP_TRANSPORT_ERROR_NO_READER,
                   n_prefix > 1 ? "PC/SC reader name “%s” matches several readers: “%s”"
                                : "No PC/SC reader is called “%s”; the readers are “%s”",
                   reader, known);
      return NULL;
    }

  self->reader = g_strdup (chosen);
  _tp_transport_set_name (TP_TRANSPORT (self), chosen);
  return TP_TRANSPORT (g_steal_pointer (&self));
}

void
tp_pcsc_transport_list (GPtrArray *readers)
{
  SCARDCONTEXT context;
  g_auto(GStrv) names = NULL;
  LONG rv;

  if (SCardEstablishContext (SCARD_SCOPE_SYSTEM, NULL, NULL, &context) != SCARD_S_SUCCESS)
    return;

  names = list_reader_names (context, &rv);
  for (guint i = 0; names[i]; i++)
    {
      g_autofree char *connstring = g_strconcat ("pcsc:", names[i], NULL);

      g_ptr_array_add (readers, tp_reader_info_new (connstring, names[i], TP_TRANSPORT_KIND_PCSC));
    }

  SCardReleaseContext (context);
}
