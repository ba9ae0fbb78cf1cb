"""重排后续节点: after a node done late or overdue, the following nodes move from its actual date
(or today), each keeping its time limit; previewed, with a reason, under the lock rule.

Today is 2024-07-10. The set: 开工 on the planned start (06-01); then in parallel 主体封顶
30 days and 幕墙安装 20 days after it (07-01, 06-21); 竣工验收 60 days after the later of
them (07-01 + 60 = 08-30).
"""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from projects.milestones import planning, services
from projects.milestones.forms import pin_versions
from projects.milestones.models import Anchor, Milestone, NodeTemplate, TemplateSet
from projects.models import PeriodLock, Project
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date(2024, 7, 10)
D = dt.date


@pytest.fixture(autouse=True)
def _july_2024():
    with time_machine.travel(dt.datetime(2024, 7, 10, 9, 0), tick=False):
        yield


def _apply(manager, project, start_offset=0):
    template_set = TemplateSet.objects.create(
        name="施工建设", kind="new", anchor=Anchor.PLANNED_START, offset_days=start_offset
    )
    for name, step, after in (("开工", 10, 0), ("主体封顶", 20, 30), ("幕墙安装", 20, 20)):
        NodeTemplate.objects.create(
            template_set=template_set, name=name, sort_order=step, after_days=after
        )
    NodeTemplate.objects.create(
        template_set=template_set, name="竣工验收", sort_order=30, after_days=60
    )
    services.apply_template_sets(
        actor=manager, projects=Project.objects.filter(pk=project.pk), template_sets=[template_set]
    )
    return {n.name: n for n in Milestone.objects.filter(project=project)}


@pytest.fixture
def project(unit_a):
    return ProjectFactory(code="RP001", unit=unit_a, planned_start=D(2024, 6, 1), actual_start=None)


@pytest.fixture
def nodes(manager, project):
    return _apply(manager, project)


def _done(actor, node, day):
    return services.save_milestone(
        actor=actor,
        project=node.project,
        name=node.name,
        planned_date=node.planned_date,
        actual_date=day,
    )


def _preview(node):
    return planning.replan(list(Milestone.objects.filter(project=node.project)), node, TODAY)


def _dates(project):
    return {n.name: n.planned_date for n in Milestone.objects.filter(project=project)}


def test_a_start_done_ten_days_late_moves_the_group_and_the_step_after_it(staff_a, nodes):
    start = _done(staff_a, nodes["开工"], D(2024, 6, 11))
    # From 06-11: 主体封顶 + 30 = 07-11, 幕墙安装 + 20 = 07-01; the group ends 07-11,
    # so 竣工验收 + 60 = 09-09.
    moves = _preview(start)
    assert [(m.node.name, m.old, m.new) for m in moves] == [
        ("幕墙安装", D(2024, 6, 21), D(2024, 7, 1)),
        ("主体封顶", D(2024, 7, 1), D(2024, 7, 11)),
        ("竣工验收", D(2024, 8, 30), D(2024, 9, 9)),
    ]
    services.replan_following(
        actor=staff_a,
        milestone=start,
        reason="开工延后10天",
        versions={m.node.pk: m.node.version for m in moves},
        today=TODAY,
    )
    assert _dates(start.project) == {
        "开工": D(2024, 6, 1),
        "主体封顶": D(2024, 7, 11),
        "幕墙安装": D(2024, 7, 1),
        "竣工验收": D(2024, 9, 9),
    }
    moved = Milestone.objects.get(name="竣工验收")
    assert moved.history.latest().history_change_reason == "开工延后10天"
    assert moved.history.latest().history_user == staff_a


def test_an_overdue_node_counts_its_followers_from_today(staff_a, nodes):
    _done(staff_a, nodes["开工"], D(2024, 6, 1))
    _done(staff_a, nodes["幕墙安装"], D(2024, 6, 20))
    # 主体封顶 was due 07-01 and is not done: its group ends today (07-10) at the earliest,
    # so 竣工验收 is due 07-10 + 60 = 09-08; the done 幕墙安装 stays as it is.
    moves = _preview(Milestone.objects.get(name="主体封顶"))
    assert [(m.node.name, m.new) for m in moves] == [("竣工验收", D(2024, 9, 8))]


def test_a_follower_dated_from_an_anchor_keeps_its_gap_from_the_step_before():
    # Old plan: step 1 ends 03-01, the follower (no limit of its own) was due 03-21, 20 days on.
    # Step 1 done 03-11 instead: the follower moves to 03-31.
    first = _n(1, 10, D(2024, 3, 1), actual=D(2024, 3, 11))
    follower = _n(2, 20, D(2024, 3, 21))
    (move,) = planning.replan([first, follower], first, TODAY)
    assert (move.old, move.new) == (D(2024, 3, 21), D(2024, 3, 31))


def _n(pk, step, planned, actual=None):
    node = Milestone(pk=pk, planned_date=planned, actual_date=actual, step=step)
    node.template_set_id = 1
    return node


def test_a_node_on_time_moves_nothing_and_is_refused(staff_a, nodes):
    on_time = _done(staff_a, nodes["开工"], D(2024, 6, 1))
    with pytest.raises(ValidationError, match="逾期"):
        services.replan_following(
            actor=staff_a, milestone=on_time, reason="试试", versions={}, today=TODAY
        )


