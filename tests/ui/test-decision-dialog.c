/* test-decision-dialog.c: decisions asked for and recorded as events
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "tp-decision-dialog.h"
#include "tp-ui-case.h"
#include "tp-ui-test.h"

#define HUONG "full:holder=Trần/Thị Hương/C7654321/VNM/850319/F/340901/079185004321"

typedef struct {
  TpUiCase  *c;
  GtkWindow *parent;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->c = tp_ui_case_new ();
  f->parent = tp_ui_test_window_new (gtk_label_new ("counter"), 800, 600);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  gtk_window_destroy (f->parent);
  tp_ui_case_free (f->c);
}

/* The last event of the case, as an object. */
static JsonObject *
last_event (TpCase *kase)
{
  GPtrArray *events = tp_case_get_events (kase);

  g_assert_cmpuint (events->len, >, 0);
  return json_node_get_object (g_ptr_array_index (events, events->len - 1));
}

static TpDecisionDialog *
dialog_for (Fixture    *f,
            TpCase     *kase,
            TpRoles     role,
            const char *action)
{
  TpDecisionDialog *dialog = tp_decision_dialog_new (f->parent, kase, role, action);

  gtk_window_present (GTK_WINDOW (dialog));
  tp_ui_test_wait_for_draw (GTK_WIDGET (dialog));
  return dialog;
}

static void
test_deny_exit (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *shot = NULL;
  TpDecisionDialog *dialog;
  JsonObject *event;
  TpCase *kase;

  tp_counter_set_officer (f->c->counter, "IMM-01", TP_ROLE_IMMIGRATION);
  kase = tp_ui_case_present (f->c, "full");
  g_assert_cmpint (tp_case_get_verdict (kase), ==, TP_VERDICT_STOP);

  dialog = dialog_for (f, kase, TP_ROLE_IMMIGRATION, "deny_exit");
  /* the notice reference the officer hands over: the ban's basis */
  g_assert_cmpstr (tp_decision_dialog_get_notice (dialog), ==, "1234/TB-HQ");
  g_assert_nonnull (tp_ui_test_find_labelled (GTK_WIDGET (dialog), GTK_TYPE_LABEL, "1234/TB-HQ"));
  g_assert_true (tp_decision_dialog_get_ready (dialog));
  g_assert_cmpstr (adw_message_dialog_get_response_label (ADW_MESSAGE_DIALOG (dialog), "confirm"), ==, "Deny exit");
  shot = tp_ui_test_screenshot (GTK_WIDGET (dialog), "decision-deny-exit");
  g_assert_true (tp_decision_dialog_apply (dialog, &error));
  g_assert_no_error (error);
  gtk_window_destroy (GTK_WINDOW (dialog));

  event = last_event (kase);
  g_assert_cmpstr (json_object_get_string_member (event, "type"), ==, "decision");
  g_assert_cmpstr (json_object_get_string_member (event, "action"), ==, "deny_exit");
  g_assert_cmpstr (json_object_get_string_member (event, "notice_reference"), ==, "1234/TB-HQ");
  g_assert_cmpstr (json_object_get_string_member (event, "officer"), ==, "IMM-01");
  /* written to the hash-chained audit log */
  g_assert_true (json_object_has_member (event, "audit"));

  /* allow exit on a STOP is not an immigration officer's to take */
  dialog = dialog_for (f, kase, TP_ROLE_IMMIGRATION, "allow_exit");
  g_assert_false (tp_decision_dialog_apply (dialog, &error));
  g_assert_error (error, TP_CASE_ERROR, TP_CASE_ERROR_NOT_PERMITTED);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
test_escalate_and_resolve (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  TpDecisionDialog *dialog;
  JsonObject *event;
  g_autofree char *escalation = NULL;
  TpCase *kase;

  tp_counter_set_officer (f->c->counter, "IMM-01", TP_ROLE_IMMIGRATION);
  kase = tp_ui_case_present (f->c, HUONG);
  g_assert_cmpint (tp_case_get_verdict (kase), ==, TP_VERDICT_REVIEW);

  /* an escalation needs a reason */
  dialog = dialog_for (f, kase, TP_ROLE_IMMIGRATION, "escalate");
  g_assert_false (tp_decision_dialog_get_ready (dialog));
  g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "confirm"));
  tp_decision_dialog_set_reason (dialog, "Birth date differs from the ban's by ten days");
  g_assert_true (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "confirm"));
  g_assert_true (tp_decision_dialog_apply (dialog, &error));
  g_assert_no_error (error);
  gtk_window_destroy (GTK_WINDOW (dialog));
  event = last_event (kase);
  g_assert_cmpstr (json_object_get_string_member (event, "type"), ==, "escalation");
  g_assert_cmpstr (json_object_get_string_member (event, "verdict"), ==, "REVIEW");
  escalation = g_strdup (json_object_get_string_member (event, "id"));

  /* the supervisor takes the case over and resolves that escalation */
  tp_case_set_officer (kase, "SUP-01", TP_ROLE_SUPERVISOR);
  dialog = dialog_for (f, kase, TP_ROLE_SUPERVISOR, "resolve");
  g_assert_true (tp_decision_dialog_get_ready (dialog));
  g_assert_true (tp_decision_dialog_apply (dialog, &error));
  g_assert_no_error (error);
  gtk_window_destroy (GTK_WINDOW (dialog));
  event = last_event (kase);
  g_assert_cmpstr (json_object_get_string_member (event, "action"), ==, "resolve");
  g_assert_cmpstr (json_object_get_string_member (event, "escalation"), ==, escalation);
  g_assert_cmpstr (json_object_get_string_member (event, "officer"), ==, "SUP-01");

  /* nothing left to resolve */
  dialog = dialog_for (f, kase, TP_ROLE_SUPERVISOR, "resolve");
  g_assert_false (tp_decision_dialog_get_ready (dialog));
  gtk_window_destroy (GTK_WINDOW (dialog));

  /* an override needs a reason */
  dialog = dialog_for (f, kase, TP_ROLE_SUPERVISOR, "override");
  g_assert_false (tp_decision_dialog_get_ready (dialog));
  tp_decision_dialog_set_reason (dialog, "Identity confirmed by phone with the issuing office");
  g_assert_true (tp_decision_dialog_apply (dialog, &error));
  g_assert_no_error (error);
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_cmpstr (json_object_get_string_member (last_event (kase), "action"), ==, "override");
}

