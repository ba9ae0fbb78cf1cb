"""The report's head, drawn in Python: its title, period links and print links (above the
reader's month states), its plan basis line (above the sign-off) and its headline cards.

Drawn with the body once per kept report and address (``report_body.report_sections``).
Through the template engine these three pieces (and the year picker and period links the
first included) took 2.5 ms of the demo's computed page, timed alone on a host whose
``reference_loop_ms`` read about 70: some eighty filters, translations and lookups for
about forty figures. The HTML is what those templates wrote: they are kept as
``tests/web/reference_report_head_*.html`` (with ``reference_year_picker.html`` and
``reference_period_links.html``), and ``tests/web/test_drawn_head.py`` renders both for
each shape of the head, in both languages, with hostile names, and compares.

Written as the templates wrote them (``drawn_body`` says how): a filter's figure through
the same function the filter is (``money.yi_figure``, ``format_rate``…), then as a
variable; a literal's translation unescaped; a ``{% blocktranslate %}``'s values as
variables. The 纳统率 card stays in its own template (``_library_rates.html``).
"""

from __future__ import annotations

from django.template.defaultfilters import date as date_filter
from django.template.defaultfilters import urlencode
from django.template.loader import get_template
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext_noop, ngettext, pgettext
from django.utils.translation import gettext as _

from ..money import format_rate, format_signed_wan, format_wan, yi_figure
from ..templatetags.report_tags import bar_only, points, versus_time
from .drawn_widgets import as_variable as _n

# The head's words, marked where ``make messages`` reads them (the templates that held them
# are gone); translated when the head is drawn.
YEAR_TO_DATE_SPAN = gettext_noop(
    "Year to date, %(start)s to %(end)s. Amounts in 亿元 above, 万元 in the tables."
)
OTHER_PERIODS = gettext_noop("Other periods")
PRINT_VERSION = gettext_noop("Print version (every project, A4 landscape)")
BRIEFING = gettext_noop("Briefing (通报)")
BRIEFING_DOCX = gettext_noop("Briefing as Word (.docx)")
YEARS = gettext_noop("Years")
YEAR = gettext_noop("%(y)s")
QUARTERS = gettext_noop("Quarters")
MONTHS = gettext_noop("Year to the end of a month")
ON_BASELINE = gettext_noop("Rates on the baseline plan (年初计划).")
TO_ADJUSTED = gettext_noop("Compute on the adjusted plan")
ON_ADJUSTED = gettext_noop("Rates on the adjusted plan (调整后计划).")
TO_BASELINE = gettext_noop("Compute on the baseline plan (年初计划)")
FILTERED = gettext_noop("Filtered: every figure on this page covers the matching projects only.")
CLEAR_FILTERS = gettext_noop("Clear filters")
HEADLINE = gettext_noop("Headline figures")
ON_THE_LIST = gettext_noop("Projects on the list")
AT_PERIOD_END = gettext_noop("on the list at the period's end")
STARTS = gettext_noop("Construction starts")
YEAR_TO_DATE = gettext_noop("Year to date")
THIS_MONTH_OF_WHICH = gettext_noop("of which this month 当月")
THIS_QUARTER_TITLE = gettext_noop("This quarter")
PLANNED = gettext_noop("planned")
EARLY = gettext_noop("of which early")
OVERDUE = gettext_noop("overdue, not started")
INVESTMENT = gettext_noop("Investment")
INCLUSION = gettext_noop("Statistical inclusion")
PLANNED_YTD = gettext_noop("planned, year to date 累计")
COMPLETED_YTD = gettext_noop("completed, year to date 累计")
YI = gettext_noop("亿元")
COMPLETION_RATE = gettext_noop("completion rate")
THIS_MONTH = gettext_noop("this month 当月")
THIS_QUARTER = gettext_noop("this quarter")
COMPLETED = gettext_noop("completed")
ANNUAL_PLAN = gettext_noop("annual plan")
DONE = gettext_noop("done")
VERSUS_TIME = gettext_noop("against time elapsed")
YEAR_ON_YEAR = gettext_noop("year on year")
AT_THIS_PACE = gettext_noop("at this pace")
PROJECTED = gettext_noop("projected %(amount)s 亿元 for the year, %(share)s of the plan")
TIME_ELAPSED = gettext_noop("Time elapsed")
PACE_NOTE = gettext_noop(
    "Share of the year gone by the period's end. Projections assume the year-to-date pace "
    "holds; they are not forecasts."
)
PROVINCIAL_RATES = gettext_noop("Provincial rates")
START_RATE = gettext_noop("start rate")
STARTS_BEGUN = gettext_noop("%(actual)s of %(planned)s planned new starts begun")
INVESTMENT_RATE = gettext_noop("investment completion rate")
INVESTMENT_RATE_NOTE = gettext_noop("completed this year ÷ the year's planned investment")
FUNDS_RATE = gettext_noop("funds in place rate")
FUNDS_NOTE = gettext_noop("%(funds)s 万元 in place this year ÷ the year's planned investment")
ON_TIME_RATE = gettext_noop("on-time completion rate")
ON_TIME_NOTE = gettext_noop(
    "%(on_time)s of %(due)s projects due to complete by the period's end completed on time"
)
UNIT_SCORES = gettext_noop("Unit scores")

