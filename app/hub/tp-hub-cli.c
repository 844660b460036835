/* tp-hub-cli.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "tp-canonical-json.h"
#include "tp-entry.h"
#include "tp-error.h"
#include "tp-hub-cli.h"
#include "tp-hub-server.h"
#include "tp-hub.h"

#define EXIT_USAGE 2

static const char usage[] =
  "Usage:\n"
  "  touchpoint-hub init --dir DIR [--name HOST]... [--url URL]\n"
  "  touchpoint-hub agency add --dir DIR NAME --out DIR2\n"
  "  touchpoint-hub enroll --dir DIR --airport HAN --checkpoint T2-EXIT --terminal T2-EXIT-07 --out DIR2 [--supervisor]\n"
  "  touchpoint-hub revoke --dir DIR NAME\n"
  "  touchpoint-hub serve --dir DIR --listen 127.0.0.1:8443 [--database URL] [--heartbeat S] [--expiry S]\n"
  "                       [--snapshot-every N] [--snapshot-keep N]\n"
  "  touchpoint-hub key rotate --dir DIR\n"
  "  touchpoint-hub events --dir DIR [--after ID] [--database URL]\n"
  "  touchpoint-hub export-feed --dir DIR --out MIRROR [--database URL]\n"
  "  touchpoint-hub report --dir DIR --day YYYY-MM-DD --airport HAN [--database URL]\n";

static void
print_object (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *line = NULL;

  json_node_set_object (node, object);
  line = tp_canonical_json (node, NULL);
  g_assert (line != NULL);
  fprintf (stdout, "%s\n", line);
  fflush (stdout);
}

static int
fail (GError *error)
{
  g_autoptr(JsonObject) object = json_object_new ();

  json_object_set_string_member (object, "error", error->message);
  print_object (object);
  return 1;
}

static int
usage_error (const char *format,
             ...) G_GNUC_PRINTF (1, 2);

static int
usage_error (const char *format,
             ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  fprintf (stderr, "touchpoint-hub: %s\n%s", message, usage);
  return EXIT_USAGE;
}

/* Options shared by the commands */
static char *opt_dir;
static char *opt_out;
static char *opt_url;
static char **opt_names;
static char *opt_airport;
static char *opt_checkpoint;
static char *opt_terminal;
static gboolean opt_supervisor;
static char *opt_listen;
static char *opt_database;
static int opt_heartbeat = 60;
static int opt_expiry = 600;
static int opt_snapshot_every = 10000;
static int opt_snapshot_keep = 3;
static char *opt_after;
static char *opt_day;

static const GOptionEntry all_entries[] = {
  { "dir", 0, 0, G_OPTION_ARG_FILENAME, &opt_dir, "The hub's directory", "DIR" },
  { "out", 0, 0, G_OPTION_ARG_FILENAME, &opt_out, "Output directory", "DIR" },
  { "url", 0, 0, G_OPTION_ARG_STRING, &opt_url, "The hub's URL for enrollment bundles", "URL" },
  { "name", 0, 0, G_OPTION_ARG_STRING_ARRAY, &opt_names, "Another host name for the TLS certificate", "HOST" },
  { "airport", 0, 0, G_OPTION_ARG_STRING, &opt_airport, "Airport code", "HAN" },
  { "checkpoint", 0, 0, G_OPTION_ARG_STRING, &opt_checkpoint, "Checkpoint", "T2-EXIT" },
  { "terminal", 0, 0, G_OPTION_ARG_STRING, &opt_terminal, "Terminal id", "T2-EXIT-07" },
  { "supervisor", 0, 0, G_OPTION_ARG_NONE, &opt_supervisor, "A supervisor terminal (gets escalations)", NULL },
  { "listen", 0, 0, G_OPTION_ARG_STRING, &opt_listen, "Address to listen on", "HOST:PORT" },
  { "database", 0, 0, G_OPTION_ARG_STRING, &opt_database, "postgresql://... (default: SQLite in DIR)", "URL" },
  { "heartbeat", 0, 0, G_OPTION_ARG_INT, &opt_heartbeat, "Re-sign the head every S seconds (60)", "S" },
  { "expiry", 0, 0, G_OPTION_ARG_INT, &opt_expiry, "A head expires S seconds after signing (600)", "S" },
  { "snapshot-every", 0, 0, G_OPTION_ARG_INT, &opt_snapshot_every, "Changes between snapshots (10000)", "N" },
  { "snapshot-keep", 0, 0, G_OPTION_ARG_INT, &opt_snapshot_keep, "Snapshots kept (3)", "N" },
  { "after", 0, 0, G_OPTION_ARG_STRING, &opt_after, "Events after this event id", "ID" },
  { "day", 0, 0, G_OPTION_ARG_STRING, &opt_day, "Day of the report", "YYYY-MM-DD" },
  { NULL }
};

/* Parses the options a command takes (by long name); leaves positional
 * arguments in argv. */
