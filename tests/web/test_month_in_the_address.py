"""A month typed into the address is read by periods' one rule; bad ones say so in Chinese."""

import datetime as dt

import pytest
import time_machine

pytestmark = pytest.mark.django_db
JULY_5 = dt.datetime(2024, 7, 5, 12, 0, tzinfo=dt.UTC)

NOT_MONTHS = [
    ("２０２４", "3"),  # full-width digits: int() reads them, the tracker does not
    ("2024", "99999999999999999999"),
    ("1999", "12"),
    ("2101", "1"),
    ("2024", "0"),
]


@pytest.mark.parametrize(("year", "month"), NOT_MONTHS)
@time_machine.travel(JULY_5, tick=False)
def test_the_entry_page_says_a_bad_month_is_not_one_and_opens_the_reporting_month(
    staff_a_client, year, month
):
    response = staff_a_client.get("/entry/", {"year": year, "month": month})
    assert response.status_code == 200
    assert "不是有效月份" in response.content.decode()
    assert (response.context["grid"].year, response.context["grid"].month) == (2024, 6)


@time_machine.travel(JULY_5, tick=False)
def test_the_entry_pickers_year_dash_month_is_read(staff_a_client):
    response = staff_a_client.get("/entry/", {"ym": "2024-3"})
    assert response.status_code == 200
    assert (response.context["grid"].year, response.context["grid"].month) == (2024, 3)


@pytest.mark.parametrize(("year", "month"), NOT_MONTHS)
def test_the_submission_check_answers_a_bad_month_with_a_chinese_404(
    staff_a_client, unit_a, year, month
):
    response = staff_a_client.post(
        "/entry/submit/", {"unit": unit_a.pk, "year": year, "month": month}
    )
    assert response.status_code == 404
    assert "不是有效月份" in response.content.decode()
