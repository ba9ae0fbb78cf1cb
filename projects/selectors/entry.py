"""The monthly entry grid's rows: each project's month beside last month, the year and the plan.

A fixed number of queries whatever the number of projects (projects, the month and the
one before, the year's earlier months summed, plans, lock, submissions),
so a unit with 9 projects and a manager opening 147 wait the same number of round trips.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy as _

from tracker.request_memo import remembered

from ..models import MonthlyProgress, MonthSubmission, PeriodLock, Project, QuarterPlan
from ..money import ZERO, as_money, completion_rate
from ..periods import (
    check_month,
    month_end,
    next_month,
    previous_month,
    quarter_months,
    quarter_of_month,
    reporting_month,
)
from ..permissions import REVIEW_SUBMISSIONS, restricted
from ..services.checks import month_refusal
from ..services.plausibility import warning_names
from . import placed


@dataclass(frozen=True)
class StoredMonth:
    """One stored month of a project, as the grid shows it."""

    investment: Decimal
    inclusion: Decimal
    image_progress: str
    problems: str
    version: int


@dataclass(frozen=True)
class EntryRow:
    """One project in the grid: what is stored for the month and what it is read against."""

    project: Project
    entry: StoredMonth | None
    last: StoredMonth | None
    ytd_before_investment: Decimal
    ytd_before_inclusion: Decimal
    quarter_plan_investment: Decimal | None
    quarter_plan_inclusion: Decimal | None
    quarter_before_investment: Decimal
    quarter_before_inclusion: Decimal
    closed_reason: str | None
    needs_reason: bool

    @property
    def writable(self) -> bool:
        return self.closed_reason is None

    @property
    def ytd_investment(self) -> Decimal:
        return self.ytd_before_investment + (self.entry.investment if self.entry else ZERO)

    @property
    def ytd_inclusion(self) -> Decimal:
        return self.ytd_before_inclusion + (self.entry.inclusion if self.entry else ZERO)

    @property
    def investment_rate(self) -> Decimal | None:
        """The quarter's investment so far against the quarter's plan."""
        done = self.quarter_before_investment + (self.entry.investment if self.entry else ZERO)
        return completion_rate(done, self.quarter_plan_investment)

    @property
    def inclusion_rate(self) -> Decimal | None:
        done = self.quarter_before_inclusion + (self.entry.inclusion if self.entry else ZERO)
        return completion_rate(done, self.quarter_plan_inclusion)

    @property
    def prefill_image_progress(self) -> str:
        if self.entry is not None:
            return self.entry.image_progress
        return self.last.image_progress if self.last else ""

    @property
    def prefill_problems(self) -> str:
        if self.entry is not None:
            return self.entry.problems
        return self.last.problems if self.last else ""


@dataclass(frozen=True)
class EntryGrid:
    """The grid of one month for the projects an actor may enter."""

    year: int
    month: int
    locked: bool
    rows: list[EntryRow]

    @property
    def quarter(self) -> int:
        return quarter_of_month(self.month)

    @property
    def writable_rows(self) -> list[EntryRow]:
        return [r for r in self.rows if r.writable]

    @property
    def entered(self) -> int:
        return sum(1 for r in self.rows if r.entry is not None)

    @property
    def needs_reason(self) -> bool:
        return any(r.needs_reason for r in self.writable_rows)

    @property
    def month_investment(self) -> Decimal:
        return as_money(sum((r.entry.investment for r in self.rows if r.entry), ZERO))

    @property
    def month_inclusion(self) -> Decimal:
        return as_money(sum((r.entry.inclusion for r in self.rows if r.entry), ZERO))

    @property
    def ytd_investment(self) -> Decimal:
        return as_money(sum((r.ytd_investment for r in self.rows), ZERO))

    @property
    def ytd_inclusion(self) -> Decimal:
        return as_money(sum((r.ytd_inclusion for r in self.rows), ZERO))


STORED_FIELDS = (
    "project_id", "year", "month", "investment", "inclusion", "image_progress", "problems",
    "version",
)  # fmt: skip


def _grid_projects(actor, day, unit_ids) -> list[Project]:
    """The projects on the list at ``day`` that ``actor`` may edit (of ``unit_ids`` if
    given), with their units, in the grid's order. Built once per day, reach and whether
    units are named (``placed``): the units reached and named are its values. The day is a
    month's end, one of a bounded few; the list's year derives from it, so it stays in the
    shape rather than among the values."""
    path, reached = Project.objects.reached(actor, "change")
    named = () if unit_ids is None else tuple(sorted(unit_ids))

    def build(*values):
        rows = restricted(Project.objects.on_list(at=day), path, values[len(named) :])
        if unit_ids is not None:
            rows = rows.filter(unit_id__in=values[: len(named)])
        return rows.select_related("unit").order_by("unit__sort_order", "unit_id", "code")

    # A reach of no unit, or no unit named, finds nothing: ``placed`` reads no row then.
    return placed.objects_of(
        ("entry grid: projects", day, path, len(named), unit_ids is None),
        build,
        *named,
        *reached,
    )


def entry_grid(*, actor, year: int, month: int, unit_ids=None) -> EntryGrid:
    """The month's rows for the projects ``actor`` may edit, optionally for some units only."""
    check_month(month)
    prev_year, prev_month = previous_month(year, month)
    projects = _grid_projects(actor, month_end(year, month), unit_ids)
    # The rows below are read by the projects' units, not by the projects' ids: a unit's
    # projects are more than a kept statement takes (``placed.MOST_VALUES``), its units
    # few, so each read is built once (the units, year and month its values). They may hold
    # rows of the units' projects off this list, which no row of the grid looks up.
    units = sorted({p.unit_id for p in projects})

    # The month and the one before as stored; the year's earlier months only as sums, added
    # up where they are: a unit's full year as model rows was most of the grid's time.
    stored: dict[tuple[int, int, int], StoredMonth] = {
        (r["project_id"], r["year"], r["month"]): StoredMonth(
            r["investment"], r["inclusion"], r["image_progress"], r["problems"], r["version"]
        )
        for r in placed.values_for(
            "entry grid: the month and the one before",
            lambda y, m, py, pm, *u: MonthlyProgress.objects.filter(
                Q(year=y, month=m) | Q(year=py, month=pm), project__unit_id__in=u
            ).values(*STORED_FIELDS),
            year,
            month,
            prev_year,
            prev_month,
            *units,
        )
    }
    quarter = quarter_of_month(month)
    quarter_start = quarter_months(quarter)[0]
    # The year's earlier months as sums, the quarter's among them, in one grouped statement
    # over those months alone.
    before = {
        row["project_id"]: row
        for row in placed.values_for(
            "entry grid: the year's earlier months",
            lambda y, m, first, *u: (
                MonthlyProgress.objects.filter(project__unit_id__in=u, year=y, month__lt=m)
                .values("project_id")
                .annotate(
                    ytd_investment=Sum("investment"),
                    ytd_inclusion=Sum("inclusion"),
                    quarter_investment=Sum("investment", filter=Q(month__gte=first)),
                    quarter_inclusion=Sum("inclusion", filter=Q(month__gte=first)),
                )
                .order_by()
            ),
            year,
            month,
            quarter_start,
            *units,
        )
    }
    plans = {
        row["project_id"]: (row[f"investment_q{quarter}"], row[f"inclusion_q{quarter}"])
        for row in placed.values_for(
            ("entry grid: the quarter's plans", quarter),
            lambda y, *u: QuarterPlan.objects.filter(project__unit_id__in=u, year=y).values(
                "project_id", f"investment_q{quarter}", f"inclusion_q{quarter}"
            ),
            year,
            *units,
        )
    }
    locked = PeriodLock.objects.locked(year, month)
    # Built once per number of units, the year, month and units in place of sentinels.
    statuses = {
        row["unit_id"]: row["status"]
        for row in placed.values_for(
            "entry grid: the units' submissions",
            lambda y, m, *units: MonthSubmission.objects.filter(
                unit_id__in=units, year=y, month=m
            ).values("unit_id", "status"),
            year,
            month,
            *sorted({p.unit_id for p in projects}),
        )
    }
    rows = []
    closed_by_unit: dict[int, tuple[str | None, bool]] = {}
    for project in projects:
        if project.unit_id not in closed_by_unit:
            closed_by_unit[project.unit_id] = _closed(actor, project, year, month, locked, statuses)
        closed_reason, needs_reason = closed_by_unit[project.unit_id]
        sums = before.get(project.pk, {})
        plan = plans.get(project.pk)
        rows.append(
            EntryRow(
                project=project,
                entry=stored.get((project.pk, year, month)),
                last=stored.get((project.pk, prev_year, prev_month)),
                ytd_before_investment=as_money(sums.get("ytd_investment") or ZERO),
                ytd_before_inclusion=as_money(sums.get("ytd_inclusion") or ZERO),
                quarter_plan_investment=plan[0] if plan else None,
                quarter_plan_inclusion=plan[1] if plan else None,
                quarter_before_investment=as_money(sums.get("quarter_investment") or ZERO),
                quarter_before_inclusion=as_money(sums.get("quarter_inclusion") or ZERO),
                closed_reason=closed_reason,
                needs_reason=needs_reason,
            )
        )
    return EntryGrid(year=year, month=month, locked=locked, rows=rows)


