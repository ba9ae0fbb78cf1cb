"""A project's nodes (节点) with planned and actual dates, node templates, and approvals."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from projects.models import LineField, Project, ShortNoteField, Unit
from projects.permissions import ProjectChildQuerySet


class Anchor(models.TextChoices):
    """Which project date a template node's planned date starts from."""

    NONE = "", _("No default date")
    PLANNED_START = "planned_start", _("Planned start")
    PLANNED_COMPLETION = "planned_completion", _("Planned completion")


class TemplateSet(models.Model):
    """A named set of standard nodes (前期手续, 施工建设) a manager chooses for a project.

    Its steps run in order; a step is one node or a parallel group (several nodes with the
    same step number, all starting after the previous step, the next step after the latest
    of them). A node is dated either from one of the project's dates (anchor and offset) or
    a number of days after the previous step finishes; the set's own anchor and offset date
    a first step that counts from "the previous step".
    """

    name = LineField(_("template set"), max_length=50, unique=True)
    kind = models.CharField(
        _("project kind"),
        max_length=12,
        choices=Project.Kind.choices,
        blank=True,
        help_text=_("Applied to projects of this kind by the bulk form; blank for any kind."),
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    anchor = models.CharField(
        _("set starts from"), max_length=20, choices=Anchor.choices, blank=True
    )
    offset_days = models.SmallIntegerField(_("days after that date"), default=0)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("node template set")
        verbose_name_plural = _("node template sets")

    def __str__(self):
        return self.name


class NodeTemplate(models.Model):
    """A standard node of a set: its step, and its date from an anchor or after the last step."""

    template_set = models.ForeignKey(
        TemplateSet,
        verbose_name=_("template set"),
        on_delete=models.CASCADE,
        related_name="nodes",
    )
    name = LineField(_("node"), max_length=50)
    sort_order = models.PositiveSmallIntegerField(
        _("step"),
        default=0,
        help_text=_("Nodes with the same step run in parallel; the next step waits for all."),
    )
    anchor = models.CharField(
        _("planned date from"), max_length=20, choices=Anchor.choices, blank=True
    )
    offset_days = models.SmallIntegerField(
        _("days after that date"),
        default=0,
        help_text=_("Negative for days before, e.g. -30 for a month before the planned start."),
    )
    after_days = models.PositiveSmallIntegerField(
        _("days after the previous step"),
        null=True,
        blank=True,
        help_text=_(
            "The time limit from the previous step's finish; blank to date the node from "
            "the project's date above."
        ),
    )

    class Meta:
        ordering = ["template_set", "sort_order", "name"]
        verbose_name = _("node template")
        verbose_name_plural = _("node templates")
        constraints = [
            models.UniqueConstraint(
                fields=["template_set", "name"], name="node_template_once_per_set"
            )
        ]

    def __str__(self):
        return f"{self.template_set} · {self.name}"


class Milestone(models.Model):
    """One node of a project's plan: what, by when, done when, and which unit answers for it."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="+"
    )
    name = LineField(_("node"), max_length=50)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    planned_date = models.DateField(_("planned date"), null=True, blank=True)
    actual_date = models.DateField(_("actual date"), null=True, blank=True)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("responsible unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Blank means the project's own responsible unit."),
    )
    note = ShortNoteField(_("note"), max_length=200, blank=True)
    # Where the node came from, so the chart knows its step and re-planning its time limit.
    template_set = models.ForeignKey(
        TemplateSet,
        verbose_name=_("template set"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    step = models.PositiveSmallIntegerField(_("step"), null=True, blank=True)
    after_days = models.PositiveSmallIntegerField(
        _("days after the previous step"), null=True, blank=True
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ProjectChildQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "sort_order", "planned_date", "id"]
        verbose_name = _("node")
        verbose_name_plural = _("nodes")
        constraints = [
            models.UniqueConstraint(fields=["project", "name"], name="milestone_once_per_project")
        ]
        indexes = [models.Index(fields=["actual_date", "planned_date"])]

    def __str__(self):
        return f"{self.project.code} {self.name}"

    def clean(self):
        if self.actual_date and self.actual_date > timezone.localdate():
            raise ValidationError(
                {"actual_date": _("A node cannot be done in the future; leave it blank.")}
            )


class Approval(models.Model):
    """One pre-construction approval (前期手续) of a project: state, date, document number."""

    class Kind(models.TextChoices):
        PROJECT = "project", _("Project approval or filing")
        LAND = "land", _("Land use pre-review")
        PLANNING = "planning", _("Planning permit")
        ENVIRONMENT = "environment", _("Environmental assessment")
        ENERGY = "energy", _("Energy assessment")
        CONSTRUCTION = "construction", _("Construction permit")

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not applied for")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Granted")

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("approval"), max_length=16, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.NOT_STARTED
    )
    date = models.DateField(_("date granted"), null=True, blank=True)
    document_number = LineField(_("document number"), max_length=80, blank=True)

    objects = ProjectChildQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "kind"]
        verbose_name = _("approval")
        verbose_name_plural = _("approvals")
        constraints = [
            models.UniqueConstraint(fields=["project", "kind"], name="approval_once_per_project")
        ]

    def __str__(self):
        return f"{self.project.code} {self.get_kind_display()}"

    def clean(self):
        if self.status == self.Status.DONE and not self.date:
            raise ValidationError({"date": _("Give the date the approval was granted.")})
        if self.date and self.date > timezone.localdate():
            raise ValidationError({"date": _("The date granted cannot be in the future.")})
