"""Every write to the ledger goes through here.

The admin, the ledger importers and any later form or API call these
functions, so permissions, period state, validation, optimistic version
checks and change history are applied the same way whatever the door.
``actor`` is the user making the change; ``None`` means the system itself
(a management command run by an operator), which is trusted.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
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
)
from .periods import quarter_months

MANAGE_ALL_UNITS = "projects.manage_all_units"


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


def ensure_month_writable(actor, project: Project, year: int, month: int, reason: str) -> None:
    """Refuse writes to a month that is locked, or submitted/approved for the project's unit.

    Managers may still correct a locked month, but only with a reason, which is
    kept in the change history.
    """
    locked = PeriodLock.objects.filter(year=year, month=month).exists()
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
    actor, project: Project, year: int, month: int, reason: str, *, locked: bool, status
) -> ValidationError | None:
    """The month rule itself, on facts already read (so batch writers read them once)."""
    if can_manage_all_units(actor):
        if locked and actor is not None and not reason.strip():
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


def _check_version(current: int, expected: int | None) -> None:
    if expected is not None and expected != current:
        raise ValidationError(
            _(
                "Someone else saved this entry while you were editing it. "
                "Reload the page to see their figures, then enter yours again."
            ),
            code="stale",
        )


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
        entry = MonthlyProgress(project=project, year=year, month=month)
    else:
        _check_version(entry.version, expected_version)
        entry.version += 1
    entry.investment = investment
    entry.inclusion = inclusion
    entry.image_progress = image_progress or ""
    entry.problems = problems or ""
    entry.updated_by = actor
    entry.full_clean()
    _set_history(entry, actor, reason)
    entry.save()
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
) -> QuarterPlan:
    """Create or update a project's quarterly plan for a year (four quarters each)."""
    if len(investment) != 4 or len(inclusion) != 4:
        raise ValueError("a plan has exactly four quarters")
    ensure_can_edit(actor, project)
    # A plan row spans the year; a locked month freezes its quarter's figures.
    plan = QuarterPlan.objects.select_for_update().filter(project=project, year=year).first()
    if plan is None:
        plan = QuarterPlan(project=project, year=year)
    else:
        _check_version(plan.version, expected_version)
        plan.version += 1
    for quarter in (1, 2, 3, 4):
        new_inv, new_inc = investment[quarter - 1], inclusion[quarter - 1]
        if plan.pk and (plan.investment(quarter) != new_inv or plan.inclusion(quarter) != new_inc):
            for month in quarter_months(quarter):
                ensure_month_writable(actor, project, year, month, reason)
        setattr(plan, f"investment_q{quarter}", new_inv)
        setattr(plan, f"inclusion_q{quarter}", new_inc)
    plan.full_clean()
    _set_history(plan, actor, reason)
    plan.save()
    return plan


@transaction.atomic
def save_project(
    *, actor, project: Project, expected_version: int | None = None, reason: str = ""
) -> Project:
    """Create or update a project's ledger fields.

    Unit staff may change their own projects' details but not create projects
    or move one to another unit.
    """
    if project.pk is None:
        if not can_manage_all_units(actor):
            raise PermissionDenied(_("Only managers can add projects to a list."))
    else:
        stored = Project.objects.select_for_update().get(pk=project.pk)
        ensure_can_edit(actor, stored)
        if stored.unit_id != project.unit_id and not can_manage_all_units(actor):
            raise PermissionDenied(_("Only managers can move a project to another unit."))
        _check_version(stored.version, expected_version)
        project.version = stored.version + 1
    project.full_clean()
    _set_history(project, actor, reason)
    project.save()
    return project


@transaction.atomic
def delete_project(*, actor, project: Project, reason: str = "") -> None:
    """Managers only: a project's deletion stays recoverable from its history."""
    if not can_manage_all_units(actor):
        raise PermissionDenied(_("Only managers can delete projects."))
    _set_history(project, actor, reason)
    project.delete()


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
    if expires_at <= timezone.now():
        raise ValidationError(_("The expiry must be in the future."), code="expired")
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
    *, actor, entries: Sequence[ProgressInput], reason: str = ""
) -> dict[int, Exception]:
    """``record_progress`` for many entries at once (file imports), in a fixed number of queries.

    The same rules apply entry by entry: unit scoping, locked and submitted
    months, version checks and the model's validation. Refusals come back by
    the entry's index; when there is any, nothing is written.
    """
    refusals: dict[int, Exception] = {}
    if not entries:
        return refusals
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
                reason,
                locked=(item.year, item.month) in locked,
                status=statuses.get((project.unit_id, item.year, item.month)),
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
                _check_version(entry.version, item.expected_version)
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
