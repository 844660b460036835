/* tp-entry.c: one version of a list entry, its JSON decoder and canonical form
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The decoder is the gate between issuing systems (through the hub) and the
 * terminal's store: everything that passes it is normalised and valid, and
 * every rejection names the field, what was found and what was expected.
 */
#include "config.h"

#include <string.h>
#include <time.h>

#include "tp-country.h"
#include "tp-entry.h"
#include "tp-json.h"
#include "tp-error.h"

#define MAX_ID_LENGTH          100
#define MAX_NAME_LENGTH        300
#define MAX_TEXT_LENGTH       1000
#define MAX_IDENTIFIER_LENGTH   40
#define MAX_IDENTIFIERS         32

/* Enumerations: each a GEnum (GFlags for the roles) whose nicks are the
 * names the JSON form uses, so that one lookup serves them all and the
 * window can hold them in properties. */

G_DEFINE_ENUM_TYPE (TpListKind, tp_list_kind,
  G_DEFINE_ENUM_VALUE (TP_LIST_EXIT_BAN, "exit_ban"),
  G_DEFINE_ENUM_VALUE (TP_LIST_WATCH, "watch"))

G_DEFINE_ENUM_TYPE (TpEntryStatus, tp_entry_status,
  G_DEFINE_ENUM_VALUE (TP_ENTRY_ACTIVE, "active"),
  G_DEFINE_ENUM_VALUE (TP_ENTRY_CANCELLED, "cancelled"))

G_DEFINE_ENUM_TYPE (TpAgency, tp_agency,
  G_DEFINE_ENUM_VALUE (TP_AGENCY_CUSTOMS, "customs"),
  G_DEFINE_ENUM_VALUE (TP_AGENCY_TAX, "tax"),
  G_DEFINE_ENUM_VALUE (TP_AGENCY_IMMIGRATION, "immigration"),
  G_DEFINE_ENUM_VALUE (TP_AGENCY_POLICE, "police"),
  G_DEFINE_ENUM_VALUE (TP_AGENCY_COURT, "court"))

G_DEFINE_ENUM_TYPE (TpAction, tp_action,
  G_DEFINE_ENUM_VALUE (TP_ACTION_DENY_EXIT, "deny_exit"),
  G_DEFINE_ENUM_VALUE (TP_ACTION_REFER_CUSTOMS, "refer_customs"),
  G_DEFINE_ENUM_VALUE (TP_ACTION_REFER_SUPERVISOR, "refer_supervisor"),
  G_DEFINE_ENUM_VALUE (TP_ACTION_NOTIFY, "notify"))

G_DEFINE_ENUM_TYPE (TpIdentifierType, tp_identifier_type,
  G_DEFINE_ENUM_VALUE (TP_ID_PASSPORT, "passport"),
  G_DEFINE_ENUM_VALUE (TP_ID_NATIONAL_ID, "national_id"),
  G_DEFINE_ENUM_VALUE (TP_ID_TAX_CODE, "tax_code"),
  G_DEFINE_ENUM_VALUE (TP_ID_OTHER, "other"))

/* Listed by name: the canonical order of the visibility set. */
G_DEFINE_FLAGS_TYPE (TpRoles, tp_roles,
  G_DEFINE_ENUM_VALUE (TP_ROLE_CUSTOMS, "customs"),
  G_DEFINE_ENUM_VALUE (TP_ROLE_IMMIGRATION, "immigration"),
  G_DEFINE_ENUM_VALUE (TP_ROLE_SUPERVISOR, "supervisor"))

/* The class of a static type, referenced once for the life of the
 * process (static types' classes are never finalised). */
static gpointer
class_of (GType type)
{
  gpointer klass = g_type_class_peek (type);

  return klass != NULL ? klass : g_type_class_ref (type);
}

static const char *
enum_to_nick (GType type,
              gint  value)
{
  GEnumValue *v = g_enum_get_value (class_of (type), value);

  g_return_val_if_fail (v != NULL, NULL);
  return v->value_nick;
}

static gboolean
enum_from_nick (GType       type,
                const char *s,
                guint      *out)
{
  GEnumValue *v = s != NULL ? g_enum_get_value_by_nick (class_of (type), s) : NULL;

  if (v == NULL)
    return FALSE;
  *out = (guint) v->value;
  return TRUE;
}

