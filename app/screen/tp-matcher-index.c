/* tp-matcher-index.c: building the matcher: entries in, indexes out
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#ifdef __linux__
#include <sys/mman.h>
#endif

#include "tp-country.h"
#include "tp-error.h"
#include "tp-matcher-private.h"
#include "tp-name.h"
#include "tp-screen-resources.h"

#define EQUIVALENCES_RESOURCE "/org/touchpoint/Touchpoint/screen/surname-equivalences.txt"

static void
growing_buffer_reserve (GrowingBuffer *buf,
                        gsize          need)
{
  gsize cap;

  if (need <= buf->cap)
    return;
  cap = MAX (need, buf->cap * 2);
  cap = MAX (cap, 1 << 20);
  cap = (cap + 4095) & ~(gsize) 4095;
#ifdef __linux__
  {
    void *p = buf->data == NULL
            ? mmap (NULL, cap, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
            : mremap (buf->data, buf->cap, cap, MREMAP_MAYMOVE);

    if (p == MAP_FAILED)
      g_error ("tp-matcher: cannot map %" G_GSIZE_FORMAT " bytes", cap);
#ifdef MADV_HUGEPAGE
    madvise (p, cap, MADV_HUGEPAGE);
#endif
    buf->data = p;
  }
#else
  buf->data = g_realloc (buf->data, cap);
#endif
  buf->cap = cap;
}

static gpointer
growing_buffer_append (GrowingBuffer *buf,
                       gconstpointer  src,
                       gsize          n)
{
  gpointer dest;

  growing_buffer_reserve (buf, buf->len + n);
  dest = (char *) buf->data + buf->len;
  if (n > 0)
    memcpy (dest, src, n);
  buf->len += n;
  return dest;
}

static void
growing_buffer_clear (GrowingBuffer *buf)
{
  if (buf->data != NULL)
    {
#ifdef __linux__
      munmap (buf->data, buf->cap);
#else
      g_free (buf->data);
#endif
    }
  memset (buf, 0, sizeof *buf);
}

static guint32
arena_add (TpMatcher  *self,
           const char *s)
{
  guint32 offset = (guint32) self->strings.len;

  growing_buffer_append (&self->strings, s, strlen (s) + 1);
  return offset;
}

static void
vocab_init (Vocab *vocab)
{
  vocab->index = g_hash_table_new (g_str_hash, g_str_equal);
  vocab->strings = g_ptr_array_new_with_free_func (g_free);
}

static void
vocab_clear (Vocab *vocab)
{
  g_clear_pointer (&vocab->index, g_hash_table_unref);
  g_clear_pointer (&vocab->strings, g_ptr_array_unref);
}

static guint32
vocab_lookup (const Vocab *vocab,
              const char  *s)
{
  gpointer p = g_hash_table_lookup (vocab->index, s);

  return p != NULL ? GPOINTER_TO_UINT (p) - 1 : NO_ID;
}

static guint32
vocab_intern (Vocab      *vocab,
              const char *s)
{
  guint32 id = vocab_lookup (vocab, s);
  char *copy;

  if (id != NO_ID)
    return id;
  copy = g_strdup (s);
  id = vocab->strings->len;
  g_ptr_array_add (vocab->strings, copy);
  g_hash_table_insert (vocab->index, copy, GUINT_TO_POINTER (id + 1));
  return id;
}

guint64
_tp_matcher_hash_bytes (const char *s,
                        gsize       len,
                        gsize       skip)
{
  guint64 h = G_GUINT64_CONSTANT (14695981039346656037);

  for (gsize i = 0; i < len; i++)
    {
      if (i == skip)
        continue;
      h ^= (guchar) s[i];
      h *= G_GUINT64_CONSTANT (1099511628211);
    }
  return h ^ (h >> 29);
}

guint32
_tp_matcher_identifier_hash (guint8      type,
                             const char *value)
{
  return (guint32) _tp_matcher_hash_bytes (value, strlen (value), G_MAXSIZE) ^ (type * 0x9E3779B1u);
}

/* Equivalences */

