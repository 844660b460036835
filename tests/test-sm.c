/* test-sm.c: APDU coding and secure messaging, both sides
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <openssl/evp.h>

#include "tp-apdu.h"
#include "tp-chip-error.h"
#include "tp-sm.h"
#include "tp-test-util.h"

static GByteArray *
pattern (gsize len)
{
  GByteArray *out = g_byte_array_sized_new (len);

  for (gsize i = 0; i < len; i++)
    {
      guint8 b = (i * 7 + 3) & 0xFF;
      g_byte_array_append (out, &b, 1);
    }
  return out;
}

/* APDU coding */

static void
check_encoding (TpApdu     *apdu,
                const char *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GByteArray) encoded = tp_apdu_encode (apdu, &error);
  g_autoptr(TpApdu) parsed = NULL;

  g_assert_no_error (error);
  tp_test_assert_bytes (encoded->data, encoded->len, expected);

  parsed = tp_apdu_parse (encoded->data, encoded->len, &error);
  g_assert_no_error (error);
  g_assert_cmphex (parsed->cla, ==, apdu->cla);
  g_assert_cmphex (parsed->ins, ==, apdu->ins);
  g_assert_cmphex (parsed->p1, ==, apdu->p1);
  g_assert_cmphex (parsed->p2, ==, apdu->p2);
  g_assert_cmpmem (parsed->data->data, parsed->data->len, apdu->data->data, apdu->data->len);
  g_assert_cmpuint (parsed->le, ==, apdu->le);
  g_assert_cmpint (parsed->extended, ==, tp_apdu_is_extended (apdu));
}

static void
test_apdu_encode (void)
{
  g_autoptr(GByteArray) big = pattern (300);
  g_autoptr(GError) error = NULL;
  TpApdu *apdu;
  g_autofree char *big_hex = tp_test_to_hex (big->data, big->len);
  g_autofree char *expected = NULL;

  apdu = tp_apdu_new (0x00, 0xA4, 0x04, 0x0C, NULL, 0, 0);        /* case 1 */
  check_encoding (apdu, "00A4040C");
  tp_apdu_free (apdu);

  apdu = tp_apdu_new (0x00, 0xB0, 0x00, 0x00, NULL, 0, 256);      /* case 2S, Le 00 */
  check_encoding (apdu, "00B0000000");
  tp_apdu_free (apdu);

  apdu = tp_apdu_new (0x00, 0x84, 0x00, 0x00, NULL, 0, 8);        /* case 2S */
  check_encoding (apdu, "0084000008");
  tp_apdu_free (apdu);

  apdu = tp_apdu_new (0x00, 0xA4, 0x02, 0x0C, (const guint8 *) "\x01\x1E", 2, 0); /* 3S */
  check_encoding (apdu, "00A4020C02011E");
  tp_apdu_free (apdu);

  apdu = tp_apdu_new (0x00, 0x88, 0x00, 0x00, (const guint8 *) "\x11\x22", 2, 256); /* 4S */
  check_encoding (apdu, "00880000021122" "00");
  tp_apdu_free (apdu);

  apdu = tp_apdu_new (0x00, 0xB0, 0x00, 0x00, NULL, 0, 65536);    /* case 2E, Le 0000 */
  check_encoding (apdu, "00B00000" "000000");
  tp_apdu_free (apdu);

  apdu = tp_apdu_new (0x00, 0xB0, 0x00, 0x00, NULL, 0, 1000);     /* case 2E */
  check_encoding (apdu, "00B00000" "0003E8");
  tp_apdu_free (apdu);

  apdu = tp_apdu_new (0x00, 0xB0, 0x00, 0x00, NULL, 0, 4);        /* forced extended */
  apdu->extended = TRUE;
  check_encoding (apdu, "00B00000" "000004");
  tp_apdu_free (apdu);

  apdu = tp_apdu_new (0x00, 0xD6, 0x00, 0x00, big->data, big->len, 0); /* 3E */
  expected = g_strconcat ("00D60000" "00012C", big_hex, NULL);
  check_encoding (apdu, expected);
  tp_apdu_free (apdu);
  g_clear_pointer (&expected, g_free);

  apdu = tp_apdu_new (0x00, 0x86, 0x00, 0x00, big->data, big->len, 65536); /* 4E */
  expected = g_strconcat ("00860000" "00012C", big_hex, "0000", NULL);
  check_encoding (apdu, expected);
  tp_apdu_free (apdu);

  apdu = tp_apdu_new (0x00, 0xB0, 0x00, 0x00, NULL, 0, 65537);
  g_assert_null (tp_apdu_encode (apdu, &error));
  g_assert_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_INVALID_ARGUMENT);
  tp_apdu_free (apdu);
}

static void
test_apdu_parse_malformed (void)
{
  const char *bad[] = {
    "",
    "00A404",
    "00A4040C0301",          /* Lc 3, one byte */
    "00A4040C0201020304",    /* Lc 2, three left */
    "00B0000000FF",          /* 00 then one byte */
    "00B00000000002AA",      /* extended Lc 2, one byte */
    "00B000000000001122",    /* extended Lc 0000 with data */
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GByteArray) b = tp_test_hex (bad[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(TpApdu) apdu = tp_apdu_parse (b->data, b->len, &error);

      g_assert_null (apdu);
      g_assert_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_PROTOCOL);
    }
}

