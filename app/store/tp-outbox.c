/* tp-outbox.c: terminal events on their way to the hub, and reconciled shifts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tables (schema version 3, tp-store.c):
 *   outbox  seq, id (unique), type, at_ms, audit_seq, audit_hash, json,
 *           recorded_at, status (NULL while pending), reason, sent_at
 *   shift   id, opened_at_ms, closed_at_ms, answer
 */
#include "config.h"

#include <string.h>

#include "tp-json.h"
#include "tp-outbox.h"
#include "tp-store-private.h"

#define EVENT_COLUMNS "seq, id, type, at_ms, json, status, reason, recorded_at, sent_at"

static const char * const status_names[] = {
  [TP_OUTBOX_PENDING] = "pending",
  [TP_OUTBOX_ACCEPTED] = "accepted",
  [TP_OUTBOX_DUPLICATE] = "duplicate",
  [TP_OUTBOX_REJECTED] = "rejected",
};

const char *
tp_outbox_status_to_string (TpOutboxStatus status)
{
  g_return_val_if_fail ((guint) status < G_N_ELEMENTS (status_names), NULL);

  return status_names[status];
}

static TpOutboxStatus
status_from_column (const char *text)
{
  if (text == NULL)
    return TP_OUTBOX_PENDING;
  for (guint i = TP_OUTBOX_ACCEPTED; i < G_N_ELEMENTS (status_names); i++)
    if (strcmp (text, status_names[i]) == 0)
      return (TpOutboxStatus) i;
  return TP_OUTBOX_REJECTED;
}

void
tp_outbox_event_free (TpOutboxEvent *event)
{
  if (event == NULL)
    return;
  g_free (event->id);
  g_free (event->type);
  g_free (event->json);
  g_free (event->reason);
  g_free (event);
}

void
tp_shift_free (TpShift *shift)
{
  if (shift == NULL)
    return;
  g_free (shift->id);
  g_free (shift->answer);
  g_free (shift);
}

static char *
column_dup (sqlite3_stmt *stmt,
            int           col)
{
  return sqlite3_column_type (stmt, col) == SQLITE_NULL
           ? NULL : g_strdup ((const char *) sqlite3_column_text (stmt, col));
}

static gboolean
prepare (TpStore       *store,
         const char    *sql,
         sqlite3_stmt **stmt,
         GError       **error)
{
  sqlite3 *db = _tp_store_get_db (store);
  int rc = sqlite3_prepare_v2 (db, sql, -1, stmt, NULL);

  if (rc != SQLITE_OK)
    {
      _tp_store_set_error (error, db, rc, "Cannot prepare an outbox query");
      return FALSE;
    }
  return TRUE;
}

/* Runs a prepared query of EVENT_COLUMNS; takes @stmt. */
static GPtrArray *
read_events (TpStore       *store,
             sqlite3_stmt  *stmt,
             GError       **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) tp_outbox_event_free);
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TpOutboxEvent *event = g_new0 (TpOutboxEvent, 1);

      event->seq = sqlite3_column_int64 (stmt, 0);
      event->id = column_dup (stmt, 1);
      event->type = column_dup (stmt, 2);
      event->at_ms = sqlite3_column_int64 (stmt, 3);
      event->json = column_dup (stmt, 4);
      event->status = status_from_column ((const char *) sqlite3_column_text (stmt, 5));
      event->reason = column_dup (stmt, 6);
      event->recorded_at = sqlite3_column_int64 (stmt, 7);
      event->sent_at = sqlite3_column_int64 (stmt, 8);
      g_ptr_array_add (out, event);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      _tp_store_set_error (error, _tp_store_get_db (store), rc, "Cannot read the outbox");
      return NULL;
    }
  return g_steal_pointer (&out);
}

GPtrArray *
tp_store_outbox_pending (TpStore  *store,
                         guint     limit,
                         GError  **error)
{
  sqlite3_stmt *stmt = NULL;

  g_return_val_if_fail (TP_IS_STORE (store), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!prepare (store, "SELECT " EVENT_COLUMNS " FROM outbox WHERE status IS NULL ORDER BY seq LIMIT ?1",
                &stmt, error))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, limit > 0 ? (gint64) limit : -1);
  return read_events (store, stmt, error);
}

