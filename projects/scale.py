"""Scale data: a province's worth of yearly lists, generated from the demo's rules.

The demo ledger is one district's 147 projects; a city or a province runs the same tracker
over ≈150 districts and 20,000 projects a year. This module invents such a ledger with the
demo's vocabulary (units, streets, categories, leaders, industries, image stages, problems)
and its shapes (about a third of each list continues from last year, new projects start
around their planned month or run late, work is slow in winter and busiest in autumn), the
same rows for the same arguments. It only builds rows; ``manage.py generate_scale_data``
writes them in bulk.

The shape follows the data model: each year has its own lists (``Programme``), each with its
own projects, and a project continued from last year is a new row on the new list under the
same name (as the demo's 2023 list is). Every project on a list has a row for every month of
its year that has begun — zero before the works start, as the units report it — so
``--projects 20000 --years 5`` makes 20,000 projects a year, 100,000 in all, and
20,000 × 12 × 5 = 1.2 million monthly rows.
"""

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass, field

from . import demo, demo_previous

# Every row the generator writes carries this prefix in its code (or user name), so its own
# rows can be told from real ones, refused beside them and wiped again.
CODE_PREFIX = "GEN-"
USERNAME_PREFIX = "gen-"
MANAGER_USERNAME = "gen-manager"
# Only names of this shape are the generator's (gen-manager, gen-d001-fgj), never gen-anything.
USERNAME_PATTERN = r"^gen-(manager|d[0-9]{3}-[a-z0-9-]+)$"

# One district of the demo answers for about this many projects a year.
PROJECTS_PER_DISTRICT = 147
CONTINUING_SHARE = 0.32  # 47 of the demo's 147
STREET_OFFICE_SHARE = 0.45  # as the demo: street offices answer for many projects
PROBLEM_SHARE = 0.04  # a month's row states a problem (存在问题)
LATE_START_SHARE = 0.15  # new projects still not started two months after the planned month
PROGRAMME_NAMES = ["市级攻坚项目", "省级重点项目", "区级重点项目", "民生实事项目"]
MONTH_SHARES = [*demo_previous.Q1_MONTH_SHARES, *demo_previous.LATER_MONTH_SHARES]
QUARTER_SHARES = demo_previous.PLAN_QUARTER_SHARES
NOT_STARTED = "前期手续办理中"


