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

/* Whether EF.SOD lists data group dg (whatever became of its hash) */
static gboolean
sod_lists (const TpPassiveAuthResult *pa,
           guint                      dg)
{
  if (pa == NULL || !pa->sod_parsed)
    return FALSE;
  for (guint i = 0; i < pa->hashes->len; i++)
    {
      const TpPassiveAuthHash *h = &g_array_index (pa->hashes, TpPassiveAuthHash, i);

      if (h->dg == dg)
        return h->status != TP_DG_HASH_NOT_IN_SOD;
    }
  return FALSE;
}

static void
protocol_failures (GPtrArray    *failures,
                   const char   *protocol,
                   guint         dg,
                   gboolean      listed,
                   gboolean      none_offered_ok,
                   TpCheckState  state,
                   const char   *reason)
{
  const char *why = reason != NULL ? reason : "no reason given";

  if (state == TP_CHECK_FAILED)
    g_ptr_array_add (failures, g_strdup_printf ("%s failed: %s", protocol, why));
  else if (listed && state == TP_CHECK_NOT_CHECKED)
    g_ptr_array_add (failures, g_strdup_printf ("%s did not run although EF.SOD lists DG%u: %s",
                                                protocol, dg, why));
  else if (listed && state == TP_CHECK_NOT_SUPPORTED && !none_offered_ok)
    g_ptr_array_add (failures, g_strdup_printf ("%s did not run although EF.SOD lists DG%u%s%s",
                                                protocol, dg, reason != NULL ? ": " : "",
                                                reason != NULL ? reason : ""));
}

GPtrArray *
tp_document_get_failures (const TpDocument *document)
{
  GPtrArray *failures;
  const TpPassiveAuthResult *pa;
  const TpDocumentFile *dg1;

  g_return_val_if_fail (document != NULL, NULL);

  failures = g_ptr_array_new_with_free_func (g_free);
  pa = document->passive_auth;

  for (guint i = 0; i < document->files->len; i++)
    {
      const TpDocumentFile *file = g_ptr_array_index (document->files, i);

      if (file->error != NULL)
        g_ptr_array_add (failures, g_strdup_printf ("%s: %s", file->name, file->error));
    }
  dg1 = tp_document_get_file (document, "DG1");
  if (dg1 != NULL && dg1->data != NULL && document->dg1 == NULL)
    g_ptr_array_add (failures, g_strdup ("DG1: it does not parse"));

  if (pa == NULL)
    g_ptr_array_add (failures, g_strdup ("passive authentication: not done"));
  else if (pa->verdict != TP_PASSIVE_AUTH_VALID)
    {
      for (guint i = 0; i < pa->errors->len; i++)
        g_ptr_array_add (failures, g_strdup_printf ("passive authentication: %s",
                                                    (const char *) g_ptr_array_index (pa->errors, i)));
      if (pa->errors->len == 0)
        g_ptr_array_add (failures, g_strdup ("passive authentication: invalid"));
    }

  /* DG14 may hold no chip authentication key (only PACE or terminal
   * authentication infos): that is the signed DG14's word, when its hash
   * matched. DG15 always holds the active authentication key. */
  protocol_failures (failures, "chip authentication", 14, sod_lists (pa, 14),
                     pa != NULL && tp_passive_auth_result_get_hash (pa, 14) == TP_DG_HASH_MATCH,
                     document->chip_auth, document->chip_auth_reason);
  protocol_failures (failures, "active authentication", 15, sod_lists (pa, 15), FALSE,
                     document->active_auth, document->active_auth_reason);

  if (document->mrz_match == TP_CHECK_FAILED)
    g_ptr_array_add (failures, g_strdup_printf ("printed MRZ against DG1: %s",
                                                document->mrz_mismatch != NULL
                                                ? document->mrz_mismatch : "they differ"));
  return failures;
}

gboolean
tp_document_is_verified (const TpDocument *document)
{
  g_autoptr(GPtrArray) failures = NULL;

  g_return_val_if_fail (document != NULL, FALSE);

  failures = tp_document_get_failures (document);
  return failures->len == 0;
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
