"""A locked quarter's nodes stay as reported: the lock rule through the node doors.

Q1 2024 is locked and today is 2024-07-10 in every test. A node's dates moved into,
out of or across a locked month change the 节点滞后 count a report read at that
month's end: unit staff are refused with the month named, a manager needs a reason,
which the history keeps. A node cannot be done in the future, whatever the door.
"""

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from projects.milestones import selectors, services
from projects.milestones.imports import import_nodes
from projects.milestones.models import Anchor, Milestone, NodeTemplate, TemplateSet
from projects.models import PeriodLock, Project
from tests.factories import ProjectFactory
from tests.milestones.test_node_import import _csv

pytestmark = pytest.mark.django_db
END_OF_Q1 = dt.date(2024, 3, 31)
REFUSED_TO_STAFF = "2024年03月已上报并锁定；如需修改请联系管理员。"


@pytest.fixture(autouse=True)
def _summer_2024_with_q1_locked(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # the admin import keeps its upload there
    for month in (1, 2, 3):
        PeriodLock.objects.create(year=2024, month=month)
    with time_machine.travel(dt.datetime(2024, 7, 10, 9, 0), tick=False):
        yield


def late_at_end_of_q1() -> int:
    return selectors.node_counts(Project.objects.all(), END_OF_Q1, 15).late


@pytest.fixture
def done_in_march(manager, project_a):
    """A node planned in February and done in March: on time at the end of Q1."""
    return services.save_milestone(
        actor=manager,
        project=project_a,
        name="开工",
        planned_date=dt.date(2024, 2, 1),
        actual_date=dt.date(2024, 3, 10),
        reason="建账",
    )


def _move_done_to_april(actor, node, reason=""):
    return services.save_milestone(
        actor=actor,
        project=node.project,
        name=node.name,
        planned_date=node.planned_date,
        actual_date=dt.date(2024, 4, 5),
        reason=reason,
    )


# ---------------------------------------------------------------- the service (every door's rule)


def test_unit_staff_cannot_move_a_done_date_out_of_a_locked_quarter(staff_a, done_in_march):
    before = late_at_end_of_q1()
    with pytest.raises(ValidationError) as refusal:
        _move_done_to_april(staff_a, done_in_march)
    assert refusal.value.code == "locked"
    assert refusal.value.messages == [REFUSED_TO_STAFF]
    assert Milestone.objects.get().actual_date == dt.date(2024, 3, 10)
    assert late_at_end_of_q1() == before


def test_a_manager_moves_a_done_date_out_of_a_locked_quarter_only_with_a_reason(
    manager, done_in_march
):
    with pytest.raises(ValidationError) as refusal:
        _move_done_to_april(manager, done_in_march)
    assert refusal.value.code == "locked_needs_reason"
    assert "2024年03月已锁定" in refusal.value.messages[0]
    assert late_at_end_of_q1() == 0

    _move_done_to_april(manager, done_in_march, reason="竣工资料更正")
    node = Milestone.objects.get()
    assert node.actual_date == dt.date(2024, 4, 5)
    assert node.history.latest().history_change_reason == "竣工资料更正"
    assert node.history.latest().history_user == manager
    assert late_at_end_of_q1() == 1  # what the reason was asked for


def test_a_planned_date_moved_across_a_locked_quarter_is_refused_to_unit_staff(
    staff_a, project_a, manager
):
    # Planned in December 2023 and not done: late at the end of Q1; planned in May, it is not.
    services.save_milestone(
        actor=manager,
        project=project_a,
        name="施工许可",
        planned_date=dt.date(2023, 12, 1),
        actual_date=None,
        reason="建账",
    )
    with pytest.raises(ValidationError) as refusal:
        services.save_milestone(
            actor=staff_a,
            project=project_a,
            name="施工许可",
            planned_date=dt.date(2024, 5, 1),
            actual_date=None,
        )
    assert refusal.value.code == "locked"
    assert "2024年01月" in refusal.value.messages[0]
    assert late_at_end_of_q1() == 1


def test_dates_in_open_months_need_no_reason(staff_a, project_a, manager):
    late = services.save_milestone(
        actor=manager,
        project=project_a,
        name="主体封顶",
        planned_date=dt.date(2024, 2, 1),
        actual_date=None,
        reason="建账",
    )
    # Done today: it was still open at the end of Q1 either way.
    services.save_milestone(
        actor=staff_a,
        project=project_a,
        name=late.name,
        planned_date=late.planned_date,
        actual_date=dt.date(2024, 7, 10),
    )
    services.save_milestone(
        actor=staff_a,
        project=project_a,
        name="竣工",
        planned_date=dt.date(2024, 9, 1),
        actual_date=None,
    )
    services.save_milestone(
        actor=staff_a,
        project=project_a,
        name="竣工",
        planned_date=dt.date(2024, 10, 1),
        actual_date=None,
    )
    assert Milestone.objects.get(name="主体封顶").actual_date == dt.date(2024, 7, 10)
    assert Milestone.objects.get(name="竣工").planned_date == dt.date(2024, 10, 1)
    assert late_at_end_of_q1() == 1


def test_unit_staff_cannot_add_or_remove_a_node_dated_in_a_locked_month(
    staff_a, project_a, done_in_march
):
    with pytest.raises(ValidationError) as added:
        services.save_milestone(
            actor=staff_a,
            project=project_a,
            name="土地摘牌",
            planned_date=dt.date(2024, 1, 15),
            actual_date=None,
        )
    assert added.value.code == "locked"
    with pytest.raises(ValidationError) as removed:
        services.delete_milestone(actor=staff_a, milestone=done_in_march)
    assert removed.value.code == "locked"
    assert list(Milestone.objects.values_list("name", flat=True)) == ["开工"]


def test_a_manager_removes_a_node_of_a_locked_month_only_with_a_reason(manager, done_in_march):
    with pytest.raises(ValidationError):
        services.delete_milestone(actor=manager, milestone=done_in_march)
    services.delete_milestone(actor=manager, milestone=done_in_march, reason="重复录入")
    assert not Milestone.objects.exists()
    assert Milestone.history.latest().history_change_reason == "重复录入"


def test_a_node_done_in_the_future_is_refused_even_by_a_manager(manager, project_a):
    with pytest.raises(ValidationError) as refusal:
        services.save_milestone(
            actor=manager,
            project=project_a,
            name="竣工",
            planned_date=dt.date(2024, 8, 1),
            actual_date=dt.date(2024, 7, 11),
            reason="提前登记",
        )
    assert "actual_date" in refusal.value.message_dict
    assert not Milestone.objects.exists()


# ---------------------------------------------------------------- the plan page


def _plan_post(node, actual: str, **extra):
    return {
        "action": "nodes",
        "nodes-TOTAL_FORMS": "1",
        "nodes-INITIAL_FORMS": "1",
        "nodes-0-id": str(node.pk),
        "nodes-0-version": str(node.version),
        "nodes-0-name": node.name,
        "nodes-0-planned_date": node.planned_date.isoformat(),
        "nodes-0-actual_date": actual,
        **extra,
    }


def test_plan_page_refuses_unit_staff_moving_a_locked_done_date_and_names_the_month(
    client, staff_a, done_in_march
):
    client.force_login(staff_a)
    url = reverse("project_plan", kwargs={"code": done_in_march.project.code})
    response = client.post(url, _plan_post(done_in_march, "2024-04-05"))
    assert response.status_code == 200
    assert REFUSED_TO_STAFF in response.content.decode()
    assert 'name="reason"' not in response.content.decode()
    assert Milestone.objects.get().actual_date == dt.date(2024, 3, 10)


def test_plan_page_takes_a_managers_reason_into_the_history(client, manager, done_in_march):
    client.force_login(manager)
    url = reverse("project_plan", kwargs={"code": done_in_march.project.code})
    refused = client.post(url, _plan_post(done_in_march, "2024-04-05"))
    assert refused.status_code == 200 and "修改须填写原因" in refused.content.decode()
    saved = client.post(url, _plan_post(done_in_march, "2024-04-05", reason="竣工资料更正"))
    assert saved.status_code == 302
    node = Milestone.objects.get()
    assert node.actual_date == dt.date(2024, 4, 5)
    assert node.history.latest().history_change_reason == "竣工资料更正"


def test_plan_page_refuses_a_done_date_in_the_future(client, staff_a, project_a):
    client.force_login(staff_a)
    url = reverse("project_plan", kwargs={"code": project_a.code})
    response = client.post(
        url,
        {
            "action": "nodes",
            "nodes-TOTAL_FORMS": "1",
            "nodes-INITIAL_FORMS": "0",
            "nodes-0-name": "竣工",
            "nodes-0-planned_date": "2024-08-01",
            "nodes-0-actual_date": "2024-08-01",
        },
    )
    assert response.status_code == 200
    assert not Milestone.objects.exists()


# ---------------------------------------------------------------- the node import and its command


def test_unit_staff_node_import_into_a_locked_quarter_saves_nothing_and_names_row_and_month(
    staff_a, project_a, done_in_march
):
    content = _csv(
        f"{project_a.code},,施工许可,5,2024-06-01,,",
        f"{project_a.code},,开工,10,2024-02-01,2024-04-05,",
    )
    result = import_nodes(actor=staff_a, content=content, reason="想改")
    assert result.errors == [(3, REFUSED_TO_STAFF)]
    assert list(Milestone.objects.values_list("name", "actual_date")) == [
        ("开工", dt.date(2024, 3, 10))
    ]


def test_a_managers_node_import_into_a_locked_quarter_needs_a_reason_kept_in_history(
    manager, project_a, done_in_march
):
    content = _csv(f"{project_a.code},,开工,10,2024-02-01,2024-04-05,")
    refused = import_nodes(actor=manager, content=content)
    assert [n for n, _m in refused.errors] == [2]
    assert "2024年03月已锁定" in refused.errors[0][1]
    assert Milestone.objects.get().actual_date == dt.date(2024, 3, 10)

    saved = import_nodes(actor=manager, content=content, reason="竣工资料更正")
    assert saved.errors == []
    node = Milestone.objects.get()
    assert node.actual_date == dt.date(2024, 4, 5)
    assert node.history.latest().history_change_reason == "node import：竣工资料更正"


def test_a_node_import_row_done_in_the_future_is_refused(manager, project_a):
    result = import_nodes(actor=manager, content=_csv(f"{project_a.code},,竣工,10,,2099-12-01,"))
    assert [n for n, _m in result.errors] == [2]
    assert not Milestone.objects.exists()


def test_node_import_command_needs_the_reason_for_a_locked_quarter(
    manager, project_a, done_in_march, tmp_path
):
    path = tmp_path / "nodes.csv"
    path.write_bytes(_csv(f"{project_a.code},,开工,10,2024-02-01,2024-04-05,"))
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_nodes", str(path), "--user", "boss", stdout=StringIO(), stderr=err)
    assert "第 2 行" in err.getvalue() and "2024年03月已锁定" in err.getvalue()
    assert Milestone.objects.get().actual_date == dt.date(2024, 3, 10)

    call_command(
        "import_nodes", str(path), "--user", "boss", "--reason", "竣工资料更正", stdout=StringIO()
    )
    node = Milestone.objects.get()
    assert node.actual_date == dt.date(2024, 4, 5)
    assert node.history.latest().history_change_reason == "node import：竣工资料更正"


def test_node_import_command_refuses_a_done_date_in_the_future(manager, project_a, tmp_path):
    path = tmp_path / "nodes.csv"
    path.write_bytes(_csv(f"{project_a.code},,竣工,10,,2024-07-11,"))
    with pytest.raises(CommandError):
        call_command(
            "import_nodes", str(path), "--user", "boss", stdout=StringIO(), stderr=StringIO()
        )
    assert not Milestone.objects.exists()


def test_admin_node_import_carries_the_reason_from_preview_to_confirm(
    client, manager, project_a, done_in_march
):
    client.force_login(manager)
    url = reverse("node_import")
    content = _csv(f"{project_a.code},,开工,10,2024-02-01,2024-04-05,")
    refused = client.post(url, {"file": SimpleUploadedFile("n.csv", content, "text/csv")})
    assert refused.status_code == 200 and refused.context["token"] == ""
    assert "2024年03月已锁定" in refused.content.decode()

    preview = client.post(
        url, {"file": SimpleUploadedFile("n.csv", content, "text/csv"), "reason": "竣工资料更正"}
    )
    assert preview.context["token"] and "竣工资料更正" in preview.content.decode()
    assert Milestone.objects.get().actual_date == dt.date(2024, 3, 10)
    assert client.post(url, {"token": preview.context["token"]}).status_code == 302
    node = Milestone.objects.get()
    assert node.actual_date == dt.date(2024, 4, 5)
    assert node.history.latest().history_change_reason == "node import：竣工资料更正"


# ---------------------------------------------------------------- templates and the admin


def test_applying_templates_with_dates_in_a_locked_quarter_needs_a_reason(client, manager, unit_a):
    project = ProjectFactory(unit=unit_a, planned_start=dt.date(2024, 2, 1))
    template_set = TemplateSet.objects.create(name="施工建设", kind="new")
    NodeTemplate.objects.create(
        template_set=template_set, name="开工", sort_order=1, anchor=Anchor.PLANNED_START
    )
    client.force_login(manager)
    url = reverse("apply_node_templates")
    data = {"programme": project.programme.pk, "kind": "new"}
    refused = client.post(url, data)
    assert refused.status_code == 200 and "2024年02月已锁定" in refused.content.decode()
    assert not Milestone.objects.exists()

    assert client.post(url, {**data, "reason": "补录节点计划"}).status_code == 302
    node = Milestone.objects.get()
    assert node.planned_date == dt.date(2024, 2, 1)
    assert node.history.latest().history_change_reason == "补录节点计划"


def test_the_admin_neither_changes_nor_deletes_nodes(client, manager, done_in_march):
    client.force_login(manager)
    change = reverse("admin:milestones_milestone_change", args=[done_in_march.pk])
    delete = reverse("admin:milestones_milestone_delete", args=[done_in_march.pk])
    assert client.post(change, {"name": "开工", "actual_date": "2024-04-05"}).status_code == 403
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert Milestone.objects.get().actual_date == dt.date(2024, 3, 10)
