"""Reading published editions: which one a request asks for, its report, what changed since.

A published period's page, print view, files and 通报 read the edition rather than
the live rows, so what was sent upward never moves. The live figures stay one
link away (``?edition=live``) and the edition lists every later correction.

An edition never changes once written, so a decoded one is kept in memory by its
primary key: a published period's page then costs the editions' list, the
corrections' history and no arithmetic.
"""

from __future__ import annotations

import dataclasses
from collections import OrderedDict
from collections.abc import Mapping
from typing import TYPE_CHECKING

from django.http import Http404
from django.utils.translation import gettext as _

from ..models import MonthlyProgress, Programme, PublishedEdition, period_key
from ..periods import Period
from . import compiled
from .queries import sort_key
from .results import Correction, EditionInfo, QuarterlyReport, RowWindow

if TYPE_CHECKING:
    from .briefing import Briefing

EDITION_PARAMETER = "edition"
LIVE = "live"
# Decoded editions kept per process; an edition of 20,000 rows is some tens of megabytes.
CACHED_EDITIONS = 4
_decoded: OrderedDict[str, Briefing] = OrderedDict()

# What a correction names: the figures an edition shows for each project.
CORRECTED_FIELDS = {
    "investment": "完成投资",
    "inclusion": "纳统额",
    "image_progress": "形象进度",
}


def edition_choice(filters: Mapping | None) -> int | str | None:
    """The edition asked for: a number, ``LIVE`` for the live figures, or None (the latest)."""
    value = (filters or {}).get(EDITION_PARAMETER) or ""
    if value == LIVE:
        return LIVE
    if value.isdigit() and 0 < int(value) < 10_000:
        return int(value)
    if value:
        raise Http404(_("There is no edition %(edition)s of this period.") % {"edition": value})
    return None


def _publisher(edition: Mapping):
    """The person who published an edition read as values, as a user whose names ``_who``
    reads (neither saved nor fetched: its columns came with the edition's)."""
    if edition["published_by_id"] is None:
        return None
    from django.contrib.auth import get_user_model

    return get_user_model()(
        pk=edition["published_by_id"],
        username=edition["published_by__username"],
        first_name=edition["published_by__first_name"],
        last_name=edition["published_by__last_name"],
    )


