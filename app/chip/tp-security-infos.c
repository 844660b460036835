/* tp-security-infos.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <openssl/asn1.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/x509.h>

#include "tp-chip-error.h"
#include "tp-security-infos.h"
#include "tp-tlv.h"

/* id-CA (BSI TR-03110-3 A.1.1.2): 0.4.0.127.0.7.2.2.3.{key agreement}.{cipher} */
#define CA_OID_PREFIX      "0.4.0.127.0.7.2.2.3."
/* id-PACE (BSI TR-03110-3 A.1.1.1): 0.4.0.127.0.7.2.2.4.{mapping}.{cipher} */
#define PACE_OID_PREFIX    "0.4.0.127.0.7.2.2.4."
#define STD_DOMAIN_PARAMS  "0.4.0.127.0.7.1.2"

#define DG14_TAG           0x6E

/* ASN.1 universal tags for the encoder */
#define DER_INTEGER   0x02
#define DER_OID       0x06
#define DER_SEQUENCE  0x30
#define DER_SET       0x31

/* Standardized domain parameters (BSI TR-03110-3 A.2.1.1) by name */
static const char *
std_group_name (gint64 id)
{
  static const char *const names[] = {
    "dh_1024_160", "dh_2048_224", "dh_2048_256", NULL, NULL, NULL, NULL, NULL,
    "prime192v1", "brainpoolP192r1", "secp224r1", "brainpoolP224r1",
    "prime256v1", "brainpoolP256r1", "brainpoolP320r1", "secp384r1",
    "brainpoolP384r1", "brainpoolP512r1", "secp521r1",
  };

  if (id < 0 || id >= (gint64) G_N_ELEMENTS (names))
    return NULL;
  return names[id];
}

GBytes *
tp_oid_encode (const char  *dotted,
               GError     **error)
{
  ASN1_OBJECT *obj;
  GBytes *bytes;

  g_return_val_if_fail (dotted != NULL, NULL);

  obj = OBJ_txt2obj (dotted, 1);
  if (obj == NULL || OBJ_length (obj) == 0)
    {
      ASN1_OBJECT_free (obj);
      ERR_clear_error ();
      g_set_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_INVALID_ARGUMENT,
                   "“%s” is not an object identifier", dotted);
      return NULL;
    }
  bytes = g_bytes_new (OBJ_get0_data (obj), OBJ_length (obj));
  ASN1_OBJECT_free (obj);

  return bytes;
}

char *
tp_oid_decode (const guint8  *content,
               gsize          len,
               GError       **error)
{
  g_autoptr(GByteArray) der = g_byte_array_new ();
  const unsigned char *p;
  ASN1_OBJECT *obj;
  char buf[160];
  int n;

  g_return_val_if_fail (content != NULL || len == 0, NULL);

  if (len == 0 || len > 100)
    goto bad;
  tp_tlv_append (der, DER_OID, content, len);
  p = der->data;
  obj = d2i_ASN1_OBJECT (NULL, &p, der->len);
  if (obj == NULL)
    goto bad;
  n = OBJ_obj2txt (buf, sizeof buf, obj, 1);
  ASN1_OBJECT_free (obj);
  if (n <= 0 || n >= (int) sizeof buf)
    goto bad;

  return g_strdup (buf);

bad:
  ERR_clear_error ();
  g_set_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_PROTOCOL,
               "%" G_GSIZE_FORMAT " bytes that are not an object identifier", len);
  return NULL;
}

/* Info structures */

const char *
tp_chip_auth_oid (gboolean   ecdh,
                  TpSmCipher cipher)
{
  static const char *const oids[2][4] = {
    { CA_OID_PREFIX "1.1", CA_OID_PREFIX "1.2", CA_OID_PREFIX "1.3", CA_OID_PREFIX "1.4" },
    { CA_OID_PREFIX "2.1", CA_OID_PREFIX "2.2", CA_OID_PREFIX "2.3", CA_OID_PREFIX "2.4" },
  };

  g_return_val_if_fail (cipher <= TP_SM_CIPHER_AES_256, NULL);

  return oids[ecdh ? 1 : 0][cipher];
}

