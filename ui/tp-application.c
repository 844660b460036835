/* tp-application.c: settings, the store, one window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <glib-unix.h>
#include <signal.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "tp-accounts.h"
#include "tp-application.h"
#include "tp-checkpoint.h"
#include "tp-counter.h"
#include "tp-demo-mode.h"
#include "tp-key-source.h"
#include "tp-reader.h"
#include "tp-store.h"
#include "tp-sync-client.h"
#include "tp-sync-link.h"
#include "tp-trust-store.h"
#include "tp-window.h"

struct _TpApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
  TpTerminal     *terminal;
  TpSession      *session;
  TpWindow       *window;
  GCancellable   *cancellable;
  TpDemoMode     *demo_mode;
  TpCheckpoint   *checkpoint;
  TpCounter      *counter;
  TpReader       *reader;
  TpTrustStore   *trust;
  TpSyncLink     *sync_link;

  gboolean        demo;
  gboolean        kiosk;
  char           *store_path;
  char           *key_path;
  char           *enrollment_dir;  /* NULL or empty: not enrolled */
  char           *airport;
  char           *checkpoint_id;
  char           *terminal_id;
};

G_DEFINE_FINAL_TYPE (TpApplication, tp_application, ADW_TYPE_APPLICATION)

/* TOUCHPOINT_TIMING=1: milestones of the start on standard error, in ms
 * since the application object was made (tests/bench/bench-ui-startup). */
static gint64 timing_start;
static guint timing_ready;   /* bit 0: window drawn, bit 1: store open */

static void
timing (const char *milestone)
{
  if (timing_start <= 0)
    return;
  g_printerr ("timing: %s %.1f\n", milestone, (g_get_monotonic_time () - timing_start) / 1000.0);
  timing_ready |= g_str_equal (milestone, "window-drawn") ? 1 : g_str_equal (milestone, "store-open") ? 2 : 0;
  /* usable: the sign-in page drawn and able to check a PIN */
  if (timing_ready == 3)
    {
      timing_ready = 4;
      g_printerr ("timing: usable %.1f\n", (g_get_monotonic_time () - timing_start) / 1000.0);
    }
}

static void
first_frame_cb (GdkFrameClock *clock,
                gpointer       user_data)
{
  timing ("window-drawn");
  g_signal_handlers_disconnect_by_func (clock, first_frame_cb, user_data);
}

static void
window_mapped_cb (GtkWidget *window)
{
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint", G_CALLBACK (first_frame_cb), NULL);
}

/* What the store-opening thread hands back. */
typedef struct {
  char         *store_path;
  char         *key_path;
  char         *trust_path;
  TpStore      *store;
  TpAccounts   *accounts;
  TpTrustStore *trust;
  char         *enrollment_dir;
  TpEnrollment *enrollment;
  GError       *enrollment_error;
  gint64        seq;
  guint64       entries;
  gint64        current_at;
  gboolean      stale;
} OpenStore;

static void
open_store_free (OpenStore *o)
{
  g_free (o->store_path);
  g_free (o->key_path);
  g_free (o->trust_path);
  g_free (o->enrollment_dir);
  g_clear_pointer (&o->enrollment, tp_enrollment_free);
  g_clear_error (&o->enrollment_error);
  g_clear_object (&o->accounts);
  g_clear_object (&o->store);
  g_clear_pointer (&o->trust, tp_trust_store_free);
  g_free (o);
}