_CURRENT = ' aria-current="page" class="current"'


def _year_picker(c: dict) -> str:
    years, report = c["years"], c["report"]
    if len(years) <= 1:
        return "\n"  # the template's last line break, outside its ``if``

    def href(year) -> str:
        return _n(reverse("quarterly_report", kwargs={"year": year, "quarter": report.quarter}))

    links = "".join(
        f'<a href="{href(y)}"{_CURRENT if y == report.year else ""}>{_(YEAR) % {"y": _n(y)}}</a>'
        for y in years
    )
    return f'<nav class="quarters years" aria-label="{_(YEARS)}">\n  {links}\n</nav>\n'


def _links(links) -> str:
    return "".join(
        f'<a href="{_n(p.href)}"{_CURRENT if p.current else ""}>{_n(p.label)}</a>' for p in links
    )


def _period_links(c: dict) -> str:
    links = c["period_links"]
    return (
        f'<nav class="quarters" aria-label="{_(QUARTERS)}">\n    {_links(links["quarters"])}\n'
        f'  </nav>\n  <nav class="quarters months" aria-label="{_(MONTHS)}">\n'
        f"    {_links(links['months'])}\n  </nav>\n"
    )


def draw_top(c: dict) -> SafeString:
    """The title, the year picker, the period links and the print links."""
    report = c["report"]
    period = report.period
    zh = (get_language() or "")[:2] == "zh"
    span = _(YEAR_TO_DATE_SPAN) % {
        "start": _n(date_filter(period.start, "Y-m-d")),
        "end": _n(date_filter(period.end, "Y-m-d")),
    }
    base, query = _n(c["export_base"]), _n(c["export_query"])
    docx = (
        f' · <a href="{base}/briefing.docx?{query}">{_(BRIEFING_DOCX)}</a>'
        if c["can_export"]
        else ""
    )
    period_links = _period_links(c)
    return mark_safe(
        f'\n<header class="report-head">\n  <h1>{_n(report.programme_name)} ·\n'
        f"    {_n(period.label_zh if zh else period.label_en)}</h1>\n"
        f'  <p class="muted">{span}</p>\n'
        f"  {_year_picker(c)}\n  \n"
        f'  <div class="periods-wide">{period_links}</div>\n'
        f'  <details class="periods-narrow">\n    <summary>{_(OTHER_PERIODS)}</summary>\n'
        f"    {period_links}\n  </details>\n"
        f'  <p class="print-links">\n'
        f'    <a href="{base}/print/?{query}">{_(PRINT_VERSION)}</a> ·\n'
        f'    <a href="{base}/briefing/?{query}">{_(BRIEFING)}</a>\n'
        f"    {docx}\n  </p>\n  "
    )


def draw_plan(c: dict) -> SafeString:
    """The plan basis line: which plan the rates are on, the other's link, the adjustments."""
    report = c["report"]
    toggle = _n(c["plan_toggle"])
    if report.on_baseline:
        basis = f'{_(ON_BASELINE)} <a href="{toggle}">{_(TO_ADJUSTED)}</a>'
    else:
        basis = f'{_(ON_ADJUSTED)} <a href="{toggle}">{_(TO_BASELINE)}</a>'
    headline = report.headline
    investment = headline.investment
    adjustments = ngettext(
        "Plan adjustments: %(projects)s project; year-to-date investment plan %(inv)s 万元 "
        "against the baseline (annual %(annual)s 万元).",
        "Plan adjustments: %(projects)s projects; year-to-date investment plan %(inv)s 万元 "
        "against the baseline (annual %(annual)s 万元).",
        headline.adjusted_projects,
    ) % {
        "projects": _n(headline.adjusted_projects),
        "inv": _n(format_signed_wan(investment.adjustment)),
        "annual": _n(format_signed_wan(investment.annual_adjustment)),
    }
    return mark_safe(f'\n  <p class="plan-basis">{basis}\n    · {adjustments}</p>\n  ')


def _figures_card(title: str, figures, outlook, is_month: bool) -> str:
    def yi(amount) -> str:
        return _n(yi_figure(amount))

    def rate(value) -> str:
        return _n(format_rate(value))

    versus = _n(versus_time(outlook.points_vs_time))
    yoy = "—" if outlook.yoy_percent is None else f"{_n(points(outlook.yoy_percent))}%"
    projected = _(PROJECTED) % {
        "amount": yi(outlook.projected_annual),
        "share": rate(outlook.projected_annual_rate),
    }
    return (
        f'  <div class="card">\n    <h2>{_(title)}</h2>\n'
        f'    <p class="big"><small>{_(PLANNED_YTD)}</small> {yi(figures.planned)} '
        f"<small>{_(COMPLETED_YTD)}</small> {yi(figures.actual)} <small>{_(YI)}</small></p>\n"
        f"    <p>{_(COMPLETION_RATE)} <strong>{rate(figures.rate)}</strong> "
        f"{_n(bar_only(figures.rate))}</p>\n"
        '    <table class="figs">\n'
        f"      <tr><th>{_(THIS_MONTH) if is_month else _(THIS_QUARTER)}</th><td>{_(PLANNED)} "
        f"{yi(figures.quarter_planned)} / {_(COMPLETED)} {yi(figures.quarter_actual)} "
        f"{_(YI)}, {rate(figures.quarter_rate)}</td></tr>\n"
        f"      <tr><th>{_(ANNUAL_PLAN)}</th><td>{yi(figures.annual_plan)} {_(YI)}, "
        f"{_(DONE)} {rate(figures.annual_rate)}</td></tr>\n"
        f"      <tr><th>{_(VERSUS_TIME)}</th><td>{versus}</td></tr>\n"
        f"      <tr><th>{_(YEAR_ON_YEAR)}</th><td>{yoy}</td></tr>\n"
        f"      <tr><th>{_(AT_THIS_PACE)}</th><td>{projected}</td></tr>\n"
        "    </table>\n  </div>\n"
    )


