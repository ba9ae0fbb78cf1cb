"""Importing nodes from a CSV or XLSX file in the ledger file family (the /nodes/ export's columns).

The whole file is checked first; if any row is refused nothing is saved, and every
saved row goes through ``services.save_milestone`` with the importing account.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from projects.imports.reading import is_filled, read_table
from projects.models import Project, Unit
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


def import_nodes(*, actor, content: bytes, filename: str = "", dry_run: bool = False):
    rows = read_table(content, filename)
    (_number, header), body = rows[0], rows[1:]
    names = [str(c).strip() if c is not None else "" for c in header]
    missing = [c for c in REQUIRED if c not in names]
    result = NodeImport()
    if missing:
        result.errors.append((1, "缺少列：" + "、".join(missing)))
        return result
    at = {name: names.index(name) for name in names if name}
    projects = {p.code: p for p in Project.objects.select_related("unit")}
    units = {u.name: u for u in Unit.objects.all()}

    def cell(cells, name):
        i = at.get(name)
        return cells[i] if i is not None and i < len(cells) else None

    try:
        with transaction.atomic():
            for number, cells in body:
                try:
                    result.rows.append(_row(actor, number, cells, cell, projects, units))
                    result.saved += 1
                except (ValueError, ValidationError, PermissionDenied) as error:
                    message = "；".join(getattr(error, "messages", None) or [str(error)])
                    result.errors.append((number, message))
            if result.errors or dry_run:
                raise _Rollback
    except _Rollback:
        pass
    return result


class _Rollback(Exception):
    """Undo every row of a dry run or of a file with refused rows."""


def _row(actor, number, cells, cell, projects, units) -> NodeRow:
    code = str(cell(cells, CODE) or "").strip()
    project = projects.get(code)
    if project is None:
        raise ValueError(f"没有编号为 {code} 的项目")
    # unguard: the node export puts an apostrophe before a name starting with "=", "-"...;
    # the name itself is checked by the node's full_clean (one line, nothing invisible).
    unit_name = unguard(str(cell(cells, UNIT) or "").strip())
    unit = None
    if unit_name and unit_name != project.unit.name:
        unit = units.get(unit_name)
        if unit is None:
            raise ValueError(f"没有名为“{unit_name}”的责任单位")
    order = cell(cells, ORDER)
    name = unguard(str(cell(cells, NODE) or "").strip())
    planned = _date(cell(cells, PLANNED), PLANNED)
    actual = _date(cell(cells, ACTUAL), ACTUAL)
    before = Milestone.objects.filter(project=project, name=name).first()
    node = services.save_milestone(
        actor=actor,
        project=project,
        name=name,
        planned_date=planned,
        actual_date=actual,
        unit=unit,
        # The file has no notes column: a node's note stays as it was.
        note=before.note if before is not None else "",
        sort_order=int(order) if is_filled(order) and str(order).strip().isdigit() else None,
        reason="node import",
    )
    changed = before is not None and (
        (before.planned_date, before.actual_date, before.unit_id, before.sort_order)
        != (node.planned_date, node.actual_date, node.unit_id, node.sort_order)
    )
    return NodeRow(number, code, name, planned, actual, before is None, changed)
