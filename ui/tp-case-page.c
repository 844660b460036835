/* tp-case-page.c: one traveller, one case
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Everything shown is read from the TpCase (and the TpCounter for the
 * chip read in progress); this file decides nothing about the traveller.
 * Sentences are composed here from the case's structured results, so that
 * they are in the officer's language.
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "tp-case-page.h"
#include "tp-check-row.h"
#include "tp-decision-dialog.h"
#include "tp-decisions.h"
#include "tp-face.h"

struct _TpCasePage
{
  GtkWidget        parent_instance;

  GtkWidget       *scroller;
  TpVerdictBanner *banner;
  GtkPicture      *face;
  GtkLabel        *identity;
  GtkWidget       *chip_box;
  GtkLabel        *chip_label;
  GtkWidget       *read_button;
  GtkProgressBar  *chip_progress;
  GtkListBox      *checks;
  GtkListBox      *legs;
  GtkListBox      *journey_checks;
  GtkBox          *hits;
  GtkFlowBox      *actions;
  GtkListBox      *timeline;
  GtkEntry        *note;

  TpCounter       *counter;
  TpCase          *kase;
  TpRoles          role;
  guint            update_source;
  const TpDocument *face_document;   /* the document whose face is shown (not a reference) */
  GCancellable    *face_cancellable;
  gint64           journey_shown;
  gint64           updated;
};

enum {
  DECISION,
  NOTE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (TpCasePage, tp_case_page, GTK_TYPE_WIDGET)

static void schedule_update (TpCasePage *self);

/* ---- helpers ---------------------------------------------------------- */

/* Removes the rows, not the placeholder. */
static void
clear_list (GtkListBox *list)
{
  GtkListBoxRow *row;

  while ((row = gtk_list_box_get_row_at_index (list, 0)) != NULL)
    gtk_list_box_remove (list, GTK_WIDGET (row));
}

static void
clear_box (GtkBox *box)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (box))) != NULL)
    gtk_box_remove (box, child);
}

static GtkWidget *
placeholder (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_set_margin_top (label, 12);
  gtk_widget_set_margin_bottom (label, 12);
  gtk_widget_set_margin_start (label, 12);
  gtk_widget_set_margin_end (label, 12);
  return label;
}

const char *
tp_case_page_agency_label (TpAgency agency)
{
  switch (agency)
    {
    case TP_AGENCY_CUSTOMS:
      return _("Customs");
    case TP_AGENCY_TAX:
      return _("Tax");
    case TP_AGENCY_IMMIGRATION:
      return _("Immigration");
    case TP_AGENCY_POLICE:
      return _("Police");
    case TP_AGENCY_COURT:
      return _("Court");
    default:
      return "?";
    }
}

static const char *
band_label (TpBand band)
{
  switch (band)
    {
    case TP_BAND_CONFIRMED:
      return C_("band", "confirmed");
    case TP_BAND_PROBABLE:
      return C_("band", "probable");
    case TP_BAND_POSSIBLE:
      return C_("band", "possible");
    case TP_BAND_NONE:
    default:
      return C_("band", "none");
    }
}

static const char *
list_label (TpListKind list)
{
  switch (list)
    {
    case TP_LIST_EXIT_BAN:
      return _("Exit ban");
    case TP_LIST_WATCH:
    default:
      return _("Watch list");
    }
}

static const char *
action_label (TpAction action)
{
  switch (action)
    {
    case TP_ACTION_DENY_EXIT:
      return _("deny exit");
    case TP_ACTION_REFER_CUSTOMS:
      return _("refer to customs");
    case TP_ACTION_REFER_SUPERVISOR:
      return _("refer to a supervisor");
    case TP_ACTION_NOTIFY:
    default:
      return _("notify the owning agency");
    }
}

/* ---- actions ------------------------------------------------------------ */

static void
rebuild_actions (TpCasePage *self)
{
  GtkWidget *child;
  const char *ids[9];
  guint n = 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->actions))) != NULL)
    gtk_flow_box_remove (self->actions, child);

  tp_decisions_for_role (self->role, ids);
  for (guint i = 0; ids[i] != NULL; i++)
    {
      GtkWidget *button;
      const char *style = tp_decisions_action_style (ids[i]);
      g_autofree char *tooltip = NULL;

      n++;
      button = gtk_button_new_with_label (tp_decisions_action_label (ids[i]));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "case.decide");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", ids[i]);
      gtk_widget_add_css_class (button, "big-button");
      if (style != NULL)
        gtk_widget_add_css_class (button, style);
      /* TRANSLATORS: the keyboard shortcut of a decision button */
      tooltip = g_strdup_printf (_("Alt+%u"), n);
      gtk_widget_set_tooltip_text (button, tooltip);
      gtk_flow_box_append (self->actions, button);
    }
  if (n == 0)
    gtk_flow_box_append (self->actions, placeholder (_("Sign in to take decisions")));
}

static void
update_enabled (TpCasePage *self)
{
  gboolean has_case = self->kase != NULL && self->role != 0;
  gboolean screened = has_case && tp_case_get_screened (self->kase);
  gboolean can_read = self->counter != NULL && tp_counter_get_reader (self->counter) != NULL &&
                      self->kase != NULL && tp_case_get_printed_mrz (self->kase) != NULL &&
                      !tp_counter_get_reading (self->counter);

  gboolean blocked = self->counter != NULL && tp_counter_get_list_hold (self->counter) == TP_LIST_HOLD_BLOCK &&
                     self->role != TP_ROLE_SUPERVISOR;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "case.decide", screened);
  /* a stale list under the block policy: only the supervisor decides */
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->actions)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *button = gtk_flow_box_child_get_child (GTK_FLOW_BOX_CHILD (child));
      GVariant *target;
      const char *action;

      if (!GTK_IS_BUTTON (button))
        continue;
      target = gtk_actionable_get_action_target_value (GTK_ACTIONABLE (button));
      action = target != NULL ? g_variant_get_string (target, NULL) : NULL;
      /* the button's sensitivity is also the action's: both said here */
      gtk_widget_set_sensitive (button, screened && (!blocked || g_strcmp0 (action, "escalate") == 0));
      /* allowing exit is the suggested decision for a CLEAR traveller only:
       * on a STOP it must not be the button that draws the eye */
      if (g_strcmp0 (action, "allow_exit") == 0)
        {
          if (screened && tp_case_get_verdict (self->kase) == TP_VERDICT_CLEAR &&
              (self->counter == NULL || tp_counter_get_list_hold (self->counter) <= TP_LIST_HOLD_WARN))
            gtk_widget_add_css_class (button, "suggested-action");
          else
            gtk_widget_remove_css_class (button, "suggested-action");
        }
    }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "case.add-note", has_case);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "case.read-chip", can_read);
  /* not insensitive: a focused entry made insensitive loses its focus-out */
  gtk_editable_set_editable (GTK_EDITABLE (self->note), has_case);
}

