"""The monthly cycle: units' submissions and locked months (the settings rows that set the
report's thresholds are in ``settings.py``)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tracker.request_memo import memo

from ..choices import SubmissionStatus
from ..periods import month_text
from ..permissions import ScopedQuerySet
from .fields import (
    MONTH_VALIDATORS,
    YEAR_VALIDATORS,
    NoteField,
)
from .reference import Unit
from .versions import bumped_here


class SubmissionQuerySet(ScopedQuerySet):
    def counts_by_month(self, year: int, months) -> dict[int, dict[str, int]]:
        """How many units' submissions stand in each status, per month (one query).

        Asked of every submission (the month states, a lock's check), its statement is built
        once per year, months and database (``selectors.compiled``)."""
        from ..selectors import compiled  # the selectors import the models

        months = list(months)
        counts: dict[int, dict[str, int]] = {month: {} for month in months}
        shape = (
            None
            if self.query.has_filters()
            else ("submission counts", year, tuple(months), self.db)
        )
        for row in compiled.rows_of(
            shape,
            lambda: (
                self.filter(year=year, month__in=months)
                .values("month", "status")
                .annotate(n=models.Count("id"))
                .order_by()
            ),
        ):
            counts[row["month"]][row["status"]] = row["n"]
        return counts


class MonthSubmission(models.Model):
    """A unit's monthly submission of its projects' progress, and the manager's review."""

    Status = SubmissionStatus

    unit = models.ForeignKey(
        Unit, verbose_name=_("responsible unit"), on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    month = models.PositiveSmallIntegerField(_("month"), validators=MONTH_VALIDATORS)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    comment = NoteField(_("review comment"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()
    objects = SubmissionQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-month", "unit__sort_order"]
        verbose_name = _("monthly submission")
        verbose_name_plural = _("monthly submissions")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "month"], name="submission_one_per_unit_month"
            ),
        ]

    def __str__(self):
        return f"{self.unit} {month_text(self.year, self.month)} {self.get_status_display()}"


class PeriodLockQuerySet(models.QuerySet):
    """The one way to ask whether a month is locked."""

    def of_month(self, year: int, month: int):
        return self.filter(year=year, month=month)

    def of_years(self, years) -> dict[tuple[int, int], "PeriodLock"]:
        """The locks of ``years`` by (year, month), with how many units were waiting when each
        was taken and why: for a page's reads, each year read once per request
        (``request_memo``), whichever part asks first.

        A report page computed afresh asked three times (its coverage, its month states, the
        to-do list), a statement each. A lock or unlock bumps the data versions, which empties
        the memo, so a request never reads a lock older than its own writes, and a transaction
        that wrote reads the table. A write's checks never read here: they read the table in
        their own transaction (``locked``, ``locked_months``, ``services.period_guard``). Call
        it on the manager: the memo is keyed by year and database, not by any filter."""
        years = sorted(set(years))
        # A transaction that wrote may still roll back: it keeps nothing, as it keeps no
        # cached report (``bumped_here``).
        kept = None if bumped_here() else memo()
        if kept is None:
            return {(lock.year, lock.month): lock for lock in self.filter(year__in=years)}
        keys = {year: ("period-locks", self.db, year) for year in years}
        missing = [year for year in years if keys[year] not in kept]
        if missing:
            from ..selectors import compiled  # the selectors import the models

            read: dict[int, dict] = {year: {} for year in missing}
            shape = ("period locks", tuple(missing), self.db)
            for lock in compiled.instances(
                shape, PeriodLock, lambda: self.filter(year__in=missing).order_by()
            ):
                read[lock.year][(lock.year, lock.month)] = lock
            for year in missing:
                kept[keys[year]] = read[year]
        found: dict[tuple[int, int], PeriodLock] = {}
        for year in years:
            found.update(kept[keys[year]])
        return found

    def locked(self, year: int, month: int) -> bool:
        if not self._plain():
            return self.of_month(year, month).exists()
        from ..selectors import placed  # the selectors import the models

        # Built once for every month (its year and month in place of sentinels): the entry
        # grid, the status page and every write's guard ask it.
        found = placed.values_for(
            "month locked",
            lambda y, m: PeriodLock.objects.filter(year=y, month=m).values("pk")[:1],
            year,
            month,
        )
        return bool(found)

    def locked_months(self, years=None) -> set[tuple[int, int]]:
        """The locked (year, month) pairs, of ``years`` only when given, in one query."""
        if years is None or not self._plain():
            rows = self if years is None else self.filter(year__in=list(years))
            return set(rows.values_list("year", "month"))
        from ..selectors import placed

        found = placed.values_for(
            "months locked",
            lambda *ys: PeriodLock.objects.filter(year__in=ys).values("year", "month").order_by(),
            *sorted(set(years)),
        )
        return {(row["year"], row["month"]) for row in found}

    def _plain(self) -> bool:
        """Whether this is the manager's own queryset: no filter, no database chosen."""
        return self._db is None and not self.query.has_filters()


class PeriodLock(models.Model):
    """A month closed by a manager once reported upward; later changes need a reason.

    Its history keeps every lock and unlock: who, when, which month and why.
    """

    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    month = models.PositiveSmallIntegerField(_("month"), validators=MONTH_VALIDATORS)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    locked_at = models.DateTimeField(default=timezone.now)
    # A month locked before every unit's month was approved goes upward incomplete: every
    # output of a period through it says how many units were waiting and why.
    units_waiting = models.PositiveIntegerField(_("units not approved when locked"), default=0)
    reason = models.CharField(_("reason"), max_length=100, blank=True)

    history = HistoricalRecords()
    objects = PeriodLockQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-month"]
        verbose_name = _("locked month")
        verbose_name_plural = _("locked months")
        constraints = [
            models.UniqueConstraint(fields=["year", "month"], name="lock_one_per_month"),
        ]

    def __str__(self):
        return month_text(self.year, self.month)
