"""The data versions are read once per request (``tracker.request_memo``), never past a
write of the request's own, and not kept at all outside a request."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projects.models import DataVersion
from tests.reporting import entered, settled_list
from tracker.request_memo import RequestMemoMiddleware

pytestmark = pytest.mark.django_db


def version_reads(queries) -> int:
    return sum('FROM "projects_dataversion"' in q["sql"] for q in queries.captured_queries)


def in_a_request(view):
    """``view()`` run as a request's view is, inside the memo's middleware."""
    return RequestMemoMiddleware(lambda _request: view())(None)


def test_a_report_page_reads_the_versions_once(unit_a, street_a, manager_client):
    settled_list(unit_a, street_a)
    manager_client.get("/reports/2024/q1/")  # kept: the next read is all cache
    with CaptureQueriesContext(connection) as queries:
        assert manager_client.get("/reports/2024/q1/").status_code == 200
    # The figures, the month states and the kept panels all ask; one statement answers.
    assert version_reads(queries) == 1


def test_a_bump_within_the_request_is_seen_by_its_next_read():
    def view():
        before = DataVersion.objects.current([2024])
        again = DataVersion.objects.current([2024])
        DataVersion.objects.bump(years=[2024])
        return before, again, DataVersion.objects.current([2024])

    with CaptureQueriesContext(connection) as queries:
        before, again, after = in_a_request(view)
    assert again == before and after != before
    assert version_reads(queries) == 2  # read, kept, forgotten at the bump, read again


def test_a_service_write_within_the_request_is_seen_by_its_next_read(unit_a, street_a, manager):
    """A service's write bumps through its transaction's hooks: the request's later reads
    neither use the memo nor the cache until it commits (``settled``)."""
    programme = settled_list(unit_a, street_a)
    project = programme.projects.get(code="CY-0")

    def view():
        before = DataVersion.objects.current([2024], [(2024, 2)])
        entered(manager, project, "5")
        return before, DataVersion.objects.current([2024], [(2024, 2)])

    before, after = in_a_request(view)
    assert after != before


def test_outside_a_request_every_read_asks_the_database():
    with CaptureQueriesContext(connection) as queries:
        DataVersion.objects.current([2024])
        DataVersion.objects.current([2024])
    assert version_reads(queries) == 2


def test_the_settings_are_read_once_and_each_caller_gets_its_own_copy():
    from projects.models import DispatchSettings

    DispatchSettings.current()  # made with its defaults

    def view():
        first = DispatchSettings.current()
        first.due_soon_days = 99  # a form filled in and refused: never saved
        return first, DispatchSettings.current()

    with CaptureQueriesContext(connection) as queries:
        first, second = in_a_request(view)
    assert second.due_soon_days != 99 and second is not first
    reads = [q for q in queries.captured_queries if "coordination_dispatchsettings" in q["sql"]]
    assert len(reads) == 1


def test_a_settings_save_within_the_request_is_seen_by_its_next_read():
    from projects.models import DispatchSettings

    def view():
        DispatchSettings.current()
        stored = DispatchSettings.current()
        stored.due_soon_days = 12
        stored.save()  # a versioned source: its save empties the memo, bumping or not
        return DispatchSettings.current()

    assert in_a_request(view).due_soon_days == 12


def test_reading_notices_within_the_request_moves_the_unread_count(manager):
    from projects.notifications.models import Event, unread_notices
    from projects.notifications.services import mark_read, notify

    def view():
        before = unread_notices(manager)
        notify(actor=None, event=Event.choices[0][0], text="请核对三月数据", users=[manager])
        sent = unread_notices(manager)
        mark_read(actor=manager)
        return before, sent, unread_notices(manager)

    assert in_a_request(view) == (0, 1, 0)


def test_the_filters_are_validated_once_a_request_whatever_the_mapping_holds(unit_a, monkeypatch):
    """Bound once per request and parameters (``queries.filter_projects``): a plain mapping
    holding a list or a number is a key like a request's parameters, never an error."""
    from projects import filters
    from projects.models import Project
    from projects.selectors import queries
    from tests.reporting import count_calls

    validated = count_calls(monkeypatch, filters, "_validated")
    plain = {"unit": [unit_a.code], "kind": "new", "category": 7}

    def view():
        first = queries.filter_projects(Project.objects.all(), plain)[1]
        return first, queries.filter_projects(Project.objects.all(), plain)[1]

    first, again = in_a_request(view)
    assert len(validated) == 1 and first == again and first["kind"] == "new"
