"""The report's queries: list members, per-project annotations, sorting, filters.

Over 500 lines on purpose: the per-project annotations, the sort keys and the
start conditions must agree line for line, and reading them side by side is how
that is checked.

The report's rows come from one annotated project queryset: the window's monthly
rows summed per project in a WITH clause, left-joined to the projects and their
plan row for the year (``report_queryset``). The headline and the breakdowns are
one grouped pass over those rows (``grouped.py``). The number of queries
therefore stays the same whatever the number of projects. Rates are computed in
SQL only to sort (``rate_tenths``, exactly as the Python rate rounds); shown rates
come from the summed Decimals through ``money.completion_rate``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import operator
from collections.abc import Callable, Mapping
from decimal import Decimal

from django.db.models import (
    BigIntegerField,
    Case,
    CharField,
    DateField,
    DecimalField,
    ExpressionWrapper,
    F,
    FilteredRelation,
    IntegerField,
    Max,
    Q,
    QuerySet,
    Sum,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Abs, Cast, Coalesce, Concat, Round, Substr
from django.db.models.lookups import GreaterThan, LessThan
from django.db.models.sql.constants import LOUTER
from django_cte import CTE, with_cte

from ..choices import StartStatus
from ..filters import (
    BASELINE_PLAN,
    CURRENT_PLAN,
    applied_values,
    filters_key,
    validated_filters,
)
from ..models import MonthlyProgress, Programme, Project, ReportSettings
from ..money import (
    ZERO,
    as_money,
    percent_change,
    points_vs_time,
    projected_rate,
)
from ..periods import QUARTERS, Period, quarter_of_month
from . import compiled
from .lights import (  # noqa: F401
    dispatch_of,
    late_nodes,
    light_annotations,
    light_for_rate,
    rate_below,
    report_date,
)
from .results import Figures, MonthPoint, Outlook, Starts

AMOUNT = DecimalField(max_digits=16, decimal_places=2)
NO_AMOUNT = Value(Decimal("0.00"), output_field=AMOUNT)
MEASURES = ("investment", "inclusion")


# ---------------------------------------------------------------- queryset


def members(programme: Programme, day: dt.date) -> QuerySet[Project]:
    """Projects on the programme's list at the end of ``day``."""
    return Project.objects.on_list(at=day).filter(programme=programme)


def plan_term(measure: str, quarter: int, basis: str = CURRENT_PLAN):
    """One quarter's plan: the current one, or the year's baseline (年初计划).

    A plan row written without a baseline (bulk-generated data) reads as unadjusted.
    """
    current = F(f"year_plan__{measure}_q{quarter}")
    if basis != BASELINE_PLAN:
        return current
    return Coalesce(F(f"year_plan__baseline_{measure}_q{quarter}"), current, output_field=AMOUNT)


def plan_sum(measure: str, quarters, basis: str = CURRENT_PLAN) -> Coalesce:
    total = None
    for q in quarters:
        term = plan_term(measure, q, basis)
        total = term if total is None else total + term
    return Coalesce(total, NO_AMOUNT, output_field=AMOUNT)


# A decimal literal, so SQLite divides as a real number rather than an integer.
THIRDS = Value(Decimal("3.0"), output_field=AMOUNT)


def plan_share(
    measure: str, period: Period, *, alone: bool = False, basis: str = CURRENT_PLAN
) -> Coalesce:
    """The plan falling in the period: whole quarters, and thirds of a month period's quarter.

    For a quarter period every share is whole, so this is the plain quarter sum.
    """
    shares = period.plan_shares(alone=alone)
    if all(share == 3 for share in shares.values()):
        return plan_sum(measure, shares, basis)
    total = None
    for q, share in shares.items():
        term = plan_term(measure, q, basis)
        if share != 3:
            term = term * Value(share) / THIRDS
        total = term if total is None else total + term
    return Coalesce(total, NO_AMOUNT, output_field=AMOUNT)


