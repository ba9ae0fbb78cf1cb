"""The report's typed results: headline, breakdowns, rows and monthly points."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from ..choices import LIGHT_LABELS, STATUS_LABELS
from ..money import ZERO, completion_rate
from ..periods import Period
from ..ranking import Ranking, rank
from .coverage import Coverage
from .values import compared_as_values

if TYPE_CHECKING:
    from .light_history import LightChanges

# ---------------------------------------------------------------- results


@compared_as_values
@dataclass(frozen=True)
class Figures:
    """Planned against completed for one measure, year to date and for the quarter alone."""

    planned: Decimal
    actual: Decimal
    annual_plan: Decimal
    quarter_planned: Decimal
    quarter_actual: Decimal
    # ``planned`` and ``annual_plan`` are on the report's plan basis (the current plan,
    # or the year's baseline when asked); these are the baseline (年初计划) and the
    # current, adjusted plan (调整后计划) side by side, whatever the basis.
    baseline_planned: Decimal | None = None
    adjusted_planned: Decimal | None = None
    baseline_annual_plan: Decimal | None = None
    adjusted_annual_plan: Decimal | None = None

    @property
    def adjustment(self) -> Decimal | None:
        """How far the year-to-date plan was adjusted from the baseline (+ up, − down)."""
        if self.baseline_planned is None or self.adjusted_planned is None:
            return None
        return self.adjusted_planned - self.baseline_planned

    @property
    def annual_adjustment(self) -> Decimal | None:
        """How far the annual plan was adjusted from the baseline (+ up, − down)."""
        if self.baseline_annual_plan is None or self.adjusted_annual_plan is None:
            return None
        return self.adjusted_annual_plan - self.baseline_annual_plan

    @property
    def rate(self) -> Decimal | None:
        return completion_rate(self.actual, self.planned)

    @property
    def annual_rate(self) -> Decimal | None:
        """Share of the annual plan done so far."""
        return completion_rate(self.actual, self.annual_plan)

    @property
    def quarter_rate(self) -> Decimal | None:
        return completion_rate(self.quarter_actual, self.quarter_planned)


@dataclass(frozen=True)
class Outlook:
    """How one measure stands against the calendar, last year and its own pace."""

    time_elapsed: Decimal
    # Percentage points the annual share is ahead (+) or behind (-) the time elapsed.
    points_vs_time: Decimal | None
    previous_actual: Decimal | None
    yoy_percent: Decimal | None
    # Where the year ends if the year-to-date pace holds: a projection, not a forecast.
    projected_annual: Decimal
    projected_annual_rate: Decimal | None


@compared_as_values
@dataclass(frozen=True)
class Starts:
    """Construction starts of new-start projects, year to date and for the quarter alone."""

    planned: int
    actual: int
    early: int
    overdue: int
    quarter_planned: int
    quarter_actual: int
    quarter_early: int
    quarter_overdue: int


@dataclass(frozen=True)
class ProvincialRates:
    """The four rates the province reads (``selectors.rates``), with what each is made of.

    开工率 = new starts begun ÷ new starts planned, year to date; 投资完成率 = investment
    completed ÷ the year's planned investment; 资金到位率 = funds in place this year ÷ the
    year's planned investment; 按期竣工率 = projects planned to complete by the period's
    end that completed by their planned date ÷ projects planned to complete by then.
    """

    starts_planned: int
    starts_actual: int
    investment_actual: Decimal
    annual_plan: Decimal
    funds: Decimal
    completion_due: int
    completion_on_time: int

    @property
    def start(self) -> Decimal | None:
        return completion_rate(self.starts_actual, self.starts_planned)

    @property
    def investment(self) -> Decimal | None:
        return completion_rate(self.investment_actual, self.annual_plan)

    @property
    def funds_rate(self) -> Decimal | None:
        return completion_rate(self.funds, self.annual_plan)

    @property
    def completion(self) -> Decimal | None:
        return completion_rate(self.completion_on_time, self.completion_due)


@dataclass(frozen=True)
class LibraryRates:
    """纳统率 with both denominators the city's reports publish (``selectors.rates``).

    ``of_listed`` = projects in the statistics library (入库) by the period's end ÷ every
    project of the report; ``of_new_starts`` = new starts begun this year by then that are
    in the library ÷ those new starts. Each through ``money.completion_rate``: none (null)
    when its denominator is zero. Always shown with its label, never one without the other.
    """

    listed: int
    listed_in_library: int
    new_starts: int
    new_starts_in_library: int

    @property
    def of_listed(self) -> Decimal | None:
        return completion_rate(self.listed_in_library, self.listed)

    @property
    def of_new_starts(self) -> Decimal | None:
        return completion_rate(self.new_starts_in_library, self.new_starts)


@dataclass(frozen=True)
class Headline:
    """The report's top figures for the whole (filtered) list."""

    projects: int
    starts: Starts
    investment: Figures
    inclusion: Figures
    investment_outlook: Outlook
    inclusion_outlook: Outlook
    time_elapsed: Decimal
    # Planned amounts of each quarter alone, for the charts.
    quarter_plans: dict[str, tuple[Decimal, Decimal, Decimal, Decimal]]
    # Projects whose plan differs from the year's baseline (计划调整); the sums are
    # ``investment.adjustment`` and ``inclusion.adjustment``.
    adjusted_projects: int = 0


