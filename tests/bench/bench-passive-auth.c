/* bench-passive-auth.c: passive authentication time, per algorithm
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   bench-passive-auth [ITERATIONS]        default 200
 *
 * For a test document with a 20 KB JPEG 2000 DG2 (and COM, DG1, DG11,
 * DG12, DG14, DG15) signed by a Document Signer of each algorithm, times
 * tp_passive_auth_verify() alone — EF.SOD parsing, the CMS signature, the
 * data group hashes, the chain to the CSCA and the CRL lookup — against a
 * trust store holding every test CSCA and CRL (the target is 10 ms). Also
 * times the steps on their own for the P-256 document, and loading the
 * trust store from files. Prints median, mean and 95th percentile.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gstdio.h>

#include "bench-util.h"
#include "tp-passive-auth.h"
#include "tp-sod.h"
#include "tp-test-document.h"
#include "tp-trust-store.h"

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y ? 1 : 0;
}

static void
report (const char *label,
        GArray     *ms)
{
  double sum = 0;

  g_array_sort (ms, compare_doubles);
  for (guint i = 0; i < ms->len; i++)
    sum += g_array_index (ms, double, i);
  printf ("  %-28s median %7.3f ms   mean %7.3f ms   p95 %7.3f ms\n", label,
          g_array_index (ms, double, ms->len / 2), sum / ms->len,
          g_array_index (ms, double, (ms->len * 95) / 100));
}

int
main (int    argc,
      char **argv)
{
  guint iterations = argc > 1 ? (guint) atoi (argv[1]) : 200;
  g_autofree char *machine = tp_bench_machine ();
  g_autoptr(TpTestPki) pki = tp_test_pki_new (NULL);
  g_autoptr(TpTrustStore) store = tp_trust_store_new (TP_TRUST_STORE_FLAGS_NONE);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *trust = NULL;
  gsize n_types;
  const TpTestKeyType *types = tp_test_signature_key_types (&n_types);

  if (iterations == 0)
    iterations = 200;

  dir = g_dir_make_tmp ("bench-passive-auth-XXXXXX", &error);
  g_assert_no_error (error);
  trust = g_build_filename (dir, "trust", NULL);
  if (!tp_test_pki_write_trust (pki, trust, TP_TEST_TRUST_CERTIFICATES, &error) ||
      !tp_trust_store_add_path (store, trust, &error))
    g_error ("%s", error->message);

  printf ("passive authentication, %u iterations each (%s; OpenSSL %s)\n",
          iterations, machine, OpenSSL_version (OPENSSL_VERSION_STRING));

  for (gsize t = 0; t < n_types; t++)
    {
      TpTestDocumentOptions o;
      g_autoptr(TpTestDocument) doc = NULL;
      g_autoptr(GArray) ms = g_array_new (FALSE, FALSE, sizeof (double));
      g_autofree char *label = NULL;

      tp_test_document_options_init (&o);
      o.signer_key = types[t];
      o.digest = g_str_has_suffix (tp_test_key_type_to_string (types[t]), "384") ? "SHA384" : "SHA256";
      doc = tp_test_pki_make_document (pki, &o, &error);
      g_assert_no_error (error);

      for (guint i = 0; i < iterations + 10; i++)
        {
          gint64 start = g_get_monotonic_time ();
          g_autoptr(TpPassiveAuthResult) r = tp_passive_auth_verify (doc->files, store, NULL);
          double elapsed = (g_get_monotonic_time () - start) / 1000.0;

          if (r->verdict != TP_PASSIVE_AUTH_VALID)
            g_error ("%s: not valid", tp_test_key_type_to_string (types[t]));
          if (i >= 10)
            g_array_append_val (ms, elapsed);
        }
      label = g_strdup_printf ("%s, %s, DG2 %" G_GSIZE_FORMAT " B", tp_test_key_type_to_string (types[t]),
                               o.digest, g_bytes_get_size (tp_lds_files_get (doc->files, TP_LDS_FID_DG2)));
      report (label, ms);
    }

  /* the steps, for P-256 */
  {
    TpTestDocumentOptions o;
    g_autoptr(TpTestDocument) doc = NULL;
    g_autoptr(GArray) parse = g_array_new (FALSE, FALSE, sizeof (double));
    g_autoptr(GArray) signature = g_array_new (FALSE, FALSE, sizeof (double));
    g_autoptr(GArray) chain = g_array_new (FALSE, FALSE, sizeof (double));
    g_autoptr(GArray) hash = g_array_new (FALSE, FALSE, sizeof (double));
    g_autoptr(GArray) load = g_array_new (FALSE, FALSE, sizeof (double));
    GBytes *sod_bytes;
    GBytes *dg2;

    tp_test_document_options_init (&o);
    doc = tp_test_pki_make_document (pki, &o, &error);
    g_assert_no_error (error);
    sod_bytes = tp_lds_files_get (doc->files, TP_LDS_FID_SOD);
    dg2 = tp_lds_files_get (doc->files, TP_LDS_FID_DG2);

    for (guint i = 0; i < iterations; i++)
      {
        gint64 t0 = g_get_monotonic_time (), t1, t2, t3, t4;
        g_autoptr(TpSod) sod = tp_sod_parse (g_bytes_get_data (sod_bytes, NULL), g_bytes_get_size (sod_bytes), NULL);
        g_autoptr(TpTrustChain) c = NULL;
        unsigned char md[EVP_MAX_MD_SIZE];
        unsigned int md_len;
        double v;

        t1 = g_get_monotonic_time ();
        if (!tp_sod_verify_signature (sod, NULL, NULL))
          g_error ("signature");
        t2 = g_get_monotonic_time ();
        c = tp_trust_store_verify (store, sod->document_signer, NULL, NULL);
        t3 = g_get_monotonic_time ();
        EVP_Digest (g_bytes_get_data (dg2, NULL), g_bytes_get_size (dg2), md, &md_len, EVP_sha256 (), NULL);
        t4 = g_get_monotonic_time ();
        v = (t1 - t0) / 1000.0;
        g_array_append_val (parse, v);
        v = (t2 - t1) / 1000.0;
        g_array_append_val (signature, v);
        v = (t3 - t2) / 1000.0;
        g_array_append_val (chain, v);
        v = (t4 - t3) / 1000.0;
        g_array_append_val (hash, v);
      }
    for (guint i = 0; i < MAX (iterations / 10, 5); i++)
      {
        gint64 t0 = g_get_monotonic_time ();
        g_autoptr(TpTrustStore) s = tp_trust_store_new (TP_TRUST_STORE_FLAGS_NONE);
        double v;

        tp_trust_store_add_path (s, trust, NULL);
        v = (g_get_monotonic_time () - t0) / 1000.0;
        g_array_append_val (load, v);
      }
    printf ("steps for p256:\n");
    report ("parse EF.SOD", parse);
    report ("CMS signature", signature);
    report ("chain + CRL", chain);
    report ("SHA-256 of the 20 KB DG2", hash);
    printf ("trust store:\n");
    report ("load 7 CSCAs + 7 CRLs", load);
  }

  /* clean up the temporary trust store */
  {
    g_autoptr(GDir) d = g_dir_open (trust, 0, NULL);
    const char *name;

    while (d != NULL && (name = g_dir_read_name (d)) != NULL)
      {
        g_autofree char *path = g_build_filename (trust, name, NULL);

        g_unlink (path);
      }
    g_rmdir (trust);
    g_rmdir (dir);
  }
  return 0;
}
