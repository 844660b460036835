/* tp-case.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "tp-case-event.h"
#include "tp-case.h"
#include "tp-json.h"

struct _TpCase
{
  GObject           parent_instance;

  char             *id;
  TpCheckpoint     *checkpoint;
  char             *officer;
  TpRoles           role;

  TpMrz            *printed;
  TpDocument       *document;
  TpBcbp           *pass;
  TpBoardingCheck  *boarding;
  int               leg;               /* index of the leg departing here, -1 */

  TpIdentity       *identity;
  char             *screened_queries;  /* the queries last screened, as JSON */
  GPtrArray        *results;           /* TpScreenResult, one per query */
  GPtrArray        *hits;              /* TpHit (borrowed from results), merged */
  TpVerdict         verdict;
  char             *verdict_note;
  gboolean          screened;
  gboolean          waiting;
  gint64            screening_us;

  GPtrArray        *events;            /* JsonNode */
  char             *last_check;        /* what the last check event said */
  GError           *record_error;
};

enum {
  PROP_0,
  PROP_ID,
  PROP_OFFICER,
  PROP_ROLE,
  PROP_IDENTITY_SOURCE,
  PROP_IDENTITY_NOTE,
  PROP_VERDICT,
  PROP_SCREENED,
  PROP_VERDICT_NOTE,
  PROP_WAITING_FOR_LIST,
  PROP_DOCUMENT_VERIFIED,
  PROP_PRINTED_MRZ,
  PROP_DOCUMENT,
  PROP_BOARDING_PASS,
  PROP_BOARDING_CHECK,
  PROP_N_EVENTS,
  PROP_RECORD_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const decision_names[] = {
  "allow_exit", "deny_exit", "refer_customs", "refer_immigration", "escalate",
  "select_screening", "record_findings", "resolve", "override", "clear_false_positive",
};

G_DEFINE_FINAL_TYPE (TpCase, tp_case, G_TYPE_OBJECT)

G_DEFINE_QUARK (tp-case-error-quark, tp_case_error)

static void
notify (TpCase *self,
        guint   prop)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
set_string (TpCase      *self,
            char       **field,
            const char  *value,
            guint        prop)
{
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
  notify (self, prop);
}

/* ---- events ------------------------------------------------------------- */

static JsonObject *
new_event (TpCase     *self,
           const char *type)
{
  g_autoptr(GDateTime) now = tp_checkpoint_now (self->checkpoint);

  return tp_case_event_new (type, now, self->id, self->officer, self->role);
}

static void
add_check (TpCase     *self,
           JsonObject *event)
{
  tp_case_event_add_check (event, self->verdict, tp_checkpoint_get_list_seq (self->checkpoint),
                           self->identity->mrz, tp_case_get_document_verified (self), self->hits,
                           tp_case_get_departing_leg (self), self->identity->source);
  tp_case_event_add_verification (event, self->document);
}

/* Through the checkpoint (audit log, then the outbox); kept on the case
 * whatever happens, so the timeline shows what the officer did. */
static gboolean
add_event (TpCase      *self,
           JsonObject  *event,
           GError     **error)
{
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(GError) local = NULL;

  json_node_take_object (node, event);
  g_ptr_array_add (self->events, node);
  if (!tp_checkpoint_record_event (self->checkpoint, node, &local))
    {
      g_clear_error (&self->record_error);
      self->record_error = g_error_copy (local);
      notify (self, PROP_RECORD_ERROR);
      notify (self, PROP_N_EVENTS);
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  if (self->record_error != NULL)
    {
      g_clear_error (&self->record_error);
      notify (self, PROP_RECORD_ERROR);
    }
  notify (self, PROP_N_EVENTS);
  return TRUE;
}

/* A check event when what a check says changed since the last one. */
static gboolean
record_check (TpCase  *self,
              GError **error)
{
  g_autoptr(JsonNode) said = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *text = NULL;
  JsonObject *event;

  if (!self->screened)
    return TRUE;
  json_node_take_object (said, json_object_new ());
  add_check (self, json_node_get_object (said));
  text = tp_json_canonical (said);
  if (g_strcmp0 (text, self->last_check) == 0)
    return TRUE;
  g_free (self->last_check);
  self->last_check = g_steal_pointer (&text);

  event = new_event (self, "check");
  add_check (self, event);
  return add_event (self, event, error);
}

/* ---- screening ---------------------------------------------------------- */

static char *
queries_json (const TpIdentity *identity)
{
  g_autoptr(GString) out = g_string_new ("[");

  for (guint i = 0; i < identity->queries->len; i++)
    {
      g_autofree char *json = tp_query_to_json (g_ptr_array_index (identity->queries, i));

      g_string_append_printf (out, "%s%s", i ? "," : "", json);
    }
  g_string_append_c (out, ']');
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
clear_screening (TpCase *self)
{
  g_ptr_array_set_size (self->hits, 0);
  g_ptr_array_set_size (self->results, 0);
}

/* Every entry once, at its better band (the results are best first). */
static void
merge_hits (TpCase *self)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  g_ptr_array_set_size (self->hits, 0);
  for (guint r = 0; r < self->results->len; r++)
    {
      const TpScreenResult *result = g_ptr_array_index (self->results, r);

      for (guint i = 0; i < result->hits->len; i++)
        {
          TpHit *hit = g_ptr_array_index (result->hits, i);
          TpHit *other = g_hash_table_lookup (seen, hit->entry_id);

          if (other == NULL)
            {
              g_hash_table_insert (seen, hit->entry_id, hit);
              g_ptr_array_add (self->hits, hit);
            }
          else if (hit->band > other->band || (hit->band == other->band && hit->score > other->score))
            {
              guint index;

              if (g_ptr_array_find (self->hits, other, &index))
                self->hits->pdata[index] = hit;
              g_hash_table_insert (seen, hit->entry_id, hit);
            }
        }
    }
}

static int
compare_hits (gconstpointer a,
              gconstpointer b)
{
  const TpHit *x = *(const TpHit * const *) a;
  const TpHit *y = *(const TpHit * const *) b;

  if (x->band != y->band)
    return x->band > y->band ? -1 : 1;
  if (x->score != y->score)
    return x->score > y->score ? -1 : 1;
  return strcmp (x->entry_id, y->entry_id);
}

static void
screen (TpCase *self)
{
  TpMatcher *matcher = tp_checkpoint_get_matcher (self->checkpoint);
  TpVerdict verdict = TP_VERDICT_CLEAR;
  const char *note = NULL;
  g_autoptr(GDateTime) now = tp_checkpoint_now (self->checkpoint);
  TpScreenOptions options;
  GDate today;
  gint64 start;
  gboolean was_waiting = self->waiting;

  clear_screening (self);
  if (self->identity->source == TP_IDENTITY_SOURCE_NONE || matcher == NULL)
    {
      /* Nothing to screen, or a list still loading: no verdict to show */
      self->waiting = self->identity->source != TP_IDENTITY_SOURCE_NONE;
      if (self->screened)
        {
          self->screened = FALSE;
          notify (self, PROP_SCREENED);
        }
      if (self->waiting != was_waiting)
        notify (self, PROP_WAITING_FOR_LIST);
      return;
    }

  tp_checkpoint_get_today (self->checkpoint, &today);
  tp_screen_options_init (&options, &today, g_date_time_to_unix (now));
  start = g_get_monotonic_time ();
  for (guint i = 0; i < self->identity->queries->len; i++)
    {
      TpScreenResult *result = tp_matcher_screen (matcher, g_ptr_array_index (self->identity->queries, i),
                                                  &options);

      verdict = MAX (verdict, result->verdict);
      g_ptr_array_add (self->results, result);
    }
  self->screening_us = g_get_monotonic_time () - start;
  merge_hits (self);
  g_ptr_array_sort (self->hits, compare_hits);

  if (self->identity->source == TP_IDENTITY_SOURCE_UNVERIFIED_CHIP && verdict < TP_VERDICT_REVIEW)
    {
      verdict = TP_VERDICT_REVIEW;
      note = "REVIEW: the chip's data did not verify and there is no printed MRZ to screen instead";
    }
  else if (self->identity->source == TP_IDENTITY_SOURCE_BOTH)
    {
      const TpScreenResult *chip = g_ptr_array_index (self->results, 0);
      const TpScreenResult *printed = g_ptr_array_index (self->results, 1);

      if (chip->verdict == printed->verdict)
        note = "The chip's identity and the printed one were both screened: same verdict";
      else if (chip->verdict > printed->verdict)
        note = "The chip's identity and the printed one were both screened: the chip's, stricter, is kept";
      else
        note = "The chip's identity and the printed one were both screened: the printed one's, stricter, is kept";
    }

  self->waiting = FALSE;
  if (was_waiting)
    notify (self, PROP_WAITING_FOR_LIST);
  if (!self->screened || self->verdict != verdict)
    {
      self->verdict = verdict;
      notify (self, PROP_VERDICT);
    }
  if (!self->screened)
    {
      self->screened = TRUE;
      notify (self, PROP_SCREENED);
    }
  set_string (self, &self->verdict_note, note, PROP_VERDICT_NOTE);
}

/* ---- updating --------------------------------------------------------- */

static void
check_boarding_pass (TpCase *self)
{
  const TpMrz *identity = self->identity->mrz;
  TpBoardingState first_use = TP_BOARDING_UNKNOWN;
  GDate today;

  if (self->pass == NULL)
    return;
  if (self->boarding != NULL)
    first_use = self->boarding->first_use;
  tp_checkpoint_get_today (self->checkpoint, &today);
  g_clear_pointer (&self->boarding, tp_boarding_check_free);
  self->boarding = tp_boarding_check (self->pass, tp_checkpoint_get_airport (self->checkpoint), &today,
                                      identity ? identity->primary_identifier : NULL,
                                      identity ? identity->secondary_identifier : NULL);
  self->leg = self->boarding->leg;
  self->boarding->first_use = first_use;
  if (first_use == TP_BOARDING_FAILED)
    g_ptr_array_add (self->boarding->problems,
                     g_strdup ("This boarding pass was already presented at this checkpoint today, "
                               "in another case"));
  notify (self, PROP_BOARDING_CHECK);
}

/* After any data arrived: the identity again, the screening when it
 * changed (or @rescreen), the journey, and a check event when the check
 * says something new. */
static gboolean
update (TpCase    *self,
        gboolean   rescreen,
        GError   **error)
{
  TpIdentitySource old_source = self->identity->source;
  g_autofree char *old_note = g_strdup (self->identity->note);
  g_autofree char *queries = NULL;

  g_clear_pointer (&self->identity, tp_identity_free);
  self->identity = tp_identity_decide (self->printed, self->document);
  if (self->identity->source != old_source)
    notify (self, PROP_IDENTITY_SOURCE);
  if (g_strcmp0 (old_note, self->identity->note) != 0)
    notify (self, PROP_IDENTITY_NOTE);

  queries = queries_json (self->identity);
  if (rescreen || g_strcmp0 (queries, self->screened_queries) != 0 || !self->screened)
    {
      g_free (self->screened_queries);
      self->screened_queries = g_steal_pointer (&queries);
      screen (self);
    }
  check_boarding_pass (self);
  return record_check (self, error);
}

static void
matcher_changed_cb (TpCheckpoint *checkpoint,
                    GParamSpec   *pspec,
                    gpointer      user_data)
{
  TpCase *self = user_data;

  if (self->identity->source != TP_IDENTITY_SOURCE_NONE)
    update (self, TRUE, NULL);   /* a failure is in record-error */
}

/* ---- GObject ------------------------------------------------------------ */

static void
tp_case_dispose (GObject *object)
{
  TpCase *self = TP_CASE (object);

  if (self->checkpoint != NULL)
    g_signal_handlers_disconnect_by_data (self->checkpoint, self);
  g_clear_object (&self->checkpoint);

  G_OBJECT_CLASS (tp_case_parent_class)->dispose (object);
}

static void
tp_case_finalize (GObject *object)
{
  TpCase *self = TP_CASE (object);

  g_free (self->id);
  g_free (self->officer);
  g_clear_pointer (&self->printed, tp_mrz_free);
  g_clear_pointer (&self->document, tp_document_free);
  g_clear_pointer (&self->pass, tp_bcbp_free);
  g_clear_pointer (&self->boarding, tp_boarding_check_free);
  g_clear_pointer (&self->identity, tp_identity_free);
  g_free (self->screened_queries);
  g_clear_pointer (&self->hits, g_ptr_array_unref);
  g_clear_pointer (&self->results, g_ptr_array_unref);
  g_free (self->verdict_note);
  g_clear_pointer (&self->events, g_ptr_array_unref);
  g_free (self->last_check);
  g_clear_error (&self->record_error);

  G_OBJECT_CLASS (tp_case_parent_class)->finalize (object);
}

static void
tp_case_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  TpCase *self = TP_CASE (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_OFFICER:
      g_value_set_string (value, self->officer);
      break;

    case PROP_ROLE:
      g_value_set_string (value, tp_role_to_string (self->role));
      break;

    case PROP_IDENTITY_SOURCE:
      g_value_set_enum (value, self->identity->source);
      break;

    case PROP_IDENTITY_NOTE:
      g_value_set_string (value, self->identity->note);
      break;

    case PROP_VERDICT:
      g_value_set_string (value, self->screened ? tp_verdict_to_string (self->verdict) : NULL);
      break;

    case PROP_SCREENED:
      g_value_set_boolean (value, self->screened);
      break;

    case PROP_VERDICT_NOTE:
      g_value_set_string (value, self->verdict_note);
      break;

    case PROP_WAITING_FOR_LIST:
      g_value_set_boolean (value, self->waiting);
      break;

    case PROP_DOCUMENT_VERIFIED:
      g_value_set_boolean (value, tp_case_get_document_verified (self));
      break;

    case PROP_PRINTED_MRZ:
      g_value_set_pointer (value, self->printed);
      break;

    case PROP_DOCUMENT:
      g_value_set_pointer (value, self->document);
      break;

    case PROP_BOARDING_PASS:
      g_value_set_pointer (value, self->pass);
      break;

    case PROP_BOARDING_CHECK:
      g_value_set_pointer (value, self->boarding);
      break;

    case PROP_N_EVENTS:
      g_value_set_uint (value, self->events->len);
      break;

    case PROP_RECORD_ERROR:
      g_value_set_boxed (value, self->record_error);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tp_case_class_init (TpCaseClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = tp_case_dispose;
  object_class->finalize = tp_case_finalize;
  object_class->get_property = tp_case_get_property;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, ro);
  properties[PROP_OFFICER] = g_param_spec_string ("officer", NULL, NULL, NULL, ro);
  /* "immigration", "customs", "supervisor" */
  properties[PROP_ROLE] = g_param_spec_string ("role", NULL, NULL, NULL, ro);
  properties[PROP_IDENTITY_SOURCE] =
    g_param_spec_enum ("identity-source", NULL, NULL, TP_TYPE_IDENTITY_SOURCE,
                       TP_IDENTITY_SOURCE_NONE, ro);
  properties[PROP_IDENTITY_NOTE] = g_param_spec_string ("identity-note", NULL, NULL, NULL, ro);
  /* "CLEAR", "REVIEW", "REFER", "STOP", or NULL before a screening */
  properties[PROP_VERDICT] = g_param_spec_string ("verdict", NULL, NULL, NULL, ro);
  properties[PROP_SCREENED] = g_param_spec_boolean ("screened", NULL, NULL, FALSE, ro);
  properties[PROP_VERDICT_NOTE] = g_param_spec_string ("verdict-note", NULL, NULL, NULL, ro);
  properties[PROP_WAITING_FOR_LIST] =
    g_param_spec_boolean ("waiting-for-list", NULL, NULL, FALSE, ro);
  properties[PROP_DOCUMENT_VERIFIED] =
    g_param_spec_boolean ("document-verified", NULL, NULL, FALSE, ro);
  /* Pointers to what the getters return (TpMrz, TpDocument, TpBcbp,
   * TpBoardingCheck): notified when replaced */
  properties[PROP_PRINTED_MRZ] = g_param_spec_pointer ("printed-mrz", NULL, NULL, ro);
  properties[PROP_DOCUMENT] = g_param_spec_pointer ("document", NULL, NULL, ro);
  properties[PROP_BOARDING_PASS] = g_param_spec_pointer ("boarding-pass", NULL, NULL, ro);
  properties[PROP_BOARDING_CHECK] = g_param_spec_pointer ("boarding-check", NULL, NULL, ro);
  properties[PROP_N_EVENTS] = g_param_spec_uint ("n-events", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_RECORD_ERROR] =
    g_param_spec_boxed ("record-error", NULL, NULL, G_TYPE_ERROR, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tp_case_init (TpCase *self)
{
  self->id = g_uuid_string_random ();
  self->leg = -1;
  self->identity = tp_identity_decide (NULL, NULL);
  self->results = g_ptr_array_new_with_free_func ((GDestroyNotify) tp_screen_result_free);
  self->hits = g_ptr_array_new ();
  self->events = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
}

TpCase *
tp_case_new (TpCheckpoint *checkpoint,
             const char   *officer,
             TpRoles       role)
{
  TpCase *self;

  g_return_val_if_fail (TP_IS_CHECKPOINT (checkpoint), NULL);
  g_return_val_if_fail (officer != NULL && *officer != '\0', NULL);
  g_return_val_if_fail (role == TP_ROLE_IMMIGRATION || role == TP_ROLE_CUSTOMS ||
                        role == TP_ROLE_SUPERVISOR, NULL);

  self = g_object_new (TP_TYPE_CASE, NULL);

  self->checkpoint = g_object_ref (checkpoint);
  self->officer = g_strdup (officer);
  self->role = role;
  g_signal_connect (checkpoint, "notify::matcher", G_CALLBACK (matcher_changed_cb), self);
  return self;
}

/* ---- public API ----------------------------------------------------------- */

const char *
tp_case_get_id (TpCase *self)
{
  g_return_val_if_fail (TP_IS_CASE (self), NULL);

  return self->id;
}

TpCheckpoint *
tp_case_get_checkpoint (TpCase *self)
{
  g_return_val_if_fail (TP_IS_CASE (self), NULL);

  return self->checkpoint;
}

const char *
tp_case_get_officer (TpCase *self)
{
  g_return_val_if_fail (TP_IS_CASE (self), NULL);

  return self->officer;
}

TpRoles
tp_case_get_role (TpCase *self)
{
  g_return_val_if_fail (TP_IS_CASE (self), 0);

  return self->role;
}

void
tp_case_set_officer (TpCase     *self,
                     const char *officer,
                     TpRoles     role)
{
  g_return_if_fail (TP_IS_CASE (self));
  g_return_if_fail (officer != NULL && *officer != '\0');
  g_return_if_fail (role == TP_ROLE_IMMIGRATION || role == TP_ROLE_CUSTOMS ||
                    role == TP_ROLE_SUPERVISOR);

  set_string (self, &self->officer, officer, PROP_OFFICER);
  if (self->role != role)
    {
      self->role = role;
      notify (self, PROP_ROLE);
    }
}

gboolean
tp_case_set_printed_mrz (TpCase      *self,
                         const char  *text,
                         GError     **error)
{
  g_autoptr(GError) local = NULL;
  g_autoptr(TpMrz) mrz = NULL;
  GDate today;

  g_return_val_if_fail (TP_IS_CASE (self), FALSE);
  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  tp_checkpoint_get_today (self->checkpoint, &today);
  mrz = tp_mrz_parse (text, &today, &local);
  if (mrz == NULL)
    {
      g_set_error (error, TP_CASE_ERROR, TP_CASE_ERROR_INVALID,
                   "The printed MRZ cannot be read: %s", local->message);
      return FALSE;
    }
  if (!mrz->valid)
    {
      const TpMrzFieldError *first = g_ptr_array_index (mrz->errors, 0);

      g_set_error (error, TP_CASE_ERROR, TP_CASE_ERROR_INVALID,
                   "The printed MRZ is not valid: %s (line %u, %s)", first->message, first->line,
                   first->field);
      return FALSE;
    }

  g_clear_pointer (&self->printed, tp_mrz_free);
  self->printed = g_steal_pointer (&mrz);
  notify (self, PROP_PRINTED_MRZ);
  return update (self, FALSE, error);
}

gboolean
tp_case_set_document (TpCase      *self,
                      TpDocument  *document,
                      GError     **error)
{
  g_return_val_if_fail (TP_IS_CASE (self), FALSE);
  g_return_val_if_fail (document != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  g_clear_pointer (&self->document, tp_document_free);
  self->document = document;
  notify (self, PROP_DOCUMENT);
  notify (self, PROP_DOCUMENT_VERIFIED);
  return update (self, FALSE, error);
}

static void
read_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TpCase *self = g_task_get_source_object (task);
  GError *error = NULL;
  TpDocument *document;

  document = tp_reader_read_document_finish (TP_READER (source), result, &error);
  if (document == NULL || !tp_case_set_document (self, document, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
tp_case_read_document_async (TpCase              *self,
                             TpReader            *reader,
                             const TpReadOptions *options,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(TpAccessKey) key = NULL;
  g_autofree char *text = NULL;
  GError *error = NULL;

  g_return_if_fail (TP_IS_CASE (self));
  g_return_if_fail (TP_IS_READER (reader));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tp_case_read_document_async);
  if (self->printed == NULL)
    {
      g_task_return_new_error (task, TP_CASE_ERROR, TP_CASE_ERROR_NOT_READY,
                               "Enter the printed MRZ first: it opens the chip");
      return;
    }
  text = g_strjoinv ("\n", self->printed->lines);
  key = tp_access_key_new_from_mrz (text, &error);
  if (key == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  tp_reader_read_document_async (reader, key, options, cancellable, read_done_cb,
                                 g_steal_pointer (&task));
}

gboolean
tp_case_read_document_finish (TpCase        *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (TP_IS_CASE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* What identifies one boarding pass: the leg's flight, date, departure
 * and the traveller's check-in sequence number on it. */
static char *
pass_key (const TpBcbpLeg *leg)
{
  char date[16] = "?";

  if (g_date_valid (&leg->flight_date))
    g_date_strftime (date, sizeof date, "%Y-%m-%d", &leg->flight_date);
  return g_strdup_printf ("%s %s %s %s %s", leg->carrier, leg->flight_number, date, leg->from,
                          leg->checkin_sequence != NULL ? leg->checkin_sequence : "");
}

gboolean
tp_case_set_boarding_pass (TpCase      *self,
                           const char  *text,
                           GError     **error)
{
  g_autoptr(TpBcbp) pass = NULL;
  GDate today;

  g_return_val_if_fail (TP_IS_CASE (self), FALSE);
  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  tp_checkpoint_get_today (self->checkpoint, &today);
  pass = tp_bcbp_parse (text, strlen (text), &today, error);
  if (pass == NULL)
    return FALSE;

  g_clear_pointer (&self->pass, tp_bcbp_free);
  g_clear_pointer (&self->boarding, tp_boarding_check_free);
  self->pass = g_steal_pointer (&pass);
  notify (self, PROP_BOARDING_PASS);
  check_boarding_pass (self);

  if (self->leg >= 0)
    {
      g_autofree char *key = pass_key (&self->pass->legs[self->leg]);
      g_autofree char *first = NULL;
      g_autoptr(GDateTime) now = tp_checkpoint_now (self->checkpoint);
      char day[16];

      g_date_strftime (day, sizeof day, "%Y-%m-%d", &today);
      if (!tp_store_use_boarding_pass (tp_checkpoint_get_store (self->checkpoint), key,
                                       tp_checkpoint_get_checkpoint_id (self->checkpoint), day,
                                       self->id, g_date_time_to_unix (now), &first, error))
        return FALSE;
      self->boarding->first_use = first == NULL || g_str_equal (first, self->id)
                                  ? TP_BOARDING_OK : TP_BOARDING_FAILED;
      check_boarding_pass (self);
    }
  return record_check (self, error);
}

const TpMrz *
tp_case_get_printed_mrz (TpCase *self)
{
  g_return_val_if_fail (TP_IS_CASE (self), NULL);

  return self->printed;
}

const TpDocument *
tp_case_get_document (TpCase *self)
{
  g_return_val_if_fail (TP_IS_CASE (self), NULL);

  return self->document;
}

gboolean
tp_case_get_document_verified (TpCase *self)
{
  g_return_val_if_fail (TP_IS_CASE (self), FALSE);

  return self->document != NULL && tp_document_is_verified (self->document);
}

const TpBcbp *
tp_case_get_boarding_pass (TpCase *self)
{
  g_return_val_if_fail (TP_IS_CASE (self), NULL);

  return self->pass;
}

const TpBoardingCheck *
tp_case_get_boarding_check (TpCase *self)
{
  g_return_val_if_fail (TP_IS_CASE (self), NULL);

  return self->boarding;
}

const TpBcbpLeg *
tp_case_get_departing_leg (TpCase *self)
{
  g_return_val_if_fail (TP_IS_CASE (self), NULL);

  if (self->pass == NULL || self->leg < 0 || (guint) self->leg >= self->pass->n_legs)
    return NULL;
  return &self->pass->legs[self->leg];
}

TpIdentitySource
tp_case_get_identity_source (TpCase *self)
{
  g_return_val_if_fail (TP_IS_CASE (self), TP_IDENTITY_SOURCE_NONE);

  return self->identity->source;
}

const TpMrz *
tp_case_get_identity (TpCase *self)
{
  g_return_val_if_fail (TP_IS_CASE (self), NULL);

  return self->identity->mrz;
}

const char *
tp_case_get_full_name (TpCase *self)
{
  g_return_val_if_fail (TP_IS_CASE (self), NULL);

  return self->identity->full_name;
}

const char *
tp_case_get_identity_note (TpCase *self)
{
  g_return_val_if_fail (TP_IS_CASE (self), NULL);

  return self->identity->note;
}

gboolean
tp_case_get_screened (TpCase *self)
{
  g_return_val_if_fail (TP_IS_CASE (self), FALSE);

  return self->screened;
}

gboolean
tp_case_get_waiting_for_list (TpCase *self)
{
  g_return_val_if_fail (TP_IS_CASE (self), FALSE);

  return self->waiting;
}

TpVerdict
tp_case_get_verdict (TpCase *self)
{
  g_return_val_if_fail (TP_IS_CASE (self), TP_VERDICT_CLEAR);

  return self->verdict;
}

const char *
tp_case_get_verdict_note (TpCase *self)
{
  g_return_val_if_fail (TP_IS_CASE (self), NULL);

  return self->verdict_note;
}

GPtrArray *
tp_case_get_hits (TpCase *self)
{
  g_return_val_if_fail (TP_IS_CASE (self), NULL);

  return self->hits;
}

gint64
tp_case_get_screening_us (TpCase *self)
{
  g_return_val_if_fail (TP_IS_CASE (self), 0);

  return self->screening_us;
}

GPtrArray *
tp_case_get_events (TpCase *self)
{
  g_return_val_if_fail (TP_IS_CASE (self), NULL);

  return self->events;
}

const GError *
tp_case_get_record_error (TpCase *self)
{
  g_return_val_if_fail (TP_IS_CASE (self), NULL);

  return self->record_error;
}

JsonNode *
tp_case_build_check_event (TpCase *self)
{
  JsonObject *event;
  JsonNode *node;

  g_return_val_if_fail (TP_IS_CASE (self), NULL);

  node = json_node_new (JSON_NODE_OBJECT);
  event = new_event (self, "check");
  add_check (self, event);
  json_node_take_object (node, event);
  return node;
}

/* ---- decisions ------------------------------------------------------------ */

/* NULL, "" or only white space */
static gboolean
empty (const char *s)
{
  for (; s != NULL && *s != '\0'; s++)
    if (!g_ascii_isspace (*s))
      return FALSE;
  return TRUE;
}

static TpRoles
roles_for (TpDecisionAction action)
{
  switch (action)
    {
    case TP_DECISION_ALLOW_EXIT:
    case TP_DECISION_DENY_EXIT:
      return TP_ROLE_IMMIGRATION | TP_ROLE_SUPERVISOR;
    case TP_DECISION_REFER_CUSTOMS:
      return TP_ROLE_IMMIGRATION | TP_ROLE_SUPERVISOR;
    case TP_DECISION_REFER_IMMIGRATION:
    case TP_DECISION_SELECT_SCREENING:
    case TP_DECISION_RECORD_FINDINGS:
      return TP_ROLE_CUSTOMS | TP_ROLE_SUPERVISOR;
    case TP_DECISION_ESCALATE:
      return TP_ROLE_IMMIGRATION | TP_ROLE_CUSTOMS | TP_ROLE_SUPERVISOR;
    case TP_DECISION_RESOLVE:
    case TP_DECISION_OVERRIDE:
    case TP_DECISION_CLEAR_FALSE_POSITIVE:
    default:
      return TP_ROLE_SUPERVISOR;
    }
}

static const TpHit *
find_hit (TpCase     *self,
          const char *entry_id)
{
  for (guint i = 0; i < self->hits->len; i++)
    {
      const TpHit *hit = g_ptr_array_index (self->hits, i);

      if (entry_id != NULL ? g_str_equal (hit->entry_id, entry_id)
                           : hit->band == TP_BAND_CONFIRMED && hit->action == TP_ACTION_DENY_EXIT)
        return hit;
    }
  return NULL;
}

static gboolean
check_decision (TpCase            *self,
                const TpDecision  *d,
                const TpHit      **entry_hit,
                GError           **error)
{
  const char *action = decision_names[d->action];

  if (!(roles_for (d->action) & self->role))
    {
      g_set_error (error, TP_CASE_ERROR, TP_CASE_ERROR_NOT_PERMITTED,
                   "An officer of %s may not decide %s", tp_role_to_string (self->role), action);
      return FALSE;
    }
  switch (d->action)
    {
    case TP_DECISION_ALLOW_EXIT:
      if (self->screened && self->verdict == TP_VERDICT_STOP && self->role != TP_ROLE_SUPERVISOR)
        {
          g_set_error_literal (error, TP_CASE_ERROR, TP_CASE_ERROR_NOT_PERMITTED,
                               "The verdict is STOP: only a supervisor's override lets the traveller "
                               "leave (escalate the case)");
          return FALSE;
        }
      break;

    case TP_DECISION_DENY_EXIT:
      if (empty (d->notice_reference))
        {
          g_set_error_literal (error, TP_CASE_ERROR, TP_CASE_ERROR_INVALID,
                               "deny_exit needs the notice reference handed to the traveller");
          return FALSE;
        }
      *entry_hit = find_hit (self, d->entry_id);
      if (d->entry_id != NULL && *entry_hit == NULL)
        {
          g_set_error (error, TP_CASE_ERROR, TP_CASE_ERROR_INVALID,
                       "Entry %s is not among the case's hits", d->entry_id);
          return FALSE;
        }
      break;

    case TP_DECISION_RECORD_FINDINGS:
      if (empty (d->category))
        {
          g_set_error_literal (error, TP_CASE_ERROR, TP_CASE_ERROR_INVALID,
                               "record_findings needs the category of what was found");
          return FALSE;
        }
      break;

    case TP_DECISION_RESOLVE:
      if (empty (d->escalation))
        {
          g_set_error_literal (error, TP_CASE_ERROR, TP_CASE_ERROR_INVALID,
                               "resolve needs the id of the escalation it resolves");
          return FALSE;
        }
      break;

    case TP_DECISION_OVERRIDE:
      if (empty (d->reason))
        {
          g_set_error_literal (error, TP_CASE_ERROR, TP_CASE_ERROR_INVALID,
                               "An override needs a reason");
          return FALSE;
        }
      break;

    case TP_DECISION_CLEAR_FALSE_POSITIVE:
      if (empty (d->entry_id) || d->entry_version == 0)
        {
          g_set_error_literal (error, TP_CASE_ERROR, TP_CASE_ERROR_INVALID,
                               "clear_false_positive needs the entry id and version cleared");
          return FALSE;
        }
      if (self->identity->mrz == NULL)
        {
          g_set_error_literal (error, TP_CASE_ERROR, TP_CASE_ERROR_NOT_READY,
                               "A false positive is cleared for a document: the case has none");
          return FALSE;
        }
      break;

    case TP_DECISION_REFER_CUSTOMS:
    case TP_DECISION_REFER_IMMIGRATION:
    case TP_DECISION_ESCALATE:
    case TP_DECISION_SELECT_SCREENING:
    default:
      break;
    }
  return TRUE;
}

static void
set_string_or_null (JsonObject *object,
                    const char *name,
                    const char *value)
{
  if (value != NULL)
    json_object_set_string_member (object, name, value);
  else
    json_object_set_null_member (object, name);
}

/* The supervisor's clearance: stored, given to the matcher, and the case
 * screened again. */
static gboolean
clear_false_positive (TpCase           *self,
                      const TpDecision *d,
                      GError          **error)
{
  g_autoptr(GDateTime) now = tp_checkpoint_now (self->checkpoint);
  g_autofree char *document_key = NULL;
  TpMatcher *matcher = tp_checkpoint_get_matcher (self->checkpoint);
  TpClearance clearance = { 0, };

  for (guint i = 0; i < self->identity->queries->len && document_key == NULL; i++)
    document_key = tp_query_document_key (g_ptr_array_index (self->identity->queries, i));
  if (document_key == NULL)
    {
      g_set_error_literal (error, TP_CASE_ERROR, TP_CASE_ERROR_NOT_READY,
                           "A false positive is cleared for a document: the case has none");
      return FALSE;
    }
  clearance.document_key = document_key;
  clearance.entry_id = (char *) d->entry_id;
  clearance.entry_version = d->entry_version;
  clearance.cleared_by = self->officer;
  clearance.reason = (char *) (d->reason != NULL ? d->reason : "false positive");
  clearance.cleared_at = g_date_time_to_unix (now);
  if (!tp_store_add_clearance (tp_checkpoint_get_store (self->checkpoint), &clearance, error))
    return FALSE;
  if (matcher != NULL)
    tp_matcher_add_clearance (matcher, document_key, d->entry_id, d->entry_version, 0);
  return update (self, TRUE, error);
}

gboolean
tp_case_decide (TpCase            *self,
                const TpDecision  *decision,
                GError           **error)
{
  const TpHit *hit = NULL;
  JsonObject *event;
  const char *entry_id;
  guint entry_version;

  g_return_val_if_fail (TP_IS_CASE (self), FALSE);
  g_return_val_if_fail (decision != NULL, FALSE);
  g_return_val_if_fail (decision->action <= TP_DECISION_CLEAR_FALSE_POSITIVE, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_decision (self, decision, &hit, error))
    return FALSE;

  entry_id = hit != NULL ? hit->entry_id : decision->entry_id;
  entry_version = hit != NULL ? hit->entry_version : decision->entry_version;
  event = new_event (self, "decision");
  json_object_set_string_member (event, "action", decision_names[decision->action]);
  set_string_or_null (event, "reason", decision->reason);
  set_string_or_null (event, "notice_reference", decision->notice_reference);
  set_string_or_null (event, "category", decision->category);
  if (entry_id != NULL &&
      (decision->action == TP_DECISION_DENY_EXIT || decision->action == TP_DECISION_CLEAR_FALSE_POSITIVE))
    {
      JsonObject *entry = json_object_new ();

      json_object_set_string_member (entry, "id", entry_id);
      json_object_set_int_member (entry, "version", entry_version);
      json_object_set_object_member (event, "entry", entry);
    }
  else
    json_object_set_null_member (event, "entry");
  set_string_or_null (event, "escalation",
                      decision->action == TP_DECISION_RESOLVE ? decision->escalation : NULL);

  if (!add_event (self, event, error))
    return FALSE;
  if (decision->action == TP_DECISION_CLEAR_FALSE_POSITIVE)
    return clear_false_positive (self, decision, error);
  return TRUE;
}

char *
tp_case_escalate (TpCase      *self,
                  const char  *reason,
                  GError     **error)
{
  JsonObject *event;
  g_autofree char *id = NULL;

  g_return_val_if_fail (TP_IS_CASE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (empty (reason))
    {
      g_set_error_literal (error, TP_CASE_ERROR, TP_CASE_ERROR_INVALID,
                           "An escalation needs a reason for the supervisor");
      return NULL;
    }
  event = new_event (self, "escalation");
  id = g_strdup (json_object_get_string_member (event, "id"));
  json_object_set_string_member (event, "reason", reason);
  json_object_set_string_member (event, "verdict", tp_verdict_to_string (self->verdict));
  if (!add_event (self, event, error))
    return NULL;
  return g_steal_pointer (&id);
}

gboolean
tp_case_add_note (TpCase      *self,
                  const char  *text,
                  GError     **error)
{
  JsonObject *event;

  g_return_val_if_fail (TP_IS_CASE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (empty (text))
    {
      g_set_error_literal (error, TP_CASE_ERROR, TP_CASE_ERROR_INVALID, "A note needs some text");
      return FALSE;
    }
  event = new_event (self, "note");
  json_object_set_string_member (event, "text", text);
  return add_event (self, event, error);
}

const char *
tp_decision_action_to_string (TpDecisionAction action)
{
  g_return_val_if_fail (action <= TP_DECISION_CLEAR_FALSE_POSITIVE, NULL);

  return decision_names[action];
}

gboolean
tp_decision_action_from_string (const char       *text,
                                TpDecisionAction *out)
{
  g_return_val_if_fail (out != NULL, FALSE);

  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (decision_names); i++)
    if (g_str_equal (text, decision_names[i]))
      {
        *out = (TpDecisionAction) i;
        return TRUE;
      }
  return FALSE;
}
