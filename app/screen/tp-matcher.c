/* tp-matcher.c: screening matcher with in-memory indexes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Layout (sized for a million entries, no object per entry):
 *  - recs: one 40-byte record per entry (id and identifiers in a string
 *    arena, the name as token ids in two parallel arrays, folded and
 *    accented, dates as day numbers, codes as bytes), in buffers that grow
 *    without copying (mremap) while the store is read;
 *  - two vocabularies (folded and accented tokens), each token interned
 *    once, with its document frequency and rarity weight ln(N/df); raw
 *    tokens as written are cached, so the name normaliser runs once per
 *    distinct spelling, not once per entry;
 *  - identifier table: open addressing over (type, value) → identifier
 *    records, built on a second thread while the rest is built;
 *  - birth-date index: entries grouped by full date, by year-month (for
 *    entries that only know that) and by year, as compressed rows: a day,
 *    a month or a whole year of full dates is one contiguous slice;
 *  - token postings (compressed rows, entry indexes by token id);
 *  - deletion neighbourhood of every token of five letters or more (hash of
 *    the token and of each one-letter deletion, sorted): the tokens one
 *    edit away from a query token are found by binary search, not by
 *    comparing against the vocabulary.
 *
 * A query's name is expanded once into the set of vocabulary tokens each
 * of its tokens may pair with (exact, equivalent surname, one edit, MRZ
 * prefix), as a byte mask per token id. Candidates come from the
 * identifier table, then from the birth-date slices compatible with the
 * query's date (a few dozen to a few hundred entries at a million), or from
 * the postings of the rarest query tokens when those are cheaper (a
 * partial birth date): NGUYEN's third of the list is never walked. Each
 * candidate is filtered by effective dates, birth date and the token mask
 * before the name alignment is computed.
 */
#include "config.h"

#include <gio/gio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#ifdef __linux__
#include <sys/mman.h>
#endif

#include "tp-error.h"
#include "tp-screen-resources.h"
#include "tp-matcher.h"
#include "tp-name.h"

#define NO_ID             G_MAXUINT32
#define MAX_SPLIT         4
#define DEFAULT_MAX_HITS  20
#define DOB_BASE_YEAR     1800
#define DOB_YEARS         400
#define DAY_KEYS          (DOB_YEARS * 372)
#define YM_KEYS           (DOB_YEARS * 12)
#define EQUIVALENCES_RESOURCE "/org/touchpoint/Touchpoint/screen/surname-equivalences.txt"

enum {
  REC_ACCENTED = 1 << 0,
};

typedef struct {
  guint32 id_offset;      /* entry id in the string arena */
  guint32 version;
  guint32 token_offset;   /* into tokens[] and accents[] */
  guint32 ident_offset;   /* into idents[] */
  guint32 from;           /* julian day */
  guint32 until;          /* julian day, 0 = until cancelled */
  guint16 birth_year;
  guint8  birth_month;
  guint8  birth_day;
  guint8  n_tokens;
  guint8  n_idents;
  guint8  list;
  guint8  agency;
  guint8  action;
  guint8  flags;
  char    sex;
  char    nationality[3];
} Rec;

typedef struct {
  guint32 rec;
  guint32 value_offset;   /* string arena */
  guint8  type;           /* TpIdentifierType */
  char    country[3];     /* all zero when unknown */
} Ident;

typedef struct {
  guint64 hash;
  guint32 token;
} Deletion;

/* A growing array of bytes. On Linux it lives in its own mapping and grows
 * with mremap(), so a million entries never get copied while they load,
 * and asks for transparent huge pages (fewer page faults); elsewhere it is
 * g_realloc(). */
typedef struct {
  gpointer data;
  gsize    len;
  gsize    cap;
} Buf;

typedef struct {
  GHashTable *index;      /* char* (owned by strings) → id + 1 */
  GPtrArray  *strings;    /* id → char* */
} Vocab;

typedef struct {
  guint8  n;
  guint8  diacritics;
  guint32 folded[MAX_SPLIT];
  guint32 accented[MAX_SPLIT];
} RawInfo;

typedef struct {
  guint32 *offsets;       /* n_keys + 1 */
  guint32 *items;         /* in items_buf */
  Buf      items_buf;
  guint    n_keys;
} Csr;

typedef struct {
  guint  version;
  gint64 expires_at;
} Clearance;

struct _TpMatcher {
  gboolean    built;

  Buf         recs;       /* Rec */
  Buf         tokens;     /* guint32 folded token ids */
  Buf         accents;    /* guint32 accented token ids, parallel to tokens */
  Buf         idents;     /* Ident */
  Buf         strings;    /* arena of NUL-terminated strings */
  Vocab       folded;
  Vocab       accented;
  GHashTable *raw_cache;  /* raw token as written → RawInfo */
  guint       n_cancelled;

  GPtrArray  *equiv_groups;       /* GStrv of accented members, group = index + 1 */
  GHashTable *group_by_folded;    /* char* → group */
  GHashTable *group_by_accented;  /* char* → group */

  /* Built by tp_matcher_build() */
  guint32    *df;
  float      *weight;
  float      *pos_weight;         /* 3 per folded id: as first, middle, last token */
  guint8     *folded_len;
  guint16    *folded_group;
  guint16    *accented_group;
  guint32    *accented_df;
  Csr         postings;
  Csr         by_day;
  Csr         by_month;
  Csr         by_year;
  GArray     *no_birth;           /* guint32 rec indexes without a usable date */
  guint32    *id_slots;           /* ident index + 1, 0 = empty; in id_buf */
  Buf         id_buf;
  guint32     id_mask;
  Deletion   *deletions;
  gsize       n_deletions;
  guint32    *sorted_vocab;       /* folded ids in string order */
  Csr         group_members;      /* group → folded ids */

  GHashTable *clearances;         /* "doc\x1fentry" → GArray of Clearance */
};

typedef enum {
  PAIR_NONE,
  PAIR_TYPO,
  PAIR_EQUIV,
  PAIR_PREFIX,
  PAIR_EXACT,
} PairKind;

typedef enum {
  NAME_NONE,
  NAME_FUZZY,
  NAME_FULL,
} NameLevel;

typedef enum {
  DOB_UNKNOWN,
  DOB_CONFLICT,
  DOB_COMPATIBLE,
  DOB_EQUAL,
} DobRelation;

typedef struct {
  const char *folded;
  const char *accented;
  guint32     folded_id;
  guint32     accented_id;
  guint16     folded_group;
  guint16     accented_group;
  guint8      len;
  gboolean    missable;
  gboolean    truncated;
  double      cost;            /* postings behind its expansions */
  double      max_weight;      /* highest weight among its expansions */
} QToken;

