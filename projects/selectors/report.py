"""The quarterly report, year to date, and the lookups that pick its programme and period."""

from __future__ import annotations

from collections.abc import Mapping

from django.db.models import (
    Sum,
)

from ..choices import StartStatus
from ..models import MonthlyProgress, Programme, Project, ReportSettings
from ..money import as_money
from ..periods import QUARTERS, Period, quarter_of_month
from .queries import (
    MEASURES,
    breakdown_rows,
    figures_from,
    filter_projects,
    month_points,
    outlook_for,
    plan_sum,
    previous_year_actuals,
    progress_aggregates,
    progress_of,
    project_aggregates,
    report_queryset,
    starts_from,
    totals_scope,
    with_plan,
)
from .results import Headline, ProjectRow, QuarterlyReport


def quarterly_report(
    *, programme: Programme, year: int, quarter: int, filters: Mapping | None = None
) -> QuarterlyReport:
    """The quarterly progress report, year to date through the quarter's end.

    ``filters`` are the report filter's parameters (category, unit, street,
    kind, status, light); every part of the report, headline included, covers
    the filtered projects only. Year-on-year figures are given for the whole
    list only, since last year's list cannot be filtered by this year's lights.
    """
    period = Period(year, quarter)
    settings = ReportSettings.current()
    qs, applied = filter_projects(report_queryset(programme, period, settings), filters)
    filtered = bool(applied)
    scope = totals_scope(programme, period, qs, filters, applied)

    totals = (
        with_plan(scope, period)
        .order_by()
        .aggregate(
            **project_aggregates(period),
            **{
                f"{measure}_q{q}": Sum(plan_sum(measure, (q,)))
                for measure in MEASURES
                for q in QUARTERS
            },
        )
    )
    totals.update(progress_of(scope, period).aggregate(**progress_aggregates(period)))
    investment, inclusion = figures_from(totals, "investment"), figures_from(totals, "inclusion")
    previous = (
        {measure: None for measure in MEASURES}
        if filtered
        else previous_year_actuals(programme, period)
    )
    quarter_plans = {
        measure: tuple(as_money(totals[f"{measure}_q{q}"]) for q in QUARTERS)
        for measure in MEASURES
    }
    headline = Headline(
        projects=totals["projects"],
        starts=starts_from(totals),
        investment=investment,
        inclusion=inclusion,
        investment_outlook=outlook_for(investment, period, previous["investment"]),
        inclusion_outlook=outlook_for(inclusion, period, previous["inclusion"]),
        time_elapsed=period.time_elapsed_percent,
        quarter_plans=quarter_plans,
    )
    kinds = dict(Project.Kind.choices)
    rows = tuple(
        ProjectRow(
            code=p["code"],
            name=p["name"],
            unit=p["unit__name"],
            street=p["street__name"],
            category=p["category__name"],
            kind=p["kind"],
            kind_label=str(kinds.get(p["kind"], p["kind"])),
            planned_start=p["planned_start"],
            actual_start=p["actual_start"] if p["start_status"] in _STARTED else None,
            start_status=p["start_status"],
            image_progress=p["latest_image"] or "",
            light=p["light"],
            investment=figures_from(p, "investment", prefix=""),
            inclusion=figures_from(p, "inclusion", prefix=""),
            unit_id=p["unit_id"],
        )
        for p in qs.order_by("code").values(
            "code",
            "name",
            "unit_id",
            "unit__name",
            "street__name",
            "category__name",
            "kind",
            "planned_start",
            "actual_start",
            "start_status",
            "latest_image",
            "light",
            *(
                f"{measure}_{part}"
                for measure in MEASURES
                for part in (
                    "planned",
                    "actual",
                    "annual_plan",
                    "quarter_planned",
                    "quarter_actual",
                )
            ),
        )
    )
    return QuarterlyReport(
        programme_code=programme.code,
        programme_name=programme.name,
        period=period,
        filtered=filtered,
        yellow_below=settings.yellow_below,
        red_below=settings.red_below,
        headline=headline,
        by_category=breakdown_rows(scope, period, "category"),
        by_unit=breakdown_rows(scope, period, "unit"),
        by_street=breakdown_rows(scope, period, "street"),
        rows=rows,
        months=month_points(scope, period, quarter_plans),
    )


# Continuing projects keep the start date they have; a new start shows its
# actual start only once it falls within the period (a later date is not yet known
# as of the period's end).
_STARTED = {StartStatus.STARTED, StartStatus.EARLY, StartStatus.CONTINUING}


# ---------------------------------------------------------------- lookups


def default_programme(year: int) -> Programme | None:
    """The programme of a year: the first by code when a year has several."""
    return Programme.objects.filter(year=year).order_by("code").first()


def programme_for(year: int, code: str | None) -> Programme | None:
    """The programme named by ``code`` for ``year``, or the year's default."""
    if code:
        return Programme.objects.filter(year=year, code=code).first()
    return default_programme(year)


def latest_reported_period() -> Period | None:
    """The latest quarter that has any monthly progress."""
    latest = (
        MonthlyProgress.objects.order_by("-year", "-month").values_list("year", "month").first()
    )
    if latest is None:
        return None
    year, month = latest
    return Period(year, quarter_of_month(month))


def programme_years() -> list[int]:
    """Every year with a list of key projects, newest first (the report's year picker)."""
    return list(Programme.objects.order_by("-year").values_list("year", flat=True).distinct())
