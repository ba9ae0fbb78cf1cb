"""Report statements compiled once per shape, run again with another project's id; and
the whole list's report queryset built once per shape, cloned for each caller.

Building and compiling the report's row statement (``queries.report_queryset``: the period's
sums, the plan shares, the start status, the five light signals) costs about 15 ms of
Python, against about 1 ms for PostgreSQL to run it for one project. A project page's light
strip needs that statement once per month not locked, so a page in October paid 150 ms
before it drew anything.

The SQL and its parameters depend only on what the statement is built from: the list, the
period, the thresholds, the plan basis and the day the signals read. Those are the cache's
key (``shape``); the project is not. The statement is compiled once with a sentinel id in
place of the project's, and each run swaps the sentinel for the real id in the parameters
and hands the database's rows to the same compiler's converters, so the values are exactly
what ``QuerySet.values()`` gives (Decimals on SQLite too). The cache is per process and
small (``SIZE`` shapes); a change of thresholds or of day is a new key, never a stale SQL.
"""

from __future__ import annotations

import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from contextlib import contextmanager, nullcontext
from typing import TypeVar

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import IntegerField, Value

from .query_plans import planned_once, prepares

T = TypeVar("T")

# An id no row has (ids are positive): it marks where the project's id goes. A statement of
# several values places them otherwise (``selectors.placed``).
SENTINEL = -982_451_653
# Shapes kept per process: 12 months × a few lists and bases.
SIZE = 64


class Statement:
    """One compiled ``values()`` statement whose rows are read for any project id (or for
    any values, ``placed.values_for``)."""

    def __init__(self, queryset, *, place: Callable[[Statement], list] | None = None):
        """``place``: where its values go, told from the statement built
        (``selectors.placed``); without it, the project's id goes where ``SENTINEL`` is."""
        query = queryset.query
        self.model = queryset.model
        self.using = queryset.db
        self.compiler = query.get_compiler(using=self.using)
        self.sql, params = self.compiler.as_sql()
        self.params = tuple(params)
        # Where each value goes: (the parameter's place, the value's place).
        if place is None:
            self.places = [(n, 0) for n, p in enumerate(self.params) if _is_sentinel(p)]
        else:
            self.places = place(self)
        # The column names in the order ``ValuesIterable`` gives them.
        if query.selected:
            self.names = list(query.selected)
        else:
            self.names = [*query.extra_select, *query.values_select, *query.annotation_select]
        fields = [s[0] for s in self.compiler.select[: self.compiler.col_count]]
        self.converters = self.compiler.get_converters(fields)
        # The converters that change a value, learnt from the first run's column types
        # (``_changing``); until then, all of them.
        self.changing: dict | None = None
        # On PostgreSQL, the text with every constant written in (``constants_written_in``).
        self.written: str | None = None

    @property
    def slots(self) -> list[int]:
        """The parameters a value goes in."""
        return [n for n, _which in self.places]

    def rows(self, *values) -> list[dict]:
        """The rows for this project (in place of the sentinel), or for these values (in
        place of theirs), or as compiled."""
        return self.read(self.found(*values), self.changing)

    def found(self, *values) -> list[tuple]:
        """The database's rows for these values, as fetched (no converter applied)."""
        connection = connections[self.using]
        types = [] if self.changing is None else None
        _columns, found = fetch(connection, *self.text_for(connection, *values), types=types)
        if types is not None:
            self.changing = _changing(connection, self.converters, types)
        return found

    def text_for(self, connection, *values) -> tuple[str, list]:
        """The SQL and parameters to run for this project (or these values)."""
        if self.places and not values:
            raise ValueError("the statement takes a value in place of its sentinel")
        if connection.vendor == "postgresql":
            if self.written is None:  # two threads may both write it: either is right
                self.written = constants_written_in(
                    connection, self.sql, self.params, keep=self.slots
                )
            return self.written, [values[which] for _n, which in self.places]
        params = list(self.params)
        for n, which in self.places:
            params[n] = values[which]
        return self.sql, params

    def read(self, found, converters: dict | None = None) -> list[dict]:
        """The database's rows as ``values()`` gives them (through ``converters``, by
        default all of them)."""
        converters = self.converters if converters is None else converters
        if converters:
            found = self.compiler.apply_converters(found, converters)
        return [dict(zip(self.names, row, strict=True)) for row in found]


