/* tp-store.c: the terminal's encrypted store on SQLCipher
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Schema (version 3):
 *   meta           key/value: tp.state_hash, tp.entries, tp.feed.*, tp.audit.head, callers' values
 *   entry_version  every version ever applied: id, version, canonical JSON
 *   entry_current  the latest version of each id in typed columns (what the
 *                  matcher loads) and the SHA-256 of its canonical JSON
 *   clearance      cleared pairs (document key ↔ entry id + version)
 *   audit_log      hash-chained records (tp-audit-log.c)
 *   boarding_pass  boarding passes presented, by checkpoint and day
 *                  (tp-boarding-log.c; schema version 2)
 *   outbox         terminal events waiting for (or given) the hub's receipt
 *                  (tp-outbox.c; schema version 3)
 *   shift          the shifts reconciled with the hub (tp-outbox.c; version 3)
 *
 * Replacing the list (tp_store_replace_begin()) fills replace_entry_current
 * and replace_entry_version, made like the two entry tables, over several
 * transactions, then swaps them in by renaming in one short transaction;
 * the old tables, renamed retired_entry_*, are dropped afterwards.
 *
 * Codes in entry_current: list, status, agency and action are stored as
 * enum value + 1 (the enums' order is frozen by the static assertions
 * below); visibility as the TpRoles bit set; dates as day numbers
 * (g_date_get_julian(): 1 = 0001-01-01); identifiers as
 * "T:CCC:VALUE;T:CCC:VALUE" with T one of P (passport), N (national_id),
 * X (tax_code), O (other) and CCC the country (a code of tp-country.h, one
 * to three letters: D for Germany) or empty. The decoder allows
 * neither ':' nor ';' in identifier values.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "tp-country.h"
#include "tp-json.h"
#include "tp-store-private.h"

/* 'TPNT' in PRAGMA application_id: what makes a database a Touchpoint store */
#define TP_STORE_APPLICATION_ID 0x54504e54

#define MAX_IDENTIFIERS 64

/* bytes per page, encrypted and authenticated as a unit */
#define TP_STORE_PAGE_SIZE 16384

G_STATIC_ASSERT (TP_LIST_EXIT_BAN == 0 && TP_LIST_WATCH == 1);
G_STATIC_ASSERT (TP_ENTRY_ACTIVE == 0 && TP_ENTRY_CANCELLED == 1);
G_STATIC_ASSERT (TP_AGENCY_CUSTOMS == 0 && TP_AGENCY_TAX == 1 && TP_AGENCY_IMMIGRATION == 2 &&
                 TP_AGENCY_POLICE == 3 && TP_AGENCY_COURT == 4);
G_STATIC_ASSERT (TP_ACTION_DENY_EXIT == 0 && TP_ACTION_REFER_CUSTOMS == 1 &&
                 TP_ACTION_REFER_SUPERVISOR == 2 && TP_ACTION_NOTIFY == 3);
G_STATIC_ASSERT (TP_ROLE_IMMIGRATION == 1 && TP_ROLE_CUSTOMS == 2 && TP_ROLE_SUPERVISOR == 4);

struct _TpStore
{
  GObject           parent_instance;

  char             *path;
  sqlite3          *db;
  gboolean          created;
  guint             schema_version;

  sqlite3_stmt     *select_current;
  sqlite3_stmt     *insert_version;
  sqlite3_stmt     *insert_current;
  sqlite3_stmt     *update_current;
  sqlite3_stmt     *get_meta;
  sqlite3_stmt     *set_meta;

  TpStoreEntryHook  entry_hook;
  gpointer          entry_hook_data;
};

G_DEFINE_FINAL_TYPE (TpStore, tp_store, G_TYPE_OBJECT)

/* Migrations: migrations[i] takes the schema from version i to i + 1. */
static const char * const migrations[] = {
  /* 0 -> 1 */
  "CREATE TABLE meta ("
  "  key TEXT PRIMARY KEY NOT NULL,"
  "  value"
  ");"
  "CREATE TABLE entry_version ("
  "  seq INTEGER PRIMARY KEY,"
  "  id TEXT NOT NULL,"
  "  version INTEGER NOT NULL,"
  "  json TEXT NOT NULL,"
  "  received_at INTEGER NOT NULL,"
  "  UNIQUE (id, version)"
  ");"
  "CREATE TABLE entry_current ("
  "  id TEXT NOT NULL UNIQUE,"
  "  version INTEGER NOT NULL,"
  "  list INTEGER NOT NULL,"
  "  status INTEGER NOT NULL,"
  "  agency INTEGER NOT NULL,"
  "  action INTEGER NOT NULL,"
  "  visibility INTEGER NOT NULL,"
  "  full_name TEXT,"
  "  birth_year INTEGER NOT NULL,"
  "  birth_month INTEGER NOT NULL,"
  "  birth_day INTEGER NOT NULL,"
  "  sex TEXT,"
  "  nationality TEXT,"
  "  identifiers TEXT,"
  "  basis_reference TEXT,"
  "  basis_issued_by TEXT,"
  "  basis_issued_at TEXT,"
  "  basis_reason TEXT,"
  "  effective_from INTEGER NOT NULL,"
  "  effective_until INTEGER,"
  "  digest BLOB NOT NULL"
  ");"
  "CREATE TABLE clearance ("
  "  document_key TEXT NOT NULL,"
  "  entry_id TEXT NOT NULL,"
  "  entry_version INTEGER NOT NULL,"
  "  cleared_by TEXT NOT NULL,"
  "  reason TEXT NOT NULL,"
  "  cleared_at INTEGER NOT NULL,"
  "  expires_at INTEGER NOT NULL,"
  "  PRIMARY KEY (document_key, entry_id)"
  ");"
  "CREATE TABLE audit_log ("
  "  seq INTEGER PRIMARY KEY,"
  "  time_us INTEGER NOT NULL,"
  "  actor TEXT NOT NULL,"
  "  action TEXT NOT NULL,"
  "  subject TEXT,"
  "  details TEXT NOT NULL,"
  "  prev_hash TEXT NOT NULL,"
  "  hash TEXT NOT NULL"
  ");"
  "INSERT INTO meta (key, value) VALUES "
  "  ('tp.state_hash', '0000000000000000000000000000000000000000000000000000000000000000');"
  "PRAGMA application_id = 1414549076;",   /* TP_STORE_APPLICATION_ID */
  /* 1 -> 2: boarding passes presented at a checkpoint (tp-boarding-log.c) */
  "CREATE TABLE boarding_pass ("
  "  pass_key TEXT NOT NULL,"
  "  checkpoint TEXT NOT NULL,"
  "  day TEXT NOT NULL,"
  "  case_id TEXT NOT NULL,"
  "  used_at INTEGER NOT NULL,"
  "  PRIMARY KEY (pass_key, checkpoint, day)"
  ");",
  /* 2 -> 3: the outbox, reconciled shifts, the entry count kept with the
   * state hash (tp-outbox.c, the sync client) */
  "CREATE TABLE outbox ("
  "  seq INTEGER PRIMARY KEY,"
  "  id TEXT NOT NULL UNIQUE,"
  "  type TEXT NOT NULL,"
  "  at_ms INTEGER NOT NULL,"
  "  audit_seq INTEGER NOT NULL,"
  "  audit_hash TEXT NOT NULL,"
  "  json TEXT NOT NULL,"
  "  recorded_at INTEGER NOT NULL,"
  "  status TEXT,"
  "  reason TEXT,"
  "  sent_at INTEGER,"
  "  attempts INTEGER NOT NULL DEFAULT 0"
  ");"
  "CREATE INDEX outbox_pending ON outbox (seq) WHERE status IS NULL;"
  "CREATE INDEX outbox_at ON outbox (at_ms);"
  "CREATE TABLE shift ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  opened_at_ms INTEGER NOT NULL,"
  "  closed_at_ms INTEGER NOT NULL,"
  "  answer TEXT"
  ");"
  "INSERT INTO meta (key, value) SELECT 'tp.entries', count(*) FROM entry_current;",
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == TP_STORE_SCHEMA_VERSION);
G_STATIC_ASSERT (TP_STORE_APPLICATION_ID == 1414549076);

#define CURRENT_COLUMNS \
  "id, version, list, status, agency, action, visibility, full_name, " \
  "birth_year, birth_month, birth_day, sex, nationality, identifiers, " \
  "basis_reference, basis_issued_by, basis_issued_at, basis_reason, " \
  "effective_from, effective_until"

enum {
  COL_ID, COL_VERSION, COL_LIST, COL_STATUS, COL_AGENCY, COL_ACTION, COL_VISIBILITY,
  COL_FULL_NAME, COL_BIRTH_YEAR, COL_BIRTH_MONTH, COL_BIRTH_DAY, COL_SEX, COL_NATIONALITY,
  COL_IDENTIFIERS, COL_BASIS_REFERENCE, COL_BASIS_ISSUED_BY, COL_BASIS_ISSUED_AT,
  COL_BASIS_REASON, COL_EFFECTIVE_FROM, COL_EFFECTIVE_UNTIL, N_CURRENT_COLUMNS
};

static gboolean
prepare (TpStore       *self,
         const char    *sql,
         sqlite3_stmt **stmt,
         GError       **error)
{
  int rc = sqlite3_prepare_v2 (self->db, sql, -1, stmt, NULL);

  if (rc != SQLITE_OK)
    {
      _tp_store_set_error (error, self->db, rc, "Cannot prepare a store query");
      return FALSE;
    }
  return TRUE;
}

