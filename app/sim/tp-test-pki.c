/* tp-test-pki.c: a test PKI and test eMRTD documents
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <string.h>
#include <glib/gstdio.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "tp-chip-auth.h"
#include "tp-error.h"
#include "tp-mrz.h"
#include "tp-sod.h"
#include "tp-test-pki.h"
#include "tp-tlv.h"
#include "tp-trust-store.h"

#define DEFAULT_SEED "Touchpoint test PKI, version 1"
#define DEFAULT_CAN "123456"
#define DEFAULT_FACE_WIDTH 480
#define DEFAULT_FACE_HEIGHT 640
#define DEFAULT_FACE_BYTES 20000

typedef enum {
  ROLE_CSCA,
  ROLE_DS,
  ROLE_ML_SIGNER,
} CertRole;

typedef struct {
  X509     *cert;
  EVP_PKEY *key;
} Credential;

struct _TpTestPki {
  char       *seed;
  GMutex      lock;
  GHashTable *keys;         /* label → EVP_PKEY */
  GHashTable *credentials;  /* label → Credential */
  GHashTable *crls;         /* label → X509_CRL */
  GHashTable *faces;        /* "format/w/h/bytes" → GBytes */
  GBytes     *master_list;
  X509       *ml_signer;
};

static const TpTestKeyType signature_types[] = {
  TP_TEST_KEY_RSA_2048,
  TP_TEST_KEY_RSA_3072,
  TP_TEST_KEY_EC_P256,
  TP_TEST_KEY_EC_P384,
  TP_TEST_KEY_EC_P521,
  TP_TEST_KEY_BRAINPOOL_P256,
  TP_TEST_KEY_BRAINPOOL_P384,
};

static const struct {
  const char *name;
  const char *title;    /* in certificate names */
  const char *curve;    /* EC group name, or NULL */
  guint       bits;     /* RSA and DH */
} key_types[TP_TEST_N_KEY_TYPES] = {
  [TP_TEST_KEY_NONE]           = { "none",    "none",            NULL,              0 },
  [TP_TEST_KEY_RSA_2048]       = { "rsa2048", "RSA-2048",        NULL,              2048 },
  [TP_TEST_KEY_RSA_3072]       = { "rsa3072", "RSA-3072",        NULL,              3072 },
  [TP_TEST_KEY_EC_P256]        = { "p256",    "P-256",           "prime256v1",      0 },
  [TP_TEST_KEY_EC_P384]        = { "p384",    "P-384",           "secp384r1",       0 },
  [TP_TEST_KEY_EC_P521]        = { "p521",    "P-521",           "secp521r1",       0 },
  [TP_TEST_KEY_BRAINPOOL_P256] = { "bp256",   "brainpoolP256r1", "brainpoolP256r1", 0 },
  [TP_TEST_KEY_BRAINPOOL_P384] = { "bp384",   "brainpoolP384r1", "brainpoolP384r1", 0 },
  [TP_TEST_KEY_DH_2048]        = { "dh2048",  "DH-2048",         NULL,              2048 },
};

static const char *const signer_kinds[] = {
  [TP_TEST_SIGNER_VALID]         = "valid",
  [TP_TEST_SIGNER_EXPIRED]       = "expired",
  [TP_TEST_SIGNER_REVOKED]       = "revoked",
  [TP_TEST_SIGNER_UNKNOWN_CSCA]  = "unknown-csca",
  [TP_TEST_SIGNER_IMPOSTOR_CSCA] = "impostor-csca",
};

static void
credential_free (Credential *c)
{
  X509_free (c->cert);
  EVP_PKEY_free (c->key);
  g_free (c);
}

static void
set_openssl_error (GError     **error,
                   const char  *what)
{
  unsigned long e = ERR_peek_last_error ();
  const char *r = e != 0 ? ERR_reason_error_string (e) : NULL;

  g_set_error (error, TP_ERROR, TP_ERROR_FAILED, "%s failed: %s", what,
               r != NULL ? r : "no detail from OpenSSL");
  ERR_clear_error ();
}

static gboolean
is_signature_type (TpTestKeyType type)
{
  for (guint i = 0; i < G_N_ELEMENTS (signature_types); i++)
    if (signature_types[i] == type)
      return TRUE;
  return FALSE;
}

static const char *
digest_for (TpTestKeyType type)
{
  switch (type)
    {
    case TP_TEST_KEY_EC_P384:
    case TP_TEST_KEY_BRAINPOOL_P384:
      return "SHA384";
    case TP_TEST_KEY_EC_P521:
      return "SHA512";
    case TP_TEST_KEY_NONE:
    case TP_TEST_KEY_RSA_2048:
    case TP_TEST_KEY_RSA_3072:
    case TP_TEST_KEY_EC_P256:
    case TP_TEST_KEY_BRAINPOOL_P256:
    case TP_TEST_KEY_DH_2048:
    case TP_TEST_N_KEY_TYPES:
    default:
      return "SHA256";
    }
}

/* ---- deterministic keys ------------------------------------------------- */

/* nbits of SHA-256 output over (seed, label, counter...), big-endian. */
static BIGNUM *
seeded_bn (const char *seed,
           const char *label,
           guint       nbits)
{
  gsize nbytes = (nbits + 7) / 8;
  g_autofree guint8 *buf = g_malloc (nbytes);
  BIGNUM *bn;

  for (gsize off = 0, counter = 0; off < nbytes; counter++)
    {
      g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
      guint8 block[32];
      gsize block_len = sizeof block;
      guint8 c[4] = { (guint8) (counter >> 24), (guint8) (counter >> 16),
                      (guint8) (counter >> 8), (guint8) counter };

      g_checksum_update (sum, (const guchar *) "tp-test-pki", 12);
      g_checksum_update (sum, (const guchar *) seed, (gssize) strlen (seed) + 1);
      g_checksum_update (sum, (const guchar *) label, (gssize) strlen (label) + 1);
      g_checksum_update (sum, c, sizeof c);
      g_checksum_get_digest (sum, block, &block_len);
      memcpy (buf + off, block, MIN (block_len, nbytes - off));
      off += MIN (block_len, nbytes - off);
    }
  if (nbits % 8 != 0)
    buf[0] &= (guint8) (0xFF >> (8 - nbits % 8));
  bn = BN_bin2bn (buf, (int) nbytes, NULL);
  return bn;
}

/* The first prime ≥ a seeded odd number of bits bits with its top two bits
 * set, such that gcd (p − 1, e) = 1. */
static BIGNUM *
seeded_prime (const char *seed,
              const char *label,
              guint       bits,
              BIGNUM     *e,
              BN_CTX     *ctx)
{
  BIGNUM *p = seeded_bn (seed, label, bits);
  BIGNUM *r = BN_new ();

  BN_set_bit (p, (int) bits - 1);
  BN_set_bit (p, (int) bits - 2);
  BN_set_bit (p, 0);
  for (;;)
    {
      /* e is prime: gcd (p − 1, e) = 1 iff p mod e ≠ 1 */
      BN_mod (r, p, e, ctx);
      if (!BN_is_one (r) && BN_check_prime (p, ctx, NULL) == 1)
        break;
      BN_add_word (p, 2);
    }
  BN_free (r);
  return p;
}

static EVP_PKEY *
pkey_from_params (const char  *type,
                  OSSL_PARAM  *params,
                  GError     **error)
{
  EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name (NULL, type, NULL);
  EVP_PKEY *pkey = NULL;

  if (ctx == NULL || EVP_PKEY_fromdata_init (ctx) <= 0 ||
      EVP_PKEY_fromdata (ctx, &pkey, EVP_PKEY_KEYPAIR, params) <= 0)
    {
      set_openssl_error (error, "building a test key");
      pkey = NULL;
    }
  EVP_PKEY_CTX_free (ctx);
  return pkey;
}

static EVP_PKEY *
derive_rsa (const char  *seed,
            const char  *label,
            guint        bits,
            GError     **error)
{
  g_autofree char *label_p = g_strconcat (label, "/p", NULL);
  g_autofree char *label_q = g_strconcat (label, "/q", NULL);
  BN_CTX *ctx = BN_CTX_new ();
  BIGNUM *e = BN_new ();
  BIGNUM *p, *q, *n = BN_new (), *d = BN_new (), *phi = BN_new ();
  BIGNUM *p1 = BN_new (), *q1 = BN_new (), *dmp1 = BN_new (), *dmq1 = BN_new (), *iqmp = BN_new ();
  OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new ();
  OSSL_PARAM *params = NULL;
  EVP_PKEY *pkey = NULL;

  BN_set_word (e, RSA_F4);
  p = seeded_prime (seed, label_p, bits / 2, e, ctx);
  q = seeded_prime (seed, label_q, bits / 2, e, ctx);
  if (BN_cmp (p, q) < 0)
    {
      BIGNUM *t = p;

      p = q;
      q = t;
    }
  BN_mul (n, p, q, ctx);
  BN_sub (p1, p, BN_value_one ());
  BN_sub (q1, q, BN_value_one ());
  BN_mul (phi, p1, q1, ctx);
  BN_mod_inverse (d, e, phi, ctx);
  BN_mod (dmp1, d, p1, ctx);
  BN_mod (dmq1, d, q1, ctx);
  BN_mod_inverse (iqmp, q, p, ctx);

  OSSL_PARAM_BLD_push_BN (bld, OSSL_PKEY_PARAM_RSA_N, n);
  OSSL_PARAM_BLD_push_BN (bld, OSSL_PKEY_PARAM_RSA_E, e);
  OSSL_PARAM_BLD_push_BN (bld, OSSL_PKEY_PARAM_RSA_D, d);
  OSSL_PARAM_BLD_push_BN (bld, OSSL_PKEY_PARAM_RSA_FACTOR1, p);
  OSSL_PARAM_BLD_push_BN (bld, OSSL_PKEY_PARAM_RSA_FACTOR2, q);
  OSSL_PARAM_BLD_push_BN (bld, OSSL_PKEY_PARAM_RSA_EXPONENT1, dmp1);
  OSSL_PARAM_BLD_push_BN (bld, OSSL_PKEY_PARAM_RSA_EXPONENT2, dmq1);
  OSSL_PARAM_BLD_push_BN (bld, OSSL_PKEY_PARAM_RSA_COEFFICIENT1, iqmp);
  params = OSSL_PARAM_BLD_to_param (bld);
  if (params != NULL)
    pkey = pkey_from_params ("RSA", params, error);
  else
    set_openssl_error (error, "building RSA parameters");

  OSSL_PARAM_free (params);
  OSSL_PARAM_BLD_free (bld);
  BN_free (e); BN_free (p); BN_free (q); BN_free (n); BN_clear_free (d); BN_free (phi);
  BN_free (p1); BN_free (q1); BN_clear_free (dmp1); BN_clear_free (dmq1); BN_clear_free (iqmp);
  BN_CTX_free (ctx);
  return pkey;
}