const char *
tp_list_kind_to_string (TpListKind kind)
{
  return enum_to_nick (TP_TYPE_LIST_KIND, kind);
}

const char *
tp_entry_status_to_string (TpEntryStatus status)
{
  return enum_to_nick (TP_TYPE_ENTRY_STATUS, status);
}

const char *
tp_agency_to_string (TpAgency agency)
{
  return enum_to_nick (TP_TYPE_AGENCY, agency);
}

const char *
tp_action_to_string (TpAction action)
{
  return enum_to_nick (TP_TYPE_ACTION, action);
}

const char *
tp_identifier_type_to_string (TpIdentifierType type)
{
  return enum_to_nick (TP_TYPE_IDENTIFIER_TYPE, type);
}

const char *
tp_role_to_string (TpRoles role)
{
  GFlagsClass *klass = class_of (TP_TYPE_ROLES);

  for (guint i = 0; i < klass->n_values; i++)
    if (klass->values[i].value == (guint) role)
      return klass->values[i].value_nick;
  g_return_val_if_reached (NULL);
}

gboolean
tp_list_kind_from_string (const char *s,
                          TpListKind *out)
{
  return enum_from_nick (TP_TYPE_LIST_KIND, s, (guint *) out);
}

gboolean
tp_entry_status_from_string (const char    *s,
                             TpEntryStatus *out)
{
  return enum_from_nick (TP_TYPE_ENTRY_STATUS, s, (guint *) out);
}

gboolean
tp_agency_from_string (const char *s,
                       TpAgency   *out)
{
  return enum_from_nick (TP_TYPE_AGENCY, s, (guint *) out);
}

gboolean
tp_action_from_string (const char *s,
                       TpAction   *out)
{
  return enum_from_nick (TP_TYPE_ACTION, s, (guint *) out);
}

gboolean
tp_identifier_type_from_string (const char       *s,
                                TpIdentifierType *out)
{
  return enum_from_nick (TP_TYPE_IDENTIFIER_TYPE, s, (guint *) out);
}

gboolean
tp_role_from_string (const char *s,
                     TpRoles    *out)
{
  GFlagsValue *v = s != NULL ? g_flags_get_value_by_nick (class_of (TP_TYPE_ROLES), s) : NULL;

  if (v == NULL)
    return FALSE;
  *out = (TpRoles) v->value;
  return TRUE;
}

/* Dates */

static gboolean
parse_digits (const char *s,
              guint       n,
              guint      *out)
{
  guint v = 0;

  for (guint i = 0; i < n; i++)
    {
      if (!g_ascii_isdigit (s[i]))
        return FALSE;
      v = v * 10 + (guint) (s[i] - '0');
    }
  *out = v;
  return TRUE;
}

gboolean
tp_partial_date_parse (const char    *s,
                       TpPartialDate *out)
{
  guint year, month = 0, day = 0;
  gsize len;

  g_return_val_if_fail (out != NULL, FALSE);

  if (s == NULL)
    return FALSE;
  len = strlen (s);
  if (len != 4 && len != 7 && len != 10)
    return FALSE;
  if (!parse_digits (s, 4, &year) || year < 1000)
    return FALSE;
  if (len >= 7)
    {
      if (s[4] != '-' || !parse_digits (s + 5, 2, &month) || month < 1 || month > 12)
        return FALSE;
    }
  if (len == 10)
    {
      if (s[7] != '-' || !parse_digits (s + 8, 2, &day) ||
          !g_date_valid_dmy ((GDateDay) day, (GDateMonth) month, (GDateYear) year))
        return FALSE;
    }
  out->year = (guint16) year;
  out->month = (guint8) month;
  out->day = (guint8) day;
  return TRUE;
}

char *
tp_partial_date_to_string (const TpPartialDate *date)
{
  g_return_val_if_fail (date != NULL, NULL);

  if (date->year == 0)
    return NULL;
  if (date->month == 0)
    return g_strdup_printf ("%04u", date->year);
  if (date->day == 0)
    return g_strdup_printf ("%04u-%02u", date->year, date->month);
  return g_strdup_printf ("%04u-%02u-%02u", date->year, date->month, date->day);
}

