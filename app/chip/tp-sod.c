/* tp-sod.c: EF.SOD, the Document Security Object
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <openssl/asn1t.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/rsa.h>

#include "tp-chip-error.h"
#include "tp-error.h"
#include "tp-sod.h"
#include "tp-tlv.h"

/* ASN.1 of the LDSSecurityObject (ICAO 9303 Part 10, 4.6.2), as OpenSSL
 * templates so that OpenSSL's DER codec does the decoding. */
typedef struct {
  ASN1_INTEGER      *number;
  ASN1_OCTET_STRING *value;
} TP_DG_HASH;

typedef struct {
  ASN1_PRINTABLESTRING *lds_version;
  ASN1_PRINTABLESTRING *unicode_version;
} TP_LDS_VERSION_INFO;

DEFINE_STACK_OF (TP_DG_HASH)

typedef struct {
  ASN1_INTEGER             *version;
  X509_ALGOR               *hash_algorithm;
  STACK_OF (TP_DG_HASH)    *hashes;
  TP_LDS_VERSION_INFO      *version_info;
} TP_LDS_SECURITY_OBJECT;

ASN1_SEQUENCE (TP_DG_HASH) = {
  ASN1_SIMPLE (TP_DG_HASH, number, ASN1_INTEGER),
  ASN1_SIMPLE (TP_DG_HASH, value, ASN1_OCTET_STRING),
} static_ASN1_SEQUENCE_END (TP_DG_HASH)

ASN1_SEQUENCE (TP_LDS_VERSION_INFO) = {
  ASN1_SIMPLE (TP_LDS_VERSION_INFO, lds_version, ASN1_PRINTABLESTRING),
  ASN1_SIMPLE (TP_LDS_VERSION_INFO, unicode_version, ASN1_PRINTABLESTRING),
} static_ASN1_SEQUENCE_END (TP_LDS_VERSION_INFO)

ASN1_SEQUENCE (TP_LDS_SECURITY_OBJECT) = {
  ASN1_SIMPLE (TP_LDS_SECURITY_OBJECT, version, ASN1_INTEGER),
  ASN1_SIMPLE (TP_LDS_SECURITY_OBJECT, hash_algorithm, X509_ALGOR),
  ASN1_SEQUENCE_OF (TP_LDS_SECURITY_OBJECT, hashes, TP_DG_HASH),
  ASN1_OPT (TP_LDS_SECURITY_OBJECT, version_info, TP_LDS_VERSION_INFO),
} static_ASN1_SEQUENCE_END (TP_LDS_SECURITY_OBJECT)

static const struct {
  const char *oid;
  const char *name;   /* for people and for EVP_MD_fetch() */
} digests[] = {
  { "1.3.14.3.2.26",          "SHA-1" },
  { "2.16.840.1.101.3.4.2.4", "SHA-224" },
  { "2.16.840.1.101.3.4.2.1", "SHA-256" },
  { "2.16.840.1.101.3.4.2.2", "SHA-384" },
  { "2.16.840.1.101.3.4.2.3", "SHA-512" },
};

static void
sod_hash_clear (gpointer p)
{
  TpSodHash *h = p;

  g_clear_pointer (&h->value, g_bytes_unref);
}

static int
sod_hash_compare (gconstpointer a,
                  gconstpointer b)
{
  const TpSodHash *ha = a, *hb = b;

  return (int) ha->dg - (int) hb->dg;
}

static char *
oid_to_dotted (const ASN1_OBJECT *obj)
{
  char buf[128];
  int n = OBJ_obj2txt (buf, sizeof buf, obj, 1);

  if (n <= 0 || (gsize) n >= sizeof buf)
    return g_strdup ("?");
  return g_strdup (buf);
}

static char *
oid_to_name (const ASN1_OBJECT *obj)
{
  char buf[128];
  int n = OBJ_obj2txt (buf, sizeof buf, obj, 0);

  if (n <= 0 || (gsize) n >= sizeof buf)
    return g_strdup ("?");
  return g_strdup (buf);
}

