/* tp-hub-storage.h: where the hub keeps its state, behind one interface
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Two implementations: embedded SQLite in the hub's directory (the
 * default, tp-hub-sqlite.c) and PostgreSQL (tp-hub-pg.c). The hub calls
 * them from one writer at a time (its own lock) and from reader threads
 * that open another connection (open_another). Every write happens
 * between begin and commit; commit returns only when the change is
 * durable, which is what lets the hub send a receipt.
 */
#pragma once

#include <gio/gio.h>

#include "tp-feed-util.h"
#include "tp-state-hash.h"

G_BEGIN_DECLS

#define TP_TYPE_HUB_STORAGE (tp_hub_storage_get_type ())
G_DECLARE_INTERFACE (TpHubStorage, tp_hub_storage, TP, HUB_STORAGE, GObject)

/* The feed's position, kept in the same transaction as the changes. */
typedef struct {
  guint64      seq;
  TpStateHash  state_hash;
  guint64      entries;
  guint64      segment_first_seq;                 /* 0 when there is no segment */
  guint8       segment_hash[TP_FEED_HASH_SIZE];   /* zeros when there is none */
} TpHubState;

/* One version of an entry as stored: a change of the feed. */
typedef struct {
  guint64  seq;
  char    *id;
  guint    version;
  char    *agency;   /* NULL in what get_history returns */
  char    *json;     /* canonical */
} TpHubChange;

/* A terminal event as stored: its JSON with the terminal's identity. */
typedef struct {
  const char *id;
  const char *terminal;
  const char *airport;
  const char *type;
  gint64      at_ms;
  char       *json;
  gboolean    stored;   /* set by put_events */
} TpHubEvent;

typedef struct {
  guint64 seq;
  guint64 size;
  guint8  sha256[TP_FEED_HASH_SIZE];
} TpHubSnapshotInfo;

/* Called per row; FALSE with @error set stops the walk. */
typedef gboolean (*TpHubRowFunc) (const char  *json,
                                  gpointer     user_data,
                                  GError     **error);

struct _TpHubStorageInterface {
  GTypeInterface parent_iface;

  TpHubStorage *(*open_another)   (TpHubStorage *self, GError **error);
  const char   *(*describe)       (TpHubStorage *self);

  gboolean (*begin)               (TpHubStorage *self, gboolean write, GError **error);
  gboolean (*commit)              (TpHubStorage *self, GError **error);
  void     (*rollback)            (TpHubStorage *self);

  gboolean (*get_state)           (TpHubStorage *self, TpHubState *state, GError **error);
  gboolean (*set_state)           (TpHubStorage *self, const TpHubState *state, GError **error);

  /* Every stored version of the entries @ids (a GPtrArray of char*), as
   * TpHubChange* (agency NULL) in any order: one round trip for a batch. */
  GPtrArray *(*get_history)       (TpHubStorage *self, GPtrArray *ids, GError **error);
  /* New changes (TpHubChange*, in seq order): history rows, and each id's
   * latest version. */
  gboolean (*put_changes)         (TpHubStorage *self, GPtrArray *changes, GError **error);
  /* Latest version of every id, in byte order of id. */
  gboolean (*foreach_current)     (TpHubStorage *self, TpHubRowFunc func, gpointer user_data, GError **error);

  gboolean (*put_segment)         (TpHubStorage *self, guint64 first_seq, guint64 last_seq,
                                   const guint8 *hash, GBytes *bytes, GError **error);
  /* NULL without an error when there is no segment starting at @first_seq. */
  GBytes  *(*get_segment)         (TpHubStorage *self, guint64 first_seq, GError **error);
  /* first_seq of every segment, ascending (a GArray of guint64) */
  GArray  *(*list_segments)       (TpHubStorage *self, GError **error);

  gboolean (*put_snapshot)        (TpHubStorage *self, const TpHubSnapshotInfo *info, GError **error);
  gboolean (*delete_snapshot)     (TpHubStorage *self, guint64 seq, GError **error);
  /* newest first (a GArray of TpHubSnapshotInfo) */
  GArray  *(*list_snapshots)      (TpHubStorage *self, GError **error);

  /* Stores the events (TpHubEvent*) that are not there yet; sets each
   * one's stored member (FALSE: that id was there, or earlier in the batch). */
  gboolean (*put_events)          (TpHubStorage *self, GPtrArray *events, GError **error);
  /* In arrival order, after the event @after_id (NULL: from the start). */
  gboolean (*foreach_event)       (TpHubStorage *self, const char *after_id, TpHubRowFunc func,
                                   gpointer user_data, GError **error);
  /* Whether the event is stored */
  gboolean (*has_event)           (TpHubStorage *self, const char *id, gboolean *found, GError **error);
  /* Ids of the events of @terminal with from_ms <= at < to_ms (a GPtrArray of char*) */
  GPtrArray *(*list_event_ids)    (TpHubStorage *self, const char *terminal, gint64 from_ms,
                                   gint64 to_ms, GError **error);

