""" "On the list at a date": one boundary for the manager and for a project in hand.

A project is on the list from the day it joined and off it from the day it withdrew,
and only on its own programme year's list.
"""

import datetime as dt

import pytest

from projects.models import Project
from tests.factories import ProgrammeFactory, ProjectFactory

pytestmark = pytest.mark.django_db

MARCH_31 = dt.date(2024, 3, 31)


def listed_at(day: dt.date) -> set[str]:
    return set(Project.objects.on_list(at=day).values_list("code", flat=True))


@pytest.fixture
def projects():
    programme = ProgrammeFactory(year=2024)
    return {
        "joined_that_day": ProjectFactory(code="JOIN0331", programme=programme, joined_on=MARCH_31),
        "joins_next_day": ProjectFactory(
            code="JOIN0401", programme=programme, joined_on=dt.date(2024, 4, 1)
        ),
        "withdrew_that_day": ProjectFactory(
            code="LEFT0331", programme=programme, withdrawn_on=MARCH_31
        ),
        "withdraws_next_day": ProjectFactory(
            code="LEFT0401", programme=programme, withdrawn_on=dt.date(2024, 4, 1)
        ),
        "never_withdrawn": ProjectFactory(code="STAY", programme=programme),
        "other_year": ProjectFactory(code="Y2023", programme=ProgrammeFactory(year=2023)),
    }


def test_a_project_is_on_the_list_on_the_day_it_joined(projects):
    assert "JOIN0331" in listed_at(MARCH_31)
    assert "JOIN0331" not in listed_at(dt.date(2024, 3, 30))


def test_a_project_is_off_the_list_on_the_day_it_withdrew(projects):
    assert "LEFT0331" not in listed_at(MARCH_31)
    assert "LEFT0331" in listed_at(dt.date(2024, 3, 30))


def test_the_list_at_a_date_holds_exactly_the_projects_joined_and_not_yet_withdrawn(projects):
    assert listed_at(MARCH_31) == {"JOIN0331", "LEFT0401", "STAY"}


def test_a_project_is_only_on_its_own_programme_years_list(projects):
    assert "Y2023" in listed_at(dt.date(2023, 12, 31))
    assert "Y2023" not in listed_at(dt.date(2024, 1, 1))


@pytest.mark.parametrize(
    "day",
    [
        dt.date(2023, 12, 31),
        dt.date(2024, 1, 1),
        dt.date(2024, 3, 30),
        MARCH_31,
        dt.date(2024, 4, 1),
    ],
)
def test_a_project_in_hand_follows_the_same_rule_as_the_manager(projects, day):
    listed = listed_at(day)
    for project in projects.values():
        assert project.on_list_at(day) == (project.code in listed), (project.code, day)
