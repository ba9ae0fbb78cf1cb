"""The OC4IDS export: the list's projects as an Open Contracting for Infrastructure project package.

OC4IDS 0.9 (schema vendored in ``oc4ids/schema/``). Amounts are numbers in yuan with
``currency: "CNY"`` (the ledger's 万元 × 10,000); dates are local midnights with the
offset. Nothing private goes out: no photos or file URLs, no notes, no problems.
Fields without a value are left out, never written as empty strings: the standard
gives every string a minimum length of one.

The mappings the office chose:
- status: withdrawn from the list → cancelled; completed (基本完工 date) → completion;
  started, or 续建 (started in an earlier year) → implementation; otherwise preparation.
- type: 城市更新 (the renovation of existing neighbourhoods) → rehabilitation; everything
  else, 新开工 and 续建 alike, is the construction of a new asset → construction.
- sector: by category code (``SECTOR_FOR_CATEGORY``); a category with no clear sector
  (社会民生 mixes schools and hospitals) has none rather than a wrong one.
"""

import datetime as dt
import json
import zoneinfo
from decimal import Decimal
from urllib.parse import quote

from django.conf import settings
from django.utils import timezone

from ..choices import ProjectKind
from ..models import Programme
from ..scope_labels import WHOLE_LIST, Scope
from ..selectors import QuarterlyReport
from ..selectors.oc4ids import Oc4idsData, Oc4idsNode, Oc4idsProject, oc4ids_data
from .registry import Exporter, register

VERSION = "0.9"
CURRENCY = "CNY"
# The ledger keeps money in 万元; the standard wants the amount in the currency's unit.
YUAN_PER_WAN = Decimal(10_000)

SECTOR_FOR_CATEGORY = {
    "ZZY": ["economy"],  # 先进制造业
    "XXCY": ["economy"],  # 战略性新兴产业
    "FWY": ["economy"],  # 现代服务业
    "CSGX": ["socialHousing"],  # 城市更新: 老旧小区改造
    "JCSS": ["transport"],  # 基础设施: roads first
    "STHJ": ["naturalResources"],  # 生态环境
}
TYPE_FOR_CATEGORY = {"CSGX": "rehabilitation"}


def _zone():
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def _date(value: dt.date, *, end: bool = False) -> str:
    """A date as the standard's date-time: the local start (or end) of that day."""
    moment = dt.time(23, 59, 59) if end else dt.time(0, 0, 0)
    return dt.datetime.combine(value, moment, tzinfo=_zone()).isoformat()


def _value(wan: Decimal) -> dict:
    yuan = wan * YUAN_PER_WAN
    amount = int(yuan) if yuan == yuan.to_integral_value() else float(yuan)
    return {"amount": amount, "currency": CURRENCY}


def _period(start: dt.date | None, end: dt.date | None) -> dict:
    period = {}
    if start:
        period["startDate"] = _date(start)
    if end:
        period["endDate"] = _date(end, end=True)
    return period


