/* tp-enrollment.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "tp-enrollment.h"
#include "tp-error.h"
#include "tp-json.h"

/* enrollment.json and feed-keys.json are small; anything bigger is not a bundle */
#define MAX_FILE (64 * 1024)

void
tp_enrollment_free (TpEnrollment *enrollment)
{
  if (enrollment == NULL)
    return;
  g_free (enrollment->dir);
  g_free (enrollment->hub_url);
  g_free (enrollment->feed_url);
  g_free (enrollment->push_url);
  g_free (enrollment->terminal);
  g_free (enrollment->airport);
  g_free (enrollment->checkpoint);
  g_clear_pointer (&enrollment->keys, tp_feed_keyring_free);
  g_free (enrollment->cert_file);
  g_free (enrollment->key_file);
  g_free (enrollment->ca_file);
  g_free (enrollment);
}

static gboolean
fail (GError     **error,
      const char  *format,
      ...) G_GNUC_PRINTF (2, 3);

static gboolean
fail (GError     **error,
      const char  *format,
      ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT, "enrollment.json: %s", message);
  return FALSE;
}

/* An absolute URL of one of @schemes with a host; a base (@base) must end
 * with "/" and have no query or fragment. */
static gboolean
check_url (const char  *url,
           const char  *member,
           const char  *schemes,
           GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  g_auto(GStrv) allowed = g_strsplit (schemes, " ", -1);

  g_autofree char *prefix = NULL;

  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  if (uri != NULL)
    prefix = g_strconcat (g_uri_get_scheme (uri), "://", NULL);
  /* the scheme as written, in lower case: the URL is used as given */
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0' ||
      !g_strv_contains ((const char * const *) allowed, g_uri_get_scheme (uri)) ||
      !g_str_has_prefix (url, prefix) ||
      g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL)
    return fail (error, "%s: “%s” is not a %s URL with a host (and no query)", member, url, schemes);
  return TRUE;
}

static gboolean
get_string (JsonObject   *object,
            const char   *member,
            gboolean      required,
            char        **out,
            GError      **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (required)
        return fail (error, "%s: missing (required)", member);
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING ||
      *json_node_get_string (node) == '\0')
    return fail (error, "%s: expected a non-empty string", member);
  *out = g_strdup (json_node_get_string (node));
  return TRUE;
}

TpEnrollment *
tp_enrollment_parse (const char  *json,
                     gsize        length,
                     GError     **error)
{
  g_autoptr(TpEnrollment) enrollment = g_new0 (TpEnrollment, 1);
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *role = NULL;
  JsonObject *object;
  JsonNode *node;

  g_return_val_if_fail (json != NULL || length == 0, NULL);

  root = tp_json_parse_object_line (json != NULL ? json : "", (gssize) length, "enrollment.json", error);
  if (root == NULL)
    return NULL;
  object = json_node_get_object (root);
  if (!get_string (object, "role", FALSE, &role, error))
    return NULL;
  if (role != NULL && strcmp (role, "terminal") != 0)
    {
      fail (error, "role: “%s”: this bundle is not a terminal's (enroll the terminal with "
                   "touchpoint-hub enroll)", role);
      return NULL;
    }
  if (!get_string (object, "hub_url", TRUE, &enrollment->hub_url, error) ||
      !get_string (object, "feed_url", FALSE, &enrollment->feed_url, error) ||
      !get_string (object, "push_url", FALSE, &enrollment->push_url, error) ||
      !get_string (object, "terminal", TRUE, &enrollment->terminal, error) ||
      !get_string (object, "airport", FALSE, &enrollment->airport, error) ||
      !get_string (object, "checkpoint", FALSE, &enrollment->checkpoint, error))
    return NULL;
  node = json_object_get_member (object, "supervisor");
  if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    {
      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
        {
          fail (error, "supervisor: expected true or false");
          return NULL;
        }
      enrollment->supervisor = json_node_get_boolean (node);
    }

  /* TLS always to the hub; the feed may come over plain HTTP (its
   * integrity is in its signatures) */
  if (!check_url (enrollment->hub_url, "hub_url", "https", error))
    return NULL;
  if (!g_str_has_suffix (enrollment->hub_url, "/"))
    {
      char *with_slash = g_strconcat (enrollment->hub_url, "/", NULL);

      g_free (enrollment->hub_url);
      enrollment->hub_url = with_slash;
    }
  if (enrollment->feed_url == NULL)
    enrollment->feed_url = g_strconcat (enrollment->hub_url, "v1/feed/", NULL);
  else
    {
      char *normal = tp_enrollment_normalize_feed_url (enrollment->feed_url, NULL);

      if (normal == NULL)
        {
          check_url (enrollment->feed_url, "feed_url", "https http", error);
          return NULL;
        }
      g_free (enrollment->feed_url);
      enrollment->feed_url = normal;
    }
  if (enrollment->push_url == NULL)
    enrollment->push_url = g_strconcat ("wss://", enrollment->hub_url + strlen ("https://"), "v1/push", NULL);
  else if (!check_url (enrollment->push_url, "push_url", "wss", error))
    return NULL;
  return g_steal_pointer (&enrollment);
}

