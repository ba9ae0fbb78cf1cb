"""What each unit should be reminded of on a day (催报): months to submit, problems, late nodes.

A fixed number of queries whatever the number of units; the command prints it
as text or CSV and can send it by email through Django's mail framework.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q

from projects.coordination.models import Problem
from projects.coordination.selectors import DUE_SOON, OVERDUE, flag
from projects.milestones.models import Milestone
from projects.milestones.selectors import late_q
from projects.models import DispatchSettings, MonthSubmission, PeriodLock, Project, Unit
from projects.periods import month_text, reporting_month
from projects.selectors import placed

DONE_STATUSES = (MonthSubmission.Status.SUBMITTED, MonthSubmission.Status.APPROVED)
# What a reminder's lines and the to-do read of a problem and of a node (and ``flag`` of a
# problem): another field read later would be one query a row.
PROBLEM_FIELDS = ("status", "deadline", "description", "project__code", "project__unit")
NODE_FIELDS = ("name", "planned_date", "unit", "project__code", "project__unit")


@dataclass
class UnitReminder:
    """Everything one unit is reminded of, each list already in reading order."""

    unit: Unit
    months_due: list[tuple[int, int]] = field(default_factory=list)
    months_overdue: list[tuple[int, int]] = field(default_factory=list)
    problems_due_soon: list[Problem] = field(default_factory=list)
    problems_overdue: list[Problem] = field(default_factory=list)
    nodes_late: list[Milestone] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(
            self.months_due
            or self.months_overdue
            or self.problems_due_soon
            or self.problems_overdue
            or self.nodes_late
        )


def _months_to_report(day: dt.date) -> list[tuple[int, int]]:
    """Months of the day's year already over (last December in January), oldest first."""
    if day.month == 1:
        return [reporting_month(day)]
    return [(day.year, m) for m in range(1, day.month)]


def reminders(
    day: dt.date, unit_ids: set[int] | None = None, *, emails: bool = True
) -> list[UnitReminder]:
    """Each unit's reminders on ``day`` (of the units in ``unit_ids`` only, when given);
    with the addresses of each unit's members unless ``emails`` is false (the to-do on a
    clerk's page shows none: one statement fewer on the page the load test asks most)."""
    months = _months_to_report(day)
    years = {y for y, _m in months}
    locked = PeriodLock.objects.locked_months(years)
    open_months = [m for m in months if m not in locked]
    ids = None if unit_ids is None else sorted(unit_ids)
    # The units' own rows, each list read by a statement built once per day (``_of_units``,
    # the units' ids its values): a clerk's to-do is on the page asked most.
    shape = (day, tuple(sorted(years)))
    units = {
        u.pk: UnitReminder(u)
        for u in _of_units(
            ("reminders: units", shape), ids, lambda u: Unit.objects.filter(pk__in=u)
        )
    }
    reporting = {
        row["unit_id"]
        for row in _of_units(
            ("reminders: units reporting", shape),
            ids,
            lambda u: (
                Project.objects.filter(programme__year__in=years, unit__in=u)
                .values("unit_id")
                .order_by()
            ),
            values=True,
        )
    }
    # Of the asked units only: a clerk's to-do read every unit's year of submissions (27,000
    # rows at 2,466 units) to remind one unit.
    done = {
        (row["unit_id"], row["year"], row["month"])
        for row in _of_units(
            ("reminders: months done", shape),
            ids,
            lambda u: (
                MonthSubmission.objects.filter(year__in=years, status__in=DONE_STATUSES, unit__in=u)
                .values("unit_id", "year", "month")
                .order_by()
            ),
            values=True,
        )
    }
    for unit_id in reporting:
        missing = [(y, m) for y, m in open_months if (unit_id, y, m) not in done]
        if missing and missing[-1] == months[-1]:
            units[unit_id].months_due.append(missing.pop())
        units[unit_id].months_overdue.extend(missing)
    days = DispatchSettings.current().due_soon_days
    # Each list is read with the fields its lines print (``lines``, the to-do): a unit may
    # have hundreds of late nodes, and each read whole with its whole project cost 0.1 ms.
    problems = _of_units(
        ("reminders: problems", shape),
        ids,
        lambda u: (
            Problem.objects.filter(
                status__in=Problem.OPEN_STATUSES, deadline__isnull=False, project__unit__in=u
            )
            .select_related("project")
            .only(*PROBLEM_FIELDS)
            .order_by("deadline", "id")
        ),
    )
    for problem in problems:
        state = flag(problem, day, days)
        target = units[problem.project.unit_id]
        if state == DUE_SOON:
            target.problems_due_soon.append(problem)
        elif state == OVERDUE:
            target.problems_overdue.append(problem)
    nodes = _of_units(
        ("reminders: late nodes", shape),
        ids,
        # A node may name its own responsible unit; otherwise it is its project's unit's.
        lambda u: (
            Milestone.objects.filter(late_q(day))
            .filter(Q(unit__in=u) | Q(unit__isnull=True, project__unit__in=u))
            .select_related("project")
            .only(*NODE_FIELDS)
            .order_by("planned_date", "project__code")
        ),
    )
    for node in nodes:
        node.days_late = (day - node.planned_date).days
        units[node.unit_id or node.project.unit_id].nodes_late.append(node)
    if emails:
        members = Unit.members.through.objects.filter(user__is_active=True, unit_id__in=list(units))
        for unit_id, email in members.values_list("unit_id", "user__email"):
            if email:
                units[unit_id].emails.append(email)
    return [r for r in units.values() if r]


def _of_units(shape, ids: list[int] | None, build, *, values: bool = False) -> list:
    """What ``build(units)`` reads (instances, or ``values`` rows) for the units ``ids``:
    built and compiled once per ``shape``, the units' ids its values (``placed``); for
    every unit (``ids`` None, the command's reminders) built every time, its unit filter
    given every unit."""
    if ids is None:
        return list(build(Unit.objects.values("pk")))
    read = placed.values_for if values else placed.objects_of
    return read(shape, lambda *marks: build(list(marks)), *ids)


def _month(ym: tuple[int, int]) -> str:
    return month_text(*ym)


def lines(reminder: UnitReminder) -> list[tuple[str, str, str, str]]:
    """(kind, project code, date, text) rows of one unit, shared by the text and CSV forms."""
    rows = [("待报月份", "", _month(m), "本月应报送") for m in reminder.months_due]
    rows += [("逾期未报", "", _month(m), "已逾期，请尽快报送") for m in reminder.months_overdue]
    rows += [
        ("问题超期", p.project.code, p.deadline.isoformat(), p.description)
        for p in reminder.problems_overdue
    ]
    rows += [
        ("问题临期", p.project.code, p.deadline.isoformat(), p.description)
        for p in reminder.problems_due_soon
    ]
    rows += [
        ("节点滞后", n.project.code, n.planned_date.isoformat(), f"{n.name}，滞后{n.days_late}天")
        for n in reminder.nodes_late
    ]
    return rows


def as_text(reminder: UnitReminder) -> str:
    out = [reminder.unit.name]
    for kind, code, date, text in lines(reminder):
        out.append(f"  【{kind}】{code + ' ' if code else ''}{date} {text}")
    return "\n".join(out)
