/* main.c: touchpoint-cli entry point, a dispatcher only
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib.h>
#include <locale.h>
#include <stdio.h>

#include "tp-cli.h"
#include "tp-sim-transport.h"

static const TpCliCommand commands[] = {
  { "demo", "Walk one traveller through an exit counter (simulated devices, demo list)", tp_cli_demo },
  { "mrz",  "Parse and check a machine readable zone (lines as arguments or on stdin)", tp_cli_mrz },
  { "list", "Import list entries into the encrypted store, show its counts (import, stats)", tp_cli_list },
  { "audit", "Check the store's hash-chained audit log (verify, list)", tp_cli_audit },
  { "bcbp", "Parse a boarding pass barcode (text on stdin)", tp_cli_bcbp },
  { "name", "Normalise a personal name (accented, folded, MRZ forms)", tp_cli_name },
  { "screen", "Screen travellers against the store's lists (queries as JSON lines on stdin)", tp_cli_screen },
  { "population", "Print synthetic list entries or travellers (tests, benchmarks, demos)", tp_cli_population },
  { "readers", "List card readers: libnfc, PC/SC and the software chip", tp_cli_readers },
  { "read", "Read and verify a passport chip (--reader CONN, --mrz or --doc/--birth/--expiry or --can)", tp_cli_read },
  { "sim", "The software chip: profiles and quirks, a profile's MRZ, test PKI trust anchors", tp_cli_sim },
  { "sync", "Follow the hub's signed feed into the store, upload the outbox (--once or --follow)", tp_cli_sync },
  { "outbox", "Terminal events on their way to the hub (add from stdin, list)", tp_cli_outbox },
  { "reconcile", "Reconcile a shift's events with the hub (--shift ID)", tp_cli_reconcile },
  { "trust", "The terminal's trust store: import LDIF, master lists, certificates and CRLs; list", tp_cli_trust },
};

static void
usage (FILE *out)
{
  fprintf (out, "Usage: touchpoint-cli COMMAND [OPTION...]\n\nCommands:\n");
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  %-10s %s\n", commands[i].name, commands[i].summary);
  fprintf (out, "\nRun “touchpoint-cli COMMAND --help” for a command's options.\n");
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");
  /* Demo mode and the tests read the software chip as "sim:PROFILE". */
  tp_sim_transport_register ();

  if (argc < 2)
    {
      usage (stderr);
      return 2;
    }
  if (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h") || g_str_equal (argv[1], "help"))
    {
      usage (stdout);
      return 0;
    }
  if (g_str_equal (argv[1], "--version"))
    {
      printf ("touchpoint-cli %s\n", PACKAGE_VERSION);
      return 0;
    }

  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (argv[1], commands[i].name))
      return commands[i].func (argc - 1, argv + 1);

  fprintf (stderr, "touchpoint-cli: unknown command “%s”\n\n", argv[1]);
  usage (stderr);
  return 2;
}