gboolean
_tp_store_exec (TpStore     *self,
                const char  *sql,
                GError     **error)
{
  char *message = NULL;
  int rc = sqlite3_exec (self->db, sql, NULL, NULL, &message);

  if (rc != SQLITE_OK)
    {
      g_autofree char *what = g_strdup_printf ("Store query failed (%s)", message ? message : "");

      sqlite3_free (message);
      _tp_store_set_error (error, self->db, rc, what);
      return FALSE;
    }
  return TRUE;
}

sqlite3 *
_tp_store_get_db (TpStore *self)
{
  g_return_val_if_fail (TP_IS_STORE (self), NULL);

  return self->db;
}

gboolean
_tp_store_begin_write (TpStore  *self,
                       GError  **error)
{
  return _tp_store_exec (self, "BEGIN IMMEDIATE", error);
}

gboolean
_tp_store_commit (TpStore  *self,
                  GError  **error)
{
  if (_tp_store_exec (self, "COMMIT", error))
    return TRUE;
  _tp_store_rollback (self);
  return FALSE;
}

void
_tp_store_rollback (TpStore *self)
{
  if (!sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
}

void
_tp_store_set_entry_hook (TpStore          *self,
                          TpStoreEntryHook  hook,
                          gpointer          user_data)
{
  self->entry_hook = hook;
  self->entry_hook_data = user_data;
}

/* Helpers */

static gint64
query_int (TpStore     *self,
           const char  *sql,
           gboolean    *ok,
           GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value = 0;
  int rc;

  *ok = FALSE;
  if (!prepare (self, sql, &stmt, error))
    return 0;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      value = sqlite3_column_int64 (stmt, 0);
      *ok = TRUE;
    }
  else if (rc == SQLITE_DONE)
    *ok = TRUE;
  else
    _tp_store_set_error (error, self->db, rc, "Cannot read the store");
  sqlite3_finalize (stmt);
  return value;
}

static const char *
column_text (sqlite3_stmt *stmt,
             int           col)
{
  return (const char *) sqlite3_column_text (stmt, col);
}

static gboolean
meta_get (TpStore       *self,
          const char    *key,
          sqlite3_value **out_copy,
          GError       **error)
{
  int rc;

  *out_copy = NULL;
  sqlite3_bind_text (self->get_meta, 1, key, -1, SQLITE_STATIC);
  rc = sqlite3_step (self->get_meta);
  if (rc == SQLITE_ROW)
    *out_copy = sqlite3_value_dup (sqlite3_column_value (self->get_meta, 0));
  sqlite3_reset (self->get_meta);
  sqlite3_clear_bindings (self->get_meta);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      _tp_store_set_error (error, self->db, rc, "Cannot read the store");
      return FALSE;
    }
  return TRUE;
}

static gboolean
meta_step (TpStore  *self,
           GError  **error)
{
  int rc = sqlite3_step (self->set_meta);

  sqlite3_reset (self->set_meta);
  sqlite3_clear_bindings (self->set_meta);
  if (rc != SQLITE_DONE)
    {
      _tp_store_set_error (error, self->db, rc, "Cannot write to the store");
      return FALSE;
    }
  return TRUE;
}