static void
decide_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  g_signal_emit (TP_CASE_PAGE (widget), signals[DECISION], 0, g_variant_get_string (parameter, NULL));
}

static void
add_note_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  TpCasePage *self = TP_CASE_PAGE (widget);
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->note))));

  if (text[0] == '\0')
    return;
  g_signal_emit (self, signals[NOTE], 0, text);
  gtk_editable_set_text (GTK_EDITABLE (self->note), "");
}

static void
read_chip_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  TpCasePage *self = TP_CASE_PAGE (widget);

  if (self->counter != NULL)
    tp_counter_read_chip (self->counter);
}

static void
note_activate_cb (TpCasePage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "case.add-note", NULL);
}

/* Alt+N: the Nth decision button */
static gboolean
decision_shortcut_cb (GtkWidget *widget,
                      GVariant  *args,
                      gpointer   user_data)
{
  TpCasePage *self = TP_CASE_PAGE (widget);
  GtkFlowBoxChild *child = gtk_flow_box_get_child_at_index (self->actions, g_variant_get_int32 (args));
  GtkWidget *button;

  if (child == NULL)
    return FALSE;
  button = gtk_flow_box_child_get_child (child);
  if (!GTK_IS_BUTTON (button) || !gtk_widget_is_sensitive (button))
    return FALSE;
  gtk_widget_activate (button);
  return TRUE;
}

/* ---- banner ------------------------------------------------------------- */

/* What the document or the journey says beyond the list verdict. */
static char *
document_warning (TpCase *kase)
{
  const TpDocument *doc = tp_case_get_document (kase);
  const TpMrz *mrz = tp_case_get_identity (kase);
  const TpBoardingCheck *check = tp_case_get_boarding_check (kase);

  if (doc != NULL && !tp_case_get_document_verified (kase))
    return g_strdup (_("The chip did NOT verify: check the passport before deciding"));
  if (mrz != NULL && mrz->expired)
    return g_strdup (_("The passport has EXPIRED"));
  if (check != NULL && !tp_boarding_check_passed (check) &&
      (check->departs_here == TP_BOARDING_FAILED || check->flight_date == TP_BOARDING_FAILED ||
       check->name == TP_BOARDING_FAILED || check->first_use == TP_BOARDING_FAILED))
    return g_strdup (_("The boarding pass FAILED its checks: see the journey"));
  return NULL;
}

static void
update_banner (TpCasePage *self)
{
  g_autofree char *detail = NULL;
  g_autofree char *warning = NULL;
  g_autoptr(GPtrArray) views = NULL;
  TpVerdict verdict;

  if (self->kase == NULL)
    {
      tp_verdict_banner_set_verdict (self->banner, TP_VERDICT_NONE, NULL);
      return;
    }
  if (!tp_case_get_screened (self->kase))
    {
      const char *why;

      if (tp_case_get_waiting_for_list (self->kase))
        why = _("The list is still loading: the traveller is screened as soon as it is in place");
      else if (self->counter != NULL && tp_counter_get_reading (self->counter))
        why = _("Reading the chip…");
      else
        why = _("Waiting for the passport: place it on the reader or type the MRZ");
      tp_verdict_banner_set_verdict (self->banner, TP_VERDICT_NONE, why);
      return;
    }

  verdict = tp_case_get_verdict (self->kase);
  views = tp_case_dup_hit_views (self->kase, self->role != 0 ? self->role : TP_ROLE_SUPERVISOR, NULL);
  if (verdict != TP_VERDICT_CLEAR && views != NULL && views->len > 0)
    {
      const TpHitView *view = g_ptr_array_index (views, 0);

      if (view->visible)
        /* TRANSLATORS: banner detail: list (Exit ban), entry id, agency, what to do */
        detail = g_strdup_printf (_("%s %s (%s): %s"), list_label (view->list), view->entry_id,
                                  tp_case_page_agency_label (view->agency), action_label (view->action));
      else
        /* TRANSLATORS: banner detail for a role that may not see the hit: the agency */
        detail = g_strdup_printf (_("A hit owned by %s: refer the traveller to them"),
                                  tp_case_page_agency_label (view->agency));
    }
  /* a stale list: what the policy makes of the verdict */
  switch (self->counter != NULL ? tp_counter_get_list_hold (self->counter) : TP_LIST_HOLD_NONE)
    {
    case TP_LIST_HOLD_WARN:
      warning = g_strdup (_("The list is STALE: recent bans may be missing"));
      break;
    case TP_LIST_HOLD_REVIEW:
      if (verdict == TP_VERDICT_CLEAR)
        {
          verdict = TP_VERDICT_REVIEW;
          g_clear_pointer (&detail, g_free);
          detail = g_strdup (_("No entry matches, but the list is STALE: recent bans may be missing. "
                               "Review before letting the traveller go"));
        }
      else
        warning = g_strdup (_("The list is STALE: recent bans may be missing"));
      break;
    case TP_LIST_HOLD_BLOCK:
      tp_verdict_banner_set_verdict (self->banner, TP_VERDICT_NONE,
                                     _("The list is STALE: no verdict. Refer the traveller to a supervisor"));
      return;
    case TP_LIST_HOLD_NONE:
    default:
      break;
    }
  if (warning == NULL)
    warning = document_warning (self->kase);
  else
    {
      g_autofree char *more = document_warning (self->kase);

      if (more != NULL)
        {
          g_autofree char *both = g_strdup_printf ("%s. %s", warning, more);

          g_free (warning);
          warning = g_steal_pointer (&both);
        }
    }
  if (warning != NULL)
    {
      g_autofree char *base = detail != NULL ? g_steal_pointer (&detail)
                                             : g_strdup (verdict == TP_VERDICT_CLEAR
                                                         ? _("No entry in force matches this traveller")
                                                         : "");
      detail = base[0] != '\0' ? g_strdup_printf ("%s. %s", base, warning) : g_strdup (warning);
    }
  tp_verdict_banner_set_verdict (self->banner, verdict, detail);
}

