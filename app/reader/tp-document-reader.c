/* tp-document-reader.c: the read engine
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "tp-active-auth.h"
#include "tp-apdu.h"
#include "tp-bac.h"
#include "tp-chip-auth.h"
#include "tp-chip-error.h"
#include "tp-document-reader.h"
#include "tp-error.h"
#include "tp-pace.h"
#include "tp-sm.h"
#include "tp-sod.h"
#include "tp-tlv.h"

#define FID_ATR_INFO      0x2F01
#define SFI_ATR_INFO      0x01
#define SFI_CARD_ACCESS   0x1C
/* No eMRTD file comes near this; a header declaring more is a lie. */
#define MAX_FILE_SIZE     (1024 * 1024)
/* Bytes secure messaging adds around an extended response: DO'87' header
 * and padding indicator (5), padding (16), DO'99' (4), DO'8E' (10). */
#define SM_OVERHEAD       40
/* B1 answers wrap the data in DO'53' (up to 4 header bytes). */
#define ODD_OVERHEAD      4
/* Offsets above this need READ BINARY with odd INS */
#define MAX_EVEN_OFFSET   0x7FFF
/* Status word stand-ins for a chip that sends nothing we can use */
#define NO_PROGRESS_LIMIT 3

static const guint8 emrtd_aid[] = { 0xA0, 0x00, 0x00, 0x02, 0x47, 0x10, 0x01 };

/* Read sizes to step down through when a chip answers 6700: extended
 * ones first (a chip may take extended length with a smaller buffer than
 * it says), then short ones. */
static const gsize extended_ladder[] = { 32768, 16384, 8192, 4096, 2048, 1024, 512 };
static const gsize size_ladder[] = { 231, 223, 200, 160, 128, 112, 96, 64, 32, 16, 8, 4, 1 };

typedef struct {
  TpTransport          *transport;
  const TpAccessKey    *key;
  const TpReadOptions  *options;
  TpReadProgressFunc    progress;
  gpointer              progress_data;
  GCancellable         *cancellable;
  TpDocument           *doc;

  /* What the chip offers, learnt once */
  gboolean              probed;
  GPtrArray            *pace_infos;        /* TpPaceInfo, or NULL without EF.CardAccess */
  gsize                 chip_max_response; /* from EF.ATR/INFO, 0 unknown */
  gboolean              chip_extended;
  gboolean              pace_failed;       /* fell back to BAC once: stay there */

  /* The session */
  TpSm                 *sm;
  gboolean              use_extended;
  gsize                 read_size;         /* plain bytes per READ BINARY */
  gsize                 size_limit;        /* learnt from 6700 / 6Cxx, 0 none */
  gboolean              extended_refused;  /* the chip answered 6700 to it */
  gboolean              sfi_ok;            /* learnt once per read: the chip is the same */
  guint16               sfi_refusal;       /* the status that ended SFI reads, 0 none */

  /* Plain status words that differed from the authenticated DO'99' */
  guint                 status_differs;
  guint16               differing_plain_sw;
  guint16               differing_protected_sw;

  /* Chip authentication */
  TpSecurityInfos      *dg14;
  TpChipAuthInfo       *ca_info;
  const TpChipAuthPublicKey *ca_key;
  gboolean              ca_established;    /* redo after a reconnect */
  gboolean              ca_pending_proof;  /* the next answer proves it */

  guint                 retries;
  guint64               done;
  guint64               total;
} DocumentRead;

TpReadOptions *
tp_read_options_new (void)
{
  TpReadOptions *options = g_new0 (TpReadOptions, 1);

  options->read_face = TRUE;
  options->read_optional = TRUE;
  options->chip_auth = TRUE;
  options->active_auth = TRUE;
  options->max_retries = 3;
  return options;
}

TpReadOptions *
tp_read_options_copy (const TpReadOptions *options)
{
  TpReadOptions *copy;

  g_return_val_if_fail (options != NULL, NULL);

  copy = g_memdup2 (options, sizeof *options);
  if (copy->at != NULL)
    g_date_time_ref (copy->at);
  /* The trust store is shared, not copied: the caller keeps it alive. */
  return copy;
}

void
tp_read_options_free (TpReadOptions *options)
{
  if (options == NULL)
    return;
  g_clear_pointer (&options->at, g_date_time_unref);
  g_free (options);
}

/* ---- exchanges ---------------------------------------------------------- */

static gboolean
is_recoverable (const GError *error)
{
  return g_error_matches (error, TP_CHIP_ERROR, TP_CHIP_ERROR_COMMUNICATION) ||
         g_error_matches (error, TP_CHIP_ERROR, TP_CHIP_ERROR_SM_FAILURE);
}

/* One command, protected when a session is up. The status word is the
 * caller's to judge. */
static gboolean
xmit (DocumentRead  *r,
      const TpApdu  *apdu,
      GByteArray    *data,
      guint16       *sw,
      GError       **error)
{
  g_autoptr(GError) local = NULL;

  if (g_cancellable_set_error_if_cancelled (r->cancellable, error))
    return FALSE;

  if (!tp_sm_transmit (r->sm, tp_transport_transmit_func, r->transport, apdu, data, sw, &local))
    {
      if (r->ca_pending_proof && g_error_matches (local, TP_CHIP_ERROR, TP_CHIP_ERROR_SM_FAILURE))
        {
          /* The first answer under the chip authentication keys does not
           * verify: the chip does not hold the DG14 private key. */
          r->ca_pending_proof = FALSE;
          r->ca_established = FALSE;
          r->doc->chip_auth = TP_CHECK_FAILED;
          g_free (r->doc->chip_auth_reason);
          r->doc->chip_auth_reason =
            g_strdup ("The chip's first answer under the chip authentication keys does not "
                      "verify: it does not hold the private key of DG14 (a cloned chip?)");
        }
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }

  if (r->sm != NULL)
    {
      guint16 plain = 0, protected = 0;

      if (tp_sm_last_response_status_differs (r->sm, &plain, &protected) &&
          r->status_differs++ == 0)
        {
          r->differing_plain_sw = plain;
          r->differing_protected_sw = protected;
        }
    }

  if (r->ca_pending_proof)
    {
      r->ca_pending_proof = FALSE;
      if (tp_sm_last_response_authenticated (r->sm))
        r->doc->chip_auth = TP_CHECK_VALID;
      else
        {
          r->ca_established = FALSE;
          r->doc->chip_auth = TP_CHECK_FAILED;
          g_free (r->doc->chip_auth_reason);
          r->doc->chip_auth_reason =
            g_strdup_printf ("The chip answered %04X without secure messaging right after "
                             "chip authentication: no proof that it holds the DG14 key", *sw);
        }
    }
  return TRUE;
}

