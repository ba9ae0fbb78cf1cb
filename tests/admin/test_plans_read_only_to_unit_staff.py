"""The admin's doors to plans: read-only to unit staff (forms, inlines, crafted posts)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from projects.models import Project, QuarterPlan
from tests.admin.posts import change_url, inline_management, project_post
from tests.factories import LeaderFactory, ProjectFactory, QuarterPlanFactory

pytestmark = pytest.mark.django_db

PLAN_FIGURES = {
    **{f"investment_q{q}": "100" for q in (1, 2, 3, 4)},
    **{f"inclusion_q{q}": "80" for q in (1, 2, 3, 4)},
}


@pytest.fixture
def own(unit_a):
    project = ProjectFactory(unit=unit_a, name="甲的项目")
    plan = QuarterPlanFactory(project=project, year=2024, investment_q1=Decimal("162.20"))
    return project, plan


def plan_post(plan, **figures):
    return {
        "expected_version": plan.version,
        **PLAN_FIGURES,
        "investment_q1": str(plan.investment_q1),
        **figures,
    }


def test_unit_staff_see_their_plan_without_a_box_to_change_it(staff_a_client, own):
    _project, plan = own
    response = staff_a_client.get(change_url(plan))
    assert response.status_code == 200
    assert 'name="investment_q1"' not in response.content.decode()
    assert "162.20" in response.content.decode()


def test_unit_staff_post_to_their_plan_is_refused_and_the_plan_stays(staff_a_client, own):
    _project, plan = own
    response = staff_a_client.post(change_url(plan), plan_post(plan, investment_q1="50"))
    assert response.status_code == 403
    assert QuarterPlan.objects.get(pk=plan.pk).investment_q1 == Decimal("162.20")


def test_unit_staff_cannot_open_the_add_plan_form(staff_a_client, own):
    assert staff_a_client.get(reverse("admin:projects_quarterplan_add")).status_code == 403


def test_unit_staff_project_form_shows_plan_fields_read_only(staff_a_client, own):
    project, _plan = own
    html = staff_a_client.get(change_url(project)).content.decode()
    for name in ("total_investment", "planned_start", "planned_completion"):
        assert f'name="{name}"' not in html
    assert 'name="plans-0-investment_q1"' not in html
    # Their own fields stay open.
    assert 'name="leader"' in html


def test_unit_staff_project_post_with_plan_figures_changes_only_their_fields(staff_a_client, own):
    project, plan = own
    data = project_post(
        project,
        leader=LeaderFactory(name="李四").pk,
        total_investment="1",
        planned_start="2024-12-01",
        **inline_management("plans", 1, 1),
        **{
            "plans-0-id": plan.pk,
            "plans-0-project": project.pk,
            "plans-0-expected_version": plan.version,
            "plans-0-year": 2024,
            **{f"plans-0-{k}": v for k, v in PLAN_FIGURES.items()},
            "plans-0-investment_q1": "50",
        },
    )
    response = staff_a_client.post(change_url(project), data)
    assert response.status_code == 302
    stored = Project.objects.get(pk=project.pk)
    assert stored.leader.name == "李四"
    assert stored.total_investment == project.total_investment
    assert stored.planned_start == project.planned_start
    assert QuarterPlan.objects.get(pk=plan.pk).investment_q1 == Decimal("162.20")


def test_unit_staff_crafted_new_plan_row_is_not_saved(staff_a_client, unit_a):
    project = ProjectFactory(unit=unit_a)
    data = project_post(
        project,
        **inline_management("plans", 1, 0),
        **{
            "plans-0-project": project.pk,
            "plans-0-year": 2024,
            **{f"plans-0-{k}": v for k, v in PLAN_FIGURES.items()},
        },
    )
    response = staff_a_client.post(change_url(project), data)
    # The inline offers unit staff no new rows, so the crafted one is dropped, not saved.
    assert response.status_code == 302
    assert not QuarterPlan.objects.filter(project=project).exists()


def test_manager_changes_a_plan_in_the_admin_and_the_baseline_stays(manager_client, own):
    _project, plan = own
    response = manager_client.post(change_url(plan), plan_post(plan, investment_q1="50"))
    assert response.status_code == 302
    stored = QuarterPlan.objects.get(pk=plan.pk)
    assert stored.investment_q1 == Decimal("50.00")
    assert stored.baseline_investment_q1 == Decimal("162.20")
