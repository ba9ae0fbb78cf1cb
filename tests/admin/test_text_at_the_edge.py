"""The admin's project form applies the edge rule of projects.text through the model fields."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from tests.admin.posts import project_post
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _end_of_june_2024():
    with time_machine.travel(dt.datetime(2024, 6, 30, 12, 0), tick=False):
        yield


@pytest.fixture
def project(unit_a):
    return ProjectFactory(code="CY-001", unit=unit_a)


def _manager_post(project, **extra):
    # A manager's form also holds the fields unit staff cannot change.
    return project_post(
        project,
        code=project.code,
        programme=project.programme_id,
        unit=project.unit_id,
        **extra,
    )


def test_admin_refuses_a_project_name_with_a_zero_width_space(manager_client, project):
    url = reverse("admin:projects_project_change", args=[project.pk])

    response = manager_client.post(url, _manager_post(project, name="物元\u200b项目"))

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["name"]
    assert "只能填写一行可见文字" in errors[0] and "U+200B" in errors[0]
    project.refresh_from_db()
    assert "\u200b" not in project.name


def test_admin_stores_notes_with_c1_controls_dropped_and_line_breaks_kept(manager_client, project):
    url = reverse("admin:projects_project_change", args=[project.pk])
    # C1 controls pass the site's control-character guard (it refuses C0 only).
    data = _manager_post(project, notes="第一行\x85第二行\x9b", image_progress="主体\r\n施工")

    response = manager_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    project.refresh_from_db()
    assert (project.notes, project.image_progress) == ("第一行\n第二行", "主体\n施工")


def test_account_form_refuses_a_persons_name_with_a_direction_mark(manager_client, staff_a):
    url = reverse("admin:auth_user_change", args=[staff_a.pk])
    data = {
        "username": staff_a.username,
        "first_name": "张\u202e三",
        "last_name": "",
        "email": "",
        "is_active": "on",
        "role": "unit_staff",
        "member_of": [str(pk) for pk in staff_a.units.values_list("pk", flat=True)],
    }

    response = manager_client.post(url, data)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["first_name"]
    assert "U+202E" in errors[0]
    staff_a.refresh_from_db()
    assert staff_a.first_name != "张\u202e三"
