/* tp-name.c: name normalisation used wherever names are compared
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One scanner serves every form. Input is UTF-8 from anywhere (lists, OCR,
 * chips, keyboards) and is decoded here: a byte that does not start a valid
 * sequence is a separator and the scan moves on by one byte, so no input can
 * make it read past the end or produce invalid output.
 *
 * Characters fall into four classes:
 *  - letters (g_unichar_isalpha) make up tokens;
 *  - combining marks belong to the letter before them (a mark that does not
 *    follow a letter or another mark is dropped);
 *  - apostrophes (' ` ´ ‘ ’ ʼ) and invisible format characters (soft hyphen,
 *    zero-width joiner...) are omitted without splitting the token, as the
 *    MRZ does (ICAO 9303 Part 3: D'ARTAGNAN -> DARTAGNAN);
 *  - everything else separates tokens: white space (zero width space
 *    included), '<', '-', '.', ',', digits, other punctuation and symbols,
 *    invalid bytes.
 *
 * Folding transliterates letter by letter: the ICAO table below first, then
 * the compatibility decomposition with the marks dropped (Vietnamese vowels
 * and tones, Ç, Š, ﬁ...). A letter followed by combining marks is composed
 * with them first as NFC would, so decomposed input (A + U+0308) folds like
 * precomposed input (Ä -> AE) and folding the accented form changes nothing. Letters with neither (Greek, Arabic, CJK...) are dropped;
 * a token made only of them disappears from the folded form.
 */
#include "config.h"

#include <string.h>

#include "tp-name.h"

/* A decoded character that was not valid UTF-8 */
#define INVALID_CHAR ((gunichar) -1)

/* Tokens up to this many bytes are compared without allocating */
#define SHORT_TOKEN 64

/* Combining marks on one letter that are taken into account for
 * composition; further ones are skipped */
#define MAX_MARKS 32

typedef enum {
  CLASS_SEPARATOR,
  CLASS_LETTER,
  CLASS_MARK,
  CLASS_OMITTED,
} CharClass;

typedef struct {
  gunichar letter;      /* upper case, or a letter that has none */
  char     ascii[5];    /* "" for a letter the MRZ omits */
} Transliteration;

/* Where folded text goes: a space is written before the next letters when a
 * separator came since the last ones, and never at the start. */
typedef struct {
  GString  *out;
  gsize     start;
  gboolean  pending_space;
} Sink;

/* What the scanner needs to know of one character, computed once for the
 * blocks most names are written in (see cache_lookup) */
typedef struct {
  guint8 klass;         /* CharClass */
  guint8 n_ascii;       /* length of the folded letter, or NOT_CACHED */
  guint8 nfc_upper;     /* the upper case of this letter is NFC on its own */
  char   ascii[4];      /* folded letter, not NUL-terminated */
} CacheEntry;

#define NOT_CACHED 0xFF

/* Latin-1 Supplement to Cyrillic, and Latin Extended Additional (Vietnamese) */
#define CACHE_1_START 0x00C0
#define CACHE_1_END   0x0500
#define CACHE_2_START 0x1E00
#define CACHE_2_END   0x1F00
#define CACHE_SIZE    ((CACHE_1_END - CACHE_1_START) + (CACHE_2_END - CACHE_2_START))

static void fold_letter_slow (Sink     *sink,
                              gunichar  c);
static void append_upper     (GString  *out,
                              gunichar  c);

/* ICAO Doc 9303 Part 3 §6 (Transliterations recommended for use by States):
 *  - Latin letters whose recommended transliteration is not just the base
 *    letter, or that have no Unicode decomposition to a base letter. Where
 *    the table offers a choice the first is used (Ä -> AE not A, Ñ -> N not
 *    NXX, Ü -> UE not UXX or U). Ŀ, Ĳ, ı and İ would fold the same way
 *    through their decompositions; they are listed because the table lists
 *    them.
 *  - Cyrillic letters (Table B), the general column. The table's
 *    language-specific variants (Belarusian Г -> H, Serbian and Macedonian
 *    Ж -> Z, Х -> H, Ц -> C, Ч -> C, Ш -> S...) are not applied: the
 *    language of a name is not known here.
 * Letters whose recommendation is the base letter and that decompose to it
 * (À, Ç, Ě, Ș, the Vietnamese vowels...) are left to the decomposition.
 * Keys are upper case (ß, ĸ have none) and sorted for the binary search. */
