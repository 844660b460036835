/* fuzz-bcbp.c: libFuzzer target for the boarding pass parser
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Hands the input to the parser as raw bytes with their exact length (no
 * NUL terminator: libFuzzer's buffer ends where the data does, so any read
 * past it is an ASan report), against a fixed reference date, and walks
 * everything the result holds. The date helpers are also driven at the
 * ends of the calendar GDate supports.
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "tp-bcbp.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static gsize
walk_string (const char *s)
{
  return s != NULL ? strlen (s) : 0;
}

static gsize
walk_leg (const TpBcbpLeg *leg)
{
  gsize total = 0;

  /* The route is always there; a pass cut short lacks the items after
   * the cut, and only those: once one is NULL, every later one is too. */
  const char *later[] = {
    leg->carrier, leg->flight_number, leg->compartment, leg->seat,
    leg->checkin_sequence, leg->passenger_status,
  };
  gboolean cut = FALSE;

  g_assert (leg->pnr != NULL && leg->from != NULL && leg->to != NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (later); i++)
    {
      if (later[i] == NULL)
        cut = TRUE;
      else
        g_assert (!cut);
      total += walk_string (later[i]);
    }
  if (leg->compartment != NULL)
    g_assert (leg->flight_number != NULL);
  if (leg->passenger_status == NULL)
    g_assert (leg->variable_size == -1 && leg->airline_use == NULL && !leg->has_repeated);
  g_assert (leg->julian_date >= -1 && leg->julian_date <= 999);
  g_assert (!g_date_valid (&leg->flight_date) || (leg->julian_date >= 1 && leg->julian_date <= 366));
  total += strlen (leg->pnr) + strlen (leg->from) + strlen (leg->to);
  total += walk_string (leg->airline_numeric_code) + walk_string (leg->document_serial);
  total += walk_string (leg->selectee) + walk_string (leg->document_verification);
  total += walk_string (leg->marketing_carrier) + walk_string (leg->frequent_flyer_airline);
  total += walk_string (leg->frequent_flyer_number) + walk_string (leg->id_ad_indicator);
  total += walk_string (leg->free_baggage_allowance) + walk_string (leg->fast_track);
  g_assert ((leg->airline_use == NULL) == (leg->airline_use_len == 0));
  for (gsize i = 0; i < leg->airline_use_len; i++)
    total += (guchar) leg->airline_use[i];
  if (leg->airline_use != NULL)
    g_assert (leg->airline_use[leg->airline_use_len] == '\0');
  return total;
}

static gsize
walk_issues (GPtrArray *issues)
{
  gsize total = 0;

  for (guint i = 0; i < issues->len; i++)
    {
      const TpBcbpIssue *issue = g_ptr_array_index (issues, i);

      g_assert (issue->message != NULL);
      g_assert (g_utf8_validate (issue->message, -1, NULL));
      g_assert (issue->item == 0 || tp_bcbp_item_name (issue->item) != NULL);
      total += strlen (issue->message) + issue->leg;
    }
  return total;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(TpBcbp) bcbp = NULL;
  g_autoptr(TpBcbpName) name = NULL;
  g_autoptr(GError) error = NULL;
  GDate reference, first, last, out;
  gsize total = 0;

  g_date_clear (&reference, 1);
  g_date_set_dmy (&reference, 20, 11, 2026);

  bcbp = tp_bcbp_parse ((const char *) data, size, &reference, &error);
  if (bcbp == NULL)
    {
      g_assert (error != NULL);
      return 0;
    }
  g_assert (error == NULL);
  g_assert (bcbp->valid == (bcbp->errors->len == 0));
  g_assert (bcbp->format_code == 'M');
  g_assert (bcbp->n_legs >= 1 && bcbp->n_legs <= MAX (bcbp->number_of_legs, 1));
  g_assert (bcbp->version >= -1 && bcbp->version <= 9);

  for (guint i = 0; i < bcbp->n_legs; i++)
    total += walk_leg (&bcbp->legs[i]);
  total += walk_string (bcbp->passenger_name);
  total += walk_string (bcbp->passenger_description) + walk_string (bcbp->source_of_checkin);
  total += walk_string (bcbp->source_of_issuance) + walk_string (bcbp->date_of_issue_raw);
  total += walk_string (bcbp->document_type) + walk_string (bcbp->issuer);
  for (guint i = 0; i < G_N_ELEMENTS (bcbp->baggage_tags); i++)
    total += walk_string (bcbp->baggage_tags[i]);
  total += walk_string (bcbp->security_type);
  for (gsize i = 0; i < bcbp->security_data_len; i++)
    total += (guchar) bcbp->security_data[i];
  g_assert (bcbp->has_security || bcbp->security_data == NULL);
  total += walk_issues (bcbp->errors) + walk_issues (bcbp->warnings);

  name = tp_bcbp_name_split (bcbp->passenger_name, bcbp->name_full);
  total += strlen (name->surname) + strlen (name->given_names) + walk_string (name->title);

  /* The date helpers at the edges of the calendar */
  g_date_clear (&first, 1);
  g_date_set_dmy (&first, 1, 1, 1);
  g_date_clear (&last, 1);
  g_date_set_dmy (&last, 31, 12, 9999);
  for (guint i = 0; i < bcbp->n_legs; i++)
    {
      guint julian = (guint) MAX (bcbp->legs[i].julian_date, 0);

      tp_bcbp_resolve_flight_date (julian, &first, &out);
      tp_bcbp_resolve_flight_date (julian, &last, &out);
      tp_bcbp_resolve_issue_date (julian % 10, julian, &first, &out);
      tp_bcbp_resolve_issue_date (julian % 10, julian, &last, &out);
    }

  /* Keep the walk from being optimised away */
  g_assert (total < G_MAXSIZE);
  return 0;
}
