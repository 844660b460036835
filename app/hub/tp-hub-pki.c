/* tp-hub-pki.c: certificates with OpenSSL 3
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "tp-error.h"
#include "tp-hub-pki.h"

static gboolean
ssl_fail (GError     **error,
          const char  *doing)
{
  unsigned long code = ERR_get_error ();
  char buf[256] = "";

  if (code != 0)
    ERR_error_string_n (code, buf, sizeof buf);
  ERR_clear_error ();
  g_set_error (error, TP_ERROR, TP_ERROR_FAILED, "cannot %s%s%s", doing, buf[0] ? ": " : "", buf);
  return FALSE;
}

static char *
bio_to_string (BIO *bio)
{
  char *data = NULL;
  long len = BIO_get_mem_data (bio, &data);

  return g_strndup (data, (gsize) len);
}

static char *
key_to_pem (EVP_PKEY *key)
{
  BIO *bio = BIO_new (BIO_s_mem ());
  char *pem = NULL;

  if (PEM_write_bio_PrivateKey (bio, key, NULL, NULL, 0, NULL, NULL) == 1)
    pem = bio_to_string (bio);
  BIO_free (bio);
  return pem;
}

static char *
cert_to_pem (X509 *cert)
{
  BIO *bio = BIO_new (BIO_s_mem ());
  char *pem = NULL;

  if (PEM_write_bio_X509 (bio, cert) == 1)
    pem = bio_to_string (bio);
  BIO_free (bio);
  return pem;
}

static gboolean
add_ext (X509       *cert,
         X509       *issuer,
         int         nid,
         const char *value)
{
  X509V3_CTX ctx;
  X509_EXTENSION *ext;
  gboolean ok;

  X509V3_set_ctx (&ctx, issuer, cert, NULL, NULL, 0);
  ext = X509V3_EXT_conf_nid (NULL, &ctx, nid, value);
  if (ext == NULL)
    return FALSE;
  ok = X509_add_ext (cert, ext, -1) == 1;
  X509_EXTENSION_free (ext);
  return ok;
}

static gboolean
set_name_entry (X509_NAME  *name,
                const char *field,
                const char *value)
{
  if (value == NULL)
    return TRUE;
  return X509_NAME_add_entry_by_txt (name, field, MBSTRING_UTF8, (const unsigned char *) value, -1, -1, 0) == 1;
}

static char *
serial_to_hex (const ASN1_INTEGER *serial)
{
  BIGNUM *bn = ASN1_INTEGER_to_BN (serial, NULL);
  char *hex = BN_bn2hex (bn);
  char *out = g_ascii_strdown (hex, -1);

  OPENSSL_free (hex);
  BN_free (bn);
  return out;
}

/* A new certificate for @key with a random positive 127-bit serial. */
static X509 *
new_cert (EVP_PKEY *key,
          guint     days)
{
  X509 *cert = X509_new ();
  guint8 rnd[16];
  BIGNUM *bn;

  RAND_bytes (rnd, sizeof rnd);
  rnd[0] &= 0x7f;
  rnd[0] |= 0x40;   /* always 16 bytes, never negative */
  bn = BN_bin2bn (rnd, sizeof rnd, NULL);
  X509_set_version (cert, 2);
  BN_to_ASN1_INTEGER (bn, X509_get_serialNumber (cert));
  BN_free (bn);
  X509_gmtime_adj (X509_getm_notBefore (cert), -3600);
  X509_gmtime_adj (X509_getm_notAfter (cert), (long) days * 86400);
  X509_set_pubkey (cert, key);
  return cert;
}

gboolean
tp_hub_pki_create_ca (const char  *name,
                      char       **cert_pem,
                      char       **key_pem,
                      GError     **error)
{
  EVP_PKEY *key = EVP_EC_gen ("P-256");
  X509 *cert;
  X509_NAME *subject;
  gboolean ok;

  g_return_val_if_fail (name != NULL, FALSE);

  if (key == NULL)
    return ssl_fail (error, "generate the CA key");
  cert = new_cert (key, 3650);
  subject = X509_get_subject_name (cert);
  ok = set_name_entry (subject, "O", "Touchpoint") &&
       set_name_entry (subject, "CN", name) &&
       X509_set_issuer_name (cert, subject) == 1 &&
       add_ext (cert, cert, NID_basic_constraints, "critical,CA:TRUE,pathlen:0") &&
       add_ext (cert, cert, NID_key_usage, "critical,keyCertSign,cRLSign") &&
       add_ext (cert, cert, NID_subject_key_identifier, "hash") &&
       X509_sign (cert, key, EVP_sha256 ()) > 0;
  if (ok)
    {
      *cert_pem = cert_to_pem (cert);
      *key_pem = key_to_pem (key);
    }
  X509_free (cert);
  EVP_PKEY_free (key);
  return ok ? TRUE : ssl_fail (error, "make the CA certificate");
}

