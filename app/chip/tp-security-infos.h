/* tp-security-infos.h: SecurityInfos, what DG14 and EF.CardAccess offer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * SecurityInfos (ICAO Doc 9303 Part 11 §9.2) is the SET OF SecurityInfo
 * that DG14 (wrapped in tag '6E') and EF.CardAccess carry: PACEInfo,
 * ChipAuthenticationInfo, ChipAuthenticationPublicKeyInfo and
 * ActiveAuthenticationInfo are read here, others are counted and skipped.
 * The protocols that use them (tp-pace.h, tp-chip-auth.h,
 * tp-active-auth.h) sit on top of this file, not on each other.
 */
#pragma once

#include <glib.h>
#include <openssl/evp.h>

#include "tp-sm.h"

G_BEGIN_DECLS

#define TP_OID_PK_DH       "0.4.0.127.0.7.2.2.1.1"
#define TP_OID_PK_ECDH     "0.4.0.127.0.7.2.2.1.2"
#define TP_OID_AA_PROTOCOL "2.23.136.1.1.5"

typedef enum {
  TP_PACE_MAPPING_GM,
  TP_PACE_MAPPING_IM,
  TP_PACE_MAPPING_CAM,
} TpPaceMapping;

/**
 * TpPaceInfo:
 * @oid: the protocol OID, dotted (0.4.0.127.0.7.2.2.4.2.2)
 * @mapping: generic, integrated or chip authentication mapping
 * @ecdh: ECDH rather than DH
 * @cipher: the secure messaging cipher the OID names
 * @version: PACEInfo version (2)
 * @parameter_id: standardized domain parameter identifier, -1 if absent
 *
 * One PACEInfo of EF.CardAccess.
 */
typedef struct {
  char          *oid;
  TpPaceMapping  mapping;
  gboolean       ecdh;
  TpSmCipher     cipher;
  gint           version;
  gint           parameter_id;
} TpPaceInfo;

/**
 * TpChipAuthInfo:
 * @oid: id-CA-DH-3DES-CBC-CBC ... id-CA-ECDH-AES-CBC-CMAC-256, dotted
 * @ecdh: ECDH rather than DH
 * @cipher: secure messaging cipher after chip authentication
 * @version: 1 (ICAO); 2 is the EAC v2 protocol, not handled here
 * @key_id: keyId, -1 if absent
 */
typedef struct {
  char       *oid;
  gboolean    ecdh;
  TpSmCipher  cipher;
  gint        version;
  gint64      key_id;
} TpChipAuthInfo;

/**
 * TpChipAuthPublicKey:
 * @oid: id-PK-DH or id-PK-ECDH
 * @key: the chip's static public key with its domain parameters
 * @key_id: keyId, -1 if absent
 */
typedef struct {
  char     *oid;
  EVP_PKEY *key;
  gint64    key_id;
} TpChipAuthPublicKey;

/**
 * TpSecurityInfos:
 * @pace_infos: #TpPaceInfo
 * @ca_infos: #TpChipAuthInfo
 * @ca_public_keys: #TpChipAuthPublicKey
 * @aa_signature_oid: ActiveAuthenticationInfo signatureAlgorithm, dotted
 *   (NULL without ActiveAuthenticationInfo)
 * @n_other: SecurityInfos of other protocols (TA, PACE domain parameters,
 *   unknown OIDs), skipped
 */
typedef struct {
  GPtrArray *pace_infos;
  GPtrArray *ca_infos;
  GPtrArray *ca_public_keys;
  char      *aa_signature_oid;
  guint      n_other;
} TpSecurityInfos;

/* The content octets of a dotted OID (what DO'80' of MSE:Set AT
 * carries), and back. */
GBytes      *tp_oid_encode               (const char             *dotted,
                                          GError                **error);
char        *tp_oid_decode               (const guint8           *content,
                                          gsize                   len,
                                          GError                **error);

/* Parses DG14 ('6E' wrapper) or a bare SecurityInfos SET (EF.CardAccess).
 * A SecurityInfo of a known protocol that is malformed is an error
 * (TP_CHIP_ERROR_PROTOCOL naming it), as is anything that is not a SET of
 * SEQUENCEs. */
TpSecurityInfos *tp_security_infos_parse (const guint8           *data,
                                          gsize                   len,
                                          GError                **error);
TpSecurityInfos *tp_security_infos_new   (void);
void         tp_security_infos_free      (TpSecurityInfos        *infos);
/* The DER SET OF SecurityInfo (wrap in '6E' for DG14). Public keys are
 * written as X.509 SubjectPublicKeyInfo. */
GBytes      *tp_security_infos_encode    (const TpSecurityInfos  *infos,
                                          GError                **error);

/* ---- PACEInfo ---- */

/* From a protocol OID; fails with TP_CHIP_ERROR_UNSUPPORTED when @oid is
 * not a PACE protocol. */
TpPaceInfo  *tp_pace_info_new            (const char          *oid,
                                          gint                 version,
                                          gint                 parameter_id,
                                          GError             **error);
/* From its parts (for the chip side and tests). */
TpPaceInfo  *tp_pace_info_new_for        (TpPaceMapping        mapping,
                                          gboolean             ecdh,
                                          TpSmCipher           cipher,
                                          gint                 parameter_id);
TpPaceInfo  *tp_pace_info_copy           (const TpPaceInfo    *info);
void         tp_pace_info_free           (TpPaceInfo          *info);
/* "ECDH-GM, AES-128, brainpoolP256r1 (13)" */
char        *tp_pace_info_describe       (const TpPaceInfo    *info);
/* "GM", "IM", "CAM" */
const char  *tp_pace_mapping_to_string   (TpPaceMapping        mapping);
/* "brainpoolP256r1", "DH 1024/160"..., or NULL for an unknown id */
const char  *tp_pace_parameter_name      (gint                 parameter_id);

/* ---- ChipAuthenticationInfo and its public key ---- */

TpChipAuthInfo *tp_chip_auth_info_new    (const char             *oid,
                                          gint                    version,
                                          gint64                  key_id,
                                          GError                **error);
TpChipAuthInfo *tp_chip_auth_info_copy   (const TpChipAuthInfo   *info);
void         tp_chip_auth_info_free      (TpChipAuthInfo         *info);
/* Takes a reference on @key. */
TpChipAuthPublicKey *tp_chip_auth_public_key_new (const char     *oid,
                                          EVP_PKEY               *key,
                                          gint64                  key_id);
void         tp_chip_auth_public_key_free (TpChipAuthPublicKey   *key);
/* The dotted id-CA-... OID for a key agreement and cipher. */
const char  *tp_chip_auth_oid            (gboolean                ecdh,
                                          TpSmCipher              cipher);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpPaceInfo, tp_pace_info_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpSecurityInfos, tp_security_infos_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpChipAuthInfo, tp_chip_auth_info_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpChipAuthPublicKey, tp_chip_auth_public_key_free)

G_END_DECLS
