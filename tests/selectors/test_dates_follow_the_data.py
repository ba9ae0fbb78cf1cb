"""Read long after its last list (the demo years later), pages open on that list's months."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from projects.selectors.entry import month_choices
from projects.selectors.status import default_status_month
from tests.factories import MonthlyProgressFactory, ProjectFactory

pytestmark = pytest.mark.django_db
LATER = "2026-12-04 10:00 +0800"


@pytest.fixture
def list_2024(unit_a):
    project = ProjectFactory(unit=unit_a, programme__year=2024)
    MonthlyProgressFactory(project=project, year=2024, month=11)
    return project


@time_machine.travel(LATER, tick=False)
def test_the_status_page_opens_on_the_last_month_with_figures(manager_client, list_2024):
    response = manager_client.get(reverse("status_latest"))
    assert response["Location"] == reverse("status_page", args=[2024, 11])


@time_machine.travel(LATER, tick=False)
def test_the_entry_picker_offers_the_lists_months_not_empty_years(staff_a, list_2024):
    months = [(y, m) for y, m, _locked in month_choices(staff_a, dt.date(2026, 12, 4))]
    assert months == [(2024, m) for m in range(12, 0, -1)]


def test_with_a_list_for_the_year_the_reporting_month_stands(unit_a):
    ProjectFactory(unit=unit_a, programme__year=2024)
    assert default_status_month(dt.date(2024, 5, 10)) == (2024, 4)
