/* tp-test-util.h: helpers shared by the unit tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Bytes from hex text ("0CA4 020C"); white space is skipped, anything
 * else that is not a pair of hex digits fails the test. */
GByteArray *tp_test_hex     (const char   *text);
/* Upper-case hex of data[0, len). */
char       *tp_test_to_hex  (const guint8 *data,
                             gsize         len);

#define tp_test_assert_bytes(data, len, expected_hex) \
  G_STMT_START { \
    g_autofree char *_h = tp_test_to_hex ((data), (len)); \
    g_assert_cmpstr (_h, ==, (expected_hex)); \
  } G_STMT_END

G_END_DECLS
