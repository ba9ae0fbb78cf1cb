"""The plan-change request pages: a clerk asks, a manager decides, the clerk sees the outcome."""

from decimal import Decimal

import pytest
from django.urls import reverse

from projects import services
from projects.models import PlanChangeRequest, QuarterPlan
from tests.factories import ProjectFactory, QuarterPlanFactory

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def own(unit_a):
    project = ProjectFactory(unit=unit_a, code="CY-REQ", name="甲的项目")
    QuarterPlanFactory(project=project, year=2024, investment_q1=D("162.20"))
    return project


@pytest.fixture
def others(unit_b):
    project = ProjectFactory(unit=unit_b, code="CY-OTHER", name="乙的项目")
    QuarterPlanFactory(project=project, year=2024)
    return project


def form_data(**changes):
    data = {
        **{f"investment_q{q}": "100" for q in (1, 2, 3, 4)},
        **{f"inclusion_q{q}": "80" for q in (1, 2, 3, 4)},
        "investment_q1": "50",
        "reason": "征地延后，一季度无法完成原计划",
        "year": "2024",
    }
    data.update(changes)
    return data


def new_url(project):
    return reverse("plan_request_new", args=[project.code]) + "?year=2024"


def make_request(staff, project):
    return services.request_plan_change(
        actor=staff,
        project=project,
        year=2024,
        investment=[D("50"), D("100"), D("100"), D("100")],
        inclusion=[D("80")] * 4,
        reason="征地延后",
    )


def test_request_form_starts_from_the_plan_as_it_stands(staff_a_client, own):
    response = staff_a_client.get(new_url(own))
    assert response.status_code == 200
    assert 'value="162.20"' in response.content.decode()


def test_clerk_sends_a_request_and_sees_it_pending(staff_a_client, staff_a, own):
    response = staff_a_client.post(new_url(own), form_data())
    request = PlanChangeRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("plan_request", args=[request.pk])
    assert (request.requested_by, request.investment_q1) == (staff_a, D("50.00"))
    listing = staff_a_client.get(reverse("plan_requests")).content.decode()
    assert "CY-REQ" in listing and "待审批" in listing
    assert QuarterPlan.objects.get(project=own).investment_q1 == D("162.20")


def test_request_without_a_reason_is_refused_with_a_chinese_message(staff_a_client, own):
    response = staff_a_client.post(new_url(own), form_data(reason=""))
    assert response.status_code == 200
    assert "请说明" in response.content.decode()
    assert not PlanChangeRequest.objects.exists()


def test_malformed_amount_is_a_message_not_a_500(staff_a_client, own):
    response = staff_a_client.post(new_url(own), form_data(investment_q1="1e5"))
    assert response.status_code == 200
    assert not PlanChangeRequest.objects.exists()


def test_another_units_project_and_request_are_not_found(staff_a_client, staff_b, others):
    assert staff_a_client.get(new_url(others)).status_code == 404
    assert staff_a_client.post(new_url(others), form_data()).status_code == 404
    theirs = make_request(staff_b, others)
    assert staff_a_client.get(reverse("plan_request", args=[theirs.pk])).status_code == 404
    decide = reverse("plan_request_decide", args=[theirs.pk])
    assert staff_a_client.post(decide, {"decision": "approve"}).status_code == 404
    assert "CY-OTHER" not in staff_a_client.get(reverse("plan_requests")).content.decode()
    assert PlanChangeRequest.objects.get().is_pending


def test_clerk_cannot_decide_their_own_request(staff_a_client, staff_a, own):
    request = make_request(staff_a, own)
    page = staff_a_client.get(reverse("plan_request", args=[request.pk])).content.decode()
    assert 'value="approve"' not in page
    response = staff_a_client.post(
        reverse("plan_request_decide", args=[request.pk]), {"decision": "approve"}
    )
    assert response.status_code == 403
    assert QuarterPlan.objects.get(project=own).investment_q1 == D("162.20")


def test_manager_approves_and_the_clerk_sees_the_outcome(
    manager_client, staff_a_client, staff_a, own
):
    request = make_request(staff_a, own)
    response = manager_client.post(
        reverse("plan_request_decide", args=[request.pk]),
        {"decision": "approve", "note": "同意"},
    )
    assert response.status_code == 302
    assert QuarterPlan.objects.get(project=own).investment_q1 == D("50.00")
    page = staff_a_client.get(reverse("plan_request", args=[request.pk])).content.decode()
    assert "已批准" in page and "同意" in page


def test_manager_refuses_with_a_reason_the_clerk_reads(
    manager_client, staff_a_client, staff_a, own
):
    request = make_request(staff_a, own)
    decide = reverse("plan_request_decide", args=[request.pk])
    manager_client.post(decide, {"decision": "refuse", "note": ""})
    assert PlanChangeRequest.objects.get().is_pending
    manager_client.post(decide, {"decision": "refuse", "note": "年度目标不变"})
    listing = staff_a_client.get(reverse("plan_requests")).content.decode()
    assert "未批准" in listing and "年度目标不变" in listing
    assert QuarterPlan.objects.get(project=own).investment_q1 == D("162.20")


def test_stale_request_approval_says_why_and_changes_nothing(manager_client, manager, staff_a, own):
    request = make_request(staff_a, own)
    plan = QuarterPlan.objects.get(project=own)
    services.save_plan(
        actor=manager,
        project=own,
        year=2024,
        investment=[D("170"), D("100"), D("100"), D("100")],
        inclusion=[D("80")] * 4,
        expected_version=plan.version,
    )
    response = manager_client.post(
        reverse("plan_request_decide", args=[request.pk]), {"decision": "approve"}, follow=True
    )
    assert "申请提交后" in response.content.decode()
    assert QuarterPlan.objects.get(project=own).investment_q1 == D("170.00")


def test_project_page_links_the_clerk_to_a_request(staff_a_client, manager_client, own):
    page = staff_a_client.get(reverse("project_detail", args=[own.code])).content.decode()
    assert reverse("plan_request_new", args=[own.code]) in page
    page = manager_client.get(reverse("project_detail", args=[own.code])).content.decode()
    assert reverse("plan_request_new", args=[own.code]) not in page
    assert reverse("plan_requests") + "?project=CY-REQ" in page
