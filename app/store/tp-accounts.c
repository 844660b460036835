/* tp-accounts.c: officer accounts in the terminal's store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "tp-accounts.h"
#include "tp-json.h"
#include "tp-store-private.h"

#define SALT_SIZE 16
#define HASH_SIZE 32

/* scrypt cost: N = 2^15, r = 8, p = 1 needs 128 · r · N = 32 MiB */
#define KDF_NAME     "scrypt"
#define KDF_LOG2_N   15
#define KDF_R        8
#define KDF_P        1
#define KDF_MAX_MEM  (64 * 1024 * 1024)

struct _TpAccounts
{
  GObject   parent_instance;

  TpStore  *store;
  guint     max_failures;
  guint     lockout_seconds;
};

G_DEFINE_QUARK (tp-accounts-error-quark, tp_accounts_error)
G_DEFINE_FINAL_TYPE (TpAccounts, tp_accounts, G_TYPE_OBJECT)

static const char schema[] =
  "CREATE TABLE IF NOT EXISTS officer_account ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  role INTEGER NOT NULL,"
  "  name TEXT,"
  "  kdf TEXT NOT NULL,"
  "  kdf_log2_n INTEGER NOT NULL,"
  "  kdf_r INTEGER NOT NULL,"
  "  kdf_p INTEGER NOT NULL,"
  "  salt BLOB NOT NULL,"
  "  pin_hash BLOB NOT NULL,"
  "  failures INTEGER NOT NULL,"
  "  locked_until INTEGER NOT NULL,"
  "  last_sign_in INTEGER NOT NULL,"
  "  created_at INTEGER NOT NULL"
  ")";

#define OFFICER_COLUMNS "id, role, name, failures, locked_until, last_sign_in"

/* What a sign-in needs from the row, and what it works out. */
typedef struct {
  char     *id;
  char     *pin;
  gboolean  known;
  TpRoles   role;
  guint     log2_n;
  guint     r;
  guint     p;
  guint8    salt[SALT_SIZE];
  guint8    expected[HASH_SIZE];
  guint8    derived[HASH_SIZE];
  gboolean  derived_ok;
  gint64    now;
} SignIn;

static void
sign_in_free (SignIn *s)
{
  if (s->pin != NULL)
    {
      OPENSSL_cleanse (s->pin, strlen (s->pin));
      g_free (s->pin);
    }
  OPENSSL_cleanse (s->derived, sizeof s->derived);
  OPENSSL_cleanse (s->expected, sizeof s->expected);
  g_free (s->id);
  g_free (s);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SignIn, sign_in_free)

/* Helpers */

