/* tp-ui-case.h: a real counter for the widget tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A store in a scratch directory holding the demo list, a checkpoint at
 * HAN with its matcher loaded, a counter, and the software chip as the
 * reader (with the test PKI as trust store): the same objects the
 * application builds, minus the window.
 */
#pragma once

#include "tp-counter.h"

G_BEGIN_DECLS

typedef struct {
  char         *dir;
  TpStore      *store;
  TpCheckpoint *checkpoint;
  TpCounter    *counter;
  TpTrustStore *trust;
  TpReader     *reader;
} TpUiCase;

TpUiCase *tp_ui_case_new        (void);
void      tp_ui_case_free       (TpUiCase   *c);
/* The software chip @spec on the reader ("full", "full:tampered"...). */
void      tp_ui_case_set_chip   (TpUiCase   *c,
                                 const char *spec);
/* The printed MRZ of the software chip @spec. */
char     *tp_ui_case_chip_mrz   (const char *spec);
/* Presents @spec's MRZ and waits until the chip is read and the case
 * screened. */
TpCase   *tp_ui_case_present    (TpUiCase   *c,
                                 const char *spec);
/* A boarding pass for today's VN 0310 HAN → NRT with @name ("NGUYEN/VAN AN"),
 * @day_offset days from today. */
char     *tp_ui_case_boarding_pass (const char *name,
                                    int         day_offset);

G_END_DECLS
