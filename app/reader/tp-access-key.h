/* tp-access-key.h: what opens a chip: the MRZ information or the CAN
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "tp-mrz.h"

G_BEGIN_DECLS

typedef enum {
  TP_ACCESS_KEY_MRZ,   /* document number, birth date, expiry date */
  TP_ACCESS_KEY_CAN,   /* card access number (PACE only) */
} TpAccessKeyKind;

/**
 * TpAccessKey:
 * @kind: which password
 * @mrz_info: the MRZ information (document number, birth and expiry
 *   dates, each with its check digit), for TP_ACCESS_KEY_MRZ
 * @can: the card access number, for TP_ACCESS_KEY_CAN
 * @mrz: the whole printed MRZ when it was given (compared with DG1), or
 *   NULL
 * @document_number, @birth_date, @expiry_date: the fields as given
 *   (compared with DG1 when @mrz is NULL), or NULL
 */
typedef struct {
  TpAccessKeyKind  kind;
  char            *mrz_info;
  char            *can;
  TpMrz           *mrz;
  char            *document_number;
  char            *birth_date;
  char            *expiry_date;
} TpAccessKey;

/* From the printed MRZ (lines separated by white space). Fails with
 * TP_ERROR_INVALID_ARGUMENT when the text is not an MRZ, or when a check
 * digit the keys depend on is wrong (the chip would refuse them). */
TpAccessKey   *tp_access_key_new_from_mrz       (const char         *mrz_text,
                                                 GError            **error);
/* From the three fields: document number as printed (filler optional),
 * dates YYMMDD. */
TpAccessKey   *tp_access_key_new_from_fields    (const char         *document_number,
                                                 const char         *birth_date,
                                                 const char         *expiry_date,
                                                 GError            **error);
/* A CAN of six digits (PACE only). */
TpAccessKey   *tp_access_key_new_from_can       (const char         *can,
                                                 GError            **error);
TpAccessKey   *tp_access_key_copy               (const TpAccessKey  *key);
void           tp_access_key_free               (TpAccessKey        *key);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpAccessKey, tp_access_key_free)

G_END_DECLS
