import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from projects.periods import (
    Period,
    check_not_future,
    current_month,
    is_future_month,
    latest_quarter_through,
    month_end,
    month_range_zh,
    quarter_end,
    quarter_months,
    quarter_of_date,
    quarter_of_month,
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
