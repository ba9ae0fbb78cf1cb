"""One project's page: its plan and monthly figures for a year."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from tracker.request_memo import remembered

from ..models import MonthlyProgress, Project, QuarterPlan
from ..money import ZERO, as_money
from ..periods import QUARTER_NAMES, QUARTERS, quarter_of_month
from ..permissions import restricted
from ..schema import PAGE_REFERENCES
from . import placed
from .queries import MEASURES
from .results import Figures


@dataclass(frozen=True)
class QuarterLine:
    """One quarter of a project's plan against what it completed."""

    quarter: int
    investment: Figures
    inclusion: Figures

    @property
    def label(self) -> str:
        return str(QUARTER_NAMES[self.quarter])


@dataclass(frozen=True)
class MonthLine:
    """One month of a project's progress with running totals for the year."""

    year: int
    month: int
    investment: Decimal
    inclusion: Decimal
    cumulative_investment: Decimal
    cumulative_inclusion: Decimal
    image_progress: str
    problems: str


@dataclass(frozen=True)
class ProjectDetail:
    """A project's page: its fields, its plan against actuals, its monthly history."""

    project: Project
    year: int
    quarters: tuple[QuarterLine, ...]
    annual: QuarterLine
    months: tuple[MonthLine, ...]
    problems: tuple[MonthLine, ...]


def project_in_reach(user, code: str, action: str = "view") -> Project | None:
    """The project with this code if the access policy lets ``user`` reach it, else None.

    Out of reach and unknown are the same None, so every door answers both with 404.
    """
    return Project.objects.restrict(user, action).select_related("unit").filter(code=code).first()


def project_months(project_id: int) -> list[MonthlyProgress]:
    """Every month entered for the project, of every year, by year and month; read once per
    request (``request_memo``; an entry's save empties it): the project page's tables read
    them, and so does its 入库 panel, for the first month with 纳统."""
    return remembered(
        ("project months", project_id),
        lambda: placed.objects_of(
            "project page: months",
            lambda pid: MonthlyProgress.objects.filter(project_id=pid).order_by("year", "month"),
            project_id,
        ),
    )


def _plans(project_id: int) -> list[QuarterPlan]:
    return placed.objects_of(
        "project page: plans",
        lambda pid: QuarterPlan.objects.filter(project_id=pid).order_by("year", "pk"),
        project_id,
    )


def _project_in_reach(user, code: str) -> Project:
    """The project with this code among those ``user`` may view, with what its page names;
    raises Project.DoesNotExist. Its statement is built once per reach and number of units,
    the code and the units in place of sentinels (``compiled``)."""
    path, units = Project.objects.reached(user, "view")
    # Given to the statement as the ORM's lookup would give it.
    code = Project._meta.get_field("code").get_prep_value(code)
    found = placed.objects_of(
        ("project page: the project", path),
        lambda c, *u: restricted(Project.objects.filter(code=c), path, u).select_related(
            *PAGE_REFERENCES
        ),
        code,
        *units,
    )
    if not found:
        raise Project.DoesNotExist(f"no project {code!r} in reach")
    return found[0]


def project_detail(code: str, year: int | None = None, *, user) -> ProjectDetail:
    """A project by code, among those the user may view; raises Project.DoesNotExist.

    ``year`` defaults to its programme's.
    """
    project = _project_in_reach(user, code)
    year = year or project.programme.year
    # The project's plans of every year (one a year), the year asked for chosen here: the
    # statement is built once, whatever year an address asks for.
    plan = next((p for p in _plans(project.pk) if p.year == year), None)
    entries = project_months(project.pk)

    def planned(measure: str, quarter: int) -> Decimal:
        return getattr(plan, f"{measure}_q{quarter}") if plan else ZERO

    this_year = [e for e in entries if e.year == year]
    quarters = []
    for quarter in QUARTERS:
        in_quarter = [e for e in this_year if quarter_of_month(e.month) == quarter]
        figures = {
            measure: Figures(
                planned=planned(measure, quarter),
                actual=as_money(sum((getattr(e, measure) for e in in_quarter), ZERO)),
                annual_plan=ZERO,
                quarter_planned=planned(measure, quarter),
                quarter_actual=as_money(sum((getattr(e, measure) for e in in_quarter), ZERO)),
            )
            for measure in MEASURES
        }
        quarters.append(QuarterLine(quarter=quarter, **figures))
    annual = QuarterLine(
        quarter=0,
        **{
            measure: Figures(
                planned=sum((getattr(q, measure).planned for q in quarters), ZERO),
                actual=sum((getattr(q, measure).actual for q in quarters), ZERO),
                annual_plan=ZERO,
                quarter_planned=ZERO,
                quarter_actual=ZERO,
            )
            for measure in MEASURES
        },
    )
    months = []
    running = {measure: ZERO for measure in MEASURES}
    for entry in this_year:
        for measure in MEASURES:
            running[measure] += getattr(entry, measure)
        months.append(
            MonthLine(
                year=entry.year,
                month=entry.month,
                investment=entry.investment,
                inclusion=entry.inclusion,
                cumulative_investment=running["investment"],
                cumulative_inclusion=running["inclusion"],
                image_progress=entry.image_progress,
                problems=entry.problems,
            )
        )
    problems = tuple(
        MonthLine(
            year=e.year,
            month=e.month,
            investment=e.investment,
            inclusion=e.inclusion,
            cumulative_investment=ZERO,
            cumulative_inclusion=ZERO,
            image_progress=e.image_progress,
            problems=e.problems,
        )
        for e in reversed(entries)
        if e.problems.strip()
    )
    return ProjectDetail(
        project=project,
        year=year,
        quarters=tuple(quarters),
        annual=annual,
        months=tuple(months),
        problems=problems,
    )
