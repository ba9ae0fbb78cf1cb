"""An import preview shows unit staff nothing stored about another unit's projects."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from projects.imports import run_import
from tests.factories import MonthlyProgressFactory, ProjectFactory
from tests.importfiles import PROGRESS_HEADERS, csv_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def secret(unit_b):
    project = ProjectFactory(code="B-001", unit=unit_b, leader="王秘书", notes="绝密备注")
    MonthlyProgressFactory(
        project=project, month=3, investment="4321.00", problems="用地纠纷尚未解决"
    )
    return project


def test_other_units_code_and_unknown_code_get_the_same_error(secret, staff_a, unit_a):
    ProjectFactory(code="A-001", unit=unit_a)
    rows = [
        PROGRESS_HEADERS,
        ["B-001", 2024, 3, "1", "1", "", ""],
        ["NO-SUCH", 2024, 3, "1", "1", "", ""],
    ]
    result = run_import("progress", csv_bytes(rows), filename="p.csv", actor=staff_a, dry_run=True)

    first, second = result.errors
    assert first.message.replace("B-001", "X") == second.message.replace("NO-SUCH", "X")
    assert not result.plan.rows


def test_preview_page_shows_none_of_another_units_stored_figures(secret, staff_a_client):
    rows = [PROGRESS_HEADERS, ["B-001", 2024, 3, "9", "9", "基础施工", ""]]
    upload = SimpleUploadedFile("p.csv", csv_bytes(rows), content_type="text/csv")
    page = staff_a_client.post(reverse("imports:import", args=["progress"]), {"file": upload})

    body = page.content.decode()
    assert page.status_code == 200
    for stored in ("4321", "用地纠纷", "王秘书", "绝密备注"):
        assert stored not in body
    assert "B-001" in body  # the row's own code is named in the error
