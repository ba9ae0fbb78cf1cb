"""Text coming in through the import files and commands is cleaned once, by the cell reader.

Free text (形象进度, 存在问题) keeps its line breaks and loses other control characters;
names and codes with a line break, a control or an invisible mark are refused with a
Chinese message naming the row. The rule is ``projects.text``.
"""

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from projects.imports import run_import
from projects.imports.ledger_files import ledger_xlsx
from projects.models import MonthlyProgress, Project, Unit
from tests.factories import ProjectFactory
from tests.importfiles import LEDGER_HEADERS, PROGRESS_HEADERS, csv_bytes, ledger_row

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _end_of_june_2024():
    with time_machine.travel(dt.datetime(2024, 6, 30, 12, 0), tick=False):
        yield


@pytest.fixture
def project(unit_a):
    return ProjectFactory(code="CY-001", unit=unit_a)


def _progress_csv(image_progress="", problems="") -> bytes:
    return csv_bytes([PROGRESS_HEADERS, ["CY-001", 2024, 3, "10", "5", image_progress, problems]])


def test_progress_csv_with_excels_vertical_tab_imports_with_the_notes_cleaned(project, staff_a):
    # What Excel stores for a line break pasted from Word, and stray controls beside it.
    content = _progress_csv("主体\x0b施工\x01", "缺电\r\n待接入\x1b")

    result = run_import("progress", content, filename="p.csv", actor=staff_a)

    assert not result.errors
    entry = MonthlyProgress.objects.get()
    assert (entry.image_progress, entry.problems) == ("主体\n施工", "缺电\n待接入")


def test_import_progress_command_stores_the_notes_cleaned(project, tmp_path):
    path = tmp_path / "progress.csv"
    path.write_bytes(_progress_csv("主体\x0b施工\x7f"))

    call_command("import_progress", str(path), "--user", "system", stdout=StringIO())

    assert MonthlyProgress.objects.get().image_progress == "主体\n施工"


@pytest.mark.parametrize(
    ("header", "value", "shown"),
    [
        ("责任单位", "区发展\x0b和改革局", "换行"),
        ("项目名称", "物元\x0b项目", "换行"),
        ("项目名称", "物元\u200b项目", "U+200B"),
        ("包联领导", "张\u202e三", "U+202E"),
        ("所在街道", "流亭\x01", "U+0001"),
        ("标签", "老旧小区\n改造", "换行"),
    ],
)
def test_ledger_csv_with_a_control_in_a_name_is_refused_naming_the_row(
    manager, header, value, shown
):
    content = csv_bytes(
        [LEDGER_HEADERS, ledger_row(), ledger_row(项目编号="CY-002", **{header: value})]
    )

    result = run_import("ledger", content, filename="ledger.csv", actor=manager)

    assert not result.written
    assert [(e.row, e.column) for e in result.errors] == [(3, header)]
    message = result.errors[0].message
    assert "只能填写一行可见文字" in message and shown in message, message
    assert not Project.objects.exists() and not Unit.objects.filter(name__contains="发展").exists()


def test_a_name_the_export_guarded_against_formulas_imports_back_unchanged(manager):
    ProjectFactory(code="CY-7", name="-1号地块", leader="@李四")

    result = run_import("ledger", ledger_xlsx(), filename="ledger.xlsx", actor=manager)

    assert not result.errors
    assert result.counts["unchanged"] == 1
