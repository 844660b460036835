/* tp-cli-demo.c: `touchpoint-cli demo`, a counter walk-through
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What an exit counter does for one traveller, end to end through the real
 * code paths and nothing simulated but the devices: the demo list goes into
 * a new encrypted store (a fresh key file in a temporary directory), the
 * passport is read and verified through the document reader (the software
 * chip by default, any reader with --reader), the boarding pass (generated
 * for today from the passport's name, or --boarding-pass) is parsed and
 * checked against the checkpoint and the passport, and the traveller is
 * screened. The output is for a person; `read`, `bcbp` and `screen` give
 * the same facts as JSON.
 */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <stdio.h>

#include "tp-bcbp.h"
#include "tp-boarding-check.h"
#include "tp-cli-resources.h"
#include "tp-cli.h"
#include "tp-document-reader.h"
#include "tp-entry.h"
#include "tp-error.h"
#include "tp-face.h"
#include "tp-key-source.h"
#include "tp-matcher.h"
#include "tp-mrz.h"
#include "tp-passive-auth.h"
#include "tp-query.h"
#include "tp-sim-chip.h"
#include "tp-store-matcher.h"
#include "tp-store.h"
#include "tp-transport-registry.h"
#include "tp-transport.h"
#include "tp-trust-store.h"

#define DEMO_LIST_RESOURCE "/org/touchpoint/cli/demo/list.jsonl"

typedef struct {
  char *reader;
  char *mrz;
  char *airport;
  char *boarding_pass;
  char *trust;
} DemoOptions;

static void
heading (const char *text)
{
  printf ("\n%s\n", text);
}

/* Removes the demo's temporary directory and what it holds. */
static void
remove_tree (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  if (d == NULL)
    return;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        remove_tree (path);
      else
        g_unlink (path);
    }
  g_rmdir (dir);
}

static TpStore *
load_demo_list (const char  *dir,
                GError     **error)
{
  g_autofree char *db = g_build_filename (dir, "terminal.db", NULL);
  g_autofree char *key_path = g_build_filename (dir, "terminal.key", NULL);
  g_autoptr(TpKeySource) key = tp_key_file_new (key_path);
  g_autoptr(TpStore) store = NULL;
  g_autoptr(GBytes) list = NULL;
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) tp_entry_free);
  g_auto(GStrv) lines = NULL;
  TpStoreBatchResult result = { 0, };

  list = g_resource_lookup_data (tp_cli_get_resource (), DEMO_LIST_RESOURCE,
                                G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (list == NULL)
    return NULL;
  lines = g_strsplit (g_bytes_get_data (list, NULL), "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(GError) local_error = NULL;
      TpEntry *entry;

      if (lines[i][0] == '\0')
        continue;
      entry = tp_entry_from_json (lines[i], -1, &local_error);
      if (entry == NULL)
        {
          g_set_error (error, local_error->domain, local_error->code,
                       "demo list, line %u: %s", i + 1, local_error->message);
          return NULL;
        }
      g_ptr_array_add (entries, entry);
    }

  store = tp_store_open (db, key, TP_STORE_OPEN_CREATE, error);
  if (store == NULL)
    return NULL;
  if (!tp_store_apply_batch (store, entries, &result, error))
    return NULL;
  printf ("  %u list entries imported into a new encrypted store\n"
          "  (SQLCipher, 256-bit key in a 0600 key file: %s)\n"
          "  state hash %.16s…\n",
          result.applied, key_path, result.state_hash);
  tp_store_batch_result_clear (&result);
  return g_steal_pointer (&store);
}

static const char *
check_mark (TpCheckState state)
{
  switch (state)
    {
    case TP_CHECK_VALID:
      return "passed";
    case TP_CHECK_FAILED:
      return "FAILED";
    case TP_CHECK_NOT_CHECKED:
      return "not checked";
    case TP_CHECK_NOT_SUPPORTED:
    default:
      return "not offered by the chip";
    }
}

/* DG11's full name is stored MRZ-style ("NGUYỄN<<VĂN<AN"): as words */
static char *
dg11_display_name (const TpLdsDg11 *dg11)
{
  g_autoptr(GString) name = NULL;

  if (dg11 == NULL || dg11->full_name == NULL)
    return NULL;
  name = g_string_new (dg11->full_name);
  g_string_replace (name, "<<", " ", 0);
  g_string_replace (name, "<", " ", 0);
  return g_strstrip (g_string_free (g_steal_pointer (&name), FALSE));
}

/* Reads the chip; *printed: the printed MRZ used to open it, parsed (the
 * identity to fall back on when the chip withholds DG1). */
