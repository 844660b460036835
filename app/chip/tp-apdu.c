/* tp-apdu.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tp-apdu.h"
#include "tp-chip-error.h"

/* A chip that keeps answering 61xx must not keep us forever: no answer of
 * an eMRTD is longer than an extended-length response. */
#define MAX_CHAINED_RESPONSE (TP_APDU_LE_MAX_EXTENDED + 2)

TpApdu *
tp_apdu_new (guint8        cla,
             guint8        ins,
             guint8        p1,
             guint8        p2,
             const guint8 *data,
             gsize         data_len,
             guint32       le)
{
  TpApdu *apdu;

  g_return_val_if_fail (data != NULL || data_len == 0, NULL);

  apdu = g_new0 (TpApdu, 1);
  apdu->cla = cla;
  apdu->ins = ins;
  apdu->p1 = p1;
  apdu->p2 = p2;
  apdu->data = g_byte_array_sized_new (data_len);
  if (data_len > 0)
    g_byte_array_append (apdu->data, data, data_len);
  apdu->le = le;

  return apdu;
}

TpApdu *
tp_apdu_copy (const TpApdu *apdu)
{
  TpApdu *copy;

  g_return_val_if_fail (apdu != NULL, NULL);

  copy = tp_apdu_new (apdu->cla, apdu->ins, apdu->p1, apdu->p2,
                      apdu->data->data, apdu->data->len, apdu->le);
  copy->extended = apdu->extended;

  return copy;
}

void
tp_apdu_free (TpApdu *apdu)
{
  if (apdu == NULL)
    return;

  g_byte_array_unref (apdu->data);
  g_free (apdu);
}

gboolean
tp_apdu_is_extended (const TpApdu *apdu)
{
  g_return_val_if_fail (apdu != NULL, FALSE);

  if (apdu->data->len == 0 && apdu->le == TP_APDU_LE_NONE)
    return FALSE;

  return apdu->extended ||
         apdu->data->len > 255 ||
         apdu->le > TP_APDU_LE_MAX_SHORT;
}

GByteArray *
tp_apdu_encode (const TpApdu  *apdu,
                GError       **error)
{
  GByteArray *out;
  gboolean extended;
  guint8 header[4];

  g_return_val_if_fail (apdu != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (apdu->data->len > TP_APDU_MAX_LC_EXTENDED)
    {
      g_set_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_INVALID_ARGUMENT,
                   "Command data of %u bytes does not fit an APDU (at most %u)",
                   apdu->data->len, TP_APDU_MAX_LC_EXTENDED);
      return NULL;
    }
  if (apdu->le > TP_APDU_LE_MAX_EXTENDED)
    {
      g_set_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_INVALID_ARGUMENT,
                   "Expected length Le %u is above the maximum %u",
                   apdu->le, TP_APDU_LE_MAX_EXTENDED);
      return NULL;
    }

  extended = tp_apdu_is_extended (apdu);
  out = g_byte_array_sized_new (4 + 3 + apdu->data->len + 3);

  header[0] = apdu->cla;
  header[1] = apdu->ins;
  header[2] = apdu->p1;
  header[3] = apdu->p2;
  g_byte_array_append (out, header, 4);

  if (apdu->data->len > 0)
    {
      if (extended)
        {
          guint8 lc[3] = { 0x00, apdu->data->len >> 8, apdu->data->len & 0xFF };
          g_byte_array_append (out, lc, 3);
        }
      else
        {
          guint8 lc = apdu->data->len;
          g_byte_array_append (out, &lc, 1);
        }
      g_byte_array_append (out, apdu->data->data, apdu->data->len);
    }

  if (apdu->le != TP_APDU_LE_NONE)
    {
      if (extended)
        {
          guint16 le = apdu->le == TP_APDU_LE_MAX_EXTENDED ? 0 : apdu->le;
          guint8 field[3] = { 0x00, le >> 8, le & 0xFF };

          /* With Lc present the extended Le is two bytes; alone it
           * carries the leading 00 (ISO/IEC 7816-3 12.1.3). */
          if (apdu->data->len > 0)
            g_byte_array_append (out, field + 1, 2);
          else
            g_byte_array_append (out, field, 3);
        }
      else
        {
          guint8 le = apdu->le == TP_APDU_LE_MAX_SHORT ? 0 : apdu->le;
          g_byte_array_append (out, &le, 1);
        }
    }

  return out;
}

