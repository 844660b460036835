/* tp-transport.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "tp-chip-error.h"
#include "tp-transport.h"

typedef struct
{
  char            *connstring;
  char            *name;
  GBytes          *atr;
  GBytes          *ats;
  GBytes          *uid;
  gsize            max_command_len;
  gsize            max_response_len;
  guint            timeout_ms;
  gboolean         connected;

  guint            apdus;
  guint64          bytes_out;
  guint64          bytes_in;
  gint64           transmit_us;
} TpTransportPrivate;

enum {
  PROP_0,
  PROP_CONNSTRING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (TpTransport, tp_transport, G_TYPE_OBJECT)

G_DEFINE_QUARK (tp-transport-error-quark, tp_transport_error)

/* TP_TRACE_APDU=1 logs every exchange (headers and lengths only: the data
 * is personal and, before secure messaging, key material). */
static gboolean
trace_enabled (void)
{
  static gsize init = 0;
  static gboolean enabled = FALSE;

  if (g_once_init_enter (&init))
    {
      enabled = g_getenv ("TP_TRACE_APDU") != NULL;
      g_once_init_leave (&init, 1);
    }
  return enabled;
}

static gboolean
tp_transport_real_reconnect (TpTransport  *self,
                             GError      **error)
{
  TP_TRANSPORT_GET_CLASS (self)->disconnect (self);
  return TP_TRANSPORT_GET_CLASS (self)->connect (self, error);
}

static void
tp_transport_finalize (GObject *object)
{
  TpTransport *self = TP_TRANSPORT (object);
  TpTransportPrivate *priv = tp_transport_get_instance_private (self);

  g_clear_pointer (&priv->connstring, g_free);
  g_clear_pointer (&priv->name, g_free);
  g_clear_pointer (&priv->atr, g_bytes_unref);
  g_clear_pointer (&priv->ats, g_bytes_unref);
  g_clear_pointer (&priv->uid, g_bytes_unref);

  G_OBJECT_CLASS (tp_transport_parent_class)->finalize (object);
}

