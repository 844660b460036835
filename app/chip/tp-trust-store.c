/* tp-trust-store.c: CSCA trust store for passive authentication
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>
#include <openssl/asn1t.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "tp-chip-error.h"
#include "tp-error.h"
#include "tp-ldif.h"
#include "tp-sod.h"
#include "tp-trust-store.h"

#define MAX_DIRECTORY_DEPTH 4
#define MAX_FILE_SIZE (64 * 1024 * 1024)

/* CscaMasterList (ICAO 9303 Part 12) */
typedef struct {
  ASN1_INTEGER     *version;
  STACK_OF (X509)  *certs;
} TP_CSCA_MASTER_LIST;

ASN1_SEQUENCE (TP_CSCA_MASTER_LIST) = {
  ASN1_SIMPLE (TP_CSCA_MASTER_LIST, version, ASN1_INTEGER),
  ASN1_SET_OF (TP_CSCA_MASTER_LIST, certs, X509),
} static_ASN1_SEQUENCE_END (TP_CSCA_MASTER_LIST)

typedef struct {
  TpTrustSource   *source;   /* owned by store->sources */
  CMS_ContentInfo *cms;
  X509            *signer;   /* owned by cms */
  STACK_OF (X509) *content;
} PendingMasterList;

struct _TpTrustStore {
  TpTrustStoreFlags  flags;
  X509_STORE        *x509_store;
  GPtrArray         *anchors;     /* X509 * */
  GPtrArray         *pool;        /* X509 *, untrusted */
  GPtrArray         *crls;        /* X509_CRL * */
  GHashTable        *known;       /* SHA-256 of certs and CRLs seen (GBytes) */
  GPtrArray         *sources;     /* TpTrustSource * */
  GPtrArray         *pending;     /* PendingMasterList * */
};

typedef struct {
  gboolean leaf_expired;
} VerifyState;

static void
trust_source_free (TpTrustSource *source)
{
  g_free (source->name);
  g_free (source->signer_subject);
  g_free (source->message);
  g_free (source);
}

static void
pending_free (PendingMasterList *pending)
{
  sk_X509_pop_free (pending->content, X509_free);
  CMS_ContentInfo_free (pending->cms);
  g_free (pending);
}

