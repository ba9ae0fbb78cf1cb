"""Planning an import: every row parsed and compared with what is stored, nothing written.

Over 400 lines on purpose: the progress and ledger planners share the row reader
and the scoping rule, and splitting them apart would split that one rule.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import (
    Category,
    MonthlyProgress,
    Programme,
    Project,
    QuarterPlan,
    Street,
    Unit,
)
from ..money import CENT
from ..services.checks import can_manage_all_units
from .cells import (
    CellError,
    Header,
    header_key,
    locate_header,
    normalise_text,
    parse_amount,
    parse_date,
    parse_integer,
    parse_kind,
    parse_line,
    parse_note,
)
from .columns import (
    AMOUNT,
    DATE,
    EXAMPLE_PREFIX,
    INTEGER,
    KIND,
    LEDGER_COLUMNS,
    NOTE,
    PROGRESS_COLUMNS,
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
            elif column.kind == NOTE:
                value = parse_note(raw)
            else:
                value = parse_line(raw, code=key == "code")
        except CellError as exc:
            self.error(key, exc)
            return None
        if column.required and value in (None, ""):
            self.error(key, _("This column cannot be blank."))
            return None
        if model_field is not None and value not in (None, ""):
            # The model's own validators: one place of truth for ranges and places.
            try:
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
                    **desired,
                },
            )
        )
    return plan


LOOKUPS = (
    ("programme", Programme, gettext_lazy("programme")),
    ("category", Category, gettext_lazy("category")),
    ("unit", Unit, gettext_lazy("responsible unit")),
    ("street", Street, gettext_lazy("street")),
)
PROJECT_VALUE_KEYS = (
    "name",
    "programme",
    "category",
    "unit",
    "street",
    "leader",
    "kind",
    "total_investment",
    "planned_start",
    "actual_start",
    "planned_completion",
    "joined",
    "withdrawn",
    "image_progress",
)
PROJECT_ATTRS = {key: key for key in PROJECT_VALUE_KEYS} | {
    "joined": "joined_on",
    "withdrawn": "withdrawn_on",
}


def _lookup_key(name: str) -> str:
    return header_key(name)


def plan_ledger(content: bytes, *, filename: str = "", actor) -> ImportPlan:  # noqa: C901 (being split into steps)
    """Read a project ledger and compare it with the stored projects the actor may change."""
    plan, header, data_rows = prepare(content, filename, "ledger", LEDGER_COLUMNS)
    if plan.errors:
        return plan
    project_fields = {c.key: field_of(Project, a) for c, a in _ledger_model_fields(Project)}
    plan_fields = {c.key: field_of(QuarterPlan, a) for c, a in _ledger_model_fields(QuarterPlan)}
    readers = []
    for number, cells in data_rows:
        reader = RowReader(number, cells, header, LEDGER_COLUMNS, plan.errors)
        values = {}
        for column in LEDGER_COLUMNS:
            if reader.has(column.key):
                model_field = project_fields.get(column.key) or plan_fields.get(column.key)
                values[column.key] = reader.get(column.key, model_field)
        readers.append((reader, values))

    # Every lookup and stored row in a handful of queries, whatever the file's length.
    known = {}
    for key, model, _label in LOOKUPS:
        index = {}
        for obj in model.objects.all():
            index.setdefault(_lookup_key(obj.name), obj)
            index.setdefault(_lookup_key(obj.code), obj)
        known[key] = index
    codes = {values["code"] for _reader, values in readers if values.get("code")}
    projects = {
        p.code: p
        for p in Project.objects.restrict(actor, "change")
        .filter(code__in=codes)
        .select_related("programme", "category", "unit", "street")
    }
    plans = {
        (p.project_id, p.year): p for p in QuarterPlan.objects.filter(project__in=projects.values())
    }
    # Only managers add projects; anyone else's unknown code may be another unit's.
    sees_all = can_manage_all_units(actor)
    stored_tags = stored_tags_of(projects) if "tags" in header.positions else {}
    new_lookups: dict[tuple[str, str], NewLookup] = {}
    seen_rows: dict[tuple[str, int], int] = {}
    first_values: dict[str, tuple[int, dict]] = {}

    for reader, values in readers:
        if reader.failed:
            continue
        if values["code"] not in projects and not sees_all:
            reader.error("code", not_yours(values["code"]))
            continue
        # Resolve the named lists; unknown names become lookups to create.
        for key, _model, label in LOOKUPS:
            name = values[key]
            obj = known[key].get(_lookup_key(name))
            if obj is None:
                lookup_id = (key, _lookup_key(name))
                if lookup_id not in new_lookups:
                    new_lookups[lookup_id] = NewLookup(str(label), name, reader.number)
                values[key] = new_lookups[lookup_id]
            else:
                values[key] = obj
        code, year = values["code"], values["year"]
        if (code, year) in seen_rows:
            reader.error(
                "year",
                _("Row %(other)s already has %(code)s for %(year)s.")
                % {"other": seen_rows[(code, year)], "code": code, "year": year},
            )
            continue
        seen_rows[(code, year)] = reader.number
        project = projects.get(code)
        project_values = {k: values[k] for k in PROJECT_VALUE_KEYS if k in values}
        if code in first_values:
            # The same project on several rows (one per year): its details must agree.
            other_row, other_values = first_values[code]
            differing = [k for k in project_values if project_values[k] != other_values.get(k)]
            if differing:
                reader.error(
                    differing[0],
                    _("This differs from row %(other)s for the same project.")
                    % {"other": other_row},
                )
                continue
            project_values = {}
        else:
            first_values[code] = (reader.number, project_values)
        changes = []
        if project is not None:
            for key, new in project_values.items():
                old = getattr(project, PROJECT_ATTRS[key])
                if key == "joined" and new is None:
                    new = dt.date(_year_of(values["programme"], year), 1, 1)
                if key in ("image_progress", "leader", "name") and new is None:
                    new = ""
                if old != new:
                    changes.append(
                        Change(reader.label(key), display_value(old, key), display_value(new, key))
                    )
        stored_plan = plans.get((project.pk, year)) if project else None
        plan_values = {}
        for q in (1, 2, 3, 4):
            for prefix, attr in (
                ("planned_investment", "investment"),
                ("planned_inclusion", "inclusion"),
            ):
                key = f"{prefix}_q{q}"
                old = getattr(stored_plan, f"{attr}_q{q}") if stored_plan else Decimal("0")
                new = values.get(key, old)
                plan_values[f"{attr}_q{q}"] = new
                if stored_plan is not None and old != new:
                    changes.append(
                        Change(reader.label(key), display_value(old), display_value(new))
                    )
        # An all-zero plan where none is stored is no plan: export -> import changes nothing.
        wants_plan = stored_plan is not None or any(v for v in plan_values.values())
        if stored_plan is None and wants_plan and project is not None:
            changes.append(Change(_("quarterly plan"), "", str(year)))
        tags = None
        if "tags" in values and code in first_values and first_values[code][0] == reader.number:
            tags = split_tags(values["tags"])
            old_tags = stored_tags.get(code, ())
            if project is not None and tags != old_tags:
                changes.append(Change(reader.label("tags"), "、".join(old_tags), "、".join(tags)))
            elif project is None and not tags:
                tags = None
        status = NEW if project is None else CHANGED if changes else UNCHANGED
        plan.rows.append(
            PlannedRow(
                row=reader.number,
                status=status,
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
        )
    plan.new_lookups = list(new_lookups.values())
    return plan


def _ledger_model_fields(model):
    if model is Project:
        for key, attr in PROJECT_ATTRS.items():
            if key not in ("programme", "category", "unit", "street"):
                yield _column(key), attr
    else:
        yield _column("year"), "year"
        for q in (1, 2, 3, 4):
            yield _column(f"planned_investment_q{q}"), f"investment_q{q}"
            yield _column(f"planned_inclusion_q{q}"), f"inclusion_q{q}"


def _column(key: str) -> Column:
    return next(c for c in LEDGER_COLUMNS if c.key == key)


def _year_of(programme, fallback: int) -> int:
    return getattr(programme, "year", None) or fallback
