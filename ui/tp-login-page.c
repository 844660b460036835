/* tp-login-page.c: sign in, and unlock after the idle lock
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tp-login-page.h"

struct _TpLoginPage
{
  GtkWidget         parent_instance;

  GtkWidget        *box;
  GtkLabel         *title;
  GtkLabel         *subtitle;
  GtkEntry         *officer_id;
  GtkPasswordEntry *pin;
  GtkButton        *sign_in;
  GtkSpinner       *spinner;
  GtkLabel         *message;
  GtkLabel         *hint;

  TpAccounts       *accounts;
  GCancellable     *cancellable;
  char             *locked_by;
  gboolean          busy;
};

enum {
  SIGNED_IN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (TpLoginPage, tp_login_page, GTK_TYPE_WIDGET)

static void
update_sensitivity (TpLoginPage *self)
{
  const char *id = gtk_editable_get_text (GTK_EDITABLE (self->officer_id));
  const char *pin = gtk_editable_get_text (GTK_EDITABLE (self->pin));

  gtk_widget_set_sensitive (GTK_WIDGET (self->sign_in),
                            !self->busy && self->accounts != NULL && id[0] != '\0' && pin[0] != '\0');
  /* not insensitive: a focused entry made insensitive loses its focus-out
   * (GTK 4.8); read-only is enough while the PIN is checked */
  gtk_editable_set_editable (GTK_EDITABLE (self->officer_id), !self->busy);
  gtk_editable_set_editable (GTK_EDITABLE (self->pin), !self->busy);
}

static void
set_busy (TpLoginPage *self,
          gboolean     busy)
{
  self->busy = busy;
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  update_sensitivity (self);
}

static void
show_message (TpLoginPage *self,
              const char  *text)
{
  gtk_label_set_label (self->message, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->message), text != NULL && text[0] != '\0');
}

/* A message the officer can act on, in their language. */
static char *
refusal_message (TpLoginPage  *self,
                 const char   *id,
                 const GError *error)
{
  if (error->domain == TP_ACCOUNTS_ERROR)
    {
      switch ((TpAccountsError) error->code)
        {
        case TP_ACCOUNTS_ERROR_DENIED:
          return g_strdup (_("Officer ID or PIN is wrong. Try again."));
        case TP_ACCOUNTS_ERROR_LOCKED:
          {
            g_autoptr(TpOfficer) officer = tp_accounts_lookup (self->accounts, id, NULL);
            gint64 left = officer != NULL ? officer->locked_until - g_get_real_time () / G_USEC_PER_SEC : 0;
            int minutes = (int) MAX ((left + 59) / 60, 1);

            return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                 "Too many wrong PINs: this account is locked for %d more "
                                                 "minute. A supervisor can unlock it.",
                                                 "Too many wrong PINs: this account is locked for %d more "
                                                 "minutes. A supervisor can unlock it.", (gulong) minutes),
                                    minutes);
          }
        case TP_ACCOUNTS_ERROR_INVALID:
          return g_strdup_printf (_("An officer ID looks like IMM-01, and a PIN is %d to %d digits."),
                                  TP_ACCOUNTS_PIN_MIN, TP_ACCOUNTS_PIN_MAX);
        case TP_ACCOUNTS_ERROR_EXISTS:
        case TP_ACCOUNTS_ERROR_NOT_FOUND:
        case TP_ACCOUNTS_ERROR_FAILED:
        default:
          break;
        }
    }
  return g_strdup_printf (_("Cannot sign in: %s"), error->message);
}

static void
sign_in_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(TpLoginPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TpOfficer) officer = NULL;

  officer = tp_accounts_sign_in_finish (TP_ACCOUNTS (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  set_busy (self, FALSE);
  gtk_editable_set_text (GTK_EDITABLE (self->pin), "");
  if (officer == NULL)
    {
      g_autofree char *text = refusal_message (self, gtk_editable_get_text (GTK_EDITABLE (self->officer_id)),
                                               error);

      show_message (self, text);
      gtk_widget_grab_focus (GTK_WIDGET (self->pin));
      return;
    }
  show_message (self, NULL);
  g_signal_emit (self, signals[SIGNED_IN], 0, officer);
}

static void
officer_id_activate_cb (TpLoginPage *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self->pin));
}

static void
pin_activate_cb (TpLoginPage *self)
{
  tp_login_page_submit (self);
}

static void
sign_in_clicked_cb (TpLoginPage *self)
{
  tp_login_page_submit (self);
}

static void
field_changed_cb (TpLoginPage *self)
{
  update_sensitivity (self);
}

static void
tp_login_page_dispose (GObject *object)
{
  TpLoginPage *self = TP_LOGIN_PAGE (object);
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->accounts);
  gtk_widget_dispose_template (GTK_WIDGET (self), TP_TYPE_LOGIN_PAGE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (tp_login_page_parent_class)->dispose (object);
}

