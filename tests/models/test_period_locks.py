"""Whether a month is locked, asked one way: ``PeriodLock.objects``."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projects.models import PeriodLock

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
