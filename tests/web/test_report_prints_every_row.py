"""The report page holds every row of a list up to 500 projects, for Ctrl+P, while the screen
shows one page; a longer list prints its page and says where the print view (打印版) is.

Either way the page reads with the same statements: a short list drops only the LIMIT.
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projects.permissions import WHOLE_DISTRICT
from projects.selectors import RowWindow, quarterly_report
from projects.web import reports
from tests.factories import ProgrammeFactory
from tests.reporting import bulk_projects

pytestmark = pytest.mark.django_db

ROW = re.compile(r'<tr( class="print-extra")?><td><a href="/projects/(B\d+)/">')


@pytest.fixture
def programme():
    programme, _projects = bulk_projects(8, programme=ProgrammeFactory(year=2024))
    return programme


def rows(response) -> list[tuple[str, bool]]:
    """(code, print only) of each project row of the page's table, in order."""
    return [(code, bool(extra)) for extra, code in ROW.findall(response.content.decode())]


@pytest.mark.parametrize("sort", ["code", "-name", "investment_rate", "-light"])
def test_a_short_list_is_read_whole_and_cut_to_the_same_page(programme, sort):
    def report(window):
        return quarterly_report(
            user=WHOLE_DISTRICT, programme=programme, year=2024, quarter=1, window=window
        )

    paged = report(RowWindow(sort=sort, page=2, per_page=3))
    whole = report(RowWindow(sort=sort, page=2, per_page=3, every_row_up_to=8))
    assert paged.every_row is None
    assert [r.code for r in whole.rows] == [r.code for r in paged.rows]
    assert len(whole.every_row) == 8
    assert [r.code for r in whole.every_row[3:6]] == [r.code for r in paged.rows]
    assert report(RowWindow(sort=sort, every_row_up_to=7)).every_row is None


def test_page_shows_its_rows_and_carries_the_others_for_print(manager_client, programme):
    response = manager_client.get("/reports/2024/q1/?p-per_page=3&p-page=2")
    shown = rows(response)
    assert [code for code, extra in shown] == [f"B{i:05d}" for i in range(8)]
    assert [extra for code, extra in shown] == [True] * 3 + [False] * 3 + [True] * 2
    body = response.content.decode()
    assert "共 8 个项目。" in body and "/print/" in body


def test_a_list_over_the_limit_prints_its_page_and_points_to_the_print_view(
    manager_client, programme, monkeypatch
):
    monkeypatch.setattr(reports, "PRINT_EVERY_ROW_UP_TO", 7)
    response = manager_client.get("/reports/2024/q1/?p-per_page=3&p-page=2")
    assert rows(response) == [(f"B{i:05d}", False) for i in (3, 4, 5)]
    body = response.content.decode()
    assert "本打印件只含第 4–6 个项目（共 8 个）。打印全部项目请打开打印版" in body
    assert 'href="/reports/2024/q1/print/?' in body


@pytest.mark.parametrize("sort", ["code", "investment_rate"])
def test_the_whole_list_takes_no_more_statements_than_one_page(
    manager_client, programme, monkeypatch, sort
):
    url = f"/reports/2024/q1/?p-per_page=3&p-sort={sort}"
    manager_client.get(url)  # the session and settings rows, read once
    counts = []
    for limit in (500, 0):
        monkeypatch.setattr(reports, "PRINT_EVERY_ROW_UP_TO", limit)
        with CaptureQueriesContext(connection) as ctx:
            assert manager_client.get(url).status_code == 200
        counts.append(len(ctx))
    # One fewer: a page reads its projects' ids before their rows, a list read whole does not.
    assert counts[0] == counts[1] - 1


def test_optional_columns_are_marked_for_the_chooser_and_key_ones_are_not(
    manager_client, programme
):
    body = manager_client.get("/reports/2024/q1/").content.decode()
    optional = re.findall(r'data-col="(\w+)" data-optional', body)
    assert "street" in optional and "investment_planned" in optional
    assert not {"code", "name", "unit", "investment_actual", "light"} & set(optional)
    # The chooser offers each of them, as a labelled checkbox.
    for name in optional:
        assert f'<input type="checkbox" value="{name}">' in body
