"""The demo's invented 2023 list: 同比 on the 2024 report is a real figure, and 2023 opens."""

from decimal import Decimal

import pytest
from django.core.management import call_command

from projects import demo, demo_previous
from projects.models import MonthlyProgress, Programme
from projects.money import percent_change
from projects.permissions import WHOLE_DISTRICT
from projects.selectors import quarterly_report

pytestmark = pytest.mark.django_db


def test_2024_report_compares_with_the_2023_list(demo_db):
    programme = Programme.objects.get(code=demo.PROGRAMME_CODE)
    assert programme.previous.code == demo_previous.PROGRAMME_CODE
    q1_2023 = sum(
        MonthlyProgress.objects.filter(year=2023, month__lte=3).values_list(
            "investment", flat=True
        ),
        Decimal(0),
    )
    assert q1_2023 == demo_previous.Q1_DONE_INVESTMENT
    outlook = quarterly_report(
        user=WHOLE_DISTRICT, programme=programme, year=2024, quarter=1
    ).headline
    assert outlook.investment_outlook.previous_actual == q1_2023
    # 24.1 亿 against 21.3 亿: up 13.1 %.
    assert outlook.investment_outlook.yoy_percent == percent_change(Decimal("241000"), q1_2023)
    assert outlook.investment_outlook.yoy_percent == Decimal("13.1")


def test_the_2024_first_quarter_still_matches_the_article(demo_db):
    programme = Programme.objects.get(code=demo.PROGRAMME_CODE)
    h = quarterly_report(user=WHOLE_DISTRICT, programme=programme, year=2024, quarter=1).headline
    assert (h.projects, h.investment.actual, h.inclusion.actual) == (
        147,
        Decimal("241000.00"),
        Decimal("230000.00"),
    )


def test_2023_fourth_quarter_report_opens_with_the_years_totals(demo_db, manager_client):
    response = manager_client.get("/reports/2023/q4/")
    assert response.status_code == 200
    headline = response.context["report"].headline
    assert headline.investment.actual == demo_previous.YEAR_DONE_INVESTMENT
    page = response.content.decode()
    assert 'href="/reports/2024/q4/"' in page and "2023年" in page


def test_loading_the_demo_again_changes_nothing(demo_db):
    before = MonthlyProgress.objects.count()
    call_command("load_demo", verbosity=0)
    assert MonthlyProgress.objects.count() == before
