/* tp-key-source.c: key sources for the store: key file, key in memory
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "tp-key-source.h"

struct _TpKeyFile
{
  GObject  parent_instance;
  char    *path;
};

#define TP_TYPE_KEY_MEMORY (tp_key_memory_get_type ())
G_DECLARE_FINAL_TYPE (TpKeyMemory, tp_key_memory, TP, KEY_MEMORY, GObject)

struct _TpKeyMemory
{
  GObject  parent_instance;
  guint8   key[TP_KEY_SIZE];
};

static void tp_key_file_iface_init   (TpKeySourceInterface *iface);
static void tp_key_memory_iface_init (TpKeySourceInterface *iface);

G_DEFINE_QUARK (tp-key-source-error-quark, tp_key_source_error)
G_DEFINE_INTERFACE (TpKeySource, tp_key_source, G_TYPE_OBJECT)
G_DEFINE_FINAL_TYPE_WITH_CODE (TpKeyFile, tp_key_file, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (TP_TYPE_KEY_SOURCE, tp_key_file_iface_init))
G_DEFINE_FINAL_TYPE_WITH_CODE (TpKeyMemory, tp_key_memory, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (TP_TYPE_KEY_SOURCE, tp_key_memory_iface_init))

/* The file holds the hex digits and a newline; a little slack for a
 * trailing CR or spaces added by an editor. */
#define KEY_FILE_MAX 128

/* Interface */

static void
tp_key_source_default_init (TpKeySourceInterface *iface)
{
}

gboolean
tp_key_source_get_key (TpKeySource  *self,
                       gboolean      create,
                       guint8        key[TP_KEY_SIZE],
                       GError      **error)
{
  g_return_val_if_fail (TP_IS_KEY_SOURCE (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return TP_KEY_SOURCE_GET_IFACE (self)->get_key (self, create, key, error);
}

char *
tp_key_source_describe (TpKeySource *self)
{
  TpKeySourceInterface *iface;

  g_return_val_if_fail (TP_IS_KEY_SOURCE (self), NULL);

  iface = TP_KEY_SOURCE_GET_IFACE (self);
  if (iface->describe == NULL)
    return g_strdup (G_OBJECT_TYPE_NAME (self));
  return iface->describe (self);
}

/* Key file */

static gboolean
parse_key (const char *text,
           gsize       len,
           guint8      key[TP_KEY_SIZE])
{
  while (len > 0 && g_ascii_isspace (text[len - 1]))
    len--;
  if (len != 2 * TP_KEY_SIZE)
    return FALSE;
  for (guint i = 0; i < TP_KEY_SIZE; i++)
    {
      int hi = g_ascii_xdigit_value (text[2 * i]);
      int lo = g_ascii_xdigit_value (text[2 * i + 1]);

      if (hi < 0 || lo < 0)
        return FALSE;
      key[i] = (guint8) (hi << 4 | lo);
    }
  return TRUE;
}

static gboolean
check_key_file (const char   *path,
                int           fd,
                GError      **error)
{
  struct stat st;

  if (fstat (fd, &st) != 0)
    {
      int saved = errno;

      g_set_error (error, TP_KEY_SOURCE_ERROR, TP_KEY_SOURCE_ERROR_FAILED,
                   "Cannot read the key file %s: %s", path, g_strerror (saved));
      return FALSE;
    }
  if (!S_ISREG (st.st_mode))
    {
      g_set_error (error, TP_KEY_SOURCE_ERROR, TP_KEY_SOURCE_ERROR_INVALID,
                   "The key file %s is not a regular file", path);
      return FALSE;
    }
  if (st.st_uid != geteuid ())
    {
      g_set_error (error, TP_KEY_SOURCE_ERROR, TP_KEY_SOURCE_ERROR_PERMISSIONS,
                   "The key file %s belongs to another user (uid %u, this program runs as uid %u): "
                   "the key file must belong to the user that opens the store "
                   "(run “chown %u %s” as an administrator, then “chmod 600 %s”)",
                   path, (guint) st.st_uid, (guint) geteuid (), (guint) geteuid (), path, path);
      return FALSE;
    }
  if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0)
    {
      g_set_error (error, TP_KEY_SOURCE_ERROR, TP_KEY_SOURCE_ERROR_PERMISSIONS,
                   "The key file %s is accessible to other users (mode %04o): "
                   "it must be readable by its owner only; run “chmod 600 %s”",
                   path, (guint) (st.st_mode & 07777), path);
      return FALSE;
    }
  return TRUE;
}

static gboolean
load_key_file (const char  *path,
               guint8       key[TP_KEY_SIZE],
               GError     **error)
{
  char buf[KEY_FILE_MAX + 1];
  gsize len = 0;
  gboolean ok;
  int fd;

  fd = open (path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, TP_KEY_SOURCE_ERROR,
                   saved == ENOENT ? TP_KEY_SOURCE_ERROR_NOT_FOUND : TP_KEY_SOURCE_ERROR_FAILED,
                   "Cannot open the key file %s: %s", path, g_strerror (saved));
      return FALSE;
    }
  if (!check_key_file (path, fd, error))
    {
      close (fd);
      return FALSE;
    }
  for (;;)
    {
      ssize_t n = read (fd, buf + len, sizeof buf - len);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved = errno;

          close (fd);
          OPENSSL_cleanse (buf, sizeof buf);
          g_set_error (error, TP_KEY_SOURCE_ERROR, TP_KEY_SOURCE_ERROR_FAILED,
                       "Cannot read the key file %s: %s", path, g_strerror (saved));
          return FALSE;
        }
      if (n == 0 || len + (gsize) n >= sizeof buf)
        {
          len += (gsize) n;
          break;
        }
      len += (gsize) n;
    }
  close (fd);

  ok = len <= KEY_FILE_MAX && parse_key (buf, len, key);
  OPENSSL_cleanse (buf, sizeof buf);
  if (!ok)
    {
      g_set_error (error, TP_KEY_SOURCE_ERROR, TP_KEY_SOURCE_ERROR_INVALID,
                   "The key file %s does not hold a key: expected 64 hexadecimal digits (a 256-bit key)",
                   path);
      return FALSE;
    }
  return TRUE;
}

