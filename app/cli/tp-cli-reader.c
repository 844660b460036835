/* tp-cli-reader.c: `touchpoint-cli readers`, `read` and `sim`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * readers   {"readers": [{"connstring", "name", "kind"}]}; exit 0.
 * read      reads and verifies the document on one reader:
 *             --reader CONN (--mrz LINE LINE [LINE] | --doc N --birth YYMMDD
 *             --expiry YYMMDD | --can CAN) [--trust PATH]... [--save-face FILE]
 *           One JSON line (members of the contract first, then extras).
 *           Exit 0 read and verified, 1 read but a check failed, 2 could
 *           not read ("error" and "reason" in the JSON, the message on
 *           standard error too).
 * sim       the software chip: `sim list` (profiles and quirks),
 *           `sim info SPEC` (its printed MRZ and CAN), `sim export-trust DIR`
 *           (the test PKI's CSCA certificates and CRLs, for --trust),
 *           `sim export-cases DIR` (LDIF, master lists, CRLs, good and rogue).
 */
#include "config.h"

#include <gio/gio.h>
#include <stdio.h>
#include <string.h>

#include "tp-chip-error.h"
#include "tp-cli.h"
#include "tp-document-reader.h"
#include "tp-error.h"
#include "tp-sim-chip.h"
#include "tp-test-rogue.h"
#include "tp-transport-registry.h"
#include "tp-transport.h"
#include "tp-trust-dir.h"

/* libnfc logs every USB bus it cannot scan on standard error; this
 * command reports its own errors. LIBNFC_LOG_LEVEL set by the user wins. */
static void
quiet_libnfc (void)
{
  if (g_getenv ("LIBNFC_LOG_LEVEL") == NULL)
    g_setenv ("LIBNFC_LOG_LEVEL", "0", FALSE);
}

static void
add_bool (JsonBuilder *b,
          const char  *name,
          gboolean     value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_boolean_value (b, value);
}

static void
add_int (JsonBuilder *b,
         const char  *name,
         gint64       value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, value);
}

static void
add_strings (JsonBuilder *b,
             const char  *name,
             GPtrArray   *strings)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_array (b);
  for (guint i = 0; strings != NULL && i < strings->len; i++)
    {
      g_autofree char *valid = g_utf8_make_valid (g_ptr_array_index (strings, i), -1);

      json_builder_add_string_value (b, valid);
    }
  json_builder_end_array (b);
}

/* ---- readers ---------------------------------------------------------------- */

int
tp_cli_readers (int    argc,
                char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) readers = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  gboolean no_sim = FALSE;
  const GOptionEntry entries[] = {
    { "no-sim", 0, 0, G_OPTION_ARG_NONE, &no_sim, "Leave out the software chip profiles", NULL },
    { NULL }
  };

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
                                "List the card readers: libnfc devices (those libnfc finds, and LIBNFC_DEVICE),\n"
                                "PC/SC readers (pcscd) and the software chip profiles. The connstring of each\n"
                                "is what `read --reader` takes.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "touchpoint-cli readers: %s\n", error->message);
      return 2;
    }

  quiet_libnfc ();
  readers = tp_transport_list_readers (!no_sim);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "readers");
  json_builder_begin_array (b);
  for (guint i = 0; i < readers->len; i++)
    {
      const TpReaderInfo *info = g_ptr_array_index (readers, i);

      json_builder_begin_object (b);
      tp_cli_add_string (b, "connstring", info->connstring);
      tp_cli_add_string (b, "name", info->name);
      tp_cli_add_string (b, "kind", tp_transport_kind_to_string (info->kind));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  tp_cli_print_builder (b);
  return 0;
}

/* ---- read ------------------------------------------------------------------- */

typedef struct {
  char       *reader;
  GPtrArray  *mrz_lines;
  char       *doc;
  char       *birth;
  char       *expiry;
  char       *can;
  GPtrArray  *trust;
  char       *save_face;
  gboolean    bac;
  gboolean    no_extended;
  gboolean    accept_expired_ds;
  gboolean    require_revocation;
  gsize       max_read;
  gboolean    help;
} ReadArgs;

static void
read_args_clear (ReadArgs *args)
{
  g_free (args->reader);
  g_clear_pointer (&args->mrz_lines, g_ptr_array_unref);
  g_free (args->doc);
  g_free (args->birth);
  g_free (args->expiry);
  g_free (args->can);
  g_clear_pointer (&args->trust, g_ptr_array_unref);
  g_free (args->save_face);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ReadArgs, read_args_clear)