static TpDocument *
read_passport (const DemoOptions  *opts,
               TpMrz             **printed,
               GError            **error)
{
  g_autoptr(TpTransport) transport = NULL;
  g_autoptr(TpAccessKey) key = NULL;
  g_autoptr(TpReadOptions) read_options = tp_read_options_new ();
  g_autoptr(TpTrustStore) trust = tp_trust_store_new (TP_TRUST_STORE_FLAGS_NONE);
  g_autofree char *trust_dir = NULL;
  g_autofree char *mrz_text = NULL;
  TpDocument *doc;
  const TpPassiveAuthResult *pa;

  transport = tp_transport_open (opts->reader, error);
  if (transport == NULL)
    return NULL;

  /* The printed MRZ, as the document reader's OCR would give it: for the
   * software chip it is the chip's own. */
  if (opts->mrz != NULL)
    mrz_text = g_strdup (opts->mrz);
  else if (g_str_has_prefix (opts->reader, "sim:"))
    {
      g_autoptr(TpSimChip) chip = tp_sim_chip_new (opts->reader + 4, error);

      if (chip == NULL)
        return NULL;
      mrz_text = g_strdup (tp_sim_chip_get_mrz (chip));
    }
  else
    {
      g_set_error (error, TP_ERROR, TP_ERROR_INVALID_ARGUMENT,
                   "--mrz is needed to open the chip on reader %s", opts->reader);
      return NULL;
    }
  key = tp_access_key_new_from_mrz (mrz_text, error);
  if (key == NULL)
    return NULL;
  *printed = tp_mrz_parse (mrz_text, NULL, NULL);

  /* Trust: the CSCAs given, or the test PKI's when reading the software chip */
  if (opts->trust != NULL)
    {
      if (!tp_trust_store_add_path (trust, opts->trust, error))
        return NULL;
    }
  else if (g_str_has_prefix (opts->reader, "sim:"))
    {
      trust_dir = g_dir_make_tmp ("touchpoint-demo-trust-XXXXXX", error);
      if (trust_dir == NULL ||
          !tp_sim_chip_export_trust (trust_dir, error) ||
          !tp_trust_store_add_path (trust, trust_dir, error))
        {
          if (trust_dir != NULL)
            remove_tree (trust_dir);
          return NULL;
        }
      remove_tree (trust_dir);
    }
  read_options->trust = trust;   /* borrowed: outlives the read */

  doc = tp_document_reader_read (transport, key, read_options, NULL, NULL, NULL, error);
  if (doc == NULL)
    return NULL;

  pa = doc->passive_auth;
  printf ("  reader %s: %s%s%s, secure messaging %s\n",
          opts->reader, doc->access, doc->mapping ? " " : "", doc->mapping ? doc->mapping : "",
          doc->sm ? doc->sm : "none");
  printf ("  %u APDUs, %" G_GUINT64_FORMAT " bytes in, %.1f ms (%.1f ms of it in our code)\n",
          doc->apdus, doc->bytes_in, doc->elapsed_us / 1000.0,
          (doc->elapsed_us - doc->transport_us) / 1000.0);
  if (doc->dg1 != NULL && doc->dg1->mrz != NULL)
    {
      const TpMrz *m = doc->dg1->mrz;
      g_autofree char *full_name = dg11_display_name (doc->dg11);

      printf ("  document   %s %s no. %s, expires %s%s\n", m->document_code, m->issuing_state,
              m->document_number, m->expiry_date.iso, m->expired ? " (EXPIRED)" : "");
      printf ("  holder     %s %s%s%s%s, born %s, sex %c, nationality %s\n",
              m->primary_identifier, m->secondary_identifier,
              full_name ? " (" : "", full_name ? full_name : "", full_name ? ")" : "",
              m->birth_date.iso[0] ? m->birth_date.iso : m->birth_date.raw, m->sex, m->nationality);
    }
  if (doc->face != NULL)
    printf ("  face       %s, %u×%u pixels (held in memory for this case only)\n",
            tp_face_format_to_string (doc->face->format), doc->face->width, doc->face->height);
  printf ("  checks     passive authentication: %s%s%s\n",
          tp_passive_auth_verdict_to_string (pa->verdict),
          pa->csca_subject ? ", signed under " : "", pa->csca_subject ? pa->csca_subject : "");
  printf ("             chip authentication: %s; active authentication: %s\n",
          check_mark (doc->chip_auth), check_mark (doc->active_auth));
  printf ("             printed MRZ against the chip: %s\n", check_mark (doc->mrz_match));
  for (guint i = 0; i < doc->files->len; i++)
    {
      const TpDocumentFile *file = g_ptr_array_index (doc->files, i);

      if (file->error != NULL)
        printf ("  !          %s\n", file->error);
    }
  for (guint i = 0; i < doc->errors->len; i++)
    printf ("  !          %s\n", (const char *) g_ptr_array_index (doc->errors, i));
  printf ("  chip       %s\n", tp_document_is_verified (doc) ? "VERIFIED: every check passed"
                                                           : "NOT VERIFIED: see the checks above");
  return doc;
}

