/* tp-hub-sqlite.c: TpHubStorage on SQLite
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * WAL with synchronous=FULL: a commit is on disk when COMMIT returns.
 * Readers in other threads open their own connection and see a
 * consistent snapshot while the writer goes on.
 */
#include "config.h"

#include <string.h>

#include <sqlite3.h>

#include "tp-error.h"
#include "tp-hub-sqlite.h"

struct _TpHubSqlite {
  GObject     parent_instance;
  char       *path;
  sqlite3    *db;
  GHashTable *statements;   /* SQL text → prepared sqlite3_stmt*, reused */
};

/* A statement from the cache: released (reset), not finalized. */
typedef sqlite3_stmt TpStmt;

static void tp_hub_sqlite_storage_init (TpHubStorageInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TpHubSqlite, tp_hub_sqlite, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (TP_TYPE_HUB_STORAGE, tp_hub_sqlite_storage_init))

static const char schema[] =
  "CREATE TABLE IF NOT EXISTS state ("
  "  k INTEGER PRIMARY KEY CHECK (k = 1), seq INTEGER NOT NULL, state_hash TEXT NOT NULL,"
  "  entries INTEGER NOT NULL, segment_first INTEGER NOT NULL, segment_hash TEXT NOT NULL);"
  "CREATE TABLE IF NOT EXISTS changes ("
  "  seq INTEGER PRIMARY KEY, id TEXT NOT NULL, version INTEGER NOT NULL, agency TEXT NOT NULL,"
  "  json TEXT NOT NULL, UNIQUE (id, version));"
  "CREATE TABLE IF NOT EXISTS current ("
  "  id TEXT PRIMARY KEY, version INTEGER NOT NULL, seq INTEGER NOT NULL, json TEXT NOT NULL);"
  "CREATE TABLE IF NOT EXISTS segments ("
  "  first_seq INTEGER PRIMARY KEY, last_seq INTEGER NOT NULL, hash TEXT NOT NULL, body BLOB NOT NULL);"
  "CREATE TABLE IF NOT EXISTS snapshots ("
  "  seq INTEGER PRIMARY KEY, sha256 TEXT NOT NULL, size INTEGER NOT NULL);"
  "CREATE TABLE IF NOT EXISTS events ("
  "  n INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, terminal TEXT NOT NULL,"
  "  airport TEXT NOT NULL, type TEXT NOT NULL, at_ms INTEGER NOT NULL, json TEXT NOT NULL);"
  "CREATE INDEX IF NOT EXISTS events_terminal_at ON events (terminal, at_ms);"
  "CREATE TABLE IF NOT EXISTS shifts ("
  "  terminal TEXT NOT NULL, shift TEXT NOT NULL, airport TEXT NOT NULL, day TEXT NOT NULL,"
  "  json TEXT NOT NULL, PRIMARY KEY (terminal, shift));"
  "CREATE INDEX IF NOT EXISTS shifts_airport_day ON shifts (airport, day);"
  "CREATE TABLE IF NOT EXISTS audit_heads ("
  "  terminal TEXT PRIMARY KEY, seq INTEGER NOT NULL, hash TEXT NOT NULL);"
  "CREATE TABLE IF NOT EXISTS audit_breaks ("
  "  event_id TEXT PRIMARY KEY, terminal TEXT NOT NULL, airport TEXT NOT NULL, day TEXT NOT NULL,"
  "  json TEXT NOT NULL);"
  "CREATE INDEX IF NOT EXISTS audit_breaks_airport_day ON audit_breaks (airport, day);";

static gboolean
db_fail (TpHubSqlite  *self,
         GError      **error,
         const char   *doing)
{
  g_set_error (error, TP_ERROR, TP_ERROR_FAILED, "database %s: cannot %s: %s",
               self->path, doing, sqlite3_errmsg (self->db));
  return FALSE;
}