static gboolean
parse_full_date (const char *s,
                 GDate      *out)
{
  TpPartialDate d;

  if (s == NULL || strlen (s) != 10 || !tp_partial_date_parse (s, &d))
    return FALSE;
  g_date_clear (out, 1);
  g_date_set_dmy (out, d.day, d.month, d.year);
  return TRUE;
}

static void
append_date (GString     *out,
             const GDate *date)
{
  g_string_append_printf (out, "%04u-%02u-%02u",
                          g_date_get_year (date),
                          g_date_get_month (date),
                          g_date_get_day (date));
}

/* Construction */

TpIdentifier *
tp_identifier_new (TpIdentifierType  type,
                   const char       *value,
                   const char       *country)
{
  TpIdentifier *identifier = g_new0 (TpIdentifier, 1);

  identifier->type = type;
  identifier->value = g_strdup (value);
  identifier->country = g_strdup (country);
  return identifier;
}

gboolean
tp_identifier_is_personal_number (const TpIdentifier *identifier)
{
  g_return_val_if_fail (identifier != NULL, FALSE);

  if (identifier->type == TP_ID_NATIONAL_ID)
    return TRUE;
  if (identifier->type != TP_ID_TAX_CODE || identifier->value == NULL || strlen (identifier->value) != 12)
    return FALSE;
  for (const char *p = identifier->value; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  return TRUE;
}

void
tp_identifier_free (TpIdentifier *identifier)
{
  if (identifier == NULL)
    return;
  g_free (identifier->value);
  g_free (identifier->country);
  g_free (identifier);
}

TpEntry *
tp_entry_new (void)
{
  TpEntry *entry = g_new0 (TpEntry, 1);

  entry->identifiers = g_ptr_array_new_with_free_func ((GDestroyNotify) tp_identifier_free);
  g_date_clear (&entry->effective_from, 1);
  g_date_clear (&entry->effective_until, 1);
  return entry;
}

void
tp_entry_free (TpEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->id);
  g_free (entry->full_name);
  g_clear_pointer (&entry->identifiers, g_ptr_array_unref);
  g_free (entry->basis_reference);
  g_free (entry->basis_issued_by);
  g_free (entry->basis_issued_at);
  g_free (entry->basis_reason);
  g_free (entry);
}

TpEntry *
tp_entry_copy (const TpEntry *entry)
{
  TpEntry *copy;

  g_return_val_if_fail (entry != NULL, NULL);

  copy = tp_entry_new ();
  copy->id = g_strdup (entry->id);
  copy->version = entry->version;
  copy->list = entry->list;
  copy->status = entry->status;
  copy->agency = entry->agency;
  copy->action = entry->action;
  copy->visibility = entry->visibility;
  copy->full_name = g_strdup (entry->full_name);
  copy->birth_date = entry->birth_date;
  copy->sex = entry->sex;
  memcpy (copy->nationality, entry->nationality, sizeof copy->nationality);
  if (entry->identifiers != NULL)
    for (guint i = 0; i < entry->identifiers->len; i++)
      {
        const TpIdentifier *id = g_ptr_array_index (entry->identifiers, i);

        g_ptr_array_add (copy->identifiers, tp_identifier_new (id->type, id->value, id->country));
      }
  copy->basis_reference = g_strdup (entry->basis_reference);
  copy->basis_issued_by = g_strdup (entry->basis_issued_by);
  copy->basis_issued_at = g_strdup (entry->basis_issued_at);
  copy->basis_reason = g_strdup (entry->basis_reason);
  copy->effective_from = entry->effective_from;
  copy->effective_until = entry->effective_until;
  return copy;
}

/* Decoding */

static const char *
describe_node (JsonNode *node)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      return "an object";
    case JSON_NODE_ARRAY:
      return "an array";
    case JSON_NODE_NULL:
      return "null";
    case JSON_NODE_VALUE:
      {
        GType t = json_node_get_value_type (node);

        if (t == G_TYPE_STRING)
          return "a string";
        if (t == G_TYPE_BOOLEAN)
          return "true or false";
        if (t == G_TYPE_INT64)
          return "a whole number";
        return "a number";
      }
    default:
      return "a value";
    }
}