static EVP_PKEY *
derive_ec (const char  *seed,
           const char  *label,
           const char  *curve,
           GError     **error)
{
  EC_GROUP *group = EC_GROUP_new_by_curve_name (OBJ_txt2nid (curve));
  BN_CTX *ctx = BN_CTX_new ();
  BIGNUM *priv = NULL, *order_m1 = BN_new ();
  EC_POINT *pub = NULL;
  OSSL_PARAM_BLD *bld = NULL;
  OSSL_PARAM *params = NULL;
  unsigned char *pub_oct = NULL;
  size_t pub_len;
  EVP_PKEY *pkey = NULL;

  if (group == NULL)
    {
      set_openssl_error (error, "loading the curve");
      goto out;
    }
  /* priv = (seeded value of 64 more bits than the order) mod (n − 1) + 1 */
  priv = seeded_bn (seed, label, (guint) EC_GROUP_order_bits (group) + 64);
  BN_sub (order_m1, EC_GROUP_get0_order (group), BN_value_one ());
  BN_mod (priv, priv, order_m1, ctx);
  BN_add_word (priv, 1);

  pub = EC_POINT_new (group);
  if (!EC_POINT_mul (group, pub, priv, NULL, NULL, ctx))
    {
      set_openssl_error (error, "computing an EC public key");
      goto out;
    }
  pub_len = EC_POINT_point2buf (group, pub, POINT_CONVERSION_UNCOMPRESSED, &pub_oct, ctx);

  bld = OSSL_PARAM_BLD_new ();
  OSSL_PARAM_BLD_push_utf8_string (bld, OSSL_PKEY_PARAM_GROUP_NAME, curve, 0);
  OSSL_PARAM_BLD_push_BN (bld, OSSL_PKEY_PARAM_PRIV_KEY, priv);
  OSSL_PARAM_BLD_push_octet_string (bld, OSSL_PKEY_PARAM_PUB_KEY, pub_oct, pub_len);
  params = OSSL_PARAM_BLD_to_param (bld);
  pkey = pkey_from_params ("EC", params, error);

out:
  OPENSSL_free (pub_oct);
  OSSL_PARAM_free (params);
  OSSL_PARAM_BLD_free (bld);
  EC_POINT_free (pub);
  BN_clear_free (priv);
  BN_free (order_m1);
  BN_CTX_free (ctx);
  EC_GROUP_free (group);
  return pkey;
}

static EVP_PKEY *
derive_dh (const char  *seed,
           const char  *label,
           GError     **error)
{
  const char *group = "dh_2048_224";   /* RFC 5114 2.2: PACE/CA domain parameter 1 */
  EVP_PKEY_CTX *ctx = NULL;
  EVP_PKEY *domain = NULL, *pkey = NULL;
  BIGNUM *p = NULL, *q = NULL, *g = NULL, *x = NULL, *y = BN_new (), *q1 = BN_new ();
  BN_CTX *bn_ctx = BN_CTX_new ();
  OSSL_PARAM_BLD *bld = NULL;
  OSSL_PARAM *params = NULL;
  OSSL_PARAM group_params[2];

  group_params[0] = OSSL_PARAM_construct_utf8_string (OSSL_PKEY_PARAM_GROUP_NAME, (char *) group, 0);
  group_params[1] = OSSL_PARAM_construct_end ();
  ctx = EVP_PKEY_CTX_new_from_name (NULL, "DHX", NULL);
  if (ctx == NULL || EVP_PKEY_fromdata_init (ctx) <= 0 ||
      EVP_PKEY_fromdata (ctx, &domain, EVP_PKEY_KEY_PARAMETERS, group_params) <= 0 ||
      !EVP_PKEY_get_bn_param (domain, OSSL_PKEY_PARAM_FFC_P, &p) ||
      !EVP_PKEY_get_bn_param (domain, OSSL_PKEY_PARAM_FFC_Q, &q) ||
      !EVP_PKEY_get_bn_param (domain, OSSL_PKEY_PARAM_FFC_G, &g))
    {
      set_openssl_error (error, "loading the DH group");
      goto out;
    }

  x = seeded_bn (seed, label, (guint) BN_num_bits (q) + 64);
  BN_sub (q1, q, BN_value_one ());
  BN_mod (x, x, q1, bn_ctx);
  BN_add_word (x, 1);
  BN_mod_exp (y, g, x, p, bn_ctx);

  bld = OSSL_PARAM_BLD_new ();
  OSSL_PARAM_BLD_push_BN (bld, OSSL_PKEY_PARAM_FFC_P, p);
  OSSL_PARAM_BLD_push_BN (bld, OSSL_PKEY_PARAM_FFC_Q, q);
  OSSL_PARAM_BLD_push_BN (bld, OSSL_PKEY_PARAM_FFC_G, g);
  OSSL_PARAM_BLD_push_BN (bld, OSSL_PKEY_PARAM_PRIV_KEY, x);
  OSSL_PARAM_BLD_push_BN (bld, OSSL_PKEY_PARAM_PUB_KEY, y);
  params = OSSL_PARAM_BLD_to_param (bld);
  pkey = pkey_from_params ("DHX", params, error);

out:
  OSSL_PARAM_free (params);
  OSSL_PARAM_BLD_free (bld);
  BN_free (p); BN_free (q); BN_free (g); BN_clear_free (x); BN_free (y); BN_free (q1);
  BN_CTX_free (bn_ctx);
  EVP_PKEY_free (domain);
  EVP_PKEY_CTX_free (ctx);
  return pkey;
}

/* ---- certificates ------------------------------------------------------- */

static X509_NAME *
make_name (const char *ou,
           const char *cn)
{
  X509_NAME *name = X509_NAME_new ();

  X509_NAME_add_entry_by_txt (name, "C", MBSTRING_UTF8, (const unsigned char *) "UT", -1, -1, 0);
  X509_NAME_add_entry_by_txt (name, "O", MBSTRING_UTF8, (const unsigned char *) "Touchpoint Test", -1, -1, 0);
  X509_NAME_add_entry_by_txt (name, "OU", MBSTRING_UTF8, (const unsigned char *) ou, -1, -1, 0);
  X509_NAME_add_entry_by_txt (name, "CN", MBSTRING_UTF8, (const unsigned char *) cn, -1, -1, 0);
  return name;
}

static gboolean
add_ext (X509       *cert,
         X509V3_CTX *ctx,
         int         nid,
         const char *value)
{
  X509_EXTENSION *ext = X509V3_EXT_nconf_nid (NULL, ctx, nid, value);
  gboolean ok = ext != NULL && X509_add_ext (cert, ext, -1);

  X509_EXTENSION_free (ext);
  return ok;
}

static X509 *
make_cert (X509_NAME   *subject,
           X509        *issuer,        /* NULL: self-signed */
           EVP_PKEY    *issuer_key,
           EVP_PKEY    *subject_key,
           guint64      serial,
           const char  *not_before,
           const char  *not_after,
           CertRole     role,
           const char  *digest,
           GError     **error)
{
  X509 *cert = X509_new ();
  X509V3_CTX ctx;
  EVP_MD *md = EVP_MD_fetch (NULL, digest, NULL);
  gboolean ok;

  ok = X509_set_version (cert, X509_VERSION_3) &&
       ASN1_INTEGER_set_uint64 (X509_get_serialNumber (cert), serial) &&
       X509_set_subject_name (cert, subject) &&
       X509_set_issuer_name (cert, issuer != NULL ? X509_get_subject_name (issuer) : subject) &&
       ASN1_TIME_set_string_X509 (X509_getm_notBefore (cert), not_before) &&
       ASN1_TIME_set_string_X509 (X509_getm_notAfter (cert), not_after) &&
       X509_set_pubkey (cert, subject_key);

  X509V3_set_ctx (&ctx, issuer != NULL ? issuer : cert, cert, NULL, NULL, 0);
  ok = ok && add_ext (cert, &ctx, NID_subject_key_identifier, "hash");
  ok = ok && add_ext (cert, &ctx, NID_authority_key_identifier, "keyid:always");
  switch (role)
    {
    case ROLE_CSCA:
      ok = ok && add_ext (cert, &ctx, NID_basic_constraints, "critical,CA:TRUE,pathlen:0");
      ok = ok && add_ext (cert, &ctx, NID_key_usage, "critical,keyCertSign,cRLSign");
      break;
    case ROLE_ML_SIGNER:
      ok = ok && add_ext (cert, &ctx, NID_key_usage, "critical,digitalSignature");
      /* id-icao-cscaMasterListSigningKey (ICAO 9303 Part 12) */
      ok = ok && add_ext (cert, &ctx, NID_ext_key_usage, "2.23.136.1.1.3");
      break;
    case ROLE_DS:
    default:
      ok = ok && add_ext (cert, &ctx, NID_key_usage, "critical,digitalSignature");
      break;
    }

  ok = ok && md != NULL && X509_sign (cert, issuer_key, md) > 0;
  EVP_MD_free (md);
  if (!ok)
    {
      set_openssl_error (error, "making a test certificate");
      X509_free (cert);
      return NULL;
    }
  return cert;
}

/* ---- the PKI (callers hold pki->lock) ----------------------------------- */

static EVP_PKEY *
pki_key (TpTestPki      *pki,
         TpTestKeyType   type,
         const char     *label,
         GError        **error)
{
  g_autofree char *full = g_strdup_printf ("%s/%s", label, key_types[type].name);
  EVP_PKEY *key = g_hash_table_lookup (pki->keys, full);

  if (key != NULL)
    return key;
  key = tp_test_key_derive (type, pki->seed, full, error);
  if (key != NULL)
    g_hash_table_insert (pki->keys, g_steal_pointer (&full), key);
  return key;
}

static Credential *
pki_csca (TpTestPki      *pki,
          TpTestKeyType   alg,
          const char     *which,   /* "csca", "unknown-csca", "impostor-csca" */
          GError        **error)
{
  g_autofree char *label = g_strdup_printf ("%s/%s", which, key_types[alg].name);
  Credential *c = g_hash_table_lookup (pki->credentials, label);
  g_autofree char *cn = NULL;
  X509_NAME *name;
  EVP_PKEY *key;
  guint64 serial = 0x1000 + (guint64) alg;

  if (c != NULL)
    return c;
  key = pki_key (pki, alg, which, error);
  if (key == NULL)
    return NULL;

  if (g_str_equal (which, "unknown-csca"))
    {
      cn = g_strdup_printf ("Touchpoint Test Unknown CSCA %s", key_types[alg].title);
      serial += 0x100;
    }
  else
    {
      cn = g_strdup_printf ("Touchpoint Test CSCA %s", key_types[alg].title);
      if (g_str_equal (which, "impostor-csca"))
        serial += 0x200;
    }
  name = make_name ("CSCA", cn);
  c = g_new0 (Credential, 1);
  c->cert = make_cert (name, NULL, key, key, serial, "20200101000000Z", "20450101000000Z",
                       ROLE_CSCA, digest_for (alg), error);
  X509_NAME_free (name);
  if (c->cert == NULL)
    {
      g_free (c);
      return NULL;
    }
  EVP_PKEY_up_ref (key);
  c->key = key;
  g_hash_table_insert (pki->credentials, g_steal_pointer (&label), c);
  return c;
}

