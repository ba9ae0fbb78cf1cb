"""The ledger import's plan columns: a manager's import sets them, a unit's is refused."""

from decimal import Decimal

import pytest

from projects.imports import run_import
from projects.models import Project, QuarterPlan
from tests.factories import ProjectFactory, QuarterPlanFactory
from tests.importfiles import LEDGER_HEADERS, csv_bytes, ledger_row

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(unit_a):
    project = ProjectFactory(code="CY-077", unit=unit_a)
    QuarterPlanFactory(project=project, year=2024, investment_q1=Decimal("162.20"))
    return project


def row_of(project, **changes):
    """The project's row as stored (nothing to import), with ``changes`` on top."""
    values = {
        "项目编号": project.code,
        "项目名称": project.name,
        "项目清单": project.programme.name,
        "年度": 2024,
        "项目类别": project.category.name,
        "责任单位": project.unit.name,
        "所在街道": project.street.name,
        "包联领导": project.leader_name,
        "总投资（万元）": str(project.total_investment),
        "计划开工日期": project.planned_start.isoformat(),
        "计划竣工日期": "",
        "一季度计划投资（万元）": "162.20",
        "二季度计划投资（万元）": "100",
        "三季度计划投资（万元）": "100",
        "四季度计划投资（万元）": "100",
        **{f"{q}季度计划纳统（万元）": "80" for q in "一二三四"},
        "形象进度": "",
    }
    values.update(changes)
    return ledger_row(**values)


def ledger(*rows) -> bytes:
    return csv_bytes([LEDGER_HEADERS, *rows])


def test_unit_staff_import_lowering_a_plan_is_refused_at_the_plan_column(staff_a, project):
    content = ledger(row_of(project, **{"一季度计划投资（万元）": "50"}))
    result = run_import("ledger", content, filename="l.csv", actor=staff_a)
    assert not result.written
    assert [(e.row, e.column) for e in result.errors] == [(2, "一季度计划投资（万元）")]
    assert QuarterPlan.objects.get(project=project).investment_q1 == Decimal("162.20")


def test_unit_staff_import_changing_total_investment_is_refused_at_its_column(staff_a, project):
    content = ledger(row_of(project, **{"总投资（万元）": "1"}))
    result = run_import("ledger", content, filename="l.csv", actor=staff_a)
    assert [e.column for e in result.errors] == ["总投资（万元）"]
    assert Project.objects.get(pk=project.pk).total_investment == project.total_investment


def test_unit_staff_import_with_plans_as_they_stand_still_writes_their_fields(staff_a, project):
    content = ledger(row_of(project, **{"形象进度": "基础施工"}))
    result = run_import("ledger", content, filename="l.csv", actor=staff_a)
    assert result.written, result.errors
    assert Project.objects.get(pk=project.pk).image_progress == "基础施工"


def test_managers_import_sets_the_plan_and_keeps_the_baseline(manager, project):
    content = ledger(row_of(project, **{"一季度计划投资（万元）": "50"}))
    result = run_import("ledger", content, filename="l.csv", actor=manager)
    assert result.written, result.errors
    stored = QuarterPlan.objects.get(project=project)
    assert (stored.investment_q1, stored.baseline_investment_q1) == (
        Decimal("50.00"),
        Decimal("162.20"),
    )
