/* tp-tlv.c: BER-TLV as ICAO 9303 LDS files and ISO/IEC 7816-4 use it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every read goes through parse_header(), which checks each byte's index
 * against the end of its level before looking at it, and lengths are
 * compared with what remains (never added to an offset first), so no
 * declared length can make a reader wrap around or step outside the data.
 */
#include "config.h"

#include <string.h>

#include "tp-error.h"
#include "tp-tlv.h"

/* Hex digits to print a tag as written */
static int
tag_width (guint32 tag)
{
  if (tag > 0xFFFFFF)
    return 8;
  if (tag > 0xFFFF)
    return 6;
  if (tag > 0xFF)
    return 4;
  return 2;
}

static inline gboolean
is_padding (guint8 b)
{
  return b == 0x00 || b == 0xFF;
}

/* Reads the tag and length at data[pos] (pos <= len) into out, without
 * looking at the value. base is the offset of data[0] in the outermost
 * buffer, for messages and out->offset. */
static gboolean
parse_header (const guint8  *data,
              gsize          len,
              gsize          pos,
              gsize          base,
              TpTlv         *out,
              GError       **error)
{
  gsize p = pos;
  gsize at = base + pos;
  guint32 tag;
  guint8 first;
  guint8 length_byte;
  gsize length;

  g_assert (pos <= len);

  if (p == len)
    {
      g_set_error (error, TP_ERROR, TP_ERROR_TRUNCATED,
                   "BER-TLV: the data ends at offset %" G_GSIZE_FORMAT ", where a tag should start",
                   at);
      return FALSE;
    }

  first = data[p++];
  if (is_padding (first))
    {
      g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT,
                   "BER-TLV: byte 0x%02X at offset %" G_GSIZE_FORMAT " is padding, not a tag",
                   first, at);
      return FALSE;
    }

  tag = first;
  if ((first & 0x1F) == 0x1F)
    {
      guint n_bytes = 1;

      for (;;)
        {
          guint8 b;

          if (n_bytes == 4)
            {
              g_set_error (error, TP_ERROR, TP_ERROR_UNSUPPORTED,
                           "BER-TLV: the tag starting %08X at offset %" G_GSIZE_FORMAT
                           " is longer than 4 bytes",
                           tag, at);
              return FALSE;
            }
          if (p == len)
            {
              g_set_error (error, TP_ERROR, TP_ERROR_TRUNCATED,
                           "BER-TLV: the tag starting %0*X at offset %" G_GSIZE_FORMAT
                           " is cut off by the end of the data",
                           tag_width (tag), tag, at);
              return FALSE;
            }
          b = data[p++];
          tag = (tag << 8) | b;
          n_bytes++;
          if ((b & 0x80) == 0)
            break;
        }
    }

  if (p == len)
    {
      g_set_error (error, TP_ERROR, TP_ERROR_TRUNCATED,
                   "BER-TLV: tag %0*X at offset %" G_GSIZE_FORMAT " has no length: the data ends",
                   tag_width (tag), tag, at);
      return FALSE;
    }

  length_byte = data[p++];
  if (length_byte < 0x80)
    length = length_byte;
  else if (length_byte == 0x80)
    {
      g_set_error (error, TP_ERROR, TP_ERROR_UNSUPPORTED,
                   "BER-TLV: tag %0*X at offset %" G_GSIZE_FORMAT " has an indefinite length (0x80); "
                   "only definite lengths are allowed",
                   tag_width (tag), tag, at);
      return FALSE;
    }
  else if (length_byte == 0xFF)
    {
      g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT,
                   "BER-TLV: tag %0*X at offset %" G_GSIZE_FORMAT " has the reserved length byte 0xFF",
                   tag_width (tag), tag, at);
      return FALSE;
    }
  else
    {
      guint n_length = length_byte & 0x7F;

      if (n_length > 4)
        {
          g_set_error (error, TP_ERROR, TP_ERROR_UNSUPPORTED,
                       "BER-TLV: the length of tag %0*X at offset %" G_GSIZE_FORMAT
                       " takes %u bytes (0x%02X); at most 4 are supported",
                       tag_width (tag), tag, at, n_length, length_byte);
          return FALSE;
        }
      if (len - p < n_length)
        {
          g_set_error (error, TP_ERROR, TP_ERROR_TRUNCATED,
                       "BER-TLV: the %u-byte length of tag %0*X at offset %" G_GSIZE_FORMAT
                       " is cut off by the end of the data",
                       n_length, tag_width (tag), tag, at);
          return FALSE;
        }
      length = 0;
      for (guint i = 0; i < n_length; i++)
        length = (length << 8) | data[p++];
    }

  out->tag = tag;
  out->constructed = (first & 0x20) != 0;
  out->offset = at;
  out->header_length = p - pos;
  out->length = length;
  out->value = NULL;
  return TRUE;
}

