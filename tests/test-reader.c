/* test-reader.c: full document reads from the in-process software chip
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every profile and quirk of the software chip through the sim transport,
 * the negative cases (wrong keys, tampered data, bad signers, clones,
 * chips that answer garbage or lie), and TpReader's worker: results,
 * progress and card events on the caller's main context.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "tp-chip-auth.h"
#include "tp-chip-error.h"
#include "tp-document-reader.h"
#include "tp-error.h"
#include "tp-reader.h"
#include "tp-sim-transport.h"
#include "tp-test-util.h"

static TpTrustStore *trust;

static TpTransport *
open_sim (const char *spec)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *connstring = g_strconcat ("sim:", spec, NULL);
  TpTransport *transport = tp_transport_open (connstring, &error);

  g_assert_no_error (error);
  g_assert_true (TP_IS_SIM_TRANSPORT (transport));
  return transport;
}

static TpAccessKey *
key_for (TpTransport *transport)
{
  g_autoptr(GError) error = NULL;
  TpSimChip *chip = tp_sim_transport_get_chip (TP_SIM_TRANSPORT (transport));
  TpAccessKey *key = tp_access_key_new_from_mrz (tp_sim_chip_get_mrz (chip), &error);

  g_assert_no_error (error);
  return key;
}

static TpReadOptions *
default_options (void)
{
  TpReadOptions *options = tp_read_options_new ();

  options->trust = trust;
  return options;
}

/* Reads spec with its own MRZ; NULL with error set when the read fails. */
static TpDocument *
read_sim (const char           *spec,
          const TpReadOptions  *options,
          GError              **error)
{
  g_autoptr(TpTransport) transport = open_sim (spec);
  g_autoptr(TpAccessKey) key = key_for (transport);
  g_autoptr(TpReadOptions) defaults = default_options ();

  return tp_document_reader_read (transport, key, options ? options : defaults,
                                  NULL, NULL, NULL, error);
}

static void
assert_file_read (const TpDocument *doc,
                  const char       *name)
{
  const TpDocumentFile *file = tp_document_get_file (doc, name);

  g_assert_nonnull (file);
  g_assert_nonnull (file->data);
  g_assert_null (file->error);
}

/* ---- profiles ------------------------------------------------------------ */

typedef struct {
  const char *spec;
  const char *access;
  const char *mapping;
  const char *sm;
  TpCheckState chip_auth;
  TpCheckState active_auth;
  gboolean     dg11;
} ProfileCase;

static const ProfileCase profile_cases[] = {
  { "bac-3des", "BAC", NULL, "3DES", TP_CHECK_NOT_SUPPORTED, TP_CHECK_NOT_SUPPORTED, FALSE },
  { "pace-ecdh-aes128", "PACE", "GM", "AES-128", TP_CHECK_VALID, TP_CHECK_NOT_SUPPORTED, FALSE },
  { "pace-dh-3des", "PACE", "GM", "3DES", TP_CHECK_VALID, TP_CHECK_NOT_SUPPORTED, FALSE },
  { "pace-ecdh-aes256-p384", "PACE", "GM", "AES-256", TP_CHECK_VALID, TP_CHECK_NOT_SUPPORTED, FALSE },
  { "pace-ecdh-aes192-bp384", "PACE", "GM", "AES-192", TP_CHECK_VALID, TP_CHECK_NOT_SUPPORTED, FALSE },
  { "pace-im", "PACE", "IM", "AES-128", TP_CHECK_NOT_SUPPORTED, TP_CHECK_NOT_SUPPORTED, FALSE },
  { "rsa-aa", "BAC", NULL, "3DES", TP_CHECK_NOT_SUPPORTED, TP_CHECK_VALID, FALSE },
  { "ecdsa-aa", "BAC", NULL, "3DES", TP_CHECK_NOT_SUPPORTED, TP_CHECK_VALID, FALSE },
  { "ca-ecdh", "BAC", NULL, "3DES", TP_CHECK_VALID, TP_CHECK_NOT_SUPPORTED, FALSE },
  { "full", "PACE", "GM", "AES-128", TP_CHECK_VALID, TP_CHECK_VALID, TRUE },
  { "pace-ca-aa", "PACE", "GM", "AES-128", TP_CHECK_VALID, TP_CHECK_VALID, FALSE },
};

static void
test_profile (gconstpointer data)
{
  const ProfileCase *c = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TpDocument) doc = read_sim (c->spec, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (doc->access, ==, c->access);
  g_assert_cmpstr (doc->mapping, ==, c->mapping);
  g_assert_cmpstr (doc->sm, ==, c->sm);
  g_assert_cmpint (doc->chip_auth, ==, c->chip_auth);
  g_assert_cmpint (doc->active_auth, ==, c->active_auth);
  g_assert_cmpint (doc->mrz_match, ==, TP_CHECK_VALID);
  g_assert_cmpint (doc->passive_auth->verdict, ==, TP_PASSIVE_AUTH_VALID);
  g_assert_true (doc->passive_auth->signature);
  g_assert_true (doc->passive_auth->chain);
  g_assert_cmpint (tp_passive_auth_result_get_hash (doc->passive_auth, 1), ==, TP_DG_HASH_MATCH);
  g_assert_cmpint (tp_passive_auth_result_get_hash (doc->passive_auth, 2), ==, TP_DG_HASH_MATCH);
  g_assert_true (tp_document_is_verified (doc));
  g_assert_cmpuint (doc->errors->len, ==, 0);

  assert_file_read (doc, "COM");
  assert_file_read (doc, "SOD");
  assert_file_read (doc, "DG1");
  assert_file_read (doc, "DG2");
  g_assert_nonnull (doc->dg1);
  g_assert_nonnull (doc->face);
  g_assert_cmpuint (doc->face->width, ==, 480);
  g_assert_cmpuint (doc->face->height, ==, 640);
  g_assert_true ((doc->dg11 != NULL) == c->dg11);
  g_assert_true (doc->extended_length);
  g_assert_cmpuint (doc->retries, ==, 0);
  /* Extended reads: a handful of APDUs, whatever the file sizes */
  g_assert_cmpuint (doc->apdus, <=, 20);
  g_assert_cmpuint (doc->bytes_in, >, 20000);
}