static gboolean
meta_set_text (TpStore     *self,
               const char  *key,
               const char  *value,
               GError     **error)
{
  sqlite3_bind_text (self->set_meta, 1, key, -1, SQLITE_STATIC);
  if (value != NULL)
    sqlite3_bind_text (self->set_meta, 2, value, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null (self->set_meta, 2);
  return meta_step (self, error);
}

static gboolean
meta_set_int (TpStore     *self,
              const char  *key,
              gint64       value,
              GError     **error)
{
  sqlite3_bind_text (self->set_meta, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (self->set_meta, 2, value);
  return meta_step (self, error);
}

static gboolean
read_state_hash (TpStore      *self,
                 TpStateHash  *out,
                 GError      **error)
{
  sqlite3_value *value;
  gboolean ok;

  if (!meta_get (self, "tp.state_hash", &value, error))
    return FALSE;
  ok = value != NULL &&
       tp_state_hash_from_hex ((const char *) sqlite3_value_text (value), out);
  sqlite3_value_free (value);
  if (!ok)
    {
      g_set_error (error, TP_STORE_ERROR, TP_STORE_ERROR_FAILED,
                   "The store %s has no valid state hash (damaged store)", self->path);
      return FALSE;
    }
  return TRUE;
}

static gboolean
read_entry_count (TpStore  *self,
                  guint64  *out,
                  GError  **error)
{
  sqlite3_value *value;
  gboolean ok;

  if (!meta_get (self, "tp.entries", &value, error))
    return FALSE;
  ok = value != NULL && sqlite3_value_type (value) == SQLITE_INTEGER && sqlite3_value_int64 (value) >= 0;
  if (ok)
    *out = (guint64) sqlite3_value_int64 (value);
  sqlite3_value_free (value);
  if (!ok)
    {
      g_set_error (error, TP_STORE_ERROR, TP_STORE_ERROR_FAILED,
                   "The store %s has no valid entry count (damaged store)", self->path);
      return FALSE;
    }
  return TRUE;
}

/* Identifier encoding */

static char
identifier_code (TpIdentifierType type)
{
  switch (type)
    {
    case TP_ID_PASSPORT:
      return 'P';
    case TP_ID_NATIONAL_ID:
      return 'N';
    case TP_ID_TAX_CODE:
      return 'X';
    case TP_ID_OTHER:
    default:
      return 'O';
    }
}

static gboolean
identifier_from_code (char              c,
                      TpIdentifierType *out)
{
  switch (c)
    {
    case 'P':
      *out = TP_ID_PASSPORT;
      return TRUE;
    case 'N':
      *out = TP_ID_NATIONAL_ID;
      return TRUE;
    case 'X':
      *out = TP_ID_TAX_CODE;
      return TRUE;
    case 'O':
      *out = TP_ID_OTHER;
      return TRUE;
    default:
      return FALSE;
    }
}

static char *
encode_identifiers (const TpEntry *entry)
{
  GString *out;

  if (entry->identifiers == NULL || entry->identifiers->len == 0)
    return NULL;
  out = g_string_sized_new (64);
  for (guint i = 0; i < entry->identifiers->len; i++)
    {
      const TpIdentifier *id = g_ptr_array_index (entry->identifiers, i);

      if (i > 0)
        g_string_append_c (out, ';');
      g_string_append_c (out, identifier_code (id->type));
      g_string_append_c (out, ':');
      if (id->country != NULL)
        g_string_append (out, id->country);
      g_string_append_c (out, ':');
      g_string_append (out, id->value);
    }
  return g_string_free (out, FALSE);
}

/* Reading current rows without allocating per row */

typedef struct {
  TpEntry       entry;
  GPtrArray    *identifiers;               /* borrowed pointers into pool */
  TpIdentifier  pool[MAX_IDENTIFIERS];
  char         *scratch;
  gsize         scratch_size;
} RowReader;

static void
row_reader_init (RowReader *reader)
{
  memset (reader, 0, sizeof *reader);
  reader->identifiers = g_ptr_array_sized_new (4);
  reader->entry.identifiers = reader->identifiers;
}

static void
row_reader_clear (RowReader *reader)
{
  g_ptr_array_unref (reader->identifiers);
  g_free (reader->scratch);
}

static gboolean
decode_identifiers (RowReader  *reader,
                    const char *text,
                    int         len)
{
  char *p, *end;

  g_ptr_array_set_size (reader->identifiers, 0);
  if (text == NULL || len == 0)
    return TRUE;
  if ((gsize) len + 1 > reader->scratch_size)
    {
      reader->scratch_size = MAX ((gsize) len + 1, 2 * reader->scratch_size);
      reader->scratch = g_realloc (reader->scratch, reader->scratch_size);
    }
  memcpy (reader->scratch, text, (gsize) len);
  reader->scratch[len] = '\0';

  p = reader->scratch;
  end = p + len;
  while (p < end)
    {
      TpIdentifier *id;
      char *item_end = strchr (p, ';');
      char *country, *value;

      if (item_end == NULL)
        item_end = end;
      *item_end = '\0';
      if (reader->identifiers->len >= MAX_IDENTIFIERS || item_end - p < 4 || p[1] != ':')
        return FALSE;
      id = &reader->pool[reader->identifiers->len];
      if (!identifier_from_code (p[0], &id->type))
        return FALSE;
      country = p + 2;
      value = strchr (country, ':');
      if (value == NULL)
        return FALSE;
      *value++ = '\0';
      id->country = *country != '\0' ? country : NULL;
      id->value = value;
      g_ptr_array_add (reader->identifiers, id);
      p = item_end + 1;
    }
  return TRUE;
}

static gboolean
read_code (sqlite3_stmt *stmt,
           int           col,
           guint         n_values,
           guint        *out)
{
  gint64 v = sqlite3_column_int64 (stmt, col);

  if (v < 1 || v > n_values)
    return FALSE;
  *out = (guint) (v - 1);
  return TRUE;
}

/* Fills reader->entry from a row of CURRENT_COLUMNS. Strings point into
 * the statement's row: valid until the next step. */
static gboolean
row_reader_read (RowReader    *reader,
                 sqlite3_stmt *stmt)
{
  TpEntry *e = &reader->entry;
  const char *s;
  guint code;
  gint64 y, m, d;

  e->id = (char *) column_text (stmt, COL_ID);
  e->version = (guint) sqlite3_column_int64 (stmt, COL_VERSION);
  if (e->id == NULL || e->version < 1)
    return FALSE;
  if (!read_code (stmt, COL_LIST, 2, &code))
    return FALSE;
  e->list = (TpListKind) code;
  if (!read_code (stmt, COL_STATUS, 2, &code))
    return FALSE;
  e->status = (TpEntryStatus) code;
  if (!read_code (stmt, COL_AGENCY, 5, &code))
    return FALSE;
  e->agency = (TpAgency) code;
  if (!read_code (stmt, COL_ACTION, 4, &code))
    return FALSE;
  e->action = (TpAction) code;
  e->visibility = (TpRoles) (sqlite3_column_int (stmt, COL_VISIBILITY) & 7);

  e->full_name = (char *) column_text (stmt, COL_FULL_NAME);
  y = sqlite3_column_int64 (stmt, COL_BIRTH_YEAR);
  m = sqlite3_column_int64 (stmt, COL_BIRTH_MONTH);
  d = sqlite3_column_int64 (stmt, COL_BIRTH_DAY);
  if (y < 0 || y > 9999 || m < 0 || m > 12 || d < 0 || d > 31)
    return FALSE;
  e->birth_date.year = (guint16) y;
  e->birth_date.month = (guint8) m;
  e->birth_date.day = (guint8) d;
  s = column_text (stmt, COL_SEX);
  e->sex = s != NULL ? s[0] : 0;
  s = column_text (stmt, COL_NATIONALITY);
  if (s != NULL && tp_country_is_valid (s) && strlen (s) <= 3)
    memcpy (e->nationality, s, strlen (s) + 1);
  else
    e->nationality[0] = '\0';

  s = column_text (stmt, COL_IDENTIFIERS);
  if (!decode_identifiers (reader, s, sqlite3_column_bytes (stmt, COL_IDENTIFIERS)))
    return FALSE;

  e->basis_reference = (char *) column_text (stmt, COL_BASIS_REFERENCE);
  e->basis_issued_by = (char *) column_text (stmt, COL_BASIS_ISSUED_BY);
  e->basis_issued_at = (char *) column_text (stmt, COL_BASIS_ISSUED_AT);
  e->basis_reason = (char *) column_text (stmt, COL_BASIS_REASON);

  g_date_clear (&e->effective_from, 1);
  g_date_clear (&e->effective_until, 1);
  d = sqlite3_column_int64 (stmt, COL_EFFECTIVE_FROM);
  if (d < 1 || d > G_MAXUINT32)
    return FALSE;
  g_date_set_julian (&e->effective_from, (guint32) d);
  if (sqlite3_column_type (stmt, COL_EFFECTIVE_UNTIL) != SQLITE_NULL)
    {
      d = sqlite3_column_int64 (stmt, COL_EFFECTIVE_UNTIL);
      if (d < 1 || d > G_MAXUINT32)
        return FALSE;
      g_date_set_julian (&e->effective_until, (guint32) d);
    }
  return TRUE;
}

/* Writing */

static void
bind_text_or_null (sqlite3_stmt *stmt,
                   int           col,
                   const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, col, text, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null (stmt, col);
}

static gboolean
check_entry (const TpEntry  *entry,
             guint           index,
             GError        **error)
{
  if (entry == NULL || entry->id == NULL || entry->version < 1 ||
      !g_date_valid (&entry->effective_from) || entry->identifiers == NULL ||
      (guint) entry->list > TP_LIST_WATCH || (guint) entry->status > TP_ENTRY_CANCELLED ||
      (guint) entry->agency > TP_AGENCY_COURT || (guint) entry->action > TP_ACTION_NOTIFY ||
      entry->identifiers->len > MAX_IDENTIFIERS)
    {
      g_set_error (error, TP_STORE_ERROR, TP_STORE_ERROR_INVALID,
                   "Entry %u of the batch is incomplete (it did not come from the decoder)", index);
      return FALSE;
    }
  for (guint i = 0; i < entry->identifiers->len; i++)
    {
      const TpIdentifier *id = g_ptr_array_index (entry->identifiers, i);

      if (id->value == NULL || *id->value == '\0' || strpbrk (id->value, ":;") != NULL ||
          (id->country != NULL && !tp_country_is_valid (id->country)))
        {
          g_set_error (error, TP_STORE_ERROR, TP_STORE_ERROR_INVALID,
                       "Entry “%s” has an identifier the store cannot hold (empty, with “:” or “;”, "
                       "or a country that is not a country code)", entry->id);
          return FALSE;
        }
    }
  return TRUE;
}

/* A plain INSERT or UPDATE, never INSERT OR REPLACE: REPLACE needs a
 * statement journal, and SQLCipher encrypts every page that goes into it,
 * which made imports ten times slower. */
static gboolean
write_current_with (TpStore        *self,
                    sqlite3_stmt   *stmt,
                    const TpEntry  *entry,
                    const guint8    digest[TP_STATE_HASH_SIZE],
                    GError        **error)
{
  g_autofree char *identifiers = encode_identifiers (entry);
  char sex[2] = { entry->sex, '\0' };
  int rc;

  sqlite3_bind_text (stmt, 1 + COL_ID, entry->id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 1 + COL_VERSION, entry->version);
  sqlite3_bind_int (stmt, 1 + COL_LIST, (int) entry->list + 1);
  sqlite3_bind_int (stmt, 1 + COL_STATUS, (int) entry->status + 1);
  sqlite3_bind_int (stmt, 1 + COL_AGENCY, (int) entry->agency + 1);
  sqlite3_bind_int (stmt, 1 + COL_ACTION, (int) entry->action + 1);
  sqlite3_bind_int (stmt, 1 + COL_VISIBILITY, (int) entry->visibility);
  bind_text_or_null (stmt, 1 + COL_FULL_NAME, entry->full_name);
  sqlite3_bind_int (stmt, 1 + COL_BIRTH_YEAR, entry->birth_date.year);
  sqlite3_bind_int (stmt, 1 + COL_BIRTH_MONTH, entry->birth_date.month);
  sqlite3_bind_int (stmt, 1 + COL_BIRTH_DAY, entry->birth_date.day);
  bind_text_or_null (stmt, 1 + COL_SEX, entry->sex != 0 ? sex : NULL);
  bind_text_or_null (stmt, 1 + COL_NATIONALITY, entry->nationality[0] != '\0' ? entry->nationality : NULL);
  bind_text_or_null (stmt, 1 + COL_IDENTIFIERS, identifiers);
  bind_text_or_null (stmt, 1 + COL_BASIS_REFERENCE, entry->basis_reference);
  bind_text_or_null (stmt, 1 + COL_BASIS_ISSUED_BY, entry->basis_issued_by);
  bind_text_or_null (stmt, 1 + COL_BASIS_ISSUED_AT, entry->basis_issued_at);
  bind_text_or_null (stmt, 1 + COL_BASIS_REASON, entry->basis_reason);
  sqlite3_bind_int64 (stmt, 1 + COL_EFFECTIVE_FROM, g_date_get_julian (&entry->effective_from));
  if (g_date_valid (&entry->effective_until))
    sqlite3_bind_int64 (stmt, 1 + COL_EFFECTIVE_UNTIL, g_date_get_julian (&entry->effective_until));
  else
    sqlite3_bind_null (stmt, 1 + COL_EFFECTIVE_UNTIL);
  sqlite3_bind_blob (stmt, 1 + N_CURRENT_COLUMNS, digest, TP_STATE_HASH_SIZE, SQLITE_STATIC);

  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  if (rc != SQLITE_DONE)
    {
      _tp_store_set_error (error, self->db, rc, "Cannot write an entry to the store");
      return FALSE;
    }
  return TRUE;
}

static gboolean
write_current (TpStore        *self,
               const TpEntry  *entry,
               gboolean        exists,
               const guint8    digest[TP_STATE_HASH_SIZE],
               GError        **error)
{
  return write_current_with (self, exists ? self->update_current : self->insert_current,
                             entry, digest, error);
}

static gboolean
write_version_with (TpStore        *self,
                    sqlite3_stmt   *stmt,
                    const TpEntry  *entry,
                    const char     *json,
                    gint64          now,
                    GError        **error)
{
  int rc;

  sqlite3_bind_text (stmt, 1, entry->id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, entry->version);
  sqlite3_bind_text (stmt, 3, json, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, now);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  if (rc != SQLITE_DONE)
    {
      _tp_store_set_error (error, self->db, rc, "Cannot write an entry version to the store");
      return FALSE;
    }
  return TRUE;
}

static gboolean
write_version (TpStore        *self,
               const TpEntry  *entry,
               const char     *json,
               gint64          now,
               GError        **error)
{
  return write_version_with (self, self->insert_version, entry, json, now, error);
}

/* Looks up the current version of @id: *found, *version and *digest. */
static gboolean
lookup_current (TpStore     *self,
                const char  *id,
                gboolean    *found,
                guint       *version,
                guint8       digest[TP_STATE_HASH_SIZE],
                GError     **error)
{
  sqlite3_stmt *stmt = self->select_current;
  gboolean ok = TRUE;
  int rc;

  *found = FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *found = TRUE;
      *version = (guint) sqlite3_column_int64 (stmt, 0);
      if (sqlite3_column_bytes (stmt, 1) != TP_STATE_HASH_SIZE)
        {
          g_set_error (error, TP_STORE_ERROR, TP_STORE_ERROR_FAILED,
                       "The store %s is damaged: entry “%s” has no valid digest", self->path, id);
          ok = FALSE;
        }
      else
        memcpy (digest, sqlite3_column_blob (stmt, 1), TP_STATE_HASH_SIZE);
    }
  else if (rc != SQLITE_DONE)
    {
      _tp_store_set_error (error, self->db, rc, "Cannot read the store");
      ok = FALSE;
    }
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  return ok;
}

static gboolean
write_feed_position (TpStore               *self,
                     const TpFeedPosition  *position,
                     GError               **error)
{
  return meta_set_int (self, "tp.feed.sequence", position->sequence, error) &&
         meta_set_text (self, "tp.feed.head_hash", position->head_hash, error) &&
         meta_set_text (self, "tp.feed.chain", position->chain, error) &&
         meta_set_int (self, "tp.feed.head_seq", position->head_seq, error) &&
         meta_set_int (self, "tp.feed.head_issued_at", position->head_issued_at, error) &&
         meta_set_int (self, "tp.feed.head_expires_at", position->head_expires_at, error) &&
         meta_set_int (self, "tp.feed.updated_at",
                       position->updated_at != 0 ? position->updated_at : g_get_real_time () / G_USEC_PER_SEC,
                       error);
}

/* Opening */

static gboolean
set_key (TpStore      *self,
         const guint8  key[TP_KEY_SIZE],
         GError      **error)
{
  static const char hex[] = "0123456789abcdef";
  char pragma[sizeof "PRAGMA key = \"x'';\"" + 2 * TP_KEY_SIZE];
  gsize n = 0;
  int rc;

  memcpy (pragma, "PRAGMA key = \"x'", 16);
  n = 16;
  for (guint i = 0; i < TP_KEY_SIZE; i++)
    {
      pragma[n++] = hex[key[i] >> 4];
      pragma[n++] = hex[key[i] & 0xf];
    }
  memcpy (pragma + n, "'\";", 4);
  rc = sqlite3_exec (self->db, pragma, NULL, NULL, NULL);
  OPENSSL_cleanse (pragma, sizeof pragma);
  if (rc != SQLITE_OK)
    {
      _tp_store_set_error (error, self->db, rc, "Cannot set the store key");
      return FALSE;
    }
  return TRUE;
}

static gboolean
migrate (TpStore  *self,
         GError  **error)
{
  for (guint v = self->schema_version; v < G_N_ELEMENTS (migrations); v++)
    {
      g_autofree char *set_version = g_strdup_printf ("PRAGMA user_version = %u", v + 1);

      if (!_tp_store_begin_write (self, error))
        return FALSE;
      if (!_tp_store_exec (self, migrations[v], error) ||
          !_tp_store_exec (self, set_version, error) ||
          !_tp_store_commit (self, error))
        {
          _tp_store_rollback (self);
          g_prefix_error (error, "Cannot upgrade the store %s to schema version %u: ", self->path, v + 1);
          return FALSE;
        }
      self->schema_version = v + 1;
    }
  return TRUE;
}

static void
set_wrong_key (GError     **error,
               const char  *path)
{
  g_set_error (error, TP_STORE_ERROR, TP_STORE_ERROR_WRONG_KEY,
               "The store %s cannot be opened with this key: wrong key, or not a Touchpoint store", path);
}

/* Everything before the first write: the key is right and the file is ours. */
static gboolean
check_store (TpStore  *self,
             GError  **error)
{
  gint64 tables, user_version, application_id;
  gboolean ok;
  int rc;

  /* cipher_page_size must match the file's, so it is fixed (and set
   * explicitly, SQLCipher 3 and 4 having different defaults). 16 KiB:
   * SQLCipher's cost is mostly per page (a read, a decryption, an HMAC), so
   * loading a million entries takes a quarter less CPU than with 4 KiB
   * pages, while imports stay as fast (64 KiB pages halve import speed). */
  /* One file format on both: SQLCipher 4 derives the HMAC key with SHA-512
   * by default where 3 uses SHA-1, and would read a store written by 3 as
   * a wrong key. Compatibility 3 pins 4 to the older format; SQLCipher 3
   * does not know the pragma and ignores it. */
  /* A process that also loads plain SQLite (libsoup links it) must have
   * its sqlite3_* calls bound to SQLCipher: were they not, the store would
   * be read, or worse created, unencrypted. Only SQLCipher knows this
   * pragma. */
  {
    sqlite3_stmt *stmt = NULL;
    gboolean cipher;

    if (!prepare (self, "PRAGMA cipher_version", &stmt, error))
      return FALSE;
    cipher = sqlite3_step (stmt) == SQLITE_ROW && column_text (stmt, 0) != NULL;
    sqlite3_finalize (stmt);
    if (!cipher)
      {
        g_set_error (error, TP_STORE_ERROR, TP_STORE_ERROR_FAILED,
                     "Cannot open the store %s: this program's SQLite is not SQLCipher (plain SQLite "
                     "was linked ahead of it), so the store could not be encrypted", self->path);
        return FALSE;
      }
  }
  if (!_tp_store_exec (self, "PRAGMA cipher_compatibility = 3", error))
    return FALSE;
  if (!_tp_store_exec (self, "PRAGMA cipher_page_size = " G_STRINGIFY (TP_STORE_PAGE_SIZE), error))
    return FALSE;

  tables = query_int (self, "SELECT count(*) FROM sqlite_master", &ok, NULL);
  if (!ok)
    {
      rc = sqlite3_errcode (self->db);
      if (rc == SQLITE_NOTADB || rc == SQLITE_CORRUPT)
        set_wrong_key (error, self->path);
      else
        _tp_store_set_error (error, self->db, rc, "Cannot read the store");
      return FALSE;
    }
  user_version = query_int (self, "PRAGMA user_version", &ok, error);
  if (!ok)
    return FALSE;
  application_id = query_int (self, "PRAGMA application_id", &ok, error);
  if (!ok)
    return FALSE;

  if (user_version == 0)
    {
      /* a database with the right key but nothing in it is a store at
       * version 0 (to be migrated); with tables, it is someone else's */
      if (tables != 0)
        {
          set_wrong_key (error, self->path);
          return FALSE;
        }
    }
  else if (application_id != TP_STORE_APPLICATION_ID)
    {
      set_wrong_key (error, self->path);
      return FALSE;
    }
  else if (user_version > TP_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, TP_STORE_ERROR, TP_STORE_ERROR_TOO_NEW,
                   "The store %s has schema version %" G_GINT64_FORMAT ", newer than this program "
                   "understands (%d): update Touchpoint", self->path, user_version,
                   TP_STORE_SCHEMA_VERSION);
      return FALSE;
    }
  self->schema_version = (guint) user_version;
  return TRUE;
}

