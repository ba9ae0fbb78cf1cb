"""The headline and every dimension's breakdown in one statement over the report's rows.

The rows query already holds, per project, its plan for the period, its summed
progress and its start status. Summing those rows once per grouping set gives the
headline (the empty set) and every schema dimension's breakdown together:
``GROUP BY GROUPING SETS`` on PostgreSQL (one scan; the few-group dimensions and the
headline summed from their combinations, ``_postgres_groups``), one grouping per part
joined by ``UNION ALL`` on SQLite, each part reading the rows from one CTE (same
figures; the demo's computed page, the embedded default's, is timed on SQLite).
A filtered report groups the filtered rows, light and status filters included.

The 专班 (tags of a ``TagGroup``) are one more part of the same statement: the rows
joined to their tags and grouped by tag. A project in several task forces counts in
each, so these groups overlap and never sum to the headline.

Sums of per-project sums equal the sums of the monthly rows: amounts are exact
decimals on PostgreSQL; on SQLite they come back as floats and are read the way
Django reads a decimal column there (15 significant digits), then rounded to cents.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Hashable
from decimal import Context
from typing import Any

from django.db import connections
from django.db.models import Case, F, IntegerField, QuerySet, Value, When
from django.utils.translation import gettext as _

from ..filters import CURRENT_PLAN
from ..models import Tag, TagGroup
from ..periods import QUARTERS, Period
from ..schema import BY_KEY, DIMENSION_KEYS
from . import compiled
from .queries import FIGURE_PARTS, MEASURES, STARTS_COUNTS, plan_term, start_conditions

# One grouping per schema dimension; the joins read each dimension's own table.
DIMENSIONS = DIMENSION_KEYS
# The groups of the 专班 part, beside the dimensions' (see ``grouped_totals``).
TASK_FORCE = "task_force"
# A nullable dimension (行业) groups the projects without one apart, after the others.
UNASSIGNED_ORDER = 1 << 30
_SQLITE_DECIMAL = Context(prec=15)
# The rows' CTE outside PostgreSQL's grouping sets (``_statement``); SQLite reads
# ``MATERIALIZED`` from 3.35 and materialises a CTE read more than once without it.
ROWS_CTE = "report_rows"
_MATERIALIZED = "MATERIALIZED " if sqlite3.sqlite_version_info >= (3, 35) else ""


def _inner(rows: QuerySet, period: Period, basis: str) -> tuple[str, tuple, dict[str, str]]:
    """The rows as a derived table: dimension keys, start flags, figures, quarter plans.

    A figure whose expression is another's (in the first quarter the year-to-date, quarter
    and adjusted plans are one ``COALESCE`` of the first quarter's plan; on the current
    plan the annual and adjusted annual plans are one sum) is left out and copied from that
    one's sum (the third value, figure to figure): summed once, the statement does four to
    six sums a row and grouping set fewer.
    """
    flags = {
        f"s_{name}": Case(
            When(condition, then=Value(1)), default=Value(0), output_field=IntegerField()
        )
        for name, condition in start_conditions(period).items()
    }
    dims = {f"{dim}_ref": F(f"{dim}_id") for dim in DIMENSIONS}
    plans = {f"{m}_plan_q{q}": plan_term(m, q, basis) for m in MEASURES for q in QUARTERS}
    annotations = rows.query.annotations
    figures, copies = [], {}
    for name in [f"{m}_{part}" for m in MEASURES for part in FIGURE_PARTS]:
        same = next((f for f in figures if annotations[f] == annotations[name]), None)
        if same is None:
            figures.append(name)
        else:
            copies[name] = same
    qs = rows.order_by().annotate(**flags, **dims, **plans)
    values = qs.values("id", *flags, *dims, *plans, *figures, "plan_adjusted")
    sql, params = values.query.sql_with_params()
    return sql, params, copies


def _sums(copies: dict[str, str]) -> list[tuple[str, str | None, bool]]:
    """What each group sums: its name, the per-project column (None: the rows, counted) and
    whether it is a whole number (a count) rather than an amount; a figure in ``copies``
    is not summed (``_inner``)."""
    out = [("projects", None, True), ("adjusted_projects", "plan_adjusted", True)]
    out += [(f"starts_{name}", f"s_{name}", True) for name in STARTS_COUNTS]
    out += [
        (f"total_{m}_{p}", f"{m}_{p}", False)
        for m in MEASURES
        for p in FIGURE_PARTS
        if f"{m}_{p}" not in copies
    ]
    out += [(f"{m}_q{q}", f"{m}_plan_q{q}", False) for m in MEASURES for q in QUARTERS]
    return out


def _aggregates(sums) -> list[str]:
    return [
        f"COUNT(*) AS {name}" if column is None else f"SUM(r.{column}) AS {name}"
        for name, column, _whole in sums
    ]


def _sums_of_sums(sums, alias: str) -> list[str]:
    """``_aggregates`` over groups already summed (``alias``): the same figures, a count
    kept whole (PostgreSQL's SUM of a BIGINT is a NUMERIC) and no rows still 0 projects."""
    out = []
    for name, column, whole in sums:
        total = f"SUM({alias}.{name})"
        if column is None:
            total = f"COALESCE({total}, 0)"
        out.append(f"CAST({total} AS BIGINT) AS {name}" if whole else f"{total} AS {name}")
    return out


def _postgres_groups(inner: str, sums, aggregates: str) -> str:
    """The headline and every dimension's groups in one pass over the rows (PostgreSQL).

    Each grouping set costs each row its own sums: six sets (the headline and five
    dimensions) were half the statement at 20,000 projects. The dimensions of many groups
    (``LedgerField.many_groups``: units, streets) are summed from the rows on their own;
    the others are summed from the rows once, by their combination (a few dozen groups),
    and the headline and their own groups are summed from those: sums of exact sums,
    the same figures (366 → 307 ms at 20,000 projects).
    """
    apart = [d for d in DIMENSIONS if BY_KEY[d].many_groups]
    together = [d for d in DIMENSIONS if d not in apart]
    flags = ", ".join(f"GROUPING(r.{d}_ref) AS g_{d}" for d in DIMENSIONS)
    refs = ", ".join(f"r.{d}_ref" for d in DIMENSIONS)
    sets = [f"(r.{d}_ref)" for d in apart]
    sets.append("(" + ", ".join(f"r.{d}_ref" for d in together) + ")" if together else "()")
    # Columns in the order of the other parts (``_task_force_part``): flags, refs, 专班, sums.
    first = (
        f"SELECT {flags}, {refs}, 1 AS g_tf, CAST(NULL AS BIGINT) AS tf_ref, {aggregates} "
        f"FROM ({inner}) r GROUP BY GROUPING SETS ({', '.join(sets)})"
    )
    if not together:
        return first
    # The combinations' rows are those grouped by the first of their dimensions.
    combination = f"g_{together[0]} = 0"
    rolled_flags = ", ".join(
        f"1 AS g_{d}" if d in apart else f"GROUPING(c.{d}_ref) AS g_{d}" for d in DIMENSIONS
    )
    rolled_refs = ", ".join(
        f"CAST(NULL AS BIGINT) AS {d}_ref" if d in apart else f"c.{d}_ref" for d in DIMENSIONS
    )
    rolled_sets = ", ".join(["()", *(f"(c.{d}_ref)" for d in together)])
    return (
        f"WITH firsts AS MATERIALIZED ({first}) "
        f"SELECT * FROM firsts WHERE NOT {combination} "
        f"UNION ALL SELECT {rolled_flags}, {rolled_refs}, 1, CAST(NULL AS BIGINT), "
        f"{', '.join(_sums_of_sums(sums, 'c'))} FROM firsts c WHERE c.{combination} "
        f"GROUP BY GROUPING SETS ({rolled_sets})"
    )


def _table(dimension: str) -> str:
    return BY_KEY[dimension].related_model()._meta.db_table


def _task_force_part(source: str, aggregates: str) -> str:
    """The rows (``source``: a derived table or the rows' CTE) once per 专班 they are in,
    grouped by tag: tags without a group are campaigns (专项), counted by the briefing
    instead."""
    flags = ", ".join(f"1 AS g_{d}" for d in DIMENSIONS)
    refs = ", ".join(f"NULL AS {d}_ref" for d in DIMENSIONS)
    members = Tag.projects.through._meta.db_table
    return (
        f"SELECT {flags}, {refs}, 0 AS g_tf, tp.tag_id AS tf_ref, {aggregates} "
        f"FROM {source} r JOIN {members} tp ON tp.project_id = r.id "
        f"JOIN {Tag._meta.db_table} tt ON tt.id = tp.tag_id "
        "WHERE tt.group_id IS NOT NULL GROUP BY tp.tag_id"
    )


def _task_force_names() -> str:
    return (
        f"LEFT JOIN {Tag._meta.db_table} tf ON tf.id = g.tf_ref "
        f"LEFT JOIN {TagGroup._meta.db_table} tfg ON tfg.id = tf.group_id"
    )


def _read(value: Any) -> Any:
    if isinstance(value, float):
        return _SQLITE_DECIMAL.create_decimal_from_float(value)
    return value


def _statement(rows: QuerySet, period: Period, basis: str, breakdowns: bool, connection):
    """``grouped_totals``' SQL and parameters."""
    inner, params, copies = _inner(rows, period, basis)
    sums = _sums(copies)
    aggregates = ", ".join(_aggregates(sums))
    # Grouped by the narrow ids; codes, names and order are joined to the few groups after.
    if connection.vendor == "postgresql":
        # Each part reads the rows as a derived table: the grouping sets' part once, the
        # 专班's once more. One CTE for both was no faster at 2,000 × 5 (113 → 124 ms a
        # computed page): the 专班's join to no tags reads none of its rows.
        source, rows_first = f"({inner})", ""
    else:
        # Every part reads the rows from one CTE, computed once: as a derived table in each
        # part, SQLite computed the rows (their sums, late nodes and pictures) seven times.
        # The demo's statement: 12.8 → 4.5 ms; its computed page 70 → 60.
        source, rows_first = ROWS_CTE, f"WITH {ROWS_CTE} AS {_MATERIALIZED}({inner}) "
    if connection.vendor == "postgresql" and breakdowns:
        parts = [_postgres_groups(inner, sums, aggregates)]
    else:
        parts = []
        for current in (None, *(DIMENSIONS if breakdowns else ())):
            flags = ", ".join(f"{0 if d == current else 1} AS g_{d}" for d in DIMENSIONS)
            # Typed, for the joins to the names when no grouped part gives the column a type.
            refs = ", ".join(
                f"r.{d}_ref AS {d}_ref" if d == current else f"CAST(NULL AS BIGINT) AS {d}_ref"
                for d in DIMENSIONS
            )
            group = f" GROUP BY r.{current}_ref" if current else ""
            parts.append(
                f"SELECT {flags}, {refs}, 1 AS g_tf, CAST(NULL AS BIGINT) AS tf_ref, "
                f"{aggregates} FROM {source} r{group}"
            )
    if breakdowns:
        parts.append(_task_force_part(source, aggregates))
    grouped = " UNION ALL ".join(parts)
    all_params = params if rows_first else params * len(parts)
    names = ", ".join(
        f"{d}.code AS {d}_key, {d}.name AS {d}_name, {d}.sort_order AS {d}_order"
        for d in DIMENSIONS
    )
    names += (
        ", tf.name AS tf_name, tf.sort_order AS tf_order,"
        " tfg.name AS tf_group, tfg.sort_order AS tf_group_order"
    )
    joins = " ".join(f"LEFT JOIN {_table(d)} {d} ON {d}.id = g.{d}_ref" for d in DIMENSIONS)
    # A figure summed once under another's name is read from it (``_inner``).
    names += "".join(f", g.total_{same} AS total_{name}" for name, same in copies.items())
    sql = f"{rows_first}SELECT g.*, {names} FROM ({grouped}) g {joins} {_task_force_names()}"
    return sql, tuple(all_params)


def grouped_totals(
    rows: QuerySet,
    period: Period,
    basis: str = CURRENT_PLAN,
    *,
    breakdowns: bool = True,
    shape: Hashable | None = None,
) -> tuple[dict, dict[str, list[dict]]]:
    """The headline's sums and each dimension's groups (ordered as the tables show them),
    and under ``TASK_FORCE`` the 专班's groups (each with its ``group`` name), overlapping.

    Each group is a dict with ``key``, ``label``, ``order``, ``projects``,
    ``starts_*``, ``total_<measure>_<part>`` and ``<measure>_q<n>``, the sums as Decimals
    or, on PostgreSQL, their text: each is read through ``money.as_money``. Without
    ``breakdowns`` the statement sums the headline alone and every group list is empty.
    """
    # The rows' own database: a report read goes to the replica when one is configured.
    connection = connections[rows.db]

    def build():
        return _statement(rows, period, basis, breakdowns, connection)

    # Built once per ``shape`` (``queries.rows_shape``: what the rows are built from), as
    # a short list's rows are: building and compiling it was 4 ms of the demo's page.
    if shape is None:
        sql, all_params = build()
    else:
        sql, all_params = compiled.text(
            ("grouped", shape, breakdowns), lambda: compiled.text_written(connection, build)
        )
    # Prepared once per connection on PostgreSQL: the same text for every read of a list,
    # period and filter, whose planning was most of its time at the demo's size (14.6 ->
    # 10 ms; at 20,000 projects the same as before).
    columns, found = compiled.fetch(connection, sql, all_params, numbers_as_text=True)
    # SQLite hands sums back as floats, made Decimals here; PostgreSQL as their text
    # (``numbers_as_text``), kept as it is: at province scale the groups hold 220,000 sums,
    # and ``figures_from`` makes a Decimal of each distinct one as it rounds it.
    read = (lambda row: row) if connection.vendor == "postgresql" else (lambda row: map(_read, row))
    records = [dict(zip(columns, read(row), strict=True)) for row in found]
    headline: dict = {}
    groups: dict[str, list[dict]] = {d: [] for d in (*DIMENSIONS, TASK_FORCE)}
    for record in records:
        if not record["g_tf"]:
            record.update(
                key=record["tf_name"],
                label=record["tf_name"],
                group=record["tf_group"],
                order=(record["tf_group_order"], record["tf_group"], record["tf_order"]),
            )
            groups[TASK_FORCE].append(record)
            continue
        grouped_by = [d for d in DIMENSIONS if not record[f"g_{d}"]]
        if not grouped_by:
            headline = record
            continue
        dim = grouped_by[0]
        if record[f"{dim}_ref"] is None:
            label = BY_KEY[dim].unassigned or _("not given")
            record.update(key="", label=str(label), order=UNASSIGNED_ORDER)
        else:
            record.update(
                key=record[f"{dim}_key"], label=record[f"{dim}_name"], order=record[f"{dim}_order"]
            )
        groups[dim].append(record)
    for items in groups.values():
        items.sort(key=lambda g: (g["order"], g["key"]))
    if not headline:  # no rows at all: PostgreSQL still returns the empty set's row
        headline = {"projects": 0}
    return headline, groups
