import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from projects.periods import (
    FIRST_YEAR,
    LAST_YEAR,
    MonthField,
    Period,
    is_month,
    month_from_parts,
    month_text,
    next_month,
    parse_month,
    previous_month,
    quarter_months,
    reporting_month,
    time_elapsed_percent,
    ytd_months,
)


def test_second_quarter_is_cumulative_january_to_june():
    period = Period(2024, 2)
    assert period.months == (1, 2, 3, 4, 5, 6)
    assert period.quarter_months == (4, 5, 6)
    assert period.start == dt.date(2024, 1, 1)
    assert period.end == dt.date(2024, 6, 30)
    assert period.quarter_start == dt.date(2024, 4, 1)


def test_year_to_date_months_of_each_quarter():
    assert ytd_months(1) == (1, 2, 3)
    assert ytd_months(3) == tuple(range(1, 10))
    assert quarter_months(4) == (10, 11, 12)


def test_time_elapsed_is_a_quarter_of_the_year_per_quarter():
    assert [time_elapsed_percent(q) for q in (1, 2, 3, 4)] == [
        Decimal(25 * q) for q in (1, 2, 3, 4)
    ]


def test_chinese_labels_name_the_cumulative_window():
    assert Period(2024, 1).label_zh == "2024年一季度"
    assert Period(2024, 2).ytd_label_zh == "2024年上半年"
    assert Period(2024, 3).ytd_label_zh == "2024年前三季度"


@pytest.mark.parametrize("quarter", [0, 5, -1])
def test_a_quarter_outside_one_to_four_is_refused(quarter):
    with pytest.raises(ValueError):
        Period(2024, quarter)


# ------------------------------------------------------------ months as written


@pytest.mark.parametrize(
    ("year", "month", "before"),
    [(2024, 1, (2023, 12)), (2024, 3, (2024, 2)), (2024, 12, (2024, 11))],
)
def test_previous_month_crosses_into_december_of_the_year_before(year, month, before):
    assert previous_month(year, month) == before


@pytest.mark.parametrize(("year", "month", "after"), [(2024, 12, (2025, 1)), (2024, 1, (2024, 2))])
def test_next_month_crosses_into_january_of_the_year_after(year, month, after):
    assert next_month(year, month) == after


@pytest.mark.parametrize("month", [0, 13])
def test_previous_month_of_a_month_outside_the_year_is_refused(month):
    with pytest.raises(ValueError):
        previous_month(2024, month)


@pytest.mark.parametrize(
    ("today", "reported"),
    [
        (dt.date(2024, 1, 3), (2023, 12)),
        (dt.date(2024, 3, 1), (2024, 2)),
        (dt.date(2024, 3, 31), (2024, 2)),
    ],
)
def test_units_report_the_month_before_todays(today, reported):
    assert reporting_month(today) == reported


@pytest.mark.parametrize(
    ("text", "month"),
    [
        ("2024-03", (2024, 3)),
        ("2024-3", (2024, 3)),
        (" 2024-12 ", (2024, 12)),
        ("2000-01", (2000, 1)),
        ("2100-12", (2100, 12)),
    ],
)
def test_a_month_written_year_dash_month_is_read(text, month):
    assert parse_month(text) == month


@pytest.mark.parametrize(
    "text",
    [
        "",
        "2024",
        "2024-13",
        "2024-00",
        "1999-12",
        "2101-01",
        "24-03",
        "2024/03",
        "2024-03-01",
        "２０２４-03",
        "2024-٣",
        "20245-01",
        "2024--3",
        "-2024-3",
    ],
)
def test_anything_else_is_not_a_month(text):
    with pytest.raises(ValueError):
        parse_month(text)


def test_a_month_is_written_with_four_digits_and_two():
    assert month_text(2024, 3) == "2024-03"
    assert parse_month(month_text(2024, 3)) == (2024, 3)


@pytest.mark.parametrize(
    ("year", "month", "taken"),
    [
        (FIRST_YEAR, 1, True),
        (LAST_YEAR, 12, True),
        (FIRST_YEAR - 1, 12, False),
        (LAST_YEAR + 1, 1, False),
        (2024, 0, False),
        (2024, 13, False),
    ],
)
def test_the_year_range_takes_its_first_and_last_year_and_nothing_beyond(year, month, taken):
    assert is_month(year, month) is taken


@pytest.mark.parametrize(
    ("year", "month", "parsed"),
    [
        ("2024", "3", (2024, 3)),
        (" 2024 ", "03", (2024, 3)),
        ("2024", "13", None),
        ("abc", "3", None),
        ("2024", "", None),
        ("99999999999999999999", "1", None),
        ("2024", "99999999999999999999", None),
        ("２０２４", "3", None),
        ("2101", "1", None),
    ],
)
def test_a_month_from_separate_query_parameters(year, month, parsed):
    assert month_from_parts(year, month) == parsed


def test_the_month_field_gives_year_and_month_or_a_chinese_error():
    field = MonthField(required=False)
    assert field.clean("2024-03") == (2024, 3)
    assert field.clean("") is None
    with translation.override("zh-hans"):
        with pytest.raises(ValidationError) as error:
            field.clean("2024-13")
        assert error.value.messages == ["月份请按 YYYY-MM 格式填写。"]
    assert field.prepare_value((2024, 3)) == "2024-03"
