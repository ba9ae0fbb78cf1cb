"""The report is everyone's home page: what a returned month and a lock look like there."""

import pytest
from django.urls import reverse

from projects import services
from tests.factories import MonthlyProgressFactory, ProjectFactory

pytestmark = pytest.mark.django_db

COMMENT = "3月数据漏填，请补充后重报"


@pytest.fixture
def returned(unit_a, unit_b, staff_a, staff_b, manager):
    for unit in (unit_a, unit_b):
        MonthlyProgressFactory(project=ProjectFactory(unit=unit), month=3)
    services.submit_month(actor=staff_a, unit=unit_a, year=2024, month=3)
    services.return_month(actor=manager, unit=unit_a, year=2024, month=3, comment=COMMENT)
    return {"staff": staff_a, "other_staff": staff_b, "manager": manager}


def test_unit_staff_see_their_returned_months_comment_on_the_report(client, returned):
    client.force_login(returned["staff"])
    page = client.get(reverse("quarterly_report", args=[2024, 1])).content.decode()
    assert COMMENT in page
    assert reverse("submit_month") + "?year=2024&amp;month=3" in page


@pytest.mark.parametrize("who", ["other_staff", "manager"])
def test_others_do_not_see_a_units_returned_month_on_the_report(client, returned, who):
    client.force_login(returned[who])
    page = client.get(reverse("quarterly_report", args=[2024, 1])).content.decode()
    assert COMMENT not in page


def test_lock_button_opens_a_confirmation_before_locking(client, returned):
    client.force_login(returned["manager"])
    page = client.get(reverse("status_page", args=[2024, 3])).content.decode()
    assert 'class="lock-open" formaction="/review/2024/3/lock/confirm/"' in page
