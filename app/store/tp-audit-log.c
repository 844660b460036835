/* tp-audit-log.c: hash-chained audit records in the store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "tp-audit-log.h"
#include "tp-json.h"
#include "tp-store-private.h"

/* Public API */

void
tp_audit_record_free (TpAuditRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->actor);
  g_free (record->action);
  g_free (record->subject);
  g_free (record->details);
  g_free (record->prev_hash);
  g_free (record->hash);
  g_free (record);
}

void
tp_audit_verification_clear (TpAuditVerification *verification)
{
  g_return_if_fail (verification != NULL);

  g_clear_pointer (&verification->reason, g_free);
  memset (verification, 0, sizeof *verification);
}

gboolean
tp_audit_log_append (TpStore     *store,
                     const char  *actor,
                     const char  *action,
                     const char  *subject,
                     JsonNode    *details,
                     gint64      *out_seq,
                     GError     **error)
{
  g_autofree char *details_json = NULL;

  g_return_val_if_fail (TP_IS_STORE (store), FALSE);
  g_return_val_if_fail (actor != NULL && *actor != '\0', FALSE);
  g_return_val_if_fail (action != NULL && *action != '\0', FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (details != NULL && !JSON_NODE_HOLDS_OBJECT (details))
    {
      g_set_error (error, TP_STORE_ERROR, TP_STORE_ERROR_INVALID,
                   "Audit record details must be a JSON object");
      return FALSE;
    }
  if (!g_utf8_validate (actor, -1, NULL) || !g_utf8_validate (action, -1, NULL) ||
      (subject != NULL && !g_utf8_validate (subject, -1, NULL)))
    {
      g_set_error (error, TP_STORE_ERROR, TP_STORE_ERROR_INVALID,
                   "Audit record fields must be valid UTF-8");
      return FALSE;
    }
  details_json = details != NULL ? tp_json_canonical (details) : g_strdup ("{}");

  if (!_tp_store_begin_write (store, error))
    return FALSE;
  if (!_tp_audit_chain_append (_tp_store_get_db (store), actor, action, subject, details_json,
                               out_seq, NULL, error))
    {
      _tp_store_rollback (store);
      return FALSE;
    }
  return _tp_store_commit (store, error);
}

gboolean
tp_store_record_event (TpStore   *store,
                       JsonNode  *event,
                       gint64    *out_seq,
                       char     **out_hash,
                       GError   **error)
{
  JsonObject *object;
  const char *type;
  const char *officer;
  const char *case_id;
  const char *id;
  const char *at;
  g_autoptr(GDateTime) at_time = NULL;
  g_autofree char *action = NULL;
  g_autofree char *details_json = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *known_details = NULL;
  gboolean known = FALSE;
  gint64 seq = 0;

  g_return_val_if_fail (TP_IS_STORE (store), FALSE);
  g_return_val_if_fail (event != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  object = JSON_NODE_HOLDS_OBJECT (event) ? json_node_get_object (event) : NULL;
  type = object ? json_object_get_string_member_with_default (object, "type", NULL) : NULL;
  officer = object ? json_object_get_string_member_with_default (object, "officer", NULL) : NULL;
  case_id = object ? json_object_get_string_member_with_default (object, "case_id", NULL) : NULL;
  id = object ? json_object_get_string_member_with_default (object, "id", NULL) : NULL;
  at = object ? json_object_get_string_member_with_default (object, "at", NULL) : NULL;
  if (type == NULL || *type == '\0' || officer == NULL || *officer == '\0' || case_id == NULL ||
      id == NULL || *id == '\0' || at == NULL)
    {
      g_set_error (error, TP_STORE_ERROR, TP_STORE_ERROR_INVALID,
                   "An event to record must be a JSON object with \"id\", \"type\", \"at\", "
                   "\"officer\" and \"case_id\" strings");
      return FALSE;
    }
  if (!g_utf8_validate (type, -1, NULL) || !g_utf8_validate (officer, -1, NULL) ||
      !g_utf8_validate (case_id, -1, NULL) || !g_utf8_validate (id, -1, NULL))
    {
      g_set_error (error, TP_STORE_ERROR, TP_STORE_ERROR_INVALID,
                   "Event fields must be valid UTF-8");
      return FALSE;
    }
  at_time = g_date_time_new_from_iso8601 (at, NULL);
  if (at_time == NULL)
    {
      g_set_error (error, TP_STORE_ERROR, TP_STORE_ERROR_INVALID,
                   "Event “%s”: \"at\" is not an RFC 3339 time with an offset", id);
      return FALSE;
    }
  if (json_object_has_member (object, "audit"))
    {
      g_set_error (error, TP_STORE_ERROR, TP_STORE_ERROR_INVALID,
                   "Event “%s” already has an \"audit\" member: the store gives it one", id);
      return FALSE;
    }

  action = g_strconcat ("case.", type, NULL);
  details_json = tp_json_canonical (event);
  if (!_tp_store_begin_write (store, error))
    return FALSE;
  /* The event goes to the audit log and to the outbox in one transaction.
   * The same event again (same id, same content) is already in both. */
  if (!_tp_outbox_lookup_locked (store, id, &known, &seq, &hash, &known_details, error))
    goto fail;
  if (known)
    {
      _tp_store_rollback (store);
      if (g_strcmp0 (known_details, details_json) != 0)
        {
          g_set_error (error, TP_STORE_ERROR, TP_STORE_ERROR_INVALID,
                       "Event “%s” is already recorded, with other content", id);
          return FALSE;
        }
    }
  else
    {
      gint64 at_ms = g_date_time_to_unix (at_time) * 1000 + g_date_time_get_microsecond (at_time) / 1000;

      if (!_tp_audit_chain_append (_tp_store_get_db (store), officer, action, case_id, details_json,
                                   &seq, &hash, error) ||
          !_tp_outbox_add_locked (store, event, id, type, at_ms, seq, hash, error) ||
          !_tp_store_commit (store, error))
        goto fail;
    }
  if (out_seq != NULL)
    *out_seq = seq;
  if (out_hash != NULL)
    *out_hash = g_steal_pointer (&hash);
  return TRUE;

fail:
  _tp_store_rollback (store);
  return FALSE;
}

static void
set_broken (TpAuditVerification *out,
            gint64               seq,
            const char          *format,
            ...) G_GNUC_PRINTF (3, 4);

static void
set_broken (TpAuditVerification *out,
            gint64               seq,
            const char          *format,
            ...)
{
  va_list args;

  out->valid = FALSE;
  out->first_broken = seq;
  va_start (args, format);
  out->reason = g_strdup_vprintf (format, args);
  va_end (args);
}

gboolean
tp_audit_log_verify (TpStore              *store,
                     TpAuditVerification  *out,
                     GError              **error)
{
  sqlite3 *db;
  sqlite3_stmt *stmt = NULL;
  g_autofree char *prev = g_strdup (TP_AUDIT_ZERO_HASH);
  g_autofree char *head = NULL;
  gint64 expected = 1;
  int rc;

  g_return_val_if_fail (TP_IS_STORE (store), FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  memset (out, 0, sizeof *out);
  out->valid = TRUE;
  db = _tp_store_get_db (store);

  if (!_tp_store_exec (store, "BEGIN", error))
    return FALSE;

  rc = sqlite3_prepare_v2 (db,
                           "SELECT seq, time_us, actor, action, subject, details, prev_hash, hash "
                           "FROM audit_log ORDER BY seq", -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    goto fail;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 seq = sqlite3_column_int64 (stmt, 0);
      const char *actor = (const char *) sqlite3_column_text (stmt, 2);
      const char *action = (const char *) sqlite3_column_text (stmt, 3);
      const char *subject = (const char *) sqlite3_column_text (stmt, 4);
      const char *details = (const char *) sqlite3_column_text (stmt, 5);
      const char *prev_hash = (const char *) sqlite3_column_text (stmt, 6);
      const char *hash = (const char *) sqlite3_column_text (stmt, 7);
      g_autofree char *record = NULL;
      char computed[TP_AUDIT_HASH_HEX_LEN + 1];

      out->records++;
      if (!out->valid)
        continue;
      if (seq != expected)
        {
          set_broken (out, expected, "record %" G_GINT64_FORMAT " is missing (the next one is %" G_GINT64_FORMAT ")",
                      expected, seq);
          continue;
        }
      if (sqlite3_column_type (stmt, 0) != SQLITE_INTEGER || sqlite3_column_type (stmt, 1) != SQLITE_INTEGER ||
          actor == NULL || action == NULL || details == NULL || prev_hash == NULL || hash == NULL)
        {
          set_broken (out, seq, "record %" G_GINT64_FORMAT " has a missing or mistyped field", seq);
          continue;
        }
      if (strcmp (prev_hash, prev) != 0)
        {
          set_broken (out, seq, "record %" G_GINT64_FORMAT " does not follow record %" G_GINT64_FORMAT
                      " (its prev_hash is not that record's hash)", seq, seq - 1);
          continue;
        }
      record = _tp_audit_record_text (seq, sqlite3_column_int64 (stmt, 1), actor, action, subject, details);
      if (!_tp_audit_chain_hash (prev_hash, record, computed) || strcmp (computed, hash) != 0)
        {
          set_broken (out, seq, "record %" G_GINT64_FORMAT " was altered (its content does not match its hash)",
                      seq);
          continue;
        }
      g_free (prev);
      prev = g_strdup (hash);
      expected++;
    }
  sqlite3_finalize (stmt);
  stmt = NULL;
  if (rc != SQLITE_DONE)
    goto fail;

  /* the head kept beside the log: were records removed from the end? */
  rc = sqlite3_prepare_v2 (db, "SELECT value FROM meta WHERE key = 'tp.audit.head'", -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    goto fail;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW && sqlite3_column_text (stmt, 0) != NULL)
    head = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  else if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    goto fail;
  sqlite3_finalize (stmt);
  stmt = NULL;

  if (out->valid)
    {
      g_autofree char *expected_head = g_strdup_printf ("%" G_GINT64_FORMAT ":%s", expected - 1, prev);

      if (head == NULL && expected > 1)
        set_broken (out, expected - 1, "the log head is missing from the store");
      else if (head != NULL && strcmp (head, expected_head) != 0)
        {
          gint64 head_seq = g_ascii_strtoll (head, NULL, 10);

          if (head_seq > expected - 1)
            set_broken (out, expected, "records %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT " were removed "
                        "(the log head says %" G_GINT64_FORMAT ")", expected, head_seq, head_seq);
          else
            set_broken (out, expected - 1, "the last record does not match the log head");
        }
    }

  _tp_store_exec (store, "COMMIT", NULL);
  return TRUE;

fail:
  _tp_store_set_error (error, db, rc, "Cannot read the audit log");
  sqlite3_finalize (stmt);
  _tp_store_rollback (store);
  return FALSE;
}

GPtrArray *
tp_audit_log_list (TpStore  *store,
                   gint64    after_seq,
                   guint     limit,
                   GError  **error)
{
  sqlite3 *db;
  sqlite3_stmt *stmt = NULL;
  g_autoptr(GPtrArray) records = NULL;
  int rc;

  g_return_val_if_fail (TP_IS_STORE (store), NULL);

  db = _tp_store_get_db (store);
  rc = sqlite3_prepare_v2 (db,
                           "SELECT seq, time_us, actor, action, subject, details, prev_hash, hash "
                           "FROM audit_log WHERE seq > ?1 ORDER BY seq LIMIT ?2", -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      _tp_store_set_error (error, db, rc, "Cannot read the audit log");
      return NULL;
    }
  sqlite3_bind_int64 (stmt, 1, after_seq);
  sqlite3_bind_int64 (stmt, 2, limit > 0 ? (gint64) limit : -1);
  records = g_ptr_array_new_with_free_func ((GDestroyNotify) tp_audit_record_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TpAuditRecord *r = g_new0 (TpAuditRecord, 1);

      r->seq = sqlite3_column_int64 (stmt, 0);
      r->time_us = sqlite3_column_int64 (stmt, 1);
      r->actor = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      r->action = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      r->subject = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
      r->details = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
      r->prev_hash = g_strdup ((const char *) sqlite3_column_text (stmt, 6));
      r->hash = g_strdup ((const char *) sqlite3_column_text (stmt, 7));
      g_ptr_array_add (records, r);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      _tp_store_set_error (error, db, rc, "Cannot read the audit log");
      return NULL;
    }
  return g_steal_pointer (&records);
}

gboolean
tp_audit_log_get_head (TpStore  *store,
                       gint64   *out_seq,
                       char    **out_hash,
                       GError  **error)
{
  sqlite3 *db;
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (TP_IS_STORE (store), FALSE);
  g_return_val_if_fail (out_seq != NULL && out_hash != NULL, FALSE);

  *out_seq = 0;
  *out_hash = NULL;
  db = _tp_store_get_db (store);
  rc = sqlite3_prepare_v2 (db, "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          *out_seq = sqlite3_column_int64 (stmt, 0);
          *out_hash = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
          rc = SQLITE_DONE;
        }
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      _tp_store_set_error (error, db, rc, "Cannot read the audit log");
      return FALSE;
    }
  return TRUE;
}