static char *
printable_to_string (const ASN1_STRING *s)
{
  return g_strndup ((const char *) ASN1_STRING_get0_data (s), ASN1_STRING_length (s));
}

static gboolean
parse_lds_security_object (TpSod         *sod,
                           GBytes        *content,
                           GError       **error)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (content, &len);
  const unsigned char *p = data;
  TP_LDS_SECURITY_OBJECT *lso;
  gint64 version;
  gboolean ok = FALSE;

  if (len > G_MAXLONG)
    len = G_MAXLONG;
  lso = (TP_LDS_SECURITY_OBJECT *) ASN1_item_d2i (NULL, &p, (long) len,
                                                  ASN1_ITEM_rptr (TP_LDS_SECURITY_OBJECT));
  if (lso == NULL)
    {
      g_autofree char *reason = tp_chip_openssl_reason ();

      g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT,
                   "EF.SOD: the LDSSecurityObject is not well-formed DER (%s)", reason);
      return FALSE;
    }
  if ((gsize) (p - data) != len)
    {
      g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT,
                   "EF.SOD: %" G_GSIZE_FORMAT " bytes follow the LDSSecurityObject",
                   len - (gsize) (p - data));
      goto out;
    }
  if (!ASN1_INTEGER_get_int64 (&version, lso->version) || version < 0 || version > 1)
    {
      g_set_error_literal (error, TP_ERROR, TP_ERROR_UNSUPPORTED,
                           "EF.SOD: LDSSecurityObject version is not 0 or 1");
      goto out;
    }
  sod->version = (int) version;

  {
    const ASN1_OBJECT *alg;

    X509_ALGOR_get0 (&alg, NULL, NULL, lso->hash_algorithm);
    sod->digest_oid = oid_to_dotted (alg);
    for (guint i = 0; i < G_N_ELEMENTS (digests); i++)
      if (strcmp (digests[i].oid, sod->digest_oid) == 0)
        sod->digest_name = digests[i].name;
  }

  for (int i = 0; i < sk_TP_DG_HASH_num (lso->hashes); i++)
    {
      const TP_DG_HASH *h = sk_TP_DG_HASH_value (lso->hashes, i);
      TpSodHash entry;
      gint64 n;

      if (!ASN1_INTEGER_get_int64 (&n, h->number) || n < 1 || n > 16)
        {
          g_set_error_literal (error, TP_ERROR, TP_ERROR_INVALID_INPUT,
                               "EF.SOD: a dataGroupNumber is not between 1 and 16");
          goto out;
        }
      if (tp_sod_find_hash (sod, (guint) n) != NULL)
        {
          g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT,
                       "EF.SOD: two hashes for DG%" G_GINT64_FORMAT, n);
          goto out;
        }
      entry.dg = (guint) n;
      entry.value = g_bytes_new (ASN1_STRING_get0_data (h->value), ASN1_STRING_length (h->value));
      g_array_append_val (sod->hashes, entry);
    }
  if (sod->hashes->len == 0)
    {
      g_set_error_literal (error, TP_ERROR, TP_ERROR_INVALID_INPUT,
                           "EF.SOD: the LDSSecurityObject lists no data group hash");
      goto out;
    }
  g_array_sort (sod->hashes, sod_hash_compare);

  if (lso->version_info != NULL)
    {
      sod->lds_version = printable_to_string (lso->version_info->lds_version);
      sod->unicode_version = printable_to_string (lso->version_info->unicode_version);
    }
  ok = TRUE;

out:
  ASN1_item_free ((ASN1_VALUE *) lso, ASN1_ITEM_rptr (TP_LDS_SECURITY_OBJECT));
  return ok;
}

