"""Checks on a month's figures that need a tick, and the 按累计 conversion."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from projects.models import ReportSettings
from projects.permissions import UNIT_STAFF
from projects.selectors.entry import entry_grid
from projects.services.entry import entry_warnings, month_from_cumulative
from tests.factories import MonthlyProgressFactory, ProjectFactory, UnitFactory, user_with_role

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def row():
    """A 10,000 万元 project with January 100/80 and February 100/80, read for March."""
    unit = UnitFactory()
    clerk = user_with_role(UNIT_STAFF, unit)
    project = ProjectFactory(unit=unit, total_investment=D("10000"))
    for month in (1, 2):
        MonthlyProgressFactory(project=project, month=month, investment=D("100"), inclusion=D("80"))
    return entry_grid(actor=clerk, year=2024, month=3).rows[0]


def codes(row, investment, inclusion, **settings):
    current = ReportSettings.current()
    for name, value in settings.items():
        setattr(current, name, D(value))
    return [
        w.code
        for w in entry_warnings(
            row=row, investment=D(investment), inclusion=D(inclusion), settings=current
        )
    ]


def test_an_ordinary_month_has_no_warning(row):
    assert codes(row, "120", "90") == []


def test_a_month_above_the_share_of_the_total_is_queried(row):
    # 3,001 of 10,000 is above 30 %; 3,000 is not.
    assert "share_of_total" in codes(row, "3001", "0")
    assert "share_of_total" not in codes(row, "3000", "0")


def test_the_share_threshold_comes_from_report_settings(row):
    assert "share_of_total" in codes(row, "600", "0", entry_share_of_total="5")


def test_a_month_over_ten_times_the_average_is_queried(row):
    assert "times_average" in codes(row, "1000.01", "0")
    assert "times_average" not in codes(row, "1000", "0")


def test_year_to_date_inclusion_above_investment_is_queried(row):
    # Year to date before March: 200 invested, 160 included.
    assert "inclusion_above_investment" in codes(row, "10", "51")
    assert "inclusion_above_investment" not in codes(row, "10", "50")


def test_a_jump_or_fall_from_last_month_is_queried(row):
    assert "jump" in codes(row, "501", "0")
    assert "fall" in codes(row, "19", "0")
    assert not {"jump", "fall"} & set(codes(row, "20", "0"))


def test_the_same_figures_as_last_month_are_queried(row):
    assert "same_as_last_month" in codes(row, "100", "80")
    assert "same_as_last_month" not in codes(row, "100", "79")


def test_five_hundred_yi_in_a_thirteen_yi_project_is_queried(row):
    assert {"share_of_total", "times_average", "jump"} <= set(codes(row, "5000000", "0"))


def test_cumulative_figure_becomes_the_month_difference():
    amount = month_from_cumulative(
        cumulative=D("350"), before=D("200"), label="完成投资", last_month=2
    )
    assert amount == D("150")


def test_cumulative_figure_below_the_reported_total_is_refused_with_a_reason():
    with pytest.raises(ValidationError) as exc:
        month_from_cumulative(cumulative=D("150"), before=D("200"), label="完成投资", last_month=2)
    assert exc.value.messages == [
        "累计完成投资 150 万元小于截至 2 月已填报的 200 万元，当月数将为负数。"
        "请核对累计数，或改为按当月填报。"
    ]
