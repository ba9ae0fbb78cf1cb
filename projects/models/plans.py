"""Plan-change requests (计划调整申请): a unit asks, the office decides.

Plans belong to the office (``permissions`` action ``plan``); unit staff ask for a
change with the new figures and a reason, and a manager approves it (the plan
changes through ``services.save_plan``/``save_project``) or refuses it with a reason.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..permissions import ProjectChildQuerySet
from .constraints import ChecksInOneQuery
from .fields import YEAR_VALIDATORS, NoteField, amount_field, amount_in_range
from .ledger import PLAN_AMOUNT_FIELDS, Project

# The project's own plan fields a request may also change; blank keeps the stored one.
REQUEST_PROJECT_FIELDS = ("total_investment", "planned_start", "planned_completion")


class PlanChangeRequest(ChecksInOneQuery, models.Model):
    """One unit's request to change a project's plan for a year."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        APPROVED = "approved", _("approved")
        REFUSED = "refused", _("refused")

    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="plan_requests",
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
    total_investment = models.DecimalField(
        _("total investment (万元)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    planned_completion = models.DateField(_("planned completion"), null=True, blank=True)
    reason = NoteField(_("reason for the change"))
    # The plan as it stood when the request was made (figures as text, dates ISO):
    # approving a request whose plan has changed since would undo that change unseen.
    previous = models.JSONField(_("plan when requested"), default=dict, editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = NoteField(_("manager's note"), blank=True)

    history = HistoricalRecords()
    objects = ProjectChildQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("plan-change request")
        verbose_name_plural = _("plan-change requests")
        constraints = [
            # One open request per plan: a second would be decided against a moving target.
            models.UniqueConstraint(
                fields=["project", "year"],
                condition=Q(status="pending"),
                name="plan_request_one_pending_per_plan",
            ),
            *[
                models.CheckConstraint(
                    condition=amount_in_range(f), name=f"plan_request_{f}_in_range"
                )
                for f in PLAN_AMOUNT_FIELDS
            ],
        ]

    def __str__(self):
        return f"{self.project.code} {self.year} #{self.pk}"

    def figures(self) -> dict:
        return {name: getattr(self, name) for name in PLAN_AMOUNT_FIELDS}

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING
