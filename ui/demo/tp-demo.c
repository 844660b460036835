/* tp-demo.c: demo mode
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "tp-accounts.h"
#include "tp-application.h"
#include "tp-demo.h"
#include "tp-demo-hub.h"
#include "tp-demo-panel.h"
#include "tp-demo-scenario.h"
#include "tp-entry.h"
#include "tp-key-source.h"
#include "tp-sim-chip.h"
#include "tp-sim-transport.h"
#include "tp-store.h"
#include "tp-trust-store.h"
#include "tp-window.h"

#define DEMO_LIST_RESOURCE "/org/touchpoint/Touchpoint/demo/list.jsonl"

struct _TpDemo
{
  GObject       parent_instance;

  char         *dir;
  gboolean      keep_dir;    /* given by TOUCHPOINT_DEMO_DIR: the caller's */
  char         *store_path;
  char         *key_path;
  char         *airport;
  char         *checkpoint_id;
  char         *terminal_id;
  TpTrustStore *trust;
  GThread      *trust_thread;  /* making the test PKI */
  TpDemoHub    *hub;         /* NULL: no hub, the list went into the store */
  gboolean      banned;      /* the live exit ban is in force at the hub */
  gboolean      ban_busy;
  int           ban_version;
  TpWindow     *window;      /* weak */
  TpDemoPanel  *panel;       /* owned by the window */
};

static void tp_demo_mode_iface_init (TpDemoModeInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TpDemo, tp_demo, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (TP_TYPE_DEMO_MODE, tp_demo_mode_iface_init))

/* The exit ban customs issues live, on the "clear" traveller (Đỗ Thị Lan,
 * found by her citizen ID number); version 2 cancels it. */
#define LIVE_BAN_ID "EB-2026-DEMO01"
#define LIVE_BAN \
  "{\"id\":\"" LIVE_BAN_ID "\",\"version\":%d,\"list\":\"exit_ban\",\"status\":\"%s\"," \
  "\"agency\":\"customs\",\"action\":\"deny_exit\",\"visibility\":[\"immigration\",\"supervisor\"]," \
  "\"person\":{\"full_name\":\"Đỗ Thị Lan\",\"birth_date\":\"1990-02-03\",\"sex\":\"F\"," \
  "\"nationality\":\"VNM\",\"identifiers\":[{\"type\":\"national_id\",\"value\":\"001190077777\"," \
  "\"country\":\"VNM\"}]},\"basis\":{\"reference\":\"DEMO-1/TCHQ\",\"issued_by\":\"Cục Hải quan TP. Hà Nội\"," \
  "\"issued_at\":\"%s\",\"reason\":\"tax_debt\"},\"effective_from\":\"%s\"," \
  "\"effective_until\":null}\n"

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

static GBytes *
demo_list (GError **error)
{
  return g_resources_lookup_data (DEMO_LIST_RESOURCE, G_RESOURCE_LOOKUP_FLAGS_NONE, error);
}

/* Without a hub: the demo list straight into the store. */
static gboolean
import_demo_list (TpStore  *store,
                  GError  **error)
{
  g_autoptr(GBytes) list = NULL;
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) tp_entry_free);
  g_auto(GStrv) lines = NULL;
  TpStoreBatchResult result = { 0, };
  gboolean ok;

  list = demo_list (error);
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

/* The touchpoint-hub to run: TOUCHPOINT_HUB (tools/demo, the tests), the
 * one beside this executable, or the one on PATH. */
static char *
hub_program (void)
{
  const char *env = g_getenv ("TOUCHPOINT_HUB");
  g_autofree char *self_exe = g_file_read_link ("/proc/self/exe", NULL);

  if (env != NULL && env[0] != '\0')
    return g_strdup (env);
  if (self_exe != NULL)
    {
      g_autofree char *dir = g_path_get_dirname (self_exe);
      g_autofree char *beside = g_build_filename (dir, "touchpoint-hub", NULL);

      if (g_file_test (beside, G_FILE_TEST_IS_EXECUTABLE))
        return g_steal_pointer (&beside);
    }
  return g_find_program_in_path ("touchpoint-hub");
}

/* The test PKI's CSCA, which the software chips' signers chain to: the
 * reader's trust store. Joined by join_trust(). */
