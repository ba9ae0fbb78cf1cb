"""Reading the units' ledger and monthly-progress files, and applying them.

One core serves the admin upload and the management commands:

1. ``read_table`` turns CSV (UTF-8 with or without BOM, GB18030/GBK) or XLSX
   bytes into numbered rows;
2. ``plan_ledger`` / ``plan_progress`` find the header row, parse every cell
   and compare it with what is stored, giving an ``ImportPlan`` (new, changed
   with old -> new values, unchanged, and row/column errors) in a fixed number
   of queries whatever the file's length;
3. ``apply_plan`` writes the new and changed rows through ``projects.services``
   inside one transaction, turning the services' refusals into row errors, and
   rolls everything back when any row has an error (or on a dry run).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import services
from .models import Category, MonthlyProgress, Programme, Project, QuarterPlan, Street, Unit
from .money import CENT

# A guard against a wrong file (a whole database dump) tying up the server.
MAX_ROWS = 20_000
# Title rows above the header row that we are willing to skip.
HEADER_SEARCH_ROWS = 30
EXCEL_EPOCH = dt.date(1899, 12, 30)

TEXT, INTEGER, AMOUNT, DATE, KIND = "text", "integer", "amount", "date", "kind"


# Rows whose project code starts with this are the templates' examples and are never imported.
EXAMPLE_PREFIX = "示例"


@dataclass(frozen=True)
class Column:
    """One column of an import format: its key, its Chinese header and how to read it."""

    key: str
    header: str
    kind: str = TEXT
    required: bool = False
    example: object = ""
    note: object = ""


QUARTER_ZH = {1: "一", 2: "二", 3: "三", 4: "四"}

LEDGER_COLUMNS = (
    Column("code", "项目编号", required=True, example=f"{EXAMPLE_PREFIX}-001"),
    Column("name", "项目名称", required=True, example="示例产业园项目"),
    Column("programme", "项目清单", required=True, example="2024年市级攻坚项目"),
    Column("year", "年度", INTEGER, required=True, example=2024),
    Column("category", "项目类别", required=True, example="先进制造业"),
    Column("unit", "责任单位", required=True, example="区发展和改革局"),
    Column("street", "所在街道", required=True, example="流亭街道"),
    Column("leader", "包联领导", example="张三"),
    Column(
        "kind",
        "建设性质",
        KIND,
        required=True,
        example="新开工",
        note=gettext_lazy("新开工 (new start) or 续建 (continuing)."),
    ),
    Column("total_investment", "总投资（万元）", AMOUNT, example=Decimal("200000.00")),
    Column(
        "planned_start",
        "计划开工日期",
        DATE,
        example=dt.date(2024, 3, 15),
        note=gettext_lazy("Required for a new-start project."),
    ),
    Column(
        "actual_start",
        "实际开工日期",
        DATE,
        note=gettext_lazy("Blank until the works start; never in the future."),
    ),
    Column("planned_completion", "计划竣工日期", DATE, example=dt.date(2025, 12, 31)),
    Column(
        "joined",
        "列入日期",
        DATE,
        note=gettext_lazy("Blank means from the start of the year."),
    ),
    Column(
        "withdrawn",
        "调出日期",
        DATE,
        note=gettext_lazy("Blank means still on the list."),
    ),
    *(
        Column(
            f"planned_investment_q{q}",
            f"{QUARTER_ZH[q]}季度计划投资（万元）",
            AMOUNT,
            example=q * 1000,
        )
        for q in (1, 2, 3, 4)
    ),
    *(
        Column(
            f"planned_inclusion_q{q}",
            f"{QUARTER_ZH[q]}季度计划纳统（万元）",
            AMOUNT,
            example=q * 800,
        )
        for q in (1, 2, 3, 4)
    ),
    Column("image_progress", "形象进度", example="研发楼主体已封顶"),
)

PROGRESS_COLUMNS = (
    Column("code", "项目编号", required=True, example=f"{EXAMPLE_PREFIX}-001"),
    Column("year", "年度", INTEGER, required=True, example=2024),
    Column("month", "月份", INTEGER, required=True, example=3, note=gettext_lazy("1 to 12.")),
    Column("investment", "完成投资（万元）", AMOUNT, required=True, example=Decimal("1234.50")),
    Column("inclusion", "纳统额（万元）", AMOUNT, required=True, example=Decimal("1000.00")),
    Column("image_progress", "形象进度", example="基础施工"),
    Column("problems", "存在问题", example=""),
)

# Which import column a model field's validation error belongs to.
PROJECT_FIELD_COLUMNS = {
    "code": "code",
    "name": "name",
    "programme": "programme",
    "category": "category",
    "unit": "unit",
    "street": "street",
    "leader": "leader",
    "kind": "kind",
    "total_investment": "total_investment",
    "planned_start": "planned_start",
    "actual_start": "actual_start",
    "planned_completion": "planned_completion",
    "joined_on": "joined",
    "withdrawn_on": "withdrawn",
    "image_progress": "image_progress",
}
PLAN_FIELD_COLUMNS = {
    "year": "year",
    **{f"investment_q{q}": f"planned_investment_q{q}" for q in (1, 2, 3, 4)},
    **{f"inclusion_q{q}": f"planned_inclusion_q{q}" for q in (1, 2, 3, 4)},
}
PROGRESS_FIELD_COLUMNS = {
    "year": "year",
    "month": "month",
    "investment": "investment",
    "inclusion": "inclusion",
    "image_progress": "image_progress",
    "problems": "problems",
}


class ImportFileError(Exception):
    """The file as a whole cannot be read (not CSV/XLSX, empty, no header row)."""


# --- reading files ---------------------------------------------------------------------------


def read_table(content: bytes, filename: str = "") -> list[tuple[int, list]]:
    """The non-blank rows of a CSV or XLSX file as (row number as Excel shows it, cells)."""
    if not content or not content.strip():
        raise ImportFileError(_("The file is empty."))
    if content[:4] == b"PK\x03\x04":
        rows = _read_xlsx(content)
    elif content[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise ImportFileError(
            _("This is an old Excel (.xls) file; save it as .xlsx or CSV and upload it again.")
        )
    else:
        rows = _read_csv(content)
    numbered = [(number, cells) for number, cells in rows if any(_is_filled(c) for c in cells)]
    if not numbered:
        raise ImportFileError(_("The file is empty."))
    if len(numbered) > MAX_ROWS:
        raise ImportFileError(
            _("The file has %(count)s rows; import at most %(max)s rows at a time.")
            % {"count": len(numbered), "max": MAX_ROWS}
        )
    return numbered


def _is_filled(cell) -> bool:
    return cell is not None and not (isinstance(cell, str) and not cell.strip())


def _read_xlsx(content: bytes):
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise ImportFileError(
            _("The file cannot be read as an Excel workbook (.xlsx) or a CSV file.")
        ) from exc
    try:
        sheet = workbook.worksheets[0]
        return [(i, list(row)) for i, row in enumerate(sheet.iter_rows(values_only=True), start=1)]
    except Exception as exc:  # openpyxl raises many kinds on damaged sheets
        raise ImportFileError(
            _("The file cannot be read as an Excel workbook (.xlsx) or a CSV file.")
        ) from exc
    finally:
        workbook.close()


def decode_text(content: bytes) -> str:
    """UTF-8 (with or without BOM) first; GB18030, a superset of GBK, as older Excel/WPS save."""
    if b"\x00" in content:
        raise ImportFileError(
            _("The file cannot be read as an Excel workbook (.xlsx) or a CSV file.")
        )
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError(_("The file cannot be read as an Excel workbook (.xlsx) or a CSV file."))


def _read_csv(content: bytes):
    text = decode_text(content)
    try:
        return [(i, row) for i, row in enumerate(csv.reader(io.StringIO(text)), start=1)]
    except csv.Error as exc:
        raise ImportFileError(
            _("The file cannot be read as an Excel workbook (.xlsx) or a CSV file.")
        ) from exc


# --- cells -----------------------------------------------------------------------------------


class CellError(ValueError):
    """A cell that cannot be read; the message is shown to the user."""


def normalise_text(value) -> str:
    """Full-width letters, digits and punctuation become half-width; surrounding spaces go."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFKC", str(value)).strip()


