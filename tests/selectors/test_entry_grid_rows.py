"""The entry grid's rows: a month read against last month, the year and the plan."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projects.permissions import MANAGER, UNIT_STAFF
from projects.selectors.entry import default_entry_month, entry_grid
from tests.factories import (
    MonthlyProgressFactory,
    ProjectFactory,
    QuarterPlanFactory,
    UnitFactory,
    user_with_role,
)

pytestmark = pytest.mark.django_db
D = Decimal


def fill(unit, count):
    for _i in range(count):
        project = ProjectFactory(unit=unit)
        QuarterPlanFactory(project=project)
        for month in (1, 2, 3):
            MonthlyProgressFactory(project=project, month=month)


def queries_for(actor):
    with CaptureQueriesContext(connection) as ctx:
        grid = entry_grid(actor=actor, year=2024, month=3)
    return len(ctx.captured_queries), grid


def test_grid_query_count_does_not_grow_with_projects():
    unit = UnitFactory()
    clerk = user_with_role(UNIT_STAFF, unit)
    fill(unit, 2)
    entry_grid(actor=clerk, year=2024, month=3)  # the user's permissions are cached after this
    few, grid = queries_for(clerk)
    assert len(grid.rows) == 2
    fill(unit, 25)
    many, grid = queries_for(clerk)
    assert len(grid.rows) == 27
    assert few == many <= 7


def test_row_figures_are_sums_of_the_stored_months():
    unit = UnitFactory()
    clerk = user_with_role(UNIT_STAFF, unit)
    project = ProjectFactory(unit=unit)
    QuarterPlanFactory(project=project, investment_q1=D("400"), inclusion_q1=D("300"))
    MonthlyProgressFactory(project=project, year=2023, month=12, investment=D("999"))
    MonthlyProgressFactory(project=project, month=1, investment=D("100"), inclusion=D("50"))
    MonthlyProgressFactory(project=project, month=2, investment=D("150"), inclusion=D("60"))
    MonthlyProgressFactory(project=project, month=3, investment=D("50"), inclusion=D("40"))
    row = entry_grid(actor=clerk, year=2024, month=3).rows[0]
    assert (row.last.investment, row.entry.investment) == (D("150"), D("50"))
    assert (row.ytd_before_investment, row.ytd_investment) == (D("250"), D("300"))
    assert row.ytd_inclusion == D("150")
    # 300 of 400 planned for the quarter; 150 of 300 included.
    assert (row.investment_rate, row.inclusion_rate) == (D("75.0"), D("50.0"))
    # The previous year's December is not this year's.
    assert row.quarter_before_investment == D("250")


def test_january_reads_last_month_from_the_previous_december():
    unit = UnitFactory()
    clerk = user_with_role(UNIT_STAFF, unit)
    project = ProjectFactory(unit=unit)
    MonthlyProgressFactory(project=project, year=2023, month=12, investment=D("70"))
    row = entry_grid(actor=clerk, year=2024, month=1).rows[0]
    assert row.last.investment == D("70") and row.ytd_before_investment == 0


def test_withdrawn_projects_and_other_units_are_not_rows():
    unit, other = UnitFactory(), UnitFactory()
    clerk = user_with_role(UNIT_STAFF, unit)
    kept = ProjectFactory(unit=unit)
    ProjectFactory(unit=unit, withdrawn_on=dt.date(2024, 2, 1))
    ProjectFactory(unit=other)
    assert [r.project for r in entry_grid(actor=clerk, year=2024, month=3).rows] == [kept]
    manager = user_with_role(MANAGER)
    assert len(entry_grid(actor=manager, year=2024, month=3).rows) == 2


def test_entry_opens_on_the_reporting_month_while_the_year_has_a_list():
    unit = UnitFactory()
    fill(unit, 1)
    clerk = user_with_role(UNIT_STAFF, unit)
    assert default_entry_month(clerk, dt.date(2024, 5, 3)) == (2024, 4)


def test_entry_read_years_after_the_last_list_opens_after_its_last_entered_month():
    unit = UnitFactory()
    fill(unit, 2)  # January to March 2024 entered
    clerk = user_with_role(UNIT_STAFF, unit)
    assert default_entry_month(clerk, dt.date(2026, 11, 29)) == (2024, 4)
    # Someone without projects gets the plain reporting month.
    assert default_entry_month(
        user_with_role(UNIT_STAFF, UnitFactory()), dt.date(2026, 11, 29)
    ) == (
        2026,
        10,
    )


def test_rows_of_the_units_projects_off_the_list_change_no_row():
    """The grid reads its months, sums and plans by the units (``entry_grid``): a withdrawn
    project's and another year's rows in the same unit are read but never a row's."""
    unit = UnitFactory()
    clerk = user_with_role(UNIT_STAFF, unit)
    kept = ProjectFactory(unit=unit)
    QuarterPlanFactory(project=kept, investment_q1=D("100"))
    MonthlyProgressFactory(project=kept, month=2, investment=D("10"))
    withdrawn = ProjectFactory(unit=unit, withdrawn_on=dt.date(2024, 2, 1))
    QuarterPlanFactory(project=withdrawn, investment_q1=D("900"))
    for month in (1, 2, 3):
        MonthlyProgressFactory(project=withdrawn, month=month, investment=D("500"))
    (row,) = entry_grid(actor=clerk, year=2024, month=3).rows
    assert row.project == kept and row.entry is None
    assert (row.last.investment, row.ytd_before_investment) == (D("10"), D("10"))
    assert row.quarter_plan_investment == D("100")
    # A unit's many projects (more than a kept statement takes values) change nothing.
    fill(unit, 20)
    rows = {r.project: r for r in entry_grid(actor=clerk, year=2024, month=3).rows}
    assert len(rows) == 21 and rows[kept].ytd_before_investment == D("10")
