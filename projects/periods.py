"""Quarter and month arithmetic for cumulative (year-to-date) reporting.

Plain functions on dates and integers, no ORM: Chinese progress reports are
cumulative from January, so "Q2" means January to June unless a function
says it is about the quarter alone.
"""

import calendar
import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

QUARTERS = (1, 2, 3, 4)

# The years the tracker takes, everywhere (models, forms, URLs, commands): wide enough
# for any list the district keeps, narrow enough that a typo cannot make a year 20245.
FIRST_YEAR = 2000
LAST_YEAR = 2100

# A month as people write it and the month pickers send it: 2024-03 (or 2024-3).
MONTH_PATTERN = r"\d{4}-\d{1,2}"
_MONTH_RE = re.compile(rf"\A{MONTH_PATTERN}\Z")

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


def is_month(year: int, month: int) -> bool:
    """Whether (year, month) is a month the tracker takes: a year in range, a month 1-12."""
    return FIRST_YEAR <= year <= LAST_YEAR and 1 <= month <= 12


def month_text(year: int, month: int) -> str:
    """The one way a month is written: 2024-03."""
    return f"{year:04d}-{month:02d}"


def parse_month(text: str) -> tuple[int, int]:
    """(2024, 3) from "2024-03" or "2024-3"; ValueError for anything else.

    Only ASCII digits are read (``str.isdigit`` would take "²" and other digits that
    ``int`` refuses), and the month must be one the tracker takes (``is_month``).
    """
    text = (text or "").strip()
    if not text.isascii() or not _MONTH_RE.match(text):
        raise ValueError(f"not a month: {text[:20]!r}")
    year_text, _dash, month_text_ = text.partition("-")
    year, month = int(year_text), int(month_text_)
    if not is_month(year, month):
        raise ValueError(f"not a month: {text!r}")
    return year, month


def month_from_parts(year_text: str, month_text_: str) -> tuple[int, int] | None:
    """(year, month) from separate year and month texts (query parameters), or None."""
    year_text, month_text_ = (year_text or "").strip(), (month_text_ or "").strip()
    if not (year_text.isascii() and year_text.isdigit() and len(year_text) == 4):
        return None
    if not (month_text_.isascii() and month_text_.isdigit() and len(month_text_) <= 2):
        return None
    year, month = int(year_text), int(month_text_)
    return (year, month) if is_month(year, month) else None


def previous_month(year: int, month: int) -> tuple[int, int]:
    """The month before: (2024, 1) -> (2023, 12)."""
    check_month(month)
    return (year - 1, 12) if month == 1 else (year, month - 1)


def next_month(year: int, month: int) -> tuple[int, int]:
    """The month after: (2024, 12) -> (2025, 1)."""
    check_month(month)
    return (year + 1, 1) if month == 12 else (year, month + 1)


def months_crossed(
    old: dt.date | None, new: dt.date | None, months: Iterable[tuple[int, int]]
) -> set[tuple[int, int]]:
    """Of ``months``, those a date moving from ``old`` to ``new`` passes through.

    Every month from the earlier date's to the later date's, both included: a report
    read at the end of any of them can see the thing on the other side of it now (a
    node done, a problem closed, a project started). ``None`` means "not yet" (no actual
    date, no deadline, not there at all), later than every month, so adding or
    removing a date passes every month from it on.
    """
    if old == new:
        return set()
    days = sorted(d for d in (old, new) if d is not None)
    if not days:
        return set()
    low = (days[0].year, days[0].month)
    high = None if None in (old, new) else (days[-1].year, days[-1].month)
    return {m for m in months if low <= m and (high is None or m <= high)}


def reporting_month(today: dt.date) -> tuple[int, int]:
    """The month units report in the first days of ``today``'s month: the one before."""
    return previous_month(today.year, today.month)


