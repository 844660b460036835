/* tp-hub-dir.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "tp-error.h"
#include "tp-hub-dir.h"
#include "tp-hub-pki.h"

struct _TpHubDir {
  char          *path;
  GMutex         lock;
  char          *name;
  char          *url;
  char          *active_id;
  gint64         config_mtime;
  TpFeedKey     *keys[2];
  GHashTable    *revoked;        /* serial → TRUE */
  gint64         revoked_mtime;
  GHashTable    *identities;     /* serial → TpHubIdentity* (cache) */
};

void
tp_hub_identity_free (TpHubIdentity *identity)
{
  if (identity == NULL)
    return;
  g_free (identity->serial);
  g_free (identity->name);
  g_free (identity->airport);
  g_free (identity->checkpoint);
  g_free (identity);
}

TpHubIdentity *
tp_hub_identity_copy (const TpHubIdentity *identity)
{
  TpHubIdentity *copy = g_new0 (TpHubIdentity, 1);

  copy->serial = g_strdup (identity->serial);
  copy->kind = identity->kind;
  copy->name = g_strdup (identity->name);
  copy->airport = g_strdup (identity->airport);
  copy->checkpoint = g_strdup (identity->checkpoint);
  copy->supervisor = identity->supervisor;
  return copy;
}

/* Files */

static gboolean
io_fail (GError     **error,
         const char  *path,
         const char  *doing)
{
  int saved = errno;

  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "%s: cannot %s: %s",
               path, doing, g_strerror (saved));
  return FALSE;
}

static gboolean
write_fd (int          fd,
          const char  *path,
          const char  *data,
          gsize        length,
          GError     **error)
{
  while (length > 0)
    {
      gssize n = write (fd, data, length);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return io_fail (error, path, "write");
      data += n;
      length -= (gsize) n;
    }
  if (fsync (fd) != 0)
    return io_fail (error, path, "sync");
  return TRUE;
}

gboolean
tp_hub_write_new_file (const char  *path,
                       const char  *data,
                       gsize        length,
                       int          mode,
                       GError     **error)
{
  int fd = g_open (path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
  gboolean ok;

  if (fd < 0)
    return io_fail (error, path, "create");
  /* the umask must not widen nor narrow what was asked */
  if (fchmod (fd, (mode_t) mode) != 0)
    {
      close (fd);
      return io_fail (error, path, "set the mode of");
    }
  ok = write_fd (fd, path, data, length, error);
  close (fd);
  return ok;
}

gboolean
tp_hub_replace_file (const char  *path,
                     const char  *data,
                     gsize        length,
                     int          mode,
                     GError     **error)
{
  g_autofree char *tmp = g_strdup_printf ("%s.%u.tmp", path, (guint) getpid ());

  g_unlink (tmp);
  if (!tp_hub_write_new_file (tmp, data, length, mode, error))
    return FALSE;
  if (g_rename (tmp, path) != 0)
    {
      g_unlink (tmp);
      return io_fail (error, path, "replace");
    }
  return TRUE;
}

static gint64
file_mtime (const char *path)
{
  GStatBuf st;

  if (g_stat (path, &st) != 0)
    return -1;
  return (gint64) st.st_mtim.tv_sec * G_USEC_PER_SEC + st.st_mtim.tv_nsec / 1000;
}

static JsonObject *
read_json_file (const char  *path,
                GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (!json_parser_load_from_file (parser, path, error))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT, "%s: expected a JSON object", path);
      return NULL;
    }
  return json_object_ref (json_node_get_object (root));
}

static char *
object_to_string (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  json_node_set_object (node, object);
  json_generator_set_root (generator, node);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  return g_strconcat (text, "\n", NULL);
}

static gboolean
write_json_file (const char  *path,
                 JsonObject  *object,
                 gboolean     replace,
                 int          mode,
                 GError     **error)
{
  g_autofree char *text = object_to_string (object);

  return replace ? tp_hub_replace_file (path, text, strlen (text), mode, error)
                 : tp_hub_write_new_file (path, text, strlen (text), mode, error);
}

/* Init */

