"""A file reads the report's kept figures: the page and the files of one data version compute
the headline, breakdowns and coverage once (``selectors.report_cache``).

A file streams its own rows, so only the figures are shared. A file whose figures are not
kept computes them; one that computed every part (JSON, XLSX, the 通报) keeps them for the
page, while the project table's CSV, which computes fewer parts, keeps nothing. A write
moves the key, so a file made after it never prints the figures kept before it.

``settle()`` stands for the commit the test's transaction never makes
(``tests/data_versions.py``).
"""

import io
from decimal import Decimal

import pytest
from django.core.cache import cache
from openpyxl import load_workbook

from projects import services
from projects.exports import (
    csv_file,
    export_report_file,
    json_file,
    stream_report_file,
    xlsx_file,
)
from projects.models import Project, PublishedEdition
from projects.selectors import RowWindow, quarterly_report
from projects.selectors import report as report_module
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
def counted(monkeypatch):
    """How many times the report's figures were computed (its one grouped statement)."""
    return count_calls(monkeypatch, report_module, "grouped_totals")


def page(user, programme):
    return quarterly_report(
        user=user, programme=programme, year=2024, quarter=1, window=RowWindow(per_page=50)
    )


def file(user, programme, fmt, **filters):
    made = stream_report_file(
        user=user, programme=programme, year=2024, quarter=1, fmt=fmt, filters=filters
    )
    return b"".join(made.chunks)


@pytest.mark.parametrize("fmt", ["csv", "json", "xlsx"])
def test_a_file_after_the_page_reads_the_pages_figures_and_is_the_same_file(
    programme, manager, counted, fmt
):
    computed_alone = file(manager, programme, fmt)
    cache.clear()
    page(manager, programme)
    assert len(counted) == 2
    after_the_page = file(manager, programme, fmt)
    assert len(counted) == 2, "the file computed the figures the page had kept"
    if fmt == "xlsx":  # a workbook's zip carries its time of writing; its cells are compared

        def cells(data):
            book = load_workbook(io.BytesIO(data), read_only=True)
            return [list(sheet.values) for sheet in book.worksheets]

        assert cells(after_the_page) == cells(computed_alone)
    else:
        assert after_the_page == computed_alone


def test_a_file_that_computed_every_part_keeps_them_for_the_page(programme, manager, counted):
    file(manager, programme, "json")
    assert len(counted) == 1
    shown = page(manager, programme)
    assert len(counted) == 1, "the page computed the figures the JSON had kept"
    assert shown.headline.investment.actual == D("90.00")
    assert [r.code for r in shown.rows] == ["CY-0", "CY-1", "CY-2"]


def test_the_project_tables_csv_keeps_nothing_it_did_not_compute(programme, manager, counted):
    file(manager, programme, "csv")
    page(manager, programme)
    # The CSV left out the breakdowns and the rest: the page computes them all.
    assert len(counted) == 2
    assert page(manager, programme).breakdown("unit")


def test_a_file_made_after_a_write_sums_the_written_figure(programme, manager):
    assert page(manager, programme).headline.investment.actual == D("90.00")
    record_progress(
        actor=manager, project=Project.objects.get(code="CY-0"), year=2024, month=2,
        investment=D("5"), inclusion=D("0"), acknowledge=True,
    )  # fmt: skip
    # In the writing transaction, and after its commit: the new 合计, never the kept one.
    assert "95.00" in file(manager, programme, "csv").decode("utf-8-sig")
    settle()
    text = file(manager, programme, "csv").decode("utf-8-sig")
    total = next(line for line in text.splitlines() if line.startswith("合计"))
    assert "95.00" in total and "90.00" not in total


def test_a_period_published_after_the_page_was_read_gives_files_of_its_edition(programme, manager):
    page(manager, programme)
    services.lock_quarter(actor=manager, year=2024, quarter=1, reason="一季度上报")
    settle()
    assert PublishedEdition.objects.filter(year=2024).exists()
    text = file(manager, programme, "csv").decode("utf-8-sig")
    assert "本期已发布第1版" in text


