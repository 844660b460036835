/* tp-entry.h: one version of a list entry (exit ban or watch), BRIEF §2
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The data model shared by the store (app/store), the matcher (app/screen)
 * and the sync client. The JSON form is the contract with the hub:
 *
 *   {"id": "EB-2026-000123", "version": 3, "list": "exit_ban", "status": "active",
 *    "agency": "customs", "action": "deny_exit", "visibility": ["immigration", "supervisor"],
 *    "person": {"full_name": "Nguyễn Văn An", "birth_date": "1980-05-17", "sex": "M",
 *               "nationality": "VNM",
 *               "identifiers": [{"type": "passport", "value": "C1234567", "country": "VNM"}, ...]},
 *    "basis": {"reference": "...", "issued_by": "...", "issued_at": "2026-01-16", "reason": "tax_debt"},
 *    "effective_from": "2026-01-16", "effective_until": "2026-07-16"}
 */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum {
  TP_LIST_EXIT_BAN,
  TP_LIST_WATCH,
} TpListKind;

GType tp_list_kind_get_type (void);
#define TP_TYPE_LIST_KIND (tp_list_kind_get_type ())

typedef enum {
  TP_ENTRY_ACTIVE,
  TP_ENTRY_CANCELLED,
} TpEntryStatus;

GType tp_entry_status_get_type (void);
#define TP_TYPE_ENTRY_STATUS (tp_entry_status_get_type ())

typedef enum {
  TP_AGENCY_CUSTOMS,
  TP_AGENCY_TAX,
  TP_AGENCY_IMMIGRATION,
  TP_AGENCY_POLICE,
  TP_AGENCY_COURT,
} TpAgency;

GType tp_agency_get_type (void);
#define TP_TYPE_AGENCY (tp_agency_get_type ())

typedef enum {
  TP_ACTION_DENY_EXIT,
  TP_ACTION_REFER_CUSTOMS,
  TP_ACTION_REFER_SUPERVISOR,
  TP_ACTION_NOTIFY,
} TpAction;

GType tp_action_get_type (void);
#define TP_TYPE_ACTION (tp_action_get_type ())

/* Roles, as a set: who may see an entry's details (visibility). */
typedef enum {
  TP_ROLE_IMMIGRATION = 1 << 0,
  TP_ROLE_CUSTOMS     = 1 << 1,
  TP_ROLE_SUPERVISOR  = 1 << 2,
} TpRoles;

GType tp_roles_get_type (void);
#define TP_TYPE_ROLES (tp_roles_get_type ())

typedef enum {
  TP_ID_PASSPORT,
  TP_ID_NATIONAL_ID,
  TP_ID_TAX_CODE,
  TP_ID_OTHER,
} TpIdentifierType;

GType tp_identifier_type_get_type (void);
#define TP_TYPE_IDENTIFIER_TYPE (tp_identifier_type_get_type ())

typedef struct {
  TpIdentifierType  type;
  char             *value;    /* upper case, no spaces */
  char             *country;  /* a code of tp-country.h (VNM, D...), or NULL */
} TpIdentifier;

/* A possibly partial date: "1980-05-17", "1980-05" or "1980".
 * month and day are 0 when unknown; year 0 means no date at all. */
typedef struct {
  guint16 year;
  guint8  month;
  guint8  day;
} TpPartialDate;

typedef struct {
  char          *id;
  guint          version;
  TpListKind     list;
  TpEntryStatus  status;
  TpAgency       agency;
  TpAction       action;
  TpRoles        visibility;

  char          *full_name;       /* as issued, with diacritics when known */
  TpPartialDate  birth_date;
  char           sex;             /* 'M', 'F', 'X' or 0 when unknown */
  char           nationality[4];  /* "" when unknown */
  GPtrArray     *identifiers;     /* of TpIdentifier*, owned */

  char          *basis_reference;
  char          *basis_issued_by;
  char          *basis_issued_at;
  char          *basis_reason;

  GDate          effective_from;  /* always valid */
  GDate          effective_until; /* invalid (g_date_valid() == FALSE) = until cancelled */
} TpEntry;

TpEntry      *tp_entry_new               (void);
void          tp_entry_free              (TpEntry            *entry);
TpEntry      *tp_entry_copy              (const TpEntry      *entry);

/* Decode and validate one entry. On failure the error message names the
 * field and the problem ("person.birth_date: “1980-13-01” is not a date"). */
TpEntry      *tp_entry_from_json         (const char         *json,
                                          gssize              length,
                                          GError            **error);
TpEntry      *tp_entry_from_json_node    (JsonNode           *node,
                                          GError            **error);
/* Canonical JSON (stable member order, no whitespace): what the state hash covers.
 *
 * The canonical form is the RFC 8785 (JCS) serialisation of the normalised
 * entry, so that the hub can compute it in any language:
 *  - members sorted by name (all names are ASCII), no whitespace;
 *  - strings as UTF-8, escaping only '"', '\\' and control characters
 *    (\b \t \n \f \r, others as \u00xx with lower-case hex);
 *  - optional members that are absent (or null on input) are left out,
 *    "effective_until" included; "basis" is left out when it has no member;
 *    "identifiers" and "visibility" are left out when empty;
 *  - values normalised: names NFC and trimmed, identifier values upper case
 *    without spaces, country codes upper case, visibility as a sorted set
 *    ("customs", "immigration", "supervisor");
 *  - members this version does not know are dropped.
 * Decoding the canonical form gives the same entry (round trip). */
char         *tp_entry_to_json           (const TpEntry      *entry);
JsonNode     *tp_entry_to_json_node      (const TpEntry      *entry);

/* Acts on @date: active, effective_from <= date, and date <= effective_until when set. */
gboolean      tp_entry_is_effective      (const TpEntry      *entry,
                                          const GDate        *date);

const char   *tp_list_kind_to_string     (TpListKind          kind);
const char   *tp_entry_status_to_string  (TpEntryStatus       status);
const char   *tp_role_to_string          (TpRoles             role);   /* one role */
const char   *tp_agency_to_string        (TpAgency            agency);
const char   *tp_action_to_string        (TpAction            action);
const char   *tp_identifier_type_to_string (TpIdentifierType  type);
gboolean      tp_list_kind_from_string   (const char *s, TpListKind *out);
gboolean      tp_entry_status_from_string (const char *s, TpEntryStatus *out);
gboolean      tp_role_from_string        (const char *s, TpRoles *out);
gboolean      tp_agency_from_string      (const char *s, TpAgency *out);
gboolean      tp_action_from_string      (const char *s, TpAction *out);
gboolean      tp_identifier_type_from_string (const char *s, TpIdentifierType *out);
/* "YYYY", "YYYY-MM" or "YYYY-MM-DD", a real calendar date, year 1000–9999. */
gboolean      tp_partial_date_parse      (const char *s, TpPartialDate *out);
/* NULL when year is 0 */
char         *tp_partial_date_to_string  (const TpPartialDate *date);

TpIdentifier *tp_identifier_new          (TpIdentifierType    type,
                                          const char         *value,
                                          const char         *country);
void          tp_identifier_free         (TpIdentifier       *identifier);
/* TRUE for the identifiers that stand for a person's national ID: a
 * national_id, and a tax_code of 12 digits (since 1 July 2025 an
 * individual's tax identification number in Vietnam is the 12-digit
 * personal identification number; 10- and 13-digit tax codes are the
 * enterprise-era codes, not a person's). */
gboolean      tp_identifier_is_personal_number (const TpIdentifier *identifier);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpIdentifier, tp_identifier_free)

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpEntry, tp_entry_free)

G_END_DECLS
