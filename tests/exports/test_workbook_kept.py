"""A workbook is built once per data version (``Exporter.kept``, ``report_cache.kept_with``).

XLSX is built whole before it is sent, and the same figures and rows give the same cells,
so the first download of a data version keeps the file beside the report's figures and
the next ones read it. A write moves the figures' key, so no one downloads a workbook of
figures since changed; the key holds the reader's reach and the filters, so no one gets a
workbook of another reach or filter. Streamed formats (CSV, JSON) are not kept.

``settle()`` stands for the commit the test's transaction never makes
(``tests/data_versions.py``).
"""

import io
from decimal import Decimal

import pytest
from django.core.cache import cache
from openpyxl import load_workbook

from projects.exports import csv_file, export_report_file, stream_report_file, xlsx_file
from projects.models import Project
from projects.services.ledger import record_progress
from tests.data_versions import settle
from tests.reporting import count_calls, settled_list

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def programme(unit_a, street_a):
    programme = settled_list(unit_a, street_a)
    cache.clear()
    return programme


@pytest.fixture
def built(monkeypatch):
    """How many workbooks were built."""
    return count_calls(monkeypatch, xlsx_file, "to_xlsx")


def download(user, programme, fmt="xlsx", **filters) -> bytes:
    made = stream_report_file(
        user=user, programme=programme, year=2024, quarter=1, fmt=fmt, filters=filters
    )
    return b"".join(made.chunks)


def project_cells(data: bytes) -> list:
    book = load_workbook(io.BytesIO(data), read_only=True)
    sheet = book["项目明细"]
    return [row for row in sheet.values if row and str(row[0]).startswith(("CY-", "合计"))]


def codes(data: bytes) -> list[str]:
    return [row[0] for row in project_cells(data) if row[0] != "合计"]


def test_a_second_download_of_one_data_version_reads_the_kept_workbook(programme, manager, built):
    first = download(manager, programme)
    second = download(manager, programme)
    assert len(built) == 1
    assert second == first
    assert codes(second) == ["CY-0", "CY-1", "CY-2"]


def test_the_command_and_share_links_door_reads_the_same_kept_workbook(programme, manager, built):
    streamed = download(manager, programme)
    made = export_report_file(user=manager, programme=programme, year=2024, quarter=1, fmt="xlsx")
    assert len(built) == 1
    assert made.content == streamed


def amounts(data: bytes, code: str) -> set[Decimal]:
    row = next(row for row in project_cells(data) if row[0] == code)
    return {D(str(v)).quantize(D("0.01")) for v in row if isinstance(v, (int, float))}


def test_a_write_moves_the_workbook_at_once(programme, manager, built):
    before = download(manager, programme)
    assert D("30.00") in amounts(before, "CY-0") and D("35.00") not in amounts(before, "CY-0")
    record_progress(
        actor=manager, project=Project.objects.get(code="CY-0"), year=2024, month=2,
        investment=D("5"), inclusion=D("0"), acknowledge=True,
    )  # fmt: skip
    # In the writing transaction: built from the rows, and not kept under a key read before.
    assert D("35.00") in amounts(download(manager, programme), "CY-0")
    settle()
    after = download(manager, programme)
    again = download(manager, programme)
    assert len(built) == 3  # before, inside the writing transaction, after it
    assert again == after
    assert D("35.00") in amounts(after, "CY-0")
    assert D("95.00") in amounts(after, "合计")


def test_each_reach_and_filter_has_its_own_workbook(
    programme, manager, street_viewer, street_a, built
):
    whole = download(manager, programme)
    streets = download(street_viewer, programme)
    filtered = download(manager, programme, street=street_a.code)
    assert len(built) == 3
    assert codes(whole) == ["CY-0", "CY-1", "CY-2"]
    assert codes(streets) == ["CY-0", "CY-1"]
    assert codes(filtered) == ["CY-0", "CY-1"]


def test_streamed_files_are_written_from_their_rows_each_time(programme, manager, monkeypatch):
    written = count_calls(monkeypatch, csv_file, "csv_chunks")
    first = download(manager, programme, "csv")
    second = download(manager, programme, "csv")
    assert first == second
    assert len(written) == 2
