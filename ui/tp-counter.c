/* tp-counter.c: the counter's traveller
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "tp-counter.h"

struct _TpCounter
{
  GObject        parent_instance;

  TpCheckpoint  *checkpoint;
  TpReader      *reader;
  TpTrustStore  *trust;         /* borrowed */
  char          *officer;
  TpRoles        role;

  TpCase        *kase;
  GCancellable  *read_cancellable;
  gboolean       reading;
  double         progress;
  char          *progress_file;
  GError        *read_error;
  gint64         read_started;
  TpListHold     list_hold;
};

enum {
  PROP_0,
  PROP_CASE,
  PROP_READING,
  PROP_PROGRESS,
  PROP_READ_ERROR,
  PROP_LIST_HOLD,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (TpCounter, tp_counter, G_TYPE_OBJECT)

static void start_read (TpCounter *self);

static void
set_case (TpCounter *self,
          TpCase    *kase)
{
  if (self->kase == kase)
    return;
  if (self->read_cancellable != NULL)
    g_cancellable_cancel (self->read_cancellable);
  g_clear_object (&self->read_cancellable);
  g_set_object (&self->kase, kase);
  self->reading = FALSE;
  self->progress = 0;
  g_clear_pointer (&self->progress_file, g_free);
  g_clear_error (&self->read_error);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CASE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READING]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READ_ERROR]);
}

static TpCase *
ensure_case (TpCounter *self)
{
  if (self->kase == NULL && self->officer != NULL)
    {
      g_autoptr(TpCase) kase = tp_case_new (self->checkpoint, self->officer, self->role);

      set_case (self, kase);
    }
  return self->kase;
}

static void
read_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(TpCounter) self = user_data;
  g_autoptr(GError) error = NULL;
  TpCase *kase = TP_CASE (object);

  tp_case_read_document_finish (kase, result, &error);
  if (kase != self->kase || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->reading = FALSE;
  g_clear_object (&self->read_cancellable);
  g_clear_error (&self->read_error);
  self->read_error = g_steal_pointer (&error);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READ_ERROR]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READING]);
}

static void
progress_cb (TpCounter  *self,
             const char *file,
             guint64     done,
             guint64     total,
             TpReader   *reader)
{
  if (!self->reading)
    return;
  g_free (self->progress_file);
  self->progress_file = g_strdup (file);
  self->progress = total > 0 ? MIN ((double) done / (double) total, 1.0) : 0.0;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRESS]);
}

static void
card_inserted_cb (TpCounter *self,
                  TpReader  *reader)
{
  /* the passport put (back) on the reader: read it if its MRZ is known */
  if (self->kase != NULL && tp_case_get_printed_mrz (self->kase) != NULL &&
      tp_case_get_document (self->kase) == NULL && !self->reading)
    start_read (self);
}

static void
start_read (TpCounter *self)
{
  g_autoptr(TpReadOptions) options = NULL;

  if (self->reader == NULL || self->kase == NULL || self->reading)
    return;
  options = tp_read_options_new ();
  options->trust = self->trust;   /* borrowed: copied by the reader */
  self->reading = TRUE;
  self->progress = 0;
  self->read_started = g_get_monotonic_time ();
  g_clear_pointer (&self->progress_file, g_free);
  g_clear_error (&self->read_error);
  self->read_cancellable = g_cancellable_new ();
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READING]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READ_ERROR]);
  tp_case_read_document_async (self->kase, self->reader, options, self->read_cancellable,
                               read_done_cb, g_object_ref (self));
}

static void
tp_counter_dispose (GObject *object)
{
  TpCounter *self = TP_COUNTER (object);

  if (self->read_cancellable != NULL)
    g_cancellable_cancel (self->read_cancellable);
  g_clear_object (&self->read_cancellable);
  if (self->reader != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->reader, self);
      tp_reader_stop_watching (self->reader);
    }
  g_clear_object (&self->reader);
  self->trust = NULL;
  g_clear_object (&self->kase);
  g_clear_object (&self->checkpoint);
  G_OBJECT_CLASS (tp_counter_parent_class)->dispose (object);
}