static const Transliteration transliterations[] = {
  { 0x00C4, "AE" },     /* Ä */
  { 0x00C5, "AA" },     /* Å */
  { 0x00C6, "AE" },     /* Æ */
  { 0x00D0, "D" },      /* Ð */
  { 0x00D1, "N" },      /* Ñ */
  { 0x00D6, "OE" },     /* Ö */
  { 0x00D8, "OE" },     /* Ø */
  { 0x00DC, "UE" },     /* Ü */
  { 0x00DE, "TH" },     /* Þ */
  { 0x00DF, "SS" },     /* ß */
  { 0x0110, "D" },      /* Đ (Vietnamese, Croatian) */
  { 0x0126, "H" },      /* Ħ */
  { 0x0130, "I" },      /* İ */
  { 0x0131, "I" },      /* ı */
  { 0x0132, "IJ" },     /* Ĳ */
  { 0x0138, "K" },      /* ĸ */
  { 0x013F, "L" },      /* Ŀ */
  { 0x0141, "L" },      /* Ł */
  { 0x014A, "N" },      /* Ŋ */
  { 0x0152, "OE" },     /* Œ */
  { 0x0166, "T" },      /* Ŧ */
  { 0x0400, "E" },      /* Ѐ */
  { 0x0401, "E" },      /* Ё */
  { 0x0402, "D" },      /* Ђ */
  { 0x0403, "G" },      /* Ѓ */
  { 0x0404, "IE" },     /* Є */
  { 0x0405, "DZ" },     /* Ѕ */
  { 0x0406, "I" },      /* І */
  { 0x0407, "I" },      /* Ї */
  { 0x0408, "J" },      /* Ј */
  { 0x0409, "LJ" },     /* Љ */
  { 0x040A, "NJ" },     /* Њ */
  { 0x040B, "C" },      /* Ћ */
  { 0x040C, "K" },      /* Ќ */
  { 0x040D, "I" },      /* Ѝ */
  { 0x040E, "U" },      /* Ў */
  { 0x040F, "DZ" },     /* Џ */
  { 0x0410, "A" },      /* А */
  { 0x0411, "B" },      /* Б */
  { 0x0412, "V" },      /* В */
  { 0x0413, "G" },      /* Г */
  { 0x0414, "D" },      /* Д */
  { 0x0415, "E" },      /* Е */
  { 0x0416, "ZH" },     /* Ж */
  { 0x0417, "Z" },      /* З */
  { 0x0418, "I" },      /* И */
  { 0x0419, "I" },      /* Й */
  { 0x041A, "K" },      /* К */
  { 0x041B, "L" },      /* Л */
  { 0x041C, "M" },      /* М */
  { 0x041D, "N" },      /* Н */
  { 0x041E, "O" },      /* О */
  { 0x041F, "P" },      /* П */
  { 0x0420, "R" },      /* Р */
  { 0x0421, "S" },      /* С */
  { 0x0422, "T" },      /* Т */
  { 0x0423, "U" },      /* У */
  { 0x0424, "F" },      /* Ф */
  { 0x0425, "KH" },     /* Х */
  { 0x0426, "TS" },     /* Ц */
  { 0x0427, "CH" },     /* Ч */
  { 0x0428, "SH" },     /* Ш */
  { 0x0429, "SHCH" },   /* Щ */
  { 0x042A, "IE" },     /* Ъ */
  { 0x042B, "Y" },      /* Ы */
  { 0x042C, "" },       /* Ь: omitted */
  { 0x042D, "E" },      /* Э */
  { 0x042E, "IU" },     /* Ю */
  { 0x042F, "IA" },     /* Я */
  { 0x0490, "G" },      /* Ґ */
  { 0x1E9E, "SS" },     /* ẞ */
};

static CacheEntry cache[CACHE_SIZE];
static gsize cache_ready;

