"""The database cache writes an entry in one statement and behaves as Django's otherwise."""

import itertools
from decimal import Decimal

import pytest
from django.core.cache import caches
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from projects.models import Unit
from tracker.db_cache import CULL_EVERY, DatabaseCache

pytestmark = pytest.mark.django_db


@pytest.fixture
def cache():
    cache = caches["default"]
    assert isinstance(cache, DatabaseCache)
    cache.clear()
    yield cache
    cache.clear()


def _counting_write_done(cache):
    """Past the process's counting write, so the next CULL_EVERY − 1 writes do not count."""
    cache._writes = itertools.count(1)


def _statements(captured) -> list[str]:
    return [q["sql"] for q in captured.captured_queries]


def test_a_value_is_written_read_back_and_overwritten(cache):
    value = {"rate": Decimal("155.5"), "names": ["城阳街道", "流亭街道"]}
    assert cache.set("figures", value) is None
    assert cache.get("figures") == value
    cache.set("figures", {"rate": Decimal("80.0")})
    assert cache.get("figures") == {"rate": Decimal("80.0")}
    cache.delete("figures")
    assert cache.get("figures") is None


@pytest.mark.django_db(transaction=True)  # outside a transaction: no savepoint around it
def test_a_write_is_one_statement(cache):
    _counting_write_done(cache)
    with CaptureQueriesContext(connection) as captured:
        cache.set("a", 1)
        cache.set("a", 2)
    statements = _statements(captured)
    assert len(statements) == 2
    assert all("ON CONFLICT" in sql for sql in statements)
    assert cache.get("a") == 2


def test_the_table_is_counted_on_one_write_in_cull_every(cache):
    with CaptureQueriesContext(connection) as captured:
        for n in range(2 * CULL_EVERY):
            cache.set(f"k{n}", n)
    counts = [sql for sql in _statements(captured) if "COUNT(*)" in sql]
    assert len(counts) == 2


def test_an_expired_entry_is_gone(cache):
    cache.set("old", "x", timeout=0)
    assert cache.get("old") is None
    cache.set("forever", "y", timeout=None)
    assert cache.get("forever") == "y"


def test_a_full_table_is_culled_as_djangos_is():
    """Counted on one write in CULL_EVERY and culled by a third (Django's ``_cull``) when
    over: never more than CULL_EVERY past the limit, however many are written."""
    small = DatabaseCache("tracker_cache", {"OPTIONS": {"MAX_ENTRIES": 100}})
    small.clear()
    most = 0
    for n in range(10 * CULL_EVERY):
        small.set(f"k{n}", n)
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM tracker_cache")
            most = max(most, cursor.fetchone()[0])
    assert 100 < most <= 100 + CULL_EVERY
    small.clear()


def test_add_and_touch_are_djangos(cache):
    assert cache.add("once", 1) is True
    assert cache.add("once", 2) is False
    assert cache.get("once") == 1
    assert cache.touch("once", 60) is True
    assert cache.touch("never", 60) is False


def test_a_failed_write_inside_a_transaction_leaves_the_transaction_usable():
    """A write to a table that is not there fails as a miss; the caller's transaction goes on
    (on PostgreSQL, a failed statement outside a savepoint would abort it)."""
    missing = DatabaseCache("no_such_cache_table", {})
    missing._writes = itertools.count(1)
    with transaction.atomic():
        missing.set("k", 1)  # no error: a miss
        assert Unit.objects.count() >= 0


@pytest.mark.django_db(transaction=True)  # outside a transaction: no savepoint around it
def test_an_add_is_one_statement_and_writes_only_over_an_expired_entry(cache):
    _counting_write_done(cache)
    with CaptureQueriesContext(connection) as captured:
        assert cache.add("lock", "first", 60) is True
        assert cache.add("lock", "second", 60) is False
    statements = _statements(captured)
    assert len(statements) == 2 and all("ON CONFLICT" in sql for sql in statements)
    assert cache.get("lock") == "first"
    cache.set("lock", "stale", timeout=-1)  # expired: as good as gone, so an add takes it
    assert cache.add("lock", "third", 60) is True
    assert cache.get("lock") == "third"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="two connections at once")
@pytest.mark.django_db(transaction=True)
def test_of_many_adding_one_key_at_once_exactly_one_wins(cache):
    import threading

    from django.db import connections

    rounds, callers = 30, 4
    barrier, won = threading.Barrier(callers), []

    def add(n):
        try:
            for r in range(rounds):
                barrier.wait(timeout=30)
                if cache.add(f"lock-{r}", n, 60):
                    won.append(r)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=add, args=(n,)) for n in range(callers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sorted(won) == list(range(rounds))


@pytest.mark.django_db(transaction=True)  # outside a transaction: no savepoint around it
def test_many_entries_are_written_in_one_statement(cache):
    _counting_write_done(cache)
    cache.set("b", "old")
    with CaptureQueriesContext(connection) as captured:
        failed = cache.set_many({"a": 1, "b": {"rate": Decimal("155.5")}, "c": [3]}, 60)
    statements = _statements(captured)
    assert failed == [] and len(statements) == 1 and "ON CONFLICT" in statements[0]
    assert cache.get_many(["a", "b", "c"]) == {"a": 1, "b": {"rate": Decimal("155.5")}, "c": [3]}


def test_many_entries_expire_together(cache):
    cache.set_many({"a": 1, "b": 2}, -1)
    assert cache.get_many(["a", "b"]) == {}


def test_many_entries_that_cannot_be_written_are_named_and_the_transaction_stays_usable():
    missing = DatabaseCache("no_such_cache_table", {})
    missing._writes = itertools.count(1)  # past the counting write, as a live cache mostly is
    with transaction.atomic():
        assert sorted(missing.set_many({"a": 1, "b": 2})) == ["a", "b"]
        assert Unit.objects.count() >= 0


@pytest.mark.django_db(transaction=True)  # outside a transaction: no savepoint around it
def test_entries_written_and_a_lock_let_go_in_one_statement_on_postgresql(cache):
    _counting_write_done(cache)
    cache.add("lock", True, 60)
    cache.set("b", "old")
    with CaptureQueriesContext(connection) as captured:
        failed = cache.set_many_and_delete({"a": 1, "b": 2}, 60, "lock")
    statements = _statements(captured)
    assert failed == []
    assert cache.get_many(["a", "b", "lock"]) == {"a": 1, "b": 2}
    if connection.vendor == "postgresql":
        assert len(statements) == 1 and statements[0].startswith("WITH gone AS (DELETE")
    else:  # no data-modifying WITH: the write, then the delete
        assert len(statements) == 2 and statements[1].startswith("DELETE")


def test_a_lock_is_let_go_when_its_entries_cannot_be_written():
    """A waiter computes once the lock is gone: a failed write must not leave it held."""
    missing = DatabaseCache("no_such_cache_table", {})
    missing._writes = itertools.count(1)
    deleted = []
    missing.delete = deleted.append  # the table is not there either: record the release
    with transaction.atomic():
        assert sorted(missing.set_many_and_delete({"a": 1, "b": 2}, 60, "lock")) == ["a", "b"]
        assert Unit.objects.count() >= 0
    assert deleted == ["lock"]