TpApdu *
tp_apdu_parse (const guint8  *capdu,
               gsize          len,
               GError       **error)
{
  g_autoptr(TpApdu) apdu = NULL;
  gsize lc;

  g_return_val_if_fail (capdu != NULL || len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (len < 4)
    {
      g_set_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_PROTOCOL,
                   "Command APDU of %" G_GSIZE_FORMAT " bytes is shorter than its 4-byte header",
                   len);
      return NULL;
    }

  apdu = tp_apdu_new (capdu[0], capdu[1], capdu[2], capdu[3], NULL, 0, 0);
  if (len == 4)                                       /* case 1 */
    return g_steal_pointer (&apdu);

  if (len == 5)                                       /* case 2S */
    {
      apdu->le = capdu[4] == 0 ? TP_APDU_LE_MAX_SHORT : capdu[4];
      return g_steal_pointer (&apdu);
    }

  if (capdu[4] != 0)
    {
      lc = capdu[4];
      if (len == 5 + lc)                              /* case 3S */
        {
          g_byte_array_append (apdu->data, capdu + 5, lc);
          return g_steal_pointer (&apdu);
        }
      if (len == 6 + lc)                              /* case 4S */
        {
          g_byte_array_append (apdu->data, capdu + 5, lc);
          apdu->le = capdu[5 + lc] == 0 ? TP_APDU_LE_MAX_SHORT : capdu[5 + lc];
          return g_steal_pointer (&apdu);
        }
      g_set_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_PROTOCOL,
                   "Command APDU announces %" G_GSIZE_FORMAT " data bytes (Lc) but is %"
                   G_GSIZE_FORMAT " bytes long",
                   lc, len);
      return NULL;
    }

  /* Extended length: 00 followed by two bytes */
  apdu->extended = TRUE;
  if (len == 7)                                       /* case 2E */
    {
      guint le = (capdu[5] << 8) | capdu[6];
      apdu->le = le == 0 ? TP_APDU_LE_MAX_EXTENDED : le;
      return g_steal_pointer (&apdu);
    }
  if (len < 7)
    {
      g_set_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_PROTOCOL,
                   "Extended-length command APDU of %" G_GSIZE_FORMAT " bytes is truncated",
                   len);
      return NULL;
    }

  lc = (capdu[5] << 8) | capdu[6];
  if (lc == 0)
    {
      g_set_error_literal (error, TP_CHIP_ERROR, TP_CHIP_ERROR_PROTOCOL,
                           "Extended-length command APDU has Lc 0000 followed by more bytes");
      return NULL;
    }
  if (len == 7 + lc)                                  /* case 3E */
    {
      g_byte_array_append (apdu->data, capdu + 7, lc);
      return g_steal_pointer (&apdu);
    }
  if (len == 9 + lc)                                  /* case 4E */
    {
      guint le = (capdu[7 + lc] << 8) | capdu[8 + lc];
      g_byte_array_append (apdu->data, capdu + 7, lc);
      apdu->le = le == 0 ? TP_APDU_LE_MAX_EXTENDED : le;
      return g_steal_pointer (&apdu);
    }

  g_set_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_PROTOCOL,
               "Extended-length command APDU announces %" G_GSIZE_FORMAT
               " data bytes (Lc) but is %" G_GSIZE_FORMAT " bytes long",
               lc, len);
  return NULL;
}

gboolean
tp_rapdu_split (const guint8  *rapdu,
                gsize          len,
                gsize         *data_len,
                guint16       *sw,
                GError       **error)
{
  g_return_val_if_fail (rapdu != NULL || len == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (len < 2)
    {
      g_set_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_PROTOCOL,
                   "The chip's answer is %" G_GSIZE_FORMAT " byte(s) long: "
                   "too short to hold a status word",
                   len);
      return FALSE;
    }

  if (data_len != NULL)
    *data_len = len - 2;
  if (sw != NULL)
    *sw = (rapdu[len - 2] << 8) | rapdu[len - 1];

  return TRUE;
}