char *
tp_enrollment_normalize_feed_url (const char  *url,
                                  GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;

  g_return_val_if_fail (url != NULL, NULL);

  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;
  if (uri == NULL || scheme == NULL || (!g_str_has_prefix (url, "http://") && !g_str_has_prefix (url, "https://")) ||
      (strcmp (scheme, "http") != 0 && strcmp (scheme, "https") != 0) ||
      g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0' ||
      g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL)
    {
      g_set_error (error, TP_ERROR, TP_ERROR_INVALID_ARGUMENT,
                   "“%s” is not a feed URL: http:// or https://, a host, the base under which "
                   "head, segments/ and snapshots/ are found, no query", url);
      return NULL;
    }
  return g_str_has_suffix (url, "/") ? g_strdup (url) : g_strconcat (url, "/", NULL);
}

static char *
read_small_file (const char  *path,
                 gsize       *length,
                 GError     **error)
{
  g_autofree char *data = NULL;

  if (!g_file_get_contents (path, &data, length, error))
    return NULL;
  if (*length > MAX_FILE)
    {
      g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT,
                   "%s: %" G_GSIZE_FORMAT " bytes is too big for an enrollment bundle's file", path, *length);
      return NULL;
    }
  return g_steal_pointer (&data);
}

TpEnrollment *
tp_enrollment_load (const char  *dir,
                    GError     **error)
{
  g_autoptr(TpEnrollment) enrollment = NULL;
  g_autofree char *enrollment_path = NULL;
  g_autofree char *keys_path = NULL;
  g_autofree char *json = NULL;
  g_autofree char *keys = NULL;
  gsize length = 0;
  const char *files[] = { "cert.pem", "key.pem", "ca.pem" };

  g_return_val_if_fail (dir != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  enrollment_path = g_build_filename (dir, "enrollment.json", NULL);
  json = read_small_file (enrollment_path, &length, error);
  if (json == NULL)
    {
      g_prefix_error (error, "Not an enrollment bundle (%s): ", dir);
      return NULL;
    }
  enrollment = tp_enrollment_parse (json, length, error);
  if (enrollment == NULL)
    {
      g_prefix_error (error, "%s: ", dir);
      return NULL;
    }

  keys_path = g_build_filename (dir, "feed-keys.json", NULL);
  keys = read_small_file (keys_path, &length, error);
  if (keys == NULL)
    return NULL;
  enrollment->keys = tp_feed_keyring_new_from_json (keys, (gssize) length, error);
  if (enrollment->keys == NULL)
    {
      g_prefix_error (error, "%s: ", keys_path);
      return NULL;
    }
  if (tp_feed_keyring_get_n_keys (enrollment->keys) == 0)
    {
      g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT, "%s: no feed keys to pin", keys_path);
      return NULL;
    }

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_build_filename (dir, files[i], NULL);

      if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
        {
          g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT,
                       "The enrollment bundle %s has no %s", dir, files[i]);
          return NULL;
        }
    }
  /* absolute: GTlsFileDatabase takes nothing else */
  enrollment->dir = g_canonicalize_filename (dir, NULL);
  enrollment->cert_file = g_build_filename (enrollment->dir, "cert.pem", NULL);
  enrollment->key_file = g_build_filename (enrollment->dir, "key.pem", NULL);
  enrollment->ca_file = g_build_filename (enrollment->dir, "ca.pem", NULL);
  return g_steal_pointer (&enrollment);
}