static void
tp_transport_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  TpTransport *self = TP_TRANSPORT (object);
  TpTransportPrivate *priv = tp_transport_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_CONNSTRING:
      g_value_set_string (value, priv->connstring);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tp_transport_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  TpTransport *self = TP_TRANSPORT (object);
  TpTransportPrivate *priv = tp_transport_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_CONNSTRING:
      g_free (priv->connstring);
      priv->connstring = g_value_dup_string (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tp_transport_class_init (TpTransportClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tp_transport_finalize;
  object_class->get_property = tp_transport_get_property;
  object_class->set_property = tp_transport_set_property;

  klass->reconnect = tp_transport_real_reconnect;

  properties[PROP_CONNSTRING] =
    g_param_spec_string ("connstring", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tp_transport_init (TpTransport *self)
{
  TpTransportPrivate *priv = tp_transport_get_instance_private (self);

  priv->max_command_len = TP_TRANSPORT_SHORT_COMMAND_MAX;
  priv->max_response_len = TP_TRANSPORT_SHORT_RESPONSE_MAX;
  priv->timeout_ms = 5000;
}

gboolean
tp_transport_connect (TpTransport  *self,
                      GError      **error)
{
  TpTransportPrivate *priv = tp_transport_get_instance_private (self);

  g_return_val_if_fail (TP_IS_TRANSPORT (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (priv->connected)
    return TRUE;
  if (!TP_TRANSPORT_GET_CLASS (self)->connect (self, error))
    return FALSE;
  priv->connected = TRUE;
  return TRUE;
}

void
tp_transport_disconnect (TpTransport *self)
{
  TpTransportPrivate *priv = tp_transport_get_instance_private (self);

  g_return_if_fail (TP_IS_TRANSPORT (self));

  if (!priv->connected)
    return;
  TP_TRANSPORT_GET_CLASS (self)->disconnect (self);
  priv->connected = FALSE;
}

gboolean
tp_transport_reconnect (TpTransport  *self,
                        GError      **error)
{
  TpTransportPrivate *priv = tp_transport_get_instance_private (self);

  g_return_val_if_fail (TP_IS_TRANSPORT (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!priv->connected)
    return tp_transport_connect (self, error);

  priv->connected = FALSE;
  if (!TP_TRANSPORT_GET_CLASS (self)->reconnect (self, error))
    return FALSE;
  priv->connected = TRUE;
  return TRUE;
}

gboolean
tp_transport_is_connected (TpTransport *self)
{
  TpTransportPrivate *priv = tp_transport_get_instance_private (self);

  g_return_val_if_fail (TP_IS_TRANSPORT (self), FALSE);

  return priv->connected;
}

gboolean
tp_transport_transmit (TpTransport   *self,
                       const guint8  *capdu,
                       gsize          capdu_len,
                       GByteArray    *rapdu,
                       GError       **error)
{
  TpTransportPrivate *priv = tp_transport_get_instance_private (self);
  guint before;
  gint64 start;
  gboolean ok;

  g_return_val_if_fail (TP_IS_TRANSPORT (self), FALSE);
  g_return_val_if_fail (capdu != NULL && capdu_len >= 4, FALSE);
  g_return_val_if_fail (rapdu != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!priv->connected)
    {
      g_set_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_COMMUNICATION,
                   "No card is connected on reader “%s”", priv->connstring);
      return FALSE;
    }
  if (capdu_len > priv->max_command_len)
    {
      g_set_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_COMMUNICATION,
                   "A command of %" G_GSIZE_FORMAT " bytes is longer than reader “%s” "
                   "can send (%" G_GSIZE_FORMAT " bytes)",
                   capdu_len, priv->connstring, priv->max_command_len);
      return FALSE;
    }

  before = rapdu->len;
  start = g_get_monotonic_time ();
  ok = TP_TRANSPORT_GET_CLASS (self)->transmit (self, capdu, capdu_len, rapdu, error);
  priv->transmit_us += g_get_monotonic_time () - start;
  priv->apdus++;
  priv->bytes_out += capdu_len;
  if (trace_enabled ())
    {
      if (ok && rapdu->len - before >= 2)
        g_printerr ("apdu: %02X %02X %02X %02X (%" G_GSIZE_FORMAT " bytes) -> %u bytes, SW %02X%02X\n",
                    capdu[0], capdu[1], capdu[2], capdu[3], capdu_len, rapdu->len - before,
                    rapdu->data[rapdu->len - 2], rapdu->data[rapdu->len - 1]);
      else
        g_printerr ("apdu: %02X %02X %02X %02X (%" G_GSIZE_FORMAT " bytes) -> %s\n",
                    capdu[0], capdu[1], capdu[2], capdu[3], capdu_len, ok ? "no status word" : "failed");
    }
  if (ok)
    {
      priv->bytes_in += rapdu->len - before;
      if (rapdu->len - before < 2)
        {
          g_byte_array_set_size (rapdu, before);
          g_set_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_COMMUNICATION,
                       "Reader “%s” returned an answer without a status word",
                       priv->connstring);
          return FALSE;
        }
    }
  return ok;
}

gboolean
tp_transport_poll_card (TpTransport  *self,
                        gboolean      was_present,
                        guint         timeout_ms,
                        gboolean     *present,
                        GError      **error)
{
  g_return_val_if_fail (TP_IS_TRANSPORT (self), FALSE);
  g_return_val_if_fail (present != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return TP_TRANSPORT_GET_CLASS (self)->poll_card (self, was_present, timeout_ms, present, error);
}

gboolean
tp_transport_transmit_func (gpointer       user_data,
                            const guint8  *capdu,
                            gsize          capdu_len,
                            GByteArray    *rapdu,
                            GError       **error)
{
  return tp_transport_transmit (TP_TRANSPORT (user_data), capdu, capdu_len, rapdu, error);
}

const char *
tp_transport_get_connstring (TpTransport *self)
{
  TpTransportPrivate *priv = tp_transport_get_instance_private (self);

  g_return_val_if_fail (TP_IS_TRANSPORT (self), NULL);

  return priv->connstring;
}

const char *
tp_transport_get_name (TpTransport *self)
{
  TpTransportPrivate *priv = tp_transport_get_instance_private (self);

  g_return_val_if_fail (TP_IS_TRANSPORT (self), NULL);

  return priv->name ? priv->name : priv->connstring;
}

TpTransportKind
tp_transport_get_kind (TpTransport *self)
{
  g_return_val_if_fail (TP_IS_TRANSPORT (self), TP_TRANSPORT_KIND_SIM);

  return TP_TRANSPORT_GET_CLASS (self)->kind;
}

const char *
tp_transport_kind_to_string (TpTransportKind kind)
{
  switch (kind)
    {
    case TP_TRANSPORT_KIND_NFC:
      return "nfc";
    case TP_TRANSPORT_KIND_PCSC:
      return "pcsc";
    case TP_TRANSPORT_KIND_SIM:
      return "sim";
    default:
      g_return_val_if_reached ("sim");
    }
}

GBytes *
tp_transport_get_atr (TpTransport *self)
{
  TpTransportPrivate *priv = tp_transport_get_instance_private (self);

  g_return_val_if_fail (TP_IS_TRANSPORT (self), NULL);

  return priv->atr;
}

GBytes *
tp_transport_get_ats (TpTransport *self)
{
  TpTransportPrivate *priv = tp_transport_get_instance_private (self);

  g_return_val_if_fail (TP_IS_TRANSPORT (self), NULL);

  return priv->ats;
}

GBytes *
tp_transport_get_uid (TpTransport *self)
{
  TpTransportPrivate *priv = tp_transport_get_instance_private (self);

  g_return_val_if_fail (TP_IS_TRANSPORT (self), NULL);

  return priv->uid;
}

gsize
tp_transport_get_max_command_len (TpTransport *self)
{
  TpTransportPrivate *priv = tp_transport_get_instance_private (self);

  g_return_val_if_fail (TP_IS_TRANSPORT (self), 0);

  return priv->max_command_len;
}

gsize
tp_transport_get_max_response_len (TpTransport *self)
{
  TpTransportPrivate *priv = tp_transport_get_instance_private (self);

  g_return_val_if_fail (TP_IS_TRANSPORT (self), 0);

  return priv->max_response_len;
}

gboolean
tp_transport_supports_extended (TpTransport *self)
{
  TpTransportPrivate *priv = tp_transport_get_instance_private (self);

  g_return_val_if_fail (TP_IS_TRANSPORT (self), FALSE);

  return priv->max_command_len > TP_TRANSPORT_SHORT_COMMAND_MAX &&
         priv->max_response_len > TP_TRANSPORT_SHORT_RESPONSE_MAX;
}

void
tp_transport_get_counters (TpTransport *self,
                           guint       *apdus,
                           guint64     *bytes_out,
                           guint64     *bytes_in,
                           gint64      *transmit_us)
{
  TpTransportPrivate *priv = tp_transport_get_instance_private (self);

  g_return_if_fail (TP_IS_TRANSPORT (self));

  if (apdus)
    *apdus = priv->apdus;
  if (bytes_out)
    *bytes_out = priv->bytes_out;
  if (bytes_in)
    *bytes_in = priv->bytes_in;
  if (transmit_us)
    *transmit_us = priv->transmit_us;
}

void
tp_transport_reset_counters (TpTransport *self)
{
  TpTransportPrivate *priv = tp_transport_get_instance_private (self);

  g_return_if_fail (TP_IS_TRANSPORT (self));

  priv->apdus = 0;
  priv->bytes_out = 0;
  priv->bytes_in = 0;
  priv->transmit_us = 0;
}

void
tp_transport_set_timeout (TpTransport *self,
                          guint        timeout_ms)
{
  TpTransportPrivate *priv = tp_transport_get_instance_private (self);

  g_return_if_fail (TP_IS_TRANSPORT (self));

  priv->timeout_ms = timeout_ms;
}

guint
tp_transport_get_timeout (TpTransport *self)
{
  TpTransportPrivate *priv = tp_transport_get_instance_private (self);

  g_return_val_if_fail (TP_IS_TRANSPORT (self), 0);

  return priv->timeout_ms;
}

void
_tp_transport_set_card_info (TpTransport *self,
                             GBytes      *atr,
                             GBytes      *ats,
                             GBytes      *uid)
{
  TpTransportPrivate *priv = tp_transport_get_instance_private (self);

  g_clear_pointer (&priv->atr, g_bytes_unref);
  g_clear_pointer (&priv->ats, g_bytes_unref);
  g_clear_pointer (&priv->uid, g_bytes_unref);
  priv->atr = atr ? g_bytes_ref (atr) : NULL;
  priv->ats = ats ? g_bytes_ref (ats) : NULL;
  priv->uid = uid ? g_bytes_ref (uid) : NULL;
}

void
_tp_transport_set_limits (TpTransport *self,
                          gsize        max_command_len,
                          gsize        max_response_len)
{
  TpTransportPrivate *priv = tp_transport_get_instance_private (self);

  priv->max_command_len = MAX (max_command_len, TP_TRANSPORT_SHORT_COMMAND_MAX);
  priv->max_response_len = MAX (max_response_len, TP_TRANSPORT_SHORT_RESPONSE_MAX);
}

void
_tp_transport_set_name (TpTransport *self,
                        const char  *name)
{
  TpTransportPrivate *priv = tp_transport_get_instance_private (self);

  g_free (priv->name);
  priv->name = g_strdup (name);
}

TpReaderInfo *
tp_reader_info_new (const char      *connstring,
                    const char      *name,
                    TpTransportKind  kind)
{
  TpReaderInfo *info = g_new0 (TpReaderInfo, 1);

  info->connstring = g_strdup (connstring);
  info->name = g_strdup (name);
  info->kind = kind;
  return info;
}

void
tp_reader_info_free (TpReaderInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->connstring);
  g_free (info->name);
  g_free (info);
}

GBytes *
tp_transport_build_contactless_atr (const guint8 *historical,
                                    gsize         historical_len)
{
  GByteArray *atr = g_byte_array_new ();
  guint8 head[4] = { 0x3B, 0x80, 0x80, 0x01 };
  guint8 tck = 0;

  historical_len = MIN (historical_len, 15);
  head[1] |= (guint8) historical_len;
  g_byte_array_append (atr, head, sizeof head);
  if (historical_len > 0)
    g_byte_array_append (atr, historical, historical_len);
  for (guint i = 1; i < atr->len; i++)
    tck ^= atr->data[i];
  g_byte_array_append (atr, &tck, 1);

  return g_byte_array_free_to_bytes (atr);
}
