/* test-case.c: the checkpoint layer: TpCheckpoint, TpCase, the identity
 * rule, journey checks, events and the role-aware view of hits
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Real parts: a SQLCipher store in a scratch directory with the demo
 * list, documents read from the software chip through the read engine.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "tp-audit-log.h"
#include "tp-case.h"
#include "tp-checkpoint.h"
#include "tp-document-reader.h"
#include "tp-feed-event.h"
#include "tp-identity.h"
#include "tp-json.h"
#include "tp-key-source.h"
#include "tp-sim-chip.h"
#include "tp-sim-transport.h"
#include "tp-store.h"
#include "tp-test-util.h"

/* The listed traveller: Nguyễn Văn An, national ID 001080012345, on exit
 * ban EB-2025-004417 (customs; visible to immigration and supervisors). */
#define LISTED_ENTRY "EB-2025-004417"
#define TODAY_UTC    "2026-12-06T03:00:00Z"

static TpTrustStore *trust;

typedef struct {
  char         *dir;
  TpKeySource  *key;
  TpStore      *store;
  TpCheckpoint *checkpoint;
  GDateTime    *now;
} Fixture;

static GDateTime *
fixed_clock (gpointer user_data)
{
  Fixture *f = user_data;

  return g_date_time_ref (f->now);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db = NULL;
  g_autofree char *key_path = NULL;
  g_autofree char *list_path = g_test_build_filename (G_TEST_DIST, "..", "data", "demo", "list.jsonl", NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) tp_entry_free);
  TpStoreBatchResult result = { 0, };

  f->dir = g_dir_make_tmp ("tp-case-XXXXXX", &error);
  g_assert_no_error (error);
  db = g_build_filename (f->dir, "terminal.db", NULL);
  key_path = g_build_filename (f->dir, "terminal.key", NULL);
  f->key = tp_key_file_new (key_path);
  f->store = tp_store_open (db, f->key, TP_STORE_OPEN_CREATE, &error);
  g_assert_no_error (error);

  g_file_get_contents (list_path, &text, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (lines[i][0] != '\0')
      {
        TpEntry *entry = tp_entry_from_json (lines[i], -1, &error);

        g_assert_no_error (error);
        g_ptr_array_add (entries, entry);
      }
  tp_store_apply_batch (f->store, entries, &result, &error);
  g_assert_no_error (error);
  tp_store_batch_result_clear (&result);

  f->now = g_date_time_new_from_iso8601 (TODAY_UTC, NULL);
  f->checkpoint = tp_checkpoint_new ("HAN", "HAN-T2-EXIT", "HAN-T2-EXIT-07", f->store, f->key);
  tp_checkpoint_set_clock (f->checkpoint, fixed_clock, f, NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->checkpoint);
  g_clear_object (&f->store);
  g_clear_object (&f->key);
  g_clear_pointer (&f->now, g_date_time_unref);
  tp_test_remove_tree (f->dir);
  g_free (f->dir);
}

static void
load_matcher (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  tp_checkpoint_load_matcher (f->checkpoint, &error);
  g_assert_no_error (error);
  g_assert_nonnull (tp_checkpoint_get_matcher (f->checkpoint));
}

/* The software chip @spec read through the read engine, as a counter's
 * reader would. */
static TpDocument *
read_chip (const char *spec)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpTransport) transport = tp_sim_transport_new (spec, &error);
  g_autoptr(TpAccessKey) key = tp_test_sim_key (spec);
  g_autoptr(TpReadOptions) options = tp_read_options_new ();
  TpDocument *document;

  g_assert_no_error (error);
  options->trust = trust;
  document = tp_document_reader_read (transport, key, options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  return document;
}

static char *
sim_mrz (const char *spec)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpSimChip) chip = tp_sim_chip_new (spec, &error);

  g_assert_no_error (error);
  return g_strdup (tp_sim_chip_get_mrz (chip));
}

static TpMrz *
parse_mrz (const char *text)
{
  g_autoptr(GError) error = NULL;
  TpMrz *mrz = tp_mrz_parse (text, NULL, &error);

  g_assert_no_error (error);
  return mrz;
}

static gboolean
has_hit (TpCase     *kase,
         const char *entry_id)
{
  GPtrArray *hits = tp_case_get_hits (kase);

  for (guint i = 0; i < hits->len; i++)
    if (g_str_equal (((TpHit *) g_ptr_array_index (hits, i))->entry_id, entry_id))
      return TRUE;
  return FALSE;
}

/* ---- the identity rule --------------------------------------------------- */

