/* tp-bcbp.h: bar coded boarding passes (IATA Resolution 792, versions 1–8)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Layout (Resolution 792 and the BCBP Implementation Guide; item numbers in
 * brackets). Sizes are in characters; "hex" sizes are two upper- or
 * lower-case hexadecimal digits.
 *
 *   Mandatory, once:    format code 'M' [1] 1, number of legs encoded [5] 1,
 *                       passenger name [11] 20, electronic ticket indicator
 *                       [253] 1 ('E').
 *   Mandatory, per leg: operating carrier PNR code [7] 7, from city airport
 *                       code [26] 3, to city airport code [38] 3, operating
 *                       carrier designator [42] 3, flight number [43] 5,
 *                       date of flight (Julian date) [46] 3, compartment
 *                       code [71] 1, seat number [104] 4, check-in sequence
 *                       number [107] 5, passenger status [113] 1, field size
 *                       of variable size field [6] 2 hex: the size of the
 *                       conditional items and airline use that follow.
 *   Conditional, once (first leg's variable field only):
 *                       beginning of version number '>' [8] 1, version
 *                       number [9] 1, field size of following structured
 *                       message – unique [10] 2 hex, then passenger
 *                       description [15] 1, source of check-in [12] 1,
 *                       source of boarding pass issuance [14] 1, date of
 *                       issue of boarding pass [22] 4, document type [16] 1,
 *                       airline designator of boarding pass issuer [21] 3,
 *                       baggage tag licence plate number(s) [23] 13,
 *                       1st and 2nd non-consecutive baggage tag licence
 *                       plate numbers [31], [32] 13 each.
 *   Conditional, per leg: field size of following structured message –
 *                       repeated [17] 2 hex, then airline numeric code [142]
 *                       3, document form/serial number [143] 10, selectee
 *                       indicator [18] 1, international documentation
 *                       verification [108] 1, marketing carrier designator
 *                       [19] 3, frequent flyer airline designator [20] 3,
 *                       frequent flyer number [236] 16, ID/AD indicator
 *                       [89] 1, free baggage allowance [118] 3, fast track
 *                       [254] 1; whatever remains of the leg's variable
 *                       field is for individual airline use [4], kept raw.
 *   Security, once:     beginning of security data '^' [25] 1, type of
 *                       security data [28] 1, length of security data [29]
 *                       2 hex, security data [30].
 *
 * Versions. The version number (1–8) does not change where items stand:
 * versions add items at the end of a section and change code tables, and
 * the section sizes carried in the data say which items a pass has. The
 * parser therefore reads the structured items of a section in order while
 * the declared size has room, whatever the version; an item cut by the
 * declared size is kept as far as it goes, with a warning. The IATA
 * Implementation Guide's own version 5 example carries all 42 characters
 * of the repeated section (through fast track) and all three baggage tag
 * items; version 7 only opened the standard to Aztec, QR and Data Matrix
 * symbols, and version 8 only added passenger description codes 'X'
 * (unspecified) and 'U' (undisclosed), which earlier versions do not
 * define (a warning). A version digit outside 1–8 is read the same way,
 * with a warning.
 *
 * Dates. Neither date carries a full year; both resolve against a
 * reference date (the day of the scan; today when NULL):
 *  - date of flight: of the years before, of and after the reference, the
 *    one that puts day N closest to the reference (a flight on day 365
 *    scanned on 2 January is last year's; day 002 scanned on 30 December
 *    is next year's); on a tie, the later date. Day 366 exists only in leap
 *    years: when none of the three years is one, the date does not resolve
 *    (an error). Days 000 and 367–999 and anything but three digits are
 *    errors.
 *  - date of issue: its first digit is the last digit of the year; the
 *    year is the most recent one ending in that digit that puts the date
 *    no later than the day after the reference (one day of tolerance for
 *    clocks and time zones). Day 366 looks back to the most recent such
 *    leap year. A blank date of issue is simply absent; one that does not
 *    resolve is a warning (the item is conditional).
 *
 * Shape of the mandatory items of every leg (Resolution 792):
 *   from [26], to [38]     three letters A–Z
 *   carrier [42]           two or three letters or digits, left-aligned,
 *                          padded with a space ("AC ")
 *   flight number [43]     four digits and an optional letter ("0834 ",
 *                          "0123A"); fewer digits or leading spaces ("834  ",
 *                          " 834 ") are tolerated with a warning
 *   date of flight [46]    three digits, 001–366; fewer digits left- or
 *                          right-aligned with spaces ("99 ", " 99" for day
 *                          099, as easyJet prints it) are tolerated with a
 *                          warning
 *   compartment [71]       a letter; blank (easyJet) is tolerated with a
 *                          warning
 *   seat [104]             three digits and a letter ("001A"); blank, "INF"
 *                          and fewer digits with spaces ("12C ") are tolerated
 *                          with a warning
 *   check-in sequence [107] digits and an optional letter, left-aligned
 *                          ("0025 ", "0025A", "3    "); blank and leading
 *                          spaces are tolerated with a warning
 *   passenger status [113] a letter or a digit
 *   variable size [6]      two hexadecimal digits
 * The PNR code [7] is not checked.
 *
 * Tolerance. The parser reads whatever is there and never reads outside
 * the len bytes it is given (no NUL terminator needed; a NUL byte is data
 * like any other). Each deviation from Resolution 792 becomes a
 * #TpBcbpIssue naming the IATA item. Errors (the pass is unusable,
 * valid = FALSE): number of legs outside 1–4, a declared leg that is
 * missing (the data ends before its airport codes), a mandatory item whose
 * shape is not the one above (a byte outside printable ASCII in one
 * included), a date of flight that is not a day of the year. Warnings:
 * everything else (no 'E', section sizes that disagree with the data, no
 * version, unknown version, conditional items cut short, bytes outside
 * printable ASCII in the name, the PNR code or conditional items, a NUL in
 * airline use or security data, trailing data...).
 *
 * A pass cut short (Brussels Airlines' booking confirmations end after
 * the compartment, or right after the date of flight) is read as far as
 * it goes: each mandatory item after the cut is a warning ("Seat Number
 * (item 104), leg 1: missing: the pass ends before it"; an item cut in
 * its middle is "cut short" and not read) and stays NULL, so the journey
 * checks (tp-boarding-check.h) say what they could not check. A leg is
 * there when its PNR code and both airport codes are.
 *
 * Where a declared size disagrees with the data, the parser prefers what
 * the data shows:
 *  - a last leg whose variable field size is wrong is re-measured up to a
 *    well-formed security section (or the end of the data) when there is
 *    one;
 *  - when the variable field size of a leg that is not the last points at
 *    something that is not a leg (an item of the error kind above, or too
 *    little data), the nearest position within 8 bytes either way where a
 *    fully well-formed leg starts (every mandatory item exactly as above,
 *    no tolerated shape, printable, a day 001–366, a hexadecimal size) is
 *    taken as the next leg, with a warning on the size; when there is none
 *    the next leg is read where the size says, and its items are errors.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Legs a pass may declare (Resolution 792: 1–4); the parser reads up to
 * the digit's value, 9, reporting an error above 4. */
