/* tp-pn532-emu.c: a PN532 NFC reader on a pseudo-terminal, with the
 * software chip on it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Test fixture for the libnfc transport: libnfc's pn532_uart driver opens
 * the pseudo-terminal as if it were a serial port (connstring
 * "pn532_uart:/dev/pts/N") and speaks the PN532 host protocol to it:
 *
 *   normal frame    00 00 FF LEN LCS TFI PD0..PDn DCS 00
 *   extended frame  00 00 FF FF FF LENM LENL LCS TFI PD0..PDn DCS 00
 *   ACK             00 00 FF 00 FF 00  (and NACK 00 00 FF FF 00 00)
 *
 * with TFI D4 from the host and D5 from the PN532, LCS making LEN + LCS
 * zero and DCS making TFI + data + DCS zero (modulo 256). Every command is
 * acknowledged with an ACK, then answered with a frame whose first data
 * byte is the command code plus one. Wake-up bytes (55 55 00 ...) and
 * anything that is not a frame are skipped.
 *
 * Commands handled: Diagnose (communication test and card presence),
 * GetFirmwareVersion, GetGeneralStatus, ReadRegister, WriteRegister,
 * SetParameters, SAMConfiguration, PowerDown, RFConfiguration (field
 * off resets the chip), InListPassiveTarget (106 kbps type A with an
 * ISO/IEC 14443-4 target: ATQA 00 08, SAK 20, 4-byte UID, ATS; or type B),
 * InDataExchange (APDUs to the software chip), InCommunicateThru (the
 * R(NAK) presence check libnfc sends, answered with R(ACK)),
 * InDeselect, InRelease, InSelect, InAutoPoll. Others get an error frame.
 *
 * Usage: tp-pn532-emu [--profile SPEC] [--type-b] [--no-card]
 *                     [--control] [--verbose]
 * Prints the pseudo-terminal's path on the first line of standard output.
 * With --control, lines on standard input drive the fixture: "remove",
 * "insert", "quit"; end of input quits too (so the fixture dies with the
 * test that started it).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <glib-unix.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "tp-chip-error.h"
#include "tp-sim-chip.h"

#define TFI_HOST 0xD4
#define TFI_PN532 0xD5

/* PN532 command codes */
enum {
  CMD_DIAGNOSE = 0x00,
  CMD_GET_FIRMWARE_VERSION = 0x02,
  CMD_GET_GENERAL_STATUS = 0x04,
  CMD_READ_REGISTER = 0x06,
  CMD_WRITE_REGISTER = 0x08,
  CMD_SET_PARAMETERS = 0x12,
  CMD_SAM_CONFIGURATION = 0x14,
  CMD_POWER_DOWN = 0x16,
  CMD_RF_CONFIGURATION = 0x32,
  CMD_IN_DATA_EXCHANGE = 0x40,
  CMD_IN_COMMUNICATE_THRU = 0x42,
  CMD_IN_DESELECT = 0x44,
  CMD_IN_LIST_PASSIVE_TARGET = 0x4A,
  CMD_IN_SELECT = 0x54,
  CMD_IN_RELEASE = 0x52,
  CMD_IN_AUTO_POLL = 0x60,
};

/* PN532 status byte values */
#define STATUS_OK        0x00
#define STATUS_TIMEOUT   0x01
#define STATUS_NO_TARGET 0x27  /* "not acceptable in the current context" */

typedef struct {
  int         master;
  int         slave;
  TpSimChip  *chip;
  gboolean    type_b;
  gboolean    card_present;
  gboolean    selected;      /* a target is activated (InListPassiveTarget) */
  gboolean    field_on;
  gboolean    verbose;
  guint8      registers[0x10000];
  GByteArray *in;
} Emu;

static void
logf_hex (Emu          *emu,
          const char   *what,
          const guint8 *data,
          gsize         len)
{
  g_autoptr(GString) s = NULL;

  if (!emu->verbose)
    return;
  s = g_string_new (what);
  for (gsize i = 0; i < len && i < 300; i++)
    g_string_append_printf (s, " %02X", data[i]);
  if (len > 300)
    g_string_append (s, " ...");
  fprintf (stderr, "pn532-emu: %s\n", s->str);
}

static gboolean
write_all (int           fd,
           const guint8 *data,
           gsize         len)
{
  while (len > 0)
    {
      ssize_t n = write (fd, data, len);

      if (n < 0 && (errno == EINTR || errno == EAGAIN))
        {
          struct pollfd p = { .fd = fd, .events = POLLOUT };

          poll (&p, 1, 100);
          continue;
        }
      if (n <= 0)
        return FALSE;
      data += n;
      len -= (gsize) n;
    }
  return TRUE;
}

