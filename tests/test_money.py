from decimal import Decimal

import pytest

from projects import money
from projects.money import completion_rate, percent_change, wan_to_yi


def test_rate_rounds_half_up_at_the_second_decimal():
    # 12.34 / 8 = 154.25 %: half up gives 154.3, banker's rounding would give 154.2.
    assert completion_rate(Decimal("12.34"), Decimal("8")) == Decimal("154.3")


def test_rate_of_the_article_figures():
    assert completion_rate(Decimal("241000"), Decimal("155000")) == Decimal("155.5")
    assert completion_rate(Decimal("230000"), Decimal("132700")) == Decimal("173.3")
    assert completion_rate(Decimal("241000"), Decimal("1370000")) == Decimal("17.6")
    assert completion_rate(Decimal("230000"), Decimal("1090000")) == Decimal("21.1")


def test_rate_has_one_decimal_even_when_exact():
    assert completion_rate(Decimal("50"), Decimal("100")) == Decimal("50.0")
    assert str(completion_rate(Decimal("50"), Decimal("100"))) == "50.0"


def test_zero_or_missing_plan_gives_no_rate_not_an_error():
    assert completion_rate(Decimal("10"), Decimal("0")) is None
    assert completion_rate(Decimal("0"), Decimal("0.00")) is None
    assert completion_rate(Decimal("10"), None) is None


def test_rate_is_a_decimal_never_a_float():
    assert isinstance(completion_rate(1, 3), Decimal)


def test_year_on_year_change_rounds_half_up_and_has_none_against_zero():
    assert percent_change(Decimal("112.345"), Decimal("100")) == Decimal("12.3")
    assert percent_change(Decimal("90"), Decimal("100")) == Decimal("-10.0")
    assert percent_change(Decimal("90"), Decimal("0")) is None


def test_wan_to_yi_rounds_for_display():
    assert wan_to_yi(Decimal("241000")) == Decimal("24.10")
    assert wan_to_yi(Decimal("132700")) == Decimal("13.27")


@pytest.mark.parametrize(
    ("actual", "plan", "months", "points"),
    [
        # The case: 7 months (58.333…%) with 60.26% done is 1.9 ahead, not 2.0.
        ("60.26", "100", 7, Decimal("1.9")),
        # Exactly half a tenth is rounded away from zero, on either side.
        # A hair below the half stays below, however many 3s it carries.
        ("58.3833333333333333333333333333333", "100", 7, Decimal("0.0")),
        ("7006", "12000", 7, Decimal("0.1")),  # 58.38333… − 58.33333… = 0.05 exactly
        ("6994", "12000", 7, Decimal("-0.1")),  # −0.05 exactly
        ("25", "100", 3, Decimal("0.0")),
        ("0", "100", 12, Decimal("-100.0")),
        ("120", "100", 12, Decimal("20.0")),
    ],
)
def test_points_vs_time_come_from_exact_shares_rounded_once(actual, plan, months, points):
    assert money.points_vs_time(Decimal(actual), Decimal(plan), months) == points


def test_points_vs_time_has_no_figure_against_a_zero_plan():
    assert money.points_vs_time(Decimal("5"), Decimal("0"), 6) is None
