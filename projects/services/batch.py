"""Many projects' monthly figures in one transaction, for imports and the entry grid."""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from ..models import (
    MonthlyProgress,
    MonthSubmission,
    Project,
)
from ..selectors import placed
from . import plausibility, versions
from .checks import (
    check_version,
    clash_error,
    editable_unit_ids,
    ensure_can_edit,
    lock_check,
    month_refusal,
)
from .period_guard import locked_months_for_write


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
    # The person confirmed figures that trip a plausibility warning (已核实).
    acknowledge: bool = False


def record_progress_batch(
    *,
    actor,
    entries: Sequence[ProgressInput],
    reason: str = "",
    locked_reason: str | None = None,
) -> dict[int, Exception]:
    """``record_progress`` for many entries at once (file imports), in a fixed number of queries.

    The same rules apply entry by entry: unit scoping, locked and submitted
    months, version checks, the model's validation and plausibility (hard limits
    refuse, warnings need ``acknowledge``). Refusals come back by
    the entry's index; when there is any, nothing is written.
    """
    try:
        return _record_batch(actor, entries, reason, locked_reason)
    except IntegrityError:
        # Two people saving the same new month at once both read "no row" (there is
        # none to lock); the second insert meets the unique constraint once the first
        # commits. Its transaction (or savepoint) is rolled back by now, so nothing of
        # the batch is written, and each row stored meanwhile is refused as a clash.
        clashes = _clashes(entries)
        if not clashes:
            raise  # no new row in the batch: not a clash, a fault
        return clashes


@transaction.atomic
def _record_batch(actor, entries, reason, locked_reason) -> dict[int, Exception]:
    refusals: dict[int, Exception] = {}
    if not entries:
        return refusals
    state = _load_batch_state(actor, entries, lock_check(reason, locked_reason))
    # Read against each other: a file's February is March's last month.
    reviews = plausibility.review(entries)
    now = timezone.now()
    seen: set[tuple[int, int, int]] = set()
    to_create, to_update = [], []
    for index, item in enumerate(entries):
        try:
            entry = _checked_entry(actor, item, state, seen)
            refused = plausibility.refusal(reviews[index], item.acknowledge)
            if refused is not None:
                raise refused
            plausibility.record_acknowledgement(entry, reviews[index], actor, now)
        except (ValidationError, PermissionDenied) as exc:
            refusals[index] = exc
            continue
        (to_update if entry.pk else to_create).append(entry)
    if refusals:
        return refusals
    _create_entries(actor, to_create, reason)
    _update_entries(actor, to_update, reason)
    _refresh_image_progress_of({e.project.pk for e in entries})
    return refusals


@dataclass(frozen=True)
class _BatchState:
    """What the batch's checks need, read in a fixed number of queries before the loop."""

    lock_reason: str
    unit_ids: set[int] | None  # None: the actor edits every unit
    locked: set[tuple[int, int]]
    statuses: dict[tuple[int, int, int], str]
    stored: dict[tuple[int, int, int], MonthlyProgress]


def _load_batch_state(actor, entries, lock_reason) -> _BatchState:
    unit_ids = editable_unit_ids(actor)
    months = {(e.year, e.month) for e in entries}
    years = {year for year, _month in months}
    # The months' locks first, then every fact the checks read: a lock taken while this
    # batch is checked waits for it to commit, or is seen by it (services/period_guard.py).
    locked = locked_months_for_write(months)
    # A grid's save is one or a few rows of one unit: each read below is built once for
    # every save of as many years (``placed``), its years, units and projects its values.
    years = sorted(years)
    statuses = {}
    if unit_ids is not None:
        statuses = {
            (row["unit_id"], row["year"], row["month"]): row["status"]
            for row in placed.values_for(
                ("save: month states", len(years)),
                lambda *v: MonthSubmission.objects.filter(
                    year__in=v[: len(years)], unit_id__in=v[len(years) :]
                ).values("unit_id", "year", "month", "status"),
                *years,
                *sorted(unit_ids),
            )
        }
    stored = {
        (m.project_id, m.year, m.month): m
        for m in placed.objects_of(
            ("save: stored rows", len(years)),
            lambda *v: MonthlyProgress.objects.select_for_update().filter(
                year__in=v[: len(years)], project_id__in=v[len(years) :]
            ),
            *years,
            *sorted({e.project.pk for e in entries}),
        )
    }
    return _BatchState(lock_reason, unit_ids, locked, statuses, stored)