static CMS_SignerInfo *
single_signer_info (CMS_ContentInfo  *cms,
                    GError          **error)
{
  STACK_OF (CMS_SignerInfo) *sis = CMS_get0_SignerInfos (cms);
  int n = sis != NULL ? sk_CMS_SignerInfo_num (sis) : 0;

  if (n != 1)
    {
      g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT,
                   "CMS SignedData has %d SignerInfos, exactly 1 expected", n);
      return NULL;
    }
  return sk_CMS_SignerInfo_value (sis, 0);
}

gboolean
tp_cms_verify_signed_data (CMS_ContentInfo  *cms,
                           STACK_OF (X509)  *extra_certs,
                           X509            **signer_out,
                           GError          **error)
{
  CMS_SignerInfo *si;
  X509 *signer = NULL;
  BIO *cont;
  char buf[4096];
  int r;

  g_return_val_if_fail (cms != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  si = single_signer_info (cms, error);
  if (si == NULL)
    return FALSE;

  CMS_SignerInfo_get0_algs (si, NULL, &signer, NULL, NULL);
  if (signer == NULL)
    {
      CMS_set1_signers_certs (cms, extra_certs, 0);
      ERR_clear_error ();
      CMS_SignerInfo_get0_algs (si, NULL, &signer, NULL, NULL);
    }
  if (signer == NULL)
    {
      g_set_error_literal (error, TP_ERROR, TP_ERROR_FAILED,
                           "the signer's certificate is neither embedded nor known, "
                           "so the signature cannot be checked");
      return FALSE;
    }

  if (CMS_signed_get_attr_count (si) > 0)
    {
      const ASN1_OBJECT *type = CMS_get0_eContentType (cms);
      ASN1_OBJECT *attr = CMS_signed_get0_data_by_OBJ (si, OBJ_nid2obj (NID_pkcs9_contentType),
                                                       -3, V_ASN1_OBJECT);

      /* RFC 5652 11.1: present with signed attributes, equal to eContentType */
      if (attr == NULL || type == NULL || OBJ_cmp (attr, type) != 0)
        {
          g_set_error_literal (error, TP_ERROR, TP_ERROR_FAILED,
                               attr == NULL
                               ? "the signed attributes have no content-type attribute (RFC 5652 11.1)"
                               : "the content-type signed attribute differs from the eContentType");
          ERR_clear_error ();
          return FALSE;
        }
      r = CMS_SignerInfo_verify (si);
      if (r != 1)
        {
          g_autofree char *reason = tp_chip_openssl_reason ();

          g_set_error (error, TP_ERROR, TP_ERROR_FAILED,
                       "the signature over the signed attributes does not verify "
                       "with the signer's key (%s)", reason);
          return FALSE;
        }
    }

  cont = CMS_dataInit (cms, NULL);
  if (cont == NULL)
    {
      g_autofree char *reason = tp_chip_openssl_reason ();

      g_set_error (error, TP_ERROR, TP_ERROR_FAILED,
                   "the signed content cannot be read (%s)", reason);
      return FALSE;
    }
  while (BIO_read (cont, buf, sizeof buf) > 0)
    ;
  r = CMS_SignerInfo_verify_content (si, cont);
  BIO_free_all (cont);
  if (r != 1)
    {
      g_autofree char *reason = tp_chip_openssl_reason ();

      g_set_error (error, TP_ERROR, TP_ERROR_FAILED,
                   CMS_signed_get_attr_count (si) > 0
                   ? "the message-digest signed attribute does not match the signed content (%s)"
                   : "the signature over the content does not verify with the signer's key (%s)",
                   reason);
      return FALSE;
    }

  ERR_clear_error ();
  if (signer_out != NULL)
    *signer_out = signer;
  return TRUE;
}

GBytes *
tp_cms_get_content (CMS_ContentInfo  *cms,
                    const char       *expected_oid,
                    GError          **error)
{
  const ASN1_OBJECT *type;
  ASN1_OCTET_STRING **content;
  g_autofree char *type_oid = NULL;

  g_return_val_if_fail (cms != NULL, NULL);
  g_return_val_if_fail (expected_oid != NULL, NULL);

  if (OBJ_obj2nid (CMS_get0_type (cms)) != NID_pkcs7_signed)
    {
      g_autofree char *t = oid_to_dotted (CMS_get0_type (cms));

      g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT,
                   "the CMS content type is %s, SignedData (1.2.840.113549.1.7.2) expected", t);
      return NULL;
    }
  type = CMS_get0_eContentType (cms);
  type_oid = type != NULL ? oid_to_dotted (type) : g_strdup ("absent");
  if (strcmp (type_oid, expected_oid) != 0)
    {
      g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT,
                   "the signed content type is %s, %s expected", type_oid, expected_oid);
      return NULL;
    }
  content = CMS_get0_content (cms);
  if (content == NULL || *content == NULL)
    {
      g_set_error_literal (error, TP_ERROR, TP_ERROR_INVALID_INPUT,
                           "the SignedData has no encapsulated content (detached signature)");
      return NULL;
    }
  return g_bytes_new (ASN1_STRING_get0_data (*content), ASN1_STRING_length (*content));
}