/* ---- traveller ---------------------------------------------------------- */

static const char *
identity_source_sentence (TpIdentitySource source)
{
  switch (source)
    {
    case TP_IDENTITY_SOURCE_PRINTED:
      return _("Identity from the printed MRZ (no verified chip data)");
    case TP_IDENTITY_SOURCE_CHIP:
      return _("Identity from the verified chip");
    case TP_IDENTITY_SOURCE_BOTH:
      return _("The chip and the printed page name different people: both were screened, the stricter verdict is kept");
    case TP_IDENTITY_SOURCE_UNVERIFIED_CHIP:
      return _("Identity from chip data that did NOT verify, with no printed MRZ: at least REVIEW");
    case TP_IDENTITY_SOURCE_NONE:
    default:
      return NULL;
    }
}

static void
update_traveller (TpCasePage *self)
{
  const TpMrz *m = self->kase != NULL ? tp_case_get_identity (self->kase) : NULL;
  g_autoptr(GString) markup = NULL;
  g_autofree char *name = NULL;
  const char *full_name;
  const char *source;

  if (m == NULL)
    {
      gtk_label_set_label (self->identity, self->kase != NULL && tp_case_get_boarding_pass (self->kase) != NULL
                                           ? _("No passport read yet") : _("No traveller yet"));
      return;
    }
  markup = g_string_new (NULL);
  full_name = tp_case_get_full_name (self->kase);
  name = full_name != NULL ? g_strdup (full_name)
                           : g_strdup_printf ("%s %s", m->primary_identifier, m->secondary_identifier);
  g_string_append_printf (markup, "<span size='x-large' weight='bold'>%s</span>\n", g_markup_escape_text (name, -1));
  /* TRANSLATORS: document line: code (P), issuing state, number */
  g_string_append_printf (markup, _("Document %s %s no. %s"), m->document_code, m->issuing_state, m->document_number);
  g_string_append_c (markup, '\n');
  if (m->expired)
    g_string_append_printf (markup, "<b>%s</b>\n", _("EXPIRED"));
  /* TRANSLATORS: expiry date */
  g_string_append_printf (markup, _("Expires %s"), m->expiry_date.iso[0] ? m->expiry_date.iso : m->expiry_date.raw);
  g_string_append_c (markup, '\n');
  /* TRANSLATORS: birth date, sex, nationality */
  g_string_append_printf (markup, _("Born %s · sex %c · nationality %s"),
                          m->birth_date.iso[0] ? m->birth_date.iso : m->birth_date.raw, m->sex, m->nationality);
  if (m->optional_data != NULL && m->optional_data[0] != '\0')
    {
      g_string_append_c (markup, '\n');
      /* TRANSLATORS: the personal number (Vietnamese citizen ID) */
      g_string_append_printf (markup, _("Personal number %s"), m->optional_data);
    }
  source = identity_source_sentence (tp_case_get_identity_source (self->kase));
  if (source != NULL)
    g_string_append_printf (markup, "\n<i>%s</i>", g_markup_escape_text (source, -1));
  gtk_label_set_markup (self->identity, markup->str);
}

static void
face_decoded_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  TpCasePage *self = TP_CASE_PAGE (object);
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = g_task_propagate_pointer (G_TASK (result), &error);

  if (texture != NULL)
    gtk_picture_set_paintable (self->face, GDK_PAINTABLE (texture));
}

/* JPEG 2000 through OpenJPEG (tp-face.h), JPEG through GDK. */
static void
face_decode_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  GBytes *bytes = task_data;
  GError *error = NULL;
  GdkTexture *texture;

  if (tp_face_sniff_format (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes)) == TP_FACE_FORMAT_JPEG)
    texture = gdk_texture_new_from_bytes (bytes, &error);
  else
    {
      g_autoptr(TpFaceImage) image = tp_face_decode (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                                     0, &error);

      texture = image == NULL ? NULL
                              : gdk_memory_texture_new (image->width, image->height,
                                                        image->n_channels == 4 ? GDK_MEMORY_R8G8B8A8
                                                                               : GDK_MEMORY_R8G8B8,
                                                        image->pixels, image->rowstride);
    }
  if (texture == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, texture, g_object_unref);
}

/* JPEG 2000 faces take tens of milliseconds to decode: off the UI thread. */
static void
update_face (TpCasePage *self)
{
  const TpDocument *doc = self->kase != NULL ? tp_case_get_document (self->kase) : NULL;
  g_autoptr(GTask) task = NULL;

  if (doc == self->face_document)
    return;
  self->face_document = doc;
  g_cancellable_cancel (self->face_cancellable);
  g_clear_object (&self->face_cancellable);
  gtk_picture_set_paintable (self->face, NULL);
  if (doc == NULL || doc->face == NULL || doc->face->image == NULL)
    return;
  self->face_cancellable = g_cancellable_new ();
  task = g_task_new (self, self->face_cancellable, face_decoded_cb, NULL);
  g_task_set_task_data (task, g_bytes_ref (doc->face->image), (GDestroyNotify) g_bytes_unref);
  g_task_run_in_thread (task, face_decode_thread);
}