static void
test_identity_rule (void)
{
  g_autofree char *text = sim_mrz ("full");
  g_autoptr(TpMrz) printed = parse_mrz (text);
  g_autoptr(TpDocument) genuine = read_chip ("full");
  g_autoptr(TpDocument) swapped = read_chip ("full:other-dg1");
  g_autoptr(TpDocument) resigned = read_chip ("full:other-dg1=signed");
  g_autoptr(TpDocument) no_dg1 = read_chip ("full:missing=DG1");
  g_autoptr(TpIdentity) id = NULL;
  const TpQuery *q;

  id = tp_identity_decide (NULL, NULL);
  g_assert_cmpint (id->source, ==, TP_IDENTITY_SOURCE_NONE);
  g_assert_cmpuint (id->queries->len, ==, 0);
  g_clear_pointer (&id, tp_identity_free);

  /* Printed only */
  id = tp_identity_decide (printed, NULL);
  g_assert_cmpint (id->source, ==, TP_IDENTITY_SOURCE_PRINTED);
  g_assert_true (id->mrz == printed);
  g_assert_null (id->note);
  g_clear_pointer (&id, tp_identity_free);

  /* A verified chip that agrees: the chip, with DG11's name */
  g_assert_true (tp_identity_chip_data_counts (genuine, 1));
  g_assert_true (tp_identity_chip_data_counts (genuine, 11));
  id = tp_identity_decide (printed, genuine);
  g_assert_cmpint (id->source, ==, TP_IDENTITY_SOURCE_CHIP);
  g_assert_true (id->mrz == genuine->dg1->mrz);
  g_assert_cmpstr (id->full_name, ==, "NGUYỄN VĂN AN");
  g_assert_cmpuint (id->queries->len, ==, 1);
  q = g_ptr_array_index (id->queries, 0);
  g_assert_cmpstr (q->personal_number, ==, "001080012345");
  g_assert_cmpstr (q->full_name, ==, "NGUYỄN VĂN AN");
  g_clear_pointer (&id, tp_identity_free);

  /* Another person's DG1 after signing: neither DG1 nor DG11 counts */
  g_assert_cmpint (swapped->passive_auth->verdict, ==, TP_PASSIVE_AUTH_INVALID);
  g_assert_false (tp_identity_chip_data_counts (swapped, 1));
  g_assert_false (tp_identity_chip_data_counts (swapped, 11));
  id = tp_identity_decide (printed, swapped);
  g_assert_cmpint (id->source, ==, TP_IDENTITY_SOURCE_PRINTED);
  g_assert_true (id->mrz == printed);
  g_assert_null (id->full_name);
  g_assert_cmpstr (id->note, ==, "from the printed MRZ: the chip's data did not verify");
  q = g_ptr_array_index (id->queries, 0);
  g_assert_cmpstr (q->document_number, ==, "C1234567");
  g_assert_null (q->full_name);
  g_clear_pointer (&id, tp_identity_free);

  /* ... and with no printed MRZ, the unverified chip data, marked */
  id = tp_identity_decide (NULL, swapped);
  g_assert_cmpint (id->source, ==, TP_IDENTITY_SOURCE_UNVERIFIED_CHIP);
  g_assert_cmpstr (id->mrz->primary_identifier, ==, "DO");
  g_assert_nonnull (id->note);
  g_clear_pointer (&id, tp_identity_free);

  /* A genuine chip naming someone else than the print: both */
  g_assert_true (tp_identity_chip_data_counts (resigned, 1));
  id = tp_identity_decide (printed, resigned);
  g_assert_cmpint (id->source, ==, TP_IDENTITY_SOURCE_BOTH);
  g_assert_cmpuint (id->queries->len, ==, 2);
  g_assert_cmpstr (((TpQuery *) g_ptr_array_index (id->queries, 0))->document_number, ==, "C7777777");
  g_assert_cmpstr (((TpQuery *) g_ptr_array_index (id->queries, 1))->document_number, ==, "C1234567");
  g_assert_nonnull (strstr (id->differences, "document number"));
  g_assert_nonnull (strstr (id->differences, "name"));
  g_clear_pointer (&id, tp_identity_free);

  /* No DG1 */
  id = tp_identity_decide (printed, no_dg1);
  g_assert_cmpint (id->source, ==, TP_IDENTITY_SOURCE_PRINTED);
  g_assert_cmpstr (id->note, ==, "from the printed MRZ: the chip gave no DG1 to confirm it");
}

/* ---- cases ------------------------------------------------------------------ */

/* The identity rule (tp-identity.h): a chip serving another person's DG1 must not turn the
 * printed passport's STOP into CLEAR. */
static void
test_other_dg1_keeps_stop (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpCase) kase = NULL;
  g_autofree char *text = sim_mrz ("full");
  const char *spec = data;

  load_matcher (f);
  kase = tp_case_new (f->checkpoint, "IMM-01", TP_ROLE_IMMIGRATION);
  tp_case_set_printed_mrz (kase, text, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tp_case_get_verdict (kase), ==, TP_VERDICT_STOP);

  tp_case_set_document (kase, read_chip (spec), &error);
  g_assert_no_error (error);
  g_assert_true (tp_case_get_screened (kase));
  g_assert_false (tp_case_get_document_verified (kase));
  g_assert_cmpint (tp_case_get_verdict (kase), ==, TP_VERDICT_STOP);
  g_assert_true (has_hit (kase, LISTED_ENTRY));
  if (g_str_equal (spec, "full:other-dg1"))
    {
      g_assert_cmpint (tp_case_get_identity_source (kase), ==, TP_IDENTITY_SOURCE_PRINTED);
      g_assert_cmpstr (tp_case_get_identity (kase)->document_number, ==, "C1234567");
    }
  else
    {
      g_assert_cmpint (tp_case_get_identity_source (kase), ==, TP_IDENTITY_SOURCE_BOTH);
      g_assert_nonnull (strstr (tp_case_get_identity_note (kase), "disagree"));
      g_assert_nonnull (strstr (tp_case_get_verdict_note (kase), "printed one's, stricter, is kept"));
    }
}

