"""Special campaigns (专项): tags that group projects across units, such as 老旧小区改造.

A tag may belong to a group (``TagGroup``): the city's 专班 (产业链专班, the 攻势) are tags
of a group, one tag per task force, and the report breaks down and ranks by each group's
tags. A project may be in several task forces, so their totals overlap. Tags without a
group are the 专项 campaigns the 通报 counts.

A campaign may also carry its own target, categories and monthly counts by stage
(``CampaignCount``) when most of its items are not listed projects: 45 微更新 works in 4
categories, 46 parks with their design plans done. The counts are entered by managers.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..periods import check_not_future
from .fields import MONTH_VALIDATORS, YEAR_VALIDATORS, LineField

CATEGORY_SEPARATOR = "、"


class TagGroup(models.Model):
    """A kind of task force (专班) whose tags the report breaks down by, e.g. 产业链专班."""

    name = LineField(
        _("name"),
        max_length=30,
        unique=True,
        help_text=_("As the report heads its table, e.g. 产业链专班 or 攻势."),
    )
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("task force group")
        verbose_name_plural = _("task force groups")

    def __str__(self):
        return self.name


class Tag(models.Model):
    """A special campaign (专项) such as 老旧小区改造 that groups projects across units."""

    name = LineField(
        _("name"),
        max_length=30,
        unique=True,
        help_text=_("As briefings say it before 项目, e.g. 老旧小区改造 or 断头路打通."),
    )
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)
    group = models.ForeignKey(
        TagGroup,
        verbose_name=_("task force group"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tags",
        help_text=_(
            "The 专班 group this tag is a task force of (产业链专班, 攻势); blank for a "
            "special campaign (专项) that the briefing counts."
        ),
    )
    projects = models.ManyToManyField(
        "Project", verbose_name=_("projects"), related_name="tags", blank=True
    )
    target = models.PositiveIntegerField(
        _("target number of items"),
        null=True,
        blank=True,
        help_text=_("How many items the campaign sets out to do this year; blank if none."),
    )
    categories = LineField(
        _("categories"),
        max_length=200,
        blank=True,
        help_text=_("The campaign's categories of works, separated by 、; blank if none."),
    )

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("special campaign tag")
        verbose_name_plural = _("special campaign tags")

    def __str__(self):
        return self.name

    @property
    def category_names(self) -> tuple[str, ...]:
        return category_names(self.categories)


def category_names(text: str) -> tuple[str, ...]:
    """口袋公园、街角绿地 -> ("口袋公园", "街角绿地"); a comma read as 、, blanks dropped."""
    parts = text.replace("，", CATEGORY_SEPARATOR).replace(",", CATEGORY_SEPARATOR)
    return tuple(part.strip() for part in parts.split(CATEGORY_SEPARATOR) if part.strip())


# The stages a campaign's items are counted by, in the order a briefing says them.
COUNT_STAGES = ("launched", "design_done", "started", "early", "completed")


class CampaignCount(models.Model):
    """A campaign's own counts at a month's end, when its items are not listed projects.

    Each count is the number of items at that stage by the month's end (cumulative), so a
    report reads the latest month up to its period's end.
    """

    tag = models.ForeignKey(
        Tag, verbose_name=_("special campaign"), on_delete=models.CASCADE, related_name="counts"
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    month = models.PositiveSmallIntegerField(_("month"), validators=MONTH_VALIDATORS)
    launched = models.PositiveIntegerField(_("launched (启动)"))
    design_done = models.PositiveIntegerField(_("design plans done (设计方案完成)"), default=0)
    started = models.PositiveIntegerField(_("started (开工)"), default=0)
    early = models.PositiveIntegerField(_("of which started early (提前开工)"), default=0)
    completed = models.PositiveIntegerField(_("basically complete (基本完工)"), default=0)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["tag", "year", "month"]
        verbose_name = _("campaign count")
        verbose_name_plural = _("campaign counts")
        constraints = [
            models.UniqueConstraint(
                fields=["tag", "year", "month"], name="campaign_count_one_per_month"
            )
        ]

    def __str__(self):
        return f"{self.tag} {self.year}-{self.month:02d}"

    def clean(self):
        errors = {}
        if self.year and self.month and 1 <= self.month <= 12:
            try:
                check_not_future(self.year, self.month)
            except ValidationError as exc:
                errors["month"] = exc.messages
        launched = self.launched or 0
        for stage in ("design_done", "started", "completed"):
            if (getattr(self, stage) or 0) > launched:
                errors[stage] = _("Cannot be more than the items launched (%(launched)s).") % {
                    "launched": launched
                }
        if (self.early or 0) > (self.started or 0):
            errors["early"] = _("Items started early are among those started; enter fewer.")
        if errors:
            raise ValidationError(errors)
