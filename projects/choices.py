"""Codes and labels shared by models, selectors, filters, exports and imports: a leaf module.

It imports nothing from the app, so anything may import it without an import circle.
Page labels are translatable; file labels are the fixed Chinese the superiors' forms use,
whatever the reader's language.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProjectKind(models.TextChoices):
    """新开工 or 续建."""

    NEW = "new", _("New start")
    CONTINUING = "continuing", _("Continuing")


class SubmissionStatus(models.TextChoices):
    """Where a unit's monthly submission stands."""

    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned")


class StartStatus:
    """Codes and labels of a project's start status at a period's end."""

    CONTINUING = "continuing"
    STARTED = "started"
    EARLY = "early"
    OVERDUE = "overdue"
    NOT_DUE = "not_due"
    CHOICES = [
        (STARTED, _("Started")),
        (EARLY, _("Started early")),
        (NOT_DUE, _("Not yet due")),
        (OVERDUE, _("Overdue, not started")),
        (CONTINUING, _("Continuing")),
    ]


class Light:
    """Warning-light codes and labels; colour is never the only signal."""

    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"
    ALL = (GREEN, YELLOW, RED)
    CHOICES = [
        (GREEN, _("On track")),
        (YELLOW, _("Lagging")),
        (RED, _("Seriously behind")),
    ]


STATUS_LABELS = dict(StartStatus.CHOICES)
LIGHT_LABELS = dict(Light.CHOICES)

# Files sent upward are always in Chinese, in the wording of the superiors' forms.
KIND_FILE_LABELS = {ProjectKind.NEW: "新开工", ProjectKind.CONTINUING: "续建"}
STATUS_FILE_LABELS = {
    StartStatus.STARTED: "已开工",
    StartStatus.EARLY: "提前开工",
    StartStatus.NOT_DUE: "未到期",
    StartStatus.OVERDUE: "逾期未开工",
    StartStatus.CONTINUING: "续建",
}
LIGHT_FILE_LABELS = {
    Light.GREEN: "绿灯（正常）",
    Light.YELLOW: "黄灯（滞后）",
    Light.RED: "红灯（严重滞后）",
}
