"""The lock history: who locked or unlocked which month of a year, when, and why."""

import datetime as dt
from dataclasses import dataclass

from ..models import PeriodLock


@dataclass(frozen=True)
class LockEvent:
    """One month locked or unlocked by a manager."""

    when: dt.datetime
    who: str
    year: int
    month: int
    locked: bool
    reason: str


def lock_history(year: int) -> list[LockEvent]:
    """Every lock and unlock of the year's months, the latest first (one query)."""
    records = (
        PeriodLock.history.filter(year=year)
        .exclude(history_type="~")
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
    )
    return [
        LockEvent(
            when=record.history_date,
            who=(record.history_user.get_full_name() or record.history_user.get_username())
            if record.history_user
            else "",
            year=record.year,
            month=record.month,
            locked=record.history_type == "+",
            reason=record.history_change_reason or "",
        )
        for record in records
    ]
