"""The dispatch meeting's agenda (督办清单) as XLSX and Word files, grouped by department."""

import datetime as dt
import io

from docx import Document
from docx.shared import Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from projects.exports.registry import AGENDA, Exporter, ExportFile, register
from projects.text import file_row, xml_text

from .selectors import CLOSED, DUE_SOON, OVERDUE, AgendaGroup

HEADS = [
    "序号",
    "项目编号",
    "项目名称",
    "责任单位",
    "问题类型",
    "问题描述",
    "包联领导",
    "提出日期",
    "办理时限",
    "状态",
    "预警",
    "已历时（天）",
]
FLAG_ZH = {OVERDUE: "超期", DUE_SOON: "临期", CLOSED: "已销号"}
UNASSIGNED = "未交办"
WIDTHS = (6, 12, 28, 18, 12, 48, 10, 12, 12, 10, 8, 10)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _date(value: dt.date | None) -> str:
    return value.isoformat() if value else "—"


def _cells(index: int, problem) -> list:
    return [
        index,
        problem.project.code,
        problem.project.name,
        problem.project.unit.name,
        str(problem.get_kind_display()),
        problem.description,
        problem.leader or "—",
        _date(problem.raised_on),
        _date(problem.deadline),
        str(problem.get_status_display()),
        FLAG_ZH.get(problem.flag, ""),
        problem.age,
    ]


def _title(today: dt.date) -> str:
    return f"重点项目问题督办清单（{today:%Y年%m月%d日}）"


def agenda_xlsx(groups: list[AgendaGroup], today: dt.date) -> ExportFile:
    book = Workbook()
    sheet = book.active
    sheet.title = "督办清单"
    sheet.append(file_row([_title(today)]))
    sheet["A1"].font = Font(bold=True, size=14)
    for group in groups:
        sheet.append([])
        sheet.append(
            file_row([f"责任部门：{group.department or UNASSIGNED}（{len(group.problems)}项）"])
        )
        sheet.cell(sheet.max_row, 1).font = Font(bold=True)
        sheet.append(HEADS)
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
        for index, problem in enumerate(group.problems, start=1):
            sheet.append(file_row(_cells(index, problem)))
            sheet.cell(sheet.max_row, 6).alignment = Alignment(wrap_text=True)
    for column, width in zip("ABCDEFGHIJKL", WIDTHS, strict=True):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    book.save(out)
    return ExportFile(out.getvalue(), XLSX, f"督办清单-{today:%Y%m%d}.xlsx")


def agenda_docx(groups: list[AgendaGroup], today: dt.date) -> ExportFile:
    document = Document()
    document.styles["Normal"].font.size = Pt(10.5)
    document.add_heading(_title(today), level=1)
    if not groups:
        document.add_paragraph("没有需要调度的问题。")
    for group in groups:
        document.add_heading(
            xml_text(f"{group.department or UNASSIGNED}（{len(group.problems)}项）"), level=2
        )
        table = document.add_table(rows=1, cols=7)
        table.style = "Table Grid"
        heads = ["序号", "项目", "问题描述", "包联领导", "办理时限", "状态", "预警"]
        for cell, text in zip(table.rows[0].cells, heads, strict=True):
            cell.text = text
        for index, problem in enumerate(group.problems, start=1):
            values = [
                str(index),
                f"{problem.project.code} {problem.project.name}（{problem.project.unit.name}）",
                f"[{problem.get_kind_display()}] {problem.description}",
                problem.leader or "—",
                _date(problem.deadline),
                str(problem.get_status_display()),
                FLAG_ZH.get(problem.flag, ""),
            ]
            # Text stored before the edge cleaner may hold what XML cannot.
            for cell, text in zip(table.add_row().cells, values, strict=True):
                cell.text = xml_text(text)
    out = io.BytesIO()
    document.save(out)
    return ExportFile(out.getvalue(), DOCX, f"督办清单-{today:%Y%m%d}.docx")


class AgendaExporter(Exporter):
    """One format of the meeting's agenda; ``file`` makes it from the grouped problems."""

    kind = AGENDA

    def file(self, groups: list[AgendaGroup], today: dt.date) -> ExportFile:
        raise NotImplementedError


@register
class AgendaXlsx(AgendaExporter):
    identifier = "xlsx"
    name = "Excel (XLSX)"
    link_text = "Excel"
    content_type = XLSX

    def file(self, groups: list[AgendaGroup], today: dt.date) -> ExportFile:
        return agenda_xlsx(groups, today)


@register
class AgendaDocx(AgendaExporter):
    identifier = "docx"
    name = "Word (DOCX)"
    link_text = "Word"
    content_type = DOCX

    def file(self, groups: list[AgendaGroup], today: dt.date) -> ExportFile:
        return agenda_docx(groups, today)
