/* fuzz-reader.c: the document reader against a chip that answers anything
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The first input byte picks how the chip misbehaves:
 *   0  every R-APDU comes from the input (two-byte big-endian length, then
 *      the bytes); once the input runs out the card is "gone";
 *   1  the software chip with valid secure messaging, whose files (EF.COM,
 *      EF.SOD, DG1, DG2, DG11, DG12, DG14, DG15, EF.CardAccess) are
 *      replaced by pieces of the input: the read engine, EF.COM's tag list,
 *      chip and active authentication setup, the parsers and passive
 *      authentication all see hostile plaintext;
 *   2  the software chip, with the answers to chosen APDUs cut, changed or
 *      replaced by input bytes, and transmission errors thrown in.
 * Nothing may crash, leak or loop; a document, when there is one, must be
 * internally consistent.
 */
#include "config.h"

#include <string.h>

#include "tp-chip-error.h"
#include "tp-document-reader.h"
#include "tp-sim-chip.h"
#include "tp-transport.h"

/* ---- a transport over the fuzz input ---------------------------------------- */

#define FUZZ_TYPE_TRANSPORT (fuzz_transport_get_type ())
G_DECLARE_FINAL_TYPE (FuzzTransport, fuzz_transport, FUZZ, TRANSPORT, TpTransport)

struct _FuzzTransport
{
  TpTransport   parent_instance;

  guint         mode;
  const guint8 *data;
  gsize         len;
  gsize         pos;
  TpSimChip    *chip;
  guint         exchanges;
  guint         connects;
  gboolean      short_only;
};

G_DEFINE_FINAL_TYPE (FuzzTransport, fuzz_transport, TP_TYPE_TRANSPORT)

static gboolean
take (FuzzTransport *self,
      gsize          n,
      const guint8 **out)
{
  if (self->len - self->pos < n)
    return FALSE;
  *out = self->data + self->pos;
  self->pos += n;
  return TRUE;
}

static gboolean
fuzz_transport_connect (TpTransport  *transport,
                        GError      **error)
{
  FuzzTransport *self = FUZZ_TRANSPORT (transport);
  static const guint8 ats_short[] = { 0x78, 0x80, 0x70, 0x02, 0x80, 0x73, 0x90, 0x21, 0x80 };
  static const guint8 ats_ext[] = { 0x78, 0x80, 0x70, 0x02, 0x80, 0x73, 0x90, 0x21, 0xC0 };
  g_autoptr(GBytes) ats = NULL;
  g_autoptr(GBytes) atr = NULL;

  /* A chip that keeps failing runs out of chances. */
  if (self->exchanges > 400 || ++self->connects > 5 ||
      (self->mode == 0 && self->pos >= self->len))
    {
      g_set_error (error, TP_TRANSPORT_ERROR, TP_TRANSPORT_ERROR_NO_CARD, "fuzz: no card");
      return FALSE;
    }
  if (self->chip != NULL)
    tp_sim_chip_reset (self->chip);
  ats = g_bytes_new_static (self->short_only ? ats_short : ats_ext, sizeof ats_ext);
  atr = tp_transport_build_contactless_atr (self->short_only ? ats_short + 4 : ats_ext + 4, 5);
  _tp_transport_set_card_info (transport, atr, ats, NULL);
  return TRUE;
}

static void
fuzz_transport_disconnect (TpTransport *transport)
{
}

static gboolean
fuzz_transport_transmit (TpTransport   *transport,
                         const guint8  *capdu,
                         gsize          capdu_len,
                         GByteArray    *rapdu,
                         GError       **error)
{
  FuzzTransport *self = FUZZ_TRANSPORT (transport);
  const guint8 *head, *bytes;
  guint before = rapdu->len;

  if (++self->exchanges > 400)
    goto gone;

  if (self->mode == 0)
    {
      gsize n;

      if (!take (self, 2, &head))
        goto gone;
      n = ((gsize) head[0] << 8 | head[1]) % 1024;
      if (!take (self, MIN (n, self->len - self->pos), &bytes))
        goto gone;
      g_byte_array_append (rapdu, bytes, (guint) MIN (n, self->len - (bytes - self->data)));
      return TRUE;
    }

  if (!tp_sim_chip_transmit (self->chip, capdu, capdu_len, rapdu, error))
    return FALSE;

  if (self->mode == 2 && take (self, 1, &head))
    {
      guint8 op = head[0];

      switch (op & 0x7)
        {
        case 0:   /* as the chip said */
        case 1:
        case 2:
          break;
        case 3:   /* cut */
          if (take (self, 1, &bytes))
            g_byte_array_set_size (rapdu, before + MIN (rapdu->len - before, bytes[0]));
          break;
        case 4:   /* one byte changed */
          if (take (self, 2, &bytes) && rapdu->len > before)
            rapdu->data[before + bytes[0] % (rapdu->len - before)] ^= bytes[1] | 1;
          break;
        case 5:   /* replaced */
          if (take (self, 1, &head) && take (self, MIN (head[0], self->len - self->pos), &bytes))
            {
              g_byte_array_set_size (rapdu, before);
              g_byte_array_append (rapdu, bytes, MIN (head[0], (guint) (self->len - (bytes - self->data))));
            }
          break;
        case 6:   /* the field drops */
          tp_sim_chip_reset (self->chip);
          goto gone;
        default:  /* status word changed */
          if (take (self, 2, &bytes) && rapdu->len - before >= 2)
            {
              rapdu->data[rapdu->len - 2] = bytes[0];
              rapdu->data[rapdu->len - 1] = bytes[1];
            }
          break;
        }
    }
  return TRUE;

gone:
  g_set_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_COMMUNICATION, "fuzz: the card is gone");
  return FALSE;
}