TpChipAuthInfo *
tp_chip_auth_info_new (const char  *oid,
                       gint         version,
                       gint64       key_id,
                       GError     **error)
{
  TpChipAuthInfo *info;
  guint64 ka = 0;
  guint64 cipher = 0;
  g_auto(GStrv) arcs = NULL;

  g_return_val_if_fail (oid != NULL, NULL);

  if (g_str_has_prefix (oid, CA_OID_PREFIX))
    arcs = g_strsplit (oid + strlen (CA_OID_PREFIX), ".", -1);
  if (arcs == NULL || g_strv_length (arcs) != 2 ||
      !g_ascii_string_to_unsigned (arcs[0], 10, 1, 2, &ka, NULL) ||
      !g_ascii_string_to_unsigned (arcs[1], 10, 1, 4, &cipher, NULL))
    {
      g_set_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_UNSUPPORTED,
                   "%s is not a chip authentication protocol this code knows", oid);
      return NULL;
    }

  info = g_new0 (TpChipAuthInfo, 1);
  info->oid = g_strdup (oid);
  info->ecdh = ka == 2;
  info->cipher = (TpSmCipher) (cipher - 1);
  info->version = version;
  info->key_id = key_id;

  return info;
}

void
tp_chip_auth_info_free (TpChipAuthInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->oid);
  g_free (info);
}

TpChipAuthInfo *
tp_chip_auth_info_copy (const TpChipAuthInfo *info)
{
  TpChipAuthInfo *copy;

  g_return_val_if_fail (info != NULL, NULL);

  copy = g_memdup2 (info, sizeof *info);

  copy->oid = g_strdup (info->oid);
  return copy;
}

TpChipAuthPublicKey *
tp_chip_auth_public_key_new (const char *oid,
                             EVP_PKEY   *key,
                             gint64      key_id)
{
  TpChipAuthPublicKey *pk;

  g_return_val_if_fail (oid != NULL, NULL);
  g_return_val_if_fail (key != NULL, NULL);

  pk = g_new0 (TpChipAuthPublicKey, 1);
  pk->oid = g_strdup (oid);
  EVP_PKEY_up_ref (key);
  pk->key = key;
  pk->key_id = key_id;

  return pk;
}

void
tp_chip_auth_public_key_free (TpChipAuthPublicKey *key)
{
  if (key == NULL)
    return;
  g_free (key->oid);
  EVP_PKEY_free (key->key);
  g_free (key);
}

static const struct {
  gint        id;
  const char *name;
} parameter_names[] = {
  { 0, "DH 1024/160" },
  { 1, "DH 2048/224" },
  { 2, "DH 2048/256" },
  { 8, "secp192r1" },
  { 9, "brainpoolP192r1" },
  { 10, "secp224r1" },
  { 11, "brainpoolP224r1" },
  { 12, "secp256r1" },
  { 13, "brainpoolP256r1" },
  { 14, "brainpoolP320r1" },
  { 15, "secp384r1" },
  { 16, "brainpoolP384r1" },
  { 17, "brainpoolP512r1" },
  { 18, "secp521r1" },
};

const char *
tp_pace_mapping_to_string (TpPaceMapping mapping)
{
  switch (mapping)
    {
    case TP_PACE_MAPPING_GM: return "GM";
    case TP_PACE_MAPPING_IM: return "IM";
    case TP_PACE_MAPPING_CAM: return "CAM";
    default: break;
    }
  return "unknown";
}

const char *
tp_pace_parameter_name (gint parameter_id)
{
  for (guint i = 0; i < G_N_ELEMENTS (parameter_names); i++)
    if (parameter_names[i].id == parameter_id)
      return parameter_names[i].name;
  return NULL;
}

TpPaceInfo *
tp_pace_info_new_for (TpPaceMapping mapping,
                      gboolean      ecdh,
                      TpSmCipher    cipher,
                      gint          parameter_id)
{
  TpPaceInfo *info;
  guint mapping_arc;

  switch (mapping)
    {
    case TP_PACE_MAPPING_GM: mapping_arc = ecdh ? 2 : 1; break;
    case TP_PACE_MAPPING_IM: mapping_arc = ecdh ? 4 : 3; break;
    case TP_PACE_MAPPING_CAM: mapping_arc = 6; break;
    default: g_return_val_if_reached (NULL);
    }

  info = g_new0 (TpPaceInfo, 1);
  info->oid = g_strdup_printf (PACE_OID_PREFIX "%u.%u", mapping_arc, (guint) cipher + 1);
  info->mapping = mapping;
  info->ecdh = ecdh || mapping == TP_PACE_MAPPING_CAM;
  info->cipher = cipher;
  info->version = 2;
  info->parameter_id = parameter_id;

  return info;
}

