/* test-accounts.c: officer accounts (PIN hashing, roles, lockout, audit)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "tp-accounts.h"
#include "tp-audit-log.h"
#include "tp-key-source.h"
#include "tp-store-private.h"
#include "tp-store.h"

typedef struct {
  char       *dir;
  char       *db;
  TpStore    *store;
  TpAccounts *accounts;
} Fixture;

static const guint8 test_key[TP_KEY_SIZE] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
                                              17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32 };

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpKeySource) key = tp_key_memory_new (test_key);

  f->dir = g_dir_make_tmp ("tp-accounts-XXXXXX", &error);
  g_assert_no_error (error);
  f->db = g_build_filename (f->dir, "store.db", NULL);
  f->store = tp_store_open (f->db, key, TP_STORE_OPEN_CREATE, &error);
  g_assert_no_error (error);
  f->accounts = tp_accounts_new (f->store, &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_clear_object (&f->accounts);
  g_clear_object (&f->store);
  dir = g_dir_open (f->dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (f->dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
  g_free (f->db);
}

/* The audit actions recorded, in order, as one string "a,b,c". */
static char *
audit_actions (TpStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) records = tp_audit_log_list (store, 0, 0, &error);
  g_autoptr(GString) out = g_string_new (NULL);

  g_assert_no_error (error);
  for (guint i = 0; i < records->len; i++)
    {
      const TpAuditRecord *record = g_ptr_array_index (records, i);

      if (out->len > 0)
        g_string_append_c (out, ',');
      g_string_append (out, record->action);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
test_sign_in (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpOfficer) officer = NULL;
  g_autoptr(TpOfficer) again = NULL;
  g_autofree char *actions = NULL;

  g_assert_true (tp_accounts_add (f->accounts, "imm-07", TP_ROLE_IMMIGRATION, "Lê Thị Mai", "482915",
                                  "system", &error));
  g_assert_no_error (error);

  /* the ID is case-insensitive, and the role comes from the account */
  officer = tp_accounts_sign_in (f->accounts, "Imm-07", "482915", 1000, &error);
  g_assert_no_error (error);
  g_assert_nonnull (officer);
  g_assert_cmpstr (officer->id, ==, "IMM-07");
  g_assert_cmpint (officer->role, ==, TP_ROLE_IMMIGRATION);
  g_assert_cmpstr (officer->name, ==, "Lê Thị Mai");
  g_assert_cmpint (officer->last_sign_in, ==, 1000);

  again = tp_accounts_sign_in (f->accounts, "IMM-07", "482916", 1001, &error);
  g_assert_error (error, TP_ACCOUNTS_ERROR, TP_ACCOUNTS_ERROR_DENIED);
  g_assert_null (again);
  g_clear_error (&error);

  /* an unknown officer gets the same answer */
  again = tp_accounts_sign_in (f->accounts, "IMM-99", "482915", 1002, &error);
  g_assert_error (error, TP_ACCOUNTS_ERROR, TP_ACCOUNTS_ERROR_DENIED);
  g_assert_null (again);
  g_clear_error (&error);

  actions = audit_actions (f->store);
  g_assert_cmpstr (actions, ==, "officer.add,officer.sign_in,officer.sign_in_failed,officer.sign_in_failed");
}

