/* tp-hub-pg.c: TpHubStorage on PostgreSQL
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every statement goes through PQexecParams (no SQL built from values).
 * COMMIT returns once the server has made the transaction durable
 * (synchronous_commit on, the server's default). Ids sort in byte order
 * (COLLATE "C"), as the snapshot format requires.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "tp-error.h"
#include "tp-hub-pg.h"
#include "tp-json.h"

struct _TpHubPg {
  GObject  parent_instance;
  char    *url;
  PGconn  *conn;
};

static void tp_hub_pg_storage_init (TpHubStorageInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TpHubPg, tp_hub_pg, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (TP_TYPE_HUB_STORAGE, tp_hub_pg_storage_init))

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGresult, PQclear)

static const char schema[] =
  "CREATE TABLE IF NOT EXISTS state ("
  "  k INTEGER PRIMARY KEY CHECK (k = 1), seq BIGINT NOT NULL, state_hash TEXT NOT NULL,"
  "  entries BIGINT NOT NULL, segment_first BIGINT NOT NULL, segment_hash TEXT NOT NULL);"
  "CREATE TABLE IF NOT EXISTS changes ("
  "  seq BIGINT PRIMARY KEY, id TEXT COLLATE \"C\" NOT NULL, version BIGINT NOT NULL, agency TEXT NOT NULL,"
  "  json TEXT NOT NULL, UNIQUE (id, version));"
  "CREATE TABLE IF NOT EXISTS current ("
  "  id TEXT COLLATE \"C\" PRIMARY KEY, version BIGINT NOT NULL, seq BIGINT NOT NULL, json TEXT NOT NULL);"
  "CREATE TABLE IF NOT EXISTS segments ("
  "  first_seq BIGINT PRIMARY KEY, last_seq BIGINT NOT NULL, hash TEXT NOT NULL, body BYTEA NOT NULL);"
  "CREATE TABLE IF NOT EXISTS snapshots (seq BIGINT PRIMARY KEY, sha256 TEXT NOT NULL, size BIGINT NOT NULL);"
  "CREATE TABLE IF NOT EXISTS events ("
  "  n BIGSERIAL PRIMARY KEY, id TEXT NOT NULL UNIQUE, terminal TEXT NOT NULL, airport TEXT NOT NULL,"
  "  type TEXT NOT NULL, at_ms BIGINT NOT NULL, json TEXT NOT NULL);"
  "CREATE INDEX IF NOT EXISTS events_terminal_at ON events (terminal, at_ms);"
  "CREATE TABLE IF NOT EXISTS shifts ("
  "  terminal TEXT NOT NULL, shift TEXT NOT NULL, airport TEXT NOT NULL, day TEXT NOT NULL,"
  "  json TEXT NOT NULL, PRIMARY KEY (terminal, shift));"
  "CREATE INDEX IF NOT EXISTS shifts_airport_day ON shifts (airport, day);"
  "CREATE TABLE IF NOT EXISTS audit_heads (terminal TEXT PRIMARY KEY, seq BIGINT NOT NULL, hash TEXT NOT NULL);"
  "CREATE TABLE IF NOT EXISTS audit_breaks ("
  "  n BIGSERIAL PRIMARY KEY, event_id TEXT NOT NULL UNIQUE, terminal TEXT NOT NULL, airport TEXT NOT NULL,"
  "  day TEXT NOT NULL, json TEXT NOT NULL);"
  "CREATE INDEX IF NOT EXISTS audit_breaks_airport_day ON audit_breaks (airport, day);";

static gboolean
pg_fail (TpHubPg     *self,
         GError     **error,
         const char  *doing,
         PGresult    *result)
{
  g_autofree char *message = g_strdup (result != NULL ? PQresultErrorMessage (result) : PQerrorMessage (self->conn));

  g_strstrip (message);
  g_set_error (error, TP_ERROR, TP_ERROR_FAILED, "PostgreSQL: cannot %s: %s", doing,
               message[0] ? message : "connection lost");
  return FALSE;
}

/* Runs @sql with text parameters; NULL with an error unless the status
 * is @expected. */