static const char read_usage[] =
  "Usage: touchpoint-cli read --reader CONN (--mrz LINE LINE [LINE] | --mrz - | --doc N --birth YYMMDD\n"
  "                          --expiry YYMMDD | --can CAN | --can -) [--trust PATH]... [--save-face FILE]\n"
  "\n"
  "Read and verify the passport or ID card chip on one reader.\n"
  "\n"
  "  --reader CONN       nfc:, nfc:DRIVER:PORT, pcsc:, pcsc:NAME or sim:PROFILE[:QUIRK,...]\n"
  "                      (see `touchpoint-cli readers`, `touchpoint-cli sim list`)\n"
  "  --mrz LINE LINE [LINE]  the printed MRZ (also compared with the chip's DG1)\n"
  "  --mrz -             read the MRZ from standard input instead (its lines, or one\n"
  "                      run as a keyboard-wedge reader types it): access keys given\n"
  "                      as arguments are visible to every local user in the process list\n"
  "  --doc N --birth YYMMDD --expiry YYMMDD  the MRZ fields the access keys need\n"
  "  --can CAN           the card access number (PACE chips only)\n"
  "  --can -             read the card access number from standard input\n"
  "  --trust PATH        CSCA certificate, CRL, ICAO master list, PKD LDIF, or a\n"
  "                      directory of them (repeatable); without it, the terminal's\n"
  "                      trust store (`touchpoint-cli trust import`, $TOUCHPOINT_TRUST_DIR\n"
  "                      or $XDG_DATA_HOME/touchpoint/trust) when there is one\n"
  "  --save-face FILE    write the DG2 face image (JPEG or JPEG 2000) to FILE\n"
  "  --bac               use BAC even when the chip offers PACE\n"
  "  --no-extended       never use extended-length APDUs\n"
  "  --max-read N        ask for at most N bytes per READ BINARY\n"
  "  --accept-expired-ds accept a Document Signer certificate that expired while the\n"
  "                      document is still valid (ICAO 9303-12 does not allow it; by\n"
  "                      default it fails). Accepted, it is still a warning\n"
  "  --require-revocation  fail when the Document Signer's revocation is unknown (no\n"
  "                      current CRL for its CSCA); by default unknown is a warning\n"
  "\n"
  "Exit status: 0 read and verified, 1 read but a check failed, 2 could not read.\n";

static gboolean
take_value (int          argc,
            char       **argv,
            int         *i,
            const char  *option,
            char       **out,
            GError     **error)
{
  const char *arg = argv[*i];
  gsize n = strlen (option);

  if (arg[n] == '=')
    {
      g_free (*out);
      *out = g_strdup (arg + n + 1);
      return TRUE;
    }
  if (*i + 1 >= argc)
    {
      g_set_error (error, TP_ERROR, TP_ERROR_INVALID_ARGUMENT, "%s needs a value", option);
      return FALSE;
    }
  g_free (*out);
  *out = g_strdup (argv[++*i]);
  return TRUE;
}

static gboolean
option_is (const char *arg,
           const char *option)
{
  gsize n = strlen (option);

  return strncmp (arg, option, n) == 0 && (arg[n] == '\0' || arg[n] == '=');
}

