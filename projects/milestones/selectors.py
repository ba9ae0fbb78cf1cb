"""Reads for node plans, approvals and 入库 status: flags, timelines and the report's sections."""

import calendar
import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from projects.models import Project, Unit
from projects.permissions import restrict, restricted
from projects.selectors import compiled, placed

from . import planning
from .models import Approval, Milestone

DONE, LATE, DUE_SOON, PLANNED, UNPLANNED = "done", "late", "due_soon", "planned", "unplanned"
YELLOW, RED = "yellow", "red"


def node_flag(node: Milestone, today: dt.date, days: int) -> str:
    """Red when late against the planned date, yellow when due within ``days``."""
    if node.actual_date and node.actual_date <= today:
        return DONE
    if node.planned_date is None:
        return UNPLANNED
    if node.planned_date < today:
        return LATE
    return DUE_SOON if node.planned_date <= today + dt.timedelta(days=days) else PLANNED


def _not_done_by(day: dt.date) -> Q:
    # A node done after ``day`` was still open on that day (reports read as of their end).
    return Q(actual_date__isnull=True) | Q(actual_date__gt=day)


def late_q(today: dt.date) -> Q:
    return _not_done_by(today) & Q(planned_date__lt=today)


def due_soon_q(today: dt.date, days: int) -> Q:
    return _not_done_by(today) & Q(
        planned_date__gte=today, planned_date__lte=today + dt.timedelta(days=days)
    )


def replan_preview(node: Milestone, today: dt.date) -> tuple[bool, list]:
    """Whether the node may move those after it (done late or overdue), and the moves
    重排后续节点 would make: the page shows them, the service makes them again on confirm."""
    if not planning.is_late(node, today):
        return False, []
    nodes = list(Milestone.objects.filter(project=node.project_id))
    return True, planning.replan(nodes, node, today)


def timeline(project: Project, today: dt.date, days: int) -> list[Milestone]:
    nodes = placed.objects_of(
        "project page: nodes",
        lambda pid: Milestone.objects.filter(project_id=pid).select_related("unit"),
        project.pk,
    )
    for node in nodes:
        node.flag = node_flag(node, today, days)
        node.days_late = (today - node.planned_date).days if node.flag == LATE else 0
    return nodes


@dataclass(frozen=True)
class NodeCounts:
    """Nodes late against plan (red) and due soon (yellow), and the projects with a late node."""

    late: int
    due_soon: int
    projects_late: int


def node_counts(
    projects: QuerySet[Project], today: dt.date, days: int, *, shape=None
) -> NodeCounts:
    """Late and due-soon nodes of ``projects``; ``shape``: what ``projects`` is built from,
    the key its statement is built once under (``compiled.totals_of``)."""
    row = compiled.totals_of(
        shape and ("node counts", shape, today, days),
        lambda: Milestone.objects.filter(project__in=projects),
        **_node_totals(today, days),
    )
    return NodeCounts(**row)


def _node_totals(today: dt.date, days: int) -> dict:
    return {
        "late": Count("id", filter=late_q(today)),
        "due_soon": Count("id", filter=due_soon_q(today, days)),
        "projects_late": Count("project", filter=late_q(today), distinct=True),
    }


def flagged_nodes(projects: QuerySet[Project], today: dt.date, days: int, which: str):
    """Late, due-soon or (any other ``which``) all nodes of the projects, earliest first."""
    q = {LATE: late_q(today), DUE_SOON: due_soon_q(today, days)}.get(which, Q())
    nodes = list(
        Milestone.objects.filter(q, project__in=projects)
        .select_related("project__unit", "unit")
        .order_by("planned_date", "project__code", "sort_order")
    )
    for node in nodes:
        node.flag = node_flag(node, today, days)
        node.days_late = (today - node.planned_date).days if node.flag == LATE else 0
    return nodes


@dataclass(frozen=True)
class ListedProject:
    """What the report's dispatch lists show of a project: read as values, not as a model
    (the lists are kept in the cache with the panel, and a model's building, compiling
    and pickling cost more than the statement did)."""

    pk: int
    code: str
    name: str
    unit: str  # the unit's name
    planned_start: dt.date | None
    actual_start: dt.date | None


# The columns of a ``ListedProject``, in its fields' order.
LISTED = ("pk", "code", "name", "unit__name", "planned_start", "actual_start")


def _listed(rows) -> list[ListedProject]:
    return [ListedProject(*(row[name] for name in LISTED)) for row in rows]