static PGresult *
run (TpHubPg             *self,
     const char          *sql,
     int                  n,
     const char * const  *values,
     ExecStatusType       expected,
     const char          *doing,
     GError             **error)
{
  PGresult *result = PQexecParams (self->conn, sql, n, NULL, values, NULL, NULL, 0);

  if (PQresultStatus (result) != expected)
    {
      pg_fail (self, error, doing, result);
      PQclear (result);
      return NULL;
    }
  return result;
}

static gboolean
command (TpHubPg             *self,
         const char          *sql,
         int                  n,
         const char * const  *values,
         const char          *doing,
         GError             **error)
{
  g_autoptr(PGresult) result = run (self, sql, n, values, PGRES_COMMAND_OK, doing, error);

  return result != NULL;
}

static guint64
value_u64 (PGresult *result,
           int       row,
           int       column)
{
  return g_ascii_strtoull (PQgetvalue (result, row, column), NULL, 10);
}

/* Interface */

static TpHubStorage *
pg_open_another (TpHubStorage  *storage,
                 GError       **error)
{
  return tp_hub_pg_open (TP_HUB_PG (storage)->url, error);
}

static const char *
pg_describe (TpHubStorage *storage)
{
  return "postgresql";
}

static gboolean
pg_begin (TpHubStorage  *storage,
          gboolean       write,
          GError       **error)
{
  return command (TP_HUB_PG (storage), write ? "BEGIN" : "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
                  0, NULL, "begin a transaction", error);
}

static gboolean
pg_commit (TpHubStorage  *storage,
           GError       **error)
{
  return command (TP_HUB_PG (storage), "COMMIT", 0, NULL, "commit", error);
}

static void
pg_rollback (TpHubStorage *storage)
{
  TpHubPg *self = TP_HUB_PG (storage);

  if (PQtransactionStatus (self->conn) != PQTRANS_IDLE)
    PQclear (PQexec (self->conn, "ROLLBACK"));
}

static gboolean
pg_get_state (TpHubStorage  *storage,
              TpHubState    *state,
              GError       **error)
{
  TpHubPg *self = TP_HUB_PG (storage);
  g_autoptr(PGresult) result =
    run (self, "SELECT seq, state_hash, entries, segment_first, segment_hash FROM state WHERE k = 1",
         0, NULL, PGRES_TUPLES_OK, "read the feed state", error);

  if (result == NULL)
    return FALSE;
  memset (state, 0, sizeof *state);
  if (PQntuples (result) == 0)
    return TRUE;
  state->seq = value_u64 (result, 0, 0);
  state->entries = value_u64 (result, 0, 2);
  state->segment_first_seq = value_u64 (result, 0, 3);
  if (!tp_state_hash_from_hex (PQgetvalue (result, 0, 1), &state->state_hash) ||
      !tp_feed_unhex (PQgetvalue (result, 0, 4), state->segment_hash, TP_FEED_HASH_SIZE))
    {
      g_set_error (error, TP_ERROR, TP_ERROR_FAILED, "PostgreSQL: the feed state is damaged");
      return FALSE;
    }
  return TRUE;
}

static gboolean
pg_set_state (TpHubStorage      *storage,
              const TpHubState  *state,
              GError           **error)
{
  g_autofree char *seq = g_strdup_printf ("%" G_GUINT64_FORMAT, state->seq);
  g_autofree char *hash = tp_state_hash_to_hex (&state->state_hash);
  g_autofree char *entries = g_strdup_printf ("%" G_GUINT64_FORMAT, state->entries);
  g_autofree char *first = g_strdup_printf ("%" G_GUINT64_FORMAT, state->segment_first_seq);
  g_autofree char *segment = tp_feed_hex (state->segment_hash, TP_FEED_HASH_SIZE);
  const char *values[] = { seq, hash, entries, first, segment };

  return command (TP_HUB_PG (storage),
                  "INSERT INTO state (k, seq, state_hash, entries, segment_first, segment_hash)"
                  " VALUES (1, $1, $2, $3, $4, $5) ON CONFLICT (k) DO UPDATE SET seq = $1, state_hash = $2,"
                  " entries = $3, segment_first = $4, segment_hash = $5",
                  5, values, "write the feed state", error);
}

/* A JSON array of strings, as a parameter PostgreSQL expands with
 * json_array_elements_text (no SQL built from values). */
