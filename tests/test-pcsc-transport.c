/* test-pcsc-transport.c: full reads through the real pcsc-lite stack
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * pcscd with vsmartcard's vpcd driver gives a virtual reader that a card
 * process joins over TCP; tp-vpcd-card is that card, with the software
 * chip inside. This test starts its own `pcscd -f` with a private
 * reader.conf.d (vpcd on a free port) unless a pcscd already runs, in
 * which case it uses that one's "Virtual PCD" reader on port 35963.
 * pcscd's socket (/run/pcscd/pcscd.comm) is fixed at build time: only one
 * pcscd can run at a time, so this is the only test that uses PC/SC.
 * Without pcscd or the vpcd driver every test is skipped, saying why
 * (tools/install-deps installs both).
 */
#include "config.h"

#include <PCSC/winscard.h>
#include <arpa/inet.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <netinet/in.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <json-glib/json-glib.h>

#include "tp-chip-error.h"
#include "tp-document-reader.h"
#include "tp-pcsc-transport.h"
#include "tp-reader.h"
#include "tp-sim-chip.h"
#include "tp-test-util.h"
#include "tp-transport-registry.h"

#define VPCD_DRIVER    "/usr/lib/pcsc/drivers/serial/libifdvpcd.so"
#define VPCD_DEFAULT_PORT 35963

static char *work_dir;
static TpTrustStore *trust;
static GSubprocess *pcscd;
static int vpcd_port;
static char *reader_name;
static char *skip_reason;

typedef TpTestChild Card;

static const char *
card_path (void)
{
  static char *path;

  if (path == NULL)
    path = tp_test_emulator_path ("TP_VPCD_CARD", "tp-vpcd-card");
  return path;
}

static int
free_port (void)
{
  struct sockaddr_in addr = { 0 };
  socklen_t len = sizeof addr;
  int fd = socket (AF_INET, SOCK_STREAM, 0);
  int port = 0;

  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  if (fd >= 0 && bind (fd, (struct sockaddr *) &addr, sizeof addr) == 0 &&
      getsockname (fd, (struct sockaddr *) &addr, &len) == 0)
    port = ntohs (addr.sin_port);
  if (fd >= 0)
    close (fd);
  return port;
}

/* The vpcd reader's name once pcscd lists it, or NULL after @timeout_ms. */
static char *
wait_for_vpcd_reader (guint timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  do
    {
      SCARDCONTEXT context;

      if (SCardEstablishContext (SCARD_SCOPE_SYSTEM, NULL, NULL, &context) == SCARD_S_SUCCESS)
        {
          g_autoptr(GPtrArray) readers = g_ptr_array_new_with_free_func ((GDestroyNotify) tp_reader_info_free);

          SCardReleaseContext (context);
          tp_pcsc_transport_list (readers);
          for (guint i = 0; i < readers->len; i++)
            {
              const TpReaderInfo *info = g_ptr_array_index (readers, i);

              /* Slot 00 00 listens on the configured port */
              if (strstr (info->name, "Virtual PCD") && g_str_has_suffix (info->name, "00 00"))
                return g_strdup (info->name);
            }
        }
      g_usleep (100 * 1000);
    }
  while (g_get_monotonic_time () < deadline);
  return NULL;
}

static gboolean
pcscd_is_running (void)
{
  SCARDCONTEXT context;

  if (SCardEstablishContext (SCARD_SCOPE_SYSTEM, NULL, NULL, &context) != SCARD_S_SUCCESS)
    return FALSE;
  SCardReleaseContext (context);
  return TRUE;
}