  gboolean (*put_shift)           (TpHubStorage *self, const char *terminal, const char *shift,
                                   const char *airport, const char *day, const char *json, GError **error);
  gboolean (*foreach_shift)       (TpHubStorage *self, const char *airport, const char *day,
                                   TpHubRowFunc func, gpointer user_data, GError **error);
  /* The newest audit-log position a terminal's events carried: *seq 0 and
   * *hash NULL when none has. */
  gboolean (*get_audit_head)      (TpHubStorage *self, const char *terminal, gint64 *seq, char **hash,
                                   GError **error);
  gboolean (*set_audit_head)      (TpHubStorage *self, const char *terminal, gint64 seq, const char *hash,
                                   GError **error);
  /* An event whose audit position does not follow the terminal's head
   * (the terminal's audit log lost its tail or was rewritten) */
  gboolean (*put_audit_break)     (TpHubStorage *self, const char *event_id, const char *terminal,
                                   const char *airport, const char *day, const char *json, GError **error);
  gboolean (*foreach_audit_break) (TpHubStorage *self, const char *airport, const char *day,
                                   TpHubRowFunc func, gpointer user_data, GError **error);
};

TpHubChange  *tp_hub_change_new            (guint64            seq,
                                            const char        *id,
                                            guint              version,
                                            const char        *agency,
                                            const char        *json);
void          tp_hub_change_free           (TpHubChange       *change);

TpHubStorage *tp_hub_storage_open_another  (TpHubStorage      *self,
                                            GError           **error);
const char   *tp_hub_storage_describe      (TpHubStorage      *self);
gboolean      tp_hub_storage_begin         (TpHubStorage      *self,
                                            gboolean           write,
                                            GError           **error);
gboolean      tp_hub_storage_commit        (TpHubStorage      *self,
                                            GError           **error);
void          tp_hub_storage_rollback      (TpHubStorage      *self);
gboolean      tp_hub_storage_get_state     (TpHubStorage      *self,
                                            TpHubState        *state,
                                            GError           **error);
gboolean      tp_hub_storage_set_state     (TpHubStorage      *self,
                                            const TpHubState  *state,
                                            GError           **error);
GPtrArray    *tp_hub_storage_get_history   (TpHubStorage      *self,
                                            GPtrArray         *ids,
                                            GError           **error);
gboolean      tp_hub_storage_put_changes   (TpHubStorage      *self,
                                            GPtrArray         *changes,
                                            GError           **error);
gboolean      tp_hub_storage_foreach_current (TpHubStorage    *self,
                                            TpHubRowFunc       func,
                                            gpointer           user_data,
                                            GError           **error);
gboolean      tp_hub_storage_put_segment   (TpHubStorage      *self,
                                            guint64            first_seq,
                                            guint64            last_seq,
                                            const guint8      *hash,
                                            GBytes            *bytes,
                                            GError           **error);
GBytes       *tp_hub_storage_get_segment   (TpHubStorage      *self,
                                            guint64            first_seq,
                                            GError           **error);
GArray       *tp_hub_storage_list_segments (TpHubStorage      *self,
                                            GError           **error);
gboolean      tp_hub_storage_put_snapshot  (TpHubStorage      *self,
                                            const TpHubSnapshotInfo *info,
                                            GError           **error);
gboolean      tp_hub_storage_delete_snapshot (TpHubStorage    *self,
                                            guint64            seq,
                                            GError           **error);
GArray       *tp_hub_storage_list_snapshots (TpHubStorage     *self,
                                            GError           **error);
gboolean      tp_hub_storage_put_events    (TpHubStorage      *self,
                                            GPtrArray         *events,
                                            GError           **error);
gboolean      tp_hub_storage_foreach_event (TpHubStorage      *self,
                                            const char        *after_id,
                                            TpHubRowFunc       func,
                                            gpointer           user_data,
                                            GError           **error);
gboolean      tp_hub_storage_has_event     (TpHubStorage      *self,
                                            const char        *id,
                                            gboolean          *found,
                                            GError           **error);
GPtrArray    *tp_hub_storage_list_event_ids (TpHubStorage     *self,
                                            const char        *terminal,
                                            gint64             from_ms,
                                            gint64             to_ms,
                                            GError           **error);
gboolean      tp_hub_storage_put_shift     (TpHubStorage      *self,
                                            const char        *terminal,
                                            const char        *shift,
                                            const char        *airport,
                                            const char        *day,
                                            const char        *json,
                                            GError           **error);
gboolean      tp_hub_storage_foreach_shift (TpHubStorage      *self,
                                            const char        *airport,
                                            const char        *day,
                                            TpHubRowFunc       func,
                                            gpointer           user_data,
                                            GError           **error);

gboolean      tp_hub_storage_get_audit_head (TpHubStorage      *self,
                                             const char        *terminal,
                                             gint64            *seq,
                                             char             **hash,
                                             GError           **error);
gboolean      tp_hub_storage_set_audit_head (TpHubStorage      *self,
                                             const char        *terminal,
                                             gint64             seq,
                                             const char        *hash,
                                             GError           **error);
gboolean      tp_hub_storage_put_audit_break (TpHubStorage     *self,
                                              const char       *event_id,
                                              const char       *terminal,
                                              const char       *airport,
                                              const char       *day,
                                              const char       *json,
                                              GError          **error);
gboolean      tp_hub_storage_foreach_audit_break (TpHubStorage  *self,
                                                  const char    *airport,
                                                  const char    *day,
                                                  TpHubRowFunc   func,
                                                  gpointer       user_data,
                                                  GError       **error);

G_END_DECLS