void
tp_rapdu_append_sw (GByteArray *rapdu,
                    guint16     sw)
{
  guint8 bytes[2] = { sw >> 8, sw & 0xFF };

  g_return_if_fail (rapdu != NULL);

  g_byte_array_append (rapdu, bytes, 2);
}

static gboolean
transmit_once (TpApduTransmitFunc   transmit,
               gpointer             user_data,
               const guint8        *capdu,
               gsize                capdu_len,
               GByteArray          *rapdu,
               GError             **error)
{
  GError *local_error = NULL;

  g_byte_array_set_size (rapdu, 0);
  if (!transmit (user_data, capdu, capdu_len, rapdu, &local_error))
    {
      if (local_error == NULL)
        local_error = g_error_new_literal (TP_CHIP_ERROR, TP_CHIP_ERROR_COMMUNICATION,
                                           "The transport failed to exchange a command with the chip");
      g_propagate_error (error, local_error);
      return FALSE;
    }

  return tp_rapdu_split (rapdu->data, rapdu->len, NULL, NULL, error);
}

gboolean
tp_apdu_transmit_raw (TpApduTransmitFunc   transmit,
                      gpointer             user_data,
                      const guint8        *capdu,
                      gsize                capdu_len,
                      GByteArray          *rapdu,
                      GError             **error)
{
  g_autoptr(GByteArray) piece = NULL;
  guint16 sw;

  g_return_val_if_fail (transmit != NULL, FALSE);
  g_return_val_if_fail (capdu != NULL, FALSE);
  g_return_val_if_fail (rapdu != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!transmit_once (transmit, user_data, capdu, capdu_len, rapdu, error))
    return FALSE;

  tp_rapdu_split (rapdu->data, rapdu->len, NULL, &sw, NULL);
  if (TP_SW1 (sw) != 0x61)
    return TRUE;

  /* Response chaining: keep the data, fetch the rest */
  piece = g_byte_array_new ();
  g_byte_array_set_size (rapdu, rapdu->len - 2);
  while (TP_SW1 (sw) == 0x61)
    {
      guint8 get_response[5] = { 0x00, 0xC0, 0x00, 0x00, TP_SW2 (sw) };

      if (!transmit_once (transmit, user_data, get_response, sizeof get_response,
                          piece, error))
        return FALSE;
      tp_rapdu_split (piece->data, piece->len, NULL, &sw, NULL);
      /* More announced and nothing given: asking again would never end. */
      if (TP_SW1 (sw) == 0x61 && piece->len <= 2)
        {
          g_set_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_PROTOCOL,
                       "The chip announces more data (%04X) but its GET RESPONSE answer holds none",
                       sw);
          return FALSE;
        }
      g_byte_array_append (rapdu, piece->data, piece->len);
      if (rapdu->len > MAX_CHAINED_RESPONSE)
        {
          g_set_error (error, TP_CHIP_ERROR, TP_CHIP_ERROR_PROTOCOL,
                       "The chip keeps announcing more data (61xx) beyond %u bytes",
                       MAX_CHAINED_RESPONSE);
          return FALSE;
        }
      if (TP_SW1 (sw) == 0x61)
        g_byte_array_set_size (rapdu, rapdu->len - 2);
    }

  return TRUE;
}

gboolean
tp_apdu_transmit (TpApduTransmitFunc   transmit,
                  gpointer             user_data,
                  const TpApdu        *apdu,
                  GByteArray          *data,
                  guint16             *sw,
                  GError             **error)
{
  g_autoptr(GByteArray) capdu = NULL;
  g_autoptr(GByteArray) rapdu = NULL;
  gsize data_len;
  guint16 status;

  g_return_val_if_fail (transmit != NULL, FALSE);
  g_return_val_if_fail (apdu != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  capdu = tp_apdu_encode (apdu, error);
  if (capdu == NULL)
    return FALSE;

  rapdu = g_byte_array_new ();
  if (!tp_apdu_transmit_raw (transmit, user_data, capdu->data, capdu->len, rapdu, error))
    return FALSE;

  tp_rapdu_split (rapdu->data, rapdu->len, &data_len, &status, NULL);
  if (data != NULL)
    {
      g_byte_array_set_size (data, 0);
      g_byte_array_append (data, rapdu->data, data_len);
    }
  if (sw != NULL)
    *sw = status;

  return TRUE;
}
