/* tp-chip-auth.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/asn1.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/x509.h>

#include "tp-chip-auth.h"
#include "tp-chip-error.h"
#include "tp-tlv.h"

#define CA_OID_PREFIX      "0.4.0.127.0.7.2.2.3."
#define PACE_OID_PREFIX    "0.4.0.127.0.7.2.2.4."
#define STD_DOMAIN_PARAMS  "0.4.0.127.0.7.1.2"

#define DG14_TAG           0x6E
#define INS_MSE            0x22
#define INS_GENERAL_AUTHENTICATE 0x86
#define TAG_DYNAMIC_AUTH_DATA 0x7C
#define TAG_PROTOCOL       0x80
#define TAG_KEY_ID         0x84
#define TAG_KAT_PUBLIC_KEY 0x91
#define TAG_GA_PUBLIC_KEY  0x80

/* ASN.1 universal tags for the encoder */
#define DER_INTEGER   0x02
#define DER_OID       0x06
#define DER_SEQUENCE  0x30
#define DER_SET       0x31

struct _TpCaChip {
  EVP_PKEY       *key;
  TpChipAuthInfo *info;
  gboolean        at_set;
};

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

static TpChipAuthInfo *
chip_auth_info_copy (const TpChipAuthInfo *info)
{
  TpChipAuthInfo *copy = g_memdup2 (info, sizeof *info);

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

/* Protocol */

static gboolean
key_is_ec (EVP_PKEY *key)
{
  return EVP_PKEY_is_a (key, "EC");
}

gboolean
tp_chip_auth_choose (const TpSecurityInfos       *infos,
                     TpChipAuthInfo             **info,
                     const TpChipAuthPublicKey  **key,
                     GError                     **error)
{
  const TpChipAuthInfo *best = NULL;
  const TpChipAuthPublicKey *best_key = NULL;

  g_return_val_if_fail (infos != NULL, FALSE);
  g_return_val_if_fail (info != NULL && *info == NULL, FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  /* The strongest cipher among the protocols that have their key */
  for (guint i = 0; i < infos->ca_infos->len; i++)
    {
      const TpChipAuthInfo *ca = g_ptr_array_index (infos->ca_infos, i);

      if (ca->version != 1 || (best != NULL && ca->cipher <= best->cipher))
        continue;
      for (guint j = 0; j < infos->ca_public_keys->len; j++)
        {
          const TpChipAuthPublicKey *pk = g_ptr_array_index (infos->ca_public_keys, j);

          if (key_is_ec (pk->key) != ca->ecdh)
            continue;
          if (ca->key_id >= 0 && pk->key_id != ca->key_id)
            continue;
          best = ca;
          best_key = pk;
          break;
        }
    }
  if (best != NULL)
    {
      *info = chip_auth_info_copy (best);
      *key = best_key;
      return TRUE;
    }

  if (infos->ca_infos->len == 0 && infos->ca_public_keys->len > 0)
    {
      const TpChipAuthPublicKey *pk = g_ptr_array_index (infos->ca_public_keys, 0);

      *info = tp_chip_auth_info_new (tp_chip_auth_oid (key_is_ec (pk->key), TP_SM_CIPHER_3DES),
                                     1, pk->key_id, NULL);
      *key = pk;
      return TRUE;
    }

  g_set_error_literal (error, TP_CHIP_ERROR, TP_CHIP_ERROR_UNSUPPORTED,
                       infos->ca_public_keys->len == 0
                       ? "DG14 holds no chip authentication public key"
                       : "DG14 offers no chip authentication (version 1) that matches a public key");
  return FALSE;
}

GBytes *
tp_chip_auth_encode_public (EVP_PKEY  *key,
                            GError   **error)
{
  unsigned char *pub = NULL;
  size_t len;
  GBytes *bytes;

  g_return_val_if_fail (key != NULL, NULL);

  len = EVP_PKEY_get1_encoded_public_key (key, &pub);
  if (len == 0 || pub == NULL)
    {
      tp_chip_set_crypto_error (error, "Encoding a public key");
      return NULL;
    }
  bytes = g_bytes_new (pub, len);
  OPENSSL_free (pub);

  return bytes;
}

static EVP_PKEY *
generate_like (EVP_PKEY  *params,
               GError   **error)
{
  EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_pkey (NULL, params, NULL);
  EVP_PKEY *key = NULL;

  if (ctx == NULL || EVP_PKEY_keygen_init (ctx) != 1 || EVP_PKEY_keygen (ctx, &key) != 1)
    {
      EVP_PKEY_free (key);
      key = NULL;
      tp_chip_set_crypto_error (error, "Generating an ephemeral key on the chip's domain parameters");
    }
  EVP_PKEY_CTX_free (ctx);

  return key;
}

/* A public key on @params' domain parameters from its encoding, checked */
static EVP_PKEY *
peer_from_encoded (EVP_PKEY     *params,
                   const guint8 *pub,
                   gsize         len)
{
  EVP_PKEY *peer = EVP_PKEY_new ();
  EVP_PKEY_CTX *ctx = NULL;
  gboolean ok;

  ok = peer != NULL && len > 0 &&
       EVP_PKEY_copy_parameters (peer, params) == 1 &&
       EVP_PKEY_set1_encoded_public_key (peer, pub, len) == 1 &&
       (ctx = EVP_PKEY_CTX_new_from_pkey (NULL, peer, NULL)) != NULL &&
       EVP_PKEY_public_check (ctx) == 1;
  EVP_PKEY_CTX_free (ctx);
  ERR_clear_error ();
  if (!ok)
    {
      EVP_PKEY_free (peer);
      return NULL;
    }

  return peer;
}

/* Shared secret: the x coordinate for ECDH, g^xy padded to the modulus
 * for DH (BSI TR-03111 / PKCS #3) */
static GBytes *
derive_secret (EVP_PKEY  *own,
               EVP_PKEY  *peer,
               GError   **error)
{
  EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_pkey (NULL, own, NULL);
  guint8 *secret = NULL;
  gsize len = 0;
  gboolean ok;
  GBytes *bytes = NULL;

  ok = ctx != NULL &&
       EVP_PKEY_derive_init (ctx) == 1 &&
       (key_is_ec (own) || EVP_PKEY_CTX_set_dh_pad (ctx, 1) == 1) &&
       EVP_PKEY_derive_set_peer (ctx, peer) == 1 &&
       EVP_PKEY_derive (ctx, NULL, &len) == 1;
  if (ok)
    {
      secret = g_malloc (len);
      ok = EVP_PKEY_derive (ctx, secret, &len) == 1;
    }
  EVP_PKEY_CTX_free (ctx);

  if (!ok)
    tp_chip_set_crypto_error (error, "Chip authentication key agreement");
  else
    bytes = g_bytes_new (secret, len);
  if (secret != NULL)
    OPENSSL_cleanse (secret, len);
  g_free (secret);

  return bytes;
}

static void
append_key_id (GByteArray *data,
               gint64      key_id)
{
  guint8 bytes[8];
  gsize n = 0;

  if (key_id < 0)
    return;
  for (gint shift = 56; shift >= 0; shift -= 8)
    {
      guint8 b = (key_id >> shift) & 0xFF;

      if (n == 0 && b == 0 && shift > 0)
        continue;
      bytes[n++] = b;
    }
  tp_tlv_append (data, TAG_KEY_ID, bytes, n);
}

static gboolean
read_key_id (const guint8 *value,
             gsize         len,
             gint64       *key_id)
{
  gint64 v = 0;

  if (len == 0 || len > 7)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    v = (v << 8) | value[i];
  *key_id = v;
  return TRUE;
}

static gboolean
exchange (TpApduTransmitFunc   transmit,
          gpointer             user_data,
          TpSm                *sm,
          TpApdu              *apdu,
          GByteArray          *response,
          const char          *what,
          GError             **error)
{
  guint16 sw = 0;

  if (!tp_sm_transmit (sm, transmit, user_data, apdu, response, &sw, error))
    return FALSE;
  if (sw != TP_SW_OK)
    {
      g_set_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_AUTHENTICATION,
                   "Chip authentication failed: the chip answered %04X (%s) to %s",
                   sw, tp_chip_sw_describe (sw), what);
      return FALSE;
    }
  return TRUE;
}

gboolean
tp_chip_auth_authenticate (TpApduTransmitFunc          transmit,
                           gpointer                    user_data,
                           TpSm                      **sm,
                           const TpChipAuthInfo       *info,
                           const TpChipAuthPublicKey  *key,
                           gboolean                    confirm,
                           GError                    **error)
{
  g_autoptr(GByteArray) data = g_byte_array_new ();
  g_autoptr(GByteArray) response = g_byte_array_new ();
  g_autoptr(GBytes) public = NULL;
  g_autoptr(GBytes) secret = NULL;
  g_autoptr(TpApdu) apdu = NULL;
  g_autoptr(TpSm) old_sm = NULL;
  g_autoptr(TpSm) new_sm = NULL;
  EVP_PKEY *ephemeral = NULL;
  EVP_PKEY *chip_key;
  gboolean ok = FALSE;

  g_return_val_if_fail (transmit != NULL, FALSE);
  g_return_val_if_fail (sm != NULL && *sm != NULL, FALSE);
  g_return_val_if_fail (info != NULL, FALSE);
  g_return_val_if_fail (key != NULL && key->key != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  old_sm = g_steal_pointer (sm);
  chip_key = key->key;

  if (info->version != 1)
    {
      g_set_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_UNSUPPORTED,
                   "Chip authentication version %d is not supported (only version 1)",
                   info->version);
      goto out;
    }
  if (key_is_ec (chip_key) != info->ecdh)
    {
      g_set_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_UNSUPPORTED,
                   "Chip authentication protocol %s does not fit the DG14 key", info->oid);
      goto out;
    }

  {
    EVP_PKEY_CTX *check = EVP_PKEY_CTX_new_from_pkey (NULL, chip_key, NULL);
    gboolean valid = check != NULL && EVP_PKEY_public_check (check) == 1;

    EVP_PKEY_CTX_free (check);
    ERR_clear_error ();
    if (!valid)
      {
        g_set_error_literal (error, TP_CHIP_ERROR, TP_CHIP_ERROR_PROTOCOL,
                             "The chip authentication public key of DG14 is not a valid key");
        goto out;
      }
  }

  ephemeral = generate_like (chip_key, error);
  if (ephemeral == NULL)
    goto out;
  public = tp_chip_auth_encode_public (ephemeral, error);
  if (public == NULL)
    goto out;

  if (info->cipher == TP_SM_CIPHER_3DES)
    {
      /* MSE:Set KAT */
      tp_tlv_append (data, TAG_KAT_PUBLIC_KEY, g_bytes_get_data (public, NULL),
                     g_bytes_get_size (public));
      append_key_id (data, info->key_id);
      apdu = tp_apdu_new (0x00, INS_MSE, 0x41, 0xA6, data->data, data->len, 0);
      if (!exchange (transmit, user_data, old_sm, apdu, response, "MSE:Set KAT", error))
        goto out;
    }
  else
    {
      g_autoptr(GBytes) oid = tp_oid_encode (info->oid, error);
      g_autoptr(GByteArray) inner = g_byte_array_new ();
      g_autoptr(GError) local_error = NULL;
      TpTlv dyn;

      if (oid == NULL)
        goto out;
      /* MSE:Set AT, then GENERAL AUTHENTICATE */
      tp_tlv_append (data, TAG_PROTOCOL, g_bytes_get_data (oid, NULL), g_bytes_get_size (oid));
      append_key_id (data, info->key_id);
      apdu = tp_apdu_new (0x00, INS_MSE, 0x41, 0xA4, data->data, data->len, 0);
      if (!exchange (transmit, user_data, old_sm, apdu, response, "MSE:Set AT", error))
        goto out;

      tp_tlv_append (inner, TAG_GA_PUBLIC_KEY, g_bytes_get_data (public, NULL),
                     g_bytes_get_size (public));
      g_byte_array_set_size (data, 0);
      tp_tlv_append (data, TAG_DYNAMIC_AUTH_DATA, inner->data, inner->len);
      g_clear_pointer (&apdu, tp_apdu_free);
      apdu = tp_apdu_new (0x00, INS_GENERAL_AUTHENTICATE, 0x00, 0x00, data->data, data->len,
                          TP_APDU_LE_MAX_SHORT);
      if (tp_apdu_is_extended (apdu))
        apdu->le = TP_APDU_LE_MAX_EXTENDED;
      if (!exchange (transmit, user_data, old_sm, apdu, response, "GENERAL AUTHENTICATE", error))
        goto out;
      if (!tp_tlv_unwrap (response->data, response->len, TAG_DYNAMIC_AUTH_DATA, &dyn, &local_error))
        {
          g_set_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_PROTOCOL,
                       "Chip authentication: the answer to GENERAL AUTHENTICATE is not "
                       "dynamic authentication data ('7C'): %s", local_error->message);
          goto out;
        }
      if (dyn.length > 0)
        {
          g_set_error_literal (error, TP_CHIP_ERROR, TP_CHIP_ERROR_UNSUPPORTED,
                               "Chip authentication: the chip answered with a nonce and token "
                               "(chip authentication version 2), which is not supported");
          goto out;
        }
    }

  secret = derive_secret (ephemeral, chip_key, error);
  if (secret == NULL)
    goto out;
  new_sm = tp_sm_new_from_secret (info->cipher, g_bytes_get_data (secret, NULL),
                                  g_bytes_get_size (secret), error);
  if (new_sm == NULL)
    goto out;

  if (confirm)
    {
      g_autoptr(TpApdu) select = tp_apdu_new (0x00, 0xA4, 0x02, 0x0C,
                                              (const guint8 *) "\x01\x1E", 2, 0);
      g_autoptr(GError) local_error = NULL;
      guint16 sw = 0;

      if (!tp_sm_transmit (new_sm, transmit, user_data, select, response, &sw, &local_error) ||
          !tp_sm_last_response_authenticated (new_sm))
        {
          if (local_error != NULL && local_error->code == TP_CHIP_ERROR_COMMUNICATION)
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              goto out;
            }
          g_set_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_AUTHENTICATION,
                       "Chip authentication failed: the chip's first answer under the new keys "
                       "does not verify (%s)",
                       local_error != NULL ? local_error->message : "no MAC");
          goto out;
        }
    }

  *sm = g_steal_pointer (&new_sm);
  ok = TRUE;

