/* tp-feed-util.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "tp-feed-util.h"

char *
tp_feed_hex (const guint8 *data,
             gsize         len)
{
  static const char digits[] = "0123456789abcdef";
  char *out = g_malloc (len * 2 + 1);

  for (gsize i = 0; i < len; i++)
    {
      out[2 * i] = digits[data[i] >> 4];
      out[2 * i + 1] = digits[data[i] & 0xf];
    }
  out[len * 2] = '\0';
  return out;
}

gboolean
tp_feed_unhex (const char *hex,
               guint8     *out,
               gsize       len)
{
  g_return_val_if_fail (hex != NULL, FALSE);

  if (strlen (hex) != len * 2)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    {
      int hi = g_ascii_xdigit_value (hex[2 * i]);
      int lo = g_ascii_xdigit_value (hex[2 * i + 1]);

      if (hi < 0 || lo < 0)
        return FALSE;
      out[i] = (guint8) (hi << 4 | lo);
    }
  return TRUE;
}

void
tp_feed_sha256 (const void *data,
                gsize       len,
                guint8      out[TP_FEED_HASH_SIZE])
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  gsize out_len = TP_FEED_HASH_SIZE;

  g_checksum_update (checksum, data, (gssize) len);
  g_checksum_get_digest (checksum, out, &out_len);
  g_assert (out_len == TP_FEED_HASH_SIZE);
}

char *
tp_feed_sha256_hex (const void *data,
                    gsize       len)
{
  guint8 digest[TP_FEED_HASH_SIZE];

  tp_feed_sha256 (data, len, digest);
  return tp_feed_hex (digest, sizeof digest);
}

char *
tp_feed_format_time (GDateTime *time)
{
  g_autoptr(GDateTime) utc = NULL;

  g_return_val_if_fail (time != NULL, NULL);

  utc = g_date_time_to_utc (time);
  return g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
}

GDateTime *
tp_feed_parse_time (const char *text)
{
  gsize len;

  g_return_val_if_fail (text != NULL, NULL);

  /* g_date_time_new_from_iso8601() takes the local zone when none is
   * given; RFC 3339 always has one. */
  len = strlen (text);
  if (len < 20 || len > 40 || text[4] != '-' || text[7] != '-' || (text[10] != 'T' && text[10] != 't'))
    return NULL;
  if (text[len - 1] != 'Z' && text[len - 1] != 'z' &&
      !(len >= 6 && (text[len - 6] == '+' || text[len - 6] == '-') && text[len - 3] == ':'))
    return NULL;
  return g_date_time_new_from_iso8601 (text, NULL);
}

gboolean
tp_feed_is_uuid (const char *text)
{
  g_return_val_if_fail (text != NULL, FALSE);

  if (strlen (text) != 36)
    return FALSE;
  for (guint i = 0; i < 36; i++)
    {
      if (i == 8 || i == 13 || i == 18 || i == 23)
        {
          if (text[i] != '-')
            return FALSE;
        }
      else if (!g_ascii_isxdigit (text[i]) || g_ascii_isupper (text[i]))
        return FALSE;
    }
  return TRUE;
}
