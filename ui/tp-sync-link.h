/* tp-sync-link.h: the checkpoint's list and the status bar kept in step with the hub
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Glue between the terminal's sync client (app/sync), the checkpoint and
 * the TpTerminal the status bar follows; no widgets:
 *  - the matcher: loaded once at start, then again each time the client
 *    applies a segment or a snapshot (one load at a time; changes that
 *    arrive during a load are taken by one more load after it); the
 *    matcher in place keeps screening meanwhile;
 *  - the status: list seq, entries, the age of the newest head and
 *    whether it is stale, sync state with the client's last error, the
 *    outbox backlog;
 *  - the outbox: each event the checkpoint records is sent at once;
 *  - escalations pushed by the hub are passed on (::escalation).
 * Without a client (a terminal not enrolled) only the matcher is loaded
 * and the status says "local list".
 */
#pragma once

#include "tp-checkpoint.h"
#include "tp-sync-client.h"
#include "tp-terminal.h"

G_BEGIN_DECLS

#define TP_TYPE_SYNC_LINK (tp_sync_link_get_type ())
G_DECLARE_FINAL_TYPE (TpSyncLink, tp_sync_link, TP, SYNC_LINK, GObject)

/* @client: NULL when not enrolled. Starts loading the matcher, and the
 * client following the feed. */
TpSyncLink   *tp_sync_link_new        (TpCheckpoint *checkpoint,
                                       TpSyncClient *client,
                                       TpTerminal   *terminal);
TpSyncClient *tp_sync_link_get_client (TpSyncLink   *self);
/* Matcher loads completed so far. */
guint         tp_sync_link_get_loads  (TpSyncLink   *self);
/* Stops the client and any load. */
void          tp_sync_link_stop       (TpSyncLink   *self);

G_END_DECLS
