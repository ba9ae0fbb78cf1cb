"""Overdue open problems cost their unit points in the scores, counted by this app."""

import datetime as dt
from decimal import Decimal

import pytest

from projects.coordination.models import Problem
from projects.permissions import WHOLE_DISTRICT
from projects.selectors import quarterly_report
from projects.selectors.scores import unit_scores
from tests.factories import ProgrammeFactory, ProjectFactory, QuarterPlanFactory

pytestmark = pytest.mark.django_db


def problem(project, kind, deadline, status=Problem.Status.IN_PROGRESS):
    # One open problem per project and kind: each here has a kind of its own.
    resolved_on = deadline if status == Problem.Status.RESOLVED else None
    return Problem.objects.create(
        project=project,
        kind=kind,
        deadline=deadline,
        status=status,
        raised_on=dt.date(2024, 4, 1),
        resolved_on=resolved_on,
    )


def test_each_open_problem_past_its_deadline_by_the_periods_end_costs_a_point(unit_a, unit_b):
    programme = ProgrammeFactory(year=2024)
    a = ProjectFactory(programme=programme, unit=unit_a, kind="continuing")
    b = ProjectFactory(programme=programme, unit=unit_b, kind="continuing")
    for project in (a, b):
        QuarterPlanFactory(project=project)
    kind = Problem.Kind
    problem(a, kind.LAND, dt.date(2024, 5, 1))
    problem(a, kind.PLANNING, dt.date(2024, 6, 1))
    problem(a, kind.FUNDING, dt.date(2024, 7, 1))  # due after the second quarter's end
    problem(a, kind.SITE, dt.date(2024, 5, 1), status=Problem.Status.RESOLVED)
    problem(b, kind.LAND, None)  # no deadline, never overdue
    report = quarterly_report(user=WHOLE_DISTRICT, programme=programme, year=2024, quarter=2)
    items = {s.name: {i.label: (i.count, i.points) for i in s.items} for s in unit_scores(report)}
    assert items[unit_a.name]["超期未办结问题"] == (2, Decimal("-2.00"))
    assert items[unit_b.name]["超期未办结问题"] == (0, Decimal("0.00"))
