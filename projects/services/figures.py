"""Which months' report figures a change to a project touches, so the lock rule can guard them.

A report counts a project in a month when it is on its programme's list at the
month's end, classifies it by category, unit, street and kind, and reads its start
dates against the year to date. So changing any of those fields, or deleting or
restoring the project, changes figures of months already reported upward. The
rule here is deliberately on the safe side: it may ask for a reason for a change
that turns out not to move a figure, never the other way round.
"""

import datetime as dt

from ..models import PeriodLock, Project
from ..periods import month_end, quarter_months

# Fields that place a project in the report: its list, its breakdown rows, its kind.
CLASSIFYING_FIELDS = ("programme_id", "category_id", "unit_id", "street_id", "kind")
# Dates read against each period's end: list membership, starts, statistics entry.
PERIOD_DATES = (
    "joined_on",
    "withdrawn_on",
    "planned_start",
    "actual_start",
    "statistics_entry_date",
)

Month = tuple[int, int]


def locked_months() -> set[Month]:
    return PeriodLock.objects.locked_months()


def _on_list(project: Project, year: int, month: int) -> bool:
    return project.on_list_at(month_end(year, month))


def _rows_months(project: Project) -> set[Month]:
    """Months in which the project's own plan or progress rows carry figures."""
    if project.pk is None:
        return set()
    months = set(project.progress.values_list("year", "month"))
    for plan in project.plans.all():
        for quarter in (1, 2, 3, 4):
            if plan.investment(quarter) or plan.inclusion(quarter):
                months.update((plan.year, m) for m in quarter_months(quarter))
    return months


def present_in(project: Project, months: set[Month]) -> set[Month]:
    """Of ``months``, those whose figures include this project at all."""
    listed = {(y, m) for y, m in months if _on_list(project, y, m)}
    return listed | (_rows_months(project) & months)


def _date_touches(old: dt.date | None, new: dt.date | None, year: int, month: int) -> bool:
    # Moving a date moves the project between "before" and "after" for every
    # period end in between; year-to-date windows also move with the year.
    days = sorted(d for d in (old, new) if d is not None)
    low = days[0]
    high = days[-1] if None not in (old, new) else None
    end = month_end(year, month)
    return end >= low and (high is None or year <= high.year)


def touched_months(stored: Project, project: Project, months: set[Month]) -> set[Month]:
    """Of ``months``, those whose figures change when ``stored`` becomes ``project``."""
    touched: set[Month] = set()
    if any(getattr(stored, f) != getattr(project, f) for f in CLASSIFYING_FIELDS):
        touched |= present_in(stored, months) | present_in(project, months)
    for name in PERIOD_DATES:
        old, new = getattr(stored, name), getattr(project, name)
        if old != new:
            touched |= {(y, m) for y, m in months if _date_touches(old, new, y, m)}
    return touched


def months_to_check(stored: Project, project: Project) -> set[Month]:
    """Months a change must be allowed in: locked ones it touches, and those its dates name.

    The named months keep the unit's own rule too: staff cannot move a date into
    or out of a month their unit has already submitted.
    """
    months = touched_months(stored, project, locked_months())
    for name in PERIOD_DATES:
        old, new = getattr(stored, name), getattr(project, name)
        if old != new:
            months |= {(d.year, d.month) for d in (old, new) if d is not None}
    return months