static void
test_rapdu_split (void)
{
  g_autoptr(GError) error = NULL;
  const guint8 ok[] = { 0x01, 0x02, 0x90, 0x00 };
  gsize data_len = 0;
  guint16 sw = 0;

  g_assert_true (tp_rapdu_split (ok, sizeof ok, &data_len, &sw, &error));
  g_assert_cmpuint (data_len, ==, 2);
  g_assert_cmphex (sw, ==, 0x9000);

  g_assert_false (tp_rapdu_split (ok, 1, &data_len, &sw, &error));
  g_assert_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_PROTOCOL);
}

/* A card that answers 61xx and hands its answer out in pieces */
typedef struct {
  GByteArray *answer;
  gsize       pos;
  guint       exchanges;
} ChainedCard;

static gboolean
chained_transmit (gpointer       user_data,
                  const guint8  *capdu,
                  gsize          capdu_len,
                  GByteArray    *rapdu,
                  GError       **error)
{
  ChainedCard *card = user_data;
  gsize left = card->answer->len - card->pos;
  gsize n = MIN (left, 100);

  card->exchanges++;
  if (card->exchanges > 1)
    {
      g_assert_cmpuint (capdu_len, ==, 5);
      g_assert_cmphex (capdu[1], ==, 0xC0);
    }
  g_byte_array_append (rapdu, card->answer->data + card->pos, n);
  card->pos += n;
  left -= n;
  if (left > 0)
    tp_rapdu_append_sw (rapdu, 0x6100 | MIN (left, 255));
  else
    tp_rapdu_append_sw (rapdu, 0x9000);
  return TRUE;
}

static void
test_get_response (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GByteArray) answer = pattern (350);
  g_autoptr(GByteArray) data = g_byte_array_new ();
  g_autoptr(TpApdu) apdu = tp_apdu_new (0x00, 0xB0, 0, 0, NULL, 0, 256);
  ChainedCard card = { answer, 0, 0 };
  guint16 sw = 0;

  g_assert_true (tp_apdu_transmit (chained_transmit, &card, apdu, data, &sw, &error));
  g_assert_no_error (error);
  g_assert_cmphex (sw, ==, 0x9000);
  g_assert_cmpuint (card.exchanges, ==, 4);
  g_assert_cmpmem (data->data, data->len, answer->data, answer->len);
}

/* Announces more data forever and never sends any */
static gboolean
empty_chain_transmit (gpointer       user_data,
                      const guint8  *capdu,
                      gsize          capdu_len,
                      GByteArray    *rapdu,
                      GError       **error)
{
  guint *exchanges = user_data;

  (*exchanges)++;
  g_assert_cmpuint (*exchanges, <, 100);
  if (*exchanges == 1)
    g_byte_array_append (rapdu, (const guint8 *) "AB", 2);
  tp_rapdu_append_sw (rapdu, 0x6110);
  return TRUE;
}

static void
test_get_response_without_data (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GByteArray) data = g_byte_array_new ();
  g_autoptr(TpApdu) apdu = tp_apdu_new (0x00, 0xB0, 0, 0, NULL, 0, 256);
  guint exchanges = 0;
  guint16 sw = 0;

  g_assert_false (tp_apdu_transmit (empty_chain_transmit, &exchanges, apdu, data, &sw, &error));
  g_assert_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_PROTOCOL);
  g_assert_nonnull (strstr (error->message, "6110"));
  g_assert_cmpuint (exchanges, ==, 2);
}

static gboolean
failing_transmit (gpointer       user_data,
                  const guint8  *capdu,
                  gsize          capdu_len,
                  GByteArray    *rapdu,
                  GError       **error)
{
  if (GPOINTER_TO_INT (user_data) == 1)
    {
      g_set_error_literal (error, TP_CHIP_ERROR, TP_CHIP_ERROR_COMMUNICATION, "card removed");
      return FALSE;
    }
  g_byte_array_append (rapdu, (const guint8 *) "\x90", 1);   /* half a status word */
  return TRUE;
}

static void
test_transmit_failures (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpApdu) apdu = tp_apdu_new (0x00, 0x84, 0, 0, NULL, 0, 8);

  g_assert_false (tp_apdu_transmit (failing_transmit, GINT_TO_POINTER (1), apdu, NULL, NULL, &error));
  g_assert_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_COMMUNICATION);
  g_clear_error (&error);

  g_assert_false (tp_apdu_transmit (failing_transmit, GINT_TO_POINTER (2), apdu, NULL, NULL, &error));
  g_assert_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_PROTOCOL);
}

/* Key derivation */

