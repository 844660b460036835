/* tp-camera.c: V4L2 (or still-image) frames, decoded off the UI thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/videodev2.h>
#include <poll.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <glib/gi18n.h>

#include "tp-camera.h"

#define N_BUFFERS        4
#define PREVIEW_EVERY    3          /* frames */
#define REPEAT_AFTER_US  (3 * G_USEC_PER_SEC)
#define STILL_FRAME_US   (100 * 1000)

typedef struct {
  void   *start;
  size_t  length;
} Buffer;

struct _TpCamera
{
  GObject       parent_instance;

  char         *source;
  GThread      *thread;
  gint          stop;           /* atomic */
  guint         generation;     /* start count: deliveries of an earlier run are dropped */
  guint         frames;         /* atomic */
  GMainContext *context;

  /* V4L2 */
  int           fd;
  Buffer        buffers[N_BUFFERS];
  guint         n_buffers;
  guint32       pixelformat;
  int           width;
  int           height;
  int           bytesperline;

  /* file: */
  guint8       *still;          /* grey */

  /* worker only */
  char         *last_text;
  gint64        last_seen;
};

enum {
  BARCODE,
  PREVIEW,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_QUARK (tp-camera-error-quark, tp_camera_error)
G_DEFINE_FINAL_TYPE (TpCamera, tp_camera, G_TYPE_OBJECT)

/* Delivery to the main context */

typedef struct {
  TpCamera   *camera;
  guint       generation;
  TpBarcode  *barcode;
  GdkTexture *preview;
} Delivery;

static gboolean
deliver_cb (gpointer user_data)
{
  Delivery *d = user_data;

  /* a frame of a run that was stopped since: nobody waits for it */
  if (d->generation != d->camera->generation || d->camera->thread == NULL)
    goto done;
  if (d->barcode != NULL)
    g_signal_emit (d->camera, signals[BARCODE], 0, d->barcode->text,
                   tp_barcode_format_to_string (d->barcode->format));
  if (d->preview != NULL)
    g_signal_emit (d->camera, signals[PREVIEW], 0, d->preview);
done:
  g_clear_pointer (&d->barcode, tp_barcode_free);
  g_clear_object (&d->preview);
  g_object_unref (d->camera);
  g_free (d);
  return G_SOURCE_REMOVE;
}

static GdkTexture *
preview_texture (const guint8 *grey,
                 int           width,
                 int           height,
                 int           stride)
{
  g_autoptr(GBytes) bytes = NULL;
  guint8 *rgb = g_malloc ((gsize) width * height * 3);

  /* GTK 4.8 has no grey memory format */
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        guint8 v = grey[(gsize) y * stride + x];
        guint8 *p = rgb + ((gsize) y * width + x) * 3;

        p[0] = p[1] = p[2] = v;
      }
  bytes = g_bytes_new_take (rgb, (gsize) width * height * 3);
  return gdk_memory_texture_new (width, height, GDK_MEMORY_R8G8B8, bytes, (gsize) width * 3);
}

/* Decodes one grey frame (worker thread) and hands what it found over. */
static void
process_frame (TpCamera     *self,
               const guint8 *grey,
               int           width,
               int           height,
               int           stride)
{
  guint n = (guint) g_atomic_int_add ((gint *) &self->frames, 1) + 1;
  g_autoptr(TpBarcode) barcode = tp_barcode_decode (grey, width, height, stride);
  gint64 now = g_get_monotonic_time ();
  Delivery *d = g_new0 (Delivery, 1);

  if (barcode != NULL)
    {
      /* the same pass held in front of the camera is read once */
      if (g_strcmp0 (barcode->text, self->last_text) != 0 || now - self->last_seen > REPEAT_AFTER_US)
        {
          g_free (self->last_text);
          self->last_text = g_strdup (barcode->text);
          d->barcode = g_steal_pointer (&barcode);
        }
      self->last_seen = now;
    }
  if (n % PREVIEW_EVERY == 1)
    d->preview = preview_texture (grey, width, height, stride);
  if (d->barcode == NULL && d->preview == NULL)
    {
      g_free (d);
      return;
    }
  d->camera = g_object_ref (self);
  d->generation = self->generation;
  g_main_context_invoke (self->context, deliver_cb, d);
}

