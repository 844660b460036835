/* tp-mrz.c: machine readable zones of travel documents
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The parser works on lines of a fixed length in characters. Each format
 * is a table of spans (line, first column, length); every read goes
 * through a span that lies inside a line of the layout's length, so no
 * input can make it read outside the lines it was given.
 *
 * Characters: the text is UTF-8, and a byte that does not start a valid
 * UTF-8 sequence counts as one character of its own. Each line is read
 * into cells, one byte per character: the character itself when it is
 * ASCII, PLACEHOLDER (not an MRZ character) otherwise, with the offset of
 * every character in the line as given. Checks run on the cells; the
 * fields, names and messages are cut from the text as given, so that
 * “Ö” is reported as “Ö”, at its column in characters.
 */
#include "config.h"

#include <stdarg.h>
#include <string.h>

#include "tp-country.h"
#include "tp-error.h"
#include "tp-mrz.h"

/* The cell of a character that is not ASCII */
#define PLACEHOLDER '\x80'

typedef struct {
  guint line;   /* 0-based */
  guint start;
  guint len;
} Span;

typedef struct {
  TpMrzFormat format;
  guint       n_lines;
  guint       line_len;
  Span        code;
  Span        state;
  Span        name;
  Span        number;
  Span        number_check;
  Span        nationality;
  Span        birth;
  Span        birth_check;
  Span        sex;
  Span        expiry;
  Span        expiry_check;
  Span        optional;
  Span        optional_check;   /* len 0: none */
  Span        optional2;        /* len 0: none (TD1 line 2 only) */
  Span        composite;        /* len 0: none */
  Span        composite_data[4];
  guint       n_composite_data;
  gboolean    long_numbers;     /* a < check digit continues the number in the optional data */
} Layout;

typedef struct {
  guint       line;
  guint       column;
  const char *field;
} NumericPos;

typedef struct {
  const Layout  *layout;
  TpMrz         *mrz;
  GArray        *numeric;       /* NumericPos: dates and check digits */
  guint          long_taken;    /* characters of the optional data a long number took */
  int            ref_year;
  int            ref_month;
  int            ref_day;
} Parser;

static const Layout layout_td1 = {
  .format = TP_MRZ_FORMAT_TD1, .n_lines = 3, .line_len = 30,
  .code = { 0, 0, 2 }, .state = { 0, 2, 3 }, .number = { 0, 5, 9 }, .number_check = { 0, 14, 1 },
  .optional = { 0, 15, 15 },
  .birth = { 1, 0, 6 }, .birth_check = { 1, 6, 1 }, .sex = { 1, 7, 1 },
  .expiry = { 1, 8, 6 }, .expiry_check = { 1, 14, 1 }, .nationality = { 1, 15, 3 },
  .optional2 = { 1, 18, 11 }, .composite = { 1, 29, 1 },
  .name = { 2, 0, 30 },
  .composite_data = { { 0, 5, 25 }, { 1, 0, 7 }, { 1, 8, 7 }, { 1, 18, 11 } },
  .n_composite_data = 4,
  .long_numbers = TRUE,
};

static const Layout layout_td2 = {
  .format = TP_MRZ_FORMAT_TD2, .n_lines = 2, .line_len = 36,
  .code = { 0, 0, 2 }, .state = { 0, 2, 3 }, .name = { 0, 5, 31 },
  .number = { 1, 0, 9 }, .number_check = { 1, 9, 1 }, .nationality = { 1, 10, 3 },
  .birth = { 1, 13, 6 }, .birth_check = { 1, 19, 1 }, .sex = { 1, 20, 1 },
  .expiry = { 1, 21, 6 }, .expiry_check = { 1, 27, 1 },
  .optional = { 1, 28, 7 }, .composite = { 1, 35, 1 },
  .composite_data = { { 1, 0, 10 }, { 1, 13, 7 }, { 1, 21, 14 } },
  .n_composite_data = 3,
  .long_numbers = TRUE,
};

static const Layout layout_td3 = {
  .format = TP_MRZ_FORMAT_TD3, .n_lines = 2, .line_len = 44,
  .code = { 0, 0, 2 }, .state = { 0, 2, 3 }, .name = { 0, 5, 39 },
  .number = { 1, 0, 9 }, .number_check = { 1, 9, 1 }, .nationality = { 1, 10, 3 },
  .birth = { 1, 13, 6 }, .birth_check = { 1, 19, 1 }, .sex = { 1, 20, 1 },
  .expiry = { 1, 21, 6 }, .expiry_check = { 1, 27, 1 },
  .optional = { 1, 28, 14 }, .optional_check = { 1, 42, 1 }, .composite = { 1, 43, 1 },
  .composite_data = { { 1, 0, 10 }, { 1, 13, 7 }, { 1, 21, 22 } },
  .n_composite_data = 3,
};

static const Layout layout_mrva = {
  .format = TP_MRZ_FORMAT_MRVA, .n_lines = 2, .line_len = 44,
  .code = { 0, 0, 2 }, .state = { 0, 2, 3 }, .name = { 0, 5, 39 },
  .number = { 1, 0, 9 }, .number_check = { 1, 9, 1 }, .nationality = { 1, 10, 3 },
  .birth = { 1, 13, 6 }, .birth_check = { 1, 19, 1 }, .sex = { 1, 20, 1 },
  .expiry = { 1, 21, 6 }, .expiry_check = { 1, 27, 1 },
  .optional = { 1, 28, 16 },
};

static const Layout layout_mrvb = {
  .format = TP_MRZ_FORMAT_MRVB, .n_lines = 2, .line_len = 36,
  .code = { 0, 0, 2 }, .state = { 0, 2, 3 }, .name = { 0, 5, 31 },
  .number = { 1, 0, 9 }, .number_check = { 1, 9, 1 }, .nationality = { 1, 10, 3 },
  .birth = { 1, 13, 6 }, .birth_check = { 1, 19, 1 }, .sex = { 1, 20, 1 },
  .expiry = { 1, 21, 6 }, .expiry_check = { 1, 27, 1 },
  .optional = { 1, 28, 8 },
};

static const char * const month_names[] = {
  "January", "February", "March", "April", "May", "June", "July",
  "August", "September", "October", "November", "December",
};