static gint64
now_seconds (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

static gboolean
role_is_single (TpRoles role)
{
  return role == TP_ROLE_IMMIGRATION || role == TP_ROLE_CUSTOMS || role == TP_ROLE_SUPERVISOR;
}

static void
set_store_error (GError     **error,
                 TpAccounts  *self,
                 int          rc,
                 const char  *what)
{
  g_autoptr(GError) local_error = NULL;

  _tp_store_set_error (&local_error, _tp_store_get_db (self->store), rc, what);
  g_set_error_literal (error, TP_ACCOUNTS_ERROR, TP_ACCOUNTS_ERROR_FAILED, local_error->message);
}

static gboolean
derive (const char *pin,
        const guint8 salt[SALT_SIZE],
        guint        log2_n,
        guint        r,
        guint        p,
        guint8       out[HASH_SIZE])
{
  if (log2_n < 10 || log2_n > 20 || r == 0 || r > 32 || p == 0 || p > 16)
    return FALSE;
  return EVP_PBE_scrypt (pin, strlen (pin), salt, SALT_SIZE, (guint64) 1 << log2_n, r, p,
                         KDF_MAX_MEM, out, HASH_SIZE) == 1;
}

static char *
audit_details (const char *first_key,
               ...) G_GNUC_NULL_TERMINATED;

/* Canonical JSON of string members given in key order (callers pass them sorted). */
static char *
audit_details (const char *first_key,
               ...)
{
  GString *out = g_string_new ("{");
  va_list args;
  const char *key = first_key;
  gboolean first = TRUE;

  va_start (args, first_key);
  while (key != NULL)
    {
      const char *value = va_arg (args, const char *);

      if (!first)
        g_string_append_c (out, ',');
      first = FALSE;
      tp_json_append_string (out, key);
      g_string_append_c (out, ':');
      tp_json_append_string (out, value);
      key = va_arg (args, const char *);
    }
  va_end (args);
  g_string_append_c (out, '}');
  return g_string_free (out, FALSE);
}

static TpOfficer *
officer_from_row (sqlite3_stmt *stmt)
{
  TpOfficer *officer = g_new0 (TpOfficer, 1);
  const char *name = (const char *) sqlite3_column_text (stmt, 2);

  officer->id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  officer->role = (TpRoles) sqlite3_column_int (stmt, 1);
  officer->name = g_strdup (name);
  officer->failures = (guint) sqlite3_column_int (stmt, 3);
  officer->locked_until = sqlite3_column_int64 (stmt, 4);
  officer->last_sign_in = sqlite3_column_int64 (stmt, 5);
  return officer;
}

/* Runs one statement that changes rows, binding @id as ?1 and the
 * integers as ?2, ?3... (a trailing -1 ends the list). Inside a
 * transaction the caller holds. Sets *changes to the rows changed. */
static gboolean
run_update (TpAccounts  *self,
            const char  *sql,
            const char  *id,
            int         *changes,
            GError     **error,
            ...)
{
  sqlite3 *db = _tp_store_get_db (self->store);
  sqlite3_stmt *stmt = NULL;
  va_list args;
  gint64 value;
  int index = 2;
  int rc;

  rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      set_store_error (error, self, rc, "Cannot prepare an account update");
      return FALSE;
    }
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  va_start (args, error);
  while ((value = va_arg (args, gint64)) != -1)
    sqlite3_bind_int64 (stmt, index++, value);
  va_end (args);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      set_store_error (error, self, rc, "Cannot update the officer accounts");
      return FALSE;
    }
  if (changes != NULL)
    *changes = sqlite3_changes (db);
  return TRUE;
}

static gboolean
append_audit (TpAccounts  *self,
              const char  *actor,
              const char  *action,
              const char  *subject,
              const char  *details,
              GError     **error)
{
  g_autoptr(GError) local_error = NULL;

  if (_tp_audit_chain_append (_tp_store_get_db (self->store), actor, action, subject, details,
                              NULL, NULL, &local_error))
    return TRUE;
  g_set_error_literal (error, TP_ACCOUNTS_ERROR, TP_ACCOUNTS_ERROR_FAILED, local_error->message);
  return FALSE;
}

static gboolean
begin (TpAccounts  *self,
       GError     **error)
{
  g_autoptr(GError) local_error = NULL;

  if (_tp_store_begin_write (self->store, &local_error))
    return TRUE;
  g_set_error_literal (error, TP_ACCOUNTS_ERROR, TP_ACCOUNTS_ERROR_FAILED, local_error->message);
  return FALSE;
}

static gboolean
commit (TpAccounts  *self,
        GError     **error)
{
  g_autoptr(GError) local_error = NULL;

  if (_tp_store_commit (self->store, &local_error))
    return TRUE;
  g_set_error_literal (error, TP_ACCOUNTS_ERROR, TP_ACCOUNTS_ERROR_FAILED, local_error->message);
  return FALSE;
}

static void
set_locked_error (GError     **error,
                  const char  *id,
                  gint64       locked_until,
                  gint64       now)
{
  gint64 minutes = (locked_until - now + 59) / 60;

  g_set_error (error, TP_ACCOUNTS_ERROR, TP_ACCOUNTS_ERROR_LOCKED,
               "Too many wrong PINs: officer %s is locked for %" G_GINT64_FORMAT " more minute%s. "
               "A supervisor can unlock the account.", id, MAX (minutes, 1), minutes > 1 ? "s" : "");
}

static void
set_denied_error (GError **error)
{
  g_set_error_literal (error, TP_ACCOUNTS_ERROR, TP_ACCOUNTS_ERROR_DENIED,
                       "Officer ID or PIN is wrong");
}

