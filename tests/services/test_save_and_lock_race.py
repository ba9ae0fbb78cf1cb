"""A grid save racing a manager's lock of the same month: it lands before the lock or not at all.

Two threads, each with its own database connection, start together 200 times: one
saves a unit's month as the entry grid does (``record_progress_batch``), the other
locks that month. Right after its lock commits, the locking thread counts the
month's rows: a save that succeeded but is not in that count committed after the
lock, which is the lost write this test exists to catch. PostgreSQL only: SQLite
has one writer at a time (see ``projects/services/period_guard.py``).
"""

import threading
from decimal import Decimal

import pytest
from django.db import connection, connections

from projects import services
from projects.models import MonthlyProgress, PeriodLock
from tests.factories import ProjectFactory

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the save-lock race needs PostgreSQL's MVCC"
    ),
    pytest.mark.django_db(transaction=True),
]

ROUNDS = 200
PROJECTS = 3


def _months(count: int):
    # A fresh month each round, all long past, so no round sees another's lock or rows.
    return [(2001 + i // 12, i % 12 + 1) for i in range(count)]


def _in_thread(work, outcomes, barrier):
    def run():
        try:
            for year, month in _months(ROUNDS):
                barrier.wait(timeout=30)
                outcomes[(year, month)] = work(year, month)
        finally:
            connections.close_all()

    return threading.Thread(target=run)


def test_a_grid_save_never_commits_after_the_month_is_locked(manager, staff_a, unit_a):
    projects = ProjectFactory.create_batch(PROJECTS, unit=unit_a)
    barrier = threading.Barrier(2)
    saves, locks = {}, {}

    def save(year, month):
        refusals = services.record_progress_batch(
            actor=staff_a,
            entries=[
                services.ProgressInput(
                    project=p, year=year, month=month, investment=Decimal("5"), inclusion=0
                )
                for p in projects
            ],
        )
        return sorted({exc.code for exc in refusals.values()})

    def lock(year, month):
        services.lock_month(actor=manager, year=year, month=month, reason="上报市指挥部")
        # Autocommit: this reads what was committed by the time the lock was.
        return MonthlyProgress.objects.filter(year=year, month=month).count()

    threads = [_in_thread(save, saves, barrier), _in_thread(lock, locks, barrier)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(saves) == len(locks) == ROUNDS, "a thread stopped early"

    after_lock = [m for m, refused in saves.items() if not refused and locks[m] != PROJECTS]
    assert after_lock == [], f"saves committed after their month was locked: {after_lock[:5]}"
    # Every refused save was refused for the lock alone, and wrote nothing.
    refused = [m for m, codes in saves.items() if codes]
    # The two really raced: some saves won, some came after the lock (about 2 : 1 measured).
    assert 0 < len(refused) < ROUNDS
    assert {tuple(saves[m]) for m in refused} <= {("locked",)}
    stored = set(MonthlyProgress.objects.values_list("year", "month").distinct())
    assert stored == {m for m, codes in saves.items() if not codes}
    assert PeriodLock.objects.count() == ROUNDS


def test_two_grid_saves_of_the_same_new_month_keep_one_and_tell_the_other_to_reload(
    staff_a, unit_a
):
    project = ProjectFactory(unit=unit_a)
    barrier = threading.Barrier(2)
    first, second = {}, {}

    def save(amount):
        def work(year, month):
            refusals = services.record_progress_batch(
                actor=staff_a,
                entries=[
                    services.ProgressInput(
                        project=project,
                        year=year,
                        month=month,
                        investment=Decimal(amount),
                        inclusion=0,
                    )
                ],
            )
            return [(exc.code, exc.messages[0]) for exc in refusals.values()]

        return work

    threads = [_in_thread(save("1"), first, barrier), _in_thread(save("2"), second, barrier)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(first) == len(second) == ROUNDS, "a thread stopped early (an error, not a refusal)"

    clash = services.checks.clash_error()
    for month in _months(ROUNDS):
        outcomes = sorted([first[month], second[month]])
        assert outcomes == [[], [(clash.code, clash.messages[0])]], month
    assert MonthlyProgress.objects.count() == ROUNDS


def test_a_lock_waits_for_a_save_under_way_only_so_long_then_says_so(manager, staff_a, monkeypatch):
    from django.core.exceptions import ValidationError
    from django.db import transaction

    from projects.services import period_guard

    monkeypatch.setattr(period_guard, "CLOSE_WAIT", "200ms")
    holding, done = threading.Event(), threading.Event()

    def long_save():
        try:
            with transaction.atomic():
                period_guard.hold_months([(2001, 1)])  # as a long import's save does
                holding.set()
                done.wait(timeout=30)
        finally:
            connections.close_all()

    saver = threading.Thread(target=long_save)
    saver.start()
    try:
        assert holding.wait(timeout=30)
        with pytest.raises(ValidationError) as busy:
            services.lock_month(actor=manager, year=2001, month=1, reason="上报")
    finally:
        done.set()
        saver.join(timeout=30)

    assert busy.value.code == "busy"
    assert busy.value.messages == ["这些月份的数据正在保存中，请稍候一分钟再试。"]
    assert not PeriodLock.objects.exists()
    # Once the save is done the month locks at once.
    services.lock_month(actor=manager, year=2001, month=1, reason="上报")
    assert PeriodLock.objects.locked(2001, 1)


def test_a_save_never_waits_for_an_earlier_month_after_a_later_one_it_refuses_instead(
    manager, monkeypatch
):
    """Waiting out of order could close a circle with a lock; such a month is only tried."""
    from django.core.exceptions import ValidationError
    from django.db import transaction

    from projects.services import period_guard

    monkeypatch.setattr(period_guard, "CLOSE_WAIT", "5s")
    locking, done = threading.Event(), threading.Event()

    def lock_holds_january():
        try:
            with transaction.atomic():
                period_guard.close_months([(2001, 1)], whole_ledger=False)
                locking.set()
                done.wait(timeout=30)
        finally:
            connections.close_all()

    locker = threading.Thread(target=lock_holds_january)
    locker.start()
    try:
        assert locking.wait(timeout=30)
        with transaction.atomic():
            period_guard.hold_months([(2001, 3)])
            with pytest.raises(ValidationError) as busy:
                period_guard.hold_months([(2001, 1)])  # below March: tried, not waited for
            # In order, February waits as usual (nobody holds it).
            period_guard.hold_months([(2001, 2)])
    finally:
        done.set()
        locker.join(timeout=30)
    assert busy.value.messages == ["该月份正在锁定或解锁，请稍后再试。"]
    # Without a lock in the way, the same out-of-order months are simply taken.
    with transaction.atomic():
        period_guard.hold_months([(2001, 3)])
        period_guard.hold_months([(2001, 1)])
