/* tp-nfc-transport.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <nfc/nfc.h>
#include <string.h>

#include "tp-chip-error.h"
#include "tp-nfc-transport.h"

/* libnfc's PN53x frame buffer (PN53x_EXTENDED_FRAME__DATA_MAX_LEN) less
 * the InDataExchange command, target number and status bytes. */
#define NFC_FRAME_MAX        264
#define NFC_COMMAND_MAX      (NFC_FRAME_MAX - 2)
#define NFC_RESPONSE_MAX     (NFC_FRAME_MAX - 1)
#define POLL_INTERVAL_MS     150

struct _TpNfcTransport
{
  TpTransport  parent_instance;

  nfc_context *context;
  nfc_device  *device;
  nfc_target   target;
  char         card_type;
};

G_DEFINE_FINAL_TYPE (TpNfcTransport, tp_nfc_transport, TP_TYPE_TRANSPORT)

static void
set_nfc_error (GError     **error,
               GQuark       domain,
               int          code,
               nfc_device  *device,
               int          res,
               const char  *what)
{
  g_set_error (error, domain, code, "%s: %s (libnfc error %d)",
               what, device ? nfc_strerror (device) : "no device", res);
}

/* Select one ISO/IEC 14443-4 target of type A, else of type B. Returns
 * 1 when a card is selected, 0 when there is none, < 0 on a reader error. */
static int
select_card (TpNfcTransport *self,
             nfc_target     *target,
             char           *type)
{
  const nfc_modulation type_a = { .nmt = NMT_ISO14443A, .nbr = NBR_106 };
  const nfc_modulation type_b = { .nmt = NMT_ISO14443B, .nbr = NBR_106 };
  int res;

  res = nfc_initiator_select_passive_target (self->device, type_a, NULL, 0, target);
  if (res > 0)
    {
      *type = 'A';
      return 1;
    }
  if (res < 0 && res != NFC_ETIMEOUT && res != NFC_ERFTRANS)
    return res;

  res = nfc_initiator_select_passive_target (self->device, type_b, NULL, 0, target);
  if (res > 0)
    {
      *type = 'B';
      return 1;
    }
  if (res < 0 && res != NFC_ETIMEOUT && res != NFC_ERFTRANS && res != NFC_EDEVNOTSUPP)
    return res;

  return 0;
}

static gboolean
init_initiator (TpNfcTransport  *self,
                GError         **error)
{
  int res;

  if ((res = nfc_initiator_init (self->device)) < 0)
    {
      set_nfc_error (error, TP_TRANSPORT_ERROR, TP_TRANSPORT_ERROR_FAILED, self->device, res,
                     "Could not set the NFC device up as a reader");
      return FALSE;
    }
  /* One attempt per select: presence is polled, never waited for inside
   * libnfc, so that the worker thread stays responsive. */
  nfc_device_set_property_bool (self->device, NP_INFINITE_SELECT, false);
  nfc_device_set_property_bool (self->device, NP_AUTO_ISO14443_4, true);
  return TRUE;
}

static void
set_card_info (TpNfcTransport *self)
{
  TpTransport *transport = TP_TRANSPORT (self);
  g_autoptr(GBytes) atr = NULL;
  g_autoptr(GBytes) ats = NULL;
  g_autoptr(GBytes) uid = NULL;

  if (self->card_type == 'A')
    {
      const nfc_iso14443a_info *a = &self->target.nti.nai;
      gsize hist = 1;

      uid = g_bytes_new (a->abtUid, MIN (a->szUidLen, sizeof a->abtUid));
      if (a->szAtsLen > 0 && a->szAtsLen <= sizeof a->abtAts)
        {
          guint8 t0 = a->abtAts[0];

          /* libnfc keeps the ATS without its TL byte */
          ats = g_bytes_new (a->abtAts, a->szAtsLen);
          hist += ((t0 & 0x10) != 0) + ((t0 & 0x20) != 0) + ((t0 & 0x40) != 0);
          if (hist <= a->szAtsLen)
            atr = tp_transport_build_contactless_atr (a->abtAts + hist, a->szAtsLen - hist);
        }
      if (atr == NULL)
        atr = tp_transport_build_contactless_atr (NULL, 0);
    }
  else
    {
      const nfc_iso14443b_info *b = &self->target.nti.nbi;
      guint8 hist[8];

      uid = g_bytes_new (b->abtPupi, sizeof b->abtPupi);
      memcpy (hist, b->abtApplicationData, 4);
      memcpy (hist + 4, b->abtProtocolInfo, 3);
      hist[7] = 0;
      atr = tp_transport_build_contactless_atr (hist, sizeof hist);
    }

  _tp_transport_set_card_info (transport, atr, ats, uid);
}

