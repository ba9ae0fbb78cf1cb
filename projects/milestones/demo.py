"""Demo node templates, nodes and approvals for the demo ledger, added once and deterministically.

Nodes come from two template sets for new starts (前期手续 with a parallel group of
assessments, then 施工建设) and one for continuing projects, dated from each project's dates;
nodes before a project's start are done before it, the start node is the
ledger's actual start, and later nodes are mostly done when their day has
passed, so a few are late (red) as on any real chart.
"""

import datetime as dt
import random

from django.dispatch import receiver
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from projects.demo_signals import demo_loaded
from projects.models import Project

from . import services
from .models import Anchor, Approval, Milestone, NodeTemplate, TemplateSet

START = "开工"
# (set name, kind, order, set anchor, offset, [(node, step, anchor, offset, days after step)])
# 前期手续 runs from 120 days before the planned start, its three assessments in parallel;
# 施工建设 counts from the start. Continuing projects plan back from their completion.
AFTER = None
SETS = [
    (
        "前期手续",
        Project.Kind.NEW,
        10,
        Anchor.PLANNED_START,
        -120,
        [
            ("土地摘牌", 10, "", 0, 0),
            ("规划许可", 20, "", 0, 50),
            ("环评批复", 20, "", 0, 40),
            ("能评批复", 20, "", 0, 30),
            ("施工许可", 30, "", 0, 55),
        ],
    ),
    (
        "施工建设",
        Project.Kind.NEW,
        20,
        Anchor.PLANNED_START,
        0,
        [
            (START, 10, Anchor.PLANNED_START, 0, AFTER),
            ("主体封顶", 20, "", 0, 300),
            ("竣工验收", 30, Anchor.PLANNED_COMPLETION, -30, AFTER),
            ("投产运营", 40, "", 0, 30),
        ],
    ),
    (
        "续建施工",
        Project.Kind.CONTINUING,
        30,
        Anchor.PLANNED_COMPLETION,
        -300,
        [
            ("主体封顶", 10, "", 0, 0),
            ("设备安装", 20, "", 0, 180),
            ("竣工验收", 30, "", 0, 90),
            ("投产运营", 40, "", 0, 30),
        ],
    ),
]
DOC_PREFIX = {
    Approval.Kind.PROJECT: "城发改审批",
    Approval.Kind.LAND: "青自然资预审",
    Approval.Kind.PLANNING: "建字第",
    Approval.Kind.ENVIRONMENT: "青环城审",
    Approval.Kind.ENERGY: "城发改能审",
    Approval.Kind.CONSTRUCTION: "施工许可",
}


def ensure_templates() -> list[TemplateSet]:
    sets = []
    for name, kind, order, anchor, offset, nodes in SETS:
        template_set, _created = TemplateSet.objects.get_or_create(
            name=name,
            defaults={"kind": kind, "sort_order": order, "anchor": anchor, "offset_days": offset},
        )
        sets.append(template_set)
        for node, step, node_anchor, node_offset, after in nodes:
            NodeTemplate.objects.get_or_create(
                template_set=template_set,
                name=node,
                defaults={
                    "sort_order": step,
                    "anchor": node_anchor,
                    "offset_days": node_offset,
                    "after_days": after,
                },
            )
    return sets


@receiver(demo_loaded, dispatch_uid="milestones.demo")
def load_demo_plans(sender, programme, actor, **kwargs) -> None:
    sets = ensure_templates()
    projects = Project.objects.filter(programme=programme).order_by("code")
    if Milestone.objects.filter(project__programme=programme).exists():
        return
    rng = random.Random(1414)
    today = timezone.localdate()
    for kind in Project.Kind.values:
        services.apply_template_sets(
            actor=actor,
            projects=projects.filter(kind=kind),
            template_sets=[s for s in sets if s.kind == kind],
        )
    by_project: dict[int, list[Milestone]] = {}
    for node in Milestone.objects.filter(project__programme=programme).order_by("sort_order"):
        by_project.setdefault(node.project_id, []).append(node)
    changed, approvals = [], []
    for project in projects:
        nodes = by_project.get(project.pk, [])
        changed += _fill_nodes(rng, today, project, nodes)
        approvals += _approvals(rng, today, project)
    bulk_update_with_history(
        changed,
        Milestone,
        ["actual_date"],
        default_user=actor,
        default_change_reason="demo progress",
    )
    bulk_create_with_history(
        approvals, Approval, default_user=actor, default_change_reason="demo approvals"
    )


def _fill_nodes(rng, today, project, nodes) -> list[Milestone]:
    changed = []
    start_seen = project.kind == Project.Kind.CONTINUING
    stalled = False  # once a node slips, the ones after it wait for it
    for node in nodes:
        if node.name == START:
            start_seen = True
            continue
        if node.planned_date is None or node.planned_date > today:
            continue
        if not start_seen:
            # Before the start: done by the start, or mostly done when not started yet.
            if project.actual_start is None and rng.random() < 0.4:
                continue
            latest = project.actual_start or today
        else:
            if project.actual_start is None and project.kind == Project.Kind.NEW:
                continue
            if stalled or rng.random() < 0.12:
                stalled = True
                continue  # late: the red flags of the chart
            latest = today
        node.actual_date = min(latest, node.planned_date + dt.timedelta(rng.randint(-10, 20)))
        changed.append(node)
    return changed


def _approvals(rng, today, project) -> list[Approval]:
    out = []
    started = project.actual_start
    for number, kind in enumerate(Approval.Kind.values, start=1):
        if started:
            status = Approval.Status.DONE
            date = started - dt.timedelta(days=rng.randint(20, 200) // number)
        else:
            status = rng.choice(
                [Approval.Status.DONE, Approval.Status.DONE, Approval.Status.IN_PROGRESS]
                + ([Approval.Status.NOT_STARTED] if number > 3 else [])
            )
            date = (
                min(today, dt.date(2024, 3, 31)) - dt.timedelta(days=rng.randint(5, 120))
                if status == Approval.Status.DONE
                else None
            )
        document = ""
        if status == Approval.Status.DONE:
            document = f"{DOC_PREFIX[kind]}〔{date.year}〕{rng.randint(10, 480)}号"
        out.append(
            Approval(project=project, kind=kind, status=status, date=date, document_number=document)
        )
    return out
