"""Display helpers for report figures; they format, never compute, a figure."""

from django import template
from django.utils.translation import gettext as _

from projects.money import format_count, format_rate, format_signed_wan, format_wan, yi_figure
from projects.web.tables import DASH, rate_bar

register = template.Library()


# The formats themselves live in money, beside the rules that make the figures.
register.filter("yi", yi_figure)
register.filter("wan", format_wan)
register.filter("signed_wan", format_signed_wan)
register.filter("rate", format_rate)
register.filter("count", format_count)


@register.filter
def bar(value):
    """The rate's bar with its figure."""
    return rate_bar(value)


@register.filter
def bar_only(value):
    """Just the bar, where the figure is printed beside it already."""
    return rate_bar(value, with_figure=False)


@register.filter
def points(value):
    """Signed percentage points: +3.5 / -2.0, or "—"."""
    if value is None:
        return DASH
    return f"+{value}" if value > 0 else f"{value}"


@register.filter
def versus_time(value):
    """How Chinese reports word it: 超时序进度 / 落后时序进度 X 个百分点."""
    if value is None:
        return DASH
    if value > 0:
        return _("%(points)s percentage points ahead of time elapsed") % {"points": value}
    if value < 0:
        return _("%(points)s percentage points behind time elapsed") % {"points": -value}
    return _("level with time elapsed")
