/* tp-mrz-entry.c: manual MRZ entry with live check-digit feedback
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * While the zone is incomplete, tp_mrz_parse() cannot help (it reads whole
 * zones only), so each check digit is computed here from the layout of
 * the format being typed (ICAO 9303 Parts 4–7) as soon as its field and
 * digit are typed. Once the zone is complete the parser's own result is
 * shown instead.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tp-mrz-entry.h"

typedef struct {
  guint line;
  guint start;
  guint len;
} Span;

typedef struct {
  TpMrzCheck  check;
  guint       n_spans;
  Span        spans[4];
  guint       digit_line;
  guint       digit_col;
} CheckLayout;

typedef struct {
  TpMrzFormat  format;
  guint        n_lines;
  guint        line_len;
  guint        n_checks;
  CheckLayout  checks[5];
} FormatLayout;

static const FormatLayout layouts[] = {
  { TP_MRZ_FORMAT_TD1, 3, 30, 4, {
      { TP_MRZ_CHECK_DOCUMENT_NUMBER, 1, { { 0, 5, 9 } }, 0, 14 },
      { TP_MRZ_CHECK_BIRTH_DATE, 1, { { 1, 0, 6 } }, 1, 6 },
      { TP_MRZ_CHECK_EXPIRY_DATE, 1, { { 1, 8, 6 } }, 1, 14 },
      { TP_MRZ_CHECK_COMPOSITE, 4, { { 0, 5, 25 }, { 1, 0, 7 }, { 1, 8, 7 }, { 1, 18, 11 } }, 1, 29 },
    } },
  { TP_MRZ_FORMAT_TD2, 2, 36, 4, {
      { TP_MRZ_CHECK_DOCUMENT_NUMBER, 1, { { 1, 0, 9 } }, 1, 9 },
      { TP_MRZ_CHECK_BIRTH_DATE, 1, { { 1, 13, 6 } }, 1, 19 },
      { TP_MRZ_CHECK_EXPIRY_DATE, 1, { { 1, 21, 6 } }, 1, 27 },
      { TP_MRZ_CHECK_COMPOSITE, 3, { { 1, 0, 10 }, { 1, 13, 7 }, { 1, 21, 14 } }, 1, 35 },
    } },
  { TP_MRZ_FORMAT_TD3, 2, 44, 5, {
      { TP_MRZ_CHECK_DOCUMENT_NUMBER, 1, { { 1, 0, 9 } }, 1, 9 },
      { TP_MRZ_CHECK_BIRTH_DATE, 1, { { 1, 13, 6 } }, 1, 19 },
      { TP_MRZ_CHECK_EXPIRY_DATE, 1, { { 1, 21, 6 } }, 1, 27 },
      { TP_MRZ_CHECK_OPTIONAL_DATA, 1, { { 1, 28, 14 } }, 1, 42 },
      { TP_MRZ_CHECK_COMPOSITE, 3, { { 1, 0, 10 }, { 1, 13, 7 }, { 1, 21, 22 } }, 1, 43 },
    } },
  { TP_MRZ_FORMAT_MRVA, 2, 44, 3, {
      { TP_MRZ_CHECK_DOCUMENT_NUMBER, 1, { { 1, 0, 9 } }, 1, 9 },
      { TP_MRZ_CHECK_BIRTH_DATE, 1, { { 1, 13, 6 } }, 1, 19 },
      { TP_MRZ_CHECK_EXPIRY_DATE, 1, { { 1, 21, 6 } }, 1, 27 },
    } },
  { TP_MRZ_FORMAT_MRVB, 2, 36, 3, {
      { TP_MRZ_CHECK_DOCUMENT_NUMBER, 1, { { 1, 0, 9 } }, 1, 9 },
      { TP_MRZ_CHECK_BIRTH_DATE, 1, { { 1, 13, 6 } }, 1, 19 },
      { TP_MRZ_CHECK_EXPIRY_DATE, 1, { { 1, 21, 6 } }, 1, 27 },
    } },
};

struct _TpMrzEntry
{
  GtkWidget      parent_instance;

  GtkTextView   *text_view;
  GtkLabel      *format_label;
  GtkListBox    *checks;
  GtkLabel      *problems;

  TpCheckRow    *rows[TP_MRZ_N_CHECKS];
  gboolean       complete;
  gulong         insert_handler;
};

enum {
  MRZ_ENTERED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (TpMrzEntry, tp_mrz_entry, GTK_TYPE_WIDGET)

static const char *
check_title (TpMrzCheck check)
{
  switch (check)
    {
    case TP_MRZ_CHECK_DOCUMENT_NUMBER:
      return _("Document number");
    case TP_MRZ_CHECK_BIRTH_DATE:
      return _("Date of birth");
    case TP_MRZ_CHECK_EXPIRY_DATE:
      return _("Date of expiry");
    case TP_MRZ_CHECK_OPTIONAL_DATA:
      return _("Personal number");
    case TP_MRZ_CHECK_COMPOSITE:
      return _("Composite check digit");
    case TP_MRZ_N_CHECKS:
    default:
      return "";
    }
}

static const char *
format_name (TpMrzFormat format)
{
  switch (format)
    {
    case TP_MRZ_FORMAT_TD1:
      return _("Identity card (TD1: 3 lines of 30)");
    case TP_MRZ_FORMAT_TD2:
      return _("Travel document (TD2: 2 lines of 36)");
    case TP_MRZ_FORMAT_TD3:
      return _("Passport (TD3: 2 lines of 44)");
    case TP_MRZ_FORMAT_MRVA:
      return _("Visa (MRV-A: 2 lines of 44)");
    case TP_MRZ_FORMAT_MRVB:
      return _("Visa (MRV-B: 2 lines of 36)");
    default:
      return "";
    }
}

/* Which format is being typed, from the document code and the longest line. */
static const FormatLayout *
guess_layout (char  **lines,
              guint   n_lines)
{
  guint max_len = 0;
  char code = n_lines > 0 ? lines[0][0] : '\0';
  TpMrzFormat format;

  for (guint i = 0; i < n_lines; i++)
    max_len = MAX (max_len, (guint) strlen (lines[i]));

  if (code == 'P')
    format = TP_MRZ_FORMAT_TD3;
  else if (code == 'V')
    format = max_len > 36 || (n_lines < 2 && max_len == 0) ? TP_MRZ_FORMAT_MRVA :
             (n_lines >= 2 && strlen (lines[0]) == 36) ? TP_MRZ_FORMAT_MRVB : TP_MRZ_FORMAT_MRVA;
  else if (code == 'I' || code == 'A' || code == 'C')
    format = max_len > 30 ? TP_MRZ_FORMAT_TD2 : TP_MRZ_FORMAT_TD1;
  else
    format = max_len > 36 ? TP_MRZ_FORMAT_TD3 : max_len > 30 ? TP_MRZ_FORMAT_TD2 : TP_MRZ_FORMAT_TD1;

  for (guint i = 0; i < G_N_ELEMENTS (layouts); i++)
    if (layouts[i].format == format)
      return &layouts[i];
  g_assert_not_reached ();
}