static char *
boarding_pass_for (const TpMrz *mrz,
                   const char  *airport,
                   const GDate *today)
{
  g_autofree char *name = g_strdup_printf ("%s/%s", mrz->primary_identifier,
                                           mrz->secondary_identifier);

  return g_strdup_printf ("M1%-20.20sEDEMO01 %3.3sNRTVN 0310 %03uY012A0042 100",
                          name, airport, g_date_get_day_of_year (today));
}

static gboolean
check_boarding_pass (const DemoOptions *opts,
                     const TpMrz       *mrz,
                     const GDate       *today,
                     GError           **error)
{
  g_autofree char *text = NULL;
  g_autoptr(TpBcbp) pass = NULL;
  g_autoptr(TpBoardingCheck) check = NULL;

  if (opts->boarding_pass == NULL && mrz == NULL)
    {
      /* The simulated scan prints the passport's name: neither DG1 nor
       * the printed MRZ gave one. */
      g_set_error_literal (error, TP_ERROR, TP_ERROR_INVALID_INPUT,
                           "No name from the chip or the printed MRZ to print on a simulated "
                           "boarding pass; give one with --boarding-pass");
      return FALSE;
    }
  text = opts->boarding_pass != NULL ? g_strdup (opts->boarding_pass)
                                     : boarding_pass_for (mrz, opts->airport, today);
  pass = tp_bcbp_parse (text, strlen (text), today, error);
  if (pass == NULL)
    return FALSE;
  printf ("  scanned    “%s”\n", text);
  for (guint i = 0; i < pass->n_legs; i++)
    {
      const TpBcbpLeg *leg = &pass->legs[i];
      char date[16] = "?";

      if (g_date_valid (&leg->flight_date))
        g_date_strftime (date, sizeof date, "%Y-%m-%d", &leg->flight_date);
      /* A pass cut short lacks the items after the cut */
      printf ("  leg %u      %s %s %s→%s on %s, seat %s, passenger %s\n", i + 1,
              leg->carrier ? leg->carrier : "?", leg->flight_number ? leg->flight_number : "?",
              leg->from, leg->to, date, leg->seat ? leg->seat : "?", pass->passenger_name);
    }
  check = tp_boarding_check (pass, opts->airport, today,
                             mrz ? mrz->primary_identifier : NULL,
                             mrz ? mrz->secondary_identifier : NULL);
  printf ("  checks     departs from %s: %s; flight date today (±1 day): %s; name matches passport: %s\n",
          opts->airport, tp_boarding_state_to_string (check->departs_here),
          tp_boarding_state_to_string (check->flight_date),
          tp_boarding_state_to_string (check->name));
  for (guint i = 0; i < check->problems->len; i++)
    printf ("  !          %s\n", (const char *) g_ptr_array_index (check->problems, i));
  for (guint i = 0; i < check->unchecked->len; i++)
    printf ("  ?          %s\n", (const char *) g_ptr_array_index (check->unchecked, i));
  for (guint i = 0; i < pass->errors->len; i++)
    printf ("  !          %s\n", ((const TpBcbpIssue *) g_ptr_array_index (pass->errors, i))->message);
  return TRUE;
}

/* @identity: the chip's DG1, or the printed MRZ when the chip gave none
 * (a chip must not make a traveller unscreenable). */
static TpQuery *
query_from_document (const TpDocument *doc,
                     const TpMrz      *identity)
{
  TpQuery *q = tp_query_new ();
  const TpMrz *m = identity;

  q->id = g_strdup ("demo");
  if (m != NULL)
    {
      q->document_number = g_strdup (m->document_number);
      q->issuing_state = g_strdup (m->issuing_state);
      q->nationality = g_strdup (m->nationality);
      q->primary = g_strdup (m->primary_identifier);
      q->secondary = g_strdup (m->secondary_identifier);
      q->sex = m->sex == 'M' || m->sex == 'F' ? m->sex : 0;
      q->birth_date.year = m->birth_date.year;
      q->birth_date.month = m->birth_date.month;
      q->birth_date.day = m->birth_date.day;
      /* Vietnamese passports carry the 12-digit citizen ID in the
       * optional data */
      if (m->optional_data != NULL && m->optional_data[0] != '\0')
        q->personal_number = g_strdup (m->optional_data);
    }
  if (doc->dg11 != NULL)
    {
      q->full_name = dg11_display_name (doc->dg11);
      if (doc->dg11->personal_number != NULL && q->personal_number == NULL)
        q->personal_number = g_strdup (doc->dg11->personal_number);
    }
  return q;
}