out:
  EVP_PKEY_free (ephemeral);
  ERR_clear_error ();
  return ok;
}

/* Chip side */

TpCaChip *
tp_ca_chip_new (EVP_PKEY             *private_key,
                const TpChipAuthInfo *info)
{
  TpCaChip *chip;

  g_return_val_if_fail (private_key != NULL, NULL);
  g_return_val_if_fail (info != NULL, NULL);

  chip = g_new0 (TpCaChip, 1);
  EVP_PKEY_up_ref (private_key);
  chip->key = private_key;
  chip->info = chip_auth_info_copy (info);

  return chip;
}

void
tp_ca_chip_free (TpCaChip *chip)
{
  if (chip == NULL)
    return;
  EVP_PKEY_free (chip->key);
  tp_chip_auth_info_free (chip->info);
  g_free (chip);
}

gboolean
tp_ca_chip_handles (TpCaChip     *chip,
                    const TpApdu *command)
{
  g_return_val_if_fail (chip != NULL, FALSE);
  g_return_val_if_fail (command != NULL, FALSE);

  if (command->ins == INS_MSE)
    return command->p1 == 0x41 && (command->p2 == 0xA6 || command->p2 == 0xA4);
  return command->ins == INS_GENERAL_AUTHENTICATE && chip->at_set;
}

