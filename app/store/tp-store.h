/* tp-store.h: the terminal's encrypted store (SQLCipher)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One database file per terminal, encrypted with a raw 256-bit key from a
 * TpKeySource (the key never lives in the file). It holds:
 *  - list entries with their full version history (impose, extend and
 *    cancel are versions of one id), and the current version of every id
 *    in denormalised columns, so that loading the lists for the matcher
 *    does not parse JSON;
 *  - the list-state hash (tp-state-hash.h), updated in the same
 *    transaction as every batch;
 *  - the cleared-pairs memory (supervisor clearances of false positives);
 *  - the hash-chained audit log (tp-audit-log.h);
 *  - the feed position and other small values (a key/value table).
 *
 * Opening: the file is never replaced. A store is created only with
 * TP_STORE_OPEN_CREATE and only where no file exists (O_EXCL). A wrong
 * key, a file that is not a database, or a database that is not a
 * Touchpoint store give TP_STORE_ERROR_WRONG_KEY and the file is left byte
 * for byte as it was (nothing is written before the key is proven right).
 *
 * Concurrency: the database runs in WAL mode. A batch is one transaction
 * (BEGIN IMMEDIATE): other connections, in this process or another, see
 * all of it or none of it, and a process killed in the middle leaves the
 * store as it was before the batch. A TpStore is one connection: use it
 * from one thread at a time, and open another TpStore on the same file
 * for another thread (readers never block the writer, nor the reverse).
 *
 * SQL is kept to what SQLite 3.15 (SQLCipher 3.4) understands: no UPSERT,
 * no RETURNING, no window functions, so that it runs on SQLCipher 4 too.
 * The key is given raw (PRAGMA key = "x'…'": no KDF) and the page size is
 * fixed at 16 KiB on every open. A file written by SQLCipher 3 opens in
 * SQLCipher 4 only with PRAGMA cipher_compatibility = 3 (its HMAC and KDF
 * defaults changed): not handled yet, as both builds create their own stores.
 *
 * Inspecting a store by hand: sqlcipher PATH, then
 *   PRAGMA key = "x'<the 64 hex digits of the key file>'";
 *   PRAGMA cipher_page_size = 16384;
 */
#pragma once

#include <gio/gio.h>

#include "tp-entry.h"
#include "tp-key-source.h"
#include "tp-state-hash.h"

G_BEGIN_DECLS

#define TP_STORE_ERROR (tp_store_error_quark ())

/**
 * TpStoreError:
 * @TP_STORE_ERROR_WRONG_KEY: the key does not open the file, or the file is
 *   not a Touchpoint store (SQLCipher cannot tell the two apart)
 * @TP_STORE_ERROR_NOT_FOUND: no store at that path (and no CREATE flag)
 * @TP_STORE_ERROR_EXISTS: TP_STORE_OPEN_EXCLUSIVE and a file is there
 * @TP_STORE_ERROR_TOO_NEW: the store was written by a newer Touchpoint
 * @TP_STORE_ERROR_BUSY: another connection holds the write lock too long
 * @TP_STORE_ERROR_INVALID: a caller passed a value the store refuses
 * @TP_STORE_ERROR_FAILED: any other failure (I/O, corruption)
 * @TP_STORE_ERROR_MISMATCH: after a feed batch or a replacement the list's
 *   state hash or entry count is not the one expected (nothing was changed)
 */
typedef enum {
  TP_STORE_ERROR_WRONG_KEY,
  TP_STORE_ERROR_NOT_FOUND,
  TP_STORE_ERROR_EXISTS,
  TP_STORE_ERROR_TOO_NEW,
  TP_STORE_ERROR_BUSY,
  TP_STORE_ERROR_INVALID,
  TP_STORE_ERROR_FAILED,
  TP_STORE_ERROR_MISMATCH,
} TpStoreError;

GQuark tp_store_error_quark (void);

typedef enum {
  TP_STORE_OPEN_NONE      = 0,
  /* Create the store (and, through the key source, its key) when no file
   * is at the path. An existing file is opened, never replaced. */
  TP_STORE_OPEN_CREATE    = 1 << 0,
  /* With CREATE: fail with TP_STORE_ERROR_EXISTS when a file is there. */
  TP_STORE_OPEN_EXCLUSIVE = 1 << 1,
} TpStoreOpenFlags;

/* The schema version this build writes (PRAGMA user_version). */
#define TP_STORE_SCHEMA_VERSION 3

#define TP_TYPE_STORE (tp_store_get_type ())
G_DECLARE_FINAL_TYPE (TpStore, tp_store, TP, STORE, GObject)

TpStore    *tp_store_open                (const char        *path,
                                          TpKeySource       *key_source,
                                          TpStoreOpenFlags   flags,
                                          GError           **error);
const char *tp_store_get_path            (TpStore           *store);
/* TRUE when this tp_store_open() created the file. */
gboolean    tp_store_get_created         (TpStore           *store);
guint       tp_store_get_schema_version  (TpStore           *store);

