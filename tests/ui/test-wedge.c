/* test-wedge.c: keystroke bursts recognised as an MRZ or a boarding pass
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "tp-ui-test.h"
#include "tp-wedge.h"

#define MRZ "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10"
#define PASS "M1DESMARAIS/LUC       EABC123 YULFRAAC 0834 326J001A0025 100"

typedef struct {
  GtkWindow *window;
  GtkWidget *entry;
  TpWedge   *wedge;
  char      *mrz;
  char      *pass;
} Fixture;

static void
mrz_cb (TpWedge    *wedge,
        const char *text,
        Fixture    *f)
{
  g_free (f->mrz);
  f->mrz = g_strdup (text);
}

static void
pass_cb (TpWedge    *wedge,
         const char *text,
         Fixture    *f)
{
  g_free (f->pass);
  f->pass = g_strdup (text);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->entry = gtk_entry_new ();
  f->window = tp_ui_test_window_new (f->entry, 600, 60);
  gtk_widget_grab_focus (f->entry);
  f->wedge = tp_wedge_new ();
  tp_wedge_attach (f->wedge, f->window);
  g_signal_connect (f->wedge, "mrz", G_CALLBACK (mrz_cb), f);
  g_signal_connect (f->wedge, "boarding-pass", G_CALLBACK (pass_cb), f);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->wedge);
  gtk_window_destroy (f->window);
  g_free (f->mrz);
  g_free (f->pass);
}

/* Types @text as key presses @gap_ms apart; a key the wedge does not hold
 * back is typed into the entry, as GTK would. */
static void
type (Fixture    *f,
      const char *text,
      guint32     start,
      guint       gap_ms)
{
  guint32 time = start;

  for (const char *p = text; *p != '\0'; p++, time += gap_ms)
    {
      guint keyval = *p == '\n' ? GDK_KEY_Return : gdk_unicode_to_keyval ((guchar) *p);

      if (!tp_wedge_key_pressed (f->wedge, keyval, 0, time) && *p != '\n')
        {
          GtkEditable *editable = GTK_EDITABLE (f->entry);
          int position = gtk_editable_get_position (editable);
          char c[2] = { *p, '\0' };

          gtk_editable_insert_text (editable, c, 1, &position);
          gtk_editable_set_position (editable, position);
        }
    }
}

static void
test_mrz_burst (Fixture       *f,
                gconstpointer  data)
{
  /* an officer had typed "AB" in the field; the reader's burst comes */
  gtk_editable_set_text (GTK_EDITABLE (f->entry), "AB");
  gtk_editable_set_position (GTK_EDITABLE (f->entry), 2);
  type (f, MRZ "\n", 1000, 4);
  tp_wedge_flush (f->wedge);
  g_assert_cmpstr (f->mrz, ==, MRZ);
  g_assert_null (f->pass);
  /* the burst's first key was taken back out of the field */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (f->entry)), ==, "AB");
}

static void
test_boarding_pass_burst (Fixture       *f,
                          gconstpointer  data)
{
  type (f, PASS "\n", 5000, 8);
  tp_wedge_flush (f->wedge);
  g_assert_cmpstr (f->pass, ==, PASS);
  g_assert_null (f->mrz);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (f->entry)), ==, "");
}

static void
test_person_typing (Fixture       *f,
                    gconstpointer  data)
{
  /* a person types the same text at 120 ms a key: nothing is held back */
  type (f, "L898902C36UTO7408122F1204159ZE1", 1000, 120);
  tp_wedge_flush (f->wedge);
  g_assert_null (f->mrz);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (f->entry)), ==, "L898902C36UTO7408122F1204159ZE1");

  /* a fast pair of keys that is no document goes into the field after all */
  gtk_editable_set_text (GTK_EDITABLE (f->entry), "");
  type (f, "ok", 90000, 10);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (f->entry)), ==, "o");
  tp_wedge_flush (f->wedge);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (f->entry)), ==, "ok");

  /* a fast burst that parses as nothing is typed in full, in order */
  gtk_editable_set_text (GTK_EDITABLE (f->entry), "");
  type (f, "THIS IS NOT AN MRZ NOR A BOARDING PASS", 200000, 3);
  tp_wedge_flush (f->wedge);
  g_assert_null (f->mrz);
  g_assert_null (f->pass);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (f->entry)), ==, "THIS IS NOT AN MRZ NOR A BOARDING PASS");
}

static void
test_end_by_enter (Fixture       *f,
                   gconstpointer  data)
{
  /* the scanner's Enter after a whole pass: recognised without waiting */
  type (f, PASS "\n", 9000, 5);
  g_assert_cmpstr (f->pass, ==, PASS);
  /* a document reader's Enter after line 1 of 2 is only a line break */
  type (f, MRZ, 20000, 5);
  g_assert_null (f->mrz);
  type (f, "\n", 20000 + 5 * strlen (MRZ) + 5, 5);
  g_assert_cmpstr (f->mrz, ==, MRZ);
}

static void
test_end_by_quiet (Fixture       *f,
                   gconstpointer  data)
{
  /* without flush: the burst ends after TP_WEDGE_END_MS of quiet */
  type (f, PASS, 7000, 5);
  g_assert_null (f->pass);
  tp_ui_test_spin (TP_WEDGE_END_MS * 3);
  g_assert_cmpstr (f->pass, ==, PASS);
  g_assert_cmpint (tp_wedge_get_last_burst_end (f->wedge), >, 0);
}

int
main (int    argc,
      char **argv)
{
  tp_ui_test_init (&argc, &argv);

  g_test_add ("/wedge/mrz-burst", Fixture, NULL, fixture_setup, test_mrz_burst, fixture_teardown);
  g_test_add ("/wedge/boarding-pass-burst", Fixture, NULL, fixture_setup, test_boarding_pass_burst, fixture_teardown);
  g_test_add ("/wedge/person-typing", Fixture, NULL, fixture_setup, test_person_typing, fixture_teardown);
  g_test_add ("/wedge/end-by-enter", Fixture, NULL, fixture_setup, test_end_by_enter, fixture_teardown);
  g_test_add ("/wedge/end-by-quiet", Fixture, NULL, fixture_setup, test_end_by_quiet, fixture_teardown);

  return g_test_run ();
}
