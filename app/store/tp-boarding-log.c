/* tp-boarding-log.c: boarding passes presented at a checkpoint
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One row per pass, checkpoint and day: the first case that presented it.
 * A pass presented again the same day at the same checkpoint by another
 * case is a reuse (a pass handed on, or a traveller passing twice).
 */
#include "config.h"

#include "tp-store-private.h"

gboolean
tp_store_use_boarding_pass (TpStore     *store,
                            const char  *pass_key,
                            const char  *checkpoint,
                            const char  *day,
                            const char  *case_id,
                            gint64       used_at,
                            char       **first_case_id,
                            GError     **error)
{
  sqlite3 *db;
  sqlite3_stmt *stmt = NULL;
  g_autofree char *first = NULL;
  int rc;

  g_return_val_if_fail (TP_IS_STORE (store), FALSE);
  g_return_val_if_fail (pass_key != NULL && checkpoint != NULL && day != NULL, FALSE);
  g_return_val_if_fail (case_id != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  db = _tp_store_get_db (store);
  if (!_tp_store_begin_write (store, error))
    return FALSE;

  rc = sqlite3_prepare_v2 (db, "SELECT case_id FROM boarding_pass "
                               "WHERE pass_key = ?1 AND checkpoint = ?2 AND day = ?3",
                           -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, pass_key, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, checkpoint, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, day, -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          first = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
          rc = SQLITE_DONE;
        }
    }
  sqlite3_finalize (stmt);
  stmt = NULL;

  if (rc == SQLITE_DONE && first == NULL)
    {
      rc = sqlite3_prepare_v2 (db, "INSERT INTO boarding_pass (pass_key, checkpoint, day, case_id, used_at) "
                                   "VALUES (?1, ?2, ?3, ?4, ?5)", -1, &stmt, NULL);
      if (rc == SQLITE_OK)
        {
          sqlite3_bind_text (stmt, 1, pass_key, -1, SQLITE_STATIC);
          sqlite3_bind_text (stmt, 2, checkpoint, -1, SQLITE_STATIC);
          sqlite3_bind_text (stmt, 3, day, -1, SQLITE_STATIC);
          sqlite3_bind_text (stmt, 4, case_id, -1, SQLITE_STATIC);
          sqlite3_bind_int64 (stmt, 5, used_at);
          rc = sqlite3_step (stmt);
        }
      sqlite3_finalize (stmt);
    }
  if (rc != SQLITE_DONE)
    {
      _tp_store_set_error (error, db, rc, "Cannot record the boarding pass");
      _tp_store_rollback (store);
      return FALSE;
    }
  if (!_tp_store_commit (store, error))
    {
      _tp_store_rollback (store);
      return FALSE;
    }
  if (first_case_id != NULL)
    *first_case_id = g_steal_pointer (&first);
  return TRUE;
}
