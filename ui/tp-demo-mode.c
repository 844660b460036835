/* tp-demo-mode.c: the demo mode interface
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tp-demo-mode.h"

G_DEFINE_INTERFACE (TpDemoMode, tp_demo_mode, G_TYPE_OBJECT)

static void
tp_demo_mode_default_init (TpDemoModeInterface *iface)
{
}

void
tp_demo_mode_prepare_async (TpDemoMode          *self,
                            const char          *airport,
                            const char          *checkpoint_id,
                            const char          *terminal_id,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_return_if_fail (TP_IS_DEMO_MODE (self));

  TP_DEMO_MODE_GET_IFACE (self)->prepare_async (self, airport, checkpoint_id, terminal_id, cancellable, callback,
                                                  user_data);
}

gboolean
tp_demo_mode_prepare_finish (TpDemoMode    *self,
                             GAsyncResult  *result,
                             const char   **store_path,
                             const char   **key_path,
                             const char   **enrollment_dir,
                             GError       **error)
{
  g_return_val_if_fail (TP_IS_DEMO_MODE (self), FALSE);

  return TP_DEMO_MODE_GET_IFACE (self)->prepare_finish (self, result, store_path, key_path, enrollment_dir,
                                                         error);
}

void
tp_demo_mode_attach (TpDemoMode *self,
                     TpWindow   *window)
{
  g_return_if_fail (TP_IS_DEMO_MODE (self));

  TP_DEMO_MODE_GET_IFACE (self)->attach (self, window);
}

void
tp_demo_mode_shutdown (TpDemoMode *self)
{
  g_return_if_fail (TP_IS_DEMO_MODE (self));

  TP_DEMO_MODE_GET_IFACE (self)->shutdown (self);
}