static void
append_json_string (GString    *out,
                    const char *s)
{
  tp_json_append_string (out, s);
}

static GPtrArray *
pg_get_history (TpHubStorage  *storage,
                GPtrArray     *ids,
                GError       **error)
{
  g_autoptr(GString) array = g_string_new ("[");
  g_autoptr(PGresult) result = NULL;
  const char *values[1];
  GPtrArray *out;

  for (guint i = 0; i < ids->len; i++)
    {
      if (i > 0)
        g_string_append_c (array, ',');
      append_json_string (array, g_ptr_array_index (ids, i));
    }
  g_string_append_c (array, ']');
  values[0] = array->str;
  result = run (TP_HUB_PG (storage),
                "SELECT seq, id, version, json FROM changes WHERE id IN"
                " (SELECT json_array_elements_text ($1::json))",
                1, values, PGRES_TUPLES_OK, "read entries' versions", error);
  if (result == NULL)
    return NULL;
  out = g_ptr_array_new_with_free_func ((GDestroyNotify) tp_hub_change_free);
  for (int i = 0; i < PQntuples (result); i++)
    g_ptr_array_add (out, tp_hub_change_new (value_u64 (result, i, 0), PQgetvalue (result, i, 1),
                                             (guint) value_u64 (result, i, 2), NULL, PQgetvalue (result, i, 3)));
  return out;
}

/* All the batch's changes in two statements: [[seq, id, version, agency, json], ...] */
static gboolean
pg_put_changes (TpHubStorage  *storage,
                GPtrArray     *changes,
                GError       **error)
{
  TpHubPg *self = TP_HUB_PG (storage);
  g_autoptr(GString) rows = g_string_new ("[");
  const char *values[1];

  for (guint i = 0; i < changes->len; i++)
    {
      TpHubChange *c = g_ptr_array_index (changes, i);

      g_string_append_printf (rows, "%s[%" G_GUINT64_FORMAT ",", i > 0 ? "," : "", c->seq);
      append_json_string (rows, c->id);
      g_string_append_printf (rows, ",%u,", c->version);
      append_json_string (rows, c->agency);
      g_string_append_c (rows, ',');
      append_json_string (rows, c->json);
      g_string_append_c (rows, ']');
    }
  g_string_append_c (rows, ']');
  values[0] = rows->str;
  return command (self,
                  "INSERT INTO changes (seq, id, version, agency, json)"
                  " SELECT (c->>0)::bigint, c->>1, (c->>2)::bigint, c->>3, c->>4 FROM json_array_elements ($1::json) c",
                  1, values, "store the changes", error) &&
         command (self,
                  "INSERT INTO current (id, version, seq, json)"
                  " SELECT DISTINCT ON (c->>1) c->>1, (c->>2)::bigint, (c->>0)::bigint, c->>4"
                  " FROM json_array_elements ($1::json) c ORDER BY c->>1, (c->>0)::bigint DESC"
                  " ON CONFLICT (id) DO UPDATE SET version = EXCLUDED.version, seq = EXCLUDED.seq, json = EXCLUDED.json",
                  1, values, "store the entries", error);
}

/* Rows in batches through a cursor: a million entries never sit in one
 * result. */
static gboolean
foreach_cursor (TpHubPg       *self,
                const char    *declare,
                int            n,
                const char * const *values,
                TpHubRowFunc   func,
                gpointer       user_data,
                GError       **error)
{
  gboolean own_transaction = PQtransactionStatus (self->conn) == PQTRANS_IDLE;
  gboolean ok = TRUE;

  if (own_transaction && !command (self, "BEGIN", 0, NULL, "begin", error))
    return FALSE;
  if (!command (self, declare, n, values, "open a cursor", error))
    ok = FALSE;
  while (ok)
    {
      g_autoptr(PGresult) batch = run (self, "FETCH 10000 FROM tp_rows", 0, NULL, PGRES_TUPLES_OK, "read", error);
      int rows;

      if (batch == NULL)
        {
          ok = FALSE;
          break;
        }
      rows = PQntuples (batch);
      for (int i = 0; i < rows && ok; i++)
        ok = func (PQgetvalue (batch, i, 0), user_data, error);
      if (rows == 0)
        break;
    }
  if (ok)
    ok = command (self, "CLOSE tp_rows", 0, NULL, "close a cursor", error);
  if (own_transaction)
    {
      if (ok)
        ok = command (self, "COMMIT", 0, NULL, "end a read", error);
      else
        PQclear (PQexec (self->conn, "ROLLBACK"));
    }
  return ok;
}

