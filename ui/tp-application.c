/* tp-application.c: settings, the store, one window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "tp-accounts.h"
#include "tp-application.h"
#include "tp-entry.h"
#include "tp-key-source.h"
#include "tp-store.h"
#include "tp-window.h"

#define DEMO_LIST_RESOURCE "/org/touchpoint/Touchpoint/demo/list.jsonl"

struct _TpApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
  TpTerminal     *terminal;
  TpSession      *session;
  TpWindow       *window;
  GCancellable   *cancellable;

  gboolean        demo;
  gboolean        kiosk;
  char           *store_path;
  char           *key_path;
  char           *airport;
  char           *demo_dir;
};

G_DEFINE_FINAL_TYPE (TpApplication, tp_application, ADW_TYPE_APPLICATION)

/* What the store-opening thread hands back. */
typedef struct {
  char       *store_path;
  char       *key_path;
  char       *demo_dir;
  gboolean    demo;
  TpStore    *store;
  TpAccounts *accounts;
  gint64      seq;
  guint64     entries;
  gint64      current_at;
  gboolean    stale;
} OpenStore;

static void
open_store_free (OpenStore *o)
{
  g_free (o->store_path);
  g_free (o->key_path);
  g_free (o->demo_dir);
  g_clear_object (&o->accounts);
  g_clear_object (&o->store);
  g_free (o);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

void
tp_application_init_i18n (void)
{
  const char *localedir = g_getenv ("TOUCHPOINT_LOCALEDIR");

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}

static gboolean
import_demo_list (TpStore  *store,
                  GError  **error)
{
  g_autoptr(GBytes) list = NULL;
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) tp_entry_free);
  g_auto(GStrv) lines = NULL;
  TpStoreBatchResult result = { 0, };
  gboolean ok;

  list = g_resources_lookup_data (DEMO_LIST_RESOURCE, G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (list == NULL)
    return FALSE;
  lines = g_strsplit (g_bytes_get_data (list, NULL), "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      TpEntry *entry;

      if (lines[i][0] == '\0')
        continue;
      entry = tp_entry_from_json (lines[i], -1, error);
      if (entry == NULL)
        {
          g_prefix_error (error, "demo list, line %u: ", i + 1);
          return FALSE;
        }
      g_ptr_array_add (entries, entry);
    }
  ok = tp_store_apply_batch (store, entries, &result, error);
  tp_store_batch_result_clear (&result);
  return ok;
}

/* Runs in a worker thread: opens (or, in demo mode, makes) the store. */
static void
open_store_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  OpenStore *o = task_data;
  g_autoptr(TpKeySource) key = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  TpFeedPosition position = { 0, };
  TpStoreCounts counts;

  if (o->demo)
    {
      o->demo_dir = g_dir_make_tmp ("touchpoint-demo-XXXXXX", &error);
      if (o->demo_dir == NULL)
        goto failed;
      o->store_path = g_build_filename (o->demo_dir, "terminal.db", NULL);
      o->key_path = g_build_filename (o->demo_dir, "terminal.key", NULL);
    }
  dir = g_path_get_dirname (o->store_path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (&error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Cannot make the folder %s for the store: %s"), dir, g_strerror (saved));
      goto failed;
    }
  key = tp_key_file_new (o->key_path);
  o->store = tp_store_open (o->store_path, key, TP_STORE_OPEN_CREATE, &error);
  if (o->store == NULL)
    goto failed;
  o->accounts = tp_accounts_new (o->store, &error);
  if (o->accounts == NULL)
    goto failed;
  if (o->demo && (!import_demo_list (o->store, &error) || !tp_accounts_add_demo (o->accounts, &error)))
    goto failed;

  if (!tp_store_get_feed_position (o->store, &position, &error) ||
      !tp_store_get_counts (o->store, NULL, &counts, &error))
    goto failed;
  o->seq = position.sequence;
  o->current_at = position.updated_at;
  o->stale = position.sequence > 0 && position.head_expires_at > 0 &&
             position.head_expires_at < g_get_real_time () / G_USEC_PER_SEC;
  o->entries = counts.effective;
  tp_feed_position_clear (&position);
  g_task_return_boolean (task, TRUE);
  return;

failed:
  g_task_return_error (task, g_steal_pointer (&error));
}

