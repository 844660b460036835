/* tp-bcbp.c: bar coded boarding passes (IATA Resolution 792)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The parser walks the data with explicit [start, end) bounds: every
 * section (a leg's variable field, the unique and repeated conditional
 * sections, the security data) is clamped to what its parent holds before
 * anything is read from it, and every read goes through item_text() or
 * hex2() with an offset checked against those bounds. Nothing relies on a
 * NUL terminator.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include "tp-bcbp.h"
#include "tp-error.h"

/* IATA item numbers (Resolution 792 / BCBP Implementation Guide). */
enum {
  ITEM_FORMAT_CODE         = 1,
  ITEM_AIRLINE_USE         = 4,
  ITEM_NUMBER_OF_LEGS      = 5,
  ITEM_VARIABLE_SIZE       = 6,
  ITEM_PNR                 = 7,
  ITEM_VERSION_BEGIN       = 8,
  ITEM_VERSION             = 9,
  ITEM_UNIQUE_SIZE         = 10,
  ITEM_PASSENGER_NAME      = 11,
  ITEM_SOURCE_OF_CHECKIN   = 12,
  ITEM_SOURCE_OF_ISSUANCE  = 14,
  ITEM_PAX_DESCRIPTION     = 15,
  ITEM_DOCUMENT_TYPE       = 16,
  ITEM_REPEATED_SIZE       = 17,
  ITEM_SELECTEE            = 18,
  ITEM_MARKETING_CARRIER   = 19,
  ITEM_FF_AIRLINE          = 20,
  ITEM_ISSUER              = 21,
  ITEM_DATE_OF_ISSUE       = 22,
  ITEM_BAGGAGE_TAGS        = 23,
  ITEM_SECURITY_BEGIN      = 25,
  ITEM_FROM                = 26,
  ITEM_SECURITY_TYPE       = 28,
  ITEM_SECURITY_LENGTH     = 29,
  ITEM_SECURITY_DATA       = 30,
  ITEM_BAGGAGE_TAGS_2      = 31,
  ITEM_BAGGAGE_TAGS_3      = 32,
  ITEM_TO                  = 38,
  ITEM_CARRIER             = 42,
  ITEM_FLIGHT_NUMBER       = 43,
  ITEM_FLIGHT_DATE         = 46,
  ITEM_COMPARTMENT         = 71,
  ITEM_ID_AD               = 89,
  ITEM_SEAT                = 104,
  ITEM_CHECKIN_SEQUENCE    = 107,
  ITEM_DOC_VERIFICATION    = 108,
  ITEM_PASSENGER_STATUS    = 113,
  ITEM_FREE_BAGGAGE        = 118,
  ITEM_AIRLINE_NUMERIC     = 142,
  ITEM_DOCUMENT_SERIAL     = 143,
  ITEM_FF_NUMBER           = 236,
  ITEM_ETICKET             = 253,
  ITEM_FAST_TRACK          = 254,
};

/* Sizes of the fixed parts. */
#define HEADER_SIZE        23   /* format code, legs, name, e-ticket indicator */
#define LEG_MANDATORY_SIZE 37   /* PNR .. field size of variable size field */
#define NAME_SIZE          20
/* The shortest pass: the header without the electronic ticket indicator,
 * the first leg's PNR code and both airports (a pass cut short after
 * them is read, with warnings for what is missing). */
#define MIN_PASS_SIZE      (HEADER_SIZE - 1 + 13)

/* Where a leg's mandatory items start, from the start of the leg. */
enum {
  AT_PNR         = 0,
  AT_FROM        = 7,
  AT_TO          = 10,
  AT_CARRIER     = 13,
  AT_FLIGHT      = 16,
  AT_DATE        = 21,
  AT_COMPARTMENT = 24,
  AT_SEAT        = 25,
  AT_SEQUENCE    = 29,
  AT_STATUS      = 34,
  AT_SIZE        = 35,
};

/* How far (in bytes, either way) a leg is looked for when the previous
 * leg's variable size field points at something that is not a leg. */
#define RESYNC_WINDOW 8

/* The shape of a mandatory item: as Resolution 792 has it, a known
 * real-world deviation (a warning), or malformed (an error). */
typedef enum {
  SHAPE_OK,
  SHAPE_TOLERATED,
  SHAPE_BAD,
} Shape;

typedef struct {
  guint       number;
  const char *name;
} ItemName;

/* An item read in sequence: its number, its size and where it is stored
 * (offset of a char * in TpBcbp or TpBcbpLeg). */
typedef struct {
  guint  item;
  guint  size;
  gsize  offset;
} Slot;

typedef struct {
  const guchar *data;
  gsize         len;
  GDate         reference;
  TpBcbp       *bcbp;
} Parser;

static void add_issue (Parser     *p,
                       gboolean    error,
                       guint       item,
                       guint       leg,
                       const char *format,
                       ...) G_GNUC_PRINTF (5, 6);

static const ItemName item_names[] = {
  { ITEM_FORMAT_CODE,        "Format Code" },
  { ITEM_AIRLINE_USE,        "For individual airline use" },
  { ITEM_NUMBER_OF_LEGS,     "Number of Legs Encoded" },
  { ITEM_VARIABLE_SIZE,      "Field size of variable size field" },
  { ITEM_PNR,                "Operating carrier PNR Code" },
  { ITEM_VERSION_BEGIN,      "Beginning of version number" },
  { ITEM_VERSION,            "Version Number" },
  { ITEM_UNIQUE_SIZE,        "Field size of following structured message - unique" },
  { ITEM_PASSENGER_NAME,     "Passenger Name" },
  { ITEM_SOURCE_OF_CHECKIN,  "Source of check-in" },
  { ITEM_SOURCE_OF_ISSUANCE, "Source of Boarding Pass Issuance" },
  { ITEM_PAX_DESCRIPTION,    "Passenger Description" },
  { ITEM_DOCUMENT_TYPE,      "Document Type" },
  { ITEM_REPEATED_SIZE,      "Field size of following structured message - repeated" },
  { ITEM_SELECTEE,           "Selectee indicator" },
  { ITEM_MARKETING_CARRIER,  "Marketing carrier designator" },
  { ITEM_FF_AIRLINE,         "Frequent Flyer Airline Designator" },
  { ITEM_ISSUER,             "Airline Designator of boarding pass issuer" },
  { ITEM_DATE_OF_ISSUE,      "Date of Issue of Boarding Pass (Julian Date)" },
  { ITEM_BAGGAGE_TAGS,       "Baggage Tag Licence Plate Number(s)" },
  { ITEM_SECURITY_BEGIN,     "Beginning of Security Data" },
  { ITEM_FROM,               "From City Airport Code" },
  { ITEM_SECURITY_TYPE,      "Type of Security Data" },
  { ITEM_SECURITY_LENGTH,    "Length of Security Data" },
  { ITEM_SECURITY_DATA,      "Security Data" },
  { ITEM_BAGGAGE_TAGS_2,     "1st Non-Consecutive Baggage Tag Licence Plate Number" },
  { ITEM_BAGGAGE_TAGS_3,     "2nd Non-Consecutive Baggage Tag Licence Plate Number" },
  { ITEM_TO,                 "To City Airport Code" },
  { ITEM_CARRIER,            "Operating carrier Designator" },
  { ITEM_FLIGHT_NUMBER,      "Flight Number" },
  { ITEM_FLIGHT_DATE,        "Date of Flight (Julian Date)" },
  { ITEM_COMPARTMENT,        "Compartment Code" },
  { ITEM_ID_AD,              "ID/AD Indicator" },
  { ITEM_SEAT,               "Seat Number" },
  { ITEM_CHECKIN_SEQUENCE,   "Check-In Sequence Number" },
  { ITEM_DOC_VERIFICATION,   "International Documentation Verification" },
  { ITEM_PASSENGER_STATUS,   "Passenger Status" },
  { ITEM_FREE_BAGGAGE,       "Free Baggage Allowance" },
  { ITEM_AIRLINE_NUMERIC,    "Airline Numeric Code" },
  { ITEM_DOCUMENT_SERIAL,    "Document Form/Serial Number" },
  { ITEM_FF_NUMBER,          "Frequent Flyer Number" },
  { ITEM_ETICKET,            "Electronic Ticket Indicator" },
  { ITEM_FAST_TRACK,         "Fast Track" },
};

