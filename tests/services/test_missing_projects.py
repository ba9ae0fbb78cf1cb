"""The unit's projects still to enter for a month: those on the month's list only."""

import datetime as dt

import pytest

from projects.services.entry import missing_projects
from tests.factories import MonthlyProgressFactory, ProgrammeFactory, ProjectFactory, UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit():
    return UnitFactory()


def missing_codes(unit, month=3) -> list[str]:
    return [p.code for p in missing_projects(unit=unit, year=2024, month=month)]


def test_a_project_withdrawn_before_the_month_ends_is_not_missing(unit):
    programme = ProgrammeFactory(year=2024)
    ProjectFactory(
        code="LEFT0315", unit=unit, programme=programme, withdrawn_on=dt.date(2024, 3, 15)
    )
    ProjectFactory(
        code="LEFT0331", unit=unit, programme=programme, withdrawn_on=dt.date(2024, 3, 31)
    )
    ProjectFactory(
        code="LEFT0401", unit=unit, programme=programme, withdrawn_on=dt.date(2024, 4, 1)
    )
    assert missing_codes(unit) == ["LEFT0401"]


def test_a_project_joining_on_the_months_last_day_is_missing_and_one_joining_after_is_not(unit):
    programme = ProgrammeFactory(year=2024)
    ProjectFactory(code="JOIN0331", unit=unit, programme=programme, joined_on=dt.date(2024, 3, 31))
    ProjectFactory(code="JOIN0401", unit=unit, programme=programme, joined_on=dt.date(2024, 4, 1))
    assert missing_codes(unit) == ["JOIN0331"]


def test_entered_projects_other_units_and_other_years_are_not_missing(unit):
    programme = ProgrammeFactory(year=2024)
    entered = ProjectFactory(code="DONE", unit=unit, programme=programme)
    MonthlyProgressFactory(project=entered, year=2024, month=3)
    ProjectFactory(code="OTHERUNIT", programme=programme)
    ProjectFactory(code="Y2023", unit=unit, programme=ProgrammeFactory(year=2023))
    ProjectFactory(code="TODO", unit=unit, programme=programme)
    assert missing_codes(unit) == ["TODO"]
