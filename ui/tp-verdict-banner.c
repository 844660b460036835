/* tp-verdict-banner.c: the verdict in a word, an icon and a colour
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "tp-verdict-banner.h"

struct _TpVerdictBanner
{
  GtkBox     parent_instance;

  GtkImage  *icon;
  GtkLabel  *word;
  GtkLabel  *detail;

  int        verdict;
};

enum {
  PROP_0,
  PROP_VERDICT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (TpVerdictBanner, tp_verdict_banner, GTK_TYPE_BOX)

static const char * const css_classes[] = {
  "verdict-clear", "verdict-review", "verdict-refer", "verdict-stop",
};

static const char * const icons[] = {
  "tp-verdict-clear-symbolic", "tp-verdict-review-symbolic",
  "tp-verdict-refer-symbolic", "tp-verdict-stop-symbolic",
};

static gboolean
is_verdict (int verdict)
{
  return verdict >= TP_VERDICT_CLEAR && verdict <= TP_VERDICT_STOP;
}

static const char *
default_detail (int verdict)
{
  switch (verdict)
    {
    case TP_VERDICT_CLEAR:
      return _("No entry in force matches this traveller");
    case TP_VERDICT_REVIEW:
      return _("A possible match: compare the details before deciding");
    case TP_VERDICT_REFER:
      return _("Refer the traveller as the hit says");
    case TP_VERDICT_STOP:
      return _("An exit ban is in force: do not let the traveller exit");
    default:
      return _("Place a passport on the reader, scan a boarding pass or type the MRZ");
    }
}

static void
tp_verdict_banner_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  TpVerdictBanner *self = TP_VERDICT_BANNER (object);

  switch (prop_id)
    {
    case PROP_VERDICT:
      g_value_set_int (value, self->verdict);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tp_verdict_banner_class_init (TpVerdictBannerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = tp_verdict_banner_get_property;

  properties[PROP_VERDICT] =
    g_param_spec_int ("verdict", NULL, NULL, TP_VERDICT_NONE, TP_VERDICT_STOP, TP_VERDICT_NONE,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/touchpoint/Touchpoint/tp-verdict-banner.ui");
  gtk_widget_class_bind_template_child (widget_class, TpVerdictBanner, icon);
  gtk_widget_class_bind_template_child (widget_class, TpVerdictBanner, word);
  gtk_widget_class_bind_template_child (widget_class, TpVerdictBanner, detail);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_STATUS);
}

static void
tp_verdict_banner_init (TpVerdictBanner *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->verdict = G_MININT;
  tp_verdict_banner_set_verdict (self, TP_VERDICT_NONE, NULL);
}

GtkWidget *
tp_verdict_banner_new (void)
{
  return g_object_new (TP_TYPE_VERDICT_BANNER, NULL);
}

const char *
tp_verdict_word (int verdict)
{
  switch (verdict)
    {
    case TP_VERDICT_CLEAR:
      return C_("verdict", "CLEAR");
    case TP_VERDICT_REVIEW:
      return C_("verdict", "REVIEW");
    case TP_VERDICT_REFER:
      return C_("verdict", "REFER");
    case TP_VERDICT_STOP:
      return C_("verdict", "STOP");
    default:
      return C_("verdict", "none");
    }
}

void
tp_verdict_banner_set_verdict (TpVerdictBanner *self,
                               int              verdict,
                               const char      *detail)
{
  g_autofree char *name = NULL;
  gboolean changed;

  g_return_if_fail (TP_IS_VERDICT_BANNER (self));
  g_return_if_fail (verdict == TP_VERDICT_NONE || is_verdict (verdict));

  changed = self->verdict != verdict;
  self->verdict = verdict;
  for (guint i = 0; i < G_N_ELEMENTS (css_classes); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self), css_classes[i]);
  if (is_verdict (verdict))
    {
      gtk_widget_add_css_class (GTK_WIDGET (self), css_classes[verdict]);
      gtk_image_set_from_icon_name (self->icon, icons[verdict]);
      gtk_label_set_label (self->word, tp_verdict_word (verdict));
    }
  else
    {
      gtk_image_set_from_icon_name (self->icon, "tp-verdict-none-symbolic");
      gtk_label_set_label (self->word, _("No verdict yet"));
    }
  gtk_label_set_label (self->detail, detail != NULL ? detail : default_detail (verdict));

  /* TRANSLATORS: the verdict banner's name for screen readers and tests;
   * %s is the verdict word (STOP, CLEAR, REVIEW, REFER or none) */
  name = g_strdup_printf (_("Verdict: %s"), tp_verdict_word (verdict));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, gtk_label_get_label (self->detail),
                                  -1);
  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VERDICT]);
}

int
tp_verdict_banner_get_verdict (TpVerdictBanner *self)
{
  g_return_val_if_fail (TP_IS_VERDICT_BANNER (self), TP_VERDICT_NONE);

  return self->verdict;
}

const char *
tp_verdict_banner_get_detail (TpVerdictBanner *self)
{
  g_return_val_if_fail (TP_IS_VERDICT_BANNER (self), NULL);

  return gtk_label_get_label (self->detail);
}
