"""What the leaders' view shows, read from the quarterly report and nothing else.

The figures are the report's own (headline, breakdowns, ranking, months), so the view can
never disagree with the report page, its files or the 通报. What the report does not hold
as such, the lights counted by unit and by street and the red projects, is counted here
from the report's rows in one pass: the rows are one query however many projects there are,
and a published edition's rows are its stored ones.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ..choices import Light
from ..models import Programme
from ..periods import Period
from ..selectors import QuarterlyReport, quarterly_report
from ..selectors.indicators import IndicatorProgress, indicator_progress
from ..selectors.results import ProjectRow


@dataclass(frozen=True)
class LightCount:
    """How many of a group's projects show each light."""

    name: str
    green: int
    yellow: int
    red: int

    @property
    def total(self) -> int:
        return self.green + self.yellow + self.red


@dataclass(frozen=True)
class LeadersView:
    report: QuarterlyReport
    lights: LightCount
    by_unit: tuple[LightCount, ...]
    by_street: tuple[LightCount, ...]
    # Red projects, furthest behind first (no rate, i.e. no plan, last).
    red: tuple[ProjectRow, ...]
    # The district's indicators at the period's end; none for a reader of part of the list
    # (a street viewer's view, like their report, holds their streets only).
    indicators: tuple[IndicatorProgress, ...] = ()


def _counts(name: str, counter: Counter) -> LightCount:
    return LightCount(name, counter[Light.GREEN], counter[Light.YELLOW], counter[Light.RED])


def leaders_view(*, user, programme: Programme, period: Period) -> LeadersView:
    """The period's report as ``user`` may read it (a street viewer: their streets)."""
    report = quarterly_report(
        user=user,
        programme=programme,
        year=period.year,
        quarter=None if period.is_month else period.quarter,
        month=period.month if period.is_month else None,
        stream=True,
    )
    whole: Counter = Counter()
    units: dict[str, Counter] = {}
    streets: dict[str, Counter] = {}
    red: list[ProjectRow] = []
    for row in report.rows:
        whole[row.light] += 1
        units.setdefault(row.unit, Counter())[row.light] += 1
        streets.setdefault(row.street, Counter())[row.light] += 1
        if row.light == Light.RED:
            red.append(row)
    red.sort(key=lambda r: (r.investment.rate is None, r.investment.rate or 0, r.code))
    # In the report's own order of units and streets, so the two pages read alike.
    return LeadersView(
        report=report,
        lights=_counts("", whole),
        by_unit=tuple(_counts(b.name, units.get(b.name, Counter())) for b in report.by_unit),
        by_street=tuple(_counts(b.name, streets.get(b.name, Counter())) for b in report.by_street),
        red=tuple(red),
        indicators=(() if report.partial else indicator_progress(period.year, period.last_month)),
    )
