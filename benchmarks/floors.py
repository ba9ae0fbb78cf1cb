"""The hand-written SQL floors: what the report costs when nothing but the database works.

Four queries answer the report's questions for one list and quarter, written by hand the
way a DBA would, one statement each, on the same tables and with the same definitions as
the app (see the glossary: members at the period's end, year-to-date plans and actuals,
start statuses). The warning light is left out of d since it became five signals
(``selectors/lights.py``: nodes, 入库, flags): a floor without it is lower, so the app's
ratio to it can only look worse, never better.

a. the headline: counts, start counts, plan and progress totals, last year's actuals;
b. the same per responsible unit;
c. each project's year-to-date and quarter-alone sums;
d. every column of the project table, all rows (the files' rows).

``check_against_app`` compares their results with the app's report, figure by figure, so a
floor is known to answer the same question before it is used as a yardstick.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import connection

from projects.money import as_money

MEASURES = ("investment", "inclusion")
FIGURES = ("planned", "actual", "annual_plan", "quarter_planned", "quarter_actual")


@dataclass(frozen=True)
class Window:
    """One list and quarter, as the floors' parameters."""

    programme_id: int
    previous_id: int | None
    year: int
    quarter: int
    yellow_below: Decimal
    red_below: Decimal

    @property
    def params(self) -> dict:
        import datetime as dt

        from projects.periods import Period

        period = Period(self.year, self.quarter)
        last = period.previous_year()
        values = {
            "programme": self.programme_id,
            "previous": self.previous_id or 0,
            "year": self.year,
            "last_year": self.year - 1,
            "start": period.start,
            "end": period.end,
            "alone_start": period.alone_start,
            "last_end": last.end,
            "last_month": period.last_month,
            "first_alone_month": period.alone_months[0],
            "red_cut": self.red_below - Decimal("0.05"),
            "yellow_cut": self.yellow_below - Decimal("0.05"),
        }
        if connection.vendor == "sqlite":
            # Dates are ISO text on SQLite; decimals compare as numbers.
            values = {
                k: v.isoformat()
                if isinstance(v, dt.date)
                else str(v)
                if isinstance(v, Decimal)
                else v
                for k, v in values.items()
            }
        return values


def _plan(measure: str, quarters) -> str:
    return " + ".join(f"qp.{measure}_q{q}" for q in quarters)


def _members(alias: str = "p", programme: str = "%(programme)s", end: str = "%(end)s") -> str:
    return (
        f"{alias}.programme_id = {programme} AND {alias}.joined_on <= {end} "
        f"AND ({alias}.withdrawn_on IS NULL OR {alias}.withdrawn_on > {end})"
    )


def _starts() -> str:
    new = "p.kind = 'new'"
    started = f"{new} AND p.actual_start >= %(start)s AND p.actual_start <= %(end)s"
    q_started = f"{new} AND p.actual_start >= %(alone_start)s AND p.actual_start <= %(end)s"
    not_started = "(p.actual_start IS NULL OR p.actual_start > %(end)s)"
    conditions = {
        "planned": f"{new} AND p.planned_start >= %(start)s AND p.planned_start <= %(end)s",
        "actual": started,
        "early": f"{started} AND p.planned_start > %(end)s",
        "overdue": f"{new} AND p.planned_start <= %(end)s AND {not_started}",
        "quarter_planned": f"{new} AND p.planned_start >= %(alone_start)s "
        "AND p.planned_start <= %(end)s",
        "quarter_actual": q_started,
        "quarter_early": f"{q_started} AND p.planned_start > %(end)s",
        "quarter_overdue": f"{new} AND p.planned_start >= %(alone_start)s "
        f"AND p.planned_start <= %(end)s AND {not_started}",
    }
    return ",\n".join(
        f"COUNT(*) FILTER (WHERE {condition}) AS starts_{name}"
        for name, condition in conditions.items()
    )


def _plan_sums(quarter: int) -> str:
    parts = []
    for m in MEASURES:
        parts += [
            f"SUM({_plan(m, range(1, quarter + 1))}) AS {m}_planned",
            f"SUM({_plan(m, (1, 2, 3, 4))}) AS {m}_annual_plan",
            f"SUM(qp.{m}_q{quarter}) AS {m}_quarter_planned",
        ]
    return ",\n".join(parts)


