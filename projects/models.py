"""The key-project ledger: lists, projects, quarterly plans and monthly progress.

Amounts are DecimalField in 万元 with two places. Rules that every way of
entering data must obey live here (field validators, ``clean()`` and database
constraints), so the admin, the importers and any later API share them.
"""

import datetime as dt
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .money import MAX_AMOUNT_WAN

AMOUNT_VALIDATORS = [
    MinValueValidator(0, message=_("Amounts cannot be negative.")),
    MaxValueValidator(
        MAX_AMOUNT_WAN,
        message=_("Amounts over 10,000,000 万元 (1,000 亿元) look like a typing mistake."),
    ),
]
MONTH_VALIDATORS = [
    MinValueValidator(1, message=_("Month must be between 1 and 12.")),
    MaxValueValidator(12, message=_("Month must be between 1 and 12.")),
]
PERCENT_VALIDATORS = [
    MinValueValidator(0, message=_("A threshold is a percentage from 0 to 100.")),
    MaxValueValidator(100, message=_("A threshold is a percentage from 0 to 100.")),
]
YEAR_VALIDATORS = [
    MinValueValidator(2000, message=_("Year must be between 2000 and 2100.")),
    MaxValueValidator(2100, message=_("Year must be between 2000 and 2100.")),
]


def amount_field(verbose_name, **kwargs):
    return models.DecimalField(
        verbose_name,
        max_digits=12,
        decimal_places=2,
        default=0,
        validators=AMOUNT_VALIDATORS,
        **kwargs,
    )


def amount_in_range(field: str) -> Q:
    return Q(**{f"{field}__gte": 0}) & Q(**{f"{field}__lte": MAX_AMOUNT_WAN})


class NamedList(models.Model):
    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        abstract = True
        ordering = ["sort_order", "code"]

    def __str__(self):
        return self.name


class Unit(NamedList):
    """A responsible unit (责任单位): a department or street office answerable for projects."""

    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff accounts"),
        related_name="units",
        blank=True,
        help_text=_("Unit staff who enter progress for this unit's projects."),
    )

    class Meta(NamedList.Meta):
        verbose_name = _("responsible unit")
        verbose_name_plural = _("responsible units")


class Street(NamedList):
    """A street or town (街道) of the district where projects sit."""

    class Meta(NamedList.Meta):
        verbose_name = _("street")
        verbose_name_plural = _("streets")


class Category(NamedList):
    """A project category (项目类别) such as advanced manufacturing or urban renewal."""

    class Meta(NamedList.Meta):
        verbose_name = _("category")
        verbose_name_plural = _("categories")


