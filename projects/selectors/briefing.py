"""The briefing's typed content, built from the report's result plus three small queries.

Nothing here sums an amount: every figure comes from ``QuarterlyReport``;
the campaigns are counts over the report's own rows, so a filtered briefing
counts the same projects as the filtered report.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, F, Q
from django.utils import timezone

from ..choices import Light, StartStatus
from ..filters import applied_filters, filters_key
from ..models import CampaignCount, MonthlyProgress, Programme, Project, Tag
from ..models.tags import category_names
from ..periods import Period
from ..permissions import restrict
from ..ranking import Ranking
from ..scope_labels import WHOLE_LIST, Scope, describe
from . import compiled
from .indicators import IndicatorProgress, indicator_progress
from .queries import RATE_FILTERS, filter_projects, members, start_conditions
from .report import filtered_rows, quarterly_report
from .report_cache import figure_filters, kept_for
from .results import LightReason, ProjectRow, QuarterlyReport
from .scores import UnitScore, unit_scores

STARTED = {StartStatus.STARTED, StartStatus.EARLY, StartStatus.CONTINUING}


@dataclass(frozen=True)
class Campaign:
    """One special campaign's projects within the report's scope and how far they are."""

    name: str
    projects: int
    started: int
    early: int
    completed: int
    # A campaign with its own counts (``CampaignCount``): ``projects`` is then the items
    # launched, most of them not listed projects. Whole-district figures, as entered.
    counted: bool = False
    target: int | None = None
    categories: tuple[str, ...] = ()
    design_done: int = 0
    # The month the counts stand at.
    month: int | None = None

    @property
    def all_started(self) -> bool:
        return self.projects > 0 and self.started == self.projects


def counted_campaigns(year: int, last_month: int) -> tuple[Campaign, ...]:
    """Each campaign's latest entered counts up to ``last_month``, in tag order; one query.

    Shown with the tag-based campaigns, in their place where a tag has both: the counts
    cover every item, the listed projects among them.
    """
    counts = CampaignCount.objects.all()
    # Read as values, its statement built once per year and month (a computed report page's).
    rows = compiled.rows_of(
        ("counted campaigns", year, last_month, counts.db),
        lambda: counts.filter(year=year, month__lte=last_month)
        .order_by("tag__sort_order", "tag__name", "month")
        .values(
            "tag_id", "tag__name", "tag__target", "tag__categories", "month",
            "launched", "design_done", "started", "early", "completed",
        ),
    )  # fmt: skip
    latest = {}
    for row in rows:
        latest[row["tag_id"]] = row  # later months overwrite earlier ones
    return tuple(
        Campaign(
            name=row["tag__name"],
            projects=row["launched"],
            started=row["started"],
            early=row["early"],
            completed=row["completed"],
            counted=True,
            target=row["tag__target"],
            categories=category_names(row["tag__categories"]),
            design_done=row["design_done"],
            month=row["month"],
        )
        for row in latest.values()
    )


def page_campaigns(programme, report: QuarterlyReport, filters, *, user) -> tuple[Campaign, ...]:
    """The report page's campaigns: a published edition's as it stored them (no query over
    the list), else counted now in one grouped query with the entered counts merged."""
    if report.edition is not None and report.edition.key is not None:
        return briefing_from_report(report).campaigns
    period = report.period
    # Kept per data version as the report's figures are, under the same parts of a key: the
    # projects' tags and dates, the entered counts and, under a light filter, the window's
    # monthly figures are all versioned rows.
    return kept_for(
        "campaigns",
        years=[period.year],
        months=[(period.year, m) for m in period.months],
        parts=[
            programme.pk,
            dataclasses.astuple(period),
            figure_filters(filters),
            str(restrict(user, "report")),
            report.plan_basis,
        ],
        classes=[Campaign],
        compute=lambda: with_counted(
            campaign_counts(programme, period, filters, user=user), report
        ),
    )


def with_counted(campaigns: tuple[Campaign, ...], report: QuarterlyReport) -> tuple[Campaign, ...]:
    """The tag-based campaigns with the entered counts: a counted campaign replaces its tag's
    row and one with no listed project is added (no longer hidden). A filtered or partial
    report keeps to its own rows: entered counts are the whole district's."""
    if report.filtered or report.partial:
        return campaigns
    counted = {c.name: c for c in counted_campaigns(report.year, report.period.last_month)}
    merged = [counted.pop(c.name, c) for c in campaigns]
    return (*merged, *counted.values())


