/* tp-matcher-search.c: screening: candidates, evaluation, verdict
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tp-country.h"
#include "tp-matcher-private.h"
#include "tp-name.h"

static const char *const match_field_names[] = {
  "passport", "national_id", "name", "birth_date", "sex", "nationality",
};

static gboolean
states_equal (const char *a,
              const char *b)
{
  return a[0] != '\0' && strncmp (a, b, 3) == 0;
}

static void
query_raw_cb (TpMatcher  *self,
              const char *raw,
              gpointer    user_data)
{
  PreparedQuery *ctx = user_data;
  RawToken *cached = g_hash_table_lookup (self->raw_cache, raw);
  RawToken computed;
  char *folded[MAX_SPLIT] = { NULL, };
  char *accented[MAX_SPLIT] = { NULL, };
  const RawToken *info = cached;

  if (info == NULL)
    {
      _tp_matcher_compute_raw (self, raw, FALSE, &computed, folded, accented);
      info = &computed;
      for (guint i = 0; i < MAX_SPLIT; i++)
        {
          if (folded[i] != NULL)
            g_ptr_array_add (ctx->owned, folded[i]);
          if (accented[i] != NULL)
            g_ptr_array_add (ctx->owned, accented[i]);
        }
    }
  if (info->diacritics)
    ctx->accented = TRUE;
  for (guint i = 0; i < info->n && ctx->n_tokens < TP_MATCHER_MAX_TOKENS; i++)
    {
      QueryToken *t = &ctx->tokens[ctx->n_tokens++];

      memset (t, 0, sizeof *t);
      t->folded_id = info->folded[i];
      t->accented_id = info->accented[i];
      t->folded = cached != NULL ? vocab_string (&self->folded, info->folded[i]) : folded[i];
      t->accented = cached != NULL ? vocab_string (&self->accented, info->accented[i]) : accented[i];
      t->len = (guint8) MIN (strlen (t->folded), 255);
      t->folded_group = _tp_matcher_group_of (self->group_by_folded, t->folded);
      t->accented_group = _tp_matcher_group_of (self->group_by_accented, t->accented);
    }
}

static DobRelation
dob_relation (const TpPartialDate *q,
              const IndexedEntry  *rec)
{
  if (q->year == 0 || rec->birth_year == 0)
    return DOB_UNKNOWN;
  if (q->year != rec->birth_year)
    return DOB_CONFLICT;
  if (q->month != 0 && rec->birth_month != 0 && q->month != rec->birth_month)
    return DOB_CONFLICT;
  if (q->day != 0 && rec->birth_day != 0 && q->day != rec->birth_day)
    return DOB_CONFLICT;
  if (q->month != 0 && q->day != 0 && rec->birth_month != 0 && rec->birth_day != 0)
    return DOB_EQUAL;
  return DOB_COMPATIBLE;
}

/* What a partial birth date costs in name evidence: about ln of how many
 * more people it lets in than a full date (a month of days, a year of
 * days). Either side may be the partial one. */
static double
partial_date_weight (const TpPartialDate *q,
                     const IndexedEntry  *rec)
{
  if (q->month == 0 || rec->birth_month == 0)
    return TP_MATCHER_NO_MONTH_WEIGHT;
  if (q->day == 0 || rec->birth_day == 0)
    return TP_MATCHER_NO_DAY_WEIGHT;
  return 0.0;
}

static inline gboolean
entry_in_force (const IndexedEntry *rec,
                guint32             date)
{
  return rec->from <= date && (rec->until == 0 || date <= rec->until);
}

/* TRUE when the traveller's personal number and the entry's national IDs
 * can be compared and none is the same. */
static gboolean
national_id_differs (const TpMatcher     *self,
                     const PreparedQuery *ctx,
                     const IndexedEntry  *rec)
{
  gboolean comparable = FALSE;

  if (!ctx->national_id_comparable || rec->n_idents == 0)
    return FALSE;
  for (guint i = 0; i < rec->n_idents; i++)
    {
      const IndexedIdentifier *id = ident_at (self, rec->ident_offset + i);

      if (id->type != TP_ID_NATIONAL_ID)
        continue;
      if (id->country[0] != '\0' && !states_equal (id->country, ctx->nationality) &&
          !states_equal (id->country, ctx->issuing_state))
        continue;
      if (strcmp (arena (self, id->value_offset), ctx->query->personal_number) == 0)
        return FALSE;
      comparable = TRUE;
    }
  return comparable;
}

/* Decides the band for one entry, or returns NULL. id_fields: the
 * identifiers that matched. */