static void
test_unverified_chip_alone_is_review (Fixture       *f,
                                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpCase) kase = NULL;

  load_matcher (f);
  kase = tp_case_new (f->checkpoint, "IMM-01", TP_ROLE_IMMIGRATION);
  /* Đỗ Thị Lan is on no list: CLEAR on her data, but it did not verify */
  tp_case_set_document (kase, read_chip ("full:other-dg1"), &error);
  g_assert_no_error (error);
  g_assert_cmpint (tp_case_get_identity_source (kase), ==, TP_IDENTITY_SOURCE_UNVERIFIED_CHIP);
  g_assert_cmpuint (tp_case_get_hits (kase)->len, ==, 0);
  g_assert_cmpint (tp_case_get_verdict (kase), ==, TP_VERDICT_REVIEW);
  g_assert_nonnull (tp_case_get_verdict_note (kase));
}

/* issue 12 §3 with §4: another person's DG1 under an EF.SOD that a forger
 * signed (a TLS certificate, a CSCA itself, another state's Document
 * Signer). The hashes match what was signed, but passive authentication
 * fails, so the chip's data never counts: alone it is screened as
 * unverified (REVIEW at least, not the CLEAR of its data), and with the
 * print it is the printed identity's STOP. */
static void
test_forged_signer_never_counts (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpCase) alone = NULL;
  g_autoptr(TpCase) printed = NULL;
  g_autoptr(TpDocument) document = NULL;
  g_autofree char *text = sim_mrz (data);

  load_matcher (f);
  document = read_chip (data);
  g_assert_cmpint (tp_passive_auth_result_get_hash (document->passive_auth, 1), ==, TP_DG_HASH_MATCH);
  g_assert_cmpint (document->passive_auth->verdict, ==, TP_PASSIVE_AUTH_INVALID);
  g_assert_false (tp_identity_chip_data_counts (document, 1));
  g_assert_false (tp_identity_chip_data_counts (document, 11));

  alone = tp_case_new (f->checkpoint, "IMM-01", TP_ROLE_IMMIGRATION);
  tp_case_set_document (alone, g_steal_pointer (&document), &error);
  g_assert_no_error (error);
  g_assert_cmpint (tp_case_get_identity_source (alone), ==, TP_IDENTITY_SOURCE_UNVERIFIED_CHIP);
  g_assert_false (tp_case_get_document_verified (alone));
  g_assert_cmpint (tp_case_get_verdict (alone), ==, TP_VERDICT_REVIEW);

  /* the check event, in the audit log, says why the chip did not verify */
  {
    GPtrArray *events = tp_case_get_events (alone);
    JsonObject *check = json_node_get_object (g_ptr_array_index (events, events->len - 1));
    JsonArray *failures = json_object_get_array_member (check, "verification_failures");
    JsonObject *audit = json_object_get_object_member (check, "audit");
    g_autoptr(GPtrArray) records = NULL;
    const TpAuditRecord *record;

    g_assert_cmpstr (json_object_get_string_member (check, "type"), ==, "check");
    g_assert_false (json_object_get_boolean_member (check, "verified"));
    g_assert_cmpuint (json_array_get_length (failures), >, 0);
    g_assert_true (g_str_has_prefix (json_array_get_string_element (failures, 0), "passive authentication"));
    g_assert_nonnull (audit);
    records = tp_audit_log_list (f->store, json_object_get_int_member (audit, "seq") - 1, 1, &error);
    g_assert_no_error (error);
    record = g_ptr_array_index (records, 0);
    g_assert_nonnull (strstr (record->details, "verification_failures"));
    g_assert_nonnull (strstr (record->details, "passive authentication"));
  }

  printed = tp_case_new (f->checkpoint, "IMM-01", TP_ROLE_IMMIGRATION);
  tp_case_set_printed_mrz (printed, text, &error);
  g_assert_no_error (error);
  tp_case_set_document (printed, read_chip (data), &error);
  g_assert_no_error (error);
  g_assert_cmpint (tp_case_get_identity_source (printed), ==, TP_IDENTITY_SOURCE_PRINTED);
  g_assert_cmpint (tp_case_get_verdict (printed), ==, TP_VERDICT_STOP);
  g_assert_true (has_hit (printed, LISTED_ENTRY));
}