TpSod *
tp_sod_parse (const guint8  *data,
              gsize          len,
              GError       **error)
{
  g_autoptr(TpSod) sod = NULL;
  g_autoptr(GBytes) content = NULL;
  g_autoptr(GError) local_error = NULL;
  const guint8 *value;
  gsize value_len;
  const unsigned char *p;
  CMS_SignerInfo *si;
  STACK_OF (X509) *certs;

  g_return_val_if_fail (data != NULL || len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  {
    TpTlv outer;
    gsize offset = 0;

    if (!tp_tlv_read (data, len, &offset, &outer, error))
      {
        g_prefix_error (error, "EF.SOD: ");
        return NULL;
      }
    if (outer.tag != TP_SOD_TAG)
      {
        g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT,
                     "EF.SOD: the file starts with tag %X, 77 expected", outer.tag);
        return NULL;
      }
    value = outer.value;
    value_len = outer.length;
  }

  sod = g_new0 (TpSod, 1);
  sod->hashes = g_array_new (FALSE, FALSE, sizeof (TpSodHash));
  g_array_set_clear_func (sod->hashes, sod_hash_clear);
  sod->certificates = g_ptr_array_new_with_free_func ((GDestroyNotify) X509_free);

  p = value;
  if (value_len > G_MAXLONG)
    value_len = G_MAXLONG;
  sod->cms = d2i_CMS_ContentInfo (NULL, &p, (long) value_len);
  if (sod->cms == NULL)
    {
      g_autofree char *reason = tp_chip_openssl_reason ();

      g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT,
                   "EF.SOD: the content of tag 77 is not a CMS ContentInfo (%s)", reason);
      return NULL;
    }
  if ((gsize) (p - value) != value_len)
    {
      g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT,
                   "EF.SOD: %" G_GSIZE_FORMAT " bytes follow the CMS ContentInfo inside tag 77",
                   value_len - (gsize) (p - value));
      return NULL;
    }

  content = tp_cms_get_content (sod->cms, TP_OID_LDS_SECURITY_OBJECT, &local_error);
  if (content == NULL)
    {
      g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT, "EF.SOD: %s%s", local_error->message,
                   g_str_has_prefix (local_error->message, "the signed content type")
                   ? " (id-icao-mrtd-security-ldsSecurityObject)" : "");
      return NULL;
    }
  if (!parse_lds_security_object (sod, content, error))
    return NULL;

  si = single_signer_info (sod->cms, error);
  if (si == NULL)
    {
      g_prefix_error (error, "EF.SOD: ");
      return NULL;
    }

  {
    X509_ALGOR *dig = NULL, *sig = NULL;
    const ASN1_OBJECT *obj;

    CMS_SignerInfo_get0_algs (si, NULL, NULL, &dig, &sig);
    X509_ALGOR_get0 (&obj, NULL, NULL, sig);
    sod->signature_algorithm = oid_to_name (obj);
    X509_ALGOR_get0 (&obj, NULL, NULL, dig);
    sod->signer_digest = oid_to_name (obj);
  }

  certs = CMS_get1_certs (sod->cms);
  for (int i = 0; certs != NULL && i < sk_X509_num (certs); i++)
    {
      X509 *cert = sk_X509_value (certs, i);

      g_ptr_array_add (sod->certificates, cert);
      if (sod->document_signer == NULL && CMS_SignerInfo_cert_cmp (si, cert) == 0)
        sod->document_signer = cert;
    }
  sk_X509_free (certs);
  ERR_clear_error ();

  return g_steal_pointer (&sod);
}