/* Reads what a sign-in needs; s->known stays FALSE for an unknown ID. */
static gboolean
sign_in_prepare (TpAccounts  *self,
                 SignIn      *s,
                 gint64      *locked_until,
                 GError     **error)
{
  sqlite3 *db = _tp_store_get_db (self->store);
  sqlite3_stmt *stmt = NULL;
  int rc;

  *locked_until = 0;
  rc = sqlite3_prepare_v2 (db,
                           "SELECT role, kdf, kdf_log2_n, kdf_r, kdf_p, salt, pin_hash, locked_until "
                           "FROM officer_account WHERE id = ?1", -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      set_store_error (error, self, rc, "Cannot read the officer accounts");
      return FALSE;
    }
  sqlite3_bind_text (stmt, 1, s->id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW &&
      g_strcmp0 ((const char *) sqlite3_column_text (stmt, 1), KDF_NAME) == 0 &&
      sqlite3_column_bytes (stmt, 5) == SALT_SIZE &&
      sqlite3_column_bytes (stmt, 6) == HASH_SIZE)
    {
      s->known = TRUE;
      s->role = (TpRoles) sqlite3_column_int (stmt, 0);
      s->log2_n = (guint) sqlite3_column_int (stmt, 2);
      s->r = (guint) sqlite3_column_int (stmt, 3);
      s->p = (guint) sqlite3_column_int (stmt, 4);
      memcpy (s->salt, sqlite3_column_blob (stmt, 5), SALT_SIZE);
      memcpy (s->expected, sqlite3_column_blob (stmt, 6), HASH_SIZE);
      *locked_until = sqlite3_column_int64 (stmt, 7);
    }
  else if (rc == SQLITE_ROW || rc == SQLITE_DONE)
    {
      /* Unknown (or unreadable) account: the same work against a random
       * salt, which no PIN matches. */
      s->known = FALSE;
      s->log2_n = KDF_LOG2_N;
      s->r = KDF_R;
      s->p = KDF_P;
      RAND_bytes (s->salt, SALT_SIZE);
      RAND_bytes (s->expected, HASH_SIZE);
    }
  else
    {
      sqlite3_finalize (stmt);
      set_store_error (error, self, rc, "Cannot read the officer accounts");
      return FALSE;
    }
  sqlite3_finalize (stmt);
  return TRUE;
}

static void
sign_in_derive (SignIn *s)
{
  s->derived_ok = derive (s->pin, s->salt, s->log2_n, s->r, s->p, s->derived);
}

