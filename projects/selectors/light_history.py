"""A project's light month by month, and the projects whose light turned red or recovered.

A month's light is the report's light for January to that month (1—M月), as of its end.
Locked months read the ``LightRecord`` kept at the lock (what went upward); months still
open are computed from the stored rows now and marked live (实时). Every figure here comes
from ``report_queryset``, the report's own rows, never from a loop of per-project queries.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db.models import Max, Q
from django.utils import timezone

from ..choices import LIGHT_LABELS, Light
from ..filters import CURRENT_PLAN
from ..models import (
    EntryVersion,
    LightRecord,
    MonthlyProgress,
    PeriodLock,
    Programme,
    Project,
    ReportSettings,
)
from ..periods import Period
from . import compiled, placed
from .lights import ROW_FIELDS as LIGHT_FIELDS
from .lights import reasons_of
from .queries import FIGURE_PARTS, figures_from, report_queryset, statement_shapes
from .report_cache import kept_for
from .results import LightReason
from .thresholds import thresholds_for

# The light's one-character word beside its dot, so colour is never the only sign: the
# first character of the files' short word (红灯 → 红).
LIGHT_WORDS = {code: short[0] for code, short in Light.short_labels().items()}
_FIELDS = ("pk", "light", *LIGHT_FIELDS, *(f"investment_{part}" for part in FIGURE_PARTS))


@dataclass(frozen=True)
class MonthLight:
    """One month of a project's light strip."""

    month: int
    light: str
    reasons: tuple[LightReason, ...]
    # Computed now (the month is not locked, or was locked before lights were kept).
    live: bool

    @property
    def word(self) -> str:
        return LIGHT_WORDS[self.light]

    @property
    def label(self) -> str:
        return str(LIGHT_LABELS[self.light])

    @property
    def reasons_text(self) -> str:
        return "；".join(r.text for r in self.reasons)


@dataclass(frozen=True)
class LightChange:
    """A project whose light crossed red between the previous period's end and this one's."""

    code: str
    name: str
    unit: str
    light: str
    was: str
    # The reasons of its light now (none for a recovery to green).
    reasons: tuple[LightReason, ...] = ()

    @property
    def reasons_text(self) -> str:
        return "；".join(r.text for r in self.reasons)

    @property
    def light_word(self) -> str:
        return LIGHT_WORDS[self.light]


@dataclass(frozen=True)
class LightChanges:
    """Turned red (red now, not red at the previous period's end) and recovered (the reverse).

    ``previous`` is None for the year's first period: nothing to compare with, so both
    lists are empty and the outputs say so instead of listing every red project.
    """

    previous: Period | None
    turned_red: tuple[LightChange, ...] = ()
    recovered: tuple[LightChange, ...] = ()
    # Whether the previous period's lights were read from its records (locked) or computed.
    previous_recorded: bool = False


# ---------------------------------------------------------------- lights of a period


def _reasons(p: Mapping) -> tuple[LightReason, ...]:
    return reasons_of(p, figures_from(p, "investment", prefix=""))


def light_values(qs) -> dict[int, tuple[str, tuple[LightReason, ...]]]:
    """Each row's light and reasons, by project id, from annotated report rows (one query)."""
    return {p["pk"]: (p["light"], _reasons(p)) for p in qs.values(*_FIELDS)}


def lights_at(
    programme: Programme,
    period: Period,
    *,
    settings: ReportSettings | None = None,
    only: Iterable[int] | None = None,
    basis: str = CURRENT_PLAN,
) -> dict[int, tuple[str, tuple[LightReason, ...]]]:
    """The list's lights at the period's end, computed with the report's rows (one query)."""
    settings = settings or thresholds_for(programme)[0]
    ids = None if only is None else list(only)
    return light_values(report_queryset(programme, period, settings, only=ids, basis=basis))


def reasons_json(reasons: Iterable[LightReason]) -> list[dict]:
    """The reasons as a record keeps them: code, light, words, the date the lag counts from."""
    return [
        {
            "code": r.code,
            "light": r.light,
            "text": r.text,
            "since": r.since.isoformat() if r.since else None,
        }
        for r in reasons
    ]


def reasons_from_json(data) -> tuple[LightReason, ...]:
    return tuple(
        LightReason(
            code=r["code"],
            light=r.get("light", ""),
            text=r["text"],
            since=dt.date.fromisoformat(r["since"]) if r.get("since") else None,
        )
        for r in data or ()
    )


# ---------------------------------------------------------------- turned red, recovered


def previous_period(period: Period) -> Period | None:
    """The period before: the previous quarter, or 1—(M−1)月; None at the year's start."""
    if period.is_month:
        return Period.through_month(period.year, period.month - 1) if period.month > 1 else None
    return Period(period.year, period.quarter - 1) if period.quarter > 1 else None