def header_key(value) -> str:
    text = normalise_text(value).lower()
    return re.sub(r"\s+", "", text)


_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
_GROUPED_NUMBER = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?")


def parse_amount(value) -> Decimal:
    """An amount in 万元: blank is zero; "1,234.50", full-width digits and spaces are read."""
    if value is None:
        return Decimal("0")
    if isinstance(value, bool):
        raise CellError(_("“%(value)s” is not a number.") % {"value": value})
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        number = Decimal(repr(value))
        # Excel stores 0.1 + 0.2 as 0.30000000000000004; keep cents, not binary noise.
        cents = number.quantize(Decimal("0.01"))
        return cents if abs(number - cents) < Decimal("1e-9") else number
    if isinstance(value, Decimal):
        return value
    text = re.sub(r"\s+", "", normalise_text(value))
    if not text:
        return Decimal("0")
    if _GROUPED_NUMBER.fullmatch(text):
        text = text.replace(",", "")
    elif not _PLAIN_NUMBER.fullmatch(text):
        raise CellError(_("“%(value)s” is not a number.") % {"value": normalise_text(value)})
    try:
        return Decimal(text)
    except InvalidOperation as exc:  # pragma: no cover - the patterns above rule this out
        raise CellError(_("“%(value)s” is not a number.") % {"value": text}) from exc


