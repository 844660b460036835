/* tp-session.c: the signed-in officer and the idle lock
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "tp-session.h"

struct _TpSession
{
  GObject    parent_instance;

  TpOfficer *officer;
  gboolean   locked;
  guint      idle_timeout;
  gint64     last_activity;   /* monotonic µs */
  guint      idle_source;
};

enum {
  PROP_0,
  PROP_OFFICER_ID,
  PROP_ROLE,
  PROP_LOCKED,
  PROP_ACTIVE,
  PROP_IDLE_TIMEOUT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (TpSession, tp_session, G_TYPE_OBJECT)

static void schedule_idle_check (TpSession *self);

static void
notify_all (TpSession *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OFFICER_ID]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ROLE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOCKED]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE]);
}

static gboolean
idle_check_cb (gpointer user_data)
{
  TpSession *self = user_data;
  gint64 idle_us = g_get_monotonic_time () - self->last_activity;

  self->idle_source = 0;
  if (self->officer == NULL || self->locked || self->idle_timeout == 0)
    return G_SOURCE_REMOVE;
  if (idle_us >= (gint64) self->idle_timeout * G_USEC_PER_SEC)
    tp_session_lock (self);
  else
    schedule_idle_check (self);
  return G_SOURCE_REMOVE;
}

/* One timer at the earliest moment the session can lock; input only
 * moves last_activity, and the timer looks again when it fires. */
static void
schedule_idle_check (TpSession *self)
{
  gint64 deadline_us, wait_ms;

  g_clear_handle_id (&self->idle_source, g_source_remove);
  if (self->officer == NULL || self->locked || self->idle_timeout == 0)
    return;
  deadline_us = self->last_activity + (gint64) self->idle_timeout * G_USEC_PER_SEC;
  wait_ms = MAX ((deadline_us - g_get_monotonic_time ()) / 1000, 0) + 1;
  self->idle_source = g_timeout_add_full (G_PRIORITY_DEFAULT, (guint) MIN (wait_ms, G_MAXUINT),
                                          idle_check_cb, self, NULL);
}

static void
tp_session_dispose (GObject *object)
{
  TpSession *self = TP_SESSION (object);

  g_clear_handle_id (&self->idle_source, g_source_remove);
  G_OBJECT_CLASS (tp_session_parent_class)->dispose (object);
}

static void
tp_session_finalize (GObject *object)
{
  TpSession *self = TP_SESSION (object);

  g_clear_pointer (&self->officer, tp_officer_free);
  G_OBJECT_CLASS (tp_session_parent_class)->finalize (object);
}

static void
tp_session_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  TpSession *self = TP_SESSION (object);

  switch (prop_id)
    {
    case PROP_OFFICER_ID:
      g_value_set_string (value, tp_session_get_officer_id (self));
      break;
    case PROP_ROLE:
      g_value_set_uint (value, tp_session_get_role (self));
      break;
    case PROP_LOCKED:
      g_value_set_boolean (value, self->locked);
      break;
    case PROP_ACTIVE:
      g_value_set_boolean (value, tp_session_get_active (self));
      break;
    case PROP_IDLE_TIMEOUT:
      g_value_set_uint (value, self->idle_timeout);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tp_session_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  TpSession *self = TP_SESSION (object);

  switch (prop_id)
    {
    case PROP_IDLE_TIMEOUT:
      tp_session_set_idle_timeout (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tp_session_class_init (TpSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tp_session_dispose;
  object_class->finalize = tp_session_finalize;
  object_class->get_property = tp_session_get_property;
  object_class->set_property = tp_session_set_property;

  properties[PROP_OFFICER_ID] =
    g_param_spec_string ("officer-id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ROLE] =
    g_param_spec_uint ("role", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOCKED] =
    g_param_spec_boolean ("locked", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ACTIVE] =
    g_param_spec_boolean ("active", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_IDLE_TIMEOUT] =
    g_param_spec_uint ("idle-timeout", NULL, NULL, 0, G_MAXUINT, 300,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tp_session_init (TpSession *self)
{
  self->idle_timeout = 300;
  self->last_activity = g_get_monotonic_time ();
}

TpSession *
tp_session_new (void)
{
  return g_object_new (TP_TYPE_SESSION, NULL);
}

void
tp_session_sign_in (TpSession       *self,
                    const TpOfficer *officer)
{
  g_return_if_fail (TP_IS_SESSION (self));
  g_return_if_fail (officer != NULL);

  g_clear_pointer (&self->officer, tp_officer_free);
  self->officer = tp_officer_copy (officer);
  self->locked = FALSE;
  self->last_activity = g_get_monotonic_time ();
  schedule_idle_check (self);
  notify_all (self);
}

void
tp_session_sign_out (TpSession *self)
{
  g_return_if_fail (TP_IS_SESSION (self));

  if (self->officer == NULL)
    return;
  g_clear_pointer (&self->officer, tp_officer_free);
  self->locked = FALSE;
  g_clear_handle_id (&self->idle_source, g_source_remove);
  notify_all (self);
}

void
tp_session_lock (TpSession *self)
{
  g_return_if_fail (TP_IS_SESSION (self));

  if (self->officer == NULL || self->locked)
    return;
  self->locked = TRUE;
  g_clear_handle_id (&self->idle_source, g_source_remove);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOCKED]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE]);
}

const TpOfficer *
tp_session_get_officer (TpSession *self)
{
  g_return_val_if_fail (TP_IS_SESSION (self), NULL);

  return self->officer;
}

const char *
tp_session_get_officer_id (TpSession *self)
{
  g_return_val_if_fail (TP_IS_SESSION (self), NULL);

  return self->officer != NULL ? self->officer->id : NULL;
}

TpRoles
tp_session_get_role (TpSession *self)
{
  g_return_val_if_fail (TP_IS_SESSION (self), 0);

  return self->officer != NULL ? self->officer->role : 0;
}

gboolean
tp_session_get_locked (TpSession *self)
{
  g_return_val_if_fail (TP_IS_SESSION (self), FALSE);

  return self->locked;
}

gboolean
tp_session_get_active (TpSession *self)
{
  g_return_val_if_fail (TP_IS_SESSION (self), FALSE);

  return self->officer != NULL && !self->locked;
}

void
tp_session_set_idle_timeout (TpSession *self,
                             guint      seconds)
{
  g_return_if_fail (TP_IS_SESSION (self));

  if (self->idle_timeout == seconds)
    return;
  self->idle_timeout = seconds;
  schedule_idle_check (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IDLE_TIMEOUT]);
}

guint
tp_session_get_idle_timeout (TpSession *self)
{
  g_return_val_if_fail (TP_IS_SESSION (self), 0);

  return self->idle_timeout;
}

void
tp_session_touch (TpSession *self)
{
  g_return_if_fail (TP_IS_SESSION (self));

  self->last_activity = g_get_monotonic_time ();
  if (self->officer != NULL && !self->locked && self->idle_source == 0)
    schedule_idle_check (self);
}

const char *
tp_session_role_label (TpRoles role)
{
  switch ((guint) role)
    {
    case TP_ROLE_IMMIGRATION:
      return _("Immigration");
    case TP_ROLE_CUSTOMS:
      return _("Customs");
    case TP_ROLE_SUPERVISOR:
      return _("Supervisor");
    default:
      return _("No role");
    }
}
