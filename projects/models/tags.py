"""Special campaigns (专项): tags that group projects across units, such as 老旧小区改造."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .fields import LineField


class Tag(models.Model):
    """A special campaign (专项) such as 老旧小区改造 that groups projects across units."""

    name = LineField(
        _("name"),
        max_length=30,
        unique=True,
        help_text=_("As briefings say it before 项目, e.g. 老旧小区改造 or 断头路打通."),
    )
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)
    projects = models.ManyToManyField(
        "Project", verbose_name=_("projects"), related_name="tags", blank=True
    )

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("special campaign tag")
        verbose_name_plural = _("special campaign tags")

    def __str__(self):
        return self.name