static gboolean
select_application (DocumentRead  *r,
                    GError       **error)
{
  g_autoptr(TpApdu) apdu = tp_apdu_new (0x00, 0xA4, 0x04, 0x0C, emrtd_aid, sizeof emrtd_aid, 0);
  guint16 sw = 0;

  if (!xmit (r, apdu, NULL, &sw, error))
    return FALSE;
  if (sw != TP_SW_OK)
    {
      tp_chip_set_status_error (error, sw, "Selecting the eMRTD application (A0000002471001)");
      return FALSE;
    }
  return TRUE;
}

/* FALSE with @error set when the command did not go through; otherwise
 * the chip's status word in @sw, whatever it is (a hostile chip may
 * answer 0000). */
static gboolean
select_file (DocumentRead  *r,
             guint16        fid,
             guint16       *sw,
             GError       **error)
{
  const guint8 id[2] = { fid >> 8, fid & 0xFF };
  g_autoptr(TpApdu) apdu = tp_apdu_new (0x00, 0xA4, 0x02, 0x0C, id, 2, 0);

  *sw = 0;
  return xmit (r, apdu, NULL, sw, error);
}

/* ---- the chip's capabilities ------------------------------------------ */

/* Historical bytes of an ATR (ISO/IEC 7816-3) */
static gboolean
atr_historical_bytes (GBytes        *atr,
                      const guint8 **hist,
                      gsize         *hist_len)
{
  gsize len = 0, pos = 2, k;
  const guint8 *a;
  guint8 y;

  if (atr == NULL)
    return FALSE;
  a = g_bytes_get_data (atr, &len);
  if (len < 2)
    return FALSE;
  k = a[1] & 0x0F;
  y = a[1] & 0xF0;
  while (y != 0)
    {
      guint8 td = 0;
      gboolean has_td = (y & 0x80) != 0;

      pos += ((y & 0x10) != 0) + ((y & 0x20) != 0) + ((y & 0x40) != 0);
      if (has_td)
        {
          if (pos >= len)
            return FALSE;
          td = a[pos++];
        }
      y = has_td ? (td & 0xF0) : 0;
    }
  if (pos + k > len)
    return FALSE;
  *hist = a + pos;
  *hist_len = k;
  return TRUE;
}

/* Card capabilities (compact-TLV 7x, ISO/IEC 7816-4 8.1.1.2.7): the third
 * software function table says whether extended Lc/Le fields work. */
static gboolean
historical_says_extended (const guint8 *hist,
                          gsize         len)
{
  gsize pos = 1;

  if (len < 1 || (hist[0] != 0x80 && hist[0] != 0x00))
    return FALSE;
  if (hist[0] == 0x00)
    len = len >= 3 ? len - 3 : 0;   /* status indicator at the end */
  while (pos < len)
    {
      guint8 tag = hist[pos] >> 4, l = hist[pos] & 0x0F;

      pos++;
      if (pos + l > len)
        return FALSE;
      if (tag == 0x7 && l >= 3)
        return (hist[pos + 2] & 0x40) != 0;
      pos += l;
    }
  return FALSE;
}

/* The chip refused READ BINARY with a short EF identifier (6986, 6A86,
 * 6D00, 6E00..., or 6A82 for a file that SELECT then found): files are
 * selected from now on, for the rest of the read. */
static void
note_sfi_refused (DocumentRead *r,
                  guint16       sw)
{
  if (!r->sfi_ok)
    return;
  r->sfi_ok = FALSE;
  r->sfi_refusal = sw;
  r->doc->file_access = TP_FILE_ACCESS_SELECT;
}

/* A status that refuses a READ BINARY by short EF identifier: no current
 * EF (6986), file not found (6A82: or no such file), wrong P1-P2 (6A86,
 * 6A81 function not supported, 6981 incompatible file structure), INS
 * (6D00) or CLA (6E00) not supported. */
static gboolean
is_sfi_refusal (guint16 sw)
{
  return sw == 0x6986 || sw == TP_SW_FILE_NOT_FOUND || sw == TP_SW_WRONG_P1P2 ||
         sw == TP_SW_INS_NOT_SUPPORTED || sw == TP_SW_CLA_NOT_SUPPORTED ||
         sw == 0x6A81 || sw == 0x6981;
}

/* A plain read of a small file of the master file by SFI (falling back
 * to SELECT), with short APDUs: the chip's extended-length support is not
 * known yet. NULL with no error when the file is not there. */
static GBytes *
read_mf_file (DocumentRead  *r,
              guint8         sfi,
              guint16        fid,
              GError       **error)
{
  g_autoptr(GByteArray) data = g_byte_array_new ();
  g_autoptr(GByteArray) chunk = g_byte_array_new ();
  g_autoptr(TpApdu) apdu = NULL;
  gsize total = 0;
  guint16 sw = 0;

  /* Once the chip has refused short EF identifiers, straight to SELECT */
  for (gsize le = TP_APDU_LE_MAX_SHORT, step = 0; r->sfi_ok; step++)
    {
      g_clear_pointer (&apdu, tp_apdu_free);
      apdu = tp_apdu_new (0x00, 0xB0, 0x80 | sfi, 0x00, NULL, 0, (guint32) le);
      if (!xmit (r, apdu, data, &sw, error))
        return NULL;
      /* A chip that takes only smaller reads says so (6700, 6Cxx). */
      if (TP_SW1 (sw) == 0x6C && TP_SW2 (sw) != 0 && TP_SW2 (sw) < le && step < 4)
        le = r->size_limit = TP_SW2 (sw);
      else if (sw == TP_SW_WRONG_LENGTH && step < G_N_ELEMENTS (size_ladder))
        le = r->size_limit = size_ladder[step];
      else
        break;
    }
  if (sw != TP_SW_OK && sw != TP_SW_END_OF_FILE)
    {
      guint16 refusal = sw;

      /* No short file identifiers here, or no such file (6A82 says
       * either): select it to tell. */
      if (is_sfi_refusal (refusal) && refusal != TP_SW_FILE_NOT_FOUND)
        note_sfi_refused (r, refusal);
      if (!select_file (r, fid, &sw, error) || sw != TP_SW_OK)
        return NULL;
      if (is_sfi_refusal (refusal))
        note_sfi_refused (r, refusal);
      g_clear_pointer (&apdu, tp_apdu_free);
      apdu = tp_apdu_new (0x00, 0xB0, 0x00, 0x00, NULL, 0,
                          r->size_limit ? (guint32) r->size_limit : TP_APDU_LE_MAX_SHORT);
      if (!xmit (r, apdu, data, &sw, error))
        return NULL;
      if (sw != TP_SW_OK && sw != TP_SW_END_OF_FILE)
        return NULL;
    }

  /* Longer than one answer: on to the end its header declares. */
  if (tp_tlv_peek_total_length (data->data, data->len, &total, NULL) && total <= 0x7FFF)
    while (data->len < total && sw == TP_SW_OK)
      {
        gsize want = MIN (total - data->len, r->size_limit ? r->size_limit : TP_APDU_LE_MAX_SHORT);

        g_clear_pointer (&apdu, tp_apdu_free);
        apdu = tp_apdu_new (0x00, 0xB0, (guint8) (data->len >> 8), (guint8) data->len,
                            NULL, 0, (guint32) want);
        if (!xmit (r, apdu, chunk, &sw, error))
          return NULL;
        if ((sw != TP_SW_OK && sw != TP_SW_END_OF_FILE) || chunk->len == 0 || chunk->len > want)
          break;
        g_byte_array_append (data, chunk->data, chunk->len);
      }
  return g_bytes_new (data->data, data->len);
}

