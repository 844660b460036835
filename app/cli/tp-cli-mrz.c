/* tp-cli-mrz.c: `touchpoint-cli mrz [LINE...]`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Prints one JSON line: the fields, the result of every check digit the
 * format has, the errors with their place, and extra members
 * (name_truncated, expired, optional_data_2 for TD1, birth_date_partial,
 * special_codes, repair) after the contract's own, built by
 * tp_cli_add_mrz_object() (shared with the "dg1" member of `read`).
 * Characters are taken as printed (no upper-casing), as the parser does.
 * Exit status: 0 valid, 1 parsed but invalid, 2 not an MRZ or bad usage.
 */
#include "config.h"

#include <gio/gio.h>
#include <stdio.h>

#include "tp-cli.h"
#include "tp-mrz.h"

/* Standard input as text; a zone is a few hundred bytes at most, so
 * anything past 64 KiB is not read (it would not be an MRZ anyway). */
static char *
read_input (GError **error)
{
  GString *text = g_string_new (NULL);
  char buf[4096];
  size_t n;

  while ((n = fread (buf, 1, sizeof buf, stdin)) > 0 && text->len < 65536)
    g_string_append_len (text, buf, (gssize) n);
  if (ferror (stdin))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "read error");
      g_string_free (text, TRUE);
      return NULL;
    }
  return g_string_free (text, FALSE);
}

int
tp_cli_mrz (int    argc,
            char **argv)
{
  g_autofree char *reference_text = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TpMrz) mrz = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autofree char *text = NULL;
  GDate reference;
  const GOptionEntry entries[] = {
    { "reference-date", 0, 0, G_OPTION_ARG_STRING, &reference_text,
      "Resolve two-digit years against this day (default: today)", "YYYY-MM-DD" },
    { NULL }
  };

  context = g_option_context_new ("[LINE…]");
  g_option_context_set_summary (context,
                                "Parse and check a machine readable zone (ICAO 9303 TD1, TD2, TD3, MRV-A, MRV-B).\n"
                                "Lines as arguments, or on standard input (one per line, or in one run).\n"
                                "Exit status: 0 valid, 1 parsed but invalid, 2 not an MRZ.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "touchpoint-cli mrz: %s\n", error->message);
      return 2;
    }

  if (!tp_cli_parse_date_or_today (reference_text, &reference, &error))
    {
      fprintf (stderr, "touchpoint-cli mrz: --reference-date: %s\n", error->message);
      return 2;
    }

  if (argc > 1)
    {
      GString *joined = g_string_new (NULL);

      for (int i = 1; i < argc; i++)
        {
          if (i > 1)
            g_string_append_c (joined, '\n');
          g_string_append (joined, argv[i]);
        }
      text = g_string_free (joined, FALSE);
    }
  else
    {
      text = read_input (&error);
      if (text == NULL)
        {
          fprintf (stderr, "touchpoint-cli mrz: cannot read standard input: %s\n", error->message);
          return 2;
        }
    }

  mrz = tp_mrz_parse (text, &reference, &error);
  if (mrz == NULL)
    {
      fprintf (stderr, "touchpoint-cli mrz: %s\n", error->message);
      return 2;
    }

  builder = json_builder_new ();
  tp_cli_add_mrz_object (builder, mrz);
  tp_cli_print_builder (builder);
  return mrz->valid ? 0 : 1;
}
