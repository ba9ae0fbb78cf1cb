import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation

from projects import money
from projects.imports import cells
from projects.models import MonthlyProgress, Project, QuarterPlan
from projects.money import (
    AMOUNT_PLACES,
    AmountError,
    AmountFormField,
    as_money,
    completion_rate,
    format_rate,
    format_wan,
    parse_amount,
    percent_change,
    wan_to_yi,
    yi_figure,
    yi_in_words,
)
from projects.web.entry_forms import AmountField


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
        # The issue's case: 7 months (58.333…%) with 60.26% done is 1.9 ahead, not 2.0.
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


@pytest.mark.parametrize(
    ("actual", "plan", "months", "rate"),
    [
        # Rounding the projected amount (0.0171… → 0.02 万元) first would say 2.0.
        ("0.01", "1", 7, Decimal("1.7")),
        # The pace of a quarter, exactly on the plan.
        ("25", "100", 3, Decimal("100.0")),
        # 1—7月 at 33.33: 57.137…% of the plan, half up at the second decimal.
        ("33.33", "100", 7, Decimal("57.1")),
        # Exactly halfway: 0.05 rounds up.
        ("0.875", "10", 12, Decimal("8.8")),
    ],
)
def test_projected_rate_comes_from_the_exact_projection_rounded_once(actual, plan, months, rate):
    assert money.projected_rate(Decimal(actual), Decimal(plan), months) == rate


def test_projected_rate_has_no_figure_against_a_zero_plan():
    assert money.projected_rate(Decimal("5"), Decimal("0"), 6) is None


def test_points_vs_time_has_no_figure_against_a_zero_plan():
    assert money.points_vs_time(Decimal("5"), Decimal("0"), 6) is None


# ---------------------------------------------------------------- the one amount grammar
#
# tests/money_cases.json is the one table of cases; every Python door reads it here and the
# page's own entry.js reads it in tests/browser/test_amount_grammar.py.

CASES = json.loads((Path(__file__).parent / "money_cases.json").read_text("utf-8"))["cases"]
READ = [
    (case["input"], Decimal(case["expected"])) for case in CASES if case["expected"] != "refused"
]
REFUSED = [case["input"] for case in CASES if case["expected"] == "refused"]


def test_the_shared_table_holds_the_cases_the_issue_names():
    assert {"1,2", "1e3", "1.2.3", "１２，３"} <= set(REFUSED)
    assert ("1,234.5", Decimal("1234.5")) in READ
    assert any(not text.isascii() for text, _value in READ)


@pytest.mark.parametrize(("text", "expected"), READ)
def test_money_parse_amount_reads_the_shared_cases(text, expected):
    assert parse_amount(text) == expected


@pytest.mark.parametrize("text", REFUSED)
def test_money_parse_amount_refuses_the_shared_cases(text):
    with pytest.raises(AmountError):
        parse_amount(text)


@pytest.mark.parametrize(("text", "expected"), READ)
def test_import_cells_read_the_shared_cases(text, expected):
    assert cells.parse_amount(text) == expected


@pytest.mark.parametrize("text", REFUSED)
def test_import_cells_refuse_the_shared_cases(text):
    with pytest.raises(cells.CellError):
        cells.parse_amount(text)


@pytest.mark.parametrize(("text", "expected"), READ)
def test_entry_grid_amount_box_reads_the_shared_cases(text, expected):
    assert AmountField().clean(text) == expected


@pytest.mark.parametrize("text", REFUSED)
def test_entry_grid_amount_box_refuses_the_shared_cases(text):
    with pytest.raises(ValidationError):
        AmountField().clean(text)


@pytest.mark.parametrize(("text", "expected"), READ)
def test_admin_amount_box_reads_the_shared_cases(text, expected):
    assert AmountFormField(max_digits=12, decimal_places=AMOUNT_PLACES).clean(text) == expected


@pytest.mark.parametrize("text", REFUSED)
def test_admin_amount_box_refuses_the_shared_cases(text):
    with pytest.raises(ValidationError):
        AmountFormField(max_digits=12, decimal_places=AMOUNT_PLACES).clean(text)


