/* bench-mrz.c: MRZ parse throughput
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   bench-mrz [SECONDS]        default 3
 *
 * Parses a mix of TD1, TD2 and TD3 zones (valid ones, one with errors and
 * one that gets an OCR repair, the costliest path) for a few seconds and
 * prints zones parsed per second with the machine's details.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench-util.h"
#include "tp-mrz.h"

static const char *zones[] = {
  "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10",
  "P<VNMNGUYEN<<VAN<AN<<<<<<<<<<<<<<<<<<<<<<<<<\nC1234567<0VNM8005171M3001019001080012345<<84",
  "I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<",
  "IDVNM0800123457001080012345<<<\n8005171M3005176VNM<<<<<<<<<<<8\nNGUYEN<<VAN<AN<<<<<<<<<<<<<<<<",
  "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\nD231458907UTO7408122F1204159<<<<<<<6",
  "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<D23145890<UTO7408122F1204159AB0<<<<0",
  /* invalid: wrong check digits */
  "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C35UTO7408123F1204159ZE184226B<<<<<10",
  /* OCR repair */
  "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C3GUTO74O8122F1204159ZE184226B<<<<<10",
};

int
main (int    argc,
      char **argv)
{
  double seconds = argc > 1 ? g_ascii_strtod (argv[1], NULL) : 3.0;
  g_autofree char *machine = tp_bench_machine ();
  GDate reference;
  gint64 start, now, deadline;
  guint64 parsed = 0, valid = 0;
  double elapsed;

  if (seconds <= 0)
    seconds = 3.0;
  g_date_clear (&reference, 1);
  g_date_set_dmy (&reference, 1, 5, 2026);

  /* warm up */
  for (guint i = 0; i < 1000; i++)
    tp_mrz_free (tp_mrz_parse (zones[i % G_N_ELEMENTS (zones)], &reference, NULL));

  start = g_get_monotonic_time ();
  deadline = start + (gint64) (seconds * G_USEC_PER_SEC);
  do
    {
      for (guint i = 0; i < 1024; i++)
        {
          TpMrz *mrz = tp_mrz_parse (zones[i % G_N_ELEMENTS (zones)], &reference, NULL);

          valid += mrz->valid;
          tp_mrz_free (mrz);
        }
      parsed += 1024;
      now = g_get_monotonic_time ();
    }
  while (now < deadline);
  elapsed = (double) (now - start) / G_USEC_PER_SEC;

  printf ("bench-mrz: %.0f zones/s (%" G_GUINT64_FORMAT " parsed in %.2f s, %" G_GUINT64_FORMAT " valid; "
          "mix of %u TD1/TD2/TD3 zones incl. errors and an OCR repair), %.2f µs per zone\n",
          (double) parsed / elapsed, parsed, elapsed, valid, (guint) G_N_ELEMENTS (zones),
          elapsed * 1e6 / (double) parsed);
  printf ("machine: %s; one thread\n", machine);
  return 0;
}
