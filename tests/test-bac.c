/* test-bac.c: Basic Access Control against ICAO 9303-11 Appendix D
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "tp-bac.h"
#include "tp-chip-error.h"
#include "tp-test-util.h"

/* ICAO Doc 9303 Part 11, Appendix D (tests/data/icao-9303-11-worked-examples.md) */
#define MRZ_INFO    "L898902C<369080619406236"
#define K_SEED      "239AB9CB282DAF66231DC5A4DF6BFBAE"
#define K_ENC       "AB94FDECF2674FDFB9B391F85D7F76F2"
#define K_MAC       "7962D9ECE03D1ACD4C76089DCE131543"
#define RND_IC      "4608F91988702212"
#define RND_IFD     "781723860C06C226"
#define K_IFD       "0B795240CB7049B01C19B33E32804F0B"
#define E_IFD       "72C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F2"
#define M_IFD       "5F1448EEA8AD90A7"
#define CHIP_RESP   "46B9342A41396CD7386BF5803104D7CEDC122B9132139BAF2EEDC94EE178534F2F2D235D074D7449"
#define K_IC        "0B4F80323EB3191CB04970CB4052790B"
#define KS_ENC      "979EC13B1CBFE9DCD01AB0FED307EAE5"
#define KS_MAC      "F1CB1F1FB5ADF208806B89DC579DC1F8"
#define SSC         "887022120C06C226"

#define SELECT_COM_PROTECTED  "0CA4020C158709016375432908C044F68E08BF8B92D635FF24F800"
#define SELECT_COM_RESPONSE   "990290008E08FA855A5D4C50A8ED9000"
#define READ4_PROTECTED       "0CB000000D9701048E08ED6705417E96BA5500"
#define READ4_RESPONSE        "8709019FF0EC34F9922651990290008E08AD55CC17140B2DED9000"
#define READ4_DATA            "60145F01"
#define READ18_PROTECTED      "0CB000040D9701128E082EA28A70F3C7B53500"
#define READ18_DATA           "04303130365F36063034303030305C026175"

/* Replays a fixed sequence of random bytes */
typedef struct {
  GByteArray *bytes;
  gsize       pos;
} Replay;

static gboolean
replay_random (gpointer  user_data,
               guint8   *buf,
               gsize     len)
{
  Replay *r = user_data;

  g_assert_cmpuint (r->pos + len, <=, r->bytes->len);
  memcpy (buf, r->bytes->data + r->pos, len);
  r->pos += len;
  return TRUE;
}

static void
test_mrz_info (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *info = NULL;
  g_autofree char *long_info = NULL;
  g_autofree char *bad = NULL;

  info = tp_bac_mrz_info ("L898902C", "690806", "940623", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (info, ==, MRZ_INFO);

  /* Appendix G.1 */
  g_clear_pointer (&info, g_free);
  info = tp_bac_mrz_info ("t22000129", "640812", "101031", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (info, ==, "T22000129364081251010318");

  /* Long TD1 number: taken whole, check digit over all of it */
  long_info = tp_bac_mrz_info ("D23145890734", "740812", "120415", &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (long_info, "D23145890734"));
  g_assert_cmpuint (strlen (long_info), ==, 12 + 1 + 7 + 7);

  bad = tp_bac_mrz_info ("L89-902C", "690806", "940623", &error);
  g_assert_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_INVALID_ARGUMENT);
  g_assert_null (bad);
  g_assert_nonnull (strstr (error->message, "document number"));
  g_clear_error (&error);

  bad = tp_bac_mrz_info ("L898902C", "6908", "940623", &error);
  g_assert_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "birth"));
  g_clear_error (&error);

  bad = tp_bac_mrz_info ("L898902C", "690806", "94O623", &error);
  g_assert_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "expiry"));
}

static void
test_keys (void)
{
  g_autoptr(GError) error = NULL;
  TpBacKeys keys;

  g_assert_true (tp_bac_derive_keys (MRZ_INFO, &keys, &error));
  g_assert_no_error (error);
  tp_test_assert_bytes (keys.k_seed, 16, K_SEED);
  tp_test_assert_bytes (keys.k_enc, 16, K_ENC);
  tp_test_assert_bytes (keys.k_mac, 16, K_MAC);

  g_assert_false (tp_bac_derive_keys ("L898902C<3", &keys, &error));
  g_assert_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_INVALID_ARGUMENT);
}

/* A chip that answers with the Appendix D values */
typedef struct {
  guint step;
  gboolean refuse;
} CannedChip;

