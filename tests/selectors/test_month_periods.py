"""Year to date through any month (1—M月): the same report, files and briefing as a quarter's."""

import datetime as dt
import json
from decimal import Decimal

import pytest

from projects.exports import export_report_file
from projects.periods import Period
from projects.permissions import WHOLE_DISTRICT
from projects.selectors import quarterly_report
from tests.factories import (
    MonthlyProgressFactory,
    ProgrammeFactory,
    ProjectFactory,
    QuarterPlanFactory,
    user_with_role,
)

pytestmark = pytest.mark.django_db


def test_a_month_period_runs_from_january_to_that_month():
    period = Period.through_month(2024, 10)
    assert (period.quarter, period.month) == (4, 10)
    assert period.start == dt.date(2024, 1, 1) and period.end == dt.date(2024, 10, 31)
    assert period.months == tuple(range(1, 11)) and period.alone_months == (10,)
    assert period.alone_start == dt.date(2024, 10, 1)
    assert period.label_zh == "2024年1—10月" and period.alone_name_zh == "10月"
    assert period.slug == "m10" and Period(2024, 4).slug == "q4"
    assert period.plan_shares() == {1: 3, 2: 3, 3: 3, 4: 1}
    assert period.plan_shares(alone=True) == {4: 1}


def test_time_elapsed_is_months_over_twelve():
    assert (
        Period.through_month(2024, 3).time_elapsed_percent == Period(2024, 1).time_elapsed_percent
    )
    assert Period.through_month(2024, 10).time_elapsed_percent == Decimal("83.3")
    assert Period.through_month(2024, 1).time_elapsed_percent == Decimal("8.3")


def test_a_month_that_is_not_in_the_quarter_is_refused():
    with pytest.raises(ValueError):
        Period(2024, 1, 5)


@pytest.fixture
def programme():
    programme = ProgrammeFactory()
    project = ProjectFactory(programme=programme, code="M1", planned_start=dt.date(2024, 2, 10))
    project.actual_start = dt.date(2024, 2, 20)
    project.save()
    QuarterPlanFactory(
        project=project,
        investment_q1=Decimal("90"),
        investment_q2=Decimal("120"),
        inclusion_q1=Decimal("30"),
        inclusion_q2=Decimal("60"),
    )
    for month, amount in ((1, "10"), (2, "20"), (3, "30"), (4, "40"), (5, "50")):
        MonthlyProgressFactory(
            project=project, month=month, investment=Decimal(amount), inclusion=Decimal("5")
        )
    return programme


def test_month_report_takes_thirds_of_the_quarter_plan(programme):
    report = quarterly_report(user=WHOLE_DISTRICT, programme=programme, year=2024, month=5)
    inv = report.headline.investment
    # Q1 whole (90) and two thirds of Q2 (80).
    assert inv.planned == Decimal("170.00")
    assert inv.actual == Decimal("150.00")
    assert inv.rate == Decimal("88.2")
    # The month alone: May's third of Q2 against May's progress.
    assert (inv.quarter_planned, inv.quarter_actual) == (Decimal("40.00"), Decimal("50.00"))
    assert report.rows[0].investment.planned == Decimal("170.00")
    # Projected at the year-to-date pace: 150 x 12 / 5.
    assert report.headline.investment_outlook.projected_annual == Decimal("360.00")


def test_march_year_to_date_equals_the_first_quarters(programme):
    march = quarterly_report(user=WHOLE_DISTRICT, programme=programme, year=2024, month=3)
    q1 = quarterly_report(user=WHOLE_DISTRICT, programme=programme, year=2024, quarter=1)
    for measure in ("investment", "inclusion"):
        m, q = getattr(march.headline, measure), getattr(q1.headline, measure)
        assert (m.planned, m.actual, m.rate, m.annual_plan) == (
            q.planned,
            q.actual,
            q.rate,
            q.annual_plan,
        )
    assert (march.headline.starts.planned, march.headline.starts.actual) == (1, 1)
    assert [r.investment.planned for r in march.rows] == [r.investment.planned for r in q1.rows]
    # Only the window shown "alone" differs: March against the whole quarter.
    assert march.headline.investment.quarter_planned == Decimal("30.00")


def test_month_starts_count_within_the_month_alone(programme):
    report = quarterly_report(user=WHOLE_DISTRICT, programme=programme, year=2024, month=2)
    starts = report.headline.starts
    assert (starts.planned, starts.actual, starts.quarter_planned, starts.quarter_actual) == (
        1,
        1,
        1,
        1,
    )
    assert (
        quarterly_report(
            user=WHOLE_DISTRICT, programme=programme, year=2024, month=1
        ).headline.starts.actual
        == 0
    )


def test_month_json_carries_the_month_and_the_outlook(programme):
    export = export_report_file(
        user=WHOLE_DISTRICT, programme=programme, year=2024, month=5, fmt="json"
    )
    data = json.loads(export.content)
    assert data["month"] == 5
    assert data["period"] == {"start": "2024-01-01", "end": "2024-05-31"}
    outlook = data["outlook"]["investment"]
    assert outlook["time_elapsed"] == "41.7"
    assert outlook["projected_annual"] == "360.00"
    assert export.filename == "2024年1—5月市级攻坚项目进展.json"


def test_month_page_and_files_are_served(programme, client):
    client.force_login(user_with_role("manager"))
    page = client.get("/reports/2024/m5/")
    assert page.status_code == 200
    assert "2024年1—5月" in page.content.decode()
    for fmt in ("csv", "xlsx", "json", "docx"):
        assert client.get(f"/reports/2024/m5.{fmt}").status_code == 200, fmt
    assert client.get("/reports/2024/m5/briefing/").status_code == 200
    assert client.get("/reports/2024/m5/print/").status_code == 200


def test_month_thirteen_is_a_clear_404(programme, client):
    client.force_login(user_with_role("manager"))
    response = client.get("/reports/2024/m13/")
    assert response.status_code == 404
    assert "月份" in response.content.decode() or "13" in response.content.decode()
