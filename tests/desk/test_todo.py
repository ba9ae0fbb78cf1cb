"""Each person's to-do list on their landing page: their own units' work, most urgent first."""

import datetime as dt

import pytest
from django.urls import reverse

from projects.coordination import services as problems
from projects.coordination.models import Department
from projects.desk import todo as todo_module
from projects.desk.todo import SOON, URGENT, todo
from projects.milestones import services as nodes
from projects.models import MonthSubmission
from projects.notifications import services as notifications
from projects.notifications.models import Event
from tests.reporting import count_calls

pytestmark = pytest.mark.django_db
DAY = dt.date(2024, 4, 15)


@pytest.fixture
def work(manager, unit_a, unit_b, project_a, project_b):
    """Unit A: March returned, a problem overdue, a node late. Unit B: the same kind of work."""
    MonthSubmission.objects.create(
        unit=unit_a,
        year=2024,
        month=3,
        status=MonthSubmission.Status.RETURNED,
        comment="3月纳统填错",
    )
    department = Department.objects.create(code="GD", name="城阳供电中心")
    for project, text in [(project_a, "电力接入滞后"), (project_b, "乙的问题")]:
        problem = problems.raise_problem(
            actor=manager,
            project=project,
            description=text,
            kind="utilities",
            raised_on=dt.date(2024, 4, 1),
        )
        problems.assign_problem(
            actor=manager, problem=problem, department=department, deadline=dt.date(2024, 4, 10)
        )
    nodes.save_milestone(
        actor=manager,
        project=project_a,
        name="施工许可",
        planned_date=dt.date(2024, 4, 5),
        actual_date=None,
    )


def test_a_clerk_sees_the_returned_month_first_with_the_managers_comment(staff_a, work):
    items = todo(staff_a, DAY)["todo"]
    first = items[0]
    assert first.urgency == URGENT and "3月纳统填错" in first.text and "2024-03" in first.text
    assert first.link == f"{reverse('entry')}?year=2024&month=3&unit={staff_a.units.get().pk}"
    texts = " ".join(item.text for item in items)
    assert "电力接入滞后" in texts and "施工许可" in texts
    assert "乙的问题" not in texts
    assert [i.urgency for i in items] == sorted(
        (i.urgency for i in items), key=[URGENT, SOON, "info"].index
    )


def test_a_manager_sees_the_months_waiting_for_review(manager, unit_a, unit_b):
    for unit in (unit_a, unit_b):
        MonthSubmission.objects.create(
            unit=unit, year=2024, month=3, status=MonthSubmission.Status.SUBMITTED
        )
    (item,) = todo(manager, DAY)["todo"]
    assert item.text == "2024-03：2 个单位待审核。"
    assert item.link == reverse("status_page", args=[2024, 3])


def test_unread_notices_are_on_the_list(staff_b, manager):
    notifications.notify(actor=manager, event=Event.APPROVED, text="x", users=[staff_b])
    (item,) = todo(staff_b, DAY)["todo"]
    assert item.link == reverse("notice_list") and "1" in item.text


def test_the_entry_page_shows_the_clerks_to_do_list(staff_a_client, work):
    page = staff_a_client.get(reverse("entry")).content.decode()
    assert 'class="todo"' in page and "3月纳统填错" in page


def test_of_many_late_nodes_the_list_makes_only_the_sentences_it_shows(
    staff_a, work, manager, project_a, monkeypatch
):
    for n in range(30):
        nodes.save_milestone(
            actor=manager,
            project=project_a,
            name=f"节点{n:02d}",
            planned_date=dt.date(2024, 3, 1) + dt.timedelta(days=n),
            actual_date=None,
        )
    made = count_calls(monkeypatch, todo_module, "_late_node")
    found = todo(staff_a, DAY)
    # The urgent items first; then late nodes, up to the limit: 31 counted, a few written.
    shown = found["todo"]
    node_link = reverse("project_plan", args=[project_a.code])
    nodes_shown = [item for item in shown if item.link == node_link]
    assert len(shown) == todo_module.SHOWN and found["todo_total"] >= 31 + len(shown) - len(
        nodes_shown
    )
    assert 0 < len(nodes_shown) < 31
    assert len(made) == len(nodes_shown)
    assert all(isinstance(item, todo_module.TodoItem) for item in shown)
