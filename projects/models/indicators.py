"""District indicators (区级指标): figures the district tracks beside its projects.

Counts such as 科技型中小企业入库 (enterprises registered) or 拆除超期临建 (temporary buildings
removed), each owned and entered by one unit, by month, quarter or year, with an optional
target. They live with the ledger, not in a nested app, because the 通报 (``briefing``) and
the leaders' view both read them.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..periods import check_not_future, quarter_months
from .fields import YEAR_VALIDATORS, CodeField, LineField
from .reference import Unit

# The largest count or target a form takes: far beyond any district figure, within 14 digits.
MAX_INDICATOR_VALUE = 10**11


class Frequency(models.TextChoices):
    MONTH = "month", _("monthly")
    QUARTER = "quarter", _("quarterly")
    YEAR = "year", _("yearly")


class Indicator(models.Model):
    """One indicator: what is counted, in what (家, 个, 处), how often and by which unit."""

    code = CodeField(_("code"), max_length=32, unique=True)
    name = LineField(_("indicator"), max_length=100)
    count_unit = LineField(
        _("unit of count"), max_length=10, help_text=_("What is counted in: 家, 个, 处, 亩…")
    )
    frequency = models.CharField(
        _("frequency"), max_length=8, choices=Frequency.choices, default=Frequency.MONTH
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("responsible unit"),
        on_delete=models.PROTECT,
        related_name="indicators",
        help_text=_("The unit that enters the figures; managers may enter them too."),
    )
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("district indicator")
        verbose_name_plural = _("district indicators")

    def __str__(self):
        return self.name


class IndicatorValue(models.Model):
    """An indicator's figure for one period: a month (1–12), a quarter (1–4) or the year (0).

    The figure is as of the period's end (year to date for a yearly indicator, entered as the
    year goes), so a value is dated at its period's last month for the lock rule.
    """

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="values"
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    period = models.PositiveSmallIntegerField(
        _("period"), help_text=_("Month 1–12, quarter 1–4, or 0 for the year.")
    )
    value = models.DecimalField(_("figure"), max_digits=14, decimal_places=2)
    target = models.DecimalField(
        _("target"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator", "year", "period"]
        verbose_name = _("indicator figure")
        verbose_name_plural = _("indicator figures")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year", "period"], name="indicator_value_one_per_period"
            ),
            models.CheckConstraint(
                condition=Q(value__gte=0) & (Q(target__isnull=True) | Q(target__gte=0)),
                name="indicator_value_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.indicator} {self.period_label}"

    @property
    def last_month(self) -> int:
        """The month the figure stands at: the month, the quarter's last, or December."""
        frequency = self.indicator.frequency
        if frequency == Frequency.MONTH:
            return self.period
        if frequency == Frequency.QUARTER:
            return quarter_months(self.period)[-1]
        return 12

    @property
    def first_month(self) -> int:
        frequency = self.indicator.frequency
        if frequency == Frequency.MONTH:
            return self.period
        if frequency == Frequency.QUARTER:
            return quarter_months(self.period)[0]
        return 1

    @property
    def period_label(self) -> str:
        frequency = self.indicator.frequency
        if frequency == Frequency.MONTH:
            return f"{self.year}年{self.period}月"
        if frequency == Frequency.QUARTER:
            return f"{self.year}年第{self.period}季度"
        return f"{self.year}年"

    def clean(self):
        errors = {}
        frequency = self.indicator.frequency if self.indicator_id else None
        highest = {Frequency.MONTH: 12, Frequency.QUARTER: 4, Frequency.YEAR: 0}.get(frequency)
        if highest is not None and self.period is not None:
            lowest = 0 if frequency == Frequency.YEAR else 1
            if not lowest <= self.period <= highest:
                errors["period"] = {
                    Frequency.MONTH: _("A monthly indicator's period is a month from 1 to 12."),
                    Frequency.QUARTER: _(
                        "A quarterly indicator's period is a quarter from 1 to 4."
                    ),
                    Frequency.YEAR: _("A yearly indicator has one figure a year (period 0)."),
                }[frequency]
        for name in ("value", "target"):
            amount = getattr(self, name)
            if amount is not None and not 0 <= amount < MAX_INDICATOR_VALUE:
                errors[name] = _("A figure is a count from 0 up; check for a typing mistake.")
        if not errors and self.year and self.period is not None and highest is not None:
            try:
                # A period not yet begun has nothing to count.
                check_not_future(self.year, self.first_month)
            except ValidationError as exc:
                errors["period"] = exc.messages
        if errors:
            raise ValidationError(errors)
