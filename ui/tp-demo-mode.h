/* tp-demo-mode.h: what demo mode adds to the application, behind an interface
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Demo mode needs test equipment (the software chip, the test PKI, an
 * embedded hub), which libtp-ui never links: the touchpoint executable
 * links the demo library (ui/demo/) and hands its implementation to the
 * application (tp_application_set_demo_mode()). Without one, --demo
 * refuses to start.
 *
 * prepare: makes a throw-away terminal (store, key file, demo accounts)
 * and an embedded hub holding the demo list, with the terminal enrolled,
 * and says where they are; runs off the UI thread.
 * attach: the window and its counter exist: the software chip becomes the
 * reader, and the demo panel goes in the window's side panel.
 * shutdown: stops what demo mode started and removes its files.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _TpWindow TpWindow;

#define TP_TYPE_DEMO_MODE (tp_demo_mode_get_type ())
G_DECLARE_INTERFACE (TpDemoMode, tp_demo_mode, TP, DEMO_MODE, GObject)

struct _TpDemoModeInterface
{
  GTypeInterface parent_iface;

  /* The terminal's place: where the demo hub enrolls it. */
  void     (*prepare_async)  (TpDemoMode           *self,
                              const char           *airport,
                              const char           *checkpoint_id,
                              const char           *terminal_id,
                              GCancellable         *cancellable,
                              GAsyncReadyCallback   callback,
                              gpointer              user_data);
  /* The store, its key file and the terminal's enrollment bundle (NULL:
   * no hub, the list is in the store already), owned by the demo. */
  gboolean (*prepare_finish) (TpDemoMode           *self,
                              GAsyncResult         *result,
                              const char          **store_path,
                              const char          **key_path,
                              const char          **enrollment_dir,
                              GError              **error);
  void     (*attach)         (TpDemoMode           *self,
                              TpWindow             *window);
  void     (*shutdown)       (TpDemoMode           *self);
};

void     tp_demo_mode_prepare_async  (TpDemoMode          *self,
                                      const char          *airport,
                                      const char          *checkpoint_id,
                                      const char          *terminal_id,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);
gboolean tp_demo_mode_prepare_finish (TpDemoMode          *self,
                                      GAsyncResult        *result,
                                      const char         **store_path,
                                      const char         **key_path,
                                      const char         **enrollment_dir,
                                      GError             **error);
void     tp_demo_mode_attach         (TpDemoMode          *self,
                                      TpWindow            *window);
void     tp_demo_mode_shutdown       (TpDemoMode          *self);

G_END_DECLS