TpPaceInfo *
tp_pace_info_new (const char  *oid,
                  gint         version,
                  gint         parameter_id,
                  GError     **error)
{
  guint64 mapping_arc = 0;
  guint64 cipher_arc = 0;
  g_auto(GStrv) arcs = NULL;
  TpPaceInfo *info;

  g_return_val_if_fail (oid != NULL, NULL);

  if (!g_str_has_prefix (oid, PACE_OID_PREFIX))
    goto unsupported;
  arcs = g_strsplit (oid + strlen (PACE_OID_PREFIX), ".", -1);
  if (g_strv_length (arcs) != 2 ||
      !g_ascii_string_to_unsigned (arcs[0], 10, 1, 6, &mapping_arc, NULL) ||
      !g_ascii_string_to_unsigned (arcs[1], 10, 1, 4, &cipher_arc, NULL) ||
      mapping_arc == 5 || (mapping_arc == 6 && cipher_arc == 1))
    goto unsupported;

  info = g_new0 (TpPaceInfo, 1);
  info->oid = g_strdup (oid);
  info->mapping = mapping_arc <= 2 ? TP_PACE_MAPPING_GM :
                  mapping_arc <= 4 ? TP_PACE_MAPPING_IM : TP_PACE_MAPPING_CAM;
  info->ecdh = mapping_arc % 2 == 0;
  info->cipher = (TpSmCipher) (cipher_arc - 1);
  info->version = version;
  info->parameter_id = parameter_id;
  return info;

unsupported:
  g_set_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_UNSUPPORTED,
               "%s is not a PACE protocol identifier this code knows", oid);
  return NULL;
}

TpPaceInfo *
tp_pace_info_copy (const TpPaceInfo *info)
{
  TpPaceInfo *copy;

  g_return_val_if_fail (info != NULL, NULL);

  copy = g_memdup2 (info, sizeof *info);
  copy->oid = g_strdup (info->oid);
  return copy;
}

void
tp_pace_info_free (TpPaceInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->oid);
  g_free (info);
}

char *
tp_pace_info_describe (const TpPaceInfo *info)
{
  const char *name;

  g_return_val_if_fail (info != NULL, NULL);

  name = tp_pace_parameter_name (info->parameter_id);
  return g_strdup_printf ("%s-%s, %s, %s (%d)",
                          info->ecdh ? "ECDH" : "DH",
                          tp_pace_mapping_to_string (info->mapping),
                          tp_sm_cipher_to_string (info->cipher),
                          name != NULL ? name : "unknown parameters",
                          info->parameter_id);
}

TpSecurityInfos *
tp_security_infos_new (void)
{
  TpSecurityInfos *infos = g_new0 (TpSecurityInfos, 1);

  infos->pace_infos = g_ptr_array_new_with_free_func ((GDestroyNotify) tp_pace_info_free);
  infos->ca_infos = g_ptr_array_new_with_free_func ((GDestroyNotify) tp_chip_auth_info_free);
  infos->ca_public_keys = g_ptr_array_new_with_free_func ((GDestroyNotify) tp_chip_auth_public_key_free);

  return infos;
}

void
tp_security_infos_free (TpSecurityInfos *infos)
{
  if (infos == NULL)
    return;
  g_ptr_array_unref (infos->pace_infos);
  g_ptr_array_unref (infos->ca_infos);
  g_ptr_array_unref (infos->ca_public_keys);
  g_free (infos->aa_signature_oid);
  g_free (infos);
}

/* Parsing */

static gboolean
asn1_int (const ASN1_TYPE *t,
          gint64           min,
          gint64           max,
          gint64          *out)
{
  int64_t v = 0;

  if (t == NULL || t->type != V_ASN1_INTEGER ||
      ASN1_INTEGER_get_int64 (&v, t->value.integer) != 1 || v < min || v > max)
    {
      ERR_clear_error ();
      return FALSE;
    }
  *out = v;
  return TRUE;
}

static gboolean
asn1_oid (const ASN1_TYPE *t,
          char            *buf,
          gsize            size)
{
  int n;

  if (t == NULL || t->type != V_ASN1_OBJECT)
    return FALSE;
  n = OBJ_obj2txt (buf, size, t->value.object, 1);
  return n > 0 && n < (int) size;
}

/* SubjectPublicKeyInfo with standardizedDomainParameters (TR-03110-3
 * A.2.1.1): AlgorithmIdentifier { id, INTEGER } and the key itself. */
