"""The report's dispatch lists hold only projects on the list at the period's end."""

import datetime as dt

import pytest

from projects.milestones.selectors import report_sections
from projects.models import DispatchSettings
from tests.factories import ProgrammeFactory, ProjectFactory

pytestmark = pytest.mark.django_db
Q2_END = dt.date(2024, 6, 30)


def test_a_project_joining_after_the_quarter_is_not_in_its_starts_without_approvals(manager):
    programme = ProgrammeFactory(year=2024)
    on_list = ProjectFactory(
        programme=programme, code="ON", planned_start=dt.date(2024, 7, 20), actual_start=None
    )
    ProjectFactory(
        programme=programme,
        code="JULY",
        joined_on=dt.date(2024, 7, 1),
        planned_start=dt.date(2024, 7, 20),
        actual_start=None,
    )
    ProjectFactory(
        programme=programme,
        code="GONE",
        withdrawn_on=dt.date(2024, 5, 1),
        planned_start=dt.date(2024, 7, 20),
        actual_start=None,
    )
    sections = report_sections(manager, programme, Q2_END, DispatchSettings.current())
    assert [s.project.code for s in sections["starts"]] == [on_list.code]
