/* tp-ldif.h: LDIF content records (RFC 2849), as the ICAO PKD distributes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The ICAO Public Key Directory publishes its contents as LDIF downloads:
 * master lists (attribute pkdMasterListContent), Document Signer and CSCA
 * certificates (userCertificate;binary, cACertificate;binary) and CRLs
 * (certificateRevocationList;binary), base64 after a double colon, lines
 * folded by a leading space. This parser reads content records only:
 *
 *   ldif-file  = ["version:" 1 SEP] *(comment / record / empty line)
 *   record     = "dn:" dn SEP 1*(attribute SEP)
 *   attribute  = description (":" text / "::" base64 / ":<" URL)
 *
 * Comments ('#' in the first column) and folded lines are handled, CRLF
 * too. A change record (changetype), a URL value, bad base64, an attribute
 * line before any dn, or a line without a colon is an error naming the line.
 * Values are bytes (text values are not checked for UTF-8).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * TpLdifAttribute:
 * @description: as written, options included ("userCertificate;binary")
 * @value: the value (decoded from base64 when given so)
 */
typedef struct {
  char   *description;
  GBytes *value;
} TpLdifAttribute;

/**
 * TpLdifEntry:
 * @dn: the distinguished name, as written (decoded from base64 when so)
 * @line: the line the record starts on (from 1)
 * @attributes: #TpLdifAttribute in file order
 */
typedef struct {
  char      *dn;
  guint      line;
  GPtrArray *attributes;
} TpLdifEntry;

/* The records of @data (TpLdifEntry), or NULL with TP_ERROR_INVALID_INPUT
 * naming the line. Files start with "version:", "dn:" or a comment: see
 * tp_ldif_looks_like(). */
GPtrArray   *tp_ldif_parse           (const guint8      *data,
                                      gsize              len,
                                      GError           **error);

/* Whether @data starts like an LDIF file (after comments and blank
 * lines, "version:" or "dn:", any case). */
gboolean     tp_ldif_looks_like      (const guint8      *data,
                                      gsize              len);

/* The base name of an attribute description, without options, matches
 * @name (case-insensitively): "userCertificate;binary" is
 * "usercertificate". */
gboolean     tp_ldif_attribute_is    (const TpLdifAttribute *attribute,
                                      const char        *name);

void         tp_ldif_entry_free      (TpLdifEntry       *entry);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpLdifEntry, tp_ldif_entry_free)

G_END_DECLS