/* The member @name of @object, or NULL when absent or null. */
static JsonNode *
get_member (JsonObject *object,
            const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  return node;
}

static gboolean
fail (GError     **error,
      const char  *field,
      const char  *format,
      ...) G_GNUC_PRINTF (3, 4);

static gboolean
fail (GError     **error,
      const char  *field,
      const char  *format,
      ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT, "%s: %s", field, message);
  return FALSE;
}

static gboolean
get_string (JsonObject  *object,
            const char  *name,
            const char  *field,
            gboolean     required,
            const char **out,
            GError     **error)
{
  JsonNode *node = get_member (object, name);

  *out = NULL;
  if (node == NULL)
    {
      if (required)
        return fail (error, field, "missing (required)");
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return fail (error, field, "expected a string, found %s", describe_node (node));
  *out = json_node_get_string (node);
  return TRUE;
}

static gboolean
has_control_chars (const char *s)
{
  for (const char *p = s; *p != '\0'; p = g_utf8_next_char (p))
    if (g_unichar_iscntrl (g_utf8_get_char (p)))
      return TRUE;
  return FALSE;
}

/* Free text: valid UTF-8 (json-glib guarantees it), no control characters,
 * bounded length; NULL when empty after trimming. */
static gboolean
get_text (JsonObject  *object,
          const char  *name,
          const char  *field,
          gsize        max_chars,
          char       **out,
          GError     **error)
{
  const char *s;
  g_autofree char *trimmed = NULL;

  *out = NULL;
  if (!get_string (object, name, field, FALSE, &s, error))
    return FALSE;
  if (s == NULL)
    return TRUE;
  if (!g_utf8_validate (s, -1, NULL))
    return fail (error, field, "not valid UTF-8");
  if (has_control_chars (s))
    return fail (error, field, "contains control characters");
  trimmed = g_utf8_normalize (s, -1, G_NORMALIZE_NFC);
  g_strstrip (trimmed);
  if (g_utf8_strlen (trimmed, -1) > (glong) max_chars)
    return fail (error, field, "longer than %" G_GSIZE_FORMAT " characters", max_chars);
  if (*trimmed != '\0')
    *out = g_steal_pointer (&trimmed);
  return TRUE;
}

static gboolean
get_enum (JsonObject  *object,
          const char  *name,
          const char  *expected,
          GType        type,
          guint       *out,
          GError     **error)
{
  const char *s;
  g_autofree char *quoted = NULL;

  if (!get_string (object, name, name, TRUE, &s, error))
    return FALSE;
  if (enum_from_nick (type, s, out))
    return TRUE;
  quoted = tp_json_quote (s);
  return fail (error, name, "“%s” is not %s", quoted, expected);
}

static gboolean
get_full_date (JsonObject  *object,
               const char  *name,
               const char  *field,
               gboolean     required,
               GDate       *out,
               GError     **error)
{
  const char *s;
  g_autofree char *quoted = NULL;

  g_date_clear (out, 1);
  if (!get_string (object, name, field, required, &s, error))
    return FALSE;
  if (s == NULL || parse_full_date (s, out))
    return TRUE;
  quoted = tp_json_quote (s);
  return fail (error, field, "“%s” is not a date (YYYY-MM-DD)", quoted);
}

/* A code of the country table (tp-country.h), lower case accepted and
 * upper-cased: what an MRZ prints (D for Germany, XXA...) or ISO alpha-3. */
static gboolean
get_country (JsonObject  *object,
             const char  *name,
             const char  *field,
             char         out[4],
             GError     **error)
{
  const char *s;
  g_autofree char *quoted = NULL;

  out[0] = '\0';
  if (!get_string (object, name, field, FALSE, &s, error))
    return FALSE;
  if (s == NULL)
    return TRUE;
  if (strlen (s) <= 3 && strchr (s, '<') == NULL && tp_country_is_valid (s))
    {
      gsize i;

      for (i = 0; s[i] != '\0'; i++)
        out[i] = g_ascii_toupper (s[i]);
      out[i] = '\0';
      return TRUE;
    }
  quoted = tp_json_quote (s);
  return fail (error, field, "“%s” is not a country code: expected an ICAO 9303 code as the "
               "MRZ prints it (ISO 3166 alpha-3, D for Germany, XXA, UNO...)", quoted);
}

static gboolean
decode_identifier (JsonNode      *node,
                   guint          index,
                   TpIdentifier **out,
                   GError       **error)
{
  g_autofree char *field = g_strdup_printf ("person.identifiers[%u]", index);
  g_autofree char *type_field = g_strconcat (field, ".type", NULL);
  g_autofree char *value_field = g_strconcat (field, ".value", NULL);
  g_autofree char *country_field = g_strconcat (field, ".country", NULL);
  g_autofree char *quoted = NULL;
  g_autoptr(GString) value = NULL;
  JsonObject *object;
  TpIdentifierType type;
  const char *s;
  char country[4];

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return fail (error, field, "expected an object {\"type\", \"value\", \"country\"}, found %s",
                 describe_node (node));
  object = json_node_get_object (node);

  if (!get_string (object, "type", type_field, TRUE, &s, error))
    return FALSE;
  if (!tp_identifier_type_from_string (s, &type))
    {
      quoted = tp_json_quote (s);
      return fail (error, type_field, "“%s” is not an identifier type (passport, national_id, tax_code or other)",
                   quoted);
    }

  if (!get_string (object, "value", value_field, TRUE, &s, error))
    return FALSE;
  value = g_string_new (NULL);
  for (const char *p = s; *p != '\0'; p++)
    {
      char c = *p;

      if (c == ' ' || c == '\t')
        continue;
      if (!g_ascii_isalnum (c) && c != '-' && c != '/' && c != '.')
        {
          quoted = tp_json_quote (s);
          return fail (error, value_field,
                       "“%s” has a character other than letters A–Z, digits, “-”, “/” and “.”", quoted);
        }
      g_string_append_c (value, g_ascii_toupper (c));
    }
  if (value->len == 0)
    return fail (error, value_field, "empty");
  if (value->len > MAX_IDENTIFIER_LENGTH)
    return fail (error, value_field, "longer than %d characters", MAX_IDENTIFIER_LENGTH);

  if (!get_country (object, "country", country_field, country, error))
    return FALSE;

  *out = tp_identifier_new (type, value->str, country[0] != '\0' ? country : NULL);
  return TRUE;
}

/* Whether the known part of date is after today's (local time): a year
 * alone is after today only from next year on, a month from next month. */
static gboolean
partial_date_after_today (const TpPartialDate *date)
{
  /* localtime_r() reads the time zone once per process, where GDateTime's
   * local zone looks at /etc/localtime again on every call: decoding a
   * snapshot of a million entries spent an eighth of its time there */
  time_t t = time (NULL);
  struct tm now;
  guint year, month, day;

  if (localtime_r (&t, &now) == NULL)
    return FALSE;
  year = (guint) now.tm_year + 1900;
  month = (guint) now.tm_mon + 1;
  day = (guint) now.tm_mday;

  if (date->year != year)
    return date->year > year;
  if (date->month == 0 || date->month != month)
    return date->month > month;
  return date->day > day;
}

static gboolean
decode_person (JsonObject  *root,
               TpEntry     *entry,
               GError     **error)
{
  JsonNode *node = get_member (root, "person");
  JsonObject *person;
  const char *s;
  g_autofree char *quoted = NULL;

  if (node == NULL)
    return fail (error, "person", "missing (required)");
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return fail (error, "person", "expected an object, found %s", describe_node (node));
  person = json_node_get_object (node);

  if (!get_text (person, "full_name", "person.full_name", MAX_NAME_LENGTH, &entry->full_name, error))
    return FALSE;

  if (!get_string (person, "birth_date", "person.birth_date", FALSE, &s, error))
    return FALSE;
  if (s != NULL && !tp_partial_date_parse (s, &entry->birth_date))
    {
      quoted = tp_json_quote (s);
      return fail (error, "person.birth_date", "“%s” is not a date (YYYY, YYYY-MM or YYYY-MM-DD)", quoted);
    }
  if (s != NULL && partial_date_after_today (&entry->birth_date))
    {
      quoted = tp_json_quote (s);
      return fail (error, "person.birth_date", "“%s” is in the future", quoted);
    }

  if (!get_string (person, "sex", "person.sex", FALSE, &s, error))
    return FALSE;
  if (s != NULL)
    {
      if (strcmp (s, "M") == 0 || strcmp (s, "F") == 0 || strcmp (s, "X") == 0)
        entry->sex = s[0];
      else
        {
          quoted = tp_json_quote (s);
          return fail (error, "person.sex", "“%s” is not a sex code (M, F or X)", quoted);
        }
    }

  if (!get_country (person, "nationality", "person.nationality", entry->nationality, error))
    return FALSE;

  node = get_member (person, "identifiers");
  if (node != NULL)
    {
      JsonArray *array;
      guint n;

      if (!JSON_NODE_HOLDS_ARRAY (node))
        return fail (error, "person.identifiers", "expected an array, found %s", describe_node (node));
      array = json_node_get_array (node);
      n = json_array_get_length (array);
      if (n > MAX_IDENTIFIERS)
        return fail (error, "person.identifiers", "more than %d identifiers", MAX_IDENTIFIERS);
      for (guint i = 0; i < n; i++)
        {
          TpIdentifier *identifier = NULL;

          if (!decode_identifier (json_array_get_element (array, i), i, &identifier, error))
            return FALSE;
          g_ptr_array_add (entry->identifiers, identifier);
        }
    }

  if (entry->full_name == NULL && entry->identifiers->len == 0)
    return fail (error, "person", "needs a full_name or at least one identifier");
  return TRUE;
}

static gboolean
decode_basis (JsonObject  *root,
              TpEntry     *entry,
              GError     **error)
{
  JsonNode *node = get_member (root, "basis");
  JsonObject *basis;
  GDate issued_at;

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return fail (error, "basis", "expected an object, found %s", describe_node (node));
  basis = json_node_get_object (node);

  if (!get_text (basis, "reference", "basis.reference", MAX_TEXT_LENGTH, &entry->basis_reference, error) ||
      !get_text (basis, "issued_by", "basis.issued_by", MAX_TEXT_LENGTH, &entry->basis_issued_by, error) ||
      !get_text (basis, "reason", "basis.reason", MAX_TEXT_LENGTH, &entry->basis_reason, error) ||
      !get_full_date (basis, "issued_at", "basis.issued_at", FALSE, &issued_at, error))
    return FALSE;
  if (g_date_valid (&issued_at))
    {
      GString *s = g_string_new (NULL);

      append_date (s, &issued_at);
      entry->basis_issued_at = g_string_free (s, FALSE);
    }
  return TRUE;
}

static gboolean
decode_visibility (JsonObject  *root,
                   TpEntry     *entry,
                   GError     **error)
{
  JsonNode *node = get_member (root, "visibility");
  JsonArray *array;

  entry->visibility = 0;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return fail (error, "visibility", "expected an array of roles, found %s", describe_node (node));
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      g_autofree char *field = g_strdup_printf ("visibility[%u]", i);
      g_autofree char *quoted = NULL;
      TpRoles role;

      if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING)
        return fail (error, field, "expected a string, found %s", describe_node (element));
      if (!tp_role_from_string (json_node_get_string (element), &role))
        {
          quoted = tp_json_quote (json_node_get_string (element));
          return fail (error, field, "“%s” is not a role (immigration, customs or supervisor)", quoted);
        }
      entry->visibility |= role;
    }
  return TRUE;
}