typedef struct {
  const TpQuery *query;
  guint32        date;          /* julian day */
  gint64         now;
  QToken         tokens[TP_MATCHER_MAX_TOKENS];
  guint          n_tokens;
  gboolean       accented;
  gboolean       truncated;
  guint8        *qmask;         /* per folded id: which query tokens it may pair with */
  GPtrArray     *owned;         /* strings to free */
  char           nationality[4];
  char           issuing_state[4];
  gboolean       vn_order;      /* family name first, given name last */
  gboolean       national_id_comparable;
} QueryCtx;

typedef struct {
  NameLevel level;
  double    weight;
  double    score;
  guint     n_matched;
  guint8    q_kind[TP_MATCHER_MAX_TOKENS];   /* PairKind of each query token */
  guint8    q_pair[TP_MATCHER_MAX_TOKENS];   /* entry token it pairs with */
  guint32   q_unmatched;                     /* masks */
  guint32   e_unmatched;
  gboolean  reordered;
} NameResult;

typedef struct {
  guint32 rec;
  guint   fields;   /* TP_MATCH_PASSPORT | TP_MATCH_NATIONAL_ID */
} IdCandidate;

static const char *const match_field_names[] = {
  "passport", "national_id", "name", "birth_date", "sex", "nationality",
};

/* Helpers */

static void
buf_reserve (Buf   *buf,
             gsize  need)
{
  gsize cap;

  if (need <= buf->cap)
    return;
  cap = MAX (need, buf->cap * 2);
  cap = MAX (cap, 1 << 20);
  cap = (cap + 4095) & ~(gsize) 4095;
#ifdef __linux__
  {
    void *p = buf->data == NULL
            ? mmap (NULL, cap, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
            : mremap (buf->data, buf->cap, cap, MREMAP_MAYMOVE);

    if (p == MAP_FAILED)
      g_error ("tp-matcher: cannot map %" G_GSIZE_FORMAT " bytes", cap);
#ifdef MADV_HUGEPAGE
    madvise (p, cap, MADV_HUGEPAGE);
#endif
    buf->data = p;
  }
#else
  buf->data = g_realloc (buf->data, cap);
#endif
  buf->cap = cap;
}

static gpointer
buf_append (Buf           *buf,
            gconstpointer  src,
            gsize          n)
{
  gpointer dest;

  buf_reserve (buf, buf->len + n);
  dest = (char *) buf->data + buf->len;
  if (n > 0)
    memcpy (dest, src, n);
  buf->len += n;
  return dest;
}

static void
buf_clear (Buf *buf)
{
  if (buf->data != NULL)
    {
#ifdef __linux__
      munmap (buf->data, buf->cap);
#else
      g_free (buf->data);
#endif
    }
  memset (buf, 0, sizeof *buf);
}

#define N_RECS(self)    ((guint) ((self)->recs.len / sizeof (Rec)))
#define N_IDENTS(self)  ((guint) ((self)->idents.len / sizeof (Ident)))
#define N_TOKENS(self)  ((guint) ((self)->tokens.len / sizeof (guint32)))

static inline const Rec *
rec_at (const TpMatcher *self,
        guint32          index)
{
  return (const Rec *) self->recs.data + index;
}

static inline const Ident *
ident_at (const TpMatcher *self,
          guint32          index)
{
  return (const Ident *) self->idents.data + index;
}

static inline const guint32 *
folded_at (const TpMatcher *self,
           guint32          offset)
{
  return (const guint32 *) self->tokens.data + offset;
}

static inline const guint32 *
accents_at (const TpMatcher *self,
            guint32          offset)
{
  return (const guint32 *) self->accents.data + offset;
}

static inline const char *
arena (const TpMatcher *self,
       guint32          offset)
{
  return (const char *) self->strings.data + offset;
}

static guint32
arena_add (TpMatcher  *self,
           const char *s)
{
  guint32 offset = (guint32) self->strings.len;

  buf_append (&self->strings, s, strlen (s) + 1);
  return offset;
}

static void
vocab_init (Vocab *vocab)
{
  vocab->index = g_hash_table_new (g_str_hash, g_str_equal);
  vocab->strings = g_ptr_array_new_with_free_func (g_free);
}

static void
vocab_clear (Vocab *vocab)
{
  g_clear_pointer (&vocab->index, g_hash_table_unref);
  g_clear_pointer (&vocab->strings, g_ptr_array_unref);
}

static guint32
vocab_lookup (const Vocab *vocab,
              const char  *s)
{
  gpointer p = g_hash_table_lookup (vocab->index, s);

  return p != NULL ? GPOINTER_TO_UINT (p) - 1 : NO_ID;
}

static guint32
vocab_intern (Vocab      *vocab,
              const char *s)
{
  guint32 id = vocab_lookup (vocab, s);
  char *copy;

  if (id != NO_ID)
    return id;
  copy = g_strdup (s);
  id = vocab->strings->len;
  g_ptr_array_add (vocab->strings, copy);
  g_hash_table_insert (vocab->index, copy, GUINT_TO_POINTER (id + 1));
  return id;
}

static inline const char *
vocab_string (const Vocab *vocab,
              guint32      id)
{
  return g_ptr_array_index (vocab->strings, id);
}

static guint64
hash_bytes (const char *s,
            gsize       len,
            gsize       skip)
{
  guint64 h = G_GUINT64_CONSTANT (14695981039346656037);

  for (gsize i = 0; i < len; i++)
    {
      if (i == skip)
        continue;
      h ^= (guchar) s[i];
      h *= G_GUINT64_CONSTANT (1099511628211);
    }
  return h ^ (h >> 29);
}

static guint32
ident_hash (guint8      type,
            const char *value)
{
  return (guint32) hash_bytes (value, strlen (value), G_MAXSIZE) ^ (type * 0x9E3779B1u);
}

/* Issuing states as codes the list and the MRZ agree on: the MRZ writes
 * Germany as "D". */
static void
normalize_state (const char *in,
                 char        out[4])
{
  memset (out, 0, 4);
  if (in == NULL)
    return;
  if (g_str_equal (in, "D"))
    in = "DEU";
  for (guint i = 0; i < 3 && in[i] != '\0'; i++)
    out[i] = g_ascii_toupper (in[i]);
}

static gboolean
states_equal (const char *a,
              const char *b)
{
  return a[0] != '\0' && strncmp (a, b, 3) == 0;
}

static guint
count_bits (guint32 v)
{
  guint n = 0;

  for (; v != 0; v &= v - 1)
    n++;
  return n;
}

static inline guint
day_key (guint y,
         guint m,
         guint d)
{
  return (y - DOB_BASE_YEAR) * 372 + (m - 1) * 31 + (d - 1);
}

static inline guint
month_key (guint y,
           guint m)
{
  return (y - DOB_BASE_YEAR) * 12 + (m - 1);
}

static inline gboolean
year_in_range (guint y)
{
  return y >= DOB_BASE_YEAR && y < DOB_BASE_YEAR + DOB_YEARS;
}

static gsize
csr_range_size (const Csr *csr,
                guint      first,
                guint      last)
{
  return csr->offsets[last + 1] - csr->offsets[first];
}

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

/* Equivalences */

static gboolean
parse_equivalences (const char  *text,
                    GPtrArray   *groups,
                    GError     **error)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *hash = strchr (lines[i], '#');
      g_autofree char *accented = NULL;
      g_auto(GStrv) members = NULL;

      if (hash != NULL)
        *hash = '\0';
      accented = tp_name_accented (lines[i]);
      if (accented[0] == '\0')
        continue;
      members = g_strsplit (accented, " ", -1);
      if (g_strv_length (members) < 2)
        {
          g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT,
                       "surname equivalences, line %u: “%s” has one name, expected two or more",
                       i + 1, g_strstrip (lines[i]));
          return FALSE;
        }
      for (guint k = 0; members[k] != NULL; k++)
        {
          char *folded = tp_name_fold (members[k]);
          guint other = GPOINTER_TO_UINT (g_hash_table_lookup (seen, folded));

          if (other != 0 && other != i + 1)
            {
              g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT,
                           "surname equivalences, line %u: %s is already in the group of line %u; "
                           "a name belongs to one group only",
                           i + 1, members[k], other);
              g_free (folded);
              return FALSE;
            }
          g_hash_table_insert (seen, folded, GUINT_TO_POINTER (i + 1));
        }
      if (groups->len >= G_MAXUINT16 - 1)
        {
          g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT,
                       "surname equivalences, line %u: more than %u groups",
                       i + 1, G_MAXUINT16 - 2);
          return FALSE;
        }
      g_ptr_array_add (groups, g_steal_pointer (&members));
    }
  return TRUE;
}

