"""Demo problems for the demo ledger: raised from the months' 存在问题, some assigned, some closed.

Dates are relative to the day the demo is loaded, so the 临期 and 超期 flags
show something on a fresh ``make run``. Rows are added once (a second load
changes nothing) and drawn from a seeded generator, so every first load gives
the same log relative to its day.
"""

import datetime as dt
import random

from django.dispatch import receiver
from django.utils import timezone

from projects.demo_signals import demo_loaded
from projects.models import MonthlyProgress

from . import services
from .models import Department, Problem

DEPARTMENTS = [
    ("ZRZY", "区自然资源局"),
    ("XZSP", "区行政审批服务局"),
    ("ZJJ", "区住房和城乡建设局"),
    ("STHJ", "区生态环境分局"),
    ("CZJ", "区财政局"),
    ("GD", "城阳供电中心"),
    ("ZQ", "区征迁服务中心"),
]
# Which department a reported text goes to, and its kind, by a word in it.
ROUTES = [
    ("土地", "land", "ZRZY"),
    ("征收", "clearance", "ZQ"),
    ("施工许可", "planning", "XZSP"),
    ("环评", "planning", "STHJ"),
    ("资金", "funding", "CZJ"),
    ("电力", "utilities", "GD"),
]
EXTRA = [
    ("施工围挡影响周边道路通行，需协调交警部门", "site", "ZJJ"),
    ("天然气管线迁改方案待燃气公司确认", "utilities", "ZJJ"),
    ("规划条件调整，需重新核发建设工程规划许可证", "planning", "XZSP"),
    ("地块内有两处坟墓待迁移", "clearance", "ZQ"),
]
RESOLUTIONS = [
    "经调度会协调，相关手续已办结。",
    "责任部门现场办公，问题已解决。",
    "已完成方案调整，项目恢复正常施工。",
]


@receiver(demo_loaded, dispatch_uid="coordination.demo")
def load_demo_problems(sender, programme, actor, **kwargs) -> None:
    departments = {}
    for order, (code, name) in enumerate(DEPARTMENTS):
        departments[code], _created = Department.objects.get_or_create(
            code=code, defaults={"name": name, "sort_order": order}
        )
    if Problem.objects.filter(project__programme=programme).exists():
        return
    rng = random.Random(14)
    today = timezone.localdate()
    entries = (
        MonthlyProgress.objects.filter(project__programme=programme)
        .exclude(problems="")
        .select_related("project__unit")
        .order_by("project__code", "-month")
    )
    seen, sources = set(), []
    for entry in entries:
        if entry.project_id not in seen:
            seen.add(entry.project_id)
            sources.append((entry.project, entry.problems, entry))
    projects = [p for p, _text, _e in sources]
    for index, (text, _kind, _dept) in enumerate(EXTRA):
        sources.append((projects[(index * 7 + 3) % len(projects)], text, None))
    raised = set()
    for project, text, entry in sources[:40]:
        fallback = next(((k, d) for t, k, d in EXTRA if t == text), ("other", "ZJJ"))
        kind, dept = next(((k, d) for word, k, d in ROUTES if word in text), fallback)
        if (project.pk, kind) in raised:
            continue  # one problem per project and kind: the log refuses a second
        raised.add((project.pk, kind))
        _one_problem(actor, rng, today, project, text, kind, departments[dept], entry)


def _one_problem(actor, rng, today, project, text, kind, department, entry) -> None:
    raised_on = today - dt.timedelta(days=rng.randint(3, 75))
    problem = services.raise_problem(
        actor=actor,
        project=project,
        description=text,
        kind=kind,
        source_year=entry.year if entry else None,
        source_month=entry.month if entry else None,
        raised_on=raised_on,
    )
    fate = rng.random()
    if fate < 0.15:
        return  # still waiting for the office to assign it
    deadline = raised_on + dt.timedelta(days=rng.choice([10, 15, 20, 30, 45]))
    if fate < 0.35:
        # Some fall due within the coming week, so the meeting has 临期 items too.
        deadline = max(deadline, today + dt.timedelta(days=rng.randint(1, 6)))
    services.assign_problem(
        actor=actor,
        problem=problem,
        department=department,
        deadline=deadline,
        leader=project.leader_name,
        comment="请于时限内办结并反馈。",
    )
    if fate < 0.55:
        services.comment_on_problem(
            actor=actor, problem=problem, comment="已与责任部门对接，正在推进。"
        )
        return
    if fate < 0.67:
        services.escalate_problem(
            actor=actor, problem=problem, comment="涉及多个部门，提请区领导协调。"
        )
        return
    resolved_on = min(today, raised_on + dt.timedelta(days=rng.randint(5, 40)))
    services.resolve_problem(
        actor=actor, problem=problem, resolution=rng.choice(RESOLUTIONS), resolved_on=resolved_on
    )