static Credential *
pki_signer (TpTestPki         *pki,
            TpTestKeyType      alg,
            TpTestSignerKind   kind,
            GError           **error)
{
  g_autofree char *label = g_strdup_printf ("ds-%s/%s", signer_kinds[kind], key_types[alg].name);
  Credential *c = g_hash_table_lookup (pki->credentials, label);
  Credential *csca;
  g_autofree char *cn = NULL;
  X509_NAME *name;
  EVP_PKEY *key;
  const char *not_before = "20240101000000Z", *not_after = "20400101000000Z";

  if (c != NULL)
    return c;

  switch (kind)
    {
    case TP_TEST_SIGNER_UNKNOWN_CSCA:
      csca = pki_csca (pki, alg, "unknown-csca", error);
      break;
    case TP_TEST_SIGNER_IMPOSTOR_CSCA:
      csca = pki_csca (pki, alg, "impostor-csca", error);
      break;
    case TP_TEST_SIGNER_EXPIRED:
      not_before = "20150101000000Z";
      not_after = "20200101000000Z";
      csca = pki_csca (pki, alg, "csca", error);
      break;
    case TP_TEST_SIGNER_VALID:
    case TP_TEST_SIGNER_REVOKED:
    default:
      csca = pki_csca (pki, alg, "csca", error);
      break;
    }
  if (csca == NULL)
    return NULL;
  /* One Document Signer key per algorithm, whatever the certificate:
   * deriving RSA keys is the slow part of a test run. */
  key = pki_key (pki, alg, "document-signer", error);
  if (key == NULL)
    return NULL;

  cn = g_strdup_printf ("Touchpoint Test DS %s (%s)", key_types[alg].title, signer_kinds[kind]);
  name = make_name ("Document Signer", cn);
  c = g_new0 (Credential, 1);
  c->cert = make_cert (name, csca->cert, csca->key, key, 0x2000 + (guint64) alg * 16 + kind,
                       not_before, not_after, ROLE_DS, digest_for (alg), error);
  X509_NAME_free (name);
  if (c->cert == NULL)
    {
      g_free (c);
      return NULL;
    }
  EVP_PKEY_up_ref (key);
  c->key = key;
  g_hash_table_insert (pki->credentials, g_steal_pointer (&label), c);
  return c;
}

static X509_CRL *
pki_crl (TpTestPki      *pki,
         TpTestKeyType   alg,
         GError        **error)
{
  const char *label = key_types[alg].name;
  X509_CRL *crl = g_hash_table_lookup (pki->crls, label);
  Credential *csca, *revoked_ds;
  X509_REVOKED *revoked;
  ASN1_TIME *t;
  ASN1_INTEGER *number;
  X509V3_CTX ctx;
  X509_EXTENSION *ext;
  EVP_MD *md;
  gboolean ok;

  if (crl != NULL)
    return crl;
  csca = pki_csca (pki, alg, "csca", error);
  revoked_ds = csca != NULL ? pki_signer (pki, alg, TP_TEST_SIGNER_REVOKED, error) : NULL;
  if (revoked_ds == NULL)
    return NULL;

  crl = X509_CRL_new ();
  t = ASN1_TIME_new ();
  ok = X509_CRL_set_version (crl, X509_CRL_VERSION_2) &&
       X509_CRL_set_issuer_name (crl, X509_get_subject_name (csca->cert)) &&
       ASN1_TIME_set_string_X509 (t, "20250101000000Z") &&
       X509_CRL_set1_lastUpdate (crl, t) &&
       ASN1_TIME_set_string_X509 (t, "20450101000000Z") &&
       X509_CRL_set1_nextUpdate (crl, t);

  revoked = X509_REVOKED_new ();
  ASN1_TIME_set_string_X509 (t, "20250101000000Z");
  ok = ok && X509_REVOKED_set_serialNumber (revoked, X509_get_serialNumber (revoked_ds->cert)) &&
       X509_REVOKED_set_revocationDate (revoked, t) &&
       X509_CRL_add0_revoked (crl, revoked);
  X509_CRL_sort (crl);
  ASN1_TIME_free (t);

  X509V3_set_ctx (&ctx, csca->cert, NULL, NULL, crl, 0);
  ext = X509V3_EXT_nconf_nid (NULL, &ctx, NID_authority_key_identifier, "keyid:always");
  ok = ok && ext != NULL && X509_CRL_add_ext (crl, ext, -1);
  X509_EXTENSION_free (ext);
  number = ASN1_INTEGER_new ();
  ASN1_INTEGER_set_int64 (number, 1);
  ok = ok && X509_CRL_add1_ext_i2d (crl, NID_crl_number, number, 0, 0);
  ASN1_INTEGER_free (number);

  md = EVP_MD_fetch (NULL, digest_for (alg), NULL);
  ok = ok && md != NULL && X509_CRL_sign (crl, csca->key, md) > 0;
  EVP_MD_free (md);
  if (!ok)
    {
      set_openssl_error (error, "making the test CRL");
      X509_CRL_free (crl);
      return NULL;
    }
  g_hash_table_insert (pki->crls, g_strdup (label), crl);
  return crl;
}

static gboolean
pki_master_list (TpTestPki  *pki,
                 GError    **error)
{
  Credential *csca;
  EVP_PKEY *key;
  X509_NAME *name;
  g_autoptr(GPtrArray) certs = g_ptr_array_new ();
  g_autoptr(GBytes) content = NULL;
  g_autoptr(GDateTime) signing_time = NULL;

  if (pki->master_list != NULL)
    return TRUE;
  csca = pki_csca (pki, TP_TEST_KEY_EC_P256, "csca", error);
  key = csca != NULL ? pki_key (pki, TP_TEST_KEY_EC_P256, "master-list-signer", error) : NULL;
  if (key == NULL)
    return FALSE;
  name = make_name ("Master List Signer", "Touchpoint Test Master List Signer");
  pki->ml_signer = make_cert (name, csca->cert, csca->key, key, 0x3000,
                              "20240101000000Z", "20400101000000Z", ROLE_ML_SIGNER, "SHA256", error);
  X509_NAME_free (name);
  if (pki->ml_signer == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (signature_types); i++)
    {
      Credential *c = pki_csca (pki, signature_types[i], "csca", error);

      if (c == NULL)
        return FALSE;
      g_ptr_array_add (certs, c->cert);
    }
  content = tp_master_list_encode_content (certs, error);
  if (content == NULL)
    return FALSE;
  signing_time = g_date_time_new_utc (2025, 1, 1, 0, 0, 0);
  pki->master_list = tp_cms_sign (content, TP_OID_CSCA_MASTER_LIST, pki->ml_signer, key,
                                  "SHA256", NULL, signing_time, TP_SOD_BUILD_NONE, error);
  return pki->master_list != NULL;
}

/* ---- files -------------------------------------------------------------- */

static gboolean
write_der_cert (const char  *path,
                X509        *cert,
                GError     **error)
{
  unsigned char *der = NULL;
  int len = i2d_X509 (cert, &der);
  gboolean ok;

  if (len <= 0)
    {
      set_openssl_error (error, "encoding a certificate");
      return FALSE;
    }
  ok = g_file_set_contents (path, (const char *) der, len, error);
  OPENSSL_free (der);
  return ok;
}

static gboolean
write_der_crl (const char  *path,
               X509_CRL    *crl,
               GError     **error)
{
  unsigned char *der = NULL;
  int len = i2d_X509_CRL (crl, &der);
  gboolean ok;

  if (len <= 0)
    {
      set_openssl_error (error, "encoding a CRL");
      return FALSE;
    }
  ok = g_file_set_contents (path, (const char *) der, len, error);
  OPENSSL_free (der);
  return ok;
}

