"""Every amount an export heads says whose window it is: 当月, 累计, or the whole year's plan."""

import csv
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from projects.exports import TABLES, export_report_file
from projects.exports.base import AMOUNT_HEADS, PROJECT_HEADS, UNITS_LINE
from projects.permissions import WHOLE_DISTRICT
from tests.factories import MonthlyProgressFactory, ProgrammeFactory, ProjectFactory

pytestmark = pytest.mark.django_db

# A plan for the whole year is neither one month's amount nor a running total.
WINDOWS = ("当月", "累计")
WHOLE_YEAR = "年度计划"


def says_its_window(heading: str) -> bool:
    return any(word in heading for word in WINDOWS) or heading.startswith(WHOLE_YEAR)


def amount_headings(head) -> list[str]:
    return [h for h in head if h and "（万元）" in str(h)]


@pytest.fixture
def programme():
    programme = ProgrammeFactory()
    project = ProjectFactory(programme=programme)
    MonthlyProgressFactory(project=project, month=2, investment=Decimal("3"))
    return programme


def test_the_heading_lists_have_no_amount_without_its_window():
    for head in (PROJECT_HEADS, AMOUNT_HEADS):
        amounts = amount_headings(head)
        assert amounts
        assert [h for h in amounts if not says_its_window(h)] == []
    assert "累计完成投资（万元）" in PROJECT_HEADS
    assert "累计纳统额（万元）" in AMOUNT_HEADS
    assert "累计 = 当年1月1日至统计期末" in UNITS_LINE


@pytest.mark.parametrize("table", TABLES)
def test_every_csv_amount_heading_says_dangyue_or_leiji(programme, table):
    content = export_report_file(
        user=WHOLE_DISTRICT, programme=programme, year=2024, quarter=1, fmt="csv", table=table
    ).content
    head = next(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    amounts = amount_headings(head)
    assert amounts
    assert [h for h in amounts if not says_its_window(h)] == []


def test_every_xlsx_table_amount_heading_says_dangyue_or_leiji(programme):
    workbook = load_workbook(
        io.BytesIO(
            export_report_file(
                user=WHOLE_DISTRICT, programme=programme, year=2024, quarter=1, fmt="xlsx"
            ).content
        )
    )
    for sheet in workbook.worksheets[1:]:
        head = [c.value for c in sheet[1]]
        amounts = amount_headings(head)
        assert amounts, sheet.title
        assert [h for h in amounts if not says_its_window(h)] == [], sheet.title


def summary_heads(workbook) -> list:
    for row in workbook["汇总"].iter_rows(values_only=True):
        if row and row[0] == "指标":
            return list(row[:3])
    raise AssertionError("no 指标 row")


@pytest.mark.parametrize(
    ("period", "heads"),
    [
        ({"quarter": 2}, ["指标", "上半年累计", "其中二季度"]),
        ({"month": 5}, ["指标", "1—5月累计", "其中5月当月"]),
    ],
)
def test_xlsx_summary_columns_name_the_running_window_and_the_part_alone(programme, period, heads):
    content = export_report_file(
        user=WHOLE_DISTRICT, programme=programme, year=2024, fmt="xlsx", **period
    ).content
    assert summary_heads(load_workbook(io.BytesIO(content))) == heads