def parse_integer(value, suffix: str = "") -> int | None:
    """A year or month: 2024, "2024", 2024.0, "２０２４", "3月"."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise CellError(_("“%(value)s” is not a whole number.") % {"value": value})
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = re.sub(r"\s+", "", normalise_text(value))
    if suffix and text.endswith(suffix):
        text = text[: -len(suffix)]
    if not text:
        return None
    if not re.fullmatch(r"[+-]?\d+", text):
        raise CellError(_("“%(value)s” is not a whole number.") % {"value": normalise_text(value)})
    return int(text)


_DATE_PATTERNS = (
    re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"),
    re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})"),
    re.compile(r"(\d{4})\.(\d{1,2})\.(\d{1,2})"),
    re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日?"),
)


def parse_date(value) -> dt.date | None:
    """2024-03-15, 2024/3/15, 2024年3月15日, 2024.3.15, an Excel date or an Excel serial number."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        raise CellError(_("“%(value)s” is not a date.") % {"value": value})
    if isinstance(value, int | float):
        return _from_serial(value)
    text = re.sub(r"\s+", " ", normalise_text(value))
    if not text:
        return None
    # A date written with a midnight time, as exports from other systems often are.
    text = re.sub(r"[ T]0{1,2}:00(:00(\.0+)?)?$", "", text)
    if re.fullmatch(r"\d+(\.0+)?", text) and len(text.split(".")[0]) <= 5:
        return _from_serial(float(text))
    for pattern in _DATE_PATTERNS:
        match = pattern.fullmatch(text)
        if match:
            year, month, day = (int(part) for part in match.groups())
            try:
                return dt.date(year, month, day)
            except ValueError as exc:
                raise CellError(
                    _("“%(value)s” is not a real date.") % {"value": normalise_text(value)}
                ) from exc
    raise CellError(
        _("“%(value)s” is not a date; write it as 2024-03-15.") % {"value": normalise_text(value)}
    )


def _from_serial(number: float) -> dt.date:
    # Excel's day numbers: 1 is 1900-01-01 (with Excel's phantom 1900-02-29 folded in).
    if not float(number).is_integer() or not 1 <= number <= 2_958_465:
        raise CellError(_("“%(value)s” is not a date.") % {"value": number})
    return EXCEL_EPOCH + dt.timedelta(days=int(number))