@dataclass(frozen=True)
class Spec:
    """What to generate: ``projects`` a year on ``programmes`` lists for ``years`` years."""

    projects: int
    years: int
    programmes: int = 1
    last_year: int = demo.YEAR
    seed: int = 15

    @property
    def first_year(self) -> int:
        return self.last_year - self.years + 1

    @property
    def districts(self) -> int:
        return max(1, -(-self.projects // PROJECTS_PER_DISTRICT))


@dataclass(frozen=True)
class Named:
    code: str
    name: str
    sort_order: int


@dataclass(frozen=True)
class Reference:
    """Units, streets and categories of every district."""

    units: list[Named]
    streets: list[Named]
    categories: list[Named]


@dataclass(frozen=True)
class ProgrammeRow:
    code: str
    name: str
    year: int
    slot: int  # which of the year's lists; the same slot a year earlier is its previous year


@dataclass
class ProjectRow:
    """One project on one year's list, with its plan (cents) and its months (cents, texts)."""

    code: str
    name: str
    programme: str
    category: str
    unit: str
    street: str
    district: int
    kind: str
    leader: str
    total_investment: int  # whole 万元
    planned_start: dt.date | None
    actual_start: dt.date | None
    planned_completion: dt.date
    statistics_entry_date: dt.date | None
    joined_on: dt.date
    highlighted: bool = False
    image_progress: str = ""
    plan_investment: list[int] = field(default_factory=list)  # cents, by quarter
    plan_inclusion: list[int] = field(default_factory=list)
    # (month, investment cents, inclusion cents, image progress, problems)
    months: list[tuple[int, int, int, str, str]] = field(default_factory=list)


def district_name(d: int) -> str:
    return f"第{d:03d}区"


def reference(spec: Spec) -> Reference:
    """Each district gets the demo's 18 units and 8 streets; the 7 categories are shared."""
    units, streets = [], []
    for d in range(1, spec.districts + 1):
        prefix = f"{CODE_PREFIX}D{d:03d}-"
        for order, (code, name) in enumerate(demo.UNITS):
            # The demo's units are the district's own (区发展和改革局); name them per district.
            units.append(
                Named(f"{prefix}{code}", district_name(d) + name.removeprefix("区"), order)
            )
        for order, (code, name) in enumerate(demo.STREETS):
            streets.append(Named(f"{prefix}JD-{code}", district_name(d) + name, order))
    categories = [Named(code, name, order) for order, (code, name) in enumerate(demo.CATEGORIES)]
    return Reference(units=units, streets=streets, categories=categories)


def programmes(spec: Spec) -> list[ProgrammeRow]:
    rows = []
    for year in range(spec.first_year, spec.last_year + 1):
        for slot in range(spec.programmes):
            label = PROGRAMME_NAMES[slot % len(PROGRAMME_NAMES)]
            suffix = "" if slot < len(PROGRAMME_NAMES) else f"（{slot + 1}）"
            rows.append(
                ProgrammeRow(
                    code=f"{CODE_PREFIX}{year}-{slot + 1}",
                    name=f"{year}年{label}{suffix}",
                    year=year,
                    slot=slot,
                )
            )
    return rows


def month_started(year: int, month: int, today: dt.date) -> bool:
    return (year, month) <= (today.year, today.month)


def _project_names(rng: random.Random) -> list[str]:
    names = [f"{p}{i}" for i in demo.INDUSTRY_NAMES for p in demo.COMPANY_PREFIXES]
    rng.shuffle(names)
    return names


def year_lists(spec: Spec, today: dt.date) -> Iterator[tuple[int, list[ProjectRow]]]:
    """Each year's projects, first year first; each list continues part of the year before."""
    rng = random.Random(spec.seed)
    names = _project_names(rng)
    previous: list[ProjectRow] = []
    for year in range(spec.first_year, spec.last_year + 1):
        rows = _year(spec, year, previous, rng, names, today)
        yield year, rows
        previous = rows


def _year(spec, year, previous, rng, names, today) -> list[ProjectRow]:
    street_codes = [code for code, _name in demo.STREETS]
    # Projects of last year still under way carry on (续建) under the same name and unit.
    carried = [p for p in previous if p.planned_completion.year > year - 1 and p.actual_start]
    rng.shuffle(carried)
    carried = carried[: int(spec.projects * CONTINUING_SHARE)]
    rows: list[ProjectRow] = []
    for n in range(spec.projects):
        slot = n % spec.programmes
        programme = f"{CODE_PREFIX}{year}-{slot + 1}"
        code = f"{CODE_PREFIX}{year}-{n + 1:06d}"
        leader = rng.choice(demo.LEADERS)
        if n < len(carried):
            old = carried[n]
            row = ProjectRow(
                code=code,
                name=old.name,
                programme=programme,
                category=old.category,
                unit=old.unit,
                street=old.street,
                district=old.district,
                kind="continuing",
                leader=old.leader,
                total_investment=old.total_investment,
                planned_start=None,
                actual_start=old.actual_start,
                planned_completion=old.planned_completion,
                statistics_entry_date=old.statistics_entry_date or dt.date(year, 1, 15),
                joined_on=dt.date(year, 1, 1),
            )
        else:
            row = _new_project(spec, year, n, code, programme, leader, rng, names, street_codes)
        row.highlighted = rng.random() < 0.02
        _fill_year(row, year, rng, today)
        rows.append(row)
    return rows


def _new_project(spec, year, n, code, programme, leader, rng, names, street_codes) -> ProjectRow:
    district = n % spec.districts + 1
    prefix = f"{CODE_PREFIX}D{district:03d}-"
    base = names[n % len(names)]
    industry = next(i for i in demo.INDUSTRY_NAMES if base.endswith(i))
    category = demo.CATEGORY_FOR_INDUSTRY.get(industry, "ZZY")
    if rng.random() < 0.2:
        civic = rng.choice(demo.CIVIC_NAMES).removeprefix("城阳区")
        base = civic
        category = next((c for k, c in demo.CIVIC_CATEGORY.items() if k in civic), "SHMS")
    street = rng.choice(street_codes)
    unit = rng.choice(demo.UNIT_FOR_CATEGORY[category])
    if rng.random() < STREET_OFFICE_SHARE:
        unit = f"JD-{street}"
    big = rng.random() < 0.2
    total = rng.randrange(200_000, 1_200_000, 1000) if big else rng.randrange(8_000, 150_000, 500)
    planned_month = rng.randint(1, 12)
    planned_start = dt.date(year, planned_month, rng.randint(1, 28))
    late = rng.random() < LATE_START_SHARE
    started_month = min(12, planned_month + (rng.randint(2, 6) if late else rng.randint(0, 1)))
    actual_start = dt.date(year, started_month, rng.randint(1, 28))
    if late and started_month == 12 and rng.random() < 0.5:
        actual_start = None
    return ProjectRow(
        code=code,
        name=f"{district_name(district)}{base}项目",
        programme=programme,
        category=category,
        unit=f"{prefix}{unit}",
        street=f"{prefix}JD-{street}",
        district=district,
        kind="new",
        leader=leader,
        total_investment=total,
        planned_start=planned_start,
        actual_start=actual_start,
        planned_completion=dt.date(year + rng.randint(1, 3), 12, rng.randint(1, 28)),
        statistics_entry_date=(
            actual_start + dt.timedelta(days=rng.randint(3, 15)) if actual_start else None
        ),
        joined_on=dt.date(year, 1, 1),
    )


def _split(total: int, shares: list[float]) -> list[int]:
    """Whole cents proportional to ``shares``, adding up to ``total`` exactly."""
    weight = sum(shares)
    parts = [int(total * s / weight) for s in shares]
    parts[-1] += total - sum(parts)
    return parts


def _fill_year(row: ProjectRow, year: int, rng: random.Random, today: dt.date) -> None:
    # The year's plan: a fifth to a half of the total, by the demo's quarterly shape.
    annual = int(row.total_investment * rng.uniform(0.2, 0.5)) * 100
    row.plan_investment = _split(annual, QUARTER_SHARES)
    row.plan_inclusion = [int(c * rng.uniform(0.6, 0.9)) for c in row.plan_investment]
    if row.actual_start and row.actual_start > today:
        row.actual_start = None  # a start in the future is refused by the app, so none here
    if row.statistics_entry_date and (not row.actual_start or row.statistics_entry_date > today):
        row.statistics_entry_date = None
    started = row.actual_start
    carried = bool(started and started.year < year)
    first = 1 if carried else (started.month if started else 13)
    stage = 2 if carried else 0
    problem_month = rng.randint(1, 12) if rng.random() < PROBLEM_SHARE * 12 else None
    for month in range(1, 13):
        if not month_started(year, month, today):
            break
        quarter_plan = row.plan_investment[(month - 1) // 3]
        if month >= first:
            share = MONTH_SHARES[month - 1] / sum(MONTH_SHARES[(month - 1) // 3 * 3 :][:3])
            investment = int(quarter_plan * share * rng.uniform(0.4, 1.8))
            inclusion = int(investment * rng.uniform(0.6, 1.0))
            if month == first or rng.random() < 0.3:
                stage = min(stage + 1, len(demo.IMAGE_STAGES) - 1)
            text = demo.IMAGE_STAGES[stage]
        else:
            investment = inclusion = 0
            text = NOT_STARTED
        problem = rng.choice(demo.PROBLEMS) if month == problem_month else ""
        row.months.append((month, investment, inclusion, text, problem))
    row.image_progress = row.months[-1][3] if row.months else NOT_STARTED
