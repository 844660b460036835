/* test-login-page.c: signing in against real accounts in a real store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tp-accounts.h"
#include "tp-key-source.h"
#include "tp-login-page.h"
#include "tp-ui-test.h"

typedef struct {
  char       *dir;
  TpStore    *store;
  TpAccounts *accounts;
  GtkWidget  *page;
  GtkWindow  *window;
  char       *signed_in;
  gboolean    done;
} Fixture;

static void
signed_in_cb (TpLoginPage *page,
              TpOfficer   *officer,
              Fixture     *f)
{
  g_free (f->signed_in);
  f->signed_in = g_strdup (officer->id);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db = NULL;
  g_autofree char *key_path = NULL;
  g_autoptr(TpKeySource) key = NULL;

  f->dir = tp_ui_test_make_dir ();
  db = g_build_filename (f->dir, "terminal.db", NULL);
  key_path = g_build_filename (f->dir, "terminal.key", NULL);
  key = tp_key_file_new (key_path);
  f->store = tp_store_open (db, key, TP_STORE_OPEN_CREATE, &error);
  g_assert_no_error (error);
  f->accounts = tp_accounts_new (f->store, &error);
  g_assert_no_error (error);
  g_assert_true (tp_accounts_add_demo (f->accounts, &error));
  tp_accounts_set_lockout (f->accounts, 3, 300);

  f->page = tp_login_page_new ();
  tp_login_page_set_accounts (TP_LOGIN_PAGE (f->page), f->accounts);
  g_signal_connect (f->page, "signed-in", G_CALLBACK (signed_in_cb), f);
  f->window = tp_ui_test_window_new (f->page, 800, 700);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  gtk_window_destroy (f->window);
  g_clear_object (&f->accounts);
  g_clear_object (&f->store);
  tp_ui_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->signed_in);
}

static GtkWidget *
field (Fixture    *f,
       const char *name)
{
  /* the fields are found as a screen reader finds them: by their names */
  GType type = g_str_equal (name, "PIN") ? GTK_TYPE_PASSWORD_ENTRY : GTK_TYPE_ENTRY;
  GtkWidget *label = tp_ui_test_find_labelled (f->page, GTK_TYPE_LABEL, g_str_equal (name, "PIN") ? "_PIN"
                                                                                                 : "_Officer ID");
  GtkWidget *widget;

  g_assert_nonnull (label);
  widget = gtk_label_get_mnemonic_widget (GTK_LABEL (label));
  g_assert_true (g_type_is_a (G_OBJECT_TYPE (widget), type));
  return widget;
}

/* Fills the form, presses Sign in, and waits for the answer. */
static void
sign_in (Fixture    *f,
         const char *id,
         const char *pin)
{
  GtkWidget *button = tp_ui_test_find_labelled (f->page, GTK_TYPE_BUTTON, "Sign in");

  gtk_editable_set_text (GTK_EDITABLE (field (f, "Officer ID")), id);
  gtk_editable_set_text (GTK_EDITABLE (field (f, "PIN")), pin);
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
  g_assert_true (tp_login_page_get_busy (TP_LOGIN_PAGE (f->page)));
  while (tp_login_page_get_busy (TP_LOGIN_PAGE (f->page)))
    g_main_context_iteration (NULL, TRUE);
}

static void
test_sign_in (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *shot = NULL;
  GtkWidget *button = tp_ui_test_find_labelled (f->page, GTK_TYPE_BUTTON, "Sign in");

  g_assert_nonnull (button);
  g_assert_false (gtk_widget_is_sensitive (button));
  shot = tp_ui_test_screenshot (f->page, "login");

  sign_in (f, "imm-01", "1111");
  g_assert_cmpstr (f->signed_in, ==, "IMM-01");
  g_assert_cmpstr (tp_login_page_get_message (TP_LOGIN_PAGE (f->page)), ==, "");
  /* the PIN does not stay in the field */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (field (f, "PIN"))), ==, "");
}

static void
test_wrong_pin_and_lockout (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *shot = NULL;

  sign_in (f, "CUS-01", "1111");
  g_assert_null (f->signed_in);
  g_assert_cmpstr (tp_login_page_get_message (TP_LOGIN_PAGE (f->page)), ==,
                   "Officer ID or PIN is wrong. Try again.");
  sign_in (f, "CUS-09", "2222");
  g_assert_cmpstr (tp_login_page_get_message (TP_LOGIN_PAGE (f->page)), ==,
                   "Officer ID or PIN is wrong. Try again.");
  sign_in (f, "CUS-01", "12");
  g_assert_cmpstr (tp_login_page_get_message (TP_LOGIN_PAGE (f->page)), ==,
                   "An officer ID looks like IMM-01, and a PIN is 4 to 12 digits.");

  /* the third wrong PIN in a row locks the account; the right one is refused then */
  sign_in (f, "CUS-01", "1112");
  sign_in (f, "CUS-01", "1113");
  g_assert_cmpstr (tp_login_page_get_message (TP_LOGIN_PAGE (f->page)), ==,
                   "Too many wrong PINs: this account is locked for 5 more minutes. A supervisor can unlock it.");
  sign_in (f, "CUS-01", "2222");
  g_assert_null (f->signed_in);
  g_assert_cmpstr (tp_login_page_get_message (TP_LOGIN_PAGE (f->page)), ==,
                   "Too many wrong PINs: this account is locked for 5 more minutes. A supervisor can unlock it.");
  shot = tp_ui_test_screenshot (f->page, "login-locked-out");
}

static void
test_idle_locked (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *shot = NULL;

  tp_login_page_set_locked_by (TP_LOGIN_PAGE (f->page), "SUP-01");
  tp_login_page_reset (TP_LOGIN_PAGE (f->page));
  g_assert_nonnull (tp_ui_test_find_labelled (f->page, GTK_TYPE_LABEL, "Locked"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (field (f, "Officer ID"))), ==, "SUP-01");
  shot = tp_ui_test_screenshot (f->page, "login-idle-locked");
  sign_in (f, "SUP-01", "3333");
  g_assert_cmpstr (f->signed_in, ==, "SUP-01");
}

int
main (int    argc,
      char **argv)
{
  tp_ui_test_init (&argc, &argv);

  g_test_add ("/login-page/sign-in", Fixture, NULL, fixture_setup, test_sign_in, fixture_teardown);
  g_test_add ("/login-page/wrong-pin-and-lockout", Fixture, NULL, fixture_setup, test_wrong_pin_and_lockout,
              fixture_teardown);
  g_test_add ("/login-page/idle-locked", Fixture, NULL, fixture_setup, test_idle_locked, fixture_teardown);

  return g_test_run ();
}