static gboolean
write_all (int         fd,
           const char *data,
           gsize       len)
{
  while (len > 0)
    {
      ssize_t n = write (fd, data, len);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;
      data += n;
      len -= (gsize) n;
    }
  return TRUE;
}

/* Returns FALSE with *exists set when another process created the file first. */
static gboolean
create_key_file (const char  *path,
                 guint8       key[TP_KEY_SIZE],
                 gboolean    *exists,
                 GError     **error)
{
  static const char hex[] = "0123456789abcdef";
  char text[2 * TP_KEY_SIZE + 1];
  int fd;
  int saved;

  *exists = FALSE;
  fd = open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY, 0600);
  if (fd < 0)
    {
      saved = errno;
      if (saved == EEXIST)
        {
          *exists = TRUE;
          return FALSE;
        }
      g_set_error (error, TP_KEY_SOURCE_ERROR, TP_KEY_SOURCE_ERROR_FAILED,
                   "Cannot create the key file %s: %s", path, g_strerror (saved));
      return FALSE;
    }

  if (RAND_bytes (key, TP_KEY_SIZE) != 1)
    {
      close (fd);
      unlink (path);
      g_set_error (error, TP_KEY_SOURCE_ERROR, TP_KEY_SOURCE_ERROR_FAILED,
                   "Cannot create the key file %s: the random number generator failed", path);
      return FALSE;
    }
  for (guint i = 0; i < TP_KEY_SIZE; i++)
    {
      text[2 * i] = hex[key[i] >> 4];
      text[2 * i + 1] = hex[key[i] & 0xf];
    }
  text[2 * TP_KEY_SIZE] = '\n';

  /* 0600 whatever the umask */
  if (fchmod (fd, 0600) != 0 ||
      !write_all (fd, text, sizeof text) ||
      fsync (fd) != 0)
    {
      saved = errno;
      OPENSSL_cleanse (text, sizeof text);
      OPENSSL_cleanse (key, TP_KEY_SIZE);
      close (fd);
      unlink (path);
      g_set_error (error, TP_KEY_SOURCE_ERROR, TP_KEY_SOURCE_ERROR_FAILED,
                   "Cannot write the key file %s: %s", path, g_strerror (saved));
      return FALSE;
    }
  OPENSSL_cleanse (text, sizeof text);
  if (close (fd) != 0)
    {
      saved = errno;
      OPENSSL_cleanse (key, TP_KEY_SIZE);
      unlink (path);
      g_set_error (error, TP_KEY_SOURCE_ERROR, TP_KEY_SOURCE_ERROR_FAILED,
                   "Cannot write the key file %s: %s", path, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

static gboolean
tp_key_file_get_key (TpKeySource  *source,
                     gboolean      create,
                     guint8        key[TP_KEY_SIZE],
                     GError      **error)
{
  TpKeyFile *self = TP_KEY_FILE (source);
  g_autoptr(GError) local_error = NULL;
  gboolean exists;

  if (load_key_file (self->path, key, &local_error))
    return TRUE;
  if (!create || !g_error_matches (local_error, TP_KEY_SOURCE_ERROR, TP_KEY_SOURCE_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (create_key_file (self->path, key, &exists, error))
    return TRUE;
  if (exists)   /* created by someone else meanwhile */
    return load_key_file (self->path, key, error);
  return FALSE;
}

static char *
tp_key_file_describe (TpKeySource *source)
{
  return g_strdup_printf ("key file %s", TP_KEY_FILE (source)->path);
}

static void
tp_key_file_iface_init (TpKeySourceInterface *iface)
{
  iface->get_key = tp_key_file_get_key;
  iface->describe = tp_key_file_describe;
}

static void
tp_key_file_finalize (GObject *object)
{
  TpKeyFile *self = TP_KEY_FILE (object);

  g_free (self->path);
  G_OBJECT_CLASS (tp_key_file_parent_class)->finalize (object);
}

static void
tp_key_file_class_init (TpKeyFileClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tp_key_file_finalize;
}

static void
tp_key_file_init (TpKeyFile *self)
{
}

TpKeySource *
tp_key_file_new (const char *path)
{
  TpKeyFile *self;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (TP_TYPE_KEY_FILE, NULL);
  self->path = g_strdup (path);
  return TP_KEY_SOURCE (self);
}

const char *
tp_key_file_get_path (TpKeyFile *self)
{
  g_return_val_if_fail (TP_IS_KEY_FILE (self), NULL);

  return self->path;
}

/* Key in memory */

static gboolean
tp_key_memory_get_key (TpKeySource  *source,
                       gboolean      create,
                       guint8        key[TP_KEY_SIZE],
                       GError      **error)
{
  memcpy (key, TP_KEY_MEMORY (source)->key, TP_KEY_SIZE);
  return TRUE;
}

static char *
tp_key_memory_describe (TpKeySource *source)
{
  return g_strdup ("key in memory");
}

static void
tp_key_memory_iface_init (TpKeySourceInterface *iface)
{
  iface->get_key = tp_key_memory_get_key;
  iface->describe = tp_key_memory_describe;
}

static void
tp_key_memory_finalize (GObject *object)
{
  TpKeyMemory *self = TP_KEY_MEMORY (object);

  OPENSSL_cleanse (self->key, sizeof self->key);
  G_OBJECT_CLASS (tp_key_memory_parent_class)->finalize (object);
}

static void
tp_key_memory_class_init (TpKeyMemoryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tp_key_memory_finalize;
}

static void
tp_key_memory_init (TpKeyMemory *self)
{
}

TpKeySource *
tp_key_memory_new (const guint8 key[TP_KEY_SIZE])
{
  TpKeyMemory *self;

  g_return_val_if_fail (key != NULL, NULL);

  self = g_object_new (TP_TYPE_KEY_MEMORY, NULL);
  memcpy (self->key, key, TP_KEY_SIZE);
  return TP_KEY_SOURCE (self);
}
