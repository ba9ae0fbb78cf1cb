"""The plausibility rule through the imports: the progress preview and confirm, the 已核实
column, and the ledger's 总投资."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from projects.imports import run_import
from projects.models import MonthlyProgress, Project
from tests.factories import MonthlyProgressFactory, ProjectFactory
from tests.importfiles import LEDGER_HEADERS, PROGRESS_HEADERS, csv_bytes, ledger_row

pytestmark = pytest.mark.django_db
D = Decimal
PROGRESS_URL = reverse("imports:import", args=["progress"])


@pytest.fixture(autouse=True)
def _setup(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    with time_machine.travel(dt.datetime(2024, 6, 30, 12, 0), tick=False):
        yield


@pytest.fixture
def project(unit_a):
    project = ProjectFactory(code="CY-001", unit=unit_a, total_investment=D("131500"))
    for month in (1, 2):
        MonthlyProgressFactory(project=project, month=month, investment=D("100"), inclusion=D("80"))
    return project


def progress_file(*rows):
    return csv_bytes([PROGRESS_HEADERS, *rows])


def row(month, investment, inclusion="0", acknowledged=""):
    return ["CY-001", 2024, month, investment, inclusion, "", "", acknowledged]


def test_the_articles_500000_is_an_error_in_the_preview_and_cannot_be_confirmed(
    project, manager_client
):
    content = progress_file(row(3, "500000", acknowledged="是"))
    response = manager_client.post(PROGRESS_URL, {"file": SimpleUploadedFile("march.csv", content)})
    [error] = response.context["errors"]
    assert (error.row, error.column) == (2, "当月完成投资（万元）")
    assert (
        "CY-001 2024-03：当月完成投资 500000.00 万元超过项目总投资 131500.00 万元" in error.message
    )
    assert response.context["token"] == ""
    assert not MonthlyProgress.objects.filter(month=3).exists()


def test_cumulative_over_the_files_own_rows_above_the_total_is_refused(project, manager):
    content = progress_file(row(3, "70000"), row(4, "70000"))
    result = run_import("progress", content, actor=manager, acknowledged_rows={2, 3})
    # Either month could be the mistake, so both rows are named.
    assert [(e.row, "历年累计完成投资将达 140200.00 万元" in e.message) for e in result.errors] == [
        (2, True),
        (3, True),
    ]
    assert not MonthlyProgress.objects.filter(month__in=(3, 4)).exists()


def test_the_preview_lists_each_flagged_row_with_its_reason(project, staff_a_client):
    content = progress_file(row(3, "120", "90"), row(4, "40000"))
    response = staff_a_client.post(PROGRESS_URL, {"file": SimpleUploadedFile("april.csv", content)})
    [flagged] = response.context["flagged"]
    assert (flagged.row, flagged.label, flagged.acknowledged) == (3, "CY-001 2024-04", False)
    assert [w.code for w in flagged.warnings] == ["share_of_total", "times_average", "jump"]
    page = response.content.decode()
    assert 'name="ack" value="3"' in page and "超过项目总投资（131500.00 万元）的 30%" in page
    assert response.context["token"]


def test_nothing_is_applied_until_each_flagged_row_is_ticked(project, staff_a_client, staff_a):
    content = progress_file(row(3, "120", "90"), row(4, "40000"))
    preview = staff_a_client.post(PROGRESS_URL, {"file": SimpleUploadedFile("a.csv", content)})
    unticked = staff_a_client.post(PROGRESS_URL, {"token": preview.context["token"]})
    assert unticked.status_code == 200
    assert [f.row for f in unticked.context["flagged"]] == [3]
    assert not MonthlyProgress.objects.filter(month__in=(3, 4)).exists()

    ticked = staff_a_client.post(PROGRESS_URL, {"token": unticked.context["token"], "ack": ["3"]})
    assert ticked.status_code == 302
    april = MonthlyProgress.objects.get(month=4)
    assert (april.acknowledged_by, april.acknowledged_warnings) == (
        staff_a,
        "share_of_total,times_average,jump",
    )
    assert MonthlyProgress.objects.get(month=3).acknowledged_by is None


def test_the_files_yi_he_shi_column_acknowledges_a_row(project, staff_a_client, staff_a):
    content = progress_file(row(3, "40000", acknowledged="是"))
    preview = staff_a_client.post(PROGRESS_URL, {"file": SimpleUploadedFile("a.csv", content)})
    [flagged] = preview.context["flagged"]
    assert flagged.acknowledged is True
    assert staff_a_client.post(PROGRESS_URL, {"token": preview.context["token"]}).status_code == 302
    entry = MonthlyProgress.objects.get(month=3)
    assert entry.acknowledged_by == staff_a
    assert entry.history.latest().acknowledged_by_id == staff_a.pk


def test_an_unreadable_yi_he_shi_cell_is_a_row_error(project, manager):
    result = run_import("progress", progress_file(row(3, "120", "90", "对")), actor=manager)
    assert [(e.row, e.column) for e in result.errors] == [(2, "已核实")]


def test_the_ledger_import_cannot_lower_the_total_below_what_is_done(project, manager):
    ledger = ledger_row(
        **{
            "总投资（万元）": "199.99",
            "项目名称": project.name,
            "项目清单": project.programme.name,
            "项目类别": project.category.name,
            "责任单位": project.unit.name,
            "所在街道": project.street.name,
        }
    )
    content = csv_bytes([LEDGER_HEADERS, ledger])
    result = run_import("ledger", content, actor=manager)
    assert [(e.row, e.column) for e in result.errors] == [(2, "总投资（万元）")]
    assert "总投资不能低于已完成投资" in result.errors[0].message
    assert Project.objects.get(code="CY-001").total_investment == D("131500")
