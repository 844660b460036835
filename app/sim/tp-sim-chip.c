/* tp-sim-chip.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The card operating system of the software chip. Documents come from the
 * test PKI (tp-test-pki.h) and are built once per process for each
 * profile and document-changing quirk; chips share them read-only.
 */
#include "config.h"

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <stdlib.h>
#include <string.h>

#include "tp-active-auth.h"
#include "tp-apdu.h"
#include "tp-bac.h"
#include "tp-chip-auth.h"
#include "tp-chip-error.h"
#include "tp-lds.h"
#include "tp-mrz.h"
#include "tp-name.h"
#include "tp-pace.h"
#include "tp-sim-chip.h"
#include "tp-sm.h"
#include "tp-test-document.h"
#include "tp-test-rogue.h"

#define FID_MF        0x3F00
#define FID_ATR_INFO  0x2F01
#define SFI_ATR_INFO  0x01

/* The chip's own limit for an extended-length response (data + SW). */
#define SIM_MAX_EXTENDED_RESPONSE  0xFFFF
#define SIM_MAX_EXTENDED_COMMAND   0x0FFF

static const guint8 emrtd_aid[] = { 0xA0, 0x00, 0x00, 0x02, 0x47, 0x10, 0x01 };

typedef enum {
  ACCESS_BAC  = 1 << 0,
  ACCESS_PACE = 1 << 1,
} AccessFlags;

typedef struct {
  const char    *name;
  const char    *summary;
  AccessFlags    access;
  gint           pace_parameter_id;
  TpPaceMapping  pace_mapping;
  TpSmCipher     pace_cipher;
  TpTestKeyType  signer_key;
  gboolean       rsa_pss;
  const char    *digest;
  TpTestKeyType  chip_auth_key;
  TpSmCipher     chip_auth_cipher;
  TpTestKeyType  active_auth_key;
  gboolean       dg11_dg12;
  TpFaceFormat   face_format;
} Profile;

static const Profile profiles[] = {
  { "bac-3des", "BAC and 3DES secure messaging only (an older passport)",
    ACCESS_BAC, -1, TP_PACE_MAPPING_GM, TP_SM_CIPHER_3DES,
    TP_TEST_KEY_RSA_2048, FALSE, "SHA256",
    TP_TEST_KEY_NONE, TP_SM_CIPHER_3DES, TP_TEST_KEY_NONE, FALSE, TP_FACE_FORMAT_JPEG },
  { "pace-ecdh-aes128", "PACE ECDH generic mapping, brainpoolP256r1, AES-128; chip authentication",
    ACCESS_BAC | ACCESS_PACE, 13, TP_PACE_MAPPING_GM, TP_SM_CIPHER_AES_128,
    TP_TEST_KEY_EC_P256, FALSE, "SHA256",
    TP_TEST_KEY_EC_P256, TP_SM_CIPHER_AES_128, TP_TEST_KEY_NONE, FALSE, TP_FACE_FORMAT_JP2 },
  { "pace-dh-3des", "PACE DH generic mapping (1024/160), 3DES; DH chip authentication (2048/224)",
    ACCESS_BAC | ACCESS_PACE, 0, TP_PACE_MAPPING_GM, TP_SM_CIPHER_3DES,
    TP_TEST_KEY_RSA_2048, FALSE, "SHA256",
    TP_TEST_KEY_DH_2048, TP_SM_CIPHER_3DES, TP_TEST_KEY_NONE, FALSE, TP_FACE_FORMAT_JP2 },
  { "pace-ecdh-aes256-p384", "PACE ECDH generic mapping, NIST P-384, AES-256; P-384 signer",
    ACCESS_BAC | ACCESS_PACE, 15, TP_PACE_MAPPING_GM, TP_SM_CIPHER_AES_256,
    TP_TEST_KEY_EC_P384, FALSE, "SHA384",
    TP_TEST_KEY_EC_P384, TP_SM_CIPHER_AES_256, TP_TEST_KEY_NONE, FALSE, TP_FACE_FORMAT_J2K },
  { "pace-ecdh-aes192-bp384", "PACE ECDH generic mapping, brainpoolP384r1, AES-192",
    ACCESS_BAC | ACCESS_PACE, 16, TP_PACE_MAPPING_GM, TP_SM_CIPHER_AES_192,
    TP_TEST_KEY_BRAINPOOL_P384, FALSE, "SHA384",
    TP_TEST_KEY_BRAINPOOL_P256, TP_SM_CIPHER_AES_192, TP_TEST_KEY_NONE, FALSE, TP_FACE_FORMAT_JP2 },
  { "pace-im", "PACE ECDH integrated mapping, brainpoolP256r1, AES-128",
    ACCESS_BAC | ACCESS_PACE, 13, TP_PACE_MAPPING_IM, TP_SM_CIPHER_AES_128,
    TP_TEST_KEY_EC_P256, FALSE, "SHA256",
    TP_TEST_KEY_NONE, TP_SM_CIPHER_AES_128, TP_TEST_KEY_NONE, FALSE, TP_FACE_FORMAT_JP2 },
  { "rsa-aa", "BAC, RSA-2048 active authentication, RSA-PSS signer",
    ACCESS_BAC, -1, TP_PACE_MAPPING_GM, TP_SM_CIPHER_3DES,
    TP_TEST_KEY_RSA_2048, TRUE, "SHA256",
    TP_TEST_KEY_NONE, TP_SM_CIPHER_3DES, TP_TEST_KEY_RSA_2048, FALSE, TP_FACE_FORMAT_JPEG },
  { "ecdsa-aa", "BAC, ECDSA P-256 active authentication",
    ACCESS_BAC, -1, TP_PACE_MAPPING_GM, TP_SM_CIPHER_3DES,
    TP_TEST_KEY_EC_P256, FALSE, "SHA256",
    TP_TEST_KEY_NONE, TP_SM_CIPHER_3DES, TP_TEST_KEY_EC_P256, FALSE, TP_FACE_FORMAT_JP2 },
  { "ca-ecdh", "BAC, ECDH chip authentication with 3DES (MSE:Set KAT)",
    ACCESS_BAC, -1, TP_PACE_MAPPING_GM, TP_SM_CIPHER_3DES,
    TP_TEST_KEY_BRAINPOOL_P256, FALSE, "SHA256",
    TP_TEST_KEY_BRAINPOOL_P256, TP_SM_CIPHER_3DES, TP_TEST_KEY_NONE, FALSE, TP_FACE_FORMAT_JP2 },
  { "full", "PACE AES-128, chip and RSA active authentication, DG11 and DG12",
    ACCESS_BAC | ACCESS_PACE, 13, TP_PACE_MAPPING_GM, TP_SM_CIPHER_AES_128,
    TP_TEST_KEY_EC_P256, FALSE, "SHA256",
    TP_TEST_KEY_EC_P256, TP_SM_CIPHER_AES_128, TP_TEST_KEY_RSA_2048, TRUE, TP_FACE_FORMAT_JP2 },
  { "pace-ca-aa", "PACE AES-128, chip authentication and ECDSA active authentication",
    ACCESS_BAC | ACCESS_PACE, 13, TP_PACE_MAPPING_GM, TP_SM_CIPHER_AES_128,
    TP_TEST_KEY_EC_P256, FALSE, "SHA256",
    TP_TEST_KEY_EC_P256, TP_SM_CIPHER_AES_128, TP_TEST_KEY_EC_P256, FALSE, TP_FACE_FORMAT_JP2 },
};