static char
char_at (char  **lines,
         guint   n_lines,
         guint   line,
         guint   col)
{
  if (line >= n_lines || col >= strlen (lines[line]))
    return '\0';
  return lines[line][col];
}

/* Evaluates one check digit on what is typed so far; @reason gets why it
 * failed or why it cannot be checked yet. */
static TpCheckRowState
evaluate (const CheckLayout  *layout,
          char              **lines,
          guint               n_lines,
          char              **reason)
{
  g_autoptr(GString) data = g_string_new (NULL);
  char digit = char_at (lines, n_lines, layout->digit_line, layout->digit_col);
  guint expected;
  gboolean all_filler = TRUE;

  *reason = NULL;
  for (guint s = 0; s < layout->n_spans; s++)
    for (guint i = 0; i < layout->spans[s].len; i++)
      {
        char c = char_at (lines, n_lines, layout->spans[s].line, layout->spans[s].start + i);

        if (c == '\0')
          {
            *reason = g_strdup (_("Not typed yet"));
            return TP_CHECK_ROW_NOT_CHECKED;
          }
        if (c != '<')
          all_filler = FALSE;
        g_string_append_c (data, c);
      }
  if (digit == '\0')
    {
      *reason = g_strdup (_("Check digit not typed yet"));
      return TP_CHECK_ROW_NOT_CHECKED;
    }
  if (layout->check == TP_MRZ_CHECK_DOCUMENT_NUMBER && digit == '<' && layout->digit_line == 0)
    {
      *reason = g_strdup (_("Long document number: checked when the zone is complete"));
      return TP_CHECK_ROW_NOT_CHECKED;
    }
  if (layout->check == TP_MRZ_CHECK_OPTIONAL_DATA && digit == '<' && all_filler)
    return TP_CHECK_ROW_PASSED;
  for (gsize i = 0; i < data->len; i++)
    if (!g_ascii_isdigit (data->str[i]) && !g_ascii_isupper (data->str[i]) && data->str[i] != '<')
      {
        *reason = g_strdup_printf (_("“%c” is not an MRZ character (A–Z, 0–9, <)"), data->str[i]);
        return TP_CHECK_ROW_FAILED;
      }
  if (!g_ascii_isdigit (digit))
    {
      *reason = g_strdup_printf (_("The check digit “%c” is not a digit"), digit);
      return TP_CHECK_ROW_FAILED;
    }
  expected = tp_mrz_check_digit (data->str, data->len);
  if ((guint) (digit - '0') != expected)
    {
      /* TRANSLATORS: a check digit that does not match its field */
      *reason = g_strdup_printf (_("The check digit is %c, the field gives %u: a character is mistyped"),
                                 digit, expected);
      return TP_CHECK_ROW_FAILED;
    }
  return TP_CHECK_ROW_PASSED;
}