static gboolean
tp_nfc_transport_connect (TpTransport  *transport,
                          GError      **error)
{
  TpNfcTransport *self = TP_NFC_TRANSPORT (transport);
  int res;

  res = select_card (self, &self->target, &self->card_type);
  if (res < 0)
    {
      set_nfc_error (error, TP_TRANSPORT_ERROR, TP_TRANSPORT_ERROR_FAILED, self->device, res,
                     "Could not look for a card on the NFC reader");
      return FALSE;
    }
  if (res == 0)
    {
      g_set_error (error, TP_TRANSPORT_ERROR, TP_TRANSPORT_ERROR_NO_CARD,
                   "No card on NFC reader “%s”: place the document on the reader",
                   tp_transport_get_name (transport));
      return FALSE;
    }
  if (self->card_type == 'A' && (self->target.nti.nai.btSak & 0x20) == 0)
    {
      nfc_initiator_deselect_target (self->device);
      self->card_type = 0;
      g_set_error (error, TP_TRANSPORT_ERROR, TP_TRANSPORT_ERROR_NO_CARD,
                   "The card on NFC reader “%s” is not an ISO/IEC 14443-4 card "
                   "(SAK %02X): it is not a travel document chip",
                   tp_transport_get_name (transport), self->target.nti.nai.btSak);
      return FALSE;
    }

  set_card_info (self);
  return TRUE;
}

static void
tp_nfc_transport_disconnect (TpTransport *transport)
{
  TpNfcTransport *self = TP_NFC_TRANSPORT (transport);

  if (self->device != NULL && self->card_type != 0)
    nfc_initiator_deselect_target (self->device);
  self->card_type = 0;
  _tp_transport_set_card_info (transport, NULL, NULL, NULL);
}

static gboolean
tp_nfc_transport_reconnect (TpTransport  *transport,
                            GError      **error)
{
  TpNfcTransport *self = TP_NFC_TRANSPORT (transport);

  tp_nfc_transport_disconnect (transport);
  /* Field off and on: the chip loses power and every session with it. */
  nfc_device_set_property_bool (self->device, NP_ACTIVATE_FIELD, false);
  g_usleep (10 * 1000);
  nfc_device_set_property_bool (self->device, NP_ACTIVATE_FIELD, true);
  return tp_nfc_transport_connect (transport, error);
}

static gboolean
tp_nfc_transport_transmit (TpTransport   *transport,
                           const guint8  *capdu,
                           gsize          capdu_len,
                           GByteArray    *rapdu,
                           GError       **error)
{
  TpNfcTransport *self = TP_NFC_TRANSPORT (transport);
  guint8 rx[NFC_RESPONSE_MAX];
  int res;

  if (self->card_type == 0)
    {
      g_set_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_COMMUNICATION,
                   "No card is selected on NFC reader “%s”", tp_transport_get_name (transport));
      return FALSE;
    }

  res = nfc_initiator_transceive_bytes (self->device, capdu, capdu_len, rx, sizeof rx,
                                        (int) tp_transport_get_timeout (transport));
  if (res < 0)
    {
      set_nfc_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_COMMUNICATION, self->device, res,
                     res == NFC_ERFTRANS || res == NFC_ETIMEOUT ?
                       "The card stopped answering (moved or removed?)" :
                       "The NFC reader failed to exchange a command with the card");
      return FALSE;
    }

  g_byte_array_append (rapdu, rx, (guint) res);
  return TRUE;
}

static gboolean
tp_nfc_transport_poll_card (TpTransport  *transport,
                            gboolean      was_present,
                            guint         timeout_ms,
                            gboolean     *present,
                            GError      **error)
{
  TpNfcTransport *self = TP_NFC_TRANSPORT (transport);
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  for (;;)
    {
      gboolean now;

      if (self->card_type != 0)
        {
          now = nfc_initiator_target_is_present (self->device, &self->target) == NFC_SUCCESS;
          /* Gone: the next poll looks for a card again */
          if (!now)
            self->card_type = 0;
        }
      else
        {
          nfc_target target;
          char type = 0;
          int res = select_card (self, &target, &type);

          if (res < 0)
            {
              set_nfc_error (error, TP_TRANSPORT_ERROR, TP_TRANSPORT_ERROR_FAILED, self->device, res,
                             "Could not look for a card on the NFC reader");
              return FALSE;
            }
          now = res > 0;
          if (now)
            nfc_initiator_deselect_target (self->device);
        }

      if (now != was_present || g_get_monotonic_time () >= deadline)
        {
          *present = now;
          return TRUE;
        }
      g_usleep (POLL_INTERVAL_MS * 1000);
    }
}