def _closed(actor, project, year, month, locked, statuses) -> tuple[str | None, bool]:
    """Why the unit's month is closed to the actor, and whether a reason would open it."""
    facts = {"locked": locked, "status": statuses.get(project.unit_id)}
    refusal = month_refusal(actor, project, year, month, "-", **facts)
    if refusal is not None:
        return " ".join(refusal.messages), False
    needs = month_refusal(actor, project, year, month, "", **facts) is not None
    return None, needs


@dataclass(frozen=True)
class UnitTotals:
    """A unit's month (当月) and year to date (累计) over its projects on the month's list."""

    month_investment: Decimal = ZERO
    month_inclusion: Decimal = ZERO
    ytd_investment: Decimal = ZERO
    ytd_inclusion: Decimal = ZERO


def unit_totals(year: int, month: int) -> dict[int, UnitTotals]:
    """当月 and 累计 per unit for the status page, in one grouped query."""
    rows = (
        MonthlyProgress.objects.filter(
            year=year,
            month__lte=month,
            project__in=Project.objects.on_list(at=month_end(year, month)),
        )
        .values("project__unit_id")
        .annotate(
            month_investment=Sum("investment", filter=Q(month=month)),
            month_inclusion=Sum("inclusion", filter=Q(month=month)),
            ytd_investment=Sum("investment"),
            ytd_inclusion=Sum("inclusion"),
        )
    )
    return {
        row["project__unit_id"]: UnitTotals(
            **{name: as_money(row[name]) for name in UnitTotals.__dataclass_fields__}
        )
        for row in rows
    }