static void
screen (TpStore          *store,
        const TpDocument *doc,
        const TpMrz      *identity,
        const GDate      *today,
        GError          **error)
{
  g_autoptr(TpMatcher) matcher = NULL;
  g_autoptr(TpQuery) query = query_from_document (doc, identity);
  TpScreenOptions options;
  TpScreenResult *result;
  gint64 start;

  matcher = tp_store_load_matcher (store, error);
  if (matcher == NULL)
    return;
  tp_screen_options_init (&options, today, g_get_real_time () / G_USEC_PER_SEC);
  start = g_get_monotonic_time ();
  result = tp_matcher_screen (matcher, query, &options);
  printf ("  screened in %" G_GINT64_FORMAT " µs against the local list\n",
          g_get_monotonic_time () - start);
  printf ("\n  VERDICT: %s\n", tp_verdict_to_string (result->verdict));
  for (guint i = 0; i < result->hits->len; i++)
    {
      const TpHit *hit = g_ptr_array_index (result->hits, i);

      printf ("  - %s (%s, owned by %s, action %s): %s, score %.2f\n    %s\n",
              hit->entry_id, tp_list_kind_to_string (hit->list), tp_agency_to_string (hit->agency),
              tp_action_to_string (hit->action), tp_band_to_string (hit->band), hit->score,
              hit->explanation);
    }
  if (result->hits->len == 0)
    printf ("  no entry in force matches this traveller\n");
  tp_screen_result_free (result);
}

int
tp_cli_demo (int    argc,
             char **argv)
{
  DemoOptions opts = { 0, };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TpStore) store = NULL;
  g_autoptr(TpDocument) doc = NULL;
  g_autoptr(TpMrz) printed = NULL;
  const TpMrz *identity;
  g_autofree char *dir = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *now_text = g_date_time_format (now, "%Y-%m-%d %H:%M");
  GDate today;
  int status = 0;
  GOptionEntry entries[] = {
    { "reader", 0, 0, G_OPTION_ARG_STRING, &opts.reader,
      "Passport reader (default sim:full, the software chip)", "CONN" },
    { "mrz", 0, 0, G_OPTION_ARG_STRING, &opts.mrz,
      "Printed MRZ of the passport (lines separated by spaces)", "TEXT" },
    { "trust", 0, 0, G_OPTION_ARG_FILENAME, &opts.trust,
      "CSCA certificates, master list or directory (default: the test PKI for sim:)", "PATH" },
    { "airport", 0, 0, G_OPTION_ARG_STRING, &opts.airport,
      "This checkpoint's airport (default HAN)", "IATA" },
    { "boarding-pass", 0, 0, G_OPTION_ARG_STRING, &opts.boarding_pass,
      "Boarding pass text (default: one for today, made from the passport)", "BCBP" },
    { NULL }
  };

  context = g_option_context_new ("- walk one traveller through an exit counter");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "touchpoint-cli demo: %s\n", error->message);
      return 2;
    }
  if (opts.reader == NULL)
    opts.reader = g_strdup ("sim:full");
  if (opts.airport == NULL)
    opts.airport = g_strdup ("HAN");
  tp_cli_today (&today);

  printf ("Touchpoint demo: exit counter at %s, %s\n", opts.airport, now_text);
  printf ("(embedded demo list, %s reader, boarding pass %s)\n",
          g_str_has_prefix (opts.reader, "sim:") ? "simulated" : "real",
          opts.boarding_pass ? "as given" : "simulated");

  dir = g_dir_make_tmp ("touchpoint-demo-XXXXXX", &error);
  if (dir == NULL)
    goto failed;

  heading ("1. The list");
  store = load_demo_list (dir, &error);
  if (store == NULL)
    goto failed;

  heading ("2. Passport on the reader");
  doc = read_passport (&opts, &printed, &error);
  if (doc == NULL)
    goto failed;
  identity = doc->dg1 && doc->dg1->mrz ? doc->dg1->mrz : printed;
  if (identity == printed && printed != NULL)
    printf ("  identity   from the printed MRZ: the chip gave no DG1 to confirm it\n");

  heading ("3. Boarding pass");
  if (!check_boarding_pass (&opts, identity, &today, &error))
    goto failed;

  heading ("4. Screening");
  screen (store, doc, identity, &today, &error);
  if (error != NULL)
    goto failed;
  goto out;

failed:
  fprintf (stderr, "touchpoint-cli demo: %s\n", error->message);
  status = 2;

out:
  g_clear_object (&store);
  if (dir != NULL)
    remove_tree (dir);
  g_free (opts.reader);
  g_free (opts.mrz);
  g_free (opts.airport);
  g_free (opts.boarding_pass);
  g_free (opts.trust);
  return status;
}