TpOutboxEvent *
tp_store_outbox_get (TpStore     *store,
                     const char  *id,
                     GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  g_autoptr(GPtrArray) found = NULL;

  g_return_val_if_fail (TP_IS_STORE (store), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  if (!prepare (store, "SELECT " EVENT_COLUMNS " FROM outbox WHERE id = ?1", &stmt, error))
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  found = read_events (store, stmt, error);
  if (found == NULL || found->len == 0)
    return NULL;
  return g_ptr_array_steal_index (found, 0);
}

GPtrArray *
tp_store_outbox_list (TpStore  *store,
                      gint64    after_seq,
                      guint     limit,
                      GError  **error)
{
  sqlite3_stmt *stmt = NULL;

  g_return_val_if_fail (TP_IS_STORE (store), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!prepare (store, "SELECT " EVENT_COLUMNS " FROM outbox WHERE seq > ?1 ORDER BY seq LIMIT ?2", &stmt, error))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, after_seq);
  sqlite3_bind_int64 (stmt, 2, limit > 0 ? (gint64) limit : -1);
  return read_events (store, stmt, error);
}

GPtrArray *
tp_store_outbox_list_between (TpStore  *store,
                              gint64    from_ms,
                              gint64    to_ms,
                              GError  **error)
{
  sqlite3_stmt *stmt = NULL;

  g_return_val_if_fail (TP_IS_STORE (store), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!prepare (store, "SELECT " EVENT_COLUMNS " FROM outbox WHERE at_ms >= ?1 AND at_ms <= ?2 ORDER BY seq",
                &stmt, error))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, from_ms);
  sqlite3_bind_int64 (stmt, 2, to_ms);
  return read_events (store, stmt, error);
}

gboolean
tp_store_outbox_get_first_at (TpStore  *store,
                              gint64   *out_ms,
                              GError  **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (TP_IS_STORE (store), FALSE);
  g_return_val_if_fail (out_ms != NULL, FALSE);

  *out_ms = 0;
  if (!prepare (store, "SELECT min(at_ms) FROM outbox", &stmt, error))
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *out_ms = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      _tp_store_set_error (error, _tp_store_get_db (store), rc, "Cannot read the outbox");
      return FALSE;
    }
  return TRUE;
}

