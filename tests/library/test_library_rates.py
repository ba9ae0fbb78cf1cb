"""纳统率 with both denominators, worked out by hand on a small list, through every door."""

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from projects.briefing.library import OF_LISTED, OF_NEW_STARTS
from projects.briefing.wording import outline
from projects.exports.json_file import to_json
from projects.exports.xlsx_file import to_xlsx
from projects.permissions import WHOLE_DISTRICT
from projects.selectors import quarterly_report
from projects.selectors.briefing import build_briefing
from projects.selectors.snapshot import decode, encode
from tests.factories import ProgrammeFactory, ProjectFactory, QuarterPlanFactory

pytestmark = pytest.mark.django_db
day = dt.date


def first_quarter(programme, **kwargs):
    return quarterly_report(
        user=WHOLE_DISTRICT, programme=programme, year=2024, quarter=1, **kwargs
    )


def add(programme, *, kind="new", start=None, entry=None, **kwargs):
    project = ProjectFactory(
        programme=programme, kind=kind, actual_start=start, statistics_entry_date=entry, **kwargs
    )
    QuarterPlanFactory(project=project)
    return project


@pytest.fixture
def small_list():
    """Six projects as of 31 March 2024:

    - new, started 10 Jan, 入库 20 Jan            → in the library, a new start begun
    - new, started 5 Feb, 入库 10 April (after)   → not in by the period's end
    - new, started 1 March, never 入库            → not in
    - new, not started                             → not a new start begun
    - continuing, 入库 2023                         → in, but not a new start
    - continuing, never 入库                        → not in
    """
    programme = ProgrammeFactory(year=2024)
    add(programme, start=day(2024, 1, 10), entry=day(2024, 1, 20))
    add(programme, start=day(2024, 2, 5), entry=day(2024, 4, 10))
    add(programme, start=day(2024, 3, 1))
    add(programme)
    add(programme, kind="continuing", start=day(2023, 5, 1), entry=day(2023, 6, 1))
    add(programme, kind="continuing", start=day(2023, 9, 1))
    return programme


def test_both_rates_by_hand(small_list):
    rates = first_quarter(small_list).library_rates
    # Over the list: 2 of 6 in the library by 31 March = 33.33…% → 33.3.
    assert (rates.listed_in_library, rates.listed) == (2, 6)
    assert rates.of_listed == Decimal("33.3")
    # Over the new starts begun this year: 1 of 3 = 33.3; April's 入库 is not yet counted.
    assert (rates.new_starts_in_library, rates.new_starts) == (1, 3)
    assert rates.of_new_starts == Decimal("33.3")


def test_the_next_quarter_counts_the_april_entry(small_list):
    rates = quarterly_report(
        user=WHOLE_DISTRICT, programme=small_list, year=2024, quarter=2
    ).library_rates
    assert (rates.listed_in_library, rates.new_starts_in_library) == (3, 2)
    # 2 of 3 new starts = 66.666…% → 66.7 (half up, once).
    assert rates.of_new_starts == Decimal("66.7")
    assert rates.of_listed == Decimal("50.0")


def test_no_new_start_begun_has_no_rate_not_zero():
    programme = ProgrammeFactory(year=2024)
    add(programme, kind="continuing", start=day(2023, 1, 1), entry=day(2023, 2, 1))
    rates = first_quarter(programme).library_rates
    assert rates.new_starts == 0 and rates.of_new_starts is None
    assert rates.of_listed == Decimal("100.0")
    document = json.loads(to_json(first_quarter(programme)))
    assert document["library_rates"]["of_new_starts"]["rate"] is None


def test_the_rates_follow_the_reports_filter(small_list):
    first = small_list.projects.order_by("code").first()
    report = first_quarter(small_list, filters={"unit": first.unit.code})
    rates = report.library_rates
    assert (rates.listed_in_library, rates.listed, rates.new_starts) == (1, 1, 1)


def test_json_names_both_denominators(small_list):
    document = json.loads(to_json(first_quarter(small_list)))
    assert "library_rates" in document  # its place among the keys: test_file_formats
    assert document["library_rates"] == {
        "of_listed": {"label": OF_LISTED, "numerator": 2, "denominator": 6, "rate": "33.3"},
        "of_new_starts": {
            "label": OF_NEW_STARTS,
            "numerator": 1,
            "denominator": 3,
            "rate": "33.3",
        },
    }


def test_xlsx_summary_labels_each_rate_with_its_denominator(small_list):
    book = load_workbook(io.BytesIO(to_xlsx(first_quarter(small_list))))
    summary = {row[0]: row[1] for row in book["汇总"].iter_rows(values_only=True) if row}
    assert summary[f"{OF_LISTED}（%）"] == pytest.approx(33.3)
    assert summary[f"{OF_NEW_STARTS}（%）"] == pytest.approx(33.3)
    assert summary["清单全部项目（个）"] == 6
    assert summary["已开工新开工项目（个）"] == 3


def test_the_briefing_says_both_rates(small_list):
    briefing = build_briefing(user=WHOLE_DISTRICT, programme=small_list, year=2024, quarter=1)
    overall = outline(briefing).sections[0].paragraphs
    assert (
        "截至2024年3月31日，清单内6个项目已入库2个，纳统率33.3%（按清单全部项目计）；"
        "已开工的3个新开工项目中已入库1个，纳统率33.3%（按新开工项目计）。"
    ) in overall


def test_page_and_print_view_show_both_labelled(small_list, manager_client):
    for url in ("/reports/2024/q1/", "/reports/2024/q1/print/"):
        page = manager_client.get(url, {"programme": small_list.code}).content.decode()
        assert "纳统率（按清单全部项目）" in page, url
        assert "纳统率（按新开工项目）" in page, url
        assert "清单内6个项目中已入库2个" in page, url


def _report_queries(programme) -> int:
    with CaptureQueriesContext(connection) as queries:
        first_quarter(programme)
    return len(queries)


def test_the_rates_cost_no_query_per_project():
    """Three projects or twelve: the same statements, as the rates are one grouped read."""
    few = ProgrammeFactory(year=2024)
    for _ in range(3):
        add(few, start=day(2024, 2, 1), entry=day(2024, 2, 20))
    many = ProgrammeFactory(year=2024)
    for _ in range(12):
        add(many, start=day(2024, 2, 1))
    first_quarter(few)  # settings read once per process are not the report's cost
    assert _report_queries(few) == _report_queries(many)


def test_an_edition_keeps_both_rates(small_list):
    report = first_quarter(small_list)
    kept = decode(json.loads(json.dumps(encode(report))))
    assert kept.library_rates == report.library_rates
    assert kept.library_rates.of_new_starts == Decimal("33.3")
