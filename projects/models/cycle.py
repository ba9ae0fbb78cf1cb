"""The monthly cycle: units' submissions, locked months and the report's thresholds."""

import copy

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import IntegrityError, models, router, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tracker.request_memo import memo, remembered

from ..choices import ProgressStyle, SubmissionStatus
from ..periods import month_text
from ..permissions import ScopedQuerySet
from .constraints import ChecksInOneQuery
from .fields import (
    AMOUNT_VALIDATORS,
    MONTH_VALIDATORS,
    PERCENT_VALIDATORS,
    YEAR_VALIDATORS,
    NoteField,
)
from .reference import Unit
from .versions import bumped_here


class OneRow:
    """A settings table of one row (id 1), made with its defaults when first read."""

    @classmethod
    def current(cls):
        # Read once per request: a page's panels and figures each ask (a save of the row
        # bumps the data versions, which empties the request's memo). Each caller gets its
        # own copy, so a form that fills one in and fails leaves the others as stored.
        return copy.copy(remembered(cls, cls._stored_or_made))

    @classmethod
    def _stored_or_made(cls):
        from ..selectors import compiled  # the selectors import the models

        rows = cls.objects.all()
        # Every page reads a settings row or two: the statement is built once.
        shape = ("settings row", cls._meta.label, rows.db)
        found = compiled.instances(shape, cls, lambda: rows.filter(pk=1))
        if found:
            return found[0]
        # Made with its defaults, as get_or_create would after the read above: on the
        # database written to, and read back from it if another request made it first.
        written = cls.objects.db_manager(router.db_for_write(cls))
        try:
            with transaction.atomic(using=written.db):
                return written.create(pk=1)
        except IntegrityError:
            return written.get(pk=1)

    def __str__(self):
        return str(self._meta.verbose_name)


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
        return self.of_month(year, month).exists()

    def locked_months(self, years=None) -> set[tuple[int, int]]:
        """The locked (year, month) pairs, of ``years`` only when given, in one query."""
        rows = self if years is None else self.filter(year__in=list(years))
        return set(rows.values_list("year", "month"))


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


