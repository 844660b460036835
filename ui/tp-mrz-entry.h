/* tp-mrz-entry.h: typing an MRZ, with each check digit checked as it is typed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A monospace text area named "MRZ" (lines separated by Enter, letters
 * taken as upper case) and one row per check digit of the format being
 * typed (document number, birth date, expiry date, personal number,
 * composite): "Not checked" until its characters are all there, then
 * "Passed" or "FAILED" with the digit expected. When the whole zone
 * parses and every check holds, "Use this MRZ" emits ::mrz-entered.
 */
#pragma once

#include <gtk/gtk.h>

#include "tp-check-row.h"
#include "tp-mrz.h"

G_BEGIN_DECLS

#define TP_TYPE_MRZ_ENTRY (tp_mrz_entry_get_type ())
G_DECLARE_FINAL_TYPE (TpMrzEntry, tp_mrz_entry, TP, MRZ_ENTRY, GtkWidget)

GtkWidget       *tp_mrz_entry_new            (void);
void             tp_mrz_entry_set_text       (TpMrzEntry *self,
                                              const char *text);
/* The text as typed, upper case. */
char            *tp_mrz_entry_get_text       (TpMrzEntry *self);
/* The state shown for a check (TP_CHECK_ROW_NOT_CHECKED when this format
 * has no such check digit or it is not complete). */
TpCheckRowState  tp_mrz_entry_get_check      (TpMrzEntry *self,
                                              TpMrzCheck  check);
/* TRUE when the zone parses and every check digit holds. */
gboolean         tp_mrz_entry_get_complete   (TpMrzEntry *self);
/* Empties the text. */
void             tp_mrz_entry_clear          (TpMrzEntry *self);

G_END_DECLS