static const char * const check_names[TP_MRZ_N_CHECKS] = {
  "document_number", "birth_date", "expiry_date", "optional_data", "composite",
};

static TpMrz *parse_lines (char         **lines,
                           const Layout  *layout,
                           const GDate   *reference,
                           gboolean       try_repair);

static void add_error (TpMrz      *mrz,
                       const char *field,
                       guint       line,
                       guint       start,
                       guint       end,
                       const char *format,
                       ...) G_GNUC_PRINTF (6, 7);

static gboolean
is_mrz_char (char c)
{
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || c == '<';
}

static gboolean
is_letter (char c)
{
  return c >= 'A' && c <= 'Z';
}

static gboolean
is_digit (char c)
{
  return c >= '0' && c <= '9';
}

static guint
char_value (char c)
{
  if (is_digit (c))
    return (guint) (c - '0');
  if (is_letter (c))
    return (guint) (c - 'A') + 10;
  return 0;
}

/* Length in bytes of the character at s (s[0] != '\0'; nothing past the
 * NUL is read): a valid UTF-8 sequence, or 1 for a byte that does not
 * start one. */
static gsize
utf8_char_len (const char *s)
{
  gunichar c;

  if ((guchar) s[0] < 0x80)
    return 1;
  c = g_utf8_get_char_validated (s, -1);
  if (c == (gunichar) -1 || c == (gunichar) -2)
    return 1;
  return (gsize) (g_utf8_next_char (s) - s);
}

/* The bytes of characters [start, start + len) of a line, as given. */
static const char *
char_ptr (const TpMrz *mrz,
          guint        line,
          guint        col)
{
  return mrz->lines[line] + mrz->offsets[line][col];
}

static gsize
chars_bytes (const TpMrz *mrz,
             guint        line,
             guint        start,
             guint        len)
{
  return mrz->offsets[line][start + len] - mrz->offsets[line][start];
}

static char *
chars_text (const TpMrz *mrz,
            guint        line,
            guint        start,
            guint        len)
{
  return g_strndup (char_ptr (mrz, line, start), chars_bytes (mrz, line, start, len));
}

/* The character at (line, col) for a message: “A”, “Ö”, “<”, a space,
 * U+200B for one that cannot be seen, the byte value of a byte that is
 * not UTF-8. */
static char *
char_repr (const TpMrz *mrz,
           guint        line,
           guint        col)
{
  const char *p = char_ptr (mrz, line, col);
  gsize n = chars_bytes (mrz, line, col, 1);
  gunichar c;

  if (n == 1)
    {
      guchar b = (guchar) p[0];

      if (b == ' ')
        return g_strdup ("a space");
      if (b > 0x20 && b < 0x7f)
        return g_strdup_printf ("“%c”", b);
      if (b < 0x80)
        return g_strdup_printf ("the control character 0x%02X", b);
      return g_strdup_printf ("byte 0x%02X (not UTF-8)", b);
    }
  c = g_utf8_get_char (p);
  if (g_unichar_isgraph (c))
    return g_strdup_printf ("“%.*s”", (int) n, p);
  return g_strdup_printf ("U+%04X", c);
}

static const char *
span_ptr (const TpMrz *mrz,
          const Span  *span)
{
  return mrz->cells[span->line] + span->start;
}

static char
span_char (const TpMrz *mrz,
           const Span  *span)
{
  g_assert (span->len >= 1);
  return mrz->cells[span->line][span->start];
}

/* Characters of a line for a message, as given, with control characters,
 * characters that cannot be seen and bytes that are not UTF-8 shown as
 * '?'. */
static char *
printable_chars (const TpMrz *mrz,
                 guint        line,
                 guint        start,
                 guint        len)
{
  GString *out = g_string_sized_new (len);

  for (guint i = start; i < start + len; i++)
    {
      const char *p = char_ptr (mrz, line, i);
      gsize n = chars_bytes (mrz, line, i, 1);

      if (n == 1 && (guchar) p[0] >= 0x20 && (guchar) p[0] < 0x7f)
        g_string_append_c (out, p[0]);
      else if (n > 1 && g_unichar_isgraph (g_utf8_get_char (p)))
        g_string_append_len (out, p, (gssize) n);
      else
        g_string_append_c (out, '?');
    }
  return g_string_free (out, FALSE);
}

static char *
printable_span (const TpMrz *mrz,
                const Span  *span)
{
  return printable_chars (mrz, span->line, span->start, span->len);
}

/* Cells for a message (a check digit's data), '?' for what is not
 * printable ASCII. */
static char *
printable_cells (const char *s,
                 gsize       len)
{
  char *copy = g_strndup (s, len);

  for (char *c = copy; *c; c++)
    if ((guchar) *c < 0x20 || (guchar) *c >= 0x7f)
      *c = '?';
  return copy;
}

/* The text of characters [start, start + len) of line, as given, with
 * filler removed at the end (and at the start too when both_ends). */
static char *
strip_filler (const TpMrz *mrz,
              guint        line,
              guint        start,
              guint        len,
              gboolean     both_ends)
{
  const char *s = mrz->cells[line] + start;
  guint first = 0;

  while (len > 0 && s[len - 1] == '<')
    len--;
  if (both_ends)
    while (first < len && s[first] == '<')
      first++;
  return chars_text (mrz, line, start + first, len - first);
}

static char *
strip_filler_span (const TpMrz *mrz,
                   const Span  *span,
                   gboolean     both_ends)
{
  return strip_filler (mrz, span->line, span->start, span->len, both_ends);
}

static void
add_error (TpMrz      *mrz,
           const char *field,
           guint       line,
           guint       start,
           guint       end,
           const char *format,
           ...)
{
  TpMrzFieldError *err = g_new0 (TpMrzFieldError, 1);
  va_list args;

  va_start (args, format);
  err->message = g_strdup_vprintf (format, args);
  va_end (args);
  err->field = field;
  err->line = line + 1;
  err->start = start;
  err->end = end;
  g_ptr_array_add (mrz->errors, err);
}

static void
field_error_free (gpointer data)
{
  TpMrzFieldError *err = data;

  g_free (err->message);
  g_free (err);
}

