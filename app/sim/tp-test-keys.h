/* tp-test-keys.h: deterministic test keys
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * FOR TESTS AND DEMOS ONLY. Every key is derived from a seed string and a
 * label, so the same seed gives the same keys in every process (an
 * emulated reader and the CLI agree on trust anchors without sharing
 * files); the secret is the seed, which is public. RSA keys cost about
 * 0.1 s (2048) and 0.5 s (3072) to derive.
 */
#pragma once

#include <glib.h>
#include <openssl/evp.h>

G_BEGIN_DECLS

/* The seed of the project's default test PKI */
#define TP_TEST_DEFAULT_SEED "Touchpoint test PKI, version 1"

typedef enum {
  TP_TEST_KEY_NONE,
  TP_TEST_KEY_RSA_2048,
  TP_TEST_KEY_RSA_3072,
  TP_TEST_KEY_EC_P256,
  TP_TEST_KEY_EC_P384,
  TP_TEST_KEY_EC_P521,
  TP_TEST_KEY_BRAINPOOL_P256,
  TP_TEST_KEY_BRAINPOOL_P384,
  TP_TEST_KEY_DH_2048,       /* X9.42 DH, RFC 5114 2048/224: chip authentication only */
  TP_TEST_N_KEY_TYPES,
} TpTestKeyType;

/* "rsa2048", "rsa3072", "p256", "p384", "p521", "bp256", "bp384",
 * "dh2048", "none" */
const char    *tp_test_key_type_to_string   (TpTestKeyType     type);
/* TP_TEST_KEY_NONE (and FALSE) for an unknown name */
gboolean       tp_test_key_type_from_string (const char       *name,
                                             TpTestKeyType    *type);
/* The key types a CSCA and a Document Signer can have (all but DH). */
const TpTestKeyType *tp_test_signature_key_types (gsize       *n_types);
/* Whether a CSCA or a Document Signer can have a key of @type. */
gboolean       tp_test_key_type_is_signature (TpTestKeyType   type);
gboolean       tp_test_key_type_is_ec       (TpTestKeyType     type);
/* "RSA-2048", "P-256", "brainpoolP256r1"...: in certificate names */
const char    *tp_test_key_type_title       (TpTestKeyType     type);
/* The digest that goes with a signature key: "SHA256", "SHA384", "SHA512" */
const char    *tp_test_key_type_digest      (TpTestKeyType     type);

/* The key pair of type derived from seed and label (a new reference). */
EVP_PKEY      *tp_test_key_derive           (TpTestKeyType     type,
                                             const char       *seed,
                                             const char       *label,
                                             GError          **error);

/* TP_ERROR_FAILED: "@what failed: " and OpenSSL's reason (the test
 * equipment's files share it). */
void           tp_test_set_openssl_error    (GError          **error,
                                             const char       *what);

G_END_DECLS