static gboolean
canned_transmit (gpointer       user_data,
                 const guint8  *capdu,
                 gsize          capdu_len,
                 GByteArray    *rapdu,
                 GError       **error)
{
  CannedChip *chip = user_data;
  g_autoptr(GByteArray) answer = NULL;

  switch (chip->step++)
    {
    case 0:
      tp_test_assert_bytes (capdu, capdu_len, "0084000008");
      answer = tp_test_hex (RND_IC "9000");
      break;
    case 1:
      tp_test_assert_bytes (capdu, capdu_len, "0082000028" E_IFD M_IFD "28");
      answer = tp_test_hex (chip->refuse ? "6300" : CHIP_RESP "9000");
      break;
    default:
      g_assert_not_reached ();
    }
  g_byte_array_append (rapdu, answer->data, answer->len);
  return TRUE;
}

static void
test_terminal_vectors (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpSm) sm = NULL;
  g_autoptr(GByteArray) randoms = tp_test_hex (RND_IFD K_IFD);
  Replay replay = { randoms, 0 };
  CannedChip chip = { 0, FALSE };
  TpBacKeys keys;
  guint8 ssc[8];

  g_assert_true (tp_bac_derive_keys (MRZ_INFO, &keys, &error));
  g_assert_true (tp_bac_authenticate (canned_transmit, &chip, &keys,
                                      replay_random, &replay, &sm, &error));
  g_assert_no_error (error);
  g_assert_nonnull (sm);
  g_assert_cmpint (tp_sm_get_cipher (sm), ==, TP_SM_CIPHER_3DES);
  tp_test_assert_bytes (tp_sm_get_enc_key (sm), 16, KS_ENC);
  tp_test_assert_bytes (tp_sm_get_mac_key (sm), 16, KS_MAC);
  tp_sm_get_ssc (sm, ssc);
  tp_test_assert_bytes (ssc, 8, SSC);

  /* The same chip refusing: wrong keys */
  chip.step = 0;
  chip.refuse = TRUE;
  replay.pos = 0;
  g_clear_pointer (&sm, tp_sm_free);
  g_assert_false (tp_bac_authenticate (canned_transmit, &chip, &keys,
                                       replay_random, &replay, &sm, &error));
  g_assert_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_ACCESS_DENIED);
  g_assert_null (sm);
}

static void
test_chip_vectors (void)
{
  g_autoptr(TpBacChip) chip = NULL;
  g_autoptr(GByteArray) randoms = tp_test_hex (RND_IC K_IC);
  g_autoptr(GByteArray) response = g_byte_array_new ();
  g_autoptr(GByteArray) ea_data = tp_test_hex (E_IFD M_IFD);
  g_autoptr(TpApdu) get_challenge = tp_apdu_new (0x00, 0x84, 0, 0, NULL, 0, 8);
  g_autoptr(TpApdu) ea = tp_apdu_new (0x00, 0x82, 0, 0, ea_data->data, ea_data->len, 40);
  g_autoptr(TpSm) sm = NULL;
  Replay replay = { randoms, 0 };
  TpBacKeys keys;
  guint8 ssc[8];

  g_assert_true (tp_bac_derive_keys (MRZ_INFO, &keys, NULL));
  chip = tp_bac_chip_new (&keys);
  tp_bac_chip_set_random (chip, replay_random, &replay);

  /* EXTERNAL AUTHENTICATE before GET CHALLENGE */
  g_assert_cmphex (tp_bac_chip_process (chip, ea, response, &sm), ==, 0x6985);
  g_assert_null (sm);

  g_assert_cmphex (tp_bac_chip_process (chip, get_challenge, response, &sm), ==, 0x9000);
  tp_test_assert_bytes (response->data, response->len, RND_IC);
  g_byte_array_set_size (response, 0);

  g_assert_cmphex (tp_bac_chip_process (chip, ea, response, &sm), ==, 0x9000);
  tp_test_assert_bytes (response->data, response->len, CHIP_RESP);
  g_assert_nonnull (sm);
  tp_test_assert_bytes (tp_sm_get_enc_key (sm), 16, KS_ENC);
  tp_test_assert_bytes (tp_sm_get_mac_key (sm), 16, KS_MAC);
  tp_sm_get_ssc (sm, ssc);
  tp_test_assert_bytes (ssc, 8, SSC);
}

