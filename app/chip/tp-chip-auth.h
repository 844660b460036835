/* tp-chip-auth.h: SecurityInfos (DG14, EF.CardAccess) and chip authentication
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * SecurityInfos (ICAO Doc 9303 Part 11 §9.2) is the SET OF SecurityInfo
 * that DG14 (wrapped in tag '6E') and EF.CardAccess carry: PACEInfo,
 * ChipAuthenticationInfo, ChipAuthenticationPublicKeyInfo and
 * ActiveAuthenticationInfo are read here, others are counted and skipped.
 *
 * Chip authentication version 1 (ICAO 9303-11 §6.2, BSI TR-03110 v1.11):
 * the terminal sends an ephemeral DH/ECDH public key on the chip's domain
 * parameters, with MSE:Set KAT (3DES) or MSE:Set AT and GENERAL
 * AUTHENTICATE (AES), both under the current secure messaging; both sides
 * derive KSenc/KSmac from the shared secret, and secure messaging
 * restarts with SSC 0. Only a chip that holds the private key of DG14 can
 * answer the next command with a valid MAC: that answer is the proof.
 */
#pragma once

#include <glib.h>
#include <openssl/evp.h>

#include "tp-apdu.h"
#include "tp-pace.h"
#include "tp-sm.h"

G_BEGIN_DECLS

#define TP_OID_PK_DH       "0.4.0.127.0.7.2.2.1.1"
#define TP_OID_PK_ECDH     "0.4.0.127.0.7.2.2.1.2"
#define TP_OID_AA_PROTOCOL "2.23.136.1.1.5"

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

TpChipAuthInfo *tp_chip_auth_info_new    (const char             *oid,
                                          gint                    version,
                                          gint64                  key_id,
                                          GError                **error);
void         tp_chip_auth_info_free      (TpChipAuthInfo         *info);
/* Takes a reference on @key. */
TpChipAuthPublicKey *tp_chip_auth_public_key_new (const char     *oid,
                                          EVP_PKEY               *key,
                                          gint64                  key_id);
void         tp_chip_auth_public_key_free (TpChipAuthPublicKey   *key);
/* The dotted id-CA-... OID for a key agreement and cipher. */
const char  *tp_chip_auth_oid            (gboolean                ecdh,
                                          TpSmCipher              cipher);

/* Picks a key and protocol to run: a ChipAuthenticationInfo of version 1
 * with a public key of the same kind and keyId, the strongest cipher
 * first. Without any
 * ChipAuthenticationInfo (early DG14s) the key goes with 3DES, as
 * TR-03110 v1.11 implies. FALSE (TP_CHIP_ERROR_UNSUPPORTED) when DG14
 * offers nothing this code can run. @info receives a new TpChipAuthInfo. */
gboolean     tp_chip_auth_choose         (const TpSecurityInfos  *infos,
                                          TpChipAuthInfo        **info,
                                          const TpChipAuthPublicKey **key,
                                          GError                **error);

/* Terminal side: runs chip authentication under *@sm (the BAC or PACE
 * session) and replaces *@sm with the new session. With @confirm, sends
 * a protected SELECT of EF.COM (00 A4 02 0C 011E) under the new keys:
 * any answer whose MAC verifies proves the chip genuine; anything else
 * fails with TP_CHIP_ERROR_AUTHENTICATION. Without @confirm the caller's
 * next command is the proof (tp_sm_get_verified_count() > 0). A chip
 * that refuses the key gives TP_CHIP_ERROR_AUTHENTICATION too. After a
 * failure the old session is gone: access control must run again. */
gboolean     tp_chip_auth_authenticate   (TpApduTransmitFunc      transmit,
                                          gpointer                user_data,
                                          TpSm                  **sm,
                                          const TpChipAuthInfo   *info,
                                          const TpChipAuthPublicKey *key,
                                          gboolean                confirm,
                                          GError                **error);

/* Chip side */
typedef struct _TpCaChip TpCaChip;

/* @private_key: the chip authentication key pair of DG14 (a reference is
 * taken); @info: the protocol it offers. */
TpCaChip    *tp_ca_chip_new              (EVP_PKEY               *private_key,
                                          const TpChipAuthInfo   *info);
void         tp_ca_chip_free             (TpCaChip               *chip);
/* TRUE for MSE:Set KAT (22 41 A6), MSE:Set AT for CA (22 41 A4), and
 * GENERAL AUTHENTICATE (86) after the latter. */
gboolean     tp_ca_chip_handles          (TpCaChip               *chip,
                                          const TpApdu           *command);
/* Answers those commands (unprotected by the caller from the current
 * session). On success *@sm receives the new session: protect THIS
 * response with the old session, then switch. Status words: 6A80
 * malformed or unusable public key, 6A88 unknown key id or protocol,
 * 6985 out of order. */
guint16      tp_ca_chip_process          (TpCaChip               *chip,
                                          const TpApdu           *command,
                                          GByteArray             *response,
                                          TpSm                  **sm);

/* Encoded public key as sent in DO'91'/'80': the uncompressed point for
 * EC, the public value (big-endian, padded to the modulus) for DH. */
GBytes      *tp_chip_auth_encode_public  (EVP_PKEY               *key,
                                          GError                **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpSecurityInfos, tp_security_infos_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpChipAuthInfo, tp_chip_auth_info_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpChipAuthPublicKey, tp_chip_auth_public_key_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpCaChip, tp_ca_chip_free)

G_END_DECLS