/* Items read apart (not stored as text) have no offset. */
#define NO_FIELD G_MAXSIZE
#define LEG_SLOT(item, size, member) { item, size, offsetof (TpBcbpLeg, member) }
#define PASS_SLOT(item, size, member) { item, size, offsetof (TpBcbp, member) }

/* Mandatory items of a leg, in order; the variable field size (item 6,
 * 2 characters) follows and is read apart. */
static const Slot leg_mandatory[] = {
  LEG_SLOT (ITEM_PNR,               7, pnr),
  LEG_SLOT (ITEM_FROM,              3, from),
  LEG_SLOT (ITEM_TO,                3, to),
  LEG_SLOT (ITEM_CARRIER,           3, carrier),
  LEG_SLOT (ITEM_FLIGHT_NUMBER,     5, flight_number),
  { ITEM_FLIGHT_DATE,               3, NO_FIELD },    /* julian_date */
  LEG_SLOT (ITEM_COMPARTMENT,       1, compartment),
  LEG_SLOT (ITEM_SEAT,              4, seat),
  LEG_SLOT (ITEM_CHECKIN_SEQUENCE,  5, checkin_sequence),
  LEG_SLOT (ITEM_PASSENGER_STATUS,  1, passenger_status),
  { ITEM_VARIABLE_SIZE,             2, NO_FIELD },    /* variable_size */
};

/* Unique conditional items, after '>', the version and the unique size. */
static const Slot unique_items[] = {
  PASS_SLOT (ITEM_PAX_DESCRIPTION,    1,  passenger_description),
  PASS_SLOT (ITEM_SOURCE_OF_CHECKIN,  1,  source_of_checkin),
  PASS_SLOT (ITEM_SOURCE_OF_ISSUANCE, 1,  source_of_issuance),
  PASS_SLOT (ITEM_DATE_OF_ISSUE,      4,  date_of_issue_raw),
  PASS_SLOT (ITEM_DOCUMENT_TYPE,      1,  document_type),
  PASS_SLOT (ITEM_ISSUER,             3,  issuer),
  PASS_SLOT (ITEM_BAGGAGE_TAGS,       13, baggage_tags[0]),
  PASS_SLOT (ITEM_BAGGAGE_TAGS_2,     13, baggage_tags[1]),
  PASS_SLOT (ITEM_BAGGAGE_TAGS_3,     13, baggage_tags[2]),
};

/* Repeated conditional items, after the repeated size. */
static const Slot repeated_items[] = {
  LEG_SLOT (ITEM_AIRLINE_NUMERIC,    3,  airline_numeric_code),
  LEG_SLOT (ITEM_DOCUMENT_SERIAL,    10, document_serial),
  LEG_SLOT (ITEM_SELECTEE,           1,  selectee),
  LEG_SLOT (ITEM_DOC_VERIFICATION,   1,  document_verification),
  LEG_SLOT (ITEM_MARKETING_CARRIER,  3,  marketing_carrier),
  LEG_SLOT (ITEM_FF_AIRLINE,         3,  frequent_flyer_airline),
  LEG_SLOT (ITEM_FF_NUMBER,          16, frequent_flyer_number),
  LEG_SLOT (ITEM_ID_AD,              1,  id_ad_indicator),
  LEG_SLOT (ITEM_FREE_BAGGAGE,       3,  free_baggage_allowance),
  LEG_SLOT (ITEM_FAST_TRACK,         1,  fast_track),
};

/* Titles that may end the given names (PSCRM name element). */
static const char * const titles[] = {
  "MR", "MRS", "MS", "MISS", "MSTR", "MASTER", "DR", "PROF", "REV", "SIR",
  "LADY", "LORD", "CAPT", "CHD", "INF",
};

static void
issue_free (gpointer data)
{
  TpBcbpIssue *issue = data;

  g_free (issue->message);
  g_free (issue);
}

static void
add_issue (Parser     *p,
           gboolean    error,
           guint       item,
           guint       leg,
           const char *format,
           ...)
{
  TpBcbpIssue *issue = g_new0 (TpBcbpIssue, 1);
  g_autofree char *text = NULL;
  const char *name = tp_bcbp_item_name (item);
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);

  issue->item = item;
  issue->leg = leg;
  if (name != NULL && leg > 0)
    issue->message = g_strdup_printf ("%s (item %u), leg %u: %s", name, item, leg, text);
  else if (name != NULL)
    issue->message = g_strdup_printf ("%s (item %u): %s", name, item, text);
  else
    issue->message = g_steal_pointer (&text);

  g_ptr_array_add (error ? p->bcbp->errors : p->bcbp->warnings, issue);
}

static inline gboolean
is_digit (guchar c)
{
  return c >= '0' && c <= '9';
}

static inline gboolean
is_upper (guchar c)
{
  return c >= 'A' && c <= 'Z';
}

static inline gboolean
is_printable (guchar c)
{
  return c >= 0x20 && c <= 0x7e;
}

/* Value of the two hexadecimal digits at off, or -1. off + 2 <= len. */
static int
hex2 (const Parser *p,
      gsize         off)
{
  int v = 0;

  g_assert (off + 2 <= p->len);
  for (gsize i = off; i < off + 2; i++)
    {
      int d = g_ascii_xdigit_value (p->data[i]);

      if (d < 0)
        return -1;
      v = v * 16 + d;
    }
  return v;
}

/* The n bytes at off as a printable, quoted excerpt for a message. */
static char *
excerpt (const Parser *p,
         gsize         off,
         gsize         n)
{
  GString *s = g_string_new ("“");

  g_assert (off + n <= p->len);
  for (gsize i = off; i < off + n; i++)
    {
      guchar c = p->data[i];

      if (is_printable (c))
        g_string_append_c (s, c);
      else
        g_string_append_printf (s, "\\x%02X", c);
    }
  g_string_append (s, "”");
  return g_string_free (s, FALSE);
}

/* Reads an item of n bytes at off (off + n <= len): bytes outside
 * printable ASCII become '?' (one warning for the item unless quiet: the
 * caller then reports the item's shape itself), padding spaces are
 * trimmed. */
static char *
item_text_full (Parser   *p,
                gsize     off,
                gsize     n,
                guint     item,
                guint     leg,
                gboolean  quiet)
{
  char *text = g_malloc (n + 1);
  gsize bad = n;

  g_assert (off + n <= p->len);
  for (gsize i = 0; i < n; i++)
    {
      guchar c = p->data[off + i];

      if (!is_printable (c))
        {
          if (bad == n)
            bad = i;
          c = '?';
        }
      text[i] = (char) c;
    }
  text[n] = '\0';

  if (bad < n && !quiet)
    add_issue (p, FALSE, item, leg,
               "byte 0x%02X at offset %" G_GSIZE_FORMAT " is not a printable ASCII character; read as “?”",
               p->data[off + bad], off + bad);

  return g_strstrip (text);
}

static char *
item_text (Parser *p,
           gsize   off,
           gsize   n,
           guint   item,
           guint   leg)
{
  return item_text_full (p, off, n, item, leg, FALSE);
}

