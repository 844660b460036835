/* tp-identity.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tp-identity.h"

#define DG1  1
#define DG11 11

G_DEFINE_ENUM_TYPE (TpIdentitySource, tp_identity_source,
  G_DEFINE_ENUM_VALUE (TP_IDENTITY_SOURCE_NONE, "none"),
  G_DEFINE_ENUM_VALUE (TP_IDENTITY_SOURCE_PRINTED, "printed"),
  G_DEFINE_ENUM_VALUE (TP_IDENTITY_SOURCE_CHIP, "chip"),
  G_DEFINE_ENUM_VALUE (TP_IDENTITY_SOURCE_BOTH, "both"),
  G_DEFINE_ENUM_VALUE (TP_IDENTITY_SOURCE_UNVERIFIED_CHIP, "unverified_chip"))

char *
tp_identity_dg11_display_name (const TpLdsDg11 *dg11)
{
  g_autoptr(GString) name = NULL;

  if (dg11 == NULL || dg11->full_name == NULL)
    return NULL;
  name = g_string_new (dg11->full_name);
  g_string_replace (name, "<<", " ", 0);
  g_string_replace (name, "<", " ", 0);
  return g_strstrip (g_string_free (g_steal_pointer (&name), FALSE));
}

gboolean
tp_identity_chip_data_counts (const TpDocument *document,
                              guint             dg)
{
  if (document == NULL || document->passive_auth == NULL)
    return FALSE;
  if (dg == DG1 && (document->dg1 == NULL || document->dg1->mrz == NULL))
    return FALSE;
  if (dg == DG11 && document->dg11 == NULL)
    return FALSE;
  return document->passive_auth->verdict == TP_PASSIVE_AUTH_VALID &&
         tp_passive_auth_result_get_hash (document->passive_auth, dg) == TP_DG_HASH_MATCH;
}

/* The query for one zone; DG11's name and personal number when given. */
static TpQuery *
query_from_mrz (const TpMrz     *mrz,
                const TpLdsDg11 *dg11,
                const char      *id)
{
  TpQuery *q = tp_query_new ();

  q->id = g_strdup (id);
  q->document_number = g_strdup (mrz->document_number);
  q->issuing_state = g_strdup (mrz->issuing_state);
  q->nationality = g_strdup (mrz->nationality);
  q->primary = g_strdup (mrz->primary_identifier);
  q->secondary = g_strdup (mrz->secondary_identifier);
  q->sex = mrz->sex == 'M' || mrz->sex == 'F' ? mrz->sex : 0;
  q->birth_date.year = mrz->birth_date.year;
  q->birth_date.month = mrz->birth_date.month;
  q->birth_date.day = mrz->birth_date.day;
  /* Vietnamese passports carry the 12-digit citizen ID in the optional
   * data */
  if (mrz->optional_data != NULL && mrz->optional_data[0] != '\0')
    q->personal_number = g_strdup (mrz->optional_data);
  if (dg11 != NULL)
    {
      q->full_name = tp_identity_dg11_display_name (dg11);
      if (dg11->personal_number != NULL && q->personal_number == NULL)
        q->personal_number = g_strdup (dg11->personal_number);
    }
  return q;
}

static gboolean
same (const char *a,
      const char *b)
{
  return g_strcmp0 (a != NULL ? a : "", b != NULL ? b : "") == 0;
}

/* The fields in which two zones of one document differ, or NULL. */
static char *
differences (const TpMrz *chip,
             const TpMrz *printed)
{
  g_autoptr(GString) out = g_string_new (NULL);
  struct { const char *label; gboolean differs; } fields[] = {
    { "document number", !same (chip->document_number, printed->document_number) },
    { "issuing state", !same (chip->issuing_state, printed->issuing_state) },
    { "name", !same (chip->primary_identifier, printed->primary_identifier) ||
              !same (chip->secondary_identifier, printed->secondary_identifier) },
    { "nationality", !same (chip->nationality, printed->nationality) },
    { "birth date", !same (chip->birth_date.raw, printed->birth_date.raw) },
    { "sex", chip->sex != printed->sex },
    { "expiry date", !same (chip->expiry_date.raw, printed->expiry_date.raw) },
    { "personal number", !same (chip->optional_data, printed->optional_data) },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (fields); i++)
    if (fields[i].differs)
      g_string_append_printf (out, "%s%s", out->len ? ", " : "", fields[i].label);
  if (out->len == 0)
    return NULL;
  return g_string_free (g_steal_pointer (&out), FALSE);
}

TpIdentity *
tp_identity_decide (const TpMrz      *printed,
                    const TpDocument *document)
{
  g_autoptr(TpIdentity) identity = g_new0 (TpIdentity, 1);
  const TpMrz *chip = NULL;
  const TpLdsDg11 *dg11 = NULL;
  gboolean chip_read = document != NULL && document->dg1 != NULL && document->dg1->mrz != NULL;

  identity->queries = g_ptr_array_new_with_free_func ((GDestroyNotify) tp_query_free);
  if (tp_identity_chip_data_counts (document, DG1))
    chip = document->dg1->mrz;
  if (tp_identity_chip_data_counts (document, DG11))
    dg11 = document->dg11;
  if (dg11 != NULL)
    identity->full_name = tp_identity_dg11_display_name (dg11);

  if (chip != NULL)
    {
      identity->mrz = chip;
      g_ptr_array_add (identity->queries, query_from_mrz (chip, dg11, "chip"));
      if (printed != NULL && (identity->differences = differences (chip, printed)) != NULL)
        {
          identity->source = TP_IDENTITY_SOURCE_BOTH;
          g_ptr_array_add (identity->queries, query_from_mrz (printed, NULL, "printed"));
          identity->note = g_strdup_printf ("from the chip and the printed MRZ, which disagree (%s): "
                                            "both screened, the stricter verdict kept",
                                            identity->differences);
        }
      else
        identity->source = TP_IDENTITY_SOURCE_CHIP;
    }
  else if (printed != NULL)
    {
      identity->source = TP_IDENTITY_SOURCE_PRINTED;
      identity->mrz = printed;
      g_ptr_array_add (identity->queries, query_from_mrz (printed, NULL, "printed"));
      if (chip_read)
        identity->note = g_strdup ("from the printed MRZ: the chip's data did not verify");
      else if (document != NULL)
        identity->note = g_strdup ("from the printed MRZ: the chip gave no DG1 to confirm it");
    }
  else if (chip_read)
    {
      identity->source = TP_IDENTITY_SOURCE_UNVERIFIED_CHIP;
      identity->mrz = document->dg1->mrz;
      g_ptr_array_add (identity->queries, query_from_mrz (document->dg1->mrz, document->dg11, "chip"));
      identity->note = g_strdup ("from the chip's data, which did not verify, for want of a printed "
                                 "MRZ: enter it");
    }
  else
    identity->source = TP_IDENTITY_SOURCE_NONE;

  return g_steal_pointer (&identity);
}

void
tp_identity_free (TpIdentity *identity)
{
  if (identity == NULL)
    return;
  g_clear_pointer (&identity->queries, g_ptr_array_unref);
  g_free (identity->full_name);
  g_free (identity->note);
  g_free (identity->differences);
  g_free (identity);
}

const char *
tp_identity_source_to_string (TpIdentitySource source)
{
  static const char * const names[] = { "none", "printed", "chip", "both", "unverified_chip" };

  g_return_val_if_fail (source <= TP_IDENTITY_SOURCE_UNVERIFIED_CHIP, "none");
  return names[source];
}
