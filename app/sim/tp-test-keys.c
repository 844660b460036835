/* tp-test-keys.c: deterministic test keys
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/param_build.h>
#include <openssl/rsa.h>

#include "tp-chip-error.h"
#include "tp-error.h"
#include "tp-test-keys.h"

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
      tp_test_set_openssl_error (error, "building a test key");
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
    tp_test_set_openssl_error (error, "building RSA parameters");

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
      tp_test_set_openssl_error (error, "loading the curve");
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
      tp_test_set_openssl_error (error, "computing an EC public key");
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
      tp_test_set_openssl_error (error, "loading the DH group");
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

/* ---- public API --------------------------------------------------------- */

void
tp_test_set_openssl_error (GError     **error,
                           const char  *what)
{
  g_autofree char *reason = tp_chip_openssl_reason ();

  g_set_error (error, TP_ERROR, TP_ERROR_FAILED, "%s failed: %s", what, reason);
}

gboolean
tp_test_key_type_is_signature (TpTestKeyType type)
{
  for (guint i = 0; i < G_N_ELEMENTS (signature_types); i++)
    if (signature_types[i] == type)
      return TRUE;
  return FALSE;
}

gboolean
tp_test_key_type_is_ec (TpTestKeyType type)
{
  g_return_val_if_fail (type < TP_TEST_N_KEY_TYPES, FALSE);

  return key_types[type].curve != NULL;
}

const char *
tp_test_key_type_title (TpTestKeyType type)
{
  g_return_val_if_fail (type < TP_TEST_N_KEY_TYPES, NULL);

  return key_types[type].title;
}

const char *
tp_test_key_type_digest (TpTestKeyType type)
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

EVP_PKEY *
tp_test_key_derive (TpTestKeyType   type,
                    const char     *seed,
                    const char     *label,
                    GError        **error)
{
  g_return_val_if_fail (type < TP_TEST_N_KEY_TYPES, NULL);
  g_return_val_if_fail (label != NULL, NULL);

  if (seed == NULL)
    seed = TP_TEST_DEFAULT_SEED;
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
