/* test-verify.c: what a forged or cloned chip cannot switch off
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reads of the in-process software chip whose quirks play a forger: an
 * EF.COM that hides DG14 and DG15, a chip that stops announcing extended
 * length or will not return its active authentication signature, data
 * groups the SOD lists and the chip withholds. The data groups EF.SOD
 * lists decide which protocols must hold; a document is verified only
 * when they did, and otherwise says why (tp_document_get_failures()).
 * The same cases over PC/SC and libnfc are in test-pcsc-transport.c and
 * test-nfc-transport.c.
 */
#include "config.h"

#include <string.h>

#include "tp-document-reader.h"
#include "tp-sim-chip.h"
#include "tp-sim-transport.h"
#include "tp-test-util.h"

static char *trust_dir;
static TpTrustStore *trust;

static TpDocument *
read_spec (const char    *spec,
           TpReadOptions *options)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *connstring = g_strconcat ("sim:", spec, NULL);
  g_autoptr(TpTransport) transport = tp_transport_open (connstring, &error);
  g_autoptr(TpAccessKey) key = tp_test_sim_key (spec);
  g_autoptr(TpReadOptions) defaults = tp_read_options_new ();
  TpDocument *doc;

  g_assert_no_error (error);
  defaults->trust = trust;
  doc = tp_document_reader_read (transport, key, options ? options : defaults,
                                 NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (doc);
  return doc;
}

/* One of the failures contains every one of the words */
static void
assert_failure (const TpDocument *doc,
                const char       *word,
                const char       *other_word)
{
  g_autoptr(GPtrArray) failures = tp_document_get_failures (doc);

  g_assert_false (tp_document_is_verified (doc));
  for (guint i = 0; i < failures->len; i++)
    {
      const char *line = g_ptr_array_index (failures, i);

      g_test_message ("failure: %s", line);
      if (strstr (line, word) != NULL && (other_word == NULL || strstr (line, other_word) != NULL))
        return;
    }
  g_error ("No failure mentions “%s”%s%s", word, other_word ? " and " : "", other_word ? other_word : "");
}

static gboolean
has_line (GPtrArray  *lines,
          const char *word)
{
  for (guint i = 0; i < lines->len; i++)
    if (strstr (g_ptr_array_index (lines, i), word) != NULL)
      return TRUE;
  return FALSE;
}

/* ---- 1. the signed list decides -------------------------------------------- */

/* A clone whose EF.COM leaves out DG14 and DG15 (EF.COM is not signed):
 * both are read because EF.SOD lists them, and both protocols catch it. */
static void
test_com_hides_protocols (void)
{
  g_autoptr(TpDocument) doc = read_spec ("full:clone,com-omits=DG14,com-omits=DG15", NULL);

  g_assert_cmpint (doc->chip_auth, ==, TP_CHECK_FAILED);
  g_assert_cmpint (doc->active_auth, ==, TP_CHECK_FAILED);
  g_assert_cmpint (doc->passive_auth->verdict, ==, TP_PASSIVE_AUTH_VALID);
  g_assert_nonnull (tp_document_get_file (doc, "DG14"));
  g_assert_nonnull (tp_document_get_file (doc, "DG15"));
  assert_failure (doc, "chip authentication", NULL);
  assert_failure (doc, "active authentication", NULL);
  g_assert_true (has_line (doc->warnings, "EF.COM does not list DG14, DG15"));
}

/* The genuine chip with the same EF.COM: verified, and the disagreement
 * between EF.COM and EF.SOD is reported. */
static void
test_com_disagrees (void)
{
  g_autoptr(TpDocument) doc = read_spec ("full:com-omits=DG15", NULL);

  g_assert_cmpint (doc->active_auth, ==, TP_CHECK_VALID);
  g_assert_true (tp_document_is_verified (doc));
  g_assert_true (has_line (doc->warnings, "EF.COM does not list DG15"));
}

/* DG15 listed in EF.SOD, withheld by the chip: active authentication
 * cannot run, and the document is not verified. */
static void
test_listed_not_read (gconstpointer data)
{
  const char *spec = data;
  g_autoptr(TpDocument) doc = read_spec (spec, NULL);

  if (strstr (spec, "DG15") != NULL)
    {
      g_assert_cmpint (doc->active_auth, ==, TP_CHECK_NOT_CHECKED);
      assert_failure (doc, "active authentication", "DG15");
    }
  else
    {
      g_assert_cmpint (doc->chip_auth, ==, TP_CHECK_NOT_CHECKED);
      assert_failure (doc, "chip authentication", "DG14");
    }
}

/* A terminal told not to run a protocol the SOD calls for does not call
 * the document verified either. */
