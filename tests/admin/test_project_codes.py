"""The project form refuses look-alike codes and stores the normal form."""

import pytest
from django.urls import reverse

from projects.models import Project
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def management(prefix):
    return {
        f"{prefix}-TOTAL_FORMS": "0",
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def project_form(project, code):
    return {
        "expected_version": project.version,
        "code": code,
        "name": project.name,
        "programme": project.programme_id,
        "category": project.category_id,
        "unit": project.unit_id,
        "street": project.street_id,
        "leader": "",
        "kind": project.kind,
        "total_investment": project.total_investment,
        "planned_start": project.planned_start.isoformat(),
        "actual_start": "",
        "planned_completion": "",
        "statistics_entry_date": "",
        "joined_on": project.joined_on.isoformat(),
        "withdrawn_on": "",
        "image_progress": "",
        "notes": "",
        "reason": "",
        **management("plans"),
        **management("progress"),
    }


def test_admin_refuses_a_project_code_with_a_zero_width_space(manager_client):
    project = ProjectFactory(code="CY-001")
    url = reverse("admin:projects_project_change", args=[project.pk])
    response = manager_client.post(url, project_form(project, "CY-0\u200b01"))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["code"]
    assert "不可见字符" in errors[0] and "U+200B" in errors[0]
    assert Project.objects.get().code == "CY-001"


def test_admin_stores_a_full_width_project_code_in_its_normal_form(manager_client):
    project = ProjectFactory(code="CY-001")
    url = reverse("admin:projects_project_change", args=[project.pk])
    response = manager_client.post(url, project_form(project, "ＣＹ-００２"))
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Project.objects.get().code == "CY-002"
