"""The quarterly report, year to date: its figures, rows and pages.

Its project rows, their fields and the files' streamed rows are in ``project_rows``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import astuple, dataclass, field, replace

from ..filters import CURRENT_PLAN, plan_basis
from ..models import Programme, Project
from ..money import as_money
from ..periods import QUARTERS, Period
from ..permissions import restrict
from . import compiled
from .coverage import coverage_of
from .deferred import LaterRows
from .editions import edition_choice
from .grouped import TASK_FORCE, grouped_totals
from .light_history import light_changes
from .lights import rule_text
from .list_changes import list_changes
from .project_rows import ROW_FIELDS, StreamedRows, project_rows, rows_from
from .queries import (
    MEASURES,
    PLAIN_SORTS,
    RATE_FILTERS,
    figures_from,
    filter_projects,
    month_points,
    outlook_for,
    previous_year_actuals,
    report_queryset,
    rows_shape,
    sort_key,
    sorted_rows,
    starts_from,
    totals_scope,
)
from .rates import report_rates
from .report_cache import (
    cached_figures,
    cached_report,
    keep_report,
    kept_for,
    one_computes,
    report_keys,
)
from .results import BreakdownRow, Headline, QuarterlyReport, RowWindow
from .thresholds import thresholds_for

# What a report holds beyond its headline, coverage and rows, each computed by its own
# statements: the breakdowns (and 专班), last year's figures for the outlook, the monthly
# chart, the list's changes, the provincial and 纳统 rates, and the lights' changes.
BREAKDOWNS, YEAR_ON_YEAR, MONTHS = "breakdowns", "year_on_year", "months"
LIST_CHANGES, RATES, LIGHT_CHANGES = "list_changes", "rates", "light_changes"
REPORT_PARTS = frozenset((BREAKDOWNS, YEAR_ON_YEAR, MONTHS, LIST_CHANGES, RATES, LIGHT_CHANGES))


def quarterly_report(
    *,
    user,
    programme: Programme,
    year: int,
    quarter: int | None = None,
    filters: Mapping | None = None,
    month: int | None = None,
    window: RowWindow | None = None,
    stream: bool = False,
    sort: str | None = None,
    basis: str | None = None,
    parts: frozenset[str] | None = None,
    kept: bool = True,
    rows_kept: bool = True,
) -> QuarterlyReport:
    """The quarterly progress report, year to date through the quarter's end.

    With ``month`` instead of ``quarter`` it is the same report through that
    month's end (1—M月), the month alone standing where the quarter alone does.

    ``filters`` are the report filter's parameters (category, unit, street,
    kind, status, light); every part of the report, headline included, covers
    the filtered projects only. Year-on-year figures are given for the whole
    list only, since last year's list cannot be filtered by this year's lights.

    ``user`` decides which projects the report covers (the access policy's
    ``report`` reach): the whole list for most, one street for a street viewer,
    whose report is then like a report filtered by street.

    ``basis`` (or the filters' ``plan=baseline``) is the plan rates, lights and totals
    are computed on: the current plan by default, or the year's baseline (年初计划).
    Both plans and the adjustments between them are in the figures either way.

    Rows: every project in code order (or ``sort``) by default; with ``window``
    only that page of the sorted rows (sorted, filtered and limited in SQL; the
    count is the headline's); with ``stream`` an iterable that reads them from
    a server-side cursor in chunks, for files of any size.

    ``parts`` (of ``REPORT_PARTS``) names what a reader prints beyond the headline, coverage and
    rows; the others are not computed and stay empty (a file of the project table alone
    needs no breakdowns, light changes or provincial rates). Default: every part.

    ``kept=False`` computes it live, neither reading nor keeping the cache's entries.
    ``rows_kept=False`` (with a ``window``): its rows are neither read from the cache nor
    kept there; read on kept figures, they are computed when first read (``LaterRows``).
    For a reader that keeps what it draws of them, as the report page does.
    """
    wants = REPORT_PARTS if parts is None else frozenset(parts)
    if not wants <= REPORT_PARTS:
        raise ValueError(f"unknown report parts {sorted(wants - REPORT_PARTS)}")
    period = Period.through_month(year, month) if month else Period(year, quarter)
    basis = basis or plan_basis(filters)
    choice = edition_choice(filters)
    reach = restrict(user, "report")
    # Computed once per data version: a repeated read is the versions' read and a cache get.
    # The figures are kept apart from each page's rows, so another page or sort of the same
    # report, or a file of it, reads them and computes its own rows only.
    keys = None if not kept else report_keys(
        programme=programme, period=period, reach=reach, filters=filters, window=window,
        sort=sort, basis=basis,
    )  # fmt: skip

    def live_tables():
        """The breakdowns computed live, should the kept ones be gone from the cache."""
        return quarterly_report(
            user=user, programme=programme, year=year, quarter=quarter, month=month,
            filters=filters, window=RowWindow(per_page=1), basis=basis,
            parts=frozenset({BREAKDOWNS}), kept=False,
        ).breakdowns  # fmt: skip

    later = window is not None and not stream and not rows_kept
    if stream or later:
        report, figures = None, cached_figures(keys, live_tables)
    else:
        report, figures = cached_report(keys, live_tables)
    if report is not None:
        return report
    rows_of = _RowsOf(programme, period, filters, user, basis, reach, window, sort, stream)
    if figures is None:
        settings, qs, applied, shape = rows_of.found()
        if not applied and not reach and basis == CURRENT_PLAN:
            # A published period reads as it was sent (``selectors.editions``); a filtered
            # or partial view, or the baseline's, is not what was sent and is computed live.
            from . import editions  # imports the briefing, which imports this module

            published = editions.published_briefing(programme, period, choice)
            if published is not None:
                return editions.edition_report(published, window=window, sort=sort)
        # The first reader to miss a version's figures computes them; the others wait for
        # them and compute their own page of rows, unless it is kept too.
        with one_computes(
            keys if wants == REPORT_PARTS else None, live_tables, stream=stream
        ) as claim:
            if claim.report is not None:
                return claim.report
            if claim.figures is None:
                return _computed(
                    programme=programme, period=period, settings=settings, qs=qs,
                    applied=applied, shape=shape, filters=filters, reach=reach, keys=keys,
                    wants=wants, window=window, sort=sort, basis=basis, stream=stream,
                    rows_kept=not later,
                )  # fmt: skip
            figures = claim.figures
    if later:
        return rows_of.later(figures)
    rows, page, every_row = rows_of.computed(figures)
    report = replace(figures, rows=rows, row_page=page, every_row=every_row)
    if not stream:
        report = keep_report(keys, report, figures_kept=True)
    return report


@dataclass
class _RowsOf:
    """The rows of a report whose figures are kept (read back, or kept by another reader
    while this one waited), and what they are read with: the list's thresholds, filtered
    rows and shape, found once."""

    programme: Programme
    period: Period
    filters: Mapping | None
    user: object
    basis: str
    reach: object
    window: RowWindow | None
    sort: str | None
    stream: bool
    _found: tuple | None = field(default=None, init=False)

    def found(self):
        """(thresholds, filtered rows, the filters applied, the rows' shape)."""
        if self._found is None:
            programme, period, basis, stream = self.programme, self.period, self.basis, self.stream
            settings, _dispatch = thresholds_for(programme)
            # A file streams every row's picture: its rows find them in the sums' pass.
            qs, applied = filtered_rows(
                programme, period, self.filters, settings, user=self.user, basis=basis,
                pictures_in_sums=stream,
            )  # fmt: skip
            shape = rows_shape(
                programme, period, settings, basis, self.reach, applied, qs.db,
                pictures_in_sums=stream,
            )  # fmt: skip
            self._found = settings, qs, applied, shape
        return self._found

    def computed(self, figures):
        """(rows, page, printable rows). Kept figures were computed live, never from an
        edition (publishing moves the year's version). Only rows are read, from the filtered
        rows themselves under a rate filter: no ids first."""
        settings, qs, applied, shape = self.found()
        scope = totals_scope(self.programme, self.period, qs, self.filters, applied)
        return _rows_of(
            self.programme, self.period, settings, qs, scope.filter(self.reach), applied,
            figures.headline.projects, window=self.window, sort=self.sort, basis=self.basis,
            stream=self.stream, shape=shape,
        )  # fmt: skip

    def later(self, figures) -> QuarterlyReport:
        """``figures`` with their rows computed when first read; their page now, from the
        headline's count."""
        count = figures.headline.projects

        def both():
            rows, _page, every_row = self.computed(figures)
            return rows, every_row

        rows, every_row = LaterRows.pair(both, self.window.reads_whole(count))
        return replace(figures, rows=rows, row_page=_page(self.window, count), every_row=every_row)


def _page(window: RowWindow, count: int):
    return window.page_of(count, sort_key(window.sort))


def _computed(
    *, programme, period, settings, qs, applied, shape, filters, reach, keys, wants, window, sort,
    basis, stream, rows_kept,
) -> QuarterlyReport:  # fmt: skip
    """The report's figures and rows computed, and kept when it holds every part."""
    filtered = bool(applied)
    counted = _kept_by_figures(qs, applied)
    # The report's projects in the reader's reach (a queryset: nothing is read yet).
    scope = totals_scope(programme, period, counted, filters, applied).filter(reach)
    # Headline and breakdowns: one statement over the filtered rows.
    totals, groups = grouped_totals(qs, period, basis, breakdowns=BREAKDOWNS in wants, shape=shape)
    task_forces = breakdown_from(groups.pop(TASK_FORCE))
    investment, inclusion = figures_from(totals, "investment"), figures_from(totals, "inclusion")
    previous = (
        {measure: None for measure in MEASURES}
        # Last year's list cannot be cut to this year's filters or a person's reach.
        if filtered or reach or YEAR_ON_YEAR not in wants
        else _last_years_actuals(programme, period)
    )
    quarter_plans = {
        measure: tuple(as_money(totals[f"{measure}_q{q}"]) for q in QUARTERS)
        for measure in MEASURES
    }
    headline = Headline(
        projects=totals["projects"] or 0,
        starts=starts_from(totals),
        investment=investment,
        inclusion=inclusion,
        investment_outlook=outlook_for(investment, period, previous["investment"]),
        inclusion_outlook=outlook_for(inclusion, period, previous["inclusion"]),
        time_elapsed=period.time_elapsed_percent,
        quarter_plans=quarter_plans,
        adjusted_projects=totals.get("adjusted_projects") or 0,
    )
    rows, page, every_row = _rows_of(
        programme, period, settings, qs, scope, applied, headline.projects,
        window=window, sort=sort, basis=basis, stream=stream, shape=shape,
    )  # fmt: skip
    year_scope = coverage_scope(programme, counted, filters, applied, reach)
    # The statements over the report's projects are built once per shape of its rows, but
    # for a light or status filter: its projects are then the ids it chose, read from this
    # version's figures (``_kept_by_figures``), which no shape names.
    scoped = None if rate_filtered(applied) else shape
    rates, library_rates = (
        report_rates(scope, period, headline, shape=scoped) if RATES in wants else (None, None)
    )
    report = QuarterlyReport(
        programme_code=programme.code,
        programme_name=programme.name,
        period=period,
        filtered=filtered,
        yellow_below=settings.yellow_below,
        red_below=settings.red_below,
        ranking_floor=settings.ranking_floor,
        headline=headline,
        breakdowns={key: breakdown_from(items) for key, items in groups.items()},
        task_forces=task_forces,
        rows=rows,
        row_page=page,
        every_row=every_row,
        months=month_points(scope, period, quarter_plans, shape=scoped) if MONTHS in wants else (),
        partial=bool(reach),
        plan_basis=basis,
        coverage=coverage_of(year_scope, period, shape=scoped),
        list_changes=(
            list_changes(year_scope, period, shape=scoped) if LIST_CHANGES in wants else ()
        ),
        light_rule=rule_text(settings),
        rates=rates,
        library_rates=library_rates,
        light_changes=(
            light_changes(programme, period, qs, settings, basis)
            if LIGHT_CHANGES in wants
            else None
        ),
    )
    if wants == REPORT_PARTS:  # a file's report of fewer parts is not all a page reads
        report = keep_report(keys, report, with_rows=rows_kept and not stream)
    return report


def _last_years_actuals(programme, period: Period) -> dict:
    """Last year's actuals for the same months (the year-on-year figures), kept per data
    version of last year: this year's writes, which recompute the report, leave them as
    they were. At 20,000 projects their statement summed 60,000 monthly rows, 22–27 ms of
    every computed page. The key holds the list and the list it follows."""
    if programme.previous_id is None:
        return previous_year_actuals(programme, period)  # none, and nothing read
    last = period.previous_year()
    return kept_for(
        "last-years-actuals",
        years=[last.year],
        months=[(last.year, month) for month in last.months],
        parts=[programme.pk, programme.previous_id, astuple(period)],
        classes=(),
        compute=lambda: previous_year_actuals(programme, period),
    )


def _rows_of(
    programme, period, settings, qs, scope, applied, projects: int, *, window, sort, basis, stream,
    shape=None,
):  # fmt: skip
    """The report's rows, their page and, for a short list, every row (for print).

    Every row in code order (or ``sort``) by default; with ``window`` only that page of the
    sorted rows (sorted, filtered and limited in SQL; ``projects`` is the headline's count);
    with ``stream`` an iterable that reads them from a server-side cursor in chunks.
    """
    if stream:
        return StreamedRows(qs, period, sort, shape), None, None
    if window is None:
        return tuple(project_rows(sorted_rows(qs, period, sort))), None, None
    page = _page(window, projects)
    start = (page.number - 1) * page.per_page
    stop = start + page.per_page
    if window.reads_whole(projects):
        # A short list is read whole, every project's figures, the page cut from it here. Its
        # statement is ``qs``'s own, sorted, built and compiled once per shape and sort
        # (``rows_shape``): both were a tenth of the demo's computed page.
        def build(_sentinel):
            return sorted_rows(qs, period, page.sort).values(*ROW_FIELDS)

        if shape is None:
            found = compiled.values_of(build(None))
        else:
            key = ("report row values", shape, page.sort)
            found = compiled.statement(key, build, per_project=False).rows()
        rows = tuple(rows_from(found))
        return rows[start:stop], page, rows
    if rate_filtered(applied):
        # A light or start-status filter computes every row's signals to choose the rows:
        # reading ids first would compute them twice.
        return tuple(project_rows(sorted_rows(qs, period, page.sort)[start:stop])), page, None
    # The page's projects first, then only their figures. By a column of their own the ids
    # come from the plain project list; by a figure (a rate), from the rows' statement asked
    # for the sort key and ids alone, which at 20,000 projects is 120 ms where the page's
    # fifty full rows sorted out of every row's were 330.
    plain = page.sort.removeprefix("-") in PLAIN_SORTS
    ranked = sorted_rows(scope if plain else qs, period, page.sort)
    ids = list(ranked[start:stop].values_list("pk", flat=True))
    page_qs = report_queryset(programme, period, settings, only=ids, basis=basis)
    return tuple(project_rows(sorted_rows(page_qs, period, page.sort))), page, None


def _kept_by_figures(rows, applied):
    """The rows, or under a light or start-status filter the ids it keeps, read once: as
    ``IN (the annotated statement)`` inside the chart's, rates' and coverage's statements, a
    planner without statistics joined it again for every monthly row, past the timeout."""
    if not rate_filtered(applied):
        return rows
    return Project.objects.filter(pk__in=list(rows.values_list("pk", flat=True)))


def coverage_scope(programme: Programme, rows, filters, applied, reach):
    """The report's projects at any date of the year, for counting each month's list.

    A light or start-status filter depends on the period's figures, so its projects are
    those of the filtered rows; other filters apply to the list as a whole.
    """
    if rate_filtered(applied):
        return Project.objects.filter(pk__in=rows.values("pk"))
    return filter_projects(Project.objects.filter(programme=programme), filters)[0].filter(reach)


def report_row_count(
    *,
    user,
    programme: Programme,
    year: int,
    quarter: int | None = None,
    month: int | None = None,
    filters: Mapping | None = None,
) -> int:
    """How many project rows the report has with these filters (one query)."""
    period = Period.through_month(year, month) if month else Period(year, quarter)
    settings, _dispatch = thresholds_for(programme)
    qs, applied = filtered_rows(programme, period, filters, settings, user=user)
    scope = totals_scope(programme, period, qs, filters, applied)
    return scope.filter(restrict(user, "report")).count()


def filtered_rows(
    programme: Programme,
    period: Period,
    filters: Mapping | None,
    settings=None,
    *,
    user,
    basis: str | None = None,
    pictures_in_sums: bool = False,
):
    """The report's annotated rows in the user's reach, narrowed by the filters, and the
    filters applied (``pictures_in_sums``: ``queries.report_queryset``)."""
    settings = settings or thresholds_for(programme)[0]
    basis = basis or plan_basis(filters)
    rows = report_queryset(
        programme, period, settings, basis=basis, pictures_in_sums=pictures_in_sums
    ).filter(restrict(user, "report"))
    return filter_projects(rows, filters)


def rate_filtered(applied: Mapping) -> bool:
    """Whether a filter that tests each project's figures (light, start status) applied."""
    return any(name in applied for name in RATE_FILTERS)


def breakdown_from(groups) -> tuple[BreakdownRow, ...]:
    # One table's equal amounts are one object (``figures_from``): fewer to keep and decode.
    shared: dict = {}
    return tuple(
        BreakdownRow(
            key=g["key"],
            name=g["label"],
            projects=g["projects"],
            starts=starts_from(g),
            investment=figures_from(g, "investment", shared=shared),
            inclusion=figures_from(g, "inclusion", shared=shared),
            group=g.get("group", ""),
        )
        for g in groups
    )
