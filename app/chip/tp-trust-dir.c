/* tp-trust-dir.c: the terminal's trust store, a directory
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <openssl/x509.h>

#include "tp-error.h"
#include "tp-trust-dir.h"

#define MAX_FILE_SIZE (64 * 1024 * 1024)
#define MAX_DEPTH     2

typedef struct {
  TpTrustItem   *item;      /* owned by the file's items */
  TpTrustImport *import;
  TpTrustSource *source;    /* owned by the store */
  const char    *subdir;    /* where it goes when taken, NULL: refused */
  char          *refusal;
} Pending;

void
tp_trust_import_free (TpTrustImport *import)
{
  if (import == NULL)
    return;
  g_free (import->file);
  g_free (import->format);
  g_clear_pointer (&import->messages, g_ptr_array_unref);
  g_free (import);
}

static void
pending_free (Pending *p)
{
  g_free (p->refusal);
  g_free (p);
}

char *
tp_trust_dir_default_path (void)
{
  const char *env = g_getenv ("TOUCHPOINT_TRUST_DIR");

  if (env != NULL && env[0] != '\0')
    return g_strdup (env);
  return g_build_filename (g_get_user_data_dir (), "touchpoint", "trust", NULL);
}

/* The directory and what it holds are this account's own and writable
 * by nobody else. */
static gboolean
check_tree (const char  *path,
            guint        depth,
            GError     **error)
{
  GStatBuf st;

  if (g_lstat (path, &st) != 0)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), "%s: %s", path,
                   g_strerror (saved));
      return FALSE;
    }
  if (S_ISLNK (st.st_mode))
    {
      g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT,
                   "%s is a symbolic link: the trust store holds its own files only", path);
      return FALSE;
    }
  if (st.st_uid != geteuid ())
    {
      g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT,
                   "%s belongs to another user (uid %u): the trust store must be this account's own",
                   path, (guint) st.st_uid);
      return FALSE;
    }
  if (st.st_mode & (S_IWGRP | S_IWOTH))
    {
      g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT,
                   "%s is writable by %s: anyone who can write there could add a trust anchor "
                   "(chmod go-w)", path, (st.st_mode & S_IWOTH) ? "everyone" : "its group");
      return FALSE;
    }
  if (S_ISDIR (st.st_mode) && depth < MAX_DEPTH)
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, error);
      const char *name;

      if (dir == NULL)
        return FALSE;
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          if (!check_tree (child, depth + 1, error))
            return FALSE;
        }
    }
  return TRUE;
}

gboolean
tp_trust_dir_load (TpTrustStore  *store,
                   const char    *dir,
                   gboolean       missing_ok,
                   GError       **error)
{
  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (dir != NULL, FALSE);

  if (!g_file_test (dir, G_FILE_TEST_EXISTS))
    {
      if (missing_ok)
        return TRUE;
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT,
                   "%s: no trust store there (touchpoint-cli trust import makes one)", dir);
      return FALSE;
    }
  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT, "%s: a trust store is a directory", dir);
      return FALSE;
    }
  if (!check_tree (dir, 0, error))
    return FALSE;
  return tp_trust_store_add_path (store, dir, error);
}

static char *
fingerprint_name (GBytes     *der,
                  const char *extension)
{
  g_autofree char *hex = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, der);

  return g_strdup_printf ("%s.%s", hex, extension);
}

static const char *
format_of (const guint8 *data,
           gsize         len,
           const TpTrustItem *first)
{
  if (first != NULL && first->from_ldif)
    return "ldif";
  if (g_strstr_len ((const char *) data, (gssize) MIN (len, 65536), "-----BEGIN ") != NULL)
    return "pem";
  return "der";
}

/* Decides what becomes of one item, once every item is in the store. */
static void
decide (Pending *p)
{
  const TpTrustItem *item = p->item;

  switch (item->kind)
    {
    case TP_TRUST_ITEM_MASTER_LIST:
      if (p->source != NULL && p->source->accepted)
        p->subdir = "ml";
      else
        p->refusal = g_strdup_printf ("%s: %s", item->label,
                                      p->source != NULL && p->source->message != NULL
                                      ? p->source->message : "not a master list");
      break;

    case TP_TRUST_ITEM_CRL:
      p->subdir = "crl";
      break;

    case TP_TRUST_ITEM_CERTIFICATE:
    default:
      {
        const unsigned char *der = g_bytes_get_data (item->der, NULL);
        X509 *cert = d2i_X509 (NULL, &der, (long) g_bytes_get_size (item->der));

        if (cert == NULL)
          p->refusal = g_strdup_printf ("%s: not a readable certificate", item->label);
        else if (tp_x509_is_csca (cert) && item->from_ldif)
          {
            g_autofree char *subject = tp_x509_name_to_string (X509_get_subject_name (cert));

            p->refusal = g_strdup_printf ("%s: the CSCA certificate %s is left out: an LDIF file is "
                                          "not signed, so it gives no trust anchor (CSCAs come from "
                                          "master lists or certificate files)", item->label, subject);
          }
        else
          p->subdir = tp_x509_is_csca (cert) ? "csca" : "ds";
        X509_free (cert);
      }
      break;
    }
}