/* DH chip authentication (pace-dh-3des): DG14 publishes an X9.42 DH key
 * (dhpublicnumber), the chip proves it holds its private half, and a clone
 * with another DH key fails */
static void
test_chip_auth_dh (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpDocument) doc = read_sim ("pace-dh-3des", NULL, &error);
  g_autoptr(TpDocument) clone = NULL;
  g_autoptr(TpSecurityInfos) infos = NULL;
  const TpDocumentFile *dg14;
  const TpChipAuthPublicKey *pk;

  g_assert_no_error (error);
  g_assert_cmpint (doc->chip_auth, ==, TP_CHECK_VALID);
  g_assert_null (doc->chip_auth_reason);
  g_assert_cmpstr (doc->sm, ==, "3DES");
  g_assert_true (tp_document_is_verified (doc));

  assert_file_read (doc, "DG14");
  dg14 = tp_document_get_file (doc, "DG14");
  infos = tp_security_infos_parse (g_bytes_get_data (dg14->data, NULL),
                                   g_bytes_get_size (dg14->data), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (infos->ca_public_keys->len, ==, 1);
  pk = g_ptr_array_index (infos->ca_public_keys, 0);
  g_assert_cmpstr (pk->oid, ==, TP_OID_PK_DH);
  g_assert_true (EVP_PKEY_is_a (pk->key, "DHX"));
  g_assert_cmpint (EVP_PKEY_get_bits (pk->key), ==, 2048);
  g_assert_cmpuint (infos->ca_infos->len, ==, 1);
  g_assert_cmpstr (((TpChipAuthInfo *) g_ptr_array_index (infos->ca_infos, 0))->oid, ==,
                   tp_chip_auth_oid (FALSE, TP_SM_CIPHER_3DES));

  clone = read_sim ("pace-dh-3des:clone", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (clone->chip_auth, ==, TP_CHECK_FAILED);
  g_assert_nonnull (clone->chip_auth_reason);
  g_assert_cmpint (clone->passive_auth->verdict, ==, TP_PASSIVE_AUTH_VALID);
  g_assert_false (tp_document_is_verified (clone));
}

/* ---- quirks ------------------------------------------------------------------ */

typedef struct {
  const char *spec;
  gboolean    extended;
  gsize       read_size;   /* 0: do not check */
  guint       retries;
} QuirkCase;

static const QuirkCase quirk_cases[] = {
  { "pace-ecdh-aes128:no-extended", FALSE, 223, 0 },
  { "bac-3des:no-extended", FALSE, 231, 0 },
  { "pace-ecdh-aes128:max-le=128", TRUE, 128, 0 },
  { "bac-3des:no-extended,max-le=100", FALSE, 96, 0 },
  { "pace-ecdh-aes128:6cxx", TRUE, 223, 0 },
  { "bac-3des:no-extended,6cxx,max-le=160", FALSE, 160, 0 },
  { "pace-ecdh-aes128:no-sfi", TRUE, 0, 0 },
  { "bac-3des:no-extended,no-sfi,eof-9000", FALSE, 231, 0 },
  { "pace-ecdh-aes128:drop-field", TRUE, 0, 1 },
  { "pace-ecdh-aes128:no-extended,drop-field=2", FALSE, 223, 2 },
  { "full:drop-field,no-sfi", TRUE, 0, 1 },
  { "ca-ecdh:drop-field", TRUE, 0, 1 },
  { "pace-ecdh-aes128:no-bac", TRUE, 0, 0 },
  { "ecdsa-aa:no-extended", FALSE, 231, 0 },
  /* DG2 past 32 KB: the end of it comes with READ BINARY B1 */
  { "bac-3des:no-extended,dg2-size=45000", FALSE, 231, 0 },
  { "pace-ecdh-aes128:no-extended,dg2-size=45000,drop-field", FALSE, 223, 1 },
  { "pace-ecdh-aes128:dg2-size=45000,max-le=1000", TRUE, 512, 0 },
  { "pace-ecdh-aes128:max-le=1000,6cxx", TRUE, 1000 & 0xFF, 0 },
};

static void
test_quirk (gconstpointer data)
{
  const QuirkCase *c = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TpDocument) doc = read_sim (c->spec, NULL, &error);

  g_assert_no_error (error);
  g_assert_true (tp_document_is_verified (doc));
  g_assert_cmpint (doc->passive_auth->verdict, ==, TP_PASSIVE_AUTH_VALID);
  g_assert_true (doc->extended_length == c->extended);
  if (c->read_size != 0)
    g_assert_cmpuint (doc->read_size, ==, c->read_size);
  g_assert_cmpuint (doc->retries, ==, c->retries);
  g_assert_nonnull (doc->face);
}