# Hashed by its key, group and name: never by its amounts (see ``compared_as_values``).
@compared_as_values(hashed_by=("key", "group", "name"))
@dataclass(frozen=True)
class BreakdownRow:
    """One category, unit or street with the same columns as the headline."""

    key: str
    name: str
    projects: int
    starts: Starts
    investment: Figures
    inclusion: Figures
    # A 专班's group (产业链专班, 攻势); "" for a dimension's row.
    group: str = ""


@compared_as_values
@dataclass(frozen=True)
class LightReason:
    """One signal that lit a project's light, in the words the outputs show (``lights``).

    ``since`` is the date the lag counts from (the planned start, the actual start, the
    late node's planned date, the flag's date); None for progress, judged per period.
    """

    code: str
    light: str
    text: str
    since: dt.date | None = None


# Hashed by its code and light: never by its amounts (see ``compared_as_values``).
@compared_as_values(hashed_by=("code", "light"))
@dataclass(frozen=True)
class ProjectRow:
    """One project's line in the per-project table."""

    code: str
    name: str
    unit: str
    street: str
    category: str
    kind: str
    kind_label: str
    planned_start: dt.date | None
    actual_start: dt.date | None
    start_status: str
    image_progress: str
    light: str
    investment: Figures
    inclusion: Figures
    # Which unit answers for it, so screens can tell who may open the project.
    unit_id: int | None = None
    # Its plan differs from the year's baseline (年初计划).
    plan_adjusted: bool = False
    # Why the light is not green, one reason per signal; empty for green (and for
    # editions published before lights had reasons).
    light_reasons: tuple[LightReason, ...] = ()

    @property
    def reasons_text(self) -> str:
        """The reasons in one line, as the tables and files show them."""
        return "；".join(reason.text for reason in self.light_reasons)

    # The national platform's 项目代码; blank when it has none (and in editions made before it).
    national_code: str = ""
    # Where the works are (WGS-84), for the map and the GeoJSON file; None when not known
    # (and in editions made before coordinates).
    longitude: Decimal | None = None
    latitude: Decimal | None = None

    @property
    def start_status_label(self) -> str:
        return str(STATUS_LABELS[self.start_status])

    @property
    def light_label(self) -> str:
        return str(LIGHT_LABELS[self.light])


