/* tp-demo-hub.c: the demo's hub on loopback
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <string.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "tp-demo-hub.h"

static const char * const agencies[] = { "customs", "tax", "immigration", "police", "court" };

struct _TpDemoHub
{
  GObject      parent_instance;

  char        *program;
  char        *dir;
  char        *state;        /* dir/hub */
  char        *enrollment;   /* dir/terminal */
  char        *url;
  char        *log;          /* dir/hub.log */
  guint16      port;
  GSubprocess *serve;
};

G_DEFINE_FINAL_TYPE (TpDemoHub, tp_demo_hub, G_TYPE_OBJECT)

/* Runs the hub's command line; its JSON answer in @out. */
static gboolean
run_hub (TpDemoHub           *self,
         char               **out,
         GError             **error,
         const char * const  *argv)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autofree char *stdout_text = NULL;
  g_autofree char *stderr_text = NULL;

  g_ptr_array_add (args, self->program);
  for (guint i = 0; argv[i] != NULL; i++)
    g_ptr_array_add (args, (gpointer) argv[i]);
  g_ptr_array_add (args, NULL);
  process = g_subprocess_newv ((const char * const *) args->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, error);
  if (process == NULL ||
      !g_subprocess_communicate_utf8 (process, NULL, NULL, &stdout_text, &stderr_text, error))
    return FALSE;
  if (!g_subprocess_get_if_exited (process) || g_subprocess_get_exit_status (process) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "touchpoint-hub %s failed: %s%s", argv[0],
                   stdout_text != NULL ? stdout_text : "", stderr_text != NULL ? stderr_text : "");
      return FALSE;
    }
  if (out != NULL)
    *out = g_steal_pointer (&stdout_text);
  return TRUE;
}

/* A loopback port nobody listens on now. */
static guint16
free_port (GError **error)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, error);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  if (socket == NULL || !g_socket_bind (socket, any, FALSE, error) ||
      (bound = g_socket_get_local_address (socket, error)) == NULL)
    return 0;
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static void
tp_demo_hub_finalize (GObject *object)
{
  TpDemoHub *self = TP_DEMO_HUB (object);

  tp_demo_hub_stop (self);
  g_free (self->program);
  g_free (self->dir);
  g_free (self->state);
  g_free (self->enrollment);
  g_free (self->url);
  g_free (self->log);
  G_OBJECT_CLASS (tp_demo_hub_parent_class)->finalize (object);
}

static void
tp_demo_hub_class_init (TpDemoHubClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tp_demo_hub_finalize;
}

static void
tp_demo_hub_init (TpDemoHub *self)
{
}

TpDemoHub *
tp_demo_hub_new (const char *hub_program,
                 const char *dir)
{
  TpDemoHub *self;

  g_return_val_if_fail (hub_program != NULL && dir != NULL, NULL);

  self = g_object_new (TP_TYPE_DEMO_HUB, NULL);
  self->program = g_strdup (hub_program);
  self->dir = g_strdup (dir);
  self->state = g_build_filename (dir, "state", NULL);
  self->log = g_build_filename (dir, "hub.log", NULL);
  self->enrollment = g_build_filename (dir, "terminal", NULL);
  return self;
}

