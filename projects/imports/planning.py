"""Planning an import: every row parsed and compared with what is stored, nothing written.

The progress and ledger planners share the row reader and the scoping rule, so they
stay in one module (just over 500 lines; splitting would part the reader from its two users);
the ledger's columns and key maps come from ``projects.schema``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ..models import MonthlyProgress, Project, QuarterPlan
from ..money import CENT
from ..schema import PROJECT_FILE_FIELDS, REFERENCES
from ..services.checks import can_manage_all_units
from .cells import (
    CellError,
    Header,
    header_key,
    locate_header,
    normalise_text,
    parse_amount,
    parse_coordinate,
    parse_date,
    parse_integer,
    parse_kind,
    parse_line,
    parse_note,
)
from .columns import (
    ACKNOWLEDGED_NO,
    ACKNOWLEDGED_YES,
    AMOUNT,
    CLASSIFICATION,
    COORDINATE,
    DATE,
    EXAMPLE_PREFIX,
    INTEGER,
    KIND,
    LEDGER_COLUMNS,
    LOOKUP,
    NOTE,
    PROGRESS_COLUMNS,
    TEXT,
    Column,
)
from .reading import read_table
from .results import (
    CHANGED,
    NEW,
    UNCHANGED,
    Change,
    ImportPlan,
    NewLookup,
    PlannedRow,
    RowError,
    display_value,
)
from .tags import split_tags, stored_tags_of


class RowReader:
    """Reads one data row's cells by column key, collecting errors with their headers."""

    def __init__(self, number: int, cells: list, header: Header, columns, errors: list[RowError]):
        self.number, self.cells, self.header = number, cells, header
        self.columns = {column.key: column for column in columns}
        self.errors = errors
        self.failed = False

    def has(self, key: str) -> bool:
        return key in self.header.positions

    def label(self, key: str) -> str:
        return self.header.labels.get(key) or self.columns[key].header

    def raw(self, key: str):
        position = self.header.positions.get(key)
        if position is None or position >= len(self.cells):
            return None
        return self.cells[position]

    def error(self, key: str, message) -> None:
        self.errors.append(RowError(self.number, self.label(key) if key else "", str(message)))
        self.failed = True

    def get(self, key: str, model_field=None):
        column = self.columns[key]
        raw = self.raw(key)
        try:
            if column.kind == AMOUNT:
                value = parse_amount(raw)
            elif column.kind == INTEGER:
                value = parse_integer(raw, suffix="月" if key == "month" else "年")
            elif column.kind == DATE:
                value = parse_date(raw)
            elif column.kind == KIND:
                value = parse_kind(raw)
            elif column.kind == COORDINATE:
                value = parse_coordinate(raw)
            elif column.kind == NOTE:
                value = parse_note(raw)
            else:  # TEXT, and the names of LOOKUP and CLASSIFICATION entries
                value = parse_line(raw, code=key == "code")
        except CellError as exc:
            self.error(key, exc)
            return None
        if column.required and value in (None, ""):
            self.error(key, _("This column cannot be blank."))
            return None
        if model_field is not None and value not in (None, ""):
            # The model's own reading and validators: one place of truth for ranges, places
            # and stored forms (a 项目代码 typed 全角 or without its hyphens).
            try:
                value = model_field.to_python(value)
                model_field.run_validators(value)
            except ValidationError as exc:
                self.error(key, " ".join(exc.messages))
                return None
        if column.kind == AMOUNT:
            # Validated to at most two places above, so this only fixes the scale: 55 -> 55.00.
            value = value.quantize(CENT)
        return value


def field_of(model, name):
    return model._meta.get_field(name)


def prepare(content: bytes, filename: str, kind: str, columns):
    plan = ImportPlan(kind=kind, filename=filename)
    rows = read_table(content, filename)
    header, header_errors = locate_header(rows, columns)
    plan.errors.extend(header_errors)
    if plan.errors:
        return plan, header, []
    data_rows = []
    for number, cells in rows[header.row + 1 :]:
        if is_example(cells, header):
            plan.example_rows.append(number)
        else:
            data_rows.append((number, cells))
    return plan, header, data_rows


def is_example(cells: list, header: Header) -> bool:
    # A template uploaded unchanged must not write its example as a real project.
    position = header.positions.get("code")
    if position is None or position >= len(cells):
        return False
    return normalise_text(cells[position]).startswith(EXAMPLE_PREFIX)


