"""The checks every write makes: who may, whether the period allows it, whether the row is stale."""

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from .. import permissions
from ..models import (
    MonthlyProgress,
    MonthSubmission,
    PeriodLock,
    Project,
    QuarterPlan,
)
from ..periods import month_text, months_crossed, quarter_months
from .period_guard import locked_for_write

Month = tuple[int, int]
# A date as stored and as it is about to be (None: no date, or no row).
DateMove = tuple[dt.date | None, dt.date | None]


def require_actor(actor) -> None:
    """Every write names the person (or the named system account) making it."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("No one is named as making this change, so it was refused."))


def can_manage_all_units(actor) -> bool:
    """Managers may write any unit's figures; nobody else, and no unnamed actor."""
    require_actor(actor)
    return permissions.can_manage_all_units(actor)


def editable_unit_ids(actor) -> set[int] | None:
    """The units an actor may write for; ``None`` means every unit."""
    require_actor(actor)
    return permissions.editable_unit_ids(actor)


def month_label(year: int, month: int) -> str:
    return month_text(year, month)


def ensure_can_edit(actor, project: Project) -> None:
    """Every write to a project's rows (ledger or dispatch) asks the one access policy."""
    require_actor(actor)
    if permissions.can(actor, "change", project):
        return
    raise PermissionDenied(
        _("%(project)s belongs to %(unit)s; you can only work on your own unit's projects.")
        % {"project": project.code, "unit": project.unit}
    )


class PlanRefused(PermissionDenied):
    """A plan write refused to someone who may only ask for a change; ``field`` is the
    first plan field it touched, so an import can point at that column."""

    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.field = field


def plan_refusal(project: Project, field: str = "") -> PlanRefused:
    return PlanRefused(
        _(
            "Plans belong to the office: %(project)s's plans, total investment and planned "
            "dates are set by a manager. Ask for the change with a plan-change request."
        )
        % {"project": project.code},
        field,
    )


def ensure_can_plan(actor, project: Project, field: str = "") -> None:
    """Setting a project's plans (and deciding requests) asks the access policy's ``plan``."""
    require_actor(actor)
    if permissions.can(actor, "plan", project):
        return
    raise plan_refusal(project, field)


def ensure_manager(actor, message: str) -> None:
    """Decisions for the whole district (assigning, closing, templates) are managers' own."""
    require_actor(actor)
    if permissions.can_manage_all_units(actor):
        return
    raise PermissionDenied(message)


def ensure_month_writable(actor, project: Project, year: int, month: int, reason: str) -> None:
    """Refuse writes to a month that is locked, or submitted/approved for the project's unit.

    Managers may still correct a locked month, but only with a reason, which is
    kept in the change history. Inside a write's transaction the month's lock is
    held before the facts are read, so a lock taken meanwhile cannot be missed.
    """
    locked = locked_for_write(year, month)
    status = None
    if not locked and not can_manage_all_units(actor):
        status = (
            MonthSubmission.objects.filter(unit_id=project.unit_id, year=year, month=month)
            .values_list("status", flat=True)
            .first()
        )
    refusal = month_refusal(actor, project, year, month, reason, locked=locked, status=status)
    if refusal is not None:
        raise refusal


def month_refusal(
    actor,
    project: Project,
    year: int,
    month: int,
    reason: str,
    *,
    locked: bool,
    status,
) -> ValidationError | None:
    """The month rule itself, on facts already read (so batch writers read them once)."""
    if locked:
        return lock_refusal(actor, year, month, reason)
    if can_manage_all_units(actor):
        return None
    if status in (MonthSubmission.Status.SUBMITTED, MonthSubmission.Status.APPROVED):
        return ValidationError(
            _(
                "%(unit)s has already submitted %(year)s-%(month)02d (%(status)s); "
                "it can be changed again only if a manager returns it."
            )
            % {
                "unit": project.unit,
                "year": year,
                "month": month,
                "status": MonthSubmission.Status(status).label,
            },
            code="submitted",
        )
    return None


def lock_refusal(actor, year: int, month: int, reason: str) -> ValidationError | None:
    """The lock rule for anything dated in a locked month, figures, photos, nodes or problems.

    Unit staff are refused; a manager may change it with a reason, which the
    caller keeps in the change history.
    """
    if can_manage_all_units(actor):
        if reason.strip():
            return None
        return ValidationError(
            _("%(year)s-%(month)02d is locked; give a reason for changing it.")
            % {"year": year, "month": month},
            code="locked_needs_reason",
        )
    return ValidationError(
        _(
            "%(year)s-%(month)02d has been reported upward and is locked; "
            "ask a manager to make the change."
        )
        % {"year": year, "month": month},
        code="locked",
    )


def ensure_months_unlocked(
    actor, months: Iterable[Month], reason: str, *, locked: set[Month] | None = None
) -> None:
    """Refuse a change to something dated in any of ``months`` that is locked.

    The earliest locked month is the one named. ``locked`` is
    ``PeriodLock.objects.locked_months()`` when a batch writer has read it already.
    """
    if locked is None:
        locked = PeriodLock.objects.locked_months()
    for year, month in sorted(set(months) & locked):
        refusal = lock_refusal(actor, year, month, reason)
        if refusal is not None:
            raise refusal
        return


