"""The report body's charts and rankings, drawn in Python.

The body is drawn once per kept report and address (``report_body.report_sections``), so
this is paid by every computed page. Through the template engine the charts (a monthly
SVG, its table of twelve months, the categories' bars) took 4.1 ms and the rankings (three
or four, their first and last places) 2.9 ms of the demo's 11.6 ms body, on a host whose
``reference_loop_ms`` read 73–133: loops of variables, filters and translations. The HTML
is what the templates wrote; ``tests/web/test_drawn_report.py`` renders those templates
(kept beside it) and these functions with the same report.

Numbers are written as the template wrote them: a figure through its format
(``money.format_wan`` and the rest, as the filters), a coordinate localised as
``{{ value }}`` localises it, a bar's width as it is (``unlocalize``). The words are the
catalogue's, as ``{% translate %}`` writes a literal's translation.
"""

from __future__ import annotations

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from ..money import format_rate, format_wan
from .drawn_widgets import as_variable, escaped
from .tables import FoldedRanking, rate_bar

# The charts' words, marked where ``make messages`` reads them.
MONTHLY_CAPTION = gettext_noop(
    "Completed investment, cumulative by month, against the cumulative plan at quarter ends (万元)"
)
MONTHLY_LABEL = gettext_noop("Monthly investment chart; the same figures are in the table below.")
COMPLETED = gettext_noop("completed (cumulative)")
PLANNED = gettext_noop("planned (cumulative, quarter ends)")
MONTH = gettext_noop("month")
IN_MONTH = gettext_noop("completed in the month 当月 (万元)")
CUMULATIVE = gettext_noop("cumulative completed")
CUMULATIVE_PLAN = gettext_noop("cumulative plan")
CATEGORY_CAPTION = gettext_noop("Investment by category for the period (万元)")
PLANNED_YTD = gettext_noop("planned, year to date 累计")
COMPLETED_YTD = gettext_noop("completed, year to date 累计")
TIED = gettext_noop("(tied)")
NOT_RANKED = gettext_noop("Not ranked, listed apart:")
SHOW_ALL = gettext_noop("Show all")


# A value as ``{{ value }}`` writes it, under a short name: the chart writes dozens a line.
_n = as_variable


def _wan(amount) -> str:
    """An amount as ``{{ amount|wan }}`` writes it."""
    return escaped(format_wan(amount))