static void
update_chip (TpCasePage *self)
{
  gboolean reading = self->counter != NULL && tp_counter_get_reading (self->counter);
  const GError *error = self->counter != NULL ? tp_counter_get_read_error (self->counter) : NULL;
  gboolean show = self->kase != NULL && tp_case_get_printed_mrz (self->kase) != NULL &&
                  tp_case_get_document (self->kase) == NULL;
  g_autofree char *text = NULL;

  gtk_widget_set_visible (self->chip_box, show || reading);
  gtk_widget_set_visible (GTK_WIDGET (self->chip_progress), reading);
  if (reading)
    {
      const char *file = tp_counter_get_progress_file (self->counter);

      gtk_progress_bar_set_fraction (self->chip_progress, tp_counter_get_progress (self->counter));
      /* TRANSLATORS: %s is the chip file being read: DG1, DG2 (the face)... */
      text = file != NULL ? g_strdup_printf (_("Reading the chip: %s…"), file) : g_strdup (_("Reading the chip…"));
    }
  else if (error != NULL)
    /* TRANSLATORS: %s says why the chip could not be read */
    text = g_strdup_printf (_("The chip could not be read: %s. Put the passport on the reader and read again."),
                            error->message);
  else if (self->counter == NULL || tp_counter_get_reader (self->counter) == NULL)
    text = g_strdup (_("No chip reader: the identity is the printed MRZ"));
  else
    text = g_strdup (_("Put the passport on the reader to read its chip"));
  gtk_label_set_label (self->chip_label, text);
}

/* ---- document checks ------------------------------------------------------ */

static TpCheckRowState
row_state (TpCheckState state)
{
  switch (state)
    {
    case TP_CHECK_VALID:
      return TP_CHECK_ROW_PASSED;
    case TP_CHECK_FAILED:
      return TP_CHECK_ROW_FAILED;
    case TP_CHECK_NOT_SUPPORTED:
    case TP_CHECK_NOT_CHECKED:
    default:
      return TP_CHECK_ROW_NOT_CHECKED;
    }
}

static void
add_check (TpCasePage      *self,
           const char      *title,
           TpCheckRowState  state,
           const char      *reason)
{
  gtk_list_box_append (self->checks, tp_check_row_new (title, state, reason));
}

static void
add_clone_check (TpCasePage   *self,
                 const char   *title,
                 TpCheckState  state,
                 const char   *detail)
{
  switch (state)
    {
    case TP_CHECK_VALID:
      add_check (self, title, TP_CHECK_ROW_PASSED, NULL);
      break;
    case TP_CHECK_FAILED:
      add_check (self, title, TP_CHECK_ROW_FAILED,
                 _("The chip could not prove it holds the document's key: a cloned chip?"));
      break;
    case TP_CHECK_NOT_SUPPORTED:
      add_check (self, title, TP_CHECK_ROW_NOT_CHECKED, _("Not offered by this chip"));
      break;
    case TP_CHECK_NOT_CHECKED:
    default:
      add_check (self, title, TP_CHECK_ROW_NOT_CHECKED, detail);
      break;
    }
}

static void
add_passive_auth (TpCasePage                *self,
                  const TpPassiveAuthResult *pa)
{
  g_autoptr(GString) reasons = g_string_new (NULL);
  const char *title = _("Passive authentication (signed by the issuing state)");

  if (!pa->sod_parsed || !pa->signature)
    g_string_append (reasons, _("The signature over the document's data does not verify"));
  for (guint i = 0; pa->hashes != NULL && i < pa->hashes->len; i++)
    {
      const TpPassiveAuthHash *h = &g_array_index (pa->hashes, TpPassiveAuthHash, i);

      if (h->status != TP_DG_HASH_MISMATCH && h->status != TP_DG_HASH_NOT_IN_SOD)
        continue;
      if (reasons->len > 0)
        g_string_append (reasons, "\n");
      if (h->status == TP_DG_HASH_MISMATCH)
        /* TRANSLATORS: %u is a data group number; DG2 is the face, DG1 the MRZ */
        g_string_append_printf (reasons, _("DG%u was changed after the document was signed"), h->dg);
      else
        g_string_append_printf (reasons, _("DG%u is not covered by the signature"), h->dg);
    }
  if (pa->sod_parsed && pa->signature && !pa->chain)
    {
      if (reasons->len > 0)
        g_string_append (reasons, "\n");
      g_string_append (reasons, _("The signer does not chain to a trusted country signing certificate (CSCA)"));
    }
  if (pa->revocation == TP_REVOCATION_REVOKED)
    {
      if (reasons->len > 0)
        g_string_append (reasons, "\n");
      g_string_append (reasons, _("The document signer's certificate is revoked"));
    }

  if (pa->verdict == TP_PASSIVE_AUTH_VALID)
    {
      g_autofree char *detail = NULL;

      if (pa->csca_subject != NULL)
        /* TRANSLATORS: %s is the country signing certificate's name */
        detail = g_strdup_printf (_("Signed under %s"), pa->csca_subject);
      if (pa->warnings != NULL && pa->warnings->len > 0)
        {
          g_autofree char *both = NULL;

          both = g_strdup_printf ("%s\n%s", detail != NULL ? detail : "",
                                  (const char *) g_ptr_array_index (pa->warnings, 0));
          add_check (self, title, TP_CHECK_ROW_WARNING, both);
        }
      else
        add_check (self, title, TP_CHECK_ROW_PASSED, detail);
    }
  else
    add_check (self, title, TP_CHECK_ROW_FAILED,
               reasons->len > 0 ? reasons->str
                                : (pa->errors != NULL && pa->errors->len > 0
                                   ? (const char *) g_ptr_array_index (pa->errors, 0) : NULL));
}