static EVP_PKEY *
std_dp_key (const guint8 *der,
            gsize         len)
{
  const unsigned char *p = der;
  STACK_OF(ASN1_TYPE) *spki = NULL;
  STACK_OF(ASN1_TYPE) *alg = NULL;
  EVP_PKEY_CTX *ctx = NULL;
  EVP_PKEY *key = NULL;
  ASN1_INTEGER *y = NULL;
  BIGNUM *bn = NULL;
  OSSL_PARAM params[3];
  ASN1_TYPE *t;
  const char *group;
  const guint8 *pub;
  gsize pub_len;
  guint8 *bn_buf = NULL;
  char oid[64];
  gint64 id;

  spki = d2i_ASN1_SEQUENCE_ANY (NULL, &p, len);
  if (spki == NULL || p != der + len || sk_ASN1_TYPE_num (spki) != 2)
    goto out;
  t = sk_ASN1_TYPE_value (spki, 0);
  if (t->type != V_ASN1_SEQUENCE)
    goto out;
  p = t->value.sequence->data;
  alg = d2i_ASN1_SEQUENCE_ANY (NULL, &p, t->value.sequence->length);
  if (alg == NULL || sk_ASN1_TYPE_num (alg) != 2 ||
      !asn1_oid (sk_ASN1_TYPE_value (alg, 0), oid, sizeof oid) ||
      strcmp (oid, STD_DOMAIN_PARAMS) != 0 ||
      !asn1_int (sk_ASN1_TYPE_value (alg, 1), 0, 31, &id) ||
      (group = std_group_name (id)) == NULL)
    goto out;
  t = sk_ASN1_TYPE_value (spki, 1);
  if (t->type != V_ASN1_BIT_STRING)
    goto out;
  pub = t->value.bit_string->data;
  pub_len = t->value.bit_string->length;

  params[0] = OSSL_PARAM_construct_utf8_string (OSSL_PKEY_PARAM_GROUP_NAME, (char *) group, 0);
  if (id >= 8)
    {
      params[1] = OSSL_PARAM_construct_octet_string (OSSL_PKEY_PARAM_PUB_KEY, (void *) pub, pub_len);
      ctx = EVP_PKEY_CTX_new_from_name (NULL, "EC", NULL);
    }
  else
    {
      /* the DH public value is a DER INTEGER inside the BIT STRING */
      p = pub;
      y = d2i_ASN1_INTEGER (NULL, &p, pub_len);
      if (y == NULL || (bn = ASN1_INTEGER_to_BN (y, NULL)) == NULL)
        goto out;
      pub_len = BN_num_bytes (bn);
      bn_buf = g_malloc (pub_len + 1);
      BN_bn2nativepad (bn, bn_buf, pub_len);
      params[1] = OSSL_PARAM_construct_BN (OSSL_PKEY_PARAM_PUB_KEY, bn_buf, pub_len);
      ctx = EVP_PKEY_CTX_new_from_name (NULL, "DHX", NULL);
    }
  params[2] = OSSL_PARAM_construct_end ();
  if (ctx == NULL || EVP_PKEY_fromdata_init (ctx) != 1 ||
      EVP_PKEY_fromdata (ctx, &key, EVP_PKEY_PUBLIC_KEY, params) != 1)
    key = NULL;

out:
  sk_ASN1_TYPE_pop_free (spki, ASN1_TYPE_free);
  sk_ASN1_TYPE_pop_free (alg, ASN1_TYPE_free);
  EVP_PKEY_CTX_free (ctx);
  ASN1_INTEGER_free (y);
  BN_free (bn);
  g_free (bn_buf);
  ERR_clear_error ();
  return key;
}

static EVP_PKEY *
parse_spki (const guint8 *der,
            gsize         len)
{
  const unsigned char *p = der;
  EVP_PKEY *key = d2i_PUBKEY (NULL, &p, len);

  if (key != NULL && p == der + len)
    return key;
  EVP_PKEY_free (key);
  ERR_clear_error ();

  return std_dp_key (der, len);
}

static gboolean
malformed (GError     **error,
           const char  *what,
           const char  *oid)
{
  g_set_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_PROTOCOL,
               "SecurityInfos: the %s (%s) is malformed", what, oid);
  return FALSE;
}