static gboolean
parse_options (int          *argc,
               char       ***argv,
               const char   *allowed,
               GError      **error)
{
  g_auto(GStrv) names = g_strsplit (allowed, " ", -1);
  g_autoptr(GArray) entries = g_array_new (TRUE, TRUE, sizeof (GOptionEntry));
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);

  for (guint i = 0; all_entries[i].long_name != NULL; i++)
    if (g_strv_contains ((const char * const *) names, all_entries[i].long_name))
      g_array_append_val (entries, all_entries[i]);
  g_option_context_add_main_entries (context, (GOptionEntry *) entries->data, NULL);
  g_option_context_set_help_enabled (context, FALSE);
  return g_option_context_parse (context, argc, argv, error);
}

static gboolean
valid_token (const char *s,
             gsize       max)
{
  gsize len = s != NULL ? strlen (s) : 0;

  if (len == 0 || len > max)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isalnum (s[i]) && s[i] != '-' && s[i] != '_' && s[i] != '.')
      return FALSE;
  return TRUE;
}

static int
cmd_init (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) result = NULL;

  if (!parse_options (&argc, &argv, "dir name url", &error))
    return usage_error ("%s", error->message);
  if (opt_dir == NULL || argc != 1)
    return usage_error ("init needs --dir DIR");
  for (guint i = 0; opt_names != NULL && opt_names[i] != NULL; i++)
    if (!valid_token (opt_names[i], 253))
      return usage_error ("--name: “%s” is not a host name", opt_names[i]);
  result = tp_hub_dir_init (opt_dir, (const char * const *) opt_names,
                            opt_url != NULL ? opt_url : "https://127.0.0.1:8443/", &error);
  if (result == NULL)
    return fail (error);
  print_object (result);
  return 0;
}

static int
issue (TpHubIdentity *who)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpHubDir) dir = tp_hub_dir_open (opt_dir, &error);
  g_autoptr(JsonObject) result = NULL;

  if (dir == NULL)
    return fail (error);
  if (opt_url != NULL)
    g_warning ("--url is read at init only");
  result = tp_hub_dir_issue (dir, who, opt_out, &error);
  if (result == NULL)
    return fail (error);
  print_object (result);
  return 0;
}

static int
cmd_agency (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  TpHubIdentity who = { 0 };
  TpAgency agency;

  if (!parse_options (&argc, &argv, "dir out", &error))
    return usage_error ("%s", error->message);
  if (argc != 3 || strcmp (argv[1], "add") != 0)
    return usage_error ("agency add --dir DIR NAME --out DIR2");
  if (opt_dir == NULL || opt_out == NULL)
    return usage_error ("agency add needs --dir DIR and --out DIR2");
  if (!tp_agency_from_string (argv[2], &agency))
    return usage_error ("agency: “%s” is not an agency (customs, tax, immigration, police or court)", argv[2]);
  who.kind = TP_HUB_CLIENT_AGENCY;
  who.name = argv[2];
  return issue (&who);
}

static int
cmd_enroll (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  TpHubIdentity who = { 0 };

  if (!parse_options (&argc, &argv, "dir out airport checkpoint terminal supervisor", &error))
    return usage_error ("%s", error->message);
  if (argc != 1 || opt_dir == NULL || opt_out == NULL || opt_airport == NULL || opt_checkpoint == NULL ||
      opt_terminal == NULL)
    return usage_error ("enroll needs --dir, --airport, --checkpoint, --terminal and --out");
  if (strlen (opt_airport) != 3 || !g_ascii_isupper (opt_airport[0]) || !g_ascii_isupper (opt_airport[1]) ||
      !g_ascii_isupper (opt_airport[2]))
    return usage_error ("--airport: “%s” is not an IATA airport code (three capital letters)", opt_airport);
  if (!valid_token (opt_checkpoint, 64))
    return usage_error ("--checkpoint: letters, digits, “-”, “_” and “.”, at most 64");
  if (!valid_token (opt_terminal, 64))
    return usage_error ("--terminal: letters, digits, “-”, “_” and “.”, at most 64");
  who.kind = TP_HUB_CLIENT_TERMINAL;
  who.name = opt_terminal;
  who.airport = opt_airport;
  who.checkpoint = opt_checkpoint;
  who.supervisor = opt_supervisor;
  return issue (&who);
}

static int
cmd_revoke (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpHubDir) dir = NULL;
  g_autoptr(JsonObject) result = NULL;

  if (!parse_options (&argc, &argv, "dir", &error))
    return usage_error ("%s", error->message);
  if (argc != 2 || opt_dir == NULL)
    return usage_error ("revoke --dir DIR NAME (a terminal id or an agency)");
  dir = tp_hub_dir_open (opt_dir, &error);
  if (dir == NULL)
    return fail (error);
  result = tp_hub_dir_revoke (dir, argv[1], &error);
  if (result == NULL)
    return fail (error);
  print_object (result);
  return 0;
}