static void
test_invalid_printed_mrz (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpCase) kase = tp_case_new (f->checkpoint, "IMM-01", TP_ROLE_IMMIGRATION);
  g_autofree char *text = sim_mrz ("full");
  char *digit = strchr (text, '\n') + 1 + 9;   /* the document number's check digit */

  *digit = *digit == '0' ? '1' : '0';
  g_assert_false (tp_case_set_printed_mrz (kase, text, &error));
  g_assert_error (error, TP_CASE_ERROR, TP_CASE_ERROR_INVALID);
  g_assert_null (tp_case_get_printed_mrz (kase));
  g_clear_error (&error);

  g_assert_false (tp_case_set_printed_mrz (kase, "not a zone", &error));
  g_assert_error (error, TP_CASE_ERROR, TP_CASE_ERROR_INVALID);
  g_assert_cmpint (tp_case_get_identity_source (kase), ==, TP_IDENTITY_SOURCE_NONE);
}

typedef struct {
  GMainLoop *loop;
  guint      notified;
  gboolean   done;
  GError    *error;
} Wait;

static void
screened_cb (GObject    *object,
             GParamSpec *pspec,
             gpointer    user_data)
{
  Wait *wait = user_data;

  wait->notified++;
}

static void
loaded_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Wait *wait = user_data;

  tp_checkpoint_load_matcher_finish (TP_CHECKPOINT (source), result, &wait->error);
  wait->done = TRUE;
  g_main_loop_quit (wait->loop);
}

static gboolean
timeout_cb (gpointer user_data)
{
  g_error ("Timed out waiting");
  return G_SOURCE_REMOVE;
}

/* A case filled before the list is loaded waits, and is screened when the
 * worker thread hands the matcher over. */
static void
test_waits_for_the_list (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpCase) kase = tp_case_new (f->checkpoint, "IMM-01", TP_ROLE_IMMIGRATION);
  g_autofree char *text = sim_mrz ("full");
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Wait wait = { loop, 0, FALSE, NULL };
  guint timeout;

  tp_case_set_printed_mrz (kase, text, &error);
  g_assert_no_error (error);
  g_assert_false (tp_case_get_screened (kase));
  g_assert_true (tp_case_get_waiting_for_list (kase));
  g_assert_cmpuint (tp_case_get_events (kase)->len, ==, 0);

  g_signal_connect (kase, "notify::screened", G_CALLBACK (screened_cb), &wait);
  timeout = g_timeout_add_seconds (60, timeout_cb, NULL);
  tp_checkpoint_load_matcher_async (f->checkpoint, NULL, loaded_cb, &wait);
  g_main_loop_run (loop);
  g_source_remove (timeout);
  g_assert_no_error (wait.error);

  g_assert_cmpuint (wait.notified, ==, 1);
  g_assert_true (tp_case_get_screened (kase));
  g_assert_false (tp_case_get_waiting_for_list (kase));
  g_assert_cmpint (tp_case_get_verdict (kase), ==, TP_VERDICT_STOP);
  g_assert_cmpuint (tp_case_get_events (kase)->len, ==, 1);
}

static void
read_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Wait *wait = user_data;

  tp_case_read_document_finish (TP_CASE (source), result, &wait->error);
  wait->done = TRUE;
  g_main_loop_quit (wait->loop);
}

/* The chip read on a TpReader's worker, as the window does it */
static void
test_read_on_the_worker (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpCase) kase = tp_case_new (f->checkpoint, "IMM-01", TP_ROLE_IMMIGRATION);
  g_autoptr(TpReader) reader = NULL;
  g_autoptr(TpReadOptions) options = tp_read_options_new ();
  g_autofree char *text = sim_mrz ("full");
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Wait wait = { loop, 0, FALSE, NULL };
  guint timeout;

  load_matcher (f);
  tp_sim_transport_register ();
  reader = tp_reader_new ("sim:full");
  options->trust = trust;

  /* Without a printed MRZ there is no key to open the chip with */
  tp_case_read_document_async (kase, reader, options, NULL, read_cb, &wait);
  g_main_loop_run (loop);
  g_assert_error (wait.error, TP_CASE_ERROR, TP_CASE_ERROR_NOT_READY);
  g_clear_error (&wait.error);

  tp_case_set_printed_mrz (kase, text, &error);
  g_assert_no_error (error);
  timeout = g_timeout_add_seconds (60, timeout_cb, NULL);
  tp_case_read_document_async (kase, reader, options, NULL, read_cb, &wait);
  g_main_loop_run (loop);
  g_source_remove (timeout);
  g_assert_no_error (wait.error);
  g_assert_true (tp_case_get_document_verified (kase));
  g_assert_cmpint (tp_case_get_identity_source (kase), ==, TP_IDENTITY_SOURCE_CHIP);
  g_assert_cmpstr (tp_case_get_full_name (kase), ==, "NGUYỄN VĂN AN");
  g_assert_cmpint (tp_case_get_verdict (kase), ==, TP_VERDICT_STOP);
}

/* ---- events --------------------------------------------------------------- */

/* The hub's own reading of the event format (app/feed) takes it */
static void
assert_hub_accepts (JsonObject *event)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(TpFeedEvent) parsed = NULL;
  g_autoptr(GError) error = NULL;

  json_node_set_object (node, event);
  parsed = tp_feed_event_new_from_node (node, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (parsed->id, ==, json_object_get_string_member (event, "id"));
  g_assert_cmpstr (tp_event_type_to_string (parsed->type), ==, json_object_get_string_member (event, "type"));
  g_assert_cmpstr (parsed->case_id, ==, json_object_get_string_member (event, "case_id"));
}