class ReportSettings(OneRow, ChecksInOneQuery, models.Model):
    """Warning-light thresholds for the report, one row set by managers."""

    yellow_below = models.DecimalField(
        _("yellow below (%)"),
        max_digits=5,
        decimal_places=1,
        default=100,
        validators=PERCENT_VALIDATORS,
        help_text=_("A project whose investment rate is below this is lagging (yellow)."),
    )
    red_below = models.DecimalField(
        _("red below (%)"),
        max_digits=5,
        decimal_places=1,
        default=60,
        validators=PERCENT_VALIDATORS,
        help_text=_("Below this, or with an overdue start, a project is seriously behind (red)."),
    )
    # The light's signals (see ``projects.selectors.lights``), defaulting to the published
    # figures: 银川 for the start slip and the points style, 武汉 for the ratio style.
    progress_style = models.CharField(
        _("progress judged by"),
        max_length=8,
        choices=ProgressStyle.choices,
        default=ProgressStyle.POINTS,
        help_text=_(
            "Points: the annual plan's share done against the time elapsed (months ÷ 12); "
            "ratio: that share divided by the time elapsed; plan: the year-to-date plan's "
            "completion rate against the two thresholds above."
        ),
    )
    behind_yellow_points = models.DecimalField(
        _("yellow at points behind the time elapsed"),
        max_digits=5,
        decimal_places=1,
        default=10,
        validators=PERCENT_VALIDATORS,
    )
    behind_red_points = models.DecimalField(
        _("red above points behind the time elapsed"),
        max_digits=5,
        decimal_places=1,
        default=30,
        validators=PERCENT_VALIDATORS,
    )
    time_ratio_yellow_below = models.DecimalField(
        _("yellow below share of the time elapsed (%)"),
        max_digits=5,
        decimal_places=1,
        default=80,
        validators=PERCENT_VALIDATORS,
    )
    time_ratio_red_below = models.DecimalField(
        _("red below share of the time elapsed (%)"),
        max_digits=5,
        decimal_places=1,
        default=60,
        validators=PERCENT_VALIDATORS,
    )
    start_yellow_months = models.PositiveSmallIntegerField(
        _("start overdue: yellow after (months)"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(24)],
    )
    start_red_months = models.PositiveSmallIntegerField(
        _("start overdue: red after (months)"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(24)],
    )
    node_red_days = models.PositiveSmallIntegerField(
        _("node overdue: red after (days)"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("A node past its planned date is yellow; overdue by more than this, red."),
    )
    ranking_floor = models.DecimalField(
        _("ranking floor (万元)"),
        max_digits=12,
        decimal_places=2,
        # A unit planning under 0.1 亿元 for the period tops a ranking on a token amount.
        default=1000,
        validators=AMOUNT_VALIDATORS,
        help_text=_(
            "Units and categories planning less than this are listed apart from the ranking; "
            "those planning nothing always are."
        ),
    )

    # Entry checks: figures that are allowed but look like typing mistakes need a tick.
    entry_share_of_total = models.DecimalField(
        _("month above share of total investment (%)"),
        max_digits=5,
        decimal_places=1,
        default=30,
        validators=PERCENT_VALIDATORS,
        help_text=_("A month's investment above this share of the project's total is queried."),
    )
    entry_times_average = models.DecimalField(
        _("month above times the average month"),
        max_digits=6,
        decimal_places=1,
        default=10,
        validators=[MinValueValidator(1, message=_("A factor is at least 1."))],
        help_text=_("A month's investment over this many times the project's average month."),
    )
    entry_change_factor = models.DecimalField(
        _("jump or fall from last month (times)"),
        max_digits=6,
        decimal_places=1,
        default=5,
        validators=[MinValueValidator(1, message=_("A factor is at least 1."))],
        help_text=_("A month's investment this many times last month's, or as small a share."),
    )
    submit_with_missing = models.BooleanField(
        _("allow submitting with projects missing"),
        default=True,
        help_text=_(
            "If on, a unit may submit a month with projects not entered after confirming; "
            "if off, every project on the list needs an entry first."
        ),
    )
    deadline_day = models.PositiveSmallIntegerField(
        _("reporting deadline (day of the next month)"),
        default=5,
        validators=[
            MinValueValidator(1, message=_("The deadline is a day from 1 to 28.")),
            MaxValueValidator(28, message=_("The deadline is a day from 1 to 28.")),
        ],
        help_text=_("A month's figures are due by this day of the following month."),
    )

    # Every change of a threshold, who made it and when: a light must be explainable later.
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("report settings")
        verbose_name_plural = _("report settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(behind_yellow_points__lte=F("behind_red_points")),
                name="settings_points_yellow_before_red",
                violation_error_message=_("Red must be at least as many points behind as yellow."),
            ),
            models.CheckConstraint(
                condition=Q(time_ratio_red_below__lte=F("time_ratio_yellow_below")),
                name="settings_ratio_red_below_yellow",
                violation_error_message=_("The red threshold must not exceed the yellow one."),
            ),
            models.CheckConstraint(
                condition=Q(start_red_months__gte=F("start_yellow_months")),
                name="settings_start_red_after_yellow",
                violation_error_message=_("Red must come no earlier than yellow."),
            ),
            models.CheckConstraint(
                condition=Q(red_below__lte=F("yellow_below")),
                name="settings_red_below_yellow",
                violation_error_message=_("The red threshold must not exceed the yellow one."),
            ),
            # One set of thresholds for the district: a second row would be silently ignored.
            models.CheckConstraint(
                condition=Q(id=1),
                name="settings_single_row",
                violation_error_message=_("There is one set of report settings; change it."),
            ),
        ]