static gboolean
fuzz_transport_poll_card (TpTransport  *transport,
                          gboolean      was_present,
                          guint         timeout_ms,
                          gboolean     *present,
                          GError      **error)
{
  *present = TRUE;
  return TRUE;
}

static void
fuzz_transport_finalize (GObject *object)
{
  FuzzTransport *self = FUZZ_TRANSPORT (object);

  g_clear_pointer (&self->chip, tp_sim_chip_free);
  G_OBJECT_CLASS (fuzz_transport_parent_class)->finalize (object);
}

static void
fuzz_transport_class_init (FuzzTransportClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  TpTransportClass *transport_class = TP_TRANSPORT_CLASS (klass);

  object_class->finalize = fuzz_transport_finalize;
  transport_class->connect = fuzz_transport_connect;
  transport_class->disconnect = fuzz_transport_disconnect;
  transport_class->transmit = fuzz_transport_transmit;
  transport_class->poll_card = fuzz_transport_poll_card;
}

static void
fuzz_transport_init (FuzzTransport *self)
{
}

/* ---- the target ----------------------------------------------------------------- */

static const char * const specs[] = {
  "bac-3des", "bac-3des:no-extended", "ecdsa-aa", "ca-ecdh:no-extended,no-sfi",
  "bac-3des:max-le=64,6cxx", "rsa-aa:eof-9000", "bac-3des:no-sfi=6986",
  "ecdsa-aa:plain-sw=9000,no-sfi=6A82",
};

static const guint16 fids[] = {
  0x011E, 0x011D, 0x0101, 0x0102, 0x010B, 0x010C, 0x010E, 0x010F, 0x011C,
};

static TpAccessKey *key;
static TpTrustStore *trust;

static void
check_document (const TpDocument *doc)
{
  g_assert (doc->passive_auth != NULL);
  g_assert (doc->access != NULL);
  for (guint i = 0; i < doc->files->len; i++)
    {
      const TpDocumentFile *file = g_ptr_array_index (doc->files, i);

      g_assert (file->name != NULL);
      g_assert (file->data != NULL || file->error != NULL);
    }
  (void) tp_document_is_verified (doc);
}

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(FuzzTransport) transport = NULL;
  g_autoptr(TpReadOptions) options = NULL;
  g_autoptr(TpDocument) doc = NULL;
  g_autoptr(GError) error = NULL;
  const char *spec;

  if (size < 2)
    return 0;

  if (key == NULL)
    {
      g_autoptr(TpSimChip) chip = tp_sim_chip_new ("bac-3des", NULL);
      g_autofree char *dir = g_dir_make_tmp ("fuzz-reader-XXXXXX", NULL);

      key = tp_access_key_new_from_mrz (tp_sim_chip_get_mrz (chip), NULL);
      trust = tp_trust_store_new (TP_TRUST_STORE_FLAGS_NONE);
      if (dir != NULL && tp_sim_chip_export_trust (dir, NULL))
        tp_trust_store_add_path (trust, dir, NULL);
    }

  transport = g_object_new (FUZZ_TYPE_TRANSPORT, "connstring", "fuzz:", NULL);
  transport->mode = data[0] % 3;
  transport->short_only = (data[0] & 0x80) != 0;
  spec = specs[data[1] % G_N_ELEMENTS (specs)];
  transport->data = data + 2;
  transport->len = size - 2;
  if (transport->mode != 0)
    {
      transport->chip = tp_sim_chip_new (spec, NULL);
      g_assert (transport->chip != NULL);
    }
  _tp_transport_set_limits (TP_TRANSPORT (transport), transport->short_only ? 261 : 65544,
                            transport->short_only ? 258 : 65538);

  if (transport->mode == 1)
    {
      /* Files from the input: a FID selector byte, two length bytes, data */
      while (transport->len - transport->pos >= 3)
        {
          const guint8 *p = transport->data + transport->pos;
          guint16 fid = fids[p[0] % G_N_ELEMENTS (fids)];
          gsize n = MIN (((gsize) p[1] << 8) | p[2], transport->len - transport->pos - 3);
          g_autoptr(GBytes) file = g_bytes_new (p + 3, n);

          tp_sim_chip_set_file (transport->chip, fid, (p[0] & 0x80) ? NULL : file);
          transport->pos += 3 + n;
        }
    }

  options = tp_read_options_new ();
  options->trust = trust;
  options->max_retries = 2;
  /* DG2 is 20 KB of image under secure messaging: read it now and then */
  options->read_face = (data[0] & 0x40) != 0;
  doc = tp_document_reader_read (TP_TRANSPORT (transport), key, options, NULL, NULL, NULL, &error);
  if (doc != NULL)
    check_document (doc);
  else
    g_assert (error != NULL && error->message != NULL);
  return 0;
}