static TpHit *
evaluate (const TpMatcher     *self,
          const PreparedQuery *ctx,
          guint32              index,
          guint                id_fields,
          gboolean             by_string)
{
  const IndexedEntry *rec = entry_at (self, index);
  const TpQuery *q = ctx->query;
  DobRelation dob;
  NameResult name;
  gboolean sex_conflict, nat_conflict, nid_conflict;
  gboolean name_agrees;
  TpBand band = TP_BAND_NONE;
  TpMatchFields matched = id_fields, conflicts = 0;
  double score = 0;
  TpHit *hit;

  if (!entry_in_force (rec, ctx->date))
    return NULL;
  dob = dob_relation (&q->birth_date, rec);
  if (id_fields == 0)
    {
      if (dob == DOB_CONFLICT)
        return NULL;
      if (!by_string)
        {
          /* The token mask tells, without aligning, whether enough tokens
           * can pair. */
          const guint32 *ef = folded_at (self, rec->token_offset);
          guint hits = 0, need;

          if (ctx->n_tokens == 0 || rec->n_tokens == 0 ||
              (ctx->n_tokens == 1) != (rec->n_tokens == 1))
            return NULL;
          need = ctx->n_tokens == 1 ? 1 : 2;
          for (guint j = 0; j < rec->n_tokens && hits < need; j++)
            if (ctx->qmask[ef[j]] != 0)
              hits++;
          if (hits < need)
            return NULL;
        }
    }

  sex_conflict = (q->sex == 'M' || q->sex == 'F') && (rec->sex == 'M' || rec->sex == 'F') &&
                 q->sex != rec->sex;
  /* A slip in a short given or middle name counts only when the birth date
   * is the same to the day and the sex is known to be the same */
  _tp_matcher_compare_names (self, ctx, rec, by_string,
                             ctx->slips && dob == DOB_EQUAL && q->sex == rec->sex, &name);
  nat_conflict = ctx->nationality[0] != '\0' && rec->nationality[0] != '\0' &&
                 strncmp (ctx->nationality, rec->nationality, 3) != 0;
  nid_conflict = (id_fields & TP_MATCH_NATIONAL_ID) == 0 && national_id_differs (self, ctx, rec);
  name_agrees = name.level != NAME_NONE;

  if (id_fields != 0)
    {
      gboolean contradicted = dob == DOB_CONFLICT || sex_conflict || nid_conflict;

      if (!contradicted)
        {
          band = TP_BAND_CONFIRMED;
          score = 0.90
                + (dob == DOB_EQUAL ? 0.04 : dob == DOB_COMPATIBLE ? 0.02 : 0)
                + (name.level == NAME_FULL ? 0.04 : name.level == NAME_FUZZY ? 0.02 : 0)
                + (id_fields == (TP_MATCH_PASSPORT | TP_MATCH_NATIONAL_ID) ? 0.01 : 0);
        }
      else if (name_agrees)
        {
          band = TP_BAND_PROBABLE;
          score = 0.70 + 0.15 * name.score;
        }
      else
        {
          band = TP_BAND_POSSIBLE;
          score = 0.45;
        }
      if (!name_agrees && ctx->n_tokens > 0 && rec->n_tokens > 0)
        conflicts |= TP_MATCH_NAME;
    }
  else
    {
      double rarity;

      if (nid_conflict || name.level == NAME_NONE)
        return NULL;
      /* A name that only comes close, and a sex or nationality that
       * differs: too little to hold anyone. */
      if (name.level == NAME_FUZZY && (sex_conflict || nat_conflict))
        return NULL;
      rarity = MIN (1.0, name.weight / 15.0);
      if (dob == DOB_UNKNOWN)
        {
          if (name.level != NAME_FULL || name.weight < TP_MATCHER_STRONG_NAME_WEIGHT)
            return NULL;
          band = TP_BAND_POSSIBLE;
        }
      else
        {
          /* A partial date narrows less: the name must make up for it. */
          double need = TP_MATCHER_MIN_NAME_WEIGHT;

          if (dob == DOB_COMPATIBLE)
            need += partial_date_weight (&q->birth_date, rec);
          /* A sex or a nationality that differs from the entry's speaks
           * against the name: it must outweigh the contradiction */
          if (sex_conflict)
            need += TP_MATCHER_SEX_CONFLICT_WEIGHT;
          if (nat_conflict)
            need += TP_MATCHER_NATIONALITY_CONFLICT_WEIGHT;
          /* An entry with no identifier a document can show is enforceable
           * only through its name: the full name (two tokens at least)
           * born within its date always hits, however common the name */
          if (rec->n_idents == 0 && name.level == NAME_FULL && rec->n_tokens >= 2)
            need = -G_MAXDOUBLE;
          if (name.weight < need)
            return NULL;
          if (name.level == NAME_FULL && dob == DOB_EQUAL && !sex_conflict && !nat_conflict)
            band = TP_BAND_PROBABLE;
          else
            band = TP_BAND_POSSIBLE;
        }
      score = (band == TP_BAND_PROBABLE ? 0.60 : 0.30) + 0.29 * name.score * rarity;
    }

  if (name_agrees)
    matched |= TP_MATCH_NAME;
  if (dob == DOB_EQUAL || dob == DOB_COMPATIBLE)
    matched |= TP_MATCH_BIRTH_DATE;
  else if (dob == DOB_CONFLICT)
    conflicts |= TP_MATCH_BIRTH_DATE;
  if (sex_conflict)
    conflicts |= TP_MATCH_SEX;
  else if ((q->sex == 'M' || q->sex == 'F') && q->sex == rec->sex)
    matched |= TP_MATCH_SEX;
  if (nat_conflict)
    conflicts |= TP_MATCH_NATIONALITY;
  else if (ctx->nationality[0] != '\0' && rec->nationality[0] != '\0')
    matched |= TP_MATCH_NATIONALITY;
  if (nid_conflict)
    conflicts |= TP_MATCH_NATIONAL_ID;

  hit = g_new0 (TpHit, 1);
  hit->entry_id = g_strdup (arena (self, rec->id_offset));
  hit->entry_version = rec->version;
  hit->list = (TpListKind) rec->list;
  hit->agency = (TpAgency) rec->agency;
  hit->action = (TpAction) rec->action;
  hit->band = band;
  hit->score = floor (MIN (score, 0.99) * 1000.0 + 0.5) / 1000.0;
  hit->matched = matched;
  hit->conflicts = conflicts;
  hit->name_match = name.level == NAME_FULL ? TP_NAME_MATCH_FULL :
                    name.level == NAME_FUZZY ? TP_NAME_MATCH_FUZZY : TP_NAME_MATCH_NONE;
  hit->name_weight = name.weight;
  hit->explanation = _tp_matcher_explain (self, ctx, rec, id_fields, band, &name, name_agrees, dob, conflicts);
  return hit;
}

