/* tp-cli-name.c: `touchpoint-cli name [TEXT...]`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Prints one JSON line per name: the input, its accented and folded forms,
 * the folded tokens, the MRZ name field and whether the text carries
 * diacritics. The arguments together are one name; without arguments each
 * non-empty line of standard input is one name.
 *
 * MRZ field: text before the first comma is the primary identifier and the
 * rest the secondary ("Nguyễn, Văn An"); without a comma the first word (as
 * written, so a hyphenated family name stays whole) is the primary identifier, as Vietnamese names put the family name first.
 * Exit status: 0, or 2 for bad usage or unreadable input.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "tp-cli.h"
#include "tp-name.h"

static char *
mrz_for (const char *text)
{
  const char *comma = strchr (text, ',');
  const char *p = text;
  const char *start, *end;
  g_autofree char *primary = NULL;

  if (comma != NULL)
    {
      primary = g_strndup (text, comma - text);
      return tp_name_to_mrz (primary, comma + 1);
    }

  /* Without a comma the first word, as written, is the family name: a
   * hyphenated one ("O'Brien-Smith") stays one primary identifier. */
  while (g_ascii_isspace (*p))
    p++;
  start = p;
  while (*p != '\0' && !g_ascii_isspace (*p))
    p++;
  end = p;
  primary = g_strndup (start, end - start);
  return tp_name_to_mrz (primary, *end != '\0' ? end : NULL);
}

static void
print_name (const char *text)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *valid = g_utf8_make_valid (text, -1);
  g_autofree char *accented = tp_name_accented (text);
  g_autofree char *folded = tp_name_fold (text);
  g_autofree char *mrz = mrz_for (text);
  g_auto(GStrv) tokens = tp_name_fold_tokens (text);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "input");
  json_builder_add_string_value (b, valid);
  json_builder_set_member_name (b, "accented");
  json_builder_add_string_value (b, accented);
  json_builder_set_member_name (b, "folded");
  json_builder_add_string_value (b, folded);
  json_builder_set_member_name (b, "tokens");
  json_builder_begin_array (b);
  for (guint i = 0; tokens[i] != NULL; i++)
    json_builder_add_string_value (b, tokens[i]);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "mrz");
  json_builder_add_string_value (b, mrz);
  json_builder_set_member_name (b, "has_diacritics");
  json_builder_add_boolean_value (b, tp_name_has_diacritics (text));
  json_builder_end_object (b);

  tp_cli_print_builder (b);
}

int
tp_cli_name (int    argc,
             char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  context = g_option_context_new ("[TEXT…]");
  g_option_context_set_summary (context,
                                "Normalise a personal name: accented form (upper case, diacritics kept),\n"
                                "folded form (A-Z, ICAO 9303 Part 3 transliteration) and MRZ name field.\n"
                                "The arguments together are one name; without arguments, one name per\n"
                                "line of standard input. For the MRZ field, text before a comma is the\n"
                                "primary identifier; without a comma, the first word (family name first).");
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "touchpoint-cli name: %s\n", error->message);
      return 2;
    }

  if (argc > 1)
    {
      GString *joined = g_string_new (NULL);

      for (int i = 1; i < argc; i++)
        {
          if (i > 1)
            g_string_append_c (joined, ' ');
          g_string_append (joined, argv[i]);
        }
      text = g_string_free (joined, FALSE);
      print_name (text);
      return 0;
    }

  text = tp_cli_read_stdin (NULL, &error);
  if (text == NULL)
    {
      fprintf (stderr, "touchpoint-cli name: cannot read standard input: %s\n", error->message);
      return 2;
    }

  for (char *line = text, *next; line != NULL; line = next)
    {
      char *nl = strchr (line, '\n');

      next = NULL;
      if (nl != NULL)
        {
          *nl = '\0';
          next = nl + 1;
        }
      g_strchomp (line);
      if (*line != '\0')
        print_name (line);
    }
  return 0;
}