/* A chip that refuses READ BINARY by short EF identifier, with any of the
 * statuses chips use for it (JMRTD and NFCPassportReader select by
 * default, so such chips exist): the files are selected, the choice is
 * made once for the whole read (a reconnect included), and the read says
 * so. */
static void
test_sfi_refused (void)
{
  static const char *statuses[] = { "6986", "6A82", "6A86", "6D00", "6E00" };
  static const char *profiles[] = {
    "pace-ecdh-aes128", "bac-3des:no-extended", "full:drop-field", "ca-ecdh",
  };

  for (gsize p = 0; p < G_N_ELEMENTS (profiles); p++)
    for (gsize i = 0; i < G_N_ELEMENTS (statuses); i++)
      {
        g_autofree char *spec = g_strdup_printf ("%s%sno-sfi=%s", profiles[p],
                                                 strchr (profiles[p], ':') ? "," : ":", statuses[i]);
        g_autoptr(TpTransport) transport = open_sim (spec);
        TpSimChip *chip = tp_sim_transport_get_chip (TP_SIM_TRANSPORT (transport));
        g_autoptr(TpAccessKey) key = key_for (transport);
        g_autoptr(TpReadOptions) options = default_options ();
        g_autoptr(GError) error = NULL;
        g_autoptr(TpDocument) doc = NULL;

        g_test_message ("%s", spec);
        doc = tp_document_reader_read (transport, key, options, NULL, NULL, NULL, &error);
        g_assert_no_error (error);
        g_assert_true (tp_document_is_verified (doc));
        assert_file_read (doc, "COM");
        assert_file_read (doc, "DG2");
        g_assert_cmpint (doc->file_access, ==, TP_FILE_ACCESS_SELECT);
        g_assert_cmpstr (tp_file_access_to_string (doc->file_access), ==, "select");
        g_assert_cmpuint (doc->warnings->len, ==, 1);
        g_assert_nonnull (strstr (g_ptr_array_index (doc->warnings, 0), statuses[i]));
        /* Remembered: one refusal, whatever the number of files and the
         * reconnects; 6A82 also means "no such file", so a chip without
         * EF.ATR/INFO or EF.CardAccess that answers 6A82 is only known to
         * refuse once SELECT finds a file it refused */
        if (g_str_equal (statuses[i], "6A82"))
          g_assert_cmpuint (tp_sim_chip_get_sfi_refusals (chip), <=, 3);
        else
          g_assert_cmpuint (tp_sim_chip_get_sfi_refusals (chip), ==, 1);
        /* PACE is still found through EF.CardAccess */
        if (g_str_has_prefix (profiles[p], "pace") || g_str_has_prefix (profiles[p], "full"))
          g_assert_cmpstr (doc->access, ==, "PACE");
      }

  /* A chip that reads by SFI: no warning, "sfi", and a file it does not
   * have (6A82 to its SFI and to SELECT) does not change that */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(TpDocument) doc = read_sim ("bac-3des:missing=DG2", NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpint (doc->file_access, ==, TP_FILE_ACCESS_SFI);
    g_assert_cmpstr (tp_file_access_to_string (doc->file_access), ==, "sfi");
    g_assert_cmpuint (doc->warnings->len, ==, 0);
  }
}

/* The plain status word after a protected answer is not under the MAC;
 * DO'99' is. A chip whose plain status says something else (9000 after
 * an end of file, or 6282 after every answer) is read on the
 * authenticated status, with a warning, instead of failing after every
 * retry. */
static void
test_plain_status_differs (void)
{
  static const char *specs[] = {
    "pace-ecdh-aes128:plain-sw=9000", "bac-3des:plain-sw=6282,no-extended",
    "full:plain-sw=9000,no-sfi=6986", "bac-3des:plain-sw=9000,missing=DG11",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (specs); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TpDocument) doc = read_sim (specs[i], NULL, &error);
      gboolean found = FALSE;

      g_test_message ("%s", specs[i]);
      g_assert_no_error (error);
      g_assert_true (tp_document_is_verified (doc));
      g_assert_cmpuint (doc->retries, ==, 0);
      assert_file_read (doc, "DG2");
      for (guint w = 0; w < doc->warnings->len; w++)
        if (strstr (g_ptr_array_index (doc->warnings, w), "DO'99'") != NULL)
          found = TRUE;
      g_assert_true (found);
    }
}

static void
test_offsets_beyond_32k (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpReadOptions) options = default_options ();
  g_autoptr(TpDocument) doc = NULL;

  /* DG2 of the software chip is 20 KB: with 160-byte reads the last
   * offsets are below 32 KB, so this checks that no B1 is sent; the odd
   * INS path is covered by the fuzz target and the chip tests. */
  options->max_read = 160;
  doc = read_sim ("bac-3des", options, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (doc->read_size, ==, 160);
  g_assert_true (tp_document_is_verified (doc));
}