static gboolean
decode_id (JsonObject  *root,
           TpEntry     *entry,
           GError     **error)
{
  const char *s;
  g_autofree char *quoted = NULL;
  gsize len;

  if (!get_string (root, "id", "id", TRUE, &s, error))
    return FALSE;
  len = strlen (s);
  if (len == 0)
    return fail (error, "id", "empty");
  if (len > MAX_ID_LENGTH)
    return fail (error, "id", "longer than %d characters", MAX_ID_LENGTH);
  for (gsize i = 0; i < len; i++)
    if (s[i] <= ' ' || s[i] >= 0x7f)
      {
        quoted = tp_json_quote (s);
        return fail (error, "id", "“%s” has a character that is not printable ASCII (or a space)", quoted);
      }
  entry->id = g_strdup (s);
  return TRUE;
}

static gboolean
decode_version (JsonObject  *root,
                TpEntry     *entry,
                GError     **error)
{
  JsonNode *node = get_member (root, "version");
  gint64 v;

  if (node == NULL)
    return fail (error, "version", "missing (required)");
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return fail (error, "version", "expected a whole number ≥ 1, found %s", describe_node (node));
  v = json_node_get_int (node);
  if (v < 1 || v > G_MAXINT32)
    return fail (error, "version", "%" G_GINT64_FORMAT " is out of range (1 to %d)", v, G_MAXINT32);
  entry->version = (guint) v;
  return TRUE;
}

