"""Date arithmetic of node plans: steps, parallel groups, re-planning and the critical path.

Pure functions over nodes and templates already read, so the services (which write) and
the chart's selectors (which read) share one rule and the tests check it by hand.

A project's nodes form one sequence of **steps** in their order. Nodes planned from the
same template set with the same step number are a **parallel group**: they all start
after the previous step, and the next step starts after the latest of them finishes.
Any other node (typed in by hand, or an older node) is a step of its own.
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

DAY = dt.timedelta(days=1)


def anchored(project, anchor: str, offset_days: int) -> dt.date | None:
    """The project's date named by ``anchor`` moved by ``offset_days``; None without one."""
    if not anchor:
        return None
    base = getattr(project, anchor)
    return base + dt.timedelta(days=offset_days) if base else None


def latest(dates: Iterable[dt.date | None]) -> dt.date | None:
    known = [d for d in dates if d is not None]
    return max(known) if known else None


def steps_of(templates: Sequence) -> list[list]:
    """Templates (or nodes) grouped by their step number, in order."""
    groups: dict[int, list] = {}
    for item in sorted(templates, key=lambda t: (t.sort_order, t.name)):
        groups.setdefault(item.sort_order, []).append(item)
    return [groups[key] for key in sorted(groups)]


def plan_set(template_set, templates: Sequence, project) -> list[tuple[object, dt.date | None]]:
    """Each template of the set with its planned date for ``project``.

    A template with ``after_days`` is due that many days after the previous step finishes
    (the set's own start for the first step); otherwise it is dated from its anchor. A step
    finishes when the latest of its nodes is due; a node without a date leaves the chain
    after it undated only if no node of its step has a date.
    """
    finish = anchored(project, template_set.anchor, template_set.offset_days)
    out = []
    for group in steps_of(templates):
        dates = []
        for template in group:
            if template.after_days is None:
                day = anchored(project, template.anchor, template.offset_days)
            else:
                day = finish + dt.timedelta(days=template.after_days) if finish else None
            dates.append(day)
            out.append((template, day))
        finish = latest(dates)
    return out


def step_key(node):
    return (node.template_set_id, node.step) if node.template_set_id else ("node", node.pk)


def sequence(nodes: Sequence) -> list[list]:
    """A project's nodes (in their order) as consecutive steps; a group shares a step key."""
    steps: list[list] = []
    for node in nodes:
        if steps and step_key(steps[-1][0]) == step_key(node):
            steps[-1].append(node)
        else:
            steps.append([node])
    return steps


def finish_of(node) -> dt.date | None:
    """When a node ends on the chart: done on its actual date, otherwise its planned one."""
    return node.actual_date or node.planned_date


def is_late(node, today: dt.date) -> bool:
    """Done after its planned date, or not done and its planned date has passed."""
    if node.planned_date is None:
        return False
    if node.actual_date is not None:
        return node.actual_date > node.planned_date
    return node.planned_date < today


@dataclass(frozen=True)
class Move:
    """A following node's planned date before and after re-planning."""

    node: object
    old: dt.date
    new: dt.date


def replan(nodes: Sequence, late_node, today: dt.date) -> list[Move]:
    """New planned dates for the nodes after ``late_node``, each step's time limit kept.

    The late node's step now finishes on its actual date (or today, while it is not done),
    or later if another of its group finishes later. Each following node that is not done
    is due its time limit after the previous step finishes: its template's days after the
    previous step, or else the gap its planned date kept from the previous step on the old
    plan. A node already done stays as it is and ends its step on its actual date. Returns
    only the nodes whose date moves.
    """
    steps = sequence(nodes)
    at = next(i for i, step in enumerate(steps) if any(n.pk == late_node.pk for n in step))
    ends = [
        late_node.actual_date or today if n.pk == late_node.pk else finish_of(n) for n in steps[at]
    ]
    new_finish = latest(ends)
    old_finish = latest(n.planned_date for n in steps[at])
    moves = []
    for step in steps[at + 1 :]:
        ends = []
        for node in step:
            day = _following(node, old_finish, new_finish)
            if day is not None and day != node.planned_date:
                moves.append(Move(node, node.planned_date, day))
            ends.append(node.actual_date or day or node.planned_date)
        old_finish = latest(n.planned_date for n in step)
        new_finish = latest(ends)
    return moves


def _following(node, old_finish, new_finish) -> dt.date | None:
    if node.actual_date is not None or new_finish is None:
        return None
    if node.after_days is not None:
        return new_finish + dt.timedelta(days=node.after_days)
    if node.planned_date is None or old_finish is None:
        return None
    return new_finish + (node.planned_date - old_finish)


def forecast(nodes: Sequence, today: dt.date) -> dict[int, dt.date | None]:
    """When each node is now expected to finish, if every step keeps its time limit.

    A done node finished on its actual date; an open one keeps the gap its planned date had
    from the previous step's planned finish, counted from that step's expected finish, and
    cannot finish before today. So an overdue node pushes everything after it, as re-planning
    would, without writing anything.
    """
    expected: dict[int, dt.date | None] = {}
    old_finish = new_finish = None
    for step in sequence(nodes):
        ends = []
        for node in step:
            day = node.actual_date or _shifted(node.planned_date, old_finish, new_finish)
            if node.actual_date is None and day is not None and day < today:
                day = today
            expected[node.pk] = day
            ends.append(day)
        old_finish = latest(n.planned_date for n in step) or old_finish
        new_finish = latest(ends) or new_finish
    return expected


def _shifted(planned, old_finish, new_finish):
    if planned is None or old_finish is None or new_finish is None:
        return planned
    return planned + (new_finish - old_finish)


def critical_path(nodes: Sequence, today: dt.date | None = None) -> tuple[set[int], dt.date | None]:
    """The nodes on the longest chain to the last step, and the day that chain finishes.

    Every step waits for the whole previous step, so the longest chain runs through the
    node of each step that finishes latest; the first such node is taken on a tie. Without
    ``today``, on the stored dates (actual when done, else planned); with it, on the
    ``forecast``, so an overdue node moves the finish. Nodes without dates are on no path.
    """
    ends = forecast(nodes, today) if today is not None else {n.pk: finish_of(n) for n in nodes}
    on_path: set[int] = set()
    finish = None
    for step in sequence(nodes):
        dated = [n for n in step if ends[n.pk] is not None]
        if not dated:
            continue
        last = max(dated, key=lambda n: ends[n.pk])  # max keeps the first of equals
        on_path.add(last.pk)
        finish = ends[last.pk]
    return on_path, finish