class Programme(models.Model):
    """A named list of key projects for one year (项目清单), e.g. 2024年市级攻坚项目."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    previous = models.ForeignKey(
        "self",
        verbose_name=_("previous year's list"),
        help_text=_("The same list a year earlier (上年同口径), for year-on-year figures."),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-year", "code"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self):
        return self.name

    def clean(self):
        if self.previous_id and self.previous_id == self.pk:
            raise ValidationError({"previous": _("A list cannot be its own previous year.")})


class Project(models.Model):
    """One key project on a programme's list, with its dates and current state."""

    class Kind(models.TextChoices):
        NEW = "new", _("New start")
        CONTINUING = "continuing", _("Continuing")

    code = models.CharField(_("project code"), max_length=32, unique=True)
    name = models.CharField(_("project name"), max_length=200)
    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="projects"
    )
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="projects"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("responsible unit"), on_delete=models.PROTECT, related_name="projects"
    )
    street = models.ForeignKey(
        Street, verbose_name=_("street"), on_delete=models.PROTECT, related_name="projects"
    )
    leader = models.CharField(_("leader in charge"), max_length=50, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.NEW)
    total_investment = amount_field(_("total investment (万元)"))
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    actual_start = models.DateField(
        _("actual start"), null=True, blank=True, help_text=_("Leave blank until started.")
    )
    planned_completion = models.DateField(_("planned completion"), null=True, blank=True)
    statistics_entry_date = models.DateField(
        _("entered statistics database on"),
        null=True,
        blank=True,
        help_text=_("Date the project entered the statistics database (入库纳统); blank if not."),
    )
    image_progress = models.TextField(_("image progress"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    joined_on = models.DateField(
        _("joined the list on"),
        blank=True,
        help_text=_("Blank means from the start of the programme's year."),
    )
    withdrawn_on = models.DateField(
        _("withdrawn from the list on"),
        null=True,
        blank=True,
        help_text=_("Lists are adjusted during the year; blank means still on the list."),
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        permissions = [
            ("manage_all_units", _("Can enter figures for every unit")),
            ("export_reports", _("Can download report exports")),
            ("review_submissions", _("Can review monthly submissions")),
            ("lock_periods", _("Can lock and unlock months")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=amount_in_range("total_investment"),
                name="project_total_investment_in_range",
            ),
            models.CheckConstraint(
                condition=Q(planned_completion__isnull=True)
                | Q(planned_start__isnull=True)
                | Q(planned_completion__gte=F("planned_start")),
                name="project_completion_after_start",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gte=F("joined_on")),
                name="project_withdrawn_after_joined",
            ),
            models.CheckConstraint(
                condition=Q(kind="continuing") | Q(planned_start__isnull=False),
                name="project_new_start_has_planned_start",
            ),
        ]
        indexes = [
            models.Index(fields=["programme", "unit"]),
            models.Index(fields=["programme", "category"]),
            models.Index(fields=["programme", "street"]),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def in_statistics(self) -> bool:
        return self.statistics_entry_date is not None

    @property
    def is_started(self) -> bool:
        return self.actual_start is not None

    def on_list_at(self, day: dt.date) -> bool:
        return self.joined_on <= day and (self.withdrawn_on is None or self.withdrawn_on > day)

    def clean(self):
        errors = {}
        if self.joined_on is None and self.programme_id:
            self.joined_on = dt.date(self.programme.year, 1, 1)
        if self.kind == self.Kind.NEW and not self.planned_start:
            errors["planned_start"] = _("A new-start project needs a planned start date.")
        if self.actual_start and self.actual_start > timezone.localdate():
            errors["actual_start"] = _(
                "The actual start cannot be in the future; leave it blank until the works start."
            )
        if (
            self.planned_start
            and self.planned_completion
            and self.planned_completion < self.planned_start
        ):
            errors["planned_completion"] = _("Planned completion is before the planned start.")
        if self.joined_on and self.withdrawn_on and self.withdrawn_on < self.joined_on:
            errors["withdrawn_on"] = _("A project cannot leave the list before it joined it.")
        if errors:
            raise ValidationError(errors)


PLAN_AMOUNT_FIELDS = [
    *(f"investment_q{q}" for q in (1, 2, 3, 4)),
    *(f"inclusion_q{q}" for q in (1, 2, 3, 4)),
]


class QuarterPlan(models.Model):
    """Planned investment and statistical inclusion of one project for one year, by quarter."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="plans"
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    investment_q1 = amount_field(_("Q1 planned investment (万元)"))
    investment_q2 = amount_field(_("Q2 planned investment (万元)"))
    investment_q3 = amount_field(_("Q3 planned investment (万元)"))
    investment_q4 = amount_field(_("Q4 planned investment (万元)"))
    inclusion_q1 = amount_field(_("Q1 planned inclusion (万元)"))
    inclusion_q2 = amount_field(_("Q2 planned inclusion (万元)"))
    inclusion_q3 = amount_field(_("Q3 planned inclusion (万元)"))
    inclusion_q4 = amount_field(_("Q4 planned inclusion (万元)"))
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["project__code", "year"]
        verbose_name = _("quarterly plan")
        verbose_name_plural = _("quarterly plans")
        constraints = [
            models.UniqueConstraint(fields=["project", "year"], name="plan_one_per_project_year"),
            *[
                models.CheckConstraint(condition=amount_in_range(f), name=f"plan_{f}_in_range")
                for f in PLAN_AMOUNT_FIELDS
            ],
        ]

    def __str__(self):
        return f"{self.project.code} {self.year}"

    def investment(self, quarter: int):
        return getattr(self, f"investment_q{quarter}")

    def inclusion(self, quarter: int):
        return getattr(self, f"inclusion_q{quarter}")

    @property
    def annual_investment(self):
        return sum(self.investment(q) for q in (1, 2, 3, 4))

    @property
    def annual_inclusion(self):
        return sum(self.inclusion(q) for q in (1, 2, 3, 4))


class MonthlyProgress(models.Model):
    """Investment completed and included in statistics by one project in one month."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="progress"
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    month = models.PositiveSmallIntegerField(_("month"), validators=MONTH_VALIDATORS)
    investment = amount_field(_("completed investment (万元)"))
    inclusion = amount_field(_("included in statistics (万元)"))
    image_progress = models.TextField(_("image progress"), blank=True)
    problems = models.TextField(_("problems"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last entered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["project__code", "year", "month"]
        verbose_name = _("monthly progress")
        verbose_name_plural = _("monthly progress")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "year", "month"], name="progress_one_per_project_month"
            ),
            models.CheckConstraint(
                condition=Q(month__gte=1) & Q(month__lte=12), name="progress_month_1_12"
            ),
            models.CheckConstraint(
                condition=amount_in_range("investment"), name="progress_investment_in_range"
            ),
            models.CheckConstraint(
                condition=amount_in_range("inclusion"), name="progress_inclusion_in_range"
            ),
        ]
        indexes = [models.Index(fields=["year", "month"])]

    def __str__(self):
        return f"{self.project.code} {self.year}-{self.month:02d}"

    def unique_error_message(self, model_class, unique_check):
        if set(unique_check) == {"project", "year", "month"}:
            existing = (
                MonthlyProgress.objects.filter(
                    project_id=self.project_id, year=self.year, month=self.month
                )
                .exclude(pk=self.pk)
                .first()
            )
            if existing is not None:
                return ValidationError(
                    _(
                        "%(project)s already has an entry for %(year)s-%(month)02d "
                        "(entry #%(id)s, completed investment %(investment)s 万元); "
                        "change that entry instead of adding a second one."
                    ),
                    code="unique_together",
                    params={
                        "project": existing.project,
                        "year": existing.year,
                        "month": existing.month,
                        "id": existing.pk,
                        "investment": existing.investment,
                    },
                )
        return super().unique_error_message(model_class, unique_check)


class MonthSubmission(models.Model):
    """A unit's monthly submission of its projects' progress, and the manager's review."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned")

    unit = models.ForeignKey(
        Unit, verbose_name=_("responsible unit"), on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    month = models.PositiveSmallIntegerField(_("month"), validators=MONTH_VALIDATORS)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    comment = models.TextField(_("review comment"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

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
        return f"{self.unit} {self.year}-{self.month:02d} {self.get_status_display()}"


class PeriodLock(models.Model):
    """A month closed by a manager once reported upward; later changes need a reason."""

    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    month = models.PositiveSmallIntegerField(_("month"), validators=MONTH_VALIDATORS)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    locked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-year", "-month"]
        verbose_name = _("locked month")
        verbose_name_plural = _("locked months")
        constraints = [
            models.UniqueConstraint(fields=["year", "month"], name="lock_one_per_month"),
        ]

    def __str__(self):
        return f"{self.year}-{self.month:02d}"


class ReportSettings(models.Model):
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

    class Meta:
        verbose_name = _("report settings")
        verbose_name_plural = _("report settings")
        constraints = [
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

    def __str__(self):
        return str(self._meta.verbose_name)

    @classmethod
    def current(cls) -> "ReportSettings":
        obj, _created = cls.objects.get_or_create(pk=1)
        return obj


def new_share_token() -> str:
    return secrets.token_urlsafe(32)


class ShareLink(models.Model):
    """An expiring, revocable link to one period's export for someone without an account."""

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "Excel (XLSX)"

    token = models.CharField(max_length=64, unique=True, default=new_share_token, editable=False)
    programme = models.ForeignKey(Programme, verbose_name=_("programme"), on_delete=models.CASCADE)
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    quarter = models.PositiveSmallIntegerField(
        _("quarter"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    format = models.CharField(_("format"), max_length=8, choices=Format.choices)
    recipient = models.CharField(_("recipient"), max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("share link")
        verbose_name_plural = _("share links")

    def __str__(self):
        return f"{self.programme} {self.year}Q{self.quarter} {self.format}"

    def is_active(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and self.expires_at > now

    def clean(self):
        errors = {}
        if self.programme_id and self.year and self.year != self.programme.year:
            errors["year"] = _("%(programme)s is the list for %(year)s; share that year.") % {
                "programme": self.programme,
                "year": self.programme.year,
            }
        if self._state.adding and self.expires_at and self.expires_at <= timezone.now():
            errors["expires_at"] = _("The expiry must be in the future.")
        if errors:
            raise ValidationError(errors)


class ShareDownload(models.Model):
    """One download through a share link, for the audit trail."""

    link = models.ForeignKey(ShareLink, on_delete=models.CASCADE, related_name="downloads")
    at = models.DateTimeField(_("downloaded at"), auto_now_add=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("share-link download")
        verbose_name_plural = _("share-link downloads")

    def __str__(self):
        return f"{self.link} {timezone.localtime(self.at):%Y-%m-%d %H:%M}"