@dataclass(frozen=True)
class Highlight:
    """A featured project (重点展示) with its latest image progress in the period."""

    code: str
    name: str
    unit: str
    image_progress: str


@dataclass(frozen=True)
class Lagging:
    """A yellow or red project with the problem its unit last stated in the period."""

    code: str
    name: str
    unit: str
    light: str
    rate: Decimal | None
    overdue: bool
    problem: str
    # Why its light is lit (``lights``); empty in editions published before reasons.
    reasons: tuple[LightReason, ...] = ()


@dataclass(frozen=True)
class Briefing:
    """Everything the 通报 says for one period and scope."""

    report: QuarterlyReport
    district: str
    list_name: str
    filter_labels: tuple[str, ...]
    unit_filter: str | None
    campaigns: tuple[Campaign, ...]
    highlights: tuple[Highlight, ...]
    red: tuple[Lagging, ...]
    yellow: tuple[Lagging, ...]
    issued_on: dt.date
    issuer: str
    number_prefix: str
    # District indicators (区级指标) of the whole district; none in a filtered or partial one,
    # and none in editions published before indicators were kept.
    indicators: tuple[IndicatorProgress, ...] = ()
    # The units' scores (考核, ``selectors.scores``) of the whole district; none in a filtered
    # or partial briefing, and none in editions published before scores were kept.
    scores: tuple[UnitScore, ...] = ()

    @property
    def unit_ranking(self) -> Ranking:
        return self.report.unit_ranking

    @property
    def period(self):
        return self.report.period


def list_name(report: QuarterlyReport) -> str:
    """市级攻坚项目: the programme's name without its year."""
    name = report.programme_name
    prefix = f"{report.year}年"
    return name[len(prefix) :] if name.startswith(prefix) else name


def campaigns_of(programme_code: str, rows: tuple[ProjectRow, ...], end: dt.date):
    """Per tag, counts over the report's rows; one query for the memberships.

    Campaigns (专项) are the tags without a group: a 专班 (a tag of a group) is a task
    force the report breaks down by, not a campaign the 通报 counts.
    """
    by_code = {row.code: row for row in rows}
    members = (
        Tag.projects.through.objects.filter(
            project__programme__code=programme_code, tag__group__isnull=True
        )
        .order_by("tag__sort_order", "tag__name", "project__code")
        .values_list("tag__name", "project__code", "project__actual_completion")
    )
    counts: dict[str, list[int]] = {}
    for name, code, completed_on in members:
        row = by_code.get(code)
        if row is None:
            continue
        tally = counts.setdefault(name, [0, 0, 0, 0])
        tally[0] += 1
        tally[1] += row.start_status in STARTED
        tally[2] += row.start_status == StartStatus.EARLY
        tally[3] += completed_on is not None and completed_on <= end
    return tuple(Campaign(name, *tally) for name, tally in counts.items())


def campaign_counts(
    programme: Programme, period: Period, filters: Mapping | None = None, *, user
) -> tuple[Campaign, ...]:
    """The campaigns of ``campaigns_of`` counted in one grouped query over the report's rows.

    For the report page, which holds one page of rows rather than all of them;
    the same start statuses and the same filters, so the same counts.
    """
    reach = restrict(user, "report")
    if filters and any(filters.get(name) for name in RATE_FILTERS):
        # A light or status filter needs each project's figures: the annotated rows.
        rows, _ = filtered_rows(programme, period, filters, user=user)
        started = Q(start_status__in=STARTED)
        early = Q(start_status=StartStatus.EARLY)
        shape = None
    else:
        # The start status from the dates alone, as ``report_queryset`` derives it.
        # Built once per shape (``compiled.rows_of``): the list, period, reach and filters.
        shape = (
            "campaign counts", programme.pk, dataclasses.astuple(period), str(reach),
            filters_key(applied_filters(filters)), Project.objects.db,
        )  # fmt: skip
        rows = None
        started = Q(kind=Project.Kind.CONTINUING) | Q(actual_start__lte=period.end)
        early = start_conditions(period)["early"]

    def grouped():
        projects = rows
        if projects is None:
            projects = filter_projects(members(programme, period.end), filters)[0].filter(reach)
        return (
            projects.filter(tags__isnull=False, tags__group__isnull=True)
            .values(tag=F("tags__name"), tag_order=F("tags__sort_order"))
            .annotate(
                projects=Count("pk"),
                started=Count("pk", filter=started),
                early=Count("pk", filter=early),
                completed=Count("pk", filter=Q(actual_completion__lte=period.end)),
            )
            .order_by("tag_order", "tag")
        )

    return tuple(
        Campaign(g["tag"], g["projects"], g["started"], g["early"], g["completed"])
        for g in compiled.rows_of(shape, grouped)
    )