static gboolean
probe_chip (DocumentRead  *r,
            GError       **error)
{
  const guint8 *hist = NULL;
  gsize hist_len = 0;
  GBytes *ats = tp_transport_get_ats (r->transport);
  g_autoptr(GBytes) card_access = NULL;
  g_autoptr(GError) local = NULL;

  r->chip_extended = FALSE;
  if (ats != NULL && g_bytes_get_size (ats) > 0)
    {
      const guint8 *a = g_bytes_get_data (ats, NULL);
      gsize n = g_bytes_get_size (ats), skip = 1;

      skip += ((a[0] & 0x10) != 0) + ((a[0] & 0x20) != 0) + ((a[0] & 0x40) != 0);
      if (skip <= n)
        r->chip_extended = historical_says_extended (a + skip, n - skip);
    }
  else if (atr_historical_bytes (tp_transport_get_atr (r->transport), &hist, &hist_len))
    r->chip_extended = historical_says_extended (hist, hist_len);

  /* EF.ATR/INFO gives the sizes, and says so for chips whose historical
   * bytes do not: only worth an APDU when the reader moves extended APDUs. */
  if (tp_transport_supports_extended (r->transport) && !r->options->no_extended)
    {
      g_autoptr(GBytes) atr_info = read_mf_file (r, SFI_ATR_INFO, FID_ATR_INFO, &local);
      TpTlv info, item;

      /* NULL without an error: the file is not there */
      if (local != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
      if (atr_info != NULL &&
          tp_tlv_find (g_bytes_get_data (atr_info, NULL), g_bytes_get_size (atr_info), 0x7F66, &info, NULL))
        {
          TpTlvIter iter;
          guint n = 0;

          if (tp_tlv_iter_init_children (&iter, &info, NULL))
            while (tp_tlv_iter_next (&iter, &item, NULL))
              {
                gsize value = 0;

                if (item.tag != 0x02 || item.length == 0 || item.length > 4)
                  continue;
                for (gsize i = 0; i < item.length; i++)
                  value = (value << 8) | item.value[i];
                if (n++ == 1)
                  r->chip_max_response = value;
              }
          if (r->chip_max_response > TP_TRANSPORT_SHORT_RESPONSE_MAX)
            r->chip_extended = TRUE;
        }
    }

  card_access = read_mf_file (r, SFI_CARD_ACCESS, TP_LDS_FID_CARD_ACCESS, &local);
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  if (card_access != NULL)
    {
      r->pace_infos = tp_pace_parse_card_access (g_bytes_get_data (card_access, NULL),
                                                 g_bytes_get_size (card_access), &local);
      if (r->pace_infos == NULL)
        tp_document_add_error (r->doc, "EF.CardAccess is malformed (%s): PACE skipped", local->message);
    }

  r->probed = TRUE;
  return TRUE;
}

static void
choose_read_size (DocumentRead *r)
{
  gsize size;

  r->use_extended = r->chip_extended && !r->extended_refused && !r->options->no_extended &&
                    tp_transport_supports_extended (r->transport);
  if (r->use_extended)
    {
      gsize chip = r->chip_max_response ? r->chip_max_response : 0x1000;
      gsize reader = tp_transport_get_max_response_len (r->transport);

      size = MIN (chip, reader);
      size = size > SM_OVERHEAD ? size - SM_OVERHEAD : 1;
      size = MIN (size, TP_APDU_LE_MAX_EXTENDED - SM_OVERHEAD);
    }
  else if (r->sm != NULL)
    {
      /* The most a protected short response holds once padded and MACed */
      size = tp_sm_get_cipher (r->sm) == TP_SM_CIPHER_3DES ? 231 : 223;
    }
  else
    size = TP_APDU_LE_MAX_SHORT;

  if (r->options->max_read > 0)
    size = MIN (size, r->options->max_read);
  if (r->size_limit > 0)
    size = MIN (size, r->size_limit);
  r->read_size = MAX (size, 1);
}

/* ---- access control ------------------------------------------------------ */

static gboolean
run_pace (DocumentRead  *r,
          GError       **error)
{
  const TpPaceInfo *info = tp_pace_choose (r->pace_infos);
  TpPacePassword type = r->key->kind == TP_ACCESS_KEY_CAN ? TP_PACE_PASSWORD_CAN : TP_PACE_PASSWORD_MRZ;
  const char *password = r->key->kind == TP_ACCESS_KEY_CAN ? r->key->can : r->key->mrz_info;
  TpSm *sm = NULL;

  if (!tp_pace_authenticate (tp_transport_transmit_func, r->transport, info,
                             r->pace_infos->len > 1, type, password, &sm, error))
    return FALSE;

  r->sm = sm;
  g_free (r->doc->access);
  r->doc->access = g_strdup ("PACE");
  g_free (r->doc->mapping);
  r->doc->mapping = g_strdup (tp_pace_mapping_to_string (info->mapping));
  g_free (r->doc->pace_protocol);
  r->doc->pace_protocol = tp_pace_info_describe (info);
  return TRUE;
}

static gboolean
run_bac (DocumentRead  *r,
         GError       **error)
{
  TpBacKeys keys;

  if (r->key->kind != TP_ACCESS_KEY_MRZ)
    {
      g_set_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_ACCESS_DENIED,
                   "This chip has no PACE, so a card access number cannot open it: "
                   "give the MRZ (or document number, birth and expiry dates)");
      return FALSE;
    }
  if (!tp_bac_derive_keys (r->key->mrz_info, &keys, error))
    return FALSE;
  if (!select_application (r, error))
    return FALSE;
  if (!tp_bac_authenticate (tp_transport_transmit_func, r->transport, &keys, NULL, NULL, &r->sm, error))
    return FALSE;

  g_free (r->doc->access);
  r->doc->access = g_strdup ("BAC");
  g_clear_pointer (&r->doc->mapping, g_free);
  g_clear_pointer (&r->doc->pace_protocol, g_free);
  return TRUE;
}