static void
send_ack (Emu *emu)
{
  static const guint8 ack[] = { 0x00, 0x00, 0xFF, 0x00, 0xFF, 0x00 };

  write_all (emu->master, ack, sizeof ack);
}

static void
send_error_frame (Emu *emu)
{
  static const guint8 err[] = { 0x00, 0x00, 0xFF, 0x01, 0xFF, 0x7F, 0x81, 0x00 };

  write_all (emu->master, err, sizeof err);
}

/* A response frame: TFI D5, then @data (command code + 1 first). */
static void
send_response (Emu          *emu,
               const guint8 *data,
               gsize         len)
{
  g_autoptr(GByteArray) frame = g_byte_array_new ();
  gsize frame_len = len + 1;   /* TFI + data */
  guint8 sum = TFI_PN532;
  guint8 b;

  g_byte_array_append (frame, (const guint8 *) "\x00\x00\xFF", 3);
  if (frame_len <= 255)
    {
      guint8 l[2] = { (guint8) frame_len, (guint8) (0x100 - frame_len) };

      g_byte_array_append (frame, l, 2);
    }
  else
    {
      guint8 l[5] = { 0xFF, 0xFF, (guint8) (frame_len >> 8), (guint8) frame_len, 0 };

      l[4] = (guint8) (0x100 - ((l[2] + l[3]) & 0xFF));
      g_byte_array_append (frame, l, 5);
    }
  b = TFI_PN532;
  g_byte_array_append (frame, &b, 1);
  g_byte_array_append (frame, data, (guint) len);
  for (gsize i = 0; i < len; i++)
    sum += data[i];
  b = (guint8) (0x100 - sum);
  g_byte_array_append (frame, &b, 1);
  b = 0x00;
  g_byte_array_append (frame, &b, 1);

  logf_hex (emu, "<-", data, len);
  write_all (emu->master, frame->data, frame->len);
}

static void
power_cycle_chip (Emu *emu)
{
  emu->selected = FALSE;
  if (emu->chip)
    tp_sim_chip_reset (emu->chip);
}

static void
append_target_a (Emu        *emu,
                 GByteArray *out)
{
  g_autoptr(GBytes) uid = tp_sim_chip_get_uid (emu->chip);
  g_autoptr(GBytes) ats = tp_sim_chip_get_ats (emu->chip);
  gsize uid_len = 0, ats_len = 0;
  const guint8 *uid_data = g_bytes_get_data (uid, &uid_len);
  const guint8 *ats_data = g_bytes_get_data (ats, &ats_len);
  guint8 head[5] = { 0x01, 0x00, 0x08, 0x20, (guint8) uid_len };
  guint8 tl = (guint8) (ats_len + 1);

  g_byte_array_append (out, head, sizeof head);
  g_byte_array_append (out, uid_data, (guint) uid_len);
  g_byte_array_append (out, &tl, 1);
  g_byte_array_append (out, ats_data, (guint) ats_len);
}

static void
append_target_b (Emu        *emu,
                 GByteArray *out)
{
  g_autoptr(GBytes) uid = tp_sim_chip_get_uid (emu->chip);
  const guint8 *pupi = g_bytes_get_data (uid, NULL);
  /* Tg, ATQB: 50, PUPI, application data, protocol info (max frame 256,
   * ISO/IEC 14443-4 compliant, FWI 8), then ATTRIB_RES of one byte. */
  guint8 target[] = { 0x01, 0x50, 0, 0, 0, 0, 0x00, 0x00, 0x00, 0x00, 0x80, 0x81, 0x85, 0x01, 0x00 };

  memcpy (target + 2, pupi, 4);
  g_byte_array_append (out, target, sizeof target);
}

static void
handle_in_list_passive_target (Emu          *emu,
                               const guint8 *data,
                               gsize         len)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  guint8 code = CMD_IN_LIST_PASSIVE_TARGET + 1;
  guint8 brty = len >= 2 ? data[1] : 0xFF;
  guint8 count = 0;
  gboolean match;

  g_byte_array_append (out, &code, 1);
  g_byte_array_append (out, &count, 1);

  match = (brty == 0x00 && !emu->type_b) || (brty == 0x03 && emu->type_b);
  if (emu->card_present && emu->field_on && match)
    {
      /* A new activation: the chip starts from power-on state. */
      power_cycle_chip (emu);
      emu->selected = TRUE;
      out->data[1] = 1;
      if (emu->type_b)
        append_target_b (emu, out);
      else
        append_target_a (emu, out);
    }
  send_response (emu, out->data, out->len);
}

