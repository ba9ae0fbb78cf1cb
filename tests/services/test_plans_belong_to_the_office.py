"""Plans belong to the office: unit staff ask, managers set (services, every door's gate).

The measured fault on main: a clerk lowered a project's Q1 plan from 162.20 to 50 in
the admin, the unit's rate rose and the project left the briefing's red list, and
nothing but the history showed it.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from projects import permissions, services
from projects.models import PlanChangeRequest, Project, QuarterPlan
from tests.factories import LeaderFactory, ProjectFactory, QuarterPlanFactory

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def project(unit_a):
    return ProjectFactory(unit=unit_a, code="CY-PLAN")


@pytest.fixture
def plan(project):
    return QuarterPlanFactory(project=project, year=2024, investment_q1=D("162.20"))


def four(first, rest="100"):
    return [D(first), D(rest), D(rest), D(rest)]


def test_plan_is_an_action_only_managers_reach(manager, staff_a, viewer, street_viewer, project):
    assert permissions.can(manager, "plan", project)
    for user in (staff_a, viewer, street_viewer, permissions.WHOLE_DISTRICT):
        assert not permissions.can(user, "plan", project)


def test_unit_staff_lowering_their_own_plan_is_refused_and_nothing_changes(staff_a, plan):
    with pytest.raises(PermissionDenied, match="计划调整申请|plan-change request"):
        services.save_plan(
            actor=staff_a,
            project=plan.project,
            year=2024,
            investment=four("50"),
            inclusion=[D("80")] * 4,
            expected_version=plan.version,
        )
    assert QuarterPlan.objects.get(pk=plan.pk).investment_q1 == D("162.20")


def test_unit_staff_cannot_add_a_plan_either(staff_a, project):
    with pytest.raises(PermissionDenied):
        services.save_plan(
            actor=staff_a, project=project, year=2024, investment=four("1"), inclusion=four("0")
        )
    assert not QuarterPlan.objects.exists()


def test_unit_staff_cannot_delete_a_plan(staff_a, plan):
    with pytest.raises(PermissionDenied):
        services.delete_plan(actor=staff_a, plan=plan)
    assert QuarterPlan.objects.filter(pk=plan.pk).exists()


@pytest.mark.parametrize(
    "field, value",
    [
        ("total_investment", D("1.00")),
        ("planned_start", dt.date(2024, 9, 1)),
        ("planned_completion", dt.date(2026, 6, 30)),
    ],
)
def test_unit_staff_cannot_change_the_projects_plan_fields(staff_a, project, field, value):
    before = getattr(project, field)
    fresh = Project.objects.get(pk=project.pk)
    setattr(fresh, field, value)
    with pytest.raises(PermissionDenied):
        services.save_project(actor=staff_a, project=fresh, expected_version=project.version)
    assert getattr(Project.objects.get(pk=project.pk), field) == before


def test_unit_staff_still_write_their_projects_other_fields(staff_a, project):
    fresh = Project.objects.get(pk=project.pk)
    fresh.leader = LeaderFactory(name="李四")
    services.save_project(actor=staff_a, project=fresh, expected_version=project.version)
    assert Project.objects.get(pk=project.pk).leader.name == "李四"


def test_manager_sets_plans_and_project_plan_fields(manager, plan):
    services.save_plan(
        actor=manager,
        project=plan.project,
        year=2024,
        investment=four("50"),
        inclusion=[D("80")] * 4,
        expected_version=plan.version,
    )
    fresh = Project.objects.get(pk=plan.project.pk)
    fresh.total_investment = D("20000")
    services.save_project(actor=manager, project=fresh, expected_version=fresh.version)
    assert QuarterPlan.objects.get(pk=plan.pk).investment_q1 == D("50.00")
    assert Project.objects.get(pk=plan.project.pk).total_investment == D("20000.00")


# ---------------------------------------------------------------- the baseline


def test_first_saved_plan_is_the_years_baseline_and_later_changes_leave_it(manager, project):
    plan = services.save_plan(
        actor=manager, project=project, year=2024, investment=four("162.20"), inclusion=four("80")
    )
    services.save_plan(
        actor=manager,
        project=project,
        year=2024,
        investment=four("50"),
        inclusion=four("80"),
        expected_version=plan.version,
    )
    stored = QuarterPlan.objects.get(pk=plan.pk)
    assert stored.investment_q1 == D("50.00")
    assert stored.baseline_investment_q1 == D("162.20")
    assert stored.adjusted


# ---------------------------------------------------------------- requests


def ask(actor, project, first="50", **extra):
    return services.request_plan_change(
        actor=actor,
        project=project,
        year=2024,
        investment=four(first),
        inclusion=[D("80")] * 4,
        reason=extra.pop("reason", "征地延后，一季度无法完成原计划"),
        **extra,
    )


def test_clerk_asks_and_the_plan_stays_until_a_manager_approves(staff_a, manager, plan):
    request = ask(staff_a, plan.project)
    assert request.status == PlanChangeRequest.Status.PENDING
    assert request.previous["investment_q1"] == "162.20"
    assert QuarterPlan.objects.get(pk=plan.pk).investment_q1 == D("162.20")

    services.approve_plan_change(actor=manager, request=request, note="同意")

    stored = QuarterPlan.objects.get(pk=plan.pk)
    assert stored.investment_q1 == D("50.00")
    assert stored.baseline_investment_q1 == D("162.20")
    request.refresh_from_db()
    assert (request.status, request.decided_by) == (PlanChangeRequest.Status.APPROVED, manager)
    last = stored.history.order_by("-history_date").first()
    # The plan's history names the approving manager and the request.
    assert last.history_user == manager
    assert f"#{request.pk}" in last.history_change_reason


def test_approval_also_sets_the_requested_project_fields(staff_a, manager, plan):
    request = ask(staff_a, plan.project, planned_start=dt.date(2024, 6, 1))
    services.approve_plan_change(actor=manager, request=request)
    assert Project.objects.get(pk=plan.project.pk).planned_start == dt.date(2024, 6, 1)


def test_clerk_cannot_approve_their_own_request(staff_a, plan):
    request = ask(staff_a, plan.project)
    with pytest.raises(PermissionDenied):
        services.approve_plan_change(actor=staff_a, request=request)
    assert QuarterPlan.objects.get(pk=plan.pk).investment_q1 == D("162.20")


def test_refusal_needs_a_reason_and_leaves_the_plan(staff_a, manager, plan):
    request = ask(staff_a, plan.project)
    with pytest.raises(ValidationError, match="理由|reason"):
        services.refuse_plan_change(actor=manager, request=request, note=" ")
    services.refuse_plan_change(actor=manager, request=request, note="一季度计划不予调整")
    request.refresh_from_db()
    assert request.status == PlanChangeRequest.Status.REFUSED
    assert request.decision_note == "一季度计划不予调整"
    assert QuarterPlan.objects.get(pk=plan.pk).investment_q1 == D("162.20")


def test_a_decided_request_cannot_be_decided_again(staff_a, manager, plan):
    request = ask(staff_a, plan.project)
    services.refuse_plan_change(actor=manager, request=request, note="不予调整")
    with pytest.raises(ValidationError, match="已|already"):
        services.approve_plan_change(actor=manager, request=request)
    assert QuarterPlan.objects.get(pk=plan.pk).investment_q1 == D("162.20")


def test_stale_request_is_refused_on_approval_and_the_newer_plan_stays(staff_a, manager, plan):
    request = ask(staff_a, plan.project)
    services.save_plan(
        actor=manager,
        project=plan.project,
        year=2024,
        investment=four("170"),
        inclusion=[D("80")] * 4,
        expected_version=plan.version,
    )
    with pytest.raises(ValidationError) as refused:
        services.approve_plan_change(actor=manager, request=request)
    assert refused.value.code == "stale_request"
    assert QuarterPlan.objects.get(pk=plan.pk).investment_q1 == D("170.00")
    request.refresh_from_db()
    assert request.is_pending


def test_request_for_another_units_project_is_refused(staff_b, plan):
    with pytest.raises(PermissionDenied):
        ask(staff_b, plan.project)
    assert not PlanChangeRequest.objects.exists()


def test_one_open_request_per_plan(staff_a, plan):
    ask(staff_a, plan.project)
    with pytest.raises(ValidationError, match="等待|waiting"):
        ask(staff_a, plan.project, first="60")
    assert PlanChangeRequest.objects.count() == 1


def test_request_needs_a_reason_and_a_change(staff_a, plan):
    with pytest.raises(ValidationError):
        ask(staff_a, plan.project, reason="  ")
    with pytest.raises(ValidationError) as same:
        ask(staff_a, plan.project, first="162.20")
    assert same.value.code == "unchanged"
    # The project's own figures as they stand, however written, are no change either.
    with pytest.raises(ValidationError) as same:
        ask(staff_a, plan.project, first="162.2", total_investment=D("10000"))
    assert same.value.code == "unchanged"
    assert not PlanChangeRequest.objects.exists()


def test_approving_a_change_to_a_locked_quarter_needs_the_managers_reason(staff_a, manager, plan):
    request = ask(staff_a, plan.project)
    services.lock_quarter(actor=manager, year=2024, quarter=1, reason="上报（部分单位未审核）")
    with pytest.raises(ValidationError, match="锁定|locked"):
        services.approve_plan_change(actor=manager, request=request)
    assert QuarterPlan.objects.get(pk=plan.pk).investment_q1 == D("162.20")
    services.approve_plan_change(actor=manager, request=request, locked_reason="市指挥部同意")
    assert QuarterPlan.objects.get(pk=plan.pk).investment_q1 == D("50.00")