static char *
asn1_time_to_string (const ASN1_TIME *t)
{
  struct tm tm;

  if (t == NULL || !ASN1_TIME_to_tm (t, &tm))
    return g_strdup ("?");
  return g_strdup_printf ("%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                          tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

static GBytes *
cert_fingerprint (X509 *cert)
{
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;

  if (!X509_digest (cert, EVP_sha256 (), md, &len))
    return NULL;
  return g_bytes_new (md, len);
}

static GBytes *
crl_fingerprint (X509_CRL *crl)
{
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;

  if (!X509_CRL_digest (crl, EVP_sha256 (), md, &len))
    return NULL;
  return g_bytes_new (md, len);
}

/* TRUE when new (and then taken into the table). */
static gboolean
remember (TpTrustStore *store,
          GBytes       *fingerprint)
{
  if (fingerprint == NULL)
    return FALSE;
  if (g_hash_table_contains (store->known, fingerprint))
    {
      g_bytes_unref (fingerprint);
      return FALSE;
    }
  g_hash_table_add (store->known, fingerprint);
  return TRUE;
}

gboolean
tp_x509_is_csca (X509 *cert)
{
  uint32_t flags;

  g_return_val_if_fail (cert != NULL, FALSE);

  flags = X509_get_extension_flags (cert);
  return !(flags & EXFLAG_INVALID) && (flags & EXFLAG_CA) && (flags & EXFLAG_KUSAGE) &&
         (X509_get_key_usage (cert) & KU_KEY_CERT_SIGN);
}

gboolean
tp_x509_has_extended_key_usage (X509       *cert,
                                const char *oid)
{
  EXTENDED_KEY_USAGE *eku;
  gboolean found = FALSE;

  g_return_val_if_fail (cert != NULL, FALSE);
  g_return_val_if_fail (oid != NULL, FALSE);

  eku = X509_get_ext_d2i (cert, NID_ext_key_usage, NULL, NULL);
  for (int i = 0; eku != NULL && i < sk_ASN1_OBJECT_num (eku); i++)
    {
      char text[128];

      if (OBJ_obj2txt (text, sizeof text, sk_ASN1_OBJECT_value (eku, i), 1) > 0 &&
          strcmp (text, oid) == 0)
        found = TRUE;
    }
  EXTENDED_KEY_USAGE_free (eku);
  ERR_clear_error ();
  return found;
}

/* Why signer may not sign a master list, or NULL: ICAO 9303-12 gives the
 * master-list signer the extended key usage id-icao-mrtd-security-
 * cscaMasterListSigningKey and the key usage digitalSignature, and no CA
 * powers. */
static char *
master_list_signer_problem (X509 *signer)
{
  uint32_t flags = X509_get_extension_flags (signer);

  if (flags & EXFLAG_INVALID)
    return g_strdup ("its extensions are malformed");
  if (flags & EXFLAG_CA)
    return g_strdup ("it is a CA certificate, not a master-list signer");
  if (!(flags & EXFLAG_KUSAGE) || !(X509_get_key_usage (signer) & KU_DIGITAL_SIGNATURE))
    return g_strdup ("it lacks the key usage digitalSignature");
  if (!tp_x509_has_extended_key_usage (signer, TP_OID_MASTER_LIST_SIGNER))
    return g_strdup ("it lacks the master-list signer extended key usage (" TP_OID_MASTER_LIST_SIGNER ")");
  return NULL;
}

/* Adds cert; returns 1 when it became an anchor, 2 when it joined the pool,
 * 0 for a duplicate. Only CSCA certificates (tp_x509_is_csca()) become
 * anchors. */
static int
add_certificate (TpTrustStore *store,
                 X509         *cert)
{
  if (!remember (store, cert_fingerprint (cert)))
    return 0;
  X509_up_ref (cert);
  if (tp_x509_is_csca (cert))
    {
      g_ptr_array_add (store->anchors, cert);
      X509_STORE_add_cert (store->x509_store, cert);
      ERR_clear_error ();
      return 1;
    }
  g_ptr_array_add (store->pool, cert);
  return 2;
}

static gboolean
add_crl (TpTrustStore *store,
         X509_CRL     *crl)
{
  if (!remember (store, crl_fingerprint (crl)))
    return FALSE;
  X509_CRL_up_ref (crl);
  g_ptr_array_add (store->crls, crl);
  return TRUE;
}

static int
verify_cb (int             ok,
           X509_STORE_CTX *ctx)
{
  VerifyState *state = X509_STORE_CTX_get_app_data (ctx);

  if (!ok &&
      X509_STORE_CTX_get_error (ctx) == X509_V_ERR_CERT_HAS_EXPIRED &&
      X509_STORE_CTX_get_error_depth (ctx) == 0)
    {
      state->leaf_expired = TRUE;
      return 1;
    }
  return ok;
}

static TpChainStatus
chain_status_from_x509 (int err)
{
  switch (err)
    {
    case X509_V_OK:
      return TP_CHAIN_OK;
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
      return TP_CHAIN_UNKNOWN_CSCA;
    case X509_V_ERR_CERT_SIGNATURE_FAILURE:
    case X509_V_ERR_UNABLE_TO_DECRYPT_CERT_SIGNATURE:
    case X509_V_ERR_UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY:
      return TP_CHAIN_BAD_SIGNATURE;
    case X509_V_ERR_CERT_HAS_EXPIRED:
      return TP_CHAIN_EXPIRED;
    case X509_V_ERR_CERT_NOT_YET_VALID:
      return TP_CHAIN_NOT_YET_VALID;
    default:
      return TP_CHAIN_INVALID;
    }
}

/* Revocation of leaf by issuer: the newest CRL of issuer that verifies with
 * its key and is not dated in the future. Listed there: revoked (even on a
 * CRL past its next update: a revocation stays a revocation). Not listed on
 * a current CRL: good. No usable CRL, or only one past its next update:
 * unknown. */
static void
check_revocation (TpTrustStore *store,
                  X509         *leaf,
                  X509         *issuer,
                  time_t        now,
                  TpTrustChain *chain)
{
  const X509_NAME *issuer_name = X509_get_subject_name (issuer);
  EVP_PKEY *issuer_key = X509_get0_pubkey (issuer);
  X509_CRL *best = NULL;
  guint bad_signature = 0, future = 0;
  g_autofree char *issuer_text = tp_x509_name_to_string (issuer_name);
  g_autofree char *this_update = NULL;
  X509_REVOKED *revoked = NULL;
  int r;

  for (guint i = 0; store != NULL && i < store->crls->len; i++)
    {
      X509_CRL *crl = g_ptr_array_index (store->crls, i);

      if (X509_NAME_cmp (X509_CRL_get_issuer (crl), issuer_name) != 0)
        continue;
      if (issuer_key == NULL || X509_CRL_verify (crl, issuer_key) != 1)
        {
          bad_signature++;
          ERR_clear_error ();
          continue;
        }
      if (X509_cmp_time (X509_CRL_get0_lastUpdate (crl), &now) > 0)
        {
          /* issued after the time of the check: not a CRL of that time */
          future++;
          continue;
        }
      if (best == NULL ||
          ASN1_TIME_compare (X509_CRL_get0_lastUpdate (crl), X509_CRL_get0_lastUpdate (best)) > 0)
        best = crl;
    }

  if (best == NULL)
    {
      chain->revocation = TP_REVOCATION_UNKNOWN;
      if (future > 0)
        chain->revocation_reason =
          g_strdup_printf ("the only CRL from %s in the trust store is dated after the time of the "
                           "check (thisUpdate in the future): invalid", issuer_text);
      else if (bad_signature > 0)
        chain->revocation_reason =
          g_strdup_printf ("the trust store's CRLs from %s do not verify with its key", issuer_text);
      else
        chain->revocation_reason = g_strdup_printf ("no CRL from %s in the trust store", issuer_text);
      return;
    }

  this_update = asn1_time_to_string (X509_CRL_get0_lastUpdate (best));
  r = X509_CRL_get0_by_cert (best, &revoked, leaf);
  if (r == 1)
    {
      g_autofree char *when = asn1_time_to_string (X509_REVOKED_get0_revocationDate (revoked));

      chain->revocation = TP_REVOCATION_REVOKED;
      chain->revocation_reason =
        g_strdup_printf ("revoked on %s by the CRL of %s issued %s", when, issuer_text, this_update);
    }
  else
    {
      const ASN1_TIME *next = X509_CRL_get0_nextUpdate (best);
      gboolean stale = next != NULL && X509_cmp_time (next, &now) < 0;

      chain->crl_stale = stale;
      if (stale)
        {
          g_autofree char *next_text = asn1_time_to_string (next);

          chain->revocation = TP_REVOCATION_UNKNOWN;
          chain->revocation_reason =
            g_strdup_printf ("not on the CRL of %s issued %s, but that CRL is past its next update "
                             "(%s): no current CRL", issuer_text, this_update, next_text);
        }
      else
        {
          chain->revocation = TP_REVOCATION_GOOD;
          chain->revocation_reason =
            g_strdup_printf ("not on the CRL of %s issued %s", issuer_text, this_update);
        }
    }
}

static TpTrustChain *
verify_chain (TpTrustStore     *store,
              X509             *leaf,
              STACK_OF (X509)  *untrusted,
              GDateTime        *at)
{
  g_autoptr(TpTrustChain) chain = g_new0 (TpTrustChain, 1);
  X509_STORE_CTX *ctx = NULL;
  STACK_OF (X509) *pool = NULL;
  VerifyState state = { FALSE };
  time_t now = at != NULL ? (time_t) g_date_time_to_unix (at) : time (NULL);
  int ok, err;

  chain->revocation = TP_REVOCATION_NOT_CHECKED;

  if (leaf == NULL)
    {
      chain->status = TP_CHAIN_NO_CERTIFICATE;
      chain->reason = g_strdup ("no certificate to verify");
      chain->revocation_reason = g_strdup ("no certificate");
      return g_steal_pointer (&chain);
    }
  if (store == NULL || store->anchors->len == 0)
    {
      g_autofree char *issuer = tp_x509_name_to_string (X509_get_issuer_name (leaf));

      chain->status = TP_CHAIN_UNKNOWN_CSCA;
      chain->reason = g_strdup_printf ("the trust store holds no CSCA certificate "
                                       "(the certificate's issuer is %s)", issuer);
      chain->revocation_reason = g_strdup ("no chain");
      return g_steal_pointer (&chain);
    }

  pool = sk_X509_new_null ();
  for (int i = 0; untrusted != NULL && i < sk_X509_num (untrusted); i++)
    sk_X509_push (pool, sk_X509_value (untrusted, i));
  for (guint i = 0; i < store->pool->len; i++)
    sk_X509_push (pool, g_ptr_array_index (store->pool, i));

  ctx = X509_STORE_CTX_new ();
  if (ctx == NULL || !X509_STORE_CTX_init (ctx, store->x509_store, leaf, pool))
    {
      chain->status = TP_CHAIN_INVALID;
      chain->reason = tp_chip_openssl_reason ();
      goto out;
    }
  X509_STORE_CTX_set_app_data (ctx, &state);
  X509_STORE_CTX_set_verify_cb (ctx, verify_cb);
  /* every certificate of the store is an anchor, self-signed or a link */
  X509_STORE_CTX_set_flags (ctx, X509_V_FLAG_PARTIAL_CHAIN);
  X509_STORE_CTX_set_time (ctx, 0, now);

  ok = X509_verify_cert (ctx);
  err = X509_STORE_CTX_get_error (ctx);
  if (ok == 1)
    {
      STACK_OF (X509) *built = X509_STORE_CTX_get0_chain (ctx);
      int n = sk_X509_num (built);

      chain->status = TP_CHAIN_OK;
      chain->length = (guint) n;
      chain->leaf_expired = state.leaf_expired;
      chain->anchor = sk_X509_value (built, n - 1);
      X509_up_ref (chain->anchor);
      if (n > 1)
        {
          chain->issuer = sk_X509_value (built, 1);
          X509_up_ref (chain->issuer);
          check_revocation (store, leaf, chain->issuer, now, chain);
        }
      else
        chain->revocation_reason = g_strdup ("the certificate is itself a trust anchor");
    }
  else
    {
      X509 *current = X509_STORE_CTX_get_current_cert (ctx);
      int depth = X509_STORE_CTX_get_error_depth (ctx);
      g_autofree char *who = NULL;

      if (current != NULL)
        {
          g_autofree char *subject = tp_x509_name_to_string (X509_get_subject_name (current));
          g_autofree char *issuer = tp_x509_name_to_string (X509_get_issuer_name (current));

          who = g_strdup_printf ("%s (%s, issuer %s)", depth == 0 ? "the certificate" : "a CA certificate",
                                 subject, issuer);
        }
      else
        who = g_strdup ("the chain");

      chain->status = chain_status_from_x509 (err);
      if (chain->status == TP_CHAIN_UNKNOWN_CSCA)
        chain->reason = g_strdup_printf ("no CSCA in the trust store issued %s: %s", who,
                                         X509_verify_cert_error_string (err));
      else
        chain->reason = g_strdup_printf ("%s: %s", who, X509_verify_cert_error_string (err));
      chain->revocation_reason = g_strdup ("no chain");
    }

out:
  ERR_clear_error ();
  X509_STORE_CTX_free (ctx);
  sk_X509_free (pool);
  return g_steal_pointer (&chain);
}

static void
master_list_try_accept (TpTrustStore      *store,
                        PendingMasterList *pending,
                        gboolean          *accepted)
{
  TpTrustSource *source = pending->source;
  STACK_OF (X509) *embedded = CMS_get1_certs (pending->cms);
  g_autoptr(TpTrustChain) chain = verify_chain (store, pending->signer, embedded, NULL);
  gboolean direct = chain->status == TP_CHAIN_OK && chain->length == 2;
  gboolean trusted = direct && chain->revocation != TP_REVOCATION_REVOKED;

  sk_X509_pop_free (embedded, X509_free);
  ERR_clear_error ();

  g_clear_pointer (&source->message, g_free);
  source->signer_trusted = trusted;
  if (!trusted && !(store->flags & TP_TRUST_STORE_ACCEPT_UNVERIFIED_MASTER_LISTS))
    {
      source->message = g_strdup_printf ("not accepted: the master-list signer is not trusted (%s)",
                                         chain->status != TP_CHAIN_OK ? chain->reason
                                         : !direct ? "a CSCA of the store did not issue it itself"
                                         : chain->revocation_reason);
      *accepted = FALSE;
      return;
    }
  if (!trusted)
    source->message = g_strdup_printf ("accepted without a trusted signer "
                                       "(TP_TRUST_STORE_ACCEPT_UNVERIFIED_MASTER_LISTS): %s",
                                       chain->reason != NULL ? chain->reason : chain->revocation_reason);

  /* Only CSCA certificates become anchors; anything else a list carries
   * (a Document Signer, a certificate without keyCertSign) is left out. */
  for (int i = 0; i < sk_X509_num (pending->content); i++)
    {
      X509 *cert = sk_X509_value (pending->content, i);

      if (!tp_x509_is_csca (cert))
        source->n_ignored++;
      else if (add_certificate (store, cert) == 1)
        source->n_anchors++;
    }
  if (source->n_ignored > 0)
    {
      g_autofree char *before = g_steal_pointer (&source->message);

      source->message = g_strdup_printf ("%s%s%u certificate%s left out: not CSCA certificates "
                                         "(basicConstraints CA and keyUsage keyCertSign)",
                                         before ? before : "", before ? "; " : "", source->n_ignored,
                                         source->n_ignored == 1 ? "" : "s");
    }
  source->accepted = TRUE;
  *accepted = TRUE;
}

static void
resolve_pending (TpTrustStore *store)
{
  gboolean progress = TRUE;

  while (progress && store->pending->len > 0)
    {
      progress = FALSE;
      for (guint i = 0; i < store->pending->len; )
        {
          PendingMasterList *pending = g_ptr_array_index (store->pending, i);
          gboolean accepted = FALSE;

          master_list_try_accept (store, pending, &accepted);
          if (accepted)
            {
              g_ptr_array_remove_index (store->pending, i);
              progress = TRUE;
            }
          else
            i++;
        }
    }
}

static TpTrustSource *
new_source (TpTrustStore      *store,
            const char        *name,
            TpTrustSourceKind  kind)
{
  TpTrustSource *source = g_new0 (TpTrustSource, 1);

  source->name = g_strdup (name != NULL ? name : "(memory)");
  source->kind = kind;
  source->accepted = kind != TP_TRUST_SOURCE_MASTER_LIST;
  g_ptr_array_add (store->sources, source);
  return source;
}

static gboolean
add_master_list (TpTrustStore     *store,
                 CMS_ContentInfo  *cms,
                 const char       *name,
                 GError          **error)
{
  g_autoptr(GBytes) content = NULL;
  g_autoptr(GError) local_error = NULL;
  TP_CSCA_MASTER_LIST *ml;
  const unsigned char *p;
  gsize len;
  PendingMasterList *pending;
  TpTrustSource *source;
  X509 *signer = NULL;
  g_autofree char *problem = NULL;
  gboolean signature_ok;
  gboolean accepted = FALSE;

  content = tp_cms_get_content (cms, TP_OID_CSCA_MASTER_LIST, error);
  if (content == NULL)
    {
      g_prefix_error (error, "%s: not a CSCA master list: ", name);
      CMS_ContentInfo_free (cms);
      return FALSE;
    }
  p = g_bytes_get_data (content, &len);
  ml = (TP_CSCA_MASTER_LIST *) ASN1_item_d2i (NULL, &p, (long) MIN (len, G_MAXLONG),
                                              ASN1_ITEM_rptr (TP_CSCA_MASTER_LIST));
  if (ml == NULL)
    {
      g_autofree char *reason = tp_chip_openssl_reason ();

      g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT,
                   "%s: the CscaMasterList is not well-formed DER (%s)", name, reason);
      CMS_ContentInfo_free (cms);
      return FALSE;
    }

  source = new_source (store, name, TP_TRUST_SOURCE_MASTER_LIST);
  signature_ok = tp_cms_verify_signed_data (cms, NULL, &signer, &local_error);
  source->signature_ok = signature_ok;
  if (signer != NULL)
    source->signer_subject = tp_x509_name_to_string (X509_get_subject_name (signer));
  if (!signature_ok)
    {
      source->message = g_strdup_printf ("not accepted: %s", local_error->message);
      ASN1_item_free ((ASN1_VALUE *) ml, ASN1_ITEM_rptr (TP_CSCA_MASTER_LIST));
      CMS_ContentInfo_free (cms);
      return TRUE;
    }
  problem = master_list_signer_problem (signer);
  if (problem != NULL)
    {
      source->message = g_strdup_printf ("not accepted: the signer (%s) may not sign a master list: %s",
                                         source->signer_subject, problem);
      ASN1_item_free ((ASN1_VALUE *) ml, ASN1_ITEM_rptr (TP_CSCA_MASTER_LIST));
      CMS_ContentInfo_free (cms);
      return TRUE;
    }

  pending = g_new0 (PendingMasterList, 1);
  pending->source = source;
  pending->cms = cms;
  pending->signer = signer;
  pending->content = g_steal_pointer (&ml->certs);
  ASN1_item_free ((ASN1_VALUE *) ml, ASN1_ITEM_rptr (TP_CSCA_MASTER_LIST));
  if (pending->content == NULL)
    pending->content = sk_X509_new_null ();

  master_list_try_accept (store, pending, &accepted);
  if (accepted)
    pending_free (pending);
  else
    g_ptr_array_add (store->pending, pending);
  return TRUE;
}

/* ---- files into items ------------------------------------------------------ */

static void
item_add (GPtrArray       *items,
          TpTrustItemKind  kind,
          const guint8    *der,
          gsize            len,
          const char      *label,
          gboolean         from_ldif)
{
  TpTrustItem *item = g_new0 (TpTrustItem, 1);

  item->kind = kind;
  item->der = g_bytes_new (der, len);
  item->label = g_strdup (label);
  item->from_ldif = from_ldif;
  g_ptr_array_add (items, item);
}

static void
item_add_x509 (GPtrArray  *items,
               X509       *cert,
               X509_CRL   *crl,
               const char *label)
{
  unsigned char *der = NULL;
  int len = cert != NULL ? i2d_X509 (cert, &der) : i2d_X509_CRL (crl, &der);

  if (len > 0)
    item_add (items, cert != NULL ? TP_TRUST_ITEM_CERTIFICATE : TP_TRUST_ITEM_CRL, der, (gsize) len,
              label, FALSE);
  OPENSSL_free (der);
}

static gboolean
items_from_pem (GPtrArray     *items,
                const guint8  *data,
                gsize          len,
                const char    *name,
                GError       **error)
{
  BIO *bio = BIO_new_mem_buf (data, (int) MIN (len, G_MAXINT));
  guint before = items->len;

  if (g_strstr_len ((const char *) data, (gssize) MIN (len, 4096), "-----BEGIN CMS-----") != NULL ||
      g_strstr_len ((const char *) data, (gssize) MIN (len, 4096), "-----BEGIN PKCS7-----") != NULL)
    {
      CMS_ContentInfo *cms = PEM_read_bio_CMS (bio, NULL, NULL, NULL);
      unsigned char *der = NULL;
      int dlen = cms != NULL ? i2d_CMS_ContentInfo (cms, &der) : 0;

      if (dlen > 0)
        item_add (items, TP_TRUST_ITEM_MASTER_LIST, der, (gsize) dlen, name, FALSE);
      else
        {
          g_autofree char *reason = tp_chip_openssl_reason ();

          g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT, "%s: unreadable PEM CMS (%s)",
                       name, reason);
        }
      OPENSSL_free (der);
      CMS_ContentInfo_free (cms);
    }
  else
    {
      STACK_OF (X509_INFO) *infos = PEM_X509_INFO_read_bio (bio, NULL, NULL, NULL);
      int n = infos != NULL ? sk_X509_INFO_num (infos) : 0;

      for (int i = 0; i < n; i++)
        {
          X509_INFO *info = sk_X509_INFO_value (infos, i);

          if (info->x509 != NULL)
            item_add_x509 (items, info->x509, NULL, name);
          if (info->crl != NULL)
            item_add_x509 (items, NULL, info->crl, name);
        }
      sk_X509_INFO_pop_free (infos, X509_INFO_free);
      if (items->len == before)
        g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT,
                     "%s: no certificate or CRL in this PEM file", name);
    }

  ERR_clear_error ();
  BIO_free (bio);
  return items->len > before;
}

