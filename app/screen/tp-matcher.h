/* tp-matcher.h: screening a traveller against the loaded lists
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The matcher holds the current version of every list entry in compact
 * in-memory indexes and answers one question per traveller: which entries
 * may be this person, how sure is that, and what must the officer do.
 *
 * Building: tp_matcher_new(), tp_matcher_add_entry() for the current
 * version of each entry (cancelled ones are counted and dropped: they can
 * never act again; a later version replaces them in the store, and the
 * matcher is rebuilt), tp_matcher_add_clearance() for each cleared pair,
 * then tp_matcher_build(). After that the matcher is read-only and
 * tp_matcher_screen() may be called from several threads at once.
 *
 * Bands (TpBand), for one entry:
 *  - CONFIRMED: an identifier matches — the document number with the same
 *    issuing state, or the national ID (personal number; a 12-digit tax
 *    code is one, tp_identifier_is_personal_number()) — and neither the
 *    birth date nor the sex contradicts the entry, nor does a differing
 *    national ID. (The query's nationality stands in for a missing issuing
 *    state, the entry's nationality for an identifier without a country;
 *    with neither on a side, the number alone.) A name alone never
 *    confirms.
 *  - PROBABLE: no identifier in common (or one contradicted, see below);
 *    the full name agrees (same tokens in any order, accents compared when
 *    both names carry diacritics, a last token cut at the MRZ field end
 *    allowed) and the full birth date is the same, sex and nationality not
 *    contradicting.
 *  - POSSIBLE: a fuzzy name agreement with a compatible birth date (equal
 *    on every part both sides know): at most two differences among one
 *    missing middle name (an inner token of the entry's name, or a
 *    secondary-identifier token other than the given name on the
 *    document), one-letter differences (Damerau) between tokens of five
 *    letters or more, surname variants from the equivalence data; or one
 *    slip (a letter lost, swapped or replaced) in a shorter given or middle
 *    name when the family name is in its place, the full birth date and
 *    the sex are the same and nothing else differs (NGHĨA/NGHA, TRUNG/TRNG:
 *    see TP_MATCHER_SLIP_COST); or a full name agreement with a
 *    partial birth date; or a probable match whose sex or nationality
 *    differs, when the name outweighs that (TP_MATCHER_SEX_CONFLICT_WEIGHT;
 *    a fuzzy name with a differing sex or nationality gives no hit).
 *  An identifier match contradicted by birth date, sex or a different
 *  national ID is downgraded, never dropped: PROBABLE when the name also
 *  agrees, POSSIBLE otherwise, the contradiction listed in conflicts.
 *  An entry with no identifier a traveller's document can show (none at
 *  all, or only an enterprise-era tax code or another number) is
 *  enforceable only through its name: its full name (two tokens or more)
 *  with a compatible birth date hits whatever the name weighs, so an old
 *  paper record of a common name and a birth year is never silently
 *  unenforceable (tp-self-check.h finds the entries that still are).
 *  A name written in one piece on one side and in two on the other
 *  (Korean MINJUN, MIN-JUN, MIN JUN) is the same name.
 *
 * Name evidence: each paired token counts its rarity in the loaded list
 * in the place it has in the entry's name (first, middle or last token;
 * a one-token name counts its rarity anywhere), ln(N/df) — in full when
 * equal, 0.9 for an MRZ prefix, 0.8 for a surname variant, 0.6 for a
 * one-letter difference, which is only a typo when one of the two tokens
 * is rare beside the other (THANH/THẮNG, both common, are two names;
 * THAGN is a slip). Each difference beyond the first costs
 * TP_MATCHER_EXTRA_DIFFERENCE_WEIGHT. The sum must reach
 * TP_MATCHER_MIN_NAME_WEIGHT when the full birth date is the same; a
 * partial date narrows less, so the name must make up for it:
 * TP_MATCHER_NO_DAY_WEIGHT more when a side knows only year and month,
 * TP_MATCHER_NO_MONTH_WEIGHT more when a side knows only the year. So
 * NGUYEN alone never matches (nor NGUYEN VAN against a name where VĂN is
 * the middle name), and a year-only entry for
 * Nguyễn Thị Thảo does not flag every Nguyễn Thị Thảo born that year. When
 * either side has no birth date at all, a name hit needs the full name and
 * TP_MATCHER_STRONG_NAME_WEIGHT. When both sides carry a 12-digit national
 * ID and they differ, name-only hits are dropped: it is a lifetime number,
 * so a different one means a different person.
 *
 * Verdict (TpVerdict), by precedence, from every hit not suppressed:
 *   STOP   a confirmed hit whose action is deny_exit;
 *   REFER  else a confirmed hit whose action is refer_customs or
 *          refer_supervisor;
 *   REVIEW else any probable or possible hit (whatever its action);
 *   CLEAR  otherwise. A confirmed notify hit alone gives CLEAR: the
 *          traveller is not held, the hit is still returned so that the
 *          owning agency is notified.
 *  A confirmed hit therefore outranks an uncertain one: STOP with a
 *  possible watch hit beside it stays STOP, and every hit is listed.
 *
 * Only entries effective on the check date count (tp_entry_is_effective).
 * A cleared pair (traveller document key "VNM:C1234567" ↔ entry id and
 * version) suppresses that entry's hit for that document until the
 * clearance expires; a new version of the entry voids the clearance.
 */
