/* test-tlv.c: BER-TLV reading and writing
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "tp-error.h"
#include "tp-tlv.h"

/* EF.COM as ICAO 9303 Part 10 shows it: LDS 1.7, Unicode 4.0.0, DG1, DG2,
 * DG11, DG12 */
static const guint8 ef_com[] = {
  0x60, 0x16,
  0x5F, 0x01, 0x04, '0', '1', '0', '7',
  0x5F, 0x36, 0x06, '0', '4', '0', '0', '0', '0',
  0x5C, 0x04, 0x61, 0x75, 0x6B, 0x6C,
};

static const char dg1_mrz[] =
  "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<"
  "L898902C36UTO7408122F1204159ZE184226B<<<<<10";

/* A copy of exactly len bytes, so that a sanitizer sees any read past it */
static guint8 *
exact_copy (const guint8 *data,
            gsize         len)
{
  return len > 0 ? g_memdup2 (data, len) : NULL;
}

static GByteArray *
build_ef_com (void)
{
  GByteArray *out = g_byte_array_new ();
  static const guint8 tags[] = { 0x61, 0x75, 0x6B, 0x6C };
  gsize mark = tp_tlv_begin (out, 0x60);

  tp_tlv_append (out, 0x5F01, (const guint8 *) "0107", 4);
  tp_tlv_append (out, 0x5F36, (const guint8 *) "040000", 6);
  tp_tlv_append (out, 0x5C, tags, sizeof tags);
  tp_tlv_end (out, mark);
  return out;
}

static GByteArray *
build_dg1 (void)
{
  GByteArray *out = g_byte_array_new ();
  gsize mark = tp_tlv_begin (out, 0x61);

  tp_tlv_append (out, 0x5F1F, (const guint8 *) dg1_mrz, strlen (dg1_mrz));
  tp_tlv_end (out, mark);
  return out;
}

static void
test_short_length (void)
{
  static const guint8 data[] = { 0x04, 0x03, 'a', 'b', 'c', 0x05, 0x00 };
  g_autoptr(GError) error = NULL;
  gsize offset = 0;
  TpTlv tlv;

  g_assert_true (tp_tlv_read (data, sizeof data, &offset, &tlv, &error));
  g_assert_no_error (error);
  g_assert_cmphex (tlv.tag, ==, 0x04);
  g_assert_false (tlv.constructed);
  g_assert_cmpuint (tlv.offset, ==, 0);
  g_assert_cmpuint (tlv.header_length, ==, 2);
  g_assert_cmpuint (tlv.length, ==, 3);
  g_assert_true (tlv.value == data + 2);
  g_assert_cmpuint (offset, ==, 5);

  /* An empty value */
  g_assert_true (tp_tlv_read (data, sizeof data, &offset, &tlv, &error));
  g_assert_cmphex (tlv.tag, ==, 0x05);
  g_assert_cmpuint (tlv.length, ==, 0);
  g_assert_cmpuint (tlv.offset, ==, 5);
  g_assert_cmpuint (offset, ==, 7);

  /* Nothing left */
  g_assert_false (tp_tlv_read (data, sizeof data, &offset, &tlv, &error));
  g_assert_error (error, TP_ERROR, TP_ERROR_TRUNCATED);
  g_assert_cmpuint (offset, ==, 7);
  g_clear_error (&error);

  /* An offset past the end */
  offset = 100;
  g_assert_false (tp_tlv_read (data, sizeof data, &offset, &tlv, &error));
  g_assert_error (error, TP_ERROR, TP_ERROR_TRUNCATED);
  g_assert_cmpuint (offset, ==, 100);
}

