/* tp-hub.h: the hub's work, apart from HTTP (docs/feed.md)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Ingestion with receipts, the feed (head, segments, snapshots), event
 * intake, reconciliation and the mirror export. Every function may be
 * called from any thread: writes are serialised by the hub's lock and
 * a receipt is produced only after the storage's commit returned.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "tp-hub-dir.h"
#include "tp-hub-storage.h"

G_BEGIN_DECLS

#define TP_HUB_MAX_BODY  (16 * 1024 * 1024)
#define TP_HUB_MAX_LINES 10000

typedef struct {
  guint heartbeat_s;      /* head re-signed this often (60) */
  guint expiry_s;         /* head valid this long after signing (600) */
  guint snapshot_every;   /* changes between snapshots (10000) */
  guint snapshot_keep;    /* snapshots kept (3) */
} TpHubOptions;

typedef struct _TpHub TpHub;

/* Called (from the committing thread) after a commit of changes. */
typedef void (*TpHubCommitFunc) (guint64   seq,
                                 gpointer  user_data);

void        tp_hub_options_init        (TpHubOptions        *options);

/* @database: NULL for the embedded SQLite database in @dir_path. */
TpHub      *tp_hub_open                (const char          *dir_path,
                                        const char          *database,
                                        const TpHubOptions  *options,
                                        GError             **error);
void        tp_hub_free                (TpHub               *hub);
TpHubDir   *tp_hub_get_dir             (TpHub               *hub);
const TpHubOptions *
            tp_hub_get_options         (TpHub               *hub);
void        tp_hub_set_commit_func     (TpHub               *hub,
                                        TpHubCommitFunc      func,
                                        gpointer             user_data);

/* POST /v1/entries: the HTTP status; receipt lines (200) or a message
 * (403, 413) in @answer. 500 with @error when storage fails. */
guint       tp_hub_ingest_entries      (TpHub               *hub,
                                        const TpHubIdentity *who,
                                        const char          *body,
                                        gsize                length,
                                        GString             *answer,
                                        GError             **error);
/* POST /v1/events; @escalations gets the stored escalation events
 * (canonical JSON) for the push channel. */
guint       tp_hub_ingest_events       (TpHub               *hub,
                                        const TpHubIdentity *who,
                                        const char          *body,
                                        gsize                length,
                                        GString             *answer,
                                        GPtrArray           *escalations,
                                        GError             **error);
/* POST /v1/reconcile */
guint       tp_hub_reconcile           (TpHub               *hub,
                                        const TpHubIdentity *who,
                                        const char          *body,
                                        gsize                length,
                                        GString             *answer,
                                        GError             **error);

/* The current signed head (re-signed by tp_hub_sign_head()) */
GBytes     *tp_hub_get_head            (TpHub               *hub);
gboolean    tp_hub_sign_head           (TpHub               *hub,
                                        GError             **error);
guint64     tp_hub_get_seq             (TpHub               *hub);
/* NULL without an error when there is no such segment */
GBytes     *tp_hub_get_segment         (TpHub               *hub,
                                        guint64              first_seq,
                                        GError             **error);
/* The file of a recorded snapshot, or NULL */
char       *tp_hub_get_snapshot_file   (TpHub               *hub,
                                        guint64              seq);

/* Removes snapshot files the storage does not record (a hub killed while
 * writing one) and temporary files: for the serving process only, at start. */
void        tp_hub_clean_snapshots     (TpHub               *hub);

/* Takes a snapshot when one is due (synchronously; call from a worker
 * thread). *made tells whether one was made. */
gboolean    tp_hub_snapshot_if_due     (TpHub               *hub,
                                        gboolean             force,
                                        gboolean            *made,
                                        GError             **error);
gboolean    tp_hub_snapshot_is_due     (TpHub               *hub);

/* The feed as plain files under @out (head, segments/, snapshots/). */
JsonObject *tp_hub_export_feed         (TpHub               *hub,
                                        const char          *out,
                                        GError             **error);
/* `events`: each stored event's JSON, in arrival order */
gboolean    tp_hub_foreach_event       (TpHub               *hub,
                                        const char          *after_id,
                                        TpHubRowFunc         func,
                                        gpointer             user_data,
                                        GError             **error);
/* `report` */
JsonObject *tp_hub_report              (TpHub               *hub,
                                        const char          *day,
                                        const char          *airport,
                                        GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpHub, tp_hub_free)

G_END_DECLS