static void
test_kdf (void)
{
  g_autoptr(GError) error = NULL;
  /* ICAO 9303-11 Appendix G.1: K_pi = KDF(SHA-1(MRZ information), 3) */
  g_autoptr(GByteArray) mrz_hash = tp_test_hex ("7E2D2A41C74EA0B38CD36F863939BFA8E9032AAD");
  /* G.1: KSenc and KSmac from the shared secret K.x */
  g_autoptr(GByteArray) k = tp_test_hex ("28768D20701247DAE81804C9E780EDE582A9996DB4A315020B2733197DB84925");
  guint8 key[32];
  guint8 digest[32];
  guint8 counter[4] = { 0, 0, 0, 1 };
  g_autoptr(GByteArray) input = NULL;

  g_assert_true (tp_sm_kdf (TP_SM_CIPHER_AES_128, mrz_hash->data, mrz_hash->len,
                            TP_SM_KDF_PACE, key, &error));
  tp_test_assert_bytes (key, 16, "89DED1B26624EC1E634C1989302849DD");

  g_assert_true (tp_sm_kdf (TP_SM_CIPHER_AES_128, k->data, k->len, TP_SM_KDF_ENC, key, &error));
  tp_test_assert_bytes (key, 16, "F5F0E35C0D7161EE6724EE513A0D9A7F");
  g_assert_true (tp_sm_kdf (TP_SM_CIPHER_AES_128, k->data, k->len, TP_SM_KDF_MAC, key, &error));
  tp_test_assert_bytes (key, 16, "FE251C7858B356B24514B3BD5F4297D1");

  /* AES-192/256 take SHA-256 */
  input = g_byte_array_new ();
  g_byte_array_append (input, k->data, k->len);
  g_byte_array_append (input, counter, 4);
  EVP_Digest (input->data, input->len, digest, NULL, EVP_sha256 (), NULL);
  g_assert_true (tp_sm_kdf (TP_SM_CIPHER_AES_256, k->data, k->len, TP_SM_KDF_ENC, key, &error));
  g_assert_cmpmem (key, 32, digest, 32);
  g_assert_true (tp_sm_kdf (TP_SM_CIPHER_AES_192, k->data, k->len, TP_SM_KDF_ENC, key, &error));
  g_assert_cmpmem (key, 24, digest, 24);
  g_assert_no_error (error);
}

static void
test_parity (void)
{
  guint8 key[4] = { 0x00, 0x01, 0xFE, 0x7F };

  tp_des_set_odd_parity (key, 4);
  tp_test_assert_bytes (key, 4, "0101FE7F");
}

static void
test_padding (void)
{
  g_autoptr(GByteArray) buf = tp_test_hex ("0102");
  gsize len = 0;

  tp_sm_pad (buf, 8);
  tp_test_assert_bytes (buf->data, buf->len, "0102800000000000");
  g_assert_true (tp_sm_unpad (buf->data, buf->len, &len));
  g_assert_cmpuint (len, ==, 2);

  g_byte_array_set_size (buf, 0);
  tp_sm_pad (buf, 8);
  tp_test_assert_bytes (buf->data, buf->len, "8000000000000000");

  g_assert_false (tp_sm_unpad ((const guint8 *) "\x01\x00\x00", 3, &len));
  g_assert_false (tp_sm_unpad ((const guint8 *) "\x00\x00", 2, &len));
}

/* Sessions */

typedef struct {
  TpSm *terminal;
  TpSm *chip;
} Pair;

static void
pair_init (Pair       *pair,
           TpSmCipher  cipher)
{
  guint8 k_enc[32];
  guint8 k_mac[32];
  guint8 ssc[16];

  for (guint i = 0; i < 32; i++)
    {
      k_enc[i] = 0x10 + i;
      k_mac[i] = 0xA0 ^ i;
    }
  for (guint i = 0; i < 16; i++)
    ssc[i] = i == 15 ? 0xFE : (i < 4 ? 0 : 0xFF);   /* carries across bytes */

  pair->terminal = tp_sm_new (cipher, k_enc, k_mac, ssc);
  pair->chip = tp_sm_new (cipher, k_enc, k_mac, ssc);
}

static void
pair_clear (Pair *pair)
{
  g_clear_pointer (&pair->terminal, tp_sm_free);
  g_clear_pointer (&pair->chip, tp_sm_free);
}

/* Command terminal -> chip, answer chip -> terminal; checks both ends */
static void
exchange (Pair        *pair,
          TpApdu      *command,
          const guint8 *answer,
          gsize        answer_len,
          guint16      answer_sw)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GByteArray) capdu = NULL;
  g_autoptr(GByteArray) rapdu = NULL;
  g_autoptr(GByteArray) data = g_byte_array_new ();
  g_autoptr(TpApdu) received = NULL;
  guint8 ssc_terminal[16];
  guint8 ssc_chip[16];
  guint16 sw = 0;

  capdu = tp_sm_protect_command (pair->terminal, command, &error);
  g_assert_no_error (error);
  g_assert_cmphex (capdu->data[0], ==, command->cla | 0x0C);

  received = tp_sm_unprotect_command (pair->chip, capdu->data, capdu->len, &sw, &error);
  g_assert_no_error (error);
  g_assert_cmphex (sw, ==, 0x9000);
  g_assert_cmphex (received->cla, ==, command->cla);
  g_assert_cmphex (received->ins, ==, command->ins);
  g_assert_cmphex (received->p1, ==, command->p1);
  g_assert_cmphex (received->p2, ==, command->p2);
  g_assert_cmpmem (received->data->data, received->data->len,
                   command->data->data, command->data->len);
  g_assert_cmpuint (received->le, ==, command->le);

  rapdu = tp_sm_protect_response (pair->chip, answer, answer_len, answer_sw, &error);
  g_assert_no_error (error);
  if (command->ins & 1 && answer_len > 0)
    g_assert_cmphex (rapdu->data[0], ==, 0x85);
  else if (answer_len > 0)
    g_assert_cmphex (rapdu->data[0], ==, 0x87);

  g_assert_true (tp_sm_unprotect_response (pair->terminal, rapdu->data, rapdu->len,
                                           data, &sw, &error));
  g_assert_no_error (error);
  g_assert_cmphex (sw, ==, answer_sw);
  g_assert_cmpmem (data->data, data->len, answer, answer_len);
  g_assert_true (tp_sm_last_response_authenticated (pair->terminal));

  tp_sm_get_ssc (pair->terminal, ssc_terminal);
  tp_sm_get_ssc (pair->chip, ssc_chip);
  g_assert_cmpmem (ssc_terminal, tp_sm_cipher_block_size (tp_sm_get_cipher (pair->terminal)),
                   ssc_chip, tp_sm_cipher_block_size (tp_sm_get_cipher (pair->chip)));
}