static void
update_checks (TpCasePage *self)
{
  const TpDocument *doc;
  const TpMrz *printed, *identity;

  clear_list (self->checks);
  if (self->kase == NULL)
    return;
  doc = tp_case_get_document (self->kase);
  printed = tp_case_get_printed_mrz (self->kase);
  identity = tp_case_get_identity (self->kase);

  if (doc != NULL)
    {
      g_autoptr(GString) problems = g_string_new (NULL);
      g_autofree char *how = NULL;

      for (guint i = 0; i < doc->files->len; i++)
        {
          const TpDocumentFile *file = g_ptr_array_index (doc->files, i);

          if (file->error != NULL)
            g_string_append_printf (problems, "%s%s: %s", problems->len ? "\n" : "", file->name, file->error);
        }
      /* TRANSLATORS: how the chip was opened: PACE or BAC, mapping, secure messaging cipher */
      how = g_strdup_printf (_("%s%s%s, secure messaging %s"), doc->access, doc->mapping ? " " : "",
                             doc->mapping ? doc->mapping : "", doc->sm ? doc->sm : "—");
      add_check (self, _("Chip read and access control"),
                 problems->len > 0 ? TP_CHECK_ROW_FAILED : TP_CHECK_ROW_PASSED,
                 problems->len > 0 ? problems->str : how);
      add_passive_auth (self, doc->passive_auth);
      add_clone_check (self, _("Clone check: chip authentication"), doc->chip_auth, doc->chip_auth_reason);
      add_clone_check (self, _("Clone check: active authentication"), doc->active_auth, doc->active_auth_reason);
      if (doc->mrz_match == TP_CHECK_FAILED)
        add_check (self, _("Printed MRZ matches the chip"), TP_CHECK_ROW_FAILED,
                   doc->mrz_mismatch != NULL ? doc->mrz_mismatch : _("The printed page and the chip differ"));
      else
        add_check (self, _("Printed MRZ matches the chip"), row_state (doc->mrz_match),
                   doc->mrz_match == TP_CHECK_VALID ? NULL : _("No printed MRZ to compare"));
    }
  else if (printed != NULL)
    {
      add_check (self, _("Printed MRZ check digits"), TP_CHECK_ROW_PASSED, NULL);
      add_check (self, _("Chip read and access control"), TP_CHECK_ROW_NOT_CHECKED,
                 self->counter != NULL && tp_counter_get_read_error (self->counter) != NULL
                 ? tp_counter_get_read_error (self->counter)->message : _("The chip is not read yet"));
    }

  if (identity != NULL)
    {
      g_autofree char *when = NULL;

      if (identity->expired)
        {
          /* TRANSLATORS: %s is the expiry date */
          when = g_strdup_printf (_("Expired on %s"), identity->expiry_date.iso);
          add_check (self, _("Document not expired"), TP_CHECK_ROW_FAILED, when);
        }
      else
        add_check (self, _("Document not expired"), TP_CHECK_ROW_PASSED, NULL);
    }
}

/* ---- journey -------------------------------------------------------------- */

static TpCheckRowState
boarding_state (TpBoardingState state)
{
  switch (state)
    {
    case TP_BOARDING_OK:
      return TP_CHECK_ROW_PASSED;
    case TP_BOARDING_FAILED:
      return TP_CHECK_ROW_FAILED;
    case TP_BOARDING_UNKNOWN:
    default:
      return TP_CHECK_ROW_NOT_CHECKED;
    }
}

static void
update_journey (TpCasePage *self)
{
  const TpBcbp *pass = self->kase != NULL ? tp_case_get_boarding_pass (self->kase) : NULL;
  const TpBoardingCheck *check = self->kase != NULL ? tp_case_get_boarding_check (self->kase) : NULL;
  const char *airport;
  g_autofree char *departs = NULL;
  g_autofree char *not_here = NULL;
  g_autofree char *other_name = NULL;

  clear_list (self->legs);
  clear_list (self->journey_checks);
  if (pass == NULL)
    return;
  airport = tp_checkpoint_get_airport (tp_case_get_checkpoint (self->kase));
  for (guint i = 0; i < pass->n_legs; i++)
    {
      const TpBcbpLeg *leg = &pass->legs[i];
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *title = NULL;
      g_autofree char *subtitle = NULL;
      char date[16] = "?";

      if (g_date_valid (&leg->flight_date))
        g_date_strftime (date, sizeof date, "%Y-%m-%d", &leg->flight_date);
      /* TRANSLATORS: a boarding pass leg: carrier, flight number, from → to */
      title = g_strdup_printf (_("%s %s  %s → %s"), leg->carrier, leg->flight_number, leg->from, leg->to);
      /* TRANSLATORS: a boarding pass leg: date, seat, passenger name as printed */
      subtitle = g_strdup_printf (_("%s, seat %s, passenger %s"), date, leg->seat, pass->passenger_name);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_set_icon_name (ADW_ACTION_ROW (row), "airplane-mode-symbolic");
      if (check != NULL && check->leg == (int) i)
        adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_label_new (_("This checkpoint")));
      gtk_list_box_append (self->legs, row);
    }

  /* TRANSLATORS: %s is this checkpoint's airport code */
  departs = g_strdup_printf (_("Departs from %s"), airport);
  not_here = g_strdup_printf (_("No leg of this pass departs from %s"), airport);
  /* TRANSLATORS: %s is the passenger name printed on the boarding pass */
  other_name = g_strdup_printf (_("The pass is for %s"), pass->passenger_name);
  if (check != NULL)
    {
      gtk_list_box_append (self->journey_checks,
                           tp_check_row_new (departs, boarding_state (check->departs_here),
                                             check->departs_here == TP_BOARDING_FAILED ? not_here : NULL));
      gtk_list_box_append (self->journey_checks,
                           tp_check_row_new (_("Flight date today (±1 day)"), boarding_state (check->flight_date),
                                             check->flight_date == TP_BOARDING_FAILED
                                               ? _("The flight is on another day") : NULL));
      gtk_list_box_append (self->journey_checks,
                           tp_check_row_new (_("Name matches the passport"), boarding_state (check->name),
                                             check->name == TP_BOARDING_UNKNOWN ? _("No passport read yet") :
                                             check->name == TP_BOARDING_FAILED ? other_name : NULL));
      gtk_list_box_append (self->journey_checks,
                           tp_check_row_new (_("Not already used at this checkpoint today"),
                                             boarding_state (check->first_use),
                                             check->first_use == TP_BOARDING_FAILED
                                               ? _("This pass was presented here today in another case") : NULL));
    }
  for (guint i = 0; i < pass->errors->len; i++)
    {
      const TpBcbpIssue *issue = g_ptr_array_index (pass->errors, i);

      gtk_list_box_append (self->journey_checks,
                           tp_check_row_new (_("Boarding pass readable"), TP_CHECK_ROW_FAILED, issue->message));
    }
  self->journey_shown = g_get_monotonic_time ();
}

