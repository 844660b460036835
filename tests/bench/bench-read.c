/* bench-read.c: a whole document read from the software chip
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reads EF.COM, EF.SOD, DG1, a 20 KB DG2, DG14 and DG15 (profile
 * pace-ca-aa: PACE ECDH-GM AES-128, chip authentication, ECDSA active
 * authentication) with three read sizes: extended length (as large as the
 * chip allows), 223 bytes (JMRTD's default) and 160 bytes
 * (NFCPassportReader's). Prints, for each, the APDUs exchanged and the
 * bytes in and out (what a real reader's radio time depends on), the
 * software time of the whole read and verification with the transport's
 * time taken out (the in-process chip answers in the transport's time),
 * and passive authentication alone.
 *
 *   bench-read [RUNS] [PROFILE]       (default 50, pace-ca-aa)
 */
#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>

#include "bench-util.h"
#include "tp-document-reader.h"
#include "tp-sim-transport.h"

typedef struct {
  const char *label;
  gboolean    no_extended;
  gsize       max_read;
} Mode;

static const Mode modes[] = {
  { "extended length", FALSE, 0 },
  { "223-byte reads (JMRTD)", TRUE, 223 },
  { "160-byte reads (NFCPassportReader)", TRUE, 160 },
};

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

static double
median_ms (GArray *values)
{
  g_array_sort (values, compare_gint64);
  return g_array_index (values, gint64, values->len / 2) / 1000.0;
}

static double
max_ms (GArray *values)
{
  return g_array_index (values, gint64, values->len - 1) / 1000.0;
}

int
main (int    argc,
      char **argv)
{
  guint runs = argc > 1 ? (guint) atoi (argv[1]) : 50;
  const char *profile = argc > 2 ? argv[2] : "pace-ca-aa";
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *connstring = g_strconcat ("sim:", profile, NULL);
  g_autoptr(TpTrustStore) trust = tp_trust_store_new (TP_TRUST_STORE_FLAGS_NONE);

  tp_sim_transport_register ();
  if (runs == 0)
    runs = 1;
  dir = g_dir_make_tmp ("bench-read-XXXXXX", &error);
  if (dir == NULL || !tp_sim_chip_export_trust (dir, &error) ||
      !tp_trust_store_add_path (trust, dir, &error))
    {
      fprintf (stderr, "bench-read: test PKI: %s\n", error->message);
      return 1;
    }

  {
    g_autofree char *machine = tp_bench_machine ();

    printf ("bench-read: %s, %u runs per mode (medians; max in brackets)\nmachine: %s\n\n",
            connstring, runs, machine);
  }
  printf ("%-36s %6s %9s %9s %12s %12s %12s %10s\n", "mode", "APDUs", "bytes in", "bytes out",
          "software ms", "total ms", "transport ms", "PA ms");

  for (gsize m = 0; m < G_N_ELEMENTS (modes); m++)
    {
      g_autoptr(GArray) software = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_autoptr(GArray) total = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_autoptr(GArray) transport_time = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_autoptr(GArray) pa = g_array_new (FALSE, FALSE, sizeof (gint64));
      guint apdus = 0;
      guint64 bytes_in = 0, bytes_out = 0;
      g_autofree char *files = NULL;

      /* One read unmeasured: key derivation and document building happen once */
      for (guint i = 0; i <= runs; i++)
        {
          g_autoptr(TpTransport) transport = tp_transport_open (connstring, &error);
          g_autoptr(TpAccessKey) key = NULL;
          g_autoptr(TpReadOptions) options = tp_read_options_new ();
          g_autoptr(TpDocument) doc = NULL;
          TpSimChip *chip;
          gint64 sw;

          if (transport == NULL)
            {
              fprintf (stderr, "bench-read: %s\n", error->message);
              return 1;
            }
          chip = tp_sim_transport_get_chip (TP_SIM_TRANSPORT (transport));
          key = tp_access_key_new_from_mrz (tp_sim_chip_get_mrz (chip), &error);
          options->trust = trust;
          options->read_optional = FALSE;
          options->no_extended = modes[m].no_extended;
          options->max_read = modes[m].max_read;

          doc = tp_document_reader_read (transport, key, options, NULL, NULL, NULL, &error);
          if (doc == NULL)
            {
              fprintf (stderr, "bench-read: %s\n", error->message);
              return 1;
            }
          if (!tp_document_is_verified (doc))
            {
              fprintf (stderr, "bench-read: the document did not verify\n");
              return 1;
            }
          if (i == 0)
            {
              GString *list = g_string_new (NULL);

              for (guint f = 0; f < doc->files->len; f++)
                {
                  const TpDocumentFile *file = g_ptr_array_index (doc->files, f);

                  g_string_append_printf (list, "%s%s %zu", f ? ", " : "", file->name,
                                          file->data ? g_bytes_get_size (file->data) : 0);
                }
              files = g_string_free (list, FALSE);
              continue;
            }

          apdus = doc->apdus;
          bytes_in = doc->bytes_in;
          bytes_out = doc->bytes_out;
          sw = doc->elapsed_us - doc->transport_us;
          g_array_append_val (software, sw);
          g_array_append_val (total, doc->elapsed_us);
          g_array_append_val (transport_time, doc->transport_us);
          g_array_append_val (pa, doc->passive_auth_us);
        }

      {
        /* median_ms() sorts: take the medians before the maxima */
        double sw_med = median_ms (software), total_med = median_ms (total);
        double transport_med = median_ms (transport_time), pa_med = median_ms (pa);

        printf ("%-36s %6u %9" G_GUINT64_FORMAT " %9" G_GUINT64_FORMAT
                " %5.1f [%4.1f] %5.1f [%4.1f] %12.1f %4.2f [%4.2f]\n",
                modes[m].label, apdus, bytes_in, bytes_out,
                sw_med, max_ms (software), total_med, max_ms (total),
                transport_med, pa_med, max_ms (pa));
      }
      if (m == 0)
        printf ("  files: %s\n", files);
    }

  printf ("\nsoftware ms: the whole read and verification (PACE, chip and active\n"
          "authentication, secure messaging, parsing, passive authentication, MRZ\n"
          "check) minus the time spent in the transport, where the in-process chip\n"
          "does its own cryptography. Targets: software <= 50 ms, PA <= 10 ms.\n");

  {
    g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
    const char *name;

    while (d && (name = g_dir_read_name (d)) != NULL)
      {
        g_autofree char *path = g_build_filename (dir, name, NULL);

        g_remove (path);
      }
    g_rmdir (dir);
  }
  return 0;
}
