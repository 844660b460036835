/* tp-demo-scenario.h: the demo's travellers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each scenario is a traveller at the counter: a software chip (profile,
 * holder, quirks; tp-sim-chip.h) whose printed MRZ the simulated document
 * reader types, and a boarding pass the simulated scanner reads, for a
 * flight @pass_day days from today. The people and numbers are fictional;
 * the list entries they meet are in data/demo/list.jsonl. The ids are
 * fixed: tests and the demo panel's accessible names use them.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  const char *id;
  const char *title;       /* translatable (N_) */
  const char *summary;     /* translatable (N_) */
  const char *chip;        /* software chip specification */
  int         pass_day;    /* the boarding pass's flight, days from today */
  const char *verdict;     /* what the list says: CLEAR, REVIEW, REFER, STOP */
} TpDemoScenario;

const TpDemoScenario *tp_demo_scenarios       (guint      *n_scenarios);
const TpDemoScenario *tp_demo_scenario_lookup (const char *id);

/* The printed MRZ of the scenario's passport (the chip's own). */
char                 *tp_demo_scenario_mrz    (const TpDemoScenario *scenario,
                                               GError              **error);
/* The boarding pass the scanner reads: VN 0310 from @airport to NRT, in
 * the passport's name, on today + pass_day. */
char                 *tp_demo_scenario_boarding_pass (const TpDemoScenario *scenario,
                                                      const char           *airport,
                                                      GError              **error);

G_END_DECLS