#pragma once

#include <glib.h>

#include "tp-entry.h"
#include "tp-query.h"

G_BEGIN_DECLS

/* Name evidence is counted in nats of rarity: ln(N / entries carrying the
 * token in that place: first, middle or last). */
#define TP_MATCHER_MIN_NAME_WEIGHT     4.0
/* What a partial birth date (either side) adds to the name evidence needed.
 * About ln 30 and ln 365 plus 15 %: the operating point where a million-
 * entry list clears 99 % of non-listed travellers and still holds 99 % of
 * listed ones (the sweep is in docs/benchmarks.md). */
#define TP_MATCHER_NO_DAY_WEIGHT       3.9
#define TP_MATCHER_NO_MONTH_WEIGHT     6.8
#define TP_MATCHER_STRONG_NAME_WEIGHT 12.0
/* What a full name must weigh more when the entry records another sex
 * (about one record in a hundred has it wrong: ln 100) or another
 * nationality (a listed person may travel on a second nationality's
 * passport: ln 10). A close name with either gives no hit at all. */
#define TP_MATCHER_SEX_CONFLICT_WEIGHT          4.6
#define TP_MATCHER_NATIONALITY_CONFLICT_WEIGHT  2.3
/* Each name difference (missing token, typo, equivalent) beyond the first. */
#define TP_MATCHER_EXTRA_DIFFERENCE_WEIGHT 3.0
/* Typo tolerance: one edit (Damerau) only between tokens of at least this
 * many letters; LE, VU, AN, HUNG get none. And only when one of the two is
 * rare beside the other (at most this share of its count in the list):
 * two common names one letter apart are two names. */
#define TP_MATCHER_TYPO_MIN_LENGTH     5
#define TP_MATCHER_TYPO_RARITY_RATIO   0.1
/* Slips: one edit in a given or middle name shorter than that (NGHĨA →
 * NGHA, TRUNG → TRNG, AN → A), when the family name, the full birth date
 * and the sex agree and nothing else differs. The slip gives the rarity
 * of what the document shows in that place of a name for that sex
 * (counted as written when both names carry diacritics), less its cost,
 * at most the entry name's rarity: ln(entries of that sex / those with it
 * there) - cost. The cost is the prior of the slip, in nats: a letter lost
 * from a Vietnamese digraph (NH NG CH TR TH GH KH PH), a keyboard or OCR
 * neighbour or two letters swapped, any other one-letter slip. */
#define TP_MATCHER_SLIP_COST_DIGRAPH   2.0
#define TP_MATCHER_SLIP_COST_CONFUSION 3.0
#define TP_MATCHER_SLIP_COST           4.0
/* Tokens beyond this many in one name are ignored. */
#define TP_MATCHER_MAX_TOKENS          8

typedef enum {
  TP_BAND_NONE,
  TP_BAND_POSSIBLE,
  TP_BAND_PROBABLE,
  TP_BAND_CONFIRMED,
} TpBand;

typedef enum {
  TP_VERDICT_CLEAR,
  TP_VERDICT_REVIEW,
  TP_VERDICT_REFER,
  TP_VERDICT_STOP,
} TpVerdict;

/* Fields that matched or conflicted, as a set. */
typedef enum {
  TP_MATCH_PASSPORT     = 1 << 0,
  TP_MATCH_NATIONAL_ID  = 1 << 1,
  TP_MATCH_NAME         = 1 << 2,
  TP_MATCH_BIRTH_DATE   = 1 << 3,
  TP_MATCH_SEX          = 1 << 4,
  TP_MATCH_NATIONALITY  = 1 << 5,
} TpMatchFields;

