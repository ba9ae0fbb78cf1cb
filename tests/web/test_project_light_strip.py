"""The project page's light strip: each month's light in words, reasons as text (issue #23)."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from projects import services
from projects.models import MonthlyProgress, Project
from projects.selectors import Light, light_history
from projects.selectors.light_history import light_strip
from tests.data_versions import settle
from tests.factories import MonthlyProgressFactory, ProgrammeFactory, ProjectFactory
from tests.reporting import count_calls
from tests.statements import reads

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme():
    return ProgrammeFactory(year=2024)


def late(programme, code, unit=None):
    """Planned for 1 January, not started: yellow at the end of February, red from April."""
    extra = {"unit": unit} if unit else {}
    project = ProjectFactory(
        programme=programme, code=code, planned_start=dt.date(2024, 1, 1), **extra
    )
    for month in (1, 2, 3, 4):
        MonthlyProgressFactory(project=project, month=month, investment=Decimal(0))
    return project


def test_each_month_shows_its_light_in_words_and_a_locked_month_its_record(programme, manager):
    project = late(programme, "LATE")
    services.lock_months(actor=manager, year=2024, months=[1, 2], reason="上报")
    strip = light_strip(Project.objects.select_related("programme").get(pk=project.pk))
    assert [(m.month, m.word, m.live) for m in strip] == [
        (1, "绿", False),
        (2, "黄", False),
        (3, "黄", True),
        (4, "红", True),
    ]
    assert strip[3].reasons_text == "计划开工逾期3个月"


def test_the_page_says_each_light_in_text_with_its_reasons_and_marks_live_months(
    programme, manager, manager_client
):
    late(programme, "LATE")
    services.lock_months(actor=manager, year=2024, months=[1, 2], reason="上报")
    page = manager_client.get(reverse("project_detail", args=["LATE"])).content.decode()
    strip = page[page.index('id="lights"') : page.index("</section>", page.index('id="lights"'))]
    months = re.findall(r'<li class="light-(\w+)">', strip)
    assert months == [Light.GREEN, Light.YELLOW, Light.YELLOW, Light.RED]
    assert strip.count("<small>实时</small>") == 2  # months 3 and 4
    assert "<li>计划开工逾期1个月</li>" in strip
    assert 'title="计划开工逾期3个月"' in strip
    # Said to a screen reader with the month, not left in a closed <details>.
    assert '<span class="visually-hidden">：计划开工逾期3个月</span></summary>' in strip
    assert "● 红" in strip.replace('<span class="dot" aria-hidden="true">', "").replace(
        "</span>", ""
    )


def test_the_strip_costs_the_same_queries_with_two_projects_on_the_list_or_ten(programme, manager):
    def count(n):
        projects = [late(programme, f"N{n}-{i}") for i in range(n)]
        project = Project.objects.select_related("programme").get(pk=projects[0].pk)
        with CaptureQueriesContext(connection) as queries:
            strip = light_strip(project)
        Project.objects.all().delete()
        assert len(strip) == 4
        return len(reads(queries.captured_queries))

    count(1)  # the settings row, made on first read
    # Entries' last month, the locks, the project's entries' version (both for the key), the
    # records, and the list's thresholds laid over the district's settings (one query), then
    # the months not kept (four here), run as one (on PostgreSQL planned once for any
    # project, which its setting and setting back add: ``test_planned_once``).
    assert count(2) == count(10) == 5 + 1


def test_a_clerk_of_another_unit_gets_no_strip_but_a_404(programme, staff_b_client, unit_a):
    late(programme, "OURS", unit=unit_a)
    response = staff_b_client.get(reverse("project_detail", args=["OURS"]))
    assert response.status_code == 404
    assert 'id="lights"' not in response.content.decode()


# ---------------------------------------------------------------- kept per data version
# The strip is computed once per data version of its year, months and the every-year data
# (``report_cache.kept_for``). ``settle()`` stands for the commit a test never makes.


@pytest.fixture
def settled_late(programme):
    project = late(programme, "LATE")
    settle()
    cache.clear()
    return project


def _strip(project):
    return light_strip(Project.objects.select_related("programme").get(pk=project.pk))


def test_a_strip_read_again_runs_none_of_its_months_statements(settled_late, monkeypatch):
    statements = count_calls(monkeypatch, light_history, "_months_rows")
    first = _strip(settled_late)
    assert len(statements) == 1  # the four months, run together
    assert _strip(settled_late) == first
    assert len(statements) == 1, "the strip read again computed its months"


def test_an_entry_of_a_later_month_shows_in_the_strip_at_once(settled_late):
    assert [m.month for m in _strip(settled_late)] == [1, 2, 3, 4]
    # A month's entry bumps that month's version alone (``services.versions.by_month``).
    MonthlyProgressFactory(project=settled_late, month=5, investment=Decimal(0))
    settle()
    assert [(m.month, m.word) for m in _strip(settled_late)][-1] == (5, "红")


def test_a_lock_after_a_read_shows_the_locked_months_as_recorded(settled_late, manager):
    assert all(m.live for m in _strip(settled_late))
    services.lock_months(actor=manager, year=2024, months=[1, 2], reason="上报")
    settle()
    assert [m.live for m in _strip(settled_late)] == [False, False, True, True]


def test_another_projects_entry_leaves_the_strip_kept_and_moves_its_own(
    settled_late, programme, monkeypatch
):
    # A month's version moves with every project's entry; the strip is kept by its own
    # project's entries (``EntryVersion``), so another project's save computes only that
    # project's strip again.
    other = late(programme, "OTHER")
    settle()
    statements = count_calls(monkeypatch, light_history, "_months_rows")
    first, theirs = _strip(settled_late), _strip(other)
    assert len(statements) == 2
    entry = MonthlyProgress.objects.get(project=other, month=3)
    entry.investment = Decimal("5")
    entry.save()
    settle()
    assert _strip(settled_late) == first
    assert len(statements) == 2, "another project's entry computed this strip again"
    assert _strip(other) == theirs  # its light did not change, but it was computed again
    assert len(statements) == 3


def test_a_projects_own_entry_computes_its_strip_again(settled_late, monkeypatch):
    statements = count_calls(monkeypatch, light_history, "_months_rows")
    _strip(settled_late)
    entry = MonthlyProgress.objects.get(project=settled_late, month=4)
    entry.investment = Decimal("3")
    entry.save()
    settle()
    _strip(settled_late)
    assert len(statements) == 2


def test_another_projects_entry_of_a_later_month_shows_that_month_in_the_strip(
    settled_late, programme
):
    # The last month entered is any project's: it is in the strip's key.
    other = late(programme, "OTHER")
    settle()
    assert [m.month for m in _strip(settled_late)] == [1, 2, 3, 4]
    MonthlyProgressFactory(project=other, month=5, investment=Decimal(0))
    settle()
    assert [(m.month, m.word, m.live) for m in _strip(settled_late)][-1] == (5, "红", True)
