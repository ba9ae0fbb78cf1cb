"""Each role against the real report, export and project pages (on the demo ledger)."""

import pytest
from django.urls import reverse

from projects.models import Project, Unit
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_loaded(demo_db):
    return None


def report_url():
    return reverse("quarterly_report", args=[2024, 1])


def export_url(fmt="csv"):
    return reverse("export_report", args=[2024, 1, fmt])


def test_anonymous_user_sees_only_the_login_page(client, demo_loaded):
    project = Project.objects.first()
    for url in (report_url(), export_url(), reverse("project_detail", args=[project.code])):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"]
    assert client.get(reverse("login")).status_code == 200


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_viewer_downloads_exports(client, demo_loaded, fmt):
    client.force_login(user_with_role("viewer"))
    assert client.get(report_url()).status_code == 200
    response = client.get(export_url(fmt))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]


def test_unit_staff_reads_the_district_report_but_cannot_export(client, demo_loaded):
    client.force_login(user_with_role("unit_staff", Unit.objects.first()))
    assert client.get(report_url()).status_code == 200
    assert client.get(export_url()).status_code == 403


def test_unit_staff_cannot_open_another_units_project_page(client, demo_loaded):
    unit = Unit.objects.filter(projects__isnull=False).first()
    other = Project.objects.exclude(unit=unit).first()
    own = Project.objects.filter(unit=unit).first()
    client.force_login(user_with_role("unit_staff", unit))
    assert client.get(reverse("project_detail", args=[own.code])).status_code == 200
    # Out of reach reads as missing, as in the admin and the problem pages.
    assert client.get(reverse("project_detail", args=[other.code])).status_code == 404


def test_manager_exports_and_reaches_the_admin(client, demo_loaded):
    client.force_login(user_with_role("manager"))
    assert client.get(export_url()).status_code == 200
    project = Project.objects.first()
    url = reverse("admin:projects_project_change", args=[project.pk])
    assert client.get(url).status_code == 200