static void
add_span_error (TpMrz      *mrz,
                const char *field,
                const Span *span,
                const char *message)
{
  add_error (mrz, field, span->line, span->start, span->start + span->len, "%s", message);
}

/* The character at (line, col) does not belong there. Outside the MRZ's
 * character set, that is what is said; otherwise label holds the character
 * at that position and expected is what the position takes. */
static void
add_char_error (TpMrz      *mrz,
                const char *field,
                const char *label,
                guint       line,
                guint       col,
                const char *expected)
{
  g_autofree char *repr = char_repr (mrz, line, col);

  if (!is_mrz_char (mrz->cells[line][col]))
    add_error (mrz, field, line, col, col + 1,
               "%s, line %u, position %u: %s is not an MRZ character (A–Z, 0–9, <)",
               label, line + 1, col + 1, repr);
  else
    add_error (mrz, field, line, col, col + 1,
               "%s holds %s at line %u, position %u: expected %s",
               label, repr, line + 1, col + 1, expected != NULL ? expected : "another character");
}

static void
add_numeric (Parser     *p,
             const Span *span,
             const char *field)
{
  for (guint i = 0; i < span->len; i++)
    {
      NumericPos pos = { span->line, span->start + i, field };

      g_array_append_val (p->numeric, pos);
    }
}

/* Reports the first character of span outside allowed (a predicate);
 * returns FALSE when there was one. */