/* Query preparation */

static void
add_expansion (const TpMatcher *self,
               PreparedQuery   *ctx,
               guint            i,
               guint32          id)
{
  QueryToken *t = &ctx->tokens[i];

  if (ctx->qmask[id] & (1u << i))
    return;
  ctx->qmask[id] |= (guint8) (1u << i);
  t->cost += self->df[id];
  for (guint c = 0; c < N_POS; c++)
    t->max_weight = MAX (t->max_weight, self->pos_weight[(gsize) id * N_POS + c]);
}

/* A token one edit away that only a slip can pair with: a candidate
 * (its postings count), but not a name the token stands for (its weight
 * does not count as the token's). */
static void
add_slip_expansion (const TpMatcher *self,
                    PreparedQuery   *ctx,
                    guint            i,
                    guint32          id)
{
  QueryToken *t = &ctx->tokens[i];

  if (ctx->qmask[id] & (1u << i))
    return;
  ctx->qmask[id] |= (guint8) (1u << i);
  t->cost += self->df[id];
  for (guint c = 0; c < N_POS; c++)
    t->slip_weight = MAX (t->slip_weight, self->pos_weight[(gsize) id * N_POS + c]);
}

static void
expand_token (const TpMatcher *self,
              PreparedQuery   *ctx,
              guint            i)
{
  QueryToken *t = &ctx->tokens[i];
  guint16 groups[2] = { t->folded_group, t->accented_group };
  gboolean slips = ctx->slips && !t->surname;

  if (t->folded_id != NO_ID)
    add_expansion (self, ctx, i, t->folded_id);

  for (guint g = 0; g < G_N_ELEMENTS (groups); g++)
    {
      guint k = groups[g];

      if (k == 0 || k >= self->group_members.n_keys)
        continue;
      for (guint32 p = self->group_members.offsets[k]; p < self->group_members.offsets[k + 1]; p++)
        add_expansion (self, ctx, i, self->group_members.items[p]);
    }

  if (t->len >= TP_MATCHER_TYPO_MIN_LENGTH || slips)
    {
      for (gsize skip = 0; skip <= t->len; skip++)
        {
          /* skip == len hashes the token itself */
          guint64 h = _tp_matcher_hash_bytes (t->folded, t->len, skip == t->len ? G_MAXSIZE : skip);
          gsize lo = 0, hi = self->n_deletions;

          while (lo < hi)
            {
              gsize mid = lo + (hi - lo) / 2;

              if (self->deletions[mid].hash < h)
                lo = mid + 1;
              else
                hi = mid;
            }
          for (; lo < self->n_deletions && self->deletions[lo].hash == h; lo++)
            {
              guint32 id = self->deletions[lo].token;

              if (ctx->qmask[id] & (1u << i))
                continue;
              if (tp_name_edit_distance (t->folded, vocab_string (&self->folded, id), 1) > 1)
                continue;
              /* A typo between long tokens; a slip when either is short */
              if (t->len >= TP_MATCHER_TYPO_MIN_LENGTH && self->folded_len[id] >= TP_MATCHER_TYPO_MIN_LENGTH)
                add_expansion (self, ctx, i, id);
              else if (slips)
                add_slip_expansion (self, ctx, i, id);
            }
        }
    }

  if (t->truncated)
    {
      guint n = self->folded.strings->len;
      guint lo = 0, hi = n;

      while (lo < hi)
        {
          guint mid = lo + (hi - lo) / 2;

          if (strcmp (vocab_string (&self->folded, self->sorted_vocab[mid]), t->folded) < 0)
            lo = mid + 1;
          else
            hi = mid;
        }
      for (; lo < n; lo++)
        {
          guint32 id = self->sorted_vocab[lo];

          if (strncmp (vocab_string (&self->folded, id), t->folded, t->len) != 0)
            break;
          add_expansion (self, ctx, i, id);
        }
    }
}

