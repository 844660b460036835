/* tp-sim-transport.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tp-chip-error.h"
#include "tp-sim-transport.h"

#define SIM_EXTENDED_MAX  (4 + 3 + 65535 + 3)

struct _TpSimTransport
{
  TpTransport  parent_instance;

  TpSimChip   *chip;
  gboolean     selected;
  gboolean     reader_extended;

  GMutex       lock;
  GCond        changed;
  gboolean     present;
};

G_DEFINE_FINAL_TYPE (TpSimTransport, tp_sim_transport, TP_TYPE_TRANSPORT)

static gboolean
is_present (TpSimTransport *self)
{
  gboolean present;

  g_mutex_lock (&self->lock);
  present = self->present;
  g_mutex_unlock (&self->lock);
  return present;
}

static gboolean
tp_sim_transport_connect (TpTransport  *transport,
                          GError      **error)
{
  TpSimTransport *self = TP_SIM_TRANSPORT (transport);
  g_autoptr(GBytes) atr = NULL;
  g_autoptr(GBytes) ats = NULL;
  g_autoptr(GBytes) uid = NULL;

  if (!is_present (self))
    {
      g_set_error (error, TP_TRANSPORT_ERROR, TP_TRANSPORT_ERROR_NO_CARD,
                   "No card on the software reader “%s”", tp_transport_get_connstring (transport));
      return FALSE;
    }

  /* Entering the field powers the chip. */
  tp_sim_chip_reset (self->chip);
  self->selected = TRUE;
  atr = tp_sim_chip_get_atr (self->chip);
  ats = tp_sim_chip_get_ats (self->chip);
  uid = tp_sim_chip_get_uid (self->chip);
  _tp_transport_set_card_info (transport, atr, ats, uid);
  return TRUE;
}

static void
tp_sim_transport_disconnect (TpTransport *transport)
{
  TpSimTransport *self = TP_SIM_TRANSPORT (transport);

  self->selected = FALSE;
  _tp_transport_set_card_info (transport, NULL, NULL, NULL);
}

static gboolean
tp_sim_transport_transmit (TpTransport   *transport,
                           const guint8  *capdu,
                           gsize          capdu_len,
                           GByteArray    *rapdu,
                           GError       **error)
{
  TpSimTransport *self = TP_SIM_TRANSPORT (transport);

  if (!self->selected || !is_present (self))
    {
      self->selected = FALSE;
      g_set_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_COMMUNICATION,
                   "The card stopped answering (removed from the software reader)");
      return FALSE;
    }

  if (!tp_sim_chip_transmit (self->chip, capdu, capdu_len, rapdu, error))
    {
      /* The chip left the field: it has to be powered and selected again. */
      self->selected = FALSE;
      return FALSE;
    }
  return TRUE;
}

static gboolean
tp_sim_transport_poll_card (TpTransport  *transport,
                            gboolean      was_present,
                            guint         timeout_ms,
                            gboolean     *present,
                            GError      **error)
{
  TpSimTransport *self = TP_SIM_TRANSPORT (transport);
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * G_TIME_SPAN_MILLISECOND;

  g_mutex_lock (&self->lock);
  while (self->present == was_present)
    if (!g_cond_wait_until (&self->changed, &self->lock, deadline))
      break;
  *present = self->present;
  g_mutex_unlock (&self->lock);
  return TRUE;
}

static void
tp_sim_transport_finalize (GObject *object)
{
  TpSimTransport *self = TP_SIM_TRANSPORT (object);

  g_clear_pointer (&self->chip, tp_sim_chip_free);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->changed);

  G_OBJECT_CLASS (tp_sim_transport_parent_class)->finalize (object);
}

static void
tp_sim_transport_class_init (TpSimTransportClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  TpTransportClass *transport_class = TP_TRANSPORT_CLASS (klass);

  object_class->finalize = tp_sim_transport_finalize;

  transport_class->connect = tp_sim_transport_connect;
  transport_class->disconnect = tp_sim_transport_disconnect;
  transport_class->transmit = tp_sim_transport_transmit;
  transport_class->poll_card = tp_sim_transport_poll_card;
  transport_class->kind = TP_TRANSPORT_KIND_SIM;
}

static void
tp_sim_transport_init (TpSimTransport *self)
{
  g_mutex_init (&self->lock);
  g_cond_init (&self->changed);
  self->present = TRUE;
  self->reader_extended = TRUE;
}

TpTransport *
tp_sim_transport_new (const char  *spec,
                      GError     **error)
{
  g_autoptr(TpSimTransport) self = NULL;
  g_autofree char *connstring = NULL;
  g_autoptr(TpSimChip) chip = NULL;

  g_return_val_if_fail (spec != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  chip = tp_sim_chip_new (spec, error);
  if (chip == NULL)
    return NULL;

  connstring = g_strconcat ("sim:", spec, NULL);
  self = g_object_new (TP_TYPE_SIM_TRANSPORT, "connstring", connstring, NULL);
  self->chip = g_steal_pointer (&chip);
  _tp_transport_set_name (TP_TRANSPORT (self), connstring);
  _tp_transport_set_limits (TP_TRANSPORT (self), SIM_EXTENDED_MAX, 65536 + 2);

  return TP_TRANSPORT (g_steal_pointer (&self));
}

static TpTransport *
open_sim (const char  *address,
          GError     **error)
{
  return tp_sim_transport_new (address, error);
}

void
tp_sim_transport_register (void)
{
  tp_transport_register_scheme ("sim", TP_TRANSPORT_KIND_SIM, "sim:PROFILE",
                                open_sim, tp_sim_transport_list);
}

void
tp_sim_transport_list (GPtrArray *readers)
{
  const TpSimChipInfo *profiles;
  gsize n = 0;

  profiles = tp_sim_chip_list_profiles (&n);
  for (gsize i = 0; i < n; i++)
    {
      g_autofree char *connstring = g_strconcat ("sim:", profiles[i].name, NULL);
      g_autofree char *name = g_strdup_printf ("Software chip: %s", profiles[i].summary);

      g_ptr_array_add (readers, tp_reader_info_new (connstring, name, TP_TRANSPORT_KIND_SIM));
    }
}

TpSimChip *
tp_sim_transport_get_chip (TpSimTransport *self)
{
  g_return_val_if_fail (TP_IS_SIM_TRANSPORT (self), NULL);

  return self->chip;
}

void
tp_sim_transport_set_card_present (TpSimTransport *self,
                                   gboolean        present)
{
  g_return_if_fail (TP_IS_SIM_TRANSPORT (self));

  g_mutex_lock (&self->lock);
  self->present = !!present;
  g_cond_broadcast (&self->changed);
  g_mutex_unlock (&self->lock);
}

void
tp_sim_transport_set_reader_extended (TpSimTransport *self,
                                      gboolean        extended)
{
  g_return_if_fail (TP_IS_SIM_TRANSPORT (self));

  self->reader_extended = !!extended;
  if (extended)
    _tp_transport_set_limits (TP_TRANSPORT (self), SIM_EXTENDED_MAX, 65536 + 2);
  else
    _tp_transport_set_limits (TP_TRANSPORT (self), TP_TRANSPORT_SHORT_COMMAND_MAX,
                              TP_TRANSPORT_SHORT_RESPONSE_MAX);
}
