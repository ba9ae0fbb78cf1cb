"""The report page's dispatch lists (late nodes, starts without approvals, projects not in the
library) are computed once per data version (``report_cache.kept_for``): read again with no
write between, they are a cache get; a node or approval saved moves the key, so the next read
shows it; each reader's reach is its own entry.

``settle()`` stands for the commit the test's transaction never makes
(``tests/data_versions.py``).
"""

import datetime as dt

import pytest

from projects.milestones import selectors as node_selectors
from projects.milestones import services
from projects.milestones.models import Approval
from projects.milestones.panels import report_sections
from tests.data_versions import settle
from tests.reporting import count_calls, page_request, settled

pytestmark = pytest.mark.django_db
Q1_END = dt.date(2024, 3, 31)


@pytest.fixture
def lists(manager, project_a, project_b):
    """A late node in each unit; project A to start within the window, approvals outstanding."""
    for project in (project_a, project_b):
        services.save_milestone(
            actor=manager,
            project=project,
            name="施工许可",
            planned_date=dt.date(2024, 3, 1),
            actual_date=None,
        )
    project_a.actual_start = None
    project_a.planned_start = dt.date(2024, 4, 10)
    project_a.save()
    settled(empty_cache=True)
    return project_a.programme


@pytest.fixture
def computed(monkeypatch):
    return count_calls(monkeypatch, node_selectors, "report_sections")


def panel(user, programme):
    return report_sections(page_request(user), programme=programme, period_end=Q1_END)


def test_read_again_with_no_write_between_the_lists_are_not_computed_again(
    lists, manager, computed
):
    first = panel(manager, lists)
    again = panel(manager, lists)
    assert len(computed) == 1
    assert again["nodes"] == first["nodes"] and again["nodes"].late == 2
    assert [s.project.code for s in again["starts"]] == ["PA001"]
    assert again["starts"][0].project.unit == first["starts"][0].project.unit != ""


def test_a_node_saved_after_a_read_is_counted_at_the_next(lists, manager, project_b, computed):
    assert panel(manager, lists)["nodes"].late == 2
    services.save_milestone(
        actor=manager,
        project=project_b,
        name="开工许可",
        planned_date=dt.date(2024, 3, 15),
        actual_date=None,
    )
    # In the writing transaction, and after its commit: the new count, never the kept one.
    assert panel(manager, lists)["nodes"].late == 3
    settle()
    assert panel(manager, lists)["nodes"].late == 3


def test_an_approval_granted_after_a_read_shows_at_the_next(lists, manager, project_a):
    starts = panel(manager, lists)["starts"]
    assert len(starts) == 1
    missing = len(starts[0].missing)
    services.save_approval(
        actor=manager,
        project=project_a,
        kind=Approval.Kind.choices[0][0],
        status=Approval.Status.DONE,
        date=dt.date(2024, 3, 1),
    )
    settle()
    assert len(panel(manager, lists)["starts"][0].missing) == missing - 1


def test_each_readers_reach_is_its_own_entry(lists, manager, staff_a, computed):
    assert panel(manager, lists)["nodes"].late == 2
    assert panel(staff_a, lists)["nodes"].late == 1
    assert panel(manager, lists)["nodes"].late == 2
    assert panel(staff_a, lists)["nodes"].late == 1
    assert len(computed) == 2


def test_the_lists_are_kept_drawn_and_redrawn_with_a_write(lists, manager, project_b, computed):
    """The panel's HTML is kept with its lists: read again it is the same, drawn once; a
    node saved draws it afresh with the new count."""
    first = panel(manager, lists)
    assert panel(manager, lists)["html"] == first["html"] and len(computed) == 1
    assert "<strong>2</strong>" in first["html"] and "PA001" in first["html"]
    services.save_milestone(
        actor=manager, project=project_b, name="开工许可", planned_date=dt.date(2024, 3, 15),
        actual_date=None,
    )  # fmt: skip
    settle()
    assert "<strong>3</strong>" in panel(manager, lists)["html"]


def test_each_readers_lists_are_of_their_reach_though_their_statements_are_built_once(
    lists, manager, staff_a, staff_b
):
    """The lists' statements are built once per shape (``compiled.rows_of``); the reader's
    reach is part of it, so one unit's clerk never gets another's projects."""
    for _ in range(2):  # the second time from the statements built the first
        assert [s.project.code for s in panel(manager, lists)["starts"]] == ["PA001"]
        assert [s.project.code for s in panel(staff_a, lists)["starts"]] == ["PA001"]
        assert panel(staff_b, lists)["starts"] == []
        settled(empty_cache=True)  # computed again: the built statements, not the cache
