"""The unit scoring formula (考核): weights and points, one row set by managers, with history.

The default is the office's example, documented in docs/development.md: 100 points spread
over the five rates (开工率 20, 投资完成率 40, 纳统率 20, 资金到位率 10, 按期竣工率 10, each
weight × the rate, a rate counting at most 100%), plus 5 per early start (the 延安 rule's
bonus for a new start), minus 2 per project on a red light and 1 per overdue open problem.
"""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


def _points(verbose_name, default):
    return models.DecimalField(
        verbose_name,
        max_digits=6,
        decimal_places=2,
        default=Decimal(default),
        validators=[MinValueValidator(Decimal(0))],
    )


class ScoringRule(models.Model):
    start_weight = _points(_("start rate weight (points at 100%)"), "20")
    investment_weight = _points(_("investment completion weight (points at 100%)"), "40")
    inclusion_weight = _points(_("inclusion rate weight (points at 100%)"), "20")
    funds_weight = _points(_("funds in place weight (points at 100%)"), "10")
    completion_weight = _points(_("on-time completion weight (points at 100%)"), "10")
    early_start_bonus = _points(_("bonus per early start (points)"), "5")
    red_penalty = _points(_("penalty per red project (points)"), "2")
    overdue_problem_penalty = _points(_("penalty per overdue open problem (points)"), "1")

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("unit scoring rule")
        verbose_name_plural = _("unit scoring rule")

    def __str__(self):
        return str(_("unit scoring rule"))

    @classmethod
    def current(cls) -> "ScoringRule":
        obj, _created = cls.objects.get_or_create(pk=1)
        return obj