static gboolean
parse_equivalences (const char  *text,
                    GPtrArray   *groups,
                    GError     **error)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *hash = strchr (lines[i], '#');
      g_autofree char *accented = NULL;
      g_auto(GStrv) members = NULL;

      if (hash != NULL)
        *hash = '\0';
      accented = tp_name_accented (lines[i]);
      if (accented[0] == '\0')
        continue;
      members = g_strsplit (accented, " ", -1);
      if (g_strv_length (members) < 2)
        {
          g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT,
                       "surname equivalences, line %u: “%s” has one name, expected two or more",
                       i + 1, g_strstrip (lines[i]));
          return FALSE;
        }
      for (guint k = 0; members[k] != NULL; k++)
        {
          char *folded = tp_name_fold (members[k]);
          guint other = GPOINTER_TO_UINT (g_hash_table_lookup (seen, folded));

          if (other != 0 && other != i + 1)
            {
              g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT,
                           "surname equivalences, line %u: %s is already in the group of line %u; "
                           "a name belongs to one group only",
                           i + 1, members[k], other);
              g_free (folded);
              return FALSE;
            }
          g_hash_table_insert (seen, folded, GUINT_TO_POINTER (i + 1));
        }
      if (groups->len >= G_MAXUINT16 - 1)
        {
          g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT,
                       "surname equivalences, line %u: more than %u groups",
                       i + 1, G_MAXUINT16 - 2);
          return FALSE;
        }
      g_ptr_array_add (groups, g_steal_pointer (&members));
    }
  return TRUE;
}

static void
index_equivalences (TpMatcher *self)
{
  g_hash_table_remove_all (self->group_by_folded);
  g_hash_table_remove_all (self->group_by_accented);

  for (guint g = 0; g < self->equiv_groups->len; g++)
    {
      GStrv members = g_ptr_array_index (self->equiv_groups, g);

      for (guint i = 0; members[i] != NULL; i++)
        {
          char *folded = tp_name_fold (members[i]);

          if (!g_hash_table_contains (self->group_by_accented, members[i]))
            g_hash_table_insert (self->group_by_accented, g_strdup (members[i]),
                                 GUINT_TO_POINTER (g + 1));
          if (!g_hash_table_contains (self->group_by_folded, folded))
            g_hash_table_insert (self->group_by_folded, folded, GUINT_TO_POINTER (g + 1));
          else
            g_free (folded);
        }
    }
}

/* Issuing states and nationalities as the country table compares them
 * (tp-country.h): the code ICAO prints, so that a German passport's D and a
 * list's DEU are one state. */
void
_tp_matcher_normalize_state (const char *in,
                             char        out[4])
{
  const TpCountry *country;

  memset (out, 0, 4);
  if (in == NULL)
    return;
  country = tp_country_lookup (in);
  if (country != NULL)
    in = country->icao;
  for (guint i = 0; i < 3 && in[i] != '\0'; i++)
    out[i] = g_ascii_toupper (in[i]);
}

guint16
_tp_matcher_group_of (GHashTable *table,
                      const char *s)
{
  return (guint16) GPOINTER_TO_UINT (g_hash_table_lookup (table, s));
}

/* Name tokens */

/* The tokens of one run of text without spaces, computed with the name
 * normaliser. Building interns them; querying only looks them up (NO_ID
 * for a token the list does not have) and hands the strings out. */