/* A raw copy of n bytes at off, NUL-terminated (NULL when n is 0). */
static char *
raw_copy (const Parser *p,
          gsize         off,
          gsize         n)
{
  char *copy;

  g_assert (off + n <= p->len);
  if (n == 0)
    return NULL;
  copy = g_malloc (n + 1);
  memcpy (copy, p->data + off, n);
  copy[n] = '\0';
  return copy;
}

/* A raw item (airline use, security data) keeps its bytes, but a NUL in
 * it is reported: it is where anything reading the item as text stops. */
static char *
raw_item (Parser *p,
          gsize   off,
          gsize   n,
          guint   item,
          guint   leg)
{
  const guchar *nul;

  g_assert (off + n <= p->len);
  nul = n > 0 ? memchr (p->data + off, '\0', n) : NULL;
  if (nul != NULL)
    add_issue (p, FALSE, item, leg,
               "byte 0x00 at offset %" G_GSIZE_FORMAT " (a NUL, where text ends for many "
               "programs); kept raw",
               (gsize) (nul - p->data));
  return raw_copy (p, off, n);
}

static guint
days_in_year (guint year)
{
  return g_date_is_leap_year ((GDateYear) year) ? 366 : 365;
}

/* Julian day number (GDate's) of day `day` (1-based) of `year`. */
static guint32
day_of_year_to_julian (guint year,
                       guint day)
{
  GDate d;

  g_date_clear (&d, 1);
  g_date_set_dmy (&d, 1, G_DATE_JANUARY, (GDateYear) year);
  return g_date_get_julian (&d) + day - 1;
}

static gboolean
year_usable (gint64 year)
{
  return year >= 1 && year <= 9999;
}

static inline gboolean
is_alnum (guchar c)
{
  return is_upper (c) || is_digit (c);
}

/* Shapes of the mandatory items of a leg (Resolution 792), on the raw
 * bytes of the item. */

/* From [26], to [38]: three letters. */
static Shape
shape_airport (const guchar *f)
{
  return is_upper (f[0]) && is_upper (f[1]) && is_upper (f[2]) ? SHAPE_OK : SHAPE_BAD;
}

/* Operating carrier designator [42]: two or three letters or digits,
 * left-aligned, padded with a space. */
static Shape
shape_carrier (const guchar *f)
{
  return is_alnum (f[0]) && is_alnum (f[1]) && (is_alnum (f[2]) || f[2] == ' ')
         ? SHAPE_OK : SHAPE_BAD;
}

/* Digits (at least one, at most max_digits) then an optional letter, with
 * spaces around, in n bytes; *leading: the spaces before the digits. */
static gboolean
digits_and_letter (const guchar *f,
                   gsize         n,
                   gsize         max_digits,
                   gsize        *leading)
{
  gsize i = 0, nd = 0;

  while (i < n && f[i] == ' ')
    i++;
  *leading = i;
  while (i < n && is_digit (f[i]))
    i++, nd++;
  if (nd == 0 || nd > max_digits)
    return FALSE;
  if (i < n && is_upper (f[i]))
    i++;
  while (i < n && f[i] == ' ')
    i++;
  return i == n;
}

/* Flight number [43]: four digits and an optional letter ("0834 ",
 * "0123A"). Real passes also print fewer digits or leading spaces
 * ("834  ", " 834 "): tolerated. */
static Shape
shape_flight (const guchar *f)
{
  gsize leading;

  if (is_digit (f[0]) && is_digit (f[1]) && is_digit (f[2]) && is_digit (f[3]) &&
      (is_upper (f[4]) || f[4] == ' '))
    return SHAPE_OK;
  return digits_and_letter (f, 5, 4, &leading) ? SHAPE_TOLERATED : SHAPE_BAD;
}

/* Compartment code [71]: a letter. Blank is tolerated (easyJet prints no
 * compartment). */
static Shape
shape_compartment (const guchar *f)
{
  if (f[0] == ' ')
    return SHAPE_TOLERATED;
  return is_upper (f[0]) ? SHAPE_OK : SHAPE_BAD;
}

static gboolean
all_spaces (const guchar *f,
            gsize         n)
{
  for (gsize i = 0; i < n; i++)
    if (f[i] != ' ')
      return FALSE;
  return TRUE;
}

/* "INF" with spaces around it in the four bytes of a seat. */
static gboolean
is_infant_seat (const guchar *f)
{
  gsize i = 0;

  while (i < 4 && f[i] == ' ')
    i++;
  if (i > 1 || f[i] != 'I' || f[i + 1] != 'N' || f[i + 2] != 'F')
    return FALSE;
  return all_spaces (f + i + 3, 4 - (i + 3));
}

/* Seat number [104]: three digits and a letter ("001A"). Blank, "INF"
 * (an infant on a lap) and fewer digits with spaces ("12C ") are
 * tolerated. */
static Shape
shape_seat (const guchar *f)
{
  gsize i = 0, nd = 0;

  if (is_digit (f[0]) && is_digit (f[1]) && is_digit (f[2]) && is_upper (f[3]))
    return SHAPE_OK;
  if (all_spaces (f, 4) || is_infant_seat (f))
    return SHAPE_TOLERATED;

  while (i < 4 && f[i] == ' ')
    i++;
  while (i < 4 && is_digit (f[i]))
    i++, nd++;
  if (nd == 0 || i >= 4 || !is_upper (f[i]))
    return SHAPE_BAD;
  return all_spaces (f + i + 1, 4 - (i + 1)) ? SHAPE_TOLERATED : SHAPE_BAD;
}

/* Check-in sequence number [107]: digits and an optional letter,
 * left-aligned ("0025 ", "0025A", "3    "). Blank (infants) and leading
 * spaces are tolerated. */
static Shape
shape_sequence (const guchar *f)
{
  gsize leading;

  if (all_spaces (f, 5))
    return SHAPE_TOLERATED;
  if (!digits_and_letter (f, 5, 5, &leading))
    return SHAPE_BAD;
  return leading == 0 ? SHAPE_OK : SHAPE_TOLERATED;
}

/* Passenger status [113]: a letter or a digit. */
static Shape
shape_status (const guchar *f)
{
  return is_alnum (f[0]) ? SHAPE_OK : SHAPE_BAD;
}

/* A number of n digits (n <= 4), or fewer digits left- or right-aligned
 * with spaces ("99 ", " 99" for 099): SHAPE_OK with all n digits,
 * SHAPE_TOLERATED with spaces around one run of digits, SHAPE_BAD
 * otherwise (*value then -1). */
static Shape
read_number (const guchar *f,
             gsize         n,
             int          *value)
{
  gsize i = 0, nd = 0;
  int v = 0;

  *value = -1;
  while (i < n && f[i] == ' ')
    i++;
  for (; i < n && is_digit (f[i]); i++, nd++)
    v = v * 10 + (f[i] - '0');
  if (nd == 0 || !all_spaces (f + i, n - i))
    return SHAPE_BAD;
  *value = v;
  return nd == n ? SHAPE_OK : SHAPE_TOLERATED;
}

/* The worst shape of the mandatory items of the leg at off; SHAPE_BAD
 * also when they do not fit in the data, when the date of flight is not a
 * day of the year or when the variable size field is not hexadecimal.
 * SHAPE_OK only when every byte is printable too. */