static void
test_round_trip (gconstpointer user_data)
{
  TpSmCipher cipher = GPOINTER_TO_INT (user_data);
  g_autoptr(GByteArray) blob = pattern (1000);
  const gsize sizes[] = { 0, 1, 7, 8, 15, 16, 17, 223, 231, 255, 256, 300, 1000 };
  Pair pair;
  guint8 ssc_before[16];
  guint8 ssc_after[16];
  TpApdu *apdu;

  pair_init (&pair, cipher);
  tp_sm_get_ssc (pair.terminal, ssc_before);

  /* SELECT by file identifier, no Le */
  apdu = tp_apdu_new (0x00, 0xA4, 0x02, 0x0C, (const guint8 *) "\x01\x1E", 2, 0);
  exchange (&pair, apdu, NULL, 0, 0x9000);
  tp_apdu_free (apdu);

  /* The SSC went up by two, with carries */
  tp_sm_get_ssc (pair.terminal, ssc_after);
  if (cipher == TP_SM_CIPHER_3DES)
    {
      tp_test_assert_bytes (ssc_before, 8, "00000000FFFFFFFF");
      tp_test_assert_bytes (ssc_after, 8, "0000000100000001");
    }
  else
    {
      tp_test_assert_bytes (ssc_before, 16, "00000000FFFFFFFFFFFFFFFFFFFFFFFE");
      tp_test_assert_bytes (ssc_after, 16, "00000001000000000000000000000000");
    }

  /* An error status, protected */
  apdu = tp_apdu_new (0x00, 0xA4, 0x02, 0x0C, (const guint8 *) "\x01\x0F", 2, 0);
  exchange (&pair, apdu, NULL, 0, 0x6A82);
  tp_apdu_free (apdu);

  /* READ BINARY of many sizes, short and extended Le */
  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      guint32 le = sizes[i] == 0 ? 256 : sizes[i];

      apdu = tp_apdu_new (0x00, 0xB0, 0x00, i, NULL, 0, le);
      exchange (&pair, apdu, blob->data, sizes[i], sizes[i] > 0 ? 0x9000 : 0x6282);
      tp_apdu_free (apdu);
    }

  /* Extended Le 65536 ('0000' in DO'97') */
  apdu = tp_apdu_new (0x00, 0xB0, 0x00, 0x00, NULL, 0, 65536);
  exchange (&pair, apdu, blob->data, 1000, 0x9000);
  tp_apdu_free (apdu);

  /* Odd INS: READ BINARY B1 with an offset data object, DO'85' both ways */
  apdu = tp_apdu_new (0x00, 0xB1, 0x00, 0x01, (const guint8 *) "\x54\x02\x7F\xFF", 4, 256);
  exchange (&pair, apdu, (const guint8 *) "\x53\x03\x01\x02\x03", 5, 0x9000);
  tp_apdu_free (apdu);

  /* Command data of every length around block boundaries and past 255 */
  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      if (sizes[i] == 0)
        continue;
      apdu = tp_apdu_new (0x00, 0x86, 0x00, 0x00, blob->data, sizes[i], 256);
      exchange (&pair, apdu, blob->data, 16, 0x9000);
      tp_apdu_free (apdu);
    }

  /* No data, no Le */
  apdu = tp_apdu_new (0x80, 0x20, 0x00, 0x00, NULL, 0, 0);
  exchange (&pair, apdu, NULL, 0, 0x9000);
  tp_apdu_free (apdu);

  pair_clear (&pair);
}

static void
test_extended_encoding (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GByteArray) capdu = NULL;
  Pair pair;
  TpApdu *apdu;

  pair_init (&pair, TP_SM_CIPHER_AES_128);

  /* Short Le: DO'97' 1 byte, Le '00' */
  apdu = tp_apdu_new (0x00, 0xB0, 0x00, 0x00, NULL, 0, 0xDF);
  capdu = tp_sm_protect_command (pair.terminal, apdu, &error);
  g_assert_no_error (error);
  g_assert_cmphex (capdu->data[4], ==, capdu->len - 6);   /* short Lc */
  g_assert_cmphex (capdu->data[5], ==, 0x97);
  g_assert_cmphex (capdu->data[6], ==, 0x01);
  g_assert_cmphex (capdu->data[7], ==, 0xDF);
  g_assert_cmphex (capdu->data[capdu->len - 1], ==, 0x00);
  tp_apdu_free (apdu);
  g_clear_pointer (&capdu, g_byte_array_unref);

  /* Extended Le: DO'97' 2 bytes, extended Lc and Le '0000' */
  apdu = tp_apdu_new (0x00, 0xB0, 0x00, 0x00, NULL, 0, 65536);
  capdu = tp_sm_protect_command (pair.terminal, apdu, &error);
  g_assert_no_error (error);
  g_assert_cmphex (capdu->data[4], ==, 0x00);
  g_assert_cmphex (capdu->data[7], ==, 0x97);
  g_assert_cmphex (capdu->data[8], ==, 0x02);
  g_assert_cmphex (capdu->data[9], ==, 0x00);
  g_assert_cmphex (capdu->data[10], ==, 0x00);
  g_assert_cmphex (capdu->data[capdu->len - 2], ==, 0x00);
  g_assert_cmphex (capdu->data[capdu->len - 1], ==, 0x00);
  tp_apdu_free (apdu);

  pair_clear (&pair);
}

