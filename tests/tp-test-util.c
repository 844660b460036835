/* tp-test-util.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "tp-sim-chip.h"
#include "tp-test-util.h"

GByteArray *
tp_test_hex (const char *text)
{
  GByteArray *out = g_byte_array_new ();

  for (const char *p = text; *p != '\0'; )
    {
      guint8 b;

      if (g_ascii_isspace (*p))
        {
          p++;
          continue;
        }
      g_assert_true (g_ascii_isxdigit (p[0]) && g_ascii_isxdigit (p[1]));
      b = (guint8) ((g_ascii_xdigit_value (p[0]) << 4) | g_ascii_xdigit_value (p[1]));
      g_byte_array_append (out, &b, 1);
      p += 2;
    }
  return out;
}

char *
tp_test_to_hex (const guint8 *data,
                gsize         len)
{
  GString *s = g_string_sized_new (len * 2);

  for (gsize i = 0; i < len; i++)
    g_string_append_printf (s, "%02X", data[i]);
  return g_string_free (s, FALSE);
}

void
tp_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    {
      g_remove (path);
      return;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      tp_test_remove_tree (child);
    }
  g_rmdir (path);
}

TpTestChild *
tp_test_child_start (const char * const *argv,
                     char              **first_line)
{
  g_autoptr(GError) error = NULL;
  TpTestChild *child = g_new0 (TpTestChild, 1);

  child->process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE,
                                      &error);
  g_assert_no_error (error);
  child->out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (child->process));
  child->in = g_subprocess_get_stdin_pipe (child->process);
  *first_line = g_data_input_stream_read_line_utf8 (child->out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (*first_line);
  return child;
}

void
tp_test_child_control (TpTestChild *child,
                       const char  *command)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = g_strconcat (command, "\n", NULL);
  g_autofree char *line = NULL;

  g_output_stream_write_all (child->in, text, strlen (text), NULL, NULL, &error);
  g_assert_no_error (error);
  line = g_data_input_stream_read_line_utf8 (child->out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "ok"));
}

void
tp_test_child_stop (TpTestChild *child)
{
  g_autoptr(GError) error = NULL;

  g_output_stream_close (child->in, NULL, NULL);
  g_subprocess_wait (child->process, NULL, &error);
  g_assert_no_error (error);
  g_object_unref (child->out);
  g_object_unref (child->process);
  g_free (child);
}

TpAccessKey *
tp_test_sim_key (const char *spec)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpSimChip) chip = tp_sim_chip_new (spec, &error);
  TpAccessKey *key;

  g_assert_no_error (error);
  key = tp_access_key_new_from_mrz (tp_sim_chip_get_mrz (chip), &error);
  g_assert_no_error (error);
  return key;
}

TpTrustStore *
tp_test_sim_trust (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tp-test-trust-XXXXXX", &error);
  TpTrustStore *trust = tp_trust_store_new (TP_TRUST_STORE_FLAGS_NONE);

  g_assert_no_error (error);
  if (!tp_sim_chip_export_trust (dir, &error) || !tp_trust_store_add_path (trust, dir, &error))
    g_error ("Cannot load the test PKI: %s", error->message);
  tp_test_remove_tree (dir);
  return trust;
}

char *
tp_test_emulator_path (const char *env_var,
                       const char *name)
{
  const char *env = g_getenv (env_var);

  return env != NULL ? g_strdup (env) : g_test_build_filename (G_TEST_BUILT, "emu", name, NULL);
}
