import datetime as dt
from decimal import Decimal

import pytest

from projects.periods import Period, quarter_months, time_elapsed_percent, ytd_months


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