# PostgreSQL's column types whose values psycopg already gives as the type an expression's
# output field converts to (``BaseExpression.convert_value``): numeric as a Decimal, the
# integers as an int, the floats as a float.
_ALREADY = {"DecimalField": {1700}, "IntegerField": {20, 21, 23}, "FloatField": {700, 701}}


def _changing(connection, converters: dict, types: list) -> dict:
    """``converters`` without those that give back the value they are given on this
    connection, told by the columns' types.

    An expression's output field converts every value it reads (``Decimal(value)`` for a
    sum of amounts): the demo's 147 report rows made 3,675 such calls for 25 columns that
    PostgreSQL already sends as numeric, which psycopg reads as Decimals. A converter of
    the database's own or of a field is always kept; so is every one on SQLite, whose
    numbers come as texts, integers and floats."""
    if connection.vendor != "postgresql" or not converters:
        return converters
    changing = {}
    for position, (convs, expression) in converters.items():
        internal = expression.output_field.get_internal_type()
        kind = "IntegerField" if internal.endswith("IntegerField") else internal
        same = types[position] in _ALREADY.get(kind, ())
        # The output field's own conversion, the one object ``convert_value`` caches.
        kept = [c for c in convs if not (same and c is getattr(expression, "convert_value", None))]
        if kept:
            changing[position] = (kept, expression)
    return changing


class Together:
    """Statements run as one (``UNION ALL``), each row tagged with its statement's place.

    A project page's light strip reads the report's row of its project for each month not
    locked: up to twelve statements of one shape but their period. Run as one, the page
    makes one round trip and PostgreSQL plans them once per connection, together."""

    TAG = "together_part"

    def __init__(self, parts: list[Statement]):
        self.parts = parts
        self.using = parts[0].using

    def rows(self, project_id: int) -> list[list[dict]]:
        """Each statement's rows for this project, in the order the statements were given."""
        connection = connections[self.using]
        texts, params = [], []
        for n, part in enumerate(self.parts):
            sql, part_params = part.text_for(connection, project_id)
            texts.append(f"SELECT {n} AS {self.TAG}, p{n}.* FROM ({sql}) p{n}")
            params += part_params
        # The same text for every project (its id is a parameter): prepared once, and
        # planned once for any project (``generic``).
        _columns, found = fetch(connection, " UNION ALL ".join(texts), params, generic=True)
        tagged: list[list[tuple]] = [[] for _part in self.parts]
        for row in found:
            tagged[row[0]].append(row[1:])
        return [part.read(rows) for part, rows in zip(self.parts, tagged, strict=True)]


def values_of(queryset) -> list[dict]:
    """What iterating ``queryset`` (a ``values()`` queryset) gives, read through ``fetch``:
    on PostgreSQL prepared once per connection. For the report's rows: the whole list's at
    the demo's size, a page's fifty by id at a province's, whose text is the same from one
    read to the next and whose planning was most of their time (the demo's 147 rows: 6.2 ms
    planning, 0.3 running)."""
    try:
        statement = Statement(queryset)
    except EmptyResultSet:  # a filter no row can pass (an empty list of ids)
        return []
    # Run once, as compiled: writing its constants in (``rows``) would never be repaid.
    _columns, found = fetch(connections[statement.using], statement.sql, statement.params)
    return statement.read(found)


