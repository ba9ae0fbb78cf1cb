"""How many times each year's data has changed: the report cache's key moves with it.

One row per year of the lists (``periods.FIRST_YEAR``–``LAST_YEAR``, made by the migration)
and one for everything that is no year's (``EVERY_YEAR``: reference tables, settings). A
write bumps the rows it touches with ``UPDATE … SET n = n + 1`` in its own transaction
(``services.versions``), so a reader that sees the new number also sees the new rows.

Per year, not per list: a write often knows only a year (a unit's submission, a lock, a
month's figures), a year has one or two lists, and a bump costs the other list of that
year no more than a recomputed report.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connections, models, router
from django.db.models import F, Q

from ..periods import FIRST_YEAR, LAST_YEAR

# The row that every report's key reads: reference tables and settings.
EVERY_YEAR = 0


class DataVersionQuerySet(models.QuerySet):
    def current(self, years: Iterable[int]) -> tuple[tuple[int, int], ...] | None:
        """Each year's version and the every-year one, in one query; None when a row is
        missing (a flushed test database), so the caller computes live rather than trust it."""
        wanted = sorted({EVERY_YEAR, *years})
        found = dict(self.filter(year__in=wanted).values_list("year", "n"))
        if len(found) != len(wanted):
            return None
        return tuple((year, found[year]) for year in wanted)

    def bump(self, *, years: Iterable[int] = (), where: Q | None = None) -> int:
        """Add one to the rows of ``years`` (and of the years ``where`` selects), one statement."""
        years = sorted(set(years))
        match = Q(year__in=years) if years else Q(pk__in=[])
        if where is not None:
            match |= where
        return self.filter(match).update(n=F("n") + 1)


class DataVersion(models.Model):
    """A year's data version (``year`` 0: the data every year reads)."""

    year = models.PositiveSmallIntegerField(unique=True)
    n = models.BigIntegerField(default=0)

    objects = DataVersionQuerySet.as_manager()

    class Meta:
        verbose_name = "data version"

    def __str__(self):
        return f"{self.year or 'every year'}: {self.n}"


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
    wanted = {EVERY_YEAR, *range(FIRST_YEAR, LAST_YEAR + 1)}
    have = set(DataVersion.objects.using(using).values_list("year", flat=True))
    DataVersion.objects.using(using).bulk_create(
        [DataVersion(year=year) for year in sorted(wanted - have)]
    )