/* pcscd goes when this test goes, even when an assertion aborts it. */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static void
start_pcscd (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *pcscd_bin = g_find_program_in_path ("pcscd");
  g_autofree char *conf_dir = NULL;
  g_autofree char *conf = NULL;
  g_autofree char *conf_file = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;

  if (pcscd_is_running ())
    {
      /* Someone's pcscd: use its vpcd reader, if it has one. */
      vpcd_port = VPCD_DEFAULT_PORT;
      reader_name = wait_for_vpcd_reader (1000);
      if (reader_name == NULL)
        skip_reason = g_strdup ("a pcscd is running without the vpcd reader "
                                "(install vsmartcard-vpcd, or stop that pcscd)");
      return;
    }

  if (pcscd_bin == NULL)
    {
      skip_reason = g_strdup ("pcscd is not installed (tools/install-deps installs pcscd)");
      return;
    }
  if (!g_file_test (VPCD_DRIVER, G_FILE_TEST_EXISTS))
    {
      skip_reason = g_strdup ("the vpcd driver " VPCD_DRIVER " is not installed "
                              "(tools/install-deps installs vsmartcard-vpcd)");
      return;
    }

  vpcd_port = free_port ();
  conf_dir = g_build_filename (work_dir, "reader.conf.d", NULL);
  g_mkdir_with_parents (conf_dir, 0700);
  conf = g_strdup_printf ("FRIENDLYNAME \"Virtual PCD\"\n"
                          "DEVICENAME   /dev/null:0x%04X\n"
                          "LIBPATH      " VPCD_DRIVER "\n"
                          "CHANNELID    0x%04X\n", vpcd_port, vpcd_port);
  conf_file = g_build_filename (conf_dir, "vpcd", NULL);
  g_file_set_contents (conf_file, conf, -1, &error);
  g_assert_no_error (error);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  pcscd = g_subprocess_launcher_spawn (launcher, &error, pcscd_bin, "--foreground", "--config", conf_dir, NULL);
  if (pcscd == NULL)
    {
      skip_reason = g_strdup_printf ("pcscd does not start: %s", error->message);
      return;
    }

  reader_name = wait_for_vpcd_reader (10000);
  if (reader_name == NULL)
    {
      skip_reason = g_strdup ("pcscd started but shows no vpcd reader (is /run/pcscd writable?)");
      g_subprocess_force_exit (pcscd);
      g_subprocess_wait (pcscd, NULL, NULL);
      g_clear_object (&pcscd);
    }
}

static gboolean
wait_card_state (gboolean present,
                 guint    timeout_ms)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *connstring = g_strconcat ("pcsc:", reader_name, NULL);
  g_autoptr(TpTransport) transport = tp_transport_open (connstring, &error);
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  gboolean now = !present;

  g_assert_no_error (error);
  while (g_get_monotonic_time () < deadline)
    {
      if (!tp_transport_poll_card (transport, now, 200, &now, &error))
        g_error ("Watching the vpcd reader: %s", error->message);
      if (now == present)
        return TRUE;
    }
  return FALSE;
}

static Card *
card_start (const char *profile)
{
  g_autofree char *port = g_strdup_printf ("%d", vpcd_port);
  const char *argv[] = { card_path (), "--control", "--port", port, "--profile", profile,
                         g_getenv ("TP_VPCD_VERBOSE") ? "-v" : NULL, NULL };
  g_autofree char *line = NULL;
  Card *card = tp_test_child_start (argv, &line);

  g_assert_cmpstr (line, ==, "ready");
  g_assert_true (wait_card_state (TRUE, 10000));
  return card;
}

static void
card_control (Card       *card,
              const char *command)
{
  tp_test_child_control (card, command);
}

static void
card_stop (Card *card)
{
  tp_test_child_stop (card);
  /* The reader sees the card leave before the next test starts */
  wait_card_state (FALSE, 5000);
}

static TpTransport *
open_reader (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *connstring = g_strconcat ("pcsc:", reader_name, NULL);
  TpTransport *transport = tp_transport_open (connstring, &error);

  g_assert_no_error (error);
  g_assert_true (TP_IS_PCSC_TRANSPORT (transport));
  return transport;
}

static gboolean
skip_if_unavailable (void)
{
  if (skip_reason == NULL)
    return FALSE;
  g_test_skip (skip_reason);
  return TRUE;
}

