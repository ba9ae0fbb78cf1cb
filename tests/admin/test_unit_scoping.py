"""Unit staff of unit A cannot list, open, change or delete anything of unit B in the admin."""

from decimal import Decimal

import pytest
from django.urls import reverse

from projects.models import MonthlyProgress, Project, QuarterPlan
from tests.admin.posts import change_url, inline_management, project_post
from tests.factories import (
    MonthlyProgressFactory,
    ProjectFactory,
    QuarterPlanFactory,
    UnitFactory,
    user_with_role,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    unit_a, unit_b = UnitFactory(name="单位甲"), UnitFactory(name="单位乙")
    own = ProjectFactory(unit=unit_a, name="甲的项目")
    other = ProjectFactory(unit=unit_b, name="乙的项目")
    return {
        "a": unit_a,
        "b": unit_b,
        "own": own,
        "other": other,
        "own_entry": MonthlyProgressFactory(project=own, month=1),
        "other_entry": MonthlyProgressFactory(project=other, month=1),
        "other_plan": QuarterPlanFactory(project=other),
        "staff": user_with_role("unit_staff", unit_a),
    }


def test_unit_staff_changelists_show_only_own_units_rows(client, world):
    client.force_login(world["staff"])
    for model in ("project", "monthlyprogress"):
        response = client.get(reverse(f"admin:projects_{model}_changelist"))
        assert response.status_code == 200
        page = response.content.decode()
        assert "甲的项目" in page or world["own"].code in page
        assert world["other"].code not in page


def test_unit_staff_cannot_open_other_units_project_entry_or_plan(client, world):
    client.force_login(world["staff"])
    for obj in (world["other"], world["other_entry"], world["other_plan"]):
        assert client.get(change_url(obj)).status_code == 404
    assert client.get(change_url(world["own"])).status_code == 200


def test_unit_staff_post_to_other_units_project_writes_nothing(client, world):
    client.force_login(world["staff"])
    other = world["other"]
    response = client.post(change_url(other), project_post(other, name="篡改"))
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.name == "乙的项目"


def test_unit_staff_inline_post_with_other_projects_entry_id_writes_nothing(client, world):
    client.force_login(world["staff"])
    own, other_entry = world["own"], world["other_entry"]
    data = project_post(own, **inline_management("progress", 1, 1))
    data.update(
        {
            "progress-0-id": other_entry.pk,
            "progress-0-project": own.pk,
            "progress-0-expected_version": other_entry.version,
            "progress-0-year": 2024,
            "progress-0-month": 1,
            "progress-0-investment": "999",
            "progress-0-inclusion": "999",
        }
    )
    response = client.post(change_url(own), data)
    assert response.status_code == 302
    # The forged id is not among the rows the staff may change, so the row is taken as a
    # new entry of their own project; the other unit's entry is untouched.
    other_entry.refresh_from_db()
    assert other_entry.investment == Decimal("50.00")
    assert other_entry.project == world["other"]


def test_unit_staff_cannot_delete_other_units_entry_by_url_or_bulk_action(client, world):
    client.force_login(world["staff"])
    other_entry = world["other_entry"]
    url = reverse("admin:projects_monthlyprogress_delete", args=[other_entry.pk])
    assert client.post(url, {"post": "yes"}).status_code == 404
    client.post(
        reverse("admin:projects_monthlyprogress_changelist"),
        {"action": "delete_selected", "_selected_action": [other_entry.pk], "post": "yes"},
    )
    assert MonthlyProgress.objects.filter(pk=other_entry.pk).exists()


def test_unit_staff_bulk_delete_of_own_entry_goes_through_services(client, world):
    client.force_login(world["staff"])
    own_entry = world["own_entry"]
    client.post(
        reverse("admin:projects_monthlyprogress_changelist"),
        {"action": "delete_selected", "_selected_action": [own_entry.pk], "post": "yes"},
    )
    assert not MonthlyProgress.objects.filter(pk=own_entry.pk).exists()
    deleted = MonthlyProgress.history.filter(id=own_entry.pk, history_type="-").get()
    assert deleted.history_user == world["staff"]


def test_unit_staff_cannot_add_or_delete_projects(client, world):
    client.force_login(world["staff"])
    assert client.get(reverse("admin:projects_project_add")).status_code == 403
    url = reverse("admin:projects_project_delete", args=[world["own"].pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert Project.objects.filter(pk=world["own"].pk).exists()


def test_unit_staff_cannot_move_own_project_to_another_unit(client, world):
    client.force_login(world["staff"])
    own = world["own"]
    client.post(change_url(own), project_post(own, unit=world["b"].pk, name="新名称"))
    own.refresh_from_db()
    assert own.unit == world["a"]
    assert own.name == "新名称"  # the permitted change went through, the unit did not


def test_unit_staff_progress_form_offers_only_own_projects(client, world):
    client.force_login(world["staff"])
    response = client.post(
        reverse("admin:projects_monthlyprogress_add"),
        {
            "project": world["other"].pk,
            "year": 2024,
            "month": 2,
            "investment": "10",
            "inclusion": "5",
            "reason": "",
        },
    )
    assert response.status_code == 200
    assert not MonthlyProgress.objects.filter(project=world["other"], month=2).exists()


def test_unit_staff_enters_own_progress_through_admin(client, world):
    client.force_login(world["staff"])
    response = client.post(
        reverse("admin:projects_monthlyprogress_add"),
        {
            "project": world["own"].pk,
            "year": 2024,
            "month": 2,
            "investment": "12.50",
            "inclusion": "5",
            "image_progress": "主体施工",
            "problems": "",
            "reason": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = MonthlyProgress.objects.get(project=world["own"], month=2)
    assert entry.investment == Decimal("12.50")
    assert entry.updated_by == world["staff"]


def test_unit_staff_list_editable_cannot_touch_other_units_rows(client, world):
    client.force_login(world["staff"])
    own_entry, other_entry = world["own_entry"], world["other_entry"]
    client.post(
        reverse("admin:projects_monthlyprogress_changelist"),
        {
            **inline_management("form", 1, 1),
            "form-0-id": other_entry.pk,
            "form-0-investment": "777",
            "form-0-inclusion": "777",
            "_save": "Save",
        },
    )
    other_entry.refresh_from_db()
    assert other_entry.investment == Decimal("50.00")
    own_entry.refresh_from_db()
    assert own_entry.investment == Decimal("50.00")


def test_unit_staff_cannot_view_other_units_history(client, world):
    client.force_login(world["staff"])
    url = reverse("admin:projects_project_history", args=[world["other"].pk])
    assert client.get(url).status_code == 404


def test_manager_sees_and_edits_every_unit(client, world):
    manager = user_with_role("manager")
    client.force_login(manager)
    other = world["other"]
    response = client.post(
        change_url(other),
        project_post(
            other, name="改名", unit=world["b"].pk, code=other.code, programme=other.programme_id
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    other.refresh_from_db()
    assert other.name == "改名"
    assert QuarterPlan.objects.filter(project=other).exists()


def test_unit_staff_project_autocomplete_offers_only_own_projects(client, world):
    client.force_login(world["staff"])
    response = client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "projects",
            "model_name": "monthlyprogress",
            "field_name": "project",
            "term": "",
        },
    )
    assert response.status_code == 200
    ids = {int(r["id"]) for r in response.json()["results"]}
    assert ids == {world["own"].pk}


def test_unit_staff_changelist_filter_does_not_list_other_units(client, world):
    client.force_login(world["staff"])
    page = client.get(reverse("admin:projects_monthlyprogress_changelist")).content.decode()
    assert "单位乙" not in page


def test_admin_forms_carry_the_version_the_user_started_from(client, world):
    client.force_login(world["staff"])
    html = client.get(change_url(world["own"])).content.decode()
    assert 'name="expected_version"' in html
    assert 'name="progress-0-expected_version"' in html
    html = client.get(reverse("admin:projects_monthlyprogress_changelist")).content.decode()
    assert 'name="initial-form-0-investment"' in html


def test_only_managers_are_asked_for_a_locked_month_reason(client, world):
    client.force_login(world["staff"])
    assert 'name="reason"' not in client.get(change_url(world["own_entry"])).content.decode()
    client.force_login(user_with_role("manager"))
    assert 'name="reason"' in client.get(change_url(world["own_entry"])).content.decode()
