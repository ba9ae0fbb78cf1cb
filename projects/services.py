"""Every write to the ledger goes through here.

The admin, the ledger importers and any later form or API call these
functions, so permissions, period state, validation, optimistic version
checks and change history are applied the same way whatever the door.
``actor`` is the user making the change; ``None`` means the system itself
(a management command run by an operator), which is trusted.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from .models import (
    MonthlyProgress,
    MonthSubmission,
    PeriodLock,
    Programme,
    Project,
    QuarterPlan,
    ShareLink,
    Unit,
)
from .periods import check_month, quarter_months

MANAGE_ALL_UNITS = "projects.manage_all_units"
REVIEW_SUBMISSIONS = "projects.review_submissions"
LOCK_PERIODS = "projects.lock_periods"


def can_manage_all_units(actor) -> bool:
    """Managers (and the system) may write any unit's figures."""
    return actor is None or actor.has_perm(MANAGE_ALL_UNITS)


def editable_unit_ids(actor) -> set[int] | None:
    """The units an actor may write for; ``None`` means every unit."""
    if can_manage_all_units(actor):
        return None
    return set(actor.units.values_list("pk", flat=True))


def ensure_can_edit(actor, project: Project) -> None:
    unit_ids = editable_unit_ids(actor)
    if unit_ids is not None and project.unit_id not in unit_ids:
        raise PermissionDenied(
            _("%(project)s belongs to %(unit)s; you can only enter figures for your own unit.")
            % {"project": project.code, "unit": project.unit}
        )


def ensure_month_writable(
    actor, project: Project, year: int, month: int, reason: str, *, strict: bool = False
) -> None:
    """Refuse writes to a month that is locked, or submitted/approved for the project's unit.

    Managers may still correct a locked month, but only with a reason, which is
    kept in the change history. ``strict`` asks the system itself for one too.
    """
    locked = PeriodLock.objects.filter(year=year, month=month).exists()
    status = None
    if not locked and not can_manage_all_units(actor):
        status = (
            MonthSubmission.objects.filter(unit_id=project.unit_id, year=year, month=month)
            .values_list("status", flat=True)
            .first()
        )
    refusal = month_refusal(
        actor, project, year, month, reason, locked=locked, status=status, strict=strict
    )
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
    strict: bool = False,
) -> ValidationError | None:
    """The month rule itself, on facts already read (so batch writers read them once)."""
    if can_manage_all_units(actor):
        if locked and (actor is not None or strict) and not reason.strip():
            return ValidationError(
                _("%(year)s-%(month)02d is locked; give a reason for changing it.")
                % {"year": year, "month": month},
                code="locked_needs_reason",
            )
        return None
    if locked:
        return ValidationError(
            _(
                "%(year)s-%(month)02d has been reported upward and is locked; "
                "ask a manager to make the change."
            )
            % {"year": year, "month": month},
            code="locked",
        )
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
    ensure_can_edit(actor, project)
    plan = QuarterPlan.objects.filter(project=project, year=year).first() if project.pk else None
    _plan_checks(actor, project, year, plan, investment, inclusion, expected_version, reason)


def _lock_check(reason: str, locked_reason: str | None) -> tuple[str, bool]:
    """The reason a locked month is checked against, and whether the system needs one too.

    Callers that write under a reason of their own making (an import names its
    file) pass the user's words as ``locked_reason``, so that their own text
    never satisfies the lock by itself; such writes need it even from the system.
    """
    if locked_reason is None:
        return reason, False
    return locked_reason, True