@dataclass(frozen=True)
class Deadline:
    """When a month's figures are due, and how that stands today."""

    date: dt.date
    days: int

    @property
    def overdue(self) -> bool:
        return self.days < 0


def deadline(year: int, month: int, settings, today: dt.date) -> Deadline:
    """The day of the next month set in the report settings (the 5th unless changed)."""
    due = dt.date(*next_month(year, month), settings.deadline_day)
    return Deadline(date=due, days=(due - today).days)


def _list_years(actor) -> set[int]:
    """The years whose lists hold a project the actor enters for. Read once a request: the
    page's default month and its month picker both ask. Without ``order_by()`` the
    projects' own ordering (by code) joined the DISTINCT, and a row came back per project."""

    def read() -> set[int]:
        # Built once per reach and number of units, the units in place of sentinels.
        path, units = Project.objects.reached(actor, "change")
        found = placed.values_for(
            ("entry grid: the lists' years", path),
            lambda *u: (
                restricted(Project.objects.order_by(), path, u).values("programme__year").distinct()
            ),
            *units,
        )
        return {row["programme__year"] for row in found}

    return remembered(("entry list years", actor.pk), read)


def default_entry_month(actor, today: dt.date) -> tuple[int, int]:
    """The month the entry page opens on: the reporting month, unless none of the
    actor's projects is on a list that year. Then (a tracker read long after its last
    list, the demo ledger years later) the month after the latest one entered on the
    latest earlier list, so the page opens on figures rather than an empty grid."""
    year, month = reporting_month(today)
    years = _list_years(actor)
    earlier = [y for y in years if y < year]
    if year in years or not earlier:
        return year, month
    latest = max(earlier)
    entered = (
        MonthlyProgress.objects.filter(
            year=latest, project__in=Project.objects.restrict(actor, "change")
        )
        .order_by("-month")
        .values_list("month", flat=True)
        .first()
    )
    return latest, min((entered or 0) + 1, 12)


