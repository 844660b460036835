/* tp-ui-case.c: a real counter for the widget tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "tp-entry.h"
#include "tp-key-source.h"
#include "tp-sim-chip.h"
#include "tp-sim-transport.h"
#include "tp-ui-case.h"
#include "tp-ui-test.h"

TpUiCase *
tp_ui_case_new (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) list = NULL;
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) tp_entry_free);
  g_autoptr(TpKeySource) key = NULL;
  g_auto(GStrv) lines = NULL;
  g_autofree char *db = NULL;
  g_autofree char *key_path = NULL;
  g_autofree char *trust_dir = NULL;
  TpStoreBatchResult result = { 0, };
  TpUiCase *c = g_new0 (TpUiCase, 1);

  tp_sim_transport_register ();
  c->dir = tp_ui_test_make_dir ();
  db = g_build_filename (c->dir, "terminal.db", NULL);
  key_path = g_build_filename (c->dir, "terminal.key", NULL);
  key = tp_key_file_new (key_path);
  c->store = tp_store_open (db, key, TP_STORE_OPEN_CREATE, &error);
  g_assert_no_error (error);
  list = g_resources_lookup_data ("/org/touchpoint/Touchpoint/demo/list.jsonl", 0, &error);
  g_assert_no_error (error);
  lines = g_strsplit (g_bytes_get_data (list, NULL), "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (lines[i][0] != '\0')
      {
        TpEntry *entry = tp_entry_from_json (lines[i], -1, &error);

        g_assert_no_error (error);
        g_ptr_array_add (entries, entry);
      }
  g_assert_true (tp_store_apply_batch (c->store, entries, &result, &error));
  g_assert_no_error (error);
  tp_store_batch_result_clear (&result);

  c->checkpoint = tp_checkpoint_new ("HAN", "HAN-T2-EXIT", "HAN-T2-EXIT-07", c->store, key);
  g_assert_true (tp_checkpoint_load_matcher (c->checkpoint, &error));
  g_assert_no_error (error);
  c->counter = tp_counter_new (c->checkpoint);

  trust_dir = g_build_filename (c->dir, "trust", NULL);
  g_assert_cmpint (g_mkdir (trust_dir, 0700), ==, 0);
  g_assert_true (tp_sim_chip_export_trust (trust_dir, &error));
  c->trust = tp_trust_store_new (TP_TRUST_STORE_FLAGS_NONE);
  g_assert_true (tp_trust_store_add_path (c->trust, trust_dir, &error));
  g_assert_no_error (error);
  return c;
}

void
tp_ui_case_free (TpUiCase *c)
{
  g_clear_object (&c->counter);
  g_clear_object (&c->reader);
  g_clear_object (&c->checkpoint);
  g_clear_object (&c->store);
  g_clear_pointer (&c->trust, tp_trust_store_free);
  tp_ui_test_remove_tree (c->dir);
  g_free (c->dir);
  g_free (c);
}

void
tp_ui_case_set_chip (TpUiCase   *c,
                     const char *spec)
{
  g_autofree char *connstring = g_strconcat ("sim:", spec, NULL);

  g_clear_object (&c->reader);
  c->reader = tp_reader_new (connstring);
  tp_counter_set_reader (c->counter, c->reader, c->trust);
}

char *
tp_ui_case_chip_mrz (const char *spec)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpSimChip) chip = tp_sim_chip_new (spec, &error);

  g_assert_no_error (error);
  return g_strdup (tp_sim_chip_get_mrz (chip));
}

TpCase *
tp_ui_case_present (TpUiCase   *c,
                    const char *spec)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *mrz = tp_ui_case_chip_mrz (spec);
  TpCase *kase;
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  tp_ui_case_set_chip (c, spec);
  g_assert_true (tp_counter_present_mrz (c->counter, mrz, &error));
  g_assert_no_error (error);
  kase = tp_counter_get_case (c->counter);
  g_assert_nonnull (kase);
  while ((tp_counter_get_reading (c->counter) || !tp_case_get_screened (kase)) &&
         g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (tp_counter_get_reading (c->counter));
  g_assert_null (tp_counter_get_read_error (c->counter));
  g_assert_nonnull (tp_case_get_document (kase));
  g_assert_true (tp_case_get_screened (kase));
  return kase;
}

char *
tp_ui_case_boarding_pass (const char *name,
                          int         day_offset)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) day = g_date_time_add_days (now, day_offset);

  return g_strdup_printf ("M1%-20.20sEDEMO01 HANNRTVN 0310 %03dY012A0042 100", name,
                          g_date_time_get_day_of_year (day));
}
