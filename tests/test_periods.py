import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from projects.periods import (
    FIRST_YEAR,
    LAST_YEAR,
    MonthField,
    Period,
    check_not_future,
    current_month,
    is_future_month,
    is_month,
    latest_quarter_through,
    month_end,
    month_from_parts,
    month_range_zh,
    month_text,
    months_crossed,
    next_month,
    parse_month,
    previous_month,
    quarter_end,
    quarter_months,
    quarter_of_date,
    quarter_of_month,
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


def test_a_quarter_refusal_names_the_quarter():
    with pytest.raises(ValueError, match="quarter must be 1-4, not 5"):
        Period(2024, 5)


@pytest.mark.parametrize("month", [1, 12])
def test_january_and_december_are_months(month):
    assert Period.through_month(2024, month).last_month == month


@pytest.mark.parametrize("month", [0, 13])
def test_a_month_outside_one_to_twelve_is_refused_by_name(month):
    with pytest.raises(ValueError, match=f"month must be 1-12, not {month}"):
        quarter_of_month(month)


def test_each_month_belongs_to_its_quarter():
    assert [quarter_of_month(m) for m in range(1, 13)] == [1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4]
    assert quarter_of_date(dt.date(2024, 7, 1)) == 3
    assert latest_quarter_through(2024, 5) == 2


def test_a_month_period_must_lie_in_its_quarter():
    assert Period(2024, 1, 3).month == 3
    with pytest.raises(ValueError, match="month 4 is not in quarter 1"):
        Period(2024, 1, 4)


def test_a_month_period_runs_from_january_through_that_month():
    period = Period.through_month(2024, 10)
    assert period == Period(2024, 4, 10)
    assert period.months == tuple(range(1, 11))
    assert period.end == dt.date(2024, 10, 31)
    assert period.label_zh == "2024年1—10月"
    assert period.time_elapsed_percent == Decimal("83.3")


def test_quarter_and_month_ends_follow_the_calendar():
    assert quarter_end(2024, 1) == dt.date(2024, 3, 31)
    assert quarter_end(2024, 2) == dt.date(2024, 6, 30)
    assert quarter_end(2024, 4) == dt.date(2024, 12, 31)
    assert month_end(2024, 2) == dt.date(2024, 2, 29)
    assert month_end(2023, 2) == dt.date(2023, 2, 28)


def test_month_range_names_january_alone_and_later_months_as_a_range():
    assert month_range_zh(1) == "1月"
    assert month_range_zh(2) == "1—2月"
    assert month_range_zh(12) == "1—12月"


def test_plan_shares_are_thirds_of_each_quarter_reached():
    assert Period(2024, 2).plan_shares() == {1: 3, 2: 3}
    assert Period(2024, 2).plan_shares(alone=True) == {2: 3}
    assert Period(2024, 4, 11).plan_shares() == {1: 3, 2: 3, 3: 3, 4: 2}
    assert Period(2024, 4, 11).plan_shares(alone=True) == {4: 1}
    assert Period(2024, 1, 1).plan_shares() == {1: 1}


def test_previous_year_keeps_the_quarter_and_month():
    assert Period(2024, 4, 11).previous_year() == Period(2023, 4, 11)
    assert Period(2024, 2).previous_year() == Period(2023, 2)


# 2024-03-31 23:30 in the district (UTC+8) is still March 31 16:30 in UTC.
@time_machine.travel(dt.datetime(2024, 3, 31, 16, 30, tzinfo=dt.UTC), tick=False)
def test_current_month_is_the_districts_own():
    assert current_month() == (2024, 4)
    # Even where a request has switched the time zone, the month is the district's.
    with timezone.override(dt.UTC):
        assert current_month() == (2024, 4)


@time_machine.travel(dt.datetime(2024, 4, 10, 4, 0, tzinfo=dt.UTC), tick=False)
def test_only_months_after_the_current_one_are_in_the_future():
    assert not is_future_month(2024, 4)
    assert not is_future_month(2023, 12)
    assert is_future_month(2024, 5)
    assert is_future_month(2025, 1)


@time_machine.travel(dt.datetime(2024, 4, 10, 4, 0, tzinfo=dt.UTC), tick=False)
def test_figures_for_a_month_not_yet_begun_are_refused_naming_both_months():
    assert check_not_future(2024, 4) is None
    with pytest.raises(ValidationError) as refusal:
        check_not_future(2024, 5)
    assert refusal.value.code == "future_month"
    assert refusal.value.params == {"year": 2024, "month": 5, "this_year": 2024, "this_month": 4}
    assert refusal.value.messages == [
        "2024年05月尚未开始：只能填报到本月（2024年04月）为止的数据。"
    ]


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


# months_crossed: which locked months a date moving from old to new passes through.
Q1_2024 = {(2024, 1), (2024, 2), (2024, 3)}
LOCKS = {(2023, 12), *Q1_2024, (2024, 6)}


def test_a_date_moved_out_of_a_month_crosses_it_and_every_month_up_to_the_new_one():
    assert months_crossed(dt.date(2024, 3, 10), dt.date(2024, 4, 5), LOCKS) == {(2024, 3)}
    assert months_crossed(dt.date(2024, 4, 5), dt.date(2024, 3, 10), LOCKS) == {(2024, 3)}


def test_a_date_moved_across_a_quarter_crosses_each_of_its_months_and_both_ends():
    assert months_crossed(dt.date(2023, 12, 1), dt.date(2024, 6, 30), LOCKS) == LOCKS


def test_a_date_moved_within_one_month_crosses_that_month_only():
    assert months_crossed(dt.date(2024, 2, 1), dt.date(2024, 2, 29), LOCKS) == {(2024, 2)}


def test_an_unmoved_date_crosses_nothing():
    assert months_crossed(dt.date(2024, 2, 1), dt.date(2024, 2, 1), LOCKS) == set()
    assert months_crossed(None, None, LOCKS) == set()


def test_a_date_added_or_removed_crosses_every_month_from_it_on():
    # None is "not yet": a node done in February was open in every month before it was.
    assert months_crossed(None, dt.date(2024, 2, 15), LOCKS) == {(2024, 2), (2024, 3), (2024, 6)}
    assert months_crossed(dt.date(2024, 2, 15), None, LOCKS) == {(2024, 2), (2024, 3), (2024, 6)}
    assert months_crossed(None, dt.date(2024, 7, 1), LOCKS) == set()


def test_months_outside_the_given_ones_are_never_named():
    assert months_crossed(dt.date(2020, 1, 1), dt.date(2030, 1, 1), set()) == set()
    assert months_crossed(dt.date(2024, 4, 1), dt.date(2024, 5, 31), LOCKS) == set()