static guint32
vocab_lookup (const TpMatcher *self,
              const char      *s)
{
  gpointer v = g_hash_table_lookup (self->folded.index, s);

  return v != NULL ? GPOINTER_TO_UINT (v) - 1 : NO_ID;
}

/* A name in one piece on one side and in two on the other (MINJUN, MIN
 * JUN): each query token may pair with the halves it splits into, and two
 * neighbours with the token they make together. */
static void
expand_joins (const TpMatcher *self,
              PreparedQuery   *ctx)
{
  char buf[2 * 256 + 1];

  for (guint i = 0; i < ctx->n_tokens; i++)
    {
      const char *s = ctx->tokens[i].folded;
      gsize len = ctx->tokens[i].len;

      for (gsize cut = 1; cut < len; cut++)
        {
          guint32 a, b;

          memcpy (buf, s, cut);
          buf[cut] = '\0';
          if ((a = vocab_lookup (self, buf)) == NO_ID || (b = vocab_lookup (self, s + cut)) == NO_ID)
            continue;
          add_expansion (self, ctx, i, a);
          add_expansion (self, ctx, i, b);
        }
      if (i + 1 < ctx->n_tokens)
        {
          guint32 id;

          memcpy (buf, s, len);
          memcpy (buf + len, ctx->tokens[i + 1].folded, ctx->tokens[i + 1].len);
          buf[len + ctx->tokens[i + 1].len] = '\0';
          id = vocab_lookup (self, buf);
          if (id != NO_ID)
            {
              add_expansion (self, ctx, i, id);
              add_expansion (self, ctx, i + 1, id);
            }
        }
    }
}

static void
add_name_text (TpMatcher     *self,
               PreparedQuery *ctx,
               const char    *text)
{
  if (text != NULL)
    _tp_matcher_foreach_raw (self, text, query_raw_cb, ctx);
}