static gboolean
write_pem_key (const char  *path,
               EVP_PKEY    *key,
               GError     **error)
{
  BIO *bio = BIO_new (BIO_s_mem ());
  char *data = NULL;
  long len;
  gboolean ok;

  if (!PEM_write_bio_PrivateKey (bio, key, NULL, NULL, 0, NULL, NULL))
    {
      BIO_free (bio);
      set_openssl_error (error, "encoding a private key");
      return FALSE;
    }
  len = BIO_get_mem_data (bio, &data);
  ok = g_file_set_contents_full (path, data, len, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
  BIO_free (bio);
  return ok;
}

/* ---- synthetic face ----------------------------------------------------- */

static double
ellipse (double x,
         double y,
         double cx,
         double cy,
         double rx,
         double ry)
{
  double dx = (x - cx) / rx, dy = (y - cy) / ry;

  return dx * dx + dy * dy;
}

static guint8
clamp_u8 (double v)
{
  return (guint8) CLAMP (lround (v), 0, 255);
}

guint8 *
tp_test_face_pixels (guint width,
                     guint height)
{
  guint8 *px = g_malloc ((gsize) width * height * 3);

  for (guint y = 0; y < height; y++)
    for (guint x = 0; x < width; x++)
      {
        double nx = (x - width / 2.0) / (width / 2.0);
        double ny = (y - height / 2.0) / (height / 2.0);
        double r, g, b, d;
        guint32 h = (x * 73856093u) ^ (y * 19349663u);
        double noise = ((h >> 8) % 9) - 4.0;
        guint8 *p = px + ((gsize) y * width + x) * 3;

        /* background: a soft vertical gradient */
        r = 196 - 30 * ny;
        g = 206 - 24 * ny;
        b = 222 - 10 * ny;

        /* shoulders and neck */
        if (ellipse (nx, ny, 0, 1.30, 1.05, 0.62) < 1)
          {
            r = 48; g = 58; b = 86;
            r += 20 * (1 - ny);
          }
        else if (fabs (nx) < 0.19 && ny > 0.30 && ny < 0.80)
          {
            r = 196; g = 150; b = 120;
          }

        /* head, hair above and around it */
        d = ellipse (nx, ny, 0, -0.08, 0.52, 0.60);
        if (ellipse (nx, ny, 0, -0.22, 0.58, 0.58) < 1 && ny < -0.40 + 0.08 * cos (nx * 4))
          {
            r = 46; g = 34; b = 26;
          }
        else if (d < 1)
          {
            double shade = 1 - 0.28 * d;

            r = 228 * shade; g = 184 * shade; b = 152 * shade;

            /* eyebrows, eyes, nose, mouth */
            for (int side = -1; side <= 1; side += 2)
              {
                double ex = side * 0.20;

                if (fabs (ny + 0.24 + 0.03 * cos ((nx - ex) * 12)) < 0.012 && fabs (nx - ex) < 0.12)
                  {
                    r = 60; g = 44; b = 34;
                  }
                if (ellipse (nx, ny, ex, -0.14, 0.10, 0.040) < 1)
                  {
                    r = 240; g = 240; b = 236;
                    if (ellipse (nx, ny, ex, -0.14, 0.035, 0.026) < 1)
                      {
                        r = 70; g = 48; b = 30;
                      }
                  }
              }
            if (fabs (nx - 0.01) < 0.02 && ny > -0.10 && ny < 0.10)
              {
                r *= 0.90; g *= 0.88; b *= 0.88;
              }
            if (ellipse (nx, ny, 0, 0.10, 0.08, 0.03) < 1)
              {
                r *= 0.85; g *= 0.82; b *= 0.82;
              }
            if (ellipse (nx, ny, 0, 0.25, 0.15, 0.040) < 1)
              {
                r = 178; g = 86; b = 86;
              }
          }

        p[0] = clamp_u8 (r + noise);
        p[1] = clamp_u8 (g + noise);
        p[2] = clamp_u8 (b + noise);
      }
  return px;
}

/* ---- baseline JPEG (ISO/IEC 10918-1) ------------------------------------
 * YCbCr 4:4:4, one MCU = one 8×8 block per component, one DC and one AC
 * Huffman table for all components. The tables are fixed code lengths
 * chosen here (short codes for the common DC categories, for end-of-block
 * and for small run 0 coefficients, 9 bits for the rest) rather than the
 * example tables of Annex K: valid canonical tables (Kraft sum below 1, so
 * no all-ones code) that need no statistics. */

typedef struct {
  guint16 code[256];
  guint8  size[256];
  guint8  bits[17];      /* bits[n]: number of codes of n bits */
  guint8  values[256];   /* symbols by increasing code length */
  guint   n_values;
} HuffTable;

typedef struct {
  GByteArray *out;
  guint32     acc;
  guint       nbits;
} BitWriter;

static const guint8 luma_quant[64] = {
  16, 11, 10, 16, 24, 40, 51, 61,   12, 12, 14, 19, 26, 58, 60, 55,
  14, 13, 16, 24, 40, 57, 69, 56,   14, 17, 22, 29, 51, 87, 80, 62,
  18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92,
  49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
};

static const guint8 chroma_quant[64] = {
  17, 18, 24, 47, 99, 99, 99, 99,   18, 21, 26, 66, 99, 99, 99, 99,
  24, 26, 56, 99, 99, 99, 99, 99,   47, 66, 99, 99, 99, 99, 99, 99,
  99, 99, 99, 99, 99, 99, 99, 99,   99, 99, 99, 99, 99, 99, 99, 99,
  99, 99, 99, 99, 99, 99, 99, 99,   99, 99, 99, 99, 99, 99, 99, 99,
};

static void
bits_put (BitWriter *w,
          guint32    value,
          guint      n)
{
  for (guint i = n; i > 0; i--)
    {
      w->acc = (w->acc << 1) | ((value >> (i - 1)) & 1);
      if (++w->nbits == 8)
        {
          guint8 byte = (guint8) w->acc;

          g_byte_array_append (w->out, &byte, 1);
          if (byte == 0xFF)
            {
              guint8 zero = 0;

              g_byte_array_append (w->out, &zero, 1);
            }
          w->acc = 0;
          w->nbits = 0;
        }
    }
}

static void
bits_flush (BitWriter *w)
{
  while (w->nbits != 0)
    bits_put (w, 1, 1);
}

static void
huff_build (HuffTable    *t,
            const guint8  lengths[256])
{
  guint16 code = 0;

  memset (t, 0, sizeof *t);
  for (guint len = 1; len <= 16; len++)
    {
      for (guint sym = 0; sym < 256; sym++)
        if (lengths[sym] == len)
          {
            t->code[sym] = code++;
            t->size[sym] = (guint8) len;
            t->bits[len]++;
            t->values[t->n_values++] = (guint8) sym;
          }
      code <<= 1;
    }
}

static void
huff_put (BitWriter       *w,
          const HuffTable *t,
          guint            sym)
{
  g_assert (t->size[sym] > 0);
  bits_put (w, t->code[sym], t->size[sym]);
}

static void
put_dht (GByteArray      *out,
         guint8           class_id,
         const HuffTable *t)
{
  guint8 seg[1 + 16 + 256];

  seg[0] = class_id;
  memcpy (seg + 1, t->bits + 1, 16);
  memcpy (seg + 17, t->values, t->n_values);
  g_byte_array_append (out, seg, 17 + t->n_values);
}

static guint
bit_length (int v)
{
  guint n = 0;

  v = ABS (v);
  while (v > 0)
    {
      n++;
      v >>= 1;
    }
  return n;
}

static void
put_segment (GByteArray   *out,
             guint8        marker,
             const guint8 *data,
             gsize         len)
{
  guint8 head[4] = { 0xFF, marker, (guint8) ((len + 2) >> 8), (guint8) (len + 2) };

  g_byte_array_append (out, head, 4);
  g_byte_array_append (out, data, (guint) len);
}

GBytes *
tp_test_encode_jpeg (const guint8 *rgb,
                     guint         width,
                     guint         height,
                     guint         quality)
{
  GByteArray *out = g_byte_array_new ();
  BitWriter w = { out, 0, 0 };
  guint8 zigzag[64];
  guint8 quant[2][64];
  guint8 lengths[256];
  HuffTable dc, ac;
  double cosines[8][8];
  int prev_dc[3] = { 0, 0, 0 };
  guint scale, k = 0;
  guint bw = (width + 7) / 8, bh = (height + 7) / 8;

  g_return_val_if_fail (rgb != NULL && width > 0 && height > 0 && width < 65536 && height < 65536, NULL);

  quality = CLAMP (quality, 1, 100);
  scale = quality < 50 ? 5000 / quality : 200 - 2 * quality;

  /* zigzag[i]: natural (row-major) index of the i-th coefficient */
  for (int s = 0; s < 15; s++)
    {
      int lo = MAX (0, s - 7), hi = MIN (s, 7);

      if (s % 2 == 0)
        for (int y = hi; y >= lo; y--)
          zigzag[k++] = (guint8) (y * 8 + (s - y));
      else
        for (int y = lo; y <= hi; y++)
          zigzag[k++] = (guint8) (y * 8 + (s - y));
    }
  for (int i = 0; i < 64; i++)
    {
      quant[0][i] = (guint8) CLAMP ((luma_quant[i] * scale + 50) / 100, 1, 255);
      quant[1][i] = (guint8) CLAMP ((chroma_quant[i] * scale + 50) / 100, 1, 255);
    }
  for (int u = 0; u < 8; u++)
    for (int x = 0; x < 8; x++)
      cosines[u][x] = (u == 0 ? M_SQRT1_2 : 1.0) / 2.0 * cos ((2 * x + 1) * u * G_PI / 16);

  /* DC: categories 0–1 in 2 bits, 2–3 in 3, 4–10 in 5, 11 in 6 */
  memset (lengths, 0, sizeof lengths);
  lengths[0] = lengths[1] = 2;
  lengths[2] = lengths[3] = 3;
  for (guint c = 4; c <= 10; c++)
    lengths[c] = 5;
  lengths[11] = 6;
  huff_build (&dc, lengths);
  /* AC: EOB 2 bits, 0/1 and 0/2 3 bits, 0/3 and 1/1 4 bits, the other run/size
   * symbols (0–15 / 1–10) and ZRL 9 bits */
  memset (lengths, 0, sizeof lengths);
  for (guint sym = 0; sym < 256; sym++)
    if (sym == 0xF0 || ((sym & 0x0F) >= 1 && (sym & 0x0F) <= 10))
      lengths[sym] = 9;
  lengths[0x00] = 2;
  lengths[0x01] = lengths[0x02] = 3;
  lengths[0x03] = lengths[0x11] = 4;
  huff_build (&ac, lengths);

  /* SOI, APP0 JFIF */
  {
    static const guint8 soi[2] = { 0xFF, 0xD8 };
    static const guint8 jfif[14] = { 'J', 'F', 'I', 'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0 };

    g_byte_array_append (out, soi, 2);
    put_segment (out, 0xE0, jfif, sizeof jfif);
  }
  /* DQT: two 8-bit tables in zigzag order */
  {
    guint8 dqt[130];

    for (int t = 0; t < 2; t++)
      {
        dqt[t * 65] = (guint8) t;
        for (int i = 0; i < 64; i++)
          dqt[t * 65 + 1 + i] = quant[t][zigzag[i]];
      }
    put_segment (out, 0xDB, dqt, sizeof dqt);
  }
  /* SOF0 */
  {
    guint8 sof[15] = { 8, (guint8) (height >> 8), (guint8) height, (guint8) (width >> 8), (guint8) width, 3,
                       1, 0x11, 0, 2, 0x11, 1, 3, 0x11, 1 };

    put_segment (out, 0xC0, sof, sizeof sof);
  }
  /* DHT: DC table 0 and AC table 0 in one segment */
  {
    g_autoptr(GByteArray) dht = g_byte_array_new ();

    put_dht (dht, 0x00, &dc);
    put_dht (dht, 0x10, &ac);
    put_segment (out, 0xC4, dht->data, dht->len);
  }
  /* SOS */
  {
    static const guint8 sos[10] = { 3, 1, 0x00, 2, 0x00, 3, 0x00, 0, 63, 0 };

    put_segment (out, 0xDA, sos, sizeof sos);
  }

  for (guint by = 0; by < bh; by++)
    for (guint bx = 0; bx < bw; bx++)
      for (int c = 0; c < 3; c++)
        {
          double block[64], tmp[64];
          int coef[64];
          guint run = 0;
          int diff;
          guint cat;

          for (int y = 0; y < 8; y++)
            for (int x = 0; x < 8; x++)
              {
                guint sx = MIN (bx * 8 + x, width - 1), sy = MIN (by * 8 + y, height - 1);
                const guint8 *p = rgb + ((gsize) sy * width + sx) * 3;
                double v;

                /* JFIF YCbCr */
                if (c == 0)
                  v = 0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2];
                else if (c == 1)
                  v = -0.168736 * p[0] - 0.331264 * p[1] + 0.5 * p[2] + 128;
                else
                  v = 0.5 * p[0] - 0.418688 * p[1] - 0.081312 * p[2] + 128;
                block[y * 8 + x] = v - 128;
              }
          /* separable forward DCT */
          for (int y = 0; y < 8; y++)
            for (int u = 0; u < 8; u++)
              {
                double s = 0;

                for (int x = 0; x < 8; x++)
                  s += cosines[u][x] * block[y * 8 + x];
                tmp[y * 8 + u] = s;
              }
          for (int v = 0; v < 8; v++)
            for (int u = 0; u < 8; u++)
              {
                double s = 0;

                for (int y = 0; y < 8; y++)
                  s += cosines[v][y] * tmp[y * 8 + u];
                coef[v * 8 + u] = (int) lround (s / quant[c == 0 ? 0 : 1][v * 8 + u]);
              }

          diff = CLAMP (coef[0], -2047, 2047) - prev_dc[c];
          prev_dc[c] = CLAMP (coef[0], -2047, 2047);
          cat = bit_length (diff);
          huff_put (&w, &dc, cat);
          if (cat > 0)
            bits_put (&w, (guint32) (diff < 0 ? diff - 1 : diff) & ((1u << cat) - 1), cat);

          for (int i = 1; i < 64; i++)
            {
              int v = CLAMP (coef[zigzag[i]], -1023, 1023);

              if (v == 0)
                {
                  run++;
                  continue;
                }
              while (run > 15)
                {
                  huff_put (&w, &ac, 0xF0);
                  run -= 16;
                }
              cat = bit_length (v);
              huff_put (&w, &ac, (run << 4) | cat);
              bits_put (&w, (guint32) (v < 0 ? v - 1 : v) & ((1u << cat) - 1), cat);
              run = 0;
            }
          if (run > 0)
            huff_put (&w, &ac, 0x00);
        }
  bits_flush (&w);
  {
    static const guint8 eoi[2] = { 0xFF, 0xD9 };

    g_byte_array_append (out, eoi, 2);
  }
  return g_byte_array_free_to_bytes (out);
}

GBytes *
tp_test_face_image (TpFaceFormat   format,
                    guint          width,
                    guint          height,
                    gsize          target_bytes,
                    GError       **error)
{
  g_autofree guint8 *px = NULL;

  g_return_val_if_fail (width > 0 && height > 0, NULL);

  px = tp_test_face_pixels (width, height);
  switch (format)
    {
    case TP_FACE_FORMAT_JP2:
    case TP_FACE_FORMAT_J2K:
      return tp_face_encode_jpeg2000 (px, width, height, 3, format, target_bytes, error);

    case TP_FACE_FORMAT_JPEG:
      {
        /* the largest quality that fits the target */
        guint lo = 1, hi = 95;
        GBytes *best = NULL;

        while (lo <= hi)
          {
            guint q = (lo + hi) / 2;
            GBytes *jpeg = tp_test_encode_jpeg (px, width, height, q);

            if (target_bytes == 0 || g_bytes_get_size (jpeg) <= target_bytes)
              {
                g_clear_pointer (&best, g_bytes_unref);
                best = jpeg;
                lo = q + 1;
              }
            else
              {
                g_bytes_unref (jpeg);
                hi = q - 1;
              }
          }
        return best != NULL ? best : tp_test_encode_jpeg (px, width, height, 1);
      }

    case TP_FACE_FORMAT_UNKNOWN:
    default:
      g_set_error_literal (error, TP_ERROR, TP_ERROR_INVALID_ARGUMENT,
                           "face image format: JPEG, JP2 or J2K expected");
      return NULL;
    }
}

/* ---- data groups -------------------------------------------------------- */

static void
put_tlv (GByteArray   *out,
         guint         tag,
         const guint8 *value,
         gsize         len)
{
  tp_tlv_append (out, tag, value, len);
}

static void
put_text (GByteArray *out,
          guint       tag,
          const char *text)
{
  if (text != NULL)
    put_tlv (out, tag, (const guint8 *) text, strlen (text));
}

static GBytes *
wrap (guint       tag,
      GByteArray *content)
{
  GByteArray *out = g_byte_array_new ();

  put_tlv (out, tag, content->data, content->len);
  return g_byte_array_free_to_bytes (out);
}

static void
put_tag_list (GByteArray  *out,
              const guint *tags,
              gsize        n)
{
  g_autoptr(GByteArray) list = g_byte_array_new ();

  for (gsize i = 0; i < n; i++)
    {
      if (tags[i] > 0xFF)
        {
          guint8 hi = (guint8) (tags[i] >> 8);

          g_byte_array_append (list, &hi, 1);
        }
      {
        guint8 lo = (guint8) tags[i];

        g_byte_array_append (list, &lo, 1);
      }
    }
  put_tlv (out, 0x5C, list->data, list->len);
}

GBytes *
tp_test_build_com (const char  *lds_version,
                   const char  *unicode_version,
                   const guint *dgs,
                   gsize        n_dgs)
{
  g_autoptr(GByteArray) content = g_byte_array_new ();
  g_autofree guint *tags = g_new0 (guint, n_dgs + 1);

  for (gsize i = 0; i < n_dgs; i++)
    tags[i] = tp_lds_dg_tag (dgs[i]);
  put_text (content, 0x5F01, lds_version != NULL ? lds_version : "0107");
  put_text (content, 0x5F36, unicode_version != NULL ? unicode_version : "040000");
  put_tag_list (content, tags, n_dgs);
  return wrap (TP_LDS_TAG_COM, content);
}

GBytes *
tp_test_build_dg1 (const char *mrz)
{
  g_autoptr(GByteArray) content = g_byte_array_new ();
  g_autoptr(GString) text = g_string_new (NULL);

  g_return_val_if_fail (mrz != NULL, NULL);

  for (const char *p = mrz; *p != '\0'; p++)
    if (!g_ascii_isspace (*p))
      g_string_append_c (text, *p);
  put_tlv (content, 0x5F1F, (const guint8 *) text->str, text->len);
  return wrap (0x61, content);
}

static void
put_be (GByteArray *out,
        guint64     value,
        guint       n)
{
  for (guint i = n; i > 0; i--)
    {
      guint8 b = (guint8) (value >> ((i - 1) * 8));

      g_byte_array_append (out, &b, 1);
    }
}

GBytes *
tp_test_build_dg2 (GBytes       *image,
                   TpFaceFormat  format,
                   guint         width,
                   guint         height)
{
  g_autoptr(GByteArray) record = g_byte_array_new ();
  g_autoptr(GByteArray) bht = g_byte_array_new ();
  g_autoptr(GByteArray) bit = g_byte_array_new ();
  g_autoptr(GByteArray) group = g_byte_array_new ();
  gsize image_len;
  const guint8 *image_data;
  static const guint8 header_version[2] = { 0x01, 0x01 };
  static const guint8 face_type[1] = { 0x02 };
  static const guint8 format_owner[2] = { 0x01, 0x01 };
  static const guint8 format_type[2] = { 0x00, 0x08 };
  static const guint8 one[1] = { 0x01 };

  g_return_val_if_fail (image != NULL, NULL);

  image_data = g_bytes_get_data (image, &image_len);

  /* ISO/IEC 19794-5:2005 facial record: general header (14 bytes), facial
   * information (20), no feature points, image information (12), data */
  g_byte_array_append (record, (const guint8 *) "FAC\0" "010\0", 8);
  put_be (record, 14 + 20 + 12 + image_len, 4);
  put_be (record, 1, 2);                  /* number of facial images */
  put_be (record, 20 + 12 + image_len, 4);/* facial record data length */
  put_be (record, 0, 2);                  /* feature points */
  put_be (record, 0, 1);                  /* gender: unspecified */
  put_be (record, 0, 1);                  /* eye colour */
  put_be (record, 0, 1);                  /* hair colour */
  put_be (record, 0, 3);                  /* property mask */
  put_be (record, 0, 2);                  /* expression */
  put_be (record, 0, 3);                  /* pose angles */
  put_be (record, 0, 3);                  /* pose angle uncertainty */
  put_be (record, 1, 1);                  /* face image type: full frontal */
  put_be (record, format == TP_FACE_FORMAT_JPEG ? 0 : 1, 1);
  put_be (record, width, 2);
  put_be (record, height, 2);
  put_be (record, 1, 1);                  /* colour space: 24-bit RGB */
  put_be (record, 2, 1);                  /* source type: digital still */
  put_be (record, 0, 2);                  /* device type */
  put_be (record, 0, 2);                  /* quality */
  g_byte_array_append (record, image_data, (guint) image_len);

  /* biometric header template (ICAO 9303 Part 10, DG2) */
  put_tlv (bht, 0x80, header_version, sizeof header_version);
  put_tlv (bht, 0x81, face_type, sizeof face_type);
  put_tlv (bht, 0x87, format_owner, sizeof format_owner);
  put_tlv (bht, 0x88, format_type, sizeof format_type);

  put_tlv (bit, 0xA1, bht->data, bht->len);
  put_tlv (bit, 0x5F2E, record->data, record->len);

  put_tlv (group, 0x02, one, 1);          /* number of instances */
  put_tlv (group, 0x7F60, bit->data, bit->len);

  {
    g_autoptr(GByteArray) content = g_byte_array_new ();

    put_tlv (content, 0x7F61, group->data, group->len);
    return wrap (0x75, content);
  }
}

GBytes *
tp_test_build_dg11 (const TpLdsDg11 *f)
{
  g_autoptr(GByteArray) content = g_byte_array_new ();
  guint tags[16];
  gsize n = 0;

  g_return_val_if_fail (f != NULL, NULL);

#define ADD(field, tag) if (f->field != NULL) tags[n++] = tag
  ADD (full_name, 0x5F0E);
  ADD (other_names, 0xA0);
  ADD (personal_number, 0x5F10);
  ADD (birth_date, 0x5F2B);
  ADD (place_of_birth, 0x5F11);
  ADD (address, 0x5F42);
  ADD (telephone, 0x5F12);
  ADD (profession, 0x5F13);
  ADD (title, 0x5F14);
  ADD (personal_summary, 0x5F15);
  ADD (proof_of_citizenship, 0x5F16);
  ADD (other_td_numbers, 0x5F17);
  ADD (custody_information, 0x5F18);
#undef ADD
  put_tag_list (content, tags, n);

  put_text (content, 0x5F0E, f->full_name);
  if (f->other_names != NULL)
    {
      g_autoptr(GByteArray) group = g_byte_array_new ();
      guint8 count = (guint8) f->other_names->len;

      put_tlv (group, 0x02, &count, 1);
      for (guint i = 0; i < f->other_names->len; i++)
        put_text (group, 0x5F0F, g_ptr_array_index (f->other_names, i));
      put_tlv (content, 0xA0, group->data, group->len);
    }
  put_text (content, 0x5F10, f->personal_number);
  put_text (content, 0x5F2B, f->birth_date);
  put_text (content, 0x5F11, f->place_of_birth);
  put_text (content, 0x5F42, f->address);
  put_text (content, 0x5F12, f->telephone);
  put_text (content, 0x5F13, f->profession);
  put_text (content, 0x5F14, f->title);
  put_text (content, 0x5F15, f->personal_summary);
  if (f->proof_of_citizenship != NULL)
    put_tlv (content, 0x5F16, g_bytes_get_data (f->proof_of_citizenship, NULL),
             g_bytes_get_size (f->proof_of_citizenship));
  put_text (content, 0x5F17, f->other_td_numbers);
  put_text (content, 0x5F18, f->custody_information);
  return wrap (0x6B, content);
}

GBytes *
tp_test_build_dg12 (const TpLdsDg12 *f)
{
  g_autoptr(GByteArray) content = g_byte_array_new ();
  guint tags[16];
  gsize n = 0;

  g_return_val_if_fail (f != NULL, NULL);

#define ADD(field, tag) if (f->field != NULL) tags[n++] = tag
  ADD (issuing_authority, 0x5F19);
  ADD (date_of_issue, 0x5F26);
  ADD (other_persons, 0xA0);
  ADD (endorsements, 0x5F1B);
  ADD (tax_exit_requirements, 0x5F1C);
  ADD (front_image, 0x5F1D);
  ADD (rear_image, 0x5F1E);
  ADD (personalization_time, 0x5F55);
  ADD (personalization_serial, 0x5F56);
#undef ADD
  put_tag_list (content, tags, n);

  put_text (content, 0x5F19, f->issuing_authority);
  put_text (content, 0x5F26, f->date_of_issue);
  if (f->other_persons != NULL)
    {
      g_autoptr(GByteArray) group = g_byte_array_new ();
      guint8 count = (guint8) f->other_persons->len;

      put_tlv (group, 0x02, &count, 1);
      for (guint i = 0; i < f->other_persons->len; i++)
        put_text (group, 0x5F1A, g_ptr_array_index (f->other_persons, i));
      put_tlv (content, 0xA0, group->data, group->len);
    }
  put_text (content, 0x5F1B, f->endorsements);
  put_text (content, 0x5F1C, f->tax_exit_requirements);
  if (f->front_image != NULL)
    put_tlv (content, 0x5F1D, g_bytes_get_data (f->front_image, NULL), g_bytes_get_size (f->front_image));
  if (f->rear_image != NULL)
    put_tlv (content, 0x5F1E, g_bytes_get_data (f->rear_image, NULL), g_bytes_get_size (f->rear_image));
  put_text (content, 0x5F55, f->personalization_time);
  put_text (content, 0x5F56, f->personalization_serial);
  return wrap (0x6C, content);
}

GBytes *
tp_test_build_dg15 (EVP_PKEY  *key,
                    GError   **error)
{
  g_autoptr(GByteArray) content = g_byte_array_new ();
  unsigned char *der = NULL;
  int len;

  g_return_val_if_fail (key != NULL, NULL);

  len = i2d_PUBKEY (key, &der);
  if (len <= 0)
    {
      set_openssl_error (error, "encoding the active authentication key");
      return NULL;
    }
  g_byte_array_append (content, der, (guint) len);
  OPENSSL_free (der);
  return wrap (0x6F, content);
}

char *
tp_test_mrz_td3 (const char *issuing_state,
                 const char *primary,
                 const char *secondary,
                 const char *document_number,
                 const char *nationality,
                 const char *birth_date,
                 char        sex,
                 const char *expiry_date,
                 const char *personal_number)
{
  GString *l1 = g_string_new ("P<");
  GString *l2 = g_string_new (NULL);
  g_autoptr(GString) composite = g_string_new (NULL);
  g_autofree char *name = NULL;

#define FIELD(s, str, width) G_STMT_START { \
    gsize start_ = (s)->len; \
    for (const char *p_ = (str) != NULL ? (str) : ""; *p_ != '\0' && (s)->len - start_ < (width); p_++) \
      g_string_append_c ((s), *p_ == ' ' ? '<' : *p_); \
    while ((s)->len - start_ < (width)) \
      g_string_append_c ((s), '<'); \
  } G_STMT_END

  FIELD (l1, issuing_state, 3);
  name = g_strconcat (primary, "<<", secondary != NULL ? secondary : "", NULL);
  g_strdelimit (name, " ", '<');
  FIELD (l1, name, 39);

  FIELD (l2, document_number, 9);
  g_string_append_c (l2, '0' + tp_mrz_check_digit (l2->str, 9));
  FIELD (l2, nationality, 3);
  FIELD (l2, birth_date, 6);
  g_string_append_c (l2, '0' + tp_mrz_check_digit (l2->str + 13, 6));
  g_string_append_c (l2, sex);
  FIELD (l2, expiry_date, 6);
  g_string_append_c (l2, '0' + tp_mrz_check_digit (l2->str + 21, 6));
  FIELD (l2, personal_number, 14);
  g_string_append_c (l2, '0' + tp_mrz_check_digit (l2->str + 28, 14));
#undef FIELD

  g_string_append_len (composite, l2->str, 10);
  g_string_append_len (composite, l2->str + 13, 7);
  g_string_append_len (composite, l2->str + 21, 22);
  g_string_append_c (l2, '0' + tp_mrz_check_digit (composite->str, composite->len));

  g_string_append_c (l1, '\n');
  g_string_append (l1, l2->str);
  g_string_free (l2, TRUE);
  return g_string_free (l1, FALSE);
}

