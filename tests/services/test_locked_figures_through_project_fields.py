"""A locked quarter's figures change only with a manager's reason, whatever field or door.

Q1 2024 is locked in every test here. Each test changes a project field that the
report's figures depend on, through one way in, and checks the refusal and that
the Q1 figures stay as reported.
"""

import datetime as dt
from decimal import Decimal
from io import StringIO

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command

from projects import selectors, services
from projects.imports import run_import
from projects.models import PeriodLock, Project
from projects.permissions import WHOLE_DISTRICT
from tests.admin.posts import change_url, project_post
from tests.factories import (
    CategoryFactory,
    LeaderFactory,
    ProgrammeFactory,
    ProjectFactory,
    StreetFactory,
)
from tests.importfiles import LEDGER_HEADERS, csv_bytes, ledger_row

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _summer_2024():
    with time_machine.travel(dt.datetime(2024, 7, 10, 9, 0), tick=False):
        yield


@pytest.fixture
def q1_locked(manager, unit_a):
    programme = ProgrammeFactory(code="2024-CITY", name="2024年市级攻坚项目", year=2024)
    project = ProjectFactory(
        code="CY-001",
        programme=programme,
        unit=unit_a,
        planned_start=dt.date(2024, 2, 1),
        actual_start=dt.date(2024, 2, 20),
    )
    ProjectFactory(programme=programme, unit=unit_a, planned_start=dt.date(2024, 3, 1))
    services.lock_quarter(actor=manager, year=2024, quarter=1, reason="上报（部分单位未审核）")
    return project


def q1_headline(project):
    report = selectors.quarterly_report(
        user=WHOLE_DISTRICT, programme=project.programme, year=2024, quarter=1
    )
    h = report.headline
    return (
        h.projects,
        h.starts.planned,
        h.starts.actual,
        h.starts.early,
        [(row.name, row.projects) for row in report.by_category],
        [(row.name, row.projects) for row in report.by_street],
    )


def changed(project, **values):
    fresh = Project.objects.get(pk=project.pk)
    for name, value in values.items():
        setattr(fresh, name, value)
    return fresh


FIELD_CHANGES = {
    "withdrawn_on": lambda: {"withdrawn_on": dt.date(2024, 2, 15)},
    "joined_on": lambda: {"joined_on": dt.date(2024, 4, 1)},
    "kind": lambda: {"kind": "continuing"},
    "category": lambda: {"category": CategoryFactory()},
    "street": lambda: {"street": StreetFactory()},
    "planned_start": lambda: {"planned_start": dt.date(2024, 5, 1)},
    "actual_start": lambda: {"actual_start": None},
    # 入库: the statistics library date is read against each period's end too.
    "statistics_entry_date": lambda: {"statistics_entry_date": dt.date(2024, 2, 25)},
}


# A planned start is the office's to set at all (tests/services/test_plans_belong_to_the_office.py).
@pytest.mark.parametrize("field", [f for f in FIELD_CHANGES if f != "planned_start"])
def test_unit_staff_cannot_change_locked_quarter_through_project_field(q1_locked, staff_a, field):
    before = q1_headline(q1_locked)
    with pytest.raises(ValidationError) as refusal:
        services.save_project(
            actor=staff_a,
            project=changed(q1_locked, **FIELD_CHANGES[field]()),
            expected_version=q1_locked.version,
        )
    assert refusal.value.code == "locked"
    assert q1_headline(q1_locked) == before


@pytest.mark.parametrize("field", FIELD_CHANGES)
def test_manager_changes_locked_quarter_through_project_field_only_with_a_reason(
    q1_locked, manager, field
):
    with pytest.raises(ValidationError) as refusal:
        services.save_project(
            actor=manager,
            project=changed(q1_locked, **FIELD_CHANGES[field]()),
            expected_version=q1_locked.version,
        )
    assert refusal.value.code == "locked_needs_reason"

    services.save_project(
        actor=manager,
        project=changed(q1_locked, **FIELD_CHANGES[field]()),
        expected_version=q1_locked.version,
        reason="市指挥部调整清单",
    )
    assert q1_locked.history.latest().history_change_reason == "市指挥部调整清单"
    assert q1_locked.history.latest().history_user == manager