JsonObject *
tp_hub_dir_init (const char          *path,
                 const char * const  *names,
                 const char          *url,
                 GError             **error)
{
  g_autofree char *config = g_build_filename (path, "hub.json", NULL);
  g_autofree char *keys_dir = g_build_filename (path, "feed-keys", NULL);
  g_autofree char *certs_dir = g_build_filename (path, "certs", NULL);
  g_autofree char *snapshots_dir = g_build_filename (path, "snapshots", NULL);
  g_autofree char *ca_pem = NULL;
  g_autofree char *ca_key = NULL;
  g_autofree char *tls_pem = NULL;
  g_autofree char *tls_key = NULL;
  g_autofree char *tls_serial = NULL;
  g_autoptr(GPtrArray) dns = g_ptr_array_new ();
  g_autoptr(JsonObject) hub = json_object_new ();
  g_autoptr(JsonObject) result = json_object_new ();
  JsonArray *key_ids = json_array_new ();
  JsonArray *name_list = json_array_new ();
  const char *ips[] = { "127.0.0.1", "::1", NULL };
  TpHubCertRequest request = { 0 };
  const char *first_id = NULL;
  g_autofree char *revoked = g_build_filename (path, "revoked.json", NULL);

  g_return_val_if_fail (path != NULL && url != NULL, NULL);

  json_object_set_array_member (result, "feed_keys", key_ids);
  json_object_set_array_member (result, "tls_names", name_list);
  if (g_file_test (config, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, TP_ERROR, TP_ERROR_INVALID_ARGUMENT,
                   "%s holds a hub already (hub.json exists): not overwritten", path);
      return NULL;
    }
  if (g_mkdir_with_parents (path, 0700) != 0)
    {
      io_fail (error, path, "create");
      return NULL;
    }
  if (g_mkdir (keys_dir, 0700) != 0 || g_mkdir (certs_dir, 0700) != 0 || g_mkdir (snapshots_dir, 0755) != 0)
    {
      io_fail (error, path, "create the hub's folders in");
      return NULL;
    }

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(TpFeedKey) key = tp_feed_key_generate (error);
      g_autofree char *pem = NULL;
      g_autofree char *file = NULL;
      g_autofree char *file_path = NULL;
      JsonObject *entry = json_object_new ();

      if (key == NULL)
        return NULL;
      pem = tp_feed_key_to_private_pem (key);
      file = g_strdup_printf ("%s.pem", tp_feed_key_get_id (key));
      file_path = g_build_filename (keys_dir, file, NULL);
      if (!tp_hub_write_new_file (file_path, pem, strlen (pem), 0600, error))
        return NULL;
      json_object_set_string_member (entry, "key_id", tp_feed_key_get_id (key));
      json_object_set_string_member (entry, "public_key", tp_feed_key_get_public_hex (key));
      json_object_set_string_member (entry, "status", i == 0 ? "active" : "standby");
      json_array_add_object_element (key_ids, entry);
      if (i == 0)
        first_id = json_object_get_string_member (entry, "key_id");
    }

  if (!tp_hub_pki_create_ca ("Touchpoint hub CA", &ca_pem, &ca_key, error))
    return NULL;
  g_ptr_array_add (dns, (gpointer) "localhost");
  json_array_add_string_element (name_list, "localhost");
  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    {
      g_ptr_array_add (dns, (gpointer) names[i]);
      json_array_add_string_element (name_list, names[i]);
    }
  g_ptr_array_add (dns, NULL);
  request.usage = TP_HUB_CERT_SERVER;
  request.common_name = names != NULL && names[0] != NULL ? names[0] : "localhost";
  request.unit = "hub";
  request.dns_names = (const char **) dns->pdata;
  request.ip_addresses = ips;
  request.days = 825;
  if (!tp_hub_pki_issue (ca_pem, ca_key, &request, &tls_pem, &tls_key, &tls_serial, error))
    return NULL;

  {
    g_autofree char *ca_path = g_build_filename (path, "ca.pem", NULL);
    g_autofree char *ca_key_path = g_build_filename (path, "ca-key.pem", NULL);
    g_autofree char *tls_path = g_build_filename (path, "tls.pem", NULL);
    g_autofree char *tls_key_path = g_build_filename (path, "tls-key.pem", NULL);

    if (!tp_hub_write_new_file (ca_path, ca_pem, strlen (ca_pem), 0644, error) ||
        !tp_hub_write_new_file (ca_key_path, ca_key, strlen (ca_key), 0600, error) ||
        !tp_hub_write_new_file (tls_path, tls_pem, strlen (tls_pem), 0644, error) ||
        !tp_hub_write_new_file (tls_key_path, tls_key, strlen (tls_key), 0600, error))
      return NULL;
  }

  {
    g_autoptr(JsonObject) empty = json_object_new ();

    json_object_set_array_member (empty, "serials", json_array_new ());
    if (!write_json_file (revoked, empty, FALSE, 0644, error))
      return NULL;
  }

  json_object_set_string_member (hub, "name", request.common_name);
  json_object_set_string_member (hub, "url", url);
  json_object_set_string_member (hub, "active_key", first_id);
  /* hub.json last: its presence means a complete hub directory */
  if (!write_json_file (config, hub, FALSE, 0644, error))
    return NULL;

  json_object_set_string_member (result, "dir", path);
  json_object_set_string_member (result, "url", url);
  json_object_set_string_member (result, "active_key", first_id);
  json_object_set_string_member (result, "ca", "ca.pem");
  json_object_set_string_member (result, "database", "hub.db");
  return g_steal_pointer (&result);
}