static gboolean
parse_read_args (int        argc,
                 char     **argv,
                 ReadArgs  *args,
                 GError   **error)
{
  args->trust = g_ptr_array_new_with_free_func (g_free);

  for (int i = 1; i < argc; i++)
    {
      const char *arg = argv[i];

      if (g_str_equal (arg, "--help") || g_str_equal (arg, "-h"))
        args->help = TRUE;
      else if (option_is (arg, "--reader"))
        {
          if (!take_value (argc, argv, &i, "--reader", &args->reader, error))
            return FALSE;
        }
      else if (option_is (arg, "--mrz"))
        {
          args->mrz_lines = g_ptr_array_new_with_free_func (g_free);
          if (arg[5] == '=')
            g_ptr_array_add (args->mrz_lines, g_strdup (arg + 6));
          /* Lines up to the next option: MRZ lines never start with "--" */
          while (i + 1 < argc && !g_str_has_prefix (argv[i + 1], "--") && args->mrz_lines->len < 3)
            g_ptr_array_add (args->mrz_lines, g_strdup (argv[++i]));
          if (args->mrz_lines->len == 0)
            {
              g_set_error (error, TP_ERROR, TP_ERROR_INVALID_ARGUMENT,
                           "--mrz needs the lines of the MRZ (two or three arguments)");
              return FALSE;
            }
        }
      else if (option_is (arg, "--doc"))
        {
          if (!take_value (argc, argv, &i, "--doc", &args->doc, error))
            return FALSE;
        }
      else if (option_is (arg, "--birth"))
        {
          if (!take_value (argc, argv, &i, "--birth", &args->birth, error))
            return FALSE;
        }
      else if (option_is (arg, "--expiry"))
        {
          if (!take_value (argc, argv, &i, "--expiry", &args->expiry, error))
            return FALSE;
        }
      else if (option_is (arg, "--can"))
        {
          if (!take_value (argc, argv, &i, "--can", &args->can, error))
            return FALSE;
        }
      else if (option_is (arg, "--trust"))
        {
          char *path = NULL;

          if (!take_value (argc, argv, &i, "--trust", &path, error))
            return FALSE;
          g_ptr_array_add (args->trust, path);
        }
      else if (option_is (arg, "--save-face"))
        {
          if (!take_value (argc, argv, &i, "--save-face", &args->save_face, error))
            return FALSE;
        }
      else if (g_str_equal (arg, "--bac"))
        args->bac = TRUE;
      else if (g_str_equal (arg, "--no-extended"))
        args->no_extended = TRUE;
      else if (g_str_equal (arg, "--accept-expired-ds"))
        args->accept_expired_ds = TRUE;
      else if (g_str_equal (arg, "--require-revocation"))
        args->require_revocation = TRUE;
      else if (option_is (arg, "--max-read"))
        {
          g_autofree char *value = NULL;
          guint64 n = 0;

          if (!take_value (argc, argv, &i, "--max-read", &value, error))
            return FALSE;
          if (!g_ascii_string_to_unsigned (value, 10, 1, 65536, &n, NULL))
            {
              g_set_error (error, TP_ERROR, TP_ERROR_INVALID_ARGUMENT,
                           "--max-read takes a number of bytes from 1 to 65536, not “%s”", value);
              return FALSE;
            }
          args->max_read = n;
        }
      else
        {
          g_set_error (error, TP_ERROR, TP_ERROR_INVALID_ARGUMENT, "Unknown argument “%s”", arg);
          return FALSE;
        }
    }

  if (args->help)
    return TRUE;
  if (args->reader == NULL)
    {
      g_set_error (error, TP_ERROR, TP_ERROR_INVALID_ARGUMENT,
                   "--reader is required (see `touchpoint-cli readers`)");
      return FALSE;
    }
  if ((args->mrz_lines != NULL) + (args->doc || args->birth || args->expiry) + (args->can != NULL) != 1)
    {
      g_set_error (error, TP_ERROR, TP_ERROR_INVALID_ARGUMENT,
                   "Give the access keys one way: --mrz LINE LINE [LINE], or --doc, --birth and "
                   "--expiry, or --can");
      return FALSE;
    }
  if ((args->doc || args->birth || args->expiry) && !(args->doc && args->birth && args->expiry))
    {
      g_set_error (error, TP_ERROR, TP_ERROR_INVALID_ARGUMENT,
                   "--doc, --birth and --expiry go together");
      return FALSE;
    }
  return TRUE;
}

/* An access key from standard input (`--mrz -`, `--can -`): at most
 * 4 KiB, trailing white space dropped. The caller wipes it. */
static char *
read_secret_stdin (const char  *option,
                   GError     **error)
{
  g_autoptr(GError) local = NULL;
  gsize len = 0;
  char *text = tp_cli_read_stdin (&len, &local);

  if (text == NULL)
    {
      g_set_error (error, TP_ERROR, TP_ERROR_INVALID_ARGUMENT, "%s -: cannot read standard input: %s",
                   option, local->message);
      return NULL;
    }
  if (len > 4096 || strlen (text) != len)
    {
      explicit_bzero (text, len);
      g_free (text);
      g_set_error (error, TP_ERROR, TP_ERROR_INVALID_ARGUMENT,
                   "%s -: standard input is not an access key (%s)", option,
                   len > 4096 ? "more than 4 KiB" : "NUL bytes");
      return NULL;
    }
  while (len > 0 && g_ascii_isspace (text[len - 1]))
    text[--len] = '\0';
  if (len == 0)
    {
      g_free (text);
      g_set_error (error, TP_ERROR, TP_ERROR_INVALID_ARGUMENT, "%s -: standard input is empty", option);
      return NULL;
    }
  return text;
}

