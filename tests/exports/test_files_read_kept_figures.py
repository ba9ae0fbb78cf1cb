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
from projects.exports import stream_report_file
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