static void
test_short_reader (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpTransport) transport = open_sim ("full");
  g_autoptr(TpAccessKey) key = key_for (transport);
  g_autoptr(TpReadOptions) options = default_options ();
  g_autoptr(TpDocument) doc = NULL;

  /* A reader without extended length, a chip with: short reads, and the
   * 2048-bit AA signature comes back in pieces (61xx, GET RESPONSE). */
  tp_sim_transport_set_reader_extended (TP_SIM_TRANSPORT (transport), FALSE);
  doc = tp_document_reader_read (transport, key, options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (doc->extended_length);
  g_assert_cmpuint (doc->read_size, ==, 223);
  g_assert_cmpint (doc->chip_auth, ==, TP_CHECK_VALID);
  g_assert_cmpint (doc->active_auth, ==, TP_CHECK_VALID);
  g_assert_cmpint (doc->passive_auth->verdict, ==, TP_PASSIVE_AUTH_VALID);
  g_assert_true (tp_document_is_verified (doc));
}

static void
test_max_read (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpReadOptions) options = default_options ();
  g_autoptr(TpDocument) doc = NULL;

  options->max_read = 223;
  options->no_extended = TRUE;
  doc = read_sim ("pace-ecdh-aes128", options, &error);
  g_assert_no_error (error);
  g_assert_false (doc->extended_length);
  g_assert_cmpuint (doc->read_size, ==, 223);
  /* 20 KB of DG2 in 223-byte pieces */
  g_assert_cmpuint (doc->apdus, >, 90);
  g_assert_true (tp_document_is_verified (doc));
}

/* ---- keys -------------------------------------------------------------------- */

static void
test_key_fields (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpTransport) transport = open_sim ("bac-3des");
  g_autoptr(TpAccessKey) from_mrz = key_for (transport);
  g_autoptr(TpAccessKey) key = NULL;
  g_autoptr(TpReadOptions) options = default_options ();
  g_autoptr(TpDocument) doc = NULL;

  key = tp_access_key_new_from_fields (from_mrz->document_number, from_mrz->birth_date,
                                       from_mrz->expiry_date, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (key->mrz_info, ==, from_mrz->mrz_info);
  doc = tp_document_reader_read (transport, key, options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (doc->mrz_match, ==, TP_CHECK_VALID);
  g_assert_true (tp_document_is_verified (doc));
}

static void
test_key_can (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpTransport) transport = open_sim ("pace-ecdh-aes128");
  TpSimChip *chip = tp_sim_transport_get_chip (TP_SIM_TRANSPORT (transport));
  g_autoptr(TpAccessKey) key = tp_access_key_new_from_can (tp_sim_chip_get_can (chip), &error);
  g_autoptr(TpReadOptions) options = default_options ();
  g_autoptr(TpDocument) doc = NULL;

  g_assert_no_error (error);
  doc = tp_document_reader_read (transport, key, options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (doc->access, ==, "PACE");
  g_assert_cmpint (doc->mrz_match, ==, TP_CHECK_NOT_CHECKED);
  g_assert_true (tp_document_is_verified (doc));
}

static void
test_key_invalid (void)
{
  g_autoptr(GError) error = NULL;
  TpAccessKey *key;

  key = tp_access_key_new_from_can ("12345", &error);
  g_assert_error (error, TP_ERROR, TP_ERROR_INVALID_ARGUMENT);
  g_assert_null (key);
  g_clear_error (&error);

  key = tp_access_key_new_from_fields ("C1234567", "800517", "3012", &error);
  g_assert_error (error, TP_ERROR, TP_ERROR_INVALID_ARGUMENT);
  g_assert_null (key);
  g_clear_error (&error);

  key = tp_access_key_new_from_mrz ("not an mrz", &error);
  g_assert_error (error, TP_ERROR, TP_ERROR_INVALID_ARGUMENT);
  g_assert_null (key);
  g_clear_error (&error);

  /* A wrong check digit on the document number: the chip would refuse */
  key = tp_access_key_new_from_mrz ("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
                                    "L898902C37UTO7408122F1204159ZE184226B<<<<<10", &error);
  g_assert_error (error, TP_ERROR, TP_ERROR_INVALID_ARGUMENT);
  g_assert_null (key);
}

/* ---- negative cases -------------------------------------------------------- */

static void
test_wrong_mrz (gconstpointer data)
{
  const char *spec = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TpTransport) transport = open_sim (spec);
  g_autoptr(TpAccessKey) key = tp_access_key_new_from_fields ("X0000000", "800101", "300101", &error);
  g_autoptr(TpReadOptions) options = default_options ();
  g_autoptr(TpDocument) doc = NULL;

  g_assert_no_error (error);
  doc = tp_document_reader_read (transport, key, options, NULL, NULL, NULL, &error);
  g_assert_null (doc);
  g_assert_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_ACCESS_DENIED);
}

static void
test_can_without_pace (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpTransport) transport = open_sim ("bac-3des");
  g_autoptr(TpAccessKey) key = tp_access_key_new_from_can ("123456", &error);
  g_autoptr(TpReadOptions) options = default_options ();
  g_autoptr(TpDocument) doc = NULL;

  doc = tp_document_reader_read (transport, key, options, NULL, NULL, NULL, &error);
  g_assert_null (doc);
  g_assert_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_ACCESS_DENIED);
  g_assert_nonnull (strstr (error->message, "PACE"));
}

