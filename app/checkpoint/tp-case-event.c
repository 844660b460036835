/* tp-case-event.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tp-case-event.h"

static JsonNode *
take_object (JsonObject *object)
{
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_node_take_object (node, object);
  return node;
}

static JsonNode *
document_node (const TpMrz *identity)
{
  JsonObject *document;

  if (identity == NULL)
    return json_node_new (JSON_NODE_NULL);
  document = json_object_new ();
  json_object_set_string_member (document, "number", identity->document_number);
  json_object_set_string_member (document, "issuing_state", identity->issuing_state);
  return take_object (document);
}

static JsonNode *
flight_node (const TpBcbpLeg *leg)
{
  JsonObject *flight;
  char date[16] = "";

  if (leg == NULL)
    return json_node_new (JSON_NODE_NULL);
  flight = json_object_new ();
  json_object_set_string_member (flight, "carrier", leg->carrier);
  json_object_set_string_member (flight, "number", leg->flight_number);
  if (g_date_valid (&leg->flight_date))
    {
      g_date_strftime (date, sizeof date, "%Y-%m-%d", &leg->flight_date);
      json_object_set_string_member (flight, "date", date);
    }
  else
    json_object_set_null_member (flight, "date");
  json_object_set_string_member (flight, "from", leg->from);
  json_object_set_string_member (flight, "to", leg->to);
  return take_object (flight);
}

char *
tp_case_event_format_time (GDateTime *time)
{
  g_autoptr(GDateTime) utc = g_date_time_to_utc (time);
  g_autofree char *seconds = g_date_time_format (utc, "%Y-%m-%dT%H:%M:%S");

  return g_strdup_printf ("%s.%03dZ", seconds, g_date_time_get_microsecond (utc) / 1000);
}

JsonObject *
tp_case_event_new (const char *type,
                   GDateTime  *at,
                   const char *case_id,
                   const char *officer,
                   TpRoles     role)
{
  JsonObject *event;
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *time = NULL;

  g_return_val_if_fail (type != NULL && at != NULL && case_id != NULL && officer != NULL, NULL);

  event = json_object_new ();
  time = tp_case_event_format_time (at);
  json_object_set_string_member (event, "id", id);
  json_object_set_string_member (event, "type", type);
  json_object_set_string_member (event, "at", time);
  json_object_set_string_member (event, "case_id", case_id);
  json_object_set_string_member (event, "officer", officer);
  json_object_set_string_member (event, "role", tp_role_to_string (role));
  return event;
}

void
tp_case_event_add_check (JsonObject       *event,
                         TpVerdict         verdict,
                         gint64            list_seq,
                         const TpMrz      *identity,
                         gboolean          verified,
                         GPtrArray        *hits,
                         const TpBcbpLeg  *leg,
                         TpIdentitySource  source)
{
  JsonArray *array = json_array_new ();

  g_return_if_fail (event != NULL);
  g_return_if_fail (hits != NULL);

  for (guint i = 0; i < hits->len; i++)
    {
      const TpHit *hit = g_ptr_array_index (hits, i);
      JsonObject *item = json_object_new ();

      json_object_set_string_member (item, "entry", hit->entry_id);
      json_object_set_int_member (item, "version", hit->entry_version);
      json_object_set_string_member (item, "band", tp_band_to_string (hit->band));
      json_object_set_string_member (item, "agency", tp_agency_to_string (hit->agency));
      json_array_add_object_element (array, item);
    }

  json_object_set_string_member (event, "verdict", tp_verdict_to_string (verdict));
  json_object_set_int_member (event, "list_seq", list_seq);
  json_object_set_member (event, "document", document_node (identity));
  json_object_set_boolean_member (event, "verified", verified);
  json_object_set_array_member (event, "hits", array);
  json_object_set_member (event, "flight", flight_node (leg));
  json_object_set_string_member (event, "identity", tp_identity_source_to_string (source));
}

void
tp_case_event_add_verification (JsonObject       *event,
                                const TpDocument *document)
{
  g_autoptr(GPtrArray) failures = NULL;
  JsonArray *array;

  g_return_if_fail (event != NULL);

  if (document == NULL)
    {
      json_object_set_null_member (event, "verification_failures");
      return;
    }
  failures = tp_document_get_failures (document);
  array = json_array_new ();
  for (guint i = 0; i < failures->len; i++)
    {
      g_autofree char *valid = g_utf8_make_valid (g_ptr_array_index (failures, i), -1);

      json_array_add_string_element (array, valid);
    }
  json_object_set_array_member (event, "verification_failures", array);
}