static void
assert_common_members (JsonObject *event,
                       const char *type,
                       TpCase     *kase)
{
  const char *id = json_object_get_string_member (event, "id");

  g_assert_true (g_uuid_string_is_valid (id));
  g_assert_cmpint (id[14], ==, '4');   /* version 4 */
  g_assert_cmpstr (json_object_get_string_member (event, "type"), ==, type);
  g_assert_true (g_regex_match_simple ("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z$",
                                       json_object_get_string_member (event, "at"), 0, 0));
  g_assert_cmpstr (json_object_get_string_member (event, "at"), ==, "2026-12-06T03:00:00.000Z");
  g_assert_cmpstr (json_object_get_string_member (event, "case_id"), ==, tp_case_get_id (kase));
  g_assert_cmpstr (json_object_get_string_member (event, "officer"), ==, tp_case_get_officer (kase));
  g_assert_cmpstr (json_object_get_string_member (event, "role"), ==,
                   tp_role_to_string (tp_case_get_role (kase)));
  assert_hub_accepts (event);
}

/* The event as recorded is the audit record's details, and its "audit"
 * member points at that record. */
static void
assert_in_audit_log (Fixture    *f,
                     JsonObject *event)
{
  g_autoptr(GError) error = NULL;
  JsonObject *audit = json_object_get_object_member (event, "audit");
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(JsonObject) copy = json_object_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *canonical = NULL;
  const TpAuditRecord *record;
  gint64 seq;
  g_autoptr(GList) members = json_object_get_members (event);

  g_assert_nonnull (audit);
  seq = json_object_get_int_member (audit, "seq");
  records = tp_audit_log_list (f->store, seq - 1, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (records->len, ==, 1);
  record = g_ptr_array_index (records, 0);
  g_assert_cmpint (record->seq, ==, seq);
  g_assert_cmpstr (record->hash, ==, json_object_get_string_member (audit, "hash"));
  g_assert_cmpstr (record->subject, ==, json_object_get_string_member (event, "case_id"));
  g_assert_cmpstr (record->actor, ==, json_object_get_string_member (event, "officer"));
  g_assert_true (g_str_has_prefix (record->action, "case."));
  g_assert_cmpstr (record->action + 5, ==, json_object_get_string_member (event, "type"));

  for (GList *l = members; l != NULL; l = l->next)
    if (!g_str_equal (l->data, "audit"))
      json_object_set_member (copy, l->data, json_object_dup_member (event, l->data));
  json_node_set_object (node, copy);
  canonical = tp_json_canonical (node);
  g_assert_cmpstr (record->details, ==, canonical);
}

static void
test_check_events (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpCase) kase = NULL;
  g_autofree char *text = sim_mrz ("full");
  g_autofree char *pass = NULL;
  TpAuditVerification verification = { 0, };
  GPtrArray *events;
  JsonObject *check;
  JsonObject *flight;
  JsonArray *hits;

  load_matcher (f);
  kase = tp_case_new (f->checkpoint, "IMM-01", TP_ROLE_IMMIGRATION);
  tp_case_set_printed_mrz (kase, text, &error);
  g_assert_no_error (error);
  /* the same again says nothing new: no second check */
  tp_case_set_printed_mrz (kase, text, &error);
  g_assert_no_error (error);
  events = tp_case_get_events (kase);
  g_assert_cmpuint (events->len, ==, 1);

  pass = g_strdup ("M1NGUYEN/VAN AN       EABC123 HANNRTVN 0310 340Y012A0042 100");
  tp_case_set_boarding_pass (kase, pass, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 2);

  check = json_node_get_object (g_ptr_array_index (events, 1));
  assert_common_members (check, "check", kase);
  g_assert_cmpstr (json_object_get_string_member (check, "verdict"), ==, "STOP");
  g_assert_cmpint (json_object_get_int_member (check, "list_seq"), ==, 0);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (check, "document"), "number"),
                   ==, "C1234567");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (check, "document"),
                                                  "issuing_state"), ==, "UTO");
  g_assert_false (json_object_get_boolean_member (check, "verified"));
  hits = json_object_get_array_member (check, "hits");
  g_assert_cmpuint (json_array_get_length (hits), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (hits, 0), "entry"), ==,
                   LISTED_ENTRY);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (hits, 0), "version"), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (hits, 0), "band"), ==,
                   "confirmed");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (hits, 0), "agency"), ==,
                   "customs");
  flight = json_object_get_object_member (check, "flight");
  g_assert_cmpstr (json_object_get_string_member (flight, "carrier"), ==, "VN");
  g_assert_cmpstr (json_object_get_string_member (flight, "number"), ==, "0310");
  g_assert_cmpstr (json_object_get_string_member (flight, "date"), ==, "2026-12-06");
  g_assert_cmpstr (json_object_get_string_member (flight, "from"), ==, "HAN");
  g_assert_cmpstr (json_object_get_string_member (flight, "to"), ==, "NRT");

  for (guint i = 0; i < events->len; i++)
    assert_in_audit_log (f, json_node_get_object (g_ptr_array_index (events, i)));
  tp_audit_log_verify (f->store, &verification, &error);
  g_assert_no_error (error);
  g_assert_true (verification.valid);
  tp_audit_verification_clear (&verification);
}