typedef struct {
  const char  *profile;
  const char  *access;
  gboolean     extended;
  TpCheckState chip_auth;
  TpCheckState active_auth;
  guint        retries;
  TpFileAccess file_access;
  const char  *warning;      /* in the one warning, or NULL for none */
} ReadCase;

static const ReadCase read_cases[] = {
  { "pace-ecdh-aes128", "PACE", TRUE, TP_CHECK_VALID, TP_CHECK_NOT_SUPPORTED, 0, TP_FILE_ACCESS_SFI, NULL },
  { "bac-3des", "BAC", TRUE, TP_CHECK_NOT_SUPPORTED, TP_CHECK_NOT_SUPPORTED, 0, TP_FILE_ACCESS_SFI, NULL },
  { "full", "PACE", TRUE, TP_CHECK_VALID, TP_CHECK_VALID, 0, TP_FILE_ACCESS_SFI, NULL },
  { "pace-ecdh-aes256-p384:no-extended", "PACE", FALSE, TP_CHECK_VALID, TP_CHECK_NOT_SUPPORTED, 0,
    TP_FILE_ACCESS_SFI, NULL },
  { "rsa-aa:max-le=200", "BAC", TRUE, TP_CHECK_NOT_SUPPORTED, TP_CHECK_VALID, 0, TP_FILE_ACCESS_SFI, NULL },
  { "pace-ecdh-aes128:drop-field", "PACE", TRUE, TP_CHECK_VALID, TP_CHECK_NOT_SUPPORTED, 1,
    TP_FILE_ACCESS_SFI, NULL },
  /* A chip that only reads selected files (6986 "no current EF" to a
   * short EF identifier), and one that does with 6A82 */
  { "bac-3des:no-sfi=6986", "BAC", TRUE, TP_CHECK_NOT_SUPPORTED, TP_CHECK_NOT_SUPPORTED, 0,
    TP_FILE_ACCESS_SELECT, "6986" },
  { "pace-ecdh-aes128:no-sfi=6A82,drop-field", "PACE", TRUE, TP_CHECK_VALID, TP_CHECK_NOT_SUPPORTED, 1,
    TP_FILE_ACCESS_SELECT, "6A82" },
  /* Plain status words that are not the authenticated ones */
  { "full:plain-sw=9000", "PACE", TRUE, TP_CHECK_VALID, TP_CHECK_VALID, 0, TP_FILE_ACCESS_SFI, "DO'99'" },
  { "bac-3des:plain-sw=6282,no-extended", "BAC", FALSE, TP_CHECK_NOT_SUPPORTED, TP_CHECK_NOT_SUPPORTED, 0,
    TP_FILE_ACCESS_SFI, "DO'99'" },
  /* No extended length on the chip: the RSA-2048 active authentication
   * signature comes in pieces (61xx, GET RESPONSE) */
  { "rsa-aa:no-extended", "BAC", FALSE, TP_CHECK_NOT_SUPPORTED, TP_CHECK_VALID, 0, TP_FILE_ACCESS_SFI,
    NULL },
};

/* Forged and cloned chips over PC/SC: never verified, and the protocol
 * that caught them says so. */
typedef struct {
  const char  *spec;
  TpCheckState chip_auth;
  TpCheckState active_auth;
} ForgedCase;

static const ForgedCase forged_cases[] = {
  /* a clone that stops announcing extended length and refuses to chain */
  { "rsa-aa:clone,no-extended,no-chaining", TP_CHECK_NOT_SUPPORTED, TP_CHECK_NOT_CHECKED },
  /* a clone that chains: its signature is read and refused */
  { "rsa-aa:clone,no-extended", TP_CHECK_NOT_SUPPORTED, TP_CHECK_FAILED },
  /* a clone whose EF.COM hides DG14 and DG15: EF.SOD lists them */
  { "full:clone,com-omits=DG14,com-omits=DG15", TP_CHECK_FAILED, TP_CHECK_FAILED },
};