def _who(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def decoded_briefing(token) -> Briefing:
    """The edition's briefing, decoded once per process (editions never change)."""
    key = str(token)
    if key in _decoded:
        _decoded.move_to_end(key)
        return _decoded[key]
    from .snapshot import decode  # the result classes' module imports this one

    content = PublishedEdition.objects.values_list("content", flat=True).get(token=token)
    briefing = decode(content)
    _decoded[key] = briefing
    while len(_decoded) > CACHED_EDITIONS:
        _decoded.popitem(last=False)
    return briefing


def later_changes(programme: Programme, period: Period, since) -> tuple[Correction, ...]:
    """Every change of a figure of the period's months recorded after ``since``, oldest first.

    Two queries: the changed rows' history since then (and each row's record just before,
    to tell what the figure was), with project and person joined.
    """
    history = MonthlyProgress.history.filter(
        project__programme=programme, year=period.year, month__in=period.months
    )
    changed = history.filter(history_date__gt=since).values("id")
    records = list(
        history.filter(id__in=changed)
        .select_related("project", "history_user")
        .order_by("id", "history_date", "history_id")
    )
    out: list[Correction] = []
    before: dict[int, object] = {}
    for record in records:
        previous = before.get(record.id)
        before[record.id] = None if record.history_type == "-" else record
        if record.history_date <= since:
            continue
        for field, label in CORRECTED_FIELDS.items():
            old = "" if previous is None else str(getattr(previous, field) or "")
            new = "" if record.history_type == "-" else str(getattr(record, field) or "")
            if old == new:
                continue
            out.append(
                Correction(
                    when=record.history_date,
                    who=_who(record.history_user),
                    code=record.project.code if record.project else "",
                    name=record.project.name if record.project else "",
                    field=label,
                    month=record.month,
                    before=old,
                    after=new,
                    reason=record.history_change_reason or "",
                )
            )
    out.sort(key=lambda c: (c.when, c.code, c.month))
    return tuple(out)


def published_briefing(
    programme: Programme, period: Period, choice: int | str | None
) -> Briefing | None:
    """The briefing of the edition asked for, its report carrying ``EditionInfo``; None when the
    period has no edition (or the live figures were asked for).

    404 for an edition number the period does not have.
    """
    if choice == LIVE:
        return None
    # Every report page asks, most of them of a period with no edition: the statement is
    # built once per list and period, and reads the columns shown, not the models.
    published = PublishedEdition.objects.all()
    key = period_key(period)
    editions = compiled.rows_of(
        ("editions", programme.pk, key, published.db),
        lambda: (
            published.filter(programme=programme, period=key)
            .order_by("-number")
            .values(
                "number",
                "published_at",
                "reason",
                "token",
                "published_by_id",
                "published_by__username",
                "published_by__first_name",
                "published_by__last_name",
            )  # fmt: skip
        ),
    )
    if not editions:
        if choice is not None:
            raise Http404(_("This period has not been published yet."))
        return None
    chosen = (
        editions[0]
        if choice is None
        else next((e for e in editions if e["number"] == choice), None)
    )
    if chosen is None:
        raise Http404(_("There is no edition %(edition)s of this period.") % {"edition": choice})
    briefing = decoded_briefing(chosen["token"])
    # Corrections after the newest edition are what no edition carries yet.
    info = EditionInfo(
        number=chosen["number"],
        published_at=chosen["published_at"],
        published_by=_who(_publisher(chosen)),
        reason=chosen["reason"],
        editions=tuple((e["number"], e["published_at"]) for e in editions),
        later_changes=later_changes(programme, period, chosen["published_at"]),
        key=str(chosen["token"]),
    )
    return dataclasses.replace(briefing, report=dataclasses.replace(briefing.report, edition=info))


# ---------------------------------------------------------------- a page of an edition's rows


def _other_plan(figures):
    if figures.planned == figures.baseline_planned:
        return figures.adjusted_planned
    return figures.baseline_planned


# The report's sort columns (``queries.SORTS``) read from a stored row.
ROW_SORTS = {
    "code": lambda r: r.code,
    "name": lambda r: r.name,
    "unit": lambda r: r.unit,
    "street": lambda r: r.street,
    "category": lambda r: r.category,
    "kind": lambda r: r.kind,
    "planned_start": lambda r: r.planned_start,
    "actual_start": lambda r: r.actual_start,
    "start_status": lambda r: r.start_status,
    "investment_planned": lambda r: r.investment.planned,
    "investment_other_plan": lambda r: _other_plan(r.investment),
    "investment_actual": lambda r: r.investment.actual,
    "investment_rate": lambda r: r.investment.rate,
    "inclusion_planned": lambda r: r.inclusion.planned,
    "inclusion_actual": lambda r: r.inclusion.actual,
    "inclusion_rate": lambda r: r.inclusion.rate,
    "light": lambda r: r.light,
}


def sorted_edition_rows(rows, sort: str | None) -> list:
    """The rows in the order SQL gives the live report: the column, nulls last, ties by code."""
    sort = sort_key(sort)
    name, descending = sort.removeprefix("-"), sort.startswith("-")
    key = ROW_SORTS[name]
    if name == "code" and not descending:
        # Stored in code order already: the default page costs no sort of the whole list.
        return list(rows)
    by_code = sorted(rows, key=lambda r: r.code, reverse=descending and name == "code")
    if name == "code":
        return by_code
    present = [r for r in by_code if key(r) is not None]
    absent = [r for r in by_code if key(r) is None]
    present.sort(key=key, reverse=descending)
    return present + absent


def edition_report(
    briefing: Briefing, *, window: RowWindow | None = None, sort: str | None = None
) -> QuarterlyReport:
    """The edition's report with every row in ``sort`` order, or one page of them."""
    report = briefing.report
    if report.edition is not None and report.edition.key and report.kept_as is None:
        # An edition never changes: what is derived from its figures (the page's folds) is
        # kept under its own token, as live figures' is under their data versions.
        report = dataclasses.replace(report, kept_as=f"edition:{report.edition.key}")
    if window is None:
        if sort_key(sort) == "code":
            return report
        return dataclasses.replace(report, rows=tuple(sorted_edition_rows(report.rows, sort)))
    page = window.page_of(report.headline.projects, sort_key(window.sort))
    start = (page.number - 1) * page.per_page
    ordered = tuple(sorted_edition_rows(report.rows, page.sort))
    # A short list carries every row too, as the live report does, for printing the page.
    every_row = ordered if report.headline.projects <= window.every_row_up_to else None
    rows = ordered[start : start + page.per_page]
    return dataclasses.replace(report, rows=rows, row_page=page, every_row=every_row)