static int
cmd_key (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpHubDir) dir = NULL;
  g_autoptr(JsonObject) result = NULL;

  if (!parse_options (&argc, &argv, "dir", &error))
    return usage_error ("%s", error->message);
  if (argc != 2 || strcmp (argv[1], "rotate") != 0 || opt_dir == NULL)
    return usage_error ("key rotate --dir DIR");
  dir = tp_hub_dir_open (opt_dir, &error);
  if (dir == NULL)
    return fail (error);
  result = tp_hub_dir_rotate_key (dir, &error);
  if (result == NULL)
    return fail (error);
  print_object (result);
  return 0;
}

static TpHubOptions
options_from_flags (void)
{
  TpHubOptions options;

  tp_hub_options_init (&options);
  options.heartbeat_s = (guint) opt_heartbeat;
  options.expiry_s = (guint) opt_expiry;
  options.snapshot_every = (guint) opt_snapshot_every;
  options.snapshot_keep = (guint) opt_snapshot_keep;
  return options;
}

static int
cmd_serve (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  TpHubOptions options;

  if (!parse_options (&argc, &argv, "dir listen database heartbeat expiry snapshot-every snapshot-keep", &error))
    return usage_error ("%s", error->message);
  if (argc != 1 || opt_dir == NULL || opt_listen == NULL)
    return usage_error ("serve needs --dir DIR and --listen HOST:PORT");
  if (opt_heartbeat < 1 || opt_expiry < opt_heartbeat || opt_snapshot_every < 1 || opt_snapshot_keep < 1)
    return usage_error ("--heartbeat ≥ 1, --expiry ≥ --heartbeat, --snapshot-every ≥ 1, --snapshot-keep ≥ 1");
  options = options_from_flags ();
  if (!tp_hub_serve (opt_dir, opt_listen, opt_database, &options, &error))
    return fail (error);
  return 0;
}

static gboolean
print_row (const char  *json,
           gpointer     user_data,
           GError     **error)
{
  fprintf (stdout, "%s\n", json);
  return TRUE;
}

static TpHub *
open_hub (GError **error)
{
  TpHubOptions options = options_from_flags ();

  return tp_hub_open (opt_dir, opt_database, &options, error);
}

static int
cmd_events (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpHub) hub = NULL;

  if (!parse_options (&argc, &argv, "dir after database", &error))
    return usage_error ("%s", error->message);
  if (argc != 1 || opt_dir == NULL)
    return usage_error ("events --dir DIR [--after ID]");
  hub = open_hub (&error);
  if (hub == NULL || !tp_hub_foreach_event (hub, opt_after, print_row, NULL, &error))
    return fail (error);
  fflush (stdout);
  return 0;
}

static int
cmd_export (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpHub) hub = NULL;
  g_autoptr(JsonObject) result = NULL;

  if (!parse_options (&argc, &argv, "dir out database", &error))
    return usage_error ("%s", error->message);
  if (argc != 1 || opt_dir == NULL || opt_out == NULL)
    return usage_error ("export-feed --dir DIR --out MIRROR");
  hub = open_hub (&error);
  if (hub == NULL)
    return fail (error);
  result = tp_hub_export_feed (hub, opt_out, &error);
  if (result == NULL)
    return fail (error);
  print_object (result);
  return 0;
}

static int
cmd_report (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpHub) hub = NULL;
  g_autoptr(JsonObject) result = NULL;
  TpPartialDate day;

  if (!parse_options (&argc, &argv, "dir day airport database", &error))
    return usage_error ("%s", error->message);
  if (argc != 1 || opt_dir == NULL || opt_day == NULL || opt_airport == NULL)
    return usage_error ("report --dir DIR --day YYYY-MM-DD --airport HAN");
  if (strlen (opt_day) != 10 || !tp_partial_date_parse (opt_day, &day) || day.day == 0)
    return usage_error ("--day: “%s” is not a date (YYYY-MM-DD)", opt_day);
  hub = open_hub (&error);
  if (hub == NULL)
    return fail (error);
  result = tp_hub_report (hub, opt_day, opt_airport, &error);
  if (result == NULL)
    return fail (error);
  print_object (result);
  return 0;
}

int
tp_hub_cli_run (int    argc,
                char **argv)
{
  static const struct {
    const char *name;
    int (*run) (int argc, char **argv);
  } commands[] = {
    { "init", cmd_init },
    { "agency", cmd_agency },
    { "enroll", cmd_enroll },
    { "revoke", cmd_revoke },
    { "serve", cmd_serve },
    { "key", cmd_key },
    { "events", cmd_events },
    { "export-feed", cmd_export },
    { "report", cmd_report },
  };

  if (argc < 2 || strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0)
    {
      fputs (usage, argc < 2 ? stderr : stdout);
      return argc < 2 ? EXIT_USAGE : 0;
    }
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (strcmp (argv[1], commands[i].name) == 0)
      return commands[i].run (argc - 1, argv + 1);
  return usage_error ("unknown command “%s”", argv[1]);
}
