"""Every read that feeds a report, as typed results.

The quarterly report's rows come from one annotated project queryset: each
project carries its plan and completed amounts as SQL expressions (a join to
the year's plan row and correlated sums over its monthly progress). The
headline and each breakdown do not re-run those per-project expressions: they
are plain grouped sums over the projects with their plan row and over the
monthly progress. The number of queries therefore stays the same whatever the
number of projects.
Rates are never computed in SQL for display: the summed amounts come back as
Decimal and go through ``money.completion_rate``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Case,
    CharField,
    Count,
    DecimalField,
    F,
    FilteredRelation,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.db.models.lookups import LessThan
from django.utils.translation import gettext_lazy as _

from .models import MonthlyProgress, Programme, Project, QuarterPlan, ReportSettings
from .money import ZERO, as_money, completion_rate, percent_change
from .periods import QUARTER_NAMES, QUARTERS, Period, quarter_of_month

AMOUNT = DecimalField(max_digits=16, decimal_places=2)
NO_AMOUNT = Value(Decimal("0.00"), output_field=AMOUNT)
MEASURES = ("investment", "inclusion")


class StartStatus:
    """Codes and labels of a project's start status at a period's end."""

    CONTINUING = "continuing"
    STARTED = "started"
    EARLY = "early"
    OVERDUE = "overdue"
    NOT_DUE = "not_due"
    CHOICES = [
        (STARTED, _("Started")),
        (EARLY, _("Started early")),
        (NOT_DUE, _("Not yet due")),
        (OVERDUE, _("Overdue, not started")),
        (CONTINUING, _("Continuing")),
    ]


class Light:
    """Warning-light codes and labels; colour is never the only signal."""

    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"
    CHOICES = [
        (GREEN, _("On track")),
        (YELLOW, _("Lagging")),
        (RED, _("Seriously behind")),
    ]


STATUS_LABELS = dict(StartStatus.CHOICES)
LIGHT_LABELS = dict(Light.CHOICES)


# ---------------------------------------------------------------- results


@dataclass(frozen=True)
class Figures:
    """Planned against completed for one measure, year to date and for the quarter alone."""

    planned: Decimal
    actual: Decimal
    annual_plan: Decimal
    quarter_planned: Decimal
    quarter_actual: Decimal

    @property
    def rate(self) -> Decimal | None:
        return completion_rate(self.actual, self.planned)

    @property
    def annual_rate(self) -> Decimal | None:
        """Share of the annual plan done so far."""
        return completion_rate(self.actual, self.annual_plan)

    @property
    def quarter_rate(self) -> Decimal | None:
        return completion_rate(self.quarter_actual, self.quarter_planned)


@dataclass(frozen=True)
class Outlook:
    """How one measure stands against the calendar, last year and its own pace."""

    time_elapsed: Decimal
    # Percentage points the annual share is ahead (+) or behind (-) the time elapsed.
    points_vs_time: Decimal | None
    previous_actual: Decimal | None
    yoy_percent: Decimal | None
    # Where the year ends if the year-to-date pace holds: a projection, not a forecast.
    projected_annual: Decimal
    projected_annual_rate: Decimal | None


@dataclass(frozen=True)
class Starts:
    """Construction starts of new-start projects, year to date and for the quarter alone."""

    planned: int
    actual: int
    early: int
    overdue: int
    quarter_planned: int
    quarter_actual: int
    quarter_early: int
    quarter_overdue: int


@dataclass(frozen=True)
class Headline:
    """The report's top figures for the whole (filtered) list."""

    projects: int
    starts: Starts
    investment: Figures
    inclusion: Figures
    investment_outlook: Outlook
    inclusion_outlook: Outlook
    time_elapsed: Decimal
    # Planned amounts of each quarter alone, for the charts.
    quarter_plans: dict[str, tuple[Decimal, Decimal, Decimal, Decimal]]


@dataclass(frozen=True)
class BreakdownRow:
    """One category, unit or street with the same columns as the headline."""

    key: str
    name: str
    projects: int
    starts: Starts
    investment: Figures
    inclusion: Figures


