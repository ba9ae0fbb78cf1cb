"""Money and rates: amounts are Decimal 万元; the completion-rate rule lives here only."""

from decimal import ROUND_HALF_UP, Decimal

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
