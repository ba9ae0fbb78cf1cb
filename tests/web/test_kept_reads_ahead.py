"""A page read again asks for its kept entries in one statement (``cache_writes``' read
ahead): the keys the last request of the same reader (address and session) read are asked
for with the first read. What it finds is never stale, a write shows at once, and another
reader or address learns nothing from it. ``report_pair`` is in tests/web/conftest.py.
"""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projects.selectors import cache_writes
from projects.web.kept_writes import reader_of
from tests.reporting import entered, without_csrf

pytestmark = pytest.mark.django_db
PAGE = "/reports/2024/q1/"


def _cache_reads(client, url: str = PAGE) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        page = without_csrf(client.get(url))
    table = cache._table  # the database cache's table (tracker/db_cache.py)
    reads = [q for q in queries.captured_queries if q["sql"].startswith('SELECT "cache_key"')]
    assert all(table in q["sql"] for q in reads)
    return len(reads), page


def test_a_page_read_again_reads_its_kept_entries_in_one_statement(report_pair, manager_client):
    first_reads, first = _cache_reads(manager_client)  # computed and kept
    second_reads, second = _cache_reads(manager_client)  # learns what it reads
    third_reads, third = _cache_reads(manager_client)
    assert first == second == third
    assert second_reads > 1  # the figures, the drawn sections, the month states, panels'…
    assert third_reads == 1


def test_a_write_between_reads_shows_at_once(report_pair, manager_client, manager):
    for _ in range(3):
        before = manager_client.get(PAGE).content.decode()
    assert "30.00" in before
    entered(manager, report_pair.projects.get(code="CY-A"), "50")
    after = manager_client.get(PAGE).content.decode()
    assert "50.00" in after and after != before


def test_another_address_or_reader_reads_one_entry_at_a_time(
    report_pair, manager_client, viewer_client
):
    for _ in range(2):
        _cache_reads(manager_client)
    sorted_reads, _page = _cache_reads(manager_client, f"{PAGE}?p-sort=-code")
    viewer_reads, _page = _cache_reads(viewer_client)
    assert sorted_reads > 1 and viewer_reads > 1


def test_a_post_is_no_reader(rf):
    assert reader_of(rf.post(PAGE)) is None
    assert reader_of(rf.get(PAGE)) != reader_of(rf.get(f"{PAGE}?p-page=2"))
    with_session = rf.get(PAGE)
    with_session.COOKIES[settings.SESSION_COOKIE_NAME] = "another"
    assert reader_of(with_session) != reader_of(rf.get(PAGE))


def _learn(reader: str, keys: list[str]) -> None:
    with cache_writes.writes_together(reader):
        cache_writes.read_many(keys)


def test_what_the_read_ahead_did_not_find_is_read_again_when_asked():
    cache.set("a", b"1")
    _learn("r", ["a", "b"])
    with cache_writes.writes_together("r"):
        with CaptureQueriesContext(connection) as ahead:
            assert cache_writes.read("a") == b"1"  # asks for "b" too: not there yet
        cache.set("b", b"2")  # kept meanwhile by another reader
        assert cache_writes.read("b") == b"2"
    assert len(ahead.captured_queries) == 1


def test_after_a_write_what_was_read_last_time_is_not_read_ahead():
    # The first key names the data versions (a report's figures): another first key means
    # the entries read last time are of other versions, not fetched for nothing.
    cache.set_many({"figures-v1": b"old", "sections-v1": b"old", "figures-v2": b"new"})
    _learn("r", ["figures-v1", "sections-v1"])
    with cache_writes.writes_together("r"), CaptureQueriesContext(connection) as q:
        assert cache_writes.read("figures-v2") == b"new"
        assert cache_writes.read("sections-v1") == b"old"  # asked for: read on its own
    assert len(q.captured_queries) == 2


def test_a_fresh_read_and_a_dropped_entry_never_come_from_the_read_ahead():
    cache.set_many({"figures": b"f", "lock": b"held"})
    _learn("r", ["figures", "lock"])
    with cache_writes.writes_together("r"):
        assert cache_writes.read("figures") == b"f"  # "lock" read ahead, held then
        cache.delete("lock")  # let go by the reader computing
        assert cache_writes.read_many(["lock"], fresh=True) == {}
        cache_writes.drop("figures")
        assert cache_writes.read("figures") is None


def test_readers_are_learned_up_to_a_bound(monkeypatch):
    monkeypatch.setattr(cache_writes, "LEARNED_READERS", 2)
    cache.set_many({"a": b"1", "b": b"2"})
    for reader in ("first", "second", "third"):
        _learn(reader, ["a", "b"])
    for reader, statements in (("first", 2), ("third", 1)):
        with cache_writes.writes_together(reader), CaptureQueriesContext(connection) as q:
            cache_writes.read("a")
            cache_writes.read("b")
        assert len(q.captured_queries) == statements, reader