static void
index_equivalences (TpMatcher *self)
{
  g_hash_table_remove_all (self->group_by_folded);
  g_hash_table_remove_all (self->group_by_accented);

  for (guint g = 0; g < self->equiv_groups->len; g++)
    {
      GStrv members = g_ptr_array_index (self->equiv_groups, g);

      for (guint i = 0; members[i] != NULL; i++)
        {
          char *folded = tp_name_fold (members[i]);

          if (!g_hash_table_contains (self->group_by_accented, members[i]))
            g_hash_table_insert (self->group_by_accented, g_strdup (members[i]),
                                 GUINT_TO_POINTER (g + 1));
          if (!g_hash_table_contains (self->group_by_folded, folded))
            g_hash_table_insert (self->group_by_folded, folded, GUINT_TO_POINTER (g + 1));
          else
            g_free (folded);
        }
    }
}

static guint16
group_of (GHashTable *table,
          const char *s)
{
  return (guint16) GPOINTER_TO_UINT (g_hash_table_lookup (table, s));
}

/* Name tokens */

/* The tokens of one run of text without spaces, computed with the name
 * normaliser. Building interns them; querying only looks them up (NO_ID
 * for a token the list does not have) and hands the strings out. */
static void
compute_raw (TpMatcher  *self,
             const char *raw,
             gboolean    intern,
             RawInfo    *info,
             char      **folded_out,
             char      **accented_out)
{
  g_autofree char *accented = tp_name_accented (raw);
  g_auto(GStrv) parts = g_strsplit (accented, " ", -1);

  memset (info, 0, sizeof *info);
  for (guint i = 0; parts[i] != NULL && info->n < MAX_SPLIT; i++)
    {
      g_autofree char *fold = NULL;
      GString *clean;

      if (parts[i][0] == '\0')
        continue;
      fold = tp_name_fold (parts[i]);
      clean = g_string_new (NULL);
      for (const char *p = fold; *p != '\0'; p++)
        if (*p != ' ')
          g_string_append_c (clean, *p);
      if (clean->len == 0)
        {
          g_string_free (clean, TRUE);
          continue;
        }
      if (tp_name_has_diacritics (parts[i]))
        info->diacritics = TRUE;
      if (intern)
        {
          info->folded[info->n] = vocab_intern (&self->folded, clean->str);
          info->accented[info->n] = vocab_intern (&self->accented, parts[i]);
          g_string_free (clean, TRUE);
        }
      else
        {
          info->folded[info->n] = vocab_lookup (&self->folded, clean->str);
          info->accented[info->n] = vocab_lookup (&self->accented, parts[i]);
          folded_out[info->n] = g_string_free (clean, FALSE);
          accented_out[info->n] = g_strdup (parts[i]);
        }
      info->n++;
    }
}

/* Calls @func for each raw run of @text (split at white space and MRZ
 * fillers). */
typedef void (*RawFunc) (TpMatcher *self, const char *raw, gpointer user_data);

static void
foreach_raw (TpMatcher  *self,
             const char *text,
             RawFunc     func,
             gpointer    user_data)
{
  const char *p = text;

  while (*p != '\0')
    {
      const char *start;

      while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '<')
        p++;
      if (*p == '\0')
        break;
      start = p;
      while (*p != '\0' && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r' && *p != '<')
        p++;
      {
        char buf[256];
        gsize len = (gsize) (p - start);
        g_autofree char *heap = NULL;
        char *raw = buf;

        if (len >= sizeof buf)
          raw = heap = g_malloc (len + 1);
        memcpy (raw, start, len);
        raw[len] = '\0';
        func (self, raw, user_data);
      }
    }
}

typedef struct {
  guint32  folded[TP_MATCHER_MAX_TOKENS];
  guint32  accented[TP_MATCHER_MAX_TOKENS];
  guint    n;
  gboolean diacritics;
} EntryTokens;

static void
entry_raw_cb (TpMatcher  *self,
              const char *raw,
              gpointer    user_data)
{
  EntryTokens *out = user_data;
  RawInfo *info = g_hash_table_lookup (self->raw_cache, raw);

  if (info == NULL)
    {
      info = g_new (RawInfo, 1);
      compute_raw (self, raw, TRUE, info, NULL, NULL);
      g_hash_table_insert (self->raw_cache, g_strdup (raw), info);
    }
  if (info->diacritics)
    out->diacritics = TRUE;
  for (guint i = 0; i < info->n && out->n < TP_MATCHER_MAX_TOKENS; i++)
    {
      out->folded[out->n] = info->folded[i];
      out->accented[out->n] = info->accented[i];
      out->n++;
    }
}

