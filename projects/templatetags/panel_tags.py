"""Renders the panels a page's view gathered (``projects.web.panels``): formatting only."""

from django import template
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def panels(context, gathered, slot: str, **extra):
    """Each panel of ``slot`` with its own template and data, in registration order.

    ``extra`` (a month of the problems list) is added for slots rendered once per item. The
    entry grid's row slots are drawn in Python (``web.panels.draw``), never here.
    """
    if not gathered:
        return ""
    html = []
    for panel in gathered.slots.get(slot, ()):
        found = context.template.engine.get_template(panel.template)
        with context.push(panel.data), context.push(extra):
            html.append(found.render(context))
    return mark_safe("".join(html))


@register.filter
def lookup(mapping, key):
    """``mapping|lookup:key``: a dict's value for a key the template holds in a variable."""
    return mapping.get(key) if mapping else None