@dataclass(frozen=True)
class MonthPoint:
    """Completed amounts of one month and the running totals, for the monthly chart."""

    month: int
    investment: Decimal
    inclusion: Decimal
    cumulative_investment: Decimal
    cumulative_inclusion: Decimal
    # Cumulative plan at a quarter's last month; None in between (plans are quarterly).
    cumulative_planned_investment: Decimal | None
    cumulative_planned_inclusion: Decimal | None
    reported: bool


@dataclass(frozen=True)
class ListChange:
    """A project that joined the list after it was set, or withdrew, in the year."""

    code: str
    name: str
    unit: str
    joined: bool
    on: dt.date
    reason: str = ""


@dataclass(frozen=True)
class Correction:
    """A figure of a published period changed after it was published."""

    when: dt.datetime
    who: str
    code: str
    name: str
    field: str
    month: int
    before: str
    after: str
    reason: str


@dataclass(frozen=True)
class EditionInfo:
    """Which published edition a report is, and what changed in the live figures since."""

    number: int
    published_at: dt.datetime
    published_by: str
    reason: str
    # Editions of the same period, newest first, for the page's links: (number, date).
    editions: tuple[tuple[int, dt.datetime], ...] = ()
    later_changes: tuple[Correction, ...] = ()
    # The stored edition's token, to read its briefing back.
    key: str | None = None

    @property
    def latest(self) -> int:
        return max((n for n, _ in self.editions), default=self.number)


@dataclass(frozen=True)
class RowPage:
    """Which page of the per-project table a report holds."""

    number: int
    per_page: int
    count: int
    sort: str

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.count // self.per_page))

    @property
    def start_index(self) -> int:
        """1-based position of the page's first row (0 on an empty table)."""
        return 0 if not self.count else (self.number - 1) * self.per_page + 1

    @property
    def end_index(self) -> int:
        return min(self.number * self.per_page, self.count)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages


@dataclass(frozen=True)
class RowWindow:
    """A page of the per-project table wanted: sort column ("-" descends), page, page size."""

    sort: str | None = None
    page: int = 1
    per_page: int = 50
    # A list up to this many rows is read whole (same statements, no LIMIT), so the page can
    # print every project while showing one page of them; a longer list reads its page only.
    every_row_up_to: int = 0

    def page_of(self, count: int, sort: str) -> RowPage:
        """This window over ``count`` rows, the page number brought within range."""
        last = max(1, -(-count // self.per_page))
        return RowPage(
            number=min(max(self.page, 1), last), per_page=self.per_page, count=count, sort=sort
        )

    def reads_whole(self, count: int) -> bool:
        """A list of ``count`` rows is read whole, its printable rows beside the page's."""
        return count <= self.every_row_up_to


@dataclass(frozen=True)
class QuarterlyReport:
    """Everything the page, the exports and the API show for one programme and quarter."""

    programme_code: str
    programme_name: str
    period: Period
    filtered: bool
    yellow_below: Decimal
    red_below: Decimal
    headline: Headline
    # Each schema dimension's groups by its key: category, unit, street, industry…
    breakdowns: Mapping[str, tuple[BreakdownRow, ...]]
    # Every project's row, a page of them (``row_page``) or a re-iterable stream.
    rows: Iterable[ProjectRow]
    months: tuple[MonthPoint, ...]
    # Plans below this (万元) are ranked apart; see ``projects.ranking``.
    ranking_floor: Decimal = ZERO
    row_page: RowPage | None = None
    # With a window whose ``every_row_up_to`` covers the list: every row in the page's
    # order (``rows`` is then the page's slice of them); otherwise None.
    every_row: tuple[ProjectRow, ...] | None = None
    # The reader reaches only part of the list (a street viewer): the report is theirs alone.
    partial: bool = False
    # The plan rates are computed on: ``filters.CURRENT_PLAN`` or ``BASELINE_PLAN`` (年初计划).
    plan_basis: str = "current"
    # How complete the window's months are (units reported, approved, projects missing).
    coverage: Coverage | None = None
    # Projects that joined or withdrew in the year up to the period's end.
    list_changes: tuple[ListChange, ...] = ()
    # The published edition this report was read from; None for live figures.
    edition: EditionInfo | None = None
    # How the lights were given, thresholds in force, in the 通报's words (``lights``);
    # empty in editions published before lights had reasons.
    light_rule: str = ""
    # The four provincial rates (开工率, 投资完成率, 资金到位率, 按期竣工率); None in editions
    # published before they were computed.
    rates: ProvincialRates | None = None
    # The 专班 (tags of a group), by group: a project may be in several, so they overlap
    # and are never summed into the district's total. Empty in editions published before.
    task_forces: tuple[BreakdownRow, ...] = ()
    # Projects that turned red since the previous period's end, and those that recovered
    # (``selectors.light_history``); None in editions published before they were listed.
    light_changes: LightChanges | None = None
    # 纳统率 over the list and over new starts; None in editions published before it was.
    library_rates: LibraryRates | None = None
    # What names these figures for the cache (``report_cache.kept_with``): the key live
    # figures are kept under, or a published edition's token (an edition never changes);
    # None when neither. What is derived from them alone (the page's folded breakdowns and
    # rankings) is kept beside them. Not a figure: reports of equal figures are equal
    # without it.
    kept_as: str | None = field(default=None, compare=False, repr=False)

    @property
    def complete(self) -> bool:
        """Whether every month of the window is in and approved (no coverage: unknown, so not)."""
        return self.coverage is not None and self.coverage.complete

    @property
    def on_baseline(self) -> bool:
        return self.plan_basis == "baseline"

    @property
    def by_category(self) -> tuple[BreakdownRow, ...]:
        return self.breakdowns["category"]

    @property
    def by_unit(self) -> tuple[BreakdownRow, ...]:
        return self.breakdowns["unit"]

    @property
    def by_street(self) -> tuple[BreakdownRow, ...]:
        return self.breakdowns["street"]

    @property
    def year(self) -> int:
        return self.period.year

    @property
    def quarter(self) -> int:
        return self.period.quarter

    @property
    def units_ranked(self) -> tuple[BreakdownRow, ...]:
        """Units by investment completion rate, best first; units without a plan last."""
        rated = [r for r in self.by_unit if r.investment.rate is not None]
        unrated = [r for r in self.by_unit if r.investment.rate is None]
        rated.sort(key=lambda r: (-r.investment.rate, r.key))
        return tuple(rated + unrated)

    @property
    def unit_ranking(self) -> Ranking:
        """Units by investment completion rate; ties share a rank; no or tiny plans, and
        units that have not reported the period's last month, apart."""
        unreported = self.coverage.unreported_unit_codes if self.coverage else ()
        return rank(self.by_unit, floor=self.ranking_floor, unreported=unreported)

    @property
    def category_ranking(self) -> Ranking:
        return rank(self.by_category, floor=self.ranking_floor)

    @property
    def leader_ranking(self) -> Ranking:
        """Leaders in charge by investment completion rate, as units are ranked (zero or
        small plans apart); the projects without a leader (未指定) are no leader to rank."""
        return rank((r for r in self.breakdown("leader") if r.key), floor=self.ranking_floor)

    @property
    def task_force_groups(self) -> tuple[tuple[str, tuple[BreakdownRow, ...]], ...]:
        """The 专班 by group, in order: (产业链专班, its task forces), (攻势, …)."""
        groups: dict[str, list[BreakdownRow]] = {}
        for row in self.task_forces:
            groups.setdefault(row.group, []).append(row)
        return tuple((name, tuple(rows)) for name, rows in groups.items())

    def task_force_ranking(self, group: str) -> Ranking:
        return rank((r for r in self.task_forces if r.group == group), floor=self.ranking_floor)

    def breakdown(self, table: str) -> tuple[BreakdownRow, ...]:
        # An edition published before a dimension existed has no table for it.
        return self.breakdowns.get(table, ())