static void
query_raw_cb (TpMatcher  *self,
              const char *raw,
              gpointer    user_data)
{
  QueryCtx *ctx = user_data;
  RawInfo *cached = g_hash_table_lookup (self->raw_cache, raw);
  RawInfo computed;
  char *folded[MAX_SPLIT] = { NULL, };
  char *accented[MAX_SPLIT] = { NULL, };
  const RawInfo *info = cached;

  if (info == NULL)
    {
      compute_raw (self, raw, FALSE, &computed, folded, accented);
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
      QToken *t = &ctx->tokens[ctx->n_tokens++];

      memset (t, 0, sizeof *t);
      t->folded_id = info->folded[i];
      t->accented_id = info->accented[i];
      t->folded = cached != NULL ? vocab_string (&self->folded, info->folded[i]) : folded[i];
      t->accented = cached != NULL ? vocab_string (&self->accented, info->accented[i]) : accented[i];
      t->len = (guint8) MIN (strlen (t->folded), 255);
      t->folded_group = group_of (self->group_by_folded, t->folded);
      t->accented_group = group_of (self->group_by_accented, t->accented);
    }
}

enum { POS_FIRST, POS_MIDDLE, POS_LAST, N_POS };

static inline guint
token_position (guint j,
                guint n)
{
  return j + 1 == n ? POS_LAST : j == 0 ? POS_FIRST : POS_MIDDLE;
}

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

/* Pair classification: the single rule both search paths apply. by_string
 * compares strings, as an engine without interned tokens does. */