static gboolean
item_from_der (GPtrArray     *items,
               const guint8  *data,
               gsize          len,
               const char    *name,
               GError       **error)
{
  const unsigned char *p;
  long dlen = (long) MIN (len, G_MAXLONG);
  X509 *cert;
  X509_CRL *crl;
  CMS_ContentInfo *cms;
  TpTrustItemKind kind;
  gboolean whole;

  p = data;
  cert = d2i_X509 (NULL, &p, dlen);
  whole = cert != NULL && p == data + dlen;
  X509_free (cert);
  if (whole)
    {
      kind = TP_TRUST_ITEM_CERTIFICATE;
      goto found;
    }
  p = data;
  crl = d2i_X509_CRL (NULL, &p, dlen);
  whole = crl != NULL && p == data + dlen;
  X509_CRL_free (crl);
  if (whole)
    {
      kind = TP_TRUST_ITEM_CRL;
      goto found;
    }
  p = data;
  cms = d2i_CMS_ContentInfo (NULL, &p, dlen);
  whole = cms != NULL && p == data + dlen;
  CMS_ContentInfo_free (cms);
  if (whole)
    {
      kind = TP_TRUST_ITEM_MASTER_LIST;
      goto found;
    }
  ERR_clear_error ();
  g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT,
               "%s: not a certificate, a CRL or a CMS master list (DER or PEM), nor an LDIF file", name);
  return FALSE;

