"""Import templates and the ledger export, in exactly the columns the importers read.

Because the export writes the import format, exporting a ledger and importing
the file again changes nothing; a test holds us to that.
"""

import io

import openpyxl
from django.utils.translation import gettext as _
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from ..choices import KIND_FILE_LABELS
from ..models import Project, QuarterPlan
from ..schema import FILE_FIELDS, KIND, REFERENCES, reference_text
from ..text import file_row
from .columns import (
    AMOUNT,
    DATE,
    EXAMPLE_PREFIX,
    LEDGER_COLUMNS,
    PROGRESS_COLUMNS,
    Column,
)

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = "yyyy-mm-dd"
AMOUNT_FORMAT = "#,##0.00"


def _sheet_with_rows(workbook, title: str, columns: tuple[Column, ...], rows) -> None:
    sheet = workbook.active
    sheet.title = title
    sheet.append([column.header for column in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        # Text such as "=HYPERLINK(...)" in a name is guarded as in every file the app writes
        # (the import takes the apostrophe off again), and stored text the format cannot hold
        # is dropped.
        sheet.append(file_row(row))
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(12, len(column.header) * 2 + 2)
        number_format = {DATE: DATE_FORMAT, AMOUNT: AMOUNT_FORMAT}.get(column.kind)
        if number_format:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = number_format
    sheet.freeze_panes = "A2"


def _to_bytes(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def template_xlsx(kind: str) -> bytes:
    """An empty import file: the header row, one example row and a notes sheet."""
    columns = LEDGER_COLUMNS if kind == "ledger" else PROGRESS_COLUMNS
    workbook = openpyxl.Workbook()
    title = _("Project ledger") if kind == "ledger" else _("Monthly progress")
    _sheet_with_rows(workbook, str(title), columns, [[column.example for column in columns]])
    notes = workbook.create_sheet(_("Notes"))
    notes.append([_("Column"), _("Required"), _("Also accepted as"), _("Notes")])
    for cell in notes[1]:
        cell.font = Font(bold=True)
    kinds = {
        AMOUNT: _("Amount in 万元; blank means 0; 1,234.50 and full-width digits are read."),
        DATE: _("Date: 2024-03-15, 2024/3/15, 2024年3月15日 or 2024.3.15."),
    }
    for column in columns:
        notes.append(
            [
                column.header,
                _("yes") if column.required else "",
                "、".join((column.key, *column.former)),
                " ".join(str(part) for part in (kinds.get(column.kind, ""), column.note) if part),
            ]
        )
    for row in (
        [],
        [_("Only the first sheet is read. Title rows above the header row are skipped.")],
        [
            _(
                "The example row is only an example: replace it with your own rows. "
                "Rows whose 项目编号 starts with “%(prefix)s” are skipped as examples."
            )
            % {"prefix": EXAMPLE_PREFIX}
        ],
        [_("Nothing is saved unless every row is correct; the preview lists each problem.")],
    ):
        notes.append(row)
    for letter, width in zip("ABCD", (26, 8, 24, 70), strict=True):
        notes.column_dimensions[letter].width = width
    return _to_bytes(workbook)


def ledger_rows(projects=None):
    """The ledger as import rows: one per project and planned year (one row if none)."""
    projects = (
        (projects if projects is not None else Project.objects.all())
        .select_related(*(f.attr for f in REFERENCES))
        .prefetch_related("tags")
    )
    projects = list(projects.order_by("code"))
    plans: dict[int, list[QuarterPlan]] = {}
    for plan in QuarterPlan.objects.filter(project__in=[p.pk for p in projects]).order_by("year"):
        plans.setdefault(plan.project_id, []).append(plan)
    for project in projects:
        for plan in plans.get(project.pk) or [None]:
            yield _ledger_row(project, plan)


def _ledger_row(project: Project, plan: QuarterPlan | None) -> list:
    values = {
        "year": plan.year if plan else project.programme.year,
        "tags": "、".join(sorted(tag.name for tag in project.tags.all())),
    }
    for f in FILE_FIELDS:
        if f.on_project:
            values[f.key] = _cell(f, getattr(project, f.attr))
    for q in (1, 2, 3, 4):
        values[f"planned_investment_q{q}"] = plan.investment(q) if plan else 0
        values[f"planned_inclusion_q{q}"] = plan.inclusion(q) if plan else 0
    return [values[column.key] for column in LEDGER_COLUMNS]


def _cell(field, value):
    """A project's value as the import reads it back."""
    if field.is_reference:
        return reference_text(value)
    if field.kind == KIND:
        return KIND_FILE_LABELS[value]
    return value


def ledger_xlsx(projects=None) -> bytes:
    """The ledger in the import format, ready to be edited and imported again."""
    workbook = openpyxl.Workbook()
    _sheet_with_rows(workbook, str(_("Project ledger")), LEDGER_COLUMNS, ledger_rows(projects))
    return _to_bytes(workbook)