static gboolean
parse_security_info (const guint8     *der,
                     gsize             len,
                     TpSecurityInfos  *infos,
                     GError          **error)
{
  const unsigned char *p = der;
  STACK_OF(ASN1_TYPE) *seq;
  gboolean ok = TRUE;
  char oid[128];
  int n;

  seq = d2i_ASN1_SEQUENCE_ANY (NULL, &p, len);
  if (seq == NULL || p != der + len)
    {
      sk_ASN1_TYPE_pop_free (seq, ASN1_TYPE_free);
      ERR_clear_error ();
      g_set_error_literal (error, TP_CHIP_ERROR, TP_CHIP_ERROR_PROTOCOL,
                           "SecurityInfos: an element is not a well-formed SEQUENCE");
      return FALSE;
    }

  n = sk_ASN1_TYPE_num (seq);
  if (n < 2 || !asn1_oid (sk_ASN1_TYPE_value (seq, 0), oid, sizeof oid))
    {
      sk_ASN1_TYPE_pop_free (seq, ASN1_TYPE_free);
      g_set_error_literal (error, TP_CHIP_ERROR, TP_CHIP_ERROR_PROTOCOL,
                           "SecurityInfos: an element does not start with a protocol "
                           "identifier and its data");
      return FALSE;
    }

  if (g_str_has_prefix (oid, PACE_OID_PREFIX) &&
      strchr (oid + strlen (PACE_OID_PREFIX), '.') != NULL)
    {
      gint64 version = 0;
      gint64 param = -1;
      TpPaceInfo *info;

      if (n > 3 || !asn1_int (sk_ASN1_TYPE_value (seq, 1), 0, G_MAXINT, &version) ||
          (n == 3 && !asn1_int (sk_ASN1_TYPE_value (seq, 2), 0, 255, &param)))
        ok = malformed (error, "PACEInfo", oid);
      else if ((info = tp_pace_info_new (oid, version, param, NULL)) != NULL)
        g_ptr_array_add (infos->pace_infos, info);
      else
        infos->n_other++;
    }
  else if (g_str_has_prefix (oid, CA_OID_PREFIX) &&
           strchr (oid + strlen (CA_OID_PREFIX), '.') != NULL)
    {
      gint64 version = 0;
      gint64 key_id = -1;
      TpChipAuthInfo *info;

      if (n > 3 || !asn1_int (sk_ASN1_TYPE_value (seq, 1), 0, G_MAXINT, &version) ||
          (n == 3 && !asn1_int (sk_ASN1_TYPE_value (seq, 2), 0, G_MAXINT64, &key_id)))
        ok = malformed (error, "ChipAuthenticationInfo", oid);
      else if ((info = tp_chip_auth_info_new (oid, version, key_id, NULL)) != NULL)
        g_ptr_array_add (infos->ca_infos, info);
      else
        infos->n_other++;
    }
  else if (strcmp (oid, TP_OID_PK_DH) == 0 || strcmp (oid, TP_OID_PK_ECDH) == 0)
    {
      ASN1_TYPE *spki = sk_ASN1_TYPE_value (seq, 1);
      gint64 key_id = -1;
      EVP_PKEY *key = NULL;
      gboolean ec;

      if (n > 3 || spki->type != V_ASN1_SEQUENCE ||
          (n == 3 && !asn1_int (sk_ASN1_TYPE_value (seq, 2), 0, G_MAXINT64, &key_id)))
        ok = malformed (error, "ChipAuthenticationPublicKeyInfo", oid);
      else if ((key = parse_spki (spki->value.sequence->data, spki->value.sequence->length)) == NULL)
        ok = malformed (error, "chip authentication public key", oid);
      else
        {
          ec = EVP_PKEY_is_a (key, "EC");
          if (ec != (strcmp (oid, TP_OID_PK_ECDH) == 0) ||
              (!ec && !EVP_PKEY_is_a (key, "DH") && !EVP_PKEY_is_a (key, "DHX")))
            ok = malformed (error, "chip authentication public key type", oid);
          else
            g_ptr_array_add (infos->ca_public_keys, tp_chip_auth_public_key_new (oid, key, key_id));
          EVP_PKEY_free (key);
        }
    }
  else if (strcmp (oid, TP_OID_AA_PROTOCOL) == 0)
    {
      gint64 version = 0;
      char sig[128];

      if (n != 3 || !asn1_int (sk_ASN1_TYPE_value (seq, 1), 0, G_MAXINT, &version) ||
          !asn1_oid (sk_ASN1_TYPE_value (seq, 2), sig, sizeof sig))
        ok = malformed (error, "ActiveAuthenticationInfo", oid);
      else
        {
          g_free (infos->aa_signature_oid);
          infos->aa_signature_oid = g_strdup (sig);
        }
    }
  else
    infos->n_other++;

  sk_ASN1_TYPE_pop_free (seq, ASN1_TYPE_free);
  ERR_clear_error ();
  return ok;
}