static gboolean
write_item (const char  *dir,
            Pending     *p,
            GError     **error)
{
  static const struct { const char *subdir, *extension; } kinds[] = {
    { "csca", "cer" }, { "ds", "cer" }, { "crl", "crl" }, { "ml", "ml" },
  };
  g_autofree char *subdir = g_build_filename (dir, p->subdir, NULL);
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;
  const char *extension = "der";

  for (gsize i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (g_str_equal (kinds[i].subdir, p->subdir))
      extension = kinds[i].extension;
  name = fingerprint_name (p->item->der, extension);
  path = g_build_filename (subdir, name, NULL);

  if (g_mkdir_with_parents (subdir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), "cannot create %s: %s",
                   subdir, g_strerror (saved));
      return FALSE;
    }
  if (g_file_test (path, G_FILE_TEST_EXISTS))
    {
      p->import->known++;
      return TRUE;
    }
  if (!g_file_set_contents (path, g_bytes_get_data (p->item->der, NULL),
                            (gssize) g_bytes_get_size (p->item->der), error))
    return FALSE;
  g_chmod (path, 0644);

  if (g_str_equal (p->subdir, "csca"))
    p->import->anchors++;
  else if (g_str_equal (p->subdir, "ds"))
    p->import->document_signers++;
  else if (g_str_equal (p->subdir, "crl"))
    p->import->crls++;
  else
    {
      p->import->master_lists++;
      p->import->list_anchors += p->source->n_anchors;
    }
  return TRUE;
}

GPtrArray *
tp_trust_dir_import (const char          *dir,
                     const char * const  *files,
                     GError             **error)
{
  g_autoptr(TpTrustStore) store = tp_trust_store_new (TP_TRUST_STORE_FLAGS_NONE);
  g_autoptr(GPtrArray) imports = g_ptr_array_new_with_free_func ((GDestroyNotify) tp_trust_import_free);
  g_autoptr(GPtrArray) all_items = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GPtrArray) pending = g_ptr_array_new_with_free_func ((GDestroyNotify) pending_free);

  g_return_val_if_fail (dir != NULL, NULL);
  g_return_val_if_fail (files != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Every file first: a file that is none of the kinds stops the import
   * before anything is written. */
  for (guint i = 0; files[i] != NULL; i++)
    {
      g_autofree char *contents = NULL;
      gsize len = 0;
      GStatBuf st;
      GPtrArray *items;
      TpTrustImport *import;

      if (g_stat (files[i], &st) == 0 && st.st_size > MAX_FILE_SIZE)
        {
          g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT,
                       "%s: %" G_GINT64_FORMAT " bytes, larger than any trust file (%d MB at most)",
                       files[i], (gint64) st.st_size, MAX_FILE_SIZE / (1024 * 1024));
          return NULL;
        }
      if (!g_file_get_contents (files[i], &contents, &len, error))
        return NULL;
      items = tp_trust_items_from_data ((const guint8 *) contents, len, files[i], error);
      if (items == NULL)
        return NULL;
      g_ptr_array_add (all_items, items);

      import = g_new0 (TpTrustImport, 1);
      import->file = g_strdup (files[i]);
      import->format = g_strdup (format_of ((const guint8 *) contents, len,
                                            items->len > 0 ? g_ptr_array_index (items, 0) : NULL));
      import->messages = g_ptr_array_new_with_free_func (g_free);
      g_ptr_array_add (imports, import);
    }

  /* What the store holds, then everything new (master lists wait for the
   * CSCAs of their signers, whatever the order) */
  if (g_file_test (dir, G_FILE_TEST_EXISTS))
    {
      if (!tp_trust_dir_load (store, dir, FALSE, error))
        return NULL;
    }
  else if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), "cannot create %s: %s",
                   dir, g_strerror (saved));
      return NULL;
    }

  for (guint f = 0; f < all_items->len; f++)
    {
      GPtrArray *items = g_ptr_array_index (all_items, f);
      TpTrustImport *import = g_ptr_array_index (imports, f);

      for (guint i = 0; i < items->len; i++)
        {
          Pending *p = g_new0 (Pending, 1);
          g_autoptr(GError) local_error = NULL;

          p->item = g_ptr_array_index (items, i);
          p->import = import;
          p->source = tp_trust_store_add_item (store, p->item, &local_error);
          if (p->source == NULL)
            p->refusal = g_strdup (local_error->message);
          g_ptr_array_add (pending, p);
        }
    }

  for (guint i = 0; i < pending->len; i++)
    {
      Pending *p = g_ptr_array_index (pending, i);

      if (p->refusal == NULL)
        decide (p);
      if (p->refusal != NULL)
        {
          p->import->refused++;
          g_ptr_array_add (p->import->messages, g_steal_pointer (&p->refusal));
          continue;
        }
      if (!write_item (dir, p, error))
        return NULL;
      if (p->item->kind == TP_TRUST_ITEM_MASTER_LIST && p->source->message != NULL)
        g_ptr_array_add (p->import->messages, g_strdup_printf ("%s: %s", p->item->label,
                                                               p->source->message));
    }
  return g_steal_pointer (&imports);
}
