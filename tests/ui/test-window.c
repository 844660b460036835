/* test-window.c: the whole window: sign in, lock, roles, sign out, kiosk
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tp-accounts.h"
#include "tp-key-source.h"
#include "tp-ui-case.h"
#include "tp-ui-test.h"
#include "tp-window.h"

/* one application for the whole program: it stays registered on the bus */
static GtkApplication *app;

typedef struct {
  char           *dir;
  TpUiCase       *c;
  GtkApplication *app;
  TpTerminal     *terminal;
  TpSession      *session;
  TpWindow       *window;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TpStore) store = NULL;
  g_autoptr(TpAccounts) accounts = NULL;

  f->c = tp_ui_case_new ();
  store = g_object_ref (f->c->store);
  accounts = tp_accounts_new (store, &error);
  g_assert_no_error (error);
  g_assert_true (tp_accounts_add_demo (accounts, &error));

  f->app = app;
  f->terminal = tp_terminal_new ();
  tp_terminal_set_store (f->terminal, store, accounts);
  f->session = tp_session_new ();
  f->window = tp_window_new (f->app, f->terminal, f->session);
  tp_window_set_place (f->window, "HAN", "T2-EXIT-07");
  tp_window_set_counter (f->window, f->c->counter);
  gtk_window_present (GTK_WINDOW (f->window));
  tp_ui_test_wait_for_draw (GTK_WIDGET (f->window));
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  tp_window_set_kiosk (f->window, FALSE);
  gtk_window_destroy (GTK_WINDOW (f->window));
  g_clear_object (&f->session);
  g_clear_object (&f->terminal);
  tp_ui_case_free (f->c);
}

static GtkWidget *
find_button (Fixture    *f,
             const char *label)
{
  return tp_ui_test_find_labelled (GTK_WIDGET (f->window), GTK_TYPE_BUTTON, label);
}

static void
sign_in (Fixture    *f,
         const char *id,
         const char *pin)
{
  TpLoginPage *page = tp_window_get_login_page (f->window);
  GtkWidget *id_label = tp_ui_test_find_labelled (GTK_WIDGET (page), GTK_TYPE_LABEL, "_Officer ID");
  GtkWidget *pin_label = tp_ui_test_find_labelled (GTK_WIDGET (page), GTK_TYPE_LABEL, "_PIN");

  g_assert_cmpstr (tp_window_get_screen (f->window), ==, "login");
  gtk_editable_set_text (GTK_EDITABLE (gtk_label_get_mnemonic_widget (GTK_LABEL (id_label))), id);
  gtk_editable_set_text (GTK_EDITABLE (gtk_label_get_mnemonic_widget (GTK_LABEL (pin_label))), pin);
  /* Enter in the PIN field signs in, as the keyboard would */
  tp_login_page_submit (page);
  while (tp_login_page_get_busy (page))
    g_main_context_iteration (NULL, TRUE);
  tp_ui_test_wait_for_draw (GTK_WIDGET (f->window));
}

static GtkWidget *
officer_badge (Fixture *f)
{
  GtkWidget *label = tp_ui_test_find_labelled (GTK_WIDGET (f->window), GTK_TYPE_LABEL, "IMM-01 · Immigration");

  if (label == NULL)
    label = tp_ui_test_find_labelled (GTK_WIDGET (f->window), GTK_TYPE_LABEL, "IMM-01 · Locked");
  if (label == NULL)
    label = tp_ui_test_find_labelled (GTK_WIDGET (f->window), GTK_TYPE_LABEL, "Not signed in");
  if (label == NULL)
    label = tp_ui_test_find_labelled (GTK_WIDGET (f->window), GTK_TYPE_LABEL, "SUP-01 · Supervisor");
  g_assert_nonnull (label);
  return gtk_widget_get_parent (label);
}