static gboolean
exec (TpHubSqlite  *self,
      const char   *sql,
      GError      **error)
{
  if (sqlite3_exec (self->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    return db_fail (self, error, sql);
  return TRUE;
}

static void
stmt_release (TpStmt *stmt)
{
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpStmt, stmt_release)

/* Prepared once per connection, then reused. */
static TpStmt *
prepare (TpHubSqlite  *self,
         const char   *sql,
         GError      **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (self->statements, sql);

  if (stmt != NULL)
    return stmt;
  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      db_fail (self, error, "prepare a statement");
      return NULL;
    }
  g_hash_table_insert (self->statements, (gpointer) sql, stmt);
  return stmt;
}

static gboolean
step_done (TpHubSqlite   *self,
           sqlite3_stmt  *stmt,
           GError       **error)
{
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return db_fail (self, error, "write");
  return TRUE;
}

static char *
column_text (sqlite3_stmt *stmt,
             int           column)
{
  const unsigned char *text = sqlite3_column_text (stmt, column);

  return text != NULL ? g_strdup ((const char *) text) : NULL;
}

/* Interface */

static TpHubStorage *
sqlite_open_another (TpHubStorage  *storage,
                     GError       **error)
{
  return tp_hub_sqlite_open (TP_HUB_SQLITE (storage)->path, error);
}

static const char *
sqlite_describe (TpHubStorage *storage)
{
  return "sqlite";
}

static gboolean
sqlite_begin (TpHubStorage  *storage,
              gboolean       write,
              GError       **error)
{
  return exec (TP_HUB_SQLITE (storage), write ? "BEGIN IMMEDIATE" : "BEGIN", error);
}

static gboolean
sqlite_commit (TpHubStorage  *storage,
               GError       **error)
{
  return exec (TP_HUB_SQLITE (storage), "COMMIT", error);
}

static void
sqlite_rollback (TpHubStorage *storage)
{
  TpHubSqlite *self = TP_HUB_SQLITE (storage);

  if (!sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
}

static gboolean
sqlite_get_state (TpHubStorage  *storage,
                  TpHubState    *state,
                  GError       **error)
{
  TpHubSqlite *self = TP_HUB_SQLITE (storage);
  g_autoptr(TpStmt) stmt =
    prepare (self, "SELECT seq, state_hash, entries, segment_first, segment_hash FROM state WHERE k = 1", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  memset (state, 0, sizeof *state);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return TRUE;
  if (rc != SQLITE_ROW)
    return db_fail (self, error, "read the feed state");
  state->seq = (guint64) sqlite3_column_int64 (stmt, 0);
  state->entries = (guint64) sqlite3_column_int64 (stmt, 2);
  state->segment_first_seq = (guint64) sqlite3_column_int64 (stmt, 3);
  if (!tp_state_hash_from_hex ((const char *) sqlite3_column_text (stmt, 1), &state->state_hash) ||
      !tp_feed_unhex ((const char *) sqlite3_column_text (stmt, 4), state->segment_hash, TP_FEED_HASH_SIZE))
    {
      g_set_error (error, TP_ERROR, TP_ERROR_FAILED, "database %s: the feed state is damaged", self->path);
      return FALSE;
    }
  return TRUE;
}

static gboolean
sqlite_set_state (TpHubStorage      *storage,
                  const TpHubState  *state,
                  GError           **error)
{
  TpHubSqlite *self = TP_HUB_SQLITE (storage);
  g_autoptr(TpStmt) stmt =
    prepare (self, "INSERT OR REPLACE INTO state (k, seq, state_hash, entries, segment_first, segment_hash)"
                   " VALUES (1, ?, ?, ?, ?, ?)", error);
  g_autofree char *hash = NULL;
  g_autofree char *segment = NULL;

  if (stmt == NULL)
    return FALSE;
  hash = tp_state_hash_to_hex (&state->state_hash);
  segment = tp_feed_hex (state->segment_hash, TP_FEED_HASH_SIZE);
  sqlite3_bind_int64 (stmt, 1, (sqlite3_int64) state->seq);
  sqlite3_bind_text (stmt, 2, hash, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, (sqlite3_int64) state->entries);
  sqlite3_bind_int64 (stmt, 4, (sqlite3_int64) state->segment_first_seq);
  sqlite3_bind_text (stmt, 5, segment, -1, SQLITE_STATIC);
  return step_done (self, stmt, error);
}

static GPtrArray *
sqlite_get_history (TpHubStorage  *storage,
                    GPtrArray     *ids,
                    GError       **error)
{
  TpHubSqlite *self = TP_HUB_SQLITE (storage);
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) tp_hub_change_free);

  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(TpStmt) stmt = prepare (self, "SELECT seq, version, json FROM changes WHERE id = ?", error);
      int rc;

      if (stmt == NULL)
        return NULL;
      sqlite3_bind_text (stmt, 1, g_ptr_array_index (ids, i), -1, SQLITE_STATIC);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        g_ptr_array_add (out, tp_hub_change_new ((guint64) sqlite3_column_int64 (stmt, 0), g_ptr_array_index (ids, i),
                                                 (guint) sqlite3_column_int64 (stmt, 1), NULL,
                                                 (const char *) sqlite3_column_text (stmt, 2)));
      if (rc != SQLITE_DONE)
        {
          db_fail (self, error, "read an entry's versions");
          return NULL;
        }
    }
  return g_steal_pointer (&out);
}

