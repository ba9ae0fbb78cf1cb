"""The report's rows compare and hash as values of all their fields (``compared_as_values``).

A table draws a row once per value (``web.drawn_rows``): two rows equal where a field
differs would be drawn alike, a stale cell. So each field of each class, changed alone,
must make the rows unequal, and equal rows must hash alike, pickled or not.
"""

import dataclasses
import datetime as dt
import pickle
from decimal import Decimal

import pytest

from projects.selectors.results import (
    BreakdownRow,
    Figures,
    LightReason,
    ProjectRow,
    Starts,
)

D = Decimal


def figures(base: str = "1.00") -> Figures:
    return Figures(*(D(base) + n for n in range(9)))


def starts() -> Starts:
    return Starts(*range(8))


def reason() -> LightReason:
    return LightReason("late-start", "red", "开工滞后", dt.date(2024, 3, 1))


def project_row() -> ProjectRow:
    return ProjectRow(
        code="CY2024-001",
        name="物元半导体项目",
        unit="红岛街道办事处",
        street="红岛街道",
        category="战略性新兴产业",
        kind="continuing",
        kind_label="续建",
        planned_start=dt.date(2024, 2, 1),
        actual_start=dt.date(2024, 2, 20),
        start_status="started",
        image_progress="主体封顶",
        light="red",
        investment=figures("1.00"),
        inclusion=figures("2.00"),
        unit_id=18,
        plan_adjusted=True,
        light_reasons=(reason(),),
        national_code="2022-370214-04-03-079196",
        longitude=D("120.276553"),
        latitude=D("36.239835"),
    )


def breakdown_row() -> BreakdownRow:
    return BreakdownRow("U01", "红岛街道办事处", 3, starts(), figures(), figures("5.00"), "专班")


MADE = {
    Figures: figures,
    Starts: starts,
    LightReason: reason,
    ProjectRow: project_row,
    BreakdownRow: breakdown_row,
}


def fields_of(cls):
    return [(cls, field.name) for field in dataclasses.fields(cls)]


@pytest.mark.parametrize("cls", list(MADE), ids=lambda cls: cls.__name__)
def test_rows_made_alike_are_equal_and_hash_alike_also_after_pickling(cls):
    one, other = MADE[cls](), MADE[cls]()
    read_back = pickle.loads(pickle.dumps(one, protocol=pickle.HIGHEST_PROTOCOL))
    for twin in (other, read_back):
        assert one == twin
        assert hash(one) == hash(twin)
    if cls.hashed_by:
        # Its own fields (``hashed_by``): one's value as is, more as a tuple.
        named = tuple(getattr(one, name) for name in cls.hashed_by)
        assert hash(one) == hash(named if len(named) > 1 else named[0])
    else:
        # As dataclasses would hash it: the tuple of its fields.
        assert hash(one) == hash(tuple(getattr(one, f.name) for f in dataclasses.fields(cls)))
    assert {one: "drawn"}[read_back] == "drawn"


@pytest.mark.parametrize("cls", [ProjectRow, BreakdownRow], ids=lambda cls: cls.__name__)
def test_a_row_hashes_without_reading_its_amounts(cls):
    """A table's row is hashed by a few text fields (``hashed_by``), never by its amounts:
    a fresh Decimal's hash was most of a fresh row's (``values.compared_as_values``). Each
    other field made unhashable, the row still hashes, and as before."""
    one = MADE[cls]()
    assert cls.hashed_by
    assert not {"investment", "inclusion"} & set(cls.hashed_by)
    others = {f.name: [] for f in dataclasses.fields(cls) if f.name not in cls.hashed_by}
    assert hash(dataclasses.replace(one, **others)) == hash(one)


@pytest.mark.parametrize(
    "cls, name",
    [pair for cls in MADE for pair in fields_of(cls)],
    ids=lambda value: value if isinstance(value, str) else value.__name__,
)
def test_a_row_with_any_one_field_changed_is_another_row(cls, name):
    one = MADE[cls]()
    changed = dataclasses.replace(one, **{name: object()})
    assert one != changed
    assert {one: "drawn"}.get(changed) is None


def test_rows_of_another_class_with_the_same_values_are_not_equal():
    @dataclasses.dataclass(frozen=True)
    class Lookalike:
        code: str
        light: str
        text: str
        since: dt.date | None = None

    mine = reason()
    assert mine != Lookalike(mine.code, mine.light, mine.text, mine.since)
    assert mine != (mine.code, mine.light, mine.text, mine.since)
