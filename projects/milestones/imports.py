"""Importing nodes from a CSV or XLSX file in the ledger file family (the /nodes/ export's columns).

The whole file is checked first; if any row is refused nothing is saved, and every
saved row goes through ``services.save_milestone`` with the importing account.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.utils.translation import gettext as _

from projects.imports.reading import is_filled, read_table
from projects.models import PeriodLock, Project, Unit
from projects.services.checks import clash_error
from projects.text import unguard

from . import services
from .models import Milestone

CODE, NODE, ORDER, PLANNED, ACTUAL, UNIT = (
    "项目编号",
    "节点",
    "序号",
    "计划完成",
    "实际完成",
    "责任单位",
)
REQUIRED = (CODE, NODE)


@dataclass(frozen=True)
class NodeRow:
    """One row of the file as the preview shows it, and whether it adds or changes a node."""

    number: int
    code: str
    name: str
    planned: dt.date | None
    actual: dt.date | None
    new: bool
    changed: bool


@dataclass
class NodeImport:
    """What an import did or would do: rows saved, each row read, the refusals by row number."""

    saved: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    rows: list[NodeRow] = field(default_factory=list)
    # Each row's node version as read ("-": no node yet), pinned between preview and confirm.
    versions: dict[str, str] = field(default_factory=dict)

    @property
    def new(self) -> int:
        return sum(1 for r in self.rows if r.new)

    @property
    def changed(self) -> int:
        return sum(1 for r in self.rows if r.changed)


def _date(cell, label: str):
    if not is_filled(cell):
        return None
    if isinstance(cell, dt.datetime):
        return cell.date()
    if isinstance(cell, dt.date):
        return cell
    try:
        return dt.date.fromisoformat(str(cell).strip().replace("/", "-"))
    except ValueError:
        raise ValueError(f"{label}“{cell}”不是日期（应为 YYYY-MM-DD）") from None


def import_nodes(
    *,
    actor,
    content: bytes,
    filename: str = "",
    dry_run: bool = False,
    reason: str = "",
    pinned: dict[str, str] | None = None,
):
    """Read, check and (unless ``dry_run`` or a row is refused) save a node file.

    ``reason`` is the user's own for changing nodes dated in locked months (kept in
    the history beside the import's name); without one such a row is refused.

    Planned whole before anything is written, with a fixed number of queries whatever the
    file's length, then written in bulk: 20,000 rows took 108 s one save at a time.
    ``pinned`` is the preview's ``versions``, as the ledger import pins its rows: a row
    whose node someone saved (or added) after the preview is refused, and so the file.
    """
    rows = read_table(content, filename)
    (_number, header), body = rows[0], rows[1:]
    names = [str(c).strip() if c is not None else "" for c in header]
    missing = [c for c in REQUIRED if c not in names]
    result = NodeImport()
    if missing:
        result.errors.append((1, "缺少列：" + "、".join(missing)))
        return result
    at = {name: names.index(name) for name in names if name}

    def cell(cells, name):
        i = at.get(name)
        return cells[i] if i is not None and i < len(cells) else None

    reason = (reason or "").strip()
    plan = _Plan.read(
        actor, [str(cell(cells, CODE) or "").strip() for _n, cells in body], reason=reason
    )
    for number, cells in body:
        try:
            result.rows.append(plan.row(number, cells, cell))
        except (ValueError, ValidationError, PermissionDenied) as error:
            message = "；".join(getattr(error, "messages", None) or [str(error)])
            result.errors.append((number, message))
    result.versions = plan.versions
    if pinned is not None:
        result.errors.extend(_stale_rows(pinned, plan.versions))
        result.errors.sort()
    # Rows that pass (what a dry run would save); nothing is written if any row is refused.
    result.saved = len(result.rows)
    if result.errors or dry_run:
        return result
    try:
        services.save_milestones_in_bulk(
            actor=actor,
            new=plan.new,
            changed=plan.changed,
            reason=f"node import：{reason}" if reason else "node import",
        )
    except ValidationError as error:
        result.errors.append((1, "；".join(error.messages)))
        result.saved = 0
    except IntegrityError:
        # A node of the file was added by someone else after it was read: the bulk
        # insert met the one-name-per-project constraint and was rolled back whole.
        result.errors.append((1, str(clash_error().messages[0])))
        result.saved = 0
    return result


def _stale_rows(pinned: dict[str, str], current: dict[str, str]) -> list[tuple[int, str]]:
    """Rows whose node changed, appeared or went since the preview that pinned ``pinned``."""
    message = _(
        "This row's node was changed by someone else after your preview; "
        "upload the file again to see the new preview."
    )
    return [
        (int(number), message)
        for number in sorted(set(current) | set(pinned), key=int)
        if current.get(number) != pinned.get(number)
    ]


class _Plan:
    """What the file will write: the nodes it adds and those it changes, read in bulk."""

    def __init__(self, actor, projects, units, nodes, *, reason="", locked=frozenset()):
        self.actor = actor
        self.reason, self.locked = reason, set(locked)
        self.projects, self.units, self.nodes = projects, units, nodes
        self.last_order = {}
        for node in nodes.values():
            self.last_order[node.project_id] = max(
                self.last_order.get(node.project_id, 0), node.sort_order
            )
        self.refusals: dict[int, PermissionDenied | None] = {}
        self.new: list[Milestone] = []
        self.was: dict[int, tuple] = {}  # existing nodes the file touches: values as read
        self.versions: dict[str, str] = {}  # row number -> its node's stored version or "-"

    @property
    def changed(self) -> list[Milestone]:
        """Existing nodes whose values the file changes (untouched ones are not rewritten)."""
        return [
            node
            for node in self.nodes.values()
            if node.pk in self.was and self.was[node.pk] != _values(node)
        ]

    @classmethod
    def read(cls, actor, codes, *, reason=""):
        projects = {
            p.code: p for p in Project.objects.select_related("unit").filter(code__in=set(codes))
        }
        units = {u.name: u for u in Unit.objects.all()}
        nodes = {
            (n.project_id, n.name): n
            for n in Milestone.objects.filter(project__in=list(projects.values()))
        }
        locked = PeriodLock.objects.locked_months()
        return cls(actor, projects, units, nodes, reason=reason, locked=locked)

    def _may_edit(self, project) -> None:
        """The scope rule, asked once per project however many of its rows the file has."""
        if project.pk not in self.refusals:
            try:
                services.ensure_can_edit(self.actor, project)
                self.refusals[project.pk] = None
            except PermissionDenied as refusal:
                self.refusals[project.pk] = refusal
        if self.refusals[project.pk] is not None:
            raise self.refusals[project.pk]

    def row(self, number, cells, cell) -> NodeRow:
        code = str(cell(cells, CODE) or "").strip()
        project = self.projects.get(code)
        if project is None:
            raise ValueError(f"没有编号为 {code} 的项目")
        self._may_edit(project)
        # unguard: the node export puts an apostrophe before a name starting with "=", "-"...;
        # the name itself is checked by the node's full_clean (one line, nothing invisible).
        unit_name = unguard(str(cell(cells, UNIT) or "").strip())
        unit = None
        if unit_name and unit_name != project.unit.name:
            unit = self.units.get(unit_name)
            if unit is None:
                raise ValueError(f"没有名为“{unit_name}”的责任单位")
        order = cell(cells, ORDER)
        name = unguard(str(cell(cells, NODE) or "").strip())
        planned = _date(cell(cells, PLANNED), PLANNED)
        actual = _date(cell(cells, ACTUAL), ACTUAL)
        sort_order = int(order) if is_filled(order) and str(order).strip().isdigit() else None
        node = self.nodes.get((project.pk, name))
        self.versions[str(number)] = "-" if node is None or node.pk is None else str(node.version)
        is_new = node is None
        if is_new:
            node = Milestone(project=project, name=name)
            if sort_order is None:
                sort_order = self.last_order.get(project.pk, 0) + 10
        elif node.pk not in self.was:
            self.was[node.pk] = _values(node)
        # Dates as stored (a node new in this file had none), whatever earlier rows did.
        stored = (None, None) if node.pk is None else self.was[node.pk][:2]
        # The file has no notes column: a node's note stays as it was.
        services.fill_milestone(
            node,
            name=name,
            planned_date=planned,
            actual_date=actual,
            unit=unit,
            note=node.note,
            sort_order=sort_order,
        )
        services.ensure_dates_unlocked(
            self.actor, services.node_moves(stored, node), self.reason, locked=self.locked
        )
        if is_new:
            self.nodes[(project.pk, name)] = node
            self.new.append(node)
            self.last_order[project.pk] = max(self.last_order.get(project.pk, 0), node.sort_order)
        changed = not is_new and self.was[node.pk] != _values(node)
        return NodeRow(number, code, name, planned, actual, is_new, changed)


def _values(node: Milestone) -> tuple:
    return (node.planned_date, node.actual_date, node.unit_id, node.sort_order)
