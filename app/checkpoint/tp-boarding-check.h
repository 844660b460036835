/* tp-boarding-check.h: a boarding pass checked against the checkpoint and
 * the passport (BRIEF §1, step 4)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Three checks, each reported separately:
 *  - departs here: one of the pass's legs leaves from this checkpoint's
 *    airport (that leg is the one the other checks use);
 *  - flight date: that leg's flight date is within one day of today
 *    (late-night departures and passes printed the day before);
 *  - name: the pass's name agrees with the passport's MRZ name. BCBP
 *    names are at most 20 characters ("SURNAME/GIVEN NAMES TITLE"), so a
 *    full name field may be cut: the passport's given names then only
 *    need to start with what the pass carries. Names are compared folded
 *    (tp-name.h) and without spaces, as airlines often print "VANAN".
 * A check the pass or the passport gives too little for is UNKNOWN, and
 * `unchecked` says why, naming the IATA item a cut-short pass lacks ("the
 * flight date could not be checked: Date of Flight (Julian Date) (item
 * 46), leg 1: missing: the pass ends before it").
 * Whether the pass was already used at this checkpoint today needs the
 * store: the case fills @first_use (tp-case.c, tp_store_use_boarding_pass()).
 */
#pragma once

#include <glib.h>

#include "tp-bcbp.h"

G_BEGIN_DECLS

typedef enum {
  TP_BOARDING_UNKNOWN,  /* not enough data to decide */
  TP_BOARDING_OK,
  TP_BOARDING_FAILED,
} TpBoardingState;

typedef struct {
  int              leg;           /* index of the leg departing here, or -1 */
  TpBoardingState  departs_here;
  TpBoardingState  flight_date;
  TpBoardingState  name;
  TpBoardingState  first_use;     /* not presented at this checkpoint today in
                                   * another case (UNKNOWN until checked) */
  GPtrArray       *problems;      /* char *: one sentence per failed check */
  GPtrArray       *unchecked;     /* char *: one sentence per check left unknown, saying why */
} TpBoardingCheck;

TpBoardingCheck *tp_boarding_check            (const TpBcbp  *pass,
                                               const char    *airport,
                                               const GDate   *today,
                                               const char    *primary,
                                               const char    *secondary);
gboolean         tp_boarding_check_passed     (const TpBoardingCheck *check);
void             tp_boarding_check_free       (TpBoardingCheck       *check);
const char      *tp_boarding_state_to_string  (TpBoardingState        state);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpBoardingCheck, tp_boarding_check_free)

G_END_DECLS