static void
clear_rows (TpMrzEntry *self)
{
  GtkListBoxRow *row;

  while ((row = gtk_list_box_get_row_at_index (self->checks, 0)) != NULL)
    gtk_list_box_remove (self->checks, GTK_WIDGET (row));
  memset (self->rows, 0, sizeof self->rows);
}

static void
show_problems (TpMrzEntry *self,
               const char *text)
{
  gtk_label_set_label (self->problems, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->problems), text != NULL && text[0] != '\0');
}

static void
update (TpMrzEntry *self)
{
  g_autofree char *text = tp_mrz_entry_get_text (self);
  g_auto(GStrv) lines = NULL;
  g_autoptr(TpMrz) mrz = NULL;
  const FormatLayout *layout;
  guint n_lines;

  /* lines: split on new lines, blank ones dropped, spaces at the ends trimmed */
  {
    g_auto(GStrv) raw = g_strsplit_set (text, "\r\n", -1);
    GPtrArray *kept = g_ptr_array_new ();

    for (guint i = 0; raw[i] != NULL; i++)
      {
        char *line = g_strstrip (g_strdup (raw[i]));

        if (line[0] == '\0')
          g_free (line);
        else
          g_ptr_array_add (kept, line);
      }
    g_ptr_array_add (kept, NULL);
    lines = (char **) g_ptr_array_free (kept, FALSE);
  }
  n_lines = g_strv_length (lines);

  clear_rows (self);
  self->complete = FALSE;
  if (n_lines == 0)
    {
      gtk_label_set_label (self->format_label, _("Nothing typed yet"));
      show_problems (self, NULL);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "mrz.use", FALSE);
      return;
    }

  layout = guess_layout (lines, n_lines);
  mrz = tp_mrz_parse (text, NULL, NULL);
  if (mrz != NULL && mrz->format != layout->format)
    {
      for (guint i = 0; i < G_N_ELEMENTS (layouts); i++)
        if (layouts[i].format == mrz->format)
          layout = &layouts[i];
    }
  gtk_label_set_label (self->format_label, format_name (layout->format));

  for (guint i = 0; i < layout->n_checks; i++)
    {
      const CheckLayout *check = &layout->checks[i];
      g_autofree char *reason = NULL;
      TpCheckRowState state = evaluate (check, lines, n_lines, &reason);

      if (mrz != NULL)
        {
          /* the parser is the authority on a whole zone (long TD1 numbers...) */
          if (mrz->checks[check->check] == TP_MRZ_CHECK_VALID)
            {
              state = TP_CHECK_ROW_PASSED;
              g_clear_pointer (&reason, g_free);
            }
          else if (mrz->checks[check->check] == TP_MRZ_CHECK_INVALID && state != TP_CHECK_ROW_FAILED)
            {
              state = TP_CHECK_ROW_FAILED;
              g_free (reason);
              reason = g_strdup (_("The check digit does not match its field"));
            }
        }
      self->rows[check->check] = TP_CHECK_ROW (tp_check_row_new (check_title (check->check), state, reason));
      gtk_list_box_append (self->checks, GTK_WIDGET (self->rows[check->check]));
    }

  if (mrz == NULL)
    {
      g_autofree char *expect = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                              "Incomplete: %u line of %u characters expected",
                                                              "Incomplete: %u lines of %u characters expected",
                                                              layout->n_lines),
                                                 layout->n_lines, layout->line_len);
      show_problems (self, expect);
    }
  else if (!mrz->valid)
    {
      g_autoptr(GString) problems = g_string_new (NULL);

      for (guint i = 0; i < mrz->errors->len; i++)
        {
          const TpMrzFieldError *e = g_ptr_array_index (mrz->errors, i);

          if (problems->len > 0)
            g_string_append_c (problems, '\n');
          g_string_append (problems, e->message);
        }
      if (mrz->repair != NULL)
        {
          g_autofree char *repaired = g_strjoinv ("\n", mrz->repair->lines);

          g_string_append_printf (problems, "\n%s\n%s", _("Probably meant:"), repaired);
        }
      show_problems (self, problems->str);
    }
  else
    {
      self->complete = TRUE;
      show_problems (self, NULL);
    }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "mrz.use", self->complete);
}

