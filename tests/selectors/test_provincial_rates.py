"""The four provincial rates, worked out by hand on a small list."""

import datetime as dt
import json
from decimal import Decimal

import pytest

from projects.exports.json_file import to_dict, to_json
from projects.models import FundsInPlace, FundSource
from projects.permissions import WHOLE_DISTRICT
from projects.selectors import quarterly_report
from tests.factories import (
    MonthlyProgressFactory,
    ProgrammeFactory,
    ProjectFactory,
    QuarterPlanFactory,
)

pytestmark = pytest.mark.django_db


def funds(project, month, amount, source=FundSource.DISTRICT, year=2024):
    FundsInPlace.objects.create(
        project=project, year=year, month=month, source=source, amount=Decimal(amount)
    )


def second_quarter(programme):
    return quarterly_report(user=WHOLE_DISTRICT, programme=programme, year=2024, quarter=2)


@pytest.fixture
def small_list():
    """Four new starts, each planned 100 万元 a quarter: 1,600 万元 for the year."""
    programme = ProgrammeFactory(year=2024)
    day = dt.date
    on_time = ProjectFactory(
        programme=programme,
        actual_start=day(2024, 3, 10),
        planned_completion=day(2024, 5, 31),
        actual_completion=day(2024, 5, 20),
    )
    # Planned by June's end, completed only in July: not on time as of the period's end.
    after_end = ProjectFactory(
        programme=programme, planned_completion=day(2024, 6, 30), actual_completion=day(2024, 7, 10)
    )
    late = ProjectFactory(
        programme=programme, planned_completion=day(2024, 4, 30), actual_completion=day(2024, 6, 1)
    )
    not_due = ProjectFactory(programme=programme, planned_completion=day(2024, 12, 31))
    for project in (on_time, after_end, late, not_due):
        QuarterPlanFactory(project=project)
    MonthlyProgressFactory(project=on_time, month=2, investment=Decimal("400"))
    funds(on_time, 3, "200")
    funds(on_time, 6, "100.50", FundSource.CENTRAL)
    funds(after_end, 7, "999")  # after the period
    funds(late, 6, "888", year=2023)  # last year's arrivals
    return programme


def test_rates_by_hand(small_list):
    rates = second_quarter(small_list).rates
    # 开工率: 1 of 4 planned new starts begun.
    assert (rates.starts_actual, rates.starts_planned) == (1, 4)
    assert rates.start == Decimal("25.0")
    # 投资完成率: 400 ÷ 1,600.
    assert rates.investment == Decimal("25.0")
    # 资金到位率: (200 + 100.50) ÷ 1,600 = 18.78…%; July's and last year's funds left out.
    assert rates.funds == Decimal("300.50")
    assert rates.funds_rate == Decimal("18.8")
    # 按期竣工率: three due by June's end, one completed by its planned date.
    assert (rates.completion_on_time, rates.completion_due) == (1, 3)
    assert rates.completion == Decimal("33.3")


def test_json_appends_the_rates_as_strings_after_every_other_key(small_list):
    document = json.loads(to_json(second_quarter(small_list)))
    # 纳统率's two denominators and the light changes follow (tests/library/test_library_rates.py,
    # tests/selectors/test_light_changes.py).
    keys = list(document)
    assert keys[keys.index("rates") :][:3] == ["rates", "library_rates", "light_changes"]
    assert document["rates"] == {
        "start": "25.0",
        "investment": "25.0",
        "funds": "18.8",
        "completion": "33.3",
    }


def test_a_rate_without_a_denominator_is_null_not_zero():
    programme = ProgrammeFactory(year=2024)
    ProjectFactory(programme=programme, kind="continuing")
    rates = to_dict(second_quarter(programme))["rates"]
    assert rates == {"start": None, "investment": None, "funds": None, "completion": None}


def test_the_rates_follow_the_reports_filter(small_list):
    unit = FundsInPlace.objects.filter(source=FundSource.CENTRAL).get().project.unit
    report = quarterly_report(
        user=WHOLE_DISTRICT,
        programme=small_list,
        year=2024,
        quarter=2,
        filters={"unit": unit.code},
    )
    assert report.rates.funds == Decimal("300.50")
    assert report.rates.completion_due == 1


def test_the_report_page_shows_the_rates_card_with_its_denominators(manager_client, small_list):
    body = manager_client.get("/reports/2024/q2/").content.decode()
    card = body[body.index('id="provincial-rates"') :]
    card = card[: card.index("</div>")]
    assert "资金到位率" in card and "18.8%" in card and "33.3%" in card
    assert "年度计划投资" in card  # the denominator is said on the page
