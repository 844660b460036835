/* tp-demo.h: demo mode: a throw-away terminal, the software chip, scenario travellers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Implements TpDemoMode for the touchpoint executable (tools/demo opens
 * it). Everything lives in a temporary directory removed at shutdown: the
 * terminal's store (the demo list, the demo accounts IMM-01, CUS-01,
 * SUP-01) and the test PKI's CSCAs. The reader is the software chip;
 * presenting a scenario (tp-demo-scenario.h) puts its chip on the reader,
 * types its printed MRZ as a document reader's OCR would, and scans its
 * boarding pass.
 */
#pragma once

#include "tp-demo-mode.h"

G_BEGIN_DECLS

#define TP_TYPE_DEMO (tp_demo_get_type ())
G_DECLARE_FINAL_TYPE (TpDemo, tp_demo, TP, DEMO, GObject)

TpDemo     *tp_demo_new        (void);
/* Presents a scenario traveller at the counter (the demo panel's buttons). */
gboolean    tp_demo_present    (TpDemo      *self,
                                const char  *scenario_id,
                                GError     **error);
const char *tp_demo_get_dir    (TpDemo      *self);

G_END_DECLS
