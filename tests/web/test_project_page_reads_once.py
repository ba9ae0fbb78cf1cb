"""A project page reads each thing once, however many of its parts ask.

Its light strip and its 入库 panel both judge the project by its list's thresholds; its
tables and its 入库 panel both read its months (the panel for the first month with 纳统);
its history reads three historical tables. Each was read again by the second asker, a
statement (or, for the history, a class made by django-simple-history) a page. Under
``make load`` nearly every project page computes its strip (the clerks' December saves move
every strip's key), so both asks of the thresholds were the common case, not the rare one.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from simple_history.manager import HistoryManager

from projects.milestones import selectors as milestones
from projects.models import DispatchSettings, ListThresholds, ReportSettings
from projects.selectors.thresholds import dispatch_for, thresholds_for
from tests.data_versions import settle
from tests.factories import MonthlyProgressFactory, ProgrammeFactory, ProjectFactory
from tests.site.test_request_memo import in_a_request

pytestmark = pytest.mark.django_db

THRESHOLDS = '"projects_listthresholds"'


def thresholds_read(statements) -> int:
    return sum(sql.startswith("SELECT") and THRESHOLDS in sql for sql in statements)


FIRST_INCLUDED = '"projects_monthlyprogress"."inclusion" >'


@pytest.fixture
def project():
    programme = ProgrammeFactory(year=2024)
    project = ProjectFactory(programme=programme, code="ONCE", planned_start=dt.date(2024, 1, 1))
    MonthlyProgressFactory(project=project, month=1, inclusion=Decimal(0))
    MonthlyProgressFactory(project=project, month=2, inclusion=Decimal("3.5"))
    # The district's rows as a running tracker has them (a first read makes each, a write).
    DispatchSettings.current(), ReportSettings.current()
    settle()
    return project


def _page(client, code="ONCE"):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("project_detail", args=[code]))
    assert response.status_code == 200
    return response.content.decode(), [q["sql"] for q in queries.captured_queries]


def test_the_strip_and_the_library_panel_read_the_thresholds_in_one_statement(
    project, manager_client
):
    _body, statements = _page(manager_client)  # the strip computed: it reads them
    assert thresholds_read(statements) == 1


def test_the_library_panel_finds_the_first_month_with_inclusion_in_the_pages_months(project):
    def view():
        with CaptureQueriesContext(connection) as queries:
            first = milestones.library_status(
                project, dt.date(2024, 3, 31), DispatchSettings.current()
            ).first_inclusion
            again = milestones.library_status(
                project, dt.date(2024, 3, 31), DispatchSettings.current()
            ).first_inclusion
        return first, again, [q["sql"] for q in queries.captured_queries]

    first, again, statements = in_a_request(view)
    assert first == again == (2024, 2)
    assert not any(FIRST_INCLUDED in sql for sql in statements)
    months_read = [s for s in statements if 'FROM "projects_monthlyprogress"' in s]
    assert len(months_read) == 1  # the second status read the request's months


def test_an_entry_saved_within_the_request_is_in_its_next_read_of_the_months(project):
    def view():
        before = milestones.library_status(
            project, dt.date(2024, 3, 31), DispatchSettings.current()
        ).first_inclusion
        january = project.progress.get(month=1)
        january.inclusion = Decimal("1.0")
        january.save()  # bumps its month's version, which empties the request's memo
        after = milestones.library_status(
            project, dt.date(2024, 3, 31), DispatchSettings.current()
        ).first_inclusion
        return before, after

    assert in_a_request(view) == ((2024, 2), (2024, 1))


def test_thresholds_are_read_once_a_request_and_again_after_a_save(project):
    programme = project.programme

    def view():
        with CaptureQueriesContext(connection) as queries:
            report, dispatch = thresholds_for(programme)
            report.yellow_below = Decimal("1")  # a caller's copy, not the request's
            assert (
                dispatch_for(programme.pk).library_yellow_months == dispatch.library_yellow_months
            )
            again, _dispatch = thresholds_for(programme)
            read_before_save = thresholds_read(q["sql"] for q in queries.captured_queries)
            ListThresholds.objects.create(programme=programme, library_yellow_months=9)
            after = dispatch_for(programme.pk)
        reads = thresholds_read(q["sql"] for q in queries.captured_queries)
        return again, after, read_before_save, reads

    again, after, read_before_save, reads = in_a_request(view)
    assert read_before_save == 1
    assert again.yellow_below != Decimal("1")
    assert again._dispatch is not None
    assert after.library_yellow_months == 9  # the save emptied the memo: read again
    assert reads == 2


def test_a_managers_project_page_makes_no_history_manager_class(
    project, manager_client, monkeypatch
):
    _page(manager_client)  # the history's statements compiled once per process
    made = []
    real = HistoryManager.from_queryset.__func__

    def counting(cls, queryset_class, class_name=None):
        made.append(queryset_class)
        return real(cls, queryset_class, class_name)

    monkeypatch.setattr(HistoryManager, "from_queryset", classmethod(counting))
    body, _statements = _page(manager_client)
    assert '<section class="history">' in body
    assert made == []