static void
wipe_free (char *secret)
{
  if (secret != NULL)
    explicit_bzero (secret, strlen (secret));
  g_free (secret);
}

typedef char WipedString;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WipedString, wipe_free)

/* The reason member of a failed read, from its error */
static const char *
error_reason (const GError *error)
{
  if (error->domain == TP_TRANSPORT_ERROR)
    {
      switch ((TpTransportError) error->code)
        {
        case TP_TRANSPORT_ERROR_NO_CARD:
          return "no_card";
        case TP_TRANSPORT_ERROR_NO_READER:
        case TP_TRANSPORT_ERROR_INVALID_CONNSTRING:
          return "no_reader";
        case TP_TRANSPORT_ERROR_FAILED:
        default:
          return "communication_failure";
        }
    }
  if (g_error_matches (error, TP_CHIP_ERROR, TP_CHIP_ERROR_ACCESS_DENIED))
    return "wrong_access_keys";
  if (error->domain == TP_CHIP_ERROR &&
      (error->code == TP_CHIP_ERROR_PROTOCOL || error->code == TP_CHIP_ERROR_STATUS ||
       error->code == TP_CHIP_ERROR_SM_FAILURE || error->code == TP_CHIP_ERROR_UNSUPPORTED))
    return "chip_error";
  if (error->domain == TP_ERROR)
    return "usage";
  return "communication_failure";
}

static int
fail (const char   *reader,
      const GError *error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  const char *reason = error_reason (error);

  fprintf (stderr, "touchpoint-cli read: %s\n", error->message);
  json_builder_begin_object (b);
  tp_cli_add_string (b, "error", error->message);
  tp_cli_add_string (b, "reason", reason);
  tp_cli_add_string (b, "reader", reader);
  json_builder_end_object (b);
  tp_cli_print_builder (b);
  return 2;
}

static void
add_check (JsonBuilder  *b,
           const char   *name,
           TpCheckState  state)
{
  tp_cli_add_string (b, name, tp_check_state_to_string (state));
}

static void
add_file_size (JsonBuilder      *b,
               const TpDocument *doc,
               const char       *name,
               gboolean          always)
{
  const TpDocumentFile *file = tp_document_get_file (doc, name);

  if (file == NULL && !always)
    return;
  add_int (b, name, file && file->data ? (gint64) g_bytes_get_size (file->data) : 0);
}

