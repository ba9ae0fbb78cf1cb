"""The entry grid's warnings need a tick before saving; 按累计 figures are saved as months."""

from decimal import Decimal

import pytest

from projects.models import MonthlyProgress
from tests.web.grid import URL, form_data

pytestmark = pytest.mark.django_db
CUMULATIVE = {"year": 2024, "month": 3, "cumulative": "1"}


def test_an_unusual_figure_is_not_saved_until_ticked(logged_in, projects):
    # 3,500 万元 in one month of a 10,000 万元 project whose months were 100.
    data = form_data(logged_in, **{"e-0-investment": "3500", "e-0-inclusion": "0"})
    response = logged_in.post(URL, data)
    assert response.status_code == 200
    assert not MonthlyProgress.objects.filter(month=3).exists()
    codes = {w.code for w in response.context["formset"][0].warnings}
    assert {"share_of_total", "times_average", "jump"} <= codes
    page = response.content.decode()
    assert "超过项目总投资（10000.00 万元）的 30%" in page
    assert "已核实：数据无误" in page

    data["e-0-confirm"] = "on"
    assert logged_in.post(URL, data).status_code == 302
    assert MonthlyProgress.objects.get(month=3).investment == Decimal("3500")


def test_a_copy_of_last_month_needs_a_tick(logged_in, projects):
    data = form_data(logged_in, **{"e-0-investment": "100", "e-0-inclusion": "80"})
    response = logged_in.post(URL, data)
    assert [w.code for w in response.context["formset"][0].warnings] == ["same_as_last_month"]
    assert "雷同" in response.content.decode()


def test_cumulative_entry_saves_the_difference_from_last_months_total(logged_in, projects):
    response = logged_in.get(URL, CUMULATIVE)
    assert "累计完成投资（万元）" in response.content.decode()
    data = form_data(logged_in, CUMULATIVE, **{"e-0-investment": "250", "e-0-inclusion": "160.5"})
    data["cumulative"] = "1"
    response = logged_in.post(URL, data)
    assert response.status_code == 302
    entry = MonthlyProgress.objects.get(month=3)
    # February's totals were 100 and 80.
    assert (entry.investment, entry.inclusion) == (Decimal("150"), Decimal("80.5"))


def test_cumulative_below_last_months_total_is_refused_with_an_explanation(logged_in, projects):
    data = form_data(logged_in, CUMULATIVE, **{"e-0-investment": "60", "e-0-inclusion": "80"})
    data["cumulative"] = "1"
    response = logged_in.post(URL, data)
    assert response.context["formset"][0].errors["investment"] == [
        "累计完成投资 60 万元小于截至 2 月已填报的 100.00 万元，当月数将为负数。"
        "请核对累计数，或改为按当月填报。"
    ]
    assert not MonthlyProgress.objects.filter(month=3).exists()
