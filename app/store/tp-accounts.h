/* tp-accounts.h: officer accounts of one terminal, in its encrypted store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An officer signs in at the counter with an officer ID ("IMM-01") and a
 * PIN. Each account has one role, fixed when it is made (immigration,
 * customs or supervisor): signing in never chooses a role.
 *
 * PINs are never stored: only scrypt (N = 2^15, r = 8, p = 1, 32 MiB,
 * about 0.1 s here) of the PIN under a random 16-byte salt per account,
 * with the parameters beside it so that they can be raised later. A
 * sign-in compares in constant time and runs the same derivation for an
 * unknown officer ID, so that neither the answer nor its timing tells
 * which IDs exist. The store itself is encrypted (tp-store.h); the slow
 * derivation protects the PINs of a stolen key file and store as well.
 *
 * Lockout: after max_failures wrong PINs in a row (default 5) the account
 * refuses every PIN, the right one too, for lockout_seconds (default 5
 * minutes); a supervisor can lift it earlier (tp_accounts_unlock()). A
 * successful sign-in resets the count. Sign-ins, failures, lockouts and
 * account changes are audit records (tp-audit-log.h) written in the same
 * transaction as the change they describe.
 *
 * The accounts live in the table officer_account, created on first use
 * with SQL that SQLCipher 3.4.1 (SQLite 3.15) and 4 both understand.
 *
 * Threads: like the store, a TpAccounts is used from one thread at a
 * time. tp_accounts_sign_in_async() touches the store only in the calling
 * thread and runs the derivation in a worker thread, so a window can call
 * it without blocking.
 */
#pragma once

#include <gio/gio.h>

#include "tp-entry.h"
#include "tp-store.h"

G_BEGIN_DECLS

#define TP_ACCOUNTS_ERROR (tp_accounts_error_quark ())

/**
 * TpAccountsError:
 * @TP_ACCOUNTS_ERROR_DENIED: unknown officer ID or wrong PIN (the message
 *   does not say which)
 * @TP_ACCOUNTS_ERROR_LOCKED: too many wrong PINs: the account is locked
 *   for a while (the message says how long)
 * @TP_ACCOUNTS_ERROR_EXISTS: adding an officer ID that is already there
 * @TP_ACCOUNTS_ERROR_NOT_FOUND: changing an officer ID that is not there
 * @TP_ACCOUNTS_ERROR_INVALID: an officer ID, PIN or role of the wrong form
 * @TP_ACCOUNTS_ERROR_FAILED: the store failed
 */
typedef enum {
  TP_ACCOUNTS_ERROR_DENIED,
  TP_ACCOUNTS_ERROR_LOCKED,
  TP_ACCOUNTS_ERROR_EXISTS,
  TP_ACCOUNTS_ERROR_NOT_FOUND,
  TP_ACCOUNTS_ERROR_INVALID,
  TP_ACCOUNTS_ERROR_FAILED,
} TpAccountsError;

GQuark tp_accounts_error_quark (void);

/* Officer IDs: 2 to 32 characters A–Z, 0–9 and '-', starting with a
 * letter; lower-case input is taken as upper case. PINs: 4 to 12 digits. */
#define TP_ACCOUNTS_PIN_MIN 4
#define TP_ACCOUNTS_PIN_MAX 12

#define TP_ACCOUNTS_DEFAULT_MAX_FAILURES    5
#define TP_ACCOUNTS_DEFAULT_LOCKOUT_SECONDS 300

/**
 * TpOfficer:
 * @id: the officer ID, upper case
 * @role: exactly one of TP_ROLE_IMMIGRATION, TP_ROLE_CUSTOMS, TP_ROLE_SUPERVISOR
 * @name: the officer's name for display, or NULL
 * @failures: wrong PINs in a row since the last sign-in or lockout
 * @locked_until: unix seconds; the account refuses PINs before then (0: not locked)
 * @last_sign_in: unix seconds of the last successful sign-in, 0 if none
 */
typedef struct {
  char    *id;
  TpRoles  role;
  char    *name;
  guint    failures;
  gint64   locked_until;
  gint64   last_sign_in;
} TpOfficer;

TpOfficer  *tp_officer_copy               (const TpOfficer *officer);
void        tp_officer_free               (TpOfficer       *officer);

#define TP_TYPE_ACCOUNTS (tp_accounts_get_type ())
G_DECLARE_FINAL_TYPE (TpAccounts, tp_accounts, TP, ACCOUNTS, GObject)

/* Creates the accounts table in @store when it is not there yet. */
TpAccounts *tp_accounts_new               (TpStore         *store,
                                           GError         **error);

void        tp_accounts_set_lockout       (TpAccounts      *self,
                                           guint            max_failures,
                                           guint            lockout_seconds);

/* Upper-cases @id into a new string when it has the form of an officer ID;
 * NULL with TP_ACCOUNTS_ERROR_INVALID otherwise. */
char       *tp_accounts_normalize_id      (const char      *id,
                                           GError         **error);
gboolean    tp_accounts_check_pin_form    (const char      *pin,
                                           GError         **error);

/* @actor: who does it, for the audit log ("system", an officer ID). */
gboolean    tp_accounts_add               (TpAccounts      *self,
                                           const char      *id,
                                           TpRoles          role,
                                           const char      *name,
                                           const char      *pin,
                                           const char      *actor,
                                           GError         **error);
gboolean    tp_accounts_set_pin           (TpAccounts      *self,
                                           const char      *id,
                                           const char      *pin,
                                           const char      *actor,
                                           GError         **error);
gboolean    tp_accounts_remove            (TpAccounts      *self,
                                           const char      *id,
                                           const char      *actor,
                                           GError         **error);
/* Lifts a lockout and clears the failure count. */
gboolean    tp_accounts_unlock            (TpAccounts      *self,
                                           const char      *id,
                                           const char      *actor,
                                           GError         **error);

/* NULL without error when there is no such officer. */
TpOfficer  *tp_accounts_lookup            (TpAccounts      *self,
                                           const char      *id,
                                           GError         **error);
/* Every account (TpOfficer*), by officer ID. */
GPtrArray  *tp_accounts_list              (TpAccounts      *self,
                                           GError         **error);

/* Checks @pin for @id at @now (unix seconds; 0 = the current time) and
 * returns the officer, or NULL with TP_ACCOUNTS_ERROR_DENIED or
 * TP_ACCOUNTS_ERROR_LOCKED. Runs the slow derivation: not on a UI thread. */
TpOfficer  *tp_accounts_sign_in           (TpAccounts      *self,
                                           const char      *id,
                                           const char      *pin,
                                           gint64           now,
                                           GError         **error);
void        tp_accounts_sign_in_async     (TpAccounts          *self,
                                           const char          *id,
                                           const char          *pin,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
TpOfficer  *tp_accounts_sign_in_finish    (TpAccounts      *self,
                                           GAsyncResult    *result,
                                           GError         **error);

/* The demo accounts (demo mode only, never in a production store):
 * IMM-01 / 1111 immigration, CUS-01 / 2222 customs, SUP-01 / 3333
 * supervisor. Adds those that are missing. */
gboolean    tp_accounts_add_demo          (TpAccounts      *self,
                                           GError         **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TpOfficer, tp_officer_free)

G_END_DECLS
