/* tp-hub-server.h: `touchpoint-hub serve`: the hub over HTTPS (libsoup 3)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Mutual TLS always (HTTP/1.1): every request needs a client certificate
 * of the hub's CA that the registry knows and that is not revoked. One
 * JSON line per request on standard output; SIGTERM (or SIGINT) stops
 * accepting, lets the requests in progress finish and exits.
 */
#pragma once

#include "tp-hub.h"

G_BEGIN_DECLS

/* Runs until SIGTERM. @listen is HOST:PORT (port 0: any free port; the
 * first line printed says which). */
gboolean tp_hub_serve (const char          *dir,
                       const char          *listen,
                       const char          *database,
                       const TpHubOptions  *options,
                       GError             **error);

G_END_DECLS
