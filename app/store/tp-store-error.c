/* tp-store-error.c: the store's error domain, and SQLite's failures in it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tp-store-private.h"

G_DEFINE_QUARK (tp-store-error-quark, tp_store_error)

void
_tp_store_set_error (GError     **error,
                     sqlite3     *db,
                     int          rc,
                     const char  *what)
{
  int code;

  switch (rc & 0xff)
    {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      code = TP_STORE_ERROR_BUSY;
      break;
    case SQLITE_NOTADB:
      code = TP_STORE_ERROR_WRONG_KEY;
      break;
    default:
      code = TP_STORE_ERROR_FAILED;
    }
  g_set_error (error, TP_STORE_ERROR, code, "%s: %s", what,
               db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc));
}
