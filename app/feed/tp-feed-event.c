/* tp-feed-event.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "tp-canonical-json.h"
#include "tp-error.h"
#include "tp-feed-doc-private.h"
#include "tp-feed-event.h"
#include "tp-feed-util.h"
#include "tp-json.h"

#define MAX_SHORT 64
#define MAX_TEXT  4096
#define MAX_HITS  256
#define MAX_SEQ   ((guint64) G_MAXINT64)

static const char * const type_names[] = { "check", "decision", "escalation", "note" };
static const char * const verdicts[] = { "CLEAR", "REVIEW", "REFER", "STOP", NULL };
static const char * const bands[] = { "confirmed", "probable", "possible", NULL };
static const char * const actions[] = {
  "allow_exit", "deny_exit", "refer_customs", "refer_immigration", "escalate", "select_screening",
  "record_findings", "resolve", "override", "clear_false_positive", NULL
};

const char *
tp_event_type_to_string (TpEventType type)
{
  g_return_val_if_fail ((guint) type < G_N_ELEMENTS (type_names), NULL);
  return type_names[type];
}

gboolean
tp_event_type_from_string (const char  *text,
                           TpEventType *out)
{
  for (guint i = 0; i < G_N_ELEMENTS (type_names); i++)
    if (g_strcmp0 (text, type_names[i]) == 0)
      {
        *out = (TpEventType) i;
        return TRUE;
      }
  return FALSE;
}

void
tp_feed_event_free (TpFeedEvent *event)
{
  if (event == NULL)
    return;
  g_free (event->id);
  g_clear_pointer (&event->at, g_date_time_unref);
  g_free (event->case_id);
  g_free (event->officer);
  g_free (event->verdict);
  g_free (event->action);
  g_clear_pointer (&event->node, json_node_unref);
  g_free (event);
}

static gboolean
has_control_chars (const char *s)
{
  for (const char *p = s; *p != '\0'; p = g_utf8_next_char (p))
    if (g_unichar_iscntrl (g_utf8_get_char (p)) && *p != '\n' && *p != '\t')
      return TRUE;
  return FALSE;
}

/* A string member: @required, not empty when present, at most @max
 * characters, no control characters but newline and tab. */
static gboolean
get_text (JsonObject  *object,
          const char  *what,
          const char  *member,
          gboolean     required,
          gsize        max,
          const char **out,
          GError     **error)
{
  if (!tp_feed_get_string (object, what, member, required, out, error))
    return FALSE;
  if (*out == NULL)
    return TRUE;
  if ((*out)[0] == '\0')
    return tp_feed_fail (error, what, member, "empty");
  if (g_utf8_strlen (*out, -1) > (glong) max)
    return tp_feed_fail (error, what, member, "longer than %" G_GSIZE_FORMAT " characters", max);
  if (has_control_chars (*out))
    return tp_feed_fail (error, what, member, "has a control character");
  return TRUE;
}

static gboolean
get_enum (JsonObject         *object,
          const char         *what,
          const char         *member,
          gboolean            required,
          const char * const *names,
          const char        **out,
          GError            **error)
{
  g_autofree char *list = NULL;
  g_autofree char *quoted = NULL;

  if (!tp_feed_get_string (object, what, member, required, out, error))
    return FALSE;
  if (*out == NULL || g_strv_contains (names, *out))
    return TRUE;
  list = g_strjoinv (", ", (GStrv) names);
  quoted = tp_json_quote (*out);
  return tp_feed_fail (error, what, member, "“%s” is not one of %s", quoted, list);
}

static gboolean
get_uuid (JsonObject  *object,
          const char  *what,
          const char  *member,
          gboolean     required,
          const char **out,
          GError     **error)
{
  g_autofree char *quoted = NULL;

  if (!tp_feed_get_string (object, what, member, required, out, error))
    return FALSE;
  if (*out == NULL || tp_feed_is_uuid (*out))
    return TRUE;
  quoted = tp_json_quote (*out);
  return tp_feed_fail (error, what, member, "“%s” is not a UUID (36 characters, lower-case hex, 8-4-4-4-12)", quoted);
}

