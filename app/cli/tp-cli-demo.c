/* tp-cli-demo.c: `touchpoint-cli demo`, a counter walk-through
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What an exit counter does for one traveller, end to end through the real
 * code paths and nothing simulated but the devices: the demo list goes into
 * a new encrypted store (a fresh key file in a temporary directory) and
 * the checkpoint loads it on a worker thread while the passport is read
 * through a TpReader (the software chip by default, any reader with
 * --reader); the case takes the printed MRZ, the chip read and the
 * boarding pass (generated for today from the passport's name, or
 * --boarding-pass) as they come and decides. This file only displays the
 * case (app/checkpoint/tp-case.h): every decision is the case's. The
 * output is for a person; `read`, `bcbp` and `screen` give the same facts
 * as JSON.
 */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <stdio.h>

#include "tp-case.h"
#include "tp-checkpoint.h"
#include "tp-cli.h"
#include "tp-cli-resources.h"
#include "tp-entry.h"
#include "tp-error.h"
#include "tp-face.h"
#include "tp-key-source.h"
#include "tp-passive-auth.h"
#include "tp-reader.h"
#include "tp-sim-chip.h"
#include "tp-store.h"
#include "tp-trust-dir.h"
#include "tp-trust-store.h"

#define DEMO_LIST_RESOURCE "/org/touchpoint/cli/demo/list.jsonl"
#define DEMO_CHECKPOINT    "EXIT-DEMO"
#define DEMO_TERMINAL      "EXIT-DEMO-01"

typedef struct {
  char *reader;
  char *mrz;
  char *airport;
  char *boarding_pass;
  char *trust;
  char *role;
} DemoOptions;

/* The demo mode's accounts: one officer per role */
static const struct {
  const char *role;
  const char *officer;
  TpRoles     value;
} accounts[] = {
  { "immigration", "IMM-01", TP_ROLE_IMMIGRATION },
  { "customs", "CUS-01", TP_ROLE_CUSTOMS },
  { "supervisor", "SUP-01", TP_ROLE_SUPERVISOR },
};

/* Two operations running at once on the main context */
typedef struct {
  GMainLoop *loop;
  guint      pending;
  GError    *load_error;
  GError    *read_error;
} Waiting;

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
load_demo_list (const char   *dir,
                TpKeySource **key_out,
                GError      **error)
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
  *key_out = g_steal_pointer (&key);
  return g_steal_pointer (&store);
}

/* The printed MRZ, as the document reader's OCR would give it: for the
 * software chip it is the chip's own. */
static char *
printed_mrz (const DemoOptions  *opts,
             GError            **error)
{
  g_autoptr(TpSimChip) chip = NULL;

  if (opts->mrz != NULL && g_str_equal (opts->mrz, "-"))
    {
      /* out of the process list: an access key */
      gsize len = 0;
      char *text = tp_cli_read_stdin (&len, error);

      if (text != NULL)
        g_strchomp (text);
      return text;
    }
  if (opts->mrz != NULL)
    return g_strdup (opts->mrz);
  if (!g_str_has_prefix (opts->reader, "sim:"))
    {
      g_set_error (error, TP_ERROR, TP_ERROR_INVALID_ARGUMENT,
                   "--mrz is needed to open the chip on reader %s", opts->reader);
      return NULL;
    }
  chip = tp_sim_chip_new (opts->reader + 4, error);
  if (chip == NULL)
    return NULL;
  return g_strdup (tp_sim_chip_get_mrz (chip));
}

/* The CSCAs given, or the test PKI's when reading the software chip, or
 * else the terminal's trust store (`touchpoint-cli trust import`) */
static TpTrustStore *
load_trust (const DemoOptions  *opts,
            GError            **error)
{
  g_autoptr(TpTrustStore) trust = tp_trust_store_new (TP_TRUST_STORE_FLAGS_NONE);
  g_autofree char *dir = NULL;
  gboolean ok;

  if (opts->trust != NULL)
    return tp_trust_store_add_path (trust, opts->trust, error) ? g_steal_pointer (&trust) : NULL;
  if (!g_str_has_prefix (opts->reader, "sim:"))
    {
      dir = tp_trust_dir_default_path ();
      return tp_trust_dir_load (trust, dir, TRUE, error) ? g_steal_pointer (&trust) : NULL;
    }
  dir = g_dir_make_tmp ("touchpoint-demo-trust-XXXXXX", error);
  if (dir == NULL)
    return NULL;
  ok = tp_sim_chip_export_trust (dir, error) && tp_trust_store_add_path (trust, dir, error);
  remove_tree (dir);
  return ok ? g_steal_pointer (&trust) : NULL;
}

