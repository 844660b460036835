/* tp-terminal.h: this terminal's devices, list and sync state, for display
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The model behind the status bar and the window: the store and its
 * officer accounts, and the state of the reader, the scanner, the list,
 * sync and the outbox as properties that widgets follow. No widgets here;
 * whoever watches a device or the feed sets the properties.
 */
#pragma once

#include <gio/gio.h>

#include "tp-accounts.h"
#include "tp-store.h"

G_BEGIN_DECLS

typedef enum {
  TP_DEVICE_ABSENT,     /* none configured or found */
  TP_DEVICE_READY,
  TP_DEVICE_BUSY,       /* reading a document */
  TP_DEVICE_FAILED,
} TpDeviceState;

typedef enum {
  TP_TERMINAL_SYNC_DISABLED,   /* not enrolled with a hub: local list only */
  TP_TERMINAL_SYNC_CONNECTING,
  TP_TERMINAL_SYNC_ONLINE,
  TP_TERMINAL_SYNC_OFFLINE,    /* enrolled, hub unreachable: working on the local list */
  TP_TERMINAL_SYNC_FAILED,     /* the feed was refused (signature, rollback...) */
  TP_TERMINAL_SYNC_ERROR,      /* the hub refused this terminal, or the store failed */
} TpTerminalSync;

#define TP_TYPE_TERMINAL (tp_terminal_get_type ())
G_DECLARE_FINAL_TYPE (TpTerminal, tp_terminal, TP, TERMINAL, GObject)

TpTerminal    *tp_terminal_new                (void);

/* The store and its accounts; NULL until set. */
void           tp_terminal_set_store          (TpTerminal    *self,
                                               TpStore       *store,
                                               TpAccounts    *accounts);
TpStore       *tp_terminal_get_store          (TpTerminal    *self);
TpAccounts    *tp_terminal_get_accounts       (TpTerminal    *self);

void           tp_terminal_set_reader         (TpTerminal    *self,
                                               const char    *name,
                                               TpDeviceState  state,
                                               const char    *message);
const char    *tp_terminal_get_reader_name    (TpTerminal    *self);
TpDeviceState  tp_terminal_get_reader_state   (TpTerminal    *self);
const char    *tp_terminal_get_reader_message (TpTerminal    *self);

void           tp_terminal_set_scanner        (TpTerminal    *self,
                                               const char    *name,
                                               TpDeviceState  state);
const char    *tp_terminal_get_scanner_name   (TpTerminal    *self);
TpDeviceState  tp_terminal_get_scanner_state  (TpTerminal    *self);

/* The list: feed sequence (0 = never synced), entries in force, when the
 * list was last confirmed current (unix seconds, 0 = never), whether it is
 * stale, and whether it is still loading. */
void           tp_terminal_set_list           (TpTerminal    *self,
                                               gint64         seq,
                                               guint64        entries,
                                               gint64         current_at,
                                               gboolean       stale);
void           tp_terminal_set_list_loading   (TpTerminal    *self,
                                               gboolean       loading);
gint64         tp_terminal_get_list_seq       (TpTerminal    *self);
guint64        tp_terminal_get_list_entries   (TpTerminal    *self);
gint64         tp_terminal_get_list_current_at (TpTerminal   *self);
gboolean       tp_terminal_get_list_stale     (TpTerminal    *self);
gboolean       tp_terminal_get_list_loading   (TpTerminal    *self);
/* What a stale list does (the stale-list-policy setting: 0 warn, 1
 * review, 2 block); notifies "list". */
void           tp_terminal_set_stale_policy   (TpTerminal    *self,
                                               int            policy);
int            tp_terminal_get_stale_policy   (TpTerminal    *self);

void           tp_terminal_set_sync           (TpTerminal    *self,
                                               TpTerminalSync state,
                                               const char    *message);
TpTerminalSync tp_terminal_get_sync_state     (TpTerminal    *self);
const char    *tp_terminal_get_sync_message   (TpTerminal    *self);

/* Events waiting for the hub; -1 = no outbox (not enrolled). */
void           tp_terminal_set_outbox         (TpTerminal    *self,
                                               gint64         pending);
gint64         tp_terminal_get_outbox         (TpTerminal    *self);

G_END_DECLS
