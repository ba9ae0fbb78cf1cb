"""The demo's light signals beyond the figures: a manager's flags and a project that recovers.

Decisions (issue #23, checked on the demo by ``tests/test_demo_lights.py``):

- 开工 (start_late) cannot appear in Q1 without changing the article's figures: 71 new starts
  were planned for Q1 and all 71 started by 31 March (80 started, 9 of them early). It appears
  from 1—5月 on by itself: three projects planned for April have not started by the end of May
  (计划开工逾期1个月, yellow), so no demo figure is changed for it.
- 人工标记: one yellow flag in Q1 on a project already yellow by its investment (the Q1 light
  counts stay), and one red flag from May, so 1—5月 lists a project turned red by a manager.
- Recovery (瓯海): one project gets a design-review node due in January and done on 5 March:
  at the end of February it is overdue by more than the red threshold (red); by the end of
  March it has caught up and only its investment's lag is left (yellow). 1—3月 then lists it
  as recovered from red to yellow, beside the two projects that turned red on late nodes.
  Q1's figures do not move: the node is done within the quarter.

Written through the services as the demo's actor, after the apps' own demo rows; idempotent.
"""

from __future__ import annotations

import datetime as dt

from .choices import Light
from .milestones.models import Milestone
from .milestones.services import save_milestone
from .models import Project, WarningFlag
from .services.flags import flag_project

# (project code, light, reason, counts from)
FLAGS = [
    ("CY2024-005", Light.YELLOW, "征地拆迁进度偏慢，指挥部约谈督促", dt.date(2024, 3, 15)),
    ("CY2024-010", Light.RED, "主要设备招标流标，需重新组织招标", dt.date(2024, 5, 6)),
]
# (project code, node, planned, done): late through February, done in March.
RECOVERY_NODE = ("CY2024-004", "设计方案审查", dt.date(2024, 1, 10), dt.date(2024, 3, 5))


def save_light_signals(actor, programme) -> int:
    """Write the flags and the recovering node where they differ; returns rows written."""
    projects = {p.code: p for p in Project.objects.filter(programme=programme)}
    changed = 0
    for code, light, reason, since in FLAGS:
        stored = WarningFlag.objects.filter(project=projects[code]).first()
        if stored and (stored.light, stored.reason, stored.since) == (light, reason, since):
            continue
        flag_project(actor=actor, project=projects[code], light=light, reason=reason, since=since)
        changed += 1
    code, name, planned, done = RECOVERY_NODE
    node = Milestone.objects.filter(project=projects[code], name=name).first()
    if node is None or (node.planned_date, node.actual_date) != (planned, done):
        save_milestone(
            actor=actor,
            project=projects[code],
            name=name,
            planned_date=planned,
            actual_date=done,
            # The demo's first quarter may be locked already; the reason is the history's.
            reason="演示数据",
        )
        changed += 1
    return changed