def fetch(
    connection,
    sql: str,
    params,
    *,
    numbers_as_text: bool = False,
    types: list | None = None,
    generic: bool = False,
) -> tuple[list[str], list[tuple]]:
    """Run one statement whose text is the same for every run of its shape, prepared once
    per connection where prepared statements are on (``_cursor``): its column names and
    rows. For the statements built once per shape (these, and the report's figures,
    ``grouped.grouped_totals``).

    ``numbers_as_text``: on PostgreSQL a NUMERIC column comes back as its text, not a
    Decimal, for a caller that reads every amount through ``money.as_money`` and shares
    the equal ones (``queries.figures_from``). A province's figures hold 220,000 sums, a
    third of them distinct: psycopg made a Decimal of each and Python hashed each to find
    the equal ones (about 25 ms of a 20,000-project page); text is made and hashed for
    less, and only the distinct amounts become Decimals.

    ``types``: a list the columns' type codes are added to (``Statement.rows`` learns from
    them which converters change nothing).

    ``generic``: where prepared, planned once for whatever values it is given
    (``planned_once``), for a statement whose best plan does not depend on them."""
    started = time.monotonic()
    with _cursor(connection) as (cursor, prepared):
        if numbers_as_text and connection.vendor == "postgresql":
            from psycopg.types.string import TextLoader

            # This cursor's own map: the connection's other cursors keep their Decimals.
            cursor.cursor.adapters.register_loader("numeric", TextLoader)
        if prepared:
            # At its first run, not after the connection's PREPARE_AFTER: its text serves
            # every project of the shape (Django's wrapper takes no ``prepare``).
            connection.validate_no_broken_transaction()
            planning = planned_once(connection) if generic else nullcontext()
            with planning, connection.wrap_database_errors:
                cursor.cursor.execute(sql, params, prepare=True)
        else:
            cursor.execute(sql, params)
        columns = [column[0] for column in cursor.description]
        if types is not None:  # the columns' types, for the caller to learn from
            types += [column[1] for column in cursor.description]
        found = cursor.fetchall()
    if prepared:
        log_run(connection, sql, started)
    return columns, found


# A placeholder in the ORM's SQL, or a percent sign written as two.
_PLACEHOLDER = re.compile(r"%%|%s")


def constants_written_in(connection, sql: str, params, *, keep=()) -> str:
    """``sql`` with each of ``params`` written in as the SQL literal Django's own client-side
    binding writes for it (psycopg's quoting), but those at the positions ``keep``, left
    as placeholders (PostgreSQL only).

    A report statement carries some 140 constants (the period's months, thresholds, labels)
    and only its project's id changes between runs. psycopg converted all of them on every
    run, the text being too long for its cache of conversions: at 2,000 projects a light
    strip's month took 1.42 ms a run, 1.12 with its constants written in (timed back to
    back on one machine). The text is the same for every run of its shape, so it is still
    prepared once per connection; the literals are psycopg's quoting, as client-side
    binding writes them (and Django did for every statement until ``tracker.database``
    bound them on the server)."""
    from psycopg.sql import Literal

    places = [m for m in _PLACEHOLDER.finditer(sql) if m.group() == "%s"]
    if len(places) != len(params):
        raise ValueError(f"{len(places)} placeholders for {len(params)} parameters")
    connection.ensure_connection()
    raw = connection.connection
    keep = set(keep)
    parts, last = [], 0
    for n, match in enumerate(places):
        parts.append(sql[last : match.start()])
        if n in keep:
            parts.append("%s")
        else:
            parts.append(Literal(params[n]).as_string(raw).replace("%", "%%"))
        last = match.end()
    parts.append(sql[last:])
    return "".join(parts)


def text_written(connection, build: Callable[[], tuple[str, tuple]]) -> tuple[str, tuple]:
    """``build()``'s SQL and parameters; on PostgreSQL with every constant written in and no
    parameter left. For a statement kept by ``text`` and run as it is: the report's figures
    (``grouped``) carry some 160 constants at the demo's size, coverage some 40."""
    sql, params = build()
    if connection.vendor != "postgresql":
        return sql, params
    return constants_written_in(connection, sql, params), ()


def log_run(connection, sql: str, started: float) -> None:
    """Log a statement that went round Django's debug cursor (a server-bound one, a COPY) as
    the one query it is, when queries are logged: the tests' and the bench's counts read it."""
    if connection.queries_logged:
        took = time.monotonic() - started
        connection.queries_log.append({"sql": sql, "time": f"{took:.3f}"})