gboolean
tp_store_outbox_mark (TpStore                *store,
                      const TpOutboxReceipt  *receipts,
                      guint                   n_receipts,
                      GError                **error)
{
  sqlite3 *db;
  sqlite3_stmt *stmt = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  g_return_val_if_fail (TP_IS_STORE (store), FALSE);
  g_return_val_if_fail (receipts != NULL || n_receipts == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  for (guint i = 0; i < n_receipts; i++)
    if (receipts[i].id == NULL || receipts[i].status == TP_OUTBOX_PENDING ||
        (guint) receipts[i].status >= G_N_ELEMENTS (status_names))
      {
        g_set_error (error, TP_STORE_ERROR, TP_STORE_ERROR_INVALID,
                     "Receipt %u for the outbox has no event id or no final status", i + 1);
        return FALSE;
      }
  if (n_receipts == 0)
    return TRUE;

  db = _tp_store_get_db (store);
  if (!_tp_store_begin_write (store, error))
    return FALSE;
  if (!prepare (store, "UPDATE outbox SET status = ?2, reason = ?3, sent_at = ?4 "
                       "WHERE id = ?1 AND status IS NULL", &stmt, error))
    goto fail;
  for (guint i = 0; i < n_receipts; i++)
    {
      int rc;

      sqlite3_bind_text (stmt, 1, receipts[i].id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, status_names[receipts[i].status], -1, SQLITE_STATIC);
      if (receipts[i].status == TP_OUTBOX_REJECTED)
        sqlite3_bind_text (stmt, 3, receipts[i].reason != NULL ? receipts[i].reason : "", -1, SQLITE_STATIC);
      else
        sqlite3_bind_null (stmt, 3);
      sqlite3_bind_int64 (stmt, 4, now);
      rc = sqlite3_step (stmt);
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      if (rc != SQLITE_DONE)
        {
          _tp_store_set_error (error, db, rc, "Cannot record a receipt in the outbox");
          goto fail;
        }
    }
  sqlite3_finalize (stmt);
  return _tp_store_commit (store, error);

fail:
  sqlite3_finalize (stmt);
  _tp_store_rollback (store);
  return FALSE;
}

gboolean
tp_store_outbox_get_counts (TpStore         *store,
                            TpOutboxCounts  *out,
                            GError         **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (TP_IS_STORE (store), FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  memset (out, 0, sizeof *out);
  /* pending through its partial index; the rest by the whole table */
  if (!prepare (store,
                "SELECT (SELECT count(*) FROM outbox WHERE status IS NULL), "
                "(SELECT count(*) FROM outbox WHERE status = 'rejected'), "
                "(SELECT count(*) FROM outbox)", &stmt, error))
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      out->pending = (guint64) sqlite3_column_int64 (stmt, 0);
      out->rejected = (guint64) sqlite3_column_int64 (stmt, 1);
      out->sent = (guint64) sqlite3_column_int64 (stmt, 2) - out->pending - out->rejected;
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_ROW)
    {
      _tp_store_set_error (error, _tp_store_get_db (store), rc, "Cannot read the outbox");
      return FALSE;
    }
  return TRUE;
}

/* The seam used by tp_store_record_event(), inside its transaction */

gboolean
_tp_outbox_lookup_locked (TpStore     *store,
                          const char  *id,
                          gboolean    *found,
                          gint64      *audit_seq,
                          char       **audit_hash,
                          char       **details,
                          GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  *found = FALSE;
  if (!prepare (store,
                "SELECT o.audit_seq, o.audit_hash, a.details FROM outbox o "
                "LEFT JOIN audit_log a ON a.seq = o.audit_seq WHERE o.id = ?1",
                &stmt, error))
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *found = TRUE;
      *audit_seq = sqlite3_column_int64 (stmt, 0);
      *audit_hash = column_dup (stmt, 1);
      *details = column_dup (stmt, 2);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      _tp_store_set_error (error, _tp_store_get_db (store), rc, "Cannot read the outbox");
      return FALSE;
    }
  return TRUE;
}

gboolean
_tp_outbox_add_locked (TpStore     *store,
                       JsonNode    *event,
                       const char  *id,
                       const char  *type,
                       gint64       at_ms,
                       gint64       audit_seq,
                       const char  *audit_hash,
                       GError     **error)
{
  g_autoptr(JsonNode) copy = json_node_new (JSON_NODE_OBJECT);
  JsonObject *object = json_object_new ();
  JsonObject *audit = json_object_new ();
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;
  g_autofree char *json = NULL;
  sqlite3_stmt *stmt = NULL;
  int rc;

  /* a new object (json_node_copy() would share the caller's) */
  json_object_iter_init (&iter, json_node_get_object (event));
  while (json_object_iter_next (&iter, &name, &member))
    json_object_set_member (object, name, json_node_ref (member));
  json_object_set_int_member (audit, "seq", audit_seq);
  json_object_set_string_member (audit, "hash", audit_hash);
  json_object_set_object_member (object, "audit", audit);
  json_node_take_object (copy, object);
  json = tp_json_canonical (copy);

  if (!prepare (store,
                "INSERT INTO outbox (id, type, at_ms, audit_seq, audit_hash, json, recorded_at) "
                "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", &stmt, error))
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, type, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, at_ms);
  sqlite3_bind_int64 (stmt, 4, audit_seq);
  sqlite3_bind_text (stmt, 5, audit_hash, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, json, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 7, g_get_real_time () / G_USEC_PER_SEC);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      _tp_store_set_error (error, _tp_store_get_db (store), rc, "Cannot write the event to the outbox");
      return FALSE;
    }
  return TRUE;
}

/* Shifts */