static void
prepare_query (TpMatcher             *self,
               const TpQuery         *query,
               const TpScreenOptions *options,
               PreparedQuery         *ctx)
{
  memset (ctx, 0, sizeof *ctx);
  ctx->query = query;
  ctx->date = g_date_get_julian (&options->date);
  ctx->now = options->now;
  ctx->owned = g_ptr_array_new_with_free_func (g_free);
  ctx->qmask = g_malloc0 (MAX (self->folded.strings->len, 1));
  _tp_matcher_normalize_state (query->nationality, ctx->nationality);
  _tp_matcher_normalize_state (query->issuing_state, ctx->issuing_state);
  ctx->vn_order = ctx->nationality[0] == '\0' ? strncmp (ctx->issuing_state, "VNM", 3) == 0 || ctx->issuing_state[0] == '\0'
                                              : strncmp (ctx->nationality, "VNM", 3) == 0;
  ctx->national_id_comparable = query->personal_number != NULL &&
                                strlen (query->personal_number) == 12;

  ctx->slips = query->birth_date.year != 0 && query->birth_date.month != 0 &&
               query->birth_date.day != 0 && (query->sex == 'M' || query->sex == 'F');

  if (query->full_name != NULL)
    add_name_text (self, ctx, query->full_name);
  if (ctx->n_tokens == 0)
    ctx->accented = FALSE;
  if (ctx->n_tokens > 0)
    {
      g_autofree char *primary = query->primary ? tp_name_fold (query->primary) : NULL;
      g_auto(GStrv) surname = primary ? g_strsplit (primary, " ", -1) : NULL;

      for (guint i = 0; i < ctx->n_tokens; i++)
        {
          gboolean is_surname = surname != NULL && g_strv_contains ((const char * const *) surname,
                                                                    ctx->tokens[i].folded);

          ctx->tokens[i].missable = i > 0 && i + 1 < ctx->n_tokens && !is_surname;
        }
      /* The family name: the MRZ's primary identifier, once, where the
       * nationality's order puts it (Nguyễn Văn Nguyên has one) */
      for (guint k = 0; k < ctx->n_tokens; k++)
        {
          guint i = ctx->vn_order ? k : ctx->n_tokens - 1 - k;
          gboolean seen = FALSE;

          for (guint k2 = 0; k2 < k && surname != NULL; k2++)
            {
              guint i2 = ctx->vn_order ? k2 : ctx->n_tokens - 1 - k2;

              seen |= ctx->tokens[i2].surname && g_str_equal (ctx->tokens[i2].folded, ctx->tokens[i].folded);
            }
          ctx->tokens[i].surname = surname != NULL
                                 ? g_strv_contains ((const char * const *) surname, ctx->tokens[i].folded) && !seen
                                 : k == 0;
        }
    }
  else
    {
      guint n_primary;

      add_name_text (self, ctx, query->primary);
      n_primary = ctx->n_tokens;
      for (guint i = 0; i < n_primary; i++)
        ctx->tokens[i].surname = TRUE;
      add_name_text (self, ctx, query->secondary);
      for (guint i = n_primary; i < ctx->n_tokens; i++)
        ctx->tokens[i].missable = ctx->vn_order ? i + 1 < ctx->n_tokens : i > n_primary;
      if (ctx->n_tokens > 0 && (query->primary != NULL || query->secondary != NULL))
        {
          g_autofree char *mrz = tp_name_to_mrz (query->primary ? query->primary : "",
                                                 query->secondary);
          gsize len = strlen (mrz);

          /* A name that fills a TD1 (30), TD2/MRV-B (31) or TD3/MRV-A (39)
           * field may have been cut at its end. */
          if (len == 30 || len == 31 || len == 39)
            {
              ctx->truncated = TRUE;
              ctx->tokens[ctx->n_tokens - 1].truncated = TRUE;
            }
        }
    }

  for (guint i = 0; i < ctx->n_tokens; i++)
    expand_token (self, ctx, i);
  expand_joins (self, ctx);
}

static void
clear_query (PreparedQuery *ctx)
{
  g_clear_pointer (&ctx->owned, g_ptr_array_unref);
  g_clear_pointer (&ctx->qmask, g_free);
}

static gboolean
ident_country_ok (const TpMatcher         *self,
                  const PreparedQuery     *ctx,
                  const IndexedIdentifier *id)
{
  const IndexedEntry *rec = entry_at (self, id->rec);

  if (id->type == TP_ID_PASSPORT)
    {
      /* Document number and issuing state: the entry's stated country, or
       * its nationality when the identifier has none, against the
       * document's issuing state (its holder's nationality when the query
       * has no issuing state; the number alone when it has neither). */
      const char *state = ctx->issuing_state[0] != '\0' ? ctx->issuing_state : ctx->nationality;

      if (state[0] == '\0')
        return TRUE;
      if (id->country[0] != '\0')
        return states_equal (id->country, state);
      if (rec->nationality[0] != '\0')
        return states_equal (rec->nationality, state);
      return TRUE;
    }
  if (id->country[0] == '\0')
    return TRUE;
  return states_equal (id->country, ctx->nationality) || states_equal (id->country, ctx->issuing_state);
}

static void
lookup_identifier (const TpMatcher     *self,
                   const PreparedQuery *ctx,
                   guint8               type,
                   const char          *value,
                   guint                field,
                   GArray              *out)
{
  guint32 slot;

  if (value == NULL || self->id_slots == NULL)
    return;
  slot = _tp_matcher_identifier_hash (type, value) & self->id_mask;
  for (;; slot = (slot + 1) & self->id_mask)
    {
      guint32 k = self->id_slots[slot];
      const IndexedIdentifier *id;
      gboolean found = FALSE;

      if (k == 0)
        break;
      id = ident_at (self, k - 1);
      if (id->type != type || strcmp (arena (self, id->value_offset), value) != 0 ||
          !ident_country_ok (self, ctx, id))
        continue;
      for (guint c = 0; c < out->len; c++)
        {
          IdentifierCandidate *cand = &g_array_index (out, IdentifierCandidate, c);

          if (cand->rec == id->rec)
            {
              cand->fields |= field;
              found = TRUE;
            }
        }
      if (!found)
        {
          IdentifierCandidate cand = { id->rec, field };

          g_array_append_val (out, cand);
        }
    }
}