static const TpSimChipInfo quirk_infos[] = {
  { "no-extended", "no extended-length APDUs (answers 6700 to them)" },
  { "max-le=N", "refuses READ BINARY with Le above N with 6700" },
  { "6cxx", "answers 6Cxx (the Le to use) instead of 6700 to a too large Le (max-le=223 unless given)" },
  { "no-sfi[=SW]", "refuses READ BINARY by short EF identifier with SW (6A86 unless given; "
                   "6986, 6A82, 6D00, 6E00): files must be selected" },
  { "plain-sw=SW", "the plain status word after every protected answer is SW, whatever the "
                   "authenticated one in DO'99' says" },
  { "select-0000", "answers SELECT of a file with status 0000, which no standard defines" },
  { "eof-9000", "answers 9000 instead of 6282 when a read passes the end of a file" },
  { "drop-field[=N]", "leaves the field in the middle of DG2, once (or N times)" },
  { "garbage", "answers random bytes once access control is done" },
  { "lying-length", "DG2 declares 4096 more bytes than it holds (signed that way)" },
  { "overlong", "returns 16 bytes more than Le asked for" },
  { "clone", "chip and active authentication keys do not match DG14 and DG15" },
  { "tampered[=DGn]", "a data group (DG2 unless named) changed after EF.SOD was signed" },
  { "missing=DGn", "a data group listed in EF.COM and EF.SOD that the chip does not hold (6A82)" },
  { "other-dg1[=signed]", "DG1 (and DG11) of another, unlisted person after EF.SOD was signed; "
                          "=signed: EF.SOD signed over them, a genuine chip that disagrees with the print" },
  { "holder=SURNAME/GIVEN/DOCNO/NAT/YYMMDD/SEX/YYMMDD[/PERSONALNO]",
    "a genuine document (issued by UTO) of another holder (names with diacritics, birth and "
    "expiry dates): the demo's travellers" },
  { "unknown-csca", "EF.SOD signed under a CSCA that is in no trust store" },
  { "impostor-csca", "EF.SOD signed under a CSCA with the real name and another key" },
  { "expired-ds", "EF.SOD signed by an expired Document Signer" },
  { "revoked-ds", "EF.SOD signed by a revoked Document Signer (on the CSCA's CRL)" },
  { "no-ds-certificate", "EF.SOD without the Document Signer certificate" },
  { "no-bac", "PACE only: GET CHALLENGE and EXTERNAL AUTHENTICATE unsupported" },
  { "slow=MS", "waits MS milliseconds before each answer" },
  { "dg2-size=N", "a DG2 face image of about N bytes (default 20000): above 32 KB, reads need B1" },
  { "no-chaining", "no response chaining: answers 6700 when an answer does not fit a short response "
    "(a 2048-bit active authentication signature under secure messaging)" },
  { "com-omits=DGn", "EF.COM leaves out a data group the chip holds and EF.SOD lists (repeatable)" },
  { "signer=KIND", "EF.SOD signed by what is not a Document Signer of this document's state: csca, "
    "cert-sign-only, tls, master-list-signer (profiles), weak-rsa, weak-ec (RSA-1024, P-192), "
    "germany (CSCA C=DE), rogue-csca (in no trust store)" },
  { "germany", "a German passport (issuing state D) signed under the test CSCA of Germany (C=DE)" },
  { "sha1", "EF.SOD hashes and signature with SHA-1" },
  { "pace-fails", "PACE's GENERAL AUTHENTICATE answered 6A80; BAC works (a downgrade)" },
};

typedef struct {
  gboolean          no_extended;
  guint             max_le;          /* 0: none */
  gboolean          answer_6cxx;
  guint16           no_sfi;          /* 0: SFI reads work; else the refusal */
  guint16           plain_sw;        /* 0: the status of DO'99' */
  gboolean          select_0000;
  gboolean          eof_9000;
  guint             drop_field;      /* times */
  gboolean          garbage;
  gboolean          lying_length;
  gboolean          overlong;
  gboolean          clone;
  guint             tampered_dg;     /* 0: none */
  guint             missing_dg;      /* 0: none */
  guint             other_dg1;       /* 0: none, 1: unsigned, 2: signed */
  char             *holder;          /* NULL: Nguyễn Văn An */
  TpTestSignerKind  signer;
  gboolean          no_ds_certificate;
  gboolean          no_bac;
  guint             slow_ms;
  guint             dg2_size;        /* 0: the default */
  gboolean          no_chaining;
  guint32           com_omits;       /* 1 << DG number */
  TpTestRogueSigner rogue_signer;
  gboolean          germany;
  gboolean          sha1;
  gboolean          pace_fails;
} Quirks;

typedef struct {
  TpTestDocument  *document;
  char            *mrz_info;
  EVP_PKEY        *chip_auth_key;    /* what the chip holds (clone: another) */
  EVP_PKEY        *active_auth_key;
  TpChipAuthInfo  *chip_auth_info;
  char            *active_auth_digest;  /* DG14 ActiveAuthenticationInfo, or NULL */
  GPtrArray       *pace_infos;
  GBytes          *atr_info;         /* EF.ATR/INFO, NULL without extended length */
} SimDocument;

struct _TpSimChip
{
  char            *spec;
  const Profile   *profile;
  Quirks           quirks;
  SimDocument     *doc;

  GBytes          *uid;
  GBytes          *ats;
  GBytes          *atr;

  /* Power-cycle state */
  gboolean         app_selected;
  guint16          current_fid;      /* 0: no EF selected */
  TpSm            *sm;
  gboolean         access_granted;
  TpBacChip       *bac;
  TpPaceChip      *pace;
  TpCaChip        *ca;
  gboolean         field_lost;

  guint            drops_left;
  guint            apdu_count;
  guint            sfi_refusals;
  GByteArray      *pending;          /* rest of a chained answer (61xx), or NULL */
  GHashTable      *overrides;        /* fid → GBytes (or a removed file), NULL */
};

/* The value an override holds for a removed file */
static int removed_marker;
#define REMOVED ((gpointer) &removed_marker)

/* ---- documents -------------------------------------------------------- */

G_LOCK_DEFINE_STATIC (documents);
static GHashTable *documents;   /* key → SimDocument, kept for the process */

/* "DG1" … "DG16" */
static gboolean
parse_dg (const char *value,
          guint      *dg)
{
  guint64 number;

  if (g_ascii_strncasecmp (value, "DG", 2) != 0 ||
      !g_ascii_string_to_unsigned (value + 2, 10, 1, 16, &number, NULL))
    return FALSE;
  *dg = (guint) number;
  return TRUE;
}

