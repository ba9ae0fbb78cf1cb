"""The ledger schema: every ledger field and report dimension declared once.

The import and export columns, the import's key maps, the ledger export row, the
admin's fieldsets, the project page, the report's breakdowns and filters and the
scope labels all read this list, so a new field is a model field, its migration
and one entry here (plus its translation), and a new dimension a named-list model
and one entry with ``breakdown=True``.

Models are named, not imported: the models, the filters and the importers all read
this module, and it must not pull any of them in.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.apps import apps
from django.utils.translation import gettext_lazy

# How a column's cells are read and written.
TEXT = "text"  # one line: a name, a code, a person
NOTE = "note"  # free text, line breaks kept
INTEGER = "integer"
AMOUNT = "amount"  # 万元, Decimal
DATE = "date"
KIND = "kind"  # 新开工 / 续建
# A named list (项目清单, 项目类别, 责任单位, 所在街道): matched by code or name, and a name
# the file brings that does not exist yet is created (managers only) when the import applies.
LOOKUP = "lookup"
# A fixed classification (行业): matched by code or name; an unknown value is an error.
CLASSIFICATION = "classification"
FLAG = "flag"  # a yes/no of the project that the files do not carry
COORDINATE = "coordinate"  # WGS-84 degrees, Decimal to six places, range from settings

# Admin fieldset sections, in page order.
MAIN, SCHEDULE, MEMBERSHIP, PROGRESS = "main", "schedule", "membership", "progress"
SECTION_TITLES = {
    MAIN: None,
    SCHEDULE: gettext_lazy("Schedule and investment"),
    MEMBERSHIP: gettext_lazy("List membership"),
    PROGRESS: gettext_lazy("Progress"),
}

# Rows whose project code starts with this are the templates' examples and are never imported.
EXAMPLE_PREFIX = "示例"
QUARTER_ZH = {1: "一", 2: "二", 3: "三", 4: "四"}


@dataclass(frozen=True)
class LedgerField:
    """One ledger field: where it lives, how the files name it and where it shows.

    ``attr`` is the ``Project`` attribute (None for a column that lives elsewhere: the
    plan's year and quarters, the tags). ``header`` is None for a field no file carries.
    ``model`` names the ``projects`` model a LOOKUP or CLASSIFICATION points to.
    ``breakdown`` makes it a report breakdown, a report filter and a scope label.
    ``section`` is its admin fieldset; ``page`` whether the project page shows it
    (``"set"``: only when it has a value).
    """

    key: str
    attr: str | None
    header: str | None = None
    kind: str = TEXT
    required: bool = False
    example: object = ""
    note: object = ""
    # Headers of older templates, still read so that files units kept on disk import.
    former: tuple[str, ...] = ()
    model: str | None = None
    breakdown: bool = False
    # The breakdown table's title on the page ("By street"), in the report files (按街道)
    # and its first column's head there (街道).
    breakdown_title: object = ""
    report_table: str = ""
    report_head: str = ""
    section: str | None = None
    page: str | None = "always"
    # A nullable dimension's group of projects without an entry (未填写, 包联领导's 未指定).
    unassigned: object = None
    # A breakdown of thousands of groups at province scale (units, streets): the report's
    # statement sums it on its own, the others (a few groups each) together first
    # (``selectors.grouped``). A speed hint only: the figures are the same either way.
    many_groups: bool = False
    # A CLASSIFICATION's refusal of a name the list lacks; ``%(value)s`` is the name.
    unknown: object = None
    # A plan of the office (总投资, planned dates, quarterly plans): managers set it,
    # unit staff ask for a change (``permissions`` action ``plan``).
    plan: bool = False

    @property
    def on_project(self) -> bool:
        return self.attr is not None

    @property
    def in_files(self) -> bool:
        return self.header is not None

    @property
    def is_reference(self) -> bool:
        return self.kind in (LOOKUP, CLASSIFICATION)

    def related_model(self):
        return apps.get_model("projects", self.model) if self.model else None

    def label(self):
        """The field's name in the admin, the page, the filters and the history."""
        from .models import Project  # the app registry is ready whenever a label is read

        return Project._meta.get_field(self.attr).verbose_name


def _plan(key_prefix: str, header: str, example_step) -> tuple[LedgerField, ...]:
    return tuple(
        LedgerField(
            f"{key_prefix}_q{q}",
            None,
            f"{QUARTER_ZH[q]}季度{header}（万元）",
            AMOUNT,
            example=q * example_step,
            page=None,
            plan=True,
        )
        for q in (1, 2, 3, 4)
    )


# File column order is this order; the admin and the project page keep it within a section.
FIELDS: tuple[LedgerField, ...] = (
    LedgerField(
        "code",
        "code",
        "项目编号",
        required=True,
        example=f"{EXAMPLE_PREFIX}-001",
        section=MAIN,
        page=None,
    ),
    LedgerField(
        "name", "name", "项目名称", required=True, example="示例产业园项目", section=MAIN, page=None
    ),
    LedgerField(
        "national_code",
        "national_code",
        "项目代码",
        example="2024-370214-04-01-000123",
        note=gettext_lazy(
            "The national platform's project code (GB/T 40058), 24 characters such as "
            "2024-370214-04-01-000123; the region part must be this district's. Blank if none."
        ),
        section=MAIN,
        page="set",
    ),
    LedgerField(
        "programme",
        "programme",
        "项目清单",
        LOOKUP,
        required=True,
        example="2024年市级攻坚项目",
        model="Programme",
        section=MAIN,
    ),
    LedgerField("year", None, "年度", INTEGER, required=True, example=2024, page=None),
    LedgerField(
        "category",
        "category",
        "项目类别",
        LOOKUP,
        required=True,
        example="先进制造业",
        model="Category",
        breakdown=True,
        breakdown_title=gettext_lazy("By category"),
        report_table="按类别",
        report_head="项目类别",
        section=MAIN,
    ),
    LedgerField(
        "unit",
        "unit",
        "责任单位",
        LOOKUP,
        required=True,
        example="区发展和改革局",
        model="Unit",
        breakdown=True,
        breakdown_title=gettext_lazy("By responsible unit"),
        many_groups=True,
        report_table="按责任单位",
        report_head="责任单位",
        section=MAIN,
    ),
    LedgerField(
        "street",
        "street",
        "所在街道",
        LOOKUP,
        required=True,
        example="流亭街道",
        model="Street",
        breakdown=True,
        breakdown_title=gettext_lazy("By street"),
        many_groups=True,
        report_table="按街道",
        report_head="街道",
        section=MAIN,
    ),
    LedgerField(
        "industry",
        "industry",
        "行业",
        CLASSIFICATION,
        example="制造业",
        note=gettext_lazy(
            "The national industry classification (GB/T 4754) section: its letter A to T "
            "or its name, e.g. C or 制造业; blank if not classified."
        ),
        former=("所属行业", "行业门类"),
        unknown=gettext_lazy(
            "“%(value)s” is not a section of the national industry classification (GB/T 4754); "
            "write its letter A to T or its name, e.g. C or 制造业."
        ),
        model="Industry",
        breakdown=True,
        breakdown_title=gettext_lazy("By industry"),
        report_table="按行业",
        report_head="行业",
        section=MAIN,
    ),
    LedgerField(
        "leader",
        "leader",
        "包联领导",
        CLASSIFICATION,
        # Blank in the template: a name must already be a Leader, which a fresh ledger lacks.
        example="",
        note=gettext_lazy(
            "The leader's name as listed under 包联领导 in the admin; blank if none. "
            "A name not on that list is refused: a manager adds the leader first."
        ),
        former=("包联区领导", "联系领导"),
        model="Leader",
        breakdown=True,
        breakdown_title=gettext_lazy("By leader in charge"),
        report_table="按包联领导",
        report_head="包联领导",
        unassigned=gettext_lazy("not assigned"),
        unknown=gettext_lazy(
            "“%(value)s” is not a leader in charge on the list; a manager adds the leader "
            "under 包联领导 in the admin first, or correct the name."
        ),
        section=MAIN,
    ),
    LedgerField(
        "longitude",
        "longitude",
        "经度",
        COORDINATE,
        example=Decimal("120.391200"),
        note=gettext_lazy(
            "WGS-84 degrees east (as GPS gives them, not a web map's GCJ-02), within the "
            "district; blank if not known. Longitude and latitude go together."
        ),
        section=MAIN,
        page="set",
    ),
    LedgerField(
        "latitude",
        "latitude",
        "纬度",
        COORDINATE,
        example=Decimal("36.307100"),
        note=gettext_lazy("WGS-84 degrees north, within the district; blank if not known."),
        section=MAIN,
        page="set",
    ),
    LedgerField(
        "kind",
        "kind",
        "建设性质",
        KIND,
        required=True,
        example="新开工",
        note=gettext_lazy("新开工 (new start) or 续建 (continuing)."),
        section=SCHEDULE,
    ),
    LedgerField(
        "total_investment",
        "total_investment",
        "总投资（万元）",
        AMOUNT,
        example=Decimal("200000.00"),
        section=SCHEDULE,
        plan=True,
    ),
    LedgerField(
        "planned_start",
        "planned_start",
        "计划开工日期",
        DATE,
        example=dt.date(2024, 3, 15),
        note=gettext_lazy("Required for a new-start project."),
        section=SCHEDULE,
        plan=True,
    ),
    LedgerField(
        "actual_start",
        "actual_start",
        "实际开工日期",
        DATE,
        note=gettext_lazy("Blank until the works start; never in the future."),
        section=SCHEDULE,
    ),
    LedgerField(
        "planned_completion",
        "planned_completion",
        "计划竣工日期",
        DATE,
        example=dt.date(2025, 12, 31),
        section=SCHEDULE,
        plan=True,
    ),
    LedgerField("actual_completion", "actual_completion", kind=DATE, section=SCHEDULE, page=None),
    LedgerField("statistics_entry_date", "statistics_entry_date", kind=DATE, section=SCHEDULE),
    LedgerField(
        "joined",
        "joined_on",
        "列入日期",
        DATE,
        note=gettext_lazy("Blank means from the start of the year."),
        section=MEMBERSHIP,
    ),
    LedgerField(
        "withdrawn",
        "withdrawn_on",
        "调出日期",
        DATE,
        note=gettext_lazy("Blank means still on the list."),
        section=MEMBERSHIP,
        page="set",
    ),
    *_plan("planned_investment", "计划投资", 1000),
    *_plan("planned_inclusion", "计划纳统", 800),
    LedgerField(
        "image_progress",
        "image_progress",
        "形象进度",
        NOTE,
        example="研发楼主体已封顶",
        section=PROGRESS,
    ),
    LedgerField(
        "tags",
        None,
        "标签",
        example="老旧小区改造、微更新",
        note=gettext_lazy("Special campaigns, separated by 、 or a comma; blank for none."),
        page=None,
    ),
    LedgerField("highlighted", "highlighted", kind=FLAG, section=PROGRESS, page=None),
    LedgerField("notes", "notes", kind=NOTE, section=PROGRESS, page="set"),
)

# Project fields that are no ledger field: bookkeeping the app keeps itself.
INTERNAL_PROJECT_FIELDS = frozenset({"id", "version", "created_at", "updated_at"})

BY_KEY = {field.key: field for field in FIELDS}
FILE_FIELDS = tuple(field for field in FIELDS if field.in_files)
# The fields an import writes to the project itself (not its plan or tags), code aside.
PROJECT_FILE_FIELDS = tuple(f for f in FILE_FIELDS if f.on_project and f.key != "code")
REFERENCES = tuple(f for f in PROJECT_FILE_FIELDS if f.is_reference)
# The named lists and classifications the project page shows (``page_rows``): read with the
# project, or each one named is a statement of its own on every project page.
PAGE_REFERENCES = tuple(
    f.attr for f in FIELDS if f.on_project and f.is_reference and f.page is not None
)
DIMENSIONS = tuple(field for field in FIELDS if field.breakdown)
DIMENSION_KEYS = tuple(field.key for field in DIMENSIONS)
# Model attribute -> file column key, for putting a model error on its column.
ATTR_COLUMNS = {f.attr: f.key for f in FILE_FIELDS if f.on_project}
# The project's own fields that are plans of the office (the quarterly plan is its own row).
PLAN_ATTRS = tuple(f.attr for f in FIELDS if f.plan and f.on_project)


def admin_fieldsets(*, before=None, after=None) -> list:
    """The admin's fieldsets, section by section; ``before``/``after`` add form-only fields."""
    before, after = before or {}, after or {}
    return [
        (
            title,
            {
                "fields": [
                    *before.get(section, ()),
                    *(f.attr for f in FIELDS if f.section == section),
                    *after.get(section, ()),
                ]
            },
        )
        for section, title in SECTION_TITLES.items()
    ]


def page_rows(project) -> list[tuple[object, object, str]]:
    """The project page's rows: (label, value, kind), leaving out empty optional ones."""
    rows = []
    for field in FIELDS:
        if field.page is None or not field.on_project:
            continue
        value = getattr(project, field.attr)
        if field.page == "set" and value in (None, ""):
            continue
        if field.kind == KIND:
            value = project.get_kind_display()
        rows.append((field.label(), value, field.kind))
    return rows


def reference_text(obj) -> str:
    """How a file writes a named list's or classification's entry: by its name."""
    return obj.name if obj is not None else ""