static char *
settings_string (TpApplication *self,
                 const char    *key)
{
  return self->settings != NULL ? g_settings_get_string (self->settings, key) : g_strdup ("");
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

/* Runs in a worker thread: opens the store (made when there is none), its
 * accounts and the CSCA trust store. */
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
  o->trust = tp_trust_store_new (TP_TRUST_STORE_FLAGS_NONE);
  if (o->trust_path != NULL && o->trust_path[0] != '\0' && !tp_trust_store_add_path (o->trust, o->trust_path, &error))
    goto failed;

  /* the enrollment bundle: without it the terminal works on its list */
  if (o->enrollment_dir != NULL && o->enrollment_dir[0] != '\0')
    o->enrollment = tp_enrollment_load (o->enrollment_dir, &o->enrollment_error);

  /* only what is quick: the counts come with the list's load */
  if (!tp_store_get_feed_position (o->store, &position, &error))
    goto failed;
  o->seq = position.sequence;
  o->current_at = position.updated_at;
  o->stale = position.sequence > 0 && position.head_expires_at > 0 &&
             position.head_expires_at < g_get_real_time () / G_USEC_PER_SEC;
  tp_feed_position_clear (&position);
  g_task_return_boolean (task, TRUE);
  return;

failed:
  g_task_return_error (task, g_steal_pointer (&error));
}

static void
matcher_in_place_cb (TpApplication *self)
{
  timing ("list-loaded");
  g_signal_handlers_disconnect_by_func (self->checkpoint, matcher_in_place_cb, self);
}

/* Escalations pushed by the hub (from any terminal of the airport). */
static void
escalation_cb (TpApplication *self,
               JsonNode      *event)
{
  if (self->window != NULL)
    tp_window_add_escalation (self->window, event);
}

/* The sync client for the enrollment bundle, or NULL (with the reason in
 * the status bar). */
static TpSyncClient *
make_sync_client (TpApplication *self,
                  OpenStore     *o)
{
  g_autoptr(TpKeySource) key = NULL;
  g_autoptr(TpSyncClient) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *hub_url = NULL;
  g_autofree char *feed_url = NULL;

  if (o->enrollment_error != NULL)
    {
      g_warning ("Cannot read the enrollment bundle %s: %s", o->enrollment_dir, o->enrollment_error->message);
      tp_terminal_set_sync (self->terminal, TP_TERMINAL_SYNC_ERROR, o->enrollment_error->message);
      return NULL;
    }
  if (o->enrollment == NULL)
    return NULL;
  /* the hub-url setting overrides the bundle's (a hub moved) */
  hub_url = self->demo ? g_strdup ("") : settings_string (self, "hub-url");
  if (hub_url[0] != '\0')
    {
      g_autofree char *base = g_str_has_suffix (hub_url, "/") ? g_strdup (hub_url) : g_strconcat (hub_url, "/", NULL);

      g_free (o->enrollment->hub_url);
      o->enrollment->hub_url = g_strdup (base);
      g_free (o->enrollment->feed_url);
      o->enrollment->feed_url = g_strconcat (base, "v1/feed/", NULL);
      g_free (o->enrollment->push_url);
      o->enrollment->push_url = g_str_has_prefix (base, "https://")
                                ? g_strconcat ("wss://", base + strlen ("https://"), "v1/push", NULL)
                                : g_strconcat ("ws://", base + strlen ("http://"), "v1/push", NULL);
    }
  key = tp_key_file_new (self->key_path);
  client = tp_sync_client_new (self->store_path, key, o->enrollment, &error);
  feed_url = self->demo ? g_strdup ("") : settings_string (self, "feed-url");
  if (client != NULL && feed_url[0] != '\0' && !tp_sync_client_set_feed_url (client, feed_url, &error))
    g_clear_object (&client);
  if (client == NULL)
    {
      g_warning ("Cannot follow the hub: %s", error->message);
      tp_terminal_set_sync (self->terminal, TP_TERMINAL_SYNC_ERROR, error->message);
      return NULL;
    }
  return g_steal_pointer (&client);
}

/* The stale-list policy applied to the counter's verdicts. */
static void
list_stale_cb (TpApplication *self)
{
  if (self->counter != NULL)
    tp_counter_set_list_stale (self->counter, tp_terminal_get_list_stale (self->terminal),
                               (TpStalePolicy) tp_terminal_get_stale_policy (self->terminal));
}

