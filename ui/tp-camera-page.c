/* tp-camera-page.c: the camera view
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "tp-camera-page.h"
#include "tp-camera.h"

struct _TpCameraPage
{
  GtkWidget   parent_instance;

  GtkPicture *picture;
  GtkLabel   *status;

  TpCamera   *camera;
};

enum {
  BOARDING_PASS,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (TpCameraPage, tp_camera_page, GTK_TYPE_WIDGET)

static void
set_status (TpCameraPage *self,
            const char   *text)
{
  gtk_label_set_label (self->status, text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->status), GTK_ACCESSIBLE_PROPERTY_LABEL, text, -1);
}

static void
barcode_cb (TpCameraPage *self,
            const char   *text,
            const char   *format,
            TpCamera     *camera)
{
  g_autofree char *status = NULL;

  /* TRANSLATORS: %s is a barcode format: PDF417, Aztec, QR Code... */
  status = g_strdup_printf (_("Read a %s barcode"), format);
  set_status (self, status);
  g_signal_emit (self, signals[BOARDING_PASS], 0, text);
}

static void
preview_cb (TpCameraPage *self,
            GdkTexture   *texture,
            TpCamera     *camera)
{
  gtk_picture_set_paintable (self->picture, GDK_PAINTABLE (texture));
}

static void
start (TpCameraPage *self)
{
  g_autoptr(GError) error = NULL;

  if (self->camera == NULL || tp_camera_is_running (self->camera))
    return;
  if (!tp_camera_start (self->camera, &error))
    {
      set_status (self, error->message);
      return;
    }
  set_status (self, _("Looking for a barcode…"));
}

static void
stop (TpCameraPage *self)
{
  if (self->camera != NULL)
    tp_camera_stop (self->camera);
}

/* The camera runs only while the view is on screen. */
static void
tp_camera_page_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (tp_camera_page_parent_class)->map (widget);
  start (TP_CAMERA_PAGE (widget));
}

static void
tp_camera_page_unmap (GtkWidget *widget)
{
  stop (TP_CAMERA_PAGE (widget));
  GTK_WIDGET_CLASS (tp_camera_page_parent_class)->unmap (widget);
}

static void
tp_camera_page_dispose (GObject *object)
{
  TpCameraPage *self = TP_CAMERA_PAGE (object);
  GtkWidget *child;

  if (self->camera != NULL)
    {
      tp_camera_stop (self->camera);
      g_signal_handlers_disconnect_by_data (self->camera, self);
      g_clear_object (&self->camera);
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), TP_TYPE_CAMERA_PAGE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (tp_camera_page_parent_class)->dispose (object);
}

static void
tp_camera_page_class_init (TpCameraPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tp_camera_page_dispose;
  widget_class->map = tp_camera_page_map;
  widget_class->unmap = tp_camera_page_unmap;

  /**
   * TpCameraPage::boarding-pass:
   * @text: the barcode's text
   */
  signals[BOARDING_PASS] = g_signal_new ("boarding-pass", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/touchpoint/Touchpoint/tp-camera-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TpCameraPage, picture);
  gtk_widget_class_bind_template_child (widget_class, TpCameraPage, status);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
tp_camera_page_init (TpCameraPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  set_status (self, _("No camera is set up"));
}

GtkWidget *
tp_camera_page_new (void)
{
  return g_object_new (TP_TYPE_CAMERA_PAGE, NULL);
}

void
tp_camera_page_set_source (TpCameraPage *self,
                           const char   *source)
{
  g_return_if_fail (TP_IS_CAMERA_PAGE (self));

  if (self->camera != NULL)
    {
      tp_camera_stop (self->camera);
      g_signal_handlers_disconnect_by_data (self->camera, self);
      g_clear_object (&self->camera);
    }
  gtk_picture_set_paintable (self->picture, NULL);
  if (source == NULL || source[0] == '\0')
    {
      set_status (self, _("No camera is set up"));
      return;
    }
  self->camera = tp_camera_new (source);
  g_signal_connect_object (self->camera, "barcode", G_CALLBACK (barcode_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->camera, "preview", G_CALLBACK (preview_cb), self, G_CONNECT_SWAPPED);
  set_status (self, _("Camera off"));
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    start (self);
}

const char *
tp_camera_page_get_status (TpCameraPage *self)
{
  g_return_val_if_fail (TP_IS_CAMERA_PAGE (self), NULL);

  return gtk_label_get_label (self->status);
}

gboolean
tp_camera_page_get_running (TpCameraPage *self)
{
  g_return_val_if_fail (TP_IS_CAMERA_PAGE (self), FALSE);

  return self->camera != NULL && tp_camera_is_running (self->camera);
}