def _rates_card(report) -> str:
    r = report.rates
    if not r:
        return ""
    begun = _(STARTS_BEGUN) % {"actual": _n(r.starts_actual), "planned": _n(r.starts_planned)}
    funds = _(FUNDS_NOTE) % {"funds": _n(format_wan(r.funds))}
    on_time = _(ON_TIME_NOTE) % {"on_time": _n(r.completion_on_time), "due": _n(r.completion_due)}
    scores = ""
    if not report.partial:
        code = _n(urlencode(report.programme_code))
        scores = f'<p><a href="scores/?programme={code}">{_(UNIT_SCORES)}</a></p>'
    return (
        '<div class="card" id="provincial-rates">\n'
        f"    <h2>{_(PROVINCIAL_RATES)}</h2>\n"
        '    <table class="figs">\n'
        f"      <tr><th>{_(START_RATE)}</th><td>{_n(format_rate(r.start))}</td>"
        f'<td class="muted">{begun}</td></tr>\n'
        f"      <tr><th>{_(INVESTMENT_RATE)}</th><td>{_n(format_rate(r.investment))}</td>"
        f'<td class="muted">{_(INVESTMENT_RATE_NOTE)}</td></tr>\n'
        f"      <tr><th>{_(FUNDS_RATE)}</th><td>{_n(format_rate(r.funds_rate))}</td>"
        f'<td class="muted">{funds}</td></tr>\n'
        f"      <tr><th>{_(ON_TIME_RATE)}</th><td>{_n(format_rate(r.completion))}</td>"
        f'<td class="muted">{on_time}</td></tr>\n'
        "    </table>\n"
        f"    {scores}\n  </div>"
    )


def draw_cards(c: dict) -> SafeString:
    """The filtered notice, the end of the head and the headline cards."""
    report = c["report"]
    headline = report.headline
    starts = headline.starts
    is_month = report.period.is_month
    notice = ""
    if report.filtered:
        code = _n(urlencode(c["programme"].code))
        clear = f'<a href="?programme={code}">{_(CLEAR_FILTERS)}</a>'
        notice = f'<p class="notice">{_(FILTERED)} {clear}</p>'
    rows = (
        (_(PLANNED), starts.planned, starts.quarter_planned),
        (pgettext("count", "started"), starts.actual, starts.quarter_actual),
        (_(EARLY), starts.early, starts.quarter_early),
        (_(OVERDUE), starts.overdue, starts.quarter_overdue),
    )
    starts_rows = "".join(
        f"      <tr><th>{label}</th><td>{_n(year)}</td><td>{_n(part)}</td></tr>\n"
        for label, year, part in rows
    )
    library = ""
    if report.library_rates:
        library = str(get_template("projects/_library_rates.html").render({"report": report}))
    return mark_safe(
        f"\n  {notice}\n</header>\n\n"
        f'<section class="cards" aria-label="{_(HEADLINE)}">\n'
        f'  <div class="card">\n    <h2>{_(ON_THE_LIST)}</h2>\n'
        f'    <p class="big">{_n(headline.projects)}</p>\n'
        f'    <p class="muted">{_(AT_PERIOD_END)}</p>\n  </div>\n'
        f'  <div class="card">\n    <h2>{_(STARTS)}</h2>\n    <table class="figs">\n'
        f"      <tr><th></th><th>{_(YEAR_TO_DATE)}</th>"
        f"<th>{_(THIS_MONTH_OF_WHICH) if is_month else _(THIS_QUARTER_TITLE)}</th></tr>\n"
        f"{starts_rows}    </table>\n  </div>\n"
        + _figures_card(INVESTMENT, headline.investment, headline.investment_outlook, is_month)
        + _figures_card(INCLUSION, headline.inclusion, headline.inclusion_outlook, is_month)
        + f'  <div class="card">\n    <h2>{_(TIME_ELAPSED)}</h2>\n'
        f'    <p class="big">{_n(headline.time_elapsed)}%</p>\n'
        f'    <p class="muted">{_(PACE_NOTE)}</p>\n  </div>\n'
        f"  {_rates_card(report)}\n"
        f"  {library}\n</section>\n"
    )