static void
handle_in_data_exchange (Emu          *emu,
                         const guint8 *data,
                         gsize         len)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autoptr(GError) error = NULL;
  guint8 head[2] = { CMD_IN_DATA_EXCHANGE + 1, STATUS_OK };

  if (len < 1 || data[0] != 0x01 || !emu->selected || !emu->card_present)
    {
      head[1] = emu->selected ? STATUS_NO_TARGET : STATUS_TIMEOUT;
      if (!emu->card_present)
        head[1] = STATUS_TIMEOUT;
      send_response (emu, head, 2);
      return;
    }

  g_byte_array_append (out, head, 2);
  logf_hex (emu, "C-APDU", data + 1, len - 1);
  if (len - 1 < 4 || !tp_sim_chip_transmit (emu->chip, data + 1, len - 1, out, &error))
    {
      /* The chip left the field: the PN532 times out waiting for it. */
      if (emu->verbose)
        fprintf (stderr, "pn532-emu: card lost: %s\n", error ? error->message : "short command");
      emu->selected = FALSE;
      g_byte_array_set_size (out, 2);
      out->data[1] = STATUS_TIMEOUT;
    }
  else if (out->len > 2 + 262)
    {
      /* More than the PN532 buffer holds: an overflow error. */
      g_byte_array_set_size (out, 2);
      out->data[1] = 0x09;
    }
  send_response (emu, out->data, out->len);
}

static void
handle_command (Emu          *emu,
                const guint8 *data,
                gsize         len)
{
  guint8 cmd = data[0];
  const guint8 *args = data + 1;
  gsize n_args = len - 1;
  g_autoptr(GByteArray) out = g_byte_array_new ();
  guint8 code = cmd + 1;

  logf_hex (emu, "->", data, len);
  send_ack (emu);
  g_byte_array_append (out, &code, 1);

  switch (cmd)
    {
    case CMD_DIAGNOSE:
      if (n_args >= 1 && args[0] == 0x00)
        g_byte_array_append (out, args, (guint) n_args);   /* echo test */
      else if (n_args >= 1 && args[0] == 0x06)
        {
          guint8 st = (emu->selected && emu->card_present) ? 0x00 : 0x01;

          g_byte_array_append (out, &st, 1);
        }
      else
        {
          guint8 st = 0x00;

          g_byte_array_append (out, &st, 1);
        }
      break;

    case CMD_GET_FIRMWARE_VERSION:
      /* IC PN532, firmware 1.6, supports ISO 14443 A, B and ISO 18092 */
      g_byte_array_append (out, (const guint8 *) "\x32\x01\x06\x07", 4);
      break;

    case CMD_GET_GENERAL_STATUS:
      {
        guint8 st[5] = { 0x00, emu->field_on ? 0x01 : 0x00, emu->selected ? 0x01 : 0x00, 0, 0 };

        g_byte_array_append (out, st, emu->selected ? 5 : 3);
        if (emu->selected)
          out->data[4] = 0x01;
      }
      break;

    case CMD_READ_REGISTER:
      for (gsize i = 0; i + 1 < n_args; i += 2)
        g_byte_array_append (out, &emu->registers[(args[i] << 8) | args[i + 1]], 1);
      break;

    case CMD_WRITE_REGISTER:
      for (gsize i = 0; i + 2 < n_args; i += 3)
        emu->registers[(args[i] << 8) | args[i + 1]] = args[i + 2];
      break;

    case CMD_SET_PARAMETERS:
    case CMD_SAM_CONFIGURATION:
      break;

    case CMD_POWER_DOWN:
      {
        guint8 st = STATUS_OK;

        g_byte_array_append (out, &st, 1);
      }
      break;

    case CMD_RF_CONFIGURATION:
      /* Item 01: RF field (bit 0 on). Turning it off powers the chip down. */
      if (n_args >= 2 && args[0] == 0x01)
        {
          gboolean on = (args[1] & 0x01) != 0;

          if (!on)
            power_cycle_chip (emu);
          emu->field_on = on;
        }
      break;

    case CMD_IN_LIST_PASSIVE_TARGET:
      handle_in_list_passive_target (emu, args, n_args);
      return;

    case CMD_IN_DATA_EXCHANGE:
      handle_in_data_exchange (emu, args, n_args);
      return;

    case CMD_IN_COMMUNICATE_THRU:
      {
        /* Raw frames: the chip speaks ISO-DEP through the PN532's own
         * protocol handling, so the only raw frame it answers is the
         * presence check libnfc sends, an R(NAK) block (B2/B3), with an
         * R(ACK) of the same block number. */
        guint8 st = STATUS_TIMEOUT;

        if (emu->selected && emu->card_present && n_args == 1 && (args[0] & 0xF6) == 0xB2)
          {
            guint8 ack = 0xA2 | (args[0] & 0x01);

            st = STATUS_OK;
            g_byte_array_append (out, &st, 1);
            g_byte_array_append (out, &ack, 1);
            break;
          }
        g_byte_array_append (out, &st, 1);
      }
      break;

    case CMD_IN_DESELECT:
    case CMD_IN_RELEASE:
    case CMD_IN_SELECT:
      {
        guint8 st = STATUS_OK;

        if (cmd == CMD_IN_RELEASE)
          power_cycle_chip (emu);
        else if (cmd == CMD_IN_SELECT)
          st = emu->card_present ? STATUS_OK : STATUS_TIMEOUT;
        g_byte_array_append (out, &st, 1);
      }
      break;

    case CMD_IN_AUTO_POLL:
      {
        guint8 count = 0;

        g_byte_array_append (out, &count, 1);
        if (emu->card_present && emu->field_on)
          {
            g_autoptr(GByteArray) target = g_byte_array_new ();
            guint8 type = emu->type_b ? 0x23 : 0x20;   /* ISO 14443-4 A / B */
            guint8 tlen;

            power_cycle_chip (emu);
            emu->selected = TRUE;
            if (emu->type_b)
              append_target_b (emu, target);
            else
              append_target_a (emu, target);
            tlen = (guint8) target->len;
            out->data[1] = 1;
            g_byte_array_append (out, &type, 1);
            g_byte_array_append (out, &tlen, 1);
            g_byte_array_append (out, target->data, target->len);
          }
      }
      break;

    default:
      if (emu->verbose)
        fprintf (stderr, "pn532-emu: command %02X not emulated\n", cmd);
      send_error_frame (emu);
      return;
    }

  send_response (emu, out->data, out->len);
}