static void
test_sign_in_lock_sign_out (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *shot1 = NULL;
  g_autofree char *shot2 = NULL;
  g_autofree char *shot3 = NULL;

  g_assert_cmpstr (tp_window_get_screen (f->window), ==, "login");
  gtk_test_accessible_assert_property (officer_badge (f), GTK_ACCESSIBLE_PROPERTY_LABEL, "Not signed in");
  shot1 = tp_ui_test_screenshot (GTK_WIDGET (f->window), "window-login");

  sign_in (f, "IMM-01", "1111");
  g_assert_cmpstr (tp_window_get_screen (f->window), ==, "work");
  g_assert_cmpstr (tp_window_get_view (f->window), ==, "counter");
  gtk_test_accessible_assert_property (officer_badge (f), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Signed in: IMM-01, Immigration");
  g_assert_nonnull (find_button (f, "Allow exit"));
  g_assert_null (find_button (f, "Override"));
  shot2 = tp_ui_test_screenshot (GTK_WIDGET (f->window), "window-counter-immigration");

  /* lock: the officer is still shown, the counter is not */
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.lock", NULL);
  g_assert_true (tp_session_get_locked (f->session));
  g_assert_cmpstr (tp_window_get_screen (f->window), ==, "login");
  gtk_test_accessible_assert_property (officer_badge (f), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Signed in: IMM-01, Immigration, locked");
  shot3 = tp_ui_test_screenshot (GTK_WIDGET (f->window), "window-locked");

  /* a wrong PIN does not unlock */
  sign_in (f, "IMM-01", "2222");
  g_assert_cmpstr (tp_window_get_screen (f->window), ==, "login");
  sign_in (f, "IMM-01", "1111");
  g_assert_cmpstr (tp_window_get_screen (f->window), ==, "work");

  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.sign-out", NULL);
  g_assert_null (tp_session_get_officer (f->session));
  g_assert_cmpstr (tp_window_get_screen (f->window), ==, "login");
  gtk_test_accessible_assert_property (officer_badge (f), GTK_ACCESSIBLE_PROPERTY_LABEL, "Not signed in");
}

static void
test_supervisor_and_views (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *shot = NULL;

  sign_in (f, "SUP-01", "3333");
  gtk_test_accessible_assert_property (officer_badge (f), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Signed in: SUP-01, Supervisor");
  g_assert_nonnull (find_button (f, "Override"));
  g_assert_null (find_button (f, "Allow exit"));

  /* keyboard: Ctrl+3 is the queue for a supervisor */
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.view", "s", "queue");
  g_assert_cmpstr (tp_window_get_view (f->window), ==, "queue");
  tp_queue_page_add (tp_window_get_queue_page (f->window), "3b7d3a4e-2f43-4d6c-9a51-0d4b8c1e7f10",
                     g_get_real_time () / G_USEC_PER_SEC, "T2-EXIT-03", "IMM-02", TP_VERDICT_REVIEW,
                     "Possible match on a customs exit ban; the traveller disputes the birth date");
  g_assert_cmpuint (tp_queue_page_get_count (tp_window_get_queue_page (f->window)), ==, 1);
  shot = tp_ui_test_screenshot (GTK_WIDGET (f->window), "window-supervisor-queue");
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.view", "s", "manual");
  g_assert_cmpstr (tp_window_get_view (f->window), ==, "manual");

  /* an immigration officer has no queue */
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.sign-out", NULL);
  sign_in (f, "IMM-01", "1111");
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.view", "s", "queue");
  g_assert_cmpstr (tp_window_get_view (f->window), ==, "counter");
}

static void
test_idle_lock (Fixture       *f,
                gconstpointer  data)
{
  sign_in (f, "CUS-01", "2222");
  g_assert_cmpstr (tp_window_get_screen (f->window), ==, "work");
  tp_session_set_idle_timeout (f->session, 1);
  tp_ui_test_spin (400);
  g_assert_false (tp_session_get_locked (f->session));
  tp_ui_test_spin (1200);
  g_assert_true (tp_session_get_locked (f->session));
  g_assert_cmpstr (tp_window_get_screen (f->window), ==, "login");
}

static void
test_wedge_input (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *pass = g_strdup_printf ("M1NGUYEN/VAN AN       EDEMO01 HANNRTVN 0310 %03dY012A0042 100",
                                           g_date_time_get_day_of_year (now));
  TpWedge *wedge = tp_window_get_wedge (f->window);
  g_autofree char *shot = NULL;
  guint32 t = 1000;

  /* a locked terminal ignores the scanner */
  for (const char *p = pass; *p != '\0'; p++, t += 5)
    tp_wedge_key_pressed (wedge, gdk_unicode_to_keyval ((guchar) *p), 0, t);
  tp_wedge_flush (wedge);
  g_assert_null (tp_ui_test_find_labelled (GTK_WIDGET (f->window), ADW_TYPE_ACTION_ROW, "VN 0310  HAN → NRT"));

  sign_in (f, "IMM-01", "1111");
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.view", "s", "manual");
  t += 5000;
  for (const char *p = pass; *p != '\0'; p++, t += 5)
    tp_wedge_key_pressed (wedge, gdk_unicode_to_keyval ((guchar) *p), 0, t);
  tp_wedge_flush (wedge);
  /* the journey shows on the counter, whatever view was open */
  g_assert_cmpstr (tp_window_get_view (f->window), ==, "counter");
  tp_case_page_update_now (tp_window_get_case_page (f->window));
  g_assert_nonnull (tp_ui_test_find_labelled (GTK_WIDGET (f->window), ADW_TYPE_ACTION_ROW, "VN 0310  HAN → NRT"));
  g_assert_cmpstr (tp_status_bar_get_text (tp_window_get_status_bar (f->window), "scanner"), ==,
                   "Scanner: keyboard wedge");
  shot = tp_ui_test_screenshot (GTK_WIDGET (f->window), "window-boarding-pass");

  /* an MRZ typed by a document reader joins the traveller's case */
  tp_window_present_mrz (f->window, tp_ui_case_chip_mrz ("full"));
  g_assert_cmpstr (tp_window_get_view (f->window), ==, "counter");
  g_assert_nonnull (tp_case_get_printed_mrz (tp_counter_get_case (f->c->counter)));
  g_assert_nonnull (tp_case_get_boarding_pass (tp_counter_get_case (f->c->counter)));

  /* one whose check digits fail goes to the MRZ view to be corrected */
  tp_window_present_mrz (f->window, "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
                                    "L898902C46UTO7408122F1204159ZE184226B<<<<<10");
  g_assert_cmpstr (tp_window_get_view (f->window), ==, "manual");
  g_assert_false (tp_mrz_entry_get_complete (tp_window_get_mrz_entry (f->window)));
}

static void
test_escalation_queue (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *escalation = NULL;
  g_autofree char *shot = NULL;
  TpQueuePage *queue = tp_window_get_queue_page (f->window);
  GtkWidget *open;
  TpDecision resolve = { .action = TP_DECISION_RESOLVE };
  TpCase *kase;

  sign_in (f, "IMM-01", "1111");
  kase = tp_ui_case_present (f->c, "full:holder=Trần/Thị Hương/C7654321/VNM/850319/F/340901/079185004321");
  escalation = tp_case_escalate (kase, "Birth date differs from the ban's", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tp_queue_page_get_count (queue), ==, 1);

  /* the supervisor signs in at this terminal: the case waits in the queue */
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.sign-out", NULL);
  g_assert_null (tp_counter_get_case (f->c->counter));
  sign_in (f, "SUP-01", "3333");
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.view", "s", "queue");
  open = tp_ui_test_find_labelled (GTK_WIDGET (queue), GTK_TYPE_BUTTON, "Open");
  g_assert_nonnull (open);
  shot = tp_ui_test_screenshot (GTK_WIDGET (f->window), "window-escalation-queue");
  g_signal_emit_by_name (open, "clicked");
  g_assert_cmpstr (tp_window_get_view (f->window), ==, "counter");
  g_assert_true (tp_counter_get_case (f->c->counter) == kase);
  g_assert_cmpstr (tp_case_get_officer (kase), ==, "SUP-01");

  /* resolved: out of the queue */
  resolve.escalation = escalation;
  g_assert_true (tp_case_decide (kase, &resolve, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (tp_queue_page_get_count (queue), ==, 0);
}

static void
test_kiosk (Fixture       *f,
            gconstpointer  data)
{
  tp_window_set_kiosk (f->window, TRUE);
  g_assert_false (gtk_window_get_deletable (GTK_WINDOW (f->window)));
  g_assert_null (find_button (f, "Close"));
  gtk_window_close (GTK_WINDOW (f->window));
  tp_ui_test_spin (100);
  /* still there: an officer cannot close a kiosk */
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (f->window)));
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;

  tp_ui_test_init (&argc, &argv);
  app = GTK_APPLICATION (adw_application_new ("org.touchpoint.Touchpoint.Test", G_APPLICATION_NON_UNIQUE));
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  g_test_add ("/window/sign-in-lock-sign-out", Fixture, NULL, fixture_setup, test_sign_in_lock_sign_out,
              fixture_teardown);
  g_test_add ("/window/supervisor-and-views", Fixture, NULL, fixture_setup, test_supervisor_and_views,
              fixture_teardown);
  g_test_add ("/window/idle-lock", Fixture, NULL, fixture_setup, test_idle_lock, fixture_teardown);
  g_test_add ("/window/wedge-input", Fixture, NULL, fixture_setup, test_wedge_input, fixture_teardown);
  g_test_add ("/window/escalation-queue", Fixture, NULL, fixture_setup, test_escalation_queue, fixture_teardown);
  g_test_add ("/window/kiosk", Fixture, NULL, fixture_setup, test_kiosk, fixture_teardown);

  return g_test_run ();
}