class MonthField(forms.CharField):
    """A form field for a month written 2024-03; its value is (year, month) or None."""

    default_error_messages = {"invalid": _("Give the month as YYYY-MM.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 7)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, tuple):
            return month_text(*value)
        return value

    def to_python(self, value):
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        try:
            return parse_month(text)
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


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


def month_range_zh(month: int) -> str:
    """1—10月 for a year to date through October; 1月 for January alone."""
    return "1月" if check_month(month) == 1 else f"1—{month}月"


@dataclass(frozen=True)
class Period:
    """A reporting period: the year to date through a quarter's end, or through a month's end.

    A month period (``month`` set) is what offices report at every month end
    ("1—10月"); its "alone" window is that month instead of the quarter.
    """

    year: int
    quarter: int
    month: int | None = None

    def __post_init__(self):
        check_quarter(self.quarter)
        if self.month is not None and quarter_of_month(self.month) != self.quarter:
            raise ValueError(f"month {self.month} is not in quarter {self.quarter}")

    @classmethod
    def through_month(cls, year: int, month: int) -> "Period":
        return cls(year, quarter_of_month(month), month)

    @property
    def is_month(self) -> bool:
        return self.month is not None

    @property
    def last_month(self) -> int:
        return self.month if self.month is not None else self.quarter * 3

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 1, 1)

    @property
    def end(self) -> dt.date:
        return month_end(self.year, self.last_month)

    @property
    def quarter_start(self) -> dt.date:
        return quarter_start(self.year, self.quarter)

    @property
    def months(self) -> tuple[int, ...]:
        return tuple(range(1, self.last_month + 1))

    @property
    def alone_months(self) -> tuple[int, ...]:
        """The window reported "alone" beside the year to date: the quarter, or the month."""
        return (self.month,) if self.month is not None else quarter_months(self.quarter)

    @property
    def alone_start(self) -> dt.date:
        return month_start(self.year, self.alone_months[0])

    def plan_shares(self, *, alone: bool = False) -> dict[int, int]:
        """Thirds of each quarter's plan that fall in the period (or its alone window).

        Plans are set by quarter; a month period takes a third of its quarter's
        plan for each of the quarter's months it has reached.
        """
        months = self.alone_months if alone else self.months
        shares: dict[int, int] = {}
        for month in months:
            quarter = quarter_of_month(month)
            shares[quarter] = shares.get(quarter, 0) + 1
        return shares

    @property
    def quarter_months(self) -> tuple[int, int, int]:
        return quarter_months(self.quarter)

    @property
    def label_zh(self) -> str:
        """2024年一季度, or 2024年1—10月 for a month period."""
        if self.month is not None:
            return f"{self.year}年{month_range_zh(self.month)}"
        return f"{self.year}年{QUARTER_NAMES_ZH[self.quarter]}"

    @property
    def ytd_label_zh(self) -> str:
        """2024年上半年 for Q2: the cumulative window's usual name."""
        return f"{self.year}年{self.ytd_name_zh}"

    @property
    def ytd_name_zh(self) -> str:
        """一季度 / 上半年 / 前三季度 / 全年, or 1—10月: the window without its year."""
        if self.month is not None:
            return month_range_zh(self.month)
        return YTD_NAMES_ZH[self.quarter]

    @property
    def alone_name_zh(self) -> str:
        """The alone window's name: 二季度, or 10月."""
        if self.month is not None:
            return f"{self.month}月"
        return QUARTER_NAMES_ZH[self.quarter]

    @property
    def label_en(self) -> str:
        if self.month is not None:
            return f"{self.year} Jan–{calendar.month_abbr[self.month]}"
        return f"{self.year} Q{self.quarter}"

    @property
    def slug(self) -> str:
        """The path part naming the period: q1, or m10."""
        return f"m{self.month}" if self.month is not None else f"q{self.quarter}"

    @property
    def months_elapsed(self) -> int:
        return self.last_month

    @property
    def time_elapsed_percent(self) -> Decimal:
        """Months gone ÷ 12, to one decimal: Q1 -> 25, 1—10月 -> 83.3."""
        if self.month is None:
            return time_elapsed_percent(self.quarter)
        return (Decimal(self.month * 100) / 12).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    def previous_year(self) -> "Period":
        return Period(self.year - 1, self.quarter, self.month)


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