@dataclass(frozen=True)
class StartWithoutApprovals:
    """A project planned to start soon whose approvals are not all granted."""

    project: ListedProject
    missing: list[str]


def starting_soon(projects: QuerySet[Project], as_of: dt.date, window_days: int) -> QuerySet:
    """Projects planned to start within the window after ``as_of``, not started, soonest first."""
    return projects.filter(
        actual_start__isnull=True,
        planned_start__gt=as_of,
        planned_start__lte=as_of + dt.timedelta(days=window_days),
    ).order_by("planned_start", "code")


def approvals_before_start(
    projects: QuerySet[Project], as_of: dt.date, window_days: int, *, shape=None
) -> list[StartWithoutApprovals]:
    """Projects planned to start within the window, not started, with approvals outstanding.

    ``shape``: what ``projects`` is built from, the key its two statements are built once
    under (``compiled.rows_of``): at the demo's size building and compiling them was most
    of their time (1.4 ms a statement, against 0.1 running it)."""
    key = shape and (shape, as_of, window_days)
    soon = _listed(
        compiled.rows_of(
            key and ("starting soon", key),
            lambda: starting_soon(projects, as_of, window_days).values(*LISTED),
        )
    )
    if not soon:
        return []
    granted: dict[int, set[str]] = {}
    for row in compiled.rows_of(
        key and ("approvals granted", key),
        lambda: (
            Approval.objects.filter(
                project__in=starting_soon(projects, as_of, window_days).values("pk"),
                status=Approval.Status.DONE,
            )
            .values("project_id", "kind")
            .order_by()
        ),
    ):
        granted.setdefault(row["project_id"], set()).add(row["kind"])
    out = []
    for project in soon:
        missing = [
            str(label)
            for kind, label in Approval.Kind.choices
            if kind not in granted.get(project.pk, set())
        ]
        if missing:
            out.append(StartWithoutApprovals(project, missing))
    return out


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole months from ``start`` to ``end`` (0 when less than a month has passed)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - (1 if end.day < start.day else 0)


def months_between_sql(start: str, end: str) -> str:
    """``months_between`` in SQL, over two date expressions (the files' SQL twin)."""
    part = lambda name, day: f"extract({name} from {day})"  # noqa: E731
    return (
        f"(({part('year', end)} - {part('year', start)}) * 12 + {part('month', end)}"
        f" - {part('month', start)}"
        f" - CASE WHEN {part('day', end)} < {part('day', start)} THEN 1 ELSE 0 END)::int"
    )


def months_before(day: dt.date, months: int) -> dt.date:
    """The latest date from which ``months`` whole months have passed by ``day``.

    ``months_between(start, day) >= months`` exactly when ``start <= months_before(day,
    months)``, so SQL can test whole months with a date the query is given.
    """
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def outside_library_q(as_of: dt.date, min_investment) -> Q:
    """Projects statistics must include (计划总投资 at least the floor) that had started by
    ``as_of`` and were not in the library (未入库) then: the 入库 rule's one statement."""
    return Q(
        total_investment__gte=min_investment, actual_start__isnull=False, actual_start__lte=as_of
    ) & (Q(statistics_entry_date__isnull=True) | Q(statistics_entry_date__gt=as_of))


def library_lag_q(as_of: dt.date, months: int, min_investment) -> Q:
    """Outside the library for at least ``months`` whole months since the start by ``as_of``."""
    return outside_library_q(as_of, min_investment) & Q(
        actual_start__lte=months_before(as_of, months)
    )


def library_light(months_out: int, yellow_months: int, red_months: int) -> str | None:
    return RED if months_out >= red_months else YELLOW if months_out >= yellow_months else None


@dataclass(frozen=True)
class NotInLibrary:
    """A started project not in the statistics library (未入库纳统), and months since start:
    the project a model (``not_in_library``) or as the report's list shows it
    (``listed_not_in_library``)."""

    project: Project | ListedProject
    months: int
    light: str


def library_lagging(projects: QuerySet[Project], as_of: dt.date, settings) -> QuerySet:
    """Started projects outside the library for at least the yellow months (DispatchSettings),
    earliest start first."""
    return projects.filter(
        library_lag_q(as_of, settings.library_yellow_months, settings.library_min_investment)
    ).order_by("actual_start", "code")


def _lagging(rows, as_of: dt.date, settings) -> list[NotInLibrary]:
    yellow, red = settings.library_yellow_months, settings.library_red_months
    out = []
    for project in rows:
        months = months_between(project.actual_start, as_of)
        out.append(NotInLibrary(project, months, library_light(months, yellow, red)))
    return out


