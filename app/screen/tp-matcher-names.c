/* tp-matcher-names.c: name alignment, a query's name against an entry's
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tp-matcher-private.h"
#include "tp-name.h"

/* Rarity of entry token @j of @n: how few entries carry that token in that
 * place (VĂN is a third of middle names, VÂN a rare given name; both fold
 * to VAN; NGUYỄN is a third of family names, NGUYÊN a rare given name). */
static inline double
entry_token_weight (const TpMatcher *self,
                    guint32          id,
                    guint            j,
                    guint            n)
{
  /* A name of one token has no places: NGUYỄN alone is not a rare given
   * name. */
  if (n == 1)
    return self->weight[id];
  return self->pos_weight[(gsize) id * N_POS + token_position (j, n)];
}

/* One letter between two names that are both common is two names
 * (THANH/THẮNG, THÔNG/THÀNH), not a slip: a typo explains the pair only
 * when one side is rare beside the other (NHUNG/NUHNG). Counts are the
 * list's own, as written (accented) when both sides carry accents. */
static gboolean
typo_plausible (guint32 q_df,
                guint32 e_df)
{
  return MIN (q_df, e_df) <= TP_MATCHER_TYPO_RARITY_RATIO * MAX (q_df, e_df);
}

/* How many entries of the traveller's sex have what the document shows in
 * the place the entry has the name that may have slipped. */
static guint32
slip_count (const TpMatcher  *self,
            const QueryToken *q,
            gboolean          accents,
            guint             j,
            guint             n,
            char              sex)
{
  /* As written when both names carry diacritics: HẮNG is no name, HẰNG is */
  return accents ? sex_pos_accented_count (self, q->accented_id, sex, j, n)
                 : sex_pos_count (self, q->folded_id, sex, j, n);
}

/* The Vietnamese consonant digraphs (and the trigraph NGH): a letter lost
 * from one of them is the classic manual-entry slip (TRINH → TINH,
 * NGHĨA → NGĨA, ANH → AN) */
static gboolean
in_digraph (const char *s,
            gsize       len,
            gsize       k)
{
  static const char *const digraphs[] = { "NH", "NG", "CH", "TR", "TH", "GH", "KH", "PH" };

  for (guint d = 0; d < G_N_ELEMENTS (digraphs); d++)
    if ((k + 1 < len && s[k] == digraphs[d][0] && s[k + 1] == digraphs[d][1]) ||
        (k > 0 && s[k - 1] == digraphs[d][0] && s[k] == digraphs[d][1]))
      return TRUE;
  return FALSE;
}

/* Letters a keyboard puts side by side (QWERTY rows) or an OCR reads for
 * one another (O/D/Q, I/L/J, M/N, U/V, C/G, E/F) */
static gboolean
confusable (char a,
            char b)
{
  static const char *const rows[] = { "QWERTYUIOP", "ASDFGHJKL", "ZXCVBNM" };
  static const char *const ocr[] = { "ODQ", "ILJ", "MN", "UV", "CG", "EF" };

  for (guint r = 0; r < G_N_ELEMENTS (rows); r++)
    {
      const char *pa = strchr (rows[r], a), *pb = strchr (rows[r], b);

      if (pa != NULL && pb != NULL && (pa - pb == 1 || pb - pa == 1))
        return TRUE;
    }
  for (guint o = 0; o < G_N_ELEMENTS (ocr); o++)
    if (strchr (ocr[o], a) != NULL && strchr (ocr[o], b) != NULL)
      return TRUE;
  return FALSE;
}

/* What one slip turning the entry's @e into the document's @q costs, in
 * nats: the prior of that slip. A letter lost from a digraph, two
 * neighbours swapped, a keyboard or OCR neighbour typed are common slips;
 * any other letter lost, added or replaced is rarer. Folded (MRZ)
 * spellings, one edit apart. */
