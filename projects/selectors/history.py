"""A project's change history: who changed what, when, from what to what, and why.

Reads the django-simple-history tables of the project, its plans and its
monthly progress (three queries, plus one per kind of linked name shown).
"""

import datetime as dt
import functools
from dataclasses import dataclass, field

from django.db import router
from django.utils.translation import gettext_lazy as _

from ..models import (
    Category,
    Leader,
    MonthlyProgress,
    Programme,
    Project,
    QuarterPlan,
    Street,
    Unit,
)
from ..models.reference import Industry
from ..periods import month_text
from . import compiled, placed

ACTIONS = {"+": _("created"), "~": _("changed"), "-": _("deleted")}
# Bookkeeping columns that change on every save and say nothing to a reader.
SKIP = {"id", "version", "updated_at", "created_at", "updated_by", "project"}
# Linked names shown by name, not id. 包联领导 was free text until migration 0027, which
# linked the history's rows to the Leader each text became, so old changes read by name too.
LINKED = {
    "programme": Programme,
    "category": Category,
    "unit": Unit,
    "street": Street,
    "industry": Industry,
    "leader": Leader,
}


@dataclass(frozen=True)
class FieldChange:
    """One field's value before and after a change ('' where there was none)."""

    field: str
    before: str
    after: str


@dataclass(frozen=True)
class HistoryRow:
    """One recorded create, change or delete of the project, a plan or a progress entry."""

    when: dt.datetime
    who: str
    subject: str
    action: str
    reason: str
    changes: list[FieldChange] = field(default_factory=list)
    kind: str = "project"

    @property
    def action_label(self) -> str:
        return str(ACTIONS.get(self.action, self.action))


def _fields(model) -> list:
    return [f for f in model._meta.concrete_fields if f.name not in SKIP and f.attname not in SKIP]


def _text(value) -> str:
    return "" if value is None else str(value)


def _records(model, by: str, fields: list, project_id: int) -> list[dict]:
    """The project's history records of ``model``, oldest first. The statement is built and
    compiled once per process (``compiled.statement``), then run with this project's id:
    building the three, with their many columns and the user join, was 5 ms of a manager's
    project page, against under 1 ms to run them."""
    history = _historical(model)

    def build(project):
        return (
            history._default_manager.filter(**{by: project})
            .order_by("history_date", "history_id")
            .values(
                "id",
                *(f.attname for f in fields),
                "history_date",
                "history_type",
                "history_change_reason",
                "history_user__username",
            )
        )

    db = router.db_for_read(history)
    return compiled.statement(("history", model._meta.label, db), build).rows(project_id)


@functools.cache
def _historical(model):
    """``model``'s historical model. Asked of ``model.history``, django-simple-history makes a
    manager class on every access (``from_queryset``): three a manager's project page."""
    return model.history.model


def _names(model, ids: set) -> list[dict]:
    """The names of the linked rows a project's history shows (its list, category, unit,
    street), the statement built once per model and number of ids."""
    return placed.values_for(
        ("history: linked names", model._meta.label),
        lambda *given: model.objects.filter(pk__in=given).values("pk", "name"),
        *sorted(ids),
    )


def project_history(project: Project | int) -> list[HistoryRow]:
    """Every recorded change of a project, its plans and progress, newest first.

    Accepts a project or the id of one that has been deleted.
    """
    project_id = project if isinstance(project, int) else project.pk
    sources = [
        (Project, "id", lambda r: str(_("project"))),
        (QuarterPlan, "project_id", lambda r: f"{_('quarterly plan')} {r['year']}"),
        (
            MonthlyProgress,
            "project_id",
            lambda r: f"{_('monthly progress')} {month_text(r['year'], r['month'])}",
        ),
    ]
    pending: list[tuple[dict, object, list, str]] = []
    linked_ids: dict[str, set] = {name: set() for name in LINKED}
    for model, by, subject in sources:
        fields = _fields(model)
        previous: dict[int, dict] = {}
        for rec in _records(model, by, fields, project_id):
            before = previous.get(rec["id"])
            changes = []
            for f in fields:
                old = before[f.attname] if before else None
                new = rec[f.attname]
                if rec["history_type"] == "-" or (before is not None and old == new):
                    continue
                if before is None and new in (None, ""):
                    continue
                changes.append((f, old, new))
                if f.name in LINKED:
                    linked_ids[f.name].update(v for v in (old, new) if v is not None)
            previous[rec["id"]] = rec
            pending.append((rec, subject, changes, model._meta.model_name))
    names_of = {
        name: {row["pk"]: row["name"] for row in _names(LINKED[name], ids)}
        for name, ids in linked_ids.items()
        if ids
    }

    def show(f, value) -> str:
        if f.name in names_of and value is not None:
            return names_of[f.name].get(value, _text(value))
        if f.choices and value is not None:
            return _text(dict(f.flatchoices).get(value, value))
        return _text(value)

    rows = [
        HistoryRow(
            when=rec["history_date"],
            who=rec["history_user__username"] or "",
            subject=subject(rec),
            action=rec["history_type"],
            reason=rec["history_change_reason"] or "",
            changes=[
                FieldChange(str(f.verbose_name), show(f, old), show(f, new))
                for f, old, new in changes
            ],
            kind=kind,
        )
        for rec, subject, changes, kind in pending
    ]
    rows.sort(key=lambda r: r.when, reverse=True)
    return rows


@dataclass(frozen=True)
class DeletedProject:
    """A project whose last recorded change is its deletion."""

    project_id: int
    code: str
    name: str
    deleted_at: dt.datetime
    deleted_by: str
    reason: str


def deleted_projects() -> list[DeletedProject]:
    """Projects that can be restored from history, most recently deleted first."""
    existing = Project.objects.values("pk")
    rows = (
        Project.history.filter(history_type="-")
        .exclude(id__in=existing)
        .order_by("-history_date")
        .values_list(
            "id", "code", "name", "history_date", "history_user__username", "history_change_reason"
        )
    )
    seen, result = set(), []
    for pid, code, name, when, who, reason in rows:
        if pid not in seen:
            seen.add(pid)
            result.append(DeletedProject(pid, code, name, when, who or "", reason or ""))
    return result