static void
tp_counter_finalize (GObject *object)
{
  TpCounter *self = TP_COUNTER (object);

  g_free (self->officer);
  g_free (self->progress_file);
  g_clear_error (&self->read_error);
  G_OBJECT_CLASS (tp_counter_parent_class)->finalize (object);
}

static void
tp_counter_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  TpCounter *self = TP_COUNTER (object);

  switch (prop_id)
    {
    case PROP_CASE:
      g_value_set_object (value, self->kase);
      break;
    case PROP_READING:
      g_value_set_boolean (value, self->reading);
      break;
    case PROP_PROGRESS:
      g_value_set_double (value, self->progress);
      break;
    case PROP_READ_ERROR:
      g_value_set_boxed (value, self->read_error);
      break;
    case PROP_LIST_HOLD:
      g_value_set_int (value, self->list_hold);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tp_counter_class_init (TpCounterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tp_counter_dispose;
  object_class->finalize = tp_counter_finalize;
  object_class->get_property = tp_counter_get_property;

  properties[PROP_CASE] =
    g_param_spec_object ("case", NULL, NULL, TP_TYPE_CASE,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_READING] =
    g_param_spec_boolean ("reading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_PROGRESS] =
    g_param_spec_double ("progress", NULL, NULL, 0.0, 1.0, 0.0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_READ_ERROR] =
    g_param_spec_boxed ("read-error", NULL, NULL, G_TYPE_ERROR,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_LIST_HOLD] =
    g_param_spec_int ("list-hold", NULL, NULL, TP_LIST_HOLD_NONE, TP_LIST_HOLD_BLOCK, TP_LIST_HOLD_NONE,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tp_counter_init (TpCounter *self)
{
}

TpCounter *
tp_counter_new (TpCheckpoint *checkpoint)
{
  TpCounter *self;

  g_return_val_if_fail (TP_IS_CHECKPOINT (checkpoint), NULL);

  self = g_object_new (TP_TYPE_COUNTER, NULL);
  self->checkpoint = g_object_ref (checkpoint);
  return self;
}

TpCheckpoint *
tp_counter_get_checkpoint (TpCounter *self)
{
  g_return_val_if_fail (TP_IS_COUNTER (self), NULL);

  return self->checkpoint;
}

void
tp_counter_set_officer (TpCounter  *self,
                        const char *officer,
                        TpRoles     role)
{
  g_return_if_fail (TP_IS_COUNTER (self));

  if (g_strcmp0 (self->officer, officer) != 0 || self->role != role)
    set_case (self, NULL);
  g_free (self->officer);
  self->officer = g_strdup (officer);
  self->role = officer != NULL ? role : 0;
}

void
tp_counter_set_reader (TpCounter    *self,
                       TpReader     *reader,
                       TpTrustStore *trust)
{
  g_return_if_fail (TP_IS_COUNTER (self));

  if (self->reader != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->reader, self);
      tp_reader_stop_watching (self->reader);
    }
  g_set_object (&self->reader, reader);
  self->trust = trust;
  if (reader != NULL)
    {
      g_signal_connect_object (reader, "progress", G_CALLBACK (progress_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (reader, "card-inserted", G_CALLBACK (card_inserted_cb), self, G_CONNECT_SWAPPED);
      tp_reader_start_watching (reader);
    }
}

TpReader *
tp_counter_get_reader (TpCounter *self)
{
  g_return_val_if_fail (TP_IS_COUNTER (self), NULL);

  return self->reader;
}

TpCase *
tp_counter_get_case (TpCounter *self)
{
  g_return_val_if_fail (TP_IS_COUNTER (self), NULL);

  return self->kase;
}

void
tp_counter_next_traveller (TpCounter *self)
{
  g_return_if_fail (TP_IS_COUNTER (self));

  set_case (self, NULL);
}

void
tp_counter_set_case (TpCounter *self,
                     TpCase    *kase)
{
  g_return_if_fail (TP_IS_COUNTER (self));
  g_return_if_fail (kase == NULL || TP_IS_CASE (kase));

  set_case (self, kase);
}

gboolean
tp_counter_present_mrz (TpCounter   *self,
                        const char  *text,
                        GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  TpCase *kase;

  g_return_val_if_fail (TP_IS_COUNTER (self), FALSE);

  /* a second passport after one already read: the next traveller */
  if (self->kase != NULL && tp_case_get_printed_mrz (self->kase) != NULL)
    set_case (self, NULL);
  kase = ensure_case (self);
  if (kase == NULL)
    {
      g_set_error_literal (error, TP_CASE_ERROR, TP_CASE_ERROR_NOT_PERMITTED, _("Sign in first"));
      return FALSE;
    }
  if (!tp_case_set_printed_mrz (kase, text, &local_error) && tp_case_get_printed_mrz (kase) == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  start_read (self);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

gboolean
tp_counter_present_boarding_pass (TpCounter   *self,
                                  const char  *text,
                                  GError     **error)
{
  TpCase *kase;

  g_return_val_if_fail (TP_IS_COUNTER (self), FALSE);

  /* a second boarding pass: the next traveller */
  if (self->kase != NULL && tp_case_get_boarding_pass (self->kase) != NULL)
    set_case (self, NULL);
  kase = ensure_case (self);
  if (kase == NULL)
    {
      g_set_error_literal (error, TP_CASE_ERROR, TP_CASE_ERROR_NOT_PERMITTED, _("Sign in first"));
      return FALSE;
    }
  return tp_case_set_boarding_pass (kase, text, error);
}

void
tp_counter_read_chip (TpCounter *self)
{
  g_return_if_fail (TP_IS_COUNTER (self));

  if (self->kase != NULL && tp_case_get_printed_mrz (self->kase) != NULL)
    start_read (self);
}

gboolean
tp_counter_get_reading (TpCounter *self)
{
  g_return_val_if_fail (TP_IS_COUNTER (self), FALSE);

  return self->reading;
}

double
tp_counter_get_progress (TpCounter *self)
{
  g_return_val_if_fail (TP_IS_COUNTER (self), 0.0);

  return self->progress;
}

const char *
tp_counter_get_progress_file (TpCounter *self)
{
  g_return_val_if_fail (TP_IS_COUNTER (self), NULL);

  return self->progress_file;
}

const GError *
tp_counter_get_read_error (TpCounter *self)
{
  g_return_val_if_fail (TP_IS_COUNTER (self), NULL);

  return self->read_error;
}

gint64
tp_counter_get_read_started (TpCounter *self)
{
  g_return_val_if_fail (TP_IS_COUNTER (self), 0);

  return self->read_started;
}

void
tp_counter_set_list_stale (TpCounter     *self,
                           gboolean       stale,
                           TpStalePolicy  policy)
{
  TpListHold hold;

  g_return_if_fail (TP_IS_COUNTER (self));

  if (!stale)
    hold = TP_LIST_HOLD_NONE;
  else if (policy == TP_STALE_POLICY_BLOCK)
    hold = TP_LIST_HOLD_BLOCK;
  else if (policy == TP_STALE_POLICY_REVIEW)
    hold = TP_LIST_HOLD_REVIEW;
  else
    hold = TP_LIST_HOLD_WARN;
  if (self->list_hold == hold)
    return;
  self->list_hold = hold;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LIST_HOLD]);
}

TpListHold
tp_counter_get_list_hold (TpCounter *self)
{
  g_return_val_if_fail (TP_IS_COUNTER (self), TP_LIST_HOLD_NONE);

  return self->list_hold;
}