#define TP_BCBP_MAX_LEGS 4

/**
 * TpBcbpIssue:
 * @item: the IATA item number the issue concerns (see the layout above),
 *   0 for the pass as a whole
 * @leg: 1-based leg, 0 when the item is not a leg's
 * @message: for a person: "ITEM NAME (item N), leg L: what was found,
 *   what was expected"
 */
typedef struct {
  guint  item;
  guint  leg;
  char  *message;
} TpBcbpIssue;

/**
 * TpBcbpLeg:
 *
 * Text items are NUL-terminated and trimmed of padding spaces at both
 * ends; bytes outside printable ASCII are replaced by '?' (with a
 * warning, or the item's shape error). @pnr, @from and @to are never
 * NULL (a leg without them is not in #TpBcbp.legs); the other mandatory
 * items are NULL only when the pass ends before them (a warning each).
 * Conditional items are NULL when the declared sizes leave no room for
 * them, "" when present but blank.
 *
 * @pnr: operating carrier PNR code [7]
 * @from: from city airport code [26]
 * @to: to city airport code [38]
 * @carrier: operating carrier designator [42]
 * @flight_number: [43], as printed without padding ("0834", "0123A")
 * @julian_date: date of flight [46] as a number whenever its three
 *   characters are digits, or fewer digits with spaces around them
 *   (0–999; only 1–366 is a day of the year, and anything else is an
 *   error: "000" is 0, "99 " is 99 with a warning); -1 when they hold no
 *   such number ("12A", "1 6") or the pass ends before them
 * @flight_date: the resolved date (see above); not valid (g_date_valid()
 *   FALSE) when it does not resolve
 * @compartment: compartment code [71]
 * @seat: seat number [104]
 * @checkin_sequence: check-in sequence number [107]
 * @passenger_status: [113]
 * @variable_size: field size of variable size field [6] as declared, -1
 *   when not hexadecimal or when the pass ends before it
 * @has_repeated: the leg's variable field holds a repeated conditional
 *   section (its size [17] could be read)
 * @repeated_size: field size of following structured message – repeated
 *   [17] as declared, -1 when absent or not hexadecimal
 * @airline_numeric_code: [142]
 * @document_serial: document form/serial number [143]
 * @selectee: selectee indicator [18]
 * @document_verification: international documentation verification [108]
 * @marketing_carrier: marketing carrier designator [19]
 * @frequent_flyer_airline: frequent flyer airline designator [20]
 * @frequent_flyer_number: [236]
 * @id_ad_indicator: ID/AD indicator [89]
 * @free_baggage_allowance: [118]
 * @fast_track: [254]
 * @airline_use: for individual airline use [4]: the rest of the leg's
 *   variable field, raw (not trimmed, not replaced), NUL-terminated; NULL
 *   when empty
 * @airline_use_len: its length in bytes
 */