/* Takes every complete frame off the front of emu->in. */
static void
process_input (Emu *emu)
{
  GByteArray *in = emu->in;

  for (;;)
    {
      gsize start = 0, hdr, data_len, i;
      guint8 sum;
      gboolean found = FALSE;

      /* Start code 00 FF */
      for (start = 0; start + 1 < in->len; start++)
        if (in->data[start] == 0x00 && in->data[start + 1] == 0xFF)
          {
            found = TRUE;
            break;
          }
      if (!found)
        {
          /* Keep a trailing 00 that may begin a start code. */
          if (in->len > 0)
            g_byte_array_remove_range (in, 0, in->len - (in->data[in->len - 1] == 0x00 ? 1 : 0));
          return;
        }
      if (start > 0)
        g_byte_array_remove_range (in, 0, (guint) start);

      if (in->len < 4)
        return;
      /* ACK / NACK from the host: an abort of the running command. */
      if ((in->data[2] == 0x00 && in->data[3] == 0xFF) ||
          (in->data[2] == 0xFF && in->data[3] == 0x00))
        {
          g_byte_array_remove_range (in, 0, MIN (in->len, 5));
          continue;
        }
      if (in->data[2] == 0xFF && in->data[3] == 0xFF)
        {
          if (in->len < 7)
            return;
          if (((in->data[4] + in->data[5] + in->data[6]) & 0xFF) != 0)
            {
              g_byte_array_remove_range (in, 0, 2);
              continue;
            }
          data_len = ((gsize) in->data[4] << 8) | in->data[5];
          hdr = 7;
        }
      else
        {
          if (((in->data[2] + in->data[3]) & 0xFF) != 0)
            {
              g_byte_array_remove_range (in, 0, 2);
              continue;
            }
          data_len = in->data[2];
          hdr = 4;
        }
      if (in->len < hdr + data_len + 2)
        return;

      sum = 0;
      for (i = 0; i < data_len + 1; i++)
        sum += in->data[hdr + i];
      if (sum != 0 || data_len < 2 || in->data[hdr] != TFI_HOST)
        {
          if (emu->verbose)
            fprintf (stderr, "pn532-emu: bad frame dropped\n");
          g_byte_array_remove_range (in, 0, (guint) (hdr + data_len + 1));
          continue;
        }

      {
        g_autofree guint8 *cmd = g_memdup2 (in->data + hdr + 1, data_len - 1);

        g_byte_array_remove_range (in, 0, (guint) (hdr + data_len + 1));
        handle_command (emu, cmd, data_len - 1);
      }
    }
}

