/* tp-case-events.c: a case's events in the terminal event format
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The members are those of the terminal → hub contract (tp-case.h);
 * nothing here decides anything: the case has, these functions write.
 */
#include "config.h"

#include "tp-case-private.h"

char *
_tp_case_format_time (GDateTime *time)
{
  g_autoptr(GDateTime) utc = g_date_time_to_utc (time);
  g_autofree char *seconds = g_date_time_format (utc, "%Y-%m-%dT%H:%M:%S");

  return g_strdup_printf ("%s.%03dZ", seconds, g_date_time_get_microsecond (utc) / 1000);
}

JsonObject *
_tp_case_event_new (TpCase     *self,
                    const char *type)
{
  JsonObject *event = json_object_new ();
  g_autoptr(GDateTime) now = tp_checkpoint_now (tp_case_get_checkpoint (self));
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *at = _tp_case_format_time (now);

  json_object_set_string_member (event, "id", id);
  json_object_set_string_member (event, "type", type);
  json_object_set_string_member (event, "at", at);
  json_object_set_string_member (event, "case_id", tp_case_get_id (self));
  json_object_set_string_member (event, "officer", tp_case_get_officer (self));
  json_object_set_string_member (event, "role", tp_role_to_string (tp_case_get_role (self)));
  return event;
}

static JsonNode *
take_object (JsonObject *object)
{
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_node_take_object (node, object);
  return node;
}

static JsonNode *
document_node (TpCase *self)
{
  const TpMrz *identity = tp_case_get_identity (self);
  JsonObject *document;

  if (identity == NULL)
    return json_node_new (JSON_NODE_NULL);
  document = json_object_new ();
  json_object_set_string_member (document, "number", identity->document_number);
  json_object_set_string_member (document, "issuing_state", identity->issuing_state);
  return take_object (document);
}

static JsonNode *
flight_node (TpCase *self)
{
  const TpBcbpLeg *leg = tp_case_get_departing_leg (self);
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

void
_tp_case_add_check_members (TpCase     *self,
                            JsonObject *event)
{
  GPtrArray *hits = tp_case_get_hits (self);
  JsonArray *array = json_array_new ();

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

  json_object_set_string_member (event, "verdict", tp_verdict_to_string (tp_case_get_verdict (self)));
  json_object_set_int_member (event, "list_seq",
                              tp_checkpoint_get_list_seq (tp_case_get_checkpoint (self)));
  json_object_set_member (event, "document", document_node (self));
  json_object_set_boolean_member (event, "verified", tp_case_get_document_verified (self));
  json_object_set_array_member (event, "hits", array);
  json_object_set_member (event, "flight", flight_node (self));
  json_object_set_string_member (event, "identity",
                                 tp_identity_source_to_string (tp_case_get_identity_source (self)));
}
