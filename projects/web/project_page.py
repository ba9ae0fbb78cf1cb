"""The project page's own sections, drawn in Python: its fields, its quarters and its months.

The project page is the load test's second most asked, and under ``make load`` its p95 is
the target nearest its line. Through the template engine these three loops (some thirty
fields, each through an ``if``/``elif`` of filters; five quarter rows; up to twelve month
rows with a tag each) were about half of the page's template time: at 2,000 × 5 the page's
template took 3.8–4.2 ms, and 2.4–2.6 with these drawn here in 0.34 (medians, on a host
whose ``reference_loop_ms`` read 60–103). The HTML is what
``projects/project_detail.html`` wrote for them: ``tests/web/reference_project_sections.html``
is that template's part, and ``tests/web/test_project_page_drawn.py`` renders both for
hostile values and compares. Each value is written as the engine writes a variable
(``drawn_widgets.as_variable``: localised, then escaped unless safe), so nothing here
escapes less.
"""

from __future__ import annotations

import datetime as dt

from django.template.defaultfilters import date as date_filter
from django.template.defaultfilters import linebreaksbr
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ..money import format_wan
from ..periods import month_text
from ..schema import AMOUNT, DATE, NOTE
from ..selectors.project import ProjectDetail
from .drawn_widgets import as_variable, escaped
from .tables import DASH, rate_bar


def _date(value) -> str:
    """``value|date:"Y-m-d"|default:"—"``. A plain date is its ISO form, what the filter
    writes for it (its localisation machinery was a tenth of the page's template time)."""
    if type(value) is dt.date:
        return value.isoformat()
    # The engine hands the filter an aware datetime in the current time zone
    # (``expects_localtime``); called directly, it is converted here.
    return date_filter(template_localtime(value), "Y-m-d") or DASH


def _field_value(value, kind: str) -> str:
    if kind == AMOUNT:
        return as_variable(format_wan(value))
    if kind == DATE:
        return as_variable(_date(value))
    if kind == NOTE:
        return linebreaksbr(value or DASH, autoescape=True)
    return as_variable(value or DASH)


def draw_fields(rows) -> SafeString:
    """The project's fields (``schema.page_rows``) as the page's ``<dl>``."""
    items = "".join(
        f"\n  <dt>{as_variable(label)}</dt><dd>{_field_value(value, kind)}</dd>\n  "
        for label, value, kind in rows
    )
    return mark_safe(f'<dl class="fields">\n  {items}\n</dl>')


# Marked where ``make messages`` reads them; translated when a section is drawn, and not
# escaped, as ``{% translate "…" %}`` writes a literal's translation (the app's own words).
QUARTERS_TITLE = gettext_noop(
    "Plan against actuals by quarter, %(year)s (万元; each quarter on its own, not a running total)"
)
QUARTER_HEADINGS = (
    gettext_noop("quarter"),
    gettext_noop("the quarter's planned investment 当季"),
    gettext_noop("the quarter's completed investment 当季"),
    gettext_noop("investment rate"),
    gettext_noop("the quarter's planned inclusion 当季"),
    gettext_noop("the quarter's inclusion 当季"),
    gettext_noop("inclusion rate"),
)
WHOLE_YEAR = gettext_noop("whole year")
MONTHS_TITLE = gettext_noop("Monthly progress")
NO_MONTHS = gettext_noop("No progress reported for this year yet.")
MONTH_HEADINGS = (
    gettext_noop("month"),
    gettext_noop("This month's completed investment 当月 (万元)"),
    gettext_noop("Year-to-date completed investment 累计 (万元)"),
    gettext_noop("This month's inclusion 当月 (万元)"),
    gettext_noop("Year-to-date inclusion 累计 (万元)"),
    gettext_noop("image progress"),
)


def _quarter_cells(line) -> str:
    inv, inc = line.investment, line.inclusion
    return (
        f'\n      <td class="num">{as_variable(format_wan(inv.planned))}</td>'
        f'<td class="num">{as_variable(format_wan(inv.actual))}</td>'
        f'<td class="num">{escaped(rate_bar(inv.rate))}</td>'
        f'\n      <td class="num">{as_variable(format_wan(inc.planned))}</td>'
        f'<td class="num">{as_variable(format_wan(inc.actual))}</td>'
        f'<td class="num">{escaped(rate_bar(inc.rate))}</td></tr>'
    )


def draw_quarters(detail: ProjectDetail) -> SafeString:
    """The plan against actuals by quarter, each quarter on its own, and the whole year."""
    # ``{% blocktranslate %}``: the value escaped, the words as the catalogue has them.
    title = _(QUARTERS_TITLE) % {"year": as_variable(detail.year)}
    h = [_(heading) for heading in QUARTER_HEADINGS]
    rows = "".join(
        f"\n    <tr><th>{as_variable(q.label)}</th>{_quarter_cells(q)}\n  " for q in detail.quarters
    )
    return mark_safe(
        f"<h2>{title}</h2>\n"
        '<div class="scroll"><table class="table">\n'
        f"  <thead><tr><th>{h[0]}</th>\n"
        f'    <th class="num">{h[1]}</th><th class="num">{h[2]}</th><th class="num">{h[3]}</th>\n'
        f'    <th class="num">{h[4]}</th><th class="num">{h[5]}</th><th class="num">{h[6]}</th>'
        "</tr></thead>\n"
        f"  <tbody>\n  {rows}\n"
        f'    <tr class="total"><th>{_(WHOLE_YEAR)}</th>{_quarter_cells(detail.annual)}\n'
        "  </tbody>\n</table></div>"
    )


def draw_months(detail: ProjectDetail) -> SafeString:
    """Each month's figures, 当月 and 累计, or a line saying none is reported yet."""
    heading = f"<h2>{_(MONTHS_TITLE)}</h2>\n"
    if not detail.months:
        return mark_safe(f'{heading}<p class="muted">{_(NO_MONTHS)}</p>')
    h = [_(heading) for heading in MONTH_HEADINGS]
    rows = "".join(
        f"\n    <tr><th>{escaped(month_text(m.year, m.month))}</th>"
        f'<td class="num">{as_variable(format_wan(m.investment))}</td>'
        f'<td class="num">{as_variable(format_wan(m.cumulative_investment))}</td>'
        f'\n      <td class="num">{as_variable(format_wan(m.inclusion))}</td>'
        f'<td class="num">{as_variable(format_wan(m.cumulative_inclusion))}</td>'
        f"<td>{as_variable(m.image_progress)}</td></tr>\n  "
        for m in detail.months
    )
    # Written as the template's ``{% if %}`` branch wrote it: between line breaks.
    return mark_safe(
        f"{heading}"
        '\n<div class="scroll"><table class="table">\n'
        f'  <thead><tr><th>{h[0]}</th><th class="num">{h[1]}</th><th class="num">{h[2]}</th>\n'
        f'    <th class="num">{h[3]}</th><th class="num">{h[4]}</th><th>{h[5]}</th></tr></thead>\n'
        f"  <tbody>{rows}</tbody>\n</table></div>\n"
    )