@dataclass(frozen=True)
class ProjectRow:
    """One project's line in the per-project table."""

    code: str
    name: str
    unit: str
    street: str
    category: str
    kind: str
    kind_label: str
    planned_start: dt.date | None
    actual_start: dt.date | None
    start_status: str
    image_progress: str
    light: str
    investment: Figures
    inclusion: Figures
    # Which unit answers for it, so screens can tell who may open the project.
    unit_id: int | None = None

    @property
    def start_status_label(self) -> str:
        return str(STATUS_LABELS[self.start_status])

    @property
    def light_label(self) -> str:
        return str(LIGHT_LABELS[self.light])


@dataclass(frozen=True)
class MonthPoint:
    """Completed amounts of one month and the running totals, for the monthly chart."""

    month: int
    investment: Decimal
    inclusion: Decimal
    cumulative_investment: Decimal
    cumulative_inclusion: Decimal
    # Cumulative plan at a quarter's last month; None in between (plans are quarterly).
    cumulative_planned_investment: Decimal | None
    cumulative_planned_inclusion: Decimal | None
    reported: bool


@dataclass(frozen=True)
class QuarterlyReport:
    """Everything the page, the exports and the API show for one programme and quarter."""

    programme_code: str
    programme_name: str
    period: Period
    filtered: bool
    yellow_below: Decimal
    red_below: Decimal
    headline: Headline
    by_category: tuple[BreakdownRow, ...]
    by_unit: tuple[BreakdownRow, ...]
    by_street: tuple[BreakdownRow, ...]
    rows: tuple[ProjectRow, ...]
    months: tuple[MonthPoint, ...]

    @property
    def year(self) -> int:
        return self.period.year

    @property
    def quarter(self) -> int:
        return self.period.quarter

    @property
    def units_ranked(self) -> tuple[BreakdownRow, ...]:
        """Units by investment completion rate, best first; units without a plan last."""
        rated = [r for r in self.by_unit if r.investment.rate is not None]
        unrated = [r for r in self.by_unit if r.investment.rate is None]
        rated.sort(key=lambda r: (-r.investment.rate, r.key))
        return tuple(rated + unrated)

    def breakdown(self, table: str) -> tuple[BreakdownRow, ...]:
        return {"category": self.by_category, "unit": self.by_unit, "street": self.by_street}[table]


# ---------------------------------------------------------------- queryset


def members(programme: Programme, day: dt.date) -> QuerySet[Project]:
    """Projects on the programme's list at the end of ``day``."""
    return Project.objects.filter(programme=programme, joined_on__lte=day).filter(
        Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=day)
    )


def _plan_sum(measure: str, quarters) -> Coalesce:
    total = None
    for q in quarters:
        term = F(f"year_plan__{measure}_q{q}")
        total = term if total is None else total + term
    return Coalesce(total, NO_AMOUNT, output_field=AMOUNT)


def _progress_sum(measure: str, year: int, months) -> Coalesce:
    sums = (
        MonthlyProgress.objects.filter(project=OuterRef("pk"), year=year, month__in=months)
        .order_by()
        .values("project")
        .annotate(total=Sum(measure))
        .values("total")
    )
    return Coalesce(Subquery(sums, output_field=AMOUNT), NO_AMOUNT, output_field=AMOUNT)


def _start_conditions(period: Period) -> dict[str, Q]:
    """The start counts as conditions on projects; see the glossary for the definitions.

    Quarter-alone counts look at starts within the quarter; a quarter-alone
    overdue project is one planned to start within the quarter and not started
    by its end (the year-to-date count also keeps earlier quarters' laggards).
    """
    start, end, q_start = period.start, period.end, period.quarter_start
    new = Q(kind=Project.Kind.NEW)
    started = new & Q(actual_start__gte=start, actual_start__lte=end)
    q_started = new & Q(actual_start__gte=q_start, actual_start__lte=end)
    not_started = Q(actual_start__isnull=True) | Q(actual_start__gt=end)
    return {
        "planned": new & Q(planned_start__gte=start, planned_start__lte=end),
        "actual": started,
        "early": started & Q(planned_start__gt=end),
        "overdue": new & Q(planned_start__lte=end) & not_started,
        "quarter_planned": new & Q(planned_start__gte=q_start, planned_start__lte=end),
        "quarter_actual": q_started,
        "quarter_early": q_started & Q(planned_start__gt=end),
        "quarter_overdue": new
        & Q(planned_start__gte=q_start, planned_start__lte=end)
        & not_started,
    }