static PairKind
classify (const TpMatcher *self,
          const QToken    *q,
          gboolean         accents,
          guint32          e_folded,
          guint32          e_accented,
          gboolean         by_string)
{
  const char *ef = vocab_string (&self->folded, e_folded);
  guint8 elen = self->folded_len[e_folded];
  gboolean folded_equal;

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
      if (q->len >= TP_MATCHER_TYPO_MIN_LENGTH && elen >= TP_MATCHER_TYPO_MIN_LENGTH &&
          (folded_equal || tp_name_edit_distance (q->folded, ef, 1) <= 1) &&
          tp_name_edit_distance (q->accented, ea, 1) <= 1 &&
          typo_plausible (q->accented_id != NO_ID ? self->accented_df[q->accented_id] : 0,
                          self->accented_df[e_accented]))
        return PAIR_TYPO;
    }
  else
    {
      if (folded_equal)
        return PAIR_EXACT;
      if (q->folded_group != 0 && q->folded_group == self->folded_group[e_folded])
        return PAIR_EQUIV;
      if (q->len >= TP_MATCHER_TYPO_MIN_LENGTH && elen >= TP_MATCHER_TYPO_MIN_LENGTH &&
          tp_name_edit_distance (q->folded, ef, 1) <= 1 &&
          typo_plausible (q->folded_id != NO_ID ? self->df[q->folded_id] : 0, self->df[e_folded]))
        return PAIR_TYPO;
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
static void
compare_names (const TpMatcher *self,
               const QueryCtx  *ctx,
               const Rec       *rec,
               gboolean         by_string,
               NameResult      *out)
{
  const guint32 *ef = folded_at (self, rec->token_offset);
  const guint32 *ea = accents_at (self, rec->token_offset);
  gboolean accents = ctx->accented && (rec->flags & REC_ACCENTED) != 0;
  Pair pairs[TP_MATCHER_MAX_TOKENS * TP_MATCHER_MAX_TOKENS];
  guint8 kinds[TP_MATCHER_MAX_TOKENS][TP_MATCHER_MAX_TOKENS];
  guint n_pairs = 0;
  guint32 q_used = 0, e_used = 0;
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
        kind = classify (self, &ctx->tokens[i], accents, ef[j], ea[j], by_string);
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

  for (guint i = 0; i < m; i++)
    {
      PairKind kind = out->q_kind[i];
      double w;

      if ((q_used & (1u << i)) == 0)
        continue;
      w = entry_token_weight (self, ef[out->q_pair[i]], out->q_pair[i], n);
      matched_w += w * pair_score (kind);
      out->weight += w * pair_evidence (kind);
      if (kind == PAIR_TYPO)
        n_typo++;
      else if (kind == PAIR_EQUIV)
        n_equiv++;
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
    if (q_used & (1u << i))
      total_w += entry_token_weight (self, ef[out->q_pair[i]], out->q_pair[i], n);
  for (guint j = 0; j < n; j++)
    if (out->e_unmatched & (1u << j))
      total_w += entry_token_weight (self, ef[j], j, n);
  for (guint i = 0; i < m; i++)
    if (out->q_unmatched & (1u << i))
      total_w += ctx->tokens[i].max_weight > 0 ? ctx->tokens[i].max_weight : 1.0;
  out->score = total_w > 0 ? matched_w / total_w : 0;

  n_missing = count_bits (out->q_unmatched) + count_bits (out->e_unmatched);
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

static DobRelation
dob_relation (const TpPartialDate *q,
              const Rec           *rec)
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
                     const Rec           *rec)
{
  if (q->month == 0 || rec->birth_month == 0)
    return TP_MATCHER_NO_MONTH_WEIGHT;
  if (q->day == 0 || rec->birth_day == 0)
    return TP_MATCHER_NO_DAY_WEIGHT;
  return 0.0;
}

static inline gboolean
rec_effective (const Rec *rec,
               guint32    date)
{
  return rec->from <= date && (rec->until == 0 || date <= rec->until);
}

/* TRUE when the traveller's personal number and the entry's national IDs
 * can be compared and none is the same. */
static gboolean
national_id_differs (const TpMatcher *self,
                     const QueryCtx  *ctx,
                     const Rec       *rec)
{
  gboolean comparable = FALSE;

  if (!ctx->national_id_comparable || rec->n_idents == 0)
    return FALSE;
  for (guint i = 0; i < rec->n_idents; i++)
    {
      const Ident *id = ident_at (self, rec->ident_offset + i);

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

static void
append_entry_name (const TpMatcher *self,
                   const Rec       *rec,
                   GString         *out)
{
  const guint32 *ef = folded_at (self, rec->token_offset);
  const guint32 *ea = accents_at (self, rec->token_offset);

  for (guint j = 0; j < rec->n_tokens; j++)
    {
      if (j > 0)
        g_string_append_c (out, ' ');
      if (rec->flags & REC_ACCENTED)
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
append_name_notes (const TpMatcher  *self,
                   const QueryCtx   *ctx,
                   const Rec        *rec,
                   const NameResult *name,
                   GString          *out)
{
  const guint32 *ef = folded_at (self, rec->token_offset);
  const guint32 *ea = accents_at (self, rec->token_offset);
  gboolean accents = (rec->flags & REC_ACCENTED) != 0;
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
append_list_ref (const TpMatcher *self,
                 const Rec       *rec,
                 GString         *out)
{
  g_string_append_printf (out, "%s %s (%s, %s)", list_label (rec->list),
                          arena (self, rec->id_offset),
                          tp_agency_to_string ((TpAgency) rec->agency),
                          action_label (rec->action));
}

static char *
explain (const TpMatcher  *self,
         const QueryCtx   *ctx,
         const Rec        *rec,
         guint             id_fields,
         TpBand            band,
         const NameResult *name,
         gboolean          name_agrees,
         DobRelation       dob,
         TpMatchFields     conflicts)
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

/* Decides the band for one entry, or returns NULL. id_fields: the
 * identifiers that matched. */
static TpHit *
evaluate (const TpMatcher *self,
          const QueryCtx  *ctx,
          guint32          index,
          guint            id_fields,
          gboolean         by_string)
{
  const Rec *rec = rec_at (self, index);
  const TpQuery *q = ctx->query;
  DobRelation dob;
  NameResult name;
  gboolean sex_conflict, nat_conflict, nid_conflict;
  gboolean name_agrees;
  TpBand band = TP_BAND_NONE;
  TpMatchFields matched = id_fields, conflicts = 0;
  double score = 0;
  TpHit *hit;

  if (!rec_effective (rec, ctx->date))
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

  compare_names (self, ctx, rec, by_string, &name);
  sex_conflict = (q->sex == 'M' || q->sex == 'F') && (rec->sex == 'M' || rec->sex == 'F') &&
                 q->sex != rec->sex;
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
  hit->explanation = explain (self, ctx, rec, id_fields, band, &name, name_agrees, dob, conflicts);
  return hit;
}

/* Query preparation */

static void
add_expansion (const TpMatcher *self,
               QueryCtx        *ctx,
               guint            i,
               guint32          id)
{
  QToken *t = &ctx->tokens[i];

  if (ctx->qmask[id] & (1u << i))
    return;
  ctx->qmask[id] |= (guint8) (1u << i);
  t->cost += self->df[id];
  for (guint c = 0; c < N_POS; c++)
    t->max_weight = MAX (t->max_weight, self->pos_weight[(gsize) id * N_POS + c]);
}

static void
expand_token (const TpMatcher *self,
              QueryCtx        *ctx,
              guint            i)
{
  QToken *t = &ctx->tokens[i];
  guint16 groups[2] = { t->folded_group, t->accented_group };

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

  if (t->len >= TP_MATCHER_TYPO_MIN_LENGTH)
    {
      for (gsize skip = 0; skip <= t->len; skip++)
        {
          /* skip == len hashes the token itself */
          guint64 h = hash_bytes (t->folded, t->len, skip == t->len ? G_MAXSIZE : skip);
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
              if (tp_name_edit_distance (t->folded, vocab_string (&self->folded, id), 1) <= 1)
                add_expansion (self, ctx, i, id);
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

static void
add_name_text (TpMatcher  *self,
               QueryCtx   *ctx,
               const char *text)
{
  if (text != NULL)
    foreach_raw (self, text, query_raw_cb, ctx);
}

static void
prepare_query (TpMatcher             *self,
               const TpQuery         *query,
               const TpScreenOptions *options,
               QueryCtx              *ctx)
{
  memset (ctx, 0, sizeof *ctx);
  ctx->query = query;
  ctx->date = g_date_get_julian (&options->date);
  ctx->now = options->now;
  ctx->owned = g_ptr_array_new_with_free_func (g_free);
  ctx->qmask = g_malloc0 (MAX (self->folded.strings->len, 1));
  normalize_state (query->nationality, ctx->nationality);
  normalize_state (query->issuing_state, ctx->issuing_state);
  ctx->vn_order = ctx->nationality[0] == '\0' ? strncmp (ctx->issuing_state, "VNM", 3) == 0 || ctx->issuing_state[0] == '\0'
                                              : strncmp (ctx->nationality, "VNM", 3) == 0;
  ctx->national_id_comparable = query->personal_number != NULL &&
                                strlen (query->personal_number) == 12;

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
    }
  else
    {
      guint n_primary;

      add_name_text (self, ctx, query->primary);
      n_primary = ctx->n_tokens;
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
}

static void
clear_query (QueryCtx *ctx)
{
  g_clear_pointer (&ctx->owned, g_ptr_array_unref);
  g_clear_pointer (&ctx->qmask, g_free);
}

static gboolean
ident_country_ok (const TpMatcher *self,
                  const QueryCtx  *ctx,
                  const Ident     *id)
{
  const Rec *rec = rec_at (self, id->rec);

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
lookup_identifier (const TpMatcher *self,
                   const QueryCtx  *ctx,
                   guint8           type,
                   const char      *value,
                   guint            field,
                   GArray          *out)
{
  guint32 slot;

  if (value == NULL || self->id_slots == NULL)
    return;
  slot = ident_hash (type, value) & self->id_mask;
  for (;; slot = (slot + 1) & self->id_mask)
    {
      guint32 k = self->id_slots[slot];
      const Ident *id;
      gboolean found = FALSE;

      if (k == 0)
        break;
      id = ident_at (self, k - 1);
      if (id->type != type || strcmp (arena (self, id->value_offset), value) != 0 ||
          !ident_country_ok (self, ctx, id))
        continue;
      for (guint c = 0; c < out->len; c++)
        {
          IdCandidate *cand = &g_array_index (out, IdCandidate, c);

          if (cand->rec == id->rec)
            {
              cand->fields |= field;
              found = TRUE;
            }
        }
      if (!found)
        {
          IdCandidate cand = { id->rec, field };

          g_array_append_val (out, cand);
        }
    }
}

static gboolean
is_id_candidate (GArray  *ids,
                 guint32  rec)
{
  for (guint c = 0; c < ids->len; c++)
    if (g_array_index (ids, IdCandidate, c).rec == rec)
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
scan_range (const TpMatcher *self,
            const QueryCtx  *ctx,
            const Csr       *csr,
            guint            first,
            guint            last,
            GArray          *ids,
            GPtrArray       *hits,
            guint           *n_candidates)
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
search_names (const TpMatcher *self,
              const QueryCtx  *ctx,
              GArray          *ids,
              GPtrArray       *hits,
              guint           *n_candidates)
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
    max_weight += ctx->tokens[i].max_weight;
  /* Nothing can reach the name weight needed: no name search at all. */
  if (max_weight < TP_MATCHER_MIN_NAME_WEIGHT)
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
      dob_cost = (double) csr_range_size (&self->by_day, day_first, day_last)
               + (double) csr_range_size (&self->by_month, month_first, month_last)
               + (double) csr_range_size (&self->by_year, year, year);
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
        const QueryCtx        *ctx,
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

static void
build_csr (Csr           *csr,
           guint          n_keys,
           const guint32 *counts,
           gsize          n_items)
{
  csr->n_keys = n_keys;
  csr->offsets = g_new (guint32, n_keys + 1);
  /* Zero-filled, large: a mapping of its own (see Buf) */
  buf_reserve (&csr->items_buf, MAX (n_items, 1) * sizeof (guint32));
  csr->items = csr->items_buf.data;
  csr->offsets[0] = 0;
  for (guint k = 0; k < n_keys; k++)
    csr->offsets[k + 1] = csr->offsets[k] + counts[k];
}

static void
clear_csr (Csr *csr)
{
  g_clear_pointer (&csr->offsets, g_free);
  buf_clear (&csr->items_buf);
  csr->items = NULL;
  csr->n_keys = 0;
}

static int
compare_deletions (const void *a,
                   const void *b)
{
  const Deletion *x = a, *y = b;

  if (x->hash != y->hash)
    return x->hash < y->hash ? -1 : 1;
  return x->token < y->token ? -1 : (x->token > y->token);
}

static int
compare_vocab (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  const Vocab *vocab = user_data;

  return strcmp (vocab_string (vocab, *(const guint32 *) a),
                 vocab_string (vocab, *(const guint32 *) b));
}

/* Identifiers: open addressing, load factor at most one half. Runs on its
 * own thread while the other indexes are built (it is half the work, and
 * touches nothing they touch). */
static gpointer
build_identifiers (gpointer data)
{
  TpMatcher *self = data;
  guint32 capacity = 16;

  while (capacity < N_IDENTS (self) * 2u + 1)
    capacity *= 2;
  buf_reserve (&self->id_buf, capacity * sizeof (guint32));
  self->id_slots = self->id_buf.data;
#ifndef __linux__
  memset (self->id_slots, 0, capacity * sizeof (guint32));
#endif
  self->id_mask = capacity - 1;
  for (guint k = 0; k < N_IDENTS (self); k++)
    {
      const Ident *id = ident_at (self, k);
      guint32 slot = ident_hash (id->type, arena (self, id->value_offset)) & self->id_mask;

      while (self->id_slots[slot] != 0)
        slot = (slot + 1) & self->id_mask;
      self->id_slots[slot] = k + 1;
    }
  return NULL;
}

static void
clearance_list_free (gpointer data)
{
  g_array_unref (data);
}

/* Public API */

TpMatcher *
tp_matcher_new (void)
{
  TpMatcher *self = g_new0 (TpMatcher, 1);
  g_autoptr(GBytes) bytes = NULL;

  buf_append (&self->strings, "", 1);
  vocab_init (&self->folded);
  vocab_init (&self->accented);
  self->raw_cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->equiv_groups = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  self->group_by_folded = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->group_by_accented = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->clearances = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, clearance_list_free);
  self->no_birth = g_array_new (FALSE, FALSE, sizeof (guint32));

  /* Through the library's own resource, so that a static link keeps it. */
  bytes = g_resource_lookup_data (tp_screen_get_resource (), EQUIVALENCES_RESOURCE,
                                  G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  if (bytes != NULL)
    {
      g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
      g_autoptr(GError) error = NULL;

      if (!parse_equivalences (text, self->equiv_groups, &error))
        g_critical ("Built-in surname equivalences: %s", error->message);
      index_equivalences (self);
    }
  return self;
}

void
tp_matcher_free (TpMatcher *self)
{
  if (self == NULL)
    return;
  buf_clear (&self->recs);
  buf_clear (&self->tokens);
  buf_clear (&self->accents);
  buf_clear (&self->idents);
  buf_clear (&self->strings);
  vocab_clear (&self->folded);
  vocab_clear (&self->accented);
  g_clear_pointer (&self->raw_cache, g_hash_table_unref);
  g_clear_pointer (&self->equiv_groups, g_ptr_array_unref);
  g_clear_pointer (&self->group_by_folded, g_hash_table_unref);
  g_clear_pointer (&self->group_by_accented, g_hash_table_unref);
  g_clear_pointer (&self->clearances, g_hash_table_unref);
  g_clear_pointer (&self->no_birth, g_array_unref);
  g_free (self->df);
  g_free (self->weight);
  g_free (self->pos_weight);
  g_free (self->accented_df);
  g_free (self->folded_len);
  g_free (self->folded_group);
  g_free (self->accented_group);
  clear_csr (&self->postings);
  clear_csr (&self->by_day);
  clear_csr (&self->by_month);
  clear_csr (&self->by_year);
  clear_csr (&self->group_members);
  buf_clear (&self->id_buf);
  g_free (self->deletions);
  g_free (self->sorted_vocab);
  g_free (self);
}

gboolean
tp_matcher_set_equivalences (TpMatcher   *self,
                             const char  *text,
                             GError     **error)
{
  g_autoptr(GPtrArray) groups = NULL;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (!self->built, FALSE);

  groups = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  if (!parse_equivalences (text, groups, error))
    return FALSE;
  g_ptr_array_unref (self->equiv_groups);
  self->equiv_groups = g_steal_pointer (&groups);
  index_equivalences (self);
  return TRUE;
}

void
tp_matcher_add_entry (TpMatcher     *self,
                      const TpEntry *entry)
{
  Rec rec;
  EntryTokens tokens = { { 0, }, { 0, }, 0, FALSE };

  g_return_if_fail (self != NULL);
  g_return_if_fail (entry != NULL && entry->id != NULL);
  g_return_if_fail (!self->built);

  if (entry->status == TP_ENTRY_CANCELLED)
    {
      self->n_cancelled++;
      return;
    }
  if (N_RECS (self) >= G_MAXUINT32 - 1 || self->strings.len >= G_MAXUINT32 - 4096)
    {
      g_critical ("tp_matcher_add_entry: too many entries");
      return;
    }

  memset (&rec, 0, sizeof rec);
  rec.id_offset = arena_add (self, entry->id);
  rec.version = entry->version;
  rec.list = (guint8) entry->list;
  rec.agency = (guint8) entry->agency;
  rec.action = (guint8) entry->action;
  rec.sex = entry->sex;
  rec.birth_year = entry->birth_date.year;
  rec.birth_month = entry->birth_date.month;
  rec.birth_day = rec.birth_month != 0 ? entry->birth_date.day : 0;
  {
    char state[4];

    normalize_state (entry->nationality[0] != '\0' ? entry->nationality : NULL, state);
    memcpy (rec.nationality, state, 3);
  }
  /* As tp_entry_is_effective(): no valid start, never effective */
  rec.from = g_date_valid (&entry->effective_from) ? g_date_get_julian (&entry->effective_from) : G_MAXUINT32;
  rec.until = g_date_valid (&entry->effective_until) ? g_date_get_julian (&entry->effective_until) : 0;

  if (entry->full_name != NULL)
    foreach_raw (self, entry->full_name, entry_raw_cb, &tokens);
  rec.token_offset = N_TOKENS (self);
  rec.n_tokens = (guint8) tokens.n;
  if (tokens.diacritics)
    rec.flags |= REC_ACCENTED;
  buf_append (&self->tokens, tokens.folded, tokens.n * sizeof (guint32));
  buf_append (&self->accents, tokens.accented, tokens.n * sizeof (guint32));

  rec.ident_offset = N_IDENTS (self);
  for (guint i = 0; entry->identifiers != NULL && i < entry->identifiers->len && rec.n_idents < 255; i++)
    {
      const TpIdentifier *identifier = g_ptr_array_index (entry->identifiers, i);
      Ident id;
      char state[4];

      if (identifier->value == NULL ||
          (identifier->type != TP_ID_PASSPORT && identifier->type != TP_ID_NATIONAL_ID))
        continue;
      memset (&id, 0, sizeof id);
      id.rec = N_RECS (self);
      id.value_offset = arena_add (self, identifier->value);
      id.type = (guint8) identifier->type;
      normalize_state (identifier->country, state);
      memcpy (id.country, state, 3);
      buf_append (&self->idents, &id, sizeof id);
      rec.n_idents++;
    }
  buf_append (&self->recs, &rec, sizeof rec);
}

void
tp_matcher_add_clearance (TpMatcher  *self,
                          const char *document_key,
                          const char *entry_id,
                          guint       entry_version,
                          gint64      expires_at)
{
  char *key;
  GArray *list;
  Clearance c = { entry_version, expires_at };

  g_return_if_fail (self != NULL);
  g_return_if_fail (document_key != NULL && entry_id != NULL);

  key = g_strconcat (document_key, "\x1f", entry_id, NULL);
  list = g_hash_table_lookup (self->clearances, key);
  if (list == NULL)
    {
      list = g_array_new (FALSE, FALSE, sizeof (Clearance));
      g_hash_table_insert (self->clearances, key, list);
    }
  else
    g_free (key);
  g_array_append_val (list, c);
}

void
tp_matcher_build (TpMatcher *self)
{
  guint n = N_RECS (self);
  guint n_vocab = self->folded.strings->len;
  guint n_acc = self->accented.strings->len;
  g_autofree guint32 *counts = NULL;
  g_autofree guint32 *cursor = NULL;
  GArray *dels;
  GThread *identifiers;

  g_return_if_fail (self != NULL);
  g_return_if_fail (!self->built);

  identifiers = g_thread_new ("tp-matcher-ids", build_identifiers, self);

  /* Vocabulary: frequencies, weights, lengths, groups */
  self->df = g_new0 (guint32, MAX (n_vocab, 1));
  self->weight = g_new0 (float, MAX (n_vocab, 1));
  self->pos_weight = g_new0 (float, (gsize) MAX (n_vocab, 1) * N_POS);
  self->folded_len = g_new0 (guint8, MAX (n_vocab, 1));
  self->folded_group = g_new0 (guint16, MAX (n_vocab, 1));
  self->accented_group = g_new0 (guint16, MAX (n_acc, 1));
  self->accented_df = g_new0 (guint32, MAX (n_acc, 1));
  {
    g_autofree guint32 *pos_df = g_new0 (guint32, (gsize) MAX (n_vocab, 1) * N_POS);

    /* Entries carrying each token (folded, and as written), and each
     * folded token in each place */
    for (guint r = 0; r < n; r++)
      {
        const Rec *rec = rec_at (self, r);
        const guint32 *ef = folded_at (self, rec->token_offset);
        const guint32 *ea = accents_at (self, rec->token_offset);

        for (guint j = 0; j < rec->n_tokens; j++)
          {
            gboolean seen_folded = FALSE, seen_accented = FALSE;

            for (guint k = 0; k < j; k++)
              {
                seen_folded |= ef[k] == ef[j];
                seen_accented |= ea[k] == ea[j];
              }
            if (!seen_folded)
              self->df[ef[j]]++;
            if (!seen_accented)
              self->accented_df[ea[j]]++;
            pos_df[(gsize) ef[j] * N_POS + token_position (j, rec->n_tokens)]++;
          }
      }
    /* Smoothed: a token never seen in a place is as rare as one seen once. */
    for (gsize k = 0; k < (gsize) n_vocab * N_POS; k++)
      self->pos_weight[k] = (float) log ((double) (n + 1) / (pos_df[k] + 1));
  }
  for (guint32 id = 0; id < n_vocab; id++)
    {
      const char *s = vocab_string (&self->folded, id);

      self->weight[id] = self->df[id] > 0 ? (float) log ((double) MAX (n, 1) / self->df[id]) : 0.0f;
      self->folded_len[id] = (guint8) MIN (strlen (s), 255);
      self->folded_group[id] = group_of (self->group_by_folded, s);
    }
  for (guint32 id = 0; id < n_acc; id++)
    self->accented_group[id] = group_of (self->group_by_accented, vocab_string (&self->accented, id));

  /* Group members (folded ids) */
  {
    guint n_groups = self->equiv_groups->len + 1;
    gsize total = 0;

    counts = g_new0 (guint32, n_groups);
    for (guint32 id = 0; id < n_vocab; id++)
      if (self->folded_group[id] != 0)
        {
          counts[self->folded_group[id]]++;
          total++;
        }
    build_csr (&self->group_members, n_groups, counts, total);
    cursor = g_memdup2 (self->group_members.offsets, n_groups * sizeof (guint32));
    for (guint32 id = 0; id < n_vocab; id++)
      if (self->folded_group[id] != 0)
        self->group_members.items[cursor[self->folded_group[id]]++] = id;
    g_clear_pointer (&counts, g_free);
    g_clear_pointer (&cursor, g_free);
  }

  /* Postings */
  build_csr (&self->postings, n_vocab, self->df, N_TOKENS (self));
  cursor = g_memdup2 (self->postings.offsets, (n_vocab + 1) * sizeof (guint32));
  for (guint r = 0; r < n; r++)
    {
      const Rec *rec = rec_at (self, r);
      const guint32 *ef = folded_at (self, rec->token_offset);

      for (guint j = 0; j < rec->n_tokens; j++)
        {
          gboolean seen = FALSE;

          for (guint k = 0; k < j; k++)
            seen |= ef[k] == ef[j];
          if (!seen)
            self->postings.items[cursor[ef[j]]++] = r;
        }
    }
  g_clear_pointer (&cursor, g_free);

  /* Birth dates */
  {
    guint32 *day_counts = g_new0 (guint32, DAY_KEYS);
    guint32 *month_counts = g_new0 (guint32, YM_KEYS);
    guint32 *year_counts = g_new0 (guint32, DOB_YEARS);
    gsize n_day = 0, n_month = 0, n_year = 0;

    for (guint r = 0; r < n; r++)
      {
        const Rec *rec = rec_at (self, r);

        if (!year_in_range (rec->birth_year) || rec->birth_month > 12 || rec->birth_day > 31)
          g_array_append_val (self->no_birth, r);
        else if (rec->birth_month != 0 && rec->birth_day != 0)
          day_counts[day_key (rec->birth_year, rec->birth_month, rec->birth_day)]++, n_day++;
        else if (rec->birth_month != 0)
          month_counts[month_key (rec->birth_year, rec->birth_month)]++, n_month++;
        else
          year_counts[rec->birth_year - DOB_BASE_YEAR]++, n_year++;
      }
    build_csr (&self->by_day, DAY_KEYS, day_counts, n_day);
    build_csr (&self->by_month, YM_KEYS, month_counts, n_month);
    build_csr (&self->by_year, DOB_YEARS, year_counts, n_year);
    memcpy (day_counts, self->by_day.offsets, DAY_KEYS * sizeof (guint32));
    memcpy (month_counts, self->by_month.offsets, YM_KEYS * sizeof (guint32));
    memcpy (year_counts, self->by_year.offsets, DOB_YEARS * sizeof (guint32));
    for (guint r = 0; r < n; r++)
      {
        const Rec *rec = rec_at (self, r);

        if (!year_in_range (rec->birth_year) || rec->birth_month > 12 || rec->birth_day > 31)
          continue;
        if (rec->birth_month != 0 && rec->birth_day != 0)
          self->by_day.items[day_counts[day_key (rec->birth_year, rec->birth_month, rec->birth_day)]++] = r;
        else if (rec->birth_month != 0)
          self->by_month.items[month_counts[month_key (rec->birth_year, rec->birth_month)]++] = r;
        else
          self->by_year.items[year_counts[rec->birth_year - DOB_BASE_YEAR]++] = r;
      }
    g_free (day_counts);
    g_free (month_counts);
    g_free (year_counts);
  }

  /* Deletion neighbourhood of the tokens long enough for typos */
  dels = g_array_new (FALSE, FALSE, sizeof (Deletion));
  for (guint32 id = 0; id < n_vocab; id++)
    {
      const char *s = vocab_string (&self->folded, id);
      gsize len = self->folded_len[id];

      if (len < TP_MATCHER_TYPO_MIN_LENGTH)
        continue;
      for (gsize skip = 0; skip <= len; skip++)
        {
          Deletion d;

          memset (&d, 0, sizeof d);
          d.hash = hash_bytes (s, len, skip == len ? G_MAXSIZE : skip);
          d.token = id;
          g_array_append_val (dels, d);
        }
    }
  if (dels->len > 1)
    qsort (dels->data, dels->len, sizeof (Deletion), compare_deletions);
  self->n_deletions = dels->len;
  self->deletions = (Deletion *) (void *) g_array_free (dels, FALSE);

  /* Vocabulary in string order, for MRZ prefixes */
  self->sorted_vocab = g_new (guint32, MAX (n_vocab, 1));
  for (guint32 id = 0; id < n_vocab; id++)
    self->sorted_vocab[id] = id;
  g_qsort_with_data (self->sorted_vocab, (gint) n_vocab, sizeof (guint32), compare_vocab, &self->folded);

  g_thread_join (identifiers);
  self->built = TRUE;
}

void
tp_matcher_get_stats (TpMatcher      *self,
                      TpMatcherStats *stats)
{
  gsize bytes = 0;
  guint n_vocab;

  g_return_if_fail (self != NULL);
  g_return_if_fail (stats != NULL);

  n_vocab = self->folded.strings->len;
  memset (stats, 0, sizeof *stats);
  stats->n_entries = N_RECS (self);
  stats->n_cancelled = self->n_cancelled;
  stats->n_tokens = n_vocab;
  stats->n_identifiers = N_IDENTS (self);
  stats->n_clearances = g_hash_table_size (self->clearances);

  bytes += self->recs.len + self->tokens.len + self->accents.len + self->idents.len + self->strings.len;
  if (self->built)
    {
      bytes += (gsize) n_vocab * (sizeof (guint32) + sizeof (float) + 1 + 2 + 4);
      bytes += ((gsize) self->postings.n_keys + 1 + N_TOKENS (self)) * sizeof (guint32);
      bytes += ((gsize) DAY_KEYS + YM_KEYS + DOB_YEARS + 3 + N_RECS (self)) * sizeof (guint32);
      bytes += (gsize) (self->id_mask + 1) * sizeof (guint32);
      bytes += self->n_deletions * sizeof (Deletion);
    }
  stats->memory_bytes = bytes;
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
  QueryCtx ctx;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GPtrArray) found = NULL;
  guint n_candidates = 0;
  TpScreenResult *result;

  g_return_val_if_fail (self != NULL && self->built, NULL);
  g_return_val_if_fail (query != NULL, NULL);
  g_return_val_if_fail (options != NULL && g_date_valid (&options->date), NULL);

  prepare_query (self, query, options, &ctx);
  ids = g_array_new (FALSE, FALSE, sizeof (IdCandidate));
  found = g_ptr_array_new_with_free_func ((GDestroyNotify) tp_hit_free);

  if (query->document_number != NULL)
    lookup_identifier (self, &ctx, TP_ID_PASSPORT, query->document_number, TP_MATCH_PASSPORT, ids);
  if (query->personal_number != NULL)
    lookup_identifier (self, &ctx, TP_ID_NATIONAL_ID, query->personal_number, TP_MATCH_NATIONAL_ID, ids);
  for (guint c = 0; c < ids->len; c++)
    {
      const IdCandidate *cand = &g_array_index (ids, IdCandidate, c);

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
  QueryCtx ctx;
  g_autoptr(GPtrArray) found = NULL;
  TpScreenResult *result;
  guint n;

  g_return_val_if_fail (self != NULL && self->built, NULL);
  g_return_val_if_fail (query != NULL, NULL);
  g_return_val_if_fail (options != NULL && g_date_valid (&options->date), NULL);

  n = N_RECS (self);
  prepare_query (self, query, options, &ctx);
  found = g_ptr_array_new_with_free_func ((GDestroyNotify) tp_hit_free);

  for (guint32 r = 0; r < n; r++)
    {
      const Rec *rec = rec_at (self, r);
      guint fields = 0;

      for (guint i = 0; i < rec->n_idents; i++)
        {
          const Ident *id = ident_at (self, rec->ident_offset + i);
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
