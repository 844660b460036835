/* tp-country.h: the one table of country and nationality codes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every code a travel document or a list may carry for a state, an
 * organisation or a person without a state's nationality, and nothing else:
 *  - ISO 3166-1 alpha-3, every officially assigned code (249);
 *  - ICAO 9303 Part 3's own codes: D for Germany (Germany's documents print
 *    "D<<", never DEU), the British nationality categories GBD, GBN, GBO,
 *    GBP, GBS, the United Nations codes UNO, UNA, UNK, the codes for persons
 *    without a state's nationality XXA, XXB, XXC, XXX, the European Union
 *    EUE and the organisations ICAO recognises (XBA, XIM, XCC, XCE, XCO, XEC,
 *    XPO, XES, XMP, XOM, XDC);
 *  - RKS, the code Kosovo prints in its own documents (ISO 3166 has no code;
 *    XK is the alpha-2 code in common use);
 *  - UTO, ICAO's fictional "Utopia" on the specimen documents of ICAO 9303
 *    (alpha-2 UT in specimen and test certificates, no ISO 3166 code).
 * The MRZ parser accepts exactly these codes, the list-entry validator too,
 * and the matcher compares nationalities through tp_country_same(), so a
 * German passport (D) meets a list entry written DEU.
 *
 * Codes are compared case-insensitively and trailing MRZ filler is ignored
 * ("D<<" is D). Alpha-2 codes are what X.509 certificates carry (C=DE):
 * tp_country_from_alpha2() gives the code ICAO prints for that state.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * TpCountryKind:
 * @TP_COUNTRY_STATE: a state or territory (ISO 3166-1, D, RKS)
 * @TP_COUNTRY_BRITISH: a British nationality category other than a citizen
 *   (GBD, GBN, GBO, GBP, GBS); the issuing state is GBR
 * @TP_COUNTRY_ORGANISATION: an organisation that issues travel documents
 *   (UNO, UNA, EUE, the X.. organisations)
 * @TP_COUNTRY_STATUS: a person's status in place of a nationality (UNK, XXA,
 *   XXB, XXC, XXX)
 * @TP_COUNTRY_SPECIMEN: ICAO's specimen state (UTO)
 */
typedef enum {
  TP_COUNTRY_STATE,
  TP_COUNTRY_BRITISH,
  TP_COUNTRY_ORGANISATION,
  TP_COUNTRY_STATUS,
  TP_COUNTRY_SPECIMEN,
} TpCountryKind;

/**
 * TpCountry:
 * @code: the code as a document or a list carries it ("DEU", "D", "UNO")
 * @icao: the code ICAO 9303 prints for the same state or body ("D" for both
 *   DEU and D; otherwise @code)
 * @alpha2: the ISO 3166-1 alpha-2 code (or the code in common use: XK for
 *   Kosovo, EU, UN), NULL when there is none
 * @kind: what the code stands for
 * @name: English name
 *
 * Static rows of one table; never freed.
 */
typedef struct {
  const char    *code;
  const char    *icao;
  const char    *alpha2;
  TpCountryKind  kind;
  const char    *name;
} TpCountry;

/* The row for a code: one to three letters A–Z in either case, optionally
 * followed by < filler ("D<<"). NULL when the code is not in the table. */
const TpCountry *tp_country_lookup        (const char       *code);

/* TRUE when code is in the table (tp_country_lookup() != NULL). */
gboolean         tp_country_is_valid      (const char       *code);

/* The row of the state with this alpha-2 code (either case) in the form
 * ICAO prints it: "DE" -> D, "VN" -> VNM, "XK" -> RKS, "EU" -> EUE,
 * "UN" -> UNO. NULL when no row has it. */
const TpCountry *tp_country_from_alpha2   (const char       *alpha2);

/* TRUE when code (ICAO or alpha-3, as for tp_country_lookup()) designates
 * the state with this alpha-2 code: ("D", "DE") and ("DEU", "de") are. */
gboolean         tp_country_has_alpha2    (const char       *code,
                                           const char       *alpha2);

/* TRUE when both codes designate the same state or body: D and DEU are the
 * same, every other code only itself. Codes outside the table are compared
 * as text (case-insensitive, filler ignored). An empty or NULL code is
 * the same as no other code. */
gboolean         tp_country_same          (const char       *a,
                                           const char       *b);

/* Not a state: an organisation or a person's status (UNO, UNA, UNK, the X..
 * codes, EUE), the codes ICAO 9303 Part 3 lists apart from states. */
gboolean         tp_country_is_special    (const TpCountry  *country);

/* The whole table, sorted by code. */
const TpCountry *tp_country_all           (gsize            *n_countries);

/* "state", "british", "organisation", "status", "specimen" */
const char      *tp_country_kind_to_string (TpCountryKind    kind);

G_END_DECLS
