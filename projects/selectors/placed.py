"""Statements built once and run with values of their own: a project's id, a person's, a
clerk's units, a year, a month, a code from the address.

A page's small statements cost more to build and compile than to run (the project page's
lists, a clerk's to-do and entry grid: 11 and 22 statements a request at 2,000 × 5). Unlike
the report's (``compiled``), each reads values of its own, and keyed by them every project
or clerk would keep a statement, pushing the report's out of the process's cache. Here the
values are never key parts: a statement is built twice, each value marked two ways
(``marks``), and the values go where the two builds' parameters differ (``_places``). A
constant equal to a mark stays a constant, and a parameter computed from a value is refused
rather than guessed. Each database has its own statement (``_routed``), and a read of more
values than a kept statement takes is built as a statement of its own.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable

from django.core.exceptions import EmptyResultSet
from django.db import router
from django.db.models.query import ModelIterable, get_related_populators

from .compiled import Statement, new_cache, once, totals_from, ungrouped

# The most values a kept statement takes: a clerk's few units. A read of more (a manager's
# every unit) is built as a statement of its own.
MOST_VALUES = 16


class ObjectStatement(Statement):
    """One compiled statement of model instances (with what it ``select_related``s) whose
    rows are read for any project id: made from the rows as Django's ``ModelIterable``
    makes them, from the same compiler's select list, once built."""

    def __init__(self, queryset, **placing):
        if (
            queryset._iterable_class is not ModelIterable
            or queryset._prefetch_related_lookups
            or queryset._known_related_objects
        ):
            raise ValueError("a plain queryset of model instances is compiled here")
        super().__init__(queryset, **placing)
        compiler = self.compiler
        info = compiler.klass_info
        self.model = info["model"]
        first, last = info["select_fields"][0], info["select_fields"][-1] + 1
        self.own = slice(first, last)
        self.names = [f[0].target.attname for f in compiler.select[first:last]]
        # Stateless between rows: each ``populate`` reads its row and sets the objects.
        self.populators = get_related_populators(info, compiler.select, self.using)
        self.annotations = tuple(compiler.annotation_col_map.items())

    def objects(self, *values) -> list:
        """The instances for this project (or these values), in the statement's order."""
        found = self.found(*values)
        if self.changing:
            found = self.compiler.apply_converters(found, self.changing)
        out = []
        for row in found:
            row = tuple(row)
            made = self.model.from_db(self.using, self.names, row[self.own])
            for populator in self.populators:
                populator.populate(row, made)
            for name, position in self.annotations:
                setattr(made, name, row[position])
            out.append(made)
        return out


# Each build's whole-number marks: a first one and a stride, different in each build, so a
# parameter computed from a value (``year + 1``) is no other value's two marks, and refused.
_FIRST = (30_000, 31_000)
_STRIDE = (37, 53)


def marks(kinds: tuple[type, ...], which: int) -> list:
    """The values that mark a statement's values of these kinds in its first (``which`` 0)
    or second build: whole numbers every integer column takes (a small positive one's too:
    Django drops a filter by a number outside its column's range as matching nothing), or
    plain texts (a free-text field's lookup drops control characters). A constant of the
    statement equal to one is never taken for it: it is the same in both builds.

    The values themselves go to the database as given, not through their fields' lookups:
    a text is given as its field prepares a lookup's (``get_prep_value``)."""
    if len(kinds) > MOST_VALUES:
        raise ValueError(f"a kept statement takes at most {MOST_VALUES} values")
    return [
        _FIRST[which] + _STRIDE[which] * n if kind is int else f"(mark {which}.{n})"
        for n, kind in enumerate(kinds)
    ]


def _places(first: Statement, again, values: int) -> list[tuple[int, int]]:
    """Where each of ``values`` values goes in ``first``: the parameters that differ from
    ``again``'s (the queryset built with the second marks), each one value's two marks."""
    sql, params = again.query.get_compiler(using=first.using).as_sql()
    if sql != first.sql or len(params) != len(first.params):
        raise ValueError("the statement's text changes with its values")
    places = []
    for position, (one, two) in enumerate(zip(first.params, params, strict=True)):
        if one == two:
            continue
        place = _MARKED.get((one, two))
        if place is None or place >= values:
            raise ValueError("a parameter changes with the values but is none of them")
        places.append((position, place))
    if {place for _position, place in places} != set(range(values)):
        raise ValueError("a value has no place in the statement")
    return places