/* An object member that may be null; *out NULL then. */
static gboolean
get_object (JsonObject  *object,
            const char  *what,
            const char  *member,
            gboolean     required,
            JsonObject **out,
            GError     **error)
{
  JsonNode *node = tp_feed_get_member (object, member);

  *out = NULL;
  if (node == NULL)
    return required ? tp_feed_fail (error, what, member, "missing (required)") : TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return tp_feed_fail (error, what, member, "expected an object or null, found %s", tp_feed_describe_node (node));
  *out = json_node_get_object (node);
  return TRUE;
}

static gboolean
check_hits (JsonObject  *object,
            GError     **error)
{
  JsonNode *node = tp_feed_get_member (object, "hits");
  JsonArray *array;
  guint n;

  if (node == NULL)
    return tp_feed_fail (error, "event", "hits", "missing (required; [] when nothing hit)");
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return tp_feed_fail (error, "event", "hits", "expected an array, found %s", tp_feed_describe_node (node));
  array = json_node_get_array (node);
  n = json_array_get_length (array);
  if (n > MAX_HITS)
    return tp_feed_fail (error, "event", "hits", "more than %d", MAX_HITS);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      g_autofree char *what = g_strdup_printf ("event.hits[%u]", i);
      JsonObject *hit;
      const char *s;
      guint64 version;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        return tp_feed_fail (error, what, NULL, "expected an object, found %s", tp_feed_describe_node (element));
      hit = json_node_get_object (element);
      if (!get_text (hit, what, "entry", TRUE, MAX_SHORT, &s, error) ||
          !tp_feed_get_uint (hit, what, "version", TRUE, G_MAXINT32, &version, error) ||
          !get_enum (hit, what, "band", TRUE, bands, &s, error) ||
          !get_text (hit, what, "agency", TRUE, MAX_SHORT, &s, error))
        return FALSE;
      if (version < 1)
        return tp_feed_fail (error, what, "version", "0, versions start at 1");
    }
  return TRUE;
}

static gboolean
check_type_members (TpFeedEvent  *event,
                    JsonObject   *object,
                    GError      **error)
{
  const char *s;
  JsonObject *sub;
  guint64 n;
  gboolean b;

  switch (event->type)
    {
    case TP_EVENT_CHECK:
      if (!get_enum (object, "event", "verdict", TRUE, verdicts, &s, error))
        return FALSE;
      event->verdict = g_strdup (s);
      if (!tp_feed_get_uint (object, "event", "list_seq", TRUE, MAX_SEQ, &n, error) ||
          !tp_feed_get_bool (object, "event", "verified", TRUE, &b, error) ||
          !get_object (object, "event", "document", FALSE, &sub, error))
        return FALSE;
      if (sub != NULL &&
          (!get_text (sub, "event.document", "number", TRUE, MAX_SHORT, &s, error) ||
           !get_text (sub, "event.document", "issuing_state", FALSE, MAX_SHORT, &s, error)))
        return FALSE;
      if (!check_hits (object, error) ||
          !get_object (object, "event", "flight", FALSE, &sub, error))
        return FALSE;
      if (sub != NULL &&
          (!get_text (sub, "event.flight", "carrier", FALSE, MAX_SHORT, &s, error) ||
           !get_text (sub, "event.flight", "number", FALSE, MAX_SHORT, &s, error) ||
           !get_text (sub, "event.flight", "date", FALSE, MAX_SHORT, &s, error) ||
           !get_text (sub, "event.flight", "from", FALSE, MAX_SHORT, &s, error) ||
           !get_text (sub, "event.flight", "to", FALSE, MAX_SHORT, &s, error)))
        return FALSE;
      return TRUE;

    case TP_EVENT_DECISION:
      if (!get_enum (object, "event", "action", TRUE, actions, &s, error))
        return FALSE;
      event->action = g_strdup (s);
      if (!get_text (object, "event", "reason", g_str_equal (event->action, "override"), MAX_TEXT, &s, error) ||
          !get_text (object, "event", "notice_reference", FALSE, MAX_TEXT, &s, error) ||
          !get_text (object, "event", "category", FALSE, MAX_TEXT, &s, error) ||
          !get_uuid (object, "event", "escalation", FALSE, &s, error) ||
          !get_object (object, "event", "entry", FALSE, &sub, error))
        return FALSE;
      if (sub != NULL &&
          (!get_text (sub, "event.entry", "id", TRUE, MAX_SHORT, &s, error) ||
           !tp_feed_get_uint (sub, "event.entry", "version", TRUE, G_MAXINT32, &n, error)))
        return FALSE;
      return TRUE;

    case TP_EVENT_ESCALATION:
      if (!get_enum (object, "event", "verdict", TRUE, verdicts, &s, error))
        return FALSE;
      event->verdict = g_strdup (s);
      return get_text (object, "event", "reason", TRUE, MAX_TEXT, &s, error);

    case TP_EVENT_NOTE:
      return get_text (object, "event", "text", TRUE, MAX_TEXT, &s, error);

    default:
      g_assert_not_reached ();
    }
}

