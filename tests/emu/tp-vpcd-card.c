/* tp-vpcd-card.c: the software chip as a card in the vpcd virtual reader
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Test fixture for the PC/SC transport. vsmartcard's vpcd reader driver
 * (loaded by pcscd) listens on a TCP port, 35963 for "Virtual PCD 00 00";
 * a card is a process that connects to it. While connected, the card is
 * in the reader. Messages both ways are a two-byte big-endian length and
 * that many bytes. From the reader, a one-byte message is a control:
 * 00 power off, 01 power on, 02 reset, 04 "send your ATR" (answered with
 * the ATR); anything longer is a C-APDU, answered with the R-APDU.
 *
 * Usage: tp-vpcd-card [--profile SPEC] [--host H] [--port N]
 *                     [--control] [--verbose]
 * Connects (retrying for a while if pcscd is not listening yet), prints
 * "ready" on standard output, and serves the chip. When the chip drops the
 * field (the drop-field quirk) the card leaves the reader and comes back
 * a moment later, as a passport slid on a reader does. With --control,
 * lines on standard input drive it: "remove", "insert", "quit"; end of
 * input quits.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <glib.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tp-sim-chip.h"

typedef struct {
  TpSimChip  *chip;
  char       *host;
  int         port;
  int         sock;
  gboolean    verbose;
  gboolean    powered;
  GByteArray *in;
} Card;

static void
log_hex (Card         *card,
         const char   *what,
         const guint8 *data,
         gsize         len)
{
  g_autoptr(GString) s = NULL;

  if (!card->verbose)
    return;
  s = g_string_new (what);
  for (gsize i = 0; i < len && i < 64; i++)
    g_string_append_printf (s, " %02X", data[i]);
  if (len > 64)
    g_string_append_printf (s, " ... (%" G_GSIZE_FORMAT " bytes)", len);
  fprintf (stderr, "vpcd-card: %s\n", s->str);
}

static gboolean
card_connect (Card *card,
              guint timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  struct sockaddr_in addr = { 0 };
  int one = 1;

  addr.sin_family = AF_INET;
  addr.sin_port = htons ((guint16) card->port);
  if (inet_pton (AF_INET, card->host, &addr.sin_addr) != 1)
    {
      fprintf (stderr, "tp-vpcd-card: “%s” is not an IPv4 address\n", card->host);
      return FALSE;
    }

  for (;;)
    {
      card->sock = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
      if (card->sock < 0)
        return FALSE;
      if (connect (card->sock, (struct sockaddr *) &addr, sizeof addr) == 0)
        break;
      close (card->sock);
      card->sock = -1;
      if (g_get_monotonic_time () >= deadline)
        {
          fprintf (stderr, "tp-vpcd-card: nothing listens on %s:%d (is pcscd running with the vpcd driver?)\n",
                   card->host, card->port);
          return FALSE;
        }
      g_usleep (100 * 1000);
    }
  setsockopt (card->sock, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  g_byte_array_set_size (card->in, 0);
  card->powered = FALSE;
  if (card->verbose)
    fprintf (stderr, "vpcd-card: in the reader (%s:%d)\n", card->host, card->port);
  return TRUE;
}

static void
card_remove (Card *card)
{
  if (card->sock >= 0)
    close (card->sock);
  card->sock = -1;
  card->powered = FALSE;
  tp_sim_chip_reset (card->chip);
  if (card->verbose)
    fprintf (stderr, "vpcd-card: out of the reader\n");
}

static gboolean
send_message (Card         *card,
              const guint8 *data,
              gsize         len)
{
  guint8 head[2] = { (guint8) (len >> 8), (guint8) len };
  struct iovec iov[2] = { { head, 2 }, { (void *) data, len } };
  struct msghdr msg = { .msg_iov = iov, .msg_iovlen = 2 };
  gsize total = len + 2, sent = 0;

  g_assert (len <= 0xFFFF);
  while (sent < total)
    {
      ssize_t n = sendmsg (card->sock, &msg, MSG_NOSIGNAL);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;
      sent += (gsize) n;
      /* Advance the vectors past what went out. */
      while (n > 0 && msg.msg_iovlen > 0)
        {
          if ((gsize) n >= msg.msg_iov[0].iov_len)
            {
              n -= (ssize_t) msg.msg_iov[0].iov_len;
              msg.msg_iov++;
              msg.msg_iovlen--;
            }
          else
            {
              msg.msg_iov[0].iov_base = (guint8 *) msg.msg_iov[0].iov_base + n;
              msg.msg_iov[0].iov_len -= (gsize) n;
              n = 0;
            }
        }
    }
  return TRUE;
}

/* Handles one message from the reader. FALSE when the card has to leave
 * the reader (connection lost, or the chip dropped the field). */