def report_counted_campaigns(report: QuarterlyReport) -> tuple[Campaign, ...]:
    """The campaigns with entered counts a report's files carry: as published for an edition
    (its stored briefing), else as entered now; none for a filtered or partial report."""
    if report.edition is not None and report.edition.key is not None:
        from .editions import decoded_briefing  # reads this module's classes back

        return tuple(c for c in decoded_briefing(report.edition.key).campaigns if c.counted)
    return with_counted((), report)


def highlights_of(programme_code: str, rows: tuple[ProjectRow, ...]) -> tuple[Highlight, ...]:
    featured = set(
        Project.objects.filter(programme__code=programme_code, highlighted=True).values_list(
            "code", flat=True
        )
    )
    return tuple(
        Highlight(code=r.code, name=r.name, unit=r.unit, image_progress=r.image_progress)
        for r in rows
        if r.code in featured
    )


def lagging_of(programme_code: str, report: QuarterlyReport):
    """Red and yellow projects, lowest rate first, each with its latest stated problem."""
    period = report.period
    problems = dict(
        MonthlyProgress.objects.filter(
            project__programme__code=programme_code, year=period.year, month__in=period.months
        )
        .exclude(problems="")
        .order_by("project__code", "month")
        .values_list("project__code", "problems")
    )
    lists = {Light.RED: [], Light.YELLOW: []}
    for row in report.rows:
        if row.light not in lists:
            continue
        lists[row.light].append(
            Lagging(
                code=row.code,
                name=row.name,
                unit=row.unit,
                light=row.light,
                rate=row.investment.rate,
                overdue=row.start_status == StartStatus.OVERDUE,
                problem=problems.get(row.code, "").strip(),
                reasons=row.light_reasons,
            )
        )
    for items in lists.values():
        # No rate (nothing planned yet) sorts first: those are the overdue starts.
        items.sort(key=lambda item: (item.rate is not None, item.rate or 0, item.code))
    return tuple(lists[Light.RED]), tuple(lists[Light.YELLOW])


def briefing_from_report(
    report: QuarterlyReport, scope: Scope = WHOLE_LIST, *, issued_on: dt.date | None = None
) -> Briefing:
    """The briefing of a computed report: five more queries (tags, campaigns' entered counts,
    featured, problems and, for the whole district, its indicators), and two for the whole
    district's unit scores (the formula, funds and completions by unit) and one per count an
    app registers (overdue problems).

    A published edition's report has its briefing stored with it: that one, as sent.
    """
    if report.edition is not None and report.edition.key is not None:
        from .editions import decoded_briefing  # reads this module's classes back

        return dataclasses.replace(decoded_briefing(report.edition.key), report=report)
    code = report.programme_code
    red, yellow = lagging_of(code, report)
    return Briefing(
        report=report,
        district=settings.TRACKER_DISTRICT,
        list_name=list_name(report),
        filter_labels=scope.labels,
        unit_filter=scope.unit,
        campaigns=with_counted(campaigns_of(code, report.rows, report.period.end), report),
        highlights=highlights_of(code, report.rows),
        red=red,
        yellow=yellow,
        issued_on=issued_on or timezone.localdate(),
        issuer=settings.BRIEFING_ISSUER,
        number_prefix=settings.BRIEFING_NUMBER_PREFIX,
        indicators=(
            ()
            if scope.labels or report.partial
            else indicator_progress(report.year, report.period.last_month)
        ),
        scores=() if scope.labels or report.partial else unit_scores(report),
    )


def build_briefing(
    *,
    user,
    programme: Programme,
    year: int,
    quarter: int | None = None,
    month: int | None = None,
    filters: Mapping | None = None,
    issued_on: dt.date | None = None,
) -> Briefing:
    """The briefing of a quarter (or of January to a month), for the list or a filtered part."""
    report = quarterly_report(
        user=user, programme=programme, year=year, quarter=quarter, month=month, filters=filters
    )
    return briefing_from_report(report, describe(filters), issued_on=issued_on)
