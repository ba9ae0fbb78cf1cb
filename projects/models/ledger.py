"""The key-project ledger: projects, quarterly plans and monthly progress.

Just over 500 lines on purpose: the three tables every rule reads, with their querysets and
their own validation, read as one; the field types and validators are in ``fields.py``.
"""

import datetime as dt

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..choices import ProjectKind
from ..periods import check_not_future, month_text
from ..permissions import ProjectChildQuerySet, ProjectQuerySet
from .constraints import ChecksInOneQuery
from .fields import (
    LATITUDE,
    LONGITUDE,
    MONTH_VALIDATORS,
    NATIONAL_CODE_LENGTH,
    YEAR_VALIDATORS,
    CoordinateField,
    LineField,
    NationalCodeField,
    NoteField,
    amount_field,
    amount_in_range,
    normalise_code,
    validate_project_code,
    validate_visible_code,
)
from .reference import Category, Programme, Street, Unit

NATIONAL_CODE_TAKEN = "national_code_taken"


class ListedProjectQuerySet(ProjectQuerySet):
    """Projects with the one rule for "on the list at a date"."""

    def on_list(self, *, at: dt.date):
        """Projects on their year's list at the end of the day ``at``.

        The one boundary, used by every screen, report, check and file: a project
        is on the list on the day it joined (``joined_on <= at``) and off it from the
        day it withdrew (``withdrawn_on > at``), and only on its own programme year's
        list. A month's list is the list at the month's last day, so a project that
        withdraws on the 31st is off March's list, and one that joins on the 31st is
        on it. (The report's "did most units report" check once counted a project
        withdrawn during the month as still on it; that was the odd one out.)
        """
        return self.filter(
            Q(programme__year=at.year)
            & Q(joined_on__lte=at)
            & (Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=at))
        )

    def units_reporting(self, year: int) -> int:
        """How many units have projects on the year's list: the units a month waits for.

        Asked of every project (the month states, a lock's check), its statement is built
        once per year and database (``selectors.compiled``)."""
        from ..selectors import compiled  # the selectors import the models

        shape = None if self.query.has_filters() else ("units reporting", year, self.db)
        totals = compiled.totals_of(
            shape,
            lambda: self.filter(programme__year=year),
            units=models.Count("unit", distinct=True),
        )
        return totals["units"] or 0