static gboolean
pg_foreach_current (TpHubStorage  *storage,
                    TpHubRowFunc   func,
                    gpointer       user_data,
                    GError       **error)
{
  return foreach_cursor (TP_HUB_PG (storage), "DECLARE tp_rows NO SCROLL CURSOR FOR SELECT json FROM current ORDER BY id",
                         0, NULL, func, user_data, error);
}

static gboolean
pg_put_segment (TpHubStorage  *storage,
                guint64        first_seq,
                guint64        last_seq,
                const guint8  *hash,
                GBytes        *bytes,
                GError       **error)
{
  TpHubPg *self = TP_HUB_PG (storage);
  g_autofree char *first = g_strdup_printf ("%" G_GUINT64_FORMAT, first_seq);
  g_autofree char *last = g_strdup_printf ("%" G_GUINT64_FORMAT, last_seq);
  g_autofree char *hex = tp_feed_hex (hash, TP_FEED_HASH_SIZE);
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);
  const char *values[] = { first, last, hex, data };
  int lengths[] = { 0, 0, 0, (int) len };
  int formats[] = { 0, 0, 0, 1 };
  g_autoptr(PGresult) result =
    PQexecParams (self->conn, "INSERT INTO segments (first_seq, last_seq, hash, body) VALUES ($1, $2, $3, $4)",
                  4, NULL, values, lengths, formats, 0);

  if (PQresultStatus (result) != PGRES_COMMAND_OK)
    return pg_fail (self, error, "store a segment", result);
  return TRUE;
}

static GBytes *
pg_get_segment (TpHubStorage  *storage,
                guint64        first_seq,
                GError       **error)
{
  TpHubPg *self = TP_HUB_PG (storage);
  g_autofree char *first = g_strdup_printf ("%" G_GUINT64_FORMAT, first_seq);
  const char *values[] = { first };
  g_autoptr(PGresult) result =
    PQexecParams (self->conn, "SELECT body FROM segments WHERE first_seq = $1", 1, NULL, values, NULL, NULL, 1);

  if (PQresultStatus (result) != PGRES_TUPLES_OK)
    {
      pg_fail (self, error, "read a segment", result);
      return NULL;
    }
  if (PQntuples (result) == 0)
    return NULL;
  return g_bytes_new (PQgetvalue (result, 0, 0), (gsize) PQgetlength (result, 0, 0));
}

static GArray *
pg_list_segments (TpHubStorage  *storage,
                  GError       **error)
{
  g_autoptr(PGresult) result = run (TP_HUB_PG (storage), "SELECT first_seq FROM segments ORDER BY first_seq",
                                    0, NULL, PGRES_TUPLES_OK, "list the segments", error);
  GArray *out;

  if (result == NULL)
    return NULL;
  out = g_array_new (FALSE, FALSE, sizeof (guint64));
  for (int i = 0; i < PQntuples (result); i++)
    {
      guint64 first = value_u64 (result, i, 0);

      g_array_append_val (out, first);
    }
  return out;
}

static gboolean
pg_put_snapshot (TpHubStorage             *storage,
                 const TpHubSnapshotInfo  *info,
                 GError                  **error)
{
  g_autofree char *seq = g_strdup_printf ("%" G_GUINT64_FORMAT, info->seq);
  g_autofree char *hex = tp_feed_hex (info->sha256, TP_FEED_HASH_SIZE);
  g_autofree char *size = g_strdup_printf ("%" G_GUINT64_FORMAT, info->size);
  const char *values[] = { seq, hex, size };

  return command (TP_HUB_PG (storage),
                  "INSERT INTO snapshots (seq, sha256, size) VALUES ($1, $2, $3)"
                  " ON CONFLICT (seq) DO UPDATE SET sha256 = $2, size = $3",
                  3, values, "record a snapshot", error);
}