static void
store_opened_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  TpApplication *self = TP_APPLICATION (object);
  OpenStore *o = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_autofree char *text = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_warning ("Cannot open the store %s: %s", o->store_path ? o->store_path : "", error->message);
      tp_terminal_set_list_loading (self->terminal, FALSE);
      if (self->window != NULL)
        {
          text = g_strdup_printf (_("Cannot open the store: %s"), error->message);
          tp_window_show_toast (self->window, text);
        }
      return;
    }
  self->demo_dir = g_steal_pointer (&o->demo_dir);
  tp_terminal_set_store (self->terminal, o->store, o->accounts);
  tp_terminal_set_list (self->terminal, o->seq, o->entries, o->current_at, o->stale);
  tp_terminal_set_list_loading (self->terminal, FALSE);
  if (self->window != NULL)
    tp_login_page_set_accounts (tp_window_get_login_page (self->window), o->accounts);
}

static void
open_store (TpApplication *self)
{
  g_autoptr(GTask) task = g_task_new (self, self->cancellable, store_opened_cb, NULL);
  OpenStore *o = g_new0 (OpenStore, 1);

  o->demo = self->demo;
  o->store_path = g_strdup (self->store_path);
  o->key_path = g_strdup (self->key_path);
  g_task_set_task_data (task, o, (GDestroyNotify) open_store_free);
  tp_terminal_set_list_loading (self->terminal, TRUE);
  g_task_run_in_thread (task, open_store_thread);
}

static char *
settings_string (TpApplication *self,
                 const char    *key)
{
  return self->settings != NULL ? g_settings_get_string (self->settings, key) : g_strdup ("");
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  TpApplication *self = user_data;
  const char *developers[] = { "Touchpoint developers", NULL };

  adw_show_about_window (self->window != NULL ? GTK_WINDOW (self->window) : NULL,
                         "application-name", _("Touchpoint"),
                         "application-icon", APP_ID,
                         "version", PACKAGE_VERSION,
                         "comments", _("The single touch point of an airport checkpoint: "
                                       "one traveller, one case, both agencies."),
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "developers", developers,
                         NULL);
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  TpApplication *self = user_data;

  if (self->window != NULL)
    gtk_window_destroy (GTK_WINDOW (self->window));
}

static const GActionEntry app_actions[] = {
  { "about", about_action, NULL, NULL, NULL, { 0, } },
  { "quit", quit_action, NULL, NULL, NULL, { 0, } },
};

/* Reads a PIN from standard input, without echo on a terminal. */
static char *
read_pin (const char *prompt)
{
  struct termios saved, quiet;
  gboolean tty = isatty (STDIN_FILENO);
  char buf[64];
  char *pin = NULL;

  if (tty)
    {
      fprintf (stderr, "%s", prompt);
      tcgetattr (STDIN_FILENO, &saved);
      quiet = saved;
      quiet.c_lflag &= ~(tcflag_t) ECHO;
      tcsetattr (STDIN_FILENO, TCSANOW, &quiet);
    }
  if (fgets (buf, sizeof buf, stdin) != NULL)
    pin = g_strdup (g_strchomp (buf));
  memset (buf, 0, sizeof buf);
  if (tty)
    {
      tcsetattr (STDIN_FILENO, TCSANOW, &saved);
      fprintf (stderr, "\n");
    }
  return pin;
}

static int
add_officer (TpApplication *self,
             const char    *id,
             const char    *role_name,
             const char    *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpKeySource) key = tp_key_file_new (self->key_path);
  g_autoptr(TpStore) store = NULL;
  g_autoptr(TpAccounts) accounts = NULL;
  g_autofree char *pin = NULL;
  g_autofree char *again = NULL;
  g_autofree char *dir = g_path_get_dirname (self->store_path);
  TpRoles role;

  if (role_name == NULL || !tp_role_from_string (role_name, &role))
    {
      g_printerr ("touchpoint: --role must be immigration, customs or supervisor\n");
      return 2;
    }
  g_mkdir_with_parents (dir, 0700);
  store = tp_store_open (self->store_path, key, TP_STORE_OPEN_CREATE, &error);
  if (store == NULL || (accounts = tp_accounts_new (store, &error)) == NULL)
    goto failed;
  pin = read_pin ("PIN: ");
  if (isatty (STDIN_FILENO))
    {
      again = read_pin ("PIN again: ");
      if (g_strcmp0 (pin, again) != 0)
        {
          g_printerr ("touchpoint: the two PINs differ; nothing changed\n");
          return 1;
        }
    }
  if (!tp_accounts_add (accounts, id, role, name, pin, "admin", &error))
    goto failed;
  g_print ("Officer %s (%s) added to %s\n", id, tp_role_to_string (role), self->store_path);
  return 0;

