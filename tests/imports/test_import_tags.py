"""The ledger's 标签 column puts projects into campaigns; the ledger export writes it back."""

import datetime as dt

import pytest
import time_machine

from projects.imports import run_import
from projects.imports.tags import split_tags
from projects.models import Project, Tag
from tests.factories import user_with_role
from tests.importfiles import LEDGER_HEADERS, csv_bytes, ledger_row

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _mid_2024():
    with time_machine.travel(dt.datetime(2024, 6, 30, 12, 0), tick=False):
        yield


def boss():
    return user_with_role("manager")


def ledger(*rows) -> bytes:
    return csv_bytes([LEDGER_HEADERS, *rows])


def test_tags_are_split_on_either_separator():
    assert split_tags("老旧小区改造、微更新, 断头路打通，") == (
        "微更新",
        "断头路打通",
        "老旧小区改造",
    )
    assert split_tags("") == ()


def test_ledger_import_creates_and_sets_campaigns():
    result = run_import(
        "ledger",
        ledger(ledger_row(标签="老旧小区改造、微更新")),
        filename="l.csv",
        actor=boss(),
    )
    assert result.written, result.errors
    project = Project.objects.get(code="CY-001")
    assert sorted(project.tags.values_list("name", flat=True)) == ["微更新", "老旧小区改造"]


def test_changed_tags_show_in_the_preview_and_replace_the_old_ones():
    run_import(
        "ledger",
        ledger(ledger_row(标签="老旧小区改造")),
        filename="l.csv",
        actor=boss(),
    )
    result = run_import(
        "ledger",
        ledger(ledger_row(标签="断头路打通")),
        filename="l.csv",
        actor=boss(),
    )
    row = result.plan.rows[0]
    assert [(c.old, c.new) for c in row.changes] == [("老旧小区改造", "断头路打通")]
    assert list(Project.objects.get(code="CY-001").tags.values_list("name", flat=True)) == [
        "断头路打通"
    ]
    assert Tag.objects.filter(name="老旧小区改造").exists()


def test_unit_staff_cannot_change_campaigns_by_import():
    run_import(
        "ledger",
        ledger(ledger_row(标签="老旧小区改造")),
        filename="l.csv",
        actor=boss(),
    )
    project = Project.objects.get(code="CY-001")
    staff = user_with_role("unit_staff", project.unit)
    unchanged = run_import(
        "ledger", ledger(ledger_row(标签="老旧小区改造")), filename="l.csv", actor=staff
    )
    assert not unchanged.errors
    refused = run_import("ledger", ledger(ledger_row(标签="微更新")), filename="l.csv", actor=staff)
    assert refused.errors and not refused.written
    assert "管理员" in refused.errors[0].message or "managers" in refused.errors[0].message


def test_ledger_export_writes_the_tags_back():
    from projects.imports.ledger_files import ledger_rows

    run_import(
        "ledger",
        ledger(ledger_row(标签="微更新，老旧小区改造")),
        filename="l.csv",
        actor=boss(),
    )
    row = next(iter(ledger_rows()))
    assert row[LEDGER_HEADERS.index("标签")] == "微更新、老旧小区改造"
