"""Every change to projects, plans and progress is recorded with who, when, before/after, why."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.loader import render_to_string

from projects import services
from projects.models import MonthlyProgress, Project
from projects.selectors.history import project_history
from tests.factories import ProjectFactory, UnitFactory, user_with_role, version_of
from tests.statements import statements_built

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    unit = UnitFactory(name="区住建局")
    return {
        "unit": unit,
        "staff": user_with_role("unit_staff", unit, username="zhao"),
        "manager": user_with_role("manager", username="boss"),
    }


def test_history_shows_who_changed_progress_from_what_to_what(people):
    project = ProjectFactory(unit=people["unit"])
    for amount in ("10", "12.5"):
        services.record_progress(
            actor=people["staff"],
            project=project,
            year=2024,
            month=3,
            investment=Decimal(amount),
            inclusion=Decimal("1"),
            expected_version=version_of(MonthlyProgress, project=project, month=3),
        )
    services.lock_month(
        actor=people["manager"], year=2024, month=3, reason="上报（部分单位未审核）"
    )
    services.record_progress(
        actor=people["manager"],
        project=project,
        year=2024,
        month=3,
        investment=Decimal("15"),
        inclusion=Decimal("1"),
        reason="统计局核定",
        expected_version=version_of(MonthlyProgress, project=project, month=3),
    )
    rows = [r for r in project_history(project) if r.subject.endswith("2024-03")]
    assert [(r.who, r.action) for r in rows] == [("boss", "~"), ("zhao", "~"), ("zhao", "+")]
    latest = rows[0]
    assert latest.reason == "统计局核定"
    change = next(c for c in latest.changes if c.before == "12.50")
    assert change.after == "15.00"


def test_history_names_the_unit_a_project_moved_to(people):
    project = ProjectFactory(unit=people["unit"])
    project.unit = UnitFactory(name="流亭街道")
    services.save_project(
        actor=people["manager"], project=project, reason="职责调整", expected_version=1
    )
    row = project_history(project)[0]
    assert row.who == "boss" and row.reason == "职责调整"
    assert any(c.before == "区住建局" and c.after == "流亭街道" for c in row.changes)


def test_deleted_project_stays_recoverable_from_history(people):
    project = ProjectFactory(unit=people["unit"], name="鹏辉能源项目")
    services.record_progress(
        actor=people["staff"],
        project=project,
        year=2024,
        month=1,
        investment=Decimal("8"),
        inclusion=Decimal("0"),
    )
    pk = project.pk
    with pytest.raises(Exception, match="manager|管理员"):
        services.delete_project(actor=people["staff"], project=project)
    services.delete_project(actor=people["manager"], project=project, reason="移出清单")
    assert not Project.objects.filter(pk=pk).exists()
    rows = project_history(pk)
    assert rows[0].action == "-" and rows[0].who == "boss"
    assert Project.history.filter(id=pk).latest("history_date").instance.name == "鹏辉能源项目"


def test_history_is_read_in_a_fixed_number_of_queries(people, django_assert_max_num_queries):
    project = ProjectFactory(unit=people["unit"])
    for month in range(1, 7):
        services.record_progress(
            actor=people["staff"],
            project=project,
            year=2024,
            month=month,
            investment=Decimal(month),
            inclusion=Decimal("0"),
        )
    with django_assert_max_num_queries(7):
        project_history(project)


def test_history_include_renders_rows(people):
    project = ProjectFactory(unit=people["unit"])
    services.save_project(
        actor=people["manager"], project=project, reason="补录", expected_version=1
    )
    html = render_to_string("projects/_history.html", {"history": project_history(project)})
    assert "boss" in html and "补录" in html


def test_manager_restores_deleted_project_with_its_plans_and_progress(people, manager):
    project = ProjectFactory(unit=people["unit"], name="物元半导体项目")
    services.save_plan(
        actor=manager, project=project, year=2024, investment=[Decimal(1)] * 4, inclusion=[0] * 4
    )
    services.record_progress(
        actor=people["staff"],
        project=project,
        year=2024,
        month=2,
        investment=Decimal("8"),
        inclusion=Decimal("0"),
    )
    pk = project.pk
    services.delete_project(actor=people["manager"], project=project, reason="误删")
    with pytest.raises(PermissionDenied):
        services.restore_project(actor=people["staff"], project_id=pk)
    restored = services.restore_project(actor=people["manager"], project_id=pk, reason="恢复")
    assert restored.name == "物元半导体项目"
    assert restored.plans.count() == 1
    assert restored.progress.get().investment == Decimal("8.00")
    assert project_history(pk)[0].reason == "恢复"


def test_unit_staff_cannot_move_actual_start_into_a_locked_month(people):
    project = ProjectFactory(unit=people["unit"])
    services.lock_month(
        actor=people["manager"], year=2024, month=3, reason="上报（部分单位未审核）"
    )
    project.actual_start = dt.date(2024, 3, 15)
    with pytest.raises(ValidationError):
        services.save_project(actor=people["staff"], project=project, expected_version=1)
    assert Project.objects.get(pk=project.pk).actual_start is None


def test_manager_restores_from_deleted_projects_page_and_staff_cannot(client, people):
    from django.urls import reverse

    project = ProjectFactory(unit=people["unit"], code="DEL1")
    pk = project.pk
    services.delete_project(actor=people["manager"], project=project)
    client.force_login(people["staff"])
    assert client.get(reverse("deleted_projects")).status_code == 403
    client.force_login(people["manager"])
    assert "DEL1" in client.get(reverse("deleted_projects")).content.decode()
    client.post(reverse("deleted_projects"), {"project_id": pk, "reason": "恢复"})
    assert Project.objects.filter(pk=pk).exists()


def test_project_page_shows_history_to_managers_only(client, people):
    project = ProjectFactory(unit=people["unit"])
    services.record_progress(
        actor=people["staff"],
        project=project,
        year=2024,
        month=2,
        investment=Decimal("8"),
        inclusion=Decimal("1"),
    )
    url = f"/projects/{project.code}/"
    client.force_login(people["manager"])
    page = client.get(url).content.decode()
    assert "修改历史" in page and "zhao" in page
    client.force_login(people["staff"])
    page = client.get(url).content.decode()
    assert client.get(url).status_code == 200
    assert "修改历史" not in page


def test_history_statements_are_built_once_and_read_each_projects_own(people, monkeypatch):

    first, second = ProjectFactory(unit=people["unit"]), ProjectFactory(unit=people["unit"])
    for project, amount in ((first, "1"), (second, "2")):
        services.record_progress(
            actor=people["staff"], project=project, year=2024, month=1,
            investment=Decimal(amount), inclusion=Decimal("0"),
        )  # fmt: skip
    project_history(first)  # the three statements compiled, if no test did before
    built = statements_built(monkeypatch)
    theirs = project_history(second)
    # No history statement compiled again (the linked names' own statement may be).
    assert not [name for name in built if name.startswith("Historical")], built

    def amounts(rows):
        return [
            (c.before, c.after)
            for row in rows
            if row.kind == "monthlyprogress"
            for c in row.changes
            if c.field == "当月完成投资（万元）"
        ]

    assert amounts(theirs) == [("", "2.00")]
    assert amounts(project_history(first)) == [("", "1.00")]