/* Builds a response with the given data objects and a MAC that verifies
 * for a terminal whose SSC is @ssc before the increment. */
static GByteArray *
forge_response (TpSmCipher    cipher,
                const guint8 *k_mac,
                const guint8 *ssc,
                const char   *dos_hex,
                guint16       sw)
{
  g_autoptr(GByteArray) dos = tp_test_hex (dos_hex);
  g_autoptr(GByteArray) input = g_byte_array_new ();
  GByteArray *out = g_byte_array_new ();
  gsize block = tp_sm_cipher_block_size (cipher);
  guint8 next[16];
  guint8 mac[8];

  memcpy (next, ssc, block);
  for (gsize i = block; i > 0; i--)
    if (++next[i - 1] != 0)
      break;
  g_byte_array_append (input, next, block);
  g_byte_array_append (input, dos->data, dos->len);
  g_assert_true (tp_sm_mac (cipher, k_mac, input->data, input->len, mac, NULL));

  g_byte_array_append (out, dos->data, dos->len);
  g_byte_array_append (out, (const guint8 *) "\x8E\x08", 2);
  g_byte_array_append (out, mac, 8);
  tp_rapdu_append_sw (out, sw);
  return out;
}

static void
expect_rejected (TpSm        *terminal,
                 GByteArray  *rapdu,
                 const char  *in_message)
{
  g_autoptr(GError) error = NULL;
  guint16 sw = 0;

  g_assert_false (tp_sm_unprotect_response (terminal, rapdu->data, rapdu->len, NULL, &sw, &error));
  g_assert_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_SM_FAILURE);
  if (in_message != NULL && strstr (error->message, in_message) == NULL)
    g_error ("“%s” not in “%s”", in_message, error->message);
  g_assert_false (tp_sm_is_usable (terminal));
}

static void
test_tampering (gconstpointer user_data)
{
  TpSmCipher cipher = GPOINTER_TO_INT (user_data);
  g_autoptr(GError) error = NULL;
  g_autoptr(GByteArray) blob = pattern (64);
  Pair pair;
  guint8 ssc[16];

  /* Every bit of a good response flipped in turn is rejected */
  for (guint bit = 0; bit < 8 * 40; bit += 3)
    {
      g_autoptr(GByteArray) rapdu = NULL;
      gsize len;

      pair_init (&pair, cipher);
      rapdu = tp_sm_protect_response (pair.chip, blob->data, 20, 0x9000, &error);
      g_assert_no_error (error);
      len = rapdu->len - 2;       /* the plain status is not MACed */
      if (bit / 8 >= len)
        {
          pair_clear (&pair);
          break;
        }
      rapdu->data[bit / 8] ^= 1 << (bit % 8);
      expect_rejected (pair.terminal, rapdu, NULL);
      pair_clear (&pair);
    }

  /* Wrong SSC on the chip: the command is refused with 6988 */
  {
    g_autoptr(GByteArray) capdu = NULL;
    g_autoptr(TpApdu) apdu = tp_apdu_new (0x00, 0xB0, 0, 0, NULL, 0, 4);
    g_autoptr(TpApdu) plain = NULL;
    guint16 sw = 0;

    pair_init (&pair, cipher);
    tp_sm_get_ssc (pair.chip, ssc);
    ssc[3] ^= 0x40;
    tp_sm_set_ssc (pair.chip, ssc);
    capdu = tp_sm_protect_command (pair.terminal, apdu, &error);
    plain = tp_sm_unprotect_command (pair.chip, capdu->data, capdu->len, &sw, &error);
    g_assert_null (plain);
    g_assert_cmphex (sw, ==, 0x6988);
    g_assert_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_SM_FAILURE);
    g_clear_error (&error);
    g_assert_false (tp_sm_is_usable (pair.chip));
    pair_clear (&pair);
  }

  /* Wrong SSC on the terminal: the (genuine) answer does not verify */
  {
    g_autoptr(GByteArray) rapdu = NULL;

    pair_init (&pair, cipher);
    rapdu = tp_sm_protect_response (pair.chip, blob->data, 4, 0x9000, &error);
    tp_sm_get_ssc (pair.terminal, ssc);
    ssc[tp_sm_cipher_block_size (cipher) - 1] ^= 0x02;
    tp_sm_set_ssc (pair.terminal, ssc);
    expect_rejected (pair.terminal, rapdu, "MAC");
    pair_clear (&pair);
  }

  /* A replayed answer (same bytes a second time) does not verify */
  {
    g_autoptr(GByteArray) rapdu = NULL;
    g_autoptr(GByteArray) data = g_byte_array_new ();
    guint16 sw;

    pair_init (&pair, cipher);
    rapdu = tp_sm_protect_response (pair.chip, blob->data, 4, 0x9000, &error);
    g_assert_true (tp_sm_unprotect_response (pair.terminal, rapdu->data, rapdu->len, data, &sw, &error));
    expect_rejected (pair.terminal, rapdu, "MAC");
    pair_clear (&pair);
  }
}