static guint16
chip_agree (TpCaChip      *chip,
            const guint8  *pub,
            gsize          pub_len,
            TpSm         **sm)
{
  g_autoptr(GBytes) secret = NULL;
  EVP_PKEY *peer;

  peer = peer_from_encoded (chip->key, pub, pub_len);
  if (peer == NULL)
    return TP_SW_WRONG_DATA;
  secret = derive_secret (chip->key, peer, NULL);
  EVP_PKEY_free (peer);
  if (secret == NULL)
    return TP_SW_WRONG_DATA;

  *sm = tp_sm_new_from_secret (chip->info->cipher, g_bytes_get_data (secret, NULL),
                               g_bytes_get_size (secret), NULL);
  return *sm != NULL ? TP_SW_OK : TP_SW_UNKNOWN;
}

static gboolean
key_id_matches (TpCaChip     *chip,
                const TpApdu *command)
{
  TpTlv value;
  gint64 key_id;

  /* Absent, or hidden by malformed data: any key */
  if (!tp_tlv_find (command->data->data, command->data->len, TAG_KEY_ID, &value, NULL))
    return TRUE;
  return read_key_id (value.value, value.length, &key_id) && key_id == chip->info->key_id;
}

guint16
tp_ca_chip_process (TpCaChip      *chip,
                    const TpApdu  *command,
                    GByteArray    *response,
                    TpSm         **sm)
{
  const guint8 *data;
  gsize len;
  TpTlv value;

  g_return_val_if_fail (chip != NULL, TP_SW_UNKNOWN);
  g_return_val_if_fail (command != NULL, TP_SW_UNKNOWN);
  g_return_val_if_fail (response != NULL, TP_SW_UNKNOWN);
  g_return_val_if_fail (sm != NULL && *sm == NULL, TP_SW_UNKNOWN);

  data = command->data->data;
  len = command->data->len;

  if (command->ins == INS_MSE && command->p1 == 0x41 && command->p2 == 0xA6)
    {
      chip->at_set = FALSE;
      if (chip->info->cipher != TP_SM_CIPHER_3DES)
        return TP_SW_CONDITIONS_NOT_SATISFIED;
      if (!key_id_matches (chip, command))
        return TP_SW_REFERENCED_DATA_NOT_FOUND;
      if (!tp_tlv_find (data, len, TAG_KAT_PUBLIC_KEY, &value, NULL))
        return TP_SW_WRONG_DATA;
      return chip_agree (chip, value.value, value.length, sm);
    }

  if (command->ins == INS_MSE && command->p1 == 0x41 && command->p2 == 0xA4)
    {
      g_autofree char *oid = NULL;

      chip->at_set = FALSE;
      if (!tp_tlv_find (data, len, TAG_PROTOCOL, &value, NULL) ||
          (oid = tp_oid_decode (value.value, value.length, NULL)) == NULL)
        return TP_SW_WRONG_DATA;
      if (strcmp (oid, chip->info->oid) != 0 || chip->info->cipher == TP_SM_CIPHER_3DES ||
          !key_id_matches (chip, command))
        return TP_SW_REFERENCED_DATA_NOT_FOUND;
      chip->at_set = TRUE;
      return TP_SW_OK;
    }

  if (command->ins == INS_GENERAL_AUTHENTICATE)
    {
      TpTlv dyn;
      guint16 sw;

      if (!chip->at_set)
        return TP_SW_CONDITIONS_NOT_SATISFIED;
      chip->at_set = FALSE;
      if (command->p1 != 0 || command->p2 != 0)
        return TP_SW_WRONG_P1P2;
      if (!tp_tlv_unwrap (data, len, TAG_DYNAMIC_AUTH_DATA, &dyn, NULL) ||
          !tp_tlv_find (dyn.value, dyn.length, TAG_GA_PUBLIC_KEY, &value, NULL))
        return TP_SW_WRONG_DATA;
      sw = chip_agree (chip, value.value, value.length, sm);
      if (sw == TP_SW_OK)
        tp_tlv_append (response, TAG_DYNAMIC_AUTH_DATA, NULL, 0);
      return sw;
    }

  return TP_SW_INS_NOT_SUPPORTED;
}