static gpointer
trust_thread (gpointer data)
{
  TpDemo *self = data;
  g_autofree char *trust_dir = g_build_filename (self->dir, "trust", NULL);
  GError *error = NULL;

  if (g_mkdir (trust_dir, 0700) != 0)
    g_set_error (&error, G_IO_ERROR, G_IO_ERROR_FAILED, "Cannot make %s", trust_dir);
  else
    {
      self->trust = tp_trust_store_new (TP_TRUST_STORE_FLAGS_NONE);
      if (tp_sim_chip_export_trust (trust_dir, &error))
        tp_trust_store_add_path (self->trust, trust_dir, &error);
    }
  return error;
}

static gboolean
join_trust (TpDemo  *self,
            GError **error)
{
  GError *trust_error;

  if (self->trust_thread == NULL)
    return TRUE;
  trust_error = g_thread_join (g_steal_pointer (&self->trust_thread));
  if (trust_error != NULL)
    {
      g_propagate_error (error, trust_error);
      return FALSE;
    }
  return TRUE;
}

/* Step 1, in a worker thread: the throw-away terminal (store, key,
 * accounts, the test PKI) and the hub's state, agencies and enrollment. */
static void
prepare_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  TpDemo *self = source_object;
  g_autoptr(GError) error = NULL;
  g_autoptr(TpKeySource) key = NULL;
  g_autoptr(TpStore) store = NULL;
  g_autoptr(TpAccounts) accounts = NULL;
  g_autofree char *program = NULL;
  const char *given = g_getenv ("TOUCHPOINT_DEMO_DIR");

  if (given != NULL && given[0] != '\0')
    {
      self->keep_dir = TRUE;
      self->dir = g_strdup (given);
      if (g_mkdir_with_parents (self->dir, 0700) != 0)
        {
          g_set_error (&error, G_IO_ERROR, G_IO_ERROR_FAILED, "Cannot make %s", self->dir);
          goto failed;
        }
    }
  else if ((self->dir = g_dir_make_tmp ("touchpoint-demo-XXXXXX", &error)) == NULL)
    goto failed;
  /* the test PKI (a second or so) beside the rest */
  self->trust_thread = g_thread_new ("demo-trust", trust_thread, self);

  self->store_path = g_build_filename (self->dir, "terminal.db", NULL);
  self->key_path = g_build_filename (self->dir, "terminal.key", NULL);
  key = tp_key_file_new (self->key_path);
  store = tp_store_open (self->store_path, key, TP_STORE_OPEN_CREATE | TP_STORE_OPEN_EXCLUSIVE, &error);
  if (store == NULL)
    goto failed;
  accounts = tp_accounts_new (store, &error);
  if (accounts == NULL || !tp_accounts_add_demo (accounts, &error))
    goto failed;

  program = hub_program ();
  if (program != NULL)
    {
      g_autofree char *hub_dir = g_build_filename (self->dir, "hub", NULL);
      g_autoptr(TpDemoHub) hub = tp_demo_hub_new (program, hub_dir);
      g_autoptr(GError) hub_error = NULL;

      if (tp_demo_hub_setup (hub, self->airport, self->checkpoint_id, self->terminal_id, &hub_error))
        self->hub = g_steal_pointer (&hub);
      else
        g_warning ("Demo mode without a hub: %s", hub_error->message);
    }
  else
    g_warning ("Demo mode without a hub: no touchpoint-hub (set TOUCHPOINT_HUB)");
  if (self->hub == NULL && (!import_demo_list (store, &error) || !join_trust (self, &error)))
    goto failed;
  g_task_return_boolean (task, TRUE);
  return;

failed:
  join_trust (self, NULL);
  g_task_return_error (task, g_steal_pointer (&error));
}

/* Step 3, in a worker thread: the hub listens; the agencies send it the
 * demo list. */
