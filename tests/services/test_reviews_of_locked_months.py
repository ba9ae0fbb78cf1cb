"""A locked month's submissions can no longer be approved or returned."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from projects import services
from projects.models import MonthSubmission
from tests.factories import MonthlyProgressFactory, ProjectFactory, UnitFactory, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted():
    unit = UnitFactory()
    MonthlyProgressFactory(project=ProjectFactory(unit=unit), year=2024, month=3)
    staff = user_with_role("unit_staff", unit)
    services.submit_month(actor=staff, unit=unit, year=2024, month=3)
    manager = user_with_role("manager")
    services.lock_month(actor=manager, year=2024, month=3, reason="上报（部分单位未审核）")
    return unit, manager


@pytest.mark.parametrize("decision", ["approve", "return"])
def test_manager_cannot_approve_or_return_a_locked_month(submitted, decision):
    unit, manager = submitted
    review = services.approve_month if decision == "approve" else services.return_month
    with pytest.raises(ValidationError, match="2024-03") as info:
        review(actor=manager, unit=unit, year=2024, month=3, comment="改一下")
    assert info.value.code == "locked"
    assert MonthSubmission.objects.get(unit=unit).status == MonthSubmission.Status.SUBMITTED


def test_status_page_hides_review_buttons_on_a_locked_month(client, submitted):
    unit, manager = submitted
    client.force_login(manager)
    page = client.get(reverse("status_page", args=[2024, 3])).content.decode()
    assert reverse("review_unit", args=[2024, 3, unit.pk]) not in page

    services.unlock_month(actor=manager, year=2024, month=3, reason="复核更正")
    page = client.get(reverse("status_page", args=[2024, 3])).content.decode()
    assert reverse("review_unit", args=[2024, 3, unit.pk]) in page
