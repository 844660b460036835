/* tp-state-hash.h: a hash of a whole list state, updated per changed entry
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The terminal and the hub compute the same value and compare it after every
 * feed update (BRIEF §3, "Consistency"). Definition, for both sides:
 *
 *   digest(entry) = SHA-256 of the entry's canonical JSON (tp_entry_to_json(),
 *                   RFC 8785 serialisation of the normalised entry), the 32
 *                   bytes read as an unsigned 256-bit big-endian integer;
 *   state         = (Σ digest(e)) mod 2^256 over the latest version e of
 *                   every entry id, cancelled entries included;
 *   text form     = the 32 bytes of state, big-endian, as 64 lower-case hex
 *                   digits. The empty list is 64 zeros.
 *
 * A sum is order-independent and invertible, so a change of one entry from
 * version a to version b is state - digest(a) + digest(b): no need to walk
 * the whole list. (A sum of SHA-256 values is a multiset hash: good against
 * accidents and bugs, which is what it checks here; the feed's integrity
 * comes from the signed head, not from this value.)
 */
#pragma once

#include <glib.h>

#include "tp-entry.h"

G_BEGIN_DECLS

#define TP_STATE_HASH_SIZE    32
#define TP_STATE_HASH_HEX_LEN 64

typedef struct {
  guint8 bytes[TP_STATE_HASH_SIZE];   /* big-endian */
} TpStateHash;

/* The empty state (zero). */
void      tp_state_hash_init          (TpStateHash       *hash);

/* SHA-256 of the canonical JSON of @entry. */
void      tp_entry_digest             (const TpEntry     *entry,
                                       guint8             digest[TP_STATE_HASH_SIZE]);

/* SHA-256 of @length bytes of canonical JSON already serialised. */
void      tp_state_hash_digest_json   (const char        *json,
                                       gsize              length,
                                       guint8             digest[TP_STATE_HASH_SIZE]);

/* state += digest, state -= digest (mod 2^256) */
void      tp_state_hash_add_digest    (TpStateHash       *hash,
                                       const guint8       digest[TP_STATE_HASH_SIZE]);
void      tp_state_hash_remove_digest (TpStateHash       *hash,
                                       const guint8       digest[TP_STATE_HASH_SIZE]);

/* The same with the digest computed from @entry. */
void      tp_state_hash_add_entry     (TpStateHash       *hash,
                                       const TpEntry     *entry);
void      tp_state_hash_remove_entry  (TpStateHash       *hash,
                                       const TpEntry     *entry);

/* An entry id moving from version @old_entry (NULL if new) to @new_entry. */
void      tp_state_hash_replace_entry (TpStateHash       *hash,
                                       const TpEntry     *old_entry,
                                       const TpEntry     *new_entry);

gboolean  tp_state_hash_equal         (const TpStateHash *a,
                                       const TpStateHash *b);

/* 64 lower-case hex digits; @out holds TP_STATE_HASH_HEX_LEN + 1 bytes. */
void      tp_state_hash_to_hex_buf    (const TpStateHash *hash,
                                       char               out[TP_STATE_HASH_HEX_LEN + 1]);
char     *tp_state_hash_to_hex        (const TpStateHash *hash);

/* Reads 64 hex digits (either case); FALSE on anything else. */
gboolean  tp_state_hash_from_hex      (const char        *hex,
                                       TpStateHash       *hash);

G_END_DECLS
