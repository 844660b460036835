/* tp-check-row.h: one check of a case, as a row: icon, name, state word, reason
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

typedef enum {
  TP_CHECK_ROW_PASSED,
  TP_CHECK_ROW_FAILED,
  TP_CHECK_ROW_WARNING,       /* passed with a caveat (weak algorithm, revocation unknown) */
  TP_CHECK_ROW_NOT_CHECKED,   /* not done, or not possible with what is known */
} TpCheckRowState;

#define TP_TYPE_CHECK_ROW (tp_check_row_get_type ())
G_DECLARE_FINAL_TYPE (TpCheckRow, tp_check_row, TP, CHECK_ROW, AdwActionRow)

/* @reason: why it failed or was not checked, or a detail; may be NULL. */
GtkWidget       *tp_check_row_new        (const char      *title,
                                          TpCheckRowState  state,
                                          const char      *reason);
void             tp_check_row_set_state  (TpCheckRow      *self,
                                          TpCheckRowState  state,
                                          const char      *reason);
TpCheckRowState  tp_check_row_get_state  (TpCheckRow      *self);
/* "Passed", "FAILED", "Warning", "Not checked", translated. */
const char      *tp_check_row_state_word (TpCheckRowState  state);

G_END_DECLS