void
_tp_matcher_compute_raw (TpMatcher   *self,
                         const char  *raw,
                         gboolean     intern,
                         RawToken    *info,
                         char       **folded_out,
                         char       **accented_out)
{
  g_autofree char *accented = tp_name_accented (raw);
  g_auto(GStrv) parts = g_strsplit (accented, " ", -1);

  memset (info, 0, sizeof *info);
  for (guint i = 0; parts[i] != NULL && info->n < MAX_SPLIT; i++)
    {
      g_autofree char *fold = NULL;
      GString *clean;

      if (parts[i][0] == '\0')
        continue;
      fold = tp_name_fold (parts[i]);
      clean = g_string_new (NULL);
      for (const char *p = fold; *p != '\0'; p++)
        if (*p != ' ')
          g_string_append_c (clean, *p);
      if (clean->len == 0)
        {
          g_string_free (clean, TRUE);
          continue;
        }
      if (tp_name_has_diacritics (parts[i]))
        info->diacritics = TRUE;
      if (intern)
        {
          info->folded[info->n] = vocab_intern (&self->folded, clean->str);
          info->accented[info->n] = vocab_intern (&self->accented, parts[i]);
          g_string_free (clean, TRUE);
        }
      else
        {
          info->folded[info->n] = vocab_lookup (&self->folded, clean->str);
          info->accented[info->n] = vocab_lookup (&self->accented, parts[i]);
          folded_out[info->n] = g_string_free (clean, FALSE);
          accented_out[info->n] = g_strdup (parts[i]);
        }
      info->n++;
    }
}

void
_tp_matcher_foreach_raw (TpMatcher  *self,
                         const char *text,
                         RawFunc     func,
                         gpointer    user_data)
{
  const char *p = text;

  while (*p != '\0')
    {
      const char *start;

      while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '<')
        p++;
      if (*p == '\0')
        break;
      start = p;
      while (*p != '\0' && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r' && *p != '<')
        p++;
      {
        char buf[256];
        gsize len = (gsize) (p - start);
        g_autofree char *heap = NULL;
        char *raw = buf;

        if (len >= sizeof buf)
          raw = heap = g_malloc (len + 1);
        memcpy (raw, start, len);
        raw[len] = '\0';
        func (self, raw, user_data);
      }
    }
}

typedef struct {
  guint32  folded[TP_MATCHER_MAX_TOKENS];
  guint32  accented[TP_MATCHER_MAX_TOKENS];
  guint    n;
  gboolean diacritics;
} EntryTokens;

static void
entry_raw_cb (TpMatcher  *self,
              const char *raw,
              gpointer    user_data)
{
  EntryTokens *out = user_data;
  RawToken *info = g_hash_table_lookup (self->raw_cache, raw);

  if (info == NULL)
    {
      info = g_new (RawToken, 1);
      _tp_matcher_compute_raw (self, raw, TRUE, info, NULL, NULL);
      g_hash_table_insert (self->raw_cache, g_strdup (raw), info);
    }
  if (info->diacritics)
    out->diacritics = TRUE;
  for (guint i = 0; i < info->n && out->n < TP_MATCHER_MAX_TOKENS; i++)
    {
      out->folded[out->n] = info->folded[i];
      out->accented[out->n] = info->accented[i];
      out->n++;
    }
}

static void
rows_build (CompressedRows *csr,
            guint           n_keys,
            const guint32  *counts,
            gsize           n_items)
{
  csr->n_keys = n_keys;
  csr->offsets = g_new (guint32, n_keys + 1);
  /* Zero-filled, large: a mapping of its own (see GrowingBuffer) */
  growing_buffer_reserve (&csr->items_buf, MAX (n_items, 1) * sizeof (guint32));
  csr->items = csr->items_buf.data;
  csr->offsets[0] = 0;
  for (guint k = 0; k < n_keys; k++)
    csr->offsets[k + 1] = csr->offsets[k] + counts[k];
}

static void
rows_clear (CompressedRows *csr)
{
  g_clear_pointer (&csr->offsets, g_free);
  growing_buffer_clear (&csr->items_buf);
  csr->items = NULL;
  csr->n_keys = 0;
}