static Shape
leg_shape (const Parser *p,
           gsize         off)
{
  const guchar *d;
  Shape shapes[7];
  Shape worst = SHAPE_OK;
  int julian;

  if (off > p->len || p->len - off < LEG_MANDATORY_SIZE)
    return SHAPE_BAD;
  d = p->data + off;

  if (hex2 (p, off + AT_SIZE) < 0)
    return SHAPE_BAD;
  worst = read_number (d + AT_DATE, 3, &julian);
  if (julian < 1 || julian > 366)
    return SHAPE_BAD;

  shapes[0] = shape_airport (d + AT_FROM);
  shapes[1] = shape_airport (d + AT_TO);
  shapes[2] = shape_carrier (d + AT_CARRIER);
  shapes[3] = shape_flight (d + AT_FLIGHT);
  shapes[4] = MAX (shape_compartment (d + AT_COMPARTMENT), shape_seat (d + AT_SEAT));
  shapes[5] = shape_sequence (d + AT_SEQUENCE);
  shapes[6] = shape_status (d + AT_STATUS);
  for (guint i = 0; i < G_N_ELEMENTS (shapes); i++)
    worst = MAX (worst, shapes[i]);

  if (worst == SHAPE_OK)
    for (gsize i = 0; i < LEG_MANDATORY_SIZE; i++)
      if (!is_printable (d[i]))
        return SHAPE_TOLERATED;
  return worst;
}

/* A well-formed leg near `declared` (where the previous leg's variable
 * size field says the leg starts, which holds no leg), at or after
 * `lowest` (the previous leg's variable field cannot be shorter than
 * nothing): the nearest one within RESYNC_WINDOW bytes whose mandatory
 * items are all exactly as Resolution 792 has them. G_MAXSIZE when there
 * is none. */
static gsize
resync_leg (const Parser *p,
            gsize         lowest,
            gsize         declared)
{
  for (gsize d = 1; d <= RESYNC_WINDOW; d++)
    {
      if (declared >= lowest + d && leg_shape (p, declared - d) == SHAPE_OK)
        return declared - d;
      if (declared <= p->len && leg_shape (p, declared + d) == SHAPE_OK)
        return declared + d;
    }
  return G_MAXSIZE;
}

/* Whether the data at off looks like the start of a leg's mandatory
 * items, as far as the data goes: letters for both airport codes (which
 * must be there), a day for the date of flight and hexadecimal for the
 * variable field size when the data reaches them. Used to tell a missing
 * electronic ticket indicator (everything one to the left) from a
 * damaged pass, and a pass cut short from text that is no pass. */
static gboolean
leg_looks_right (const Parser *p,
                 gsize         off)
{
  int julian;

  if (off + AT_CARRIER > p->len)
    return FALSE;
  for (guint i = 0; i < 3; i++)
    if (!is_upper (p->data[off + AT_FROM + i]) || !is_upper (p->data[off + AT_TO + i]))
      return FALSE;
  if (off + AT_COMPARTMENT <= p->len &&
      read_number (p->data + off + AT_DATE, 3, &julian) == SHAPE_BAD)
    return FALSE;
  return off + LEG_MANDATORY_SIZE > p->len || hex2 (p, off + AT_SIZE) >= 0;
}

/* Offset of a security section that runs exactly to the end of the data
 * ('^', type, two hex digits of length, that many bytes), searching from
 * `from`; len when there is none. */
static gsize
find_security (const Parser *p,
               gsize         from)
{
  for (gsize q = from; q + 4 <= p->len; q++)
    {
      int l;

      if (p->data[q] != '^')
        continue;
      l = hex2 (p, q + 2);
      if (l >= 0 && q + 4 + (gsize) l == p->len)
        return q;
    }
  return p->len;
}

/* Reads slots in order from [pos, end) while there is room; an item cut by
 * end is kept as far as it goes, with a warning. Returns the position
 * after the last item read. */
static gsize
read_slots (Parser      *p,
            const Slot  *slots,
            gsize        n_slots,
            gpointer     base,
            gsize        pos,
            gsize        end,
            guint        leg,
            guint        size_item)
{
  for (gsize i = 0; i < n_slots && pos < end; i++)
    {
      gsize n = MIN (slots[i].size, end - pos);
      char **dest = G_STRUCT_MEMBER_P (base, slots[i].offset);

      *dest = item_text (p, pos, n, slots[i].item, leg);
      if (n < slots[i].size)
        add_issue (p, FALSE, slots[i].item, leg,
                   "cut short: %" G_GSIZE_FORMAT " of %u characters within the size "
                   "declared by item %u",
                   n, slots[i].size, size_item);
      pos += n;
    }
  return pos;
}

static void
resolve_issue_date (Parser *p)
{
  TpBcbp *bcbp = p->bcbp;
  const char *raw = bcbp->date_of_issue_raw;
  guint julian;

  if (raw == NULL || raw[0] == '\0')
    return;     /* absent or blank: the item is optional */

  if (strlen (raw) != 4 ||
      !is_digit (raw[0]) || !is_digit (raw[1]) || !is_digit (raw[2]) || !is_digit (raw[3]))
    {
      add_issue (p, FALSE, ITEM_DATE_OF_ISSUE, 0,
                 "“%s” is not a date: expected the last digit of the year and a day of the year (4 digits, e.g. 6326)",
                 raw);
      return;
    }

  julian = (raw[1] - '0') * 100 + (raw[2] - '0') * 10 + (raw[3] - '0');
  if (julian < 1 || julian > 366)
    {
      add_issue (p, FALSE, ITEM_DATE_OF_ISSUE, 0,
                 "day %03u is not a day of the year (001–366)", julian);
      return;
    }
  if (!tp_bcbp_resolve_issue_date (raw[0] - '0', julian, &p->reference, &bcbp->date_of_issue))
    add_issue (p, FALSE, ITEM_DATE_OF_ISSUE, 0,
               "day 366 of a year ending in %c is not a date (it needs a leap year)", raw[0]);
}

/* Unique conditional items in [start, end) of the first leg's variable
 * field, starting at '>'. Sets *next to where the repeated section
 * begins; returns FALSE when it cannot be located (the unique size is not
 * hexadecimal), *next then being where the unreadable part starts. */
static gboolean
parse_unique (Parser *p,
              gsize   start,
              gsize   end,
              gsize  *next)
{
  TpBcbp *bcbp = p->bcbp;
  gsize pos = start + 1;      /* after '>' */
  gsize uend;
  int size;

  if (pos >= end)
    {
      add_issue (p, FALSE, ITEM_VERSION, 0,
                 "missing: the variable size field ends after “>”");
      *next = end;
      return TRUE;
    }
  if (is_digit (p->data[pos]))
    {
      bcbp->version = p->data[pos] - '0';
      if (bcbp->version < 1 || bcbp->version > 8)
        add_issue (p, FALSE, ITEM_VERSION, 0,
                   "%d is not a version of Resolution 792 (1–8); items are read by their declared sizes",
                   bcbp->version);
    }
  else
    {
      g_autofree char *found = excerpt (p, pos, 1);

      add_issue (p, FALSE, ITEM_VERSION, 0, "%s is not a digit; version unknown", found);
    }
  pos++;

  if (pos + 2 > end)
    {
      add_issue (p, FALSE, ITEM_UNIQUE_SIZE, 0,
                 "cut short: %" G_GSIZE_FORMAT " of 2 characters; no unique conditional items",
                 end - pos);
      *next = end;
      return TRUE;
    }
  size = hex2 (p, pos);
  if (size < 0)
    {
      g_autofree char *found = excerpt (p, pos, 2);

      add_issue (p, FALSE, ITEM_UNIQUE_SIZE, 0,
                 "%s is not hexadecimal; the rest of the conditional items cannot be located "
                 "and is kept as airline use", found);
      *next = pos;
      return FALSE;
    }
  bcbp->unique_size = size;
  pos += 2;

  uend = pos + (gsize) size;
  if (uend > end)
    {
      add_issue (p, FALSE, ITEM_UNIQUE_SIZE, 0,
                 "declares 0x%02X bytes but the variable size field leaves 0x%02X",
                 (guint) size, (guint) (end - pos));
      uend = end;
    }

  pos = read_slots (p, unique_items, G_N_ELEMENTS (unique_items), bcbp, pos, uend, 0,
                    ITEM_UNIQUE_SIZE);
  if (pos < uend && bcbp->version >= 1 && bcbp->version <= 8)
    add_issue (p, FALSE, ITEM_UNIQUE_SIZE, 0,
               "0x%02X bytes after the last unique item (2nd non-consecutive baggage tag) "
               "are not defined by version %d; ignored",
               (guint) (uend - pos), bcbp->version);

  resolve_issue_date (p);

  if (bcbp->passenger_description != NULL &&
      (g_str_equal (bcbp->passenger_description, "X") ||
       g_str_equal (bcbp->passenger_description, "U")) &&
      bcbp->version >= 1 && bcbp->version < 8)
    add_issue (p, FALSE, ITEM_PAX_DESCRIPTION, 0,
               "“%s” (%s) is defined from version 8; this pass declares version %d",
               bcbp->passenger_description,
               g_str_equal (bcbp->passenger_description, "X") ? "unspecified" : "undisclosed",
               bcbp->version);

  *next = uend;
  return TRUE;
}