/* Records the outcome; returns the officer on success. */
static TpOfficer *
sign_in_complete (TpAccounts  *self,
                  SignIn      *s,
                  GError     **error)
{
  gboolean match = s->known && s->derived_ok &&
                   CRYPTO_memcmp (s->derived, s->expected, HASH_SIZE) == 0;
  g_autoptr(TpOfficer) officer = NULL;
  g_autoptr(GError) local_error = NULL;

  if (!begin (self, error))
    return NULL;

  if (s->known)
    {
      /* Read again inside the transaction: another sign-in may have
       * locked the account while this one was deriving. */
      officer = tp_accounts_lookup (self, s->id, &local_error);
      if (local_error != NULL)
        goto failed;
      if (officer == NULL)
        match = FALSE;
      else if (officer->locked_until > s->now)
        {
          _tp_store_rollback (self->store);
          set_locked_error (error, s->id, officer->locked_until, s->now);
          return NULL;
        }
    }

  if (match)
    {
      if (!run_update (self, "UPDATE officer_account SET failures = 0, locked_until = 0, "
                             "last_sign_in = ?2 WHERE id = ?1", s->id, NULL, &local_error,
                       s->now, (gint64) -1))
        goto failed;
      {
        g_autofree char *details = audit_details ("role", tp_role_to_string (officer->role), NULL);

        if (!append_audit (self, s->id, "officer.sign_in", s->id, details, &local_error))
          goto failed;
      }
      if (!commit (self, error))
        return NULL;
      officer->failures = 0;
      officer->locked_until = 0;
      officer->last_sign_in = s->now;
      return g_steal_pointer (&officer);
    }

  if (officer != NULL)
    {
      guint failures = officer->failures + 1;

      if (failures >= self->max_failures)
        {
          gint64 until = s->now + self->lockout_seconds;
          g_autofree char *seconds = g_strdup_printf ("%u", self->lockout_seconds);
          g_autofree char *details = audit_details ("failures", "limit", "seconds", seconds, NULL);

          if (!run_update (self, "UPDATE officer_account SET failures = 0, locked_until = ?2 "
                                 "WHERE id = ?1", s->id, NULL, &local_error, until, (gint64) -1) ||
              !append_audit (self, s->id, "officer.locked", s->id, details, &local_error))
            goto failed;
          if (!commit (self, error))
            return NULL;
          set_locked_error (error, s->id, until, s->now);
          return NULL;
        }
      if (!run_update (self, "UPDATE officer_account SET failures = ?2 WHERE id = ?1",
                       s->id, NULL, &local_error, (gint64) failures, (gint64) -1))
        goto failed;
    }
  if (!append_audit (self, s->id, "officer.sign_in_failed", s->id, NULL, &local_error) ||
      !commit (self, error))
    goto failed;
  set_denied_error (error);
  return NULL;

failed:
  _tp_store_rollback (self->store);
  if (local_error != NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return NULL;
}

/* Checks the forms and reads the row; NULL with @error when the sign-in is
 * refused before any derivation. */
static SignIn *
sign_in_start (TpAccounts  *self,
               const char  *id,
               const char  *pin,
               gint64       now,
               GError     **error)
{
  g_autoptr(SignIn) s = g_new0 (SignIn, 1);
  gint64 locked_until;

  s->id = tp_accounts_normalize_id (id, error);
  if (s->id == NULL || !tp_accounts_check_pin_form (pin, error))
    return NULL;
  s->pin = g_strdup (pin);
  s->now = now > 0 ? now : now_seconds ();
  if (!sign_in_prepare (self, s, &locked_until, error))
    return NULL;
  if (s->known && locked_until > s->now)
    {
      set_locked_error (error, s->id, locked_until, s->now);
      return NULL;
    }
  return g_steal_pointer (&s);
}

static void
sign_in_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  sign_in_derive (task_data);
  g_task_return_boolean (task, TRUE);
}

static void
sign_in_derived_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TpAccounts *self = TP_ACCOUNTS (object);
  SignIn *s = g_task_get_task_data (G_TASK (result));
  GError *error = NULL;
  TpOfficer *officer;

  officer = sign_in_complete (self, s, &error);
  if (officer == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, officer, (GDestroyNotify) tp_officer_free);
}

/* GObject */

static void
tp_accounts_finalize (GObject *object)
{
  TpAccounts *self = TP_ACCOUNTS (object);

  g_clear_object (&self->store);
  G_OBJECT_CLASS (tp_accounts_parent_class)->finalize (object);
}

static void
tp_accounts_class_init (TpAccountsClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tp_accounts_finalize;
}

static void
tp_accounts_init (TpAccounts *self)
{
  self->max_failures = TP_ACCOUNTS_DEFAULT_MAX_FAILURES;
  self->lockout_seconds = TP_ACCOUNTS_DEFAULT_LOCKOUT_SECONDS;
}

/* Public API */

TpOfficer *
tp_officer_copy (const TpOfficer *officer)
{
  TpOfficer *copy;

  g_return_val_if_fail (officer != NULL, NULL);

  copy = g_memdup2 (officer, sizeof *officer);
  copy->id = g_strdup (officer->id);
  copy->name = g_strdup (officer->name);
  return copy;
}

void
tp_officer_free (TpOfficer *officer)
{
  if (officer == NULL)
    return;
  g_free (officer->id);
  g_free (officer->name);
  g_free (officer);
}