/* Open */

static TpFeedKey *
load_key (const char  *path,
          const char  *key_id,
          GError     **error)
{
  g_autofree char *file = g_strdup_printf ("%s.pem", key_id);
  g_autofree char *key_path = g_build_filename (path, "feed-keys", file, NULL);
  g_autofree char *pem = NULL;
  gsize len;
  TpFeedKey *key;

  if (!g_file_get_contents (key_path, &pem, &len, error))
    return NULL;
  key = tp_feed_key_new_from_private_pem (pem, len, error);
  if (key != NULL && strcmp (tp_feed_key_get_id (key), key_id) != 0)
    {
      g_set_error (error, TP_ERROR, TP_ERROR_FAILED, "%s holds key %s, not %s", key_path,
                   tp_feed_key_get_id (key), key_id);
      tp_feed_key_unref (key);
      return NULL;
    }
  return key;
}

/* With the lock held: reads hub.json when it changed. */
static gboolean
reload_config (TpHubDir  *dir,
               GError   **error)
{
  g_autofree char *config = g_build_filename (dir->path, "hub.json", NULL);
  gint64 mtime = file_mtime (config);
  g_autoptr(JsonObject) object = NULL;
  const char *active;

  if (mtime == dir->config_mtime && dir->active_id != NULL)
    return TRUE;
  object = read_json_file (config, error);
  if (object == NULL)
    return FALSE;
  active = json_object_get_string_member_with_default (object, "active_key", NULL);
  if (active == NULL || (strcmp (active, tp_feed_key_get_id (dir->keys[0])) != 0 &&
                         strcmp (active, tp_feed_key_get_id (dir->keys[1])) != 0))
    {
      g_set_error (error, TP_ERROR, TP_ERROR_FAILED, "%s: active_key is not one of the feed keys", config);
      return FALSE;
    }
  g_free (dir->name);
  g_free (dir->url);
  g_free (dir->active_id);
  dir->name = g_strdup (json_object_get_string_member_with_default (object, "name", "hub"));
  dir->url = g_strdup (json_object_get_string_member_with_default (object, "url", "https://127.0.0.1:8443/"));
  dir->active_id = g_strdup (active);
  dir->config_mtime = mtime;
  return TRUE;
}

static gboolean
reload_revoked (TpHubDir  *dir,
                GError   **error)
{
  g_autofree char *file = g_build_filename (dir->path, "revoked.json", NULL);
  gint64 mtime = file_mtime (file);
  g_autoptr(JsonObject) object = NULL;
  JsonArray *serials;

  if (mtime == dir->revoked_mtime)
    return TRUE;
  object = read_json_file (file, error);
  if (object == NULL)
    return FALSE;
  g_hash_table_remove_all (dir->revoked);
  serials = json_object_get_array_member (object, "serials");
  for (guint i = 0; serials != NULL && i < json_array_get_length (serials); i++)
    g_hash_table_add (dir->revoked, g_strdup (json_array_get_string_element (serials, i)));
  dir->revoked_mtime = mtime;
  return TRUE;
}

