"""Quarter and month arithmetic for cumulative (year-to-date) reporting.

Plain functions on dates and integers, no ORM: Chinese progress reports are
cumulative from January, so "Q2" means January to June unless a function
says it is about the quarter alone.
"""

import calendar
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

QUARTERS = (1, 2, 3, 4)

# The names Chinese reports use for a quarter alone and for the cumulative window.
QUARTER_NAMES = {1: _("Q1"), 2: _("Q2"), 3: _("Q3"), 4: _("Q4")}
QUARTER_NAMES_ZH = {1: "一季度", 2: "二季度", 3: "三季度", 4: "四季度"}
YTD_NAMES_ZH = {1: "一季度", 2: "上半年", 3: "前三季度", 4: "全年"}


def check_quarter(quarter: int) -> int:
    if quarter not in QUARTERS:
        raise ValueError(f"quarter must be 1-4, not {quarter!r}")
    return quarter


def check_month(month: int) -> int:
    if not 1 <= month <= 12:
        raise ValueError(f"month must be 1-12, not {month!r}")
    return month


def quarter_of_month(month: int) -> int:
    return (check_month(month) - 1) // 3 + 1


def quarter_of_date(day: dt.date) -> int:
    return quarter_of_month(day.month)


def quarter_months(quarter: int) -> tuple[int, int, int]:
    """The three months of a quarter alone: Q2 -> (4, 5, 6)."""
    first = (check_quarter(quarter) - 1) * 3 + 1
    return (first, first + 1, first + 2)


def ytd_months(quarter: int) -> tuple[int, ...]:
    """The months from January through the quarter's end: Q2 -> (1, ..., 6)."""
    return tuple(range(1, check_quarter(quarter) * 3 + 1))


def month_start(year: int, month: int) -> dt.date:
    return dt.date(year, check_month(month), 1)


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, check_month(month), calendar.monthrange(year, month)[1])


def quarter_start(year: int, quarter: int) -> dt.date:
    return month_start(year, quarter_months(quarter)[0])


def quarter_end(year: int, quarter: int) -> dt.date:
    return month_end(year, quarter_months(quarter)[-1])


def time_elapsed_percent(quarter: int) -> Decimal:
    """Share of the year gone by the quarter's end (时序进度): Q1 -> 25."""
    return Decimal(check_quarter(quarter) * 25)


@dataclass(frozen=True)
class Period:
    """A reporting period: the year to date through a quarter's end."""

    year: int
    quarter: int

    def __post_init__(self):
        check_quarter(self.quarter)

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 1, 1)

    @property
    def end(self) -> dt.date:
        return quarter_end(self.year, self.quarter)

    @property
    def quarter_start(self) -> dt.date:
        return quarter_start(self.year, self.quarter)

    @property
    def months(self) -> tuple[int, ...]:
        return ytd_months(self.quarter)

    @property
    def quarter_months(self) -> tuple[int, int, int]:
        return quarter_months(self.quarter)

    @property
    def label_zh(self) -> str:
        """2024年一季度"""
        return f"{self.year}年{QUARTER_NAMES_ZH[self.quarter]}"

    @property
    def ytd_label_zh(self) -> str:
        """2024年上半年 for Q2: the cumulative window's usual name."""
        return f"{self.year}年{YTD_NAMES_ZH[self.quarter]}"

    @property
    def time_elapsed_percent(self) -> Decimal:
        return time_elapsed_percent(self.quarter)

    def previous_year(self) -> "Period":
        return Period(self.year - 1, self.quarter)


def latest_quarter_through(year: int, month: int) -> int:
    """The last quarter that a month's data belongs to: month 5 -> Q2."""
    return quarter_of_month(month)


def current_month() -> tuple[int, int]:
    """This month in the district's own time zone (the settings' ``TIME_ZONE``)."""
    today = timezone.localdate(timezone=timezone.get_default_timezone())
    return today.year, today.month


def is_future_month(year: int, month: int) -> bool:
    return (year, month) > current_month()


def check_not_future(year: int, month: int) -> None:
    """Refuse figures for a month that has not begun: nobody can report it yet."""
    if is_future_month(year, month):
        this_year, this_month = current_month()
        raise ValidationError(
            _(
                "%(year)s-%(month)02d has not begun yet: figures can be entered up to "
                "the current month (%(this_year)s-%(this_month)02d)."
            ),
            code="future_month",
            params={
                "year": year,
                "month": month,
                "this_year": this_year,
                "this_month": this_month,
            },
        )