static void
test_pin_not_stored (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  sqlite3 *db = _tp_store_get_db (f->store);
  sqlite3_stmt *stmt = NULL;
  int rc;
  const guint8 *salt1, *salt2, *hash1, *hash2;

  /* two officers with the same PIN: different salts, different hashes,
   * and the PIN appears nowhere */
  g_assert_true (tp_accounts_add (f->accounts, "CUS-01", TP_ROLE_CUSTOMS, NULL, "24681357", "system", &error));
  g_assert_true (tp_accounts_add (f->accounts, "CUS-02", TP_ROLE_CUSTOMS, NULL, "24681357", "system", &error));
  g_assert_no_error (error);

  rc = sqlite3_prepare_v2 (db, "SELECT a.salt, a.pin_hash, b.salt, b.pin_hash, a.kdf FROM officer_account a, "
                               "officer_account b WHERE a.id = 'CUS-01' AND b.id = 'CUS-02'", -1, &stmt, NULL);
  g_assert_cmpint (rc, ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_bytes (stmt, 0), ==, 16);
  g_assert_cmpint (sqlite3_column_bytes (stmt, 1), ==, 32);
  salt1 = sqlite3_column_blob (stmt, 0);
  hash1 = sqlite3_column_blob (stmt, 1);
  salt2 = sqlite3_column_blob (stmt, 2);
  hash2 = sqlite3_column_blob (stmt, 3);
  g_assert_true (memcmp (salt1, salt2, 16) != 0);
  g_assert_true (memcmp (hash1, hash2, 32) != 0);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 4), ==, "scrypt");
  sqlite3_finalize (stmt);

  rc = sqlite3_prepare_v2 (db, "SELECT count(*) FROM officer_account WHERE "
                               "CAST(salt AS TEXT) LIKE '%24681357%' OR CAST(pin_hash AS TEXT) LIKE '%24681357%' "
                               "OR name LIKE '%24681357%'", -1, &stmt, NULL);
  g_assert_cmpint (rc, ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 0);
  sqlite3_finalize (stmt);
}

static void
test_lockout (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpOfficer) officer = NULL;
  g_autoptr(TpOfficer) state = NULL;
  g_autofree char *actions = NULL;
  gint64 t = 1700000000;

  tp_accounts_set_lockout (f->accounts, 3, 600);
  g_assert_true (tp_accounts_add (f->accounts, "SUP-02", TP_ROLE_SUPERVISOR, NULL, "9090", "system", &error));
  g_assert_no_error (error);

  /* two failures, then the right PIN: the count starts again */
  for (guint i = 0; i < 2; i++)
    {
      officer = tp_accounts_sign_in (f->accounts, "SUP-02", "0000", t++, &error);
      g_assert_error (error, TP_ACCOUNTS_ERROR, TP_ACCOUNTS_ERROR_DENIED);
      g_clear_error (&error);
    }
  state = tp_accounts_lookup (f->accounts, "SUP-02", &error);
  g_assert_cmpuint (state->failures, ==, 2);
  g_clear_pointer (&state, tp_officer_free);
  officer = tp_accounts_sign_in (f->accounts, "SUP-02", "9090", t++, &error);
  g_assert_no_error (error);
  g_clear_pointer (&officer, tp_officer_free);

  /* three in a row lock the account; the third already says so */
  for (guint i = 0; i < 3; i++)
    {
      officer = tp_accounts_sign_in (f->accounts, "SUP-02", "1234", t++, &error);
      g_assert_null (officer);
      g_assert_error (error, TP_ACCOUNTS_ERROR, (i < 2 ? TP_ACCOUNTS_ERROR_DENIED : TP_ACCOUNTS_ERROR_LOCKED));
      g_clear_error (&error);
    }
  state = tp_accounts_lookup (f->accounts, "SUP-02", &error);
  g_assert_cmpint (state->locked_until, ==, t - 1 + 600);
  g_clear_pointer (&state, tp_officer_free);

  /* locked: the right PIN is refused too, with how long to wait */
  officer = tp_accounts_sign_in (f->accounts, "SUP-02", "9090", t + 60, &error);
  g_assert_null (officer);
  g_assert_error (error, TP_ACCOUNTS_ERROR, TP_ACCOUNTS_ERROR_LOCKED);
  g_assert_nonnull (strstr (error->message, "9 more minutes"));
  g_clear_error (&error);

  /* after the lockout the right PIN works */
  officer = tp_accounts_sign_in (f->accounts, "SUP-02", "9090", t + 601, &error);
  g_assert_no_error (error);
  g_assert_nonnull (officer);
  g_clear_pointer (&officer, tp_officer_free);

  /* a supervisor lifts a lockout at once */
  for (guint i = 0; i < 3; i++)
    {
      officer = tp_accounts_sign_in (f->accounts, "SUP-02", "1111", t + 700 + i, &error);
      g_clear_error (&error);
    }
  g_assert_true (tp_accounts_unlock (f->accounts, "SUP-02", "SUP-01", &error));
  g_assert_no_error (error);
  officer = tp_accounts_sign_in (f->accounts, "SUP-02", "9090", t + 710, &error);
  g_assert_no_error (error);
  g_assert_nonnull (officer);

  actions = audit_actions (f->store);
  g_assert_cmpstr (actions, ==,
                   "officer.add,officer.sign_in_failed,officer.sign_in_failed,officer.sign_in,"
                   "officer.sign_in_failed,officer.sign_in_failed,officer.locked,officer.sign_in,"
                   "officer.sign_in_failed,officer.sign_in_failed,officer.locked,officer.unlock,"
                   "officer.sign_in");
}

