"""The monthly cycle: units submit a month, managers approve or return it and lock it."""

from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import permissions
from ..models import (
    MonthlyProgress,
    MonthSubmission,
    PeriodLock,
    Unit,
)
from ..periods import check_month, quarter_months
from ..permissions import LOCK_PERIODS, REVIEW_SUBMISSIONS
from .checks import month_label, set_history


def _require(actor, perm: str, message: str) -> None:
    if actor is not None and not actor.has_perm(perm):
        raise PermissionDenied(message)


@transaction.atomic
def submit_month(*, actor, unit: Unit, year: int, month: int) -> MonthSubmission:
    """A unit hands in its month (提交); its entries become read-only to its staff."""
    check_month(month)
    if actor is not None and not permissions.may(actor, "change", unit.pk):
        raise PermissionDenied(_("You can only submit your own unit's months."))
    if PeriodLock.objects.filter(year=year, month=month).exists():
        raise ValidationError(
            _("%(month)s is locked; there is nothing left to submit.")
            % {"month": month_label(year, month)},
            code="locked",
        )
    if not MonthlyProgress.objects.filter(project__unit=unit, year=year, month=month).exists():
        raise ValidationError(
            _("%(unit)s has no entries for %(month)s; there is nothing to submit.")
            % {"unit": unit, "month": month_label(year, month)},
            code="empty",
        )
    sub = (
        MonthSubmission.objects.select_for_update()
        .filter(unit=unit, year=year, month=month)
        .first()
    )
    if sub is None:
        sub = MonthSubmission(unit=unit, year=year, month=month)
    elif sub.status != MonthSubmission.Status.RETURNED:
        raise ValidationError(
            _("%(unit)s has already submitted %(month)s (%(status)s).")
            % {
                "unit": unit,
                "month": month_label(year, month),
                "status": sub.get_status_display(),
            },
            code="already_submitted",
        )
    sub.status = MonthSubmission.Status.SUBMITTED
    sub.submitted_by = actor
    sub.submitted_at = timezone.now()
    # The previous return's comment stays in the history, not on the new submission.
    sub.comment = ""
    sub.reviewed_by = None
    sub.reviewed_at = None
    sub.full_clean()
    set_history(sub, actor, "")
    sub.save()
    return sub


def _review(actor, unit, year, month, status, comment, allowed_from) -> MonthSubmission:
    _require(actor, REVIEW_SUBMISSIONS, _("Only managers can review monthly submissions."))
    # A locked month has been reported upward; its review is settled with it.
    if PeriodLock.objects.filter(year=year, month=month).exists():
        raise ValidationError(
            _("%(month)s is locked; unlock it before approving or returning a unit's month.")
            % {"month": month_label(year, month)},
            code="locked",
        )
    sub = (
        MonthSubmission.objects.select_for_update()
        .filter(unit=unit, year=year, month=month)
        .first()
    )
    if sub is None or sub.status not in allowed_from:
        raise ValidationError(
            _("%(unit)s has not submitted %(month)s, so there is nothing to review.")
            % {"unit": unit, "month": month_label(year, month)},
            code="not_submitted",
        )
    sub.status = status
    sub.comment = comment
    sub.reviewed_by = actor
    sub.reviewed_at = timezone.now()
    set_history(sub, actor, comment)
    sub.save()
    return sub


@transaction.atomic
def approve_month(*, actor, unit: Unit, year: int, month: int, comment: str = ""):
    """审核通过: the manager accepts a unit's submitted month."""
    return _review(
        actor,
        unit,
        year,
        month,
        MonthSubmission.Status.APPROVED,
        comment.strip(),
        {MonthSubmission.Status.SUBMITTED},
    )


@transaction.atomic
def return_month(*, actor, unit: Unit, year: int, month: int, comment: str):
    """退回: the month opens again for the unit, with a comment its staff see at next login."""
    if not (comment or "").strip():
        raise ValidationError(
            _("Say what the unit should correct when returning its month."), code="no_comment"
        )
    return _review(
        actor,
        unit,
        year,
        month,
        MonthSubmission.Status.RETURNED,
        comment.strip(),
        {MonthSubmission.Status.SUBMITTED, MonthSubmission.Status.APPROVED},
    )


@transaction.atomic
def lock_months(*, actor, year: int, months: Sequence[int]) -> list[PeriodLock]:
    """Close months once reported upward; locking a locked month again changes nothing."""
    _require(actor, LOCK_PERIODS, _("Only managers can lock months."))
    locks = []
    for month in months:
        check_month(month)
        lock, _created = PeriodLock.objects.get_or_create(
            year=year, month=month, defaults={"locked_by": actor}
        )
        locks.append(lock)
    return locks


def lock_month(*, actor, year: int, month: int) -> PeriodLock:
    return lock_months(actor=actor, year=year, months=[month])[0]


def lock_quarter(*, actor, year: int, quarter: int) -> list[PeriodLock]:
    return lock_months(actor=actor, year=year, months=quarter_months(quarter))


@transaction.atomic
def unlock_months(*, actor, year: int, months: Sequence[int]) -> int:
    _require(actor, LOCK_PERIODS, _("Only managers can unlock months."))
    deleted, _detail = PeriodLock.objects.filter(year=year, month__in=list(months)).delete()
    return deleted


def unlock_month(*, actor, year: int, month: int) -> int:
    return unlock_months(actor=actor, year=year, months=[month])


def unlock_quarter(*, actor, year: int, quarter: int) -> int:
    return unlock_months(actor=actor, year=year, months=quarter_months(quarter))
