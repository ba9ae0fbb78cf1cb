"""The demo ledger reproduces the article's first-quarter figures from stored rows."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import F, Q, Sum

from projects import demo
from projects.models import MonthlyProgress, Project, QuarterPlan

pytestmark = pytest.mark.django_db

Q1_END = dt.date(2024, 3, 31)


@pytest.fixture
def demo_loaded(demo_db):
    return None


def snapshot():
    return (
        sorted(Project.objects.values_list("code", "name", "unit__code", "actual_start")),
        sorted(QuarterPlan.objects.values_list("project__code", "investment_q1", "inclusion_q4")),
        sorted(
            MonthlyProgress.objects.values_list(
                "project__code", "month", "investment", "inclusion", "image_progress"
            )
        ),
    )


def test_demo_has_147_projects_on_the_2024_list(demo_loaded):
    assert Project.objects.filter(programme__code=demo.PROGRAMME_CODE).count() == 147


def test_demo_starts_match_the_article(demo_loaded):
    new = Project.objects.filter(kind=Project.Kind.NEW)
    in_q1 = (dt.date(2024, 1, 1), Q1_END)
    assert new.filter(planned_start__range=in_q1).count() == 71
    assert new.filter(actual_start__range=in_q1).count() == 80
    assert new.filter(actual_start__range=in_q1, planned_start__gt=Q1_END).count() == 9


def test_demo_plans_add_up_to_the_article_totals(demo_loaded):
    annual = sum((F(f"investment_q{q}") for q in (2, 3, 4)), F("investment_q1"))
    annual_inc = sum((F(f"inclusion_q{q}") for q in (2, 3, 4)), F("inclusion_q1"))
    # The 2024 list's plans; the demo's invented 2023 list has its own.
    totals = QuarterPlan.objects.filter(year=2024).aggregate(
        q1=Sum("investment_q1"), year=Sum(annual), inc_q1=Sum("inclusion_q1"), inc=Sum(annual_inc)
    )
    assert totals["q1"] == Decimal("155000")  # 15.5 亿元
    assert totals["year"] == Decimal("1370000")  # 137 亿元
    assert totals["inc_q1"] == Decimal("132700")  # 13.27 亿元
    assert totals["inc"] == Decimal("1090000")  # 109 亿元


def test_demo_q1_progress_adds_up_to_the_article_totals(demo_loaded):
    done = MonthlyProgress.objects.filter(year=2024, month__lte=3).aggregate(
        investment=Sum("investment"), inclusion=Sum("inclusion")
    )
    assert done["investment"] == Decimal("241000")  # 24.1 亿元
    assert done["inclusion"] == Decimal("230000")  # 23 亿元


def test_demo_names_the_articles_projects_with_their_image_progress(demo_loaded):
    progress = dict(Project.objects.values_list("name", "image_progress"))
    assert "封顶" in progress["物元半导体项目"]
    assert "零碳工厂" in progress["鹏辉能源项目"]
    assert "中电科数字电磁产业园一期" in progress


def test_demo_spreads_projects_over_all_eight_streets(demo_loaded):
    streets = set(Project.objects.values_list("street__name", flat=True))
    assert streets == {name for _code, name in demo.STREETS}


def test_demo_only_starts_projects_that_have_started(demo_loaded):
    not_started = Project.objects.filter(actual_start__isnull=True)
    assert not MonthlyProgress.objects.filter(project__in=not_started, investment__gt=0).exists()
    assert not Project.objects.filter(Q(actual_start__gt=Q1_END)).exists()


def test_loading_the_demo_twice_leaves_the_same_rows(demo_loaded):
    before = snapshot()
    history_before = Project.history.count() + MonthlyProgress.history.count()
    call_command("load_demo", verbosity=0)
    assert snapshot() == before
    assert Project.history.count() + MonthlyProgress.history.count() == history_before


def test_allocate_splits_exactly_to_the_cent():
    parts = demo.allocate(Decimal("100.00"), [1, 1, 1])
    assert parts == [Decimal("33.34"), Decimal("33.33"), Decimal("33.33")]
    assert sum(parts) == Decimal("100.00")
