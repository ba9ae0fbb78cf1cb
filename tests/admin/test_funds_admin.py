"""The admin's funds door saves through the service, with its scope and month rules."""

import pytest
from django.urls import reverse

from projects import services
from projects.models import FundsInPlace
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db

ADD = "admin:projects_fundsinplace_add"


def post(client, project, **extra):
    data = {
        "project": project.pk,
        "year": 2024,
        "month": 3,
        "source": "special_bonds",
        "amount": "1,200",
        **extra,
    }
    return client.post(reverse(ADD), data)


def test_staff_add_their_units_funds_through_the_service(staff_a_client, staff_a, unit_a):
    project = ProjectFactory(unit=unit_a)
    response = post(staff_a_client, project)
    assert response.status_code == 302
    row = FundsInPlace.objects.get()
    assert (row.amount, row.updated_by, row.source) == (1200, staff_a, "special_bonds")


def test_another_units_project_is_not_offered(staff_b_client, unit_a):
    response = post(staff_b_client, ProjectFactory(unit=unit_a))
    assert response.status_code == 200  # the form says the choice is not valid
    assert not FundsInPlace.objects.exists()


def test_a_locked_month_refuses_staff_with_a_message(staff_a_client, manager, unit_a):
    project = ProjectFactory(unit=unit_a)
    services.lock_month(actor=manager, year=2024, month=3, reason="上报")
    post(staff_a_client, project)
    assert not FundsInPlace.objects.exists()
