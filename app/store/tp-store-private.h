/* tp-store-private.h: what the store's own modules (audit log) and tests share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "tp-store.h"

G_BEGIN_DECLS

/* The connection (for the audit log and for tests that look underneath). */
sqlite3  *_tp_store_get_db          (TpStore     *store);

/* Sets @error from the connection's last error, naming @what was done. */
void      _tp_store_set_error       (GError     **error,
                                     sqlite3     *db,
                                     int          rc,
                                     const char  *what);

gboolean  _tp_store_exec            (TpStore     *store,
                                     const char  *sql,
                                     GError     **error);

/* Transactions: BEGIN IMMEDIATE for writers; end with commit or rollback. */
gboolean  _tp_store_begin_write     (TpStore     *store,
                                     GError     **error);
gboolean  _tp_store_commit          (TpStore     *store,
                                     GError     **error);
void      _tp_store_rollback        (TpStore     *store);

/* Called after each entry of a batch is written, inside the transaction
 * (tests use it to kill a writer half-way through a batch). */
typedef void (*TpStoreEntryHook) (TpStore  *store,
                                  guint     index,
                                  gpointer  user_data);
void      _tp_store_set_entry_hook  (TpStore          *store,
                                     TpStoreEntryHook  hook,
                                     gpointer          user_data);

/* The audit log's hash chain (tp-audit-chain.c) ------------------------- */

#define TP_AUDIT_HASH_HEX_LEN 64
#define TP_AUDIT_ZERO_HASH "0000000000000000000000000000000000000000000000000000000000000000"

/* Appends an audit record inside the caller's write transaction on @db.
 * @details_json must already be canonical JSON (or NULL for {}).
 * @out_seq and @out_hash (a new string) are optional. */
gboolean  _tp_audit_chain_append    (sqlite3     *db,
                                     const char  *actor,
                                     const char  *action,
                                     const char  *subject,
                                     const char  *details_json,
                                     gint64      *out_seq,
                                     char       **out_hash,
                                     GError     **error);
/* The canonical JSON a record's hash covers (tp-audit-log.h) */
char     *_tp_audit_record_text     (gint64       seq,
                                     gint64       time_us,
                                     const char  *actor,
                                     const char  *action,
                                     const char  *subject,
                                     const char  *details);
/* SHA-256 (prev || record) as hex into @out; FALSE if @prev_hex is not a
 * hash */
gboolean  _tp_audit_chain_hash      (const char  *prev_hex,
                                     const char  *record,
                                     char         out[TP_AUDIT_HASH_HEX_LEN + 1]);

/* The outbox (tp-outbox.c), inside the caller's write transaction:
 * whether event @id is there, and with which audit record (*@audit_hash
 * and *@details, the audit record's details, are new strings). */
gboolean  _tp_outbox_lookup_locked  (TpStore     *store,
                                     const char  *id,
                                     gboolean    *found,
                                     gint64      *audit_seq,
                                     char       **audit_hash,
                                     char       **details,
                                     GError     **error);
/* Adds @event with its "audit" member set from @audit_seq and @audit_hash. */
gboolean  _tp_outbox_add_locked     (TpStore     *store,
                                     JsonNode    *event,
                                     const char  *id,
                                     const char  *type,
                                     gint64       at_ms,
                                     gint64       audit_seq,
                                     const char  *audit_hash,
                                     GError     **error);

G_END_DECLS