def not_in_library(projects: QuerySet[Project], as_of: dt.date, settings) -> list[NotInLibrary]:
    """``library_lagging``'s projects as models, with their units (the due list's rows)."""
    rows = library_lagging(projects, as_of, settings).select_related("unit")
    return _lagging(rows, as_of, settings)


def listed_not_in_library(
    projects: QuerySet[Project], as_of: dt.date, settings, *, shape=None
) -> list[NotInLibrary]:
    """``library_lagging``'s projects as the report's list shows them; its statement built
    once per ``shape`` (what ``projects`` is built from) and the rule's values."""
    key = shape and (
        "not in library", shape, as_of, settings.library_yellow_months,
        str(settings.library_min_investment),
    )  # fmt: skip
    rows = compiled.rows_of(key, lambda: library_lagging(projects, as_of, settings).values(*LISTED))
    return _lagging(_listed(rows), as_of, settings)


@dataclass(frozen=True)
class LibraryStatus:
    """Whether a project is in the statistics library, since when, and its first 纳统 month."""

    in_library: bool
    entry_date: dt.date | None
    first_inclusion: tuple[int, int] | None
    light: str | None
    months_out: int | None
    # Started by then, outside the library and over the floor: statistics expect it (待入库).
    needed: bool = False


def library_status(project: Project, as_of: dt.date, settings) -> LibraryStatus:
    # The project's months as its page reads them (one read a request for both). Imported
    # here: the ledger's selectors import this module (``lights``).
    from projects.selectors.project import project_months

    first = next(((e.year, e.month) for e in project_months(project.pk) if e.inclusion > 0), None)
    entry = project.statistics_entry_date
    in_library = entry is not None and entry <= as_of
    light = months_out = None
    needed = False
    if not in_library and project.actual_start and project.actual_start <= as_of:
        months_out = months_between(project.actual_start, as_of)
        # Below the floor statistics need not include it: no light, as in the report.
        needed = project.total_investment >= settings.library_min_investment
        if needed:
            light = library_light(
                months_out, settings.library_yellow_months, settings.library_red_months
            )
    return LibraryStatus(in_library, entry, first, light, months_out, needed)


def approvals_of(project: Project) -> list[dict]:
    """All six standard approvals of a project, those never recorded shown as not applied for."""
    stored = {
        a.kind: a
        for a in placed.objects_of(
            "project page: approvals",
            lambda pid: Approval.objects.filter(project_id=pid),
            project.pk,
        )
    }
    return [
        {"kind": kind, "label": label, "approval": stored.get(kind)}
        for kind, label in Approval.Kind.choices
    ]


# ---------------------------------------------------------------- what the ledger's pages include


def report_sections(user, programme, as_of: dt.date, settings) -> dict:
    """Late nodes, starts without approvals and projects not in the library, in the user's reach.

    Of the projects on the list at ``as_of`` (the period's end, or today): one that joins
    after a period is in none of its lists, one that withdrew before its end neither.
    """
    projects = Project.objects.on_list(at=as_of).restrict(user, "view").filter(programme=programme)
    # What ``projects`` is built from: the list, the day and the reader's reach.
    shape = (programme.pk, as_of, str(restrict(user, "view")), projects.db)
    return {
        "nodes": node_counts(projects, as_of, settings.node_warning_days, shape=shape),
        "starts": approvals_before_start(projects, as_of, settings.start_window_days, shape=shape),
        "library": listed_not_in_library(projects, as_of, settings, shape=shape),
    }


def node_counts_for(user, today: dt.date, days: int, unit: Unit | None = None) -> NodeCounts:
    """Late and due-soon nodes of the projects the user may see (of one unit if named): one
    statement built once per reach's path and day, the unit and the units reached in place
    of sentinels (``compiled``), for a clerk's entry page as for a manager's."""
    path, reached = Project.objects.reached(user, "view")
    chosen = () if unit is None else (unit.pk,)

    def nodes(*values):
        projects = restricted(Project.objects.all(), path, values[len(chosen) :])
        if chosen:
            projects = projects.filter(unit=values[0])
        return Milestone.objects.filter(project__in=projects)

    row = placed.totals_for(
        ("node counts of a reach", path, bool(chosen), today, days),
        nodes,
        *chosen,
        *reached,
        **_node_totals(today, days),
    )
    return NodeCounts(**row)