def _rate_below(threshold: Decimal, measure: str = "investment"):
    """SQL test for "the rounded rate is below ``threshold``".

    Rates are shown rounded half up to one decimal, so a rate shows below T
    exactly when the unrounded rate is below T - 0.05; comparing that way keeps
    the light consistent with the figure printed beside it.
    """
    cut = Decimal(threshold) - Decimal("0.05")
    return Q(**{f"{measure}_planned__gt": 0}) & Q(
        LessThan(F(f"{measure}_actual") * 100, F(f"{measure}_planned") * Value(cut))
    )


def report_queryset(
    programme: Programme, period: Period, settings: ReportSettings
) -> QuerySet[Project]:
    """The programme's projects at the period's end, each annotated with its figures."""
    year, end = period.year, period.end
    quarter = period.quarter
    qs = members(programme, end).annotate(
        year_plan=FilteredRelation("plans", condition=Q(plans__year=year))
    )
    annotations = {}
    for measure in MEASURES:
        annotations[f"{measure}_planned"] = _plan_sum(measure, range(1, quarter + 1))
        annotations[f"{measure}_annual_plan"] = _plan_sum(measure, QUARTERS)
        annotations[f"{measure}_quarter_planned"] = _plan_sum(measure, (quarter,))
        annotations[f"{measure}_actual"] = _progress_sum(measure, year, period.months)
        annotations[f"{measure}_quarter_actual"] = _progress_sum(
            measure, year, period.quarter_months
        )
    latest_image = (
        MonthlyProgress.objects.filter(project=OuterRef("pk"), year=year, month__in=period.months)
        .exclude(image_progress="")
        .order_by("-month")
        .values("image_progress")[:1]
    )
    annotations["latest_image"] = Coalesce(
        Subquery(latest_image, output_field=TextField()),
        F("image_progress"),
        output_field=TextField(),
    )
    qs = qs.annotate(**annotations)
    conditions = _start_conditions(period)
    qs = qs.annotate(
        start_status=Case(
            When(kind=Project.Kind.CONTINUING, then=Value(StartStatus.CONTINUING)),
            When(conditions["early"], then=Value(StartStatus.EARLY)),
            When(actual_start__lte=end, then=Value(StartStatus.STARTED)),
            When(planned_start__lte=end, then=Value(StartStatus.OVERDUE)),
            default=Value(StartStatus.NOT_DUE),
            output_field=CharField(),
        )
    )
    return qs.annotate(
        light=Case(
            When(start_status=StartStatus.OVERDUE, then=Value(Light.RED)),
            When(_rate_below(settings.red_below), then=Value(Light.RED)),
            When(_rate_below(settings.yellow_below), then=Value(Light.YELLOW)),
            default=Value(Light.GREEN),
            output_field=CharField(),
        )
    )


def _project_aggregates(period: Period) -> dict:
    """Project counts, start counts and plan totals over the year's plan row.

    Plans are one row per project and year, so summing them over the plan join
    never counts a plan twice; progress is summed in a query of its own
    (``_progress_aggregates``) for the same reason.
    """
    out = {"projects": Count("pk")}
    for name, condition in _start_conditions(period).items():
        out[f"starts_{name}"] = Count("pk", filter=condition)
    for measure in MEASURES:
        out[f"total_{measure}_planned"] = Sum(_plan_sum(measure, range(1, period.quarter + 1)))
        out[f"total_{measure}_annual_plan"] = Sum(_plan_sum(measure, QUARTERS))
        out[f"total_{measure}_quarter_planned"] = Sum(_plan_sum(measure, (period.quarter,)))
    return out


