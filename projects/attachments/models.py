"""A site photo of a project, for one month's progress or one node, with its thumbnail."""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from projects.late_storage import LateStorage
from projects.milestones.models import Milestone
from projects.models import MONTH_VALIDATORS, YEAR_VALIDATORS, Project, ShortNoteField
from projects.permissions import ProjectChildQuerySet

photos_storage = LateStorage("PHOTOS_STORAGE")


def photo_storage():
    return photos_storage


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Photo(models.Model):
    """One photo of the works (形象进度): re-encoded without metadata, named unguessably."""

    token = models.CharField(max_length=40, unique=True, default=new_token, editable=False)
    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(
        _("year"), null=True, blank=True, validators=YEAR_VALIDATORS
    )
    month = models.PositiveSmallIntegerField(
        _("month"), null=True, blank=True, validators=MONTH_VALIDATORS
    )
    milestone = models.ForeignKey(
        Milestone,
        verbose_name=_("node"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    image = models.FileField(storage=photo_storage, max_length=200, editable=False)
    thumbnail = models.FileField(storage=photo_storage, max_length=200, editable=False)
    content_type = models.CharField(max_length=20, editable=False)
    width = models.PositiveIntegerField(editable=False)
    height = models.PositiveIntegerField(editable=False)
    size = models.PositiveIntegerField(_("size (bytes)"), editable=False)
    taken_at = models.DateTimeField(_("taken at"), null=True, blank=True)
    caption = ShortNoteField(_("caption"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    objects = ProjectChildQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "-month", "-taken_at", "-uploaded_at"]
        verbose_name = _("site photo")
        verbose_name_plural = _("site photos")

    def __str__(self):
        return f"{self.project.code} {self.caption or self.token[:8]}"

    def clean(self):
        if (self.year is None) != (self.month is None):
            raise ValidationError(_("Give both the year and the month, or neither."))
        if self.year is None and self.milestone_id is None:
            raise ValidationError(_("Attach the photo to a month or to a node."))
        if self.milestone_id and self.milestone.project_id != self.project_id:
            raise ValidationError({"milestone": _("That node belongs to another project.")})


class LibraryDocument(models.Model):
    """One item of a project's 入库 material checklist: a stored site photo or an uploaded file.

    The statistics bureau takes a project into its library (入库) on four items; one row per
    project and item, replaced in place, so the checklist reads "present or not" per kind.
    A row holds either a photo of the project (the photo store's, with its own checks) or an
    uploaded document (PDF or picture, checked by content and re-encoded when a picture).
    """

    class Kind(models.TextChoices):
        APPROVAL = "approval", _("project approval document (立项)")
        CONTRACT = "contract", _("construction contract")
        SITE_PHOTO = "site_photo", _("site photo showing name, place, time and verifier")
        PLATFORM = "platform", _("approval platform page at 通过审批 or later")

    token = models.CharField(max_length=40, unique=True, default=new_token, editable=False)
    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("item"), max_length=16, choices=Kind.choices)
    photo = models.ForeignKey(
        Photo,
        verbose_name=_("site photo"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,  # removing the photo removes the item first (services)
        related_name="+",
    )
    document = models.FileField(storage=photo_storage, max_length=200, blank=True, editable=False)
    content_type = models.CharField(max_length=20, blank=True, editable=False)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0, editable=False)
    note = ShortNoteField(_("note"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"))

    objects = ProjectChildQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "kind"]
        verbose_name = _("入库 material")
        verbose_name_plural = _("入库 materials")
        constraints = [
            models.UniqueConstraint(fields=["project", "kind"], name="one_library_item_per_kind"),
            models.CheckConstraint(
                condition=(models.Q(photo__isnull=True) & ~models.Q(document=""))
                | (models.Q(photo__isnull=False) & models.Q(document="")),
                name="library_item_photo_or_document",
            ),
        ]

    def __str__(self):
        return f"{self.project.code} {self.get_kind_display()}"

    def clean(self):
        if self.photo_id and self.photo.project_id != self.project_id:
            raise ValidationError({"photo": _("That photo belongs to another project.")})
