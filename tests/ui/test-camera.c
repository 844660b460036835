/* test-camera.c: boarding passes read through the camera path
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The frames come from a still image ("file:" source): the same worker,
 * decoders and delivery to the main context as a V4L2 camera's.
 */
#include "config.h"

#include <stdlib.h>

#include "tp-camera-page.h"
#include "tp-camera.h"
#include "tp-ui-test.h"
#include "tp-zxing-shim.h"

#define PASS "M1NGUYEN/VAN AN       EDEMO01 HANNRTVN 0310 340Y012A0042 100"

typedef struct {
  char *dir;
  char *source;
  char *text;
  char *format;
  guint previews;
  gboolean got;
} Fixture;

/* A photo of a boarding pass: the code on a grey background, as RGB. */
static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  unsigned char *code = NULL;
  int cw, ch, w, h;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  guint8 *rgb;

  f->dir = tp_ui_test_make_dir ();
  g_assert_cmpint (tp_zxing_encode (GPOINTER_TO_UINT (data), PASS, 500, 200, &code, &cw, &ch), ==, 0);
  w = cw + 200;
  h = ch + 160;
  rgb = g_malloc ((gsize) w * h * 3);
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      {
        guint8 v = 200;

        if (x >= 100 && x < 100 + cw && y >= 80 && y < 80 + ch)
          v = code[(gsize) (y - 80) * cw + (x - 100)];
        rgb[((gsize) y * w + x) * 3] = v;
        rgb[((gsize) y * w + x) * 3 + 1] = v;
        rgb[((gsize) y * w + x) * 3 + 2] = v;
      }
  free (code);
  bytes = g_bytes_new_take (rgb, (gsize) w * h * 3);
  texture = gdk_memory_texture_new (w, h, GDK_MEMORY_R8G8B8, bytes, (gsize) w * 3);
  path = g_build_filename (f->dir, "pass.png", NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  f->source = g_strconcat ("file:", path, NULL);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  tp_ui_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->source);
  g_free (f->text);
  g_free (f->format);
}

static void
barcode_cb (TpCamera   *camera,
            const char *text,
            const char *format,
            Fixture    *f)
{
  g_assert_true (g_main_context_is_owner (g_main_context_default ()));
  g_assert_null (f->text);
  f->text = g_strdup (text);
  f->format = g_strdup (format);
  f->got = TRUE;
}

static void
preview_cb (TpCamera   *camera,
            GdkTexture *texture,
            Fixture    *f)
{
  g_assert_true (GDK_IS_TEXTURE (texture));
  f->previews++;
}

static void
test_still (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(TpCamera) camera = tp_camera_new (f->source);
  g_autoptr(GError) error = NULL;

  g_signal_connect (camera, "barcode", G_CALLBACK (barcode_cb), f);
  g_signal_connect (camera, "preview", G_CALLBACK (preview_cb), f);
  g_assert_true (tp_camera_start (camera, &error));
  g_assert_no_error (error);
  tp_ui_test_wait_for (&f->got);
  g_assert_cmpstr (f->text, ==, PASS);
  g_assert_cmpstr (f->format, ==, GPOINTER_TO_UINT (data) == TP_ZXING_PDF417 ? "PDF417" : "Aztec");
  /* the same pass in front of the camera is read once (barcode_cb asserts it) */
  tp_ui_test_spin (600);
  g_assert_cmpuint (tp_camera_get_frames (camera), >=, 3);
  g_assert_cmpuint (f->previews, >=, 1);
  tp_camera_stop (camera);
  g_assert_false (tp_camera_is_running (camera));
  g_signal_handlers_disconnect_by_data (camera, f);
}

static void
test_no_camera (void)
{
  g_autoptr(TpCamera) device = tp_camera_new ("/dev/touchpoint-no-such-camera");
  g_autoptr(TpCamera) file = tp_camera_new ("file:/nonexistent/pass.png");
  g_autoptr(GError) error = NULL;

  g_assert_false (tp_camera_start (device, &error));
  g_assert_error (error, TP_CAMERA_ERROR, TP_CAMERA_ERROR_OPEN);
  g_clear_error (&error);
  g_assert_false (tp_camera_start (file, &error));
  g_assert_error (error, TP_CAMERA_ERROR, TP_CAMERA_ERROR_OPEN);
}

static void
page_pass_cb (TpCameraPage *page,
              const char   *text,
              Fixture      *f)
{
  g_free (f->text);
  f->text = g_strdup (text);
  f->got = TRUE;
}

static void
test_page (Fixture       *f,
           gconstpointer  data)
{
  GtkWidget *page = tp_camera_page_new ();
  GtkWindow *window;
  g_autofree char *shot = NULL;

  g_signal_connect (page, "boarding-pass", G_CALLBACK (page_pass_cb), f);
  window = tp_ui_test_window_new (page, 1000, 700);
  g_assert_cmpstr (tp_camera_page_get_status (TP_CAMERA_PAGE (page)), ==, "No camera is set up");
  tp_camera_page_set_source (TP_CAMERA_PAGE (page), f->source);
  /* on screen: the camera runs */
  g_assert_true (tp_camera_page_get_running (TP_CAMERA_PAGE (page)));
  tp_ui_test_wait_for (&f->got);
  g_assert_cmpstr (f->text, ==, PASS);
  g_assert_cmpstr (tp_camera_page_get_status (TP_CAMERA_PAGE (page)), ==, "Read a PDF417 barcode");
  tp_ui_test_spin (400);
  shot = tp_ui_test_screenshot (page, "camera");
  /* off screen: it stops */
  gtk_widget_set_visible (page, FALSE);
  g_assert_false (tp_camera_page_get_running (TP_CAMERA_PAGE (page)));
  gtk_window_destroy (window);
}

int
main (int    argc,
      char **argv)
{
  tp_ui_test_init (&argc, &argv);

  g_test_add ("/camera/pdf417", Fixture, GUINT_TO_POINTER (TP_ZXING_PDF417), fixture_setup, test_still,
              fixture_teardown);
  g_test_add ("/camera/aztec", Fixture, GUINT_TO_POINTER (TP_ZXING_AZTEC), fixture_setup, test_still,
              fixture_teardown);
  g_test_add_func ("/camera/no-camera", test_no_camera);
  g_test_add ("/camera/page", Fixture, GUINT_TO_POINTER (TP_ZXING_PDF417), fixture_setup, test_page,
              fixture_teardown);

  return g_test_run ();
}
