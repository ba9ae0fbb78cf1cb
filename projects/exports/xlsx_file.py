"""The XLSX export: summary, breakdowns and projects in one workbook, written row by row."""

import datetime as dt
import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from ..selectors import (
    QuarterlyReport,
)
from .base import DASH, TABLE_NAMES, neutralise, report_title, table_rows
from .registry import Exporter, register

AMOUNT_FORMAT = "#,##0.00"
RATE_FORMAT = '0.0"%"'


BOLD = Font(bold=True)
HEAD_ALIGNMENT = Alignment(wrap_text=True, vertical="center")


def _styled(ws, value, **style) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=value)
    for name, setting in style.items():
        setattr(cell, name, setting)
    return cell


def _write_sheet(ws, head, body, total, rate_columns: set[int]):
    # Write-only sheets stream rows and take column settings before the first row.
    ws.freeze_panes = "B2"
    for index in range(1, len(head) + 1):
        ws.column_dimensions[get_column_letter(index)].width = 14
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
            values.append(neutralise(str(cell)))
    return values


def _rate_columns(head) -> set[int]:
    return {i for i, h in enumerate(head) if "（%）" in h}


def _summary_rows(report: QuarterlyReport) -> list[list]:
    h = report.headline
    rows = [
        ["指标", "累计", "其中本季度"],
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
    return rows


def to_xlsx(report: QuarterlyReport) -> bytes:
    wb = Workbook(write_only=True)
    summary = wb.create_sheet("汇总")
    summary.column_dimensions["A"].width = 34
    summary.column_dimensions["B"].width = 16
    summary.column_dimensions["C"].width = 16
    summary.append([_styled(summary, report_title(report), font=Font(bold=True, size=14))])
    summary.append(
        [f"统计期：{report.period.start.isoformat()} 至 {report.period.end.isoformat()}"]
    )
    summary.append([])
    rows = _summary_rows(report)
    summary.append([_styled(summary, h, font=BOLD) for h in rows[0]])
    for row in rows[1:]:
        rate_row = "%" in row[0] or "百分点" in row[0]
        fmt = "0.0" if rate_row else AMOUNT_FORMAT
        summary.append(
            [
                neutralise(row[0]),
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
    for table in ("category", "unit", "street", "projects"):
        head, body, total = table_rows(report, table)
        _write_sheet(wb.create_sheet(TABLE_NAMES[table]), head, body, total, _rate_columns(head))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@register
class XlsxExporter(Exporter):
    identifier = "xlsx"
    name = "Excel (XLSX)"
    content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    def render(self, report: QuarterlyReport, table: str) -> bytes:
        return to_xlsx(report)