TpHubDir *
tp_hub_dir_open (const char  *path,
                 GError     **error)
{
  g_autoptr(TpHubDir) dir = g_new0 (TpHubDir, 1);
  g_autofree char *keys_dir = g_build_filename (path, "feed-keys", NULL);
  g_autofree char *config = g_build_filename (path, "hub.json", NULL);
  g_autoptr(GDir) listing = NULL;
  const char *name;
  guint n = 0;

  g_return_val_if_fail (path != NULL, NULL);

  g_mutex_init (&dir->lock);
  /* absolute: GTlsFileDatabase wants its anchor file so */
  dir->path = g_canonicalize_filename (path, NULL);
  dir->revoked = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  dir->identities = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) tp_hub_identity_free);
  dir->revoked_mtime = -2;
  if (!g_file_test (config, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, TP_ERROR, TP_ERROR_INVALID_ARGUMENT,
                   "%s is not a hub directory (no hub.json): run `touchpoint-hub init --dir %s` first", path, path);
      return NULL;
    }
  listing = g_dir_open (keys_dir, 0, error);
  if (listing == NULL)
    return NULL;
  while ((name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *id = NULL;

      if (!g_str_has_suffix (name, ".pem"))
        continue;
      if (n == 2)
        {
          g_set_error (error, TP_ERROR, TP_ERROR_FAILED, "%s: more than two feed keys", keys_dir);
          return NULL;
        }
      id = g_strndup (name, strlen (name) - 4);
      dir->keys[n] = load_key (path, id, error);
      if (dir->keys[n] == NULL)
        return NULL;
      n++;
    }
  if (n != 2)
    {
      g_set_error (error, TP_ERROR, TP_ERROR_FAILED, "%s: expected two feed keys, found %u", keys_dir, n);
      return NULL;
    }
  if (!reload_config (dir, error) || !reload_revoked (dir, error))
    return NULL;
  return g_steal_pointer (&dir);
}

void
tp_hub_dir_free (TpHubDir *dir)
{
  if (dir == NULL)
    return;
  g_free (dir->path);
  g_free (dir->name);
  g_free (dir->url);
  g_free (dir->active_id);
  g_clear_pointer (&dir->keys[0], tp_feed_key_unref);
  g_clear_pointer (&dir->keys[1], tp_feed_key_unref);
  g_clear_pointer (&dir->revoked, g_hash_table_unref);
  g_clear_pointer (&dir->identities, g_hash_table_unref);
  g_mutex_clear (&dir->lock);
  g_free (dir);
}

const char *
tp_hub_dir_get_path (TpHubDir *dir)
{
  return dir->path;
}

const char *
tp_hub_dir_get_url (TpHubDir *dir)
{
  return dir->url;
}

char *
tp_hub_dir_get_database (TpHubDir *dir)
{
  return g_build_filename (dir->path, "hub.db", NULL);
}

char *
tp_hub_dir_get_snapshot_dir (TpHubDir *dir)
{
  return g_build_filename (dir->path, "snapshots", NULL);
}

char *
tp_hub_dir_get_ca_file (TpHubDir *dir)
{
  return g_build_filename (dir->path, "ca.pem", NULL);
}

char *
tp_hub_dir_get_tls_cert_file (TpHubDir *dir)
{
  return g_build_filename (dir->path, "tls.pem", NULL);
}

char *
tp_hub_dir_get_tls_key_file (TpHubDir *dir)
{
  return g_build_filename (dir->path, "tls-key.pem", NULL);
}

TpFeedKey *
tp_hub_dir_get_active_key (TpHubDir  *dir,
                           GError   **error)
{
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&dir->lock);

  if (!reload_config (dir, error))
    return NULL;
  for (guint i = 0; i < 2; i++)
    if (strcmp (tp_feed_key_get_id (dir->keys[i]), dir->active_id) == 0)
      return tp_feed_key_ref (dir->keys[i]);
  g_assert_not_reached ();
}