typedef struct {
  guint     count;
  JsonNode *last;
} Recorded;

static void
event_recorded_cb (TpCheckpoint *checkpoint,
                   JsonNode     *event,
                   gpointer      user_data)
{
  Recorded *recorded = user_data;

  recorded->count++;
  recorded->last = event;
}

static void
test_decisions (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpCase) kase = NULL;
  g_autofree char *text = sim_mrz ("full");
  g_autofree char *escalation = NULL;
  g_autoptr(GPtrArray) clearances = NULL;
  Recorded recorded = { 0, NULL };
  TpDecision d = { 0, };
  JsonObject *event;
  guint before;

  load_matcher (f);
  g_signal_connect (f->checkpoint, "event-recorded", G_CALLBACK (event_recorded_cb), &recorded);
  kase = tp_case_new (f->checkpoint, "IMM-01", TP_ROLE_IMMIGRATION);
  tp_case_set_printed_mrz (kase, text, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tp_case_get_verdict (kase), ==, TP_VERDICT_STOP);
  g_assert_cmpuint (recorded.count, ==, 1);
  before = tp_case_get_events (kase)->len;

  /* Refused before anything is recorded */
  d.action = TP_DECISION_ALLOW_EXIT;
  g_assert_false (tp_case_decide (kase, &d, &error));
  g_assert_error (error, TP_CASE_ERROR, TP_CASE_ERROR_NOT_PERMITTED);
  g_clear_error (&error);
  d.action = TP_DECISION_OVERRIDE;
  d.reason = "paid at the counter";
  g_assert_false (tp_case_decide (kase, &d, &error));
  g_assert_error (error, TP_CASE_ERROR, TP_CASE_ERROR_NOT_PERMITTED);
  g_clear_error (&error);
  d = (TpDecision) { TP_DECISION_DENY_EXIT, NULL, "  ", NULL, NULL, 0, NULL };
  g_assert_false (tp_case_decide (kase, &d, &error));
  g_assert_error (error, TP_CASE_ERROR, TP_CASE_ERROR_INVALID);
  g_clear_error (&error);
  d.action = TP_DECISION_REFER_IMMIGRATION;
  g_assert_false (tp_case_decide (kase, &d, &error));
  g_assert_error (error, TP_CASE_ERROR, TP_CASE_ERROR_NOT_PERMITTED);
  g_clear_error (&error);
  g_assert_cmpuint (tp_case_get_events (kase)->len, ==, before);

  /* deny_exit names the STOP hit's entry by default */
  d = (TpDecision) { TP_DECISION_DENY_EXIT, NULL, "1234/TB-HQ", NULL, NULL, 0, NULL };
  g_assert_true (tp_case_decide (kase, &d, &error));
  g_assert_no_error (error);
  event = json_node_get_object (recorded.last);
  assert_common_members (event, "decision", kase);
  g_assert_cmpstr (json_object_get_string_member (event, "action"), ==, "deny_exit");
  g_assert_cmpstr (json_object_get_string_member (event, "notice_reference"), ==, "1234/TB-HQ");
  g_assert_true (json_object_get_null_member (event, "reason"));
  g_assert_true (json_object_get_null_member (event, "category"));
  g_assert_true (json_object_get_null_member (event, "escalation"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (event, "entry"), "id"), ==,
                   LISTED_ENTRY);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (event, "entry"), "version"), ==, 3);
  assert_in_audit_log (f, event);

  /* Escalation, then the supervisor takes the case over */
  g_assert_null (tp_case_escalate (kase, "", &error));
  g_assert_error (error, TP_CASE_ERROR, TP_CASE_ERROR_INVALID);
  g_clear_error (&error);
  escalation = tp_case_escalate (kase, "traveller says the debt is paid", &error);
  g_assert_no_error (error);
  event = json_node_get_object (recorded.last);
  assert_common_members (event, "escalation", kase);
  g_assert_cmpstr (json_object_get_string_member (event, "id"), ==, escalation);
  g_assert_cmpstr (json_object_get_string_member (event, "verdict"), ==, "STOP");

  tp_case_set_officer (kase, "SUP-01", TP_ROLE_SUPERVISOR);
  d = (TpDecision) { TP_DECISION_OVERRIDE, NULL, NULL, NULL, NULL, 0, NULL };
  g_assert_false (tp_case_decide (kase, &d, &error));
  g_assert_error (error, TP_CASE_ERROR, TP_CASE_ERROR_INVALID);
  g_clear_error (&error);
  d = (TpDecision) { TP_DECISION_RESOLVE, "receipt seen", NULL, NULL, NULL, 0, escalation };
  g_assert_true (tp_case_decide (kase, &d, &error));
  g_assert_no_error (error);
  event = json_node_get_object (recorded.last);
  assert_common_members (event, "decision", kase);
  g_assert_cmpstr (json_object_get_string_member (event, "escalation"), ==, escalation);
  g_assert_cmpstr (json_object_get_string_member (event, "role"), ==, "supervisor");

  g_assert_true (tp_case_add_note (kase, "Receipt 0042 from the tax office", &error));
  g_assert_no_error (error);
  event = json_node_get_object (recorded.last);
  assert_common_members (event, "note", kase);
  g_assert_cmpstr (json_object_get_string_member (event, "text"), ==, "Receipt 0042 from the tax office");

  /* Clearing the false positive: stored, the matcher told, re-screened */
  d = (TpDecision) { TP_DECISION_CLEAR_FALSE_POSITIVE, "another person", NULL, NULL, LISTED_ENTRY, 3, NULL };
  g_assert_true (tp_case_decide (kase, &d, &error));
  g_assert_no_error (error);
  g_assert_cmpint (tp_case_get_verdict (kase), ==, TP_VERDICT_CLEAR);
  event = json_node_get_object (recorded.last);
  assert_common_members (event, "check", kase);
  g_assert_cmpstr (json_object_get_string_member (event, "verdict"), ==, "CLEAR");
  clearances = tp_store_list_clearances (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (clearances->len, ==, 1);
  g_assert_cmpstr (((TpClearance *) g_ptr_array_index (clearances, 0))->document_key, ==, "UTO:C1234567");

  g_assert_cmpuint (recorded.count, ==, tp_case_get_events (kase)->len);
  g_signal_handlers_disconnect_by_data (f->checkpoint, &recorded);
}