gboolean
tp_demo_hub_setup (TpDemoHub   *self,
                   const char  *airport,
                   const char  *checkpoint,
                   const char  *terminal,
                   GError     **error)
{
  guint16 port;

  g_return_val_if_fail (TP_IS_DEMO_HUB (self), FALSE);
  g_return_val_if_fail (self->url == NULL, FALSE);

  if (g_mkdir_with_parents (self->dir, 0700) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Cannot make %s", self->dir);
      return FALSE;
    }
  port = free_port (error);
  if (port == 0)
    return FALSE;
  self->port = port;
  self->url = g_strdup_printf ("https://127.0.0.1:%u/", port);
  {
    const char *argv[] = { "init", "--dir", self->state, "--url", self->url, NULL };

    if (!run_hub (self, NULL, error, argv))
      return FALSE;
  }
  for (guint i = 0; i < G_N_ELEMENTS (agencies); i++)
    {
      g_autofree char *out_dir = g_build_filename (self->dir, agencies[i], NULL);
      const char *argv[] = { "agency", "add", "--dir", self->state, agencies[i], "--out", out_dir, NULL };

      if (!run_hub (self, NULL, error, argv))
        return FALSE;
    }
  {
    const char *argv[] = { "enroll", "--dir", self->state, "--airport", airport, "--checkpoint", checkpoint,
                           "--terminal", terminal, "--out", self->enrollment, "--supervisor", NULL };

    if (!run_hub (self, NULL, error, argv))
      return FALSE;
  }
  return TRUE;
}

#ifdef __linux__
/* In the child: SIGTERM when the thread that spawned it ends. */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}
#endif

gboolean
tp_demo_hub_spawn (TpDemoHub  *self,
                   GError    **error)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autofree char *listen = NULL;

  g_return_val_if_fail (TP_IS_DEMO_HUB (self), FALSE);
  g_return_val_if_fail (self->url != NULL && self->serve == NULL, FALSE);

  /* serve, its output (one JSON line per request) into the demo's hub.log;
   * the first line says it listens */
  listen = g_strdup_printf ("127.0.0.1:%u", self->port);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_subprocess_launcher_set_stdout_file_path (launcher, self->log);
#ifdef __linux__
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
#endif
  self->serve = g_subprocess_launcher_spawn (launcher, error, self->program, "serve", "--dir", self->state,
                                             "--listen", listen, NULL);
  return self->serve != NULL;
}

gboolean
tp_demo_hub_wait_listening (TpDemoHub  *self,
                            GError    **error)
{
  g_return_val_if_fail (TP_IS_DEMO_HUB (self), FALSE);
  g_return_val_if_fail (self->serve != NULL, FALSE);

  for (gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;;)
    {
      g_autofree char *text = NULL;

      if (g_file_get_contents (self->log, &text, NULL, NULL) && strstr (text, "\"listening\"") != NULL)
        return TRUE;
      if (g_get_monotonic_time () > deadline)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "touchpoint-hub serve did not start: %s",
                       text != NULL ? text : "no output");
          tp_demo_hub_stop (self);
          return FALSE;
        }
      g_usleep (20 * 1000);
    }
}

gboolean
tp_demo_hub_start (TpDemoHub   *self,
                   const char  *airport,
                   const char  *checkpoint,
                   const char  *terminal,
                   GError     **error)
{
  return tp_demo_hub_setup (self, airport, checkpoint, terminal, error) &&
         tp_demo_hub_spawn (self, error) &&
         tp_demo_hub_wait_listening (self, error);
}

static GTlsCertificate *
agency_certificate (TpDemoHub   *self,
                    const char  *agency,
                    GError     **error)
{
  g_autofree char *cert = g_build_filename (self->dir, agency, "cert.pem", NULL);
  g_autofree char *key = g_build_filename (self->dir, agency, "key.pem", NULL);

  return g_tls_certificate_new_from_files (cert, key, error);
}