static void
stale_policy_changed_cb (TpApplication *self)
{
  tp_terminal_set_stale_policy (self->terminal, g_settings_get_enum (self->settings, "stale-list-policy"));
}

static void
reader_busy_cb (TpApplication *self)
{
  TpReader *reader = self->reader;

  if (reader == NULL)
    return;
  tp_terminal_set_reader (self->terminal, tp_reader_get_connstring (reader),
                          tp_counter_get_reading (self->counter) ? TP_DEVICE_BUSY : TP_DEVICE_READY, NULL);
}

static void
reader_error_cb (TpApplication *self,
                 GError        *error,
                 TpReader      *reader)
{
  tp_terminal_set_reader (self->terminal, tp_reader_get_connstring (reader), TP_DEVICE_FAILED, error->message);
}

void
tp_application_set_reader (TpApplication *self,
                           TpReader      *reader,
                           TpTrustStore  *trust)
{
  g_return_if_fail (TP_IS_APPLICATION (self));

  if (self->reader != NULL)
    g_signal_handlers_disconnect_by_data (self->reader, self);
  g_set_object (&self->reader, reader);
  if (self->counter != NULL)
    tp_counter_set_reader (self->counter, reader, trust != NULL ? trust : self->trust);
  if (reader != NULL)
    {
      g_signal_connect_object (reader, "reader-error", G_CALLBACK (reader_error_cb), self, G_CONNECT_SWAPPED);
      tp_terminal_set_reader (self->terminal, tp_reader_get_connstring (reader), TP_DEVICE_READY, NULL);
    }
  else
    tp_terminal_set_reader (self->terminal, NULL, TP_DEVICE_ABSENT, NULL);
}

/* The store is open: the checkpoint, its list (on a worker), the counter
 * and the reader. */
