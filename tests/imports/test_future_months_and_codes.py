"""Imports meet the same rules: no future months, no look-alike project codes."""

import datetime as dt

import pytest
import time_machine

from projects.imports import run_import
from projects.models import MonthlyProgress, Project
from tests.factories import ProjectFactory, user_with_role
from tests.importfiles import LEDGER_HEADERS, PROGRESS_HEADERS, csv_bytes, ledger_row

pytestmark = pytest.mark.django_db


@time_machine.travel(dt.datetime(2024, 5, 20, 9, 0, tzinfo=dt.UTC))
def test_progress_import_refuses_a_future_month_in_preview_and_writes_nothing(manager):
    ProjectFactory(code="CY-001")
    content = csv_bytes(
        [
            PROGRESS_HEADERS,
            ["CY-001", 2024, 5, "5", "1", "", ""],
            ["CY-001", 2027, 1, "9", "1", "", ""],
        ]
    )
    preview = run_import("progress", content, filename="p.csv", actor=manager, dry_run=True)
    assert [(e.row, e.column) for e in preview.errors] == [(3, "月份")]
    assert "2027年01月尚未开始" in preview.errors[0].message
    result = run_import("progress", content, filename="p.csv", actor=manager)
    assert not result.written
    assert not MonthlyProgress.objects.exists()


@pytest.mark.parametrize("hidden", ["\u200b", "\u2060", "\ufeff", "\u202e", "\u2066"])
def test_ledger_import_refuses_a_project_code_with_invisible_characters(manager, hidden):
    content = csv_bytes([LEDGER_HEADERS, ledger_row(项目编号=f"CY-{hidden}001")])
    result = run_import("ledger", content, filename="ledger.csv", actor=manager)
    assert not result.written
    assert any("不可见字符" in e.message for e in result.errors), result.errors
    assert not Project.objects.exists()


def test_ledger_import_refuses_a_new_code_with_a_slash_and_writes_nothing():
    content = csv_bytes([LEDGER_HEADERS, ledger_row(**{"项目编号": "CY/001"})])
    result = run_import("ledger", content, filename="l.csv", actor=user_with_role("manager"))
    assert result.errors
    assert "项目编号只能包含" in " ".join(str(e) for e in result.errors)
    assert not Project.objects.exists()