static void
build_document_json (JsonBuilder      *b,
                     const char       *reader,
                     const TpDocument *doc)
{
  const TpPassiveAuthResult *pa = doc->passive_auth;
  g_autoptr(GPtrArray) read_errors = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) failures = NULL;

  json_builder_begin_object (b);
  tp_cli_add_string (b, "access", doc->access);
  tp_cli_add_string (b, "mapping", doc->mapping);
  tp_cli_add_string (b, "sm", doc->sm);

  json_builder_set_member_name (b, "dg1");
  if (doc->dg1 != NULL && doc->dg1->mrz != NULL)
    tp_cli_add_mrz_object (b, doc->dg1->mrz);
  else
    json_builder_add_null_value (b);

  json_builder_set_member_name (b, "files");
  json_builder_begin_object (b);
  add_file_size (b, doc, "COM", TRUE);
  add_file_size (b, doc, "SOD", TRUE);
  add_file_size (b, doc, "DG1", TRUE);
  add_file_size (b, doc, "DG2", TRUE);
  add_file_size (b, doc, "DG11", FALSE);
  add_file_size (b, doc, "DG12", FALSE);
  add_file_size (b, doc, "DG14", TRUE);
  add_file_size (b, doc, "DG15", TRUE);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "face");
  if (doc->face != NULL)
    {
      json_builder_begin_object (b);
      tp_cli_add_string (b, "format", tp_face_format_to_string (doc->face->format));
      add_int (b, "width", doc->face->width);
      add_int (b, "height", doc->face->height);
      add_int (b, "bytes", doc->face->image ? (gint64) g_bytes_get_size (doc->face->image) : 0);
      json_builder_end_object (b);
    }
  else
    json_builder_add_null_value (b);

  json_builder_set_member_name (b, "passive_auth");
  json_builder_begin_object (b);
  tp_cli_add_string (b, "result", tp_passive_auth_verdict_to_string (pa->verdict));
  add_bool (b, "signature", pa->signature);
  json_builder_set_member_name (b, "hashes");
  json_builder_begin_object (b);
  for (guint i = 0; pa->hashes != NULL && i < pa->hashes->len; i++)
    {
      const TpPassiveAuthHash *h = &g_array_index (pa->hashes, TpPassiveAuthHash, i);
      g_autofree char *name = g_strdup_printf ("DG%u", h->dg);

      /* Data groups the SOD lists but this terminal does not read (DG3,
       * DG4) have no verdict */
      if (h->status == TP_DG_HASH_NOT_READ)
        continue;
      add_bool (b, name, h->status == TP_DG_HASH_MATCH);
    }
  json_builder_end_object (b);
  add_bool (b, "chain", pa->chain);
  tp_cli_add_string (b, "csca", pa->csca_subject);
  tp_cli_add_string (b, "revocation", tp_revocation_status_to_string (pa->revocation));
  add_strings (b, "errors", pa->errors);
  /* Extras */
  add_strings (b, "warnings", pa->warnings);
  tp_cli_add_string (b, "chain_status", tp_chain_status_to_string (pa->chain_status));
  tp_cli_add_string (b, "hash_algorithm", pa->hash_algorithm);
  tp_cli_add_string (b, "signature_algorithm", pa->signature_algorithm);
  tp_cli_add_string (b, "document_signer", pa->ds_subject);
  add_bool (b, "ds_expired", pa->ds_expired);
  add_bool (b, "ds_profile", pa->ds_profile);
  tp_cli_add_string (b, "country", tp_country_check_to_string (pa->country));
  tp_cli_add_string (b, "issuing_state", pa->issuing_state);
  add_bool (b, "weak_algorithm", pa->weak_algorithm);
  tp_cli_add_string (b, "revocation_reason", pa->revocation_reason);
  json_builder_end_object (b);

  add_check (b, "chip_auth", doc->chip_auth);
  add_check (b, "active_auth", doc->active_auth);
  json_builder_set_member_name (b, "mrz_matches_dg1");
  if (doc->mrz_match == TP_CHECK_VALID || doc->mrz_match == TP_CHECK_FAILED)
    json_builder_add_boolean_value (b, doc->mrz_match == TP_CHECK_VALID);
  else
    json_builder_add_null_value (b);
  add_int (b, "apdus", doc->apdus);
  add_int (b, "bytes_in", (gint64) doc->bytes_in);
  add_int (b, "elapsed_ms", doc->elapsed_us / 1000);

  /* Extras */
  tp_cli_add_string (b, "reader", reader);
  add_bool (b, "verified", tp_document_is_verified (doc));
  tp_cli_add_string (b, "pace_protocol", doc->pace_protocol);
  tp_cli_add_string (b, "chip_auth_reason", doc->chip_auth_reason);
  tp_cli_add_string (b, "active_auth_reason", doc->active_auth_reason);
  tp_cli_add_string (b, "mrz_mismatch", doc->mrz_mismatch);
  add_bool (b, "extended_length", doc->extended_length);
  add_int (b, "read_size", (gint64) doc->read_size);
  tp_cli_add_string (b, "file_access", tp_file_access_to_string (doc->file_access));
  add_int (b, "bytes_out", (gint64) doc->bytes_out);
  add_int (b, "retries", doc->retries);
  add_int (b, "software_ms", (doc->elapsed_us - doc->transport_us) / 1000);
  add_int (b, "passive_auth_us", doc->passive_auth_us);
  for (guint i = 0; i < doc->files->len; i++)
    {
      const TpDocumentFile *file = g_ptr_array_index (doc->files, i);

      if (file->error != NULL)
        g_ptr_array_add (read_errors, g_strdup (file->error));
    }
  for (guint i = 0; i < doc->errors->len; i++)
    g_ptr_array_add (read_errors, g_strdup (g_ptr_array_index (doc->errors, i)));
  add_strings (b, "errors", read_errors);
  /* Why not verified (empty when verified), and what was found that does
   * not fail the document by itself */
  failures = tp_document_get_failures (doc);
  add_strings (b, "failures", failures);
  add_strings (b, "warnings", doc->warnings);
  add_bool (b, "downgrade", doc->downgraded);
  json_builder_end_object (b);
}