TpFeedEvent *
tp_feed_event_new_from_node (JsonNode  *node,
                             GError   **error)
{
  g_autoptr(TpFeedEvent) event = g_new0 (TpFeedEvent, 1);
  g_autoptr(GError) local_error = NULL;
  g_autofree char *check = NULL;
  JsonObject *object;
  JsonObject *audit;
  const char *s;
  guint64 n;
  guint8 hash[TP_FEED_HASH_SIZE];

  g_return_val_if_fail (node != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      tp_feed_fail (error, "event", NULL, "expected a JSON object, found %s", tp_feed_describe_node (node));
      return NULL;
    }
  object = json_node_get_object (node);

  /* The hub stores and forwards the event in canonical form: it must have one. */
  check = tp_canonical_json (node, &local_error);
  if (check == NULL)
    {
      tp_feed_fail (error, "event", NULL, "%s", local_error->message);
      return NULL;
    }

  if (!get_uuid (object, "event", "id", TRUE, &s, error))
    return NULL;
  event->id = g_strdup (s);
  if (!tp_feed_get_string (object, "event", "type", TRUE, &s, error))
    return NULL;
  if (!tp_event_type_from_string (s, &event->type))
    {
      g_autofree char *quoted = tp_json_quote (s);

      tp_feed_fail (error, "event", "type", "“%s” is not check, decision, escalation or note", quoted);
      return NULL;
    }
  if (!tp_feed_get_time (object, "event", "at", TRUE, &event->at, error))
    return NULL;
  if (!get_uuid (object, "event", "case_id", TRUE, &s, error))
    return NULL;
  event->case_id = g_strdup (s);
  if (!get_text (object, "event", "officer", TRUE, MAX_SHORT, &s, error))
    return NULL;
  event->officer = g_strdup (s);
  if (!tp_feed_get_string (object, "event", "role", TRUE, &s, error))
    return NULL;
  if (!tp_role_from_string (s, &event->role))
    {
      g_autofree char *quoted = tp_json_quote (s);

      tp_feed_fail (error, "event", "role", "“%s” is not immigration, customs or supervisor", quoted);
      return NULL;
    }

  if (!get_object (object, "event", "audit", FALSE, &audit, error))
    return NULL;
  if (audit != NULL &&
      (!tp_feed_get_uint (audit, "event.audit", "seq", TRUE, MAX_SEQ, &n, error) ||
       !tp_feed_get_hash (audit, "event.audit", "hash", hash, error)))
    return NULL;

  if (!check_type_members (event, object, error))
    return NULL;

  event->node = json_node_copy (node);
  return g_steal_pointer (&event);
}

TpFeedEvent *
tp_feed_event_parse (const char  *text,
                     gsize        length,
                     GError     **error)
{
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (text != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  root = tp_json_parse_object_line (text ? text : "", (gssize) length, "event", error);
  if (root == NULL)
    return NULL;
  return tp_feed_event_new_from_node (root, error);
}

void
tp_feed_event_stamp (TpFeedEvent *event,
                     const char  *terminal,
                     const char  *airport,
                     const char  *checkpoint)
{
  JsonObject *object;

  g_return_if_fail (event != NULL);

  object = json_node_get_object (event->node);
  json_object_set_string_member (object, "terminal", terminal);
  json_object_set_string_member (object, "airport", airport);
  json_object_set_string_member (object, "checkpoint", checkpoint);
}

char *
tp_feed_event_to_json (const TpFeedEvent *event)
{
  char *json;

  g_return_val_if_fail (event != NULL, NULL);

  json = tp_canonical_json (event->node, NULL);
  g_assert (json != NULL);   /* checked when parsed */
  return json;
}