/* Access control, the application, and chip authentication again when it
 * held before: what a fresh or reconnected card needs. */
static gboolean
open_session (DocumentRead  *r,
              GError       **error)
{
  g_clear_pointer (&r->sm, tp_sm_free);
  r->ca_pending_proof = FALSE;

  if (!r->probed && !probe_chip (r, error))
    return FALSE;

  if (r->pace_infos != NULL && tp_pace_choose (r->pace_infos) != NULL &&
      !r->options->prefer_bac && !r->pace_failed)
    {
      g_autoptr(GError) local = NULL;

      if (run_pace (r, &local))
        {
          if (!select_application (r, error))
            return FALSE;
          goto access_done;
        }
      if (g_error_matches (local, TP_CHIP_ERROR, TP_CHIP_ERROR_ACCESS_DENIED) ||
          g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
          is_recoverable (local) || r->key->kind == TP_ACCESS_KEY_CAN)
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
      /* PACE as this chip runs it does not work with us: BAC, from a
       * fresh start (ICAO 9303-11 allows either while BAC is offered). */
      /* A downgrade: BAC is the weaker protocol, and someone between
       * reader and chip could have provoked it. Said on the read. */
      r->doc->downgraded = TRUE;
      tp_document_add_warning (r->doc, "downgrade: PACE failed (%s); the chip was read with BAC "
                               "instead", local->message);
      r->pace_failed = TRUE;
      if (!tp_transport_reconnect (r->transport, error))
        return FALSE;
    }

  if (!run_bac (r, error))
    return FALSE;

access_done:
  g_free (r->doc->sm);
  r->doc->sm = g_strdup (tp_sm_cipher_to_string (tp_sm_get_cipher (r->sm)));
  choose_read_size (r);

  if (r->ca_established)
    {
      if (!tp_chip_auth_authenticate (tp_transport_transmit_func, r->transport, &r->sm,
                                      r->ca_info, r->ca_key, FALSE, error))
        return FALSE;
      r->ca_pending_proof = TRUE;
    }
  return TRUE;
}

/* After a transmission error: the card again, from the start. */
static gboolean
recover (DocumentRead  *r,
         const GError  *cause,
         GError       **error)
{
  if (r->retries >= r->options->max_retries)
    {
      g_set_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_COMMUNICATION,
                   "The chip kept failing (%u attempts); last: %s",
                   r->retries + 1, cause->message);
      return FALSE;
    }
  r->retries++;
  g_debug ("Transmission error (%s): reconnecting, attempt %u", cause->message, r->retries);

  g_clear_pointer (&r->sm, tp_sm_free);
  if (!tp_transport_reconnect (r->transport, error))
    return FALSE;
  return open_session (r, error);
}

/* ---- reading files ------------------------------------------------------- */

static void
report_progress (DocumentRead *r,
                 const char   *file)
{
  if (r->progress != NULL)
    r->progress (file, r->done, MAX (r->total, r->done), r->progress_data);
}

static gboolean
shrink_read_size (DocumentRead *r)
{
  if (r->use_extended)
    {
      for (gsize i = 0; i < G_N_ELEMENTS (extended_ladder); i++)
        if (extended_ladder[i] < r->read_size)
          {
            r->size_limit = extended_ladder[i];
            r->read_size = extended_ladder[i];
            return TRUE;
          }
      /* Extended length refused: short APDUs from now on. */
      r->extended_refused = TRUE;
      r->size_limit = 0;
      choose_read_size (r);
      return TRUE;
    }
  for (gsize i = 0; i < G_N_ELEMENTS (size_ladder); i++)
    if (size_ladder[i] < r->read_size)
      {
        r->size_limit = size_ladder[i];
        r->read_size = size_ladder[i];
        return TRUE;
      }
  return FALSE;
}

typedef enum {
  READ_OK,
  READ_ABSENT,      /* no such file */
  READ_FAILED,      /* error set */
} ReadResult;

/* One READ BINARY at @offset of @le plain bytes. *selected tells whether
 * the file is the current one (else the first read uses its SFI, or a
 * SELECT). Appends to @buf. */