static double
slip_cost (const char *q,
           const char *e)
{
  gsize lq = strlen (q), le = strlen (e), k = 0;

  while (k < lq && k < le && q[k] == e[k])
    k++;
  if (lq + 1 == le)
    {
      /* a letter of @e lost at k (or anywhere in the run of that letter) */
      for (gsize k2 = k; k2 < le && e[k2] == e[k]; k2++)
        if (in_digraph (e, le, k2))
          return TP_MATCHER_SLIP_COST_DIGRAPH;
      if (k > 0 && in_digraph (e, le, k - 1) && e[k - 1] == e[k])
        return TP_MATCHER_SLIP_COST_DIGRAPH;
      return TP_MATCHER_SLIP_COST;
    }
  if (lq == le + 1)
    /* a letter added: doubled, or a keyboard neighbour of the one beside it */
    return (k > 0 && (q[k] == q[k - 1] || confusable (q[k], q[k - 1]))) ||
           (k < le && (q[k] == e[k] || confusable (q[k], e[k])))
           ? TP_MATCHER_SLIP_COST_CONFUSION : TP_MATCHER_SLIP_COST;
  if (lq == le && k + 1 < lq && q[k] == e[k + 1] && q[k + 1] == e[k] && strcmp (q + k + 2, e + k + 2) == 0)
    return TP_MATCHER_SLIP_COST_CONFUSION;   /* two neighbours swapped */
  if (lq == le && k < lq && confusable (q[k], e[k]))
    return TP_MATCHER_SLIP_COST_CONFUSION;
  return TP_MATCHER_SLIP_COST;
}

/* The evidence a slip gives, in nats: how rare what the document shows is,
 * in that place of a name and for that sex (no entry of that sex has it:
 * no one else is likely to present it), less the cost of the slip, and
 * never more than the entry's name would give in full. MINH → MIHN is a
 * slip whatever else; THẮNG → HẰNG a slip for a man (few men are called
 * Hằng), for a woman much less than the name Hằng; THANH → TANH (H lost
 * from TH) costs less than THANH → HANH (T lost). Zero or less: no slip;
 * the rest of the name must still bring the name to
 * TP_MATCHER_MIN_NAME_WEIGHT. */
static double
slip_evidence (const TpMatcher  *self,
               const QueryToken *q,
               gboolean          accents,
               guint32           e_folded,
               guint             j,
               guint             n,
               char              sex)
{
  guint32 count = slip_count (self, q, accents, j, n, sex);
  double shown = log ((double) MAX (self->n_by_sex[sex == 'F'], 1) / (count > 0 ? count : 0.5));
  double evidence = shown - slip_cost (q->folded, vocab_string (&self->folded, e_folded));

  return MIN (evidence, entry_token_weight (self, e_folded, j, n));
}

/* whole is first and second written together (MINJUN = MIN + JUN) */
static gboolean
joins (const char *first,
       const char *second,
       const char *whole)
{
  gsize a = strlen (first);

  return strncmp (whole, first, a) == 0 && strcmp (whole + a, second) == 0 && second[0] != '\0';
}

/* Pair classification: the single rule both search paths apply. by_string
 * compares strings, as an engine without interned tokens does. */
static PairKind
classify (const TpMatcher  *self,
          const QueryToken *q,
          gboolean          accents,
          guint32           e_folded,
          guint32           e_accented,
          gboolean          by_string,
          gboolean          allow_slip)
{
  const char *ef = vocab_string (&self->folded, e_folded);
  guint8 elen = self->folded_len[e_folded];
  gboolean folded_equal;
  /* One edit apart may be a typo (long tokens) or a slip (short ones) */
  gboolean long_enough = q->len >= TP_MATCHER_TYPO_MIN_LENGTH && elen >= TP_MATCHER_TYPO_MIN_LENGTH;
  gboolean one_edit_counts = long_enough || (allow_slip && !q->surname);

  folded_equal = by_string ? strcmp (q->folded, ef) == 0 : q->folded_id == e_folded;
  /* The last token of a name cut at the MRZ field end: a prefix is what
   * the document could hold, not a typo. */
  if (q->truncated && !folded_equal && q->len < elen && strncmp (q->folded, ef, q->len) == 0)
    return PAIR_PREFIX;

  if (accents)
    {
      const char *ea = vocab_string (&self->accented, e_accented);

      if (by_string ? strcmp (q->accented, ea) == 0 : q->accented_id == e_accented)
        return PAIR_EXACT;
      if (q->accented_group != 0 && q->accented_group == self->accented_group[e_accented])
        return PAIR_EQUIV;
      if (one_edit_counts &&
          (folded_equal || tp_name_edit_distance (q->folded, ef, 1) <= 1) &&
          tp_name_edit_distance (q->accented, ea, 1) <= 1)
        {
          /* A slip is a letter lost or swapped, not an accent (Ân is not
           * An); its prior is judged where the entry has the name
           * (compare_names) */
          if (!long_enough)
            return folded_equal ? PAIR_NONE : PAIR_SLIP;
          if (typo_plausible (q->accented_id != NO_ID ? self->accented_df[q->accented_id] : 0,
                              self->accented_df[e_accented]))
            return PAIR_TYPO;
        }
    }
  else
    {
      if (folded_equal)
        return PAIR_EXACT;
      if (q->folded_group != 0 && q->folded_group == self->folded_group[e_folded])
        return PAIR_EQUIV;
      if (one_edit_counts && tp_name_edit_distance (q->folded, ef, 1) <= 1)
        {
          if (!long_enough)
            return PAIR_SLIP;
          if (typo_plausible (q->folded_id != NO_ID ? self->df[q->folded_id] : 0, self->df[e_folded]))
            return PAIR_TYPO;
        }
    }
  return PAIR_NONE;
}