static void
test_mrz_mismatch (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpTransport) transport = open_sim ("bac-3des");
  TpSimChip *chip = tp_sim_transport_get_chip (TP_SIM_TRANSPORT (transport));
  g_autoptr(TpReadOptions) options = default_options ();
  g_autoptr(TpAccessKey) key = NULL;
  g_autoptr(TpDocument) doc = NULL;
  g_autofree char *mrz = g_strdup (tp_sim_chip_get_mrz (chip));
  char *name_end = strstr (mrz, "<<");

  /* Same access fields, another name printed: access works, the MRZ
   * comparison does not. */
  g_assert_nonnull (name_end);
  name_end[-1] = name_end[-1] == 'X' ? 'Y' : 'X';
  key = tp_access_key_new_from_mrz (mrz, &error);
  g_assert_no_error (error);
  doc = tp_document_reader_read (transport, key, options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (doc->mrz_match, ==, TP_CHECK_FAILED);
  g_assert_nonnull (strstr (doc->mrz_mismatch, "primary identifier"));
  g_assert_false (tp_document_is_verified (doc));
  g_assert_cmpint (doc->passive_auth->verdict, ==, TP_PASSIVE_AUTH_VALID);
}

/* The holder quirk: another person's genuine document, DG11 with the
 * diacritics of the name, every check passing */
static void
test_holder (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpDocument) doc = read_sim ("full:holder=Hoàng/Văn Nam/N1122334/VNM/820114/M/310101/001082011223",
                                        NULL, &error);
  g_autoptr(TpSimChip) bad = NULL;

  g_assert_no_error (error);
  g_assert_true (tp_document_is_verified (doc));
  g_assert_cmpstr (doc->dg1->mrz->document_number, ==, "N1122334");
  g_assert_cmpstr (doc->dg1->mrz->primary_identifier, ==, "HOANG");
  g_assert_cmpstr (doc->dg1->mrz->secondary_identifier, ==, "VAN NAM");
  g_assert_cmpstr (doc->dg1->mrz->birth_date.iso, ==, "1982-01-14");
  g_assert_cmpstr (doc->dg1->mrz->optional_data, ==, "001082011223");
  g_assert_nonnull (doc->dg11);
  g_assert_cmpstr (doc->dg11->full_name, ==, "HOÀNG<<VĂN<NAM");
  g_assert_cmpstr (doc->dg11->personal_number, ==, "001082011223");
  g_assert_cmpint (tp_passive_auth_result_get_hash (doc->passive_auth, 11), ==, TP_DG_HASH_MATCH);

  bad = tp_sim_chip_new ("full:holder=Hoàng/Văn Nam/N1122334", &error);
  g_assert_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_INVALID_ARGUMENT);
  g_assert_null (bad);
}

static void
test_tampered (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpDocument) doc = read_sim ("pace-ecdh-aes128:tampered", NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpint (doc->passive_auth->verdict, ==, TP_PASSIVE_AUTH_INVALID);
  g_assert_true (doc->passive_auth->signature);
  g_assert_true (doc->passive_auth->chain);
  g_assert_cmpint (tp_passive_auth_result_get_hash (doc->passive_auth, 1), ==, TP_DG_HASH_MATCH);
  g_assert_cmpint (tp_passive_auth_result_get_hash (doc->passive_auth, 2), ==, TP_DG_HASH_MISMATCH);
  g_assert_false (tp_document_is_verified (doc));
}

static void
test_tampered_dg1 (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpDocument) doc = read_sim ("bac-3des:tampered=DG1", NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpint (tp_passive_auth_result_get_hash (doc->passive_auth, 1), ==, TP_DG_HASH_MISMATCH);
  g_assert_cmpint (tp_passive_auth_result_get_hash (doc->passive_auth, 2), ==, TP_DG_HASH_MATCH);
  g_assert_false (tp_document_is_verified (doc));
}

static void
test_bad_signer (gconstpointer data)
{
  const char *quirk = data;
  g_autofree char *spec = g_strconcat ("pace-ecdh-aes128:", quirk, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TpDocument) doc = read_sim (spec, NULL, &error);
  const TpPassiveAuthResult *pa;

  g_assert_no_error (error);
  pa = doc->passive_auth;
  if (g_str_equal (quirk, "expired-ds"))
    {
      /* ICAO 9303-12: a DS outlives the documents it signs; an expired one
       * on a valid document fails (an operator's policy may accept it) */
      g_assert_cmpint (pa->verdict, ==, TP_PASSIVE_AUTH_INVALID);
      g_assert_true (pa->ds_expired);
      g_assert_true (pa->chain);
      g_assert_false (tp_document_is_verified (doc));
      return;
    }

  g_assert_cmpint (pa->verdict, ==, TP_PASSIVE_AUTH_INVALID);
  g_assert_cmpuint (pa->errors->len, >, 0);
  g_assert_false (tp_document_is_verified (doc));
  /* The data itself is intact */
  g_assert_cmpint (tp_passive_auth_result_get_hash (pa, 1), ==, TP_DG_HASH_MATCH);
  if (g_str_equal (quirk, "revoked-ds"))
    {
      g_assert_true (pa->chain);
      g_assert_cmpint (pa->revocation, ==, TP_REVOCATION_REVOKED);
    }
  else if (g_str_equal (quirk, "no-ds-certificate"))
    g_assert_false (pa->signature);
  else
    {
      g_assert_true (pa->signature);
      g_assert_false (pa->chain);
    }
}

static void
test_untrusted (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpReadOptions) options = tp_read_options_new ();
  g_autoptr(TpDocument) doc = NULL;

  /* No trust store at all: the chain cannot hold */
  doc = read_sim ("bac-3des", options, &error);
  g_assert_no_error (error);
  g_assert_true (doc->passive_auth->signature);
  g_assert_false (doc->passive_auth->chain);
  g_assert_false (tp_document_is_verified (doc));
}

