/* tp-cli.h: the commands of touchpoint-cli
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each command is `int tp_cli_NAME (int argc, char **argv)`: argv[0] is the
 * command name, the return value is the process exit status. Output
 * contracts are documented in README.md ("Command line").
 */
#pragma once

#include <json-glib/json-glib.h>

#include "tp-mrz.h"

G_BEGIN_DECLS

typedef int (*TpCliCommandFunc) (int    argc,
                                 char **argv);

typedef struct {
  const char       *name;
  const char       *summary;
  TpCliCommandFunc  func;
} TpCliCommand;

/* Shared helpers (tp-cli-util.c) */
/* The one-line JSON text of node: as json-glib writes it, except that
 * every control byte in a string is escaped and a number with a fraction
 * has three decimals ("score": 0.756). */
char     *tp_cli_json_to_string  (JsonNode    *node);
/* tp_cli_json_to_string() and a newline on standard output, flushed. */
void      tp_cli_print_json      (JsonNode    *node);
void      tp_cli_print_builder   (JsonBuilder *builder);
/* All of standard input, NUL-terminated; *length (when not NULL) is
 * its size in bytes, NUL bytes in the data included. */
char     *tp_cli_read_stdin      (gsize       *length,
                                  GError     **error);
gboolean  tp_cli_parse_date      (const char  *text,
                                  GDate       *out,
                                  GError     **error);
void      tp_cli_today           (GDate       *out);
/* tp_cli_parse_date(), or today (local) when text is NULL: the rule of
 * --reference-date and --at. */
gboolean  tp_cli_parse_date_or_today (const char *text,
                                      GDate      *out,
                                      GError    **error);
/* A string member, or null when value is NULL; invalid UTF-8 is repaired
 * (g_utf8_make_valid) so that the output stays JSON. */
void      tp_cli_add_string      (JsonBuilder *builder,
                                  const char  *name,
                                  const char  *value);
void      tp_cli_add_string_len  (JsonBuilder *builder,
                                  const char  *name,
                                  const char  *value,
                                  gssize       len);
/* Adds the `mrz` command's JSON object for a parsed zone at the builder's
 * current position (the "dg1" member of `read` uses it too). */
void      tp_cli_add_mrz_object  (JsonBuilder *builder,
                                  const TpMrz *mrz);

/* Commands: one per tp-cli-NAME.c; add the prototype and a row in main.c */
int tp_cli_demo (int argc, char **argv);
int tp_cli_mrz  (int argc, char **argv);
int tp_cli_list (int argc, char **argv);
int tp_cli_audit (int argc, char **argv);
int tp_cli_bcbp (int argc, char **argv);
int tp_cli_name (int argc, char **argv);
int tp_cli_screen (int argc, char **argv);
int tp_cli_population (int argc, char **argv);
int tp_cli_readers (int argc, char **argv);
int tp_cli_read (int argc, char **argv);
int tp_cli_sim (int argc, char **argv);
int tp_cli_sync (int argc, char **argv);
int tp_cli_outbox (int argc, char **argv);
int tp_cli_reconcile (int argc, char **argv);
int tp_cli_trust (int argc, char **argv);

G_END_DECLS
