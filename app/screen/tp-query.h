/* tp-query.h: what a traveller presents, as the matcher reads it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A screening query gathers what the document reader, the chip and the
 * boarding pass give about one traveller. Every field is optional. The JSON
 * form is the `touchpoint-cli screen` input contract (one object per line):
 *
 *   {"id": "q1", "document_number": "C1234567", "issuing_state": "VNM",
 *    "nationality": "VNM", "primary": "NGUYEN", "secondary": "VAN AN",
 *    "full_name": "Nguyễn Văn An", "birth_date": "1980-05-17", "sex": "M",
 *    "personal_number": "001080012345"}
 *
 * Decoding normalises as the MRZ would: document number, states and
 * personal number upper case with '<' fillers and spaces removed; names are
 * kept as given (the matcher normalises them, see tp-name.h). A member that
 * is null or an empty string counts as absent; members this version does not
 * know are ignored, so that readers can send more than the matcher uses.
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "tp-entry.h"

G_BEGIN_DECLS

typedef struct {
  char          *id;               /* the caller's own reference, or NULL */
  char          *document_number;  /* "C1234567" */
  char          *issuing_state;    /* ICAO code, "VNM", "D" */
  char          *nationality;
  char          *primary;          /* MRZ primary identifier (family name) */
  char          *secondary;        /* MRZ secondary identifier (given names) */
  char          *full_name;        /* with diacritics when known (chip DG11) */
  TpPartialDate  birth_date;       /* year 0 when absent */
  char           sex;              /* 'M', 'F', 'X' or 0 when unknown */
  char          *personal_number;  /* e.g. the 12-digit Vietnamese citizen ID */
} TpQuery;

TpQuery   *tp_query_new               (void);
void       tp_query_free              (TpQuery        *query);
TpQuery   *tp_query_copy              (const TpQuery  *query);

/* Decode and validate one query: one JSON object (nothing after it), valid
 * UTF-8. The error message names the member and says what was found and
 * what was expected. */
TpQuery   *tp_query_from_json         (const char     *json,
                                       gssize          length,
                                       GError        **error);
/* The same; when the object is readable but not a valid query, *id_out
 * gets its "id" (if a string) so that the error can name the query. */
TpQuery   *tp_query_from_json_line    (const char     *json,
                                       gssize          length,
                                       char          **id_out,
                                       GError        **error);
TpQuery   *tp_query_from_json_node    (JsonNode       *node,
                                       GError        **error);

/* The "id" member of a query object when it is a string, else NULL: lets
 * an error report name the query that could not be decoded. */
char      *tp_query_peek_id           (JsonNode       *node);

JsonNode  *tp_query_to_json_node      (const TpQuery  *query);
char      *tp_query_to_json           (const TpQuery  *query);

/* "VNM:C1234567": the key cleared pairs are recorded under, or NULL
 * without a document number or issuing state. */
char      *tp_query_document_key      (const TpQuery  *query);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpQuery, tp_query_free)

G_END_DECLS