/* ---- public API --------------------------------------------------------- */

const char *
tp_test_key_type_to_string (TpTestKeyType type)
{
  g_return_val_if_fail (type < TP_TEST_N_KEY_TYPES, "none");

  return key_types[type].name;
}

gboolean
tp_test_key_type_from_string (const char    *name,
                              TpTestKeyType *type)
{
  g_return_val_if_fail (name != NULL, FALSE);

  for (guint i = 0; i < TP_TEST_N_KEY_TYPES; i++)
    if (g_ascii_strcasecmp (name, key_types[i].name) == 0)
      {
        if (type != NULL)
          *type = (TpTestKeyType) i;
        return TRUE;
      }
  if (type != NULL)
    *type = TP_TEST_KEY_NONE;
  return FALSE;
}

const TpTestKeyType *
tp_test_signature_key_types (gsize *n_types)
{
  if (n_types != NULL)
    *n_types = G_N_ELEMENTS (signature_types);
  return signature_types;
}

const char *
tp_test_signer_kind_to_string (TpTestSignerKind kind)
{
  g_return_val_if_fail (kind <= TP_TEST_SIGNER_IMPOSTOR_CSCA, "valid");

  return signer_kinds[kind];
}

EVP_PKEY *
tp_test_key_derive (TpTestKeyType   type,
                    const char     *seed,
                    const char     *label,
                    GError        **error)
{
  g_return_val_if_fail (type < TP_TEST_N_KEY_TYPES, NULL);
  g_return_val_if_fail (label != NULL, NULL);

  if (seed == NULL)
    seed = DEFAULT_SEED;
  switch (type)
    {
    case TP_TEST_KEY_RSA_2048:
    case TP_TEST_KEY_RSA_3072:
      return derive_rsa (seed, label, key_types[type].bits, error);
    case TP_TEST_KEY_EC_P256:
    case TP_TEST_KEY_EC_P384:
    case TP_TEST_KEY_EC_P521:
    case TP_TEST_KEY_BRAINPOOL_P256:
    case TP_TEST_KEY_BRAINPOOL_P384:
      return derive_ec (seed, label, key_types[type].curve, error);
    case TP_TEST_KEY_DH_2048:
      return derive_dh (seed, label, error);
    case TP_TEST_KEY_NONE:
    case TP_TEST_N_KEY_TYPES:
    default:
      g_set_error_literal (error, TP_ERROR, TP_ERROR_INVALID_ARGUMENT, "no key type given");
      return NULL;
    }
}