KIND_WORDS = {
    "新开工": Project.Kind.NEW,
    "新建": Project.Kind.NEW,
    "new": Project.Kind.NEW,
    "newstart": Project.Kind.NEW,
    "续建": Project.Kind.CONTINUING,
    "continuing": Project.Kind.CONTINUING,
}
KIND_ZH = {Project.Kind.NEW: "新开工", Project.Kind.CONTINUING: "续建"}


def parse_kind(value) -> str | None:
    text = header_key(value)
    if not text:
        return None
    try:
        return KIND_WORDS[text.replace("-", "").replace("_", "")]
    except KeyError:
        raise CellError(
            _("“%(value)s” is not a kind of project; write 新开工 or 续建.")
            % {"value": normalise_text(value)}
        ) from None


# --- header row --------------------------------------------------------------------------------


def _aliases(column: Column) -> set[str]:
    names = {header_key(column.header), header_key(column.key)}
    names.add(header_key(column.header).replace("(万元)", ""))
    names.add(header_key(column.key.replace("_", " ")))
    return names


@dataclass
class Header:
    """Where the header row is and which file column holds each known column."""

    row: int
    positions: dict[str, int]
    labels: dict[str, str]


def locate_header(rows: list[tuple[int, list]], columns) -> tuple[Header, list[RowError]]:
    """The first row naming the code column and at least one other known column."""
    lookup = {alias: column for column in columns for alias in _aliases(column)}
    for index, (number, cells) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        found: dict[str, int] = {}
        labels: dict[str, str] = {}
        for position, cell in enumerate(cells):
            column = lookup.get(header_key(cell))
            if column is not None and column.key not in found:
                found[column.key] = position
                labels[column.key] = str(cell).strip()
        if "code" in found and len(found) >= 2:
            errors = [
                RowError(
                    number,
                    column.header,
                    _("The required column “%(column)s” is missing.") % {"column": column.header},
                )
                for column in columns
                if column.required and column.key not in found
            ]
            return Header(index, found, labels), errors
    raise ImportFileError(
        _(
            "No header row found: the file needs a row with the column names, "
            "starting with “%(column)s”. Download the template to see them."
        )
        % {"column": columns[0].header}
    )


# --- plans -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    """One refused cell or row, as shown to the user."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        if self.column:
            return _("row %(row)s, column %(column)s: %(reason)s") % {
                "row": self.row,
                "column": self.column,
                "reason": self.message,
            }
        return _("row %(row)s: %(reason)s") % {"row": self.row, "reason": self.message}


@dataclass(frozen=True)
class Change:
    """One value a row would change: column header, stored value and the file's value."""

    column: str
    old: str
    new: str


NEW, CHANGED, UNCHANGED = "new", "changed", "unchanged"


@dataclass
class PlannedRow:
    """A valid row of the file and what importing it would do."""

    row: int
    status: str
    code: str
    label: str
    changes: list[Change] = field(default_factory=list)
    payload: dict = field(default_factory=dict)


@dataclass(frozen=True)
class NewLookup:
    """A programme, unit, street or category the file names that does not exist yet."""

    kind: str
    name: str
    first_row: int


@dataclass
class ImportPlan:
    """Everything an import would do, for the preview, before anything is written."""

    kind: str
    filename: str
    rows: list[PlannedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    new_lookups: list[NewLookup] = field(default_factory=list)
    # The user's own reason for changing locked months; the file name alone never is one.
    user_reason: str = ""
    # Row numbers of the template's example rows, left out on purpose.
    example_rows: list[int] = field(default_factory=list)

    def with_status(self, status: str) -> list[PlannedRow]:
        return [row for row in self.rows if row.status == status]

    @property
    def counts(self) -> dict[str, int]:
        return {
            NEW: len(self.with_status(NEW)),
            CHANGED: len(self.with_status(CHANGED)),
            UNCHANGED: len(self.with_status(UNCHANGED)),
            "errors": len(self.errors),
        }

    @property
    def reason(self) -> str:
        text = f"导入 {self.filename}" if self.filename else "导入"
        return f"{text}：{self.user_reason}" if self.user_reason else text


def _display(value, key: str = "") -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, NewLookup):
        return value.name
    if key == "kind":
        return KIND_ZH.get(value, value)
    return str(value)


