"""A manager's own warning on a project (人工标记), one of the light's signals."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..choices import Light
from .fields import LineField
from .ledger import Project


class WarningFlag(models.Model):
    """A yellow or red light a manager puts on a project, with the reason the report shows.

    One per project; clearing it deletes the row, and the history keeps who flagged,
    changed and cleared it and why. It counts from ``since`` on, so a report of a period
    that ended before the flag reads as it did.
    """

    project = models.OneToOneField(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="warning_flag"
    )
    light = models.CharField(
        _("warning light"),
        max_length=8,
        choices=[
            (Light.YELLOW, Light.labels()[Light.YELLOW]),
            (Light.RED, Light.labels()[Light.RED]),
        ],
    )
    reason = LineField(_("reason"), max_length=100)
    since = models.DateField(_("counts from"), default=timezone.localdate)
    flagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["project__code"]
        verbose_name = _("manual warning")
        verbose_name_plural = _("manual warnings")
        constraints = [
            models.CheckConstraint(
                condition=Q(light__in=[Light.YELLOW, Light.RED]),
                name="warning_flag_yellow_or_red",
            ),
        ]

    def __str__(self):
        return f"{self.project} {self.get_light_display()}"
