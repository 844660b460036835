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
  char         *store_path;
  char         *key_path;
  TpTrustStore *trust;
  TpWindow     *window;      /* weak */
  TpDemoPanel  *panel;       /* owned by the window */
};

static void tp_demo_mode_iface_init (TpDemoModeInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TpDemo, tp_demo, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (TP_TYPE_DEMO_MODE, tp_demo_mode_iface_init))

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

/* The throw-away terminal, in a worker thread. */
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
  g_autofree char *trust_dir = NULL;

  self->dir = g_dir_make_tmp ("touchpoint-demo-XXXXXX", &error);
  if (self->dir == NULL)
    goto failed;
  trust_dir = g_build_filename (self->dir, "trust", NULL);
  if (g_mkdir (trust_dir, 0700) != 0)
    {
      g_set_error (&error, G_IO_ERROR, G_IO_ERROR_FAILED, "Cannot make %s", trust_dir);
      goto failed;
    }
  self->trust = tp_trust_store_new (TP_TRUST_STORE_FLAGS_NONE);
  if (!tp_sim_chip_export_trust (trust_dir, &error) || !tp_trust_store_add_path (self->trust, trust_dir, &error))
    goto failed;

  self->store_path = g_build_filename (self->dir, "terminal.db", NULL);
  self->key_path = g_build_filename (self->dir, "terminal.key", NULL);
  key = tp_key_file_new (self->key_path);
  store = tp_store_open (self->store_path, key, TP_STORE_OPEN_CREATE | TP_STORE_OPEN_EXCLUSIVE, &error);
  if (store == NULL || !import_demo_list (store, &error))
    goto failed;
  accounts = tp_accounts_new (store, &error);
  if (accounts == NULL || !tp_accounts_add_demo (accounts, &error))
    goto failed;
  g_task_return_boolean (task, TRUE);
  return;

failed:
  g_task_return_error (task, g_steal_pointer (&error));
}

static void
tp_demo_prepare_async (TpDemoMode          *mode,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (mode, cancellable, callback, user_data);

  g_task_set_source_tag (task, tp_demo_prepare_async);
  g_task_run_in_thread (task, prepare_thread);
}

static gboolean
tp_demo_prepare_finish (TpDemoMode    *mode,
                        GAsyncResult  *result,
                        const char   **store_path,
                        const char   **key_path,
                        GError       **error)
{
  TpDemo *self = TP_DEMO (mode);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  *store_path = self->store_path;
  *key_path = self->key_path;
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

static void
tp_demo_attach (TpDemoMode *mode,
                TpWindow   *window)
{
  TpDemo *self = TP_DEMO (mode);
  g_autoptr(TpReader) reader = tp_reader_new ("sim:full");

  g_set_weak_pointer (&self->window, window);
  self->panel = TP_DEMO_PANEL (tp_demo_panel_new ());
  g_signal_connect_object (self->panel, "present", G_CALLBACK (present_cb), self, G_CONNECT_SWAPPED);
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
  if (self->dir != NULL)
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
