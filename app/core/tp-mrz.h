/* tp-mrz.h: machine readable zones of travel documents (ICAO Doc 9303 Parts 3–7)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Formats: TD1 (3 lines of 30, identity cards), TD2 (2 × 36), TD3 (2 × 44,
 * passports), MRV-A (2 × 44) and MRV-B (2 × 36) visas. A document code
 * starting with V makes a 2 × 44 zone an MRV-A and a 2 × 36 zone an MRV-B.
 *
 * Input: the lines separated by any run of white space (LF, CR LF, CR,
 * spaces, tabs), or with nothing between them: what a keyboard-wedge reader
 * sends in one go (90, 72 or 88 characters) is split by length. Surrounding
 * white space is ignored. The pieces must make whole lines of one format
 * (each piece a multiple of the line length, 90, 72 or 88 characters in
 * all); anything else is not an MRZ. Lengths and columns count characters
 * of UTF-8 text, not bytes ("Ö" is one character); a byte that is not
 * valid UTF-8 counts as one character. Characters are taken as printed: a
 * lower-case letter, "Ö" or a byte that is not UTF-8 is not an MRZ
 * character and is reported as an error in its field, at its column
 * ("Name, line 1, position 6: “Ö” is not an MRZ character (A–Z, 0–9, <)");
 * the parser does not upper-case or transliterate (a front end that lets
 * people type may). Fields keep such characters as given.
 *
 * Dates are two-digit years; they resolve against a reference date (the day
 * of the check, today by default):
 *  - birth date: the latest date with those digits that is not after the
 *    reference date (so within the 100 years up to the reference);
 *  - expiry date: the century that places the date within
 *    [reference − 80 years, reference + 20 years).
 * 29 February of a year 00 that resolves to 1900 or 2100 is not a date
 * (a field error, like 30 February). A birth date may have unknown parts printed
 * as filler (“74<<<<”, “7408<<”): it is reported as partial (year and month
 * kept, no ISO form) and is not an error. An expiry date must be complete.
 *
 * Check digits: weights 7, 3, 1 repeated; 0–9 count as themselves, A–Z as
 * 10–35, the filler < as 0; the digit is the sum modulo 10.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  TP_MRZ_FORMAT_TD1,
  TP_MRZ_FORMAT_TD2,
  TP_MRZ_FORMAT_TD3,
  TP_MRZ_FORMAT_MRVA,
  TP_MRZ_FORMAT_MRVB,
} TpMrzFormat;

/* The check digits an MRZ can carry, in the order they are reported. */
typedef enum {
  TP_MRZ_CHECK_DOCUMENT_NUMBER,
  TP_MRZ_CHECK_BIRTH_DATE,
  TP_MRZ_CHECK_EXPIRY_DATE,
  TP_MRZ_CHECK_OPTIONAL_DATA,  /* TD3 personal number only */
  TP_MRZ_CHECK_COMPOSITE,      /* TD1, TD2, TD3; visas have none */
  TP_MRZ_N_CHECKS,
} TpMrzCheck;

typedef enum {
  TP_MRZ_CHECK_ABSENT,    /* this format has no such check digit */
  TP_MRZ_CHECK_VALID,
  TP_MRZ_CHECK_INVALID,   /* wrong digit, or not a digit at all */
} TpMrzCheckState;

/**
 * TpMrzFieldError:
 * @field: "document_code", "issuing_state", "document_number", "nationality",
 *   "birth_date", "sex", "expiry_date", "optional_data", "composite" or
 *   "name" (static strings; "format" is reserved for layout problems, which
 *   this version reports as “not an MRZ” instead)
 * @message: what was found and what was expected, for a person
 * @line: 1-based line of the zone
 * @start: first column (0-based, in characters) in that line
 * @end: column after the last one (exclusive)
 *
 * A check digit that does not match is reported on the field it protects
 * (the span of the data, not of the digit); a check digit that is not a
 * digit at all is reported on the digit's own column. Messages name
 * positions counted from 1, as ICAO 9303 does; @start and @end count from 0.
 */
typedef struct {
  const char *field;
  char       *message;
  guint       line;
  guint       start;
  guint       end;
} TpMrzFieldError;

/**
 * TpMrzDate:
 * @raw: the six characters as printed (YYMMDD, < for unknown parts)
 * @year: resolved four-digit year, 0 when unknown or not a date
 * @month: 1–12, 0 when unknown or not a date
 * @day: 1–31, 0 when unknown or not a date
 * @complete: TRUE when year, month and day are known and form a real date
 * @iso: "YYYY-MM-DD" when @complete, else ""
 */
typedef struct {
  char      raw[7];
  guint     year;
  guint     month;
  guint     day;
  gboolean  complete;
  char      iso[11];
} TpMrzDate;

/**
 * TpMrzSubstitution:
 * @line: 1-based line
 * @column: 0-based column
 * @from: the character read (a letter)
 * @to: the digit that replaces it
 * @field: the field the column belongs to (static string, as in #TpMrzFieldError)
 */
typedef struct {
  guint       line;
  guint       column;
  char        from;
  char        to;
  const char *field;
} TpMrzSubstitution;