static int
compare_deletions (const void *a,
                   const void *b)
{
  const Deletion *x = a, *y = b;

  if (x->hash != y->hash)
    return x->hash < y->hash ? -1 : 1;
  return x->token < y->token ? -1 : (x->token > y->token);
}

static int
compare_vocab (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  const Vocab *vocab = user_data;

  return strcmp (vocab_string (vocab, *(const guint32 *) a),
                 vocab_string (vocab, *(const guint32 *) b));
}

/* Identifiers: open addressing, load factor at most one half. Runs on its
 * own thread while the other indexes are built (it is half the work, and
 * touches nothing they touch). */
static gpointer
build_identifiers (gpointer data)
{
  TpMatcher *self = data;
  guint32 capacity = 16;

  while (capacity < N_IDENTS (self) * 2u + 1)
    capacity *= 2;
  growing_buffer_reserve (&self->id_buf, capacity * sizeof (guint32));
  self->id_slots = self->id_buf.data;
#ifndef __linux__
  memset (self->id_slots, 0, capacity * sizeof (guint32));
#endif
  self->id_mask = capacity - 1;
  for (guint k = 0; k < N_IDENTS (self); k++)
    {
      const IndexedIdentifier *id = ident_at (self, k);
      guint32 slot = _tp_matcher_identifier_hash (id->type, arena (self, id->value_offset)) & self->id_mask;

      while (self->id_slots[slot] != 0)
        slot = (slot + 1) & self->id_mask;
      self->id_slots[slot] = k + 1;
    }
  return NULL;
}

static void
clearance_list_free (gpointer data)
{
  g_array_unref (data);
}

/* Public API */

TpMatcher *
tp_matcher_new (void)
{
  TpMatcher *self = g_new0 (TpMatcher, 1);
  g_autoptr(GBytes) bytes = NULL;

  growing_buffer_append (&self->strings, "", 1);
  vocab_init (&self->folded);
  vocab_init (&self->accented);
  self->raw_cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->equiv_groups = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  self->group_by_folded = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->group_by_accented = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->clearances = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, clearance_list_free);
  self->no_birth = g_array_new (FALSE, FALSE, sizeof (guint32));

  /* Through the library's own resource, so that a static link keeps it. */
  bytes = g_resource_lookup_data (tp_screen_get_resource (), EQUIVALENCES_RESOURCE,
                                  G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  if (bytes != NULL)
    {
      g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
      g_autoptr(GError) error = NULL;

      if (!parse_equivalences (text, self->equiv_groups, &error))
        g_critical ("Built-in surname equivalences: %s", error->message);
      index_equivalences (self);
    }
  return self;
}

void
tp_matcher_free (TpMatcher *self)
{
  if (self == NULL)
    return;
  growing_buffer_clear (&self->recs);
  growing_buffer_clear (&self->tokens);
  growing_buffer_clear (&self->accents);
  growing_buffer_clear (&self->idents);
  growing_buffer_clear (&self->strings);
  vocab_clear (&self->folded);
  vocab_clear (&self->accented);
  g_clear_pointer (&self->raw_cache, g_hash_table_unref);
  g_clear_pointer (&self->equiv_groups, g_ptr_array_unref);
  g_clear_pointer (&self->group_by_folded, g_hash_table_unref);
  g_clear_pointer (&self->group_by_accented, g_hash_table_unref);
  g_clear_pointer (&self->clearances, g_hash_table_unref);
  g_clear_pointer (&self->no_birth, g_array_unref);
  g_free (self->df);
  g_free (self->weight);
  g_free (self->pos_weight);
  g_free (self->sex_pos_df);
  g_free (self->sex_pos_adf);
  g_free (self->accented_df);
  g_free (self->folded_len);
  g_free (self->folded_group);
  g_free (self->accented_group);
  rows_clear (&self->postings);
  rows_clear (&self->by_day);
  rows_clear (&self->by_month);
  rows_clear (&self->by_year);
  rows_clear (&self->group_members);
  growing_buffer_clear (&self->id_buf);
  g_free (self->deletions);
  g_free (self->sorted_vocab);
  g_free (self);
}

