"""The words of 纳统率 (入库 projects) in files and the 通报, with both denominators labelled.

The city's reports publish the rate two ways, over every project on the list and over the
new starts; a bare "纳统率" would leave the reader to guess which, so every door reads its
labels from here (the page and the print view say the same in their translated template).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..money import format_rate
from ..selectors.results import LibraryRates
from .sign_off import date_zh

OF_LISTED = "纳统率（已入库项目÷清单全部项目）"
OF_NEW_STARTS = "纳统率（已入库新开工项目÷已开工新开工项目）"


@dataclass(frozen=True)
class LibraryRateLine:
    """One of the two rates: its label, what it is made of and the rate (None: no denominator)."""

    key: str
    label: str
    numerator: int
    denominator: int
    rate: Decimal | None


def library_rate_lines(rates: LibraryRates | None) -> list[LibraryRateLine]:
    """Both rates, over the list first; none for an edition published before they were kept."""
    if rates is None:
        return []
    return [
        LibraryRateLine(
            "of_listed", OF_LISTED, rates.listed_in_library, rates.listed, rates.of_listed
        ),
        LibraryRateLine(
            "of_new_starts",
            OF_NEW_STARTS,
            rates.new_starts_in_library,
            rates.new_starts,
            rates.of_new_starts,
        ),
    ]


def summary_rows(rates: LibraryRates | None) -> list[list]:
    """The XLSX summary's rows: the counts, then each rate, each row naming its denominator."""
    if rates is None:
        return []
    return [
        ["已入库项目（个）", rates.listed_in_library, None],
        ["清单全部项目（个）", rates.listed, None],
        [f"{OF_LISTED}（%）", rates.of_listed, None],
        ["已开工新开工项目（个）", rates.new_starts, None],
        ["其中已入库（个）", rates.new_starts_in_library, None],
        [f"{OF_NEW_STARTS}（%）", rates.of_new_starts, None],
    ]


def _rate_words(rate: Decimal | None) -> str:
    return f"纳统率{format_rate(rate)}" if rate is not None else "暂无纳统率"


def library_sentence(report) -> str | None:
    """The 通报's sentence, both rates named by their denominators:
    截至2024年3月31日，清单内147个项目已入库120个，纳统率81.6%（按清单全部项目计）；…

    A rate whose denominator is zero is said as 暂无, never as 0%.
    """
    rates = report.library_rates
    if rates is None or not rates.listed:
        return None
    listed = (
        f"截至{date_zh(report.period.end)}，清单内{rates.listed}个项目已入库{rates.listed_in_library}个，"
        f"{_rate_words(rates.of_listed)}（按清单全部项目计）"
    )
    if rates.new_starts:
        new = (
            f"已开工的{rates.new_starts}个新开工项目中已入库{rates.new_starts_in_library}个，"
            f"{_rate_words(rates.of_new_starts)}（按新开工项目计）"
        )
    else:
        new = "本期尚无已开工的新开工项目，暂无按新开工项目计的纳统率"
    return f"{listed}；{new}。"