failed:
  g_printerr ("touchpoint: %s\n", error->message);
  return 1;
}

static int
tp_application_handle_local_options (GApplication *app,
                                     GVariantDict *options)
{
  TpApplication *self = TP_APPLICATION (app);
  const char *add = NULL, *role = NULL, *name = NULL;
  const char *store = NULL, *key = NULL, *airport = NULL;

  g_variant_dict_lookup (options, "demo", "b", &self->demo);
  g_variant_dict_lookup (options, "kiosk", "b", &self->kiosk);
  g_variant_dict_lookup (options, "store", "^&ay", &store);
  g_variant_dict_lookup (options, "key-file", "^&ay", &key);
  g_variant_dict_lookup (options, "airport", "&s", &airport);
  g_variant_dict_lookup (options, "add-officer", "&s", &add);
  g_variant_dict_lookup (options, "role", "&s", &role);
  g_variant_dict_lookup (options, "name", "&s", &name);

  if (self->settings != NULL && g_settings_get_boolean (self->settings, "kiosk-mode"))
    self->kiosk = TRUE;
  if (airport != NULL)
    self->airport = g_ascii_strup (airport, -1);
  else
    {
      self->airport = settings_string (self, "airport");
      if (self->airport[0] == '\0')
        {
          g_free (self->airport);
          self->airport = g_strdup ("HAN");
        }
    }

  /* store and key file: option, else setting, else the user data folder */
  self->store_path = store != NULL ? g_strdup (store) : settings_string (self, "store-path");
  if (self->store_path[0] == '\0')
    {
      g_free (self->store_path);
      self->store_path = g_build_filename (g_get_user_data_dir (), "touchpoint", "terminal.db", NULL);
    }
  self->key_path = key != NULL ? g_strdup (key) : settings_string (self, "key-file");
  if (self->key_path[0] == '\0')
    {
      g_autofree char *dir = g_path_get_dirname (self->store_path);

      g_free (self->key_path);
      self->key_path = g_build_filename (dir, "terminal.key", NULL);
    }

  if (add != NULL)
    return add_officer (self, add, role, name);
  return -1;
}

static gboolean
minutes_to_seconds (GValue   *value,
                    GVariant *variant,
                    gpointer  user_data)
{
  g_value_set_uint (value, g_variant_get_uint32 (variant) * 60);
  return TRUE;
}

static void
tp_application_startup (GApplication *app)
{
  TpApplication *self = TP_APPLICATION (app);
  const char *quit_accels[] = { "<Control>q", NULL };

  G_APPLICATION_CLASS (tp_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions), self);
  if (!self->kiosk)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  if (self->settings != NULL)
    {
      g_settings_bind_with_mapping (self->settings, "idle-lock-minutes", self->session, "idle-timeout",
                                    G_SETTINGS_BIND_GET | G_SETTINGS_BIND_NO_SENSITIVITY,
                                    minutes_to_seconds, NULL, NULL, NULL);
    }
}

static void
tp_application_activate (GApplication *app)
{
  TpApplication *self = TP_APPLICATION (app);
  g_autofree char *terminal_id = settings_string (self, "terminal-id");

  if (self->window != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->window));
      return;
    }
  self->window = tp_window_new (GTK_APPLICATION (self), self->terminal, self->session);
  g_object_add_weak_pointer (G_OBJECT (self->window), (gpointer *) &self->window);
  tp_window_set_place (self->window, self->airport, self->demo && terminal_id[0] == '\0' ? "DEMO-01" : terminal_id);
  if (self->demo)
    tp_window_set_login_hint (self->window,
                              _("Demo accounts: IMM-01 / PIN 1111 (immigration), CUS-01 / PIN 2222 "
                                "(customs), SUP-01 / PIN 3333 (supervisor)"));
  tp_window_set_kiosk (self->window, self->kiosk);
  {
    g_autofree char *camera = settings_string (self, "camera");

    tp_window_set_camera (self->window, camera);
  }
  gtk_window_present (GTK_WINDOW (self->window));
  open_store (self);
}