static gboolean
read_chunk (DocumentRead  *r,
            guint16        fid,
            gboolean      *selected,
            gsize          offset,
            gsize          le,
            GByteArray    *chunk,
            guint16       *sw,
            gboolean      *absent,
            GError       **error)
{
  g_autoptr(TpApdu) apdu = NULL;
  guint8 sfi = tp_lds_fid_to_sfi (fid);
  guint16 refusal = 0;

  *absent = FALSE;
  g_byte_array_set_size (chunk, 0);

  if (!*selected && r->sfi_ok && sfi != 0 && offset <= 0xFF)
    {
      apdu = tp_apdu_new (0x00, 0xB0, 0x80 | sfi, (guint8) offset, NULL, 0, (guint32) le);
      apdu->extended = r->use_extended;
      if (!xmit (r, apdu, chunk, sw, error))
        return FALSE;
      if (!is_sfi_refusal (*sw))
        {
          *selected = TRUE;
          return TRUE;
        }
      /* Refused (or no file): select it to tell */
      refusal = *sw;
      if (refusal != TP_SW_FILE_NOT_FOUND)
        note_sfi_refused (r, refusal);
    }

  if (!*selected)
    {
      if (!select_file (r, fid, sw, error))
        return FALSE;
      if (*sw == TP_SW_FILE_NOT_FOUND)
        {
          *absent = TRUE;
          return TRUE;
        }
      if (*sw != TP_SW_OK)
        return TRUE;
      /* The file is there: a 6A82 to its SFI was a refusal */
      if (refusal != 0)
        note_sfi_refused (r, refusal);
      *selected = TRUE;
    }

  g_byte_array_set_size (chunk, 0);
  g_clear_pointer (&apdu, tp_apdu_free);
  if (offset > MAX_EVEN_OFFSET)
    {
      guint8 do54[5] = { 0x54, 0x03, (guint8) (offset >> 16), (guint8) (offset >> 8), (guint8) offset };

      apdu = tp_apdu_new (0x00, 0xB1, 0x00, 0x00, do54, sizeof do54, (guint32) (le + ODD_OVERHEAD));
    }
  else
    apdu = tp_apdu_new (0x00, 0xB0, (guint8) (offset >> 8), (guint8) offset, NULL, 0, (guint32) le);
  apdu->extended = r->use_extended;
  if (!xmit (r, apdu, chunk, sw, error))
    return FALSE;

  if (offset > MAX_EVEN_OFFSET && chunk->len > 0)
    {
      TpTlv tlv;
      gsize pos = 0;

      /* The data comes in DO'53' */
      if (!tp_tlv_read (chunk->data, chunk->len, &pos, &tlv, NULL) || tlv.tag != 0x53)
        {
          g_set_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_PROTOCOL,
                       "The chip's answer to READ BINARY (odd INS) is not a data object 53");
          return FALSE;
        }
      g_byte_array_remove_range (chunk, 0, (guint) tlv.header_length);
      g_byte_array_set_size (chunk, (guint) tlv.length);
    }
  return TRUE;
}

static ReadResult
read_file (DocumentRead  *r,
           guint16        fid,
           GBytes       **out,
           char         **file_error,
           GError       **error)
{
  g_autoptr(GByteArray) buf = g_byte_array_new ();
  g_autoptr(GByteArray) chunk = g_byte_array_new ();
  const char *name = tp_lds_fid_name (fid);
  gboolean selected = FALSE, eof = FALSE;
  gsize total = 0;          /* 0 until the header is in */
  guint no_progress = 0, size_changes = 0;
  guint16 last_sw = 0;

  *out = NULL;
  *file_error = NULL;

  while (!eof && (total == 0 || buf->len < total))
    {
      g_autoptr(GError) local = NULL;
      gsize want = total ? MIN (r->read_size, total - buf->len) : r->read_size;
      gboolean absent = FALSE;
      guint16 sw = 0;

      if (!read_chunk (r, fid, &selected, buf->len, want, chunk, &sw, &absent, &local))
        {
          if (!is_recoverable (local))
            {
              g_propagate_error (error, g_steal_pointer (&local));
              return READ_FAILED;
            }
          if (!recover (r, local, error))
            return READ_FAILED;
          selected = FALSE;
          continue;
        }
      if (absent)
        return READ_ABSENT;
      last_sw = sw;

      if (sw == TP_SW_WRONG_LENGTH || TP_SW1 (sw) == 0x6C)
        {
          if (++size_changes > G_N_ELEMENTS (size_ladder) + G_N_ELEMENTS (extended_ladder) + 2)
            goto status_error;
          if (TP_SW1 (sw) == 0x6C)
            {
              gsize exact = TP_SW2 (sw) ? TP_SW2 (sw) : 256;

              if (exact >= want)
                goto status_error;
              /* 6Cxx: the chip names the Le it takes; a limit, kept. */
              r->size_limit = exact;
              r->read_size = exact;
            }
          else if (!shrink_read_size (r))
            goto status_error;
          continue;
        }
      if (sw == TP_SW_WRONG_OFFSET)
        {
          eof = TRUE;
          break;
        }
      if (sw == TP_SW_SECURITY_NOT_SATISFIED)
        {
          *file_error = g_strdup_printf ("the chip does not let this terminal read %s (6982)", name);
          return READ_OK;
        }
      if (sw != TP_SW_OK && sw != TP_SW_END_OF_FILE)
        goto status_error;

      if (chunk->len > want)
        {
          g_set_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_PROTOCOL,
                       "The chip answered %u bytes to a request for %" G_GSIZE_FORMAT
                       " bytes of %s: it does not follow ISO/IEC 7816-4",
                       chunk->len, want, name);
          return READ_FAILED;
        }
      if (chunk->len == 0)
        {
          if (sw == TP_SW_END_OF_FILE || ++no_progress >= NO_PROGRESS_LIMIT)
            {
              eof = TRUE;
              break;
            }
          continue;
        }
      no_progress = 0;
      g_byte_array_append (buf, chunk->data, chunk->len);
      r->done += chunk->len;
      if (sw == TP_SW_END_OF_FILE)
        eof = TRUE;

      if (total == 0)
        {
          g_autoptr(GError) header_error = NULL;

          if (tp_lds_file_total_length (buf->data, buf->len, &total, &header_error))
            {
              if (total > MAX_FILE_SIZE)
                {
                  g_set_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_PROTOCOL,
                               "%s declares %" G_GSIZE_FORMAT " bytes, more than any travel "
                               "document file holds", name, total);
                  return READ_FAILED;
                }
              r->total += total;
            }
          else if (!g_error_matches (header_error, TP_ERROR, TP_ERROR_TRUNCATED))
            {
              g_set_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_PROTOCOL,
                           "%s does not start with a valid tag and length: %s",
                           name, header_error->message);
              return READ_FAILED;
            }
        }
      report_progress (r, name);
    }

  if (total != 0 && buf->len > total)
    g_byte_array_set_size (buf, (guint) total);   /* padding after the TLV */
  if (total == 0 || buf->len < total)
    *file_error = g_strdup_printf ("%s ends after %u bytes but its header declares %" G_GSIZE_FORMAT,
                                   name, buf->len, total);
  *out = g_byte_array_free_to_bytes (g_steal_pointer (&buf));
  return READ_OK;

status_error:
  tp_chip_set_status_error (error, last_sw, "Reading %s at offset %u", name, buf->len);
  return READ_FAILED;
}

/* Reads @fid into the document. Returns FALSE only on errors that end the
 * whole read. */
