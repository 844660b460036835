/* tp-matcher-private.h: what the matcher's files share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The matcher (tp-matcher.h) is four files over the structures here:
 *   tp-matcher-index.c    building: entries in, name tokens interned,
 *                         indexes built (tp_matcher_new ... _build);
 *   tp-matcher-names.c    name alignment: pairing a query's name tokens
 *                         with an entry's, and how much that weighs;
 *   tp-matcher-explain.c  the one line an officer reads about a hit;
 *   tp-matcher-search.c   screening: the query prepared, candidates from
 *                         the indexes, each evaluated, the verdict.
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
 *  - deletion neighbourhood of every token (hash of the token and of each
 *    one-letter deletion, sorted): the tokens one edit away from a query
 *    token are found by binary search, not by comparing against the
 *    vocabulary (typos between tokens of five letters or more; slips in
 *    shorter given and middle names when the birth date and sex agree).
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
#pragma once

#include <glib.h>

#include "tp-matcher.h"

G_BEGIN_DECLS

#define NO_ID             G_MAXUINT32
#define MAX_SPLIT         4
#define DEFAULT_MAX_HITS  20
#define DOB_BASE_YEAR     1800
#define DOB_YEARS         400
#define DAY_KEYS          (DOB_YEARS * 372)
#define YM_KEYS           (DOB_YEARS * 12)

enum {
  ENTRY_ACCENTED = 1 << 0,
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
} IndexedEntry;

typedef struct {
  guint32 rec;
  guint32 value_offset;   /* string arena */
  guint8  type;           /* TpIdentifierType */
  char    country[3];     /* all zero when unknown */
} IndexedIdentifier;

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
} GrowingBuffer;

typedef struct {
  GHashTable *index;      /* char* (owned by strings) → id + 1 */
  GPtrArray  *strings;    /* id → char* */
} Vocab;

typedef struct {
  guint8  n;
  guint8  diacritics;
  guint32 folded[MAX_SPLIT];
  guint32 accented[MAX_SPLIT];
} RawToken;

typedef struct {
  guint32       *offsets;    /* n_keys + 1 */
  guint32       *items;      /* in items_buf */
  GrowingBuffer  items_buf;
  guint          n_keys;
} CompressedRows;

typedef struct {
  guint  version;
  gint64 expires_at;
} Clearance;

struct _TpMatcher {
  gboolean        built;

  GrowingBuffer   recs;               /* IndexedEntry */
  GrowingBuffer   tokens;             /* guint32 folded token ids */
  GrowingBuffer   accents;            /* guint32 accented token ids, parallel to tokens */
  GrowingBuffer   idents;             /* IndexedIdentifier */
  GrowingBuffer   strings;            /* arena of NUL-terminated strings */
  Vocab           folded;
  Vocab           accented;
  GHashTable     *raw_cache;          /* raw token as written → RawToken */
  guint           n_cancelled;
  guint           n_name_only;        /* entries with no identifier a document can show */

  GPtrArray      *equiv_groups;       /* GStrv of accented members, group = index + 1 */
  GHashTable     *group_by_folded;    /* char* → group */
  GHashTable     *group_by_accented;  /* char* → group */

  /* Built by tp_matcher_build() */
  guint32        *df;
  float          *weight;
  float          *pos_weight;         /* 3 per folded id: as first, middle, last token */
  guint32        *sex_pos_df;         /* 6 per folded id: entries of each sex (M, F) with it in each place */
  guint32         n_by_sex[2];        /* entries of each sex (M, F) */
  guint32        *sex_pos_adf;        /* the same per accented id */
  guint8         *folded_len;
  guint16        *folded_group;
  guint16        *accented_group;
  guint32        *accented_df;
  CompressedRows  postings;
  CompressedRows  by_day;
  CompressedRows  by_month;
  CompressedRows  by_year;
  GArray         *no_birth;           /* guint32 rec indexes without a usable date */
  guint32        *id_slots;           /* ident index + 1, 0 = empty; in id_buf */
  GrowingBuffer   id_buf;
  guint32         id_mask;
  Deletion       *deletions;
  gsize           n_deletions;
  guint32        *sorted_vocab;       /* folded ids in string order */
  CompressedRows  group_members;      /* group → folded ids */

  GHashTable     *clearances;         /* "doc\x1fentry" → GArray of Clearance */
};

typedef enum {
  PAIR_NONE,
  PAIR_SLIP,       /* one edit between tokens too short for a typo: counts only as a slip */
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
  gboolean    surname;         /* part of the family name (primary identifier) */
  double      cost;            /* postings behind its expansions */
  double      max_weight;      /* highest weight among its expansions */
  double      slip_weight;     /* what its best slip expansion would weigh */
} QueryToken;

