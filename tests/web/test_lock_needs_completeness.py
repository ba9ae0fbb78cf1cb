"""Locking a period with units not yet approved needs a reason, at every door; the
confirmation travels by POST, so no token lands in an address."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from projects import services
from projects.models import MonthSubmission, PeriodLock
from tests.factories import ProgrammeFactory, ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_units(unit_a, unit_b, staff_a, manager):
    programme = ProgrammeFactory(year=2024)
    ProjectFactory(programme=programme, unit=unit_a)
    ProjectFactory(programme=programme, unit=unit_b)
    # Unit A's March is approved; unit B has not even submitted.
    MonthSubmission.objects.create(
        unit=unit_a, year=2024, month=3, status=MonthSubmission.Status.APPROVED
    )
    return programme


@time_machine.travel(dt.datetime(2024, 4, 10, 9, 0, tzinfo=dt.UTC))
def test_the_service_refuses_an_incomplete_month_without_a_reason(two_units, manager):
    with pytest.raises(ValidationError, match="1 个单位的月报未审核通过"):
        services.lock_month(actor=manager, year=2024, month=3)
    assert not PeriodLock.objects.exists()
    lock = services.lock_month(actor=manager, year=2024, month=3, reason="市里催报，先行上报")
    assert lock.history.latest().history_change_reason == "市里催报，先行上报"


@time_machine.travel(dt.datetime(2024, 4, 10, 9, 0, tzinfo=dt.UTC))
def test_a_complete_month_locks_without_a_reason(two_units, manager, unit_b):
    MonthSubmission.objects.create(
        unit=unit_b, year=2024, month=3, status=MonthSubmission.Status.APPROVED
    )
    assert services.lock_month(actor=manager, year=2024, month=3).month == 3


@time_machine.travel(dt.datetime(2024, 4, 10, 9, 0, tzinfo=dt.UTC))
def test_the_admin_lock_form_asks_the_same_rule(two_units, manager_client):
    response = manager_client.post(
        reverse("admin:projects_periodlock_add"), {"year": 2024, "month": 3, "reason": ""}
    )
    assert response.status_code == 200 and "未审核通过" in response.content.decode()
    assert not PeriodLock.objects.exists()


@time_machine.travel(dt.datetime(2024, 4, 10, 9, 0, tzinfo=dt.UTC))
def test_the_confirmation_is_posted_and_asks_for_the_reason(two_units, manager_client):
    status = manager_client.get(reverse("status_page", args=[2024, 3])).content.decode()
    assert 'formmethod="get"' not in status
    page = manager_client.post(reverse("lock_confirm", args=[2024, 3]), {"scope": "month"})
    html = page.content.decode()
    assert page.status_code == 200 and 'name="reason"' in html and "required" in html