static gboolean
parse_quirks (const char  *text,
              Quirks      *q,
              GError     **error)
{
  g_auto(GStrv) items = g_strsplit (text, ",", -1);

  for (guint i = 0; items[i]; i++)
    {
      const char *item = g_strstrip (items[i]);
      const char *eq = strchr (item, '=');
      g_autofree char *name = eq ? g_strndup (item, (gsize) (eq - item)) : g_strdup (item);
      const char *value = eq ? eq + 1 : NULL;
      guint64 number = 0;
      /* status words are written in hexadecimal */
      gboolean hex = g_str_equal (name, "no-sfi") || g_str_equal (name, "plain-sw");

      if (*name == '\0')
        continue;
      if (value != NULL && !g_str_equal (name, "tampered") && !g_str_equal (name, "missing") &&
          !g_str_equal (name, "other-dg1") && !g_str_equal (name, "holder") &&
          !g_str_equal (name, "com-omits") && !g_str_equal (name, "signer") &&
          !g_ascii_string_to_unsigned (value, hex ? 16 : 10, 0, hex ? 0xFFFF : 65536, &number, NULL))
        goto bad_value;

      if (g_str_equal (name, "no-extended"))
        q->no_extended = TRUE;
      else if (g_str_equal (name, "max-le") && value && number >= 1 && number <= 65536)
        q->max_le = (guint) number;
      else if (g_str_equal (name, "6cxx"))
        q->answer_6cxx = TRUE;
      else if (g_str_equal (name, "no-sfi"))
        {
          q->no_sfi = value ? (guint16) number : TP_SW_WRONG_P1P2;
          if (q->no_sfi != 0x6986 && q->no_sfi != TP_SW_FILE_NOT_FOUND &&
              q->no_sfi != TP_SW_WRONG_P1P2 && q->no_sfi != TP_SW_INS_NOT_SUPPORTED &&
              q->no_sfi != TP_SW_CLA_NOT_SUPPORTED)
            goto bad_value;
        }
      else if (g_str_equal (name, "plain-sw") && value)
        {
          /* 61xx would send the terminal after a GET RESPONSE */
          q->plain_sw = (guint16) number;
          if (TP_SW1 (q->plain_sw) < 0x62 || TP_SW1 (q->plain_sw) == 0x6C ||
              (TP_SW1 (q->plain_sw) > 0x6F && TP_SW1 (q->plain_sw) != 0x90))
            goto bad_value;
        }
      else if (g_str_equal (name, "select-0000"))
        q->select_0000 = TRUE;
      else if (g_str_equal (name, "eof-9000"))
        q->eof_9000 = TRUE;
      else if (g_str_equal (name, "drop-field"))
        q->drop_field = value ? (guint) number : 1;
      else if (g_str_equal (name, "garbage"))
        q->garbage = TRUE;
      else if (g_str_equal (name, "lying-length"))
        q->lying_length = TRUE;
      else if (g_str_equal (name, "overlong"))
        q->overlong = TRUE;
      else if (g_str_equal (name, "clone"))
        q->clone = TRUE;
      else if (g_str_equal (name, "tampered"))
        {
          q->tampered_dg = 2;
          if (value != NULL && !parse_dg (value, &q->tampered_dg))
            goto bad_value;
        }
      else if (g_str_equal (name, "missing"))
        {
          if (value == NULL || !parse_dg (value, &q->missing_dg))
            goto bad_value;
        }
      else if (g_str_equal (name, "other-dg1"))
        {
          if (value != NULL && !g_str_equal (value, "signed"))
            goto bad_value;
          q->other_dg1 = value != NULL ? 2 : 1;
        }
      else if (g_str_equal (name, "holder"))
        {
          g_auto(GStrv) fields = value != NULL ? g_strsplit (value, "/", -1) : NULL;
          guint n = fields != NULL ? g_strv_length (fields) : 0;

          if (n < 7 || n > 8 || strlen (fields[4]) != 6 || strlen (fields[6]) != 6 ||
              strlen (fields[5]) != 1 || strlen (fields[3]) != 3)
            goto bad_value;
          g_free (q->holder);
          q->holder = g_strdup (value);
        }
      else if (g_str_equal (name, "com-omits"))
        {
          guint dg = 0;

          if (value == NULL || !parse_dg (value, &dg))
            goto bad_value;
          q->com_omits |= 1u << dg;
        }
      else if (g_str_equal (name, "no-chaining"))
        q->no_chaining = TRUE;
      else if (g_str_equal (name, "signer"))
        {
          if (value == NULL || !tp_test_rogue_signer_from_string (value, &q->rogue_signer))
            goto bad_value;
        }
      else if (g_str_equal (name, "germany"))
        q->germany = TRUE;
      else if (g_str_equal (name, "sha1"))
        q->sha1 = TRUE;
      else if (g_str_equal (name, "pace-fails"))
        q->pace_fails = TRUE;
      else if (g_str_equal (name, "unknown-csca"))
        q->signer = TP_TEST_SIGNER_UNKNOWN_CSCA;
      else if (g_str_equal (name, "impostor-csca"))
        q->signer = TP_TEST_SIGNER_IMPOSTOR_CSCA;
      else if (g_str_equal (name, "expired-ds"))
        q->signer = TP_TEST_SIGNER_EXPIRED;
      else if (g_str_equal (name, "revoked-ds"))
        q->signer = TP_TEST_SIGNER_REVOKED;
      else if (g_str_equal (name, "no-ds-certificate"))
        q->no_ds_certificate = TRUE;
      else if (g_str_equal (name, "no-bac"))
        q->no_bac = TRUE;
      else if (g_str_equal (name, "slow") && value)
        q->slow_ms = (guint) MIN (number, 5000);
      else if (g_str_equal (name, "dg2-size") && value && number >= 1000 && number <= 65536)
        q->dg2_size = (guint) number;
      else
        {
          g_autoptr(GString) known = g_string_new (NULL);

          for (gsize k = 0; k < G_N_ELEMENTS (quirk_infos); k++)
            g_string_append_printf (known, "%s%s", k ? ", " : "", quirk_infos[k].name);
          g_set_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_INVALID_ARGUMENT,
                       "Unknown software chip quirk “%s”: expected one of %s", item, known->str);
          return FALSE;
        }
      continue;

    bad_value:
      g_set_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_INVALID_ARGUMENT,
                   "Software chip quirk “%s” has a bad value “%s”", name, value ? value : "");
      return FALSE;
    }

  if (q->answer_6cxx && q->max_le == 0)
    q->max_le = 223;
  return TRUE;
}

/* A key pair of the same type as @key, that is not it (clone quirk). */
static EVP_PKEY *
other_key_like (EVP_PKEY    *key,
                const char  *label,
                GError     **error)
{
  TpTestKeyType type = TP_TEST_KEY_NONE;

  switch (EVP_PKEY_get_base_id (key))
    {
    case EVP_PKEY_RSA:
      type = TP_TEST_KEY_RSA_2048;
      break;
    case EVP_PKEY_DH:
    case EVP_PKEY_DHX:
      type = TP_TEST_KEY_DH_2048;
      break;
    case EVP_PKEY_EC:
      {
        char group[64] = "";

        EVP_PKEY_get_utf8_string_param (key, "group", group, sizeof group, NULL);
        if (g_str_equal (group, "secp384r1"))
          type = TP_TEST_KEY_EC_P384;
        else if (g_str_equal (group, "secp521r1"))
          type = TP_TEST_KEY_EC_P521;
        else if (g_str_equal (group, "brainpoolP256r1"))
          type = TP_TEST_KEY_BRAINPOOL_P256;
        else if (g_str_equal (group, "brainpoolP384r1"))
          type = TP_TEST_KEY_BRAINPOOL_P384;
        else
          type = TP_TEST_KEY_EC_P256;
      }
      break;
    default:
      break;
    }

  if (type == TP_TEST_KEY_NONE)
    {
      g_set_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_UNSUPPORTED,
                   "No clone key for this key type");
      return NULL;
    }
  return tp_test_key_derive (type, "touchpoint-sim-clone", label, error);
}

/* Another reference to a key pair of the test document (keys are not
 * modified once made). Not EVP_PKEY_dup(): libeac's own EVP_PKEY_dup()
 * takes the place of libcrypto's when libeac comes first in the link, and
 * it drops the private and public values of a DH key. */
static EVP_PKEY *
share_key (EVP_PKEY *key)
{
  EVP_PKEY_up_ref (key);
  return key;
}

/* ISO/IEC 7816-4 extended length information, 7F66 */
static GBytes *
build_atr_info (void)
{
  const guint8 info[] = {
    0x7F, 0x66, 0x08,
    0x02, 0x02, SIM_MAX_EXTENDED_COMMAND >> 8, SIM_MAX_EXTENDED_COMMAND & 0xFF,
    0x02, 0x02, SIM_MAX_EXTENDED_RESPONSE >> 8, SIM_MAX_EXTENDED_RESPONSE & 0xFF,
  };

  return g_bytes_new (info, sizeof info);
}

