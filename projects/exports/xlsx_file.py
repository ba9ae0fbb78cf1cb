"""The XLSX export: summary, breakdowns and projects in one workbook, written row by row."""

import datetime as dt
import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from ..briefing.library import summary_rows as library_summary_rows
from ..briefing.sign_off import file_notes, list_change_summary
from ..scope_labels import WHOLE_LIST, Scope
from ..selectors import (
    QuarterlyReport,
)
from ..text import file_text
from .base import (
    DASH,
    PROJECT_HEADS,
    TABLE_NAMES,
    TASK_FORCE_TABLE,
    UNITS_LINE,
    report_title,
    scope_line,
    summary_heads,
    table_rows,
)
from .registry import Exporter, register
from .stable import stamped_zip

AMOUNT_FORMAT = "#,##0.00"
RATE_FORMAT = '0.0"%"'


BOLD = Font(bold=True)
HEAD_ALIGNMENT = Alignment(wrap_text=True, vertical="center")


def _styled(ws, value, **style) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=file_text(value) if isinstance(value, str) else value)
    for name, setting in style.items():
        setattr(cell, name, setting)
    return cell


# Column widths in characters for the heads that need other than the default 12:
# Chinese names and narratives need room, counts and rates do not.
COLUMN_WIDTHS = {
    "项目编号": 13,
    "项目名称": 34,
    "责任单位": 20,
    "街道": 12,
    "项目类别": 14,
    "建设性质": 8,
    "开工状态": 10,
    "形象进度": 36,
    "预警": 14,
    "预警原因": 30,
    "项目数": 7,
}
A4 = 9  # openpyxl's paper-size code


def _print_setup(ws, title: str, *, freeze: str) -> None:
    """A4 landscape, one page wide, head row on every page, title and page numbers."""
    ws.freeze_panes = freeze
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.print_title_rows = "1:1"
    ws.oddHeader.center.text = title
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


def _write_sheet(ws, head, body, total, rate_columns: set[int], title: str = ""):
    # Write-only sheets stream rows and take column settings before the first row.
    # Code and name stay in view on the project sheet; the group's name on the others.
    _print_setup(ws, title, freeze="C2" if head[:2] == PROJECT_HEADS[:2] else "B2")
    for index, name in enumerate(head, start=1):
        width = COLUMN_WIDTHS.get(name, 9 if "（%）" in name else 12)
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.append([_styled(ws, h, font=BOLD, alignment=HEAD_ALIGNMENT) for h in head])
    for cells in body:
        ws.append(_row(ws, cells, rate_columns))
    # The 合计 row's first cell is its label: plain text, set in bold.
    label, *rest = _row(ws, total, rate_columns)
    ws.append([_styled(ws, label, font=BOLD), *rest])


def _row(ws, cells, rate_columns: set[int]) -> list:
    """One row's values; numbers and dates become cells carrying only a number format."""
    values = []
    for index, cell in enumerate(cells):
        if cell is None:
            values.append(DASH)
        elif isinstance(cell, Decimal):
            fmt = RATE_FORMAT if index in rate_columns else AMOUNT_FORMAT
            values.append(_styled(ws, cell, number_format=fmt))
        elif isinstance(cell, dt.date):
            values.append(_styled(ws, cell, number_format="yyyy-mm-dd"))
        elif isinstance(cell, int) and not isinstance(cell, bool):
            values.append(cell)
        else:
            values.append(file_text(cell))
    return values


def _rate_columns(head) -> set[int]:
    return {i for i, h in enumerate(head) if "（%）" in h}


