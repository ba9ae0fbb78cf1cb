"""Report files for superiors and other systems: CSV, XLSX and JSON from one QuarterlyReport.

The files follow the Chinese reporting form the superiors receive, so their
headings are Chinese whatever language the screen is in. Nothing here computes
a figure: every amount and rate comes from the report.
"""

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from .models import Programme
from .selectors import (
    BreakdownRow,
    Figures,
    ProjectRow,
    QuarterlyReport,
    Starts,
    quarterly_report,
)

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json; charset=utf-8",
}
TABLES = ("projects", "category", "unit", "street")
TABLE_NAMES = {
    "projects": "项目明细",
    "category": "按类别",
    "unit": "按责任单位",
    "street": "按街道",
}
BREAKDOWN_HEADS = {"category": "项目类别", "unit": "责任单位", "street": "街道"}
STATUS_ZH = {
    "started": "已开工",
    "early": "提前开工",
    "not_due": "未到期",
    "overdue": "逾期未开工",
    "continuing": "续建",
}
LIGHT_ZH = {"green": "绿灯（正常）", "yellow": "黄灯（滞后）", "red": "红灯（严重滞后）"}
KIND_ZH = {"new": "新开工", "continuing": "续建"}
TOTAL = "合计"
DASH = "—"
# Spreadsheet programs run a cell starting with one of these as a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

PROJECT_HEADS = [
    "项目编号",
    "项目名称",
    "责任单位",
    "街道",
    "项目类别",
    "建设性质",
    "计划开工",
    "实际开工",
    "开工状态",
    "计划投资（万元）",
    "完成投资（万元）",
    "投资完成率（%）",
    "计划纳统（万元）",
    "已纳统（万元）",
    "纳统完成率（%）",
    "形象进度",
    "预警",
]
AMOUNT_HEADS = [
    "计划投资（万元）",
    "完成投资（万元）",
    "投资完成率（%）",
    "年度计划投资（万元）",
    "占年度投资计划（%）",
    "计划纳统（万元）",
    "已纳统（万元）",
    "纳统完成率（%）",
    "年度计划纳统（万元）",
    "占年度纳统计划（%）",
]
BREAKDOWN_COUNT_HEADS = ["项目数", "计划开工", "实际开工", "其中提前开工", "逾期未开工"]


@dataclass(frozen=True)
class ExportFile:
    """A finished export: bytes, their content type and the download name."""

    content: bytes
    content_type: str
    filename: str


class Text(str):
    """A cell that came from user-entered text and must be guarded against formulas."""


def neutralise(value: str) -> str:
    """Prefix an apostrophe to text a spreadsheet would run as a formula."""
    if value and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def report_title(report: QuarterlyReport) -> str:
    """2024年一季度市级攻坚项目进展: the period followed by the list's name without its year."""
    name = report.programme_name
    prefix = f"{report.year}年"
    if name.startswith(prefix):
        name = name[len(prefix) :]
    return f"{report.period.label_zh}{name}进展"


def export_filename(report: QuarterlyReport, fmt: str, table: str = "projects") -> str:
    suffix = "" if table == "projects" or fmt != "csv" else f"-{TABLE_NAMES[table]}"
    return f"{report_title(report)}{suffix}.{fmt}"


# ---------------------------------------------------------------- rows


def _figure_cells(figures: Figures, *, annual: bool) -> list:
    cells = [figures.planned, figures.actual, figures.rate]
    if annual:
        cells += [figures.annual_plan, figures.annual_rate]
    return cells


def project_cells(row: ProjectRow) -> list:
    return [
        Text(row.code),
        Text(row.name),
        Text(row.unit),
        Text(row.street),
        Text(row.category),
        KIND_ZH.get(row.kind, row.kind),
        row.planned_start,
        row.actual_start,
        STATUS_ZH[row.start_status],
        *_figure_cells(row.investment, annual=False),
        *_figure_cells(row.inclusion, annual=False),
        Text(row.image_progress),
        LIGHT_ZH[row.light],
    ]


def project_total_cells(report: QuarterlyReport) -> list:
    headline = report.headline
    return [
        TOTAL,
        f"{headline.projects}个项目",
        *[""] * 7,
        *_figure_cells(headline.investment, annual=False),
        *_figure_cells(headline.inclusion, annual=False),
        "",
        "",
    ]


def _count_cells(projects: int, starts: Starts) -> list:
    return [projects, starts.planned, starts.actual, starts.early, starts.overdue]


def breakdown_cells(row: BreakdownRow) -> list:
    return [
        Text(row.name),
        *_count_cells(row.projects, row.starts),
        *_figure_cells(row.investment, annual=True),
        *_figure_cells(row.inclusion, annual=True),
    ]


