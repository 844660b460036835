/* tp-key-source.h: where the store's 256-bit key comes from
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The store never holds its key in the database: a key source hands over
 * the raw 256-bit key when the store is opened (BRIEF §4). The interface
 * is small so that other sources (a TPM, a hardware token, the desktop
 * keyring) can be added without touching the store.
 *
 * The default source is a key file (TpKeyFile): 64 hex digits and a
 * newline, created with a random key (OpenSSL RAND_bytes) with mode 0600
 * and O_EXCL (an existing file is never replaced). Loading refuses a key
 * file that is not a regular file, not owned by the user running the
 * program, or readable or writable by group or others, with a message
 * saying how to fix it ("chmod 600 PATH").
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define TP_KEY_SIZE 32

#define TP_KEY_SOURCE_ERROR (tp_key_source_error_quark ())

/**
 * TpKeySourceError:
 * @TP_KEY_SOURCE_ERROR_NOT_FOUND: no key there (and creating one was not asked for)
 * @TP_KEY_SOURCE_ERROR_PERMISSIONS: the key is not protected as it must be
 * @TP_KEY_SOURCE_ERROR_INVALID: the key is there but is not a key
 * @TP_KEY_SOURCE_ERROR_FAILED: reading or creating the key failed
 */
typedef enum {
  TP_KEY_SOURCE_ERROR_NOT_FOUND,
  TP_KEY_SOURCE_ERROR_PERMISSIONS,
  TP_KEY_SOURCE_ERROR_INVALID,
  TP_KEY_SOURCE_ERROR_FAILED,
} TpKeySourceError;

GQuark tp_key_source_error_quark (void);

#define TP_TYPE_KEY_SOURCE (tp_key_source_get_type ())
G_DECLARE_INTERFACE (TpKeySource, tp_key_source, TP, KEY_SOURCE, GObject)

struct _TpKeySourceInterface
{
  GTypeInterface parent_iface;

  /* Fill @key; when there is no key yet and @create is TRUE, make a new
   * random one and keep it. */
  gboolean (*get_key)     (TpKeySource  *self,
                           gboolean      create,
                           guint8        key[TP_KEY_SIZE],
                           GError      **error);
  /* For messages: "key file /etc/touchpoint/store.key" */
  char    *(*describe)    (TpKeySource  *self);
};

gboolean     tp_key_source_get_key    (TpKeySource  *self,
                                       gboolean      create,
                                       guint8        key[TP_KEY_SIZE],
                                       GError      **error);
char        *tp_key_source_describe   (TpKeySource  *self);

/* Key file */
#define TP_TYPE_KEY_FILE (tp_key_file_get_type ())
G_DECLARE_FINAL_TYPE (TpKeyFile, tp_key_file, TP, KEY_FILE, GObject)

TpKeySource *tp_key_file_new          (const char   *path);
const char  *tp_key_file_get_path     (TpKeyFile    *self);

/* A fixed key held in memory: for tests and for callers that obtained the
 * key elsewhere. */
TpKeySource *tp_key_memory_new        (const guint8  key[TP_KEY_SIZE]);

G_END_DECLS
