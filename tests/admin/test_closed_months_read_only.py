"""A closed month opens read-only in the admin for unit staff, with no save buttons."""

from decimal import Decimal

import pytest
from django.urls import reverse

from projects import services
from tests.factories import MonthlyProgressFactory, ProjectFactory, UnitFactory, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted_entry():
    unit = UnitFactory()
    staff = user_with_role("unit_staff", unit, username="sun")
    entry = MonthlyProgressFactory(project=ProjectFactory(unit=unit), month=3)
    services.submit_month(actor=staff, unit=unit, year=2024, month=3)
    return staff, entry


def test_submitted_month_opens_without_save_buttons_for_unit_staff(client, submitted_entry):
    staff, entry = submitted_entry
    client.force_login(staff)
    page = client.get(reverse("admin:projects_monthlyprogress_change", args=[entry.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert 'name="_save"' not in body
    assert "已报送" in body or "已提交" in body


def test_post_to_a_submitted_month_writes_nothing(client, submitted_entry):
    staff, entry = submitted_entry
    client.force_login(staff)
    response = client.post(
        reverse("admin:projects_monthlyprogress_change", args=[entry.pk]),
        {"investment": "999", "inclusion": "1", "expected_version": entry.version},
    )
    assert response.status_code == 403
    entry.refresh_from_db()
    assert entry.investment == Decimal("50.00")