static void
test_long_lengths (void)
{
  static const struct {
    gsize length;
    gsize header;   /* with a one-byte tag */
  } cases[] = {
    { 0x7F, 2 }, { 0x80, 3 }, { 0xFF, 3 }, { 0x100, 4 }, { 0xFFFF, 4 }, { 0x10000, 5 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GByteArray) out = g_byte_array_new ();
      g_autofree guint8 *value = g_malloc0 (cases[i].length);
      g_autoptr(GError) error = NULL;
      gsize offset = 0;
      gsize total = 0;
      TpTlv tlv;

      value[cases[i].length - 1] = 0x42;
      tp_tlv_append (out, 0x04, value, cases[i].length);
      g_assert_cmpuint (out->len, ==, cases[i].header + cases[i].length);
      g_assert_true (tp_tlv_read (out->data, out->len, &offset, &tlv, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (tlv.length, ==, cases[i].length);
      g_assert_cmpuint (tlv.header_length, ==, cases[i].header);
      g_assert_cmpuint (tlv.value[tlv.length - 1], ==, 0x42);
      g_assert_cmpuint (offset, ==, out->len);
      g_assert_true (tp_tlv_peek_total_length (out->data, cases[i].header, &total, &error));
      g_assert_cmpuint (total, ==, out->len);
    }

  /* Non-minimal long forms, as some chips write them */
  {
    static const guint8 data[] = { 0x04, 0x82, 0x00, 0x02, 'h', 'i' };
    static const guint8 data4[] = { 0x04, 0x84, 0x00, 0x00, 0x00, 0x01, 'x' };
    TpTlv tlv;
    gsize offset = 0;

    g_assert_true (tp_tlv_read (data, sizeof data, &offset, &tlv, NULL));
    g_assert_cmpuint (tlv.length, ==, 2);
    g_assert_cmpuint (tlv.header_length, ==, 4);
    offset = 0;
    g_assert_true (tp_tlv_read (data4, sizeof data4, &offset, &tlv, NULL));
    g_assert_cmpuint (tlv.length, ==, 1);
    g_assert_cmpuint (tlv.header_length, ==, 6);
  }
}

static void
test_encode_length (void)
{
  static const struct {
    gsize       length;
    gsize       n;
    guint8      bytes[5];
  } cases[] = {
    { 0, 1, { 0x00 } },
    { 0x7F, 1, { 0x7F } },
    { 0x80, 2, { 0x81, 0x80 } },
    { 0xFF, 2, { 0x81, 0xFF } },
    { 0x100, 3, { 0x82, 0x01, 0x00 } },
    { 0xFFFF, 3, { 0x82, 0xFF, 0xFF } },
    { 0x10000, 4, { 0x83, 0x01, 0x00, 0x00 } },
    { 0xFFFFFF, 4, { 0x83, 0xFF, 0xFF, 0xFF } },
    { 0x1000000, 5, { 0x84, 0x01, 0x00, 0x00, 0x00 } },
    { 0xFFFFFFFF, 5, { 0x84, 0xFF, 0xFF, 0xFF, 0xFF } },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      guint8 header[TP_TLV_MAX_HEADER] = { 0x04 };
      gsize n = tp_tlv_encode_length (cases[i].length, header + 1);
      gsize total = 0;

      g_assert_cmpuint (n, ==, cases[i].n);
      g_assert_cmpmem (header + 1, n, cases[i].bytes, cases[i].n);
      /* Read back through the header */
      g_assert_true (tp_tlv_peek_total_length (header, 1 + n, &total, NULL));
      g_assert_cmpuint (total, ==, 1 + n + cases[i].length);
    }
}

static void
test_multibyte_tags (void)
{
  static const struct {
    guint32  tag;
    gsize    n;
    gboolean constructed;
  } cases[] = {
    { 0x04, 1, FALSE },
    { 0x30, 1, TRUE },
    { 0x5C, 1, FALSE },
    { 0x60, 1, TRUE },
    { 0x5F01, 2, FALSE },
    { 0x5F1F, 2, FALSE },
    { 0x5F2E, 2, FALSE },
    { 0x7F61, 2, TRUE },
    { 0x7F2E, 2, TRUE },
    { 0xBF01, 2, TRUE },
    { 0x9F7F, 2, FALSE },
    { 0xBF8101, 3, TRUE },
    { 0x5F818101, 4, FALSE },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GByteArray) out = g_byte_array_new ();
      g_autoptr(GError) error = NULL;
      guint8 bytes[4];
      gsize offset = 0;
      TpTlv tlv;

      g_assert_true (tp_tlv_tag_is_valid (cases[i].tag));
      g_assert_true (tp_tlv_tag_is_constructed (cases[i].tag) == cases[i].constructed);
      g_assert_cmpuint (tp_tlv_encode_tag (cases[i].tag, bytes), ==, cases[i].n);

      tp_tlv_append (out, cases[i].tag, (const guint8 *) "xyz", 3);
      g_assert_cmpuint (out->len, ==, cases[i].n + 1 + 3);
      g_assert_true (tp_tlv_read (out->data, out->len, &offset, &tlv, &error));
      g_assert_no_error (error);
      g_assert_cmphex (tlv.tag, ==, cases[i].tag);
      g_assert_true (tlv.constructed == cases[i].constructed);
      g_assert_cmpuint (tlv.header_length, ==, cases[i].n + 1);
      g_assert_cmpmem (tlv.value, tlv.length, "xyz", 3);
    }
}

static void
test_tag_validity (void)
{
  static const guint32 invalid[] = {
    0x00, 0xFF,             /* padding bytes */
    0x1F, 0x5F, 0x7F,       /* announce more bytes */
    0x0401,                 /* second byte after a one-byte tag */
    0x5F81,                 /* last byte with bit 8 set */
    0x5F0181,               /* continuation bit missing in the middle */
    0xFF01,                 /* first byte 0xFF */
    0x5F818181,             /* would need a fifth byte */
  };

  for (gsize i = 0; i < G_N_ELEMENTS (invalid); i++)
    g_assert_false (tp_tlv_tag_is_valid (invalid[i]));
}

static void
test_bad_tags (void)
{
  static const struct {
    const guint8 *data;
    gsize         len;
    gint          code;
    const char   *in_message;
  } cases[] = {
    { (const guint8 *) "\x5F", 1, TP_ERROR_TRUNCATED, "tag starting 5F at offset 0" },
    { (const guint8 *) "\x7F\x81", 2, TP_ERROR_TRUNCATED, "cut off" },
    { (const guint8 *) "\x5F\x81\x81\x81\x01\x00", 6, TP_ERROR_UNSUPPORTED, "longer than 4 bytes" },
    { (const guint8 *) "\x00\x01\x00", 3, TP_ERROR_INVALID_INPUT, "padding" },
    { (const guint8 *) "\xFF\x01\x00", 3, TP_ERROR_INVALID_INPUT, "padding" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree guint8 *copy = exact_copy (cases[i].data, cases[i].len);
      gsize offset = 0;
      gsize total = 0;
      TpTlv tlv;

      g_assert_false (tp_tlv_read (copy, cases[i].len, &offset, &tlv, &error));
      g_assert_error (error, TP_ERROR, cases[i].code);
      g_assert_nonnull (strstr (error->message, cases[i].in_message));
      g_assert_cmpuint (offset, ==, 0);
      g_clear_error (&error);
      g_assert_false (tp_tlv_peek_total_length (copy, cases[i].len, &total, &error));
      g_assert_error (error, TP_ERROR, cases[i].code);
    }
}

static void
test_bad_lengths (void)
{
  static const struct {
    const guint8 *data;
    gsize         len;
    gint          code;
    const char   *in_message;
  } cases[] = {
    { (const guint8 *) "\x30\x80\x04\x00\x00\x00", 6, TP_ERROR_UNSUPPORTED, "indefinite length (0x80)" },
    { (const guint8 *) "\x04\x85\x00\x00\x00\x00\x01\x00", 8, TP_ERROR_UNSUPPORTED, "takes 5 bytes" },
    { (const guint8 *) "\x04\xFE\x00", 3, TP_ERROR_UNSUPPORTED, "takes 126 bytes" },
    { (const guint8 *) "\x04\xFF\x00", 3, TP_ERROR_INVALID_INPUT, "reserved length byte 0xFF" },
    { (const guint8 *) "\x04", 1, TP_ERROR_TRUNCATED, "tag 04 at offset 0 has no length" },
    { (const guint8 *) "\x5F\x1F", 2, TP_ERROR_TRUNCATED, "tag 5F1F at offset 0 has no length" },
    { (const guint8 *) "\x04\x82\x01", 3, TP_ERROR_TRUNCATED, "2-byte length of tag 04" },
    { (const guint8 *) "\x04\x84\xFF\xFF\xFF", 5, TP_ERROR_TRUNCATED, "4-byte length" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree guint8 *copy = exact_copy (cases[i].data, cases[i].len);
      gsize offset = 0;
      gsize total = 0;
      TpTlv tlv;

      g_test_message ("case %" G_GSIZE_FORMAT, i);
      g_assert_false (tp_tlv_read (copy, cases[i].len, &offset, &tlv, &error));
      g_assert_error (error, TP_ERROR, cases[i].code);
      g_assert_nonnull (strstr (error->message, cases[i].in_message));
      g_clear_error (&error);
      g_assert_false (tp_tlv_peek_total_length (copy, cases[i].len, &total, &error));
      g_assert_error (error, TP_ERROR, cases[i].code);
    }
}

/* Lengths that run past the buffer, including ones that would wrap an
 * offset around */
static void
test_length_past_end (void)
{
  static const guint8 huge[] = { 0x04, 0x84, 0xFF, 0xFF, 0xFF, 0xFF, 'a', 'b' };
  static const guint8 short_by_one[] = { 0x04, 0x03, 'a', 'b' };
  static const guint8 inner_past_outer[] = { 0x61, 0x04, 0x04, 0x05, 'a', 'b', 'c', 'd', 'e' };
  g_autoptr(GError) error = NULL;
  gsize offset = 0;
  gsize total = 0;
  TpTlv tlv;

  g_assert_false (tp_tlv_read (huge, sizeof huge, &offset, &tlv, &error));
  g_assert_error (error, TP_ERROR, TP_ERROR_TRUNCATED);
  g_assert_nonnull (strstr (error->message, "declares 4294967295 bytes of value but only 2 remain"));
  g_clear_error (&error);
  g_assert_true (tp_tlv_peek_total_length (huge, sizeof huge, &total, &error));
  g_assert_cmpuint (total, ==, (gsize) 6 + G_MAXUINT32);

  g_assert_false (tp_tlv_read (short_by_one, sizeof short_by_one, &offset, &tlv, &error));
  g_assert_error (error, TP_ERROR, TP_ERROR_TRUNCATED);
  g_clear_error (&error);

  /* The child claims more than its parent holds, though the buffer has it */
  g_assert_true (tp_tlv_read (inner_past_outer, sizeof inner_past_outer, &offset, &tlv, &error));
  g_assert_false (tp_tlv_find_child (&tlv, 0x04, &tlv, &error));
  g_assert_error (error, TP_ERROR, TP_ERROR_TRUNCATED);
  g_assert_nonnull (strstr (error->message, "tag 04 at offset 2 declares 5 bytes of value but only 2 remain"));
}

static void
test_ef_com (void)
{
  g_autoptr(GByteArray) built = build_ef_com ();
  static const guint32 path_tags[] = { 0x60, 0x5C };
  static const guint32 path_version[] = { 0x60, 0x5F01 };
  static const guint32 path_missing[] = { 0x60, 0x5F1F };
  g_autoptr(GError) error = NULL;
  TpTlvIter iter;
  TpTlv com;
  TpTlv tlv;
  gsize offset = 0;
  gsize total = 0;
  guint n_children = 0;

  g_assert_cmpmem (built->data, built->len, ef_com, sizeof ef_com);

  g_assert_true (tp_tlv_read (ef_com, sizeof ef_com, &offset, &com, &error));
  g_assert_cmphex (com.tag, ==, 0x60);
  g_assert_true (com.constructed);
  g_assert_cmpuint (com.length, ==, 0x16);
  g_assert_cmpuint (offset, ==, sizeof ef_com);

  /* The chip reader's first look */
  g_assert_true (tp_tlv_peek_total_length (ef_com, 4, &total, &error));
  g_assert_cmpuint (total, ==, sizeof ef_com);

  g_assert_true (tp_tlv_find_path (ef_com, sizeof ef_com, path_tags, 2, &tlv, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (tlv.value, tlv.length, "\x61\x75\x6B\x6C", 4);
  g_assert_cmpuint (tlv.offset, ==, 18);

  g_assert_true (tp_tlv_find_path (ef_com, sizeof ef_com, path_version, 2, &tlv, &error));
  g_assert_cmpmem (tlv.value, tlv.length, "0107", 4);
  g_assert_cmpuint (tlv.offset, ==, 2);

  /* Absent: FALSE, no error */
  g_assert_false (tp_tlv_find_path (ef_com, sizeof ef_com, path_missing, 2, &tlv, &error));
  g_assert_no_error (error);
  g_assert_false (tp_tlv_find (ef_com, sizeof ef_com, 0x61, &tlv, &error));
  g_assert_no_error (error);

  g_assert_true (tp_tlv_find_child (&com, 0x5F36, &tlv, &error));
  g_assert_cmpmem (tlv.value, tlv.length, "040000", 6);
  g_assert_cmpuint (tlv.offset, ==, 9);

  /* A primitive object has no children */
  g_assert_false (tp_tlv_find_child (&tlv, 0x04, &tlv, &error));
  g_assert_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "tag 5F36 at offset 9 is primitive"));
  g_clear_error (&error);

  g_assert_true (tp_tlv_iter_init_children (&iter, &com, &error));
  while (tp_tlv_iter_next (&iter, &tlv, &error))
    n_children++;
  g_assert_no_error (error);
  g_assert_cmpuint (n_children, ==, 3);
}

static void
test_dg1 (void)
{
  g_autoptr(GByteArray) dg1 = build_dg1 ();
  static const guint32 path[] = { 0x61, 0x5F1F };
  g_autoptr(GError) error = NULL;
  TpTlv tlv;
  gsize total = 0;

  /* 88 characters: a long-form length inside, short outside */
  g_assert_cmpuint (dg1->len, ==, 2 + 3 + 88);
  g_assert_cmpmem (dg1->data, 5, "\x61\x5B\x5F\x1F\x58", 5);
  g_assert_true (tp_tlv_find_path (dg1->data, dg1->len, path, G_N_ELEMENTS (path), &tlv, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (tlv.value, tlv.length, dg1_mrz, strlen (dg1_mrz));
  g_assert_true (tp_tlv_peek_total_length (dg1->data, 6, &total, &error));
  g_assert_cmpuint (total, ==, dg1->len);
}

/* Every prefix of EF.COM and DG1 shorter than the whole: reading, walking and
 * finding fail cleanly; none reads past the copy (the fuzz build checks it) */
static gboolean
count_cb (const TpTlv *tlv,
          guint        depth,
          gpointer     user_data)
{
  (*(guint *) user_data)++;
  return TRUE;
}

static void
check_prefixes (const guint8 *data,
                gsize         len)
{
  static const guint32 path[] = { 0x61, 0x5F1F };

  for (gsize cut = 0; cut < len; cut++)
    {
      g_autofree guint8 *copy = exact_copy (data, cut);
      g_autoptr(GError) error = NULL;
      gsize offset = 0;
      gsize total = 0;
      guint count = 0;
      TpTlv tlv;

      g_assert_false (tp_tlv_read (copy, cut, &offset, &tlv, &error));
      g_assert_error (error, TP_ERROR, TP_ERROR_TRUNCATED);
      g_assert_cmpuint (offset, ==, 0);
      g_clear_error (&error);

      if (cut == 0)
        {
          /* An empty buffer holds no objects */
          g_assert_true (tp_tlv_walk (copy, cut, 4, count_cb, &count, &error));
          g_assert_cmpuint (count, ==, 0);
        }
      else
        {
          g_assert_false (tp_tlv_walk (copy, cut, 4, count_cb, &count, &error));
          g_assert_error (error, TP_ERROR, TP_ERROR_TRUNCATED);
          g_clear_error (&error);
          g_assert_false (tp_tlv_find_path (copy, cut, path, 2, &tlv, &error));
          g_assert_error (error, TP_ERROR, TP_ERROR_TRUNCATED);
          g_clear_error (&error);
        }

      if (cut >= 2)
        {
          g_assert_true (tp_tlv_peek_total_length (copy, cut, &total, &error));
          g_assert_no_error (error);
          g_assert_cmpuint (total, ==, len);
        }
      else
        {
          g_assert_false (tp_tlv_peek_total_length (copy, cut, &total, &error));
          g_assert_error (error, TP_ERROR, TP_ERROR_TRUNCATED);
        }
    }
}

static void
test_truncation (void)
{
  g_autoptr(GByteArray) dg1 = build_dg1 ();

  check_prefixes (ef_com, sizeof ef_com);
  check_prefixes (dg1->data, dg1->len);
}

typedef struct {
  guint32 tags[16];
  guint   depths[16];
  gsize   offsets[16];
  guint   n;
  guint   stop_after;
} WalkLog;

static gboolean
log_cb (const TpTlv *tlv,
        guint        depth,
        gpointer     user_data)
{
  WalkLog *log = user_data;

  g_assert_cmpuint (log->n, <, G_N_ELEMENTS (log->tags));
  log->tags[log->n] = tlv->tag;
  log->depths[log->n] = depth;
  log->offsets[log->n] = tlv->offset;
  log->n++;
  return log->n != log->stop_after;
}

static void
test_walk (void)
{
  g_autoptr(GByteArray) doc = g_byte_array_new ();
  g_autoptr(GError) error = NULL;
  static const guint32 expected_tags[] = { 0x60, 0x5F01, 0x7F61, 0x02, 0x7F60, 0xA1, 0x87, 0x5F2E, 0x5C };
  static const guint expected_depths[] = { 0, 1, 1, 2, 2, 3, 4, 3, 0 };
  WalkLog log = { .stop_after = 0 };
  gsize outer, group, template, header;

  /* A DG2-like nesting */
  outer = tp_tlv_begin (doc, 0x60);
  tp_tlv_append (doc, 0x5F01, (const guint8 *) "0107", 4);
  group = tp_tlv_begin (doc, 0x7F61);
  tp_tlv_append (doc, 0x02, (const guint8 *) "\x01", 1);
  template = tp_tlv_begin (doc, 0x7F60);
  header = tp_tlv_begin (doc, 0xA1);
  tp_tlv_append (doc, 0x87, (const guint8 *) "\x01\x01", 2);
  tp_tlv_end (doc, header);
  tp_tlv_append (doc, 0x5F2E, (const guint8 *) "FAC\0", 4);
  tp_tlv_end (doc, template);
  tp_tlv_end (doc, group);
  tp_tlv_end (doc, outer);
  tp_tlv_append (doc, 0x5C, (const guint8 *) "\x61\x75", 2);

  g_assert_true (tp_tlv_walk (doc->data, doc->len, 4, log_cb, &log, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (log.n, ==, G_N_ELEMENTS (expected_tags));
  for (guint i = 0; i < log.n; i++)
    {
      g_assert_cmphex (log.tags[i], ==, expected_tags[i]);
      g_assert_cmpuint (log.depths[i], ==, expected_depths[i]);
    }
  g_assert_cmpuint (log.offsets[0], ==, 0);
  g_assert_cmpuint (log.offsets[1], ==, 2);

  /* Offsets are from the start of the buffer at every depth */
  for (guint i = 0; i < log.n; i++)
    {
      gsize offset = log.offsets[i];
      TpTlv tlv;

      g_assert_true (tp_tlv_read (doc->data, doc->len, &offset, &tlv, &error));
      g_assert_cmphex (tlv.tag, ==, log.tags[i]);
    }

  /* Too deep for 3 */
  log.n = 0;
  g_assert_false (tp_tlv_walk (doc->data, doc->len, 3, log_cb, &log, &error));
  g_assert_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "tag 87"));
  g_assert_nonnull (strstr (error->message, "nested 4 levels deep"));
  g_clear_error (&error);

  /* Stopping early is not an error */
  log.n = 0;
  log.stop_after = 3;
  g_assert_true (tp_tlv_walk (doc->data, doc->len, 4, log_cb, &log, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (log.n, ==, 3);

  /* A constructed value that is not made of objects */
  {
    static const guint8 bad[] = { 0x61, 0x03, 0x04, 0x05, 0x00 };
    guint count = 0;

    g_assert_false (tp_tlv_walk (bad, sizeof bad, 4, count_cb, &count, &error));
    g_assert_error (error, TP_ERROR, TP_ERROR_TRUNCATED);
    g_assert_nonnull (strstr (error->message, "offset 2"));
    g_assert_cmpuint (count, ==, 1);
  }
}

static GByteArray *
build_nested (guint levels)
{
  GByteArray *out = g_byte_array_new ();
  gsize *marks = g_new (gsize, levels);

  for (guint i = 0; i < levels; i++)
    marks[i] = tp_tlv_begin (out, 0x7F61);
  tp_tlv_append (out, 0x04, (const guint8 *) "x", 1);
  for (guint i = levels; i > 0; i--)
    tp_tlv_end (out, marks[i - 1]);
  g_free (marks);
  return out;
}

static void
test_depth_bomb (void)
{
  g_autoptr(GByteArray) bomb = build_nested (5000);
  g_autoptr(GByteArray) deep5 = build_nested (5);
  g_autoptr(GByteArray) flat = g_byte_array_new ();
  g_autoptr(GError) error = NULL;
  guint count = 0;
  TpTlv tlv;

  g_assert_false (tp_tlv_walk (bomb->data, bomb->len, TP_TLV_MAX_DEPTH, count_cb, &count, &error));
  g_assert_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "nested 33 levels deep; at most 32 are allowed"));
  g_assert_cmpuint (count, ==, TP_TLV_MAX_DEPTH + 1);
  g_clear_error (&error);

  /* 5 constructed levels put the primitive object at depth 5 */
  count = 0;
  g_assert_true (tp_tlv_walk (deep5->data, deep5->len, 5, count_cb, &count, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count, ==, 6);
  count = 0;
  g_assert_false (tp_tlv_walk (deep5->data, deep5->len, 4, count_cb, &count, &error));
  g_assert_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  /* max_depth 0: top-level objects only; empty constructed ones are fine */
  tp_tlv_append (flat, 0x04, (const guint8 *) "a", 1);
  tp_tlv_append (flat, 0x30, NULL, 0);
  count = 0;
  g_assert_true (tp_tlv_walk (flat->data, flat->len, 0, count_cb, &count, &error));
  g_assert_cmpuint (count, ==, 2);
  count = 0;
  g_assert_false (tp_tlv_walk (deep5->data, deep5->len, 0, count_cb, &count, &error));
  g_assert_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  /* Reading and finding do not recurse at all */
  g_assert_true (tp_tlv_find (bomb->data, bomb->len, 0x7F61, &tlv, &error));
  g_assert_cmpuint (tlv.offset, ==, 0);
}

static void
test_padding (void)
{
  static const guint8 data[] = { 0x00, 0xFF, 0x04, 0x01, 'a', 0x00, 0x00, 0x05, 0x00, 0xFF };
  g_autoptr(GError) error = NULL;
  TpTlvIter iter;
  TpTlv tlv;
  gsize offset = 0;

  /* Skipped between objects */
  tp_tlv_iter_init (&iter, data, sizeof data);
  g_assert_true (tp_tlv_iter_next (&iter, &tlv, &error));
  g_assert_cmphex (tlv.tag, ==, 0x04);
  g_assert_cmpuint (tlv.offset, ==, 2);
  g_assert_true (tp_tlv_iter_next (&iter, &tlv, &error));
  g_assert_cmphex (tlv.tag, ==, 0x05);
  g_assert_cmpuint (tlv.offset, ==, 7);
  g_assert_false (tp_tlv_iter_next (&iter, &tlv, &error));
  g_assert_no_error (error);
  /* and stays at the end */
  g_assert_false (tp_tlv_iter_next (&iter, &tlv, &error));
  g_assert_no_error (error);

  g_assert_true (tp_tlv_find (data, sizeof data, 0x05, &tlv, &error));

  /* A plain read does not skip it */
  g_assert_false (tp_tlv_read (data, sizeof data, &offset, &tlv, &error));
  g_assert_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "byte 0x00 at offset 0 is padding"));
}

static void
test_unwrap (void)
{
  /* 7C { 80 01 2A }, as a GENERAL AUTHENTICATE data field */
  static const guint8 dyn[] = { 0x7C, 0x03, 0x80, 0x01, 0x2A };
  static const guint8 trailing[] = { 0x7C, 0x03, 0x80, 0x01, 0x2A, 0x00 };
  static const guint8 leading[] = { 0x00, 0x7C, 0x03, 0x80, 0x01, 0x2A };
  static const guint8 short_value[] = { 0x7C, 0x04, 0x80, 0x01, 0x2A };
  static const guint8 two_byte_tag[] = { 0x7F, 0x49, 0x00 };
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *copy = NULL;
  TpTlv tlv = { 0 };
  TpTlv inner;

  g_assert_true (tp_tlv_unwrap (dyn, sizeof dyn, 0x7C, &tlv, &error));
  g_assert_no_error (error);
  g_assert_cmphex (tlv.tag, ==, 0x7C);
  g_assert_true (tlv.constructed);
  g_assert_true (tlv.value == dyn + 2);
  g_assert_cmpuint (tlv.length, ==, 3);
  g_assert_true (tp_tlv_find_child (&tlv, 0x80, &inner, &error));
  g_assert_cmpuint (inner.value[0], ==, 0x2A);

  g_assert_true (tp_tlv_unwrap (two_byte_tag, sizeof two_byte_tag, 0x7F49, &tlv, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (tlv.length, ==, 0);

  /* Another tag */
  tlv.tag = 0x1234;
  g_assert_false (tp_tlv_unwrap (dyn, sizeof dyn, 0x6E, &tlv, &error));
  g_assert_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "tag 7C, 6E expected"));
  g_assert_cmphex (tlv.tag, ==, 0x1234);      /* out untouched on failure */
  g_clear_error (&error);

  /* Anything after the object, padding included */
  g_assert_false (tp_tlv_unwrap (trailing, sizeof trailing, 0x7C, &tlv, &error));
  g_assert_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "tag 7C ends at offset 5 but 1 more bytes follow"));
  g_clear_error (&error);

  /* or before it */
  g_assert_false (tp_tlv_unwrap (leading, sizeof leading, 0x7C, &tlv, &error));
  g_assert_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "is padding"));
  g_clear_error (&error);

  /* The errors of tp_tlv_read() */
  copy = exact_copy (short_value, sizeof short_value);
  g_assert_false (tp_tlv_unwrap (copy, sizeof short_value, 0x7C, &tlv, &error));
  g_assert_error (error, TP_ERROR, TP_ERROR_TRUNCATED);
  g_clear_error (&error);

  g_assert_false (tp_tlv_unwrap (NULL, 0, 0x7C, &tlv, &error));
  g_assert_error (error, TP_ERROR, TP_ERROR_TRUNCATED);
  g_clear_error (&error);

  /* Every cut of a good object fails without reading past it */
  for (gsize cut = 0; cut < sizeof dyn; cut++)
    {
      g_autofree guint8 *part = exact_copy (dyn, cut);

      g_assert_false (tp_tlv_unwrap (part, cut, 0x7C, &tlv, &error));
      g_assert_error (error, TP_ERROR, TP_ERROR_TRUNCATED);
      g_clear_error (&error);
    }
}