# ---------------------------------------------------------------- a workbook kept once built
# XLSX is built whole before it is sent, and the same figures and rows give the same cells,
# so the first download of a data version keeps the file beside the report's figures and
# the next ones read it (``Exporter.kept``). A write moves the figures' key, so no one
# downloads a workbook of figures since changed; the key holds the reader's reach and the
# filters, so no one gets a workbook of another reach or filter. Streamed formats (CSV,
# JSON) are written from their rows each time.


@pytest.fixture
def built(monkeypatch):
    """How many workbooks were built."""
    return count_calls(monkeypatch, xlsx_file, "to_xlsx")


def project_cells(data: bytes) -> list:
    book = load_workbook(io.BytesIO(data), read_only=True)
    sheet = book["项目明细"]
    return [row for row in sheet.values if row and str(row[0]).startswith(("CY-", "合计"))]


def codes(data: bytes) -> list[str]:
    return [row[0] for row in project_cells(data) if row[0] != "合计"]


def test_a_second_download_of_one_data_version_reads_the_kept_workbook(programme, manager, built):
    first = file(manager, programme, "xlsx")
    second = file(manager, programme, "xlsx")
    assert len(built) == 1
    assert second == first
    assert codes(second) == ["CY-0", "CY-1", "CY-2"]


def test_the_command_and_share_links_door_reads_the_same_kept_workbook(programme, manager, built):
    streamed = file(manager, programme, "xlsx")
    made = export_report_file(user=manager, programme=programme, year=2024, quarter=1, fmt="xlsx")
    assert len(built) == 1
    assert made.content == streamed


def amounts(data: bytes, code: str) -> set[Decimal]:
    row = next(row for row in project_cells(data) if row[0] == code)
    return {D(str(v)).quantize(D("0.01")) for v in row if isinstance(v, (int, float))}


def test_a_write_moves_the_workbook_at_once(programme, manager, built):
    before = file(manager, programme, "xlsx")
    assert D("30.00") in amounts(before, "CY-0") and D("35.00") not in amounts(before, "CY-0")
    record_progress(
        actor=manager, project=Project.objects.get(code="CY-0"), year=2024, month=2,
        investment=D("5"), inclusion=D("0"), acknowledge=True,
    )  # fmt: skip
    # In the writing transaction: built from the rows, and not kept under a key read before.
    assert D("35.00") in amounts(file(manager, programme, "xlsx"), "CY-0")
    settle()
    after = file(manager, programme, "xlsx")
    again = file(manager, programme, "xlsx")
    assert len(built) == 3  # before, inside the writing transaction, after it
    assert again == after
    assert D("35.00") in amounts(after, "CY-0")
    assert D("95.00") in amounts(after, "合计")


def test_each_reach_and_filter_has_its_own_workbook(
    programme, manager, street_viewer, street_a, built
):
    whole = file(manager, programme, "xlsx")
    streets = file(street_viewer, programme, "xlsx")
    filtered = file(manager, programme, "xlsx", street=street_a.code)
    assert len(built) == 3
    assert codes(whole) == ["CY-0", "CY-1", "CY-2"]
    assert codes(streets) == ["CY-0", "CY-1"]
    assert codes(filtered) == ["CY-0", "CY-1"]


def test_streamed_files_are_written_from_their_rows_each_time(programme, manager, monkeypatch):
    written = count_calls(monkeypatch, csv_file, "csv_chunks")
    first = file(manager, programme, "csv")
    second = file(manager, programme, "csv")
    assert first == second
    assert len(written) == 2


def test_a_json_of_one_data_version_lays_out_its_figures_once(programme, manager, monkeypatch):
    """All but the rows (headline, breakdowns, coverage…) is kept beside the figures: a
    second download lays nothing out; a write lays it out afresh at once."""
    laid = count_calls(monkeypatch, json_file, "to_dict")
    first = file(manager, programme, "json")
    assert file(manager, programme, "json") == first and len(laid) == 1
    record_progress(
        actor=manager, project=Project.objects.get(code="CY-0"), year=2024, month=2,
        investment=D("5"), inclusion=D("0"), acknowledge=True,
    )  # fmt: skip
    settle()
    after = file(manager, programme, "json")
    assert len(laid) == 2 and '"actual": "95.00"' in after.decode()
    assert '"actual": "90.00"' in first.decode()