static void
test_clear_false_positive (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *shot = NULL;
  TpDecisionDialog *dialog;
  JsonObject *event, *entry;
  TpCase *kase;

  tp_counter_set_officer (f->c->counter, "SUP-01", TP_ROLE_SUPERVISOR);
  kase = tp_ui_case_present (f->c, HUONG);
  dialog = dialog_for (f, kase, TP_ROLE_SUPERVISOR, "clear_false_positive");
  g_assert_false (tp_decision_dialog_get_ready (dialog));
  tp_decision_dialog_set_reason (dialog, "Another person: birth certificate shown");
  g_assert_true (tp_decision_dialog_get_ready (dialog));
  shot = tp_ui_test_screenshot (GTK_WIDGET (dialog), "decision-clear-false-positive");
  g_assert_true (tp_decision_dialog_apply (dialog, &error));
  g_assert_no_error (error);
  gtk_window_destroy (GTK_WINDOW (dialog));

  event = last_event (kase);
  /* the decision, then the case screened again without the pair */
  for (guint i = 0; !g_str_equal (json_object_get_string_member (event, "type"), "decision"); i++)
    {
      GPtrArray *events = tp_case_get_events (kase);

      g_assert_cmpuint (i + 2, <=, events->len);
      event = json_node_get_object (g_ptr_array_index (events, events->len - 2 - i));
    }
  g_assert_cmpstr (json_object_get_string_member (event, "action"), ==, "clear_false_positive");
  entry = json_object_get_object_member (event, "entry");
  g_assert_cmpstr (json_object_get_string_member (entry, "id"), ==, "EB-2026-000101");
  g_assert_cmpint (tp_case_get_verdict (kase), ==, TP_VERDICT_CLEAR);
}

static void
test_record_findings (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  TpDecisionDialog *dialog;
  JsonObject *event;
  TpCase *kase;

  tp_counter_set_officer (f->c->counter, "CUS-01", TP_ROLE_CUSTOMS);
  kase = tp_ui_case_present (f->c, "full:holder=Hoàng/Văn Nam/N1122334/VNM/820114/M/320620/001082011223");
  g_assert_cmpint (tp_case_get_verdict (kase), ==, TP_VERDICT_REFER);
  dialog = dialog_for (f, kase, TP_ROLE_CUSTOMS, "record_findings");
  tp_decision_dialog_set_reason (dialog, "Two undeclared laptops");
  g_assert_true (tp_decision_dialog_apply (dialog, &error));
  g_assert_no_error (error);
  gtk_window_destroy (GTK_WINDOW (dialog));
  event = last_event (kase);
  g_assert_cmpstr (json_object_get_string_member (event, "action"), ==, "record_findings");
  g_assert_cmpstr (json_object_get_string_member (event, "category"), ==, "nothing_found");
  g_assert_cmpstr (json_object_get_string_member (event, "reason"), ==, "Two undeclared laptops");
}

int
main (int    argc,
      char **argv)
{
  tp_ui_test_init (&argc, &argv);

  g_test_add ("/decision-dialog/deny-exit", Fixture, NULL, fixture_setup, test_deny_exit, fixture_teardown);
  g_test_add ("/decision-dialog/escalate-and-resolve", Fixture, NULL, fixture_setup, test_escalate_and_resolve,
              fixture_teardown);
  g_test_add ("/decision-dialog/clear-false-positive", Fixture, NULL, fixture_setup, test_clear_false_positive,
              fixture_teardown);
  g_test_add ("/decision-dialog/record-findings", Fixture, NULL, fixture_setup, test_record_findings,
              fixture_teardown);

  return g_test_run ();
}
