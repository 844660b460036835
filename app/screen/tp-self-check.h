/* tp-self-check.h: list entries their own data would not hit
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An active entry that would not hit a traveller presenting the entry's
 * own data is silently unenforceable: an old paper record of a common
 * name with only a birth year, say, when the matcher asks more of a name
 * than such a record gives. The self-check screens every entry in force
 * against a traveller built from it and names those that do not hit
 * themselves, so that the owning agency can complete them.
 */
#pragma once

#include <glib.h>

#include "tp-entry.h"
#include "tp-matcher.h"
#include "tp-query.h"

G_BEGIN_DECLS

/* The traveller who presents @entry's own data: its full name (as the
 * document's full name), birth date (a partial one completed to a day
 * inside it: 1 July of a year, the 15th of a month, as a passport prints
 * some day), sex, nationality, its first passport (with its country, or
 * the nationality) and its first national ID or 12-digit tax code as the
 * personal number. Its id is the entry's. */
TpQuery   *tp_query_new_for_entry    (const TpEntry          *entry);

/* TRUE when screening tp_query_new_for_entry (@entry) with @options gives a
 * hit on @entry (listed, or suppressed by a clearance): the entry can act
 * on the traveller it describes. */
gboolean   tp_matcher_hits_own_data  (TpMatcher              *matcher,
                                      const TpEntry          *entry,
                                      const TpScreenOptions  *options);

G_END_DECLS