/* The repeated section and airline use in [pos, end) of a leg's variable
 * field. quiet: do not warn when the size is not hexadecimal (the caller
 * already reported why the section may be something else). */
static void
parse_repeated (Parser    *p,
                TpBcbpLeg *leg,
                guint      legno,
                gsize      pos,
                gsize      end,
                gboolean   quiet)
{
  gsize rend;
  int size;

  if (pos >= end)
    return;

  if (pos + 2 > end || (size = hex2 (p, pos)) < 0)
    {
      if (!quiet)
        {
          g_autofree char *found = excerpt (p, pos, MIN (2, end - pos));

          add_issue (p, FALSE, ITEM_REPEATED_SIZE, legno,
                     "%s is not a two-digit hexadecimal size; the rest of the leg's variable "
                     "size field is kept as airline use", found);
        }
      leg->airline_use = raw_item (p, pos, end - pos, ITEM_AIRLINE_USE, legno);
      leg->airline_use_len = end - pos;
      return;
    }

  leg->has_repeated = TRUE;
  leg->repeated_size = size;
  pos += 2;
  rend = pos + (gsize) size;
  if (rend > end)
    {
      add_issue (p, FALSE, ITEM_REPEATED_SIZE, legno,
                 "declares 0x%02X bytes but the variable size field leaves 0x%02X",
                 (guint) size, (guint) (end - pos));
      rend = end;
    }

  pos = read_slots (p, repeated_items, G_N_ELEMENTS (repeated_items), leg, pos, rend, legno,
                    ITEM_REPEATED_SIZE);
  if (pos < rend && p->bcbp->version >= 1 && p->bcbp->version <= 8)
    add_issue (p, FALSE, ITEM_REPEATED_SIZE, legno,
               "0x%02X bytes after the last repeated item (fast track) are not defined by "
               "version %d; ignored",
               (guint) (rend - pos), p->bcbp->version);

  leg->airline_use = raw_item (p, rend, end - rend, ITEM_AIRLINE_USE, legno);
  leg->airline_use_len = end - rend;
}

static void
parse_variable (Parser    *p,
                TpBcbpLeg *leg,
                guint      legno,
                gsize      start,
                gsize      end)
{
  gsize pos = start;
  gboolean quiet = FALSE;

  if (start >= end)
    return;

  if (legno == 1)
    {
      if (p->data[start] == '>')
        {
          if (!parse_unique (p, start, end, &pos))
            {
              leg->airline_use = raw_item (p, pos, end - pos, ITEM_AIRLINE_USE, legno);
              leg->airline_use_len = end - pos;
              return;
            }
        }
      else
        {
          g_autofree char *found = excerpt (p, start, 1);

          add_issue (p, FALSE, ITEM_VERSION_BEGIN, 0,
                     "the first leg's conditional items start with %s, not “>”: no version "
                     "number and no unique conditional items", found);
          quiet = TRUE;
        }
    }

  parse_repeated (p, leg, legno, pos, end, quiet);
}

static void
parse_security (Parser *p,
                gsize   pos)
{
  TpBcbp *bcbp = p->bcbp;
  gsize avail;
  int length;

  g_assert (pos < p->len && p->data[pos] == '^');
  bcbp->has_security = TRUE;
  pos++;

  if (pos >= p->len)
    {
      add_issue (p, FALSE, ITEM_SECURITY_TYPE, 0, "missing: the data ends after “^”");
      return;
    }
  bcbp->security_type = item_text (p, pos, 1, ITEM_SECURITY_TYPE, 0);
  pos++;

  if (pos + 2 > p->len)
    {
      add_issue (p, FALSE, ITEM_SECURITY_LENGTH, 0,
                 "cut short: %" G_GSIZE_FORMAT " of 2 characters", p->len - pos);
      bcbp->security_data = raw_item (p, pos, p->len - pos, ITEM_SECURITY_DATA, 0);
      bcbp->security_data_len = p->len - pos;
      return;
    }
  length = hex2 (p, pos);
  if (length < 0)
    {
      g_autofree char *found = excerpt (p, pos, 2);

      add_issue (p, FALSE, ITEM_SECURITY_LENGTH, 0,
                 "%s is not hexadecimal; the rest of the data is taken as security data", found);
      bcbp->security_data = raw_item (p, pos, p->len - pos, ITEM_SECURITY_DATA, 0);
      bcbp->security_data_len = p->len - pos;
      return;
    }
  bcbp->security_length = length;
  pos += 2;

  avail = p->len - pos;
  if ((gsize) length > avail)
    {
      add_issue (p, FALSE, ITEM_SECURITY_LENGTH, 0,
                 "declares 0x%02X bytes but 0x%02X remain", (guint) length, (guint) avail);
      length = (int) avail;
    }
  bcbp->security_data = raw_item (p, pos, (gsize) length, ITEM_SECURITY_DATA, 0);
  bcbp->security_data_len = (gsize) length;
  if (bcbp->security_data == NULL)
    bcbp->security_data = g_strdup ("");
  pos += (gsize) length;

  if (pos < p->len)
    add_issue (p, FALSE, ITEM_SECURITY_DATA, 0,
               "0x%02X bytes follow the declared security data; ignored",
               (guint) (p->len - pos));
}

/* Reports the shape of the mandatory item of size n at off. tolerated,
 * bad: what the item should look like, for the warning or the error. */
static void
report_shape (Parser     *p,
              Shape       shape,
              guint       item,
              guint       legno,
              gsize       off,
              gsize       n,
              const char *tolerated,
              const char *bad)
{
  g_autofree char *found = NULL;

  if (shape == SHAPE_OK)
    return;
  found = excerpt (p, off, n);
  if (shape == SHAPE_TOLERATED)
    add_issue (p, FALSE, item, legno, "%s %s", found, tolerated);
  else
    add_issue (p, TRUE, item, legno, "%s %s", found, bad);
}

/* Mandatory items of leg legno at off. Returns FALSE (with an error) when
 * the data ends before the leg's route (PNR code, from and to airport
 * codes): there is no leg. Otherwise reads every item the data holds in
 * full and reports each one whose shape is not Resolution 792's (see
 * leg_shape()); an item the data ends before or in the middle of is a
 * warning and stays NULL (the pass was cut short: Brussels Airlines'
 * booking confirmations end after the compartment or the date of flight),
 * and *cut is set. */
