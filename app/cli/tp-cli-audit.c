/* tp-cli-audit.c: `touchpoint-cli audit verify|list`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   audit verify --db PATH --key-file PATH
 *       Walks the store's hash-chained audit log. Prints
 *       {"valid": true, "records": N} or
 *       {"valid": false, "records": N, "first_broken": K, "reason": "..."}.
 *       Exit status: 0 valid, 1 broken, 2 fatal (bad key, no store, usage).
 *
 *   audit list --db PATH --key-file PATH [--after SEQ] [--limit N]
 *       One JSON line per record: seq, time_us, actor, action, subject,
 *       details (as a JSON object), prev_hash, hash. Exit 0, or 2.
 */
#include "config.h"

#include <stdio.h>

#include "tp-audit-log.h"
#include "tp-cli.h"
#include "tp-store.h"

static void
usage_error (GOptionContext *context,
             const char     *message)
{
  g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);

  fprintf (stderr, "touchpoint-cli audit: %s\n\n%s", message, help);
}

static int
audit_verify (TpStore *store)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GError) error = NULL;
  TpAuditVerification v;
  int status;

  if (!tp_audit_log_verify (store, &v, &error))
    {
      fprintf (stderr, "touchpoint-cli audit: %s\n", error->message);
      return 2;
    }
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "valid");
  json_builder_add_boolean_value (builder, v.valid);
  json_builder_set_member_name (builder, "records");
  json_builder_add_int_value (builder, (gint64) v.records);
  if (!v.valid)
    {
      json_builder_set_member_name (builder, "first_broken");
      json_builder_add_int_value (builder, v.first_broken);
      json_builder_set_member_name (builder, "reason");
      json_builder_add_string_value (builder, v.reason);
    }
  json_builder_end_object (builder);
  tp_cli_print_builder (builder);
  status = v.valid ? 0 : 1;
  tp_audit_verification_clear (&v);
  return status;
}

static int
audit_list (TpStore *store,
            gint64   after,
            int      limit)
{
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) error = NULL;

  records = tp_audit_log_list (store, after, (guint) MAX (limit, 0), &error);
  if (records == NULL)
    {
      fprintf (stderr, "touchpoint-cli audit: %s\n", error->message);
      return 2;
    }
  for (guint i = 0; i < records->len; i++)
    {
      const TpAuditRecord *r = g_ptr_array_index (records, i);
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      JsonNode *details = json_from_string (r->details, NULL);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "seq");
      json_builder_add_int_value (builder, r->seq);
      json_builder_set_member_name (builder, "time_us");
      json_builder_add_int_value (builder, r->time_us);
      json_builder_set_member_name (builder, "actor");
      json_builder_add_string_value (builder, r->actor);
      json_builder_set_member_name (builder, "action");
      json_builder_add_string_value (builder, r->action);
      json_builder_set_member_name (builder, "subject");
      if (r->subject != NULL)
        json_builder_add_string_value (builder, r->subject);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "details");
      if (details != NULL)
        json_builder_add_value (builder, details);
      else
        json_builder_add_string_value (builder, r->details ? r->details : "");
      json_builder_set_member_name (builder, "prev_hash");
      json_builder_add_string_value (builder, r->prev_hash);
      json_builder_set_member_name (builder, "hash");
      json_builder_add_string_value (builder, r->hash);
      json_builder_end_object (builder);
      tp_cli_print_builder (builder);
    }
  return 0;
}

int
tp_cli_audit (int    argc,
              char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TpKeySource) key = NULL;
  g_autoptr(TpStore) store = NULL;
  g_autofree char *db = NULL;
  g_autofree char *key_file = NULL;
  gint64 after = 0;
  int limit = 0;
  const GOptionEntry options[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, "The store", "PATH" },
    { "key-file", 0, 0, G_OPTION_ARG_FILENAME, &key_file, "The store's key file", "PATH" },
    { "after", 0, 0, G_OPTION_ARG_INT64, &after, "list: records after this sequence number", "SEQ" },
    { "limit", 0, 0, G_OPTION_ARG_INT, &limit, "list: at most this many records", "N" },
    { NULL }
  };

  context = g_option_context_new ("verify|list");
  g_option_context_set_summary (context,
                                "verify: check the hash chain of the store's audit log\n"
                                "list:   print its records, one JSON line each");
  g_option_context_add_main_entries (context, options, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      usage_error (context, error->message);
      return 2;
    }
  if (argc != 2 || (!g_str_equal (argv[1], "verify") && !g_str_equal (argv[1], "list")))
    {
      usage_error (context, "expected a subcommand: verify or list");
      return 2;
    }
  if (db == NULL || key_file == NULL)
    {
      usage_error (context, "--db and --key-file are required");
      return 2;
    }

  key = tp_key_file_new (key_file);
  store = tp_store_open (db, key, TP_STORE_OPEN_NONE, &error);
  if (store == NULL)
    {
      fprintf (stderr, "touchpoint-cli audit: %s\n", error->message);
      return 2;
    }
  if (g_str_equal (argv[1], "verify"))
    return audit_verify (store);
  return audit_list (store, after, limit);
}