static inline gboolean
is_ascii_letter (guchar b)
{
  return (guchar) ((b | 0x20) - 'a') < 26;
}

static inline char
ascii_upper (guchar b)
{
  return (char) (b & ~0x20);
}

/* The character at p (p < end) and its length in *len. A byte that does not
 * start a complete, valid sequence gives INVALID_CHAR and a length of 1. */
static inline gunichar
decode (const guchar *p,
        const guchar *end,
        gsize        *len)
{
  gunichar c;

  g_assert (p < end);

  if (*p < 0x80)
    {
      *len = 1;
      return *p;
    }
  c = g_utf8_get_char_validated ((const char *) p, end - p);
  if (c == (gunichar) -1 || c == (gunichar) -2)
    {
      *len = 1;
      return INVALID_CHAR;
    }
  *len = g_utf8_skip[*p];
  return c;
}

static gboolean
is_apostrophe (gunichar c)
{
  switch (c)
    {
    case '\'':
    case '`':
    case 0x00B4:        /* ´ acute accent */
    case 0x02B9:        /* ʹ modifier prime */
    case 0x02BC:        /* ʼ modifier apostrophe */
    case 0x2018:        /* ‘ */
    case 0x2019:        /* ’ */
    case 0x2032:        /* ′ prime */
      return TRUE;
    default:
      return FALSE;
    }
}

static CharClass
classify (gunichar c)
{
  if (c < 0x80)
    {
      if (is_ascii_letter ((guchar) c))
        return CLASS_LETTER;
      return (c == '\'' || c == '`') ? CLASS_OMITTED : CLASS_SEPARATOR;
    }
  if (c == INVALID_CHAR)
    return CLASS_SEPARATOR;
  if (is_apostrophe (c))
    return CLASS_OMITTED;
  if (g_unichar_isalpha (c))
    return CLASS_LETTER;
  if (g_unichar_ismark (c))
    return CLASS_MARK;
  if (c == 0x200B)      /* zero width space: a space, though invisible */
    return CLASS_SEPARATOR;
  if (g_unichar_type (c) == G_UNICODE_FORMAT)
    return CLASS_OMITTED;
  return CLASS_SEPARATOR;
}

static const char *
transliteration_lookup (gunichar upper)
{
  gsize lo = 0;
  gsize hi = G_N_ELEMENTS (transliterations);

  if (upper < transliterations[0].letter || upper > transliterations[hi - 1].letter)
    return NULL;

  while (lo < hi)
    {
      gsize mid = lo + (hi - lo) / 2;

      if (transliterations[mid].letter == upper)
        return transliterations[mid].ascii;
      if (transliterations[mid].letter < upper)
        lo = mid + 1;
      else
        hi = mid;
    }
  return NULL;
}

static inline void
sink_begin_letters (Sink *sink)
{
  if (G_UNLIKELY (sink->pending_space))
    {
      if (sink->out->len > sink->start)
        g_string_append_c (sink->out, ' ');
      sink->pending_space = FALSE;
    }
}

static void
sink_append (Sink       *sink,
             const char *ascii)
{
  if (*ascii == '\0')
    return;
  sink_begin_letters (sink);
  g_string_append (sink->out, ascii);
}

/* Composes c with the combining marks that follow it at *p, as NFC would
 * (marks in canonical order, blocked ones left out), and moves *p past all
 * of them. Only decomposed input gets here. */
