"""Money and rates: amounts are Decimal 万元; the amount grammar, the completion-rate rule
and every amount/rate/亿元 formatter live here only."""

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

WAN_PER_YI = Decimal(10_000)
CENT = Decimal("0.01")
ONE_DECIMAL = Decimal("0.1")
ZERO = Decimal("0.00")

# Amounts above this (in 万元, i.e. 1,000 亿元) are taken for typing mistakes.
MAX_AMOUNT_WAN = Decimal(10_000_000)

# The ledger's amount columns are DecimalField(max_digits=12, decimal_places=2)
# (``models.fields.amount_field``): a typed amount with more places is refused, not rounded,
# so that what is stored is what was typed.
AMOUNT_PLACES = 2

# ---------------------------------------------------------------- the one amount grammar
#
# Every door that reads a typed amount (the entry grid, the admin forms, the import cells)
# calls ``parse_amount``; static/js/entry.js implements the same grammar for the live
# preview, and tests/money_cases.json holds the cases both are tested against.
#
# Grammar: optional surrounding spaces; digits, either plain (1234) or with thousands
# commas in exact groups of three (1,234); at most one decimal point with up to two places
# (".5" and "12." are read); an optional unit 万元 or 万 at the end, since amounts are in 万元.
# Full-width digits, point, comma and space (from a Chinese input method) count as their
# half-width forms. No sign (amounts are never negative: "-5" is refused as negative, "+5"
# as malformed), no exponent, no other separators or spaces inside.

_FULL_WIDTH = str.maketrans("０１２３４５６７８９．，\u3000", "0123456789., ")
_AMOUNT = re.compile(
    r"(?P<whole>[1-9][0-9]{0,2}(?:,[0-9]{3})+|[0-9]+)?(?:\.(?P<fraction>[0-9]*))?"
    r"\s*(?:万元|万)?"
)


def _match(text: str):
    """The grammar's match, only if it holds a digit ("." and "万元" alone are no amount)."""
    match = _AMOUNT.fullmatch(text)
    return match if match and (match["whole"] or match["fraction"]) else None


class AmountError(ValueError):
    """A typed amount that cannot be read; the message says how to write it."""


def _malformed(value) -> AmountError:
    return AmountError(
        _(
            "“%(value)s” is not an amount: write digits with at most one decimal point; "
            "thousands commas go in groups of three, as in 1,234.5."
        )
        % {"value": str(value).strip()[:20]}
    )


def _negative() -> AmountError:
    return AmountError(_("Amounts cannot be negative."))


def _too_precise() -> AmountError:
    return AmountError(_("Amounts are in 万元 with at most two decimal places."))


def _checked(amount: Decimal) -> Decimal:
    if not amount.is_finite():
        raise _malformed(amount)
    if amount < 0:
        raise _negative()
    if -amount.as_tuple().exponent > AMOUNT_PLACES and amount != amount.quantize(CENT):
        raise _too_precise()
    return amount


