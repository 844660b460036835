/* tp-hub-sqlite.h: the hub's embedded storage (SQLite, WAL)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Plain libsqlite3: never link this together with app/store (SQLCipher
 * exports the same symbols).
 */
#pragma once

#include "tp-hub-storage.h"

G_BEGIN_DECLS

#define TP_TYPE_HUB_SQLITE (tp_hub_sqlite_get_type ())
G_DECLARE_FINAL_TYPE (TpHubSqlite, tp_hub_sqlite, TP, HUB_SQLITE, GObject)

TpHubStorage *tp_hub_sqlite_open (const char  *path,
                                  GError     **error);

G_END_DECLS
