/* tp-cli-trust.c: `touchpoint-cli trust import|list`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * trust import [--store DIR] FILE...
 *     Takes CSCA certificates, master lists, Document Signer certificates
 *     and CRLs (ICAO PKD LDIF, CMS master lists, PEM or DER) into the
 *     terminal's trust store (tp-trust-dir.h). One JSON line:
 *     {"store": DIR, "files": [{"file", "format", "anchors", "master_lists",
 *      "list_anchors", "document_signers", "crls", "known", "refused",
 *      "messages"}], "anchors": N, ...totals of the store after the import}.
 *     Exit 0 everything taken, 1 something refused (the rest is taken),
 *     2 nothing done (a file unreadable or holding no trust material).
 * trust list [--store DIR]
 *     The store's anchors (subject, country, expiry) and counts; exit 0, or
 *     2 when the store cannot be loaded.
 */
#include "config.h"

#include <stdio.h>

#include "tp-cli.h"
#include "tp-trust-dir.h"

static const char trust_usage[] =
  "Usage: touchpoint-cli trust import [--store DIR] FILE...\n"
  "       touchpoint-cli trust list [--store DIR]\n"
  "\n"
  "The terminal's trust store: CSCAs, master lists, Document Signers and CRLs that\n"
  "`read` and `demo` verify passports against.\n"
  "  import FILE...  take ICAO PKD LDIF downloads, CMS master lists, PEM or DER\n"
  "                  certificates and CRLs. A master list counts when its signature\n"
  "                  verifies and its signer is a master-list signer issued by a CSCA\n"
  "                  of the store (or of this import); only its CSCAs become anchors.\n"
  "                  A CSCA certificate in an LDIF file is no anchor (LDIF is not\n"
  "                  signed). Exit status: 0 everything taken, 1 something refused,\n"
  "                  2 nothing done\n"
  "  list            the anchors and counts\n"
  "  --store DIR     the store (default $TOUCHPOINT_TRUST_DIR, else\n"
  "                  $XDG_DATA_HOME/touchpoint/trust)\n";

static void
add_uint (JsonBuilder *b,
          const char  *name,
          guint        value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, value);
}

/* Totals of the store at @dir */
static gboolean
add_totals (JsonBuilder  *b,
            const char   *dir,
            gboolean      list_anchors,
            GError      **error)
{
  g_autoptr(TpTrustStore) store = tp_trust_store_new (TP_TRUST_STORE_FLAGS_NONE);
  GPtrArray *sources;
  guint lists = 0, others = 0, crls = 0;

  if (!tp_trust_dir_load (store, dir, TRUE, error))
    return FALSE;
  sources = tp_trust_store_get_sources (store);
  for (guint i = 0; i < sources->len; i++)
    {
      const TpTrustSource *source = g_ptr_array_index (sources, i);

      lists += source->kind == TP_TRUST_SOURCE_MASTER_LIST && source->accepted;
      others += source->n_other;
      crls += source->n_crls;
    }
  add_uint (b, "anchors", tp_trust_store_get_n_anchors (store));
  add_uint (b, "master_lists", lists);
  add_uint (b, "document_signers", others);
  add_uint (b, "crls", crls);
  if (list_anchors)
    {
      GPtrArray *anchors = tp_trust_store_get_anchors (store);

      json_builder_set_member_name (b, "csca");
      json_builder_begin_array (b);
      for (guint i = 0; i < anchors->len; i++)
        {
          X509 *cert = g_ptr_array_index (anchors, i);
          g_autofree char *subject = tp_x509_name_to_string (X509_get_subject_name (cert));
          const ASN1_TIME *not_after = X509_get0_notAfter (cert);
          struct tm tm;
          char when[32] = "";

          if (ASN1_TIME_to_tm (not_after, &tm))
            g_snprintf (when, sizeof when, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
          json_builder_begin_object (b);
          tp_cli_add_string (b, "subject", subject);
          tp_cli_add_string (b, "not_after", when);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
    }
  return TRUE;
}

static int
trust_import (const char *dir,
              char      **files)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) imports = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  guint refused = 0;

  imports = tp_trust_dir_import (dir, (const char * const *) files, &error);
  if (imports == NULL)
    {
      fprintf (stderr, "touchpoint-cli trust: %s\n", error->message);
      json_builder_begin_object (b);
      tp_cli_add_string (b, "error", error->message);
      json_builder_end_object (b);
      tp_cli_print_builder (b);
      return 2;
    }

  json_builder_begin_object (b);
  tp_cli_add_string (b, "store", dir);
  json_builder_set_member_name (b, "files");
  json_builder_begin_array (b);
  for (guint i = 0; i < imports->len; i++)
    {
      const TpTrustImport *import = g_ptr_array_index (imports, i);

      json_builder_begin_object (b);
      tp_cli_add_string (b, "file", import->file);
      tp_cli_add_string (b, "format", import->format);
      add_uint (b, "anchors", import->anchors);
      add_uint (b, "master_lists", import->master_lists);
      add_uint (b, "list_anchors", import->list_anchors);
      add_uint (b, "document_signers", import->document_signers);
      add_uint (b, "crls", import->crls);
      add_uint (b, "known", import->known);
      add_uint (b, "refused", import->refused);
      json_builder_set_member_name (b, "messages");
      json_builder_begin_array (b);
      for (guint m = 0; m < import->messages->len; m++)
        {
          g_autofree char *valid = g_utf8_make_valid (g_ptr_array_index (import->messages, m), -1);

          json_builder_add_string_value (b, valid);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
      refused += import->refused;
    }
  json_builder_end_array (b);
  if (!add_totals (b, dir, FALSE, &error))
    {
      fprintf (stderr, "touchpoint-cli trust: %s\n", error->message);
      return 2;
    }
  json_builder_end_object (b);
  tp_cli_print_builder (b);
  return refused > 0 ? 1 : 0;
}

static int
trust_list (const char *dir)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  tp_cli_add_string (b, "store", dir);
  if (!add_totals (b, dir, TRUE, &error))
    {
      fprintf (stderr, "touchpoint-cli trust: %s\n", error->message);
      return 2;
    }
  json_builder_end_object (b);
  tp_cli_print_builder (b);
  return 0;
}

int
tp_cli_trust (int    argc,
              char **argv)
{
  g_autofree char *store = NULL;
  g_autoptr(GPtrArray) files = g_ptr_array_new ();
  const char *command = NULL;

  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--help") || g_str_equal (argv[i], "-h"))
        {
          fputs (trust_usage, stdout);
          return 0;
        }
      if (g_str_equal (argv[i], "--store") && i + 1 < argc)
        {
          g_free (store);
          store = g_strdup (argv[++i]);
        }
      else if (g_str_has_prefix (argv[i], "--store="))
        {
          g_free (store);
          store = g_strdup (argv[i] + 8);
        }
      else if (g_str_has_prefix (argv[i], "--"))
        {
          fprintf (stderr, "touchpoint-cli trust: unknown option “%s”\n\n%s", argv[i], trust_usage);
          return 2;
        }
      else if (command == NULL)
        command = argv[i];
      else
        g_ptr_array_add (files, argv[i]);
    }
  if (store == NULL)
    store = tp_trust_dir_default_path ();
  g_ptr_array_add (files, NULL);

  if (g_strcmp0 (command, "import") == 0 && files->len > 1)
    return trust_import (store, (char **) files->pdata);
  if (g_strcmp0 (command, "list") == 0 && files->len == 1)
    return trust_list (store);

  fputs (trust_usage, stderr);
  return 2;
}
