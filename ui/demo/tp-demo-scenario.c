/* tp-demo-scenario.c: the demo's travellers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "tp-demo-scenario.h"
#include "tp-mrz.h"
#include "tp-sim-chip.h"

#define LAN "holder=Đỗ/Thị Lan/C7777777/VNM/900203/F/340630/001190077777"

static const TpDemoScenario scenarios[] = {
  { "clear", N_("Clear"),
    N_("Đỗ Thị Lan: on no list"),
    "full:" LAN, 0, "CLEAR" },
  { "exit-ban", N_("Exit ban"),
    N_("Nguyễn Văn An: a customs exit ban in force (STOP)"),
    "full", 0, "STOP" },
  { "cancelled-ban", N_("Cancelled ban"),
    N_("Lê Văn Hùng: his tax ban was cancelled when he paid (CLEAR)"),
    "full:holder=Lê/Văn Hùng/B2345678/VNM/791130/M/330210/001079011230", 0, "CLEAR" },
  { "customs-referral", N_("Customs referral"),
    N_("Hoàng Văn Nam: on the customs watch list (REFER)"),
    "full:holder=Hoàng/Văn Nam/N1122334/VNM/820114/M/320620/001082011223", 0, "REFER" },
  { "possible-match", N_("Possible match"),
    N_("Trần Thị Hương: a banned citizen ID number, another birth date (REVIEW)"),
    "full:holder=Trần/Thị Hương/C7654321/VNM/850319/F/340901/079185004321", 0, "REVIEW" },
  { "expired-passport", N_("Expired passport"),
    N_("Phan Thị Mai: her passport expired in March 2025"),
    "full:holder=Phan/Thị Mai/C5550123/VNM/920715/F/250301", 0, "CLEAR" },
  { "cloned-chip", N_("Cloned chip"),
    N_("Đỗ Thị Lan's data on a copied chip: the clone checks fail"),
    "full:" LAN ",clone", 0, "CLEAR" },
  { "tampered-chip", N_("Tampered chip"),
    N_("Đỗ Thị Lan's chip with the face changed after signing"),
    "full:" LAN ",tampered", 0, "CLEAR" },
  { "wrong-day-boarding-pass", N_("Wrong-day boarding pass"),
    N_("Đỗ Thị Lan with a boarding pass for three days ago"),
    "full:" LAN, -3, "CLEAR" },
};

const TpDemoScenario *
tp_demo_scenarios (guint *n_scenarios)
{
  *n_scenarios = G_N_ELEMENTS (scenarios);
  return scenarios;
}

const TpDemoScenario *
tp_demo_scenario_lookup (const char *id)
{
  for (guint i = 0; i < G_N_ELEMENTS (scenarios); i++)
    if (g_strcmp0 (scenarios[i].id, id) == 0)
      return &scenarios[i];
  return NULL;
}

char *
tp_demo_scenario_mrz (const TpDemoScenario  *scenario,
                      GError               **error)
{
  g_autoptr(TpSimChip) chip = tp_sim_chip_new (scenario->chip, error);

  return chip != NULL ? g_strdup (tp_sim_chip_get_mrz (chip)) : NULL;
}

char *
tp_demo_scenario_boarding_pass (const TpDemoScenario  *scenario,
                                const char            *airport,
                                GError               **error)
{
  g_autofree char *text = tp_demo_scenario_mrz (scenario, error);
  g_autoptr(TpMrz) mrz = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) day = NULL;
  g_autofree char *name = NULL;
  guint index;

  if (text == NULL || (mrz = tp_mrz_parse (text, NULL, error)) == NULL)
    return NULL;
  day = g_date_time_add_days (now, scenario->pass_day);
  name = g_strdup_printf ("%s/%s", mrz->primary_identifier, mrz->secondary_identifier);
  /* each traveller their own booking, seat and check-in number: the
   * checkpoint remembers which passes it has seen today */
  index = (guint) (scenario - scenarios) + 1;
  return g_strdup_printf ("M1%-20.20sEDEMO%02u %-3.3sNRTVN 0310 %03dY%03uA%04u 100", name, index, airport,
                          g_date_time_get_day_of_year (day), 10 + index, 40 + index);
}