static gboolean
is_id_candidate (GArray  *ids,
                 guint32  rec)
{
  for (guint c = 0; c < ids->len; c++)
    if (g_array_index (ids, IdentifierCandidate, c).rec == rec)
      return TRUE;
  return FALSE;
}

static void
add_hit (GPtrArray *hits,
         TpHit     *hit)
{
  if (hit != NULL)
    g_ptr_array_add (hits, hit);
}

static void
scan_range (const TpMatcher      *self,
            const PreparedQuery  *ctx,
            const CompressedRows *csr,
            guint                 first,
            guint                 last,
            GArray               *ids,
            GPtrArray            *hits,
            guint                *n_candidates)
{
  for (guint32 p = csr->offsets[first]; p < csr->offsets[last + 1]; p++)
    {
      guint32 rec = csr->items[p];

      (*n_candidates)++;
      if (ids->len > 0 && is_id_candidate (ids, rec))
        continue;
      add_hit (hits, evaluate (self, ctx, rec, 0, FALSE));
    }
}

static int
compare_u32 (const void *a,
             const void *b)
{
  guint32 x = *(const guint32 *) a, y = *(const guint32 *) b;

  return x < y ? -1 : x > y;
}

static void
search_names (const TpMatcher     *self,
              const PreparedQuery *ctx,
              GArray              *ids,
              GPtrArray           *hits,
              guint               *n_candidates)
{
  const TpPartialDate *dob = &ctx->query->birth_date;
  guint m = ctx->n_tokens;
  double dob_cost = G_MAXDOUBLE, token_cost = 0, max_weight = 0;
  guint order[TP_MATCHER_MAX_TOKENS];
  guint n_chosen;
  guint day_first = 0, day_last = 0, month_first = 0, month_last = 0, year = 0;
  gboolean have_range = FALSE;

  if (m == 0)
    return;

  for (guint i = 0; i < m; i++)
    max_weight += MAX (ctx->tokens[i].max_weight, ctx->tokens[i].slip_weight);
  /* Nothing can reach the name weight needed: no name search at all
   * (unless an entry without identifiers may take the full name alone). */
  if (max_weight < TP_MATCHER_MIN_NAME_WEIGHT && self->n_name_only == 0)
    return;

  if (dob->year != 0 && year_in_range (dob->year))
    {
      year = dob->year - DOB_BASE_YEAR;
      if (dob->month != 0 && dob->day != 0)
        {
          day_first = day_last = day_key (dob->year, dob->month, dob->day);
          month_first = month_last = month_key (dob->year, dob->month);
        }
      else if (dob->month != 0)
        {
          day_first = day_key (dob->year, dob->month, 1);
          day_last = day_key (dob->year, dob->month, 31);
          month_first = month_last = month_key (dob->year, dob->month);
        }
      else
        {
          day_first = day_key (dob->year, 1, 1);
          day_last = day_key (dob->year, 12, 31);
          month_first = month_key (dob->year, 1);
          month_last = month_key (dob->year, 12);
        }
      have_range = TRUE;
      dob_cost = (double) rows_range_size (&self->by_day, day_first, day_last)
               + (double) rows_range_size (&self->by_month, month_first, month_last)
               + (double) rows_range_size (&self->by_year, year, year);
    }
  else if (dob->year != 0)
    dob_cost = 0;   /* a year the index does not cover: only undated entries */
  else if (max_weight < TP_MATCHER_STRONG_NAME_WEIGHT)
    return;         /* no birth date: only a strong full name may hit */

  /* Token path: a name agreement pairs at least two query tokens (one for
   * single-token names), so the postings of the m - 1 rarest suffice. */
  for (guint i = 0; i < m; i++)
    order[i] = i;
  for (guint i = 1; i < m; i++)
    for (guint j = i; j > 0 && ctx->tokens[order[j]].cost < ctx->tokens[order[j - 1]].cost; j--)
      {
        guint tmp = order[j];

        order[j] = order[j - 1];
        order[j - 1] = tmp;
      }
  n_chosen = m == 1 ? 1 : m - 1;
  for (guint k = 0; k < n_chosen; k++)
    token_cost += ctx->tokens[order[k]].cost;

  if (token_cost < dob_cost)
    {
      g_autoptr(GArray) cands = g_array_new (FALSE, FALSE, sizeof (guint32));
      guint8 chosen = 0;
      guint n_vocab = self->folded.strings->len;

      for (guint k = 0; k < n_chosen; k++)
        chosen |= (guint8) (1u << order[k]);
      for (guint32 id = 0; id < n_vocab; id++)
        {
          if ((ctx->qmask[id] & chosen) == 0)
            continue;
          g_array_append_vals (cands, self->postings.items + self->postings.offsets[id],
                               self->postings.offsets[id + 1] - self->postings.offsets[id]);
        }
      if (cands->len > 1)
        qsort (cands->data, cands->len, sizeof (guint32), compare_u32);
      for (guint c = 0; c < cands->len; c++)
        {
          guint32 rec = g_array_index (cands, guint32, c);

          if (c > 0 && rec == g_array_index (cands, guint32, c - 1))
            continue;
          (*n_candidates)++;
          if (ids->len > 0 && is_id_candidate (ids, rec))
            continue;
          add_hit (hits, evaluate (self, ctx, rec, 0, FALSE));
        }
      return;
    }

  if (have_range)
    {
      scan_range (self, ctx, &self->by_day, day_first, day_last, ids, hits, n_candidates);
      scan_range (self, ctx, &self->by_month, month_first, month_last, ids, hits, n_candidates);
      scan_range (self, ctx, &self->by_year, year, year, ids, hits, n_candidates);
    }
  for (guint c = 0; c < self->no_birth->len; c++)
    {
      guint32 rec = g_array_index (self->no_birth, guint32, c);

      (*n_candidates)++;
      if (ids->len > 0 && is_id_candidate (ids, rec))
        continue;
      add_hit (hits, evaluate (self, ctx, rec, 0, FALSE));
    }
}