# (first mark, second mark) -> the value's place, for either kind.
_MARKED = {
    (one, two): n
    for kind in (int, str)
    for n, (one, two) in enumerate(
        zip(marks((kind,) * MOST_VALUES, 0), marks((kind,) * MOST_VALUES, 1), strict=True)
    )
}


def _placed(cls, build: Callable[..., object], values: tuple) -> Statement:
    """A statement (``cls``) of ``build``, its ``values``' places found by building it with
    each of two marks."""
    kinds = _kinds(values)
    again = build(*marks(kinds, 1))
    return cls(build(*marks(kinds, 0)), place=lambda first: _places(first, again, len(values)))


def objects_of(shape: Hashable, build: Callable[..., object], *values) -> list:
    """The model instances ``build(*values)`` gives, with what it ``select_related``s, its
    statement built and compiled once per ``shape`` and kinds of values (whole numbers or
    texts: a project's id, a person's, units', a year, a month, a code), from ``build`` given
    their marks (``_placed``).

    For a project page's lists (its plans, months, problems, nodes, approvals, materials,
    photos): each a plain queryset of one model filtered by the project. Their building and
    compiling was about a quarter of the page's Python, against well under a millisecond
    each to run. ``shape`` holds whatever else the statement is built from; never a value
    an address chooses (the year asked for is chosen among the rows, in Python)."""
    if len(values) > MOST_VALUES:  # more than a kept statement takes: built this once
        return list(build(*values))
    made = _made(_objects, ObjectStatement, shape, build, values)
    return [] if made is None else made.objects(*values)


def values_for(shape: Hashable, build: Callable[..., object], *values) -> list[dict]:
    """The rows of the ``values()`` queryset ``build(*values)`` gives, its statement built
    and compiled once per ``shape`` and kind of values, as ``objects_of``'s."""
    if len(values) > MOST_VALUES:
        return list(build(*values))
    made = _made(_valued, Statement, shape, build, values)
    return [] if made is None else made.rows(*values)


def totals_for(shape: Hashable, build: Callable[..., object], *values, **aggregates) -> dict:
    """What ``build(*values).aggregate(**aggregates)`` gives, as ``totals_of`` reads it, its
    statement built once per ``shape`` (which holds what the aggregates read: the day, a
    setting) with ``values`` in place, as ``values_for``'s."""
    found = values_for(
        (shape, tuple(aggregates)), lambda *given: ungrouped(build(*given), aggregates), *values
    )
    return totals_from(found, aggregates)


def _made(kept: OrderedDict, cls, shape: Hashable, build, values: tuple) -> Statement | None:
    """The statement of ``cls`` kept for this shape, kinds of values and database, or None
    for one no row can pass (an empty list of units)."""
    try:
        return _routed(kept, (shape, _kinds(values)), lambda: _placed(cls, build, values))
    except EmptyResultSet:
        return None


def _routed(kept: OrderedDict, key: Hashable, build: Callable[[], Statement]) -> Statement:
    """The statement kept under ``key`` for the database its model is read from now, or
    ``build()``'s. A statement runs on the database it was compiled for, and one list may be
    read from the primary on one page and from the replica on a report page
    (``tracker.routers``): each database has its own."""
    by_database = once(kept, key, dict)
    found = next(iter(by_database.values()), None)
    made = None if found is None else by_database.get(router.db_for_read(found.model))
    if made is None:
        made = build()
        by_database[made.using] = made  # two threads may both build it: either is right
    return made


def _kinds(values) -> tuple[type, ...]:
    """Each value's kind: a whole number or a text, the two the marks are made for."""
    kinds = []
    for value in values:
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise TypeError(f"a statement's value is a whole number or a text, not {value!r}")
        kinds.append(int if isinstance(value, int) else str)
    return tuple(kinds)


# Kept apart from the report's statements: a page's lists never push those out.
_objects: OrderedDict[Hashable, ObjectStatement] = new_cache()
_valued: OrderedDict[Hashable, Statement] = new_cache()
