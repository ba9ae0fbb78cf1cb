"""Free-text model fields clean what they store even when a door skips full_clean."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from projects.models import MonthlyProgress
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _end_of_june_2024():
    with time_machine.travel(dt.datetime(2024, 6, 30, 12, 0), tick=False):
        yield


@pytest.fixture
def project(unit_a):
    return ProjectFactory(code="CY-001", unit=unit_a)


def test_a_service_saving_free_text_without_full_clean_still_stores_it_cleaned(project):
    # The field cleans as it saves too, so a door that forgets full_clean stores no control.
    entry = MonthlyProgress.objects.create(
        project=project, year=2024, month=3, investment=Decimal("1"), problems="缺\x0b电\x00"
    )
    entry.refresh_from_db()
    assert entry.problems == "缺\n电"
