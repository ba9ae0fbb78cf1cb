"""What the OC4IDS export publishes of one list and year, read in a fixed number of queries.

Plain data only (amounts in 万元 as stored, dates as dates); turning it into the
standard's shapes and units is the exporter's business (``exports.oc4ids_file``).
Six queries whatever the number of projects: the programme, the projects with their
unit, street and category, the year's plans, the year's progress, the nodes and the
approvals.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from ..milestones.models import Approval, Milestone
from ..models import MonthlyProgress, Programme, Project, QuarterPlan


@dataclass(frozen=True)
class Oc4idsNode:
    """A node (节点) or a 前期手续 approval: what, by when, done when."""

    title: str
    is_approval: bool
    planned: dt.date | None
    done: dt.date | None
    unit_code: str
    unit_name: str


@dataclass(frozen=True)
class Oc4idsMonth:
    month: int
    investment: Decimal
    image_progress: str


@dataclass(frozen=True)
class Oc4idsProject:
    code: str
    name: str
    # The national platform's 项目代码, blank when none.
    national_code: str
    notes: str
    image_progress: str
    kind: str
    category_code: str
    category_name: str
    unit_code: str
    unit_name: str
    street_code: str
    street_name: str
    total_investment: Decimal
    planned_start: dt.date | None
    actual_start: dt.date | None
    planned_completion: dt.date | None
    actual_completion: dt.date | None
    withdrawn_on: dt.date | None
    updated_at: dt.datetime
    # The year's planned investment by quarter (万元); empty when the year has no plan.
    quarter_plans: tuple[Decimal, ...]
    months: tuple[Oc4idsMonth, ...]
    nodes: tuple[Oc4idsNode, ...]
    # WGS-84, both or neither (``Project.clean``); a point geometry when given.
    longitude: Decimal | None = None
    latitude: Decimal | None = None


@dataclass(frozen=True)
class Oc4idsData:
    programme_code: str
    programme_name: str
    year: int
    projects: tuple[Oc4idsProject, ...]


# The 前期手续 in the office's own words: the package is read by people, not by the admin's
# (translatable) labels, so the Chinese names are fixed here like the other file labels.
APPROVAL_TITLES = {
    "project": "项目审批（核准、备案）",
    "land": "用地预审",
    "planning": "规划许可",
    "environment": "环境影响评价",
    "energy": "节能审查",
    "construction": "施工许可",
}


def oc4ids_data(programme: Programme, year: int, codes: Iterable[str] | None = None) -> Oc4idsData:
    """The list's projects (withdrawn ones too) with the year's plans, progress and nodes.

    ``codes`` narrows the list to the projects a filtered report shows.
    """
    projects = Project.objects.filter(programme=programme).select_related(
        "unit", "street", "category"
    )
    if codes is not None:
        projects = projects.filter(code__in=list(codes))
    projects = list(projects.order_by("code"))
    ids = [p.pk for p in projects]

    plans = {
        plan.project_id: tuple(plan.investment(q) for q in (1, 2, 3, 4))
        for plan in QuarterPlan.objects.filter(project_id__in=ids, year=year)
    }
    months: dict[int, list[Oc4idsMonth]] = defaultdict(list)
    for row in MonthlyProgress.objects.filter(project_id__in=ids, year=year).order_by(
        "project_id", "month"
    ):
        months[row.project_id].append(Oc4idsMonth(row.month, row.investment, row.image_progress))

    nodes: dict[int, list[Oc4idsNode]] = defaultdict(list)
    for m in Milestone.objects.filter(project_id__in=ids).select_related("unit"):
        nodes[m.project_id].append(
            Oc4idsNode(
                title=m.name,
                is_approval=False,
                planned=m.planned_date,
                done=m.actual_date,
                unit_code=m.unit.code if m.unit else "",
                unit_name=m.unit.name if m.unit else "",
            )
        )
    for a in Approval.objects.filter(project_id__in=ids):
        nodes[a.project_id].append(
            Oc4idsNode(
                title=APPROVAL_TITLES.get(a.kind, a.kind),
                is_approval=True,
                planned=None,
                done=a.date if a.status == Approval.Status.DONE else None,
                unit_code="",
                unit_name="",
            )
        )

    return Oc4idsData(
        programme_code=programme.code,
        programme_name=programme.name,
        year=year,
        projects=tuple(
            Oc4idsProject(
                code=p.code,
                name=p.name,
                national_code=p.national_code,
                notes=p.notes,
                image_progress=p.image_progress,
                kind=p.kind,
                category_code=p.category.code,
                category_name=p.category.name,
                unit_code=p.unit.code,
                unit_name=p.unit.name,
                street_code=p.street.code,
                street_name=p.street.name,
                total_investment=p.total_investment,
                planned_start=p.planned_start,
                actual_start=p.actual_start,
                planned_completion=p.planned_completion,
                actual_completion=p.actual_completion,
                withdrawn_on=p.withdrawn_on,
                updated_at=p.updated_at,
                quarter_plans=plans.get(p.pk, ()),
                months=tuple(months[p.pk]),
                nodes=tuple(nodes[p.pk]),
                longitude=p.longitude,
                latitude=p.latitude,
            )
            for p in projects
        ),
    )