/* parse_header() and the value, which must lie inside data[0, len) */
static gboolean
read_at (const guint8  *data,
         gsize          len,
         gsize          pos,
         gsize          base,
         TpTlv         *out,
         GError       **error)
{
  TpTlv tlv;
  gsize remaining;

  if (!parse_header (data, len, pos, base, &tlv, error))
    return FALSE;

  remaining = len - pos - tlv.header_length;
  if (tlv.length > remaining)
    {
      g_set_error (error, TP_ERROR, TP_ERROR_TRUNCATED,
                   "BER-TLV: tag %0*X at offset %" G_GSIZE_FORMAT " declares %" G_GSIZE_FORMAT
                   " bytes of value but only %" G_GSIZE_FORMAT " remain",
                   tag_width (tlv.tag), tlv.tag, tlv.offset, tlv.length, remaining);
      return FALSE;
    }
  tlv.value = data + pos + tlv.header_length;
  *out = tlv;
  return TRUE;
}

static gboolean
find_in (TpTlvIter  *iter,
         guint32     tag,
         TpTlv      *out,
         GError    **error)
{
  TpTlv tlv;

  while (tp_tlv_iter_next (iter, &tlv, error))
    {
      if (tlv.tag == tag)
        {
          *out = tlv;
          return TRUE;
        }
    }
  return FALSE;
}

static gboolean
children_of (TpTlvIter    *iter,
             const TpTlv  *parent,
             guint32       wanted,
             GError      **error)
{
  if (!parent->constructed)
    {
      g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT,
                   "BER-TLV: tag %0*X at offset %" G_GSIZE_FORMAT
                   " is primitive: it holds no objects to search for tag %0*X",
                   tag_width (parent->tag), parent->tag, parent->offset,
                   tag_width (wanted), wanted);
      return FALSE;
    }
  iter->data = parent->value;
  iter->len = parent->length;
  iter->pos = 0;
  iter->base = parent->offset + parent->header_length;
  return TRUE;
}

gboolean
tp_tlv_read (const guint8  *data,
             gsize          len,
             gsize         *offset,
             TpTlv         *out,
             GError       **error)
{
  TpTlv tlv;

  g_return_val_if_fail (data != NULL || len == 0, FALSE);
  g_return_val_if_fail (offset != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (*offset > len)
    {
      g_set_error (error, TP_ERROR, TP_ERROR_TRUNCATED,
                   "BER-TLV: offset %" G_GSIZE_FORMAT " is past the end of the data (%" G_GSIZE_FORMAT " bytes)",
                   *offset, len);
      return FALSE;
    }
  if (!read_at (data, len, *offset, 0, &tlv, error))
    return FALSE;

  *offset += tlv.header_length + tlv.length;
  *out = tlv;
  return TRUE;
}

gboolean
tp_tlv_unwrap (const guint8  *data,
               gsize          len,
               guint32        tag,
               TpTlv         *out,
               GError       **error)
{
  TpTlv tlv;
  gsize offset = 0;

  g_return_val_if_fail (data != NULL || len == 0, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!tp_tlv_read (data, len, &offset, &tlv, error))
    return FALSE;
  if (tlv.tag != tag)
    {
      g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT,
                   "BER-TLV: the data is tag %0*X, %0*X expected",
                   tag_width (tlv.tag), tlv.tag, tag_width (tag), tag);
      return FALSE;
    }
  if (offset != len)
    {
      g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT,
                   "BER-TLV: tag %0*X ends at offset %" G_GSIZE_FORMAT " but %" G_GSIZE_FORMAT
                   " more bytes follow; the data should end with it",
                   tag_width (tag), tag, offset, len - offset);
      return FALSE;
    }
  *out = tlv;
  return TRUE;
}

