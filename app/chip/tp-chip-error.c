/* tp-chip-error.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <openssl/err.h>

#include "tp-chip-error.h"

G_DEFINE_QUARK (tp-chip-error-quark, tp_chip_error)

const char *
tp_chip_sw_describe (guint16 sw)
{
  guint8 sw1 = sw >> 8;

  switch (sw)
    {
    case 0x9000: return "success";
    case 0x6282: return "end of file reached before the expected length";
    case 0x6300: return "authentication failed";
    case 0x6581: return "memory failure";
    case 0x6700: return "wrong length";
    case 0x6882: return "secure messaging not supported";
    case 0x6982: return "security status not satisfied";
    case 0x6983: return "authentication method blocked";
    case 0x6984: return "reference data not usable";
    case 0x6985: return "conditions of use not satisfied";
    case 0x6986: return "command not allowed (no current EF)";
    case 0x6987: return "expected secure messaging data objects missing";
    case 0x6988: return "incorrect secure messaging data objects";
    case 0x6A80: return "incorrect parameters in the command data";
    case 0x6A81: return "function not supported";
    case 0x6A82: return "file or application not found";
    case 0x6A86: return "incorrect parameters P1-P2";
    case 0x6A87: return "Lc inconsistent with P1-P2";
    case 0x6A88: return "referenced data not found";
    case 0x6B00: return "wrong parameters P1-P2 (offset outside the file)";
    case 0x6D00: return "instruction not supported";
    case 0x6E00: return "class not supported";
    case 0x6F00: return "no precise diagnosis";
    default:
      break;
    }

  switch (sw1)
    {
    case 0x61: return "more response data available";
    case 0x62: return "warning, state unchanged";
    case 0x63: return "warning, state changed (verification failed)";
    case 0x64: return "execution error, state unchanged";
    case 0x65: return "execution error, state changed";
    case 0x67: return "wrong length";
    case 0x68: return "function in CLA not supported";
    case 0x69: return "command not allowed";
    case 0x6A: return "wrong parameters";
    case 0x6C: return "wrong Le field (the chip gives the exact length)";
    default:
      break;
    }

  return "unknown status";
}

void
tp_chip_set_status_error (GError     **error,
                          guint16      sw,
                          const char  *format,
                          ...)
{
  g_autofree char *what = NULL;
  va_list args;

  if (error == NULL)
    return;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_STATUS,
               "%s: the chip answered %04X (%s)",
               what, sw, tp_chip_sw_describe (sw));
}

char *
tp_chip_openssl_reason (void)
{
  unsigned long e = ERR_peek_last_error ();
  const char *reason = e != 0 ? ERR_reason_error_string (e) : NULL;
  char *out = g_strdup (reason != NULL ? reason : "no detail from OpenSSL");

  ERR_clear_error ();
  return out;
}

void
tp_chip_set_crypto_error (GError     **error,
                          const char  *what)
{
  g_autofree char *reason = tp_chip_openssl_reason ();

  g_set_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_CRYPTO,
               "%s failed in the cryptographic library: %s", what, reason);
}