/* Entries ----------------------------------------------------------------- */

typedef struct {
  guint   applied;          /* versions that became current */
  guint   ignored;          /* versions older than the current one, and exact
                             * repeats of the current one (idempotent) */
  GArray *ignored_indices;  /* of guint: positions in the batch of the ignored versions */
  GArray *ignored_current;  /* of guint: the current version each one was ignored against */
  char    state_hash[TP_STATE_HASH_HEX_LEN + 1];   /* after the batch */
  guint   conflicts;        /* the current version again, with different content:
                             * not applied (a change needs a new version) */
  GArray *conflict_indices; /* of guint: positions in the batch of the conflicts */
} TpStoreBatchResult;

void        tp_store_batch_result_clear  (TpStoreBatchResult *result);

/* Feed position (for the sync client): where the terminal is in the hub's
 * change log (docs/feed.md §6). Times are unix seconds; 0 = unknown. */
typedef struct {
  gint64  sequence;         /* last applied change sequence; 0 = never synced */
  char   *head_hash;        /* SHA-256 (hex) of the signed head last accepted, or NULL */
  gint64  head_issued_at;   /* of the newest head accepted */
  gint64  head_expires_at;
  gint64  updated_at;       /* when it was written on this terminal */
  char   *chain;            /* hash (hex) of the last segment applied (or of the
                             * snapshot's segment_hash); NULL before any */
  gint64  head_seq;         /* seq of the newest head accepted: a head below it
                             * is a rollback, even after a snapshot older than it */
} TpFeedPosition;

void        tp_feed_position_clear       (TpFeedPosition    *position);

/* Applies a batch of entry versions (TpEntry*, already validated by the
 * decoder) in one transaction: a version greater than the stored current
 * one becomes current (and goes into the history); an older one, or the
 * current one again with the same content (same canonical JSON), is
 * ignored; the current version again with different content is a
 * conflict: not applied, the stored version stays. Both are reported in
 * @result, and the batch still applies the rest. Versions of one id may
 * follow each other in a batch (a later one is compared with what the
 * batch made current). The state hash, an audit record ("list.batch") and, when
 * @position is not NULL, the feed position are written in the same
 * transaction. @result is always initialised (clear it). */
gboolean    tp_store_apply_batch         (TpStore            *store,
                                          GPtrArray          *entries,
                                          TpStoreBatchResult *result,
                                          GError            **error);
gboolean    tp_store_apply_batch_full    (TpStore              *store,
                                          GPtrArray            *entries,
                                          const TpFeedPosition *position,
                                          const char           *actor,
                                          TpStoreBatchResult   *result,
                                          GError              **error);

/* The same for a batch from the feed (one segment): when the batch has
 * been applied, the list's state hash and entry count must equal
 * @expected_hash and @expected_entries, else nothing is changed and the
 * error is TP_STORE_ERROR_MISMATCH. The state hash, the entry count, the
 * feed position and an audit record ("list.batch", actor "sync") are
 * written in the same transaction. */
gboolean    tp_store_apply_feed_batch    (TpStore              *store,
                                          GPtrArray            *entries,
                                          const TpFeedPosition *position,
                                          const TpStateHash    *expected_hash,
                                          guint64               expected_entries,
                                          TpStoreBatchResult   *result,
                                          GError              **error);

/* Replacing the whole list (a snapshot from the feed) --------------------
 *
 * tp_store_replace_begin() prepares an empty list beside the current one;
 * tp_store_replace_add() adds the latest version of each id (ids in any
 * order, each once); tp_store_replace_commit() swaps it in atomically,
 * with the feed position, when its state hash and entry count are the
 * ones expected (TP_STORE_ERROR_MISMATCH otherwise, and the list stays as
 * it was). The list in use is readable and writable meanwhile: the new
 * one is written over several short transactions, and the swap is one
 * short transaction. An unfinished replacement (freed without commit, or a
 * process killed) leaves the list as it was; the next begin clears its
 * remains. Entry versions not in the new list go with the old one. */
typedef struct _TpStoreReplace TpStoreReplace;

TpStoreReplace *tp_store_replace_begin   (TpStore              *store,
                                          GError              **error);
/* @json: the entry's canonical JSON (tp_entry_to_json()), or NULL */
gboolean    tp_store_replace_add         (TpStoreReplace       *replace,
                                          const TpEntry        *entry,
                                          const char           *json,
                                          GError              **error);
gboolean    tp_store_replace_commit      (TpStoreReplace       *replace,
                                          const TpFeedPosition *position,
                                          const TpStateHash    *expected_hash,
                                          guint64               expected_entries,
                                          const char           *actor,
                                          GError              **error);
/* Entries added so far. */
guint64     tp_store_replace_get_count   (TpStoreReplace       *replace);
void        tp_store_replace_free        (TpStoreReplace       *replace);

typedef gboolean (*TpStoreEntryFunc) (const TpEntry *entry,
                                      gpointer       user_data);