@contextmanager
def _cursor(connection):
    """A cursor for a compiled statement, and whether it is prepared at its first run: on
    PostgreSQL with prepared statements on (``DATABASE_PREPARED_STATEMENTS``), where every
    cursor binds its parameters on the server (``tracker.database``) and psycopg would
    prepare a statement only at its ``PREPARE_AFTER``-th run on the connection.

    PostgreSQL planned each of a strip's twelve statements afresh: most of its time, the
    plan for one project's row being the same every time. Prepared, a cold project page's
    strip at 2,000 projects went from about 19 to 7 ms (twelve statements, sixty projects).
    Such a run goes to psycopg's own cursor, which takes ``prepare``; Django's debug
    wrapper does not see it, so ``fetch`` logs it (the tests' and the bench's query counts
    read the log). How many a connection keeps: ``tracker.database.PREPARED_MAX``."""
    with connection.cursor() as cursor:
        yield cursor, prepares(connection)


def _is_sentinel(value) -> bool:
    # An int, or the int subclass psycopg's server-side binding has Django pass for an
    # integer column's value (``Int8``); never a bool.
    return isinstance(value, int) and not isinstance(value, bool) and value == SENTINEL


_lock = threading.Lock()
# Every cache of statements and querysets this module and ``placed`` keep (``new_cache``).
_every: list[OrderedDict] = []


def new_cache() -> OrderedDict:
    """A new cache of shapes, let go past ``SIZE`` (``once``) and emptied by ``forget``."""
    made: OrderedDict = OrderedDict()
    _every.append(made)
    return made


_kept: OrderedDict[Hashable, Statement] = new_cache()


def statement(
    shape: Hashable, build: Callable[[int], object], *, per_project: bool = True
) -> Statement:
    """The statement of this shape, compiled from ``build(SENTINEL)`` the first time.

    ``per_project=False``: a statement of the whole shape, which reads no project's id
    (``build`` is called with the sentinel all the same, and may ignore it): a short list's
    report rows, whose building and compiling was a tenth of the demo's computed page."""

    def compile_it() -> Statement:
        made = Statement(build(SENTINEL))
        if per_project and not made.slots:
            raise ValueError("the statement does not filter by the project's id")
        return made

    return once(_kept, shape, compile_it)


def once(kept: OrderedDict, shape: Hashable, build: Callable[[], T]) -> T:
    """The value ``kept`` holds for ``shape``, or ``build()``'s, then kept (the least
    recently used let go past ``SIZE``). Built outside the lock: two threads may both
    build a new shape, and the second's is kept; either is right."""
    with _lock:
        found = kept.get(shape)
        if found is not None:
            kept.move_to_end(shape)
            return found
    made = build()
    with _lock:
        kept[shape] = made
        while len(kept) > SIZE:
            kept.popitem(last=False)
    return made


# ---------------------------------------------------------------- built querysets
#
# Building the whole list's annotated rows (``queries.report_queryset``: the sums' WITH
# clause, the plan shares, start status, five light signals and their layers) resolves
# some hundred expressions: about 8 ms of Python, twice or three times a computed page
# (its rows, its figures, the lights' changes). At the demo's 147 projects the computed
# page went 172 -> 158 ms, at 20,000 1,035 -> 997 (timed A against B). The built queryset
# depends on the same shape as a statement above, so it is built once per shape and
# each caller gets its own clone (``QuerySet.all()``), as a class-level queryset of a
# Django view is: the clone's filters, orderings and values are its own, the resolved
# expressions are shared and only read when compiled.

_built: OrderedDict[Hashable, object] = new_cache()


def queryset(shape: Hashable, build: Callable[[], object]):
    """A clone of the queryset of this shape, built by ``build()`` the first time."""
    return once(_built, shape, build).all()