/* Share of a token's rarity that a pair counts as evidence: a one-letter
 * difference between two Vietnamese syllables is often another name
 * (THÔNG/THẮNG), so it proves less than an exact token. */
static double
pair_evidence (PairKind kind)
{
  switch (kind)
    {
    case PAIR_EXACT:  return 1.0;
    case PAIR_PREFIX: return 0.9;
    case PAIR_EQUIV:  return 0.8;
    case PAIR_TYPO:   return 0.6;
    case PAIR_SLIP:   /* slip_evidence() */
    case PAIR_NONE:
    default:          return 0.0;
    }
}

static double
pair_score (PairKind kind)
{
  switch (kind)
    {
    case PAIR_EXACT:  return 1.0;
    case PAIR_PREFIX: return 0.95;
    case PAIR_EQUIV:  return 0.9;
    case PAIR_TYPO:   return 0.8;
    case PAIR_SLIP:   return 0.75;
    case PAIR_NONE:
    default:          return 0.0;
    }
}

typedef struct {
  guint8 q;
  guint8 e;
  guint8 kind;
  float  value;
} Pair;

static int
compare_pairs (const void *a,
               const void *b)
{
  const Pair *pa = a;
  const Pair *pb = b;

  if (pa->value != pb->value)
    return pa->value > pb->value ? -1 : 1;
  if (pa->q != pb->q)
    return pa->q < pb->q ? -1 : 1;
  return pa->e < pb->e ? -1 : (pa->e > pb->e);
}

/* Aligns the query's tokens with the entry's (greedy on pair score, then
 * rarity) and decides how far the names agree. */