class _RowReader:
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
            else:
                value = normalise_text(raw) if key == "code" else _clean_text(raw)
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


def _clean_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _field(model, name):
    return model._meta.get_field(name)


def _prepare(content: bytes, filename: str, kind: str, columns):
    plan = ImportPlan(kind=kind, filename=filename)
    rows = read_table(content, filename)
    header, header_errors = locate_header(rows, columns)
    plan.errors.extend(header_errors)
    if plan.errors:
        return plan, header, []
    data_rows = []
    for number, cells in rows[header.row + 1 :]:
        if _is_example(cells, header):
            plan.example_rows.append(number)
        else:
            data_rows.append((number, cells))
    return plan, header, data_rows


def _is_example(cells: list, header: Header) -> bool:
    # A template uploaded unchanged must not write its example as a real project.
    position = header.positions.get("code")
    if position is None or position >= len(cells):
        return False
    return normalise_text(cells[position]).startswith(EXAMPLE_PREFIX)


def plan_progress(content: bytes, *, filename: str = "") -> ImportPlan:
    """Read a monthly-progress file and compare it with the stored entries."""
    plan, header, data_rows = _prepare(content, filename, "progress", PROGRESS_COLUMNS)
    if plan.errors:
        return plan
    readers = []
    for number, cells in data_rows:
        reader = _RowReader(number, cells, header, PROGRESS_COLUMNS, plan.errors)
        values = {
            "code": reader.get("code"),
            "year": reader.get("year", _field(MonthlyProgress, "year")),
            "month": reader.get("month", _field(MonthlyProgress, "month")),
            "investment": reader.get("investment", _field(MonthlyProgress, "investment")),
            "inclusion": reader.get("inclusion", _field(MonthlyProgress, "inclusion")),
        }
        for key in ("image_progress", "problems"):
            if reader.has(key):
                values[key] = reader.get(key)
        readers.append((reader, values))

    codes = {values["code"] for _reader, values in readers if values["code"]}
    projects = {
        project.code: project
        for project in Project.objects.filter(code__in=codes).select_related("unit")
    }
    existing = {
        (entry.project_id, entry.year, entry.month): entry
        for entry in MonthlyProgress.objects.filter(project__code__in=codes)
    }
    seen: dict[tuple, int] = {}
    for reader, values in readers:
        project = projects.get(values["code"]) if values["code"] else None
        if values["code"] and project is None:
            reader.error("code", _("There is no project with the code “%(code)s”.") % values)
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
                    changes.append(Change(reader.label(name), _display(old), _display(new)))
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


def plan_ledger(content: bytes, *, filename: str = "") -> ImportPlan:
    """Read a project ledger and compare it with the stored projects and plans."""
    plan, header, data_rows = _prepare(content, filename, "ledger", LEDGER_COLUMNS)
    if plan.errors:
        return plan
    project_fields = {c.key: _field(Project, a) for c, a in _ledger_model_fields(Project)}
    plan_fields = {c.key: _field(QuarterPlan, a) for c, a in _ledger_model_fields(QuarterPlan)}
    readers = []
    for number, cells in data_rows:
        reader = _RowReader(number, cells, header, LEDGER_COLUMNS, plan.errors)
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
        for p in Project.objects.filter(code__in=codes).select_related(
            "programme", "category", "unit", "street"
        )
    }
    plans = {(p.project_id, p.year): p for p in QuarterPlan.objects.filter(project__code__in=codes)}
    new_lookups: dict[tuple[str, str], NewLookup] = {}
    seen_rows: dict[tuple[str, int], int] = {}
    first_values: dict[str, tuple[int, dict]] = {}

    for reader, values in readers:
        if reader.failed:
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
                        Change(reader.label(key), _display(old, key), _display(new, key))
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
                    changes.append(Change(reader.label(key), _display(old), _display(new)))
        # An all-zero plan where none is stored is no plan: export -> import changes nothing.
        wants_plan = stored_plan is not None or any(v for v in plan_values.values())
        if stored_plan is None and wants_plan and project is not None:
            changes.append(Change(_("quarterly plan"), "", str(year)))
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


