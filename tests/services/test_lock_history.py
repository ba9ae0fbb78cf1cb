"""Locking and unlocking months: each is recorded with who, when, which month and why."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from projects import services
from projects.models import PeriodLock
from projects.selectors.locks import lock_history

pytestmark = pytest.mark.django_db


def test_locking_a_quarter_records_each_month_with_the_manager_and_reason(manager):
    services.lock_quarter(actor=manager, year=2024, quarter=1, reason="一季度已上报市发改委")
    events = lock_history(2024)
    assert sorted(e.month for e in events) == [1, 2, 3]
    assert {(e.who, e.locked, e.reason) for e in events} == {("boss", True, "一季度已上报市发改委")}
    assert all(e.when is not None for e in events)


def test_locking_a_locked_month_again_adds_nothing_to_the_history(manager):
    services.lock_month(actor=manager, year=2024, month=3, reason="上报")
    services.lock_month(actor=manager, year=2024, month=3, reason="再次上报")
    assert [e.reason for e in lock_history(2024)] == ["上报"]


def test_unlocking_needs_a_reason_and_records_it(manager):
    services.lock_month(actor=manager, year=2024, month=3, reason="上报")
    with pytest.raises(ValidationError):
        services.unlock_month(actor=manager, year=2024, month=3, reason="  ")
    assert PeriodLock.objects.locked(2024, 3)
    assert services.unlock_month(actor=manager, year=2024, month=3, reason="统计局要求更正") == 1
    latest = lock_history(2024)[0]
    assert (latest.month, latest.locked, latest.who, latest.reason) == (
        3,
        False,
        "boss",
        "统计局要求更正",
    )
    assert not PeriodLock.objects.exists()


def test_unit_staff_and_a_missing_actor_cannot_lock_or_unlock(staff_a):
    for actor in (staff_a, None):
        with pytest.raises(PermissionDenied):
            services.lock_month(actor=actor, year=2024, month=3, reason="")
        with pytest.raises(PermissionDenied):
            services.unlock_month(actor=actor, year=2024, month=3, reason="更正")
    assert not PeriodLock.objects.exists()
    assert lock_history(2024) == []


@time_machine.travel(dt.datetime(2024, 5, 20, 9, 0, tzinfo=dt.UTC))
def test_a_month_not_yet_begun_cannot_be_locked(manager):
    with pytest.raises(ValidationError) as caught:
        services.lock_quarter(actor=manager, year=2024, quarter=2, reason="提前锁定")
    assert "2024年06月尚未开始" in " ".join(caught.value.messages)
    assert not PeriodLock.objects.exists()