/* DG2 with a length field that claims 4096 more bytes than there are. */
static GBytes *
lie_about_length (GBytes *dg)
{
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (dg, &len);
  g_autoptr(GByteArray) out = g_byte_array_new ();
  gsize value_len, hdr;
  guint8 head[4];

  if (len < 4 || data[1] < 0x81 || data[1] > 0x82)
    return g_bytes_ref (dg);
  hdr = data[1] == 0x81 ? 3 : 4;
  value_len = data[1] == 0x81 ? data[2] : ((gsize) data[2] << 8 | data[3]);
  value_len += 4096;
  head[0] = data[0];
  head[1] = 0x82;
  head[2] = (guint8) (value_len >> 8);
  head[3] = (guint8) value_len;
  g_byte_array_append (out, head, 4);
  g_byte_array_append (out, data + hdr, (guint) (len - hdr));
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

static void
sim_document_free (SimDocument *doc)
{
  if (doc == NULL)
    return;
  g_clear_pointer (&doc->document, tp_test_document_free);
  g_free (doc->mrz_info);
  g_clear_pointer (&doc->chip_auth_key, EVP_PKEY_free);
  g_clear_pointer (&doc->active_auth_key, EVP_PKEY_free);
  g_clear_pointer (&doc->chip_auth_info, tp_chip_auth_info_free);
  g_free (doc->active_auth_digest);
  g_clear_pointer (&doc->pace_infos, g_ptr_array_unref);
  g_clear_pointer (&doc->atr_info, g_bytes_unref);
  g_free (doc);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SimDocument, sim_document_free)

/* The other-dg1 quirk: DG1 (and DG11 when there is one) of Đỗ Thị Lan,
 * on no list, in a chip whose printed page stays Nguyễn Văn An's. The
 * printed MRZ still opens the chip (BAC and PACE keys come from it). */
static gboolean
serve_other_holder (TpTestDocument               *document,
                    TpTestPki                    *pki,
                    const TpTestDocumentOptions  *options,
                    gboolean                      signed_over,
                    GError                      **error)
{
  g_autofree char *mrz = tp_test_mrz_td3 ("UTO", "DO", "THI LAN", "C7777777", "VNM", "900203", 'F',
                                          "340630", "001190077777");
  g_autoptr(GBytes) dg1 = tp_test_build_dg1 (mrz);

  tp_lds_files_set (document->files, TP_LDS_FID_DG1, dg1);
  if (tp_lds_files_get (document->files, TP_LDS_FID_DG11) != NULL)
    {
      TpLdsDg11 f = { 0 };
      g_autoptr(GBytes) dg11 = NULL;

      f.full_name = (char *) "ĐỖ<<THỊ<LAN";
      f.personal_number = (char *) "001190077777";
      f.birth_date = (char *) "19900203";
      dg11 = tp_test_build_dg11 (&f);
      tp_lds_files_set (document->files, TP_LDS_FID_DG11, dg11);
    }
  return !signed_over || tp_test_document_resign (document, pki, options, error);
}

/* The holder quirk: the printed MRZ (and so DG1 and the access keys) of
 * SURNAME/GIVEN/DOCNO/NAT/BIRTH/SEX/EXPIRY[/PERSONALNO]. Issued by UTO,
 * as every document of the test PKI: its CSCAs are Utopia's (C=UT), and
 * passive authentication checks the signer's country against the issuing
 * state. */
static char *
holder_mrz (const char *holder)
{
  g_auto(GStrv) f = g_strsplit (holder, "/", -1);
  g_autofree char *primary = tp_name_fold (f[0]);
  g_autofree char *secondary = tp_name_fold (f[1]);

  return tp_test_mrz_td3 ("UTO", primary, secondary, f[2], f[3], f[4], f[5][0], f[6],
                          f[7] != NULL && f[7][0] != '\0' ? f[7] : NULL);
}

/* ... and its DG11, names with their diacritics, signed over. */
static gboolean
serve_holder_dg11 (TpTestDocument               *document,
                   TpTestPki                    *pki,
                   const TpTestDocumentOptions  *options,
                   const char                   *holder,
                   GError                      **error)
{
  g_auto(GStrv) f = g_strsplit (holder, "/", -1);
  g_autofree char *primary = tp_name_accented (f[0]);
  g_autofree char *secondary = tp_name_accented (f[1]);
  g_autofree char *full_name = NULL;
  g_autofree char *birth = NULL;
  g_autoptr(TpMrz) mrz = tp_mrz_parse (document->mrz, NULL, error);
  TpLdsDg11 dg11 = { 0 };
  g_autoptr(GBytes) bytes = NULL;

  if (mrz == NULL)
    return FALSE;
  if (tp_lds_files_get (document->files, TP_LDS_FID_DG11) == NULL)
    return TRUE;
  g_strdelimit (secondary, " ", '<');
  full_name = g_strconcat (primary, "<<", secondary, NULL);
  birth = g_strdup_printf ("%04u%02u%02u", mrz->birth_date.year, mrz->birth_date.month, mrz->birth_date.day);
  dg11.full_name = full_name;
  dg11.personal_number = f[7] != NULL && f[7][0] != '\0' ? f[7] : NULL;
  dg11.birth_date = birth;
  bytes = tp_test_build_dg11 (&dg11);
  tp_lds_files_set (document->files, TP_LDS_FID_DG11, bytes);
  return tp_test_document_resign (document, pki, options, error);
}

static SimDocument *
sim_document_build (const Profile  *profile,
                    const Quirks   *q,
                    GError        **error)
{
  g_autoptr(SimDocument) doc = g_new0 (SimDocument, 1);
  g_autofree char *holder_mrz_text = NULL;
  TpTestDocumentOptions options;
  TpTestPki *pki = tp_test_pki_get_default ();
  TpLdsFiles *files;
  g_autoptr(TpMrz) mrz = NULL;
  GBytes *card_access;

  tp_test_document_options_init (&options);
  options.signer_key = profile->signer_key;
  options.signer = q->signer;
  options.rsa_pss = profile->rsa_pss;
  options.digest = profile->digest;
  options.face_format = profile->face_format;
  options.face_bytes = q->dg2_size ? q->dg2_size : 20000;
  options.dg11 = profile->dg11_dg12;
  options.dg12 = profile->dg11_dg12;
  options.chip_auth_key = profile->chip_auth_key;
  options.chip_auth_cipher = profile->chip_auth_cipher;
  options.active_auth_key = profile->active_auth_key;
  options.pace_parameter_id = (profile->access & ACCESS_PACE) ? profile->pace_parameter_id : -1;
  options.pace_mapping = profile->pace_mapping;
  options.pace_cipher = profile->pace_cipher;
  options.omit_ds_certificate = q->no_ds_certificate;
  options.seed_label = profile->name;
  if (q->holder != NULL)
    options.mrz = holder_mrz_text = holder_mrz (q->holder);
  else if (q->germany)
    options.mrz = holder_mrz_text = tp_test_rogue_german_mrz ();
  if (q->sha1)
    options.digest = "SHA1";

  doc->document = tp_test_pki_make_document (pki, &options, error);
  if (doc->document == NULL)
    return NULL;
  if (q->holder != NULL && !serve_holder_dg11 (doc->document, pki, &options, q->holder, error))
    return NULL;
  files = doc->document->files;

  if (q->lying_length && tp_lds_files_get (files, TP_LDS_FID_DG2) != NULL)
    {
      g_autoptr(GBytes) lying = lie_about_length (tp_lds_files_get (files, TP_LDS_FID_DG2));

      tp_lds_files_set (files, TP_LDS_FID_DG2, lying);
      if (!tp_test_document_resign (doc->document, pki, &options, error))
        return NULL;
    }

  if (q->other_dg1 != 0 && !serve_other_holder (doc->document, pki, &options, q->other_dg1 == 2, error))
    return NULL;

  /* Signed again by another signer, before anything changes after signing */
  if ((q->rogue_signer != TP_TEST_ROGUE_SIGNER_NONE || q->germany) &&
      !tp_test_rogue_sign_document (doc->document,
                                    q->rogue_signer != TP_TEST_ROGUE_SIGNER_NONE
                                    ? q->rogue_signer : TP_TEST_ROGUE_SIGNER_GERMANY,
                                    options.digest, error))
    return NULL;

  if (q->tampered_dg != 0)
    {
      guint16 fid = tp_lds_dg_fid (q->tampered_dg);
      GBytes *dg = tp_lds_files_get (files, fid);

      if (dg != NULL)
        {
          gsize len = 0;
          guint8 *copy = g_memdup2 (g_bytes_get_data (dg, &len), g_bytes_get_size (dg));
          g_autoptr(GBytes) changed = NULL;

          /* One bit, far from the header: the file still parses. */
          copy[len - 1 - (len > 64 ? 16 : 0)] ^= 0x01;
          changed = g_bytes_new_take (copy, len);
          tp_lds_files_set (files, fid, changed);
        }
    }

  if (q->com_omits != 0)
    {
      /* EF.COM is signed by nobody: a clone may leave out what it likes. */
      g_autoptr(GArray) dgs = g_array_new (FALSE, FALSE, sizeof (guint));
      g_autoptr(GBytes) com = NULL;

      for (guint dg = 1; dg <= 16; dg++)
        if (tp_lds_files_get (files, tp_lds_dg_fid (dg)) != NULL && !(q->com_omits & (1u << dg)))
          g_array_append_val (dgs, dg);
      com = tp_test_build_com ("0107", "040000", &g_array_index (dgs, guint, 0), dgs->len);
      tp_lds_files_set (files, TP_LDS_FID_COM, com);
    }

  mrz = tp_mrz_parse (doc->document->mrz, NULL, error);
  if (mrz == NULL)
    return NULL;
  doc->mrz_info = g_strdup (tp_mrz_get_mrz_information (mrz));

  card_access = tp_lds_files_get (files, TP_LDS_FID_CARD_ACCESS);
  if (card_access != NULL)
    {
      doc->pace_infos = tp_pace_parse_card_access (g_bytes_get_data (card_access, NULL),
                                                   g_bytes_get_size (card_access), error);
      if (doc->pace_infos == NULL)
        return NULL;
    }

  if (doc->document->chip_auth_key != NULL)
    {
      GBytes *dg14 = tp_lds_files_get (files, TP_LDS_FID_DG14);
      g_autoptr(TpSecurityInfos) infos = NULL;
      const TpChipAuthPublicKey *public_key = NULL;

      infos = tp_security_infos_parse (g_bytes_get_data (dg14, NULL), g_bytes_get_size (dg14), error);
      if (infos == NULL ||
          !tp_chip_auth_choose (infos, &doc->chip_auth_info, &public_key, error))
        return NULL;
      if (infos->aa_signature_oid != NULL)
        doc->active_auth_digest = g_strdup (tp_active_auth_digest_for_oid (infos->aa_signature_oid));
      if (q->clone)
        doc->chip_auth_key = other_key_like (doc->document->chip_auth_key, "chip-authentication", error);
      else
        doc->chip_auth_key = share_key (doc->document->chip_auth_key);
      if (doc->chip_auth_key == NULL)
        return NULL;
    }

  if (doc->document->active_auth_key != NULL)
    {
      if (q->clone)
        doc->active_auth_key = other_key_like (doc->document->active_auth_key, "active-authentication", error);
      else
        doc->active_auth_key = share_key (doc->document->active_auth_key);
      if (doc->active_auth_key == NULL)
        return NULL;
    }

  if (!q->no_extended)
    doc->atr_info = build_atr_info ();

  return g_steal_pointer (&doc);
}

/* The document for a profile and the quirks that change it, built once. */
static SimDocument *
get_document (const Profile  *profile,
              const Quirks   *q,
              GError        **error)
{
  g_autofree char *key = NULL;
  SimDocument *doc;

  key = g_strdup_printf ("%s/%d/%u/%d/%d/%d/%d/%u/%u/%s/%x/%d/%d/%d", profile->name, q->signer, q->tampered_dg,
                         q->lying_length, q->clone, q->no_ds_certificate, q->no_extended,
                         q->dg2_size, q->other_dg1, q->holder ? q->holder : "", q->com_omits,
                         q->rogue_signer, q->germany, q->sha1);

  G_LOCK (documents);
  if (documents == NULL)
    documents = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify) sim_document_free);
  doc = g_hash_table_lookup (documents, key);
  if (doc == NULL)
    {
      doc = sim_document_build (profile, q, error);
      if (doc != NULL)
        g_hash_table_insert (documents, g_steal_pointer (&key), doc);
    }
  G_UNLOCK (documents);

  return doc;
}