TpSecurityInfos *
tp_security_infos_parse (const guint8  *data,
                         gsize          len,
                         GError       **error)
{
  g_autoptr(TpSecurityInfos) infos = NULL;
  g_autoptr(GError) local_error = NULL;
  const guint8 *content = data;
  gsize content_len = len;
  TpTlv set;
  gsize pos;

  g_return_val_if_fail (data != NULL || len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* DER throughout: no padding and nothing after the objects */
  if (len > 0 && data[0] == DG14_TAG)
    {
      TpTlv dg14;

      if (!tp_tlv_unwrap (data, len, DG14_TAG, &dg14, &local_error))
        {
          g_set_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_PROTOCOL,
                       "DG14: the '6E' wrapper is malformed or its length is wrong (%s)",
                       local_error->message);
          return NULL;
        }
      content = dg14.value;
      content_len = dg14.length;
    }

  if (!tp_tlv_unwrap (content, content_len, DER_SET, &set, &local_error))
    {
      g_set_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_PROTOCOL,
                   "SecurityInfos is not one well-formed SET (%s)", local_error->message);
      return NULL;
    }

  /* The SET fills content exactly: reading its elements there, rather than
   * in set.value, makes offsets in messages count from the SET's first
   * byte, as they do above */
  g_assert (set.header_length + set.length == content_len);
  infos = tp_security_infos_new ();
  pos = set.header_length;
  while (pos < content_len)
    {
      gsize start = pos;
      TpTlv element;

      if (!tp_tlv_read (content, content_len, &pos, &element, &local_error))
        {
          g_set_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_PROTOCOL,
                       "SecurityInfos: an element of the SET is malformed (%s)",
                       local_error->message);
          return NULL;
        }
      if (element.tag != DER_SEQUENCE)
        {
          g_set_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_PROTOCOL,
                       "SecurityInfos: an element is not a SEQUENCE (tag %02X at offset %"
                       G_GSIZE_FORMAT ", 30 expected)",
                       element.tag, start);
          return NULL;
        }
      if (!parse_security_info (content + start, pos - start, infos, error))
        return NULL;
    }

  return g_steal_pointer (&infos);
}

/* Encoding */

static void
der_append (GByteArray   *out,
            guint8        tag,
            const guint8 *content,
            gsize         len)
{
  tp_tlv_append (out, tag, content, len);
}

static void
der_append_int (GByteArray *out,
                gint64      value)
{
  guint8 bytes[9];
  gsize n = 0;

  g_assert (value >= 0);
  for (gint shift = 56; shift >= 0; shift -= 8)
    {
      guint8 b = (value >> shift) & 0xFF;

      if (n == 0 && b == 0 && shift > 0)
        continue;
      if (n == 0 && (b & 0x80))
        bytes[n++] = 0x00;
      bytes[n++] = b;
    }
  der_append (out, DER_INTEGER, bytes, n);
}

static gboolean
der_append_oid (GByteArray  *out,
                const char  *dotted,
                GError     **error)
{
  g_autoptr(GBytes) content = tp_oid_encode (dotted, error);

  if (content == NULL)
    return FALSE;
  der_append (out, DER_OID, g_bytes_get_data (content, NULL), g_bytes_get_size (content));
  return TRUE;
}

static gint
der_set_order (gconstpointer a,
               gconstpointer b)
{
  GBytes *x = *(GBytes * const *) a;
  GBytes *y = *(GBytes * const *) b;
  gsize xl, yl;
  const guint8 *xd = g_bytes_get_data (x, &xl);
  const guint8 *yd = g_bytes_get_data (y, &yl);
  int c = memcmp (xd, yd, MIN (xl, yl));

  if (c != 0)
    return c;
  return xl < yl ? -1 : xl > yl ? 1 : 0;
}

static void
add_element (GPtrArray  *elements,
             GByteArray *content)
{
  g_autoptr(GByteArray) seq = g_byte_array_new ();

  der_append (seq, DER_SEQUENCE, content->data, content->len);
  g_ptr_array_add (elements, g_byte_array_free_to_bytes (g_steal_pointer (&seq)));
}

