/* tp-verdict-banner.h: the case's verdict, in a word, an icon and a colour
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * CLEAR, REVIEW, REFER or STOP with its icon and a sentence saying why;
 * colour repeats what the word and the icon say, never alone. Its
 * accessible name is "Verdict: STOP" (CLEAR, REVIEW, REFER), or
 * "Verdict: none" while there is no verdict (no traveller yet, or the
 * data still arriving).
 */
#pragma once

#include <gtk/gtk.h>

#include "tp-matcher.h"

G_BEGIN_DECLS

/* Not a TpVerdict: no verdict (yet). */
#define TP_VERDICT_NONE (-1)

#define TP_TYPE_VERDICT_BANNER (tp_verdict_banner_get_type ())
G_DECLARE_FINAL_TYPE (TpVerdictBanner, tp_verdict_banner, TP, VERDICT_BANNER, GtkBox)

GtkWidget  *tp_verdict_banner_new          (void);

/* @verdict: a TpVerdict or TP_VERDICT_NONE; @detail: the sentence below
 * the word, or NULL for the verdict's usual one. */
void        tp_verdict_banner_set_verdict  (TpVerdictBanner *self,
                                            int              verdict,
                                            const char      *detail);
int         tp_verdict_banner_get_verdict  (TpVerdictBanner *self);
const char *tp_verdict_banner_get_detail   (TpVerdictBanner *self);

/* The word shown for a verdict ("STOP"), translated. */
const char *tp_verdict_word                (int              verdict);

G_END_DECLS
