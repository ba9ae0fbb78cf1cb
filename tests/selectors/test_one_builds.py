"""One reader builds what takes long to derive from kept figures (a workbook); the readers
that miss it meanwhile wait for it (``report_cache.one_builds``), as the figures' readers
wait for one reader's figures (``one_computes``)."""

import pytest
from django.core.cache import cache

from projects import exports
from projects.permissions import WHOLE_DISTRICT
from projects.selectors import cache_writes, quarterly_report, report_cache
from tests.reporting import settled_list

pytestmark = pytest.mark.django_db

NAME = "workbook"


@pytest.fixture
def kept(unit_a, street_a, manager):
    """A report whose figures are kept, as a file's reader finds them."""
    programme = settled_list(unit_a, street_a)
    report = quarterly_report(user=manager, programme=programme, year=2024, quarter=1)
    assert report.kept_as is not None
    return report


def built(report, computed: list, value: str = "built"):
    def compute():
        computed.append(value)
        return value

    return report_cache.kept_with(
        report, NAME, parts=[], classes=(), compute=compute, reads_rows=True, one_builds=True
    )


def keys(report) -> tuple[str, str]:
    key = report_cache.key_with(report, NAME, parts=[], classes=())
    return key, f"{key}:building"


def test_a_reader_that_misses_while_another_builds_waits_and_reads_what_it_kept(kept, monkeypatch):
    key, lock = keys(kept)
    assert cache.add(lock, True)  # another worker is building it
    pauses, theirs, mine = [], [], []

    def the_other_finishes(seconds):
        pauses.append(seconds)
        if len(pauses) == 2:  # it keeps its value and lets go, as a holder does
            cache.delete(lock)
            assert built(kept, theirs, "theirs") == "theirs"

    monkeypatch.setattr(report_cache.time, "sleep", the_other_finishes)
    assert built(kept, mine) == "theirs"
    assert mine == [] and theirs == ["theirs"] and len(pauses) == 2
    assert cache.get(lock) is None


def test_a_reader_builds_it_when_the_lock_goes_without_it(kept, monkeypatch):
    _key, lock = keys(kept)
    assert cache.add(lock, True)
    pauses, mine = [], []

    def the_other_lets_go(seconds):  # it failed, or kept nothing
        pauses.append(seconds)
        cache.delete(lock)

    monkeypatch.setattr(report_cache.time, "sleep", the_other_lets_go)
    assert built(kept, mine) == "built"
    assert mine == ["built"] and len(pauses) == 1


def test_a_reader_waits_no_longer_than_its_bound_then_builds(kept, monkeypatch):
    _key, lock = keys(kept)
    assert cache.add(lock, True)  # held by a worker killed while building: never let go
    monkeypatch.setattr(report_cache, "WAIT_SECONDS", 0.5)
    clock, pauses, mine = [0.0], [], []
    monkeypatch.setattr(report_cache.time, "monotonic", lambda: clock[0])

    def sleep(seconds):
        pauses.append(seconds)
        clock[0] += seconds

    monkeypatch.setattr(report_cache.time, "sleep", sleep)
    assert built(kept, mine) == "built" and mine == ["built"]
    assert 0.25 < sum(pauses) <= 0.5


def test_the_holder_lets_go_only_once_what_it_built_is_sent(kept):
    key, lock = keys(kept)
    with cache_writes.writes_together():
        mine = []
        assert built(kept, mine) == "built"
        # Still inside the request: the value went out with the lock's release, so a
        # waiter that finds the lock gone finds the value.
        assert cache.get(lock) is None
        assert cache.get(key) is not None
    assert built(kept, mine) == "built" and mine == ["built"]  # read, not built again


def test_the_lock_is_let_go_when_building_fails(kept):
    _key, lock = keys(kept)

    def fails():
        assert cache.get(lock) is not None  # held while building
        raise RuntimeError("the disk is full")

    with pytest.raises(RuntimeError):
        report_cache.kept_with(
            kept, NAME, parts=[], classes=(), compute=fails, reads_rows=True, one_builds=True
        )
    assert cache.get(lock) is None


def test_a_workbook_is_built_by_one_reader_at_a_time(unit_a, street_a, manager, monkeypatch):
    programme = settled_list(unit_a, street_a)
    quarterly_report(user=manager, programme=programme, year=2024, quarter=1)  # figures kept
    locked = []
    real = report_cache.one_builds

    def spied(key):
        locked.append(key)
        return real(key)

    monkeypatch.setattr(report_cache, "one_builds", spied)

    def workbook():
        return exports.export_report_file(
            user=WHOLE_DISTRICT, programme=programme, year=2024, quarter=1, fmt="xlsx"
        ).content

    first = workbook()
    assert len(locked) == 1  # built under the lock
    assert workbook() == first and len(locked) == 1  # read again: no lock taken
    # A file that is not kept (CSV, streamed) takes none.
    exports.export_report_file(
        user=WHOLE_DISTRICT, programme=programme, year=2024, quarter=1, fmt="csv"
    )
    assert len(locked) == 1


def test_a_request_that_computed_the_figures_itself_still_waits_for_another_builder(
    unit_a, street_a, manager, monkeypatch
):
    """Figures this request computed were sent when their lock was let go: another reader
    may have read them since and be building the workbook. This one waits for it too."""
    programme = settled_list(unit_a, street_a)
    pauses, theirs, mine = [], [], []
    with cache_writes.writes_together():
        fresh = quarterly_report(user=manager, programme=programme, year=2024, quarter=1)
        assert cache_writes.kept_here(fresh.kept_as)
        _key, lock = keys(fresh)
        assert cache.add(lock, True)

        def the_other_finishes(seconds):
            pauses.append(seconds)
            cache.delete(lock)
            with cache_writes.writes_together():  # the other reader's own request
                assert built(fresh, theirs, "theirs") == "theirs"

        monkeypatch.setattr(report_cache.time, "sleep", the_other_finishes)
        assert built(fresh, mine) == "theirs"
    assert mine == [] and theirs == ["theirs"] and len(pauses) == 1
