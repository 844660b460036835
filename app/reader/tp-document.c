/* tp-document.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tp-document.h"

static const char *
check_state_names[] = { "not_supported", "not_checked", "valid", "failed" };

static void
document_file_free (gpointer data)
{
  TpDocumentFile *file = data;

  g_clear_pointer (&file->data, g_bytes_unref);
  g_free (file->error);
  g_free (file);
}

void
tp_document_free (TpDocument *document)
{
  if (document == NULL)
    return;
  g_free (document->access);
  g_free (document->mapping);
  g_free (document->pace_protocol);
  g_free (document->sm);
  g_clear_pointer (&document->files, g_ptr_array_unref);
  g_clear_pointer (&document->lds, tp_lds_files_unref);
  g_clear_pointer (&document->com, tp_lds_com_free);
  g_clear_pointer (&document->dg1, tp_lds_dg1_free);
  g_clear_pointer (&document->dg2, tp_lds_dg2_free);
  g_clear_pointer (&document->dg11, tp_lds_dg11_free);
  g_clear_pointer (&document->dg12, tp_lds_dg12_free);
  g_clear_pointer (&document->passive_auth, tp_passive_auth_result_free);
  g_free (document->chip_auth_reason);
  g_free (document->active_auth_reason);
  g_free (document->mrz_mismatch);
  g_clear_pointer (&document->errors, g_ptr_array_unref);
  g_clear_pointer (&document->warnings, g_ptr_array_unref);
  g_free (document);
}

const TpDocumentFile *
tp_document_get_file (const TpDocument *document,
                      const char       *name)
{
  g_return_val_if_fail (document != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = 0; i < document->files->len; i++)
    {
      const TpDocumentFile *file = g_ptr_array_index (document->files, i);

      if (g_str_equal (file->name, name))
        return file;
    }
  return NULL;
}

gboolean
tp_document_is_verified (const TpDocument *document)
{
  g_return_val_if_fail (document != NULL, FALSE);

  for (guint i = 0; i < document->files->len; i++)
    {
      const TpDocumentFile *file = g_ptr_array_index (document->files, i);

      if (file->error != NULL)
        return FALSE;
    }
  return document->passive_auth != NULL &&
         document->passive_auth->verdict == TP_PASSIVE_AUTH_VALID &&
         document->chip_auth != TP_CHECK_FAILED &&
         document->active_auth != TP_CHECK_FAILED &&
         document->mrz_match != TP_CHECK_FAILED;
}

const char *
tp_check_state_to_string (TpCheckState state)
{
  g_return_val_if_fail (state <= TP_CHECK_FAILED, "not_checked");

  return check_state_names[state];
}

TpDocument *
tp_document_new (void)
{
  TpDocument *document = g_new0 (TpDocument, 1);

  document->files = g_ptr_array_new_with_free_func (document_file_free);
  document->lds = tp_lds_files_new ();
  document->errors = g_ptr_array_new_with_free_func (g_free);
  document->warnings = g_ptr_array_new_with_free_func (g_free);
  document->file_access = TP_FILE_ACCESS_SFI;
  document->chip_auth = TP_CHECK_NOT_SUPPORTED;
  document->active_auth = TP_CHECK_NOT_SUPPORTED;
  document->mrz_match = TP_CHECK_NOT_CHECKED;
  return document;
}

TpDocumentFile *
tp_document_add_file (TpDocument *document,
                      guint16     fid)
{
  TpDocumentFile *file;

  g_return_val_if_fail (document != NULL, NULL);

  file = g_new0 (TpDocumentFile, 1);
  file->fid = fid;
  file->name = tp_lds_fid_name (fid);
  g_ptr_array_add (document->files, file);
  return file;
}

void
tp_document_add_error (TpDocument *document,
                       const char *format,
                       ...)
{
  va_list args;

  g_return_if_fail (document != NULL);

  va_start (args, format);
  g_ptr_array_add (document->errors, g_strdup_vprintf (format, args));
  va_end (args);
}

void
tp_document_add_warning (TpDocument *document,
                         const char *format,
                         ...)
{
  va_list args;

  g_return_if_fail (document != NULL);

  va_start (args, format);
  g_ptr_array_add (document->warnings, g_strdup_vprintf (format, args));
  va_end (args);
}

const char *
tp_file_access_to_string (TpFileAccess access)
{
  return access == TP_FILE_ACCESS_SELECT ? "select" : "sfi";
}
