"""Which list and period a report page opens on: the year's list, a list by its code, the
quarter whose reporting is due, and the years that have a list."""

from __future__ import annotations

import copy
import datetime as dt

from django.utils import timezone

from tracker.request_memo import remembered

from ..models import MonthlyProgress, Programme, Project
from ..periods import Period, month_end, quarter_of_date
from . import compiled


def default_programme(year: int) -> Programme | None:
    """The programme of a year: the first by code when a year has several."""
    found = _programmes_of(year)
    return found[0] if found else None


def programme_for(year: int, code: str | None) -> Programme | None:
    """The programme named by ``code`` for ``year``, or the year's default."""
    if code:
        return next((p for p in _programmes_of(year) if p.code == code), None)
    return default_programme(year)


def _programmes_of(year: int) -> list[Programme]:
    """The year's programmes by code, each the caller's own copy."""
    return [copy.copy(p) for p in _every_programme() if p.year == year]


def _every_programme() -> list[Programme]:
    """Every list of key projects, by year and code: a district has one a year. Every report
    page and file names one, and the year picker reads their years: one statement a request
    (the memo; a list's save bumps the data versions, which empties it), built once per
    database, whatever year or code the address names."""
    programmes = Programme.objects.all()

    def read() -> list[Programme]:
        return compiled.instances(
            ("every programme", programmes.db),
            Programme,
            lambda: programmes.order_by("year", "code", "pk"),
        )

    return remembered(("every programme", programmes.db), read)


def due_report_period(today: dt.date | None = None) -> Period | None:
    """The latest quarter whose reporting is due, for the home page.

    The current quarter once most units are reporting its first month: entries
    for that month from at least half of the units that have projects on the
    list then. Until then, the previous quarter. Never a quarter still to come,
    and never one that a single stray entry picked. ``None`` when the chosen
    quarter has no progress at all yet (a new year's list before anyone reports).

    When the tracker has not been used for a while (the demo ledger read years
    later), the latest earlier quarter that most units reported stands in, so the
    home page shows the last real report rather than an empty one.
    """
    today = today or timezone.localdate(timezone=timezone.get_default_timezone())
    current = Period(today.year, quarter_of_date(today))
    first_month = current.quarter_months[0]
    period = current if _most_units_reported(current.year, first_month) else _previous(current)
    has_progress = MonthlyProgress.objects.filter(
        year=period.year, month__in=period.months
    ).exists()
    if has_progress:
        return period
    return _latest_reported_before(period)


def _latest_reported_before(period: Period) -> Period | None:
    """The latest quarter before ``period`` whose first month most units reported."""
    first_year = Programme.objects.order_by("year").values_list("year", flat=True).first()
    while first_year is not None and period.year >= first_year:
        period = _previous(period)
        if _most_units_reported(period.year, period.quarter_months[0]):
            return period
    return None


def _previous(period: Period) -> Period:
    if period.quarter == 1:
        return Period(period.year - 1, 4)
    return Period(period.year, period.quarter - 1)


def _most_units_reported(year: int, month: int) -> bool:
    """Whether at least half of the units with projects on the list entered the month."""
    on_list = Project.objects.on_list(at=month_end(year, month))
    units = on_list.values("unit").distinct().count()
    if not units:
        return False
    reporting = (
        MonthlyProgress.objects.filter(year=year, month=month, project__in=on_list)
        .values("project__unit")
        .distinct()
        .count()
    )
    return 2 * reporting >= units


def programme_years() -> list[int]:
    """Every year with a list of key projects, newest first (the report's year picker)."""
    return sorted({p.year for p in _every_programme()}, reverse=True)
