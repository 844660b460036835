/* tp-test-util.h: helpers shared by the unit tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tp-document-reader.h"

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

/* The access key of the software chip @spec (its printed MRZ): what a
 * test reading an emulated reader opens the chip with. */
TpAccessKey *tp_test_sim_key (const char *spec);

/* The test PKI's CSCAs (what the software chip is signed under) as a
 * trust store. Failures fail the test. */
TpTrustStore *tp_test_sim_trust (void);

/* An emulator program (tests/emu): $@env_var when set (meson test sets
 * it), else @name in the build's emu directory. */
char        *tp_test_emulator_path (const char *env_var,
                                    const char *name);

/* Removes @path and everything below it (test scratch directories). */
void        tp_test_remove_tree (const char *path);

/* An emulator process driven line by line on stdin/stdout (tp-pn532-emu,
 * tp-vpcd-card in --control mode): started with @argv, its first line
 * read into @first_line; commands answer a line starting with "ok";
 * end of input makes it quit. Failures fail the test. */
typedef struct {
  GSubprocess      *process;
  GDataInputStream *out;
  GOutputStream    *in;
} TpTestChild;

TpTestChild *tp_test_child_start   (const char * const *argv,
                                    char              **first_line);
void         tp_test_child_control (TpTestChild        *child,
                                    const char         *command);
void         tp_test_child_stop    (TpTestChild        *child);

G_END_DECLS
