"""Plan-change decisions reach the clerk, and requests are on the to-do list."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import timezone

from projects.desk.todo import todo
from projects.models import QuarterPlan
from projects.notifications.models import Event, Notice
from projects.services.plans import refuse_plan_change, request_plan_change
from tests.factories import ProjectFactory, QuarterPlanFactory

pytestmark = pytest.mark.django_db
DAY = dt.date(2024, 4, 15)


@pytest.fixture
def asked(staff_a, unit_a):
    project = ProjectFactory(code="CY-REQ", unit=unit_a, programme__year=2024)
    QuarterPlanFactory(project=project, year=2024, investment_q1=D("162.20"))
    plan = QuarterPlan.objects.get(project=project)
    investment = [getattr(plan, f"investment_q{q}") for q in (1, 2, 3, 4)]
    investment[0] = D("50")
    inclusion = [getattr(plan, f"inclusion_q{q}") for q in (1, 2, 3, 4)]
    return request_plan_change(
        actor=staff_a,
        project=project,
        year=2024,
        investment=investment,
        inclusion=inclusion,
        reason="拆迁推迟",
    )


def test_a_refused_request_reaches_the_clerk_with_the_managers_reason(
    manager, staff_a, asked, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        refuse_plan_change(actor=manager, request=asked, note="请按季度重新测算")
    notice = Notice.objects.get(user=staff_a)
    assert notice.event == Event.PLAN_DECIDED
    assert (
        "CY-REQ" in notice.text and "未获批准" in notice.text and "请按季度重新测算" in notice.text
    )
    assert notice.link == reverse("plan_request", args=[asked.pk])


def test_requests_are_on_the_clerks_and_the_managers_to_do_lists(manager, staff_a, asked):
    clerk_items = [i.link for i in todo(staff_a, DAY)["todo"]]
    assert reverse("plan_request", args=[asked.pk]) in clerk_items
    (item,) = todo(manager, DAY)["todo"]
    assert item.link == reverse("plan_requests") and "1 个计划调整申请待审批" in item.text


@pytest.mark.parametrize(
    ("decided", "shown"),
    [
        # From the start of the day fourteen days back: 1 April 00:00 for 15 April.
        (dt.datetime(2024, 4, 1, 0, 0), True),
        (dt.datetime(2024, 3, 31, 23, 59), False),
    ],
)
def test_a_decided_request_stays_on_the_clerks_list_for_a_fortnight(
    manager, staff_a, asked, decided, shown
):
    refuse_plan_change(actor=manager, request=asked, note="请重新测算")
    type(asked).objects.filter(pk=asked.pk).update(decided_at=timezone.make_aware(decided))
    links = [i.link for i in todo(staff_a, DAY)["todo"]]
    assert (reverse("plan_request", args=[asked.pk]) in links) is shown
