/* bench-bcbp.c: boarding pass parse throughput
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   bench-bcbp [SECONDS]       default 3
 *
 * Parses a mix of passes (the two IATA examples, a three-leg pass with
 * conditional items and security data, a pass without the electronic
 * ticket indicator, one with a wrong variable field size that is
 * re-measured, one with errors) for a few seconds and prints passes parsed
 * per second with the machine's details.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "bench-util.h"
#include "tp-bcbp.h"

#define S2_HEAD "M1DESMARAIS/LUC       EAB12C3 YULFRAAC 0834 326J003A0027 1"
#define S2_TAIL ">5321WW1325BAC 0014123456002001412346700100141234789012A0141234567890 1AC AC " \
                "1234567890123    4PCYLX58Z^108ABCDEFGH"
#define REP     "2A0141234567890 1AC AC 1234567890123    4PCY"

static const char *passes[] = {
  /* IATA BCBP Implementation Guide examples */
  "M1DESMARAIS/LUC       EABC123 YULFRAAC 0834 326J001A0025 100",
  S2_HEAD "67" S2_TAIL,
  /* three legs, version 6, conditional items in each, security data */
  "M3NGUYEN/VAN AN MR    EABC123 HANSGNVN 0213 330Y012A0042 14D>6180MM6324BVN 0738123456001"
  REP "VNUSE"
  "ABC123 SGNBKKTG 0557 331Y041F0231 12C" REP
  "ABC123 BKKFRALH 0773 331Y033C0099 12C" REP
  "^140ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
  /* no electronic ticket indicator */
  "M1DESMARAIS/LUC       AB12C3 YULFRAAC 0834 326J003A0027 167" S2_TAIL,
  /* variable field size too big: re-measured up to the security data */
  S2_HEAD "70" S2_TAIL,
  /* errors: five legs declared, date of flight not a number */
  "M5DESMARAIS/LUC       EABC123 YULFRAAC 0834 3X6J001A0025 100",
};

int
main (int    argc,
      char **argv)
{
  double seconds = argc > 1 ? g_ascii_strtod (argv[1], NULL) : 3.0;
  g_autofree char *machine = tp_bench_machine ();
  gsize lengths[G_N_ELEMENTS (passes)];
  GDate reference;
  gint64 start, now, deadline;
  guint64 parsed = 0, valid = 0, bytes = 0;
  double elapsed;

  if (seconds <= 0)
    seconds = 3.0;
  g_date_clear (&reference, 1);
  g_date_set_dmy (&reference, 20, 11, 2026);

  for (gsize i = 0; i < G_N_ELEMENTS (passes); i++)
    {
      g_autoptr(TpBcbp) check = NULL;

      lengths[i] = strlen (passes[i]);
      check = tp_bcbp_parse (passes[i], lengths[i], &reference, NULL);
      if (check == NULL)
        g_error ("bench pass %" G_GSIZE_FORMAT " is not a boarding pass", i);
    }

  /* warm up */
  for (guint i = 0; i < 1000; i++)
    tp_bcbp_free (tp_bcbp_parse (passes[i % G_N_ELEMENTS (passes)],
                                 lengths[i % G_N_ELEMENTS (passes)], &reference, NULL));

  start = g_get_monotonic_time ();
  deadline = start + (gint64) (seconds * G_USEC_PER_SEC);
  do
    {
      for (guint i = 0; i < 1000; i++)
        {
          gsize k = (gsize) (parsed % G_N_ELEMENTS (passes));
          TpBcbp *bcbp = tp_bcbp_parse (passes[k], lengths[k], &reference, NULL);

          valid += bcbp->valid;
          bytes += lengths[k];
          tp_bcbp_free (bcbp);
          parsed++;
        }
      now = g_get_monotonic_time ();
    }
  while (now < deadline);
  elapsed = (double) (now - start) / G_USEC_PER_SEC;

  printf ("bcbp parse: %.0f passes/s (%.2f µs per pass, %.1f MB/s) — %" G_GUINT64_FORMAT
          " passes (%" G_GUINT64_FORMAT " valid) in %.2f s, mix of %u passes\n",
          parsed / elapsed, elapsed * 1e6 / parsed, bytes / elapsed / 1e6, parsed, valid,
          elapsed, (guint) G_N_ELEMENTS (passes));
  printf ("machine: %s; one thread\n", machine);
  return 0;
}