def breakdown_total_cells(report: QuarterlyReport) -> list:
    headline = report.headline
    return [
        TOTAL,
        *_count_cells(headline.projects, headline.starts),
        *_figure_cells(headline.investment, annual=True),
        *_figure_cells(headline.inclusion, annual=True),
    ]


def table_rows(report: QuarterlyReport, table: str) -> tuple[list, list[list], list]:
    """Header, body rows and the closing 合计 row of one table."""
    if table == "projects":
        return PROJECT_HEADS, [project_cells(r) for r in report.rows], project_total_cells(report)
    head = [BREAKDOWN_HEADS[table], *BREAKDOWN_COUNT_HEADS, *AMOUNT_HEADS]
    body = [breakdown_cells(r) for r in report.breakdown(table)]
    return head, body, breakdown_total_cells(report)


def _text(value) -> str:
    if value is None:
        return DASH
    if isinstance(value, Text):
        return neutralise(str(value))
    if isinstance(value, str):
        return neutralise(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


# ---------------------------------------------------------------- formats


def to_csv(report: QuarterlyReport, table: str = "projects") -> bytes:
    head, body, total = table_rows(report, table)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(head)
    for cells in [*body, total]:
        writer.writerow([_text(c) for c in cells])
    # The byte-order mark makes Excel and WPS read the file as UTF-8.
    return "\ufeff".encode() + out.getvalue().encode("utf-8")


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


def _amount(value: Decimal) -> str:
    return str(value)


def _rate(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _figures_json(figures: Figures, *, annual: bool = True) -> dict:
    data = {
        "planned": _amount(figures.planned),
        "actual": _amount(figures.actual),
        "rate": _rate(figures.rate),
    }
    if annual:
        data["annual_plan"] = _amount(figures.annual_plan)
        data["annual_rate"] = _rate(figures.annual_rate)
    return data


def _starts_json(starts: Starts) -> dict:
    return {
        "planned": starts.planned,
        "actual": starts.actual,
        "early": starts.early,
        "overdue": starts.overdue,
    }


def _breakdown_json(row: BreakdownRow) -> dict:
    return {
        "code": row.key,
        "name": row.name,
        "projects": row.projects,
        "starts": _starts_json(row.starts),
        "investment": _figures_json(row.investment),
        "inclusion": _figures_json(row.inclusion),
    }


def _row_json(row: ProjectRow) -> dict:
    return {
        "code": row.code,
        "name": row.name,
        "unit": row.unit,
        "street": row.street,
        "category": row.category,
        "kind": row.kind,
        "planned_start": row.planned_start.isoformat() if row.planned_start else None,
        "actual_start": row.actual_start.isoformat() if row.actual_start else None,
        "start_status": row.start_status,
        "light": row.light,
        "image_progress": row.image_progress,
        "investment": _figures_json(row.investment, annual=False),
        "inclusion": _figures_json(row.inclusion, annual=False),
    }


def to_dict(report: QuarterlyReport) -> dict:
    h = report.headline
    return {
        "programme": report.programme_code,
        "year": report.year,
        "quarter": report.quarter,
        "period": {
            "start": report.period.start.isoformat(),
            "end": report.period.end.isoformat(),
        },
        "projects": h.projects,
        "starts": _starts_json(h.starts),
        "investment": _figures_json(h.investment),
        "inclusion": _figures_json(h.inclusion),
        "by_category": [_breakdown_json(r) for r in report.by_category],
        "by_unit": [_breakdown_json(r) for r in report.by_unit],
        "by_street": [_breakdown_json(r) for r in report.by_street],
        "rows": [_row_json(r) for r in report.rows],
    }


def to_json(report: QuarterlyReport) -> bytes:
    return json.dumps(to_dict(report), ensure_ascii=False, indent=2).encode("utf-8")


def render_report(report: QuarterlyReport, fmt: str, table: str = "projects") -> ExportFile:
    """One report as a file; ``table`` picks the CSV's table (the other formats hold all)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    if table not in TABLES:
        raise ValueError(f"unknown table {table!r}")
    if fmt == "csv":
        content = to_csv(report, table)
    elif fmt == "xlsx":
        content = to_xlsx(report)
    else:
        content = to_json(report)
    return ExportFile(
        content=content,
        content_type=FORMATS[fmt],
        filename=export_filename(report, fmt, table),
    )


def export_report_file(
    *,
    programme: Programme,
    year: int,
    quarter: int,
    fmt: str,
    table: str = "projects",
    filters=None,
) -> ExportFile:
    """The one way every export is made: views, the command and share links call this."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    if table not in TABLES:
        raise ValueError(f"unknown table {table!r}")
    report = quarterly_report(programme=programme, year=year, quarter=quarter, filters=filters)
    return render_report(report, fmt, table)