/* V4L2 */

static int
xioctl (int   fd,
        unsigned long request,
        void *arg)
{
  int r;

  do
    r = ioctl (fd, request, arg);
  while (r == -1 && errno == EINTR);
  return r;
}

static gboolean
grey_from_frame (TpCamera     *self,
                 const guint8 *data,
                 gsize         len,
                 guint8       *grey)
{
  int w = self->width, h = self->height, bpl = self->bytesperline;

  switch (self->pixelformat)
    {
    case V4L2_PIX_FMT_GREY:
    case V4L2_PIX_FMT_NV12:
    case V4L2_PIX_FMT_YUV420:
      /* the luma plane comes first */
      if (len < (gsize) bpl * h)
        return FALSE;
      for (int y = 0; y < h; y++)
        memcpy (grey + (gsize) y * w, data + (gsize) y * bpl, w);
      return TRUE;
    case V4L2_PIX_FMT_YUYV:
      if (len < (gsize) bpl * h)
        return FALSE;
      for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
          grey[(gsize) y * w + x] = data[(gsize) y * bpl + 2 * x];
      return TRUE;
    case V4L2_PIX_FMT_MJPEG:
      {
        g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new_with_type ("jpeg", NULL);
        GdkPixbuf *pixbuf;
        const guint8 *pixels;
        int rowstride, channels;

        if (loader == NULL || !gdk_pixbuf_loader_write (loader, data, len, NULL) ||
            !gdk_pixbuf_loader_close (loader, NULL))
          return FALSE;
        pixbuf = gdk_pixbuf_loader_get_pixbuf (loader);
        if (pixbuf == NULL || gdk_pixbuf_get_width (pixbuf) != w || gdk_pixbuf_get_height (pixbuf) != h)
          return FALSE;
        pixels = gdk_pixbuf_read_pixels (pixbuf);
        rowstride = gdk_pixbuf_get_rowstride (pixbuf);
        channels = gdk_pixbuf_get_n_channels (pixbuf);
        for (int y = 0; y < h; y++)
          for (int x = 0; x < w; x++)
            {
              const guint8 *p = pixels + (gsize) y * rowstride + (gsize) x * channels;

              grey[(gsize) y * w + x] = (guint8) ((p[0] * 299 + p[1] * 587 + p[2] * 114) / 1000);
            }
        return TRUE;
      }
    default:
      return FALSE;
    }
}

static void
v4l2_close (TpCamera *self)
{
  enum v4l2_buf_type type = V4L2_BUF_TYPE_VIDEO_CAPTURE;

  if (self->fd < 0)
    return;
  xioctl (self->fd, VIDIOC_STREAMOFF, &type);
  for (guint i = 0; i < self->n_buffers; i++)
    munmap (self->buffers[i].start, self->buffers[i].length);
  self->n_buffers = 0;
  close (self->fd);
  self->fd = -1;
}