static void
test_malformed_responses (gconstpointer user_data)
{
  TpSmCipher cipher = GPOINTER_TO_INT (user_data);
  gboolean des = cipher == TP_SM_CIPHER_3DES;
  Pair pair;
  guint8 ssc[16];
  const guint8 *k_mac;
  const char *cryptogram = des ? "870901" "0011223344556677" : "871101" "00112233445566778899AABBCCDDEEFF";
  struct {
    const char *dos;
    guint16     sw;
    const char *message;
  } cases[] = {
    { "", 0x9000, "DO'99'" },                                   /* MAC only */
    { "990190", 0x9000, "two bytes" },
    { "9902900099029000", 0x9000, "twice" },
    { "99029000" "870901AAAAAAAAAAAAAAAA", 0x9000, "order" },
    { "810100" "99029000", 0x9000, "does not use" },
    { NULL, 0x9000, "DO'99'" },                                 /* cryptogram, no status */
    { "870902AAAAAAAAAAAAAAAA99029000", 0x9000, "indicator" },
    { "8703010203" "99029000", 0x9000, "blocks" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GByteArray) rapdu = NULL;

      pair_init (&pair, cipher);
      tp_sm_get_ssc (pair.terminal, ssc);
      k_mac = tp_sm_get_mac_key (pair.terminal);
      rapdu = forge_response (cipher, k_mac, ssc, cases[i].dos ? cases[i].dos : cryptogram,
                              cases[i].sw);
      expect_rejected (pair.terminal, rapdu, cases[i].message);
      pair_clear (&pair);
    }

  /* A cryptogram that decrypts to data without padding: random bytes
   * under a valid MAC */
  {
    g_autoptr(GByteArray) rapdu = NULL;
    g_autofree char *dos = NULL;
    guint8 iv[16];
    guint8 plain[16];
    guint8 enc[16];
    gsize block = tp_sm_cipher_block_size (cipher);
    g_autofree char *enc_hex = NULL;

    pair_init (&pair, cipher);
    tp_sm_get_ssc (pair.terminal, ssc);
    memset (plain, 0x41, sizeof plain);     /* no 80 at the end */
    /* IV as the terminal will compute it (AES: E(KSenc, SSC+1)) */
    memset (iv, 0, sizeof iv);
    if (!des)
      {
        guint8 next[16];
        EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new ();
        int n = 0;

        memcpy (next, ssc, 16);
        for (gsize j = 16; j > 0; j--)
          if (++next[j - 1] != 0)
            break;
        EVP_EncryptInit_ex (ctx, cipher == TP_SM_CIPHER_AES_128 ? EVP_aes_128_ecb () :
                            cipher == TP_SM_CIPHER_AES_192 ? EVP_aes_192_ecb () : EVP_aes_256_ecb (),
                            NULL, tp_sm_get_enc_key (pair.terminal), NULL);
        EVP_CIPHER_CTX_set_padding (ctx, 0);
        EVP_EncryptUpdate (ctx, iv, &n, next, 16);
        EVP_CIPHER_CTX_free (ctx);
      }
    g_assert_true (tp_sm_encrypt (cipher, tp_sm_get_enc_key (pair.terminal), iv, plain, block, enc, NULL));
    enc_hex = tp_test_to_hex (enc, block);
    dos = g_strdup_printf ("87%02X01%s99029000", (guint) block + 1, enc_hex);
    rapdu = forge_response (cipher, tp_sm_get_mac_key (pair.terminal), ssc, dos, 0x9000);
    expect_rejected (pair.terminal, rapdu, "padding");
    pair_clear (&pair);
  }
}

static void
test_plain_status (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GByteArray) data = g_byte_array_new ();
  Pair pair;
  guint16 sw = 0;

  /* A plain error status is passed on, marked unauthenticated */
  pair_init (&pair, TP_SM_CIPHER_3DES);
  g_assert_true (tp_sm_unprotect_response (pair.terminal, (const guint8 *) "\x6A\x82", 2,
                                           data, &sw, &error));
  g_assert_no_error (error);
  g_assert_cmphex (sw, ==, 0x6A82);
  g_assert_false (tp_sm_last_response_authenticated (pair.terminal));
  g_assert_true (tp_sm_is_usable (pair.terminal));

  /* The chip ending secure messaging */
  g_assert_false (tp_sm_unprotect_response (pair.terminal, (const guint8 *) "\x69\x88", 2,
                                            data, &sw, &error));
  g_assert_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_SM_FAILURE);
  g_assert_nonnull (strstr (error->message, "6988"));
  g_clear_error (&error);
  g_assert_false (tp_sm_is_usable (pair.terminal));
  pair_clear (&pair);

  /* Success without a MAC is never accepted */
  pair_init (&pair, TP_SM_CIPHER_AES_128);
  g_assert_false (tp_sm_unprotect_response (pair.terminal, (const guint8 *) "\x90\x00", 2,
                                            data, &sw, &error));
  g_assert_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_SM_FAILURE);
  g_clear_error (&error);

  /* ... and the session stays closed */
  g_assert_false (tp_sm_unprotect_response (pair.terminal, (const guint8 *) "\x6A\x82", 2,
                                            data, &sw, &error));
  g_assert_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_SM_FAILURE);
  pair_clear (&pair);
}

/* The plain status word after a protected response is not covered by
 * the MAC; DO'99' is. When they differ the authenticated one counts, the
 * data is kept, the session goes on, and the difference can be told. */