found:
  ERR_clear_error ();
  item_add (items, kind, data, len, name, FALSE);
  return TRUE;
}

static gboolean
items_from_ldif (GPtrArray     *items,
                 const guint8  *data,
                 gsize          len,
                 const char    *name,
                 GError       **error)
{
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) local_error = NULL;
  guint before = items->len;

  entries = tp_ldif_parse (data, len, &local_error);
  if (entries == NULL)
    {
      g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT, "%s: %s", name, local_error->message);
      return FALSE;
    }
  for (guint i = 0; i < entries->len; i++)
    {
      const TpLdifEntry *entry = g_ptr_array_index (entries, i);
      g_autofree char *label = g_strdup_printf ("%s (%s)", name, entry->dn);

      for (guint a = 0; a < entry->attributes->len; a++)
        {
          const TpLdifAttribute *attribute = g_ptr_array_index (entry->attributes, a);
          gsize vlen;
          const guint8 *v = g_bytes_get_data (attribute->value, &vlen);

          if (vlen == 0)
            continue;
          if (tp_ldif_attribute_is (attribute, "pkdMasterListContent"))
            item_add (items, TP_TRUST_ITEM_MASTER_LIST, v, vlen, label, TRUE);
          else if (tp_ldif_attribute_is (attribute, "userCertificate") ||
                   tp_ldif_attribute_is (attribute, "cACertificate"))
            item_add (items, TP_TRUST_ITEM_CERTIFICATE, v, vlen, label, TRUE);
          else if (tp_ldif_attribute_is (attribute, "certificateRevocationList") ||
                   tp_ldif_attribute_is (attribute, "authorityRevocationList"))
            item_add (items, TP_TRUST_ITEM_CRL, v, vlen, label, TRUE);
        }
    }
  if (items->len == before)
    {
      g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT,
                   "%s: an LDIF file without a certificate, a CRL or a master list "
                   "(userCertificate, cACertificate, certificateRevocationList, pkdMasterListContent)",
                   name);
      return FALSE;
    }
  return TRUE;
}

GPtrArray *
tp_trust_items_from_data (const guint8  *data,
                          gsize          len,
                          const char    *name,
                          GError       **error)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) tp_trust_item_free);
  gboolean ok;

  g_return_val_if_fail (data != NULL || len == 0, NULL);

  if (name == NULL)
    name = "(memory)";
  if (len == 0)
    {
      g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT, "%s: empty file", name);
      return NULL;
    }
  if (tp_ldif_looks_like (data, len))
    ok = items_from_ldif (items, data, len, name, error);
  else if (g_strstr_len ((const char *) data, (gssize) MIN (len, 65536), "-----BEGIN ") != NULL)
    ok = items_from_pem (items, data, len, name, error);
  else
    ok = item_from_der (items, data, len, name, error);
  return ok ? g_steal_pointer (&items) : NULL;
}

void
tp_trust_item_free (TpTrustItem *item)
{
  if (item == NULL)
    return;
  g_clear_pointer (&item->der, g_bytes_unref);
  g_free (item->label);
  g_free (item);
}

/* ---- items into the store ---------------------------------------------------- */

/* One certificate or CRL item into @source (created on first use) */
static void
add_x509_item (TpTrustStore      *store,
               const TpTrustItem *item,
               TpTrustSource    **source,
               const char        *name)
{
  const unsigned char *p = g_bytes_get_data (item->der, NULL);
  long len = (long) g_bytes_get_size (item->der);

  if (*source == NULL)
    *source = new_source (store, name, item->from_ldif ? TP_TRUST_SOURCE_LDIF
                                       : item->kind == TP_TRUST_ITEM_CERTIFICATE
                                       ? TP_TRUST_SOURCE_CERTIFICATES : TP_TRUST_SOURCE_CRL);
  if (item->kind == TP_TRUST_ITEM_CERTIFICATE)
    {
      X509 *cert = d2i_X509 (NULL, &p, len);

      if (cert == NULL)
        (*source)->n_ignored++;
      else if (item->from_ldif && tp_x509_is_csca (cert))
        {
          /* An LDIF file is not signed: CSCAs come from master lists (or
           * certificate files an operator chose) */
          (*source)->n_ignored++;
        }
      else
        {
          int r = add_certificate (store, cert);

          (*source)->n_anchors += r == 1;
          (*source)->n_other += r == 2;
        }
      X509_free (cert);
    }
  else
    {
      X509_CRL *crl = d2i_X509_CRL (NULL, &p, len);

      if (crl == NULL)
        (*source)->n_ignored++;
      else
        (*source)->n_crls += add_crl (store, crl);
      X509_CRL_free (crl);
    }
  ERR_clear_error ();
}