static void
buffer_changed_cb (TpMrzEntry    *self,
                   GtkTextBuffer *buffer)
{
  update (self);
}

/* Letters are taken as upper case as they are typed. */
static void
insert_text_cb (GtkTextBuffer *buffer,
                GtkTextIter   *location,
                const char    *text,
                int            len,
                TpMrzEntry    *self)
{
  g_autofree char *upper = NULL;

  if (len < 0)
    len = (int) strlen (text);
  upper = g_ascii_strup (text, len);
  if (memcmp (upper, text, (gsize) len) == 0)
    return;
  g_signal_handler_block (buffer, self->insert_handler);
  gtk_text_buffer_insert (buffer, location, upper, len);
  g_signal_handler_unblock (buffer, self->insert_handler);
  g_signal_stop_emission_by_name (buffer, "insert-text");
}

static void
use_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  TpMrzEntry *self = TP_MRZ_ENTRY (widget);
  g_autofree char *text = NULL;

  if (!self->complete)
    return;
  text = tp_mrz_entry_get_text (self);
  g_signal_emit (self, signals[MRZ_ENTERED], 0, text);
}

static void
clear_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  tp_mrz_entry_clear (TP_MRZ_ENTRY (widget));
}

static void
tp_mrz_entry_dispose (GObject *object)
{
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (object), TP_TYPE_MRZ_ENTRY);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (tp_mrz_entry_parent_class)->dispose (object);
}

static gboolean
tp_mrz_entry_grab_focus (GtkWidget *widget)
{
  return gtk_widget_grab_focus (GTK_WIDGET (TP_MRZ_ENTRY (widget)->text_view));
}

static void
tp_mrz_entry_class_init (TpMrzEntryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tp_mrz_entry_dispose;
  widget_class->grab_focus = tp_mrz_entry_grab_focus;

  /**
   * TpMrzEntry::mrz-entered:
   * @text: the zone, lines separated by new lines
   */
  signals[MRZ_ENTERED] = g_signal_new ("mrz-entered", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                       0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/touchpoint/Touchpoint/tp-mrz-entry.ui");
  gtk_widget_class_bind_template_child (widget_class, TpMrzEntry, text_view);
  gtk_widget_class_bind_template_child (widget_class, TpMrzEntry, format_label);
  gtk_widget_class_bind_template_child (widget_class, TpMrzEntry, checks);
  gtk_widget_class_bind_template_child (widget_class, TpMrzEntry, problems);
  gtk_widget_class_install_action (widget_class, "mrz.use", NULL, use_action);
  gtk_widget_class_install_action (widget_class, "mrz.clear", NULL, clear_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "mrz.use", NULL);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
tp_mrz_entry_init (TpMrzEntry *self)
{
  GtkTextBuffer *buffer;

  gtk_widget_init_template (GTK_WIDGET (self));
  buffer = gtk_text_view_get_buffer (self->text_view);
  self->insert_handler = g_signal_connect (buffer, "insert-text", G_CALLBACK (insert_text_cb), self);
  g_signal_connect_object (buffer, "changed", G_CALLBACK (buffer_changed_cb), self, G_CONNECT_SWAPPED);
  update (self);
}

GtkWidget *
tp_mrz_entry_new (void)
{
  return g_object_new (TP_TYPE_MRZ_ENTRY, NULL);
}

void
tp_mrz_entry_set_text (TpMrzEntry *self,
                       const char *text)
{
  g_return_if_fail (TP_IS_MRZ_ENTRY (self));

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->text_view), text != NULL ? text : "", -1);
}

char *
tp_mrz_entry_get_text (TpMrzEntry *self)
{
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  g_return_val_if_fail (TP_IS_MRZ_ENTRY (self), NULL);

  buffer = gtk_text_view_get_buffer (self->text_view);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

TpCheckRowState
tp_mrz_entry_get_check (TpMrzEntry *self,
                        TpMrzCheck  check)
{
  g_return_val_if_fail (TP_IS_MRZ_ENTRY (self), TP_CHECK_ROW_NOT_CHECKED);
  g_return_val_if_fail ((guint) check < TP_MRZ_N_CHECKS, TP_CHECK_ROW_NOT_CHECKED);

  if (self->rows[check] == NULL)
    return TP_CHECK_ROW_NOT_CHECKED;
  return tp_check_row_get_state (self->rows[check]);
}

gboolean
tp_mrz_entry_get_complete (TpMrzEntry *self)
{
  g_return_val_if_fail (TP_IS_MRZ_ENTRY (self), FALSE);

  return self->complete;
}

void
tp_mrz_entry_clear (TpMrzEntry *self)
{
  g_return_if_fail (TP_IS_MRZ_ENTRY (self));

  tp_mrz_entry_set_text (self, "");
}