static gboolean
cleared (const TpMatcher *self,
         const char      *document_key,
         const TpHit     *hit,
         gint64           now)
{
  g_autofree char *key = NULL;
  GArray *list;

  if (document_key == NULL)
    return FALSE;
  key = g_strconcat (document_key, "\x1f", hit->entry_id, NULL);
  list = g_hash_table_lookup (self->clearances, key);
  if (list == NULL)
    return FALSE;
  for (guint i = 0; i < list->len; i++)
    {
      const Clearance *c = &g_array_index (list, Clearance, i);

      if (c->version == hit->entry_version && (c->expires_at == 0 || c->expires_at > now))
        return TRUE;
    }
  return FALSE;
}

static int
compare_hits (gconstpointer a,
              gconstpointer b)
{
  const TpHit *ha = *(const TpHit * const *) a;
  const TpHit *hb = *(const TpHit * const *) b;

  if (ha->band != hb->band)
    return ha->band > hb->band ? -1 : 1;
  if (ha->score != hb->score)
    return ha->score > hb->score ? -1 : 1;
  return strcmp (ha->entry_id, hb->entry_id);
}

static TpScreenResult *
finish (const TpMatcher       *self,
        const PreparedQuery   *ctx,
        const TpScreenOptions *options,
        GPtrArray             *found,
        guint                  n_candidates)
{
  TpScreenResult *result = g_new0 (TpScreenResult, 1);
  g_autofree char *document_key = tp_query_document_key (ctx->query);
  guint max_hits = options->max_hits != 0 ? options->max_hits : DEFAULT_MAX_HITS;

  result->hits = g_ptr_array_new_with_free_func ((GDestroyNotify) tp_hit_free);
  result->suppressed = g_ptr_array_new_with_free_func ((GDestroyNotify) tp_hit_free);
  result->n_candidates = n_candidates;
  result->verdict = TP_VERDICT_CLEAR;

  for (guint i = 0; i < found->len; i++)
    {
      TpHit *hit = g_ptr_array_index (found, i);
      TpVerdict v = TP_VERDICT_CLEAR;

      if (cleared (self, document_key, hit, ctx->now))
        {
          g_ptr_array_add (result->suppressed, hit);
          continue;
        }
      g_ptr_array_add (result->hits, hit);
      if (hit->band == TP_BAND_CONFIRMED)
        {
          switch (hit->action)
            {
            case TP_ACTION_DENY_EXIT:
              v = TP_VERDICT_STOP;
              break;
            case TP_ACTION_REFER_CUSTOMS:
            case TP_ACTION_REFER_SUPERVISOR:
              v = TP_VERDICT_REFER;
              break;
            case TP_ACTION_NOTIFY:
            default:
              v = TP_VERDICT_CLEAR;
              break;
            }
        }
      else
        v = TP_VERDICT_REVIEW;
      result->verdict = MAX (result->verdict, v);
    }
  g_ptr_array_set_free_func (found, NULL);

  g_ptr_array_sort (result->hits, compare_hits);
  g_ptr_array_sort (result->suppressed, compare_hits);
  result->n_hits_total = result->hits->len;
  if (result->hits->len > max_hits)
    g_ptr_array_set_size (result->hits, max_hits);
  return result;
}

void
tp_screen_options_init (TpScreenOptions *options,
                        const GDate     *date,
                        gint64           now)
{
  g_return_if_fail (options != NULL);
  g_return_if_fail (date != NULL && g_date_valid (date));

  memset (options, 0, sizeof *options);
  options->date = *date;
  options->now = now;
}

