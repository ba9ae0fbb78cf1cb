"""How many times each year's data has changed: the report cache's key moves with it.

One row per year of the lists (``periods.FIRST_YEAR``–``LAST_YEAR``, made by the migration)
and one for everything that is no year's (``EVERY_YEAR``: reference tables, settings). A
write bumps the rows it touches with ``UPDATE … SET n = n + 1`` in its own transaction
(``services.versions``), so a reader that sees the new number also sees the new rows.

Per year, not per list: a write often knows only a year (a unit's submission, a lock, a
month's figures), a year has one or two lists, and a bump costs the other list of that
year no more than a recomputed report.

A month's figures (``MonthlyProgress``) bump their month's row instead of the year's
(``month`` 1–12; the year's own row is ``month`` 0): a report reads the monthly rows of its
window only, so December's entries leave a first-quarter report's key where it was. That
is the month-end rush: clerks save the month while the office reads the quarters before it.

A project's entries of a year also have a version of their own (``EntryVersion``), bumped
with their month's: what reads one project's entries alone is kept by it, so another
project's save leaves it standing.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connections, models, router
from django.db.models import F, Q

from tracker.request_memo import forget, memo

from ..periods import FIRST_YEAR, LAST_YEAR

# The row that every report's key reads: reference tables and settings.
EVERY_YEAR = 0


# ``month`` of a year's own row: every write of the year but a month's figures.
WHOLE_YEAR = 0
MONTHS = range(1, 13)


class DataVersionQuerySet(models.QuerySet):
    def current(
        self, years: Iterable[int], months: Iterable[tuple[int, int]] = ()
    ) -> tuple[tuple[int, int, int], ...] | None:
        """The versions of ``years``, of the every-year row and of ``months`` ((year, month)
        pairs), as (year, month, n), in one query; None when a row is missing (a flushed test
        database), so the caller computes live rather than trust it."""
        wanted = sorted({(EVERY_YEAR, WHOLE_YEAR), *((y, WHOLE_YEAR) for y in years), *months})
        found = self._rows_of({y for y, _m in wanted})
        if any(key not in found for key in wanted):
            return None
        return tuple((y, m, found[y, m]) for y, m in wanted)

    def _rows_of(self, years: set[int]) -> dict[tuple[int, int], int]:
        """Every row of ``years`` by (year, month): read once per request (``request_memo``)
        unless this transaction has bumped, then read each time."""
        kept = memo()
        if kept is None or bumped_here(self.db):
            return self._read(years)
        read_years, found = kept.setdefault(("data-versions", self.db), (set(), {}))
        if not years <= read_years:
            found.update(self._read(years - read_years))
            read_years |= years
        return found

    def _read(self, years: set[int]) -> dict[tuple[int, int], int]:
        # Every page reads them: the statement is built once per set of years and database.
        from ..selectors import compiled  # the selectors import the models

        years = sorted(years)
        shape = None if self.query.has_filters() else ("data versions", tuple(years), self.db)
        rows = compiled.rows_of(
            shape, lambda: self.filter(year__in=years).values("year", "month", "n").order_by()
        )
        return {(row["year"], row["month"]): row["n"] for row in rows}

    def bump(
        self,
        *,
        years: Iterable[int] = (),
        months: Iterable[tuple[int, int]] = (),
        where: Q | None = None,
    ) -> int:
        """Add one to the rows of ``years`` (their whole-year rows), of ``months`` ((year,
        month) pairs) and of the whole years ``where`` selects, in one statement."""
        match = Q(pk__in=[])
        years = sorted(set(years))
        if years:
            match |= Q(year__in=years, month=WHOLE_YEAR)
        for year, month in sorted(set(months)):
            match |= Q(year=year, month=month)
        if where is not None:
            match |= where & Q(month=WHOLE_YEAR)
        forget()  # this request's versions are no longer the database's
        return self.filter(match).update(n=F("n") + 1)


class DataVersion(models.Model):
    """A year's data version (``year`` 0: the data every year reads); with ``month`` 1–12,
    the version of that month's figures alone."""

    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField(default=WHOLE_YEAR)
    n = models.BigIntegerField(default=0)

    objects = DataVersionQuerySet.as_manager()

    class Meta:
        verbose_name = "data version"
        constraints = [
            models.UniqueConstraint(fields=["year", "month"], name="one_version_per_month")
        ]

    def __str__(self):
        when = f"{self.year}-{self.month:02d}" if self.month else str(self.year or "every year")
        return f"{when}: {self.n}"