def dates_locked_months(moves: Iterable[DateMove], locked: set[Month]) -> set[Month]:
    """The locked months that dates moving from old to new pass through (``months_crossed``)."""
    months: set[Month] = set()
    for old, new in moves:
        months |= months_crossed(old, new, locked)
    return months


def ensure_dates_unlocked(
    actor, moves: Iterable[DateMove], reason: str, *, locked: set[Month] | None = None
) -> None:
    """The lock rule for dated rows (nodes, problems): every (old, new) date pair it changes.

    A date moved into, out of or across a locked month changes what a report read
    at that month's end shows (a node late or done, a problem open or closed), so
    the month's lock applies. ``None`` is "no date yet": adding a date passes
    every month from it on, a new row is (None, date) and a removed one (date, None).
    """
    if locked is None:
        locked = PeriodLock.objects.locked_months()
    ensure_months_unlocked(actor, dates_locked_months(moves, locked), reason, locked=locked)


def month_closed_reason(actor, project: Project, year: int, month: int) -> str | None:
    """Why the actor may not change this project's month without more ado, or None.

    For the screens, which say why a month is read-only before anyone types.
    """
    try:
        ensure_can_edit(actor, project)
        ensure_month_writable(actor, project, year, month, reason="")
    except (PermissionDenied, ValidationError) as exc:
        return " ".join(getattr(exc, "messages", None) or [str(exc)])
    return None


def check_progress(
    *, actor, project: Project, year: int, month: int, expected_version=None, reason=""
) -> None:
    """The checks record_progress makes, for forms to show as errors before saving."""
    ensure_can_edit(actor, project)
    ensure_month_writable(actor, project, year, month, reason)
    if expected_version is not None:
        current = (
            MonthlyProgress.objects.filter(project=project, year=year, month=month)
            .values_list("version", flat=True)
            .first()
        )
        check_version(current, expected_version)


def check_plan(
    *,
    actor,
    project: Project,
    year: int,
    investment: Sequence[Decimal],
    inclusion: Sequence[Decimal],
    expected_version=None,
    reason="",
) -> None:
    """The checks save_plan makes, for forms to show as errors before saving."""
    ensure_can_plan(actor, project)
    plan = QuarterPlan.objects.filter(project=project, year=year).first() if project.pk else None
    plan_checks(actor, project, year, plan, investment, inclusion, expected_version, reason)


def lock_check(reason: str, locked_reason: str | None) -> str:
    """The reason a locked month is checked against.

    Callers that write under a reason of their own making (an import names its
    file) pass the user's own words as ``locked_reason``, so that their text
    never satisfies the lock by itself.
    """
    return reason if locked_reason is None else locked_reason


def plan_checks(actor, project, year, plan, investment, inclusion, expected_version, reason):
    check_version(plan.version if plan else None, expected_version)
    for quarter in (1, 2, 3, 4):
        new_inv, new_inc = investment[quarter - 1], inclusion[quarter - 1]
        # A new plan with figures for a closed quarter is as much a change as an edit.
        changed = (
            plan.investment(quarter) != new_inv or plan.inclusion(quarter) != new_inc
            if plan
            else bool(new_inv or new_inc)
        )
        if changed:
            for month in quarter_months(quarter):
                ensure_month_writable(actor, project, year, month, reason)


def stale_error() -> ValidationError:
    """The refusal of a save based on figures someone else has changed since."""
    return ValidationError(
        _(
            "Someone else saved this entry while you were editing it. "
            "Reload the page to see their figures, then enter yours again."
        ),
        code="stale",
    )


def check_version(current: int | None, expected: int | None) -> None:
    """Refuse a save based on a version other than the stored one (no lost updates).

    ``current`` is None when there is no stored row (never saved, or deleted since
    the form was opened); ``expected`` is None when the writer read no row, so a
    row stored meanwhile is a clash, not something to overwrite.
    """
    if expected == current:
        return
    if expected is None:
        raise clash_error()
    raise stale_error()


def clash_error() -> ValidationError:
    """The refusal of an insert where someone else has stored the same row meanwhile."""
    return ValidationError(
        _(
            "Someone else has already entered this row while you were typing. "
            "Reload the page and change their entry instead of adding a second one."
        ),
        code="stale",
    )


def save_first_or_stale(instance) -> None:
    # Two people adding the same month at once: the second insert hits the unique
    # constraint after full_clean passed; refuse it like any other stale save.
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as exc:
        if instance._state.adding:
            raise clash_error() from exc
        raise


def save_versioned(row, actor, reason: str, expected_version: int | None) -> None:
    """The tail of every versioned write: the version the writer read, the next version,
    the history's actor and reason, and an insert that meets another refused as a clash."""
    check_version(None if row._state.adding else row.version, expected_version)
    if not row._state.adding:
        row.version += 1
    set_history(row, actor, reason)
    save_first_or_stale(row)


def set_history(instance, actor, reason: str) -> None:
    # simple-history reads these when the row is saved.
    if actor is not None:
        instance._history_user = actor
    if reason:
        instance._change_reason = reason[:100]
