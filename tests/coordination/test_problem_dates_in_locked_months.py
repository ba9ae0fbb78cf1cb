"""A problem's dates in a locked month are that month's record: raised, due or closed then.

Q1 2024 is locked and today is 2024-07-10 in every test. Moving a problem's date
into, out of or across a locked month is refused to unit staff and needs a
manager's reason, which the history keeps; dates in open months need none.
"""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from projects.coordination import services
from projects.coordination.models import Department, Problem
from projects.models import PeriodLock

pytestmark = pytest.mark.django_db
REFUSED_TO_STAFF = "2024年02月已上报并锁定；如需修改请联系管理员。"


@pytest.fixture(autouse=True)
def _summer_2024_with_q1_locked(db):
    for month in (1, 2, 3):
        PeriodLock.objects.create(year=2024, month=month)
    with time_machine.travel(dt.datetime(2024, 7, 10, 9, 0), tick=False):
        yield


@pytest.fixture
def department(db):
    return Department.objects.create(code="ZRZY", name="区自然资源局")


@pytest.fixture
def open_problem(manager, project_a):
    """Raised in December, before the locked quarter, so open all through it."""
    return services.raise_problem(
        actor=manager,
        project=project_a,
        description="土地尚未摘牌",
        kind="land",
        raised_on=dt.date(2023, 12, 5),
        reason="补录",
    )


@pytest.fixture
def closed_in_march(manager, open_problem):
    return services.resolve_problem(
        actor=manager,
        problem=open_problem,
        resolution="已摘牌",
        resolved_on=dt.date(2024, 3, 20),
        reason="补录销号",
    )


def test_unit_staff_cannot_raise_a_problem_dated_in_a_locked_month(staff_a, project_a):
    with pytest.raises(ValidationError) as refusal:
        services.raise_problem(
            actor=staff_a,
            project=project_a,
            description="资金未到位",
            kind="funding",
            raised_on=dt.date(2024, 2, 10),
        )
    assert refusal.value.messages == [REFUSED_TO_STAFF]
    assert not Problem.objects.exists()


def test_a_problem_raised_today_needs_no_reason(staff_a, project_a):
    problem = services.raise_problem(
        actor=staff_a, project=project_a, description="资金未到位", kind="funding"
    )
    assert problem.raised_on == dt.date(2024, 7, 10)


def test_closing_a_problem_back_in_a_locked_month_needs_a_managers_reason(manager, open_problem):
    with pytest.raises(ValidationError) as refusal:
        services.resolve_problem(
            actor=manager,
            problem=open_problem,
            resolution="已摘牌",
            resolved_on=dt.date(2024, 3, 20),
        )
    assert refusal.value.code == "locked_needs_reason"
    assert refusal.value.messages == ["2024年03月已锁定；修改须填写原因。"]
    assert Problem.objects.get().status == Problem.Status.PENDING

    services.resolve_problem(
        actor=manager,
        problem=open_problem,
        resolution="已摘牌",
        resolved_on=dt.date(2024, 3, 20),
        reason="补录销号",
    )
    problem = Problem.objects.get()
    assert problem.resolved_on == dt.date(2024, 3, 20)
    assert problem.history.latest().history_change_reason == "补录销号"


def test_closing_a_problem_today_needs_no_reason(manager, open_problem):
    services.resolve_problem(actor=manager, problem=open_problem, resolution="已摘牌")
    assert Problem.objects.get().resolved_on == dt.date(2024, 7, 10)


def test_reopening_a_problem_closed_in_a_locked_month_needs_a_reason(manager, closed_in_march):
    with pytest.raises(ValidationError) as refusal:
        services.reopen_problem(actor=manager, problem=closed_in_march, comment="问题反复")
    assert refusal.value.code == "locked_needs_reason"
    assert Problem.objects.get().status == Problem.Status.RESOLVED

    services.reopen_problem(
        actor=manager, problem=closed_in_march, comment="问题反复", reason="一季度销号有误"
    )
    problem = Problem.objects.get()
    assert (problem.status, problem.resolved_on) == (Problem.Status.PENDING, None)
    assert problem.history.latest().history_change_reason == "一季度销号有误"


def test_moving_a_deadline_out_of_a_locked_month_needs_a_reason(manager, open_problem, department):
    services.assign_problem(
        actor=manager,
        problem=open_problem,
        department=department,
        deadline=dt.date(2024, 2, 28),
        reason="补录交办",
    )
    with pytest.raises(ValidationError) as refusal:
        services.assign_problem(
            actor=manager,
            problem=open_problem,
            department=department,
            deadline=dt.date(2024, 9, 30),
        )
    assert refusal.value.messages == ["2024年02月已锁定；修改须填写原因。"]
    assert Problem.objects.get().deadline == dt.date(2024, 2, 28)

    services.assign_problem(
        actor=manager,
        problem=open_problem,
        department=department,
        deadline=dt.date(2024, 9, 30),
        reason="延期办理",
    )
    assert Problem.objects.get().deadline == dt.date(2024, 9, 30)


def test_a_deadline_in_open_months_needs_no_reason(manager, open_problem, department):
    services.assign_problem(
        actor=manager, problem=open_problem, department=department, deadline=dt.date(2024, 8, 1)
    )
    services.assign_problem(
        actor=manager, problem=open_problem, department=department, deadline=dt.date(2024, 9, 1)
    )
    assert Problem.objects.get().deadline == dt.date(2024, 9, 1)


# ---------------------------------------------------------------- the problem page


def test_problem_page_asks_a_manager_for_the_reason_and_keeps_it(client, manager, open_problem):
    client.force_login(manager)
    url = reverse("problem_detail", kwargs={"pk": open_problem.pk})
    data = {
        "action": "resolve",
        "version": open_problem.version,
        "resolution": "已摘牌",
        "resolved_on": "2024-03-20",
    }
    refused = client.post(url, data)
    assert refused.status_code == 200
    assert "2024年03月已锁定；修改须填写原因。" in refused.content.decode()
    assert Problem.objects.get().status == Problem.Status.PENDING

    assert client.post(url, {**data, "reason": "补录销号"}).status_code == 302
    problem = Problem.objects.get()
    assert problem.resolved_on == dt.date(2024, 3, 20)
    assert problem.history.latest().history_change_reason == "补录销号"


def test_problem_page_reopen_of_a_problem_closed_in_a_locked_month_needs_the_reason(
    client, manager, closed_in_march
):
    client.force_login(manager)
    url = reverse("problem_detail", kwargs={"pk": closed_in_march.pk})
    data = {"action": "reopen", "version": closed_in_march.version, "comment": "问题反复"}
    assert client.post(url, data).status_code == 200
    assert Problem.objects.get().status == Problem.Status.RESOLVED
    assert client.post(url, {**data, "reason": "一季度销号有误"}).status_code == 302
    assert Problem.objects.get().status == Problem.Status.PENDING


# ---------------------------------------------------------------- the admin


def test_the_admin_neither_changes_nor_deletes_problems(client, manager, closed_in_march):
    client.force_login(manager)
    delete = reverse("admin:coordination_problem_delete", args=[closed_in_march.pk])
    change = reverse("admin:coordination_problem_change", args=[closed_in_march.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert client.post(change, {"resolved_on": "2024-05-01"}).status_code == 403
    assert Problem.objects.get().resolved_on == dt.date(2024, 3, 20)