def test_a_mis_grouped_amount_is_refused_saying_how_to_write_it():
    with translation.override("zh-hans"), pytest.raises(AmountError) as refused:
        parse_amount("１２，３")
    assert str(refused.value) == (
        "“１２，３”金额写法不对：请写数字，可带一个小数点，千分位逗号须三位一组，如 1,234.5。"
    )


def test_a_negative_amount_is_refused_as_negative_not_as_malformed():
    with translation.override("zh-hans"), pytest.raises(AmountError) as refused:
        parse_amount("-5")
    assert str(refused.value) == "金额不能为负数。"


def test_more_places_than_the_ledger_stores_are_refused_not_rounded():
    with translation.override("zh-hans"), pytest.raises(AmountError) as refused:
        parse_amount("1.005")
    assert str(refused.value) == "金额以万元为单位，最多保留两位小数。"


def test_the_places_allowed_are_the_places_the_ledger_stores():
    # Amounts in 万元; a project's coordinates are degrees, not money (six places).
    amount_fields = [
        field
        for model in (Project, QuarterPlan, MonthlyProgress)
        for field in model._meta.get_fields()
        if isinstance(field, models.DecimalField) and field.name not in ("longitude", "latitude")
    ]
    assert len(amount_fields) >= 11
    assert {field.decimal_places for field in amount_fields} == {AMOUNT_PLACES}


def test_a_blank_amount_is_none_for_forms_and_zero_for_import_cells():
    assert parse_amount("  ") is None
    assert parse_amount(None) is None
    assert AmountField().clean("") is None
    assert cells.parse_amount("") == Decimal("0")


def test_spreadsheet_numbers_keep_their_cents_and_the_same_limits():
    assert parse_amount(0.1 + 0.2) == Decimal("0.30")
    assert parse_amount(1234) == Decimal("1234")
    with pytest.raises(AmountError):
        parse_amount(-1)
    with pytest.raises(AmountError):
        parse_amount(1.234)
    with pytest.raises(AmountError):
        parse_amount(True)


# ---------------------------------------------------------------- figures as text


def test_yi_in_a_table_keeps_two_places_so_columns_line_up():
    assert yi_figure(Decimal("155000")) == "15.50"
    assert yi_figure(Decimal("1370000")) == "137.00"
    assert yi_figure(Decimal("132700")) == "13.27"


def test_yi_in_a_briefing_sentence_drops_trailing_zeros_as_the_article_writes():
    assert yi_in_words(Decimal("155000")) == "15.5"
    assert yi_in_words(Decimal("1370000")) == "137"
    assert yi_in_words(Decimal("132700")) == "13.27"
    # Rounded half up at cents before the zeros go: 15.505 亿元 -> 15.51.
    assert yi_in_words(Decimal("155050")) == "15.51"


def test_wan_has_thousands_commas_and_two_places_and_a_dash_for_none():
    assert format_wan(Decimal("1234.5")) == "1,234.50"
    assert format_wan(None) == "—"


def test_rate_prints_its_one_decimal_and_a_dash_for_no_rate():
    assert format_rate(completion_rate(Decimal("50"), Decimal("100"))) == "50.0%"
    assert format_rate(completion_rate(Decimal("50"), Decimal("0"))) == "—"


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


@pytest.mark.parametrize("amount", [Decimal("-0"), Decimal("-0.00"), Decimal("-0.004"), "-0.001"])
def test_an_amount_that_rounds_to_zero_has_no_sign(amount):
    """No page or file shows -0.00, and equal amounts always print alike."""
    assert str(as_money(amount)) == "0.00"
    assert format_wan(as_money(amount)) == "0.00"


def test_a_negative_amount_keeps_its_sign():
    assert str(as_money(Decimal("-0.005"))) == "-0.01"
    assert str(as_money("-3")) == "-3.00"


@pytest.mark.parametrize(
    "amount, text",
    [
        (Decimal("-112.20"), "-112.20"),
        (Decimal("1234.5"), "+1,234.50"),
        (Decimal("0.00"), "0.00"),
        (Decimal("-0.00"), "0.00"),
        (None, "—"),
    ],
)
def test_an_adjustment_is_written_with_its_sign(amount, text):
    assert money.format_signed_wan(amount) == text
