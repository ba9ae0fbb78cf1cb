"""The home page's quarter: the latest one whose reporting is due, never one a stray entry picks."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projects.periods import Period
from projects.selectors import due_report_period
from tests.factories import MonthlyProgressFactory, ProgrammeFactory, ProjectFactory, UnitFactory

pytestmark = pytest.mark.django_db
MAY_20 = dt.datetime(2024, 5, 20, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def four_units():
    """One project on the 2024 list for each of four units, all reported through March."""
    programme = ProgrammeFactory(year=2024)
    projects = [ProjectFactory(programme=programme, unit=UnitFactory()) for _ in range(4)]
    for project in projects:
        for month in (1, 2, 3):
            MonthlyProgressFactory(project=project, year=2024, month=month)
    return projects


def report_april(projects):
    for project in projects:
        MonthlyProgressFactory(project=project, year=2024, month=4)


@time_machine.travel(MAY_20)
def test_home_stays_on_the_previous_quarter_until_half_the_units_report_the_first_month(
    four_units,
):
    assert due_report_period() == Period(2024, 1)
    report_april(four_units[:1])
    assert due_report_period() == Period(2024, 1)
    report_april(four_units[1:2])
    assert due_report_period() == Period(2024, 2)


@time_machine.travel(MAY_20)
def test_one_stray_entry_does_not_move_the_home_page(four_units):
    report_april(four_units[:1])
    # Typed by mistake before future months were refused: bypasses the model's checks.
    MonthlyProgressFactory(project=four_units[0], year=2027, month=1)
    MonthlyProgressFactory(project=four_units[1], year=2024, month=12)
    assert due_report_period() == Period(2024, 1)


@time_machine.travel(MAY_20)
def test_units_whose_projects_left_the_list_do_not_count(four_units):
    for project in four_units[2:]:
        project.withdrawn_on = dt.date(2024, 3, 15)
        project.save()
    report_april(four_units[:1])
    assert due_report_period() == Period(2024, 2)


@time_machine.travel(dt.datetime(2025, 1, 10, 9, 0, tzinfo=dt.UTC))
def test_early_january_opens_last_years_fourth_quarter(four_units):
    assert due_report_period() == Period(2024, 4)


@time_machine.travel(MAY_20)
def test_no_progress_at_all_gives_no_period():
    ProjectFactory()
    assert due_report_period() is None


@time_machine.travel(MAY_20)
def test_choosing_the_period_costs_the_same_queries_with_more_units(four_units):
    with CaptureQueriesContext(connection) as few:
        due_report_period()
    for _ in range(20):
        project = ProjectFactory(programme=four_units[0].programme, unit=UnitFactory())
        MonthlyProgressFactory(project=project, year=2024, month=4)
    with CaptureQueriesContext(connection) as many:
        assert due_report_period() == Period(2024, 2)
    assert len(few) == len(many) == 3


@time_machine.travel(MAY_20)
def test_units_whose_projects_left_during_the_first_month_do_not_count(four_units):
    # Withdrawn on April's last day: off April's list, so only two units were due to report
    # April and one reporting is half of them.
    for project in four_units[2:]:
        project.withdrawn_on = dt.date(2024, 4, 30)
        project.save()
    report_april(four_units[:1])
    assert due_report_period() == Period(2024, 2)


@time_machine.travel(MAY_20)
def test_units_whose_projects_leave_after_the_first_month_still_count(four_units):
    for project in four_units[2:]:
        project.withdrawn_on = dt.date(2024, 5, 1)
        project.save()
    report_april(four_units[:1])
    assert due_report_period() == Period(2024, 1)
