"""The plausibility rule through the admin: the progress form, the project's inline, the list
edit and the project form's 总投资."""

from decimal import Decimal

import pytest
from django.urls import reverse

from projects.models import MonthlyProgress
from tests.admin.posts import change_url, inline_management, project_post
from tests.factories import MonthlyProgressFactory, ProjectFactory

pytestmark = pytest.mark.django_db
D = Decimal
ADD = reverse("admin:projects_monthlyprogress_add")


@pytest.fixture
def project(unit_a):
    project = ProjectFactory(code="CY-001", unit=unit_a, total_investment=D("131500"))
    for month in (1, 2):
        MonthlyProgressFactory(project=project, month=month, investment=D("100"), inclusion=D("80"))
    return project


def add(client, project, investment, inclusion="0", **extra):
    data = {
        "project": project.pk,
        "year": "2024",
        "month": "3",
        "investment": investment,
        "inclusion": inclusion,
        "image_progress": "",
        "problems": "",
        **extra,
    }
    return client.post(ADD, data)


def form_errors(response) -> list[str]:
    return list(response.context["adminform"].form.non_field_errors())


def test_the_articles_500000_on_a_131500_project_is_refused(project, manager_client):
    response = add(manager_client, project, "500000", acknowledge="on")
    assert response.status_code == 200
    assert form_errors(response) == [
        "CY-001 2024-03：当月完成投资 500000 万元超过项目总投资 131500.00 万元，未保存。"
        "项目确实超出总投资的，请管理员先调高总投资。"
    ]
    assert not MonthlyProgress.objects.filter(month=3).exists()


def test_a_negative_amount_is_refused(project, manager_client):
    response = add(manager_client, project, "-5")
    assert response.status_code == 200
    assert not MonthlyProgress.objects.filter(month=3).exists()


def test_an_unusual_month_asks_for_the_tick_and_is_then_saved_with_who(
    project, staff_a_client, staff_a
):
    response = add(staff_a_client, project, "40000")
    errors = form_errors(response)
    assert "超过项目总投资（131500.00 万元）的 30%" in errors[0]
    assert errors[-1] == "如数据无误，请勾选“已核实：数据无误”后再次保存。"
    assert 'name="acknowledge"' in response.content.decode()
    assert not MonthlyProgress.objects.filter(month=3).exists()

    assert add(staff_a_client, project, "40000", acknowledge="on").status_code == 302
    entry = MonthlyProgress.objects.get(month=3)
    assert (entry.acknowledged_by, entry.acknowledged_warnings) == (
        staff_a,
        "share_of_total,times_average,jump",
    )
    assert entry.history.latest().acknowledged_by_id == staff_a.pk


def test_the_change_form_shows_who_acknowledged_it(project, staff_a_client):
    add(staff_a_client, project, "40000", acknowledge="on")
    entry = MonthlyProgress.objects.get(month=3)
    page = staff_a_client.get(change_url(entry)).content.decode()
    assert "单月占总投资比例过大" in page and "核实人" in page


def test_the_project_inline_refuses_a_month_above_the_total(project, manager_client):
    data = project_post(project, **inline_management("progress", 1, 0))
    data.update(
        {
            "progress-0-year": "2024",
            "progress-0-month": "3",
            "progress-0-investment": "500000",
            "progress-0-inclusion": "0",
            "progress-0-acknowledge": "on",
            "progress-0-project": project.pk,
        }
    )
    response = manager_client.post(change_url(project), data)
    assert response.status_code == 200
    assert "CY-001 2024-03：当月完成投资 500000 万元超过项目总投资" in response.content.decode()
    assert not MonthlyProgress.objects.filter(month=3).exists()


def test_the_list_edit_sends_an_unusual_figure_to_the_entrys_form(project, staff_a_client):
    entry = MonthlyProgressFactory(project=project, month=3, investment=D("110"), inclusion=D("80"))
    data = {
        **inline_management("form", 1, 1),
        "_save": "保存",
        "form-0-id": entry.pk,
        "form-0-investment": "40000",
        "form-0-inclusion": "80.00",
        "initial-form-0-investment": "110.00",
        "initial-form-0-inclusion": "80.00",
    }
    response = staff_a_client.post(reverse("admin:projects_monthlyprogress_changelist"), data)
    assert "如数据无误，请打开该条记录，在其中勾选“已核实”。" in response.content.decode()
    entry.refresh_from_db()
    assert entry.investment == D("110")


def test_the_project_form_cannot_lower_the_total_below_what_is_done(project, manager_client):
    data = project_post(project, total_investment="199.99")
    response = manager_client.post(change_url(project), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["total_investment"] == [
        "CY-001 历年累计已完成投资 200.00 万元，超过所填总投资 199.99 万元；"
        "总投资不能低于已完成投资。"
    ]
    project.refresh_from_db()
    assert project.total_investment == D("131500")