typedef enum {
  TP_NAME_MATCH_NONE,
  TP_NAME_MATCH_FUZZY,
  TP_NAME_MATCH_FULL,
} TpNameMatch;

typedef struct {
  char          *entry_id;
  guint          entry_version;
  TpListKind     list;
  TpAgency       agency;
  TpAction       action;
  TpBand         band;
  double         score;        /* 0–1; confirmed ≥ 0.90 > probable ≥ 0.60 > possible ≥ 0.30 */
  TpMatchFields  matched;
  TpMatchFields  conflicts;
  TpNameMatch    name_match;   /* how far the names agree */
  double         name_weight;  /* the name evidence, in nats of rarity */
  char          *explanation;  /* one line for the officer */
} TpHit;

typedef struct {
  TpVerdict   verdict;
  GPtrArray  *hits;         /* TpHit*, best first (band, score, entry id) */
  GPtrArray  *suppressed;   /* TpHit* that a clearance suppressed */
  guint       n_hits_total; /* before the max_hits cut */
  guint       n_candidates; /* entries examined (diagnostics, benchmarks) */
} TpScreenResult;

typedef struct {
  GDate   date;       /* check date: entries effective on it count */
  gint64  now;        /* unix seconds: clearances expiring at or before it are void */
  guint   max_hits;   /* 0 = 20 */
} TpScreenOptions;

typedef struct _TpMatcher TpMatcher;

typedef struct {
  guint   n_entries;      /* indexed (current, not cancelled) */
  guint   n_cancelled;    /* given and dropped */
  guint   n_tokens;       /* distinct folded name tokens */
  guint   n_identifiers;
  guint   n_clearances;
  gsize   memory_bytes;   /* heap held by the indexes, approximate */
} TpMatcherStats;

TpMatcher      *tp_matcher_new               (void);
void            tp_matcher_free              (TpMatcher             *matcher);

/* Surname equivalences, one group per line of names that may stand for each
 * other ("Hoàng Huỳnh"); '#' starts a comment. The built-in list
 * (surname-equivalences.txt, a resource) is loaded by tp_matcher_new();
 * this replaces it. Before tp_matcher_build() only. */
gboolean        tp_matcher_set_equivalences  (TpMatcher             *matcher,
                                              const char            *text,
                                              GError               **error);

/* The current version of one entry; the matcher keeps what it needs. */
void            tp_matcher_add_entry         (TpMatcher             *matcher,
                                              const TpEntry         *entry);
/* expires_at: unix seconds, 0 = never. May also be called after
 * tp_matcher_build() (a supervisor's clearance acts at once), but not
 * while another thread screens. */
void            tp_matcher_add_clearance     (TpMatcher             *matcher,
                                              const char            *document_key,
                                              const char            *entry_id,
                                              guint                  entry_version,
                                              gint64                 expires_at);
void            tp_matcher_build             (TpMatcher             *matcher);
void            tp_matcher_get_stats         (TpMatcher             *matcher,
                                              TpMatcherStats        *stats);

void            tp_screen_options_init       (TpScreenOptions       *options,
                                              const GDate           *date,
                                              gint64                 now);

TpScreenResult *tp_matcher_screen            (TpMatcher             *matcher,
                                              const TpQuery         *query,
                                              const TpScreenOptions *options);

/* The baseline the benchmarks compare against: the same decision, reached
 * by comparing the query's name with every entry's name, string against
 * string, with no index. Gives the same result as tp_matcher_screen(). */
TpScreenResult *tp_matcher_screen_exhaustive (TpMatcher             *matcher,
                                              const TpQuery         *query,
                                              const TpScreenOptions *options);

void            tp_screen_result_free        (TpScreenResult        *result);
void            tp_hit_free                  (TpHit                 *hit);

const char     *tp_band_to_string            (TpBand                 band);
const char     *tp_verdict_to_string         (TpVerdict              verdict);
/* The names used in the JSON output: "passport", "national_id", "name",
 * "birth_date", "sex", "nationality"; fills @out (up to 6) and returns the count. */
guint           tp_match_fields_to_strings   (TpMatchFields          fields,
                                              const char           **out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpMatcher, tp_matcher_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpScreenResult, tp_screen_result_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpHit, tp_hit_free)

G_END_DECLS