static gboolean
parse_leg_mandatory (Parser    *p,
                     TpBcbpLeg *leg,
                     guint      legno,
                     gsize      off,
                     gboolean  *cut)
{
  const guchar *d;
  gsize pos = off;
  int julian;

  *cut = FALSE;
  if (off > p->len || p->len - off < AT_CARRIER)
    {
      /* Name the first item that is cut. */
      for (gsize i = 0; i < G_N_ELEMENTS (leg_mandatory); i++)
        {
          if (pos + leg_mandatory[i].size > p->len)
            {
              if (pos >= p->len)
                add_issue (p, TRUE, leg_mandatory[i].item, legno,
                           "missing: the data ends before it (%u legs declared)",
                           p->bcbp->number_of_legs);
              else
                add_issue (p, TRUE, leg_mandatory[i].item, legno,
                           "cut short: the data ends after %" G_GSIZE_FORMAT " of %u characters",
                           p->len - pos, leg_mandatory[i].size);
              break;
            }
          pos += leg_mandatory[i].size;
        }
      return FALSE;
    }

  /* The PNR code's shape is not checked, so its bytes are reported as
   * bytes; every other item's are reported with its shape below. */
  for (gsize i = 0; i < G_N_ELEMENTS (leg_mandatory); i++)
    {
      const Slot *s = &leg_mandatory[i];

      if (pos + s->size > p->len)
        {
          *cut = TRUE;
          if (pos < p->len)
            add_issue (p, FALSE, s->item, legno,
                       "cut short: the pass ends after %" G_GSIZE_FORMAT " of %u characters; not read",
                       p->len - pos, s->size);
          else
            add_issue (p, FALSE, s->item, legno, "missing: the pass ends before it");
        }
      else if (s->offset != NO_FIELD)
        {
          char **dest = G_STRUCT_MEMBER_P (leg, s->offset);

          *dest = item_text_full (p, pos, s->size, s->item, legno, s->item != ITEM_PNR);
        }
      pos += s->size;
    }

#define PRESENT(at, n) (off + (at) + (n) <= p->len)
  d = p->data + off;
  report_shape (p, shape_airport (d + AT_FROM), ITEM_FROM, legno, off + AT_FROM, 3,
                NULL, "is not an airport code: expected three letters A–Z");
  report_shape (p, shape_airport (d + AT_TO), ITEM_TO, legno, off + AT_TO, 3,
                NULL, "is not an airport code: expected three letters A–Z");
  if (PRESENT (AT_CARRIER, 3))
    report_shape (p, shape_carrier (d + AT_CARRIER), ITEM_CARRIER, legno, off + AT_CARRIER, 3,
                  NULL, "is not an airline designator: expected two or three letters or digits, "
                  "left-aligned and padded with a space (“AC ”)");
  if (PRESENT (AT_FLIGHT, 5))
    report_shape (p, shape_flight (d + AT_FLIGHT), ITEM_FLIGHT_NUMBER, legno, off + AT_FLIGHT, 5,
                  "has spaces in place of digits: expected four digits and an optional letter "
                  "(“0834”, “0123A”); read as the number it shows",
                  "is not a flight number: expected four digits and an optional letter "
                  "(“0834”, “0123A”)");

  /* Date of flight: three digits; fewer, left- or right-aligned with
   * spaces, are read with a warning (easyJet prints day 099 as “99 ”). */
  leg->julian_date = -1;
  if (PRESENT (AT_DATE, 3))
    {
      Shape shape = read_number (d + AT_DATE, 3, &julian);
      g_autofree char *found = excerpt (p, off + AT_DATE, 3);

      leg->julian_date = julian;
      if (shape == SHAPE_BAD)
        add_issue (p, TRUE, ITEM_FLIGHT_DATE, legno,
                   "%s is not a day of the year (three digits, 001–366)", found);
      else if (julian < 1 || julian > 366)
        add_issue (p, TRUE, ITEM_FLIGHT_DATE, legno,
                   "day %03d is not a day of the year (001–366)", julian);
      else
        {
          if (shape == SHAPE_TOLERATED)
            add_issue (p, FALSE, ITEM_FLIGHT_DATE, legno,
                       "%s has spaces in place of digits: expected three digits (“%03d”); "
                       "read as day %03d", found, julian, julian);
          if (!tp_bcbp_resolve_flight_date ((guint) julian, &p->reference, &leg->flight_date))
            add_issue (p, TRUE, ITEM_FLIGHT_DATE, legno,
                       "day 366 exists only in leap years, and none of %u–%u is one",
                       g_date_get_year (&p->reference) - 1,
                       g_date_get_year (&p->reference) + 1);
        }
    }

  if (PRESENT (AT_COMPARTMENT, 1))
    report_shape (p, shape_compartment (d + AT_COMPARTMENT), ITEM_COMPARTMENT, legno,
                  off + AT_COMPARTMENT, 1,
                  "is blank: no compartment code (expected a letter A–Z)",
                  "is not a compartment code: expected a letter A–Z");
  if (PRESENT (AT_SEAT, 4))
    {
      Shape seat = shape_seat (d + AT_SEAT);
      const char *tolerated;

      if (all_spaces (d + AT_SEAT, 4))
        tolerated = "is blank: no seat assigned (expected three digits and a letter, “001A”)";
      else if (is_infant_seat (d + AT_SEAT))
        tolerated = "marks an infant without a seat of its own, not a seat number (three "
                    "digits and a letter, “001A”)";
      else
        tolerated = "has spaces in place of digits: expected three digits and a letter "
                    "(“001A”); read as the seat it shows";
      report_shape (p, seat, ITEM_SEAT, legno, off + AT_SEAT, 4, tolerated,
                    "is not a seat number: expected three digits and a letter (“001A”), "
                    "“INF” or blank");
    }
  if (PRESENT (AT_SEQUENCE, 5))
    report_shape (p, shape_sequence (d + AT_SEQUENCE), ITEM_CHECKIN_SEQUENCE, legno,
                  off + AT_SEQUENCE, 5,
                  all_spaces (d + AT_SEQUENCE, 5)
                    ? "is blank: no check-in sequence number (expected digits and an optional "
                      "letter, “0025”)"
                    : "has leading spaces: expected digits and an optional letter, left-aligned "
                      "(“0025”, “0025A”)",
                  "is not a check-in sequence number: expected digits and an optional letter "
                  "(“0025”, “0025A”)");
  if (PRESENT (AT_STATUS, 1))
    report_shape (p, shape_status (d + AT_STATUS), ITEM_PASSENGER_STATUS, legno,
                  off + AT_STATUS, 1,
                  NULL, "is not a passenger status: expected a letter or a digit");

  leg->variable_size = PRESENT (AT_SIZE, 2) ? hex2 (p, off + AT_SIZE) : -1;
#undef PRESENT
  return TRUE;
}

/* Where the last leg's variable field ends: its declared size when that
 * is consistent with the data (the data ends there or a security section
 * begins there), else what the data shows. */
static gsize
measure_last_variable (Parser *p,
                       guint   legno,
                       gsize   start,
                       int     size)
{
  gsize declared_end = size >= 0 ? start + (gsize) size : G_MAXSIZE;
  g_autofree char *found = NULL;
  gsize sec;

  if (declared_end == p->len)
    return declared_end;
  if (declared_end < p->len && p->data[declared_end] == '^')
    return declared_end;

  if (size < 0)
    found = excerpt (p, start - 2, 2);

  sec = find_security (p, start);
  if (sec < p->len)
    {
      if (size >= 0)
        add_issue (p, FALSE, ITEM_VARIABLE_SIZE, legno,
                   "declares 0x%02X bytes but 0x%02X precede the security data",
                   (guint) size, (guint) (sec - start));
      else
        add_issue (p, FALSE, ITEM_VARIABLE_SIZE, legno,
                   "%s is not hexadecimal; taken to be the 0x%02X bytes before the security data",
                   found, (guint) (sec - start));
      return sec;
    }

  if (size < 0)
    add_issue (p, FALSE, ITEM_VARIABLE_SIZE, legno,
               "%s is not hexadecimal; taken to be the 0x%02X bytes that remain",
               found, (guint) (p->len - start));
  else if (declared_end > p->len)
    add_issue (p, FALSE, ITEM_VARIABLE_SIZE, legno,
               "declares 0x%02X bytes but 0x%02X remain",
               (guint) size, (guint) (p->len - start));
  else
    add_issue (p, FALSE, ITEM_VARIABLE_SIZE, legno,
               "declares 0x%02X bytes but 0x%02X follow and are not a security section; "
               "read as part of the variable size field",
               (guint) size, (guint) (p->len - start));
  return p->len;
}

