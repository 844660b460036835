/* tp-tlv.h: BER-TLV as ICAO 9303 LDS files and ISO/IEC 7816-4 use it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tags are kept as written, their bytes read big-endian into a guint32:
 * 0x61, 0x5F1F, 0x7F61, 0xBF0101. A tag is 1 to 4 bytes: a first byte whose
 * low five bits are all set is followed by bytes with bit 8 set but the
 * last. Bit 6 of the first byte marks a constructed object (its value is a
 * sequence of BER-TLV objects). The first byte may not be 0x00 or 0xFF:
 * ISO/IEC 7816-4 keeps those for padding between objects, which the
 * iterators skip. Second bytes below 0x1F, which 7816-4 calls invalid, are
 * accepted because the LDS uses them (5F01, 5F0E...).
 *
 * Lengths are definite: short form (0x00-0x7F) or long form 0x81-0x84
 * followed by 1 to 4 bytes (non-minimal long forms are accepted, as chips
 * write them). The indefinite form 0x80 is refused (TP_ERROR_UNSUPPORTED),
 * as are 0x85-0xFE; 0xFF is reserved (TP_ERROR_INVALID_INPUT).
 *
 * Nothing here copies or allocates while reading: a TpTlv points into the
 * caller's buffer and no input makes a reader look outside [data, data +
 * len). Errors are TP_ERROR: TP_ERROR_TRUNCATED when the data ends before
 * a tag, a length or a declared value does; messages name the offset (from
 * the start of the buffer first handed in) and the tag.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Deepest nesting tp_tlv_walk() can be asked to follow (the LDS needs 4) */
#define TP_TLV_MAX_DEPTH 32

/* Bytes a header can take: 4 of tag, 5 of length */
#define TP_TLV_MAX_HEADER 9

typedef struct {
  guint32       tag;
  gboolean      constructed;
  gsize         offset;         /* of the first tag byte, from the start of the outermost buffer */
  gsize         header_length;  /* tag and length bytes */
  gsize         length;         /* of the value */
  const guint8 *value;          /* into the caller's buffer; NULL after a header-only read */
} TpTlv;

/* The children of a constructed object, or the objects of one level of a
 * buffer. Plain data on the stack: nothing to free. */
typedef struct {
  /*< private >*/
  const guint8 *data;
  gsize         len;
  gsize         pos;
  gsize         base;
} TpTlvIter;

/* Called for each object in document order; depth 0 is the top level.
 * Return FALSE to stop the walk (tp_tlv_walk() then returns TRUE). */
typedef gboolean (*TpTlvWalkFunc) (const TpTlv *tlv,
                                   guint        depth,
                                   gpointer     user_data);

/* Reading */

/* Reads the object at *offset in data[0, len) and moves *offset past it.
 * On failure *offset and out are left as they were. */
gboolean  tp_tlv_read                (const guint8  *data,
                                      gsize          len,
                                      gsize         *offset,
                                      TpTlv         *out,
                                      GError       **error);

/* Reads data that must be exactly one object with tag (the '7C' data field
 * of GENERAL AUTHENTICATE, an EF in its wrapper): no padding or other bytes
 * before or after it. TP_ERROR_INVALID_INPUT when the object has another
 * tag or bytes follow it; otherwise the errors of tp_tlv_read(). On
 * failure out is left as it was. */
gboolean  tp_tlv_unwrap              (const guint8  *data,
                                      gsize          len,
                                      guint32        tag,
                                      TpTlv         *out,
                                      GError       **error);

/* Reads only the header at the start of data and gives the total size of
 * the object (header and value) in *total, whether or not the value is
 * there: what a chip reader needs after the first bytes of an EF (4 to 6
 * suffice for the LDS; TP_TLV_MAX_HEADER always do). TP_ERROR_TRUNCATED
 * when the header itself is incomplete. */
gboolean  tp_tlv_peek_total_length   (const guint8  *data,
                                      gsize          len,
                                      gsize         *total,
                                      GError       **error);

/* Searching: the first object with tag among those at one level (padding
 * skipped). TRUE when found; FALSE when there is none (error not set) or
 * when the level is not well-formed up to it (error set). */
gboolean  tp_tlv_find                (const guint8  *data,
                                      gsize          len,
                                      guint32        tag,
                                      TpTlv         *out,
                                      GError       **error);

/* The same among the children of a constructed object; offsets in errors
 * count from the buffer parent was read from. A primitive parent is an
 * error. */
gboolean  tp_tlv_find_child          (const TpTlv   *parent,
                                      guint32        tag,
                                      TpTlv         *out,
                                      GError       **error);

/* Follows path from the top level of data: path[0] among the top-level
 * objects, path[1] among its children, and so on ({ 0x61, 0x5F1F } is the
 * MRZ in EF.DG1). Every object before the last must be constructed. Same
 * results as tp_tlv_find(). */
gboolean  tp_tlv_find_path           (const guint8  *data,
                                      gsize          len,
                                      const guint32 *path,
                                      gsize          n_path,
                                      TpTlv         *out,
                                      GError       **error);

/* Iterating: tp_tlv_iter_next() gives TRUE and the next object, or FALSE at
 * the end (error not set) or on malformed data (error set; the iterator
 * then stays at the bad object). */
void      tp_tlv_iter_init           (TpTlvIter     *iter,
                                      const guint8  *data,
                                      gsize          len);
gboolean  tp_tlv_iter_init_children  (TpTlvIter     *iter,
                                      const TpTlv   *parent,
                                      GError       **error);
gboolean  tp_tlv_iter_next           (TpTlvIter     *iter,
                                      TpTlv         *out,
                                      GError       **error);

/* Visits every object of data depth first, entering constructed ones. An
 * object deeper than max_depth (at most TP_TLV_MAX_DEPTH; with 0, only
 * top-level objects are allowed) is TP_ERROR_INVALID_INPUT, as is a
 * constructed value that is not a sequence of objects. Uses no recursion,
 * so hostile nesting costs nothing but the error. */
gboolean  tp_tlv_walk                (const guint8  *data,
                                      gsize          len,
                                      guint          max_depth,
                                      TpTlvWalkFunc  func,
                                      gpointer       user_data,
                                      GError       **error);

/* Tags */

/* TRUE if tag is a well-formed tag of 1 to 4 bytes whose first byte is
 * neither 0x00 nor 0xFF. */
gboolean  tp_tlv_tag_is_valid        (guint32        tag);
gboolean  tp_tlv_tag_is_constructed  (guint32        tag);

/* Writing */

/* Writes the tag's bytes to out and returns their number (1-4). */
gsize     tp_tlv_encode_tag          (guint32        tag,
                                      guint8         out[4]);

/* Writes the shortest definite length to out and returns its size (1-5).
 * length must fit in 32 bits. */
gsize     tp_tlv_encode_length       (gsize          length,
                                      guint8         out[5]);

/* Appends tag, length and value. */
void      tp_tlv_append              (GByteArray    *out,
                                      guint32        tag,
                                      const guint8  *value,
                                      gsize          len);

/* Building a constructed object whose length is not known yet:
 *   gsize mark = tp_tlv_begin (out, 0x60);
 *   tp_tlv_append (out, 0x5F01, (const guint8 *) "0107", 4);
 *   tp_tlv_end (out, mark);
 * tp_tlv_begin() appends the tag and returns where the value starts;
 * tp_tlv_end() inserts the length of everything appended since. */
gsize     tp_tlv_begin               (GByteArray    *out,
                                      guint32        tag);
void      tp_tlv_end                 (GByteArray    *out,
                                      gsize          mark);

G_END_DECLS