class DispatchSettings(OneRow, ChecksInOneQuery, models.Model):
    """How early the dispatch warnings fire (problems, nodes, 入库): one row, set by managers."""

    due_soon_days = models.PositiveSmallIntegerField(
        _("problem due soon within (days)"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
        help_text=_("An open problem whose deadline is this close is flagged as due soon (临期)."),
    )
    node_warning_days = models.PositiveSmallIntegerField(
        _("node due soon within (days)"),
        default=15,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
    )
    # Apart from the flag's window: a unit wants one reminder a week ahead, not a fortnight
    # of yellow flags' worth of messages (remind_deadlines, once per node and date).
    node_reminder_days = models.PositiveSmallIntegerField(
        _("remind of a node (days before it is due)"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
    )
    library_yellow_months = models.PositiveSmallIntegerField(
        _("not in the statistics library: yellow after (months)"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(24)],
    )
    library_red_months = models.PositiveSmallIntegerField(
        _("not in the statistics library: red after (months)"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(24)],
    )
    # 计划总投资 500 万元及以上 projects are the ones statistics must include (入库纳统).
    library_min_investment = models.DecimalField(
        _("not in the statistics library: counts from total investment (万元)"),
        max_digits=12,
        decimal_places=2,
        default=500,
        validators=AMOUNT_VALIDATORS,
    )
    start_window_days = models.PositiveSmallIntegerField(
        _("approvals check: planned start within (days)"),
        default=60,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )

    history = HistoricalRecords()

    class Meta:
        # The row was first kept by the problems app; the table keeps its name so moving the
        # model into the ledger (which the problems, nodes and reminders all read) moved no data.
        db_table = "coordination_dispatchsettings"
        verbose_name = _("dispatch settings")
        verbose_name_plural = _("dispatch settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(library_red_months__gte=F("library_yellow_months")),
                name="dispatch_red_after_yellow",
                violation_error_message=_("Red must come no earlier than yellow."),
            ),
            models.CheckConstraint(condition=Q(id=1), name="dispatch_settings_single_row"),
        ]


# The light's thresholds a list may set for itself (issue #23): the report's and the 入库 ones.
# The entry checks, deadlines and ranking floor stay the district's.
REPORT_LIGHT_FIELDS = (
    "progress_style",
    "behind_yellow_points",
    "behind_red_points",
    "time_ratio_yellow_below",
    "time_ratio_red_below",
    "yellow_below",
    "red_below",
    "start_yellow_months",
    "start_red_months",
    "node_red_days",
)
DISPATCH_LIGHT_FIELDS = ("library_yellow_months", "library_red_months", "library_min_investment")


def _blank_means_district(model, name: str) -> models.Field:
    """The district's field, its validators and words kept, but blank: one definition of each
    threshold, so a list cannot accept a value the district row would refuse."""
    field = model._meta.get_field(name)
    _name, _path, args, kwargs = field.deconstruct()
    kwargs.pop("default", None)
    kwargs.update(null=True, blank=True)
    return type(field)(*args, **kwargs)


class ListThresholds(models.Model):
    """One list's own light thresholds; a blank field is the district's setting.

    Read through ``selectors.thresholds.thresholds_for``, which lays these over the district's
    rows; saved by ``services.save_list_thresholds`` with the actor, and kept in history.
    """

    programme = models.OneToOneField(
        "projects.Programme",
        on_delete=models.CASCADE,
        related_name="thresholds",
        verbose_name=_("list"),
    )
    progress_style = _blank_means_district(ReportSettings, "progress_style")
    behind_yellow_points = _blank_means_district(ReportSettings, "behind_yellow_points")
    behind_red_points = _blank_means_district(ReportSettings, "behind_red_points")
    time_ratio_yellow_below = _blank_means_district(ReportSettings, "time_ratio_yellow_below")
    time_ratio_red_below = _blank_means_district(ReportSettings, "time_ratio_red_below")
    yellow_below = _blank_means_district(ReportSettings, "yellow_below")
    red_below = _blank_means_district(ReportSettings, "red_below")
    start_yellow_months = _blank_means_district(ReportSettings, "start_yellow_months")
    start_red_months = _blank_means_district(ReportSettings, "start_red_months")
    node_red_days = _blank_means_district(ReportSettings, "node_red_days")
    library_yellow_months = _blank_means_district(DispatchSettings, "library_yellow_months")
    library_red_months = _blank_means_district(DispatchSettings, "library_red_months")
    library_min_investment = _blank_means_district(DispatchSettings, "library_min_investment")

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("list thresholds")
        verbose_name_plural = _("list thresholds")

    def __str__(self):
        return str(self.programme)

    def lay_over(self, *rows) -> None:
        """Put this list's non-blank thresholds on (unsaved copies of) the district's rows."""
        for row in rows:
            names = (
                REPORT_LIGHT_FIELDS if isinstance(row, ReportSettings) else DISPATCH_LIGHT_FIELDS
            )
            for name in names:
                value = getattr(self, name)
                if value not in (None, ""):
                    setattr(row, name, value)

    def clean(self):
        # Red stricter than yellow is the district rows' constraints: checked on what the list
        # would light by, so a list's yellow is judged against the district's red it keeps.
        report = ReportSettings.objects.filter(pk=1).first() or ReportSettings(pk=1)
        dispatch = DispatchSettings.objects.filter(pk=1).first() or DispatchSettings(pk=1)
        self.lay_over(report, dispatch)
        report.validate_constraints()
        dispatch.validate_constraints()