static void
parse_header (Parser *p,
              gsize  *leg_start)
{
  TpBcbp *bcbp = p->bcbp;
  gsize name_len = NAME_SIZE;
  const guchar *d = p->data;

  bcbp->format_code = 'M';
  bcbp->number_of_legs = d[1] - '0';

  if (leg_looks_right (p, HEADER_SIZE))
    {
      *leg_start = HEADER_SIZE;
      bcbp->eticket_indicator = (char) d[22];
    }
  else if (leg_looks_right (p, HEADER_SIZE - 1))
    {
      *leg_start = HEADER_SIZE - 1;
      if (d[21] == 'E' && d[20] == ' ')
        {
          /* A 19-character name field followed by the indicator. */
          name_len = NAME_SIZE - 1;
          bcbp->eticket_indicator = 'E';
          add_issue (p, FALSE, ITEM_PASSENGER_NAME, 0,
                     "19 characters instead of 20 (the electronic ticket indicator follows "
                     "at position 21)");
        }
      else
        {
          bcbp->eticket_indicator = '\0';
          add_issue (p, FALSE, ITEM_ETICKET, 0,
                     "missing: the operating carrier PNR code follows the passenger name "
                     "directly; read as not an electronic ticket");
        }
    }
  else
    {
      *leg_start = HEADER_SIZE;
      bcbp->eticket_indicator = (char) d[22];
    }

  bcbp->passenger_name = item_text (p, 2, name_len, ITEM_PASSENGER_NAME, 0);
  bcbp->name_full = d[2 + name_len - 1] != ' ';
  bcbp->eticket = bcbp->eticket_indicator == 'E';

  if (bcbp->eticket_indicator != '\0' && !bcbp->eticket)
    {
      g_autofree char *found = excerpt (p, 22, 1);

      add_issue (p, FALSE, ITEM_ETICKET, 0,
                 "%s, not “E”: read as not an electronic ticket", found);
    }

  if (bcbp->passenger_name[0] == '\0')
    add_issue (p, FALSE, ITEM_PASSENGER_NAME, 0, "blank");

  if (bcbp->number_of_legs < 1 || bcbp->number_of_legs > TP_BCBP_MAX_LEGS)
    add_issue (p, TRUE, ITEM_NUMBER_OF_LEGS, 0,
               "%u is outside 1–%d", bcbp->number_of_legs, TP_BCBP_MAX_LEGS);
}

static void
leg_clear (TpBcbpLeg *leg)
{
  g_free (leg->pnr);
  g_free (leg->from);
  g_free (leg->to);
  g_free (leg->carrier);
  g_free (leg->flight_number);
  g_free (leg->compartment);
  g_free (leg->seat);
  g_free (leg->checkin_sequence);
  g_free (leg->passenger_status);
  g_free (leg->airline_numeric_code);
  g_free (leg->document_serial);
  g_free (leg->selectee);
  g_free (leg->document_verification);
  g_free (leg->marketing_carrier);
  g_free (leg->frequent_flyer_airline);
  g_free (leg->frequent_flyer_number);
  g_free (leg->id_ad_indicator);
  g_free (leg->free_baggage_allowance);
  g_free (leg->fast_track);
  g_free (leg->airline_use);
}

static TpBcbp *
parse (Parser *p)
{
  TpBcbp *bcbp = p->bcbp;
  gsize off = 0;
  guint to_read;
  gboolean stopped = FALSE;

  parse_header (p, &off);

  /* Read as many legs as declared (at least one, at most the digit). */
  to_read = MAX (bcbp->number_of_legs, 1);
  bcbp->legs = g_new0 (TpBcbpLeg, to_read);

  for (guint i = 0; i < to_read; i++)
    {
      TpBcbpLeg *leg = &bcbp->legs[i];
      guint legno = i + 1;
      gboolean last = i + 1 == to_read;
      gboolean cut;
      gsize start, end;

      g_date_clear (&leg->flight_date, 1);
      leg->variable_size = -1;
      leg->repeated_size = -1;

      if (!parse_leg_mandatory (p, leg, legno, off, &cut))
        {
          leg_clear (leg);
          memset (leg, 0, sizeof *leg);
          stopped = TRUE;
          break;
        }
      bcbp->n_legs++;
      if (cut)
        {
          /* The pass ends inside this leg: no variable field, and any leg
           * still declared is missing (an error on the next turn). */
          off = p->len;
          continue;
        }
      start = off + LEG_MANDATORY_SIZE;

      if (last)
        end = measure_last_variable (p, legno, start, leg->variable_size);
      else if (leg->variable_size < 0)
        {
          g_autofree char *found = excerpt (p, start - 2, 2);

          add_issue (p, TRUE, ITEM_VARIABLE_SIZE, legno,
                     "%s is not hexadecimal, so leg %u cannot be located", found, legno + 1);
          stopped = TRUE;
          break;
        }
      else
        {
          gsize declared = start + (gsize) leg->variable_size;
          gsize found = G_MAXSIZE;

          /* The size may be wrong: when what it points at is no leg but
           * a well-formed one starts a few bytes away, that one is the
           * next leg. */
          if (leg_shape (p, declared) == SHAPE_BAD)
            found = resync_leg (p, start, declared);

          if (found != G_MAXSIZE)
            {
              add_issue (p, FALSE, ITEM_VARIABLE_SIZE, legno,
                         "declares 0x%02X bytes, but no leg starts there while a well-formed "
                         "leg %u starts after 0x%02X bytes; read from there",
                         (guint) leg->variable_size, legno + 1, (guint) (found - start));
              end = found;
            }
          else if (declared > p->len)
            {
              add_issue (p, FALSE, ITEM_VARIABLE_SIZE, legno,
                         "declares 0x%02X bytes but 0x%02X remain",
                         (guint) leg->variable_size, (guint) (p->len - start));
              end = p->len;
            }
          else
            end = declared;
        }

      parse_variable (p, leg, legno, start, end);
      off = end;
    }

  if (stopped)
    {
      /* The legs could not all be read; a well-formed security section at
       * the end is still worth having. */
      gsize sec = find_security (p, MIN (off, p->len));

      if (sec < p->len)
        parse_security (p, sec);
    }
  else if (off < p->len)
    {
      if (p->data[off] == '^')
        parse_security (p, off);
      else
        add_issue (p, FALSE, ITEM_SECURITY_BEGIN, 0,
                   "0x%02X bytes follow the last leg and do not start with “^”; ignored",
                   (guint) (p->len - off));
    }

  bcbp->valid = bcbp->errors->len == 0;
  return bcbp;
}

const char *
tp_bcbp_item_name (guint item)
{
  for (gsize i = 0; i < G_N_ELEMENTS (item_names); i++)
    if (item_names[i].number == item)
      return item_names[i].name;
  return NULL;
}