def draw_charts(chart: dict, months, category_chart: list[dict]) -> SafeString:
    """The section of the monthly chart, its table and the categories' bars."""
    bars = "".join(
        f'<rect class="actual" x="{_n(b["x"])}" y="{_n(b["y"])}" width="{_n(b["w"])}" '
        f'height="{_n(b["h"])}"><title>{_n(b["point"].month)}: '
        f"{_wan(b['point'].cumulative_investment)}</title></rect>"
        for b in chart["bars"]
    )
    plans = "".join(
        f'<line class="plan" x1="{_n(p["x1"])}" x2="{_n(p["x2"])}" y1="{_n(p["y"])}" '
        f'y2="{_n(p["y"])}"><title>{_n(p["point"].month)}: '
        f"{_wan(p['point'].cumulative_planned_investment)}</title></line>"
        for p in chart["plans"]
    )
    labels = "".join(
        f'<text x="{_n(label["x"])}" y="{_n(chart["label_y"])}" text-anchor="middle">'
        f"{_n(label['month'])}</text>"
        for label in chart["labels"]
    )
    heads = "".join(f'<th class="num">{_n(p.month)}</th>' for p in months)
    in_month = "".join(
        f'<td class="num">{_wan(p.investment) if p.reported else "—"}</td>' for p in months
    )
    cumulative = "".join(
        f'<td class="num">{_wan(p.cumulative_investment) if p.reported else "—"}</td>'
        for p in months
    )
    plan = "".join(f'<td class="num">{_wan(p.cumulative_planned_investment)}</td>' for p in months)
    planned_ytd, completed_ytd = _(PLANNED_YTD), _(COMPLETED_YTD)
    categories = "".join(
        f"\n      <tr><th>{escaped(c['row'].name)}</th>\n"
        '        <td><svg class="hbar plan" viewBox="0 0 100 1" preserveAspectRatio="none" '
        f'aria-hidden="true"><rect width="{escaped(c["planned"])}" height="1"/></svg>'
        f'<span class="hbar-label">{planned_ytd} '
        f"{_wan(c['row'].investment.planned)}</span>\n"
        '            <svg class="hbar actual" viewBox="0 0 100 1" preserveAspectRatio="none" '
        f'aria-hidden="true"><rect width="{escaped(c["actual"])}" height="1"/></svg>'
        f'<span class="hbar-label">{completed_ytd} '
        f"{_wan(c['row'].investment.actual)} "
        f"({escaped(format_rate(c['row'].investment.rate))})</span></td></tr>\n      "
        for c in category_chart
    )
    return mark_safe(
        '<section class="charts">\n  <figure>\n'
        f"    <figcaption>{_(MONTHLY_CAPTION)}</figcaption>\n"
        f'    <svg class="chart" viewBox="0 0 {_n(chart["width"])} {_n(chart["height"])}" '
        f'role="img" aria-label="{_(MONTHLY_LABEL)}">\n'
        f'      <line x1="{_n(chart["left"])}" y1="{_n(chart["baseline"])}" '
        f'x2="{_n(chart["width"])}" y2="{_n(chart["baseline"])}" class="axis"/>\n'
        f"      {bars}\n      {plans}\n      {labels}\n    </svg>\n"
        f'    <p class="legend"><span class="key actual"></span>{_(COMPLETED)} '
        f'<span class="key plan"></span>{_(PLANNED)}</p>\n'
        '    <table class="table compact">\n'
        f"      <thead><tr><th>{_(MONTH)}</th>{heads}</tr></thead>\n      <tbody>\n"
        f"        <tr><th>{_(IN_MONTH)}</th>{in_month}</tr>\n"
        f"        <tr><th>{_(CUMULATIVE)}</th>{cumulative}</tr>\n"
        f"        <tr><th>{_(CUMULATIVE_PLAN)}</th>{plan}</tr>\n"
        "      </tbody>\n    </table>\n  </figure>\n  <figure>\n"
        f"    <figcaption>{_(CATEGORY_CAPTION)}</figcaption>\n"
        f'    <table class="hbars">\n      {categories}\n    </table>\n  </figure>\n</section>'
    )


def draw_ranking(r: FoldedRanking) -> SafeString:
    """One ranking: its first places, how many are folded between, its last places, and
    the groups listed apart."""
    tied = f' <span class="muted">{_(TIED)}</span>'

    def places(found) -> str:
        return "".join(
            f'<li value="{_n(p.rank)}">{escaped(p.row.name)} — {rate_bar(p.rate)}'
            f"{tied if p.rank in r.tied else ''}</li>"
            for p in found
        )

    show_all = f' <a href="{escaped(r.show_all)}">{_(SHOW_ALL)}</a>'
    html = f'\n<ol class="ranking">\n  {places(r.head)}\n</ol>\n'
    if r.tail:
        hidden = ngettext(
            "%(hidden)s place between is not shown here; the 通报 lists every place.",
            "%(hidden)s places between are not shown here; the 通报 lists every place.",
            r.hidden,
        ) % {"hidden": _n(r.hidden)}
        html += (
            f'\n<p class="muted fold">{hidden}{show_all}</p>\n'
            f'<ol class="ranking">\n  {places(r.tail)}\n</ol>\n'
        )
    html += "\n"
    if r.apart:
        apart = "".join(
            f"<li>{escaped(p.row.name)} — {escaped(format_rate(p.rate))}（{escaped(p.note)}）</li>"
            for p in r.apart
        )
        html += f'\n<p class="muted">{_(NOT_RANKED)}</p>\n<ul class="ranking apart">{apart}</ul>\n'
        if r.apart_hidden:
            more = ngettext(
                "%(hidden)s more is listed apart.",
                "%(hidden)s more are listed apart.",
                r.apart_hidden,
            ) % {"hidden": _n(r.apart_hidden)}
            html += f'<p class="muted fold">{more}{"" if r.tail else show_all}</p>'
        html += "\n"
    return mark_safe(html + "\n")