class Project(ChecksInOneQuery, models.Model):
    """One key project on a programme's list, with its dates and current state."""

    Kind = ProjectKind

    # validate_visible_code refuses more than a LineField would (private-use characters too).
    code = models.CharField(
        _("project code"), max_length=32, unique=True, validators=[validate_visible_code]
    )
    name = LineField(_("project name"), max_length=200)
    # The code the national online approval platform issued (项目代码), beside the list's own
    # 项目编号: optional (not every listed project has one yet), unique when present.
    national_code = NationalCodeField(
        _("national project code"),
        max_length=NATIONAL_CODE_LENGTH,
        blank=True,
        help_text=_(
            "The 24-character code from the national online approval platform (GB/T 40058), "
            "e.g. 2024-370214-04-01-000123; blank if the project has none yet."
        ),
    )
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
    industry = models.ForeignKey(
        "Industry",
        verbose_name=_("industry"),
        on_delete=models.PROTECT,
        related_name="projects",
        null=True,
        blank=True,
        help_text=_("The GB/T 4754 section (门类) investment statistics count it under."),
    )
    # A reference since issue #23: reports rank and break down by leader (包联领导).
    leader = models.ForeignKey(
        "Leader",
        verbose_name=_("leader in charge"),
        on_delete=models.PROTECT,
        related_name="projects",
        null=True,
        blank=True,
    )
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
    actual_completion = models.DateField(
        _("actual completion"),
        null=True,
        blank=True,
        help_text=_("The day the works were completed (基本完工); blank until then."),
    )
    # Where the works are, for the map (WGS-84, as GPS and the national platform give it):
    # optional, and both or neither (Project.clean).
    longitude = CoordinateField(
        _("longitude"),
        axis=LONGITUDE,
        help_text=_("WGS-84 degrees east, e.g. 120.3912; blank if not known."),
    )
    latitude = CoordinateField(
        _("latitude"),
        axis=LATITUDE,
        help_text=_("WGS-84 degrees north, e.g. 36.3071; blank if not known."),
    )
    image_progress = NoteField(_("image progress"), blank=True)
    highlighted = models.BooleanField(
        _("featured in briefings (重点展示)"),
        default=False,
        help_text=_("The quarterly briefing quotes the image progress of featured projects."),
    )
    notes = NoteField(_("notes"), blank=True)
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
    objects = ListedProjectQuerySet.as_manager()

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
            models.UniqueConstraint(
                fields=["national_code"],
                condition=~Q(national_code=""),
                name="project_national_code_unique",
                violation_error_code=NATIONAL_CODE_TAKEN,
                violation_error_message=_(
                    "Another project already has this project code; a code names one project."
                ),
            ),
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
            # A list's first page in code order (the report's default): the code's own
            # index walked every earlier year's projects first (80,000 at 20,000 a year,
            # 12 ms a page); this one reads the list's first fifty.
            models.Index(fields=["programme", "code"]),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def leader_name(self) -> str:
        """The leader in charge's name, "" for none (a problem's leader starts from it)."""
        return self.leader.name if self.leader_id else ""

    @property
    def in_statistics(self) -> bool:
        return self.statistics_entry_date is not None

    @property
    def is_started(self) -> bool:
        return self.actual_start is not None

    def on_list_at(self, day: dt.date) -> bool:
        """The same rule as ``Project.objects.on_list(at=day)``, for one project in hand."""
        if self.joined_on is None or self.programme_id is None:
            return False
        return (
            self.programme.year == day.year
            and self.joined_on <= day
            and (self.withdrawn_on is None or self.withdrawn_on > day)
        )

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # The stored code, so that only a new or changed code must meet today's rule.
        instance.stored_code = instance.__dict__.get("code")
        return instance

    def validate_constraints(self, exclude=None):
        # A taken 项目代码 is the constraint's (non-field) error; put it on the field so the
        # admin shows it beside the code and the ledger import on its column.
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError as exc:
            errors = exc.update_error_dict({})
            general = errors.pop(NON_FIELD_ERRORS, [])
            taken = [e for e in general if e.code == NATIONAL_CODE_TAKEN]
            if taken:
                errors.setdefault("national_code", []).extend(taken)
            rest = [e for e in general if e.code != NATIONAL_CODE_TAKEN]
            if rest:
                errors[NON_FIELD_ERRORS] = rest
            raise ValidationError(errors) from exc

    def clean(self):
        errors = {}
        # Stored in one form, so 全角 and padded spellings cannot make a look-alike project.
        self.code = normalise_code(self.code)
        if self.code != getattr(self, "stored_code", None):
            try:
                validate_project_code(self.code)
            except ValidationError as exc:
                errors["code"] = exc.messages
        if self.joined_on is None and self.programme_id:
            self.joined_on = dt.date(self.programme.year, 1, 1)
        if self.kind == self.Kind.NEW and not self.planned_start:
            errors["planned_start"] = _("A new-start project needs a planned start date.")
        if self.actual_start and self.actual_start > timezone.localdate():
            errors["actual_start"] = _(
                "The actual start cannot be in the future; leave it blank until the works start."
            )
        if self.actual_completion:
            if self.actual_completion > timezone.localdate():
                errors["actual_completion"] = _(
                    "The completion date cannot be in the future; leave it blank until then."
                )
            elif not self.actual_start or self.actual_completion < self.actual_start:
                errors["actual_completion"] = _(
                    "A project is completed after it started; enter the actual start first."
                )
        if (
            self.planned_start
            and self.planned_completion
            and self.planned_completion < self.planned_start
        ):
            errors["planned_completion"] = _("Planned completion is before the planned start.")
        if self.joined_on and self.withdrawn_on and self.withdrawn_on < self.joined_on:
            errors["withdrawn_on"] = _("A project cannot leave the list before it joined it.")
        # Half a point cannot be drawn, and is usually the other half forgotten.
        if (self.longitude is None) != (self.latitude is None):
            missing = "latitude" if self.latitude is None else "longitude"
            errors[missing] = _("Enter both longitude and latitude, or leave both blank.")
        if errors:
            raise ValidationError(errors)


PLAN_AMOUNT_FIELDS = [
    *(f"investment_q{q}" for q in (1, 2, 3, 4)),
    *(f"inclusion_q{q}" for q in (1, 2, 3, 4)),
]
# The plan first issued for the year (年初计划), beside each plan figure.
BASELINE_FIELDS = {name: f"baseline_{name}" for name in PLAN_AMOUNT_FIELDS}