/* A master list item as its own source; FALSE with @error when it is
 * not one (for a file named explicitly). */
static gboolean
add_list_item (TpTrustStore      *store,
               const TpTrustItem *item,
               GError           **error)
{
  const unsigned char *p = g_bytes_get_data (item->der, NULL);
  long len = (long) g_bytes_get_size (item->der);
  CMS_ContentInfo *cms = d2i_CMS_ContentInfo (NULL, &p, len);
  g_autoptr(GError) local_error = NULL;

  ERR_clear_error ();
  if (cms == NULL)
    g_set_error (&local_error, TP_ERROR, TP_ERROR_INVALID_INPUT, "%s: not a CMS structure", item->label);
  else if (add_master_list (store, cms, item->label, &local_error))
    return TRUE;
  if (!item->from_ldif)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  /* in an LDIF file: listed as a source that is not accepted */
  {
    TpTrustSource *source = new_source (store, item->label, TP_TRUST_SOURCE_MASTER_LIST);

    source->message = g_strdup_printf ("not accepted: %s", local_error->message);
  }
  return TRUE;
}

static gboolean
add_items (TpTrustStore  *store,
           GPtrArray     *items,
           const char    *name,
           GError       **error)
{
  TpTrustSource *source = NULL;

  for (guint i = 0; i < items->len; i++)
    {
      const TpTrustItem *item = g_ptr_array_index (items, i);

      if (item->kind == TP_TRUST_ITEM_MASTER_LIST)
        {
          if (!add_list_item (store, item, error))
            return FALSE;
        }
      else
        add_x509_item (store, item, &source, name);
    }
  if (source != NULL && source->n_ignored > 0 && source->kind == TP_TRUST_SOURCE_LDIF)
    source->message = g_strdup_printf ("%u CA certificate%s left out: an LDIF file is not signed, so "
                                       "it gives no trust anchor (CSCAs come from master lists or "
                                       "certificate files)", source->n_ignored,
                                       source->n_ignored == 1 ? "" : "s");
  return TRUE;
}

