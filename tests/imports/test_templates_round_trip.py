"""The templates' example rows are obviously fake and never imported."""

import datetime as dt
import io
from io import StringIO

import openpyxl
import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from projects.imports import run_import
from projects.imports.ledger_files import template_xlsx
from projects.models import Category, MonthlyProgress, Programme, Project, Street, Unit
from tests.factories import ProjectFactory, StreetFactory, UserFactory

pytestmark = pytest.mark.django_db
KINDS = ["ledger", "progress"]


@pytest.fixture(autouse=True)
def _end_of_june_2024(settings):
    settings.LANGUAGE_CODE = "en"
    with time_machine.travel(dt.datetime(2024, 6, 30, 12, 0), tick=False):
        yield


def _rows(content: bytes):
    return list(openpyxl.load_workbook(io.BytesIO(content)).worksheets[0].values)


def _with_code(content: bytes, code: str) -> bytes:
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    workbook.worksheets[0]["A2"] = code
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _table_counts():
    return [
        m.objects.count() for m in (Project, MonthlyProgress, Programme, Unit, Street, Category)
    ]


@pytest.mark.parametrize("kind", KINDS)
def test_template_example_uses_an_obviously_fake_code_and_the_real_street_name(kind):
    header, example = _rows(template_xlsx(kind))
    assert example[0].startswith("示例")
    if kind == "ledger":
        assert example[header.index("所在街道")] == "流亭街道"
    notes = openpyxl.load_workbook(io.BytesIO(template_xlsx(kind))).worksheets[1]
    assert any("示例" in str(row[0]) for row in notes.values if row and row[0])


def test_progress_template_says_the_amounts_are_the_months_own_and_lists_the_old_headers():
    with translation.override("zh-hans"):
        content = template_xlsx("progress")
    header, _example = _rows(content)
    assert "当月完成投资（万元）" in header and "当月纳统额（万元）" in header
    notes = {
        row[0]: row for row in openpyxl.load_workbook(io.BytesIO(content)).worksheets[1].values
    }
    for column, old in (
        ("当月完成投资（万元）", "完成投资（万元）"),
        ("当月纳统额（万元）", "纳统额（万元）"),
    ):
        assert old in notes[column][2]
        assert "当月" in notes[column][3] and "累计" in notes[column][3]


@pytest.mark.parametrize("kind", KINDS)
def test_importing_the_untouched_template_writes_nothing_and_reports_the_example(kind, manager):
    # A real project whose code the old example used must not be touched either.
    ProjectFactory(code="CY2024-001", street=StreetFactory(name="流亭街道"))
    before = _table_counts()

    result = run_import(kind, template_xlsx(kind), filename="t.xlsx", actor=manager)

    assert not result.errors
    assert result.plan.example_rows == [2]
    assert result.counts == {"new": 0, "changed": 0, "unchanged": 0, "errors": 0}
    assert _table_counts() == before


@pytest.mark.parametrize("kind", KINDS)
def test_template_example_with_a_real_code_imports_cleanly_in_a_dry_run(kind, manager):
    if kind == "progress":
        ProjectFactory(code="CY-777")
    content = _with_code(template_xlsx(kind), "CY-777")

    result = run_import(kind, content, filename="t.xlsx", dry_run=True, actor=manager)

    assert not result.errors and result.counts["new"] == 1


def test_admin_preview_and_command_report_skipped_example_rows(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    client.force_login(UserFactory(is_superuser=True))
    content = template_xlsx("progress")

    preview = client.post(
        reverse("imports:import", args=["progress"]),
        {"file": SimpleUploadedFile("t.xlsx", content)},
    )
    assert "Skipped 1 example row" in preview.content.decode()

    path = tmp_path / "t.xlsx"
    path.write_bytes(content)
    out = StringIO()
    with translation.override("en"):
        call_command(
            "import_progress", str(path), "--user", "system", stdout=out, stderr=StringIO()
        )
    assert "skipped 1 example row" in out.getvalue()
    assert MonthlyProgress.objects.count() == 0
