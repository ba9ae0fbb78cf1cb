"""The monthly cycle: units submit a month, managers approve or return it and lock it."""

from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import events, permissions
from ..models import (
    DispatchSettings,
    ListThresholds,
    MonthlyProgress,
    MonthSubmission,
    PeriodLock,
    Project,
    Unit,
)
from ..periods import check_month, check_not_future, quarter_months
from ..permissions import LOCK_PERIODS, REVIEW_SUBMISSIONS
from .checks import ensure_manager, month_label, set_history
from .editions import publish_locked_periods
from .light_history import record_lights
from .period_guard import close_months


def _require(actor, perm: str, message: str) -> None:
    # Reviews and locks are a named person's decision: there is no system default.
    if actor is None or not actor.has_perm(perm):
        raise PermissionDenied(message)


@transaction.atomic
def submit_month(*, actor, unit: Unit, year: int, month: int) -> MonthSubmission:
    """A unit hands in its month (提交); its entries become read-only to its staff."""
    check_month(month)
    check_not_future(year, month)
    if actor is not None and not permissions.reaches_unit(actor, "change", unit.pk):
        raise PermissionDenied(_("You can only submit your own unit's months."))
    # Saves to the month check its submission: they finish first or see it.
    close_months([(year, month)], whole_ledger=False)
    if PeriodLock.objects.locked(year, month):
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
    close_months([(year, month)], whole_ledger=False)
    # A locked month has been reported upward; its review is settled with it.
    if PeriodLock.objects.locked(year, month):
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
    events.send_after_commit(events.month_reviewed, submission=sub, actor=actor)
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


# simple-history keeps a change reason of at most 100 characters.
REASON_MAX_LENGTH = 100


def _lock_reason(reason: str, *, required: bool, message: str) -> str:
    reason = (reason or "").strip()
    if required and not reason:
        raise ValidationError(message, code="no_reason")
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            _("Keep the reason to %(limit)s characters or fewer.") % {"limit": REASON_MAX_LENGTH},
            code="reason_too_long",
        )
    return reason


@transaction.atomic
def lock_months(*, actor, year: int, months: Sequence[int], reason: str = "") -> list[PeriodLock]:
    """Close months once reported upward; locking a locked month again changes nothing.

    Each new lock is kept in the lock history with the actor and ``reason``.
    """
    _require(actor, LOCK_PERIODS, _("Only managers can lock months."))
    for month in months:
        check_month(month)
    # The months' write locks first: saves under way commit before the lock row does,
    # and saves arriving later wait, then read it and are refused (period_guard.py).
    close_months([(year, month) for month in months])
    reason = check_lockable(year=year, months=months, reason=reason)
    waiting = units_not_approved(year, months)
    locks, new = [], []
    for month in months:
        lock = PeriodLock.objects.of_month(year, month).first()
        if lock is None:
            lock = PeriodLock(
                year=year,
                month=month,
                locked_by=actor,
                units_waiting=waiting.get(month, 0),
                reason=reason,
            )
            set_history(lock, actor, reason)
            lock.save()
            new.append(month)
        locks.append(lock)
    if new:
        # Each month's lights are kept first, so the editions' turned-red lists read them.
        record_lights(actor=actor, year=year, months=new)
        # What is locked is what goes upward: its outputs are stored as edition 1 now.
        publish_locked_periods(actor=actor, year=year, months=new)
        events.send_after_commit(events.months_locked, year=year, months=new, actor=actor)
    return locks


def check_lockable(*, year: int, months: Sequence[int], reason: str = "") -> str:
    """Every rule a lock must pass, before anything is written; returns the cleaned reason.

    The status page, its confirmation and the admin's lock form all ask this one function.
    """
    reason = _lock_reason(reason, required=False, message="")
    for month in months:
        check_month(month)
        # A month not yet begun has nothing to report upward; its lock would only block entry.
        check_not_future(year, month)
    waiting = units_not_approved(year, months)
    if waiting and not reason:
        # Figures locked before every unit is approved go upward incomplete: say why.
        raise ValidationError(
            _(
                "%(count)s units' months are not approved yet (%(months)s); "
                "give a reason to lock them anyway."
            )
            % {
                "count": max(waiting.values()),
                "months": "、".join(month_label(year, m) for m in sorted(waiting)),
            },
            code="incomplete",
        )
    return reason


def units_not_approved(year: int, months: Sequence[int]) -> dict[int, int]:
    """Months (among ``months``) with units not yet approved, and how many, in two queries."""
    total = Project.objects.units_reporting(year)
    counts = MonthSubmission.objects.counts_by_month(year, months)
    waiting = {
        month: total - counts[month].get(MonthSubmission.Status.APPROVED, 0) for month in months
    }
    return {month: n for month, n in waiting.items() if n > 0}


def lock_month(*, actor, year: int, month: int, reason: str = "") -> PeriodLock:
    return lock_months(actor=actor, year=year, months=[month], reason=reason)[0]


def lock_quarter(*, actor, year: int, quarter: int, reason: str = "") -> list[PeriodLock]:
    return lock_months(actor=actor, year=year, months=quarter_months(quarter), reason=reason)


@transaction.atomic
def unlock_months(*, actor, year: int, months: Sequence[int], reason: str) -> int:
    """Open locked months again: figures reported upward may change, so say why."""
    _require(actor, LOCK_PERIODS, _("Only managers can unlock months."))
    reason = _lock_reason(
        reason,
        required=True,
        message=_("Say why the months are unlocked: their figures were reported upward."),
    )
    close_months([(year, month) for month in months])
    unlocked = 0
    # One by one, so that the history records each month with its actor and reason.
    for lock in PeriodLock.objects.select_for_update().filter(year=year, month__in=list(months)):
        set_history(lock, actor, reason)
        lock.delete()
        unlocked += 1
    return unlocked


def unlock_month(*, actor, year: int, month: int, reason: str) -> int:
    return unlock_months(actor=actor, year=year, months=[month], reason=reason)


def unlock_quarter(*, actor, year: int, quarter: int, reason: str) -> int:
    return unlock_months(actor=actor, year=year, months=quarter_months(quarter), reason=reason)


@transaction.atomic
def save_dispatch_settings(*, actor, values: DispatchSettings) -> DispatchSettings:
    ensure_manager(actor, _("Only managers change the dispatch settings."))
    values.pk = 1
    values.full_clean()
    set_history(values, actor, "")
    values.save()
    return values


@transaction.atomic
def save_list_thresholds(*, actor, values: ListThresholds) -> ListThresholds:
    """A list's own light thresholds (blank = the district's), with the actor in history."""
    ensure_manager(actor, _("Only managers change a list's thresholds."))
    values.full_clean()
    set_history(values, actor, "")
    values.save()
    return values