static void
test_iter_error_stays (void)
{
  static const guint8 data[] = { 0x04, 0x01, 'a', 0x04, 0x80 };
  g_autoptr(GError) error = NULL;
  TpTlvIter iter;
  TpTlv tlv;

  tp_tlv_iter_init (&iter, data, sizeof data);
  g_assert_true (tp_tlv_iter_next (&iter, &tlv, &error));
  g_assert_false (tp_tlv_iter_next (&iter, &tlv, &error));
  g_assert_error (error, TP_ERROR, TP_ERROR_UNSUPPORTED);
  g_assert_nonnull (strstr (error->message, "tag 04 at offset 3 has an indefinite length"));
  g_clear_error (&error);
  g_assert_false (tp_tlv_iter_next (&iter, &tlv, &error));
  g_assert_error (error, TP_ERROR, TP_ERROR_UNSUPPORTED);

  /* find reports the malformed object before the one it wanted */
  g_clear_error (&error);
  g_assert_false (tp_tlv_find (data, sizeof data, 0x30, &tlv, &error));
  g_assert_error (error, TP_ERROR, TP_ERROR_UNSUPPORTED);
}

static void
test_round_trip (void)
{
  static const guint32 tags[] = { 0x04, 0x30, 0x5C, 0x5F1F, 0x7F61, 0xBF01, 0xBF8101, 0x5F818101, 0x9F7F };
  static const gsize lengths[] = { 0, 1, 0x7F, 0x80, 0xFF, 0x100, 0x1234, 0x10000 };
  GRand *rand = g_rand_new_with_seed (9303);

  for (gsize t = 0; t < G_N_ELEMENTS (tags); t++)
    for (gsize l = 0; l < G_N_ELEMENTS (lengths); l++)
      {
        g_autoptr(GByteArray) out = g_byte_array_new ();
        g_autofree guint8 *value = g_malloc (lengths[l] + 1);
        g_autoptr(GError) error = NULL;
        guint8 prefix[3] = { 0x00, 0xFF, 0x00 };
        gsize offset = sizeof prefix;
        gsize total = 0;
        TpTlv tlv;

        for (gsize i = 0; i < lengths[l]; i++)
          value[i] = (guint8) g_rand_int (rand);
        g_byte_array_append (out, prefix, sizeof prefix);
        tp_tlv_append (out, tags[t], value, lengths[l]);

        g_assert_true (tp_tlv_read (out->data, out->len, &offset, &tlv, &error));
        g_assert_no_error (error);
        g_assert_cmphex (tlv.tag, ==, tags[t]);
        g_assert_cmpuint (tlv.offset, ==, sizeof prefix);
        g_assert_cmpmem (tlv.value, tlv.length, value, lengths[l]);
        g_assert_cmpuint (offset, ==, out->len);
        g_assert_true (tp_tlv_peek_total_length (out->data + sizeof prefix, MIN (TP_TLV_MAX_HEADER, out->len - sizeof prefix),
                                                 &total, &error));
        g_assert_cmpuint (total, ==, out->len - sizeof prefix);

        /* The same through tp_tlv_begin/end */
        {
          g_autoptr(GByteArray) again = g_byte_array_new ();
          gsize mark;

          g_byte_array_append (again, prefix, sizeof prefix);
          mark = tp_tlv_begin (again, tags[t]);
          if (lengths[l] > 0)
            g_byte_array_append (again, value, lengths[l]);
          tp_tlv_end (again, mark);
          g_assert_cmpmem (again->data, again->len, out->data, out->len);
        }
      }
  g_rand_free (rand);
}

