/* tp-hub-storage.c: the storage interface and the choice of backend
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "tp-error.h"
#include "tp-hub-storage.h"

G_DEFINE_INTERFACE (TpHubStorage, tp_hub_storage, G_TYPE_OBJECT)

static void
tp_hub_storage_default_init (TpHubStorageInterface *iface)
{
}

TpHubChange *
tp_hub_change_new (guint64     seq,
                   const char *id,
                   guint       version,
                   const char *agency,
                   const char *json)
{
  TpHubChange *change = g_new0 (TpHubChange, 1);

  change->seq = seq;
  change->id = g_strdup (id);
  change->version = version;
  change->agency = g_strdup (agency);
  change->json = g_strdup (json);
  return change;
}

void
tp_hub_change_free (TpHubChange *change)
{
  if (change == NULL)
    return;
  g_free (change->id);
  g_free (change->agency);
  g_free (change->json);
  g_free (change);
}

TpHubStorage *
tp_hub_storage_open_another (TpHubStorage       *self,
                             GError            **error)
{
  g_return_val_if_fail (TP_IS_HUB_STORAGE (self), NULL);
  return TP_HUB_STORAGE_GET_IFACE (self)->open_another (self, error);
}

const char *
tp_hub_storage_describe (TpHubStorage       *self)
{
  g_return_val_if_fail (TP_IS_HUB_STORAGE (self), NULL);
  return TP_HUB_STORAGE_GET_IFACE (self)->describe (self);
}

gboolean
tp_hub_storage_begin (TpHubStorage       *self,
                      gboolean            write,
                      GError            **error)
{
  g_return_val_if_fail (TP_IS_HUB_STORAGE (self), FALSE);
  return TP_HUB_STORAGE_GET_IFACE (self)->begin (self, write, error);
}

gboolean
tp_hub_storage_commit (TpHubStorage       *self,
                       GError            **error)
{
  g_return_val_if_fail (TP_IS_HUB_STORAGE (self), FALSE);
  return TP_HUB_STORAGE_GET_IFACE (self)->commit (self, error);
}

void
tp_hub_storage_rollback (TpHubStorage       *self)
{
  g_return_if_fail (TP_IS_HUB_STORAGE (self));
  TP_HUB_STORAGE_GET_IFACE (self)->rollback (self);
}

gboolean
tp_hub_storage_get_state (TpHubStorage       *self,
                          TpHubState         *state,
                          GError            **error)
{
  g_return_val_if_fail (TP_IS_HUB_STORAGE (self), FALSE);
  return TP_HUB_STORAGE_GET_IFACE (self)->get_state (self, state, error);
}

gboolean
tp_hub_storage_set_state (TpHubStorage       *self,
                          const TpHubState   *state,
                          GError            **error)
{
  g_return_val_if_fail (TP_IS_HUB_STORAGE (self), FALSE);
  return TP_HUB_STORAGE_GET_IFACE (self)->set_state (self, state, error);
}

GPtrArray *
tp_hub_storage_get_history (TpHubStorage  *self,
                            GPtrArray     *ids,
                            GError       **error)
{
  g_return_val_if_fail (TP_IS_HUB_STORAGE (self), NULL);
  return TP_HUB_STORAGE_GET_IFACE (self)->get_history (self, ids, error);
}

gboolean
tp_hub_storage_put_changes (TpHubStorage  *self,
                            GPtrArray     *changes,
                            GError       **error)
{
  g_return_val_if_fail (TP_IS_HUB_STORAGE (self), FALSE);
  return TP_HUB_STORAGE_GET_IFACE (self)->put_changes (self, changes, error);
}

gboolean
tp_hub_storage_foreach_current (TpHubStorage       *self,
                                TpHubRowFunc        func,
                                gpointer            user_data,
                                GError            **error)
{
  g_return_val_if_fail (TP_IS_HUB_STORAGE (self), FALSE);
  return TP_HUB_STORAGE_GET_IFACE (self)->foreach_current (self, func, user_data, error);
}

gboolean
tp_hub_storage_put_segment (TpHubStorage       *self,
                            guint64             first_seq,
                            guint64             last_seq,
                            const guint8       *hash,
                            GBytes             *bytes,
                            GError            **error)
{
  g_return_val_if_fail (TP_IS_HUB_STORAGE (self), FALSE);
  return TP_HUB_STORAGE_GET_IFACE (self)->put_segment (self, first_seq, last_seq, hash, bytes, error);
}

GBytes       *
tp_hub_storage_get_segment (TpHubStorage       *self,
                            guint64             first_seq,
                            GError            **error)
{
  g_return_val_if_fail (TP_IS_HUB_STORAGE (self), NULL);
  return TP_HUB_STORAGE_GET_IFACE (self)->get_segment (self, first_seq, error);
}

GArray       *
tp_hub_storage_list_segments (TpHubStorage       *self,
                              GError            **error)
{
  g_return_val_if_fail (TP_IS_HUB_STORAGE (self), NULL);
  return TP_HUB_STORAGE_GET_IFACE (self)->list_segments (self, error);
}

gboolean
tp_hub_storage_put_snapshot (TpHubStorage             *self,
                             const TpHubSnapshotInfo  *info,
                             GError                  **error)
{
  g_return_val_if_fail (TP_IS_HUB_STORAGE (self), FALSE);
  return TP_HUB_STORAGE_GET_IFACE (self)->put_snapshot (self, info, error);
}

gboolean
tp_hub_storage_delete_snapshot (TpHubStorage       *self,
                                guint64             seq,
                                GError            **error)
{
  g_return_val_if_fail (TP_IS_HUB_STORAGE (self), FALSE);
  return TP_HUB_STORAGE_GET_IFACE (self)->delete_snapshot (self, seq, error);
}

GArray       *
tp_hub_storage_list_snapshots (TpHubStorage       *self,
                               GError            **error)
{
  g_return_val_if_fail (TP_IS_HUB_STORAGE (self), NULL);
  return TP_HUB_STORAGE_GET_IFACE (self)->list_snapshots (self, error);
}

gboolean
tp_hub_storage_put_events (TpHubStorage  *self,
                           GPtrArray     *events,
                           GError       **error)
{
  g_return_val_if_fail (TP_IS_HUB_STORAGE (self), FALSE);
  return TP_HUB_STORAGE_GET_IFACE (self)->put_events (self, events, error);
}

gboolean
tp_hub_storage_foreach_event (TpHubStorage       *self,
                              const char         *after_id,
                              TpHubRowFunc        func,
                              gpointer            user_data,
                              GError            **error)
{
  g_return_val_if_fail (TP_IS_HUB_STORAGE (self), FALSE);
  return TP_HUB_STORAGE_GET_IFACE (self)->foreach_event (self, after_id, func, user_data, error);
}

gboolean
tp_hub_storage_has_event (TpHubStorage       *self,
                          const char         *id,
                          gboolean           *found,
                          GError            **error)
{
  g_return_val_if_fail (TP_IS_HUB_STORAGE (self), FALSE);
  return TP_HUB_STORAGE_GET_IFACE (self)->has_event (self, id, found, error);
}

GPtrArray    *
tp_hub_storage_list_event_ids (TpHubStorage       *self,
                               const char         *terminal,
                               gint64              from_ms,
                               gint64              to_ms,
                               GError            **error)
{
  g_return_val_if_fail (TP_IS_HUB_STORAGE (self), NULL);
  return TP_HUB_STORAGE_GET_IFACE (self)->list_event_ids (self, terminal, from_ms, to_ms, error);
}

gboolean
tp_hub_storage_put_shift (TpHubStorage       *self,
                          const char         *terminal,
                          const char         *shift,
                          const char         *airport,
                          const char         *day,
                          const char         *json,
                          GError            **error)
{
  g_return_val_if_fail (TP_IS_HUB_STORAGE (self), FALSE);
  return TP_HUB_STORAGE_GET_IFACE (self)->put_shift (self, terminal, shift, airport, day, json, error);
}

gboolean
tp_hub_storage_foreach_shift (TpHubStorage       *self,
                              const char         *airport,
                              const char         *day,
                              TpHubRowFunc        func,
                              gpointer            user_data,
                              GError            **error)
{
  g_return_val_if_fail (TP_IS_HUB_STORAGE (self), FALSE);
  return TP_HUB_STORAGE_GET_IFACE (self)->foreach_shift (self, airport, day, func, user_data, error);
}

gboolean
tp_hub_storage_get_audit_head (TpHubStorage  *self,
                               const char    *terminal,
                               gint64        *seq,
                               char         **hash,
                               GError       **error)
{
  g_return_val_if_fail (TP_IS_HUB_STORAGE (self), FALSE);
  g_return_val_if_fail (terminal != NULL && seq != NULL && hash != NULL, FALSE);

  *seq = 0;
  *hash = NULL;
  return TP_HUB_STORAGE_GET_IFACE (self)->get_audit_head (self, terminal, seq, hash, error);
}

gboolean
tp_hub_storage_set_audit_head (TpHubStorage  *self,
                               const char    *terminal,
                               gint64         seq,
                               const char    *hash,
                               GError       **error)
{
  g_return_val_if_fail (TP_IS_HUB_STORAGE (self), FALSE);
  g_return_val_if_fail (terminal != NULL && hash != NULL, FALSE);

  return TP_HUB_STORAGE_GET_IFACE (self)->set_audit_head (self, terminal, seq, hash, error);
}

gboolean
tp_hub_storage_put_audit_break (TpHubStorage  *self,
                                const char    *event_id,
                                const char    *terminal,
                                const char    *airport,
                                const char    *day,
                                const char    *json,
                                GError       **error)
{
  g_return_val_if_fail (TP_IS_HUB_STORAGE (self), FALSE);
  g_return_val_if_fail (event_id != NULL && terminal != NULL && airport != NULL && day != NULL && json != NULL,
                        FALSE);

  return TP_HUB_STORAGE_GET_IFACE (self)->put_audit_break (self, event_id, terminal, airport, day, json, error);
}

gboolean
tp_hub_storage_foreach_audit_break (TpHubStorage  *self,
                                    const char    *airport,
                                    const char    *day,
                                    TpHubRowFunc   func,
                                    gpointer       user_data,
                                    GError       **error)
{
  g_return_val_if_fail (TP_IS_HUB_STORAGE (self), FALSE);

  return TP_HUB_STORAGE_GET_IFACE (self)->foreach_audit_break (self, airport, day, func, user_data, error);
}
