"""The report's, the status desk's and the problems list's tables are django-tables2 tables
fed the rows the database sorted and paged: their addresses, order and paging are the page's."""

import re
from decimal import Decimal

import django_tables2
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projects.web.report_tables import BreakdownTable, ProjectTable
from tests.factories import (
    MonthlyProgressFactory,
    ProgrammeFactory,
    ProjectFactory,
    QuarterPlanFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db

ROW = re.compile(r'<tr( class="print-extra")?><td><a href="/projects/(R\d)/">')


@pytest.fixture
def five(unit_a, unit_b):
    """Five projects whose investment rates are 10 %, 20 % … 50 % (R1 … R5)."""
    programme = ProgrammeFactory()
    for i in range(1, 6):
        project = ProjectFactory(
            programme=programme, code=f"R{i}", unit=unit_a if i % 2 else unit_b
        )
        QuarterPlanFactory(project=project, investment_q1=Decimal("100"))
        MonthlyProgressFactory(project=project, month=2, investment=Decimal(10 * i))
    return programme


def _rows(body: str) -> tuple[list[str], list[str]]:
    """The project codes on the page in view, and those printed only, in the table's order."""
    found = ROW.findall(body)
    return [c for extra, c in found if not extra], [c for extra, c in found if extra]


def test_the_project_table_shows_the_databases_page_at_its_old_address(
    manager_client, five, sections_drawn
):
    response = manager_client.get("/reports/2024/q1/?p-sort=-investment_rate&p-page=2&p-per_page=2")
    body = response.content.decode()
    shown, printed_only = _rows(body)
    # Sorted and paged by the database; tables2 neither re-sorts nor re-pages the rows.
    assert shown == ["R3", "R2"]
    assert printed_only == ["R5", "R4", "R1"]
    page = sections_drawn(response)["project_table"]["page"]
    assert (page.number, page.num_pages, page.sort) == (2, 3, "-investment_rate")
    # The page links keep the sort and size and change only the page.
    assert 'href="?p-sort=-investment_rate&amp;p-page=3&amp;p-per_page=2"' in body
    # The sorted column's heading says so, and offers the other direction.
    assert re.search(
        r'<th class="num orderable desc" data-col="investment_rate" aria-sort="descending">'
        r'<a href="\?p-sort=investment_rate&amp;p-page=2&amp;p-per_page=2">',
        body,
    )


def test_the_project_table_ascending_keeps_empty_rates_last(manager_client, five):
    ProjectFactory(programme=five, code="R0", unit=UnitFactory())  # no plan: no rate
    body = manager_client.get("/reports/2024/q1/?p-sort=investment_rate").content.decode()
    codes = re.findall(r'<tr(?: class="print-extra")?><td><a href="/projects/(R\d)/">', body)
    assert codes == ["R1", "R2", "R3", "R4", "R5", "R0"]


def _unit_names(body: str) -> list[str]:
    table = body[body.index('<a href="?unit-sort=projects">') :]
    table = table[: table.index("</tbody>")]
    return re.findall(r"<tr><td>(甲单位|乙单位)</td>", table)


def test_a_breakdown_sorts_by_its_own_parameter(manager_client, five):
    ascending = manager_client.get("/reports/2024/q1/?unit-sort=name").content.decode()
    descending = manager_client.get("/reports/2024/q1/?unit-sort=-name").content.decode()
    # Names compare as text (乙 U+4E59 before 甲 U+7532), as the files sort them.
    assert _unit_names(ascending) == ["乙单位", "甲单位"]
    assert _unit_names(descending) == ["甲单位", "乙单位"]
    assert 'aria-sort="descending"><a href="?unit-sort=name">' in descending


def test_the_tables_are_tables2_tables_given_only_the_pages_rows(
    manager_client, five, sections_drawn
):
    response = manager_client.get("/reports/2024/q1/?p-per_page=2")
    assert issubclass(ProjectTable, django_tables2.Table)
    assert issubclass(BreakdownTable, django_tables2.Table)
    assert sections_drawn(response)["project_table"]["page"].per_page == 2


# Counted on main before the tables2 tables and the reference filters (commit b9fca84),
# with this very fixture: the tables and the filters' text boxes add no query. The report's
# two more since are the manager's to-do line for projects due for 入库 (its count and the
# dispatch settings it reads), and the third the 包联领导 filter's one query, as every
# reference filter costs; not the tables. One fewer since a list may have its own light
# thresholds: ``selectors.thresholds.thresholds_for`` reads the two district rows and the
# list's in one query, where the report read the two district rows in two. And one fewer
# for a list read whole (every row printable): its rows come from the list's statement
# itself, without reading their ids first. Three fewer since a request reads the two settings
# rows and the reader's unread notices once however many parts ask (``tracker.request_memo``).
# One more since the rates sum the funds apart from counting the projects
# (``selectors.rates``): joined, every count had to be DISTINCT, six sorts a report. Three
# fewer for a filtered page: its filters are validated once a request (each validation reads
# the unit named), not once for each of its rows, totals, coverage and campaigns. One fewer
# since the list asked for and the year picker's years come from one statement, the lists
# of every year (``selectors.programmes``).
@pytest.mark.parametrize(
    ("url", "queries"),
    [
        # A person's permissions are one statement (``tracker.auth_backend``).
        ("/reports/2024/q1/?p-sort=-investment_rate&p-page=2&p-per_page=2", 36),
        ("/reports/2024/q1/?unit=UNIT-A", 36),
        ("/reports/status/2024/3/", 13),
        ("/problems/", 10),
    ],
)
def test_the_pages_cost_the_queries_they_cost_before_the_tables(manager_client, five, url, queries):
    manager_client.get(url)  # warm the session and the settings rows
    with CaptureQueriesContext(connection) as ctx:
        assert manager_client.get(url).status_code == 200
    assert len(ctx) == queries


def test_the_status_desk_rows_fold_into_cards_with_their_labels(manager_client, unit_a):
    ProjectFactory(unit=unit_a)
    body = manager_client.get("/reports/status/2024/3/").content.decode()
    row = re.search(r'<tr class="status-not_submitted" id="unit-\d+">.*?</tr>', body, re.S)
    assert row is not None
    cells = re.findall(r"<td[^>]*>", row.group(0))
    assert len(cells) == 10
    assert all("data-label=" in cell for cell in cells)
    assert sum('class="num"' in cell for cell in cells) == 3


def test_each_table_renames_its_own_copy_of_a_column():
    from django.test import RequestFactory

    from projects.web.report_tables import BreakdownTable

    request = RequestFactory().get("/reports/2024/q1/")
    made = {
        header: BreakdownTable(
            [], request=request, key="unit", sort=None, first_header=header, thresholds=(60, 30)
        )
        for header in ("责任单位", "街道")
    }
    for header, table in made.items():
        assert table.column_specs()[0].header == header
    assert BreakdownTable.base_columns["name"].verbose_name not in made
