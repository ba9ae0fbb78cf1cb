"""The report page's folded breakdowns and rankings are computed once per kept report
(``web.report_folds``): read again with no write between, the page neither sorts, ranks nor
decodes a long table; a write moves the figures' key and with it the folds; another sort or
fold is its own entry.

``settled()`` stands for the commit the test's transaction never makes
(``tests/data_versions.py``).
"""

import pytest

from projects.choices import SubmissionStatus
from projects.models import MonthSubmission
from projects.selectors import report_cache, results
from projects.web import report_folds
from projects.web.tables import BREAKDOWN_FOLD, RANKING_FOLD
from tests.reporting import count_calls, entered, one_project_per_unit, settled
from tests.reporting import without_csrf as body

pytestmark = pytest.mark.django_db
UNITS = RANKING_FOLD + 5
PAGE = "/reports/2024/q1/"


@pytest.fixture
def many_units(monkeypatch):
    # Unit n plans 10,000 + n 万元 and has done 100n: the last unit by code ranks first.
    monkeypatch.setattr(report_cache, "DEFER_ABOVE", 10)  # the unit table is long
    programme, units = one_project_per_unit(
        UNITS, plan=lambda n: 10_000 + n, actual=lambda n: 100 * n, month=1
    )
    for unit in units:  # reported: a unit that has not is listed apart, not ranked
        MonthSubmission.objects.create(
            unit=unit, year=2024, month=3, status=SubmissionStatus.SUBMITTED
        )
    settled(empty_cache=True)
    return programme


def unit_rows(sections: dict) -> list:
    return next(b["rows"] for b in sections["breakdowns"] if b["key"] == "unit")


@pytest.fixture
def ranked(monkeypatch):
    return count_calls(monkeypatch, results, "rank")


@pytest.fixture
def folded(monkeypatch):
    return count_calls(monkeypatch, report_folds, "fold_breakdown")


def test_a_page_read_again_neither_ranks_nor_decodes_the_long_tables(
    many_units, manager_client, ranked, folded, monkeypatch, sections_drawn
):
    first = manager_client.get(PAGE)
    assert len(ranked) == 3 and len(folded) > 0  # units, categories, leaders
    calls = len(folded)
    decoded = []
    real_loads = report_cache.pickle.loads
    monkeypatch.setattr(
        report_cache.pickle,
        "loads",
        lambda data: (lambda value: decoded.append(value) or value)(real_loads(data)),
    )
    again = manager_client.get(PAGE)
    assert len(ranked) == 3 and len(folded) == calls  # nothing ranked or folded again
    # No long table was decoded, not even the category table the chart draws whole (this
    # list has a category a project): the drawn sections are kept (``web.report_body``).
    tables = [value for value in decoded if isinstance(value, tuple) and len(value) == UNITS]
    assert tables == []
    assert again.context["report"].breakdowns["unit"] is not None  # readable when asked
    with pytest.raises(KeyError):  # drawn from the kept sections: nothing drawn again
        sections_drawn(again)
    assert body(again) == body(first)


def test_a_write_after_a_read_moves_the_ranking_at_once(
    many_units, manager_client, manager, sections_drawn
):
    head = sections_drawn(manager_client.get(PAGE))["unit_ranking"].head
    assert head[0].row.name == f"单位{UNITS - 1:03d}"
    # 单位000 does half its plan (unit 34 has done a third): first at the next read.
    project = many_units.projects.get(unit__code="U000")
    entered(manager, project, "5000")
    head = sections_drawn(manager_client.get(PAGE))["unit_ranking"].head
    assert head[0].row.name == "单位000"


def test_another_sort_or_fold_is_computed_once_and_kept(
    many_units, manager_client, folded, sections_drawn
):
    manager_client.get(PAGE)
    calls = len(folded)
    by_name = manager_client.get(f"{PAGE}?unit-sort=name")
    assert len(folded) > calls
    calls = len(folded)
    assert body(manager_client.get(f"{PAGE}?unit-sort=name")) == body(by_name)
    assert len(folded) == calls
    unit = next(b for b in sections_drawn(by_name)["breakdowns"] if b["key"] == "unit")
    assert unit["fold"].hidden == UNITS - BREAKDOWN_FOLD and "单位000" in unit["rows"][0]
    every_unit = sections_drawn(manager_client.get(f"{PAGE}?unit-all=1"))["breakdowns"]
    assert next(b["fold"] for b in every_unit if b["key"] == "unit") is None
    every_place = sections_drawn(manager_client.get(f"{PAGE}?ranking-all=1"))["unit_ranking"]
    assert len(every_place.head) == UNITS and every_place.show_all is None
    folded_ranking = sections_drawn(manager_client.get(f"{PAGE}?p-page=1"))["unit_ranking"]
    # The link to every place is this address's, added after the kept folds are read.
    assert folded_ranking.show_all == "?p-page=1&ranking-all=1#rankings"


def test_a_published_pages_folds_are_kept_under_its_edition(
    demo_db, manager, manager_client, ranked
):
    """An edition never changes, so its page's folds are kept under its token: read again,
    nothing is ranked; a new edition is its own entry."""
    from projects import services
    from projects.models import MonthSubmission
    from projects.periods import Period
    from projects.services.editions import publish_edition

    for submission in MonthSubmission.objects.filter(
        year=2024, month=3, status=MonthSubmission.Status.SUBMITTED
    ):
        services.approve_month(actor=manager, unit=submission.unit, year=2024, month=3)
    services.lock_quarter(actor=manager, year=2024, quarter=1)
    first = manager_client.get(PAGE)
    calls = len(ranked)  # units, categories, leaders and the demo's 专班 groups
    assert first.context["report"].edition.number == 1 and calls >= 3
    again = manager_client.get(PAGE)
    assert len(ranked) == calls and body(again) == body(first)
    programme = first.context["programme"]
    publish_edition(actor=manager, programme=programme, period=Period(2024, 1), reason="重发")
    second = manager_client.get(PAGE)
    assert second.context["report"].edition.number == 2 and len(ranked) == 2 * calls


def test_a_sort_that_names_no_column_is_the_default_and_keeps_no_entry(
    many_units, manager_client, folded, sections_drawn
):
    default = sections_drawn(manager_client.get(PAGE))
    calls = len(folded)
    for made_up in ("nonsense", "-__class__", "x" * 300):
        odd = manager_client.get(f"{PAGE}?unit-sort={made_up}")
        assert odd.status_code == 200
        assert unit_rows(sections_drawn(odd)) == unit_rows(default)
    assert len(folded) == calls  # the default's kept folds, read each time


def test_a_computed_page_sends_what_it_keeps_in_three_statements(many_units, manager_client):
    # As the figures' lock is let go, the long tables (which outlive the figures a little,
    # so a statement of their own), then the figures and rows; when the response is made,
    # the panels, the drawn body and the folds: three statements, not one an entry. On
    # PostgreSQL the figures' statement lets the lock go too.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert manager_client.get(PAGE).status_code == 200
    writes = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith(('INSERT INTO "tracker_cache"', "WITH gone AS (DELETE"))
        and "RETURNING" not in q["sql"]
    ]
    assert len(writes) == 3
    with CaptureQueriesContext(connection) as again:
        assert manager_client.get(PAGE).status_code == 200
    assert not [q for q in again.captured_queries if q["sql"].startswith("INSERT")]