/* The store refuses to record (here: an officer login that is not
 * UTF-8): the case keeps the event, without "audit", and says why. */
static void
test_record_failure (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpCase) kase = NULL;
  JsonObject *event;

  kase = tp_case_new (f->checkpoint, "IMM-\xff", TP_ROLE_IMMIGRATION);
  g_assert_false (tp_case_add_note (kase, "a note", &error));
  g_assert_error (error, TP_STORE_ERROR, TP_STORE_ERROR_INVALID);
  g_assert_nonnull (tp_case_get_record_error (kase));
  g_assert_cmpuint (tp_case_get_events (kase)->len, ==, 1);
  event = json_node_get_object (g_ptr_array_index (tp_case_get_events (kase), 0));
  g_assert_false (json_object_has_member (event, "audit"));

  /* the next event that records clears it */
  tp_case_set_officer (kase, "IMM-01", TP_ROLE_IMMIGRATION);
  g_clear_error (&error);
  g_assert_true (tp_case_add_note (kase, "a note", &error));
  g_assert_no_error (error);
  g_assert_null (tp_case_get_record_error (kase));
}

/* ---- boarding passes --------------------------------------------------- */

static void
test_boarding_pass_used_twice (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpCase) first = tp_case_new (f->checkpoint, "IMM-01", TP_ROLE_IMMIGRATION);
  g_autoptr(TpCase) second = tp_case_new (f->checkpoint, "IMM-01", TP_ROLE_IMMIGRATION);
  g_autoptr(TpCase) third = NULL;
  g_autofree char *text = sim_mrz ("full");
  const char *pass = "M1NGUYEN/VAN AN       EABC123 HANNRTVN 0310 340Y012A0042 100";
  const TpBoardingCheck *check;

  tp_case_set_printed_mrz (first, text, &error);
  g_assert_no_error (error);
  tp_case_set_boarding_pass (first, pass, &error);
  g_assert_no_error (error);
  check = tp_case_get_boarding_check (first);
  g_assert_cmpint (check->departs_here, ==, TP_BOARDING_OK);
  g_assert_cmpint (check->flight_date, ==, TP_BOARDING_OK);
  g_assert_cmpint (check->name, ==, TP_BOARDING_OK);
  g_assert_cmpint (check->first_use, ==, TP_BOARDING_OK);
  g_assert_true (tp_boarding_check_passed (check));

  /* scanned again in the same case: still its first use */
  tp_case_set_boarding_pass (first, pass, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tp_case_get_boarding_check (first)->first_use, ==, TP_BOARDING_OK);

  /* in another case the same day: used */
  tp_case_set_boarding_pass (second, pass, &error);
  g_assert_no_error (error);
  check = tp_case_get_boarding_check (second);
  g_assert_cmpint (check->first_use, ==, TP_BOARDING_FAILED);
  g_assert_false (tp_boarding_check_passed (check));
  g_assert_cmpuint (check->problems->len, >=, 1);
  /* no identity yet: the name cannot be compared */
  g_assert_cmpint (check->name, ==, TP_BOARDING_UNKNOWN);

  /* the next day (flight date now a day off, still within the window) */
  g_date_time_unref (f->now);
  f->now = g_date_time_new_from_iso8601 ("2026-12-07T03:00:00Z", NULL);
  third = tp_case_new (f->checkpoint, "IMM-01", TP_ROLE_IMMIGRATION);
  tp_case_set_boarding_pass (third, pass, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tp_case_get_boarding_check (third)->first_use, ==, TP_BOARDING_OK);

  g_assert_false (tp_case_set_boarding_pass (third, "not a pass", &error));
  g_assert_nonnull (error);
}