def month_choices(actor, today: dt.date, limit: int = 36) -> list[tuple[int, int, bool]]:
    """Months to pick, newest first, with their lock state: every month, up to the current
    one, of the years whose lists hold the actor's projects (at most ``limit``).

    A year without a list offers nothing: read long after its last list (the demo ledger
    years later), the picker offers that list's months, not three years of empty ones.
    """
    years = sorted(_list_years(actor), reverse=True) or [today.year]
    months = [
        (year, month)
        for year in years
        if year <= today.year
        for month in range(today.month if year == today.year else 12, 0, -1)
    ][:limit] or [(today.year, today.month)]
    locked = PeriodLock.objects.locked_months({y for y, _m in months})
    return [(y, m, (y, m) in locked) for y, m in months]


@dataclass(frozen=True)
class UnitMonthState:
    """The chip beside the grid's title: where one unit's month stands."""

    code: str  # empty, saved, submitted, returned, approved, locked
    label: str


MONTH_STATE_LABELS = {
    "empty": _("nothing saved yet"),
    "saved": _("saved, not submitted"),
    MonthSubmission.Status.SUBMITTED: _("submitted"),
    MonthSubmission.Status.RETURNED: _("returned"),
    MonthSubmission.Status.APPROVED: _("approved after review"),
    # Not "locked" (锁定, the action): the chip says where the month stands.
    "locked": _("locked (reported upward)"),
}


def month_state(grid: EntryGrid, unit_id: int | None) -> UnitMonthState | None:
    """One unit's month: locked, else its submission, else whether anything is saved.

    ``None`` when the grid shows several units (each has its own state on the submit page).
    """
    if unit_id is None:
        return None
    if grid.locked:
        code = "locked"
    else:
        found = placed.values_for(
            "entry grid: the unit's submission",
            lambda unit, y, m: (
                MonthSubmission.objects.filter(unit_id=unit, year=y, month=m)
                .order_by("pk")
                .values("status")[:1]
            ),
            unit_id,
            grid.year,
            grid.month,
        )
        code = found[0]["status"] if found else None
        if code is None:
            code = "saved" if grid.entered else "empty"
    return UnitMonthState(code, str(MONTH_STATE_LABELS[code]))


def reviewable_state(user, grid: EntryGrid, unit_id: int) -> UnitMonthState | None:
    """The unit's month state when ``user`` may approve or return it now, else ``None``."""
    if not user.has_perm(REVIEW_SUBMISSIONS):
        return None
    state = month_state(grid, unit_id)
    reviewable = {MonthSubmission.Status.SUBMITTED, MonthSubmission.Status.APPROVED}
    return state if state is not None and state.code in reviewable else None


@dataclass(frozen=True)
class AcknowledgedRow:
    """A stored month whose unusual figures someone confirmed (已核实): who, when, which."""

    project: Project
    year: int
    month: int
    investment: Decimal
    inclusion: Decimal
    codes: str
    by: str
    at: dt.datetime

    @property
    def warnings(self) -> str:
        return warning_names(self.codes)


def acknowledged_rows(year: int, months, unit_ids=None) -> list[AcknowledgedRow]:
    """The months' rows saved with acknowledged warnings, in one query, by unit and code."""
    rows = MonthlyProgress.objects.filter(
        year=year, month__in=list(months), acknowledged_at__isnull=False
    ).exclude(acknowledged_warnings="")
    if unit_ids is not None:
        rows = rows.filter(project__unit_id__in=unit_ids)
    return [
        AcknowledgedRow(
            project=m.project,
            year=m.year,
            month=m.month,
            investment=m.investment,
            inclusion=m.inclusion,
            codes=m.acknowledged_warnings,
            by=(m.acknowledged_by.get_full_name() or m.acknowledged_by.get_username())
            if m.acknowledged_by
            else "—",
            at=m.acknowledged_at,
        )
        for m in rows.select_related("project__unit", "acknowledged_by").order_by(
            "project__unit__sort_order", "project__code", "month"
        )
    ]