static gboolean
pg_delete_snapshot (TpHubStorage  *storage,
                    guint64        seq,
                    GError       **error)
{
  g_autofree char *s = g_strdup_printf ("%" G_GUINT64_FORMAT, seq);
  const char *values[] = { s };

  return command (TP_HUB_PG (storage), "DELETE FROM snapshots WHERE seq = $1", 1, values, "delete a snapshot", error);
}

static GArray *
pg_list_snapshots (TpHubStorage  *storage,
                   GError       **error)
{
  g_autoptr(PGresult) result = run (TP_HUB_PG (storage), "SELECT seq, sha256, size FROM snapshots ORDER BY seq DESC",
                                    0, NULL, PGRES_TUPLES_OK, "list the snapshots", error);
  GArray *out;

  if (result == NULL)
    return NULL;
  out = g_array_new (FALSE, TRUE, sizeof (TpHubSnapshotInfo));
  for (int i = 0; i < PQntuples (result); i++)
    {
      TpHubSnapshotInfo info = { 0 };

      info.seq = value_u64 (result, i, 0);
      info.size = value_u64 (result, i, 2);
      if (!tp_feed_unhex (PQgetvalue (result, i, 1), info.sha256, TP_FEED_HASH_SIZE))
        continue;
      g_array_append_val (out, info);
    }
  return out;
}

/* One statement for the batch; RETURNING names the rows inserted. */
static gboolean
pg_put_events (TpHubStorage  *storage,
               GPtrArray     *events,
               GError       **error)
{
  g_autoptr(GString) rows = g_string_new ("[");
  g_autoptr(PGresult) result = NULL;
  g_autoptr(GHashTable) inserted = g_hash_table_new (g_str_hash, g_str_equal);
  const char *values[1];

  if (events->len == 0)
    return TRUE;
  for (guint i = 0; i < events->len; i++)
    {
      TpHubEvent *e = g_ptr_array_index (events, i);

      g_string_append (rows, i > 0 ? ",[" : "[");
      append_json_string (rows, e->id);
      g_string_append_c (rows, ',');
      append_json_string (rows, e->terminal);
      g_string_append_c (rows, ',');
      append_json_string (rows, e->airport);
      g_string_append_c (rows, ',');
      append_json_string (rows, e->type);
      g_string_append_printf (rows, ",%" G_GINT64_FORMAT ",", e->at_ms);
      append_json_string (rows, e->json);
      g_string_append_c (rows, ']');
    }
  g_string_append_c (rows, ']');
  values[0] = rows->str;
  result = run (TP_HUB_PG (storage),
                "INSERT INTO events (id, terminal, airport, type, at_ms, json)"
                " SELECT e->>0, e->>1, e->>2, e->>3, (e->>4)::bigint, e->>5"
                " FROM json_array_elements ($1::json) WITH ORDINALITY AS t (e, n) ORDER BY n"
                " ON CONFLICT (id) DO NOTHING RETURNING id",
                1, values, PGRES_TUPLES_OK, "store the events", error);
  if (result == NULL)
    return FALSE;
  for (int i = 0; i < PQntuples (result); i++)
    g_hash_table_add (inserted, PQgetvalue (result, i, 0));
  for (guint i = 0; i < events->len; i++)
    {
      TpHubEvent *e = g_ptr_array_index (events, i);

      /* the first of a repeated id is the one stored */
      e->stored = g_hash_table_remove (inserted, e->id);
    }
  return TRUE;
}

static gboolean
pg_foreach_event (TpHubStorage  *storage,
                  const char    *after_id,
                  TpHubRowFunc   func,
                  gpointer       user_data,
                  GError       **error)
{
  const char *values[] = { after_id };

  if (after_id != NULL)
    return foreach_cursor (TP_HUB_PG (storage),
                           "DECLARE tp_rows NO SCROLL CURSOR FOR SELECT json FROM events"
                           " WHERE n > (SELECT n FROM events WHERE id = $1) ORDER BY n",
                           1, values, func, user_data, error);
  return foreach_cursor (TP_HUB_PG (storage), "DECLARE tp_rows NO SCROLL CURSOR FOR SELECT json FROM events ORDER BY n",
                         0, NULL, func, user_data, error);
}