def plan_adjusted() -> Case:
    """1 when any of the plan's eight figures differs from the year's baseline, else 0."""
    difference = None
    for measure in MEASURES:
        for q in QUARTERS:
            term = Abs(plan_term(measure, q) - plan_term(measure, q, BASELINE_PLAN))
            difference = term if difference is None else difference + term
    return Case(
        When(GreaterThan(Coalesce(difference, NO_AMOUNT), Value(0)), then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )


def basis_annotations(period: Period, basis: str) -> dict:
    """Each measure's plan figures: on the report's basis (rates, lights, sorting, totals),
    and the baseline and current plan side by side (the 年初计划 column, adjustments)."""
    annotations = {}
    for measure in MEASURES:
        annotations[f"{measure}_planned"] = plan_share(measure, period, basis=basis)
        annotations[f"{measure}_annual_plan"] = plan_sum(measure, QUARTERS, basis)
        annotations[f"{measure}_quarter_planned"] = plan_share(
            measure, period, alone=True, basis=basis
        )
        for name, kind in (("baseline", BASELINE_PLAN), ("adjusted", CURRENT_PLAN)):
            annotations[f"{measure}_{name}_planned"] = plan_share(measure, period, basis=kind)
            annotations[f"{measure}_{name}_annual_plan"] = plan_sum(measure, QUARTERS, kind)
    annotations["plan_adjusted"] = plan_adjusted()
    return annotations


def start_conditions(period: Period) -> dict[str, Q]:
    """The start counts as conditions on projects; see the glossary for the definitions.

    Quarter-alone counts look at starts within the quarter; a quarter-alone
    overdue project is one planned to start within the quarter and not started
    by its end (the year-to-date count also keeps earlier quarters' laggards).
    """
    start, end, q_start = period.start, period.end, period.alone_start
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


def report_queryset(
    programme: Programme,
    period: Period,
    settings: ReportSettings,
    *,
    only=None,
    basis: str = CURRENT_PLAN,
    pictures_in_sums: bool = False,
) -> QuerySet[Project]:
    """The programme's projects at the period's end, each annotated with its figures.

    One query: the window's monthly rows of the list's projects summed by
    project in one grouped pass (a WITH clause; ``SUM ... FILTER`` picks the
    quarter alone on PostgreSQL, ``CASE`` on SQLite), left-joined to the
    projects and their plan row for the year. The warning light and its signals
    (``lights``) are computed from the joined columns in the same query, so
    sorting, filtering by light or status, counting and paging all happen in the
    database without a GROUP BY over the wide project rows.

    ``only`` (project ids) limits the sums and the rows to those projects: a page
    sorted by a plain column picks its fifty first and sums only theirs.

    ``basis`` is the plan the rates, lights and totals are computed on: the current
    plan, or the year's baseline (年初计划); both are annotated beside it either way.

    ``pictures_in_sums`` finds each project's latest picture in the sums' own pass rather
    than a pass of its own: for a file, which reads every row's picture (at 20,000 projects
    its statement 292 → 261 ms). A page's figures, counts and id lists do not read the
    picture, and PostgreSQL leaves the separate pass out of them; in the sums, which are
    materialised, every statement would pay for it. It is a shape of its own
    (``rows_kind``), so no statement built from one form is served for the other.

    The whole list's queryset is built once per process and shape (``compiled.queryset``:
    the list, period, plan basis, thresholds and the day the signals read) and cloned for
    each caller; a list of ``only`` ids is built each time.
    """
    if only is not None:
        return _report_queryset(
            programme, period, settings, only=only, basis=basis, pictures_in_sums=pictures_in_sums
        )
    return compiled.queryset(
        statement_shape(rows_kind(pictures_in_sums), programme, period, settings, basis),
        lambda: _report_queryset(
            programme, period, settings, only=None, basis=basis, pictures_in_sums=pictures_in_sums
        ),
    )


def rows_kind(pictures_in_sums: bool) -> str:
    """The shape's name of the report's rows, one for each form of ``report_queryset``."""
    return "report rows, pictures summed" if pictures_in_sums else "report rows"


def statement_shape(kind: str, programme, period, settings, basis: str = CURRENT_PLAN) -> tuple:
    """What the rows' statement is built from, the key of ``compiled``'s caches: the list,
    period, plan basis, thresholds and dispatch settings, and the day the signals read.
    Anything new the statement is built from joins it here, or a cache would serve old SQL."""
    (shape,) = statement_shapes(kind, programme, [period], settings, basis)
    return shape


def statement_shapes(
    kind: str, programme, periods: list, settings, basis: str = CURRENT_PLAN
) -> list[tuple]:
    """``statement_shape`` of each of ``periods``, the thresholds read once: a project page's
    light strip asks for twelve months' at a time."""
    thresholds = compiled.fingerprint(settings, dispatch_of(settings))
    return [
        (kind, programme.pk, dataclasses.astuple(period), basis, report_date(period), thresholds)
        for period in periods
    ]


def rows_shape(
    programme, period, settings, basis: str, reach, applied: Mapping, using: str,
    pictures_in_sums: bool = False,
):  # fmt: skip
    """What a report's filtered rows (``report.filtered_rows``) are built from: their
    statement's shape, the reader's reach and the filters that applied, a reference by its id
    as the statement reads it; and the database read. The key of the statements written
    over those rows (their figures, a short list's rows), built once per process and shape.
    """
    shape = statement_shape(rows_kind(pictures_in_sums), programme, period, settings, basis)
    return (*shape, str(reach), filters_key(applied), using)


def _report_queryset(
    programme, period, settings, *, only, basis, pictures_in_sums=False
) -> QuerySet[Project]:
    year, end = period.year, period.end
    on_list = members(programme, end)
    sums = period_sums(programme, period, only, pictures=pictures_in_sums)
    if only is not None:
        on_list = on_list.filter(pk__in=only)
    late = late_nodes(period, programme, only)
    rows = sums.join(on_list, id=sums.col.project_id, _join_type=LOUTER)
    ctes = [sums, late]
    if pictures_in_sums:
        images = sums
    else:
        images = latest_images(programme, period, only)
        rows = images.join(rows, id=images.col.project_id, _join_type=LOUTER)
        ctes.append(images)
    qs = with_cte(
        *ctes,
        select=late.join(rows, id=late.col.project_id, _join_type=LOUTER).annotate(
            year_plan=FilteredRelation("plans", condition=Q(plans__year=year))
        ),
    )
    annotations = basis_annotations(period, basis)
    for measure in MEASURES:
        for part in ("actual", "quarter_actual"):
            column = getattr(sums.col, f"{measure}_{part}")
            annotations[f"{measure}_{part}"] = Coalesce(column, NO_AMOUNT, output_field=AMOUNT)
    annotations["latest_image"] = images.col.latest_image
    qs = qs.annotate(**annotations)
    conditions = start_conditions(period)
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
    # The light and the levels of its signals (``lights``), from the same joined row.
    for layer in light_annotations(period, settings, late):
        qs = qs.annotate(**layer)
    return qs


# A month whose picture was given: the only months the latest picture is taken from.
HAS_PICTURE = ~Q(image_progress="")


def period_sums(programme: Programme, period: Period, only=None, *, pictures=False) -> CTE:
    """Per project on the list: the window's completed amounts, year to date and quarter alone.

    The list's projects are picked by a join (never ``IN (subquery)``, which a
    planner without statistics may run once per monthly row).

    With ``pictures``, the latest picture too (``latest_image``, as ``latest_images`` finds
    it), in the same pass over the period's index. For the files only: every statement over
    these sums then pays for it, and a page's figures and counts do not read it.
    """
    alone = Q(month__in=period.alone_months)
    sums = {}
    for measure in MEASURES:
        sums[f"{measure}_actual"] = Sum(measure)
        sums[f"{measure}_quarter_actual"] = Sum(measure, filter=alone)
    if pictures:
        sums["latest_image"] = _latest_picture(where=HAS_PICTURE)
    rows = MonthlyProgress.objects.filter(
        year=period.year, month__in=period.months, project__programme=programme
    )
    if only is not None:
        rows = rows.filter(project__in=only)
    return CTE(
        rows.order_by().values("project_id").annotate(**sums),
        name="period_sums",
        # Computed once per query: a planner without statistics (a new list, a test
        # database) would otherwise re-run the inlined aggregate once per project.
        materialized=True,
    )


def latest_images(programme: Programme, period: Period, only=None) -> CTE:
    """Per project of the list: the latest non-empty image progress in the window.

    One grouped pass over the window's months, as floor d reads it: each text is tagged
    with its month plus ten (11–22, two digits, so a text compare orders the months) and the
    greatest tagged text loses its tag. The fallback to the project's own text is the
    caller's (``coalesce`` in the files, ``or`` in ``project_rows.rows_from``).

    Not materialized, and joined LEFT on the project: PostgreSQL removes the join from every
    statement that does not read the column (the figures, counts and id lists), since the
    pass is unique per project; the files read it for every row in one pass; a page's rows
    read their fifty (``only``). It was a correlated subquery, 20,000 index lookups in a
    20,000-row file (CSV 1,300 → 1,200 ms on a slow machine; see docs/performance.md).
    """
    rows = MonthlyProgress.objects.filter(
        HAS_PICTURE, year=period.year, month__lte=period.last_month, project__programme=programme
    )
    if only is not None:
        rows = rows.filter(project__in=only)
    return CTE(
        rows.order_by().values("project_id").annotate(latest_image=_latest_picture()),
        name="latest_images",
    )


def _latest_picture(where: Q | None = None):
    """The greatest month-tagged picture of a group of monthly rows, untagged: the latest.
    ``where`` picks the rows it reads when the group's other sums read them all."""
    tagged = Concat(
        Cast(F("month") + 10, CharField()), F("image_progress"), output_field=TextField()
    )
    if where is not None:
        tagged = Case(When(where, then=tagged), output_field=TextField())
    return Substr(Max(tagged), 3)


CENTS = BigIntegerField()


def _cents(amount) -> Cast:
    """An amount as whole cents, rounded as ``money.as_money`` rounds it."""
    return Cast(Round(amount * Value(100)), CENTS)


def rate_tenths(measure: str, period: Period, *, alone: bool = False):
    """The shown completion rate in tenths of a percent, as an exact integer; NULL with no plan.

    ``money.completion_rate`` rounds actual ÷ planned × 100 half up to one
    decimal after the plan is rounded to cents (``as_money``). Here both are
    whole cents ``a`` and ``p``, and rounding half up is
    ``floor((2000·a + p) ÷ 2p)``, integer division on both databases (amounts
    are never negative), so ordering by it agrees with the Python rate exactly.
    """
    planned_part = "quarter_planned" if alone else "planned"
    actual_part = "quarter_actual" if alone else "actual"
    planned = Round(F(f"{measure}_{planned_part}"), 2)
    p = _cents(planned)
    a = _cents(F(f"{measure}_{actual_part}"))
    return Case(
        When(LessThan(planned, Value(Decimal("0.005"))), then=Value(None)),
        default=ExpressionWrapper((Value(2000) * a + p) / (Value(2) * p), output_field=CENTS),
        output_field=CENTS,
    )


# The per-project table's sortable columns and what each sorts by; "-" descends.
# Ties (and rows without a value, which come last either way) keep code order.
SORTS = {
    "code": "code",
    "name": "name",
    "unit": "unit__name",
    "street": "street__name",
    "category": "category__name",
    "kind": "kind",
    "planned_start": "planned_start",
    "actual_start": "shown_actual_start",
    "start_status": "start_status",
    "investment_planned": "investment_planned",
    "investment_other_plan": "investment_other_plan",
    "investment_actual": "investment_actual",
    "investment_rate": "investment_rate_tenths",
    "inclusion_planned": "inclusion_planned",
    "inclusion_actual": "inclusion_actual",
    "inclusion_rate": "inclusion_rate_tenths",
    "light": "light",
}
STARTED = (StartStatus.STARTED, StartStatus.EARLY, StartStatus.CONTINUING)
# Sorts on the project's own columns: a page can be picked before any figure is summed.
PLAIN_SORTS = frozenset(("code", "name", "unit", "street", "category", "kind", "planned_start"))


def sort_key(sort: str | None) -> str:
    """A valid sort parameter ("-investment_rate"), or "code" for anything else."""
    name = (sort or "").removeprefix("-")
    return sort if name in SORTS else "code"


def sorted_rows(qs: QuerySet[Project], period: Period, sort: str | None) -> QuerySet[Project]:
    """The rows queryset ordered by a table column in SQL, ties by code."""
    sort = sort_key(sort)
    name = sort.removeprefix("-")
    target = SORTS[name]
    if target == "shown_actual_start":
        qs = qs.annotate(
            shown_actual_start=Case(
                When(start_status__in=STARTED, then=F("actual_start")),
                default=Value(None),
                output_field=DateField(),
            )
        )
    elif target.endswith("_rate_tenths"):
        qs = qs.annotate(**{target: rate_tenths(target.split("_")[0], period)})
    elif target == "investment_other_plan":
        # The plan beside the basis: the baseline, or the adjusted plan on a baseline report.
        qs = qs.annotate(
            investment_other_plan=Case(
                When(
                    Q(investment_planned=F("investment_baseline_planned")),
                    then=F("investment_adjusted_planned"),
                ),
                default=F("investment_baseline_planned"),
                output_field=AMOUNT,
            )
        )
    if name == "code":
        return qs.order_by(F("code").desc() if sort.startswith("-") else F("code").asc())
    column = F(target)
    key = column.desc(nulls_last=True) if sort.startswith("-") else column.asc(nulls_last=True)
    return qs.order_by(key, "code")


def progress_of(scope: QuerySet[Project], period: Period) -> QuerySet[MonthlyProgress]:
    """The year-to-date monthly rows of the projects in ``scope``."""
    return MonthlyProgress.objects.filter(
        project__in=scope.values("pk"), year=period.year, month__in=period.months
    ).order_by()


# The figures' parts and the start counts, named as their result classes declare them.
FIGURE_PARTS = tuple(f.name for f in dataclasses.fields(Figures))
STARTS_COUNTS = tuple(f.name for f in dataclasses.fields(Starts))


def figures_from(
    values: Mapping, measure: str, prefix: str = "total_", shared: dict | None = None
) -> Figures:
    """``measure``'s Figures from a row of sums, each amount through ``money.as_money``.

    A sum is a Decimal, or its text where the statement read numbers as text
    (``compiled.fetch``); either way it is rounded here, once.

    Equal amounts are one object: in the first quarter the year-to-date, quarter, baseline
    and adjusted plans are mostly one figure, so a kept report (``report_cache``) holds and
    decodes a third of the Decimals (3,334 province breakdown rows: 29 → 18 ms). ``shared``
    carries them across the rows of one table (a breakdown's); by default a row's own.

    Keyed by the raw sum itself: rounding depends on its value alone (a zero of either sign
    is ``ZERO``, which has none). Looking the rounded amount's digits up
    (``as_tuple``) cost a 20,000-project page more than the rounding: 61,000 amounts for
    its 3,357 breakdown rows. The loop is written out, not a call per amount, for the same
    reason.
    """
    shared = {} if shared is None else shared
    amounts = []
    for raw in _parts_getter(prefix, measure)(values):
        if raw is None:
            amounts.append(ZERO)
            continue
        found = shared.get(raw)
        if found is None:
            found = shared[raw] = as_money(raw)
        amounts.append(found)
    return Figures(*amounts)


@functools.lru_cache(maxsize=16)
def _parts_getter(prefix: str, measure: str) -> Callable[[Mapping], tuple]:
    """The figure parts' values of a row of sums, in ``FIGURE_PARTS``' order."""
    return operator.itemgetter(*(f"{prefix}{measure}_{part}" for part in FIGURE_PARTS))


_STARTS_GETTER = operator.itemgetter(*(f"starts_{name}" for name in STARTS_COUNTS))


def starts_from(values: Mapping) -> Starts:
    return _starts(tuple(count or 0 for count in _STARTS_GETTER(values)))


@functools.lru_cache(maxsize=1024)
def _starts(counts: tuple[int, ...]) -> Starts:
    # One object per set of counts (frozen, so safe to share): a province's 3,334 breakdown
    # rows hold some forty, and a kept report encodes and decodes each once.
    return Starts(**dict(zip(STARTS_COUNTS, counts, strict=True)))


def outlook_for(figures: Figures, period: Period, previous_actual: Decimal | None) -> Outlook:
    elapsed = period.time_elapsed_percent
    annual_rate = figures.annual_rate
    # Months rather than the rounded percentage, so 1—10月 projects by exactly 12/10.
    projected = as_money(figures.actual * 12 / period.months_elapsed)
    return Outlook(
        time_elapsed=elapsed,
        # From the exact shares, rounded once (not the rounded rate minus the rounded time).
        points_vs_time=None
        if annual_rate is None
        else points_vs_time(figures.actual, figures.annual_plan, period.months_elapsed),
        previous_actual=previous_actual,
        yoy_percent=None
        if previous_actual is None
        else percent_change(figures.actual, previous_actual),
        projected_annual=projected,
        # From the exact projection, not from the amount rounded to 0.01 万元.
        projected_annual_rate=projected_rate(
            figures.actual, figures.annual_plan, period.months_elapsed
        ),
    )


def previous_year_actuals(programme: Programme, period: Period) -> dict[str, Decimal | None]:
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


def month_points(
    scope: QuerySet[Project], period: Period, quarter_plans: Mapping, *, shape=None
) -> tuple[MonthPoint, ...]:
    """The chart's months: each month's sums and the running totals. ``shape``: what
    ``scope`` is built from, the key its statement is built once under."""
    summed = compiled.rows_of(
        shape and ("month points", shape),
        lambda: (
            progress_of(scope, period)
            .values("month")
            .annotate(investment=Sum("investment"), inclusion=Sum("inclusion"))
        ),
    )
    by_month = {row["month"]: row for row in summed}
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


def filter_projects(
    qs: QuerySet[Project], filters: Mapping | None
) -> tuple[QuerySet[Project], dict]:
    """The queryset narrowed by the valid filters, and the filter values that applied."""
    filterset = validated_filters(filters)
    if filterset is None:
        # No filter's parameter (an address with the list, sort or page alone): nothing to
        # validate or apply.
        return qs, {}
    return filterset.filter_queryset(qs.all()), applied_values(filterset)


def apply_filters(qs: QuerySet[Project], filters: Mapping | None) -> tuple[QuerySet[Project], bool]:
    """The queryset narrowed by the valid filters, and whether any applied.

    An unknown value (a unit code that does not exist, a misspelt light) is
    left out rather than failing: the page shows the form's message for it.
    """
    narrowed, applied = filter_projects(qs, filters)
    return narrowed, bool(applied)


def totals_scope(
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
    return filter_projects(members(programme, period.end), filters)[0]
