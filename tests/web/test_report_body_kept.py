"""The report page's sections below the headline are drawn once per kept report and address
(``web.report_body``): read again with no write between, nothing is drawn; a write draws
them afresh at once; readers who see other links (project pages, downloads) never get
another reader's drawing.

``settled()`` stands for the commit the test's transaction never makes
(``tests/data_versions.py``).
"""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projects.web import report_body
from tests.factories import (
    ProgrammeFactory,
)
from tests.reporting import count_calls, entered, settled, without_csrf

pytestmark = pytest.mark.django_db
PAGE = "/reports/2024/q1/"


@pytest.fixture
def drawn(monkeypatch):
    return count_calls(monkeypatch, report_body, "body_context")


def fresh(client, url: str = PAGE) -> str:
    """The page as drawn from nothing kept: what every read must equal."""
    cache.clear()
    return without_csrf(client.get(url))


def test_a_page_read_again_is_not_drawn_again(report_pair, manager_client, drawn):
    first = manager_client.get(PAGE)
    assert len(drawn) == 1 and "CY-A" in first.content.decode()
    again = manager_client.get(PAGE)
    assert len(drawn) == 1
    assert without_csrf(again) == without_csrf(first)
    # Another sort or page of the same figures is its own drawing, kept in turn.
    manager_client.get(f"{PAGE}?p-sort=-code")
    manager_client.get(f"{PAGE}?p-sort=-code")
    assert len(drawn) == 2


def test_the_pages_rows_are_kept_only_as_drawn(report_pair, manager_client, monkeypatch):
    """The rows are drawn into the sections kept under the figures, so no entry of their
    own is written or read, and a page read again computes none: a reader whose drawing is
    not kept (another's links) computes them when it draws."""
    from projects.selectors import report as report_module

    rows = count_calls(monkeypatch, report_module, "_rows_of")

    def cache_statements(path=PAGE, client=manager_client):
        with CaptureQueriesContext(connection) as queries:
            page = client.get(path)
        assert page.status_code == 200
        return " ".join(q["sql"] for q in queries.captured_queries if "tracker_cache" in q["sql"])

    computed = cache_statements()
    assert len(rows) == 1 and ":figures:" in computed and ":rows:" not in computed
    again = cache_statements()
    assert len(rows) == 1 and ":rows:" not in again
    # Another order of the same figures: its own drawing, its rows computed to draw it.
    cache_statements(f"{PAGE}?p-sort=-code")
    assert len(rows) == 2


def test_a_write_draws_the_page_afresh_at_once(report_pair, manager_client, manager, drawn):
    before = without_csrf(manager_client.get(PAGE))
    project = report_pair.projects.get(code="CY-A")
    entered(manager, project, "50")
    after = without_csrf(manager_client.get(PAGE))
    assert len(drawn) == 2 and after != before
    assert after == fresh(manager_client)


@pytest.mark.parametrize("reader", ["staff_a_client", "viewer_client", "street_viewer_client"])
def test_each_reader_gets_the_drawing_of_their_own_links(
    report_pair, manager_client, reader, request
):
    """Read after the manager's (every row a link, downloads shown), another reader's page
    is the one drawn for them alone: a clerk's rows link to their own unit's projects
    only and carry no downloads."""
    client = request.getfixturevalue(reader)
    alone = fresh(client)
    manager_page = without_csrf(manager_client.get(PAGE))
    after_manager = without_csrf(client.get(PAGE))
    assert after_manager == alone
    if reader == "staff_a_client":
        assert after_manager != manager_page
        assert "/projects/CY-A/" in after_manager and "/projects/CY-B/" not in after_manager
        assert "/projects/CY-B/" in manager_page
        assert ".csv?" in manager_page and ".csv?" not in after_manager


def test_a_report_computed_in_a_transaction_that_wrote_is_drawn_every_time(
    report_pair, manager_client, manager, drawn
):
    """Unsettled writes (this transaction's own) are nobody's version yet: nothing is kept."""
    project = report_pair.projects.get(code="CY-B")
    entered(manager, project, "5", settle=False)
    manager_client.get(PAGE)
    manager_client.get(PAGE)
    assert len(drawn) == 2


def test_the_filter_form_is_drawn_again_only_when_a_reference_row_changes(
    report_pair, manager_client, manager, unit_a, monkeypatch
):
    """Its options are reference rows and its values the address's: a write of figures
    leaves it as it was, a renamed unit draws it afresh at once."""
    forms = count_calls(monkeypatch, report_body, "bound_filters")
    manager_client.get(PAGE)
    assert len(forms) == 1
    entered(manager, report_pair.projects.get(code="CY-A"), "50")
    manager_client.get(PAGE)
    assert len(forms) == 1
    # Another filter asked for is another form (its value chosen).
    chosen = manager_client.get(PAGE, {"unit": unit_a.code}).content.decode()
    assert len(forms) == 2 and f'value="{unit_a.code}" selected' in chosen
    unit_a.name = "甲单位（改名）"
    unit_a.save()
    settled()
    page = manager_client.get(PAGE).content.decode()
    assert len(forms) == 3 and ">甲单位（改名）</option>" in page


def test_the_kept_head_shows_a_new_years_list_at_once(report_pair, manager_client, drawn):
    """The head is kept with the body. A new year's list bumps its own year's data version,
    not this report's, so the lists' years are part of the key: the year picker of a page
    read again offers the new year at once."""
    first = manager_client.get(PAGE).content.decode()
    assert 'href="/reports/2025/' not in first
    ProgrammeFactory(year=2025)
    settled()
    again = manager_client.get(PAGE).content.decode()
    assert len(drawn) == 2
    assert 'class="quarters years"' in again and 'href="/reports/2025/q1/"' in again


def test_the_head_is_kept_with_the_body(report_pair, manager_client, monkeypatch):
    """Read again, the page draws neither its head nor its body: one drawing of the four
    pieces, however often it is read."""
    names = []

    def counted(drawing):
        def draw(context):
            names.append(drawing.__name__)
            return drawing(context)

        return draw

    monkeypatch.setattr(report_body, "DRAWINGS", tuple(map(counted, report_body.DRAWINGS)))
    for _ in range(3):
        manager_client.get(PAGE)
    assert names == ["draw_top", "draw_plan", "draw_cards", "draw_body"]