static gboolean
prepare_statements (TpStore  *self,
                    GError  **error)
{
  return prepare (self, "SELECT version, digest FROM entry_current WHERE id = ?1",
                  &self->select_current, error) &&
         prepare (self, "INSERT INTO entry_version (id, version, json, received_at) VALUES (?1, ?2, ?3, ?4)",
                  &self->insert_version, error) &&
         prepare (self, "INSERT INTO entry_current (" CURRENT_COLUMNS ", digest) VALUES "
                        "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, "
                        "?18, ?19, ?20, ?21)",
                  &self->insert_current, error) &&
         prepare (self, "UPDATE entry_current SET version = ?2, list = ?3, status = ?4, agency = ?5, "
                        "action = ?6, visibility = ?7, full_name = ?8, birth_year = ?9, birth_month = ?10, "
                        "birth_day = ?11, sex = ?12, nationality = ?13, identifiers = ?14, "
                        "basis_reference = ?15, basis_issued_by = ?16, basis_issued_at = ?17, "
                        "basis_reason = ?18, effective_from = ?19, effective_until = ?20, digest = ?21 "
                        "WHERE id = ?1",
                  &self->update_current, error) &&
         prepare (self, "SELECT value FROM meta WHERE key = ?1", &self->get_meta, error) &&
         prepare (self, "INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)", &self->set_meta, error);
}

static void
remove_created_file (const char *path)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  g_autofree char *journal = g_strconcat (path, "-journal", NULL);

  unlink (path);
  unlink (wal);
  unlink (shm);
  unlink (journal);
}

/* GObject */

static void
tp_store_finalize (GObject *object)
{
  TpStore *self = TP_STORE (object);

  sqlite3_finalize (self->select_current);
  sqlite3_finalize (self->insert_version);
  sqlite3_finalize (self->insert_current);
  sqlite3_finalize (self->update_current);
  sqlite3_finalize (self->get_meta);
  sqlite3_finalize (self->set_meta);
  if (self->db != NULL)
    sqlite3_close (self->db);
  g_free (self->path);
  G_OBJECT_CLASS (tp_store_parent_class)->finalize (object);
}

static void
tp_store_class_init (TpStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tp_store_finalize;
}

static void
tp_store_init (TpStore *self)
{
}

/* Public API */