static void
start_counter (TpApplication *self,
               OpenStore     *o)
{
  g_autoptr(TpKeySource) key = tp_key_file_new (self->key_path);
  g_autoptr(TpSyncClient) client = NULL;
  g_autofree char *reader = NULL;

  self->checkpoint = tp_checkpoint_new (self->airport, self->checkpoint_id, self->terminal_id, o->store, key);
  if (timing_start > 0)
    g_signal_connect_swapped (self->checkpoint, "notify::matcher", G_CALLBACK (matcher_in_place_cb), self);
  /* the list: loaded now, and again as the hub's feed changes it */
  client = make_sync_client (self, o);
  self->sync_link = tp_sync_link_new (self->checkpoint, client, self->terminal);
  g_signal_connect_object (self->sync_link, "escalation", G_CALLBACK (escalation_cb), self, G_CONNECT_SWAPPED);
  self->counter = tp_counter_new (self->checkpoint);
  g_signal_connect_object (self->counter, "notify::reading", G_CALLBACK (reader_busy_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->terminal, "notify::list", G_CALLBACK (list_stale_cb), self, G_CONNECT_SWAPPED);
  list_stale_cb (self);
  if (self->window != NULL)
    tp_window_set_counter (self->window, self->counter);
  if (self->demo)
    {
      if (self->window != NULL)
        tp_demo_mode_attach (self->demo_mode, self->window);
      return;
    }
  reader = settings_string (self, "reader");
  if (reader[0] != '\0')
    {
      g_autoptr(TpReader) r = tp_reader_new (reader);

      tp_application_set_reader (self, r, self->trust);
    }
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
  timing ("store-open");
  if (self->settings != NULL)
    tp_accounts_set_lockout (o->accounts, MAX (g_settings_get_uint (self->settings, "lockout-attempts"), 1),
                             g_settings_get_uint (self->settings, "lockout-minutes") * 60);
  tp_terminal_set_store (self->terminal, o->store, o->accounts);
  tp_terminal_set_list (self->terminal, o->seq, o->entries, o->current_at, o->stale);
  self->trust = g_steal_pointer (&o->trust);
  start_counter (self, o);
  if (self->window != NULL)
    tp_login_page_set_accounts (tp_window_get_login_page (self->window), o->accounts);
}

static void
open_store (TpApplication *self)
{
  g_autoptr(GTask) task = g_task_new (self, self->cancellable, store_opened_cb, NULL);
  OpenStore *o = g_new0 (OpenStore, 1);

  o->store_path = g_strdup (self->store_path);
  o->key_path = g_strdup (self->key_path);
  o->trust_path = self->demo ? NULL : settings_string (self, "trust-path");
  o->enrollment_dir = g_strdup (self->enrollment_dir);
  g_task_set_task_data (task, o, (GDestroyNotify) open_store_free);
  tp_terminal_set_list_loading (self->terminal, TRUE);
  g_task_run_in_thread (task, open_store_thread);
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
  const char *store = NULL, *key = NULL, *airport = NULL, *enrollment = NULL;

  g_variant_dict_lookup (options, "demo", "b", &self->demo);
  g_variant_dict_lookup (options, "kiosk", "b", &self->kiosk);
  g_variant_dict_lookup (options, "store", "^&ay", &store);
  g_variant_dict_lookup (options, "key-file", "^&ay", &key);
  g_variant_dict_lookup (options, "airport", "&s", &airport);
  g_variant_dict_lookup (options, "enrollment", "^&ay", &enrollment);
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

  self->enrollment_dir = enrollment != NULL ? g_strdup (enrollment) : settings_string (self, "enrollment-dir");

  if (self->demo && self->demo_mode == NULL)
    {
      g_printerr ("touchpoint: this build has no demo mode\n");
      return 2;
    }
  self->checkpoint_id = settings_string (self, "checkpoint");
  self->terminal_id = settings_string (self, "terminal-id");
  if (self->demo)
    {
      g_free (self->checkpoint_id);
      self->checkpoint_id = g_strdup_printf ("%s-DEMO", self->airport);
      g_free (self->terminal_id);
      self->terminal_id = g_strdup_printf ("%s-DEMO-01", self->airport);
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

/* SIGTERM (a kiosk's session ending, a test) and SIGINT: a clean exit, so
 * that demo mode stops its hub and removes its files. */
static gboolean
quit_on_signal (gpointer user_data)
{
  g_application_quit (G_APPLICATION (user_data));
  return G_SOURCE_CONTINUE;
}

static void
tp_application_startup (GApplication *app)
{
  TpApplication *self = TP_APPLICATION (app);
  const char *quit_accels[] = { "<Control>q", NULL };

  G_APPLICATION_CLASS (tp_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions), self);
  g_unix_signal_add (SIGTERM, quit_on_signal, self);
  g_unix_signal_add (SIGINT, quit_on_signal, self);
  if (!self->kiosk)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  if (self->settings != NULL)
    {
      g_signal_connect_object (self->settings, "changed::stale-list-policy", G_CALLBACK (stale_policy_changed_cb),
                               self, G_CONNECT_SWAPPED);
      stale_policy_changed_cb (self);
      g_settings_bind_with_mapping (self->settings, "idle-lock-minutes", self->session, "idle-timeout",
                                    G_SETTINGS_BIND_GET | G_SETTINGS_BIND_NO_SENSITIVITY,
                                    minutes_to_seconds, NULL, NULL, NULL);
    }
}

static void
demo_prepared_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  TpApplication *self = user_data;
  g_autoptr(GError) error = NULL;
  const char *store_path = NULL, *key_path = NULL, *enrollment_dir = NULL;

  if (!tp_demo_mode_prepare_finish (TP_DEMO_MODE (object), result, &store_path, &key_path, &enrollment_dir,
                                    &error))
    {
      g_autofree char *text = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_warning ("Cannot start the demo: %s", error->message);
      if (self->window != NULL)
        {
          text = g_strdup_printf (_("Cannot start the demo: %s"), error->message);
          tp_window_show_toast (self->window, text);
        }
      return;
    }
  g_free (self->store_path);
  self->store_path = g_strdup (store_path);
  g_free (self->key_path);
  self->key_path = g_strdup (key_path);
  g_free (self->enrollment_dir);
  self->enrollment_dir = g_strdup (enrollment_dir);
  open_store (self);
}

static void
tp_application_activate (GApplication *app)
{
  TpApplication *self = TP_APPLICATION (app);
  if (self->window != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->window));
      return;
    }
  self->window = tp_window_new (GTK_APPLICATION (self), self->terminal, self->session);
  g_object_add_weak_pointer (G_OBJECT (self->window), (gpointer *) &self->window);
  tp_window_set_place (self->window, self->airport, self->terminal_id);
  if (self->demo)
    tp_window_set_login_hint (self->window,
                              _("Demo accounts: IMM-01 / PIN 1111 (immigration), CUS-01 / PIN 2222 "
                                "(customs), SUP-01 / PIN 3333 (supervisor)"));
  tp_window_set_kiosk (self->window, self->kiosk);
  {
    g_autofree char *camera = settings_string (self, "camera");

    tp_window_set_camera (self->window, camera);
  }
  if (timing_start > 0)
    g_signal_connect (self->window, "map", G_CALLBACK (window_mapped_cb), NULL);
  gtk_window_present (GTK_WINDOW (self->window));
  if (self->demo)
    tp_demo_mode_prepare_async (self->demo_mode, self->airport, self->checkpoint_id, self->terminal_id,
                                self->cancellable, demo_prepared_cb, self);
  else
    open_store (self);
}