static gunichar
absorb_marks (gunichar       c,
              const guchar **p,
              const guchar  *end)
{
  gunichar marks[MAX_MARKS + G_UNICHAR_MAX_DECOMPOSITION_LENGTH];
  gunichar decomposed[G_UNICHAR_MAX_DECOMPOSITION_LENGTH];
  gsize n_marks = 0;
  gsize n;
  gint last_ccc = -1;   /* of the last mark left uncomposed */
  gunichar first_mark;
  gsize first_len;
  gunichar base;

  if (*p == end || **p < 0x80)
    return c;
  first_mark = decode (*p, end, &first_len);
  if (first_mark == INVALID_CHAR || !g_unichar_ismark (first_mark))
    return c;

  n = g_unichar_fully_decompose (c, FALSE, decomposed, G_N_ELEMENTS (decomposed));
  base = decomposed[0];
  for (gsize i = 1; i < n; i++)
    marks[n_marks++] = decomposed[i];

  while (*p < end && **p >= 0x80)
    {
      gsize len;
      gunichar m = decode (*p, end, &len);

      gunichar parts[G_UNICHAR_MAX_DECOMPOSITION_LENGTH];
      gsize n_parts;

      if (m == INVALID_CHAR || !g_unichar_ismark (m))
        break;
      /* Some marks decompose themselves (U+0344 -> U+0308 U+0301) */
      n_parts = g_unichar_fully_decompose (m, FALSE, parts, G_N_ELEMENTS (parts));
      for (gsize k = 0; k < n_parts && n_marks < G_N_ELEMENTS (marks); k++)
        marks[n_marks++] = parts[k];
      *p += len;
    }

  /* Canonical order: stable sort on the combining class */
  for (gsize i = 1; i < n_marks; i++)
    {
      gunichar m = marks[i];
      gint ccc = g_unichar_combining_class (m);
      gsize j = i;

      for (; j > 0 && g_unichar_combining_class (marks[j - 1]) > ccc; j--)
        marks[j] = marks[j - 1];
      marks[j] = m;
    }

  for (gsize i = 0; i < n_marks; i++)
    {
      gint ccc = g_unichar_combining_class (marks[i]);
      gunichar composed;

      if ((last_ccc < 0 || (last_ccc != 0 && last_ccc < ccc)) &&
          g_unichar_compose (base, marks[i], &composed))
        base = composed;
      else
        last_ccc = ccc;
    }
  return base;
}

static void
fold_letter_slow (Sink     *sink,
                  gunichar  c)
{
  gunichar upper = g_unichar_toupper (c);
  gunichar decomposed[G_UNICHAR_MAX_DECOMPOSITION_LENGTH];
  const char *ascii;
  gsize n;

  if (upper < 0x80)
    {
      if (is_ascii_letter ((guchar) upper))
        {
          sink_begin_letters (sink);
          g_string_append_c (sink->out, ascii_upper ((guchar) upper));
        }
      return;
    }

  ascii = transliteration_lookup (upper);
  if (ascii == NULL)
    {
      /* A singleton NFC replaces (U+212B ANGSTROM SIGN -> Å) folds like
       * its replacement */
      gunichar composed;

      n = g_unichar_fully_decompose (upper, FALSE, decomposed, G_N_ELEMENTS (decomposed));
      composed = decomposed[0];
      for (gsize i = 1; i < n; i++)
        {
          gunichar next;

          if (!g_unichar_compose (composed, decomposed[i], &next))
            break;
          composed = next;
        }
      if (composed != upper)
        ascii = transliteration_lookup (composed);
    }
  if (ascii != NULL)
    {
      sink_append (sink, ascii);
      return;
    }

  /* Compatibility decomposition: Vietnamese vowels, ﬁ, fullwidth letters,
   * Ǆ... Marks and anything else outside A-Z are dropped. */
  n = g_unichar_fully_decompose (upper, TRUE, decomposed, G_N_ELEMENTS (decomposed));
  if (n == 1 && decomposed[0] == upper)
    return;
  for (gsize i = 0; i < n; i++)
    {
      gunichar d = decomposed[i];

      if (d < 0x80)
        {
          if (is_ascii_letter ((guchar) d))
            {
              sink_begin_letters (sink);
              g_string_append_c (sink->out, ascii_upper ((guchar) d));
            }
        }
      else if ((ascii = transliteration_lookup (g_unichar_toupper (d))) != NULL)
        sink_append (sink, ascii);
    }
}