/* ---- responses -------------------------------------------------------- */

static gboolean
is_app_file (guint16 fid)
{
  return fid == TP_LDS_FID_COM || fid == TP_LDS_FID_SOD ||
         (fid >= 0x0101 && fid <= 0x0110);
}

/* The file @fid as the chip stores it in the current DF, or NULL. */
static GBytes *
lookup_file (TpSimChip *chip,
             guint16    fid)
{
  if (chip->overrides != NULL &&
      g_hash_table_contains (chip->overrides, GUINT_TO_POINTER (fid)) &&
      (chip->app_selected ? is_app_file (fid) : fid == TP_LDS_FID_CARD_ACCESS))
    {
      gpointer data = g_hash_table_lookup (chip->overrides, GUINT_TO_POINTER (fid));

      return data == REMOVED ? NULL : data;
    }
  if (chip->app_selected && chip->quirks.missing_dg != 0 && fid == tp_lds_dg_fid (chip->quirks.missing_dg))
    return NULL;
  if (chip->app_selected)
    return is_app_file (fid) ? tp_lds_files_get (chip->doc->document->files, fid) : NULL;
  if (fid == TP_LDS_FID_CARD_ACCESS)
    return tp_lds_files_get (chip->doc->document->files, fid);
  if (fid == FID_ATR_INFO)
    return chip->doc->atr_info;
  return NULL;
}

static guint16
sfi_to_fid (TpSimChip *chip,
            guint8     sfi)
{
  if (!chip->app_selected)
    {
      if (sfi == 0x1C)
        return TP_LDS_FID_CARD_ACCESS;
      if (sfi == SFI_ATR_INFO)
        return FID_ATR_INFO;
      return 0;
    }
  if (sfi == 0x1E)
    return TP_LDS_FID_COM;
  if (sfi == 0x1D)
    return TP_LDS_FID_SOD;
  if (sfi >= 0x01 && sfi <= 0x10)
    return 0x0100 + sfi;
  return 0;
}

static void
end_session (TpSimChip *chip)
{
  g_clear_pointer (&chip->sm, tp_sm_free);
  chip->access_granted = FALSE;
}

static guint16
do_select (TpSimChip    *chip,
           const TpApdu *cmd,
           GByteArray   *out)
{
  const guint8 *data = cmd->data->data;
  gsize len = cmd->data->len;
  guint16 fid;
  GBytes *file;

  if (cmd->p2 != 0x0C && cmd->p2 != 0x00 && cmd->p2 != 0x04)
    return TP_SW_WRONG_P1P2;

  if (cmd->p1 == 0x04)
    {
      if (len == sizeof emrtd_aid && memcmp (data, emrtd_aid, len) == 0)
        {
          chip->app_selected = TRUE;
          chip->current_fid = 0;
          if (cmd->p2 != 0x0C)
            {
              const guint8 fci[] = { 0x6F, 0x09, 0x84, 0x07 };

              g_byte_array_append (out, fci, sizeof fci);
              g_byte_array_append (out, emrtd_aid, sizeof emrtd_aid);
            }
          return TP_SW_OK;
        }
      return TP_SW_FILE_NOT_FOUND;
    }

  if (cmd->p1 != 0x00 && cmd->p1 != 0x02)
    return TP_SW_WRONG_P1P2;
  if (len == 0 && cmd->p1 == 0x00)
    fid = FID_MF;
  else if (len == 2)
    fid = (guint16) (data[0] << 8 | data[1]);
  else
    return TP_SW_WRONG_DATA;

  if (chip->quirks.select_0000 && fid != FID_MF)
    return 0x0000;
  if (fid == FID_MF)
    {
      if (cmd->p1 != 0x00)
        return TP_SW_WRONG_P1P2;
      chip->app_selected = FALSE;
      chip->current_fid = 0;
      return TP_SW_OK;
    }

  file = lookup_file (chip, fid);
  if (file == NULL)
    return TP_SW_FILE_NOT_FOUND;
  chip->current_fid = fid;

  if (cmd->p2 != 0x0C)
    {
      gsize size = g_bytes_get_size (file);
      const guint8 fcp[] = {
        0x62, 0x0C,
        0x80, 0x02, (guint8) (size >> 8), (guint8) size,
        0x82, 0x01, 0x01,
        0x83, 0x02, (guint8) (fid >> 8), (guint8) fid,
      };

      g_byte_array_append (out, fcp, sizeof fcp);
    }
  return TP_SW_OK;
}

