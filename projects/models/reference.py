"""Reference lists: responsible units, streets, categories and programmes (项目清单)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..permissions import UnitQuerySet
from .fields import YEAR_VALIDATORS, CodeField, LineField


class NamedList(models.Model):
    code = CodeField(_("code"), max_length=32, unique=True)
    name = LineField(_("name"), max_length=100, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        abstract = True
        ordering = ["sort_order", "code"]

    def __str__(self):
        return self.name


class Unit(NamedList):
    """A responsible unit (责任单位): a department or street office answerable for projects."""

    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff accounts"),
        related_name="units",
        blank=True,
        help_text=_("Unit staff who enter progress for this unit's projects."),
    )

    objects = UnitQuerySet.as_manager()

    class Meta(NamedList.Meta):
        verbose_name = _("responsible unit")
        verbose_name_plural = _("responsible units")


class Street(NamedList):
    """A street or town (街道) of the district where projects sit."""

    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("street office accounts"),
        related_name="streets",
        blank=True,
        help_text=_("Street viewers who read this street's projects."),
    )

    class Meta(NamedList.Meta):
        verbose_name = _("street")
        verbose_name_plural = _("streets")


class Category(NamedList):
    """A project category (项目类别) such as advanced manufacturing or urban renewal."""

    class Meta(NamedList.Meta):
        verbose_name = _("category")
        verbose_name_plural = _("categories")


class Programme(models.Model):
    """A named list of key projects for one year (项目清单), e.g. 2024年市级攻坚项目."""

    code = CodeField(_("code"), max_length=32, unique=True)
    name = LineField(_("name"), max_length=100)
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    previous = models.ForeignKey(
        "self",
        verbose_name=_("previous year's list"),
        help_text=_("The same list a year earlier (上年同口径), for year-on-year figures."),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-year", "code"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self):
        return self.name

    def clean(self):
        if self.previous_id and self.previous_id == self.pk:
            raise ValidationError({"previous": _("A list cannot be its own previous year.")})