TpFeedKeyring *
tp_hub_dir_get_keyring (TpHubDir *dir)
{
  TpFeedKeyring *ring = tp_feed_keyring_new ();

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(TpFeedKey) public = tp_feed_key_new_from_public_hex (tp_feed_key_get_public_hex (dir->keys[i]), NULL);

      tp_feed_keyring_add (ring, public);
    }
  return ring;
}

JsonObject *
tp_hub_dir_rotate_key (TpHubDir  *dir,
                       GError   **error)
{
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&dir->lock);
  g_autofree char *config = g_build_filename (dir->path, "hub.json", NULL);
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(JsonObject) result = json_object_new ();
  const char *old_id;
  const char *new_id;

  if (!reload_config (dir, error))
    return NULL;
  object = read_json_file (config, error);
  if (object == NULL)
    return NULL;
  old_id = dir->active_id;
  new_id = strcmp (tp_feed_key_get_id (dir->keys[0]), old_id) == 0 ? tp_feed_key_get_id (dir->keys[1])
                                                                   : tp_feed_key_get_id (dir->keys[0]);
  json_object_set_string_member (object, "active_key", new_id);
  if (!write_json_file (config, object, TRUE, 0644, error))
    return NULL;
  json_object_set_string_member (result, "active", new_id);
  json_object_set_string_member (result, "standby", old_id);
  dir->config_mtime = -2;   /* read again next time */
  return g_steal_pointer (&result);
}

/* Registry */

static JsonObject *
identity_to_json (const TpHubIdentity *who)
{
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "serial", who->serial);
  json_object_set_string_member (object, "kind", who->kind == TP_HUB_CLIENT_AGENCY ? "agency" : "terminal");
  json_object_set_string_member (object, "name", who->name);
  if (who->kind == TP_HUB_CLIENT_TERMINAL)
    {
      json_object_set_string_member (object, "airport", who->airport);
      json_object_set_string_member (object, "checkpoint", who->checkpoint);
      json_object_set_boolean_member (object, "supervisor", who->supervisor);
    }
  return object;
}

static TpHubIdentity *
identity_from_json (JsonObject *object)
{
  g_autoptr(TpHubIdentity) who = g_new0 (TpHubIdentity, 1);
  const char *kind = json_object_get_string_member_with_default (object, "kind", "");

  who->serial = g_strdup (json_object_get_string_member_with_default (object, "serial", NULL));
  who->name = g_strdup (json_object_get_string_member_with_default (object, "name", NULL));
  who->airport = g_strdup (json_object_get_string_member_with_default (object, "airport", NULL));
  who->checkpoint = g_strdup (json_object_get_string_member_with_default (object, "checkpoint", NULL));
  who->supervisor = json_object_get_boolean_member_with_default (object, "supervisor", FALSE);
  if (strcmp (kind, "agency") == 0)
    who->kind = TP_HUB_CLIENT_AGENCY;
  else if (strcmp (kind, "terminal") == 0)
    who->kind = TP_HUB_CLIENT_TERMINAL;
  else
    return NULL;
  if (who->serial == NULL || who->name == NULL)
    return NULL;
  return g_steal_pointer (&who);
}

