"""The JSON export for superiors' systems: headline, breakdowns and rows, amounts as strings."""

import json
from collections.abc import Iterator
from decimal import Decimal

from django.urls import reverse

from ..briefing.library import library_rate_lines
from ..choices import TASK_FORCE_OVERLAP_NOTE
from ..scope_labels import WHOLE_LIST, Scope
from ..selectors import (
    BreakdownRow,
    Figures,
    Outlook,
    ProjectRow,
    QuarterlyReport,
    Starts,
)
from ..selectors.briefing import Campaign, report_counted_campaigns
from ..selectors.report_cache import kept_with
from . import sql_rows
from .base import report_title
from .registry import Exporter, register


def _amount(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


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
        "national_code": row.national_code,
        "unit": row.unit,
        "street": row.street,
        "category": row.category,
        "kind": row.kind,
        "planned_start": row.planned_start.isoformat() if row.planned_start else None,
        "actual_start": row.actual_start.isoformat() if row.actual_start else None,
        "start_status": row.start_status,
        "light": row.light,
        "light_reasons": [
            {
                "code": reason.code,
                "text": reason.text,
                "since": reason.since.isoformat() if reason.since else None,
            }
            for reason in row.light_reasons
        ],
        "image_progress": row.image_progress,
        "investment": _figures_json(row.investment, annual=False),
        "inclusion": _figures_json(row.inclusion, annual=False),
    }


def _outlook_json(outlook: Outlook) -> dict:
    return {
        "time_elapsed": _rate(outlook.time_elapsed),
        "points_vs_time": _rate(outlook.points_vs_time),
        "yoy_percent": _rate(outlook.yoy_percent),
        "projected_annual": _amount(outlook.projected_annual),
    }


def _campaign_json(c: Campaign) -> dict:
    return {
        "name": c.name,
        "target": c.target,
        "categories": list(c.categories),
        "month": c.month,
        "launched": c.projects,
        "design_done": c.design_done,
        "started": c.started,
        "early": c.early,
        "completed": c.completed,
    }


def to_dict(report: QuarterlyReport, scope: Scope = WHOLE_LIST, *, rows=None) -> dict:
    """The whole document; ``rows`` stands in for the project rows when given."""
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
        **{
            f"by_{key}": [_breakdown_json(r) for r in rows]
            for key, rows in report.breakdowns.items()
        },
        "rows": [_row_json(r) for r in report.rows] if rows is None else rows,
        # Null for a quarterly report; 10 for 1—10月.
        "month": report.period.month,
        "title": report_title(report, scope),
        "filters": list(scope.labels),
        # Where each measure stands against the calendar (时序进度) and last year.
        "outlook": {
            "investment": _outlook_json(h.investment_outlook),
            "inclusion": _outlook_json(h.inclusion_outlook),
        },
        # Added last, so the keys superiors' systems read keep their places: which plan
        # the rates are on ("current" or "baseline", 年初计划) and the adjustments to it.
        "plan_adjustments": {
            "basis": report.plan_basis,
            "projects": h.adjusted_projects,
            **{
                measure: {
                    "baseline_planned": _amount(figures.baseline_planned),
                    "adjusted_planned": _amount(figures.adjusted_planned),
                    "adjustment": _amount(figures.adjustment),
                    "annual_adjustment": _amount(figures.annual_adjustment),
                }
                for measure, figures in (("investment", h.investment), ("inclusion", h.inclusion))
            },
        },
        # How complete the window's figures are, overall (its last month) and month by month.
        "coverage": _coverage_json(report.coverage),
        # Which published edition this is; null for live figures. The corrections made
        # since are listed on the period's page: the file stays the same bytes.
        "edition": _edition_json(report),
        "list_changes": [
            {
                "code": c.code,
                "name": c.name,
                "unit": c.unit,
                "change": "joined" if c.joined else "withdrew",
                "date": c.on.isoformat(),
                "reason": c.reason,
            }
            for c in report.list_changes
        ],
        # The four provincial rates (``selectors.rates``), percentages; null against a zero
        # denominator, and for editions published before they were computed.
        # Campaigns with their own counts (专项, e.g. 微更新), whole-district figures as entered;
        # empty for a filtered report. Counts per stage at the end of ``month``.
        "campaigns": [_campaign_json(c) for c in report_counted_campaigns(report)],
        "rates": _rates_json(report.rates),
        # 纳统率 with both denominators (``selectors.rates``, ``briefing.library``): each
        # {numerator, denominator, rate}, the rate a string with one decimal or null against
        # a zero denominator; the whole key null for editions published before it was kept.
        "library_rates": _library_rates_json(report.library_rates),
        # Turned red since the previous period's end, and recovered (to yellow or green);
        # ``previous`` null for the year's first period (nothing to compare with), and the
        # whole key null for editions published before these lists were kept.
        "light_changes": light_changes_json(report.light_changes),
        # Last, so the keys superiors' systems read keep their places. The 专班 (tags of a
        # group) with their group's name: a project may be in several,
        # so these overlap and are never added into the district's figures above.
        "by_task_force": [{"group": r.group, **_breakdown_json(r)} for r in report.task_forces],
        "task_force_note": TASK_FORCE_OVERLAP_NOTE,
    }


def light_changes_json(changes) -> dict | None:
    if changes is None:
        return None

    def item(c) -> dict:
        reasons = [{"code": r.code, "light": r.light, "text": r.text} for r in c.reasons]
        return {
            "code": c.code,
            "name": c.name,
            "unit": c.unit,
            "light": c.light,
            "was": c.was,
            "reasons": reasons,
        }

    previous = changes.previous
    return {
        "previous": None
        if previous is None
        else {"label": previous.label_zh, "end": previous.end.isoformat()},
        "turned_red": [item(c) for c in changes.turned_red],
        "recovered": [item(c) for c in changes.recovered],
    }


