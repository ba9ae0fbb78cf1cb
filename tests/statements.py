"""What the tests of built statements share (``selectors.compiled``, ``selectors.placed``):
an empty cache of statements around each test, and a project with its first quarter."""

from decimal import Decimal

import pytest

from projects.selectors import compiled
from tests.factories import MonthlyProgressFactory, ProjectFactory


@pytest.fixture
def no_statements_kept():
    """Every statement built by the test itself, none left for the next."""
    compiled.forget()
    yield
    compiled.forget()


def quarter_project(programme, code, planned_start, investment):
    """A project with the same investment in each month of the first quarter."""
    project = ProjectFactory(programme=programme, code=code, planned_start=planned_start)
    for month in (1, 2, 3):
        MonthlyProgressFactory(project=project, month=month, investment=Decimal(investment))
    return project