JsonObject *
tp_hub_dir_issue (TpHubDir             *dir,
                  const TpHubIdentity  *who,
                  const char           *out_dir,
                  GError              **error)
{
  g_autofree char *ca_path = tp_hub_dir_get_ca_file (dir);
  g_autofree char *ca_key_path = g_build_filename (dir->path, "ca-key.pem", NULL);
  g_autofree char *ca_pem = NULL;
  g_autofree char *ca_key = NULL;
  g_autofree char *cert_pem = NULL;
  g_autofree char *key_pem = NULL;
  g_autofree char *serial = NULL;
  g_autofree char *keys_json = NULL;
  g_autofree char *record_path = NULL;
  g_autofree char *feed_url = NULL;
  g_autofree char *push_url = NULL;
  g_autoptr(TpFeedKeyring) ring = tp_hub_dir_get_keyring (dir);
  g_autoptr(TpHubIdentity) issued = tp_hub_identity_copy (who);
  g_autoptr(JsonObject) record = NULL;
  g_autoptr(JsonObject) enrollment = json_object_new ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *base = NULL;
  TpHubCertRequest request = { 0 };
  const char *files[] = { "cert.pem", "key.pem", "ca.pem", "feed-keys.json", "enrollment.json" };

  if (!g_file_get_contents (ca_path, &ca_pem, NULL, error) ||
      !g_file_get_contents (ca_key_path, &ca_key, NULL, error))
    return NULL;
  if (g_mkdir_with_parents (out_dir, 0700) != 0)
    {
      io_fail (error, out_dir, "create");
      return NULL;
    }
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *p = g_build_filename (out_dir, files[i], NULL);

      if (g_file_test (p, G_FILE_TEST_EXISTS))
        {
          g_set_error (error, TP_ERROR, TP_ERROR_INVALID_ARGUMENT, "%s exists: not overwritten", p);
          return NULL;
        }
    }

  request.usage = TP_HUB_CERT_CLIENT;
  request.common_name = who->name;
  request.unit = who->kind == TP_HUB_CLIENT_AGENCY ? "agency" : "terminal";
  request.locality = who->airport;
  request.days = 825;
  if (!tp_hub_pki_issue (ca_pem, ca_key, &request, &cert_pem, &key_pem, &serial, error))
    return NULL;
  g_free (issued->serial);
  issued->serial = g_strdup (serial);

  /* The registry first: a certificate the hub does not know is refused. */
  record = identity_to_json (issued);
  {
    g_autofree char *file = g_strdup_printf ("%s.json", serial);
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
    g_autofree char *when = g_date_time_format_iso8601 (now);

    json_object_set_string_member (record, "issued_at", when);
    record_path = g_build_filename (dir->path, "certs", file, NULL);
  }
  if (!write_json_file (record_path, record, FALSE, 0644, error))
    return NULL;

  base = g_str_has_suffix (dir->url, "/") ? g_strdup (dir->url) : g_strconcat (dir->url, "/", NULL);
  feed_url = g_strconcat (base, "v1/feed/", NULL);
  push_url = g_str_has_prefix (base, "https://") ? g_strconcat ("wss://", base + strlen ("https://"), "v1/push", NULL)
                                                 : g_strconcat (base, "v1/push", NULL);
  keys_json = tp_feed_keyring_to_json (ring);
  if (!json_parser_load_from_data (parser, keys_json, -1, error))
    return NULL;
  json_object_set_string_member (enrollment, "hub_url", base);
  json_object_set_string_member (enrollment, "role", who->kind == TP_HUB_CLIENT_AGENCY ? "agency" : "terminal");
  if (who->kind == TP_HUB_CLIENT_AGENCY)
    json_object_set_string_member (enrollment, "agency", who->name);
  else
    {
      json_object_set_string_member (enrollment, "feed_url", feed_url);
      json_object_set_string_member (enrollment, "push_url", push_url);
      json_object_set_string_member (enrollment, "terminal", who->name);
      json_object_set_string_member (enrollment, "airport", who->airport);
      json_object_set_string_member (enrollment, "checkpoint", who->checkpoint);
      json_object_set_boolean_member (enrollment, "supervisor", who->supervisor);
    }
  json_object_set_string_member (enrollment, "serial", serial);
  json_object_set_member (enrollment, "keys",
                          json_node_copy (json_object_get_member (json_node_get_object (json_parser_get_root (parser)),
                                                                  "keys")));

  {
    g_autofree char *cert_path = g_build_filename (out_dir, "cert.pem", NULL);
    g_autofree char *key_path = g_build_filename (out_dir, "key.pem", NULL);
    g_autofree char *ca_out = g_build_filename (out_dir, "ca.pem", NULL);
    g_autofree char *keys_path = g_build_filename (out_dir, "feed-keys.json", NULL);
    g_autofree char *enrollment_path = g_build_filename (out_dir, "enrollment.json", NULL);
    g_autofree char *keys_line = g_strconcat (keys_json, "\n", NULL);

    if (!tp_hub_write_new_file (key_path, key_pem, strlen (key_pem), 0600, error) ||
        !tp_hub_write_new_file (cert_path, cert_pem, strlen (cert_pem), 0644, error) ||
        !tp_hub_write_new_file (ca_out, ca_pem, strlen (ca_pem), 0644, error) ||
        !tp_hub_write_new_file (keys_path, keys_line, strlen (keys_line), 0644, error) ||
        !write_json_file (enrollment_path, enrollment, FALSE, 0644, error))
      return NULL;
  }

  json_object_set_string_member (record, "out", out_dir);
  return g_steal_pointer (&record);
}

