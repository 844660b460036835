/* tp-transport-registry.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "tp-nfc-transport.h"
#include "tp-pcsc-transport.h"
#include "tp-transport-registry.h"

typedef struct {
  char                *scheme;
  TpTransportKind      kind;
  char                *usage;
  TpTransportOpenFunc  open;
  TpTransportListFunc  list;
} Scheme;

static GMutex lock;
static GPtrArray *schemes;   /* Scheme, in the order of registration */

static void
scheme_free (Scheme *scheme)
{
  g_free (scheme->scheme);
  g_free (scheme->usage);
  g_free (scheme);
}

static TpTransport *
open_nfc (const char  *address,
          GError     **error)
{
  return tp_nfc_transport_new (*address ? address : NULL, error);
}

static TpTransport *
open_pcsc (const char  *address,
           GError     **error)
{
  return tp_pcsc_transport_new (*address ? address : NULL, error);
}

static void
register_locked (const char          *name,
                 TpTransportKind      kind,
                 const char          *usage,
                 TpTransportOpenFunc  open,
                 TpTransportListFunc  list)
{
  Scheme *scheme = g_new0 (Scheme, 1);

  scheme->scheme = g_strdup (name);
  scheme->kind = kind;
  scheme->usage = g_strdup (usage);
  scheme->open = open;
  scheme->list = list;
  for (guint i = 0; i < schemes->len; i++)
    if (g_str_equal (((Scheme *) g_ptr_array_index (schemes, i))->scheme, name))
      {
        scheme_free (g_ptr_array_index (schemes, i));
        schemes->pdata[i] = scheme;
        return;
      }
  g_ptr_array_add (schemes, scheme);
}

/* The hardware transports, on first use. */
static void
ensure_schemes_locked (void)
{
  if (schemes != NULL)
    return;
  schemes = g_ptr_array_new ();
  register_locked ("nfc", TP_TRANSPORT_KIND_NFC, "nfc:, nfc:DRIVER:PORT (a libnfc connstring)",
                   open_nfc, tp_nfc_transport_list);
  register_locked ("pcsc", TP_TRANSPORT_KIND_PCSC, "pcsc:, pcsc:READER NAME",
                   open_pcsc, tp_pcsc_transport_list);
}

/* The open function of the scheme @connstring names, and the address
 * after "SCHEME:". */
static gboolean
find_scheme (const char           *connstring,
             TpTransportOpenFunc  *open,
             const char          **address)
{
  gboolean found = FALSE;

  g_mutex_lock (&lock);
  ensure_schemes_locked ();
  for (guint i = 0; i < schemes->len && !found; i++)
    {
      const Scheme *scheme = g_ptr_array_index (schemes, i);
      gsize n = strlen (scheme->scheme);

      /* "nfc:..." or the bare name "nfc" */
      if (strncmp (connstring, scheme->scheme, n) == 0 &&
          (connstring[n] == ':' || connstring[n] == '\0'))
        {
          *open = scheme->open;
          *address = connstring[n] == ':' ? connstring + n + 1 : connstring + n;
          found = TRUE;
        }
    }
  g_mutex_unlock (&lock);
  return found;
}

static char *
describe_schemes (void)
{
  g_autoptr(GString) text = g_string_new (NULL);

  g_mutex_lock (&lock);
  ensure_schemes_locked ();
  for (guint i = 0; i < schemes->len; i++)
    {
      const Scheme *scheme = g_ptr_array_index (schemes, i);

      if (i > 0)
        g_string_append (text, i + 1 == schemes->len ? " or " : ", ");
      g_string_append (text, scheme->usage);
    }
  g_mutex_unlock (&lock);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

void
tp_transport_register_scheme (const char          *scheme,
                              TpTransportKind      kind,
                              const char          *usage,
                              TpTransportOpenFunc  open,
                              TpTransportListFunc  list)
{
  g_return_if_fail (scheme != NULL && *scheme != '\0' && strchr (scheme, ':') == NULL);
  g_return_if_fail (usage != NULL);
  g_return_if_fail (open != NULL);

  g_mutex_lock (&lock);
  ensure_schemes_locked ();
  register_locked (scheme, kind, usage, open, list);
  g_mutex_unlock (&lock);
}

TpTransport *
tp_transport_open (const char  *connstring,
                   GError     **error)
{
  TpTransportOpenFunc open;
  const char *address;
  g_autofree char *known = NULL;

  g_return_val_if_fail (connstring != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (find_scheme (connstring, &open, &address))
    return open (address, error);

  known = describe_schemes ();
  g_set_error (error, TP_TRANSPORT_ERROR, TP_TRANSPORT_ERROR_INVALID_CONNSTRING,
               "Reader “%s” is not a connection string: expected %s", connstring, known);
  return NULL;
}

GPtrArray *
tp_transport_list_readers (gboolean include_sim)
{
  GPtrArray *readers = g_ptr_array_new_with_free_func ((GDestroyNotify) tp_reader_info_free);
  g_autoptr(GArray) lists = g_array_new (FALSE, FALSE, sizeof (TpTransportListFunc));

  /* Listing talks to devices: not under the lock. */
  g_mutex_lock (&lock);
  ensure_schemes_locked ();
  for (guint i = 0; i < schemes->len; i++)
    {
      const Scheme *scheme = g_ptr_array_index (schemes, i);

      if (scheme->list != NULL && (include_sim || scheme->kind != TP_TRANSPORT_KIND_SIM))
        g_array_append_val (lists, scheme->list);
    }
  g_mutex_unlock (&lock);

  for (guint i = 0; i < lists->len; i++)
    g_array_index (lists, TpTransportListFunc, i) (readers);
  return readers;
}
