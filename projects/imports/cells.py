"""Parsing the cells of the units' files: numbers, dates, kinds, and finding the header row."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .. import money
from ..models import Project
from ..text import clean_text, unguard, validate_line, validate_visible
from .columns import EXCEL_EPOCH, HEADER_SEARCH_ROWS, Column
from .reading import ImportFileError
from .results import RowError

# --- cells -----------------------------------------------------------------------------------


class CellError(ValueError):
    """A cell that cannot be read; the message is shown to the user."""


def normalise_text(value) -> str:
    """Full-width letters, digits and punctuation become half-width; surrounding spaces go."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFKC", str(value)).strip()


def _plain(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def parse_line(value, *, code: bool = False) -> str:
    """A name, code or person: one line, refused with a line break, control or invisible mark.

    A leading apostrophe the app's own files put before "=", "+", "-" or "@" is taken
    off, so a ledger exported and imported again is unchanged.
    """
    text = unguard(normalise_text(value) if code else _plain(value))
    try:
        # A code is refused private-use characters too, with the code's own message.
        (validate_visible if code else validate_line)(text)
    except ValidationError as exc:
        raise CellError(" ".join(exc.messages)) from None
    return text


def parse_note(value) -> str:
    """Free text (形象进度, 存在问题): line breaks kept as "\\n", other controls dropped."""
    return clean_text(unguard(_plain(value))).strip()


def header_key(value) -> str:
    text = normalise_text(value).lower()
    return re.sub(r"\s+", "", text)


def parse_amount(value) -> Decimal:
    """An amount cell in 万元 by the one grammar (``money.parse_amount``); blank is zero."""
    try:
        amount = money.parse_amount(value)
    except money.AmountError as exc:
        raise CellError(str(exc)) from None
    return Decimal("0") if amount is None else amount


def parse_coordinate(value):
    """A degree cell: a number as it is, text read after 全角 folding; the range is the model's.

    Returns a ``Decimal`` or ``None``; the model field (``CoordinateField``) rounds and checks.
    """
    if value is None or isinstance(value, bool):
        if isinstance(value, bool):
            raise CellError(_("“%(value)s” is not a number of degrees.") % {"value": value})
        return None
    if isinstance(value, int | float | Decimal):
        return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    text = re.sub(r"\s+", "", normalise_text(value)).rstrip("°")
    if not text:
        return None
    if not re.fullmatch(r"[+-]?\d+(\.\d+)?", text):
        raise CellError(
            _("“%(value)s” is not a number of degrees; write e.g. 120.3912.")
            % {"value": normalise_text(value)}
        )
    return Decimal(text)


def parse_integer(value, suffix: str = "") -> int | None:
    """A year or month: 2024, "2024", 2024.0, "２０２４", "3月"."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise CellError(_("“%(value)s” is not a whole number.") % {"value": value})
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = re.sub(r"\s+", "", normalise_text(value))
    if suffix and text.endswith(suffix):
        text = text[: -len(suffix)]
    if not text:
        return None
    if not re.fullmatch(r"[+-]?\d+", text):
        raise CellError(_("“%(value)s” is not a whole number.") % {"value": normalise_text(value)})
    return int(text)


_DATE_PATTERNS = (
    re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"),
    re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})"),
    re.compile(r"(\d{4})\.(\d{1,2})\.(\d{1,2})"),
    re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日?"),
)


def parse_date(value) -> dt.date | None:
    """2024-03-15, 2024/3/15, 2024年3月15日, 2024.3.15, an Excel date or an Excel serial number."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        raise CellError(_("“%(value)s” is not a date.") % {"value": value})
    if isinstance(value, int | float):
        return from_serial(value)
    text = re.sub(r"\s+", " ", normalise_text(value))
    if not text:
        return None
    # A date written with a midnight time, as exports from other systems often are.
    text = re.sub(r"[ T]0{1,2}:00(:00(\.0+)?)?$", "", text)
    if re.fullmatch(r"\d+(\.0+)?", text) and len(text.split(".")[0]) <= 5:
        return from_serial(float(text))
    for pattern in _DATE_PATTERNS:
        match = pattern.fullmatch(text)
        if match:
            year, month, day = (int(part) for part in match.groups())
            try:
                return dt.date(year, month, day)
            except ValueError as exc:
                raise CellError(
                    _("“%(value)s” is not a real date.") % {"value": normalise_text(value)}
                ) from exc
    raise CellError(
        _("“%(value)s” is not a date; write it as 2024-03-15.") % {"value": normalise_text(value)}
    )


def from_serial(number: float) -> dt.date:
    # Excel's day numbers: 1 is 1900-01-01 (with Excel's phantom 1900-02-29 folded in).
    if not float(number).is_integer() or not 1 <= number <= 2_958_465:
        raise CellError(_("“%(value)s” is not a date.") % {"value": number})
    return EXCEL_EPOCH + dt.timedelta(days=int(number))


KIND_WORDS = {
    "新开工": Project.Kind.NEW,
    "新建": Project.Kind.NEW,
    "new": Project.Kind.NEW,
    "newstart": Project.Kind.NEW,
    "续建": Project.Kind.CONTINUING,
    "continuing": Project.Kind.CONTINUING,
}


def parse_kind(value) -> str | None:
    text = header_key(value)
    if not text:
        return None
    try:
        return KIND_WORDS[text.replace("-", "").replace("_", "")]
    except KeyError:
        raise CellError(
            _("“%(value)s” is not a kind of project; write 新开工 or 续建.")
            % {"value": normalise_text(value)}
        ) from None


# --- header row --------------------------------------------------------------------------------


def aliases(column: Column) -> set[str]:
    names = {header_key(column.key), header_key(column.key.replace("_", " "))}
    for header in (column.header, *column.former):
        names.add(header_key(header))
        names.add(header_key(header).replace("(万元)", ""))
    return names


def _is_former(column: Column, cell) -> bool:
    """Whether the cell names the column by a header older templates used."""
    key = header_key(cell)
    return any(key in (header_key(h), header_key(h).replace("(万元)", "")) for h in column.former)


@dataclass
class Header:
    """Where the header row is and which file column holds each known column."""

    row: int
    positions: dict[str, int]
    labels: dict[str, str]


def locate_header(rows: list[tuple[int, list]], columns) -> tuple[Header, list[RowError]]:
    """The first row naming the code column and at least one other known column."""
    lookup = {alias: column for column in columns for alias in aliases(column)}
    for index, (number, cells) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        found: dict[str, int] = {}
        labels: dict[str, str] = {}
        for position, cell in enumerate(cells):
            column = lookup.get(header_key(cell))
            if column is not None and column.key not in found:
                found[column.key] = position
                # An old header is named as the template names it now, so a preview of an
                # old file says 当月 too.
                labels[column.key] = (
                    column.header if _is_former(column, cell) else str(cell).strip()
                )
        if "code" in found and len(found) >= 2:
            errors = [
                RowError(
                    number,
                    column.header,
                    _("The required column “%(column)s” is missing.") % {"column": column.header},
                )
                for column in columns
                if column.required and column.key not in found
            ]
            return Header(index, found, labels), errors
    raise ImportFileError(
        _(
            "No header row found: the file needs a row with the column names, "
            "starting with “%(column)s”. Download the template to see them."
        )
        % {"column": columns[0].header}
    )
