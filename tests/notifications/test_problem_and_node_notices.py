"""Problems assigned and escalated, and problems and nodes near their dates, reach the unit."""

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from projects.coordination import services as problems
from projects.coordination.models import Department
from projects.desk.deadlines import remind_deadlines
from projects.milestones import services as nodes
from projects.models import DispatchSettings
from projects.notifications import services
from projects.notifications.models import Delivery, Event, Notice
from tests.dispatch_cast import *  # noqa: F403

pytestmark = pytest.mark.django_db


@pytest.fixture
def department(db):
    return Department.objects.create(code="GD", name="城阳供电中心")


@pytest.fixture
def today():
    return timezone.localdate()


def _raise(actor, project, kind="utilities"):
    return problems.raise_problem(
        actor=actor, project=project, description="电力接入滞后", kind=kind
    )


def _assigned(manager, project, department, deadline, kind="utilities"):
    problem = _raise(manager, project, kind)
    return problems.assign_problem(
        actor=manager, problem=problem, department=department, deadline=deadline
    )


# --- assigned and escalated -------------------------------------------------------------


def test_an_assigned_problem_tells_the_unit_and_its_robot(
    manager, staff_a, project_a, department, today, dingtalk, fake_robot,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    problem = _raise(staff_a, project_a)
    deadline = today + dt.timedelta(days=20)
    with django_capture_on_commit_callbacks(execute=True):
        problems.assign_problem(
            actor=manager, problem=problem, department=department, deadline=deadline
        )

    notice = Notice.objects.get(user=staff_a)
    assert notice.event == Event.PROBLEM_ASSIGNED and notice.by == manager
    assert notice.link == reverse("problem_detail", args=[problem.pk])
    assert f"已交办城阳供电中心，限 {deadline.isoformat()} 前办结。" in notice.text
    services.send_due()
    (request,) = fake_robot.received
    assert "已交办城阳供电中心" in request["body"]["text"]["content"]


def test_a_refused_assignment_tells_nobody(
    manager, staff_a, project_a, department, today, django_capture_on_commit_callbacks
):
    problem = _raise(staff_a, project_a)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        problems.assign_problem(
            actor=manager,
            problem=problem,
            department=department,
            deadline=today - dt.timedelta(days=1),
        )
    assert not Notice.objects.exists()


def test_an_escalated_problem_tells_the_unit_the_raiser_and_the_districts_group(
    manager, staff_a, staff_b, project_a, department, today, dingtalk, wecom, fake_robot,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    problem = _assigned(manager, project_a, department, today + dt.timedelta(days=20))
    problem.raised_by = staff_b  # raised from another account: that person hears too
    problem.save()
    with django_capture_on_commit_callbacks(execute=True):
        problems.escalate_problem(
            actor=manager, problem=problem, comment="供电线路需跨街道协调", leader="王副区长"
        )

    texts = dict(Notice.objects.filter(event=Event.PROBLEM_ESCALATED).values_list("user", "text"))
    assert set(texts) == {staff_a.pk, staff_b.pk}
    assert "已提级，由王副区长协调。原因：供电线路需跨街道协调" in texts[staff_a.pk]
    services.send_due()
    assert sorted(r["path"] for r in fake_robot.received) == [
        "/cgi-bin/webhook/send",
        "/robot/send",
    ]


# --- near their dates ---------------------------------------------------------------------


def test_a_problem_near_its_deadline_is_told_once_to_the_unit_and_its_robot(
    manager, staff_a, project_a, department, today, dingtalk, fake_robot
):
    settings = DispatchSettings.current()
    settings.due_soon_days = 5
    settings.save()
    near = _assigned(manager, project_a, department, today + dt.timedelta(days=3))
    _assigned(manager, project_a, department, today + dt.timedelta(days=12), kind="land")

    assert remind_deadlines(today).problems == 1
    notice = Notice.objects.get(user=staff_a)
    assert notice.event == Event.PROBLEM_DUE and notice.by is None
    assert notice.link == reverse("problem_detail", args=[near.pk])
    due = (today + dt.timedelta(days=3)).isoformat()
    assert f"由城阳供电中心办理，将于 {due}（还有 3 天）到期，请及时跟进。" in notice.text
    # The manager raised it, so hears too.
    assert Notice.objects.filter(user=manager, event=Event.PROBLEM_DUE).exists()

    # Again today, and the next day: nothing new.
    assert remind_deadlines(today).problems == 0
    assert remind_deadlines(today + dt.timedelta(days=1)).problems == 0
    assert Notice.objects.filter(event=Event.PROBLEM_DUE).count() == 2
    (delivery,) = services.send_due()
    assert delivery.status == Delivery.Status.SENT and len(fake_robot.received) == 1


def test_a_problem_whose_deadline_moves_is_told_of_the_new_date(
    manager, staff_a, project_a, department, today
):
    problem = _assigned(manager, project_a, department, today + dt.timedelta(days=2))
    remind_deadlines(today)
    problems.assign_problem(actor=manager, problem=problem, department=department, deadline=today)
    assert remind_deadlines(today).problems == 1
    assert "在今天" in Notice.objects.filter(user=staff_a).first().text


def test_a_closed_problem_is_not_reminded(manager, project_a, department, today):
    problem = _assigned(manager, project_a, department, today + dt.timedelta(days=1))
    problems.resolve_problem(actor=manager, problem=problem, resolution="已通电")
    assert remind_deadlines(today).problems == 0


def test_a_node_near_its_date_is_told_once_to_its_responsible_unit(
    manager, staff_a, staff_b, unit_b, project_a, today, fake_robot
):
    from projects.notifications.models import Robot

    Robot.objects.create(
        name="乙单位企业微信群",
        kind=Robot.Kind.WECOM,
        unit=unit_b,
        url=f"{fake_robot.base}/cgi-bin/webhook/send?key=b",
    )
    planned = today + dt.timedelta(days=5)
    # The node names its own responsible unit (乙), not the project's (甲).
    nodes.save_milestone(
        actor=manager,
        project=project_a,
        name="施工许可",
        planned_date=planned,
        actual_date=None,
        unit=unit_b,
    )
    nodes.save_milestone(
        actor=manager,
        project=project_a,
        name="竣工验收",
        planned_date=today + dt.timedelta(days=60),
        actual_date=None,
    )

    assert remind_deadlines(today).nodes == 1
    notice = Notice.objects.get()
    assert notice.user == staff_b and notice.event == Event.NODE_DUE
    assert notice.link == reverse("project_plan", args=[project_a.code])
    assert f"节点“施工许可”计划于 {planned.isoformat()}（还有 5 天）完成，请抓紧推进。" in (
        notice.text
    )
    assert remind_deadlines(today).nodes == 0
    services.send_due()
    (request,) = fake_robot.received
    assert request["query"] == {"key": "b"} and "施工许可" in request["body"]["text"]["content"]


def test_the_command_reports_what_it_sent_and_refuses_a_bad_date(
    manager, project_a, department, today
):
    _assigned(manager, project_a, department, today + dt.timedelta(days=1))
    out = io.StringIO()
    call_command("remind_deadlines", "--date", today.isoformat(), stdout=out)
    assert "问题 1 个，节点 0 个" in out.getvalue()
    out = io.StringIO()
    call_command("remind_deadlines", "--date", today.isoformat(), stdout=out)
    assert "问题 0 个" in out.getvalue()
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("remind_deadlines", "--date", "2024-13-01")
