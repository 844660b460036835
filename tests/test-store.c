/* test-store.c: encrypted store, key sources, audit log
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "tp-audit-log.h"
#include "tp-outbox.h"
#include "tp-key-source.h"
#include "tp-state-hash.h"
#include "tp-store-private.h"
#include "tp-store.h"

typedef struct {
  char *dir;
  char *db;
  char *key;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("tp-store-XXXXXX", &error);
  g_assert_no_error (error);
  f->db = g_build_filename (f->dir, "store.db", NULL);
  f->key = g_build_filename (f->dir, "store.key", NULL);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GDir) dir = g_dir_open (f->dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (f->dir, name, NULL);

      g_chmod (path, 0600);
      g_unlink (path);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
  g_free (f->db);
  g_free (f->key);
}

static TpEntry *
make_entry (const char *id,
            guint       version,
            const char *status,
            const char *until)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *until_json = until ? g_strdup_printf ("\"%s\"", until) : g_strdup ("null");
  g_autofree char *json = g_strdup_printf (
    "{\"id\": \"%s\", \"version\": %u, \"list\": \"exit_ban\", \"status\": \"%s\", \"agency\": \"tax\","
    " \"action\": \"deny_exit\", \"visibility\": [\"immigration\", \"supervisor\"],"
    " \"person\": {\"full_name\": \"Nguyễn Văn %s\", \"birth_date\": \"1980-05\", \"sex\": \"M\","
    "   \"nationality\": \"VNM\", \"identifiers\": [{\"type\": \"passport\", \"value\": \"C%s\", \"country\": \"VNM\"},"
    "   {\"type\": \"tax_code\", \"value\": \"0101%s\"}]},"
    " \"basis\": {\"reference\": \"%s/TB\", \"reason\": \"tax_debt\"},"
    " \"effective_from\": \"2026-01-16\", \"effective_until\": %s}",
    id, version, status, id, id, id, id, until_json);
  TpEntry *entry = tp_entry_from_json (json, -1, &error);

  g_assert_no_error (error);
  return entry;
}

static GPtrArray *
make_batch (guint first,
            guint n,
            guint version)
{
  GPtrArray *batch = g_ptr_array_new_with_free_func ((GDestroyNotify) tp_entry_free);

  for (guint i = first; i < first + n; i++)
    {
      g_autofree char *id = g_strdup_printf ("E%07u", i);

      g_ptr_array_add (batch, make_entry (id, version, "active", (i % 3) ? "2026-07-16" : NULL));
    }
  return batch;
}

static TpStore *
open_store (Fixture          *f,
            TpStoreOpenFlags  flags)
{
  g_autoptr(TpKeySource) key = tp_key_file_new (f->key);
  g_autoptr(GError) error = NULL;
  TpStore *store = tp_store_open (f->db, key, flags, &error);

  g_assert_no_error (error);
  g_assert_nonnull (store);
  return store;
}

static void
apply (TpStore   *store,
       GPtrArray *batch,
       guint      expect_applied,
       guint      expect_ignored)
{
  g_autoptr(GError) error = NULL;
  TpStoreBatchResult result;

  g_assert_true (tp_store_apply_batch (store, batch, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.applied, ==, expect_applied);
  g_assert_cmpuint (result.ignored, ==, expect_ignored);
  g_assert_cmpuint (result.ignored_indices->len, ==, expect_ignored);
  tp_store_batch_result_clear (&result);
}

static char *
file_checksum (const char *path)
{
  g_autofree char *data = NULL;
  gsize len;

  if (!g_file_get_contents (path, &data, &len, NULL))
    return g_strdup ("missing");
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) data, len);
}

static guint
count_files (const char *dir_path)
{
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  guint n = 0;

  while (g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

static gboolean
count_cb (const TpEntry *entry,
          gpointer       user_data)
{
  (*(guint *) user_data)++;
  return TRUE;
}

static guint
count_current (TpStore *store)
{
  g_autoptr(GError) error = NULL;
  guint n = 0;

  g_assert_true (tp_store_foreach_current (store, count_cb, &n, &error));
  g_assert_no_error (error);
  return n;
}

/* Raw SQL connection with the store's key, as an attacker with the key would have. */
static sqlite3 *
raw_open (const char *db_path,
          const char *key_path)
{
  g_autofree char *hex = NULL;
  g_autofree char *pragma = NULL;
  sqlite3 *db = NULL;

  g_assert_true (g_file_get_contents (key_path, &hex, NULL, NULL));
  g_strstrip (hex);
  pragma = g_strdup_printf ("PRAGMA key = \"x'%s'\"; PRAGMA cipher_compatibility = 3; PRAGMA cipher_page_size = 16384;", hex);
  g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, pragma, NULL, NULL, NULL), ==, SQLITE_OK);
  return db;
}

