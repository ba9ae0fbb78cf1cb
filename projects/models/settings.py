"""The settings rows managers set: the report's light thresholds and checks, the dispatch
panel's deadlines and 入库 rule (one row each, id 1), and a list's own thresholds laid over
them."""

import copy

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import IntegrityError, models, router, transaction
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tracker.request_memo import remembered

from ..choices import ProgressStyle
from .constraints import ChecksInOneQuery
from .fields import (
    AMOUNT_VALIDATORS,
    PERCENT_VALIDATORS,
)


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