TpEntry *
tp_entry_from_json_node (JsonNode  *node,
                         GError   **error)
{
  g_autoptr(TpEntry) entry = NULL;
  JsonObject *root;
  guint e = 0;

  g_return_val_if_fail (node != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT,
                   "entry: expected a JSON object, found %s", describe_node (node));
      return NULL;
    }
  root = json_node_get_object (node);
  entry = tp_entry_new ();

  if (!decode_id (root, entry, error) ||
      !decode_version (root, entry, error))
    return NULL;

  if (!get_enum (root, "list", "a list (exit_ban or watch)", TP_TYPE_LIST_KIND, &e, error))
    return NULL;
  entry->list = (TpListKind) e;
  if (!get_enum (root, "status", "a status (active or cancelled)", TP_TYPE_ENTRY_STATUS, &e, error))
    return NULL;
  entry->status = (TpEntryStatus) e;
  if (!get_enum (root, "agency", "an agency (customs, tax, immigration, police or court)",
                 TP_TYPE_AGENCY, &e, error))
    return NULL;
  entry->agency = (TpAgency) e;
  if (!get_enum (root, "action", "an action (deny_exit, refer_customs, refer_supervisor or notify)",
                 TP_TYPE_ACTION, &e, error))
    return NULL;
  entry->action = (TpAction) e;

  if (!decode_visibility (root, entry, error) ||
      !decode_person (root, entry, error) ||
      !decode_basis (root, entry, error) ||
      !get_full_date (root, "effective_from", "effective_from", TRUE, &entry->effective_from, error) ||
      !get_full_date (root, "effective_until", "effective_until", FALSE, &entry->effective_until, error))
    return NULL;

  if (g_date_valid (&entry->effective_until) &&
      g_date_compare (&entry->effective_until, &entry->effective_from) < 0)
    {
      GString *until = g_string_new (NULL);
      GString *from = g_string_new (NULL);

      append_date (until, &entry->effective_until);
      append_date (from, &entry->effective_from);
      fail (error, "effective_until", "“%s” is before effective_from “%s”", until->str, from->str);
      g_string_free (until, TRUE);
      g_string_free (from, TRUE);
      return NULL;
    }

  return g_steal_pointer (&entry);
}