/* Random bytes never make a reader fail in an unexpected way */
static gboolean
reencode_cb (const TpTlv *tlv,
             guint        depth,
             gpointer     user_data)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  TpTlv back;
  gsize offset = 0;

  tp_tlv_append (out, tlv->tag, tlv->value, tlv->length);
  g_assert_true (tp_tlv_read (out->data, out->len, &offset, &back, NULL));
  g_assert_cmphex (back.tag, ==, tlv->tag);
  g_assert_cmpmem (back.value, back.length, tlv->value, tlv->length);
  (*(guint *) user_data)++;
  return TRUE;
}

static void
test_random (void)
{
  GRand *rand = g_rand_new_with_seed (7816);
  guint objects = 0;

  for (guint round = 0; round < 50000; round++)
    {
      gsize len = g_rand_int_range (rand, 0, 24);
      g_autofree guint8 *data = g_malloc (len + 1);
      g_autoptr(GError) error = NULL;
      gsize offset = 0;
      gsize total = 0;
      TpTlv tlv;

      for (gsize i = 0; i < len; i++)
        {
          /* Mostly small lengths and the tags of this file */
          guint r = g_rand_int_range (rand, 0, 4);

          data[i] = r == 0 ? (guint8) g_rand_int_range (rand, 0, 8)
                  : r == 1 ? (guint8) (0x5F + 0x20 * g_rand_int_range (rand, 0, 2))
                  : (guint8) g_rand_int_range (rand, 0, 256);
        }

      if (tp_tlv_read (data, len, &offset, &tlv, &error))
        g_assert_cmpuint (offset, <=, len);
      else
        g_assert_nonnull (error);
      g_clear_error (&error);

      if (tp_tlv_peek_total_length (data, len, &total, &error))
        g_assert_cmpuint (total, >=, 2);
      else
        g_assert_nonnull (error);
      g_clear_error (&error);

      if (!tp_tlv_walk (data, len, TP_TLV_MAX_DEPTH, reencode_cb, &objects, &error))
        g_assert_nonnull (error);
    }
  g_assert_cmpuint (objects, >, 1000);
  g_rand_free (rand);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/tlv/length/short", test_short_length);
  g_test_add_func ("/tlv/length/long", test_long_lengths);
  g_test_add_func ("/tlv/length/encode", test_encode_length);
  g_test_add_func ("/tlv/length/bad", test_bad_lengths);
  g_test_add_func ("/tlv/length/past-end", test_length_past_end);
  g_test_add_func ("/tlv/tag/multibyte", test_multibyte_tags);
  g_test_add_func ("/tlv/tag/validity", test_tag_validity);
  g_test_add_func ("/tlv/tag/bad", test_bad_tags);
  g_test_add_func ("/tlv/lds/ef-com", test_ef_com);
  g_test_add_func ("/tlv/lds/dg1", test_dg1);
  g_test_add_func ("/tlv/truncation", test_truncation);
  g_test_add_func ("/tlv/walk", test_walk);
  g_test_add_func ("/tlv/depth-bomb", test_depth_bomb);
  g_test_add_func ("/tlv/padding", test_padding);
  g_test_add_func ("/tlv/iter-error", test_iter_error_stays);
  g_test_add_func ("/tlv/unwrap", test_unwrap);
  g_test_add_func ("/tlv/round-trip", test_round_trip);
  g_test_add_func ("/tlv/random", test_random);

  return g_test_run ();
}
