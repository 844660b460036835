/* tp-store-matcher.h: a screening matcher built from a terminal store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tp-matcher.h"
#include "tp-store.h"

G_BEGIN_DECLS

/* Loads the current version of every entry and every cleared pair from
 * @store into a new matcher and builds its indexes. The store is read in
 * one snapshot; the matcher is then independent of it (read-only, and
 * usable from several threads). */
TpMatcher *tp_store_load_matcher (TpStore  *store,
                                  GError  **error);

G_END_DECLS