gboolean
tp_matcher_set_equivalences (TpMatcher   *self,
                             const char  *text,
                             GError     **error)
{
  g_autoptr(GPtrArray) groups = NULL;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (!self->built, FALSE);

  groups = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  if (!parse_equivalences (text, groups, error))
    return FALSE;
  g_ptr_array_unref (self->equiv_groups);
  self->equiv_groups = g_steal_pointer (&groups);
  index_equivalences (self);
  return TRUE;
}

void
tp_matcher_add_entry (TpMatcher     *self,
                      const TpEntry *entry)
{
  IndexedEntry rec;
  EntryTokens tokens = { { 0, }, { 0, }, 0, FALSE };

  g_return_if_fail (self != NULL);
  g_return_if_fail (entry != NULL && entry->id != NULL);
  g_return_if_fail (!self->built);

  if (entry->status == TP_ENTRY_CANCELLED)
    {
      self->n_cancelled++;
      return;
    }
  if (N_ENTRIES (self) >= G_MAXUINT32 - 1 || self->strings.len >= G_MAXUINT32 - 4096)
    {
      g_critical ("tp_matcher_add_entry: too many entries");
      return;
    }

  memset (&rec, 0, sizeof rec);
  rec.id_offset = arena_add (self, entry->id);
  rec.version = entry->version;
  rec.list = (guint8) entry->list;
  rec.agency = (guint8) entry->agency;
  rec.action = (guint8) entry->action;
  rec.sex = entry->sex;
  rec.birth_year = entry->birth_date.year;
  rec.birth_month = entry->birth_date.month;
  rec.birth_day = rec.birth_month != 0 ? entry->birth_date.day : 0;
  {
    char state[4];

    _tp_matcher_normalize_state (entry->nationality[0] != '\0' ? entry->nationality : NULL, state);
    memcpy (rec.nationality, state, 3);
  }
  /* As tp_entry_is_effective(): no valid start, never effective */
  rec.from = g_date_valid (&entry->effective_from) ? g_date_get_julian (&entry->effective_from) : G_MAXUINT32;
  rec.until = g_date_valid (&entry->effective_until) ? g_date_get_julian (&entry->effective_until) : 0;

  if (entry->full_name != NULL)
    _tp_matcher_foreach_raw (self, entry->full_name, entry_raw_cb, &tokens);
  rec.token_offset = N_TOKENS (self);
  rec.n_tokens = (guint8) tokens.n;
  if (tokens.diacritics)
    rec.flags |= ENTRY_ACCENTED;
  growing_buffer_append (&self->tokens, tokens.folded, tokens.n * sizeof (guint32));
  growing_buffer_append (&self->accents, tokens.accented, tokens.n * sizeof (guint32));

  rec.ident_offset = N_IDENTS (self);
  for (guint i = 0; entry->identifiers != NULL && i < entry->identifiers->len && rec.n_idents < 255; i++)
    {
      const TpIdentifier *identifier = g_ptr_array_index (entry->identifiers, i);
      IndexedIdentifier id;
      char state[4];

      /* A 12-digit tax code is the person's national ID (Vietnam, since
       * 1 July 2025): compared as one */
      if (identifier->value == NULL ||
          (identifier->type != TP_ID_PASSPORT && !tp_identifier_is_personal_number (identifier)))
        continue;
      memset (&id, 0, sizeof id);
      id.rec = N_ENTRIES (self);
      id.value_offset = arena_add (self, identifier->value);
      id.type = identifier->type == TP_ID_PASSPORT ? TP_ID_PASSPORT : TP_ID_NATIONAL_ID;
      _tp_matcher_normalize_state (identifier->country, state);
      memcpy (id.country, state, 3);
      growing_buffer_append (&self->idents, &id, sizeof id);
      rec.n_idents++;
    }
  if (rec.n_idents == 0)
    self->n_name_only++;
  growing_buffer_append (&self->recs, &rec, sizeof rec);
}

