"""Writes of the daily work: chasing units that have not reported (催报)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from projects import events
from projects.models import Unit
from projects.periods import check_month, check_not_future, month_text
from projects.permissions import REVIEW_SUBMISSIONS
from projects.selectors.status import reporting_status


@transaction.atomic
def chase_units(*, actor, year: int, month: int) -> list[Unit]:
    """催报: tell every unit that has not submitted the month, by notice and group robot.

    Returns the units chased; none when every unit has submitted. The messages go out once
    this commits (``events.units_chased``), each naming the projects still without figures.
    """
    if actor is None or not actor.has_perm(REVIEW_SUBMISSIONS):
        raise PermissionDenied(_("Only managers chase units for their reports."))
    check_month(month)
    check_not_future(year, month)
    status = reporting_status(year, month)
    if status.locked:
        raise ValidationError(
            _("%(month)s is locked; there is nothing left to chase.")
            % {"month": month_text(year, month)},
            code="locked",
        )
    waiting = [row for row in status.units if not row.can_review]
    texts = {}
    for row in waiting:
        missing = "、".join(p.code for p in row.missing[:10])
        more = len(row.missing) - 10
        text = _("%(unit)s: %(month)s has not been submitted yet; please enter and submit it.") % {
            "unit": row.unit_name,
            "month": month_text(year, month),
        }
        if missing:
            text += _(" Projects without figures: %(codes)s") % {"codes": missing}
            if more > 0:
                text += _(" and %(count)s more") % {"count": more}
        texts[row.unit_id] = text
    units = list(Unit.objects.filter(pk__in=texts))
    if units:
        events.send_after_commit(
            events.units_chased, units=units, year=year, month=month, actor=actor, texts=texts
        )
    return units