static void
cache_build (void)
{
  g_autoptr(GString) folded = g_string_new (NULL);
  g_autoptr(GString) upper = g_string_new (NULL);

  for (gsize i = 0; i < CACHE_SIZE; i++)
    {
      gunichar c = i < CACHE_1_END - CACHE_1_START
                   ? CACHE_1_START + i
                   : CACHE_2_START + (i - (CACHE_1_END - CACHE_1_START));
      CacheEntry *entry = &cache[i];
      Sink sink = { folded, 0, FALSE };

      entry->klass = classify (c);
      entry->n_ascii = NOT_CACHED;
      entry->nfc_upper = FALSE;
      if (entry->klass != CLASS_LETTER)
        continue;

      g_string_truncate (folded, 0);
      fold_letter_slow (&sink, c);
      if (folded->len <= sizeof entry->ascii)
        {
          entry->n_ascii = folded->len;
          memcpy (entry->ascii, folded->str, folded->len);
        }

      g_string_truncate (upper, 0);
      append_upper (upper, c);
      {
        g_autofree char *nfc = g_utf8_normalize (upper->str, upper->len, G_NORMALIZE_NFC);

        entry->nfc_upper = nfc != NULL && strcmp (nfc, upper->str) == 0;
      }
    }
}

/* The cached facts about c, or NULL outside the cached blocks */
static inline const CacheEntry *
cache_lookup (gunichar c)
{
  if (G_UNLIKELY (g_once_init_enter (&cache_ready)))
    {
      cache_build ();
      g_once_init_leave (&cache_ready, 1);
    }
  if (c - CACHE_1_START < CACHE_1_END - CACHE_1_START)
    return &cache[c - CACHE_1_START];
  if (c - CACHE_2_START < CACHE_2_END - CACHE_2_START)
    return &cache[(CACHE_1_END - CACHE_1_START) + (c - CACHE_2_START)];
  return NULL;
}

static inline CharClass
classify_fast (gunichar c)
{
  const CacheEntry *entry = cache_lookup (c);

  return entry != NULL ? (CharClass) entry->klass : classify (c);
}

static void
fold_letter (Sink     *sink,
             gunichar  c)
{
  const CacheEntry *entry = cache_lookup (c);

  if (entry != NULL && entry->n_ascii != NOT_CACHED)
    {
      if (entry->n_ascii > 0)
        {
          sink_begin_letters (sink);
          g_string_append_len (sink->out, entry->ascii, entry->n_ascii);
        }
      return;
    }
  fold_letter_slow (sink, c);
}

static void
fold_into (Sink       *sink,
           const char *text,
           gsize       len)
{
  const guchar *p = (const guchar *) text;
  const guchar *end = p + len;

  while (p < end)
    {
      gunichar c;

      if (*p < 0x80)
        {
          guchar b = *p++;

          if (!is_ascii_letter (b))
            {
              if (b != '\'' && b != '`')
                sink->pending_space = TRUE;
              continue;
            }
          if (p == end || *p < 0x80)
            {
              /* The fast path: nothing can combine with it */
              sink_begin_letters (sink);
              g_string_append_c (sink->out, ascii_upper (b));
              continue;
            }
          c = b;
        }
      else
        {
          gsize n;

          c = decode (p, end, &n);
          p += n;
          switch (classify_fast (c))
            {
            case CLASS_LETTER:
              break;
            case CLASS_SEPARATOR:
              sink->pending_space = TRUE;
              continue;
            case CLASS_MARK:
            case CLASS_OMITTED:
            default:
              continue;
            }
        }

      c = absorb_marks (c, &p, end);
      fold_letter (sink, c);
    }
}

static void
append_upper (GString  *out,
              gunichar  c)
{
  if (c == 0x00DF)      /* ß has no single upper-case letter */
    g_string_append (out, "SS");
  else
    g_string_append_unichar (out, g_unichar_toupper (c));
}

