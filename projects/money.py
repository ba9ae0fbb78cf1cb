"""Money and rates: amounts are Decimal 万元; the completion-rate rule lives here only."""

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

WAN_PER_YI = Decimal(10_000)
CENT = Decimal("0.01")
ONE_DECIMAL = Decimal("0.1")
ZERO = Decimal("0.00")

# Amounts above this (in 万元, i.e. 1,000 亿元) are taken for typing mistakes.
MAX_AMOUNT_WAN = Decimal(10_000_000)


def as_money(value) -> Decimal:
    """A stored amount: Decimal with two places; None (no rows summed) is zero."""
    if value is None:
        return ZERO
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def completion_rate(actual, planned) -> Decimal | None:
    """actual / planned × 100, rounded half up (四舍五入) to one decimal; no rate for a zero plan.

    Used for every rate the tracker shows or exports, so that the page, the
    files and the API can never disagree by a rounding step.
    """
    planned = Decimal(planned or 0)
    if planned == 0:
        return None
    rate = Decimal(actual or 0) * 100 / planned
    return rate.quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def points_vs_time(actual, annual_plan, months_elapsed: int) -> Decimal | None:
    """Percentage points by which actual ÷ annual plan runs ahead of the year gone by.

    Both shares are exact fractions, subtracted, then rounded half up once: after 7 months
    (58.333…%) with 60.26% of the plan done the answer is 1.9, not 60.3 − 58.3 = 2.0. No
    figure against a zero plan.
    """
    planned = Fraction(Decimal(annual_plan or 0))
    if planned == 0:
        return None
    points = Fraction(Decimal(actual or 0)) * 100 / planned - Fraction(100 * months_elapsed, 12)
    return round_half_up(points)


def round_half_up(value: Fraction) -> Decimal:
    """An exact fraction to one decimal, halves away from zero (四舍五入)."""
    tenths, rest = divmod(abs(value) * 10, 1)
    tenths += 1 if rest >= Fraction(1, 2) else 0
    return (Decimal(int(tenths)) / 10 * (-1 if value < 0 else 1)).quantize(ONE_DECIMAL)


def percent_change(current, previous) -> Decimal | None:
    """Year-on-year change (同比) in percent, same rounding; none against zero."""
    previous = Decimal(previous or 0)
    if previous == 0:
        return None
    change = (Decimal(current or 0) - previous) * 100 / previous
    return change.quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def wan_to_yi(amount, places: int = 2) -> Decimal:
    """万元 -> 亿元 for display, rounded half up."""
    quantum = Decimal(1).scaleb(-places)
    return (Decimal(amount or 0) / WAN_PER_YI).quantize(quantum, rounding=ROUND_HALF_UP)