static void
test_forms (Fixture       *f,
            gconstpointer  data)
{
  const char *bad_ids[] = { "", "I", "1MM-01", "IMM 01", "IMM_01", "ÍMM-01",
                            "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456" };
  const char *bad_pins[] = { "", "123", "12a4", "1234567890123", " 1234" };
  g_autoptr(GError) error = NULL;
  g_autoptr(TpOfficer) officer = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (bad_ids); i++)
    {
      g_assert_false (tp_accounts_add (f->accounts, bad_ids[i], TP_ROLE_CUSTOMS, NULL, "1234", "system", &error));
      g_assert_error (error, TP_ACCOUNTS_ERROR, TP_ACCOUNTS_ERROR_INVALID);
      g_clear_error (&error);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad_pins); i++)
    {
      g_assert_false (tp_accounts_add (f->accounts, "CUS-09", TP_ROLE_CUSTOMS, NULL, bad_pins[i], "system", &error));
      g_assert_error (error, TP_ACCOUNTS_ERROR, TP_ACCOUNTS_ERROR_INVALID);
      g_clear_error (&error);
    }
  /* one role per account */
  g_assert_false (tp_accounts_add (f->accounts, "CUS-09", TP_ROLE_CUSTOMS | TP_ROLE_SUPERVISOR, NULL, "1234",
                                   "system", &error));
  g_assert_error (error, TP_ACCOUNTS_ERROR, TP_ACCOUNTS_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_true (tp_accounts_add (f->accounts, "CUS-09", TP_ROLE_CUSTOMS, NULL, "123456789012", "system", &error));
  g_assert_false (tp_accounts_add (f->accounts, "cus-09", TP_ROLE_IMMIGRATION, NULL, "1234", "system", &error));
  g_assert_error (error, TP_ACCOUNTS_ERROR, TP_ACCOUNTS_ERROR_EXISTS);
  g_clear_error (&error);

  g_assert_false (tp_accounts_unlock (f->accounts, "CUS-10", "system", &error));
  g_assert_error (error, TP_ACCOUNTS_ERROR, TP_ACCOUNTS_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* changing the PIN: the old one stops working */
  g_assert_true (tp_accounts_set_pin (f->accounts, "CUS-09", "5555", "SUP-01", &error));
  officer = tp_accounts_sign_in (f->accounts, "CUS-09", "123456789012", 0, &error);
  g_assert_error (error, TP_ACCOUNTS_ERROR, TP_ACCOUNTS_ERROR_DENIED);
  g_clear_error (&error);
  officer = tp_accounts_sign_in (f->accounts, "CUS-09", "5555", 0, &error);
  g_assert_no_error (error);
  g_clear_pointer (&officer, tp_officer_free);

  g_assert_true (tp_accounts_remove (f->accounts, "CUS-09", "SUP-01", &error));
  officer = tp_accounts_sign_in (f->accounts, "CUS-09", "5555", 0, &error);
  g_assert_error (error, TP_ACCOUNTS_ERROR, TP_ACCOUNTS_ERROR_DENIED);
}

static void
test_demo_and_reopen (Fixture       *f,
                      gconstpointer  data)
{
  static const struct { const char *id; const char *pin; TpRoles role; } demo[] = {
    { "IMM-01", "1111", TP_ROLE_IMMIGRATION },
    { "CUS-01", "2222", TP_ROLE_CUSTOMS },
    { "SUP-01", "3333", TP_ROLE_SUPERVISOR },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(TpKeySource) key = tp_key_memory_new (test_key);

  g_assert_true (tp_accounts_add_demo (f->accounts, &error));
  g_assert_no_error (error);
  /* idempotent */
  g_assert_true (tp_accounts_add_demo (f->accounts, &error));
  list = tp_accounts_list (f->accounts, &error);
  g_assert_cmpuint (list->len, ==, 3);

  /* the accounts are in the file: a new connection signs in */
  g_clear_object (&f->accounts);
  g_clear_object (&f->store);
  f->store = tp_store_open (f->db, key, TP_STORE_OPEN_NONE, &error);
  g_assert_no_error (error);
  f->accounts = tp_accounts_new (f->store, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (demo); i++)
    {
      g_autoptr(TpOfficer) officer = tp_accounts_sign_in (f->accounts, demo[i].id, demo[i].pin, 0, &error);

      g_assert_no_error (error);
      g_assert_cmpint (officer->role, ==, demo[i].role);
    }
}

static void
sign_in_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GPtrArray *outcomes = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TpOfficer) officer = tp_accounts_sign_in_finish (TP_ACCOUNTS (object), result, &error);

  g_assert_true (g_main_context_is_owner (g_main_context_default ()));
  g_ptr_array_add (outcomes, officer != NULL ? g_strdup (officer->id) : g_strdup (error->message));
}

