/* tp-boarding-check.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "tp-boarding-check.h"
#include "tp-name.h"

/* Folded, without spaces: "Văn An" and "VANAN" agree. */
static char *
fold_compact (const char *text)
{
  g_autofree char *folded = tp_name_fold (text != NULL ? text : "");
  GString *out = g_string_sized_new (strlen (folded));

  for (const char *p = folded; *p != '\0'; p++)
    if (*p != ' ')
      g_string_append_c (out, *p);
  return g_string_free (out, FALSE);
}

static TpBoardingState
check_name (const TpBcbp *pass,
            const char   *primary,
            const char   *secondary,
            GPtrArray    *problems,
            GPtrArray    *unchecked)
{
  g_autoptr(TpBcbpName) name = NULL;
  g_autofree char *pass_surname = NULL;
  g_autofree char *pass_given = NULL;
  g_autofree char *doc_surname = NULL;
  g_autofree char *doc_given = NULL;
  gboolean surname_ok, given_ok;

  if (pass->passenger_name == NULL || pass->passenger_name[0] == '\0')
    {
      g_ptr_array_add (unchecked, g_strdup ("The name could not be checked: the boarding pass "
                                            "carries no passenger name"));
      return TP_BOARDING_UNKNOWN;
    }
  if (primary == NULL || primary[0] == '\0')
    {
      g_ptr_array_add (unchecked, g_strdup ("The name could not be checked: no name from the "
                                            "passport to compare it with"));
      return TP_BOARDING_UNKNOWN;
    }

  name = tp_bcbp_name_split (pass->passenger_name, pass->name_full);
  pass_surname = fold_compact (name->surname);
  pass_given = fold_compact (name->given_names);
  doc_surname = fold_compact (primary);
  doc_given = fold_compact (secondary);

  /* Without a '/', a cut name may end inside the surname */
  if (name->truncated && pass_given[0] == '\0')
    surname_ok = pass_surname[0] != '\0' && g_str_has_prefix (doc_surname, pass_surname);
  else
    surname_ok = g_str_equal (pass_surname, doc_surname);

  if (name->truncated)
    given_ok = g_str_has_prefix (doc_given, pass_given);
  else
    given_ok = g_str_equal (pass_given, doc_given);

  if (surname_ok && given_ok)
    return TP_BOARDING_OK;

  g_ptr_array_add (problems,
                   g_strdup_printf ("The boarding pass is for “%s”, the passport for “%s%s%s”",
                                    pass->passenger_name, primary,
                                    secondary != NULL && secondary[0] != '\0' ? " " : "",
                                    secondary != NULL ? secondary : ""));
  return TP_BOARDING_FAILED;
}

TpBoardingCheck *
tp_boarding_check (const TpBcbp *pass,
                   const char   *airport,
                   const GDate  *today,
                   const char   *primary,
                   const char   *secondary)
{
  TpBoardingCheck *check;
  const TpBcbpLeg *leg = NULL;

  g_return_val_if_fail (pass != NULL, NULL);
  g_return_val_if_fail (airport != NULL, NULL);
  g_return_val_if_fail (today != NULL && g_date_valid (today), NULL);

  check = g_new0 (TpBoardingCheck, 1);
  check->leg = -1;
  check->problems = g_ptr_array_new_with_free_func (g_free);
  check->unchecked = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < pass->n_legs; i++)
    if (pass->legs[i].from != NULL && g_ascii_strcasecmp (pass->legs[i].from, airport) == 0)
      {
        check->leg = (int) i;
        leg = &pass->legs[i];
        break;
      }

  if (leg == NULL)
    {
      GString *route = g_string_new (NULL);

      for (guint i = 0; i < pass->n_legs; i++)
        g_string_append_printf (route, "%s%s→%s", i > 0 ? ", " : "",
                                pass->legs[i].from ? pass->legs[i].from : "?",
                                pass->legs[i].to ? pass->legs[i].to : "?");
      if (pass->n_legs == 0)
        {
          check->departs_here = TP_BOARDING_UNKNOWN;
          g_ptr_array_add (check->unchecked,
                           g_strdup_printf ("Whether the pass departs from %s could not be "
                                            "checked: the pass holds no leg", airport));
        }
      else if (pass->n_legs < pass->number_of_legs)
        {
          /* A declared leg is missing: it may be the one from here */
          check->departs_here = TP_BOARDING_UNKNOWN;
          g_ptr_array_add (check->unchecked,
                           g_strdup_printf ("Whether the pass departs from %s could not be "
                                            "checked: it declares %u legs and holds %u (%s)",
                                            airport, pass->number_of_legs, pass->n_legs,
                                            route->str));
        }
      else
        {
          check->departs_here = TP_BOARDING_FAILED;
          g_ptr_array_add (check->problems,
                           g_strdup_printf ("No leg departs from %s (the pass is for %s)",
                                            airport, route->str));
        }
      g_string_free (route, TRUE);
      check->flight_date = TP_BOARDING_UNKNOWN;
      g_ptr_array_add (check->unchecked,
                       g_strdup_printf ("The flight date could not be checked: no leg of the "
                                        "pass is known to depart from %s", airport));
    }
  else
    {
      check->departs_here = TP_BOARDING_OK;
      if (!g_date_valid (&leg->flight_date))
        {
          /* The parser said why: missing, cut short, not a day */
          const TpBcbpIssue *issue = tp_bcbp_find_issue (pass, 46, (guint) check->leg + 1);

          check->flight_date = TP_BOARDING_UNKNOWN;
          g_ptr_array_add (check->unchecked,
                           issue != NULL
                           ? g_strdup_printf ("The flight date could not be checked: %s", issue->message)
                           : g_strdup_printf ("The flight date could not be checked: the leg from "
                                              "%s has no date of flight", airport));
        }
      else
        {
          int days = g_date_days_between (today, &leg->flight_date);

          if (days >= -1 && days <= 1)
            check->flight_date = TP_BOARDING_OK;
          else
            {
              char date[16];

              g_date_strftime (date, sizeof date, "%Y-%m-%d", &leg->flight_date);
              check->flight_date = TP_BOARDING_FAILED;
              g_ptr_array_add (check->problems,
                               g_strdup_printf ("The flight from %s is dated %s, %d days %s today",
                                                airport, date, ABS (days),
                                                days < 0 ? "before" : "after"));
            }
        }
    }

  check->name = check_name (pass, primary, secondary, check->problems, check->unchecked);
  return check;
}

gboolean
tp_boarding_check_passed (const TpBoardingCheck *check)
{
  g_return_val_if_fail (check != NULL, FALSE);

  return check->departs_here == TP_BOARDING_OK &&
         check->flight_date == TP_BOARDING_OK &&
         check->name == TP_BOARDING_OK &&
         check->first_use != TP_BOARDING_FAILED;
}

void
tp_boarding_check_free (TpBoardingCheck *check)
{
  if (check == NULL)
    return;
  g_clear_pointer (&check->problems, g_ptr_array_unref);
  g_clear_pointer (&check->unchecked, g_ptr_array_unref);
  g_free (check);
}

const char *
tp_boarding_state_to_string (TpBoardingState state)
{
  switch (state)
    {
    case TP_BOARDING_OK:
      return "ok";
    case TP_BOARDING_FAILED:
      return "failed";
    case TP_BOARDING_UNKNOWN:
    default:
      return "unknown";
    }
}