def _month_period(year: int, month: int) -> dict:
    last = (dt.date(year + month // 12, month % 12 + 1, 1)) - dt.timedelta(days=1)
    return _period(dt.date(year, month, 1), last)


def _quarter_period(year: int, quarter: int) -> dict:
    first = dt.date(year, 3 * quarter - 2, 1)
    last = _month_period(year, 3 * quarter)["endDate"]
    return {"startDate": _date(first), "endDate": last}


def _prune(value):
    """Drop empty strings, None and empty lists or objects, at every depth."""
    if isinstance(value, dict):
        pruned = {k: _prune(v) for k, v in value.items()}
        return {k: v for k, v in pruned.items() if v not in ("", None, [], {})}
    if isinstance(value, list):
        pruned = [_prune(v) for v in value]
        return [v for v in pruned if v not in ("", None, [], {})]
    if isinstance(value, str):
        return value.strip()
    return value


def project_status(p: Oc4idsProject) -> str:
    if p.withdrawn_on:
        return "cancelled"
    if p.actual_completion:
        return "completion"
    if p.actual_start or p.kind == ProjectKind.CONTINUING:
        return "implementation"
    return "preparation"


def _milestone_status(node: Oc4idsNode, today: dt.date) -> str:
    if node.done:
        return "met"
    if node.planned and node.planned < today:
        return "notMet"
    return "scheduled"


def _milestones(p: Oc4idsProject, today: dt.date) -> list[dict]:
    return [
        {
            "id": f"{'approval' if node.is_approval else 'node'}-{n}",
            "title": node.title,
            "type": "approval" if node.is_approval else "delivery",
            "dueDate": _date(node.planned) if node.planned else None,
            "dateMet": _date(node.done) if node.done else None,
            "status": _milestone_status(node, today),
        }
        for n, node in enumerate(p.nodes, start=1)
    ]


def _parties(p: Oc4idsProject) -> list[dict]:
    parties = {p.unit_code: {"id": p.unit_code, "name": p.unit_name, "roles": ["publicAuthority"]}}
    # A node answered for by another unit names it as an interested party of the project.
    for node in p.nodes:
        if node.unit_code and node.unit_code not in parties:
            parties[node.unit_code] = {
                "id": node.unit_code,
                "name": node.unit_name,
                "roles": ["interestedParty"],
            }
    return list(parties.values())


def _metrics(p: Oc4idsProject, year: int) -> list[dict]:
    metrics = []
    if p.months:
        metrics.append(
            {
                "id": "financialProgress",
                "title": "本月完成投资",
                "observations": [
                    {
                        "id": f"{year}-{m.month:02d}",
                        "period": _month_period(year, m.month),
                        "value": _value(m.investment),
                    }
                    for m in p.months
                ],
            }
        )
    described = [m for m in p.months if m.image_progress.strip()]
    if described:
        metrics.append(
            {
                "id": "physicalProgress",
                "title": "形象进度",
                "observations": [
                    {
                        "id": f"{year}-{m.month:02d}",
                        "period": _month_period(year, m.month),
                        "notes": m.image_progress,
                    }
                    for m in described
                ],
            }
        )
    return metrics


def _budget(p: Oc4idsProject, year: int) -> dict:
    budget = {"amount": _value(p.total_investment)}
    if p.quarter_plans:
        budget["budgetBreakdowns"] = [
            {
                "id": str(year),
                "description": f"{year}年计划投资（按季度）",
                "budgetBreakdown": [
                    {
                        "id": f"{year}-Q{q}",
                        "description": f"{year}年第{q}季度计划投资",
                        "amount": _value(amount),
                        "period": _quarter_period(year, q),
                    }
                    for q, amount in enumerate(p.quarter_plans, start=1)
                ],
            }
        ]
    return budget


# The 项目代码's standard (全国投资项目在线审批监管平台), as the identifiers' scheme.
NATIONAL_CODE_SCHEME = "GB/T 40058-2021"


def project_id(code: str) -> str:
    return f"oc4ids-{settings.OC4IDS_PREFIX}-{code}"


def oc4ids_project(p: Oc4idsProject, year: int, today: dt.date) -> dict:
    district = settings.TRACKER_DISTRICT
    project = {
        "id": project_id(p.code),
        "updated": timezone.localtime(p.updated_at).isoformat(),
        "language": "zh",
        "title": p.name,
        # The national platform's code, so a reader can match the project across publishers;
        # left out (pruned) when the ledger has none.
        "identifiers": (
            [{"id": p.national_code, "scheme": NATIONAL_CODE_SCHEME}] if p.national_code else None
        ),
        # Generated, not the ledger's notes: those are the office's own and not for publication.
        "description": f"{district}{p.street_name}{p.category_name}项目，责任单位{p.unit_name}。",
        "status": project_status(p),
        "type": TYPE_FOR_CATEGORY.get(p.category_code, "construction"),
        "sector": SECTOR_FOR_CATEGORY.get(p.category_code),
        "publicAuthority": {"id": p.unit_code, "name": p.unit_name},
        "parties": _parties(p),
        "budget": _budget(p, year),
        "period": _period(p.planned_start, p.planned_completion),
        "completion": {"endDate": _date(p.actual_completion)} if p.actual_completion else None,
        "locations": [
            {
                "id": "1",
                "description": f"{district}{p.street_name}",
                "address": {"locality": p.street_name, "region": district, "countryName": "中国"},
                # GeoJSON order: longitude, then latitude (WGS-84).
                "geometry": {
                    "type": "Point",
                    "coordinates": [float(p.longitude), float(p.latitude)],
                }
                if p.longitude is not None and p.latitude is not None
                else None,
            }
        ],
        "milestones": _milestones(p, today),
        "metrics": _metrics(p, year),
    }
    return _prune(project)


def oc4ids_package(data: Oc4idsData) -> dict:
    today = timezone.localdate()
    package = {
        "uri": (
            f"urn:oc4ids:{settings.OC4IDS_PREFIX}:{quote(data.programme_code, safe='')}:{data.year}"
        ),
        "publishedDate": timezone.localtime().replace(microsecond=0).isoformat(),
        "publisher": {"name": settings.BRIEFING_ISSUER},
        "version": VERSION,
        "projects": [oc4ids_project(p, data.year, today) for p in data.projects],
    }
    return _prune(package)


@register
class Oc4idsExporter(Exporter):
    identifier = "oc4ids"
    name = "OC4IDS"
    content_type = "application/json"
    order = 5
    binary = False  # JSON text: the command may print it
    shareable = True  # a superior without an account may be sent the open-data package

    def render(self, report: QuarterlyReport, table: str, scope: Scope = WHOLE_LIST) -> bytes:
        programme = Programme.objects.get(code=report.programme_code)
        # A filtered report, or one for a reader who reaches part of the list (a street
        # viewer), publishes only the projects it shows; the whole list otherwise (withdrawn
        # projects included, as cancelled).
        codes = [row.code for row in report.rows] if report.filtered or report.partial else None
        data = oc4ids_data(programme, report.year, codes)
        return json.dumps(oc4ids_package(data), ensure_ascii=False, indent=2).encode("utf-8")

    def filename(self, report: QuarterlyReport, table: str, scope: Scope = WHOLE_LIST) -> str:
        # "….oc4ids.json": a JSON file, told apart from the report's own JSON export.
        return super().filename(report, table, scope) + ".json"
