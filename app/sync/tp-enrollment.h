/* tp-enrollment.h: a terminal's enrollment bundle (docs/feed.md §12)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `touchpoint-hub enroll ... --out DIR` writes the bundle a terminal needs
 * to talk to its hub: cert.pem and key.pem (the terminal's client
 * certificate, mutual TLS), ca.pem (the hub's CA: the only trust anchor
 * for the hub's TLS certificate), feed-keys.json (the two feed public keys
 * the terminal pins) and enrollment.json (URLs and identity):
 *
 *   {"hub_url": "https://127.0.0.1:8443/", "feed_url": ".../v1/feed/",
 *    "push_url": "wss://.../v1/push", "terminal": "T2-EXIT-07",
 *    "airport": "HAN", "checkpoint": "T2-EXIT", "role": "terminal",
 *    "supervisor": false, "keys": [...]}
 */
#pragma once

#include <glib.h>

#include "tp-feed-key.h"

G_BEGIN_DECLS

typedef struct {
  char          *dir;
  char          *hub_url;       /* https://HOST:PORT/ (ends with "/") */
  char          *feed_url;      /* the hub's feed base, ends with "/" */
  char          *push_url;      /* wss://HOST:PORT/v1/push */
  char          *terminal;
  char          *airport;
  char          *checkpoint;
  gboolean       supervisor;
  TpFeedKeyring *keys;          /* pinned: either key may sign */
  char          *cert_file;
  char          *key_file;
  char          *ca_file;
} TpEnrollment;

/* Reads the bundle in @dir: enrollment.json, feed-keys.json, and checks
 * that cert.pem, key.pem and ca.pem are there (their contents are read
 * when a connection is made). */
TpEnrollment *tp_enrollment_load   (const char    *dir,
                                    GError       **error);
/* enrollment.json alone (no keys, no files): URLs and identity. */
TpEnrollment *tp_enrollment_parse  (const char    *json,
                                    gsize          length,
                                    GError       **error);
void          tp_enrollment_free   (TpEnrollment  *enrollment);

/* A feed base URL as given on a command line: http or https, with "/"
 * added at the end when missing. NULL with an error otherwise. */
char         *tp_enrollment_normalize_feed_url (const char  *url,
                                                GError     **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpEnrollment, tp_enrollment_free)

G_END_DECLS