def _baseline_field(verbose_name):
    # Null only for rows written in bulk around ``save`` (generated scale data): the
    # report reads a missing baseline as the current plan.
    return models.DecimalField(
        verbose_name, max_digits=12, decimal_places=2, null=True, blank=True, editable=False
    )


class QuarterPlan(ChecksInOneQuery, models.Model):
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
    # The year's plan as first issued (年初计划): kept from the plan's first save, so
    # every later change is an adjustment (计划调整) the report can count and sum.
    baseline_investment_q1 = _baseline_field(_("Q1 baseline investment plan (万元)"))
    baseline_investment_q2 = _baseline_field(_("Q2 baseline investment plan (万元)"))
    baseline_investment_q3 = _baseline_field(_("Q3 baseline investment plan (万元)"))
    baseline_investment_q4 = _baseline_field(_("Q4 baseline investment plan (万元)"))
    baseline_inclusion_q1 = _baseline_field(_("Q1 baseline inclusion plan (万元)"))
    baseline_inclusion_q2 = _baseline_field(_("Q2 baseline inclusion plan (万元)"))
    baseline_inclusion_q3 = _baseline_field(_("Q3 baseline inclusion plan (万元)"))
    baseline_inclusion_q4 = _baseline_field(_("Q4 baseline inclusion plan (万元)"))
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()
    objects = ProjectChildQuerySet.as_manager()

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

    def save(self, *args, **kwargs):
        # The first saved plan of a project and year is the year's baseline (年初计划),
        # whichever door saved it; later saves leave it as it was.
        if self._state.adding:
            for name, baseline in BASELINE_FIELDS.items():
                if getattr(self, baseline) is None:
                    setattr(self, baseline, getattr(self, name))
        super().save(*args, **kwargs)

    def figures(self) -> dict:
        """The eight plan figures by field name."""
        return {name: getattr(self, name) for name in PLAN_AMOUNT_FIELDS}

    def baseline(self) -> dict:
        """The baseline's eight figures by plan field name (the plan itself where none is kept)."""
        return {
            name: getattr(self, baseline)
            if getattr(self, baseline) is not None
            else getattr(self, name)
            for name, baseline in BASELINE_FIELDS.items()
        }

    @property
    def adjusted(self) -> bool:
        """Whether the plan differs from the year's baseline."""
        return self.figures() != self.baseline()

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


class MonthlyProgress(ChecksInOneQuery, models.Model):
    """Investment completed and included in statistics by one project in one month."""

    # No index of its own: the unique (project, year, month) index serves every lookup by project.
    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="progress",
        db_index=False,
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    month = models.PositiveSmallIntegerField(_("month"), validators=MONTH_VALIDATORS)
    # The month alone, never the running total: clerks used to cumulative ledgers double-count.
    investment = amount_field(_("this month's completed investment (万元)"))
    inclusion = amount_field(_("this month's inclusion in statistics (万元)"))
    image_progress = NoteField(_("image progress"), blank=True)
    problems = NoteField(_("problems"), blank=True)
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
    # Figures that tripped a plausibility warning (services.plausibility) are saved only
    # once someone confirms them; who, when and which warnings stay on the row and in its
    # history. Cleared when the figures change and no longer trip anything.
    acknowledged_warnings = models.CharField(
        _("acknowledged warnings"), max_length=200, blank=True, default="", editable=False
    )
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("checked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    acknowledged_at = models.DateTimeField(_("checked at"), null=True, blank=True, editable=False)

    history = HistoricalRecords()
    objects = ProjectChildQuerySet.as_manager()

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
        indexes = [
            # The report's per-project sums and each project's latest picture read a
            # period's rows from this index alone (an index-only scan on PostgreSQL), never
            # the table's scattered pages: at 20,000 projects the picture's pass visited
            # 3,852 of them, some 15 ms of every file and computed page. SQLite has no
            # covering index; there the index is its three keys.
            models.Index(
                fields=["year", "month", "project"],
                include=["investment", "inclusion", "image_progress"],
                name="progress_period_idx",
            ),
        ]

    def __str__(self):
        return f"{self.project.code} {month_text(self.year, self.month)}"

    def clean(self):
        # A month that has not begun has no figures to report, whichever way they come in.
        if self.year and self.month and 1 <= self.month <= 12:
            try:
                check_not_future(self.year, self.month)
            except ValidationError as exc:
                raise ValidationError({"month": exc}) from None

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
