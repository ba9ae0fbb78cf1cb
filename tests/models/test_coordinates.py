"""A project's coordinates: one range rule (the district's box), read the same at every door."""

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from projects.imports import run_import
from projects.imports.ledger_files import ledger_xlsx
from projects.models import Project
from tests.admin.test_project_codes import project_form
from tests.factories import ProjectFactory
from tests.importfiles import LEDGER_HEADERS, ledger_row, make_file

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _mid_2024():
    with time_machine.travel(dt.datetime(2024, 6, 30, 12, 0), tick=False):
        yield


def _errors(project) -> dict:
    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        project.full_clean()
    return caught.value.message_dict


def test_a_point_inside_the_district_is_kept_to_six_places():
    project = ProjectFactory()
    project.longitude, project.latitude = "１２０.３９１２３４５６", 36.3071
    project.full_clean()
    assert project.longitude == Decimal("120.391235")
    assert project.latitude == Decimal("36.307100")


def test_swapped_or_far_off_coordinates_are_refused_in_chinese():
    project = ProjectFactory()
    project.longitude, project.latitude = Decimal("36.3"), Decimal("120.39")  # swapped
    errors = _errors(project)
    assert "经度" in errors["longitude"][0] and "城阳区" in errors["longitude"][0]
    assert "纬度" in errors["latitude"][0] and "120.25" not in errors["latitude"][0]


def test_half_a_point_is_refused():
    project = ProjectFactory()
    project.longitude = Decimal("120.4")
    assert "经度和纬度" in _errors(project)["latitude"][0]


@override_settings(TRACKER_MAP_BOUNDS=(Decimal(0), Decimal(0), Decimal(1), Decimal(1)))
def test_the_box_comes_from_the_setting():
    project = ProjectFactory()
    project.longitude, project.latitude = Decimal("0.5"), Decimal("0.5")
    project.full_clean()
    project.longitude, project.latitude = Decimal("120.4"), Decimal("36.3")
    assert set(_errors(project)) == {"longitude", "latitude"}


def test_the_admin_refuses_an_outside_point_and_stores_a_good_one(manager_client):
    project = ProjectFactory(code="CY-001")
    url = reverse("admin:projects_project_change", args=[project.pk])
    form = project_form(project, "CY-001")
    with translation.override("zh-hans"):
        response = manager_client.post(url, {**form, "longitude": "121.9", "latitude": "36.3"})
    assert response.status_code == 200
    assert "经度" in response.context["adminform"].form.errors["longitude"][0]
    response = manager_client.post(url, {**form, "longitude": "120.4", "latitude": "36.3"})
    assert response.status_code == 302, response.context["adminform"].form.errors
    stored = Project.objects.get()
    assert (stored.longitude, stored.latitude) == (Decimal("120.4"), Decimal("36.3"))
    assert stored.history.first().longitude == Decimal("120.4")


def test_the_ledger_import_reads_the_columns_and_refuses_a_bad_one_on_its_row(manager):
    content = make_file(
        "csv",
        [
            LEDGER_HEADERS,
            ledger_row(经度="１２０.４", 纬度="36.3"),
            ledger_row(项目编号="CY-002", 经度="abc", 纬度="36.3"),
            ledger_row(项目编号="CY-003", 经度="120.4", 纬度="30.1"),
        ],
    )
    with translation.override("zh-hans"):
        result = run_import("ledger", content, filename="l.csv", actor=manager)
        messages = [str(error) for error in result.plan.errors]
    assert not result.written and len(messages) == 2
    assert "第3行" in messages[0].replace(" ", "") and "经度" in messages[0]
    assert "第4行" in messages[1].replace(" ", "") and "纬度" in messages[1]

    good = make_file("xlsx", [LEDGER_HEADERS, ledger_row(经度=120.4, 纬度="36.3")])
    result = run_import("ledger", good, filename="l.xlsx", actor=manager)
    assert result.written and not result.plan.errors
    project = Project.objects.get(code="CY-001")
    assert (project.longitude, project.latitude) == (Decimal("120.4"), Decimal("36.3"))


def test_the_ledger_export_writes_the_coordinates_and_reads_back_unchanged(manager):
    ProjectFactory(code="CY-001", longitude=Decimal("120.4"), latitude=Decimal("36.3"))
    exported = ledger_xlsx(Project.objects.all())
    header, row = list(openpyxl.load_workbook(io.BytesIO(exported)).worksheets[0].values)[:2]
    assert Decimal(str(row[header.index("经度")])) == Decimal("120.4")
    assert Decimal(str(row[header.index("纬度")])) == Decimal("36.3")