def _progress_sums() -> str:
    parts = []
    for m in MEASURES:
        parts += [
            f"SUM(mp.{m}) AS {m}_actual",
            f"SUM(mp.{m}) FILTER (WHERE mp.month >= %(first_alone_month)s) AS {m}_quarter_actual",
        ]
    return ",\n".join(parts)


def headline_sql(quarter: int) -> str:
    """a: one statement for the headline, last year's actuals included."""
    return f"""
WITH plan AS (
  SELECT COUNT(*) AS projects, {_starts()}, {_plan_sums(quarter)}
  FROM projects_project p
  LEFT JOIN projects_quarterplan qp ON qp.project_id = p.id AND qp.year = %(year)s
  WHERE {_members()}
), progress AS (
  SELECT {_progress_sums()}
  FROM projects_monthlyprogress mp JOIN projects_project p ON p.id = mp.project_id
  WHERE {_members()} AND mp.year = %(year)s AND mp.month <= %(last_month)s
), last_year AS (
  SELECT SUM(mp.investment) AS previous_investment, SUM(mp.inclusion) AS previous_inclusion
  FROM projects_monthlyprogress mp JOIN projects_project p ON p.id = mp.project_id
  WHERE {_members(programme="%(previous)s", end="%(last_end)s")}
    AND mp.year = %(last_year)s AND mp.month <= %(last_month)s
)
SELECT * FROM plan, progress, last_year
"""


def units_sql(quarter: int) -> str:
    """b: one statement for the per-unit breakdown."""
    return f"""
WITH plan AS (
  SELECT p.unit_id, COUNT(*) AS projects, {_starts()}, {_plan_sums(quarter)}
  FROM projects_project p
  LEFT JOIN projects_quarterplan qp ON qp.project_id = p.id AND qp.year = %(year)s
  WHERE {_members()}
  GROUP BY p.unit_id
), progress AS (
  SELECT p.unit_id, {_progress_sums()}
  FROM projects_monthlyprogress mp JOIN projects_project p ON p.id = mp.project_id
  WHERE {_members()} AND mp.year = %(year)s AND mp.month <= %(last_month)s
  GROUP BY p.unit_id
)
SELECT u.code AS key, u.name, plan.*, progress.*
FROM plan JOIN projects_unit u ON u.id = plan.unit_id
LEFT JOIN progress ON progress.unit_id = plan.unit_id
ORDER BY u.sort_order, u.code
"""


def project_sums_sql() -> str:
    """c: each project's year-to-date and quarter-alone sums, one grouped pass."""
    return f"""
SELECT p.code, {_progress_sums()}
FROM projects_monthlyprogress mp JOIN projects_project p ON p.id = mp.project_id
WHERE {_members()} AND mp.year = %(year)s AND mp.month <= %(last_month)s
GROUP BY p.code
"""


def table_sql(quarter: int) -> str:
    """d: every column of the project table, all rows, in code order."""
    ytd = {m: f"COALESCE({_plan(m, range(1, quarter + 1))}, 0)" for m in MEASURES}

    status = """CASE
      WHEN p.kind = 'continuing' THEN 'continuing'
      WHEN p.kind = 'new' AND p.actual_start >= %(start)s AND p.actual_start <= %(end)s
           AND p.planned_start > %(end)s THEN 'early'
      WHEN p.actual_start <= %(end)s THEN 'started'
      WHEN p.planned_start <= %(end)s THEN 'overdue'
      ELSE 'not_due' END"""
    plan_columns = ",\n".join(
        f"{ytd[m]} AS {m}_planned, COALESCE({_plan(m, (1, 2, 3, 4))}, 0) AS {m}_annual_plan, "
        f"COALESCE(qp.{m}_q{quarter}, 0) AS {m}_quarter_planned, "
        f"COALESCE(pr.{m}_actual, 0) AS {m}_actual, "
        f"COALESCE(pr.{m}_quarter_actual, 0) AS {m}_quarter_actual"
        for m in MEASURES
    )
    # The latest non-empty image of the window in the same grouped pass: the greatest
    # "<month + 10><text>" string (two digits first, so months order as text), minus the digits.
    latest = (
        "SUBSTR(MAX(CASE WHEN mp.image_progress <> '' "
        "THEN CAST(mp.month + 10 AS TEXT) || mp.image_progress END), 3)"
    )
    return f"""
WITH pr AS (
  SELECT mp.project_id, {_progress_sums()}, {latest} AS latest_image
  FROM projects_monthlyprogress mp JOIN projects_project p ON p.id = mp.project_id
  WHERE {_members()} AND mp.year = %(year)s AND mp.month <= %(last_month)s
  GROUP BY mp.project_id
)
SELECT p.code, p.name, u.name AS unit, s.name AS street, c.name AS category, p.kind,
       p.planned_start, p.actual_start,
       {status} AS start_status,
       COALESCE(pr.latest_image, p.image_progress) AS latest_image,
       {plan_columns}
FROM projects_project p
JOIN projects_unit u ON u.id = p.unit_id
JOIN projects_street s ON s.id = p.street_id
JOIN projects_category c ON c.id = p.category_id
LEFT JOIN projects_quarterplan qp ON qp.project_id = p.id AND qp.year = %(year)s
LEFT JOIN pr ON pr.project_id = p.id
WHERE {_members()}
ORDER BY p.code
"""


