/* fuzz-tlv.c: libFuzzer target for the BER-TLV reader
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The input is a buffer of exactly its size (a sanitizer catches any read
 * past it). Every reader runs on it: the top level one object at a time,
 * the header peek, the walker at full and small depth, lookups by tag and
 * by path (EF.COM and DG1 shapes). Each object the walker meets is encoded
 * again and must read back the same; a failure must come with an error.
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "tp-error.h"
#include "tp-tlv.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

typedef struct {
  const guint8 *start;
  gsize         len;
  guint         count;
} Walk;

static gboolean
check_cb (const TpTlv *tlv,
          guint        depth,
          gpointer     user_data)
{
  Walk *walk = user_data;
  g_autoptr(GByteArray) out = g_byte_array_new ();
  TpTlv back;
  gsize offset = 0;

  /* Inside the buffer, where the offset says */
  g_assert (tlv->offset < walk->len);
  g_assert (tlv->value == walk->start + tlv->offset + tlv->header_length);
  g_assert (tlv->length <= walk->len - tlv->offset - tlv->header_length);
  g_assert (depth <= TP_TLV_MAX_DEPTH);
  g_assert (tp_tlv_tag_is_valid (tlv->tag));
  g_assert (tp_tlv_tag_is_constructed (tlv->tag) == tlv->constructed);

  tp_tlv_append (out, tlv->tag, tlv->value, tlv->length);
  g_assert (out->len <= tlv->header_length + tlv->length);
  g_assert (tp_tlv_read (out->data, out->len, &offset, &back, NULL));
  g_assert (offset == out->len);
  g_assert (back.tag == tlv->tag);
  g_assert (back.length == tlv->length);
  g_assert (tlv->length == 0 || memcmp (back.value, tlv->value, tlv->length) == 0);

  walk->count++;
  return walk->count < 100000;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static const guint32 path_com[] = { 0x60, 0x5C };
  static const guint32 path_dg1[] = { 0x61, 0x5F1F };
  g_autofree guint8 *copy = size > 0 ? g_memdup2 (data, size) : NULL;
  g_autoptr(GError) error = NULL;
  Walk walk = { copy, size, 0 };
  gsize offset = 0;
  gsize total = 0;
  TpTlv tlv;

  /* The top level, object by object */
  while (offset < size)
    {
      gsize before = offset;

      if (!tp_tlv_read (copy, size, &offset, &tlv, &error))
        {
          g_assert (error != NULL && error->domain == TP_ERROR);
          g_assert (offset == before);
          g_clear_error (&error);
          break;
        }
      g_assert (offset > before && offset <= size);
      g_assert (tlv.offset == before);
    }

  if (tp_tlv_peek_total_length (copy, size, &total, &error))
    {
      gsize off = 0;

      g_assert (total >= 2);
      /* The whole object is there exactly when a read succeeds */
      if (total <= size)
        g_assert (tp_tlv_read (copy, size, &off, &tlv, NULL) && off == total);
      else
        {
          g_assert (!tp_tlv_read (copy, size, &off, &tlv, &error));
          g_assert_error (error, TP_ERROR, TP_ERROR_TRUNCATED);
        }
    }
  g_clear_error (&error);

  if (!tp_tlv_walk (copy, size, TP_TLV_MAX_DEPTH, check_cb, &walk, &error))
    g_assert (error != NULL && error->domain == TP_ERROR);
  g_clear_error (&error);

  walk.count = 0;
  if (!tp_tlv_walk (copy, size, 2, check_cb, &walk, &error))
    g_assert (error != NULL);
  g_clear_error (&error);

  if (tp_tlv_find_path (copy, size, path_com, G_N_ELEMENTS (path_com), &tlv, &error))
    g_assert (tlv.tag == 0x5C && tlv.offset < size);
  g_clear_error (&error);
  if (tp_tlv_find_path (copy, size, path_dg1, G_N_ELEMENTS (path_dg1), &tlv, &error))
    g_assert (tlv.tag == 0x5F1F && tlv.offset < size);
  g_clear_error (&error);

  if (size > 0 && tp_tlv_find (copy, size, copy[0], &tlv, &error) && tlv.constructed)
    {
      TpTlvIter iter;
      TpTlv child;

      if (tp_tlv_find_child (&tlv, 0x5F1F, &child, &error))
        g_assert (child.tag == 0x5F1F);
      g_clear_error (&error);
      g_assert (tp_tlv_iter_init_children (&iter, &tlv, NULL));
      while (tp_tlv_iter_next (&iter, &child, &error))
        g_assert (child.offset >= tlv.offset + tlv.header_length);
    }
  g_clear_error (&error);

  return 0;
}