/* ---- hits ------------------------------------------------------------------- */

static GtkWidget *
hit_row (const TpHitView *view)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *title = NULL;
  g_autoptr(GString) subtitle = g_string_new (NULL);
  g_autofree char *name = NULL;

  if (!view->visible)
    {
      /* TRANSLATORS: a hit a role may not see: %s is the owning agency */
      title = g_strdup_printf (_("A hit owned by %s"), tp_case_page_agency_label (view->agency));
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      g_string_printf (subtitle, _("Refer to %s: the details are theirs"), tp_case_page_agency_label (view->agency));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);
      adw_action_row_set_icon_name (ADW_ACTION_ROW (row), "dialog-information-symbolic");
      gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
      return row;
    }
  /* TRANSLATORS: a hit: list (Exit ban), entry id, band (confirmed...) */
  title = g_strdup_printf (_("%s %s · %s"), list_label (view->list), view->entry_id, band_label (view->band));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (view->full_name != NULL)
    g_string_append_printf (subtitle, "%s\n", view->full_name);
  if (view->explanation != NULL)
    g_string_append_printf (subtitle, "%s\n", view->explanation);
  if (view->basis_reference != NULL)
    {
      /* TRANSLATORS: the legal basis of a list entry: notice reference, issued by, on */
      g_string_append_printf (subtitle, _("Notice %s, issued by %s on %s"), view->basis_reference,
                              view->basis_issued_by ? view->basis_issued_by : "?",
                              view->basis_issued_at ? view->basis_issued_at : "?");
      g_string_append_c (subtitle, '\n');
    }
  /* TRANSLATORS: when a list entry is in force: from, until */
  g_string_append_printf (subtitle, _("In force from %s until %s"), view->effective_from ? view->effective_from : "?",
                          view->effective_until ? view->effective_until : _("cancelled"));
  name = g_markup_escape_text (subtitle->str, -1);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), name);
  adw_action_row_set_icon_name (ADW_ACTION_ROW (row),
                                view->list == TP_LIST_EXIT_BAN ? "tp-verdict-stop-symbolic"
                                                               : "tp-verdict-review-symbolic");
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  return row;
}

static void
update_hits (TpCasePage *self)
{
  g_autoptr(GPtrArray) views = NULL;
  g_autoptr(GError) error = NULL;

  clear_box (self->hits);
  if (self->kase == NULL || !tp_case_get_screened (self->kase))
    {
      gtk_box_append (self->hits, placeholder (_("No traveller screened yet")));
      return;
    }
  views = tp_case_dup_hit_views (self->kase, self->role != 0 ? self->role : TP_ROLE_SUPERVISOR, &error);
  if (views == NULL)
    {
      gtk_box_append (self->hits, placeholder (error->message));
      return;
    }
  if (views->len == 0)
    {
      gtk_box_append (self->hits, placeholder (_("No entry in force matches this traveller")));
      return;
    }
  /* one group per owning agency, in the order of their best hit */
  {
    int agencies[8];
    guint n_agencies = 0;

    for (guint i = 0; i < views->len; i++)
      {
        const TpHitView *view = g_ptr_array_index (views, i);
        gboolean seen = FALSE;

        for (guint j = 0; j < n_agencies; j++)
          seen |= agencies[j] == (int) view->agency;
        if (!seen && n_agencies < G_N_ELEMENTS (agencies))
          agencies[n_agencies++] = (int) view->agency;
      }
    for (guint a = 0; a < n_agencies; a++)
      {
        const char *agency = tp_case_page_agency_label ((TpAgency) agencies[a]);
        GtkWidget *title = gtk_label_new (agency);
        GtkWidget *list = gtk_list_box_new ();

        gtk_label_set_xalign (GTK_LABEL (title), 0);
        gtk_widget_add_css_class (title, "heading");
        gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
        gtk_widget_add_css_class (list, "boxed-list");
        gtk_accessible_update_property (GTK_ACCESSIBLE (list), GTK_ACCESSIBLE_PROPERTY_LABEL, agency, -1);
        for (guint i = 0; i < views->len; i++)
          {
            const TpHitView *view = g_ptr_array_index (views, i);

            if ((int) view->agency == agencies[a])
              gtk_list_box_append (GTK_LIST_BOX (list), hit_row (view));
          }
        gtk_box_append (self->hits, title);
        gtk_box_append (self->hits, list);
      }
  }
}

/* ---- timeline ------------------------------------------------------------------ */