static void
raw_exec (sqlite3    *db,
          const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

/* Creating and opening */

static void
test_create_open (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(TpStore) store = NULL;
  g_autoptr(GError) error = NULL;
  TpStoreCounts counts;
  g_autofree char *hex = NULL;
  struct stat st;

  store = open_store (f, TP_STORE_OPEN_CREATE);
  g_assert_true (tp_store_get_created (store));
  g_assert_cmpuint (tp_store_get_schema_version (store), ==, TP_STORE_SCHEMA_VERSION);
  g_assert_cmpstr (tp_store_get_path (store), ==, f->db);

  /* the key file was created, owner-only, 64 hex digits */
  g_assert_cmpint (stat (f->key, &st), ==, 0);
  g_assert_cmpuint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpint (st.st_size, ==, 65);
  g_assert_cmpint (stat (f->db, &st), ==, 0);
  g_assert_cmpuint (st.st_mode & 0077, ==, 0);

  g_assert_true (tp_store_get_counts (store, NULL, &counts, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counts.entries, ==, 0);
  hex = tp_state_hash_to_hex (&counts.state_hash);
  g_assert_cmpstr (hex, ==, "0000000000000000000000000000000000000000000000000000000000000000");
  g_clear_object (&store);

  store = open_store (f, TP_STORE_OPEN_NONE);
  g_assert_false (tp_store_get_created (store));
  g_clear_object (&store);

  /* CREATE on an existing store opens it */
  store = open_store (f, TP_STORE_OPEN_CREATE);
  g_assert_false (tp_store_get_created (store));
}

static void
test_not_found (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(TpKeySource) key = tp_key_file_new (f->key);
  g_autoptr(GError) error = NULL;
  g_autoptr(TpStore) store = tp_store_open (f->db, key, TP_STORE_OPEN_NONE, &error);

  g_assert_null (store);
  g_assert_error (error, TP_STORE_ERROR, TP_STORE_ERROR_NOT_FOUND);
  g_assert_false (g_file_test (f->db, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (f->key, G_FILE_TEST_EXISTS));
}

static void
test_no_overwrite (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(TpKeySource) key = tp_key_file_new (f->key);
  g_autoptr(GError) error = NULL;
  g_autoptr(TpStore) store = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  store = open_store (f, TP_STORE_OPEN_CREATE);
  {
    g_autoptr(GPtrArray) batch = make_batch (0, 10, 1);

    apply (store, batch, 10, 0);
  }
  g_clear_object (&store);
  before = file_checksum (f->db);

  store = tp_store_open (f->db, key, TP_STORE_OPEN_CREATE | TP_STORE_OPEN_EXCLUSIVE, &error);
  g_assert_null (store);
  g_assert_error (error, TP_STORE_ERROR, TP_STORE_ERROR_EXISTS);
  after = file_checksum (f->db);
  g_assert_cmpstr (before, ==, after);

  /* and the data is still there */
  store = open_store (f, TP_STORE_OPEN_CREATE);
  g_assert_cmpuint (count_current (store), ==, 10);
}

static void
test_key_file_permissions (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(TpKeySource) key = tp_key_file_new (f->key);
  g_autoptr(GError) error = NULL;
  g_autoptr(TpStore) store = NULL;
  g_autofree char *before = NULL;
  g_autofree char *expected = NULL;
  static const int modes[] = { 0644, 0640, 0604, 0620, 0660, 0666 };

  store = open_store (f, TP_STORE_OPEN_CREATE);
  g_clear_object (&store);
  before = file_checksum (f->db);

  for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
    {
      g_assert_cmpint (chmod (f->key, (mode_t) modes[i]), ==, 0);
      store = tp_store_open (f->db, key, TP_STORE_OPEN_NONE, &error);
      g_assert_null (store);
      g_assert_error (error, TP_KEY_SOURCE_ERROR, TP_KEY_SOURCE_ERROR_PERMISSIONS);
      expected = g_strdup_printf ("run “chmod 600 %s”", f->key);
      g_assert_nonnull (strstr (error->message, expected));
      g_assert_nonnull (strstr (error->message, f->key));
      g_clear_pointer (&expected, g_free);
      g_clear_error (&error);
    }
  {
    g_autofree char *after = file_checksum (f->db);

    g_assert_cmpstr (before, ==, after);
  }

  /* 0400 is fine too */
  g_assert_cmpint (chmod (f->key, 0400), ==, 0);
  store = tp_store_open (f->db, key, TP_STORE_OPEN_NONE, &error);
  g_assert_no_error (error);
  g_clear_object (&store);
  g_assert_cmpint (chmod (f->key, 0600), ==, 0);

  /* a key file belonging to someone else (only root can set that up) */
  if (geteuid () == 0)
    {
      g_assert_cmpint (chown (f->key, 1, 1), ==, 0);
      store = tp_store_open (f->db, key, TP_STORE_OPEN_NONE, &error);
      g_assert_null (store);
      g_assert_error (error, TP_KEY_SOURCE_ERROR, TP_KEY_SOURCE_ERROR_PERMISSIONS);
      g_assert_nonnull (strstr (error->message, "belongs to another user"));
      g_clear_error (&error);
      g_assert_cmpint (chown (f->key, 0, 0), ==, 0);
    }
}

static void
test_key_file_invalid (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(TpKeySource) key = tp_key_file_new (f->key);
  g_autoptr(GError) error = NULL;
  guint8 bytes[TP_KEY_SIZE];
  g_autofree char *description = tp_key_source_describe (key);

  g_assert_nonnull (strstr (description, f->key));

  /* missing, not asked to create */
  g_assert_false (tp_key_source_get_key (key, FALSE, bytes, &error));
  g_assert_error (error, TP_KEY_SOURCE_ERROR, TP_KEY_SOURCE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* not hex */
  g_assert_true (g_file_set_contents_full (f->key, "not a key\n", -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, NULL));
  g_assert_false (tp_key_source_get_key (key, TRUE, bytes, &error));
  g_assert_error (error, TP_KEY_SOURCE_ERROR, TP_KEY_SOURCE_ERROR_INVALID);
  g_clear_error (&error);

  /* too short */
  g_assert_true (g_file_set_contents_full (f->key, "00112233", -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, NULL));
  g_assert_false (tp_key_source_get_key (key, TRUE, bytes, &error));
  g_assert_error (error, TP_KEY_SOURCE_ERROR, TP_KEY_SOURCE_ERROR_INVALID);
  g_clear_error (&error);

  /* good, upper case, no newline */
  g_assert_true (g_file_set_contents_full (f->key, "00112233445566778899AABBCCDDEEFF00112233445566778899aabbccddeeff", -1,
                                           G_FILE_SET_CONTENTS_CONSISTENT, 0600, NULL));
  g_assert_true (tp_key_source_get_key (key, FALSE, bytes, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (bytes[0], ==, 0x00);
  g_assert_cmpuint (bytes[10], ==, 0xaa);
  g_assert_cmpuint (bytes[31], ==, 0xff);
}

static void
test_key_created_random (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *key2_path = g_build_filename (f->dir, "other.key", NULL);
  g_autoptr(TpKeySource) k1 = tp_key_file_new (f->key);
  g_autoptr(TpKeySource) k2 = tp_key_file_new (key2_path);
  guint8 a[TP_KEY_SIZE], b[TP_KEY_SIZE], again[TP_KEY_SIZE];
  g_autoptr(GError) error = NULL;

  g_assert_true (tp_key_source_get_key (k1, TRUE, a, &error));
  g_assert_true (tp_key_source_get_key (k2, TRUE, b, &error));
  g_assert_no_error (error);
  g_assert_true (memcmp (a, b, TP_KEY_SIZE) != 0);
  /* loading gives the same key back, creating again does not replace it */
  g_assert_true (tp_key_source_get_key (k1, TRUE, again, &error));
  g_assert_cmpmem (a, TP_KEY_SIZE, again, TP_KEY_SIZE);
}

static void
test_missing_key_for_existing_store (Fixture       *f,
                                     gconstpointer  data)
{
  g_autoptr(TpKeySource) key = tp_key_file_new (f->key);
  g_autoptr(GError) error = NULL;
  g_autoptr(TpStore) store = open_store (f, TP_STORE_OPEN_CREATE);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  g_clear_object (&store);
  g_assert_cmpint (g_unlink (f->key), ==, 0);
  before = file_checksum (f->db);
  store = tp_store_open (f->db, key, TP_STORE_OPEN_CREATE, &error);
  g_assert_null (store);
  g_assert_error (error, TP_KEY_SOURCE_ERROR, TP_KEY_SOURCE_ERROR_NOT_FOUND);
  /* no new key was made up for an existing store */
  g_assert_false (g_file_test (f->key, G_FILE_TEST_EXISTS));
  after = file_checksum (f->db);
  g_assert_cmpstr (before, ==, after);
}

static void
test_wrong_key (Fixture       *f,
                gconstpointer  data)
{
  static const guint8 other[TP_KEY_SIZE] = { 1, 2, 3, 4, 5, 6, 7, 8, 9 };
  g_autoptr(TpKeySource) wrong = tp_key_memory_new (other);
  g_autoptr(GError) error = NULL;
  g_autoptr(TpStore) store = open_store (f, TP_STORE_OPEN_CREATE);
  g_autoptr(GPtrArray) batch = make_batch (0, 50, 1);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *expected = NULL;
  guint files;

  apply (store, batch, 50, 0);
  g_clear_object (&store);
  before = file_checksum (f->db);
  files = count_files (f->dir);

  for (guint flags = 0; flags < 2; flags++)
    {
      store = tp_store_open (f->db, wrong, flags ? TP_STORE_OPEN_CREATE : TP_STORE_OPEN_NONE, &error);
      g_assert_null (store);
      g_assert_error (error, TP_STORE_ERROR, TP_STORE_ERROR_WRONG_KEY);
      expected = g_strdup_printf ("The store %s cannot be opened with this key: wrong key, or not a Touchpoint store",
                                  f->db);
      g_assert_cmpstr (error->message, ==, expected);
      g_clear_pointer (&expected, g_free);
      g_clear_error (&error);
    }

  after = file_checksum (f->db);
  g_assert_cmpstr (before, ==, after);
  g_assert_cmpuint (count_files (f->dir), ==, files);   /* no -wal, -shm or journal left */

  /* the right key still works */
  store = open_store (f, TP_STORE_OPEN_NONE);
  g_assert_cmpuint (count_current (store), ==, 50);
}

static void
test_not_a_database (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) junk = g_string_new (NULL);
  g_autoptr(TpKeySource) key = tp_key_file_new (f->key);
  g_autoptr(TpStore) store = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  guint32 x = 12345;
  guint8 bytes[TP_KEY_SIZE];

  g_assert_true (tp_key_source_get_key (key, TRUE, bytes, &error));
  for (guint i = 0; i < 20000; i++)
    {
      x = x * 1103515245 + 12345;
      g_string_append_c (junk, (char) (x >> 16));
    }
  g_assert_true (g_file_set_contents (f->db, junk->str, (gssize) junk->len, NULL));
  before = file_checksum (f->db);

  store = tp_store_open (f->db, key, TP_STORE_OPEN_CREATE, &error);
  g_assert_null (store);
  g_assert_error (error, TP_STORE_ERROR, TP_STORE_ERROR_WRONG_KEY);
  after = file_checksum (f->db);
  g_assert_cmpstr (before, ==, after);
  g_clear_error (&error);
  g_clear_pointer (&after, g_free);

  /* a plain text file, and an empty one */
  g_assert_true (g_file_set_contents (f->db, "hello, this is not a database\n", -1, NULL));
  g_clear_pointer (&before, g_free);
  before = file_checksum (f->db);
  store = tp_store_open (f->db, key, TP_STORE_OPEN_CREATE, &error);
  g_assert_error (error, TP_STORE_ERROR, TP_STORE_ERROR_WRONG_KEY);
  g_clear_error (&error);
  after = file_checksum (f->db);
  g_assert_cmpstr (before, ==, after);

  g_assert_true (g_file_set_contents (f->db, "", 0, NULL));
  store = tp_store_open (f->db, key, TP_STORE_OPEN_CREATE, &error);
  g_assert_error (error, TP_STORE_ERROR, TP_STORE_ERROR_WRONG_KEY);
  g_assert_nonnull (strstr (error->message, "empty file"));
  g_assert_true (g_file_test (f->db, G_FILE_TEST_EXISTS));
}

/* A SQLCipher database with the right key that is someone else's. */
static void
test_foreign_database (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(TpKeySource) key = tp_key_file_new (f->key);
  g_autoptr(GError) error = NULL;
  g_autoptr(TpStore) store = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  guint8 bytes[TP_KEY_SIZE];
  sqlite3 *db;

  g_assert_true (tp_key_source_get_key (key, TRUE, bytes, &error));
  db = raw_open (f->db, f->key);
  raw_exec (db, "CREATE TABLE something (a, b); INSERT INTO something VALUES (1, 2);");
  sqlite3_close (db);
  before = file_checksum (f->db);

  store = tp_store_open (f->db, key, TP_STORE_OPEN_CREATE, &error);
  g_assert_null (store);
  g_assert_error (error, TP_STORE_ERROR, TP_STORE_ERROR_WRONG_KEY);
  after = file_checksum (f->db);
  g_assert_cmpstr (before, ==, after);
}

static void
test_migrate_from_v0 (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(TpKeySource) key = tp_key_file_new (f->key);
  g_autoptr(GError) error = NULL;
  g_autoptr(TpStore) store = NULL;
  guint8 bytes[TP_KEY_SIZE];
  sqlite3 *db;
  sqlite3_stmt *stmt;

  /* an empty encrypted database at user_version 0 */
  g_assert_true (tp_key_source_get_key (key, TRUE, bytes, &error));
  db = raw_open (f->db, f->key);
  raw_exec (db, "CREATE TABLE t (a); DROP TABLE t;");
  sqlite3_close (db);

  store = tp_store_open (f->db, key, TP_STORE_OPEN_NONE, &error);
  g_assert_no_error (error);
  g_assert_false (tp_store_get_created (store));
  g_assert_cmpuint (tp_store_get_schema_version (store), ==, TP_STORE_SCHEMA_VERSION);
  {
    g_autoptr(GPtrArray) batch = make_batch (0, 5, 1);

    apply (store, batch, 5, 0);
  }
  g_clear_object (&store);

  db = raw_open (f->db, f->key);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, TP_STORE_SCHEMA_VERSION);
  sqlite3_finalize (stmt);

  /* a store from the future is refused */
  raw_exec (db, "PRAGMA user_version = 99");
  sqlite3_close (db);
  store = tp_store_open (f->db, key, TP_STORE_OPEN_NONE, &error);
  g_assert_null (store);
  g_assert_error (error, TP_STORE_ERROR, TP_STORE_ERROR_TOO_NEW);
}

/* Lifecycle: impose, extend, cancel; stale versions ignored */

static gboolean
find_cb (const TpEntry *entry,
         gpointer       user_data)
{
  TpEntry **out = user_data;

  if (g_str_equal (entry->id, "EB-1"))
    {
      *out = tp_entry_copy (entry);
      return FALSE;
    }
  return TRUE;
}

static TpEntry *
current_of_eb1 (TpStore *store)
{
  g_autoptr(GError) error = NULL;
  TpEntry *found = NULL;

  g_assert_true (tp_store_foreach_current (store, find_cb, &found, &error));
  g_assert_no_error (error);
  return found;
}

static void
test_lifecycle (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(TpStore) store = open_store (f, TP_STORE_OPEN_CREATE);
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func ((GDestroyNotify) tp_entry_free);
  g_autoptr(GPtrArray) versions = NULL;
  g_autoptr(TpEntry) current = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDate) april = g_date_new_dmy (1, 4, 2026);
  g_autoptr(GDate) september = g_date_new_dmy (1, 9, 2026);
  TpStoreBatchResult result;
  TpStoreCounts counts;

  /* impose */
  g_ptr_array_add (batch, make_entry ("EB-1", 1, "active", "2026-07-16"));
  apply (store, batch, 1, 0);
  current = current_of_eb1 (store);
  g_assert_cmpuint (current->version, ==, 1);
  g_assert_true (tp_entry_is_effective (current, april));
  g_assert_false (tp_entry_is_effective (current, september));
  g_clear_pointer (&current, tp_entry_free);

  /* extend */
  g_ptr_array_set_size (batch, 0);
  g_ptr_array_add (batch, make_entry ("EB-1", 2, "active", "2026-12-31"));
  apply (store, batch, 1, 0);
  current = current_of_eb1 (store);
  g_assert_cmpuint (current->version, ==, 2);
  g_assert_true (tp_entry_is_effective (current, september));
  g_clear_pointer (&current, tp_entry_free);

  /* cancel, and in the same batch a stale version 1, an exact repeat of
   * 3 (ignored) and a version 3 with other content (a conflict) */
  g_ptr_array_set_size (batch, 0);
  g_ptr_array_add (batch, make_entry ("EB-1", 3, "cancelled", "2026-12-31"));
  g_ptr_array_add (batch, make_entry ("EB-1", 1, "active", "2026-07-16"));
  g_ptr_array_add (batch, make_entry ("EB-1", 3, "cancelled", "2026-12-31"));
  g_ptr_array_add (batch, make_entry ("EB-1", 3, "active", NULL));
  g_assert_true (tp_store_apply_batch (store, batch, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.applied, ==, 1);
  g_assert_cmpuint (result.ignored, ==, 2);
  g_assert_cmpuint (result.ignored_indices->len, ==, 2);
  g_assert_cmpuint (g_array_index (result.ignored_indices, guint, 0), ==, 1);
  g_assert_cmpuint (g_array_index (result.ignored_indices, guint, 1), ==, 2);
  g_assert_cmpuint (g_array_index (result.ignored_current, guint, 0), ==, 3);
  g_assert_cmpuint (result.conflicts, ==, 1);
  g_assert_cmpuint (result.conflict_indices->len, ==, 1);
  g_assert_cmpuint (g_array_index (result.conflict_indices, guint, 0), ==, 3);
  g_assert_cmpuint (strlen (result.state_hash), ==, 64);
  tp_store_batch_result_clear (&result);

  current = current_of_eb1 (store);
  g_assert_cmpuint (current->version, ==, 3);
  g_assert_cmpint (current->status, ==, TP_ENTRY_CANCELLED);
  g_assert_false (tp_entry_is_effective (current, april));
  /* everything the decoder gave is there, basis included */
  g_assert_cmpstr (current->full_name, ==, "Nguyễn Văn EB-1");
  g_assert_cmpstr (current->basis_reference, ==, "EB-1/TB");
  g_assert_cmpuint (current->identifiers->len, ==, 2);

  /* the full history, oldest first */
  versions = tp_store_get_entry (store, "EB-1", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (versions->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpuint (((TpEntry *) g_ptr_array_index (versions, i))->version, ==, i + 1);
  {
    /* the current row decodes to exactly the stored canonical JSON */
    g_autofree char *a = tp_entry_to_json (current);
    g_autofree char *b = tp_entry_to_json (g_ptr_array_index (versions, 2));

    g_assert_cmpstr (a, ==, b);
  }
  g_clear_pointer (&versions, g_ptr_array_unref);
  versions = tp_store_get_entry (store, "NOPE", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (versions->len, ==, 0);

  g_assert_true (tp_store_get_counts (store, april, &counts, &error));
  g_assert_cmpuint (counts.entries, ==, 1);
  g_assert_cmpuint (counts.versions, ==, 3);
  g_assert_cmpuint (counts.by_status[TP_ENTRY_CANCELLED], ==, 1);
  g_assert_cmpuint (counts.effective, ==, 0);
}

/* The current version sent again: the same content is a repeat (ignored,
 * nothing changes), other content a conflict (not applied, reported) */
static void
test_conflicts (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(TpStore) store = open_store (f, TP_STORE_OPEN_CREATE);
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func ((GDestroyNotify) tp_entry_free);
  g_autoptr(GPtrArray) versions = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(TpEntry) current = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *stored_json = NULL;
  TpStateHash before, after, recomputed;
  TpStoreBatchResult result;

  g_ptr_array_add (batch, make_entry ("EB-1", 1, "active", "2026-07-16"));
  g_ptr_array_add (batch, make_entry ("EB-1", 2, "active", "2026-12-31"));
  g_ptr_array_add (batch, make_entry ("EB-2", 1, "active", NULL));
  apply (store, batch, 3, 0);
  g_assert_true (tp_store_get_state_hash (store, &before, &error));
  current = current_of_eb1 (store);
  stored_json = tp_entry_to_json (current);
  g_clear_pointer (&current, tp_entry_free);

  /* the same lines again: all ignored (idempotent), no conflict */
  g_assert_true (tp_store_apply_batch (store, batch, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.applied, ==, 0);
  g_assert_cmpuint (result.ignored, ==, 3);
  g_assert_cmpuint (result.conflicts, ==, 0);
  g_assert_cmpuint (result.conflict_indices->len, ==, 0);
  tp_store_batch_result_clear (&result);

  /* version 2 of EB-1 with other content, between a new EB-3 and a stale
   * version 1 of EB-1 with other content too (older: ignored) */
  g_ptr_array_set_size (batch, 0);
  g_ptr_array_add (batch, make_entry ("EB-3", 1, "active", NULL));
  g_ptr_array_add (batch, make_entry ("EB-1", 2, "cancelled", "2026-12-31"));
  g_ptr_array_add (batch, make_entry ("EB-1", 1, "cancelled", NULL));
  g_assert_true (tp_store_apply_batch (store, batch, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.applied, ==, 1);
  g_assert_cmpuint (result.conflicts, ==, 1);
  g_assert_cmpuint (g_array_index (result.conflict_indices, guint, 0), ==, 1);
  g_assert_cmpuint (result.ignored, ==, 1);
  g_assert_cmpuint (g_array_index (result.ignored_indices, guint, 0), ==, 2);
  g_assert_cmpuint (g_array_index (result.ignored_current, guint, 0), ==, 2);
  tp_store_batch_result_clear (&result);

  /* the stored version stays, and the state hash moved by EB-3 only */
  current = current_of_eb1 (store);
  {
    g_autofree char *json = tp_entry_to_json (current);

    g_assert_cmpstr (json, ==, stored_json);
    g_assert_cmpint (current->status, ==, TP_ENTRY_ACTIVE);
  }
  versions = tp_store_get_entry (store, "EB-1", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (versions->len, ==, 2);
  g_assert_true (tp_store_get_state_hash (store, &after, &error));
  g_assert_true (tp_store_compute_state_hash (store, &recomputed, &error));
  g_assert_true (memcmp (&after, &recomputed, sizeof after) == 0);
  g_assert_false (memcmp (&after, &before, sizeof after) == 0);

  /* the batch's audit record counts the conflict */
  records = tp_audit_log_list (store, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (records->len, ==, 3);
  g_assert_nonnull (strstr (((TpAuditRecord *) g_ptr_array_index (records, 2))->details,
                            "\"applied\":1,\"conflicts\":1,\"ignored\":1,"));
  g_assert_null (strstr (((TpAuditRecord *) g_ptr_array_index (records, 1))->details, "conflicts"));

  /* a batch of only a conflict still applies (nothing) and reports it */
  g_ptr_array_set_size (batch, 0);
  g_ptr_array_add (batch, make_entry ("EB-2", 1, "cancelled", NULL));
  g_assert_true (tp_store_apply_batch (store, batch, &result, &error));
  g_assert_cmpuint (result.applied, ==, 0);
  g_assert_cmpuint (result.conflicts, ==, 1);
  g_assert_cmpuint (result.ignored, ==, 0);
  tp_store_batch_result_clear (&result);
  g_assert_null (result.conflict_indices);
}

static void
test_counts (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(TpStore) store = open_store (f, TP_STORE_OPEN_CREATE);
  g_autoptr(GPtrArray) batch = make_batch (0, 30, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDate) april = g_date_new_dmy (1, 4, 2026);
  g_autoptr(GDate) september = g_date_new_dmy (1, 9, 2026);
  g_autoptr(GDate) early = g_date_new_dmy (1, 1, 2026);
  TpStoreCounts counts;

  ((TpEntry *) g_ptr_array_index (batch, 0))->list = TP_LIST_WATCH;
  ((TpEntry *) g_ptr_array_index (batch, 1))->status = TP_ENTRY_CANCELLED;
  apply (store, batch, 30, 0);

  g_assert_true (tp_store_get_counts (store, april, &counts, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counts.entries, ==, 30);
  g_assert_cmpuint (counts.by_list[TP_LIST_WATCH], ==, 1);
  g_assert_cmpuint (counts.by_list[TP_LIST_EXIT_BAN], ==, 29);
  g_assert_cmpuint (counts.by_status[TP_ENTRY_ACTIVE], ==, 29);
  g_assert_cmpuint (counts.effective, ==, 29);
  g_assert_cmpuint (counts.effective_by_list[TP_LIST_WATCH], ==, 1);
  g_assert_cmpuint (counts.audit_records, ==, 1);

  /* in September only the open-ended ones (every third; 0 is the watch entry) */
  g_assert_true (tp_store_get_counts (store, september, &counts, &error));
  g_assert_cmpuint (counts.effective, ==, 10);
  g_assert_true (tp_store_get_counts (store, early, &counts, &error));
  g_assert_cmpuint (counts.effective, ==, 0);
}

/* The state hash: incremental == recomputed */

static gboolean
hash_cb (const TpEntry *entry,
         gpointer       user_data)
{
  tp_state_hash_add_entry (user_data, entry);
  return TRUE;
}

static void
test_state_hash (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(TpStore) store = open_store (f, TP_STORE_OPEN_CREATE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) latest = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) tp_entry_free);
  TpStateHash recorded, recomputed, from_rows, expected;
  GHashTableIter iter;
  gpointer value;
  char hex[TP_STATE_HASH_HEX_LEN + 1];

  for (guint round = 0; round < 5; round++)
    {
      g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func ((GDestroyNotify) tp_entry_free);
      TpStoreBatchResult result;

      /* new ids, new versions of old ids, stale versions */
      for (guint i = 0; i < 40; i++)
        {
          guint n = round * 25 + i;
          g_autofree char *id = g_strdup_printf ("ID-%u", n);
          const TpEntry *old = g_hash_table_lookup (latest, id);
          guint version = old ? old->version + (i % 2) : 1;
          TpEntry *e = make_entry (id, version, (i % 7 == 0) ? "cancelled" : "active", NULL);

          g_ptr_array_add (batch, e);
          if (old == NULL || version > old->version)
            {
              TpEntry *copy = tp_entry_copy (e);

              g_hash_table_replace (latest, copy->id, copy);
            }
        }
      g_assert_true (tp_store_apply_batch (store, batch, &result, &error));
      g_assert_no_error (error);

      g_assert_true (tp_store_get_state_hash (store, &recorded, &error));
      g_assert_true (tp_store_compute_state_hash (store, &recomputed, &error));
      g_assert_no_error (error);
      tp_state_hash_init (&from_rows);
      g_assert_true (tp_store_foreach_current (store, hash_cb, &from_rows, &error));
      tp_state_hash_init (&expected);
      g_hash_table_iter_init (&iter, latest);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        tp_state_hash_add_entry (&expected, value);

      g_assert_true (tp_state_hash_equal (&recorded, &expected));
      g_assert_true (tp_state_hash_equal (&recomputed, &expected));
      g_assert_true (tp_state_hash_equal (&from_rows, &expected));
      tp_state_hash_to_hex_buf (&expected, hex);
      g_assert_cmpstr (result.state_hash, ==, hex);
      tp_store_batch_result_clear (&result);
    }

  /* and it survives closing */
  g_clear_object (&store);
  store = open_store (f, TP_STORE_OPEN_NONE);
  g_assert_true (tp_store_get_state_hash (store, &recorded, &error));
  g_assert_true (tp_state_hash_equal (&recorded, &expected));
}

/* A writer killed in the middle of a batch leaves the store as it was */

typedef struct {
  int   fd;
  guint at;
} KillHook;

static void
kill_hook (TpStore  *store,
           guint     index,
           gpointer  user_data)
{
  KillHook *hook = user_data;

  if (index == hook->at)
    {
      char c = 'x';

      /* the transaction is open and has written pages: tell the parent, wait to die */
      if (write (hook->fd, &c, 1) != 1)
        _exit (3);
      for (;;)
        pause ();
    }
}

static void
test_killed_batch (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(TpStore) store = open_store (f, TP_STORE_OPEN_CREATE);
  g_autoptr(GError) error = NULL;
  TpStoreCounts before, after;
  TpAuditVerification verification;
  TpStateHash recomputed;
  g_autofree char *wal = g_strconcat (f->db, "-wal", NULL);
  int fds[2];
  pid_t pid;
  int status;
  char c;

  {
    g_autoptr(GPtrArray) batch = make_batch (0, 1000, 1);

    apply (store, batch, 1000, 0);
  }
  g_assert_true (tp_store_get_counts (store, NULL, &before, &error));
  g_clear_object (&store);

  g_assert_cmpint (pipe (fds), ==, 0);
  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      /* child: a big batch (new ids and new versions of old ones), with a
       * tiny page cache so that pages spill to the WAL before the commit */
      g_autoptr(GPtrArray) batch = make_batch (500, 20000, 2);
      KillHook hook = { fds[1], 15000 };
      TpStoreBatchResult result;
      TpStore *child = open_store (f, TP_STORE_OPEN_NONE);

      close (fds[0]);
      _tp_store_exec (child, "PRAGMA cache_size = 10", NULL);
      _tp_store_set_entry_hook (child, kill_hook, &hook);
      tp_store_apply_batch (child, batch, &result, NULL);
      _exit (4);   /* not reached */
    }
  close (fds[1]);
  g_assert_cmpint (read (fds[0], &c, 1), ==, 1);
  close (fds[0]);
  {
    struct stat st;

    /* the batch had reached the disk, uncommitted */
    g_assert_cmpint (stat (wal, &st), ==, 0);
    g_assert_cmpint (st.st_size, >, 1024 * 1024);
  }
  g_assert_cmpint (kill (pid, SIGKILL), ==, 0);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFSIGNALED (status) && WTERMSIG (status) == SIGKILL);

  store = open_store (f, TP_STORE_OPEN_NONE);
  g_assert_true (tp_store_check_integrity (store, &error));
  g_assert_no_error (error);
  g_assert_true (tp_store_get_counts (store, NULL, &after, &error));
  g_assert_cmpuint (after.entries, ==, before.entries);
  g_assert_cmpuint (after.versions, ==, before.versions);
  g_assert_cmpuint (after.audit_records, ==, before.audit_records);
  g_assert_true (tp_state_hash_equal (&after.state_hash, &before.state_hash));
  g_assert_true (tp_store_compute_state_hash (store, &recomputed, &error));
  g_assert_true (tp_state_hash_equal (&recomputed, &before.state_hash));
  g_assert_cmpuint (count_current (store), ==, 1000);
  g_assert_true (tp_audit_log_verify (store, &verification, &error));
  g_assert_true (verification.valid);
  tp_audit_verification_clear (&verification);

  /* and the store takes the batch afterwards */
  {
    g_autoptr(GPtrArray) batch = make_batch (500, 2000, 2);

    apply (store, batch, 2000, 0);
  }
  g_assert_cmpuint (count_current (store), ==, 2500);
}

/* Readers never see half a batch */

#define READER_BATCHES    25
#define READER_BATCH_SIZE 200

typedef struct {
  Fixture      *f;
  TpStateHash   expected[READER_BATCHES + 1];
  gint          done;
  guint         reads;
  guint         distinct;
} ConcurrentData;

static gpointer
writer_thread (gpointer user_data)
{
  ConcurrentData *d = user_data;
  g_autoptr(TpStore) store = open_store (d->f, TP_STORE_OPEN_NONE);

  for (guint b = 0; b < READER_BATCHES; b++)
    {
      g_autoptr(GPtrArray) batch = make_batch (b * READER_BATCH_SIZE, READER_BATCH_SIZE, 1);

      apply (store, batch, READER_BATCH_SIZE, 0);
      g_usleep (2000);
    }
  g_atomic_int_set (&d->done, 1);
  return NULL;
}

static gpointer
reader_thread (gpointer user_data)
{
  ConcurrentData *d = user_data;
  g_autoptr(TpStore) store = open_store (d->f, TP_STORE_OPEN_NONE);
  guint64 last = G_MAXUINT64;

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      gboolean finished = g_atomic_int_get (&d->done);
      TpStoreCounts counts;
      guint n = 0;

      g_assert_true (tp_store_get_counts (store, NULL, &counts, &error));
      g_assert_no_error (error);
      if (counts.entries % READER_BATCH_SIZE != 0)
        g_error ("a reader saw %" G_GUINT64_FORMAT " entries: half a batch", counts.entries);
      g_assert_true (tp_state_hash_equal (&counts.state_hash, &d->expected[counts.entries / READER_BATCH_SIZE]));
      g_assert_cmpuint (counts.audit_records, ==, counts.entries / READER_BATCH_SIZE);
      g_assert_true (tp_store_foreach_current (store, count_cb, &n, &error));
      g_assert_cmpuint (n % READER_BATCH_SIZE, ==, 0);
      d->reads++;
      if (counts.entries != last)
        d->distinct++;
      last = counts.entries;
      if (finished)
        break;
    }
  g_assert_cmpuint (last, ==, READER_BATCHES * READER_BATCH_SIZE);
  return NULL;
}

static void
test_concurrent_reader (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(TpStore) store = open_store (f, TP_STORE_OPEN_CREATE);
  ConcurrentData d = { f, };
  GThread *writer, *reader;

  g_clear_object (&store);
  tp_state_hash_init (&d.expected[0]);
  for (guint b = 0; b < READER_BATCHES; b++)
    {
      g_autoptr(GPtrArray) batch = make_batch (b * READER_BATCH_SIZE, READER_BATCH_SIZE, 1);

      d.expected[b + 1] = d.expected[b];
      for (guint i = 0; i < batch->len; i++)
        tp_state_hash_add_entry (&d.expected[b + 1], g_ptr_array_index (batch, i));
    }

  reader = g_thread_new ("reader", reader_thread, &d);
  writer = g_thread_new ("writer", writer_thread, &d);
  g_thread_join (writer);
  g_thread_join (reader);
  g_test_message ("%u reads, %u distinct states seen", d.reads, d.distinct);
  g_assert_cmpuint (d.distinct, >, 2);
}

/* Clearances */

static void
test_clearances (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(TpStore) store = open_store (f, TP_STORE_OPEN_CREATE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  TpClearance c = { (char *) "VNM:C1234567", (char *) "EB-1", 2, (char *) "sup.lan", (char *) "different person, checked DOB",
                    1790000000, 1790086400 };
  TpClearance c2 = { (char *) "VNM:B7654321", (char *) "EB-9", 1, (char *) "sup.minh", (char *) "namesake", 1790000000, 0 };
  TpAuditVerification v;
  const TpClearance *got;

  g_assert_true (tp_store_add_clearance (store, &c, &error));
  g_assert_no_error (error);
  g_assert_true (tp_store_add_clearance (store, &c2, &error));

  list = tp_store_list_clearances (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 2);
  got = g_ptr_array_index (list, 1);
  g_assert_cmpstr (got->document_key, ==, "VNM:C1234567");
  g_assert_cmpstr (got->entry_id, ==, "EB-1");
  g_assert_cmpuint (got->entry_version, ==, 2);
  g_assert_cmpstr (got->cleared_by, ==, "sup.lan");
  g_assert_cmpstr (got->reason, ==, "different person, checked DOB");
  g_assert_cmpint (got->cleared_at, ==, 1790000000);
  g_assert_cmpint (got->expires_at, ==, 1790086400);
  g_clear_pointer (&list, g_ptr_array_unref);

  /* the same pair cleared again (for a later version) replaces it */
  c.entry_version = 3;
  g_assert_true (tp_store_add_clearance (store, &c, &error));
  list = tp_store_list_clearances (store, &error);
  g_assert_cmpuint (list->len, ==, 2);
  g_assert_cmpuint (((TpClearance *) g_ptr_array_index (list, 1))->entry_version, ==, 3);
  g_clear_pointer (&list, g_ptr_array_unref);

  /* copies */
  {
    g_autoptr(TpClearance) copy = tp_clearance_copy (&c);

    g_assert_cmpstr (copy->reason, ==, c.reason);
  }

  /* expired ones go when pruned; the one that never expires stays */
  g_assert_cmpint (tp_store_prune_clearances (store, 1790086401, &error), ==, 1);
  list = tp_store_list_clearances (store, &error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpstr (((TpClearance *) g_ptr_array_index (list, 0))->entry_id, ==, "EB-9");

  /* refused: no reason; expiring before given */
  c.reason = (char *) "";
  g_assert_false (tp_store_add_clearance (store, &c, &error));
  g_assert_error (error, TP_STORE_ERROR, TP_STORE_ERROR_INVALID);
  g_clear_error (&error);
  c.reason = (char *) "ok";
  c.expires_at = c.cleared_at - 1;
  g_assert_false (tp_store_add_clearance (store, &c, &error));
  g_assert_error (error, TP_STORE_ERROR, TP_STORE_ERROR_INVALID);
  g_clear_error (&error);

  /* each clearance is in the audit log */
  g_assert_true (tp_audit_log_verify (store, &v, &error));
  g_assert_true (v.valid);
  g_assert_cmpuint (v.records, ==, 3);
  tp_audit_verification_clear (&v);
}

/* Feed position and values */

static void
test_feed_position (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(TpStore) store = open_store (f, TP_STORE_OPEN_CREATE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) batch = make_batch (0, 10, 1);
  g_autofree char *value = NULL;
  TpFeedPosition pos = { 0, };
  TpFeedPosition set = { 42, (char *) "abcdef", 1790000000, 1790003600, 1790000005 };
  TpStoreBatchResult result;

  g_assert_true (tp_store_get_feed_position (store, &pos, &error));
  g_assert_no_error (error);
  g_assert_cmpint (pos.sequence, ==, 0);
  g_assert_null (pos.head_hash);

  g_assert_true (tp_store_set_feed_position (store, &set, &error));
  g_assert_true (tp_store_get_feed_position (store, &pos, &error));
  g_assert_cmpint (pos.sequence, ==, 42);
  g_assert_cmpstr (pos.head_hash, ==, "abcdef");
  g_assert_cmpint (pos.head_issued_at, ==, 1790000000);
  g_assert_cmpint (pos.head_expires_at, ==, 1790003600);
  g_assert_cmpint (pos.updated_at, ==, 1790000005);
  tp_feed_position_clear (&pos);

  /* with a batch, in the same transaction */
  set.sequence = 43;
  g_assert_true (tp_store_apply_batch_full (store, batch, &set, "sync", &result, &error));
  g_assert_no_error (error);
  tp_store_batch_result_clear (&result);
  g_assert_true (tp_store_get_feed_position (store, &pos, &error));
  g_assert_cmpint (pos.sequence, ==, 43);
  tp_feed_position_clear (&pos);

  g_assert_true (tp_store_set_value (store, "ui.lock_after", "120", &error));
  value = tp_store_get_value (store, "ui.lock_after", &error);
  g_assert_cmpstr (value, ==, "120");
  g_clear_pointer (&value, g_free);
  value = tp_store_get_value (store, "missing", &error);
  g_assert_no_error (error);
  g_assert_null (value);
  g_assert_false (tp_store_set_value (store, "tp.state_hash", "0", &error));
  g_assert_error (error, TP_STORE_ERROR, TP_STORE_ERROR_INVALID);
}

static void
test_invalid_batch (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(TpStore) store = open_store (f, TP_STORE_OPEN_CREATE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) batch = make_batch (0, 3, 1);
  TpStoreBatchResult result;
  TpIdentifier *id;

  /* an identifier the compact column cannot hold: the whole batch is refused */
  id = g_ptr_array_index (((TpEntry *) g_ptr_array_index (batch, 2))->identifiers, 0);
  g_free (id->value);
  id->value = g_strdup ("A;B");
  g_assert_false (tp_store_apply_batch (store, batch, &result, &error));
  g_assert_error (error, TP_STORE_ERROR, TP_STORE_ERROR_INVALID);
  g_assert_cmpuint (result.applied, ==, 0);
  tp_store_batch_result_clear (&result);
  g_assert_cmpuint (count_current (store), ==, 0);
}

/* A German national as the MRZ prints it: nationality and identifier
 * country D, one letter, kept through the store. */
static void
test_one_letter_country (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(TpStore) store = open_store (f, TP_STORE_OPEN_CREATE);
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func ((GDestroyNotify) tp_entry_free);
  g_autoptr(TpEntry) found = NULL;
  g_autoptr(GError) error = NULL;
  TpEntry *entry = tp_entry_from_json (
    "{\"id\": \"EB-1\", \"version\": 1, \"list\": \"exit_ban\", \"status\": \"active\","
    " \"agency\": \"customs\", \"action\": \"deny_exit\", \"effective_from\": \"2026-01-16\","
    " \"person\": {\"full_name\": \"Erika Mustermann\", \"nationality\": \"D\","
    "   \"identifiers\": [{\"type\": \"passport\", \"value\": \"C01X00T47\", \"country\": \"D\"}]}}",
    -1, &error);
  const TpIdentifier *id;
  TpIdentifier *changed;
  TpStoreBatchResult result;

  g_assert_no_error (error);
  g_ptr_array_add (batch, entry);
  apply (store, batch, 1, 0);
  found = current_of_eb1 (store);
  g_assert_nonnull (found);
  g_assert_cmpstr (found->nationality, ==, "D");
  id = g_ptr_array_index (found->identifiers, 0);
  g_assert_cmpstr (id->country, ==, "D");

  /* A country outside the table is refused like any identifier the store cannot hold */
  changed = g_ptr_array_index (entry->identifiers, 0);
  g_free (changed->country);
  changed->country = g_strdup ("ZZ");
  g_assert_false (tp_store_apply_batch (store, batch, &result, &error));
  g_assert_error (error, TP_STORE_ERROR, TP_STORE_ERROR_INVALID);
  tp_store_batch_result_clear (&result);
}

/* Audit log */

static void
test_audit_chain (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(TpStore) store = open_store (f, TP_STORE_OPEN_CREATE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autofree char *head = NULL;
  TpAuditVerification v;
  gint64 seq = 0;

  /* empty log is valid, and has no head */
  g_assert_true (tp_audit_log_verify (store, &v, &error));
  g_assert_true (v.valid);
  g_assert_cmpuint (v.records, ==, 0);
  tp_audit_verification_clear (&v);
  g_assert_true (tp_audit_log_get_head (store, &seq, &head, &error));
  g_assert_no_error (error);
  g_assert_cmpint (seq, ==, 0);
  g_assert_null (head);

  for (guint i = 0; i < 10; i++)
    {
      g_autoptr(JsonNode) details = json_from_string ("{\"verdict\": \"STOP\", \"notice\": \"N-1\", \"n\": 1.5,"
                                                      " \"list\": [1, true, null], \"name\": \"Đức \\\"x\\\"\"}", NULL);
      g_autofree char *subject = g_strdup_printf ("case-%u", i);

      g_assert_true (tp_audit_log_append (store, "officer.an", "case.decision", subject, details, &seq, &error));
      g_assert_no_error (error);
      g_assert_cmpint (seq, ==, i + 1);
    }
  g_assert_true (tp_audit_log_append (store, "system", "login", NULL, NULL, &seq, &error));

  g_assert_true (tp_audit_log_verify (store, &v, &error));
  g_assert_true (v.valid);
  g_assert_cmpuint (v.records, ==, 11);
  tp_audit_verification_clear (&v);

  records = tp_audit_log_list (store, 8, 2, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (records->len, ==, 2);
  {
    TpAuditRecord *r = g_ptr_array_index (records, 0);
    TpAuditRecord *r2 = g_ptr_array_index (records, 1);

    g_assert_cmpint (r->seq, ==, 9);
    g_assert_cmpstr (r->actor, ==, "officer.an");
    g_assert_cmpstr (r->subject, ==, "case-8");
    g_assert_cmpstr (r->details, ==,
                     "{\"list\":[1,true,null],\"n\":1.5,\"name\":\"Đức \\\"x\\\"\",\"notice\":\"N-1\",\"verdict\":\"STOP\"}");
    g_assert_cmpstr (r2->prev_hash, ==, r->hash);
  }
  g_clear_pointer (&records, g_ptr_array_unref);
  records = tp_audit_log_list (store, 0, 0, &error);
  g_assert_cmpuint (records->len, ==, 11);
  g_assert_cmpstr (((TpAuditRecord *) g_ptr_array_index (records, 0))->prev_hash, ==,
                   "0000000000000000000000000000000000000000000000000000000000000000");

  /* the head is the last record: what a shift's reconciliation sends the hub */
  g_assert_true (tp_audit_log_get_head (store, &seq, &head, &error));
  g_assert_no_error (error);
  g_assert_cmpint (seq, ==, 11);
  g_assert_cmpstr (head, ==, ((TpAuditRecord *) g_ptr_array_index (records, 10))->hash);
}

static void
expect_broken (TpStore    *store,
               gint64      first_broken,
               const char *reason_part)
{
  g_autoptr(GError) error = NULL;
  TpAuditVerification v;

  g_assert_true (tp_audit_log_verify (store, &v, &error));
  g_assert_no_error (error);
  g_assert_false (v.valid);
  g_assert_cmpint (v.first_broken, ==, first_broken);
  if (strstr (v.reason, reason_part) == NULL)
    g_error ("reason “%s” does not say “%s”", v.reason, reason_part);
  tp_audit_verification_clear (&v);
}

static void
test_audit_tamper (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(TpStore) store = open_store (f, TP_STORE_OPEN_CREATE);
  g_autoptr(GError) error = NULL;
  sqlite3 *raw;

  for (guint i = 0; i < 6; i++)
    {
      g_autoptr(GPtrArray) batch = make_batch (i * 10, 10, 1);

      apply (store, batch, 10, 0);
    }

  /* edit a field of record 3 through another connection holding the key */
  raw = raw_open (f->db, f->key);
  {
    sqlite3_stmt *stmt;
    g_autofree char *actor = NULL;
    char *restore;
    TpAuditVerification v;

    g_assert_cmpint (sqlite3_prepare_v2 (raw, "SELECT actor FROM audit_log WHERE seq = 3", -1, &stmt, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    actor = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
    sqlite3_finalize (stmt);

    raw_exec (raw, "UPDATE audit_log SET actor = 'mallory' WHERE seq = 3");
    expect_broken (store, 3, "record 3 was altered");

    /* put back exactly as it was, the chain holds again */
    restore = sqlite3_mprintf ("UPDATE audit_log SET actor = %Q WHERE seq = 3", actor);
    raw_exec (raw, restore);
    sqlite3_free (restore);
    g_assert_true (tp_audit_log_verify (store, &v, &error));
    g_assert_true (v.valid);
    g_assert_cmpuint (v.records, ==, 6);
    tp_audit_verification_clear (&v);
  }
  sqlite3_close (raw);
}

static void
test_audit_tamper_kinds (Fixture       *f,
                         gconstpointer  data)
{
  static const struct {
    const char *sql;
    gint64      first_broken;
    const char *reason;
  } cases[] = {
    { "UPDATE audit_log SET details = '{\"applied\":0}' WHERE seq = 2", 2, "altered" },
    { "UPDATE audit_log SET time_us = time_us + 1 WHERE seq = 4", 4, "altered" },
    { "UPDATE audit_log SET subject = 'x' WHERE seq = 1", 1, "altered" },
    { "DELETE FROM audit_log WHERE seq = 3", 3, "missing" },
    { "DELETE FROM audit_log WHERE seq >= 5", 5, "removed" },
    { "UPDATE audit_log SET prev_hash = hash WHERE seq = 2", 2, "does not follow" },
    { "UPDATE audit_log SET hash = '00' WHERE seq = 6", 6, "altered" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(TpStore) store = NULL;
      g_autoptr(GError) error = NULL;
      TpAuditVerification v;
      sqlite3 *raw;

      g_unlink (f->db);
      g_unlink (f->key);
      store = open_store (f, TP_STORE_OPEN_CREATE);
      for (guint b = 0; b < 6; b++)
        {
          g_autoptr(GPtrArray) batch = make_batch (b * 5, 5, 1);

          apply (store, batch, 5, 0);
        }
      g_assert_true (tp_audit_log_verify (store, &v, &error));
      g_assert_true (v.valid);
      g_assert_cmpuint (v.records, ==, 6);
      tp_audit_verification_clear (&v);

      raw = raw_open (f->db, f->key);
      raw_exec (raw, cases[i].sql);
      sqlite3_close (raw);
      expect_broken (store, cases[i].first_broken, cases[i].reason);
      g_clear_object (&store);
    }
}

/* A store of schema version 1 gains the boarding-pass table */
static void
test_migrate_from_v1 (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(TpStore) store = open_store (f, TP_STORE_OPEN_CREATE);
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  sqlite3 *db;

  g_clear_object (&store);
  db = raw_open (f->db, f->key);
  raw_exec (db, "DROP TABLE boarding_pass; DROP TABLE outbox; DROP TABLE shift; "
                "DELETE FROM meta WHERE key = 'tp.entries'; PRAGMA user_version = 1;");
  sqlite3_close (db);

  store = open_store (f, TP_STORE_OPEN_NONE);
  g_assert_cmpuint (tp_store_get_schema_version (store), ==, TP_STORE_SCHEMA_VERSION);
  g_assert_true (tp_store_use_boarding_pass (store, "VN 0310 2026-12-06 HAN 0042", "HAN-T2", "2026-12-06",
                                             "case-1", 1, &first, &error));
  g_assert_no_error (error);
  g_assert_null (first);
}

static void
test_boarding_passes (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(TpStore) store = open_store (f, TP_STORE_OPEN_CREATE);
  g_autoptr(GError) error = NULL;
  const char *pass = "VN 0310 2026-12-06 HAN 0042";
  char *first = NULL;

  g_assert_true (tp_store_use_boarding_pass (store, pass, "HAN-T2", "2026-12-06", "case-1", 100, &first, &error));
  g_assert_no_error (error);
  g_assert_null (first);
  /* the same case again, then another case: the first case is named */
  g_assert_true (tp_store_use_boarding_pass (store, pass, "HAN-T2", "2026-12-06", "case-1", 101, &first, &error));
  g_assert_cmpstr (first, ==, "case-1");
  g_clear_pointer (&first, g_free);
  g_assert_true (tp_store_use_boarding_pass (store, pass, "HAN-T2", "2026-12-06", "case-2", 102, &first, &error));
  g_assert_cmpstr (first, ==, "case-1");
  g_clear_pointer (&first, g_free);
  /* another checkpoint, another day: a first use each */
  g_assert_true (tp_store_use_boarding_pass (store, pass, "HAN-T1", "2026-12-06", "case-3", 103, &first, &error));
  g_assert_null (first);
  g_assert_true (tp_store_use_boarding_pass (store, pass, "HAN-T2", "2026-12-07", "case-4", 104, &first, &error));
  g_assert_null (first);
  g_assert_true (tp_store_use_boarding_pass (store, pass, "HAN-T2", "2026-12-07", "case-5", 105, NULL, &error));
  g_assert_no_error (error);
}

static void
test_record_event (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(TpStore) store = open_store (f, TP_STORE_OPEN_CREATE);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) event = json_from_string ("{\"type\": \"decision\", \"officer\": \"IMM-01\", "
                                                "\"case_id\": \"c-1\", \"action\": \"deny_exit\", \"id\": \"e-1\", "
                                                "\"at\": \"2026-12-06T06:09:22.123Z\"}",
                                                NULL);
  g_autoptr(JsonNode) bad = json_from_string ("{\"type\": \"note\", \"case_id\": \"c-1\"}", NULL);
  g_autoptr(GPtrArray) records = NULL;
  g_autofree char *hash = NULL;
  TpAuditVerification v;
  TpAuditRecord *r;
  gint64 seq = 0;

  g_assert_true (tp_store_record_event (store, event, &seq, &hash, &error));
  g_assert_no_error (error);
  g_assert_cmpint (seq, ==, 1);
  g_assert_cmpuint (strlen (hash), ==, 64);

  g_assert_false (tp_store_record_event (store, bad, NULL, NULL, &error));
  g_assert_error (error, TP_STORE_ERROR, TP_STORE_ERROR_INVALID);

  records = tp_audit_log_list (store, 0, 0, &error);
  g_assert_cmpuint (records->len, ==, 1);
  r = g_ptr_array_index (records, 0);
  g_assert_cmpstr (r->actor, ==, "IMM-01");
  g_assert_cmpstr (r->action, ==, "case.decision");
  g_assert_cmpstr (r->subject, ==, "c-1");
  g_assert_cmpstr (r->hash, ==, hash);
  g_assert_cmpstr (r->details, ==, "{\"action\":\"deny_exit\",\"at\":\"2026-12-06T06:09:22.123Z\","
                                   "\"case_id\":\"c-1\",\"id\":\"e-1\",\"officer\":\"IMM-01\","
                                   "\"type\":\"decision\"}");
  g_assert_true (tp_audit_log_verify (store, &v, &error));
  g_assert_true (v.valid);
  tp_audit_verification_clear (&v);
}

/* A store of schema version 2 gains the outbox and its entry count */
static void
test_migrate_from_v2 (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(TpStore) store = open_store (f, TP_STORE_OPEN_CREATE);
  g_autoptr(GPtrArray) batch = make_batch (0, 7, 1);
  g_autoptr(GError) error = NULL;
  guint64 entries = 0;
  sqlite3 *db;

  apply (store, batch, 7, 0);
  g_clear_object (&store);
  db = raw_open (f->db, f->key);
  raw_exec (db, "DROP TABLE outbox; DROP TABLE shift; DELETE FROM meta WHERE key = 'tp.entries'; "
                "PRAGMA user_version = 2;");
  sqlite3_close (db);

  store = open_store (f, TP_STORE_OPEN_NONE);
  g_assert_cmpuint (tp_store_get_schema_version (store), ==, TP_STORE_SCHEMA_VERSION);
  g_assert_true (tp_store_get_list_state (store, NULL, &entries, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (entries, ==, 7);
}

static JsonNode *
make_event (const char *id,
            const char *text)
{
  g_autofree char *json = g_strdup_printf ("{\"id\": \"%s\", \"type\": \"note\", \"at\": \"2026-12-06T06:%s\", "
                                           "\"case_id\": \"c-1\", \"officer\": \"IMM-01\", "
                                           "\"role\": \"immigration\", \"text\": \"%s\"}",
                                           id, id[0] == 'a' ? "00:00Z" : "30:00.250Z", text);
  JsonNode *node = json_from_string (json, NULL);

  g_assert_nonnull (node);
  return node;
}

static void
test_outbox (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(TpStore) store = open_store (f, TP_STORE_OPEN_CREATE);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) first = make_event ("aaaaaaaa-0000-4000-8000-000000000001", "one");
  g_autoptr(JsonNode) second = make_event ("bbbbbbbb-0000-4000-8000-000000000002", "two");
  g_autoptr(JsonNode) changed = make_event ("aaaaaaaa-0000-4000-8000-000000000001", "changed");
  g_autoptr(JsonNode) with_audit = make_event ("cccccccc-0000-4000-8000-000000000003", "three");
  g_autoptr(GPtrArray) pending = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GPtrArray) between = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *again_hash = NULL;
  g_autofree char *expected = NULL;
  TpOutboxEvent *e;
  TpOutboxCounts counts;
  TpOutboxReceipt receipts[] = {
    { "aaaaaaaa-0000-4000-8000-000000000001", TP_OUTBOX_ACCEPTED, NULL },
    { "bbbbbbbb-0000-4000-8000-000000000002", TP_OUTBOX_REJECTED, "text: too long" },
    { "ffffffff-0000-4000-8000-00000000000f", TP_OUTBOX_DUPLICATE, NULL },
  };
  gint64 seq = 0, again_seq = 0, first_at = 0;

  g_assert_true (tp_store_record_event (store, first, &seq, &hash, &error));
  g_assert_no_error (error);
  g_assert_true (tp_store_record_event (store, second, NULL, NULL, &error));
  g_assert_no_error (error);

  /* the same event again: nothing new, the first record's place */
  g_assert_true (tp_store_record_event (store, first, &again_seq, &again_hash, &error));
  g_assert_no_error (error);
  g_assert_no_error (error);
  g_assert_cmpint (again_seq, ==, seq);
  g_assert_cmpstr (again_hash, ==, hash);
  /* the same id with other content */
  g_assert_false (tp_store_record_event (store, changed, NULL, NULL, &error));
  g_assert_error (error, TP_STORE_ERROR, TP_STORE_ERROR_INVALID);
  g_clear_error (&error);
  /* an "audit" member is the store's to give */
  json_object_set_object_member (json_node_get_object (with_audit), "audit", json_object_new ());
  g_assert_false (tp_store_record_event (store, with_audit, NULL, NULL, &error));
  g_assert_error (error, TP_STORE_ERROR, TP_STORE_ERROR_INVALID);
  g_clear_error (&error);

  records = tp_audit_log_list (store, 0, 0, &error);
  g_assert_cmpuint (records->len, ==, 2);

  pending = tp_store_outbox_pending (store, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pending->len, ==, 2);
  e = g_ptr_array_index (pending, 0);
  g_assert_cmpint (e->seq, ==, 1);
  g_assert_cmpstr (e->type, ==, "note");
  g_assert_cmpint (e->at_ms, ==, G_GINT64_CONSTANT (1796536800000));
  g_assert_cmpint (e->status, ==, TP_OUTBOX_PENDING);
  expected = g_strdup_printf ("{\"at\":\"2026-12-06T06:00:00Z\",\"audit\":{\"hash\":\"%s\",\"seq\":%" G_GINT64_FORMAT "},"
                              "\"case_id\":\"c-1\",\"id\":\"aaaaaaaa-0000-4000-8000-000000000001\","
                              "\"officer\":\"IMM-01\",\"role\":\"immigration\",\"text\":\"one\",\"type\":\"note\"}",
                              hash, seq);
  g_assert_cmpstr (e->json, ==, expected);
  e = g_ptr_array_index (pending, 1);
  g_assert_cmpint (e->at_ms, ==, G_GINT64_CONSTANT (1796538600250));
  g_clear_pointer (&pending, g_ptr_array_unref);
  pending = tp_store_outbox_pending (store, 1, &error);
  g_assert_cmpuint (pending->len, ==, 1);
  g_clear_pointer (&pending, g_ptr_array_unref);

  g_assert_true (tp_store_outbox_get_counts (store, &counts, &error));
  g_assert_cmpuint (counts.pending, ==, 2);
  g_assert_cmpuint (counts.sent, ==, 0);

  /* receipts: accepted is sent, rejected kept with its reason, unknown ids ignored */
  g_assert_true (tp_store_outbox_mark (store, receipts, G_N_ELEMENTS (receipts), &error));
  g_assert_no_error (error);
  pending = tp_store_outbox_pending (store, 0, &error);
  g_assert_cmpuint (pending->len, ==, 0);
  g_assert_true (tp_store_outbox_get_counts (store, &counts, &error));
  g_assert_cmpuint (counts.pending, ==, 0);
  g_assert_cmpuint (counts.sent, ==, 1);
  g_assert_cmpuint (counts.rejected, ==, 1);
  /* a late receipt does not change a marked event */
  receipts[1].status = TP_OUTBOX_ACCEPTED;
  g_assert_true (tp_store_outbox_mark (store, &receipts[1], 1, &error));
  g_assert_true (tp_store_outbox_get_counts (store, &counts, &error));
  g_assert_cmpuint (counts.rejected, ==, 1);

  between = tp_store_outbox_list_between (store, G_GINT64_CONSTANT (1796536800001),
                                          G_GINT64_CONSTANT (1796538600250), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (between->len, ==, 1);
  e = g_ptr_array_index (between, 0);
  g_assert_cmpstr (e->id, ==, "bbbbbbbb-0000-4000-8000-000000000002");
  g_assert_cmpint (e->status, ==, TP_OUTBOX_REJECTED);
  g_assert_cmpstr (e->reason, ==, "text: too long");
  g_assert_cmpint (e->sent_at, >, 0);
  g_assert_true (tp_store_outbox_get_first_at (store, &first_at, &error));
  g_assert_cmpint (first_at, ==, G_GINT64_CONSTANT (1796536800000));
}

static void
test_shifts (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(TpStore) store = open_store (f, TP_STORE_OPEN_CREATE);
  g_autoptr(GError) error = NULL;
  g_autoptr(TpShift) none = NULL;
  g_autoptr(TpShift) got = NULL;
  g_autoptr(TpShift) last = NULL;
  TpShift a = { (char *) "A", 1000, 2000, NULL };
  TpShift b = { (char *) "B", 2001, 3000, (char *) "{\"status\":\"ok\"}" };
  TpShift bad = { (char *) "C", 3000, 2000, NULL };

  none = tp_store_get_last_shift (store, &error);
  g_assert_no_error (error);
  g_assert_null (none);
  g_assert_true (tp_store_put_shift (store, &a, &error));
  g_assert_true (tp_store_put_shift (store, &b, &error));
  g_assert_no_error (error);
  g_assert_false (tp_store_put_shift (store, &bad, &error));
  g_assert_error (error, TP_STORE_ERROR, TP_STORE_ERROR_INVALID);
  g_clear_error (&error);
  got = tp_store_get_shift (store, "A", &error);
  g_assert_nonnull (got);
  g_assert_cmpint (got->closed_at_ms, ==, 2000);
  g_assert_null (got->answer);
  last = tp_store_get_last_shift (store, &error);
  g_assert_cmpstr (last->id, ==, "B");
  g_assert_cmpstr (last->answer, ==, "{\"status\":\"ok\"}");
  g_clear_pointer (&none, tp_shift_free);
  none = tp_store_get_shift (store, "Z", &error);
  g_assert_no_error (error);
  g_assert_null (none);
}

/* A feed batch applies only when it ends at the state the feed announced */
static void
test_feed_batch (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(TpStore) store = open_store (f, TP_STORE_OPEN_CREATE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) batch = make_batch (0, 20, 1);
  g_autoptr(GPtrArray) more = make_batch (10, 20, 2);
  TpFeedPosition position = { 20, NULL, 1790000000, 1790000600, 0, (char *) "c1", 20 };
  TpFeedPosition got = { 0, };
  TpStoreBatchResult result;
  TpStateHash expected, wrong, state;
  TpStoreCounts before, after;
  guint64 entries;

  tp_state_hash_init (&expected);
  for (guint i = 0; i < batch->len; i++)
    tp_state_hash_add_entry (&expected, g_ptr_array_index (batch, i));
  g_assert_true (tp_store_apply_feed_batch (store, batch, &position, &expected, 20, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.applied, ==, 20);
  tp_store_batch_result_clear (&result);
  g_assert_true (tp_store_get_list_state (store, &state, &entries, &error));
  g_assert_true (tp_state_hash_equal (&state, &expected));
  g_assert_cmpuint (entries, ==, 20);
  g_assert_true (tp_store_get_feed_position (store, &got, &error));
  g_assert_cmpint (got.sequence, ==, 20);
  g_assert_cmpstr (got.chain, ==, "c1");
  g_assert_cmpint (got.head_seq, ==, 20);
  tp_feed_position_clear (&got);

  /* a wrong state hash, then a wrong count: nothing changes */
  g_assert_true (tp_store_get_counts (store, NULL, &before, &error));
  wrong = expected;
  position.sequence = 40;
  position.chain = (char *) "c2";
  g_assert_false (tp_store_apply_feed_batch (store, more, &position, &wrong, 30, &result, &error));
  g_assert_error (error, TP_STORE_ERROR, TP_STORE_ERROR_MISMATCH);
  g_clear_error (&error);
  tp_store_batch_result_clear (&result);
  for (guint i = 0; i < more->len; i++)
    {
      TpEntry *e = g_ptr_array_index (more, i);
      g_autoptr(GPtrArray) old = tp_store_get_entry (store, e->id, &error);

      if (old->len > 0)
        tp_state_hash_remove_entry (&expected, g_ptr_array_index (old, old->len - 1));
      tp_state_hash_add_entry (&expected, e);
    }
  g_assert_false (tp_store_apply_feed_batch (store, more, &position, &expected, 29, &result, &error));
  g_assert_error (error, TP_STORE_ERROR, TP_STORE_ERROR_MISMATCH);
  g_clear_error (&error);
  tp_store_batch_result_clear (&result);
  g_assert_true (tp_store_get_counts (store, NULL, &after, &error));
  g_assert_true (tp_state_hash_equal (&before.state_hash, &after.state_hash));
  g_assert_cmpuint (before.versions, ==, after.versions);
  g_assert_cmpuint (before.audit_records, ==, after.audit_records);
  g_assert_true (tp_store_get_feed_position (store, &got, &error));
  g_assert_cmpint (got.sequence, ==, 20);
  tp_feed_position_clear (&got);

  /* the right ones */
  g_assert_true (tp_store_apply_feed_batch (store, more, &position, &expected, 30, &result, &error));
  g_assert_no_error (error);
  tp_store_batch_result_clear (&result);
  g_assert_true (tp_store_get_list_state (store, &state, &entries, &error));
  g_assert_true (tp_state_hash_equal (&state, &expected));
  g_assert_cmpuint (entries, ==, 30);
}

static TpStateHash
hash_of (GPtrArray *entries)
{
  TpStateHash h;

  tp_state_hash_init (&h);
  for (guint i = 0; i < entries->len; i++)
    tp_state_hash_add_entry (&h, g_ptr_array_index (entries, i));
  return h;
}

static void
test_replace (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(TpStore) store = open_store (f, TP_STORE_OPEN_CREATE);
  g_autoptr(TpStore) reader = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) old = make_batch (0, 50, 1);
  g_autoptr(GPtrArray) fresh = make_batch (30, 25000, 3);
  g_autoptr(GPtrArray) versions = NULL;
  g_autoptr(TpStoreReplace) replace = NULL;
  TpFeedPosition position = { 25030, NULL, 1790000000, 1790000600, 0, (char *) "chain", 25030 };
  TpFeedPosition got = { 0, };
  TpStateHash expected = hash_of (fresh), state, recomputed;
  TpStoreCounts counts;
  TpAuditVerification v;
  guint64 entries;

  apply (store, old, 50, 0);

  /* abandoned: nothing changes */
  replace = tp_store_replace_begin (store, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 100; i++)
    g_assert_true (tp_store_replace_add (replace, g_ptr_array_index (fresh, i), NULL, &error));
  g_clear_pointer (&replace, tp_store_replace_free);
  g_assert_cmpuint (count_current (store), ==, 50);

  /* a mismatch: nothing changes */
  replace = tp_store_replace_begin (store, &error);
  for (guint i = 0; i < fresh->len - 1; i++)
    g_assert_true (tp_store_replace_add (replace, g_ptr_array_index (fresh, i), NULL, &error));
  g_assert_false (tp_store_replace_commit (replace, &position, &expected, fresh->len, "sync", &error));
  g_assert_error (error, TP_STORE_ERROR, TP_STORE_ERROR_MISMATCH);
  g_clear_error (&error);
  g_clear_pointer (&replace, tp_store_replace_free);
  g_assert_cmpuint (count_current (store), ==, 50);

  /* while it fills, the old list is read and written through other connections */
  replace = tp_store_replace_begin (store, &error);
  reader = open_store (f, TP_STORE_OPEN_NONE);
  for (guint i = 0; i < fresh->len; i++)
    {
      g_assert_true (tp_store_replace_add (replace, g_ptr_array_index (fresh, i), NULL, &error));
      g_assert_no_error (error);
      if (i == 9999)   /* just after a chunk was committed */
        {
          g_autoptr(JsonNode) event = make_event ("aaaaaaaa-0000-4000-8000-000000000001", "during");

          g_assert_cmpuint (count_current (reader), ==, 50);
          g_assert_true (tp_store_record_event (reader, event, NULL, NULL, &error));
          g_assert_no_error (error);
        }
    }
  g_assert_cmpuint (tp_store_replace_get_count (replace), ==, fresh->len);
  g_assert_true (tp_store_replace_commit (replace, &position, &expected, fresh->len, "sync", &error));
  g_assert_no_error (error);
  g_clear_pointer (&replace, tp_store_replace_free);

  g_assert_cmpuint (count_current (store), ==, fresh->len);
  g_assert_cmpuint (count_current (reader), ==, fresh->len);
  g_assert_true (tp_store_get_list_state (store, &state, &entries, &error));
  g_assert_true (tp_state_hash_equal (&state, &expected));
  g_assert_cmpuint (entries, ==, fresh->len);
  g_assert_true (tp_store_compute_state_hash (store, &recomputed, &error));
  g_assert_true (tp_state_hash_equal (&recomputed, &expected));
  /* old ids gone, with their history; the version of the new list kept */
  versions = tp_store_get_entry (store, "E0000000", &error);
  g_assert_cmpuint (versions->len, ==, 0);
  g_clear_pointer (&versions, g_ptr_array_unref);
  versions = tp_store_get_entry (store, "E0000030", &error);
  g_assert_cmpuint (versions->len, ==, 1);
  g_assert_true (tp_store_get_counts (store, NULL, &counts, &error));
  g_assert_cmpuint (counts.versions, ==, fresh->len);
  g_assert_true (tp_store_get_feed_position (store, &got, &error));
  g_assert_cmpint (got.sequence, ==, 25030);
  g_assert_cmpstr (got.chain, ==, "chain");
  tp_feed_position_clear (&got);
  g_assert_true (tp_audit_log_verify (store, &v, &error));
  g_assert_true (v.valid);
  tp_audit_verification_clear (&v);
  g_assert_true (tp_store_check_integrity (store, &error));
  g_assert_no_error (error);

  /* batches keep working on the new tables (statements prepared before the swap) */
  {
    g_autoptr(GPtrArray) next = make_batch (0, 5, 4);

    apply (store, next, 5, 0);
    apply (reader, next, 0, 5);
  }
  /* and a second replacement works (no leftovers in the way) */
  replace = tp_store_replace_begin (store, &error);
  g_assert_no_error (error);
  g_assert_true (tp_store_replace_add (replace, g_ptr_array_index (old, 0), NULL, &error));
  {
    g_autoptr(GPtrArray) one = g_ptr_array_new ();
    TpStateHash h;

    g_ptr_array_add (one, g_ptr_array_index (old, 0));
    h = hash_of (one);
    g_assert_true (tp_store_replace_commit (replace, NULL, &h, 1, NULL, &error));
  }
  g_assert_no_error (error);
  g_assert_cmpuint (count_current (store), ==, 1);
}

/* A replacement killed while it fills leaves the list as it was */
static void
test_killed_replace (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(TpStore) store = open_store (f, TP_STORE_OPEN_CREATE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) fresh = make_batch (0, 3000, 1);
  g_autoptr(TpStoreReplace) replace = NULL;
  TpStateHash expected = hash_of (fresh), before, after;
  int fds[2];
  pid_t pid;
  int status;
  char c;

  {
    g_autoptr(GPtrArray) batch = make_batch (0, 100, 1);

    apply (store, batch, 100, 0);
  }
  g_assert_true (tp_store_get_state_hash (store, &before, &error));
  g_clear_object (&store);

  g_assert_cmpint (pipe (fds), ==, 0);
  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      g_autoptr(GPtrArray) big = make_batch (0, 25000, 2);
      KillHook hook = { fds[1], 22000 };
      TpStore *child = open_store (f, TP_STORE_OPEN_NONE);
      TpStoreReplace *r;

      close (fds[0]);
      _tp_store_set_entry_hook (child, kill_hook, &hook);
      r = tp_store_replace_begin (child, NULL);
      for (guint i = 0; r != NULL && i < big->len; i++)
        tp_store_replace_add (r, g_ptr_array_index (big, i), NULL, NULL);
      _exit (4);   /* not reached */
    }
  close (fds[1]);
  g_assert_cmpint (read (fds[0], &c, 1), ==, 1);
  close (fds[0]);
  g_assert_cmpint (kill (pid, SIGKILL), ==, 0);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFSIGNALED (status) && WTERMSIG (status) == SIGKILL);

  store = open_store (f, TP_STORE_OPEN_NONE);
  g_assert_true (tp_store_check_integrity (store, &error));
  g_assert_true (tp_store_get_state_hash (store, &after, &error));
  g_assert_true (tp_state_hash_equal (&before, &after));
  g_assert_cmpuint (count_current (store), ==, 100);

  /* the next replacement clears what the killed one left */
  replace = tp_store_replace_begin (store, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < fresh->len; i++)
    g_assert_true (tp_store_replace_add (replace, g_ptr_array_index (fresh, i), NULL, &error));
  g_assert_true (tp_store_replace_commit (replace, NULL, &expected, fresh->len, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_current (store), ==, 3000);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/store/create-open", test_create_open);
  ADD ("/store/not-found", test_not_found);
  ADD ("/store/no-overwrite", test_no_overwrite);
  ADD ("/store/key-file/permissions", test_key_file_permissions);
  ADD ("/store/key-file/invalid", test_key_file_invalid);
  ADD ("/store/key-file/random", test_key_created_random);
  ADD ("/store/key-file/missing-for-existing-store", test_missing_key_for_existing_store);
  ADD ("/store/wrong-key", test_wrong_key);
  ADD ("/store/not-a-database", test_not_a_database);
  ADD ("/store/foreign-database", test_foreign_database);
  ADD ("/store/migrate-from-v0", test_migrate_from_v0);
  ADD ("/store/migrate-from-v1", test_migrate_from_v1);
  ADD ("/store/boarding-passes", test_boarding_passes);
  ADD ("/audit/record-event", test_record_event);
  ADD ("/store/migrate-from-v2", test_migrate_from_v2);
  ADD ("/store/outbox", test_outbox);
  ADD ("/store/shifts", test_shifts);
  ADD ("/store/feed-batch", test_feed_batch);
  ADD ("/store/replace", test_replace);
  ADD ("/store/killed-replace", test_killed_replace);
  ADD ("/store/lifecycle", test_lifecycle);
  ADD ("/store/conflicts", test_conflicts);
  ADD ("/store/counts", test_counts);
  ADD ("/store/state-hash", test_state_hash);
  ADD ("/store/killed-batch", test_killed_batch);
  ADD ("/store/concurrent-reader", test_concurrent_reader);
  ADD ("/store/clearances", test_clearances);
  ADD ("/store/feed-position", test_feed_position);
  ADD ("/store/invalid-batch", test_invalid_batch);
  ADD ("/store/one-letter-country", test_one_letter_country);
  ADD ("/audit/chain", test_audit_chain);
  ADD ("/audit/tamper", test_audit_tamper);
  ADD ("/audit/tamper-kinds", test_audit_tamper_kinds);
#undef ADD

  return g_test_run ();
}