def _plan_checks(
    actor, project, year, plan, investment, inclusion, expected_version, reason, strict=False
):
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
                ensure_month_writable(actor, project, year, month, reason, strict=strict)


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

    ``current`` is None when the row was deleted after the form was opened.
    """
    if expected is not None and expected != current:
        raise stale_error()


def _save_first_or_stale(instance) -> None:
    # Two people adding the same month at once: the second insert hits the unique
    # constraint after full_clean passed; refuse it like any other stale save.
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as exc:
        if instance._state.adding:
            raise stale_error() from exc
        raise


def _set_history(instance, actor, reason: str) -> None:
    # simple-history reads these when the row is saved.
    if actor is not None:
        instance._history_user = actor
    if reason:
        instance._change_reason = reason[:100]


@transaction.atomic
def record_progress(
    *,
    actor,
    project: Project,
    year: int,
    month: int,
    investment: Decimal,
    inclusion: Decimal,
    image_progress: str = "",
    problems: str = "",
    expected_version: int | None = None,
    reason: str = "",
) -> MonthlyProgress:
    """Create or update the one progress entry of a project for a month."""
    ensure_can_edit(actor, project)
    ensure_month_writable(actor, project, year, month, reason)
    entry = (
        MonthlyProgress.objects.select_for_update()
        .filter(project=project, year=year, month=month)
        .first()
    )
    if entry is None:
        check_version(None, expected_version)
        entry = MonthlyProgress(project=project, year=year, month=month)
    else:
        check_version(entry.version, expected_version)
        entry.version += 1
    entry.investment = investment
    entry.inclusion = inclusion
    entry.image_progress = image_progress or ""
    entry.problems = problems or ""
    entry.updated_by = actor
    entry.full_clean()
    _set_history(entry, actor, reason)
    _save_first_or_stale(entry)
    # The project's current image progress follows its latest monthly report.
    _refresh_project_image_progress(project)
    return entry


def _refresh_project_image_progress(project: Project) -> None:
    latest = (
        MonthlyProgress.objects.filter(project=project)
        .exclude(image_progress="")
        .order_by("-year", "-month")
        .values_list("image_progress", flat=True)
        .first()
    )
    if latest and latest != project.image_progress:
        Project.objects.filter(pk=project.pk).update(image_progress=latest)
        project.image_progress = latest


@transaction.atomic
def delete_progress(*, actor, entry: MonthlyProgress, reason: str = "") -> None:
    ensure_can_edit(actor, entry.project)
    ensure_month_writable(actor, entry.project, entry.year, entry.month, reason)
    _set_history(entry, actor, reason)
    entry.delete()


@transaction.atomic
def save_plan(
    *,
    actor,
    project: Project,
    year: int,
    investment: Sequence[Decimal],
    inclusion: Sequence[Decimal],
    expected_version: int | None = None,
    reason: str = "",
    locked_reason: str | None = None,
) -> QuarterPlan:
    """Create or update a project's quarterly plan for a year (four quarters each)."""
    if len(investment) != 4 or len(inclusion) != 4:
        raise ValueError("a plan has exactly four quarters")
    ensure_can_edit(actor, project)
    # A plan row spans the year; a locked month freezes its quarter's figures.
    plan = QuarterPlan.objects.select_for_update().filter(project=project, year=year).first()
    lock_reason, strict = _lock_check(reason, locked_reason)
    _plan_checks(
        actor, project, year, plan, investment, inclusion, expected_version, lock_reason, strict
    )
    if plan is None:
        plan = QuarterPlan(project=project, year=year)
    else:
        plan.version += 1
    for quarter in (1, 2, 3, 4):
        setattr(plan, f"investment_q{quarter}", investment[quarter - 1])
        setattr(plan, f"inclusion_q{quarter}", inclusion[quarter - 1])
    plan.full_clean()
    _set_history(plan, actor, reason)
    _save_first_or_stale(plan)
    return plan


@transaction.atomic
def delete_plan(*, actor, plan: QuarterPlan, reason: str = "") -> None:
    """Managers only; a plan whose quarters include a locked month needs a reason."""
    if not can_manage_all_units(actor):
        raise PermissionDenied(_("Only managers can delete quarterly plans."))
    for quarter in (1, 2, 3, 4):
        if plan.investment(quarter) or plan.inclusion(quarter):
            for month in quarter_months(quarter):
                ensure_month_writable(actor, plan.project, plan.year, month, reason)
    _set_history(plan, actor, reason)
    plan.delete()


@transaction.atomic
def save_project(
    *,
    actor,
    project: Project,
    expected_version: int | None = None,
    reason: str = "",
    locked_reason: str | None = None,
) -> Project:
    """Create or update a project's ledger fields.

    Unit staff may change their own projects' details but not create projects
    or move one to another unit.
    """
    stored = (
        Project.objects.select_for_update().filter(pk=project.pk).first() if project.pk else None
    )
    if stored is None:
        # A new project, or one brought back from its history after deletion.
        if not can_manage_all_units(actor):
            raise PermissionDenied(_("Only managers can add projects to a list."))
        check_version(None, expected_version if project.pk is None else None)
    else:
        ensure_can_edit(actor, stored)
        if stored.unit_id != project.unit_id and not can_manage_all_units(actor):
            raise PermissionDenied(_("Only managers can move a project to another unit."))
        check_version(stored.version, expected_version)
        _ensure_dates_writable(actor, stored, project, *_lock_check(reason, locked_reason))
        project.version = stored.version + 1
    project.full_clean()
    _set_history(project, actor, reason)
    project.save()
    return project