static gboolean
handle_control_line (Emu        *emu,
                     const char *line)
{
  if (g_str_equal (line, "remove"))
    {
      emu->card_present = FALSE;
      emu->selected = FALSE;
    }
  else if (g_str_equal (line, "insert"))
    emu->card_present = TRUE;
  else if (g_str_equal (line, "quit"))
    return FALSE;
  else if (*line)
    fprintf (stderr, "pn532-emu: unknown control “%s” (remove, insert, quit)\n", line);
  printf ("ok %s\n", line);
  fflush (stdout);
  return TRUE;
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *profile = NULL;
  gboolean type_b = FALSE, no_card = FALSE, control = FALSE, verbose = FALSE;
  GOptionEntry entries[] = {
    { "profile", 'p', 0, G_OPTION_ARG_STRING, &profile, "Software chip specification (default pace-ecdh-aes128)", "SPEC" },
    { "type-b", 0, 0, G_OPTION_ARG_NONE, &type_b, "Present an ISO/IEC 14443 type B card", NULL },
    { "no-card", 0, 0, G_OPTION_ARG_NONE, &no_card, "Start with no card in the field", NULL },
    { "control", 0, 0, G_OPTION_ARG_NONE, &control, "Read remove/insert/quit lines on standard input; quit at end of input", NULL },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose, "Log every frame on standard error", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- emulated PN532 reader on a pseudo-terminal");
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) control_buf = g_string_new (NULL);
  Emu *emu;
  const char *path;
  struct termios tio;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "tp-pn532-emu: %s\n", error->message);
      return 2;
    }

  emu = g_new0 (Emu, 1);
  emu->in = g_byte_array_new ();
  emu->type_b = type_b;
  emu->card_present = !no_card;
  emu->field_on = TRUE;
  emu->verbose = verbose;
  emu->chip = tp_sim_chip_new (profile ? profile : "pace-ecdh-aes128", &error);
  if (emu->chip == NULL)
    {
      fprintf (stderr, "tp-pn532-emu: %s\n", error->message);
      return 2;
    }

  emu->master = posix_openpt (O_RDWR | O_NOCTTY);
  if (emu->master < 0 || grantpt (emu->master) < 0 || unlockpt (emu->master) < 0 ||
      (path = ptsname (emu->master)) == NULL)
    {
      fprintf (stderr, "tp-pn532-emu: cannot create a pseudo-terminal: %s\n", g_strerror (errno));
      return 1;
    }
  /* Hold the slave open ourselves: the master then never sees a hang-up
   * when libnfc closes the port, and the port can be opened again. Raw
   * mode, so that what libnfc restores on close is raw too. */
  emu->slave = open (path, O_RDWR | O_NOCTTY);
  if (emu->slave < 0 || tcgetattr (emu->slave, &tio) < 0)
    {
      fprintf (stderr, "tp-pn532-emu: cannot open %s: %s\n", path, g_strerror (errno));
      return 1;
    }
  cfmakeraw (&tio);
  cfsetspeed (&tio, B115200);
  tcsetattr (emu->slave, TCSANOW, &tio);

  printf ("%s\n", path);
  fflush (stdout);

  for (;;)
    {
      struct pollfd fds[2] = {
        { .fd = emu->master, .events = POLLIN },
        { .fd = control ? STDIN_FILENO : -1, .events = POLLIN },
      };
      guint8 buf[4096];
      ssize_t n;

      if (poll (fds, 2, -1) < 0)
        {
          if (errno == EINTR)
            continue;
          break;
        }

      if (fds[0].revents & POLLIN)
        {
          n = read (emu->master, buf, sizeof buf);
          if (n > 0)
            {
              g_byte_array_append (emu->in, buf, (guint) n);
              process_input (emu);
            }
        }

      if (fds[1].revents & (POLLIN | POLLHUP))
        {
          char *nl;

          n = read (STDIN_FILENO, buf, sizeof buf);
          if (n <= 0)
            break;
          g_string_append_len (control_buf, (const char *) buf, n);
          while ((nl = strchr (control_buf->str, '\n')) != NULL)
            {
              g_autofree char *line = g_strndup (control_buf->str, (gsize) (nl - control_buf->str));

              g_string_erase (control_buf, 0, nl - control_buf->str + 1);
              if (!handle_control_line (emu, g_strstrip (line)))
                goto out;
            }
        }
    }

out:
  close (emu->slave);
  close (emu->master);
  tp_sim_chip_free (emu->chip);
  g_byte_array_unref (emu->in);
  g_free (emu);
  return 0;
}