/* ---- what each role sees ---------------------------------------------- */

static void
test_hit_views (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpCase) kase = NULL;
  g_autofree char *text = sim_mrz ("full");
  g_autoptr(GPtrArray) views = NULL;
  const TpHitView *view;

  load_matcher (f);
  kase = tp_case_new (f->checkpoint, "IMM-01", TP_ROLE_IMMIGRATION);
  tp_case_set_printed_mrz (kase, text, &error);
  g_assert_no_error (error);

  views = tp_case_dup_hit_views (kase, TP_ROLE_IMMIGRATION, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (views->len, ==, 1);
  view = g_ptr_array_index (views, 0);
  g_assert_true (view->visible);
  g_assert_cmpstr (view->entry_id, ==, LISTED_ENTRY);
  g_assert_cmpint (view->band, ==, TP_BAND_CONFIRMED);
  g_assert_cmpstr (view->basis_reference, ==, "1234/TB-HQ");
  g_assert_cmpstr (view->basis_reason, ==, "tax_debt");
  g_assert_cmpstr (view->effective_from, ==, "2026-01-16");
  g_assert_null (view->effective_until);
  g_assert_cmpstr (view->full_name, ==, "Nguyễn Văn An");
  g_assert_cmpstr (view->refer_to, ==, "refer to customs");
  g_clear_pointer (&views, g_ptr_array_unref);

  /* customs is not in the entry's visibility: the owner, nothing else */
  views = tp_case_dup_hit_views (kase, TP_ROLE_CUSTOMS, &error);
  g_assert_no_error (error);
  view = g_ptr_array_index (views, 0);
  g_assert_false (view->visible);
  g_assert_cmpint (view->agency, ==, TP_AGENCY_CUSTOMS);
  g_assert_cmpstr (view->refer_to, ==, "refer to customs");
  g_assert_null (view->entry_id);
  g_assert_null (view->basis_reference);
  g_assert_null (view->basis_issued_by);
  g_assert_null (view->explanation);
  g_assert_null (view->full_name);
  g_assert_cmpint (view->band, ==, TP_BAND_NONE);
  g_clear_pointer (&views, g_ptr_array_unref);

  views = tp_case_dup_hit_views (kase, TP_ROLE_SUPERVISOR, &error);
  g_assert_no_error (error);
  g_assert_true (((TpHitView *) g_ptr_array_index (views, 0))->visible);
}

static void
test_decision_names (void)
{
  TpDecisionAction action;

  for (guint i = 0; i <= TP_DECISION_CLEAR_FALSE_POSITIVE; i++)
    {
      g_assert_true (tp_decision_action_from_string (tp_decision_action_to_string (i), &action));
      g_assert_cmpint (action, ==, i);
    }
  g_assert_cmpstr (tp_decision_action_to_string (TP_DECISION_CLEAR_FALSE_POSITIVE), ==,
                   "clear_false_positive");
  g_assert_false (tp_decision_action_from_string ("allow", &action));
  g_assert_false (tp_decision_action_from_string (NULL, &action));
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);

  trust = tp_test_sim_trust ();

#define ADD(path, func, data) \
  g_test_add (path, Fixture, data, fixture_set_up, func, fixture_tear_down)

  g_test_add_func ("/case/identity-rule", test_identity_rule);
  ADD ("/case/other-dg1/unsigned", test_other_dg1_keeps_stop, "full:other-dg1");
  ADD ("/case/other-dg1/signed", test_other_dg1_keeps_stop, "full:other-dg1=signed");
  ADD ("/case/unverified-chip-alone", test_unverified_chip_alone_is_review, NULL);
  ADD ("/case/forged-signer/tls", test_forged_signer_never_counts, "full:other-dg1=signed,signer=tls");
  ADD ("/case/forged-signer/csca", test_forged_signer_never_counts, "full:other-dg1=signed,signer=csca");
  ADD ("/case/forged-signer/germany", test_forged_signer_never_counts,
       "full:other-dg1=signed,signer=germany");
  ADD ("/case/invalid-printed-mrz", test_invalid_printed_mrz, NULL);
  ADD ("/case/waits-for-the-list", test_waits_for_the_list, NULL);
  ADD ("/case/read-on-the-worker", test_read_on_the_worker, NULL);
  ADD ("/case/events/check", test_check_events, NULL);
  ADD ("/case/events/decisions", test_decisions, NULL);
  ADD ("/case/events/record-failure", test_record_failure, NULL);
  ADD ("/case/boarding-pass/used-twice", test_boarding_pass_used_twice, NULL);
  ADD ("/case/hit-views", test_hit_views, NULL);
  g_test_add_func ("/case/decision-names", test_decision_names);

  ret = g_test_run ();

  tp_trust_store_free (trust);
  return ret;
}