/* Largest plain response the chip can return for one command: a short
 * protected response must stay within 256 bytes once wrapped. */
static gsize
response_budget (TpSimChip *chip,
                 gboolean   extended)
{
  if (extended)
    return SIM_MAX_EXTENDED_RESPONSE - 32;
  if (chip->sm == NULL)
    return 256;
  return tp_sm_get_cipher (chip->sm) == TP_SM_CIPHER_3DES ? 231 : 223;
}

static guint16
do_read_binary (TpSimChip    *chip,
                const TpApdu *cmd,
                gboolean      extended,
                GByteArray   *out,
                gboolean     *drop)
{
  gboolean odd = cmd->ins == 0xB1;
  guint16 fid = chip->current_fid;
  gsize offset, size, avail, want, n, overhead = 0;
  const guint8 *content;
  GBytes *file;
  guint16 sw = TP_SW_OK;

  if (!odd && (cmd->p1 & 0x80))
    {
      if (chip->quirks.no_sfi != 0)
        {
          chip->sfi_refusals++;
          return chip->quirks.no_sfi;
        }
      fid = sfi_to_fid (chip, cmd->p1 & 0x1F);
      if (fid == 0 || lookup_file (chip, fid) == NULL)
        return TP_SW_FILE_NOT_FOUND;
      chip->current_fid = fid;
      offset = cmd->p2;
    }
  else if (!odd)
    {
      offset = ((gsize) (cmd->p1 & 0x7F) << 8) | cmd->p2;
    }
  else
    {
      const guint8 *d = cmd->data->data;
      gsize dl = cmd->data->len;

      if (cmd->p1 != 0 || cmd->p2 != 0)
        return TP_SW_WRONG_P1P2;
      if (dl < 3 || d[0] != 0x54 || d[1] < 1 || d[1] > 3 || (gsize) d[1] + 2 != dl)
        return TP_SW_WRONG_DATA;
      offset = 0;
      for (guint i = 0; i < d[1]; i++)
        offset = (offset << 8) | d[2 + i];
    }

  if (fid == 0)
    return TP_SW_CONDITIONS_NOT_SATISFIED;
  file = lookup_file (chip, fid);
  if (file == NULL)
    return TP_SW_FILE_NOT_FOUND;
  if (chip->app_selected && !chip->access_granted)
    return TP_SW_SECURITY_NOT_SATISFIED;
  if (cmd->le == 0)
    return TP_SW_WRONG_LENGTH;

  if (chip->quirks.max_le != 0 && cmd->le > chip->quirks.max_le)
    return chip->quirks.answer_6cxx ? (guint16) (0x6C00 | (chip->quirks.max_le & 0xFF))
                                    : TP_SW_WRONG_LENGTH;

  content = g_bytes_get_data (file, &size);
  if (offset > size)
    return TP_SW_WRONG_OFFSET;


  /* Le counts the whole response data: for B1 the DO'53' header too. */
  if (odd)
    overhead = 4;   /* 53 82 LL LL at most */
  avail = size - offset;
  want = MIN ((gsize) cmd->le, response_budget (chip, extended));
  want = want > overhead ? want - overhead : 0;
  n = MIN (want, avail);
  if (chip->quirks.overlong)
    n = MIN (n + 16, avail);

  /* The drop-field quirk: the chip leaves the field while sending the
   * part of DG2 a third of the way in. */
  if (fid == TP_LDS_FID_DG2 && chip->drops_left > 0 && offset + n > size / 3)
    {
      chip->drops_left--;
      *drop = TRUE;
      return TP_SW_OK;
    }

  /* Fewer bytes than an explicit Le asked for: end of file reached
   * (ISO/IEC 7816-4 6282). Le '00' / '0000' means "up to the maximum",
   * which a shorter answer satisfies. */
  if (n == avail && (gsize) cmd->le > avail + overhead &&
      cmd->le != TP_APDU_LE_MAX_SHORT && cmd->le != TP_APDU_LE_MAX_EXTENDED &&
      !chip->quirks.eof_9000)
    sw = TP_SW_END_OF_FILE;
  if (avail == 0 && !chip->quirks.eof_9000)
    sw = TP_SW_END_OF_FILE;

  if (odd)
    {
      guint8 head[4] = { 0x53, 0x82, (guint8) (n >> 8), (guint8) n };

      if (n < 0x80)
        {
          head[1] = (guint8) n;
          g_byte_array_append (out, head, 2);
        }
      else if (n < 0x100)
        {
          head[1] = 0x81;
          head[2] = (guint8) n;
          g_byte_array_append (out, head, 3);
        }
      else
        g_byte_array_append (out, head, 4);
    }
  if (n > 0)
    g_byte_array_append (out, content + offset, (guint) n);
  return sw;
}

/* One plain command; the answer's data goes to @out. */
static guint16
dispatch (TpSimChip    *chip,
          const TpApdu *cmd,
          gboolean      extended,
          GByteArray   *out,
          TpSm        **new_sm,
          gboolean     *drop)
{
  if ((cmd->cla & ~0x10) != 0x00)
    return TP_SW_CLA_NOT_SUPPORTED;

  /* PACE runs in the master file, plain */
  if (chip->pace != NULL && tp_pace_chip_handles (chip->pace, cmd))
    {
      TpSm *sm = NULL;
      guint16 sw;

      if (chip->sm != NULL)
        return TP_SW_CONDITIONS_NOT_SATISFIED;
      /* The pace-fails quirk: the mapping step breaks (as a reader or
       * someone between reader and chip can make it), BAC still works. */
      if (chip->quirks.pace_fails && cmd->ins == 0x86)
        return TP_SW_WRONG_DATA;
      sw = tp_pace_chip_process (chip->pace, cmd, out, &sm);
      if (sm != NULL)
        *new_sm = sm;
      return sw;
    }

  if (chip->ca != NULL && tp_ca_chip_handles (chip->ca, cmd))
    {
      TpSm *sm = NULL;
      guint16 sw;

      if (chip->sm == NULL)
        return TP_SW_SECURITY_NOT_SATISFIED;
      sw = tp_ca_chip_process (chip->ca, cmd, out, &sm);
      if (sm != NULL)
        *new_sm = sm;
      return sw;
    }

  switch (cmd->ins)
    {
    case 0xA4:
      return do_select (chip, cmd, out);

    case 0xB0:
    case 0xB1:
      return do_read_binary (chip, cmd, extended, out, drop);

    case 0x84:
    case 0x82:
      {
        TpSm *sm = NULL;
        guint16 sw;

        if (chip->bac == NULL)
          return TP_SW_INS_NOT_SUPPORTED;
        if (!chip->app_selected || chip->sm != NULL)
          return TP_SW_CONDITIONS_NOT_SATISFIED;
        sw = tp_bac_chip_process (chip->bac, cmd, out, &sm);
        if (sm != NULL)
          *new_sm = sm;
        return sw;
      }

    case 0x88:
      if (chip->doc->active_auth_key == NULL)
        return TP_SW_INS_NOT_SUPPORTED;
      if (!chip->access_granted)
        return TP_SW_SECURITY_NOT_SATISFIED;
      return tp_active_auth_chip_process (chip->doc->active_auth_key, chip->doc->active_auth_digest,
                                          cmd, out);

    case 0x22:
    case 0x86:
      return chip->sm ? TP_SW_REFERENCED_DATA_NOT_FOUND : TP_SW_CONDITIONS_NOT_SATISFIED;

    default:
      return TP_SW_INS_NOT_SUPPORTED;
    }
}

