/* tp-wedge.c: keystroke bursts that are an MRZ or a boarding pass
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "tp-bcbp.h"
#include "tp-mrz.h"
#include "tp-wedge.h"

struct _TpWedge
{
  GObject     parent_instance;

  GtkWindow  *window;          /* weak */
  GString    *burst;           /* every character of the burst, the first one included */
  guint32     last_time;
  gboolean    first_went_in;   /* the first key reached an editable... */
  GtkWidget  *first_target;    /* ...this one (weak) */
  int         first_position;  /* ...at this position */
  guint       end_source;
  gint64      last_burst_end;
};

enum {
  MRZ,
  BOARDING_PASS,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (TpWedge, tp_wedge, G_TYPE_OBJECT)

static GtkWidget *
focused_widget (TpWedge *self)
{
  return self->window != NULL ? gtk_root_get_focus (GTK_ROOT (self->window)) : NULL;
}

static void
forget_target (TpWedge *self)
{
  if (self->first_target != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->first_target), (gpointer *) &self->first_target);
  self->first_target = NULL;
  self->first_went_in = FALSE;
}

/* Types @text into the focused field, as the held-back keys would have. */
static void
type_into_focus (TpWedge    *self,
                 const char *text)
{
  GtkWidget *focus = focused_widget (self);

  if (text[0] == '\0' || focus == NULL)
    return;
  if (GTK_IS_EDITABLE (focus) && gtk_editable_get_editable (GTK_EDITABLE (focus)))
    {
      int position = gtk_editable_get_position (GTK_EDITABLE (focus));

      gtk_editable_insert_text (GTK_EDITABLE (focus), text, -1, &position);
      gtk_editable_set_position (GTK_EDITABLE (focus), position);
    }
  else if (GTK_IS_TEXT_VIEW (focus) && gtk_text_view_get_editable (GTK_TEXT_VIEW (focus)))
    gtk_text_buffer_insert_at_cursor (gtk_text_view_get_buffer (GTK_TEXT_VIEW (focus)), text, -1);
}

/* Takes the burst's first character back out of the field it went into. */
static void
take_back_first (TpWedge *self)
{
  if (!self->first_went_in || self->first_target == NULL)
    return;
  if (GTK_IS_EDITABLE (self->first_target))
    {
      GtkEditable *editable = GTK_EDITABLE (self->first_target);
      g_autofree char *c = gtk_editable_get_chars (editable, self->first_position, self->first_position + 1);

      if (c != NULL && c[0] == self->burst->str[0] && c[1] == '\0')
        gtk_editable_delete_text (editable, self->first_position, self->first_position + 1);
    }
  else if (GTK_IS_TEXT_VIEW (self->first_target))
    {
      GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->first_target));
      GtkTextIter start, end;

      gtk_text_buffer_get_iter_at_offset (buffer, &start, self->first_position);
      end = start;
      gtk_text_iter_forward_char (&end);
      if (gtk_text_iter_get_char (&start) == (gunichar) self->burst->str[0])
        gtk_text_buffer_delete (buffer, &start, &end);
    }
}

static gboolean
recognise (TpWedge *self)
{
  g_autofree char *text = g_strdup (self->burst->str);
  g_autoptr(TpMrz) mrz = NULL;
  g_autoptr(TpBcbp) pass = NULL;
  gsize len;

  g_strstrip (text);
  len = strlen (text);
  if (len < TP_WEDGE_MIN_LENGTH)
    return FALSE;
  mrz = tp_mrz_parse (text, NULL, NULL);
  if (mrz != NULL)
    {
      take_back_first (self);
      self->last_burst_end = g_get_monotonic_time ();
      g_signal_emit (self, signals[MRZ], 0, text);
      return TRUE;
    }
  /* a boarding pass keeps its spaces; only line ends are dropped */
  g_strchomp (self->burst->str);
  pass = tp_bcbp_parse (self->burst->str, strlen (self->burst->str), NULL, NULL);
  if (pass != NULL)
    {
      g_autofree char *raw = g_strdup (self->burst->str);

      take_back_first (self);
      self->last_burst_end = g_get_monotonic_time ();
      g_signal_emit (self, signals[BOARDING_PASS], 0, raw);
      return TRUE;
    }
  return FALSE;
}

/* The burst so far is a whole MRZ or boarding pass. */
static gboolean
burst_complete (TpWedge *self)
{
  g_autofree char *text = g_strstrip (g_strdup (self->burst->str));
  g_autoptr(TpMrz) mrz = NULL;
  g_autoptr(TpBcbp) pass = NULL;

  if (strlen (text) < TP_WEDGE_MIN_LENGTH)
    return FALSE;
  mrz = tp_mrz_parse (text, NULL, NULL);
  if (mrz != NULL)
    return TRUE;
  pass = tp_bcbp_parse (text, strlen (text), NULL, NULL);
  return pass != NULL && strchr (text, '\n') == NULL;
}

static void
end_burst (TpWedge *self)
{
  g_clear_handle_id (&self->end_source, g_source_remove);
  if (self->burst->len > 0 && !recognise (self))
    type_into_focus (self, self->burst->str + 1);
  g_string_truncate (self->burst, 0);
  forget_target (self);
}

static gboolean
end_timeout_cb (gpointer user_data)
{
  TpWedge *self = user_data;

  self->end_source = 0;
  end_burst (self);
  return G_SOURCE_REMOVE;
}