TpAccounts *
tp_accounts_new (TpStore  *store,
                 GError  **error)
{
  g_autoptr(TpAccounts) self = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (TP_IS_STORE (store), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (TP_TYPE_ACCOUNTS, NULL);
  self->store = g_object_ref (store);
  if (!_tp_store_exec (store, schema, &local_error))
    {
      g_set_error (error, TP_ACCOUNTS_ERROR, TP_ACCOUNTS_ERROR_FAILED,
                   "Cannot set up officer accounts in %s: %s", tp_store_get_path (store),
                   local_error->message);
      return NULL;
    }
  return g_steal_pointer (&self);
}

void
tp_accounts_set_lockout (TpAccounts *self,
                         guint       max_failures,
                         guint       lockout_seconds)
{
  g_return_if_fail (TP_IS_ACCOUNTS (self));
  g_return_if_fail (max_failures > 0);

  self->max_failures = max_failures;
  self->lockout_seconds = lockout_seconds;
}

char *
tp_accounts_normalize_id (const char  *id,
                          GError     **error)
{
  gsize len;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  len = id != NULL ? strlen (id) : 0;
  if (len < 2 || len > 32 || !g_ascii_isalpha (id[0]))
    goto invalid;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isalnum (id[i]) && id[i] != '-')
      goto invalid;
  return g_ascii_strup (id, -1);

invalid:
  g_set_error_literal (error, TP_ACCOUNTS_ERROR, TP_ACCOUNTS_ERROR_INVALID,
                       "An officer ID is 2 to 32 letters, digits and hyphens, starting with a letter "
                       "(for example IMM-01)");
  return NULL;
}

gboolean
tp_accounts_check_pin_form (const char  *pin,
                            GError     **error)
{
  gsize len = pin != NULL ? strlen (pin) : 0;

  if (len >= TP_ACCOUNTS_PIN_MIN && len <= TP_ACCOUNTS_PIN_MAX)
    {
      gsize i;

      for (i = 0; i < len && g_ascii_isdigit (pin[i]); i++)
        ;
      if (i == len)
        return TRUE;
    }
  g_set_error (error, TP_ACCOUNTS_ERROR, TP_ACCOUNTS_ERROR_INVALID,
               "A PIN is %d to %d digits", TP_ACCOUNTS_PIN_MIN, TP_ACCOUNTS_PIN_MAX);
  return FALSE;
}