static TpShift *
read_shift (TpStore       *store,
            sqlite3_stmt  *stmt,
            GError       **error)
{
  TpShift *shift = NULL;
  int rc = sqlite3_step (stmt);

  if (rc == SQLITE_ROW)
    {
      shift = g_new0 (TpShift, 1);
      shift->id = column_dup (stmt, 0);
      shift->opened_at_ms = sqlite3_column_int64 (stmt, 1);
      shift->closed_at_ms = sqlite3_column_int64 (stmt, 2);
      shift->answer = column_dup (stmt, 3);
    }
  else if (rc != SQLITE_DONE)
    _tp_store_set_error (error, _tp_store_get_db (store), rc, "Cannot read the shifts");
  sqlite3_finalize (stmt);
  return shift;
}

TpShift *
tp_store_get_shift (TpStore     *store,
                    const char  *id,
                    GError     **error)
{
  sqlite3_stmt *stmt = NULL;

  g_return_val_if_fail (TP_IS_STORE (store), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  if (!prepare (store, "SELECT id, opened_at_ms, closed_at_ms, answer FROM shift WHERE id = ?1", &stmt, error))
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  return read_shift (store, stmt, error);
}

TpShift *
tp_store_get_last_shift (TpStore  *store,
                         GError  **error)
{
  sqlite3_stmt *stmt = NULL;

  g_return_val_if_fail (TP_IS_STORE (store), NULL);

  if (!prepare (store, "SELECT id, opened_at_ms, closed_at_ms, answer FROM shift "
                       "ORDER BY closed_at_ms DESC, rowid DESC LIMIT 1", &stmt, error))
    return NULL;
  return read_shift (store, stmt, error);
}

gboolean
tp_store_put_shift (TpStore        *store,
                    const TpShift  *shift,
                    GError        **error)
{
  sqlite3_stmt *stmt = NULL;
  g_autofree char *details = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  int rc;

  g_return_val_if_fail (TP_IS_STORE (store), FALSE);
  g_return_val_if_fail (shift != NULL && shift->id != NULL, FALSE);

  if (shift->id[0] == '\0' || shift->closed_at_ms < shift->opened_at_ms ||
      !g_utf8_validate (shift->id, -1, NULL))
    {
      g_set_error (error, TP_STORE_ERROR, TP_STORE_ERROR_INVALID,
                   "A shift needs an id (UTF-8) and must not close before it opens");
      return FALSE;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "closed_at_ms");
  json_builder_add_int_value (builder, shift->closed_at_ms);
  json_builder_set_member_name (builder, "opened_at_ms");
  json_builder_add_int_value (builder, shift->opened_at_ms);
  if (shift->answer != NULL)
    {
      g_autoptr(JsonNode) answer = json_from_string (shift->answer, NULL);

      if (answer != NULL && JSON_NODE_HOLDS_OBJECT (answer))
        {
          json_builder_set_member_name (builder, "status");
          json_builder_add_string_value (builder,
                                         json_object_get_string_member_with_default (json_node_get_object (answer),
                                                                                     "status", ""));
        }
    }
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  details = tp_json_canonical (node);

  if (!_tp_store_begin_write (store, error))
    return FALSE;
  if (!prepare (store, "INSERT OR REPLACE INTO shift (id, opened_at_ms, closed_at_ms, answer) "
                       "VALUES (?1, ?2, ?3, ?4)", &stmt, error))
    goto fail;
  sqlite3_bind_text (stmt, 1, shift->id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, shift->opened_at_ms);
  sqlite3_bind_int64 (stmt, 3, shift->closed_at_ms);
  if (shift->answer != NULL)
    sqlite3_bind_text (stmt, 4, shift->answer, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null (stmt, 4);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      _tp_store_set_error (error, _tp_store_get_db (store), rc, "Cannot record the shift");
      goto fail;
    }
  if (!_tp_audit_chain_append (_tp_store_get_db (store), "sync", "shift.reconcile", shift->id, details,
                               NULL, NULL, error))
    goto fail;
  return _tp_store_commit (store, error);

fail:
  _tp_store_rollback (store);
  return FALSE;
}