static char *
event_text (JsonObject *event)
{
  const char *type = json_object_get_string_member_with_default (event, "type", "");

  if (g_str_equal (type, "check"))
    {
      const char *verdict = json_object_get_string_member_with_default (event, "verdict", "");
      int v = g_str_equal (verdict, "CLEAR") ? TP_VERDICT_CLEAR : g_str_equal (verdict, "REVIEW") ? TP_VERDICT_REVIEW
              : g_str_equal (verdict, "REFER") ? TP_VERDICT_REFER : g_str_equal (verdict, "STOP") ? TP_VERDICT_STOP
              : TP_VERDICT_NONE;
      const char *identity = json_object_get_string_member_with_default (event, "identity", "");
      JsonNode *flight = json_object_get_member (event, "flight");
      const char *source;
      g_autofree char *with_flight = NULL;

      /* what the check stood on: a case is checked again as the chip is
       * read and the pass scanned */
      if (g_str_equal (identity, "chip") || g_str_equal (identity, "both"))
        source = _("verified chip");
      else if (g_str_equal (identity, "unverified_chip"))
        source = _("unverified chip");
      else if (g_str_equal (identity, "printed"))
        source = _("printed MRZ");
      else
        source = NULL;
      if (flight != NULL && JSON_NODE_HOLDS_OBJECT (flight))
        {
          JsonObject *f = json_node_get_object (flight);
          const char *carrier = json_object_get_string_member_with_default (f, "carrier", "");
          const char *number = json_object_get_string_member_with_default (f, "number", "");

          with_flight = source != NULL
                        /* TRANSLATORS: timeline: what a check stood on, then the flight (VN 0310) */
                        ? g_strdup_printf (_("%s, flight %s %s"), source, carrier, number)
                        /* TRANSLATORS: timeline: a check on the boarding pass alone (VN 0310) */
                        : g_strdup_printf (_("flight %s %s"), carrier, number);
          source = with_flight;
        }
      if (source == NULL)
        /* TRANSLATORS: timeline: a screening result */
        return g_strdup_printf (_("Check: %s"), tp_verdict_word (v));
      /* TRANSLATORS: timeline: a screening result, then what it stood on
       * ("verified chip, flight VN 0310") */
      return g_strdup_printf (_("Check: %s · %s"), tp_verdict_word (v), source);
    }
  if (g_str_equal (type, "decision"))
    {
      const char *action = json_object_get_string_member_with_default (event, "action", "");
      const char *label = tp_decisions_action_label (action);
      const char *reason = NULL;
      const char *notice = NULL;
      const char *category = NULL;

      if (json_object_has_member (event, "reason") && !json_object_get_null_member (event, "reason"))
        reason = json_object_get_string_member (event, "reason");
      if (json_object_has_member (event, "notice_reference") &&
          !json_object_get_null_member (event, "notice_reference"))
        notice = json_object_get_string_member (event, "notice_reference");
      if (json_object_has_member (event, "category") && !json_object_get_null_member (event, "category"))
        category = tp_decisions_category_label (json_object_get_string_member (event, "category"));
      return g_strdup_printf ("%s%s%s%s%s%s%s", label != NULL ? label : action,
                              notice ? " · " : "", notice ? notice : "",
                              category ? " · " : "", category ? category : "",
                              reason ? " · " : "", reason ? reason : "");
    }
  if (g_str_equal (type, "escalation"))
    /* TRANSLATORS: timeline: an escalation with its reason */
    return g_strdup_printf (_("Escalated: %s"), json_object_get_string_member_with_default (event, "reason", ""));
  if (g_str_equal (type, "note"))
    /* TRANSLATORS: timeline: a note */
    return g_strdup_printf (_("Note: %s"), json_object_get_string_member_with_default (event, "text", ""));
  return g_strdup (type);
}

static void
update_timeline (TpCasePage *self)
{
  GPtrArray *events;

  clear_list (self->timeline);
  if (self->kase == NULL)
    return;
  events = tp_case_get_events (self->kase);
  for (guint i = 0; i < events->len; i++)
    {
      JsonObject *event = json_node_get_object (g_ptr_array_index (events, i));
      const char *at = json_object_get_string_member_with_default (event, "at", "");
      g_autoptr(GDateTime) time = g_date_time_new_from_iso8601 (at, NULL);
      g_autoptr(GDateTime) local = time != NULL ? g_date_time_to_local (time) : NULL;
      g_autofree char *when = local != NULL ? g_date_time_format (local, "%H:%M:%S") : g_strdup (at);
      g_autofree char *text = event_text (event);
      g_autofree char *who = NULL;
      g_autofree char *escaped = g_markup_escape_text (text, -1);
      GtkWidget *row = adw_action_row_new ();

      /* TRANSLATORS: timeline: time, officer ID, role */
      who = g_strdup_printf (_("%s · %s (%s)"), when, json_object_get_string_member_with_default (event, "officer", ""),
                             json_object_get_string_member_with_default (event, "role", ""));
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), escaped);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), who);
      gtk_list_box_append (self->timeline, row);
    }
}

/* ---- updating ----------------------------------------------------------------- */

static void
update_all (TpCasePage *self)
{
  g_clear_handle_id (&self->update_source, g_source_remove);
  update_banner (self);
  update_traveller (self);
  update_face (self);
  update_chip (self);
  update_checks (self);
  update_journey (self);
  update_hits (self);
  update_timeline (self);
  update_enabled (self);
  self->updated = g_get_monotonic_time ();
}

static gboolean
update_idle_cb (gpointer user_data)
{
  TpCasePage *self = user_data;

  self->update_source = 0;
  update_all (self);
  return G_SOURCE_REMOVE;
}

/* Many notifications arrive together (a chip read sets a dozen
 * properties): one redraw for all of them. */
static void
schedule_update (TpCasePage *self)
{
  if (self->update_source == 0)
    self->update_source = g_idle_add_full (G_PRIORITY_HIGH_IDLE + 10, update_idle_cb, self, NULL);
}

static void
case_notify_cb (TpCasePage *self)
{
  schedule_update (self);
}

static void
bind_case (TpCasePage *self,
           TpCase     *kase)
{
  if (self->kase == kase)
    return;
  if (self->kase != NULL)
    g_signal_handlers_disconnect_by_data (self->kase, self);
  g_set_object (&self->kase, kase);
  if (kase != NULL)
    g_signal_connect_object (kase, "notify", G_CALLBACK (case_notify_cb), self, G_CONNECT_SWAPPED);
  gtk_editable_set_text (GTK_EDITABLE (self->note), "");
  schedule_update (self);
}

static void
counter_notify_cb (TpCasePage *self,
                   GParamSpec *pspec,
                   TpCounter  *counter)
{
  if (g_str_equal (g_param_spec_get_name (pspec), "case"))
    bind_case (self, tp_counter_get_case (counter));
  else
    schedule_update (self);
}

