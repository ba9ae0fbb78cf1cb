"""The rules core of the lock for dated things: who is refused, what is named, what it costs."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projects.models import PeriodLock
from projects.services.checks import ensure_dates_unlocked, ensure_months_unlocked, lock_refusal

pytestmark = pytest.mark.django_db


@pytest.fixture
def q1_locked(db):
    for month in (1, 2, 3):
        PeriodLock.objects.create(year=2024, month=month)


def test_unit_staff_are_refused_a_locked_month_whatever_reason_they_give(staff_a):
    refusal = lock_refusal(staff_a, 2024, 3, "我有理由")
    assert (refusal.code, refusal.messages) == (
        "locked",
        ["2024年03月已上报并锁定；如需修改请联系管理员。"],
    )


def test_a_manager_needs_a_reason_that_is_more_than_blanks(manager):
    refusal = lock_refusal(manager, 2024, 3, "   ")
    assert (refusal.code, refusal.messages) == (
        "locked_needs_reason",
        ["2024年03月已锁定；修改须填写原因。"],
    )
    assert lock_refusal(manager, 2024, 3, "更正") is None


def test_an_unnamed_actor_is_refused_before_any_lock_is_read(q1_locked):
    with pytest.raises(PermissionDenied):
        lock_refusal(None, 2024, 3, "更正")


def test_the_earliest_locked_month_is_the_one_named(staff_a, q1_locked):
    with pytest.raises(ValidationError) as refusal:
        ensure_months_unlocked(staff_a, [(2024, 5), (2024, 3), (2024, 2)], "")
    assert "2024年02月" in refusal.value.messages[0]


def test_months_that_are_not_locked_pass_unit_staff(staff_a, q1_locked):
    ensure_months_unlocked(staff_a, [(2023, 12), (2024, 4)], "")
    ensure_dates_unlocked(staff_a, [(dt.date(2024, 4, 1), dt.date(2024, 5, 1))], "")


def test_a_date_moved_across_a_locked_quarter_is_refused_though_neither_end_is_in_it(
    staff_a, q1_locked
):
    with pytest.raises(ValidationError) as refusal:
        ensure_dates_unlocked(staff_a, [(dt.date(2023, 12, 1), dt.date(2024, 5, 1))], "")
    assert "2024年01月" in refusal.value.messages[0]


def test_a_batch_passes_the_locks_it_read_and_no_further_query_is_made(staff_a, q1_locked):
    locked = PeriodLock.objects.locked_months()
    with CaptureQueriesContext(connection) as queries:
        for day in range(1, 29):
            ensure_dates_unlocked(staff_a, [(None, dt.date(2024, 4, day))], "", locked=locked)
    assert len(queries) == 0
