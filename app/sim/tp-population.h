/* tp-population.h: a deterministic synthetic population and its lists
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Test and benchmark data that looks like the real thing without being
 * anyone: list entries (exit bans and watch entries, with their version
 * history) for N listed people, and the travellers who come to the counter.
 *
 * Everything is a pure function of (seed, index, reference date): entry i,
 * person p and query k of a kind can be produced in any order, on demand,
 * with nothing kept in memory, and the same seed gives the same bytes on
 * every machine (a splitmix64 generator in this file, no GLib random).
 *
 * People: about 87 % Vietnamese — family names with their real frequencies
 * (Nguyễn about 37 %, Trần, Lê, Phạm, Hoàng/Huỳnh, Phan, Vũ/Võ: the top
 * seven near 80 %), a middle name whose use follows the birth cohort (Văn and Thị
 * more common in older people, sex-consistent), sometimes two or none, and
 * a few hundred given names with a Zipf-like frequency, all with their
 * diacritics — and about 13 % foreign: Chinese, Korean, English-speaking,
 * French, German, Spanish (two family names, compound given names) and
 * Russian. Birth years 1940–2008 around 1980, with the 1 January heaping of
 * older records. Vietnamese passports are a letter and 7 digits; the
 * 12-digit citizen ID is province (3) + sex/century (1) + year (2) +
 * serial (6); both are unique per person by construction.
 *
 * Entries: about 65 % exit bans (tax and customs mostly, deny_exit) and
 * 35 % watch entries (refer_customs, refer_supervisor, notify). About 6 %
 * are cancelled (a second version), 5 % expired, 2 % not yet effective and
 * 17 % extended (a second version with a later end date). Some give only a
 * partial birth date (1 % year-month, 1.5 % year), some carry no diacritics (legacy
 * records), some no passport or no citizen ID, a few no identifier at all.
 * About 2 % of entries are a second entry for the person of the entry
 * before (on the other list, typically).
 */
#pragma once

#include <glib.h>

#include "tp-entry.h"
#include "tp-query.h"

G_BEGIN_DECLS

typedef enum {
  /* A listed person presenting a listed identifier (the listed passport,
   * or a new passport carrying the listed citizen ID). */
  TP_QUERY_KIND_LISTED_IDENTIFIER,
  /* A listed person with a new passport and no citizen ID on it, the name
   * written with one variation (TpVariation). */
  TP_QUERY_KIND_LISTED_NEW_DOCUMENT,
  /* Someone never listed, from the same distribution. */
  TP_QUERY_KIND_NOT_LISTED,
  /* Someone whose only entry is cancelled, expired or not yet effective. */
  TP_QUERY_KIND_FORMERLY_LISTED,
  /* A listed Vietnamese person (the entry knows the full birth date and
   * the sex) with a new passport and no citizen ID, one of whose given or
   * middle names of 2–5 letters lost a letter or had one swapped or
   * replaced (NGHIA → NGHA, TRUNG → TRNG, MINH → MIHN: what manual entry
   * and OCR do to short names; TP_VARIATION_NAME_SLIP). */
  TP_QUERY_KIND_LISTED_NAME_SLIP,
  TP_QUERY_N_KINDS,
} TpQueryKind;

typedef enum {
  TP_VARIATION_NONE,
  TP_VARIATION_NEW_NUMBER,       /* only the document number changed */
  TP_VARIATION_ORDER,            /* given names first, or fields swapped */
  TP_VARIATION_MISSING_MIDDLE,   /* one middle name left out */
  TP_VARIATION_TYPO,             /* one letter changed in a token of 5+ letters */
  TP_VARIATION_TRUNCATED,        /* a long name cut at the end of the MRZ field */
  TP_VARIATION_ACCENTS_LOST,     /* the full name written without diacritics */
  TP_VARIATION_SURNAME_VARIANT,  /* Hoàng/Huỳnh, Vũ/Võ */
  TP_VARIATION_NAME_SLIP,        /* a given or middle name of 2–5 letters, one letter lost, swapped or replaced */
  TP_N_VARIATIONS,
} TpVariation;

typedef struct {
  TpQuery     *query;
  TpQueryKind  kind;
  TpVariation  variation;
  guint        entry_index;   /* the listed person's entry (not for NOT_LISTED) */
  char        *entry_id;      /* NULL for NOT_LISTED */
} TpPopulationQuery;

typedef struct _TpPopulation TpPopulation;

/* @today: the reference date for effective dates (entries act on it). */
TpPopulation      *tp_population_new                 (guint64            seed,
                                                      guint              n_entries,
                                                      const GDate       *today);
void               tp_population_free                (TpPopulation      *population);
guint              tp_population_get_n_entries       (TpPopulation      *population);
const GDate       *tp_population_get_today           (TpPopulation      *population);

/* Every version of entry @index (TpEntry*, owned), oldest first. */
GPtrArray         *tp_population_entry_history       (TpPopulation      *population,
                                                      guint              index);
/* The current version of entry @index. */
TpEntry           *tp_population_entry               (TpPopulation      *population,
                                                      guint              index);

/* Query @index of @kind (any index: the same index gives the same query). */
TpPopulationQuery *tp_population_query               (TpPopulation      *population,
                                                      TpQueryKind        kind,
                                                      guint              index);
void               tp_population_query_free          (TpPopulationQuery *query);

const char        *tp_query_kind_to_string           (TpQueryKind        kind);
gboolean           tp_query_kind_from_string         (const char        *s,
                                                      TpQueryKind       *out);
const char        *tp_variation_to_string            (TpVariation        variation);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpPopulation, tp_population_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpPopulationQuery, tp_population_query_free)

G_END_DECLS
