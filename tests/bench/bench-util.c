/* bench-util.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <sys/utsname.h>

#include "bench-util.h"

static char *
cpu_model (void)
{
  g_autofree char *info = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents ("/proc/cpuinfo", &info, NULL, NULL))
    return g_strdup ("unknown CPU");
  lines = g_strsplit (info, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *colon = strchr (lines[i], ':');

      if (g_str_has_prefix (lines[i], "model name") && colon != NULL)
        return g_strstrip (g_strdup (colon + 1));
    }
  return g_strdup ("unknown CPU");
}

char *
tp_bench_machine (void)
{
  g_autofree char *cpu = cpu_model ();
  struct utsname uts;

  if (uname (&uts) != 0)
    {
      g_strlcpy (uts.sysname, "?", sizeof uts.sysname);
      g_strlcpy (uts.release, "?", sizeof uts.release);
      g_strlcpy (uts.machine, "?", sizeof uts.machine);
    }
  return g_strdup_printf ("%s, %u logical CPUs, %s %s %s; compiler %s; GLib %u.%u.%u",
                          cpu, g_get_num_processors (), uts.sysname, uts.release, uts.machine,
                          __VERSION__, glib_major_version, glib_minor_version, glib_micro_version);
}