static void
append_garbage (GByteArray *rapdu)
{
  guint8 junk[300];
  guint n = (guint) g_random_int_range (0, 40);

  if (g_random_boolean ())
    n = (guint) g_random_int_range (0, (int) sizeof junk);
  RAND_bytes (junk, (int) n);
  g_byte_array_append (rapdu, junk, n);
}

/* 61xx for what is left of a chained answer (xx = 00: 256 or more),
 * held in chip->pending with the final status word at its end. */
static guint16
pending_status (TpSimChip *chip)
{
  gsize left = chip->pending->len - 2;

  return (guint16) (0x6100 | (left >= TP_APDU_LE_MAX_SHORT ? 0 : left));
}

static gboolean
get_response (TpSimChip    *chip,
              const TpApdu *cmd,
              GByteArray   *rapdu)
{
  gsize left, n;

  if (chip->pending == NULL)
    {
      tp_rapdu_append_sw (rapdu, TP_SW_CONDITIONS_NOT_SATISFIED);
      return TRUE;
    }
  if (cmd->p1 != 0 || cmd->p2 != 0)
    {
      g_clear_pointer (&chip->pending, g_byte_array_unref);
      tp_rapdu_append_sw (rapdu, TP_SW_WRONG_P1P2);
      return TRUE;
    }
  left = chip->pending->len - 2;
  n = MIN (left, cmd->le == TP_APDU_LE_NONE ? TP_APDU_LE_MAX_SHORT : (gsize) cmd->le);
  g_byte_array_append (rapdu, chip->pending->data, (guint) n);
  g_byte_array_remove_range (chip->pending, 0, (guint) n);
  if (chip->pending->len > 2)
    tp_rapdu_append_sw (rapdu, pending_status (chip));
  else
    {
      g_byte_array_append (rapdu, chip->pending->data, 2);
      g_clear_pointer (&chip->pending, g_byte_array_unref);
    }
  return TRUE;
}

static gboolean
lose_field (TpSimChip  *chip,
            GError    **error)
{
  chip->field_lost = TRUE;
  end_session (chip);
  g_set_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_COMMUNICATION,
               "The software chip left the field");
  return FALSE;
}

/* ---- public API ------------------------------------------------------- */

gboolean
tp_sim_chip_transmit (gpointer       user_data,
                      const guint8  *capdu,
                      gsize          capdu_len,
                      GByteArray    *rapdu,
                      GError       **error)
{
  TpSimChip *chip = user_data;
  g_autoptr(TpApdu) outer = NULL;
  g_autoptr(TpApdu) cmd = NULL;
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autoptr(GByteArray) wrapped = NULL;
  TpSm *new_sm = NULL;
  gboolean protected_cmd, extended, drop = FALSE, chain = FALSE;
  guint16 sw;

  g_return_val_if_fail (chip != NULL, FALSE);
  g_return_val_if_fail (capdu != NULL || capdu_len == 0, FALSE);
  g_return_val_if_fail (rapdu != NULL, FALSE);

  if (chip->field_lost)
    return lose_field (chip, error);

  chip->apdu_count++;
  if (chip->quirks.slow_ms > 0)
    g_usleep (chip->quirks.slow_ms * 1000);

  if (chip->quirks.garbage && chip->access_granted)
    {
      append_garbage (rapdu);
      return TRUE;
    }

  outer = tp_apdu_parse (capdu, capdu_len, NULL);
  if (outer == NULL)
    {
      g_clear_pointer (&chip->pending, g_byte_array_unref);
      tp_rapdu_append_sw (rapdu, TP_SW_WRONG_LENGTH);
      return TRUE;
    }
  extended = outer->extended;

  /* GET RESPONSE fetches the rest of a chained answer; any other command
   * drops it (ISO/IEC 7816-4 5.3.4). */
  if (outer->cla == 0x00 && outer->ins == 0xC0)
    return get_response (chip, outer, rapdu);
  g_clear_pointer (&chip->pending, g_byte_array_unref);

  protected_cmd = (outer->cla & 0x0C) == 0x0C;
  if (protected_cmd)
    {
      if (chip->sm == NULL)
        {
          tp_rapdu_append_sw (rapdu, TP_SW_SM_OBJECTS_MISSING);
          return TRUE;
        }
      cmd = tp_sm_unprotect_command (chip->sm, capdu, capdu_len, &sw, NULL);
      if (cmd == NULL)
        {
          /* A broken secure messaging command ends the session. */
          end_session (chip);
          tp_rapdu_append_sw (rapdu, sw);
          return TRUE;
        }
    }
  else
    {
      /* A plain command after access control ends secure messaging
       * (ICAO 9303-11 §9.8.7). */
      if (chip->sm != NULL)
        end_session (chip);
      cmd = g_steal_pointer (&outer);
    }

  if (extended && chip->quirks.no_extended)
    sw = TP_SW_WRONG_LENGTH;
  else
    sw = dispatch (chip, cmd, extended, out, &new_sm, &drop);
  if (drop)
    return lose_field (chip, error);

  /* What a short response cannot hold (a 2048-bit signature under secure
   * messaging, say) goes out in pieces the terminal fetches with GET
   * RESPONSE; the no-chaining quirk refuses it instead. */
  if (!extended && out->len > response_budget (chip, FALSE))
    {
      if (chip->quirks.no_chaining)
        {
          g_byte_array_set_size (out, 0);
          sw = TP_SW_WRONG_LENGTH;
        }
      else
        chain = TRUE;
    }

  if (protected_cmd && chip->sm != NULL)
    {
      wrapped = tp_sm_protect_response (chip->sm, out->data, out->len, sw, NULL);
      if (wrapped == NULL)
        {
          end_session (chip);
          tp_rapdu_append_sw (rapdu, TP_SW_SM_OBJECTS_INCORRECT);
          g_clear_pointer (&new_sm, tp_sm_free);
          return TRUE;
        }
      /* The plain status word is outside the MAC */
      if (chip->quirks.plain_sw != 0 && wrapped->len >= 2)
        {
          wrapped->data[wrapped->len - 2] = chip->quirks.plain_sw >> 8;
          wrapped->data[wrapped->len - 1] = chip->quirks.plain_sw & 0xFF;
        }
    }
  else
    {
      wrapped = g_byte_array_new ();
      g_byte_array_append (wrapped, out->data, out->len);
      tp_rapdu_append_sw (wrapped, sw);
    }

  if (chain && wrapped->len - 2 > TP_APDU_LE_MAX_SHORT)
    {
      chip->pending = g_byte_array_new ();
      g_byte_array_append (chip->pending, wrapped->data + TP_APDU_LE_MAX_SHORT,
                           wrapped->len - TP_APDU_LE_MAX_SHORT);
      g_byte_array_append (rapdu, wrapped->data, TP_APDU_LE_MAX_SHORT);
      tp_rapdu_append_sw (rapdu, pending_status (chip));
    }
  else
    g_byte_array_append (rapdu, wrapped->data, wrapped->len);

  /* A new session (BAC, PACE, chip authentication) starts after the
   * answer that set it up. */
  if (new_sm != NULL)
    {
      g_clear_pointer (&chip->sm, tp_sm_free);
      chip->sm = new_sm;
      chip->access_granted = TRUE;
    }

  return TRUE;
}

static void
reset_state (TpSimChip *chip)
{
  const TpTestDocument *document = chip->doc->document;

  end_session (chip);
  g_clear_pointer (&chip->pending, g_byte_array_unref);
  chip->app_selected = FALSE;
  chip->current_fid = 0;
  chip->field_lost = FALSE;
  g_clear_pointer (&chip->bac, tp_bac_chip_free);
  g_clear_pointer (&chip->pace, tp_pace_chip_free);
  g_clear_pointer (&chip->ca, tp_ca_chip_free);

  if ((chip->profile->access & ACCESS_BAC) && !chip->quirks.no_bac)
    {
      TpBacKeys keys;

      if (tp_bac_derive_keys (chip->doc->mrz_info, &keys, NULL))
        chip->bac = tp_bac_chip_new (&keys);
    }
  if (chip->doc->pace_infos != NULL)
    {
      chip->pace = tp_pace_chip_new (chip->doc->mrz_info, document->can);
      for (guint i = 0; i < chip->doc->pace_infos->len; i++)
        tp_pace_chip_add_info (chip->pace, g_ptr_array_index (chip->doc->pace_infos, i));
    }
  if (chip->doc->chip_auth_key != NULL)
    chip->ca = tp_ca_chip_new (chip->doc->chip_auth_key, chip->doc->chip_auth_info);
}

