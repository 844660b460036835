/* tp-hub-pki.h: the hub's private CA for mutual TLS
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One CA (ECDSA P-256) signs the hub's TLS certificate and every client
 * certificate (agencies, terminals). Keys and certificates travel as PEM.
 * A certificate's serial number (random, 128 bits, hex) names it in the
 * hub's registry and in revocations.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  TP_HUB_CERT_SERVER,
  TP_HUB_CERT_CLIENT,
} TpHubCertUsage;

typedef struct {
  TpHubCertUsage  usage;
  const char     *common_name;
  const char     *unit;          /* OU: "agency", "terminal", "hub"; or NULL */
  const char     *locality;      /* L: the airport; or NULL */
  const char    **dns_names;     /* server: subjectAltName DNS entries */
  const char    **ip_addresses;  /* server: subjectAltName IP entries */
  guint           days;
} TpHubCertRequest;

gboolean  tp_hub_pki_create_ca      (const char              *name,
                                     char                   **cert_pem,
                                     char                   **key_pem,
                                     GError                 **error);
gboolean  tp_hub_pki_issue          (const char              *ca_cert_pem,
                                     const char              *ca_key_pem,
                                     const TpHubCertRequest  *request,
                                     char                   **cert_pem,
                                     char                   **key_pem,
                                     char                   **serial_hex,
                                     GError                 **error);
/* The serial number (lower-case hex) of a DER certificate. */
char     *tp_hub_pki_serial_of_der  (const guint8            *der,
                                     gsize                    length);

G_END_DECLS