static gboolean
pg_has_event (TpHubStorage  *storage,
              const char    *id,
              gboolean      *found,
              GError       **error)
{
  const char *values[] = { id };
  g_autoptr(PGresult) result = run (TP_HUB_PG (storage), "SELECT 1 FROM events WHERE id = $1",
                                    1, values, PGRES_TUPLES_OK, "look up an event", error);

  if (result == NULL)
    return FALSE;
  *found = PQntuples (result) > 0;
  return TRUE;
}

static GPtrArray *
pg_list_event_ids (TpHubStorage  *storage,
                   const char    *terminal,
                   gint64         from_ms,
                   gint64         to_ms,
                   GError       **error)
{
  g_autofree char *from = g_strdup_printf ("%" G_GINT64_FORMAT, from_ms);
  g_autofree char *to = g_strdup_printf ("%" G_GINT64_FORMAT, to_ms);
  const char *values[] = { terminal, from, to };
  g_autoptr(PGresult) result =
    run (TP_HUB_PG (storage),
         "SELECT id FROM events WHERE terminal = $1 AND at_ms >= $2 AND at_ms < $3 ORDER BY id COLLATE \"C\"",
         3, values, PGRES_TUPLES_OK, "list events", error);
  GPtrArray *out;

  if (result == NULL)
    return NULL;
  out = g_ptr_array_new_with_free_func (g_free);
  for (int i = 0; i < PQntuples (result); i++)
    g_ptr_array_add (out, g_strdup (PQgetvalue (result, i, 0)));
  return out;
}

static gboolean
pg_put_shift (TpHubStorage  *storage,
              const char    *terminal,
              const char    *shift,
              const char    *airport,
              const char    *day,
              const char    *json,
              GError       **error)
{
  const char *values[] = { terminal, shift, airport, day, json };

  return command (TP_HUB_PG (storage),
                  "INSERT INTO shifts (terminal, shift, airport, day, json) VALUES ($1, $2, $3, $4, $5)"
                  " ON CONFLICT (terminal, shift) DO UPDATE SET airport = $3, day = $4, json = $5",
                  5, values, "store a shift", error);
}

static gboolean
pg_foreach_shift (TpHubStorage  *storage,
                  const char    *airport,
                  const char    *day,
                  TpHubRowFunc   func,
                  gpointer       user_data,
                  GError       **error)
{
  const char *values[] = { airport, day };

  return foreach_cursor (TP_HUB_PG (storage),
                         "DECLARE tp_rows NO SCROLL CURSOR FOR SELECT json FROM shifts"
                         " WHERE airport = $1 AND day = $2 ORDER BY terminal, shift",
                         2, values, func, user_data, error);
}

static gboolean
pg_get_audit_head (TpHubStorage  *storage,
                   const char    *terminal,
                   gint64        *seq,
                   char         **hash,
                   GError       **error)
{
  const char *values[] = { terminal };
  g_autoptr(PGresult) result = run (TP_HUB_PG (storage), "SELECT seq, hash FROM audit_heads WHERE terminal = $1",
                                    1, values, PGRES_TUPLES_OK, "read a terminal's audit head", error);

  if (result == NULL)
    return FALSE;
  if (PQntuples (result) > 0)
    {
      *seq = g_ascii_strtoll (PQgetvalue (result, 0, 0), NULL, 10);
      *hash = g_strdup (PQgetvalue (result, 0, 1));
    }
  return TRUE;
}

static gboolean
pg_set_audit_head (TpHubStorage  *storage,
                   const char    *terminal,
                   gint64         seq,
                   const char    *hash,
                   GError       **error)
{
  g_autofree char *seq_text = g_strdup_printf ("%" G_GINT64_FORMAT, seq);
  const char *values[] = { terminal, seq_text, hash };

  return command (TP_HUB_PG (storage),
                  "INSERT INTO audit_heads (terminal, seq, hash) VALUES ($1, $2, $3)"
                  " ON CONFLICT (terminal) DO UPDATE SET seq = $2, hash = $3",
                  3, values, "store a terminal's audit head", error);
}

