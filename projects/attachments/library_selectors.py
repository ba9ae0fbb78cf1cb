"""Reads of 入库 (statistical inclusion): a project's status and checklist, the due list.

Whether a project lags outside the library is the nodes' one rule (``milestones.selectors``:
``library_status`` for one project, ``not_in_library`` over many, both on ``library_lag_q``
with the dispatch settings' floor and months); this module adds the checklist beside it.
"""

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count

from projects.milestones.selectors import (
    library_lag_q,
    library_status,
    months_between,
    not_in_library,
)
from projects.models import Project
from projects.periods import month_end
from projects.permissions import restricted
from projects.selectors import placed

from .models import LibraryDocument

IN_LIBRARY, PENDING, NOT_NEEDED = "in_library", "pending", "not_needed"
Kind = LibraryDocument.Kind


@dataclass(frozen=True)
class ChecklistItem:
    """One of the four materials: its kind and label, and the stored item if there is one."""

    kind: str
    label: str
    item: LibraryDocument | None


def checklist(project: Project) -> list[ChecklistItem]:
    """The four materials in their fixed order, each present or not (one query)."""
    stored = {
        i.kind: i
        for i in placed.objects_of(
            "project page: materials",
            lambda pid: LibraryDocument.objects.filter(project_id=pid).select_related("photo"),
            project.pk,
        )
    }
    return [ChecklistItem(kind, label, stored.get(kind)) for kind, label in Kind.choices]


def kinds_present(project_ids: Iterable[int]) -> dict[int, set[str]]:
    """Each project's materials present, for a list of projects in one query."""
    found: dict[int, set[str]] = {}
    rows = LibraryDocument.objects.filter(project_id__in=list(project_ids))
    for project_id, kind in rows.values_list("project_id", "kind"):
        found.setdefault(project_id, set()).add(kind)
    return found


@dataclass(frozen=True)
class LibraryState:
    """已入库 (since ``entry_date``), 待入库 (started ``days_out`` days ago, ``light`` by the
    dispatch settings' months) or 不需入库 (below the floor, or not started) as of a day."""

    state: str
    entry_date: dt.date | None
    days_out: int | None
    months_out: int | None
    light: str | None
    items: tuple[ChecklistItem, ...]

    @property
    def present(self) -> list[ChecklistItem]:
        return [i for i in self.items if i.item is not None]

    @property
    def missing(self) -> list[ChecklistItem]:
        return [i for i in self.items if i.item is None]


def library_state(project: Project, today: dt.date, settings) -> LibraryState:
    status = library_status(project, today, settings)
    items = tuple(checklist(project))
    if status.in_library:
        return LibraryState(IN_LIBRARY, status.entry_date, None, None, None, items)
    if not status.needed:
        return LibraryState(NOT_NEEDED, None, None, None, None, items)
    days = (today - project.actual_start).days
    return LibraryState(PENDING, None, days, status.months_out, status.light, items)


def reached_on(start: dt.date, months: int) -> dt.date:
    """The first day on which ``months`` whole months have passed since ``start``, in
    ``months_between``'s own counting (a start on the 31st reaches a month on the 1st after a
    shorter month)."""
    index = start.year * 12 + start.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    if start.day <= calendar.monthrange(year, month)[1]:
        return dt.date(year, month, start.day)
    return month_end(year, month) + dt.timedelta(days=1)


@dataclass(frozen=True)
class DueRow:
    """A project due for 入库 by the month's end: its light then, when it turned (or turns)
    yellow and red, whether that happens within the month, and the materials present."""

    project: Project
    days_out: int
    months_out: int
    light: str
    yellow_on: dt.date
    red_on: dt.date
    new_this_month: bool
    present: frozenset[str]

    @property
    def present_items(self) -> list[tuple[str, str]]:
        return [(kind, str(label)) for kind, label in Kind.choices if kind in self.present]

    @property
    def missing_labels(self) -> list[str]:
        return [str(label) for kind, label in Kind.choices if kind not in self.present]


@dataclass(frozen=True)
class DueList:
    year: int
    month: int
    as_of: dt.date
    rows: tuple[DueRow, ...]
    yellow_months: int
    red_months: int
    floor: object


def due_for_library(user, year: int, month: int, settings) -> DueList:
    """Projects in the user's ``change`` reach that, by the month's end, are started, over the
    floor, outside the library and lag at least the yellow months: those reaching it within
    the month and those that already had. On the list at the month's end. Three queries."""
    end = month_end(year, month)
    first = dt.date(year, month, 1)
    projects = Project.objects.on_list(at=end).restrict(user, "change")
    lagging = not_in_library(projects, end, settings)
    present = kinds_present(r.project.pk for r in lagging)
    yellow, red = settings.library_yellow_months, settings.library_red_months
    rows = []
    for r in lagging:
        start = r.project.actual_start
        yellow_on, red_on = reached_on(start, yellow), reached_on(start, red)
        rows.append(
            DueRow(
                project=r.project,
                days_out=(end - start).days,
                months_out=months_between(start, end),
                light=r.light,
                yellow_on=yellow_on,
                red_on=red_on,
                new_this_month=first <= yellow_on or first <= red_on <= end,
                present=frozenset(present.get(r.project.pk, ())),
            )
        )
    return DueList(year, month, end, tuple(rows), yellow, red, settings.library_min_investment)


def due_count(user, today: dt.date, settings) -> int:
    """How many projects the due list of today's month holds for the user: one count, its
    statement built once per month's end, reach and rule (the to-do list asks on every
    landing page, where building it cost more than running it)."""
    end = month_end(today.year, today.month)
    yellow, floor = settings.library_yellow_months, settings.library_min_investment
    path, reached = Project.objects.reached(user, "change")
    totals = placed.totals_for(
        ("library due count", end, path, yellow, floor),  # 500 and 500.00 one key
        lambda *ids: restricted(Project.objects.on_list(at=end), path, ids).filter(
            library_lag_q(end, yellow, floor)
        ),
        *reached,
        n=Count("pk"),
    )
    return totals["n"] or 0