static void
test_clone (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpDocument) doc = read_sim ("full:clone", NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpint (doc->chip_auth, ==, TP_CHECK_FAILED);
  g_assert_nonnull (doc->chip_auth_reason);
  g_assert_cmpint (doc->active_auth, ==, TP_CHECK_FAILED);
  g_assert_nonnull (doc->active_auth_reason);
  /* The data was copied faithfully: passive authentication holds, which
   * is exactly why clones need these checks. */
  g_assert_cmpint (doc->passive_auth->verdict, ==, TP_PASSIVE_AUTH_VALID);
  g_assert_false (tp_document_is_verified (doc));
}

static void
test_clone_ca_only (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpDocument) doc = read_sim ("ca-ecdh:clone", NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpint (doc->chip_auth, ==, TP_CHECK_FAILED);
  g_assert_false (tp_document_is_verified (doc));
  assert_file_read (doc, "DG2");
}

static void
test_garbage (gconstpointer data)
{
  const char *spec = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TpDocument) doc = read_sim (spec, NULL, &error);

  g_assert_null (doc);
  g_assert_nonnull (error);
  g_assert_true (error->domain == TP_CHIP_ERROR);
}

static void
test_lying_length (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpDocument) doc = read_sim ("pace-ecdh-aes128:lying-length", NULL, &error);
  const TpDocumentFile *dg2;

  g_assert_no_error (error);
  dg2 = tp_document_get_file (doc, "DG2");
  g_assert_nonnull (dg2->error);
  g_assert_nonnull (strstr (dg2->error, "declares"));
  g_assert_null (doc->face);
  g_assert_false (tp_document_is_verified (doc));
}

static void
test_overlong (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpDocument) doc = read_sim ("bac-3des:no-extended,overlong", NULL, &error);

  g_assert_null (doc);
  g_assert_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_PROTOCOL);
}

static void
test_drop_forever (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpDocument) doc = read_sim ("pace-ecdh-aes128:drop-field=10", NULL, &error);

  g_assert_null (doc);
  g_assert_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_COMMUNICATION);
}

static void
test_no_card (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpTransport) transport = open_sim ("bac-3des");
  g_autoptr(TpAccessKey) key = key_for (transport);
  g_autoptr(TpDocument) doc = NULL;

  tp_sim_transport_set_card_present (TP_SIM_TRANSPORT (transport), FALSE);
  doc = tp_document_reader_read (transport, key, NULL, NULL, NULL, NULL, &error);
  g_assert_null (doc);
  g_assert_error (error, TP_TRANSPORT_ERROR, TP_TRANSPORT_ERROR_NO_CARD);
}

/* A chip answering SELECT with a status no standard defines (0000): a
 * clear error, not a crash, and no document. */
static void
test_select_status_0000 (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpTransport) transport = open_sim ("bac-3des:no-sfi,select-0000");
  g_autoptr(TpAccessKey) key = key_for (transport);
  g_autoptr(TpDocument) doc = NULL;

  doc = tp_document_reader_read (transport, key, NULL, NULL, NULL, NULL, &error);
  g_assert_null (doc);
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "0000"));
}

static void
test_cancelled (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpTransport) transport = open_sim ("bac-3des");
  g_autoptr(TpAccessKey) key = key_for (transport);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(TpDocument) doc = NULL;

  g_cancellable_cancel (cancellable);
  doc = tp_document_reader_read (transport, key, NULL, NULL, NULL, cancellable, &error);
  g_assert_null (doc);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* The reader library knows the hardware schemes; others register their
 * own (test-nfc-transport checks that "sim:" is unknown until then). */
static char *fake_address;

static TpTransport *
open_fake (const char  *address,
           GError     **error)
{
  g_free (fake_address);
  fake_address = g_strdup (address);
  return tp_sim_transport_new ("bac-3des", error);
}

static void
list_fake (GPtrArray *readers)
{
  g_ptr_array_add (readers, tp_reader_info_new ("fake:one", "A fake reader", TP_TRANSPORT_KIND_SIM));
}

static gboolean
has_reader (GPtrArray  *readers,
            const char *connstring)
{
  for (guint i = 0; i < readers->len; i++)
    if (g_str_equal (((TpReaderInfo *) g_ptr_array_index (readers, i))->connstring, connstring))
      return TRUE;
  return FALSE;
}

static void
test_schemes (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpTransport) transport = NULL;
  g_autoptr(GPtrArray) readers = NULL;

  transport = tp_transport_open ("fake:somewhere:else", &error);
  g_assert_null (transport);
  g_assert_error (error, TP_TRANSPORT_ERROR, TP_TRANSPORT_ERROR_INVALID_CONNSTRING);
  g_assert_nonnull (strstr (error->message, "pcsc:"));
  g_assert_null (strstr (error->message, "fake:ADDRESS"));
  g_clear_error (&error);

  tp_transport_register_scheme ("fake", TP_TRANSPORT_KIND_SIM, "fake:ADDRESS", open_fake, list_fake);
  transport = tp_transport_open ("fake:somewhere:else", &error);
  g_assert_no_error (error);
  g_assert_true (TP_IS_SIM_TRANSPORT (transport));
  g_assert_cmpstr (fake_address, ==, "somewhere:else");
  g_clear_object (&transport);

  /* the bare scheme name is its default reader */
  transport = tp_transport_open ("fake", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (fake_address, ==, "");
  g_clear_object (&transport);

  /* a scheme that only starts the same is another scheme */
  transport = tp_transport_open ("fakery:x", &error);
  g_assert_error (error, TP_TRANSPORT_ERROR, TP_TRANSPORT_ERROR_INVALID_CONNSTRING);
  g_assert_nonnull (strstr (error->message, "fake:ADDRESS"));
  g_clear_error (&error);

  readers = tp_transport_list_readers (TRUE);
  g_assert_true (has_reader (readers, "fake:one"));
  g_clear_pointer (&readers, g_ptr_array_unref);
  readers = tp_transport_list_readers (FALSE);
  g_assert_false (has_reader (readers, "fake:one"));
  g_clear_pointer (&fake_address, g_free);
}