static void
loaded_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Waiting *waiting = user_data;

  tp_checkpoint_load_matcher_finish (TP_CHECKPOINT (source), result, &waiting->load_error);
  if (--waiting->pending == 0)
    g_main_loop_quit (waiting->loop);
}

static void
read_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Waiting *waiting = user_data;

  tp_case_read_document_finish (TP_CASE (source), result, &waiting->read_error);
  if (--waiting->pending == 0)
    g_main_loop_quit (waiting->loop);
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

static void
show_document (TpCase     *kase,
               const char *reader)
{
  const TpDocument *doc = tp_case_get_document (kase);
  const TpPassiveAuthResult *pa = doc->passive_auth;
  const TpMrz *m = tp_case_get_identity (kase);
  const char *full_name = tp_case_get_full_name (kase);
  const char *note = tp_case_get_identity_note (kase);
  g_autoptr(GPtrArray) failures = NULL;

  printf ("  reader %s: %s%s%s, secure messaging %s\n",
          reader, doc->access, doc->mapping ? " " : "", doc->mapping ? doc->mapping : "",
          doc->sm ? doc->sm : "none");
  printf ("  %u APDUs, %" G_GUINT64_FORMAT " bytes in, %.1f ms (%.1f ms of it in our code)\n",
          doc->apdus, doc->bytes_in, doc->elapsed_us / 1000.0,
          (doc->elapsed_us - doc->transport_us) / 1000.0);
  if (m != NULL)
    {
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
  /* why not verified, each reason; then what does not fail it but shows */
  failures = tp_document_get_failures (doc);
  for (guint i = 0; i < failures->len; i++)
    printf ("  !          %s\n", (const char *) g_ptr_array_index (failures, i));
  for (guint i = 0; i < doc->errors->len; i++)
    printf ("  !          %s\n", (const char *) g_ptr_array_index (doc->errors, i));
  for (guint i = 0; i < pa->warnings->len; i++)
    printf ("  ?          %s\n", (const char *) g_ptr_array_index (pa->warnings, i));
  for (guint i = 0; i < doc->warnings->len; i++)
    printf ("  ?          %s\n", (const char *) g_ptr_array_index (doc->warnings, i));
  printf ("  chip       %s\n", tp_case_get_document_verified (kase)
                               ? "VERIFIED: every check passed"
                               : "NOT VERIFIED: see the checks above");
  if (tp_case_get_identity_source (kase) == TP_IDENTITY_SOURCE_BOTH)
    {
      const TpMrz *p = tp_case_get_printed_mrz (kase);

      printf ("  printed    %s %s, no. %s, born %s, sex %c\n", p->primary_identifier,
              p->secondary_identifier, p->document_number,
              p->birth_date.iso[0] ? p->birth_date.iso : p->birth_date.raw, p->sex);
    }
  if (note != NULL)
    printf ("  identity   %s\n", note);
  else if (tp_case_get_identity_source (kase) == TP_IDENTITY_SOURCE_CHIP)
    printf ("  identity   from the verified chip\n");
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
show_boarding_pass (TpCase             *kase,
                    const DemoOptions  *opts,
                    GError            **error)
{
  const TpMrz *mrz = tp_case_get_identity (kase);
  g_autofree char *text = NULL;
  const TpBcbp *pass;
  const TpBoardingCheck *check;
  GDate today;

  if (opts->boarding_pass == NULL && mrz == NULL)
    {
      /* The simulated scan prints the passport's name: neither DG1 nor
       * the printed MRZ gave one. */
      g_set_error_literal (error, TP_ERROR, TP_ERROR_INVALID_INPUT,
                           "No name from the chip or the printed MRZ to print on a simulated "
                           "boarding pass; give one with --boarding-pass");
      return FALSE;
    }
  tp_checkpoint_get_today (tp_case_get_checkpoint (kase), &today);
  text = opts->boarding_pass != NULL ? g_strdup (opts->boarding_pass)
                                     : boarding_pass_for (mrz, opts->airport, &today);
  if (!tp_case_set_boarding_pass (kase, text, error))
    return FALSE;

  pass = tp_case_get_boarding_pass (kase);
  check = tp_case_get_boarding_check (kase);
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
  printf ("  checks     departs from %s: %s; flight date today (±1 day): %s; name matches passport: %s\n",
          opts->airport, tp_boarding_state_to_string (check->departs_here),
          tp_boarding_state_to_string (check->flight_date),
          tp_boarding_state_to_string (check->name));
  printf ("             not presented here today in another case: %s\n",
          tp_boarding_state_to_string (check->first_use));
  for (guint i = 0; i < check->problems->len; i++)
    printf ("  !          %s\n", (const char *) g_ptr_array_index (check->problems, i));
  for (guint i = 0; i < check->unchecked->len; i++)
    printf ("  ?          %s\n", (const char *) g_ptr_array_index (check->unchecked, i));
  for (guint i = 0; i < pass->errors->len; i++)
    printf ("  !          %s\n", ((const TpBcbpIssue *) g_ptr_array_index (pass->errors, i))->message);
  return TRUE;
}

static gboolean
show_screening (TpCase   *kase,
                TpRoles   role,
                GError  **error)
{
  g_autoptr(GPtrArray) views = NULL;
  const char *note = tp_case_get_verdict_note (kase);
  GPtrArray *events = tp_case_get_events (kase);
  TpCheckpoint *checkpoint = tp_case_get_checkpoint (kase);
  TpMatcherStats stats;

  tp_matcher_get_stats (tp_checkpoint_get_matcher (checkpoint), &stats);
  printf ("  %u active entries indexed in %.1f ms, on a worker thread while the chip was read\n",
          stats.n_entries, tp_checkpoint_get_load_us (checkpoint) / 1000.0);
  if (!tp_case_get_screened (kase))
    {
      printf ("  not screened: no identity to screen\n");
      return TRUE;
    }
  printf ("  screened in %" G_GINT64_FORMAT " µs against the local list\n",
          tp_case_get_screening_us (kase));
  printf ("\n  VERDICT: %s\n", tp_verdict_to_string (tp_case_get_verdict (kase)));
  if (note != NULL)
    printf ("  %s\n", note);

  views = tp_case_dup_hit_views (kase, role, error);
  if (views == NULL)
    return FALSE;
  for (guint i = 0; i < views->len; i++)
    {
      const TpHitView *view = g_ptr_array_index (views, i);

      if (!view->visible)
        {
          printf ("  - a hit owned by %s, not visible to %s: %s\n",
                  tp_agency_to_string (view->agency), tp_role_to_string (role), view->refer_to);
          continue;
        }
      printf ("  - %s (%s, owned by %s, action %s): %s, score %.2f\n    %s\n",
              view->entry_id, tp_list_kind_to_string (view->list), tp_agency_to_string (view->agency),
              tp_action_to_string (view->action), tp_band_to_string (view->band), view->score,
              view->explanation);
      if (view->basis_reference != NULL)
        printf ("    basis %s, %s, %s\n", view->basis_reference,
                view->basis_issued_by ? view->basis_issued_by : "?",
                view->basis_issued_at ? view->basis_issued_at : "?");
    }
  if (views->len == 0)
    printf ("  no entry in force matches this traveller\n");

  printf ("  recorded   %u event%s in the store's audit log:", events->len, events->len == 1 ? "" : "s");
  for (guint i = 0; i < events->len; i++)
    {
      JsonObject *event = json_node_get_object (g_ptr_array_index (events, i));
      JsonObject *audit = json_object_get_object_member (event, "audit");

      printf ("%s %s %s (record %" G_GINT64_FORMAT ")", i ? "," : "",
              json_object_get_string_member (event, "type"),
              json_object_get_string_member_with_default (event, "verdict", ""),
              audit != NULL ? json_object_get_int_member (audit, "seq") : (gint64) 0);
    }
  printf ("\n");
  return TRUE;
}

int
tp_cli_demo (int    argc,
             char **argv)
{
  DemoOptions opts = { 0, };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TpStore) store = NULL;
  g_autoptr(TpKeySource) key = NULL;
  g_autoptr(TpCheckpoint) checkpoint = NULL;
  g_autoptr(TpCase) kase = NULL;
  g_autoptr(TpReader) reader = NULL;
  g_autoptr(TpTrustStore) trust = NULL;
  g_autoptr(TpReadOptions) read_options = tp_read_options_new ();
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autofree char *mrz = NULL;
  g_autofree char *dir = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *now_text = g_date_time_format (now, "%Y-%m-%d %H:%M");
  Waiting waiting = { loop, 0, NULL, NULL };
  gsize account = 0;
  int status = 0;
  GOptionEntry entries[] = {
    { "reader", 0, 0, G_OPTION_ARG_STRING, &opts.reader,
      "Passport reader (default sim:full, the software chip)", "CONN" },
    { "mrz", 0, 0, G_OPTION_ARG_STRING, &opts.mrz,
      "Printed MRZ of the passport (lines separated by spaces; - reads it from standard input)", "TEXT" },
    { "trust", 0, 0, G_OPTION_ARG_FILENAME, &opts.trust,
      "CSCA certificates, master list, LDIF or directory (default: the test PKI for sim:, "
      "else the terminal's trust store)", "PATH" },
    { "airport", 0, 0, G_OPTION_ARG_STRING, &opts.airport,
      "This checkpoint's airport (default HAN)", "IATA" },
    { "boarding-pass", 0, 0, G_OPTION_ARG_STRING, &opts.boarding_pass,
      "Boarding pass text (default: one for today, made from the passport)", "BCBP" },
    { "role", 0, 0, G_OPTION_ARG_STRING, &opts.role,
      "The officer at the counter: immigration (IMM-01, default), customs (CUS-01) or "
      "supervisor (SUP-01)", "ROLE" },
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
  for (account = 0; opts.role != NULL && account < G_N_ELEMENTS (accounts); account++)
    if (g_str_equal (opts.role, accounts[account].role))
      break;
  if (account == G_N_ELEMENTS (accounts))
    {
      fprintf (stderr, "touchpoint-cli demo: --role %s: expected immigration, customs or supervisor\n",
               opts.role);
      status = 2;
      goto out;
    }

  printf ("Touchpoint demo: exit counter at %s, %s, officer %s (%s)\n", opts.airport, now_text,
          accounts[account].officer, accounts[account].role);
  printf ("(embedded demo list, %s reader, boarding pass %s)\n",
          g_str_has_prefix (opts.reader, "sim:") ? "simulated" : "real",
          opts.boarding_pass ? "as given" : "simulated");

  dir = g_dir_make_tmp ("touchpoint-demo-XXXXXX", &error);
  if (dir == NULL)
    goto failed;

  heading ("1. The list");
  store = load_demo_list (dir, &key, &error);
  if (store == NULL)
    goto failed;
  checkpoint = tp_checkpoint_new (opts.airport, DEMO_CHECKPOINT, DEMO_TERMINAL, store, key);
  kase = tp_case_new (checkpoint, accounts[account].officer, accounts[account].value);
  /* The list loads on a worker thread while the passport is read */
  waiting.pending++;
  tp_checkpoint_load_matcher_async (checkpoint, NULL, loaded_cb, &waiting);

  heading ("2. Passport on the reader");
  mrz = printed_mrz (&opts, &error);
  if (mrz == NULL || !tp_case_set_printed_mrz (kase, mrz, &error))
    goto failed;
  trust = load_trust (&opts, &error);
  if (trust == NULL)
    goto failed;
  read_options->trust = trust;   /* borrowed: outlives the read */
  reader = tp_reader_new (opts.reader);
  waiting.pending++;
  tp_case_read_document_async (kase, reader, read_options, NULL, read_cb, &waiting);
  g_main_loop_run (loop);
  if (waiting.read_error != NULL || waiting.load_error != NULL)
    {
      error = waiting.read_error != NULL ? g_steal_pointer (&waiting.read_error)
                                         : g_steal_pointer (&waiting.load_error);
      goto failed;
    }
  show_document (kase, opts.reader);

  heading ("3. Boarding pass");
  if (!show_boarding_pass (kase, &opts, &error))
    goto failed;

  heading ("4. Screening");
  if (!show_screening (kase, accounts[account].value, &error))
    goto failed;
  goto out;

failed:
  fprintf (stderr, "touchpoint-cli demo: %s\n", error->message);
  status = 2;

out:
  /* A read or load still under way holds the store and its directory */
  if (waiting.pending > 0)
    g_main_loop_run (loop);
  g_clear_error (&waiting.read_error);
  g_clear_error (&waiting.load_error);
  g_clear_object (&kase);
  g_clear_object (&reader);
  g_clear_object (&checkpoint);
  g_clear_object (&store);
  if (dir != NULL)
    remove_tree (dir);
  g_free (opts.reader);
  g_free (opts.mrz);
  g_free (opts.airport);
  g_free (opts.boarding_pass);
  g_free (opts.trust);
  g_free (opts.role);
  return status;
}