static void
tp_application_shutdown (GApplication *app)
{
  TpApplication *self = TP_APPLICATION (app);

  g_cancellable_cancel (self->cancellable);
  G_APPLICATION_CLASS (tp_application_parent_class)->shutdown (app);
  if (self->sync_link != NULL)
    tp_sync_link_stop (self->sync_link);
  g_clear_object (&self->sync_link);
  g_clear_object (&self->counter);
  if (self->reader != NULL)
    g_signal_handlers_disconnect_by_data (self->reader, self);
  g_clear_object (&self->reader);
  g_clear_object (&self->checkpoint);
  tp_terminal_set_store (self->terminal, NULL, NULL);
  /* the demo's throw-away terminal and hub go with the demo */
  if (self->demo_mode != NULL)
    tp_demo_mode_shutdown (self->demo_mode);
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
  g_free (self->enrollment_dir);
  g_free (self->airport);
  g_free (self->checkpoint_id);
  g_free (self->terminal_id);
  g_clear_object (&self->demo_mode);
  g_clear_pointer (&self->trust, tp_trust_store_free);
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
    { "enrollment", 0, 0, G_OPTION_ARG_FILENAME, NULL, N_("This terminal's enrollment bundle (a folder)"), N_("DIR") },
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
  if (g_strcmp0 (g_getenv ("TOUCHPOINT_TIMING"), "1") == 0)
    timing_start = g_get_monotonic_time ();
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

void
tp_application_set_demo_mode (TpApplication *self,
                              TpDemoMode    *demo_mode)
{
  g_return_if_fail (TP_IS_APPLICATION (self));
  g_return_if_fail (demo_mode == NULL || TP_IS_DEMO_MODE (demo_mode));

  g_set_object (&self->demo_mode, demo_mode);
}

TpCounter *
tp_application_get_counter (TpApplication *self)
{
  g_return_val_if_fail (TP_IS_APPLICATION (self), NULL);
  return self->counter;
}

TpCheckpoint *
tp_application_get_checkpoint (TpApplication *self)
{
  g_return_val_if_fail (TP_IS_APPLICATION (self), NULL);
  return self->checkpoint;
}