int
tp_cli_read (int    argc,
             char **argv)
{
  g_auto(ReadArgs) args = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(TpAccessKey) key = NULL;
  g_autoptr(TpTrustStore) trust = NULL;
  g_autoptr(TpTransport) transport = NULL;
  g_autoptr(TpReadOptions) options = NULL;
  g_autoptr(TpDocument) doc = NULL;
  g_autoptr(JsonBuilder) b = NULL;

  if (!parse_read_args (argc, argv, &args, &error))
    {
      fputs (read_usage, stderr);
      fputc ('\n', stderr);
      return fail (args.reader, error);
    }
  if (args.help)
    {
      fputs (read_usage, stdout);
      return 0;
    }

  if (args.mrz_lines != NULL && args.mrz_lines->len == 1 &&
      g_str_equal (g_ptr_array_index (args.mrz_lines, 0), "-"))
    {
      g_autoptr(WipedString) text = read_secret_stdin ("--mrz", &error);

      if (text != NULL)
        key = tp_access_key_new_from_mrz (text, &error);
    }
  else if (args.mrz_lines != NULL)
    {
      g_autofree char *text = NULL;

      g_ptr_array_add (args.mrz_lines, NULL);
      text = g_strjoinv ("\n", (char **) args.mrz_lines->pdata);
      g_ptr_array_remove_index (args.mrz_lines, args.mrz_lines->len - 1);
      key = tp_access_key_new_from_mrz (text, &error);
    }
  else if (args.can != NULL && g_str_equal (args.can, "-"))
    {
      g_autoptr(WipedString) text = read_secret_stdin ("--can", &error);

      if (text != NULL)
        key = tp_access_key_new_from_can (text, &error);
    }
  else if (args.can != NULL)
    key = tp_access_key_new_from_can (args.can, &error);
  else
    key = tp_access_key_new_from_fields (args.doc, args.birth, args.expiry, &error);
  if (key == NULL)
    return fail (args.reader, error);

  trust = tp_trust_store_new (TP_TRUST_STORE_FLAGS_NONE);
  for (guint i = 0; i < args.trust->len; i++)
    if (!tp_trust_store_add_path (trust, g_ptr_array_index (args.trust, i), &error))
      {
        g_autoptr(GError) usage = g_error_new (TP_ERROR, TP_ERROR_INVALID_ARGUMENT, "--trust %s: %s",
                                               (const char *) g_ptr_array_index (args.trust, i),
                                               error->message);

        return fail (args.reader, usage);
      }
  if (args.trust->len == 0)
    {
      /* The terminal's trust store (`trust import`), when there is one */
      g_autofree char *dir = tp_trust_dir_default_path ();

      if (!tp_trust_dir_load (trust, dir, TRUE, &error))
        {
          g_autoptr(GError) usage = g_error_new (TP_ERROR, TP_ERROR_INVALID_ARGUMENT,
                                                 "the trust store %s: %s", dir, error->message);

          return fail (args.reader, usage);
        }
    }

  quiet_libnfc ();
  transport = tp_transport_open (args.reader, &error);
  if (transport == NULL)
    return fail (args.reader, error);

  options = tp_read_options_new ();
  options->trust = trust;
  options->prefer_bac = args.bac;
  options->no_extended = args.no_extended;
  options->max_read = args.max_read;
  options->policy.accept_expired_ds = args.accept_expired_ds;
  options->policy.require_revocation = args.require_revocation;

  doc = tp_document_reader_read (transport, key, options, NULL, NULL, NULL, &error);
  if (doc == NULL)
    return fail (args.reader, error);

  if (args.save_face != NULL)
    {
      if (doc->face == NULL || doc->face->image == NULL)
        fprintf (stderr, "touchpoint-cli read: --save-face: the document has no face image to save\n");
      else if (!g_file_set_contents (args.save_face, g_bytes_get_data (doc->face->image, NULL),
                                     (gssize) g_bytes_get_size (doc->face->image), &error))
        {
          fprintf (stderr, "touchpoint-cli read: --save-face: %s\n", error->message);
          g_clear_error (&error);
        }
    }

  b = json_builder_new ();
  build_document_json (b, args.reader, doc);
  tp_cli_print_builder (b);
  return tp_document_is_verified (doc) ? 0 : 1;
}