TpScreenResult *
tp_matcher_screen (TpMatcher             *self,
                   const TpQuery         *query,
                   const TpScreenOptions *options)
{
  PreparedQuery ctx;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GPtrArray) found = NULL;
  guint n_candidates = 0;
  TpScreenResult *result;

  g_return_val_if_fail (self != NULL && self->built, NULL);
  g_return_val_if_fail (query != NULL, NULL);
  g_return_val_if_fail (options != NULL && g_date_valid (&options->date), NULL);

  prepare_query (self, query, options, &ctx);
  ids = g_array_new (FALSE, FALSE, sizeof (IdentifierCandidate));
  found = g_ptr_array_new_with_free_func ((GDestroyNotify) tp_hit_free);

  if (query->document_number != NULL)
    lookup_identifier (self, &ctx, TP_ID_PASSPORT, query->document_number, TP_MATCH_PASSPORT, ids);
  if (query->personal_number != NULL)
    lookup_identifier (self, &ctx, TP_ID_NATIONAL_ID, query->personal_number, TP_MATCH_NATIONAL_ID, ids);
  for (guint c = 0; c < ids->len; c++)
    {
      const IdentifierCandidate *cand = &g_array_index (ids, IdentifierCandidate, c);

      n_candidates++;
      add_hit (found, evaluate (self, &ctx, cand->rec, cand->fields, FALSE));
    }

  search_names (self, &ctx, ids, found, &n_candidates);

  result = finish (self, &ctx, options, found, n_candidates);
  clear_query (&ctx);
  return result;
}

TpScreenResult *
tp_matcher_screen_exhaustive (TpMatcher             *self,
                              const TpQuery         *query,
                              const TpScreenOptions *options)
{
  PreparedQuery ctx;
  g_autoptr(GPtrArray) found = NULL;
  TpScreenResult *result;
  guint n;

  g_return_val_if_fail (self != NULL && self->built, NULL);
  g_return_val_if_fail (query != NULL, NULL);
  g_return_val_if_fail (options != NULL && g_date_valid (&options->date), NULL);

  n = N_ENTRIES (self);
  prepare_query (self, query, options, &ctx);
  found = g_ptr_array_new_with_free_func ((GDestroyNotify) tp_hit_free);

  for (guint32 r = 0; r < n; r++)
    {
      const IndexedEntry *rec = entry_at (self, r);
      guint fields = 0;

      for (guint i = 0; i < rec->n_idents; i++)
        {
          const IndexedIdentifier *id = ident_at (self, rec->ident_offset + i);
          const char *value = id->type == TP_ID_PASSPORT ? query->document_number : query->personal_number;

          if (value != NULL && strcmp (arena (self, id->value_offset), value) == 0 &&
              ident_country_ok (self, &ctx, id))
            fields |= id->type == TP_ID_PASSPORT ? TP_MATCH_PASSPORT : TP_MATCH_NATIONAL_ID;
        }
      add_hit (found, evaluate (self, &ctx, r, fields, TRUE));
    }

  result = finish (self, &ctx, options, found, n);
  clear_query (&ctx);
  return result;
}

void
tp_hit_free (TpHit *hit)
{
  if (hit == NULL)
    return;
  g_free (hit->entry_id);
  g_free (hit->explanation);
  g_free (hit);
}

void
tp_screen_result_free (TpScreenResult *result)
{
  if (result == NULL)
    return;
  g_clear_pointer (&result->hits, g_ptr_array_unref);
  g_clear_pointer (&result->suppressed, g_ptr_array_unref);
  g_free (result);
}

const char *
tp_band_to_string (TpBand band)
{
  switch (band)
    {
    case TP_BAND_CONFIRMED: return "confirmed";
    case TP_BAND_PROBABLE:  return "probable";
    case TP_BAND_POSSIBLE:  return "possible";
    case TP_BAND_NONE:
    default:                return "none";
    }
}

const char *
tp_verdict_to_string (TpVerdict verdict)
{
  switch (verdict)
    {
    case TP_VERDICT_STOP:   return "STOP";
    case TP_VERDICT_REFER:  return "REFER";
    case TP_VERDICT_REVIEW: return "REVIEW";
    case TP_VERDICT_CLEAR:
    default:                return "CLEAR";
    }
}

guint
tp_match_fields_to_strings (TpMatchFields   fields,
                            const char    **out)
{
  guint n = 0;

  g_return_val_if_fail (out != NULL, 0);

  for (guint i = 0; i < G_N_ELEMENTS (match_field_names); i++)
    if (fields & (1u << i))
      out[n++] = match_field_names[i];
  return n;
}
