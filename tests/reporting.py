"""Helpers shared by the report tests: many projects at once, logged-in clients."""

import datetime as dt
import html
import re
from decimal import Decimal

from django.db import connection

from projects.models import MonthlyProgress, Project, QuarterPlan, ReportSettings
from tests.factories import (
    CategoryFactory,
    ProgrammeFactory,
    StreetFactory,
    UnitFactory,
)


def bulk_projects(n: int, *, programme=None, prefix: str = "B", months=(1, 2, 3, 4)):
    """``n`` projects with a plan and monthly progress, inserted in bulk (fast for 300)."""
    programme = programme or ProgrammeFactory()
    categories = [CategoryFactory() for _ in range(3)]
    units = [UnitFactory() for _ in range(4)]
    streets = [StreetFactory() for _ in range(2)]
    projects = Project.objects.bulk_create(
        Project(
            code=f"{prefix}{i:05d}",
            name=f"批量项目{i}",
            programme=programme,
            category=categories[i % 3],
            unit=units[i % 4],
            street=streets[i % 2],
            kind=Project.Kind.NEW if i % 2 else Project.Kind.CONTINUING,
            planned_start=dt.date(programme.year, 1 + i % 12, 1),
            actual_start=dt.date(programme.year, 2, 1) if i % 3 == 0 else None,
            joined_on=dt.date(programme.year, 1, 1),
            image_progress="基础施工",
        )
        for i in range(n)
    )
    QuarterPlan.objects.bulk_create(
        QuarterPlan(
            project=p,
            year=programme.year,
            investment_q1=Decimal("100"),
            investment_q2=Decimal("100"),
            investment_q3=Decimal("100"),
            investment_q4=Decimal("100"),
            inclusion_q1=Decimal("80"),
            inclusion_q2=Decimal("80"),
            inclusion_q3=Decimal("80"),
            inclusion_q4=Decimal("80"),
        )
        for p in projects
    )
    MonthlyProgress.objects.bulk_create(
        MonthlyProgress(
            project=p,
            year=programme.year,
            month=m,
            investment=Decimal("30"),
            inclusion=Decimal("20"),
            image_progress=f"{m}月进展",
            problems="用地手续" if m == 2 else "",
        )
        for p in projects
        for m in months
    )
    # The settings row is created on first read; make it exist before counting queries.
    ReportSettings.current()
    if connection.vendor == "postgresql":
        # What autovacuum does soon after a bulk load: without statistics the planner
        # takes every table for one row and loops over the report's per-project sums.
        with connection.cursor() as cursor:
            cursor.execute(
                "ANALYZE projects_project, projects_quarterplan, projects_monthlyprogress"
            )
    return programme, projects


def settled_list(unit, street):
    """A 2024 list of three continuing projects (CY-0, CY-1 on ``street``, CY-2 on 流亭街道),
    30 万元 each in January, its writes settled (``tests.data_versions``) so the next read
    may use the report cache."""
    from tests.factories import MonthlyProgressFactory, ProjectFactory, QuarterPlanFactory

    programme = ProgrammeFactory(year=2024)
    other_street = StreetFactory(code="S-OTHER", name="流亭街道")
    for n, where in enumerate([street, street, other_street]):
        project = ProjectFactory(
            programme=programme, code=f"CY-{n}", unit=unit, street=where, kind="continuing"
        )
        QuarterPlanFactory(project=project)
        MonthlyProgressFactory(project=project, month=1, investment=Decimal("30"))
    settled()
    return programme


def count_calls(monkeypatch, module, name: str) -> list:
    """Replace ``module.name`` by a wrapper that records each call in the list returned
    (how many times a kept value was computed)."""
    calls = []
    real = getattr(module, name)

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, counting)
    return calls


def page_request(user):
    """A GET of the page for ``user``, for calling a panel's function directly."""
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = user
    return request


def settled(*, empty_cache: bool = False):
    """The settings rows a live database has (a read would make them with their defaults),
    then the test's writes settled (``tests.data_versions``) so the next read may use the
    report cache; ``empty_cache`` also drops what earlier reads kept."""
    from django.core.cache import cache

    from projects.models import DispatchSettings
    from tests.data_versions import settle

    ReportSettings.current(), DispatchSettings.current()
    settle()
    if empty_cache:
        cache.clear()


def one_project_per_unit(count: int, *, plan, actual, month: int):
    """A 2024 list of ``count`` units (U000, U001…, 单位000…) with one continuing project
    each: the nth plans ``plan(n)`` 万元 in the first quarter and enters ``actual(n)`` in
    ``month``. Returns the list and its units."""
    from tests.factories import MonthlyProgressFactory, ProjectFactory, QuarterPlanFactory

    programme = ProgrammeFactory(year=2024)
    units = []
    for n in range(count):
        unit = UnitFactory(code=f"U{n:03d}", name=f"单位{n:03d}")
        project = ProjectFactory(programme=programme, unit=unit, kind="continuing")
        QuarterPlanFactory(project=project, investment_q1=Decimal(plan(n)))
        MonthlyProgressFactory(project=project, month=month, investment=Decimal(actual(n)))
        units.append(unit)
    return programme, units


def without_csrf(response) -> str:
    """A page's HTML without its CSRF tokens (masked afresh on every response)."""
    import re

    return re.sub(r'name="csrfmiddlewaretoken" value="\w+"', "", response.content.decode())


def entered(actor, project, investment: str, *, month: int = 2, settle: bool = True):
    """``actor`` enters ``investment`` 万元 for ``project`` in ``month`` of 2024 through the
    ledger service, then (``settle``) settles the write as a commit would."""
    from projects.services.ledger import record_progress

    record_progress(
        actor=actor, project=project, year=2024, month=month, investment=Decimal(investment),
        inclusion=Decimal("0"), acknowledge=True,
    )  # fmt: skip
    if settle:
        settled()


def form_errors(response) -> dict[str, list[str]]:
    """The filter form's errors as the page shows them, by field: the form is drawn once and
    kept (``web.report_body.filter_form``), so the page is where its errors are read."""
    page = response.content.decode()
    return {
        name: [html.unescape(item) for item in re.findall(r"<li>(.*?)</li>", items)]
        for name, items in re.findall(
            r'<ul class="errorlist" id="id_(\w+)_error">(.*?)</ul>', page, re.S
        )
    }