gboolean
tp_tlv_peek_total_length (const guint8  *data,
                          gsize          len,
                          gsize         *total,
                          GError       **error)
{
  TpTlv tlv;

  g_return_val_if_fail (data != NULL || len == 0, FALSE);
  g_return_val_if_fail (total != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!parse_header (data, len, 0, 0, &tlv, error))
    return FALSE;
  if (tlv.length > G_MAXSIZE - tlv.header_length)
    {
      g_set_error (error, TP_ERROR, TP_ERROR_UNSUPPORTED,
                   "BER-TLV: tag %0*X declares %" G_GSIZE_FORMAT " bytes, more than this system can hold",
                   tag_width (tlv.tag), tlv.tag, tlv.length);
      return FALSE;
    }
  *total = tlv.header_length + tlv.length;
  return TRUE;
}

gboolean
tp_tlv_find (const guint8  *data,
             gsize          len,
             guint32        tag,
             TpTlv         *out,
             GError       **error)
{
  TpTlvIter iter;

  g_return_val_if_fail (data != NULL || len == 0, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  tp_tlv_iter_init (&iter, data, len);
  return find_in (&iter, tag, out, error);
}

gboolean
tp_tlv_find_child (const TpTlv  *parent,
                   guint32       tag,
                   TpTlv        *out,
                   GError      **error)
{
  TpTlvIter iter;

  g_return_val_if_fail (parent != NULL, FALSE);
  g_return_val_if_fail (parent->value != NULL || parent->length == 0, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!children_of (&iter, parent, tag, error))
    return FALSE;
  return find_in (&iter, tag, out, error);
}

gboolean
tp_tlv_find_path (const guint8   *data,
                  gsize           len,
                  const guint32  *path,
                  gsize           n_path,
                  TpTlv          *out,
                  GError        **error)
{
  TpTlvIter iter;
  TpTlv tlv = { 0 };

  g_return_val_if_fail (data != NULL || len == 0, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (n_path > 0, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  tp_tlv_iter_init (&iter, data, len);
  for (gsize i = 0; i < n_path; i++)
    {
      if (i > 0 && !children_of (&iter, &tlv, path[i], error))
        return FALSE;
      if (!find_in (&iter, path[i], &tlv, error))
        return FALSE;
    }
  *out = tlv;
  return TRUE;
}

void
tp_tlv_iter_init (TpTlvIter    *iter,
                  const guint8 *data,
                  gsize         len)
{
  g_return_if_fail (iter != NULL);
  g_return_if_fail (data != NULL || len == 0);

  iter->data = data;
  iter->len = len;
  iter->pos = 0;
  iter->base = 0;
}

gboolean
tp_tlv_iter_init_children (TpTlvIter    *iter,
                           const TpTlv  *parent,
                           GError      **error)
{
  g_return_val_if_fail (iter != NULL, FALSE);
  g_return_val_if_fail (parent != NULL, FALSE);
  g_return_val_if_fail (parent->value != NULL || parent->length == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!parent->constructed)
    {
      g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT,
                   "BER-TLV: tag %0*X at offset %" G_GSIZE_FORMAT " is primitive: it holds no objects",
                   tag_width (parent->tag), parent->tag, parent->offset);
      return FALSE;
    }
  iter->data = parent->value;
  iter->len = parent->length;
  iter->pos = 0;
  iter->base = parent->offset + parent->header_length;
  return TRUE;
}

gboolean
tp_tlv_iter_next (TpTlvIter  *iter,
                  TpTlv      *out,
                  GError    **error)
{
  TpTlv tlv;

  g_return_val_if_fail (iter != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* ISO/IEC 7816-4: 0x00 and 0xFF may come before, between and after
   * objects, and mean nothing */
  while (iter->pos < iter->len && is_padding (iter->data[iter->pos]))
    iter->pos++;
  if (iter->pos >= iter->len)
    return FALSE;

  if (!read_at (iter->data, iter->len, iter->pos, iter->base, &tlv, error))
    return FALSE;
  iter->pos += tlv.header_length + tlv.length;
  *out = tlv;
  return TRUE;
}

gboolean
tp_tlv_walk (const guint8   *data,
             gsize           len,
             guint           max_depth,
             TpTlvWalkFunc   func,
             gpointer        user_data,
             GError        **error)
{
  /* One level more than max_depth, to find the object that is too deep */
  TpTlvIter stack[TP_TLV_MAX_DEPTH + 2];
  guint depth = 0;

  g_return_val_if_fail (data != NULL || len == 0, FALSE);
  g_return_val_if_fail (max_depth <= TP_TLV_MAX_DEPTH, FALSE);
  g_return_val_if_fail (func != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  tp_tlv_iter_init (&stack[0], data, len);
  for (;;)
    {
      GError *local_error = NULL;
      TpTlv tlv;

      if (!tp_tlv_iter_next (&stack[depth], &tlv, &local_error))
        {
          if (local_error != NULL)
            {
              g_propagate_error (error, local_error);
              return FALSE;
            }
          if (depth == 0)
            return TRUE;
          depth--;
          continue;
        }

      if (depth > max_depth)
        {
          g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT,
                       "BER-TLV: tag %0*X at offset %" G_GSIZE_FORMAT " is nested %u levels deep; "
                       "at most %u are allowed",
                       tag_width (tlv.tag), tlv.tag, tlv.offset, depth, max_depth);
          return FALSE;
        }

      if (!func (&tlv, depth, user_data))
        return TRUE;

      if (tlv.constructed)
        {
          g_assert (depth + 1 < G_N_ELEMENTS (stack));
          depth++;
          stack[depth].data = tlv.value;
          stack[depth].len = tlv.length;
          stack[depth].pos = 0;
          stack[depth].base = tlv.offset + tlv.header_length;
        }
    }
}

gboolean
tp_tlv_tag_is_valid (guint32 tag)
{
  guint8 bytes[4];
  gsize n;

  if (tag == 0)
    return FALSE;
  n = tp_tlv_encode_tag (tag, bytes);
  if (is_padding (bytes[0]))
    return FALSE;
  if ((bytes[0] & 0x1F) != 0x1F)
    return n == 1;
  if (n == 1)
    return FALSE;
  for (gsize i = 1; i + 1 < n; i++)
    if ((bytes[i] & 0x80) == 0)
      return FALSE;
  return (bytes[n - 1] & 0x80) == 0;
}

gboolean
tp_tlv_tag_is_constructed (guint32 tag)
{
  guint8 bytes[4];

  tp_tlv_encode_tag (tag, bytes);
  return (bytes[0] & 0x20) != 0;
}

gsize
tp_tlv_encode_tag (guint32 tag,
                   guint8  out[4])
{
  gsize n = tag > 0xFFFFFF ? 4 : tag > 0xFFFF ? 3 : tag > 0xFF ? 2 : 1;

  for (gsize i = 0; i < n; i++)
    out[i] = (guint8) (tag >> (8 * (n - 1 - i)));
  return n;
}

gsize
tp_tlv_encode_length (gsize  length,
                      guint8 out[5])
{
  guint64 value = length;
  gsize n;

  g_return_val_if_fail (value <= G_MAXUINT32, 0);

  if (value < 0x80)
    {
      out[0] = (guint8) value;
      return 1;
    }
  n = value > 0xFFFFFF ? 4 : value > 0xFFFF ? 3 : value > 0xFF ? 2 : 1;
  out[0] = (guint8) (0x80 | n);
  for (gsize i = 0; i < n; i++)
    out[1 + i] = (guint8) (value >> (8 * (n - 1 - i)));
  return n + 1;
}

void
tp_tlv_append (GByteArray   *out,
               guint32       tag,
               const guint8 *value,
               gsize         len)
{
  guint8 header[TP_TLV_MAX_HEADER];
  gsize n;

  g_return_if_fail (out != NULL);
  g_return_if_fail (tp_tlv_tag_is_valid (tag));
  g_return_if_fail (value != NULL || len == 0);
  g_return_if_fail ((guint64) len <= G_MAXUINT32);

  n = tp_tlv_encode_tag (tag, header);
  n += tp_tlv_encode_length (len, header + n);
  g_byte_array_append (out, header, n);
  if (len > 0)
    g_byte_array_append (out, value, len);
}

gsize
tp_tlv_begin (GByteArray *out,
              guint32     tag)
{
  guint8 bytes[4];
  gsize n;

  g_return_val_if_fail (out != NULL, 0);
  g_return_val_if_fail (tp_tlv_tag_is_valid (tag), out->len);

  n = tp_tlv_encode_tag (tag, bytes);
  g_byte_array_append (out, bytes, n);
  return out->len;
}

void
tp_tlv_end (GByteArray *out,
            gsize       mark)
{
  guint8 length[5];
  gsize value_len;
  gsize n;

  g_return_if_fail (out != NULL);
  g_return_if_fail (mark <= out->len);

  value_len = out->len - mark;
  g_return_if_fail ((guint64) value_len <= G_MAXUINT32);

  n = tp_tlv_encode_length (value_len, length);
  g_byte_array_set_size (out, out->len + n);
  memmove (out->data + mark + n, out->data + mark, value_len);
  memcpy (out->data + mark, length, n);
}
