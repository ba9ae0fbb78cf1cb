"""Writes to the ledger: monthly progress, plans and projects, deletion and restoration."""

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import (
    MonthlyProgress,
    Project,
    QuarterPlan,
)
from ..periods import quarter_months
from ..schema import PLAN_ATTRS
from . import plausibility, versions
from .checks import (
    can_manage_all_units,
    check_version,
    ensure_can_edit,
    ensure_can_plan,
    ensure_month_writable,
    lock_check,
    month_label,
    plan_checks,
    save_first_or_stale,
    set_history,
)
from .figures import locked_months, months_to_check, present_in
from .period_guard import hold_ledger


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
    acknowledge: bool = False,
) -> MonthlyProgress:
    """Create or update the one progress entry of a project for a month.

    The figures must pass ``plausibility``: a hard limit refuses them, and warnings
    refuse them unless ``acknowledge`` (the person ticked 已核实), which the row keeps.
    """
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
    found = plausibility.review_one(entry)
    refused = plausibility.refusal(found, acknowledge)
    if refused is not None:
        raise refused
    entry.full_clean()
    plausibility.record_acknowledgement(entry, found, actor, timezone.now())
    set_history(entry, actor, reason)
    save_first_or_stale(entry)
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
        versions.bump([("project", project.pk)], model=Project)  # update() sends no signal
        Project.objects.filter(pk=project.pk).update(image_progress=latest)
        project.image_progress = latest


@transaction.atomic
def delete_progress(*, actor, entry: MonthlyProgress, reason: str = "") -> None:
    ensure_can_edit(actor, entry.project)
    ensure_month_writable(actor, entry.project, entry.year, entry.month, reason)
    set_history(entry, actor, reason)
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
    # Plans belong to the office: unit staff ask through a plan-change request.
    ensure_can_plan(actor, project, "investment_q1")
    # A plan row spans the year; a locked month freezes its quarter's figures.
    plan = QuarterPlan.objects.select_for_update().filter(project=project, year=year).first()
    plan_checks(
        actor,
        project,
        year,
        plan,
        investment,
        inclusion,
        expected_version,
        lock_check(reason, locked_reason),
    )
    if plan is None:
        plan = QuarterPlan(project=project, year=year)
    else:
        plan.version += 1
    for quarter in (1, 2, 3, 4):
        setattr(plan, f"investment_q{quarter}", investment[quarter - 1])
        setattr(plan, f"inclusion_q{quarter}", inclusion[quarter - 1])
    plan.full_clean()
    set_history(plan, actor, reason)
    save_first_or_stale(plan)
    return plan


@transaction.atomic
def delete_plan(*, actor, plan: QuarterPlan, reason: str = "") -> None:
    """Managers only; a plan whose quarters include a locked month needs a reason."""
    ensure_can_plan(actor, plan.project)
    for quarter in (1, 2, 3, 4):
        if plan.investment(quarter) or plan.inclusion(quarter):
            for month in quarter_months(quarter):
                ensure_month_writable(actor, plan.project, plan.year, month, reason)
    set_history(plan, actor, reason)
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

    Unit staff may change their own projects' details but not create projects,
    change a code, or move one to another unit or list. Any change that moves a
    figure of a locked month (list membership, classification, start dates) is
    refused to unit staff and needs a manager's reason.
    """
    # Which locked months the change touches is read from the locks: hold them all.
    hold_ledger()
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
        if not can_manage_all_units(actor):
            if stored.unit_id != project.unit_id:
                raise PermissionDenied(_("Only managers can move a project to another unit."))
            if stored.programme_id != project.programme_id:
                raise PermissionDenied(_("Only managers can move a project to another list."))
            if stored.code != project.code:
                raise PermissionDenied(_("Only managers can change a project's code."))
        for attr in PLAN_ATTRS:
            if getattr(stored, attr) != getattr(project, attr):
                ensure_can_plan(actor, stored, attr)
        check_version(stored.version, expected_version)
        lock_reason = lock_check(reason, locked_reason)
        for year, month in sorted(months_to_check(stored, project)):
            ensure_month_writable(actor, stored, year, month, lock_reason)
        project.version = stored.version + 1
    project.full_clean()
    if stored is not None and stored.total_investment != project.total_investment:
        plausibility.check_total(project)
    set_history(project, actor, reason)
    if stored is not None and stored.programme_id != project.programme_id:
        # The save's signal bumps the new list's year; the list it leaves changes too.
        versions.bump([("programme", stored.programme_id)], model=Project)
    project.save()
    return project


def _require_reason_for_locked(project: Project, reason: str) -> None:
    """Deleting or restoring a project counted in a locked month changes that month."""
    locked = sorted(present_in(project, locked_months()))
    if locked and not reason:
        raise ValidationError(
            _(
                "%(project)s counts in locked months (%(months)s); "
                "give a reason for deleting or restoring it."
            )
            % {
                "project": project.code,
                "months": ", ".join(month_label(year, month) for year, month in locked),
            },
            code="locked_needs_reason",
        )


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
    hold_ledger()
    reason = (reason or "").strip()
    _require_reason_for_locked(project, reason)
    reason = reason or _("project deleted")
    for child in [*project.plans.all(), *project.progress.all()]:
        set_history(child, actor, reason)
        child.delete()
    set_history(project, actor, reason)
    project.delete()


# Children deleted within this time before their project count as deleted with it.
RESTORE_WINDOW = dt.timedelta(minutes=5)


@transaction.atomic
def restore_project(*, actor, project_id: int, reason: str = "") -> Project:
    """Managers only: bring back a deleted project with the plans and progress deleted with it."""
    if not can_manage_all_units(actor):
        raise PermissionDenied(_("Only managers can restore projects."))
    hold_ledger()
    if Project.objects.filter(pk=project_id).exists():
        raise ValidationError(_("This project has not been deleted."), code="not_deleted")
    last = Project.history.filter(id=project_id).order_by("-history_date", "-history_id").first()
    if last is None or last.history_type != "-":
        raise ValidationError(_("There is no deleted project to restore."), code="no_history")
    project = last.instance
    # The code is the one it had; an older code outside today's rule comes back unchanged.
    project.stored_code = project.code
    project.version += 1
    project.full_clean()
    set_history(project, actor, reason)
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
                set_history(child, actor, reason)
                child.save(force_insert=True)
    # Checked once the figures are back; a refusal rolls the whole restore back.
    _require_reason_for_locked(project, (reason or "").strip())
    return project


# Monthly submission, review and locks --------------------------------------------------------