char *
tp_name_accented (const char *utf8)
{
  const guchar *p;
  const guchar *end;
  GString *out;
  gboolean pending_space = FALSE;
  gboolean after_letter = FALSE;     /* a mark here belongs to a letter */
  gboolean needs_nfc = FALSE;
  char *nfc;
  gsize len;

  g_return_val_if_fail (utf8 != NULL, g_strdup (""));

  len = strlen (utf8);
  p = (const guchar *) utf8;
  end = p + len;
  out = g_string_sized_new (len + 1);

  while (p < end)
    {
      const CacheEntry *entry = NULL;
      CharClass klass;
      gsize n;
      gunichar c = decode (p, end, &n);

      p += n;
      if (c < 0x80)
        klass = classify (c);
      else if ((entry = cache_lookup (c)) != NULL)
        klass = entry->klass;
      else
        klass = classify (c);

      switch (klass)
        {
        case CLASS_LETTER:
          if (pending_space && out->len > 0)
            g_string_append_c (out, ' ');
          pending_space = FALSE;
          after_letter = TRUE;
          if (c < 0x80)
            g_string_append_c (out, ascii_upper ((guchar) c));
          else
            {
              if (entry == NULL || !entry->nfc_upper)
                needs_nfc = TRUE;
              append_upper (out, c);
            }
          break;

        case CLASS_MARK:
          if (after_letter)
            {
              needs_nfc = TRUE;
              g_string_append_unichar (out, c);
            }
          break;

        case CLASS_SEPARATOR:
          pending_space = TRUE;
          after_letter = FALSE;
          break;

        case CLASS_OMITTED:
        default:
          after_letter = FALSE;
          break;
        }
    }

  /* Letters in NFC stay so when upper-cased one by one, in the cached blocks */
  if (!needs_nfc)
    return g_string_free (out, FALSE);

  /* Upper-casing went letter by letter (g_utf8_strup would follow the
   * locale: i -> İ in Turkish); composition puts marks back on their letters. */
  nfc = g_utf8_normalize (out->str, out->len, G_NORMALIZE_NFC);
  g_assert (nfc != NULL);
  g_string_free (out, TRUE);
  return nfc;
}

void
tp_name_fold_append (GString    *out,
                     const char *text,
                     gssize      len)
{
  Sink sink;

  g_return_if_fail (out != NULL);
  g_return_if_fail (text != NULL || len == 0);

  if (len < 0)
    len = strlen (text);

  sink.out = out;
  sink.start = out->len;
  sink.pending_space = FALSE;
  fold_into (&sink, text, len);
}

char *
tp_name_fold (const char *utf8)
{
  GString *out;
  gsize len;

  g_return_val_if_fail (utf8 != NULL, g_strdup (""));

  len = strlen (utf8);
  out = g_string_sized_new (len + 1);
  tp_name_fold_append (out, utf8, len);
  return g_string_free (out, FALSE);
}

char **
tp_name_fold_tokens (const char *utf8)
{
  g_autofree char *folded = NULL;

  g_return_val_if_fail (utf8 != NULL, g_new0 (char *, 1));

  folded = tp_name_fold (utf8);
  if (folded[0] == '\0')
    return g_new0 (char *, 1);
  return g_strsplit (folded, " ", -1);
}

gboolean
tp_name_has_diacritics (const char *utf8)
{
  const guchar *p;
  const guchar *end;

  g_return_val_if_fail (utf8 != NULL, FALSE);

  p = (const guchar *) utf8;
  end = p + strlen (utf8);
  while (p < end)
    {
      gsize n;
      gunichar c;

      if (*p < 0x80)
        {
          p++;
          continue;
        }
      c = decode (p, end, &n);
      p += n;
      switch (classify (c))
        {
        case CLASS_LETTER:
        case CLASS_MARK:
          return TRUE;
        case CLASS_SEPARATOR:
        case CLASS_OMITTED:
        default:
          break;
        }
    }
  return FALSE;
}

static void
append_mrz_part (GString    *out,
                 const char *text)
{
  gsize start = out->len;

  tp_name_fold_append (out, text, -1);
  for (gsize i = start; i < out->len; i++)
    if (out->str[i] == ' ')
      out->str[i] = '<';
}

char *
tp_name_to_mrz (const char *primary,
                const char *secondary)
{
  GString *out;

  g_return_val_if_fail (primary != NULL, g_strdup (""));

  out = g_string_new (NULL);
  append_mrz_part (out, primary);
  if (secondary != NULL)
    {
      gsize mark = out->len;

      g_string_append (out, "<<");
      append_mrz_part (out, secondary);
      if (out->len == mark + 2)
        g_string_truncate (out, mark);
    }
  return g_string_free (out, FALSE);
}

