/* tp-hub-dir.h: the hub's directory (configuration, keys, CA, registry)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   DIR/hub.json              {"name", "url", "active_key"}
 *   DIR/feed-keys/KEYID.pem   the two Ed25519 feed-signing keys (0600)
 *   DIR/ca.pem, ca-key.pem    the CA for mutual TLS (key 0600)
 *   DIR/tls.pem, tls-key.pem  the hub's TLS certificate (key 0600)
 *   DIR/certs/SERIAL.json     every client certificate issued: who it is
 *   DIR/revoked.json          {"serials": [...]}: revoked certificates
 *   DIR/hub.db                the embedded database (SQLite, WAL)
 *   DIR/snapshots/            snapshot files
 * A running hub re-reads hub.json and revoked.json when they change, so
 * `key rotate` and `revoke` act on it without a restart.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "tp-feed-key.h"

G_BEGIN_DECLS

typedef enum {
  TP_HUB_CLIENT_AGENCY,
  TP_HUB_CLIENT_TERMINAL,
} TpHubClientKind;

typedef struct {
  char            *serial;
  TpHubClientKind  kind;
  char            *name;         /* agency name or terminal id */
  char            *airport;      /* terminals */
  char            *checkpoint;   /* terminals */
  gboolean         supervisor;   /* terminals that receive escalations */
} TpHubIdentity;

typedef struct _TpHubDir TpHubDir;

void           tp_hub_identity_free        (TpHubIdentity   *identity);
TpHubIdentity *tp_hub_identity_copy        (const TpHubIdentity *identity);

/* Creates DIR (refused when it holds a hub already); returns what was
 * made as a JSON object. */
JsonObject    *tp_hub_dir_init             (const char      *path,
                                            const char * const *names,
                                            const char      *url,
                                            GError         **error);
TpHubDir      *tp_hub_dir_open             (const char      *path,
                                            GError         **error);
void           tp_hub_dir_free             (TpHubDir        *dir);

const char    *tp_hub_dir_get_path         (TpHubDir        *dir);
const char    *tp_hub_dir_get_url          (TpHubDir        *dir);
char          *tp_hub_dir_get_database     (TpHubDir        *dir);   /* default sqlite path */
char          *tp_hub_dir_get_snapshot_dir (TpHubDir        *dir);
char          *tp_hub_dir_get_ca_file      (TpHubDir        *dir);
char          *tp_hub_dir_get_tls_cert_file (TpHubDir       *dir);
char          *tp_hub_dir_get_tls_key_file (TpHubDir        *dir);

/* The active signing key (re-read when hub.json changed) */
TpFeedKey     *tp_hub_dir_get_active_key   (TpHubDir        *dir,
                                            GError         **error);
/* Both public keys */
TpFeedKeyring *tp_hub_dir_get_keyring      (TpHubDir        *dir);
/* The standby key becomes active; returns {"active", "standby"} */
JsonObject    *tp_hub_dir_rotate_key       (TpHubDir        *dir,
                                            GError         **error);

/* A client certificate bundle in @out_dir (cert.pem, key.pem 0600,
 * ca.pem, feed-keys.json, enrollment.json); returns its description. */
JsonObject    *tp_hub_dir_issue            (TpHubDir        *dir,
                                            const TpHubIdentity *who,
                                            const char      *out_dir,
                                            GError         **error);
/* Revokes every certificate issued to @name (terminal id or agency). */
JsonObject    *tp_hub_dir_revoke           (TpHubDir        *dir,
                                            const char      *name,
                                            GError         **error);
/* Who holds the certificate with @serial, or NULL with an error naming
 * why it is refused (unknown, revoked). */
TpHubIdentity *tp_hub_dir_lookup           (TpHubDir        *dir,
                                            const char      *serial,
                                            GError         **error);

/* Writes @data to @path, which must not exist, with @mode. */
gboolean       tp_hub_write_new_file       (const char      *path,
                                            const char      *data,
                                            gsize            length,
                                            int              mode,
                                            GError         **error);
/* Replaces @path atomically (temporary file, fsync, rename). */
gboolean       tp_hub_replace_file         (const char      *path,
                                            const char      *data,
                                            gsize            length,
                                            int              mode,
                                            GError         **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpHubIdentity, tp_hub_identity_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpHubDir, tp_hub_dir_free)

G_END_DECLS
