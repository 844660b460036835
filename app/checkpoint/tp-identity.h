/* tp-identity.h: who the traveller is, from the printed MRZ and the chip
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The one place that decides which data a traveller is screened on. Chip
 * data (DG1, and DG11's full name and personal number) counts only when
 * passive authentication passed and that data group's own hash matched;
 * otherwise the printed MRZ (typed, or from the document reader's OCR) is
 * the identity. When verified chip data and the printed MRZ name
 * different people (or the same person with different details), both are
 * screened and the stricter verdict is kept, and the case says so. A chip
 * whose data did not verify, with no printed MRZ to fall back on, is still
 * screened (a chip must not make a traveller unscreenable) but marked, and
 * its verdict is never better than REVIEW.
 */
#pragma once

#include <glib-object.h>

#include "tp-document.h"
#include "tp-mrz.h"
#include "tp-query.h"

G_BEGIN_DECLS

/**
 * TpIdentitySource:
 * @TP_IDENTITY_SOURCE_NONE: nothing to screen yet
 * @TP_IDENTITY_SOURCE_PRINTED: the printed MRZ (no chip read, or chip data
 *   that did not verify)
 * @TP_IDENTITY_SOURCE_CHIP: verified chip data (agreeing with the printed
 *   MRZ, or without one)
 * @TP_IDENTITY_SOURCE_BOTH: verified chip data and the printed MRZ
 *   disagree: both are screened, the stricter verdict kept
 * @TP_IDENTITY_SOURCE_UNVERIFIED_CHIP: chip data that did not verify and
 *   no printed MRZ: screened, verdict at least REVIEW
 */
typedef enum {
  TP_IDENTITY_SOURCE_NONE,
  TP_IDENTITY_SOURCE_PRINTED,
  TP_IDENTITY_SOURCE_CHIP,
  TP_IDENTITY_SOURCE_BOTH,
  TP_IDENTITY_SOURCE_UNVERIFIED_CHIP,
} TpIdentitySource;

GType tp_identity_source_get_type (void);
#define TP_TYPE_IDENTITY_SOURCE (tp_identity_source_get_type ())

/**
 * TpIdentity:
 * @source: see #TpIdentitySource
 * @mrz: the zone shown as the traveller's identity (borrowed from the
 *   printed MRZ or the document's DG1), or NULL with @source NONE
 * @full_name: the name with diacritics from verified DG11, or NULL
 * @queries: what to screen (#TpQuery): one, or two with @source BOTH
 *   (the chip's first, the printed MRZ's second); empty with NONE
 * @note: where the identity comes from and why, when it is not simply the
 *   verified chip's ("from the printed MRZ: the chip's data did not
 *   verify"), or NULL
 * @differences: with @source BOTH, the fields that differ
 *   ("document number, name"), else NULL
 */
typedef struct {
  TpIdentitySource  source;
  const TpMrz      *mrz;
  char             *full_name;
  GPtrArray        *queries;
  char             *note;
  char             *differences;
} TpIdentity;

/* Decides from @printed (the printed MRZ, or NULL) and @document (the
 * chip read, or NULL). The result borrows from both: free it first. */
TpIdentity *tp_identity_decide           (const TpMrz      *printed,
                                          const TpDocument *document);
void        tp_identity_free             (TpIdentity       *identity);

/* TRUE when @document's data group @dg counts as the holder's: read,
 * passive authentication valid, and the group's own hash matched. */
gboolean    tp_identity_chip_data_counts (const TpDocument *document,
                                          guint             dg);

/* "none", "printed", "chip", "both", "unverified_chip" */
const char *tp_identity_source_to_string (TpIdentitySource  source);

/* DG11's full name, stored MRZ-style ("NGUYỄN<<VĂN<AN"), as words. */
char       *tp_identity_dg11_display_name (const TpLdsDg11 *dg11);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpIdentity, tp_identity_free)

G_END_DECLS