# Dates that decide which period counts a project as started or included in statistics.
PERIOD_DATES = ("planned_start", "actual_start", "statistics_entry_date")


def _ensure_dates_writable(
    actor, stored: Project, project: Project, reason: str, strict: bool = False
) -> None:
    """Moving a start or inclusion date into or out of a closed month changes that month."""
    for name in PERIOD_DATES:
        old, new = getattr(stored, name), getattr(project, name)
        if old == new:
            continue
        for day in {d for d in (old, new) if d is not None}:
            ensure_month_writable(actor, stored, day.year, day.month, reason, strict=strict)


def _locked_months_of(project: Project) -> list[tuple[int, int]]:
    """The locked months whose figures would change if the project went away."""
    months = set(project.progress.values_list("year", "month"))
    for plan in project.plans.all():
        for quarter in (1, 2, 3, 4):
            if plan.investment(quarter) or plan.inclusion(quarter):
                months.update((plan.year, month) for month in quarter_months(quarter))
    if not months:
        return []
    years = {year for year, _month in months}
    locked = set(PeriodLock.objects.filter(year__in=years).values_list("year", "month"))
    return sorted(months & locked)


@transaction.atomic
def delete_project(*, actor, project: Project, reason: str = "") -> None:
    """Managers only: a project's deletion stays recoverable from its history.

    Plans and progress are deleted one by one first, so each deletion is in the
    history under the same user and reason and can be restored with the project.
    ``reason`` is the user's own: a project with figures in a locked month is
    deleted only with one, because the reported quarter changes with it.
    """
    if not can_manage_all_units(actor):
        raise PermissionDenied(_("Only managers can delete projects."))
    reason = (reason or "").strip()
    locked = _locked_months_of(project)
    if locked and not reason:
        raise ValidationError(
            _(
                "%(project)s has figures in locked months (%(months)s); "
                "give a reason for deleting it."
            )
            % {
                "project": project.code,
                "months": ", ".join(_month_label(year, month) for year, month in locked),
            },
            code="locked_needs_reason",
        )
    reason = reason or _("project deleted")
    for child in [*project.plans.all(), *project.progress.all()]:
        _set_history(child, actor, reason)
        child.delete()
    _set_history(project, actor, reason)
    project.delete()


# Children deleted within this time before their project count as deleted with it.
RESTORE_WINDOW = dt.timedelta(minutes=5)


@transaction.atomic
def restore_project(*, actor, project_id: int, reason: str = "") -> Project:
    """Managers only: bring back a deleted project with the plans and progress deleted with it."""
    if not can_manage_all_units(actor):
        raise PermissionDenied(_("Only managers can restore projects."))
    if Project.objects.filter(pk=project_id).exists():
        raise ValidationError(_("This project has not been deleted."), code="not_deleted")
    last = Project.history.filter(id=project_id).order_by("-history_date", "-history_id").first()
    if last is None or last.history_type != "-":
        raise ValidationError(_("There is no deleted project to restore."), code="no_history")
    project = last.instance
    project.version += 1
    project.full_clean()
    _set_history(project, actor, reason)
    project.save(force_insert=True)
    for model in (QuarterPlan, MonthlyProgress):
        latest: dict[int, object] = {}
        for rec in model.history.filter(project_id=project_id).order_by(
            "history_date", "history_id"
        ):
            latest[rec.id] = rec
        for rec in latest.values():
            if (
                rec.history_type == "-"
                and rec.history_user_id == last.history_user_id
                and last.history_date - RESTORE_WINDOW <= rec.history_date <= last.history_date
            ):
                child = rec.instance
                _set_history(child, actor, reason)
                child.save(force_insert=True)
    return project


# Monthly submission, review and locks --------------------------------------------------------


def _require(actor, perm: str, message: str) -> None:
    if actor is not None and not actor.has_perm(perm):
        raise PermissionDenied(message)