static void
tp_nfc_transport_finalize (GObject *object)
{
  TpNfcTransport *self = TP_NFC_TRANSPORT (object);

  if (self->device != NULL)
    {
      if (self->card_type != 0)
        nfc_initiator_deselect_target (self->device);
      nfc_close (self->device);
    }
  if (self->context != NULL)
    nfc_exit (self->context);

  G_OBJECT_CLASS (tp_nfc_transport_parent_class)->finalize (object);
}

static void
tp_nfc_transport_class_init (TpNfcTransportClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  TpTransportClass *transport_class = TP_TRANSPORT_CLASS (klass);

  object_class->finalize = tp_nfc_transport_finalize;

  transport_class->connect = tp_nfc_transport_connect;
  transport_class->disconnect = tp_nfc_transport_disconnect;
  transport_class->reconnect = tp_nfc_transport_reconnect;
  transport_class->transmit = tp_nfc_transport_transmit;
  transport_class->poll_card = tp_nfc_transport_poll_card;
  transport_class->kind = TP_TRANSPORT_KIND_NFC;
}

static void
tp_nfc_transport_init (TpNfcTransport *self)
{
}

TpTransport *
tp_nfc_transport_new (const char  *device,
                      GError     **error)
{
  g_autoptr(TpNfcTransport) self = NULL;
  g_autofree char *connstring = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (device != NULL && strlen (device) >= sizeof (nfc_connstring))
    {
      g_set_error (error, TP_TRANSPORT_ERROR, TP_TRANSPORT_ERROR_INVALID_CONNSTRING,
                   "libnfc connection string “%s” is too long (at most %u characters)",
                   device, (guint) sizeof (nfc_connstring) - 1);
      return NULL;
    }

  connstring = g_strconcat ("nfc:", device ? device : "", NULL);
  self = g_object_new (TP_TYPE_NFC_TRANSPORT, "connstring", connstring, NULL);

  nfc_init (&self->context);
  if (self->context == NULL)
    {
      g_set_error (error, TP_TRANSPORT_ERROR, TP_TRANSPORT_ERROR_FAILED,
                   "libnfc could not start (out of memory or a broken libnfc.conf)");
      return NULL;
    }

  self->device = nfc_open (self->context, device);
  if (self->device == NULL)
    {
      if (device != NULL)
        g_set_error (error, TP_TRANSPORT_ERROR, TP_TRANSPORT_ERROR_NO_READER,
                     "No NFC reader answers at “%s”: check that it is plugged in "
                     "and that the libnfc connection string is right", device);
      else
        g_set_error (error, TP_TRANSPORT_ERROR, TP_TRANSPORT_ERROR_NO_READER,
                     "No NFC reader found: plug one in, or name it "
                     "(nfc:DRIVER:PORT, or LIBNFC_DEVICE)");
      return NULL;
    }
  _tp_transport_set_name (TP_TRANSPORT (self), nfc_device_get_name (self->device));
  _tp_transport_set_limits (TP_TRANSPORT (self), MIN (NFC_COMMAND_MAX, TP_TRANSPORT_SHORT_COMMAND_MAX),
                            MIN (NFC_RESPONSE_MAX, TP_TRANSPORT_SHORT_RESPONSE_MAX));

  if (!init_initiator (self, error))
    return NULL;

  return TP_TRANSPORT (g_steal_pointer (&self));
}

void
tp_nfc_transport_list (GPtrArray *readers)
{
  nfc_context *context = NULL;
  nfc_connstring found[16];
  size_t n;

  nfc_init (&context);
  if (context == NULL)
    return;

  n = nfc_list_devices (context, found, G_N_ELEMENTS (found));
  for (size_t i = 0; i < n; i++)
    {
      g_autofree char *connstring = g_strconcat ("nfc:", found[i], NULL);

      g_ptr_array_add (readers, tp_reader_info_new (connstring, found[i], TP_TRANSPORT_KIND_NFC));
    }

  nfc_exit (context);
}

char
tp_nfc_transport_get_card_type (TpNfcTransport *self)
{
  g_return_val_if_fail (TP_IS_NFC_TRANSPORT (self), 0);

  return self->card_type;
}