const TpBcbpIssue *
tp_bcbp_find_issue (const TpBcbp *bcbp,
                    guint         item,
                    guint         leg)
{
  GPtrArray *lists[2];

  g_return_val_if_fail (bcbp != NULL, NULL);

  lists[0] = bcbp->errors;
  lists[1] = bcbp->warnings;
  for (guint l = 0; l < 2; l++)
    for (guint i = 0; i < lists[l]->len; i++)
      {
        const TpBcbpIssue *issue = g_ptr_array_index (lists[l], i);

        if (issue->item == item && (leg == 0 || issue->leg == leg))
          return issue;
      }
  return NULL;
}

gboolean
tp_bcbp_resolve_flight_date (guint        julian,
                             const GDate *reference,
                             GDate       *out)
{
  guint32 ref_jd;
  gint64 year;
  guint32 best = 0;
  guint32 best_dist = G_MAXUINT32;

  g_return_val_if_fail (reference != NULL && g_date_valid (reference), FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  g_date_clear (out, 1);
  if (julian < 1 || julian > 366)
    return FALSE;

  ref_jd = g_date_get_julian (reference);
  year = g_date_get_year (reference);
  for (gint64 y = year - 1; y <= year + 1; y++)
    {
      guint32 jd, dist;

      if (!year_usable (y) || julian > days_in_year ((guint) y))
        continue;
      jd = day_of_year_to_julian ((guint) y, julian);
      dist = jd > ref_jd ? jd - ref_jd : ref_jd - jd;
      if (dist < best_dist || (dist == best_dist && jd > best))
        {
          best = jd;
          best_dist = dist;
        }
    }
  if (best == 0)
    return FALSE;
  g_date_set_julian (out, best);
  return TRUE;
}

gboolean
tp_bcbp_resolve_issue_date (guint        year_digit,
                            guint        julian,
                            const GDate *reference,
                            GDate       *out)
{
  guint32 limit;
  gint64 year;

  g_return_val_if_fail (reference != NULL && g_date_valid (reference), FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  g_date_clear (out, 1);
  if (year_digit > 9 || julian < 1 || julian > 366)
    return FALSE;

  limit = g_date_get_julian (reference) + 1;
  year = g_date_get_year (reference) + 1;     /* the day after may be next year */
  year -= ((year - year_digit) % 10 + 10) % 10;

  /* Four decades always hold a leap year ending in an even digit. */
  for (guint k = 0; k < 5; k++, year -= 10)
    {
      guint32 jd;

      if (year < 1)
        break;
      if (!year_usable (year) || julian > days_in_year ((guint) year))
        continue;
      jd = day_of_year_to_julian ((guint) year, julian);
      if (jd <= limit)
        {
          g_date_set_julian (out, jd);
          return TRUE;
        }
    }
  return FALSE;
}

TpBcbp *
tp_bcbp_parse (const char   *data,
               gsize         len,
               const GDate  *reference,
               GError      **error)
{
  g_autoptr(TpBcbp) bcbp = NULL;
  Parser p = { 0 };

  g_return_val_if_fail (data != NULL || len == 0, NULL);
  g_return_val_if_fail (reference == NULL || g_date_valid (reference), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (len < 2 || data[0] != 'M' || !is_digit (data[1]))
    {
      g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT,
                   "Not a boarding pass: the text must start with the format code “M” and "
                   "the number of legs (a digit)");
      return NULL;
    }
  if (len < MIN_PASS_SIZE)
    {
      g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT,
                   "Not a boarding pass: %" G_GSIZE_FORMAT " characters, but the name and the "
                   "first leg's PNR code and airports take %d (%d without the electronic "
                   "ticket indicator)", len, MIN_PASS_SIZE + 1, MIN_PASS_SIZE);
      return NULL;
    }

  p.data = (const guchar *) data;
  p.len = len;
  if (reference != NULL)
    p.reference = *reference;
  else
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();

      g_date_clear (&p.reference, 1);
      g_date_set_dmy (&p.reference,
                      g_date_time_get_day_of_month (now),
                      g_date_time_get_month (now),
                      g_date_time_get_year (now));
    }

  /* A pass shorter than one leg is one cut short; it must show the first
   * leg's airports where they belong, with or without the electronic
   * ticket indicator. */
  if (len < HEADER_SIZE + LEG_MANDATORY_SIZE &&
      !leg_looks_right (&p, HEADER_SIZE) && !leg_looks_right (&p, HEADER_SIZE - 1))
    {
      g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT,
                   "Not a boarding pass: %" G_GSIZE_FORMAT " characters that do not show the "
                   "first leg's airport codes after the passenger name (three letters each)",
                   len);
      return NULL;
    }

  bcbp = g_new0 (TpBcbp, 1);
  bcbp->version = -1;
  bcbp->unique_size = -1;
  bcbp->security_length = -1;
  g_date_clear (&bcbp->date_of_issue, 1);
  bcbp->errors = g_ptr_array_new_with_free_func (issue_free);
  bcbp->warnings = g_ptr_array_new_with_free_func (issue_free);
  p.bcbp = bcbp;

  parse (&p);
  return g_steal_pointer (&bcbp);
}

void
tp_bcbp_free (TpBcbp *bcbp)
{
  if (bcbp == NULL)
    return;
  for (guint i = 0; i < bcbp->n_legs; i++)
    leg_clear (&bcbp->legs[i]);
  g_free (bcbp->legs);
  g_free (bcbp->passenger_name);
  g_free (bcbp->passenger_description);
  g_free (bcbp->source_of_checkin);
  g_free (bcbp->source_of_issuance);
  g_free (bcbp->date_of_issue_raw);
  g_free (bcbp->document_type);
  g_free (bcbp->issuer);
  for (guint i = 0; i < G_N_ELEMENTS (bcbp->baggage_tags); i++)
    g_free (bcbp->baggage_tags[i]);
  g_free (bcbp->security_type);
  g_free (bcbp->security_data);
  if (bcbp->errors != NULL)
    g_ptr_array_unref (bcbp->errors);
  if (bcbp->warnings != NULL)
    g_ptr_array_unref (bcbp->warnings);
  g_free (bcbp);
}

static gboolean
is_title (const char *token)
{
  for (gsize i = 0; i < G_N_ELEMENTS (titles); i++)
    if (g_str_equal (token, titles[i]))
      return TRUE;
  return FALSE;
}

/* Words of s separated by single spaces. */
static char *
collapse_spaces (const char *s)
{
  g_auto(GStrv) words = g_strsplit (s, " ", -1);
  GString *out = g_string_new (NULL);

  for (guint i = 0; words[i] != NULL; i++)
    {
      if (words[i][0] == '\0')
        continue;
      if (out->len > 0)
        g_string_append_c (out, ' ');
      g_string_append (out, words[i]);
    }
  return g_string_free (out, FALSE);
}

TpBcbpName *
tp_bcbp_name_split (const char *name,
                    gboolean    truncated)
{
  TpBcbpName *split;
  g_autofree char *copy = NULL;
  g_autofree char *given = NULL;
  char *slash;

  g_return_val_if_fail (name != NULL, NULL);

  split = g_new0 (TpBcbpName, 1);
  split->truncated = truncated;
  copy = g_strdup (name);
  slash = strchr (copy, '/');
  if (slash != NULL)
    {
      *slash = '\0';
      given = collapse_spaces (slash + 1);
    }
  else
    given = g_strdup ("");
  split->surname = collapse_spaces (copy);

  /* A title is a last word, after at least one other. */
  {
    char *space = strrchr (given, ' ');

    if (space != NULL && is_title (space + 1))
      {
        split->title = g_strdup (space + 1);
        *space = '\0';
      }
  }
  split->given_names = g_steal_pointer (&given);
  return split;
}

void
tp_bcbp_name_free (TpBcbpName *name)
{
  if (name == NULL)
    return;
  g_free (name->surname);
  g_free (name->given_names);
  g_free (name->title);
  g_free (name);
}