def test_changes_that_move_no_locked_figure_need_no_reason(q1_locked, staff_a, manager):
    later = ProjectFactory(
        programme=q1_locked.programme, unit=q1_locked.unit, planned_start=dt.date(2024, 8, 1)
    )
    before = q1_headline(q1_locked)
    services.save_project(
        actor=staff_a,
        project=changed(q1_locked, name="新名称", leader=LeaderFactory(name="李四"), notes="备注"),
        expected_version=q1_locked.version,
    )
    saved = Project.objects.get(pk=q1_locked.pk)
    assert (saved.name, saved.leader.name, saved.notes) == ("新名称", "李四", "备注")
    assert saved.history.latest().history_user == staff_a
    # A start date (the office's to set) moved within open months leaves Q1 alone.
    services.save_project(
        actor=manager,
        project=changed(later, planned_start=dt.date(2024, 9, 1)),
        expected_version=later.version,
    )
    assert Project.objects.get(pk=later.pk).planned_start == dt.date(2024, 9, 1)
    assert q1_headline(q1_locked) == before


def test_unit_staff_ledger_import_with_withdrawn_date_in_locked_quarter_is_refused(
    q1_locked, staff_a
):
    before = q1_headline(q1_locked)
    row = ledger_row(
        项目编号="CY-001",
        项目清单=q1_locked.programme.name,
        项目类别=q1_locked.category.name,
        责任单位=q1_locked.unit.name,
        所在街道=q1_locked.street.name,
        计划开工日期="2024-02-01",
        实际开工日期="2024-02-20",
        调出日期="2024-02-15",
        # The plans as they stand: plans are the office's, not the unit's, to change.
        **{"总投资（万元）": str(q1_locked.total_investment), "计划竣工日期": ""},
        **{f"{q}季度计划{m}（万元）": "" for q in "一二三四" for m in ("投资", "纳统")},
    )
    result = run_import("ledger", csv_bytes([LEDGER_HEADERS, row]), filename="l.csv", actor=staff_a)

    assert not result.written
    assert any("2024年02月" in e.message and "锁定" in e.message for e in result.errors)
    assert q1_headline(q1_locked) == before


def test_unit_staff_admin_post_changing_category_of_locked_quarter_writes_nothing(
    q1_locked, staff_a_client
):
    before = q1_headline(q1_locked)
    other = CategoryFactory()
    response = staff_a_client.post(
        change_url(q1_locked), project_post(q1_locked, category=other.pk)
    )
    # The admin sends the form back to itself with the refusal as its message.
    assert response.status_code == 302
    assert response.url == change_url(q1_locked)
    assert any("锁定" in str(m) for m in get_messages(response.wsgi_request))
    q1_locked.refresh_from_db()
    assert q1_locked.category_id != other.pk
    assert q1_headline(q1_locked) == before


def test_restoring_a_project_counted_in_a_locked_quarter_needs_a_reason(q1_locked, manager):
    pk = q1_locked.pk
    services.delete_project(actor=manager, project=q1_locked, reason="误录")
    with pytest.raises(ValidationError) as refusal:
        services.restore_project(actor=manager, project_id=pk)
    assert refusal.value.code == "locked_needs_reason"
    assert not Project.objects.filter(pk=pk).exists()

    services.restore_project(actor=manager, project_id=pk, reason="恢复误删")
    assert Project.objects.filter(pk=pk).exists()


def test_deleting_a_project_counted_in_a_locked_quarter_needs_a_reason_even_without_figures(
    q1_locked, manager
):
    with pytest.raises(ValidationError):
        services.delete_project(actor=manager, project=q1_locked)
    assert Project.objects.filter(pk=q1_locked.pk).exists()