static void
test_connstrings (void)
{
  const char *bad[] = { "", "usb:0", "sim:", "sim:no-such-profile", "sim:bac-3des:no-such-quirk",
                        "sim:bac-3des:max-le=x", "sim:bac-3des:no-bac", "sim:full:tampered=DG99" };
  g_autoptr(GPtrArray) readers = NULL;
  gboolean found = FALSE;

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TpTransport) transport = tp_transport_open (bad[i], &error);

      g_assert_null (transport);
      g_assert_nonnull (error);
      g_assert_nonnull (error->message);
    }

  readers = tp_transport_list_readers (TRUE);
  for (guint i = 0; i < readers->len; i++)
    {
      const TpReaderInfo *info = g_ptr_array_index (readers, i);

      if (g_str_equal (info->connstring, "sim:pace-ecdh-aes128"))
        {
          g_assert_cmpint (info->kind, ==, TP_TRANSPORT_KIND_SIM);
          found = TRUE;
        }
    }
  g_assert_true (found);
}

/* ---- the worker ---------------------------------------------------------- */

typedef struct {
  GMainLoop  *loop;
  TpDocument *doc;
  GError     *error;
  GThread    *main_thread;
  guint       progress;
  guint64     last_done;
  guint64     last_total;
  guint       inserted;
  guint       removed;
} WorkerState;

static void
on_progress (TpReader   *reader,
             const char *file,
             guint64     done,
             guint64     total,
             gpointer    user_data)
{
  WorkerState *state = user_data;

  g_assert_true (g_thread_self () == state->main_thread);
  g_assert_cmpuint (done, <=, total);
  g_assert_cmpuint (done, >=, state->last_done);
  state->progress++;
  state->last_done = done;
  state->last_total = total;
}

static void
on_read (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  WorkerState *state = user_data;

  g_assert_true (g_thread_self () == state->main_thread);
  state->doc = tp_reader_read_document_finish (TP_READER (source), result, &state->error);
  g_main_loop_quit (state->loop);
}

static void
on_card (TpReader *reader,
         gpointer  user_data)
{
  WorkerState *state = user_data;

  g_assert_true (g_thread_self () == state->main_thread);
  if (tp_reader_get_card_present (reader))
    state->inserted++;
  else
    state->removed++;
  g_main_loop_quit (state->loop);
}

static gboolean
on_timeout (gpointer user_data)
{
  g_error ("The reader worker did not answer in time");
  return G_SOURCE_REMOVE;
}

static void
test_worker_read (void)
{
  g_autoptr(TpTransport) transport = open_sim ("full:no-extended");
  g_autoptr(TpAccessKey) key = key_for (transport);
  g_autoptr(TpReadOptions) options = default_options ();
  g_autoptr(TpReader) reader = tp_reader_new_for_transport (transport);
  WorkerState state = { 0 };
  guint timeout;

  state.loop = g_main_loop_new (NULL, FALSE);
  state.main_thread = g_thread_self ();
  g_signal_connect (reader, "progress", G_CALLBACK (on_progress), &state);

  tp_reader_read_document_async (reader, key, options, NULL, on_read, &state);
  g_assert_true (tp_reader_get_busy (reader) || state.doc == NULL);
  timeout = g_timeout_add_seconds (60, on_timeout, NULL);
  g_main_loop_run (state.loop);
  g_source_remove (timeout);

  g_assert_no_error (state.error);
  g_assert_nonnull (state.doc);
  g_assert_true (tp_document_is_verified (state.doc));
  /* Progress arrives (on this thread) before the result; a short-APDU
   * read of 20 KB gives many steps, ending at the whole document. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (state.progress, >, 50);
  g_assert_cmpuint (state.last_done, ==, state.last_total);
  g_assert_cmpuint (state.last_done, >, 20000);
  g_assert_true (tp_reader_get_card_present (reader));

  tp_document_free (state.doc);
  g_main_loop_unref (state.loop);
}

static void
test_worker_error (void)
{
  g_autoptr(TpReader) reader = tp_reader_new ("sim:bac-3des");
  g_autoptr(GError) error = NULL;
  g_autoptr(TpAccessKey) key = tp_access_key_new_from_fields ("X0000000", "800101", "300101", &error);
  WorkerState state = { 0 };

  state.loop = g_main_loop_new (NULL, FALSE);
  state.main_thread = g_thread_self ();
  tp_reader_read_document_async (reader, key, NULL, NULL, on_read, &state);
  g_main_loop_run (state.loop);
  g_assert_null (state.doc);
  g_assert_error (state.error, TP_CHIP_ERROR, TP_CHIP_ERROR_ACCESS_DENIED);
  g_clear_error (&state.error);
  g_main_loop_unref (state.loop);
}

static void
test_worker_events (void)
{
  g_autoptr(TpTransport) transport = open_sim ("bac-3des");
  g_autoptr(TpReader) reader = tp_reader_new_for_transport (transport);
  WorkerState state = { 0 };
  guint timeout;

  state.loop = g_main_loop_new (NULL, FALSE);
  state.main_thread = g_thread_self ();
  g_signal_connect (reader, "card-inserted", G_CALLBACK (on_card), &state);
  g_signal_connect (reader, "card-removed", G_CALLBACK (on_card), &state);
  timeout = g_timeout_add_seconds (30, on_timeout, NULL);

  tp_reader_start_watching (reader);
  g_main_loop_run (state.loop);                       /* the card is there */
  g_assert_cmpuint (state.inserted, ==, 1);

  tp_sim_transport_set_card_present (TP_SIM_TRANSPORT (transport), FALSE);
  g_main_loop_run (state.loop);
  g_assert_cmpuint (state.removed, ==, 1);
  g_assert_false (tp_reader_get_card_present (reader));

  tp_sim_transport_set_card_present (TP_SIM_TRANSPORT (transport), TRUE);
  g_main_loop_run (state.loop);
  g_assert_cmpuint (state.inserted, ==, 2);

  tp_reader_stop_watching (reader);
  g_source_remove (timeout);
  g_main_loop_unref (state.loop);
}