static gboolean
key_pressed_cb (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                TpWedge               *self)
{
  guint32 time = gtk_event_controller_get_current_event_time (GTK_EVENT_CONTROLLER (controller));

  return tp_wedge_key_pressed (self, keyval, state, time);
}

static void
tp_wedge_dispose (GObject *object)
{
  TpWedge *self = TP_WEDGE (object);

  g_clear_handle_id (&self->end_source, g_source_remove);
  forget_target (self);
  if (self->window != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->window), (gpointer *) &self->window);
  self->window = NULL;
  G_OBJECT_CLASS (tp_wedge_parent_class)->dispose (object);
}

static void
tp_wedge_finalize (GObject *object)
{
  TpWedge *self = TP_WEDGE (object);

  g_string_free (self->burst, TRUE);
  G_OBJECT_CLASS (tp_wedge_parent_class)->finalize (object);
}

static void
tp_wedge_class_init (TpWedgeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tp_wedge_dispose;
  object_class->finalize = tp_wedge_finalize;

  /**
   * TpWedge::mrz:
   * @text: the zone as typed (lines separated by new lines)
   */
  signals[MRZ] = g_signal_new ("mrz", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                               0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /**
   * TpWedge::boarding-pass:
   * @text: the barcode text
   */
  signals[BOARDING_PASS] = g_signal_new ("boarding-pass", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
tp_wedge_init (TpWedge *self)
{
  self->burst = g_string_new (NULL);
}

TpWedge *
tp_wedge_new (void)
{
  return g_object_new (TP_TYPE_WEDGE, NULL);
}

void
tp_wedge_attach (TpWedge   *self,
                 GtkWindow *window)
{
  GtkEventController *controller;

  g_return_if_fail (TP_IS_WEDGE (self));
  g_return_if_fail (GTK_IS_WINDOW (window));
  g_return_if_fail (self->window == NULL);

  self->window = window;
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &self->window);
  controller = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  gtk_event_controller_set_name (controller, "tp-wedge");
  g_signal_connect_object (controller, "key-pressed", G_CALLBACK (key_pressed_cb), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (window), controller);
}

gboolean
tp_wedge_key_pressed (TpWedge         *self,
                      guint            keyval,
                      GdkModifierType  state,
                      guint32          time)
{
  gunichar c;
  char utf8[8];
  int len;
  gboolean quick;

  g_return_val_if_fail (TP_IS_WEDGE (self), FALSE);

  if (time == 0)
    time = (guint32) (g_get_monotonic_time () / 1000);
  quick = self->burst->len > 0 && time - self->last_time <= TP_WEDGE_MAX_GAP_MS;

  if (state & (GDK_CONTROL_MASK | GDK_ALT_MASK | GDK_SUPER_MASK))
    {
      if (self->burst->len > 0)
        end_burst (self);
      return FALSE;
    }
  if (keyval == GDK_KEY_Return || keyval == GDK_KEY_KP_Enter || keyval == GDK_KEY_ISO_Enter)
    c = '\n';
  else
    c = gdk_keyval_to_unicode (keyval);
  if (c == 0 || (c != '\n' && !g_unichar_isprint (c)))
    {
      /* Shift and other keys without a character do not break a burst */
      if (self->burst->len > 0 && c != 0)
        end_burst (self);
      return FALSE;
    }

  len = g_unichar_to_utf8 (c, utf8);
  if (!quick)
    {
      GtkWidget *focus;

      if (self->burst->len > 0)
        end_burst (self);
      if (c == '\n')
        return FALSE;   /* an Enter on its own is just Enter */
      /* the first key goes where it would have gone: remember where */
      g_string_append_len (self->burst, utf8, len);
      focus = focused_widget (self);
      if (focus != NULL && GTK_IS_EDITABLE (focus) && gtk_editable_get_editable (GTK_EDITABLE (focus)))
        {
          self->first_went_in = TRUE;
          self->first_position = gtk_editable_get_position (GTK_EDITABLE (focus));
        }
      else if (focus != NULL && GTK_IS_TEXT_VIEW (focus) && gtk_text_view_get_editable (GTK_TEXT_VIEW (focus)))
        {
          GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (focus));
          GtkTextIter iter;

          gtk_text_buffer_get_iter_at_mark (buffer, &iter, gtk_text_buffer_get_insert (buffer));
          self->first_went_in = TRUE;
          self->first_position = gtk_text_iter_get_offset (&iter);
        }
      if (self->first_went_in)
        {
          self->first_target = focus;
          g_object_add_weak_pointer (G_OBJECT (focus), (gpointer *) &self->first_target);
        }
      self->last_time = time;
      g_clear_handle_id (&self->end_source, g_source_remove);
      self->end_source = g_timeout_add (TP_WEDGE_END_MS, end_timeout_cb, self);
      return FALSE;
    }

  g_string_append_len (self->burst, utf8, len);
  self->last_time = time;
  g_clear_handle_id (&self->end_source, g_source_remove);
  /* an Enter after a whole zone or pass ends the burst at once: scanners
   * end with one, and the officer should not wait for the quiet */
  if (c == '\n' && burst_complete (self))
    end_burst (self);
  else
    self->end_source = g_timeout_add (TP_WEDGE_END_MS, end_timeout_cb, self);
  return TRUE;
}

void
tp_wedge_flush (TpWedge *self)
{
  g_return_if_fail (TP_IS_WEDGE (self));

  end_burst (self);
}

gint64
tp_wedge_get_last_burst_end (TpWedge *self)
{
  g_return_val_if_fail (TP_IS_WEDGE (self), 0);

  return self->last_burst_end;
}
