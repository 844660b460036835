/* tp-canonical-json.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "tp-canonical-json.h"
#include "tp-error.h"
#include "tp-json.h"

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static gboolean
is_ascii (const char *s)
{
  for (; *s != '\0'; s++)
    if ((guchar) *s >= 0x80)
      return FALSE;
  return TRUE;
}

static gboolean
append_node (GString   *out,
             JsonNode  *node,
             guint      depth,
             GError   **error)
{
  if (depth > TP_JSON_MAX_DEPTH)
    {
      g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT,
                   "nested more than %d levels deep", TP_JSON_MAX_DEPTH);
      return FALSE;
    }

  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_NULL:
      g_string_append (out, "null");
      return TRUE;

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        guint n = json_array_get_length (array);

        g_string_append_c (out, '[');
        for (guint i = 0; i < n; i++)
          {
            if (i > 0)
              g_string_append_c (out, ',');
            if (!append_node (out, json_array_get_element (array, i), depth + 1, error))
              return FALSE;
          }
        g_string_append_c (out, ']');
        return TRUE;
      }

    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_node_get_object (node);
        g_autoptr(GList) members = json_object_get_members (object);
        g_autoptr(GPtrArray) names = g_ptr_array_new ();

        for (GList *l = members; l != NULL; l = l->next)
          {
            if (!is_ascii (l->data))
              {
                g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT,
                             "a member name is not ASCII");
                return FALSE;
              }
            g_ptr_array_add (names, l->data);
          }
        g_ptr_array_sort (names, compare_names);

        g_string_append_c (out, '{');
        for (guint i = 0; i < names->len; i++)
          {
            const char *name = g_ptr_array_index (names, i);

            if (i > 0)
              g_string_append_c (out, ',');
            tp_json_append_string (out, name);
            g_string_append_c (out, ':');
            if (!append_node (out, json_object_get_member (object, name), depth + 1, error))
              return FALSE;
          }
        g_string_append_c (out, '}');
        return TRUE;
      }

    case JSON_NODE_VALUE:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_STRING:
          /* json-glib lets a lone surrogate escape ("\ud800") through */
          if (!g_utf8_validate (json_node_get_string (node), -1, NULL))
            {
              g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT,
                           "a string that is not valid UTF-8 (a lone surrogate escape?)");
              return FALSE;
            }
          tp_json_append_string (out, json_node_get_string (node));
          return TRUE;
        case G_TYPE_INT64:
          g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
          return TRUE;
        case G_TYPE_BOOLEAN:
          g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
          return TRUE;
        default:
          g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT,
                       "a number with a fraction or an exponent (only whole numbers are allowed)");
          return FALSE;
        }

    default:
      g_set_error (error, TP_ERROR, TP_ERROR_INVALID_INPUT, "an unknown JSON value");
      return FALSE;
    }
}

gboolean
tp_canonical_json_append (GString   *out,
                          JsonNode  *node,
                          GError   **error)
{
  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (node != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return append_node (out, node, 0, error);
}

char *
tp_canonical_json (JsonNode  *node,
                   GError   **error)
{
  g_autoptr(GString) out = g_string_new (NULL);

  if (!tp_canonical_json_append (out, node, error))
    return NULL;
  return g_string_free (g_steal_pointer (&out), FALSE);
}