def _library_rates_json(rates) -> dict | None:
    return {
        line.key: {
            "label": line.label,
            "numerator": line.numerator,
            "denominator": line.denominator,
            "rate": _rate(line.rate),
        }
        for line in library_rate_lines(rates)
    } or None


def _rates_json(rates) -> dict | None:
    if rates is None:
        return None
    return {
        "start": _rate(rates.start),
        "investment": _rate(rates.investment),
        "funds": _rate(rates.funds_rate),
        "completion": _rate(rates.completion),
    }


def _month_coverage_json(m) -> dict:
    return {
        "month": m.month,
        "units": m.units,
        "submitted": m.submitted,
        "approved": m.approved,
        "missing_projects": m.missing_projects,
        "complete": m.complete,
        "locked": m.locked,
        "locked_with_units_not_approved": m.locked_waiting,
        "lock_reason": m.lock_reason,
    }


def _coverage_json(coverage) -> dict | None:
    if coverage is None:
        return None
    return {
        "units": coverage.units,
        "submitted": coverage.submitted,
        "approved": coverage.approved,
        "missing_projects": coverage.missing_projects,
        "complete": coverage.complete,
        "months": [_month_coverage_json(m) for m in coverage.months],
    }


def _edition_json(report: QuarterlyReport) -> dict | None:
    edition = report.edition
    if edition is None:
        return None
    period = report.period
    if period.is_month:
        page = reverse("monthly_report", kwargs={"year": period.year, "month": period.month})
    else:
        page = reverse("quarterly_report", kwargs={"year": period.year, "quarter": period.quarter})
    return {
        "number": edition.number,
        "published_at": edition.published_at.isoformat(),
        "published_by": edition.published_by,
        "reason": edition.reason,
        "later_changes": f"{page}?programme={report.programme_code}",
    }


# Stands in for the rows while the rest of the document is laid out.
ROWS_MARK = "\u0000rows\u0000"
BATCH = 200


# One project a line: the standard library's fast encoder works only without indentation,
# and a pretty-printed row costs more than reading it from the database.
_ROW = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": "))
_INDENT = "  "


def _layout(value, level: int = 0) -> str:
    """``value`` as ``json.dumps(value, indent=2)`` lays it out, except that each object
    of a list of objects takes one line, as a project row does.

    A province's breakdowns hold some 3,400 objects (2,466 units): pretty-printed by the
    standard library's Python encoder (the only one that indents) they took about 57 ms
    of a JSON file; a line each is the C encoder's, about 19 ms, and that part of the file
    is a third smaller. ``json.loads`` reads the same document either way.
    """
    inner = "\n" + _INDENT * (level + 1)
    if isinstance(value, dict) and value:
        items = (
            f"{inner}{_ROW.encode(str(key))}: {_layout(v, level + 1)}" for key, v in value.items()
        )
    elif isinstance(value, list | tuple) and value:
        if all(isinstance(item, dict) for item in value):
            items = (inner + _ROW.encode(item) for item in value)
        else:
            items = (inner + _layout(item, level + 1) for item in value)
    else:
        return _ROW.encode(value)
    opening, closing = "{}" if isinstance(value, dict) else "[]"
    return opening + ",".join(items) + "\n" + _INDENT * level + closing


def json_chunks(
    report: QuarterlyReport, scope: Scope = WHOLE_LIST, *, in_database: bool | None = None
) -> Iterator[bytes]:
    """The document of ``to_dict``, its rows written one a line as they stream in.

    The rest of the document is laid out first (indented) with a mark where the
    rows go; the rows follow, one project per line, then the rest. A live report's rows
    on PostgreSQL are written by the database (``sql_rows``; ``in_database=False`` asks
    for the Python path, the same bytes).
    """
    if in_database is None:
        in_database = sql_rows.formats(report.rows)
    # All but the rows, kept beside the report's figures (their data versions, reach,
    # filters, language and day): a province's breakdowns (3,350 rows) took some 50 ms to
    # decode, make into dicts and lay out, the same for every download of one version, as a
    # superior's system polling the file makes. The rows stream afresh each time.
    text = kept_with(
        report,
        "json-layout",
        parts=[list(scope.labels), scope.unit],
        classes=(),
        compute=lambda: _layout(to_dict(report, scope, rows=ROWS_MARK)),
        # It reads the entered campaign counts as well: not kept once this transaction wrote.
        reads_rows=True,
    )
    before, after = text.split(_ROW.encode(ROWS_MARK), 1)
    yield before.encode("utf-8")
    lines = (
        sql_rows.json_rows(report.rows)
        if in_database
        else (_ROW.encode(_row_json(row)) for row in report.rows)
    )
    parts, written = ["["], 0
    for line in lines:
        parts.append(("," if written else "") + "\n    " + line)
        written += 1
        if written % BATCH == 0:
            yield "".join(parts).encode("utf-8")
            parts = []
    parts.append("\n  ]" if written else "]")
    yield ("".join(parts) + after).encode("utf-8")


def to_json(
    report: QuarterlyReport, scope: Scope = WHOLE_LIST, *, in_database: bool | None = None
) -> bytes:
    return b"".join(json_chunks(report, scope, in_database=in_database))


@register
class JsonExporter(Exporter):
    identifier = "json"
    order = 3
    name = "JSON"
    content_type = "application/json; charset=utf-8"
    reads_rows_once = True
    binary = False

    def chunks(self, report: QuarterlyReport, table: str, scope: Scope = WHOLE_LIST):
        return json_chunks(report, scope)