static gboolean
v4l2_open (TpCamera  *self,
           GError   **error)
{
  static const guint32 formats[] = {
    V4L2_PIX_FMT_YUYV, V4L2_PIX_FMT_GREY, V4L2_PIX_FMT_NV12, V4L2_PIX_FMT_YUV420, V4L2_PIX_FMT_MJPEG,
  };
  struct v4l2_capability cap;
  struct v4l2_format fmt;
  struct v4l2_requestbuffers req;
  enum v4l2_buf_type type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
  gboolean found = FALSE;
  int saved;

  self->fd = open (self->source, O_RDWR | O_NONBLOCK | O_CLOEXEC);
  if (self->fd < 0)
    {
      saved = errno;
      g_set_error (error, TP_CAMERA_ERROR, TP_CAMERA_ERROR_OPEN, _("Cannot open the camera %s: %s"),
                   self->source, g_strerror (saved));
      return FALSE;
    }
  if (xioctl (self->fd, VIDIOC_QUERYCAP, &cap) < 0 ||
      !(cap.capabilities & V4L2_CAP_VIDEO_CAPTURE) || !(cap.capabilities & V4L2_CAP_STREAMING))
    {
      g_set_error (error, TP_CAMERA_ERROR, TP_CAMERA_ERROR_OPEN,
                   _("%s is not a camera that can stream video"), self->source);
      goto failed;
    }
  for (guint i = 0; i < G_N_ELEMENTS (formats) && !found; i++)
    {
      memset (&fmt, 0, sizeof fmt);
      fmt.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
      fmt.fmt.pix.width = 1280;
      fmt.fmt.pix.height = 720;
      fmt.fmt.pix.pixelformat = formats[i];
      fmt.fmt.pix.field = V4L2_FIELD_NONE;
      if (xioctl (self->fd, VIDIOC_S_FMT, &fmt) == 0 && fmt.fmt.pix.pixelformat == formats[i])
        found = TRUE;
    }
  if (!found)
    {
      g_set_error (error, TP_CAMERA_ERROR, TP_CAMERA_ERROR_FORMAT,
                   _("The camera %s offers none of the frame formats Touchpoint reads "
                     "(YUYV, GREY, NV12, YU12, MJPEG)"), self->source);
      goto failed;
    }
  self->pixelformat = fmt.fmt.pix.pixelformat;
  self->width = (int) fmt.fmt.pix.width;
  self->height = (int) fmt.fmt.pix.height;
  self->bytesperline = (int) fmt.fmt.pix.bytesperline;
  if (self->bytesperline == 0)
    self->bytesperline = self->pixelformat == V4L2_PIX_FMT_YUYV ? 2 * self->width : self->width;

  memset (&req, 0, sizeof req);
  req.count = N_BUFFERS;
  req.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
  req.memory = V4L2_MEMORY_MMAP;
  if (xioctl (self->fd, VIDIOC_REQBUFS, &req) < 0 || req.count < 2)
    goto failed_errno;
  for (guint i = 0; i < MIN (req.count, N_BUFFERS); i++)
    {
      struct v4l2_buffer buf = { .type = V4L2_BUF_TYPE_VIDEO_CAPTURE, .memory = V4L2_MEMORY_MMAP, .index = i };

      if (xioctl (self->fd, VIDIOC_QUERYBUF, &buf) < 0)
        goto failed_errno;
      self->buffers[i].length = buf.length;
      self->buffers[i].start = mmap (NULL, buf.length, PROT_READ | PROT_WRITE, MAP_SHARED, self->fd, buf.m.offset);
      if (self->buffers[i].start == MAP_FAILED)
        goto failed_errno;
      self->n_buffers = i + 1;
      if (xioctl (self->fd, VIDIOC_QBUF, &buf) < 0)
        goto failed_errno;
    }
  if (xioctl (self->fd, VIDIOC_STREAMON, &type) < 0)
    goto failed_errno;
  return TRUE;

failed_errno:
  saved = errno;
  g_set_error (error, TP_CAMERA_ERROR, TP_CAMERA_ERROR_FAILED, _("Cannot start the camera %s: %s"),
               self->source, g_strerror (saved));
failed:
  v4l2_close (self);
  return FALSE;
}

static void
v4l2_loop (TpCamera *self)
{
  g_autofree guint8 *grey = g_malloc ((gsize) self->width * self->height);

  while (!g_atomic_int_get (&self->stop))
    {
      struct pollfd pfd = { .fd = self->fd, .events = POLLIN };
      struct v4l2_buffer buf = { .type = V4L2_BUF_TYPE_VIDEO_CAPTURE, .memory = V4L2_MEMORY_MMAP };

      if (poll (&pfd, 1, 200) <= 0)
        continue;
      if (xioctl (self->fd, VIDIOC_DQBUF, &buf) < 0)
        {
          if (errno == EAGAIN)
            continue;
          g_warning ("Camera %s stopped: %s", self->source, g_strerror (errno));
          break;
        }
      if (buf.index < self->n_buffers &&
          grey_from_frame (self, self->buffers[buf.index].start, buf.bytesused, grey))
        process_frame (self, grey, self->width, self->height, self->width);
      xioctl (self->fd, VIDIOC_QBUF, &buf);
    }
}

/* file: a still image, as frames */