static void
test_status_differs (gconstpointer user_data)
{
  TpSmCipher cipher = GPOINTER_TO_INT (user_data);
  g_autoptr(GError) error = NULL;
  g_autoptr(GByteArray) blob = pattern (64);
  static const struct {
    guint16 protected_sw;
    guint16 plain_sw;
  } cases[] = {
    { 0x9000, 0x6282 }, { 0x6282, 0x9000 }, { 0x9000, 0x6A82 }, { 0x6A82, 0x9000 },
  };
  Pair pair;

  pair_init (&pair, cipher);
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GByteArray) rapdu = NULL;
      g_autoptr(GByteArray) data = g_byte_array_new ();
      gsize n = cases[i].protected_sw == 0x6A82 ? 0 : 20;
      guint16 sw = 0, plain = 0, protected = 0;

      rapdu = tp_sm_protect_response (pair.chip, blob->data, n, cases[i].protected_sw, &error);
      g_assert_no_error (error);
      rapdu->data[rapdu->len - 2] = cases[i].plain_sw >> 8;
      rapdu->data[rapdu->len - 1] = cases[i].plain_sw & 0xFF;
      g_assert_true (tp_sm_unprotect_response (pair.terminal, rapdu->data, rapdu->len,
                                               data, &sw, &error));
      g_assert_no_error (error);
      g_assert_cmphex (sw, ==, cases[i].protected_sw);
      g_assert_cmpmem (data->data, data->len, blob->data, n);
      g_assert_true (tp_sm_last_response_authenticated (pair.terminal));
      g_assert_true (tp_sm_last_response_status_differs (pair.terminal, &plain, &protected));
      g_assert_cmphex (plain, ==, cases[i].plain_sw);
      g_assert_cmphex (protected, ==, cases[i].protected_sw);
      g_assert_true (tp_sm_is_usable (pair.terminal));
      /* keep the chip's counter in step with the terminal's */
      {
        g_autoptr(TpApdu) apdu = tp_apdu_new (0x00, 0xB0, 0, 0, NULL, 0, 4);
        g_autoptr(GByteArray) capdu = tp_sm_protect_command (pair.terminal, apdu, &error);
        g_autoptr(TpApdu) got = tp_sm_unprotect_command (pair.chip, capdu->data, capdu->len, &sw, &error);

        g_assert_nonnull (got);
      }
    }

  /* Equal again: nothing to tell */
  {
    g_autoptr(GByteArray) rapdu = tp_sm_protect_response (pair.chip, blob->data, 4, 0x9000, &error);
    g_autoptr(GByteArray) data = g_byte_array_new ();
    guint16 sw = 0;

    g_assert_true (tp_sm_unprotect_response (pair.terminal, rapdu->data, rapdu->len, data, &sw, &error));
    g_assert_false (tp_sm_last_response_status_differs (pair.terminal, NULL, NULL));
  }
  /* A plain error status alone is not a difference (it has no DO'99') */
  g_assert_true (tp_sm_unprotect_response (pair.terminal, (const guint8 *) "\x6A\x82", 2,
                                           NULL, NULL, &error));
  g_assert_false (tp_sm_last_response_status_differs (pair.terminal, NULL, NULL));
  pair_clear (&pair);
}

static void
test_chip_rejects (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpApdu) apdu = tp_apdu_new (0x00, 0xB0, 0, 0, NULL, 0, 4);
  g_autoptr(GByteArray) capdu = NULL;
  g_autoptr(GByteArray) plain_capdu = NULL;
  g_autoptr(TpApdu) plain = NULL;
  Pair pair;
  guint16 sw = 0;

  /* Plain command inside a session */
  pair_init (&pair, TP_SM_CIPHER_AES_256);
  plain_capdu = tp_apdu_encode (apdu, NULL);
  plain = tp_sm_unprotect_command (pair.chip, plain_capdu->data, plain_capdu->len, &sw, &error);
  g_assert_null (plain);
  g_assert_cmphex (sw, ==, 0x6987);
  g_assert_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_SM_FAILURE);
  g_clear_error (&error);
  pair_clear (&pair);

  /* Protected command without its MAC object */
  pair_init (&pair, TP_SM_CIPHER_AES_256);
  capdu = tp_sm_protect_command (pair.terminal, apdu, NULL);
  /* 0C B0 00 00 Lc [97 01 04] [8E 08 ...] 00: cut the MAC object */
  {
    guint8 cut[] = { 0x0C, 0xB0, 0x00, 0x00, 0x03, 0x97, 0x01, 0x04, 0x00 };

    plain = tp_sm_unprotect_command (pair.chip, cut, sizeof cut, &sw, &error);
    g_assert_null (plain);
    g_assert_cmphex (sw, ==, 0x6987);
    g_clear_error (&error);
  }
  pair_clear (&pair);

  /* One bit of the header changed: P1 is under the MAC */
  pair_init (&pair, TP_SM_CIPHER_3DES);
  g_clear_pointer (&capdu, g_byte_array_unref);
  capdu = tp_sm_protect_command (pair.terminal, apdu, NULL);
  capdu->data[2] ^= 0x01;
  plain = tp_sm_unprotect_command (pair.chip, capdu->data, capdu->len, &sw, &error);
  g_assert_null (plain);
  g_assert_cmphex (sw, ==, 0x6988);
  g_assert_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_SM_FAILURE);
  pair_clear (&pair);
}

/* tp_sm_transmit against a chip that splits long answers with 61xx */
typedef struct {
  TpSm       *chip;
  GByteArray *pending;
  GByteArray *file;
} SmCard;