TpStore *
tp_store_open (const char        *path,
               TpKeySource       *key_source,
               TpStoreOpenFlags   flags,
               GError           **error)
{
  g_autoptr(TpStore) self = NULL;
  guint8 key[TP_KEY_SIZE];
  struct stat st;
  gboolean exists;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (TP_IS_KEY_SOURCE (key_source), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (TP_TYPE_STORE, NULL);
  self->path = g_strdup (path);

  if (stat (path, &st) == 0)
    exists = TRUE;
  else if (errno == ENOENT)
    exists = FALSE;
  else
    {
      int saved = errno;

      g_set_error (error, TP_STORE_ERROR, TP_STORE_ERROR_FAILED,
                   "Cannot open the store %s: %s", path, g_strerror (saved));
      return NULL;
    }

  if (!exists && !(flags & TP_STORE_OPEN_CREATE))
    {
      g_set_error (error, TP_STORE_ERROR, TP_STORE_ERROR_NOT_FOUND,
                   "There is no store at %s", path);
      return NULL;
    }
  if (exists && (flags & TP_STORE_OPEN_CREATE) && (flags & TP_STORE_OPEN_EXCLUSIVE))
    {
      g_set_error (error, TP_STORE_ERROR, TP_STORE_ERROR_EXISTS,
                   "Cannot create a store at %s: a file is already there", path);
      return NULL;
    }
  if (exists && !S_ISREG (st.st_mode))
    {
      g_set_error (error, TP_STORE_ERROR, TP_STORE_ERROR_FAILED,
                   "Cannot open the store %s: not a regular file", path);
      return NULL;
    }
  if (exists && st.st_size == 0)
    {
      g_set_error (error, TP_STORE_ERROR, TP_STORE_ERROR_WRONG_KEY,
                   "The store %s is an empty file, not a Touchpoint store "
                   "(left by an interrupted creation?): remove it to create a new store", path);
      return NULL;
    }

  if (!tp_key_source_get_key (key_source, !exists, key, error))
    return NULL;

  if (!exists)
    {
      int fd = open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);

      if (fd < 0)
        {
          int saved = errno;

          OPENSSL_cleanse (key, sizeof key);
          g_set_error (error, TP_STORE_ERROR,
                       saved == EEXIST ? TP_STORE_ERROR_EXISTS : TP_STORE_ERROR_FAILED,
                       "Cannot create the store %s: %s", path, g_strerror (saved));
          return NULL;
        }
      close (fd);
      self->created = TRUE;
    }

  rc = sqlite3_open_v2 (path, &self->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      OPENSSL_cleanse (key, sizeof key);
      _tp_store_set_error (error, self->db, rc, "Cannot open the store");
      g_prefix_error (error, "%s: ", path);
      goto fail;
    }
  sqlite3_extended_result_codes (self->db, TRUE);
  /* Before the first read: another connection writing (a batch, a WAL
   * checkpoint) must make this one wait, not fail with "database is
   * locked". Waiting writes nothing. */
  sqlite3_busy_timeout (self->db, 30000);

  if (!set_key (self, key, error))
    {
      OPENSSL_cleanse (key, sizeof key);
      goto fail;
    }
  OPENSSL_cleanse (key, sizeof key);

  if (!check_store (self, error))
    goto fail;

  /* From here on the key is right and the file is a store: writes are allowed. */
  if (!_tp_store_exec (self,
                       "PRAGMA journal_mode = WAL;"
                       "PRAGMA synchronous = NORMAL;"
                       "PRAGMA temp_store = MEMORY;"
                       "PRAGMA cache_size = -32768;"
                       "PRAGMA journal_size_limit = 67108864;",
                       error))
    goto fail;

  if (!migrate (self, error) ||
      !prepare_statements (self, error))
    goto fail;

  return g_steal_pointer (&self);

fail:
  if (self->created)
    {
      if (self->db != NULL)
        {
          sqlite3_close (self->db);
          self->db = NULL;
        }
      remove_created_file (path);
    }
  return NULL;
}

const char *
tp_store_get_path (TpStore *self)
{
  g_return_val_if_fail (TP_IS_STORE (self), NULL);

  return self->path;
}

gboolean
tp_store_get_created (TpStore *self)
{
  g_return_val_if_fail (TP_IS_STORE (self), FALSE);

  return self->created;
}

guint
tp_store_get_schema_version (TpStore *self)
{
  g_return_val_if_fail (TP_IS_STORE (self), 0);

  return self->schema_version;
}

void
tp_store_batch_result_clear (TpStoreBatchResult *result)
{
  g_return_if_fail (result != NULL);

  g_clear_pointer (&result->ignored_indices, g_array_unref);
  g_clear_pointer (&result->ignored_current, g_array_unref);
  g_clear_pointer (&result->conflict_indices, g_array_unref);
  result->applied = 0;
  result->ignored = 0;
  result->conflicts = 0;
  result->state_hash[0] = '\0';
}

void
tp_feed_position_clear (TpFeedPosition *position)
{
  g_return_if_fail (position != NULL);

  g_clear_pointer (&position->head_hash, g_free);
  g_clear_pointer (&position->chain, g_free);
  memset (position, 0, sizeof *position);
}

gboolean
tp_store_apply_batch (TpStore            *self,
                      GPtrArray          *entries,
                      TpStoreBatchResult *result,
                      GError            **error)
{
  return tp_store_apply_batch_full (self, entries, NULL, NULL, result, error);
}

