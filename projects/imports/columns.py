"""The one column list of the ledger and progress files: headers, aliases, kinds, fields."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy

# The kinds and the example prefix live with the ledger schema; re-exported for the readers.
from ..schema import (  # noqa: F401
    AMOUNT,
    ATTR_COLUMNS,
    CLASSIFICATION,
    COORDINATE,
    DATE,
    EXAMPLE_PREFIX,
    FILE_FIELDS,
    INTEGER,
    KIND,
    LOOKUP,
    NOTE,
    TEXT,
)

# Title rows above the header row that we are willing to skip.
HEADER_SEARCH_ROWS = 30
EXCEL_EPOCH = dt.date(1899, 12, 30)


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


# The ledger file's columns are the schema's file fields, in the schema's order.
LEDGER_COLUMNS = tuple(
    Column(
        f.key,
        f.header,
        f.kind,
        required=f.required,
        example=f.example,
        note=f.note,
        former=f.former,
    )
    for f in FILE_FIELDS
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
    # 是 confirms figures the plausibility rule flags as unusual, as the preview's tick does.
    Column(
        "acknowledged",
        "已核实",
        example="",
        note=gettext_lazy(
            "是 saves figures flagged as unusual (a large month, a jump, 雷同…) as they are; "
            "leave blank to have the preview ask."
        ),
    ),
)
# What the 已核实 column accepts as yes, and as no besides a blank cell.
ACKNOWLEDGED_YES = frozenset({"是", "已核实"})
ACKNOWLEDGED_NO = frozenset({"否"})

# Which import column a model field's validation error belongs to.
PROJECT_FIELD_COLUMNS = ATTR_COLUMNS
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