static void
on_list (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GPtrArray **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = tp_reader_list_readers_finish (result, &error);
  g_assert_no_error (error);
}

static void
test_worker_list (void)
{
  GPtrArray *readers = NULL;

  tp_reader_list_readers_async (TRUE, NULL, on_list, &readers);
  while (readers == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (readers->len, >=, 10);
  g_ptr_array_unref (readers);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);
  tp_sim_transport_register ();

  trust = tp_test_sim_trust ();

  for (gsize i = 0; i < G_N_ELEMENTS (profile_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/reader/profile/%s", profile_cases[i].spec);

      g_test_add_data_func (path, &profile_cases[i], test_profile);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (quirk_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/reader/quirk/%s", quirk_cases[i].spec);

      g_test_add_data_func (path, &quirk_cases[i], test_quirk);
    }
  g_test_add_func ("/reader/read-size/160", test_offsets_beyond_32k);
  g_test_add_func ("/reader/read-size/223-no-extended", test_max_read);
  g_test_add_func ("/reader/read-size/short-reader", test_short_reader);
  g_test_add_func ("/reader/key/fields", test_key_fields);
  g_test_add_func ("/reader/key/can", test_key_can);
  g_test_add_func ("/reader/key/invalid", test_key_invalid);
  g_test_add_data_func ("/reader/negative/wrong-mrz/bac", "bac-3des", test_wrong_mrz);
  g_test_add_data_func ("/reader/negative/wrong-mrz/pace", "pace-ecdh-aes128", test_wrong_mrz);
  g_test_add_func ("/reader/negative/can-without-pace", test_can_without_pace);
  g_test_add_func ("/reader/negative/mrz-mismatch", test_mrz_mismatch);
  g_test_add_func ("/reader/holder", test_holder);
  g_test_add_func ("/reader/negative/tampered-dg2", test_tampered);
  g_test_add_func ("/reader/negative/tampered-dg1", test_tampered_dg1);
  g_test_add_data_func ("/reader/negative/unknown-csca", "unknown-csca", test_bad_signer);
  g_test_add_data_func ("/reader/negative/impostor-csca", "impostor-csca", test_bad_signer);
  g_test_add_data_func ("/reader/negative/expired-ds", "expired-ds", test_bad_signer);
  g_test_add_data_func ("/reader/negative/revoked-ds", "revoked-ds", test_bad_signer);
  g_test_add_data_func ("/reader/negative/no-ds-certificate", "no-ds-certificate", test_bad_signer);
  g_test_add_func ("/reader/negative/no-trust-store", test_untrusted);
  g_test_add_func ("/reader/negative/clone", test_clone);
  g_test_add_func ("/reader/negative/clone-ca", test_clone_ca_only);
  g_test_add_func ("/reader/chip-auth/dh", test_chip_auth_dh);
  g_test_add_data_func ("/reader/negative/garbage/pace", "pace-ecdh-aes128:garbage", test_garbage);
  g_test_add_data_func ("/reader/negative/garbage/bac", "bac-3des:garbage,no-extended", test_garbage);
  g_test_add_func ("/reader/negative/lying-length", test_lying_length);
  g_test_add_func ("/reader/negative/overlong", test_overlong);
  g_test_add_func ("/reader/negative/drop-forever", test_drop_forever);
  g_test_add_func ("/reader/negative/no-card", test_no_card);
  g_test_add_func ("/reader/negative/cancelled", test_cancelled);
  g_test_add_func ("/reader/negative/select-0000", test_select_status_0000);
  g_test_add_func ("/reader/quirk/sfi-refused", test_sfi_refused);
  g_test_add_func ("/reader/quirk/plain-status-differs", test_plain_status_differs);
  g_test_add_func ("/reader/schemes", test_schemes);
  g_test_add_func ("/reader/connstrings", test_connstrings);
  g_test_add_func ("/reader/worker/read", test_worker_read);
  g_test_add_func ("/reader/worker/error", test_worker_error);
  g_test_add_func ("/reader/worker/events", test_worker_events);
  g_test_add_func ("/reader/worker/list", test_worker_list);

  ret = g_test_run ();

  tp_trust_store_free (trust);
  return ret;
}