/* ---- sim ---------------------------------------------------------------------- */

static const char sim_usage[] =
  "Usage: touchpoint-cli sim list\n"
  "       touchpoint-cli sim info SPEC\n"
  "       touchpoint-cli sim export-trust DIR\n"
  "       touchpoint-cli sim export-cases DIR\n"
  "\n"
  "The software chip (test fixture and demo device; reader sim:SPEC).\n"
  "  list          the profiles and quirks (SPEC is PROFILE[:QUIRK,...])\n"
  "  info SPEC     the document on that chip: its printed MRZ and CAN\n"
  "  export-trust DIR  write the test PKI's CSCA certificates and CRLs to DIR,\n"
  "                for `read --trust DIR`\n"
  "  export-cases DIR  write trust material as distributed (ICAO PKD LDIF, master\n"
  "                lists, PEM and DER certificates, CRLs), good and rogue, to DIR,\n"
  "                for the `trust import` tests\n";

static void
add_infos (JsonBuilder         *b,
           const char          *name,
           const TpSimChipInfo *infos,
           gsize                n)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_array (b);
  for (gsize i = 0; i < n; i++)
    {
      json_builder_begin_object (b);
      tp_cli_add_string (b, "name", infos[i].name);
      tp_cli_add_string (b, "summary", infos[i].summary);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

int
tp_cli_sim (int    argc,
            char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();

  if (argc >= 2 && (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h")))
    {
      fputs (sim_usage, stdout);
      return 0;
    }

  if (argc == 2 && g_str_equal (argv[1], "list"))
    {
      const TpSimChipInfo *infos;
      gsize n = 0;

      json_builder_begin_object (b);
      infos = tp_sim_chip_list_profiles (&n);
      add_infos (b, "profiles", infos, n);
      infos = tp_sim_chip_list_quirks (&n);
      add_infos (b, "quirks", infos, n);
      json_builder_end_object (b);
      tp_cli_print_builder (b);
      return 0;
    }

  if (argc == 3 && g_str_equal (argv[1], "info"))
    {
      g_autoptr(TpSimChip) chip = tp_sim_chip_new (argv[2], &error);
      g_auto(GStrv) lines = NULL;

      if (chip == NULL)
        {
          fprintf (stderr, "touchpoint-cli sim: %s\n", error->message);
          return 2;
        }
      lines = g_strsplit (tp_sim_chip_get_mrz (chip), "\n", -1);
      json_builder_begin_object (b);
      tp_cli_add_string (b, "spec", tp_sim_chip_get_spec (chip));
      json_builder_set_member_name (b, "mrz");
      json_builder_begin_array (b);
      for (guint i = 0; lines[i] != NULL; i++)
        json_builder_add_string_value (b, lines[i]);
      json_builder_end_array (b);
      tp_cli_add_string (b, "can", tp_sim_chip_get_can (chip));
      add_bool (b, "extended_length", tp_sim_chip_supports_extended (chip));
      json_builder_end_object (b);
      tp_cli_print_builder (b);
      return 0;
    }

  if (argc == 3 && g_str_equal (argv[1], "export-trust"))
    {
      if (!tp_sim_chip_export_trust (argv[2], &error))
        {
          fprintf (stderr, "touchpoint-cli sim: export-trust: %s\n", error->message);
          return 2;
        }
      json_builder_begin_object (b);
      tp_cli_add_string (b, "trust", argv[2]);
      json_builder_end_object (b);
      tp_cli_print_builder (b);
      return 0;
    }

  if (argc == 3 && g_str_equal (argv[1], "export-cases"))
    {
      if (!tp_test_rogue_write_cases (argv[2], &error))
        {
          fprintf (stderr, "touchpoint-cli sim: export-cases: %s\n", error->message);
          return 2;
        }
      json_builder_begin_object (b);
      tp_cli_add_string (b, "cases", argv[2]);
      json_builder_end_object (b);
      tp_cli_print_builder (b);
      return 0;
    }

  fputs (sim_usage, stderr);
  return 2;
}
