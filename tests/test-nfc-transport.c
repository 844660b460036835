/* test-nfc-transport.c: full reads through the real libnfc stack
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tp-pn532-emu puts the software chip behind a PN532 on a pseudo-terminal;
 * libnfc's pn532_uart driver talks to it as to a serial reader
 * ("nfc:pn532_uart:/dev/pts/N"). Short APDUs only, as with a real PN532.
 */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>

#include "tp-chip-error.h"
#include "tp-document-reader.h"
#include "tp-nfc-transport.h"
#include "tp-reader.h"
#include "tp-sim-chip.h"
#include "tp-test-util.h"
#include "tp-transport-registry.h"

static TpTrustStore *trust;

typedef struct {
  TpTestChild *child;
  char        *connstring;
} Emulator;

static const char *
emulator_path (void)
{
  static char *path;

  if (path == NULL)
    path = tp_test_emulator_path ("TP_PN532_EMU", "tp-pn532-emu");
  return path;
}

static Emulator *
emulator_start (const char *profile,
                const char *extra)
{
  const char *argv[] = { emulator_path (), "--control", "--profile", profile, extra, NULL };
  Emulator *emu = g_new0 (Emulator, 1);
  g_autofree char *line = NULL;

  emu->child = tp_test_child_start (argv, &line);
  g_assert_true (g_str_has_prefix (line, "/dev/"));
  emu->connstring = g_strconcat ("nfc:pn532_uart:", line, NULL);
  return emu;
}

static void
emulator_control (Emulator   *emu,
                  const char *command)
{
  tp_test_child_control (emu->child, command);
}

static void
emulator_stop (Emulator *emu)
{
  /* End of input makes it quit */
  tp_test_child_stop (emu->child);
  g_free (emu->connstring);
  g_free (emu);
}

typedef struct {
  const char  *profile;
  const char  *extra;
  const char  *access;
  TpCheckState chip_auth;
  TpCheckState active_auth;
  guint        retries;
  char         card_type;
} ReadCase;

static const ReadCase read_cases[] = {
  { "pace-ecdh-aes128", NULL, "PACE", TP_CHECK_VALID, TP_CHECK_NOT_SUPPORTED, 0, 'A' },
  { "bac-3des", NULL, "BAC", TP_CHECK_NOT_SUPPORTED, TP_CHECK_NOT_SUPPORTED, 0, 'A' },
  { "ecdsa-aa", NULL, "BAC", TP_CHECK_NOT_SUPPORTED, TP_CHECK_VALID, 0, 'A' },
  { "ca-ecdh", "--type-b", "BAC", TP_CHECK_VALID, TP_CHECK_NOT_SUPPORTED, 0, 'B' },
  /* RSA-2048 active authentication over a short-APDU reader: the
   * signature comes back through GET RESPONSE (61xx) */
  { "full", NULL, "PACE", TP_CHECK_VALID, TP_CHECK_VALID, 0, 'A' },
  { "rsa-aa", "--type-b", "BAC", TP_CHECK_NOT_SUPPORTED, TP_CHECK_VALID, 0, 'B' },
  { "pace-ecdh-aes128:drop-field", NULL, "PACE", TP_CHECK_VALID, TP_CHECK_NOT_SUPPORTED, 1, 'A' },
  { "bac-3des:max-le=128,6cxx", "--type-b", "BAC", TP_CHECK_NOT_SUPPORTED, TP_CHECK_NOT_SUPPORTED, 0, 'B' },
};