def _progress_aggregates(period: Period) -> dict:
    out = {}
    for measure in MEASURES:
        out[f"total_{measure}_actual"] = Sum(measure)
        out[f"total_{measure}_quarter_actual"] = Sum(
            measure, filter=Q(month__in=period.quarter_months)
        )
    return out


def _with_plan(scope: QuerySet[Project], period: Period) -> QuerySet[Project]:
    return scope.annotate(year_plan=FilteredRelation("plans", condition=Q(plans__year=period.year)))


def _progress_of(scope: QuerySet[Project], period: Period) -> QuerySet[MonthlyProgress]:
    """The year-to-date monthly rows of the projects in ``scope``."""
    return MonthlyProgress.objects.filter(
        project__in=scope.values("pk"), year=period.year, month__in=period.months
    ).order_by()


def _figures(values: Mapping, measure: str, prefix: str = "total_") -> Figures:
    return Figures(
        planned=as_money(values[f"{prefix}{measure}_planned"]),
        actual=as_money(values[f"{prefix}{measure}_actual"]),
        annual_plan=as_money(values[f"{prefix}{measure}_annual_plan"]),
        quarter_planned=as_money(values[f"{prefix}{measure}_quarter_planned"]),
        quarter_actual=as_money(values[f"{prefix}{measure}_quarter_actual"]),
    )


def _starts(values: Mapping) -> Starts:
    return Starts(
        **{
            name: values[f"starts_{name}"] or 0
            for name in (
                "planned",
                "actual",
                "early",
                "overdue",
                "quarter_planned",
                "quarter_actual",
                "quarter_early",
                "quarter_overdue",
            )
        }
    )


def _breakdown(
    scope: QuerySet[Project], period: Period, dimension: str
) -> tuple[BreakdownRow, ...]:
    """One dimension's rows: a grouped query over projects and one over their progress.

    Both are plain grouped sums over a join, so the database reads each table
    once instead of running a correlated subquery per project.
    """
    grouped = (
        _with_plan(scope, period)
        .order_by()
        .values(
            key=F(f"{dimension}__code"),
            label=F(f"{dimension}__name"),
            order=F(f"{dimension}__sort_order"),
        )
        .annotate(**_project_aggregates(period))
        .order_by("order", "key")
    )
    progress = {
        values.pop("key"): values
        for values in _progress_of(scope, period)
        .values(key=F(f"project__{dimension}__code"))
        .annotate(**_progress_aggregates(period))
    }
    # A group whose projects have no progress yet has completed nothing.
    nothing = dict.fromkeys(_progress_aggregates(period))
    rows = []
    for values in grouped:
        values.update(progress.get(values["key"], nothing))
        rows.append(
            BreakdownRow(
                key=values["key"],
                name=values["label"],
                projects=values["projects"],
                starts=_starts(values),
                investment=_figures(values, "investment"),
                inclusion=_figures(values, "inclusion"),
            )
        )
    return tuple(rows)


def _outlook(figures: Figures, period: Period, previous_actual: Decimal | None) -> Outlook:
    elapsed = period.time_elapsed_percent
    annual_rate = figures.annual_rate
    projected = as_money(figures.actual * 100 / elapsed)
    return Outlook(
        time_elapsed=elapsed,
        points_vs_time=None if annual_rate is None else annual_rate - elapsed,
        previous_actual=previous_actual,
        yoy_percent=None
        if previous_actual is None
        else percent_change(figures.actual, previous_actual),
        projected_annual=projected,
        projected_annual_rate=completion_rate(projected, figures.annual_plan),
    )


def _previous_year_actuals(programme: Programme, period: Period) -> dict[str, Decimal | None]:
    previous = programme.previous
    if previous is None:
        return {measure: None for measure in MEASURES}
    last_year = period.previous_year()
    totals = MonthlyProgress.objects.filter(
        project__in=members(previous, last_year.end).values("pk"),
        year=last_year.year,
        month__in=last_year.months,
    ).aggregate(**{measure: Sum(measure) for measure in MEASURES})
    return {measure: as_money(totals[measure]) for measure in MEASURES}


