"""The one column list of the ledger and progress files: headers, aliases, kinds, fields."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy

# Title rows above the header row that we are willing to skip.
HEADER_SEARCH_ROWS = 30
EXCEL_EPOCH = dt.date(1899, 12, 30)

TEXT, INTEGER, AMOUNT, DATE, KIND = "text", "integer", "amount", "date", "kind"
# TEXT is one line (a name, a code, a person: a line break or a control is refused);
# NOTE is free text (形象进度, 存在问题: line breaks kept, controls dropped). See projects.text.
NOTE = "note"


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
    # Headers of older templates, still read so that files units kept on disk import.
    former: tuple[str, ...] = ()


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
    Column("image_progress", "形象进度", NOTE, example="研发楼主体已封顶"),
    Column(
        "tags",
        "标签",
        example="老旧小区改造、微更新",
        note=gettext_lazy("Special campaigns, separated by 、 or a comma; blank for none."),
    ),
)

# Campaign names in one 标签 cell are separated by these.
TAG_SEPARATORS = "、,，;；"

PROGRESS_COLUMNS = (
    Column("code", "项目编号", required=True, example=f"{EXAMPLE_PREFIX}-001"),
    Column("year", "年度", INTEGER, required=True, example=2024),
    Column("month", "月份", INTEGER, required=True, example=3, note=gettext_lazy("1 to 12.")),
    # The month alone (当月), never the running total (累计); the header says so, and the
    # headers of the templates before it had no 当月 are still read.
    Column(
        "investment",
        "当月完成投资（万元）",
        AMOUNT,
        required=True,
        example=Decimal("1234.50"),
        note=gettext_lazy("This month's amount alone (当月), not the year-to-date total (累计)."),
        former=("完成投资（万元）",),
    ),
    Column(
        "inclusion",
        "当月纳统额（万元）",
        AMOUNT,
        required=True,
        example=Decimal("1000.00"),
        note=gettext_lazy("This month's amount alone (当月), not the year-to-date total (累计)."),
        former=("纳统额（万元）",),
    ),
    Column("image_progress", "形象进度", NOTE, example="基础施工"),
    Column("problems", "存在问题", NOTE, example=""),
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