static void
test_read (gconstpointer data)
{
  const ReadCase *c = data;
  g_autoptr(GError) error = NULL;
  Emulator *emu = emulator_start (c->profile, c->extra);
  g_autoptr(TpTransport) transport = tp_transport_open (emu->connstring, &error);
  g_autoptr(TpAccessKey) key = tp_test_sim_key (c->profile);
  g_autoptr(TpReadOptions) options = tp_read_options_new ();
  g_autoptr(TpDocument) doc = NULL;

  g_assert_no_error (error);
  g_assert_true (TP_IS_NFC_TRANSPORT (transport));
  g_assert_cmpint (tp_transport_get_kind (transport), ==, TP_TRANSPORT_KIND_NFC);
  g_assert_false (tp_transport_supports_extended (transport));

  options->trust = trust;
  doc = tp_document_reader_read (transport, key, options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tp_nfc_transport_get_card_type (TP_NFC_TRANSPORT (transport)), ==, c->card_type);
  g_assert_nonnull (tp_transport_get_uid (transport));
  g_assert_cmpstr (doc->access, ==, c->access);
  g_assert_false (doc->extended_length);
  g_assert_cmpint (doc->chip_auth, ==, c->chip_auth);
  g_assert_cmpint (doc->active_auth, ==, c->active_auth);
  g_assert_cmpuint (doc->retries, ==, c->retries);
  g_assert_cmpint (doc->passive_auth->verdict, ==, TP_PASSIVE_AUTH_VALID);
  g_assert_cmpint (doc->mrz_match, ==, TP_CHECK_VALID);
  g_assert_nonnull (doc->face);
  g_assert_true (tp_document_is_verified (doc));

  g_clear_object (&transport);
  emulator_stop (emu);
}

/* Forged and cloned chips behind a short-APDU reader: never verified. */
typedef struct {
  const char  *spec;
  TpCheckState chip_auth;
  TpCheckState active_auth;
} ForgedCase;

static const ForgedCase forged_cases[] = {
  /* a clone that refuses to return the signature in pieces */
  { "rsa-aa:clone,no-chaining", TP_CHECK_NOT_SUPPORTED, TP_CHECK_NOT_CHECKED },
  /* a clone that returns a signature its key did not make */
  { "rsa-aa:clone", TP_CHECK_NOT_SUPPORTED, TP_CHECK_FAILED },
  /* a clone whose EF.COM hides DG14 and DG15: EF.SOD lists them */
  { "full:clone,com-omits=DG14,com-omits=DG15", TP_CHECK_FAILED, TP_CHECK_FAILED },
};

static void
test_forged (gconstpointer data)
{
  const ForgedCase *c = data;
  g_autoptr(GError) error = NULL;
  Emulator *emu = emulator_start (c->spec, NULL);
  g_autoptr(TpTransport) transport = tp_transport_open (emu->connstring, &error);
  g_autoptr(TpAccessKey) key = tp_test_sim_key (c->spec);
  g_autoptr(TpReadOptions) options = tp_read_options_new ();
  g_autoptr(TpDocument) doc = NULL;

  g_assert_no_error (error);
  options->trust = trust;
  doc = tp_document_reader_read (transport, key, options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (doc->chip_auth, ==, c->chip_auth);
  g_assert_cmpint (doc->active_auth, ==, c->active_auth);
  g_assert_cmpint (doc->passive_auth->verdict, ==, TP_PASSIVE_AUTH_VALID);
  g_assert_false (tp_document_is_verified (doc));

  g_clear_object (&transport);
  emulator_stop (emu);
}

static void
test_wrong_mrz (void)
{
  g_autoptr(GError) error = NULL;
  Emulator *emu = emulator_start ("pace-ecdh-aes128", NULL);
  g_autoptr(TpTransport) transport = tp_transport_open (emu->connstring, &error);
  g_autoptr(TpAccessKey) key = tp_access_key_new_from_fields ("X0000000", "800101", "300101", &error);
  g_autoptr(TpDocument) doc = NULL;

  g_assert_no_error (error);
  doc = tp_document_reader_read (transport, key, NULL, NULL, NULL, NULL, &error);
  g_assert_null (doc);
  g_assert_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_ACCESS_DENIED);

  g_clear_object (&transport);
  emulator_stop (emu);
}

static void
test_no_card (void)
{
  g_autoptr(GError) error = NULL;
  Emulator *emu = emulator_start ("bac-3des", "--no-card");
  g_autoptr(TpTransport) transport = tp_transport_open (emu->connstring, &error);
  g_autoptr(TpAccessKey) key = tp_test_sim_key ("bac-3des");
  g_autoptr(TpDocument) doc = NULL;

  g_assert_no_error (error);
  doc = tp_document_reader_read (transport, key, NULL, NULL, NULL, NULL, &error);
  g_assert_null (doc);
  g_assert_error (error, TP_TRANSPORT_ERROR, TP_TRANSPORT_ERROR_NO_CARD);

  g_clear_object (&transport);
  emulator_stop (emu);
}

