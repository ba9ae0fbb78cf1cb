"""The scores' overdue problems are counted as they stood at the period's end (issue #23)."""

import datetime as dt

import pytest

from projects.coordination.models import Problem
from projects.coordination.scoring import overdue_problems_by_unit
from projects.periods import Period
from tests.factories import ProgrammeFactory, ProjectFactory

pytestmark = pytest.mark.django_db
Q2 = Period(2024, 2)


def problem(project, kind, *, raised, deadline, resolved=None):
    return Problem.objects.create(
        project=project,
        kind=kind,
        raised_on=raised,
        deadline=deadline,
        status=Problem.Status.RESOLVED if resolved else Problem.Status.IN_PROGRESS,
        resolved_on=resolved,
    )


@pytest.fixture
def project(unit_a):
    return ProjectFactory(programme=ProgrammeFactory(year=2024), unit=unit_a, kind="continuing")


def test_a_problem_overdue_at_the_periods_end_and_closed_since_still_counts(project, unit_a):
    problem(
        project,
        Problem.Kind.LAND,
        raised=dt.date(2024, 4, 1),
        deadline=dt.date(2024, 5, 1),
        resolved=dt.date(2024, 8, 20),
    )
    assert overdue_problems_by_unit(project.programme.code, Q2) == {unit_a.code: 1}


def test_a_problem_closed_by_the_periods_end_does_not_count(project):
    problem(
        project,
        Problem.Kind.LAND,
        raised=dt.date(2024, 4, 1),
        deadline=dt.date(2024, 5, 1),
        resolved=dt.date(2024, 6, 30),
    )
    assert overdue_problems_by_unit(project.programme.code, Q2) == {}


def test_a_problem_raised_after_the_periods_end_does_not_count(project, unit_a):
    # Raised in July with a deadline already behind it (a backdated blocker): not Q2's.
    problem(project, Problem.Kind.SITE, raised=dt.date(2024, 7, 2), deadline=dt.date(2024, 7, 2))
    problem(project, Problem.Kind.LAND, raised=dt.date(2024, 6, 1), deadline=dt.date(2024, 6, 29))
    assert overdue_problems_by_unit(project.programme.code, Q2) == {unit_a.code: 1}
    assert overdue_problems_by_unit(project.programme.code, Period(2024, 3)) == {unit_a.code: 2}


def test_a_deadline_on_the_periods_last_day_is_not_yet_overdue(project):
    problem(project, Problem.Kind.LAND, raised=dt.date(2024, 4, 1), deadline=dt.date(2024, 6, 30))
    assert overdue_problems_by_unit(project.programme.code, Q2) == {}
