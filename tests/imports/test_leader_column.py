"""包联领导 as a ledger column: a name resolves to a Leader, an unknown one is refused."""

import datetime as dt
import io

import openpyxl
import pytest
import time_machine
from django.utils import translation

from projects.imports import run_import
from projects.imports.ledger_files import ledger_xlsx
from projects.models import Project
from tests.factories import LeaderFactory
from tests.importfiles import LEDGER_HEADERS, ledger_row, make_file

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _end_of_june_2024():
    with time_machine.travel(dt.datetime(2024, 6, 30, 12, 0), tick=False):
        yield


@pytest.fixture
def wang():
    return LeaderFactory(name="王某某", code="WMM", title="区委常委、副区长")


@pytest.mark.parametrize("cell", ["王某某", "WMM", "王某某（区委常委、副区长）"])
def test_a_known_leader_is_linked_by_name_code_or_name_with_post(manager, wang, cell):
    content = make_file("csv", [LEDGER_HEADERS, ledger_row(包联领导=cell)])
    result = run_import("ledger", content, filename="l.csv", actor=manager)
    assert result.written and not result.plan.errors
    assert Project.objects.get(code="CY-001").leader == wang


def test_an_unknown_leader_is_refused_in_chinese_naming_the_row_and_nothing_is_written(
    manager, wang
):
    rows = [ledger_row(包联领导="王某某"), ledger_row(项目编号="CY-002", 包联领导="钱某某")]
    content = make_file("csv", [LEDGER_HEADERS, *rows])
    with translation.override("zh-hans"):
        result = run_import("ledger", content, filename="l.csv", actor=manager)
        messages = [str(error) for error in result.plan.errors]
    assert not result.written and not Project.objects.exists()
    assert len(messages) == 1
    assert "第3行" in messages[0].replace(" ", "") and "包联领导" in messages[0]
    assert "“钱某某”不在包联领导名录中" in messages[0]


def test_a_blank_leader_cell_clears_the_leader(manager, wang):
    run_import(
        "ledger",
        make_file("csv", [LEDGER_HEADERS, ledger_row(包联领导="王某某")]),
        filename="l.csv",
        actor=manager,
    )
    run_import(
        "ledger",
        make_file("csv", [LEDGER_HEADERS, ledger_row(包联领导="")]),
        filename="l.csv",
        actor=manager,
    )
    assert Project.objects.get(code="CY-001").leader is None


def test_an_older_header_is_still_read(manager, wang):
    headers = ["包联区领导" if h == "包联领导" else h for h in LEDGER_HEADERS]
    content = make_file("csv", [headers, ledger_row(包联领导="王某某")])
    run_import("ledger", content, filename="l.csv", actor=manager)
    assert Project.objects.get(code="CY-001").leader == wang


def test_the_ledger_export_prints_the_name_and_imports_back_unchanged(manager, wang):
    run_import(
        "ledger",
        make_file("csv", [LEDGER_HEADERS, ledger_row(包联领导="王某某")]),
        filename="l.csv",
        actor=manager,
    )
    exported = ledger_xlsx(Project.objects.filter(code="CY-001"))
    header, row = list(openpyxl.load_workbook(io.BytesIO(exported)).worksheets[0].values)
    assert row[header.index("包联领导")] == "王某某"
    again = run_import("ledger", exported, filename="l.xlsx", actor=manager, dry_run=True)
    assert not again.plan.errors and again.plan.counts["unchanged"] == 1