def _months(
    scope: QuerySet[Project], period: Period, quarter_plans: Mapping
) -> tuple[MonthPoint, ...]:
    by_month = {
        row["month"]: row
        for row in _progress_of(scope, period)
        .values("month")
        .annotate(investment=Sum("investment"), inclusion=Sum("inclusion"))
    }
    points = []
    running = {measure: ZERO for measure in MEASURES}
    planned = {measure: ZERO for measure in MEASURES}
    for month in range(1, 13):
        row = by_month.get(month, {})
        amounts = {measure: as_money(row.get(measure)) for measure in MEASURES}
        reported = month in period.months
        for measure in MEASURES:
            running[measure] += amounts[measure]
        quarter_end = month % 3 == 0
        if quarter_end:
            for measure in MEASURES:
                planned[measure] += quarter_plans[measure][quarter_of_month(month) - 1]
        points.append(
            MonthPoint(
                month=month,
                investment=amounts["investment"],
                inclusion=amounts["inclusion"],
                cumulative_investment=running["investment"],
                cumulative_inclusion=running["inclusion"],
                cumulative_planned_investment=planned["investment"] if quarter_end else None,
                cumulative_planned_inclusion=planned["inclusion"] if quarter_end else None,
                reported=reported,
            )
        )
    return tuple(points)


# Filters that test a project's figures: only the annotated queryset can answer them.
RATE_FILTERS = ("status", "light")


def _filter(qs: QuerySet[Project], filters: Mapping | None) -> tuple[QuerySet[Project], dict]:
    """The queryset narrowed by the valid filters, and the filter values that applied."""
    if not filters:
        return qs, {}
    from .filters import ProjectReportFilter

    filterset = ProjectReportFilter(filters, queryset=qs)
    narrowed = filterset.qs
    applied = {
        name: value
        for name, value in getattr(filterset.form, "cleaned_data", {}).items()
        if value not in (None, "")
    }
    return narrowed, applied


def apply_filters(qs: QuerySet[Project], filters: Mapping | None) -> tuple[QuerySet[Project], bool]:
    """The queryset narrowed by the valid filters, and whether any applied.

    An unknown value (a unit code that does not exist, a misspelt light) is
    left out rather than failing: the page shows the form's message for it.
    """
    narrowed, applied = _filter(qs, filters)
    return narrowed, bool(applied)