/* ---- GObject ---------------------------------------------------------------- */

static void
tp_case_page_dispose (GObject *object)
{
  TpCasePage *self = TP_CASE_PAGE (object);
  GtkWidget *child;

  g_clear_handle_id (&self->update_source, g_source_remove);
  g_cancellable_cancel (self->face_cancellable);
  g_clear_object (&self->face_cancellable);
  if (self->kase != NULL)
    g_signal_handlers_disconnect_by_data (self->kase, self);
  g_clear_object (&self->kase);
  if (self->counter != NULL)
    g_signal_handlers_disconnect_by_data (self->counter, self);
  g_clear_object (&self->counter);
  gtk_widget_dispose_template (GTK_WIDGET (self), TP_TYPE_CASE_PAGE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (tp_case_page_parent_class)->dispose (object);
}

static void
tp_case_page_class_init (TpCasePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tp_case_page_dispose;

  /**
   * TpCasePage::decision:
   * @action: the action id ("allow_exit", "deny_exit"...)
   */
  signals[DECISION] = g_signal_new ("decision", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /**
   * TpCasePage::note:
   * @text: the note, trimmed, never empty
   */
  signals[NOTE] = g_signal_new ("note", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  g_type_ensure (TP_TYPE_VERDICT_BANNER);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/touchpoint/Touchpoint/tp-case-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TpCasePage, scroller);
  gtk_widget_class_bind_template_child (widget_class, TpCasePage, banner);
  gtk_widget_class_bind_template_child (widget_class, TpCasePage, face);
  gtk_widget_class_bind_template_child (widget_class, TpCasePage, identity);
  gtk_widget_class_bind_template_child (widget_class, TpCasePage, chip_box);
  gtk_widget_class_bind_template_child (widget_class, TpCasePage, chip_label);
  gtk_widget_class_bind_template_child (widget_class, TpCasePage, read_button);
  gtk_widget_class_bind_template_child (widget_class, TpCasePage, chip_progress);
  gtk_widget_class_bind_template_child (widget_class, TpCasePage, checks);
  gtk_widget_class_bind_template_child (widget_class, TpCasePage, legs);
  gtk_widget_class_bind_template_child (widget_class, TpCasePage, journey_checks);
  gtk_widget_class_bind_template_child (widget_class, TpCasePage, hits);
  gtk_widget_class_bind_template_child (widget_class, TpCasePage, actions);
  gtk_widget_class_bind_template_child (widget_class, TpCasePage, timeline);
  gtk_widget_class_bind_template_child (widget_class, TpCasePage, note);
  gtk_widget_class_bind_template_callback (widget_class, note_activate_cb);

  gtk_widget_class_install_action (widget_class, "case.decide", "s", decide_action);
  gtk_widget_class_install_action (widget_class, "case.add-note", NULL, add_note_action);
  gtk_widget_class_install_action (widget_class, "case.read-chip", NULL, read_chip_action);
  for (int i = 0; i < 4; i++)
    gtk_widget_class_add_binding (widget_class, GDK_KEY_1 + i, GDK_ALT_MASK, decision_shortcut_cb, "i", i);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "case.read-chip", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
tp_case_page_init (TpCasePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_list_box_set_placeholder (self->checks, placeholder (_("No document read yet")));
  gtk_list_box_set_placeholder (self->legs, placeholder (_("No boarding pass scanned yet")));
  gtk_list_box_set_placeholder (self->journey_checks, placeholder (_("Nothing to check yet")));
  gtk_list_box_set_placeholder (self->timeline, placeholder (_("Nothing on this case yet")));
  rebuild_actions (self);
  update_all (self);
}

/* ---- public API ---------------------------------------------------------------- */

GtkWidget *
tp_case_page_new (void)
{
  return g_object_new (TP_TYPE_CASE_PAGE, NULL);
}

void
tp_case_page_set_counter (TpCasePage *self,
                          TpCounter  *counter)
{
  g_return_if_fail (TP_IS_CASE_PAGE (self));
  g_return_if_fail (counter == NULL || TP_IS_COUNTER (counter));

  if (self->counter != NULL)
    g_signal_handlers_disconnect_by_data (self->counter, self);
  g_set_object (&self->counter, counter);
  if (counter != NULL)
    g_signal_connect_object (counter, "notify", G_CALLBACK (counter_notify_cb), self, G_CONNECT_SWAPPED);
  bind_case (self, counter != NULL ? tp_counter_get_case (counter) : NULL);
  schedule_update (self);
}

void
tp_case_page_set_role (TpCasePage *self,
                       TpRoles     role)
{
  g_return_if_fail (TP_IS_CASE_PAGE (self));

  if (self->role == role)
    return;
  self->role = role;
  rebuild_actions (self);
  schedule_update (self);
  update_enabled (self);
}

TpRoles
tp_case_page_get_role (TpCasePage *self)
{
  g_return_val_if_fail (TP_IS_CASE_PAGE (self), 0);

  return self->role;
}

TpVerdictBanner *
tp_case_page_get_banner (TpCasePage *self)
{
  g_return_val_if_fail (TP_IS_CASE_PAGE (self), NULL);

  return self->banner;
}

TpCase *
tp_case_page_get_case (TpCasePage *self)
{
  g_return_val_if_fail (TP_IS_CASE_PAGE (self), NULL);

  return self->kase;
}

void
tp_case_page_update_now (TpCasePage *self)
{
  g_return_if_fail (TP_IS_CASE_PAGE (self));

  update_all (self);
}

gint64
tp_case_page_get_journey_shown (TpCasePage *self)
{
  g_return_val_if_fail (TP_IS_CASE_PAGE (self), 0);

  return self->journey_shown;
}

gint64
tp_case_page_get_updated (TpCasePage *self)
{
  g_return_val_if_fail (TP_IS_CASE_PAGE (self), 0);

  return self->updated;
}