static TpSm *
vector_session (void)
{
  g_autoptr(GByteArray) enc = tp_test_hex (KS_ENC);
  g_autoptr(GByteArray) mac = tp_test_hex (KS_MAC);
  g_autoptr(GByteArray) ssc = tp_test_hex (SSC);

  return tp_sm_new (TP_SM_CIPHER_3DES, enc->data, mac->data, ssc->data);
}

static void
test_sm_vectors (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpSm) terminal = vector_session ();
  g_autoptr(TpSm) chip = vector_session ();
  g_autoptr(GByteArray) file_id = tp_test_hex ("011E");
  g_autoptr(TpApdu) select = tp_apdu_new (0x00, 0xA4, 0x02, 0x0C, file_id->data, 2, 0);
  g_autoptr(TpApdu) read4 = tp_apdu_new (0x00, 0xB0, 0x00, 0x00, NULL, 0, 4);
  g_autoptr(TpApdu) read18 = tp_apdu_new (0x00, 0xB0, 0x00, 0x04, NULL, 0, 0x12);
  g_autoptr(GByteArray) capdu = NULL;
  g_autoptr(GByteArray) rapdu = NULL;
  g_autoptr(GByteArray) data = g_byte_array_new ();
  g_autoptr(GByteArray) ef_com = tp_test_hex (READ4_DATA READ18_DATA);
  g_autoptr(TpApdu) plain = NULL;
  guint16 sw = 0;

  /* SELECT EF.COM */
  capdu = tp_sm_protect_command (terminal, select, &error);
  g_assert_no_error (error);
  tp_test_assert_bytes (capdu->data, capdu->len, SELECT_COM_PROTECTED);

  plain = tp_sm_unprotect_command (chip, capdu->data, capdu->len, &sw, &error);
  g_assert_no_error (error);
  g_assert_cmphex (sw, ==, 0x9000);
  g_assert_cmphex (plain->cla, ==, 0x00);
  g_assert_cmphex (plain->ins, ==, 0xA4);
  g_assert_cmpuint (plain->le, ==, 0);
  tp_test_assert_bytes (plain->data->data, plain->data->len, "011E");
  g_clear_pointer (&plain, tp_apdu_free);

  rapdu = tp_sm_protect_response (chip, NULL, 0, 0x9000, &error);
  g_assert_no_error (error);
  tp_test_assert_bytes (rapdu->data, rapdu->len, SELECT_COM_RESPONSE);

  g_assert_true (tp_sm_unprotect_response (terminal, rapdu->data, rapdu->len, data, &sw, &error));
  g_assert_no_error (error);
  g_assert_cmphex (sw, ==, 0x9000);
  g_assert_cmpuint (data->len, ==, 0);
  g_assert_true (tp_sm_last_response_authenticated (terminal));
  g_clear_pointer (&capdu, g_byte_array_unref);
  g_clear_pointer (&rapdu, g_byte_array_unref);

  /* READ BINARY, four bytes */
  capdu = tp_sm_protect_command (terminal, read4, &error);
  g_assert_no_error (error);
  tp_test_assert_bytes (capdu->data, capdu->len, READ4_PROTECTED);

  plain = tp_sm_unprotect_command (chip, capdu->data, capdu->len, &sw, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (plain->le, ==, 4);
  g_assert_cmpuint (plain->data->len, ==, 0);
  g_clear_pointer (&plain, tp_apdu_free);

  rapdu = tp_sm_protect_response (chip, ef_com->data, 4, 0x9000, &error);
  g_assert_no_error (error);
  tp_test_assert_bytes (rapdu->data, rapdu->len, READ4_RESPONSE);

  g_assert_true (tp_sm_unprotect_response (terminal, rapdu->data, rapdu->len, data, &sw, &error));
  g_assert_no_error (error);
  g_assert_cmphex (sw, ==, 0x9000);
  tp_test_assert_bytes (data->data, data->len, READ4_DATA);
  g_clear_pointer (&capdu, g_byte_array_unref);
  g_clear_pointer (&rapdu, g_byte_array_unref);

  /* READ BINARY, 0x12 bytes from offset 4 */
  capdu = tp_sm_protect_command (terminal, read18, &error);
  g_assert_no_error (error);
  tp_test_assert_bytes (capdu->data, capdu->len, READ18_PROTECTED);

  plain = tp_sm_unprotect_command (chip, capdu->data, capdu->len, &sw, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (plain->le, ==, 0x12);
  g_assert_cmphex (plain->p2, ==, 0x04);

  rapdu = tp_sm_protect_response (chip, ef_com->data + 4, 0x12, 0x9000, &error);
  g_assert_no_error (error);
  g_assert_true (tp_sm_unprotect_response (terminal, rapdu->data, rapdu->len, data, &sw, &error));
  g_assert_no_error (error);
  tp_test_assert_bytes (data->data, data->len, READ18_DATA);
  g_assert_cmpuint (tp_sm_get_verified_count (terminal), ==, 3);
  g_assert_cmpuint (tp_sm_get_verified_count (chip), ==, 3);
}

/* The response of D.4 checked by the terminal alone */
static void
test_sm_response_vector (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpSm) terminal = vector_session ();
  g_autoptr(GByteArray) rapdu = tp_test_hex (READ4_RESPONSE);
  g_autoptr(GByteArray) data = g_byte_array_new ();
  guint16 sw = 0;
  guint8 ssc[8] = { 0x88, 0x70, 0x22, 0x12, 0x0C, 0x06, 0xC2, 0x29 };

  /* SELECT and its answer used SSC+1 and SSC+2, READ BINARY +3, answer +4 */
  tp_sm_set_ssc (terminal, ssc);
  g_assert_true (tp_sm_unprotect_response (terminal, rapdu->data, rapdu->len, data, &sw, &error));
  g_assert_no_error (error);
  tp_test_assert_bytes (data->data, data->len, READ4_DATA);

  /* One bit flipped in the MAC */
  tp_sm_set_ssc (terminal, ssc);
  rapdu->data[rapdu->len - 3] ^= 0x01;
  g_assert_false (tp_sm_unprotect_response (terminal, rapdu->data, rapdu->len, data, &sw, &error));
  g_assert_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_SM_FAILURE);
  g_assert_false (tp_sm_is_usable (terminal));
}