TpTestPki *
tp_test_pki_new (const char *seed)
{
  TpTestPki *pki = g_new0 (TpTestPki, 1);

  pki->seed = g_strdup (seed != NULL ? seed : DEFAULT_SEED);
  g_mutex_init (&pki->lock);
  pki->keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) EVP_PKEY_free);
  pki->credentials = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) credential_free);
  pki->crls = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) X509_CRL_free);
  pki->faces = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_bytes_unref);
  return pki;
}

void
tp_test_pki_free (TpTestPki *pki)
{
  if (pki == NULL)
    return;
  g_hash_table_unref (pki->faces);
  g_hash_table_unref (pki->crls);
  g_hash_table_unref (pki->credentials);
  g_hash_table_unref (pki->keys);
  g_clear_pointer (&pki->master_list, g_bytes_unref);
  if (pki->ml_signer != NULL)
    X509_free (pki->ml_signer);
  g_mutex_clear (&pki->lock);
  g_free (pki->seed);
  g_free (pki);
}

TpTestPki *
tp_test_pki_get_default (void)
{
  static gsize once = 0;
  static TpTestPki *pki;

  if (g_once_init_enter (&once))
    {
      pki = tp_test_pki_new (NULL);
      g_once_init_leave (&once, 1);
    }
  return pki;
}

gboolean
tp_test_pki_get_csca (TpTestPki      *pki,
                      TpTestKeyType   alg,
                      X509          **cert,
                      EVP_PKEY      **key,
                      GError        **error)
{
  Credential *c;

  g_return_val_if_fail (pki != NULL, FALSE);

  if (!is_signature_type (alg))
    {
      g_set_error (error, TP_ERROR, TP_ERROR_INVALID_ARGUMENT,
                   "%s is not a signature algorithm", tp_test_key_type_to_string (alg));
      return FALSE;
    }
  g_mutex_lock (&pki->lock);
  c = pki_csca (pki, alg, "csca", error);
  g_mutex_unlock (&pki->lock);
  if (c == NULL)
    return FALSE;
  if (cert != NULL)
    *cert = c->cert;
  if (key != NULL)
    *key = c->key;
  return TRUE;
}

gboolean
tp_test_pki_get_signer (TpTestPki         *pki,
                        TpTestKeyType      alg,
                        TpTestSignerKind   kind,
                        X509             **cert,
                        EVP_PKEY         **key,
                        GError           **error)
{
  Credential *c;

  g_return_val_if_fail (pki != NULL, FALSE);
  g_return_val_if_fail (kind <= TP_TEST_SIGNER_IMPOSTOR_CSCA, FALSE);

  if (!is_signature_type (alg))
    {
      g_set_error (error, TP_ERROR, TP_ERROR_INVALID_ARGUMENT,
                   "%s is not a signature algorithm", tp_test_key_type_to_string (alg));
      return FALSE;
    }
  g_mutex_lock (&pki->lock);
  c = pki_signer (pki, alg, kind, error);
  g_mutex_unlock (&pki->lock);
  if (c == NULL)
    return FALSE;
  if (cert != NULL)
    *cert = c->cert;
  if (key != NULL)
    *key = c->key;
  return TRUE;
}

X509_CRL *
tp_test_pki_get_crl (TpTestPki      *pki,
                     TpTestKeyType   alg,
                     GError        **error)
{
  X509_CRL *crl;

  g_return_val_if_fail (pki != NULL, NULL);

  if (!is_signature_type (alg))
    {
      g_set_error (error, TP_ERROR, TP_ERROR_INVALID_ARGUMENT,
                   "%s is not a signature algorithm", tp_test_key_type_to_string (alg));
      return NULL;
    }
  g_mutex_lock (&pki->lock);
  crl = pki_crl (pki, alg, error);
  g_mutex_unlock (&pki->lock);
  return crl;
}

GBytes *
tp_test_pki_get_master_list (TpTestPki  *pki,
                             X509      **signer,
                             GError    **error)
{
  gboolean ok;

  g_return_val_if_fail (pki != NULL, NULL);

  g_mutex_lock (&pki->lock);
  ok = pki_master_list (pki, error);
  g_mutex_unlock (&pki->lock);
  if (!ok)
    return NULL;
  if (signer != NULL)
    *signer = pki->ml_signer;
  return pki->master_list;
}

