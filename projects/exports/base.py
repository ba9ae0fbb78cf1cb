"""What every export shares: Chinese headings, titles, names and rows.

Every text cell passes through ``projects.text.file_text`` (what the format cannot hold
dropped, the formula guard), the one writer helper the other files of the app use too.
"""

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

from ..choices import (
    KIND_FILE_LABELS,
    LIGHT_FILE_LABELS,
    STATUS_FILE_LABELS,
    TASK_FORCE_OVERLAP_NOTE,
)
from ..schema import DIMENSION_KEYS, DIMENSIONS
from ..scope_labels import WHOLE_LIST, Scope
from ..selectors import (
    BreakdownRow,
    Figures,
    ProjectRow,
    QuarterlyReport,
    Starts,
)
from ..text import file_text, header_text

# The project table, then one table per schema dimension.
# The 专班 (tags of a group): a table of its own, closed by the overlap note, not a 合计.
TASK_FORCE_TABLE = "task_force"
TABLES = ("projects", *DIMENSION_KEYS, TASK_FORCE_TABLE)
TABLE_NAMES = {
    "projects": "项目明细",
    **{f.key: f.report_table for f in DIMENSIONS},
    TASK_FORCE_TABLE: "按专班",
}
BREAKDOWN_HEADS = {f.key: f.report_head for f in DIMENSIONS}
TOTAL = "合计"
DASH = "—"
# Every amount says its window: 累计 is January to the period's end (the report's figures
# are year to date), 年度 the whole year's plan; no heading leaves 当月 or 累计 to be guessed.
PROJECT_HEADS = [
    "项目编号",
    "项目名称",
    # The national platform's 项目代码 beside the list's own 项目编号 (blank when none yet).
    "项目代码",
    "责任单位",
    "街道",
    "项目类别",
    "建设性质",
    "计划开工",
    "实际开工",
    "开工状态",
    "累计计划投资（万元）",
    # The baseline (年初计划) and the adjusted plan side by side, whichever the rates use.
    "累计年初计划投资（万元）",
    "累计调整后计划投资（万元）",
    "计划调整",
    "累计完成投资（万元）",
    "投资完成率（%）",
    "累计计划纳统（万元）",
    "累计纳统额（万元）",
    "纳统完成率（%）",
    "形象进度",
    "预警",
    "预警原因",
]
ADJUSTED, UNADJUSTED = "已调整", "未调整"
AMOUNT_HEADS = [
    "累计计划投资（万元）",
    "累计完成投资（万元）",
    "投资完成率（%）",
    "年度计划投资（万元）",
    "占年度投资计划（%）",
    "累计计划纳统（万元）",
    "累计纳统额（万元）",
    "纳统完成率（%）",
    "年度计划纳统（万元）",
    "占年度纳统计划（%）",
]
BREAKDOWN_COUNT_HEADS = ["项目数", "计划开工", "实际开工", "其中提前开工", "逾期未开工"]


class Text(str):
    """A cell that came from user-entered text and must be guarded against formulas."""


def report_title(report: QuarterlyReport, scope: Scope = WHOLE_LIST) -> str:
    """2024年一季度市级攻坚项目进展: the period followed by the list's name without its year.

    A filtered report names its filter between them ("2024年一季度 · 区住房和城乡建设局 ·
    市级攻坚项目进展"), so one unit's file never passes for the district's.
    """
    name = report.programme_name
    prefix = f"{report.year}年"
    if name.startswith(prefix):
        name = name[len(prefix) :]
    # One line, whatever a stored name holds: the title is a file name and a sheet header too.
    # Rates on the baseline plan are said in the title, so the file never passes for the
    # report on the current plan.
    basis = "（按年初计划）" if report.on_baseline else ""
    if scope.labels:
        return header_text(
            f"{report.period.label_zh} · {'、'.join(scope.labels)} · {name}进展{basis}"
        )
    return header_text(f"{report.period.label_zh}{name}进展{basis}")


def export_filename(
    report: QuarterlyReport, fmt: str, table: str = "projects", scope: Scope = WHOLE_LIST
) -> str:
    suffix = "" if table == "projects" or fmt != "csv" else f"-{TABLE_NAMES[table]}"
    return f"{report_title(report, scope)}{suffix}.{fmt}"


def scope_line(scope: Scope) -> str:
    """统计范围 as the files' first rows state it."""
    if not scope.labels:
        return "统计范围：清单内全部项目"
    return f"统计范围：{'、'.join(scope.labels)}（筛选后，各项数字只含符合条件的项目）"