def _totals_scope(
    programme: Programme,
    period: Period,
    rows: QuerySet[Project],
    filters: Mapping | None,
    applied: Mapping,
) -> QuerySet[Project]:
    """The filtered projects without their per-project figures, for the totals.

    Totals are summed straight from the plan and progress tables, so they need
    only to know which projects count. A light or start-status filter depends
    on each project's figures, so the annotated, filtered queryset decides
    membership then; other filters apply to the plain project list.
    """
    if any(name in applied for name in RATE_FILTERS):
        return members(programme, period.end).filter(pk__in=rows.values("pk"))
    return _filter(members(programme, period.end), filters)[0]


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
    qs, applied = _filter(report_queryset(programme, period, settings), filters)
    filtered = bool(applied)
    scope = _totals_scope(programme, period, qs, filters, applied)

    totals = (
        _with_plan(scope, period)
        .order_by()
        .aggregate(
            **_project_aggregates(period),
            **{
                f"{measure}_q{q}": Sum(_plan_sum(measure, (q,)))
                for measure in MEASURES
                for q in QUARTERS
            },
        )
    )
    totals.update(_progress_of(scope, period).aggregate(**_progress_aggregates(period)))
    investment, inclusion = _figures(totals, "investment"), _figures(totals, "inclusion")
    previous = (
        {measure: None for measure in MEASURES}
        if filtered
        else _previous_year_actuals(programme, period)
    )
    quarter_plans = {
        measure: tuple(as_money(totals[f"{measure}_q{q}"]) for q in QUARTERS)
        for measure in MEASURES
    }
    headline = Headline(
        projects=totals["projects"],
        starts=_starts(totals),
        investment=investment,
        inclusion=inclusion,
        investment_outlook=_outlook(investment, period, previous["investment"]),
        inclusion_outlook=_outlook(inclusion, period, previous["inclusion"]),
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
            investment=_figures(p, "investment", prefix=""),
            inclusion=_figures(p, "inclusion", prefix=""),
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
        by_category=_breakdown(scope, period, "category"),
        by_unit=_breakdown(scope, period, "unit"),
        by_street=_breakdown(scope, period, "street"),
        rows=rows,
        months=_months(scope, period, quarter_plans),
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


@dataclass(frozen=True)
class QuarterLine:
    """One quarter of a project's plan against what it completed."""

    quarter: int
    investment: Figures
    inclusion: Figures

    @property
    def label(self) -> str:
        return str(QUARTER_NAMES[self.quarter])


@dataclass(frozen=True)
class MonthLine:
    """One month of a project's progress with running totals for the year."""

    year: int
    month: int
    investment: Decimal
    inclusion: Decimal
    cumulative_investment: Decimal
    cumulative_inclusion: Decimal
    image_progress: str
    problems: str


@dataclass(frozen=True)
class ProjectDetail:
    """A project's page: its fields, its plan against actuals, its monthly history."""

    project: Project
    year: int
    quarters: tuple[QuarterLine, ...]
    annual: QuarterLine
    months: tuple[MonthLine, ...]
    problems: tuple[MonthLine, ...]


def project_detail(code: str, year: int | None = None) -> ProjectDetail:
    """A project by code; raises Project.DoesNotExist. ``year`` defaults to its programme's."""
    project = Project.objects.select_related("programme", "category", "unit", "street").get(
        code=code
    )
    year = year or project.programme.year
    plan = QuarterPlan.objects.filter(project=project, year=year).first()
    entries = list(MonthlyProgress.objects.filter(project=project).order_by("year", "month"))

    def planned(measure: str, quarter: int) -> Decimal:
        return getattr(plan, f"{measure}_q{quarter}") if plan else ZERO

    this_year = [e for e in entries if e.year == year]
    quarters = []
    for quarter in QUARTERS:
        in_quarter = [e for e in this_year if quarter_of_month(e.month) == quarter]
        figures = {
            measure: Figures(
                planned=planned(measure, quarter),
                actual=as_money(sum((getattr(e, measure) for e in in_quarter), ZERO)),
                annual_plan=ZERO,
                quarter_planned=planned(measure, quarter),
                quarter_actual=as_money(sum((getattr(e, measure) for e in in_quarter), ZERO)),
            )
            for measure in MEASURES
        }
        quarters.append(QuarterLine(quarter=quarter, **figures))
    annual = QuarterLine(
        quarter=0,
        **{
            measure: Figures(
                planned=sum((getattr(q, measure).planned for q in quarters), ZERO),
                actual=sum((getattr(q, measure).actual for q in quarters), ZERO),
                annual_plan=ZERO,
                quarter_planned=ZERO,
                quarter_actual=ZERO,
            )
            for measure in MEASURES
        },
    )
    months = []
    running = {measure: ZERO for measure in MEASURES}
    for entry in this_year:
        for measure in MEASURES:
            running[measure] += getattr(entry, measure)
        months.append(
            MonthLine(
                year=entry.year,
                month=entry.month,
                investment=entry.investment,
                inclusion=entry.inclusion,
                cumulative_investment=running["investment"],
                cumulative_inclusion=running["inclusion"],
                image_progress=entry.image_progress,
                problems=entry.problems,
            )
        )
    problems = tuple(
        MonthLine(
            year=e.year,
            month=e.month,
            investment=e.investment,
            inclusion=e.inclusion,
            cumulative_investment=ZERO,
            cumulative_inclusion=ZERO,
            image_progress=e.image_progress,
            problems=e.problems,
        )
        for e in reversed(entries)
        if e.problems.strip()
    )
    return ProjectDetail(
        project=project,
        year=year,
        quarters=tuple(quarters),
        annual=annual,
        months=tuple(months),
        problems=problems,
    )