static void
test_read (gconstpointer data)
{
  const ReadCase *c = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TpTransport) transport = NULL;
  g_autoptr(TpAccessKey) key = NULL;
  g_autoptr(TpReadOptions) options = NULL;
  g_autoptr(TpDocument) doc = NULL;
  Card *card;

  if (skip_if_unavailable ())
    return;

  card = card_start (c->profile);
  transport = open_reader ();
  key = tp_test_sim_key (c->profile);
  options = tp_read_options_new ();
  options->trust = trust;

  doc = tp_document_reader_read (transport, key, options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (tp_transport_get_atr (transport));
  g_assert_cmpstr (doc->access, ==, c->access);
  g_assert_true (doc->extended_length == c->extended);
  g_assert_cmpint (doc->chip_auth, ==, c->chip_auth);
  g_assert_cmpint (doc->active_auth, ==, c->active_auth);
  g_assert_cmpuint (doc->retries, ==, c->retries);
  g_assert_cmpint (doc->passive_auth->verdict, ==, TP_PASSIVE_AUTH_VALID);
  g_assert_cmpint (doc->mrz_match, ==, TP_CHECK_VALID);
  g_assert_nonnull (doc->face);
  g_assert_true (tp_document_is_verified (doc));
  g_assert_cmpint (doc->file_access, ==, c->file_access);
  if (c->warning == NULL)
    g_assert_cmpuint (doc->warnings->len, ==, 0);
  else
    {
      g_assert_cmpuint (doc->warnings->len, ==, 1);
      g_assert_nonnull (strstr (g_ptr_array_index (doc->warnings, 0), c->warning));
    }

  g_clear_object (&transport);
  card_stop (card);
}

static void
test_forged (gconstpointer data)
{
  const ForgedCase *c = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TpTransport) transport = NULL;
  g_autoptr(TpAccessKey) key = NULL;
  g_autoptr(TpReadOptions) options = NULL;
  g_autoptr(TpDocument) doc = NULL;
  Card *card;

  if (skip_if_unavailable ())
    return;

  card = card_start (c->spec);
  transport = open_reader ();
  key = tp_test_sim_key (c->spec);
  options = tp_read_options_new ();
  options->trust = trust;

  doc = tp_document_reader_read (transport, key, options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (doc->chip_auth, ==, c->chip_auth);
  g_assert_cmpint (doc->active_auth, ==, c->active_auth);
  /* the data was copied faithfully: only the protocols tell */
  g_assert_cmpint (doc->passive_auth->verdict, ==, TP_PASSIVE_AUTH_VALID);
  g_assert_false (tp_document_is_verified (doc));

  g_clear_object (&transport);
  card_stop (card);
}

static void
test_wrong_mrz (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpTransport) transport = NULL;
  g_autoptr(TpAccessKey) key = NULL;
  g_autoptr(TpDocument) doc = NULL;
  Card *card;

  if (skip_if_unavailable ())
    return;

  card = card_start ("bac-3des");
  transport = open_reader ();
  key = tp_access_key_new_from_fields ("X0000000", "800101", "300101", &error);
  g_assert_no_error (error);
  doc = tp_document_reader_read (transport, key, NULL, NULL, NULL, NULL, &error);
  g_assert_null (doc);
  g_assert_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_ACCESS_DENIED);

  g_clear_object (&transport);
  card_stop (card);
}

static void
test_no_card (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpTransport) transport = NULL;
  g_autoptr(TpAccessKey) key = NULL;
  g_autoptr(TpDocument) doc = NULL;

  if (skip_if_unavailable ())
    return;

  transport = open_reader ();
  key = tp_test_sim_key ("bac-3des");
  doc = tp_document_reader_read (transport, key, NULL, NULL, NULL, NULL, &error);
  g_assert_null (doc);
  g_assert_error (error, TP_TRANSPORT_ERROR, TP_TRANSPORT_ERROR_NO_CARD);
}

