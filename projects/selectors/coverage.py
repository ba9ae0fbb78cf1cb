"""How complete a period's figures are: units reporting, approved, projects with no figure.

A report through May that holds two units' figures must say so before it says a
rate. ``coverage_of`` counts, for every month of the report's window, the units
with projects on the list that month, how many of them submitted and how many
were approved, and the projects with no figure; every output of the report (page,
print view, files, 通报) says it in the same words (``briefing.wording``).

Four queries whatever the size: the projects' months (one statement grouped by unit), the
submissions, the units yet to submit the last month, and the month locks.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Case, Count, FilteredRelation, Max, Q, QuerySet, When

from ..choices import SubmissionStatus
from ..models import MonthSubmission, PeriodLock, Project
from ..periods import Period, month_end
from . import compiled


@dataclass(frozen=True)
class MonthCoverage:
    """One month of the window: who should report, who did, who was approved."""

    month: int
    # Units with at least one project (of the report's scope) on the list at the month's end.
    units: int
    # Units whose month stands submitted or approved (a returned month is not submitted).
    submitted: int
    approved: int
    # Projects on the list at the month's end with no figure for the month.
    missing_projects: int
    locked: bool = False
    # A month locked before every unit was approved: how many were waiting, and why.
    locked_waiting: int = 0
    lock_reason: str = ""

    @property
    def complete(self) -> bool:
        """Every unit's month approved: the manager's approval is the sign-off, even where a
        project has no figure (one not started yet); the missing ones are still counted."""
        return self.approved >= self.units

    @property
    def not_submitted(self) -> int:
        return max(self.units - self.submitted, 0)


@dataclass(frozen=True)
class Coverage:
    """The report window's months, the last one being the period's own."""

    months: tuple[MonthCoverage, ...]
    # Codes of the units that have not submitted the last month: ranked apart, not placed.
    unreported_unit_codes: tuple[str, ...] = ()

    @property
    def last(self) -> MonthCoverage:
        return self.months[-1]

    @property
    def units(self) -> int:
        return self.last.units

    @property
    def submitted(self) -> int:
        return self.last.submitted

    @property
    def approved(self) -> int:
        return self.last.approved

    @property
    def missing_projects(self) -> int:
        return self.last.missing_projects

    @property
    def complete(self) -> bool:
        """Cumulative figures are final only when every month of the window is."""
        return all(m.complete for m in self.months)

    @property
    def incomplete_earlier(self) -> tuple[MonthCoverage, ...]:
        """Months before the last that are still incomplete."""
        return tuple(m for m in self.months[:-1] if not m.complete)

    @property
    def locked_incomplete(self) -> tuple[MonthCoverage, ...]:
        """Months locked while units were still unapproved."""
        return tuple(m for m in self.months if m.locked and m.locked_waiting)

    @property
    def unreported_units(self) -> int:
        """Units of the last month that have not submitted: they are not ranked."""
        return self.last.not_submitted


def _on_list(month_last_day) -> Q:
    # The rule of ``ProjectQuerySet.on_list``, as a condition inside one grouped statement.
    return Q(joined_on__lte=month_last_day) & (
        Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=month_last_day)
    )


def _unit_and_missing_counts(
    projects: QuerySet[Project], year: int, months, shape=None
) -> dict[str, int]:
    """Per month ``m``: ``units_m``, the units with a project on the list at the month's end,
    and ``missing_m``, those projects with no figure for the month. One statement.

    Grouped by unit first, then counted: each project's row of each month is joined (one
    at most: they are unique), where a ``COUNT(DISTINCT unit)`` and an ``EXISTS`` per
    project and month took 86 ms at 20,000 projects (now 40). A project with no figure is
    the one whose joined ``month`` is NULL: the column is never NULL in a row, and being in
    the (project, year, month) index it is read from the index alone."""
    per_unit = {}
    figures = {}
    for m in months:
        on_list = _on_list(month_end(year, m))
        figures[f"figure_{m}"] = FilteredRelation(
            "progress", condition=Q(progress__year=year, progress__month=m)
        )
        per_unit[f"on_{m}"] = Max(Case(When(on_list, then=1), default=0))
        per_unit[f"none_{m}"] = Count("pk", filter=on_list & Q(**{f"figure_{m}__month": None}))
    names = {f"units_{m}": f"on_{m}" for m in months} | {
        f"missing_{m}": f"none_{m}" for m in months
    }

    connection = connections[projects.db]

    def build() -> tuple[str, tuple]:
        # The per-unit rows summed in the database, as ``aggregate()`` sums a grouped query:
        # read into Python, a province's 2,466 units cost 19 ms. Written out so the
        # statement can be built once per shape of the report's rows (``shape``).
        grouped = projects.annotate(**figures).values("unit_id").annotate(**per_unit)
        sql, params = grouped.query.sql_with_params()
        quote = connection.ops.quote_name
        sums = ", ".join(f"SUM(g.{quote(column)})" for column in names.values())
        return f"SELECT {sums} FROM ({sql}) g", tuple(params)

    try:
        if shape is None:
            sql, params = build()
        else:
            sql, params = compiled.text(
                ("coverage counts", shape), lambda: compiled.text_written(connection, build)
            )
    except EmptyResultSet:  # a filter no project can pass (a light no project has)
        return dict.fromkeys(names, 0)
    _columns, found = compiled.fetch(connection, sql, params)
    # No unit: one row of NULLs. PostgreSQL sums integers as NUMERIC, SQLite as integers.
    return {name: int(total or 0) for name, total in zip(names, found[0], strict=True)}


def coverage_of(projects: QuerySet[Project], period: Period, *, shape=None) -> Coverage:
    """The coverage of ``period``'s window for ``projects`` (the report's scope, any list date).

    ``projects`` is the report's filtered, reach-restricted project set; which of them
    count in a month is decided by the list rule at that month's end. ``shape``: what
    ``projects`` is built from (``queries.rows_shape``), the key its statements are built
    once under (``compiled.rows_of``).
    """
    year, months = period.year, period.months
    projects = projects.filter(programme__year=year).order_by()
    counts = _unit_and_missing_counts(projects, year, months, shape)

    by_month: dict[int, dict[str, int]] = {m: {} for m in months}
    submitted = compiled.rows_of(
        shape and ("coverage submissions", shape),
        lambda: (
            MonthSubmission.objects.filter(
                year=year,
                month__in=months,
                unit_id__in=projects.values("unit_id"),
                status__in=[SubmissionStatus.SUBMITTED, SubmissionStatus.APPROVED],
            )
            .values("month", "status")
            .annotate(n=Count("id"))
            .order_by()
        ),
    )
    for row in submitted:
        by_month[row["month"]][row["status"]] = row["n"]

    last_end = month_end(year, period.last_month)
    reported = MonthSubmission.objects.filter(
        year=year,
        month=period.last_month,
        status__in=[SubmissionStatus.SUBMITTED, SubmissionStatus.APPROVED],
    ).values("unit_id")
    unreported = compiled.rows_of(
        shape and ("coverage unreported", shape),
        lambda: (
            projects.filter(_on_list(last_end))
            .exclude(unit_id__in=reported)
            .values("unit__code")
            .distinct()
            .order_by("unit__code")
        ),
    )
    locks = {m: lock for (_y, m), lock in PeriodLock.objects.of_years([year]).items()}
    result = []
    for m in months:
        units = counts[f"units_{m}"] or 0
        approved = by_month[m].get(SubmissionStatus.APPROVED, 0)
        lock = locks.get(m)
        result.append(
            MonthCoverage(
                month=m,
                units=units,
                # A unit counted may have had its projects leave the list: never above units.
                submitted=min(approved + by_month[m].get(SubmissionStatus.SUBMITTED, 0), units),
                approved=min(approved, units),
                missing_projects=counts[f"missing_{m}"] or 0,
                locked=lock is not None,
                locked_waiting=lock.units_waiting if lock else 0,
                lock_reason=lock.reason if lock else "",
            )
        )
    return Coverage(
        months=tuple(result), unreported_unit_codes=tuple(r["unit__code"] for r in unreported)
    )
