/* bench-sync-clients.c: the terminal side of the sync benchmarks
 * (tests/bench/bench-sync.py drives it; the hub runs as its own process)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   bench-sync-clients follow --db-dir DIR BUNDLE...
 *       One TpSyncClient per enrollment bundle, all following in this
 *       process's main loop, each with its own store DIR/NAME.db. Prints
 *       JSON lines: {"ready": I} once client I is current and connected,
 *       {"client": I, "seq": N, "us": T} when client I applied up to change
 *       N (T: CLOCK_MONOTONIC microseconds, the clock every process of the
 *       machine shares). Runs until stdin closes.
 *   bench-sync-clients load-snapshot --db PATH --key-file PATH --enrollment DIR --head FILE --snapshot FILE
 *       Times tp_sync_load_snapshot(): size and SHA-256 against the head,
 *       decompression, the signature, every entry read and checked, the
 *       list replaced in the store; the process's peak resident memory and
 *       the store's size on disk afterwards.
 *   bench-sync-clients read-snapshot --enrollment DIR --snapshot FILE
 *       Times the snapshot's reader alone: decompression, the signature,
 *       every entry decoded and checked (nothing stored).
 *   bench-sync-clients apply-segment --db PATH --key-file PATH --enrollment DIR --head FILE --segment FILE
 *       Times tp_sync_apply_segment(): parse, signature, chain, one store
 *       transaction, the state hash.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>

#include <glib-unix.h>
#include <glib/gstdio.h>

#include "bench-util.h"
#include "tp-feed-snapshot.h"
#include "tp-sync-client.h"

typedef struct {
  guint          index;
  TpSyncClient  *client;
  gboolean       ready;
} Follower;

static void
print_line (const char *format,
            ...) G_GNUC_PRINTF (1, 2);

static void
print_line (const char *format,
            ...)
{
  va_list args;

  va_start (args, format);
  vprintf (format, args);
  va_end (args);
  putchar ('\n');
  fflush (stdout);
}

static void
applied_cb (TpSyncClient *client,
            guint64       first,
            guint64       last,
            guint64       changes,
            Follower     *f)
{
  print_line ("{\"client\":%u,\"seq\":%" G_GUINT64_FORMAT ",\"us\":%" G_GINT64_FORMAT "}",
              f->index, last, g_get_monotonic_time ());
}

static void
changed_cb (TpSyncClient *client,
            Follower     *f)
{
  if (!f->ready && tp_sync_client_get_connected (client) &&
      tp_sync_client_get_state (client) == TP_SYNC_STATE_CURRENT)
    {
      f->ready = TRUE;
      print_line ("{\"ready\":%u,\"seq\":%" G_GINT64_FORMAT "}", f->index, tp_sync_client_get_seq (client));
    }
  if (tp_sync_client_get_last_error (client) != NULL)
    g_printerr ("client %u: %s\n", f->index, tp_sync_client_get_last_error (client));
}

static gboolean
stdin_closed_cb (gint          fd,
                 GIOCondition  condition,
                 gpointer      user_data)
{
  char buffer[256];

  if (read (fd, buffer, sizeof buffer) > 0)
    return G_SOURCE_CONTINUE;
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

static int
follow (int    argc,
        char **argv)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GPtrArray) followers = g_ptr_array_new ();
  const char *db_dir;

  if (argc < 4 || strcmp (argv[2], "--db-dir") != 0)
    {
      g_printerr ("usage: bench-sync-clients follow --db-dir DIR BUNDLE...\n");
      return 2;
    }
  db_dir = argv[3];
  for (int i = 4; i < argc; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TpEnrollment) enrollment = tp_enrollment_load (argv[i], &error);
      g_autofree char *base = NULL;
      g_autofree char *db = NULL;
      g_autofree char *key_path = NULL;
      g_autoptr(TpKeySource) key = NULL;
      Follower *f;

      if (enrollment == NULL)
        {
          g_printerr ("%s\n", error->message);
          return 2;
        }
      base = g_path_get_basename (argv[i]);
      db = g_strdup_printf ("%s/%s.db", db_dir, base);
      key_path = g_strdup_printf ("%s/%s.key", db_dir, base);
      key = tp_key_file_new (key_path);
      f = g_new0 (Follower, 1);
      f->index = (guint) followers->len;
      f->client = tp_sync_client_new (db, key, enrollment, &error);
      if (f->client == NULL)
        {
          g_printerr ("%s\n", error->message);
          return 2;
        }
      g_signal_connect (f->client, "applied", G_CALLBACK (applied_cb), f);
      g_signal_connect (f->client, "changed", G_CALLBACK (changed_cb), f);
      g_ptr_array_add (followers, f);
    }
  for (guint i = 0; i < followers->len; i++)
    tp_sync_client_start (((Follower *) g_ptr_array_index (followers, i))->client);
  g_unix_fd_add (0, G_IO_IN | G_IO_HUP | G_IO_ERR, stdin_closed_cb, loop);
  g_main_loop_run (loop);
  for (guint i = 0; i < followers->len; i++)
    {
      Follower *f = g_ptr_array_index (followers, i);

      tp_sync_client_stop (f->client);
      g_object_unref (f->client);
      g_free (f);
    }
  return 0;
}

static const char *
option (int          argc,
        char       **argv,
        const char  *name)
{
  for (int i = 2; i + 1 < argc; i++)
    if (strcmp (argv[i], name) == 0)
      return argv[i + 1];
  g_printerr ("bench-sync-clients %s: %s is required\n", argv[1], name);
  exit (2);
}

static TpStore *
open_store (int argc, char **argv)
{
  g_autoptr(TpKeySource) key = tp_key_file_new (option (argc, argv, "--key-file"));
  g_autoptr(GError) error = NULL;
  TpStore *store = tp_store_open (option (argc, argv, "--db"), key, TP_STORE_OPEN_CREATE, &error);

  if (store == NULL)
    {
      g_printerr ("%s\n", error->message);
      exit (2);
    }
  return store;
}

static TpFeedHead *
read_head (int argc, char **argv)
{
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  gsize len;
  TpFeedHead *head;

  if (!g_file_get_contents (option (argc, argv, "--head"), &text, &len, &error) ||
      (head = tp_feed_head_parse (text, len, &error)) == NULL)
    {
      g_printerr ("%s\n", error->message);
      exit (2);
    }
  return head;
}

static TpFeedKeyring *
read_keys (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpEnrollment) enrollment = tp_enrollment_load (option (argc, argv, "--enrollment"), &error);

  if (enrollment == NULL)
    {
      g_printerr ("%s\n", error->message);
      exit (2);
    }
  return g_steal_pointer (&enrollment->keys);
}

/* A field of /proc/self/status in KiB (VmHWM: the peak resident set), or -1 */
static long
self_status_kib (const char *field)
{
  g_autofree char *text = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &text, NULL, NULL) || (line = strstr (text, field)) == NULL)
    return -1;
  return strtol (line + strlen (field), NULL, 10);
}