gboolean
tp_test_pki_write_trust (TpTestPki          *pki,
                         const char         *dir,
                         TpTestTrustLayout   layout,
                         GError            **error)
{
  g_return_val_if_fail (pki != NULL, FALSE);
  g_return_val_if_fail (dir != NULL, FALSE);

  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      g_set_error (error, TP_ERROR, TP_ERROR_FAILED, "cannot create %s: %s", dir, g_strerror (errno));
      return FALSE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (signature_types); i++)
    {
      TpTestKeyType alg = signature_types[i];
      g_autofree char *crl_path = g_strdup_printf ("%s/csca-%s.crl", dir, key_types[alg].name);
      X509_CRL *crl = tp_test_pki_get_crl (pki, alg, error);
      X509 *cert;

      if (crl == NULL || !write_der_crl (crl_path, crl, error))
        return FALSE;
      if (layout == TP_TEST_TRUST_CERTIFICATES || alg == TP_TEST_KEY_EC_P256)
        {
          g_autofree char *path = g_strdup_printf ("%s/csca-%s.cer", dir, key_types[alg].name);

          if (!tp_test_pki_get_csca (pki, alg, &cert, NULL, error) ||
              !write_der_cert (path, cert, error))
            return FALSE;
        }
    }

  if (layout == TP_TEST_TRUST_MASTER_LIST)
    {
      g_autofree char *path = g_build_filename (dir, "masterlist.ml", NULL);
      GBytes *ml = tp_test_pki_get_master_list (pki, NULL, error);

      if (ml == NULL ||
          !g_file_set_contents (path, g_bytes_get_data (ml, NULL), (gssize) g_bytes_get_size (ml), error))
        return FALSE;
    }
  return TRUE;
}

gboolean
tp_test_pki_write_all (TpTestPki   *pki,
                       const char  *dir,
                       GError     **error)
{
  g_autofree char *trust = g_build_filename (dir, "trust", NULL);
  g_autofree char *masterlist = g_build_filename (dir, "masterlist", NULL);
  g_autofree char *unknown = g_build_filename (dir, "unknown", NULL);
  g_autofree char *certs = g_build_filename (dir, "certs", NULL);
  g_autofree char *private = g_build_filename (dir, "private", NULL);
  g_autofree char *readme = g_build_filename (dir, "README", NULL);
  static const char readme_text[] =
    "Touchpoint test PKI: FOR TESTS AND DEMOS ONLY. The private keys derive from\n"
    "a public seed; anyone can recreate them.\n\n"
    "trust/       CSCA certificates and CRLs (touchpoint-cli read --trust trust/)\n"
    "masterlist/  the same trust through an ICAO master list and its signer's CSCA\n"
    "unknown/     CSCAs that are in no trust store (unknown, impostor)\n"
    "certs/       Document Signer and master-list signer certificates (DER)\n"
    "private/     their private keys (PEM, PKCS #8)\n";

  g_return_val_if_fail (pki != NULL, FALSE);
  g_return_val_if_fail (dir != NULL, FALSE);

  if (!tp_test_pki_write_trust (pki, trust, TP_TEST_TRUST_CERTIFICATES, error) ||
      !tp_test_pki_write_trust (pki, masterlist, TP_TEST_TRUST_MASTER_LIST, error))
    return FALSE;
  if (g_mkdir_with_parents (unknown, 0755) != 0 || g_mkdir_with_parents (certs, 0755) != 0 ||
      g_mkdir_with_parents (private, 0700) != 0)
    {
      g_set_error (error, TP_ERROR, TP_ERROR_FAILED, "cannot create the directories in %s: %s",
                   dir, g_strerror (errno));
      return FALSE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (signature_types); i++)
    {
      TpTestKeyType alg = signature_types[i];
      const char *name = key_types[alg].name;

      for (guint k = TP_TEST_SIGNER_VALID; k <= TP_TEST_SIGNER_IMPOSTOR_CSCA; k++)
        {
          g_autofree char *cert_path = g_strdup_printf ("%s/ds-%s-%s.cer", certs, name, signer_kinds[k]);
          X509 *cert;
          EVP_PKEY *key;

          if (!tp_test_pki_get_signer (pki, alg, (TpTestSignerKind) k, &cert, &key, error) ||
              !write_der_cert (cert_path, cert, error))
            return FALSE;
        }
      {
        g_autofree char *key_path = g_strdup_printf ("%s/ds-%s.pem", private, name);
        g_autofree char *csca_key_path = g_strdup_printf ("%s/csca-%s.pem", private, name);
        g_autofree char *unknown_path = g_strdup_printf ("%s/unknown-csca-%s.cer", unknown, name);
        g_autofree char *impostor_path = g_strdup_printf ("%s/impostor-csca-%s.cer", unknown, name);
        Credential *ds, *csca, *unk, *imp;

        g_mutex_lock (&pki->lock);
        ds = pki_signer (pki, alg, TP_TEST_SIGNER_VALID, error);
        csca = ds != NULL ? pki_csca (pki, alg, "csca", error) : NULL;
        unk = csca != NULL ? pki_csca (pki, alg, "unknown-csca", error) : NULL;
        imp = unk != NULL ? pki_csca (pki, alg, "impostor-csca", error) : NULL;
        g_mutex_unlock (&pki->lock);
        if (imp == NULL ||
            !write_pem_key (key_path, ds->key, error) ||
            !write_pem_key (csca_key_path, csca->key, error) ||
            !write_der_cert (unknown_path, unk->cert, error) ||
            !write_der_cert (impostor_path, imp->cert, error))
          return FALSE;
      }
    }

  {
    g_autofree char *path = g_build_filename (certs, "master-list-signer.cer", NULL);
    X509 *signer;

    if (tp_test_pki_get_master_list (pki, &signer, error) == NULL ||
        !write_der_cert (path, signer, error))
      return FALSE;
  }
  return g_file_set_contents (readme, readme_text, -1, error);
}

/* ---- documents ---------------------------------------------------------- */

void
tp_test_document_options_init (TpTestDocumentOptions *options)
{
  g_return_if_fail (options != NULL);

  memset (options, 0, sizeof *options);
  options->signer_key = TP_TEST_KEY_EC_P256;
  options->signer = TP_TEST_SIGNER_VALID;
  options->digest = "SHA256";
  options->face_format = TP_FACE_FORMAT_JP2;
  options->face_bytes = DEFAULT_FACE_BYTES;
  options->dg11 = TRUE;
  options->dg12 = TRUE;
  options->chip_auth_key = TP_TEST_KEY_EC_P256;
  options->chip_auth_cipher = TP_SM_CIPHER_AES_128;
  options->active_auth_key = TP_TEST_KEY_RSA_2048;
  options->pace_parameter_id = 13;
  options->pace_mapping = TP_PACE_MAPPING_GM;
  options->pace_cipher = TP_SM_CIPHER_AES_128;
  options->seed_label = "document";
}

void
tp_test_document_free (TpTestDocument *document)
{
  if (document == NULL)
    return;
  g_clear_pointer (&document->files, tp_lds_files_unref);
  g_free (document->mrz);
  g_free (document->can);
  EVP_PKEY_free (document->chip_auth_key);
  EVP_PKEY_free (document->active_auth_key);
  X509_free (document->document_signer);
  X509_free (document->csca);
  g_free (document);
}

static GBytes *
pki_face (TpTestPki     *pki,
          TpFaceFormat   format,
          gsize          bytes,
          GError       **error)
{
  g_autofree char *key = g_strdup_printf ("%d/%" G_GSIZE_FORMAT, format, bytes);
  GBytes *face;

  g_mutex_lock (&pki->lock);
  face = g_hash_table_lookup (pki->faces, key);
  if (face != NULL)
    g_bytes_ref (face);
  g_mutex_unlock (&pki->lock);
  if (face != NULL)
    return face;

  face = tp_test_face_image (format, DEFAULT_FACE_WIDTH, DEFAULT_FACE_HEIGHT, bytes, error);
  if (face == NULL)
    return NULL;
  g_mutex_lock (&pki->lock);
  g_hash_table_replace (pki->faces, g_steal_pointer (&key), g_bytes_ref (face));
  g_mutex_unlock (&pki->lock);
  return face;
}

static EVP_PKEY *
document_key (TpTestPki      *pki,
              TpTestKeyType   type,
              const char     *label,
              GError        **error)
{
  EVP_PKEY *key;

  g_mutex_lock (&pki->lock);
  key = pki_key (pki, type, label, error);
  if (key != NULL)
    EVP_PKEY_up_ref (key);
  g_mutex_unlock (&pki->lock);
  return key;
}

static gboolean
is_ec (TpTestKeyType type)
{
  return key_types[type].curve != NULL;
}

/* The public half of key with its domain parameters, as a new key: what
 * DG14 publishes. Built through EVP_PKEY_todata()/fromdata() rather than
 * EVP_PKEY_dup(): OpenPACE's libeac exports an EVP_PKEY_dup() of its own
 * (a shim for OpenSSL < 3) that takes the place of libcrypto's in every
 * caller when libeac comes first in the link (as `pkg-config --libs libeac`
 * puts it), and for a DH or DHX key it copies the domain parameters only,
 * into a legacy key without a public value, on which i2d_PUBKEY()
 * dereferences NULL. */
static EVP_PKEY *
public_half (EVP_PKEY  *key,
             GError   **error)
{
  EVP_PKEY_CTX *ctx = NULL;
  OSSL_PARAM *params = NULL;
  EVP_PKEY *pub = NULL;

  if (EVP_PKEY_todata (key, EVP_PKEY_PUBLIC_KEY, &params) != 1 ||
      (ctx = EVP_PKEY_CTX_new_from_name (NULL, EVP_PKEY_get0_type_name (key), NULL)) == NULL ||
      EVP_PKEY_fromdata_init (ctx) != 1 ||
      EVP_PKEY_fromdata (ctx, &pub, EVP_PKEY_PUBLIC_KEY, params) != 1)
    {
      set_openssl_error (error, "copying the chip authentication public key");
      EVP_PKEY_free (pub);
      pub = NULL;
    }
  EVP_PKEY_CTX_free (ctx);
  OSSL_PARAM_free (params);
  return pub;
}

