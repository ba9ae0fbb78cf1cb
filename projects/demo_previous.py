"""The demo's previous year: an invented 2023 list, so the 2024 report's 同比 is a real figure.

The article gives no 2023 figures; these are made up, deterministic and kept
apart from the 2024 list (own programme, own project codes), so the 2024
figures the article reports are untouched. The 2024 list names this one as
its previous year (上年同口径).
"""

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal

from .demo import CATEGORIES, STREETS, UNITS, allocate

YEAR = 2023
PROGRAMME_CODE = "SJGJ2023"
PROGRAMME_NAME = "2023年市级攻坚项目"
PROJECT_COUNT = 132

# Invented totals in 万元: the first quarter of 2023 done, and the year's plan and result.
Q1_DONE_INVESTMENT = Decimal("213000")
Q1_DONE_INCLUSION = Decimal("196000")
YEAR_DONE_INVESTMENT = Decimal("1215000")
YEAR_DONE_INCLUSION = Decimal("968000")
ANNUAL_PLAN_INVESTMENT = Decimal("1200000")
ANNUAL_PLAN_INCLUSION = Decimal("950000")

# How a year's work spreads over its months: slow in winter, busiest in autumn.
Q1_MONTH_SHARES = [1.0, 1.3, 1.8]
LATER_MONTH_SHARES = [2.2, 2.4, 2.6, 2.4, 2.5, 2.8, 2.9, 3.0, 3.4]
PLAN_QUARTER_SHARES = [1.6, 2.6, 2.9, 3.2]

STAGES = ["基础施工", "主体施工", "主体已封顶", "设备安装调试", "竣工验收"]


@dataclass
class PreviousProject:
    """One invented 2023 project with its plan and twelve months."""

    code: str
    name: str
    unit: str
    street: str
    category: str
    total_investment: Decimal
    actual_start: dt.date
    plan_investment: list[Decimal] = field(default_factory=list)
    plan_inclusion: list[Decimal] = field(default_factory=list)
    # month -> (investment, inclusion, image progress)
    months: dict[int, tuple[Decimal, Decimal, str]] = field(default_factory=dict)


def build() -> list[PreviousProject]:
    """The 2023 projects, the same on every run; totals split exactly to the cent."""
    rng = random.Random(2023)
    projects = []
    for n in range(1, PROJECT_COUNT + 1):
        street_code, street_name = rng.choice(STREETS)
        projects.append(
            PreviousProject(
                code=f"CY2023-{n:03d}",
                name=f"{street_name.removesuffix('街道')}2023年攻坚项目{n:03d}",
                unit=rng.choice(UNITS)[0],
                street=street_code,
                category=rng.choice(CATEGORIES)[0],
                total_investment=Decimal(rng.randrange(20_000, 400_000)),
                # Every 2023 project is under way from an earlier year (续建).
                actual_start=dt.date(rng.choice([2020, 2021, 2022]), rng.randrange(1, 13), 1),
            )
        )
    weights = [float(p.total_investment) * rng.uniform(0.5, 1.5) for p in projects]
    for measure, plan_total, q1_total, year_total in (
        ("investment", ANNUAL_PLAN_INVESTMENT, Q1_DONE_INVESTMENT, YEAR_DONE_INVESTMENT),
        ("inclusion", ANNUAL_PLAN_INCLUSION, Q1_DONE_INCLUSION, YEAR_DONE_INCLUSION),
    ):
        plans = allocate(plan_total, weights)
        q1 = allocate(q1_total, weights)
        rest = allocate(year_total - q1_total, weights)
        for project, plan, first, later in zip(projects, plans, q1, rest, strict=True):
            setattr(project, f"plan_{measure}", allocate(plan, PLAN_QUARTER_SHARES))
            amounts = [*allocate(first, Q1_MONTH_SHARES), *allocate(later, LATER_MONTH_SHARES)]
            for month, amount in enumerate(amounts, start=1):
                investment, inclusion, _text = project.months.get(month, (None, None, ""))
                if measure == "investment":
                    investment = amount
                else:
                    inclusion = amount
                stage = STAGES[min(len(STAGES) - 1, (month - 1) // 3 + rng.randrange(0, 2))]
                project.months[month] = (investment, inclusion, stage)
    return projects


JOINED = dt.date(YEAR, 1, 1)
