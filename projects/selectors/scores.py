"""Unit scores (考核) for a period, by the managers' formula (``ScoringRule``).

Computed from the report's unit breakdown and rows, and one grouped statement for funds
and completions: no query per unit. Each rate earns its weight × the rate (at most 100%);
a rate with nothing due (no planned start, no plan, no completion due) earns its weight in
full, since nothing was asked of the unit. Bonuses and penalties are added after.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

from ..choices import Light
from ..models import ScoringRule
from ..money import CENT, completion_rate
from .rates import unit_funds_and_completions
from .results import QuarterlyReport

HUNDRED = Decimal(100)

# Counts by unit code that apps built on the ledger add to the scores, so the ledger names no
# app: the key, the breakdown's label and a function (programme code, period) -> {unit code:
# count} reading them in one statement. ``coordination`` registers its overdue problems.
UNIT_COUNTS: dict[str, tuple[str, Callable]] = {}
# Which rule field gives the points per counted item (a penalty when negative is wanted).
COUNT_POINTS = {"overdue_problems": ("overdue_problem_penalty", -1)}


def register_unit_count(key: str, label, count: Callable) -> None:
    UNIT_COUNTS[key] = (label, count)


@dataclass(frozen=True)
class ScoreItem:
    """One line of a unit's breakdown: what was measured and the points it earned."""

    label: str
    rate: Decimal | None
    count: int | None
    weight: Decimal
    points: Decimal


@dataclass(frozen=True)
class UnitScore:
    key: str
    name: str
    rank: int
    points: Decimal
    items: tuple[ScoreItem, ...]


def _rate_points(weight: Decimal, rate: Decimal | None) -> Decimal:
    share = HUNDRED if rate is None else min(rate, HUNDRED)
    return (weight * share / HUNDRED).quantize(CENT, rounding=ROUND_HALF_UP)


def unit_scores(report: QuarterlyReport, rule: ScoringRule | None = None) -> tuple[UnitScore, ...]:
    """Every unit of the report's breakdown, best first; equal points share a rank."""
    rule = rule or ScoringRule.current()
    funds = unit_funds_and_completions(report.programme_code, report.period)
    reds = Counter(row.unit for row in report.rows if row.light == Light.RED)
    counted = [
        (str(label), count(report.programme_code, report.period), *COUNT_POINTS[key])
        for key, (label, count) in UNIT_COUNTS.items()
        if key in COUNT_POINTS
    ]
    scored = []
    for row in report.by_unit:
        in_place, due, on_time = funds.get(row.key, (Decimal(0), 0, 0))
        rates = (
            (
                _("start rate"),
                completion_rate(row.starts.actual, row.starts.planned),
                rule.start_weight,
            ),
            (
                _("investment completion rate"),
                completion_rate(row.investment.actual, row.investment.annual_plan),
                rule.investment_weight,
            ),
            (
                _("inclusion rate"),
                completion_rate(row.inclusion.actual, row.inclusion.annual_plan),
                rule.inclusion_weight,
            ),
            (
                _("funds in place rate"),
                completion_rate(in_place, row.investment.annual_plan),
                rule.funds_weight,
            ),
            (_("on-time completion rate"), completion_rate(on_time, due), rule.completion_weight),
        )
        items = [
            ScoreItem(str(label), rate, None, weight, _rate_points(weight, rate))
            for label, rate, weight in rates
        ]
        early, red = row.starts.early, reds.get(row.name, 0)
        items.append(
            ScoreItem(
                str(_("early starts")),
                None,
                early,
                rule.early_start_bonus,
                early * rule.early_start_bonus,
            )
        )
        items.append(
            ScoreItem(str(_("red projects")), None, red, rule.red_penalty, -red * rule.red_penalty)
        )
        for label, by_unit, field, sign in counted:
            n, each = by_unit.get(row.key, 0), getattr(rule, field)
            items.append(ScoreItem(label, None, n, each, sign * n * each))
        items = [replace(i, points=i.points.quantize(CENT)) for i in items]
        scored.append((row, tuple(items), sum(i.points for i in items)))
    scored.sort(key=lambda s: (-s[2], s[0].key))
    ranked, previous = [], None
    for position, (row, items, points) in enumerate(scored, 1):
        rank = previous.rank if previous is not None and previous.points == points else position
        previous = UnitScore(row.key, row.name, rank, points, items)
        ranked.append(previous)
    return tuple(ranked)