/* Calls @func with the current (latest) version of every id, cancelled
 * ones included, in no particular order, from one consistent snapshot.
 * Return FALSE from @func to stop. The entry and its strings are valid only
 * during the call (tp_entry_copy() to keep one). Reads denormalised columns
 * only: no JSON is parsed. */
gboolean    tp_store_foreach_current     (TpStore           *store,
                                          TpStoreEntryFunc   func,
                                          gpointer           user_data,
                                          GError           **error);

/* Every stored version of @id, oldest first (TpEntry*, owned); an empty
 * array when the id is unknown. The last one is the current version. */
GPtrArray  *tp_store_get_entry           (TpStore           *store,
                                          const char        *id,
                                          GError           **error);

/* Recorded state hash (updated incrementally by every batch). */
gboolean    tp_store_get_state_hash      (TpStore           *store,
                                          TpStateHash       *out,
                                          GError           **error);
/* The recorded state hash and the number of entry ids (cancelled ones
 * included), both kept up to date by every batch, from one snapshot. */
gboolean    tp_store_get_list_state      (TpStore           *store,
                                          TpStateHash       *hash,
                                          guint64           *entries,
                                          GError           **error);
/* The same, recomputed from scratch from the stored canonical JSON of every
 * current version: to check the incremental value. */
gboolean    tp_store_compute_state_hash  (TpStore           *store,
                                          TpStateHash       *out,
                                          GError           **error);

typedef struct {
  guint64     entries;                 /* ids */
  guint64     versions;                /* versions in the history */
  guint64     by_list[2];              /* indexed by TpListKind */
  guint64     by_status[2];            /* indexed by TpEntryStatus */
  guint64     effective;               /* acting on the date asked for */
  guint64     effective_by_list[2];
  guint64     clearances;
  guint64     audit_records;
  TpStateHash state_hash;
} TpStoreCounts;

/* All counts and the state hash from one consistent snapshot; @date is
 * the day "effective" is counted for (NULL = today, local time). */
gboolean    tp_store_get_counts          (TpStore           *store,
                                          const GDate       *date,
                                          TpStoreCounts     *out,
                                          GError           **error);

/* Clearances (cleared pairs) ------------------------------------------------ */

typedef struct {
  char   *document_key;     /* issuing state ":" document number, e.g. "VNM:C1234567" */
  char   *entry_id;
  guint   entry_version;    /* the version cleared: a later version is not cleared */
  char   *cleared_by;
  char   *reason;
  gint64  cleared_at;       /* unix seconds */
  gint64  expires_at;       /* unix seconds; 0 = never */
} TpClearance;

TpClearance *tp_clearance_copy           (const TpClearance *clearance);
void         tp_clearance_free           (TpClearance       *clearance);

/* Records (or replaces, for the same document and entry) a clearance, and
 * an audit record ("clearance.add") in the same transaction. */
gboolean    tp_store_add_clearance       (TpStore           *store,
                                          const TpClearance *clearance,
                                          GError           **error);
/* Every stored clearance, expired ones included (the matcher checks). */
GPtrArray  *tp_store_list_clearances     (TpStore           *store,
                                          GError           **error);
/* Deletes clearances that expired before @now (unix seconds); returns how
 * many, or -1 on error. */
gint64      tp_store_prune_clearances    (TpStore           *store,
                                          gint64             now,
                                          GError           **error);

/* Feed position and small values ------------------------------------------ */

gboolean    tp_store_get_feed_position   (TpStore              *store,
                                          TpFeedPosition       *out,
                                          GError              **error);
gboolean    tp_store_set_feed_position   (TpStore              *store,
                                          const TpFeedPosition *position,
                                          GError              **error);

/* Key/value table for small settings; keys starting with "tp." are the
 * store's own. Returns NULL without error for a missing key. */
char       *tp_store_get_value           (TpStore           *store,
                                          const char        *key,
                                          GError           **error);
gboolean    tp_store_set_value           (TpStore           *store,
                                          const char        *key,
                                          const char        *value,
                                          GError           **error);

/* Boarding passes ----------------------------------------------------------- */

/* Records that the boarding pass @pass_key was presented at @checkpoint on
 * @day ("YYYY-MM-DD", the checkpoint's local date) in case @case_id, at
 * @used_at (unix seconds), unless it already was. *@first_case_id (when
 * not NULL) receives NULL for a first use, else the case that presented it
 * first that day (@case_id itself when the same case scans it again). */
gboolean    tp_store_use_boarding_pass   (TpStore           *store,
                                          const char        *pass_key,
                                          const char        *checkpoint,
                                          const char        *day,
                                          const char        *case_id,
                                          gint64             used_at,
                                          char             **first_case_id,
                                          GError           **error);

/* PRAGMA integrity_check (slow on a big store). */
gboolean    tp_store_check_integrity     (TpStore           *store,
                                          GError           **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpClearance, tp_clearance_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpStoreReplace, tp_store_replace_free)

G_END_DECLS
