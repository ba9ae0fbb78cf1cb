from decimal import Decimal

from projects.money import as_money, completion_rate, percent_change, wan_to_yi


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


def test_missing_actual_counts_as_nothing_done():
    assert completion_rate(None, Decimal("100")) == Decimal("0.0")


def test_year_on_year_change_rounds_a_half_up_not_to_even():
    # +0.25 %: half up gives 0.3, the decimal module's default (to even) would give 0.2.
    assert percent_change(Decimal("100.25"), Decimal("100")) == Decimal("0.3")
    assert percent_change(Decimal("99.75"), Decimal("100")) == Decimal("-0.3")


def test_year_on_year_change_from_nothing_this_year_is_minus_one_hundred():
    assert percent_change(None, Decimal("80")) == Decimal("-100.0")


def test_wan_to_yi_has_two_places_by_default_and_rounds_a_half_up():
    assert str(wan_to_yi(Decimal("10000"))) == "1.00"
    # 0.125 亿元: half up gives 0.13, rounding to even would give 0.12.
    assert wan_to_yi(Decimal("1250")) == Decimal("0.13")
    assert str(wan_to_yi(Decimal("15500"), places=1)) == "1.6"


def test_wan_to_yi_of_a_missing_amount_is_zero():
    assert str(wan_to_yi(None)) == "0.00"
    assert str(wan_to_yi(None, places=4)) == "0.0000"


def test_stored_amount_has_two_places_rounded_half_up_and_none_is_zero():
    assert str(as_money(None)) == "0.00"
    assert str(as_money(3)) == "3.00"
    # 1.005 exactly (a string, not a float): half up gives 1.01, to even 1.00.
    assert as_money("1.005") == Decimal("1.01")
    assert as_money(Decimal("2.675")) == Decimal("2.68")
