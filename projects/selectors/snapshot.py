"""A published edition's content as JSON: the briefing and its report, exactly as computed.

An edition must read back as the very objects its files were rendered from, so
the same exporters make byte-identical files from it on every download. Amounts
stay ``Decimal`` (as strings), dates stay dates, and each result class is named
in the JSON; only the classes listed here can be read back (a stored document
never names arbitrary code to run).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from decimal import Decimal

from ..periods import Period
from ..ranking import Placing, Ranking
from .briefing import Briefing, Campaign, Highlight, Lagging
from .coverage import Coverage, MonthCoverage
from .indicators import IndicatorProgress
from .light_history import LightChange, LightChanges
from .results import (
    BreakdownRow,
    Figures,
    Headline,
    LibraryRates,
    LightReason,
    ListChange,
    MonthPoint,
    Outlook,
    ProjectRow,
    ProvincialRates,
    QuarterlyReport,
    RowPage,
    Starts,
)
from .scores import ScoreItem, UnitScore

# Every class an edition may hold; a new result class that an edition carries is added here
# (a test encodes a full demo briefing and fails on a class missing from this list).
CLASSES = {
    cls.__name__: cls
    for cls in (
        Briefing,
        BreakdownRow,
        Campaign,
        Coverage,
        Figures,
        Headline,
        Highlight,
        IndicatorProgress,
        Lagging,
        LightChange,
        LightChanges,
        LibraryRates,
        LightReason,
        ListChange,
        MonthCoverage,
        MonthPoint,
        Outlook,
        Period,
        Placing,
        ProjectRow,
        ProvincialRates,
        QuarterlyReport,
        Ranking,
        RowPage,
        ScoreItem,
        Starts,
        UnitScore,
    )
}
# Fields not kept: the edition itself is said by the reader (``EditionInfo``), not stored;
# the cache key of live figures names no edition.
SKIPPED = {("QuarterlyReport", "edition"), ("QuarterlyReport", "kept_as")}
# Each class's constructor arguments, found once: a cached report decodes hundreds of rows
# per read (``report_cache``), and asking ``dataclasses.fields`` per row doubled its cost.
INIT_FIELDS = {
    name: frozenset(f.name for f in dataclasses.fields(cls) if f.init)
    for name, cls in CLASSES.items()
}


def encode(value):
    """Plain JSON for ``value``: dataclasses by name, Decimal and dates tagged."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        name = type(value).__name__
        if name not in CLASSES:
            raise TypeError(f"{name} is not a class an edition may hold")
        data = {"$": name}
        for f in dataclasses.fields(value):
            if (name, f.name) not in SKIPPED:
                data[f.name] = encode(getattr(value, f.name))
        return data
    if isinstance(value, bool) or value is None or isinstance(value, (int, str)):
        return value
    if isinstance(value, Decimal):
        return {"$d": str(value)}
    if isinstance(value, dt.datetime):
        return {"$t": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$day": value.isoformat()}
    if isinstance(value, Mapping):  # a dict, or a kept report's breakdowns
        return {"$map": [[encode(k), encode(v)] for k, v in value.items()]}
    if isinstance(value, (list, tuple)) or hasattr(value, "__iter__"):
        # Rows may be a stream: an edition holds them all.
        return [encode(item) for item in value]
    raise TypeError(f"cannot keep {type(value).__name__} in an edition")


def decode(data):
    """The objects ``encode`` was given (sequences come back as tuples)."""
    if isinstance(data, list):
        return tuple([decode(item) for item in data])
    if not isinstance(data, dict):
        return data
    name = data.get("$")
    if name is not None:
        return CLASSES[name](**_arguments(data, INIT_FIELDS[name]))
    if "$d" in data:
        return Decimal(data["$d"])
    if "$day" in data:
        return dt.date.fromisoformat(data["$day"])
    if "$t" in data:
        return dt.datetime.fromisoformat(data["$t"])
    if "$map" in data:
        return {decode(k): decode(v) for k, v in data["$map"]}
    raise ValueError("not a value an edition holds")


def _arguments(data: dict, names: frozenset) -> dict:
    """A result object's fields decoded, plain values and amounts without a call each: a
    cached report's breakdowns hold thousands of them."""
    out = {}
    for key, value in data.items():
        if key not in names:
            continue
        kind = type(value)
        if kind is dict:
            amount = value.get("$d")
            out[key] = Decimal(amount) if amount is not None else decode(value)
        elif kind is list:
            out[key] = decode(value)
        else:
            out[key] = value
    return out
