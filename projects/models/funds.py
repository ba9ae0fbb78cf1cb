"""Funds in place (到位资金): money that has arrived for a project, by month and source.

One row per project, year, month and source, the month's arrivals alone (never a running
total, as with monthly progress). The 资金到位率 is the year's arrivals through a period ÷
the year's planned investment (``selectors.rates``).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..permissions import ProjectChildQuerySet
from .constraints import ChecksInOneQuery
from .fields import MONTH_VALIDATORS, YEAR_VALIDATORS, amount_field, amount_in_range
from .ledger import Project


class FundSource(models.TextChoices):
    """The six sources the provincial funds table asks for, in its column order."""

    CENTRAL = "central", _("central government")
    PROVINCE = "province", _("provincial")
    CITY = "city", _("city")
    DISTRICT = "district", _("district")
    SPECIAL_BONDS = "special_bonds", _("special bonds")
    SOCIAL = "social", _("social capital")


class FundsInPlace(ChecksInOneQuery, models.Model):
    """Funds that arrived for one project in one month from one source (万元)."""

    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="funds",
        db_index=False,
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    month = models.PositiveSmallIntegerField(_("month"), validators=MONTH_VALIDATORS)
    source = models.CharField(_("source of funds"), max_length=16, choices=FundSource.choices)
    amount = amount_field(_("funds in place this month (万元)"))
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
    objects = ProjectChildQuerySet.as_manager()

    class Meta:
        ordering = ["project__code", "year", "month", "source"]
        verbose_name = _("funds in place")
        verbose_name_plural = _("funds in place")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "year", "month", "source"], name="funds_one_per_month_source"
            ),
            models.CheckConstraint(
                condition=Q(month__gte=1) & Q(month__lte=12), name="funds_month_1_12"
            ),
            models.CheckConstraint(
                condition=amount_in_range("amount"), name="funds_amount_in_range"
            ),
        ]

    def __str__(self):
        return f"{self.project_id} {self.year}-{self.month:02d} {self.get_source_display()}"