typedef struct {
  const TpQuery *query;
  guint32        date;          /* julian day */
  gint64         now;
  QueryToken     tokens[TP_MATCHER_MAX_TOKENS];
  guint          n_tokens;
  gboolean       accented;
  gboolean       truncated;
  guint8        *qmask;         /* per folded id: which query tokens it may pair with */
  GPtrArray     *owned;         /* strings to free */
  char           nationality[4];
  char           issuing_state[4];
  gboolean       vn_order;      /* family name first, given name last */
  gboolean       national_id_comparable;
  gboolean       slips;         /* full birth date and sex: a slip may count */
} PreparedQuery;

typedef struct {
  NameLevel level;
  double    weight;
  double    score;
  guint     n_matched;
  guint     n_slips;
  guint8    q_kind[TP_MATCHER_MAX_TOKENS];   /* PairKind of each query token */
  guint8    q_pair[TP_MATCHER_MAX_TOKENS];   /* entry token it pairs with */
  guint32   q_unmatched;                     /* masks */
  guint32   e_unmatched;
  gboolean  reordered;
} NameResult;

typedef struct {
  guint32 rec;
  guint   fields;   /* TP_MATCH_PASSPORT | TP_MATCH_NATIONAL_ID */
} IdentifierCandidate;

#define N_ENTRIES(self) ((guint) ((self)->recs.len / sizeof (IndexedEntry)))
#define N_IDENTS(self)  ((guint) ((self)->idents.len / sizeof (IndexedIdentifier)))
#define N_TOKENS(self)  ((guint) ((self)->tokens.len / sizeof (guint32)))

static inline const IndexedEntry *
entry_at (const TpMatcher *self,
          guint32          index)
{
  return (const IndexedEntry *) self->recs.data + index;
}

static inline const IndexedIdentifier *
ident_at (const TpMatcher *self,
          guint32          index)
{
  return (const IndexedIdentifier *) self->idents.data + index;
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

static inline const char *
vocab_string (const Vocab *vocab,
              guint32      id)
{
  return g_ptr_array_index (vocab->strings, id);
}

static inline guint
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

static inline gsize
rows_range_size (const CompressedRows *csr,
                 guint                 first,
                 guint                 last)
{
  return csr->offsets[last + 1] - csr->offsets[first];
}

/* The same for accented token @id */
static inline guint32
sex_pos_accented_count (const TpMatcher *self,
                        guint32          id,
                        char             sex,
                        guint            j,
                        guint            n);

/* Calls @func for each raw run of @text (split at white space and MRZ
 * fillers). */
typedef void (*RawFunc) (TpMatcher *self, const char *raw, gpointer user_data);

enum { POS_FIRST, POS_MIDDLE, POS_LAST, N_POS };

static inline guint
token_position (guint j,
                guint n)
{
  return j + 1 == n ? POS_LAST : j == 0 ? POS_FIRST : POS_MIDDLE;
}

/* Entries of @sex ('M' or 'F') carrying folded token @id (NO_ID: none)
 * as token @j of @n */
static inline guint32
sex_pos_count (const TpMatcher *self,
               guint32          id,
               char             sex,
               guint            j,
               guint            n)
{
  if (id == NO_ID)
    return 0;
  return self->sex_pos_df[((gsize) id * N_POS + token_position (j, n)) * 2 + (sex == 'F')];
}

static inline guint32
sex_pos_accented_count (const TpMatcher *self,
                        guint32          id,
                        char             sex,
                        guint            j,
                        guint            n)
{
  if (id == NO_ID)
    return 0;
  return self->sex_pos_adf[((gsize) id * N_POS + token_position (j, n)) * 2 + (sex == 'F')];
}

/* ---- across the files ---- */

guint64
_tp_matcher_hash_bytes (const char *s,
                        gsize       len,
                        gsize       skip);

guint32
_tp_matcher_identifier_hash (guint8      type,
                             const char *value);

void
_tp_matcher_normalize_state (const char *in,
                             char        out[4]);

guint16
_tp_matcher_group_of (GHashTable *table,
                      const char *s);

void
_tp_matcher_compute_raw (TpMatcher   *self,
                         const char  *raw,
                         gboolean     intern,
                         RawToken    *info,
                         char       **folded_out,
                         char       **accented_out);

void
_tp_matcher_foreach_raw (TpMatcher  *self,
                         const char *text,
                         RawFunc     func,
                         gpointer    user_data);

/* allow_slip: the birth date is the same to the day and the sex too, so a
 * slip in a short given or middle name may count (see tp-matcher.h). */
void
_tp_matcher_compare_names (const TpMatcher     *self,
                           const PreparedQuery *ctx,
                           const IndexedEntry  *rec,
                           gboolean             by_string,
                           gboolean             allow_slip,
                           NameResult          *out);

char *
_tp_matcher_explain (const TpMatcher     *self,
                     const PreparedQuery *ctx,
                     const IndexedEntry  *rec,
                     guint                id_fields,
                     TpBand               band,
                     const NameResult    *name,
                     gboolean             name_agrees,
                     DobRelation          dob,
                     TpMatchFields        conflicts);

G_END_DECLS