static void
tp_application_shutdown (GApplication *app)
{
  TpApplication *self = TP_APPLICATION (app);

  g_cancellable_cancel (self->cancellable);
  G_APPLICATION_CLASS (tp_application_parent_class)->shutdown (app);
  /* the demo's throw-away store goes with the demo */
  tp_terminal_set_store (self->terminal, NULL, NULL);
  if (self->demo_dir != NULL)
    remove_tree (self->demo_dir);
}

static void
tp_application_finalize (GObject *object)
{
  TpApplication *self = TP_APPLICATION (object);

  g_clear_object (&self->settings);
  g_clear_object (&self->terminal);
  g_clear_object (&self->session);
  g_clear_object (&self->cancellable);
  g_free (self->store_path);
  g_free (self->key_path);
  g_free (self->airport);
  g_free (self->demo_dir);
  G_OBJECT_CLASS (tp_application_parent_class)->finalize (object);
}

static void
tp_application_class_init (TpApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = tp_application_finalize;
  app_class->handle_local_options = tp_application_handle_local_options;
  app_class->startup = tp_application_startup;
  app_class->activate = tp_application_activate;
  app_class->shutdown = tp_application_shutdown;
}

static void
tp_application_init (TpApplication *self)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;
  const GOptionEntry options[] = {
    { "demo", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Demo mode: demo list, demo accounts, simulated devices"), NULL },
    { "kiosk", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Fullscreen, without window controls"), NULL },
    { "store", 0, 0, G_OPTION_ARG_FILENAME, NULL, N_("The terminal's store"), N_("PATH") },
    { "key-file", 0, 0, G_OPTION_ARG_FILENAME, NULL, N_("The store's key file"), N_("PATH") },
    { "airport", 0, 0, G_OPTION_ARG_STRING, NULL, N_("This checkpoint's airport (IATA code)"), N_("CODE") },
    { "add-officer", 0, 0, G_OPTION_ARG_STRING, NULL, N_("Add an officer account (PIN on standard input) and exit"),
      N_("ID") },
    { "role", 0, 0, G_OPTION_ARG_STRING, NULL, N_("The new officer's role: immigration, customs or supervisor"),
      N_("ROLE") },
    { "name", 0, 0, G_OPTION_ARG_STRING, NULL, N_("The new officer's name"), N_("NAME") },
    { NULL }
  };

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema != NULL)
    self->settings = g_settings_new (APP_ID);
  else
    g_warning ("The settings schema %s is not installed: using the defaults "
               "(run from the build directory through tools/demo, or set GSETTINGS_SCHEMA_DIR)", APP_ID);
  self->terminal = tp_terminal_new ();
  self->session = tp_session_new ();
  self->cancellable = g_cancellable_new ();
  g_application_add_main_option_entries (G_APPLICATION (self), options);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("The single touch point of an airport checkpoint."));
}

TpApplication *
tp_application_new (void)
{
  return g_object_new (TP_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_NON_UNIQUE,
                       "resource-base-path", "/org/touchpoint/Touchpoint",
                       NULL);
}

TpTerminal *
tp_application_get_terminal (TpApplication *self)
{
  g_return_val_if_fail (TP_IS_APPLICATION (self), NULL);
  return self->terminal;
}

TpSession *
tp_application_get_session (TpApplication *self)
{
  g_return_val_if_fail (TP_IS_APPLICATION (self), NULL);
  return self->session;
}

gboolean
tp_application_get_demo (TpApplication *self)
{
  g_return_val_if_fail (TP_IS_APPLICATION (self), FALSE);
  return self->demo;
}

GtkWindow *
tp_application_get_window (TpApplication *self)
{
  g_return_val_if_fail (TP_IS_APPLICATION (self), NULL);
  return self->window != NULL ? GTK_WINDOW (self->window) : NULL;
}