static gboolean
still_open (TpCamera  *self,
            GError   **error)
{
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree guint8 *rgba = NULL;
  g_autoptr(GError) local_error = NULL;
  int w, h;

  texture = gdk_texture_new_from_filename (self->source + strlen ("file:"), &local_error);
  if (texture == NULL)
    {
      g_set_error (error, TP_CAMERA_ERROR, TP_CAMERA_ERROR_OPEN, _("Cannot open the camera %s: %s"),
                   self->source, local_error->message);
      return FALSE;
    }
  w = gdk_texture_get_width (texture);
  h = gdk_texture_get_height (texture);
  rgba = g_malloc ((gsize) w * h * 4);
  gdk_texture_download (texture, rgba, (gsize) w * 4);
  self->still = g_malloc ((gsize) w * h);
  for (gsize i = 0; i < (gsize) w * h; i++)
    {
      /* CAIRO_FORMAT_ARGB32 in memory order: B, G, R, A */
      const guint8 *p = rgba + i * 4;

      self->still[i] = (guint8) ((p[2] * 299 + p[1] * 587 + p[0] * 114) / 1000);
    }
  self->width = w;
  self->height = h;
  return TRUE;
}

static void
still_loop (TpCamera *self)
{
  while (!g_atomic_int_get (&self->stop))
    {
      process_frame (self, self->still, self->width, self->height, self->width);
      g_usleep (STILL_FRAME_US);
    }
}

static gpointer
capture_thread (gpointer user_data)
{
  TpCamera *self = user_data;

  if (self->still != NULL)
    still_loop (self);
  else
    v4l2_loop (self);
  return NULL;
}

/* GObject */

static void
tp_camera_dispose (GObject *object)
{
  tp_camera_stop (TP_CAMERA (object));
  G_OBJECT_CLASS (tp_camera_parent_class)->dispose (object);
}

static void
tp_camera_finalize (GObject *object)
{
  TpCamera *self = TP_CAMERA (object);

  g_free (self->source);
  g_free (self->last_text);
  g_free (self->still);
  g_main_context_unref (self->context);
  G_OBJECT_CLASS (tp_camera_parent_class)->finalize (object);
}

static void
tp_camera_class_init (TpCameraClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tp_camera_dispose;
  object_class->finalize = tp_camera_finalize;

  /**
   * TpCamera::barcode:
   * @text: what the barcode holds
   * @format: "PDF417", "Aztec", "QR Code"...
   */
  signals[BARCODE] = g_signal_new ("barcode", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
  /**
   * TpCamera::preview:
   * @texture: (type GdkTexture): the frame, in grey
   */
  signals[PREVIEW] = g_signal_new ("preview", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 1, GDK_TYPE_TEXTURE);
}

static void
tp_camera_init (TpCamera *self)
{
  self->fd = -1;
  self->context = g_main_context_ref_thread_default ();
}

TpCamera *
tp_camera_new (const char *source)
{
  TpCamera *self;

  g_return_val_if_fail (source != NULL, NULL);

  self = g_object_new (TP_TYPE_CAMERA, NULL);
  self->source = g_strdup (source);
  return self;
}

const char *
tp_camera_get_source (TpCamera *self)
{
  g_return_val_if_fail (TP_IS_CAMERA (self), NULL);

  return self->source;
}

gboolean
tp_camera_start (TpCamera  *self,
                 GError   **error)
{
  g_return_val_if_fail (TP_IS_CAMERA (self), FALSE);

  if (self->thread != NULL)
    return TRUE;
  if (g_str_has_prefix (self->source, "file:"))
    {
      if (self->still == NULL && !still_open (self, error))
        return FALSE;
    }
  else if (!v4l2_open (self, error))
    return FALSE;
  g_atomic_int_set (&self->stop, 0);
  self->thread = g_thread_new ("tp-camera", capture_thread, self);
  return TRUE;
}

void
tp_camera_stop (TpCamera *self)
{
  g_return_if_fail (TP_IS_CAMERA (self));

  if (self->thread == NULL)
    return;
  g_atomic_int_set (&self->stop, 1);
  g_thread_join (self->thread);
  self->thread = NULL;
  self->generation++;
  v4l2_close (self);
}

gboolean
tp_camera_is_running (TpCamera *self)
{
  g_return_val_if_fail (TP_IS_CAMERA (self), FALSE);

  return self->thread != NULL;
}

guint
tp_camera_get_frames (TpCamera *self)
{
  g_return_val_if_fail (TP_IS_CAMERA (self), 0);

  return (guint) g_atomic_int_get ((gint *) &self->frames);
}