def not_yours(code) -> str:
    # The same words whether the code exists or not: a refusal must not reveal what is stored.
    return _("“%(code)s” is not the code of one of your unit's projects.") % {"code": code}


def plan_progress(content: bytes, *, filename: str = "", actor) -> ImportPlan:
    """Read a monthly-progress file and compare it with the stored entries the actor may change."""
    plan, header, data_rows = prepare(content, filename, "progress", PROGRESS_COLUMNS)
    if plan.errors:
        return plan
    readers = []
    for number, cells in data_rows:
        reader = RowReader(number, cells, header, PROGRESS_COLUMNS, plan.errors)
        values = {
            "code": reader.get("code"),
            "year": reader.get("year", field_of(MonthlyProgress, "year")),
            "month": reader.get("month", field_of(MonthlyProgress, "month")),
            "investment": reader.get("investment", field_of(MonthlyProgress, "investment")),
            "inclusion": reader.get("inclusion", field_of(MonthlyProgress, "inclusion")),
        }
        for key in ("image_progress", "problems"):
            if reader.has(key):
                values[key] = reader.get(key)
        values["acknowledged"] = _acknowledged(reader)
        readers.append((reader, values))

    codes = {values["code"] for _reader, values in readers if values["code"]}
    projects = {
        project.code: project
        for project in Project.objects.restrict(actor, "change")
        .filter(code__in=codes)
        .select_related("unit")
    }
    existing = {
        (entry.project_id, entry.year, entry.month): entry
        for entry in MonthlyProgress.objects.filter(project__in=projects.values())
    }
    sees_all = can_manage_all_units(actor)
    seen: dict[tuple, int] = {}
    for reader, values in readers:
        project = projects.get(values["code"]) if values["code"] else None
        if values["code"] and project is None:
            if sees_all:
                reader.error("code", _("There is no project with the code “%(code)s”.") % values)
            else:
                reader.error("code", not_yours(values["code"]))
        if reader.failed:
            continue
        key = (project.code, values["year"], values["month"])
        if key in seen:
            reader.error(
                "month",
                _("Row %(other)s already has %(code)s for %(year)s-%(month)02d.")
                % {"other": seen[key], **values},
            )
            continue
        seen[key] = reader.number
        entry = existing.get((project.pk, values["year"], values["month"]))
        desired = {
            "investment": values["investment"],
            "inclusion": values["inclusion"],
            "image_progress": values.get("image_progress", entry.image_progress if entry else ""),
            "problems": values.get("problems", entry.problems if entry else ""),
        }
        changes = []
        if entry is not None:
            for name, new in desired.items():
                old = getattr(entry, name)
                if old != new:
                    changes.append(
                        Change(reader.label(name), display_value(old), display_value(new))
                    )
        plan.rows.append(
            PlannedRow(
                row=reader.number,
                status=NEW if entry is None else CHANGED if changes else UNCHANGED,
                code=project.code,
                label=f"{project.code} {values['year']}-{values['month']:02d}",
                changes=changes,
                payload={
                    "project": project,
                    "year": values["year"],
                    "month": values["month"],
                    "entry": entry,
                    "acknowledged": values["acknowledged"],
                    **desired,
                },
            )
        )
    return plan


def _acknowledged(reader: RowReader) -> bool:
    """The 已核实 cell: 是 confirms the row's flagged figures, blank or 否 leaves them asked."""
    if not reader.has("acknowledged"):
        return False
    value = reader.get("acknowledged") or ""
    if value in ACKNOWLEDGED_YES:
        return True
    if value and value not in ACKNOWLEDGED_NO:
        reader.error("acknowledged", _("Write 是 to confirm the figures, or leave it blank."))
    return False


def lookups() -> tuple:
    """(key, model, label) of each named list a ledger file names and may add to."""
    return tuple((f.key, f.related_model(), f.label()) for f in REFERENCES if f.kind == LOOKUP)


PROJECT_VALUE_KEYS = tuple(f.key for f in PROJECT_FILE_FIELDS)
PROJECT_ATTRS = {f.key: f.attr for f in PROJECT_FILE_FIELDS}
# Blank text is stored as "", not NULL.
TEXT_KEYS = frozenset(f.key for f in PROJECT_FILE_FIELDS if f.kind in (TEXT, NOTE))
PLAN_KEYS = tuple(
    (f"{prefix}_q{q}", f"{attr}_q{q}")
    for q in (1, 2, 3, 4)
    for prefix, attr in (("planned_investment", "investment"), ("planned_inclusion", "inclusion"))
)


