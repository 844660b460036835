/* fuzz-lds.c: libFuzzer target for the LDS data group parsers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Hands the input to every parser of tp-lds.h (each checks the outer tag
 * first, so the one the input claims to be does the work) and reads every
 * field of the results. DG2 images are probed, not decoded (fuzz-dg2).
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "tp-lds.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static gsize
touch (const char *s)
{
  return s != NULL ? strlen (s) : 0;
}

static gsize
touch_list (GPtrArray *list)
{
  gsize total = 0;

  for (guint i = 0; list != NULL && i < list->len; i++)
    total += touch (g_ptr_array_index (list, i));
  return total;
}

static gsize
touch_bytes (GBytes *bytes)
{
  gsize len, total = 0;
  const guint8 *p;

  if (bytes == NULL)
    return 0;
  p = g_bytes_get_data (bytes, &len);
  for (gsize i = 0; i < len; i += 64)
    total += p[i];
  return total + len;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  volatile gsize total = 0;
  GDate reference;
  gsize length;

  g_date_clear (&reference, 1);
  g_date_set_dmy (&reference, 1, 5, 2026);

  if (tp_lds_file_total_length (data, size, &length, NULL))
    total += length;

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(TpLdsCom) com = tp_lds_com_parse (data, size, &error);

    g_assert ((com == NULL) == (error != NULL));
    if (com != NULL)
      {
        total += touch (com->lds_version) + touch (com->unicode_version);
        for (guint i = 0; i < com->dgs->len; i++)
          total += tp_lds_com_has_dg (com, g_array_index (com->dgs, guint, i));
        total += com->tags->len;
      }
  }
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(TpLdsDg1) dg1 = tp_lds_dg1_parse (data, size, &reference, &error);

    g_assert ((dg1 == NULL) == (error != NULL));
    if (dg1 != NULL)
      total += touch (dg1->text) + touch (dg1->mrz->document_number);
  }
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(TpLdsDg2) dg2 = tp_lds_dg2_parse (data, size, &error);

    g_assert ((dg2 == NULL) == (error != NULL));
    if (dg2 != NULL)
      for (guint i = 0; i < dg2->faces->len; i++)
        {
          TpLdsFace *face = g_ptr_array_index (dg2->faces, i);

          total += face->width + face->height + touch_bytes (face->image) + touch (face->record_version);
        }
  }
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(TpLdsDg11) dg = tp_lds_dg11_parse (data, size, &error);

    g_assert ((dg == NULL) == (error != NULL));
    if (dg != NULL)
      {
        g_assert (dg->full_name == NULL || g_utf8_validate (dg->full_name, -1, NULL));
        total += touch (dg->full_name) + touch (dg->primary_identifier) + touch (dg->secondary_identifier);
        total += touch_list (dg->other_names) + touch (dg->personal_number) + touch (dg->birth_date);
        total += touch (dg->birth_date_iso) + touch (dg->place_of_birth) + touch (dg->address);
        total += touch (dg->telephone) + touch (dg->profession) + touch (dg->title);
        total += touch (dg->personal_summary) + touch_bytes (dg->proof_of_citizenship);
        total += touch (dg->other_td_numbers) + touch (dg->custody_information);
      }
  }
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(TpLdsDg12) dg = tp_lds_dg12_parse (data, size, &error);

    g_assert ((dg == NULL) == (error != NULL));
    if (dg != NULL)
      {
        total += touch (dg->issuing_authority) + touch (dg->date_of_issue) + touch (dg->date_of_issue_iso);
        total += touch_list (dg->other_persons) + touch (dg->endorsements) + touch (dg->tax_exit_requirements);
        total += touch_bytes (dg->front_image) + touch_bytes (dg->rear_image);
        total += touch (dg->personalization_time) + touch (dg->personalization_serial);
      }
  }
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(TpLdsDg15) dg = tp_lds_dg15_parse (data, size, &error);

    g_assert ((dg == NULL) == (error != NULL));
    if (dg != NULL)
      total += (gsize) EVP_PKEY_get_bits (dg->public_key) + touch_bytes (dg->spki);
  }

  (void) total;
  return 0;
}
