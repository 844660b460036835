/* tp-audit-chain.c: the audit log's hash chain, appended inside a
 * transaction of whoever writes (the store's batches and clearances,
 * accounts, the audit log's own API)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "tp-json.h"
#include "tp-store-private.h"

#define HASH_SIZE 32

/* Hashing */

static gboolean
hex_to_bytes (const char *hex,
              guint8      out[HASH_SIZE])
{
  if (hex == NULL || strlen (hex) != TP_AUDIT_HASH_HEX_LEN)
    return FALSE;
  for (guint i = 0; i < HASH_SIZE; i++)
    {
      int hi = g_ascii_xdigit_value (hex[2 * i]);
      int lo = g_ascii_xdigit_value (hex[2 * i + 1]);

      if (hi < 0 || lo < 0)
        return FALSE;
      out[i] = (guint8) (hi << 4 | lo);
    }
  return TRUE;
}

char *
_tp_audit_record_text (gint64      seq,
                       gint64      time_us,
                       const char *actor,
                       const char *action,
                       const char *subject,
                       const char *details)
{
  GString *out = g_string_new ("{\"action\":");

  tp_json_append_string (out, action);
  g_string_append (out, ",\"actor\":");
  tp_json_append_string (out, actor);
  g_string_append (out, ",\"details\":");
  g_string_append (out, details);
  g_string_append_printf (out, ",\"seq\":%" G_GINT64_FORMAT ",\"subject\":", seq);
  if (subject != NULL)
    tp_json_append_string (out, subject);
  else
    g_string_append (out, "null");
  g_string_append_printf (out, ",\"time_us\":%" G_GINT64_FORMAT "}", time_us);
  return g_string_free (out, FALSE);
}

/* hash = SHA-256 (prev || record) as hex; FALSE if prev is not a hash */
gboolean
_tp_audit_chain_hash (const char *prev_hex,
            const char *record,
            char        out[TP_AUDIT_HASH_HEX_LEN + 1])
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 prev[HASH_SIZE];

  if (!hex_to_bytes (prev_hex, prev))
    return FALSE;
  g_checksum_update (checksum, prev, HASH_SIZE);
  g_checksum_update (checksum, (const guchar *) record, -1);
  g_strlcpy (out, g_checksum_get_string (checksum), TP_AUDIT_HASH_HEX_LEN + 1);
  return TRUE;
}


/* Appending */

gboolean
_tp_audit_chain_append (sqlite3     *db,
                        const char  *actor,
                        const char  *action,
                        const char  *subject,
                        const char  *details_json,
                        gint64      *out_seq,
                        char       **out_hash,
                        GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  g_autofree char *prev = g_strdup (TP_AUDIT_ZERO_HASH);
  g_autofree char *record = NULL;
  g_autofree char *head = NULL;
  char hash[TP_AUDIT_HASH_HEX_LEN + 1];
  gint64 seq = 1;
  gint64 time_us = g_get_real_time ();
  int rc;

  if (details_json == NULL)
    details_json = "{}";

  rc = sqlite3_prepare_v2 (db, "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          seq = sqlite3_column_int64 (stmt, 0) + 1;
          g_free (prev);
          prev = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
          rc = SQLITE_DONE;
        }
    }
  sqlite3_finalize (stmt);
  stmt = NULL;
  if (rc != SQLITE_DONE)
    {
      _tp_store_set_error (error, db, rc, "Cannot read the audit log");
      return FALSE;
    }

  record = _tp_audit_record_text (seq, time_us, actor, action, subject, details_json);
  if (!_tp_audit_chain_hash (prev, record, hash))
    {
      g_set_error (error, TP_STORE_ERROR, TP_STORE_ERROR_FAILED,
                   "The audit log is damaged: record %" G_GINT64_FORMAT " has no valid hash "
                   "(run “touchpoint-cli audit verify”)", seq - 1);
      return FALSE;
    }

  rc = sqlite3_prepare_v2 (db,
                           "INSERT INTO audit_log (seq, time_us, actor, action, subject, details, prev_hash, hash) "
                           "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_int64 (stmt, 1, seq);
      sqlite3_bind_int64 (stmt, 2, time_us);
      sqlite3_bind_text (stmt, 3, actor, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 4, action, -1, SQLITE_STATIC);
      if (subject != NULL)
        sqlite3_bind_text (stmt, 5, subject, -1, SQLITE_STATIC);
      else
        sqlite3_bind_null (stmt, 5);
      sqlite3_bind_text (stmt, 6, details_json, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 7, prev, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 8, hash, -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
    }
  sqlite3_finalize (stmt);
  stmt = NULL;
  if (rc != SQLITE_DONE)
    {
      _tp_store_set_error (error, db, rc, "Cannot write to the audit log");
      return FALSE;
    }

  head = g_strdup_printf ("%" G_GINT64_FORMAT ":%s", seq, hash);
  rc = sqlite3_prepare_v2 (db, "INSERT OR REPLACE INTO meta (key, value) VALUES ('tp.audit.head', ?1)",
                           -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, head, -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      _tp_store_set_error (error, db, rc, "Cannot write to the audit log");
      return FALSE;
    }
  if (out_seq != NULL)
    *out_seq = seq;
  if (out_hash != NULL)
    *out_hash = g_strdup (hash);
  return TRUE;
}