static void
tp_login_page_finalize (GObject *object)
{
  TpLoginPage *self = TP_LOGIN_PAGE (object);

  g_free (self->locked_by);
  G_OBJECT_CLASS (tp_login_page_parent_class)->finalize (object);
}

static gboolean
tp_login_page_grab_focus (GtkWidget *widget)
{
  TpLoginPage *self = TP_LOGIN_PAGE (widget);

  if (self->locked_by != NULL)
    return gtk_widget_grab_focus (GTK_WIDGET (self->pin));
  return gtk_widget_grab_focus (GTK_WIDGET (self->officer_id));
}

static void
tp_login_page_class_init (TpLoginPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tp_login_page_dispose;
  object_class->finalize = tp_login_page_finalize;
  widget_class->grab_focus = tp_login_page_grab_focus;

  /**
   * TpLoginPage::signed-in:
   * @officer: (type gpointer): the TpOfficer, valid during the emission
   */
  signals[SIGNED_IN] = g_signal_new ("signed-in", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/touchpoint/Touchpoint/tp-login-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TpLoginPage, box);
  gtk_widget_class_bind_template_child (widget_class, TpLoginPage, title);
  gtk_widget_class_bind_template_child (widget_class, TpLoginPage, subtitle);
  gtk_widget_class_bind_template_child (widget_class, TpLoginPage, officer_id);
  gtk_widget_class_bind_template_child (widget_class, TpLoginPage, pin);
  gtk_widget_class_bind_template_child (widget_class, TpLoginPage, sign_in);
  gtk_widget_class_bind_template_child (widget_class, TpLoginPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, TpLoginPage, message);
  gtk_widget_class_bind_template_child (widget_class, TpLoginPage, hint);
  gtk_widget_class_bind_template_callback (widget_class, officer_id_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, pin_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, sign_in_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, field_changed_cb);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
tp_login_page_init (TpLoginPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}

GtkWidget *
tp_login_page_new (void)
{
  return g_object_new (TP_TYPE_LOGIN_PAGE, NULL);
}

void
tp_login_page_set_accounts (TpLoginPage *self,
                            TpAccounts  *accounts)
{
  g_return_if_fail (TP_IS_LOGIN_PAGE (self));

  g_set_object (&self->accounts, accounts);
  update_sensitivity (self);
}

void
tp_login_page_set_locked_by (TpLoginPage *self,
                             const char  *officer_id)
{
  g_return_if_fail (TP_IS_LOGIN_PAGE (self));

  g_free (self->locked_by);
  self->locked_by = g_strdup (officer_id);
  if (officer_id != NULL)
    {
      g_autofree char *text = NULL;

      gtk_label_set_label (self->title, _("Locked"));
      text = g_strdup_printf (_("%s is signed in. Enter the PIN to continue, or sign in as "
                                "another officer."), officer_id);
      gtk_label_set_label (self->subtitle, text);
      gtk_editable_set_text (GTK_EDITABLE (self->officer_id), officer_id);
    }
  else
    {
      gtk_label_set_label (self->title, _("Sign in"));
      gtk_label_set_label (self->subtitle, _("Touchpoint: one counter, one case"));
    }
}

void
tp_login_page_set_hint (TpLoginPage *self,
                        const char  *hint)
{
  g_return_if_fail (TP_IS_LOGIN_PAGE (self));

  gtk_label_set_label (self->hint, hint != NULL ? hint : "");
  gtk_widget_set_visible (GTK_WIDGET (self->hint), hint != NULL);
}

void
tp_login_page_reset (TpLoginPage *self)
{
  g_return_if_fail (TP_IS_LOGIN_PAGE (self));

  gtk_editable_set_text (GTK_EDITABLE (self->pin), "");
  if (self->locked_by == NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->officer_id), "");
  show_message (self, NULL);
}

const char *
tp_login_page_get_message (TpLoginPage *self)
{
  g_return_val_if_fail (TP_IS_LOGIN_PAGE (self), NULL);

  return gtk_label_get_label (self->message);
}

void
tp_login_page_submit (TpLoginPage *self)
{
  g_autofree char *id = NULL;
  g_autofree char *pin = NULL;

  g_return_if_fail (TP_IS_LOGIN_PAGE (self));

  if (self->busy || self->accounts == NULL)
    return;
  id = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->officer_id))));
  pin = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->pin)));
  if (id[0] == '\0' || pin[0] == '\0')
    {
      show_message (self, _("Enter your officer ID and PIN."));
      return;
    }
  set_busy (self, TRUE);
  show_message (self, NULL);
  tp_accounts_sign_in_async (self->accounts, id, pin, self->cancellable, sign_in_cb, g_object_ref (self));
  memset (pin, 0, strlen (pin));
}

gboolean
tp_login_page_get_busy (TpLoginPage *self)
{
  g_return_val_if_fail (TP_IS_LOGIN_PAGE (self), FALSE);

  return self->busy;
}
