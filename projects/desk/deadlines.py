"""Deadline reminders (临期提醒): a problem's deadline or a node's planned date is near.

Run daily (``manage.py remind_deadlines``). An open problem whose deadline falls within
``due_soon_days``, and an unfinished node whose planned date falls within
``node_reminder_days`` (both in DispatchSettings, default 7; the node's yellow flag keeps its
own window, ``node_warning_days``), is told once to its unit's staff and
group robots through ``notifications.services.remind_once``; the next day's run, or a
second run today, repeats nothing for the same date. A date that moves is reminded anew.
"""

import datetime as dt
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _

from projects.coordination.models import Problem
from projects.coordination.selectors import due_soon_q as problem_due_soon_q
from projects.milestones.models import Milestone
from projects.milestones.selectors import due_soon_q as node_due_soon_q
from projects.models import DispatchSettings
from projects.notifications.models import Event
from projects.notifications.services import remind_once


@dataclass
class Sent:
    problems: int = 0
    nodes: int = 0


def _when(due: dt.date, day: dt.date) -> str:
    left = (due - day).days
    if left == 0:
        return _("today (%(date)s)") % {"date": due.isoformat()}
    return _("on %(date)s, in %(days)s days") % {"date": due.isoformat(), "days": left}


def problem_text(problem: Problem, day: dt.date) -> str:
    project = problem.project
    return _(
        "%(code)s %(name)s: problem #%(id)s (%(kind)s), with %(department)s, is due %(when)s. "
        "Please follow it up."
    ) % {
        "code": project.code,
        "name": project.name,
        "id": problem.pk,
        "kind": problem.get_kind_display(),
        "department": problem.department.name if problem.department else _("no department"),
        "when": _when(problem.deadline, day),
    }


def node_text(node: Milestone, day: dt.date) -> str:
    return _("%(code)s %(name)s: the node “%(node)s” is planned %(when)s. Please press on.") % {
        "code": node.project.code,
        "name": node.project.name,
        "node": node.name,
        "when": _when(node.planned_date, day),
    }


def remind_deadlines(day: dt.date) -> Sent:
    """Tell of each problem and node whose date is near and not yet told of; counts sent now."""
    settings = DispatchSettings.current()
    sent = Sent()
    problems = (
        Problem.objects.filter(problem_due_soon_q(day, settings.due_soon_days))
        .select_related("project__unit", "department", "raised_by")
        .prefetch_related("project__unit__members")
        .order_by("deadline", "id")
    )
    for problem in problems:
        unit = problem.project.unit
        raiser = [problem.raised_by] if problem.raised_by else []
        sent.problems += remind_once(
            event=Event.PROBLEM_DUE,
            item=problem.pk,
            due_on=problem.deadline,
            text=problem_text(problem, day),
            link=reverse("problem_detail", args=[problem.pk]),
            users=[*unit.members.all(), *raiser],
            units=[unit],
        )
    nodes = (
        Milestone.objects.filter(node_due_soon_q(day, settings.node_reminder_days))
        .select_related("project__unit", "unit")
        .prefetch_related("unit__members", "project__unit__members")
        .order_by("planned_date", "id")
    )
    for node in nodes:
        # A node may name its own responsible unit; otherwise it is its project's unit's.
        unit = node.unit or node.project.unit
        sent.nodes += remind_once(
            event=Event.NODE_DUE,
            item=node.pk,
            due_on=node.planned_date,
            text=node_text(node, day),
            link=reverse("project_plan", args=[node.project.code]),
            users=unit.members.all(),
            units=[unit],
        )
    return sent