def where_shape(queryset) -> Hashable | None:
    """What a queryset of filters alone selects, as a part of a shape: its model, database
    and conditions, each with its values (Django's lookups print them, columns with their
    tables' aliases). None for a queryset with more than filters (annotations, DISTINCT,
    a slice, a union, extra SQL, a filtered relation) or a condition that does not print
    what it selects: it is built every time.

    For a statement over rows a caller's filters chose (a reader's reach, a list): the
    filters are built as before, and only their compiling is saved."""
    query = queryset.query
    if (
        query.annotations
        or query.distinct
        or query.is_sliced
        or query.combinator
        or query.extra
        or query.group_by is not None
        or query._filtered_relations
    ):
        return None
    conditions = str(query.where)
    if " object at 0x" in conditions:  # a condition that does not print its SQL (extra)
        return None
    return (query.model._meta.label, queryset.db, conditions)


def rows_of(shape: Hashable | None, build: Callable[[], object]) -> list[dict]:
    """The rows of the ``values()`` queryset ``build()`` gives, as iterating it gives them;
    built and compiled once per ``shape`` (None: every time). For the statements a report
    runs over its projects (coverage, rates, the monthly chart), whose shape is their rows'
    (``queries.rows_shape``): building and compiling them cost more than running them at
    the demo's size."""
    if shape is None:
        return values_of(build())
    try:
        return statement(shape, lambda _sentinel: build(), per_project=False).rows()
    except EmptyResultSet:  # a reach or filter no row can pass: nothing to read
        return []


def instances(shape: Hashable | None, model, build: Callable[[], object]) -> list:
    """The ``model`` instances the queryset ``build()`` gives, its statement built once per
    ``shape`` (None: every time). Read as its concrete fields' values and made as Django
    makes a fetched row (``Model.from_db``): for a plain queryset of one model, with no
    ``select_related``, deferred field or annotation, such as a settings row, the page's
    list or a year's locks, asked on every page."""
    if shape is None:
        return list(build())
    names = [field.attname for field in model._meta.concrete_fields]
    try:
        made = statement(shape, lambda _sentinel: build().values(*names), per_project=False)
    except EmptyResultSet:
        return []
    return [model.from_db(made.using, names, [row[name] for name in names]) for row in made.rows()]


def totals_of(shape: Hashable | None, build: Callable[[], object], **aggregates) -> dict:
    """What ``build().aggregate(**aggregates)`` gives, for a plain queryset (no annotations
    of its own): read as one ``values()`` statement over a constant, which Django leaves
    ungrouped (one row however many rows, none among them), built once per ``shape``."""
    if shape is None:
        return build().aggregate(**aggregates)
    return totals_from(rows_of(shape, lambda: ungrouped(build(), aggregates)), aggregates)


def ungrouped(queryset, aggregates: dict):
    """``queryset``'s aggregates as one ``values()`` row over a constant."""
    constant = Value(1, output_field=IntegerField())
    return queryset.order_by().annotate(_all=constant).values("_all").annotate(**aggregates)


def totals_from(found: list[dict], aggregates: dict) -> dict:
    if not found:  # a filter no row can pass: what aggregate() gives for no row
        return {name: getattr(a, "empty_result_set_value", None) for name, a in aggregates.items()}
    return {name: found[0][name] for name in aggregates}


def text(shape: Hashable, build: Callable[[], T]) -> T:
    """A statement's SQL and parameters (or a record holding them), built by ``build()`` the
    first time for this shape: for a statement written around a compiled one
    (``grouped.grouped_totals``) or handed to a writer (a file's rows)."""
    return once(_texts, shape, build)


_texts: OrderedDict[Hashable, object] = new_cache()


def forget() -> None:
    """Drop every compiled statement and built queryset (tests that change how they are
    built)."""
    with _lock:
        for cache in _every:
            cache.clear()


def fingerprint(*rows) -> tuple:
    """The values of model instances' concrete fields: a key part that changes with them."""
    return tuple(
        (type(row).__name__, tuple(f.value_from_object(row) for f in row._meta.concrete_fields))
        for row in rows
    )
