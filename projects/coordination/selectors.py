"""Reads for the problem log: scoped lists, the 临期/超期 flags, counts and the meeting agenda."""

import datetime as dt
from dataclasses import dataclass
from urllib.parse import quote

from django.db.models import Count, Q, QuerySet

from projects.models import DispatchSettings
from projects.permissions import can, editable_unit_ids, restricted
from projects.selectors import compiled, placed

from .models import Problem

DUE_SOON, OVERDUE, ON_TIME, CLOSED = "due_soon", "overdue", "on_time", "closed"


@dataclass(frozen=True)
class ProblemCounts:
    """Open problems and how many of them are due soon (临期) or past the deadline (超期)."""

    open: int
    due_soon: int
    overdue: int


def visible_problems(user) -> QuerySet[Problem]:
    """The problems of the projects the user may see; nothing for anonymous users."""
    return Problem.objects.restrict(user, "view").select_related(
        "project__unit", "department", "raised_by"
    )


def due_soon_q(today: dt.date, days: int) -> Q:
    return (
        Q(status__in=Problem.OPEN_STATUSES)
        & Q(deadline__gte=today)
        & Q(deadline__lte=today + dt.timedelta(days=days))
    )


def overdue_q(today: dt.date) -> Q:
    return Q(status__in=Problem.OPEN_STATUSES) & Q(deadline__lt=today)


def flag(problem: Problem, today: dt.date, days: int) -> str:
    if not problem.is_open:
        return CLOSED
    if problem.deadline is None or problem.deadline > today + dt.timedelta(days=days):
        return ON_TIME
    return OVERDUE if problem.deadline < today else DUE_SOON


def counts(problems: QuerySet[Problem], today: dt.date, days: int | None = None) -> ProblemCounts:
    """One query for the three numbers shown on the report, project and unit pages; built
    once per set of filters (the reader's reach, the list or unit), day and window."""
    if days is None:
        days = DispatchSettings.current().due_soon_days
    rows = compiled.where_shape(problems)
    row = compiled.totals_of(
        rows and ("problem counts", rows, today, days), lambda: problems, **_counted(today, days)
    )
    return ProblemCounts(**row)


def project_counts(project, today: dt.date, days: int) -> ProblemCounts:
    """``counts`` of one project's problems: one statement for every project, its id in
    place (``placed``). Filtered by the project, a shape of its own per project would be
    built on each project page and push the report's statements out of the process."""
    row = placed.totals_for(
        ("project problem counts", today, days),
        lambda pid: Problem.objects.filter(project_id=pid),
        project.pk,
        **_counted(today, days),
    )
    return ProblemCounts(**row)


def _counted(today: dt.date, days: int) -> dict:
    return {
        "open": Count("id", filter=Q(status__in=Problem.OPEN_STATUSES)),
        "due_soon": Count("id", filter=due_soon_q(today, days)),
        "overdue": Count("id", filter=overdue_q(today)),
    }


@dataclass(frozen=True)
class AgendaGroup:
    """The open problems of one department, in the order the meeting walks through them."""

    department: str
    problems: list


def agenda(problems: QuerySet[Problem], today: dt.date, days: int) -> list[AgendaGroup]:
    """Problems grouped by department (unassigned last), oldest deadline first."""
    groups: dict[str, list] = {}
    ordered = problems.order_by(
        "department__sort_order", "department__code", "deadline", "raised_on", "id"
    )
    for problem in ordered:
        problem.flag = flag(problem, today, days)
        problem.age = problem.age_days(today)
        name = problem.department.name if problem.department_id else ""
        groups.setdefault(name, []).append(problem)
    named = [AgendaGroup(name, rows) for name, rows in groups.items() if name]
    if "" in groups:
        named.append(AgendaGroup("", groups[""]))
    return named


# ---------------------------------------------------------------- what the ledger's pages include


def problem_counts_panel(user, today: dt.date, programme=None, unit=None) -> dict:
    """Open / 临期 / 超期 for what the user may see, narrowed to a programme or a unit.

    One statement for every reader of a reach's kind: the programme, the unit and the
    units or streets reached are its values (``placed``), so a clerk's page builds none."""
    path, reached = Problem.objects.reached(user, "view")
    # The narrowing asked for, by the lookup that reads it: its ids go first among the values.
    chosen = {
        lookup: narrowed.pk
        for lookup, narrowed in (("project__programme_id", programme), ("project__unit_id", unit))
        if narrowed is not None
    }
    base = ""
    if programme is not None:
        base = f"&programme={quote(programme.code)}"
    if unit is not None:
        base += f"&unit={unit.pk}"
    days = DispatchSettings.current().due_soon_days

    def build(*values):
        problems = restricted(Problem.objects.all(), path, values[len(chosen) :])
        return problems.filter(**dict(zip(chosen, values[: len(chosen)], strict=True)))

    row = placed.totals_for(
        ("problem counts of a reach", path, tuple(chosen), today, days),
        build,
        *chosen.values(),
        *reached,
        **_counted(today, days),
    )
    return {"counts": ProblemCounts(**row), "base": base, "due_soon_days": days}


def project_problems_panel(user, project, today: dt.date) -> dict:
    """A project's problems with their flags; the caller fetched the project through the policy."""
    days = DispatchSettings.current().due_soon_days
    problems = placed.objects_of(
        "project page: problems",
        lambda pid: (
            Problem.objects.filter(project_id=pid)
            .select_related("department")
            .order_by("-raised_on", "-id")
        ),
        project.pk,
    )
    # Year -> month -> the open problem raised from that month's 存在问题, so the month
    # offers the problem rather than 转为督办问题 a second time.
    open_from_month: dict[int, dict[int, Problem]] = {}
    for problem in problems:
        problem.flag = flag(problem, today, days)
        problem.age = problem.age_days(today)
        if problem.is_open and problem.source_month:
            open_from_month.setdefault(problem.source_year, {})[problem.source_month] = problem
    return {
        "open_from_month": open_from_month,
        "project": project,
        "problems": problems,
        "counts": project_counts(project, today, days),
        "base": f"&project={project.code}",
        "due_soon_days": days,
        "can_raise": can(user, "change", project),
    }


def raisable_unit_ids(user) -> set[int] | None:
    """The units whose projects the user may raise problems for (``None``: every unit)."""
    return editable_unit_ids(user)