def _checked_entry(actor, item: ProgressInput, state: _BatchState, seen: set) -> MonthlyProgress:
    """The entry's row with the new figures, or the refusal raised: who may, period, version."""
    project = item.project
    if state.unit_ids is not None and project.unit_id not in state.unit_ids:
        ensure_can_edit(actor, project)
    refusal = month_refusal(
        actor,
        project,
        item.year,
        item.month,
        state.lock_reason,
        locked=(item.year, item.month) in state.locked,
        status=state.statuses.get((project.unit_id, item.year, item.month)),
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
    entry = state.stored.get(key)
    check_version(entry.version if entry else None, item.expected_version)
    if entry is None:
        entry = MonthlyProgress(project=project, year=item.year, month=item.month)
    else:
        entry.version += 1
    entry.investment = item.investment
    entry.inclusion = item.inclusion
    entry.image_progress = item.image_progress or ""
    entry.problems = item.problems or ""
    entry.updated_by = actor
    # The project and the actor are loaded rows, uniqueness was checked above and
    # the database constraints repeat the field validators, so skip their queries.
    entry.full_clean(
        exclude=["project", "updated_by"], validate_unique=False, validate_constraints=False
    )
    return entry


def _create_entries(actor, to_create, reason: str) -> None:
    if to_create:
        bulk_create_with_history(
            to_create,
            MonthlyProgress,
            batch_size=500,
            default_user=actor,
            default_change_reason=reason[:100] or None,
        )
        versions.touched(MonthlyProgress, to_create)  # bulk_create sends no post_save


def _clashes(entries: Sequence[ProgressInput]) -> dict[int, Exception]:
    """The new entries whose row someone else has stored meanwhile, each refused as a clash."""
    wanted = {
        (item.project.pk, item.year, item.month): index
        for index, item in enumerate(entries)
        if item.expected_version is None
    }
    stored = MonthlyProgress.objects.filter(
        project_id__in={project for project, _y, _m in wanted},
        year__in={year for _p, year, _m in wanted},
    ).values_list("project_id", "year", "month")
    clashed = [wanted[key] for key in stored if key in wanted]
    # The other save committed, so its rows are visible now; should it be gone again,
    # every new entry is refused: a reload shows what is stored either way.
    return {index: clash_error() for index in clashed or wanted.values()}


def _update_entries(actor, to_update, reason: str) -> None:
    if not to_update:
        return
    now = timezone.now()
    fields = [
        "investment",
        "inclusion",
        "image_progress",
        "problems",
        "version",
        "updated_by",
        "acknowledged_warnings",
        "acknowledged_by",
        "acknowledged_at",
    ]
    versions.touched(MonthlyProgress, to_update)  # QuerySet.update sends no post_save
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


def _refresh_image_progress_of(project_ids) -> None:
    """Each project's image progress follows its latest non-blank monthly report."""
    latest: dict[int, str] = {}
    for row in placed.values_for(
        "save: latest image progress",
        lambda *ids: (
            MonthlyProgress.objects.filter(project_id__in=ids)
            .exclude(image_progress="")
            .order_by("project_id", "-year", "-month")
            .values("project_id", "image_progress")
        ),
        *sorted(project_ids),
    ):
        latest.setdefault(row["project_id"], row["image_progress"])
    stale = [
        Project(pk=row["pk"], image_progress=text)
        for row in placed.values_for(
            "save: projects' image progress",
            lambda *ids: Project.objects.filter(pk__in=ids).values("pk", "image_progress"),
            *sorted(latest),
        )
        if (text := latest[row["pk"]]) != row["image_progress"]
    ]
    if stale:
        versions.bump([("project", p.pk) for p in stale], model=Project)
        Project.objects.bulk_update(stale, ["image_progress"], batch_size=500)