/* CPU seconds of every thread of this process so far: beside the wall
 * clock it tells whether a run was short of CPU (other processes on the
 * cores) or had more to do */
static double
cpu_seconds (void)
{
  struct rusage usage;

  if (getrusage (RUSAGE_SELF, &usage) != 0)
    return -1;
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
         (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

/* The store's bytes on disk: the database and its write-ahead log */
static gint64
store_bytes (const char *path)
{
  gint64 total = 0;

  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *name = g_strconcat (path, i == 0 ? "" : "-wal", NULL);
      GStatBuf st;

      if (g_stat (name, &st) == 0)
        total += st.st_size;
    }
  return total;
}

static int
load_snapshot (int    argc,
               char **argv)
{
  g_autoptr(TpStore) store = open_store (argc, argv);
  g_autoptr(TpFeedHead) head = read_head (argc, argv);
  g_autoptr(TpFeedKeyring) keys = read_keys (argc, argv);
  g_autoptr(GError) error = NULL;
  guint64 entries = 0;
  gint64 start = g_get_monotonic_time ();
  double cpu = cpu_seconds ();

  if (!tp_sync_load_snapshot (store, keys, head, option (argc, argv, "--snapshot"), NULL, &entries, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  print_line ("{\"load_snapshot_s\":%.3f,\"cpu_s\":%.1f,\"entries\":%" G_GUINT64_FORMAT ",\"bytes\":%"
              G_GUINT64_FORMAT ",\"peak_mib\":%.1f,\"store_bytes\":%" G_GINT64_FORMAT "}",
              (g_get_monotonic_time () - start) / 1e6, cpu_seconds () - cpu, entries, head->snapshot_size,
              self_status_kib ("VmHWM:") / 1024.0, store_bytes (option (argc, argv, "--db")));
  return 0;
}

/* The snapshot read and checked, not applied: what the reader costs alone */
static int
read_snapshot (int    argc,
               char **argv)
{
  g_autoptr(TpFeedKeyring) keys = read_keys (argc, argv);
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (option (argc, argv, "--snapshot"));
  g_autoptr(GFileInputStream) input = g_file_read (file, NULL, &error);
  g_autoptr(TpFeedSnapshotReader) reader = NULL;
  gint64 start = g_get_monotonic_time ();
  double cpu = cpu_seconds ();
  guint64 n = 0;

  reader = input != NULL ? tp_feed_snapshot_reader_new (G_INPUT_STREAM (input), NULL, &error) : NULL;
  if (reader == NULL || !tp_feed_snapshot_reader_verify (reader, keys, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  for (;;)
    {
      g_autoptr(TpEntry) entry = NULL;
      g_autofree char *json = NULL;

      if (!tp_feed_snapshot_reader_next (reader, &entry, &json, NULL, &error))
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
      if (entry == NULL)
        break;
      n++;
    }
  print_line ("{\"read_snapshot_s\":%.3f,\"cpu_s\":%.1f,\"entries\":%" G_GUINT64_FORMAT ",\"peak_mib\":%.1f}",
              (g_get_monotonic_time () - start) / 1e6, cpu_seconds () - cpu, n, self_status_kib ("VmHWM:") / 1024.0);
  return 0;
}

static int
apply_segment (int    argc,
               char **argv)
{
  g_autoptr(TpStore) store = open_store (argc, argv);
  g_autoptr(TpFeedHead) head = read_head (argc, argv);
  g_autoptr(TpFeedKeyring) keys = read_keys (argc, argv);
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  guint64 applied = 0;
  gsize len;
  gint64 start;

  if (!g_file_get_contents (option (argc, argv, "--segment"), &data, &len, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  start = g_get_monotonic_time ();
  if (!tp_sync_apply_segment (store, keys, head, (const guint8 *) data, len, &applied, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  print_line ("{\"apply_segment_ms\":%.1f,\"applied\":%" G_GUINT64_FORMAT ",\"bytes\":%" G_GSIZE_FORMAT "}",
              (g_get_monotonic_time () - start) / 1e3, applied, len);
  return 0;
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *machine = tp_bench_machine ();

  if (argc >= 2 && strcmp (argv[1], "follow") == 0)
    return follow (argc, argv);
  if (argc >= 2 && strcmp (argv[1], "load-snapshot") == 0)
    return load_snapshot (argc, argv);
  if (argc >= 2 && strcmp (argv[1], "apply-segment") == 0)
    return apply_segment (argc, argv);
  if (argc >= 2 && strcmp (argv[1], "read-snapshot") == 0)
    return read_snapshot (argc, argv);
  g_printerr ("usage: bench-sync-clients follow|load-snapshot|read-snapshot|apply-segment ... (%s)\n", machine);
  return 2;
}
