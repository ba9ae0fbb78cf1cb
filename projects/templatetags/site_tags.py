"""The site's name (TRACKER_SITE_NAME) and the written month, for every template that shows them.

A tag rather than a context processor: the plain error pages render without a request.
"""

from django import template
from django.conf import settings

from projects.periods import month_text
from projects.web.topbar import draw as draw_topbar

register = template.Library()


@register.simple_tag
def site_name() -> str:
    return settings.TRACKER_SITE_NAME


@register.simple_tag
def month(year, month) -> str:
    """A month as the tracker writes it everywhere: 2024-03 (``periods.month_text``)."""
    return month_text(int(year), int(month))


@register.simple_tag(takes_context=True)
def topbar(context) -> str:
    """The bar's links, account and language switch (``web.topbar``), after the page's
    own ``nav`` block."""
    return draw_topbar(context)