static gboolean
pg_put_audit_break (TpHubStorage  *storage,
                    const char    *event_id,
                    const char    *terminal,
                    const char    *airport,
                    const char    *day,
                    const char    *json,
                    GError       **error)
{
  const char *values[] = { event_id, terminal, airport, day, json };

  return command (TP_HUB_PG (storage),
                  "INSERT INTO audit_breaks (event_id, terminal, airport, day, json) VALUES ($1, $2, $3, $4, $5)"
                  " ON CONFLICT (event_id) DO NOTHING",
                  5, values, "store an audit break", error);
}

static gboolean
pg_foreach_audit_break (TpHubStorage  *storage,
                        const char    *airport,
                        const char    *day,
                        TpHubRowFunc   func,
                        gpointer       user_data,
                        GError       **error)
{
  const char *values[] = { airport, day };

  return foreach_cursor (TP_HUB_PG (storage),
                         "DECLARE tp_rows NO SCROLL CURSOR FOR SELECT json FROM audit_breaks"
                         " WHERE airport = $1 AND day = $2 ORDER BY n",
                         2, values, func, user_data, error);
}

static void
tp_hub_pg_storage_init (TpHubStorageInterface *iface)
{
  iface->open_another = pg_open_another;
  iface->describe = pg_describe;
  iface->begin = pg_begin;
  iface->commit = pg_commit;
  iface->rollback = pg_rollback;
  iface->get_state = pg_get_state;
  iface->set_state = pg_set_state;
  iface->get_history = pg_get_history;
  iface->put_changes = pg_put_changes;
  iface->foreach_current = pg_foreach_current;
  iface->put_segment = pg_put_segment;
  iface->get_segment = pg_get_segment;
  iface->list_segments = pg_list_segments;
  iface->put_snapshot = pg_put_snapshot;
  iface->delete_snapshot = pg_delete_snapshot;
  iface->list_snapshots = pg_list_snapshots;
  iface->put_events = pg_put_events;
  iface->foreach_event = pg_foreach_event;
  iface->has_event = pg_has_event;
  iface->list_event_ids = pg_list_event_ids;
  iface->put_shift = pg_put_shift;
  iface->foreach_shift = pg_foreach_shift;
  iface->get_audit_head = pg_get_audit_head;
  iface->set_audit_head = pg_set_audit_head;
  iface->put_audit_break = pg_put_audit_break;
  iface->foreach_audit_break = pg_foreach_audit_break;
}

static void
tp_hub_pg_finalize (GObject *object)
{
  TpHubPg *self = TP_HUB_PG (object);

  if (self->conn != NULL)
    PQfinish (self->conn);
  g_free (self->url);

  G_OBJECT_CLASS (tp_hub_pg_parent_class)->finalize (object);
}

static void
tp_hub_pg_class_init (TpHubPgClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tp_hub_pg_finalize;
}

static void
tp_hub_pg_init (TpHubPg *self)
{
}

TpHubStorage *
tp_hub_pg_open (const char  *url,
                GError     **error)
{
  g_autoptr(TpHubPg) self = NULL;

  g_return_val_if_fail (url != NULL, NULL);

  self = g_object_new (TP_TYPE_HUB_PG, NULL);
  self->url = g_strdup (url);
  self->conn = PQconnectdb (url);
  if (PQstatus (self->conn) != CONNECTION_OK)
    {
      pg_fail (self, error, "connect", NULL);
      return NULL;
    }
  PQclear (PQexec (self->conn, "SET client_min_messages = warning"));
  /* the schema once, even with several connections starting together */
  {
    g_autoptr(PGresult) lock = PQexec (self->conn, "SELECT pg_advisory_lock(7401)");
    g_autoptr(PGresult) result = NULL;
    g_autoptr(PGresult) unlock = NULL;

    if (PQresultStatus (lock) != PGRES_TUPLES_OK)
      {
        pg_fail (self, error, "lock the schema", lock);
        return NULL;
      }
    result = PQexec (self->conn, schema);
    unlock = PQexec (self->conn, "SELECT pg_advisory_unlock(7401)");
    if (PQresultStatus (result) != PGRES_COMMAND_OK)
      {
        pg_fail (self, error, "create the tables", result);
        return NULL;
      }
  }
  return TP_HUB_STORAGE (g_steal_pointer (&self));
}