# Pairs a statement bumps at most (two parameters each: within every SQLite's limit).
ENTRY_BUMPS_AT_ONCE = 400


class EntryVersionQuerySet(models.QuerySet):
    def bump(self, pairs: Iterable[tuple[int, int]]) -> None:
        """Add one to each (project id, year)'s version, made at one when it has none: one
        upsert a few hundred pairs, in the order given (``services.versions`` sorts them, so
        two writers lock the rows in one order)."""
        connection = connections[self.db]
        quote = connection.ops.quote_name
        table = quote(self.model._meta.db_table)
        project, year, n = quote("project_id"), quote("year"), quote("n")
        pairs = list(pairs)
        for start in range(0, len(pairs), ENTRY_BUMPS_AT_ONCE):
            chunk = pairs[start : start + ENTRY_BUMPS_AT_ONCE]
            values = ", ".join(["(%s, %s, 1)"] * len(chunk))
            with connection.cursor() as cursor:
                cursor.execute(
                    f"INSERT INTO {table} ({project}, {year}, {n}) VALUES {values} "
                    f"ON CONFLICT ({project}, {year}) DO UPDATE SET {n} = {table}.{n} + 1",
                    [part for pair in chunk for part in pair],
                )


class EntryVersion(models.Model):
    """How many times one project's monthly entries of one year have changed.

    A month's version moves with every project's entry of that month, so whatever is kept
    per month version is computed again after any clerk's save. What reads one project's
    entries alone (its light strip, ``selectors.light_history``) is kept by this version
    instead, and another project's save leaves it kept. Bumped with the month's version, in
    the same transaction, by whatever writes an entry (``services.versions.by_month``)."""

    # No constraint, and kept when its project goes: deleting a project deletes its entries,
    # and each entry's delete bumps this row in that same transaction (a constraint would
    # refuse the commit). A gone project's row is read by nothing. Indexed by the unique
    # constraint below, whose first column it is.
    project = models.ForeignKey(
        "projects.Project",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        db_index=False,
    )
    year = models.PositiveSmallIntegerField()
    n = models.BigIntegerField(default=0)

    objects = EntryVersionQuerySet.as_manager()

    class Meta:
        verbose_name = "entry version"
        constraints = [
            models.UniqueConstraint(fields=["project", "year"], name="one_entry_version_a_year")
        ]

    def __str__(self):
        return f"{self.project_id} {self.year}: {self.n}"


class Bumped:
    """The versions a transaction has bumped, kept among its on-commit hooks until it ends.

    Django drops a transaction's hooks when it commits or rolls back, and a savepoint's
    when that is rolled back: exactly when the bumps are committed or undone.
    """

    def __init__(self, keys):
        self.keys = set(keys)

    def __call__(self):
        pass  # committed: the next transaction bumps afresh


def bumped_here(using: str | None = None) -> set:
    """What the current transaction has bumped and not yet committed (empty outside one).

    A transaction bumps each version once, so after its first bump its versions no longer
    tell its later writes apart: it neither reads nor keeps cached reports until it ends.
    """
    connection = connections[using or router.db_for_write(DataVersion)]
    if not connection.in_atomic_block:
        return set()
    return {
        key
        for _savepoints, hook, _robust in connection.run_on_commit
        if isinstance(hook, Bumped)
        for key in hook.keys
    }


def ensure_version_rows(using: str = "default") -> None:
    """A row for every year a list may have and the every-year row (migrate, and after a
    flush, which the tests run): a bump of a missing row would change nothing."""
    wanted = {(EVERY_YEAR, WHOLE_YEAR)} | {
        (year, month)
        for year in range(FIRST_YEAR, LAST_YEAR + 1)
        for month in (WHOLE_YEAR, *MONTHS)
    }
    have = set(DataVersion.objects.using(using).values_list("year", "month"))
    DataVersion.objects.using(using).bulk_create(
        [DataVersion(year=year, month=month) for year, month in sorted(wanted - have)]
    )
