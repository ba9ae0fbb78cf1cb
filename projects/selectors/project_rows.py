"""A report's project rows: the fields each is read from, its ``ProjectRow``, and every row
of a list streamed for the files (``StreamedRows``, whose one statement ``exports.sql_rows``
has the database format).

Apart from ``report`` because the page's rows, the files' streamed rows and that statement
all read the same ``ROW_FIELDS``, and ``report`` was past 500 lines with them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from django.db.models import F

from ..choices import StartStatus
from ..models import Project
from ..periods import Period
from . import compiled
from .lights import ROW_FIELDS as LIGHT_FIELDS
from .lights import reasons_of
from .queries import FIGURE_PARTS, MEASURES, figures_from, sort_key, sorted_rows
from .results import ProjectRow

ROW_FIELDS = (
    "code",
    "name",
    "national_code",
    "longitude",
    "latitude",
    "unit_id",
    "unit__name",
    "street__name",
    "category__name",
    "kind",
    "planned_start",
    "actual_start",
    "start_status",
    "latest_image",
    "image_progress",
    "light",
    "plan_adjusted",
    *(f"{measure}_{part}" for measure in MEASURES for part in FIGURE_PARTS),
    *LIGHT_FIELDS,
)
# Rows fetched per round trip when a file streams every project.
STREAM_CHUNK = 2000


def project_rows(qs, *, chunk_size: int | None = None) -> Iterator[ProjectRow]:
    values = qs.values(*ROW_FIELDS)
    # Streamed from a server-side cursor in chunks (the files), or read at once through a
    # statement prepared once per connection (``compiled.values_of``).
    return rows_from(
        values.iterator(chunk_size=chunk_size) if chunk_size else compiled.values_of(values)
    )


def rows_from(values: Iterable[dict]) -> Iterator[ProjectRow]:
    """Each of ``ROW_FIELDS``' rows as its ``ProjectRow``."""
    kinds = {kind: str(label) for kind, label in Project.Kind.choices}
    for p in values:
        investment = figures_from(p, "investment", prefix="")
        yield ProjectRow(
            code=p["code"],
            name=p["name"],
            unit=p["unit__name"],
            street=p["street__name"],
            category=p["category__name"],
            kind=p["kind"],
            kind_label=kinds.get(p["kind"], p["kind"]),
            planned_start=p["planned_start"],
            actual_start=p["actual_start"] if p["start_status"] in _STARTED else None,
            start_status=p["start_status"],
            image_progress=p["latest_image"] or p["image_progress"],
            light=p["light"],
            investment=investment,
            inclusion=figures_from(p, "inclusion", prefix=""),
            unit_id=p["unit_id"],
            plan_adjusted=bool(p["plan_adjusted"]),
            light_reasons=reasons_of(p, investment),
            national_code=p["national_code"],
            longitude=p["longitude"],
            latitude=p["latitude"],
        )


class StreamedRows:
    """Every row of a report, read from a server-side cursor in chunks when iterated.

    Iterable more than once (each pass runs the query again); nothing is held
    beyond one chunk, so a file of 20,000 projects needs the memory of 2,000.
    """

    def __init__(self, qs, period: Period, sort: str | None = None, shape=None):
        self._qs, self._period, self._sort = qs, period, sort
        # What ``qs`` is built from (``queries.rows_shape``): its statement is built once.
        self._shape = shape

    def __iter__(self) -> Iterator[ProjectRow]:
        return project_rows(
            sorted_rows(self._qs, self._period, self._sort), chunk_size=STREAM_CHUNK
        )

    @property
    def using(self) -> str:
        """The database the rows are read from (the replica when one serves reports)."""
        return self._qs.db

    def statement(self) -> RowStatement:
        """The rows' one SELECT, in order, with a named column for each of ``ROW_FIELDS``.

        For a writer that has the database format the rows where they are
        (``exports.sql_rows``): the same statement ``__iter__`` reads, so both paths
        see the same projects in the same order.
        """

        def build() -> RowStatement:
            qs = sorted_rows(self._qs, self._period, self._sort)
            annotated = qs.query.annotations
            # Plain and joined columns get a name of their own; annotations already have one.
            names = {
                field: field if field in annotated else f"row_{number}"
                for number, field in enumerate(ROW_FIELDS)
            }
            aliases = {name: F(field) for field, name in names.items() if name != field}
            values = qs.annotate(**aliases).values(*names.values())
            sql, params = values.query.get_compiler(using=values.db).as_sql()
            return RowStatement(sql, tuple(params), names, values.db)

        if self._shape is None:
            return build()
        # Built and compiled once per shape and sort, as a page's rows are (about 10 ms).
        return compiled.text(("streamed rows", self._shape, sort_key(self._sort)), build)


@dataclass(frozen=True)
class RowStatement:
    """A report's project rows as SQL: the text, its parameters, each field's column name
    and the database alias to run it on."""

    sql: str
    params: tuple
    columns: Mapping[str, str]
    using: str


# Continuing projects keep the start date they have; a new start shows its
# actual start only once it falls within the period (a later date is not yet known
# as of the period's end).
_STARTED = {StartStatus.STARTED, StartStatus.EARLY, StartStatus.CONTINUING}
