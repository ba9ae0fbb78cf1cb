"""Every change to projects, plans and progress is recorded with who, when, before/after, why."""

from decimal import Decimal

import pytest
from django.template.loader import render_to_string

from projects import services
from projects.history import project_history
from projects.models import Project
from tests.factories import ProjectFactory, UnitFactory, user_with_role

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
        )
    services.lock_month(actor=people["manager"], year=2024, month=3)
    services.record_progress(
        actor=people["manager"],
        project=project,
        year=2024,
        month=3,
        investment=Decimal("15"),
        inclusion=Decimal("1"),
        reason="统计局核定",
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
    services.save_project(actor=people["manager"], project=project, reason="职责调整")
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
    services.save_project(actor=people["manager"], project=project, reason="补录")
    html = render_to_string("projects/_history.html", {"history": project_history(project)})
    assert "boss" in html and "补录" in html