static gboolean
add_data_internal (TpTrustStore  *store,
                   const guint8  *data,
                   gsize          len,
                   const char    *name,
                   GError       **error)
{
  g_autoptr(GPtrArray) items = tp_trust_items_from_data (data, len, name, error);

  return items != NULL && add_items (store, items, name, error);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  /* g_ptr_array_sort() hands pointers to the elements */
  return strcmp (*(char * const *) a, *(char * const *) b);
}

static gboolean
add_path_internal (TpTrustStore  *store,
                   const char    *path,
                   guint          depth,
                   gboolean       explicit_file,
                   GError       **error)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_autoptr(GDir) dir = NULL;
      g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
      const char *entry;

      if (depth > MAX_DIRECTORY_DEPTH)
        return TRUE;
      dir = g_dir_open (path, 0, error);
      if (dir == NULL)
        return FALSE;
      while ((entry = g_dir_read_name (dir)) != NULL)
        if (entry[0] != '.')
          g_ptr_array_add (names, g_strdup (entry));
      g_ptr_array_sort (names, compare_names);
      for (guint i = 0; i < names->len; i++)
        {
          g_autofree char *child = g_build_filename (path, g_ptr_array_index (names, i), NULL);

          if (!add_path_internal (store, child, depth + 1, FALSE, error))
            return FALSE;
        }
      return TRUE;
    }
  else
    {
      g_autofree char *contents = NULL;
      gsize len;
      g_autoptr(GError) local_error = NULL;
      GStatBuf st;

      if (g_stat (path, &st) == 0 && st.st_size > MAX_FILE_SIZE)
        {
          g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT,
                       "%s: %" G_GINT64_FORMAT " bytes, larger than any trust file (%d MB at most)",
                       path, (gint64) st.st_size, MAX_FILE_SIZE / (1024 * 1024));
          return FALSE;
        }
      if (!g_file_get_contents (path, &contents, &len, error))
        return FALSE;
      if (add_data_internal (store, (const guint8 *) contents, len, path, &local_error))
        return TRUE;
      if (explicit_file || !g_error_matches (local_error, TP_ERROR, TP_ERROR_INVALID_INPUT))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      /* in a directory, other files (notes, keys) are skipped but listed */
      {
        TpTrustSource *source = new_source (store, path, TP_TRUST_SOURCE_CERTIFICATES);

        source->accepted = FALSE;
        source->message = g_strdup_printf ("skipped: %s", local_error->message);
      }
      return TRUE;
    }
}

/* Public API */

TpTrustStore *
tp_trust_store_new (TpTrustStoreFlags flags)
{
  TpTrustStore *store = g_new0 (TpTrustStore, 1);

  store->flags = flags;
  store->x509_store = X509_STORE_new ();
  store->anchors = g_ptr_array_new_with_free_func ((GDestroyNotify) X509_free);
  store->pool = g_ptr_array_new_with_free_func ((GDestroyNotify) X509_free);
  store->crls = g_ptr_array_new_with_free_func ((GDestroyNotify) X509_CRL_free);
  store->known = g_hash_table_new_full (g_bytes_hash, g_bytes_equal,
                                        (GDestroyNotify) g_bytes_unref, NULL);
  store->sources = g_ptr_array_new_with_free_func ((GDestroyNotify) trust_source_free);
  store->pending = g_ptr_array_new_with_free_func ((GDestroyNotify) pending_free);
  return store;
}

void
tp_trust_store_free (TpTrustStore *store)
{
  if (store == NULL)
    return;
  g_ptr_array_unref (store->pending);
  g_ptr_array_unref (store->sources);
  g_hash_table_unref (store->known);
  g_ptr_array_unref (store->crls);
  g_ptr_array_unref (store->pool);
  g_ptr_array_unref (store->anchors);
  X509_STORE_free (store->x509_store);
  g_free (store);
}

gboolean
tp_trust_store_add_path (TpTrustStore  *store,
                         const char    *path,
                         GError       **error)
{
  gboolean ok;

  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  ok = add_path_internal (store, path, 0, TRUE, error);
  resolve_pending (store);
  return ok;
}

