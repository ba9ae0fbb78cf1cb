"""Bumping the data versions: the one home of "the report's data changed".

The report cache (``selectors.report_cache``) keys each report by the versions of its
year, of the year before (last year's figures stand beside this year's) and of the data
every year reads. So every write of a row the report reads must bump those versions in
its own transaction, or a cached figure would outlive the row it came from.

It cannot be forgotten by a door: the report's source models are registered here (the
nested apps register theirs in their ``ready()``), and a ``post_save``/``post_delete``
receiver bumps for every save and delete of them, whatever service, form, import or
command made it (``m2m_changed`` for a project's tags). The few writes that bypass model
signals (``bulk_create``, ``QuerySet.update``, raw SQL) call ``touched`` themselves:
``services.batch``, ``services.bulk.update_in_bulk``, ``services.ledger``, the node
import and templates, ``generate_scale_data``. ``tests/services/test_data_versions.py``
lists every model of the app and fails on one that is neither registered nor named in
``NOT_READ`` with the reason.

A transaction bumps each row once: the rows it has bumped are kept among its on-commit
hooks, which Django drops exactly when the bump is undone (rollback, a savepoint rolled
back), as ``period_guard`` keeps its locks. The bump holds the row's lock until commit, so
two writes of one year serialize from their first bump on; a bump is the transaction's
last statements more often than not (``post_save``), so that wait is short.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db import connections, router
from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save

from tracker.request_memo import forget

from ..models import (
    EVERY_YEAR,
    CampaignCount,
    Category,
    DataVersion,
    DispatchSettings,
    EntryVersion,
    FundsInPlace,
    Leader,
    LightRecord,
    ListThresholds,
    MonthlyProgress,
    MonthSubmission,
    PeriodLock,
    Programme,
    Project,
    PublishedEdition,
    QuarterPlan,
    ReportSettings,
    Street,
    Tag,
    TagGroup,
    Unit,
    WarningFlag,
)
from ..models.reference import Industry
from ..models.versions import Bumped, bumped_here

# What a row touches: ("year", 2024), ("month", (2024, 12)), ("project", pk),
# ("programme", pk), ("every", 0), or ("entries", (project pk, year)): one project's entries
# of a year (``models.EntryVersion``), bumped beside their month.
Key = tuple[str, object]
Touches = Callable[[object], Iterable[Key]]

SOURCES: dict[type, Touches] = {}

# Models of the app the report never reads, each with the reason (the coverage test reads
# this). Historical models (django-simple-history) are apart: only a published edition's
# corrections read history, and editions are never cached.
NOT_READ = {
    "projects.ExportJob": "a background file's job, not ledger data",
    "projects.ShareLink": "who may download; the download reads the report live",
    "projects.ShareDownload": "a download's log line",
    "projects.Indicator": "the 123 ladder's indicators, a page of their own",
    "projects.IndicatorValue": "the 123 ladder's values, a page of their own",
    "projects.PlanChangeRequest": "a request; approving it saves the plan, which bumps",
    "projects.ScoringRule": "scores are computed from a report, outside it",
    "projects.DataVersion": "the versions themselves",
    "projects.EntryVersion": "the versions themselves",
    "coordination.Department": "a problem's department; the report shows none",
    "coordination.ProblemStep": "a problem's steps; its state is saved on the problem",
    "milestones.NodeTemplate": "applying templates saves nodes, which bump",
    "milestones.TemplateSet": "applying a set saves nodes, which bump",
    "attachments.LibraryDocument": "the 入库 checklist's files; the report reads the 入库 date",
    "attachments.Photo": "photos are shown beside the report (panels), not in its figures",
    "notifications.Notice": "in-app notices",
    "notifications.Robot": "group robots' addresses",
    "notifications.Delivery": "a message's delivery log",
    "notifications.Reminder": "reminders sent",
}


def by_year(obj) -> Iterable[Key]:
    return [("year", obj.year)]


def by_month(obj) -> Iterable[Key]:
    """A month's figures: the version of that month alone, and of its project's entries of
    the year (what reads one project's entries alone is kept by that). An entry never moves
    to another project or month (the admin shows those read-only; imports match rows by
    them), so its month is the one month whose reports read it: its list's reports read the
    list's year's rows only."""
    return [("month", (obj.year, obj.month)), ("entries", (obj.project_id, obj.year))]


def by_project(obj) -> Iterable[Key]:
    return [("project", obj.project_id)] if obj.project_id else []


def by_year_and_project(obj) -> Iterable[Key]:
    """A dated row of a project: its own year and its project's list's year (the same but
    for a row dated outside its list's year)."""
    return [*by_year(obj), *by_project(obj)]


def every_year(obj) -> Iterable[Key]:
    return [("every", EVERY_YEAR)]


def register(model, touches: Touches) -> None:
    """Make every save and delete of ``model`` bump what ``touches(row)`` names."""
    SOURCES[model] = touches
    uid = f"data-version:{model._meta.label}"
    post_save.connect(_saved, sender=model, weak=False, dispatch_uid=uid)
    post_delete.connect(_saved, sender=model, weak=False, dispatch_uid=uid)


def touched(model, rows: Iterable) -> None:
    """Bump for rows written without model signals (bulk paths), as their signals would."""
    keys = SOURCES[model]
    bump({key for row in rows for key in keys(row)}, model=model)


def bump(keys: Iterable[Key], *, model=DataVersion, using: str | None = None) -> None:
    """Add one to the versions ``keys`` name, once per transaction (one statement)."""
    # Every write of a source, bumping or not: what this request read (its settings rows
    # among them) may be what was just written (``tracker.request_memo``).
    forget()
    connection = connections[using or router.db_for_write(model)]
    keys = set(keys) - bumped_here(connection.alias)
    if not keys:
        return
    years = {n for kind, n in keys if kind in ("year", "every")}
    months = {n for kind, n in keys if kind == "month"}
    projects = sorted(n for kind, n in keys if kind == "project")
    programmes = sorted(n for kind, n in keys if kind == "programme")
    where = Q(pk__in=[])
    if projects:
        where |= Q(year__in=Project.objects.filter(pk__in=projects).values("programme__year"))
    if programmes:
        where |= Q(year__in=Programme.objects.filter(pk__in=programmes).values("year"))
    DataVersion.objects.using(connection.alias).bump(years=years, months=months, where=where)
    # After the year's and months' rows, projects in order: a second writer of the month
    # waits on the month's row before it holds any project's.
    entries = sorted(n for kind, n in keys if kind == "entries")
    if entries:
        EntryVersion.objects.using(connection.alias).bump(entries)
    if connection.in_atomic_block:
        connection.on_commit(Bumped(keys))


def _saved(sender, instance, **kwargs):
    bump(SOURCES[sender](instance), model=sender)


def _tags_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """A project's tags (专项) are a filter of the report: a change moves its list's year."""
    if not action.startswith("post_"):
        return
    if reverse or isinstance(instance, Project):
        bump([("project", instance.pk)], model=Project)
    elif pk_set:
        bump([("project", pk) for pk in pk_set], model=Project)
    else:
        bump([("every", EVERY_YEAR)], model=Project)  # a tag cleared: its projects are gone


def connect_ledger() -> None:
    """Register the ledger's own sources (the nested apps register theirs)."""
    register(MonthlyProgress, by_month)
    for model in (QuarterPlan, FundsInPlace):
        register(model, by_year_and_project)
    register(WarningFlag, by_project)
    # A locked month's lights: the report's turned-red list reads the previous end's.
    register(LightRecord, by_year)  # written per list and year, so its year is its list's
    for model in (MonthSubmission, PeriodLock, PublishedEdition, CampaignCount):
        register(model, by_year)
    for model in (
        Unit,
        Street,
        Category,
        Industry,
        Leader,
        Tag,
        TagGroup,
        ReportSettings,
        DispatchSettings,
    ):
        register(model, every_year)
    register(Programme, by_year)
    # A list's own light thresholds move its report: its programme's year.
    register(ListThresholds, lambda t: [("programme", t.programme_id)])
    register(Project, lambda p: [("programme", p.programme_id)] if p.programme_id else [])
    m2m_changed.connect(
        _tags_changed, sender=Tag.projects.through, weak=False, dispatch_uid="data-version:tags"
    )