def _summary_rows(report: QuarterlyReport) -> list[list]:
    h = report.headline
    rows = [
        summary_heads(report),
        ["项目数（个）", h.projects, None],
        ["计划开工（个）", h.starts.planned, h.starts.quarter_planned],
        ["实际开工（个）", h.starts.actual, h.starts.quarter_actual],
        ["其中提前开工（个）", h.starts.early, h.starts.quarter_early],
        ["逾期未开工（个）", h.starts.overdue, h.starts.quarter_overdue],
    ]
    for label, figures, outlook in (
        ("投资", h.investment, h.investment_outlook),
        ("纳统", h.inclusion, h.inclusion_outlook),
    ):
        rows += [
            [f"计划{label}（万元）", figures.planned, figures.quarter_planned],
            [f"完成{label}（万元）", figures.actual, figures.quarter_actual],
            [f"{label}完成率（%）", figures.rate, figures.quarter_rate],
            [f"年度计划{label}（万元）", figures.annual_plan, None],
            [f"占年度{label}计划（%）", figures.annual_rate, None],
            [f"{label}较时序进度（百分点）", outlook.points_vs_time, None],
            [f"{label}同比增长（%）", outlook.yoy_percent, None],
            [f"按目前进度推算全年{label}（万元）", outlook.projected_annual, None],
        ]
    rows.append(["时序进度（%）", h.time_elapsed, None])
    # Baseline (年初计划) against adjusted plan: how many plans moved, and by how much.
    rows.append(["计划调整项目数（个）", h.adjusted_projects, None])
    for label, figures in (("投资", h.investment), ("纳统", h.inclusion)):
        rows += [
            [f"累计年初计划{label}（万元）", figures.baseline_planned, None],
            [f"累计调整后计划{label}（万元）", figures.adjusted_planned, None],
            [f"累计计划{label}较年初计划调整（万元）", figures.adjustment, None],
            [f"年度计划{label}较年初计划调整（万元）", figures.annual_adjustment, None],
        ]
    return rows + library_summary_rows(report.library_rates)


def to_xlsx(report: QuarterlyReport, scope: Scope = WHOLE_LIST) -> bytes:
    wb = Workbook(write_only=True)
    title = report_title(report, scope)
    summary = wb.create_sheet("汇总")
    summary.column_dimensions["A"].width = 34
    summary.column_dimensions["B"].width = 16
    summary.column_dimensions["C"].width = 16
    summary.page_setup.paperSize = A4
    summary.oddHeader.center.text = title
    summary.append([_styled(summary, title, font=Font(bold=True, size=14))])
    summary.append(
        [f"统计期：{report.period.start.isoformat()} 至 {report.period.end.isoformat()}"]
    )
    summary.append([file_text(scope_line(scope))])
    summary.append([UNITS_LINE])
    for note in file_notes(report):
        summary.append([_styled(summary, note, font=BOLD)])
    changes = list_change_summary(report)
    if changes:
        summary.append([file_text(changes)])
    summary.append([])
    rows = _summary_rows(report)
    summary.append([_styled(summary, h, font=BOLD) for h in rows[0]])
    for row in rows[1:]:
        rate_row = "%" in row[0] or "百分点" in row[0]
        fmt = "0.0" if rate_row else AMOUNT_FORMAT
        summary.append(
            [
                file_text(row[0]),
                *[
                    ""
                    if v is None
                    else _styled(summary, v, number_format=fmt)
                    if isinstance(v, Decimal)
                    else v
                    for v in row[1:]
                ],
            ]
        )
    # 按包联领导 and 按专班 come after the sheets superiors' systems already read.
    for table in ("category", "unit", "street", "projects", "leader", TASK_FORCE_TABLE):
        head, body, total = table_rows(report, table)
        _write_sheet(
            wb.create_sheet(TABLE_NAMES[table]), head, body, total, _rate_columns(head), title
        )
    when = report.edition.published_at if report.edition else None
    if when is not None:
        # A published edition's workbook is the same bytes on every download.
        wb.properties.created = wb.properties.modified = when.replace(tzinfo=None)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue() if when is None else stamped_zip(out.getvalue(), when)


@register
class XlsxExporter(Exporter):
    identifier = "xlsx"
    order = 2
    name = "Excel (XLSX)"
    content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    reads_rows_once = True
    background = True
    kept = True
    link_text = "Excel"
    shareable = True

    def render(self, report: QuarterlyReport, table: str, scope: Scope = WHOLE_LIST) -> bytes:
        return to_xlsx(report, scope)