static gboolean
read_into_document (DocumentRead  *r,
                    guint16        fid,
                    GBytes       **data_out,
                    GError       **error)
{
  TpDocumentFile *file = tp_document_add_file (r->doc, fid);
  g_autoptr(GBytes) data = NULL;
  ReadResult result;

  result = read_file (r, fid, &data, &file->error, error);
  if (result == READ_FAILED)
    return FALSE;
  if (result == READ_ABSENT)
    {
      guint dg = tp_lds_dg_from_fid (fid);

      if (r->doc->com != NULL && dg != 0 && !tp_lds_com_has_dg (r->doc->com, dg))
        file->error = g_strdup_printf ("%s is listed in EF.SOD but the chip has no such file (6A82)",
                                       file->name);
      else
        file->error = g_strdup_printf ("%s is listed in EF.COM but the chip has no such file (6A82)",
                                       file->name);
    }
  if (data != NULL)
    {
      file->data = g_bytes_ref (data);
      tp_lds_files_set (r->doc->lds, fid, data);
    }
  if (data_out != NULL)
    *data_out = g_steal_pointer (&data);
  return TRUE;
}

/* ---- chip and active authentication --------------------------------------- */

static gboolean
run_chip_auth (DocumentRead  *r,
               GBytes        *dg14,
               GError       **error)
{
  g_autoptr(GError) local = NULL;

  r->dg14 = tp_security_infos_parse (g_bytes_get_data (dg14, NULL), g_bytes_get_size (dg14), &local);
  if (r->dg14 == NULL)
    {
      r->doc->chip_auth = TP_CHECK_FAILED;
      r->doc->chip_auth_reason = g_strdup_printf ("DG14 is malformed: %s", local->message);
      return TRUE;
    }
  if (!tp_chip_auth_choose (r->dg14, &r->ca_info, &r->ca_key, &local))
    {
      r->doc->chip_auth = TP_CHECK_NOT_SUPPORTED;
      r->doc->chip_auth_reason = g_strdup (local->message);
      return TRUE;
    }
  if (!r->options->chip_auth)
    {
      r->doc->chip_auth = TP_CHECK_NOT_CHECKED;
      r->doc->chip_auth_reason = g_strdup ("not asked for");
      return TRUE;
    }

  for (;;)
    {
      g_clear_error (&local);
      if (tp_chip_auth_authenticate (tp_transport_transmit_func, r->transport, &r->sm,
                                     r->ca_info, r->ca_key, FALSE, &local))
        {
          /* The answer to the next command is the proof (see xmit()). */
          r->ca_established = TRUE;
          r->ca_pending_proof = TRUE;
          return TRUE;
        }
      if (g_error_matches (local, TP_CHIP_ERROR, TP_CHIP_ERROR_COMMUNICATION))
        {
          if (!recover (r, local, error))
            return FALSE;
          continue;
        }
      if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
      /* Refused or broken: the old session is gone; read on without. */
      r->doc->chip_auth = TP_CHECK_FAILED;
      r->doc->chip_auth_reason = g_strdup (local->message);
      r->ca_established = FALSE;
      if (!tp_transport_reconnect (r->transport, error) || !open_session (r, error))
        return FALSE;
      return TRUE;
    }
}

static gboolean
run_active_auth (DocumentRead  *r,
                 GBytes        *dg15,
                 GError       **error)
{
  g_autoptr(TpLdsDg15) parsed = NULL;
  g_autoptr(GError) local = NULL;
  const char *digest = NULL;

  parsed = tp_lds_dg15_parse (g_bytes_get_data (dg15, NULL), g_bytes_get_size (dg15), &local);
  if (parsed == NULL)
    {
      r->doc->active_auth = TP_CHECK_FAILED;
      r->doc->active_auth_reason = g_strdup_printf ("DG15 is malformed: %s", local->message);
      return TRUE;
    }
  if (!r->options->active_auth)
    {
      r->doc->active_auth = TP_CHECK_NOT_CHECKED;
      r->doc->active_auth_reason = g_strdup ("not asked for");
      return TRUE;
    }
  if (r->dg14 != NULL && r->dg14->aa_signature_oid != NULL)
    digest = tp_active_auth_digest_for_oid (r->dg14->aa_signature_oid);

  /* A signature longer than a protected short response holds comes in an
   * extended-length response when chip and reader take them, else in
   * pieces (61xx, GET RESPONSE). Never skipped: a clone that stops
   * announcing extended length must not escape the check. */
  for (guint attempt = 0;; attempt++)
    {
      g_clear_error (&local);
      if (tp_active_auth_authenticate (tp_transport_transmit_func, r->transport, r->sm,
                                       r->use_extended, parsed->public_key, digest, NULL, NULL,
                                       &local))
        {
          r->doc->active_auth = TP_CHECK_VALID;
          return TRUE;
        }
      if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
      if (g_error_matches (local, TP_CHIP_ERROR, TP_CHIP_ERROR_UNSUPPORTED))
        {
          /* It could not run here: not a pass, and said why. */
          r->doc->active_auth = TP_CHECK_NOT_CHECKED;
          r->doc->active_auth_reason =
            g_strdup_printf ("%s; %s", local->message,
                             !tp_transport_supports_extended (r->transport)
                               ? "this reader does not move extended-length APDUs"
                               : "this chip does not take extended-length APDUs");
          return TRUE;
        }
      /* The field dropped: once more on a fresh session. Anything else is
       * the chip's answer, and a chip that cannot sign is no better than
       * one that signs wrong. */
      if (attempt == 0 && g_error_matches (local, TP_CHIP_ERROR, TP_CHIP_ERROR_COMMUNICATION))
        {
          if (!recover (r, local, error))
            return FALSE;
          continue;
        }
      r->doc->active_auth = TP_CHECK_FAILED;
      r->doc->active_auth_reason = g_strdup (local->message);
      return TRUE;
    }
}

/* ---- MRZ against DG1 ------------------------------------------------------ */