static gboolean
apply_batch (TpStore              *self,
             GPtrArray            *entries,
             const TpFeedPosition *position,
             const char           *actor,
             const TpStateHash    *expected_hash,
             guint64               expected_entries,
             TpStoreBatchResult   *result,
             GError              **error)
{
  TpStateHash state;
  guint64 count = 0;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  g_autofree char *details = NULL;
  char hex[TP_STATE_HASH_HEX_LEN + 1];

  g_return_val_if_fail (result != NULL, FALSE);
  memset (result, 0, sizeof *result);
  result->ignored_indices = g_array_new (FALSE, FALSE, sizeof (guint));
  result->ignored_current = g_array_new (FALSE, FALSE, sizeof (guint));
  result->conflict_indices = g_array_new (FALSE, FALSE, sizeof (guint));
  g_return_val_if_fail (TP_IS_STORE (self), FALSE);
  g_return_val_if_fail (entries != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  for (guint i = 0; i < entries->len; i++)
    if (!check_entry (g_ptr_array_index (entries, i), i, error))
      return FALSE;

  if (!_tp_store_begin_write (self, error))
    return FALSE;
  if (!read_state_hash (self, &state, error) ||
      !read_entry_count (self, &count, error))
    goto fail;

  for (guint i = 0; i < entries->len; i++)
    {
      const TpEntry *entry = g_ptr_array_index (entries, i);
      guint8 old_digest[TP_STATE_HASH_SIZE];
      guint8 digest[TP_STATE_HASH_SIZE];
      g_autofree char *json = NULL;
      gboolean found;
      guint current;

      if (!lookup_current (self, entry->id, &found, &current, old_digest, error))
        goto fail;

      json = tp_entry_to_json (entry);
      tp_state_hash_digest_json (json, strlen (json), digest);

      /* The current version again: a repeat when the content is the same
       * (the digest covers the canonical JSON), else a conflict. */
      if (found && entry->version == current &&
          memcmp (digest, old_digest, TP_STATE_HASH_SIZE) != 0)
        {
          g_array_append_val (result->conflict_indices, i);
          result->conflicts++;
          continue;
        }
      if (found && entry->version <= current)
        {
          g_array_append_val (result->ignored_indices, i);
          g_array_append_val (result->ignored_current, current);
          result->ignored++;
          continue;
        }

      if (!write_version (self, entry, json, now, error) ||
          !write_current (self, entry, found, digest, error))
        goto fail;
      if (found)
        tp_state_hash_remove_digest (&state, old_digest);
      else
        count++;
      tp_state_hash_add_digest (&state, digest);
      result->applied++;

      if (self->entry_hook != NULL)
        self->entry_hook (self, i, self->entry_hook_data);
    }

  tp_state_hash_to_hex_buf (&state, hex);
  if (expected_hash != NULL &&
      (!tp_state_hash_equal (&state, expected_hash) || count != expected_entries))
    {
      g_autofree char *want = tp_state_hash_to_hex (expected_hash);

      g_set_error (error, TP_STORE_ERROR, TP_STORE_ERROR_MISMATCH,
                   "After the batch the list would have state hash %s and %" G_GUINT64_FORMAT
                   " entries, where %s and %" G_GUINT64_FORMAT " were expected: not applied",
                   hex, count, want, expected_entries);
      goto fail;
    }
  if (!meta_set_text (self, "tp.state_hash", hex, error) ||
      !meta_set_int (self, "tp.entries", (gint64) count, error))
    goto fail;
  if (position != NULL && !write_feed_position (self, position, error))
    goto fail;

  if (result->applied > 0 || result->ignored > 0 || result->conflicts > 0 || position != NULL)
    {
      /* Members in canonical (sorted) order; "conflicts" only when there
       * are some, so that earlier records keep their form. */
      g_autofree char *conflicts = result->conflicts > 0
                                     ? g_strdup_printf ("\"conflicts\":%u,", result->conflicts)
                                     : g_strdup ("");

      if (position != NULL)
        details = g_strdup_printf ("{\"applied\":%u,%s\"feed_sequence\":%" G_GINT64_FORMAT
                                   ",\"ignored\":%u,\"state_hash\":\"%s\"}",
                                   result->applied, conflicts, position->sequence, result->ignored,
                                   hex);
      else
        details = g_strdup_printf ("{\"applied\":%u,%s\"ignored\":%u,\"state_hash\":\"%s\"}",
                                   result->applied, conflicts, result->ignored, hex);
      if (!_tp_audit_chain_append (self->db, actor != NULL ? actor : "system", "list.batch",
                                   NULL, details, NULL, NULL, error))
        goto fail;
    }

  if (!_tp_store_commit (self, error))
    goto fail;
  memcpy (result->state_hash, hex, sizeof hex);
  return TRUE;

fail:
  _tp_store_rollback (self);
  g_array_set_size (result->ignored_indices, 0);
  g_array_set_size (result->ignored_current, 0);
  g_array_set_size (result->conflict_indices, 0);
  result->applied = 0;
  result->ignored = 0;
  result->conflicts = 0;
  return FALSE;
}

gboolean
tp_store_apply_batch_full (TpStore              *self,
                           GPtrArray            *entries,
                           const TpFeedPosition *position,
                           const char           *actor,
                           TpStoreBatchResult   *result,
                           GError              **error)
{
  return apply_batch (self, entries, position, actor, NULL, 0, result, error);
}

gboolean
tp_store_apply_feed_batch (TpStore              *self,
                           GPtrArray            *entries,
                           const TpFeedPosition *position,
                           const TpStateHash    *expected_hash,
                           guint64               expected_entries,
                           TpStoreBatchResult   *result,
                           GError              **error)
{
  g_return_val_if_fail (position != NULL, FALSE);
  g_return_val_if_fail (expected_hash != NULL, FALSE);

  return apply_batch (self, entries, position, "sync", expected_hash, expected_entries, result, error);
}

/* Replacing the list */

struct _TpStoreReplace {
  TpStore      *store;
  sqlite3_stmt *insert_current;
  sqlite3_stmt *insert_version;
  TpStateHash   state;
  guint64       count;
  guint         in_transaction;  /* entries written in the open transaction */
  gint64        now;
  gboolean      committed;
};

/* Entries written per transaction while filling the new list: the write
 * lock is taken this long at most (about 0.2 s), so that events recorded
 * at the counter meanwhile never wait long. */
#define REPLACE_CHUNK 10000

static const char * const replace_tables[][2] = {
  { "entry_current", "replace_entry_current" },
  { "entry_version", "replace_entry_version" },
};

static gboolean
drop_replace_tables (TpStore  *self,
                     GError  **error)
{
  if (!_tp_store_begin_write (self, error))
    return FALSE;
  if (!_tp_store_exec (self,
                       "DROP TABLE IF EXISTS replace_entry_current;"
                       "DROP TABLE IF EXISTS replace_entry_version;"
                       "DROP TABLE IF EXISTS retired_entry_current;"
                       "DROP TABLE IF EXISTS retired_entry_version;",
                       error))
    {
      _tp_store_rollback (self);
      return FALSE;
    }
  return _tp_store_commit (self, error);
}

/* CREATE TABLE @to made like @from (its SQL as the schema holds it), so
 * that a later migration of the entry tables carries over. */
static gboolean
create_like (TpStore     *self,
             const char  *from,
             const char  *to,
             GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  g_autofree char *sql = NULL;
  const char *text;
  int rc;

  if (!prepare (self, "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?1", &stmt, error))
    return FALSE;
  sqlite3_bind_text (stmt, 1, from, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  /* "CREATE TABLE name (...)", the name quoted once the table was renamed */
  text = rc == SQLITE_ROW ? column_text (stmt, 0) : NULL;
  if (text != NULL && g_str_has_prefix (text, "CREATE TABLE ") && strchr (text, '(') != NULL)
    sql = g_strdup_printf ("CREATE TABLE %s %s", to, strchr (text, '('));
  sqlite3_finalize (stmt);
  if (sql == NULL)
    {
      g_set_error (error, TP_STORE_ERROR, TP_STORE_ERROR_FAILED,
                   "The store %s is damaged: the table %s is missing or malformed", self->path, from);
      return FALSE;
    }
  return _tp_store_exec (self, sql, error);
}

/* The explicit indexes of @table (name, SQL), which a swap must carry over. */
static GPtrArray *
list_indexes (TpStore     *self,
              const char  *table,
              GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func (g_free);
  int rc;

  if (!prepare (self, "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ?1 "
                      "AND sql IS NOT NULL", &stmt, error))
    return NULL;
  sqlite3_bind_text (stmt, 1, table, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_ptr_array_add (out, g_strdup (column_text (stmt, 0)));
      g_ptr_array_add (out, g_strdup (column_text (stmt, 1)));
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      _tp_store_set_error (error, self->db, rc, "Cannot read the store's schema");
      return NULL;
    }
  return g_steal_pointer (&out);
}

TpStoreReplace *
tp_store_replace_begin (TpStore  *self,
                        GError  **error)
{
  g_autoptr(TpStoreReplace) replace = NULL;

  g_return_val_if_fail (TP_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!drop_replace_tables (self, error))
    return NULL;
  if (!_tp_store_begin_write (self, error))
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (replace_tables); i++)
    if (!create_like (self, replace_tables[i][0], replace_tables[i][1], error))
      {
        _tp_store_rollback (self);
        return NULL;
      }
  if (!_tp_store_commit (self, error))
    return NULL;

  replace = g_new0 (TpStoreReplace, 1);
  replace->store = g_object_ref (self);
  replace->now = g_get_real_time () / G_USEC_PER_SEC;
  tp_state_hash_init (&replace->state);
  if (!prepare (self, "INSERT INTO replace_entry_current (" CURRENT_COLUMNS ", digest) VALUES "
                      "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, "
                      "?18, ?19, ?20, ?21)",
                &replace->insert_current, error) ||
      !prepare (self, "INSERT INTO replace_entry_version (id, version, json, received_at) "
                      "VALUES (?1, ?2, ?3, ?4)",
                &replace->insert_version, error))
    return NULL;
  return g_steal_pointer (&replace);
}

gboolean
tp_store_replace_add (TpStoreReplace  *replace,
                      const TpEntry   *entry,
                      const char      *json,
                      GError         **error)
{
  TpStore *self;
  g_autofree char *own_json = NULL;
  guint8 digest[TP_STATE_HASH_SIZE];

  g_return_val_if_fail (replace != NULL && !replace->committed, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  self = replace->store;
  if (!check_entry (entry, (guint) MIN (replace->count, G_MAXUINT), error))
    return FALSE;
  if (json == NULL)
    json = own_json = tp_entry_to_json (entry);
  tp_state_hash_digest_json (json, strlen (json), digest);

  if (replace->in_transaction == 0 && !_tp_store_begin_write (self, error))
    return FALSE;
  replace->in_transaction++;
  if (!write_version_with (self, replace->insert_version, entry, json, replace->now, error) ||
      !write_current_with (self, replace->insert_current, entry, digest, error))
    {
      _tp_store_rollback (self);
      replace->in_transaction = 0;
      return FALSE;
    }
  tp_state_hash_add_digest (&replace->state, digest);
  replace->count++;
  if (self->entry_hook != NULL)
    self->entry_hook (self, (guint) MIN (replace->count - 1, G_MAXUINT), self->entry_hook_data);
  if (replace->in_transaction >= REPLACE_CHUNK)
    {
      replace->in_transaction = 0;
      if (!_tp_store_commit (self, error))
        return FALSE;
    }
  return TRUE;
}

guint64
tp_store_replace_get_count (TpStoreReplace *replace)
{
  g_return_val_if_fail (replace != NULL, 0);

  return replace->count;
}

gboolean
tp_store_replace_commit (TpStoreReplace        *replace,
                         const TpFeedPosition  *position,
                         const TpStateHash     *expected_hash,
                         guint64                expected_entries,
                         const char            *actor,
                         GError               **error)
{
  TpStore *self;
  g_autoptr(GPtrArray) indexes = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) local_error = NULL;
  g_autofree char *details = NULL;
  char hex[TP_STATE_HASH_HEX_LEN + 1];

  g_return_val_if_fail (replace != NULL && !replace->committed, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  self = replace->store;
  if (replace->in_transaction > 0)
    {
      replace->in_transaction = 0;
      if (!_tp_store_commit (self, error))
        return FALSE;
    }
  tp_state_hash_to_hex_buf (&replace->state, hex);
  if (expected_hash != NULL &&
      (!tp_state_hash_equal (&replace->state, expected_hash) || replace->count != expected_entries))
    {
      g_autofree char *want = tp_state_hash_to_hex (expected_hash);

      g_set_error (error, TP_STORE_ERROR, TP_STORE_ERROR_MISMATCH,
                   "The new list has state hash %s and %" G_GUINT64_FORMAT " entries, where %s and %"
                   G_GUINT64_FORMAT " were expected: the list was not replaced",
                   hex, replace->count, want, expected_entries);
      return FALSE;
    }

  if (!_tp_store_begin_write (self, error))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (replace_tables); i++)
    {
      g_autoptr(GPtrArray) found = list_indexes (self, replace_tables[i][0], error);

      if (found == NULL)
        goto fail;
      for (guint j = 0; j < found->len; j += 2)
        {
          g_autofree char *drop = g_strdup_printf ("DROP INDEX %s", (char *) found->pdata[j]);

          if (!_tp_store_exec (self, drop, error))
            goto fail;
          g_ptr_array_add (indexes, g_strdup (found->pdata[j + 1]));
        }
    }
  if (!_tp_store_exec (self,
                       "ALTER TABLE entry_current RENAME TO retired_entry_current;"
                       "ALTER TABLE entry_version RENAME TO retired_entry_version;"
                       "ALTER TABLE replace_entry_current RENAME TO entry_current;"
                       "ALTER TABLE replace_entry_version RENAME TO entry_version;",
                       error))
    goto fail;
  for (guint i = 0; i < indexes->len; i++)
    if (!_tp_store_exec (self, indexes->pdata[i], error))
      goto fail;
  if (!meta_set_text (self, "tp.state_hash", hex, error) ||
      !meta_set_int (self, "tp.entries", (gint64) replace->count, error))
    goto fail;
  if (position != NULL && !write_feed_position (self, position, error))
    goto fail;
  if (position != NULL)
    details = g_strdup_printf ("{\"entries\":%" G_GUINT64_FORMAT ",\"feed_sequence\":%" G_GINT64_FORMAT
                               ",\"state_hash\":\"%s\"}", replace->count, position->sequence, hex);
  else
    details = g_strdup_printf ("{\"entries\":%" G_GUINT64_FORMAT ",\"state_hash\":\"%s\"}",
                               replace->count, hex);
  if (!_tp_audit_chain_append (self->db, actor != NULL ? actor : "system", "list.replace", NULL,
                               details, NULL, NULL, error))
    goto fail;
  if (!_tp_store_commit (self, error))
    goto fail;
  replace->committed = TRUE;

  /* The old list's pages go back to the free list, in a transaction of
   * their own: the swap above does not wait for it. What a killed process
   * leaves here, the next replacement drops. */
  if (!_tp_store_begin_write (self, &local_error) ||
      !_tp_store_exec (self, "DROP TABLE retired_entry_current; DROP TABLE retired_entry_version;",
                       &local_error) ||
      !_tp_store_commit (self, &local_error))
    {
      _tp_store_rollback (self);
      g_debug ("The replaced list stays in the store until the next replacement: %s",
               local_error->message);
    }
  return TRUE;

fail:
  _tp_store_rollback (self);
  return FALSE;
}

void
tp_store_replace_free (TpStoreReplace *replace)
{
  if (replace == NULL)
    return;
  sqlite3_finalize (replace->insert_current);
  sqlite3_finalize (replace->insert_version);
  if (!replace->committed)
    {
      g_autoptr(GError) error = NULL;

      _tp_store_rollback (replace->store);
      if (!drop_replace_tables (replace->store, &error))
        g_debug ("An unfinished list replacement stays in the store until the next one: %s",
                 error->message);
    }
  g_object_unref (replace->store);
  g_free (replace);
}

gboolean
tp_store_foreach_current (TpStore           *self,
                          TpStoreEntryFunc   func,
                          gpointer           user_data,
                          GError           **error)
{
  sqlite3_stmt *stmt = NULL;
  RowReader reader;
  gboolean ok = TRUE;
  int rc;

  g_return_val_if_fail (TP_IS_STORE (self), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!prepare (self, "SELECT " CURRENT_COLUMNS " FROM entry_current", &stmt, error))
    return FALSE;

  row_reader_init (&reader);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      if (!row_reader_read (&reader, stmt))
        {
          g_set_error (error, TP_STORE_ERROR, TP_STORE_ERROR_FAILED,
                       "The store %s is damaged: entry “%s” cannot be read", self->path,
                       column_text (stmt, COL_ID) ? column_text (stmt, COL_ID) : "?");
          ok = FALSE;
          break;
        }
      if (!func (&reader.entry, user_data))
        break;
    }
  if (ok && rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      _tp_store_set_error (error, self->db, rc, "Cannot read the store");
      ok = FALSE;
    }
  sqlite3_finalize (stmt);
  row_reader_clear (&reader);
  return ok;
}