gboolean
tp_demo_hub_ingest (TpDemoHub   *self,
                    const char  *agency,
                    const char  *lines,
                    GError     **error)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(GTlsDatabase) database = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autofree char *ca = g_build_filename (self->dir, agency, "ca.pem", NULL);
  g_autofree char *uri = NULL;
  g_auto(GStrv) receipts = NULL;

  g_return_val_if_fail (TP_IS_DEMO_HUB (self), FALSE);
  g_return_val_if_fail (self->url != NULL, FALSE);

  certificate = agency_certificate (self, agency, error);
  database = certificate != NULL ? g_tls_file_database_new (ca, error) : NULL;
  if (database == NULL)
    return FALSE;
  soup_session_set_tls_database (session, database);
  uri = g_strconcat (self->url, "v1/entries", NULL);
  message = soup_message_new ("POST", uri);
  soup_message_set_tls_client_certificate (message, certificate);
  body = g_bytes_new (lines, strlen (lines));
  soup_message_set_request_body_from_bytes (message, "application/jsonl", body);
  answer = soup_session_send_and_read (session, message, NULL, error);
  if (answer == NULL)
    return FALSE;
  if (soup_message_get_status (message) != SOUP_STATUS_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "The hub answered %u to %s's entries: %.*s",
                   soup_message_get_status (message), agency, (int) g_bytes_get_size (answer),
                   (const char *) g_bytes_get_data (answer, NULL));
      return FALSE;
    }
  receipts = g_strsplit (g_bytes_get_data (answer, NULL) != NULL ? g_bytes_get_data (answer, NULL) : "", "\n", -1);
  for (guint i = 0; receipts[i] != NULL; i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      const char *status;

      if (receipts[i][0] == '\0')
        continue;
      if (!json_parser_load_from_data (parser, receipts[i], -1, error))
        return FALSE;
      status = json_object_get_string_member_with_default (json_node_get_object (json_parser_get_root (parser)),
                                                           "status", "");
      if (!g_str_equal (status, "accepted") && !g_str_equal (status, "duplicate"))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "The hub refused an entry of %s: %s", agency,
                       receipts[i]);
          return FALSE;
        }
    }
  return TRUE;
}

gboolean
tp_demo_hub_ingest_list (TpDemoHub   *self,
                         const char  *lines,
                         GError     **error)
{
  g_auto(GStrv) split = g_strsplit (lines, "\n", -1);

  g_return_val_if_fail (TP_IS_DEMO_HUB (self), FALSE);

  for (guint a = 0; a < G_N_ELEMENTS (agencies); a++)
    {
      g_autoptr(GString) batch = g_string_new (NULL);

      for (guint i = 0; split[i] != NULL; i++)
        {
          g_autoptr(JsonParser) parser = json_parser_new ();

          if (split[i][0] == '\0')
            continue;
          if (!json_parser_load_from_data (parser, split[i], -1, error))
            return FALSE;
          if (g_strcmp0 (json_object_get_string_member_with_default (
                           json_node_get_object (json_parser_get_root (parser)), "agency", ""), agencies[a]) == 0)
            g_string_append_printf (batch, "%s\n", split[i]);
        }
      if (batch->len > 0 && !tp_demo_hub_ingest (self, agencies[a], batch->str, error))
        return FALSE;
    }
  return TRUE;
}

char *
tp_demo_hub_events (TpDemoHub  *self,
                    GError    **error)
{
  const char *argv[] = { "events", "--dir", self->state, NULL };
  char *out = NULL;

  g_return_val_if_fail (TP_IS_DEMO_HUB (self), NULL);

  return run_hub (self, &out, error, argv) ? out : NULL;
}

void
tp_demo_hub_stop (TpDemoHub *self)
{
  g_return_if_fail (TP_IS_DEMO_HUB (self));

  if (self->serve == NULL)
    return;
  g_subprocess_send_signal (self->serve, SIGTERM);
  g_subprocess_wait (self->serve, NULL, NULL);
  g_clear_object (&self->serve);
}

const char *
tp_demo_hub_get_url (TpDemoHub *self)
{
  g_return_val_if_fail (TP_IS_DEMO_HUB (self), NULL);
  return self->url;
}

const char *
tp_demo_hub_get_enrollment (TpDemoHub *self)
{
  g_return_val_if_fail (TP_IS_DEMO_HUB (self), NULL);
  return self->enrollment;
}

const char *
tp_demo_hub_get_dir (TpDemoHub *self)
{
  g_return_val_if_fail (TP_IS_DEMO_HUB (self), NULL);
  return self->dir;
}
