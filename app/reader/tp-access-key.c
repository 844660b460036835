/* tp-access-key.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "tp-access-key.h"
#include "tp-bac.h"
#include "tp-error.h"

static gboolean
all_digits (const char *s,
            gsize       len)
{
  if (s == NULL || strlen (s) != len)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isdigit (s[i]))
      return FALSE;
  return TRUE;
}

TpAccessKey *
tp_access_key_new_from_mrz (const char  *mrz_text,
                            GError     **error)
{
  g_autoptr(TpAccessKey) key = NULL;
  g_autoptr(TpMrz) mrz = NULL;
  g_autoptr(GError) local = NULL;

  g_return_val_if_fail (mrz_text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  mrz = tp_mrz_parse (mrz_text, NULL, &local);
  if (mrz == NULL)
    {
      g_set_error (error, TP_ERROR, TP_ERROR_INVALID_ARGUMENT,
                   "The MRZ given is not a machine readable zone: %s", local->message);
      return NULL;
    }

  for (TpMrzCheck c = TP_MRZ_CHECK_DOCUMENT_NUMBER; c <= TP_MRZ_CHECK_EXPIRY_DATE; c++)
    if (mrz->checks[c] == TP_MRZ_CHECK_INVALID)
      {
        g_set_error (error, TP_ERROR, TP_ERROR_INVALID_ARGUMENT,
                     "The MRZ given has a wrong check digit for its %s: the chip's access "
                     "keys come from that field, so check the MRZ as typed or scanned",
                     tp_mrz_check_to_string (c));
        return NULL;
      }

  key = g_new0 (TpAccessKey, 1);
  key->kind = TP_ACCESS_KEY_MRZ;
  key->mrz_info = g_strdup (tp_mrz_get_mrz_information (mrz));
  key->document_number = g_strdup (mrz->document_number);
  key->birth_date = g_strdup (mrz->birth_date.raw);
  key->expiry_date = g_strdup (mrz->expiry_date.raw);
  key->mrz = g_steal_pointer (&mrz);
  return g_steal_pointer (&key);
}

TpAccessKey *
tp_access_key_new_from_fields (const char  *document_number,
                               const char  *birth_date,
                               const char  *expiry_date,
                               GError     **error)
{
  g_autoptr(TpAccessKey) key = NULL;
  g_autoptr(GError) local = NULL;
  g_autofree char *info = NULL;
  g_autofree char *number = NULL;
  gsize n;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!all_digits (birth_date, 6) || !all_digits (expiry_date, 6))
    {
      g_set_error (error, TP_ERROR, TP_ERROR_INVALID_ARGUMENT,
                   "Dates of birth and expiry must be YYMMDD as printed in the MRZ "
                   "(six digits), not “%s” and “%s”",
                   birth_date ? birth_date : "", expiry_date ? expiry_date : "");
      return NULL;
    }

  /* The filler of a short number is not part of it */
  number = g_ascii_strup (document_number ? document_number : "", -1);
  g_strstrip (number);
  n = strlen (number);
  while (n > 0 && number[n - 1] == '<')
    number[--n] = '\0';

  info = tp_bac_mrz_info (number, birth_date, expiry_date, &local);
  if (info == NULL)
    {
      g_set_error (error, TP_ERROR, TP_ERROR_INVALID_ARGUMENT, "%s", local->message);
      return NULL;
    }

  key = g_new0 (TpAccessKey, 1);
  key->kind = TP_ACCESS_KEY_MRZ;
  key->mrz_info = g_steal_pointer (&info);
  key->document_number = g_steal_pointer (&number);
  key->birth_date = g_strdup (birth_date);
  key->expiry_date = g_strdup (expiry_date);
  return g_steal_pointer (&key);
}

TpAccessKey *
tp_access_key_new_from_can (const char  *can,
                            GError     **error)
{
  TpAccessKey *key;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!all_digits (can, 6))
    {
      g_set_error (error, TP_ERROR, TP_ERROR_INVALID_ARGUMENT,
                   "A card access number is the six digits printed on the document, not “%s”",
                   can ? can : "");
      return NULL;
    }

  key = g_new0 (TpAccessKey, 1);
  key->kind = TP_ACCESS_KEY_CAN;
  key->can = g_strdup (can);
  return key;
}

TpAccessKey *
tp_access_key_copy (const TpAccessKey *key)
{
  TpAccessKey *copy;

  g_return_val_if_fail (key != NULL, NULL);

  copy = g_new0 (TpAccessKey, 1);
  copy->kind = key->kind;
  copy->mrz_info = g_strdup (key->mrz_info);
  copy->can = g_strdup (key->can);
  copy->document_number = g_strdup (key->document_number);
  copy->birth_date = g_strdup (key->birth_date);
  copy->expiry_date = g_strdup (key->expiry_date);
  if (key->mrz != NULL)
    {
      g_autofree char *text = g_strjoinv ("\n", key->mrz->lines);

      copy->mrz = tp_mrz_parse (text, NULL, NULL);
    }
  return copy;
}

void
tp_access_key_free (TpAccessKey *key)
{
  if (key == NULL)
    return;
  if (key->mrz_info != NULL)
    memset (key->mrz_info, 0, strlen (key->mrz_info));
  if (key->can != NULL)
    memset (key->can, 0, strlen (key->can));
  g_free (key->mrz_info);
  g_free (key->can);
  g_clear_pointer (&key->mrz, tp_mrz_free);
  g_free (key->document_number);
  g_free (key->birth_date);
  g_free (key->expiry_date);
  g_free (key);
}