def _month_label(year: int, month: int) -> str:
    return f"{year}-{month:02d}"


@transaction.atomic
def submit_month(*, actor, unit: Unit, year: int, month: int) -> MonthSubmission:
    """A unit hands in its month (提交); its entries become read-only to its staff."""
    check_month(month)
    unit_ids = editable_unit_ids(actor)
    if unit_ids is not None and unit.pk not in unit_ids:
        raise PermissionDenied(_("You can only submit your own unit's months."))
    if PeriodLock.objects.filter(year=year, month=month).exists():
        raise ValidationError(
            _("%(month)s is locked; there is nothing left to submit.")
            % {"month": _month_label(year, month)},
            code="locked",
        )
    if not MonthlyProgress.objects.filter(project__unit=unit, year=year, month=month).exists():
        raise ValidationError(
            _("%(unit)s has no entries for %(month)s; there is nothing to submit.")
            % {"unit": unit, "month": _month_label(year, month)},
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
                "month": _month_label(year, month),
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
    _set_history(sub, actor, "")
    sub.save()
    return sub


def _review(actor, unit, year, month, status, comment, allowed_from) -> MonthSubmission:
    _require(actor, REVIEW_SUBMISSIONS, _("Only managers can review monthly submissions."))
    # A locked month has been reported upward; its review is settled with it.
    if PeriodLock.objects.filter(year=year, month=month).exists():
        raise ValidationError(
            _("%(month)s is locked; unlock it before approving or returning a unit's month.")
            % {"month": _month_label(year, month)},
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
            % {"unit": unit, "month": _month_label(year, month)},
            code="not_submitted",
        )
    sub.status = status
    sub.comment = comment
    sub.reviewed_by = actor
    sub.reviewed_at = timezone.now()
    _set_history(sub, actor, comment)
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


def create_share_link(
    *,
    actor,
    programme: Programme,
    year: int,
    quarter: int,
    fmt: str,
    expires_at,
    recipient: str = "",
) -> ShareLink:
    """A manager's expiring link to one period's export for someone without an account."""
    if not can_manage_all_units(actor):
        raise PermissionDenied(_("Only managers can share exports."))
    link = ShareLink(
        programme=programme,
        year=year,
        quarter=quarter,
        format=fmt,
        recipient=recipient,
        created_by=actor,
        expires_at=expires_at,
    )
    link.full_clean()
    link.save()
    return link


def revoke_share_link(*, actor, link: ShareLink) -> None:
    if not can_manage_all_units(actor):
        raise PermissionDenied(_("Only managers can revoke share links."))
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at"])


def record_share_download(*, link: ShareLink, ip_address: str | None, user_agent: str) -> None:
    link.downloads.create(ip_address=ip_address or None, user_agent=user_agent[:300])


@transaction.atomic
def create_named_entry(*, actor, model, name: str, year: int | None = None, reason: str = ""):
    """Managers only: add a programme, unit, street or category named in an imported ledger.

    The code is the name itself when it fits and is free, so the admin lists
    read naturally; otherwise a numbered code is chosen.
    """
    if not can_manage_all_units(actor):
        raise PermissionDenied(
            _("Only managers can add “%(name)s” as a new %(kind)s.")
            % {"name": name, "kind": model._meta.verbose_name}
        )
    max_length = model._meta.get_field("code").max_length
    code = name[:max_length]
    number = model.objects.count() + 1
    while model.objects.filter(code=code).exists():
        code = f"{name[: max_length - 6]}-{number:05d}"
        number += 1
    entry = model(code=code, name=name)
    if year is not None and hasattr(entry, "year"):
        entry.year = year
    entry.full_clean()
    _set_history(entry, actor, reason)
    entry.save()
    return entry


@dataclass(frozen=True)
class ProgressInput:
    """One month's figures for one project, as ``record_progress`` takes them."""

    project: Project
    year: int
    month: int
    investment: Decimal
    inclusion: Decimal
    image_progress: str = ""
    problems: str = ""
    expected_version: int | None = None


@transaction.atomic
def record_progress_batch(
    *,
    actor,
    entries: Sequence[ProgressInput],
    reason: str = "",
    locked_reason: str | None = None,
) -> dict[int, Exception]:
    """``record_progress`` for many entries at once (file imports), in a fixed number of queries.

    The same rules apply entry by entry: unit scoping, locked and submitted
    months, version checks and the model's validation. Refusals come back by
    the entry's index; when there is any, nothing is written.
    """
    refusals: dict[int, Exception] = {}
    if not entries:
        return refusals
    lock_reason, strict = _lock_check(reason, locked_reason)
    unit_ids = editable_unit_ids(actor)
    months = {(e.year, e.month) for e in entries}
    years = {year for year, _month in months}
    locked = {
        (year, month)
        for year, month in PeriodLock.objects.filter(year__in=years).values_list("year", "month")
    }
    statuses = {}
    if unit_ids is not None:
        statuses = {
            (unit_id, year, month): status
            for unit_id, year, month, status in MonthSubmission.objects.filter(
                year__in=years, unit_id__in=unit_ids
            ).values_list("unit_id", "year", "month", "status")
        }
    project_ids = {e.project.pk for e in entries}
    stored = {
        (m.project_id, m.year, m.month): m
        for m in MonthlyProgress.objects.select_for_update().filter(
            project_id__in=project_ids, year__in=years
        )
    }
    seen: set[tuple[int, int, int]] = set()
    to_create, to_update = [], []
    for index, item in enumerate(entries):
        project = item.project
        try:
            if unit_ids is not None and project.unit_id not in unit_ids:
                ensure_can_edit(actor, project)
            refusal = month_refusal(
                actor,
                project,
                item.year,
                item.month,
                lock_reason,
                locked=(item.year, item.month) in locked,
                status=statuses.get((project.unit_id, item.year, item.month)),
                strict=strict,
            )
            if refusal is not None:
                raise refusal
            key = (project.pk, item.year, item.month)
            if key in seen:
                raise ValidationError(
                    _("%(project)s appears twice for %(year)s-%(month)02d.")
                    % {"project": project.code, "year": item.year, "month": item.month},
                    code="unique_together",
                )
            seen.add(key)
            entry = stored.get(key)
            if entry is None:
                entry = MonthlyProgress(project=project, year=item.year, month=item.month)
            else:
                check_version(entry.version, item.expected_version)
                entry.version += 1
            entry.investment = item.investment
            entry.inclusion = item.inclusion
            entry.image_progress = item.image_progress or ""
            entry.problems = item.problems or ""
            entry.updated_by = actor
            # The project is a loaded row, uniqueness was checked above and the
            # database constraints repeat the field validators, so skip their queries.
            entry.full_clean(exclude=["project"], validate_unique=False, validate_constraints=False)
        except (ValidationError, PermissionDenied) as exc:
            refusals[index] = exc
            continue
        (to_update if entry.pk else to_create).append(entry)
    if refusals:
        return refusals
    if to_create:
        bulk_create_with_history(
            to_create,
            MonthlyProgress,
            batch_size=500,
            default_user=actor,
            default_change_reason=reason[:100] or None,
        )
    if to_update:
        now = timezone.now()
        fields = ["investment", "inclusion", "image_progress", "problems", "version", "updated_by"]
        # One plain UPDATE per changed entry: Django's bulk_update builds CASE
        # expressions whose cost grows badly with the batch, far slower than this.
        for entry in to_update:
            entry.updated_at = now
            MonthlyProgress.objects.filter(pk=entry.pk).update(
                updated_at=now, **{name: getattr(entry, name) for name in fields}
            )
        MonthlyProgress.history.bulk_history_create(
            to_update,
            batch_size=500,
            update=True,
            default_user=actor,
            default_change_reason=reason[:100] or None,
        )
    _refresh_image_progress_of(project_ids)
    return refusals


def _refresh_image_progress_of(project_ids) -> None:
    """Each project's image progress follows its latest non-blank monthly report."""
    latest: dict[int, str] = {}
    for project_id, text in (
        MonthlyProgress.objects.filter(project_id__in=project_ids)
        .exclude(image_progress="")
        .order_by("project_id", "-year", "-month")
        .values_list("project_id", "image_progress")
    ):
        latest.setdefault(project_id, text)
    stale = [
        Project(pk=pk, image_progress=text)
        for pk, current in Project.objects.filter(pk__in=latest).values_list("pk", "image_progress")
        if (text := latest[pk]) != current
    ]
    if stale:
        Project.objects.bulk_update(stale, ["image_progress"], batch_size=500)