static GBytes *
encode_negative (GError     **error,
                 const char  *what)
{
  g_set_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_INVALID_ARGUMENT,
               "The %s is negative", what);
  return NULL;
}

/* i2d_PUBKEY() encodes DH domain parameters and the public value without
 * checking them, and dereferences NULL on a legacy DH key that has none
 * (as libeac's EVP_PKEY_dup() makes when it stands in for libcrypto's) */
static gboolean
has_public_value (EVP_PKEY *key)
{
  BIGNUM *y = NULL;
  size_t len = 0;
  gboolean ok;

  if (EVP_PKEY_get_octet_string_param (key, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, NULL, 0, &len) == 1 &&
      len > 0)
    return TRUE;
  /* a legacy DH key without one gives 0 here */
  ok = EVP_PKEY_get_bn_param (key, OSSL_PKEY_PARAM_PUB_KEY, &y) == 1 && y != NULL && !BN_is_zero (y);
  BN_free (y);
  ERR_clear_error ();

  return ok;
}

GBytes *
tp_security_infos_encode (const TpSecurityInfos  *infos,
                          GError                **error)
{
  g_autoptr(GPtrArray) elements = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr(GByteArray) body = g_byte_array_new ();
  g_autoptr(GByteArray) out = g_byte_array_new ();

  g_return_val_if_fail (infos != NULL, NULL);

  for (guint i = 0; i < infos->pace_infos->len; i++)
    {
      const TpPaceInfo *info = g_ptr_array_index (infos->pace_infos, i);
      g_autoptr(GByteArray) c = g_byte_array_new ();

      if (info->version < 0)
        return encode_negative (error, "PACEInfo version");
      if (!der_append_oid (c, info->oid, error))
        return NULL;
      der_append_int (c, info->version);
      if (info->parameter_id >= 0)
        der_append_int (c, info->parameter_id);
      add_element (elements, c);
    }

  for (guint i = 0; i < infos->ca_infos->len; i++)
    {
      const TpChipAuthInfo *info = g_ptr_array_index (infos->ca_infos, i);
      g_autoptr(GByteArray) c = g_byte_array_new ();

      if (info->version < 0)
        return encode_negative (error, "ChipAuthenticationInfo version");
      if (!der_append_oid (c, info->oid, error))
        return NULL;
      der_append_int (c, info->version);
      if (info->key_id >= 0)
        der_append_int (c, info->key_id);
      add_element (elements, c);
    }

  for (guint i = 0; i < infos->ca_public_keys->len; i++)
    {
      const TpChipAuthPublicKey *pk = g_ptr_array_index (infos->ca_public_keys, i);
      g_autoptr(GByteArray) c = g_byte_array_new ();
      unsigned char *spki = NULL;
      int spki_len;

      if (!der_append_oid (c, pk->oid, error))
        return NULL;
      if (!has_public_value (pk->key))
        {
          g_set_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_INVALID_ARGUMENT,
                       "The chip authentication public key (%s) has no public value: "
                       "a key pair or a public key was expected", pk->oid);
          return NULL;
        }
      spki_len = i2d_PUBKEY (pk->key, &spki);
      if (spki_len <= 0)
        {
          tp_chip_set_crypto_error (error, "Encoding a chip authentication public key");
          return NULL;
        }
      g_byte_array_append (c, spki, spki_len);
      OPENSSL_free (spki);
      if (pk->key_id >= 0)
        der_append_int (c, pk->key_id);
      add_element (elements, c);
    }

  if (infos->aa_signature_oid != NULL)
    {
      g_autoptr(GByteArray) c = g_byte_array_new ();

      if (!der_append_oid (c, TP_OID_AA_PROTOCOL, error))
        return NULL;
      der_append_int (c, 1);
      if (!der_append_oid (c, infos->aa_signature_oid, error))
        return NULL;
      add_element (elements, c);
    }

  /* DER: the elements of a SET OF in ascending order of their encodings */
  g_ptr_array_sort (elements, der_set_order);
  for (guint i = 0; i < elements->len; i++)
    {
      gsize n;
      const guint8 *d = g_bytes_get_data (g_ptr_array_index (elements, i), &n);

      g_byte_array_append (body, d, n);
    }
  der_append (out, DER_SET, body->data, body->len);

  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}
