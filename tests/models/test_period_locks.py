"""Whether a month is locked, asked one way: ``PeriodLock.objects``."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projects.models import PeriodLock
from projects.services.cycle import lock_month
from tests.data_versions import settle
from tests.site.test_request_memo import in_a_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def locks():
    for year, month in [(2023, 12), (2024, 1), (2024, 3)]:
        PeriodLock.objects.create(year=year, month=month)


def test_a_month_is_locked_only_when_that_year_and_month_are(locks):
    assert PeriodLock.objects.locked(2024, 3)
    assert not PeriodLock.objects.locked(2024, 2)
    assert not PeriodLock.objects.locked(2023, 3)


def test_locked_months_of_given_years_leave_other_years_out(locks):
    assert PeriodLock.objects.locked_months([2024]) == {(2024, 1), (2024, 3)}
    assert PeriodLock.objects.locked_months({2023, 2024}) == {(2023, 12), (2024, 1), (2024, 3)}
    assert PeriodLock.objects.locked_months([2025]) == set()


def test_locked_months_without_years_are_every_lock(locks):
    assert PeriodLock.objects.locked_months() == {(2023, 12), (2024, 1), (2024, 3)}


def test_locked_months_take_one_query(locks):
    with CaptureQueriesContext(connection) as queries:
        PeriodLock.objects.locked_months(year for year in (2023, 2024))
    assert len(queries) == 1


def _lock_reads(queries) -> int:
    return sum('FROM "projects_periodlock"' in q["sql"] for q in queries.captured_queries)


def test_a_pages_reads_of_a_years_locks_are_one_statement_a_request(locks):
    settle()

    def view():
        first = PeriodLock.objects.of_years([2024])
        both = PeriodLock.objects.of_years({2023, 2024})  # 2024 kept: 2023 alone is read
        return first, both, PeriodLock.objects.of_years([2023])

    with CaptureQueriesContext(connection) as queries:
        first, both, last = in_a_request(view)
    assert set(first) == {(2024, 1), (2024, 3)}
    assert set(both) == {(2023, 12), (2024, 1), (2024, 3)}
    assert set(last) == {(2023, 12)}
    assert first[(2024, 3)].month == 3
    assert _lock_reads(queries) == 2


def test_a_lock_taken_within_the_request_is_seen_by_its_next_read(locks, manager):
    settle()

    def view():
        before = set(PeriodLock.objects.of_years([2024]))
        lock_month(actor=manager, year=2024, month=2, reason="测试：提前锁定")
        return before, set(PeriodLock.objects.of_years([2024]))

    before, after = in_a_request(view)
    assert (2024, 2) not in before and (2024, 2) in after


def test_outside_a_request_every_read_of_a_years_locks_asks_the_database(locks):
    settle()
    with CaptureQueriesContext(connection) as queries:
        PeriodLock.objects.of_years([2024])
        PeriodLock.objects.of_years([2024])
    assert _lock_reads(queries) == 2