static void
test_listed_not_run (void)
{
  g_autoptr(TpReadOptions) options = tp_read_options_new ();
  g_autoptr(TpDocument) doc = NULL;
  g_autoptr(TpDocument) doc2 = NULL;

  options->trust = trust;
  options->active_auth = FALSE;
  doc = read_spec ("full", options);
  g_assert_cmpint (doc->active_auth, ==, TP_CHECK_NOT_CHECKED);
  assert_failure (doc, "active authentication", "DG15");

  options->active_auth = TRUE;
  options->chip_auth = FALSE;
  doc2 = read_spec ("full", options);
  g_assert_cmpint (doc2->chip_auth, ==, TP_CHECK_NOT_CHECKED);
  assert_failure (doc2, "chip authentication", "DG14");
}

/* DG14 holding PACE infos only (no chip authentication key), signed: not
 * offered, and that is the issuer's word. */
static void
test_dg14_without_key (void)
{
  g_autoptr(TpDocument) doc = read_spec ("pace-im", NULL);
  g_autoptr(GPtrArray) failures = tp_document_get_failures (doc);

  g_assert_cmpint (doc->chip_auth, ==, TP_CHECK_NOT_SUPPORTED);
  g_assert_cmpint (tp_passive_auth_result_get_hash (doc->passive_auth, 14), ==, TP_DG_HASH_MATCH);
  g_assert_cmpuint (failures->len, ==, 0);
  g_assert_true (tp_document_is_verified (doc));
}

/* ---- 2. active authentication is never skipped ------------------------------- */

/* The genuine chip without extended length: the 2048-bit signature comes
 * back in pieces (61xx, GET RESPONSE) and verifies. */
static void
test_aa_chained (void)
{
  g_autoptr(TpDocument) doc = read_spec ("rsa-aa:no-extended", NULL);

  g_assert_false (doc->extended_length);
  g_assert_cmpint (doc->active_auth, ==, TP_CHECK_VALID);
  g_assert_true (tp_document_is_verified (doc));
}

/* A clone that stops announcing extended length: its signature, fetched in
 * pieces, does not verify. */
static void
test_aa_clone_chained (void)
{
  g_autoptr(TpDocument) doc = read_spec ("rsa-aa:clone,no-extended", NULL);

  g_assert_cmpint (doc->active_auth, ==, TP_CHECK_FAILED);
  assert_failure (doc, "active authentication failed", NULL);
}

/* A chip (clone or not) that neither takes extended length nor chains:
 * active authentication cannot run, the document is not verified, and the
 * reason says why. */
static void
test_aa_cannot_run (gconstpointer data)
{
  g_autoptr(TpDocument) doc = read_spec (data, NULL);

  g_assert_cmpint (doc->active_auth, ==, TP_CHECK_NOT_CHECKED);
  g_assert_nonnull (strstr (doc->active_auth_reason, "6700"));
  g_assert_nonnull (strstr (doc->active_auth_reason, "extended-length"));
  assert_failure (doc, "active authentication", "DG15");
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);
  tp_sim_transport_register ();

  trust_dir = g_dir_make_tmp ("tp-verify-trust-XXXXXX", &error);
  g_assert_no_error (error);
  if (!tp_sim_chip_export_trust (trust_dir, &error))
    g_error ("Cannot export the test PKI: %s", error->message);
  trust = tp_trust_store_new (TP_TRUST_STORE_FLAGS_NONE);
  if (!tp_trust_store_add_path (trust, trust_dir, &error))
    g_error ("Cannot load the test PKI: %s", error->message);

  g_test_add_func ("/verify/sod-decides/com-hides-dg14-dg15", test_com_hides_protocols);
  g_test_add_func ("/verify/sod-decides/com-disagrees", test_com_disagrees);
  g_test_add_data_func ("/verify/sod-decides/dg15-withheld", "full:missing=DG15", test_listed_not_read);
  g_test_add_data_func ("/verify/sod-decides/dg14-withheld", "full:missing=DG14", test_listed_not_read);
  g_test_add_func ("/verify/sod-decides/not-run", test_listed_not_run);
  g_test_add_func ("/verify/sod-decides/dg14-without-key", test_dg14_without_key);
  g_test_add_func ("/verify/active-auth/chained", test_aa_chained);
  g_test_add_func ("/verify/active-auth/clone-chained", test_aa_clone_chained);
  g_test_add_data_func ("/verify/active-auth/clone-cannot-run", "rsa-aa:clone,no-extended,no-chaining",
                        test_aa_cannot_run);
  g_test_add_data_func ("/verify/active-auth/cannot-run", "full:no-extended,no-chaining",
                        test_aa_cannot_run);

  ret = g_test_run ();

  tp_trust_store_free (trust);
  tp_test_remove_tree (trust_dir);
  g_free (trust_dir);
  return ret;
}
