"""The demo's 入库 story: three new starts of 500 万元 and more enter the library late or never,
so the first quarter of 2024 shows the not_in_stats signal in both colours with its words,
and some projects carry 入库 materials; the article's figures do not move."""

import datetime as dt

import pytest
from django.db.models import Count

from projects import demo
from projects.attachments.library_selectors import due_for_library
from projects.attachments.models import LibraryDocument
from projects.choices import Reason
from projects.models import DispatchSettings, Programme, Project
from projects.permissions import WHOLE_DISTRICT
from projects.selectors import quarterly_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def q1(demo_db):
    programme = Programme.objects.get(code=demo.PROGRAMME_CODE)
    return quarterly_report(user=WHOLE_DISTRICT, programme=programme, year=2024, quarter=1)


def _library_reasons(report) -> dict[str, tuple[str, str]]:
    return {
        row.code: (reason.light, reason.text)
        for row in report.rows
        for reason in row.light_reasons
        if reason.code == Reason.NOT_IN_STATS
    }


def test_the_first_quarter_shows_the_library_signal_red_and_yellow(q1):
    assert _library_reasons(q1) == {
        "CY2024-011": ("red", "开工2个月未入库"),
        "CY2024-029": ("red", "开工2个月未入库"),
        "CY2024-009": ("yellow", "开工1个月未入库"),
    }


def test_the_late_projects_are_over_the_floor_and_started_in_the_first_quarter(demo_db):
    floor = DispatchSettings.current().library_min_investment
    late = Project.objects.filter(code__in=["CY2024-009", "CY2024-011", "CY2024-029"])
    for project in late:
        assert project.total_investment >= floor
        assert dt.date(2024, 1, 1) <= project.actual_start <= dt.date(2024, 3, 31)
    entries = dict(late.values_list("code", "statistics_entry_date"))
    assert entries == {
        "CY2024-009": dt.date(2024, 4, 8),
        "CY2024-011": None,
        "CY2024-029": dt.date(2024, 4, 12),
    }


def test_the_first_quarters_library_rates_equal_a_count_of_the_stored_rows(q1):
    end = dt.date(2024, 3, 31)
    listed = Project.objects.on_list(at=end).filter(programme__code=demo.PROGRAMME_CODE)
    in_library = listed.filter(statistics_entry_date__lte=end)
    new_starts = listed.filter(kind="new", actual_start__year=2024, actual_start__lte=end)
    rates = q1.library_rates
    assert (rates.listed, rates.listed_in_library) == (listed.count(), in_library.count())
    assert rates.new_starts == new_starts.count() == q1.headline.starts.actual == 80
    assert rates.new_starts_in_library == new_starts.filter(statistics_entry_date__lte=end).count()
    assert rates.new_starts - rates.new_starts_in_library == 3


def test_the_march_due_list_names_them_and_their_missing_materials(demo_db, manager):
    due = due_for_library(manager, 2024, 3, DispatchSettings.current())
    rows = {r.project.code: r for r in due.rows}
    assert set(rows) == {"CY2024-009", "CY2024-011", "CY2024-029"}
    assert rows["CY2024-011"].present == {"approval", "site_photo"}


def test_some_demo_projects_carry_all_four_materials(demo_db):
    per_project = LibraryDocument.objects.order_by().values("project").annotate(items=Count("id"))
    assert sorted(row["items"] for row in per_project) == [2, 2, 2, 4, 4, 4, 4]
    # The site photo of the complete ones is one of the project's own stored photos.
    assert LibraryDocument.objects.filter(photo__isnull=False).count() == 4