def test_import_command_changing_locked_quarter_needs_the_users_reason(
    q1_locked, manager, tmp_path
):
    row = ledger_row(
        项目编号="CY-001",
        项目清单=q1_locked.programme.name,
        项目类别=q1_locked.category.name,
        责任单位=q1_locked.unit.name,
        所在街道=q1_locked.street.name,
        计划开工日期="2024-02-01",
        实际开工日期="2024-02-20",
        调出日期="2024-02-15",
    )
    path = tmp_path / "ledger.csv"
    path.write_bytes(csv_bytes([LEDGER_HEADERS, row]))
    with pytest.raises(CommandError):
        call_command("import_ledger", str(path), "--user", "boss", stdout=StringIO())
    assert Project.objects.get(pk=q1_locked.pk).withdrawn_on is None


def test_unit_staff_cannot_move_a_project_to_another_list_by_import(q1_locked, staff_a):
    other = ProgrammeFactory(code="2024-DIST", name="2024年区级重点项目", year=2024)
    row = ledger_row(
        项目编号="CY-001",
        项目清单=other.name,
        项目类别=q1_locked.category.name,
        责任单位=q1_locked.unit.name,
        所在街道=q1_locked.street.name,
        计划开工日期="2024-02-01",
        实际开工日期="2024-02-20",
    )
    result = run_import("ledger", csv_bytes([LEDGER_HEADERS, row]), filename="l.csv", actor=staff_a)
    assert not result.written
    assert Project.objects.get(pk=q1_locked.pk).programme_id == q1_locked.programme_id
    PeriodLock.objects.all().delete()
    result = run_import("ledger", csv_bytes([LEDGER_HEADERS, row]), filename="l.csv", actor=staff_a)
    assert not result.written


def test_services_refuse_a_write_without_a_named_actor(q1_locked):
    with pytest.raises(PermissionDenied):
        services.save_project(actor=None, project=changed(q1_locked, name="x"), expected_version=1)
    with pytest.raises(TypeError):
        run_import("ledger", b"", filename="l.csv")  # actor is a required keyword


# Plans of a locked quarter: the plan rule (services.checks.plan_checks) at the admin's plan form.


@pytest.fixture
def q1_plan(q1_locked, manager):
    return services.save_plan(
        actor=manager,
        project=q1_locked,
        year=2024,
        investment=[Decimal("100"), Decimal("200"), Decimal("0"), Decimal("0")],
        inclusion=[Decimal("0")] * 4,
        reason="年初计划补录",
    )


def plan_post(plan, **extra):
    data = {"expected_version": plan.version, "reason": ""}
    for quarter in (1, 2, 3, 4):
        data[f"investment_q{quarter}"] = str(plan.investment(quarter))
        data[f"inclusion_q{quarter}"] = str(plan.inclusion(quarter))
    return {**data, **extra}


def test_unit_staff_cannot_change_a_plan_in_the_admin_locked_or_not(q1_plan, staff_a_client):
    """Plans belong to the office: a clerk asks through a plan-change request instead."""
    for figures in ({"investment_q1": "150"}, {"investment_q3": "80"}):
        response = staff_a_client.post(change_url(q1_plan), plan_post(q1_plan, **figures))
        assert response.status_code == 403
    q1_plan.refresh_from_db()
    assert (q1_plan.investment_q1, q1_plan.investment_q3) == (Decimal("100"), Decimal("0"))


def test_manager_admin_plan_change_for_a_locked_quarter_keeps_the_reason(q1_plan, manager_client):
    refused = manager_client.post(change_url(q1_plan), plan_post(q1_plan, investment_q1="150"))
    assert refused.status_code == 200 and "修改须填写原因" in refused.content.decode()
    saved = manager_client.post(
        change_url(q1_plan), plan_post(q1_plan, investment_q1="150", reason="市指挥部调整计划")
    )
    assert saved.status_code == 302
    q1_plan.refresh_from_db()
    assert q1_plan.investment_q1 == Decimal("150")
    assert q1_plan.history.latest().history_change_reason == "市指挥部调整计划"


def test_a_manager_changes_a_plan_of_an_open_quarter_beside_a_locked_one(q1_plan, manager_client):
    response = manager_client.post(change_url(q1_plan), plan_post(q1_plan, investment_q3="80"))
    assert response.status_code == 302
    q1_plan.refresh_from_db()
    assert (q1_plan.investment_q1, q1_plan.investment_q3) == (Decimal("100"), Decimal("80"))