GPtrArray *
tp_store_get_entry (TpStore     *self,
                    const char  *id,
                    GError     **error)
{
  g_autoptr(GPtrArray) versions = NULL;
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (TP_IS_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!prepare (self, "SELECT version, json FROM entry_version WHERE id = ?1 ORDER BY version",
                &stmt, error))
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  versions = g_ptr_array_new_with_free_func ((GDestroyNotify) tp_entry_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(GError) local_error = NULL;
      TpEntry *entry = tp_entry_from_json (column_text (stmt, 1), sqlite3_column_bytes (stmt, 1),
                                           &local_error);

      if (entry == NULL)
        {
          g_set_error (error, TP_STORE_ERROR, TP_STORE_ERROR_FAILED,
                       "The store %s is damaged: version %d of entry “%s” cannot be read (%s)",
                       self->path, sqlite3_column_int (stmt, 0), id, local_error->message);
          sqlite3_finalize (stmt);
          return NULL;
        }
      g_ptr_array_add (versions, entry);
    }
  if (rc != SQLITE_DONE)
    {
      _tp_store_set_error (error, self->db, rc, "Cannot read the store");
      sqlite3_finalize (stmt);
      return NULL;
    }
  sqlite3_finalize (stmt);
  return g_steal_pointer (&versions);
}

gboolean
tp_store_get_state_hash (TpStore      *self,
                         TpStateHash  *out,
                         GError      **error)
{
  g_return_val_if_fail (TP_IS_STORE (self), FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  return read_state_hash (self, out, error);
}

gboolean
tp_store_get_list_state (TpStore      *self,
                         TpStateHash  *hash,
                         guint64      *entries,
                         GError      **error)
{
  TpStateHash local_hash;
  guint64 local_entries;

  g_return_val_if_fail (TP_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!_tp_store_exec (self, "BEGIN", error))
    return FALSE;
  if (!read_state_hash (self, hash != NULL ? hash : &local_hash, error) ||
      !read_entry_count (self, entries != NULL ? entries : &local_entries, error))
    {
      _tp_store_rollback (self);
      return FALSE;
    }
  return _tp_store_commit (self, error);
}

gboolean
tp_store_compute_state_hash (TpStore      *self,
                             TpStateHash  *out,
                             GError      **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (TP_IS_STORE (self), FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  if (!prepare (self,
                "SELECT v.json FROM entry_current c "
                "JOIN entry_version v ON v.id = c.id AND v.version = c.version",
                &stmt, error))
    return FALSE;
  tp_state_hash_init (out);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      guint8 digest[TP_STATE_HASH_SIZE];

      tp_state_hash_digest_json (column_text (stmt, 0), (gsize) sqlite3_column_bytes (stmt, 0), digest);
      tp_state_hash_add_digest (out, digest);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      _tp_store_set_error (error, self->db, rc, "Cannot read the store");
      return FALSE;
    }
  return TRUE;
}

gboolean
tp_store_get_counts (TpStore        *self,
                     const GDate    *date,
                     TpStoreCounts  *out,
                     GError        **error)
{
  sqlite3_stmt *stmt = NULL;
  GDate today;
  gboolean ok;
  int rc;

  g_return_val_if_fail (TP_IS_STORE (self), FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  memset (out, 0, sizeof *out);
  if (date == NULL)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();

      g_date_clear (&today, 1);
      g_date_set_dmy (&today, (GDateDay) g_date_time_get_day_of_month (now),
                      (GDateMonth) g_date_time_get_month (now),
                      (GDateYear) g_date_time_get_year (now));
      date = &today;
    }

  /* one read transaction: every figure from the same snapshot */
  if (!_tp_store_exec (self, "BEGIN", error))
    return FALSE;

  if (!prepare (self, "SELECT list, status, count(*) FROM entry_current GROUP BY list, status",
                &stmt, error))
    goto fail;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      int list = sqlite3_column_int (stmt, 0) - 1;
      int status = sqlite3_column_int (stmt, 1) - 1;
      guint64 n = (guint64) sqlite3_column_int64 (stmt, 2);

      out->entries += n;
      if (list >= 0 && list < 2)
        out->by_list[list] += n;
      if (status >= 0 && status < 2)
        out->by_status[status] += n;
    }
  sqlite3_finalize (stmt);
  stmt = NULL;
  if (rc != SQLITE_DONE)
    {
      _tp_store_set_error (error, self->db, rc, "Cannot read the store");
      goto fail;
    }

  if (!prepare (self,
                "SELECT list, count(*) FROM entry_current WHERE status = 1 AND effective_from <= ?1 "
                "AND (effective_until IS NULL OR effective_until >= ?1) GROUP BY list",
                &stmt, error))
    goto fail;
  sqlite3_bind_int64 (stmt, 1, g_date_get_julian (date));
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      int list = sqlite3_column_int (stmt, 0) - 1;
      guint64 n = (guint64) sqlite3_column_int64 (stmt, 1);

      out->effective += n;
      if (list >= 0 && list < 2)
        out->effective_by_list[list] += n;
    }
  sqlite3_finalize (stmt);
  stmt = NULL;
  if (rc != SQLITE_DONE)
    {
      _tp_store_set_error (error, self->db, rc, "Cannot read the store");
      goto fail;
    }

  out->versions = (guint64) query_int (self, "SELECT count(*) FROM entry_version", &ok, error);
  if (!ok)
    goto fail;
  out->clearances = (guint64) query_int (self, "SELECT count(*) FROM clearance", &ok, error);
  if (!ok)
    goto fail;
  out->audit_records = (guint64) query_int (self, "SELECT count(*) FROM audit_log", &ok, error);
  if (!ok)
    goto fail;
  if (!read_state_hash (self, &out->state_hash, error))
    goto fail;

  return _tp_store_commit (self, error);

fail:
  _tp_store_rollback (self);
  return FALSE;
}

/* Clearances */