def _lookup_key(name: str) -> str:
    return header_key(name)


@dataclass
class _LedgerState:
    """What every row of one ledger file is compared with, loaded in a handful of queries."""

    known: dict[str, dict]
    projects: dict[str, Project]
    plans: dict[tuple[int, int], QuarterPlan]
    sees_all: bool
    stored_tags: dict
    new_lookups: dict[tuple[str, str], NewLookup] = field(default_factory=dict)
    seen_rows: dict[tuple[str, int], int] = field(default_factory=dict)
    first_values: dict[str, tuple[int, dict]] = field(default_factory=dict)


def plan_ledger(content: bytes, *, filename: str = "", actor) -> ImportPlan:
    """Read a project ledger and compare it with the stored projects the actor may change."""
    plan, header, data_rows = prepare(content, filename, "ledger", LEDGER_COLUMNS)
    if plan.errors:
        return plan
    readers = _read_ledger_rows(data_rows, header, plan.errors)
    state = _load_state(readers, header, actor)
    for reader, values in readers:
        if not reader.failed:
            row = _plan_ledger_row(reader, values, state)
            if row is not None:
                plan.rows.append(row)
    plan.new_lookups = list(state.new_lookups.values())
    return plan


def _read_ledger_rows(data_rows, header: Header, errors: list[RowError]) -> list:
    model_fields = {c.key: field_of(Project, a) for c, a in _ledger_model_fields(Project)}
    model_fields |= {c.key: field_of(QuarterPlan, a) for c, a in _ledger_model_fields(QuarterPlan)}
    readers = []
    for number, cells in data_rows:
        reader = RowReader(number, cells, header, LEDGER_COLUMNS, errors)
        values = {
            column.key: reader.get(column.key, model_fields.get(column.key))
            for column in LEDGER_COLUMNS
            if reader.has(column.key)
        }
        readers.append((reader, values))
    return readers


def _reference_index(reference) -> dict:
    index = {}
    for obj in reference.related_model().objects.all():
        index.setdefault(_lookup_key(obj.name), obj)
        index.setdefault(_lookup_key(obj.code), obj)
        # "C 制造业", as the classification's own tables write a section.
        index.setdefault(_lookup_key(f"{obj.code}{obj.name}"), obj)
        # "王某某（副区长）", as a ledger may name a leader with the post.
        if getattr(obj, "title", ""):
            index.setdefault(_lookup_key(obj.full_name), obj)
    return index


def _load_state(readers: list, header: Header, actor) -> _LedgerState:
    # Every lookup and stored row in a handful of queries, whatever the file's length.
    codes = {values["code"] for _reader, values in readers if values.get("code")}
    related = [f.attr for f in REFERENCES]
    projects = {
        p.code: p
        for p in Project.objects.restrict(actor, "change")
        .filter(code__in=codes)
        .select_related(*related)
    }
    return _LedgerState(
        known={f.key: _reference_index(f) for f in REFERENCES if f.key in header.positions},
        projects=projects,
        plans={
            (p.project_id, p.year): p
            for p in QuarterPlan.objects.filter(project__in=projects.values())
        },
        # Only managers add projects; anyone else's unknown code may be another unit's.
        sees_all=can_manage_all_units(actor),
        stored_tags=stored_tags_of(projects) if "tags" in header.positions else {},
    )


def _plan_ledger_row(reader: RowReader, values: dict, state: _LedgerState) -> PlannedRow | None:
    code, year = values["code"], values["year"]
    if code not in state.projects and not state.sees_all:
        reader.error("code", not_yours(code))
        return None
    if not _resolve_references(reader, values, state) or not _first_for_year(reader, values, state):
        return None
    project = state.projects.get(code)
    project_values = _project_values(reader, values, state)
    if project_values is None:
        return None
    changes = _project_changes(reader, project, project_values, values)
    stored_plan = state.plans.get((project.pk, year)) if project else None
    plan_values = _plan_values(reader, stored_plan, values, changes)
    # An all-zero plan where none is stored is no plan: export -> import changes nothing.
    wants_plan = stored_plan is not None or any(v for v in plan_values.values())
    if stored_plan is None and wants_plan and project is not None:
        changes.append(Change(_("quarterly plan"), "", str(year)))
    tags = _tags(reader, values, project, state, changes)
    return PlannedRow(
        row=reader.number,
        status=NEW if project is None else CHANGED if changes else UNCHANGED,
        code=code,
        label=f"{code} {values.get('name') or (project.name if project else '')}",
        changes=changes,
        payload={
            "project": project,
            "code": code,
            "year": year,
            "project_values": project_values,
            "plan": stored_plan,
            "plan_values": plan_values if wants_plan else None,
            # None: leave the project's campaigns as they are.
            "tags": tags,
        },
    )