static gboolean
handle_message (Card         *card,
                const guint8 *msg,
                gsize         len)
{
  if (len == 1)
    {
      switch (msg[0])
        {
        case 0x00:  /* power off */
          card->powered = FALSE;
          tp_sim_chip_reset (card->chip);
          return TRUE;
        case 0x01:  /* power on */
        case 0x02:  /* reset */
          card->powered = TRUE;
          tp_sim_chip_reset (card->chip);
          return TRUE;
        case 0x04:  /* ATR */
          {
            g_autoptr(GBytes) atr = tp_sim_chip_get_atr (card->chip);
            gsize atr_len = 0;
            const guint8 *atr_data = g_bytes_get_data (atr, &atr_len);

            return send_message (card, atr_data, atr_len);
          }
        default:
          if (card->verbose)
            fprintf (stderr, "vpcd-card: unknown control %02X ignored\n", msg[0]);
          return TRUE;
        }
    }
  else
    {
      g_autoptr(GByteArray) rapdu = g_byte_array_new ();
      g_autoptr(GError) error = NULL;

      log_hex (card, "C-APDU", msg, len);
      if (!tp_sim_chip_transmit (card->chip, msg, len, rapdu, &error))
        {
          if (card->verbose)
            fprintf (stderr, "vpcd-card: field lost: %s\n", error->message);
          return FALSE;
        }
      if (rapdu->len > 0xFFFF)
        g_byte_array_set_size (rapdu, 0);
      log_hex (card, "R-APDU", rapdu->data, rapdu->len);
      return send_message (card, rapdu->data, rapdu->len);
    }
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *profile = NULL;
  g_autofree char *host = NULL;
  int port = 35963;
  gboolean control = FALSE, verbose = FALSE;
  GOptionEntry entries[] = {
    { "profile", 'p', 0, G_OPTION_ARG_STRING, &profile, "Software chip specification (default pace-ecdh-aes128)", "SPEC" },
    { "host", 0, 0, G_OPTION_ARG_STRING, &host, "vpcd address (default 127.0.0.1)", "ADDRESS" },
    { "port", 0, 0, G_OPTION_ARG_INT, &port, "vpcd port (default 35963)", "PORT" },
    { "control", 0, 0, G_OPTION_ARG_NONE, &control, "Read remove/insert/quit lines on standard input; quit at end of input", NULL },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose, "Log every APDU on standard error", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- the software chip as a vpcd card");
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) control_buf = g_string_new (NULL);
  gboolean inserted = TRUE;
  gint64 reinsert_at = 0;
  int one = 1;
  Card card = { 0 };

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "tp-vpcd-card: %s\n", error->message);
      return 2;
    }

  card.chip = tp_sim_chip_new (profile ? profile : "pace-ecdh-aes128", &error);
  if (card.chip == NULL)
    {
      fprintf (stderr, "tp-vpcd-card: %s\n", error->message);
      return 2;
    }
  card.host = host ? host : (char *) "127.0.0.1";
  card.port = port;
  card.verbose = verbose;
  card.sock = -1;
  card.in = g_byte_array_new ();

  if (!card_connect (&card, 10000))
    return 1;
  printf ("ready\n");
  fflush (stdout);

  for (;;)
    {
      struct pollfd fds[2] = {
        { .fd = card.sock, .events = POLLIN },
        { .fd = control ? STDIN_FILENO : -1, .events = POLLIN },
      };
      int timeout = -1;
      guint8 buf[8192];
      ssize_t n;

      if (card.sock < 0 && inserted)
        {
          gint64 now = g_get_monotonic_time ();

          if (now >= reinsert_at)
            {
              if (!card_connect (&card, 5000))
                break;
              continue;
            }
          timeout = (int) ((reinsert_at - now) / 1000) + 1;
        }

      if (poll (fds, 2, timeout) < 0)
        {
          if (errno == EINTR)
            continue;
          break;
        }

      if (card.sock >= 0 && (fds[0].revents & (POLLIN | POLLHUP | POLLERR)))
        {
          gboolean keep = TRUE;

          n = recv (card.sock, buf, sizeof buf, 0);
          /* The driver writes a length and then the data: acknowledge at
           * once so its Nagle wait does not add 40 ms to every APDU. */
          setsockopt (card.sock, IPPROTO_TCP, TCP_QUICKACK, &one, sizeof one);
          if (n <= 0)
            keep = FALSE;
          else
            g_byte_array_append (card.in, buf, (guint) n);

          while (keep && card.in->len >= 2)
            {
              gsize len = ((gsize) card.in->data[0] << 8) | card.in->data[1];
              g_autofree guint8 *msg = NULL;

              if (card.in->len < len + 2)
                break;
              msg = g_memdup2 (card.in->data + 2, len);
              g_byte_array_remove_range (card.in, 0, (guint) len + 2);
              keep = handle_message (&card, msg, len);
            }
          if (!keep)
            {
              /* Out of the field; back a second later (if not removed), as
               * a hand puts a passport back: long enough for pcscd's
               * presence polling to see it leave. */
              card_remove (&card);
              reinsert_at = g_get_monotonic_time () + 1000 * 1000;
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
              g_strstrip (line);
              if (g_str_equal (line, "quit"))
                goto out;
              if (g_str_equal (line, "remove"))
                {
                  inserted = FALSE;
                  card_remove (&card);
                }
              else if (g_str_equal (line, "insert"))
                {
                  inserted = TRUE;
                  reinsert_at = 0;
                }
              else if (*line)
                fprintf (stderr, "tp-vpcd-card: unknown control “%s” (remove, insert, quit)\n", line);
              printf ("ok %s\n", line);
              fflush (stdout);
            }
        }
    }

out:
  if (card.sock >= 0)
    close (card.sock);
  tp_sim_chip_free (card.chip);
  g_byte_array_unref (card.in);
  return 0;
}
