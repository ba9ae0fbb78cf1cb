"""Fair rankings of units or categories by completion rate: no ORM, only the report's rows.

A group with no plan (or a plan below the floor managers set) would top a
ranking with a rate like 1,934.8% on a token amount, so it is listed apart
instead; groups whose shown rates are equal share a rank (1, 2, 2, 4).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from decimal import Decimal

from .money import ZERO

ZERO_PLAN_NOTE = "计划为零，未参与排名"
# A unit that has not submitted the period's last month would be placed on figures it
# has not given: it is listed apart until it reports.
NOT_REPORTED_NOTE = "本期未报送，未参与排名"


def below_floor_note(floor: Decimal) -> str:
    return f"计划低于{floor:,.0f}万元，未参与排名"


@dataclass(frozen=True)
class Placing:
    """One group's place: its rank (None when listed apart), rate and why it is apart."""

    rank: int | None
    row: object
    rate: Decimal | None
    planned: Decimal
    actual: Decimal
    note: str = ""


@dataclass(frozen=True)
class Ranking:
    """Groups ranked best first, then the groups listed apart."""

    measure: str
    floor: Decimal
    ranked: tuple[Placing, ...]
    apart: tuple[Placing, ...]

    def __iter__(self):
        return iter(self.ranked + self.apart)

    def tied_ranks(self) -> set[int]:
        """Ranks held by more than one group, so screens can mark them 并列."""
        seen: dict[int, int] = {}
        for placing in self.ranked:
            seen[placing.rank] = seen.get(placing.rank, 0) + 1
        return {rank for rank, count in seen.items() if count > 1}


def rank(
    rows: Iterable,
    *,
    measure: str = "investment",
    floor: Decimal = ZERO,
    unreported: Collection[str] = (),
) -> Ranking:
    """Rank rows carrying ``<measure>`` Figures (breakdown rows) by completion rate.

    ``floor`` is in 万元: a group planning less than that is listed apart, and so is
    a group whose key is in ``unreported`` (a unit that has not reported the period).
    Ties are decided on the rate as shown (one decimal), which is what readers
    compare; the name's key orders tied groups so the list is stable.
    """
    floor = Decimal(floor or 0)
    # Looked up once per row: a tuple of a province's 2,466 codes made ranking quadratic.
    unreported = frozenset(unreported)
    rated, apart = [], []
    for row in rows:
        figures = getattr(row, measure)
        placing = dict(row=row, rate=figures.rate, planned=figures.planned, actual=figures.actual)
        if getattr(row, "key", None) in unreported:
            apart.append(Placing(rank=None, note=NOT_REPORTED_NOTE, **placing))
        elif figures.planned <= 0 or figures.rate is None:
            apart.append(Placing(rank=None, note=ZERO_PLAN_NOTE, **placing))
        elif figures.planned < floor:
            apart.append(Placing(rank=None, note=below_floor_note(floor), **placing))
        else:
            rated.append(placing)
    rated.sort(key=lambda p: (-p["rate"], getattr(p["row"], "key", "")))
    ranked = []
    for position, placing in enumerate(rated, start=1):
        previous = ranked[-1] if ranked else None
        shared = previous is not None and previous.rate == placing["rate"]
        ranked.append(Placing(rank=previous.rank if shared else position, **placing))
    apart.sort(key=lambda p: getattr(p.row, "key", ""))
    return Ranking(measure=measure, floor=floor, ranked=tuple(ranked), apart=tuple(apart))
