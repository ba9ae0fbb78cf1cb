"""Deleting a project never changes a locked month's figures without the user's reason."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from projects import services
from projects.models import MonthlyProgress, Project
from tests.factories import ProjectFactory, QuarterPlanFactory, UnitFactory

pytestmark = pytest.mark.django_db


def _project_with_march_progress(manager):
    project = ProjectFactory(unit=UnitFactory())
    services.record_progress(
        actor=manager,
        project=project,
        year=2024,
        month=3,
        investment=Decimal("8"),
        inclusion=Decimal("0"),
    )
    return project


def test_deleting_project_with_progress_in_locked_month_needs_a_reason(manager):
    project = _project_with_march_progress(manager)
    services.lock_month(actor=manager, year=2024, month=3, reason="上报（部分单位未审核）")
    with pytest.raises(ValidationError, match="2024-03") as info:
        services.delete_project(actor=manager, project=project)
    assert info.value.code == "locked_needs_reason"
    assert Project.objects.filter(pk=project.pk).exists()
    assert MonthlyProgress.objects.filter(project=project).count() == 1


def test_deleting_project_with_plan_in_locked_quarter_needs_a_reason(manager):
    project = ProjectFactory(unit=UnitFactory())
    QuarterPlanFactory(project=project, year=2024)
    services.lock_quarter(actor=manager, year=2024, quarter=1, reason="上报（部分单位未审核）")
    with pytest.raises(ValidationError, match="2024-01"):
        services.delete_project(actor=manager, project=project, reason="   ")
    assert Project.objects.filter(pk=project.pk).exists()


def test_deleting_project_in_locked_month_with_users_reason_keeps_it_in_history(manager):
    project = _project_with_march_progress(manager)
    services.lock_month(actor=manager, year=2024, month=3, reason="上报（部分单位未审核）")
    pk = project.pk
    services.delete_project(actor=manager, project=project, reason="重复录入")
    assert not Project.objects.filter(pk=pk).exists()
    last = MonthlyProgress.history.filter(project_id=pk).latest("history_date")
    assert last.history_type == "-" and last.history_change_reason == "重复录入"


def test_deleting_project_without_locked_figures_needs_no_reason(manager):
    project = _project_with_march_progress(manager)
    pk = project.pk
    services.delete_project(actor=manager, project=project)
    assert not Project.objects.filter(pk=pk).exists()
