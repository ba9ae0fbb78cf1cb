"""One database lock per month, so a save and a lock of that month never cross.

A save checks that its month is open and then writes; a manager's lock inserts the
month's ``PeriodLock`` row. Under PostgreSQL's READ COMMITTED both can read "open" at
once and the save then commits after the lock: a figure reported upward moves
unseen. So every write to a month's figures and every change of the month's state
(lock, unlock, submit, review) first takes the month's advisory lock, inside its
own transaction, and only then reads the lock row:

* writes take it *shared* (``hold_months``): saves to one month never wait for each
  other, only for a lock being taken;
* locking, unlocking and the monthly cycle take it *exclusive* (``close_months``):
  they wait for the saves already under way, and saves arriving meanwhile wait for
  them, then read the lock row and are refused.

Each statement of a READ COMMITTED transaction reads what was committed when the
statement began, so the check must be a statement of its own *after* the lock is
granted (one statement taking the lock and reading the row would read too early).
The locks end with the transaction (``pg_advisory_xact_lock``); keys are taken in
ascending order, so two transactions holding several never deadlock on them.

Project-wide writes (a project's list, classification or dates, its deletion or
restoration) touch months they can only know by reading the locks, so they hold
the whole-ledger key (``hold_ledger``) instead, which every lock also takes
exclusively. A transaction takes the whole-ledger key before any month key.

SQLite has one writer at a time: of a save and a lock that both read "open", the
second to write gets "database is locked" and rolls back, so nothing slips in
there either; the functions here do nothing on it.
"""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import OperationalError, connections, router, transaction
from django.utils.translation import gettext as _

from ..models import PeriodLock

# The advisory lock's first key, so the months' keys never meet another lock's.
NAMESPACE = 0x50455244  # "PERD"
# The second key: 0 is the whole ledger, 202403 is March 2024.
WHOLE_LEDGER = 0
# How long a lock of months waits for saves under way before it is refused.
CLOSE_WAIT = "10s"

Month = tuple[int, int]


def _connection():
    return connections[router.db_for_write(PeriodLock)]


def _keys(months: Iterable[Month]) -> list[int]:
    return sorted({year * 100 + month for year, month in months})


class _Held:
    """The keys a transaction holds, kept among its on-commit hooks until it ends.

    Django drops a transaction's hooks when it commits or rolls back, and a savepoint's
    when that is rolled back: exactly when PostgreSQL releases the locks taken there.
    """

    def __init__(self, keys, exclusive: bool):
        self.keys, self.exclusive = set(keys), exclusive

    def __call__(self):
        pass  # nothing to do on commit: PostgreSQL has released the locks


def _held(connection, exclusive: bool) -> set[int]:
    """The keys held in this transaction (held exclusively, when ``exclusive``)."""
    return {
        key
        for _savepoints, hook, _robust in connection.run_on_commit
        if isinstance(hook, _Held) and (hook.exclusive or not exclusive)
        for key in hook.keys
    }


def _take(keys: list[int], exclusive: bool = False) -> None:
    connection = _connection()
    if connection.vendor != "postgresql" or not keys:
        return
    if not connection.in_atomic_block:
        # Outside a transaction the lock would end with the statement that took it.
        raise transaction.TransactionManagementError(
            "A month's write lock is taken inside the transaction that writes."
        )
    held = _held(connection, exclusive=False)
    covered = _held(connection, exclusive=True) if exclusive else held
    wanted = [key for key in keys if key not in covered]
    if not wanted:
        return
    # Waiting for a key below one already held could close a circle with a lock
    # taking them in order; such a key is only tried. The whole ledger's key (the
    # lowest) shuts every lock out already, so its holder may wait for any other.
    top = max(held, default=None)
    tried = [key for key in wanted if top is not None and key < top and WHOLE_LEDGER not in held]
    waited = [key for key in wanted if key not in tried]
    suffix = "" if exclusive else "_shared"
    with connection.cursor() as cursor:
        if tried:
            cursor.execute(
                f"SELECT bool_and(pg_try_advisory_xact_lock{suffix}(%s, key))"
                " FROM unnest(%s::integer[]) AS key",
                [NAMESPACE, tried],
            )
            if not cursor.fetchone()[0]:
                raise ValidationError(
                    _("The month is being locked or unlocked right now; try again in a moment."),
                    code="busy",
                )
        if waited:
            cursor.execute(
                f"SELECT pg_advisory_xact_lock{suffix}(%s, key)"
                " FROM unnest(%s::integer[]) WITH ORDINALITY AS k(key, n) ORDER BY n",
                [NAMESPACE, waited],
            )
    connection.on_commit(_Held(wanted, exclusive))


def hold_months(months: Iterable[Month]) -> None:
    """Take the months' locks shared, until the transaction ends (a write to their figures)."""
    _take(_keys(months))


def hold_ledger() -> None:
    """Take the whole ledger's lock shared: a write that may touch any locked month."""
    _take([WHOLE_LEDGER])


def close_months(months: Iterable[Month], *, whole_ledger: bool = True) -> None:
    """Take the months' locks exclusively, to change their state (lock, unlock, submit, review).

    A lock or unlock also takes the whole ledger's (``whole_ledger``): project-wide
    writes read every lock. Waits for the saves under way, at most ``CLOSE_WAIT``,
    then refuses: a long import is writing to the month, and the manager can try
    again once it is done.
    """
    keys = _keys(months)
    connection = _connection()
    if connection.vendor != "postgresql" or not keys:
        return
    if connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL lock_timeout = '{CLOSE_WAIT}'")
    try:
        _take([WHOLE_LEDGER, *keys] if whole_ledger else keys, exclusive=True)
    except OperationalError as exc:
        # lock_not_available: the wait ran out; deadlock_detected: a transaction broke the
        # order (a month's key before the whole ledger's) and this lock gave way to it.
        if getattr(exc.__cause__, "sqlstate", None) not in ("55P03", "40P01"):
            raise
        raise ValidationError(
            _("Figures for these months are being saved right now; try again in a minute."),
            code="busy",
        ) from exc
    with connection.cursor() as cursor:
        # The wait limit was for these locks only; the rest of the transaction waits as usual.
        cursor.execute("SET LOCAL lock_timeout = DEFAULT")


def locked_for_write(year: int, month: int) -> bool:
    """Whether the month is locked, asked by a write: its lock is held first.

    Outside a transaction (a screen saying why a month is read-only) nothing is
    written, so there is nothing to hold and it only reads.
    """
    if _connection().in_atomic_block:
        hold_months([(year, month)])
    return PeriodLock.objects.locked(year, month)


def locked_months_for_write(months: Iterable[Month]) -> set[Month]:
    """Of ``months``, those locked, asked by a write that holds them all first (one query more)."""
    months = set(months)
    hold_months(months)
    return PeriodLock.objects.locked_months({year for year, _month in months}) & months