static gboolean
check_chars (TpMrz       *mrz,
             const char  *field,
             const char  *label,
             const Span  *span,
             gboolean   (*allowed) (char c),
             const char  *expected)
{
  const char *s = span_ptr (mrz, span);

  for (guint i = 0; i < span->len; i++)
    {
      if (!allowed (s[i]))
        {
          add_char_error (mrz, field, label, span->line, span->start + i, expected);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
is_name_char (char c)
{
  return is_letter (c) || c == '<';
}

static void
parse_document_code (Parser *p)
{
  TpMrz *mrz = p->mrz;
  const Span *span = &p->layout->code;
  const char *s = span_ptr (mrz, span);
  const char *allowed = NULL;
  const char *what = NULL;
  g_autofree char *shown = printable_span (mrz, span);

  mrz->document_code = strip_filler_span (mrz, span, FALSE);

  switch (p->layout->format)
    {
    case TP_MRZ_FORMAT_TD1:
    case TP_MRZ_FORMAT_TD2:
      allowed = "ACI";
      what = "an identity document of this size starts with A, C or I";
      break;
    case TP_MRZ_FORMAT_TD3:
      allowed = "P";
      what = "a passport's code starts with P (V for a visa)";
      break;
    case TP_MRZ_FORMAT_MRVA:
    case TP_MRZ_FORMAT_MRVB:
      allowed = "V";
      what = "a visa's code starts with V";
      break;
    default:
      g_assert_not_reached ();
    }

  if (!is_mrz_char (s[0]))
    add_char_error (mrz, "document_code", "Document code", span->line, span->start, NULL);
  else if (!is_letter (s[0]) || strchr (allowed, s[0]) == NULL)
    add_error (mrz, "document_code", span->line, span->start, span->start + 1,
               "Document code “%s” does not fit a %s zone: %s",
               shown,
               tp_mrz_format_to_string (p->layout->format), what);
  else if (!is_name_char (s[1]))
    add_char_error (mrz, "document_code", "Document code", span->line, span->start + 1,
                    "a letter or < as its second character");
}

/* A state or nationality: letters, then < filler only ("D<<"). */
static char *
parse_code (Parser     *p,
            const Span *span,
            const char *field,
            const char *label,
            gboolean   *special)
{
  TpMrz *mrz = p->mrz;
  const char *s = span_ptr (mrz, span);
  gboolean ok = is_letter (s[0]);
  gboolean in_filler = FALSE;

  for (guint i = 1; ok && i < span->len; i++)
    {
      if (s[i] == '<')
        in_filler = TRUE;
      else if (!is_letter (s[i]) || in_filler)
        ok = FALSE;
    }

  for (guint i = 0; !ok && i < span->len; i++)
    if (!is_mrz_char (s[i]))
      {
        add_char_error (mrz, field, label, span->line, span->start + i, NULL);
        *special = FALSE;
        return strip_filler_span (mrz, span, FALSE);
      }

  if (!ok)
    {
      g_autofree char *shown = printable_span (mrz, span);

      add_error (mrz, field, span->line, span->start, span->start + span->len,
                 "%s “%s” is not a code: expected three letters, or letters followed by < filler (as in “D<<”)",
                 label, shown);
      *special = FALSE;
    }
  else
    {
      g_autofree char *code = g_strndup (s, span->len);
      const TpCountry *country = tp_country_lookup (code);

      *special = country != NULL && tp_country_is_special (country);
      if (country == NULL)
        {
          g_autofree char *shown = printable_span (mrz, span);

          add_error (mrz, field, span->line, span->start, span->start + span->len,
                     "%s “%s” is not an ICAO 9303 country code (ISO 3166 alpha-3, D for Germany, "
                     "or one of ICAO's codes for organisations and persons without a nationality)",
                     label, shown);
        }
    }

  return strip_filler_span (mrz, span, FALSE);
}

/* Verifies a check digit; data_span is where a mismatch is reported. */
static void
verify_check (Parser      *p,
              TpMrzCheck   which,
              const char  *field,
              const char  *label,
              const char  *what,
              const char  *data,
              gsize        len,
              char         check,
              const Span  *data_span,
              guint        check_line,
              guint        check_col)
{
  TpMrz *mrz = p->mrz;
  guint expected = tp_mrz_check_digit (data, len);
  gsize shown_len = len;
  g_autofree char *shown = NULL;

  while (shown_len > 0 && data[shown_len - 1] == '<')
    shown_len--;
  shown = printable_cells (data, shown_len > 0 ? shown_len : len);

  if (!is_digit (check))
    {
      g_autofree char *repr = char_repr (mrz, check_line, check_col);
      g_autofree char *check_label = g_strdup_printf ("%s check digit", label);

      mrz->checks[which] = TP_MRZ_CHECK_INVALID;
      if (!is_mrz_char (check))
        add_char_error (mrz, field, check_label, check_line, check_col, NULL);
      else
        add_error (mrz, field, check_line, check_col, check_col + 1,
                   "%s is %s, not a digit (%s%s%s gives %u)",
                   check_label, repr, what, *what ? " " : "", shown, expected);
    }
  else if ((guint) (check - '0') != expected)
    {
      mrz->checks[which] = TP_MRZ_CHECK_INVALID;
      add_error (mrz, field, data_span->line, data_span->start, data_span->start + data_span->len,
                 "%s check digit is %c but %s%s%s gives %u",
                 label, check, what, *what ? " " : "", shown, expected);
    }
  else
    mrz->checks[which] = TP_MRZ_CHECK_VALID;
}

static void
parse_document_number (Parser *p)
{
  TpMrz *mrz = p->mrz;
  const Layout *l = p->layout;
  const char *s = span_ptr (mrz, &l->number);
  char check = span_char (mrz, &l->number_check);
  gboolean chars_ok;

  chars_ok = check_chars (mrz, "document_number", "Document number", &l->number,
                          is_mrz_char, "A–Z, 0–9 or <");

  if (l->long_numbers && check == '<')
    {
      /* A number longer than nine characters: the rest is at the start of
       * the optional data, then its check digit, then filler. */
      const char *opt = span_ptr (mrz, &l->optional);
      guint k = 0;
      g_autofree char *number = NULL;
      Span rest, digit;

      while (k < l->optional.len && opt[k] != '<')
        k++;

      if (k == 0)
        {
          mrz->document_number = strip_filler_span (mrz, &l->number, FALSE);
          mrz->checks[TP_MRZ_CHECK_DOCUMENT_NUMBER] = TP_MRZ_CHECK_INVALID;
          add_error (mrz, "document_number", l->number_check.line, l->number_check.start,
                     l->number_check.start + 1,
                     "Document number check digit is “<”, which announces a number continued in the optional data, "
                     "but the optional data starts with filler");
          return;
        }

      number = g_malloc (l->number.len + k);
      memcpy (number, s, l->number.len);
      memcpy (number + l->number.len, opt, k - 1);
      number[l->number.len + k - 1] = '\0';

      rest = (Span) { l->optional.line, l->optional.start, k - 1 };
      digit = (Span) { l->optional.line, l->optional.start + k - 1, 1 };
      if (!check_chars (mrz, "document_number", "Document number", &rest, is_mrz_char, "A–Z, 0–9 or <"))
        chars_ok = FALSE;
      add_numeric (p, &digit, "document_number");
      verify_check (p, TP_MRZ_CHECK_DOCUMENT_NUMBER, "document_number", "Document number", "the number",
                    number, l->number.len + k - 1, opt[k - 1], &l->number, digit.line, digit.start);

      p->long_taken = k;
      {
        g_autofree char *head = chars_text (mrz, l->number.line, l->number.start, l->number.len);
        g_autofree char *tail = chars_text (mrz, rest.line, rest.start, rest.len);

        mrz->document_number = g_strconcat (head, tail, NULL);
      }
    }
  else
    {
      mrz->document_number = strip_filler_span (mrz, &l->number, FALSE);
      add_numeric (p, &l->number_check, "document_number");
      verify_check (p, TP_MRZ_CHECK_DOCUMENT_NUMBER, "document_number", "Document number", "the number",
                    s, l->number.len, check, &l->number, l->number_check.line, l->number_check.start);
    }

  if (chars_ok && *mrz->document_number == '\0')
    add_span_error (mrz, "document_number", &l->number, "Document number is empty: the field holds only filler");
}

static gboolean
is_leap (int year)
{
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

static guint
days_in_month (guint month,
               int   year)
{
  static const guint days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

  g_assert (month >= 1 && month <= 12);
  if (month == 2 && is_leap (year))
    return 29;
  return days[month - 1];
}

/* Compares the known parts of (y, m, d) with (ry, rm, rd); m or d 0 means
 * unknown and compares equal. */
static int
compare_partial (int y, guint m, guint d,
                 int ry, int rm, int rd)
{
  if (y != ry)
    return y < ry ? -1 : 1;
  if (m == 0)
    return 0;
  if ((int) m != rm)
    return (int) m < rm ? -1 : 1;
  if (d == 0)
    return 0;
  if ((int) d != rd)
    return (int) d < rd ? -1 : 1;
  return 0;
}

static int
resolve_birth_year (const Parser *p,
                    guint         yy,
                    guint         mm,
                    guint         dd)
{
  int y = p->ref_year - (((p->ref_year % 100) - (int) yy + 100) % 100);

  if (compare_partial (y, mm, dd, p->ref_year, p->ref_month, p->ref_day) > 0)
    y -= 100;
  return y;
}

static int
resolve_expiry_year (const Parser *p,
                     guint         yy,
                     guint         mm,
                     guint         dd)
{
  int low = p->ref_year - 80;
  int y = low + ((((int) yy - low % 100) % 100 + 100) % 100);

  if (compare_partial (y, mm, dd, low, p->ref_month, p->ref_day) < 0)
    y += 100;
  return y;
}

static void
parse_date (Parser     *p,
            const Span *span,
            const char *field,
            const char *label,
            gboolean    birth,
            TpMrzDate  *out)
{
  TpMrz *mrz = p->mrz;
  const char *s = span_ptr (mrz, span);
  guint parts[3] = { 0, 0, 0 };
  gboolean known[3];
  int year;

  memset (out, 0, sizeof *out);
  memcpy (out->raw, s, 6);
  for (guint i = 0; i < 6; i++)
    if ((guchar) out->raw[i] < 0x20 || (guchar) out->raw[i] >= 0x7f)
      out->raw[i] = '?';

  add_numeric (p, span, field);

  for (guint i = 0; i < 6; i++)
    {
      if (!is_digit (s[i]) && s[i] != '<')
        {
          g_autofree char *repr = char_repr (mrz, span->line, span->start + i);

          if (!is_mrz_char (s[i]))
            add_char_error (mrz, field, label, span->line, span->start + i, NULL);
          else
            add_error (mrz, field, span->line, span->start + i, span->start + i + 1,
                       "%s %s holds %s at line %u, position %u: a date has only digits, with < for an unknown part",
                       label, out->raw, repr, span->line + 1, span->start + i + 1);
          return;
        }
    }

  for (guint i = 0; i < 3; i++)
    {
      char a = s[2 * i], b = s[2 * i + 1];

      if (is_digit (a) && is_digit (b))
        {
          known[i] = TRUE;
          parts[i] = (guint) (a - '0') * 10 + (guint) (b - '0');
        }
      else if (a == '<' && b == '<')
        known[i] = FALSE;
      else
        {
          add_error (mrz, field, span->line, span->start + 2 * i, span->start + 2 * i + 2,
                     "%s %s is not a date: year, month and day are two digits each, or << when unknown",
                     label, out->raw);
          return;
        }
    }

  if (known[1] && (parts[1] < 1 || parts[1] > 12))
    {
      add_error (mrz, field, span->line, span->start + 2, span->start + 4,
                 "%s %s is not a date: there is no month %02u", label, out->raw, parts[1]);
      return;
    }
  if (known[2] && (parts[2] < 1 || parts[2] > 31))
    {
      add_error (mrz, field, span->line, span->start + 4, span->start + 6,
                 "%s %s is not a date: there is no day %02u", label, out->raw, parts[2]);
      return;
    }
  if (known[1] && known[2] && parts[2] > days_in_month (parts[1], 2000))
    {
      add_error (mrz, field, span->line, span->start + 2, span->start + 6,
                 "%s %s is not a date: %s has no day %u", label, out->raw,
                 month_names[parts[1] - 1], parts[2]);
      return;
    }
  if (known[0] && known[1] && known[2] && parts[1] == 2 && parts[2] == 29 && parts[0] % 4 != 0)
    {
      add_error (mrz, field, span->line, span->start, span->start + 6,
                 "%s %s is not a date: 29 February does not exist in a year ending in %02u",
                 label, out->raw, parts[0]);
      return;
    }

  if (!birth && !(known[0] && known[1] && known[2]))
    add_error (mrz, field, span->line, span->start, span->start + 6,
               "%s %s is incomplete: an expiry date needs year, month and day", label, out->raw);

  if (!known[0])
    return;

  if (birth)
    year = resolve_birth_year (p, parts[0], known[1] ? parts[1] : 0, known[1] && known[2] ? parts[2] : 0);
  else
    year = resolve_expiry_year (p, parts[0], known[1] ? parts[1] : 0, known[1] && known[2] ? parts[2] : 0);
  if (year < 1 || year > 9999)
    return;
  if (known[1] && known[2] && parts[2] > days_in_month (parts[1], year))
    {
      /* 29 February of a year 00 that falls on 1900, 2100... */
      add_error (mrz, field, span->line, span->start, span->start + 6,
                 "%s %s is not a date: %u %s %d does not exist (a two-digit year resolves to %s)",
                 label, out->raw, parts[2], month_names[parts[1] - 1], year,
                 birth ? "the 100 years up to the reference date"
                       : "the years from 80 before to 20 after the reference date");
      return;
    }

  out->year = (guint) year;
  if (known[1])
    {
      out->month = parts[1];
      if (known[2])
        out->day = parts[2];
    }
  if (out->month != 0 && out->day != 0)
    {
      out->complete = TRUE;
      g_snprintf (out->iso, sizeof out->iso, "%04u-%02u-%02u", out->year, out->month, out->day);
    }
}

static void
parse_sex (Parser *p)
{
  TpMrz *mrz = p->mrz;
  const Span *span = &p->layout->sex;
  char c = span_char (mrz, span);

  switch (c)
    {
    case 'M':
    case 'F':
    case 'X':
      mrz->sex = c;
      break;
    case '<':
      mrz->sex = 'X';
      break;
    default:
      {
        g_autofree char *repr = char_repr (mrz, span->line, span->start);

        mrz->sex = 'X';
        if (!is_mrz_char (c))
          add_char_error (mrz, "sex", "Sex", span->line, span->start, NULL);
        else
          add_error (mrz, "sex", span->line, span->start, span->start + 1,
                     "Sex is %s: expected M, F, X or < (unspecified)", repr);
      }
      break;
    }
}

static void
parse_optional (Parser *p)
{
  TpMrz *mrz = p->mrz;
  const Layout *l = p->layout;
  const char *s = span_ptr (mrz, &l->optional);
  /* what a long document number has not taken */
  Span own = { l->optional.line, l->optional.start + p->long_taken, l->optional.len - p->long_taken };

  check_chars (mrz, "optional_data", l->optional_check.len ? "Personal number" : "Optional data",
               &own, is_mrz_char, "A–Z, 0–9 or <");
  mrz->optional_data = strip_filler_span (mrz, &own, TRUE);

  if (l->optional2.len > 0)
    {
      check_chars (mrz, "optional_data", "Optional data", &l->optional2, is_mrz_char, "A–Z, 0–9 or <");
      mrz->optional_data_2 = strip_filler_span (mrz, &l->optional2, TRUE);
    }

  if (l->optional_check.len > 0)
    {
      char check = span_char (mrz, &l->optional_check);
      gboolean empty = TRUE;

      for (guint i = 0; i < l->optional.len; i++)
        if (s[i] != '<')
          empty = FALSE;

      /* An empty personal number may have < or 0 as its check digit. */
      if (empty && (check == '<' || check == '0'))
        mrz->checks[TP_MRZ_CHECK_OPTIONAL_DATA] = TP_MRZ_CHECK_VALID;
      else
        {
          if (check != '<')
            add_numeric (p, &l->optional_check, "optional_data");
          verify_check (p, TP_MRZ_CHECK_OPTIONAL_DATA, "optional_data", "Personal number", "",
                        s, l->optional.len, check, &l->optional,
                        l->optional_check.line, l->optional_check.start);
        }
    }
}

static void
parse_composite (Parser *p)
{
  TpMrz *mrz = p->mrz;
  const Layout *l = p->layout;
  GString *data;
  char check;

  if (l->composite.len == 0)
    return;

  data = g_string_sized_new (64);
  for (guint i = 0; i < l->n_composite_data; i++)
    g_string_append_len (data, span_ptr (mrz, &l->composite_data[i]), l->composite_data[i].len);
  check = span_char (mrz, &l->composite);
  add_numeric (p, &l->composite, "composite");

  if (!is_digit (check))
    {
      g_autofree char *repr = char_repr (mrz, l->composite.line, l->composite.start);

      mrz->checks[TP_MRZ_CHECK_COMPOSITE] = TP_MRZ_CHECK_INVALID;
      if (!is_mrz_char (check))
        add_char_error (mrz, "composite", "Composite check digit", l->composite.line,
                        l->composite.start, NULL);
      else
        add_error (mrz, "composite", l->composite.line, l->composite.start, l->composite.start + 1,
                   "Composite check digit is %s, not a digit (the characters it covers give %u)",
                   repr, tp_mrz_check_digit (data->str, data->len));
    }
  else if ((guint) (check - '0') != tp_mrz_check_digit (data->str, data->len))
    {
      mrz->checks[TP_MRZ_CHECK_COMPOSITE] = TP_MRZ_CHECK_INVALID;
      add_error (mrz, "composite", l->composite.line, l->composite.start, l->composite.start + 1,
                 "Composite check digit is %c but the characters it covers give %u",
                 check, tp_mrz_check_digit (data->str, data->len));
    }
  else
    mrz->checks[TP_MRZ_CHECK_COMPOSITE] = TP_MRZ_CHECK_VALID;

  g_string_free (data, TRUE);
}

/* Characters [start, start + len) of line, as given: '<' to spaces, runs
 * of spaces to one, trimmed. */
static char *
name_part (const TpMrz *mrz,
           guint        line,
           guint        start,
           guint        len)
{
  const char *s = mrz->cells[line] + start;
  GString *out = g_string_sized_new (len);

  for (guint i = 0; i < len; i++)
    {
      if (s[i] == '<')
        {
          if (out->len > 0 && out->str[out->len - 1] != ' ')
            g_string_append_c (out, ' ');
        }
      else
        g_string_append_len (out, char_ptr (mrz, line, start + i),
                             (gssize) chars_bytes (mrz, line, start + i, 1));
    }
  if (out->len > 0 && out->str[out->len - 1] == ' ')
    g_string_truncate (out, out->len - 1);
  return g_string_free (out, FALSE);
}

static void
parse_name (Parser *p)
{
  TpMrz *mrz = p->mrz;
  const Span *span = &p->layout->name;
  const char *s = span_ptr (mrz, span);
  guint len = span->len;
  guint sep;

  check_chars (mrz, "name", "Name", span, is_name_char, "letters A–Z and < filler");

  mrz->name_truncated = s[len - 1] != '<';
  while (len > 0 && s[len - 1] == '<')
    len--;

  if (len == 0)
    {
      add_span_error (mrz, "name", span, "Name is empty: the name field holds only filler");
      mrz->primary_identifier = g_strdup ("");
      mrz->secondary_identifier = g_strdup ("");
      return;
    }

  for (sep = 0; sep + 1 < len; sep++)
    if (s[sep] == '<' && s[sep + 1] == '<')
      break;

  if (sep + 1 < len)
    {
      mrz->primary_identifier = name_part (mrz, span->line, span->start, sep);
      mrz->secondary_identifier = name_part (mrz, span->line, span->start + sep + 2, len - sep - 2);
    }
  else
    {
      mrz->primary_identifier = name_part (mrz, span->line, span->start, len);
      mrz->secondary_identifier = g_strdup ("");
    }
}

static int
compare_errors (gconstpointer a,
                gconstpointer b)
{
  const TpMrzFieldError *ea = *(TpMrzFieldError * const *) a;
  const TpMrzFieldError *eb = *(TpMrzFieldError * const *) b;

  if (ea->line != eb->line)
    return ea->line < eb->line ? -1 : 1;
  if (ea->start != eb->start)
    return ea->start < eb->start ? -1 : 1;
  return 0;
}

static const char digit_for_letter[26] = {
  ['B' - 'A'] = '8', ['D' - 'A'] = '0', ['G' - 'A'] = '6', ['I' - 'A'] = '1',
  ['O' - 'A'] = '0', ['Q' - 'A'] = '0', ['S' - 'A'] = '5', ['Z' - 'A'] = '2',
};

static gboolean
has_error_on (const TpMrz *mrz,
              const char  *field)
{
  return tp_mrz_find_error (mrz, field) != NULL;
}

/* Letters in digit positions replaced by look-alike digits, kept only if
 * the check digits then confirm every field. */
static void
try_repair (Parser      *p,
            const GDate *reference)
{
  TpMrz *mrz = p->mrz;
  g_auto(GStrv) lines = g_strdupv (mrz->lines);
  g_autoptr(GArray) subs = g_array_new (FALSE, FALSE, sizeof (TpMrzSubstitution));
  g_autoptr(TpMrz) repaired = NULL;

  for (guint i = 0; i < p->numeric->len; i++)
    {
      const NumericPos *pos = &g_array_index (p->numeric, NumericPos, i);
      char c = mrz->cells[pos->line][pos->column];

      if (is_letter (c) && digit_for_letter[c - 'A'] != 0)
        {
          TpMrzSubstitution sub = { pos->line + 1, pos->column, c, digit_for_letter[c - 'A'], pos->field };

          /* an ASCII letter: one byte, at the character's offset */
          lines[pos->line][mrz->offsets[pos->line][pos->column]] = sub.to;
          g_array_append_val (subs, sub);
        }
    }
  if (subs->len == 0)
    return;

  repaired = parse_lines (lines, p->layout, reference, FALSE);
  for (guint i = 0; i < TP_MRZ_N_CHECKS; i++)
    if (repaired->checks[i] == TP_MRZ_CHECK_INVALID)
      return;
  for (guint i = 0; i < subs->len; i++)
    if (has_error_on (repaired, g_array_index (subs, TpMrzSubstitution, i).field))
      return;

  mrz->repair = g_new0 (TpMrzRepair, 1);
  mrz->repair->lines = g_steal_pointer (&lines);
  mrz->repair->substitutions = g_steal_pointer (&subs);
}

/* Appends characters of a line as given. */
static void
append_chars (GString     *out,
              const TpMrz *mrz,
              guint        line,
              guint        start,
              guint        len)
{
  g_string_append_len (out, char_ptr (mrz, line, start), (gssize) chars_bytes (mrz, line, start, len));
}

static void
append_span (GString     *out,
             const TpMrz *mrz,
             const Span  *span)
{
  append_chars (out, mrz, span->line, span->start, span->len);
}

static TpMrz *
parse_lines (char         **lines,
             const Layout  *layout,
             const GDate   *reference,
             gboolean       repair)
{
  Parser p = { 0 };
  g_autoptr(TpMrz) mrz = g_new0 (TpMrz, 1);
  g_autoptr(GArray) numeric = g_array_new (FALSE, FALSE, sizeof (NumericPos));
  GString *info;

  g_assert (g_strv_length (lines) == layout->n_lines);

  p.layout = layout;
  p.mrz = mrz;
  p.numeric = numeric;
  if (reference != NULL)
    {
      p.ref_year = g_date_get_year (reference);
      p.ref_month = g_date_get_month (reference);
      p.ref_day = g_date_get_day (reference);
    }
  else
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();

      p.ref_year = g_date_time_get_year (now);
      p.ref_month = g_date_time_get_month (now);
      p.ref_day = g_date_time_get_day_of_month (now);
    }

  mrz->format = layout->format;
  mrz->lines = g_strdupv (lines);
  mrz->cells = g_new0 (char *, layout->n_lines + 1);
  mrz->offsets = g_new0 (guint *, layout->n_lines + 1);
  for (guint l = 0; l < layout->n_lines; l++)
    {
      const char *line = mrz->lines[l];
      gsize at = 0;

      mrz->cells[l] = g_malloc (layout->line_len + 1);
      mrz->offsets[l] = g_new (guint, layout->line_len + 1);
      for (guint i = 0; i < layout->line_len; i++)
        {
          gsize n;

          g_assert (line[at] != '\0');
          n = utf8_char_len (line + at);
          mrz->cells[l][i] = n == 1 && (guchar) line[at] < 0x80 ? line[at] : PLACEHOLDER;
          mrz->offsets[l][i] = (guint) at;
          at += n;
        }
      g_assert (line[at] == '\0');
      mrz->cells[l][layout->line_len] = '\0';
      mrz->offsets[l][layout->line_len] = (guint) at;
    }
  mrz->errors = g_ptr_array_new_with_free_func (field_error_free);
  for (guint i = 0; i < TP_MRZ_N_CHECKS; i++)
    mrz->checks[i] = TP_MRZ_CHECK_ABSENT;

  parse_document_code (&p);
  mrz->issuing_state = parse_code (&p, &layout->state, "issuing_state", "Issuing state",
                                   &mrz->issuing_state_special);
  parse_document_number (&p);
  mrz->nationality = parse_code (&p, &layout->nationality, "nationality", "Nationality",
                                 &mrz->nationality_special);
  parse_date (&p, &layout->birth, "birth_date", "Birth date", TRUE, &mrz->birth_date);
  add_numeric (&p, &layout->birth_check, "birth_date");
  verify_check (&p, TP_MRZ_CHECK_BIRTH_DATE, "birth_date", "Birth date", "the date",
                span_ptr (mrz, &layout->birth), 6, span_char (mrz, &layout->birth_check),
                &layout->birth, layout->birth_check.line, layout->birth_check.start);
  parse_sex (&p);
  parse_date (&p, &layout->expiry, "expiry_date", "Expiry date", FALSE, &mrz->expiry_date);
  add_numeric (&p, &layout->expiry_check, "expiry_date");
  verify_check (&p, TP_MRZ_CHECK_EXPIRY_DATE, "expiry_date", "Expiry date", "the date",
                span_ptr (mrz, &layout->expiry), 6, span_char (mrz, &layout->expiry_check),
                &layout->expiry, layout->expiry_check.line, layout->expiry_check.start);
  parse_optional (&p);
  parse_composite (&p);
  parse_name (&p);

  mrz->expired = mrz->expiry_date.complete &&
                 compare_partial ((int) mrz->expiry_date.year, mrz->expiry_date.month, mrz->expiry_date.day,
                                  p.ref_year, p.ref_month, p.ref_day) < 0;

  g_ptr_array_sort (mrz->errors, compare_errors);
  mrz->valid = mrz->errors->len == 0;

  /* MRZ information for the chip's access keys: as printed; a long
   * number in full, with the check digit that closes its continuation. */
  info = g_string_sized_new (48);
  if (p.long_taken > 0)
    {
      g_string_append (info, mrz->document_number);
      append_chars (info, mrz, layout->optional.line, layout->optional.start + p.long_taken - 1, 1);
    }
  else
    {
      append_span (info, mrz, &layout->number);
      append_span (info, mrz, &layout->number_check);
    }
  append_span (info, mrz, &layout->birth);
  append_span (info, mrz, &layout->birth_check);
  append_span (info, mrz, &layout->expiry);
  append_span (info, mrz, &layout->expiry_check);
  mrz->mrz_information = g_string_free (info, FALSE);

  if (repair && !mrz->valid)
    try_repair (&p, reference);

  return g_steal_pointer (&mrz);
}

/* Splits text at white space (ASCII); the pieces must make whole lines of
 * one format once joined. Lengths are counted in characters (see above). */
static char **
split_lines (const char   *text,
             const Layout **layout_out,
             GError       **error)
{
  g_autoptr(GString) joined = g_string_new (NULL);
  g_autoptr(GArray) lengths = g_array_new (FALSE, FALSE, sizeof (gsize));
  g_autoptr(GArray) offsets = g_array_new (FALSE, FALSE, sizeof (gsize));   /* of each character in joined */
  const char *s = text;
  guint n_lines, line_len;
  char **lines;

  while (*s)
    {
      gsize len = 0, bytes = 0;

      while (*s && g_ascii_isspace (*s))
        s++;
      if (!*s)
        break;
      while (s[bytes] && !g_ascii_isspace (s[bytes]))
        {
          gsize at = joined->len + bytes;

          g_array_append_val (offsets, at);
          bytes += utf8_char_len (s + bytes);
          len++;
        }
      g_string_append_len (joined, s, (gssize) bytes);
      g_array_append_val (lengths, len);
      s += bytes;
    }

  switch (offsets->len)
    {
    case 90: n_lines = 3; line_len = 30; break;
    case 72: n_lines = 2; line_len = 36; break;
    case 88: n_lines = 2; line_len = 44; break;
    default: n_lines = 0; line_len = 0; break;
    }
  for (guint i = 0; line_len > 0 && i < lengths->len; i++)
    if (g_array_index (lengths, gsize, i) % line_len != 0)
      line_len = 0;

  if (line_len == 0)
    {
      g_autoptr(GString) found = g_string_new (NULL);

      if (lengths->len == 0)
        g_string_append (found, "the text is empty");
      else
        {
          g_string_append_printf (found, "found %u line%s of ", lengths->len, lengths->len == 1 ? "" : "s");
          for (guint i = 0; i < lengths->len && i < 6; i++)
            g_string_append_printf (found, "%s%" G_GSIZE_FORMAT,
                                    i == 0 ? "" : (i + 1 == lengths->len ? " and " : ", "),
                                    g_array_index (lengths, gsize, i));
          if (lengths->len > 6)
            g_string_append (found, ", …");
          g_string_append (found, " characters");
        }
      g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT,
                   "Not a machine readable zone: %s; expected 3 lines of 30 characters (TD1), "
                   "2 of 36 (TD2, MRV-B) or 2 of 44 (TD3, MRV-A)", found->str);
      return NULL;
    }

  g_array_append_val (offsets, joined->len);
  lines = g_new0 (char *, n_lines + 1);
  for (guint i = 0; i < n_lines; i++)
    {
      gsize from = g_array_index (offsets, gsize, i * line_len);
      gsize to = g_array_index (offsets, gsize, (i + 1) * line_len);

      lines[i] = g_strndup (joined->str + from, to - from);
    }

  if (n_lines == 3)
    *layout_out = &layout_td1;
  else if (line_len == 36)
    *layout_out = lines[0][0] == 'V' ? &layout_mrvb : &layout_td2;
  else
    *layout_out = lines[0][0] == 'V' ? &layout_mrva : &layout_td3;

  return lines;
}

TpMrz *
tp_mrz_parse (const char   *text,
              const GDate  *reference,
              GError      **error)
{
  g_auto(GStrv) lines = NULL;
  const Layout *layout = NULL;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (reference == NULL || g_date_valid (reference), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  lines = split_lines (text, &layout, error);
  if (lines == NULL)
    return NULL;

  return parse_lines (lines, layout, reference, TRUE);
}

void
tp_mrz_repair_free (TpMrzRepair *repair)
{
  if (repair == NULL)
    return;
  g_strfreev (repair->lines);
  if (repair->substitutions != NULL)
    g_array_unref (repair->substitutions);
  g_free (repair);
}

void
tp_mrz_free (TpMrz *mrz)
{
  if (mrz == NULL)
    return;
  g_strfreev (mrz->lines);
  g_strfreev (mrz->cells);
  if (mrz->offsets != NULL)
    for (guint i = 0; mrz->offsets[i] != NULL; i++)
      g_free (mrz->offsets[i]);
  g_free (mrz->offsets);
  g_free (mrz->document_code);
  g_free (mrz->issuing_state);
  g_free (mrz->document_number);
  g_free (mrz->nationality);
  g_free (mrz->optional_data);
  g_free (mrz->optional_data_2);
  g_free (mrz->primary_identifier);
  g_free (mrz->secondary_identifier);
  if (mrz->errors != NULL)
    g_ptr_array_unref (mrz->errors);
  tp_mrz_repair_free (mrz->repair);
  g_free (mrz->mrz_information);
  g_free (mrz);
}

guint
tp_mrz_check_digit (const char *s,
                    gsize       len)
{
  static const guint weights[3] = { 7, 3, 1 };
  guint sum = 0;

  g_return_val_if_fail (s != NULL || len == 0, 0);

  for (gsize i = 0; i < len; i++)
    sum += char_value (s[i]) * weights[i % 3];
  return sum % 10;
}

const char *
tp_mrz_format_to_string (TpMrzFormat format)
{
  switch (format)
    {
    case TP_MRZ_FORMAT_TD1: return "TD1";
    case TP_MRZ_FORMAT_TD2: return "TD2";
    case TP_MRZ_FORMAT_TD3: return "TD3";
    case TP_MRZ_FORMAT_MRVA: return "MRVA";
    case TP_MRZ_FORMAT_MRVB: return "MRVB";
    default: break;
    }
  g_return_val_if_reached (NULL);
}

const char *
tp_mrz_check_to_string (TpMrzCheck check)
{
  g_return_val_if_fail ((guint) check < TP_MRZ_N_CHECKS, NULL);

  return check_names[check];
}

const char *
tp_mrz_get_mrz_information (const TpMrz *mrz)
{
  g_return_val_if_fail (mrz != NULL, NULL);

  return mrz->mrz_information;
}

const TpMrzFieldError *
tp_mrz_find_error (const TpMrz *mrz,
                   const char  *field)
{
  g_return_val_if_fail (mrz != NULL, NULL);
  g_return_val_if_fail (field != NULL, NULL);

  for (guint i = 0; i < mrz->errors->len; i++)
    {
      const TpMrzFieldError *err = g_ptr_array_index (mrz->errors, i);

      if (g_str_equal (err->field, field))
        return err;
    }
  return NULL;
}

const char *
tp_mrz_special_code_describe (const char *code)
{
  const TpCountry *country;

  g_return_val_if_fail (code != NULL, NULL);

  /* Codes as an MRZ prints them: upper case, three characters with filler */
  for (const char *c = code; *c != '\0'; c++)
    if (!(is_letter (*c) || *c == '<'))
      return NULL;
  country = tp_country_lookup (code);
  if (country == NULL || !tp_country_is_special (country))
    return NULL;
  return country->name;
}

gboolean
tp_mrz_code_is_special (const char *code)
{
  g_return_val_if_fail (code != NULL, FALSE);

  return tp_mrz_special_code_describe (code) != NULL;
}