gboolean
tp_trust_store_add_data (TpTrustStore  *store,
                         const guint8  *data,
                         gsize          len,
                         const char    *name,
                         GError       **error)
{
  gboolean ok;

  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (data != NULL || len == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  ok = add_data_internal (store, data, len, name != NULL ? name : "(memory)", error);
  resolve_pending (store);
  return ok;
}

TpTrustSource *
tp_trust_store_add_item (TpTrustStore       *store,
                         const TpTrustItem  *item,
                         GError            **error)
{
  TpTrustSource *source = NULL;
  guint before;

  g_return_val_if_fail (store != NULL, NULL);
  g_return_val_if_fail (item != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  before = store->sources->len;
  if (item->kind == TP_TRUST_ITEM_MASTER_LIST)
    {
      if (!add_list_item (store, item, error))
        return NULL;
    }
  else
    add_x509_item (store, item, &source, item->label);
  resolve_pending (store);
  g_assert (store->sources->len == before + 1);
  return g_ptr_array_index (store->sources, before);
}

void
tp_trust_store_add_certificate (TpTrustStore *store,
                                X509         *cert)
{
  g_return_if_fail (store != NULL);
  g_return_if_fail (cert != NULL);

  add_certificate (store, cert);
  resolve_pending (store);
}

void
tp_trust_store_add_crl (TpTrustStore *store,
                        X509_CRL     *crl)
{
  g_return_if_fail (store != NULL);
  g_return_if_fail (crl != NULL);

  add_crl (store, crl);
}

guint
tp_trust_store_get_n_anchors (TpTrustStore *store)
{
  g_return_val_if_fail (store != NULL, 0);

  return store->anchors->len;
}

GPtrArray *
tp_trust_store_get_anchors (TpTrustStore *store)
{
  g_return_val_if_fail (store != NULL, NULL);

  return store->anchors;
}

GPtrArray *
tp_trust_store_get_sources (TpTrustStore *store)
{
  g_return_val_if_fail (store != NULL, NULL);

  return store->sources;
}

X509 *
tp_trust_store_find_certificate (TpTrustStore       *store,
                                 const X509_NAME    *issuer,
                                 const ASN1_INTEGER *serial)
{
  GPtrArray *lists[2];

  g_return_val_if_fail (issuer != NULL && serial != NULL, NULL);

  if (store == NULL)
    return NULL;
  lists[0] = store->pool;
  lists[1] = store->anchors;
  for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
    for (guint i = 0; i < lists[l]->len; i++)
      {
        X509 *cert = g_ptr_array_index (lists[l], i);

        if (ASN1_INTEGER_cmp (X509_get0_serialNumber (cert), serial) == 0 &&
            X509_NAME_cmp (X509_get_issuer_name (cert), issuer) == 0)
          return cert;
      }
  return NULL;
}

TpTrustChain *
tp_trust_store_verify (TpTrustStore     *store,
                       X509             *leaf,
                       STACK_OF (X509)  *untrusted,
                       GDateTime        *at)
{
  return verify_chain (store, leaf, untrusted, at);
}

void
tp_trust_chain_free (TpTrustChain *chain)
{
  if (chain == NULL)
    return;
  g_free (chain->reason);
  g_free (chain->revocation_reason);
  if (chain->anchor != NULL)
    X509_free (chain->anchor);
  if (chain->issuer != NULL)
    X509_free (chain->issuer);
  g_free (chain);
}

const char *
tp_chain_status_to_string (TpChainStatus status)
{
  switch (status)
    {
    case TP_CHAIN_OK:
      return "ok";
    case TP_CHAIN_NO_CERTIFICATE:
      return "no_certificate";
    case TP_CHAIN_UNKNOWN_CSCA:
      return "unknown_csca";
    case TP_CHAIN_BAD_SIGNATURE:
      return "bad_signature";
    case TP_CHAIN_EXPIRED:
      return "expired";
    case TP_CHAIN_NOT_YET_VALID:
      return "not_yet_valid";
    case TP_CHAIN_INVALID:
    default:
      return "invalid";
    }
}

const char *
tp_revocation_status_to_string (TpRevocationStatus status)
{
  switch (status)
    {
    case TP_REVOCATION_GOOD:
      return "good";
    case TP_REVOCATION_REVOKED:
      return "revoked";
    case TP_REVOCATION_UNKNOWN:
      return "unknown";
    case TP_REVOCATION_NOT_CHECKED:
    default:
      return "not_checked";
    }
}

GBytes *
tp_master_list_encode_content (GPtrArray  *certs,
                               GError    **error)
{
  TP_CSCA_MASTER_LIST *ml;
  unsigned char *der = NULL;
  int len;
  GBytes *out = NULL;

  g_return_val_if_fail (certs != NULL, NULL);

  ml = (TP_CSCA_MASTER_LIST *) ASN1_item_new (ASN1_ITEM_rptr (TP_CSCA_MASTER_LIST));
  ASN1_INTEGER_set_int64 (ml->version, 0);
  if (ml->certs == NULL)
    ml->certs = sk_X509_new_null ();
  for (guint i = 0; i < certs->len; i++)
    {
      X509 *cert = g_ptr_array_index (certs, i);

      X509_up_ref (cert);
      sk_X509_push (ml->certs, cert);
    }
  len = ASN1_item_i2d ((ASN1_VALUE *) ml, &der, ASN1_ITEM_rptr (TP_CSCA_MASTER_LIST));
  if (len > 0)
    out = g_bytes_new (der, len);
  else
    g_set_error_literal (error, TP_ERROR, TP_ERROR_FAILED, "encoding the CscaMasterList failed");
  OPENSSL_free (der);
  ASN1_item_free ((ASN1_VALUE *) ml, ASN1_ITEM_rptr (TP_CSCA_MASTER_LIST));
  ERR_clear_error ();
  return out;
}

char *
tp_x509_name_to_string (const X509_NAME *name)
{
  BIO *bio;
  char *data = NULL;
  long len;
  char *out;

  if (name == NULL)
    return g_strdup ("");
  bio = BIO_new (BIO_s_mem ());
  X509_NAME_print_ex (bio, name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
  len = BIO_get_mem_data (bio, &data);
  out = g_strndup (data, (gsize) MAX (len, 0));
  BIO_free (bio);
  if (!g_utf8_validate (out, -1, NULL))
    {
      char *valid = g_utf8_make_valid (out, -1);

      g_free (out);
      out = valid;
    }
  return out;
}