static gboolean
sqlite_put_changes (TpHubStorage  *storage,
                    GPtrArray     *changes,
                    GError       **error)
{
  TpHubSqlite *self = TP_HUB_SQLITE (storage);

  for (guint i = 0; i < changes->len; i++)
    {
      TpHubChange *c = g_ptr_array_index (changes, i);
      g_autoptr(TpStmt) change =
        prepare (self, "INSERT INTO changes (seq, id, version, agency, json) VALUES (?, ?, ?, ?, ?)", error);

      if (change == NULL)
        return FALSE;
      sqlite3_bind_int64 (change, 1, (sqlite3_int64) c->seq);
      sqlite3_bind_text (change, 2, c->id, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (change, 3, c->version);
      sqlite3_bind_text (change, 4, c->agency, -1, SQLITE_STATIC);
      sqlite3_bind_text (change, 5, c->json, -1, SQLITE_STATIC);
      if (!step_done (self, change, error))
        return FALSE;
    }
  for (guint i = 0; i < changes->len; i++)
    {
      TpHubChange *c = g_ptr_array_index (changes, i);
      g_autoptr(TpStmt) current =
        prepare (self, "INSERT OR REPLACE INTO current (id, version, seq, json) VALUES (?, ?, ?, ?)", error);

      if (current == NULL)
        return FALSE;
      sqlite3_bind_text (current, 1, c->id, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (current, 2, c->version);
      sqlite3_bind_int64 (current, 3, (sqlite3_int64) c->seq);
      sqlite3_bind_text (current, 4, c->json, -1, SQLITE_STATIC);
      if (!step_done (self, current, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
foreach_row (TpHubSqlite   *self,
             sqlite3_stmt  *stmt,
             TpHubRowFunc   func,
             gpointer       user_data,
             GError       **error)
{
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    if (!func ((const char *) sqlite3_column_text (stmt, 0), user_data, error))
      return FALSE;
  return rc == SQLITE_DONE ? TRUE : db_fail (self, error, "read");
}

static gboolean
sqlite_foreach_current (TpHubStorage  *storage,
                        TpHubRowFunc   func,
                        gpointer       user_data,
                        GError       **error)
{
  TpHubSqlite *self = TP_HUB_SQLITE (storage);
  g_autoptr(TpStmt) stmt = prepare (self, "SELECT json FROM current ORDER BY id", error);

  return stmt != NULL && foreach_row (self, stmt, func, user_data, error);
}

static gboolean
sqlite_put_segment (TpHubStorage  *storage,
                    guint64        first_seq,
                    guint64        last_seq,
                    const guint8  *hash,
                    GBytes        *bytes,
                    GError       **error)
{
  TpHubSqlite *self = TP_HUB_SQLITE (storage);
  g_autoptr(TpStmt) stmt =
    prepare (self, "INSERT INTO segments (first_seq, last_seq, hash, body) VALUES (?, ?, ?, ?)", error);
  g_autofree char *hex = tp_feed_hex (hash, TP_FEED_HASH_SIZE);
  gsize len;
  const void *data = g_bytes_get_data (bytes, &len);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, (sqlite3_int64) first_seq);
  sqlite3_bind_int64 (stmt, 2, (sqlite3_int64) last_seq);
  sqlite3_bind_text (stmt, 3, hex, -1, SQLITE_STATIC);
  sqlite3_bind_blob64 (stmt, 4, data, len, SQLITE_STATIC);
  return step_done (self, stmt, error);
}

static GBytes *
sqlite_get_segment (TpHubStorage  *storage,
                    guint64        first_seq,
                    GError       **error)
{
  TpHubSqlite *self = TP_HUB_SQLITE (storage);
  g_autoptr(TpStmt) stmt = prepare (self, "SELECT body FROM segments WHERE first_seq = ?", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, (sqlite3_int64) first_seq);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return g_bytes_new (sqlite3_column_blob (stmt, 0), (gsize) sqlite3_column_bytes (stmt, 0));
  if (rc != SQLITE_DONE)
    db_fail (self, error, "read a segment");
  return NULL;
}

static GArray *
sqlite_list_segments (TpHubStorage  *storage,
                      GError       **error)
{
  TpHubSqlite *self = TP_HUB_SQLITE (storage);
  g_autoptr(TpStmt) stmt = prepare (self, "SELECT first_seq FROM segments ORDER BY first_seq", error);
  g_autoptr(GArray) out = g_array_new (FALSE, FALSE, sizeof (guint64));
  int rc;

  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      guint64 first = (guint64) sqlite3_column_int64 (stmt, 0);

      g_array_append_val (out, first);
    }
  if (rc != SQLITE_DONE)
    {
      db_fail (self, error, "list the segments");
      return NULL;
    }
  return g_steal_pointer (&out);
}

static gboolean
sqlite_put_snapshot (TpHubStorage             *storage,
                     const TpHubSnapshotInfo  *info,
                     GError                  **error)
{
  TpHubSqlite *self = TP_HUB_SQLITE (storage);
  g_autoptr(TpStmt) stmt = prepare (self, "INSERT OR REPLACE INTO snapshots (seq, sha256, size) VALUES (?, ?, ?)", error);
  g_autofree char *hex = tp_feed_hex (info->sha256, TP_FEED_HASH_SIZE);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, (sqlite3_int64) info->seq);
  sqlite3_bind_text (stmt, 2, hex, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, (sqlite3_int64) info->size);
  return step_done (self, stmt, error);
}

static gboolean
sqlite_delete_snapshot (TpHubStorage  *storage,
                        guint64        seq,
                        GError       **error)
{
  TpHubSqlite *self = TP_HUB_SQLITE (storage);
  g_autoptr(TpStmt) stmt = prepare (self, "DELETE FROM snapshots WHERE seq = ?", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, (sqlite3_int64) seq);
  return step_done (self, stmt, error);
}

static GArray *
sqlite_list_snapshots (TpHubStorage  *storage,
                       GError       **error)
{
  TpHubSqlite *self = TP_HUB_SQLITE (storage);
  g_autoptr(TpStmt) stmt = prepare (self, "SELECT seq, sha256, size FROM snapshots ORDER BY seq DESC", error);
  g_autoptr(GArray) out = g_array_new (FALSE, TRUE, sizeof (TpHubSnapshotInfo));
  int rc;

  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TpHubSnapshotInfo info = { 0 };

      info.seq = (guint64) sqlite3_column_int64 (stmt, 0);
      info.size = (guint64) sqlite3_column_int64 (stmt, 2);
      if (!tp_feed_unhex ((const char *) sqlite3_column_text (stmt, 1), info.sha256, TP_FEED_HASH_SIZE))
        continue;
      g_array_append_val (out, info);
    }
  if (rc != SQLITE_DONE)
    {
      db_fail (self, error, "list the snapshots");
      return NULL;
    }
  return g_steal_pointer (&out);
}

static gboolean
sqlite_put_events (TpHubStorage  *storage,
                   GPtrArray     *events,
                   GError       **error)
{
  TpHubSqlite *self = TP_HUB_SQLITE (storage);

  for (guint i = 0; i < events->len; i++)
    {
      TpHubEvent *e = g_ptr_array_index (events, i);
      g_autoptr(TpStmt) stmt =
        prepare (self, "INSERT OR IGNORE INTO events (id, terminal, airport, type, at_ms, json) VALUES (?, ?, ?, ?, ?, ?)",
                 error);

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, e->id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, e->terminal, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, e->airport, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 4, e->type, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 5, e->at_ms);
      sqlite3_bind_text (stmt, 6, e->json, -1, SQLITE_STATIC);
      if (!step_done (self, stmt, error))
        return FALSE;
      e->stored = sqlite3_changes (self->db) > 0;
    }
  return TRUE;
}

static gboolean
sqlite_foreach_event (TpHubStorage  *storage,
                      const char    *after_id,
                      TpHubRowFunc   func,
                      gpointer       user_data,
                      GError       **error)
{
  TpHubSqlite *self = TP_HUB_SQLITE (storage);
  g_autoptr(TpStmt) stmt = NULL;

  if (after_id != NULL)
    {
      stmt = prepare (self, "SELECT json FROM events WHERE n > (SELECT n FROM events WHERE id = ?) ORDER BY n", error);
      if (stmt != NULL)
        sqlite3_bind_text (stmt, 1, after_id, -1, SQLITE_STATIC);
    }
  else
    stmt = prepare (self, "SELECT json FROM events ORDER BY n", error);
  return stmt != NULL && foreach_row (self, stmt, func, user_data, error);
}

static gboolean
sqlite_has_event (TpHubStorage  *storage,
                  const char    *id,
                  gboolean      *found,
                  GError       **error)
{
  TpHubSqlite *self = TP_HUB_SQLITE (storage);
  g_autoptr(TpStmt) stmt = prepare (self, "SELECT 1 FROM events WHERE id = ?", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return db_fail (self, error, "look up an event");
  *found = rc == SQLITE_ROW;
  return TRUE;
}

static GPtrArray *
sqlite_list_event_ids (TpHubStorage  *storage,
                       const char    *terminal,
                       gint64         from_ms,
                       gint64         to_ms,
                       GError       **error)
{
  TpHubSqlite *self = TP_HUB_SQLITE (storage);
  g_autoptr(TpStmt) stmt =
    prepare (self, "SELECT id FROM events WHERE terminal = ? AND at_ms >= ? AND at_ms < ? ORDER BY id", error);
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func (g_free);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, terminal, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, from_ms);
  sqlite3_bind_int64 (stmt, 3, to_ms);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (out, column_text (stmt, 0));
  if (rc != SQLITE_DONE)
    {
      db_fail (self, error, "list events");
      return NULL;
    }
  return g_steal_pointer (&out);
}

static gboolean
sqlite_put_shift (TpHubStorage  *storage,
                  const char    *terminal,
                  const char    *shift,
                  const char    *airport,
                  const char    *day,
                  const char    *json,
                  GError       **error)
{
  TpHubSqlite *self = TP_HUB_SQLITE (storage);
  g_autoptr(TpStmt) stmt =
    prepare (self, "INSERT OR REPLACE INTO shifts (terminal, shift, airport, day, json) VALUES (?, ?, ?, ?, ?)", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, terminal, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, shift, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, airport, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, day, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, json, -1, SQLITE_STATIC);
  return step_done (self, stmt, error);
}

static gboolean
sqlite_foreach_shift (TpHubStorage  *storage,
                      const char    *airport,
                      const char    *day,
                      TpHubRowFunc   func,
                      gpointer       user_data,
                      GError       **error)
{
  TpHubSqlite *self = TP_HUB_SQLITE (storage);
  g_autoptr(TpStmt) stmt =
    prepare (self, "SELECT json FROM shifts WHERE airport = ? AND day = ? ORDER BY terminal, shift", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, airport, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, day, -1, SQLITE_STATIC);
  return foreach_row (self, stmt, func, user_data, error);
}

static gboolean
sqlite_get_audit_head (TpHubStorage  *storage,
                       const char    *terminal,
                       gint64        *seq,
                       char         **hash,
                       GError       **error)
{
  TpHubSqlite *self = TP_HUB_SQLITE (storage);
  g_autoptr(TpStmt) stmt = prepare (self, "SELECT seq, hash FROM audit_heads WHERE terminal = ?", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, terminal, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *seq = sqlite3_column_int64 (stmt, 0);
      *hash = column_text (stmt, 1);
      return TRUE;
    }
  if (rc != SQLITE_DONE)
    return db_fail (self, error, "read a terminal's audit head");
  return TRUE;
}

static gboolean
sqlite_set_audit_head (TpHubStorage  *storage,
                       const char    *terminal,
                       gint64         seq,
                       const char    *hash,
                       GError       **error)
{
  TpHubSqlite *self = TP_HUB_SQLITE (storage);
  g_autoptr(TpStmt) stmt =
    prepare (self, "INSERT OR REPLACE INTO audit_heads (terminal, seq, hash) VALUES (?, ?, ?)", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, terminal, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, seq);
  sqlite3_bind_text (stmt, 3, hash, -1, SQLITE_STATIC);
  return step_done (self, stmt, error);
}

static gboolean
sqlite_put_audit_break (TpHubStorage  *storage,
                        const char    *event_id,
                        const char    *terminal,
                        const char    *airport,
                        const char    *day,
                        const char    *json,
                        GError       **error)
{
  TpHubSqlite *self = TP_HUB_SQLITE (storage);
  g_autoptr(TpStmt) stmt =
    prepare (self, "INSERT OR IGNORE INTO audit_breaks (event_id, terminal, airport, day, json) VALUES (?, ?, ?, ?, ?)",
             error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, event_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, terminal, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, airport, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, day, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, json, -1, SQLITE_STATIC);
  return step_done (self, stmt, error);
}

static gboolean
sqlite_foreach_audit_break (TpHubStorage  *storage,
                            const char    *airport,
                            const char    *day,
                            TpHubRowFunc   func,
                            gpointer       user_data,
                            GError       **error)
{
  TpHubSqlite *self = TP_HUB_SQLITE (storage);
  g_autoptr(TpStmt) stmt =
    prepare (self, "SELECT json FROM audit_breaks WHERE airport = ? AND day = ? ORDER BY rowid", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, airport, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, day, -1, SQLITE_STATIC);
  return foreach_row (self, stmt, func, user_data, error);
}

static void
tp_hub_sqlite_storage_init (TpHubStorageInterface *iface)
{
  iface->open_another = sqlite_open_another;
  iface->describe = sqlite_describe;
  iface->begin = sqlite_begin;
  iface->commit = sqlite_commit;
  iface->rollback = sqlite_rollback;
  iface->get_state = sqlite_get_state;
  iface->set_state = sqlite_set_state;
  iface->get_history = sqlite_get_history;
  iface->put_changes = sqlite_put_changes;
  iface->foreach_current = sqlite_foreach_current;
  iface->put_segment = sqlite_put_segment;
  iface->get_segment = sqlite_get_segment;
  iface->list_segments = sqlite_list_segments;
  iface->put_snapshot = sqlite_put_snapshot;
  iface->delete_snapshot = sqlite_delete_snapshot;
  iface->list_snapshots = sqlite_list_snapshots;
  iface->put_events = sqlite_put_events;
  iface->foreach_event = sqlite_foreach_event;
  iface->has_event = sqlite_has_event;
  iface->list_event_ids = sqlite_list_event_ids;
  iface->put_shift = sqlite_put_shift;
  iface->foreach_shift = sqlite_foreach_shift;
  iface->get_audit_head = sqlite_get_audit_head;
  iface->set_audit_head = sqlite_set_audit_head;
  iface->put_audit_break = sqlite_put_audit_break;
  iface->foreach_audit_break = sqlite_foreach_audit_break;
}

static void
tp_hub_sqlite_finalize (GObject *object)
{
  TpHubSqlite *self = TP_HUB_SQLITE (object);

  g_clear_pointer (&self->statements, g_hash_table_unref);
  if (self->db != NULL)
    sqlite3_close (self->db);
  g_free (self->path);

  G_OBJECT_CLASS (tp_hub_sqlite_parent_class)->finalize (object);
}

static void
tp_hub_sqlite_class_init (TpHubSqliteClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tp_hub_sqlite_finalize;
}

static void
tp_hub_sqlite_init (TpHubSqlite *self)
{
}

TpHubStorage *
tp_hub_sqlite_open (const char  *path,
                    GError     **error)
{
  g_autoptr(TpHubSqlite) self = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (TP_TYPE_HUB_SQLITE, NULL);
  self->path = g_strdup (path);
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) sqlite3_finalize);
  if (sqlite3_open_v2 (path, &self->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, NULL)
      != SQLITE_OK)
    {
      db_fail (self, error, "open");
      return NULL;
    }
  sqlite3_busy_timeout (self->db, 30000);
  if (!exec (self, "PRAGMA journal_mode = WAL", error) ||
      !exec (self, "PRAGMA synchronous = FULL", error) ||
      !exec (self, "PRAGMA foreign_keys = ON", error) ||
      !exec (self, schema, error))
    return NULL;
  return TP_HUB_STORAGE (g_steal_pointer (&self));
}