static void
compare_mrz (DocumentRead *r)
{
  const TpAccessKey *key = r->key;
  TpDocument *doc = r->doc;
  const TpMrz *chip;
  g_autoptr(GString) diff = g_string_new (NULL);

  if (doc->dg1 == NULL || doc->dg1->mrz == NULL)
    {
      doc->mrz_match = TP_CHECK_NOT_CHECKED;
      doc->mrz_mismatch = g_strdup ("DG1 could not be read");
      return;
    }
  chip = doc->dg1->mrz;

  if (key->mrz != NULL)
    {
      g_autofree char *printed = g_strjoinv ("", key->mrz->lines);

      if (g_strcmp0 (printed, doc->dg1->text) == 0)
        {
          doc->mrz_match = TP_CHECK_VALID;
          return;
        }
#define CMP(field, label) \
      if (g_strcmp0 (key->mrz->field, chip->field) != 0) \
        g_string_append_printf (diff, "%s%s: printed “%s”, chip “%s”", diff->len ? "; " : "", \
                                label, key->mrz->field ? key->mrz->field : "", chip->field ? chip->field : "");
      CMP (document_code, "document code")
      CMP (issuing_state, "issuing state")
      CMP (document_number, "document number")
      CMP (nationality, "nationality")
      CMP (birth_date.raw, "date of birth")
      CMP (expiry_date.raw, "date of expiry")
      CMP (optional_data, "optional data")
      CMP (primary_identifier, "primary identifier")
      CMP (secondary_identifier, "secondary identifier")
#undef CMP
      if (key->mrz->sex != chip->sex)
        g_string_append_printf (diff, "%ssex: printed %c, chip %c", diff->len ? "; " : "",
                                key->mrz->sex, chip->sex);
      if (diff->len == 0)
        g_string_append (diff, "the MRZ text differs (layout or filler)");
      doc->mrz_match = TP_CHECK_FAILED;
      doc->mrz_mismatch = g_string_free (g_steal_pointer (&diff), FALSE);
      return;
    }

  if (key->kind == TP_ACCESS_KEY_MRZ && key->document_number != NULL)
    {
      if (g_strcmp0 (key->document_number, chip->document_number) != 0)
        g_string_append_printf (diff, "document number: given “%s”, chip “%s”",
                                key->document_number, chip->document_number);
      if (g_strcmp0 (key->birth_date, chip->birth_date.raw) != 0)
        g_string_append_printf (diff, "%sdate of birth: given %s, chip %s", diff->len ? "; " : "",
                                key->birth_date, chip->birth_date.raw);
      if (g_strcmp0 (key->expiry_date, chip->expiry_date.raw) != 0)
        g_string_append_printf (diff, "%sdate of expiry: given %s, chip %s", diff->len ? "; " : "",
                                key->expiry_date, chip->expiry_date.raw);
      if (diff->len == 0)
        doc->mrz_match = TP_CHECK_VALID;
      else
        {
          doc->mrz_match = TP_CHECK_FAILED;
          doc->mrz_mismatch = g_string_free (g_steal_pointer (&diff), FALSE);
        }
      return;
    }

  doc->mrz_match = TP_CHECK_NOT_CHECKED;
  doc->mrz_mismatch = g_strdup ("no MRZ was given (card access number only)");
}

/* ---- parsing ---------------------------------------------------------------- */

static void
parse_files (DocumentRead *r)
{
  TpDocument *doc = r->doc;
  GBytes *data;

  if ((data = tp_lds_files_get (doc->lds, TP_LDS_FID_DG1)) != NULL)
    {
      g_autoptr(GError) local = NULL;

      doc->dg1 = tp_lds_dg1_parse (g_bytes_get_data (data, NULL), g_bytes_get_size (data), NULL, &local);
      if (doc->dg1 == NULL)
        tp_document_add_error (doc, "%s", local->message);
    }
  if ((data = tp_lds_files_get (doc->lds, TP_LDS_FID_DG2)) != NULL)
    {
      g_autoptr(GError) local = NULL;

      doc->dg2 = tp_lds_dg2_parse (g_bytes_get_data (data, NULL), g_bytes_get_size (data), &local);
      if (doc->dg2 == NULL)
        tp_document_add_error (doc, "%s", local->message);
      else if (doc->dg2->faces->len > 0)
        doc->face = g_ptr_array_index (doc->dg2->faces, 0);
    }
  if ((data = tp_lds_files_get (doc->lds, TP_LDS_FID_DG11)) != NULL)
    {
      g_autoptr(GError) local = NULL;

      doc->dg11 = tp_lds_dg11_parse (g_bytes_get_data (data, NULL), g_bytes_get_size (data), &local);
      if (doc->dg11 == NULL)
        tp_document_add_error (doc, "%s", local->message);
    }
  if ((data = tp_lds_files_get (doc->lds, TP_LDS_FID_DG12)) != NULL)
    {
      g_autoptr(GError) local = NULL;

      doc->dg12 = tp_lds_dg12_parse (g_bytes_get_data (data, NULL), g_bytes_get_size (data), &local);
      if (doc->dg12 == NULL)
        tp_document_add_error (doc, "%s", local->message);
    }
}

/* ---- the read ------------------------------------------------------------- */

/* The data groups to read: every one EF.SOD lists (it is signed; EF.COM
 * is not) and every one EF.COM lists, so that a data group EF.COM claims
 * and the SOD does not vouch for shows as such. A disagreement between
 * the two is reported. */
static guint32
data_groups_to_read (DocumentRead *r,
                     GBytes       *sod_data)
{
  TpDocument *doc = r->doc;
  g_autoptr(TpSod) sod = NULL;
  g_autoptr(GString) only_com = g_string_new (NULL);
  g_autoptr(GString) only_sod = g_string_new (NULL);
  guint32 com = 0, listed = 0;

  for (guint dg = 1; dg <= 16; dg++)
    if (tp_lds_com_has_dg (doc->com, dg))
      com |= 1u << dg;
  if (sod_data != NULL)
    sod = tp_sod_parse (g_bytes_get_data (sod_data, NULL), g_bytes_get_size (sod_data), NULL);
  if (sod == NULL)
    return com;   /* passive authentication says why the SOD is unusable */

  for (guint i = 0; i < sod->hashes->len; i++)
    {
      const TpSodHash *h = &g_array_index (sod->hashes, TpSodHash, i);

      if (h->dg >= 1 && h->dg <= 16)
        listed |= 1u << h->dg;
    }
  for (guint dg = 1; dg <= 16; dg++)
    {
      if ((com & (1u << dg)) && !(listed & (1u << dg)))
        g_string_append_printf (only_com, "%sDG%u", only_com->len ? ", " : "", dg);
      if ((listed & (1u << dg)) && !(com & (1u << dg)))
        g_string_append_printf (only_sod, "%sDG%u", only_sod->len ? ", " : "", dg);
    }
  if (only_sod->len > 0)
    tp_document_add_warning (doc, "EF.COM does not list %s, which EF.SOD lists: read as EF.SOD "
                             "says (EF.COM is not signed)", only_sod->str);
  if (only_com->len > 0)
    tp_document_add_warning (doc, "EF.COM lists %s, which EF.SOD does not", only_com->str);
  return com | listed;
}