static void
test_unknown_reader (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpTransport) transport = NULL;

  if (skip_if_unavailable ())
    return;

  transport = tp_transport_open ("pcsc:No Such Reader 99", &error);
  g_assert_null (transport);
  g_assert_error (error, TP_TRANSPORT_ERROR, TP_TRANSPORT_ERROR_NO_READER);
  g_assert_nonnull (strstr (error->message, "Virtual PCD"));
}

static void
on_card (TpReader *reader,
         gpointer  user_data)
{
  g_main_loop_quit (user_data);
}

static gboolean
on_timeout (gpointer user_data)
{
  g_error ("No card event from the PC/SC reader in time");
  return G_SOURCE_REMOVE;
}

static void
test_events (void)
{
  g_autoptr(TpReader) reader = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *connstring = NULL;
  guint timeout;
  Card *card;

  if (skip_if_unavailable ())
    return;

  card = card_start ("bac-3des");
  connstring = g_strconcat ("pcsc:", reader_name, NULL);
  reader = tp_reader_new (connstring);
  loop = g_main_loop_new (NULL, FALSE);
  timeout = g_timeout_add_seconds (30, on_timeout, NULL);
  g_signal_connect (reader, "card-inserted", G_CALLBACK (on_card), loop);
  g_signal_connect (reader, "card-removed", G_CALLBACK (on_card), loop);

  tp_reader_start_watching (reader);
  g_main_loop_run (loop);
  g_assert_true (tp_reader_get_card_present (reader));

  card_control (card, "remove");
  g_main_loop_run (loop);
  g_assert_false (tp_reader_get_card_present (reader));

  card_control (card, "insert");
  g_main_loop_run (loop);
  g_assert_true (tp_reader_get_card_present (reader));

  tp_reader_stop_watching (reader);
  g_source_remove (timeout);
  g_clear_object (&reader);
  card_stop (card);
}

/* The command-line contract over PC/SC: `touchpoint-cli readers` lists the
 * vpcd reader and `touchpoint-cli read` reads and verifies through it. */