def _previous_rows(programme: Programme, period: Period, settings: ReportSettings, basis: str):
    """Project id and light at ``period``'s end, as a queryset of (pk, light) pairs: its
    records where the month is locked and kept, else the report's rows computed now; and
    whether they are the records."""
    if PeriodLock.objects.locked(period.year, period.last_month):
        kept = LightRecord.objects.filter(
            project__programme=programme, year=period.year, month=period.last_month
        )
        if kept.exists():
            return kept.values_list("project_id", "light"), "project_id", True
    return report_queryset(programme, period, settings, basis=basis), "pk", False


def light_changes(
    programme: Programme, period: Period, rows, settings: ReportSettings, basis: str
) -> LightChanges:
    """The report's rows (``rows``, annotated and in the reader's reach) that turned red or
    recovered since the previous period's end.

    The comparison stays in the database: the previous end's red projects (one query), then
    only the rows red now or red then (one), then which of the rows red now were on the
    list at all at the previous end (one), so a list of 20,000 projects moves a few dozen
    rows into Python, not 20,000.
    """
    before = previous_period(period)
    if before is None:
        return LightChanges(previous=None)
    earlier, key, recorded = _previous_rows(programme, before, settings, basis)
    was_red = set(earlier.filter(light=Light.RED).values_list(key, flat=True))
    changed = (
        rows.filter(Q(light=Light.RED) | Q(pk__in=was_red))
        .values(*_FIELDS, "code", "name", "unit__name")
        .order_by("code")
    )
    changed = list(changed)
    red_now = [p["pk"] for p in changed if p["light"] == Light.RED and p["pk"] not in was_red]
    # Red now and not red then: turned red only if it was on the list then (else it arrived
    # red), and then its earlier light is one of green/yellow, read for those few rows.
    was = (
        dict(earlier.filter(**{f"{key}__in": red_now}).values_list(key, "light")) if red_now else {}
    )
    turned_red, recovered = [], []
    for p in changed:
        now_red = p["light"] == Light.RED
        if now_red and p["pk"] in was_red:
            continue  # red then and now: unchanged
        if now_red and p["pk"] not in was:
            continue  # joined the list since: it did not turn red, it arrived red
        change = LightChange(
            code=p["code"],
            name=p["name"],
            unit=p["unit__name"] or "",
            light=p["light"],
            was=was.get(p["pk"], Light.RED),
            reasons=_reasons(p),
        )
        (turned_red if now_red else recovered).append(change)
    return LightChanges(
        previous=before,
        turned_red=tuple(turned_red),
        recovered=tuple(recovered),
        previous_recorded=recorded,
    )


# ---------------------------------------------------------------- a project's strip


def last_month_shown(project: Project, year: int, today: dt.date | None = None) -> int:
    """The strip's last month: the latest month entered for the year or locked, never a
    month still to come (one query each for entries and locks).

    Entries of any list of the year count: the month has begun for every list then, and the
    maximum is read from the (year, month) index alone, where the list's own maximum needed
    a join over all its rows (35 ms at 20,000 projects, on every project page)."""
    today = today or timezone.localdate()
    # Built once per year and database: a project page asks it whenever the strip is not kept.
    entered = compiled.totals_of(
        ("latest month entered", year, MonthlyProgress.objects.db),
        lambda: MonthlyProgress.objects.filter(year=year),
        m=Max("month"),
    )["m"]
    locked = [m for y, m in PeriodLock.objects.locked_months([year]) if y == year]
    last = max([entered or 0, *locked])
    if year == today.year:
        last = min(last, today.month)
    return 0 if year > today.year else last


def light_strip(project: Project, year: int | None = None) -> tuple[MonthLight, ...]:
    """The project's light for each month of its list's year up to the last one shown.

    Computed once per data version of the year and of the every-year data, of this
    project's entries of the year (``EntryVersion``) and per last month shown
    (``report_cache.kept_for``): every row it reads (locks, kept lights, plans, nodes,
    flags, the project, the thresholds) bumps the year's or the every-year version when
    written, its own entries their version, and the key holds today's date, which the open
    months' signals read. Not the twelve months' versions: those move with every project's
    entry, and of the other projects' entries the strip reads only the last month entered,
    which is in the key. So a clerk's save computes that project's strip again, not every
    project's: measured at 2,000 × 5, a project page took 32 ms after any entry of its year
    and 21 read again (its strip 8.5 ms to compute, 1.7 to keep), and now 22 after another
    project's entry.
    """
    year = year or project.programme.year
    last = last_month_shown(project, year)
    return kept_for(
        "light-strip",
        years=[year],
        parts=[project.pk, year, last, entries_version(project.pk, year)],
        classes=[MonthLight, LightReason],
        compute=lambda: _light_strip(project, year, last),
    )