void
tp_matcher_add_clearance (TpMatcher  *self,
                          const char *document_key,
                          const char *entry_id,
                          guint       entry_version,
                          gint64      expires_at)
{
  char *key;
  GArray *list;
  Clearance c = { entry_version, expires_at };

  g_return_if_fail (self != NULL);
  g_return_if_fail (document_key != NULL && entry_id != NULL);

  key = g_strconcat (document_key, "\x1f", entry_id, NULL);
  list = g_hash_table_lookup (self->clearances, key);
  if (list == NULL)
    {
      list = g_array_new (FALSE, FALSE, sizeof (Clearance));
      g_hash_table_insert (self->clearances, key, list);
    }
  else
    g_free (key);
  g_array_append_val (list, c);
}

void
tp_matcher_build (TpMatcher *self)
{
  guint n = N_ENTRIES (self);
  guint n_vocab = self->folded.strings->len;
  guint n_acc = self->accented.strings->len;
  g_autofree guint32 *counts = NULL;
  g_autofree guint32 *cursor = NULL;
  GArray *dels;
  GThread *identifiers;

  g_return_if_fail (self != NULL);
  g_return_if_fail (!self->built);

  identifiers = g_thread_new ("tp-matcher-ids", build_identifiers, self);

  /* Vocabulary: frequencies, weights, lengths, groups */
  self->df = g_new0 (guint32, MAX (n_vocab, 1));
  self->weight = g_new0 (float, MAX (n_vocab, 1));
  self->pos_weight = g_new0 (float, (gsize) MAX (n_vocab, 1) * N_POS);
  self->sex_pos_df = g_new0 (guint32, (gsize) MAX (n_vocab, 1) * N_POS * 2);
  self->sex_pos_adf = g_new0 (guint32, (gsize) MAX (n_acc, 1) * N_POS * 2);
  self->folded_len = g_new0 (guint8, MAX (n_vocab, 1));
  self->folded_group = g_new0 (guint16, MAX (n_vocab, 1));
  self->accented_group = g_new0 (guint16, MAX (n_acc, 1));
  self->accented_df = g_new0 (guint32, MAX (n_acc, 1));
  {
    g_autofree guint32 *pos_df = g_new0 (guint32, (gsize) MAX (n_vocab, 1) * N_POS);

    /* Entries carrying each token (folded, and as written), and each
     * folded token in each place */
    memset (self->n_by_sex, 0, sizeof self->n_by_sex);
    for (guint r = 0; r < n; r++)
      {
        const IndexedEntry *rec = entry_at (self, r);
        const guint32 *ef = folded_at (self, rec->token_offset);
        const guint32 *ea = accents_at (self, rec->token_offset);

        if (rec->sex == 'M' || rec->sex == 'F')
          self->n_by_sex[rec->sex == 'F']++;

        for (guint j = 0; j < rec->n_tokens; j++)
          {
            gboolean seen_folded = FALSE, seen_accented = FALSE;

            for (guint k = 0; k < j; k++)
              {
                seen_folded |= ef[k] == ef[j];
                seen_accented |= ea[k] == ea[j];
              }
            if (!seen_folded)
              self->df[ef[j]]++;
            if (!seen_accented)
              self->accented_df[ea[j]]++;
            pos_df[(gsize) ef[j] * N_POS + token_position (j, rec->n_tokens)]++;
            if (rec->sex == 'M' || rec->sex == 'F')
              {
                guint place = token_position (j, rec->n_tokens);

                self->sex_pos_df[((gsize) ef[j] * N_POS + place) * 2 + (rec->sex == 'F')]++;
                /* as written, from entries that carry diacritics */
                if (rec->flags & ENTRY_ACCENTED)
                  self->sex_pos_adf[((gsize) ea[j] * N_POS + place) * 2 + (rec->sex == 'F')]++;
              }
          }
      }
    /* Smoothed: a token never seen in a place is as rare as one seen once. */
    for (gsize k = 0; k < (gsize) n_vocab * N_POS; k++)
      self->pos_weight[k] = (float) log ((double) (n + 1) / (pos_df[k] + 1));
  }
  for (guint32 id = 0; id < n_vocab; id++)
    {
      const char *s = vocab_string (&self->folded, id);

      self->weight[id] = self->df[id] > 0 ? (float) log ((double) MAX (n, 1) / self->df[id]) : 0.0f;
      self->folded_len[id] = (guint8) MIN (strlen (s), 255);
      self->folded_group[id] = _tp_matcher_group_of (self->group_by_folded, s);
    }
  for (guint32 id = 0; id < n_acc; id++)
    self->accented_group[id] = _tp_matcher_group_of (self->group_by_accented, vocab_string (&self->accented, id));

  /* Group members (folded ids) */
  {
    guint n_groups = self->equiv_groups->len + 1;
    gsize total = 0;

    counts = g_new0 (guint32, n_groups);
    for (guint32 id = 0; id < n_vocab; id++)
      if (self->folded_group[id] != 0)
        {
          counts[self->folded_group[id]]++;
          total++;
        }
    rows_build (&self->group_members, n_groups, counts, total);
    cursor = g_memdup2 (self->group_members.offsets, n_groups * sizeof (guint32));
    for (guint32 id = 0; id < n_vocab; id++)
      if (self->folded_group[id] != 0)
        self->group_members.items[cursor[self->folded_group[id]]++] = id;
    g_clear_pointer (&counts, g_free);
    g_clear_pointer (&cursor, g_free);
  }

  /* Postings */
  rows_build (&self->postings, n_vocab, self->df, N_TOKENS (self));
  cursor = g_memdup2 (self->postings.offsets, (n_vocab + 1) * sizeof (guint32));
  for (guint r = 0; r < n; r++)
    {
      const IndexedEntry *rec = entry_at (self, r);
      const guint32 *ef = folded_at (self, rec->token_offset);

      for (guint j = 0; j < rec->n_tokens; j++)
        {
          gboolean seen = FALSE;

          for (guint k = 0; k < j; k++)
            seen |= ef[k] == ef[j];
          if (!seen)
            self->postings.items[cursor[ef[j]]++] = r;
        }
    }
  g_clear_pointer (&cursor, g_free);

  /* Birth dates */
  {
    guint32 *day_counts = g_new0 (guint32, DAY_KEYS);
    guint32 *month_counts = g_new0 (guint32, YM_KEYS);
    guint32 *year_counts = g_new0 (guint32, DOB_YEARS);
    gsize n_day = 0, n_month = 0, n_year = 0;

    for (guint r = 0; r < n; r++)
      {
        const IndexedEntry *rec = entry_at (self, r);

        if (!year_in_range (rec->birth_year) || rec->birth_month > 12 || rec->birth_day > 31)
          g_array_append_val (self->no_birth, r);
        else if (rec->birth_month != 0 && rec->birth_day != 0)
          day_counts[day_key (rec->birth_year, rec->birth_month, rec->birth_day)]++, n_day++;
        else if (rec->birth_month != 0)
          month_counts[month_key (rec->birth_year, rec->birth_month)]++, n_month++;
        else
          year_counts[rec->birth_year - DOB_BASE_YEAR]++, n_year++;
      }
    rows_build (&self->by_day, DAY_KEYS, day_counts, n_day);
    rows_build (&self->by_month, YM_KEYS, month_counts, n_month);
    rows_build (&self->by_year, DOB_YEARS, year_counts, n_year);
    memcpy (day_counts, self->by_day.offsets, DAY_KEYS * sizeof (guint32));
    memcpy (month_counts, self->by_month.offsets, YM_KEYS * sizeof (guint32));
    memcpy (year_counts, self->by_year.offsets, DOB_YEARS * sizeof (guint32));
    for (guint r = 0; r < n; r++)
      {
        const IndexedEntry *rec = entry_at (self, r);

        if (!year_in_range (rec->birth_year) || rec->birth_month > 12 || rec->birth_day > 31)
          continue;
        if (rec->birth_month != 0 && rec->birth_day != 0)
          self->by_day.items[day_counts[day_key (rec->birth_year, rec->birth_month, rec->birth_day)]++] = r;
        else if (rec->birth_month != 0)
          self->by_month.items[month_counts[month_key (rec->birth_year, rec->birth_month)]++] = r;
        else
          self->by_year.items[year_counts[rec->birth_year - DOB_BASE_YEAR]++] = r;
      }
    g_free (day_counts);
    g_free (month_counts);
    g_free (year_counts);
  }

  /* Deletion neighbourhood of every token: typos between long tokens,
   * slips in short ones */
  dels = g_array_new (FALSE, FALSE, sizeof (Deletion));
  for (guint32 id = 0; id < n_vocab; id++)
    {
      const char *s = vocab_string (&self->folded, id);
      gsize len = self->folded_len[id];

      for (gsize skip = 0; skip <= len; skip++)
        {
          Deletion d;

          memset (&d, 0, sizeof d);
          d.hash = _tp_matcher_hash_bytes (s, len, skip == len ? G_MAXSIZE : skip);
          d.token = id;
          g_array_append_val (dels, d);
        }
    }
  if (dels->len > 1)
    qsort (dels->data, dels->len, sizeof (Deletion), compare_deletions);
  self->n_deletions = dels->len;
  self->deletions = (Deletion *) (void *) g_array_free (dels, FALSE);

  /* Vocabulary in string order, for MRZ prefixes */
  self->sorted_vocab = g_new (guint32, MAX (n_vocab, 1));
  for (guint32 id = 0; id < n_vocab; id++)
    self->sorted_vocab[id] = id;
  g_qsort_with_data (self->sorted_vocab, (gint) n_vocab, sizeof (guint32), compare_vocab, &self->folded);

  g_thread_join (identifiers);
  self->built = TRUE;
}

