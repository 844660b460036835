/* tp-hub-pg.h: the hub's storage on PostgreSQL (libpq)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For deployments that outgrow one machine: replicas, managed backups.
 * Same tables as the SQLite backend; one writing hub process per
 * database.
 */
#pragma once

#include "tp-hub-storage.h"

G_BEGIN_DECLS

#define TP_TYPE_HUB_PG (tp_hub_pg_get_type ())
G_DECLARE_FINAL_TYPE (TpHubPg, tp_hub_pg, TP, HUB_PG, GObject)

/* @url: a libpq connection URI (postgresql://user@host/db?host=/socket/dir) */
TpHubStorage *tp_hub_pg_open (const char  *url,
                              GError     **error);

G_END_DECLS
