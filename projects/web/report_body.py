"""The report page's head and the sections below it (charts, filters, the project table,
breakdowns, 专班, campaigns and rankings), drawn once per kept report and address.

Read again with no write between, the page used to build its tables and render these
sections every time: at province scale 31 statements and 55–60 ms, of which half went to
the template engine, the filter form's five option lists and the tables' rows. All of it is
a function of the report's figures and rows and of the address (sorts, pages, folds,
filters), so the rendered HTML is kept beside the figures (``report_cache.kept_with``):
under the figures' key, which holds their data versions, the reader's reach, the language
and the day, and with the parts below, which hold the rest the sections read. A write
moves the figures' key, so the next read draws them afresh; a report whose figures are not
kept (computed in a transaction that wrote) is drawn every time. The head (title, periods,
print links, plan basis, headline cards) is drawn with them: through the engine it was
4.3 ms of a demo page read again of 23.5, on a host whose ``reference_loop_ms`` read 73–133.
Head and body are drawn in Python (``drawn_head``, ``drawn_body``), to what their templates
wrote, which the tests keep and compare.

What differs by reader within one reach stays outside, in ``report.html``: the returned
months, the to-do and dispatch panels, the sign-off lines and the month states (the head
is kept in three pieces around the last two). What differs by reader inside these sections
is in the key's parts: which rows link to a project page (``visible_unit_ids``), whether
the download links show (``can_export``). Nothing here holds a CSRF token (the filter form
is a GET), so a kept copy is valid for anyone with the same key.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .. import exports
from ..briefing.sign_off import unfinished
from ..choices import TASK_FORCE_OVERLAP_NOTE
from ..filters import bound_filters, filters_asked
from ..permissions import visible_unit_ids
from ..schema import DIMENSIONS
from ..selectors.briefing import page_campaigns
from ..selectors.report_cache import kept_for, kept_with
from .charts import category_chart, monthly_chart
from .drawn_body import draw_body
from .drawn_head import draw_cards, draw_plan, draw_top
from .drawn_report import draw_charts, draw_ranking
from .report_folds import report_folds, with_link
from .report_tables import BreakdownTable, breakdown_footer, project_table
from .tables import page_links, query_with

PROJECT_PREFIX = "p"
# The parameter that shows every place of the page's rankings (a view choice: it ends in
# ``-all``, so the cached figures' key leaves it out).
RANKING_ALL = "ranking-all"
# (key, table title, first column's label) of each schema dimension.
BREAKDOWNS = tuple((f.key, f.breakdown_title, f.label()) for f in DIMENSIONS)
# The head's three pieces and the body, in ``DrawnSections``' order, each drawn in Python
# (``drawn_head``, ``drawn_body``) from the sections' context.
DRAWINGS = (draw_top, draw_plan, draw_cards, draw_body)


@dataclass(frozen=True)
class DrawnSections:
    """What the page draws once per kept report and address: its head in three pieces (around
    the reader's month states and sign-off, which stay outside) and its body."""

    top: SafeString
    plan: SafeString
    cards: SafeString
    body: SafeString


def report_sections(
    request,
    report,
    programme,
    *,
    export_base: str,
    export_query: str,
    can_export: bool,
    years: list[int],
    head: Callable[[], dict],
) -> DrawnSections:
    """The head's pieces and the sections' HTML, kept under the report's figures and the
    parts that vary beside them; drawn (``body_context``, ``head()``) only when not kept.

    ``years``: the lists' years, for the head's year picker. A new year's list bumps its own
    year's data version, not this report's, so the years are part of the key. ``head``:
    what else the head reads (the period links, the plan toggle), made only to draw."""
    viewable = visible_unit_ids(request.user)
    site_root = f"{request.scheme}://{request.get_host()}"
    parts = [
        # Every parameter in the order given: the sort, page and fold links repeat them.
        request.get_full_path(),
        site_root,
        can_export,
        None if viewable is None else sorted(viewable),
        list(years),
    ]

    def draw() -> tuple[str, ...]:
        context = body_context(request, report, programme, viewable=viewable)
        context.update(
            export_base=export_base,
            export_query=export_query,
            can_export=can_export,
            site_root=site_root,
            years=years,
            **head(),
        )
        return tuple(str(drawing(context)) for drawing in DRAWINGS)

    # The rows drawn are part of the HTML, so it is not kept once this transaction wrote.
    drawn = kept_with(
        report, "page-sections", parts=parts, classes=(), compute=draw, reads_rows=True
    )
    # Drawn as the templates drew them: every value escaped (``drawn_widgets.as_variable``).
    return DrawnSections(*(mark_safe(html) for html in drawn))


def body_context(request, report, programme, *, viewable) -> dict:
    """What the sections read: the report's tables as ``django_tables2`` draws them, with
    their sort, page and fold links from this address."""
    page = report.row_page
    every_row = report.every_row
    # tables2 formats the rows the database sorted and paged; up to a print view's worth,
    # the page holds every row and those off the page show in print only.
    table = project_table(
        every_row or report.rows,
        request=request,
        sort=page.sort,
        viewable=viewable,
        on_baseline=report.on_baseline,
    )
    shown = None
    if every_row is not None:
        first = (page.number - 1) * page.per_page
        shown = range(first, first + len(report.rows))
    heading = table.heading(chooser=True)
    project_table_context = {
        "headers": heading.headers,
        "header_row": heading.row,
        "rows": table.html_rows(shown),
        "every_row": every_row is not None,
        "page": page,
        "previous": query_with(request, **{f"{PROJECT_PREFIX}-page": page.number - 1}),
        "next": query_with(request, **{f"{PROJECT_PREFIX}-page": page.number + 1}),
        "page_links": page_links(request, PROJECT_PREFIX, page),
    }
    thresholds = (report.yellow_below, report.red_below)
    # Each breakdown's largest groups and each ranking's first and last places, computed
    # once per kept report: a province's 2,238 units are not sorted or ranked again.
    every_place = bool(request.GET.get(RANKING_ALL))
    folds = report_folds(
        report,
        keys=tuple(key for key, _title, _column in BREAKDOWNS),
        sorts={key: request.GET.get(f"{key}-sort") for key, _title, _column in BREAKDOWNS},
        show_all=frozenset(key for key, _t, _c in BREAKDOWNS if request.GET.get(f"{key}-all")),
        every_place=every_place,
    )
    breakdowns = []
    for key, title, column in BREAKDOWNS:
        rows, fold = folds.breakdowns[key]
        breakdown = BreakdownTable(
            rows,
            request=request,
            key=key,
            sort=request.GET.get(f"{key}-sort"),
            first_header=column,
            thresholds=thresholds,
        )
        heading = breakdown.heading()
        breakdowns.append(
            {
                "key": key,
                "title": title,
                "headers": heading.headers,
                "header_row": heading.row,
                "rows": breakdown.html_rows(),
                "footer": breakdown_footer(report),
                "fold": fold,
                "show_all": query_with(request, **{f"{key}-all": "1"}),
            }
        )
    # The rankings, each folded to its first and last places above ``RANKING_FOLD``.
    ranking_link = query_with(request, **{RANKING_ALL: "1"}) + "#rankings"
    rankings = {name: with_link(r, ranking_link) for name, r in folds.rankings.items()}

    # The 专班 in the group's order, unsorted (their rows are few and overlap), so their
    # headings carry no sort links.
    task_forces = []
    for group, rows, ranking in folds.task_forces:
        ranking = with_link(ranking, ranking_link)
        table = BreakdownTable(
            rows,
            request=request,
            key="task_force",
            sort=None,
            first_header=_("task force"),
            thresholds=thresholds,
            orderable=False,
        )
        heading = table.heading()
        task_forces.append(
            {
                "title": group,
                "headers": heading.headers,
                "header_row": heading.row,
                "rows": table.html_rows(),
                "ranking": ranking,
                "ranking_html": draw_ranking(ranking),
            }
        )
    for t in (project_table_context, *breakdowns, *task_forces):
        # One string for a table's rows: drawn once, not a piece per row.
        t["rows_html"] = mark_safe("\n".join(t["rows"]))  # each row escaped its own values
    return {
        "report": report,
        "programme": programme,
        "filter_form": filter_form(request.GET),
        "project_table": project_table_context,
        "breakdowns": breakdowns,
        # No 合计: a project may be in several task forces (TASK_FORCE_OVERLAP_NOTE).
        "task_forces": task_forces,
        "task_force_note": TASK_FORCE_OVERLAP_NOTE,
        "unit_ranking": rankings["unit"],
        "category_ranking": rankings["category"],
        "leader_ranking": rankings["leader"],
        "export_formats": exports.formats(briefing=False).values(),
        "table_formats": exports.formats(briefing=False, one_table=True).values(),
        # Counted in the database (the page holds one page of rows), or as published.
        "campaigns": page_campaigns(programme, report, request.GET, user=request.user),
        # Drawn in Python, to what their templates wrote (``web.drawn_report``).
        "charts": draw_charts(monthly_chart(report), report.months, category_chart(report)),
        "ranking_html": {name: draw_ranking(r) for name, r in rankings.items()},
        # The rankings' 未完结 mark: the figures' own, so in their key already.
        "unfinished": unfinished(report),
    }


def filter_form(params) -> SafeString:
    """The filter form's HTML, kept per version of the every-year data.

    Its option lists are reference rows (categories, units, streets…), which the every-year
    version covers, and its values and errors are the filters asked for: none of it reads a
    year's figures, so a write of monthly figures leaves it as it was. Drawn afresh after
    each write, the form was five statements and about 5 ms of the demo's computed page
    (Django draws each field through its template)."""
    html = kept_for(
        "filter-form",
        years=(),
        # Bound or not (any parameter binds it), and the values of the filters asked for.
        parts=[bool(params), filters_asked(params)],
        classes=(),
        compute=lambda: str(bound_filters(params).form.as_div()),
    )
    return mark_safe(html)  # drawn by Django's form, which escaped every value