static gboolean
read_document (DocumentRead  *r,
               GError       **error)
{
  TpDocument *doc = r->doc;
  g_autoptr(GBytes) com_data = NULL;
  g_autoptr(GBytes) sod_data = NULL;
  g_autoptr(GError) local = NULL;
  static const guint later[] = { 1, 2, 11, 12, 15 };
  const TpDocumentFile *com_file;
  guint32 dgs;

  if (!tp_transport_is_connected (r->transport) && !tp_transport_connect (r->transport, error))
    return FALSE;
  tp_transport_reset_counters (r->transport);

  if (!open_session (r, error))
    return FALSE;

  /* EF.COM says which data groups there are. */
  if (!read_into_document (r, TP_LDS_FID_COM, &com_data, error))
    return FALSE;
  com_file = g_ptr_array_index (doc->files, 0);
  if (com_data == NULL || com_file->error != NULL)
    {
      g_set_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_PROTOCOL, "EF.COM could not be read: %s",
                   com_file->error ? com_file->error : "no data");
      return FALSE;
    }
  doc->com = tp_lds_com_parse (g_bytes_get_data (com_data, NULL), g_bytes_get_size (com_data), &local);
  if (doc->com == NULL)
    {
      g_set_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_PROTOCOL, "EF.COM is malformed: %s",
                   local->message);
      return FALSE;
    }

  /* EF.SOD says, under the issuer's signature, which data groups the
   * document has: those decide what is read and which protocols must run. */
  if (!read_into_document (r, TP_LDS_FID_SOD, &sod_data, error))
    return FALSE;
  dgs = data_groups_to_read (r, sod_data);

  /* DG14 first: after chip authentication everything else comes under
   * keys only the genuine chip has. */
  doc->chip_auth = TP_CHECK_NOT_SUPPORTED;
  if (dgs & (1u << 14))
    {
      g_autoptr(GBytes) dg14 = NULL;

      if (!read_into_document (r, TP_LDS_FID_DG14, &dg14, error))
        return FALSE;
      if (dg14 != NULL)
        {
          if (!run_chip_auth (r, dg14, error))
            return FALSE;
        }
      else
        {
          doc->chip_auth = TP_CHECK_NOT_CHECKED;
          doc->chip_auth_reason = g_strdup ("DG14 could not be read");
        }
    }

  doc->active_auth = TP_CHECK_NOT_SUPPORTED;
  for (gsize i = 0; i < G_N_ELEMENTS (later); i++)
    {
      guint dg = later[i];
      g_autoptr(GBytes) data = NULL;

      if (dg != 1 && !(dgs & (1u << dg)))
        continue;
      if (dg == 2 && !r->options->read_face)
        continue;
      if ((dg == 11 || dg == 12) && !r->options->read_optional)
        continue;
      if (!read_into_document (r, tp_lds_dg_fid (dg), &data, error))
        return FALSE;
      if (dg == 15)
        {
          if (data != NULL)
            {
              if (!run_active_auth (r, data, error))
                return FALSE;
            }
          else
            {
              doc->active_auth = TP_CHECK_NOT_CHECKED;
              doc->active_auth_reason = g_strdup ("DG15 could not be read");
            }
        }
    }

  /* Nothing after chip authentication proved it: prove it now. */
  if (r->ca_pending_proof)
    {
      guint16 sw;

      if (!select_file (r, TP_LDS_FID_COM, &sw, &local) && !is_recoverable (local))
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
    }

  return TRUE;
}

TpDocument *
tp_document_reader_read (TpTransport          *transport,
                         const TpAccessKey    *key,
                         const TpReadOptions  *options,
                         TpReadProgressFunc    progress,
                         gpointer              progress_data,
                         GCancellable         *cancellable,
                         GError              **error)
{
  g_autoptr(TpReadOptions) default_options = NULL;
  g_autoptr(TpDocument) doc = NULL;
  DocumentRead r = { 0 };
  gint64 start = g_get_monotonic_time ();
  gint64 pa_start;
  gboolean ok;

  g_return_val_if_fail (TP_IS_TRANSPORT (transport), NULL);
  g_return_val_if_fail (key != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (options == NULL)
    options = default_options = tp_read_options_new ();

  doc = tp_document_new ();

  r.transport = transport;
  r.key = key;
  r.options = options;
  r.progress = progress;
  r.progress_data = progress_data;
  r.cancellable = cancellable;
  r.doc = doc;
  r.sfi_ok = TRUE;

  ok = read_document (&r, error);

  tp_transport_get_counters (transport, &doc->apdus, &doc->bytes_out, &doc->bytes_in,
                             &doc->transport_us);
  doc->extended_length = r.use_extended;
  doc->read_size = r.read_size;
  doc->retries = r.retries;
  if (r.sfi_refusal != 0)
    tp_document_add_warning (doc, "The chip refused READ BINARY by short EF identifier (%04X, %s): "
                             "files were selected, then read",
                             r.sfi_refusal, tp_chip_sw_describe (r.sfi_refusal));
  if (r.status_differs > 0)
    tp_document_add_warning (doc, "The plain status word after %u protected answer%s differed from "
                             "the authenticated status in DO'99' (first %04X against %04X); the "
                             "authenticated one was acted on",
                             r.status_differs, r.status_differs == 1 ? "" : "s",
                             r.differing_plain_sw, r.differing_protected_sw);

  g_clear_pointer (&r.sm, tp_sm_free);
  g_clear_pointer (&r.pace_infos, g_ptr_array_unref);
  g_clear_pointer (&r.dg14, tp_security_infos_free);
  g_clear_pointer (&r.ca_info, tp_chip_auth_info_free);

  if (!ok)
    return NULL;

  parse_files (&r);
  compare_mrz (&r);

  pa_start = g_get_monotonic_time ();
  doc->passive_auth = tp_passive_auth_verify_with_policy (doc->lds, options->trust, options->at,
                                                          &options->policy);
  doc->passive_auth_us = g_get_monotonic_time () - pa_start;

  doc->elapsed_us = g_get_monotonic_time () - start;
  return g_steal_pointer (&doc);
}