TpClearance *
tp_clearance_copy (const TpClearance *clearance)
{
  TpClearance *copy;

  g_return_val_if_fail (clearance != NULL, NULL);

  copy = g_new0 (TpClearance, 1);
  copy->document_key = g_strdup (clearance->document_key);
  copy->entry_id = g_strdup (clearance->entry_id);
  copy->entry_version = clearance->entry_version;
  copy->cleared_by = g_strdup (clearance->cleared_by);
  copy->reason = g_strdup (clearance->reason);
  copy->cleared_at = clearance->cleared_at;
  copy->expires_at = clearance->expires_at;
  return copy;
}

void
tp_clearance_free (TpClearance *clearance)
{
  if (clearance == NULL)
    return;
  g_free (clearance->document_key);
  g_free (clearance->entry_id);
  g_free (clearance->cleared_by);
  g_free (clearance->reason);
  g_free (clearance);
}

gboolean
tp_store_add_clearance (TpStore            *self,
                        const TpClearance  *clearance,
                        GError            **error)
{
  sqlite3_stmt *stmt = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *details = NULL;
  int rc;

  g_return_val_if_fail (TP_IS_STORE (self), FALSE);
  g_return_val_if_fail (clearance != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (clearance->document_key == NULL || *clearance->document_key == '\0' ||
      clearance->entry_id == NULL || *clearance->entry_id == '\0' ||
      clearance->entry_version < 1 ||
      clearance->cleared_by == NULL || *clearance->cleared_by == '\0' ||
      clearance->reason == NULL || *clearance->reason == '\0')
    {
      g_set_error (error, TP_STORE_ERROR, TP_STORE_ERROR_INVALID,
                   "A clearance needs a document key, an entry id and version, "
                   "who cleared it and a reason");
      return FALSE;
    }
  if (clearance->expires_at != 0 && clearance->expires_at < clearance->cleared_at)
    {
      g_set_error (error, TP_STORE_ERROR, TP_STORE_ERROR_INVALID,
                   "A clearance cannot expire (%" G_GINT64_FORMAT ") before it is given (%" G_GINT64_FORMAT ")",
                   clearance->expires_at, clearance->cleared_at);
      return FALSE;
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "document_key");
  json_builder_add_string_value (builder, clearance->document_key);
  json_builder_set_member_name (builder, "entry_version");
  json_builder_add_int_value (builder, clearance->entry_version);
  json_builder_set_member_name (builder, "reason");
  json_builder_add_string_value (builder, clearance->reason);
  json_builder_set_member_name (builder, "cleared_at");
  json_builder_add_int_value (builder, clearance->cleared_at);
  json_builder_set_member_name (builder, "expires_at");
  json_builder_add_int_value (builder, clearance->expires_at);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  details = tp_json_canonical (node);

  if (!_tp_store_begin_write (self, error))
    return FALSE;
  if (!prepare (self,
                "INSERT OR REPLACE INTO clearance (document_key, entry_id, entry_version, cleared_by, "
                "reason, cleared_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                &stmt, error))
    goto fail;
  sqlite3_bind_text (stmt, 1, clearance->document_key, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, clearance->entry_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, clearance->entry_version);
  sqlite3_bind_text (stmt, 4, clearance->cleared_by, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, clearance->reason, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 6, clearance->cleared_at);
  sqlite3_bind_int64 (stmt, 7, clearance->expires_at);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      _tp_store_set_error (error, self->db, rc, "Cannot record the clearance");
      goto fail;
    }
  if (!_tp_audit_chain_append (self->db, clearance->cleared_by, "clearance.add",
                               clearance->entry_id, details, NULL, NULL, error))
    goto fail;
  return _tp_store_commit (self, error);

fail:
  _tp_store_rollback (self);
  return FALSE;
}

GPtrArray *
tp_store_list_clearances (TpStore  *self,
                          GError  **error)
{
  g_autoptr(GPtrArray) list = NULL;
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (TP_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!prepare (self,
                "SELECT document_key, entry_id, entry_version, cleared_by, reason, cleared_at, expires_at "
                "FROM clearance ORDER BY document_key, entry_id",
                &stmt, error))
    return NULL;
  list = g_ptr_array_new_with_free_func ((GDestroyNotify) tp_clearance_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TpClearance *c = g_new0 (TpClearance, 1);

      c->document_key = g_strdup (column_text (stmt, 0));
      c->entry_id = g_strdup (column_text (stmt, 1));
      c->entry_version = (guint) sqlite3_column_int64 (stmt, 2);
      c->cleared_by = g_strdup (column_text (stmt, 3));
      c->reason = g_strdup (column_text (stmt, 4));
      c->cleared_at = sqlite3_column_int64 (stmt, 5);
      c->expires_at = sqlite3_column_int64 (stmt, 6);
      g_ptr_array_add (list, c);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      _tp_store_set_error (error, self->db, rc, "Cannot read the clearances");
      return NULL;
    }
  return g_steal_pointer (&list);
}

gint64
tp_store_prune_clearances (TpStore  *self,
                           gint64    now,
                           GError  **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (TP_IS_STORE (self), -1);

  if (!prepare (self, "DELETE FROM clearance WHERE expires_at != 0 AND expires_at < ?1", &stmt, error))
    return -1;
  sqlite3_bind_int64 (stmt, 1, now);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      _tp_store_set_error (error, self->db, rc, "Cannot delete expired clearances");
      return -1;
    }
  return sqlite3_changes (self->db);
}

/* Feed position and values */

gboolean
tp_store_get_feed_position (TpStore         *self,
                            TpFeedPosition  *out,
                            GError         **error)
{
  static const char * const keys[] = {
    "tp.feed.sequence", "tp.feed.head_hash", "tp.feed.head_issued_at",
    "tp.feed.head_expires_at", "tp.feed.updated_at", "tp.feed.chain", "tp.feed.head_seq",
  };
  sqlite3_value *values[G_N_ELEMENTS (keys)] = { NULL, };
  gboolean ok = TRUE;

  g_return_val_if_fail (TP_IS_STORE (self), FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  memset (out, 0, sizeof *out);
  if (!_tp_store_exec (self, "BEGIN", error))
    return FALSE;
  for (guint i = 0; ok && i < G_N_ELEMENTS (keys); i++)
    ok = meta_get (self, keys[i], &values[i], error);
  if (ok)
    ok = _tp_store_commit (self, error);
  else
    _tp_store_rollback (self);
  if (ok)
    {
      out->sequence = values[0] ? sqlite3_value_int64 (values[0]) : 0;
      out->head_hash = values[1] && sqlite3_value_type (values[1]) != SQLITE_NULL
                         ? g_strdup ((const char *) sqlite3_value_text (values[1])) : NULL;
      out->head_issued_at = values[2] ? sqlite3_value_int64 (values[2]) : 0;
      out->head_expires_at = values[3] ? sqlite3_value_int64 (values[3]) : 0;
      out->updated_at = values[4] ? sqlite3_value_int64 (values[4]) : 0;
      out->chain = values[5] && sqlite3_value_type (values[5]) != SQLITE_NULL
                     ? g_strdup ((const char *) sqlite3_value_text (values[5])) : NULL;
      out->head_seq = values[6] ? sqlite3_value_int64 (values[6]) : 0;
    }
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    sqlite3_value_free (values[i]);
  return ok;
}

gboolean
tp_store_set_feed_position (TpStore               *self,
                            const TpFeedPosition  *position,
                            GError               **error)
{
  g_return_val_if_fail (TP_IS_STORE (self), FALSE);
  g_return_val_if_fail (position != NULL, FALSE);

  if (!_tp_store_begin_write (self, error))
    return FALSE;
  if (!write_feed_position (self, position, error))
    {
      _tp_store_rollback (self);
      return FALSE;
    }
  return _tp_store_commit (self, error);
}

char *
tp_store_get_value (TpStore     *self,
                    const char  *key,
                    GError     **error)
{
  sqlite3_value *value;
  char *text = NULL;

  g_return_val_if_fail (TP_IS_STORE (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  if (!meta_get (self, key, &value, error))
    return NULL;
  if (value != NULL && sqlite3_value_type (value) != SQLITE_NULL)
    text = g_strdup ((const char *) sqlite3_value_text (value));
  sqlite3_value_free (value);
  return text;
}

gboolean
tp_store_set_value (TpStore     *self,
                    const char  *key,
                    const char  *value,
                    GError     **error)
{
  g_return_val_if_fail (TP_IS_STORE (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  if (g_str_has_prefix (key, "tp."))
    {
      g_set_error (error, TP_STORE_ERROR, TP_STORE_ERROR_INVALID,
                   "The key “%s” is reserved for the store itself (keys starting with “tp.”)", key);
      return FALSE;
    }
  return meta_set_text (self, key, value, error);
}

gboolean
tp_store_check_integrity (TpStore  *self,
                          GError  **error)
{
  sqlite3_stmt *stmt = NULL;
  g_autoptr(GString) problems = g_string_new (NULL);
  int rc;

  g_return_val_if_fail (TP_IS_STORE (self), FALSE);

  if (!prepare (self, "PRAGMA integrity_check", &stmt, error))
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *line = column_text (stmt, 0);

      if (line != NULL && strcmp (line, "ok") != 0)
        g_string_append_printf (problems, "%s%s", problems->len ? "; " : "", line);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      _tp_store_set_error (error, self->db, rc, "Cannot check the store");
      return FALSE;
    }
  if (problems->len > 0)
    {
      g_set_error (error, TP_STORE_ERROR, TP_STORE_ERROR_FAILED,
                   "The store %s is damaged: %s", self->path, problems->str);
      return FALSE;
    }
  return TRUE;
}
