"""A project's warning light: a set of signals, each with the reason the office can defend.

Five signals, each a level (0 none, 1 yellow, 2 red) computed in SQL with the report's
rows, so sorting, filtering and counting by light stay in the database:

- ``start_late``: a new start not begun by the report's date, its planned start slipped
  ``start_yellow_months`` (yellow) or ``start_red_months`` (red) whole months (银川: 1, 3);
- ``behind_time``: the investment against the calendar (时序进度 = months ÷ 12), in the
  style the settings choose: points behind (银川: 10 yellow, more than 30 red), share of
  the time elapsed (武汉: below 80% yellow, below 60% red), or the tracker's first rule,
  the year-to-date plan's completion rate (below ``yellow_below`` / ``red_below``); the
  old cut-off is folded in here as the third style rather than kept as a sixth signal;
- ``not_in_stats``: started, 计划总投资 at least the floor, and not in the statistics
  library after the dispatch settings' months (the 入库 rule of ``milestones.selectors``);
- ``node_overdue``: a node past its planned date and not done (the nodes' ``late_q``);
  overdue by more than ``node_red_days``, red;
- ``manual``: a manager's own flag (``WarningFlag``) from its date on.

The light is the highest level. Every signal reads the report as of its date: the
period's end, or today while the period is still running (a node due next week is not
late yet). ``reasons_of`` turns a row's levels back into the words the page, the print
view, the files, the 通报 and the JSON show; they are the office's Chinese wording, as
the files' labels are, and an edition keeps them as they were sent.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal

from django.db.models import (
    Case,
    CharField,
    DateField,
    DecimalField,
    F,
    Func,
    IntegerField,
    Min,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Greatest
from django.db.models.lookups import IsNull, LessThan, LessThanOrEqual
from django.utils import timezone
from django_cte import CTE

from ..choices import Light, ProgressStyle, Reason
from ..milestones.models import Milestone
from ..milestones.selectors import late_q, library_lag_q, months_before, months_between
from ..models import DispatchSettings, Project, ReportSettings
from ..money import points_vs_time, projected_rate
from ..periods import Period
from .results import Figures, LightReason

NONE, YELLOW, RED = 0, 1, 2
SIGNALS = ("start", "progress", "library", "node", "manual")
LEVEL = IntegerField()
FACTOR = DecimalField(max_digits=16, decimal_places=4)
# Fields of the annotated rows that ``reasons_of`` reads (``project_rows.ROW_FIELDS`` adds them).
ROW_FIELDS = (
    *(f"{signal}_level" for signal in SIGNALS),
    "light_as_of",
    "light_style",
    "light_months",
    "node_late_since",
    "node_late_name",
    "warning_flag__reason",
    "warning_flag__since",
    "raw_planned_start",
    "raw_actual_start",
)


# ---------------------------------------------------------------- the plan-rate style


def rate_below(threshold: Decimal, measure: str = "investment"):
    """SQL test for "the rounded rate is below ``threshold``".

    Rates are shown rounded half up to one decimal, so a rate shows below T
    exactly when the unrounded rate is below T - 0.05; comparing that way keeps
    the light consistent with the figure printed beside it.
    """
    cut = Decimal(threshold) - Decimal("0.05")
    return Q(**{f"{measure}_planned__gt": 0}) & Q(
        LessThan(F(f"{measure}_actual") * 100, F(f"{measure}_planned") * Value(cut))
    )


def light_for_rate(rate: Decimal | None, yellow_below: Decimal, red_below: Decimal) -> str | None:
    """The light a shown rate earns by the thresholds alone (the breakdowns' bars); None
    with no plan. The same rule as ``rate_below``: a rate shown below T is below T."""
    if rate is None:
        return None
    if rate < red_below:
        return Light.RED
    if rate < yellow_below:
        return Light.YELLOW
    return Light.GREEN


# ---------------------------------------------------------------- the time-elapsed styles


def _share_at_most(constant: Decimal):
    """1200 × actual ≤ annual plan × ``constant``, with an annual plan to measure against."""
    return Q(investment_annual_plan__gt=0) & Q(
        LessThanOrEqual(
            F("investment_actual") * Value(Decimal(1200)),
            F("investment_annual_plan") * Value(constant, output_field=FACTOR),
        )
    )


def points_behind_at_least(points: Decimal, months: int):
    """The shown points behind the time elapsed (``money.points_vs_time``) are at least
    ``points``: exactly when the unrounded shortfall is at least ``points`` − 0.05.

    share − time ≤ −k reads 1200·actual ≤ plan·(100·months − 12·k), exact in decimals.
    """
    k = Decimal(points) - Decimal("0.05")
    return _share_at_most(100 * months - 12 * k)


def points_behind_above(points: Decimal, months: int):
    """The shown points behind exceed ``points`` (at least ``points`` + 0.1 shown)."""
    return points_behind_at_least(Decimal(points) + Decimal("0.1"), months)


def time_ratio_below(percent: Decimal, months: int):
    """The share of the time elapsed (``money.projected_rate``: share ÷ time) shows below
    ``percent``: 1200·actual < (percent − 0.05)·plan·months."""
    constant = (Decimal(percent) - Decimal("0.05")) * months
    return Q(investment_annual_plan__gt=0) & Q(
        LessThan(
            F("investment_actual") * Value(Decimal(1200)),
            F("investment_annual_plan") * Value(constant, output_field=FACTOR),
        )
    )


def progress_conditions(settings: ReportSettings, months: int) -> tuple[Q, Q]:
    """(red, yellow) conditions of the progress signal in the settings' style."""
    style = settings.progress_style
    if style == ProgressStyle.RATIO:
        return (
            time_ratio_below(settings.time_ratio_red_below, months),
            time_ratio_below(settings.time_ratio_yellow_below, months),
        )
    if style == ProgressStyle.PLAN:
        return rate_below(settings.red_below), rate_below(settings.yellow_below)
    return (
        points_behind_above(settings.behind_red_points, months),
        points_behind_at_least(settings.behind_yellow_points, months),
    )


# ---------------------------------------------------------------- the annotations


def _level(red: Q, yellow: Q) -> Case:
    return Case(
        When(red, then=Value(RED)),
        When(yellow, then=Value(YELLOW)),
        default=Value(NONE),
        output_field=LEVEL,
    )


def report_date(period: Period, today: dt.date | None = None) -> dt.date:
    """The day the signals read: the period's end, or today while it is still running."""
    return min(period.end, today or timezone.localdate())


def dispatch_of(settings: ReportSettings) -> DispatchSettings:
    """The 入库 thresholds beside the report's: read once per settings object (one query),
    however many times the report builds its rows."""
    cached = getattr(settings, "_dispatch", None)
    if cached is None:
        # Read, never created here: a report is a read, and a missing row means the defaults.
        stored = DispatchSettings.objects.filter(pk=1).first()
        cached = settings._dispatch = stored or DispatchSettings(pk=1)
    return cached


def late_nodes(period: Period, programme, only=None) -> CTE:
    """Per project of the list (of ``only``, project ids, when given): the planned date of
    its earliest node late at the report's date.

    A grouped pass joined to the rows, so the light reads a column. As a correlated subquery
    it was written out again wherever a later layer named it (the node's level, the light's
    red and yellow tests, the files' reasons): eight subplans a row, 330 ms of the 700 ms the
    files' rows took at 20,000 projects.
    """
    nodes = Milestone.objects.filter(project__programme=programme)
    if only is not None:
        nodes = nodes.filter(project__in=only)
    late = nodes.filter(late_q(report_date(period))).order_by().values("project_id")
    return CTE(late.annotate(since=Min("planned_date")), name="late_nodes", materialized=True)


def light_annotations(period: Period, settings: ReportSettings, late: CTE) -> tuple[dict, ...]:
    """Layers of annotations: the signals' inputs and levels, the node's level, the light.

    Each layer reads the names of the one before, so they are applied one after the other.
    ``late`` is ``late_nodes``, joined to the rows by the caller.
    """
    as_of = report_date(period)
    dispatch = dispatch_of(settings)
    months = period.months_elapsed
    not_started = Q(actual_start__isnull=True) | Q(actual_start__gt=as_of)

    def start_slipped(n: int) -> Q:
        return Q(kind=Project.Kind.NEW, planned_start__lte=months_before(as_of, n)) & not_started

    def library(n: int) -> Q:
        return library_lag_q(as_of, n, dispatch.library_min_investment)

    first_late = Milestone.objects.filter(late_q(as_of), project=OuterRef("pk")).order_by(
        "planned_date", "sort_order"
    )
    red_progress, yellow_progress = progress_conditions(settings, months)
    flagged = Q(warning_flag__since__lte=as_of)
    first = {
        "light_as_of": Value(as_of, output_field=DateField()),
        "light_style": Value(settings.progress_style, output_field=CharField()),
        "light_months": Value(months, output_field=IntegerField()),
        "raw_planned_start": F("planned_start"),
        "raw_actual_start": F("actual_start"),
        # The earliest late node: the one a reader chases first, and the longest overdue. Its
        # name is looked up only for the rows that have one.
        "node_late_since": late.col.since,
        "node_late_name": Case(
            When(
                IsNull(late.col.since, False),
                then=Subquery(first_late.values("name")[:1], output_field=CharField()),
            ),
            output_field=CharField(),
        ),
        "start_level": _level(
            start_slipped(settings.start_red_months), start_slipped(settings.start_yellow_months)
        ),
        "progress_level": _level(red_progress, yellow_progress),
        "library_level": _level(
            library(dispatch.library_red_months), library(dispatch.library_yellow_months)
        ),
        "manual_level": _level(
            flagged & Q(warning_flag__light=Light.RED),
            flagged & Q(warning_flag__light=Light.YELLOW),
        ),
    }
    red_node = as_of - dt.timedelta(days=settings.node_red_days)
    nodes = {
        "node_level": _level(Q(node_late_since__lt=red_node), Q(node_late_since__isnull=False))
    }
    light = {"light": LightOf(*(F(f"{signal}_level") for signal in SIGNALS))}
    return first, nodes, light


def light_case_sql(greatest: str) -> str:
    """The light of its signals' greatest level (SQL), the one home of ``LightOf`` and
    ``light_of_sql``: red at 2, yellow at 1, else green."""
    return (
        f"CASE {greatest} WHEN {RED} THEN '{Light.RED}' "
        f"WHEN {YELLOW} THEN '{Light.YELLOW}' ELSE '{Light.GREEN}' END"
    )


class LightOf(Func):
    """The light of its signals' levels: red when any is red, else yellow when any is
    yellow, else green, as ``CASE GREATEST(levels) WHEN 2 … WHEN 1 … ELSE … END``.

    A simple CASE reads its operand once. The searched form (``WHEN any level = 2 … WHEN
    any level = 1``) wrote every level's own CASE into the statement twice, and a level is
    never NULL (``_level`` defaults to none), so the greatest is the light."""

    template = light_case_sql("%(expressions)s")
    output_field = CharField()

    def __init__(self, *levels):
        super().__init__(Greatest(*levels) if len(levels) > 1 else levels[0])


def light_of_sql(levels: list[str]) -> str:
    """``LightOf`` over SQL expressions of the levels, in the order of ``SIGNALS``.

    For a statement over the report's rows that reads the levels as columns (the files'
    formatting SELECT): the light from them costs a GREATEST, where the rows' own ``light``
    column would compute all five levels a second time.
    """
    return f"({light_case_sql('GREATEST(' + ', '.join(levels) + ')')})"


# ---------------------------------------------------------------- the reasons in words


# The reasons' words, one template each, read by ``reasons_of`` and by its SQL twin
# ``reason_parts_sql``; "{}" is where the figure goes.
START_LATE_WORDS = "计划开工逾期{}个月"
NOT_IN_STATS_WORDS = "开工{}个月未入库"
NODE_OVERDUE_WORDS = "节点“{}”超期{}天"
MANUAL_WORDS = "人工标记：{}"
PROGRESS_WORDS = {
    ProgressStyle.RATIO: "仅达时序进度的{}%",
    ProgressStyle.PLAN: "累计投资完成率{}%",
    ProgressStyle.POINTS: "低于时序进度{}个百分点",
}


def _light(level: int) -> str:
    return Light.RED if level == RED else Light.YELLOW


def reasons_of(p: Mapping, investment: Figures) -> tuple[LightReason, ...]:
    """The non-green signals of one annotated row, in the order of ``SIGNALS``."""
    as_of = p["light_as_of"]
    if isinstance(as_of, str):  # a Value date read back by SQLite without its converter
        as_of = dt.date.fromisoformat(as_of)
    reasons = []
    if p["start_level"]:
        planned = p["raw_planned_start"]
        n = months_between(planned, as_of)
        reasons.append(
            LightReason(
                Reason.START_LATE, _light(p["start_level"]), START_LATE_WORDS.format(n), planned
            )
        )
    if p["progress_level"]:
        reasons.append(
            LightReason(
                Reason.BEHIND_TIME,
                _light(p["progress_level"]),
                progress_text(p["light_style"], investment, p["light_months"]),
                None,
            )
        )
    if p["library_level"]:
        started = p["raw_actual_start"]
        n = months_between(started, as_of)
        reasons.append(
            LightReason(
                Reason.NOT_IN_STATS,
                _light(p["library_level"]),
                NOT_IN_STATS_WORDS.format(n),
                started,
            )
        )
    if p["node_level"]:
        since = p["node_late_since"]
        days = (as_of - since).days
        reasons.append(
            LightReason(
                Reason.NODE_OVERDUE,
                _light(p["node_level"]),
                NODE_OVERDUE_WORDS.format(p["node_late_name"], days),
                since,
            )
        )
    if p["manual_level"]:
        reasons.append(
            LightReason(
                Reason.MANUAL,
                _light(p["manual_level"]),
                MANUAL_WORDS.format(p["warning_flag__reason"]),
                p["warning_flag__since"],
            )
        )
    return tuple(reasons)


def progress_text(style: str, investment: Figures, months: int) -> str:
    """The progress signal's words, with the figure the style judges by."""
    if style == ProgressStyle.RATIO:
        ratio = projected_rate(investment.actual, investment.annual_plan, months)
        return PROGRESS_WORDS[ProgressStyle.RATIO].format(ratio)
    if style == ProgressStyle.PLAN:
        return PROGRESS_WORDS[ProgressStyle.PLAN].format(investment.rate)
    behind = -points_vs_time(investment.actual, investment.annual_plan, months)
    return PROGRESS_WORDS[ProgressStyle.POINTS].format(behind)


def _num(value) -> str:
    """A threshold as the 通报 writes it: 10, 30, 80.5 (no trailing zeros)."""
    return f"{Decimal(value).normalize():f}"


def rule_text(settings: ReportSettings) -> str:
    """The 通报's sentence saying how lights are given, with the thresholds in force."""
    dispatch = dispatch_of(settings)
    style = settings.progress_style
    if style == ProgressStyle.RATIO:
        progress = (
            f"年度投资完成率不足时序进度的{_num(settings.time_ratio_yellow_below)}%亮黄灯、"
            f"不足{_num(settings.time_ratio_red_below)}%亮红灯"
        )
    elif style == ProgressStyle.PLAN:
        progress = (
            f"累计投资完成率低于{_num(settings.yellow_below)}%亮黄灯、"
            f"低于{_num(settings.red_below)}%亮红灯"
        )
    else:
        progress = (
            f"年度投资完成率落后时序进度{_num(settings.behind_yellow_points)}个百分点及以上"
            f"亮黄灯、超过{_num(settings.behind_red_points)}个百分点亮红灯"
        )
    return (
        f"按{progress}；计划开工逾期满{settings.start_yellow_months}个月亮黄灯、"
        f"满{settings.start_red_months}个月亮红灯；计划总投资"
        f"{_num(dispatch.library_min_investment)}万元及以上项目开工满"
        f"{dispatch.library_yellow_months}个月未入库亮黄灯、满{dispatch.library_red_months}个月"
        f"亮红灯；节点超期亮黄灯、超期超过{settings.node_red_days}天亮红灯；人工标记的按标记亮灯"
    )