void
_tp_matcher_compare_names (const TpMatcher     *self,
                           const PreparedQuery *ctx,
                           const IndexedEntry  *rec,
                           gboolean             by_string,
                           gboolean             allow_slip,
                           NameResult          *out)
{
  const guint32 *ef = folded_at (self, rec->token_offset);
  const guint32 *ea = accents_at (self, rec->token_offset);
  gboolean accents = ctx->accented && (rec->flags & ENTRY_ACCENTED) != 0;
  Pair pairs[TP_MATCHER_MAX_TOKENS * TP_MATCHER_MAX_TOKENS];
  guint8 kinds[TP_MATCHER_MAX_TOKENS][TP_MATCHER_MAX_TOKENS];
  guint n_pairs = 0;
  guint32 q_used = 0, e_used = 0;
  guint32 q_joined = 0;   /* query tokens that are the second half of an entry token */
  guint32 e_joined = 0;   /* query tokens that stand for two entry tokens */
  guint m = ctx->n_tokens, n = rec->n_tokens;
  guint n_typo = 0, n_equiv = 0, n_missing;
  double matched_w = 0, total_w = 0;
  int last_e = -1;

  memset (out, 0, sizeof *out);
  memset (kinds, PAIR_NONE, sizeof kinds);

  for (guint i = 0; i < m; i++)
    out->q_kind[i] = PAIR_NONE;
  if (m == 0 || n == 0)
    return;

  for (guint i = 0; i < m; i++)
    for (guint j = 0; j < n; j++)
      {
        PairKind kind;

        if (!by_string && (ctx->qmask[ef[j]] & (1u << i)) == 0)
          continue;
        /* A slip: one edit between tokens too short for a typo (either
         * under TP_MATCHER_TYPO_MIN_LENGTH letters), in a given or middle
         * name of the document, when the caller allows it */
        kind = classify (self, &ctx->tokens[i], accents, ef[j], ea[j], by_string, allow_slip);
        if (kind == PAIR_SLIP &&
            slip_evidence (self, &ctx->tokens[i], accents, ef[j], j, n, ctx->query->sex) <= 0)
          kind = PAIR_NONE;
        kinds[i][j] = (guint8) kind;
        if (kind == PAIR_NONE)
          continue;
        pairs[n_pairs].q = (guint8) i;
        pairs[n_pairs].e = (guint8) j;
        pairs[n_pairs].kind = (guint8) kind;
        pairs[n_pairs].value = (float) (pair_score (kind) * 100.0 + entry_token_weight (self, ef[j], j, n));
        n_pairs++;
      }
  if (n_pairs > 1)
    qsort (pairs, n_pairs, sizeof (Pair), compare_pairs);

  for (guint k = 0; k < n_pairs; k++)
    {
      const Pair *p = &pairs[k];

      if ((q_used & (1u << p->q)) || (e_used & (1u << p->e)))
        continue;
      q_used |= 1u << p->q;
      e_used |= 1u << p->e;
      out->q_kind[p->q] = p->kind;
      out->q_pair[p->q] = p->e;
      out->n_matched++;
    }

  /* Equal tokens may pair either way (TUẤN TUÂN both fold to TUAN): leave
   * unpaired the token that may be missing (a middle name) rather than the
   * family or given name. */
  for (guint j = 0; j < n; j++)
    {
      if ((e_used & (1u << j)) || (j != 0 && j != n - 1))
        continue;
      for (guint i = 0; i < m; i++)
        {
          guint j2 = out->q_pair[i];

          if ((q_used & (1u << i)) && j2 != 0 && j2 != n - 1 && kinds[i][j] == out->q_kind[i])
            {
              out->q_pair[i] = (guint8) j;
              e_used = (e_used & ~(1u << j2)) | (1u << j);
              break;
            }
        }
    }
  for (guint i = 0; i < m; i++)
    {
      if ((q_used & (1u << i)) || ctx->tokens[i].missable)
        continue;
      for (guint i2 = 0; i2 < m; i2++)
        {
          guint j = out->q_pair[i2];

          if ((q_used & (1u << i2)) && ctx->tokens[i2].missable && kinds[i][j] == out->q_kind[i2])
            {
              out->q_kind[i] = out->q_kind[i2];
              out->q_pair[i] = (guint8) j;
              out->q_kind[i2] = PAIR_NONE;
              q_used = (q_used & ~(1u << i2)) | (1u << i);
              break;
            }
        }
    }

  /* The same name twice (NGUYỄN … NGUYÊN, MINH … MINH) pairs in order when
   * it can: two pairs cross only when neither token pairs the other's
   * entry token as well. */
  for (gboolean swapped = TRUE; swapped; )
    {
      swapped = FALSE;
      for (guint i = 0; i < m; i++)
        for (guint i2 = i + 1; i2 < m; i2++)
          {
            guint j = out->q_pair[i], j2 = out->q_pair[i2];

            if ((q_used & (1u << i)) == 0 || (q_used & (1u << i2)) == 0 || j <= j2)
              continue;
            if (kinds[i][j2] == out->q_kind[i] && kinds[i2][j] == out->q_kind[i2])
              {
                out->q_pair[i] = (guint8) j2;
                out->q_pair[i2] = (guint8) j;
                swapped = TRUE;
              }
          }
    }

  /* A given name in one piece on one side and in two on the other (Korean
   * MINJUN, MIN-JUN, MIN JUN): the same name, compared folded */
  for (guint i = 0; i < m; i++)
    {
      if (q_used & (1u << i))
        continue;
      for (guint j = 0; j + 1 < n; j++)
        if ((e_used & (3u << j)) == 0 &&
            joins (vocab_string (&self->folded, ef[j]), vocab_string (&self->folded, ef[j + 1]),
                   ctx->tokens[i].folded))
          {
            out->q_kind[i] = PAIR_EXACT;
            out->q_pair[i] = (guint8) j;
            q_used |= 1u << i;
            e_used |= 3u << j;
            e_joined |= 1u << i;
            out->n_matched++;
            break;
          }
    }
  for (guint j = 0; j < n; j++)
    {
      if (e_used & (1u << j))
        continue;
      for (guint i = 0; i + 1 < m; i++)
        if ((q_used & (3u << i)) == 0 &&
            joins (ctx->tokens[i].folded, ctx->tokens[i + 1].folded, vocab_string (&self->folded, ef[j])))
          {
            out->q_kind[i] = out->q_kind[i + 1] = PAIR_EXACT;
            out->q_pair[i] = out->q_pair[i + 1] = (guint8) j;
            q_used |= 3u << i;
            e_used |= 1u << j;
            q_joined |= 1u << (i + 1);
            out->n_matched += 2;
            break;
          }
    }

  for (guint i = 0; i < m; i++)
    {
      PairKind kind = out->q_kind[i];
      double w;

      /* the second half of a name written apart counts with the first */
      if ((q_used & (1u << i)) == 0 || (q_joined & (1u << i)))
        continue;
      w = entry_token_weight (self, ef[out->q_pair[i]], out->q_pair[i], n);
      if (e_joined & (1u << i))
        w += entry_token_weight (self, ef[out->q_pair[i] + 1], out->q_pair[i] + 1, n);
      matched_w += w * pair_score (kind);
      if (kind == PAIR_SLIP)
        out->weight += slip_evidence (self, &ctx->tokens[i], accents, ef[out->q_pair[i]], out->q_pair[i], n,
                                      ctx->query->sex);
      else
        out->weight += w * pair_evidence (kind);
      if (kind == PAIR_TYPO)
        n_typo++;
      else if (kind == PAIR_EQUIV)
        n_equiv++;
      else if (kind == PAIR_SLIP)
        out->n_slips++;
    }

  for (guint i = 0; i < m; i++)
    if (q_used & (1u << i))
      {
        if ((int) out->q_pair[i] < last_e)
          out->reordered = TRUE;
        last_e = out->q_pair[i];
      }

  out->q_unmatched = ((1u << m) - 1) & ~q_used;
  out->e_unmatched = ((1u << n) - 1) & ~e_used;
  /* Tokens cut off by MRZ truncation are not missing: the document could
   * not carry them. */
  if (ctx->truncated)
    out->e_unmatched = 0;

  total_w = 0;
  for (guint i = 0; i < m; i++)
    if ((q_used & (1u << i)) && (q_joined & (1u << i)) == 0)
      {
        total_w += entry_token_weight (self, ef[out->q_pair[i]], out->q_pair[i], n);
        if (e_joined & (1u << i))
          total_w += entry_token_weight (self, ef[out->q_pair[i] + 1], out->q_pair[i] + 1, n);
      }
  for (guint j = 0; j < n; j++)
    if (out->e_unmatched & (1u << j))
      total_w += entry_token_weight (self, ef[j], j, n);
  for (guint i = 0; i < m; i++)
    if (out->q_unmatched & (1u << i))
      total_w += ctx->tokens[i].max_weight > 0 ? ctx->tokens[i].max_weight : 1.0;
  out->score = total_w > 0 ? matched_w / total_w : 0;

  n_missing = count_bits (out->q_unmatched) + count_bits (out->e_unmatched);

  /* A slip counts only as the one difference between names whose family
   * name agrees; otherwise the names are compared without it. */
  if (out->n_slips > 0)
    {
      gboolean surname_agrees = FALSE;
      guint family = ctx->vn_order ? 0 : n - 1;

      /* the family name where the entry has it (first in Vietnamese order) */
      for (guint i = 0; i < m; i++)
        if ((q_used & (1u << i)) && ctx->tokens[i].surname && out->q_pair[i] == family &&
            (out->q_kind[i] == PAIR_EXACT || out->q_kind[i] == PAIR_EQUIV ||
             out->q_kind[i] == PAIR_PREFIX))
          surname_agrees = TRUE;
      if (out->n_slips > 1 || n_missing + n_typo + n_equiv > 0 || !surname_agrees ||
          out->n_matched < 2 || out->reordered)
        {
          _tp_matcher_compare_names (self, ctx, rec, by_string, FALSE, out);
          return;
        }
      n_typo += out->n_slips;
    }
  /* Each difference beyond the first is a second, independent slip: it
   * costs evidence (the name must be that much rarer). */
  if (n_missing + n_typo + n_equiv > 1)
    out->weight -= (n_missing + n_typo + n_equiv - 1) * TP_MATCHER_EXTRA_DIFFERENCE_WEIGHT;

  if (m == 1 && n == 1)
    {
      out->level = out->n_matched == 1 ? (n_typo + n_equiv == 0 ? NAME_FULL : NAME_FUZZY) : NAME_NONE;
      return;
    }
  if (out->n_matched < 2)
    {
      out->level = NAME_NONE;
      return;
    }
  if (n_missing == 0 && n_typo + n_equiv == 0)
    {
      out->level = NAME_FULL;
      return;
    }
  /* Fuzzy: tokens missing on one side only (otherwise the names differ),
   * at most one, a middle name, and at most two differences in all. */
  if (out->q_unmatched != 0 && out->e_unmatched != 0)
    return;
  if (n_missing > 1 || n_missing + n_typo + n_equiv > 2)
    return;
  for (guint i = 0; i < m; i++)
    if ((out->q_unmatched & (1u << i)) && !ctx->tokens[i].missable)
      return;
  for (guint j = 0; j < n; j++)
    if ((out->e_unmatched & (1u << j)) && (j == 0 || j == n - 1))
      return;
  out->level = NAME_FUZZY;
}