static void
test_no_reader (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpTransport) transport = tp_transport_open ("nfc:pn532_uart:/nonexistent/tty", &error);

  g_assert_null (transport);
  g_assert_error (error, TP_TRANSPORT_ERROR, TP_TRANSPORT_ERROR_NO_READER);
}

/* Nothing here registers the test equipment: the reader library alone
 * does not know the software chip. */
static void
test_no_sim_scheme (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpTransport) transport = tp_transport_open ("sim:full", &error);
  g_autoptr(GPtrArray) readers = tp_transport_list_readers (TRUE);

  g_assert_null (transport);
  g_assert_error (error, TP_TRANSPORT_ERROR, TP_TRANSPORT_ERROR_INVALID_CONNSTRING);
  for (guint i = 0; i < readers->len; i++)
    g_assert_false (g_str_has_prefix (((TpReaderInfo *) g_ptr_array_index (readers, i))->connstring, "sim:"));
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
  g_error ("No card event from the NFC reader in time");
  return G_SOURCE_REMOVE;
}

static void
test_events (void)
{
  Emulator *emu = emulator_start ("bac-3des", NULL);
  g_autoptr(TpReader) reader = tp_reader_new (emu->connstring);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  guint timeout = g_timeout_add_seconds (30, on_timeout, NULL);

  g_signal_connect (reader, "card-inserted", G_CALLBACK (on_card), loop);
  g_signal_connect (reader, "card-removed", G_CALLBACK (on_card), loop);
  tp_reader_start_watching (reader);
  g_main_loop_run (loop);
  g_assert_true (tp_reader_get_card_present (reader));

  emulator_control (emu, "remove");
  g_main_loop_run (loop);
  g_assert_false (tp_reader_get_card_present (reader));

  emulator_control (emu, "insert");
  g_main_loop_run (loop);
  g_assert_true (tp_reader_get_card_present (reader));

  tp_reader_stop_watching (reader);
  g_source_remove (timeout);
  g_clear_object (&reader);   /* joins the worker, closes the device */
  emulator_stop (emu);
}

static void
test_presence_connected (void)
{
  g_autoptr(GError) error = NULL;
  Emulator *emu = emulator_start ("bac-3des", NULL);
  g_autoptr(TpTransport) transport = tp_transport_open (emu->connstring, &error);
  gboolean present = FALSE;

  g_assert_no_error (error);
  tp_transport_connect (transport, &error);
  g_assert_no_error (error);

  /* Connected: libnfc's ISO-DEP presence check (an R(NAK) block) */
  g_assert_true (tp_transport_poll_card (transport, TRUE, 0, &present, &error));
  g_assert_true (present);
  emulator_control (emu, "remove");
  g_assert_true (tp_transport_poll_card (transport, TRUE, 2000, &present, &error));
  g_assert_false (present);
  emulator_control (emu, "insert");
  g_assert_true (tp_transport_poll_card (transport, FALSE, 2000, &present, &error));
  g_assert_true (present);
  g_assert_no_error (error);

  g_clear_object (&transport);
  emulator_stop (emu);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);

  trust = tp_test_sim_trust ();

  for (gsize i = 0; i < G_N_ELEMENTS (read_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/nfc/read/%s%s", read_cases[i].profile,
                                               read_cases[i].extra ? "/type-b" : "");

      g_test_add_data_func (path, &read_cases[i], test_read);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (forged_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/nfc/forged/%s", forged_cases[i].spec);

      g_test_add_data_func (path, &forged_cases[i], test_forged);
    }
  g_test_add_func ("/nfc/negative/wrong-mrz", test_wrong_mrz);
  g_test_add_func ("/nfc/negative/no-card", test_no_card);
  g_test_add_func ("/nfc/negative/no-reader", test_no_reader);
  g_test_add_func ("/nfc/negative/no-sim-scheme", test_no_sim_scheme);
  g_test_add_func ("/nfc/events", test_events);
  g_test_add_func ("/nfc/presence-connected", test_presence_connected);

  ret = g_test_run ();

  tp_trust_store_free (trust);
  return ret;
}