def _resolve_references(reader: RowReader, values: dict, state: _LedgerState) -> bool:
    """Named lists become objects (unknown names: lookups to create); False on a bad entry."""
    for reference in REFERENCES:
        key = reference.key
        if key not in values:
            continue
        name = values[key]
        if reference.kind == CLASSIFICATION and not name:
            values[key] = None
            continue
        obj = state.known[key].get(_lookup_key(name))
        if obj is not None:
            values[key] = obj
        elif reference.kind == CLASSIFICATION:
            reader.error(key, _unknown_entry(reference, name))
            return False
        else:
            lookup_id = (key, _lookup_key(name))
            if lookup_id not in state.new_lookups:
                state.new_lookups[lookup_id] = NewLookup(
                    str(reference.label()), name, reader.number
                )
            values[key] = state.new_lookups[lookup_id]
    return True


def _unknown_entry(reference, name: str) -> str:
    # A classification is fixed: a file cannot add an entry, so say what it may write.
    return str(reference.unknown) % {"value": name}


def _first_for_year(reader: RowReader, values: dict, state: _LedgerState) -> bool:
    code, year = values["code"], values["year"]
    if (code, year) in state.seen_rows:
        reader.error(
            "year",
            _("Row %(other)s already has %(code)s for %(year)s.")
            % {"other": state.seen_rows[(code, year)], "code": code, "year": year},
        )
        return False
    state.seen_rows[(code, year)] = reader.number
    return True


def _project_values(reader: RowReader, values: dict, state: _LedgerState) -> dict | None:
    """The project's own values from its first row; later rows (other years) must agree."""
    code = values["code"]
    project_values = {k: values[k] for k in PROJECT_VALUE_KEYS if k in values}
    if code not in state.first_values:
        state.first_values[code] = (reader.number, project_values)
        return project_values
    other_row, other_values = state.first_values[code]
    differing = [k for k in project_values if project_values[k] != other_values.get(k)]
    if differing:
        reader.error(
            differing[0],
            _("This differs from row %(other)s for the same project.") % {"other": other_row},
        )
        return None
    return {}


def _project_changes(reader: RowReader, project, project_values: dict, values: dict) -> list:
    if project is None:
        return []
    changes = []
    for key, new in project_values.items():
        old = getattr(project, PROJECT_ATTRS[key])
        if key == "joined" and new is None:
            new = dt.date(_year_of(values["programme"], values["year"]), 1, 1)
        if key in TEXT_KEYS and new is None:
            new = ""
        if old != new:
            changes.append(
                Change(reader.label(key), display_value(old, key), display_value(new, key))
            )
    return changes


def _plan_values(reader: RowReader, stored_plan, values: dict, changes: list) -> dict:
    plan_values = {}
    for key, attr in PLAN_KEYS:
        old = getattr(stored_plan, attr) if stored_plan else Decimal("0")
        new = values.get(key, old)
        plan_values[attr] = new
        if stored_plan is not None and old != new:
            changes.append(Change(reader.label(key), display_value(old), display_value(new)))
    return plan_values


def _tags(reader: RowReader, values: dict, project, state: _LedgerState, changes: list):
    code = values["code"]
    if "tags" not in values or state.first_values[code][0] != reader.number:
        return None
    tags = split_tags(values["tags"])
    old_tags = state.stored_tags.get(code, ())
    if project is not None and tags != old_tags:
        changes.append(Change(reader.label("tags"), "、".join(old_tags), "、".join(tags)))
    elif project is None and not tags:
        return None
    return tags


def _ledger_model_fields(model):
    if model is Project:
        for f in PROJECT_FILE_FIELDS:
            if not f.is_reference:
                yield _column(f.key), f.attr
    else:
        yield _column("year"), "year"
        for key, attr in PLAN_KEYS:
            yield _column(key), attr


def _column(key: str) -> Column:
    return next(c for c in LEDGER_COLUMNS if c.key == key)


def _year_of(programme, fallback: int) -> int:
    return getattr(programme, "year", None) or fallback
