"""A manager's own warning on a project (人工标记): put, changed and cleared with a reason."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..choices import Light
from ..models import Project, WarningFlag
from .checks import ensure_manager, set_history


@transaction.atomic
def flag_project(
    *, actor, project: Project, light: str, reason: str, since: dt.date | None = None
) -> WarningFlag:
    """Put (or change) the project's manual warning; the report shows ``人工标记：<reason>``.

    From ``since`` (today by default): a report of a period that ended before reads as it did.
    """
    ensure_manager(actor, _("Only managers put a warning on a project."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the project is flagged.")})
    if light not in (Light.YELLOW, Light.RED):
        raise ValidationError({"light": _("A manual warning is yellow or red.")})
    flag = WarningFlag.objects.select_for_update().filter(project=project).first()
    flag = flag or WarningFlag(project=project)
    flag.light, flag.reason = light, reason
    flag.since = since or flag.since or timezone.localdate()
    flag.flagged_by = actor
    flag.full_clean()
    set_history(flag, actor, reason)
    flag.save()
    return flag


@transaction.atomic
def clear_flag(*, actor, project: Project, reason: str = "") -> bool:
    """Take the manual warning off; the history keeps who cleared it and why. False if none."""
    ensure_manager(actor, _("Only managers put a warning on a project."))
    flag = WarningFlag.objects.select_for_update().filter(project=project).first()
    if flag is None:
        return False
    set_history(flag, actor, reason)
    flag.delete()
    return True
