"""Reference lists: responsible units, streets, categories, leaders and programmes (项目清单)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

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
    # The street's outline on the map: a GeoJSON Polygon or MultiPolygon (WGS-84), loaded
    # from a file by ``manage.py load_streets_geojson`` (projects.geo reads and checks it).
    boundary = models.JSONField(_("boundary"), null=True, blank=True, editable=False)

    class Meta(NamedList.Meta):
        verbose_name = _("street")
        verbose_name_plural = _("streets")


class Category(NamedList):
    """A project category (项目类别) such as advanced manufacturing or urban renewal."""

    class Meta(NamedList.Meta):
        verbose_name = _("category")
        verbose_name_plural = _("categories")


class Leader(NamedList):
    """A district leader in charge of projects (包联领导), e.g. 王某某, 区委常委、副区长.

    A reference rather than free text so that projects rank and break down by leader:
    "王某某" and "王某某 " were two leaders to a report when the ledger typed the name.
    The code defaults to the name (as a named entry added from a file gets). A leader who
    leaves the post is marked not in post and keeps their projects and past reports; the
    admin's project form then offers them only on the projects they still hold.
    """

    title = LineField(
        _("post"),
        max_length=50,
        blank=True,
        help_text=_("The leader's post as briefings give it, e.g. 区委常委、副区长."),
    )
    active = models.BooleanField(
        _("in post"),
        default=True,
        help_text=_("Untick when the leader leaves the post; their projects keep the name."),
    )
    history = HistoricalRecords()

    class Meta(NamedList.Meta):
        verbose_name = _("leader in charge")
        verbose_name_plural = _("leaders in charge")

    @property
    def full_name(self) -> str:
        """王某某（区委常委、副区长）, as a briefing names a leader with a post."""
        return f"{self.name}（{self.title}）" if self.title else self.name


# GB/T 4754-2017 sections (门类), in the standard's order; migration 0009 creates them.
INDUSTRY_SECTIONS = (
    ("A", "农、林、牧、渔业"),
    ("B", "采矿业"),
    ("C", "制造业"),
    ("D", "电力、热力、燃气及水生产和供应业"),
    ("E", "建筑业"),
    ("F", "批发和零售业"),
    ("G", "交通运输、仓储和邮政业"),
    ("H", "住宿和餐饮业"),
    ("I", "信息传输、软件和信息技术服务业"),
    ("J", "金融业"),
    ("K", "房地产业"),
    ("L", "租赁和商务服务业"),
    ("M", "科学研究和技术服务业"),
    ("N", "水利、环境和公共设施管理业"),
    ("O", "居民服务、修理和其他服务业"),
    ("P", "教育"),
    ("Q", "卫生和社会工作"),
    ("R", "文化、体育和娱乐业"),
    ("S", "公共管理、社会保障和社会组织"),
    ("T", "国际组织"),
)


class Industry(NamedList):
    """A section (门类) of the national industry classification GB/T 4754, A to T.

    The twenty sections are created by migration; investment statistics group by them.
    """

    class Meta(NamedList.Meta):
        verbose_name = _("industry")
        verbose_name_plural = _("industries")


def ensure_industry_sections(using: str = "default") -> None:
    """Create whichever of the 20 sections is missing; names already stored are kept."""
    from django.db import connections

    if Industry._meta.db_table not in connections[using].introspection.table_names():
        return  # migrated back before the table existed
    stored = set(Industry.objects.using(using).values_list("code", flat=True))
    Industry.objects.using(using).bulk_create(
        Industry(code=code, name=name, sort_order=order)
        for order, (code, name) in enumerate(INDUSTRY_SECTIONS)
        if code not in stored
    )


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