# --- applying ---------------------------------------------------------------------------------


@dataclass
class ImportResult:
    """What an import did: the plan, the errors found while writing, and whether it was kept."""

    plan: ImportPlan
    errors: list[RowError]
    written: bool

    @property
    def counts(self) -> dict[str, int]:
        return {**self.plan.counts, "errors": len(self.errors)}


def apply_plan(
    plan: ImportPlan,
    *,
    actor=None,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    """Write the plan's new and changed rows through the services, all or nothing.

    Even when the plan already has errors, or on a dry run, the valid rows go
    through the services (and are rolled back) so that the preview lists every
    refusal the real import would meet: locked months, permissions, model rules.
    """
    errors = list(plan.errors)
    todo = [row for row in plan.rows if row.status != UNCHANGED]
    with transaction.atomic():
        if plan.kind == "ledger":
            _apply_ledger(plan, todo, actor, errors, progress)
        else:
            _apply_progress(plan, todo, actor, errors, progress)
        written = not errors and not dry_run
        if not written:
            transaction.set_rollback(True)
    errors.sort(key=lambda e: e.row)
    return ImportResult(plan=plan, errors=errors, written=written)


def _apply_ledger(plan, todo, actor, errors, progress) -> None:
    # A ledger has a few hundred rows at most; each goes through the services on its own.
    created = _create_lookups(plan, actor, errors)
    for done, row in enumerate(todo, start=1):
        try:
            with transaction.atomic():
                _apply_ledger_row(row, actor, plan, created)
        except ValidationError as exc:
            errors.extend(_validation_errors(row, exc, plan.kind))
        except PermissionDenied as exc:
            # Refused for the project's unit: point at the unit, or at the code of a new one.
            key = "unit" if row.status != NEW else "code"
            errors.append(RowError(row.row, _column_header(plan.kind, key), str(exc)))
        if progress is not None:
            progress(done, len(todo))


# Progress files run to thousands of rows: written in chunks by the batch service.
PROGRESS_CHUNK = 500


def _apply_progress(plan, todo, actor, errors, progress) -> None:
    for start in range(0, len(todo), PROGRESS_CHUNK):
        chunk = todo[start : start + PROGRESS_CHUNK]
        entries = [
            services.ProgressInput(
                project=row.payload["project"],
                year=row.payload["year"],
                month=row.payload["month"],
                investment=row.payload["investment"],
                inclusion=row.payload["inclusion"],
                image_progress=row.payload["image_progress"],
                problems=row.payload["problems"],
                expected_version=row.payload["entry"].version if row.payload["entry"] else None,
            )
            for row in chunk
        ]
        refusals = services.record_progress_batch(
            actor=actor, entries=entries, reason=plan.reason, locked_reason=plan.user_reason
        )
        for index, exc in refusals.items():
            row = chunk[index]
            if isinstance(exc, ValidationError):
                errors.extend(_validation_errors(row, exc, plan.kind))
            else:
                errors.append(RowError(row.row, _column_header(plan.kind, "code"), str(exc)))
        if progress is not None:
            progress(start + len(chunk), len(todo))


def _create_lookups(plan: ImportPlan, actor, errors: list[RowError]) -> dict:
    created = {}
    models = {str(label): (key, model) for key, model, label in LOOKUPS}
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
            if key in ("leader", "image_progress", "name") and value is None:
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
    actor=None,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
    reason: str = "",
) -> ImportResult:
    """Plan and apply a file; a file that cannot be read raises ``ImportFileError``.

    ``reason`` is the user's own for changing locked months; without one a row
    in a locked month is refused, whoever imports.
    """
    plan = PLANNERS[kind](content, filename=filename)
    plan.user_reason = (reason or "").strip()
    return apply_plan(plan, actor=actor, dry_run=dry_run, progress=progress)