def test_re_planning_needs_a_reason_and_changes_nothing_without_one(staff_a, nodes):
    start = _done(staff_a, nodes["开工"], D(2024, 6, 11))
    with pytest.raises(ValidationError, match="原因"):
        services.replan_following(
            actor=staff_a, milestone=start, reason=" ", versions={}, today=TODAY
        )
    assert _dates(start.project)["竣工验收"] == D(2024, 8, 30)


def test_a_node_saved_after_the_preview_refuses_the_whole_re_plan(staff_a, nodes):
    start = _done(staff_a, nodes["开工"], D(2024, 6, 11))
    pinned = {m.node.pk: m.node.version for m in _preview(start)}
    node = Milestone.objects.get(name="幕墙安装")
    _done(staff_a, node, None)  # saved meanwhile: its version moved on
    with pytest.raises(ValidationError, match="预览"):
        services.replan_following(
            actor=staff_a, milestone=start, reason="开工延后", versions=pinned, today=TODAY
        )
    assert _dates(start.project)["主体封顶"] == D(2024, 7, 1)


def test_another_units_staff_cannot_re_plan(staff_b, staff_a, nodes):
    start = _done(staff_a, nodes["开工"], D(2024, 6, 11))
    with pytest.raises(PermissionDenied):
        services.replan_following(
            actor=staff_b, milestone=start, reason="越权", versions={}, today=TODAY
        )


# ---------------------------------------------------------------- locked months


@pytest.fixture
def march_nodes(manager, unit_a):
    # Planned start 03-01 with a 0-day start: 开工 03-01, 主体封顶 03-31, 幕墙安装 03-21,
    # 竣工验收 05-30. 开工 done 03-05 moves 主体封顶 to 04-04 and 幕墙安装 to 03-25.
    project = ProjectFactory(code="RP002", unit=unit_a, planned_start=D(2024, 3, 1))
    nodes = _apply(manager, project)
    start = _done(manager, nodes["开工"], D(2024, 3, 5))
    for month in (1, 2, 3):
        PeriodLock.objects.create(year=2024, month=month)
    return start


def test_unit_staff_cannot_move_nodes_in_a_locked_month(staff_a, march_nodes):
    pinned = {m.node.pk: m.node.version for m in _preview(march_nodes)}
    with pytest.raises(ValidationError) as refused:
        services.replan_following(
            actor=staff_a, milestone=march_nodes, reason="开工延后", versions=pinned, today=TODAY
        )
    assert refused.value.messages == ["2024年03月已上报并锁定；如需修改请联系管理员。"]
    assert _dates(march_nodes.project)["主体封顶"] == D(2024, 3, 31)


def test_a_manager_moves_nodes_in_a_locked_month_with_the_reason_kept(manager, march_nodes):
    pinned = {m.node.pk: m.node.version for m in _preview(march_nodes)}
    services.replan_following(
        actor=manager, milestone=march_nodes, reason="开工延后4天", versions=pinned, today=TODAY
    )
    moved = Milestone.objects.get(project=march_nodes.project, name="幕墙安装")
    assert moved.planned_date == D(2024, 3, 25)
    assert moved.history.latest().history_change_reason == "开工延后4天"


# ---------------------------------------------------------------- the page


def test_the_page_previews_old_and_new_dates_then_moves_them_with_the_reason(
    staff_a, staff_a_client, nodes
):
    start = _done(staff_a, nodes["开工"], D(2024, 6, 11))
    url = reverse("replan_nodes", args=[start.project.code, start.pk])
    page = staff_a_client.get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert "2024-08-30" in html and "2024-09-09" in html
    versions = pin_versions(page.context["moves"])
    without_reason = staff_a_client.post(url, {"versions": versions, "reason": ""})
    assert without_reason.status_code == 400
    assert _dates(start.project)["竣工验收"] == D(2024, 8, 30)
    done = staff_a_client.post(url, {"versions": versions, "reason": "开工延后10天"})
    assert done.status_code == 302
    assert _dates(start.project)["竣工验收"] == D(2024, 9, 9)


def test_a_damaged_preview_is_a_message_not_an_error(staff_a, staff_a_client, nodes):
    start = _done(staff_a, nodes["开工"], D(2024, 6, 11))
    url = reverse("replan_nodes", args=[start.project.code, start.pk])
    response = staff_a_client.post(url, {"versions": "x:1,2", "reason": "开工延后"})
    assert response.status_code == 400 and "预览已损坏" in response.content.decode()


def test_another_units_project_and_a_node_of_another_project_are_404(
    staff_a, staff_b_client, staff_a_client, nodes, unit_b
):
    start = _done(staff_a, nodes["开工"], D(2024, 6, 11))
    url = reverse("replan_nodes", args=[start.project.code, start.pk])
    assert staff_b_client.get(url).status_code == 404
    assert staff_b_client.post(url, {"reason": "越权"}).status_code == 404
    other = ProjectFactory(code="RP009", unit=unit_b)
    elsewhere = reverse("replan_nodes", args=[other.code, start.pk])
    assert staff_b_client.get(elsewhere).status_code == 404
    assert staff_a_client.get(reverse("replan_nodes", args=["RP001", 999999])).status_code == 404