def parse_amount(value) -> Decimal | None:
    """A typed amount in 万元 by the one grammar above; ``None`` for a blank.

    Numbers from a spreadsheet (int, float, Decimal) are taken as they are, with the
    same limits: never negative, at most two places (a float's binary noise such as
    0.30000000000000004 is read as the cents it stands for).
    Raises ``AmountError`` with a message for the person who typed it.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise _malformed(value)
    if isinstance(value, int):
        return _checked(Decimal(value))
    if isinstance(value, float):
        number = Decimal(repr(value))
        if number.is_finite():
            cents = number.quantize(CENT)
            if abs(number - cents) < Decimal("1e-9"):
                number = cents
        return _checked(number)
    if isinstance(value, Decimal):
        return _checked(value)
    text = str(value).translate(_FULL_WIDTH).strip()
    if not text:
        return None
    if text.startswith("-") and _match(text[1:].strip()):
        raise _negative()
    match = _match(text)
    if not match:
        raise _malformed(value)
    if len(match["fraction"] or "") > AMOUNT_PLACES:
        raise _too_precise()
    try:
        return Decimal(f"{(match['whole'] or '0').replace(',', '')}.{match['fraction'] or ''}")
    except InvalidOperation:  # pragma: no cover - the pattern rules this out
        raise _malformed(value) from None


class AmountFormField(forms.DecimalField):
    """A form's amount box read by ``parse_amount``: the grid's and the admin's door.

    A text box, not ``type=number``: a number box lets the browser refuse or silently
    drop "1,234.5" and full-width digits before the one grammar ever sees them.
    """

    widget = forms.TextInput

    def widget_attrs(self, widget):
        # The numeric keyboard on phones; no step/min attributes for a text box.
        return {"inputmode": "decimal"}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return parse_amount(value)
        except AmountError as exc:
            raise ValidationError(str(exc), code="invalid") from None


def as_money(value) -> Decimal:
    """A stored amount: Decimal with two places; None (no rows summed) is zero, and so is
    any amount that rounds to zero, whatever its sign: no page or file shows -0.00
    (PostgreSQL's sums have no negative zero; Python's could, from -0.004), and two equal
    amounts always print alike (``web.drawn_rows`` draws equal rows once)."""
    if value is None:
        return ZERO
    if type(value) is not Decimal:  # a sum is one already: no copy made to round it
        value = Decimal(value)
    rounded = value.quantize(CENT, rounding=ROUND_HALF_UP)
    return rounded if rounded else ZERO


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


def projected_rate(actual, annual_plan, months_elapsed: int) -> Decimal | None:
    """Where the year ends against its plan if the pace holds: actual × 12 ÷ months ÷ plan.

    From exact fractions, rounded once: 0.01 万元 after 7 months of a 1 万元 plan projects
    1.7%, where rounding the projected amount to 0.02 万元 first would say 2.0%.
    """
    planned = Fraction(Decimal(annual_plan or 0))
    if planned == 0:
        return None
    return round_half_up(Fraction(Decimal(actual or 0)) * 12 * 100 / months_elapsed / planned)


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


# ---------------------------------------------------------------- figures as text
#
# Every amount, rate and 亿元 figure the pages, files and the 通报 print is written here.
# 亿元 has two styles because the contexts differ: a figure in a table or a headline box
# keeps two places so columns line up and 13.27 and 15.50 read alike (``yi_figure``);
# a sentence of the 通报 writes it as the district's reports do, "计划投资137亿元、
# 完成15.5亿元", without trailing zeros (``yi_in_words``). Both round half up at cents.

NO_FIGURE = "—"


def format_wan(amount) -> str:
    """An amount in 万元 with thousands commas and two places: 1,234.50; "—" for none."""
    return NO_FIGURE if amount is None else f"{amount:,.2f}"


def format_signed_wan(amount) -> str:
    """An adjustment in 万元 with its sign: +1,234.50, -50.00, 0.00; "—" for none."""
    if amount is None:
        return NO_FIGURE
    return f"{amount:+,.2f}" if amount else f"{abs(amount):,.2f}"


def format_count(count) -> str:
    """A counted figure (家, 个, 处) with thousands commas and only the places it has: 2,427."""
    if count is None:
        return NO_FIGURE
    count = Decimal(count)
    return f"{count:,.0f}" if count == count.to_integral_value() else f"{count.normalize():,}"


def format_rate(rate) -> str:
    """A rate (from ``completion_rate``) with its sign: 88.5%; "—" for no rate."""
    return NO_FIGURE if rate is None else f"{rate}%"


def yi_figure(amount) -> str:
    """万元 -> 亿元 for a table or headline figure: always two places, 15.50."""
    return f"{wan_to_yi(amount, 2):f}"


def yi_in_words(amount) -> str:
    """万元 -> 亿元 as a 通报 sentence writes it: 137, 15.5, 13.27 (no trailing zeros)."""
    text = yi_figure(amount)
    return text.rstrip("0").rstrip(".") if "." in text else text


# ---------------------------------------------------------------- the same rules in SQL
#
# The files of a live report on PostgreSQL are formatted by the database
# (``exports.sql_rows``). Each function below is the SQL twin of the Python rule above it
# in this module, kept here so the rule still has one home; the arguments are SQL
# expressions over amounts already rounded to cents (``money_sql``), never negative, and
# each returns the text Python prints (``str`` of the Decimal) or NULL where Python has
# None. Integer division of exact numerics (``div``) rounds half up without the
# precision limit of a decimal quotient. ``tests/exports/test_sql_rows.py`` holds both to
# the same bytes on the demo.


def money_sql(amount: str) -> str:
    """``as_money``: an amount to cents, half up; no rows summed is zero."""
    return f"round(coalesce({amount}, 0), 2)"


def completion_rate_sql(actual: str, planned: str) -> str:
    """``completion_rate`` as text: floor((2000·actual + planned) ÷ (2·planned)) tenths."""
    return (
        f"CASE WHEN {planned} = 0 THEN NULL "
        f"ELSE (div(2000 * {actual} + {planned}, 2 * {planned}) * 0.1)::text END"
    )


def projected_rate_sql(actual: str, annual_plan: str, months: str) -> str:
    """``projected_rate`` as text: 1200·actual ÷ (months·plan), half up to tenths."""
    return (
        f"CASE WHEN {annual_plan} = 0 THEN NULL ELSE (div(24000 * {actual} + {months} * "
        f"{annual_plan}, 2 * {months} * {annual_plan}) * 0.1)::text END"
    )


def points_behind_sql(actual: str, annual_plan: str, months: str) -> str:
    """``-points_vs_time`` as text: the points behind the time elapsed, tenths half up.

    share − time = (1200·actual − 100·months·plan) ÷ (12·plan); its size is rounded
    half up away from zero, as ``round_half_up`` does, and the sign put back negated.
    """
    gap = f"(1200 * {actual} - 100 * {months} * {annual_plan})"
    tenths = f"(div(20 * abs({gap}) + 12 * {annual_plan}, 24 * {annual_plan}) * 0.1)"
    return (
        f"CASE WHEN {annual_plan} = 0 THEN NULL WHEN {gap} < 0 THEN {tenths}::text "
        f"ELSE (-{tenths})::text END"
    )