TpEntry *
tp_entry_from_json (const char  *json,
                    gssize       length,
                    GError     **error)
{
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (json != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  root = tp_json_parse_object_line (json, length, "entry", error);
  if (root == NULL)
    return NULL;
  return tp_entry_from_json_node (root, error);
}

/* Canonical form */

static void
append_member (GString    *out,
               gboolean   *first,
               const char *name)
{
  if (!*first)
    g_string_append_c (out, ',');
  *first = FALSE;
  tp_json_append_string (out, name);
  g_string_append_c (out, ':');
}

static void
append_string_member (GString    *out,
                      gboolean   *first,
                      const char *name,
                      const char *value)
{
  if (value == NULL)
    return;
  append_member (out, first, name);
  tp_json_append_string (out, value);
}

char *
tp_entry_to_json (const TpEntry *entry)
{
  GString *out;
  gboolean first = TRUE;
  g_autofree char *birth = NULL;

  g_return_val_if_fail (entry != NULL, NULL);

  out = g_string_sized_new (512);
  g_string_append_c (out, '{');

  append_string_member (out, &first, "action", tp_action_to_string (entry->action));
  append_string_member (out, &first, "agency", tp_agency_to_string (entry->agency));

  if (entry->basis_issued_at || entry->basis_issued_by || entry->basis_reason || entry->basis_reference)
    {
      gboolean bfirst = TRUE;

      append_member (out, &first, "basis");
      g_string_append_c (out, '{');
      append_string_member (out, &bfirst, "issued_at", entry->basis_issued_at);
      append_string_member (out, &bfirst, "issued_by", entry->basis_issued_by);
      append_string_member (out, &bfirst, "reason", entry->basis_reason);
      append_string_member (out, &bfirst, "reference", entry->basis_reference);
      g_string_append_c (out, '}');
    }

  if (g_date_valid (&entry->effective_from))
    {
      append_member (out, &first, "effective_from");
      g_string_append_c (out, '"');
      append_date (out, &entry->effective_from);
      g_string_append_c (out, '"');
    }
  if (g_date_valid (&entry->effective_until))
    {
      append_member (out, &first, "effective_until");
      g_string_append_c (out, '"');
      append_date (out, &entry->effective_until);
      g_string_append_c (out, '"');
    }

  append_string_member (out, &first, "id", entry->id);
  append_string_member (out, &first, "list", tp_list_kind_to_string (entry->list));

  {
    gboolean pfirst = TRUE;

    append_member (out, &first, "person");
    g_string_append_c (out, '{');
    birth = tp_partial_date_to_string (&entry->birth_date);
    append_string_member (out, &pfirst, "birth_date", birth);
    append_string_member (out, &pfirst, "full_name", entry->full_name);
    if (entry->identifiers != NULL && entry->identifiers->len > 0)
      {
        append_member (out, &pfirst, "identifiers");
        g_string_append_c (out, '[');
        for (guint i = 0; i < entry->identifiers->len; i++)
          {
            const TpIdentifier *id = g_ptr_array_index (entry->identifiers, i);
            gboolean ifirst = TRUE;

            if (i > 0)
              g_string_append_c (out, ',');
            g_string_append_c (out, '{');
            append_string_member (out, &ifirst, "country", id->country);
            append_string_member (out, &ifirst, "type", tp_identifier_type_to_string (id->type));
            append_string_member (out, &ifirst, "value", id->value);
            g_string_append_c (out, '}');
          }
        g_string_append_c (out, ']');
      }
    append_string_member (out, &pfirst, "nationality",
                          entry->nationality[0] != '\0' ? entry->nationality : NULL);
    if (entry->sex != 0)
      {
        char sex[2] = { entry->sex, '\0' };

        append_string_member (out, &pfirst, "sex", sex);
      }
    g_string_append_c (out, '}');
  }

  append_string_member (out, &first, "status", tp_entry_status_to_string (entry->status));
  append_member (out, &first, "version");
  g_string_append_printf (out, "%u", entry->version);

  if (entry->visibility != 0)
    {
      GFlagsClass *roles = class_of (TP_TYPE_ROLES);
      gboolean any = FALSE;

      append_member (out, &first, "visibility");
      g_string_append_c (out, '[');
      for (guint i = 0; i < roles->n_values; i++)
        if (entry->visibility & roles->values[i].value)
          {
            if (any)
              g_string_append_c (out, ',');
            tp_json_append_string (out, roles->values[i].value_nick);
            any = TRUE;
          }
      g_string_append_c (out, ']');
    }

  g_string_append_c (out, '}');
  return g_string_free (out, FALSE);
}

JsonNode *
tp_entry_to_json_node (const TpEntry *entry)
{
  g_autofree char *json = NULL;

  g_return_val_if_fail (entry != NULL, NULL);

  json = tp_entry_to_json (entry);
  return json_from_string (json, NULL);
}

gboolean
tp_entry_is_effective (const TpEntry *entry,
                       const GDate   *date)
{
  g_return_val_if_fail (entry != NULL, FALSE);
  g_return_val_if_fail (date != NULL && g_date_valid (date), FALSE);

  if (entry->status != TP_ENTRY_ACTIVE)
    return FALSE;
  if (!g_date_valid (&entry->effective_from) || g_date_compare (date, &entry->effective_from) < 0)
    return FALSE;
  if (g_date_valid (&entry->effective_until) && g_date_compare (date, &entry->effective_until) > 0)
    return FALSE;
  return TRUE;
}
