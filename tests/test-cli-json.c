/* test-cli-json.c: the command line's JSON text (tp_cli_json_to_string)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "tp-cli.h"

/* json-glib 1.6's own text, with the one byte it leaves raw (U+001F)
 * escaped: what the command line printed before numbers had three
 * decimals. */
static char *
json_glib_text (JsonNode *node)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autofree char *text = NULL;
  GString *out = g_string_new (NULL);

  json_generator_set_root (gen, node);
  text = json_generator_to_data (gen, NULL);
  for (const char *p = text; *p != '\0'; p++)
    if (*p == 0x1f)
      g_string_append (out, "\\u001f");
    else
      g_string_append_c (out, *p);
  return g_string_free (out, FALSE);
}

static JsonNode *
sample_without_fractions (void)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  char bytes[128];
  guint k = 0;

  /* every ASCII byte; the command line makes other text valid UTF-8 first */
  for (guint i = 1; i < 128; i++)
    bytes[k++] = (char) i;
  bytes[k] = '\0';

  json_builder_begin_object (b);
  for (guint i = 0; i < 40; i++)
    {
      g_autofree char *name = g_strdup_printf ("member %u \"q\"", (i * 17) % 40);

      json_builder_set_member_name (b, name);
      json_builder_add_int_value (b, (gint64) i * -123456789);
    }
  json_builder_set_member_name (b, bytes);
  json_builder_add_string_value (b, bytes);
  json_builder_set_member_name (b, "names");
  json_builder_begin_array (b);
  json_builder_add_string_value (b, "Nguyễn Văn Đức");
  json_builder_add_null_value (b);
  json_builder_add_boolean_value (b, TRUE);
  json_builder_add_boolean_value (b, FALSE);
  json_builder_begin_object (b);
  json_builder_end_object (b);
  json_builder_begin_array (b);
  json_builder_end_array (b);
  json_builder_add_int_value (b, G_MININT64);
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/* Everything but fractions is written as json-glib writes it */
static void
test_same_as_json_glib (void)
{
  g_autoptr(JsonNode) node = sample_without_fractions ();
  g_autofree char *ours = tp_cli_json_to_string (node);
  g_autofree char *theirs = json_glib_text (node);
  g_autoptr(JsonNode) back = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (ours, ==, theirs);
  /* and it is JSON, with no control byte left */
  for (const char *p = ours; *p != '\0'; p++)
    g_assert_cmpint ((guchar) *p, >=, 0x20);
  back = json_from_string (ours, &error);
  g_assert_no_error (error);
}

static void
test_fractions_three_decimals (void)
{
  static const struct {
    double      value;
    const char *text;
  } cases[] = {
    { 0.756, "[0.756]" },
    { 0.75600000000000001, "[0.756]" },
    { 0.99949, "[0.999]" },
    { 0.9995, "[1.000]" },
    { 1.0, "[1.000]" },
    { 0.0, "[0.000]" },
    { -0.5, "[-0.500]" },
    { NAN, "[null]" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) node = NULL;
      g_autofree char *text = NULL;

      json_builder_begin_array (b);
      json_builder_add_double_value (b, cases[i].value);
      json_builder_end_array (b);
      node = json_builder_get_root (b);
      text = tp_cli_json_to_string (node);
      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cli-json/same-as-json-glib", test_same_as_json_glib);
  g_test_add_func ("/cli-json/fractions-three-decimals", test_fractions_three_decimals);

  return g_test_run ();
}