UNITS_LINE = (
    "单位：万元；累计 = 当年1月1日至统计期末；完成率 = 累计完成 ÷ 累计计划 × 100，"
    "四舍五入保留一位小数"
)


def summary_heads(report: QuarterlyReport) -> list[str]:
    """The summary's columns: the year-to-date window and the quarter (or month) alone in it."""
    period = report.period
    alone = f"{period.month}月当月" if period.is_month else period.alone_name_zh
    return ["指标", f"{period.ytd_name_zh}累计", f"其中{alone}"]


# ---------------------------------------------------------------- rows


def figure_cells(figures: Figures, *, annual: bool) -> list:
    cells = [figures.planned, figures.actual, figures.rate]
    if annual:
        cells += [figures.annual_plan, figures.annual_rate]
    return cells


def plan_cells(figures: Figures, adjusted: str) -> list:
    """The baseline and adjusted year-to-date plans, and whether the plan was adjusted."""
    return [figures.baseline_planned, figures.adjusted_planned, adjusted]


def project_cells(row: ProjectRow) -> list:
    return [
        Text(row.code),
        Text(row.name),
        Text(row.national_code),
        Text(row.unit),
        Text(row.street),
        Text(row.category),
        KIND_FILE_LABELS.get(row.kind, row.kind),
        row.planned_start,
        row.actual_start,
        STATUS_FILE_LABELS[row.start_status],
        row.investment.planned,
        *plan_cells(row.investment, ADJUSTED if row.plan_adjusted else UNADJUSTED),
        row.investment.actual,
        row.investment.rate,
        *figure_cells(row.inclusion, annual=False),
        Text(row.image_progress),
        LIGHT_FILE_LABELS[row.light],
        Text(row.reasons_text),
    ]


def project_total_cells(report: QuarterlyReport) -> list:
    headline = report.headline
    return [
        TOTAL,
        f"{headline.projects}个项目",
        *[""] * 8,
        headline.investment.planned,
        *plan_cells(headline.investment, f"{headline.adjusted_projects}个项目调整"),
        headline.investment.actual,
        headline.investment.rate,
        *figure_cells(headline.inclusion, annual=False),
        "",
        "",
        "",
    ]


def count_cells(projects: int, starts: Starts) -> list:
    return [projects, starts.planned, starts.actual, starts.early, starts.overdue]


def breakdown_cells(row: BreakdownRow) -> list:
    return [
        Text(row.name),
        *count_cells(row.projects, row.starts),
        *figure_cells(row.investment, annual=True),
        *figure_cells(row.inclusion, annual=True),
    ]


def breakdown_total_cells(report: QuarterlyReport) -> list:
    headline = report.headline
    return [
        TOTAL,
        *count_cells(headline.projects, headline.starts),
        *figure_cells(headline.investment, annual=True),
        *figure_cells(headline.inclusion, annual=True),
    ]


def table_rows(report: QuarterlyReport, table: str) -> tuple[list, Iterator[list], list]:
    """Header, body rows and the closing 合计 row of one table.

    The body is a generator: read once, row by row, so a streamed report's
    project rows pass through without being held.
    """
    if table == "projects":
        return PROJECT_HEADS, (project_cells(r) for r in report.rows), project_total_cells(report)
    if table == TASK_FORCE_TABLE:
        head = ["专班分组", "专班", *BREAKDOWN_COUNT_HEADS, *AMOUNT_HEADS]
        body = ([Text(r.group), *breakdown_cells(r)] for r in report.task_forces)
        return head, body, [TASK_FORCE_OVERLAP_NOTE]
    head = [BREAKDOWN_HEADS[table], *BREAKDOWN_COUNT_HEADS, *AMOUNT_HEADS]
    body = (breakdown_cells(r) for r in report.breakdown(table))
    return head, body, breakdown_total_cells(report)


def _dash(_value) -> str:
    return DASH


# The cell types the tables hold, each with its text; looked up by exact type because a
# file of 20,000 projects formats 340,000 cells.
_CELL_TEXT = {
    type(None): _dash,
    Text: file_text,
    str: file_text,
    Decimal: str,
    int: str,
    dt.date: dt.date.isoformat,
}


def cell_text(value) -> str:
    fast = _CELL_TEXT.get(type(value))
    if fast is not None:
        return fast(value)
    if value is None:
        return DASH
    if isinstance(value, str):
        return file_text(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)
