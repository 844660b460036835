/* tp-ui-test.c: helpers for the widget tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>

#include "tp-ui-test.h"

void
tp_ui_test_init (int    *argc,
                 char ***argv)
{
  const char *localedir = g_getenv ("TOUCHPOINT_LOCALEDIR");

  g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

  gtk_test_init (argc, argv, NULL);
  adw_init ();
  /* what the application gets from its resource base path */
  gtk_icon_theme_add_resource_path (gtk_icon_theme_get_for_display (gdk_display_get_default ()),
                                    "/org/touchpoint/Touchpoint/icons");
  gtk_css_provider_load_from_resource (css, "/org/touchpoint/Touchpoint/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  /* screenshots of finished states, not of transitions */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}

static void
after_paint_cb (GdkFrameClock *clock,
                gboolean      *drawn)
{
  *drawn = TRUE;
}

void
tp_ui_test_wait_for_draw (GtkWidget *widget)
{
  gboolean drawn = FALSE;
  GdkFrameClock *clock;
  gulong id;

  while (!gtk_widget_get_mapped (widget))
    g_main_context_iteration (NULL, TRUE);
  clock = gtk_widget_get_frame_clock (widget);
  g_assert_nonnull (clock);
  id = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &drawn);
  gtk_widget_queue_draw (widget);
  tp_ui_test_wait_for (&drawn);
  g_signal_handler_disconnect (clock, id);
}

static gboolean
timeout_cb (gpointer user_data)
{
  gboolean *expired = user_data;

  *expired = TRUE;
  return G_SOURCE_REMOVE;
}

void
tp_ui_test_wait_for (const gboolean *flag)
{
  gboolean expired = FALSE;
  guint id = g_timeout_add_seconds (20, timeout_cb, &expired);

  while (!*flag && !expired)
    g_main_context_iteration (NULL, TRUE);
  if (!expired)
    g_source_remove (id);
  g_assert_true (*flag);
}

void
tp_ui_test_spin (guint ms)
{
  gboolean expired = FALSE;

  g_timeout_add (ms, timeout_cb, &expired);
  while (!expired)
    g_main_context_iteration (NULL, TRUE);
}

GtkWindow *
tp_ui_test_window_new (GtkWidget *child,
                       int        width,
                       int        height)
{
  GtkWindow *window = GTK_WINDOW (adw_window_new ());

  gtk_window_set_default_size (window, width, height);
  adw_window_set_content (ADW_WINDOW (window), child);
  gtk_window_present (window);
  tp_ui_test_wait_for_draw (GTK_WIDGET (window));
  return window;
}

char *
tp_ui_test_screenshot (GtkWidget  *widget,
                       const char *name)
{
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *file = g_strconcat (name, ".png", NULL);
  char *path;
  int width, height;
  GskRenderer *renderer;

  if (g_getenv ("TP_SCREENSHOT_DIR") != NULL)
    dir = g_strdup (g_getenv ("TP_SCREENSHOT_DIR"));
  else
    dir = g_test_build_filename (G_TEST_BUILT, "screenshots", NULL);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  path = g_build_filename (dir, file, NULL);

  tp_ui_test_wait_for_draw (widget);
  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  /* what the widget draws, through its parent as GTK itself does; a
   * window is drawn through its children */
  if (gtk_widget_get_parent (widget) != NULL)
    {
      graphene_point_t origin;

      g_assert_true (gtk_widget_compute_point (widget, gtk_widget_get_parent (widget),
                                               &GRAPHENE_POINT_INIT (0, 0), &origin));
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (-origin.x, -origin.y));
      gtk_widget_snapshot_child (gtk_widget_get_parent (widget), widget, snapshot);
    }
  else
    {
      for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
           child = gtk_widget_get_next_sibling (child))
        gtk_widget_snapshot_child (widget, child, snapshot);
    }
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
  return path;
}

static const char *
widget_label (GtkWidget *widget)
{
  if (GTK_IS_BUTTON (widget))
    return gtk_button_get_label (GTK_BUTTON (widget));
  if (GTK_IS_LABEL (widget))
    return gtk_label_get_label (GTK_LABEL (widget));
  if (ADW_IS_PREFERENCES_ROW (widget))
    return adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget));
  return NULL;
}

GtkWidget *
tp_ui_test_find_labelled (GtkWidget  *root,
                          GType       type,
                          const char *label)
{
  if (g_type_is_a (G_OBJECT_TYPE (root), type) && g_strcmp0 (widget_label (root), label) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = tp_ui_test_find_labelled (child, type, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

guint
tp_ui_test_count (GtkWidget *root,
                  GType      type)
{
  guint n = g_type_is_a (G_OBJECT_TYPE (root), type) ? 1 : 0;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += tp_ui_test_count (child, type);
  return n;
}

char *
tp_ui_test_make_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("tp-ui-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

void
tp_ui_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        tp_ui_test_remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}