static void
serve_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  TpDemo *self = source_object;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) list = NULL;

  if (!tp_demo_hub_wait_listening (self->hub, &error) || (list = demo_list (&error)) == NULL ||
      !tp_demo_hub_ingest_list (self->hub, g_bytes_get_data (list, NULL), &error) ||
      !join_trust (self, &error))
    {
      join_trust (self, NULL);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
served_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

/* Step 2, on the main thread (which outlives the hub: see
 * tp_demo_hub_spawn()): the hub serves. */
static void
prepared_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  TpDemo *self = TP_DEMO (object);
  g_autoptr(GTask) task = user_data;
  g_autoptr(GTask) serve = NULL;
  g_autoptr(GError) error = NULL;
  GCancellable *cancellable;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (self->hub == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  if (!tp_demo_hub_spawn (self->hub, &error))
    {
      join_trust (self, NULL);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  cancellable = g_task_get_cancellable (task);
  serve = g_task_new (self, cancellable, served_cb, g_steal_pointer (&task));
  g_task_run_in_thread (serve, serve_thread);
}

static void
tp_demo_prepare_async (TpDemoMode          *mode,
                       const char          *airport,
                       const char          *checkpoint_id,
                       const char          *terminal_id,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  TpDemo *self = TP_DEMO (mode);
  g_autoptr(GTask) task = g_task_new (mode, cancellable, callback, user_data);
  g_autoptr(GTask) prepare = NULL;

  g_task_set_source_tag (task, tp_demo_prepare_async);
  g_free (self->airport);
  self->airport = g_strdup (airport);
  g_free (self->checkpoint_id);
  self->checkpoint_id = g_strdup (checkpoint_id);
  g_free (self->terminal_id);
  self->terminal_id = g_strdup (terminal_id);
  prepare = g_task_new (mode, cancellable, prepared_cb, g_steal_pointer (&task));
  g_task_run_in_thread (prepare, prepare_thread);
}

static gboolean
tp_demo_prepare_finish (TpDemoMode    *mode,
                        GAsyncResult  *result,
                        const char   **store_path,
                        const char   **key_path,
                        const char   **enrollment_dir,
                        GError       **error)
{
  TpDemo *self = TP_DEMO (mode);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  *store_path = self->store_path;
  *key_path = self->key_path;
  *enrollment_dir = self->hub != NULL ? tp_demo_hub_get_enrollment (self->hub) : NULL;
  return TRUE;
}

static TpApplication *
application (TpDemo *self)
{
  GtkApplication *app = self->window != NULL ? gtk_window_get_application (GTK_WINDOW (self->window)) : NULL;

  return app != NULL ? TP_APPLICATION (app) : NULL;
}

static void
present_cb (TpDemo      *self,
            const char  *scenario_id,
            TpDemoPanel *panel)
{
  g_autoptr(GError) error = NULL;

  if (!tp_demo_present (self, scenario_id, &error))
    {
      g_autofree char *text = g_strdup_printf (_("Cannot present the traveller: %s"), error->message);

      tp_demo_panel_set_status (panel, text);
    }
}

typedef struct {
  gboolean  issue;
  char     *line;
} Ban;

static void
ban_free (Ban *ban)
{
  g_free (ban->line);
  g_free (ban);
}

static void
ban_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  TpDemo *self = source_object;
  Ban *ban = task_data;
  g_autoptr(GError) error = NULL;

  if (!tp_demo_hub_ingest (self->hub, "customs", ban->line, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
ban_sent_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  TpDemo *self = TP_DEMO (object);
  Ban *ban = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  self->ban_busy = FALSE;
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    /* TRANSLATORS: %s is the hub's or the network's error message */
    text = g_strdup_printf (_("The hub did not take the exit ban: %s"), error->message);
  else
    {
      self->banned = ban->issue;
      /* TRANSLATORS: %s is the exit ban's id (EB-2026-DEMO01) */
      text = g_strdup_printf (ban->issue ? _("Customs issued exit ban %s on Đỗ Thị Lan at the hub. "
                                             "Present “Clear” to see it at this counter.")
                                         : _("Exit ban %s is cancelled at the hub. "
                                             "Present “Clear” again: she may leave."), LIVE_BAN_ID);
    }
  if (self->panel != NULL)
    {
      tp_demo_panel_set_hub (self->panel, TRUE, self->banned);
      tp_demo_panel_set_status (self->panel, text);
    }
}

static void
ban_cb (TpDemo      *self,
        gboolean     issue,
        TpDemoPanel *panel)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");
  Ban *ban;

  if (self->hub == NULL || self->ban_busy)
    return;
  self->ban_busy = TRUE;
  /* each change a new version of the entry: issued, cancelled, issued... */
  self->ban_version++;
  ban = g_new0 (Ban, 1);
  ban->issue = issue;
  ban->line = g_strdup_printf (LIVE_BAN, self->ban_version, issue ? "active" : "cancelled", today, today);
  tp_demo_panel_set_hub (panel, TRUE, self->banned);
  gtk_widget_action_set_enabled (GTK_WIDGET (panel), "demo.ban", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (panel), "demo.cancel-ban", FALSE);
  tp_demo_panel_set_status (panel, issue ? _("Sending the exit ban to the hub…") : _("Sending the cancellation to the hub…"));
  task = g_task_new (self, NULL, ban_sent_cb, NULL);
  g_task_set_task_data (task, ban, (GDestroyNotify) ban_free);
  g_task_run_in_thread (task, ban_thread);
}

static void
tp_demo_attach (TpDemoMode *mode,
                TpWindow   *window)
{
  TpDemo *self = TP_DEMO (mode);
  g_autoptr(TpReader) reader = tp_reader_new ("sim:full");

  g_set_weak_pointer (&self->window, window);
  self->panel = TP_DEMO_PANEL (tp_demo_panel_new ());
  g_signal_connect_object (self->panel, "present", G_CALLBACK (present_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->panel, "ban", G_CALLBACK (ban_cb), self, G_CONNECT_SWAPPED);
  tp_demo_panel_set_hub (self->panel, self->hub != NULL, self->banned);
  tp_window_set_side_panel (window, GTK_WIDGET (self->panel));
  tp_window_set_login_hint (window, _("Demo accounts: IMM-01 / PIN 1111 (immigration), CUS-01 / PIN 2222 "
                                      "(customs), SUP-01 / PIN 3333 (supervisor)"));
  tp_application_set_reader (application (self), reader, self->trust);
}

static void
tp_demo_shutdown (TpDemoMode *mode)
{
  TpDemo *self = TP_DEMO (mode);

  g_clear_weak_pointer (&self->window);
  if (self->hub != NULL)
    tp_demo_hub_stop (self->hub);
  if (self->dir != NULL && !self->keep_dir)
    remove_tree (self->dir);
  g_clear_pointer (&self->dir, g_free);
}

static void
tp_demo_mode_iface_init (TpDemoModeInterface *iface)
{
  iface->prepare_async = tp_demo_prepare_async;
  iface->prepare_finish = tp_demo_prepare_finish;
  iface->attach = tp_demo_attach;
  iface->shutdown = tp_demo_shutdown;
}

static void
tp_demo_finalize (GObject *object)
{
  TpDemo *self = TP_DEMO (object);

  tp_demo_shutdown (TP_DEMO_MODE (self));
  g_free (self->store_path);
  g_free (self->key_path);
  g_free (self->airport);
  g_free (self->checkpoint_id);
  g_free (self->terminal_id);
  g_clear_object (&self->hub);
  g_clear_pointer (&self->trust, tp_trust_store_free);
  G_OBJECT_CLASS (tp_demo_parent_class)->finalize (object);
}

static void
tp_demo_class_init (TpDemoClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tp_demo_finalize;
}

static void
tp_demo_init (TpDemo *self)
{
  tp_sim_transport_register ();
}

TpDemo *
tp_demo_new (void)
{
  return g_object_new (TP_TYPE_DEMO, NULL);
}

const char *
tp_demo_get_dir (TpDemo *self)
{
  g_return_val_if_fail (TP_IS_DEMO (self), NULL);

  return self->dir;
}

gboolean
tp_demo_present (TpDemo      *self,
                 const char  *scenario_id,
                 GError     **error)
{
  const TpDemoScenario *scenario = tp_demo_scenario_lookup (scenario_id);
  TpApplication *app = application (self);
  TpCounter *counter = app != NULL ? tp_application_get_counter (app) : NULL;
  g_autofree char *connstring = NULL;
  g_autofree char *mrz = NULL;
  g_autofree char *pass = NULL;
  g_autofree char *status = NULL;
  g_autoptr(TpReader) reader = NULL;

  g_return_val_if_fail (TP_IS_DEMO (self), FALSE);

  if (scenario == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "No demo traveller “%s”", scenario_id);
      return FALSE;
    }
  if (counter == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED, _("The terminal is still starting"));
      return FALSE;
    }
  mrz = tp_demo_scenario_mrz (scenario, error);
  pass = mrz != NULL ? tp_demo_scenario_boarding_pass (scenario, tp_checkpoint_get_airport (
                                                         tp_counter_get_checkpoint (counter)), error) : NULL;
  if (pass == NULL)
    return FALSE;

  /* the previous traveller leaves; this one's passport goes on the reader */
  tp_counter_next_traveller (counter);
  connstring = g_strconcat ("sim:", scenario->chip, NULL);
  reader = tp_reader_new (connstring);
  tp_application_set_reader (app, reader, self->trust);
  /* the document reader types the MRZ, the scanner reads the pass */
  tp_window_present_mrz (self->window, mrz);
  tp_window_present_boarding_pass (self->window, pass);
  /* TRANSLATORS: %s is a demo traveller's title (Exit ban, Cloned chip...) */
  status = g_strdup_printf (_("Presented: %s"), _(scenario->title));
  if (self->panel != NULL)
    tp_demo_panel_set_status (self->panel, status);
  return TRUE;
}