void
tp_sod_free (TpSod *sod)
{
  if (sod == NULL)
    return;
  g_clear_pointer (&sod->hashes, g_array_unref);
  g_clear_pointer (&sod->certificates, g_ptr_array_unref);
  g_clear_pointer (&sod->cms, CMS_ContentInfo_free);
  g_free (sod->digest_oid);
  g_free (sod->lds_version);
  g_free (sod->unicode_version);
  g_free (sod->signature_algorithm);
  g_free (sod->signer_digest);
  g_free (sod);
}

const TpSodHash *
tp_sod_find_hash (const TpSod *sod,
                  guint        dg)
{
  g_return_val_if_fail (sod != NULL, NULL);

  for (guint i = 0; i < sod->hashes->len; i++)
    {
      const TpSodHash *h = &g_array_index (sod->hashes, TpSodHash, i);

      if (h->dg == dg)
        return h;
    }
  return NULL;
}

EVP_MD *
tp_sod_fetch_digest (const TpSod *sod)
{
  g_return_val_if_fail (sod != NULL, NULL);

  if (sod->digest_name == NULL)
    return NULL;
  return EVP_MD_fetch (NULL, sod->digest_name, NULL);
}

gboolean
tp_sod_verify_signature (const TpSod  *sod,
                         X509         *signer,
                         GError      **error)
{
  CMS_SignerInfo *si;

  g_return_val_if_fail (sod != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  si = single_signer_info (sod->cms, error);
  if (si == NULL)
    return FALSE;
  if (signer != NULL)
    {
      if (CMS_SignerInfo_cert_cmp (si, signer) != 0)
        {
          g_set_error_literal (error, TP_ERROR, TP_ERROR_FAILED,
                               "the certificate given is not the one the SignerInfo names");
          ERR_clear_error ();
          return FALSE;
        }
      CMS_SignerInfo_set1_signer_cert (si, signer);
    }
  return tp_cms_verify_signed_data (sod->cms, NULL, NULL, error);
}

static gboolean
check_digest_name (const char  *digest,
                   GError     **error)
{
  static const char *const allowed[] = { "SHA1", "SHA224", "SHA256", "SHA384", "SHA512" };

  for (guint i = 0; i < G_N_ELEMENTS (allowed); i++)
    if (g_ascii_strcasecmp (digest, allowed[i]) == 0)
      return TRUE;
  g_set_error (error, TP_ERROR, TP_ERROR_INVALID_ARGUMENT,
               "digest \"%s\": SHA1, SHA224, SHA256, SHA384 or SHA512 expected", digest);
  return FALSE;
}

GBytes *
tp_cms_sign (GBytes           *content,
             const char       *content_type,
             X509             *signer,
             EVP_PKEY         *key,
             const char       *digest,
             STACK_OF (X509)  *extra_certs,
             GDateTime        *signing_time,
             TpSodBuildFlags   flags,
             GError          **error)
{
  const unsigned int cms_flags = CMS_BINARY | CMS_NOSMIMECAP | CMS_PARTIAL;
  unsigned int signer_flags = CMS_BINARY | CMS_NOSMIMECAP;
  CMS_ContentInfo *cms = NULL;
  CMS_SignerInfo *si;
  ASN1_OBJECT *type = NULL;
  EVP_MD *md = NULL;
  BIO *in = NULL;
  unsigned char *der = NULL;
  int der_len;
  GBytes *result = NULL;

  g_return_val_if_fail (content != NULL, NULL);
  g_return_val_if_fail (content_type != NULL, NULL);
  g_return_val_if_fail (signer != NULL && key != NULL, NULL);
  g_return_val_if_fail (digest != NULL, NULL);

  if (!check_digest_name (digest, error))
    return NULL;
  md = EVP_MD_fetch (NULL, digest, NULL);
  type = OBJ_txt2obj (content_type, 1);
  if (md == NULL || type == NULL)
    {
      g_set_error (error, TP_ERROR, TP_ERROR_INVALID_ARGUMENT,
                   "cannot sign: digest %s or content type %s unknown", digest, content_type);
      goto out;
    }

  if (flags & TP_SOD_BUILD_NO_CERTIFICATE)
    signer_flags |= CMS_NOCERTS;
  if (flags & TP_SOD_BUILD_SUBJECT_KEY_ID)
    signer_flags |= CMS_USE_KEYID;
  if (flags & TP_SOD_BUILD_RSA_PSS)
    signer_flags |= CMS_KEY_PARAM;

  cms = CMS_sign (NULL, NULL, NULL, NULL, cms_flags);
  if (cms == NULL || !CMS_set1_eContentType (cms, type))
    goto failed;
  si = CMS_add1_signer (cms, signer, key, md, signer_flags);
  if (si == NULL)
    goto failed;
  if (flags & TP_SOD_BUILD_RSA_PSS)
    {
      EVP_PKEY_CTX *pctx = CMS_SignerInfo_get0_pkey_ctx (si);

      if (pctx == NULL ||
          EVP_PKEY_CTX_set_rsa_padding (pctx, RSA_PKCS1_PSS_PADDING) <= 0 ||
          EVP_PKEY_CTX_set_rsa_pss_saltlen (pctx, RSA_PSS_SALTLEN_DIGEST) <= 0 ||
          EVP_PKEY_CTX_set_rsa_mgf1_md (pctx, md) <= 0)
        goto failed;
    }
  if (signing_time != NULL)
    {
      /* OpenSSL adds the current time unless the attribute is there */
      ASN1_TIME *t = ASN1_TIME_set (NULL, (time_t) g_date_time_to_unix (signing_time));
      gboolean added = t != NULL &&
                       CMS_signed_add1_attr_by_NID (si, NID_pkcs9_signingTime, t->type, t, -1);

      ASN1_TIME_free (t);
      if (!added)
        goto failed;
    }
  for (int i = 0; extra_certs != NULL && i < sk_X509_num (extra_certs); i++)
    if (!CMS_add1_cert (cms, sk_X509_value (extra_certs, i)))
      goto failed;

  in = BIO_new_mem_buf (g_bytes_get_data (content, NULL), (int) g_bytes_get_size (content));
  if (in == NULL || !CMS_final (cms, in, NULL, CMS_BINARY))
    goto failed;

  der_len = i2d_CMS_ContentInfo (cms, &der);
  if (der_len <= 0)
    goto failed;
  result = g_bytes_new (der, der_len);
  OPENSSL_free (der);
  goto out;

failed:
  {
    g_autofree char *reason = tp_chip_openssl_reason ();

    g_set_error (error, TP_ERROR, TP_ERROR_FAILED, "CMS signing failed: %s", reason);
  }

out:
  BIO_free (in);
  CMS_ContentInfo_free (cms);
  ASN1_OBJECT_free (type);
  EVP_MD_free (md);
  return result;
}

GBytes *
tp_sod_build (GBytes * const   *dgs,
              const char       *digest,
              X509             *signer,
              EVP_PKEY         *signer_key,
              const char       *lds_version,
              const char       *unicode_version,
              const char       *content_type,
              GDateTime        *signing_time,
              TpSodBuildFlags   flags,
              GError          **error)
{
  TP_LDS_SECURITY_OBJECT *lso = NULL;
  EVP_MD *md = NULL;
  unsigned char *der = NULL;
  int der_len;
  g_autoptr(GBytes) content = NULL;
  g_autoptr(GBytes) cms = NULL;
  GBytes *result = NULL;

  g_return_val_if_fail (dgs != NULL, NULL);
  g_return_val_if_fail (digest != NULL, NULL);
  g_return_val_if_fail (signer != NULL && signer_key != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_digest_name (digest, error))
    return NULL;
  md = EVP_MD_fetch (NULL, digest, NULL);
  if (md == NULL)
    {
      g_set_error (error, TP_ERROR, TP_ERROR_INVALID_ARGUMENT, "digest %s unavailable", digest);
      return NULL;
    }

  lso = (TP_LDS_SECURITY_OBJECT *) ASN1_item_new (ASN1_ITEM_rptr (TP_LDS_SECURITY_OBJECT));
  ASN1_INTEGER_set_int64 (lso->version, lds_version != NULL ? 1 : 0);
  /* hashAlgorithm with absent parameters (RFC 5754 3) */
  X509_ALGOR_set0 (lso->hash_algorithm, OBJ_nid2obj (EVP_MD_get_type (md)), V_ASN1_UNDEF, NULL);

  for (guint n = 1; n <= 16; n++)
    {
      TP_DG_HASH *h;
      unsigned char hash[EVP_MAX_MD_SIZE];
      unsigned int hash_len;

      if (dgs[n] == NULL)
        continue;
      if (!EVP_Digest (g_bytes_get_data (dgs[n], NULL), g_bytes_get_size (dgs[n]),
                       hash, &hash_len, md, NULL))
        {
          g_set_error_literal (error, TP_ERROR, TP_ERROR_FAILED, "hashing failed");
          goto out;
        }
      h = (TP_DG_HASH *) ASN1_item_new (ASN1_ITEM_rptr (TP_DG_HASH));
      ASN1_INTEGER_set_int64 (h->number, n);
      ASN1_OCTET_STRING_set (h->value, hash, (int) hash_len);
      sk_TP_DG_HASH_push (lso->hashes, h);
    }

  if (lds_version != NULL)
    {
      lso->version_info = (TP_LDS_VERSION_INFO *) ASN1_item_new (ASN1_ITEM_rptr (TP_LDS_VERSION_INFO));
      ASN1_STRING_set (lso->version_info->lds_version, lds_version, -1);
      ASN1_STRING_set (lso->version_info->unicode_version,
                       unicode_version != NULL ? unicode_version : "040000", -1);
    }

  der_len = ASN1_item_i2d ((ASN1_VALUE *) lso, &der, ASN1_ITEM_rptr (TP_LDS_SECURITY_OBJECT));
  if (der_len <= 0)
    {
      g_set_error_literal (error, TP_ERROR, TP_ERROR_FAILED, "encoding the LDSSecurityObject failed");
      goto out;
    }
  content = g_bytes_new (der, der_len);
  OPENSSL_free (der);

  cms = tp_cms_sign (content, content_type != NULL ? content_type : TP_OID_LDS_SECURITY_OBJECT,
                     signer, signer_key, digest, NULL, signing_time, flags, error);
  if (cms == NULL)
    goto out;
  {
    GByteArray *out = g_byte_array_new ();

    tp_tlv_append (out, TP_SOD_TAG, g_bytes_get_data (cms, NULL), g_bytes_get_size (cms));
    result = g_byte_array_free_to_bytes (out);
  }

out:
  ASN1_item_free ((ASN1_VALUE *) lso, ASN1_ITEM_rptr (TP_LDS_SECURITY_OBJECT));
  EVP_MD_free (md);
  return result;
}
