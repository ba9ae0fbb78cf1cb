"""The report page's tables as django-tables2 ``Table`` classes: the projects and the breakdowns.

They format the rows the report selector gives (one SQL-sorted page of projects; a
breakdown's groups, folded to its largest) and compute nothing. Headings and cell classes
are the ones ``tables.PROJECT_COLUMNS`` and ``tables.BREAKDOWN_COLUMNS`` declare, so the
column chooser, the printout and the files' order stay one list.
"""

from __future__ import annotations

import html
from urllib.parse import quote

from django.urls import reverse
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.safestring import SafeString

from ..choices import LIGHT_LABELS, STATUS_LABELS
from ..money import format_rate, format_wan
from ..selectors import light_for_rate
from .page_tables import Cell, PageTable
from .tables import (
    ADJUSTED_MARK,
    BASELINE_PROJECT_COLUMNS,
    BREAKDOWN_COLUMNS,
    DASH,
    PROJECT_COLUMNS,
    TOTAL_LABEL,
    light_cell,
    other_plan_cell,
    rate_bar,
)


def _cells(columns) -> dict:
    """tables2 columns from the page's ``Column`` records, in their order."""
    return {c.name: Cell(c.header, c.td_class, key=c.key, orderable=c.orderable) for c in columns}


# A stand-in code, replaced by each row's; the characters ``reverse`` leaves unquoted.
_CODE = "CODE0PLACEHOLDER"
_SAFE = RFC3986_SUBDELIMS + "/~:@"


def _date(value) -> str:
    return value.isoformat() if value else DASH


class _ProjectCells:
    """``render_<column>`` for each project column: a cell each, as the page always drew it."""

    def render_code(self, record):
        if self.viewable is not None and record.unit_id not in self.viewable:
            return record.code
        # The address resolved once per table and the code quoted as ``reverse`` quotes it:
        # a ``reverse`` per row was a tenth of the demo's table time (147 rows).
        href = self.project_link.replace(_CODE, quote(record.code, safe=_SAFE))
        return SafeString(f'<a href="{html.escape(href)}">{html.escape(record.code)}</a>')

    def render_name(self, record):
        return record.name

    def render_unit(self, record):
        return record.unit

    def render_street(self, record):
        return record.street

    def render_category(self, record):
        return record.category

    def render_kind(self, record):
        return record.kind_label

    def render_planned_start(self, record):
        return _date(record.planned_start)

    def render_actual_start(self, record):
        return _date(record.actual_start)

    def render_start_status(self, record):
        return self.status_labels.get(record.start_status) or record.start_status_label

    def render_investment_planned(self, record):
        return format_wan(record.investment.planned)

    def render_investment_other_plan(self, record):
        return other_plan_cell(record, self.on_baseline, self.adjusted_mark)

    def render_investment_actual(self, record):
        return format_wan(record.investment.actual)

    def render_investment_rate(self, record):
        return rate_bar(record.investment.rate, light=record.light)

    def render_inclusion_planned(self, record):
        return format_wan(record.inclusion.planned)

    def render_inclusion_actual(self, record):
        return format_wan(record.inclusion.actual)

    def render_inclusion_rate(self, record):
        return rate_bar(record.inclusion.rate)

    def render_image_progress(self, record):
        return record.image_progress or DASH

    def render_light(self, record):
        label = self.light_labels.get(record.light) or record.light_label
        return light_cell(record, label=label, reasons=self._reasons(record))

    def render_light_reasons(self, record):
        return self._reasons(record) or DASH

    def _reasons(self, record) -> str:
        """The row's reasons in one line: drawn twice a row (the light's title, their own
        column), joined once."""
        if self._last_reasons[0] is not record:
            self._last_reasons = (record, record.reasons_text)
        return self._last_reasons[1]

    def __init__(self, rows, *, request, sort, viewable):
        super().__init__(rows, request=request, prefix="p", sort=sort)
        # The units whose projects link to their page (``None``: every one).
        self.viewable = viewable
        self.project_link = reverse("project_detail", args=[_CODE])
        # Labels in the page's language, translated once a table rather than once a row.
        self.status_labels = {key: str(label) for key, label in STATUS_LABELS.items()}
        self.light_labels = {key: str(label) for key, label in LIGHT_LABELS.items()}
        self.adjusted_mark = str(ADJUSTED_MARK)
        self._last_reasons = (None, "")

    def row_context(self):
        # Everything the cells above read of the table but ``viewable`` (``row_variant``).
        return (
            self.project_link,
            tuple(self.status_labels.items()),
            tuple(self.light_labels.items()),
            self.adjusted_mark,
        )

    def row_variant(self, record):
        return self.viewable is None or record.unit_id in self.viewable