/* Decodes text into chars (room for len characters); an invalid byte becomes
 * a lone surrogate, which no valid sequence decodes to, so that invalid bytes
 * compare equal only to themselves. */
static gsize
decode_token (const char *text,
              gsize       len,
              gunichar   *chars)
{
  const guchar *p = (const guchar *) text;
  const guchar *end = p + len;
  gsize n = 0;

  while (p < end)
    {
      gsize step;
      gunichar c = decode (p, end, &step);

      chars[n++] = c == INVALID_CHAR ? 0xDC00 + *p : c;
      p += step;
    }
  return n;
}

guint
tp_name_edit_distance (const char *a,
                       const char *b,
                       guint       max)
{
  gunichar a_short[SHORT_TOKEN];
  gunichar b_short[SHORT_TOKEN];
  guint rows_short[3 * (SHORT_TOKEN + 1)];
  g_autofree gunichar *a_long = NULL;
  g_autofree gunichar *b_long = NULL;
  g_autofree guint *rows_long = NULL;
  const gunichar *s;
  const gunichar *t;
  gunichar *a_chars;
  gunichar *b_chars;
  guint *before;
  guint *prev;
  guint *cur;
  gsize a_len, b_len, ls, lt;

  if (max > G_MAXUINT - 1)
    max = G_MAXUINT - 1;

  g_return_val_if_fail (a != NULL, max + 1);
  g_return_val_if_fail (b != NULL, max + 1);

  a_len = strlen (a);
  b_len = strlen (b);
  if (a_len == b_len && memcmp (a, b, a_len) == 0)
    return 0;

  /* At most one character per byte */
  a_chars = a_len <= SHORT_TOKEN ? a_short : (a_long = g_new (gunichar, a_len));
  b_chars = b_len <= SHORT_TOKEN ? b_short : (b_long = g_new (gunichar, b_len));
  a_len = decode_token (a, a_len, a_chars);
  b_len = decode_token (b, b_len, b_chars);

  /* A common prefix and suffix change nothing (for this distance too) */
  while (a_len > 0 && b_len > 0 && a_chars[0] == b_chars[0])
    a_chars++, b_chars++, a_len--, b_len--;
  while (a_len > 0 && b_len > 0 && a_chars[a_len - 1] == b_chars[b_len - 1])
    a_len--, b_len--;

  /* s is the longer one; rows run over the shorter t */
  if (a_len >= b_len)
    {
      s = a_chars, ls = a_len;
      t = b_chars, lt = b_len;
    }
  else
    {
      s = b_chars, ls = b_len;
      t = a_chars, lt = a_len;
    }

  if (ls - lt > max)
    return max + 1;
  if (lt == 0)
    return (guint) ls;

  if (lt <= SHORT_TOKEN)
    before = rows_short;
  else
    before = rows_long = g_new (guint, 3 * (lt + 1));
  prev = before + (lt + 1);
  cur = prev + (lt + 1);

  for (gsize j = 0; j <= lt; j++)
    prev[j] = j;

  for (gsize i = 1; i <= ls; i++)
    {
      guint row_min;
      guint *tmp;

      cur[0] = i;
      row_min = cur[0];
      for (gsize j = 1; j <= lt; j++)
        {
          guint cost = s[i - 1] != t[j - 1];
          guint v = prev[j - 1] + cost;

          if (prev[j] + 1 < v)
            v = prev[j] + 1;
          if (cur[j - 1] + 1 < v)
            v = cur[j - 1] + 1;
          if (cost && i > 1 && j > 1 && s[i - 1] == t[j - 2] && s[i - 2] == t[j - 1] &&
              before[j - 2] + 1 < v)
            v = before[j - 2] + 1;
          cur[j] = v;
          if (v < row_min)
            row_min = v;
        }

      /* No cell of a later row can be smaller than this row's minimum */
      if (row_min > max)
        return max + 1;

      tmp = before;
      before = prev;
      prev = cur;
      cur = tmp;
    }

  return prev[lt] > max ? max + 1 : prev[lt];
}
