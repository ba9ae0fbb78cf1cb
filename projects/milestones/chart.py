"""Reads for 挂图作战: a project's node chart (planned and actual bars, today, late nodes, the
critical path) and a unit's projects with their next node and where their chain finishes.

Geometry is computed here as numbers on a 0–100 axis (the template draws SVG rectangles with
them; the CSP allows no inline styles), dates by ``planning``: no template decides anything.
"""

import datetime as dt
from dataclasses import dataclass, field

from projects.models import Project, Unit

from . import planning
from .models import Milestone

AXIS = 100
MIN_WIDTH = 0.8  # a node due on the day its step starts still shows as a mark


@dataclass(frozen=True)
class Bar:
    x: float
    w: float


@dataclass(frozen=True)
class ChartRow:
    node: Milestone
    step: int  # 1, 2, … in the sequence; a parallel group shares one
    group: bool  # one of several nodes of its step
    planned: Bar | None
    actual: Bar | None
    overdue: Bar | None  # not done, from the planned date to today
    late: bool
    days_late: int
    critical: bool


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True)
class ProjectChart:
    project: Project
    rows: list[ChartRow]
    today: dt.date
    today_x: float | None
    ticks: list[Tick]
    finish: dt.date | None  # where the critical path is now expected to end
    late_count: int
    slip_days: int | None  # finish against the planned completion; positive is later

    @property
    def later_by(self) -> int:
        return max(self.slip_days or 0, 0)

    @property
    def earlier_by(self) -> int:
        return max(-(self.slip_days or 0), 0)


class _Axis:
    def __init__(self, days: list[dt.date]):
        self.start, end = min(days), max(days)
        self.span = max((end - self.start).days, 1)

    def x(self, day: dt.date) -> float:
        return round(AXIS * (day - self.start).days / self.span, 2)

    def mark(self, day: dt.date) -> float:
        """A thin line's x, kept inside the box when the day is its last."""
        return min(self.x(day), AXIS - 0.6)

    def bar(self, begin: dt.date | None, end: dt.date | None) -> Bar | None:
        if end is None:
            return None
        begin = min(begin or end, end)
        x = self.x(begin)
        return Bar(min(x, AXIS - MIN_WIDTH), max(self.x(end) - x, MIN_WIDTH))

    def ticks(self) -> list[Tick]:
        """The first of each month (every third on a long chart) as the axis' labels."""
        months = self.span // 30 + 1
        every = 1 if months <= 8 else 3 if months <= 30 else 12
        day, out = dt.date(self.start.year, self.start.month, 1), []
        while self.x(day) <= AXIS:
            if day >= self.start and (day.month - 1) % every == 0:
                out.append(Tick(self.x(day), f"{day.year}-{day.month:02d}"))
            day = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
        return out


def _dates(nodes, today) -> list[dt.date]:
    days = [today]
    for node in nodes:
        days += [d for d in (node.planned_date, node.actual_date) if d]
    return days


def _rows(nodes, today: dt.date, axis: _Axis, on_path: set[int]) -> list[ChartRow]:
    rows = []
    planned_from = actual_from = None
    for number, step in enumerate(planning.sequence(nodes), start=1):
        for node in step:
            late = planning.is_late(node, today)
            overdue = node.actual_date is None and late
            rows.append(
                ChartRow(
                    node=node,
                    step=number,
                    group=len(step) > 1,
                    planned=axis.bar(planned_from, node.planned_date),
                    actual=axis.bar(actual_from, node.actual_date),
                    overdue=axis.bar(node.planned_date, today) if overdue else None,
                    late=late,
                    days_late=_days_late(node, today) if late else 0,
                    critical=node.pk in on_path,
                )
            )
        planned_from = planning.latest(n.planned_date for n in step) or planned_from
        actual_from = planning.latest(planning.finish_of(n) for n in step) or actual_from
    return rows


def _days_late(node, today: dt.date) -> int:
    return ((node.actual_date or today) - node.planned_date).days


def _slip(finish: dt.date | None, project: Project) -> int | None:
    if finish is None or project.planned_completion is None:
        return None
    return (finish - project.planned_completion).days


def project_chart(project: Project, today: dt.date) -> ProjectChart:
    """The project's chart; ``project`` was fetched through the access policy. One query."""
    nodes = list(Milestone.objects.filter(project=project).select_related("unit"))
    axis = _Axis(_dates(nodes, today) + [d for d in (project.planned_completion,) if d])
    on_path, finish = planning.critical_path(nodes, today)
    rows = _rows(nodes, today, axis, on_path)
    return ProjectChart(
        project=project,
        rows=rows,
        today=today,
        today_x=axis.mark(today),
        ticks=axis.ticks(),
        finish=finish,
        late_count=sum(1 for r in rows if r.late and r.node.actual_date is None),
        slip_days=_slip(finish, project),
    )


@dataclass(frozen=True)
class UnitChartRow:
    project: Project
    next_node: Milestone | None  # the first node not done, in the plan's order
    late_count: int  # nodes overdue today
    node_count: int
    finish: dt.date | None
    slip_days: int | None
    bar: Bar | None  # from the first node to where the critical path ends
    completion_x: float | None


@dataclass(frozen=True)
class UnitChart:
    unit: Unit
    rows: list[UnitChartRow] = field(default_factory=list)
    today_x: float | None = None
    ticks: list[Tick] = field(default_factory=list)


def unit_chart(projects, unit: Unit, today: dt.date) -> UnitChart:
    """A unit's projects (``projects`` already restricted to the reader's reach) with their
    next node, overdue count and chain finish against planned completion. Two queries."""
    chosen = list(projects.filter(unit=unit).order_by("code"))
    by_project: dict[int, list[Milestone]] = {p.pk: [] for p in chosen}
    for node in Milestone.objects.filter(project__in=chosen):
        by_project[node.project_id].append(node)
    finishes = {p.pk: planning.critical_path(by_project[p.pk], today)[1] for p in chosen}
    days = [today]
    for project in chosen:
        days += _dates(by_project[project.pk], today)
        days += [d for d in (project.planned_completion, finishes[project.pk]) if d]
    axis = _Axis(days)
    rows = [
        _unit_row(project, by_project[project.pk], finishes[project.pk], today, axis)
        for project in chosen
    ]
    return UnitChart(unit, rows, axis.mark(today), axis.ticks())


def _unit_row(project, nodes, finish, today, axis) -> UnitChartRow:
    starts = [n.planned_date for n in nodes if n.planned_date] + [
        n.actual_date for n in nodes if n.actual_date
    ]
    first = min(starts) if starts else None
    completion = project.planned_completion
    return UnitChartRow(
        project=project,
        next_node=next((n for n in nodes if n.actual_date is None), None),
        late_count=sum(1 for n in nodes if n.actual_date is None and planning.is_late(n, today)),
        node_count=len(nodes),
        finish=finish,
        slip_days=_slip(finish, project),
        bar=axis.bar(first, finish),
        completion_x=axis.mark(completion) if completion else None,
    )