FLOORS = {
    "a": ("headline", headline_sql),
    "b": ("per-unit breakdown", units_sql),
    "c": ("per-project YTD sums", lambda quarter: project_sums_sql()),
    "d": ("every column of the project table", table_sql),
}


def run(key: str, window: Window) -> list[dict]:
    """One floor's rows, as dicts (what a hand-written report would hold)."""
    sql = FLOORS[key][1](window.quarter)
    with connection.cursor() as cursor:
        cursor.execute(sql, window.params)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


# ---------------------------------------------------------------- agreement with the app


def _money(value) -> Decimal:
    return as_money(value)


def _figures(values: dict, measure: str) -> tuple:
    return tuple(_money(values.get(f"{measure}_{part}")) for part in FIGURES)


def _app_figures(figures) -> tuple:
    return tuple(getattr(figures, part) for part in FIGURES)


def check_against_app(report, window: Window) -> list[str]:  # noqa: C901
    """Where the floors and the app's report differ (empty: they agree on every figure)."""
    problems = []
    head = run("a", window)[0]
    h = report.headline
    if head["projects"] != h.projects:
        problems.append(f"a: {head['projects']} projects, app {h.projects}")
    for name in ("planned", "actual", "early", "overdue"):
        for key in (name, f"quarter_{name}"):
            if (head[f"starts_{key}"] or 0) != getattr(h.starts, key):
                problems.append(
                    f"a: starts {key} {head[f'starts_{key}']}, app {getattr(h.starts, key)}"
                )
    for measure in MEASURES:
        if _figures(head, measure) != _app_figures(getattr(h, measure)):
            problems.append(f"a: {measure} {_figures(head, measure)}, app {getattr(h, measure)}")
        previous = getattr(h, f"{measure}_outlook").previous_actual
        if previous is not None and _money(head[f"previous_{measure}"]) != previous:
            problems.append(
                f"a: last year's {measure} {head[f'previous_{measure}']}, app {previous}"
            )
    units = {row["key"]: row for row in run("b", window)}
    if set(units) != {row.key for row in report.by_unit}:
        problems.append("b: not the app's units")
    for row in report.by_unit:
        floor = units.get(row.key)
        if floor is None:
            continue
        for measure in MEASURES:
            if _figures(floor, measure) != _app_figures(getattr(row, measure)):
                problems.append(f"b: unit {row.key} {measure} differs")
        if floor["projects"] != row.projects or floor["starts_overdue"] != row.starts.overdue:
            problems.append(f"b: unit {row.key} counts differ")
    sums = {row["code"]: row for row in run("c", window)}
    table = {row["code"]: row for row in run("d", window)}
    if set(table) != {r.code for r in report.rows}:
        problems.append("d: not the app's projects")
    for row in report.rows:
        for measure in MEASURES:
            app = getattr(row, measure)
            s = sums.get(row.code, {})
            if (_money(s.get(f"{measure}_actual")), _money(s.get(f"{measure}_quarter_actual"))) != (
                app.actual,
                app.quarter_actual,
            ):
                problems.append(f"c: {row.code} {measure} differs")
            if row.code in table and _figures(table[row.code], measure) != _app_figures(app):
                problems.append(f"d: {row.code} {measure} differs")
        floor = table.get(row.code)
        if floor is None:
            continue
        for key, app in (
            ("start_status", row.start_status),
            ("latest_image", row.image_progress),
        ):
            if (floor[key] or "") != (app or ""):
                problems.append(f"d: {row.code} {key} {floor[key]!r}, app {app!r}")
    return problems[:20]