typedef struct {
  char     *pnr;
  char     *from;
  char     *to;
  char     *carrier;
  char     *flight_number;
  int       julian_date;
  GDate     flight_date;
  char     *compartment;
  char     *seat;
  char     *checkin_sequence;
  char     *passenger_status;
  int       variable_size;

  gboolean  has_repeated;
  int       repeated_size;
  char     *airline_numeric_code;
  char     *document_serial;
  char     *selectee;
  char     *document_verification;
  char     *marketing_carrier;
  char     *frequent_flyer_airline;
  char     *frequent_flyer_number;
  char     *id_ad_indicator;
  char     *free_baggage_allowance;
  char     *fast_track;
  char     *airline_use;
  gsize     airline_use_len;
} TpBcbpLeg;

/**
 * TpBcbp:
 * @valid: TRUE when @errors is empty
 * @format_code: always 'M' (other text is not a boarding pass)
 * @number_of_legs: number of legs encoded [5] as declared (0–9)
 * @n_legs: legs read into @legs (fewer than declared when the data ends)
 * @legs: the legs, @n_legs of them
 * @passenger_name: [11], trimmed ("DESMARAIS/LUC")
 * @name_full: the name field is filled to its 20th character, so the name
 *   may have been cut to fit (compare it as a prefix)
 * @eticket: the electronic ticket indicator [253] is 'E'
 * @eticket_indicator: the character read there, '\0' when it is missing
 *   (the PNR code follows the name directly)
 * @version: version number [9], 0–9; -1 when the pass has no
 *   '>'-introduced conditional section or the character is not a digit
 * @unique_size: field size of following structured message – unique [10]
 *   as declared, -1 when absent or not hexadecimal
 * @passenger_description: [15]
 * @source_of_checkin: [12]
 * @source_of_issuance: source of boarding pass issuance [14]
 * @date_of_issue_raw: date of issue of boarding pass [22], as printed
 * @date_of_issue: resolved (see above); not valid when absent or not
 *   resolvable
 * @document_type: [16]
 * @issuer: airline designator of boarding pass issuer [21]
 * @baggage_tags: baggage tag licence plate number(s) [23] and the 1st and
 *   2nd non-consecutive ones [31], [32]; NULL when absent
 * @has_security: the pass carries a security section ('^' [25])
 * @security_type: type of security data [28], NULL without security
 *   section or when cut short
 * @security_length: length of security data [29] as declared, -1 when
 *   absent or not hexadecimal
 * @security_data: security data [30], raw and NUL-terminated, as far as
 *   present; NULL without security section
 * @security_data_len: its length in bytes
 * @errors: the #TpBcbpIssue that make the pass unusable, in reading order
 * @warnings: the other #TpBcbpIssue, in reading order
 *
 * Conditional items follow the rules of #TpBcbpLeg.
 */
