"""District indicators as the leaders' view and the 通报 read them: one query, stored rows."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..models import Frequency, IndicatorValue
from ..money import completion_rate


@dataclass(frozen=True)
class IndicatorProgress:
    """An indicator's latest figure in a period, against its target when it has one."""

    code: str
    name: str
    count_unit: str
    unit: str
    period_label: str
    value: Decimal
    target: Decimal | None

    @property
    def rate(self) -> Decimal | None:
        """The share of the target reached (the one rate rule); none without a target."""
        return completion_rate(self.value, self.target) if self.target else None


def indicator_progress(year: int, through_month: int) -> tuple[IndicatorProgress, ...]:
    """Each indicator's latest figure of ``year`` standing at or before ``through_month``.

    A yearly indicator has one figure, updated as the year goes: its latest is shown
    whatever the month (the rows keep no date of their own beyond the period).
    """
    rows = IndicatorValue.objects.filter(year=year).select_related("indicator__unit")
    latest: dict[int, IndicatorValue] = {}
    for row in rows:
        yearly = row.indicator.frequency == Frequency.YEAR
        if not yearly and row.last_month > through_month:
            continue
        seen = latest.get(row.indicator_id)
        if seen is None or row.last_month > seen.last_month:
            latest[row.indicator_id] = row
    ordered = sorted(latest.values(), key=lambda r: (r.indicator.sort_order, r.indicator.code))
    return tuple(
        IndicatorProgress(
            code=r.indicator.code,
            name=r.indicator.name,
            count_unit=r.indicator.count_unit,
            unit=r.indicator.unit.name,
            period_label=r.period_label,
            value=r.value,
            target=r.target,
        )
        for r in ordered
    )