static void
test_async (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) outcomes = g_ptr_array_new_with_free_func (g_free);

  g_assert_true (tp_accounts_add_demo (f->accounts, &error));
  tp_accounts_sign_in_async (f->accounts, "CUS-01", "2222", NULL, sign_in_done_cb, outcomes);
  tp_accounts_sign_in_async (f->accounts, "CUS-01", "2223", NULL, sign_in_done_cb, outcomes);
  tp_accounts_sign_in_async (f->accounts, "CUS-01", "22", NULL, sign_in_done_cb, outcomes);
  while (outcomes->len < 3)
    g_main_context_iteration (NULL, TRUE);
  /* the malformed PIN is refused before any derivation, so it answers first */
  g_assert_cmpstr (g_ptr_array_index (outcomes, 0), ==, "A PIN is 4 to 12 digits");
  g_assert_true ((g_strcmp0 (g_ptr_array_index (outcomes, 1), "CUS-01") == 0 &&
                  g_strcmp0 (g_ptr_array_index (outcomes, 2), "Officer ID or PIN is wrong") == 0) ||
                 (g_strcmp0 (g_ptr_array_index (outcomes, 2), "CUS-01") == 0 &&
                  g_strcmp0 (g_ptr_array_index (outcomes, 1), "Officer ID or PIN is wrong") == 0));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/accounts/sign-in", Fixture, NULL, fixture_setup, test_sign_in, fixture_teardown);
  g_test_add ("/accounts/pin-not-stored", Fixture, NULL, fixture_setup, test_pin_not_stored, fixture_teardown);
  g_test_add ("/accounts/lockout", Fixture, NULL, fixture_setup, test_lockout, fixture_teardown);
  g_test_add ("/accounts/forms", Fixture, NULL, fixture_setup, test_forms, fixture_teardown);
  g_test_add ("/accounts/demo-and-reopen", Fixture, NULL, fixture_setup, test_demo_and_reopen, fixture_teardown);
  g_test_add ("/accounts/async", Fixture, NULL, fixture_setup, test_async, fixture_teardown);

  return g_test_run ();
}