typedef struct {
  gboolean     valid;
  char         format_code;
  guint        number_of_legs;
  guint        n_legs;
  TpBcbpLeg   *legs;
  char        *passenger_name;
  gboolean     name_full;
  gboolean     eticket;
  char         eticket_indicator;

  int          version;
  int          unique_size;
  char        *passenger_description;
  char        *source_of_checkin;
  char        *source_of_issuance;
  char        *date_of_issue_raw;
  GDate        date_of_issue;
  char        *document_type;
  char        *issuer;
  char        *baggage_tags[3];

  gboolean     has_security;
  char        *security_type;
  int          security_length;
  char        *security_data;
  gsize        security_data_len;

  GPtrArray   *errors;
  GPtrArray   *warnings;
} TpBcbp;

/* Parses len bytes of barcode text (no terminator needed; a trailing
 * newline is data, strip it first). reference: the day dates resolve
 * against (NULL: today, local time). Returns NULL with
 * TP_ERROR_INVALID_INPUT when the text is not a boarding pass at all: it
 * does not start with 'M' and a digit, or does not reach the first leg's
 * airport codes (36 characters, 35 without the electronic ticket
 * indicator), or, shorter than one whole leg (60 characters), does not
 * show them (three letters each) where they belong. Any other problem is
 * an issue in the result. */
TpBcbp      *tp_bcbp_parse                (const char    *data,
                                           gsize          len,
                                           const GDate   *reference,
                                           GError       **error);
void         tp_bcbp_free                 (TpBcbp        *bcbp);

/* The IATA name of an item number ("Passenger Name" for 11), or NULL for a
 * number this module does not know. */
const char  *tp_bcbp_item_name            (guint          item);

/* The first error or warning about item (in leg, 0 for any leg), or
 * NULL. */
const TpBcbpIssue *tp_bcbp_find_issue     (const TpBcbp  *bcbp,
                                           guint          item,
                                           guint          leg);

/* Date of flight: day julian (1–366) in the year that puts it closest to
 * reference (see above). Returns FALSE, out cleared, when it does not
 * resolve. */
gboolean     tp_bcbp_resolve_flight_date  (guint          julian,
                                           const GDate   *reference,
                                           GDate         *out);

/* Date of issue: day julian (1–366) of the latest year ending in
 * year_digit (0–9) that is not after the day after reference. Returns
 * FALSE, out cleared, when it does not resolve. */
gboolean     tp_bcbp_resolve_issue_date   (guint          year_digit,
                                           guint          julian,
                                           const GDate   *reference,
                                           GDate         *out);

/**
 * TpBcbpName:
 * @surname: the part before '/', trimmed; the whole name when there is no
 *   '/'
 * @given_names: the part after '/', without a trailing title, single
 *   spaces; "" when none
 * @title: a trailing title separated by a space (MR, MRS, MS, MISS, MSTR,
 *   DR, PROF, REV, CHD, INF...), or NULL
 * @truncated: the name field was full, so the last part (given names,
 *   or the surname when there is no '/') may be cut: compare it as a
 *   prefix
 *
 * Airlines write "SURNAME/GIVEN NAMES TITLE" (PSCRM); a title glued to the
 * given names ("LUCMR") is left in place, since it cannot be told from the
 * end of a name.
 */
typedef struct {
  char     *surname;
  char     *given_names;
  char     *title;
  gboolean  truncated;
} TpBcbpName;

/* Splits a passenger name (the trimmed item 11, or the 20-character field
 * as printed). truncated: whether the field was full (#TpBcbp.name_full). */
TpBcbpName  *tp_bcbp_name_split           (const char    *name,
                                           gboolean       truncated);
void         tp_bcbp_name_free            (TpBcbpName    *name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpBcbp, tp_bcbp_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpBcbpName, tp_bcbp_name_free)

G_END_DECLS