JsonObject *
tp_hub_dir_revoke (TpHubDir    *dir,
                   const char  *name,
                   GError     **error)
{
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&dir->lock);
  g_autofree char *certs = g_build_filename (dir->path, "certs", NULL);
  g_autofree char *file = g_build_filename (dir->path, "revoked.json", NULL);
  g_autoptr(GDir) listing = g_dir_open (certs, 0, error);
  g_autoptr(JsonObject) revoked = NULL;
  g_autoptr(JsonObject) result = json_object_new ();
  JsonArray *serials;
  JsonArray *done = json_array_new ();
  const char *entry;

  json_object_set_array_member (result, "revoked", done);
  if (listing == NULL || !reload_revoked (dir, error))
    return NULL;
  revoked = read_json_file (file, error);
  if (revoked == NULL)
    return NULL;
  serials = json_object_get_array_member (revoked, "serials");
  while ((entry = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *path = g_build_filename (certs, entry, NULL);
      g_autoptr(JsonObject) object = NULL;
      g_autoptr(TpHubIdentity) who = NULL;

      if (!g_str_has_suffix (entry, ".json"))
        continue;
      object = read_json_file (path, NULL);
      if (object == NULL || (who = identity_from_json (object)) == NULL)
        continue;
      if (strcmp (who->name, name) != 0)
        continue;
      if (!g_hash_table_contains (dir->revoked, who->serial))
        json_array_add_string_element (serials, who->serial);
      json_array_add_object_element (done, identity_to_json (who));
    }
  if (json_array_get_length (done) == 0)
    {
      g_set_error (error, TP_ERROR, TP_ERROR_INVALID_ARGUMENT,
                   "no certificate was issued to “%s” (a terminal id or an agency name)", name);
      return NULL;
    }
  if (!write_json_file (file, revoked, TRUE, 0644, error))
    return NULL;
  dir->revoked_mtime = -2;
  return g_steal_pointer (&result);
}

TpHubIdentity *
tp_hub_dir_lookup (TpHubDir    *dir,
                   const char  *serial,
                   GError     **error)
{
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&dir->lock);
  TpHubIdentity *who;

  if (!reload_revoked (dir, error))
    return NULL;
  if (g_hash_table_contains (dir->revoked, serial))
    {
      g_set_error (error, TP_ERROR, TP_ERROR_INVALID_ARGUMENT, "certificate %s is revoked", serial);
      return NULL;
    }
  who = g_hash_table_lookup (dir->identities, serial);
  if (who == NULL)
    {
      g_autofree char *file = g_strdup_printf ("%s.json", serial);
      g_autofree char *path = g_build_filename (dir->path, "certs", file, NULL);
      g_autoptr(JsonObject) object = NULL;

      /* serials are hex: no path tricks */
      for (const char *p = serial; *p != '\0'; p++)
        if (!g_ascii_isxdigit (*p))
          {
            g_set_error (error, TP_ERROR, TP_ERROR_INVALID_ARGUMENT, "certificate serial is not hex");
            return NULL;
          }
      object = read_json_file (path, NULL);
      if (object != NULL)
        who = identity_from_json (object);
      if (who == NULL)
        {
          g_set_error (error, TP_ERROR, TP_ERROR_INVALID_ARGUMENT,
                       "certificate %s was not issued by this hub's registry", serial);
          return NULL;
        }
      g_hash_table_insert (dir->identities, g_strdup (serial), who);
    }
  return tp_hub_identity_copy (who);
}