gboolean
tp_hub_pki_issue (const char              *ca_cert_pem,
                  const char              *ca_key_pem,
                  const TpHubCertRequest  *request,
                  char                   **cert_pem,
                  char                   **key_pem,
                  char                   **serial_hex,
                  GError                 **error)
{
  BIO *bio;
  X509 *ca = NULL;
  EVP_PKEY *ca_key = NULL;
  EVP_PKEY *key = NULL;
  X509 *cert = NULL;
  X509_NAME *subject;
  g_autoptr(GString) san = g_string_new (NULL);
  gboolean ok = FALSE;

  g_return_val_if_fail (ca_cert_pem != NULL && ca_key_pem != NULL && request != NULL, FALSE);

  bio = BIO_new_mem_buf (ca_cert_pem, -1);
  ca = PEM_read_bio_X509 (bio, NULL, NULL, NULL);
  BIO_free (bio);
  bio = BIO_new_mem_buf (ca_key_pem, -1);
  ca_key = PEM_read_bio_PrivateKey (bio, NULL, NULL, NULL);
  BIO_free (bio);
  if (ca == NULL || ca_key == NULL)
    {
      ssl_fail (error, "read the CA certificate and key");
      goto out;
    }

  key = EVP_EC_gen ("P-256");
  if (key == NULL)
    {
      ssl_fail (error, "generate a key");
      goto out;
    }
  cert = new_cert (key, request->days);
  subject = X509_get_subject_name (cert);
  if (!set_name_entry (subject, "O", "Touchpoint") ||
      !set_name_entry (subject, "OU", request->unit) ||
      !set_name_entry (subject, "L", request->locality) ||
      !set_name_entry (subject, "CN", request->common_name) ||
      X509_set_issuer_name (cert, X509_get_subject_name (ca)) != 1 ||
      !add_ext (cert, ca, NID_basic_constraints, "critical,CA:FALSE") ||
      !add_ext (cert, ca, NID_authority_key_identifier, "keyid:always"))
    {
      ssl_fail (error, "fill in the certificate");
      goto out;
    }
  if (request->usage == TP_HUB_CERT_SERVER)
    {
      for (guint i = 0; request->dns_names != NULL && request->dns_names[i] != NULL; i++)
        g_string_append_printf (san, "%sDNS:%s", san->len ? "," : "", request->dns_names[i]);
      for (guint i = 0; request->ip_addresses != NULL && request->ip_addresses[i] != NULL; i++)
        g_string_append_printf (san, "%sIP:%s", san->len ? "," : "", request->ip_addresses[i]);
      if (!add_ext (cert, ca, NID_key_usage, "critical,digitalSignature,keyAgreement") ||
          !add_ext (cert, ca, NID_ext_key_usage, "serverAuth") ||
          (san->len > 0 && !add_ext (cert, ca, NID_subject_alt_name, san->str)))
        {
          ssl_fail (error, "add the server extensions");
          goto out;
        }
    }
  else if (!add_ext (cert, ca, NID_key_usage, "critical,digitalSignature,keyAgreement") ||
           !add_ext (cert, ca, NID_ext_key_usage, "clientAuth"))
    {
      ssl_fail (error, "add the client extensions");
      goto out;
    }
  if (X509_sign (cert, ca_key, EVP_sha256 ()) <= 0)
    {
      ssl_fail (error, "sign the certificate");
      goto out;
    }

  *cert_pem = cert_to_pem (cert);
  *key_pem = key_to_pem (key);
  *serial_hex = serial_to_hex (X509_get_serialNumber (cert));
  ok = TRUE;

out:
  X509_free (cert);
  X509_free (ca);
  EVP_PKEY_free (key);
  EVP_PKEY_free (ca_key);
  return ok;
}

char *
tp_hub_pki_serial_of_der (const guint8 *der,
                          gsize         length)
{
  const unsigned char *p = der;
  X509 *cert;
  char *hex;

  g_return_val_if_fail (der != NULL, NULL);

  cert = d2i_X509 (NULL, &p, (long) length);
  if (cert == NULL)
    {
      ERR_clear_error ();
      return NULL;
    }
  hex = serial_to_hex (X509_get_serialNumber (cert));
  X509_free (cert);
  return hex;
}