gboolean
tp_accounts_add (TpAccounts  *self,
                 const char  *id,
                 TpRoles      role,
                 const char  *name,
                 const char  *pin,
                 const char  *actor,
                 GError     **error)
{
  g_autofree char *normal = NULL;
  g_autofree char *details = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(TpOfficer) existing = NULL;
  guint8 salt[SALT_SIZE];
  guint8 hash[HASH_SIZE];
  sqlite3 *db;
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (TP_IS_ACCOUNTS (self), FALSE);
  g_return_val_if_fail (actor != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  normal = tp_accounts_normalize_id (id, error);
  if (normal == NULL || !tp_accounts_check_pin_form (pin, error))
    return FALSE;
  if (!role_is_single (role))
    {
      g_set_error_literal (error, TP_ACCOUNTS_ERROR, TP_ACCOUNTS_ERROR_INVALID,
                           "An officer has exactly one role: immigration, customs or supervisor");
      return FALSE;
    }
  if (RAND_bytes (salt, SALT_SIZE) != 1 || !derive (pin, salt, KDF_LOG2_N, KDF_R, KDF_P, hash))
    {
      g_set_error_literal (error, TP_ACCOUNTS_ERROR, TP_ACCOUNTS_ERROR_FAILED,
                           "Cannot derive the PIN's hash (out of memory?)");
      return FALSE;
    }

  if (!begin (self, error))
    return FALSE;
  existing = tp_accounts_lookup (self, normal, &local_error);
  if (local_error != NULL)
    goto failed;
  if (existing != NULL)
    {
      _tp_store_rollback (self->store);
      g_set_error (error, TP_ACCOUNTS_ERROR, TP_ACCOUNTS_ERROR_EXISTS,
                   "There is already an officer %s", normal);
      return FALSE;
    }
  db = _tp_store_get_db (self->store);
  rc = sqlite3_prepare_v2 (db,
                           "INSERT INTO officer_account (id, role, name, kdf, kdf_log2_n, kdf_r, kdf_p, "
                           "salt, pin_hash, failures, locked_until, last_sign_in, created_at) "
                           "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 0, 0, 0, ?10)", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, normal, -1, SQLITE_STATIC);
      sqlite3_bind_int (stmt, 2, role);
      if (name != NULL && name[0] != '\0')
        sqlite3_bind_text (stmt, 3, name, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 4, KDF_NAME, -1, SQLITE_STATIC);
      sqlite3_bind_int (stmt, 5, KDF_LOG2_N);
      sqlite3_bind_int (stmt, 6, KDF_R);
      sqlite3_bind_int (stmt, 7, KDF_P);
      sqlite3_bind_blob (stmt, 8, salt, SALT_SIZE, SQLITE_STATIC);
      sqlite3_bind_blob (stmt, 9, hash, HASH_SIZE, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 10, now_seconds ());
      rc = sqlite3_step (stmt);
    }
  sqlite3_finalize (stmt);
  OPENSSL_cleanse (hash, sizeof hash);
  if (rc != SQLITE_DONE)
    {
      set_store_error (&local_error, self, rc, "Cannot add the officer account");
      goto failed;
    }
  details = audit_details ("role", tp_role_to_string (role), NULL);
  if (!append_audit (self, actor, "officer.add", normal, details, &local_error))
    goto failed;
  return commit (self, error);

failed:
  _tp_store_rollback (self->store);
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

/* One UPDATE or DELETE on an existing account plus its audit record. */
static gboolean
change_account (TpAccounts  *self,
                const char  *id,
                const char  *sql,
                const char  *action,
                const char  *actor,
                GError     **error,
                ...)
{
  g_autofree char *normal = tp_accounts_normalize_id (id, error);
  g_autoptr(GError) local_error = NULL;
  sqlite3 *db = _tp_store_get_db (self->store);
  sqlite3_stmt *stmt = NULL;
  va_list args;
  int index = 2;
  int rc;

  if (normal == NULL || !begin (self, error))
    return FALSE;
  rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      const guint8 *blob;

      sqlite3_bind_text (stmt, 1, normal, -1, SQLITE_STATIC);
      va_start (args, error);
      while ((blob = va_arg (args, const guint8 *)) != NULL)
        {
          int len = va_arg (args, int);

          sqlite3_bind_blob (stmt, index++, blob, len, SQLITE_TRANSIENT);
        }
      va_end (args);
      rc = sqlite3_step (stmt);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      set_store_error (&local_error, self, rc, "Cannot change the officer account");
      goto failed;
    }
  if (sqlite3_changes (db) == 0)
    {
      _tp_store_rollback (self->store);
      g_set_error (error, TP_ACCOUNTS_ERROR, TP_ACCOUNTS_ERROR_NOT_FOUND,
                   "There is no officer %s", normal);
      return FALSE;
    }
  if (!append_audit (self, actor, action, normal, NULL, &local_error))
    goto failed;
  return commit (self, error);

failed:
  _tp_store_rollback (self->store);
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

gboolean
tp_accounts_set_pin (TpAccounts  *self,
                     const char  *id,
                     const char  *pin,
                     const char  *actor,
                     GError     **error)
{
  guint8 salt[SALT_SIZE];
  guint8 hash[HASH_SIZE];
  gboolean ok;

  g_return_val_if_fail (TP_IS_ACCOUNTS (self), FALSE);
  g_return_val_if_fail (actor != NULL, FALSE);

  if (!tp_accounts_check_pin_form (pin, error))
    return FALSE;
  if (RAND_bytes (salt, SALT_SIZE) != 1 || !derive (pin, salt, KDF_LOG2_N, KDF_R, KDF_P, hash))
    {
      g_set_error_literal (error, TP_ACCOUNTS_ERROR, TP_ACCOUNTS_ERROR_FAILED,
                           "Cannot derive the PIN's hash (out of memory?)");
      return FALSE;
    }
  ok = change_account (self, id,
                       "UPDATE officer_account SET kdf = '" KDF_NAME "', "
                       "kdf_log2_n = " G_STRINGIFY (KDF_LOG2_N) ", kdf_r = " G_STRINGIFY (KDF_R) ", "
                       "kdf_p = " G_STRINGIFY (KDF_P) ", salt = ?2, pin_hash = ?3, failures = 0, "
                       "locked_until = 0 WHERE id = ?1",
                       "officer.set_pin", actor, error,
                       salt, (int) SALT_SIZE, hash, (int) HASH_SIZE, NULL);
  OPENSSL_cleanse (hash, sizeof hash);
  return ok;
}

gboolean
tp_accounts_remove (TpAccounts  *self,
                    const char  *id,
                    const char  *actor,
                    GError     **error)
{
  g_return_val_if_fail (TP_IS_ACCOUNTS (self), FALSE);
  g_return_val_if_fail (actor != NULL, FALSE);

  return change_account (self, id, "DELETE FROM officer_account WHERE id = ?1",
                         "officer.remove", actor, error, NULL);
}

gboolean
tp_accounts_unlock (TpAccounts  *self,
                    const char  *id,
                    const char  *actor,
                    GError     **error)
{
  g_return_val_if_fail (TP_IS_ACCOUNTS (self), FALSE);
  g_return_val_if_fail (actor != NULL, FALSE);

  return change_account (self, id, "UPDATE officer_account SET failures = 0, locked_until = 0 WHERE id = ?1",
                         "officer.unlock", actor, error, NULL);
}

TpOfficer *
tp_accounts_lookup (TpAccounts  *self,
                    const char  *id,
                    GError     **error)
{
  g_autofree char *normal = NULL;
  sqlite3_stmt *stmt = NULL;
  TpOfficer *officer = NULL;
  int rc;

  g_return_val_if_fail (TP_IS_ACCOUNTS (self), NULL);

  normal = tp_accounts_normalize_id (id, NULL);
  if (normal == NULL)
    return NULL;
  rc = sqlite3_prepare_v2 (_tp_store_get_db (self->store),
                           "SELECT " OFFICER_COLUMNS " FROM officer_account WHERE id = ?1", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, normal, -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          officer = officer_from_row (stmt);
          rc = SQLITE_DONE;
        }
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    set_store_error (error, self, rc, "Cannot read the officer accounts");
  return officer;
}

GPtrArray *
tp_accounts_list (TpAccounts  *self,
                  GError     **error)
{
  g_autoptr(GPtrArray) officers = g_ptr_array_new_with_free_func ((GDestroyNotify) tp_officer_free);
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (TP_IS_ACCOUNTS (self), NULL);

  rc = sqlite3_prepare_v2 (_tp_store_get_db (self->store),
                           "SELECT " OFFICER_COLUMNS " FROM officer_account ORDER BY id", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        g_ptr_array_add (officers, officer_from_row (stmt));
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      set_store_error (error, self, rc, "Cannot read the officer accounts");
      return NULL;
    }
  return g_steal_pointer (&officers);
}

TpOfficer *
tp_accounts_sign_in (TpAccounts  *self,
                     const char  *id,
                     const char  *pin,
                     gint64       now,
                     GError     **error)
{
  g_autoptr(SignIn) s = NULL;

  g_return_val_if_fail (TP_IS_ACCOUNTS (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  s = sign_in_start (self, id, pin, now, error);
  if (s == NULL)
    return NULL;
  sign_in_derive (s);
  return sign_in_complete (self, s, error);
}

void
tp_accounts_sign_in_async (TpAccounts          *self,
                           const char          *id,
                           const char          *pin,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) derive_task = NULL;
  GError *error = NULL;
  SignIn *s;

  g_return_if_fail (TP_IS_ACCOUNTS (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tp_accounts_sign_in_async);
  s = sign_in_start (self, id, pin, 0, &error);
  if (s == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  derive_task = g_task_new (self, NULL, sign_in_derived_cb, g_steal_pointer (&task));
  g_task_set_task_data (derive_task, s, (GDestroyNotify) sign_in_free);
  g_task_run_in_thread (derive_task, sign_in_thread);
}

TpOfficer *
tp_accounts_sign_in_finish (TpAccounts    *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

gboolean
tp_accounts_add_demo (TpAccounts  *self,
                      GError     **error)
{
  static const struct {
    const char *id;
    TpRoles     role;
    const char *pin;
  } demo[] = {
    { "IMM-01", TP_ROLE_IMMIGRATION, "1111" },
    { "CUS-01", TP_ROLE_CUSTOMS, "2222" },
    { "SUP-01", TP_ROLE_SUPERVISOR, "3333" },
  };

  g_return_val_if_fail (TP_IS_ACCOUNTS (self), FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (demo); i++)
    {
      g_autoptr(GError) local_error = NULL;
      g_autoptr(TpOfficer) officer = tp_accounts_lookup (self, demo[i].id, &local_error);

      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      if (officer == NULL &&
          !tp_accounts_add (self, demo[i].id, demo[i].role, NULL, demo[i].pin, "demo", error))
        return FALSE;
    }
  return TRUE;
}