static GBytes *
build_dg14 (const TpTestDocumentOptions  *o,
            EVP_PKEY                     *ca_key,
            GError                      **error)
{
  g_autoptr(TpSecurityInfos) infos = tp_security_infos_new ();
  g_autoptr(GBytes) set = NULL;
  g_autoptr(GByteArray) content = g_byte_array_new ();

  if (ca_key != NULL)
    {
      gboolean ecdh = is_ec (o->chip_auth_key);
      TpChipAuthInfo *info = tp_chip_auth_info_new (tp_chip_auth_oid (ecdh, o->chip_auth_cipher),
                                                    1, -1, error);
      EVP_PKEY *public_key = info != NULL ? public_half (ca_key, error) : NULL;

      if (public_key == NULL)
        {
          g_clear_pointer (&info, tp_chip_auth_info_free);
          return NULL;
        }
      if (ecdh && o->chip_auth_explicit_parameters)
        EVP_PKEY_set_utf8_string_param (public_key, OSSL_PKEY_PARAM_EC_ENCODING,
                                        OSSL_PKEY_EC_ENCODING_EXPLICIT);
      g_ptr_array_add (infos->ca_infos, info);
      g_ptr_array_add (infos->ca_public_keys,
                       tp_chip_auth_public_key_new (ecdh ? TP_OID_PK_ECDH : TP_OID_PK_DH, public_key, -1));
      EVP_PKEY_free (public_key);
    }
  if (o->pace_parameter_id >= 0)
    g_ptr_array_add (infos->pace_infos,
                     tp_pace_info_new_for (o->pace_mapping, o->pace_parameter_id >= 8, o->pace_cipher,
                                           o->pace_parameter_id));
  if (o->active_auth_key != TP_TEST_KEY_NONE && is_ec (o->active_auth_key))
    infos->aa_signature_oid = g_strdup (g_str_equal (digest_for (o->active_auth_key), "SHA384")
                                        ? "1.2.840.10045.4.3.3"
                                        : g_str_equal (digest_for (o->active_auth_key), "SHA512")
                                        ? "1.2.840.10045.4.3.4" : "1.2.840.10045.4.3.2");

  set = tp_security_infos_encode (infos, error);
  if (set == NULL)
    return NULL;
  g_byte_array_append (content, g_bytes_get_data (set, NULL), (guint) g_bytes_get_size (set));
  return wrap (0x6E, content);
}

static gboolean
sign_document (TpTestDocument               *doc,
               TpTestPki                    *pki,
               const TpTestDocumentOptions  *o,
               GError                      **error)
{
  GBytes *dgs[17] = { NULL };
  X509 *cert, *csca;
  EVP_PKEY *key;
  TpSodBuildFlags flags = TP_SOD_BUILD_NONE;
  g_autoptr(GBytes) sod = NULL;
  /* documents are signed at personalization (DG12 5F55) */
  g_autoptr(GDateTime) signing_time = g_date_time_new_utc (2025, 6, 1, 9, 30, 0);

  if (!tp_test_pki_get_signer (pki, o->signer_key, o->signer, &cert, &key, error))
    return FALSE;
  if (o->signer == TP_TEST_SIGNER_VALID || o->signer == TP_TEST_SIGNER_EXPIRED ||
      o->signer == TP_TEST_SIGNER_REVOKED)
    {
      if (!tp_test_pki_get_csca (pki, o->signer_key, &csca, NULL, error))
        return FALSE;
    }
  else
    {
      Credential *c;

      g_mutex_lock (&pki->lock);
      c = pki_csca (pki, o->signer_key,
                    o->signer == TP_TEST_SIGNER_UNKNOWN_CSCA ? "unknown-csca" : "impostor-csca", error);
      g_mutex_unlock (&pki->lock);
      if (c == NULL)
        return FALSE;
      csca = c->cert;
    }

  for (guint n = 1; n <= 16; n++)
    dgs[n] = tp_lds_files_get (doc->files, tp_lds_dg_fid (n));
  if (o->rsa_pss && EVP_PKEY_is_a (key, "RSA"))
    flags |= TP_SOD_BUILD_RSA_PSS;
  if (o->omit_ds_certificate)
    flags |= TP_SOD_BUILD_NO_CERTIFICATE;
  sod = tp_sod_build (dgs, o->digest != NULL ? o->digest : "SHA256", cert, key,
                      o->lds_version, NULL, o->content_type, signing_time, flags, error);
  if (sod == NULL)
    return FALSE;
  tp_lds_files_set (doc->files, TP_LDS_FID_SOD, sod);

  X509_free (doc->document_signer);
  X509_free (doc->csca);
  X509_up_ref (cert);
  X509_up_ref (csca);
  doc->document_signer = cert;
  doc->csca = csca;
  return TRUE;
}

TpTestDocument *
tp_test_pki_make_document (TpTestPki                    *pki,
                           const TpTestDocumentOptions  *options,
                           GError                      **error)
{
  TpTestDocumentOptions defaults;
  const TpTestDocumentOptions *o = options;
  g_autoptr(TpTestDocument) doc = g_new0 (TpTestDocument, 1);
  g_autoptr(GArray) present = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GBytes) dg1 = NULL;
  g_autoptr(GBytes) com = NULL;
  const char *label;
  guint n;

  g_return_val_if_fail (pki != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (o == NULL)
    {
      tp_test_document_options_init (&defaults);
      o = &defaults;
    }
  if (!is_signature_type (o->signer_key))
    {
      g_set_error (error, TP_ERROR, TP_ERROR_INVALID_ARGUMENT,
                   "signer key %s: a signature algorithm expected", tp_test_key_type_to_string (o->signer_key));
      return NULL;
    }
  label = o->seed_label != NULL ? o->seed_label : "document";

  doc->files = tp_lds_files_new ();
  doc->can = g_strdup (DEFAULT_CAN);
  doc->mrz = o->mrz != NULL
             ? g_strdup (o->mrz)
             : tp_test_mrz_td3 ("UTO", "NGUYEN", "VAN AN", "C1234567", "VNM", "800517", 'M',
                                "351231", "001080012345");

  dg1 = tp_test_build_dg1 (doc->mrz);
  tp_lds_files_set (doc->files, TP_LDS_FID_DG1, dg1);
  n = 1;
  g_array_append_val (present, n);

  if (o->face_format != TP_FACE_FORMAT_UNKNOWN)
    {
      g_autoptr(GBytes) face = pki_face (pki, o->face_format,
                                         o->face_bytes > 0 ? o->face_bytes : DEFAULT_FACE_BYTES, error);
      g_autoptr(GBytes) dg2 = NULL;

      if (face == NULL)
        return NULL;
      dg2 = tp_test_build_dg2 (face, o->face_format, DEFAULT_FACE_WIDTH, DEFAULT_FACE_HEIGHT);
      tp_lds_files_set (doc->files, TP_LDS_FID_DG2, dg2);
      doc->face_width = DEFAULT_FACE_WIDTH;
      doc->face_height = DEFAULT_FACE_HEIGHT;
      n = 2;
      g_array_append_val (present, n);
    }

  if (o->dg11)
    {
      TpLdsDg11 f = { 0 };
      g_autoptr(GPtrArray) others = g_ptr_array_new ();
      g_autoptr(GBytes) dg11 = NULL;

      g_ptr_array_add (others, (gpointer) "NGUYỄN<<AN");
      f.full_name = (char *) "NGUYỄN<<VĂN<AN";
      f.other_names = others;
      f.personal_number = (char *) "001080012345";
      f.birth_date = (char *) "19800517";
      f.place_of_birth = (char *) "HÀ NỘI<VIỆT NAM";
      f.address = (char *) "SỐ 1 TRÀNG TIỀN<HOÀN KIẾM<HÀ NỘI";
      f.profession = (char *) "KỸ SƯ";
      dg11 = tp_test_build_dg11 (&f);
      tp_lds_files_set (doc->files, TP_LDS_FID_DG11, dg11);
      n = 11;
      g_array_append_val (present, n);
    }

  if (o->dg12)
    {
      TpLdsDg12 f = { 0 };
      g_autoptr(GBytes) dg12 = NULL;

      f.issuing_authority = (char *) "CỤC QUẢN LÝ XUẤT NHẬP CẢNH";
      f.date_of_issue = (char *) "20250601";
      f.personalization_time = (char *) "20250601093000";
      f.personalization_serial = (char *) "TP-SIM-0001";
      dg12 = tp_test_build_dg12 (&f);
      tp_lds_files_set (doc->files, TP_LDS_FID_DG12, dg12);
      n = 12;
      g_array_append_val (present, n);
    }

  if (o->chip_auth_key != TP_TEST_KEY_NONE || o->pace_parameter_id >= 0)
    {
      g_autoptr(GBytes) dg14 = NULL;
      g_autofree char *ca_label = g_strdup_printf ("%s/chip-auth", label);

      if (o->chip_auth_key != TP_TEST_KEY_NONE)
        {
          if (o->chip_auth_key != TP_TEST_KEY_DH_2048 && !is_ec (o->chip_auth_key))
            {
              g_set_error (error, TP_ERROR, TP_ERROR_INVALID_ARGUMENT,
                           "chip authentication key %s: an EC or DH key expected",
                           tp_test_key_type_to_string (o->chip_auth_key));
              return NULL;
            }
          doc->chip_auth_key = document_key (pki, o->chip_auth_key, ca_label, error);
          if (doc->chip_auth_key == NULL)
            return NULL;
        }
      dg14 = build_dg14 (o, doc->chip_auth_key, error);
      if (dg14 == NULL)
        return NULL;
      tp_lds_files_set (doc->files, TP_LDS_FID_DG14, dg14);
      n = 14;
      g_array_append_val (present, n);
    }

  if (o->active_auth_key != TP_TEST_KEY_NONE)
    {
      g_autoptr(GBytes) dg15 = NULL;
      g_autofree char *aa_label = g_strdup_printf ("%s/active-auth", label);

      if (o->active_auth_key == TP_TEST_KEY_DH_2048)
        {
          g_set_error_literal (error, TP_ERROR, TP_ERROR_INVALID_ARGUMENT,
                               "active authentication key: an RSA or EC key expected");
          return NULL;
        }
      doc->active_auth_key = document_key (pki, o->active_auth_key, aa_label, error);
      if (doc->active_auth_key == NULL)
        return NULL;
      dg15 = tp_test_build_dg15 (doc->active_auth_key, error);
      if (dg15 == NULL)
        return NULL;
      tp_lds_files_set (doc->files, TP_LDS_FID_DG15, dg15);
      n = 15;
      g_array_append_val (present, n);
    }

  if (o->pace_parameter_id >= 0)
    {
      g_autoptr(GPtrArray) infos = g_ptr_array_new_with_free_func ((GDestroyNotify) tp_pace_info_free);
      g_autoptr(GBytes) card_access = NULL;

      g_ptr_array_add (infos, tp_pace_info_new_for (o->pace_mapping, o->pace_parameter_id >= 8,
                                                    o->pace_cipher, o->pace_parameter_id));
      card_access = tp_pace_encode_card_access (infos);
      tp_lds_files_set (doc->files, TP_LDS_FID_CARD_ACCESS, card_access);
    }

  com = tp_test_build_com (o->lds_version != NULL ? o->lds_version : "0107", "040000",
                           &g_array_index (present, guint, 0), present->len);
  tp_lds_files_set (doc->files, TP_LDS_FID_COM, com);

  if (!sign_document (doc, pki, o, error))
    return NULL;
  return g_steal_pointer (&doc);
}

gboolean
tp_test_document_resign (TpTestDocument               *document,
                         TpTestPki                    *pki,
                         const TpTestDocumentOptions  *options,
                         GError                      **error)
{
  TpTestDocumentOptions defaults;

  g_return_val_if_fail (document != NULL, FALSE);
  g_return_val_if_fail (pki != NULL, FALSE);

  if (options == NULL)
    {
      tp_test_document_options_init (&defaults);
      options = &defaults;
    }
  return sign_document (document, pki, options, error);
}
