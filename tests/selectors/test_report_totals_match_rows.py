"""The report's totals agree with a plain Python sum over its own rows, filtered or not.

The headline and the breakdowns are summed by the database apart from the
per-project rows, so these tests check them against the rows (and against the
stored plans, progress and start dates) for filters that depend on each
project's figures: the warning light and the start status.
"""

import datetime as dt
from collections import defaultdict
from decimal import Decimal

import pytest

from projects.models import MonthlyProgress, Project, QuarterPlan
from projects.periods import Period
from projects.permissions import WHOLE_DISTRICT
from projects.selectors import quarterly_report
from tests.factories import (
    CategoryFactory,
    MonthlyProgressFactory,
    ProgrammeFactory,
    ProjectFactory,
    QuarterPlanFactory,
    StreetFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db

PARTS = ("planned", "actual", "annual_plan", "quarter_planned", "quarter_actual")
MEASURES = ("investment", "inclusion")


@pytest.fixture
def programme():
    """Twelve projects spread over lights, start statuses, categories, units and streets."""
    programme = ProgrammeFactory(year=2024)
    categories = [CategoryFactory() for _ in range(2)]
    units = [UnitFactory() for _ in range(3)]
    streets = [StreetFactory() for _ in range(2)]
    # Completed investment per month as a share of the plan: lights green, yellow and red.
    paces = ["80", "60", "30", "0", "90", "50"]
    for i in range(12):
        new = i % 4 != 0
        project = ProjectFactory(
            programme=programme,
            code=f"T{i:02d}",
            category=categories[i % 2],
            unit=units[i % 3],
            street=streets[i // 6],
            kind=Project.Kind.NEW if new else Project.Kind.CONTINUING,
            planned_start=dt.date(2024, 1 + i % 9, 10) if new else None,
            actual_start=dt.date(2024, 2 + i % 6, 1) if new and i % 3 else None,
        )
        if i != 11:  # one project without a plan for the year
            QuarterPlanFactory(
                project=project,
                investment_q1=Decimal(100 + i),
                investment_q2=Decimal(200),
                investment_q3=Decimal("50.5"),
                investment_q4=Decimal(10),
                inclusion_q1=Decimal(60),
                inclusion_q2=Decimal(70 + i),
                inclusion_q3=Decimal(0),
                inclusion_q4=Decimal(5),
            )
        if i != 10:  # one project without any progress
            for month in (1, 2, 4, 5, 7):
                MonthlyProgressFactory(
                    project=project,
                    month=month,
                    investment=Decimal(paces[i % 6]) + Decimal(month),
                    inclusion=Decimal(i) + Decimal("0.25"),
                )
        # Last year's progress and next quarter's must never count.
        MonthlyProgressFactory(project=project, year=2023, month=3, investment=Decimal(999))
    # Withdrawn before the quarter ended: off the list.
    gone = ProjectFactory(programme=programme, withdrawn_on=dt.date(2024, 3, 1))
    QuarterPlanFactory(project=gone)
    MonthlyProgressFactory(project=gone, month=1)
    return programme


def _starts(projects, period: Period) -> dict[str, int]:
    start, end, q_start = period.start, period.end, period.quarter_start
    counts = defaultdict(int)
    for p in projects:
        if p.kind != Project.Kind.NEW:
            continue
        planned, actual = p.planned_start, p.actual_start
        started = actual is not None and start <= actual <= end
        q_started = actual is not None and q_start <= actual <= end
        not_started = actual is None or actual > end
        planned_in_quarter = planned is not None and q_start <= planned <= end
        late = planned is not None and planned > end
        counts["planned"] += planned is not None and start <= planned <= end
        counts["actual"] += started
        counts["early"] += started and late
        counts["overdue"] += planned is not None and planned <= end and not_started
        counts["quarter_planned"] += planned_in_quarter
        counts["quarter_actual"] += q_started
        counts["quarter_early"] += q_started and late
        counts["quarter_overdue"] += planned_in_quarter and not_started
    return counts


def _assert_figures_are_row_sums(figures_of, rows):
    for measure in MEASURES:
        for part in PARTS:
            expected = sum((getattr(getattr(r, measure), part) for r in rows), Decimal("0.00"))
            assert getattr(figures_of(measure), part) == expected, (measure, part)


def _assert_totals_match_rows(result, period: Period):
    rows = result.rows
    projects = {p.code: p for p in Project.objects.filter(code__in=[r.code for r in rows])}
    headline = result.headline
    assert headline.projects == len(rows)
    _assert_figures_are_row_sums(lambda m: getattr(headline, m), rows)
    starts = _starts(projects.values(), period)
    for name, count in starts.items():
        assert getattr(headline.starts, name) == count, name
    plans = QuarterPlan.objects.filter(project__code__in=projects, year=period.year)
    for measure in MEASURES:
        assert headline.quarter_plans[measure] == tuple(
            sum((getattr(p, f"{measure}_q{q}") for p in plans), Decimal("0.00"))
            for q in (1, 2, 3, 4)
        )
    progress = MonthlyProgress.objects.filter(project__code__in=projects, year=period.year)
    for point in result.months:
        in_month = [e for e in progress if e.month == point.month and e.month in period.months]
        assert point.investment == sum((e.investment for e in in_month), Decimal("0.00"))
    for table, attribute in (("category", "category"), ("unit", "unit"), ("street", "street")):
        groups = defaultdict(list)
        for row in rows:
            groups[getattr(row, attribute)].append(row)
        breakdown = result.breakdown(table)
        assert {b.name for b in breakdown} == set(groups)
        for b in breakdown:
            members = groups[b.name]
            assert b.projects == len(members)
            _assert_figures_are_row_sums(lambda m, b=b: getattr(b, m), members)
            expected = _starts((projects[r.code] for r in members), period)
            for name in starts:
                assert getattr(b.starts, name) == expected[name], (table, b.name, name)


@pytest.mark.parametrize("quarter", [1, 2])
@pytest.mark.parametrize(
    "filters",
    [
        None,
        {"light": "red"},
        {"light": "yellow"},
        {"light": "green"},
        {"status": "overdue"},
        {"status": "started"},
        {"status": "continuing"},
        {"light": "red", "kind": "new"},
        {"status": "not_due", "light": "green"},
    ],
)
def test_headline_and_breakdowns_equal_the_sum_of_the_filtered_rows(programme, quarter, filters):
    result = quarterly_report(
        user=WHOLE_DISTRICT,
        programme=programme,
        year=programme.year,
        quarter=quarter,
        filters=filters,
    )
    _assert_totals_match_rows(result, Period(programme.year, quarter))


def test_the_fixture_covers_every_light_and_several_start_statuses(programme):
    rows = quarterly_report(
        user=WHOLE_DISTRICT, programme=programme, year=programme.year, quarter=2
    ).rows
    assert {r.light for r in rows} == {"green", "yellow", "red"}
    assert len({r.start_status for r in rows}) >= 3
    assert len(rows) == 12


def test_a_light_filter_narrows_the_headline_to_the_projects_with_that_light(programme):
    whole = quarterly_report(
        user=WHOLE_DISTRICT, programme=programme, year=programme.year, quarter=2
    )
    red = quarterly_report(
        user=WHOLE_DISTRICT,
        programme=programme,
        year=programme.year,
        quarter=2,
        filters={"light": "red"},
    )
    expected = [r for r in whole.rows if r.light == "red"]
    assert [r.code for r in red.rows] == [r.code for r in expected]
    assert 0 < red.headline.projects < whole.headline.projects
    assert red.headline.investment.actual == sum(
        (r.investment.actual for r in expected), Decimal("0.00")
    )