# Declared from the page's column lists, as the filters are from the schema.
ProjectTable = type(
    "ProjectTable",
    (_ProjectCells, PageTable),
    {**_cells(PROJECT_COLUMNS), "on_baseline": False, "__module__": __name__},
)
# On a report computed on the baseline the other plan shown is the adjusted one.
BaselineProjectTable = type(
    "BaselineProjectTable",
    (_ProjectCells, PageTable),
    {**_cells(BASELINE_PROJECT_COLUMNS), "on_baseline": True, "__module__": __name__},
)


def project_table(rows, *, request, sort, viewable, on_baseline: bool) -> ProjectTable:
    table = BaselineProjectTable if on_baseline else ProjectTable
    return table(rows, request=request, sort=sort, viewable=viewable)


class _BreakdownCells:
    """``render_<column>`` for a breakdown's group, rate bars lit by the report's thresholds."""

    def __init__(self, rows, *, request, key: str, sort, first_header, thresholds, **kwargs):
        super().__init__(rows, request=request, prefix=key, sort=sort, **kwargs)
        self._first_header = first_header
        self.first_header = str(first_header)
        self.thresholds = thresholds

    def made(self):
        # The first column is named by the dimension (责任单位, 街道…); this table's own copy.
        self.columns["name"].column.verbose_name = self._first_header

    def layout_variant(self):
        return self.first_header

    def row_context(self):
        # The cells read the table's thresholds alone (the heading is in the openings).
        return self.thresholds

    def render_name(self, record):
        return record.name

    def render_projects(self, record):
        return record.projects

    def render_starts_planned(self, record):
        return record.starts.planned

    def render_starts_actual(self, record):
        return record.starts.actual

    def render_investment_planned(self, record):
        return format_wan(record.investment.planned)

    def render_investment_actual(self, record):
        return format_wan(record.investment.actual)

    def render_investment_rate(self, record):
        rate = record.investment.rate
        return rate_bar(rate, light=light_for_rate(rate, *self.thresholds))

    def render_investment_annual_rate(self, record):
        return rate_bar(record.investment.annual_rate)

    def render_inclusion_planned(self, record):
        return format_wan(record.inclusion.planned)

    def render_inclusion_actual(self, record):
        return format_wan(record.inclusion.actual)

    def render_inclusion_rate(self, record):
        rate = record.inclusion.rate
        return rate_bar(rate, light=light_for_rate(rate, *self.thresholds))

    def render_inclusion_annual_rate(self, record):
        return rate_bar(record.inclusion.annual_rate)


# A breakdown's groups (``?unit-sort=name``).
BreakdownTable = type(
    "BreakdownTable",
    (_BreakdownCells, PageTable),
    {**_cells(BREAKDOWN_COLUMNS), "__module__": __name__},
)


def breakdown_footer(report) -> list:
    """The 合计 row: the headline in the breakdown's columns."""
    headline = report.headline
    cells = [TOTAL_LABEL, headline.projects, headline.starts.planned, headline.starts.actual]
    for figures in (headline.investment, headline.inclusion):
        cells += [
            format_wan(figures.planned),
            format_wan(figures.actual),
            format_rate(figures.rate),
            format_rate(figures.annual_rate),
        ]
    return cells
