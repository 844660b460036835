/* tp-demo-hub.h: demo mode's embedded hub, a touchpoint-hub on loopback
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The real hub as a child process in the demo's directory (its state in
 * DIR/state): `init` (on a free loopback port), one agency bundle per issuing agency of the demo
 * list, the demo terminal's enrollment bundle (a supervisor terminal, so
 * that escalations are pushed to it), then `serve`. Agencies' entries go
 * in through POST /v1/entries with the agency's client certificate, as an
 * issuing system sends them; every line must come back accepted (or
 * duplicate). Blocking calls: run them off the UI thread.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define TP_TYPE_DEMO_HUB (tp_demo_hub_get_type ())
G_DECLARE_FINAL_TYPE (TpDemoHub, tp_demo_hub, TP, DEMO_HUB, GObject)

/* @hub_program: the touchpoint-hub executable; @dir: a directory for the
 * hub's state, the bundles and its log (made when missing). */
TpDemoHub  *tp_demo_hub_new            (const char  *hub_program,
                                        const char  *dir);
/* init (on a free port), agencies, enrollment of
 * @airport/@checkpoint/@terminal; blocking. */
gboolean    tp_demo_hub_setup          (TpDemoHub   *self,
                                        const char  *airport,
                                        const char  *checkpoint,
                                        const char  *terminal,
                                        GError     **error);
/* Starts `serve` (output in DIR/hub.log). Call it from a thread that
 * outlives the hub: on Linux the hub is sent SIGTERM when that thread
 * ends, so that a killed demo leaves no hub behind. */
gboolean    tp_demo_hub_spawn          (TpDemoHub   *self,
                                        GError     **error);
/* Until the hub says it listens (30 s at most); blocking. */
gboolean    tp_demo_hub_wait_listening (TpDemoHub   *self,
                                        GError     **error);
/* The three above, one after the other. */
gboolean    tp_demo_hub_start          (TpDemoHub   *self,
                                        const char  *airport,
                                        const char  *checkpoint,
                                        const char  *terminal,
                                        GError     **error);
/* Sends entries (JSON lines) as @agency ("customs", "tax"...); fails
 * naming the first line the hub did not accept. */
gboolean    tp_demo_hub_ingest         (TpDemoHub   *self,
                                        const char  *agency,
                                        const char  *lines,
                                        GError     **error);
/* Sends every entry of @lines (JSON lines) as the agency that owns it. */
gboolean    tp_demo_hub_ingest_list    (TpDemoHub   *self,
                                        const char  *lines,
                                        GError     **error);
/* The terminal events the hub stored (`touchpoint-hub events`), JSON
 * lines; NULL on error. */
char       *tp_demo_hub_events         (TpDemoHub   *self,
                                        GError     **error);
/* SIGTERM, and waits for the hub to drain and exit. */
void        tp_demo_hub_stop           (TpDemoHub   *self);

const char *tp_demo_hub_get_url        (TpDemoHub   *self);
/* The demo terminal's enrollment bundle (cert.pem, key.pem, ca.pem,
 * feed-keys.json, enrollment.json). */
const char *tp_demo_hub_get_enrollment (TpDemoHub   *self);
const char *tp_demo_hub_get_dir        (TpDemoHub   *self);

G_END_DECLS