TpSimChip *
tp_sim_chip_new (const char  *spec,
                 GError     **error)
{
  g_autoptr(TpSimChip) chip = NULL;
  g_autofree char *profile_name = NULL;
  const char *colon;
  guint32 hash;
  guint8 uid[4];
  guint8 ats[9] = { 0x78, 0x80, 0x70, 0x02,   /* T0 (FSCI 8, TA TB TC), TA, TB, TC */
                    0x80, 0x73, 0x90, 0x21, 0x80 };  /* category 80, card capabilities */

  g_return_val_if_fail (spec != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  chip = g_new0 (TpSimChip, 1);
  chip->spec = g_strdup (spec);

  colon = strchr (spec, ':');
  profile_name = colon ? g_strndup (spec, (gsize) (colon - spec)) : g_strdup (spec);
  for (gsize i = 0; i < G_N_ELEMENTS (profiles); i++)
    if (g_str_equal (profiles[i].name, profile_name))
      chip->profile = &profiles[i];
  if (chip->profile == NULL)
    {
      g_autoptr(GString) known = g_string_new (NULL);

      for (gsize i = 0; i < G_N_ELEMENTS (profiles); i++)
        g_string_append_printf (known, "%s%s", i ? ", " : "", profiles[i].name);
      g_set_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_INVALID_ARGUMENT,
                   "Unknown software chip profile “%s”: expected one of %s",
                   profile_name, known->str);
      return NULL;
    }

  chip->quirks.signer = TP_TEST_SIGNER_VALID;
  if (colon != NULL && !parse_quirks (colon + 1, &chip->quirks, error))
    return NULL;
  if (chip->quirks.no_bac && !(chip->profile->access & ACCESS_PACE))
    {
      g_set_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_INVALID_ARGUMENT,
                   "Software chip profile “%s” has no PACE: quirk no-bac would leave no access control",
                   chip->profile->name);
      return NULL;
    }

  chip->doc = get_document (chip->profile, &chip->quirks, error);
  if (chip->doc == NULL)
    return NULL;
  chip->drops_left = chip->quirks.drop_field;

  /* A stable UID per specification, in the random-UID range (08). */
  hash = g_str_hash (spec);
  uid[0] = 0x08;
  uid[1] = (guint8) (hash >> 16);
  uid[2] = (guint8) (hash >> 8);
  uid[3] = (guint8) hash;
  chip->uid = g_bytes_new (uid, sizeof uid);
  if (!chip->quirks.no_extended)
    ats[8] |= 0x40;   /* extended Lc and Le fields */
  chip->ats = g_bytes_new (ats, sizeof ats);

  {
    g_autoptr(GByteArray) atr = g_byte_array_new ();
    const guint8 head[4] = { 0x3B, 0x80 | (sizeof ats - 4), 0x80, 0x01 };
    guint8 tck = 0;

    g_byte_array_append (atr, head, 4);
    g_byte_array_append (atr, ats + 4, sizeof ats - 4);
    for (guint i = 1; i < atr->len; i++)
      tck ^= atr->data[i];
    g_byte_array_append (atr, &tck, 1);
    chip->atr = g_byte_array_free_to_bytes (g_steal_pointer (&atr));
  }

  reset_state (chip);
  return g_steal_pointer (&chip);
}

void
tp_sim_chip_free (TpSimChip *chip)
{
  if (chip == NULL)
    return;

  end_session (chip);
  g_clear_pointer (&chip->bac, tp_bac_chip_free);
  g_clear_pointer (&chip->pace, tp_pace_chip_free);
  g_clear_pointer (&chip->ca, tp_ca_chip_free);
  g_clear_pointer (&chip->uid, g_bytes_unref);
  g_clear_pointer (&chip->ats, g_bytes_unref);
  g_clear_pointer (&chip->atr, g_bytes_unref);
  g_clear_pointer (&chip->overrides, g_hash_table_unref);
  g_free (chip->quirks.holder);
  g_clear_pointer (&chip->pending, g_byte_array_unref);
  g_free (chip->spec);
  g_free (chip);
}

static void
override_free (gpointer data)
{
  if (data != REMOVED)
    g_bytes_unref (data);
}

void
tp_sim_chip_set_file (TpSimChip *chip,
                      guint16    fid,
                      GBytes    *data)
{
  g_return_if_fail (chip != NULL);

  if (chip->overrides == NULL)
    chip->overrides = g_hash_table_new_full (NULL, NULL, NULL, override_free);
  g_hash_table_insert (chip->overrides, GUINT_TO_POINTER (fid),
                       data ? g_bytes_ref (data) : REMOVED);
}

void
tp_sim_chip_reset (TpSimChip *chip)
{
  g_return_if_fail (chip != NULL);

  reset_state (chip);
}

const char *
tp_sim_chip_get_spec (TpSimChip *chip)
{
  g_return_val_if_fail (chip != NULL, NULL);

  return chip->spec;
}

GBytes *
tp_sim_chip_get_ats (TpSimChip *chip)
{
  g_return_val_if_fail (chip != NULL, NULL);

  return g_bytes_ref (chip->ats);
}

GBytes *
tp_sim_chip_get_uid (TpSimChip *chip)
{
  g_return_val_if_fail (chip != NULL, NULL);

  return g_bytes_ref (chip->uid);
}

GBytes *
tp_sim_chip_get_atr (TpSimChip *chip)
{
  g_return_val_if_fail (chip != NULL, NULL);

  return g_bytes_ref (chip->atr);
}

const char *
tp_sim_chip_get_mrz (TpSimChip *chip)
{
  g_return_val_if_fail (chip != NULL, NULL);

  return chip->doc->document->mrz;
}

const char *
tp_sim_chip_get_can (TpSimChip *chip)
{
  g_return_val_if_fail (chip != NULL, NULL);

  return chip->doc->document->can;
}

gboolean
tp_sim_chip_supports_extended (TpSimChip *chip)
{
  g_return_val_if_fail (chip != NULL, FALSE);

  return !chip->quirks.no_extended;
}

guint
tp_sim_chip_get_apdu_count (TpSimChip *chip)
{
  g_return_val_if_fail (chip != NULL, 0);

  return chip->apdu_count;
}

guint
tp_sim_chip_get_sfi_refusals (TpSimChip *chip)
{
  g_return_val_if_fail (chip != NULL, 0);

  return chip->sfi_refusals;
}

gboolean
tp_sim_chip_export_trust (const char  *dir,
                          GError     **error)
{
  g_return_val_if_fail (dir != NULL, FALSE);

  return tp_test_pki_write_trust (tp_test_pki_get_default (), dir,
                                  TP_TEST_TRUST_CERTIFICATES, error) &&
         tp_test_rogue_write_trust (dir, error);
}

const TpSimChipInfo *
tp_sim_chip_list_profiles (gsize *n_profiles)
{
  /* The names and summaries of the one profile table, as callers see them */
  static TpSimChipInfo infos[G_N_ELEMENTS (profiles)];
  static gsize once = 0;

  if (g_once_init_enter (&once))
    {
      for (gsize i = 0; i < G_N_ELEMENTS (profiles); i++)
        {
          infos[i].name = profiles[i].name;
          infos[i].summary = profiles[i].summary;
        }
      g_once_init_leave (&once, 1);
    }
  *n_profiles = G_N_ELEMENTS (infos);
  return infos;
}

const TpSimChipInfo *
tp_sim_chip_list_quirks (gsize *n_quirks)
{
  *n_quirks = G_N_ELEMENTS (quirk_infos);
  return quirk_infos;
}