def entries_version(project_id: int, year: int) -> int:
    """The version of a project's entries of ``year`` (``EntryVersion``): 0 until one is
    written. Its statement is built once (``placed``), as the page's others are."""
    rows = placed.values_for(
        "a project's entries' version",
        lambda pk, year: EntryVersion.objects.filter(project_id=pk, year=year).values("n"),
        project_id,
        year,
    )
    return rows[0]["n"] if rows else 0


def _light_strip(project: Project, year: int, last: int) -> tuple[MonthLight, ...]:
    """Up to ``last`` (``last_month_shown``, read for the key). Queries: the project's
    records, the settings, and one statement for the months not kept — whatever the number
    of projects on the list. Each month's statement is compiled once per process and shape
    (``compiled``) and the months run together with this project's id, so a strip of nine
    open months is one short read, not nine builds or nine round trips.
    """
    if not last:
        return ()
    kept = _kept_lights(project, year, last)
    settings, _dispatch = thresholds_for(project.programme)
    live = _months_rows(project, year, _open_months(last, kept), settings)
    strip = []
    for month in range(1, last + 1):
        if month in kept:
            light, reasons = kept[month]
            strip.append(MonthLight(month, light, reasons, live=False))
        elif live[month]:  # none: off the list at that month's end, no light to show
            (row,) = live[month]
            strip.append(MonthLight(month, row["light"], _reasons(row), live=True))
    return tuple(strip)


def _kept_lights(project: Project, year: int, last: int) -> dict[int, tuple[str, tuple]]:
    """The lights kept for the project's months up to ``last`` (locked months), by month."""
    rows = placed.values_for(
        "a project's kept lights",
        lambda pk, year, last: LightRecord.objects.filter(
            project_id=pk, year=year, month__lte=last
        ).values("month", "light", "reasons"),
        project.pk,
        year,
        last,
    )
    return {row["month"]: (row["light"], reasons_from_json(row["reasons"])) for row in rows}


def _open_months(last: int, kept) -> list[int]:
    """The months up to ``last`` whose light is computed now: those not kept."""
    return [month for month in range(1, last + 1) if month not in kept]


def _months_rows(
    project: Project, year: int, months: list[int], settings: ReportSettings
) -> dict[int, list[dict]]:
    """The project's report row at each month's end (none when off the list then), through
    the statements compiled for the list, period, thresholds and day, run as one."""
    if not months:
        return {}
    together = strip_statement(project.programme, year, months, settings)
    return dict(zip(months, together.rows(project.pk), strict=True))


def strip_statement(
    programme: Programme, year: int, months: list[int], settings: ReportSettings
) -> compiled.Together:
    """The months' statements of a list's strip, built and compiled once per process and
    shape (the list, the months, the thresholds and the day), to run for any of its projects."""
    periods = [Period.through_month(year, month) for month in months]
    shapes = statement_shapes("light strip", programme, periods, settings)

    def month_statement(period: Period, shape) -> compiled.Statement:
        def build(pk: int):
            return report_queryset(programme, period, settings, only=[pk]).values(*_FIELDS)

        return compiled.statement(shape, build)

    def build_together() -> compiled.Together:
        return compiled.Together(
            [month_statement(p, shape) for p, shape in zip(periods, shapes, strict=True)]
        )

    return compiled.text(("light strip", *shapes), build_together)


def compile_strips(today: dt.date | None = None) -> int:
    """Compile the strip's statements of the current lists, as each list's first project
    page would; how many lists. For a server's worker before it serves (``tracker.warmup``):
    its first project page built and compiled twelve months' statements, about 0.5 s on a
    slow host against 0.08 for the pages after it, and under ``make load`` each worker met
    that page in the run's first seconds. The current lists are this year's, or the latest
    year's when none is this year's (a tracker read after its last list, the demo). A list's
    open months are read off its first project, as its pages read them off theirs: a
    project whose lights are kept for other months makes a statement of its own."""
    today = today or timezone.localdate()
    year = Programme.objects.filter(year__lte=today.year).aggregate(y=Max("year"))["y"]
    compiled_lists = 0
    for programme in Programme.objects.filter(year=year).order_by("pk"):
        project = programme.projects.order_by("pk").first()
        if project is None:
            continue
        last = last_month_shown(project, year, today)
        months = _open_months(last, _kept_lights(project, year, last))
        if months:
            settings, _dispatch = thresholds_for(programme)
            strip_statement(programme, year, months, settings)
            compiled_lists += 1
    return compiled_lists
