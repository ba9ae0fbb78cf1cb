"""Problems raised for projects (问题协调/督办), the departments that handle them, and each step."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from projects.models import (
    MONTH_VALIDATORS,
    YEAR_VALIDATORS,
    CodeField,
    LineField,
    NoteField,
    Project,
)
from projects.models.constraints import ChecksInOneQuery
from projects.permissions import ProjectChildQuerySet


class Department(models.Model):
    """A department problems are assigned to (责任部门); not the same list as reporting units."""

    code = CodeField(_("code"), max_length=32, unique=True)
    name = LineField(_("name"), max_length=100, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("responsible department")
        verbose_name_plural = _("responsible departments")

    def __str__(self):
        return self.name


class Problem(ChecksInOneQuery, models.Model):
    """A blocker raised for a project, assigned with a deadline and closed (销号)."""

    class Kind(models.TextChoices):
        LAND = "land", _("Land use")
        PLANNING = "planning", _("Planning approval")
        FUNDING = "funding", _("Funding")
        UTILITIES = "utilities", _("Water, power, gas and heating")
        CLEARANCE = "clearance", _("Land clearance and relocation")
        SITE = "site", _("Construction environment")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting assignment")
        IN_PROGRESS = "in_progress", _("Being handled")
        ESCALATED = "escalated", _("Escalated")
        RESOLVED = "resolved", _("Resolved and closed")

    OPEN_STATUSES = (Status.PENDING, Status.IN_PROGRESS, Status.ESCALATED)

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="+"
    )
    description = NoteField(_("description"))
    kind = models.CharField(_("kind of problem"), max_length=12, choices=Kind.choices)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("raised by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    raised_on = models.DateField(_("raised on"), default=timezone.localdate)
    # The month whose 存在问题 text it was raised from, when it was.
    source_year = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=YEAR_VALIDATORS
    )
    source_month = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=MONTH_VALIDATORS
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("responsible department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="problems",
    )
    leader = LineField(_("leader in charge"), max_length=50, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    resolution = NoteField(_("resolution"), blank=True)
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ProjectChildQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["raised_on", "id"]
        verbose_name = _("problem")
        verbose_name_plural = _("problems")
        indexes = [models.Index(fields=["status", "deadline"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="resolved") | Q(resolved_on__isnull=False),
                name="problem_resolved_has_date",
            ),
            models.CheckConstraint(
                condition=Q(resolved_on__isnull=True) | Q(resolved_on__gte=F("raised_on")),
                name="problem_resolved_after_raised",
            ),
            # One open problem per project and kind (its subject): a second one would split
            # the chasing and count the same blocker twice. The services refuse it in words;
            # this catches two raises racing past that check.
            models.UniqueConstraint(
                fields=["project", "kind"],
                condition=Q(status__in=["pending", "in_progress", "escalated"]),
                name="problem_one_open_per_project_and_kind",
            ),
        ]

    def __str__(self):
        return f"#{self.pk} {self.project.code} {self.description[:30]}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    def age_days(self, today) -> int:
        return ((self.resolved_on or today) - self.raised_on).days


class ProblemStep(models.Model):
    """One step in handling a problem: who did what, when, and what they said."""

    class Action(models.TextChoices):
        RAISED = "raised", _("Raised")
        ASSIGNED = "assigned", _("Assigned")
        COMMENTED = "commented", _("Progress note")
        ESCALATED = "escalated", _("Escalated")
        RESOLVED = "resolved", _("Closed")
        REOPENED = "reopened", _("Reopened")
        RECLASSIFIED = "reclassified", _("Kind changed")

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="steps")
    action = models.CharField(_("action"), max_length=12, choices=Action.choices)
    status = models.CharField(_("status after"), max_length=12, choices=Problem.Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    comment = NoteField(_("comment"), blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("problem step")
        verbose_name_plural = _("problem steps")

    def __str__(self):
        return f"{self.problem_id} {self.action}"
