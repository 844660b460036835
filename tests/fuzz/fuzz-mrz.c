/* fuzz-mrz.c: libFuzzer target for the MRZ parser
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Parses the input as text (cut at its first NUL, as a C string would be)
 * against a fixed reference date, and walks everything the result holds.
 * Any bytes: lines are cut by characters (UTF-8, a byte that is not UTF-8
 * being one character), and error messages must stay valid UTF-8.
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "tp-mrz.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_autoptr(TpMrz) mrz = NULL;
  g_autoptr(GError) error = NULL;
  GDate reference;
  gsize total = 0;

  g_date_clear (&reference, 1);
  g_date_set_dmy (&reference, 1, 5, 2026);

  mrz = tp_mrz_parse (text, &reference, &error);
  if (mrz == NULL)
    {
      g_assert (error != NULL);
      return 0;
    }
  g_assert (error == NULL);
  g_assert (mrz->valid == (mrz->errors->len == 0));

  total += strlen (tp_mrz_format_to_string (mrz->format));
  total += strlen (tp_mrz_get_mrz_information (mrz));
  total += strlen (mrz->document_code) + strlen (mrz->issuing_state) + strlen (mrz->document_number);
  total += strlen (mrz->nationality) + strlen (mrz->optional_data);
  total += strlen (mrz->primary_identifier) + strlen (mrz->secondary_identifier);
  total += strlen (mrz->birth_date.iso) + strlen (mrz->expiry_date.iso);
  if (mrz->optional_data_2 != NULL)
    total += strlen (mrz->optional_data_2);
  for (guint i = 0; i < mrz->errors->len; i++)
    {
      const TpMrzFieldError *err = g_ptr_array_index (mrz->errors, i);
      /* columns count characters: within the format's line length */
      guint line_len = mrz->format == TP_MRZ_FORMAT_TD1 ? 30
                       : (mrz->format == TP_MRZ_FORMAT_TD2 || mrz->format == TP_MRZ_FORMAT_MRVB) ? 36
                       : 44;

      g_assert (err->line >= 1 && err->line <= (mrz->format == TP_MRZ_FORMAT_TD1 ? 3u : 2u));
      g_assert (err->start < err->end && err->end <= line_len);
      g_assert (err->end <= strlen (mrz->lines[err->line - 1]));
      g_assert (g_utf8_validate (err->message, -1, NULL));
      total += strlen (err->message) + strlen (err->field);
    }
  if (mrz->repair != NULL)
    {
      g_autoptr(TpMrz) again = NULL;
      g_autofree char *joined = g_strjoinv ("\n", mrz->repair->lines);

      g_assert (mrz->repair->substitutions->len > 0);
      /* a repair must parse, and its check digits must all hold */
      again = tp_mrz_parse (joined, &reference, NULL);
      g_assert (again != NULL);
      for (guint i = 0; i < TP_MRZ_N_CHECKS; i++)
        g_assert (again->checks[i] != TP_MRZ_CHECK_INVALID);
    }
  (void) total;
  return 0;
}
