"""Applying an import plan through the services in one transaction, or not at all."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction

from .. import services
from ..models import Programme, Project
from ..services import plausibility
from ..services.period_guard import hold_ledger, hold_months
from ..services.tags import set_project_tags
from .columns import (
    LEDGER_COLUMNS,
    PLAN_FIELD_COLUMNS,
    PROGRESS_COLUMNS,
    PROGRESS_FIELD_COLUMNS,
    PROJECT_FIELD_COLUMNS,
)
from .planning import PROJECT_ATTRS, TEXT_KEYS, lookups, plan_ledger, plan_progress
from .results import NEW, UNCHANGED, FlaggedRow, ImportPlan, NewLookup, PlannedRow, RowError

# --- applying ---------------------------------------------------------------------------------


@dataclass
class ImportResult:
    """What an import did: the plan, the errors found while writing, and whether it was kept."""

    plan: ImportPlan
    errors: list[RowError]
    written: bool
    # The stored versions as read before writing: a dry run's rolled-back saves still
    # bump the versions on the objects in memory, so ``plan.versions()`` afterwards is off.
    versions: dict[str, str] = field(default_factory=dict)
    # Rows whose figures look unusual; nothing is written while one is unacknowledged.
    flagged: list[FlaggedRow] = field(default_factory=list)

    @property
    def unacknowledged(self) -> list[FlaggedRow]:
        return [f for f in self.flagged if not f.acknowledged]

    @property
    def counts(self) -> dict[str, int]:
        return {**self.plan.counts, "errors": len(self.errors)}


def apply_plan(
    plan: ImportPlan,
    *,
    actor,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    """Write the plan's new and changed rows through the services, all or nothing.

    Even when the plan already has errors, or on a dry run, the valid rows go
    through the services (and are rolled back) so that the preview lists every
    refusal the real import would meet: locked months, permissions, model rules.
    """
    errors = list(plan.errors)
    flagged: list[FlaggedRow] = []
    todo = [row for row in plan.rows if row.status != UNCHANGED]
    with transaction.atomic():
        if plan.kind == "ledger":
            # Its rows change projects (the whole ledger's lock) and plans (months' locks):
            # the whole ledger's first, whichever row comes first (services/period_guard.py).
            hold_ledger()
            _apply_ledger(plan, todo, actor, errors, progress)
        else:
            _apply_progress(plan, todo, actor, errors, progress, flagged)
        written = not errors and not dry_run and all(f.acknowledged for f in flagged)
        if not written:
            transaction.set_rollback(True)
    errors.sort(key=lambda e: e.row)
    return ImportResult(plan=plan, errors=errors, written=written, flagged=flagged)


def _apply_ledger(plan, todo, actor, errors, progress) -> None:
    # A ledger has a few hundred rows at most; each goes through the services on its own.
    created = _create_lookups(plan, actor, errors)
    for done, row in enumerate(todo, start=1):
        try:
            with transaction.atomic():
                _apply_ledger_row(row, actor, plan, created)
        except ValidationError as exc:
            errors.extend(_validation_errors(row, exc, plan.kind))
        except services.PlanRefused as exc:
            # A plan the importer may not set: point at the first plan column it changes.
            fields = {**PROJECT_FIELD_COLUMNS, **PLAN_FIELD_COLUMNS}
            key = fields.get(exc.field, "")
            errors.append(
                RowError(row.row, _column_header(plan.kind, key) if key else "", str(exc))
            )
        except PermissionDenied as exc:
            # Refused for the project's unit: point at the unit, or at the code of a new one.
            key = "unit" if row.status != NEW else "code"
            errors.append(RowError(row.row, _column_header(plan.kind, key), str(exc)))
        if progress is not None:
            progress(done, len(todo))


# Progress files run to thousands of rows: written in chunks by the batch service.
PROGRESS_CHUNK = 500


def _apply_progress(plan, todo, actor, errors, progress, flagged) -> None:
    # Every month of the file at once, in order: chunk by chunk, a later chunk's earlier
    # month would be taken after a later one (services/period_guard.py).
    hold_months({(row.payload["year"], row.payload["month"]) for row in todo})
    entries = [_progress_input(plan, row) for row in todo]
    # The whole file read at once, so its rows are checked against each other whatever
    # the chunk; the service checks each chunk again as it writes.
    reported = _review_progress(todo, entries, errors, flagged)
    for start in range(0, len(todo), PROGRESS_CHUNK):
        chunk = todo[start : start + PROGRESS_CHUNK]
        refusals = services.record_progress_batch(
            actor=actor,
            entries=entries[start : start + PROGRESS_CHUNK],
            reason=plan.reason,
            locked_reason=plan.user_reason,
        )
        for index, exc in refusals.items():
            row = chunk[index]
            if row.row in reported and _plausibility_refusal(exc):
                continue  # listed above from the whole file's review
            if isinstance(exc, ValidationError):
                errors.extend(_validation_errors(row, exc, plan.kind))
            else:
                errors.append(RowError(row.row, _column_header(plan.kind, "code"), str(exc)))
        if progress is not None:
            progress(start + len(chunk), len(todo))


def _progress_input(plan: ImportPlan, row: PlannedRow) -> services.ProgressInput:
    return services.ProgressInput(
        project=row.payload["project"],
        year=row.payload["year"],
        month=row.payload["month"],
        investment=row.payload["investment"],
        inclusion=row.payload["inclusion"],
        image_progress=row.payload["image_progress"],
        problems=row.payload["problems"],
        expected_version=row.payload["entry"].version if row.payload["entry"] else None,
        acknowledge=plan.acknowledged(row),
    )


# Which column a broken limit points at.
LIMIT_COLUMNS = {plausibility.INCLUSION_ABOVE_TOTAL: "inclusion"}


def _review_progress(todo, entries, errors, flagged) -> set[int]:
    """Hard limits become row errors, warnings flagged rows; the rows reported so."""
    reported = set()
    for row, entry, found in zip(todo, entries, plausibility.review(entries), strict=True):
        for refusal in found.refusals:
            column = _column_header("progress", LIMIT_COLUMNS.get(refusal.code, "investment"))
            errors.append(RowError(row.row, column, refusal.message))
            reported.add(row.row)
        if found.warnings and not found.refusals:
            flagged.append(FlaggedRow(row.row, row.label, tuple(found.warnings), entry.acknowledge))
            if not entry.acknowledge:
                reported.add(row.row)
    return reported


def _plausibility_refusal(exc) -> bool:
    codes = {getattr(e, "code", None) for e in getattr(exc, "error_list", [exc])}
    return bool(codes & (plausibility.HARD_LIMITS | {plausibility.UNACKNOWLEDGED}))


def _create_lookups(plan: ImportPlan, actor, errors: list[RowError]) -> dict:
    created = {}
    models = {str(label): (key, model) for key, model, label in lookups()}
    for lookup in plan.new_lookups:
        key, model = models[lookup.kind]
        year = next(
            (
                r.payload["year"]
                for r in plan.rows
                if r.payload["project_values"].get(key) is lookup
            ),
            None,
        )
        try:
            created[lookup] = services.create_named_entry(
                actor=actor, model=model, name=lookup.name, year=year, reason=plan.reason
            )
        except (ValidationError, PermissionDenied) as exc:
            message = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            errors.append(RowError(lookup.first_row, _column_header("ledger", key), message))
    return created


def _apply_ledger_row(row: PlannedRow, actor, plan: ImportPlan, created: dict) -> None:
    reason, locked_reason = plan.reason, plan.user_reason
    data = row.payload
    project = data["project"]
    values = {
        key: created.get(value, value) if isinstance(value, NewLookup) else value
        for key, value in data["project_values"].items()
    }
    if any(isinstance(v, NewLookup) for v in values.values()):
        return  # its lookup could not be created; that error is already listed
    if values:
        expected = project.version if project is not None else None
        if project is None:
            project = Project(code=data["code"])
        for key, value in values.items():
            if key in TEXT_KEYS and value is None:
                value = ""
            setattr(project, PROJECT_ATTRS[key], value)
        if project.joined_on is None and isinstance(project.programme, Programme):
            project.joined_on = dt.date(project.programme.year, 1, 1)
        project = services.save_project(
            actor=actor,
            project=project,
            expected_version=expected,
            reason=reason,
            locked_reason=locked_reason,
        )
    elif project is None:
        # A later year's row for a project created by an earlier row of this file.
        project = Project.objects.filter(code=data["code"]).first()
        if project is None:
            return  # the earlier row failed; its error is already listed
    if data.get("tags") is not None:
        set_project_tags(actor=actor, project=project, names=data["tags"])
    if data["plan_values"] is not None:
        plan_values = data["plan_values"]
        stored = data["plan"]
        if stored is None or any(
            getattr(stored, name) != value for name, value in plan_values.items()
        ):
            services.save_plan(
                actor=actor,
                project=project,
                year=data["year"],
                investment=[plan_values[f"investment_q{q}"] for q in (1, 2, 3, 4)],
                inclusion=[plan_values[f"inclusion_q{q}"] for q in (1, 2, 3, 4)],
                expected_version=stored.version if stored else None,
                reason=reason,
                locked_reason=locked_reason,
            )


def _column_header(kind: str, key: str) -> str:
    columns = LEDGER_COLUMNS if kind == "ledger" else PROGRESS_COLUMNS
    return next((c.header for c in columns if c.key == key), "")


# Refusals for a closed month point at the cell that names the period.
PERIOD_REFUSALS = {"locked", "locked_needs_reason", "submitted"}


def _validation_errors(row: PlannedRow, exc: ValidationError, kind: str) -> list[RowError]:
    if not hasattr(exc, "error_dict"):
        column = ""
        if getattr(exc, "code", None) in PERIOD_REFUSALS:
            column = _column_header(kind, "month" if kind == "progress" else "year")
        return [RowError(row.row, column, message) for message in exc.messages]
    mapping = (
        {**PROJECT_FIELD_COLUMNS, **PLAN_FIELD_COLUMNS}
        if kind == "ledger"
        else PROGRESS_FIELD_COLUMNS
    )
    errors = []
    for name, messages in exc.message_dict.items():
        key = mapping.get(name, "") if name != NON_FIELD_ERRORS else ""
        for message in messages:
            errors.append(RowError(row.row, _column_header(kind, key) if key else "", message))
    return errors


PLANNERS = {"ledger": plan_ledger, "progress": plan_progress}


def run_import(
    kind: str,
    content: bytes,
    *,
    filename: str = "",
    actor,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
    reason: str = "",
    pinned: dict[str, str] | None = None,
    acknowledged_rows: set[int] | None = None,
    acknowledge_all: bool = False,
) -> ImportResult:
    """Plan and apply a file; a file that cannot be read raises ``ImportFileError``.

    ``reason`` is the user's own for changing locked months; without one a row
    in a locked month is refused, whoever imports. ``acknowledged_rows`` (row
    numbers) and ``acknowledge_all`` confirm rows whose figures look unusual.
    ``pinned`` is the preview's ``plan.versions()``: a row whose stored versions
    differ now is refused.
    """
    plan = PLANNERS[kind](content, filename=filename, actor=actor)
    plan.user_reason = (reason or "").strip()
    # Rows flagged as unusual are written only once confirmed: a tick per row on the
    # preview, 是 in the file's 已核实 column, or the command's --acknowledge for all.
    plan.acknowledged_rows = set(acknowledged_rows or ())
    plan.acknowledge_all = acknowledge_all
    versions = plan.versions()
    if pinned is not None:
        # Confirming a preview: the file is planned again, so a row someone changed
        # in between would silently overwrite their edit. Refuse instead.
        plan.errors.extend(plan.stale_rows(pinned))
    result = apply_plan(plan, actor=actor, dry_run=dry_run, progress=progress)
    result.versions = versions
    return result
