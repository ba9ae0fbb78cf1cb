"""Published editions: a locked period's outputs as they were sent upward, never moved."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..periods import Period
from .reference import Programme


def period_key(period: Period) -> str:
    """q1 for a quarter, m5 for January to May: one column to key an edition by."""
    return f"m{period.month}" if period.is_month else f"q{period.quarter}"


class PublishedEdition(models.Model):
    """One edition of one list's report for one period: its briefing and report, frozen.

    Locking a period publishes edition 1; a manager publishes the next with a reason.
    The files and the 通报 of a published period are rendered from ``content``
    (``selectors.snapshot``), so they are the same bytes on every download whatever
    is corrected later; corrections show beside it, read from the figures' history.
    """

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    period = models.CharField(_("period"), max_length=3)
    number = models.PositiveSmallIntegerField(_("edition"))
    published_at = models.DateTimeField(_("published at"), default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    content = models.JSONField(editable=False)
    # Names this edition's content for ever: decoded editions are kept in memory by it, and
    # an id alone can come back (a restored database, a rolled-back test).
    token = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)

    class Meta:
        ordering = ["programme", "year", "period", "-number"]
        verbose_name = _("published edition")
        verbose_name_plural = _("published editions")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "period", "number"], name="edition_one_number_per_period"
            ),
        ]

    def __str__(self):
        return f"{self.programme} {self.period} #{self.number}"
