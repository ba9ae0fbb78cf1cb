"""Submitting a month: nothing to submit, and year/month values that are not a month."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from projects import services
from projects.models import MonthSubmission
from tests.factories import MonthlyProgressFactory, ProjectFactory, UnitFactory, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit_staff(settings):
    settings.LANGUAGE_CODE = "en"
    unit = UnitFactory()
    ProjectFactory(unit=unit)
    return unit, user_with_role("unit_staff", unit)


def test_month_without_any_entries_cannot_be_submitted(unit_staff):
    unit, staff = unit_staff
    with pytest.raises(ValidationError, match="nothing to submit") as info:
        services.submit_month(actor=staff, unit=unit, year=2024, month=3)
    assert info.value.code == "empty"
    assert not MonthSubmission.objects.exists()


def test_submit_page_says_why_an_empty_month_is_refused(client, unit_staff):
    unit, staff = unit_staff
    client.force_login(staff)
    response = client.post(
        reverse("submit_month"), {"unit": unit.pk, "year": 2024, "month": 3}, follow=True
    )
    assert "nothing to submit" in response.content.decode()
    assert not MonthSubmission.objects.exists()


def test_month_with_entries_is_submitted(unit_staff):
    unit, staff = unit_staff
    MonthlyProgressFactory(project=unit.projects.get(), year=2024, month=3)
    services.submit_month(actor=staff, unit=unit, year=2024, month=3)
    assert MonthSubmission.objects.get().status == MonthSubmission.Status.SUBMITTED


@pytest.mark.parametrize("query", ["year=abc&month=3", "year=2024&month=13", "year=2024"])
def test_invalid_year_or_month_in_the_address_gets_a_clear_message(client, unit_staff, query):
    client.force_login(unit_staff[1])
    with time_machine.travel(dt.datetime(2024, 7, 5, 12, 0), tick=False):
        response = client.get(f"{reverse('submit_month')}?{query}")
    assert response.status_code == 200
    assert "is not a month" in response.content.decode()


def test_posting_an_invalid_month_submits_nothing_and_says_why(client, unit_staff):
    unit, staff = unit_staff
    MonthlyProgressFactory(project=unit.projects.get(), year=2024, month=6)
    client.force_login(staff)
    with time_machine.travel(dt.datetime(2024, 7, 5, 12, 0), tick=False):
        response = client.post(
            reverse("submit_month"), {"unit": unit.pk, "year": 2024, "month": 99}, follow=True
        )
    assert "is not a month" in response.content.decode()
    assert not MonthSubmission.objects.exists()


def test_submit_page_offers_no_submit_button_for_a_month_without_entries(client, unit_staff):
    unit, staff = unit_staff
    client.force_login(staff)
    page = client.get(f"{reverse('submit_month')}?year=2024&month=3").content.decode()
    assert 'name="unit"' not in page
    MonthlyProgressFactory(project=unit.projects.get(), year=2024, month=3)
    page = client.get(f"{reverse('submit_month')}?year=2024&month=3").content.decode()
    assert 'name="unit"' in page
