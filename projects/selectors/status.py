"""Who has reported for a month, and where each month stands: reads for the status screens.

A fixed number of queries whatever the number of units and projects; results
are typed dataclasses so the page, the CSV and the report header share them.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from ..models import MonthlyProgress, MonthSubmission, PeriodLock, Programme, Project, Unit
from ..periods import check_month, month_end, previous_month, reporting_month
from ..services.checks import month_refusal
from . import compiled
from .report_cache import kept_for

OPEN, SUBMITTED, APPROVED, LOCKED = "open", "submitted", "approved", "locked"
MONTH_STATE_LABELS = {
    OPEN: _("Open"),
    SUBMITTED: _("Submitted"),
    APPROVED: _("Approved"),
    LOCKED: _("Locked"),
}
NOT_SUBMITTED = "not_submitted"
UNIT_STATE_LABELS = {
    NOT_SUBMITTED: _("Not submitted"),
    **{status.value: status.label for status in MonthSubmission.Status},
}
DONE = (MonthSubmission.Status.SUBMITTED, MonthSubmission.Status.APPROVED)


@dataclass(frozen=True)
class MonthState:
    """Where one month stands district-wide: open, submitted, approved or locked."""

    year: int
    month: int
    state: str
    units_total: int
    units_submitted: int
    units_approved: int

    @property
    def label(self) -> str:
        return str(MONTH_STATE_LABELS[self.state])


def month_states(year: int, months) -> list[MonthState]:
    """Each month's district-wide state, in three queries, kept per data version of the
    year (a submission, a lock and a project of the year's list each move it), so the
    report page read again reads it with its figures' versions.

    A month is locked once a manager locks it; otherwise approved when every
    unit with projects on the year's list is approved, submitted when every
    such unit has submitted (approved or not), and open while any is missing.
    """
    months = [check_month(m) for m in months]
    return kept_for(
        "month-states",
        years=[year],
        parts=[year, months],
        classes=[MonthState],
        compute=lambda: _month_states(year, months),
    )


def _month_states(year: int, months: list[int]) -> list[MonthState]:
    locked = {m for _y, m in PeriodLock.objects.of_years([year]) if m in months}
    units_total = Project.objects.units_reporting(year)
    counts = MonthSubmission.objects.counts_by_month(year, months)
    states = []
    for month in months:
        approved = counts[month].get(MonthSubmission.Status.APPROVED, 0)
        submitted = approved + counts[month].get(MonthSubmission.Status.SUBMITTED, 0)
        if month in locked:
            state = LOCKED
        elif units_total and approved >= units_total:
            state = APPROVED
        elif units_total and submitted >= units_total:
            state = SUBMITTED
        else:
            state = OPEN
        states.append(MonthState(year, month, state, units_total, submitted, approved))
    return states


@dataclass(frozen=True)
class ProjectRef:
    """A project named on the status page."""

    code: str
    name: str


@dataclass
class UnitStatus:
    """One unit's reporting for a month."""

    unit_id: int
    unit_code: str
    unit_name: str
    status: str = NOT_SUBMITTED
    comment: str = ""
    projects_total: int = 0
    entries: int = 0
    missing: list[ProjectRef] = field(default_factory=list)
    same_as_previous: list[ProjectRef] = field(default_factory=list)
    # None when the previous month is in another year's list and so not comparable.
    previous_not_submitted: bool | None = None
    staff: list[str] = field(default_factory=list)

    @property
    def status_label(self) -> str:
        return str(UNIT_STATE_LABELS[self.status])

    @property
    def can_review(self) -> bool:
        return self.status in DONE


@dataclass(frozen=True)
class ReportingStatus:
    """Every unit's reporting for one month, with district totals."""

    year: int
    month: int
    locked: bool
    units: list[UnitStatus]

    @property
    def projects_total(self) -> int:
        return sum(u.projects_total for u in self.units)

    @property
    def entries(self) -> int:
        return sum(u.entries for u in self.units)

    @property
    def missing(self) -> int:
        return sum(len(u.missing) for u in self.units)

    @property
    def units_submitted(self) -> int:
        return sum(1 for u in self.units if u.status in DONE)

    @property
    def review_order(self) -> list[UnitStatus]:
        """The review desk's order: waiting for review first, then returned, not yet
        submitted, and approved last; within each, the order of ``units``."""
        rank = {
            MonthSubmission.Status.SUBMITTED: 0,
            MonthSubmission.Status.RETURNED: 1,
            NOT_SUBMITTED: 2,
            MonthSubmission.Status.APPROVED: 3,
        }
        return sorted(self.units, key=lambda u: rank.get(u.status, 2))


def _same_figures(a: tuple[Decimal, Decimal], b: tuple[Decimal, Decimal]) -> bool:
    # Two zero months are normal before works start; only repeated real figures look copied.
    return a == b and any(a)


def reporting_status(year: int, month: int) -> ReportingStatus:
    """Per unit: submission state, entries and missing projects, copy-paste flags, staff.

    Six queries regardless of size: lock, projects, entries (this and last month),
    submissions (this and last month), units, staff accounts.
    """
    prev_year, prev_month = previous_month(year, month)
    locked = PeriodLock.objects.locked(year, month)
    projects = list(
        Project.objects.on_list(at=month_end(year, month))
        .order_by("unit_id", "code")
        .values_list("id", "code", "name", "unit_id")
    )
    project_ids = [p[0] for p in projects]
    figures: dict[tuple[int, int, int], tuple[Decimal, Decimal]] = {}
    for pid, y, m, inv, inc in MonthlyProgress.objects.filter(
        Q(year=year, month=month) | Q(year=prev_year, month=prev_month),
        project_id__in=project_ids,
    ).values_list("project_id", "year", "month", "investment", "inclusion"):
        figures[(pid, y, m)] = (inv, inc)
    submissions = {
        (unit_id, y, m): (status, comment)
        for unit_id, y, m, status, comment in MonthSubmission.objects.filter(
            Q(year=year, month=month) | Q(year=prev_year, month=prev_month)
        ).values_list("unit_id", "year", "month", "status", "comment")
    }
    unit_ids = {p[3] for p in projects}
    units = {
        u.pk: UnitStatus(unit_id=u.pk, unit_code=u.code, unit_name=u.name)
        for u in Unit.objects.filter(pk__in=unit_ids)
    }
    for unit_id, username, full_first, full_last in (
        get_user_model()
        .objects.filter(units__in=unit_ids, is_active=True)
        .order_by("username")
        .values_list("units", "username", "first_name", "last_name")
    ):
        full = f"{full_last}{full_first}".strip()
        units[unit_id].staff.append(f"{username} ({full})" if full else username)

    for pid, code, name, unit_id in projects:
        row = units[unit_id]
        row.projects_total += 1
        this = figures.get((pid, year, month))
        if this is None:
            row.missing.append(ProjectRef(code, name))
            continue
        row.entries += 1
        before = figures.get((pid, prev_year, prev_month))
        if before is not None and _same_figures(this, before):
            row.same_as_previous.append(ProjectRef(code, name))
    for row in units.values():
        status, comment = submissions.get((row.unit_id, year, month), (NOT_SUBMITTED, ""))
        row.status, row.comment = status, comment
        if prev_year == year:
            prev_status = submissions.get((row.unit_id, prev_year, prev_month), (None, ""))[0]
            row.previous_not_submitted = prev_status not in DONE
    ordered = sorted(units.values(), key=lambda u: (-len(u.missing), u.unit_code))
    return ReportingStatus(year=year, month=month, locked=locked, units=ordered)


@dataclass(frozen=True)
class ReturnedMonth:
    """A month a manager sent back to one of the user's units, with the comment."""

    unit_name: str
    year: int
    month: int
    comment: str


def returned_months_for(user) -> list[ReturnedMonth]:
    """Months returned to the user's units and not yet submitted again. Asked on every report
    page: the statement, the same for every person (their id in its place), is built once."""
    submissions = MonthSubmission.objects.all()
    statement = compiled.statement(
        ("returned months", submissions.db),
        lambda person: (
            submissions.filter(unit__members=person, status=MonthSubmission.Status.RETURNED)
            .order_by("-year", "-month", "unit__sort_order")
            .values("unit__name", "year", "month", "comment")
        ),
    )
    return [
        ReturnedMonth(row["unit__name"], row["year"], row["month"], row["comment"])
        for row in statement.rows(user.pk)
    ]


@dataclass(frozen=True)
class UnitMonth:
    """One of the user's units in one month: its submission state and entry count."""

    unit_id: int
    unit_name: str
    status: str
    comment: str
    locked: bool
    projects_total: int
    entries: int

    @property
    def status_label(self) -> str:
        return str(UNIT_STATE_LABELS[self.status])

    @property
    def can_submit(self) -> bool:
        # A month without a single entry has nothing to hand in.
        return not self.locked and self.status not in DONE and self.entries > 0


def unit_months(units, year: int, month: int) -> list[UnitMonth]:
    """The submit screen's rows for the given units, in four queries."""
    units = list(units)
    ids = [u.pk for u in units]
    locked = PeriodLock.objects.locked(year, month)
    subs = {
        unit_id: (status, comment)
        for unit_id, status, comment in MonthSubmission.objects.filter(
            unit_id__in=ids, year=year, month=month
        ).values_list("unit_id", "status", "comment")
    }
    totals = dict(
        Project.objects.on_list(at=month_end(year, month))
        .filter(unit_id__in=ids)
        .values("unit_id")
        .annotate(n=Count("id"))
        .values_list("unit_id", "n")
    )
    entries = dict(
        MonthlyProgress.objects.filter(
            year=year,
            month=month,
            project__in=Project.objects.on_list(at=month_end(year, month)).filter(unit_id__in=ids),
        )
        .values("project__unit_id")
        .annotate(n=Count("id"))
        .values_list("project__unit_id", "n")
    )
    return [
        UnitMonth(
            unit_id=u.pk,
            unit_name=u.name,
            status=subs.get(u.pk, (NOT_SUBMITTED, ""))[0],
            comment=subs.get(u.pk, (NOT_SUBMITTED, ""))[1],
            locked=locked,
            projects_total=totals.get(u.pk, 0),
            entries=entries.get(u.pk, 0),
        )
        for u in units
    ]


def closed_month_notes(actor, project: Project) -> list[str]:
    """Why each month with entries on this project is closed to the actor, in three queries."""

    months = list(
        MonthlyProgress.objects.filter(project=project)
        .values_list("year", "month")
        .distinct()
        .order_by("year", "month")
    )
    years = {year for year, _month in months}
    locked = PeriodLock.objects.locked_months(years)
    statuses = {
        (year, month): status
        for year, month, status in MonthSubmission.objects.filter(
            unit_id=project.unit_id, year__in=years
        ).values_list("year", "month", "status")
    }
    notes = []
    for year, month in months:
        refusal = month_refusal(
            actor,
            project,
            year,
            month,
            "",
            locked=(year, month) in locked,
            status=statuses.get((year, month)),
        )
        if refusal is not None:
            notes.append(" ".join(refusal.messages))
    return notes


def default_status_month(today: dt.date) -> tuple[int, int]:
    """The month the status page opens on: the reporting month, unless no list covers its
    year. Then (the tracker read long after its last list, the demo years later) the latest
    month with figures on the latest earlier list, so the page opens on something to review."""
    year, month = reporting_month(today)
    years = set(Programme.objects.values_list("year", flat=True))
    earlier = [y for y in years if y < year]
    if year in years or not earlier:
        return year, month
    latest = max(earlier)
    entered = (
        MonthlyProgress.objects.filter(year=latest)
        .order_by("-month")
        .values_list("month", flat=True)
        .first()
    )
    return latest, entered or 12