/* Terminal and chip code talking to each other */
typedef struct {
  TpBacChip *chip;
  TpSm      *sm;
} ChipLink;

static gboolean
chip_transmit (gpointer       user_data,
               const guint8  *capdu,
               gsize          capdu_len,
               GByteArray    *rapdu,
               GError       **error)
{
  ChipLink *link = user_data;
  g_autoptr(TpApdu) command = tp_apdu_parse (capdu, capdu_len, error);
  guint16 sw;

  if (command == NULL)
    return FALSE;
  sw = tp_bac_chip_process (link->chip, command, rapdu, &link->sm);
  tp_rapdu_append_sw (rapdu, sw);
  return TRUE;
}

static void
test_round_trip (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpSm) sm = NULL;
  TpBacKeys keys;
  TpBacKeys wrong;
  ChipLink link = { NULL, NULL };
  guint8 ssc_terminal[8];
  guint8 ssc_chip[8];

  g_assert_true (tp_bac_derive_keys (MRZ_INFO, &keys, NULL));
  g_assert_true (tp_bac_derive_keys ("L898902C<369080619406244", &wrong, NULL));

  link.chip = tp_bac_chip_new (&keys);
  g_assert_true (tp_bac_authenticate (chip_transmit, &link, &keys, NULL, NULL, &sm, &error));
  g_assert_no_error (error);
  g_assert_nonnull (link.sm);
  g_assert_cmpmem (tp_sm_get_enc_key (sm), 16, tp_sm_get_enc_key (link.sm), 16);
  g_assert_cmpmem (tp_sm_get_mac_key (sm), 16, tp_sm_get_mac_key (link.sm), 16);
  tp_sm_get_ssc (sm, ssc_terminal);
  tp_sm_get_ssc (link.sm, ssc_chip);
  g_assert_cmpmem (ssc_terminal, 8, ssc_chip, 8);
  g_clear_pointer (&sm, tp_sm_free);
  g_clear_pointer (&link.sm, tp_sm_free);

  g_assert_false (tp_bac_authenticate (chip_transmit, &link, &wrong, NULL, NULL, &sm, &error));
  g_assert_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_ACCESS_DENIED);
  g_assert_nonnull (strstr (error->message, "6300"));
  g_assert_null (sm);
  g_assert_null (link.sm);

  tp_bac_chip_free (link.chip);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/bac/mrz-info", test_mrz_info);
  g_test_add_func ("/bac/keys", test_keys);
  g_test_add_func ("/bac/terminal-appendix-d", test_terminal_vectors);
  g_test_add_func ("/bac/chip-appendix-d", test_chip_vectors);
  g_test_add_func ("/bac/sm-appendix-d", test_sm_vectors);
  g_test_add_func ("/bac/sm-response-appendix-d", test_sm_response_vector);
  g_test_add_func ("/bac/round-trip", test_round_trip);

  return g_test_run ();
}
