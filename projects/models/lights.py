"""A project's light as it stood at the end of each locked month (亮灯历史)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import Light
from .fields import MONTH_VALIDATORS, YEAR_VALIDATORS
from .ledger import Project


class LightRecord(models.Model):
    """The light and its reasons for January to ``month`` (1—M月), kept when the month locks.

    Written with the month's lock (``services.light_history``), as the month's edition is
    published: a correction made after the lock does not move it, since the light went
    upward with the edition; publishing the month's next edition rewrites it with that
    edition's lights. ``reasons`` is a list of ``{"code", "light", "text", "since"}`` in the
    report's words (``selectors.lights.reasons_of``); green has none.
    """

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(validators=YEAR_VALIDATORS)
    month = models.PositiveSmallIntegerField(validators=MONTH_VALIDATORS)
    light = models.CharField(_("warning light"), max_length=8, choices=Light.CHOICES)
    reasons = models.JSONField(default=list, blank=True)
    # The edition of 1—M月 whose lights these are: 1 at the lock, the next when republished.
    edition = models.PositiveSmallIntegerField(default=1)
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["project", "year", "month"]
        verbose_name = _("light record")
        verbose_name_plural = _("light records")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "year", "month"], name="light_record_one_per_month"
            ),
        ]
        indexes = [models.Index(fields=["year", "month"])]

    def __str__(self):
        return f"{self.project_id} {self.year}-{self.month:02d} {self.light}"
