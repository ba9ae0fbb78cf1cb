"""Codes and labels shared by models, selectors, filters, exports and imports: a leaf module.

It imports nothing from the app, so anything may import it without an import circle.
Page labels are translatable; file labels are the fixed Chinese the superiors' forms use,
whatever the reader's language.
"""

from dataclasses import dataclass

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


@dataclass(frozen=True)
class Choice:
    """One code of a set with every way it is shown, declared together (as NetBox's
    ``ChoiceSet`` does): the page's translatable label, the fixed Chinese of files sent
    upward, a short form for titles, and the CSS class that colours it on pages."""

    code: str
    label: str  # lazily translated
    file_label: str
    short: str = ""
    css: str = ""


class ChoiceSet:
    """Codes as class attributes (``Light.RED``) and each code's ``Choice`` in ``choices``."""

    choices: tuple[Choice, ...] = ()

    def __init_subclass__(cls):
        super().__init_subclass__()
        cls.ALL = tuple(c.code for c in cls.choices)
        cls.CHOICES = [(c.code, c.label) for c in cls.choices]
        cls.by_code = {c.code: c for c in cls.choices}

    @classmethod
    def labels(cls) -> dict:
        return {c.code: c.label for c in cls.choices}

    @classmethod
    def file_labels(cls) -> dict[str, str]:
        return {c.code: c.file_label for c in cls.choices}

    @classmethod
    def short_labels(cls) -> dict[str, str]:
        return {c.code: c.short or c.file_label for c in cls.choices}


class StartStatus(ChoiceSet):
    """Codes and labels of a project's start status at a period's end."""

    CONTINUING = "continuing"
    STARTED = "started"
    EARLY = "early"
    OVERDUE = "overdue"
    NOT_DUE = "not_due"
    choices = (
        Choice(STARTED, _("Started"), "已开工"),
        Choice(EARLY, _("Started early"), "提前开工"),
        Choice(NOT_DUE, _("Not yet due"), "未到期"),
        Choice(OVERDUE, _("Overdue, not started"), "逾期未开工"),
        Choice(CONTINUING, _("Continuing"), "续建"),
    )


class Light(ChoiceSet):
    """Warning-light codes and labels; colour is never the only signal."""

    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"
    choices = (
        Choice(GREEN, _("On track"), "绿灯（正常）", "绿灯", "light-green"),
        Choice(YELLOW, _("Lagging"), "黄灯（滞后）", "黄灯", "light-yellow"),
        Choice(RED, _("Seriously behind"), "红灯（严重滞后）", "红灯", "light-red"),
    )


class ProgressStyle(models.TextChoices):
    """How a project's investment is judged against the calendar (时序进度 = months ÷ 12)."""

    # 银川: yellow 10–30 points behind the time elapsed, red more than 30 behind.
    POINTS = "points", _("Points behind the time elapsed")
    # 武汉: annual completion ÷ time elapsed below 80% yellow, below 60% red.
    RATIO = "ratio", _("Share of the time elapsed")
    # The tracker's first rule: the year-to-date plan's completion rate below the cut-offs.
    PLAN = "plan", _("Year-to-date plan completion rate")


class Reason:
    """The codes of a light's reasons (``LightReason.code``), as the JSON rows give them."""

    START_LATE = "start_late"
    BEHIND_TIME = "behind_time"
    NOT_IN_STATS = "not_in_stats"
    NODE_OVERDUE = "node_overdue"
    MANUAL = "manual"


STATUS_LABELS = StartStatus.labels()
LIGHT_LABELS = Light.labels()

# Files sent upward are always in Chinese, in the wording of the superiors' forms.
KIND_FILE_LABELS = {ProjectKind.NEW: "新开工", ProjectKind.CONTINUING: "续建"}
STATUS_FILE_LABELS = StartStatus.file_labels()
LIGHT_FILE_LABELS = Light.file_labels()

# Said under every table of 专班 (page, print view, files, 通报): a project may be in several
# task forces, so their rows overlap and have no 合计 of their own.
TASK_FORCE_OVERLAP_NOTE = (
    "注：同一项目可同时列入多个专班，各专班数据有交叉重叠，不能相加，也不计入全区合计。"
)
