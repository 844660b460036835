/* tp-name.h: name normalisation used wherever names are compared
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Two forms of a personal name:
 *  - the *accented* form: NFC, upper case, diacritics kept, tokens of letters
 *    separated by one space ("Nguyễn  văn-An" -> "NGUYỄN VĂN AN");
 *  - the *folded* form: what an MRZ can carry, A-Z only. Vietnamese tone and
 *    vowel marks removed, Đ/đ -> D explicitly (it has no Unicode
 *    decomposition), and the ICAO 9303 Part 3 transliteration for other Latin
 *    letters (Ä -> AE, Ö -> OE, Ü -> UE, Å -> AA, Æ -> AE, Ø -> OE, ß -> SS,
 *    Þ -> TH, Ñ -> N, Œ -> OE, Ĳ -> IJ ...) ("Nguyễn Văn Đức" -> "NGUYEN VAN DUC").
 * Stripping tones merges distinct names (Hùng/Hưng -> HUNG), so compare the
 * accented forms whenever both sides have diacritics (see BRIEF §2).
 *
 * Both forms split the text into the same tokens: runs of letters (with
 * their combining marks). White space, '<', '-', '.', ',', digits, other
 * punctuation and bytes that are not valid UTF-8 separate tokens;
 * apostrophes (' ’ ʼ ` ´) and invisible format characters are omitted
 * without splitting, as in the MRZ (D'Artagnan -> DARTAGNAN). Upper-casing
 * does not depend on the locale. Cyrillic folds by the ICAO table (Table B,
 * general column); letters with no transliteration (Greek, Arabic, CJK...)
 * are dropped from the folded form, and so is a token made only of them.
 * Every function accepts any bytes without reading past the NUL.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Upper-case, diacritics kept, punctuation/digits/filler dropped, tokens
 * separated by single spaces. Never NULL (empty string for no letters). */
char      *tp_name_accented        (const char *utf8);

/* A-Z tokens separated by single spaces, ICAO transliteration. Never NULL. */
char      *tp_name_fold            (const char *utf8);

/* Appends the folded form of text (len bytes, or up to the NUL if len < 0)
 * to out, with nothing added before it: for callers folding many names into
 * one reusable buffer. */
void       tp_name_fold_append     (GString    *out,
                                    const char *text,
                                    gssize      len);

/* The folded tokens as a NULL-terminated vector (empty vector, not NULL). */
char     **tp_name_fold_tokens     (const char *utf8);

/* TRUE if the text carries any diacritic or a letter outside A-Z (so the
 * accented form holds more information than the folded one). */
gboolean   tp_name_has_diacritics  (const char *utf8);

/* MRZ name field from primary and secondary identifiers:
 * ("Nguyễn", "Văn An") -> "NGUYEN<<VAN<AN". secondary may be NULL. The
 * primary identifier is given apart, so every separator inside it (space,
 * hyphen, '<'...) becomes one filler and it stays one identifier, as ICAO
 * 9303 Part 3 has it: ("O'Brien-Smith", "Mary Anne") ->
 * "OBRIEN<SMITH<<MARY<ANNE". Only the two identifiers are separated by
 * "<<". */
char      *tp_name_to_mrz          (const char *primary,
                                    const char *secondary);

/* Damerau-Levenshtein (optimal string alignment) distance between two
 * ASCII/UTF-8 tokens, counted in characters, stopping early above max
 * (returns max + 1 then). */
guint      tp_name_edit_distance   (const char *a,
                                    const char *b,
                                    guint       max);

G_END_DECLS