static void
test_cli (void)
{
  g_autoptr(GError) error = NULL;
  const char *cli = g_getenv ("TOUCHPOINT_CLI");
  g_autofree char *connstring = NULL;
  g_autofree char *trust_dir = NULL;
  g_autofree char *out = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(TpSimChip) chip = NULL;
  g_auto(GStrv) mrz = NULL;
  JsonObject *root, *pa;
  int status = 0;
  Card *card;

  if (skip_if_unavailable ())
    return;
  if (cli == NULL)
    {
      g_test_skip ("TOUCHPOINT_CLI is not set (run under meson test)");
      return;
    }

  card = card_start ("full");
  connstring = g_strconcat ("pcsc:", reader_name, NULL);
  trust_dir = g_build_filename (work_dir, "trust", NULL);

  {
    const char *argv[] = { cli, "readers", "--no-sim", NULL };

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL, &status, &error);
    g_assert_no_error (error);
    g_assert_true (g_spawn_check_wait_status (status, NULL));
    g_assert_nonnull (strstr (out, connstring));
    g_assert_nonnull (strstr (out, "\"kind\":\"pcsc\""));
    g_clear_pointer (&out, g_free);
  }

  chip = tp_sim_chip_new ("full", &error);
  g_assert_no_error (error);
  mrz = g_strsplit (tp_sim_chip_get_mrz (chip), "\n", -1);
  {
    const char *argv[] = { cli, "read", "--reader", connstring, "--mrz", mrz[0], mrz[1],
                           "--trust", trust_dir, NULL };

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL, &status, &error);
    g_assert_no_error (error);
  }
  g_assert_true (g_spawn_check_wait_status (status, NULL));   /* exit 0: verified */
  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (root, "access"), ==, "PACE");
  g_assert_cmpstr (json_object_get_string_member (root, "chip_auth"), ==, "valid");
  g_assert_cmpstr (json_object_get_string_member (root, "active_auth"), ==, "valid");
  g_assert_true (json_object_get_boolean_member (root, "mrz_matches_dg1"));
  g_assert_true (json_object_get_boolean_member (root, "extended_length"));
  pa = json_object_get_object_member (root, "passive_auth");
  g_assert_cmpstr (json_object_get_string_member (pa, "result"), ==, "valid");
  g_assert_cmpstr (json_object_get_string_member (root, "file_access"), ==, "sfi");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "warnings")), ==, 0);
  card_stop (card);

  /* A chip that refuses short EF identifiers and sends plain status words
   * that are not the authenticated ones: read, verified, and said */
  {
    const char *spec = "pace-ecdh-aes128:no-sfi=6986,plain-sw=9000";
    g_autoptr(TpSimChip) quirky = tp_sim_chip_new (spec, &error);
    g_auto(GStrv) quirky_mrz = NULL;
    g_autofree char *quirky_out = NULL;
    g_autoptr(JsonParser) quirky_parser = json_parser_new ();
    JsonArray *warnings;
    const char *argv[] = { cli, "read", "--reader", connstring, "--mrz", NULL, NULL,
                           "--trust", trust_dir, NULL };

    g_assert_no_error (error);
    quirky_mrz = g_strsplit (tp_sim_chip_get_mrz (quirky), "\n", -1);
    argv[5] = quirky_mrz[0];
    argv[6] = quirky_mrz[1];
    card = card_start (spec);
    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &quirky_out, NULL,
                  &status, &error);
    g_assert_no_error (error);
    g_assert_true (g_spawn_check_wait_status (status, NULL));   /* exit 0: verified */
    json_parser_load_from_data (quirky_parser, quirky_out, -1, &error);
    g_assert_no_error (error);
    root = json_node_get_object (json_parser_get_root (quirky_parser));
    g_assert_cmpstr (json_object_get_string_member (root, "file_access"), ==, "select");
    g_assert_true (json_object_get_boolean_member (root, "verified"));
    warnings = json_object_get_array_member (root, "warnings");
    g_assert_cmpuint (json_array_get_length (warnings), ==, 2);
    g_assert_nonnull (strstr (json_array_get_string_element (warnings, 0), "6986"));
    g_assert_nonnull (strstr (json_array_get_string_element (warnings, 1), "DO'99'"));
    card_stop (card);
  }
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *trust_dir = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);

  work_dir = g_dir_make_tmp ("tp-pcsc-XXXXXX", &error);
  g_assert_no_error (error);
  trust_dir = g_build_filename (work_dir, "trust", NULL);
  if (!tp_sim_chip_export_trust (trust_dir, &error))
    g_error ("Cannot export the test PKI: %s", error->message);
  trust = tp_trust_store_new (TP_TRUST_STORE_FLAGS_NONE);
  if (!tp_trust_store_add_path (trust, trust_dir, &error))
    g_error ("Cannot load the test PKI: %s", error->message);

  start_pcscd ();
  if (skip_reason != NULL)
    g_test_message ("PC/SC tests skipped: %s", skip_reason);

  for (gsize i = 0; i < G_N_ELEMENTS (read_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/pcsc/read/%s", read_cases[i].profile);

      g_test_add_data_func (path, &read_cases[i], test_read);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (forged_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/pcsc/forged/%s", forged_cases[i].spec);

      g_test_add_data_func (path, &forged_cases[i], test_forged);
    }
  g_test_add_func ("/pcsc/negative/wrong-mrz", test_wrong_mrz);
  g_test_add_func ("/pcsc/negative/no-card", test_no_card);
  g_test_add_func ("/pcsc/negative/unknown-reader", test_unknown_reader);
  g_test_add_func ("/pcsc/events", test_events);
  g_test_add_func ("/pcsc/cli", test_cli);

  ret = g_test_run ();

  if (pcscd != NULL)
    {
      g_subprocess_send_signal (pcscd, SIGTERM);
      g_subprocess_wait (pcscd, NULL, NULL);
      g_clear_object (&pcscd);
    }
  tp_trust_store_free (trust);
  tp_test_remove_tree (work_dir);
  g_free (work_dir);
  g_free (reader_name);
  g_free (skip_reason);
  return ret;
}