void
tp_matcher_get_stats (TpMatcher      *self,
                      TpMatcherStats *stats)
{
  gsize bytes = 0;
  guint n_vocab;

  g_return_if_fail (self != NULL);
  g_return_if_fail (stats != NULL);

  n_vocab = self->folded.strings->len;
  memset (stats, 0, sizeof *stats);
  stats->n_entries = N_ENTRIES (self);
  stats->n_cancelled = self->n_cancelled;
  stats->n_tokens = n_vocab;
  stats->n_identifiers = N_IDENTS (self);
  stats->n_clearances = g_hash_table_size (self->clearances);

  bytes += self->recs.len + self->tokens.len + self->accents.len + self->idents.len + self->strings.len;
  if (self->built)
    {
      bytes += (gsize) n_vocab * (sizeof (guint32) + sizeof (float) + 1 + 2 + 4);
      bytes += ((gsize) self->postings.n_keys + 1 + N_TOKENS (self)) * sizeof (guint32);
      bytes += ((gsize) DAY_KEYS + YM_KEYS + DOB_YEARS + 3 + N_ENTRIES (self)) * sizeof (guint32);
      bytes += (gsize) (self->id_mask + 1) * sizeof (guint32);
      bytes += self->n_deletions * sizeof (Deletion);
      bytes += (gsize) (n_vocab + self->accented.strings->len) * N_POS * 2 * sizeof (guint32);   /* sex_pos_df, _adf */
    }
  stats->memory_bytes = bytes;
}
