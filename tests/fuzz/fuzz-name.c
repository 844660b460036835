/* fuzz-name.c: libFuzzer target for name normalisation
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Any bytes, invalid UTF-8 included, go through every function. The input is
 * cut at its first NUL for the C-string API and passed whole, with its
 * length, to tp_name_fold_append; the first half and the rest also serve as
 * the two parts of an MRZ name and the two tokens of an edit distance.
 * Checks: the folded form holds only A-Z and single inner spaces, the
 * accented form is valid UTF-8 with single inner spaces, folding the
 * accented form changes nothing, the MRZ form holds only A-Z and '<'.
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "tp-name.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static void
check_folded (const char *folded,
              gsize       len)
{
  for (gsize i = 0; i < len; i++)
    {
      if (folded[i] == ' ')
        {
          g_assert (i > 0 && i + 1 < len);
          g_assert (folded[i + 1] != ' ');
        }
      else
        g_assert (folded[i] >= 'A' && folded[i] <= 'Z');
    }
}

static void
check_accented (const char *accented)
{
  gsize len = strlen (accented);

  g_assert (g_utf8_validate (accented, len, NULL));
  g_assert (strstr (accented, "  ") == NULL);
  if (len > 0)
    g_assert (accented[0] != ' ' && accented[len - 1] != ' ');
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_autofree char *first = g_strndup ((const char *) data, size / 2);
  g_autofree char *second = g_strndup ((const char *) data + size / 2, size - size / 2);
  g_autofree char *folded = tp_name_fold (text);
  g_autofree char *accented = tp_name_accented (text);
  g_autofree char *refolded = tp_name_fold (accented);
  g_autofree char *mrz = tp_name_to_mrz (first, second);
  g_autofree char *mrz_single = tp_name_to_mrz (text, NULL);
  g_auto(GStrv) tokens = tp_name_fold_tokens (text);
  g_autoptr(GString) whole = g_string_new (NULL);
  gboolean diacritics = tp_name_has_diacritics (text);
  guint distance;
  guint n_tokens = 0;

  check_folded (folded, strlen (folded));
  check_accented (accented);
  g_assert_cmpstr (refolded, ==, folded);
  if (!diacritics)
    g_assert_cmpstr (accented, ==, folded);

  for (const char *p = mrz; *p != '\0'; p++)
    g_assert ((*p >= 'A' && *p <= 'Z') || *p == '<');
  for (const char *p = mrz_single; *p != '\0'; p++)
    g_assert ((*p >= 'A' && *p <= 'Z') || *p == '<');
  g_assert (strlen (mrz_single) == strlen (folded));

  for (; tokens[n_tokens] != NULL; n_tokens++)
    {
      g_assert (tokens[n_tokens][0] != '\0');
      check_folded (tokens[n_tokens], strlen (tokens[n_tokens]));
      g_assert (strchr (tokens[n_tokens], ' ') == NULL);
    }
  g_assert ((n_tokens == 0) == (folded[0] == '\0'));

  /* The whole input, NULs included: a NUL is a separator */
  tp_name_fold_append (whole, (const char *) data, size);
  check_folded (whole->str, whole->len);
  g_assert (strncmp (whole->str, folded, strlen (folded)) == 0);

  distance = tp_name_edit_distance (first, second, 3);
  g_assert (distance <= 4);
  g_assert (tp_name_edit_distance (second, first, 3) == distance);
  g_assert (tp_name_edit_distance (first, first, 0) == 0);
  if (strlen (first) < 64 && strlen (second) < 64)
    {
      guint full = tp_name_edit_distance (first, second, G_MAXUINT);

      g_assert (distance == MIN (full, 4));
    }

  return 0;
}
