"""The report page's problem counts are kept per data version (``report_cache.kept_for``):
read again with no write between they are not counted again; a problem raised or closed
moves the key; each reader's reach is its own entry."""

import datetime as dt

import pytest

from projects.coordination import selectors
from projects.coordination import services as problems
from projects.coordination.panels import report_counts
from tests.data_versions import settle
from tests.reporting import count_calls, page_request, settled

pytestmark = pytest.mark.django_db


@pytest.fixture
def raised(manager, project_a, project_b):
    for project in (project_a, project_b):
        problems.raise_problem(
            actor=manager,
            project=project,
            description="电力接入滞后",
            kind="utilities",
            raised_on=dt.date(2024, 4, 1),
        )
    settled(empty_cache=True)
    return project_a.programme


@pytest.fixture
def counted(monkeypatch):
    return count_calls(monkeypatch, selectors, "problem_counts_panel")


def panel(user, programme):
    return report_counts(page_request(user), programme=programme, period_end=dt.date(2024, 3, 31))


def test_read_again_the_counts_are_not_counted_again(raised, manager, counted):
    assert panel(manager, raised)["counts"].open == 2
    assert panel(manager, raised)["counts"].open == 2
    assert len(counted) == 1


def test_a_problem_raised_after_a_read_is_counted_at_the_next(raised, manager, project_b):
    assert panel(manager, raised)["counts"].open == 2
    problems.raise_problem(
        actor=manager,
        project=project_b,
        description="燃气迁改",
        kind="clearance",
        raised_on=dt.date(2024, 4, 2),
    )
    assert panel(manager, raised)["counts"].open == 3
    settle()
    assert panel(manager, raised)["counts"].open == 3


def test_each_readers_reach_is_its_own_entry(raised, manager, staff_a, counted):
    assert panel(manager, raised)["counts"].open == 2
    assert panel(staff_a, raised)["counts"].open == 1
    assert panel(manager, raised)["counts"].open == 2
    assert panel(staff_a, raised)["counts"].open == 1
    assert len(counted) == 2