static gboolean
sm_card_transmit (gpointer       user_data,
                  const guint8  *capdu,
                  gsize          capdu_len,
                  GByteArray    *rapdu,
                  GError       **error)
{
  SmCard *card = user_data;
  g_autoptr(TpApdu) command = NULL;
  g_autoptr(GByteArray) answer = NULL;
  guint16 sw = 0;
  gsize n;

  if (capdu[1] == 0xC0 && card->pending != NULL)
    {
      n = MIN (card->pending->len, 200);
      g_byte_array_append (rapdu, card->pending->data, n);
      g_byte_array_remove_range (card->pending, 0, n);
      if (card->pending->len > 2)
        tp_rapdu_append_sw (rapdu, 0x6100 | MIN (card->pending->len - 2, 255));
      else
        {
          g_byte_array_append (rapdu, card->pending->data, card->pending->len);
          g_clear_pointer (&card->pending, g_byte_array_unref);
        }
      return TRUE;
    }

  command = tp_sm_unprotect_command (card->chip, capdu, capdu_len, &sw, NULL);
  if (command == NULL)
    {
      tp_rapdu_append_sw (rapdu, sw);
      return TRUE;
    }
  n = MIN (command->le, card->file->len);
  answer = tp_sm_protect_response (card->chip, card->file->data, n, 0x9000, error);
  if (answer == NULL)
    return FALSE;
  if (answer->len > 258)
    {
      /* Hand out 200 bytes at a time */
      card->pending = g_steal_pointer (&answer);
      g_byte_array_append (rapdu, card->pending->data, 200);
      g_byte_array_remove_range (card->pending, 0, 200);
      tp_rapdu_append_sw (rapdu, 0x6100 | MIN (card->pending->len - 2, 255));
      return TRUE;
    }
  g_byte_array_append (rapdu, answer->data, answer->len);
  return TRUE;
}

static void
test_transmit (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GByteArray) file = pattern (700);
  g_autoptr(GByteArray) data = g_byte_array_new ();
  g_autoptr(TpApdu) apdu = tp_apdu_new (0x00, 0xB0, 0, 0, NULL, 0, 65536);
  SmCard card = { NULL, NULL, file };
  Pair pair;
  guint16 sw = 0;

  pair_init (&pair, TP_SM_CIPHER_AES_192);
  card.chip = pair.chip;
  g_assert_true (tp_sm_transmit (pair.terminal, sm_card_transmit, &card, apdu, data, &sw, &error));
  g_assert_no_error (error);
  g_assert_cmphex (sw, ==, 0x9000);
  g_assert_cmpmem (data->data, data->len, file->data, file->len);

  tp_apdu_free (apdu);
  apdu = tp_apdu_new (0x00, 0xB0, 0, 0, NULL, 0, 0x20);
  g_assert_true (tp_sm_transmit (pair.terminal, sm_card_transmit, &card, apdu, data, &sw, &error));
  g_assert_cmpmem (data->data, data->len, file->data, 0x20);
  g_assert_cmpuint (tp_sm_get_verified_count (pair.terminal), ==, 2);

  /* Plain when there is no session */
  g_assert_false (tp_sm_transmit (NULL, failing_transmit, GINT_TO_POINTER (1), apdu, data, &sw, &error));
  g_assert_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_COMMUNICATION);
  g_clear_error (&error);

  /* A transport error ends the session */
  g_assert_false (tp_sm_transmit (pair.terminal, failing_transmit, GINT_TO_POINTER (1), apdu, data, &sw, &error));
  g_assert_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_COMMUNICATION);
  g_assert_false (tp_sm_is_usable (pair.terminal));
  pair_clear (&pair);
}

int
main (int   argc,
      char *argv[])
{
  const struct {
    const char *name;
    TpSmCipher  cipher;
  } ciphers[] = {
    { "3des", TP_SM_CIPHER_3DES },
    { "aes128", TP_SM_CIPHER_AES_128 },
    { "aes192", TP_SM_CIPHER_AES_192 },
    { "aes256", TP_SM_CIPHER_AES_256 },
  };

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sm/apdu/encode", test_apdu_encode);
  g_test_add_func ("/sm/apdu/parse-malformed", test_apdu_parse_malformed);
  g_test_add_func ("/sm/apdu/rapdu-split", test_rapdu_split);
  g_test_add_func ("/sm/apdu/get-response", test_get_response);
  g_test_add_func ("/sm/apdu/get-response-without-data", test_get_response_without_data);
  g_test_add_func ("/sm/apdu/transmit-failures", test_transmit_failures);
  g_test_add_func ("/sm/kdf", test_kdf);
  g_test_add_func ("/sm/parity", test_parity);
  g_test_add_func ("/sm/padding", test_padding);
  for (guint i = 0; i < G_N_ELEMENTS (ciphers); i++)
    {
      g_autofree char *round_trip = g_strdup_printf ("/sm/%s/round-trip", ciphers[i].name);
      g_autofree char *tampering = g_strdup_printf ("/sm/%s/tampering", ciphers[i].name);
      g_autofree char *malformed = g_strdup_printf ("/sm/%s/malformed-responses", ciphers[i].name);
      g_autofree char *differs = g_strdup_printf ("/sm/%s/status-differs", ciphers[i].name);

      g_test_add_data_func (round_trip, GINT_TO_POINTER (ciphers[i].cipher), test_round_trip);
      g_test_add_data_func (tampering, GINT_TO_POINTER (ciphers[i].cipher), test_tampering);
      g_test_add_data_func (malformed, GINT_TO_POINTER (ciphers[i].cipher), test_malformed_responses);
      g_test_add_data_func (differs, GINT_TO_POINTER (ciphers[i].cipher), test_status_differs);
    }
  g_test_add_func ("/sm/extended-encoding", test_extended_encoding);
  g_test_add_func ("/sm/plain-status", test_plain_status);
  g_test_add_func ("/sm/chip-rejects", test_chip_rejects);
  g_test_add_func ("/sm/transmit", test_transmit);

  return g_test_run ();
}