/**
 * TpMrzRepair:
 * @lines: the repaired lines, NULL-terminated
 * @substitutions: the #TpMrzSubstitution made, in reading order
 *
 * An OCR repair: letters read where only digits may stand (dates and check
 * digits) replaced by the digits they are commonly mistaken for
 * (O, D, Q → 0; I → 1; Z → 2; S → 5; G → 6; B → 8). Offered only when,
 * after the repair, every check digit of the format holds and the repaired
 * fields have no error left.
 */
typedef struct {
  char   **lines;
  GArray  *substitutions;
} TpMrzRepair;

/**
 * TpMrz:
 * @format: the layout
 * @valid: TRUE when @errors is empty (every check digit holds, every field
 *   is well formed); an expired document can be valid
 * @lines: the lines read, NULL-terminated (after any splitting by length),
 *   as given (each holds the format's number of characters, which may be
 *   more bytes)
 * @document_code: filler stripped ("P", "ID", "V")
 * @issuing_state: filler stripped ("UTO", "D" for “D<<”); a code that is
 *   not in the country table (tp-country.h) is a field error
 * @document_number: the whole number, filler stripped; a TD1/TD2 number
 *   longer than nine characters includes its continuation from the
 *   optional data
 * @nationality: filler stripped, checked like @issuing_state
 * @birth_date: see the date rule above
 * @sex: 'M', 'F' or 'X' (X also for < and for an invalid character)
 * @expiry_date: see the date rule above
 * @expired: @expiry_date is complete and before the reference date
 * @optional_data: filler stripped at both ends (TD3: the personal number;
 *   TD1: line 1's optional data without the continuation of a long
 *   document number)
 * @optional_data_2: TD1 only: line 2's optional data, filler stripped;
 *   NULL in other formats
 * @primary_identifier: name before “<<”, < turned into spaces
 * @secondary_identifier: name after “<<”, < turned into spaces ("" if none)
 * @name_truncated: the name field is filled to its last position, so the
 *   name may have been cut to fit (ICAO 9303 Part 3 truncation)
 * @issuing_state_special: the issuing state is a special code (see
 *   tp_mrz_special_code_describe())
 * @nationality_special: the nationality is a special code
 * @checks: state of each check digit, indexed by #TpMrzCheck
 * @errors: the #TpMrzFieldError, ordered by line and column
 * @repair: an OCR repair confirmed by the check digits, or NULL
 */
typedef struct {
  TpMrzFormat      format;
  gboolean         valid;
  char           **lines;
  char            *document_code;
  char            *issuing_state;
  char            *document_number;
  char            *nationality;
  TpMrzDate        birth_date;
  char             sex;
  TpMrzDate        expiry_date;
  gboolean         expired;
  char            *optional_data;
  char            *optional_data_2;
  char            *primary_identifier;
  char            *secondary_identifier;
  gboolean         name_truncated;
  gboolean         issuing_state_special;
  gboolean         nationality_special;
  TpMrzCheckState  checks[TP_MRZ_N_CHECKS];
  GPtrArray       *errors;
  TpMrzRepair     *repair;

  /*< private >*/
  char            *mrz_information;
  char           **cells;       /* one byte per character: ASCII, or not an MRZ character */
  guint          **offsets;     /* byte offset of each character in lines[i], and of the end */
} TpMrz;

/* Parses and checks a zone. reference: the day dates resolve against
 * (NULL: today, local time). Returns NULL with TP_ERROR_INVALID_INPUT only
 * when no format fits the text; any other problem is a field error in the
 * returned TpMrz. */
TpMrz       *tp_mrz_parse                 (const char      *text,
                                           const GDate     *reference,
                                           GError         **error);
void         tp_mrz_free                  (TpMrz           *mrz);

/* The check digit (0–9) of len characters of s. Characters outside
 * 0–9, A–Z and < count as 0 (validate them first). */
guint        tp_mrz_check_digit           (const char      *s,
                                           gsize            len);

/* "TD1", "TD2", "TD3", "MRVA", "MRVB" */
const char  *tp_mrz_format_to_string      (TpMrzFormat      format);

/* "document_number", "birth_date", "expiry_date", "optional_data", "composite" */
const char  *tp_mrz_check_to_string      (TpMrzCheck       check);

/* The “MRZ information” the chip's access keys derive from (ICAO 9303
 * Part 11, BAC): document number (at least nine characters, filler kept;
 * a long TD1/TD2 number in full), its check digit, birth date, its check
 * digit, expiry date, its check digit, as printed. Owned by mrz. */
const char  *tp_mrz_get_mrz_information   (const TpMrz     *mrz);

/* The first error about field (a TpMrzFieldError field name), or NULL. */
const TpMrzFieldError *tp_mrz_find_error  (const TpMrz     *mrz,
                                           const char      *field);

/* ICAO 9303 Part 3 codes that are not states: UNO, UNA, UNK, XBA, XIM,
 * XCC, XCE, XCO, XEC, XPO, XES, XMP, XOM, XDC, XXA, XXB, XXC, XXX, EUE
 * (tp_country_is_special()). code: as an MRZ prints it, upper case, filler
 * allowed. Returns a description, or NULL when code is not one of them. */
const char  *tp_mrz_special_code_describe (const char      *code);
gboolean     tp_mrz_code_is_special       (const char      *code);

/* A TpMrz owns its repair; this frees one a caller has taken with
 * g_steal_pointer (&mrz->repair). */
void         tp_mrz_repair_free           (TpMrzRepair     *repair);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpMrz, tp_mrz_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpMrzRepair, tp_mrz_repair_free)

G_END_DECLS
