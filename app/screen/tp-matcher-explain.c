/* tp-matcher-explain.c: the line an officer reads about a hit
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "tp-matcher-private.h"

static void
format_date (GString *out,
             guint    y,
             guint    m,
             guint    d)
{
  if (y == 0)
    g_string_append (out, "unknown");
  else if (m == 0)
    g_string_append_printf (out, "%04u", y);
  else if (d == 0)
    g_string_append_printf (out, "%04u-%02u", y, m);
  else
    g_string_append_printf (out, "%04u-%02u-%02u", y, m, d);
}

static void
append_entry_name (const TpMatcher    *self,
                   const IndexedEntry *rec,
                   GString            *out)
{
  const guint32 *ef = folded_at (self, rec->token_offset);
  const guint32 *ea = accents_at (self, rec->token_offset);

  for (guint j = 0; j < rec->n_tokens; j++)
    {
      if (j > 0)
        g_string_append_c (out, ' ');
      if (rec->flags & ENTRY_ACCENTED)
        g_string_append (out, vocab_string (&self->accented, ea[j]));
      else
        g_string_append (out, vocab_string (&self->folded, ef[j]));
    }
}

static const char *
list_label (guint8 list)
{
  return list == TP_LIST_EXIT_BAN ? "exit ban" : "watch list";
}

static const char *
action_label (guint8 action)
{
  switch ((TpAction) action)
    {
    case TP_ACTION_DENY_EXIT:        return "deny exit";
    case TP_ACTION_REFER_CUSTOMS:    return "refer to customs";
    case TP_ACTION_REFER_SUPERVISOR: return "refer to a supervisor";
    case TP_ACTION_NOTIFY:           return "notify the owner";
    default:                         return "unknown action";
    }
}

static void
append_name_notes (const TpMatcher     *self,
                   const PreparedQuery *ctx,
                   const IndexedEntry  *rec,
                   const NameResult    *name,
                   GString             *out)
{
  const guint32 *ef = folded_at (self, rec->token_offset);
  const guint32 *ea = accents_at (self, rec->token_offset);
  gboolean accents = (rec->flags & ENTRY_ACCENTED) != 0;
  guint notes = 0;

#define NOTE() g_string_append (out, notes++ == 0 ? " (" : "; ")
  for (guint j = 0; j < rec->n_tokens; j++)
    if (name->e_unmatched & (1u << j))
      {
        NOTE ();
        g_string_append_printf (out, "%s missing on the document",
                                accents ? vocab_string (&self->accented, ea[j])
                                        : vocab_string (&self->folded, ef[j]));
      }
  for (guint i = 0; i < ctx->n_tokens; i++)
    {
      const char *e_text;

      if (name->q_unmatched & (1u << i))
        {
          NOTE ();
          g_string_append_printf (out, "%s not on the list", ctx->tokens[i].accented);
          continue;
        }
      e_text = accents ? vocab_string (&self->accented, ea[name->q_pair[i]])
                       : vocab_string (&self->folded, ef[name->q_pair[i]]);
      switch ((PairKind) name->q_kind[i])
        {
        case PAIR_TYPO:
          NOTE ();
          g_string_append_printf (out, "%s/%s one letter apart", ctx->tokens[i].accented, e_text);
          break;
        case PAIR_SLIP:
          NOTE ();
          g_string_append_printf (out, "%s/%s one letter apart, family name and birth date the same",
                                  ctx->tokens[i].accented, e_text);
          break;
        case PAIR_EQUIV:
          NOTE ();
          g_string_append_printf (out, "%s/%s name variants", ctx->tokens[i].accented, e_text);
          break;
        case PAIR_PREFIX:
          NOTE ();
          g_string_append_printf (out, "%s cut short in the MRZ", ctx->tokens[i].folded);
          break;
        case PAIR_EXACT:
        case PAIR_NONE:
        default:
          break;
        }
    }
  if (name->reordered)
    {
      NOTE ();
      g_string_append (out, "in another order");
    }
  if (notes > 0)
    g_string_append_c (out, ')');
#undef NOTE
}

static void
append_list_ref (const TpMatcher    *self,
                 const IndexedEntry *rec,
                 GString            *out)
{
  g_string_append_printf (out, "%s %s (%s, %s)", list_label (rec->list),
                          arena (self, rec->id_offset),
                          tp_agency_to_string ((TpAgency) rec->agency),
                          action_label (rec->action));
}

char *
_tp_matcher_explain (const TpMatcher     *self,
                     const PreparedQuery *ctx,
                     const IndexedEntry  *rec,
                     guint                id_fields,
                     TpBand               band,
                     const NameResult    *name,
                     gboolean             name_agrees,
                     DobRelation          dob,
                     TpMatchFields        conflicts)
{
  GString *out = g_string_new (NULL);
  const TpQuery *q = ctx->query;

  if (id_fields != 0)
    {
      if (id_fields & TP_MATCH_PASSPORT)
        g_string_append_printf (out, "Passport %s%s%s", q->issuing_state ? q->issuing_state : "",
                                q->issuing_state ? " " : "", q->document_number);
      if (id_fields == (TP_MATCH_PASSPORT | TP_MATCH_NATIONAL_ID))
        g_string_append (out, " and national ID ");
      else if (id_fields & TP_MATCH_NATIONAL_ID)
        g_string_append (out, "National ID ");
      if (id_fields & TP_MATCH_NATIONAL_ID)
        g_string_append (out, q->personal_number);
      g_string_append (out, id_fields == (TP_MATCH_PASSPORT | TP_MATCH_NATIONAL_ID) ? " are on " : " is on ");
      append_list_ref (self, rec, out);

      if (band != TP_BAND_CONFIRMED)
        {
          g_string_append (out, ", but");
          if (conflicts & TP_MATCH_BIRTH_DATE)
            {
              g_string_append (out, " the birth date differs (list ");
              format_date (out, rec->birth_year, rec->birth_month, rec->birth_day);
              g_string_append (out, ", document ");
              format_date (out, q->birth_date.year, q->birth_date.month, q->birth_date.day);
              g_string_append (out, ")");
            }
          if (conflicts & TP_MATCH_SEX)
            g_string_append_printf (out, "%s the sex differs (list %c, document %c)",
                                    (conflicts & TP_MATCH_BIRTH_DATE) ? " and" : "",
                                    rec->sex, q->sex);
          if (conflicts & TP_MATCH_NATIONAL_ID)
            g_string_append_printf (out, "%s the national ID differs",
                                    (conflicts & (TP_MATCH_BIRTH_DATE | TP_MATCH_SEX)) ? " and" : "");
          g_string_append (out, ": check the identity");
        }
      else
        {
          const char *agree[3];
          guint n = 0;

          if (dob == DOB_EQUAL || dob == DOB_COMPATIBLE)
            agree[n++] = "birth date";
          if (name_agrees)
            agree[n++] = "name";
          if (rec->sex != 0 && rec->sex == q->sex && (q->sex == 'M' || q->sex == 'F'))
            agree[n++] = "sex";
          if (n == 1)
            g_string_append_printf (out, "; %s agrees", agree[0]);
          else if (n == 2)
            g_string_append_printf (out, "; %s and %s agree", agree[0], agree[1]);
          else if (n == 3)
            g_string_append_printf (out, "; %s, %s and %s agree", agree[0], agree[1], agree[2]);
          if (conflicts & TP_MATCH_NAME)
            g_string_append (out, "; the name differs");
        }
      g_string_append_c (out, '.');
      return g_string_free (out, FALSE);
    }

  if (band == TP_BAND_PROBABLE)
    g_string_append (out, "Name and birth date agree with ");
  else
    g_string_append (out, "Name close to ");
  append_list_ref (self, rec, out);
  g_string_append (out, ": ");
  append_entry_name (self, rec, out);
  g_string_append (out, ", born ");
  format_date (out, rec->birth_year, rec->birth_month, rec->birth_day);
  append_name_notes (self, ctx, rec, name, out);
  if (conflicts & TP_MATCH_SEX)
    g_string_append (out, "; the sex differs");
  if (conflicts & TP_MATCH_NATIONALITY)
    g_string_append_printf (out, "; nationality differs (list %.3s)", rec->nationality);
  g_string_append (out, "; no identifier in common.");
  return g_string_free (out, FALSE);
}
